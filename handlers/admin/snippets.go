package admin

import (
	"strings"

	"shopcard/views"
)

// snippets are the copy-paste integrations shown on the embed page, filled
// in with the workspace's name and shopcard's address. The secret is read
// from the integrator's environment, never pasted into code.
func snippets(workspace, baseURL string) []views.Snippet {
	// Workspace names are lowercase letters, digits and hyphens: safe in
	// any of these string literals.
	r := strings.NewReplacer("WORKSPACE", workspace, "BASE_URL", baseURL)
	return []views.Snippet{
		{ID: "snippet-go", Title: "Go (github.com/golang-jwt/jwt/v5)", Language: "go", Code: r.Replace(goSnippet)},
		{ID: "snippet-node", Title: "Node (standard library only)", Language: "javascript", Code: r.Replace(nodeSnippet)},
		{ID: "snippet-html", Title: "The iframe, in any language", Language: "html", Code: r.Replace(htmlSnippet)},
	}
}

const goSnippet = `package inbox

import (
	"net/url"
	"os"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// shopcardURL returns the sidebar's URL for one contact, with a token that
// lasts 15 minutes. Call it on your server for each conversation.
func shopcardURL(email, name string) (string, error) {
	now := time.Now()
	claims := jwt.MapClaims{
		"workspace": "WORKSPACE",
		"email":     email,
		"name":      name,
		"iat":       now.Unix(),
		"exp":       now.Add(15 * time.Minute).Unix(),
	}
	token, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).
		SignedString([]byte(os.Getenv("SHOPCARD_EMBED_SECRET")))
	if err != nil {
		return "", err
	}
	return "BASE_URL/sidebar?token=" + url.QueryEscape(token), nil
}`

const nodeSnippet = `import { createHmac } from "node:crypto";

// shopcardURL returns the sidebar's URL for one contact, with a token that
// lasts 15 minutes. Call it on your server for each conversation.
export function shopcardURL(email, name) {
  const now = Math.floor(Date.now() / 1000);
  const part = (obj) => Buffer.from(JSON.stringify(obj)).toString("base64url");
  const unsigned = part({ alg: "HS256", typ: "JWT" }) + "." +
    part({ workspace: "WORKSPACE", email, name, iat: now, exp: now + 15 * 60 });
  const signature = createHmac("sha256", process.env.SHOPCARD_EMBED_SECRET)
    .update(unsigned).digest("base64url");
  return "BASE_URL/sidebar?token=" + encodeURIComponent(unsigned + "." + signature);
}`

const htmlSnippet = `<!-- TOKEN is an HS256 JWT your server signs with the embed secret:
     {"workspace": "WORKSPACE", "email": "...", "name": "...", "iat": ..., "exp": ...}
     theme is optional: light or dark (the default follows the system). -->
<iframe src="BASE_URL/sidebar?token=TOKEN&theme=light"
        width="360" height="800" title="Shopify"></iframe>`

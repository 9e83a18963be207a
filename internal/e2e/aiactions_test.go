package e2e

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"shopcard/fakeshopify"
)

// TestAIActionsCommands drives the API key and AI action commands through
// cli.Run, then an agent's calls to the JSON API of the server they
// configured.
func TestAIActionsCommands(t *testing.T) {
	t.Parallel()
	fake := fakeshopify.NewSeeded(nil)
	fakeSrv := httptest.NewServer(fake)
	defer fakeSrv.Close()
	db := filepath.Join(t.TempDir(), "ai.db")
	getenv := testGetenv(map[string]string{
		"SHOPCARD_SHOPIFY_URL": fakeSrv.URL + fakeshopify.ShopURLTemplate,
		"SHOPCARD_LOG_LEVEL":   "warn",
	})
	must := func(stdin string, args ...string) string {
		t.Helper()
		out, err := runCLI(t, getenv, stdin, append(args, "--db", db)...)
		if err != nil {
			t.Fatalf("%v: %v\n%s", args, err, out)
		}
		return out
	}
	must("", "workspace", "create", "acme")
	must(fakeshopify.AcmeTokenWithProducts+"\n", "stores", "add", "--workspace", "acme", "--domain", fakeshopify.AcmeDomain)

	out := must("", "api-key", "create", "--workspace", "acme", "--name", "Support bot")
	key := regexp.MustCompile(`sck_[A-Za-z0-9_-]{43}`).FindString(out)
	if key == "" || !strings.Contains(out, "shown only now") {
		t.Fatalf("api-key create printed:\n%s", out)
	}
	list := must("", "api-key", "list", "--workspace", "acme")
	if strings.Contains(list, key) || !strings.Contains(list, key[:12]+"…") || !strings.Contains(list, "Support bot") || !strings.Contains(list, "active") {
		t.Errorf("api-key list:\n%s", list)
	}

	if out, err := runCLI(t, getenv, "", "ai-actions", "set", "--workspace", "acme", "--tool", "drop_tables", "--enabled=false", "--db", db); err == nil {
		t.Errorf("an unknown tool was switched: %s", out)
	}
	must("", "ai-actions", "set", "--workspace", "acme", "--tool", "get_shop_details", "--enabled=false")
	actions := must("", "ai-actions", "list", "--workspace", "acme")
	if !regexp.MustCompile(`get_shop_details\s+off\s+no`).MatchString(actions) || !regexp.MustCompile(`search_products\s+on\s+yes`).MatchString(actions) {
		t.Errorf("ai-actions list:\n%s", actions)
	}

	base, stop := startServer(t, getenv, db)
	defer stop()
	callTool := func(tool, body string) (int, string) {
		req, _ := http.NewRequest(http.MethodPost, base+"/api/v1/tools/"+tool, bytes.NewReader([]byte(body)))
		req.Header.Set("Authorization", "Bearer "+key)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	status, body := callTool("search_products", `{"query":"merino socks"}`)
	var res struct{ Text string }
	if status != http.StatusOK || json.Unmarshal([]byte(body), &res) != nil || !strings.Contains(res.Text, "Merino Wool Hiking Socks") {
		t.Fatalf("search_products: %d %s", status, body)
	}
	if status, body := callTool("get_shop_details", `{}`); status != http.StatusForbidden || !strings.Contains(body, "tool_disabled") {
		t.Errorf("switched-off tool: %d %s", status, body)
	}

	idLine := regexp.MustCompile(`(?m)^(\d+)\s+Support bot`).FindStringSubmatch(list)
	must("", "api-key", "revoke", "--workspace", "acme", "--id", idLine[1])
	if status, body := callTool("search_products", `{"query":"socks"}`); status != http.StatusUnauthorized {
		t.Errorf("revoked key: %d %s", status, body)
	}
	if list := must("", "api-key", "list", "--workspace", "acme"); !strings.Contains(list, "revoked") {
		t.Errorf("api-key list after revoking:\n%s", list)
	}
}

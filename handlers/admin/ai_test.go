package admin_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"shopcard/ai"
	"shopcard/auth"
	"shopcard/fakeshopify"
	"shopcard/internal/apptest"
)

func TestAIActionsPage(t *testing.T) {
	t.Parallel()
	env := apptest.Start(t, apptest.Options{Layout: apptest.AILayout})
	b := env.SignIn(t, apptest.AdminEmail, apptest.AdminPassword)
	p := b.Get("/admin/ai")
	if p.Status() != http.StatusOK {
		t.Fatalf("status %d", p.Status())
	}
	if p.Text("ai-mcp-url") != env.URL+"/mcp" || !strings.Contains(p.Body, "claude mcp add --transport http shopcard "+env.URL+"/mcp") {
		t.Errorf("connection details: %q", p.Text("ai-mcp-url"))
	}
	if strings.Contains(p.Body, "sck_") && !strings.Contains(p.Body, "sck_YOUR_KEY") {
		t.Error("the page holds something like a key")
	}
	tools := p.Doc.Find(apptest.Sel("ai-tool"))
	if tools.Length() != 4 {
		t.Fatalf("%d tools", tools.Length())
	}
	search := p.Doc.Find(`[data-tool="search_products"]`)
	if got := strings.TrimSpace(search.Find(apptest.Sel("ai-tool-status")).Text()); got != "Offered to agents" {
		t.Errorf("search_products status %q", got)
	}
	// Nordic Goods has not granted read_products: the page says so and
	// links to its row on the stores page.
	link, _ := search.Find(apptest.Sel("ai-tool-scope-link")).Attr("href")
	nordic := env.Stores[fakeshopify.NordicDomain]
	if link != "/admin/stores#store-"+itoa(nordic.ID) || !strings.Contains(search.Find(apptest.Sel("ai-tool-scope")).Text(), "read_products") {
		t.Errorf("scope link %q", link)
	}
	if stores := b.Get(link); !strings.Contains(stores.Body, `id="store-`+itoa(nordic.ID)+`"`) || stores.Doc.Find(apptest.Sel("oauth-products")).Length() != 1 {
		t.Error("the stores page has no row to land on, or no way to ask for read_products")
	}

	// Switching off, with the form's CSRF token; without it, nothing.
	action, _ := search.Find("form").Attr("action")
	if p := b.Post(action, url.Values{"enabled": {"false"}, "csrf": {""}}); p.Status() != http.StatusForbidden {
		t.Errorf("without CSRF: %d", p.Status())
	}
	if p := b.Post(action, url.Values{"enabled": {"false"}}); p.Status() != http.StatusSeeOther {
		t.Fatalf("switch off: %d", p.Status())
	}
	settings, _ := env.App.DB.AIToolSettings(context.Background(), env.WS.ID)
	if on, set := settings[ai.SearchProducts]; !set || on {
		t.Fatalf("settings %v", settings)
	}
	p = b.Get("/admin/ai")
	if got := strings.TrimSpace(p.Doc.Find(`[data-tool="search_products"]`).Find(apptest.Sel("ai-tool-status")).Text()); got != "Switched off" || !strings.Contains(p.Text("notice"), "switched off") {
		t.Errorf("after switching off: %q, notice %q", got, p.Text("notice"))
	}
	if p := b.Post("/admin/ai/tools/drop_tables", url.Values{"enabled": {"false"}}); p.Status() != http.StatusNotFound {
		t.Errorf("unknown tool: %d", p.Status())
	}

	// The rival workspace's only store lacks read_products.
	rival := env.SignIn(t, apptest.RivalEmail, apptest.RivalPassword).Get("/admin/ai")
	if got := strings.TrimSpace(rival.Doc.Find(`[data-tool="get_shop_details"]`).Find(apptest.Sel("ai-tool-status")).Text()); got != "Off until a store grants read_products" {
		t.Errorf("rival's get_shop_details: %q", got)
	}
	if rival, _ := env.App.DB.AIToolSettings(context.Background(), env.Rival.ID); len(rival) != 0 {
		t.Errorf("acme-support's switch reached rival: %v", rival)
	}
}

func TestAPIKeysPage(t *testing.T) {
	t.Parallel()
	env := apptest.Start(t, apptest.Options{Layout: apptest.AILayout})
	b := env.SignIn(t, apptest.AdminEmail, apptest.AdminPassword)
	if p := b.Get("/admin/api-keys"); p.Status() != http.StatusOK || p.Doc.Find(apptest.Sel("api-keys-none")).Length() != 1 {
		t.Fatalf("empty page: %d", p.Status())
	}
	if p := b.Post("/admin/api-keys", url.Values{"name": {"bot"}, "csrf": {"forged"}}); p.Status() != http.StatusForbidden {
		t.Errorf("forged CSRF: %d", p.Status())
	}
	made := b.Post("/admin/api-keys", url.Values{"name": {"Support bot"}})
	key := made.Attr("api-key-value", "value")
	if made.Status() != http.StatusOK || !auth.LooksLikeAPIKey(key) {
		t.Fatalf("create: %d, key %q", made.Status(), key)
	}
	if cc := made.Resp.Header.Get("Cache-Control"); !strings.Contains(cc, "no-store") {
		t.Errorf("the page with the key may be cached: %q", cc)
	}
	// The key works, and is never shown again.
	status, _, _ := postJSON(t, env, key)
	if status != http.StatusOK {
		t.Errorf("the new key: %d", status)
	}
	list := b.Get("/admin/api-keys")
	if strings.Contains(list.Body, key) || strings.Contains(list.Body, key[12:]) {
		t.Fatal("the list shows the key")
	}
	row := list.Doc.Find(apptest.Sel("api-key"))
	if row.Length() != 1 || row.Find(apptest.Sel("api-key-prefix")).Text() != key[:12]+"…" || strings.TrimSpace(row.Find(apptest.Sel("api-key-last-used")).Text()) == "never" {
		t.Errorf("row %q", row.Text())
	}

	// Too long a name is refused on the form.
	if p := b.Post("/admin/api-keys", url.Values{"name": {strings.Repeat("n", 81)}}); p.Status() != http.StatusBadRequest || p.Text("api-key-error") == "" || p.Attr("api-key-value", "value") != "" {
		t.Errorf("long name: %d %q", p.Status(), p.Text("api-key-error"))
	}

	// Another workspace's admin cannot revoke it, whatever the URL says.
	action, _ := row.Find("form").Attr("action")
	mallory := env.SignIn(t, apptest.RivalEmail, apptest.RivalPassword)
	if p := mallory.Post(action, nil); p.Status() != http.StatusNotFound {
		t.Errorf("rival revoked: %d", p.Status())
	}
	if strings.Contains(mallory.Get("/admin/api-keys").Body, "Support bot") {
		t.Error("rival lists acme-support's key")
	}
	if status, _, _ := postJSON(t, env, key); status != http.StatusOK {
		t.Fatalf("the key stopped working: %d", status)
	}
	if p := b.Post(action, nil); p.Status() != http.StatusSeeOther {
		t.Fatalf("revoke: %d", p.Status())
	}
	if status, _, _ := postJSON(t, env, key); status != http.StatusUnauthorized {
		t.Errorf("revoked key: %d", status)
	}
	after := b.Get("/admin/api-keys")
	if after.Doc.Find(apptest.Sel("api-key-revoked")).Length() != 1 || after.Doc.Find(apptest.Sel("api-key-revoke")).Length() != 0 || !regexp.MustCompile(`Revoked the key "Support bot"`).MatchString(after.Text("notice")) {
		t.Errorf("after revoking: %s", after.Text("api-keys"))
	}
}

// postJSON calls get_shop_details through the JSON API with key.
func postJSON(t *testing.T, env *apptest.Env, key string) (int, http.Header, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, env.URL+"/api/v1/tools/get_shop_details", strings.NewReader(`{}`))
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Content-Type", "application/json")
	resp, err := env.Srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	return resp.StatusCode, resp.Header, ""
}

// TestGrantingReadProducts follows the AI actions page's advice for a
// store without read_products: reconnect it with Shopify, ticking the
// option. Afterwards the store answers the catalog actions.
func TestGrantingReadProducts(t *testing.T) {
	t.Parallel()
	env := apptest.Start(t, apptest.Options{Layout: apptest.AILayout})
	b := env.SignIn(t, apptest.AdminEmail, apptest.AdminPassword)
	p := b.Post("/admin/stores/oauth", url.Values{"domain": {fakeshopify.NordicDomain}, "products": {"1"}})
	if p.Status() != http.StatusSeeOther {
		t.Fatalf("start OAuth: %d", p.Status())
	}
	authorize, _ := url.Parse(p.Resp.Header.Get("Location"))
	if scope := authorize.Query().Get("scope"); scope != "read_customers,read_orders,read_fulfillments,read_products" {
		t.Fatalf("asked for %q", scope)
	}
	callback := approve(t, authorize)
	if p := b.Get(callbackPath(callback, callback.Query())); p.Status() != http.StatusSeeOther {
		t.Fatalf("callback: %d", p.Status())
	}
	if page := b.Get("/admin/ai"); page.Doc.Find(apptest.Sel("ai-tool-scope")).Length() != 0 {
		t.Errorf("a store is still listed without read_products: %s", page.Text("ai-tool-scope"))
	}
	key, _ := env.APIKey(t, env.WS, "after")
	req, _ := http.NewRequest(http.MethodPost, env.URL+"/api/v1/tools/search_products", strings.NewReader(`{"query":"mug","store":"nordic-goods"}`))
	req.Header.Set("Authorization", "Bearer "+key)
	resp, err := env.Srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("search_products in the reconnected store: %d", resp.StatusCode)
	}
}

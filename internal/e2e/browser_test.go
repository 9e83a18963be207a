package e2e

import (
	"context"
	"io"
	"net/http/httptest"
	"path/filepath"
	"shopcard/config"
	"shopcard/internal/app"
	"shopcard/logging"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"shopcard/fakeshopify"
	"shopcard/internal/browsertest"
)

// TestBrowserAdminConnectsAStoreAndPreviews drives Chromium through the
// admin console of a real server (run() serving, against the fake
// Shopify): sign in, connect a store with a token, see it healthy, open the
// sidebar preview and see the customer inside its frame.
func TestBrowserAdminConnectsAStoreAndPreviews(t *testing.T) {
	t.Parallel()
	ctx := browsertest.Start(t, 2*time.Minute)

	fake := fakeshopify.NewSeeded(nil)
	fakeSrv := httptest.NewServer(fake)
	defer fakeSrv.Close()
	db := filepath.Join(t.TempDir(), "browser.db")
	getenv := testGetenv(map[string]string{
		"SHOPCARD_SHOPIFY_URL": fakeSrv.URL + fakeshopify.ShopURLTemplate,
		"SHOPCARD_LOG_LEVEL":   "warn",
	})
	if out, err := runCLI(t, getenv, "", "workspace", "create", "acme-support", "--db", db); err != nil {
		t.Fatalf("workspace create: %v\n%s", err, out)
	}
	const email, password = "ada@acme.example", "a long enough password"
	if out, err := runCLI(t, getenv, password+"\n", "admin", "create", "--workspace", "acme-support", "--email", email, "--db", db); err != nil {
		t.Fatalf("admin create: %v\n%s", err, out)
	}
	base, _ := startServer(t, getenv, db)

	console := browsertest.WatchConsole(ctx)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	step := func(name string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}

	step("sign in",
		chromedp.Navigate(base+"/admin"),
		chromedp.WaitVisible(css(`[data-testid="signin-email"]`)),
		chromedp.SendKeys(css(`[data-testid="signin-email"]`), email),
		chromedp.SendKeys(css(`[data-testid="signin-password"]`), password),
		chromedp.Click(css(`[data-testid="signin-submit"]`)),
		chromedp.WaitVisible(css(`[data-testid="nav-stores"][aria-current="page"]`)),
	)
	step("see the empty stores page", chromedp.WaitVisible(css(`[data-testid="no-stores"]`)))
	step("type the domain", chromedp.SendKeys(css(`[data-testid="connect-domain"]`), fakeshopify.AcmeDomain))
	step("type the token", chromedp.SendKeys(css(`[data-testid="connect-token"]`), fakeshopify.AcmeToken))
	step("connect Acme with its token",
		chromedp.Click(css(`[data-testid="connect-submit"]`)),
		chromedp.WaitVisible(css(`[data-testid="store-row"][data-store="`+fakeshopify.AcmeDomain+`"]`)),
	)
	status, err := chromedp.Run(ctx, chromedp.Text(css(`[data-store="`+fakeshopify.AcmeDomain+`"] [data-testid="store-status"]`)))
	if err != nil || strings.TrimSpace(status) != "Healthy" {
		t.Fatalf("store status %q, %v", status, err)
	}
	notice, _ := chromedp.Run(ctx, chromedp.Text(css(`[data-testid="notice"]`)))
	if !strings.Contains(notice, "Connected Acme Outfitters") {
		t.Errorf("notice %q", notice)
	}

	step("preview the sidebar as Maya",
		chromedp.Click(css(`[data-testid="nav-embed"]`)),
		chromedp.WaitVisible(css(`[data-testid="preview-email"]`)),
		chromedp.SendKeys(css(`[data-testid="preview-email"]`), fakeshopify.EmailShowcase),
		chromedp.Click(css(`[data-testid="preview-submit"]`)),
		chromedp.WaitVisible(css(`[data-testid="preview-frame"]`)),
	)
	// The frame's element shows before its document is the sidebar, and
	// a node taken then keeps the empty document it had (chromedp's
	// FromNode queries the node's ContentDocument as it was): on a loaded
	// machine the wait never ended. The preview is shopcard's own origin,
	// so the page reads the frame's current document itself, every 50 ms
	// (the frame's changes don't wake a poll on the page's own mutations),
	// until the customer is there; the test's deadline bounds the wait.
	name, err := chromedp.Run(ctx, chromedp.Poll[string](`(() => {
  const doc = document.querySelector('[data-testid="preview-frame"]').contentDocument;
  const name = doc && doc.querySelector('[data-testid="customer-name"]');
  return name ? name.textContent : "";
})()`, chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(0)))
	if err != nil || !strings.Contains(name, "Maya Chen") {
		t.Errorf("customer in the preview: %q, %v", name, err)
	}
	console.NoErrors(t)
}

// TestBrowserOAuthConnect connects a store through Shopify OAuth in
// Chromium: shopcard's form redirects to the fake Shopify's grant screen
// (which the admin pages' form-action must allow), the admin installs the
// app, and the signed callback connects the store.
func TestBrowserOAuthConnect(t *testing.T) {
	t.Parallel()
	ctx := browsertest.Start(t, 2*time.Minute)

	fake := fakeshopify.NewSeeded(nil)
	fakeSrv := httptest.NewServer(fake)
	defer fakeSrv.Close()
	srv := httptest.NewUnstartedServer(nil)
	public := "http://" + srv.Listener.Addr().String()
	db := filepath.Join(t.TempDir(), "oauth.db")
	getenv := testGetenv(map[string]string{
		"SHOPCARD_SHOPIFY_URL":           fakeSrv.URL + fakeshopify.ShopURLTemplate,
		"SHOPCARD_SHOPIFY_CLIENT_ID":     fakeshopify.AppClientID,
		"SHOPCARD_SHOPIFY_CLIENT_SECRET": fakeshopify.AppClientSecret,
		"SHOPCARD_PUBLIC_URL":            public,
		"SHOPCARD_LOG_LEVEL":             "warn",
	})
	runCLI(t, getenv, "", "workspace", "create", "acme-support", "--db", db)
	const email, password = "ada@acme.example", "a long enough password"
	if out, err := runCLI(t, getenv, password, "admin", "create", "--workspace", "acme-support", "--email", email, "--db", db); err != nil {
		t.Fatalf("admin create: %v\n%s", err, out)
	}
	cfg, err := config.Load(getenv, db)
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.New(context.Background(), cfg, app.Options{Logger: logging.New(io.Discard, cfg.LogLevel, cfg.LogFormat)})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	srv.Config.Handler = a.HTTP
	srv.Start()
	defer srv.Close()

	console := browsertest.WatchConsole(ctx)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	step := func(name string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	step("sign in",
		chromedp.Navigate(public+"/admin/signin"),
		chromedp.SendKeys(css(`[data-testid="signin-email"]`), email),
		chromedp.SendKeys(css(`[data-testid="signin-password"]`), password),
		chromedp.Click(css(`[data-testid="signin-submit"]`)),
		chromedp.WaitVisible(css(`[data-testid="oauth-domain"]`)),
	)
	step("start connecting Sakura with Shopify",
		chromedp.SendKeys(css(`[data-testid="oauth-domain"]`), fakeshopify.SakuraDomain),
		chromedp.Click(css(`[data-testid="oauth-all-orders"]`)),
		chromedp.Click(css(`[data-testid="oauth-submit"]`)),
		chromedp.WaitVisible(css(`[data-testid="fake-oauth-approve"]`)),
	)
	scopes, _ := chromedp.Run(ctx, chromedp.Text(css(`[data-testid="fake-oauth-scopes"]`)))
	if !strings.Contains(scopes, "read_all_orders") || strings.Contains(scopes, "write_") {
		t.Errorf("the grant screen asks for %q", scopes)
	}
	step("install the app",
		chromedp.Click(css(`[data-testid="fake-oauth-approve"]`)),
		chromedp.WaitVisible(css(`[data-testid="store-row"][data-store="`+fakeshopify.SakuraDomain+`"]`)),
	)
	row := `[data-store="` + fakeshopify.SakuraDomain + `"] `
	kind, _ := chromedp.Run(ctx, chromedp.Text(css(row+`[data-testid="store-token-kind"]`)))
	status, _ := chromedp.Run(ctx, chromedp.Text(css(row+`[data-testid="store-status"]`)))
	if !strings.Contains(kind, "OAuth") || strings.TrimSpace(status) != "Healthy" {
		t.Errorf("connected store: kind %q, status %q", kind, status)
	}
	console.NoErrors(t)
}

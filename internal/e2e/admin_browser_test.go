package e2e

import (
	"context"
	"io"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"shopcard/config"
	"shopcard/domain"
	"shopcard/fakeshopify"
	"shopcard/internal/app"
	"shopcard/internal/browsertest"
	"shopcard/logging"
)

// consoleStack is shopcard with its admin console and OAuth, served at a
// URL known in advance (its SHOPCARD_PUBLIC_URL, where webhooks go),
// against the fake Shopify, with one workspace and its admin.
type consoleStack struct {
	fake *fakeshopify.Server
	app  *app.App
	base string
}

func startConsoleStack(t *testing.T) *consoleStack {
	t.Helper()
	fake := fakeshopify.NewSeeded(nil)
	fakeSrv := httptest.NewServer(fake)
	t.Cleanup(fakeSrv.Close)
	srv := httptest.NewUnstartedServer(nil)
	public := "http://" + srv.Listener.Addr().String()
	db := filepath.Join(t.TempDir(), "console.db")
	getenv := testGetenv(map[string]string{
		"SHOPCARD_SHOPIFY_URL":           fakeSrv.URL + fakeshopify.ShopURLTemplate,
		"SHOPCARD_SHOPIFY_CLIENT_ID":     fakeshopify.AppClientID,
		"SHOPCARD_SHOPIFY_CLIENT_SECRET": fakeshopify.AppClientSecret,
		"SHOPCARD_PUBLIC_URL":            public,
		"SHOPCARD_LOG_LEVEL":             "warn",
	})
	if out, err := runCLI(t, getenv, "", "workspace", "create", stackWorkspace, "--db", db); err != nil {
		t.Fatalf("workspace create: %v\n%s", err, out)
	}
	if out, err := runCLI(t, getenv, stackAdminPassword, "admin", "create", "--workspace", stackWorkspace, "--email", stackAdminEmail, "--db", db); err != nil {
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
	t.Cleanup(a.Close)
	srv.Config.Handler = a.HTTP
	srv.Start()
	t.Cleanup(srv.Close)
	return &consoleStack{fake: fake, app: a, base: public}
}

// signIn signs the admin in, in the tab.
func (s *consoleStack) signIn(t *testing.T, ctx context.Context) {
	t.Helper()
	step(t, ctx, "sign in",
		chromedp.Navigate(s.base+"/admin/signin"),
		chromedp.SendKeys(chromedp.CSS(`[data-testid="signin-email"]`), stackAdminEmail),
		chromedp.SendKeys(chromedp.CSS(`[data-testid="signin-password"]`), stackAdminPassword),
		chromedp.Click(chromedp.CSS(`[data-testid="signin-submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="connect-devdash-card"]`)),
	)
}

// TestBrowserDevDashboardConnect connects a store with a Dev Dashboard app
// in Chromium, at a rep's laptop width and at 360 px: the form comes
// first; a bare handle gets its domain suggested, filled in with one click
// without losing the client ID; the connection shows as a Dev Dashboard
// app renewed automatically, and the OAuth checkbox's words stay one
// column.
func TestBrowserDevDashboardConnect(t *testing.T) {
	t.Parallel()
	ctx := browsertest.Start(t, 2*time.Minute)
	s := startConsoleStack(t)
	console := browsertest.WatchConsole(ctx)
	css := func(sel string) chromedp.CSS { return chromedp.CSS(sel) }

	step(t, ctx, "a phone-sized window", chromedp.EmulateViewport(360, 800))
	s.signIn(t, ctx)
	first, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('section[data-testid^="connect-"]').dataset.testid`))
	if err != nil || first != "connect-devdash-card" {
		t.Errorf("the first way to connect is %q (%v)", first, err)
	}
	// The checkbox's words are one flex item as wide as the label allows,
	// not columns of a word or two.
	widths, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`(() => {
		const label = document.querySelector('[data-testid="oauth-all-orders-label"]');
		const box = label.querySelector('input').getBoundingClientRect();
		const words = label.querySelector('span').getBoundingClientRect();
		return [label.getBoundingClientRect().width, box.width, words.width, label.querySelectorAll(':scope > *').length];
	})()`))
	if err != nil || len(widths) != 4 || widths[3] != 2 || widths[2] < widths[0]-widths[1]-16 {
		t.Errorf("at 360 px the OAuth label is %v wide with its checkbox %v and its words %v, in %v items (%v)", widths[0], widths[1], widths[2], widths[3], err)
	}

	step(t, ctx, "type a bare handle with the app's credentials",
		chromedp.SendKeys(css(`[data-testid="devdash-domain"]`), "sakura-stationery"),
		chromedp.SendKeys(css(`[data-testid="devdash-client-id"]`), fakeshopify.DevAppClientID),
		chromedp.SendKeys(css(`[data-testid="devdash-client-secret"]`), fakeshopify.DevAppClientSecret),
		chromedp.Click(css(`[data-testid="devdash-submit"]`)),
		chromedp.WaitVisible(css(`[data-testid="devdash-suggestion"]`)),
	)
	msg, _ := chromedp.Run(ctx, chromedp.Text(css(`[data-testid="devdash-error"]`)))
	if !strings.Contains(msg, "Did you mean sakura-stationery.myshopify.com?") {
		t.Errorf("error %q", msg)
	}
	before, _ := chromedp.Run(ctx, chromedp.Location())
	step(t, ctx, "use the suggestion", chromedp.Click(css(`[data-testid="devdash-suggestion"]`)))
	filled, _ := chromedp.Run(ctx, chromedp.Value(css(`[data-testid="devdash-domain"]`)))
	clientID, _ := chromedp.Run(ctx, chromedp.Value(css(`[data-testid="devdash-client-id"]`)))
	after, _ := chromedp.Run(ctx, chromedp.Location())
	if filled != fakeshopify.SakuraDomain || clientID != fakeshopify.DevAppClientID || after != before {
		t.Fatalf("after one click: domain %q, client ID %q, page %q (was %q)", filled, clientID, after, before)
	}
	focused, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement.dataset.testid || ""`))
	if focused != "devdash-client-secret" {
		t.Errorf("focus moved to %q, want the emptied secret field", focused)
	}
	row := `[data-testid="store-row"][data-store="` + fakeshopify.SakuraDomain + `"] `
	step(t, ctx, "enter the secret again and connect",
		chromedp.SendKeys(css(`[data-testid="devdash-client-secret"]`), fakeshopify.DevAppClientSecret),
		chromedp.Click(css(`[data-testid="devdash-submit"]`)),
		chromedp.WaitVisible(css(row+`[data-testid="store-token-kind"]`)),
	)
	kind, _ := chromedp.Run(ctx, chromedp.Text(css(row+`[data-testid="store-token-kind"]`)))
	status, _ := chromedp.Run(ctx, chromedp.Text(css(row+`[data-testid="store-status"]`)))
	notice, _ := chromedp.Run(ctx, chromedp.Text(css(`[data-testid="notice"]`)))
	if !strings.Contains(kind, "Dev Dashboard app, renewed automatically") || strings.TrimSpace(status) != "Healthy" ||
		!strings.Contains(notice, "Connected さくら文具 Sakura Stationery") {
		t.Errorf("connected: kind %q, status %q, notice %q", kind, status, notice)
	}
	ws, _ := s.app.DB.WorkspaceByName(context.Background(), stackWorkspace)
	saved, err := s.app.DB.StoreByDomain(context.Background(), ws.ID, fakeshopify.SakuraDomain)
	if err != nil || saved.TokenKind != domain.TokenClientCredentials || saved.ClientSecret.Reveal() != fakeshopify.DevAppClientSecret {
		t.Errorf("saved %q, %v", saved.TokenKind, err)
	}
	if g, _ := s.fake.Grants(fakeshopify.SakuraDomain); g.ClientCredentials != 1 {
		t.Errorf("%d grants", g.ClientCredentials)
	}
	html, _ := chromedp.Run(ctx, chromedp.OuterHTML(css("html")))
	if strings.Contains(html, fakeshopify.DevAppClientSecret) {
		t.Error("the page holds the client secret")
	}
	// The refused form answered 400, as it should; nothing else may fail.
	for _, e := range console.Errors() {
		if !(strings.Contains(e, "status of 400") && strings.HasSuffix(e, "/admin/stores/dev-dashboard)")) {
			t.Errorf("browser console: %s", e)
		}
	}
}

// TestBrowserEmbedSecretRotation rotates the embed secret in Chromium:
// without a grace period it asks first on a page of its own, Cancel keeps
// the secret, confirming shows the new one on the secret's GET page, which
// a reload does not rotate again, and the copy button copies it.
func TestBrowserEmbedSecretRotation(t *testing.T) {
	t.Parallel()
	ctx := browsertest.Start(t, 2*time.Minute)
	s := startConsoleStack(t)
	console := browsertest.WatchConsole(ctx)
	css := func(sel string) chromedp.CSS { return chromedp.CSS(sel) }
	// The clipboard of a headless browser is not the test's to read:
	// record what the page asks to copy instead.
	step(t, ctx, "record copies", runAtDocumentStart(`Object.defineProperty(navigator, "clipboard", {value: {writeText: (text) => { window.__copied = text; return Promise.resolve(); }}});`))
	secret := func() string {
		t.Helper()
		ws, err := s.app.DB.WorkspaceByName(context.Background(), stackWorkspace)
		if err != nil {
			t.Fatal(err)
		}
		return ws.EmbedSecret.Reveal()
	}
	original := secret()
	s.signIn(t, ctx)

	step(t, ctx, "ask for a new secret with no grace period",
		chromedp.Navigate(s.base+"/admin/embed"),
		chromedp.SetValue(css(`[data-testid="secret-grace-select"]`), "0"),
		chromedp.Click(css(`[data-testid="secret-rotate"]`)),
		chromedp.WaitVisible(css(`[data-testid="rotate-confirm-submit"]`)),
	)
	if loc, _ := chromedp.Run(ctx, chromedp.Location()); !strings.Contains(loc, "/admin/embed/secret/rotate") || secret() != original {
		t.Fatalf("the confirmation is at %q, and the secret changed: %v", loc, secret() != original)
	}
	step(t, ctx, "cancel", chromedp.Click(css(`[data-testid="rotate-cancel"]`)), chromedp.WaitVisible(css(`[data-testid="secret-reveal"]`)))
	if secret() != original {
		t.Fatal("cancelling rotated the secret")
	}

	step(t, ctx, "rotate and confirm",
		chromedp.SetValue(css(`[data-testid="secret-grace-select"]`), "0"),
		chromedp.Click(css(`[data-testid="secret-rotate"]`)),
		chromedp.WaitVisible(css(`[data-testid="rotate-confirm-submit"]`)),
		chromedp.Click(css(`[data-testid="rotate-confirm-submit"]`)),
		chromedp.WaitVisible(css(`[data-testid="secret-value"]`)),
	)
	rotated := secret()
	shown, _ := chromedp.Run(ctx, chromedp.Value(css(`[data-testid="secret-value"]`)))
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	notice, _ := chromedp.Run(ctx, chromedp.Text(css(`[data-testid="notice"]`)))
	if rotated == original || shown != rotated || !strings.HasSuffix(loc, "/admin/embed/secret") || !strings.Contains(notice, "no longer verifies") {
		t.Fatalf("after confirming: rotated %v, shown the stored one %v, at %q, notice %q", rotated != original, shown == rotated, loc, notice)
	}
	step(t, ctx, "reload the secret's page", chromedp.Reload(), chromedp.WaitVisible(css(`[data-testid="secret-value"]`)))
	if secret() != rotated {
		t.Fatal("reloading the page rotated the secret again")
	}

	step(t, ctx, "copy the secret", chromedp.WaitVisible(css(`[data-testid="copy-secret"]`)), chromedp.Click(css(`[data-testid="copy-secret"]`)))
	copied, err := chromedp.Run(ctx, chromedp.Poll[string](`window.__copied`))
	if err != nil || copied != rotated {
		t.Errorf("the copy button copied %d characters (%v), not the secret", len(copied), err)
	}
	label, _ := chromedp.Run(ctx, chromedp.Text(css(`[data-testid="copy-secret"]`)))
	if label != "Copied" {
		t.Errorf("the copy button says %q", label)
	}
	step(t, ctx, "copy the Go snippet", chromedp.Click(css(`[data-testid="copy-snippet"]`)))
	snippet, err := chromedp.Run(ctx, chromedp.Poll[string](`window.__copied && window.__copied.startsWith("package inbox") ? window.__copied : null`))
	if err != nil || !strings.Contains(snippet, `"github.com/golang-jwt/jwt/v5"`) || !strings.Contains(snippet, `"workspace": "`+stackWorkspace+`"`) {
		t.Errorf("the Go snippet's copy: %.80q (%v)", snippet, err)
	}
	console.NoErrors(t)
}

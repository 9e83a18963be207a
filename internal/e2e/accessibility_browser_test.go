package e2e

import (
	"bufio"
	"context"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"shopcard/internal/cli"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"shopcard/fakeshopify"
	"shopcard/internal/browsertest"
)

// openAllOrders expands every order, so axe-core checks what a rep sees
// after opening them too.
var openAllOrders = chromedp.Evaluate[chromedp.Void](`document.querySelectorAll("details").forEach((d) => { d.open = true })`)

// TestBrowserAccessibility runs axe-core on the sidebar, the component
// gallery and the admin pages, in light and dark: no violation of serious or
// critical impact is allowed. Each pass has its own browser and stack, and
// each of its pieces (a theme, the demo inbox, a failing store) its own
// tab, side by side: they are the package's longest tests, and in one
// chain the gallery's alone held the package for over half a minute.
func TestBrowserAccessibility(t *testing.T) {
	t.Parallel()
	for _, pass := range []struct {
		name   string
		pieces func(t *testing.T, browser context.Context) []accessibilityPiece
	}{
		{"sidebar", sidebarPieces},
		{"admin", adminPieces},
		{"gallery", galleryPieces},
	} {
		t.Run(pass.name, func(t *testing.T) {
			t.Parallel()
			for _, piece := range pass.pieces(t, startAccessibility(t)) {
				t.Run(piece.name, func(t *testing.T) {
					t.Parallel()
					piece.check(t)
				})
			}
		})
	}
}

// accessibilityPiece is one part of an accessibility pass, checked in
// tabs of its own beside the pass's other pieces.
type accessibilityPiece struct {
	name  string
	check func(t *testing.T)
}

// sidebarPieces: the sidebar in each theme, and with a failing store on a
// stack of its own (the fault would reach the other pieces' sidebars).
func sidebarPieces(t *testing.T, browser context.Context) []accessibilityPiece {
	s := startSidebarStack(t)
	return []accessibilityPiece{
		{"light", func(t *testing.T) { accessibilitySidebar(t, browser, s, "light") }},
		{"dark", func(t *testing.T) { accessibilitySidebar(t, browser, s, "dark") }},
		{"failing store", func(t *testing.T) { accessibilityFailingStore(t, browser, startSidebarStack(t)) }},
	}
}

// adminPieces: the console in each color scheme, on one stack.
func adminPieces(t *testing.T, browser context.Context) []accessibilityPiece {
	s := startSidebarStack(t)
	return []accessibilityPiece{
		{"light", func(t *testing.T) { accessibilityAdmin(t, browser, s, "light") }},
		{"dark", func(t *testing.T) { accessibilityAdmin(t, browser, s, "dark") }},
	}
}

// galleryPieces: every state in the component gallery in each theme, and
// the demo inbox.
func galleryPieces(t *testing.T, browser context.Context) []accessibilityPiece {
	demo := startDemo(t)
	gallery := func(theme string) func(t *testing.T) {
		return func(t *testing.T) {
			ctx := newTab(t, browser)
			step(t, ctx, "open the gallery", chromedp.Navigate(demo+"/dev/components?theme="+theme),
				chromedp.WaitVisible(css(`[data-testid="gallery-toc"]`)), openAllOrders)
			checkAccessibility(t, ctx, "gallery, "+theme)
		}
	}
	return []accessibilityPiece{
		{"light", gallery("light")},
		{"dark", gallery("dark")},
		{"demo inbox", func(t *testing.T) {
			ctx := newTab(t, browser)
			step(t, ctx, "open the demo inbox", chromedp.Navigate(demo+"/demo?contact=0"), chromedp.WaitVisible(css(`[data-testid="sidebar-frame"]`)))
			checkAccessibility(t, ctx, "demo inbox")
		}},
	}
}

// css selects by a CSS selector.
func css(sel string) chromedp.CSS { return chromedp.CSS(sel) }

// startAccessibility starts a browser for an accessibility test, once
// axe-core is known to be installed.
func startAccessibility(t *testing.T) context.Context {
	t.Helper()
	axeScript(t)
	return browsertest.Start(t, 4*time.Minute)
}

// accessibilitySidebar checks the sidebar at a rep's width for three
// contacts (one right-to-left, one unknown) in one theme.
func accessibilitySidebar(t *testing.T, browser context.Context, s *sidebarStack, theme string) {
	contacts := []struct{ name, email string }{
		{"Maya Chen", fakeshopify.EmailShowcase},
		{"ليلى حداد", fakeshopify.EmailRightToLeft},
		{"", fakeshopify.EmailNoMatch},
	}
	for _, c := range contacts {
		ctx := newTab(t, browser)
		step(t, ctx, "open the sidebar at a rep's width",
			chromedp.EmulateViewport(360, 800),
			chromedp.Navigate(s.sidebarURL(t, c.email, c.name, theme)),
			sectionsLoaded(), openAllOrders)
		checkAccessibility(t, ctx, "sidebar for "+c.email+", "+theme)
	}
}

// accessibilityFailingStore checks a sidebar with a store that fails, and
// its retry control, in both themes.
func accessibilityFailingStore(t *testing.T, browser context.Context, s *sidebarStack) {
	if err := s.fake.SetFaults(fakeshopify.NordicDomain, fakeshopify.Faults{Status: 503}); err != nil {
		t.Fatal(err)
	}
	for _, theme := range []string{"light", "dark"} {
		ctx := newTab(t, browser)
		step(t, ctx, "open a sidebar with a failing store", chromedp.EmulateViewport(360, 800),
			chromedp.Navigate(s.sidebarURL(t, fakeshopify.EmailOneOrder, "Priya Natarajan", theme)), sectionsLoaded())
		checkAccessibility(t, ctx, "sidebar with a failing store, "+theme)
	}
}

// accessibilityAdmin checks the admin console's pages in one color
// scheme, signed out and in, with forms unfolded, refused and confirmed.
func accessibilityAdmin(t *testing.T, browser context.Context, s *sidebarStack, scheme string) {
	// A browser context of its own: no session cookie from the
	// other scheme's piece.
	ctx := newTab(t, browser, chromedp.WithNewBrowserContext())
	step(t, ctx, "open the sign-in page", emulateColorScheme(scheme), chromedp.Navigate(s.base+"/admin/signin"),
		chromedp.WaitVisible(css(`[data-testid="signin-email"]`)))
	checkAccessibility(t, ctx, "admin sign-in, "+scheme)
	step(t, ctx, "sign in",
		chromedp.SendKeys(css(`[data-testid="signin-email"]`), stackAdminEmail),
		chromedp.SendKeys(css(`[data-testid="signin-password"]`), stackAdminPassword),
		chromedp.Click(css(`[data-testid="signin-submit"]`)),
		chromedp.WaitVisible(css(`[data-testid="store-row"]`)))
	checkAccessibility(t, ctx, "admin stores, "+scheme)

	disconnect, err := chromedp.Run(ctx, chromedp.AttributeValue(css(`[data-testid="store-disconnect"]`), "href"))
	if err != nil || !disconnect.Exists {
		t.Fatalf("no disconnect link: %v", err)
	}
	pages := []struct{ name, path, ready string }{
		{"disconnect confirmation", disconnect.Value, `[data-testid="disconnect-submit"]`},
		{"embed", "/admin/embed", `[data-testid="secret-reveal"]`},
		{"embed secret", "/admin/embed/secret", `[data-testid="secret-value"]`},
		{"rotation confirmation", "/admin/embed/secret/rotate", `[data-testid="rotate-confirm-submit"]`},
		{"troubleshoot", "/admin/troubleshoot?" + url.Values{"email": {fakeshopify.EmailShowcase}}.Encode(), `[data-testid="troubleshoot-result"]`},
	}
	for _, p := range pages {
		step(t, ctx, "open "+p.name, chromedp.Navigate(s.base+p.path), chromedp.WaitVisible(css(p.ready)))
		checkAccessibility(t, ctx, "admin "+p.name+", "+scheme)
	}
	// The Inboxes page: every add form unfolded, an installation with
	// Zendesk's package and key form, a refused form with its
	// message, and a removal's confirmation.
	step(t, ctx, "open inboxes", chromedp.Navigate(s.base+"/admin/inboxes"),
		chromedp.WaitVisible(css(`[data-testid="inbox-add"]`)), openAllOrders)
	checkAccessibility(t, ctx, "admin inboxes, "+scheme)
	zendesk := `[data-testid="inbox-add-form"][data-kind="zendesk"] `
	step(t, ctx, "add a Zendesk installation",
		chromedp.SendKeys(css(zendesk+`[data-testid="inbox-field-url"]`), "https://acme.zendesk.com"),
		chromedp.SendKeys(css(zendesk+`[data-testid="inbox-field-email"]`), "ada@acme.example"),
		chromedp.SendKeys(css(zendesk+`[data-testid="inbox-field-api_token"]`), "a-zendesk-api-token"),
		chromedp.Click(css(zendesk+`[data-testid="inbox-add-submit"]`)),
		chromedp.WaitVisible(css(`[data-testid="notice"]`)))
	checkAccessibility(t, ctx, "admin inboxes with an installation, "+scheme)
	chatwoot := `[data-testid="inbox-add-form"][data-kind="chatwoot"] `
	step(t, ctx, "add a Chatwoot installation over http",
		chromedp.Click(css(chatwoot+`[data-testid="inbox-add-open"]`)),
		chromedp.SendKeys(css(chatwoot+`[data-testid="inbox-field-url"]`), "http://chat.acme.example"),
		chromedp.SendKeys(css(chatwoot+`[data-testid="inbox-field-account"]`), "1"),
		chromedp.SendKeys(css(chatwoot+`[data-testid="inbox-field-api_token"]`), "a-chatwoot-token"),
		chromedp.Click(css(chatwoot+`[data-testid="inbox-add-submit"]`)),
		chromedp.WaitVisible(css(`[data-testid="inbox-add-error"]`)))
	checkAccessibility(t, ctx, "admin inboxes with a refused form, "+scheme)
	remove, err := chromedp.Run(ctx, chromedp.AttributeValue(css(`[data-testid="inbox-remove"]`), "href"))
	if err != nil || !remove.Exists {
		t.Fatalf("no remove link: %v", err)
	}
	step(t, ctx, "open a removal's confirmation", chromedp.Navigate(s.base+remove.Value),
		chromedp.WaitVisible(css(`[data-testid="inbox-remove-submit"]`)))
	checkAccessibility(t, ctx, "admin inbox removal, "+scheme)
	step(t, ctx, "preview the sidebar",
		chromedp.Navigate(s.base+"/admin/embed"),
		chromedp.SendKeys(css(`[data-testid="preview-email"]`), fakeshopify.EmailShowcase),
		chromedp.Click(css(`[data-testid="preview-submit"]`)),
		chromedp.WaitVisible(css(`[data-testid="preview-frame"]`)))
	checkAccessibility(t, ctx, "admin preview, "+scheme)
}

// TestBrowserScreenshots photographs the demo sidebar for Maya Chen at a
// rep's width (360 px), light and dark. With SHOPCARD_UPDATE_SCREENSHOTS
// set, it writes them to docs/ (the README shows one); otherwise it only
// checks that they can be taken.
func TestBrowserScreenshots(t *testing.T) {
	t.Parallel()
	browser := browsertest.Start(t, 2*time.Minute)
	demo := startDemo(t)
	update := os.Getenv("SHOPCARD_UPDATE_SCREENSHOTS") != ""
	for _, theme := range []string{"light", "dark"} {
		ctx := newTab(t, browser)
		step(t, ctx, "open Maya in the demo inbox", chromedp.Navigate(demo+"/demo?contact=0"),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid="sidebar-frame"]`)))
		src, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS(`[data-testid="sidebar-frame"]`), "src"))
		if err != nil || !src.Exists {
			t.Fatalf("the demo's sidebar frame: %v", err)
		}
		step(t, ctx, "open the sidebar at 360 px", emulateColorScheme("light"),
			chromedp.EmulateViewport(360, 800, chromedp.EmulateScale(2)),
			chromedp.Navigate(demo+src.Value+"&theme="+theme), sectionsLoaded())
		png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatal(err)
		}
		if len(png) < 1000 {
			t.Fatalf("a %d-byte screenshot", len(png))
		}
		if update {
			path := filepath.Join("..", "..", "docs", "sidebar-"+theme+".png")
			if err := os.WriteFile(path, png, 0o644); err != nil {
				t.Fatal(err)
			}
			t.Logf("wrote %s", path)
		}
	}
}

// startDemo runs `shopcard demo` through run() on a free port, with extra
// flags, and returns its URL once it serves.
func startDemo(tb testing.TB, flags ...string) string {
	tb.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	args := append([]string{"shopcard", "demo", "--addr", "127.0.0.1:0"}, flags...)
	go func() {
		done <- cli.Run(ctx, args, testGetenv(map[string]string{"SHOPCARD_LOG_LEVEL": "warn"}), strings.NewReader(""), pw, io.Discard)
		pw.Close()
	}()
	tb.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			tb.Error("the demo did not stop")
		}
	})
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			if m := regexp.MustCompile(`Open (http://\S+)/demo`).FindStringSubmatch(sc.Text()); m != nil {
				urls <- m[1]
			}
		}
	}()
	select {
	case u := <-urls:
		return u
	case err := <-done:
		tb.Fatalf("the demo exited: %v", err)
	case <-time.After(30 * time.Second):
		tb.Fatal("the demo did not start")
	}
	return ""
}

package e2e

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"shopcard/domain"
	"shopcard/fakeshopify"
	"shopcard/internal/browsertest"
)

// sectionWatcher runs in every sidebar document from its first byte. It
// reports each store section the moment its data replaces its skeleton
// (performance.now() in the frame, how many skeletons were still showing,
// and where the first section's top edge was), and every focus change, to
// Go functions the test exposes.
const sectionWatcher = `(() => {
  if (!location.pathname.startsWith("/sidebar")) return;
  const seen = new Set();
  const record = () => {
    for (const sec of document.querySelectorAll('[data-testid="store-section"]')) {
      const body = sec.querySelector('[data-testid="section-body"]');
      const state = body ? body.getAttribute("data-state") : "";
      if (!state || state === "loading" || seen.has(sec.dataset.store)) continue;
      seen.add(sec.dataset.store);
      const first = document.querySelector('[data-testid="store-section"]');
      window.shopcardArrived({
        store: sec.dataset.store, state: state, at: performance.now(),
        stillLoading: document.querySelectorAll('[data-testid="section-body"][data-state="loading"]').length,
        firstTop: first.getBoundingClientRect().top,
      });
    }
  };
  new MutationObserver(record).observe(document, {childList: true, subtree: true});
  document.addEventListener("focusin", (e) => {
    const el = e.target;
    window.shopcardFocused(el.getAttribute("data-testid") || el.tagName.toLowerCase());
  });
})();`

// arrival is one section's data arriving in the browser.
type arrival struct {
	Store        string  `json:"store"`
	State        string  `json:"state"`
	At           float64 `json:"at"`
	StillLoading int     `json:"stillLoading"`
	FirstTop     float64 `json:"firstTop"`
}

// watchedTab opens a tab whose sidebar documents report section arrivals
// and focus changes.
func watchedTab(tb testing.TB, browser context.Context) (context.Context, <-chan arrival, func() []string) {
	tb.Helper()
	ctx := newTab(tb, browser)
	arrivals := make(chan arrival, 16)
	var mu sync.Mutex
	var focused []string
	step(tb, ctx, "watch the sidebar",
		chromedp.ExposeFunc("shopcardArrived", func(_ context.Context, a arrival) (chromedp.Void, error) {
			arrivals <- a
			return chromedp.Void{}, nil
		}),
		chromedp.ExposeFunc("shopcardFocused", func(_ context.Context, what string) (chromedp.Void, error) {
			mu.Lock()
			focused = append(focused, what)
			mu.Unlock()
			return chromedp.Void{}, nil
		}),
		runAtDocumentStart(sectionWatcher),
	)
	return ctx, arrivals, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(focused)
	}
}

// TestBrowserSidebarInAnInbox drives the sidebar the way a rep meets it:
// in an iframe of an inbox page served from another origin (another port),
// which the workspace allows to frame it.
func TestBrowserSidebarInAnInbox(t *testing.T) {
	t.Parallel()
	browser := browsertest.Start(t, 4*time.Minute)
	s := startSidebarStack(t)
	maya, ok := s.fake.CustomerByEmail(fakeshopify.AcmeDomain, fakeshopify.EmailShowcase)
	if !ok {
		t.Fatal("the fake has no Maya")
	}
	css := func(sel string) chromedp.CSS { return chromedp.CSS(sel) }

	t.Run("every store's section appears, and a slow store doesn't hold the others back", func(t *testing.T) {
		// The slow store is the first section on the page, so a sidebar
		// that loaded its stores one after another would show it first.
		if err := s.fake.SetFaults(fakeshopify.AcmeDomain, fakeshopify.Faults{Latency: 3 * time.Second}); err != nil {
			t.Fatal(err)
		}
		defer s.fake.SetFaults(fakeshopify.AcmeDomain, fakeshopify.Faults{})
		ctx, arrivals, _ := watchedTab(t, browser)
		console := browsertest.WatchConsole(ctx)
		step(t, ctx, "open the inbox", chromedp.Navigate(inboxURL(s.allowed, s.sidebarURL(t, fakeshopify.EmailShowcase, "Maya Chen", ""))))

		got := map[string]arrival{}
		var order []string
		for len(got) < 3 {
			select {
			case a := <-arrivals:
				got[a.Store] = a
				order = append(order, a.Store)
			case <-ctx.Done():
				t.Fatalf("sections that arrived: %v (%v)", order, ctx.Err())
			}
		}
		frame := frameNode(t, ctx)
		stores, err := chromedp.Run(ctx, chromedp.AttributesAll(chromedp.CSSAll(`[data-testid="store-section"]`), chromedp.FromNode(frame)))
		if err != nil {
			t.Fatal(err)
		}
		var onPage []string
		for _, a := range stores {
			onPage = append(onPage, a["data-store"])
		}
		if want := []string{fakeshopify.AcmeDomain, fakeshopify.NordicDomain, fakeshopify.SakuraDomain}; !slices.Equal(onPage, want) {
			t.Fatalf("sections on the page: %v, want %v", onPage, want)
		}
		wantState := map[string]string{fakeshopify.AcmeDomain: "loaded", fakeshopify.NordicDomain: "loaded", fakeshopify.SakuraDomain: "no-match"}
		for store, want := range wantState {
			if got[store].State != want {
				t.Errorf("%s arrived as %q, want %q", store, got[store].State, want)
			}
		}
		slow := got[fakeshopify.AcmeDomain]
		for _, fast := range []string{fakeshopify.NordicDomain, fakeshopify.SakuraDomain} {
			if !(got[fast].At < slow.At) {
				t.Errorf("%s arrived at %.0f ms, not before the slow store (%.0f ms)", fast, got[fast].At, slow.At)
			}
			if got[fast].StillLoading < 1 {
				t.Errorf("when %s arrived, no section was still loading: the slow store had held it back", fast)
			}
			// The slow store's skeleton above keeps its place: what
			// arrives below doesn't move it.
			if got[fast].FirstTop != slow.FirstTop {
				t.Errorf("the first section moved from %.1f to %.1f px while others loaded", got[fast].FirstTop, slow.FirstTop)
			}
		}
		t.Logf("arrivals in the browser: %v; %s %.0f ms, %s %.0f ms, %s %.0f ms", order,
			fakeshopify.NordicDomain, got[fakeshopify.NordicDomain].At, fakeshopify.SakuraDomain, got[fakeshopify.SakuraDomain].At, fakeshopify.AcmeDomain, slow.At)
		console.NoErrors(t)
	})

	t.Run("an order expands from the keyboard, with a visible focus and a logical tab order", func(t *testing.T) {
		ctx, _, focused := watchedTab(t, browser)
		console := browsertest.WatchConsole(ctx)
		step(t, ctx, "open the inbox", chromedp.Navigate(inboxURL(s.allowed, s.sidebarURL(t, fakeshopify.EmailShowcase, "Maya Chen", ""))))
		frame := frameNode(t, ctx)
		in := chromedp.FromNode(frame)
		acme := `[data-store="` + fakeshopify.AcmeDomain + `"] `
		step(t, ctx, "wait for Maya's orders", chromedp.WaitVisible(css(acme+`[data-testid="order-summary"]`), in))

		// From the store's own link, Tab walks down the section in reading
		// order: the customer (their phone, then their page in Shopify),
		// then each order.
		step(t, ctx, "focus the store's Admin link", chromedp.Focus(css(acme+`[data-testid="store-admin-link"]`), in))
		for range 4 {
			step(t, ctx, "press Tab", chromedp.KeyEvent("\t"))
		}
		step(t, ctx, "let the focus events arrive", chromedp.Evaluate[chromedp.Void](`0`))
		deadline := time.Now().Add(5 * time.Second)
		for len(focused()) < 5 && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		if got, want := focused(), []string{"store-admin-link", "customer-phone", "customer-admin-link", "order-summary", "order-summary"}; !slices.Equal(got, want) {
			t.Errorf("tab order %v, want %v", got, want)
		}

		firstOrder := acme + `[data-testid="order"]`
		step(t, ctx, "focus the first order", chromedp.Focus(css(acme+`[data-testid="order-summary"]`), in))
		open, err := chromedp.Run(ctx, chromedp.JavascriptAttribute[bool](css(firstOrder), "open", in))
		if err != nil || open {
			t.Fatalf("the order starts open=%v (%v), want closed", open, err)
		}
		step(t, ctx, "press Enter", chromedp.KeyEvent("\r"))
		open, err = chromedp.Run(ctx, chromedp.JavascriptAttribute[bool](css(firstOrder), "open", in))
		if err != nil || !open {
			t.Fatalf("after Enter the order is open=%v (%v)", open, err)
		}
		step(t, ctx, "see its items", chromedp.WaitVisible(css(firstOrder+` [data-testid="order-item"]`), in))
		style, err := chromedp.Run(ctx, chromedp.ComputedStyle(css(acme+`[data-testid="order-summary"]`), in))
		if err != nil {
			t.Fatal(err)
		}
		outline := map[string]string{}
		for _, p := range style {
			if strings.HasPrefix(p.Name, "outline-") {
				outline[p.Name] = p.Value
			}
		}
		if outline["outline-style"] != "solid" || outline["outline-width"] == "0px" {
			t.Errorf("the focused summary shows no focus outline: %v", outline)
		}
		step(t, ctx, "press Space", chromedp.KeyEvent(" "))
		open, err = chromedp.Run(ctx, chromedp.JavascriptAttribute[bool](css(firstOrder), "open", in))
		if err != nil || open {
			t.Errorf("after Space the order is open=%v (%v), want closed again", open, err)
		}
		console.NoErrors(t)
	})

	t.Run("links to Shopify Admin point at the store, the customer and each order, in a new tab", func(t *testing.T) {
		ctx := newTab(t, browser)
		step(t, ctx, "open the inbox", chromedp.Navigate(inboxURL(s.allowed, s.sidebarURL(t, fakeshopify.EmailShowcase, "Maya Chen", ""))))
		frame := frameNode(t, ctx)
		in := chromedp.FromNode(frame)
		acme := `[data-store="` + fakeshopify.AcmeDomain + `"] `
		step(t, ctx, "wait for Maya's orders", chromedp.WaitVisible(css(acme+`[data-testid="order-summary"]`), in))

		admin := "https://admin.shopify.com/store/" + domain.ShopHandle(fakeshopify.AcmeDomain)
		href := func(sel string) string {
			t.Helper()
			v, err := chromedp.Run(ctx, chromedp.AttributeValue(css(sel), "href", in))
			if err != nil || !v.Exists {
				t.Fatalf("%s has no href: %v", sel, err)
			}
			return v.Value
		}
		if got := href(acme + `[data-testid="store-admin-link"]`); got != admin {
			t.Errorf("store link %q, want %q", got, admin)
		}
		if got, want := href(acme+`[data-testid="customer-admin-link"]`), admin+"/customers/"+strconv.FormatUint(maya.ID, 10); got != want {
			t.Errorf("customer link %q, want %q", got, want)
		}
		orders := s.fake.Orders(fakeshopify.AcmeDomain, maya.ID)
		if len(orders) == 0 {
			t.Fatal("Maya has no orders at Acme")
		}
		for _, o := range orders {
			id := strconv.FormatUint(o.ID, 10)
			if got, want := href(acme+`#order-`+id+` [data-testid="order-admin-link"]`), admin+"/orders/"+id; got != want {
				t.Errorf("order %s links %q, want %q", o.Name, got, want)
			}
		}
		links, err := chromedp.Run(ctx, chromedp.AttributesAll(chromedp.CSSAll(`a[href^="https://"]`), in))
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range links {
			rel := strings.Fields(a["rel"])
			if a["target"] != "_blank" || !slices.Contains(rel, "noopener") || !slices.Contains(rel, "noreferrer") {
				t.Errorf("link %s: target %q, rel %q; want a new tab with noopener noreferrer", a["href"], a["target"], a["rel"])
			}
		}
	})

	t.Run("a tampered token shows the rejection page inside the frame", func(t *testing.T) {
		ctx := newTab(t, browser)
		src := s.sidebarURL(t, fakeshopify.EmailShowcase, "Maya Chen", "")
		// Change the signature's first character: the token still parses
		// and names the workspace, so the page may be framed, but it fails
		// verification.
		i := strings.LastIndex(src, ".") + 1
		flipped := "A"
		if src[i] == 'A' {
			flipped = "B"
		}
		tampered := src[:i] + flipped + src[i+1:]
		step(t, ctx, "open the inbox", chromedp.Navigate(inboxURL(s.allowed, tampered)))
		frame := frameNode(t, ctx)
		step(t, ctx, "see the rejection in the frame", chromedp.WaitVisible(css(`[data-testid="rejection"]`), chromedp.FromNode(frame)))
		title, err := chromedp.Run(ctx, chromedp.Text(css(`[data-testid="rejection-title"]`), chromedp.FromNode(frame)))
		if err != nil || title == "" {
			t.Errorf("rejection title %q, %v", title, err)
		}
		if n, _ := chromedp.Run(ctx, chromedp.Nodes(css(`[data-testid="store-section"]`), chromedp.FromNode(frame), chromedp.AtLeast(0))); len(n) != 0 {
			t.Errorf("a tampered token shows %d store sections", len(n))
		}
	})

	t.Run("a fragment that gets no answer swaps in a note, not an endless skeleton", func(t *testing.T) {
		ctx := newTab(t, browser)
		block := chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			if _, err := cdp.Call(ctx, tg, network.Enable, network.EnableParams{}); err != nil {
				return err
			}
			_, err := cdp.Call(ctx, tg, network.SetBlockedURLs, network.SetBlockedURLsParams{
				URLPatterns: []*network.BlockPattern{{URLPattern: s.base + "/sidebar/stores/*", Block: true}},
			})
			return err
		})
		step(t, ctx, "cut shopcard's fragments off, then open the sidebar", block,
			chromedp.Navigate(s.sidebarURL(t, fakeshopify.EmailShowcase, "Maya Chen", "")))
		step(t, ctx, "wait until no section shows its skeleton", sectionsLoaded())
		n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('[data-testid="section-body"][data-state="error"] [data-testid="section-retry"]').length`))
		if err != nil || n != 3 {
			t.Errorf("sections with the note and a retry: %d, %v", n, err)
		}
		note, _ := chromedp.Run(ctx, chromedp.Text(css(`[data-testid="section-notice"]`)))
		if !strings.Contains(note, "could not be reached") {
			t.Errorf("note %q", note)
		}
	})

	t.Run("an inbox the workspace doesn't allow cannot frame the sidebar", func(t *testing.T) {
		ctx := newTab(t, browser)
		console := browsertest.WatchConsole(ctx)
		src := s.sidebarURL(t, fakeshopify.EmailShowcase, "Maya Chen", "")
		step(t, ctx, "open the other inbox", chromedp.Navigate(inboxURL(s.disallowed, src)))
		var refusal string
		for refusal == "" && ctx.Err() == nil {
			for _, e := range console.Errors() {
				if strings.Contains(e, "frame-ancestors") {
					refusal = e
				}
			}
			time.Sleep(20 * time.Millisecond)
		}
		if refusal == "" {
			t.Fatal("Chromium never refused the frame")
		}
		if !strings.Contains(refusal, s.base) {
			t.Errorf("the refusal doesn't name shopcard: %s", refusal)
		}
		frames := childFrames(t, ctx)
		if len(frames) != 1 {
			t.Fatalf("%d frames under the inbox", len(frames))
		}
		// Chromium swaps in its own error page and names the sidebar as
		// what it could not load.
		if f := frames[0]; strings.HasPrefix(f.URL, s.base) || !strings.HasPrefix(f.UnreachableURL, s.base+"/sidebar?") {
			t.Errorf("the frame holds %q (unreachable %q): the sidebar rendered inside a page it refuses", f.URL, f.UnreachableURL)
		}
	})

	t.Run("dark mode follows the system unless the inbox forces a theme", func(t *testing.T) {
		ctx := newTab(t, browser)
		const light, dark = "rgb(255, 255, 255)", "rgb(15, 23, 42)"
		tests := []struct{ system, theme, want string }{
			{"light", "", light}, {"dark", "", dark}, {"dark", "light", light}, {"light", "dark", dark},
		}
		for _, tt := range tests {
			step(t, ctx, "open the sidebar", emulateColorScheme(tt.system),
				chromedp.Navigate(s.sidebarURL(t, fakeshopify.EmailShowcase, "Maya Chen", tt.theme)),
				chromedp.WaitVisible(css(`[data-testid="contact"]`)))
			bg, err := chromedp.Run(ctx, chromedp.Evaluate[string](`getComputedStyle(document.body).backgroundColor`))
			if err != nil || bg != tt.want {
				t.Errorf("system %s, theme=%q: background %s (%v), want %s", tt.system, tt.theme, bg, err, tt.want)
			}
		}
	})
}

// newTab opens a tab in the test's browser for one subtest, bounded so a
// hang fails that subtest rather than eating the others' time.
func newTab(tb testing.TB, browser context.Context, opts ...chromedp.ContextOption) context.Context {
	tb.Helper()
	bounded, cancelTimeout := context.WithTimeout(browser, time.Minute)
	ctx, cancel := chromedp.NewContext(bounded, opts...)
	tb.Cleanup(func() {
		cancel()
		cancelTimeout()
	})
	return ctx
}

// sectionsLoaded waits until no section shows its skeleton.
func sectionsLoaded() chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		for {
			n, err := chromedp.Evaluate[int](`document.querySelectorAll('[data-testid="section-body"][data-state="loading"]').length`)(ctx, t)
			if err != nil {
				return err
			}
			if n == 0 {
				return nil
			}
			select {
			case <-ctx.Done():
				return fmt.Errorf("sections still loading: %w", ctx.Err())
			case <-time.After(20 * time.Millisecond):
			}
		}
	})
}

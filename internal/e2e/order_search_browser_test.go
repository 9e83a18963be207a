package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"shopcard/fakeshopify"
	"shopcard/internal/browsertest"
)

// TestBrowserOrderSearch is a rep finding an order by number in the
// sidebar, from the keyboard, inside the inbox's frame: Maya writes about
// an order her partner placed for her with his own email, which no
// section shows.
func TestBrowserOrderSearch(t *testing.T) {
	t.Parallel()
	browser := browsertest.Start(t, 3*time.Minute)
	s := startSidebarStack(t)
	css := func(sel string) chromedp.CSS { return chromedp.CSS(sel) }
	ctx := newTab(t, browser)
	console := browsertest.WatchConsole(ctx)
	step(t, ctx, "open the inbox", chromedp.Navigate(inboxURL(s.allowed, s.sidebarURL(t, fakeshopify.EmailShowcase, "Maya Chen", ""))))
	in := chromedp.FromNode(frameNode(t, ctx))
	acme := `[data-store="` + fakeshopify.AcmeDomain + `"] `
	step(t, ctx, "wait for Maya's orders", chromedp.WaitVisible(css(`[data-testid="store-section"]`+acme+`[data-testid="order-summary"]`), in))
	// boxFocused reports whether the box has the focus: the frame is on
	// another origin, so the inbox's script cannot ask it, but the
	// browser matches :focus inside it.
	boxFocused := func() bool {
		t.Helper()
		nodes, err := chromedp.Run(ctx, chromedp.Nodes(css(`#order-search-q:focus`), in, chromedp.AtLeast(0)))
		if err != nil {
			t.Fatal(err)
		}
		return len(nodes) == 1
	}

	// The gift is in no section: no contact's email finds it.
	sections, err := chromedp.Run(ctx, chromedp.Text(css(`[data-testid="store-section"]`+acme+`[data-testid="section-body"]`), in))
	if err != nil || strings.Contains(sections, fakeshopify.OrderGiftForMaya) {
		t.Fatalf("the sections already show %s (%v)", fakeshopify.OrderGiftForMaya, err)
	}

	step(t, ctx, "type the number in the box and press Enter",
		chromedp.Focus(css(`#order-search-q`), in),
		chromedp.KeyEvent(strings.TrimPrefix(fakeshopify.OrderGiftForMaya, "#")),
		chromedp.KeyEvent("\r"),
		chromedp.WaitVisible(css(`[data-testid="order-search-answer"] [data-testid="order"]`), in))
	found, err := chromedp.Run(ctx, chromedp.Text(css(`[data-testid="order-search-answer"]`), in))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{fakeshopify.OrderGiftForMaya, fakeshopify.AcmeDomain, "Placed with " + fakeshopify.EmailGiftGiver} {
		if !strings.Contains(found, want) {
			t.Errorf("the answer lacks %q:\n%s", want, found)
		}
	}
	if !boxFocused() {
		t.Error("the focus left the box")
	}
	live, err := chromedp.Run(ctx, chromedp.AttributeValue(css(`#order-search-results`), "aria-live", in))
	if err != nil || live.Value != "polite" {
		t.Errorf("the answer is not announced: aria-live=%q", live.Value)
	}

	// The found order is the order list's own row: it opens from the
	// keyboard and shows its shipment.
	row := `[data-testid="order-search-answer"] [data-testid="order"]`
	step(t, ctx, "open the order with Enter",
		chromedp.Focus(css(row+` [data-testid="order-summary"]`), in),
		chromedp.KeyEvent("\r"),
		chromedp.WaitVisible(css(row+` [data-testid="shipment"]`), in))
	shipment, _ := chromedp.Run(ctx, chromedp.Text(css(row+` [data-testid="shipment"]`), in))
	if !strings.Contains(shipment, "Delayed") || !strings.Contains(shipment, "UPS") {
		t.Errorf("shipment %q", shipment)
	}

	step(t, ctx, "search for an order that does not exist",
		chromedp.Focus(css(`#order-search-q`), in),
		chromedp.KeyEvent("9"),
		chromedp.KeyEvent("\r"),
		chromedp.WaitVisible(css(`[data-testid="order-search-empty"]`), in))
	empty, _ := chromedp.Run(ctx, chromedp.Text(css(`[data-testid="order-search-empty"]`), in))
	if !strings.Contains(empty, "No order "+fakeshopify.OrderGiftForMaya+"9") {
		t.Errorf("empty state %q", empty)
	}

	step(t, ctx, "Escape clears the answer and the box",
		chromedp.Focus(css(`#order-search-q`), in),
		chromedp.KeyEvent("\u001b"),
		chromedp.WaitNotPresent(css(`[data-testid="order-search-answer"]`), in))
	value, _ := chromedp.Run(ctx, chromedp.Value(css(`#order-search-q`), in))
	if value != "" || !boxFocused() {
		t.Errorf("after Escape: value %q, focus in the box %v", value, boxFocused())
	}

	step(t, ctx, "a number in two stores, then Clear",
		chromedp.KeyEvent(fakeshopify.OrderSharedNumber),
		chromedp.KeyEvent("\r"),
		chromedp.WaitVisible(css(`[data-testid="order-search-store"][data-store="`+fakeshopify.SakuraDomain+`"]`), in),
		chromedp.WaitVisible(css(`[data-testid="order-search-store"][data-store="`+fakeshopify.AcmeDomain+`"]`), in),
		chromedp.Click(css(`[data-testid="order-search-clear"]`), in),
		chromedp.WaitNotPresent(css(`[data-testid="order-search-answer"]`), in))
	if !boxFocused() {
		t.Error("after Clear the focus is not back in the box")
	}
	console.NoErrors(t)

	for _, theme := range []string{"light", "dark"} {
		page := newTab(t, browser)
		step(t, page, "open the sidebar at a rep's width and search, "+theme,
			chromedp.EmulateViewport(360, 800),
			chromedp.Navigate(s.sidebarURL(t, fakeshopify.EmailShowcase, "Maya Chen", theme)),
			chromedp.WaitVisible(css(`#order-search-q`)),
			chromedp.SendKeys(css(`#order-search-q`), fakeshopify.OrderSharedNumber+"\r"),
			chromedp.WaitVisible(css(`[data-testid="order-search-answer"] [data-testid="order"]`)),
			openAllOrders)
		checkAccessibility(t, page, "the sidebar with an order search answer, "+theme)
	}
}

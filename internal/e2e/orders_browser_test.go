package e2e

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"shopcard/fakeshopify"
	"shopcard/internal/browsertest"
)

// layoutWatcher runs in every sidebar document from its first byte. It
// adds up the layout shifts the page did not ask for (CLS, as Chrome
// measures it: PerformanceObserver "layout-shift" entries without recent
// input) while the sections load, and once no section is loading and two
// frames have painted, reports the total and every element whose text is
// cut off: a box narrower than its content with its overflow hidden, or a
// page wider than the frame.
const layoutWatcher = `(() => {
  if (!location.pathname.startsWith("/sidebar")) return;
  let cls = 0, shifts = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (e.hadRecentInput) continue;
      cls += e.value;
      shifts.push(e.value.toFixed(4) + " " + (e.sources || []).map((s) => s.node && s.node.nodeName + "." + (s.node.getAttribute && (s.node.getAttribute("data-testid") || s.node.id))).join(","));
    }
  }).observe({type: "layout-shift", buffered: true});
  const cutOff = () => {
    const out = [];
    for (const el of document.querySelectorAll("body *")) {
      const st = getComputedStyle(el);
      if (st.display === "none" || st.visibility === "hidden" || el.closest("[data-reserve], .sr-only, summary[data-testid=orders-show-more]")) continue;
      if (!el.closest("details:not([open]) > :not(summary)") && (st.overflowX === "hidden" || st.textOverflow === "ellipsis") && el.scrollWidth > el.clientWidth + 1) {
        out.push((el.getAttribute("data-testid") || el.tagName) + ": " + el.textContent.trim().slice(0, 60));
      }
    }
    if (document.documentElement.scrollWidth > document.documentElement.clientWidth) {
      out.push("the page is " + document.documentElement.scrollWidth + " px wide in a " + document.documentElement.clientWidth + " px frame");
    }
    return out;
  };
  let reported = false;
  const check = () => {
    if (reported || document.readyState === "loading") return;
    if (document.querySelector('[data-testid="section-body"][data-state="loading"]')) return;
    reported = true;
    requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(() => {
      window.shopcardLayout({cls: cls, shifts: shifts, cutOff: cutOff(), observed: PerformanceObserver.supportedEntryTypes.includes("layout-shift")});
    }, 300)));
  };
  new MutationObserver(check).observe(document, {childList: true, subtree: true, attributes: true});
  document.addEventListener("DOMContentLoaded", check);
})();`

// layoutReport is what layoutWatcher reports once the sections are in.
type layoutReport struct {
	// Observed says the browser measures layout shifts at all, so that a
	// zero means no shift rather than no measurement.
	Observed bool     `json:"observed"`
	CLS      float64  `json:"cls"`
	Shifts   []string `json:"shifts"`
	CutOff   []string `json:"cutOff"`
}

// layoutTab opens a tab whose sidebar documents report their layout.
func layoutTab(tb testing.TB, browser context.Context) (context.Context, <-chan layoutReport) {
	tb.Helper()
	ctx := newTab(tb, browser)
	reports := make(chan layoutReport, 4)
	step(tb, ctx, "watch the layout",
		chromedp.ExposeFunc("shopcardLayout", func(_ context.Context, r layoutReport) (chromedp.Void, error) {
			reports <- r
			return chromedp.Void{}, nil
		}),
		runAtDocumentStart(layoutWatcher),
	)
	return ctx, reports
}

func nextLayoutReport(tb testing.TB, ctx context.Context, reports <-chan layoutReport) layoutReport {
	tb.Helper()
	select {
	case r := <-reports:
		if !r.Observed {
			tb.Fatal("this browser does not report layout shifts")
		}
		return r
	case <-ctx.Done():
		tb.Fatalf("the sidebar never settled: %v", ctx.Err())
	}
	return layoutReport{}
}

// clsBudget is the most cumulative layout shift the sidebar may cause while
// its sections load: Google's threshold for "good".
const clsBudget = 0.1

// TestBrowserOrders drives orders as a rep meets them: where the parcel is
// without a click, the whole order on the first open, a page that stays put
// while stores load, and nothing cut off at the narrowest sidebar.
func TestBrowserOrders(t *testing.T) {
	t.Parallel()
	browser := browsertest.Start(t, 4*time.Minute)
	s := startSidebarStack(t)
	maya, ok := s.fake.CustomerByEmail(fakeshopify.AcmeDomain, fakeshopify.EmailShowcase)
	if !ok {
		t.Fatal("the fake has no Maya")
	}
	var four fakeshopify.Order
	for _, o := range s.fake.Orders(fakeshopify.AcmeDomain, maya.ID) {
		if len(o.Fulfillments) == 4 {
			four = o
		}
	}
	row := `[data-store="` + fakeshopify.AcmeDomain + `"] #order-` + strconv.FormatUint(four.ID, 10)
	css := func(sel string) chromedp.CSS { return chromedp.CSS(sel) }

	t.Run("a collapsed order says where the newest parcel is, and opening it loads everything", func(t *testing.T) {
		ctx := newTab(t, browser)
		console := browsertest.WatchConsole(ctx)
		step(t, ctx, "open the inbox", chromedp.Navigate(inboxURL(s.allowed, s.sidebarURL(t, fakeshopify.EmailShowcase, "Maya Chen", ""))))
		in := chromedp.FromNode(frameNode(t, ctx))
		step(t, ctx, "see the parcel's status on the collapsed row", chromedp.WaitVisible(css(row+` > summary [data-testid="order-delivery"]`), in))
		open, err := chromedp.Run(ctx, chromedp.JavascriptAttribute[bool](css(row), "open", in))
		if err != nil || open {
			t.Fatalf("the order is open=%v (%v): the status must show collapsed", open, err)
		}
		words, err := chromedp.Run(ctx, chromedp.Text(css(row+` [data-testid="order-delivery"]`), in))
		if err != nil || !strings.HasPrefix(words, "In transit · arrives ") || !strings.HasSuffix(words, "newest of 4 shipments") {
			t.Errorf("delivery words %q (%v)", words, err)
		}
		step(t, ctx, "open the order", chromedp.Click(css(row+` > summary`), in))
		step(t, ctx, "its detail arrives", chromedp.WaitVisible(css(row+` [data-testid="order-detail"][data-variant="detail-loaded"]`), in))
		n, err := chromedp.Run(ctx, chromedp.Nodes(chromedp.CSSAll(row+` [data-testid="shipment"]`), in, chromedp.AtLeast(0)))
		if err != nil || len(n) != 4 {
			t.Errorf("%d shipments in the opened order (%v), want 4", len(n), err)
		}
		tracking, err := chromedp.Run(ctx, chromedp.Nodes(chromedp.CSSAll(row+` [data-testid="tracking"]`), in, chromedp.AtLeast(0)))
		if err != nil || len(tracking) != 8 {
			t.Errorf("%d tracking numbers (%v), want all 8", len(tracking), err)
		}
		admin, err := chromedp.Run(ctx, chromedp.AttributeValue(css(row+` [data-testid="order-admin-link"]`), "href", in))
		if err != nil || !strings.HasSuffix(admin.Value, "/orders/"+strconv.FormatUint(four.ID, 10)) {
			t.Errorf("the opened order links %q (%v)", admin.Value, err)
		}
		console.NoErrors(t)
	})

	t.Run("loading sections shift the layout no more than the budget, cold and warm", func(t *testing.T) {
		// The first store is slow, so the others arrive first and the
		// slow one's content lands above them, the worst order of arrival.
		if err := s.fake.SetFaults(fakeshopify.AcmeDomain, fakeshopify.Faults{Latency: 1500 * time.Millisecond}); err != nil {
			t.Fatal(err)
		}
		defer s.fake.SetFaults(fakeshopify.AcmeDomain, fakeshopify.Faults{})
		ctx, reports := layoutTab(t, browser)
		// A contact whose answers are cached nowhere: typical skeletons.
		src := s.sidebarURL(t, fakeshopify.EmailShowcase, "Maya Chen", "")
		step(t, ctx, "open the inbox", chromedp.Navigate(inboxURL(s.allowed, src)))
		cold := nextLayoutReport(t, ctx, reports)
		t.Logf("cold load: CLS %.4f, shifts %v", cold.CLS, cold.Shifts)
		if cold.CLS > clsBudget {
			t.Errorf("cold load: cumulative layout shift %.4f, budget %.2f (shifts %v)", cold.CLS, clsBudget, cold.Shifts)
		}
		// Reopening the conversation: skeletons sized from the last answers.
		step(t, ctx, "reopen the conversation", chromedp.Navigate(inboxURL(s.allowed, s.sidebarURL(t, fakeshopify.EmailShowcase, "Maya Chen", ""))))
		warm := nextLayoutReport(t, ctx, reports)
		t.Logf("warm load: CLS %.4f, shifts %v", warm.CLS, warm.Shifts)
		if warm.CLS > clsBudget {
			t.Errorf("warm load: cumulative layout shift %.4f, budget %.2f (shifts %v)", warm.CLS, clsBudget, warm.Shifts)
		}
	})

	t.Run("at 320 px nothing a rep needs is cut off", func(t *testing.T) {
		for _, email := range []string{fakeshopify.EmailShowcase, fakeshopify.EmailThousandsOfOrders, fakeshopify.EmailRightToLeft, fakeshopify.EmailHostile} {
			ctx, reports := layoutTab(t, browser)
			step(t, ctx, "open the inbox", chromedp.Navigate(narrowInboxURL(s.allowed, s.sidebarURL(t, email, "Contact", ""), 320)))
			r := nextLayoutReport(t, ctx, reports)
			if len(r.CutOff) > 0 {
				t.Errorf("%s at 320 px: cut off: %v", email, r.CutOff)
			}
		}
		// Opened orders too.
		ctx, reports := layoutTab(t, browser)
		step(t, ctx, "open the inbox", chromedp.Navigate(narrowInboxURL(s.allowed, s.sidebarURL(t, fakeshopify.EmailShowcase, "Maya Chen", ""), 320)))
		nextLayoutReport(t, ctx, reports)
		in := chromedp.FromNode(frameNode(t, ctx))
		step(t, ctx, "open the four-parcel order", chromedp.Click(css(row+` > summary`), in),
			chromedp.WaitVisible(css(row+` [data-testid="order-detail"][data-variant="detail-loaded"]`), in))
		scroll, err := chromedp.Run(ctx, chromedp.JavascriptAttribute[int](css("html"), "scrollWidth", in))
		client, err2 := chromedp.Run(ctx, chromedp.JavascriptAttribute[int](css("html"), "clientWidth", in))
		if err != nil || err2 != nil || client == 0 || scroll > client {
			t.Errorf("the opened order makes the %d px sidebar %d px wide (%v, %v)", client, scroll, err, err2)
		}
	})
}

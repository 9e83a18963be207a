package handlers_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"shopcard/internal/app"
	"shopcard/internal/apptest"
	"shopcard/present"
)

// galleryServer serves the application in one mode.
func galleryServer(tb testing.TB, dev bool, demo *app.Demo) string {
	tb.Helper()
	return apptest.Start(tb, apptest.Options{Dev: dev, Demo: demo, Env: map[string]string{"SHOPCARD_FRAME_ANCESTORS": "'none'"}}).URL
}

func TestGalleryOnlyInDevAndDemoModes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		dev    bool
		demo   *app.Demo
		status int
	}{
		{"serve", false, nil, http.StatusNotFound},
		{"dev", true, nil, http.StatusOK},
		{"demo", false, &app.Demo{Workspace: "demo"}, http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			resp, err := http.Get(galleryServer(t, tt.dev, tt.demo) + "/dev/components")
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.status {
				t.Errorf("GET /dev/components: %d, want %d", resp.StatusCode, tt.status)
			}
		})
	}
}

func TestGalleryShowsEveryStateAtBothWidths(t *testing.T) {
	t.Parallel()
	resp, err := http.Get(galleryServer(t, true, nil) + "/dev/components?theme=dark")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	csp := resp.Header.Get("Content-Security-Policy")
	for _, want := range []string{"script-src 'self'", "style-src 'self'", "frame-ancestors 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP allows inline code: %q", csp)
	}
	doc, err := goquery.NewDocumentFromReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if class, _ := doc.Find("html").Attr("class"); class != "dark" {
		t.Errorf("?theme=dark gives <html class=%q>", class)
	}
	if n := doc.Find("script").Length(); n != 0 {
		t.Errorf("the gallery links %d scripts; it must not fetch anything", n)
	}
	if n := doc.Find("[style]").Length(); n != 0 {
		t.Errorf("%d elements carry inline styles, which the CSP refuses", n)
	}

	// Every state the issue lists has its own anchor, linked from the
	// table of contents.
	wantEntries := []string{
		"customer-complete", "customer-no-name", "customer-withheld", "customer-no-orders", "customer-many-orders",
		"orders-fulfillment-statuses", "orders-cancelled", "orders-refunded", "orders-partially-refunded", "orders-shipments",
		"orders-tracking-without-url", "orders-fifty", "orders-long-text",
		"orders-delivery", "orders-nine-lines", "orders-three-decimals", "orders-sixty-days", "orders-none-visible",
		"detail-loading", "detail-loaded", "detail-partial", "detail-error", "detail-timeout", "detail-attention", "detail-gone",
		"section-loading", "section-loading-cached", "section-no-match", "section-withheld-guests", "section-error", "section-throttled",
		"section-internal", "section-timeout", "section-stale", "section-guest-orders", "section-several-customers", "section-attention",
		"sidebar-one-store", "sidebar-three-stores", "sidebar-no-stores",
		"rejection-expired", "rejection-bad-signature", "rejection-unknown-workspace", "rejection-malformed", "rejection-missing",
	}
	for _, id := range wantEntries {
		entry := doc.Find(`article#` + id + `[data-testid="gallery-entry"]`)
		if entry.Length() != 1 {
			t.Errorf("no entry #%s", id)
			continue
		}
		if doc.Find(`[data-testid="gallery-toc-link"][href="#`+id+`"]`).Length() != 1 {
			t.Errorf("the table of contents doesn't link #%s", id)
		}
		var widths []string
		entry.Find(`[data-testid="gallery-frame"]`).Each(func(_ int, s *goquery.Selection) {
			w, _ := s.Attr("data-width")
			widths = append(widths, w)
			if s.Children().Last().Children().Length() == 0 {
				t.Errorf("#%s at %s px is empty", id, w)
			}
		})
		if strings.Join(widths, ",") != "320,400" {
			t.Errorf("#%s is shown at widths %v, want 320 and 400", id, widths)
		}
	}

	// What each state must show.
	checks := []struct {
		entry, selector, text string
	}{
		{"customer-no-name", `[data-testid="customer-name"]`, "j.okafor@example.net"},
		{"customer-withheld", `[data-testid="customer-withheld"]`, "name, email and phone"},
		{"customer-no-orders", `[data-testid="orders-empty"]`, "No orders yet."},
		{"customer-many-orders", `[data-testid="orders-note"]`, "Showing 2 of 1,204 orders."},
		{"customer-many-orders", `[data-testid="orders-more"]`, "Open in Shopify"},
		{"customer-complete", `a[data-testid="customer-phone"][href="tel:+1-416-555-0142"]`, "+1 416-555-0142"},
		{"customer-complete", `[data-testid="customer-since"]`, " 20"},
		{"orders-shipments", `summary [data-testid="order-delivery"]`, "In transit · arrives"},
		{"orders-shipments", `summary [data-testid="order-delivery"]`, "newest of 4 shipments"},
		{"orders-delivery", `summary [data-testid="order-delivery"]`, "Delivered 2 days ago"},
		{"orders-delivery", `summary [data-testid="order-delivery"]`, "Out for delivery"},
		{"orders-nine-lines", `[data-testid="item-quantity"]`, "Removed"},
		{"orders-partially-refunded", `[data-testid="order-return"]`, "Return in progress"},
		{"orders-partially-refunded", `summary s[data-testid="order-original-total"]`, "214.00 CAD"},
		{"orders-partially-refunded", `[data-testid="return-item"]`, "1 × Headlamp"},
		{"orders-three-decimals", `[data-testid="order-total"]`, "102.995 KWD"},
		{"orders-three-decimals", `[data-testid="item-price"]`, "27.123 KWD"},
		{"orders-none-visible", `[data-testid="orders-note"]`, "4 orders in Shopify; none in the last 60 days"},
		{"detail-partial", `[data-testid="order-address-note"]`, "Withheld by Shopify"},
		{"detail-error", `[data-testid="detail-retry"]`, "Try again"},
		{"section-withheld-guests", `[data-state="withheld"] [data-testid="section-notice"]`, "Shopify withheld their emails"},
		{"section-throttled", `[data-state="error"] [data-testid="section-notice"]`, "Shopify is busy"},
		{"section-internal", `[data-state="error"] [data-testid="section-notice"]`, "Something went wrong"},
		{"section-loaded", `[data-testid="store-name"]`, "Acme Outfitters"},
		{"rejection-expired", `[data-testid="rejection-message"]`, "has expired"},
		{"rejection-bad-signature", `[data-testid="rejection-title"]`, "Can't open the sidebar"},
		{"orders-cancelled", `[data-testid="order-cancelled"]`, "Cancelled"},
		{"orders-refunded", `[data-testid="order-financial"]`, "Refunded"},
		{"orders-partially-refunded", `[data-testid="order-financial"]`, "Partially refunded"},
		{"orders-tracking-without-url", `[data-testid="tracking-number"]`, "LC-88213"},
		{"orders-long-text", `[data-testid="item-title"][dir="auto"]`, "وشاح صوف ميرينو"},
		{"orders-long-text", `[data-testid="item-title"]`, `<script>alert("not markup")</script>`},
		{"section-loading", `[data-testid="section-body"][data-state="loading"] .skeleton`, ""},
		{"section-no-match", `[data-state="no-match"] [data-testid="section-notice"]`, "No customer or order with this email"},
		{"section-error", `[data-state="error"] [data-testid="section-retry"]`, "Try again"},
		{"section-timeout", `[data-state="timeout"] [data-testid="section-notice"]`, "taking longer than usual"},
		{"section-stale", `[data-testid="section-stale"]`, "Updated 12 min ago"},
		{"section-guest-orders", `[data-testid="guest-orders"]`, "Guest orders"},
		{"section-several-customers", `[data-testid="customer-matched-by"]`, "Matched by"},
		{"sidebar-no-stores", `[data-testid="no-stores"]`, "Ask an admin to connect one"},
	}
	for _, c := range checks {
		found := doc.Find("#" + c.entry).Find(c.selector)
		if found.Length() == 0 {
			t.Errorf("#%s has no %s", c.entry, c.selector)
			continue
		}
		matched := false
		found.Each(func(_ int, s *goquery.Selection) { matched = matched || strings.Contains(s.Text(), c.text) })
		if !matched {
			t.Errorf("no %s in #%s says %q", c.selector, c.entry, c.text)
		}
	}
	if n := doc.Find(`#orders-fifty [data-width="320"] [data-testid="order"]`).Length(); n != 50 {
		t.Errorf("the 50-order list holds %d orders", n)
	}
	if n := doc.Find(`#orders-fifty [data-width="320"] [data-testid="orders-more-list"] [data-testid="order"]`).Length(); n != 40 {
		t.Errorf("%d orders behind Show more, want 40", n)
	}
	if n := doc.Find(`#orders-shipments [data-width="320"] [data-testid="shipment"]`).Eq(1).Find(`[data-testid="tracking"]`).Length(); n != 5 {
		t.Errorf("the shipment with five tracking numbers shows %d", n)
	}
	if n := doc.Find(`#orders-fulfillment-statuses [data-width="400"] [data-testid="order-fulfillment"]`).Length(); n < 11 {
		t.Errorf("%d fulfillment statuses shown, want every one (11)", n)
	}
	if n := doc.Find(`#orders-tracking-without-url a[href^="javascript:"]`).Length(); n != 0 {
		t.Error("a javascript: tracking URL became a link")
	}
	if n := doc.Find(`#sidebar-three-stores [data-width="320"] [data-testid="store-section"]`).Length(); n != 3 {
		t.Errorf("the three-store sidebar has %d sections", n)
	}

	// Both renderings of an entry share one page: ids must stay unique.
	seen := map[string]bool{}
	doc.Find("[id]").Each(func(_ int, s *goquery.Selection) {
		id, _ := s.Attr("id")
		if seen[id] {
			t.Errorf("duplicate id %q", id)
		}
		seen[id] = true
	})
	doc.Find("[aria-labelledby]").Each(func(_ int, s *goquery.Selection) {
		id, _ := s.Attr("aria-labelledby")
		if !seen[id] {
			t.Errorf("aria-labelledby=%q names no element", id)
		}
	})
}

// TestGalleryShowsEveryPresenterState holds the gallery to production: every
// state the presenters can give a section or an opened order is on the
// page, named by its data-variant, so that a state added to a presenter
// without a gallery fixture fails here.
func TestGalleryShowsEveryPresenterState(t *testing.T) {
	resp, err := http.Get(galleryServer(t, true, nil) + "/dev/components")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	doc, err := goquery.NewDocumentFromReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	shown := map[string]bool{}
	doc.Find("[data-variant]").Each(func(_ int, s *goquery.Selection) { shown[s.AttrOr("data-variant", "")] = true })
	want := append(append([]string{"detail-loading"}, present.SectionVariants...), present.DetailVariants...)
	for _, v := range want {
		if !shown[v] {
			t.Errorf("the presenters can show %q, the gallery doesn't", v)
		}
	}
	known := map[string]bool{}
	for _, v := range want {
		known[v] = true
	}
	for v := range shown {
		if !known[v] {
			t.Errorf("the gallery shows %q, which no presenter gives", v)
		}
	}
}

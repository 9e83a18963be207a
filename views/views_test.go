package views

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/a-h/templ"
)

// renderDoc renders a component and parses it for selection.
func renderDoc(t *testing.T, c templ.Component) *goquery.Document {
	t.Helper()
	var buf bytes.Buffer
	if err := c.Render(context.Background(), &buf); err != nil {
		t.Fatal(err)
	}
	doc, err := goquery.NewDocumentFromReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func testid(id string) string { return `[data-testid="` + id + `"]` }

func text(doc *goquery.Document, id string) string {
	return strings.TrimSpace(doc.Find(testid(id)).First().Text())
}

var since = When{Relative: "2 years ago", Absolute: "26 Mar 2024, 19:51 UTC", ISO: "2024-03-26T19:51:37Z"}

func TestCustomerCard(t *testing.T) {
	complete := CustomerCard{
		DisplayName: "Karine Ruby", Email: "karine.ruby@example.com", Phone: "+16135550142",
		Orders: "13 orders", AmountSpent: "11,884.90 CAD", Since: since,
		AdminURL: "https://admin.shopify.com/store/acme/customers/9522206933298", Tags: []string{"vip", "wholesale"},
	}
	withheld := complete
	withheld.Email, withheld.Phone, withheld.Withheld = "", "", []string{"name", "email"}
	tests := []struct {
		name   string
		card   CustomerCard
		checks map[string]string // testid → expected text ("" = must be absent)
	}{
		{"complete", complete, map[string]string{
			"customer-name": "Karine Ruby", "customer-email": "karine.ruby@example.com", "customer-phone": "+16135550142",
			"customer-orders": "13 orders", "customer-spent": "11,884.90 CAD", "customer-since": "2 years ago", "customer-withheld": "",
		}},
		{"no orders", CustomerCard{DisplayName: "New Person", Email: "new@example.com", Orders: "0 orders", Since: since, AdminURL: "https://admin.shopify.com/store/acme/customers/1"},
			map[string]string{"customer-orders": "0 orders", "customer-tags": "", "customer-phone": ""}},
		{"protected data withheld", withheld, map[string]string{
			"customer-email":    "",
			"customer-withheld": "Shopify withheld this customer's name and email (protected customer data). An admin can request access for the app.",
		}},
		{"1,000+ orders", CustomerCard{DisplayName: "Big Buyer", Orders: "1,204 orders", Since: since, AdminURL: "https://admin.shopify.com/store/acme/customers/2"},
			map[string]string{"customer-orders": "1,204 orders"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := renderDoc(t, CustomerCardView(tt.card))
			for id, want := range tt.checks {
				sel := doc.Find(testid(id))
				if want == "" {
					if sel.Length() != 0 {
						t.Errorf("%s should be absent, found %q", id, sel.Text())
					}
					continue
				}
				if got := text(doc, id); got != want {
					t.Errorf("%s = %q, want %q", id, got, want)
				}
			}
			link := doc.Find(testid("customer-admin-link"))
			if href, _ := link.Attr("href"); href != tt.card.AdminURL {
				t.Errorf("admin link = %q, want %q", href, tt.card.AdminURL)
			}
			if rel, _ := link.Attr("rel"); rel != "noopener noreferrer" {
				t.Errorf("admin link rel = %q", rel)
			}
			if target, _ := link.Attr("target"); target != "_blank" {
				t.Errorf("admin link target = %q", target)
			}
			if dt, _ := doc.Find(testid("customer-since")).Attr("datetime"); dt != since.ISO {
				t.Errorf("since datetime = %q", dt)
			}
		})
	}
}

func order(name string, f, fin Badge) OrderRow {
	return OrderRow{
		ID: "order-1", Name: name, AdminURL: "https://admin.shopify.com/store/acme/orders/1", Created: since,
		Fulfillment: f, Financial: fin, Total: "45.00 CAD",
		Items: []ItemRow{{Title: "Merino tee", Variant: "Blue / M", Quantity: 2}},
	}
}

func TestOrderList(t *testing.T) {
	fulfilled := Badge{Label: "Fulfilled", Tone: ToneGood}
	paid := Badge{Label: "Paid", Tone: ToneGood}

	cancelled := order("#1002", Badge{Label: "Unfulfilled", Tone: ToneWarn}, Badge{Label: "Refunded"})
	cancelled.Cancelled = "Cancelled 3 days ago: the customer changed their mind."

	shipped := order("UK-1003", fulfilled, paid)
	shipped.Shipments = []Shipment{
		{Status: Badge{Label: "In transit"}, Created: since, Tracking: []TrackingRow{
			{Company: "Canada Post", Number: "TRACK1", URL: "https://example.test/track/TRACK1"},
			{Company: "UPS", Number: "1Z999"},
		}},
		{Status: Badge{Label: "Delivered"}, Created: since},
	}
	hostile := order(`<script>alert("x")</script>`, fulfilled, Badge{})
	hostile.Items = []ItemRow{{Title: `<img src=x onerror=alert(1)>`, Quantity: 1}}
	hostile.Shipments = []Shipment{{Status: Badge{Label: "Shipped"}, Tracking: []TrackingRow{{Number: "X1", URL: "javascript:alert(1)"}}}}

	long := order("#1004", fulfilled, paid)
	long.Items = []ItemRow{{Title: strings.Repeat("Extraordinarily long product name ", 8), Quantity: 1}, {Title: "山田の抹茶 · ملابس", Quantity: 3}}
	long.MoreItems = "+ 4 more items — see the order in Shopify"

	tests := []struct {
		name  string
		list  OrderList
		check func(t *testing.T, doc *goquery.Document)
	}{
		{"empty", OrderList{}, func(t *testing.T, doc *goquery.Document) {
			if text(doc, "orders-empty") != "No orders yet." {
				t.Error("no empty note")
			}
		}},
		{"statuses in words", OrderList{Orders: []OrderRow{order("#1001", fulfilled, paid)}}, func(t *testing.T, doc *goquery.Document) {
			if text(doc, "order-fulfillment") != "Fulfilled" || text(doc, "order-financial") != "Paid" {
				t.Errorf("badges: %q %q", text(doc, "order-fulfillment"), text(doc, "order-financial"))
			}
			if text(doc, "item-quantity") != "2 ×" || text(doc, "item-title") != "Merino tee" {
				t.Errorf("item: %q %q", text(doc, "item-quantity"), text(doc, "item-title"))
			}
			if doc.Find("details"+testid("order")).Length() != 1 || doc.Find("summary").Length() != 1 {
				t.Error("order is not a collapsible details/summary")
			}
		}},
		{"no financial status", OrderList{Orders: []OrderRow{order("#1005", fulfilled, Badge{})}}, func(t *testing.T, doc *goquery.Document) {
			if doc.Find(testid("order-financial")).Length() != 0 {
				t.Error("an empty financial badge was rendered")
			}
		}},
		{"cancelled", OrderList{Orders: []OrderRow{cancelled}}, func(t *testing.T, doc *goquery.Document) {
			if text(doc, "order-cancelled") != "Cancelled" || !strings.Contains(text(doc, "order-cancel-reason"), "changed their mind") {
				t.Error("cancellation not shown")
			}
		}},
		{"several shipments and tracking numbers", OrderList{Orders: []OrderRow{shipped}}, func(t *testing.T, doc *goquery.Document) {
			if n := doc.Find(testid("shipment")).Length(); n != 2 {
				t.Errorf("%d shipments", n)
			}
			if n := doc.Find(testid("tracking")).Length(); n != 2 {
				t.Errorf("%d tracking rows", n)
			}
			link := doc.Find(testid("tracking-link"))
			if href, _ := link.Attr("href"); href != "https://example.test/track/TRACK1" || link.Length() != 1 {
				t.Errorf("tracking links: %d, href %q", link.Length(), href)
			}
			if text(doc, "tracking-number") != "1Z999" {
				t.Error("tracking without URL is not plain text")
			}
		}},
		{"untrusted text is escaped, bad links are not links", OrderList{Orders: []OrderRow{hostile}}, func(t *testing.T, doc *goquery.Document) {
			if doc.Find("script").Length() != 0 || doc.Find("img").Length() != 0 {
				t.Error("markup from Shopify was rendered as HTML")
			}
			if text(doc, "order-name") != `<script>alert("x")</script>` {
				t.Errorf("name = %q", text(doc, "order-name"))
			}
			doc.Find("a").Each(func(_ int, a *goquery.Selection) {
				if href, _ := a.Attr("href"); strings.HasPrefix(strings.ToLower(href), "javascript") {
					t.Errorf("javascript link rendered: %q", href)
				}
			})
		}},
		{"long, non-ASCII and more items", OrderList{Orders: []OrderRow{long}}, func(t *testing.T, doc *goquery.Document) {
			if !strings.Contains(doc.Find(testid("order-items")).Text(), "山田の抹茶 · ملابس") {
				t.Error("non-ASCII title lost")
			}
			if text(doc, "order-more-items") != long.MoreItems {
				t.Error("more-items line missing")
			}
		}},
		{"more orders in Shopify", OrderList{Orders: []OrderRow{order("#1001", fulfilled, paid)}, MoreURL: "https://admin.shopify.com/store/acme/customers/1", Hidden: "All 1,204 orders", Note: "Orders older than 60 days aren't shown."},
			func(t *testing.T, doc *goquery.Document) {
				if text(doc, "orders-more") != "All 1,204 orders in Shopify (opens a new tab)" {
					t.Errorf("more link = %q", text(doc, "orders-more"))
				}
				if text(doc, "orders-note") == "" {
					t.Error("note missing")
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := renderDoc(t, OrderListView(tt.list))
			tt.check(t, doc)
			doc.Find(`a[target="_blank"]`).Each(func(_ int, a *goquery.Selection) {
				if rel, _ := a.Attr("rel"); rel != "noopener noreferrer" {
					t.Errorf("link %q opens a tab without noopener noreferrer", a.Text())
				}
			})
		})
	}
}

func TestStoreSectionStates(t *testing.T) {
	base := StoreSection{ID: "store-1", Domain: "acme.myshopify.com", AdminURL: "https://admin.shopify.com/store/acme", FragmentURL: "/sidebar/stores/1"}
	tests := []struct {
		name      string
		state     SectionState
		notice    string
		wantState string
		retry     bool
		lazy      bool
	}{
		{"loading", SectionLoading, "", "loading", false, true},
		{"no match", SectionNoMatch, "No customer with this email in this store.", "no-match", false, false},
		{"error", SectionError, "Shopify didn't answer for this store just now.", "error", true, false},
		{"needs attention", SectionAttention, "This store's connection needs attention — ask an admin.", "attention", false, false},
		{"timeout", SectionTimeout, "Shopify is taking longer than usual for this store.", "timeout", true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := base
			s.State, s.Notice = tt.state, tt.notice
			doc := renderDoc(t, StoreSectionView(s))
			body := doc.Find(testid("section-body"))
			if st, _ := body.Attr("data-state"); st != tt.wantState {
				t.Errorf("data-state = %q, want %q", st, tt.wantState)
			}
			if text(doc, "store-domain") != "acme.myshopify.com" {
				t.Error("header has no store domain")
			}
			if tt.notice != "" && text(doc, "section-notice") != tt.notice {
				t.Errorf("notice = %q", text(doc, "section-notice"))
			}
			if got := doc.Find(testid("section-retry")).Length() == 1; got != tt.retry {
				t.Errorf("retry control present = %v, want %v", got, tt.retry)
			}
			hxGet, _ := body.Attr("hx-get")
			trigger, _ := body.Attr("hx-trigger")
			if lazy := hxGet == "/sidebar/stores/1" && trigger == "load"; lazy != tt.lazy {
				t.Errorf("lazy load = %v (hx-get %q, hx-trigger %q), want %v", lazy, hxGet, trigger, tt.lazy)
			}
		})
	}
}

func TestSidebarPageWithoutStores(t *testing.T) {
	doc := renderDoc(t, SidebarPageView(SidebarPage{Emails: []string{"ada@example.com"}, FragmentHeaders: `{"X-Shopcard-Token":"t"}`}))
	if !strings.Contains(text(doc, "no-stores"), "Ask an admin to connect one") {
		t.Errorf("no-stores note = %q", text(doc, "no-stores"))
	}
	if h, _ := doc.Find("body").Attr("hx-headers"); h != `{"X-Shopcard-Token":"t"}` {
		t.Errorf("hx-headers = %q", h)
	}
}

func TestLoadedSectionVariants(t *testing.T) {
	base := StoreSection{ID: "store-1", Domain: "acme.myshopify.com", AdminURL: "https://admin.shopify.com/store/acme", FragmentURL: "/sidebar/stores/1", State: SectionLoaded}
	card := func(name, matched string) CustomerMatch {
		return CustomerMatch{
			Card:   CustomerCard{DisplayName: name, Orders: "1 order", Since: since, AdminURL: "https://admin.shopify.com/store/acme/customers/1", MatchedBy: matched},
			Orders: OrderList{Orders: []OrderRow{order("#1001", Badge{Label: "Fulfilled"}, Badge{Label: "Paid"})}},
		}
	}
	withStale := base
	withStale.Customers = []CustomerMatch{card("Ada Lovelace", "")}
	withStale.Stale = "Updated 12 min ago — Shopify didn't answer"

	several := base
	several.Customers = []CustomerMatch{card("Ada Lovelace", "Matched by ada@home.example"), card("Ada L.", "Matched by ada@work.example")}

	guests := base
	guests.Guests = &GuestOrders{PlacedWith: "Placed with guest@example.com", Orders: OrderList{Orders: []OrderRow{order("#1042", Badge{Label: "Unfulfilled"}, Badge{Label: "Paid"})}}}

	partial := base
	partial.Customers = []CustomerMatch{card("Ada Lovelace", "Matched by ada@home.example")}
	partial.Notice = "Shopify didn't answer for some of this contact's emails, so this may be incomplete."

	staleNoMatch := base
	staleNoMatch.State, staleNoMatch.Notice, staleNoMatch.Stale = SectionNoMatch, "No customer with this email in this store.", "Updated 3 h ago — Shopify didn't answer"

	tests := []struct {
		name  string
		sec   StoreSection
		check func(t *testing.T, doc *goquery.Document)
	}{
		{"stale answer: the data, a line saying how old, and a retry", withStale, func(t *testing.T, doc *goquery.Document) {
			if text(doc, "section-stale") != "Updated 12 min ago — Shopify didn't answer" {
				t.Errorf("stale line %q", text(doc, "section-stale"))
			}
			if text(doc, "customer-name") != "Ada Lovelace" || doc.Find(testid("order")).Length() != 1 {
				t.Error("the stale data itself is not shown")
			}
			retry := doc.Find(testid("section-retry"))
			if get, _ := retry.Attr("hx-get"); get != "/sidebar/stores/1" || retry.Length() != 1 {
				t.Errorf("retry control: %d, hx-get %q", retry.Length(), get)
			}
			if target, _ := retry.Attr("hx-target"); target != "#store-1-body" {
				t.Errorf("retry replaces %q", target)
			}
		}},
		{"fresh answer: no stale line, no retry", func() StoreSection { s := withStale; s.Stale = ""; return s }(), func(t *testing.T, doc *goquery.Document) {
			if doc.Find(testid("section-stale")).Length() != 0 || doc.Find(testid("section-retry")).Length() != 0 {
				t.Error("a fresh answer shows a stale line or a retry")
			}
		}},
		{"several customers, each saying which email matched", several, func(t *testing.T, doc *goquery.Document) {
			matches := doc.Find(testid("customer-match"))
			if matches.Length() != 2 {
				t.Fatalf("%d customer blocks", matches.Length())
			}
			var got []string
			doc.Find(testid("customer-matched-by")).Each(func(_ int, s *goquery.Selection) { got = append(got, s.Text()) })
			if strings.Join(got, "|") != "Matched by ada@home.example|Matched by ada@work.example" {
				t.Errorf("matched-by lines %q", got)
			}
			if matches.Eq(1).Find(testid("order")).Length() != 1 {
				t.Error("the second customer's orders are not under them")
			}
		}},
		{"guest orders, under their own heading", guests, func(t *testing.T, doc *goquery.Document) {
			g := doc.Find(testid("guest-orders"))
			if g.Length() != 1 || !strings.Contains(g.Find("h3").Text(), "Guest orders") {
				t.Fatalf("guest orders block: %q", g.Text())
			}
			if text(doc, "guest-orders-email") != "Placed with guest@example.com" || g.Find(testid("order-name")).Text() != "#1042" {
				t.Errorf("guest orders: %q", g.Text())
			}
			if doc.Find(testid("customer-card")).Length() != 0 {
				t.Error("a guest has no customer card")
			}
		}},
		{"incomplete: a notice and a retry above what arrived", partial, func(t *testing.T, doc *goquery.Document) {
			if !strings.Contains(text(doc, "section-notice"), "may be incomplete") || doc.Find(testid("section-retry")).Length() != 1 {
				t.Errorf("notice %q", text(doc, "section-notice"))
			}
		}},
		{"stale no-match", staleNoMatch, func(t *testing.T, doc *goquery.Document) {
			if st, _ := doc.Find(testid("section-body")).Attr("data-state"); st != "no-match" {
				t.Errorf("state %q", st)
			}
			if text(doc, "section-stale") == "" || !strings.Contains(doc.Find(testid("section-notice")).Last().Text(), "No customer") {
				t.Error("stale no-match lacks its lines")
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := renderDoc(t, StoreSectionBody(tt.sec))
			tt.check(t, doc)
			if doc.Find(testid("section-body")).Length() != 1 {
				t.Error("the body must be one swappable element")
			}
		})
	}
}

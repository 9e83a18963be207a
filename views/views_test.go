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

var since = When{Relative: "March 2024", Absolute: "26 Mar 2024, 19:51 UTC", ISO: "2024-03-26T19:51:37Z"}

func TestCustomerCard(t *testing.T) {
	complete := CustomerCard{
		DisplayName: "Karine Ruby", Email: "karine.ruby@example.com", Phone: "+1 613-555-0142", PhoneURL: "tel:+1-613-555-0142",
		Orders: "13 orders", AmountSpent: "11,884.90 CAD", Since: since,
		AdminURL: "https://admin.shopify.com/store/acme/customers/9522206933298", Tags: []string{"vip", "wholesale"},
	}
	withheld := complete
	withheld.DisplayName, withheld.NameWithheld = "Name withheld by Shopify", true
	withheld.Email, withheld.Phone, withheld.PhoneURL = "", "", ""
	withheld.Withheld = "Shopify withheld this customer's name and email (protected customer data) — an admin can request access for the app."
	tests := []struct {
		name   string
		card   CustomerCard
		checks map[string]string // testid → expected text ("" = must be absent)
	}{
		{"complete", complete, map[string]string{
			"customer-name": "Karine Ruby", "customer-email": "karine.ruby@example.com", "customer-phone": "+1 613-555-0142 (call)",
			"customer-orders": "13 orders", "customer-spent": "11,884.90 CAD", "customer-since": "March 2024", "customer-withheld": "",
		}},
		{"no orders", CustomerCard{DisplayName: "New Person", Email: "new@example.com", Orders: "0 orders", Since: since, AdminURL: "https://admin.shopify.com/store/acme/customers/1"},
			map[string]string{"customer-orders": "0 orders", "customer-tags": "", "customer-phone": ""}},
		{"protected data withheld", withheld, map[string]string{
			"customer-email": "", "customer-phone": "", "customer-name": "Name withheld by Shopify",
			"customer-withheld": "Shopify withheld this customer's name and email (protected customer data) — an admin can request access for the app.",
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
			phone := doc.Find(testid("customer-phone"))
			if href, ok := phone.Attr("href"); (tt.card.PhoneURL != "") != ok || href != tt.card.PhoneURL {
				t.Errorf("phone link %q, want %q", href, tt.card.PhoneURL)
			}
			if italic := doc.Find(testid("customer-name")).HasClass("italic"); italic != tt.card.NameWithheld {
				t.Errorf("a withheld name reads as a placeholder: italic = %v", italic)
			}
		})
	}
}

func order(name string, f, fin Badge) OrderRow {
	return OrderRow{
		ID: "order-1", Name: name, AdminURL: "https://admin.shopify.com/store/acme/orders/1", Created: since,
		Fulfillment: f, Financial: fin, Total: "45.00 CAD", DetailURL: "/sidebar/stores/1/orders/1",
		DetailSkeleton: Skeleton{Rows: 3},
	}
}

func detail() OrderDetail {
	return OrderDetail{
		ID: "order-1-detail", State: DetailLoaded, Variant: "detail-loaded", Name: "#1001", AdminURL: "https://admin.shopify.com/store/acme/orders/1",
		Items:   []ItemRow{{Title: "Merino tee", Variant: "Blue / M", SKU: "TEE-BM", Quantity: "2 ×", Price: "45.00 CAD"}},
		Current: "90.00 CAD", Address: []string{"Ada Lovelace", "500 King St W", "Toronto, ON M5V 1L9", "Canada"},
	}
}

func TestOrderList(t *testing.T) {
	fulfilled := Badge{Label: "Fulfilled", Tone: ToneGood}
	paid := Badge{Label: "Paid", Tone: ToneGood}

	cancelled := order("#1002", Badge{Label: "Unfulfilled", Tone: ToneWarn}, Badge{Label: "Refunded"})
	cancelled.Cancelled = "Cancelled 3 days ago: the customer changed their mind."

	transit := order("UK-1003", fulfilled, paid)
	transit.Delivery, transit.DeliveryTone = "In transit · arrives Thu 4 Dec · newest of 4 shipments", ToneInfo

	refund := order("#1006", fulfilled, Badge{Label: "Partially refunded"})
	refund.Original, refund.Total, refund.Refunded = "304.00 USD", "169.00 USD", "135.00 USD refunded"
	refund.Return = Badge{Label: "Return in progress", Tone: ToneInfo}

	hostile := order(`<script>alert("x")</script>`, fulfilled, Badge{})
	d := detail()
	d.Items = []ItemRow{{Title: `<img src=x onerror=alert(1)>`, Quantity: "1 ×"}}
	d.Shipments = []Shipment{{Status: Badge{Label: "Shipped"}, Tracking: []TrackingRow{{Number: "X1", URL: ""}}}}
	hostile.Detail = &d

	var eleven []OrderRow
	for i := range 11 {
		eleven = append(eleven, order("#"+strings.Repeat("1", i+1), fulfilled, paid))
	}
	folded := OrderList{Orders: eleven[:10], MoreOrders: eleven[10:], ShowMore: "Show 1 more order"}

	tests := []struct {
		name  string
		list  OrderList
		check func(t *testing.T, doc *goquery.Document)
	}{
		{"empty", OrderList{Empty: "No orders yet."}, func(t *testing.T, doc *goquery.Document) {
			if text(doc, "orders-empty") != "No orders yet." {
				t.Error("no empty note")
			}
		}},
		{"orders counted but none visible: one sentence, no empty note", OrderList{Summary: "4 orders in Shopify; none in the last 60 days."}, func(t *testing.T, doc *goquery.Document) {
			if doc.Find(testid("orders-empty")).Length() != 0 || text(doc, "orders-note") != "4 orders in Shopify; none in the last 60 days." {
				t.Errorf("empty %q, note %q", text(doc, "orders-empty"), text(doc, "orders-note"))
			}
		}},
		{"statuses in words, and a detail that loads on first open", OrderList{Orders: []OrderRow{order("#1001", fulfilled, paid)}}, func(t *testing.T, doc *goquery.Document) {
			if text(doc, "order-fulfillment") != "Fulfilled" || text(doc, "order-financial") != "Paid" {
				t.Errorf("badges: %q %q", text(doc, "order-fulfillment"), text(doc, "order-financial"))
			}
			o := doc.Find("details" + testid("order"))
			if o.Length() != 1 || doc.Find("summary").Length() != 1 {
				t.Fatal("order is not a collapsible details/summary")
			}
			get, _ := o.Attr("hx-get")
			trigger, _ := o.Attr("hx-trigger")
			target, _ := o.Attr("hx-target")
			if get != "/sidebar/stores/1/orders/1" || trigger != "toggle once" || target != "#order-1-detail" {
				t.Errorf("lazy detail: hx-get %q, hx-trigger %q, hx-target %q", get, trigger, target)
			}
			sk := doc.Find("#order-1-detail")
			if v, _ := sk.Attr("data-variant"); v != "detail-loading" || sk.Find(".skeleton").Length() != 4 {
				t.Errorf("detail skeleton %q with %d lines, want 3 rows and a last line", v, sk.Find(".skeleton").Length())
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
		{"where the parcel is, in the summary", OrderList{Orders: []OrderRow{transit}}, func(t *testing.T, doc *goquery.Document) {
			del := doc.Find("summary " + testid("order-delivery"))
			if del.Text() != transit.Delivery || !del.HasClass("text-sky-800") {
				t.Errorf("delivery %q, class %q", del.Text(), del.AttrOr("class", ""))
			}
		}},
		{"refunded: the original struck through, the refund and the return", OrderList{Orders: []OrderRow{refund}}, func(t *testing.T, doc *goquery.Document) {
			if doc.Find("summary s"+testid("order-original-total")).Text() != "304.00 USD" || text(doc, "order-total") != "169.00 USD" {
				t.Errorf("totals %q, %q", text(doc, "order-original-total"), text(doc, "order-total"))
			}
			if text(doc, "order-refunded") != "135.00 USD refunded" || text(doc, "order-return") != "Return in progress" {
				t.Errorf("refund %q, return %q", text(doc, "order-refunded"), text(doc, "order-return"))
			}
		}},
		{"untrusted text is escaped, bad links are not links", OrderList{Orders: []OrderRow{hostile}}, func(t *testing.T, doc *goquery.Document) {
			if doc.Find("script").Length() != 0 || doc.Find("img").Length() != 0 {
				t.Error("markup from Shopify was rendered as HTML")
			}
			if text(doc, "order-name") != `<script>alert("x")</script>` {
				t.Errorf("name = %q", text(doc, "order-name"))
			}
			if _, lazy := doc.Find(testid("order")).Attr("hx-get"); lazy {
				t.Error("an order shown with its detail still loads it")
			}
		}},
		{"ten at once, the rest behind Show more", folded, func(t *testing.T, doc *goquery.Document) {
			if n := doc.Find("ol").First().Children().Length(); n != 10 {
				t.Errorf("%d orders at once", n)
			}
			more := doc.Find("details" + testid("orders-more-list"))
			if more.Length() != 1 || text(doc, "orders-show-more") != "Show 1 more order" || more.Find(testid("order")).Length() != 1 {
				t.Errorf("show more: %q", more.Text())
			}
		}},
		{"more orders in Shopify", OrderList{Orders: []OrderRow{order("#1001", fulfilled, paid)}, MoreURL: "https://admin.shopify.com/store/acme/customers/1", Summary: "Showing the newest 50 of 1,204 orders."},
			func(t *testing.T, doc *goquery.Document) {
				if text(doc, "orders-more") != "Open in Shopify (all of the customer's orders, opens a new tab)" {
					t.Errorf("more link = %q", text(doc, "orders-more"))
				}
				if text(doc, "orders-note") != "Showing the newest 50 of 1,204 orders." {
					t.Error("summary missing")
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

func TestOrderDetail(t *testing.T) {
	full := detail()
	full.Items = append(full.Items, ItemRow{Title: "Vest", Quantity: "Removed", Removed: true, Changed: "was 1", Price: "119.00 CAD"})
	full.MoreItems = "3 more items — open in Shopify"
	full.Shipments = []Shipment{{
		Status: Badge{Label: "In transit"}, Delivery: "In transit · arrives Thu 4 Dec", Created: since,
		Tracking: []TrackingRow{{Company: "UPS", Number: "1Z1", URL: "https://www.ups.com/track?tracknum=1Z1"}, {Company: "UPS", Number: "1Z2"}},
		Events:   []EventRow{{Label: "In transit — Picked up by the carrier", Happened: since}},
		Items:    []string{"2 × Merino tee"},
	}}
	full.Original, full.Refunded = "209.00 CAD", "119.00 CAD"
	full.Refunds = []RefundRow{{Amount: "119.00 CAD", When: since, Note: "Out of stock"}}
	full.Returns = []ReturnRow{{Name: "#1001-R1", Status: Badge{Label: "In progress"}, When: since, Items: []string{"1 × Merino tee"}}}
	full.Note, full.Tags, full.StatusPageURL = "Leave at the desk", []string{"gift"}, "https://acme.example/orders/1/status"

	withheld := detail()
	withheld.Variant, withheld.Address, withheld.AddressNote = "detail-partial", nil, "Withheld by Shopify (protected customer data)."
	withheld.Notes = []string{"Shopify withheld the shipping address and email (protected customer data) — an admin can request access for the app."}

	failed := detail()
	failed.State, failed.Variant, failed.Notice, failed.RetryURL = DetailError, "detail-error", "Shopify didn't send the rest of this order just now.", "/sidebar/stores/1/orders/1"
	failed.Address = nil

	tests := []struct {
		name  string
		d     OrderDetail
		check func(t *testing.T, doc *goquery.Document)
	}{
		{"everything", full, func(t *testing.T, doc *goquery.Document) {
			for id, want := range map[string]string{
				"item-sku": "SKU TEE-BM", "item-price": "45.00 CAD", "order-more-items": "3 more items — open in Shopify",
				"shipment-delivery": "In transit · arrives Thu 4 Dec", "shipment-event": "In transit — Picked up by the carrier · March 2024",
				"total-original": "209.00 CAD", "total-refunded": "119.00 CAD", "total-current": "90.00 CAD",
				"return-item": "1 × Merino tee", "order-note": "Note: Leave at the desk",
			} {
				if got := strings.Join(strings.Fields(text(doc, id)), " "); got != want {
					t.Errorf("%s = %q, want %q", id, got, want)
				}
			}
			removed := doc.Find(testid("order-item")).Eq(1)
			if removed.Find(testid("item-quantity")).Text() != "Removed" || removed.Find(testid("item-changed")).Text() != "was 1" || removed.Find(".line-through").Length() != 1 {
				t.Errorf("removed item: %q", removed.Text())
			}
			if doc.Find(testid("tracking-link")).Length() != 1 || text(doc, "tracking-number") != "1Z2" {
				t.Error("tracking: one link, one plain number")
			}
			if href, _ := doc.Find(testid("order-status-page")).Attr("href"); href != full.StatusPageURL {
				t.Errorf("status page %q", href)
			}
			if n := doc.Find(testid("order-address") + " span").Length(); n != 4 {
				t.Errorf("address has %d lines", n)
			}
		}},
		{"withheld address", withheld, func(t *testing.T, doc *goquery.Document) {
			if text(doc, "order-address-note") != withheld.AddressNote || text(doc, "detail-note") != withheld.Notes[0] {
				t.Errorf("address note %q, note %q", text(doc, "order-address-note"), text(doc, "detail-note"))
			}
		}},
		{"failed: a note with an icon and a retry, what the summary knew", failed, func(t *testing.T, doc *goquery.Document) {
			note := doc.Find(testid("detail-notice"))
			if !strings.Contains(note.Text(), failed.Notice) || note.Find("svg").Length() != 1 || !note.HasClass("bg-rose-50") {
				t.Errorf("notice %q", note.Text())
			}
			retry := doc.Find(testid("detail-retry"))
			if get, _ := retry.Attr("hx-get"); get != failed.RetryURL {
				t.Errorf("retry hx-get %q", get)
			}
			if target, _ := retry.Attr("hx-target"); target != "#order-1-detail" {
				t.Errorf("retry target %q", target)
			}
			if doc.Find(testid("order-item")).Length() != 1 || doc.Find(testid("order-address-note")).Length() != 0 {
				t.Error("a failed detail shows the summary's items and no address claim")
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := renderDoc(t, OrderDetailView(tt.d))
			d := doc.Find(testid("order-detail"))
			if id, _ := d.Attr("id"); id != tt.d.ID {
				t.Errorf("id %q: the retry and the lazy load replace it by id", id)
			}
			if v, _ := d.Attr("data-variant"); v != tt.d.Variant {
				t.Errorf("data-variant %q", v)
			}
			tt.check(t, doc)
		})
	}
}

func TestStoreSectionStates(t *testing.T) {
	base := StoreSection{ID: "store-1", Name: "Acme Outfitters", Domain: "acme.myshopify.com", AdminURL: "https://admin.shopify.com/store/acme", FragmentURL: "/sidebar/stores/1"}
	tests := []struct {
		name      string
		state     SectionState
		notice    string
		wantState string
		retry     bool
		lazy      bool
		alarm     bool // a failure's tinted box with an icon
	}{
		{"loading", SectionLoading, "", "loading", false, true, false},
		{"no match", SectionNoMatch, "No customer or order with this email in this store.", "no-match", false, false, false},
		{"error", SectionError, "Shopify didn't answer for this store just now.", "error", true, false, true},
		{"needs attention", SectionAttention, "This store's connection needs attention — ask an admin.", "attention", false, false, true},
		{"timeout", SectionTimeout, "Shopify is taking longer than usual for this store.", "timeout", true, false, true},
		{"withheld guests", SectionWithheld, "2 guest orders match this email, but Shopify withheld their emails.", "withheld", false, false, true},
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
			if text(doc, "store-name") != "Acme Outfitters" || text(doc, "store-domain") != "acme.myshopify.com" {
				t.Errorf("header %q / %q: the shop's name, its domain beneath", text(doc, "store-name"), text(doc, "store-domain"))
			}
			if alarm := doc.Find(testid("section-notice")).Closest("div.rounded").Find("svg").Length() == 1; alarm != tt.alarm {
				t.Errorf("failure look (icon and tone) = %v, want %v", alarm, tt.alarm)
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
	staleNoMatch.State, staleNoMatch.Notice, staleNoMatch.Stale = SectionNoMatch, "No customer or order with this email in this store.", "Updated 3 h ago — Shopify didn't answer"

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

func TestSectionSkeletonIsSizedToWhatItStandsFor(t *testing.T) {
	tests := []struct {
		sk          Skeleton
		cards, rows int
	}{
		{Skeleton{Cards: 1, Rows: 3}, 1, 3},
		{Skeleton{Cards: 2, Rows: 10, Note: true}, 2, 10},
		{Skeleton{}, 0, 0},
	}
	for _, tt := range tests {
		s := StoreSection{ID: "store-1", State: SectionLoading, FragmentURL: "/sidebar/stores/1", Skeleton: tt.sk}
		doc := renderDoc(t, StoreSectionBody(s))
		body := doc.Find(testid("section-body"))
		cards := body.Find(".grid").Length()
		rows := body.Find(".divide-y > div").Length()
		if cards != tt.cards || rows != tt.rows {
			t.Errorf("%+v: %d cards and %d rows", tt.sk, cards, rows)
		}
		if !body.HasClass("[overflow-anchor:none]") {
			t.Error("a skeleton must never be the scroll anchor")
		}
	}
}

package present

import (
	"errors"
	"strings"
	"testing"
	"time"

	"shopcard/domain"
	"shopcard/views"
)

var now = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

func TestFulfillmentWordsCoverEveryStatus(t *testing.T) {
	t.Parallel()
	// Every value of Shopify's OrderDisplayFulfillmentStatus in 2026-07.
	for _, s := range []string{"UNFULFILLED", "PARTIALLY_FULFILLED", "FULFILLED", "RESTOCKED", "PENDING_FULFILLMENT", "OPEN", "IN_PROGRESS", "ON_HOLD", "SCHEDULED", "REQUEST_DECLINED"} {
		if _, ok := fulfillmentWords[s]; !ok {
			t.Errorf("no words for fulfillment status %s", s)
		}
	}
	// And OrderDisplayFinancialStatus.
	for _, s := range []string{"PENDING", "AUTHORIZED", "PARTIALLY_PAID", "PARTIALLY_REFUNDED", "VOIDED", "PAID", "REFUNDED", "EXPIRED"} {
		if _, ok := financialWords[s]; !ok {
			t.Errorf("no words for financial status %s", s)
		}
	}
}

func TestBadges(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		got  views.Badge
		want views.Badge
	}{
		{"fulfilled", fulfillmentBadge("FULFILLED"), views.Badge{Label: "Fulfilled", Tone: views.ToneGood}},
		{"on hold", fulfillmentBadge("ON_HOLD"), views.Badge{Label: "On hold", Tone: views.ToneWarn}},
		{"unknown future status", fulfillmentBadge("AWAITING_PIGEON"), views.Badge{Label: "Awaiting pigeon", Tone: views.ToneNeutral}},
		{"null financial status", financialBadge(""), views.Badge{}},
		{"partially refunded", financialBadge("PARTIALLY_REFUNDED"), views.Badge{Label: "Partially refunded", Tone: views.ToneNeutral}},
		{"shipment display status wins", shipmentBadge(domain.Fulfillment{Status: "SUCCESS", DisplayStatus: "DELIVERED"}), views.Badge{Label: "Delivered", Tone: views.ToneGood}},
		{"shipment without display status", shipmentBadge(domain.Fulfillment{Status: "SUCCESS"}), views.Badge{Label: "Shipped", Tone: views.ToneInfo}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %+v, want %+v", tt.got, tt.want)
			}
		})
	}
}

func TestFormatting(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, got, want string
	}{
		{"money", formatMoney(domain.Money{Amount: "11884.9", Currency: "CAD"}), "11,884.90 CAD"},
		{"money three decimals", formatMoney(domain.Money{Amount: "12.3456", Currency: "KWD"}), "12.346 KWD"},
		{"money three decimals padded", formatMoney(domain.Money{Amount: "1204.5", Currency: "BHD"}), "1,204.500 BHD"},
		{"money rounds half away from zero, exactly", formatMoney(domain.Money{Amount: "0.125", Currency: "USD"}), "0.13 USD"},
		{"money past a float's precision", formatMoney(domain.Money{Amount: "90071992547409.93", Currency: "USD"}), "90,071,992,547,409.93 USD"},
		{"money no minor unit", formatMoney(domain.Money{Amount: "3200.6", Currency: "CLP"}), "3,201 CLP"},
		{"money tiny negative is zero", formatMoney(domain.Money{Amount: "-0.001", Currency: "USD"}), "0.00 USD"},
		{"money small", formatMoney(domain.Money{Amount: "0.5", Currency: "EUR"}), "0.50 EUR"},
		{"money yen", formatMoney(domain.Money{Amount: "1200.0", Currency: "JPY"}), "1,200 JPY"},
		{"money negative", formatMoney(domain.Money{Amount: "-1234567.891", Currency: "USD"}), "-1,234,567.89 USD"},
		{"money unparseable", formatMoney(domain.Money{Amount: "abc", Currency: "USD"}), "abc USD"},
		{"phone international", formatPhone("+14155550123").Display, "+1 415-555-0123"},
		{"phone dials", formatPhone("+14155550123").TelURL, "tel:+1-415-555-0123"},
		{"phone Kuwait", formatPhone("+96550001234").Display, "+965 500 01234"},
		{"phone typed with spaces", formatPhone(" +44 20 7946 0958 ").Display, "+44 20 7946 0958"},
		{"phone unreadable shown as sent", formatPhone("ext. 12").Display, "ext. 12"},
		{"phone unreadable not linked", formatPhone("ext. 12").TelURL, ""},
		{"month and year", monthYear(time.Date(2019, 3, 31, 23, 0, 0, 0, time.UTC)), "March 2019"},
		{"day this year", day(time.Date(2026, 12, 3, 23, 0, 0, 0, time.UTC), now), "Thu 3 Dec"},
		{"day next year", day(time.Date(2027, 1, 4, 9, 0, 0, 0, time.UTC), now), "Mon 4 Jan 2027"},
		{"Plural one", Plural(1, "order", "orders"), "1 order"},
		{"Plural zero", Plural(0, "order", "orders"), "0 orders"},
		{"Plural thousands", Plural(1204, "order", "orders"), "1,204 orders"},
		{"just now", relative(now.Add(-20*time.Second), now), "just now"},
		{"minutes", relative(now.Add(-5*time.Minute), now), "5 minutes ago"},
		{"an hour", relative(now.Add(-61*time.Minute), now), "1 hour ago"},
		{"yesterday", relative(now.Add(-30*time.Hour), now), "yesterday"},
		{"days", relative(now.Add(-3*24*time.Hour), now), "3 days ago"},
		{"months", relative(now.Add(-65*24*time.Hour), now), "2 months ago"},
		{"years", relative(now.Add(-800*24*time.Hour), now), "2 years ago"},
		{"future clock skew", relative(now.Add(time.Minute), now), "just now"},
		{"absolute", When(time.Date(2026, 4, 22, 14, 5, 0, 0, time.UTC), now).Absolute, "22 Apr 2026, 14:05 UTC"},
		{"https link kept", safeLink("https://tools.usps.com/go/TrackConfirmAction?tLabels=1"), "https://tools.usps.com/go/TrackConfirmAction?tLabels=1"},
		{"http link kept", safeLink("http://example.test/t/1"), "http://example.test/t/1"},
		{"javascript dropped", safeLink("javascript:alert(1)"), ""},
		{"mixed-case javascript dropped", safeLink("JaVaScRiPt:alert(1)"), ""},
		{"data dropped", safeLink("data:text/html,<script>alert(1)</script>"), ""},
		{"relative dropped", safeLink("/track/1"), ""},
		{"empty", safeLink(""), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %q, want %q", tt.got, tt.want)
			}
		})
	}
}

func TestPresentOrder(t *testing.T) {
	t.Parallel()
	store := domain.Store{ID: 1, Domain: "acme-outfitters.myshopify.com"}
	cancelledAt := now.Add(-48 * time.Hour)
	o := domain.Order{
		LegacyResourceID: 6832000000000, Name: "#1401", CreatedAt: now.Add(-72 * time.Hour),
		CancelledAt: &cancelledAt, CancelReason: "CUSTOMER", FinancialStatus: "", FulfillmentStatus: "UNFULFILLED",
		Total: domain.Money{Amount: "104.5", Currency: "CAD"}, ItemCount: 7,
		LineItems: []domain.LineItem{{Title: "Tee", Quantity: 2}, {Title: "Mug", Quantity: 1}},
		Fulfillments: []domain.Fulfillment{{Status: "SUCCESS", CreatedAt: now, Tracking: []domain.Tracking{
			{Company: "UPS", Number: "1Z", URL: "javascript:alert(1)"}, {}, {Company: "DHL", URL: "https://dhl.test/x"},
		}}},
	}
	row := orderRow(store, &o, nil, now)
	if row.AdminURL != "https://admin.shopify.com/store/acme-outfitters/orders/6832000000000" {
		t.Errorf("admin URL = %s", row.AdminURL)
	}
	if row.Cancelled != "Cancelled 2 days ago: the customer changed their mind." {
		t.Errorf("cancelled = %q", row.Cancelled)
	}
	if row.Financial.Label != "" {
		t.Errorf("financial badge for a null status: %+v", row.Financial)
	}
	if row.Delivery != "Shipped just now" {
		t.Errorf("delivery = %q", row.Delivery)
	}
	tr := trackingRows(o.Fulfillments[0])
	if len(tr) != 2 || tr[0].URL != "" || tr[1].Number != "Track shipment" || tr[1].URL != "https://dhl.test/x" {
		t.Errorf("tracking = %+v", tr)
	}
}

func TestPresentResult(t *testing.T) {
	t.Parallel()
	store := domain.Store{ID: 1, Domain: "acme.myshopify.com", Scopes: []string{"read_customers", "read_orders"}}
	sec := views.StoreSection{ID: "store-1"}

	empty := Section(sec, store, []Result{{Answer: &domain.CustomerOrders{}}}, nil, now)
	if empty.State != views.SectionNoMatch || empty.Notice != "No customer or order with this email in this store." {
		t.Errorf("no match: %+v", empty)
	}

	r := &domain.CustomerOrders{
		Customer: &domain.Customer{LegacyResourceID: 42, DisplayName: "", FirstName: "", Email: "zoe@example.com", NumberOfOrders: 1204, CreatedAt: time.Date(2019, 3, 14, 9, 0, 0, 0, time.UTC)},
		Orders:   []domain.Order{{Name: "#1", CreatedAt: now}},
		Withheld: []string{"firstName", "lastName", "defaultPhoneNumber"},
	}
	got := Section(sec, store, []Result{{Answer: r}}, nil, now)
	if got.State != views.SectionLoaded || len(got.Customers) != 1 {
		t.Fatalf("loaded: %+v", got)
	}
	card, orders := got.Customers[0].Card, got.Customers[0].Orders
	if card.DisplayName != "zoe@example.com" || card.NameWithheld {
		t.Errorf("with the name withheld, the email stands in: %+v", card)
	}
	if card.AdminURL != "https://admin.shopify.com/store/acme/customers/42" {
		t.Errorf("customer admin URL = %s", card.AdminURL)
	}
	if card.Withheld != "Shopify withheld this customer's name and phone (protected customer data) — an admin can request access for the app." {
		t.Errorf("withheld = %q", card.Withheld)
	}
	if card.Since.Relative != "March 2019" {
		t.Errorf("customer since %q, want a month and year", card.Since.Relative)
	}
	if card.MatchedBy != "" {
		t.Errorf("a single email needs no matched-by line: %q", card.MatchedBy)
	}
	if orders.Summary != "Showing 1 of 1,204 orders: shopcard sees only the last 60 days here — an admin can allow older orders." ||
		orders.MoreURL != card.AdminURL || orders.Empty != "" {
		t.Errorf("more orders: %+v", orders)
	}
	if strings.Contains(orders.Summary, "read_") {
		t.Errorf("a scope name in a rep's sentence: %q", orders.Summary)
	}
	if got.Stale != "" || got.Guests != nil {
		t.Errorf("fresh customer answer shows stale line %q or guests %+v", got.Stale, got.Guests)
	}
	store.Scopes = append(store.Scopes, "read_all_orders")
	if n := Section(sec, store, []Result{{Answer: r}}, nil, now).Customers[0].Orders.Summary; n != "Showing 1 of 1,204 orders." {
		t.Errorf("with read_all_orders: %q", n)
	}
}

func TestPresentResults(t *testing.T) {
	t.Parallel()
	store := domain.Store{ID: 1, Domain: "acme.myshopify.com"}
	sec := views.StoreSection{ID: "store-1", FragmentURL: "/sidebar/stores/1"}
	ada := &domain.CustomerOrders{Customer: &domain.Customer{ID: "gid://shopify/Customer/1", LegacyResourceID: 1, DisplayName: "Ada", NumberOfOrders: 1}, Orders: []domain.Order{{LegacyResourceID: 10, Name: "#10", CreatedAt: now}}, FetchedAt: now}
	adaStale := *ada
	adaStale.Stale, adaStale.FetchedAt = true, now.Add(-12*time.Minute)
	bob := &domain.CustomerOrders{Customer: &domain.Customer{ID: "gid://shopify/Customer/2", LegacyResourceID: 2, DisplayName: "Bob"}, FetchedAt: now}
	guestA := &domain.CustomerOrders{GuestOrders: []domain.Order{{LegacyResourceID: 20, Name: "#20", CreatedAt: now.Add(-time.Hour)}, {LegacyResourceID: 21, Name: "#21", CreatedAt: now.Add(-2 * time.Hour)}}}
	guestB := &domain.CustomerOrders{GuestOrders: []domain.Order{{LegacyResourceID: 22, Name: "#22", CreatedAt: now}, {LegacyResourceID: 20, Name: "#20", CreatedAt: now.Add(-time.Hour)}}}
	nobody := &domain.CustomerOrders{}
	down := domain.Errorf(domain.KindShopifyUnavailable, "down")
	revoked := domain.Errorf(domain.KindShopifyAuth, "401")
	slow := domain.Errorf(domain.KindShopifyTimeout, "slow")

	tests := []struct {
		name    string
		results []Result
		check   func(t *testing.T, s views.StoreSection)
	}{
		{"two emails, one customer: shown once, saying both matched", []Result{{Email: "ada@home.example", Answer: ada}, {Email: "ada@work.example", Answer: ada}}, func(t *testing.T, s views.StoreSection) {
			if len(s.Customers) != 1 || s.Customers[0].Card.MatchedBy != "Matched by ada@home.example, ada@work.example" {
				t.Errorf("customers %+v", s.Customers)
			}
		}},
		{"two emails, two customers", []Result{{Email: "ada@x.example", Answer: ada}, {Email: "bob@x.example", Answer: bob}}, func(t *testing.T, s views.StoreSection) {
			if len(s.Customers) != 2 || s.Customers[1].Card.MatchedBy != "Matched by bob@x.example" {
				t.Errorf("customers %+v", s.Customers)
			}
		}},
		{"guest orders of two emails, deduplicated, newest first", []Result{{Email: "a@x.example", Answer: guestA}, {Email: "b@x.example", Answer: guestB}, {Email: "c@x.example", Answer: nobody}}, func(t *testing.T, s views.StoreSection) {
			if s.State != views.SectionLoaded || s.Guests == nil || len(s.Customers) != 0 {
				t.Fatalf("%+v", s)
			}
			var names []string
			for _, o := range s.Guests.Orders.Orders {
				names = append(names, o.Name)
			}
			if strings.Join(names, " ") != "#22 #20 #21" || s.Guests.PlacedWith != "Placed with a@x.example, b@x.example" {
				t.Errorf("guest orders %v, %q", names, s.Guests.PlacedWith)
			}
		}},
		{"a stale answer says how old it is", []Result{{Email: "ada@x.example", Answer: &adaStale}}, func(t *testing.T, s views.StoreSection) {
			if s.State != views.SectionLoaded || s.Stale != "Updated 12 min ago — Shopify didn't answer" {
				t.Errorf("state %v, stale %q", s.State, s.Stale)
			}
		}},
		{"one email failed: what arrived, and a note", []Result{{Email: "ada@x.example", Answer: ada}, {Email: "b@x.example", Err: down}}, func(t *testing.T, s views.StoreSection) {
			if s.State != views.SectionLoaded || len(s.Customers) != 1 || !strings.Contains(s.Notice, "may be incomplete") {
				t.Errorf("%+v", s)
			}
		}},
		{"no match claimed only when every email was checked", []Result{{Email: "a@x.example", Answer: nobody}, {Email: "b@x.example", Err: slow}}, func(t *testing.T, s views.StoreSection) {
			if s.State != views.SectionTimeout {
				t.Errorf("state %v, notice %q", s.State, s.Notice)
			}
		}},
		{"no match for several emails", []Result{{Email: "a@x.example", Answer: nobody}, {Email: "b@x.example", Answer: nobody}}, func(t *testing.T, s views.StoreSection) {
			if s.State != views.SectionNoMatch || s.Notice != "No customer or order with any of these emails in this store." {
				t.Errorf("state %v, notice %q", s.State, s.Notice)
			}
		}},
		{"all failed: the one needing an admin wins", []Result{{Email: "a@x.example", Err: slow}, {Email: "b@x.example", Err: revoked}}, func(t *testing.T, s views.StoreSection) {
			if s.State != views.SectionAttention || s.Notice != "This store's connection needs attention — ask an admin." {
				t.Errorf("state %v, notice %q", s.State, s.Notice)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.check(t, Section(sec, store, tt.results, nil, now))
		})
	}
}

func TestStaleLine(t *testing.T) {
	t.Parallel()
	for d, want := range map[time.Duration]string{
		10 * time.Second: "Updated 1 min ago — Shopify didn't answer",
		59 * time.Minute: "Updated 59 min ago — Shopify didn't answer",
		5 * time.Hour:    "Updated 5 h ago — Shopify didn't answer",
		72 * time.Hour:   "Updated 3 days ago — Shopify didn't answer",
	} {
		if got := staleLine(now.Add(-d), now); got != want {
			t.Errorf("%v: %q, want %q", d, got, want)
		}
	}
}

func TestPresentFailure(t *testing.T) {
	t.Parallel()
	tests := []struct {
		kind  domain.Kind
		state views.SectionState
	}{
		{domain.KindShopifyAuth, views.SectionAttention},
		{domain.KindShopifyFrozen, views.SectionAttention},
		{domain.KindShopifyLocked, views.SectionAttention},
		{domain.KindShopifyTimeout, views.SectionTimeout},
		{domain.KindShopifyUnavailable, views.SectionError},
		{domain.KindShopifyThrottled, views.SectionError},
		{domain.KindInternal, views.SectionError},
	}
	for _, tt := range tests {
		t.Run(tt.kind.String(), func(t *testing.T) {
			err := &domain.Error{Kind: tt.kind, Message: "detail for admins: token shpat_secret", Err: errors.New("cause")}
			got := Failure(views.StoreSection{}, err)
			if got.State != tt.state {
				t.Errorf("state %v, want %v", got.State, tt.state)
			}
			if got.Notice == "" || got.Notice == err.Message {
				t.Errorf("notice %q should be a calm sentence for reps, not the admin detail", got.Notice)
			}
		})
	}
}

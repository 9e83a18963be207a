package present

import (
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"shopcard/domain"
	"shopcard/views"
)

var acmeStore = domain.Store{ID: 1, Domain: "acme-outfitters.myshopify.com", ShopName: "Acme Outfitters", Scopes: []string{"read_customers", "read_orders", "read_all_orders"}}

func usd(a string) domain.Money { return domain.Money{Amount: a, Currency: "USD"} }

func parcel(display string, created time.Time, tracking int) domain.Fulfillment {
	f := domain.Fulfillment{Status: "SUCCESS", DisplayStatus: display, CreatedAt: created}
	for i := range tracking {
		f.Tracking = append(f.Tracking, domain.Tracking{Company: "UPS", Number: "1Z" + strings.Repeat("9", i+1), URL: "https://www.ups.com/track?tracknum=1Z"})
	}
	switch display {
	case "DELIVERED":
		f.DeliveredAt = created.Add(48 * time.Hour)
	case "IN_TRANSIT":
		f.InTransitAt = created.Add(6 * time.Hour)
		f.EstimatedDeliveryAt = time.Date(2026, 11, 27, 18, 0, 0, 0, time.UTC) // Fri 27 Nov
	}
	return f
}

// The edge cases, through the presenters.
func TestOrderEdgeCases(t *testing.T) {
	day := 24 * time.Hour
	fourParcels := domain.Order{
		LegacyResourceID: 1, Name: "#1", CreatedAt: now.Add(-6 * day), FulfillmentStatus: "FULFILLED", FinancialStatus: "PAID",
		Total: usd("475.0"), OriginalTotal: usd("475.0"), Refunded: usd("0.0"), ReturnStatus: "NO_RETURN", ItemCount: 5,
		LineItems: []domain.LineItem{{Title: "Backpack", Quantity: 1, CurrentQuantity: 1}},
		Fulfillments: []domain.Fulfillment{
			parcel("DELIVERED", now.Add(-5*day), 1), parcel("DELIVERED", now.Add(-4*day), 1),
			parcel("DELIVERED", now.Add(-3*day), 5), parcel("IN_TRANSIT", now.Add(-30*time.Hour), 1),
		},
		FulfillmentCount: 4,
	}
	var nine []domain.LineItem
	for i := range 9 {
		nine = append(nine, domain.LineItem{Title: "Item " + string(rune('A'+i)), Quantity: 1, CurrentQuantity: 1, UnitPrice: usd("10")})
	}
	nine[4].CurrentQuantity = 0
	nineLines := domain.Order{LegacyResourceID: 2, Name: "#2", CreatedAt: now.Add(-11 * day), LineItems: nine, ItemCount: 8,
		Total: usd("80.0"), OriginalTotal: usd("90.0"), Refunded: usd("10.0"), FulfillmentCount: 0}
	withReturn := domain.Order{LegacyResourceID: 3, Name: "#3", CreatedAt: now.Add(-24 * day), FinancialStatus: "PARTIALLY_REFUNDED",
		ReturnStatus: "IN_PROGRESS", Total: usd("169.0"), OriginalTotal: usd("304.0"), Refunded: usd("135.0"),
		LineItems: []domain.LineItem{{Title: "Shoes", Quantity: 2, CurrentQuantity: 1}}, ItemCount: 1}
	kwd := domain.Order{LegacyResourceID: 4, Name: "OA-1", CreatedAt: now.Add(-3 * day),
		Total: domain.Money{Amount: "102.995", Currency: "KWD"}, OriginalTotal: domain.Money{Amount: "102.995", Currency: "KWD"}, Refunded: domain.Money{Amount: "0.0", Currency: "KWD"}}
	capped := fourParcels
	capped.FulfillmentCount, capped.MoreLineItems, capped.ItemCount = 7, true, 14

	tests := []struct {
		name  string
		order domain.Order
		check func(t *testing.T, row views.OrderRow, d views.OrderDetail)
	}{
		{"four shipments, the newest in transit", fourParcels, func(t *testing.T, row views.OrderRow, d views.OrderDetail) {
			if row.Delivery != "In transit · arrives Fri 27 Nov · newest of 4 shipments" || row.DeliveryTone != views.ToneInfo {
				t.Errorf("delivery %q (tone %v)", row.Delivery, row.DeliveryTone)
			}
			if len(d.Shipments) != 4 || d.Shipments[0].Status.Label != "In transit" || d.MoreShipments != "" {
				t.Errorf("shipments %+v, more %q", d.Shipments, d.MoreShipments)
			}
		}},
		{"a shipment with five tracking numbers", fourParcels, func(t *testing.T, _ views.OrderRow, d views.OrderDetail) {
			if n := len(d.Shipments[1].Tracking); n != 5 {
				t.Errorf("%d tracking numbers shown, want 5", n)
			}
			if d.Shipments[1].Delivery != "Delivered 1 day ago" && d.Shipments[1].Delivery != "Delivered yesterday" {
				t.Errorf("delivered shipment says %q", d.Shipments[1].Delivery)
			}
		}},
		{"nine line items, one fully removed", nineLines, func(t *testing.T, _ views.OrderRow, d views.OrderDetail) {
			if len(d.Items) != 9 || d.MoreItems != "" {
				t.Fatalf("%d items, more %q", len(d.Items), d.MoreItems)
			}
			if it := d.Items[4]; !it.Removed || it.Quantity != "Removed" || it.Changed != "was 1" {
				t.Errorf("removed item %+v", it)
			}
			if it := d.Items[0]; it.Removed || it.Quantity != "1 ×" || it.Price != "10.00 USD" {
				t.Errorf("kept item %+v", it)
			}
		}},
		{"partially refunded, with a return", withReturn, func(t *testing.T, row views.OrderRow, d views.OrderDetail) {
			if row.Original != "304.00 USD" || row.Total != "169.00 USD" || row.Refunded != "135.00 USD refunded" {
				t.Errorf("row %q → %q, %q", row.Original, row.Total, row.Refunded)
			}
			if row.Return != (views.Badge{Label: "Return in progress", Tone: views.ToneInfo}) {
				t.Errorf("return %+v", row.Return)
			}
			if d.Original != "304.00 USD" || d.Refunded != "135.00 USD" || d.Current != "169.00 USD" {
				t.Errorf("totals %q %q %q", d.Original, d.Refunded, d.Current)
			}
			if it := d.Items[0]; it.Quantity != "1 ×" || it.Changed != "was 2" {
				t.Errorf("partly returned item %+v", it)
			}
		}},
		{"a three-decimal currency", kwd, func(t *testing.T, row views.OrderRow, _ views.OrderDetail) {
			if row.Total != "102.995 KWD" || row.Original != "" || row.Refunded != "" {
				t.Errorf("row %+v", row)
			}
		}},
		{"caps are said, never silent", capped, func(t *testing.T, row views.OrderRow, d views.OrderDetail) {
			if d.MoreShipments != "3 more shipments — open in Shopify" || d.MoreItems != "13 more items — open in Shopify" {
				t.Errorf("more shipments %q, more items %q", d.MoreShipments, d.MoreItems)
			}
			if !strings.HasSuffix(row.Delivery, "newest of 7 shipments") {
				t.Errorf("delivery %q", row.Delivery)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			row := orderRow(acmeStore, &tt.order, func(id uint64) string { return "/o" }, now)
			if row.DetailURL != "/o" {
				t.Errorf("detail URL %q", row.DetailURL)
			}
			tt.check(t, row, OrderDetail(acmeStore, &domain.OrderDetail{Order: tt.order}, now))
		})
	}
}

func TestDeliveryWords(t *testing.T) {
	day := 24 * time.Hour
	tests := []struct {
		name string
		f    domain.Fulfillment
		want string
	}{
		{"in transit with an estimate", domain.Fulfillment{Status: "SUCCESS", DisplayStatus: "IN_TRANSIT", EstimatedDeliveryAt: now.Add(2 * day)}, "In transit · arrives Fri 27 Nov"},
		{"in transit, overdue", domain.Fulfillment{Status: "SUCCESS", DisplayStatus: "IN_TRANSIT", EstimatedDeliveryAt: now.Add(-day)}, "In transit · was due Tue 24 Nov"},
		{"in transit, no estimate", domain.Fulfillment{Status: "SUCCESS", DisplayStatus: "IN_TRANSIT"}, "In transit"},
		{"in transit since pickup", domain.Fulfillment{Status: "SUCCESS", DisplayStatus: "IN_TRANSIT", InTransitAt: now.Add(-2 * day)}, "In transit since Mon 23 Nov"},
		{"out for delivery", domain.Fulfillment{Status: "SUCCESS", DisplayStatus: "OUT_FOR_DELIVERY", EstimatedDeliveryAt: now.Add(time.Hour)}, "Out for delivery"},
		{"delivered", domain.Fulfillment{Status: "SUCCESS", DisplayStatus: "DELIVERED", DeliveredAt: now.Add(-2 * day)}, "Delivered 2 days ago"},
		{"delivered, no date", domain.Fulfillment{Status: "SUCCESS", DisplayStatus: "DELIVERED"}, "Delivered"},
		{"attempted", domain.Fulfillment{Status: "SUCCESS", DisplayStatus: "ATTEMPTED_DELIVERY", EstimatedDeliveryAt: now.Add(day)}, "Delivery attempted · arrives Thu 26 Nov"},
		{"no carrier status", domain.Fulfillment{Status: "SUCCESS", CreatedAt: now.Add(-3 * day)}, "Shipped 3 days ago"},
		{"failed", domain.Fulfillment{Status: "SUCCESS", DisplayStatus: "FAILURE"}, "Delivery failed"},
		{"a status Shopify adds later", domain.Fulfillment{Status: "SUCCESS", DisplayStatus: "HELD_AT_CUSTOMS"}, "Held at customs"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, _ := deliveryWords(tt.f, now); got != tt.want {
				t.Errorf("%q, want %q", got, tt.want)
			}
		})
	}
	// The newest shipment that was not cancelled is the one spoken of.
	fs := []domain.Fulfillment{{Status: "SUCCESS", CreatedAt: now.Add(-2 * day)}, {Status: "CANCELLED", CreatedAt: now.Add(-day)}}
	if got := newestShipment(fs); got != &fs[0] {
		t.Errorf("newest shipment %+v", got)
	}
}

// deliveryWordsChange is exact: the words hold until it and differ from
// it on, for every kind of shipment.
func TestDeliveryWordsChange(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	statuses := []string{"", "FULFILLED", "IN_TRANSIT", "DELIVERED", "OUT_FOR_DELIVERY", "DELAYED"}
	for range 3000 {
		at := func() time.Time { return now.Add(time.Duration(rng.Int64N(int64(40*24*time.Hour))) - 20*24*time.Hour) }
		f := domain.Fulfillment{Status: "SUCCESS", DisplayStatus: statuses[rng.IntN(len(statuses))], CreatedAt: now.Add(-time.Duration(rng.Int64N(int64(30 * 24 * time.Hour))))}
		if rng.IntN(2) == 0 {
			f.EstimatedDeliveryAt = at()
		}
		if rng.IntN(2) == 0 {
			f.InTransitAt = f.CreatedAt.Add(6 * time.Hour)
		}
		if rng.IntN(2) == 0 {
			f.DeliveredAt = f.CreatedAt.Add(time.Duration(rng.Int64N(int64(f.CreatedAt.Sub(now.Add(-30*24*time.Hour)) + 1))))
			if f.DeliveredAt.After(now) {
				f.DeliveredAt = now
			}
		}
		until := deliveryWordsChange(f, now)
		if !until.After(now) {
			t.Fatalf("%+v: change at %v, not after now", f, until.Sub(now))
		}
		a, _ := deliveryWords(f, now)
		b, _ := deliveryWords(f, until.Add(-time.Nanosecond))
		if a != b {
			t.Fatalf("%+v: %q became %q before %v", f, a, b, until.Sub(now))
		}
	}
}

func TestOrderDetailStates(t *testing.T) {
	o := domain.Order{LegacyResourceID: 9, Name: "#9", Total: usd("10"), OriginalTotal: usd("10"), Refunded: usd("0"), ReturnStatus: "RETURN_REQUESTED",
		LineItems: []domain.LineItem{{Title: "Mug", Quantity: 1, CurrentQuantity: 1}}}
	withheld := &domain.OrderDetail{Order: o, Withheld: []string{"email", "shippingAddress"}, ReturnsDenied: true, StatusPageURL: "javascript:alert(1)"}
	d := OrderDetail(acmeStore, withheld, now)
	if d.Variant != "detail-partial" || d.AddressNote != "Withheld by Shopify (protected customer data)." || len(d.Notes) != 2 {
		t.Errorf("withheld: %+v", d)
	}
	if d.StatusPageURL != "" {
		t.Errorf("a javascript: status page became a link: %q", d.StatusPageURL)
	}
	for _, n := range d.Notes {
		if strings.Contains(n, "read_") {
			t.Errorf("a scope name in a rep's note: %q", n)
		}
	}
	noAddress := OrderDetail(acmeStore, &domain.OrderDetail{Order: o}, now)
	if noAddress.AddressNote != "No shipping address." || noAddress.Variant != "detail-loaded" {
		t.Errorf("no address: %+v", noAddress)
	}
	tests := []struct {
		kind    domain.Kind
		variant string
		retry   bool
	}{
		{domain.KindShopifyUnavailable, "detail-error", true},
		{domain.KindShopifyThrottled, "detail-error", true},
		{domain.KindShopifyTimeout, "detail-timeout", true},
		{domain.KindShopifyAuth, "detail-attention", false},
		{domain.KindNotFound, "detail-gone", false},
	}
	seen := map[string]bool{"detail-loaded": true, "detail-partial": true}
	for _, tt := range tests {
		err := &domain.Error{Kind: tt.kind, Message: "for admins: shpat_secret", Err: errors.New("cause")}
		f := OrderDetailFailure(acmeStore, &o, err, "/retry", now)
		seen[f.Variant] = true
		if f.Variant != tt.variant || (f.RetryURL != "") != tt.retry || strings.Contains(f.Notice, "shpat") || len(f.Items) != 1 {
			t.Errorf("%v: %+v", tt.kind, f)
		}
	}
	for _, v := range DetailVariants {
		if !seen[v] {
			t.Errorf("no test gives %q", v)
		}
	}
}

func TestWithheldGuestOrders(t *testing.T) {
	store := acmeStore
	sec := Section(views.StoreSection{}, store, []Result{{Email: "guest@example.com", Answer: &domain.CustomerOrders{GuestsWithheld: 1}}}, nil, now)
	if sec.State != views.SectionWithheld || sec.Variant != "withheld-guests" || strings.Contains(sec.Notice, "No customer") {
		t.Fatalf("%+v", sec)
	}
	if sec.Notice != "1 guest order matches this email, but Shopify withheld its email, so shopcard can't confirm whose they are — an admin can request access to protected customer data for the app." {
		t.Errorf("notice %q", sec.Notice)
	}
	// Some confirmed, some withheld: the confirmed show, the rest are told.
	mixed := &domain.CustomerOrders{GuestsWithheld: 2, GuestOrders: []domain.Order{{LegacyResourceID: 5, Name: "#5", CreatedAt: now}}}
	sec = Section(views.StoreSection{}, store, []Result{{Email: "guest@example.com", Answer: mixed}}, nil, now)
	if sec.Guests == nil || len(sec.Guests.Orders.Orders) != 1 || !strings.Contains(sec.Guests.Orders.Summary, "withheld the email on 2 more guest orders") {
		t.Errorf("%+v", sec.Guests)
	}
}

func TestSkeletonFor(t *testing.T) {
	orders := make([]domain.Order, 12)
	tests := []struct {
		name    string
		results []Result
		want    views.Skeleton
	}{
		{"a customer with many orders", []Result{{Answer: &domain.CustomerOrders{Customer: &domain.Customer{ID: "1", NumberOfOrders: 12}, Orders: orders}}}, views.Skeleton{Cards: 1, Rows: 10, Note: true}},
		{"one customer, two emails", []Result{
			{Answer: &domain.CustomerOrders{Customer: &domain.Customer{ID: "1", NumberOfOrders: 2}, Orders: orders[:2]}},
			{Answer: &domain.CustomerOrders{Customer: &domain.Customer{ID: "1", NumberOfOrders: 2}, Orders: orders[:2]}},
		}, views.Skeleton{Cards: 1, Rows: 2}},
		{"guests", []Result{{Answer: &domain.CustomerOrders{GuestOrders: orders[:3]}}}, views.Skeleton{Rows: 3}},
		{"nobody", []Result{{Answer: &domain.CustomerOrders{}}}, views.Skeleton{}},
	}
	for _, tt := range tests {
		if got := SkeletonFor(tt.results); got != tt.want {
			t.Errorf("%s: %+v, want %+v", tt.name, got, tt.want)
		}
	}
}

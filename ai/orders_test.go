package ai

import (
	"testing"
	"time"

	"shopcard/domain"
)

// TestOrderDetailsAreTheSidebarsTruth: an agent reads an order as a rep
// does: items at their current quantities (one refunded or edited away
// left out, never shown as pending units), the rest counted from what the
// order holds now, and every shipment with its own delivery dates, from
// the one summary the sidebar's rows come from.
func TestOrderDetailsAreTheSidebarsTruth(t *testing.T) {
	shipped := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	f := domain.FoundOrder{Order: domain.Order{
		Name: "#1042", CreatedAt: shipped.Add(-24 * time.Hour), FulfillmentStatus: "FULFILLED", ReturnStatus: "IN_PROGRESS",
		LineItems: []domain.LineItem{
			{Title: "Boots", Quantity: 2, CurrentQuantity: 1},
			{Title: "Vest", Quantity: 1, CurrentQuantity: 0},
			{Title: "Socks", Quantity: 3, CurrentQuantity: 3},
		},
		ItemCount: 6, MoreLineItems: true,
		Fulfillments: []domain.Fulfillment{
			{Status: "SUCCESS", DisplayStatus: "DELIVERED", CreatedAt: shipped, InTransitAt: shipped.Add(6 * time.Hour), DeliveredAt: shipped.Add(54 * time.Hour)},
			{Status: "SUCCESS", DisplayStatus: "IN_TRANSIT", CreatedAt: shipped.Add(72 * time.Hour), InTransitAt: shipped.Add(78 * time.Hour), EstimatedDeliveryAt: shipped.Add(150 * time.Hour)},
			{Status: "SUCCESS", CreatedAt: shipped.Add(96 * time.Hour)},
		},
	}}
	d := orderDetailsOf(storeA, f)
	if len(d.Items) != 2 || d.Items[0].Quantity != 1 || d.Items[1].Title != "Socks" || d.MoreItems != 2 {
		t.Errorf("items %+v and %d more, want boots ×1, socks ×3 and 2 more", d.Items, d.MoreItems)
	}
	if len(d.Shipments) != 3 {
		t.Fatalf("%d shipments, want all 3", len(d.Shipments))
	}
	if s := d.Shipments[0]; s.DeliveredAt != "2026-11-22T15:00:00Z" || s.InTransitAt != "2026-11-20T15:00:00Z" {
		t.Errorf("first shipment %+v", s)
	}
	if s := d.Shipments[1]; s.EstimatedDeliveryAt != "2026-11-26T15:00:00Z" || s.DeliveredAt != "" {
		t.Errorf("second shipment %+v", s)
	}
	if s := d.Shipments[2]; s.InTransitAt != "" || s.EstimatedDeliveryAt != "" || s.DeliveredAt != "" {
		t.Errorf("a shipment without dates got some: %+v", s)
	}
	if d.Return != "Return in progress" {
		t.Errorf("return %q", d.Return)
	}
}

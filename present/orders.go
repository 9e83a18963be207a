package present

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"shopcard/domain"
	"shopcard/shopify"
	"shopcard/views"
)

// Orders lists a customer's orders, saying what Shopify counts beyond
// them and why they are not shown.
func Orders(store domain.Store, r *domain.CustomerOrders, now time.Time) views.OrderList {
	list := views.OrderList{Orders: make([]views.OrderRow, 0, len(r.Orders))}
	for i := range r.Orders {
		list.Orders = append(list.Orders, orderRow(store, &r.Orders[i], now))
	}
	total := r.Customer.NumberOfOrders
	shown := uint64(len(r.Orders))
	if total > shown {
		list.MoreURL = customerAdminURL(store, r.Customer.LegacyResourceID)
		list.Hidden = "All " + Plural(total, "order", "orders")
		if shown < shopify.OrdersPerCustomer && !shopify.HasScope(store.Scopes, shopify.ScopeAllOrders) {
			list.Note = olderOrdersHiddenForRep
		}
	}
	return list
}

func orderRow(store domain.Store, o *domain.Order, now time.Time) views.OrderRow {
	row := views.OrderRow{
		ID:          "order-" + strconv.FormatUint(o.LegacyResourceID, 10),
		Name:        o.Name,
		AdminURL:    orderAdminURL(store, o.LegacyResourceID),
		Created:     When(o.CreatedAt, now),
		Fulfillment: fulfillmentBadge(o.FulfillmentStatus),
		Financial:   financialBadge(o.FinancialStatus),
		Total:       formatMoney(o.Total),
	}
	if o.CancelledAt != nil {
		row.Cancelled = "Cancelled " + When(*o.CancelledAt, now).Relative
		if reason := cancelReasonWords(o.CancelReason); reason != "" {
			row.Cancelled += ": " + reason
		}
		row.Cancelled += "."
	}
	listed := 0
	for _, li := range o.LineItems {
		row.Items = append(row.Items, views.ItemRow{Title: li.Title, Variant: li.VariantTitle, Quantity: li.Quantity})
		listed += li.Quantity
	}
	if more := o.ItemCount - listed; more > 0 {
		row.MoreItems = "+ " + Plural(uint64(more), "more item", "more items") + " — see the order in Shopify"
	}
	for _, f := range o.Fulfillments {
		s := views.Shipment{Status: shipmentBadge(f), Created: When(f.CreatedAt, now)}
		for _, t := range f.Tracking {
			if t.Number == "" && t.URL == "" && t.Company == "" {
				continue
			}
			number := t.Number
			if number == "" {
				number = "Track shipment"
			}
			s.Tracking = append(s.Tracking, views.TrackingRow{Company: t.Company, Number: number, URL: safeLink(t.URL)})
		}
		row.Shipments = append(row.Shipments, s)
	}
	return row
}

// safeLink returns u when it is an absolute http(s) URL, and "" otherwise:
// a tracking URL comes from Shopify, which takes it from anyone.
func safeLink(u string) string {
	parsed, err := url.Parse(strings.TrimSpace(u))
	if err != nil || parsed.Host == "" {
		return ""
	}
	switch strings.ToLower(parsed.Scheme) {
	case "http", "https":
		return parsed.String()
	}
	return ""
}

var fulfillmentWords = map[string]views.Badge{
	"FULFILLED":           {Label: "Fulfilled", Tone: views.ToneGood},
	"UNFULFILLED":         {Label: "Unfulfilled", Tone: views.ToneWarn},
	"PARTIALLY_FULFILLED": {Label: "Partially fulfilled", Tone: views.ToneWarn},
	"ON_HOLD":             {Label: "On hold", Tone: views.ToneWarn},
	"SCHEDULED":           {Label: "Scheduled", Tone: views.ToneInfo},
	"IN_PROGRESS":         {Label: "In progress", Tone: views.ToneInfo},
	"OPEN":                {Label: "Open", Tone: views.ToneInfo},
	"PENDING_FULFILLMENT": {Label: "Pending fulfillment", Tone: views.ToneInfo},
	"RESTOCKED":           {Label: "Restocked", Tone: views.ToneNeutral},
	"REQUEST_DECLINED":    {Label: "Request declined", Tone: views.ToneBad},
}

func fulfillmentBadge(status string) views.Badge {
	if b, ok := fulfillmentWords[status]; ok {
		return b
	}
	return views.Badge{Label: humanize(status), Tone: views.ToneNeutral}
}

var financialWords = map[string]views.Badge{
	"PAID":               {Label: "Paid", Tone: views.ToneGood},
	"PENDING":            {Label: "Payment pending", Tone: views.ToneWarn},
	"AUTHORIZED":         {Label: "Authorized", Tone: views.ToneInfo},
	"PARTIALLY_PAID":     {Label: "Partially paid", Tone: views.ToneWarn},
	"PARTIALLY_REFUNDED": {Label: "Partially refunded", Tone: views.ToneNeutral},
	"REFUNDED":           {Label: "Refunded", Tone: views.ToneNeutral},
	"VOIDED":             {Label: "Voided", Tone: views.ToneNeutral},
	"EXPIRED":            {Label: "Payment expired", Tone: views.ToneBad},
}

// financialBadge is empty when Shopify sent no financial status.
func financialBadge(status string) views.Badge {
	if status == "" {
		return views.Badge{}
	}
	if b, ok := financialWords[status]; ok {
		return b
	}
	return views.Badge{Label: humanize(status), Tone: views.ToneNeutral}
}

var shipmentWords = map[string]views.Badge{
	"DELIVERED":           {Label: "Delivered", Tone: views.ToneGood},
	"PICKED_UP":           {Label: "Picked up", Tone: views.ToneGood},
	"IN_TRANSIT":          {Label: "In transit", Tone: views.ToneInfo},
	"OUT_FOR_DELIVERY":    {Label: "Out for delivery", Tone: views.ToneInfo},
	"CARRIER_PICKED_UP":   {Label: "Picked up by carrier", Tone: views.ToneInfo},
	"CONFIRMED":           {Label: "Confirmed", Tone: views.ToneInfo},
	"LABEL_PRINTED":       {Label: "Label printed", Tone: views.ToneInfo},
	"LABEL_PURCHASED":     {Label: "Label purchased", Tone: views.ToneInfo},
	"READY_FOR_PICKUP":    {Label: "Ready for pickup", Tone: views.ToneInfo},
	"SUBMITTED":           {Label: "Submitted", Tone: views.ToneInfo},
	"FULFILLED":           {Label: "Shipped", Tone: views.ToneInfo},
	"MARKED_AS_FULFILLED": {Label: "Marked as fulfilled", Tone: views.ToneNeutral},
	"ATTEMPTED_DELIVERY":  {Label: "Delivery attempted", Tone: views.ToneWarn},
	"DELAYED":             {Label: "Delayed", Tone: views.ToneWarn},
	"NOT_DELIVERED":       {Label: "Not delivered", Tone: views.ToneBad},
	"FAILURE":             {Label: "Delivery failed", Tone: views.ToneBad},
	"CANCELED":            {Label: "Cancelled", Tone: views.ToneBad},
	"LABEL_VOIDED":        {Label: "Label voided", Tone: views.ToneNeutral},
}

// shipmentBadge prefers the carrier's display status and falls back to the
// fulfillment's own status.
func shipmentBadge(f domain.Fulfillment) views.Badge {
	if b, ok := shipmentWords[f.DisplayStatus]; ok {
		return b
	}
	if f.DisplayStatus != "" {
		return views.Badge{Label: humanize(f.DisplayStatus), Tone: views.ToneNeutral}
	}
	switch f.Status {
	case "SUCCESS":
		return views.Badge{Label: "Shipped", Tone: views.ToneInfo}
	case "CANCELLED":
		return views.Badge{Label: "Cancelled", Tone: views.ToneBad}
	case "ERROR", "FAILURE":
		return views.Badge{Label: "Failed", Tone: views.ToneBad}
	}
	return views.Badge{Label: humanize(f.Status), Tone: views.ToneNeutral}
}

func cancelReasonWords(reason string) string {
	switch reason {
	case "CUSTOMER":
		return "the customer changed their mind"
	case "DECLINED":
		return "payment declined"
	case "FRAUD":
		return "suspected fraud"
	case "INVENTORY":
		return "items unavailable"
	case "STAFF":
		return "staff error"
	case "OTHER", "":
		return ""
	}
	return strings.ToLower(humanize(reason))
}

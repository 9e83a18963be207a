package present

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"shopcard/domain"
	"shopcard/shopify"
	"shopcard/views"
)

// OrdersShownFirst is how many orders a list shows before its "Show more"
// control: enough for most customers, few enough to scan in a narrow
// frame. The rest of the 50 fetched are in the page, behind the control.
const OrdersShownFirst = 10

// OrderURLs builds an order's detail fragment URL from its legacy ID; the
// handler binds it to the store's route.
type OrderURLs func(orderID uint64) string

// Orders lists a customer's orders, saying in one sentence what Shopify
// counts beyond them and why they are not shown.
func Orders(store domain.Store, r *domain.CustomerOrders, detail OrderURLs, now time.Time) views.OrderList {
	rows := make([]views.OrderRow, 0, len(r.Orders))
	for i := range r.Orders {
		rows = append(rows, orderRow(store, &r.Orders[i], detail, now))
	}
	list := fold(rows)
	total := r.Customer.NumberOfOrders
	shown := uint64(len(r.Orders))
	recentOnly := !shopify.HasScope(store.Scopes, shopify.ScopeAllOrders)
	switch {
	case total == 0 && shown == 0:
		list.Empty = "No orders yet."
	case total <= shown:
	case shown == 0 && recentOnly:
		list.Summary = Plural(total, "order", "orders") + " in Shopify; none in the last " + recentDays +
			" are visible to shopcard — an admin can allow older orders."
	case shown < shopify.OrdersPerCustomer && recentOnly:
		list.Summary = "Showing " + strconv.FormatUint(shown, 10) + " of " + Plural(total, "order", "orders") +
			": shopcard sees only the last " + recentDays + " here — an admin can allow older orders."
	case shown == shopify.OrdersPerCustomer:
		list.Summary = "Showing the newest " + strconv.FormatUint(shown, 10) + " of " + Plural(total, "order", "orders") + "."
	default:
		// Shopify counts orders it doesn't list (archived or deleted ones,
		// say): the list is all there is to show.
		list.Summary = "Showing " + strconv.FormatUint(shown, 10) + " of " + Plural(total, "order", "orders") + "."
	}
	if total > shown {
		list.MoreURL = customerAdminURL(store, r.Customer.LegacyResourceID)
	}
	return list
}

// fold puts the rows beyond OrdersShownFirst behind "Show more".
func fold(rows []views.OrderRow) views.OrderList {
	if len(rows) <= OrdersShownFirst {
		return views.OrderList{Orders: rows}
	}
	more := rows[OrdersShownFirst:]
	return views.OrderList{
		Orders: rows[:OrdersShownFirst], MoreOrders: more,
		ShowMore: "Show " + Plural(uint64(len(more)), "more order", "more orders"),
	}
}

// refold shows n orders at once instead of OrdersShownFirst; 0 keeps the
// list as it is.
func refold(l views.OrderList, n int) views.OrderList {
	if n <= 0 || n >= OrdersShownFirst {
		return l
	}
	all := append(append([]views.OrderRow(nil), l.Orders...), l.MoreOrders...)
	if len(all) <= n {
		l.Orders, l.MoreOrders, l.ShowMore = all, nil, ""
		return l
	}
	l.Orders, l.MoreOrders = all[:n], all[n:]
	l.ShowMore = "Show " + Plural(uint64(len(l.MoreOrders)), "more order", "more orders")
	return l
}

func orderRow(store domain.Store, o *domain.Order, detail OrderURLs, now time.Time) views.OrderRow {
	row := views.OrderRow{
		ID:          "order-" + strconv.FormatUint(o.LegacyResourceID, 10),
		Name:        o.Name,
		AdminURL:    orderAdminURL(store, o.LegacyResourceID),
		Created:     When(o.CreatedAt, now),
		Fulfillment: fulfillmentBadge(o.FulfillmentStatus),
		Financial:   financialBadge(o.FinancialStatus),
		Return:      returnBadge(o.ReturnStatus),
		Total:       formatMoney(o.Total),
	}
	if detail != nil {
		row.DetailURL = detail(o.LegacyResourceID)
	}
	if o.CancelledAt != nil {
		row.Cancelled = cancelledLine(o, now)
	}
	if !isZeroMoney(o.Refunded) {
		row.Refunded = formatMoney(o.Refunded) + " refunded"
		if o.OriginalTotal.Amount != "" && !sameMoney(o.OriginalTotal, o.Total) {
			row.Original = formatMoney(o.OriginalTotal)
		}
	}
	if f := newestShipment(o.Fulfillments); f != nil {
		row.Delivery, row.DeliveryTone = deliveryWords(*f, now)
		if n := max(len(o.Fulfillments), o.FulfillmentCount); n > 1 {
			row.Delivery += " · newest of " + strconv.Itoa(n) + " shipments"
		}
	}
	row.DetailSkeleton = views.Skeleton{Rows: min(len(o.LineItems), 10) + 2*len(o.Fulfillments)}
	return row
}

func cancelledLine(o *domain.Order, now time.Time) string {
	s := "Cancelled " + When(*o.CancelledAt, now).Relative
	if reason := cancelReasonWords(o.CancelReason); reason != "" {
		s += ": " + reason
	}
	return s + "."
}

// newestShipment is the shipment the customer is most likely asking
// about: the newest that was not cancelled, else the newest.
func newestShipment(fs []domain.Fulfillment) *domain.Fulfillment {
	var newest, newestLive *domain.Fulfillment
	for i := range fs {
		f := &fs[i]
		if newest == nil || !f.CreatedAt.Before(newest.CreatedAt) {
			newest = f
		}
		if f.Status != "CANCELLED" && (newestLive == nil || !f.CreatedAt.Before(newestLive.CreatedAt)) {
			newestLive = f
		}
	}
	if newestLive != nil {
		return newestLive
	}
	return newest
}

// deliveryWords says where a shipment is, in words, with the date that
// matters: when it arrived, or when it is expected.
func deliveryWords(f domain.Fulfillment, now time.Time) (string, views.Tone) {
	b := shipmentBadge(f)
	expected := func(prefix string) string {
		switch {
		case f.EstimatedDeliveryAt.IsZero() && !f.InTransitAt.IsZero() && f.DisplayStatus == "IN_TRANSIT":
			// No estimate: how long it has been on its way says most.
			return prefix + " since " + day(f.InTransitAt, now)
		case f.EstimatedDeliveryAt.IsZero():
			return prefix
		case f.EstimatedDeliveryAt.After(now):
			return prefix + " · arrives " + day(f.EstimatedDeliveryAt, now)
		}
		return prefix + " · was due " + day(f.EstimatedDeliveryAt, now)
	}
	switch f.DisplayStatus {
	case "DELIVERED", "PICKED_UP":
		if !f.DeliveredAt.IsZero() {
			return b.Label + " " + relative(f.DeliveredAt, now), b.Tone
		}
		return b.Label, b.Tone
	case "IN_TRANSIT", "ATTEMPTED_DELIVERY", "DELAYED", "CARRIER_PICKED_UP", "CONFIRMED":
		return expected(b.Label), b.Tone
	case "OUT_FOR_DELIVERY":
		return b.Label, b.Tone
	case "", "FULFILLED":
		if f.Status == "SUCCESS" {
			return expected("Shipped " + relative(f.CreatedAt, now)), b.Tone
		}
	}
	return b.Label, b.Tone
}

// deliveryWordsChange is the first moment after now at which
// deliveryWords(f, ·) reads differently, following its cases.
func deliveryWordsChange(f domain.Fulfillment, now time.Time) time.Time {
	never := now.Add(24 * time.Hour)
	estimate := func() time.Time {
		if f.EstimatedDeliveryAt.After(now) {
			return f.EstimatedDeliveryAt
		}
		return never
	}
	switch f.DisplayStatus {
	case "DELIVERED", "PICKED_UP":
		if !f.DeliveredAt.IsZero() {
			return relativeChanges(f.DeliveredAt, now)
		}
		return never
	case "IN_TRANSIT", "ATTEMPTED_DELIVERY", "DELAYED", "CARRIER_PICKED_UP", "CONFIRMED":
		return estimate()
	case "", "FULFILLED":
		if f.Status == "SUCCESS" {
			return minTime(relativeChanges(f.CreatedAt, now), estimate())
		}
	}
	return never
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

// trackingRows lists a shipment's tracking numbers, each linked only when
// its URL is http(s); entries with nothing in them are left out.
func trackingRows(f domain.Fulfillment) []views.TrackingRow {
	var out []views.TrackingRow
	for _, t := range f.Tracking {
		if t.Number == "" && t.URL == "" && t.Company == "" {
			continue
		}
		number := t.Number
		if number == "" {
			number = "Track shipment"
		}
		out = append(out, views.TrackingRow{Company: t.Company, Number: number, URL: safeLink(t.URL)})
	}
	return out
}

// itemRow is a line item at its current quantity: a fully removed one
// says so, and one partly removed says what it was.
func itemRow(li domain.LineItem) views.ItemRow {
	row := views.ItemRow{Title: li.Title, Variant: li.VariantTitle, SKU: li.SKU, Quantity: strconv.Itoa(li.CurrentQuantity) + " ×"}
	if !isZeroMoney(li.UnitPrice) || li.UnitPrice.Amount != "" {
		row.Price = formatMoney(li.UnitPrice)
	}
	switch {
	case li.CurrentQuantity <= 0 && li.Quantity > 0:
		row.Quantity, row.Removed = "Removed", true
		row.Changed = "was " + strconv.Itoa(li.Quantity)
	case li.CurrentQuantity < li.Quantity:
		row.Changed = "was " + strconv.Itoa(li.Quantity)
	}
	return row
}

// moreItems says how many items the list leaves out, when Shopify has more
// line items than it listed.
func moreItems(o *domain.Order) string {
	if !o.MoreLineItems {
		return ""
	}
	listed := 0
	for _, li := range o.LineItems {
		listed += max(li.CurrentQuantity, 0)
	}
	if more := o.ItemCount - listed; more > 0 {
		return Plural(uint64(more), "more item", "more items") + " — open in Shopify"
	}
	return "More items — open in Shopify"
}

// moreShipments says how many shipments Shopify counts beyond those it
// returned.
func moreShipments(o *domain.Order) string {
	if more := o.FulfillmentCount - len(o.Fulfillments); more > 0 {
		return Plural(uint64(more), "more shipment", "more shipments") + " — open in Shopify"
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

var returnWords = map[string]views.Badge{
	"RETURN_REQUESTED":    {Label: "Return requested", Tone: views.ToneWarn},
	"IN_PROGRESS":         {Label: "Return in progress", Tone: views.ToneInfo},
	"INSPECTION_COMPLETE": {Label: "Return inspected", Tone: views.ToneInfo},
	"RETURNED":            {Label: "Returned", Tone: views.ToneNeutral},
	"RETURN_FAILED":       {Label: "Return failed", Tone: views.ToneBad},
}

// returnBadge is empty for an order without a return.
func returnBadge(status string) views.Badge {
	if status == "" || status == "NO_RETURN" {
		return views.Badge{}
	}
	if b, ok := returnWords[status]; ok {
		return b
	}
	return views.Badge{Label: humanize(status), Tone: views.ToneNeutral}
}

// returnStatusWords are one return's ReturnStatus in words.
var returnStatusWords = map[string]views.Badge{
	"REQUESTED": {Label: "Requested", Tone: views.ToneWarn},
	"OPEN":      {Label: "In progress", Tone: views.ToneInfo},
	"CLOSED":    {Label: "Closed", Tone: views.ToneNeutral},
	"DECLINED":  {Label: "Declined", Tone: views.ToneBad},
	"CANCELED":  {Label: "Cancelled", Tone: views.ToneNeutral},
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

// eventWords are a carrier event's FulfillmentEventStatus in words.
var eventWords = map[string]string{
	"LABEL_PURCHASED": "Label purchased", "LABEL_PRINTED": "Label printed", "READY_FOR_PICKUP": "Ready for pickup",
	"CONFIRMED": "Confirmed", "IN_TRANSIT": "In transit", "OUT_FOR_DELIVERY": "Out for delivery",
	"ATTEMPTED_DELIVERY": "Delivery attempted", "DELAYED": "Delayed", "DELIVERED": "Delivered",
	"FAILURE": "Delivery failed", "CARRIER_PICKED_UP": "Picked up by carrier",
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

// sortedNewestFirst is fs from newest to oldest, for an opened order.
func sortedNewestFirst(fs []domain.Fulfillment) []domain.Fulfillment {
	out := slices.Clone(fs)
	slices.SortStableFunc(out, func(a, b domain.Fulfillment) int { return b.CreatedAt.Compare(a.CreatedAt) })
	return out
}

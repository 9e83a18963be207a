package present

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"shopcard/domain"
	"shopcard/views"
)

// The opened order, built once here for the sidebar and for whatever else
// opens an order (order search, later): OrderDetail for an answer,
// OrderDetailFailure when there is none.

// DetailID is the DOM id of an order's opened part, inside its row.
func DetailID(orderID uint64) string { return "order-" + strconv.FormatUint(orderID, 10) + "-detail" }

// DetailVariants names every state an opened order can show, as its
// data-variant; the gallery must show each one.
var DetailVariants = []string{"detail-loaded", "detail-partial", "detail-error", "detail-timeout", "detail-attention", "detail-gone"}

// OrderDetail shapes an opened order: every line item at its current
// quantity with its SKU and price, every shipment newest first with its
// carrier, tracking, latest events and contents, refunds and returns, the
// three totals, the shipping address, the note, the tags and the order
// status page. What Shopify withheld or capped is said in a sentence.
func OrderDetail(store domain.Store, d *domain.OrderDetail, now time.Time) views.OrderDetail {
	o := &d.Order
	v := views.OrderDetail{
		ID: DetailID(o.LegacyResourceID), State: views.DetailLoaded, Variant: "detail-loaded",
		Name: o.Name, AdminURL: orderAdminURL(store, o.LegacyResourceID),
		MoreItems: moreItems(o), MoreShipments: moreShipments(o),
		Current: formatMoney(o.Total), Note: strings.TrimSpace(d.Note), Tags: d.Tags,
		StatusPageURL: safeLink(d.StatusPageURL),
	}
	for _, li := range o.LineItems {
		v.Items = append(v.Items, itemRow(li))
	}
	for _, f := range sortedNewestFirst(o.Fulfillments) {
		v.Shipments = append(v.Shipments, shipment(f, now))
	}
	if !sameMoney(o.OriginalTotal, o.Total) || !isZeroMoney(o.Refunded) {
		v.Original = formatMoney(o.OriginalTotal)
		v.Refunded = formatMoney(o.Refunded)
	}
	for _, r := range d.Refunds {
		row := views.RefundRow{Amount: formatMoney(r.Amount), Note: strings.TrimSpace(r.Note)}
		if !r.CreatedAt.IsZero() {
			row.When = When(r.CreatedAt, now)
		}
		v.Refunds = append(v.Refunds, row)
	}
	for _, r := range d.Returns {
		row := views.ReturnRow{Name: r.Name, Status: returnStatusBadge(r.Status), When: When(r.CreatedAt, now), Items: shippedItems(r.Items)}
		if r.MoreItems {
			row.Items = append(row.Items, "More items — open in Shopify")
		}
		v.Returns = append(v.Returns, row)
	}
	if d.MoreReturns {
		v.MoreReturns = "More returns — open in Shopify"
	}
	withheld := slices.Contains(d.Withheld, "shippingAddress")
	switch {
	case withheld:
		v.AddressNote = "Withheld by Shopify (protected customer data)."
	case d.ShippingAddress == nil:
		v.AddressNote = "No shipping address."
	default:
		v.Address = addressLines(d.ShippingAddress)
	}
	partial := withheld
	if d.ReturnsDenied && o.ReturnStatus != "" && o.ReturnStatus != "NO_RETURN" {
		// Only worth a word when there is a return to miss.
		v.Notes = append(v.Notes, "Shopify didn't share this order's returns with shopcard — an admin can allow it.")
		partial = true
	}
	if withheld {
		v.Notes = append(v.Notes, "Shopify withheld the shipping address and email (protected customer data) — an admin can request access for the app.")
	}
	if partial {
		v.Variant = "detail-partial"
	}
	return v
}

// OrderDetailFailure is an opened order whose detail could not be loaded:
// a calm note (with a retry when trying again can help), above what the
// summary already knew, so that nothing it showed is lost.
func OrderDetailFailure(store domain.Store, o *domain.Order, err error, retryURL string, now time.Time) views.OrderDetail {
	v := views.OrderDetail{
		ID: DetailID(o.LegacyResourceID), Name: o.Name, AdminURL: orderAdminURL(store, o.LegacyResourceID),
		MoreItems: moreItems(o), MoreShipments: moreShipments(o), Current: formatMoney(o.Total),
	}
	switch kind := domain.KindOf(err); {
	case kind == domain.KindNotFound:
		v.State, v.Variant = views.DetailGone, "detail-gone"
		v.Notice = "Shopify no longer has this order. It may have been deleted or archived."
	case kind.NeedsAdmin():
		v.State, v.Variant = views.DetailAttention, "detail-attention"
		v.Notice = "This store's connection needs attention — ask an admin. Here is what the summary knew."
	case kind == domain.KindShopifyTimeout:
		v.State, v.Variant, v.RetryURL = views.DetailError, "detail-timeout", retryURL
		v.Notice = "Shopify is taking longer than usual for this order. Here is what the summary knew."
	default:
		v.State, v.Variant, v.RetryURL = views.DetailError, "detail-error", retryURL
		v.Notice = "Shopify didn't send the rest of this order just now. Here is what the summary knew."
	}
	for _, li := range o.LineItems {
		v.Items = append(v.Items, itemRow(li))
	}
	for _, f := range sortedNewestFirst(o.Fulfillments) {
		v.Shipments = append(v.Shipments, shipment(f, now))
	}
	if !isZeroMoney(o.Refunded) {
		v.Original, v.Refunded = formatMoney(o.OriginalTotal), formatMoney(o.Refunded)
	}
	return v
}

// shipment is one shipment of an opened order.
func shipment(f domain.Fulfillment, now time.Time) views.Shipment {
	s := views.Shipment{Status: shipmentBadge(f), Created: When(f.CreatedAt, now), Tracking: trackingRows(f), Items: shippedItems(f.Items)}
	if words, _ := deliveryWords(f, now); words != s.Status.Label {
		s.Delivery = words
	}
	for _, e := range f.Events {
		label := eventWords[e.Status]
		if label == "" {
			label = humanize(e.Status)
		}
		if m := strings.TrimSpace(e.Message); m != "" && !strings.EqualFold(m, label) {
			label += " — " + m
		}
		s.Events = append(s.Events, views.EventRow{Label: label, Happened: When(e.HappenedAt, now)})
	}
	if f.MoreEvents {
		s.MoreEvents = "Earlier events — open in Shopify"
	}
	if f.MoreItems {
		s.MoreItems = "More items — open in Shopify"
	}
	return s
}

func shippedItems(items []domain.ShippedItem) []string {
	var out []string
	for _, it := range items {
		out = append(out, strconv.Itoa(it.Quantity)+" × "+it.Title)
	}
	return out
}

func returnStatusBadge(status string) views.Badge {
	if b, ok := returnStatusWords[status]; ok {
		return b
	}
	return views.Badge{Label: humanize(status), Tone: views.ToneNeutral}
}

// addressLines writes an address the way it goes on a parcel: name,
// company, street, city with region and postcode, country, phone.
func addressLines(a *domain.Address) []string {
	var lines []string
	add := func(parts ...string) {
		var kept []string
		for _, p := range parts {
			if p = strings.TrimSpace(p); p != "" {
				kept = append(kept, p)
			}
		}
		if len(kept) > 0 {
			lines = append(lines, strings.Join(kept, " "))
		}
	}
	add(a.Name)
	add(a.Company)
	add(a.Address1)
	add(a.Address2)
	// An opened order asks for the province's code, an order found by
	// name for its name.
	province := a.ProvinceCode
	if province == "" {
		province = a.Province
	}
	city := strings.TrimSpace(a.City)
	if province != "" && city != "" {
		city += ","
	}
	add(city, province, a.Zip)
	add(a.Country)
	if p := formatPhone(a.Phone); p.Display != "" {
		add(p.Display)
	}
	return lines
}

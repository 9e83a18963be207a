package fakeshopify

import (
	"cmp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// The types below let seed_*.go describe data relative to "now", so the
// demo always looks recent and tests with a fixed clock are repeatable.

// seedStore is a store with its customers, and the orders placed by guest
// checkout, without a customer record.
type seedStore struct {
	store     Store
	customers []seedCustomer
	guests    []seedGuest
	products  []Product
}

// seedGuest is someone who bought without an account: orders with an email
// and no customer.
type seedGuest struct {
	email  string
	orders []orderSpec
	// address is where their orders go, unless an order says otherwise.
	address *Address
}

// seedCustomer is a customer, how long ago they signed up, their orders,
// and where those orders ship to (nil: no shipping address).
type seedCustomer struct {
	Customer
	age    time.Duration
	orders []orderSpec
	// address is where their orders go, unless an order says otherwise.
	address *Address
}

// product is something a store sells, at a price in the shop currency.
type product struct {
	title, variant, price string
}

// line is a quantity of a product on an order, some of which may have been
// refunded or cancelled since.
type line struct {
	product
	qty, removed int
}

func buy(p product, qty int) line { return line{product: p, qty: qty} }

// refunded marks n of the line's items as refunded.
func (l line) refunded(n int) line {
	l.removed = n
	return l
}

// orderSpec describes an order by its age instead of its date.
type orderSpec struct {
	age         time.Duration
	financial   string // OrderDisplayFinancialStatus; "" is null
	fulfillment string // OrderDisplayFulfillmentStatus
	lines       []line
	ships       []shipSpec
	// cancelReason, when set, cancels the order an hour after it was placed.
	cancelReason string
	// refundAll removes every item (a full refund or a cancellation that
	// returned the money), which brings the current total to 0.0 as on
	// Shopify.
	refundAll bool
	// refundNote is the note on the refund of removed items.
	refundNote string
	// returnStatus is the order's OrderReturnStatus ("" for none, or
	// "RETURNED" for a restocked order), and returns its returns.
	returnStatus string
	returns      []Return
	note         string
	tags         []string
	// shipTo overrides the customer's address.
	shipTo *Address
}

// shipSpec is a fulfillment created some time after its order. Without
// items it holds the lines the order's shipments share out between them.
type shipSpec struct {
	after           time.Duration
	status, display string
	tracking        []Tracking
	items           []ItemRef
}

func ship(after time.Duration, display string, tracking ...Tracking) shipSpec {
	return shipSpec{after: after, status: "SUCCESS", display: display, tracking: tracking}
}

// build turns the spec into an Order placed at now - age, shipped to
// address unless the spec says otherwise. The current total is what
// remains after refunds, as in Shopify's currentTotalPriceSet, and the
// original total what was ordered; removed items are refunded a few days
// after the order. Shipments get the carrier's dates and events their
// display status implies, none of them later than now.
func (sp orderSpec) build(now time.Time, address *Address) Order {
	created := now.Add(-sp.age)
	o := Order{
		CreatedAt:         created,
		UpdatedAt:         created,
		FinancialStatus:   sp.financial,
		FulfillmentStatus: sp.fulfillment,
		ReturnStatus:      sp.returnStatus,
		Note:              sp.note,
		Tags:              sp.tags,
		Returns:           sp.returns,
	}
	if sp.shipTo != nil {
		address = sp.shipTo
	}
	if address != nil {
		a := *address
		o.ShippingAddress = &a
	}
	if o.ReturnStatus == "" && sp.fulfillment == "RESTOCKED" {
		o.ReturnStatus = "RETURNED"
	}
	var total, original, refunded amount
	for _, l := range sp.lines {
		removed := l.removed
		if sp.refundAll {
			removed = l.qty
		}
		o.LineItems = append(o.LineItems, LineItem{
			Title: l.title, VariantTitle: l.variant, SKU: skuOf(l.product), Price: l.price, Quantity: l.qty, RemovedQuantity: removed,
		})
		price, err := parseAmount(l.price)
		if err != nil {
			panic("fakeshopify: seed price " + l.price + ": " + err.Error())
		}
		total += price * amount(l.qty-removed)
		original += price * amount(l.qty)
		refunded += price * amount(removed)
	}
	o.Total, o.OriginalTotal = total.String(), original.String()
	// Money goes back only when it was taken: a voided order was never paid.
	if refunded > 0 && sp.financial != "VOIDED" {
		o.Refunds = []Refund{{CreatedAt: minTime(created.Add(5*day), now), Note: sp.refundNote, Amount: refunded.String()}}
	}
	for i, sh := range sp.ships {
		at := created.Add(sh.after)
		f := Fulfillment{Status: sh.status, DisplayStatus: sh.display, CreatedAt: at, Tracking: sh.tracking, Items: sh.items}
		if f.Items == nil {
			// Share the lines out between the shipments.
			for j, li := range o.LineItems {
				if j%len(sp.ships) == i && li.Quantity > 0 {
					f.Items = append(f.Items, ItemRef{Line: j, Quantity: li.Quantity})
				}
			}
		}
		f.carrierProgress(now)
		o.Fulfillments = append(o.Fulfillments, f)
		o.UpdatedAt = maxTime(o.UpdatedAt, at)
	}
	if sp.cancelReason != "" {
		o.CancelledAt = created.Add(time.Hour)
		o.CancelReason = sp.cancelReason
		o.UpdatedAt = maxTime(o.UpdatedAt, o.CancelledAt)
	}
	// Nothing in the seed may claim to have happened in the future.
	o.UpdatedAt = minTime(o.UpdatedAt, now)
	return o
}

// carrierProgress fills in the dates and events a carrier would have
// reported by now for a shipment with this display status: picked up six
// hours after it was created, delivered two days later, expected three
// days after pickup while on its way.
func (f *Fulfillment) carrierProgress(now time.Time) {
	event := func(status string, at time.Time, message string) {
		if !at.After(now) {
			f.Events = append(f.Events, FulfillmentEvent{Status: status, HappenedAt: at, Message: message})
		}
	}
	pickedUp := minTime(f.CreatedAt.Add(6*time.Hour), now)
	switch f.DisplayStatus {
	case "IN_TRANSIT", "OUT_FOR_DELIVERY", "DELIVERED", "ATTEMPTED_DELIVERY", "DELAYED":
		f.InTransitAt = pickedUp
		event("CONFIRMED", f.CreatedAt, "Label created")
		event("IN_TRANSIT", pickedUp, "Picked up by the carrier")
	default:
		return
	}
	switch f.DisplayStatus {
	case "DELIVERED":
		f.DeliveredAt = minTime(pickedUp.Add(2*day), now)
		event("OUT_FOR_DELIVERY", f.DeliveredAt.Add(-4*time.Hour), "Out for delivery")
		event("DELIVERED", f.DeliveredAt, "Delivered, left at the front door")
	case "OUT_FOR_DELIVERY":
		f.EstimatedDeliveryAt = now.Add(5 * time.Hour).Truncate(time.Hour)
		event("OUT_FOR_DELIVERY", minTime(pickedUp.Add(day), now), "Out for delivery")
	case "ATTEMPTED_DELIVERY":
		event("ATTEMPTED_DELIVERY", minTime(pickedUp.Add(day), now), "No one home; the carrier will try again")
		f.EstimatedDeliveryAt = now.Add(day).Truncate(time.Hour)
	case "DELAYED":
		event("DELAYED", minTime(pickedUp.Add(day), now), "Delayed by weather")
		f.EstimatedDeliveryAt = pickedUp.Add(5 * day).Truncate(time.Hour)
	default:
		f.EstimatedDeliveryAt = pickedUp.Add(3 * day).Truncate(time.Hour)
	}
}

// skuOf makes a product's SKU from the ASCII initials of its title and its
// variant, as merchants often do; a title without ASCII letters has none,
// which Shopify allows.
func skuOf(p product) string {
	initials := func(s string) string {
		var b strings.Builder
		for _, w := range strings.Fields(s) {
			if c := w[0]; c < utf8.RuneSelf && unicode.IsLetter(rune(c)) {
				b.WriteByte(byte(unicode.ToUpper(rune(c))))
			}
		}
		return b.String()
	}
	t := initials(p.title)
	if t == "" {
		return ""
	}
	if v := initials(p.variant); v != "" {
		return t + "-" + v
	}
	return t
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// load adds a seed store to the server: the store, its customers, then
// all its orders oldest first, so that order numbers rise with time as
// they do on a real store.
func (ss seedStore) load(s *Server, now time.Time) error {
	if err := s.AddStore(ss.store); err != nil {
		return err
	}
	var orders []Order
	for _, sc := range ss.customers {
		c := sc.Customer
		c.CreatedAt = now.Add(-sc.age)
		added, err := s.AddCustomer(ss.store.Domain, c)
		if err != nil {
			return err
		}
		for _, sp := range sc.orders {
			o := sp.build(now, sc.address)
			o.CustomerID = added.ID
			orders = append(orders, o)
		}
	}
	for _, g := range ss.guests {
		for _, sp := range g.orders {
			o := sp.build(now, g.address)
			o.Email = g.email
			orders = append(orders, o)
		}
	}
	slices.SortStableFunc(orders, func(a, b Order) int { return cmp.Compare(a.CreatedAt.UnixNano(), b.CreatedAt.UnixNano()) })
	for _, o := range orders {
		if _, err := s.AddOrder(ss.store.Domain, o); err != nil {
			return err
		}
	}
	for _, p := range ss.products {
		if _, err := s.AddProduct(ss.store.Domain, p); err != nil {
			return err
		}
	}
	return nil
}

package fakeshopify

import (
	"cmp"
	"slices"
	"time"
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

// seedCustomer is a customer, how long ago they signed up, and their orders.
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
	// shipTo overrides the customer's address; returnStatus is an
	// OrderReturnStatus ("RETURNED" by default for restocked orders).
	shipTo       *Address
	returnStatus string
}

// shipSpec is a fulfillment created some time after its order.
type shipSpec struct {
	after           time.Duration
	status, display string
	tracking        []Tracking
}

func ship(after time.Duration, display string, tracking ...Tracking) shipSpec {
	return shipSpec{after: after, status: "SUCCESS", display: display, tracking: tracking}
}

// build turns the spec into an Order placed at now - age, shipped to
// address unless the spec says otherwise. The current total is what
// remains after refunds, as in Shopify's currentTotalPriceSet; a refunded
// order has a refund of what was taken off, two days after it was placed,
// and each shipment says when it moved as its status implies.
func (sp orderSpec) build(now time.Time, address *Address) Order {
	created := now.Add(-sp.age)
	o := Order{
		CreatedAt:         created,
		UpdatedAt:         created,
		FinancialStatus:   sp.financial,
		FulfillmentStatus: sp.fulfillment,
		ShippingAddress:   address,
		ReturnStatus:      sp.returnStatus,
	}
	if sp.shipTo != nil {
		o.ShippingAddress = sp.shipTo
	}
	if o.ReturnStatus == "" && sp.fulfillment == "RESTOCKED" {
		o.ReturnStatus = "RETURNED"
	}
	var total, refunded amount
	for _, l := range sp.lines {
		removed := l.removed
		if sp.refundAll {
			removed = l.qty
		}
		o.LineItems = append(o.LineItems, LineItem{
			Title: l.title, VariantTitle: l.variant, Quantity: l.qty, RemovedQuantity: removed,
		})
		price, err := parseAmount(l.price)
		if err != nil {
			panic("fakeshopify: seed price " + l.price + ": " + err.Error())
		}
		total += price * amount(l.qty-removed)
		refunded += price * amount(removed)
	}
	o.Total = total.String()
	if refunded > 0 && (sp.financial == "REFUNDED" || sp.financial == "PARTIALLY_REFUNDED") {
		o.Refunds = []Refund{{CreatedAt: minTime(created.Add(2*day), now), Amount: refunded.String()}}
	}
	for _, sh := range sp.ships {
		at := created.Add(sh.after)
		f := Fulfillment{Status: sh.status, DisplayStatus: sh.display, CreatedAt: at, Tracking: sh.tracking}
		f.InTransitAt, f.EstimatedDeliveryAt, f.DeliveredAt = sh.movements(at, now)
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

// movements says when a shipment created at went out for delivery, is
// expected and arrived, as its display status implies: carriers pick up
// within hours and deliver in about three days. Only the estimate may lie
// in the future.
func (sh shipSpec) movements(at, now time.Time) (inTransit, estimated, delivered time.Time) {
	switch sh.display {
	case "IN_TRANSIT", "OUT_FOR_DELIVERY", "DELAYED", "ATTEMPTED_DELIVERY", "DELIVERED":
		inTransit = minTime(at.Add(6*time.Hour), now)
		estimated = at.Add(3 * day)
	}
	switch sh.display {
	case "DELIVERED":
		delivered = minTime(estimated, now)
	case "OUT_FOR_DELIVERY":
		estimated = maxTime(estimated, now.Add(6*time.Hour))
	}
	return inTransit, estimated, delivered
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

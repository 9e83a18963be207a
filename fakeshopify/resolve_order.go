package fakeshopify

import (
	"time"

	graphql "github.com/graph-gophers/graphql-go"
)

// orderConnectionResolver resolves OrderConnection.
type orderConnectionResolver struct {
	sc     *requestScope
	orders []*Order
}

func (r *orderConnectionResolver) Nodes() []*orderResolver {
	out := make([]*orderResolver, len(r.orders))
	for i, o := range r.orders {
		out[i] = &orderResolver{sc: r.sc, o: o}
	}
	return out
}

// orderResolver resolves Order. o is an immutable record.
type orderResolver struct {
	sc *requestScope
	o  *Order
}

func (r *orderResolver) ID() graphql.ID { return gid("Order", r.o.ID) }

func (r *orderResolver) LegacyResourceID() unsignedInt64 { return unsignedInt64(r.o.ID) }

func (r *orderResolver) Name() string { return r.o.Name }

func (r *orderResolver) CreatedAt() dateTime { return dateTime{r.o.CreatedAt} }

func (r *orderResolver) CancelledAt() *dateTime {
	if r.o.CancelledAt.IsZero() {
		return nil
	}
	return &dateTime{r.o.CancelledAt}
}

func (r *orderResolver) CancelReason() *string { return nullable(r.o.CancelReason) }

func (r *orderResolver) DisplayFinancialStatus() *string { return nullable(r.o.FinancialStatus) }

func (r *orderResolver) DisplayFulfillmentStatus() string { return r.o.FulfillmentStatus }

// Email is the order's contact email, protected customer data like the
// customer's own.
func (r *orderResolver) Email() (*string, error) {
	if r.sc.withhold {
		return nil, protectedDataDenied("email")
	}
	return nullable(r.o.Email), nil
}

// Customer is the order's customer, null for a guest checkout. Reading
// customers needs read_customers, on an order as anywhere.
func (r *orderResolver) Customer() (*customerResolver, error) {
	if r.o.CustomerID == 0 {
		return nil, nil
	}
	if !r.sc.has("read_customers") {
		return nil, accessDenied("customer", "read_customers")
	}
	r.sc.srv.mu.RLock()
	c := r.sc.st.customers[r.o.CustomerID]
	r.sc.srv.mu.RUnlock()
	if c == nil {
		return nil, nil // deleted since
	}
	return &customerResolver{sc: r.sc, c: c}, nil
}

// ShippingAddress is protected customer data like the order's email.
func (r *orderResolver) ShippingAddress() (*addressResolver, error) {
	if r.o.ShippingAddress == nil {
		return nil, nil
	}
	if r.sc.withhold {
		return nil, protectedDataDenied("shippingAddress")
	}
	return &addressResolver{a: r.o.ShippingAddress}, nil
}

func (r *orderResolver) ReturnStatus() string { return r.o.ReturnStatus }

// Refunds lists the order's refunds oldest first, up to first.
func (r *orderResolver) Refunds(args struct{ First *int32 }) ([]*refundResolver, error) {
	rs := make([]*Refund, len(r.o.Refunds))
	for i := range r.o.Refunds {
		rs[i] = &r.o.Refunds[i]
	}
	rs, err := limit(rs, args.First)
	if err != nil {
		return nil, err
	}
	out := make([]*refundResolver, len(rs))
	for i, rf := range rs {
		out[i] = &refundResolver{r: rf, currency: r.sc.shop.Currency}
	}
	return out, nil
}

// addressResolver resolves MailingAddress.
type addressResolver struct{ a *Address }

func (r *addressResolver) Name() *string     { return nullable(r.a.Name) }
func (r *addressResolver) Address1() *string { return nullable(r.a.Address1) }
func (r *addressResolver) Address2() *string { return nullable(r.a.Address2) }
func (r *addressResolver) City() *string     { return nullable(r.a.City) }
func (r *addressResolver) Province() *string { return nullable(r.a.Province) }
func (r *addressResolver) Zip() *string      { return nullable(r.a.Zip) }
func (r *addressResolver) Country() *string  { return nullable(r.a.Country) }
func (r *addressResolver) CountryCodeV2() *string {
	return nullable(r.a.CountryCode)
}

// refundResolver resolves Refund.
type refundResolver struct {
	r        *Refund
	currency string
}

func (r *refundResolver) CreatedAt() *dateTime { return nullableTime(r.r.CreatedAt) }

func (r *refundResolver) TotalRefundedSet() *moneyBagResolver {
	a, _ := parseAmount(r.r.Amount) // validated when stored
	return &moneyBagResolver{shop: &moneyResolver{amount: a, currency: r.currency}}
}

// CurrentSubtotalLineItemsQuantity counts every item still in the order,
// including line items a page does not show.
func (r *orderResolver) CurrentSubtotalLineItemsQuantity() int32 {
	n := 0
	for _, li := range r.o.LineItems {
		n += li.Quantity - li.RemovedQuantity
	}
	return int32(n)
}

func (r *orderResolver) CurrentTotalPriceSet() *moneyBagResolver {
	total, _ := parseAmount(r.o.Total) // validated when stored
	return &moneyBagResolver{shop: &moneyResolver{amount: total, currency: r.sc.shop.Currency}}
}

// lineItemsArgs are Order.lineItems' arguments.
type lineItemsArgs struct {
	First   *int32
	After   *string
	Last    *int32
	Before  *string
	Reverse bool
}

func (r *orderResolver) LineItems(args lineItemsArgs) (*lineItemConnectionResolver, error) {
	items := make([]*LineItem, len(r.o.LineItems))
	for i := range r.o.LineItems {
		items[i] = &r.o.LineItems[i]
	}
	if args.Reverse {
		reverse(items)
	}
	page, err := pageOf(items, args.First, args.Last, args.After, args.Before)
	if err != nil {
		return nil, err
	}
	return &lineItemConnectionResolver{items: page}, nil
}

// fulfillmentsArgs are Order.fulfillments' arguments.
type fulfillmentsArgs struct {
	First *int32
	Query *string
}

// Fulfillments lists the order's fulfillments oldest first, as Shopify
// does, up to first when given.
func (r *orderResolver) Fulfillments(args fulfillmentsArgs) ([]*fulfillmentResolver, error) {
	if args.Query != nil {
		return nil, unsupported("Order.fulfillments(query:)")
	}
	fs := make([]*Fulfillment, len(r.o.Fulfillments))
	for i := range r.o.Fulfillments {
		fs[i] = &r.o.Fulfillments[i]
	}
	sortFulfillments(fs)
	fs, err := limit(fs, args.First)
	if err != nil {
		return nil, err
	}
	out := make([]*fulfillmentResolver, len(fs))
	for i, f := range fs {
		out[i] = &fulfillmentResolver{f: f}
	}
	return out, nil
}

// lineItemConnectionResolver resolves LineItemConnection.
type lineItemConnectionResolver struct{ items []*LineItem }

func (r *lineItemConnectionResolver) Nodes() []*lineItemResolver {
	out := make([]*lineItemResolver, len(r.items))
	for i, li := range r.items {
		out[i] = &lineItemResolver{li: li}
	}
	return out
}

// lineItemResolver resolves LineItem.
type lineItemResolver struct{ li *LineItem }

func (r *lineItemResolver) Title() string         { return r.li.Title }
func (r *lineItemResolver) VariantTitle() *string { return nullable(r.li.VariantTitle) }
func (r *lineItemResolver) Quantity() int32       { return int32(r.li.Quantity) }

// fulfillmentResolver resolves Fulfillment.
type fulfillmentResolver struct{ f *Fulfillment }

func (r *fulfillmentResolver) CreatedAt() dateTime    { return dateTime{r.f.CreatedAt} }
func (r *fulfillmentResolver) DisplayStatus() *string { return nullable(r.f.DisplayStatus) }
func (r *fulfillmentResolver) Status() string         { return r.f.Status }

func (r *fulfillmentResolver) InTransitAt() *dateTime { return nullableTime(r.f.InTransitAt) }
func (r *fulfillmentResolver) EstimatedDeliveryAt() *dateTime {
	return nullableTime(r.f.EstimatedDeliveryAt)
}
func (r *fulfillmentResolver) DeliveredAt() *dateTime { return nullableTime(r.f.DeliveredAt) }

// nullableTime maps the zero time to null.
func nullableTime(t time.Time) *dateTime {
	if t.IsZero() {
		return nil
	}
	return &dateTime{t}
}

func (r *fulfillmentResolver) TrackingInfo(args struct{ First *int32 }) ([]*trackingInfoResolver, error) {
	ts := make([]*Tracking, len(r.f.Tracking))
	for i := range r.f.Tracking {
		ts[i] = &r.f.Tracking[i]
	}
	ts, err := limit(ts, args.First)
	if err != nil {
		return nil, err
	}
	out := make([]*trackingInfoResolver, len(ts))
	for i, t := range ts {
		out[i] = &trackingInfoResolver{t: t}
	}
	return out, nil
}

// trackingInfoResolver resolves FulfillmentTrackingInfo.
type trackingInfoResolver struct{ t *Tracking }

func (r *trackingInfoResolver) Company() *string { return nullable(r.t.Company) }
func (r *trackingInfoResolver) Number() *string  { return nullable(r.t.Number) }

func (r *trackingInfoResolver) URL() *url {
	if r.t.URL == "" {
		return nil
	}
	u := url(r.t.URL)
	return &u
}

package fakeshopify

import (
	"context"
	"slices"
	"strconv"
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

// Order resolves QueryRoot.order: one order by its global ID, or null
// when the store has none the token may see (another store's, or older
// than 60 days without read_all_orders), as on Shopify.
func (*queryResolver) Order(ctx context.Context, args struct{ ID graphql.ID }) (*orderResolver, error) {
	sc := scopeFrom(ctx)
	if !sc.has("read_orders") {
		return nil, accessDenied("order", "read_orders")
	}
	id, ok := parseGID(string(args.ID), "Order")
	if !ok {
		return nil, &fieldError{message: "Invalid global id '" + string(args.ID) + "'"}
	}
	sc.srv.mu.RLock()
	o := sc.st.orders[id]
	sc.srv.mu.RUnlock()
	if o == nil || !sc.canSee(o) {
		return nil, nil
	}
	return &orderResolver{sc: sc, o: o}, nil
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

func (r *orderResolver) CancelledAt() *dateTime { return nullableTime(r.o.CancelledAt) }

func (r *orderResolver) CancelReason() *string { return nullable(r.o.CancelReason) }

func (r *orderResolver) DisplayFinancialStatus() *string { return nullable(r.o.FinancialStatus) }

func (r *orderResolver) DisplayFulfillmentStatus() string { return r.o.FulfillmentStatus }

func (r *orderResolver) ReturnStatus() string { return r.o.ReturnStatus }

func (r *orderResolver) Note() *string { return nullable(r.o.Note) }

func (r *orderResolver) Tags() []string {
	if r.o.Tags == nil {
		return []string{}
	}
	return r.o.Tags
}

// StatusPageURL is where the customer follows the order, on the shop's
// own domain as on Shopify.
func (r *orderResolver) StatusPageURL() url {
	return url("https://" + r.sc.shop.Domain + "/" + strconv.FormatUint(r.o.ID, 10) + "/orders/" + strconv.FormatUint(r.o.ID*7919, 16) + "/authenticate")
}

// Email is the order's contact email, protected customer data like the
// customer's own.
func (r *orderResolver) Email() (*string, error) {
	if r.sc.withhold {
		return nil, protectedDataDenied("email")
	}
	return nullable(r.o.Email), nil
}

// ShippingAddress is protected customer data too: withheld whole.
func (r *orderResolver) ShippingAddress() (*addressResolver, error) {
	if r.o.ShippingAddress == nil {
		return nil, nil
	}
	if r.sc.withhold {
		return nil, protectedDataDenied("shippingAddress")
	}
	return &addressResolver{a: r.o.ShippingAddress}, nil
}

// Customer is the order's customer, null for a guest checkout. Shopify
// needs read_customers for it.
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

// CurrentSubtotalLineItemsQuantity counts every item still in the order,
// including line items a page does not show.
func (r *orderResolver) CurrentSubtotalLineItemsQuantity() int32 {
	n := 0
	for _, li := range r.o.LineItems {
		n += li.Quantity - li.RemovedQuantity
	}
	return int32(n)
}

func (r *orderResolver) CurrentTotalPriceSet() *moneyBagResolver { return r.sc.money(r.o.Total) }

func (r *orderResolver) OriginalTotalPriceSet() *moneyBagResolver {
	return r.sc.money(r.o.OriginalTotal)
}

// TotalRefundedSet adds up the order's refunds.
func (r *orderResolver) TotalRefundedSet() *moneyBagResolver {
	var total amount
	for _, rf := range r.o.Refunds {
		a, _ := parseAmount(rf.Amount) // validated when stored
		total += a
	}
	return &moneyBagResolver{shop: &moneyResolver{amount: total, currency: r.sc.shop.Currency}}
}

// money is an amount in the shop currency, validated when stored.
func (sc *requestScope) money(s string) *moneyBagResolver {
	a, _ := parseAmount(s)
	return &moneyBagResolver{shop: &moneyResolver{amount: a, currency: sc.shop.Currency}}
}

// connectionArgs are the paging arguments every connection takes.
type connectionArgs struct {
	First   *int32
	After   *string
	Last    *int32
	Before  *string
	Reverse bool
}

// lineItemsArgs are Order.lineItems' arguments.
type lineItemsArgs = connectionArgs

func (r *orderResolver) LineItems(args lineItemsArgs) (*lineItemConnectionResolver, error) {
	items := make([]*LineItem, len(r.o.LineItems))
	for i := range r.o.LineItems {
		items[i] = &r.o.LineItems[i]
	}
	page, info, err := pageOfArgs(items, args)
	if err != nil {
		return nil, err
	}
	return &lineItemConnectionResolver{items: page, info: info}, nil
}

// FulfillmentsCount counts every fulfillment, cancelled ones included.
func (r *orderResolver) FulfillmentsCount() *countResolver {
	return &countResolver{n: len(r.o.Fulfillments)}
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
		out[i] = &fulfillmentResolver{o: r.o, f: f}
	}
	return out, nil
}

// Refunds lists the order's refunds, oldest first.
func (r *orderResolver) Refunds(args struct{ First *int32 }) ([]*refundResolver, error) {
	rs := make([]*Refund, len(r.o.Refunds))
	for i := range r.o.Refunds {
		rs[i] = &r.o.Refunds[i]
	}
	slices.SortStableFunc(rs, func(a, b *Refund) int { return a.CreatedAt.Compare(b.CreatedAt) })
	rs, err := limit(rs, args.First)
	if err != nil {
		return nil, err
	}
	out := make([]*refundResolver, len(rs))
	for i, rf := range rs {
		out[i] = &refundResolver{sc: r.sc, r: rf}
	}
	return out, nil
}

// returnsArgs are Order.returns' arguments.
type returnsArgs struct {
	First   *int32
	After   *string
	Last    *int32
	Before  *string
	Reverse bool
	Query   *string
}

// Returns pages the order's returns, oldest first unless reversed. As on
// Shopify, they need read_returns: without it the field is denied, and as
// the connection is non-null, the order with it comes back null.
func (r *orderResolver) Returns(args returnsArgs) (*returnConnectionResolver, error) {
	if !r.sc.has("read_returns") {
		return nil, accessDenied("returns", "read_returns")
	}
	if args.Query != nil {
		return nil, unsupported("Order.returns(query:)")
	}
	rs := make([]*Return, len(r.o.Returns))
	for i := range r.o.Returns {
		rs[i] = &r.o.Returns[i]
	}
	slices.SortStableFunc(rs, func(a, b *Return) int { return a.CreatedAt.Compare(b.CreatedAt) })
	page, info, err := pageOfArgs(rs, connectionArgs{First: args.First, After: args.After, Last: args.Last, Before: args.Before, Reverse: args.Reverse})
	if err != nil {
		return nil, err
	}
	return &returnConnectionResolver{o: r.o, returns: page, info: info}, nil
}

// lineItemConnectionResolver resolves LineItemConnection.
type lineItemConnectionResolver struct {
	items []*LineItem
	info  *pageInfoResolver
}

func (r *lineItemConnectionResolver) Nodes() []*lineItemResolver {
	out := make([]*lineItemResolver, len(r.items))
	for i, li := range r.items {
		out[i] = &lineItemResolver{li: li}
	}
	return out
}

func (r *lineItemConnectionResolver) PageInfo() *pageInfoResolver { return r.info }

// lineItemResolver resolves LineItem.
type lineItemResolver struct{ li *LineItem }

func (r *lineItemResolver) Title() string         { return r.li.Title }
func (r *lineItemResolver) VariantTitle() *string { return nullable(r.li.VariantTitle) }
func (r *lineItemResolver) Sku() *string          { return nullable(r.li.SKU) }
func (r *lineItemResolver) Quantity() int32       { return int32(r.li.Quantity) }

// CurrentQuantity is what remains after refunds and edits.
func (r *lineItemResolver) CurrentQuantity() int32 {
	return int32(r.li.Quantity - r.li.RemovedQuantity)
}

func (r *lineItemResolver) OriginalUnitPriceSet(ctx context.Context) *moneyBagResolver {
	return scopeFrom(ctx).money(r.li.Price)
}

// fulfillmentResolver resolves Fulfillment.
type fulfillmentResolver struct {
	o *Order
	f *Fulfillment
}

func (r *fulfillmentResolver) CreatedAt() dateTime    { return dateTime{r.f.CreatedAt} }
func (r *fulfillmentResolver) DisplayStatus() *string { return nullable(r.f.DisplayStatus) }
func (r *fulfillmentResolver) Status() string         { return r.f.Status }
func (r *fulfillmentResolver) EstimatedDeliveryAt() *dateTime {
	return nullableTime(r.f.EstimatedDeliveryAt)
}
func (r *fulfillmentResolver) InTransitAt() *dateTime { return nullableTime(r.f.InTransitAt) }
func (r *fulfillmentResolver) DeliveredAt() *dateTime { return nullableTime(r.f.DeliveredAt) }

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

// eventsArgs are Fulfillment.events' arguments.
type eventsArgs struct {
	First   *int32
	After   *string
	Last    *int32
	Before  *string
	Reverse bool
	SortKey string
}

// Events pages the carrier's events, by when they happened (or by ID,
// which for the fake is the order they were recorded in).
func (r *fulfillmentResolver) Events(args eventsArgs) (*eventConnectionResolver, error) {
	es := make([]*FulfillmentEvent, len(r.f.Events))
	for i := range r.f.Events {
		es[i] = &r.f.Events[i]
	}
	switch args.SortKey {
	case "HAPPENED_AT":
		slices.SortStableFunc(es, func(a, b *FulfillmentEvent) int { return a.HappenedAt.Compare(b.HappenedAt) })
	case "ID":
	default:
		return nil, unsupported("sortKey " + args.SortKey)
	}
	page, info, err := pageOfArgs(es, connectionArgs{First: args.First, After: args.After, Last: args.Last, Before: args.Before, Reverse: args.Reverse})
	if err != nil {
		return nil, err
	}
	return &eventConnectionResolver{events: page, info: info}, nil
}

func (r *fulfillmentResolver) FulfillmentLineItems(args connectionArgs) (*fulfillmentLineItemConnectionResolver, error) {
	refs := make([]ItemRef, len(r.f.Items))
	copy(refs, r.f.Items)
	page, info, err := pageOfArgs(refs, args)
	if err != nil {
		return nil, err
	}
	return &fulfillmentLineItemConnectionResolver{o: r.o, items: page, info: info}, nil
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

// eventConnectionResolver resolves FulfillmentEventConnection.
type eventConnectionResolver struct {
	events []*FulfillmentEvent
	info   *pageInfoResolver
}

func (r *eventConnectionResolver) Nodes() []*eventResolver {
	out := make([]*eventResolver, len(r.events))
	for i, e := range r.events {
		out[i] = &eventResolver{e: e}
	}
	return out
}

func (r *eventConnectionResolver) PageInfo() *pageInfoResolver { return r.info }

// eventResolver resolves FulfillmentEvent.
type eventResolver struct{ e *FulfillmentEvent }

func (r *eventResolver) Status() string       { return r.e.Status }
func (r *eventResolver) HappenedAt() dateTime { return dateTime{r.e.HappenedAt} }
func (r *eventResolver) Message() *string     { return nullable(r.e.Message) }

// fulfillmentLineItemConnectionResolver resolves
// FulfillmentLineItemConnection.
type fulfillmentLineItemConnectionResolver struct {
	o     *Order
	items []ItemRef
	info  *pageInfoResolver
}

func (r *fulfillmentLineItemConnectionResolver) Nodes() []*fulfillmentLineItemResolver {
	out := make([]*fulfillmentLineItemResolver, len(r.items))
	for i, it := range r.items {
		out[i] = &fulfillmentLineItemResolver{o: r.o, ref: it}
	}
	return out
}

func (r *fulfillmentLineItemConnectionResolver) PageInfo() *pageInfoResolver { return r.info }

// fulfillmentLineItemResolver resolves FulfillmentLineItem.
type fulfillmentLineItemResolver struct {
	o   *Order
	ref ItemRef
}

func (r *fulfillmentLineItemResolver) Quantity() *int32 {
	q := int32(r.ref.Quantity)
	return &q
}

func (r *fulfillmentLineItemResolver) LineItem() *lineItemResolver {
	return &lineItemResolver{li: &r.o.LineItems[r.ref.Line]} // checked when stored
}

// refundResolver resolves Refund.
type refundResolver struct {
	sc *requestScope
	r  *Refund
}

func (r *refundResolver) CreatedAt() *dateTime                { return nullableTime(r.r.CreatedAt) }
func (r *refundResolver) Note() *string                       { return nullable(r.r.Note) }
func (r *refundResolver) TotalRefundedSet() *moneyBagResolver { return r.sc.money(r.r.Amount) }

// returnConnectionResolver resolves ReturnConnection.
type returnConnectionResolver struct {
	o       *Order
	returns []*Return
	info    *pageInfoResolver
}

func (r *returnConnectionResolver) Nodes() []*returnResolver {
	out := make([]*returnResolver, len(r.returns))
	for i, ret := range r.returns {
		out[i] = &returnResolver{o: r.o, r: ret}
	}
	return out
}

func (r *returnConnectionResolver) PageInfo() *pageInfoResolver { return r.info }

// returnResolver resolves Return.
type returnResolver struct {
	o *Order
	r *Return
}

func (r *returnResolver) Name() string        { return r.r.Name }
func (r *returnResolver) Status() string      { return r.r.Status }
func (r *returnResolver) CreatedAt() dateTime { return dateTime{r.r.CreatedAt} }

func (r *returnResolver) ReturnLineItems(args connectionArgs) (*returnLineItemConnectionResolver, error) {
	refs := make([]ItemRef, len(r.r.Items))
	copy(refs, r.r.Items)
	page, info, err := pageOfArgs(refs, args)
	if err != nil {
		return nil, err
	}
	return &returnLineItemConnectionResolver{o: r.o, items: page, info: info}, nil
}

// returnLineItemConnectionResolver resolves ReturnLineItemTypeConnection.
type returnLineItemConnectionResolver struct {
	o     *Order
	items []ItemRef
	info  *pageInfoResolver
}

func (r *returnLineItemConnectionResolver) Nodes() []*returnLineItemTypeResolver {
	out := make([]*returnLineItemTypeResolver, len(r.items))
	for i, it := range r.items {
		out[i] = &returnLineItemTypeResolver{item: &returnLineItemResolver{o: r.o, ref: it}}
	}
	return out
}

func (r *returnLineItemConnectionResolver) PageInfo() *pageInfoResolver { return r.info }

// returnLineItemTypeResolver resolves the ReturnLineItemType interface;
// every return line item the fake holds is a ReturnLineItem.
type returnLineItemTypeResolver struct{ item *returnLineItemResolver }

func (r *returnLineItemTypeResolver) Quantity() int32 { return r.item.Quantity() }

func (r *returnLineItemTypeResolver) ToReturnLineItem() (*returnLineItemResolver, bool) {
	return r.item, true
}

// returnLineItemResolver resolves ReturnLineItem.
type returnLineItemResolver struct {
	o   *Order
	ref ItemRef
}

func (r *returnLineItemResolver) Quantity() int32 { return int32(r.ref.Quantity) }

func (r *returnLineItemResolver) FulfillmentLineItem() *fulfillmentLineItemResolver {
	return &fulfillmentLineItemResolver{o: r.o, ref: r.ref}
}

// addressResolver resolves MailingAddress.
type addressResolver struct{ a *Address }

func (r *addressResolver) Name() *string          { return nullable(r.a.Name) }
func (r *addressResolver) Company() *string       { return nullable(r.a.Company) }
func (r *addressResolver) Address1() *string      { return nullable(r.a.Address1) }
func (r *addressResolver) Address2() *string      { return nullable(r.a.Address2) }
func (r *addressResolver) City() *string          { return nullable(r.a.City) }
func (r *addressResolver) Province() *string      { return nullable(r.a.Province) }
func (r *addressResolver) ProvinceCode() *string  { return nullable(r.a.ProvinceCode) }
func (r *addressResolver) Zip() *string           { return nullable(r.a.Zip) }
func (r *addressResolver) Country() *string       { return nullable(r.a.Country) }
func (r *addressResolver) Phone() *string         { return nullable(r.a.Phone) }
func (r *addressResolver) CountryCodeV2() *string { return nullable(r.a.CountryCode) }

// countResolver resolves Count.
type countResolver struct{ n int }

func (r *countResolver) Count() int32 { return int32(r.n) }

// pageInfoResolver resolves PageInfo.
type pageInfoResolver struct{ hasNext bool }

func (r *pageInfoResolver) HasNextPage() bool { return r.hasNext }

// nullableTime maps the zero time to null.
func nullableTime(t time.Time) *dateTime {
	if t.IsZero() {
		return nil
	}
	return &dateTime{t}
}

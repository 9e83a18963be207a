package shopify

import "shopcard/domain"

// mapCustomerOrders converts genqlient's response types into domain types,
// which is what the cache keeps and the handlers render.
func mapCustomerOrders(r *CustomerWithOrdersResponse) *domain.CustomerOrders {
	out := &domain.CustomerOrders{}
	if r == nil || r.Customer == nil {
		return out
	}
	c := r.Customer
	cust := &domain.Customer{
		ID:               c.Id,
		LegacyResourceID: uint64(c.LegacyResourceId),
		DisplayName:      c.DisplayName,
		FirstName:        deref(c.FirstName),
		LastName:         deref(c.LastName),
		NumberOfOrders:   uint64(c.NumberOfOrders),
		AmountSpent:      domain.Money{Amount: c.AmountSpent.Amount, Currency: string(c.AmountSpent.CurrencyCode)},
		CreatedAt:        c.CreatedAt,
		Tags:             c.Tags,
	}
	if c.DefaultEmailAddress != nil {
		cust.Email = c.DefaultEmailAddress.EmailAddress
	}
	if c.DefaultPhoneNumber != nil {
		cust.Phone = c.DefaultPhoneNumber.PhoneNumber
	}
	out.Customer = cust
	out.Orders = make([]domain.Order, 0, len(c.Orders.Nodes))
	for i := range c.Orders.Nodes {
		out.Orders = append(out.Orders, mapOrder(&c.Orders.Nodes[i].OrderSummary))
	}
	return out
}

func mapOrder(o *OrderSummary) domain.Order {
	order := domain.Order{
		ID:                o.Id,
		LegacyResourceID:  uint64(o.LegacyResourceId),
		Name:              o.Name,
		CreatedAt:         o.CreatedAt,
		CancelledAt:       o.CancelledAt,
		FulfillmentStatus: string(o.DisplayFulfillmentStatus),
		ItemCount:         o.CurrentSubtotalLineItemsQuantity,
		Total: domain.Money{
			Amount:   o.CurrentTotalPriceSet.ShopMoney.Amount,
			Currency: string(o.CurrentTotalPriceSet.ShopMoney.CurrencyCode),
		},
	}
	if o.CancelReason != nil {
		order.CancelReason = string(*o.CancelReason)
	}
	if o.DisplayFinancialStatus != nil {
		order.FinancialStatus = string(*o.DisplayFinancialStatus)
	}
	order.LineItems = make([]domain.LineItem, 0, len(o.LineItems.Nodes))
	for _, li := range o.LineItems.Nodes {
		order.LineItems = append(order.LineItems, domain.LineItem{Title: li.Title, VariantTitle: deref(li.VariantTitle), Quantity: li.Quantity})
	}
	for _, f := range o.Fulfillments {
		ful := domain.Fulfillment{Status: string(f.Status), CreatedAt: f.CreatedAt}
		if f.DisplayStatus != nil {
			ful.DisplayStatus = string(*f.DisplayStatus)
		}
		for _, t := range f.TrackingInfo {
			ful.Tracking = append(ful.Tracking, domain.Tracking{Company: deref(t.Company), Number: deref(t.Number), URL: deref(t.Url)})
		}
		order.Fulfillments = append(order.Fulfillments, ful)
	}
	return order
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

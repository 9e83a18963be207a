package shopify

import "shopcard/domain"

// mapCustomerOrders converts genqlient's response types into domain types,
// which is what the cache keeps and the handlers render.
func mapCustomerOrders(r *CustomerWithOrdersResponse) *domain.CustomerOrders {
	out := &domain.CustomerOrders{}
	if r == nil || r.Customer == nil {
		return out
	}
	out.Customer = mapCustomer(r.Customer)
	c := r.Customer
	out.Orders = make([]domain.Order, 0, len(c.Orders.Nodes))
	for i := range c.Orders.Nodes {
		out.Orders = append(out.Orders, mapOrder(&c.Orders.Nodes[i].OrderSummary))
	}
	return out
}

// mapCustomer converts a customer's own fields.
func mapCustomer(c *CustomerWithOrdersCustomer) *domain.Customer {
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
	return cust
}

// mapLookupOrder converts an order of a lookup document's answer, whose
// shipments were decoded beside its summary.
func mapLookupOrder(o *lookupOrder) domain.Order {
	order := mapOrder(&o.OrderSummary)
	for i := range o.Fulfillments {
		order.Fulfillments = append(order.Fulfillments, mapShipment(&o.Fulfillments[i]))
	}
	return order
}

func mapOrder(o *OrderSummary) domain.Order {
	order := domain.Order{
		ID:                o.Id,
		LegacyResourceID:  uint64(o.LegacyResourceId),
		Name:              o.Name,
		CreatedAt:         o.CreatedAt,
		CancelledAt:       o.CancelledAt,
		FulfillmentStatus: string(o.DisplayFulfillmentStatus),
		ReturnStatus:      string(o.ReturnStatus),
		ItemCount:         o.CurrentSubtotalLineItemsQuantity,
		Total:             money(o.CurrentTotalPriceSet.ShopMoney.Amount, o.CurrentTotalPriceSet.ShopMoney.CurrencyCode),
		OriginalTotal:     money(o.OriginalTotalPriceSet.ShopMoney.Amount, o.OriginalTotalPriceSet.ShopMoney.CurrencyCode),
		Refunded:          money(o.TotalRefundedSet.ShopMoney.Amount, o.TotalRefundedSet.ShopMoney.CurrencyCode),
		MoreLineItems:     o.LineItems.PageInfo.HasNextPage,
		// The summary leaves the count to an opened order (OrderDetail).
		FulfillmentCount: -1,
	}
	if o.CancelReason != nil {
		order.CancelReason = string(*o.CancelReason)
	}
	if o.DisplayFinancialStatus != nil {
		order.FinancialStatus = string(*o.DisplayFinancialStatus)
	}
	order.LineItems = make([]domain.LineItem, 0, len(o.LineItems.Nodes))
	for _, li := range o.LineItems.Nodes {
		order.LineItems = append(order.LineItems, domain.LineItem{
			Title: li.Title, VariantTitle: deref(li.VariantTitle), Quantity: li.Quantity, CurrentQuantity: li.CurrentQuantity,
		})
	}
	for i := range o.Fulfillments {
		order.Fulfillments = append(order.Fulfillments, mapShipment(&o.Fulfillments[i].ShipmentSummary))
	}
	return order
}

func mapShipment(f *ShipmentSummary) domain.Fulfillment {
	ful := domain.Fulfillment{
		Status: string(f.Status), CreatedAt: f.CreatedAt,
		EstimatedDeliveryAt: deref(f.EstimatedDeliveryAt), InTransitAt: deref(f.InTransitAt), DeliveredAt: deref(f.DeliveredAt),
	}
	if f.DisplayStatus != nil {
		ful.DisplayStatus = string(*f.DisplayStatus)
	}
	for _, t := range f.TrackingInfo {
		ful.Tracking = append(ful.Tracking, domain.Tracking{Company: deref(t.Company), Number: deref(t.Number), URL: deref(t.Url)})
	}
	return ful
}

func money(amount string, currency CurrencyCode) domain.Money {
	return domain.Money{Amount: amount, Currency: string(currency)}
}

// mapOrderDetail converts an opened order. Its line items and shipments
// replace the summary's: the detail asks for more of them (all line items
// up to 50, and each shipment's events and contents). Shopify lists both
// fulfillment selections in the same order, so the shipments' extras are
// matched to them by position.
func mapOrderDetail(o *OrderDetailOrder) *domain.OrderDetail {
	d := &domain.OrderDetail{
		Order:         mapOrder(&o.OrderSummary),
		Email:         deref(o.Email),
		Note:          deref(o.Note),
		Tags:          o.Tags,
		StatusPageURL: o.StatusPageUrl,
	}
	if o.FulfillmentsCount != nil {
		d.Order.FulfillmentCount = o.FulfillmentsCount.Count
	}
	if o.Customer != nil {
		d.CustomerID = uint64(o.Customer.LegacyResourceId)
	}
	if a := o.ShippingAddress; a != nil {
		d.ShippingAddress = &domain.Address{
			Name: deref(a.Name), Company: deref(a.Company), Address1: deref(a.Address1), Address2: deref(a.Address2),
			City: deref(a.City), ProvinceCode: deref(a.ProvinceCode), Zip: deref(a.Zip), Country: deref(a.Country), Phone: deref(a.Phone),
		}
	}
	d.LineItems = make([]domain.LineItem, 0, len(o.AllLineItems.Nodes))
	for _, li := range o.AllLineItems.Nodes {
		d.LineItems = append(d.LineItems, domain.LineItem{
			Title: li.Title, VariantTitle: deref(li.VariantTitle), SKU: deref(li.Sku),
			Quantity: li.Quantity, CurrentQuantity: li.CurrentQuantity,
			UnitPrice: money(li.OriginalUnitPriceSet.ShopMoney.Amount, li.OriginalUnitPriceSet.ShopMoney.CurrencyCode),
		})
	}
	d.MoreLineItems = o.AllLineItems.PageInfo.HasNextPage
	for i := range d.Fulfillments {
		if i >= len(o.Shipments) {
			break
		}
		sh, f := &o.Shipments[i], &d.Fulfillments[i]
		for _, e := range sh.Events.Nodes {
			f.Events = append(f.Events, domain.FulfillmentEvent{Status: string(e.Status), HappenedAt: e.HappenedAt, Message: deref(e.Message)})
		}
		f.MoreEvents = sh.Events.PageInfo.HasNextPage
		for _, it := range sh.FulfillmentLineItems.Nodes {
			f.Items = append(f.Items, domain.ShippedItem{Title: it.LineItem.Title, Quantity: deref(it.Quantity)})
		}
		f.MoreItems = sh.FulfillmentLineItems.PageInfo.HasNextPage
	}
	for _, r := range o.Refunds {
		d.Refunds = append(d.Refunds, domain.Refund{
			CreatedAt: deref(r.CreatedAt), Note: deref(r.Note),
			Amount: money(r.TotalRefundedSet.ShopMoney.Amount, r.TotalRefundedSet.ShopMoney.CurrencyCode),
		})
	}
	for _, r := range o.Returns.Nodes {
		ret := domain.Return{Name: r.Name, Status: string(r.Status), CreatedAt: r.CreatedAt, MoreItems: r.ReturnLineItems.PageInfo.HasNextPage}
		for _, n := range r.ReturnLineItems.Nodes {
			item := domain.ShippedItem{Quantity: n.GetQuantity()}
			if li, ok := n.(*OrderDetailOrderReturnsReturnConnectionNodesReturnReturnLineItemsReturnLineItemTypeConnectionNodesReturnLineItem); ok {
				item.Title = li.FulfillmentLineItem.LineItem.Title
			}
			ret.Items = append(ret.Items, item)
		}
		d.Returns = append(d.Returns, ret)
	}
	d.MoreReturns = o.Returns.PageInfo.HasNextPage
	return d
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

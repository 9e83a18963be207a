package loadtest

import (
	"fmt"
	"slices"
	"strings"

	"shopcard/domain"
	"shopcard/fakeshopify"
)

// CopyCustomer adds to the fake's store toShop a customer like the one
// with fromEmail in fromShop, with copies of all their orders, under a new
// email. The load test uses it to give many contacts the same realistic
// history as the fake's Jordan Rivera (60 orders, of which the sidebar
// shows the newest 50 with their items, shipments and tracking).
func CopyCustomer(fake *fakeshopify.Server, fromShop, fromEmail, toShop, email string) error {
	c, ok := fake.CustomerByEmail(fromShop, fromEmail)
	if !ok {
		return fmt.Errorf("loadtest: %s has no customer %s", fromShop, fromEmail)
	}
	orders := fake.Orders(fromShop, c.ID)
	c.ID, c.Email = 0, email
	added, err := fake.AddCustomer(toShop, c)
	if err != nil {
		return err
	}
	// Oldest first, so order numbers rise with time as on a real store.
	for i := len(orders) - 1; i >= 0; i-- {
		o := orders[i]
		o.ID, o.CustomerID, o.Email, o.Number, o.Name = 0, added.ID, "", 0, ""
		if _, err := fake.AddOrder(toShop, o); err != nil {
			return err
		}
	}
	return nil
}

// CloneAnswer deep-copies an answer for another email, every string and
// slice with its own memory, as decoding a separate Shopify response would
// give. The memory scenario fills the cache with such copies.
func CloneAnswer(a *domain.CustomerOrders, email string) *domain.CustomerOrders {
	out := *a
	if a.Customer != nil {
		c := *a.Customer
		c.ID, c.DisplayName, c.FirstName, c.LastName = strings.Clone(c.ID), strings.Clone(c.DisplayName), strings.Clone(c.FirstName), strings.Clone(c.LastName)
		c.Email, c.Phone = strings.Clone(email), strings.Clone(c.Phone)
		c.AmountSpent = cloneMoney(c.AmountSpent)
		c.Tags = cloneStrings(c.Tags)
		out.Customer = &c
	}
	out.Orders = cloneOrders(a.Orders)
	out.GuestOrders = cloneOrders(a.GuestOrders)
	out.Withheld = cloneStrings(a.Withheld)
	return &out
}

func cloneMoney(m domain.Money) domain.Money {
	return domain.Money{Amount: strings.Clone(m.Amount), Currency: strings.Clone(m.Currency)}
}

func cloneStrings(ss []string) []string {
	if ss == nil {
		return nil
	}
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = strings.Clone(s)
	}
	return out
}

func cloneOrders(orders []domain.Order) []domain.Order {
	if orders == nil {
		return nil
	}
	out := slices.Clone(orders)
	for i := range out {
		o := &out[i]
		o.ID, o.Name, o.CancelReason = strings.Clone(o.ID), strings.Clone(o.Name), strings.Clone(o.CancelReason)
		o.FinancialStatus, o.FulfillmentStatus = strings.Clone(o.FinancialStatus), strings.Clone(o.FulfillmentStatus)
		o.Total = cloneMoney(o.Total)
		if o.CancelledAt != nil {
			t := *o.CancelledAt
			o.CancelledAt = &t
		}
		o.LineItems = slices.Clone(o.LineItems)
		for j := range o.LineItems {
			li := &o.LineItems[j]
			li.Title, li.VariantTitle = strings.Clone(li.Title), strings.Clone(li.VariantTitle)
		}
		o.Fulfillments = slices.Clone(o.Fulfillments)
		for j := range o.Fulfillments {
			f := &o.Fulfillments[j]
			f.Status, f.DisplayStatus = strings.Clone(f.Status), strings.Clone(f.DisplayStatus)
			f.Tracking = slices.Clone(f.Tracking)
			for k := range f.Tracking {
				t := &f.Tracking[k]
				t.Company, t.Number, t.URL = strings.Clone(t.Company), strings.Clone(t.Number), strings.Clone(t.URL)
			}
		}
	}
	return out
}

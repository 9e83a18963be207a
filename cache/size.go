package cache

import (
	"unsafe"

	"shopcard/domain"
)

// SizeOf estimates the bytes an answer occupies on the heap: struct sizes
// plus the bytes of every string and slice it references. The cache charges
// each entry this much against MaxBytes, so the estimate errs high.
func SizeOf(v *domain.CustomerOrders) int64 {
	if v == nil {
		return 0
	}
	const (
		entryOverhead = int64(unsafe.Sizeof(entry{})) + 64 // key string and map slot
		stringHeader  = int64(unsafe.Sizeof(""))
	)
	n := entryOverhead + int64(unsafe.Sizeof(*v))
	if c := v.Customer; c != nil {
		n += int64(unsafe.Sizeof(*c))
		n += strs(c.ID, c.DisplayName, c.FirstName, c.LastName, c.Email, c.Phone, c.AmountSpent.Amount, c.AmountSpent.Currency)
		n += int64(len(c.Tags)) * stringHeader
		n += strs(c.Tags...)
	}
	n += ordersSize(v.Orders) + ordersSize(v.GuestOrders)
	n += int64(len(v.Withheld)) * stringHeader
	n += strs(v.Withheld...)
	return n
}

func strs(ss ...string) int64 {
	var n int64
	for _, s := range ss {
		n += int64(len(s))
	}
	return n
}

func ordersSize(orders []domain.Order) int64 {
	n := int64(cap(orders)) * int64(unsafe.Sizeof(domain.Order{}))
	for i := range orders {
		o := &orders[i]
		n += strs(o.ID, o.Name, o.CancelReason, o.FinancialStatus, o.FulfillmentStatus, o.Total.Amount, o.Total.Currency)
		if o.CancelledAt != nil {
			n += 24
		}
		n += int64(cap(o.LineItems)) * int64(unsafe.Sizeof(domain.LineItem{}))
		for _, li := range o.LineItems {
			n += strs(li.Title, li.VariantTitle)
		}
		n += int64(cap(o.Fulfillments)) * int64(unsafe.Sizeof(domain.Fulfillment{}))
		for _, f := range o.Fulfillments {
			n += strs(f.Status, f.DisplayStatus)
			n += int64(cap(f.Tracking)) * int64(unsafe.Sizeof(domain.Tracking{}))
			for _, t := range f.Tracking {
				n += strs(t.Company, t.Number, t.URL)
			}
		}
	}
	return n
}

package cache

import (
	"strings"
	"time"
	"unsafe"

	"shopcard/domain"
)

// An answer as decoded from Shopify is about 700 separate allocations: every
// string and every small slice of a 50-order answer. Kept like that for
// minutes among the garbage of other requests, they pin the heap's spans
// long after most of their neighbours died, so the heap in use grows far
// past the bytes the cache charges for. The cache therefore keeps a
// compact copy: every string in one shared buffer (each distinct value
// once), the orders of both lists in one array, and their line items,
// shipments, tracking numbers and cancellation times in one array each.
// SizeOf charges exactly those allocations, rounded up to the allocator's
// size classes, plus the cache's own bookkeeping for an entry.

// SizeOf is the heap an answer occupies as the cache keeps it (compacted),
// with the cache's bookkeeping for its entry. The cache charges each entry
// this much against MaxBytes and StaleMaxBytes.
func SizeOf(v *domain.CustomerOrders) int64 {
	if v == nil {
		return 0
	}
	return plan(v).size()
}

// entryOverhead is the cache's bookkeeping for one entry: the entry
// itself, its key, and ristretto's item, store and expiry records.
const entryOverhead = int64(unsafe.Sizeof(entry{})) + 48 + 256

// layout counts what a compacted answer holds.
type layout struct {
	strs                                  map[string]int // distinct string → its offset in the buffer
	distinct                              []string       // in buffer order
	strBytes                              int
	orders, items, fulfillments, tracking int
	cancelled, tags, withheld             int
	hasCustomer                           bool
}

func plan(v *domain.CustomerOrders) *layout {
	l := &layout{strs: map[string]int{}}
	if c := v.Customer; c != nil {
		l.hasCustomer = true
		l.str(c.ID, c.DisplayName, c.FirstName, c.LastName, c.Email, c.Phone, c.AmountSpent.Amount, c.AmountSpent.Currency)
		l.str(c.Tags...)
		l.tags = len(c.Tags)
	}
	for _, orders := range [][]domain.Order{v.Orders, v.GuestOrders} {
		l.orders += len(orders)
		for i := range orders {
			o := &orders[i]
			l.str(o.ID, o.Name, o.CancelReason, o.FinancialStatus, o.FulfillmentStatus, o.Total.Amount, o.Total.Currency)
			if o.CancelledAt != nil {
				l.cancelled++
			}
			l.items += len(o.LineItems)
			for _, li := range o.LineItems {
				l.str(li.Title, li.VariantTitle)
			}
			l.fulfillments += len(o.Fulfillments)
			for _, f := range o.Fulfillments {
				l.str(f.Status, f.DisplayStatus)
				l.tracking += len(f.Tracking)
				for _, t := range f.Tracking {
					l.str(t.Company, t.Number, t.URL)
				}
			}
		}
	}
	l.str(v.Withheld...)
	l.withheld = len(v.Withheld)
	return l
}

func (l *layout) str(ss ...string) {
	for _, s := range ss {
		if _, seen := l.strs[s]; !seen && s != "" {
			l.strs[s] = l.strBytes
			l.distinct = append(l.distinct, s)
			l.strBytes += len(s)
		}
	}
}

func (l *layout) size() int64 {
	n := entryOverhead + allocSize(int(unsafe.Sizeof(domain.CustomerOrders{})), true)
	if l.hasCustomer {
		n += allocSize(int(unsafe.Sizeof(domain.Customer{})), true)
	}
	n += allocSize(l.strBytes, false)
	n += allocSize(l.orders*int(unsafe.Sizeof(domain.Order{})), true)
	n += allocSize(l.items*int(unsafe.Sizeof(domain.LineItem{})), true)
	n += allocSize(l.fulfillments*int(unsafe.Sizeof(domain.Fulfillment{})), true)
	n += allocSize(l.tracking*int(unsafe.Sizeof(domain.Tracking{})), true)
	n += allocSize(l.cancelled*int(unsafe.Sizeof(time.Time{})), true)
	n += allocSize((l.tags+l.withheld)*int(unsafe.Sizeof("")), true)
	return n
}

// sizeClasses are the Go allocator's size classes up to 32 KiB
// (runtime/sizeclasses.go).
var sizeClasses = [...]int{
	8, 16, 24, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 208, 224, 240, 256,
	288, 320, 352, 384, 416, 448, 480, 512, 576, 640, 704, 768, 896, 1024, 1152, 1280,
	1408, 1536, 1792, 2048, 2304, 2688, 3072, 3200, 3456, 4096, 4864, 5376, 6144, 6528,
	6784, 6912, 8192, 9472, 9728, 10240, 10880, 12288, 13568, 14336, 16384, 18432, 19072,
	20480, 21760, 24576, 27264, 28672, 32768,
}

// allocSize is the heap an allocation of n bytes takes: rounded up to its
// size class, or to whole 8 KiB pages when large, with the 8-byte header
// the allocator adds to objects with pointers over 512 bytes.
func allocSize(n int, pointers bool) int64 {
	if n == 0 {
		return 0
	}
	if pointers && n > 512 {
		n += 8
	}
	for _, c := range sizeClasses {
		if n <= c {
			return int64(c)
		}
	}
	return int64((n + 8191) / 8192 * 8192)
}

// compact returns a copy of v laid out in as few allocations as it can,
// equal to v in every field (nil slices stay nil, empty ones empty), and
// what SizeOf charges for it.
func compact(v *domain.CustomerOrders) (*domain.CustomerOrders, int64) {
	l := plan(v)
	var b strings.Builder
	b.Grow(l.strBytes)
	for _, s := range l.distinct {
		b.WriteString(s)
	}
	buf := b.String()
	str := func(s string) string {
		if s == "" {
			return ""
		}
		off := l.strs[s]
		return buf[off : off+len(s)]
	}
	strs := func(ss []string, into []string) []string {
		if ss == nil {
			return nil
		}
		out := into[:len(ss):len(ss)]
		for i, s := range ss {
			out[i] = str(s)
		}
		return out
	}

	out := &domain.CustomerOrders{FetchedAt: v.FetchedAt, Cost: v.Cost, Stale: v.Stale}
	stringSlots := make([]string, l.tags+l.withheld)
	if c := v.Customer; c != nil {
		out.Customer = &domain.Customer{
			ID: str(c.ID), LegacyResourceID: c.LegacyResourceID, DisplayName: str(c.DisplayName),
			FirstName: str(c.FirstName), LastName: str(c.LastName), Email: str(c.Email), Phone: str(c.Phone),
			NumberOfOrders: c.NumberOfOrders,
			AmountSpent:    domain.Money{Amount: str(c.AmountSpent.Amount), Currency: str(c.AmountSpent.Currency)},
			CreatedAt:      c.CreatedAt,
			Tags:           strs(c.Tags, stringSlots),
		}
	}
	out.Withheld = strs(v.Withheld, stringSlots[l.tags:])

	orders := make([]domain.Order, l.orders)
	items := make([]domain.LineItem, l.items)
	fulfillments := make([]domain.Fulfillment, l.fulfillments)
	tracking := make([]domain.Tracking, l.tracking)
	cancelled := make([]time.Time, l.cancelled)
	copyOrders := func(src []domain.Order) []domain.Order {
		if src == nil {
			return nil
		}
		dst := orders[:len(src):len(src)]
		orders = orders[len(src):]
		for i := range src {
			o, d := &src[i], &dst[i]
			*d = domain.Order{
				ID: str(o.ID), LegacyResourceID: o.LegacyResourceID, Name: str(o.Name), CreatedAt: o.CreatedAt,
				CancelReason: str(o.CancelReason), FinancialStatus: str(o.FinancialStatus), FulfillmentStatus: str(o.FulfillmentStatus),
				Total:     domain.Money{Amount: str(o.Total.Amount), Currency: str(o.Total.Currency)},
				ItemCount: o.ItemCount,
			}
			if o.CancelledAt != nil {
				cancelled[0] = *o.CancelledAt
				d.CancelledAt = &cancelled[0]
				cancelled = cancelled[1:]
			}
			if o.LineItems != nil {
				d.LineItems = items[:len(o.LineItems):len(o.LineItems)]
				items = items[len(o.LineItems):]
				for j, li := range o.LineItems {
					d.LineItems[j] = domain.LineItem{Title: str(li.Title), VariantTitle: str(li.VariantTitle), Quantity: li.Quantity}
				}
			}
			if o.Fulfillments != nil {
				d.Fulfillments = fulfillments[:len(o.Fulfillments):len(o.Fulfillments)]
				fulfillments = fulfillments[len(o.Fulfillments):]
				for j, f := range o.Fulfillments {
					df := &d.Fulfillments[j]
					*df = domain.Fulfillment{Status: str(f.Status), DisplayStatus: str(f.DisplayStatus), CreatedAt: f.CreatedAt}
					if f.Tracking != nil {
						df.Tracking = tracking[:len(f.Tracking):len(f.Tracking)]
						tracking = tracking[len(f.Tracking):]
						for k, t := range f.Tracking {
							df.Tracking[k] = domain.Tracking{Company: str(t.Company), Number: str(t.Number), URL: str(t.URL)}
						}
					}
				}
			}
		}
		return dst
	}
	out.Orders = copyOrders(v.Orders)
	out.GuestOrders = copyOrders(v.GuestOrders)
	return out, l.size()
}

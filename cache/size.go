package cache

import (
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
	events, shipped                       int
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
			l.order(&orders[i])
		}
	}
	l.str(v.Withheld...)
	l.withheld = len(v.Withheld)
	return l
}

func (l *layout) order(o *domain.Order) {
	l.str(o.ID, o.Name, o.CancelReason, o.FinancialStatus, o.FulfillmentStatus, o.ReturnStatus,
		o.Total.Amount, o.Total.Currency, o.OriginalTotal.Amount, o.OriginalTotal.Currency, o.Refunded.Amount, o.Refunded.Currency)
	if o.CancelledAt != nil {
		l.cancelled++
	}
	l.items += len(o.LineItems)
	for _, li := range o.LineItems {
		l.str(li.Title, li.VariantTitle, li.SKU, li.UnitPrice.Amount, li.UnitPrice.Currency)
	}
	l.fulfillments += len(o.Fulfillments)
	for _, f := range o.Fulfillments {
		l.str(f.Status, f.DisplayStatus)
		l.tracking += len(f.Tracking)
		for _, t := range f.Tracking {
			l.str(t.Company, t.Number, t.URL)
		}
		l.events += len(f.Events)
		for _, e := range f.Events {
			l.str(e.Status, e.Message)
		}
		l.shipped += len(f.Items)
		for _, it := range f.Items {
			l.str(it.Title)
		}
	}
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
	n += allocSize(l.events*int(unsafe.Sizeof(domain.FulfillmentEvent{})), true)
	n += allocSize(l.shipped*int(unsafe.Sizeof(domain.ShippedItem{})), true)
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
	str := l.buffer()
	strs := func(ss []string, into []string) []string { return copyStrings(ss, into, str) }

	out := &domain.CustomerOrders{FetchedAt: v.FetchedAt, Cost: v.Cost, Stale: v.Stale, GuestsWithheld: v.GuestsWithheld}
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

	c := l.copier(str)
	copyOrders := func(src []domain.Order) []domain.Order {
		if src == nil {
			return nil
		}
		dst := c.orders[:len(src):len(src)]
		c.orders = c.orders[len(src):]
		for i := range src {
			c.order(&src[i], &dst[i])
		}
		return dst
	}
	out.Orders = copyOrders(v.Orders)
	out.GuestOrders = copyOrders(v.GuestOrders)
	return out, l.size()
}

// orderCopier copies orders into arrays laid out for all of them.
type orderCopier struct {
	str          func(string) string
	orders       []domain.Order
	items        []domain.LineItem
	fulfillments []domain.Fulfillment
	tracking     []domain.Tracking
	events       []domain.FulfillmentEvent
	shipped      []domain.ShippedItem
	cancelled    []time.Time
}

func (l *layout) copier(str func(string) string) *orderCopier {
	return &orderCopier{
		str:          str,
		orders:       make([]domain.Order, l.orders),
		items:        make([]domain.LineItem, l.items),
		fulfillments: make([]domain.Fulfillment, l.fulfillments),
		tracking:     make([]domain.Tracking, l.tracking),
		events:       make([]domain.FulfillmentEvent, l.events),
		shipped:      make([]domain.ShippedItem, l.shipped),
		cancelled:    make([]time.Time, l.cancelled),
	}
}

// take hands out the next n elements of *pool, or nil when src is nil.
func take[T any](pool *[]T, src []T) []T {
	if src == nil {
		return nil
	}
	out := (*pool)[:len(src):len(src)]
	*pool = (*pool)[len(src):]
	return out
}

func (c *orderCopier) money(m domain.Money) domain.Money {
	return domain.Money{Amount: c.str(m.Amount), Currency: c.str(m.Currency)}
}

// order copies o into d, every slice from the copier's arrays.
func (c *orderCopier) order(o, d *domain.Order) {
	str := c.str
	*d = domain.Order{
		ID: str(o.ID), LegacyResourceID: o.LegacyResourceID, Name: str(o.Name), CreatedAt: o.CreatedAt,
		CancelReason: str(o.CancelReason), FinancialStatus: str(o.FinancialStatus), FulfillmentStatus: str(o.FulfillmentStatus),
		ReturnStatus: str(o.ReturnStatus),
		Total:        c.money(o.Total), OriginalTotal: c.money(o.OriginalTotal), Refunded: c.money(o.Refunded),
		ItemCount: o.ItemCount, MoreLineItems: o.MoreLineItems, FulfillmentCount: o.FulfillmentCount,
	}
	if o.CancelledAt != nil {
		c.cancelled[0] = *o.CancelledAt
		d.CancelledAt = &c.cancelled[0]
		c.cancelled = c.cancelled[1:]
	}
	d.LineItems = take(&c.items, o.LineItems)
	for j, li := range o.LineItems {
		d.LineItems[j] = domain.LineItem{
			Title: str(li.Title), VariantTitle: str(li.VariantTitle), SKU: str(li.SKU),
			Quantity: li.Quantity, CurrentQuantity: li.CurrentQuantity, UnitPrice: c.money(li.UnitPrice),
		}
	}
	d.Fulfillments = take(&c.fulfillments, o.Fulfillments)
	for j := range o.Fulfillments {
		f, df := &o.Fulfillments[j], &d.Fulfillments[j]
		*df = domain.Fulfillment{
			Status: str(f.Status), DisplayStatus: str(f.DisplayStatus), CreatedAt: f.CreatedAt,
			EstimatedDeliveryAt: f.EstimatedDeliveryAt, InTransitAt: f.InTransitAt, DeliveredAt: f.DeliveredAt,
			MoreEvents: f.MoreEvents, MoreItems: f.MoreItems,
		}
		df.Tracking = take(&c.tracking, f.Tracking)
		for k, t := range f.Tracking {
			df.Tracking[k] = domain.Tracking{Company: str(t.Company), Number: str(t.Number), URL: str(t.URL)}
		}
		df.Events = take(&c.events, f.Events)
		for k, e := range f.Events {
			df.Events[k] = domain.FulfillmentEvent{Status: str(e.Status), HappenedAt: e.HappenedAt, Message: str(e.Message)}
		}
		df.Items = take(&c.shipped, f.Items)
		for k, it := range f.Items {
			df.Items[k] = domain.ShippedItem{Title: str(it.Title), Quantity: it.Quantity}
		}
	}
}

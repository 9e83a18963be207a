package cache

import (
	"context"
	"strconv"
	"strings"
	"unsafe"

	"shopcard/domain"
)

// OrderKey is the cache key of an order's detail: workspace, store and
// order. It cannot collide with Key, whose third part is an email.
func OrderKey(workspaceID, storeID int64, orderID uint64) string {
	return "order/" + strconv.FormatInt(workspaceID, 10) + "/" + strconv.FormatInt(storeID, 10) + "/" + strconv.FormatUint(orderID, 10)
}

// LookupOrder answers an opened order's detail from the cache when it can,
// and otherwise asks the source once however many callers ask at the same
// time, like LookupCustomer. Details share the answers' byte budget and
// TTL, and webhooks about the order or its customer evict them. Unlike
// answers, no last good detail is kept: an opened order that cannot be
// loaded says so, and the summary still shows what it knows.
func (l *Lookup) LookupOrder(ctx context.Context, store domain.Store, orderID uint64) (*domain.OrderDetail, error) {
	key := OrderKey(store.WorkspaceID, store.ID, orderID)
	if e, ok := l.cache.Get(key); ok && e.detail != nil {
		l.record("hit")
		return e.detail, nil
	}
	l.record("miss")
	epoch := l.epoch(store.ID)
	ch := l.group.DoChan(key+"@"+strconv.FormatUint(epoch, 10), func() (any, error) {
		if !l.begin() {
			return nil, domain.Errorf(domain.KindShopifyUnavailable, "shopcard is shutting down; try again in a moment.")
		}
		defer l.calls.Done()
		if e, ok := l.cache.Get(key); ok && e.detail != nil {
			return e.detail, nil
		}
		callCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), l.timeout)
		defer cancel()
		d, err := l.src.LookupOrder(callCtx, store, orderID)
		if err != nil {
			return nil, err
		}
		return l.keepDetail(key, store, d, epoch), nil
	})
	select {
	case res := <-ch:
		if res.Err != nil {
			return nil, res.Err
		}
		return res.Val.(*domain.OrderDetail), nil
	case <-ctx.Done():
		return nil, domain.Wrap(domain.KindShopifyTimeout, ctx.Err(), "Shopify did not answer in time")
	}
}

// keepDetail stores a detail unless an eviction for its store happened
// since its call began, and returns the compact copy callers get.
func (l *Lookup) keepDetail(key string, store domain.Store, d *domain.OrderDetail, epoch uint64) *domain.OrderDetail {
	d, size := compactDetail(d)
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.epochs[store.ID] != epoch {
		return d
	}
	ttl := l.ttl
	if store.CacheTTL > 0 {
		ttl = store.CacheTTL
	}
	l.cache.SetWithTTL(key, &entry{key: key, storeID: store.ID, detail: d, size: size}, size, ttl)
	l.cache.Wait()
	return d
}

// SizeOfDetail is the heap an order's detail occupies as the cache keeps
// it, with the cache's bookkeeping for its entry.
func SizeOfDetail(d *domain.OrderDetail) int64 {
	if d == nil {
		return 0
	}
	return planDetail(d).detailSize()
}

// detailLayout counts what a compacted detail holds beyond its order.
type detailLayout struct {
	*layout
	address                                       bool
	refunds, returns, returnItems, tags, withheld int
}

func planDetail(d *domain.OrderDetail) *detailLayout {
	l := &detailLayout{layout: &layout{strs: map[string]int{}}}
	l.order(&d.Order)
	l.str(d.Email, d.Note, d.StatusPageURL)
	l.str(d.Tags...)
	l.str(d.Withheld...)
	l.tags, l.withheld = len(d.Tags), len(d.Withheld)
	if a := d.ShippingAddress; a != nil {
		l.address = true
		l.str(a.Name, a.Company, a.Address1, a.Address2, a.City, a.ProvinceCode, a.Zip, a.Country, a.Phone)
	}
	l.refunds = len(d.Refunds)
	for _, r := range d.Refunds {
		l.str(r.Note, r.Amount.Amount, r.Amount.Currency)
	}
	l.returns = len(d.Returns)
	for _, r := range d.Returns {
		l.str(r.Name, r.Status)
		l.returnItems += len(r.Items)
		for _, it := range r.Items {
			l.str(it.Title)
		}
	}
	return l
}

func (l *detailLayout) detailSize() int64 {
	n := entryOverhead + allocSize(int(unsafe.Sizeof(domain.OrderDetail{})), true)
	n += allocSize(l.strBytes, false)
	n += allocSize(l.items*int(unsafe.Sizeof(domain.LineItem{})), true)
	n += allocSize(l.fulfillments*int(unsafe.Sizeof(domain.Fulfillment{})), true)
	n += allocSize(l.tracking*int(unsafe.Sizeof(domain.Tracking{})), true)
	n += allocSize(l.events*int(unsafe.Sizeof(domain.FulfillmentEvent{})), true)
	n += allocSize((l.shipped+l.returnItems)*int(unsafe.Sizeof(domain.ShippedItem{})), true)
	n += allocSize(l.cancelled*int(unsafe.Sizeof(domain.Order{}.CreatedAt)), true)
	n += allocSize((l.tags+l.withheld)*int(unsafe.Sizeof("")), true)
	if l.address {
		n += allocSize(int(unsafe.Sizeof(domain.Address{})), true)
	}
	n += allocSize(l.refunds*int(unsafe.Sizeof(domain.Refund{})), true)
	n += allocSize(l.returns*int(unsafe.Sizeof(domain.Return{})), true)
	return n
}

// compactDetail is compact for an order's detail: a copy equal to d in
// every field, its strings in one buffer and each kind of list in one
// array, and what SizeOfDetail charges for it.
func compactDetail(d *domain.OrderDetail) (*domain.OrderDetail, int64) {
	l := planDetail(d)
	str := l.buffer()
	c := l.copier(str)
	// Shipped items of shipments and returns share one array.
	c.shipped = make([]domain.ShippedItem, l.shipped+l.returnItems)
	out := &domain.OrderDetail{
		CustomerID: d.CustomerID, Email: str(d.Email), Note: str(d.Note), StatusPageURL: str(d.StatusPageURL),
		MoreReturns: d.MoreReturns, ReturnsDenied: d.ReturnsDenied, FetchedAt: d.FetchedAt, Cost: d.Cost,
	}
	c.order(&d.Order, &out.Order)
	slots := make([]string, l.tags+l.withheld)
	out.Tags = copyStrings(d.Tags, slots, str)
	out.Withheld = copyStrings(d.Withheld, slots[l.tags:], str)
	if a := d.ShippingAddress; a != nil {
		out.ShippingAddress = &domain.Address{
			Name: str(a.Name), Company: str(a.Company), Address1: str(a.Address1), Address2: str(a.Address2), City: str(a.City),
			ProvinceCode: str(a.ProvinceCode), Zip: str(a.Zip), Country: str(a.Country), Phone: str(a.Phone),
		}
	}
	if d.Refunds != nil {
		out.Refunds = make([]domain.Refund, len(d.Refunds))
		for i, r := range d.Refunds {
			out.Refunds[i] = domain.Refund{CreatedAt: r.CreatedAt, Note: str(r.Note), Amount: c.money(r.Amount)}
		}
	}
	if d.Returns != nil {
		out.Returns = make([]domain.Return, len(d.Returns))
		for i, r := range d.Returns {
			dr := &out.Returns[i]
			*dr = domain.Return{Name: str(r.Name), Status: str(r.Status), CreatedAt: r.CreatedAt, MoreItems: r.MoreItems}
			dr.Items = take(&c.shipped, r.Items)
			for k, it := range r.Items {
				dr.Items[k] = domain.ShippedItem{Title: str(it.Title), Quantity: it.Quantity}
			}
		}
	}
	return out, l.detailSize()
}

// buffer writes the layout's distinct strings into one string and returns
// the function that finds each one in it.
func (l *layout) buffer() func(string) string {
	var b strings.Builder
	b.Grow(l.strBytes)
	for _, s := range l.distinct {
		b.WriteString(s)
	}
	buf := b.String()
	return func(s string) string {
		if s == "" {
			return ""
		}
		off := l.strs[s]
		return buf[off : off+len(s)]
	}
}

// copyStrings copies ss into the slots given, each string from the buffer.
func copyStrings(ss, into []string, str func(string) string) []string {
	if ss == nil {
		return nil
	}
	out := into[:len(ss):len(ss)]
	for i, s := range ss {
		out[i] = str(s)
	}
	return out
}

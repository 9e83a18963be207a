package cache

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"unsafe"

	"shopcard/domain"
)

// detailKey is the cache key of an order's detail: workspace, store and
// order, as a question (answers.go), so it never meets a customer's key
// or an order search's.
func detailKey(workspaceID, storeID int64, orderID uint64) string {
	return questionKey(workspaceID, storeID, "detail", strconv.FormatUint(orderID, 10))
}

// LookupOrder answers an opened order's detail from the cache when it can,
// and otherwise asks the source once however many callers ask at the same
// time, like LookupCustomer: the same byte budget, TTLs and epochs, and
// webhooks about the order or its customer evict it (Match). Unlike
// answers, no last good detail is kept (keepsLastGood): an opened order
// that cannot be loaded says so, and the summary still shows what it
// knows.
func (l *Lookup) LookupOrder(ctx context.Context, store domain.Store, orderID uint64) (*domain.OrderDetail, error) {
	return cached(l, ctx, detailKey(store.WorkspaceID, store.ID, orderID), store, "", func(ctx context.Context) (*domain.OrderDetail, error) {
		return l.src.LookupOrder(ctx, store, orderID)
	})
}

// selectsDetail reports whether m selects a kept order detail: the
// order itself, its customer's, or one placed with one of m's emails.
func (m Match) selectsDetail(d *domain.OrderDetail) bool {
	return slices.Contains(m.OrderIDs, d.LegacyResourceID) ||
		(d.CustomerID != 0 && slices.Contains(m.CustomerIDs, d.CustomerID)) ||
		(d.Email != "" && slices.ContainsFunc(m.Emails, func(e string) bool { return strings.EqualFold(d.Email, e) }))
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
		l.str(a.Name, a.Company, a.Address1, a.Address2, a.City, a.Province, a.ProvinceCode, a.Zip, a.Country, a.CountryCode, a.Phone)
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
			Province: str(a.Province), ProvinceCode: str(a.ProvinceCode), Zip: str(a.Zip), Country: str(a.Country),
			CountryCode: str(a.CountryCode), Phone: str(a.Phone),
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

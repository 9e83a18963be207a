package cache

import (
	"context"
	"strconv"
	"strings"
	"unsafe"

	"shopcard/domain"
)

// The lookups below are cached exactly as LookupCustomer is: in the same
// byte-bounded caches and under the same TTLs (the store's, else the
// server's), one call to Shopify for concurrent misses, the last good
// answer when Shopify does not answer, and dropped when their store is
// disconnected. A webhook about an order or a customer drops the order
// lookups it concerns (Match); products and the shop change without
// webhooks, so their answers live out their TTL.

// questionKey is the cache key of a lookup other than a customer's: the
// workspace and store as in Key, then a NUL byte, which no normalized
// email holds (domain.NormalizeEmail refuses control characters), so
// these keys can never collide with a customer's.
func questionKey(workspaceID, storeID int64, kind, question string) string {
	return strconv.FormatInt(workspaceID, 10) + "/" + strconv.FormatInt(storeID, 10) + "/\x00" + kind + "/" + question
}

// FindOrders answers from the cache when it can, and otherwise asks the
// source once however many callers ask at the same time. name is
// shopify.NormalizeOrderName's, whose matching ignores ASCII case.
func (l *Lookup) FindOrders(ctx context.Context, store domain.Store, name string) (*domain.OrderMatches, error) {
	key := questionKey(store.WorkspaceID, store.ID, "order", asciiLower(name))
	return cached(l, ctx, key, store, "", func(ctx context.Context) (*domain.OrderMatches, error) {
		return l.src.FindOrders(ctx, store, name)
	})
}

// SearchProducts answers from the cache when it can, as FindOrders does.
func (l *Lookup) SearchProducts(ctx context.Context, store domain.Store, keywords string) (*domain.ProductResults, error) {
	key := questionKey(store.WorkspaceID, store.ID, "products", keywords)
	return cached(l, ctx, key, store, "", func(ctx context.Context) (*domain.ProductResults, error) {
		return l.src.SearchProducts(ctx, store, keywords)
	})
}

// ShopDetails answers from the cache when it can, as FindOrders does.
func (l *Lookup) ShopDetails(ctx context.Context, store domain.Store) (*domain.ShopDetails, error) {
	key := questionKey(store.WorkspaceID, store.ID, "shop", "")
	return cached(l, ctx, key, store, "", func(ctx context.Context) (*domain.ShopDetails, error) {
		return l.src.ShopDetails(ctx, store)
	})
}

func asciiLower(s string) string {
	return strings.Map(func(r rune) rune {
		if 'A' <= r && r <= 'Z' {
			return r + ('a' - 'A')
		}
		return r
	}, s)
}

// keptCopy is the copy of an answer the cache keeps, and what it charges
// for it. Customer answers are compacted (size.go); the others are small
// and few, so they are kept as they are and charged by an estimate of
// their heap that never undercounts by much: every string and slice
// rounded up to the allocator's size classes.
func keptCopy(answer any) (any, int64) {
	switch v := answer.(type) {
	case *domain.CustomerOrders:
		return compact(v)
	case *domain.OrderMatches:
		return v, entryOverhead + orderMatchesSize(v)
	case *domain.ProductResults:
		return v, entryOverhead + productResultsSize(v)
	case *domain.ShopDetails:
		return v, entryOverhead + shopDetailsSize(v)
	case *domain.OrderDetail:
		return compactDetail(v)
	}
	return answer, entryOverhead
}

// keepsLastGood reports whether the last good answer of this kind is kept
// to serve, marked stale, when Shopify does not answer. An order's detail
// has none (detail.go): it has no way to say it is stale.
func keepsLastGood(answer any) bool {
	_, detail := answer.(*domain.OrderDetail)
	return !detail
}

// staleCopy is a copy of a kept answer marked Stale: kept answers are
// shared, so they are never changed in place.
func staleCopy(answer any) any {
	switch v := answer.(type) {
	case *domain.CustomerOrders:
		c := *v
		c.Stale = true
		return &c
	case *domain.OrderMatches:
		c := *v
		c.Stale = true
		return &c
	case *domain.ProductResults:
		c := *v
		c.Stale = true
		return &c
	case *domain.ShopDetails:
		c := *v
		c.Stale = true
		return &c
	}
	return answer
}

// selectsAnswer reports whether m selects a kept answer other than a
// customer's: an order lookup that found one of m's orders, an order of
// one of m's customers, or an order placed with one of m's emails; or an
// order's detail likewise (selectsDetail).
func (m Match) selectsAnswer(answer any) bool {
	if d, ok := answer.(*domain.OrderDetail); ok {
		return m.selectsDetail(d)
	}
	v, ok := answer.(*domain.OrderMatches)
	if !ok {
		return false
	}
	for _, f := range v.Orders {
		for _, id := range m.OrderIDs {
			if f.Order.LegacyResourceID == id {
				return true
			}
		}
		for _, id := range m.CustomerIDs {
			if f.CustomerID != 0 && f.CustomerID == id {
				return true
			}
		}
		for _, email := range m.Emails {
			if (f.Email != "" && strings.EqualFold(f.Email, email)) || (f.CustomerEmail != "" && strings.EqualFold(f.CustomerEmail, email)) {
				return true
			}
		}
	}
	return false
}

func stringsSize(ss ...string) int64 {
	var n int64
	for _, s := range ss {
		n += allocSize(len(s), false)
	}
	return n
}

func sliceSize[T any](n int) int64 {
	var zero T
	return allocSize(n*int(unsafe.Sizeof(zero)), true)
}

// orderSize estimates an order as Shopify's answer decodes it: each
// string and list its own allocation.
func orderSize(o *domain.Order) int64 {
	n := stringsSize(o.ID, o.Name, o.CancelReason, o.FinancialStatus, o.FulfillmentStatus, o.ReturnStatus,
		o.Total.Amount, o.Total.Currency, o.OriginalTotal.Amount, o.OriginalTotal.Currency, o.Refunded.Amount, o.Refunded.Currency)
	if o.CancelledAt != nil {
		n += allocSize(int(unsafe.Sizeof(*o.CancelledAt)), true)
	}
	n += sliceSize[domain.LineItem](len(o.LineItems)) + sliceSize[domain.Fulfillment](len(o.Fulfillments))
	for _, li := range o.LineItems {
		n += stringsSize(li.Title, li.VariantTitle, li.SKU, li.UnitPrice.Amount, li.UnitPrice.Currency)
	}
	for _, f := range o.Fulfillments {
		n += stringsSize(f.Status, f.DisplayStatus) + sliceSize[domain.Tracking](len(f.Tracking))
		for _, t := range f.Tracking {
			n += stringsSize(t.Company, t.Number, t.URL)
		}
		n += sliceSize[domain.FulfillmentEvent](len(f.Events)) + sliceSize[domain.ShippedItem](len(f.Items))
		for _, e := range f.Events {
			n += stringsSize(e.Status, e.Message)
		}
		for _, it := range f.Items {
			n += stringsSize(it.Title)
		}
	}
	return n
}

func orderMatchesSize(v *domain.OrderMatches) int64 {
	n := allocSize(int(unsafe.Sizeof(*v)), true) + sliceSize[domain.FoundOrder](len(v.Orders)) + sliceSize[string](len(v.Withheld))
	n += stringsSize(v.Withheld...)
	for i := range v.Orders {
		f := &v.Orders[i]
		n += orderSize(&f.Order) + stringsSize(f.Email, f.CustomerEmail)
		n += sliceSize[domain.Refund](len(f.Refunds))
		for _, r := range f.Refunds {
			n += stringsSize(r.Note, r.Amount.Amount, r.Amount.Currency)
		}
		if a := f.ShippingAddress; a != nil {
			n += allocSize(int(unsafe.Sizeof(*a)), true) + stringsSize(a.Name, a.Company, a.Address1, a.Address2, a.City,
				a.Province, a.ProvinceCode, a.Zip, a.Country, a.CountryCode, a.Phone)
		}
	}
	return n
}

func productResultsSize(v *domain.ProductResults) int64 {
	n := allocSize(int(unsafe.Sizeof(*v)), true) + sliceSize[domain.Product](len(v.Products))
	for _, p := range v.Products {
		n += stringsSize(p.ID, p.Title, p.Handle, p.Vendor, p.ProductType, p.Description, p.URL,
			p.MinPrice.Amount, p.MinPrice.Currency, p.MaxPrice.Amount, p.MaxPrice.Currency)
		n += sliceSize[domain.Variant](len(p.Variants))
		for _, vr := range p.Variants {
			n += stringsSize(vr.Title, vr.Price.Amount, vr.Price.Currency)
		}
	}
	return n
}

func shopDetailsSize(v *domain.ShopDetails) int64 {
	n := allocSize(int(unsafe.Sizeof(*v)), true) +
		stringsSize(v.Name, v.Domain, v.Description, v.URL, v.ContactEmail, v.Currency) +
		sliceSize[string](len(v.Currencies)) + stringsSize(v.Currencies...) +
		sliceSize[string](len(v.ShipsTo)) + stringsSize(v.ShipsTo...) +
		sliceSize[string](len(v.Wallets)) + stringsSize(v.Wallets...) +
		sliceSize[domain.ShopPolicy](len(v.Policies))
	for _, p := range v.Policies {
		n += stringsSize(p.Type, p.Title, p.URL)
	}
	return n
}

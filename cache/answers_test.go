package cache

import (
	"context"
	"testing"
	"time"

	"shopcard/domain"
)

// TestOtherLookupsAreCachedLikeCustomers holds the order, product and shop
// lookups to the customer lookup's rules: one call per key until evicted,
// the store's own TTL, keys apart per store, and nothing cached on error.
func TestOtherLookupsAreCachedLikeCustomers(t *testing.T) {
	ctx := context.Background()
	lookups := []struct {
		name string
		call func(l *Lookup, s domain.Store) (any, error)
	}{
		{"orders", func(l *Lookup, s domain.Store) (any, error) { return l.FindOrders(ctx, s, "1042") }},
		{"products", func(l *Lookup, s domain.Store) (any, error) { return l.SearchProducts(ctx, s, "jacket") }},
		{"shop", func(l *Lookup, s domain.Store) (any, error) { return l.ShopDetails(ctx, s) }},
	}
	for _, lk := range lookups {
		t.Run(lk.name, func(t *testing.T) {
			src := &countingSource{}
			l, rec := newTestLookup(t, src, time.Minute)
			first, err := lk.call(l, storeA)
			if err != nil {
				t.Fatal(err)
			}
			again, err := lk.call(l, storeA)
			if err != nil || again != first {
				t.Fatalf("second answer %v, %v: not the kept one", again, err)
			}
			if src.calls.Load() != 1 || rec.m["hit"] != 1 || rec.m["miss"] != 1 {
				t.Errorf("%d calls, recorded %v", src.calls.Load(), rec.m)
			}
			if _, err := lk.call(l, storeB); err != nil || src.calls.Load() != 2 {
				t.Errorf("another store shares the answer: %d calls, %v", src.calls.Load(), err)
			}
			// Disconnecting the store drops the answer.
			l.PurgeStore(storeA.ID)
			src.fail.Store(true)
			if _, err := lk.call(l, storeA); domain.KindOf(err) != domain.KindShopifyUnavailable {
				t.Errorf("after the purge: %v, want Shopify's failure (nothing kept, not even as stale)", err)
			}
			src.fail.Store(false)
			if _, err := lk.call(l, storeA); err != nil || src.calls.Load() != 4 {
				t.Errorf("errors were cached: %d calls, %v", src.calls.Load(), err)
			}
		})
	}
}

// TestOrderKeysNeverMeetCustomerKeys: whatever name is searched for, its
// answer is never mistaken for a customer's, or the other way round.
func TestOrderKeysNeverMeetCustomerKeys(t *testing.T) {
	src := &countingSource{}
	l, _ := newTestLookup(t, src, time.Minute)
	ctx := context.Background()
	email := "ada@example.com"
	if _, err := l.LookupCustomer(ctx, storeA, email); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{email, "\x00order/" + email, "/" + email} {
		got, err := l.FindOrders(ctx, storeA, name)
		if err != nil || len(got.Orders) != 1 || got.Orders[0].Order.Name != "#"+name {
			t.Fatalf("FindOrders(%q) = %+v, %v", name, got, err)
		}
	}
	if c, err := l.LookupCustomer(ctx, storeA, email); err != nil || c.Customer == nil {
		t.Fatalf("customer answer %+v, %v", c, err)
	}
	// The name's ASCII case does not make another key.
	calls := src.calls.Load()
	if _, err := l.FindOrders(ctx, storeA, "ADA@EXAMPLE.COM"); err != nil || src.calls.Load() != calls {
		t.Errorf("case made a new key: %d calls, %v", src.calls.Load()-calls, err)
	}
}

func TestWebhooksEvictOrderLookups(t *testing.T) {
	tests := []struct {
		name  string
		match Match
		evict bool
	}{
		{"the order changed", Match{OrderIDs: []uint64{5000}}, true},
		{"its customer changed", Match{CustomerIDs: []uint64{2}}, true},
		{"an order placed with its email", Match{Emails: []string{"bob@example.com"}}, true},
		{"another order", Match{OrderIDs: []uint64{5001}, CustomerIDs: []uint64{1}, Emails: []string{"ada@example.com"}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := &countingSource{}
			l, _ := newTestLookup(t, src, time.Minute)
			ctx := context.Background()
			if _, err := l.FindOrders(ctx, storeA, "1042"); err != nil {
				t.Fatal(err)
			}
			if _, err := l.SearchProducts(ctx, storeA, "jacket"); err != nil {
				t.Fatal(err)
			}
			if n := l.EvictMatching([]int64{storeA.ID}, tt.match); (n == 1) != tt.evict {
				t.Fatalf("evicted %d answers", n)
			}
			l.FindOrders(ctx, storeA, "1042")
			l.SearchProducts(ctx, storeA, "jacket")
			want := int64(2)
			if tt.evict {
				want = 3
			}
			if got := src.calls.Load(); got != want {
				t.Errorf("%d calls, want %d (products are never evicted by order webhooks)", got, want)
			}
		})
	}
}

func TestOrderLookupsServeTheLastGoodAnswer(t *testing.T) {
	src := &countingSource{}
	l, _ := newTestLookup(t, src, time.Minute)
	ctx := context.Background()
	first, err := l.FindOrders(ctx, storeA, "1042")
	if err != nil {
		t.Fatal(err)
	}
	l.EvictMatching([]int64{storeA.ID}, Match{OrderIDs: []uint64{5000}})
	src.fail.Store(true)
	got, err := l.FindOrders(ctx, storeA, "1042")
	if err != nil || !got.Stale || len(got.Orders) != 1 || first.Stale {
		t.Fatalf("got %+v, %v; want the last good answer, marked stale on a copy", got, err)
	}
	// A missing scope is not papered over.
	src.failKind.Store(int64(domain.KindShopifyForbidden))
	if _, err := l.ShopDetails(ctx, storeA); domain.KindOf(err) != domain.KindShopifyForbidden {
		t.Errorf("err = %v", err)
	}
}

func TestOtherAnswersAreCharged(t *testing.T) {
	small := &domain.ProductResults{}
	big := &domain.ProductResults{Products: make([]domain.Product, 10)}
	for i := range big.Products {
		big.Products[i].Description = string(make([]byte, 280))
	}
	_, s := keptCopy(small)
	_, b := keptCopy(big)
	if s < entryOverhead || b < s+10*280 {
		t.Errorf("charged %d for an empty answer and %d for ten descriptions of 280 bytes", s, b)
	}
}

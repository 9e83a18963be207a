package cache

import (
	"context"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"shopcard/domain"
)

// countingSource is a Source that answers from memory, counts calls, and can
// be told to fail or to block until released.
type countingSource struct {
	calls    atomic.Int64
	fail     atomic.Bool
	failKind atomic.Int64  // the kind of failure; 0 means unavailable
	release  chan struct{} // when set, calls wait for it
}

// LookupOrder answers a detail for any order, counting the call.
func (s *countingSource) LookupOrder(_ context.Context, _ domain.Store, id uint64) (*domain.OrderDetail, error) {
	s.calls.Add(1)
	if s.fail.Load() {
		return nil, domain.Errorf(domain.KindShopifyUnavailable, "failed")
	}
	return &domain.OrderDetail{Order: domain.Order{LegacyResourceID: id, Name: "#" + strconv.FormatUint(id, 10)}, CustomerID: 7}, nil
}

func (s *countingSource) LookupCustomer(ctx context.Context, store domain.Store, email string) (*domain.CustomerOrders, error) {
	s.calls.Add(1)
	if s.release != nil {
		select {
		case <-s.release:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	if s.fail.Load() {
		kind := domain.Kind(s.failKind.Load())
		if kind == 0 {
			kind = domain.KindShopifyUnavailable
		}
		return nil, domain.Errorf(kind, "failed")
	}
	if email == "nobody@example.com" {
		return &domain.CustomerOrders{GuestOrders: []domain.Order{{LegacyResourceID: 900}}, FetchedAt: time.Unix(100, 0)}, nil
	}
	id := customerIDs[email]
	return &domain.CustomerOrders{
		Customer: &domain.Customer{Email: email, LegacyResourceID: id},
		Orders:   []domain.Order{{LegacyResourceID: 1000 + id}, {}, {}},
	}, nil
}

// wait and failure are what every lookup of countingSource shares.
func (s *countingSource) wait(ctx context.Context) error {
	s.calls.Add(1)
	if s.release != nil {
		select {
		case <-s.release:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	if s.fail.Load() {
		kind := domain.Kind(s.failKind.Load())
		if kind == 0 {
			kind = domain.KindShopifyUnavailable
		}
		return domain.Errorf(kind, "failed")
	}
	return nil
}

// FindOrders finds one order named name, placed by bob@example.com, with
// legacy ID 5000.
func (s *countingSource) FindOrders(ctx context.Context, _ domain.Store, name string) (*domain.OrderMatches, error) {
	if err := s.wait(ctx); err != nil {
		return nil, err
	}
	return &domain.OrderMatches{Orders: []domain.FoundOrder{{
		Order: domain.Order{LegacyResourceID: 5000, Name: "#" + name}, Email: "bob@example.com", CustomerID: 2,
		ShippingAddress: &domain.Address{Name: "Bob"},
	}}}, nil
}

func (s *countingSource) SearchProducts(ctx context.Context, _ domain.Store, keywords string) (*domain.ProductResults, error) {
	if err := s.wait(ctx); err != nil {
		return nil, err
	}
	return &domain.ProductResults{Products: []domain.Product{{Title: keywords, Variants: []domain.Variant{{Title: "M"}}}}}, nil
}

func (s *countingSource) ShopDetails(ctx context.Context, store domain.Store) (*domain.ShopDetails, error) {
	if err := s.wait(ctx); err != nil {
		return nil, err
	}
	return &domain.ShopDetails{Name: store.Domain, ShipsTo: []string{"US"}}, nil
}

// customerIDs are the legacy IDs countingSource gives its customers.
var customerIDs = map[string]uint64{"ada@example.com": 1, "bob@example.com": 2}

type counts struct {
	mu sync.Mutex
	m  map[string]int
}

func (c *counts) CacheResult(r string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m[r]++
}

func (c *counts) StaleServed(store string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m["stale "+store]++
}

func newTestLookup(t *testing.T, src Source, ttl time.Duration) (*Lookup, *counts) {
	t.Helper()
	rec := &counts{m: map[string]int{}}
	l, err := New(src, Options{TTL: ttl, MaxBytes: 8 << 20, Timeout: 5 * time.Second, StaleTTL: time.Hour, StaleMaxBytes: 8 << 20, Recorder: rec})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(l.Close)
	return l, rec
}

var (
	storeA = domain.Store{ID: 1, WorkspaceID: 1, Domain: "a.myshopify.com"}
	storeB = domain.Store{ID: 2, WorkspaceID: 1, Domain: "b.myshopify.com"}
)

func TestHitAfterMiss(t *testing.T) {
	src := &countingSource{}
	l, rec := newTestLookup(t, src, time.Minute)
	ctx := context.Background()
	for i := 0; i < 3; i++ {
		got, err := l.LookupCustomer(ctx, storeA, "ada@example.com")
		if err != nil || got.Customer.Email != "ada@example.com" {
			t.Fatalf("lookup %d: %v %+v", i, err, got)
		}
	}
	if n := src.calls.Load(); n != 1 {
		t.Errorf("source called %d times, want 1", n)
	}
	if rec.m["miss"] != 1 || rec.m["hit"] != 2 {
		t.Errorf("recorded %v", rec.m)
	}
	// Other stores and other emails are other keys.
	l.LookupCustomer(ctx, storeB, "ada@example.com")
	l.LookupCustomer(ctx, storeA, "bob@example.com")
	if n := src.calls.Load(); n != 3 {
		t.Errorf("source called %d times, want 3", n)
	}
}

// TestCachedCustomer checks the lookup from memory alone: it answers only
// what LookupCustomer would answer from the cache, counts a hit then and
// nothing otherwise, and never asks the source.
func TestCachedCustomer(t *testing.T) {
	src := &countingSource{}
	l, rec := newTestLookup(t, src, time.Minute)
	ctx := context.Background()
	if got, ok := l.CachedCustomer(storeA, "ada@example.com"); ok || got != nil {
		t.Fatalf("an empty cache answered %+v", got)
	}
	if src.calls.Load() != 0 || len(rec.m) != 0 {
		t.Fatalf("a cache-only miss asked the source %d times and recorded %v", src.calls.Load(), rec.m)
	}
	want, err := l.LookupCustomer(ctx, storeA, "ada@example.com")
	if err != nil {
		t.Fatal(err)
	}
	got, ok := l.CachedCustomer(storeA, "ada@example.com")
	if !ok || got != want {
		t.Fatalf("after a lookup: %+v, %v; want the kept answer", got, ok)
	}
	if _, ok := l.CachedCustomer(storeB, "ada@example.com"); ok {
		t.Error("another store's cache answered")
	}
	if rec.m["miss"] != 1 || rec.m["hit"] != 1 || src.calls.Load() != 1 {
		t.Errorf("recorded %v with %d source calls, want one miss, one hit, one call", rec.m, src.calls.Load())
	}
	l.EvictMatching([]int64{storeA.ID}, Match{Emails: []string{"ada@example.com"}})
	if _, ok := l.CachedCustomer(storeA, "ada@example.com"); ok {
		t.Error("an evicted answer was still served")
	}
}

func TestNoMatchIsCachedErrorsAreNot(t *testing.T) {
	src := &countingSource{}
	l, _ := newTestLookup(t, src, time.Minute)
	ctx := context.Background()
	l.LookupCustomer(ctx, storeA, "nobody@example.com")
	l.LookupCustomer(ctx, storeA, "nobody@example.com")
	if n := src.calls.Load(); n != 1 {
		t.Errorf("no-match answer asked %d times, want 1", n)
	}
	src.fail.Store(true)
	for i := 0; i < 2; i++ {
		if _, err := l.LookupCustomer(ctx, storeA, "ada@example.com"); domain.KindOf(err) != domain.KindShopifyUnavailable {
			t.Fatalf("err = %v", err)
		}
	}
	src.fail.Store(false)
	if _, err := l.LookupCustomer(ctx, storeA, "ada@example.com"); err != nil {
		t.Fatal(err)
	}
	if n := src.calls.Load(); n != 4 {
		t.Errorf("source called %d times, want 4 (errors must not be cached)", n)
	}
}

func TestConcurrentMissesMakeOneCall(t *testing.T) {
	src := &countingSource{release: make(chan struct{})}
	l, _ := newTestLookup(t, src, time.Minute)
	const n = 20
	var wg sync.WaitGroup
	errs := make(chan error, n)
	started := make(chan struct{}, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			started <- struct{}{}
			_, err := l.LookupCustomer(context.Background(), storeA, "ada@example.com")
			errs <- err
		}()
	}
	for i := 0; i < n; i++ {
		<-started
	}
	// Let the waiting callers pile up on the one call before it returns.
	for src.calls.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(20 * time.Millisecond)
	close(src.release)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if c := src.calls.Load(); c != 1 {
		t.Errorf("%d concurrent misses made %d calls, want 1", n, c)
	}
}

// A caller can miss the cache, be descheduled while another caller's call
// runs and stores the answer, and only then reach the shared call, which
// has ended. Under load this happens (the load test's thundering herd saw
// two Shopify requests per store); it must not ask Shopify again.
func TestLateMissFindsTheStoredAnswer(t *testing.T) {
	src := &countingSource{}
	l, _ := newTestLookup(t, src, time.Minute)
	ctx := context.Background()
	if _, err := l.LookupCustomer(ctx, storeA, "ada@example.com"); err != nil {
		t.Fatal(err)
	}
	// The late caller, past its miss.
	got, err := fetch(l, ctx, Key(storeA.WorkspaceID, storeA.ID, "ada@example.com"), storeA, "ada@example.com",
		func(ctx context.Context) (*domain.CustomerOrders, error) {
			return src.LookupCustomer(ctx, storeA, "ada@example.com")
		})
	if err != nil || got.Customer.Email != "ada@example.com" {
		t.Fatalf("late caller got %+v, %v", got, err)
	}
	if c := src.calls.Load(); c != 1 {
		t.Errorf("the late caller asked the source again: %d calls", c)
	}
	// The bypass still asks, whatever is cached.
	if _, err := l.LookupFresh(ctx, storeA, "ada@example.com"); err != nil {
		t.Fatal(err)
	}
	if c := src.calls.Load(); c != 2 {
		t.Errorf("LookupFresh made %d calls in all, want 2", c)
	}
}

func TestCallerGivingUpDoesNotCancelTheSharedCall(t *testing.T) {
	src := &countingSource{release: make(chan struct{})}
	l, _ := newTestLookup(t, src, time.Minute)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() {
		_, err := l.LookupCustomer(ctx, storeA, "ada@example.com")
		done <- err
	}()
	for src.calls.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	if err := <-done; domain.KindOf(err) != domain.KindShopifyTimeout {
		t.Fatalf("cancelled caller got %v", err)
	}
	close(src.release)
	// The call finished for the next caller, who gets it from the cache.
	for i := 0; i < 100; i++ {
		if _, ok := l.cache.Get(Key(1, 1, "ada@example.com")); ok {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	if _, err := l.LookupCustomer(context.Background(), storeA, "ada@example.com"); err != nil {
		t.Fatal(err)
	}
	if c := src.calls.Load(); c != 1 {
		t.Errorf("source called %d times, want 1", c)
	}
}

func TestEvictions(t *testing.T) {
	tests := []struct {
		name  string
		evict func(l *Lookup)
		want  int64 // source calls after a second round of lookups
	}{
		{"nothing evicted", func(*Lookup) {}, 3},
		{"one contact, by email", func(l *Lookup) { l.EvictMatching([]int64{1}, Match{Emails: []string{"ada@example.com"}}) }, 4},
		{"one contact, by customer ID", func(l *Lookup) {
			l.EvictMatching([]int64{1}, Match{CustomerIDs: []uint64{customerIDs["ada@example.com"]}})
		}, 4},
		{"a contact in every store", func(l *Lookup) { l.EvictMatching([]int64{1, 2}, Match{Emails: []string{"ada@example.com"}}) }, 5},
		{"whole store", func(l *Lookup) { l.PurgeStore(1) }, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := &countingSource{}
			l, _ := newTestLookup(t, src, time.Minute)
			ctx := context.Background()
			round := func() {
				l.LookupCustomer(ctx, storeA, "ada@example.com")
				l.LookupCustomer(ctx, storeA, "bob@example.com")
				l.LookupCustomer(ctx, storeB, "ada@example.com")
			}
			round()
			tt.evict(l)
			round()
			if c := src.calls.Load(); c != tt.want {
				t.Errorf("source called %d times, want %d", c, tt.want)
			}
		})
	}
}

func TestTTLExpires(t *testing.T) {
	src := &countingSource{}
	l, _ := newTestLookup(t, src, 50*time.Millisecond)
	ctx := context.Background()
	l.LookupCustomer(ctx, storeA, "ada@example.com")
	time.Sleep(120 * time.Millisecond)
	l.LookupCustomer(ctx, storeA, "ada@example.com")
	if c := src.calls.Load(); c != 2 {
		t.Errorf("source called %d times after the TTL, want 2", c)
	}
}

func TestNewRejectsBadOptions(t *testing.T) {
	for _, o := range []Options{{TTL: 0, MaxBytes: 1 << 20}, {TTL: time.Second, MaxBytes: 10}} {
		if _, err := New(&countingSource{}, o); err == nil {
			t.Errorf("options %+v accepted", o)
		}
	}
	l, err := New(&countingSource{}, Options{TTL: time.Second, MaxBytes: 1 << 20})
	if err != nil {
		t.Fatalf("valid options refused: %v", err)
	}
	l.Close()
}

func TestStoreTTLOverridesDefault(t *testing.T) {
	src := &countingSource{}
	l, _ := newTestLookup(t, src, time.Hour)
	short := storeA
	short.CacheTTL = 50 * time.Millisecond
	ctx := context.Background()
	l.LookupCustomer(ctx, short, "ada@example.com")
	l.LookupCustomer(ctx, storeB, "ada@example.com")
	time.Sleep(120 * time.Millisecond)
	l.LookupCustomer(ctx, short, "ada@example.com")
	l.LookupCustomer(ctx, storeB, "ada@example.com")
	if c := src.calls.Load(); c != 3 {
		t.Errorf("source called %d times, want 3 (only the short-TTL store expires)", c)
	}
}

// TestCloseWaitsForSharedCalls: a call that outlived the caller who gave up
// on it must not find the caches closed under it when it returns.
func TestCloseWaitsForSharedCalls(t *testing.T) {
	src := &countingSource{release: make(chan struct{})}
	l, err := New(src, Options{TTL: time.Minute, MaxBytes: 8 << 20, StaleTTL: time.Hour, StaleMaxBytes: 8 << 20, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go l.LookupCustomer(ctx, storeA, "ada@example.com")
	for src.calls.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	closed := make(chan struct{})
	go func() { l.Close(); close(closed) }()
	select {
	case <-closed:
		t.Fatal("Close returned while a shared call was still running")
	case <-time.After(50 * time.Millisecond):
	}
	close(src.release)
	<-closed
	if _, err := l.LookupCustomer(context.Background(), storeA, "bob@example.com"); err == nil {
		t.Error("a lookup after Close succeeded")
	}
}

// An order's detail is cached like an answer, shared by concurrent
// callers, and evicted by a webhook about the order or its customer.
func TestLookupOrder(t *testing.T) {
	src := &countingSource{}
	l, rec := newTestLookup(t, src, time.Minute)
	ctx := context.Background()
	for range 3 {
		d, err := l.LookupOrder(ctx, storeA, 42)
		if err != nil || d.LegacyResourceID != 42 {
			t.Fatalf("detail %+v, %v", d, err)
		}
	}
	if n := src.calls.Load(); n != 1 {
		t.Errorf("%d calls for three lookups of one order, want 1", n)
	}
	if rec.m["hit"] != 2 || rec.m["miss"] != 1 {
		t.Errorf("recorded %v", rec.m)
	}
	// An answer for an email is not a detail, and the other way round.
	if _, err := l.LookupCustomer(ctx, storeA, "ada@example.com"); err != nil {
		t.Fatal(err)
	}
	if n := src.calls.Load(); n != 2 {
		t.Errorf("%d calls, want 2", n)
	}
	tests := []struct {
		name  string
		match Match
	}{
		{"by order", Match{OrderIDs: []uint64{42}}},
		{"by customer", Match{CustomerIDs: []uint64{7}}},
	}
	for _, tt := range tests {
		before := src.calls.Load()
		if n := l.EvictMatching([]int64{storeA.ID}, tt.match); n < 1 {
			t.Errorf("%s: evicted %d", tt.name, n)
		}
		if _, err := l.LookupOrder(ctx, storeA, 42); err != nil {
			t.Fatal(err)
		}
		if src.calls.Load() != before+1 {
			t.Errorf("%s: the detail was still cached after the eviction", tt.name)
		}
	}
	src.fail.Store(true)
	// No last good detail is kept: after an eviction, a failure is a
	// failure (answers, by contrast, come back stale).
	l.EvictMatching([]int64{storeA.ID}, Match{OrderIDs: []uint64{42}})
	if d, err := l.LookupOrder(ctx, storeA, 42); domain.KindOf(err) != domain.KindShopifyUnavailable {
		t.Errorf("a failed detail after an eviction: %+v, %v", d, err)
	}
	l.PurgeStore(storeA.ID)
	if _, err := l.LookupOrder(ctx, storeA, 42); domain.KindOf(err) != domain.KindShopifyUnavailable {
		t.Errorf("a failed detail: %v", err)
	}
}

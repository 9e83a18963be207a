package shopify_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"shopcard/domain"
	"shopcard/fakeshopify"
	"shopcard/shopify"
)

// observed records what the client reports to its Observer.
type observed struct {
	mu       sync.Mutex
	requests map[string]int // by outcome
	retries  map[string]int // by reason
	waits    []time.Duration
	// waitReasons counts waits by reason; throttled, THROTTLED answers.
	waitReasons map[string]int
	throttled   int
}

func newObserved() *observed {
	return &observed{requests: map[string]int{}, retries: map[string]int{}, waitReasons: map[string]int{}}
}

func (o *observed) ObserveShopifyRequest(_, outcome string, _ time.Duration, _ int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.requests[outcome]++
}

func (o *observed) ObserveShopifyThrottleWait(_, reason string, d time.Duration) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.waits = append(o.waits, d)
	o.waitReasons[reason]++
}

func (o *observed) ObserveShopifyThrottled(string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.throttled++
}

func (o *observed) ObserveShopifyThrottleRefusal(string) {}

func (o *observed) ObserveShopifyRetry(_, reason string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.retries[reason]++
}

// sleeps records the client's backoff sleeps instead of sleeping, so tests
// see exactly how long the client chose to wait without waiting.
type sleeps struct {
	mu sync.Mutex
	ds []time.Duration
}

func (s *sleeps) Sleep(_ context.Context, d time.Duration, _ <-chan struct{}) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ds = append(s.ds, d)
	return nil
}

func (s *sleeps) all() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.ds...)
}

// newRecordingFake is a seeded fake and a client whose sleeps are recorded
// and whose jitter is fixed at rnd.
func newRecordingFake(t *testing.T, rnd float64) (*fakeshopify.Server, *shopify.Client, *observed, *sleeps) {
	t.Helper()
	fake := fakeshopify.NewSeeded(nil)
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	obs, sl := newObserved(), &sleeps{}
	c, err := shopify.NewClient(shopify.Options{
		URLTemplate: srv.URL + fakeshopify.ShopURLTemplate, Observer: obs,
		Sleep: sl.Sleep, Rand: func() float64 { return rnd },
	})
	if err != nil {
		t.Fatal(err)
	}
	return fake, c, obs, sl
}

func TestRetries(t *testing.T) {
	base := shopify.DefaultRetryPolicy.BaseDelay
	tests := []struct {
		name     string
		faults   fakeshopify.Faults
		kind     domain.Kind // of the final error; KindInternal means success
		requests int         // HTTP requests the fake saw: no more, no fewer
		retries  map[string]int
		sleeps   []time.Duration // with jitter fixed at 0.5
	}{
		{"a burst of 5xx that then recovers", fakeshopify.Faults{FailNext: 2, FailNextStatus: 503}, domain.KindInternal, 3,
			map[string]int{"5xx": 2}, []time.Duration{base * 3 / 4, base * 2 * 3 / 4}},
		{"a 502 once", fakeshopify.Faults{FailNext: 1, FailNextStatus: 502}, domain.KindInternal, 2,
			map[string]int{"5xx": 1}, []time.Duration{base * 3 / 4}},
		{"5xx that never ends stops after four attempts", fakeshopify.Faults{Status: 500}, domain.KindShopifyUnavailable, 4,
			map[string]int{"5xx": 3}, []time.Duration{base * 3 / 4, base * 2 * 3 / 4, base * 4 * 3 / 4}},
		{"429 honours Retry-After", fakeshopify.Faults{FailNext: 1, FailNextStatus: 429}, domain.KindInternal, 2,
			map[string]int{"429": 1}, []time.Duration{2 * time.Second}},
		{"THROTTLED twice, then served", fakeshopify.Faults{ThrottleNext: 2}, domain.KindInternal, 3,
			map[string]int{"throttled": 2}, []time.Duration{200 * time.Millisecond, 200 * time.Millisecond}},
		{"400 is never retried", fakeshopify.Faults{Status: 400}, domain.KindShopifyQueryInvalid, 1, nil, nil},
		{"401 is never retried", fakeshopify.Faults{Status: 401}, domain.KindShopifyAuth, 1, nil, nil},
		{"402 is never retried", fakeshopify.Faults{Status: 402}, domain.KindShopifyFrozen, 1, nil, nil},
		{"403 is never retried", fakeshopify.Faults{Status: 403}, domain.KindShopifyForbidden, 1, nil, nil},
		{"404 is never retried", fakeshopify.Faults{Status: 404}, domain.KindShopifyGone, 1, nil, nil},
		{"423 is never retried", fakeshopify.Faults{Status: 423}, domain.KindShopifyLocked, 1, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake, c, obs, sl := newRecordingFake(t, 0.5)
			if err := fake.SetFaults(fakeshopify.AcmeDomain, tt.faults); err != nil {
				t.Fatal(err)
			}
			r, err := c.LookupCustomer(context.Background(), acme(), fakeshopify.EmailShowcase)
			if tt.kind == domain.KindInternal {
				if err != nil || r.Customer == nil {
					t.Fatalf("err %v, result %+v", err, r)
				}
			} else if domain.KindOf(err) != tt.kind {
				t.Fatalf("kind %v (%v), want %v", domain.KindOf(err), err, tt.kind)
			}
			if n := fake.Requests(fakeshopify.AcmeDomain); n != tt.requests {
				t.Errorf("the fake saw %d requests, want exactly %d", n, tt.requests)
			}
			if fmt.Sprint(obs.retries) != fmt.Sprint(orEmpty(tt.retries)) {
				t.Errorf("retries %v, want %v", obs.retries, tt.retries)
			}
			if got := sl.all(); fmt.Sprint(got) != fmt.Sprint(tt.sleeps) {
				t.Errorf("slept %v, want %v", got, tt.sleeps)
			}
		})
	}
}

func orEmpty(m map[string]int) map[string]int {
	if m == nil {
		return map[string]int{}
	}
	return m
}

// TestRetriesStayInsideTheDeadline: a wait that would outlast the request's
// deadline is not started; the request gives up at once with what it has.
func TestRetriesStayInsideTheDeadline(t *testing.T) {
	fake, c, obs, sl := newRecordingFake(t, 0.5)
	fake.SetFaults(fakeshopify.AcmeDomain, fakeshopify.Faults{FailNext: 1, FailNextStatus: 429})
	ctx, cancel := context.WithTimeout(context.Background(), time.Second) // Retry-After says 2 s
	defer cancel()
	_, err := c.LookupCustomer(ctx, acme(), fakeshopify.EmailShowcase)
	if domain.KindOf(err) != domain.KindShopifyThrottled {
		t.Fatalf("kind %v (%v), want throttled", domain.KindOf(err), err)
	}
	if n := fake.Requests(fakeshopify.AcmeDomain); n != 1 || len(sl.all()) != 0 || len(obs.retries) != 0 {
		t.Errorf("%d requests, sleeps %v, retries %v; want 1 request and no waiting", n, sl.all(), obs.retries)
	}
}

// fakeClock is one clock for the fake Shopify's bucket and the client, so
// that a client's sleep is time passing for Shopify too.
type fakeClock struct {
	mu    sync.Mutex
	now   time.Time
	slept []time.Duration
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Sleep(_ context.Context, d time.Duration, _ <-chan struct{}) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.slept = append(c.slept, d)
	c.now = c.now.Add(d)
	return nil
}

// bigSpenderCost is what the sidebar's lookup of one email requests
// (cost_test.go pins it: CustomerWithOrders' 68 and GuestOrders' 56).
const bigSpenderCost = 124

// smallBucketRate restores a small bucket slowly enough to need waits, but
// fast enough that each wait for a big spender's lookup (at most
// 138 / 20 = 6.9 s) stays under the longest wait the client believes
// (maxEstimateWait, 10 s): beyond it the client probes Shopify instead.
const smallBucketRate = 20

// addBigSpender adds a customer whose lookup really costs as much as it
// requests: 50 orders with 10 items and 2 shipments of 3 parcels each.
func addBigSpender(t *testing.T, fake *fakeshopify.Server, shop, email string) {
	t.Helper()
	c, err := fake.AddCustomer(shop, fakeshopify.Customer{FirstName: "Big", LastName: "Spender", Email: email, Phone: "+15555550100"})
	if err != nil {
		t.Fatal(err)
	}
	parcel := fakeshopify.Tracking{Company: "UPS", Number: "1Z", URL: "https://example.test/t"}
	ship := fakeshopify.Fulfillment{Status: "SUCCESS", Tracking: []fakeshopify.Tracking{parcel, parcel, parcel}}
	for range 50 {
		var items []fakeshopify.LineItem
		for range 10 {
			items = append(items, fakeshopify.LineItem{Title: "Tent", Quantity: 1})
		}
		if _, err := fake.AddOrder(shop, fakeshopify.Order{CustomerID: c.ID, Total: "5.00", LineItems: items, Fulfillments: []fakeshopify.Fulfillment{ship, ship}}); err != nil {
			t.Fatal(err)
		}
	}
}

// TestThrottledWaitFollowsThrottleStatus: another client (a second shopcard
// process, say) drains the bucket, so this one is THROTTLED. It must wait
// (requested - available) / restoreRate plus jitter, by Shopify's numbers,
// then succeed, with exactly one retry.
func TestThrottledWaitFollowsThrottleStatus(t *testing.T) {
	clock := &fakeClock{now: time.Date(2026, 7, 15, 12, 0, 0, 0, time.UTC)}
	fake := fakeshopify.New(clock.Now)
	// A bucket that holds one lookup but not two.
	const shop = "small-bucket.myshopify.com"
	if err := fake.AddStore(fakeshopify.Store{Domain: shop, BucketSize: 200, RestoreRate: smallBucketRate, Tokens: []fakeshopify.Token{{Value: "tok", Scopes: []string{"read_customers", "read_orders", "read_all_orders"}}}}); err != nil {
		t.Fatal(err)
	}
	addBigSpender(t, fake, shop, "big@example.com")
	srv := httptest.NewServer(fake)
	defer srv.Close()
	newClient := func(obs shopify.Observer) *shopify.Client {
		c, err := shopify.NewClient(shopify.Options{URLTemplate: srv.URL + fakeshopify.ShopURLTemplate, Observer: obs,
			Now: clock.Now, Sleep: clock.Sleep, Rand: func() float64 { return 0 }})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	store := domain.Store{ID: 9, WorkspaceID: 1, Domain: shop, AccessToken: domain.NewSecret("tok")}
	if _, err := newClient(nil).LookupCustomer(context.Background(), store, "big@example.com"); err != nil {
		t.Fatal(err)
	}
	drained, _ := fake.ThrottleStatus(shop)
	if drained.CurrentlyAvailable >= bigSpenderCost {
		t.Fatalf("the first lookup left %d points; the test needs a bucket too low for another", drained.CurrentlyAvailable)
	}
	fake.ResetRequests(shop)

	obs := newObserved()
	r, err := newClient(obs).LookupCustomer(context.Background(), store, "big@example.com")
	if err != nil || r.Customer == nil {
		t.Fatalf("err %v, result %+v", err, r)
	}
	want := time.Duration(float64(bigSpenderCost-drained.CurrentlyAvailable)/smallBucketRate*float64(time.Second)) + 100*time.Millisecond
	if len(clock.slept) != 1 || clock.slept[0] != want {
		t.Errorf("slept %v, want one wait of %v", clock.slept, want)
	}
	if n := fake.Requests(shop); n != 2 || obs.retries["throttled"] != 1 {
		t.Errorf("%d requests and retries %v; want 2 requests, 1 throttled retry", n, obs.retries)
	}
}

// TestWaitsForPointsBeforeSending: a client that knows the bucket is low
// waits for it to refill before it sends, so Shopify never throttles it.
func TestWaitsForPointsBeforeSending(t *testing.T) {
	clock := &fakeClock{now: time.Date(2026, 7, 15, 12, 0, 0, 0, time.UTC)}
	fake := fakeshopify.New(clock.Now)
	// A bucket that holds one lookup but not two.
	const shop = "small-bucket.myshopify.com"
	if err := fake.AddStore(fakeshopify.Store{Domain: shop, BucketSize: 200, RestoreRate: smallBucketRate, Tokens: []fakeshopify.Token{{Value: "tok", Scopes: []string{"read_customers", "read_orders", "read_all_orders"}}}}); err != nil {
		t.Fatal(err)
	}
	addBigSpender(t, fake, shop, "big@example.com")
	srv := httptest.NewServer(fake)
	defer srv.Close()
	obs := newObserved()
	c, err := shopify.NewClient(shopify.Options{URLTemplate: srv.URL + fakeshopify.ShopURLTemplate, Observer: obs,
		Now: clock.Now, Sleep: clock.Sleep, Rand: func() float64 { return 0 }})
	if err != nil {
		t.Fatal(err)
	}
	store := domain.Store{ID: 9, WorkspaceID: 1, Domain: shop, AccessToken: domain.NewSecret("tok")}
	for range 3 {
		if _, err := c.LookupCustomer(context.Background(), store, "big@example.com"); err != nil {
			t.Fatal(err)
		}
	}
	if n := fake.Requests(shop); n != 3 || len(obs.retries) != 0 {
		t.Errorf("%d requests, retries %v: want 3 requests and none throttled", n, obs.retries)
	}
	if len(obs.waits) != 2 {
		t.Errorf("waited for points %v, want 2 waits (before the second and third lookups)", obs.waits)
	}
}

// TestConcurrentRequestsQueueForPoints: a 200-point bucket fits one
// 138-point query at a time. Requests fired together must take turns on
// the client's estimate rather than stampede Shopify and be THROTTLED:
// the fake sees exactly one request per lookup.
func TestConcurrentRequestsQueueForPoints(t *testing.T) {
	fake := fakeshopify.New(nil)
	const shop = "small-bucket.myshopify.com"
	if err := fake.AddStore(fakeshopify.Store{Domain: shop, BucketSize: 200, RestoreRate: 5000, Tokens: []fakeshopify.Token{{Value: "tok", Scopes: []string{"read_customers", "read_orders", "read_all_orders"}}}}); err != nil {
		t.Fatal(err)
	}
	const n = 6
	for i := range n {
		c, err := fake.AddCustomer(shop, fakeshopify.Customer{FirstName: "Buyer", LastName: fmt.Sprint(i), Email: fmt.Sprintf("buyer%d@example.com", i)})
		if err != nil {
			t.Fatal(err)
		}
		for range 3 {
			if _, err := fake.AddOrder(shop, fakeshopify.Order{CustomerID: c.ID, Total: "10.00", LineItems: []fakeshopify.LineItem{{Title: "Tea", Quantity: 1}}}); err != nil {
				t.Fatal(err)
			}
		}
	}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	obs := newObserved()
	c, err := shopify.NewClient(shopify.Options{URLTemplate: srv.URL + fakeshopify.ShopURLTemplate, Observer: obs})
	if err != nil {
		t.Fatal(err)
	}
	store := domain.Store{ID: 7, WorkspaceID: 1, Domain: shop, AccessToken: domain.NewSecret("tok")}
	// One lookup teaches the client this store's bucket.
	if _, err := c.LookupCustomer(context.Background(), store, "buyer0@example.com"); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			r, err := c.LookupCustomer(ctx, store, fmt.Sprintf("buyer%d@example.com", i))
			if err == nil && (r.Customer == nil || len(r.Orders) != 3) {
				err = fmt.Errorf("buyer%d: %+v", i, r)
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if got := fake.Requests(shop); got != n+1 {
		t.Errorf("%d lookups made %d requests, want %d: some were THROTTLED and retried", n+1, got, n+1)
	}
	if len(obs.retries) != 0 || obs.requests["shopify_throttled"] != 0 {
		t.Errorf("retries %v, outcomes %v", obs.retries, obs.requests)
	}
	if len(obs.waits) == 0 {
		t.Error("no request waited for points, yet six 138-point queries cannot share a 200-point bucket")
	}
}

package fakeshopify

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// bucketFixture is a store with a 20-point bucket restoring 3 points a
// second, and a query that costs exactly 8 points requested and actual.
func bucketFixture(t *testing.T) (*Server, *testClock, func() rawResponse) {
	t.Helper()
	clock := newTestClock()
	s := New(clock.Now)
	const shop = "bucket.myshopify.com"
	if err := s.AddStore(Store{Domain: shop, BucketSize: 20, RestoreRate: 3, Tokens: []Token{{Value: "tok", Scopes: readAll}}}); err != nil {
		t.Fatal(err)
	}
	c, _ := s.AddCustomer(shop, Customer{Email: "b@example.com"})
	for range 20 {
		if _, err := s.AddOrder(shop, Order{CustomerID: c.ID, Total: "1.00"}); err != nil {
			t.Fatal(err)
		}
	}
	ts := serve(t, s)
	// 1 (customer) + 2 + 5 × 1: a page of 20 orders is charged as 5, and
	// all 20 come back.
	const q = `{ customerByIdentifier(identifier: {emailAddress: "b@example.com"}) { orders(first: 20) { nodes { name } } } }`
	return s, clock, func() rawResponse { return post(t, GraphQLURL(ts.URL, shop), "tok", q, nil) }
}

func TestLeakyBucket(t *testing.T) {
	_, clock, query := bucketFixture(t)

	steps := []struct {
		advance       time.Duration
		wantThrottled bool
		wantAvailable float64 // throttleStatus.currentlyAvailable after the request
	}{
		{0, false, 12},                // 20 - 8
		{0, false, 4},                 // 12 - 8
		{0, true, 4},                  // 8 > 4: throttled, nothing spent
		{time.Second, true, 7},        // 4 + 3 restored, still short
		{time.Second, false, 2},       // 10 - 8
		{10 * time.Second, false, 12}, // refilled to the 20-point cap, not beyond
	}
	for i, st := range steps {
		t.Run(fmt.Sprintf("step %d", i), func(t *testing.T) {
			clock.Advance(st.advance)
			r := query()
			if r.status != 200 {
				t.Fatalf("status %d, want 200 (Shopify throttles with 200)", r.status)
			}
			throttled := dig(r.json, "errors", 0, "extensions", "code") == "THROTTLED"
			if throttled != st.wantThrottled {
				t.Fatalf("throttled = %v, want %v; body %s", throttled, st.wantThrottled, r.body)
			}
			cost := dig(r.json, "extensions", "cost")
			if got := dig(cost, "throttleStatus", "currentlyAvailable"); got != st.wantAvailable {
				t.Errorf("currentlyAvailable %v, want %v", got, st.wantAvailable)
			}
			if dig(cost, "requestedQueryCost") != float64(8) {
				t.Errorf("requestedQueryCost %v, want 8", dig(cost, "requestedQueryCost"))
			}
			if throttled {
				checkThrottledShape(t, r)
			} else if dig(cost, "actualQueryCost") != float64(8) {
				t.Errorf("actualQueryCost %v, want 8", dig(cost, "actualQueryCost"))
			}
		})
	}
}

// checkThrottledShape checks the documented THROTTLED response: one error
// "Throttled" with code THROTTLED, no data, and extensions.cost with a null
// actualQueryCost and the bucket's state.
func checkThrottledShape(t *testing.T, r rawResponse) {
	t.Helper()
	if dig(r.json, "errors", 0, "message") != "Throttled" {
		t.Errorf("message %v", dig(r.json, "errors", 0, "message"))
	}
	if _, ok := r.json["data"]; ok {
		t.Error("a throttled response has data")
	}
	cost, _ := dig(r.json, "extensions", "cost").(map[string]any)
	if v, ok := cost["actualQueryCost"]; !ok || v != nil {
		t.Errorf("actualQueryCost %v, want null", v)
	}
	if dig(cost, "throttleStatus", "maximumAvailable") == nil || dig(cost, "throttleStatus", "restoreRate") == nil {
		t.Errorf("throttleStatus incomplete: %v", cost)
	}
}

func TestThrottleNextFault(t *testing.T) {
	s, _, query := bucketFixture(t)
	if err := s.SetFaults("bucket.myshopify.com", Faults{ThrottleNext: 2}); err != nil {
		t.Fatal(err)
	}
	want := []bool{true, true, false}
	for i, w := range want {
		r := query()
		got := dig(r.json, "errors", 0, "extensions", "code") == "THROTTLED"
		if got != w {
			t.Errorf("request %d: throttled = %v, want %v", i, got, w)
		}
		if got {
			checkThrottledShape(t, r)
			// A forced throttle spends nothing.
			if dig(r.json, "extensions", "cost", "throttleStatus", "currentlyAvailable") != float64(20) {
				t.Errorf("request %d spent points: %s", i, r.body)
			}
		}
	}
	if f, _ := s.Faults("bucket.myshopify.com"); f.ThrottleNext != 0 {
		t.Errorf("ThrottleNext left at %d", f.ThrottleNext)
	}
}

func TestMaxCostExceeded(t *testing.T) {
	s, _, _ := bucketFixture(t)
	ts := serve(t, s)
	// Each alias costs 1 + 2 + 11 × (1 + 2 + 11 × 1) = 157 points, as a
	// page of 250 is charged as 11 entries: 7 of them request 1099.
	var q strings.Builder
	q.WriteString("{")
	for i := range 7 {
		fmt.Fprintf(&q, ` c%d: customerByIdentifier(identifier: {emailAddress: "b@example.com"}) { orders(first: 250) { nodes { lineItems(first: 250) { nodes { title } } } } }`, i)
	}
	q.WriteString(" }")
	r := post(t, GraphQLURL(ts.URL, "bucket.myshopify.com"), "tok", q.String(), nil)
	e := dig(r.json, "errors", 0)
	if r.status != 200 || dig(e, "extensions", "code") != "MAX_COST_EXCEEDED" {
		t.Fatalf("status %d body %s", r.status, r.body)
	}
	if dig(e, "extensions", "cost") != float64(1099) || dig(e, "extensions", "maxCost") != float64(1000) {
		t.Errorf("extensions %v", dig(e, "extensions"))
	}
	if _, ok := r.json["data"]; ok {
		t.Error("the query ran")
	}
	if dig(r.json, "extensions", "cost", "throttleStatus", "currentlyAvailable") != float64(20) {
		t.Errorf("a refused query was charged: %s", r.body)
	}
}

func TestSetBucket(t *testing.T) {
	s, clock, query := bucketFixture(t)
	query()
	query() // 4 points left of 20: the next would be throttled
	if err := s.SetBucket("bucket.myshopify.com", 1000, 50); err != nil {
		t.Fatal(err)
	}
	clock.Advance(0)
	r := query()
	if dig(r.json, "errors", 0, "extensions", "code") == "THROTTLED" {
		t.Fatal("still throttled on the bigger bucket")
	}
	status := dig(r.json, "extensions", "cost", "throttleStatus")
	if dig(status, "maximumAvailable") != float64(1000) || dig(status, "restoreRate") != float64(50) || dig(status, "currentlyAvailable") != float64(992) {
		t.Errorf("throttleStatus %v", status)
	}
	for _, bad := range [][2]int{{0, 10}, {10, 0}, {-1, -1}} {
		if err := s.SetBucket("bucket.myshopify.com", bad[0], bad[1]); err == nil {
			t.Errorf("bucket %v accepted", bad)
		}
	}
	if err := s.SetBucket("nope.myshopify.com", 10, 10); err == nil {
		t.Error("an unknown store was accepted")
	}
}

// TestSlowQueryHoldsItsRequestedCost: as on Shopify, a query is charged
// its requested cost when it is admitted and refunded what it did not
// spend only once it has run, so while it runs (here, for the injected
// latency) the bucket lacks the whole requested cost.
func TestSlowQueryHoldsItsRequestedCost(t *testing.T) {
	s, _, _ := bucketFixture(t)
	const shop = "bucket.myshopify.com"
	if err := s.SetFaults(shop, Faults{Latency: time.Minute}); err != nil {
		t.Fatal(err)
	}
	ts := serve(t, s)
	// Requested 1 + 2 + 5 × 1 = 8; nobody matches, so it actually costs
	// the customer's own point.
	const q = `{"query":"{ customerByIdentifier(identifier: {emailAddress: \"nobody@example.com\"}) { orders(first: 20) { nodes { name } } } }"}`
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, GraphQLURL(ts.URL, shop), strings.NewReader(q))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Shopify-Access-Token", "tok")
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
		}
	}()
	available := func() int {
		st, err := s.ThrottleStatus(shop)
		if err != nil {
			t.Fatal(err)
		}
		return st.CurrentlyAvailable
	}
	deadline := time.Now().Add(30 * time.Second)
	for available() == 20 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if got := available(); got != 12 {
		t.Fatalf("while the query runs: %d points available, want 12 (20 less the 8 requested)", got)
	}
	cancel() // the client gives up; the query still runs to its end
	<-done
	deadline = time.Now().Add(30 * time.Second)
	for available() == 12 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if got := available(); got != 19 {
		t.Errorf("after the query ran: %d points available, want 19 (the 7 not spent refunded)", got)
	}
}

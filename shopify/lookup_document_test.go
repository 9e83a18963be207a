package shopify_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/Khan/genqlient/graphql"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/validator"

	"shopcard/domain"
	"shopcard/fakeshopify"
	"shopcard/shopify"
)

// TestLookupDocumentsAgainstTheRealSchema: every lookup document the
// client composes validates against Shopify's real 2026-07 schema, stays
// under the single-query limit, and requests at most 250 points per email
// by our cost rule, so eight cold sections of one email fit a Standard
// bucket of 2000 at once.
func TestLookupDocumentsAgainstTheRealSchema(t *testing.T) {
	real := shopify.RealSchema(t)
	for n := 1; n <= shopify.MaxEmailsPerDocument; n++ {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			name, query := shopify.LookupDocument(n)
			doc, errs := gqlparser.LoadQuery(real, query)
			if len(errs) > 0 {
				t.Fatalf("%s does not validate against the real schema: %v", name, errs)
			}
			if errs := validator.Validate(real, doc); len(errs) > 0 {
				t.Fatal(errs)
			}
			op := doc.Operations.ForName(name)
			if op == nil {
				t.Fatalf("no operation %s in\n%s", name, query)
			}
			emails := make([]string, n)
			for i := range emails {
				emails[i] = fmt.Sprintf("c%d@example.com", i)
			}
			cost := shopify.RequestedCost(real, op, shopify.LookupVariables(emails))
			t.Logf("%s requests %d points", name, cost)
			if cost > shopify.MaxQueryCost {
				t.Errorf("%s requests %d, over Shopify's %d", name, cost, shopify.MaxQueryCost)
			}
			if cost > 250*n {
				t.Errorf("%s requests %d, over 250 per email", name, cost)
			}
			if want := 124 * n; cost != want {
				t.Errorf("%s requests %d, want %d (68 for the customer and 56 for the guest search, per email)", name, cost, want)
			}
		})
	}
}

// countingShopify serves the fake and counts the GraphQL requests in flight
// at once, so tests see whether two were sent in sequence or together.
type countingShopify struct {
	fake                     *fakeshopify.Server
	requests, inFlight, most atomic.Int32
}

func (c *countingShopify) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c.requests.Add(1)
	n := c.inFlight.Add(1)
	defer c.inFlight.Add(-1)
	for {
		m := c.most.Load()
		if n <= m || c.most.CompareAndSwap(m, n) {
			break
		}
	}
	c.fake.ServeHTTP(w, r)
}

// TestOneRequestPerStorePerSection: a lookup sends one request to the
// store whatever the contact: one email with a customer, one with only
// guest orders (the guest search travels with the customer query rather
// than after it), and a contact with five emails, whose lookups, made at
// once under WithContactEmails, share one request. A contact with more
// emails than one document carries sends the rest in a second request, at
// the same time.
func TestOneRequestPerStorePerSection(t *testing.T) {
	tests := []struct {
		name         string
		emails       []string
		wantRequests int32
		wantCustomer []bool
	}{
		{"a customer", []string{fakeshopify.EmailShowcase}, 1, []bool{true}},
		{"a guest", []string{"guest.only@example.com"}, 1, []bool{false}},
		{"five emails", []string{fakeshopify.EmailShowcase, "guest.only@example.com", "nobody1@example.com", fakeshopify.EmailOneOrder, "nobody2@example.com"}, 1, []bool{true, false, false, true, false}},
		{"more than one document carries", []string{"a1@example.com", "a2@example.com", "a3@example.com", "a4@example.com", "a5@example.com", "a6@example.com", "a7@example.com"}, 2, []bool{false, false, false, false, false, false, false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := fakeshopify.NewSeeded(nil)
			if _, err := fake.AddOrder(fakeshopify.AcmeDomain, fakeshopify.Order{Email: "guest.only@example.com", Total: "3.00"}); err != nil {
				t.Fatal(err)
			}
			if err := fake.SetFaults(fakeshopify.AcmeDomain, fakeshopify.Faults{Latency: 50 * time.Millisecond}); err != nil {
				t.Fatal(err)
			}
			counting := &countingShopify{fake: fake}
			srv := httptest.NewServer(counting)
			defer srv.Close()
			c, err := shopify.NewClient(shopify.Options{URLTemplate: srv.URL + fakeshopify.ShopURLTemplate})
			if err != nil {
				t.Fatal(err)
			}
			store := domain.Store{ID: 1, WorkspaceID: 1, Domain: fakeshopify.AcmeDomain, AccessToken: domain.NewSecret(fakeshopify.AcmeToken)}
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			ctx, done := shopify.WithContactEmails(ctx, tt.emails)
			answers := make([]*domain.CustomerOrders, len(tt.emails))
			errs := make([]error, len(tt.emails))
			var wg sync.WaitGroup
			for i, e := range tt.emails {
				wg.Add(1)
				go func() {
					defer wg.Done()
					answers[i], errs[i] = c.LookupCustomer(ctx, store, e)
					done(e)
				}()
			}
			wg.Wait()
			for i, e := range tt.emails {
				if errs[i] != nil {
					t.Fatalf("%s: %v", e, errs[i])
				}
				if got := answers[i].Customer != nil; got != tt.wantCustomer[i] {
					t.Errorf("%s: customer matched %v, want %v", e, got, tt.wantCustomer[i])
				}
			}
			if e := "guest.only@example.com"; len(answers) > 1 || tt.emails[0] == e {
				for i := range tt.emails {
					if tt.emails[i] == e && len(answers[i].GuestOrders) != 1 {
						t.Errorf("%s: %d guest orders, want 1", e, len(answers[i].GuestOrders))
					}
				}
			}
			if n := counting.requests.Load(); n != tt.wantRequests {
				t.Errorf("%d requests to the store, want %d", n, tt.wantRequests)
			}
			if tt.wantRequests > 1 && counting.most.Load() != tt.wantRequests {
				t.Errorf("at most %d requests in flight at once, want all %d together", counting.most.Load(), tt.wantRequests)
			}
		})
	}
}

// TestBatchWaitsForTheSectionNotTheClock: a section's lookups share one
// request however late the last of them reaches the client, as long as
// every email either joins or is reported done (answered from the cache,
// say): the batch goes when they all have, not when a timer says so. The
// wait's bound is an hour here, and the last email's lookup starts well
// after the first's is waiting, so a batch sent on a timer would make two
// requests, and one that waited for nothing but the timer would hang until
// the test's deadline.
func TestBatchWaitsForTheSectionNotTheClock(t *testing.T) {
	fake := fakeshopify.NewSeeded(nil)
	counting := &countingShopify{fake: fake}
	srv := httptest.NewServer(counting)
	defer srv.Close()
	c, err := shopify.NewClient(shopify.Options{URLTemplate: srv.URL + fakeshopify.ShopURLTemplate, BatchWait: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	store := domain.Store{ID: 1, WorkspaceID: 1, Domain: fakeshopify.AcmeDomain, AccessToken: domain.NewSecret(fakeshopify.AcmeToken)}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cached := "answered.from.cache@example.com"
	ctx, done := shopify.WithContactEmails(ctx, []string{fakeshopify.EmailShowcase, cached, fakeshopify.EmailOneOrder})
	errs := make(chan error, 2)
	lookup := func(email string) {
		a, err := c.LookupCustomer(ctx, store, email)
		done(email)
		if err == nil && a.Customer == nil {
			err = fmt.Errorf("%s: no customer", email)
		}
		errs <- err
	}
	go lookup(fakeshopify.EmailShowcase)
	// Wait until the first lookup waits for the others: the fake has seen
	// nothing, and the batch holds it.
	for !c.BatchPending(store, fakeshopify.EmailShowcase) {
		if ctx.Err() != nil {
			t.Fatal("the first lookup never joined a batch")
		}
		time.Sleep(time.Millisecond)
	}
	done(cached)
	// The last email arrives late, later than DefaultBatchWait: however
	// late, it joins, since the bound here is an hour.
	time.Sleep(2 * shopify.DefaultBatchWait)
	go lookup(fakeshopify.EmailOneOrder)
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if n := counting.requests.Load(); n != 1 {
		t.Errorf("%d requests to the store, want 1", n)
	}
}

// TestLookupDecodesAsGenqlientDoes: the lookup document's answer, decoded
// once by the client, maps to exactly what genqlient's decoding of
// CustomerWithOrders maps to for the same customer.
func TestLookupDecodesAsGenqlientDoes(t *testing.T) {
	fake := fakeshopify.NewSeeded(nil)
	srv := httptest.NewServer(fake)
	defer srv.Close()
	c, err := shopify.NewClient(shopify.Options{URLTemplate: srv.URL + fakeshopify.ShopURLTemplate})
	if err != nil {
		t.Fatal(err)
	}
	store := domain.Store{ID: 1, WorkspaceID: 1, Domain: fakeshopify.AcmeDomain, AccessToken: domain.NewSecret(fakeshopify.AcmeToken)}
	for _, email := range []string{fakeshopify.EmailShowcase, fakeshopify.EmailOneOrder} {
		got, err := c.LookupCustomer(context.Background(), store, email)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := shopify.CustomerWithOrders(context.Background(), graphql.NewClient(fakeshopify.GraphQLURL(srv.URL, fakeshopify.AcmeDomain), &http.Client{Transport: tokenTransport(fakeshopify.AcmeToken)}), email)
		if err != nil {
			t.Fatal(err)
		}
		want := shopify.MapCustomerOrders(resp)
		if !reflect.DeepEqual(got.Customer, want.Customer) || !reflect.DeepEqual(got.Orders, want.Orders) {
			t.Errorf("%s: the lookup's answer differs from genqlient's:\n got %+v\nwant %+v", email, got.Orders, want.Orders)
		}
		if len(got.Orders) == 0 {
			t.Errorf("%s: no orders; the comparison proves nothing", email)
		}
	}
}

// tokenTransport sends the access token with every request.
type tokenTransport string

func (t tokenTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("X-Shopify-Access-Token", string(t))
	return http.DefaultTransport.RoundTrip(r)
}

package shopify_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"shopcard/domain"
	"shopcard/fakeshopify"
	"shopcard/shopify"
)

// newFake serves a seeded fake Shopify and returns a client pointed at it.
func newFake(t *testing.T) (*fakeshopify.Server, *shopify.Client) {
	t.Helper()
	fake := fakeshopify.NewSeeded(nil)
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	// Retries happen without real backoff sleeps, to keep the tests quick;
	// resilience_test.go checks the waits themselves. Waits for the rate
	// limit (the ones with a wake channel) stay real.
	noWait := func(ctx context.Context, d time.Duration, wake <-chan struct{}) error {
		if wake == nil {
			return nil
		}
		return shopify.SleepContext(ctx, d, wake)
	}
	c, err := shopify.NewClient(shopify.Options{URLTemplate: srv.URL + fakeshopify.ShopURLTemplate, Sleep: noWait})
	if err != nil {
		t.Fatal(err)
	}
	return fake, c
}

func acme() domain.Store {
	return domain.Store{ID: 1, WorkspaceID: 1, Domain: fakeshopify.AcmeDomain, AccessToken: domain.NewSecret(fakeshopify.AcmeToken)}
}

func TestLookupCustomer(t *testing.T) {
	_, c := newFake(t)
	ctx := context.Background()

	t.Run("sixty orders give the newest fifty", func(t *testing.T) {
		r, err := c.LookupCustomer(ctx, acme(), fakeshopify.EmailSixtyOrders)
		if err != nil {
			t.Fatal(err)
		}
		if r.Customer == nil || r.Customer.NumberOfOrders != 60 || len(r.Orders) != shopify.OrdersPerCustomer {
			t.Fatalf("customer %+v with %d orders", r.Customer, len(r.Orders))
		}
		for i := 1; i < len(r.Orders); i++ {
			if r.Orders[i].CreatedAt.After(r.Orders[i-1].CreatedAt) {
				t.Fatalf("order %d is newer than order %d", i, i-1)
			}
		}
		if r.Customer.LegacyResourceID == 0 || r.Orders[0].LegacyResourceID == 0 {
			t.Error("UnsignedInt64 ids did not decode")
		}
		if r.Cost <= 0 || r.FetchedAt.IsZero() {
			t.Errorf("cost %d, fetched at %v", r.Cost, r.FetchedAt)
		}
		statuses := map[string]bool{}
		nullFinancial := false
		for _, o := range r.Orders {
			statuses[o.FulfillmentStatus] = true
			if o.FinancialStatus == "" {
				nullFinancial = true
			}
		}
		if !nullFinancial {
			t.Error("no order with a null financial status came through")
		}
		if len(statuses) < 5 {
			t.Errorf("only %d fulfillment statuses among the 50 orders", len(statuses))
		}
	})
	t.Run("email is matched case- and space-insensitively by Shopify", func(t *testing.T) {
		r, err := c.LookupCustomer(ctx, acme(), "  MAYA.CHEN@example.com ")
		if err != nil || r.Customer == nil || r.Customer.Email != fakeshopify.EmailShowcase {
			t.Fatalf("err %v, customer %+v", err, r.Customer)
		}
	})
	t.Run("no match is not an error", func(t *testing.T) {
		r, err := c.LookupCustomer(ctx, acme(), fakeshopify.EmailNoMatch)
		if err != nil || r.Customer != nil || len(r.Orders) != 0 {
			t.Fatalf("err %v, result %+v", err, r)
		}
	})
}

func TestLookupFailures(t *testing.T) {
	tests := []struct {
		name   string
		faults fakeshopify.Faults
		store  func() domain.Store
		kind   domain.Kind
		want   string
	}{
		{"revoked token", fakeshopify.Faults{}, func() domain.Store {
			s := acme()
			s.AccessToken = domain.NewSecret("shpat_revoked")
			return s
		}, domain.KindShopifyAuth, "401"},
		{"shop frozen", fakeshopify.Faults{Status: 402}, acme, domain.KindShopifyFrozen, "frozen"},
		{"shop locked", fakeshopify.Faults{Status: 423}, acme, domain.KindShopifyLocked, "locked"},
		{"server error", fakeshopify.Faults{Status: 503}, acme, domain.KindShopifyUnavailable, "503"},
		{"throttled beyond the retries", fakeshopify.Faults{ThrottleNext: 10}, acme, domain.KindShopifyThrottled, "THROTTLED"},
		{"missing read_orders", fakeshopify.Faults{}, func() domain.Store {
			s := acme()
			s.AccessToken = domain.NewSecret(fakeshopify.AcmeTokenCustomersOnly)
			return s
		}, domain.KindShopifyForbidden, "read_orders"},
		{"missing read_customers", fakeshopify.Faults{}, func() domain.Store {
			s := acme()
			s.AccessToken = domain.NewSecret(fakeshopify.AcmeTokenOrdersOnly)
			return s
		}, domain.KindShopifyForbidden, "read_customers"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake, c := newFake(t)
			if err := fake.SetFaults(fakeshopify.AcmeDomain, tt.faults); err != nil {
				t.Fatal(err)
			}
			_, err := c.LookupCustomer(context.Background(), tt.store(), fakeshopify.EmailShowcase)
			if domain.KindOf(err) != tt.kind {
				t.Fatalf("kind %v (%v), want %v", domain.KindOf(err), err, tt.kind)
			}
			if !strings.Contains(domain.MessageOf(err), tt.want) {
				t.Errorf("message %q does not mention %q", domain.MessageOf(err), tt.want)
			}
		})
	}
}

func TestProtectedDataWithheld(t *testing.T) {
	fake, c := newFake(t)
	fake.SetFaults(fakeshopify.AcmeDomain, fakeshopify.Faults{WithholdProtectedData: true})
	r, err := c.LookupCustomer(context.Background(), acme(), fakeshopify.EmailShowcase)
	if err != nil {
		t.Fatal(err)
	}
	if r.Customer == nil || r.Customer.Email != "" || r.Customer.FirstName != "" || len(r.Orders) == 0 {
		t.Fatalf("customer %+v, %d orders", r.Customer, len(r.Orders))
	}
	got := strings.Join(r.Withheld, ",")
	for _, f := range []string{"firstName", "lastName", "defaultEmailAddress", "defaultPhoneNumber"} {
		if !strings.Contains(got, f) {
			t.Errorf("withheld %q lacks %s", got, f)
		}
	}
}

func TestDeadline(t *testing.T) {
	fake, c := newFake(t)
	fake.SetFaults(fakeshopify.AcmeDomain, fakeshopify.Faults{Latency: 2 * time.Second})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := c.LookupCustomer(ctx, acme(), fakeshopify.EmailShowcase)
	if domain.KindOf(err) != domain.KindShopifyTimeout {
		t.Fatalf("kind %v (%v), want timeout", domain.KindOf(err), err)
	}
}

func TestCheckAccess(t *testing.T) {
	_, c := newFake(t)
	info, err := c.CheckAccess(context.Background(), fakeshopify.NordicDomain, domain.NewSecret(fakeshopify.NordicToken))
	if err != nil {
		t.Fatal(err)
	}
	if info.Domain != fakeshopify.NordicDomain || info.Name == "" || shopify.HasScope(info.Scopes, shopify.ScopeAllOrders) || len(shopify.MissingScopes(info.Scopes)) != 0 {
		t.Errorf("info %+v", info)
	}
}

// TestRequestsGoOnlyToMyshopifyDomains checks that the client refuses to
// send a token anywhere but a *.myshopify.com shop, and does not follow
// redirects away from it.
func TestRequestsGoOnlyToMyshopifyDomains(t *testing.T) {
	_, c := newFake(t)
	for _, shop := range []string{"evil.com", "acme.myshopify.com.evil.com", "../../admin", "acme.myshopify.com/x", ""} {
		s := acme()
		s.Domain = shop
		if _, err := c.LookupCustomer(context.Background(), s, "a@b.co"); domain.KindOf(err) != domain.KindInvalid {
			t.Errorf("shop %q: %v", shop, err)
		}
	}
	got := make(chan string, 1)
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got <- r.Header.Get("X-Shopify-Access-Token")
	}))
	defer elsewhere.Close()
	redirector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, elsewhere.URL, http.StatusTemporaryRedirect)
	}))
	defer redirector.Close()
	rc, _ := shopify.NewClient(shopify.Options{URLTemplate: redirector.URL + "/{shop}"})
	if _, err := rc.LookupCustomer(context.Background(), acme(), "a@b.co"); err == nil {
		t.Error("a redirect was treated as an answer")
	}
	select {
	case tok := <-got:
		t.Errorf("the client followed a redirect and sent the token %q elsewhere", tok)
	default:
	}
}

func TestEndpoint(t *testing.T) {
	tests := []struct {
		template, shop, want string
	}{
		{shopify.DefaultURLTemplate, "acme.myshopify.com", "https://acme.myshopify.com/admin/api/2026-07/graphql.json"},
		{"http://127.0.0.1:9999/shops/{shop}", "acme.myshopify.com", "http://127.0.0.1:9999/shops/acme.myshopify.com/admin/api/2026-07/graphql.json"},
	}
	for _, tt := range tests {
		c, err := shopify.NewClient(shopify.Options{URLTemplate: tt.template})
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := c.Endpoint(tt.shop); got != tt.want {
			t.Errorf("%s: %s, want %s", tt.template, got, tt.want)
		}
	}
	for _, bad := range []string{"https://example.com", "ftp://{shop}", "{shop}"} {
		if _, err := shopify.NewClient(shopify.Options{URLTemplate: bad}); err == nil {
			t.Errorf("template %q accepted", bad)
		}
	}
}

func TestNormalizeShopDomain(t *testing.T) {
	tests := []struct {
		in, want, errPart string
	}{
		{"acme.myshopify.com", "acme.myshopify.com", ""},
		{"  ACME-Outfitters.MyShopify.com ", "acme-outfitters.myshopify.com", ""},
		{"https://acme.myshopify.com/admin", "", "Enter just the store's domain, acme.myshopify.com"},
		{"https://admin.shopify.com/store/acme/orders", "", "acme.myshopify.com"},
		{"shop.acme.com", "", "storefront domain"},
		{"acme.com", "", "Settings → Domains"},
		{"-acme.myshopify.com", "", "not a valid myshopify.com domain"},
		{"ac_me.myshopify.com", "", "not a valid myshopify.com domain"},
		// A lookalike letter must not fold into another shop's domain.
		{"\u212Aate.myshopify.com", "", "not a valid myshopify.com domain"},
		{"", "", "Enter the store's domain"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := shopify.NormalizeShopDomain(tt.in)
			if tt.errPart == "" {
				if err != nil || got != tt.want {
					t.Fatalf("got %q, %v; want %q", got, err, tt.want)
				}
				return
			}
			if err == nil || !strings.Contains(domain.MessageOf(err), tt.errPart) {
				t.Errorf("err %v, want it to mention %q", err, tt.errPart)
			}
		})
	}
}

func TestMissingScopes(t *testing.T) {
	tests := []struct {
		granted []string
		want    string
	}{
		{[]string{"read_customers", "read_orders"}, ""},
		{[]string{"read_customers"}, "read_orders"},
		{nil, "read_customers,read_orders"},
		{[]string{"write_customers", "write_orders"}, ""},
	}
	for _, tt := range tests {
		if got := strings.Join(shopify.MissingScopes(tt.granted), ","); got != tt.want {
			t.Errorf("MissingScopes(%v) = %q, want %q", tt.granted, got, tt.want)
		}
	}
}

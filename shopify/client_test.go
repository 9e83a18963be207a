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
		name, in, want, errPart string
	}{
		{"a domain", "acme.myshopify.com", "acme.myshopify.com", ""},
		{"spaces and capitals", "  ACME-Outfitters.MyShopify.com ", "acme-outfitters.myshopify.com", ""},
		{"a trailing dot", "acme.myshopify.com.", "acme.myshopify.com", ""},
		{"a store URL", "https://acme.myshopify.com/admin", "", "Enter just the store's domain, acme.myshopify.com"},
		{"a Shopify Admin link", "https://admin.shopify.com/store/acme/orders", "", "acme.myshopify.com"},
		{"a Shopify Admin link without a scheme", "admin.shopify.com/store/acme-outfitters", "", "acme-outfitters.myshopify.com"},
		{"a bare handle", "acme-outfitters", "", "Did you mean acme-outfitters.myshopify.com?"},
		{"a storefront", "shop.acme.com", "", "storefront domain"},
		{"a storefront's apex", "acme.com", "", "Settings → Domains"},
		{"an IDN storefront", "bücher.example", "", "storefront domain"},
		{"a leading hyphen", "-acme.myshopify.com", "", "not a valid myshopify.com domain"},
		{"an underscore", "ac_me.myshopify.com", "", "not a valid myshopify.com domain"},
		// A lookalike letter must not fold into another shop's domain.
		{"a lookalike Kelvin sign", "\u212Aate.myshopify.com", "", "not a valid myshopify.com domain"},
		{"nothing", "", "", "Enter the store's domain"},
		{"20,000 characters", strings.Repeat("a", 20000) + ".myshopify.com", "", "too long for a store's domain"},
		{"256 characters", strings.Repeat("a", 256-len(".myshopify.com")) + ".myshopify.com", "", "too long"},
		{"255 characters, the longest allowed", strings.Repeat("a", 255-len(".myshopify.com")) + ".myshopify.com", strings.Repeat("a", 255-len(".myshopify.com")) + ".myshopify.com", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
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
			if len(domain.MessageOf(err)) > 400 {
				t.Errorf("the message quotes too much: %d characters", len(domain.MessageOf(err)))
			}
		})
	}
}

// TestDomainSuggestions: the domains shopcard can work out from what was
// typed come with the error, for a form to fill in with one click.
func TestDomainSuggestions(t *testing.T) {
	tests := []struct{ in, want string }{
		{"acme-outfitters", "acme-outfitters.myshopify.com"},
		{"ACME", "acme.myshopify.com"},
		{"https://admin.shopify.com/store/acme/orders/12", "acme.myshopify.com"},
		{"https://acme.myshopify.com/admin", "acme.myshopify.com"},
		{"shop.acme.com", ""},
		{"ac_me", ""},
	}
	for _, tt := range tests {
		_, err := shopify.NormalizeShopDomain(tt.in)
		if got := shopify.SuggestedDomain(err); got != tt.want {
			t.Errorf("%q: suggestion %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestForbiddenIsExplainedByItsBody: Shopify's 403 means a missing scope
// or, with "Unavailable Shop", a frozen shop.
func TestForbiddenIsExplainedByItsBody(t *testing.T) {
	tests := []struct {
		name    string
		message string
		kind    domain.Kind
		want    string
	}{
		{"a scope needing approval", "", domain.KindShopifyForbidden, "for want of the read_orders scope"},
		{"an unavailable shop", "Unavailable Shop", domain.KindShopifyFrozen, "unavailable (403 Unavailable Shop)"},
		{"something else", "Forbidden", domain.KindShopifyForbidden, `"Forbidden"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake, c := newFake(t)
			if err := fake.SetFaults(fakeshopify.AcmeDomain, fakeshopify.Faults{Status: 403, StatusMessage: tt.message}); err != nil {
				t.Fatal(err)
			}
			_, err := c.LookupCustomer(context.Background(), acme(), fakeshopify.EmailShowcase)
			if domain.KindOf(err) != tt.kind || !strings.Contains(domain.MessageOf(err), tt.want) {
				t.Errorf("%v %q, want %v mentioning %q", domain.KindOf(err), domain.MessageOf(err), tt.kind, tt.want)
			}
		})
	}
}

// TestSubscriptionRefusedForAScope: a subscription Shopify refuses with
// ACCESS_DENIED names the scope to grant.
func TestSubscriptionRefusedForAScope(t *testing.T) {
	_, c := newFake(t)
	_, err := c.CreateWebhookSubscription(context.Background(), acme(), "fulfillments/create", "https://shopcard.example.com/webhooks/shopify")
	if domain.KindOf(err) != domain.KindShopifyForbidden || !strings.Contains(domain.MessageOf(err), "it needs the read_fulfillments scope") {
		t.Errorf("%v %q", domain.KindOf(err), domain.MessageOf(err))
	}
	if _, err := c.CreateWebhookSubscription(context.Background(), acme(), "orders/updated", "https://shopcard.example.com/webhooks/shopify"); err != nil {
		t.Errorf("a subscription the scopes allow: %v", err)
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
	optional := []struct {
		granted []string
		want    string
	}{
		{[]string{"read_customers", "read_orders"}, "read_all_orders,read_fulfillments"},
		{[]string{"read_all_orders", "write_fulfillments"}, ""},
		{[]string{"read_fulfillments"}, "read_all_orders"},
	}
	for _, tt := range optional {
		if got := strings.Join(shopify.MissingOptionalScopes(tt.granted), ","); got != tt.want {
			t.Errorf("MissingOptionalScopes(%v) = %q, want %q", tt.granted, got, tt.want)
		}
	}
}

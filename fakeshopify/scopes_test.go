package fakeshopify

import (
	"slices"
	"testing"
	"time"

	"shopcard/shopify"
)

func TestScopes(t *testing.T) {
	_, ts, _ := startSeeded(t)
	tests := []struct {
		name         string
		shop, token  string
		email        string
		wantCustomer bool
		wantErrPath  []any // of the ACCESS_DENIED error; nil for none
		wantRequired string
	}{
		{"all scopes", AcmeDomain, AcmeToken, EmailShowcase, true, nil, ""},
		{"no read_customers", AcmeDomain, AcmeTokenOrdersOnly, EmailShowcase, false, []any{"customer"}, "`read_customers` access scope."},
		// orders is non-null, so its error nulls the customer, as graphql-ruby does.
		{"no read_orders", AcmeDomain, AcmeTokenCustomersOnly, EmailShowcase, false, []any{"customer", "orders"}, "`read_orders` access scope."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := post(t, GraphQLURL(ts.URL, tt.shop), tt.token, shopify.CustomerWithOrders_Operation, map[string]any{"email": tt.email})
			if r.status != 200 {
				t.Fatalf("status %d, want 200", r.status)
			}
			if got := dig(r.json, "data", "customer") != nil; got != tt.wantCustomer {
				t.Errorf("customer present = %v, want %v; body %s", got, tt.wantCustomer, r.body)
			}
			if tt.wantErrPath == nil {
				if r.json["errors"] != nil {
					t.Errorf("unexpected errors: %s", r.body)
				}
				return
			}
			e := dig(r.json, "errors", 0)
			if dig(e, "extensions", "code") != "ACCESS_DENIED" {
				t.Errorf("code %v, want ACCESS_DENIED", dig(e, "extensions", "code"))
			}
			if path, _ := dig(e, "path").([]any); !slices.Equal(path, tt.wantErrPath) {
				t.Errorf("path %v, want %v", path, tt.wantErrPath)
			}
			if dig(e, "extensions", "requiredAccess") != tt.wantRequired {
				t.Errorf("requiredAccess %v, want %s", dig(e, "extensions", "requiredAccess"), tt.wantRequired)
			}
			if dig(r.json, "extensions", "cost") == nil {
				t.Error("an executed query must carry its cost")
			}
		})
	}
}

func TestSixtyDayWindowWithoutReadAllOrders(t *testing.T) {
	s, ts, clock := startSeeded(t)
	query := func(email string) (count string, names []string) {
		r := post(t, GraphQLURL(ts.URL, NordicDomain), NordicToken, shopify.CustomerWithOrders_Operation, map[string]any{"email": email})
		c := dig(r.json, "data", "customer")
		nodes, _ := dig(c, "orders", "nodes").([]any)
		for _, n := range nodes {
			names = append(names, dig(n, "name").(string))
		}
		count, _ = dig(c, "numberOfOrders").(string)
		return count, names
	}
	zoe, _ := s.CustomerByEmail(NordicDomain, EmailNonASCII)
	held := s.Orders(NordicDomain, zoe.ID)
	var recent []string
	for _, o := range held {
		if !o.CreatedAt.Before(clock.Now().Add(-60 * day)) {
			recent = append(recent, o.Name)
		}
	}
	if len(recent) == 0 || len(recent) == len(held) {
		t.Fatalf("seed should give Zoë orders on both sides of the window, got %d of %d recent", len(recent), len(held))
	}

	tests := []struct {
		name      string
		email     string
		wantCount string
		wantNames []string
	}{
		{"only recent orders listed, all counted", EmailNonASCII, "5", recent},
		{"all orders too old", EmailOnlyOldOrders, "4", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			count, names := query(tt.email)
			if count != tt.wantCount {
				t.Errorf("numberOfOrders %q, want %q", count, tt.wantCount)
			}
			if !slices.Equal(names, tt.wantNames) {
				t.Errorf("orders %v, want %v", names, tt.wantNames)
			}
		})
	}

	t.Run("the window moves with the clock", func(t *testing.T) {
		clock.Advance(365 * day)
		if _, names := query(EmailNonASCII); len(names) != 0 {
			t.Errorf("a year later, %v are still visible", names)
		}
	})
}

func TestWriteScopeImpliesRead(t *testing.T) {
	s := New(func() time.Time { return testNow })
	const shop = "writer.myshopify.com"
	if err := s.AddStore(Store{Domain: shop, Tokens: []Token{{Value: "w", Scopes: []string{"write_customers", "write_orders"}}}}); err != nil {
		t.Fatal(err)
	}
	c, _ := s.AddCustomer(shop, Customer{Email: "w@example.com"})
	if _, err := s.AddOrder(shop, Order{CustomerID: c.ID, Total: "1.00", CreatedAt: testNow.Add(-100 * day)}); err != nil {
		t.Fatal(err)
	}
	ts := serve(t, s)
	r := post(t, GraphQLURL(ts.URL, shop), "w", shopify.CustomerWithOrders_Operation, map[string]any{"email": "w@example.com"})
	if r.json["errors"] != nil {
		t.Fatalf("errors: %s", r.body)
	}
	// write_orders implies read_orders but not read_all_orders.
	if nodes := dig(r.json, "data", "customer", "orders", "nodes").([]any); len(nodes) != 0 {
		t.Errorf("an order older than 60 days is visible without read_all_orders")
	}
}

func TestProtectedCustomerData(t *testing.T) {
	s, ts, _ := startSeeded(t)
	url := GraphQLURL(ts.URL, AcmeDomain)
	vars := map[string]any{"email": EmailShowcase}

	if err := s.SetFaults(AcmeDomain, Faults{WithholdProtectedData: true}); err != nil {
		t.Fatal(err)
	}
	r := post(t, url, AcmeToken, shopify.CustomerWithOrders_Operation, vars)
	c := dig(r.json, "data", "customer")
	for _, field := range []string{"firstName", "lastName", "defaultEmailAddress", "defaultPhoneNumber"} {
		t.Run(field, func(t *testing.T) {
			if v, present := c.(map[string]any)[field]; !present || v != nil {
				t.Errorf("%s = %#v, want null", field, v)
			}
			found := false
			for _, e := range r.json["errors"].([]any) {
				if path, _ := dig(e, "path").([]any); slices.Equal(path, []any{"customer", field}) {
					found = dig(e, "extensions", "code") == "ACCESS_DENIED"
				}
			}
			if !found {
				t.Errorf("no ACCESS_DENIED error with path [customer %s] in %s", field, r.body)
			}
		})
	}
	t.Run("the rest arrives", func(t *testing.T) {
		// displayName is made of the withheld fields: redacted too.
		if dig(c, "displayName") != "" || len(dig(c, "orders", "nodes").([]any)) != 11 {
			t.Errorf("customer %v", c)
		}
		if n := len(r.json["errors"].([]any)); n != 4 {
			t.Errorf("%d errors, want 4", n)
		}
	})
	t.Run("switching it off restores the fields", func(t *testing.T) {
		if err := s.SetFaults(AcmeDomain, Faults{}); err != nil {
			t.Fatal(err)
		}
		r := post(t, url, AcmeToken, shopify.CustomerWithOrders_Operation, vars)
		if r.json["errors"] != nil || dig(r.json, "data", "customer", "defaultEmailAddress", "emailAddress") != EmailShowcase {
			t.Errorf("body %s", r.body)
		}
	})
}

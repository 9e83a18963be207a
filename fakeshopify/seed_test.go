package fakeshopify

import (
	"context"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"shopcard/domain"
	"shopcard/shopify"
)

// startSeeded serves the seed data over real HTTP.
func startSeeded(tb testing.TB) (*Server, *httptest.Server, *testClock) {
	tb.Helper()
	clock := newTestClock()
	s := NewSeeded(clock.Now)
	return s, serve(tb, s), clock
}

// TestSeedCoversTheDemoCases checks, through the generated client, that
// the seed holds every case the UI must handle.
func TestSeedCoversTheDemoCases(t *testing.T) {
	s, ts, clock := startSeeded(t)
	ctx := context.Background()
	// lookup runs the sidebar's query. The clock stands still in tests, so
	// each lookup first lets the bucket refill, as time would between
	// contacts in a real inbox.
	lookup := func(t *testing.T, shop, token, email string) *shopify.CustomerWithOrdersCustomer {
		t.Helper()
		clock.Advance(20 * time.Second)
		resp, err := shopify.CustomerWithOrders(ctx, client(ts, shop, token), email)
		if err != nil {
			t.Fatalf("%s %s: %v", shop, email, err)
		}
		return resp.Customer
	}

	t.Run("every fulfillment and financial status among the sidebar's orders", func(t *testing.T) {
		fulfillment, financial := map[string]bool{}, map[string]bool{}
		for _, email := range []string{EmailSixtyOrders, EmailShowcase, EmailThousandsOfOrders, EmailNoName} {
			for _, o := range lookup(t, AcmeDomain, AcmeToken, email).Orders.Nodes {
				fulfillment[string(o.DisplayFulfillmentStatus)] = true
				if o.DisplayFinancialStatus == nil {
					financial["null"] = true
				} else {
					financial[string(*o.DisplayFinancialStatus)] = true
				}
			}
		}
		for _, v := range shopify.Schema().Types["OrderDisplayFulfillmentStatus"].EnumValues {
			if !fulfillment[v.Name] {
				t.Errorf("no order is %s", v.Name)
			}
		}
		for _, v := range shopify.Schema().Types["OrderDisplayFinancialStatus"].EnumValues {
			if !financial[v.Name] {
				t.Errorf("no order is %s", v.Name)
			}
		}
		if !financial["null"] {
			t.Error("no order without a financial status")
		}
	})

	t.Run("cancelled orders with reasons", func(t *testing.T) {
		reasons := map[string]bool{}
		for _, o := range lookup(t, AcmeDomain, AcmeToken, EmailSixtyOrders).Orders.Nodes {
			if o.CancelledAt != nil && o.CancelReason != nil {
				reasons[string(*o.CancelReason)] = true
			}
		}
		if len(reasons) < 3 {
			t.Errorf("cancel reasons %v, want several", reasons)
		}
	})

	t.Run("several fulfillments and carriers on one order", func(t *testing.T) {
		o := lookup(t, AcmeDomain, AcmeToken, EmailShowcase).Orders.Nodes[0]
		companies := map[string]bool{}
		numbers := 0
		for _, f := range o.Fulfillments {
			for _, ti := range f.TrackingInfo {
				companies[*ti.Company] = true
				numbers++
			}
		}
		if len(o.Fulfillments) < 2 || len(companies) < 2 || numbers < 3 {
			t.Errorf("%d fulfillments, carriers %v, %d numbers", len(o.Fulfillments), companies, numbers)
		}
	})

	t.Run("hostile customer", func(t *testing.T) {
		c := lookup(t, AcmeDomain, AcmeToken, EmailHostile)
		if !strings.Contains(*c.FirstName, "<script>") || !strings.Contains(*c.LastName, `"`) {
			t.Errorf("name %q %q", *c.FirstName, *c.LastName)
		}
		var schemes []string
		for _, f := range c.Orders.Nodes[0].Fulfillments {
			for _, ti := range f.TrackingInfo {
				schemes = append(schemes, strings.ToLower(strings.SplitN(*ti.Url, ":", 2)[0]))
			}
		}
		if !reflect.DeepEqual(schemes, []string{"javascript", "javascript", "data"}) {
			t.Errorf("tracking URL schemes %v", schemes)
		}
	})

	t.Run("non-ASCII and right-to-left names", func(t *testing.T) {
		names := []string{
			lookup(t, NordicDomain, NordicToken, EmailNonASCII).DisplayName,
			lookup(t, SakuraDomain, SakuraToken, EmailJapanese).DisplayName,
			lookup(t, AcmeDomain, AcmeToken, EmailRightToLeft).DisplayName,
		}
		if want := []string{"Zoë Ångström", "花子 山田", "ليلى حداد"}; !reflect.DeepEqual(names, want) {
			t.Errorf("names %q, want %q", names, want)
		}
	})

	t.Run("currencies differ", func(t *testing.T) {
		got := []string{
			string(lookup(t, AcmeDomain, AcmeToken, EmailShowcase).AmountSpent.CurrencyCode),
			string(lookup(t, NordicDomain, NordicToken, EmailShowcase).AmountSpent.CurrencyCode),
			string(lookup(t, SakuraDomain, SakuraToken, EmailJapanese).AmountSpent.CurrencyCode),
		}
		if want := []string{"USD", "EUR", "JPY"}; !reflect.DeepEqual(got, want) {
			t.Errorf("currencies %v", got)
		}
	})

	t.Run("very long product name", func(t *testing.T) {
		longest := 0
		for _, o := range lookup(t, AcmeDomain, AcmeToken, EmailShowcase).Orders.Nodes {
			for _, li := range o.LineItems.Nodes {
				longest = max(longest, len(li.Title))
			}
		}
		if longest < 150 {
			t.Errorf("longest title is %d bytes", longest)
		}
	})

	t.Run("nothing happens in the future", func(t *testing.T) {
		for _, st := range s.Stores() {
			for _, contact := range DemoContacts() {
				c, ok := s.CustomerByEmail(st.Domain, contact.Email)
				if !ok {
					continue
				}
				for _, o := range s.Orders(st.Domain, c.ID) {
					for _, tm := range []time.Time{o.CreatedAt, o.UpdatedAt, o.CancelledAt} {
						if tm.After(clock.Now()) {
							t.Errorf("%s %s is dated %s, after now", st.Domain, o.Name, tm)
						}
					}
					for _, f := range o.Fulfillments {
						if f.CreatedAt.After(clock.Now()) || f.CreatedAt.Before(o.CreatedAt) {
							t.Errorf("%s %s fulfilled at %s", st.Domain, o.Name, f.CreatedAt)
						}
					}
				}
			}
		}
	})
}

func TestDemoContacts(t *testing.T) {
	s := NewSeeded(func() time.Time { return testNow })
	contacts := DemoContacts()
	if contacts[0].Email != EmailShowcase {
		t.Errorf("the best showcase should come first, got %s", contacts[0].Email)
	}
	seen := map[string]bool{}
	for _, c := range contacts {
		t.Run(c.Name, func(t *testing.T) {
			email, err := domain.NormalizeEmail(c.Email)
			if err != nil {
				t.Fatalf("the product would refuse %q: %v", c.Email, err)
			}
			key := email
			for _, other := range c.OtherEmails {
				if _, err := domain.NormalizeEmail(other); err != nil {
					t.Fatalf("the product would refuse %q: %v", other, err)
				}
				key += " " + other
			}
			if seen[key] {
				t.Errorf("%s listed twice", key)
			}
			seen[key] = true
			if c.Shows == "" {
				t.Error("no description")
			}
			stores := 0
			for _, st := range s.Stores() {
				if _, ok := s.CustomerByEmail(st.Domain, email); ok {
					stores++
				}
			}
			switch {
			case (email == EmailNoMatch || email == EmailGuest) && stores != 0:
				t.Errorf("found in %d stores", stores)
			case email == EmailShowcase && stores != 2:
				t.Errorf("found in %d stores, want 2", stores)
			case email != EmailNoMatch && email != EmailGuest && stores == 0:
				t.Error("found in no store")
			}
		})
	}
}

func TestSeedIsDeterministic(t *testing.T) {
	a := NewSeeded(func() time.Time { return testNow })
	b := NewSeeded(func() time.Time { return testNow })
	for _, st := range a.Stores() {
		for _, contact := range DemoContacts() {
			ca, okA := a.CustomerByEmail(st.Domain, contact.Email)
			cb, okB := b.CustomerByEmail(st.Domain, contact.Email)
			if okA != okB || !reflect.DeepEqual(ca, cb) || !reflect.DeepEqual(a.Orders(st.Domain, ca.ID), b.Orders(st.Domain, cb.ID)) {
				t.Errorf("%s %s differs between two seeds", st.Domain, contact.Email)
			}
		}
	}
	if err := Seed(a); err == nil {
		t.Error("seeding twice should fail")
	}
}

// TestSeedOrdersOnlyANumberFinds holds the seed to the orders the order
// search shows off: placed with emails no demo contact has, found by
// number only, and one number in two stores.
func TestSeedOrdersOnlyANumberFinds(t *testing.T) {
	s := NewSeeded(func() time.Time { return testNow })
	byName := func(shop, name string) []Order {
		var out []Order
		for _, o := range s.stores[shop].orders {
			if o.Name == name {
				out = append(out, o.clone())
			}
		}
		return out
	}
	tests := []struct {
		shop, name, email string
	}{
		{AcmeDomain, OrderGiftForMaya, EmailGiftGiver},
		{NordicDomain, OrderNordicGuest, EmailNordicGuest},
		{SakuraDomain, OrderSharedNumber, EmailShowcaseOther},
	}
	for _, tt := range tests {
		orders := byName(tt.shop, tt.name)
		if len(orders) != 1 || orders[0].Email != tt.email || orders[0].CustomerID != 0 || orders[0].ShippingAddress == nil {
			t.Errorf("%s %s: %+v", tt.shop, tt.name, orders)
		}
	}
	if len(byName(AcmeDomain, OrderSharedNumber)) != 1 {
		t.Errorf("%s is not also an Acme order", OrderSharedNumber)
	}
	for _, email := range []string{EmailGiftGiver, EmailNordicGuest} {
		for _, st := range s.Stores() {
			if _, ok := s.CustomerByEmail(st.Domain, email); ok {
				t.Errorf("%s is a customer of %s: the sidebar would find its orders without a search", email, st.Domain)
			}
		}
		for _, c := range DemoContacts() {
			if c.Email == email || slices.Contains(c.OtherEmails, email) {
				t.Errorf("%s is a demo contact's email", email)
			}
		}
	}
	if gift := byName(AcmeDomain, OrderGiftForMaya)[0]; gift.Fulfillments[0].DisplayStatus != "DELAYED" || gift.ShippingAddress.Name != "Maya Chen" {
		t.Errorf("the gift %+v", gift)
	}
}

func TestSeedCatalogs(t *testing.T) {
	s := NewSeeded(func() time.Time { return testNow })
	for _, shop := range []string{AcmeDomain, NordicDomain, SakuraDomain} {
		products := s.Products(shop)
		active := 0
		for _, p := range products {
			if p.Status == "ACTIVE" {
				active++
			}
		}
		if active < 4 {
			t.Errorf("%s sells %d active products", shop, active)
		}
	}
	statuses := map[string]bool{}
	for _, p := range s.Products(AcmeDomain) {
		statuses[p.Status] = true
	}
	if !statuses["DRAFT"] || !statuses["ARCHIVED"] {
		t.Errorf("Acme's statuses %v: a search must be seen to skip drafts and archived products", statuses)
	}
	for _, tok := range []struct{ shop, token string }{{AcmeDomain, AcmeTokenWithProducts}, {SakuraDomain, SakuraTokenWithProducts}} {
		_, state, err := s.tokenLocked(tok.shop, tok.token)
		if err != nil || !slices.Contains(state.scopes, "read_products") || !slices.Contains(state.scopes, "read_all_orders") {
			t.Errorf("%s: %v %v", tok.token, state, err)
		}
	}
}

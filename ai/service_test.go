package ai

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
	"time"

	"shopcard/domain"
)

// memoryStores, memorySwitches and memoryLookups are in-memory stand-ins
// for the database and the lookup chain, holding what each test sets.
type memoryStores []domain.Store

func (m memoryStores) StoresByWorkspace(context.Context, int64) ([]domain.Store, error) {
	return m, nil
}

type memorySwitches map[string]bool

func (m memorySwitches) AIToolSettings(context.Context, int64) (map[string]bool, error) {
	return m, nil
}

type memoryLookups struct {
	orders map[string]*domain.OrderMatches // by store domain
	errs   map[string]error                // by store domain
}

func (m memoryLookups) FindOrders(_ context.Context, st domain.Store, name string) (*domain.OrderMatches, error) {
	if err := m.errs[st.Domain]; err != nil {
		return nil, err
	}
	if r := m.orders[st.Domain]; r != nil {
		return r, nil
	}
	return &domain.OrderMatches{}, nil
}

func (m memoryLookups) LookupCustomer(_ context.Context, st domain.Store, _ string) (*domain.CustomerOrders, error) {
	return &domain.CustomerOrders{}, m.errs[st.Domain]
}

func (m memoryLookups) SearchProducts(_ context.Context, st domain.Store, _ string) (*domain.ProductResults, error) {
	return &domain.ProductResults{}, m.errs[st.Domain]
}

func (m memoryLookups) ShopDetails(_ context.Context, st domain.Store) (*domain.ShopDetails, error) {
	return &domain.ShopDetails{Name: st.ShopName}, m.errs[st.Domain]
}

type recorded []string

func (r *recorded) AIToolCall(tool, outcome string) { *r = append(*r, tool+" "+outcome) }

var (
	storeA = domain.Store{ID: 1, Domain: "a.myshopify.com", ShopName: "A", Scopes: []string{"read_customers", "read_orders", "read_products"}}
	storeB = domain.Store{ID: 2, Domain: "b.myshopify.com", ShopName: "B", Scopes: []string{"read_customers", "read_orders"}}
)

func service(stores memoryStores, switches memorySwitches, lookups memoryLookups) (*Service, *recorded, *bytes.Buffer) {
	rec := &recorded{}
	logs := &bytes.Buffer{}
	return &Service{
		Stores: stores, Switches: switches, Lookups: lookups, StoreTimeout: time.Second, Recorder: rec,
		Logger: slog.New(slog.NewTextHandler(logs, nil)), Now: time.Now,
	}, rec, logs
}

func args(t *testing.T, v map[string]any) json.RawMessage {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestStatuses(t *testing.T) {
	tests := []struct {
		name      string
		stores    memoryStores
		switches  memorySwitches
		available []string
	}{
		{"every tool with a store granting read_products", memoryStores{storeA, storeB}, nil,
			[]string{GetOrderDetails, SearchProducts, GetShopDetails, FindCustomer}},
		{"no store grants read_products", memoryStores{storeB}, nil, []string{GetOrderDetails, FindCustomer}},
		{"switched off", memoryStores{storeA}, memorySwitches{GetOrderDetails: false, SearchProducts: true},
			[]string{SearchProducts, GetShopDetails, FindCustomer}},
		{"no stores yet", nil, nil, []string{GetOrderDetails, FindCustomer}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _, _ := service(tt.stores, tt.switches, memoryLookups{})
			tools, err := s.Available(context.Background(), 1)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, tl := range tools {
				names = append(names, tl.Name)
			}
			if strings.Join(names, ",") != strings.Join(tt.available, ",") {
				t.Errorf("available %v, want %v", names, tt.available)
			}
		})
	}
	s, _, _ := service(memoryStores{storeA, storeB}, memorySwitches{GetShopDetails: false}, memoryLookups{})
	statuses, _ := s.Statuses(context.Background(), 1)
	shop := statuses[2]
	if shop.Tool.Name != GetShopDetails || shop.Enabled || shop.Available || len(shop.Granting) != 1 || shop.Missing[0].ID != storeB.ID {
		t.Errorf("shop details status %+v", shop)
	}
}

// TestGuard holds get_order_details to its guard, case by case: an order
// is described only for its own email or its customer's, normalised as
// the sidebar normalises emails, and a refusal reads the same whatever
// the store holds.
func TestGuard(t *testing.T) {
	order := func(email, customerEmail string) *domain.OrderMatches {
		return &domain.OrderMatches{Orders: []domain.FoundOrder{{
			Order: domain.Order{Name: "#1042", LegacyResourceID: 7, Total: domain.Money{Amount: "10.0", Currency: "USD"}},
			Email: email, CustomerEmail: customerEmail, ShippingAddress: &domain.Address{Name: "Secret Person", Address1: "1 Hidden Lane"},
		}}}
	}
	tests := []struct {
		name   string
		held   *domain.OrderMatches
		asked  string
		reveal bool
	}{
		{"the order's email", order("ada@example.com", ""), "ada@example.com", true},
		{"typed with spaces and capitals", order("ada@example.com", ""), "  ADA@Example.COM ", true},
		{"stored with capitals", order("Ada@Example.com", ""), "ada@example.com", true},
		{"the customer's email", order("gift@example.com", "ada@example.com"), "ada@example.com", true},
		{"another email", order("ada@example.com", "ada@example.com"), "eve@example.com", false},
		{"a near miss", order("ada@example.com", ""), "ada@example.co", false},
		{"emails withheld by Shopify", order("", ""), "ada@example.com", false},
		{"no such order", &domain.OrderMatches{}, "ada@example.com", false},
	}
	var refusals []string
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, rec, _ := service(memoryStores{storeA}, nil, memoryLookups{orders: map[string]*domain.OrderMatches{storeA.Domain: tt.held}})
			res, err := s.Call(context.Background(), Caller{WorkspaceID: 1}, GetOrderDetails, args(t, map[string]any{"order_number": "1042", "customer_email": tt.asked}))
			if err != nil {
				t.Fatal(err)
			}
			if tt.reveal {
				if res.Err != nil || !strings.Contains(res.Text, "Secret Person") {
					t.Fatalf("not revealed: %+v", res)
				}
				return
			}
			if res.Err == nil || res.Err.Code != CodeNotVerified || res.Structured != nil {
				t.Fatalf("revealed: %+v", res)
			}
			if strings.Contains(res.Text, "Secret") || strings.Contains(res.Text, "Hidden") || strings.Contains(res.Text, "10.00") {
				t.Errorf("the refusal leaks: %s", res.Text)
			}
			if (*rec)[0] != "get_order_details not_verified" {
				t.Errorf("recorded %v", *rec)
			}
			refusals = append(refusals, res.Text)
		})
	}
	for _, r := range refusals[1:] {
		if r != refusals[0] {
			t.Errorf("refusals differ:\n%s\n%s", refusals[0], r)
		}
	}
}

func TestStoresThatDidNotAnswer(t *testing.T) {
	down := domain.Errorf(domain.KindShopifyUnavailable, "down")
	matches := &domain.OrderMatches{Orders: []domain.FoundOrder{{Order: domain.Order{Name: "#1042"}, Email: "ada@example.com"}}}
	t.Run("one of two", func(t *testing.T) {
		s, _, _ := service(memoryStores{storeA, storeB}, nil, memoryLookups{
			orders: map[string]*domain.OrderMatches{storeA.Domain: matches}, errs: map[string]error{storeB.Domain: down},
		})
		res, _ := s.Call(context.Background(), Caller{}, GetOrderDetails, args(t, map[string]any{"order_number": "#1042", "customer_email": "ada@example.com"}))
		if res.Err != nil || !strings.Contains(res.Text, "Not checked: B (Shopify didn't answer for this store.)") {
			t.Errorf("%+v", res)
		}
		out := res.Structured.(OrderDetailsResult)
		if out.Stores[1].Outcome != OutcomeUnavailable {
			t.Errorf("%+v", out.Stores)
		}
	})
	t.Run("a refusal says which stores could not be checked", func(t *testing.T) {
		s, _, _ := service(memoryStores{storeA, storeB}, nil, memoryLookups{errs: map[string]error{storeB.Domain: down}})
		res, _ := s.Call(context.Background(), Caller{}, GetOrderDetails, args(t, map[string]any{"order_number": "#1042", "customer_email": "ada@example.com"}))
		if res.Err == nil || res.Err.Code != CodeNotVerified || !strings.Contains(res.Text, "B (Shopify didn't answer for this store.) did not answer") {
			t.Errorf("%+v", res)
		}
	})
	t.Run("none", func(t *testing.T) {
		s, _, _ := service(memoryStores{storeA}, nil, memoryLookups{errs: map[string]error{storeA.Domain: domain.Errorf(domain.KindShopifyAuth, "revoked")}})
		for _, tool := range []struct {
			name string
			args map[string]any
		}{
			{GetOrderDetails, map[string]any{"order_number": "#1042", "customer_email": "ada@example.com"}},
			{SearchProducts, map[string]any{"query": "x"}},
			{GetShopDetails, nil},
			{FindCustomer, map[string]any{"email": "ada@example.com"}},
		} {
			res, _ := s.Call(context.Background(), Caller{}, tool.name, args(t, tool.args))
			if res.Err == nil || res.Err.Code != CodeUnavailable || !strings.Contains(res.Text, "needs attention from an admin") || strings.Contains(res.Text, "revoked") {
				t.Errorf("%s: %+v", tool.name, res)
			}
		}
	})
}

func TestPickStores(t *testing.T) {
	all := []domain.Store{storeA, storeB}
	for _, which := range []string{"a.myshopify.com", "A.MYSHOPIFY.COM", "a", "A", " a "} {
		got, e := pickStores(all, which)
		if e != nil || len(got) != 1 || got[0].ID != storeA.ID {
			t.Errorf("%q: %v %v", which, got, e)
		}
	}
	if got, e := pickStores(all, ""); e != nil || len(got) != 2 {
		t.Errorf("every store: %v %v", got, e)
	}
	if _, e := pickStores(all, "c"); e == nil || e.Code != CodeUnknownStore || !strings.Contains(e.Message, "b.myshopify.com") {
		t.Errorf("unknown: %v", e)
	}
	if _, e := pickStores(nil, ""); e == nil || e.Code != CodeNoStores {
		t.Errorf("none: %v", e)
	}
}

func TestCallsAreLoggedWithoutArguments(t *testing.T) {
	s, rec, logs := service(memoryStores{storeA}, nil, memoryLookups{})
	s.Call(context.Background(), Caller{WorkspaceID: 3, KeyID: 9}, FindCustomer, args(t, map[string]any{"email": "private.person@example.com"}))
	s.Call(context.Background(), Caller{WorkspaceID: 3, KeyID: 9}, "no_such_tool", nil)
	if strings.Contains(logs.String(), "private.person") {
		t.Errorf("logged the email: %s", logs)
	}
	if !strings.Contains(logs.String(), "tool=find_customer outcome=ok workspace_id=3 api_key_id=9 stores=1") || !strings.Contains(logs.String(), "tool=unknown outcome=unknown_tool") {
		t.Errorf("logs: %s", logs)
	}
	if strings.Join(*rec, ",") != "find_customer ok,unknown unknown_tool" {
		t.Errorf("recorded %v", *rec)
	}
}

// TestOutputSchemasDescribeResults holds each tool's output schema to what
// it returns: a result, as JSON, validates against it.
func TestOutputSchemasDescribeResults(t *testing.T) {
	full := &domain.OrderMatches{Orders: []domain.FoundOrder{{
		Order: domain.Order{Name: "#1042", CreatedAt: time.Now(), FulfillmentStatus: "FULFILLED", FinancialStatus: "PAID", ReturnStatus: "RETURNED",
			LineItems: []domain.LineItem{{Title: "Jacket", Quantity: 1, CurrentQuantity: 1}}, ItemCount: 1,
			Fulfillments: []domain.Fulfillment{{Status: "SUCCESS", CreatedAt: time.Now(), InTransitAt: time.Now(),
				Tracking: []domain.Tracking{{Company: "UPS", Number: "1Z", URL: "javascript:alert(1)"}}}}},
		Email: "ada@example.com", Refunds: []domain.Refund{{Amount: domain.Money{Amount: "5.0", Currency: "USD"}}},
		ShippingAddress: &domain.Address{Address1: "1 Main St"},
	}}}
	s, _, _ := service(memoryStores{storeA, storeB}, nil, memoryLookups{orders: map[string]*domain.OrderMatches{storeA.Domain: full}})
	calls := map[string]map[string]any{
		GetOrderDetails: {"order_number": "1042", "customer_email": "ada@example.com"},
		SearchProducts:  {"query": "jacket"},
		GetShopDetails:  {},
		FindCustomer:    {"email": "ada@example.com"},
	}
	for name, a := range calls {
		res, err := s.Call(context.Background(), Caller{}, name, args(t, a))
		if err != nil || res.Err != nil {
			t.Fatalf("%s: %v %+v", name, err, res.Err)
		}
		tool, _ := ToolByName(name)
		resolved, err := tool.OutputSchema.Resolve(nil)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(res.Structured)
		var instance map[string]any
		json.Unmarshal(b, &instance)
		if err := resolved.Validate(instance); err != nil {
			t.Errorf("%s: %v\n%s", name, err, b)
		}
		if strings.Contains(string(b), "javascript:") {
			t.Errorf("%s: an unsafe link passed through: %s", name, b)
		}
	}
}

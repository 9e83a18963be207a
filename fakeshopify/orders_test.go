package fakeshopify

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// orderFixture is a store with one customer whose three orders are in a
// different sequence by creation, update and ID, so every sort key is
// distinguishable.
func orderFixture(t *testing.T) (*Server, string) {
	t.Helper()
	clock := newTestClock()
	s := New(clock.Now)
	const shop = "fixture.myshopify.com"
	if err := s.AddStore(Store{Domain: shop, Tokens: []Token{{Value: "tok", Scopes: readAll}}}); err != nil {
		t.Fatal(err)
	}
	c, err := s.AddCustomer(shop, Customer{Email: "c@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	add := func(id uint64, name string, created, updated time.Duration, total string) {
		t.Helper()
		_, err := s.AddOrder(shop, Order{
			ID: id, Name: name, CustomerID: c.ID, Total: total,
			CreatedAt: testNow.Add(-created), UpdatedAt: testNow.Add(-updated),
			LineItems: []LineItem{{Title: "A", Quantity: 1}, {Title: "B", Quantity: 2}, {Title: "C", Quantity: 3}},
			Fulfillments: []Fulfillment{
				{Status: "SUCCESS", CreatedAt: testNow.Add(-created + 2*time.Hour), Tracking: []Tracking{{Number: "2a"}, {Number: "2b"}, {Number: "2c"}}},
				{Status: "SUCCESS", CreatedAt: testNow.Add(-created + time.Hour), Tracking: []Tracking{{Number: "1a"}}},
			},
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	// ID order: X, Y, Z. Created: Y, Z, X (oldest first). Updated: Z, X, Y.
	add(100, "X", 1*day, 2*day, "30.00")
	add(200, "Y", 3*day, 1*time.Hour, "10.00")
	add(300, "Z", 2*day, 3*day, "20.00")
	return s, shop
}

func TestOrdersSortingAndPaging(t *testing.T) {
	s, shop := orderFixture(t)
	ts := serve(t, s)
	tests := []struct {
		args string
		want string // order names, comma-separated
	}{
		{"first: 10", "X,Y,Z"}, // default sortKey is ID
		{"first: 10, reverse: true", "Z,Y,X"},
		{"first: 10, sortKey: CREATED_AT", "Y,Z,X"},
		{"first: 10, sortKey: CREATED_AT, reverse: true", "X,Z,Y"},
		{"first: 10, sortKey: PROCESSED_AT", "Y,Z,X"},
		{"first: 10, sortKey: UPDATED_AT", "Z,X,Y"},
		{"first: 10, sortKey: UPDATED_AT, reverse: true", "Y,X,Z"},
		{"first: 10, sortKey: TOTAL_PRICE", "Y,Z,X"},
		{"first: 2, sortKey: CREATED_AT, reverse: true", "X,Z"},
		{"first: 0", ""},
		{"last: 1, sortKey: CREATED_AT", "X"},
		{"first: 250", "X,Y,Z"},
	}
	for _, tt := range tests {
		t.Run(tt.args, func(t *testing.T) {
			q := fmt.Sprintf(`{ customerByIdentifier(identifier: {emailAddress: "c@example.com"}) { orders(%s) { nodes { name } } } }`, tt.args)
			r := post(t, GraphQLURL(ts.URL, shop), "tok", q, nil)
			nodes, _ := dig(r.json, "data", "customerByIdentifier", "orders", "nodes").([]any)
			var names []string
			for _, n := range nodes {
				names = append(names, dig(n, "name").(string))
			}
			if got := strings.Join(names, ","); got != tt.want || r.json["errors"] != nil {
				t.Errorf("got %q, want %q; body %s", got, tt.want, r.body)
			}
		})
	}
}

func TestPagingLimits(t *testing.T) {
	s, shop := orderFixture(t)
	ts := serve(t, s)
	tests := []struct {
		name      string
		selection string
		wantErr   string // substring of errors[0].message; "" for none
		wantPath  []any
	}{
		{"first above 250 is an error", `orders(first: 251) { nodes { name } }`, "cannot exceed 250", []any{"customerByIdentifier", "orders"}},
		{"first or last is required", `orders { nodes { name } }`, "you must provide one of first or last", []any{"customerByIdentifier", "orders"}},
		{"cursors are refused loudly", `orders(first: 1, after: "abc") { nodes { name } }`, "not supported by the fake", []any{"customerByIdentifier", "orders"}},
		{"search queries are refused loudly", `orders(first: 1, query: "status:open") { nodes { name } }`, "not supported by the fake", []any{"customerByIdentifier", "orders"}},
		{"line items above 250", `orders(first: 1) { nodes { lineItems(first: 251) { nodes { title } } } }`, "cannot exceed 250",
			[]any{"customerByIdentifier", "orders", "nodes", float64(0), "lineItems"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := `{ customerByIdentifier(identifier: {emailAddress: "c@example.com"}) { ` + tt.selection + ` } }`
			r := post(t, GraphQLURL(ts.URL, shop), "tok", q, nil)
			msg, _ := dig(r.json, "errors", 0, "message").(string)
			if !strings.Contains(msg, tt.wantErr) || msg == "" {
				t.Fatalf("message %q, want %q; body %s", msg, tt.wantErr, r.body)
			}
			path, _ := dig(r.json, "errors", 0, "path").([]any)
			if !slices.Equal(path, tt.wantPath) {
				t.Errorf("path %v, want %v", path, tt.wantPath)
			}
			if dig(r.json, "errors", 0, "locations", 0, "line") == nil {
				t.Errorf("error has no location: %s", r.body)
			}
			// The connection is non-null, so the customer becomes null.
			if d, ok := r.json["data"].(map[string]any); !ok || d["customerByIdentifier"] != nil {
				t.Errorf("data %v, want customerByIdentifier: null", r.json["data"])
			}
		})
	}
}

func TestNestedListsHonourFirst(t *testing.T) {
	s, shop := orderFixture(t)
	ts := serve(t, s)
	q := `{ customerByIdentifier(identifier: {emailAddress: "c@example.com"}) { orders(first: 1) { nodes {
		currentSubtotalLineItemsQuantity
		two: lineItems(first: 2) { nodes { title } }
		reversed: lineItems(first: 1, reverse: true) { nodes { title } }
		lastOne: lineItems(last: 1) { nodes { title } }
		one: fulfillments(first: 1) { trackingInfo { number } }
		all: fulfillments { trackingInfo(first: 2) { number } }
	} } } }`
	r := post(t, GraphQLURL(ts.URL, shop), "tok", q, nil)
	o := dig(r.json, "data", "customerByIdentifier", "orders", "nodes", 0)
	checks := []struct {
		name      string
		got, want any
	}{
		{"item count covers unlisted lines", dig(o, "currentSubtotalLineItemsQuantity"), float64(6)},
		{"lineItems(first: 2)", len(dig(o, "two", "nodes").([]any)), 2},
		{"lineItems(first: 2) order", dig(o, "two", "nodes", 1, "title"), "B"},
		{"lineItems reverse", dig(o, "reversed", "nodes", 0, "title"), "C"},
		{"lineItems(last: 1)", dig(o, "lastOne", "nodes", 0, "title"), "C"},
		{"fulfillments(first: 1)", len(dig(o, "one").([]any)), 1},
		{"fulfillments oldest first", dig(o, "one", 0, "trackingInfo", 0, "number"), "1a"},
		{"fulfillments without first", len(dig(o, "all").([]any)), 2},
		{"trackingInfo(first: 2)", len(dig(o, "all", 1, "trackingInfo").([]any)), 2},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: got %#v, want %#v", c.name, c.got, c.want)
		}
	}
}

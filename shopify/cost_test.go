package shopify

import (
	"testing"

	"github.com/vektah/gqlparser/v2"
)

func TestRequestedCost(t *testing.T) {
	const byEmail = `customerByIdentifier(identifier: {emailAddress: "a@b.co"})`
	tests := []struct {
		name  string
		query string
		vars  map[string]any
		want  int
	}{
		{"scalars are free", `{ shop { name } }`, nil, 1},
		{"objects cost 1 each", `{ ` + byEmail + ` { defaultEmailAddress { emailAddress } } }`, nil, 2},
		{"money comes with its record", `{ ` + byEmail + ` { amountSpent { amount } } }`, nil, 1},
		{"a count costs 10", `{ customersCount { count } }`, nil, 10},

		{"connection of 1 is 2 + 1 node", `{ ` + byEmail + ` { orders(first: 1) { nodes { name } } } }`, nil, 1 + 2 + 1},
		{"connection of 10 is 2 + 4 nodes", `{ ` + byEmail + ` { orders(first: 10) { nodes { name } } } }`, nil, 1 + 2 + 4},
		{"connection of 250 is 2 + 11 nodes", `{ ` + byEmail + ` { orders(first: 250) { nodes { name } } } }`, nil, 1 + 2 + 11},
		{"last sizes a page too", `{ ` + byEmail + ` { orders(last: 50) { nodes { name } } } }`, nil, 1 + 2 + 7},
		{"the node's own selections repeat",
			`{ ` + byEmail + ` { orders(first: 5) { nodes { customer { id } } } } }`, nil, 1 + 2 + 3*(1+1)},
		{"nested connections multiply",
			`{ ` + byEmail + ` { orders(first: 5) { nodes { lineItems(first: 5) { nodes { title } } } } } }`, nil, 1 + 2 + 3*(1+2+3)},
		{"first from a variable",
			`query Q($n: Int) { ` + byEmail + ` { orders(first: $n) { nodes { name } } } }`, map[string]any{"n": 20}, 1 + 2 + 5},
		{"first from a JSON number",
			`query Q($n: Int) { ` + byEmail + ` { orders(first: $n) { nodes { name } } } }`, map[string]any{"n": float64(20)}, 1 + 2 + 5},
		{"first from a variable's default",
			`query Q($n: Int = 2) { ` + byEmail + ` { orders(first: $n) { nodes { name } } } }`, nil, 1 + 2 + 1},
		{"an unknown first is the largest page",
			`query Q($n: Int) { ` + byEmail + ` { orders(first: $n) { nodes { name } } } }`, nil, 1 + 2 + 11},
		{"nodes and edges both count",
			`{ customers(first: 5) { nodes { id } edges { cursor node { id } } } }`, nil, 2 + 3*(1+1)},
		{"a page of scalars is the connection's 2", `{ productTags(first: 250) { nodes } }`, nil, 2},
		{"pageInfo comes with the connection",
			`{ customers(first: 5) { nodes { id } pageInfo { hasNextPage } } }`, nil, 2 + 3},

		{"a plain list is one element, whatever its first",
			`{ order(id: "gid://shopify/Order/1") { fulfillments(first: 5) { trackingInfo(first: 5) { number } } } }`, nil, 1 + 1 + 1},
		{"a list without first is one element", `{ currentAppInstallation { accessScopes { handle } } }`, nil, 2},

		{"fragments are expanded",
			`{ ` + byEmail + ` { ...F } } fragment F on Customer { amountSpent { amount } defaultEmailAddress { emailAddress } }`, nil, 2},
		{"a field selected twice is charged once",
			`{ ` + byEmail + ` { defaultEmailAddress { emailAddress } ...F } } fragment F on Customer { defaultEmailAddress { marketingState } }`, nil, 2},
		{"aliases are separate fields",
			`{ a: ` + byEmail + ` { id } b: ` + byEmail + ` { id } }`, nil, 2},
		{"an interface costs its most expensive type",
			`{ node(id: "gid://shopify/Order/1") { ... on Customer { defaultEmailAddress { emailAddress } } ... on Order { customer { defaultEmailAddress { emailAddress } } } } }`, nil, 1 + 2},
		{"a fragment on an interface applies to the types that implement it",
			`{ node(id: "gid://shopify/Customer/1") { ... on HasMetafields { metafield(key: "a.b") { id } } ... on Customer { defaultEmailAddress { emailAddress } } } }`, nil, 1 + 2},
		{"a union costs its most expensive member",
			`{ shop { metafield(key: "a.b") { reference { ... on Collection { image { url } } ... on Product { id } } } } }`, nil, 1 + 1 + 1 + 1},

		{"a mutation is 10 with its payload and what it returns",
			`mutation { customerCreate(input: {email: "a@b.co"}) { customer { id } userErrors { field } } }`, nil, 10},
		{"what the returned objects select costs as in a query",
			`mutation { customerCreate(input: {email: "a@b.co"}) { customer { defaultEmailAddress { emailAddress } } } }`, nil, 10 + 1},
		{"each mutation field is charged",
			`mutation { a: customerDelete(input: {id: "gid://shopify/Customer/1"}) { deletedCustomerId } b: customerDelete(input: {id: "gid://shopify/Customer/2"}) { deletedCustomerId } }`, nil, 20},
		{"some mutations cost more",
			`mutation { fulfillmentTrackingInfoUpdate(fulfillmentId: "gid://shopify/Fulfillment/1", trackingInfoInput: {number: "1Z"}) { fulfillment { id } } }`, nil, 50},
	}
	real := realSchema(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, errs := gqlparser.LoadQuery(real, tt.query)
			if len(errs) > 0 {
				t.Fatal(errs)
			}
			if got := RequestedCost(real, doc.Operations[0], tt.vars); got != tt.want {
				t.Errorf("cost = %d, want %d", got, tt.want)
			}
		})
	}
}

// TestPageFactor pins the page factor to the sizes Shopify was seen to
// charge for.
func TestPageFactor(t *testing.T) {
	for first, want := range map[int]int{0: 1, 1: 1, 2: 1, 3: 2, 5: 3, 10: 4, 20: 5, 25: 6, 50: 7, 100: 9, 250: 11} {
		if got := pageFactor(first); got != want {
			t.Errorf("pageFactor(%d) = %d, want %d", first, got, want)
		}
	}
}

// TestRequestedCostMeetsShopify holds the rule to Shopify's own numbers:
// for every captured query, the estimate is never below what Shopify
// requested (or the client would send queries Shopify then throttles) and
// at most 1.5 times it (or the client would wait for points it does not
// need).
func TestRequestedCostMeetsShopify(t *testing.T) {
	real := realSchema(t)
	for _, c := range loadCapturedCosts(t) {
		t.Run(c.Name, func(t *testing.T) {
			op, err := capturedOperation(real, c)
			if err != nil {
				t.Fatal(err)
			}
			got, shopify := RequestedCost(real, op, c.Variables), c.RequestedQueryCost
			t.Logf("ours %d, Shopify's %d", got, shopify)
			if got < shopify {
				t.Errorf("estimate %d is below Shopify's requestedQueryCost %d", got, shopify)
			}
			if 2*got > 3*shopify {
				t.Errorf("estimate %d is more than 1.5 times Shopify's requestedQueryCost %d", got, shopify)
			}
		})
	}
}

// TestOperationsStayUnderCostLimit proves every query we send is accepted by
// Shopify's single-query limit, however many orders a customer has, and
// pins what each requests. The client prices requests with the subset
// schema, so it must agree with the real one.
func TestOperationsStayUnderCostLimit(t *testing.T) {
	want := map[string]int{
		// customer 1 + email 1 + phone 1 + orders(first: 50), which is
		// 2 + 7 × 9: an order 1, money 0, lineItems(first: 10) 2 + 4 × 1,
		// fulfillments 1 and their trackingInfo 1.
		"CustomerWithOrders": 68,
		// orders(first: 25): 2 + 6 × 9.
		"GuestOrders": 56,
		// One order: its summary (9) and fulfillmentsCount (10), its
		// customer and address, 50 line items (9), shipments with 5
		// events and 20 items each (18), refunds (1), and 10 returns of
		// 20 items (74).
		"OrderDetail": 123,
		// shop 1, currentAppInstallation 1, accessScopes 1.
		"ShopAccess": 3,
		// A mutation; the subscription and userErrors come with it.
		"WebhookSubscriptionCreate": 10,
		// orders(first: 5): 2 + 3 × 13, an order's summary 9 (as in
		// CustomerWithOrders), its customer, the customer's email and the
		// shipping address 3, its refunds (a plain list) 1.
		"OrdersByName": 41,
		// products(first: 10): 2 + 4 × 7, a product 1, its price range 1
		// (money is free) and variants(first: 5) 2 + 3 × 1.
		"SearchProducts": 30,
		// shop 1, primaryDomain 1, paymentSettings 1, shopPolicies 1.
		"ShopDetails": 4,
	}
	real := realSchema(t)
	seen := map[string]bool{}
	for name, src := range operationFiles(t) {
		doc, errs := gqlparser.LoadQuery(real, src)
		if len(errs) > 0 {
			t.Fatalf("%s: %v", name, errs)
		}
		sub, errs := gqlparser.LoadQuery(Schema(), src)
		if len(errs) > 0 {
			t.Fatalf("%s: %v", name, errs)
		}
		for _, op := range doc.Operations {
			seen[op.Name] = true
			cost := RequestedCost(real, op, nil)
			t.Logf("%s: requested cost %d of %d", op.Name, cost, MaxQueryCost)
			if w, ok := want[op.Name]; !ok {
				t.Errorf("%s costs %d: pin it in this test", op.Name, cost)
			} else if cost != w {
				t.Errorf("%s costs %d, want %d", op.Name, cost, w)
			}
			if cost > MaxQueryCost {
				t.Errorf("%s requests %d points; Shopify refuses queries above %d", op.Name, cost, MaxQueryCost)
			}
			if c := RequestedCost(Schema(), sub.Operations.ForName(op.Name), nil); c != cost {
				t.Errorf("%s costs %d by schema.graphql, %d by the real schema", op.Name, c, cost)
			}
		}
	}
	for name := range want {
		if !seen[name] {
			t.Errorf("no operation %s", name)
		}
	}
}

package fakeshopify

import (
	"compress/gzip"
	"encoding/json"
	"io"
	"os"
	"sync"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"shopcard/shopify"
)

// The fake's pricing answers to the same evidence as the client's: the
// costs Shopify recorded, vendored by the shopify package with the real
// schema they validate against.
const (
	capturedCostsFile = "../shopify/testdata/captured_costs.json"
	realSchemaFile    = "../shopify/testdata/admin-2026-07.graphql.gz"
)

var realSchemaOnce = sync.OnceValues(func() (*ast.Schema, error) {
	f, err := os.Open(realSchemaFile)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		return nil, err
	}
	return gqlparser.LoadSchema(&ast.Source{Name: "admin-2026-07.graphql", Input: string(b)})
})

// TestRequestedCostMeetsShopify: for every captured query, the fake asks
// at least what Shopify asked and at most 1.5 times it, so a client that
// fits the fake's bucket fits Shopify's.
func TestRequestedCostMeetsShopify(t *testing.T) {
	real, err := realSchemaOnce()
	if err != nil {
		t.Fatalf("load the real schema: %v", err)
	}
	b, err := os.ReadFile(capturedCostsFile)
	if err != nil {
		t.Fatal(err)
	}
	var captured []struct {
		Name               string         `json:"name"`
		Query              string         `json:"query"`
		Variables          map[string]any `json:"variables"`
		RequestedQueryCost int            `json:"requestedQueryCost"`
	}
	if err := json.Unmarshal(b, &captured); err != nil || len(captured) == 0 {
		t.Fatalf("%s: %d captures, %v", capturedCostsFile, len(captured), err)
	}
	for _, c := range captured {
		t.Run(c.Name, func(t *testing.T) {
			doc, errs := gqlparser.LoadQuery(real, c.Query)
			if len(errs) > 0 || len(doc.Operations) != 1 {
				t.Fatalf("%d operations, %v", len(doc.Operations), errs)
			}
			got, shopify := requestedCost(real, doc.Operations[0], c.Variables), c.RequestedQueryCost
			t.Logf("fake %d, Shopify %d", got, shopify)
			if got < shopify || 2*got > 3*shopify {
				t.Errorf("fake requests %d, Shopify %d: want from %d to 1.5 times that", got, shopify, shopify)
			}
		})
	}
}

// TestOperationCosts prices what the client sends by the fake's rule, and
// holds the client's own estimate to it: a client that misjudges a cost
// waits for points it does not need, or is THROTTLED.
func TestOperationCosts(t *testing.T) {
	tests := []struct {
		op   string
		vars map[string]any
		want int
	}{
		{shopify.CustomerWithOrders_Operation, map[string]any{"email": EmailOneOrder}, 68},
		{shopify.GuestOrders_Operation, map[string]any{"query": `email:"a@b.co"`}, 56},
		// What a cold sidebar section sends for one email: both of the
		// above in one document. At most 250, so eight cold sections fit
		// a Standard bucket (2000) at once.
		{lookupDoc(1), shopify.LookupVariables([]string{EmailOneOrder}), 124},
		{lookupDoc(5), shopify.LookupVariables([]string{"a@b.co", "b@b.co", "c@b.co", "d@b.co", "e@b.co"}), 620},
		{shopify.OrderDetail_Operation, map[string]any{"id": "gid://shopify/Order/1", "withReturns": true}, 123},
		{shopify.ShopAccess_Operation, nil, 3},
		{shopify.WebhookSubscriptionCreate_Operation, map[string]any{"topic": "ORDERS_CREATE", "uri": "https://example.test/hook"}, 10},
	}
	for _, tt := range tests {
		doc, errs := gqlparser.LoadQuery(shopify.Schema(), tt.op)
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		op := doc.Operations[0]
		t.Run(op.Name, func(t *testing.T) {
			if got := requestedCost(shopify.Schema(), op, tt.vars); got != tt.want {
				t.Errorf("fake requests %d, want %d", got, tt.want)
			}
			if n := len(tt.vars) / 2; op.Name == "SidebarLookup1" && requestedCost(shopify.Schema(), op, tt.vars) > 250*n {
				t.Errorf("a cold section of one email requests more than 250 points")
			}
			if got := shopify.RequestedCost(shopify.Schema(), op, tt.vars); got != tt.want {
				t.Errorf("client estimates %d, the fake requests %d", got, tt.want)
			}
		})
	}
}

func lookupDoc(n int) string {
	_, q := shopify.LookupDocument(n)
	return q
}

// TestActualCost prices answers: what came back, never more than what was
// requested.
func TestActualCost(t *testing.T) {
	const customer = `customerByIdentifier(identifier: {emailAddress: "a@b.co"})`
	order := func(fulfillments ...any) map[string]any {
		return map[string]any{"name": "#1", "fulfillments": fulfillments}
	}
	tracking := func(n int) map[string]any {
		var parcels []any
		for range n {
			parcels = append(parcels, map[string]any{"number": "1Z"})
		}
		return map[string]any{"trackingInfo": parcels}
	}
	orders := func(nodes ...any) map[string]any {
		return map[string]any{"customerByIdentifier": map[string]any{"orders": map[string]any{"nodes": nodes}}}
	}
	const ordersQuery = `{ ` + customer + ` { orders(first: 50) { nodes { name fulfillments(first: 2) { trackingInfo(first: 3) { number } } } } } }`
	// Requested: 1 + 2 + 7 × (1 + fulfillments 1 + trackingInfo 1) = 24.
	tests := []struct {
		name            string
		query           string
		data            map[string]any
		requested, want int
	}{
		{"everything came back", `{ shop { name } }`, map[string]any{"shop": map[string]any{"name": "Acme"}}, 1, 1},
		{"a missing customer is its own point", ordersQuery, map[string]any{"customerByIdentifier": nil}, 24, 1},
		{"an empty page is the connection's 2", ordersQuery, orders(), 24, 1 + 2},
		{"one order is charged as one",
			ordersQuery, orders(order(tracking(3))), 24, 1 + 2 + 1*(1+1+1)},
		{"three orders are charged as two, the dearest",
			ordersQuery, orders(order(), order(), order(tracking(1))), 24, 1 + 2 + 2*(1+1+1)},
		{"an empty list is its own point",
			ordersQuery, orders(order()), 24, 1 + 2 + 1*(1+1)},
		{"fifty orders are charged as seven",
			ordersQuery, orders(func() []any {
				var all []any
				for range 50 {
					all = append(all, order(tracking(3), tracking(3)))
				}
				return all
			}()...), 24, 24},
		{"aliases are priced apiece",
			`{ a: shop { name } b: shop { name } }`, map[string]any{"a": map[string]any{"name": "x"}, "b": map[string]any{"name": "x"}}, 2, 2},
		{"a field selected twice is priced once",
			`{ ` + customer + ` { defaultEmailAddress { emailAddress } ...F } } fragment F on Customer { defaultEmailAddress { emailAddress } }`,
			map[string]any{"customerByIdentifier": map[string]any{"defaultEmailAddress": map[string]any{"emailAddress": "a@b.co"}}}, 2, 2},
		{"a mutation's payload comes with its 10",
			`mutation { webhookSubscriptionCreate(topic: ORDERS_CREATE, webhookSubscription: {uri: "https://example.test/hook", format: JSON}) { userErrors { field } webhookSubscription { id } } }`,
			map[string]any{"webhookSubscriptionCreate": map[string]any{"userErrors": []any{}, "webhookSubscription": map[string]any{"id": "gid://shopify/WebhookSubscription/1"}}}, 10, 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, errs := gqlparser.LoadQuery(shopify.Schema(), tt.query)
			if len(errs) > 0 {
				t.Fatal(errs)
			}
			op := doc.Operations[0]
			requested := requestedCost(shopify.Schema(), op, nil)
			if requested != tt.requested {
				t.Errorf("requested %d, want %d", requested, tt.requested)
			}
			actual := actualCost(shopify.Schema(), op, nil, tt.data)
			if actual != tt.want {
				t.Errorf("actual %d, want %d", actual, tt.want)
			}
			if actual > requested {
				t.Errorf("actual %d above requested %d", actual, requested)
			}
		})
	}
}

func TestEntriesCharged(t *testing.T) {
	for n, want := range map[int]int{0: 0, 1: 1, 2: 1, 3: 2, 5: 3, 10: 4, 20: 5, 50: 7, 100: 9, 250: 11} {
		if got := entriesCharged(n); got != want {
			t.Errorf("entriesCharged(%d) = %d, want %d", n, got, want)
		}
	}
}

func TestCostExtension(t *testing.T) {
	s, ts, _ := startSeeded(t)
	doc, errs := gqlparser.LoadQuery(shopify.Schema(), shopify.CustomerWithOrders_Operation)
	if errs != nil {
		t.Fatal(errs)
	}
	requested := shopify.RequestedCost(shopify.Schema(), doc.Operations[0], map[string]any{"email": EmailOneOrder})

	tests := []struct {
		name       string
		email      string
		lessThanRq bool
	}{
		{"customer with one order costs less than requested", EmailOneOrder, true},
		{"no customer costs one point", EmailNoMatch, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, _ := s.ThrottleStatus(AcmeDomain)
			r := post(t, GraphQLURL(ts.URL, AcmeDomain), AcmeToken, shopify.CustomerWithOrders_Operation, map[string]any{"email": tt.email})
			cost := dig(r.json, "extensions", "cost")
			if got := dig(cost, "requestedQueryCost"); got != float64(requested) {
				t.Errorf("requestedQueryCost %v, want shopify.RequestedCost = %d", got, requested)
			}
			actual, _ := dig(cost, "actualQueryCost").(float64)
			if tt.lessThanRq && !(actual > 0 && int(actual) < requested) {
				t.Errorf("actualQueryCost %v, want between 1 and %d", actual, requested)
			}
			// The clock stands still, so the bucket lost exactly the actual cost.
			if got := dig(cost, "throttleStatus", "currentlyAvailable"); got != float64(before.CurrentlyAvailable)-actual {
				t.Errorf("currentlyAvailable %v, want %d - %v", got, before.CurrentlyAvailable, actual)
			}
			if dig(cost, "throttleStatus", "maximumAvailable") != float64(2000) || dig(cost, "throttleStatus", "restoreRate") != float64(100) {
				t.Errorf("throttleStatus %v, want 2000 at 100/s", dig(cost, "throttleStatus"))
			}
		})
	}

	t.Run("no customer is exactly one point", func(t *testing.T) {
		r := post(t, GraphQLURL(ts.URL, AcmeDomain), AcmeToken, shopify.CustomerWithOrders_Operation, map[string]any{"email": EmailNoMatch})
		if got := dig(r.json, "extensions", "cost", "actualQueryCost"); got != float64(1) {
			t.Errorf("actualQueryCost %v, want 1", got)
		}
	})
	t.Run("a full page costs what was requested", func(t *testing.T) {
		q := `{ shop { name } currentAppInstallation { accessScopes { handle } } }`
		r := post(t, GraphQLURL(ts.URL, AcmeDomain), AcmeToken, q, nil)
		if rq, ac := dig(r.json, "extensions", "cost", "requestedQueryCost"), dig(r.json, "extensions", "cost", "actualQueryCost"); rq != ac || rq != float64(2+1) {
			t.Errorf("requested %v, actual %v, want both 3", rq, ac)
		}
	})
}

package shopify

import (
	"testing"

	"github.com/vektah/gqlparser/v2"
)

func TestRequestedCost(t *testing.T) {
	tests := []struct {
		name  string
		query string
		vars  map[string]any
		want  int
	}{
		{"scalars are free", `{ shop { name } }`, nil, 1},
		{"object nesting", `{ customerByIdentifier(identifier: {emailAddress: "a@b.co"}) { defaultEmailAddress { emailAddress } } }`, nil, 2},
		{"connection is 2 + first x node",
			`{ customerByIdentifier(identifier: {emailAddress: "a@b.co"}) { orders(first: 10) { nodes { name } } } }`, nil, 1 + 2 + 10*1},
		{"first from a variable",
			`query Q($n: Int) { customerByIdentifier(identifier: {emailAddress: "a@b.co"}) { orders(first: $n) { nodes { name } } } }`,
			map[string]any{"n": 7}, 1 + 2 + 7},
		{"list with first multiplies",
			`{ customerByIdentifier(identifier: {emailAddress: "a@b.co"}) { orders(first: 1) { nodes { fulfillments(first: 4) { trackingInfo(first: 2) { number } } } } } }`,
			nil, 1 + 2 + 1*(1+4*(1+2*1))},
		{"list without first counts once", `{ currentAppInstallation { accessScopes { handle } } }`, nil, 2},
		{"fragments are expanded",
			`{ customerByIdentifier(identifier: {emailAddress: "a@b.co"}) { ...F } } fragment F on Customer { amountSpent { amount } }`, nil, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, errs := gqlparser.LoadQuery(Schema(), tt.query)
			if len(errs) > 0 {
				t.Fatal(errs)
			}
			if got := RequestedCost(doc.Operations[0], tt.vars); got != tt.want {
				t.Errorf("cost = %d, want %d", got, tt.want)
			}
		})
	}
}

// TestOperationsStayUnderCostLimit proves every query we send is accepted by
// Shopify's single-query limit, however many orders a customer has.
func TestOperationsStayUnderCostLimit(t *testing.T) {
	for name, src := range operationFiles(t) {
		doc, errs := gqlparser.LoadQuery(Schema(), src)
		if len(errs) > 0 {
			t.Fatalf("%s: %v", name, errs)
		}
		for _, op := range doc.Operations {
			cost := RequestedCost(op, nil)
			t.Logf("%s: requested cost %d of %d", op.Name, cost, MaxQueryCost)
			if cost >= MaxQueryCost {
				t.Errorf("%s requests %d points; Shopify refuses queries above %d", op.Name, cost, MaxQueryCost)
			}
			if cost == 0 {
				t.Errorf("%s costs 0: the calculator is not seeing it", op.Name)
			}
		}
	}
}

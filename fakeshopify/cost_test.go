package fakeshopify

import (
	"testing"

	"github.com/vektah/gqlparser/v2"

	"shopcard/shopify"
)

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

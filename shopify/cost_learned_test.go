package shopify_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"testing"
	"time"

	"shopcard/domain"
	"shopcard/fakeshopify"
	"shopcard/shopify"
)

// reportingCost serves the fake Shopify but rewrites every answer's
// requestedQueryCost to claim requested, as Shopify's own figure for a
// query may differ from our estimate.
func reportingCost(fake *fakeshopify.Server, requested string) http.Handler {
	re := regexp.MustCompile(`"requestedQueryCost":[0-9]+`)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		fake.ServeHTTP(rec, r)
		body := re.ReplaceAll(rec.Body.Bytes(), []byte(`"requestedQueryCost":`+requested))
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(rec.Code)
		w.Write(body)
	})
}

// TestClientReservesWhatShopifyRequested: before a shop's first answer the
// client reserves its own estimate; from then on what Shopify said that
// operation requested of that shop, within bounds (an absurd figure is
// taken as the most one query may request, and a missing one changes
// nothing). Another shop still gets the estimate.
func TestClientReservesWhatShopifyRequested(t *testing.T) {
	tests := []struct {
		name     string
		reported string
		want     func(estimate int) int
	}{
		{"as reported", "42", func(int) int { return 42 }},
		{"above the single-query limit", "999999999", func(int) int { return shopify.MaxQueryCost }},
		{"zero is no figure", "0", func(estimate int) int { return estimate }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := fakeshopify.NewSeeded(nil)
			srv := httptest.NewServer(reportingCost(fake, tt.reported))
			defer srv.Close()
			c, err := shopify.NewClient(shopify.Options{URLTemplate: srv.URL + fakeshopify.ShopURLTemplate})
			if err != nil {
				t.Fatal(err)
			}
			estimate := c.CostToReserve(fakeshopify.AcmeDomain, "ShopAccess", shopify.ShopAccess_Operation)
			if estimate <= 0 {
				t.Fatalf("estimate %d before any answer", estimate)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if _, err := c.CheckAccess(ctx, fakeshopify.AcmeDomain, domain.NewSecret(fakeshopify.AcmeToken)); err != nil {
				t.Fatal(err)
			}
			if got, want := c.CostToReserve(fakeshopify.AcmeDomain, "ShopAccess", shopify.ShopAccess_Operation), tt.want(estimate); got != want {
				t.Errorf("reserves %d after Shopify reported %s, want %d", got, tt.reported, want)
			}
			if got := c.CostToReserve(fakeshopify.NordicDomain, "ShopAccess", shopify.ShopAccess_Operation); got != estimate {
				t.Errorf("another shop reserves %d, want the estimate %d", got, estimate)
			}
		})
	}
}

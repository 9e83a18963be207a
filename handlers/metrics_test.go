package handlers_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"shopcard/fakeshopify"
	"shopcard/internal/apptest"
)

// TestPublicMetricsNameNoShop: /metrics on the public port, whose series
// name every tenant's shops, is served only to the bearer of
// SHOPCARD_METRICS_TOKEN, and not at all without one configured.
func TestPublicMetricsNameNoShop(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, token, auth string
		want              int
	}{
		{"no token configured", "", "", http.StatusNotFound},
		{"no token configured, a bearer sent", "", "Bearer " + apptest.MetricsToken, http.StatusNotFound},
		{"token configured, none sent", apptest.MetricsToken, "", http.StatusUnauthorized},
		{"token configured, a wrong one sent", apptest.MetricsToken, "Bearer not-the-metrics-token-at-all", http.StatusUnauthorized},
		{"token configured, a prefix of it sent", apptest.MetricsToken, "Bearer " + apptest.MetricsToken[:10], http.StatusUnauthorized},
		{"token configured, it sent", apptest.MetricsToken, "Bearer " + apptest.MetricsToken, http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env := apptest.Start(t, apptest.Options{Env: map[string]string{"SHOPCARD_METRICS_TOKEN": tt.token}})
			// A Shopify call, so that the metrics name a shop.
			env.Section(t, fakeshopify.AcmeDomain, fakeshopify.EmailShowcase)
			req, _ := http.NewRequest(http.MethodGet, env.URL+"/metrics", nil)
			if tt.auth != "" {
				req.Header.Set("Authorization", tt.auth)
			}
			resp, err := env.Srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != tt.want {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.want)
			}
			if named := strings.Contains(string(body), fakeshopify.AcmeDomain); named != (tt.want == http.StatusOK) {
				t.Errorf("the shop's domain in the answer: %v", named)
			}
		})
	}
}

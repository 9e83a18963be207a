package e2e

import (
	"net/http"
	"path/filepath"
	"strings"
	"testing"
)

// TestServeGuardsMetricsAndHeaders: with SHOPCARD_METRICS_TOKEN, /metrics
// opens to its bearer only, on the public port and the metrics listener
// alike; and serve refuses a request whose headers are larger than any
// real one (a token is at most 8 KiB) before any handler reads them.
func TestServeGuardsMetricsAndHeaders(t *testing.T) {
	t.Parallel()
	const token = "a-metrics-token-for-the-e2e-test"
	getenv := testGetenv(map[string]string{"SHOPCARD_METRICS_TOKEN": token, "SHOPCARD_LOG_LEVEL": "warn"})
	base, metricsURL, _ := startServerWithMetrics(t, getenv, filepath.Join(t.TempDir(), "m.db"))
	get := func(url, auth string, header map[string]string) int {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, url, nil)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		for k, v := range header {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	for _, url := range []string{base + "/metrics", metricsURL} {
		tests := []struct {
			auth string
			want int
		}{
			{"", http.StatusUnauthorized},
			{"Bearer wrong-token-wrong-token", http.StatusUnauthorized},
			{"Basic " + token, http.StatusUnauthorized},
			{"Bearer " + token, http.StatusOK},
			{"bearer " + token, http.StatusOK},
		}
		for _, tt := range tests {
			if got := get(url, tt.auth, nil); got != tt.want {
				t.Errorf("%s with %q: %d, want %d", url, tt.auth, got, tt.want)
			}
		}
	}
	if got := get(base+"/sidebar", "", map[string]string{"X-Shopcard-Token": strings.Repeat("A", 64<<10)}); got != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("a 64 KiB header: %d, want 431", got)
	}
	if got := get(base+"/sidebar?token="+strings.Repeat("A", 64<<10), "", nil); got != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("a 64 KiB query: %d, want 431", got)
	}
}

package e2e

import (
	"bufio"
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"shopcard/internal/cli"
	"strings"
	"testing"
	"time"

	"shopcard/fakeshopify"
)

// testGetenv returns a getenv for run() with the given settings and nothing
// from the real environment.
func testGetenv(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

// runCLI runs one shopcard command through run() and returns its output.
func runCLI(tb testing.TB, getenv func(string) string, stdin string, args ...string) (string, error) {
	tb.Helper()
	var out, errOut strings.Builder
	err := cli.Run(context.Background(), append([]string{"shopcard"}, args...), getenv, strings.NewReader(stdin), &out, &errOut)
	return out.String() + errOut.String(), err
}

// startServer runs `shopcard serve` through run() on a free port and waits
// until /readyz answers. It returns the base URL and a stop function that
// shuts the server down and reports run()'s error.
func startServer(tb testing.TB, getenv func(string) string, db string) (string, func() error) {
	tb.Helper()
	base, _, stop := startServerWithMetrics(tb, getenv, db)
	return base, stop
}

// startServerWithMetrics is startServer that also returns the metrics
// listener's URL. Unless getenv sets SHOPCARD_METRICS_ADDR, metrics go to
// any free loopback port: tests run side by side.
func startServerWithMetrics(tb testing.TB, getenv func(string) string, db string) (string, string, func() error) {
	tb.Helper()
	configured := getenv
	getenv = func(k string) string {
		if v := configured(k); v != "" || k != "SHOPCARD_METRICS_ADDR" {
			return v
		}
		return "127.0.0.1:0"
	}
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- cli.Run(ctx, []string{"shopcard", "serve", "--addr", "127.0.0.1:0", "--db", db}, getenv, strings.NewReader(""), pw, io.Discard)
		pw.Close()
	}()
	urls, metricsURLs := make(chan string, 1), make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			if m := regexp.MustCompile(`listening on (http://\S+)`).FindStringSubmatch(sc.Text()); m != nil {
				urls <- m[1]
			}
			if m := regexp.MustCompile(`metrics on (http://\S+)`).FindStringSubmatch(sc.Text()); m != nil {
				metricsURLs <- m[1]
			}
		}
	}()
	var base string
	select {
	case base = <-urls:
	case err := <-done:
		cancel()
		tb.Fatalf("server exited: %v", err)
	case <-time.After(20 * time.Second):
		cancel()
		tb.Fatal("server did not start")
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			cancel()
			tb.Fatal("server never became ready")
		}
		time.Sleep(20 * time.Millisecond)
	}
	stopped := false
	stop := func() error {
		if stopped {
			return nil
		}
		stopped = true
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(20 * time.Second):
			return context.DeadlineExceeded
		}
	}
	tb.Cleanup(func() { stop() })
	var metricsURL string
	if getenv("SHOPCARD_METRICS_ADDR") != "off" {
		select {
		case metricsURL = <-metricsURLs:
		case <-time.After(10 * time.Second):
			tb.Fatal("the server did not say where its metrics are")
		}
	}
	return base, metricsURL, stop
}

func TestEndToEnd(t *testing.T) {
	t.Parallel()
	fake := fakeshopify.NewSeeded(nil)
	fakeSrv := httptest.NewServer(fake)
	defer fakeSrv.Close()
	db := filepath.Join(t.TempDir(), "e2e.db")
	getenv := testGetenv(map[string]string{
		"SHOPCARD_SHOPIFY_URL":     fakeSrv.URL + fakeshopify.ShopURLTemplate,
		"SHOPCARD_FRAME_ANCESTORS": "https://inbox.example.com",
		"SHOPCARD_LOG_LEVEL":       "warn",
	})

	out, err := runCLI(t, getenv, "", "workspace", "create", "acme", "--db", db)
	if err != nil || !strings.Contains(out, "Embed secret") {
		t.Fatalf("workspace create: %v\n%s", err, out)
	}

	// Connecting a store checks the domain, the token and its scopes.
	connects := []struct {
		name, domain, token, want string
		ok                        bool
	}{
		{"storefront domain", "shop.acme-outfitters.com", fakeshopify.AcmeToken, "looks like a storefront domain", false},
		{"a URL", "https://acme-outfitters.myshopify.com/admin", fakeshopify.AcmeToken, "Enter just the store's domain, acme-outfitters.myshopify.com", false},
		{"revoked token", fakeshopify.AcmeDomain, "shpat_wrong", "rejected this store's access token (401)", false},
		{"missing scope", fakeshopify.AcmeDomain, fakeshopify.AcmeTokenCustomersOnly, "missing the read_orders scope", false},
		{"good", "ACME-Outfitters.myshopify.com", fakeshopify.AcmeToken, "Connected acme-outfitters.myshopify.com", true},
		{"second store", fakeshopify.NordicDomain, fakeshopify.NordicToken, "Without read_all_orders", true},
	}
	for _, c := range connects {
		t.Run("stores add/"+c.name, func(t *testing.T) {
			out, err := runCLI(t, getenv, c.token+"\n", "stores", "add", "--workspace", "acme", "--domain", c.domain, "--db", db)
			if (err == nil) != c.ok {
				t.Fatalf("err = %v, want ok=%v\n%s", err, c.ok, out)
			}
			msg := out
			if err != nil {
				msg += err.Error()
			}
			if !strings.Contains(msg, c.want) {
				t.Errorf("output %q does not say %q", msg, c.want)
			}
			if strings.Contains(msg, c.token) {
				t.Error("the token was echoed")
			}
		})
	}
	out, err = runCLI(t, getenv, "", "stores", "list", "--db", db)
	if err != nil || !strings.Contains(out, fakeshopify.AcmeDomain) || !strings.Contains(out, fakeshopify.NordicDomain) || strings.Contains(out, "shpat_") {
		t.Fatalf("stores list: %v\n%s", err, out)
	}
	token, err := runCLI(t, getenv, "", "token", "--workspace", "acme", "--email", fakeshopify.EmailShowcase, "--name", "Maya", "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	token = strings.TrimSpace(token)

	base, metricsURL, stop := startServerWithMetrics(t, getenv, db)
	resp, err := http.Get(base + "/sidebar?token=" + token)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || strings.Count(string(page), `data-testid="store-section"`) != 2 {
		t.Fatalf("sidebar: %d\n%s", resp.StatusCode, page)
	}
	// Nothing is cached yet: each section will replace the typical
	// skeleton, and its URL says so.
	fragments := regexp.MustCompile(`hx-get="(/sidebar/stores/\d+\?cold=1)"`).FindAllStringSubmatch(string(page), -1)
	if len(fragments) != 2 {
		t.Fatalf("%d fragment URLs in the page", len(fragments))
	}
	for _, f := range fragments {
		req, _ := http.NewRequest(http.MethodGet, base+f[1], nil)
		req.Header.Set("X-Shopcard-Token", token)
		req.Header.Set("HX-Request", "true")
		req.Header.Set("Accept-Encoding", "gzip")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		if resp.Header.Get("Content-Encoding") != "gzip" {
			t.Errorf("%s is not gzip-compressed", f[1])
		}
		zr, err := gzip.NewReader(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(zr)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "Maya Chen") {
			t.Errorf("%s: %d\n%.300s", f[1], resp.StatusCode, body)
		}
	}
	// Metrics, which name every store, are on their own loopback
	// listener, and not on the public port.
	resp, err = http.Get(metricsURL)
	if err != nil {
		t.Fatal(err)
	}
	metrics, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(metrics), `shopcard_shopify_requests_total{outcome="ok",store="acme-outfitters.myshopify.com"} 1`) {
		t.Errorf("metrics:\n%s", metrics)
	}
	resp, err = http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	public, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound || strings.Contains(string(public), "myshopify.com") {
		t.Errorf("the public port's /metrics: %d\n%s", resp.StatusCode, public)
	}
	if err := stop(); err != nil {
		t.Errorf("graceful shutdown: %v", err)
	}
	if _, err := http.Get(base + "/healthz"); err == nil {
		t.Error("server still answers after shutdown")
	}
}

func TestCommandsHaveHelp(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"--help"}, {"serve", "--help"}, {"demo", "--help"}, {"workspace", "--help"}, {"stores", "--help"},
		{"stores", "add", "--help"}, {"stores", "list", "--help"}, {"stores", "remove", "--help"},
		{"stores", "set-webhook-secret", "--help"}, {"stores", "subscribe-webhooks", "--help"}, {"token", "--help"}, {"dev", "--help"}, {"admin", "--help"},
		{"api-key", "--help"}, {"api-key", "create", "--help"}, {"api-key", "list", "--help"}, {"api-key", "revoke", "--help"},
		{"ai-actions", "--help"}, {"ai-actions", "list", "--help"}, {"ai-actions", "set", "--help"}, {"db", "--help"}, {"db", "copy", "--help"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			out, err := runCLI(t, testGetenv(nil), "", args...)
			if err != nil || !strings.Contains(out, "Usage: shopcard") {
				t.Errorf("err %v, output %q", err, out)
			}
		})
	}
	if _, err := runCLI(t, testGetenv(nil), "", "frobnicate"); err == nil {
		t.Error("an unknown command succeeded")
	}
}

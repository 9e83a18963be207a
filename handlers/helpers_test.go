package handlers_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"shopcard/domain"
	"shopcard/handlers"
	"shopcard/internal/apptest"
	"shopcard/present"
	"shopcard/views"
)

// testEnv is the whole application (app.New) in front of the fake
// Shopify, with Acme, Nordic and Sakura connected to acme-support.
type testEnv struct{ *apptest.Env }

// envOptions change the environment for a test.
type envOptions struct {
	storeTimeout time.Duration // the section deadline; 3 s by default
	// appSecret is SHOPCARD_SHOPIFY_CLIENT_SECRET; empty for no Shopify
	// app at all.
	appSecret string
	// logOutput and logLevel replace the log buffer tests read (debug
	// level); benchmarks log at info to io.Discard, as production would
	// to stderr.
	logOutput io.Writer
	logLevel  string
	// now is the application's clock; the test clock by default.
	now func() time.Time
}

func newTestEnv(tb testing.TB, opts ...func(*envOptions)) *testEnv {
	tb.Helper()
	var o envOptions
	for _, f := range opts {
		f(&o)
	}
	a := apptest.Options{Now: o.now, LogOutput: o.logOutput, LogLevel: o.logLevel, NoOAuth: o.appSecret == "", Env: map[string]string{}}
	if o.storeTimeout > 0 {
		a.Env["SHOPCARD_SHOPIFY_TIMEOUT"] = o.storeTimeout.String()
	}
	if o.appSecret != "" {
		a.Env["SHOPCARD_SHOPIFY_CLIENT_ID"] = "test-app"
		a.Env["SHOPCARD_SHOPIFY_CLIENT_SECRET"] = o.appSecret
	}
	return &testEnv{apptest.Start(tb, a)}
}

// fragment fetches a store section with or without Accept-Encoding: gzip
// and returns the response and its HTML.
func (e *testEnv) fragment(t *testing.T, storeDomain, token string, gz bool) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, e.URL+apptest.SectionPath(e.Stores[storeDomain]), nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set(handlers.TokenHeader, token)
	req.Header.Set("HX-Request", "true")
	if gz {
		req.Header.Set("Accept-Encoding", "gzip")
	}
	resp, err := (&http.Client{Transport: &http.Transport{DisableCompression: true}}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body io.Reader = resp.Body
	if resp.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		body = zr
	}
	b, err := io.ReadAll(body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

// renderSection is a store section as presenting and rendering results at
// now give it, without any cache.
func (e *testEnv) renderSection(t *testing.T, store domain.Store, results []present.Result, now time.Time) string {
	t.Helper()
	var buf bytes.Buffer
	section := present.Section(present.LoadingSection(store, apptest.SectionPath(store)), store, results, apptest.OrderPaths(store), now)
	if err := views.StoreSectionBody(section).Render(context.Background(), &buf); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// metricValue reads one series' value from a /metrics page; 0 when the
// series is absent.
func metricValue(t *testing.T, metrics, series string) float64 {
	t.Helper()
	for _, line := range strings.Split(metrics, "\n") {
		if v, ok := strings.CutPrefix(line, series+" "); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Fatalf("%s: %v", line, err)
			}
			return f
		}
	}
	return 0
}

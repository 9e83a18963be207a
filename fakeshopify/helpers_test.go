package fakeshopify

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/Khan/genqlient/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// testNow is the fixed instant tests start from.
var testNow = time.Date(2026, 7, 15, 12, 0, 0, 0, time.UTC)

// readAll is a token's scopes when it may read every customer and order.
var readAll = []string{"read_customers", "read_orders", "read_all_orders"}

// testClock is a clock tests step by hand, so bucket refills and the
// 60-day window are deterministic.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func newTestClock() *testClock { return &testClock{now: testNow} }

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func serve(tb testing.TB, s *Server) *httptest.Server {
	tb.Helper()
	ts := httptest.NewServer(s)
	tb.Cleanup(ts.Close)
	return ts
}

// tokenTransport sets the access token header, as shopcard's client does.
type tokenTransport struct{ token string }

func (t tokenTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("X-Shopify-Access-Token", t.token)
	return http.DefaultTransport.RoundTrip(r)
}

// client is the generated genqlient client pointed at one store.
func client(ts *httptest.Server, shop, token string) graphql.Client {
	return graphql.NewClient(GraphQLURL(ts.URL, shop), &http.Client{Transport: tokenTransport{token}})
}

// rawResponse is an HTTP answer with its body decoded loosely, for
// checking shapes the generated client hides.
type rawResponse struct {
	status int
	header http.Header
	body   []byte
	json   map[string]any
}

// post sends a GraphQL request and decodes whatever comes back.
func post(tb testing.TB, url, token, query string, vars map[string]any) rawResponse {
	tb.Helper()
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		tb.Fatal(err)
	}
	return do(tb, http.MethodPost, url, token, "application/json", body)
}

func do(tb testing.TB, method, url, token, contentType string, body []byte) rawResponse {
	tb.Helper()
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	if token != "" {
		req.Header.Set("X-Shopify-Access-Token", token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatal(err)
	}
	out := rawResponse{status: resp.StatusCode, header: resp.Header, body: b}
	_ = json.Unmarshal(b, &out.json) // some bodies are not objects; tests check body then
	return out
}

// dig walks a decoded JSON value by object keys and array indices.
func dig(v any, path ...any) any {
	for _, p := range path {
		switch p := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				return nil
			}
			v = m[p]
		case int:
			l, ok := v.([]any)
			if !ok || p >= len(l) {
				return nil
			}
			v = l[p]
		}
	}
	return v
}

// errorCodes lists errors[*].extensions.code.
func errorCodes(r rawResponse) []any {
	var codes []any
	errs, _ := r.json["errors"].([]any)
	for _, e := range errs {
		codes = append(codes, dig(e, "extensions", "code"))
	}
	return codes
}

// isShopifyAnswer reports whether err is Shopify answering (GraphQL errors
// or an HTTP status) rather than the request failing.
func isShopifyAnswer(err error) bool {
	var list gqlerror.List
	var httpErr *graphql.HTTPError
	return errors.As(err, &list) || errors.As(err, &httpErr)
}

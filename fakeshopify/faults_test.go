package fakeshopify

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/Khan/genqlient/graphql"

	"shopcard/shopify"
)

func TestForcedStatus(t *testing.T) {
	tests := []struct {
		status     int
		wantBody   string
		retryAfter string
	}{
		{401, invalidTokenMessage, ""},
		{402, "Unavailable Shop", ""},
		{403, "[API] This action requires merchant approval for read_orders scope.", ""},
		{404, "Not Found", ""},
		{423, "Locked", ""},
		{429, "Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.", "2.0"},
		{500, "Internal Server Error", ""},
		{502, "Bad Gateway", ""},
		{503, "Service Unavailable", ""},
	}
	for _, tt := range tests {
		t.Run(http.StatusText(tt.status), func(t *testing.T) {
			s, ts, _ := startSeeded(t)
			if err := s.SetFaults(AcmeDomain, Faults{Status: tt.status}); err != nil {
				t.Fatal(err)
			}
			r := post(t, GraphQLURL(ts.URL, AcmeDomain), AcmeToken, `{ shop { name } }`, nil)
			if r.status != tt.status || r.json["errors"] != tt.wantBody {
				t.Errorf("got %d %s, want %d %q", r.status, r.body, tt.status, tt.wantBody)
			}
			if got := r.header.Get("Retry-After"); got != tt.retryAfter {
				t.Errorf("Retry-After %q, want %q", got, tt.retryAfter)
			}
			// The generated client reports it as an HTTP error.
			_, err := shopify.ShopAccess(context.Background(), client(ts, AcmeDomain, AcmeToken))
			var httpErr *graphql.HTTPError
			if !errors.As(err, &httpErr) || httpErr.StatusCode != tt.status {
				t.Errorf("client error %v, want HTTP %d", err, tt.status)
			}
			// Other stores are unaffected.
			if got := post(t, GraphQLURL(ts.URL, NordicDomain), NordicToken, `{ shop { name } }`, nil).status; got != 200 {
				t.Errorf("Nordic Goods answered %d", got)
			}
		})
	}
}

func TestFailNextThenRecover(t *testing.T) {
	s, ts, _ := startSeeded(t)
	if err := s.SetFaults(AcmeDomain, Faults{FailNext: 2, FailNextStatus: 502, Status: 0}); err != nil {
		t.Fatal(err)
	}
	var got []int
	for range 4 {
		got = append(got, post(t, GraphQLURL(ts.URL, AcmeDomain), AcmeToken, `{ shop { name } }`, nil).status)
	}
	if want := []int{502, 502, 200, 200}; !equalInts(got, want) {
		t.Errorf("statuses %v, want %v", got, want)
	}
	if n := s.Requests(AcmeDomain); n != 4 {
		t.Errorf("Requests = %d, want 4 (failed ones count)", n)
	}
	s.ResetRequests(AcmeDomain)
	if n := s.Requests(AcmeDomain); n != 0 {
		t.Errorf("after reset, Requests = %d", n)
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestLatencyRespectsCancellation(t *testing.T) {
	s := NewSeeded(func() time.Time { return testNow })
	// An hour: if the handler ignored cancellation, the test would time out.
	if err := s.SetFaults(AcmeDomain, Faults{Latency: time.Hour}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req := httptest.NewRequestWithContext(ctx, http.MethodPost, GraphQLPath(AcmeDomain, "2026-07"), strings.NewReader(`{"query":"{ shop { name } }"}`))
	req.Header.Set("X-Shopify-Access-Token", AcmeToken)
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	if rec.Body.Len() != 0 {
		t.Errorf("answered a client that had gone: %s", rec.Body)
	}
	if s.Requests(AcmeDomain) != 1 {
		t.Errorf("the request was not counted")
	}
}

func TestLatencyDelaysTheAnswer(t *testing.T) {
	s := NewSeeded(func() time.Time { return testNow })
	if err := s.SetFaults(AcmeDomain, Faults{Latency: time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodPost, GraphQLPath(AcmeDomain, "2026-07"), strings.NewReader(`{"query":"{ shop { name } }"}`))
	req.Header.Set("X-Shopify-Access-Token", AcmeToken)
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "Acme Outfitters") {
		t.Errorf("after the delay: %d %s", rec.Code, rec.Body)
	}
}

func TestSetFaultsValidates(t *testing.T) {
	s := NewSeeded(nil)
	tests := []struct {
		name string
		f    Faults
		ok   bool
	}{
		{"healthy", Faults{}, true},
		{"every fault", Faults{Latency: time.Second, Status: 503, FailNext: 1, FailNextStatus: 429, ThrottleNext: 1, WithholdProtectedData: true}, true},
		{"status Shopify does not send", Faults{Status: 418}, false},
		{"failNext without a status", Faults{FailNext: 1}, false},
		{"negative latency", Faults{Latency: -time.Second}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := s.SetFaults(AcmeDomain, tt.f); (err == nil) != tt.ok {
				t.Errorf("err = %v, want ok = %v", err, tt.ok)
			}
		})
	}
	if err := s.SetFaults("nope.myshopify.com", Faults{}); !errors.Is(err, ErrUnknownStore) {
		t.Errorf("unknown store: %v", err)
	}
}

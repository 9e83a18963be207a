package handlers_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/labstack/echo/v4"

	"shopcard/domain"
	"shopcard/fakeshopify"
	"shopcard/handlers"
	"shopcard/internal/apptest"
)

// The benchmarks below measure the sidebar's hot path with a realistic
// answer: the fake's Jordan Rivera, whose 60 orders come back as the newest
// 50 with their items, shipments and tracking. See README "Performance".

// benchAnswer50 looks up Jordan through the real chain once and returns the
// environment, the store and the answer (now cached).
func benchAnswer50(b *testing.B) (*testEnv, domain.Store, *domain.CustomerOrders) {
	b.Helper()
	return benchAnswer(b, fakeshopify.EmailSixtyOrders, 50)
}

// benchAnswer looks a contact up through the real chain once and checks
// the answer has orders orders.
func benchAnswer(b *testing.B, email string, orders int) (*testEnv, domain.Store, *domain.CustomerOrders) {
	b.Helper()
	env := newTestEnv(b, func(o *envOptions) { o.logOutput = io.Discard; o.logLevel = "info" })
	store := env.Stores[fakeshopify.AcmeDomain]
	answer, err := env.App.Lookup.LookupCustomer(context.Background(), store, email)
	if err != nil {
		b.Fatal(err)
	}
	if len(answer.Orders) != orders {
		b.Fatalf("%d orders, want %d", len(answer.Orders), orders)
	}
	return env, store, answer
}

// fragmentBench is the cache-hit fragment request and the bytes shopcard
// answers it with, for a client that accepts gzip or not.
type fragmentBench struct {
	handler http.Handler
	req     func() *http.Request
	body    []byte
	header  http.Header
}

func newFragmentBench(b *testing.B, acceptGzip bool) fragmentBench {
	b.Helper()
	return newFragmentBenchFor(b, acceptGzip, fakeshopify.EmailSixtyOrders, 50)
}

func newFragmentBenchFor(b *testing.B, acceptGzip bool, email string, orders int) fragmentBench {
	b.Helper()
	env, store, _ := benchAnswer(b, email, orders)
	tok := env.Token(b, email)
	path := apptest.SectionPath(store)
	req := func() *http.Request {
		r := httptest.NewRequest(http.MethodGet, path, nil)
		r.Header.Set(handlers.TokenHeader, tok)
		r.Header.Set("HX-Request", "true")
		if acceptGzip {
			r.Header.Set("Accept-Encoding", "gzip, deflate, br")
		}
		return r
	}
	h := env.Srv.Config.Handler
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req())
	if rec.Code != http.StatusOK {
		b.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	if gz := rec.Header().Get("Content-Encoding") == "gzip"; gz != acceptGzip {
		b.Fatalf("Content-Encoding %q with acceptGzip=%v", rec.Header().Get("Content-Encoding"), acceptGzip)
	}
	return fragmentBench{handler: h, req: req, body: rec.Body.Bytes(), header: rec.Header().Clone()}
}

// serveLoop sends the same request b.N times and checks each answer.
func serveLoop(b *testing.B, h http.Handler, req func() *http.Request, size int) {
	b.Helper()
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req())
		if rec.Code != http.StatusOK || rec.Body.Len() != size {
			b.Fatalf("status %d, %d bytes, want %d", rec.Code, rec.Body.Len(), size)
		}
	}
	b.ReportMetric(float64(size), "body-bytes")
}

// bareEcho is the baseline: Echo with no middleware and one handler that
// writes the bytes (and content headers) shopcard answered with. The ratio
// of the fragment's time to this one's is our overhead.
func bareEcho(body []byte, header http.Header) *echo.Echo {
	e := echo.New()
	e.GET("/sidebar/stores/:store", func(c echo.Context) error {
		if enc := header.Get("Content-Encoding"); enc != "" {
			c.Response().Header().Set("Content-Encoding", enc)
		}
		return c.Blob(http.StatusOK, header.Get("Content-Type"), body)
	})
	return e
}

// BenchmarkFragmentCacheHit is GET /sidebar/stores/:id for a contact whose
// answer is cached: all middleware, token verification, workspace and
// store loads, the cache lookup, presenting and rendering (no gzip: the
// client does not accept it).
func BenchmarkFragmentCacheHit(b *testing.B) {
	f := newFragmentBench(b, false)
	serveLoop(b, f.handler, f.req, len(f.body))
}

// BenchmarkFragmentCacheHitGzip is the same for a client that accepts
// gzip, as every browser does.
func BenchmarkFragmentCacheHitGzip(b *testing.B) {
	f := newFragmentBench(b, true)
	serveLoop(b, f.handler, f.req, len(f.body))
}

// BenchmarkFragmentCacheHitByOrders is the cache-hit fragment (gzip) for
// a contact with one order and one with fifty: a kept section is sent as
// it was kept, so the allocations per request must not grow with the
// orders (the bytes sent do, and so does copying them).
func BenchmarkFragmentCacheHitByOrders(b *testing.B) {
	for _, c := range []struct {
		name   string
		email  string
		orders int
	}{
		{"orders=1", fakeshopify.EmailOneOrder, 1},
		{"orders=50", fakeshopify.EmailSixtyOrders, 50},
	} {
		b.Run(c.name, func(b *testing.B) {
			f := newFragmentBenchFor(b, true, c.email, c.orders)
			serveLoop(b, f.handler, f.req, len(f.body))
		})
	}
}

// BenchmarkBareEchoSameBytes is the baseline for BenchmarkFragmentCacheHit:
// the same uncompressed bytes from a bare Echo handler.
func BenchmarkBareEchoSameBytes(b *testing.B) {
	f := newFragmentBench(b, false)
	serveLoop(b, bareEcho(f.body, f.header), f.req, len(f.body))
}

// BenchmarkBareEchoSameBytesGzip is the baseline for
// BenchmarkFragmentCacheHitGzip: the same gzip bytes, compressed once in
// advance, from a bare Echo handler.
func BenchmarkBareEchoSameBytesGzip(b *testing.B) {
	f := newFragmentBench(b, true)
	if _, err := gzip.NewReader(bytes.NewReader(f.body)); err != nil {
		b.Fatal(err)
	}
	serveLoop(b, bareEcho(f.body, f.header), f.req, len(f.body))
}

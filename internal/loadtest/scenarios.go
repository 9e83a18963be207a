package loadtest

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"regexp"
	"runtime"
	"shopcard/postgres"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"shopcard/cache"
	"shopcard/fakeshopify"
	"shopcard/handlers"
	"shopcard/internal/app"
)

// The budgets the load test checks (README "Performance").
const (
	budgetHitThroughput = 0.40                 // of the bare-Echo baseline's req/s
	budgetHitP99        = 5 * time.Millisecond // cache-hit fragment
	budgetColdRatio     = 1.15                 // × the slowest store's latency
)

// coldLatencies are the Shopify latencies of the three stores in the cold
// sidebar and herd scenarios.
var coldLatencies = []time.Duration{200 * time.Millisecond, 300 * time.Millisecond, 400 * time.Millisecond}

// Options are the load test's settings (shopcard loadtest's flags).
type Options struct {
	Concurrency, Requests, ColdLoads, Herd, Contacts int
	// P99Requests is how many requests the cache-hit scenario sends the
	// fragment and the baseline at concurrency 32, where their p99s are
	// compared; fewer than Requests means Requests.
	P99Requests int
	// SignIns is how many sign-in attempts each burst of the abuse
	// scenario sends at once; Tokens how many oversized embed tokens its
	// flood sends.
	SignIns, Tokens int
	// Burst is how many cold contacts the burst scenario sends at once;
	// SustainedRate and SustainedFor how many new contacts a second the
	// sustained scenario opens, for how long. Zero means 8, 10 and 30 s.
	Burst, SustainedRate int
	SustainedFor         time.Duration
	// StoreLatency is how long the cold path's store (burst, guest,
	// emails, sustained) takes to answer; zero means 500 ms. Every ratio
	// is to a floor measured at this latency.
	StoreLatency time.Duration
	// Scenarios are the scenarios to run, by name (Scenarios lists them).
	Scenarios map[string]bool
	// DatabaseURL runs shopcard on this PostgreSQL database (it must be
	// empty) instead of a throwaway SQLite file.
	DatabaseURL string
}

// Scenarios are the load test's scenarios, in the order they run.
var Scenarios = []string{"hit", "cold", "herd", "memory", "abuse", "burst", "guest", "emails", "sustained"}

// Measure runs the chosen scenarios against shopcard and the fake Shopify
// started in this process, prints what it measured to w, and fails when a
// budget is missed. Settings come from getenv, like the server's.
func Measure(ctx context.Context, o Options, getenv func(string) string, w io.Writer) error {
	h, err := startHarness(ctx, getenv, o.DatabaseURL)
	if err != nil {
		return err
	}
	defer h.close()
	fmt.Fprintf(w, "shopcard load test: %s/%s, %d CPUs (GOMAXPROCS %d), %s, load average %s\n",
		runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.GOMAXPROCS(0), runtime.Version(), loadAverage())
	if o.DatabaseURL != "" {
		fmt.Fprintf(w, "database: PostgreSQL at %s\n", postgres.Redact(o.DatabaseURL))
	} else {
		fmt.Fprintln(w, "database: SQLite (a throwaway file)")
	}
	fmt.Fprintf(w, "shopcard on %s and the fake Shopify on loopback; cache %d MiB, stale answers %d MiB for %v\n\n",
		h.baseURL, h.app.Config.CacheMaxBytes>>20, h.app.Config.StaleMaxBytes>>20, h.app.Config.StaleTTL)

	var r budgetReport
	if o.Scenarios["hit"] {
		if err := scenarioCacheHit(ctx, w, h, o, &r); err != nil {
			return fmt.Errorf("cache-hit scenario: %w", err)
		}
	}
	if o.Scenarios["cold"] {
		if err := scenarioColdSidebar(ctx, w, h, o, &r); err != nil {
			return fmt.Errorf("cold sidebar scenario: %w", err)
		}
	}
	if o.Scenarios["herd"] {
		if err := scenarioHerd(ctx, w, h, o, &r); err != nil {
			return fmt.Errorf("thundering herd scenario: %w", err)
		}
	}
	if o.Scenarios["memory"] {
		if err := scenarioMemory(ctx, w, h, o, &r); err != nil {
			return fmt.Errorf("memory scenario: %w", err)
		}
	}
	if o.Scenarios["abuse"] {
		if err := scenarioAbuse(ctx, w, h, o, &r); err != nil {
			return fmt.Errorf("abuse scenario: %w", err)
		}
	}
	if err := measureColdPath(ctx, w, h, o, &r); err != nil {
		return err
	}
	fmt.Fprintf(w, "Budgets (load average now %s):\n", loadAverage())
	return r.print(w)
}

// budgetReport collects each budget's verdict.
type budgetReport struct{ lines, missed []string }

func (r *budgetReport) check(ok bool, format string, args ...any) {
	line := fmt.Sprintf(format, args...)
	if ok {
		r.lines = append(r.lines, "  met     "+line)
		return
	}
	r.lines = append(r.lines, "  MISSED  "+line)
	r.missed = append(r.missed, line)
}

func (r *budgetReport) print(w io.Writer) error {
	for _, l := range r.lines {
		fmt.Fprintln(w, l)
	}
	if len(r.missed) > 0 {
		return fmt.Errorf("%d budget(s) missed; timing budgets need a quiet machine (check uptime and run again)", len(r.missed))
	}
	return nil
}

var sectionState = regexp.MustCompile(`data-testid="section-body" data-state="([a-z-]+)"`)

// fragmentRequest is a store section's request as htmx sends it, with or
// without Accept-Encoding: gzip.
func fragmentRequest(ctx context.Context, url, token string, gz bool) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set(handlers.TokenHeader, token)
	req.Header.Set("HX-Request", "true")
	if gz {
		req.Header.Set("Accept-Encoding", "gzip")
	}
	return req, nil
}

// fetchRaw sends a request and returns the body as it came over the wire.
func fetchRaw(client *http.Client, req *http.Request) ([]byte, http.Header, error) {
	resp, err := client.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, nil, fmt.Errorf("GET %s: %s: %.300s", req.URL.Path, resp.Status, body)
	}
	return body, resp.Header, nil
}

// scenarioCacheHit measures a cached 50-order section against a bare Echo
// handler writing the very bytes shopcard answered with, gzip and
// identity, in the same run.
func scenarioCacheHit(ctx context.Context, w io.Writer, h *harness, o Options, r *budgetReport) error {
	const email = "cache-hit@loadtest.example"
	store := h.stores[0]
	if err := h.addContact(email, store); err != nil {
		return err
	}
	tok, err := h.token(email)
	if err != nil {
		return err
	}
	client := httpClient(o.Concurrency, false)
	url := h.fragmentURL(store)
	// The first request fills the cache; the next two take the bytes.
	captured := map[bool][]byte{}
	var contentType string
	gzipped := false
	for _, gz := range []bool{false, false, true} {
		req, err := fragmentRequest(ctx, url, tok, gz)
		if err != nil {
			return err
		}
		body, header, err := fetchRaw(client, req)
		if err != nil {
			return err
		}
		captured[gz], contentType = body, header.Get("Content-Type")
		if gz {
			gzipped = header.Get("Content-Encoding") == "gzip"
		}
	}
	plain := captured[false]
	if m := sectionState.FindSubmatch(plain); m == nil || string(m[1]) != "loaded" {
		return fmt.Errorf("the section did not load: %.300s", plain)
	}
	if gzipped {
		zr, err := gzip.NewReader(bytes.NewReader(captured[true]))
		if err != nil {
			return err
		}
		if _, err := io.Copy(io.Discard, zr); err != nil {
			return fmt.Errorf("the gzip body does not decompress: %w", err)
		}
	}

	// The baseline: no middleware, one handler, the same bytes.
	bare := echo.New()
	bare.HideBanner, bare.HidePort = true, true
	bare.GET("/sidebar/stores/:store", func(c echo.Context) error {
		if strings.Contains(c.Request().Header.Get("Accept-Encoding"), "gzip") && gzipped {
			c.Response().Header().Set("Content-Encoding", "gzip")
			return c.Blob(http.StatusOK, contentType, captured[true])
		}
		return c.Blob(http.StatusOK, contentType, plain)
	})
	// Served with the server settings shopcard runs with (its read and
	// write deadlines cost each request a little), so the ratio is that
	// of the handlers.
	bareBase, err := h.serveWith(app.NewHTTPServer(bare))
	if err != nil {
		return err
	}

	// The static asset every sidebar loads, from shopcard itself: the
	// same server, middleware and connection, a file already in memory.
	staticPath, err := stylesheetPath(ctx, h, tok)
	if err != nil {
		return err
	}
	path := "/sidebar/stores/" + fmt.Sprint(store.ID)
	var rows []Row
	type verdict struct {
		mode               string
		conc               int
		ours, bare, static Stats
	}
	var verdicts []verdict
	for _, conc := range hitConcurrencies(o.Concurrency) {
		// Both servers are measured with the same lean keep-alive generator.
		ours := NewKeepalive(strings.TrimPrefix(h.baseURL, "http://"), conc)
		baseline := NewKeepalive(strings.TrimPrefix(bareBase, "http://"), conc)
		run := func(k *Keepalive, path string, gz bool, n int) Stats {
			header := http.Header{handlers.TokenHeader: {tok}, "Hx-Request": {"true"}}
			if gz {
				header.Set("Accept-Encoding", "gzip")
			}
			req := GetRequest("127.0.0.1", path, header)
			return Run(ctx, conc, n, func(ctx context.Context) error {
				res, err := k.Do(ctx, req)
				switch {
				case err != nil:
					return err
				case res.Status != http.StatusOK || res.Bytes < 1024:
					return fmt.Errorf("GET %s: status %d, %d bytes", path, res.Status, res.Bytes)
				case gz && gzipped && res.Header.Get("Content-Encoding") != "gzip":
					return errors.New("not gzipped")
				}
				return nil
			})
		}
		fmt.Fprintf(w, "1. Cache-hit fragment (50 orders), %d concurrent requests, against a bare Echo handler writing the same bytes and shopcard's own stylesheet\n", conc)
		for _, mode := range []struct {
			name string
			gz   bool
			size int
		}{{"gzip", true, len(captured[true])}, {"identity", false, len(plain)}} {
			// Warm up (20 requests a connection, at most as many as are
			// measured), then measure in hitRounds rounds, each a slice
			// of every server's requests, in turn forwards and backwards
			// (ours, bare, static, static, bare, ours, …), so that the
			// machine's other work, which comes in bursts of a few
			// hundred milliseconds, falls on all three alike.
			warm := min(conc*20, o.Requests)
			run(ours, path, mode.gz, warm)
			run(baseline, path, mode.gz, warm)
			run(ours, staticPath, mode.gz, warm)
			// Where p99 is compared, the fragment and the baseline get
			// more requests: p99 is the slowest 1%, and at 20,000 that is
			// a handful of the machine's hiccups, each of which delays
			// every request in flight.
			compared := o.Requests
			if conc == hitHighConcurrency {
				compared = max(compared, o.P99Requests)
			}
			rounds := min(hitRounds, max(1, o.Requests/(conc*10)))
			var oursRuns, bareRuns, staticRuns []Stats
			for i := range rounds {
				n, m := share(compared, rounds, i), share(o.Requests, rounds, i)
				steps := []func(){
					func() { oursRuns = append(oursRuns, run(ours, path, mode.gz, n)) },
					func() { bareRuns = append(bareRuns, run(baseline, path, mode.gz, n)) },
					func() { staticRuns = append(staticRuns, run(ours, staticPath, mode.gz, m)) },
				}
				if i%2 == 1 {
					slices.Reverse(steps)
				}
				for _, step := range steps {
					step()
				}
			}
			shopcard, bare, static := Combine(oursRuns...), Combine(bareRuns...), Combine(staticRuns...)
			rows = append(rows,
				Row{Name: fmt.Sprintf("c=%d shopcard fragment, %s (%d B)", conc, mode.name, mode.size), Stats: shopcard},
				Row{Name: fmt.Sprintf("c=%d bare Echo, same %s bytes", conc, mode.name), Stats: bare},
				Row{Name: fmt.Sprintf("c=%d shopcard stylesheet, %s", conc, mode.name), Stats: static})
			verdicts = append(verdicts, verdict{mode: mode.name, conc: conc, ours: shopcard, bare: bare, static: static})
		}
		ours.Close()
		baseline.Close()
	}
	if err := PrintTable(w, rows); err != nil {
		return err
	}
	for _, v := range verdicts {
		ratio := v.ours.RPS() / v.bare.RPS()
		static := v.ours.RPS() / v.static.RPS()
		p99 := float64(v.ours.P99) / float64(v.bare.P99)
		fmt.Fprintf(w, "   c=%d %s: shopcard serves %.0f%% of the bare baseline's requests per second and %.2f× its own stylesheet's; p99 %.2f× the bare baseline's\n", v.conc, v.mode, 100*ratio, static, p99)
		if v.conc == o.Concurrency {
			r.check(ratio >= budgetHitThroughput && v.ours.Errors == 0, "cache-hit fragment (%s) throughput %.0f%% of bare Echo (budget ≥ %.0f%%)", v.mode, 100*ratio, 100*budgetHitThroughput)
			r.check(v.ours.P99 < budgetHitP99, "cache-hit fragment (%s) p99 %s at concurrency %d (budget < %v)", v.mode, msString(v.ours.P99), o.Concurrency, budgetHitP99)
		}
		r.check(static >= budgetHitStatic && v.ours.Errors == 0, "cache-hit fragment (%s) at concurrency %d: throughput %.2f× shopcard's stylesheet (budget ≥ %.1f×)", v.mode, v.conc, static, budgetHitStatic)
		if v.conc == hitHighConcurrency {
			r.check(p99 <= budgetHitP99Ratio, "cache-hit fragment (%s) at concurrency %d: p99 %s = %.2f× bare Echo's %s (budget ≤ %.1f×)", v.mode, v.conc, msString(v.ours.P99), p99, msString(v.bare.P99), budgetHitP99Ratio)
		}
	}
	fmt.Fprintf(w, "   A 50-order section is %d bytes, %d bytes gzip-compressed (%.1f× smaller).\n\n",
		len(plain), len(captured[true]), float64(len(plain))/float64(len(captured[true])))
	r.check(gzipped, "fragments are gzip-compressed when accepted (%d → %d bytes)", len(plain), len(captured[true]))
	return ctx.Err()
}

// share is round i's share of total requests split into rounds: the
// remainder goes one each to the first rounds.
func share(total, rounds, i int) int {
	n := total / rounds
	if i < total%rounds {
		n++
	}
	return n
}

// scenarioColdSidebar opens sidebars one after another, each for a new
// contact (so every store is a cache miss), with the stores' Shopify
// latencies at 200, 300 and 400 ms, the way a browser with htmx does.
func scenarioColdSidebar(ctx context.Context, w io.Writer, h *harness, o Options, r *budgetReport) error {
	slowest := setLatencies(h)
	client := httpClient(16, true)
	var emails []string
	for i := range o.ColdLoads + 1 {
		email := fmt.Sprintf("cold-%d@loadtest.example", i)
		if err := h.addContact(email, h.stores...); err != nil {
			return err
		}
		emails = append(emails, email)
	}
	var totals []time.Duration
	var elapsed time.Duration
	for i, email := range emails {
		url, err := h.sidebarURL(email)
		if err != nil {
			return err
		}
		load, err := LoadSidebar(ctx, client, url)
		if err != nil {
			return err
		}
		if err := allLoaded(load, len(h.stores)); err != nil {
			return err
		}
		if i == 0 {
			continue // a warm-up
		}
		totals = append(totals, load.Total)
		elapsed += load.Total
	}
	stats := Summarize(totals, 0, elapsed)
	fmt.Fprintf(w, "2. Cold sidebar: 3 stores answering in %s ms, %d loads one after another, until all sections arrived\n", latencyList(), len(totals))
	if err := PrintTable(w, []Row{{Name: "page + 3 sections, cold cache", Stats: stats}}); err != nil {
		return err
	}
	ratio := float64(stats.Max) / float64(slowest)
	fmt.Fprintf(w, "   Slowest store %v: p50 %.2f×, max %.2f× (the sum of the stores would be %.2f×)\n\n",
		slowest, float64(stats.P50)/float64(slowest), ratio, float64(sumLatencies())/float64(slowest))
	r.check(ratio <= budgetColdRatio, "cold 3-store sidebar, slowest load %s = %.2f× the slowest store (budget ≤ %.2f×)", msString(stats.Max), ratio, budgetColdRatio)
	return nil
}

// scenarioHerd opens one contact's sidebar many times at once on a cold
// cache and counts the requests each store got.
func scenarioHerd(ctx context.Context, w io.Writer, h *harness, o Options, r *budgetReport) error {
	setLatencies(h)
	const email = "herd@loadtest.example"
	if err := h.addContact(email, h.stores...); err != nil {
		return err
	}
	url, err := h.sidebarURL(email)
	if err != nil {
		return err
	}
	for _, s := range h.stores {
		h.fake.ResetRequests(s.Domain)
	}
	client := httpClient(o.Herd, true)
	stats := Run(ctx, o.Herd, o.Herd, func(ctx context.Context) error {
		load, err := LoadSidebar(ctx, client, url)
		if err != nil {
			return err
		}
		return allLoaded(load, len(h.stores))
	})
	fmt.Fprintf(w, "3. Thundering herd: %d concurrent sidebar loads of one contact on a cold cache\n", o.Herd)
	if err := PrintTable(w, []Row{{Name: "page + 3 sections", Stats: stats}}); err != nil {
		return err
	}
	var counts []string
	ok := stats.Errors == 0
	for _, s := range h.stores {
		n := h.fake.Requests(s.Domain)
		counts = append(counts, fmt.Sprintf("%s: %d", s.Domain, n))
		ok = ok && n == 1
	}
	fmt.Fprintf(w, "   Shopify requests per store: %s\n\n", strings.Join(counts, ", "))
	r.check(ok, "thundering herd: Shopify requests per store %s (budget: exactly 1 each, no failed loads)", strings.Join(counts, ", "))
	return nil
}

// scenarioMemory fills a cache configured like the server's with many
// contacts' 50-order answers and measures the heap it keeps.
func scenarioMemory(ctx context.Context, w io.Writer, h *harness, o Options, r *budgetReport) error {
	const email = "memory@loadtest.example"
	if err := h.addContact(email, h.stores[0]); err != nil {
		return err
	}
	for _, s := range h.stores {
		h.fake.SetFaults(s.Domain, fakeshopify.Faults{})
	}
	// A real answer, decoded from the fake's response by the Shopify client.
	answer, err := h.app.Lookup.LookupCustomer(ctx, h.stores[0], email)
	if err != nil {
		return err
	}
	cfg := h.app.Config
	res, err := CacheMemory(ctx, cache.Options{
		TTL: cfg.CacheTTL, MaxBytes: cfg.CacheMaxBytes, Timeout: cfg.ShopifyTimeout,
		StaleTTL: cfg.StaleTTL, StaleMaxBytes: cfg.StaleMaxBytes,
	}, answer, o.Contacts)
	if err != nil {
		return err
	}
	mib := func(n int64) string { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }
	gogc := cmp.Or(os.Getenv("GOGC"), "100")
	fmt.Fprintf(w, "4. Memory: %d different contacts with %d orders each, looked up through the cache in %v\n", res.Contacts, len(answer.Orders), res.Elapsed.Round(time.Millisecond))
	fmt.Fprintf(w, "   One answer: %d B on the heap as decoded; the cache keeps a compact copy and charges %d B for it\n", res.AnswerHeap, res.AnswerCharged)
	fmt.Fprintf(w, "   Kept: %d fresh answers (charged %s of %s), %d last good answers (charged %s of %s)\n",
		res.Usage.Entries, mib(res.Usage.Bytes), mib(cfg.CacheMaxBytes), res.Usage.StaleEntries, mib(res.Usage.StaleBytes), mib(cfg.StaleMaxBytes))
	fmt.Fprintf(w, "   Heap growth after a full GC: %s of live objects, %s in use (spans holding them; GOGC=%s)\n\n", mib(res.HeapAlloc), mib(res.HeapInuse), gogc)
	r.check(res.HeapAlloc <= res.Budget, "memory: %d contacts cached, %d answers kept, live heap grew %s (budget ≤ %s; heap in use grew %s)", res.Contacts, res.Usage.Entries, mib(res.HeapAlloc), mib(res.Budget), mib(res.HeapInuse))
	return nil
}

// setLatencies gives the stores their Shopify latencies and returns the
// slowest.
func setLatencies(h *harness) time.Duration {
	var slowest time.Duration
	for i, s := range h.stores {
		h.fake.SetFaults(s.Domain, fakeshopify.Faults{Latency: coldLatencies[i]})
		slowest = max(slowest, coldLatencies[i])
	}
	return slowest
}

func sumLatencies() time.Duration {
	var sum time.Duration
	for _, l := range coldLatencies {
		sum += l
	}
	return sum
}

func latencyList() string {
	var parts []string
	for _, l := range coldLatencies {
		parts = append(parts, fmt.Sprint(l.Milliseconds()))
	}
	return strings.Join(parts, "/")
}

// allLoaded checks that every section of a sidebar showed its customer.
func allLoaded(load SidebarLoad, want int) error {
	if len(load.States) != want {
		return fmt.Errorf("%d sections, want %d", len(load.States), want)
	}
	for u, st := range load.States {
		if st != "loaded" {
			return fmt.Errorf("section %s is %q, not loaded", u, st)
		}
	}
	return nil
}

func msString(d time.Duration) string {
	return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond))
}

// loadAverage is the 1-minute load average, where the system tells.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	if f := strings.Fields(string(b)); len(f) > 0 {
		return f[0]
	}
	return "unknown"
}

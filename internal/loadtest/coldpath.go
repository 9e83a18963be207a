package loadtest

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	dto "github.com/prometheus/client_model/go"

	"shopcard/domain"
	"shopcard/embedtoken"
	"shopcard/fakeshopify"
	"shopcard/shopify"
)

// The cold path's budgets (README "The cold path"): each a ratio to the
// floor, one Shopify round trip at the store's latency, measured in the
// same run.
const (
	budgetBurstRatio     = 1.3  // slowest of a burst of cold sections ÷ floor
	budgetGuestRatio     = 1.3  // a contact with only guest orders ÷ floor
	budgetEmailsRatio    = 1.5  // a contact with five emails ÷ floor
	budgetSustainedRatio = 1.5  // a section counts as on time within this × floor
	budgetSustainedShare = 0.99 // of sections on time
)

// measureColdPath runs the cold path's scenarios that o chooses.
func measureColdPath(ctx context.Context, w io.Writer, h *harness, o Options, r *budgetReport) error {
	o.Burst = cmp.Or(o.Burst, 8)
	o.SustainedRate = cmp.Or(o.SustainedRate, 10)
	o.SustainedFor = cmp.Or(o.SustainedFor, 30*time.Second)
	o.StoreLatency = cmp.Or(o.StoreLatency, defaultStoreLatency)
	for _, sc := range []struct {
		name string
		run  func(context.Context, io.Writer, *harness, Options, *budgetReport) error
	}{
		{"burst", scenarioBurst}, {"guest", scenarioGuest}, {"emails", scenarioEmails}, {"sustained", scenarioSustained},
	} {
		if !o.Scenarios[sc.name] {
			continue
		}
		if err := sc.run(ctx, w, h, o, r); err != nil {
			return fmt.Errorf("%s scenario: %w", sc.name, err)
		}
	}
	return nil
}

// The cache-hit budgets of the cold-path issue, against shopcard's own
// stylesheet and the bare baseline, at hitHighConcurrency as well as the
// usual concurrency.
const (
	budgetHitStatic    = 0.6 // fragment throughput ÷ the stylesheet's
	budgetHitP99Ratio  = 1.5 // fragment p99 ÷ bare Echo's, at hitHighConcurrency
	hitHighConcurrency = 32
	// hitRounds is how many interleaved rounds the cache-hit scenario
	// splits each server's requests into (scenarioCacheHit).
	hitRounds = 10
)

// hitConcurrencies are the concurrencies the cache-hit scenario runs at.
func hitConcurrencies(usual int) []int {
	if usual == hitHighConcurrency {
		return []int{usual}
	}
	return []int{usual, hitHighConcurrency}
}

// stylesheetPath finds the stylesheet the sidebar page links to.
func stylesheetPath(ctx context.Context, h *harness, token string) (string, error) {
	page, err := get(ctx, httpClient(1, false), h.baseURL+"/sidebar?token="+token, nil)
	if err != nil {
		return "", err
	}
	m := stylesheetPattern.FindStringSubmatch(page)
	if m == nil {
		return "", fmt.Errorf("the sidebar page links no stylesheet")
	}
	return htmlUnescape(m[1]), nil
}

var stylesheetPattern = regexp.MustCompile(`<link rel="stylesheet" href="([^"]+)"`)

// defaultStoreLatency is the Shopify latency of the cold path's stores
// unless Options.StoreLatency says otherwise: the 500 ms store.
const defaultStoreLatency = 500 * time.Millisecond

// Shopify's plans, as the cold path's stores have them.
type plan struct {
	name       string
	size, rate int
}

var (
	planStandard = plan{"Standard", 2000, 100}
	planPlus     = plan{"Plus", 20000, 1000}
)

// coldWorkspace holds the cold path's stores, apart from the other
// scenarios' workspace, so their sidebars and buckets are their own.
type coldWorkspace struct {
	h  *harness
	ws domain.Workspace
	n  int
}

func newColdWorkspace(ctx context.Context, h *harness, name string) (*coldWorkspace, error) {
	ws, err := h.app.DB.CreateWorkspace(ctx, name)
	if err != nil {
		return nil, err
	}
	return &coldWorkspace{h: h, ws: ws}, nil
}

// addStore connects a new fake store on plan, answering in latency, with
// a full bucket, through the checks an admin's connection goes through.
func (c *coldWorkspace) addStore(ctx context.Context, p plan, latency time.Duration) (domain.Store, error) {
	c.n++
	shop := fmt.Sprintf("%s-%d.myshopify.com", c.ws.Name, c.n)
	if err := c.h.fake.AddStore(fakeshopify.Store{
		Domain: shop, BucketSize: p.size, RestoreRate: p.rate,
		Tokens: []fakeshopify.Token{{Value: loadtestToken, Scopes: []string{"read_customers", "read_orders", "read_all_orders"}}},
	}); err != nil {
		return domain.Store{}, err
	}
	s, _, err := c.h.app.Connector.ConnectStore(ctx, c.ws, shop, domain.Store{AccessToken: domain.NewSecret(loadtestToken), TokenKind: domain.TokenCustomApp})
	if err != nil {
		return domain.Store{}, fmt.Errorf("connect %s: %w", shop, err)
	}
	// Connecting spent a few points; start the scenario on a full bucket.
	if err := c.h.fake.SetBucket(shop, p.size, p.rate); err != nil {
		return domain.Store{}, err
	}
	return s, c.h.fake.SetFaults(shop, fakeshopify.Faults{Latency: latency})
}

// token is an embed token of this workspace for a contact's emails.
func (c *coldWorkspace) token(emails ...string) (string, error) { return signToken(c.ws, emails...) }

// section fetches one store section for a token, as htmx does, and says
// how long it took and whether it loaded.
func (c *coldWorkspace) section(ctx context.Context, client *http.Client, s domain.Store, token string) (time.Duration, error) {
	req, err := fragmentRequest(ctx, c.h.fragmentURL(s), token, true)
	if err != nil {
		return 0, err
	}
	start := time.Now()
	body, header, err := fetchRaw(client, req)
	if err == nil && header.Get("Content-Encoding") == "gzip" {
		var zr *gzip.Reader
		if zr, err = gzip.NewReader(bytes.NewReader(body)); err == nil {
			body, err = io.ReadAll(zr)
		}
	}
	took := time.Since(start)
	if err != nil {
		return took, err
	}
	if m := sectionState.FindSubmatch(body); m == nil || string(m[1]) != "loaded" {
		state := "none"
		if m != nil {
			state = string(m[1])
		}
		return took, fmt.Errorf("section state %q", state)
	}
	return took, nil
}

// floor measures one Shopify round trip to s, as the client makes it: a
// small query (ShopAccess) straight to the fake, at the store's latency;
// the best of three, so that the floor is the fake's latency and loopback,
// not the machine's other work.
func (c *coldWorkspace) floor(ctx context.Context, s domain.Store) (time.Duration, error) {
	best := time.Duration(0)
	for range 3 {
		start := time.Now()
		if _, err := c.h.app.Shopify.CheckAccess(ctx, s.Domain, s.AccessToken); err != nil {
			return 0, err
		}
		if d := time.Since(start); best == 0 || d < best {
			best = d
		}
	}
	return best, nil
}

// shopifyCounts are what the client reported for one store, from the
// application's own metrics: requests sent, waits before sending (by
// reason) and THROTTLED answers.
type shopifyCounts struct {
	requests, waits, throttled int
	reasons                    map[string]int
}

func (h *harness) shopifyCounts(store string) (shopifyCounts, error) {
	out := shopifyCounts{reasons: map[string]int{}}
	families, err := h.app.Metrics.Registry().Gather()
	if err != nil {
		return out, err
	}
	for _, f := range families {
		for _, m := range f.GetMetric() {
			labels := labelsOf(m)
			if labels["store"] != store {
				continue
			}
			switch f.GetName() {
			case "shopcard_shopify_requests_total":
				out.requests += int(m.GetCounter().GetValue())
			case "shopcard_shopify_throttle_wait_seconds":
				n := int(m.GetHistogram().GetSampleCount())
				out.waits += n
				out.reasons[labels["reason"]] += n
			case "shopcard_shopify_throttled_total":
				out.throttled += int(m.GetCounter().GetValue())
			}
		}
	}
	return out, nil
}

func labelsOf(m *dto.Metric) map[string]string {
	out := map[string]string{}
	for _, l := range m.GetLabel() {
		out[l.GetName()] = l.GetValue()
	}
	return out
}

func (c shopifyCounts) String() string {
	out := fmt.Sprintf("%d requests to Shopify, %d local waits", c.requests, c.waits)
	var reasons []string
	for _, r := range []string{shopify.WaitRefill, shopify.WaitProbe} {
		if n := c.reasons[r]; n > 0 {
			reasons = append(reasons, fmt.Sprintf("%d %s", n, r))
		}
	}
	if len(reasons) > 0 {
		out += " (" + strings.Join(reasons, ", ") + ")"
	}
	return out + fmt.Sprintf(", %d THROTTLED", c.throttled)
}

// coldContact gives a new contact in s the fake Jordan Rivera's 60 orders.
func (c *coldWorkspace) coldContact(s domain.Store, email string) error {
	return c.h.addContact(email, s)
}

// guestContact gives s three guest-checkout orders placed with email, and
// no customer record.
func (c *coldWorkspace) guestContact(s domain.Store, email string) error {
	for i := range 3 {
		if _, err := c.h.fake.AddOrder(s.Domain, fakeshopify.Order{Email: email, Total: fmt.Sprintf("%d.00", 10+i), FinancialStatus: "PAID",
			LineItems: []fakeshopify.LineItem{{Title: "Guest mug", Quantity: 1}}}); err != nil {
			return err
		}
	}
	return nil
}

// scenarioBurst sends N distinct cold contacts' sections to one store at
// once, on a Standard and on a Plus bucket.
func scenarioBurst(ctx context.Context, w io.Writer, h *harness, o Options, r *budgetReport) error {
	cw, err := newColdWorkspace(ctx, h, "coldpath-burst")
	if err != nil {
		return err
	}
	n := o.Burst
	fmt.Fprintf(w, "6. Burst: %d distinct cold contacts' sections at once, one store answering in %v\n", n, o.StoreLatency)
	var rows []Row
	for _, p := range []plan{planStandard, planPlus} {
		s, err := cw.addStore(ctx, p, o.StoreLatency)
		if err != nil {
			return err
		}
		floor, err := cw.floor(ctx, s)
		if err != nil {
			return err
		}
		tokens := make([]string, n)
		for i := range n {
			email := fmt.Sprintf("burst-%s-%d@loadtest.example", strings.ToLower(p.name), i)
			if err := cw.coldContact(s, email); err != nil {
				return err
			}
			if tokens[i], err = cw.token(email); err != nil {
				return err
			}
		}
		before, err := h.shopifyCounts(s.Domain)
		if err != nil {
			return err
		}
		client := httpClient(n, false)
		var next atomic.Int32
		cpu := processCPU()
		stats := Run(ctx, n, n, func(ctx context.Context) error {
			_, err := cw.section(ctx, client, s, tokens[next.Add(1)-1])
			return err
		})
		cpu = processCPU() - cpu
		after, err := h.shopifyCounts(s.Domain)
		if err != nil {
			return err
		}
		d := diffCounts(after, before)
		ratio := float64(stats.Max) / float64(floor)
		rows = append(rows, Row{Name: fmt.Sprintf("%s bucket (%d, %d/s)", p.name, p.size, p.rate), Stats: stats})
		fmt.Fprintf(w, "   %s: floor %s; slowest section %.2f× the floor; %s; CPU %s a section (shopcard, the fake and the generator)\n", p.name, msString(floor), ratio, d, msString(cpu/time.Duration(n)))
		r.check(ratio <= budgetBurstRatio, "burst of %d on %s: slowest section %.2f× the floor (budget ≤ %.1f×)", n, p.name, ratio, budgetBurstRatio)
		r.check(d.throttled == 0 && stats.Errors == 0 && d.requests == n,
			"burst of %d on %s: one Shopify request per section, none THROTTLED (%d requests, %d THROTTLED, %d failed)", n, p.name, d.requests, d.throttled, stats.Errors)
	}
	if err := PrintTable(w, rows); err != nil {
		return err
	}
	fmt.Fprintln(w)
	return nil
}

func diffCounts(after, before shopifyCounts) shopifyCounts {
	d := shopifyCounts{requests: after.requests - before.requests, waits: after.waits - before.waits, throttled: after.throttled - before.throttled, reasons: map[string]int{}}
	for k, v := range after.reasons {
		d.reasons[k] = v - before.reasons[k]
	}
	return d
}

// scenarioGuest loads sections of contacts with guest orders and no
// customer record, one after another.
func scenarioGuest(ctx context.Context, w io.Writer, h *harness, o Options, r *budgetReport) error {
	return sequentialSections(ctx, w, h, o, r, sequentialScenario{
		workspace: "coldpath-guest",
		title:     "7. Guest: %d contacts with guest orders and no customer record, one after another, store answering in %v",
		row:       "guest section, cold",
		what:      "guest contact",
		note:      " (two round trips in sequence would be 2×)",
		loads:     o.ColdLoads,
		budget:    budgetGuestRatio,
		contact: func(cw *coldWorkspace, s domain.Store, i int) (string, error) {
			email := fmt.Sprintf("guest-%d@loadtest.example", i)
			if err := cw.guestContact(s, email); err != nil {
				return "", err
			}
			return cw.token(email)
		},
	})
}

// scenarioEmails loads sections of contacts whose token carries five
// emails (two customers, two guests, one unknown), one after another.
func scenarioEmails(ctx context.Context, w io.Writer, h *harness, o Options, r *budgetReport) error {
	return sequentialSections(ctx, w, h, o, r, sequentialScenario{
		workspace: "coldpath-emails",
		title:     "8. Emails: %d contacts with " + fmt.Sprint(embedtoken.MaxEmails) + " emails each (2 customers, 2 guests, 1 unknown), one after another, store answering in %v",
		row:       "5-email section, cold",
		what:      "5-email contact",
		loads:     max(o.ColdLoads/2, 1), // each drains 620 points of a 2000 bucket
		budget:    budgetEmailsRatio,
		// Let the bucket refill as a rep's next conversation would.
		pause: 2 * time.Second,
		contact: func(cw *coldWorkspace, s domain.Store, i int) (string, error) {
			emails := make([]string, embedtoken.MaxEmails)
			for j := range emails {
				emails[j] = fmt.Sprintf("emails-%d-%d@loadtest.example", i, j)
			}
			for j, email := range emails[:4] {
				add := cw.coldContact
				if j >= 2 {
					add = cw.guestContact
				}
				if err := add(s, email); err != nil {
					return "", err
				}
			}
			return cw.token(emails...)
		},
	})
}

// sequentialScenario is a cold-path scenario that opens one contact's
// section after another on a Standard store, each within a budget
// relative to the floor.
type sequentialScenario struct {
	workspace string
	title     string // a format for the number of sections and the latency
	row       string // the table row's name
	what      string // what the budget lines call a contact
	note      string // after the ratio, what it means
	loads     int
	budget    float64
	pause     time.Duration // between sections
	// contact seeds the i'th contact at the fake and returns its token.
	contact func(cw *coldWorkspace, s domain.Store, i int) (string, error)
}

func sequentialSections(ctx context.Context, w io.Writer, h *harness, o Options, r *budgetReport, sc sequentialScenario) error {
	cw, err := newColdWorkspace(ctx, h, sc.workspace)
	if err != nil {
		return err
	}
	s, err := cw.addStore(ctx, planStandard, o.StoreLatency)
	if err != nil {
		return err
	}
	floor, err := cw.floor(ctx, s)
	if err != nil {
		return err
	}
	before, err := h.shopifyCounts(s.Domain)
	if err != nil {
		return err
	}
	client := httpClient(2, false)
	var took []time.Duration
	start := time.Now()
	for i := range sc.loads {
		tok, err := sc.contact(cw, s, i)
		if err != nil {
			return err
		}
		d, err := cw.section(ctx, client, s, tok)
		if err != nil {
			return err
		}
		took = append(took, d)
		if sc.pause > 0 && i < sc.loads-1 {
			if err := sleepCtx(ctx, sc.pause); err != nil {
				return err
			}
		}
	}
	stats := Summarize(took, 0, time.Since(start))
	after, err := h.shopifyCounts(s.Domain)
	if err != nil {
		return err
	}
	d := diffCounts(after, before)
	fmt.Fprintf(w, sc.title+"\n", len(took), o.StoreLatency)
	if err := PrintTable(w, []Row{{Name: sc.row, Stats: stats}}); err != nil {
		return err
	}
	ratio := float64(stats.Max) / float64(floor)
	fmt.Fprintf(w, "   floor %s; slowest section %.2f× the floor%s; %s\n\n", msString(floor), ratio, sc.note, d)
	r.check(ratio <= sc.budget, "%s: slowest section %.2f× the floor (budget ≤ %.1f×)", sc.what, ratio, sc.budget)
	r.check(d.requests == len(took) && d.throttled == 0, "%s: one Shopify request per section, none THROTTLED (%d requests for %d sections, %d THROTTLED)", sc.what, d.requests, len(took), d.throttled)
	return nil
}

// scenarioSustained opens sections for new contacts at a steady rate, on
// a Plus bucket: on Standard, no client could sustain it (see README).
func scenarioSustained(ctx context.Context, w io.Writer, h *harness, o Options, r *budgetReport) error {
	cw, err := newColdWorkspace(ctx, h, "coldpath-sustained")
	if err != nil {
		return err
	}
	s, err := cw.addStore(ctx, planPlus, o.StoreLatency)
	if err != nil {
		return err
	}
	floor, err := cw.floor(ctx, s)
	if err != nil {
		return err
	}
	total := o.SustainedRate * int(o.SustainedFor/time.Second)
	tokens := make([]string, total)
	for i := range total {
		email := fmt.Sprintf("sustained-%d@loadtest.example", i)
		if err := cw.coldContact(s, email); err != nil {
			return err
		}
		if tokens[i], err = cw.token(email); err != nil {
			return err
		}
	}
	before, err := h.shopifyCounts(s.Domain)
	if err != nil {
		return err
	}
	client := httpClient(64, false)
	var (
		mu     sync.Mutex
		took   []time.Duration
		failed int
		wg     sync.WaitGroup
	)
	interval := time.Second / time.Duration(o.SustainedRate)
	cpu := processCPU()
	tick := time.NewTicker(interval)
	start := time.Now()
	for i := range total {
		if i > 0 {
			select {
			case <-tick.C:
			case <-ctx.Done():
				tick.Stop()
				return ctx.Err()
			}
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			d, err := cw.section(ctx, client, s, tokens[i])
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				failed++
				return
			}
			took = append(took, d)
		}()
	}
	tick.Stop()
	wg.Wait()
	stats := Summarize(took, failed, time.Since(start))
	cpu = processCPU() - cpu
	after, err := h.shopifyCounts(s.Domain)
	if err != nil {
		return err
	}
	d := diffCounts(after, before)
	onTime := 0
	limit := time.Duration(budgetSustainedRatio * float64(floor))
	for _, t := range took {
		if t <= limit {
			onTime++
		}
	}
	share := float64(onTime) / float64(total)
	fmt.Fprintf(w, "9. Sustained: %d new contacts a second for %v on a %s bucket (%d, %d/s), store answering in %v\n", o.SustainedRate, o.SustainedFor, planPlus.name, planPlus.size, planPlus.rate, o.StoreLatency)
	if err := PrintTable(w, []Row{{Name: "cold section", Stats: stats}}); err != nil {
		return err
	}
	fmt.Fprintf(w, "   floor %s; %d of %d sections (%.1f%%) within %.1f× the floor (%s), %d failed; %s; CPU %s a section, %.0f%% of the %d cores\n\n",
		msString(floor), onTime, total, 100*share, budgetSustainedRatio, msString(limit), failed, d, msString(cpu/time.Duration(total)),
		100*cpu.Seconds()/stats.Elapsed.Seconds()/float64(runtime.NumCPU()), runtime.NumCPU())
	r.check(share >= budgetSustainedShare, "sustained %d contacts/s for %v: %.1f%% of sections within %.1f× the floor (budget ≥ %.0f%%)", o.SustainedRate, o.SustainedFor, 100*share, budgetSustainedRatio, 100*budgetSustainedShare)
	r.check(d.throttled == 0 && failed == 0, "sustained %d contacts/s for %v: none THROTTLED, none failed (%d THROTTLED, %d failed)", o.SustainedRate, o.SustainedFor, d.throttled, failed)
	return nil
}

// processCPU is the CPU time this process (shopcard, the fake and the
// load generator alike) has used so far.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

package loadtest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"shopcard/auth"
	"shopcard/handlers"
	"shopcard/handlers/admin"
)

// The abuse scenario's budgets (README "Security model"): what a burst of
// unauthenticated requests may cost the server. Peak RSS growth is
// measured from a baseline taken after returning freed memory to the OS.
const (
	// budgetSignInRSS bounds the peak RSS growth of a sign-in burst: at most
	// admin.SignInHashes argon2id checks of 19 MiB each run at once, whatever
	// the burst (250 at once took 4.7 GB before the cap).
	budgetSignInRSS = 128 << 20
	// budgetTokenRSS bounds the peak RSS growth of a flood of oversized
	// embed tokens (a megabyte of separators amplified about 45× before).
	budgetTokenRSS = 64 << 20
)

const (
	abuseEmail    = "admin@loadtest.example"
	abusePassword = "the load test admin's password"
	// tokenFloodConcurrency is how many oversized tokens are in flight at
	// once.
	tokenFloodConcurrency = 64
)

// scenarioAbuse is the unauthenticated abuse the server must shrug off: a
// burst of sign-ins on one account, one across many accounts and
// addresses, and a flood of oversized embed tokens, each measured for peak
// RSS growth and how it was answered.
func scenarioAbuse(ctx context.Context, w io.Writer, h *harness, o Options, r *budgetReport) error {
	hash, err := auth.HashPassword(abusePassword)
	if err != nil {
		return err
	}
	if _, err := h.app.DB.CreateAdmin(ctx, h.ws.ID, abuseEmail, hash); err != nil {
		return err
	}
	client := httpClient(o.SignIns, false)
	form, err := signInForm(ctx, client, h.baseURL)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "5. Abuse: unauthenticated bursts (%d sign-ins at once; %d oversized tokens, %d at a time); RSS measured every 2 ms\n",
		o.SignIns, o.Tokens, tokenFloodConcurrency)

	// One account from one address: the throttle reserves each attempt
	// before its hash.
	one, err := signInBurst(ctx, client, h.baseURL, form, o.SignIns, func(int) (string, string) { return abuseEmail, "" })
	if err != nil {
		return err
	}
	// Many accounts from many addresses (X-Forwarded-For, from the
	// trusted loopback proxy): only the process-wide hash cap stands.
	many, err := signInBurst(ctx, client, h.baseURL, form, o.SignIns, func(i int) (string, string) {
		return fmt.Sprintf("guess-%d@loadtest.example", i), fmt.Sprintf("198.18.%d.%d", i/250, i%250+1)
	})
	if err != nil {
		return err
	}
	// The same one-account burst again, now refused whole before any
	// hash: what the connections alone cost (the load generator's, in this
	// process, included), against which the hashes' cost shows.
	control, err := signInBurst(ctx, client, h.baseURL, form, o.SignIns, func(int) (string, string) { return abuseEmail, "" })
	if err != nil {
		return err
	}
	flood, err := tokenFlood(ctx, h, o.Tokens)
	if err != nil {
		return err
	}
	for _, b := range []struct {
		name string
		res  burstResult
	}{{"one account, one address", one}, {"many accounts and addresses", many}, {"control: all refused, no hash", control}, {"oversized tokens", flood}} {
		fmt.Fprintf(w, "   %-30s %5d requests in %7v: %s; peak RSS growth %s\n", b.name, b.res.requests, b.res.elapsed.Round(time.Millisecond),
			b.res.statuses(), rssString(b.res.rssGrowth))
	}
	fmt.Fprintln(w)
	// All but the failures the throttle reserves are refused before a
	// hash: 98% of 250.
	allowed := admin.SignInFailuresPerAccountAddress
	share := float64(one.byStatus[http.StatusTooManyRequests]) / float64(one.requests)
	want := float64(max(one.requests-allowed, 0)) / float64(one.requests)
	r.check(share >= want && one.byStatus[http.StatusUnauthorized] <= allowed,
		"sign-in burst on one account: %.1f%% refused with 429 before hashing, %d passwords checked (budget ≥ %.1f%%: all but %d)",
		100*share, one.byStatus[http.StatusUnauthorized], 100*want, allowed)
	for _, b := range []struct {
		name   string
		res    burstResult
		budget int64
	}{{"sign-in burst on one account", one, budgetSignInRSS}, {"sign-in burst across accounts", many, budgetSignInRSS}, {"oversized-token flood", flood, budgetTokenRSS}} {
		if raceEnabled {
			// The race detector's shadow memory makes RSS meaningless.
			r.check(b.res.unexpected == 0, "%s: %d unexpected answers (RSS not measured under the race detector)", b.name, b.res.unexpected)
			continue
		}
		r.check(b.res.rssGrowth >= 0 && b.res.rssGrowth <= b.budget && b.res.unexpected == 0, "%s: peak RSS grew %s (budget ≤ %s), %d unexpected answers",
			b.name, rssString(b.res.rssGrowth), rssString(b.budget), b.res.unexpected)
	}
	return nil
}

// burstResult is how a burst was answered and what it cost.
type burstResult struct {
	requests   int
	byStatus   map[int]int
	unexpected int // answers other than the refusals the burst should get
	busy       int // 429s because as many hashes as allowed were running and waiting
	rssGrowth  int64
	elapsed    time.Duration
}

func (b burstResult) statuses() string {
	var parts []string
	for _, code := range []int{http.StatusUnauthorized, http.StatusTooManyRequests, http.StatusRequestHeaderFieldsTooLarge, 0} {
		if n := b.byStatus[code]; n > 0 {
			name := strconv.Itoa(code)
			switch {
			case code == 0:
				name = "closed by the server"
			case code == http.StatusTooManyRequests && b.busy > 0:
				name += fmt.Sprintf(" (%d throttled, %d busy)", n-b.busy, b.busy)
			}
			parts = append(parts, fmt.Sprintf("%d × %s", n, name))
		}
	}
	return strings.Join(parts, ", ")
}

// signInForm loads the sign-in page once for its CSRF cookie and token,
// which every attempt of the bursts carries.
func signInForm(ctx context.Context, client *http.Client, base string) (signIn, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/admin/signin", nil)
	if err != nil {
		return signIn{}, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return signIn{}, err
	}
	defer resp.Body.Close()
	page, err := io.ReadAll(resp.Body)
	if err != nil {
		return signIn{}, err
	}
	m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindSubmatch(page)
	if m == nil {
		return signIn{}, fmt.Errorf("the sign-in page has no CSRF token (status %d)", resp.StatusCode)
	}
	var cookies []string
	for _, c := range resp.Cookies() {
		cookies = append(cookies, c.Name+"="+c.Value)
	}
	return signIn{csrf: string(m[1]), cookie: strings.Join(cookies, "; ")}, nil
}

type signIn struct{ csrf, cookie string }

// signInBurst sends n wrong passwords at once, the i-th for the account
// and from the address who names.
func signInBurst(ctx context.Context, client *http.Client, base string, form signIn, n int, who func(i int) (email, addr string)) (burstResult, error) {
	res := burstResult{requests: n, byStatus: map[int]int{}}
	var mu sync.Mutex
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		email, addr := who(i)
		body := url.Values{"email": {email}, "password": {"not the password " + strconv.Itoa(i)}, "csrf": {form.csrf}}.Encode()
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/admin/signin", strings.NewReader(body))
		if err != nil {
			return res, err
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Cookie", form.cookie)
		if addr != "" {
			req.Header.Set("X-Forwarded-For", addr)
		}
		wg.Go(func() {
			<-start
			code, busy := 0, false
			if resp, err := client.Do(req); err == nil {
				page, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				code = resp.StatusCode
				busy = bytes.Contains(page, []byte("checking a lot of sign-ins"))
			}
			mu.Lock()
			res.byStatus[code]++
			if busy {
				res.busy++
			}
			if code != http.StatusUnauthorized && code != http.StatusTooManyRequests {
				res.unexpected++
			}
			mu.Unlock()
		})
	}
	res.rssGrowth, res.elapsed = peakRSSGrowth(func() {
		close(start)
		wg.Wait()
	})
	return res, ctx.Err()
}

// tokenFlood sends embed tokens far longer than any real one, in the
// fragment header, in the page's query and in headers past the server's
// limit, tokenFloodConcurrency at a time.
func tokenFlood(ctx context.Context, h *harness, total int) (burstResult, error) {
	res := burstResult{byStatus: map[int]int{}}
	client := httpClient(tokenFloodConcurrency, false)
	separators := strings.Repeat(".", 28<<10) // within the 32 KiB header limit
	huge := strings.Repeat(".", 1<<20)        // past it
	section := h.fragmentURL(h.stores[0])
	var mu sync.Mutex
	var next atomic.Int64
	var wg sync.WaitGroup
	res.rssGrowth, res.elapsed = peakRSSGrowth(func() {
		for range tokenFloodConcurrency {
			wg.Go(func() {
				for ctx.Err() == nil {
					i := next.Add(1)
					if i > int64(total) {
						return
					}
					target, header, want := section, separators, http.StatusUnauthorized
					switch i % 3 {
					case 1:
						target, header = h.baseURL+"/sidebar?token="+separators, ""
					case 2:
						header, want = huge, http.StatusRequestHeaderFieldsTooLarge
					}
					req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
					if err != nil {
						continue
					}
					if header != "" {
						req.Header.Set(handlers.TokenHeader, header)
					}
					code := 0
					if resp, err := client.Do(req); err == nil {
						io.Copy(io.Discard, resp.Body)
						resp.Body.Close()
						code = resp.StatusCode
					}
					mu.Lock()
					res.requests++
					res.byStatus[code]++
					// A server that refuses headers past its limit may close
					// the connection before the client has written them all.
					if code != want && !(code == 0 && want == http.StatusRequestHeaderFieldsTooLarge) {
						res.unexpected++
					}
					mu.Unlock()
				}
			})
		}
		wg.Wait()
	})
	return res, ctx.Err()
}

// peakRSSGrowth runs f and returns how far the process's resident memory
// rose above where it was before f, sampled every 2 ms, and how long f
// took. Freed memory is returned to the OS first, so that growth is not
// hidden in pages the heap already held. -1 where RSS cannot be read.
func peakRSSGrowth(f func()) (int64, time.Duration) {
	runtime.GC()
	debug.FreeOSMemory()
	base, ok := residentBytes()
	if !ok {
		start := time.Now()
		f()
		return -1, time.Since(start)
	}
	var peak atomic.Int64
	peak.Store(base)
	done := make(chan struct{})
	var sampled sync.WaitGroup
	sampled.Go(func() {
		t := time.NewTicker(2 * time.Millisecond)
		defer t.Stop()
		for {
			if rss, ok := residentBytes(); ok && rss > peak.Load() {
				peak.Store(rss)
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	})
	start := time.Now()
	f()
	elapsed := time.Since(start)
	close(done)
	sampled.Wait()
	return peak.Load() - base, elapsed
}

// residentBytes reads the process's resident set size from Linux's
// /proc/self/statm.
func residentBytes() (int64, bool) {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0, false
	}
	fields := bytes.Fields(b)
	if len(fields) < 2 {
		return 0, false
	}
	pages, err := strconv.ParseInt(string(fields[1]), 10, 64)
	if err != nil {
		return 0, false
	}
	return pages * int64(os.Getpagesize()), true
}

func rssString(n int64) string {
	if n < 0 {
		return "n/a (no /proc/self/statm)"
	}
	return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
}

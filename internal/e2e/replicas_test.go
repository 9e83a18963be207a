package e2e

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"shopcard/domain"
	"shopcard/fakeshopify"
	"shopcard/internal/apptest"
	"shopcard/internal/pgtest"
	"shopcard/webhooks"
)

// Several replicas on one PostgreSQL behave, to reps and admins, like one
// process. Each test starts replica A with apptest (seeded) and B (and C)
// on the same database with the same configuration.

// deliveryBudget is the budget for an invalidation to reach every
// replica. Tests poll until it passes, never sleep and hope.
const deliveryBudget = time.Second

func replicas(t *testing.T, o apptest.Options) (a, b *apptest.Env) {
	t.Helper()
	o.DatabaseURL = pgtest.NewDatabase(t)
	a = apptest.Start(t, o)
	return a, a.Replica(t)
}

func mayaName(t *testing.T, e *apptest.Env) string {
	t.Helper()
	_, doc := e.Section(t, fakeshopify.AcmeDomain, fakeshopify.EmailShowcase)
	return doc.Find(apptest.Sel("customer-name")).Text()
}

// within polls check until it holds or the budget since start passed.
func within(budget time.Duration, start time.Time, check func() bool) bool {
	for {
		if check() {
			return true
		}
		if time.Since(start) > budget {
			return check()
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestReplicasAWebhookToOneEvictsTheOthersAnswer(t *testing.T) {
	t.Parallel()
	a, b := replicas(t, apptest.Options{})
	acme := a.Stores[fakeshopify.AcmeDomain]
	secret, _ := a.Fake.WebhookSecret(fakeshopify.AcmeDomain)
	if err := a.App.DB.SetWebhookSecret(t.Context(), a.WS.ID, acme.ID, domain.NewSecret(secret)); err != nil {
		t.Fatal(err)
	}
	a.Fake.SetWebhookURL(a.URL + webhooks.Path) // every delivery reaches A

	if got := mayaName(t, b); got != "Maya Chen" {
		t.Fatalf("B shows %q", got)
	}
	asked := a.Fake.Requests(fakeshopify.AcmeDomain)
	if got := mayaName(t, b); got != "Maya Chen" || a.Fake.Requests(fakeshopify.AcmeDomain) != asked {
		t.Fatalf("B's second load asked Shopify again (%q): its answer is not cached", got)
	}
	maya, _ := a.Fake.CustomerByEmail(fakeshopify.AcmeDomain, fakeshopify.EmailShowcase)
	if _, err := a.Fake.UpdateCustomer(fakeshopify.AcmeDomain, maya.ID, func(c *fakeshopify.Customer) { c.LastName = "Chen-Okafor" }); err != nil {
		t.Fatal(err)
	}
	a.Fake.FlushWebhooks() // A answered the delivery
	answered := time.Now()
	for _, d := range a.Fake.WebhookDeliveries(fakeshopify.AcmeDomain) {
		if d.Status != http.StatusOK {
			t.Fatalf("A answered %s with %d", d.Topic, d.Status)
		}
	}
	if !within(deliveryBudget, answered, func() bool { return mayaName(t, b) == "Maya Chen-Okafor" }) {
		t.Fatalf("B still shows %q %v after A acted on the webhook", mayaName(t, b), deliveryBudget)
	}
	if m := b.Metrics(t); !strings.Contains(m, `shopcard_invalidations_total{direction="received",kind="evict"}`) {
		t.Error("B counted no invalidation received")
	}
}

func TestReplicasShareSessionsThrottlesAndOAuth(t *testing.T) {
	t.Parallel()
	a, b := replicas(t, apptest.Options{Layout: apptest.AdminLayout})

	t.Run("a session made on A works on B", func(t *testing.T) {
		onA := a.SignIn(t, apptest.AdminEmail, apptest.AdminPassword)
		if p := onA.On(b).Get("/admin/stores"); p.Status() != http.StatusOK {
			t.Fatalf("B answered the session's stores page with %d", p.Status())
		}
		if p := onA.On(b).Post("/admin/signout", nil); p.Status() != http.StatusSeeOther {
			t.Fatalf("sign out on B: %d", p.Status())
		}
		if p := onA.Get("/admin/stores"); p.Status() != http.StatusSeeOther {
			t.Errorf("the session ended on B still opens A's stores page: %d", p.Status())
		}
	})

	t.Run("sign-in failures on A and B count together", func(t *testing.T) {
		fail := func(e *apptest.Env) int {
			br := e.Browser(t)
			br.Get("/admin/signin")
			return br.Post("/admin/signin", url.Values{"email": {apptest.RivalEmail}, "password": {"not the password at all"}}).Status()
		}
		// Five failures per account from one address, spread over both.
		for i, e := range []*apptest.Env{a, b, a, b, a} {
			if got := fail(e); got != http.StatusUnauthorized {
				t.Fatalf("failure %d: %d, want 401", i+1, got)
			}
		}
		for name, e := range map[string]*apptest.Env{"A": a, "B": b} {
			if got := fail(e); got != http.StatusTooManyRequests {
				t.Errorf("the sixth failure, on %s: %d, want 429", name, got)
			}
		}
	})

	t.Run("an OAuth flow started on A completes on B", func(t *testing.T) {
		onA := a.SignIn(t, apptest.AdminEmail, apptest.AdminPassword)
		p := onA.Post("/admin/stores/oauth", url.Values{"domain": {fakeshopify.SakuraDomain}})
		if p.Status() != http.StatusSeeOther {
			t.Fatalf("start OAuth on A: %d", p.Status())
		}
		authorize, _ := url.Parse(p.Resp.Header.Get("Location"))
		callback := approve(t, authorize)
		onB := onA.On(b)
		p = onB.Get(callback.Path + "?" + callback.RawQuery)
		if p.Status() != http.StatusSeeOther || p.Location() != "/admin/stores" {
			t.Fatalf("the callback on B: %d → %q", p.Status(), p.Location())
		}
		s, ok := b.Store(t, fakeshopify.SakuraDomain)
		if !ok || s.TokenKind != domain.TokenOAuth {
			t.Fatalf("B did not connect Sakura with OAuth: %+v", s)
		}
		// The state was used: the same callback again, on A, saves nothing.
		if p := onA.Get(callback.Path + "?" + callback.RawQuery); p.Status() != http.StatusForbidden {
			t.Errorf("the callback replayed on A: %d, want 403", p.Status())
		}
	})
}

// approve clicks Install app on the fake's grant screen and returns the
// callback it redirects to.
func approve(t *testing.T, authorize *url.URL) *url.URL {
	t.Helper()
	resp, err := http.Get(authorize.String())
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	form := url.Values{}
	for _, m := range regexp.MustCompile(`name="([^"]+)" value="([^"]*)"`).FindAllStringSubmatch(string(raw), -1) {
		form.Set(m[1], html.UnescapeString(m[2]))
	}
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	action := *authorize
	action.RawQuery = ""
	resp, err = noRedirect.PostForm(action.String(), form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	u, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || resp.StatusCode != http.StatusFound {
		t.Fatalf("approve: %d %v", resp.StatusCode, err)
	}
	return u
}

func TestReplicasProcessADuplicateWebhookOnce(t *testing.T) {
	t.Parallel()
	a, b := replicas(t, apptest.Options{})
	maya, _ := a.Fake.CustomerByEmail(fakeshopify.AcmeDomain, fakeshopify.EmailShowcase)
	body := []byte(fmt.Sprintf(`{"id":%d,"email":%q,"admin_graphql_api_id":"gid://shopify/Customer/%d","first_name":"Maya","last_name":"Chen","updated_at":"2026-05-01T12:00:00Z","created_at":"2026-01-01T00:00:00Z","orders_count":1,"state":"enabled","total_spent":"10.00","last_order_id":null,"note":null,"verified_email":true,"multipass_identifier":null,"tax_exempt":false,"tags":"","last_order_name":null,"currency":"USD","phone":null,"addresses":[],"tax_exemptions":[],"email_marketing_consent":null,"sms_marketing_consent":null,"default_address":null}`,
		maya.ID, fakeshopify.EmailShowcase, maya.ID))
	sig := webhooks.Sign(body, domain.NewSecret(fakeshopify.AppClientSecret))
	for _, e := range []*apptest.Env{a, b} {
		req, _ := http.NewRequest(http.MethodPost, e.URL+webhooks.Path, bytes.NewReader(body))
		req.Header.Set("X-Shopify-Topic", "customers/update")
		req.Header.Set("X-Shopify-Shop-Domain", fakeshopify.AcmeDomain)
		req.Header.Set("X-Shopify-Webhook-Id", "one-delivery")
		req.Header.Set("X-Shopify-Hmac-Sha256", sig)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("delivery answered %d", resp.StatusCode)
		}
	}
	if m := a.Metrics(t); !strings.Contains(m, `shopcard_webhook_deliveries_total{outcome="processed",topic="customers/update"} 1`) {
		t.Errorf("A did not process the delivery:\n%s", grepLines(m, "webhook_deliveries"))
	}
	if m := b.Metrics(t); !strings.Contains(m, `shopcard_webhook_deliveries_total{outcome="duplicate",topic="customers/update"} 1`) ||
		strings.Contains(m, `outcome="processed",topic="customers/update"`) {
		t.Errorf("B processed the duplicate:\n%s", grepLines(m, "webhook_deliveries"))
	}
}

func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

func TestReplicasKillingOneLeavesTheOtherServing(t *testing.T) {
	t.Parallel()
	a, b := replicas(t, apptest.Options{})
	tok := a.Token(t, fakeshopify.EmailShowcase)
	path := apptest.SectionPath(a.Stores[fakeshopify.AcmeDomain])
	var served, failed atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				req, _ := http.NewRequest(http.MethodGet, b.URL+path, nil)
				req.Header.Set("X-Shopcard-Token", tok)
				resp, err := http.DefaultClient.Do(req)
				if err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
				if err != nil || resp.StatusCode != http.StatusOK {
					failed.Add(1)
				} else {
					served.Add(1)
				}
			}
		}()
	}
	// A takes traffic too, then dies mid-stream.
	for range 20 {
		a.Get(t, path, tok)
	}
	before := served.Load()
	a.Stop()
	// B serves 50 more, or the test says it stopped serving (rather than
	// hang until go test's own timeout).
	deadline := time.Now().Add(30 * time.Second)
	for served.Load() < before+50 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if n := served.Load() - before; n < 50 {
		t.Errorf("B served %d requests in 30 s after A died, want 50", n)
	}
	close(stop)
	wg.Wait()
	if failed.Load() != 0 {
		t.Errorf("B failed %d of %d requests while A died", failed.Load(), served.Load()+failed.Load())
	}
	if resp, _ := b.Get(t, "/readyz", ""); resp.StatusCode != http.StatusOK {
		t.Errorf("B is not ready after A died: %d", resp.StatusCode)
	}
}

// TestReplicasFlushAfterTheListenerDrops cuts B's listening connection
// (it goes through a proxy the test holds) and keeps it from coming back:
// B reports not ready; once it may reconnect, it empties its caches,
// counts the flush, reports ready, and hears invalidations again.
func TestReplicasFlushAfterTheListenerDrops(t *testing.T) {
	t.Parallel()
	dbURL := pgtest.NewDatabase(t)
	proxy := newCutProxy(t, dbURL)
	a := apptest.Start(t, apptest.Options{DatabaseURL: dbURL})
	b := a.WithEnv(t, map[string]string{"SHOPCARD_DATABASE_LISTEN_URL": proxy.url})

	if got := mayaName(t, b); got != "Maya Chen" {
		t.Fatalf("B shows %q", got)
	}
	asked := a.Fake.Requests(fakeshopify.AcmeDomain)
	mayaName(t, b)
	if a.Fake.Requests(fakeshopify.AcmeDomain) != asked {
		t.Fatal("B's answer is not cached")
	}

	proxy.cut(true)
	start := time.Now()
	if !within(20*time.Second, start, func() bool {
		resp, _ := b.Get(t, "/readyz", "")
		return resp.StatusCode == http.StatusServiceUnavailable
	}) {
		t.Fatal("B stays ready without its listener")
	}
	proxy.cut(false)
	if !within(20*time.Second, time.Now(), func() bool {
		resp, _ := b.Get(t, "/readyz", "")
		return resp.StatusCode == http.StatusOK
	}) {
		t.Fatal("B did not become ready again")
	}
	if m := b.Metrics(t); !strings.Contains(m, `shopcard_cache_flushes_total{reason="listener_reconnect"} 1`) {
		t.Errorf("B did not count one flush:\n%s", grepLines(m, "flushes"))
	}
	asked = a.Fake.Requests(fakeshopify.AcmeDomain)
	mayaName(t, b)
	if a.Fake.Requests(fakeshopify.AcmeDomain) != asked+1 {
		t.Error("B served its answer from before the drop: the cache was not emptied")
	}

	// Recovered: an eviction on A reaches B again.
	maya, _ := a.Fake.CustomerByEmail(fakeshopify.AcmeDomain, fakeshopify.EmailShowcase)
	a.Fake.UpdateCustomer(fakeshopify.AcmeDomain, maya.ID, func(c *fakeshopify.Customer) { c.LastName = "Chen-Park" })
	a.App.Evictions.PurgeStore(a.Stores[fakeshopify.AcmeDomain].ID)
	evicted := time.Now()
	if !within(deliveryBudget, evicted, func() bool { return mayaName(t, b) == "Maya Chen-Park" }) {
		t.Errorf("after reconnecting, B did not hear A's eviction within %v", deliveryBudget)
	}
}

// cutProxy forwards TCP connections to the database, and can cut them
// all and refuse new ones until told otherwise.
type cutProxy struct {
	url    string
	target string
	mu     sync.Mutex
	cutOff bool
	conns  map[net.Conn]bool
}

func newCutProxy(t *testing.T, dbURL string) *cutProxy {
	t.Helper()
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &cutProxy{target: u.Host, conns: map[net.Conn]bool{}}
	u.Host = ln.Addr().String()
	p.url = u.String()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(func() { cancel(); ln.Close(); p.cut(true) })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			p.mu.Lock()
			if p.cutOff {
				p.mu.Unlock()
				c.Close()
				continue
			}
			p.conns[c] = true
			p.mu.Unlock()
			go p.forward(ctx, c)
		}
	}()
	return p
}

func (p *cutProxy) forward(ctx context.Context, c net.Conn) {
	var d net.Dialer
	up, err := d.DialContext(ctx, "tcp", p.target)
	if err != nil {
		c.Close()
		return
	}
	p.mu.Lock()
	p.conns[up] = true
	p.mu.Unlock()
	go func() { io.Copy(up, c); up.Close() }()
	io.Copy(c, up)
	c.Close()
}

// cut closes every forwarded connection and refuses new ones (true), or
// lets them through again (false).
func (p *cutProxy) cut(off bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cutOff = off
	if off {
		for c := range p.conns {
			c.Close()
		}
		p.conns = map[net.Conn]bool{}
	}
}

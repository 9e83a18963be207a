package handlers

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"shopcard/atrest"
	"shopcard/auth"
	"shopcard/cache"
	"shopcard/domain"
	"shopcard/embedtoken"
	"shopcard/fakeshopify"
	"shopcard/logging"
	"shopcard/metrics"
	"shopcard/shopify"
	"shopcard/sqlite"
	"shopcard/static"
	"shopcard/storeconnect"
	"shopcard/storehealth"
	"shopcard/tokenrefresh"
	"shopcard/webhooks"
)

// The admins of the admin test environment.
const (
	adminEmail    = "ada@acme.example"
	adminPassword = "correct horse battery staple"
	rivalEmail    = "mallory@rival.example"
	rivalPassword = "rival password, also long"
)

// testClock is the handlers' clock, moved by tests to expire sessions.
type testClock struct {
	mu     sync.Mutex
	offset time.Duration
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.offset)
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset += d
}

// adminEnv is the whole server with the admin console, wired to real
// parts: the fake Shopify (with its OAuth app) over HTTP, SQLite, the
// Shopify client, token renewal, the health tracker and the cache. The
// workspace "acme-support" has Acme and Nordic connected, not Sakura; the
// workspace "rival" has Sakura.
type adminEnv struct {
	fake    *fakeshopify.Server
	fakeURL string
	db      *sqlite.DB
	ws      domain.Workspace
	rival   domain.Workspace
	stores  map[string]domain.Store // acme-support's, by domain
	rivals  domain.Store            // rival's Sakura
	cache   *cache.Lookup
	clock   *testClock
	srv     *httptest.Server
	logs    *syncBuffer
}

// adminOptions vary the environment.
type adminOptions struct {
	publicURL string // default: the test server's URL
	noOAuth   bool
}

func newAdminEnv(tb testing.TB) *adminEnv { return newAdminEnvWith(tb, adminOptions{}) }

func newAdminEnvWith(tb testing.TB, o adminOptions) *adminEnv {
	tb.Helper()
	ctx := context.Background()
	fake := fakeshopify.NewSeeded(nil)
	fakeSrv := httptest.NewServer(fake)
	tb.Cleanup(fakeSrv.Close)
	template := fakeSrv.URL + fakeshopify.ShopURLTemplate

	box, err := atrest.New(bytes.Repeat([]byte{9}, atrest.KeySize))
	if err != nil {
		tb.Fatal(err)
	}
	db, err := sqlite.Open(ctx, filepath.Join(tb.TempDir(), "admin.db"), box)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	env := &adminEnv{fake: fake, fakeURL: fakeSrv.URL, db: db, stores: map[string]domain.Store{}, clock: &testClock{}, logs: &syncBuffer{}}
	env.ws = mustWorkspace(tb, db, "acme-support", adminEmail, adminPassword)
	env.rival = mustWorkspace(tb, db, "rival", rivalEmail, rivalPassword)

	logger := logging.New(env.logs, "debug", "text")
	m := metrics.New()
	client, err := shopify.NewClient(shopify.Options{URLTemplate: template, Observer: m})
	if err != nil {
		tb.Fatal(err)
	}
	connector := storeconnect.Connector{Checker: client, Stores: db}
	for _, s := range []struct {
		ws            domain.Workspace
		domain, token string
	}{
		{env.ws, fakeshopify.AcmeDomain, fakeshopify.AcmeToken},
		{env.ws, fakeshopify.NordicDomain, fakeshopify.NordicToken},
		{env.rival, fakeshopify.SakuraDomain, fakeshopify.SakuraToken},
	} {
		saved, _, err := connector.ConnectStore(ctx, s.ws, s.domain, domain.Store{AccessToken: domain.NewSecret(s.token)})
		if err != nil {
			tb.Fatal(err)
		}
		if s.ws.ID == env.ws.ID {
			env.stores[s.domain] = saved
		} else {
			env.rivals = saved
		}
		fake.ResetRequests(s.domain)
	}

	srv := httptest.NewUnstartedServer(nil)
	publicURL := o.publicURL
	if publicURL == "" {
		publicURL = "http://" + srv.Listener.Addr().String()
	}
	var oauthApp OAuthApp
	var refresher tokenrefresh.Refresher
	if !o.noOAuth {
		oauth, err := shopify.NewOAuth(shopify.OAuthOptions{ClientID: fakeshopify.AppClientID, ClientSecret: domain.NewSecret(fakeshopify.AppClientSecret), URLTemplate: template})
		if err != nil {
			tb.Fatal(err)
		}
		oauthApp, refresher = oauth, oauth
	}
	keeper := tokenrefresh.New(client, refresher, db, time.Now, logger)
	cached, err := cache.New(storehealth.New(keeper, db, time.Now, logger), cache.Options{TTL: time.Minute, MaxBytes: 16 << 20, Timeout: 5 * time.Second, Recorder: m})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(cached.Close)
	env.cache = cached
	verifier := embedtoken.NewVerifier(func(ctx context.Context, name string) ([]domain.Secret, error) {
		w, err := db.WorkspaceByName(ctx, name)
		if err != nil {
			return nil, err
		}
		return w.VerifyingSecrets(time.Now()), nil
	}, time.Now)
	accountLimiter, ipLimiter := NewSignInLimiters()
	srv.Config.Handler = New(Deps{
		Logger: logger, Now: env.clock.Now, Workspaces: db, Stores: db, Lookup: cached, Tokens: verifier, DB: db,
		Metrics: m, Static: static.Embedded(), FrameAncestors: []string{"https://inbox.example.com"}, StoreTimeout: 3 * time.Second,
		Admin: &Admin{
			Accounts: db, Workspaces: db, Stores: db, Connector: connector, Checker: client, Keeper: keeper, Cache: cached,
			OAuth: oauthApp, PublicURL: publicURL, DefaultCacheTTL: time.Minute,
			AccountLimiter: accountLimiter, IPLimiter: ipLimiter,
			Webhooks: db,
			Subscribe: func(ctx context.Context, s domain.Store) ([]domain.WebhookSubscription, error) {
				return webhooks.Subscribe(ctx, client, db, s, publicURL)
			},
		},
	})
	srv.Start()
	tb.Cleanup(srv.Close)
	env.srv = srv
	return env
}

func mustWorkspace(tb testing.TB, db *sqlite.DB, name, email, password string) domain.Workspace {
	tb.Helper()
	ctx := context.Background()
	ws, err := db.CreateWorkspace(ctx, name)
	if err != nil {
		tb.Fatal(err)
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := db.CreateAdmin(ctx, ws.ID, email, hash); err != nil {
		tb.Fatal(err)
	}
	return ws
}

// browser is one person's browser: a cookie jar, no automatic redirects
// (tests look at each one), and the CSRF token of the last page it saw.
type browser struct {
	tb     testing.TB
	env    *adminEnv
	client *http.Client
	csrf   string
}

func (e *adminEnv) browser(tb testing.TB) *browser {
	tb.Helper()
	jar, _ := cookiejar.New(nil)
	return &browser{tb: tb, env: e, client: &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// page is a response, read and parsed.
type page struct {
	resp *http.Response
	body string
	doc  *goquery.Document
}

func (p page) status() int { return p.resp.StatusCode }

// location is the path (and query) a redirect points to.
func (p page) location() string {
	u, err := url.Parse(p.resp.Header.Get("Location"))
	if err != nil {
		return ""
	}
	return u.RequestURI()
}

func (p page) attr(testid, name string) string {
	v, _ := p.doc.Find(sel(testid)).First().Attr(name)
	return v
}

func (p page) text(testid string) string {
	return strings.TrimSpace(p.doc.Find(sel(testid)).First().Text())
}

func (b *browser) do(req *http.Request) page {
	b.tb.Helper()
	resp, err := b.client.Do(req)
	if err != nil {
		b.tb.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		b.tb.Fatal(err)
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(raw))
	if err != nil {
		b.tb.Fatal(err)
	}
	if v, ok := doc.Find(`input[name="csrf"]`).First().Attr("value"); ok {
		b.csrf = v
	}
	return page{resp: resp, body: string(raw), doc: doc}
}

// get fetches a path on the server, or an absolute URL.
func (b *browser) get(target string) page {
	b.tb.Helper()
	if strings.HasPrefix(target, "/") {
		target = b.env.srv.URL + target
	}
	req, err := http.NewRequest(http.MethodGet, target, nil)
	if err != nil {
		b.tb.Fatal(err)
	}
	return b.do(req)
}

// post submits a form with the browser's CSRF token, unless the form sets
// its own "csrf" (even empty).
func (b *browser) post(path string, form url.Values) page {
	b.tb.Helper()
	if form == nil {
		form = url.Values{}
	}
	if _, set := form["csrf"]; !set {
		form.Set("csrf", b.csrf)
	}
	req, err := http.NewRequest(http.MethodPost, b.env.srv.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		b.tb.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

// signIn signs a browser in and loads the stores page.
func (e *adminEnv) signIn(tb testing.TB, email, password string) *browser {
	tb.Helper()
	b := e.browser(tb)
	b.get("/admin/signin")
	p := b.post("/admin/signin", url.Values{"email": {email}, "password": {password}})
	if p.status() != http.StatusSeeOther || p.location() != "/admin/stores" {
		tb.Fatalf("sign in as %s: %d → %q\n%s", email, p.status(), p.location(), p.text("notice"))
	}
	if p := b.get("/admin/stores"); p.status() != http.StatusOK {
		tb.Fatalf("stores page: %d", p.status())
	}
	return b
}

// sessionCookie returns the browser's session cookie value.
func (b *browser) cookie(name string) string {
	u, _ := url.Parse(b.env.srv.URL)
	for _, c := range b.client.Jar.Cookies(u) {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}

// store reads a store of acme-support back from the database.
func (e *adminEnv) store(tb testing.TB, shop string) (domain.Store, bool) {
	tb.Helper()
	s, err := e.db.StoreByDomain(context.Background(), e.ws.ID, shop)
	if domain.KindOf(err) == domain.KindNotFound {
		return domain.Store{}, false
	}
	if err != nil {
		tb.Fatal(err)
	}
	return s, true
}

func (e *adminEnv) workspace(tb testing.TB) domain.Workspace {
	tb.Helper()
	ws, err := e.db.WorkspaceByID(context.Background(), e.ws.ID)
	if err != nil {
		tb.Fatal(err)
	}
	return ws
}

// mintToken signs an embed token for a workspace.
func mintToken(tb testing.TB, ws domain.Workspace, email string) string {
	tb.Helper()
	tok, err := embedtoken.Sign(ws.EmbedSecret, embedtoken.Claims{Workspace: ws.Name, Email: email}, time.Now(), 15*time.Minute)
	if err != nil {
		tb.Fatal(err)
	}
	return tok
}

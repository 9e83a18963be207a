package handlers

import (
	"bytes"
	"cmp"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"shopcard/atrest"
	"shopcard/cache"
	"shopcard/domain"
	"shopcard/embedtoken"
	"shopcard/fakeshopify"
	"shopcard/logging"
	"shopcard/metrics"
	"shopcard/shopify"
	"shopcard/sqlite"
	"shopcard/static"
	"shopcard/storehealth"
	"shopcard/webhooks"
)

// syncBuffer collects log output from concurrent handlers.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// testEnv is the HTTP layer wired to real parts: the fake Shopify over
// HTTP, a SQLite database on disk, the Shopify client, the health tracker
// and the cache.
type testEnv struct {
	fake   *fakeshopify.Server
	db     *sqlite.DB
	ws     domain.Workspace
	stores map[string]domain.Store // by domain
	srv    *httptest.Server
	logs   *syncBuffer
	cache  *cache.Lookup
	// sections keeps rendered sections, as in production, so every test
	// also checks that a kept section is never sent when it is stale.
	sections *SectionCache
	opts     envOptions
}

// envOptions change the environment for a test.
type envOptions struct {
	storeTimeout time.Duration // the section deadline; 3 s by default
	appSecret    string        // SHOPCARD_SHOPIFY_CLIENT_SECRET
	// logOutput and logLevel replace the log buffer tests read (debug
	// level); benchmarks log at info to io.Discard, as production would
	// to stderr.
	logOutput io.Writer
	logLevel  string
	// now is the clock sections are presented with (relative times, stale
	// lines); time.Now by default. Tokens keep the real clock.
	now func() time.Time
}

func newTestEnv(tb testing.TB, opts ...func(*envOptions)) *testEnv {
	tb.Helper()
	o := envOptions{storeTimeout: 3 * time.Second, now: time.Now}
	for _, f := range opts {
		f(&o)
	}
	ctx := context.Background()
	fake := fakeshopify.NewSeeded(nil)
	fakeSrv := httptest.NewServer(fake)
	tb.Cleanup(fakeSrv.Close)

	box, err := atrest.New(bytes.Repeat([]byte{3}, atrest.KeySize))
	if err != nil {
		tb.Fatal(err)
	}
	db, err := sqlite.Open(ctx, filepath.Join(tb.TempDir(), "test.db"), box)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	ws, err := db.CreateWorkspace(ctx, "acme-support")
	if err != nil {
		tb.Fatal(err)
	}

	logs := &syncBuffer{}
	var logTo io.Writer = logs
	if o.logOutput != nil {
		logTo = o.logOutput
	}
	logger := logging.New(logTo, cmp.Or(o.logLevel, "debug"), "text")
	m := metrics.New()
	client, err := shopify.NewClient(shopify.Options{URLTemplate: fakeSrv.URL + fakeshopify.ShopURLTemplate, Observer: m})
	if err != nil {
		tb.Fatal(err)
	}
	setup, err := shopify.NewClient(shopify.Options{URLTemplate: fakeSrv.URL + fakeshopify.ShopURLTemplate})
	if err != nil {
		tb.Fatal(err)
	}
	env := &testEnv{fake: fake, db: db, ws: ws, stores: map[string]domain.Store{}, logs: logs, opts: o}
	for _, s := range []struct{ domain, token string }{
		{fakeshopify.AcmeDomain, fakeshopify.AcmeToken},
		{fakeshopify.NordicDomain, fakeshopify.NordicToken},
		{fakeshopify.SakuraDomain, fakeshopify.SakuraToken},
	} {
		info, err := setup.CheckAccess(ctx, s.domain, domain.NewSecret(s.token))
		if err != nil {
			tb.Fatal(err)
		}
		saved, _, err := db.SaveStore(ctx, domain.Store{WorkspaceID: ws.ID, Domain: s.domain, ShopName: info.Name, AccessToken: domain.NewSecret(s.token), Scopes: info.Scopes})
		if err != nil {
			tb.Fatal(err)
		}
		env.stores[s.domain] = saved
		fake.ResetRequests(s.domain)
	}
	cached, err := cache.New(storehealth.New(client, db, time.Now, logger), cache.Options{
		TTL: time.Minute, MaxBytes: 16 << 20, Timeout: o.storeTimeout, StaleTTL: 24 * time.Hour, StaleMaxBytes: 16 << 20, Recorder: m,
	})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(cached.Close)
	env.cache = cached
	m.WatchStoreConnections(db.StoreStatusCounts, []string{"healthy", "needs_reconnect", "frozen", "locked", "disconnected"})
	receiver := webhooks.NewReceiver(webhooks.Options{Store: db, Cache: cached, AppSecret: domain.NewSecret(o.appSecret), Recorder: m, Logger: logger})
	// The sidebar reads through the same cache as in production, so these
	// tests see that changes take effect at once.
	reads, err := db.NewReadCache(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { reads.Close() })
	verifier := embedtoken.NewVerifier(func(ctx context.Context, name string) ([]domain.Secret, error) {
		w, err := reads.WorkspaceByName(ctx, name)
		if err != nil {
			return nil, err
		}
		return []domain.Secret{w.EmbedSecret}, nil
	}, time.Now)
	tb.Cleanup(verifier.Close)
	sections, err := NewSectionCache(16 << 20)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(sections.Close)
	env.sections = sections
	e := New(Deps{
		Logger: logger, Now: o.now, Workspaces: reads, Stores: reads, Lookup: cached, Tokens: verifier, Webhooks: receiver, DB: db,
		Metrics: m, Static: static.Embedded(), FrameAncestors: []string{"https://inbox.example.com"}, StoreTimeout: o.storeTimeout, Sections: sections,
		ReadScope: sqlite.WithReadScope,
	})
	env.srv = httptest.NewServer(e)
	tb.Cleanup(env.srv.Close)
	return env
}

// token mints an embed token for the test workspace.
func (e *testEnv) token(tb testing.TB, email string) string {
	tb.Helper()
	return e.tokenFor(tb, embedtoken.Claims{Email: email, Name: "Test Contact"})
}

// tokenFor mints an embed token with the given claims, in the test
// workspace.
func (e *testEnv) tokenFor(tb testing.TB, c embedtoken.Claims) string {
	tb.Helper()
	c.Workspace = e.ws.Name
	tok, err := embedtoken.Sign(e.ws.EmbedSecret, c, time.Now(), 15*time.Minute)
	if err != nil {
		tb.Fatal(err)
	}
	return tok
}

// sectionWith loads one store's fragment with a token and parses it.
func (e *testEnv) sectionWith(tb testing.TB, storeDomain, token string) *goquery.Document {
	tb.Helper()
	resp, body := e.get(tb, "/sidebar/stores/"+itoa(e.stores[storeDomain].ID), token)
	if resp.StatusCode != http.StatusOK {
		tb.Fatalf("section status %d: %s", resp.StatusCode, body)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	return doc
}

// metrics returns the /metrics page.
func (e *testEnv) metrics(tb testing.TB) string {
	tb.Helper()
	_, body := e.get(tb, "/metrics", "")
	return body
}

// get fetches a path, with the token in the fragment header when given.
func (e *testEnv) get(tb testing.TB, path, headerToken string) (*http.Response, string) {
	tb.Helper()
	req, err := http.NewRequest(http.MethodGet, e.srv.URL+path, nil)
	if err != nil {
		tb.Fatal(err)
	}
	if headerToken != "" {
		req.Header.Set(TokenHeader, headerToken)
		req.Header.Set("HX-Request", "true")
	}
	resp, err := e.srv.Client().Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatal(err)
	}
	return resp, string(b)
}

// section loads one store's fragment for an email and parses it.
func (e *testEnv) section(tb testing.TB, storeDomain, email string) (*http.Response, *goquery.Document) {
	tb.Helper()
	s := e.stores[storeDomain]
	resp, body := e.get(tb, "/sidebar/stores/"+itoa(s.ID), e.token(tb, email))
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	return resp, doc
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func sel(id string) string { return `[data-testid="` + id + `"]` }

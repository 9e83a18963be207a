// Package apptest starts the whole application for tests: app.New, the
// production wiring, in front of the fake Shopify over real HTTP, on a
// SQLite database in a temporary directory, with workspaces, admins and
// stores seeded through the same checks an admin's connection goes
// through. Tests drive it over HTTP like a browser or an inbox would.
package apptest

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"shopcard/ai"
	"shopcard/auth"
	"shopcard/config"
	"shopcard/domain"
	"shopcard/embedtoken"
	"shopcard/fakeshopify"
	"shopcard/handlers"
	"shopcard/internal/app"
	"shopcard/internal/pgtest"
	"shopcard/logging"
)

// The seeded workspaces' admins.
const (
	AdminEmail    = "ada@acme.example"
	AdminPassword = "correct horse battery staple"
	RivalEmail    = "mallory@rival.example"
	RivalPassword = "rival password, also long"
)

// Workspace names.
const (
	WorkspaceName = "acme-support"
	RivalName     = "rival"
)

// InboxOrigin is the inbox origin every test app lets frame the sidebar.
const InboxOrigin = "https://inbox.example.com"

// MetricsToken opens /metrics on every test app (SHOPCARD_METRICS_TOKEN),
// unless a test's Env sets another or none.
const MetricsToken = "metrics-token-for-tests-only"

// Layout says which fake stores are connected where.
type Layout int

// The layouts tests use.
const (
	// SidebarLayout connects Acme, Nordic and Sakura to acme-support, and
	// creates no admins.
	SidebarLayout Layout = iota
	// AdminLayout connects Acme and Nordic to acme-support (admin Ada),
	// and Sakura to rival (admin Mallory).
	AdminLayout
	// AILayout connects Acme and Sakura with tokens that grant
	// read_products, and Nordic without, to acme-support (admin Ada), and
	// Sakura again, without read_products, to rival (admin Mallory): the
	// AI actions across stores, with a store that has not granted the
	// scope, and another workspace.
	AILayout
)

// Options vary the application under test.
type Options struct {
	Layout Layout
	// Env are SHOPCARD_* settings over the test defaults (see Start).
	Env map[string]string
	// NoOAuth leaves the Shopify app unconfigured: no OAuth, no renewal,
	// no app-signed webhooks.
	NoOAuth bool
	// Now replaces the test clock (Env.Clock) as the application's clock.
	Now func() time.Time
	// LogOutput and LogLevel replace the log buffer tests read (at debug
	// level).
	LogOutput io.Writer
	LogLevel  string
	// Dev and Demo are app.Options'.
	Dev  bool
	Demo *app.Demo
	// DatabaseURL runs the application on PostgreSQL (pgtest.NewDatabase
	// makes one). Every test runs on PostgreSQL when SHOPCARD_TEST_ENGINE
	// is postgres (and SHOPCARD_TEST_DATABASE_URL names a server).
	DatabaseURL string
	// Unseeded starts on a database that already holds its data (a copy,
	// say): nothing is created, and WS and Stores are read back.
	Unseeded bool
}

// Env is a running application and what tests need to drive it.
type Env struct {
	App     *app.App
	Fake    *fakeshopify.Server
	FakeURL string
	// URL is the application's base URL, also its SHOPCARD_PUBLIC_URL.
	URL  string
	Srv  *httptest.Server
	Logs *SyncBuffer
	// Clock is the application's clock unless Options.Now replaced it.
	Clock *Clock
	now   func() time.Time

	// WS is acme-support; Stores are its stores by domain.
	WS     domain.Workspace
	Stores map[string]domain.Store
	// Rival and RivalStore exist in AdminLayout.
	Rival      domain.Workspace
	RivalStore domain.Store

	cfg  config.Config
	vars map[string]string
	opts Options
}

// testKey is the at-rest key of every test database.
var testKey = hex.EncodeToString(bytes.Repeat([]byte{3}, 32))

// Start builds the application with app.New and serves it. The defaults:
// the fake Shopify, the fake's OAuth app, a 3 s section deadline, 60 s
// cache TTL and 24 h stale answers in 16 MiB each, InboxOrigin as frame
// ancestor, and the server's own URL as public URL.
func Start(tb testing.TB, o Options) *Env {
	tb.Helper()
	ctx := context.Background()
	env := &Env{Stores: map[string]domain.Store{}, Logs: &SyncBuffer{}, Clock: &Clock{}}
	env.now = env.Clock.Now
	if o.Now != nil {
		env.now = o.Now
	}
	env.Fake = fakeshopify.NewSeeded(nil)
	fakeSrv := httptest.NewServer(env.Fake)
	tb.Cleanup(fakeSrv.Close)
	env.FakeURL = fakeSrv.URL

	env.Srv = httptest.NewUnstartedServer(nil)
	env.URL = "http://" + env.Srv.Listener.Addr().String()
	vars := map[string]string{
		"SHOPCARD_DB":                     filepath.Join(tb.TempDir(), "test.db"),
		"SHOPCARD_SECRET_KEY":             testKey,
		"SHOPCARD_SHOPIFY_URL":            env.FakeURL + fakeshopify.ShopURLTemplate,
		"SHOPCARD_SHOPIFY_TIMEOUT":        "3s",
		"SHOPCARD_CACHE_MAX_BYTES":        "16MiB",
		"SHOPCARD_STALE_MAX_BYTES":        "16MiB",
		"SHOPCARD_RENDER_CACHE_MAX_BYTES": "16MiB",
		"SHOPCARD_FRAME_ANCESTORS":        InboxOrigin,
		"SHOPCARD_PUBLIC_URL":             env.URL,
		"SHOPCARD_METRICS_TOKEN":          MetricsToken,
	}
	if !o.NoOAuth {
		vars["SHOPCARD_SHOPIFY_CLIENT_ID"] = fakeshopify.AppClientID
		vars["SHOPCARD_SHOPIFY_CLIENT_SECRET"] = fakeshopify.AppClientSecret
	}
	if o.DatabaseURL == "" && os.Getenv("SHOPCARD_TEST_ENGINE") == "postgres" {
		o.DatabaseURL = pgtest.NewDatabase(tb)
	}
	if o.DatabaseURL != "" {
		vars["SHOPCARD_DATABASE_URL"] = o.DatabaseURL
	}
	for k, v := range o.Env {
		vars[k] = v
	}
	cfg, err := config.Load(func(k string) string { return vars[k] }, "")
	if err != nil {
		tb.Fatal(err)
	}
	// A new SQLite file with the test key starts as a copy of the migrated
	// template (see template.go); any other database is opened as it is.
	if cfg.DatabaseURL == "" && cfg.SecretKey == testKey {
		if _, err := os.Stat(cfg.DB); errors.Is(err, fs.ErrNotExist) {
			if err := copyTemplate(cfg.DB); err != nil {
				tb.Fatal(err)
			}
		}
	}
	env.cfg, env.opts, env.vars = cfg, o, vars
	a := env.newApp(tb)
	env.App = a

	if o.Unseeded {
		env.readBack(tb)
		env.Srv.Config.Handler = a.HTTP
		env.Srv.Start()
		tb.Cleanup(env.Srv.Close)
		return env
	}
	withAdmins := o.Layout == AdminLayout || o.Layout == AILayout
	acme := env.workspace(tb, WorkspaceName, withAdmins, AdminEmail, AdminPassword)
	env.WS = acme
	sakuraIn := acme
	if withAdmins {
		env.Rival = env.workspace(tb, RivalName, true, RivalEmail, RivalPassword)
		sakuraIn = env.Rival
	}
	type connection struct {
		ws            domain.Workspace
		domain, token string
	}
	connections := []connection{
		{acme, fakeshopify.AcmeDomain, fakeshopify.AcmeToken},
		{acme, fakeshopify.NordicDomain, fakeshopify.NordicToken},
		{sakuraIn, fakeshopify.SakuraDomain, fakeshopify.SakuraToken},
	}
	if o.Layout == AILayout {
		connections = []connection{
			{acme, fakeshopify.AcmeDomain, fakeshopify.AcmeTokenWithProducts},
			{acme, fakeshopify.NordicDomain, fakeshopify.NordicToken},
			{acme, fakeshopify.SakuraDomain, fakeshopify.SakuraTokenWithProducts},
			{env.Rival, fakeshopify.SakuraDomain, fakeshopify.SakuraToken},
		}
	}
	for _, s := range connections {
		saved, _, err := a.Connector.ConnectStore(ctx, s.ws, s.domain, domain.Store{AccessToken: domain.NewSecret(s.token), TokenKind: domain.TokenCustomApp})
		if err != nil {
			tb.Fatal(err)
		}
		if s.ws.ID == acme.ID {
			env.Stores[s.domain] = saved
		} else {
			env.RivalStore = saved
		}
		env.Fake.ResetRequests(s.domain)
	}
	env.Srv.Config.Handler = a.HTTP
	env.Srv.Start()
	tb.Cleanup(env.Srv.Close)
	return env
}

func (e *Env) newApp(tb testing.TB) *app.App {
	tb.Helper()
	var logTo io.Writer = e.Logs
	if e.opts.LogOutput != nil {
		logTo = e.opts.LogOutput
	}
	level := e.opts.LogLevel
	if level == "" {
		level = "debug"
	}
	a, err := app.New(context.Background(), e.cfg, app.Options{Now: e.now, Logger: logging.New(logTo, level, "text"), Dev: e.opts.Dev, Demo: e.opts.Demo})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(a.Close)
	return a
}

// Replica starts another application on this one's PostgreSQL database,
// with the same configuration (its public URL stands for the load
// balancer's) and the same fake Shopify, as another replica behind the
// load balancer would run: nothing is seeded again. Its Stop ends it
// abruptly, as a killed process would.
func (e *Env) Replica(tb testing.TB) *Env {
	tb.Helper()
	if e.cfg.DatabaseURL == "" {
		tb.Fatal("Replica needs an application on PostgreSQL (Options.DatabaseURL)")
	}
	r := *e
	r.Stores = e.Stores
	r.App = e.newApp(tb)
	r.Srv = httptest.NewServer(r.App.HTTP)
	tb.Cleanup(r.Srv.Close)
	r.URL = r.Srv.URL
	return &r
}

// Stop ends the replica at once: its server closes every connection and
// the application closes, as if the process were killed.
func (e *Env) Stop() {
	e.Srv.CloseClientConnections()
	e.Srv.Close()
	e.App.Close()
}

// readBack finds acme-support and its stores in a database seeded before.
func (e *Env) readBack(tb testing.TB) {
	tb.Helper()
	ws, err := e.App.DB.WorkspaceByName(context.Background(), WorkspaceName)
	if err != nil {
		tb.Fatal(err)
	}
	e.WS = ws
	stores, err := e.App.DB.StoresByWorkspace(context.Background(), ws.ID)
	if err != nil {
		tb.Fatal(err)
	}
	for _, s := range stores {
		e.Stores[s.Domain] = s
	}
}

// adminHashes caches password hashes across tests: the test admins'
// passwords never change.
var adminHashes sync.Map

// seededPasswordCost is the argon2id cost of the admins a test seeds. At
// the default (19 MiB, two passes) each sign-in takes about 0.1 s of CPU
// under the race detector, and the console's tests sign in about a hundred
// times: about a third of handlers/admin's CPU went to it. A hash carries
// its cost, so sign-ins check these at this cost through the same code;
// admins made through the CLI or the console, and every hash auth's own
// tests check, use the default.
var seededPasswordCost = auth.PasswordCost{MemoryKiB: 64, Passes: 1}

func (e *Env) workspace(tb testing.TB, name string, withAdmin bool, email, password string) domain.Workspace {
	tb.Helper()
	ctx := context.Background()
	ws, err := e.App.DB.CreateWorkspace(ctx, name)
	if err != nil {
		tb.Fatal(err)
	}
	if !withAdmin {
		return ws
	}
	hash, ok := adminHashes.Load(password)
	if !ok {
		h, err := auth.HashPasswordAt(password, seededPasswordCost)
		if err != nil {
			tb.Fatal(err)
		}
		hash, _ = adminHashes.LoadOrStore(password, h)
	}
	if _, err := e.App.DB.CreateAdmin(ctx, ws.ID, email, hash.(string)); err != nil {
		tb.Fatal(err)
	}
	return ws
}

// APIKey makes an API key for a workspace, as `shopcard api-key create`
// does, and returns the key and its record.
func (e *Env) APIKey(tb testing.TB, ws domain.Workspace, name string) (string, domain.APIKey) {
	tb.Helper()
	key, k, err := ai.NewAPIKey(context.Background(), e.App.DB, ws.ID, name)
	if err != nil {
		tb.Fatal(err)
	}
	return key, k
}

// Now is the application's clock.
func (e *Env) Now() time.Time { return e.now() }

// Token mints an embed token for acme-support, as its inbox would.
func (e *Env) Token(tb testing.TB, email string) string {
	tb.Helper()
	return e.TokenFor(tb, embedtoken.Claims{Email: email, Name: "Test Contact"})
}

// TokenFor mints an embed token with the given claims, in acme-support.
func (e *Env) TokenFor(tb testing.TB, c embedtoken.Claims) string {
	tb.Helper()
	c.Workspace = e.WS.Name
	return e.MintToken(tb, e.WS, c)
}

// MintToken signs an embed token for a workspace with its current secret,
// issued now by the application's clock, for 15 minutes.
func (e *Env) MintToken(tb testing.TB, ws domain.Workspace, c embedtoken.Claims) string {
	tb.Helper()
	if c.Workspace == "" {
		c.Workspace = ws.Name
	}
	tok, err := embedtoken.Sign(ws.EmbedSecret, c, e.now(), 15*time.Minute)
	if err != nil {
		tb.Fatal(err)
	}
	return tok
}

// Get fetches a path, with the token in the fragment header when given,
// as htmx sends it.
func (e *Env) Get(tb testing.TB, path, headerToken string) (*http.Response, string) {
	tb.Helper()
	req, err := http.NewRequest(http.MethodGet, e.URL+path, nil)
	if err != nil {
		tb.Fatal(err)
	}
	if headerToken != "" {
		req.Header.Set(handlers.TokenHeader, headerToken)
		req.Header.Set("HX-Request", "true")
	}
	resp, err := e.Srv.Client().Do(req)
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

// SectionPath is a store section's fragment URL path.
func SectionPath(s domain.Store) string {
	return "/sidebar/stores/" + strconv.FormatInt(s.ID, 10)
}

// OrderPath is an opened order's fragment URL path.
func OrderPath(s domain.Store, orderID uint64) string {
	return SectionPath(s) + "/orders/" + strconv.FormatUint(orderID, 10)
}

// OrderPaths are a store's order fragment paths, as the handler builds
// them, for presenting sections as the handler does.
func OrderPaths(s domain.Store) func(uint64) string {
	return func(id uint64) string { return OrderPath(s, id) }
}

// Section loads one store's fragment for an email and parses it.
func (e *Env) Section(tb testing.TB, storeDomain, email string) (*http.Response, *goquery.Document) {
	tb.Helper()
	resp, body := e.Get(tb, SectionPath(e.Stores[storeDomain]), e.Token(tb, email))
	return resp, parse(tb, body)
}

// SectionWith loads one store's fragment with a token and parses it,
// failing unless it answers 200.
func (e *Env) SectionWith(tb testing.TB, storeDomain, token string) *goquery.Document {
	tb.Helper()
	resp, body := e.Get(tb, SectionPath(e.Stores[storeDomain]), token)
	if resp.StatusCode != http.StatusOK {
		tb.Fatalf("section status %d: %s", resp.StatusCode, body)
	}
	return parse(tb, body)
}

// Metrics returns the /metrics page, read with MetricsToken.
func (e *Env) Metrics(tb testing.TB) string {
	tb.Helper()
	req, err := http.NewRequest(http.MethodGet, e.URL+"/metrics", nil)
	if err != nil {
		tb.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+MetricsToken)
	resp, err := e.Srv.Client().Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		tb.Fatalf("/metrics: %d %s", resp.StatusCode, b)
	}
	return string(b)
}

// Store reads a store of acme-support back from the database.
func (e *Env) Store(tb testing.TB, shop string) (domain.Store, bool) {
	tb.Helper()
	s, err := e.App.DB.StoreByDomain(context.Background(), e.WS.ID, shop)
	if domain.KindOf(err) == domain.KindNotFound {
		return domain.Store{}, false
	}
	if err != nil {
		tb.Fatal(err)
	}
	return s, true
}

// Workspace reads acme-support back from the database.
func (e *Env) Workspace(tb testing.TB) domain.Workspace {
	tb.Helper()
	ws, err := e.App.DB.WorkspaceByID(context.Background(), e.WS.ID)
	if err != nil {
		tb.Fatal(err)
	}
	return ws
}

// Sel selects an element by its data-testid.
func Sel(id string) string { return `[data-testid="` + id + `"]` }

func parse(tb testing.TB, body string) *goquery.Document {
	tb.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	return doc
}

// SyncBuffer collects log output from concurrent handlers.
type SyncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *SyncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String is everything written so far.
func (b *SyncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Clock is the real time plus an offset tests move forward, to expire
// sessions, tokens and cached answers.
type Clock struct {
	mu     sync.Mutex
	offset time.Duration
}

// Now is the real time plus the offset.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.offset)
}

// Advance moves the clock forward.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset += d
}

// StoppedClock is a clock that moves only when a test advances it, for
// tests that count what a rate allows: with real time, an allowance refills
// while a loaded machine runs the requests, and the counts drift.
type StoppedClock struct {
	mu  sync.Mutex
	now time.Time
}

// NewStoppedClock returns a clock standing at t.
func NewStoppedClock(t time.Time) *StoppedClock { return &StoppedClock{now: t} }

// Now is where the clock stands.
func (c *StoppedClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward.
func (c *StoppedClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// WithEnv starts a replica as Replica does, with some settings changed
// (its listen URL, say).
func (e *Env) WithEnv(tb testing.TB, vars map[string]string) *Env {
	tb.Helper()
	getenv := func(k string) string {
		if v, ok := vars[k]; ok {
			return v
		}
		return e.vars[k]
	}
	cfg, err := config.Load(getenv, "")
	if err != nil {
		tb.Fatal(err)
	}
	r := *e
	r.cfg = cfg
	return r.Replica(tb)
}

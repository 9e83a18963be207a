// Package app is shopcard's composition root: New builds the whole
// application, every dependency once, and passes each part what it uses.
// The server, the CLI, the demo, dev mode, the load test and the tests all
// get their application from New, so they run the production wiring.
package app

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"runtime/debug"
	"time"

	"github.com/labstack/echo/v4"

	"shopcard/ai"
	"shopcard/atrest"
	"shopcard/cache"
	"shopcard/config"
	"shopcard/domain"
	"shopcard/embedtoken"
	"shopcard/fanout"
	"shopcard/handlers"
	"shopcard/handlers/admin"
	"shopcard/handlers/aiapi"
	"shopcard/handlers/sectioncache"
	"shopcard/inbox"
	"shopcard/inbox/chatwoot"
	"shopcard/inbox/front"
	"shopcard/inbox/helpscout"
	"shopcard/inbox/session"
	"shopcard/inbox/zendesk"
	"shopcard/logging"
	"shopcard/metrics"
	"shopcard/postgres"
	"shopcard/present/gallery"
	"shopcard/shopify"
	"shopcard/sqlite"
	"shopcard/static"
	"shopcard/storage"
	"shopcard/storeconnect"
	"shopcard/storehealth"
	"shopcard/tokenrefresh"
	"shopcard/views"
	"shopcard/webhooks"
)

// Options are what differs between serve, demo, dev, the load test and
// tests; the rest comes from the configuration.
type Options struct {
	// Now is the clock of sessions, tokens, presenters and renewals;
	// time.Now when nil.
	Now func() time.Time
	// Logger replaces the one the configuration describes, to stderr.
	Logger *slog.Logger
	// Static serves the stylesheet and scripts; the embedded files when
	// nil.
	Static *static.Files
	// Dev is designer mode: the component gallery.
	Dev bool
	// Demo serves the inbox simulator at /demo (and the gallery).
	Demo *Demo
	// FrameAncestors are added to the configured ones.
	FrameAncestors []string
}

// Demo is the inbox simulator's settings.
type Demo struct {
	Workspace string
	Contacts  []views.DemoContact
	// Helpdesks are the helpdesk simulators' pages by kind; the demo fills
	// them in once its installations exist.
	Helpdesks map[string]string
}

// App is the assembled application. Its fields are the parts that
// commands and tests drive directly; everything else is wired inside.
type App struct {
	Config config.Config
	Logger *slog.Logger
	// DB is the database: SQLite, or PostgreSQL when
	// SHOPCARD_DATABASE_URL says so.
	DB storage.DB
	// Reads are the sidebar's reads of workspaces and stores, from memory
	// while the database is unchanged.
	Reads storage.Reads
	// Replica names this process among several on one PostgreSQL.
	Replica string
	// Listener hears the other replicas' invalidations; nil on SQLite.
	Listener *postgres.Listener
	// Shopify is the client every call to Shopify goes through.
	Shopify *shopify.Client
	// Connector connects stores with the checks the console and the CLI
	// share.
	Connector storeconnect.Connector
	// Keeper renews expiring tokens: OAuth stores' and Dev Dashboard
	// apps'.
	Keeper *tokenrefresh.Keeper
	// Lookup is the sidebar's lookup chain: cache → health tracker →
	// token renewal → Shopify.
	Lookup *cache.Lookup
	// Evictions drops answers from Lookup and tells the other replicas
	// to drop them too: the webhook receiver, the console and the CLI
	// evict through it.
	Evictions *fanout.Broadcaster
	Sections  *sectioncache.Cache
	Verifier  *embedtoken.Verifier
	Webhooks  *webhooks.Receiver
	// AI runs the AI actions for the MCP server and the JSON API.
	AI *ai.Service
	// Inboxes verifies helpdesk requests and opens sidebars for them.
	Inboxes *session.Service
	Metrics *metrics.Metrics
	// HTTP serves every route.
	HTTP *echo.Echo

	closers []func()
}

// storeStatuses are the connection statuses metrics always report, at zero
// when no store is in them.
var storeStatuses = []string{
	string(domain.StoreHealthy), string(domain.StoreNeedsReconnect), string(domain.StoreFrozen),
	string(domain.StoreLocked), string(domain.StoreDisconnected),
}

// New builds the application: it opens the database (creating the
// encryption key file on first run), and wires the Shopify client, the
// lookup chain, the caches, the webhook receiver and the HTTP server.
func New(ctx context.Context, cfg config.Config, o Options) (a *App, err error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Static == nil {
		o.Static = static.Embedded()
	}
	a = &App{Config: cfg, Logger: o.Logger}
	if a.Logger == nil {
		a.Logger = logging.New(os.Stderr, cfg.LogLevel, cfg.LogFormat)
	}
	// Every failure below returns nil for a, so close what was opened
	// through a copy of the pointer.
	built := a
	defer func() {
		if err != nil {
			built.Close()
		}
	}()
	a.Replica = newReplicaName()
	eng, err := openEngine(ctx, cfg, a.Logger, a.Replica)
	if err != nil {
		return nil, err
	}
	a.DB = eng.db
	a.closers = append(a.closers, func() { a.DB.Close() })
	if eng.sqliteReads != nil {
		a.Reads = eng.sqliteReads
		a.closers = append(a.closers, func() { eng.sqliteReads.Close() })
	}
	a.Metrics = metrics.New()
	if a.Shopify, err = shopify.NewClient(shopify.Options{URLTemplate: cfg.ShopifyURL, Observer: a.Metrics}); err != nil {
		return nil, err
	}
	// Dev Dashboard apps bring their own client credentials, store by
	// store: their tokens need no app of the operator's.
	grants, err := shopify.NewClientCredentials(shopify.ClientCredentialsOptions{URLTemplate: cfg.ShopifyURL, Now: o.Now})
	if err != nil {
		return nil, err
	}
	a.Connector = storeconnect.Connector{Checker: a.Shopify, Grants: grants, Stores: a.DB, Now: o.Now}

	// The operator's Shopify app, when configured: it renews expiring
	// tokens, and, once shopcard knows its public URL for the redirect,
	// lets admins connect stores with OAuth. Without an app, stores that
	// were connected with OAuth need reconnecting once their token ends.
	var refresher tokenrefresh.Refresher
	var oauth *shopify.OAuth
	if cfg.ShopifyClientID != "" {
		if oauth, err = shopify.NewOAuth(shopify.OAuthOptions{ClientID: cfg.ShopifyClientID, ClientSecret: cfg.ShopifyClientSecret, URLTemplate: cfg.ShopifyURL, Now: o.Now}); err != nil {
			return nil, err
		}
		refresher = oauth
		if !cfg.OAuthEnabled() {
			a.Logger.Warn("a Shopify app is configured but SHOPCARD_PUBLIC_URL is not set, so admins can't connect stores with OAuth")
		}
	}

	// The lookup chain: cache → health tracker → token renewal → Shopify.
	a.Keeper = tokenrefresh.New(a.Shopify, refresher, grants, a.DB, o.Now, a.Logger)
	if eng.pg != nil {
		a.Keeper.Lock = eng.pg
	}
	tracked := storehealth.New(a.Keeper, a.DB, o.Now, a.Logger)
	if a.Lookup, err = cache.New(tracked, cache.Options{
		TTL: cfg.CacheTTL, MaxBytes: cfg.CacheMaxBytes, Timeout: cfg.ShopifyTimeout,
		StaleTTL: cfg.StaleTTL, StaleMaxBytes: cfg.StaleMaxBytes, Shared: sharedStale(eng, cfg), Logger: a.Logger, Recorder: a.Metrics,
	}); err != nil {
		return nil, err
	}
	a.closers = append(a.closers, a.Lookup.Close)
	if a.Sections, err = sectioncache.New(cfg.RenderMaxBytes); err != nil {
		return nil, err
	}
	a.closers = append(a.closers, a.Sections.Close)
	a.Metrics.WatchStoreConnections(a.DB.StoreStatusCounts, storeStatuses)
	var publisher fanout.Publisher
	if eng.pg != nil {
		publisher = eng.pg.Notifier()
	}
	a.Evictions = fanout.New(a.Lookup, publisher, a.Replica, a.Metrics, a.Logger)
	if eng.pg != nil {
		a.listen(cfg, eng.pg)
	}
	a.Webhooks = webhooks.NewReceiver(webhooks.Options{
		Store: a.DB, Cache: a.Evictions, Refused: refusedDeliveries(eng), AppSecret: cfg.ShopifyClientSecret, Recorder: a.Metrics, Logger: a.Logger, Now: o.Now,
	})
	// During a rotation's grace period both the new and the old secret
	// verify.
	a.Verifier = embedtoken.NewVerifier(func(ctx context.Context, ws string) ([]domain.Secret, error) {
		w, err := a.Reads.WorkspaceByName(ctx, ws)
		if err != nil {
			return nil, err
		}
		return w.VerifyingSecrets(o.Now()), nil
	}, o.Now, cfg.TokenMaxLife)
	a.closers = append(a.closers, a.Verifier.Close)
	a.AI = &ai.Service{
		Stores: a.Reads, Switches: a.DB, Lookups: a.Lookup, StoreTimeout: cfg.ShopifyTimeout,
		Recorder: a.Metrics, Logger: a.Logger, Now: o.Now,
	}
	a.Inboxes = &session.Service{
		Installations: a.DB, Workspaces: a.DB, Logger: a.Logger, Now: o.Now,
		Limiter: a.verifyAllowance(o.Now),
		Adapters: map[inbox.Kind]inbox.Adapter{
			inbox.Chatwoot: chatwoot.New(), inbox.HelpScout: helpscout.New(o.Now), inbox.Front: front.New(), inbox.Zendesk: zendesk.New(),
		},
	}

	a.HTTP = handlers.New(a.server(o, oauth))
	return a, nil
}

// server lays out what the HTTP layer serves.
func (a *App) server(o Options, oauth *shopify.OAuth) handlers.Server {
	cfg := a.Config
	assets := handlers.Assets(o.Static)
	s := handlers.Server{
		Logger: a.Logger, Metrics: a.Metrics, Static: o.Static, Ready: a.ready(), TrustedProxies: cfg.TrustedProxies,
		MetricsToken: cfg.MetricsToken,
		Sidebar: &handlers.Sidebar{
			Tokens: a.Verifier, Workspaces: a.Reads, Stores: a.Reads, Lookup: a.Lookup, Orders: a.Lookup, Details: a.Lookup, Peek: a.Lookup, Sections: a.Sections,
			StoreTimeout: cfg.ShopifyTimeout, Assets: assets, Now: o.Now,
		},
		FrameAncestors: mergeAncestors(cfg.FrameAncestors, o.FrameAncestors),
		Installations:  a.DB,
		ReadScope:      a.readScope(),
		Webhooks:       a.Webhooks,
		Now:            o.Now,
		AI: &handlers.AIActions{
			Keys:    a.DB,
			MCP:     &aiapi.MCP{Tools: a.AI, Version: Version, Logger: a.Logger},
			JSON:    &aiapi.JSON{Tools: a.AI},
			OpenAPI: &aiapi.OpenAPI{ServerURL: cfg.PublicURL},
		},
	}
	s.Apps = &handlers.Apps{Sessions: a.Inboxes, Sidebar: s.Sidebar, Assets: assets, Scripts: map[inbox.Kind]string{
		"": o.Static.URL("inbox-app.js"), inbox.Chatwoot: o.Static.URL("chatwoot.js"), inbox.Front: o.Static.URL("front.js"), inbox.Zendesk: o.Static.URL("zendesk.js"),
	}}
	if o.Dev || o.Demo != nil {
		s.Gallery = gallery.Groups
	}
	if o.Demo != nil {
		s.Demo = &handlers.DemoInbox{Workspace: o.Demo.Workspace, Workspaces: a.Reads, Contacts: o.Demo.Contacts, Helpdesks: o.Demo.Helpdesks}
	}

	adminAssets := handlers.AdminAssets(o.Static)
	pages := &admin.Pages{Assets: adminAssets, Notices: a.DB}
	sessions := &admin.Sessions{Sessions: a.DB, Workspaces: a.DB, Now: o.Now, HTTPS: cfg.HTTPS()}
	stores := &admin.Stores{
		Pages: pages, Stores: a.DB, Connector: a.Connector, Checker: a.Shopify, Keeper: a.Keeper, Cache: a.Evictions,
		Webhooks: a.DB, Proofs: a.Webhooks, PublicURL: cfg.PublicURL, DefaultCacheTTL: cfg.CacheTTL, Now: o.Now,
	}
	if cfg.PublicURL != "" {
		stores.Subscribe = func(ctx context.Context, st domain.Store) ([]domain.WebhookSubscription, error) {
			return webhooks.Subscribe(ctx, a.Shopify, a.DB, st, cfg.PublicURL)
		}
	}
	console := &handlers.Admin{
		Sessions: sessions,
		SignIn:   &admin.SignIn{Sessions: sessions, Accounts: a.DB, Throttle: a.signInThrottle(), Hashes: admin.NewHashGate(), Assets: adminAssets, Logger: a.Logger, Now: o.Now},
		Stores:   stores,
		Embed: &admin.Embed{
			Pages: pages, Workspaces: a.DB, DefaultFrameAncestors: s.FrameAncestors, DefaultCacheTTL: cfg.CacheTTL,
			PublicURL: cfg.PublicURL, Now: o.Now,
		},
		Troubleshoot: &admin.Troubleshoot{Pages: pages, Stores: a.DB, Lookup: a.Lookup, Fresh: a.Lookup, StoreTimeout: cfg.ShopifyTimeout, Now: o.Now},
		AIActions:    &admin.AIActions{Pages: pages, Tools: a.AI, Switches: a.DB, PublicURL: cfg.PublicURL},
		APIKeys:      &admin.APIKeys{Pages: pages, Keys: a.DB, Now: o.Now},
		Inboxes:      &admin.Inboxes{Pages: pages, Installations: a.DB, Checker: a.Inboxes, PublicURL: cfg.PublicURL, Now: o.Now},
	}
	if oauth != nil && cfg.OAuthEnabled() {
		console.OAuth = &admin.OAuth{App: oauth, States: a.DB, Stores: stores, PublicURL: cfg.PublicURL, Logger: a.Logger, Now: o.Now}
		console.FormActions = []string{oauth.FormActionSource()}
		stores.OfferOAuth = true
	}
	s.Admin = console
	return s
}

// Close releases everything New opened, last opened first.
func (a *App) Close() {
	for i := len(a.closers) - 1; i >= 0; i-- {
		a.closers[i]()
	}
	a.closers = nil
}

// openDB opens the database with the at-rest encryption key, and refuses
// to go on with the wrong one: a key file missing while the database
// already holds secrets sealed with it (a new key could open none of
// them), or a key that is not the database's (the key check value says
// so). Either would have started a server on which every page fails.
func openDB(ctx context.Context, cfg config.Config, logger *slog.Logger) (*sqlite.DB, error) {
	if cfg.SecretKey == "" {
		if _, err := os.Stat(cfg.SecretKeyFile); errors.Is(err, fs.ErrNotExist) {
			held, err := sqlite.HoldsSecrets(ctx, cfg.DB)
			if err != nil {
				return nil, err
			}
			if held {
				return nil, fmt.Errorf("the encryption key file %s is missing, but the database %s holds secrets sealed with it. "+
					"Restore the key file from your backup (or set SHOPCARD_SECRET_KEY to its key) and start again. "+
					"shopcard won't make a new key: it could open none of them", cfg.SecretKeyFile, cfg.DB)
			}
		}
	}
	key, created, err := atrest.LoadKey(cfg.SecretKey, cfg.SecretKeyFile)
	if err != nil {
		return nil, err
	}
	if created {
		logger.Info("created a new encryption key file; back it up with the database", slog.String("path", cfg.SecretKeyFile))
	}
	box, err := atrest.New(key)
	if err != nil {
		return nil, err
	}
	db, err := sqlite.Open(ctx, cfg.DB, box)
	if errors.Is(err, sqlite.ErrWrongKey) {
		source := "SHOPCARD_SECRET_KEY"
		if cfg.SecretKey == "" {
			source = "the key in " + cfg.SecretKeyFile
		}
		return nil, fmt.Errorf("%w: %s is not the key this database was made with, so no token or secret in it would open. "+
			"Start shopcard with the database's own key (SHOPCARD_SECRET_KEY, or the key file SHOPCARD_SECRET_KEY_FILE names)", err, source)
	}
	if err != nil {
		return nil, err
	}
	warnIfShared(logger, cfg.DB)
	return db, nil
}

// warnIfShared warns, loudly, when the database or its write-ahead files
// can be read by others than their owner: they hold admins' password
// hashes, session hashes and sealed secrets. Files shopcard creates are
// 0600; these were made another way, or before.
func warnIfShared(logger *slog.Logger, path string) {
	if path == ":memory:" {
		return
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if info, err := os.Stat(p); err == nil && info.Mode().Perm()&0o077 != 0 {
			logger.Warn("THE DATABASE IS READABLE BY OTHER USERS: it holds password hashes and sealed secrets; run chmod 600 on it",
				slog.String("path", p), slog.String("mode", info.Mode().Perm().String()))
		}
	}
}

// mergeAncestors adds extra frame ancestors, dropping 'none' once anything
// is allowed.
func mergeAncestors(configured, extra []string) []string {
	if len(extra) == 0 {
		return configured
	}
	var out []string
	seen := map[string]bool{"'none'": true}
	for _, s := range append(append([]string{}, configured...), extra...) {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	if len(out) == 0 {
		return []string{"'none'"}
	}
	return out
}

// Version is shopcard's version as the Go toolchain recorded it in the
// binary ("(devel)" for a build from a work tree), which the MCP server
// tells its clients.
var Version = func() string {
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" {
		return info.Main.Version
	}
	return "(devel)"
}()

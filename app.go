package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/labstack/echo/v4"

	"shopcard/atrest"
	"shopcard/cache"
	"shopcard/config"
	"shopcard/domain"
	"shopcard/embedtoken"
	"shopcard/handlers"
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

// storeStatuses are the connection statuses metrics always report, at zero
// when no store is in them.
var storeStatuses = []string{
	string(domain.StoreHealthy), string(domain.StoreNeedsReconnect), string(domain.StoreFrozen),
	string(domain.StoreLocked), string(domain.StoreDisconnected),
}

// app is the assembled server: every dependency built once, here, and
// passed down explicitly.
type app struct {
	cfg      config.Config
	logger   *slog.Logger
	db       *sqlite.DB
	reads    *sqlite.ReadCache
	shopify  *shopify.Client
	cache    *cache.Lookup
	sections *handlers.SectionCache
	verifier *embedtoken.Verifier
	metrics  *metrics.Metrics
	http     *echo.Echo
}

// appOptions are what differs between serve, demo and dev.
type appOptions struct {
	static         *static.Files
	demo           *handlers.DemoInbox
	dev            bool     // designer mode: the component gallery
	frameAncestors []string // added to the configured ones
	now            func() time.Time
}

// loadConfig reads the configuration and builds the logger.
func loadConfig(e env, dbFlag string) (config.Config, *slog.Logger, error) {
	cfg, err := config.Load(e.getenv, dbFlag)
	if err != nil {
		return config.Config{}, nil, err
	}
	return cfg, logging.New(e.stderr, cfg.LogLevel, cfg.LogFormat), nil
}

// openDB opens the database with the at-rest encryption key.
func openDB(ctx context.Context, cfg config.Config, logger *slog.Logger) (*sqlite.DB, error) {
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
	return sqlite.Open(ctx, cfg.DB, box)
}

func newShopifyClient(cfg config.Config, observer shopify.Observer) (*shopify.Client, error) {
	return shopify.NewClient(shopify.Options{URLTemplate: cfg.ShopifyURL, Observer: observer})
}

// newApp wires the server together.
func newApp(ctx context.Context, cfg config.Config, logger *slog.Logger, o appOptions) (*app, error) {
	if o.now == nil {
		o.now = time.Now
	}
	if o.static == nil {
		o.static = static.Embedded()
	}
	db, err := openDB(ctx, cfg, logger)
	if err != nil {
		return nil, err
	}
	// The sidebar's reads of workspaces and stores, from memory while the
	// database is unchanged.
	reads, err := db.NewReadCache(ctx)
	if err != nil {
		db.Close()
		return nil, err
	}
	closeDB := func() {
		reads.Close()
		db.Close()
	}
	m := metrics.New()
	client, err := newShopifyClient(cfg, m)
	if err != nil {
		closeDB()
		return nil, err
	}
	// The operator's Shopify app, when configured: it renews expiring
	// tokens, and, once shopcard knows its public URL for the redirect,
	// lets admins connect stores with OAuth. Without an app, stores that
	// were connected with OAuth need reconnecting once their token ends.
	var refresher tokenrefresh.Refresher
	var oauthApp handlers.OAuthApp
	if cfg.ShopifyClientID != "" {
		oauth, err := shopify.NewOAuth(shopify.OAuthOptions{ClientID: cfg.ShopifyClientID, ClientSecret: cfg.ShopifyClientSecret, URLTemplate: cfg.ShopifyURL, Now: o.now})
		if err != nil {
			closeDB()
			return nil, err
		}
		refresher = oauth
		if cfg.OAuthEnabled() {
			oauthApp = oauth
		} else {
			logger.Warn("a Shopify app is configured but SHOPCARD_PUBLIC_URL is not set, so admins can't connect stores with OAuth")
		}
	}
	// The lookup chain: cache → health tracker → token renewal → Shopify.
	keeper := tokenrefresh.New(client, refresher, db, o.now, logger)
	tracked := storehealth.New(keeper, db, o.now, logger)
	cached, err := cache.New(tracked, cache.Options{
		TTL: cfg.CacheTTL, MaxBytes: cfg.CacheMaxBytes, Timeout: cfg.ShopifyTimeout,
		StaleTTL: cfg.StaleTTL, StaleMaxBytes: cfg.StaleMaxBytes, Recorder: m,
	})
	if err != nil {
		closeDB()
		return nil, err
	}
	sections, err := handlers.NewSectionCache(cfg.RenderMaxBytes)
	if err != nil {
		cached.Close()
		closeDB()
		return nil, err
	}
	m.WatchStoreConnections(db.StoreStatusCounts, storeStatuses)
	receiver := webhooks.NewReceiver(webhooks.Options{
		Store: db, Cache: cached, AppSecret: cfg.ShopifyClientSecret, Recorder: m, Logger: logger, Now: o.now,
	})
	// During a rotation's grace period both the new and the old secret
	// verify.
	verifier := embedtoken.NewVerifier(func(ctx context.Context, ws string) ([]domain.Secret, error) {
		w, err := reads.WorkspaceByName(ctx, ws)
		if err != nil {
			return nil, err
		}
		return w.VerifyingSecrets(o.now()), nil
	}, o.now)
	accountLimiter, ipLimiter := handlers.NewSignInLimiters()
	ancestors := cfg.FrameAncestors
	if len(o.frameAncestors) > 0 {
		ancestors = mergeAncestors(ancestors, o.frameAncestors)
	}
	srv := handlers.New(handlers.Deps{
		Logger:         logger,
		Now:            o.now,
		Workspaces:     reads,
		Stores:         reads,
		Lookup:         cached,
		Tokens:         verifier,
		Webhooks:       receiver,
		DB:             db,
		Metrics:        m,
		Static:         o.static,
		FrameAncestors: ancestors,
		StoreTimeout:   cfg.ShopifyTimeout,
		Sections:       sections,
		ReadScope:      sqlite.WithReadScope,
		Demo:           o.demo,
		Dev:            o.dev,
		TrustedProxies: cfg.TrustedProxies,
		Admin: &handlers.Admin{
			Accounts:        db,
			Workspaces:      db,
			Stores:          db,
			Connector:       storeconnect.Connector{Checker: client, Stores: db},
			Checker:         client,
			Keeper:          keeper,
			Cache:           cached,
			OAuth:           oauthApp,
			PublicURL:       cfg.PublicURL,
			DefaultCacheTTL: cfg.CacheTTL,
			Webhooks:        db,
			Subscribe:       subscriber(cfg, client, db),
			AccountLimiter:  accountLimiter,
			IPLimiter:       ipLimiter,
		},
	})
	return &app{cfg: cfg, logger: logger, db: db, reads: reads, shopify: client, cache: cached, sections: sections, verifier: verifier, metrics: m, http: srv}, nil
}

// subscriber subscribes stores' webhooks to this server, when shopcard knows
// the public URL Shopify can reach; nil otherwise.
func subscriber(cfg config.Config, client *shopify.Client, db *sqlite.DB) handlers.WebhookSubscriber {
	if cfg.PublicURL == "" {
		return nil
	}
	return func(ctx context.Context, s domain.Store) ([]domain.WebhookSubscription, error) {
		return webhooks.Subscribe(ctx, client, db, s, cfg.PublicURL)
	}
}

func (a *app) close() {
	a.verifier.Close()
	a.sections.Close()
	a.cache.Close()
	a.reads.Close()
	a.db.Close()
}

// mergeAncestors adds extra frame ancestors, dropping 'none' once anything
// is allowed.
func mergeAncestors(configured, extra []string) []string {
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

// listen opens addr, telling the operator what to do when it is taken.
func listen(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w (pick another address with --addr, e.g. --addr 127.0.0.1:0 for any free port)", addr, err)
	}
	return ln, nil
}

// serveUntilDone serves until ctx ends or SIGINT/SIGTERM arrives, then
// shuts down gracefully, letting requests in flight finish.
func serveUntilDone(ctx context.Context, ln net.Listener, h http.Handler, logger *slog.Logger, stdout io.Writer) error {
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	fmt.Fprintln(stdout, "stopped")
	return nil
}

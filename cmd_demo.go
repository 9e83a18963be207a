package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"shopcard/auth"
	"shopcard/config"
	"shopcard/domain"
	"shopcard/fakeshopify"
	"shopcard/handlers"
	"shopcard/static"
	"shopcard/views"
	"shopcard/webhooks"
)

// demoWorkspace is the workspace `shopcard demo` creates.
const demoWorkspace = "demo"

// The demo's admin console account. The demo runs on loopback with a
// throwaway database, so a published password is fine here.
const (
	demoAdminEmail    = "admin@demo.example"
	demoAdminPassword = "shopcard-demo-password"
)

// demoStores are the fake stores the demo connects, with their tokens.
var demoStores = []struct{ domain, token string }{
	{fakeshopify.AcmeDomain, fakeshopify.AcmeToken},
	{fakeshopify.NordicDomain, fakeshopify.NordicToken},
	{fakeshopify.SakuraDomain, fakeshopify.SakuraToken},
}

// cmdDemo runs the whole product on one machine: the fake Shopify on a
// loopback port, a database seeded with a demo workspace and three connected
// stores, and an inbox simulator at /demo.
func cmdDemo(ctx context.Context, e env, args []string) error {
	fs := newFlags(e, "demo", "demo [--addr 127.0.0.1:8080] [--db path] [--dev]")
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	dbPath := fs.String("db", "", "SQLite database path (default: a fresh temporary database)")
	dev := fs.Bool("dev", false, "designer mode: serve static/ from disk and the component gallery")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}

	// The fake Shopify, on a loopback port of its own.
	fake := fakeshopify.NewSeeded(nil)
	fakeLn, err := listen("127.0.0.1:0")
	if err != nil {
		return err
	}
	fakeSrv := &http.Server{Handler: fake, ReadHeaderTimeout: 10 * time.Second}
	go fakeSrv.Serve(fakeLn)
	defer fakeSrv.Close()
	fakeURL := "http://" + fakeLn.Addr().String()

	// Listen first: the public URL (OAuth's redirect URI) is this address.
	ln, err := listen(*addr)
	if err != nil {
		return err
	}
	defer ln.Close()
	url := "http://" + ln.Addr().String()

	if *dbPath == "" {
		dir, err := os.MkdirTemp("", "shopcard-demo-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		*dbPath = filepath.Join(dir, "demo.db")
	}
	// Shopify is the fake, and so is the Shopify app stores connect to
	// with OAuth.
	getenv := func(k string) string {
		switch k {
		case "SHOPCARD_SHOPIFY_URL":
			return fakeURL + fakeshopify.ShopURLTemplate
		case "SHOPCARD_SHOPIFY_CLIENT_ID":
			return fakeshopify.AppClientID
		case "SHOPCARD_SHOPIFY_CLIENT_SECRET":
			return fakeshopify.AppClientSecret
		case "SHOPCARD_PUBLIC_URL":
			if v := e.getenv(k); v != "" {
				return v
			}
			return url
		}
		return e.getenv(k)
	}
	cfg, logger, err := loadConfig(env{getenv: getenv, stdin: e.stdin, stdout: e.stdout, stderr: e.stderr}, *dbPath)
	if err != nil {
		return err
	}
	ws, err := seedDemo(ctx, cfg, logger, fake)
	if err != nil {
		return err
	}
	opts := appOptions{
		frameAncestors: []string{"'self'"},
		demo:           &handlers.DemoInbox{Workspace: ws.Name, Secret: ws.EmbedSecret, Contacts: demoContacts()},
	}
	if *dev {
		opts.static = static.FromDisk("static")
		opts.dev = true
	}
	a, err := newApp(ctx, cfg, logger, opts)
	if err != nil {
		return err
	}
	defer a.close()

	// The fake delivers its webhooks to this server, as Shopify would.
	if err := subscribeDemo(ctx, a, ws, url); err != nil {
		return err
	}
	maya, _ := fake.CustomerByEmail(fakeshopify.AcmeDomain, fakeshopify.EmailShowcase)
	fmt.Fprintf(e.stdout, "shopcard demo is running.\n\n  Open %s/demo and click a contact.\n\n", url)
	fmt.Fprintf(e.stdout, "  Admin console: %s/admin (email %s, password %s)\n\n", url, demoAdminEmail, demoAdminPassword)
	fmt.Fprintf(e.stdout, "  Fake Shopify: %s (break a store: curl -X PUT %s/_fake/stores/%s/faults -d '{\"status\":503}')\n", fakeURL, fakeURL, fakeshopify.AcmeDomain)
	fmt.Fprintf(e.stdout, "  Webhooks:     edit Maya and reload her sidebar: curl -X PATCH %s/_fake/stores/%s/customers/%d -d '{\"lastName\":\"Chen-Park\"}'\n", fakeURL, fakeshopify.AcmeDomain, maya.ID)
	fmt.Fprintf(e.stdout, "  Database:     %s\n\nPress Ctrl+C to stop.\n", cfg.DB)
	logger.Info("demo listening", slog.String("url", url), slog.String("fake_shopify", fakeURL))
	return serveUntilDone(ctx, ln, a.http, logger, e.stdout)
}

// seedDemo creates the demo workspace and its admin, and connects the fake
// stores through the same checks an admin's connection goes through, with
// the secrets their webhooks are signed with.
func seedDemo(ctx context.Context, cfg config.Config, logger *slog.Logger, fake *fakeshopify.Server) (domain.Workspace, error) {
	d, err := openDB(ctx, cfg, logger)
	if err != nil {
		return domain.Workspace{}, err
	}
	defer d.Close()
	ws, err := d.WorkspaceByName(ctx, demoWorkspace)
	if domain.KindOf(err) == domain.KindNotFound {
		ws, err = d.CreateWorkspace(ctx, demoWorkspace)
	}
	if err != nil {
		return domain.Workspace{}, err
	}
	client, err := newShopifyClient(cfg, nil)
	if err != nil {
		return domain.Workspace{}, err
	}
	for _, s := range demoStores {
		store, _, err := connectStore(ctx, client, d, ws, s.domain, domain.NewSecret(s.token))
		if err != nil {
			return domain.Workspace{}, fmt.Errorf("connect demo store %s: %w", s.domain, err)
		}
		secret, err := fake.WebhookSecret(s.domain)
		if err != nil {
			return domain.Workspace{}, err
		}
		if err := d.SetWebhookSecret(ctx, ws.ID, store.ID, domain.NewSecret(secret)); err != nil {
			return domain.Workspace{}, err
		}
	}
	hash, err := auth.HashPassword(demoAdminPassword)
	if err != nil {
		return domain.Workspace{}, err
	}
	admin, err := d.AdminByEmail(ctx, demoAdminEmail)
	switch {
	case domain.KindOf(err) == domain.KindNotFound:
		_, err = d.CreateAdmin(ctx, ws.ID, demoAdminEmail, hash)
	case err == nil:
		err = d.SetAdminPassword(ctx, admin.ID, hash)
	}
	if err != nil {
		return domain.Workspace{}, fmt.Errorf("create the demo admin: %w", err)
	}
	return ws, nil
}

// subscribeDemo subscribes the demo stores' webhooks to the demo server,
// through the same webhookSubscriptionCreate a real store gets.
func subscribeDemo(ctx context.Context, a *app, ws domain.Workspace, url string) error {
	stores, err := a.db.StoresByWorkspace(ctx, ws.ID)
	if err != nil {
		return err
	}
	for _, s := range stores {
		if _, err := webhooks.Subscribe(ctx, a.shopify, a.db, s, url); err != nil {
			return fmt.Errorf("subscribe demo store %s to webhooks: %w", s.Domain, err)
		}
	}
	return nil
}

func demoContacts() []views.DemoContact {
	var out []views.DemoContact
	for _, c := range fakeshopify.DemoContacts() {
		out = append(out, views.DemoContact{Name: c.Name, Email: c.Email, OtherEmails: c.OtherEmails, About: c.Shows})
	}
	return out
}

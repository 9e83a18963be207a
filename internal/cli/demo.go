package cli

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"shopcard/fakehelpdesk"
	"shopcard/fakeshopify"
	"shopcard/internal/app"
	"shopcard/internal/demo"
	"shopcard/logging"
	"shopcard/static"
)

// cmdDemo runs the whole product on one machine: the fake Shopify on a
// loopback port, a database seeded with a demo workspace and three connected
// stores, and an inbox simulator at /demo.
func cmdDemo(ctx context.Context, e env, args []string) error {
	fs := newFlags(e, "demo", "demo [--addr 127.0.0.1:8080] [--db path] [--dev] [--fake-addr 127.0.0.1:0]")
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	fakeAddr := fs.String("fake-addr", "127.0.0.1:0", "address of the fake Shopify (the default is a free loopback port)")
	dbPath := fs.String("db", "", "SQLite database path (default: a fresh temporary database)")
	dev := fs.Bool("dev", false, "designer mode: serve static/ from disk and the component gallery")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}

	// The fake Shopify, on a loopback port of its own.
	fake := fakeshopify.NewSeeded(nil)
	fakeLn, err := net.Listen("tcp", *fakeAddr)
	if err != nil {
		return fmt.Errorf("the fake Shopify cannot listen on %s: %w (pick another address with --fake-addr)", *fakeAddr, err)
	}
	fakeSrv := &http.Server{Handler: fake, ReadHeaderTimeout: 10 * time.Second}
	go fakeSrv.Serve(fakeLn)
	defer fakeSrv.Close()
	fakeURL := "http://" + fakeLn.Addr().String()

	// Listen first: the public URL (OAuth's redirect URI) is this address.
	ln, err := app.Listen(*addr)
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
	cfg, err := loadConfig(env{getenv: demoGetenv(e.getenv, fakeURL, url)}, *dbPath)
	if err != nil {
		return err
	}
	logger := logging.New(e.stderr, cfg.LogLevel, cfg.LogFormat)
	// The fake helpdesks, each on its own loopback origin, as the real
	// ones are on theirs.
	helpdesks, err := fakehelpdesk.Start(time.Now)
	if err != nil {
		return err
	}
	defer helpdesks.Close()
	inbox := demo.Inbox()
	inbox.Helpdesks = map[string]string{}
	opts := app.Options{Logger: logger, FrameAncestors: []string{"'self'"}, Demo: inbox}
	if *dev {
		opts.Static = static.FromDisk("static")
		opts.Dev = true
	}
	a, err := app.New(ctx, cfg, opts)
	if err != nil {
		return err
	}
	defer a.Close()
	// The fake delivers its webhooks to this server, as Shopify would, at
	// its public URL: this address, unless SHOPCARD_PUBLIC_URL says where
	// it is reached (shopcard dev sets it to templ's proxy in front).
	ws, err := demo.Seed(ctx, a, fake, cfg.PublicURL)
	if err != nil {
		return err
	}
	key, err := demo.AgentKey(ctx, a, ws)
	if err != nil {
		return err
	}
	if err := demo.SeedHelpdesks(ctx, a, helpdesks, url, inbox.Helpdesks); err != nil {
		return err
	}
	maya, _ := fake.CustomerByEmail(fakeshopify.AcmeDomain, fakeshopify.EmailShowcase)
	base := cfg.PublicURL
	fmt.Fprintf(e.stdout, "shopcard demo is running.\n\n  Open %s/demo and click a contact.\n\n", base)
	fmt.Fprintf(e.stdout, "  In a helpdesk: %s/demo/chatwoot, /demo/helpscout, /demo/front, /demo/zendesk (fake helpdesks framing shopcard's apps)\n\n", base)
	fmt.Fprintf(e.stdout, "  Admin console: %s/admin (email %s, password %s)\n\n", base, demo.AdminEmail, demo.AdminPassword)
	fmt.Fprintf(e.stdout, "  Find an order: open Maya Chen and type %s in the sidebar's Find an order box: her partner ordered it with %s.\n\n",
		fakeshopify.OrderGiftForMaya, fakeshopify.EmailGiftGiver)
	fmt.Fprintf(e.stdout, "  AI actions: this run's API key for the demo workspace is %s\n", key)
	fmt.Fprintf(e.stdout, "    MCP (Claude Code): claude mcp add --transport http shopcard %s/mcp --header \"Authorization: Bearer %s\"\n", base, key)
	fmt.Fprintf(e.stdout, "    JSON API:          curl -sS %s/api/v1/tools/get_order_details -H 'Authorization: Bearer %s' -H 'Content-Type: application/json' \\\n", base, key)
	fmt.Fprintf(e.stdout, "                         -d '{\"order_number\": \"%s\", \"customer_email\": \"%s\"}'\n", fakeshopify.OrderGiftForMaya, fakeshopify.EmailGiftGiver)
	fmt.Fprintf(e.stdout, "    (with Maya's email instead, the guard refuses: the order was placed with another.) The tools: %s/api/v1/openapi.json\n\n", base)
	fmt.Fprintf(e.stdout, "  Fake Shopify: %s (break a store: curl -X PUT %s/_fake/stores/%s/faults -d '{\"status\":503}')\n", fakeURL, fakeURL, fakeshopify.AcmeDomain)
	fmt.Fprintf(e.stdout, "  Webhooks:     edit Maya and reload her sidebar: curl -X PATCH %s/_fake/stores/%s/customers/%d -d '{\"lastName\":\"Chen-Park\"}'\n", fakeURL, fakeshopify.AcmeDomain, maya.ID)
	fmt.Fprintf(e.stdout, "  Dev Dashboard: %s is connected with the fake's Dev Dashboard app (client ID %s, client secret %s);\n"+
		"                its token is renewed by itself: curl %s/_fake/stores/%s/grants counts the grants\n", fakeshopify.SakuraDomain, fakeshopify.DevAppClientID, fakeshopify.DevAppClientSecret, fakeURL, fakeshopify.SakuraDomain)
	fmt.Fprintf(e.stdout, "  Database:     %s\n\nPress Ctrl+C to stop.\n", cfg.DB)
	logger.Info("demo listening", slog.String("url", url), slog.String("fake_shopify", fakeURL))
	return a.Serve(ctx, ln, e.stdout)
}

// demoGetenv is the demo's configuration: Shopify is the fake, and so is
// the Shopify app stores connect to with OAuth.
func demoGetenv(getenv func(string) string, fakeURL, publicURL string) func(string) string {
	return func(k string) string {
		switch k {
		case "SHOPCARD_SHOPIFY_URL":
			return fakeURL + fakeshopify.ShopURLTemplate
		case "SHOPCARD_SHOPIFY_CLIENT_ID":
			return fakeshopify.AppClientID
		case "SHOPCARD_SHOPIFY_CLIENT_SECRET":
			return fakeshopify.AppClientSecret
		case "SHOPCARD_PUBLIC_URL":
			if v := getenv(k); v != "" {
				return v
			}
			return publicURL
		case "SHOPCARD_METRICS_ADDR":
			// Any free loopback port, printed: two demos side by side
			// must not fight over a fixed one.
			if v := getenv(k); v != "" {
				return v
			}
			return "127.0.0.1:0"
		}
		return getenv(k)
	}
}

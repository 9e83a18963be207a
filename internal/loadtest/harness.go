package loadtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"shopcard/config"
	"shopcard/domain"
	"shopcard/embedtoken"
	"shopcard/fakeshopify"
	"shopcard/internal/app"
	"shopcard/logging"
)

// loadtestWorkspace is the workspace the load test creates.
const loadtestWorkspace = "loadtest"

// loadtestStores are the fake stores the load test connects. Their leaky
// buckets are far bigger than Shopify's, so the test measures shopcard,
// not rate limiting.
var loadtestStores = []string{"loadtest-1.myshopify.com", "loadtest-2.myshopify.com", "loadtest-3.myshopify.com"}

const loadtestToken = "shpat_loadtest"

// harness is shopcard and the fake Shopify running in this process, each
// on its own loopback port, with a throwaway database.
type harness struct {
	fake    *fakeshopify.Server
	app     *app.App
	ws      domain.Workspace
	stores  []domain.Store // in loadtestStores' order
	baseURL string
	closers []func()
}

// startHarness starts the fake Shopify and shopcard on loopback ports.
// Settings come from the environment, like the server's (so
// SHOPCARD_CACHE_MAX_BYTES and friends apply), except the database, the
// Shopify URL and the log, which go to a temporary directory, the fake and
// nowhere (at info level, so requests still pay for formatting a line).
func startHarness(ctx context.Context, getenv func(string) string, databaseURL string) (h *harness, err error) {
	h = &harness{}
	defer func() {
		if err != nil {
			h.close()
		}
	}()
	h.fake = fakeshopify.NewSeeded(nil)
	for _, shop := range loadtestStores {
		if err := h.fake.AddStore(fakeshopify.Store{
			Domain: shop, BucketSize: 1_000_000, RestoreRate: 1_000_000,
			Tokens: []fakeshopify.Token{{Value: loadtestToken, Scopes: []string{"read_customers", "read_orders", "read_all_orders"}}},
		}); err != nil {
			return h, err
		}
	}
	fakeURL, err := h.serve(h.fake)
	if err != nil {
		return h, err
	}
	dir, err := os.MkdirTemp("", "shopcard-loadtest-")
	if err != nil {
		return h, err
	}
	h.closers = append(h.closers, func() { os.RemoveAll(dir) })
	// On PostgreSQL the key can't be a file made on first run; any key
	// does for an empty database.
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return h, err
	}
	env := func(k string) string {
		switch k {
		case "SHOPCARD_DATABASE_URL":
			return databaseURL
		case "SHOPCARD_DATABASE_LISTEN_URL":
			return ""
		case "SHOPCARD_SECRET_KEY":
			if databaseURL != "" {
				return hex.EncodeToString(key)
			}
			return ""
		case "SHOPCARD_SHOPIFY_URL":
			return fakeURL + fakeshopify.ShopURLTemplate
		case "SHOPCARD_SECRET_KEY_FILE", "SHOPCARD_SHOPIFY_CLIENT_ID", "SHOPCARD_SHOPIFY_CLIENT_SECRET", "SHOPCARD_PUBLIC_URL":
			return ""
		case "SHOPCARD_TRUSTED_PROXIES":
			// The abuse scenario's sign-ins name their client addresses in
			// X-Forwarded-For, as a reverse proxy on loopback would.
			return "127.0.0.1"
		}
		return getenv(k)
	}
	cfg, err := config.Load(env, filepath.Join(dir, "loadtest.db"))
	if err != nil {
		return h, err
	}
	logger := logging.New(io.Discard, "info", cfg.LogFormat)
	if h.app, err = app.New(ctx, cfg, app.Options{Logger: logger}); err != nil {
		return h, err
	}
	h.closers = append(h.closers, h.app.Close)
	if h.ws, err = h.app.DB.CreateWorkspace(ctx, loadtestWorkspace); err != nil {
		if databaseURL != "" {
			return h, fmt.Errorf("--database-url must name an empty database (createdb shopcard_loadtest): %w", err)
		}
		return h, err
	}
	// Through the same checks an admin's connection goes through.
	for _, shop := range loadtestStores {
		s, _, err := h.app.Connector.ConnectStore(ctx, h.ws, shop, domain.Store{AccessToken: domain.NewSecret(loadtestToken), TokenKind: domain.TokenCustomApp})
		if err != nil {
			return h, fmt.Errorf("connect %s: %w", shop, err)
		}
		h.stores = append(h.stores, s)
	}
	h.baseURL, err = h.serveWith(app.NewHTTPServer(h.app.HTTP))
	return h, err
}

// serve serves h on a new loopback port until the harness closes.
func (h *harness) serve(handler http.Handler) (string, error) {
	return h.serveWith(&http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second})
}

// serveWith runs srv on a new loopback port until the harness closes;
// shopcard runs with the server serve uses (app.NewHTTPServer).
func (h *harness) serveWith(srv *http.Server) (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	go srv.Serve(ln)
	h.closers = append(h.closers, func() { srv.Close() })
	return "http://" + ln.Addr().String(), nil
}

// close stops everything, last started first.
func (h *harness) close() {
	for i := len(h.closers) - 1; i >= 0; i-- {
		h.closers[i]()
	}
}

// addContact gives a new contact, in each of the given stores, the fake
// Jordan Rivera's history: 60 orders, of which a section shows 50.
func (h *harness) addContact(email string, stores ...domain.Store) error {
	for _, s := range stores {
		if err := CopyCustomer(h.fake, fakeshopify.AcmeDomain, fakeshopify.EmailSixtyOrders, s.Domain, email); err != nil {
			return err
		}
	}
	return nil
}

// token mints an embed token for a contact.
func (h *harness) token(email string) (string, error) { return signToken(h.ws, email) }

// signToken mints an embed token of ws for a contact's emails, the first
// the primary one.
func signToken(ws domain.Workspace, emails ...string) (string, error) {
	return embedtoken.Sign(ws.EmbedSecret, embedtoken.Claims{Workspace: ws.Name, Email: emails[0], Emails: emails[1:], Name: "Load Test"}, time.Now(), time.Hour)
}

// sidebarURL is the page an inbox would frame for a contact.
func (h *harness) sidebarURL(email string) (string, error) {
	tok, err := h.token(email)
	if err != nil {
		return "", err
	}
	return h.baseURL + "/sidebar?token=" + tok, nil
}

// fragmentURL is a store section's address.
func (h *harness) fragmentURL(s domain.Store) string {
	return h.baseURL + "/sidebar/stores/" + strconv.FormatInt(s.ID, 10)
}

// httpClient is a client for many concurrent requests to one host.
func httpClient(conns int, compression bool) *http.Client {
	return &http.Client{
		Timeout: 30 * time.Second,
		Transport: &http.Transport{
			MaxIdleConns:        conns,
			MaxIdleConnsPerHost: conns,
			DisableCompression:  !compression,
		},
	}
}

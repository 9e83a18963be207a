package e2e

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"shopcard/config"
	"shopcard/fakeshopify"
	"shopcard/handlers"
	"shopcard/internal/app"
	"shopcard/logging"
	"shopcard/webhooks"
)

// TestDevDashboardByCLI connects a store with a Dev Dashboard app the way
// the README says, with `stores add --client-id` and the secret on stdin,
// against the fake Shopify over real HTTP; then the store keeps working
// past its token's expiry, for `stores subscribe-webhooks` and for the
// sidebar, and its webhooks verify with the client secret.
func TestDevDashboardByCLI(t *testing.T) {
	t.Parallel()
	fake := fakeshopify.NewSeeded(nil)
	fakeSrv := httptest.NewServer(fake)
	defer fakeSrv.Close()
	db := filepath.Join(t.TempDir(), "devdash.db")
	vars := map[string]string{"SHOPCARD_SHOPIFY_URL": fakeSrv.URL + fakeshopify.ShopURLTemplate, "SHOPCARD_LOG_LEVEL": "warn"}
	getenv := testGetenv(vars)
	if out, err := runCLI(t, getenv, "", "workspace", "create", "acme", "--db", db); err != nil {
		t.Fatalf("workspace create: %v\n%s", err, out)
	}
	add := func(stdin, shop, clientID string) (string, error) {
		return runCLI(t, getenv, stdin, "stores", "add", "--workspace", "acme", "--domain", shop, "--client-id", clientID, "--db", db)
	}
	grants := func() int {
		g, _ := fake.Grants(fakeshopify.SakuraDomain)
		return g.ClientCredentials
	}

	refusals := []struct {
		name, stdin, shop, clientID, want string
	}{
		{"a wrong secret", "not-the-secret\n", fakeshopify.SakuraDomain, fakeshopify.DevAppClientID, "Copy both again from the app's Settings page in the Dev Dashboard"},
		{"not installed", fakeshopify.DevAppClientSecret + "\n", fakeshopify.NordicDomain, fakeshopify.DevAppClientID, "install it on this store"},
		{"no secret on stdin", "", fakeshopify.SakuraDomain, fakeshopify.DevAppClientID, "Enter the app's client secret"},
		{"an access token on stdin", fakeshopify.SakuraToken + "\n", fakeshopify.SakuraDomain, fakeshopify.DevAppClientID, "That is an access token"},
		{"a bare handle", fakeshopify.DevAppClientSecret + "\n", "sakura-stationery", fakeshopify.DevAppClientID, "Did you mean sakura-stationery.myshopify.com?"},
	}
	for _, tt := range refusals {
		t.Run(tt.name, func(t *testing.T) {
			out, err := add(tt.stdin, tt.shop, tt.clientID)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err %v, want it to say %q\n%s", err, tt.want, out)
			}
			if tt.stdin != "" && strings.Contains(out+err.Error(), strings.TrimSpace(tt.stdin)) {
				t.Error("the secret was echoed")
			}
		})
	}
	t.Run("Shopify unreachable", func(t *testing.T) {
		dead := httptest.NewServer(http.NotFoundHandler())
		dead.Close()
		offline := testGetenv(map[string]string{"SHOPCARD_SHOPIFY_URL": dead.URL + fakeshopify.ShopURLTemplate, "SHOPCARD_LOG_LEVEL": "warn"})
		_, err := runCLI(t, offline, fakeshopify.DevAppClientSecret+"\n", "stores", "add", "--workspace", "acme", "--domain", fakeshopify.SakuraDomain, "--client-id", fakeshopify.DevAppClientID, "--db", db)
		if err == nil || !strings.Contains(err.Error(), "couldn't be reached") || !strings.Contains(err.Error(), "Try again") {
			t.Errorf("err %v", err)
		}
	})
	if out, _ := runCLI(t, getenv, "", "stores", "list", "--db", db); strings.Contains(out, ".myshopify.com") {
		t.Fatalf("a refused app was saved:\n%s", out)
	}

	out, err := add(fakeshopify.DevAppClientSecret+"\n", fakeshopify.SakuraDomain, fakeshopify.DevAppClientID)
	if err != nil || !strings.Contains(out, "Connected sakura-stationery.myshopify.com") || !strings.Contains(out, "is renewed automatically") || strings.Contains(out, fakeshopify.DevAppClientSecret) {
		t.Fatalf("stores add --client-id: %v\n%s", err, out)
	}
	if out, _ := runCLI(t, getenv, "", "stores", "list", "--db", db); !strings.Contains(out, "client_credentials") {
		t.Errorf("stores list:\n%s", out)
	}
	if grants() != 1 {
		t.Fatalf("%d grants", grants())
	}

	// expire makes the store's token run out, for shopcard and at Shopify.
	expire := func(t *testing.T) {
		t.Helper()
		cfg, err := config.Load(getenv, db)
		if err != nil {
			t.Fatal(err)
		}
		a, err := app.New(context.Background(), cfg, app.Options{Logger: logging.New(io.Discard, "error", "text")})
		if err != nil {
			t.Fatal(err)
		}
		defer a.Close()
		ws, _ := a.DB.WorkspaceByName(context.Background(), "acme")
		s, err := a.DB.StoreByDomain(context.Background(), ws.ID, fakeshopify.SakuraDomain)
		if err != nil {
			t.Fatal(err)
		}
		if err := fake.ExpireAccessToken(fakeshopify.SakuraDomain, s.AccessToken.Reveal()); err != nil {
			t.Fatal(err)
		}
		s.AccessTokenExpiresAt = time.Now().Add(-time.Minute)
		if err := a.DB.SaveStoreTokens(context.Background(), s); err != nil {
			t.Fatal(err)
		}
	}

	base, stop := startServer(t, getenv, db)
	defer stop()
	vars["SHOPCARD_PUBLIC_URL"] = base

	// subscribe-webhooks renews the expired token first, as the console's
	// button does.
	expire(t)
	out, err = runCLI(t, getenv, "", "stores", "subscribe-webhooks", "--workspace", "acme", "--domain", fakeshopify.SakuraDomain, "--db", db)
	if err != nil || strings.Count(out, "active") != len(webhooks.SubscribedTopics) || grants() != 2 {
		t.Fatalf("subscribe-webhooks with an expired token: %v, %d grants\n%s", err, grants(), out)
	}

	// A change in Sakura: its webhook, signed with the client secret, is
	// accepted by the server without any secret pasted.
	hanako, _ := fake.CustomerByEmail(fakeshopify.SakuraDomain, fakeshopify.EmailJapanese)
	fake.UpdateCustomer(fakeshopify.SakuraDomain, hanako.ID, func(c *fakeshopify.Customer) { c.Tags = append(c.Tags, "vip") })
	fake.FlushWebhooks()
	deliveries := fake.WebhookDeliveries(fakeshopify.SakuraDomain)
	if len(deliveries) == 0 {
		t.Fatal("no delivery")
	}
	for _, d := range deliveries {
		if d.Status != http.StatusOK {
			t.Errorf("%s delivery: %d %s", d.Topic, d.Status, d.Error)
		}
	}

	// The sidebar, past the token's expiry: renewed with no admin action.
	expire(t)
	tok, err := runCLI(t, getenv, "", "token", "--workspace", "acme", "--email", fakeshopify.EmailJapanese, "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(base + "/sidebar?token=" + strings.TrimSpace(tok))
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := regexp.MustCompile(`hx-get="(/sidebar/stores/\d+)`).FindStringSubmatch(string(page))
	if m == nil {
		t.Fatalf("no store section on the sidebar page: %d", resp.StatusCode)
	}
	req, _ := http.NewRequest(http.MethodGet, base+m[1], nil)
	req.Header.Set(handlers.TokenHeader, strings.TrimSpace(tok))
	req.Header.Set("HX-Request", "true")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "山田") || grants() != 3 {
		t.Errorf("the section past the token's expiry: %d, %d grants\n%.300s", resp.StatusCode, grants(), body)
	}
}

package handlers_test

import (
	"bytes"
	"net/http"
	"shopcard/internal/apptest"
	"strings"
	"testing"

	"shopcard/domain"
	"shopcard/fakeshopify"
	"shopcard/webhooks"
)

// withWebhooks has the fake deliver Acme's webhooks to the server, signed
// with the secret saved on Acme's connection, as for a custom app.
func withWebhooks(t *testing.T, env *testEnv) {
	t.Helper()
	secret, _ := env.Fake.WebhookSecret(fakeshopify.AcmeDomain)
	if err := env.App.DB.SetWebhookSecret(t.Context(), env.WS.ID, env.Stores[fakeshopify.AcmeDomain].ID, domain.NewSecret(secret)); err != nil {
		t.Fatal(err)
	}
	env.Fake.SetWebhookURL(env.URL + webhooks.Path)
}

// postWebhook sends a webhook by hand and returns the status.
func (e *testEnv) postWebhook(t *testing.T, topic, shop, id, hmac string, body []byte) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, e.URL+webhooks.Path, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Shopify-Topic", topic)
	req.Header.Set("X-Shopify-Shop-Domain", shop)
	req.Header.Set("X-Shopify-Webhook-Id", id)
	if hmac != "" {
		req.Header.Set("X-Shopify-Hmac-Sha256", hmac)
	}
	resp, err := e.Srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func customerName(t *testing.T, env *testEnv) string {
	t.Helper()
	_, doc := env.Section(t, fakeshopify.AcmeDomain, fakeshopify.EmailShowcase)
	return doc.Find(apptest.Sel("customer-name")).Text()
}

// TestEditShowsRightAfterItsWebhook: a change in Shopify shows on the next
// load once its webhook has arrived, although the cache's TTL is a minute.
func TestEditShowsRightAfterItsWebhook(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	maya, _ := env.Fake.CustomerByEmail(fakeshopify.AcmeDomain, fakeshopify.EmailShowcase)
	if got := customerName(t, env); got != "Maya Chen" {
		t.Fatalf("name %q", got)
	}
	// Without a webhook, the cached answer stands for its TTL.
	env.Fake.UpdateCustomer(fakeshopify.AcmeDomain, maya.ID, func(c *fakeshopify.Customer) { c.LastName = "Chen-Park" })
	if got := customerName(t, env); got != "Maya Chen" {
		t.Fatalf("without webhooks the cache should still answer: %q", got)
	}
	withWebhooks(t, env)
	env.Fake.UpdateCustomer(fakeshopify.AcmeDomain, maya.ID, func(c *fakeshopify.Customer) { c.LastName = "Chen-Okafor" })
	env.Fake.FlushWebhooks()
	if got := customerName(t, env); got != "Maya Chen-Okafor" {
		t.Errorf("after the webhook the section shows %q", got)
	}
	// An order shipped: orders/updated, orders/fulfilled, fulfillments/create.
	order := env.Fake.Orders(fakeshopify.AcmeDomain, maya.ID)[0]
	customerName(t, env) // cache it again
	if resp, _ := env.Get(t, apptest.OrderPath(env.Stores[fakeshopify.AcmeDomain], order.ID), env.Token(t, fakeshopify.EmailShowcase)); resp.StatusCode != http.StatusOK {
		t.Fatalf("open the order: %d", resp.StatusCode)
	}
	env.Fake.UpdateOrder(fakeshopify.AcmeDomain, order.ID, func(o *fakeshopify.Order) {
		o.Fulfillments = append(o.Fulfillments, fakeshopify.Fulfillment{Status: "SUCCESS", DisplayStatus: "IN_TRANSIT",
			Tracking: []fakeshopify.Tracking{{Company: "UPS", Number: "1ZWEBHOOK", URL: "https://www.ups.com/track?tracknum=1ZWEBHOOK"}}})
	})
	env.Fake.FlushWebhooks()
	// The opened order was loaded before the shipment: its cached detail
	// goes with the webhook too.
	_, doc := env.Section(t, fakeshopify.AcmeDomain, fakeshopify.EmailShowcase)
	resp, body := env.Get(t, apptest.OrderPath(env.Stores[fakeshopify.AcmeDomain], order.ID), env.Token(t, fakeshopify.EmailShowcase))
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "1ZWEBHOOK") {
		t.Errorf("the new shipment does not show in the opened order after its webhooks (%d)", resp.StatusCode)
	}
	if !strings.Contains(doc.Find("#order-"+itoa(int64(order.ID))+" "+apptest.Sel("order-delivery")).Text(), "newest of") {
		t.Errorf("the order's row doesn't count the new shipment: %q", doc.Find("#order-"+itoa(int64(order.ID))).Text())
	}
	for _, d := range env.Fake.WebhookDeliveries(fakeshopify.AcmeDomain) {
		if d.Status != http.StatusOK {
			t.Errorf("%s delivery answered %d %s", d.Topic, d.Status, d.Error)
		}
	}
	wantMetric(t, env, `shopcard_webhook_deliveries_total{outcome="processed",topic="customers/update"} 1`,
		`shopcard_webhook_deliveries_total{outcome="processed",topic="fulfillments/create"} 1`)
}

func TestWebhookSignaturesAndReplays(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, func(o *envOptions) { o.appSecret = "shpss_app_client_secret" })
	withWebhooks(t, env)
	maya, _ := env.Fake.CustomerByEmail(fakeshopify.AcmeDomain, fakeshopify.EmailShowcase)
	env.Fake.UpdateCustomer(fakeshopify.AcmeDomain, maya.ID, func(c *fakeshopify.Customer) { c.FirstName = "Maia" })
	env.Fake.FlushWebhooks()
	genuine := env.Fake.WebhookDeliveries(fakeshopify.AcmeDomain)[0]
	body, sig := genuine.Body, genuine.Header.Get("X-Shopify-Hmac-Sha256")
	forged := bytes.Replace(body, []byte(`"Maia"`), []byte(`"Mallory"`), 1)
	customerSecret, _ := env.Fake.WebhookSecret(fakeshopify.AcmeDomain)
	// The fake delivered body already: later events have bodies of their
	// own (Shopify's carry updated_at), and a body handled before is a
	// replay under any ID.
	fresh := func(n string) []byte {
		return bytes.Replace(body, []byte(`"Maia"`), []byte(`"Maia `+n+`"`), 1)
	}
	connection, app := domain.NewSecret(customerSecret), domain.NewSecret("shpss_app_client_secret")

	tests := []struct {
		name          string
		shop, id, sig string
		body          []byte
		status        int
		evicts        bool
	}{
		{"no signature", fakeshopify.AcmeDomain, "w-1", "", body, 401, false},
		{"a signature of other bytes", fakeshopify.AcmeDomain, "w-2", sig, forged, 401, false},
		{"garbage signature", fakeshopify.AcmeDomain, "w-3", "not base64!", body, 401, false},
		{"signed with another shop's secret", fakeshopify.NordicDomain, "w-4", sig, body, 401, false},
		{"a shop that is not a myshopify domain", "evil.example.com", "w-5", sig, body, 401, false},
		{"signed with the connection's secret", fakeshopify.AcmeDomain, "w-6", webhooks.Sign(fresh("1"), connection), fresh("1"), 200, true},
		{"the same delivery again", fakeshopify.AcmeDomain, "w-6", webhooks.Sign(fresh("1"), connection), fresh("1"), 200, false},
		{"the same body under a new ID", fakeshopify.AcmeDomain, "w-6b", webhooks.Sign(fresh("1"), connection), fresh("1"), 200, false},
		{"signed with the app's client secret", fakeshopify.AcmeDomain, "w-7", webhooks.Sign(fresh("2"), app), fresh("2"), 200, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			customerName(t, env) // cached
			before := env.Fake.Requests(fakeshopify.AcmeDomain)
			if got := env.postWebhook(t, "customers/update", tt.shop, tt.id, tt.sig, tt.body); got != tt.status {
				t.Fatalf("status %d, want %d", got, tt.status)
			}
			customerName(t, env)
			if evicted := env.Fake.Requests(fakeshopify.AcmeDomain) > before; evicted != tt.evicts {
				t.Errorf("evicted = %v, want %v", evicted, tt.evicts)
			}
		})
	}
	wantMetric(t, env, `shopcard_webhook_deliveries_total{outcome="unauthorized",topic="customers/update"} 5`,
		`shopcard_webhook_deliveries_total{outcome="duplicate",topic="customers/update"} 2`)

	t.Run("a forged topic name does not become a metric label", func(t *testing.T) {
		env.postWebhook(t, "x/"+strings.Repeat("a", 50), fakeshopify.AcmeDomain, "w-8", "", body)
		if m := env.Metrics(t); strings.Contains(m, "aaaaa") || !strings.Contains(m, `outcome="unauthorized",topic="other"`) {
			t.Error("an unknown topic was used as a label")
		}
	})
	t.Run("an oversized body is refused unread", func(t *testing.T) {
		big := bytes.Repeat([]byte("a"), webhooks.MaxBodyBytes+1)
		if got := env.postWebhook(t, "customers/update", fakeshopify.AcmeDomain, "w-9", sig, big); got != http.StatusRequestEntityTooLarge {
			t.Errorf("status %d", got)
		}
	})
	if logs := env.Logs.String(); strings.Contains(logs, fakeshopify.EmailShowcase) || strings.Contains(logs, customerSecret) {
		t.Error("logs hold an email or a secret")
	}
}

func TestWebhookUninstall(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	withWebhooks(t, env)
	customerName(t, env)
	if err := env.Fake.UninstallApp(fakeshopify.AcmeDomain); err != nil {
		t.Fatal(err)
	}
	env.Fake.FlushWebhooks()
	acme, err := env.App.DB.StoreByID(t.Context(), env.WS.ID, env.Stores[fakeshopify.AcmeDomain].ID)
	if err != nil || acme.Status != domain.StoreDisconnected || !acme.AccessToken.IsZero() {
		t.Fatalf("after app/uninstalled: %+v, %v", acme, err)
	}
	before := env.Fake.Requests(fakeshopify.AcmeDomain)
	_, doc := env.Section(t, fakeshopify.AcmeDomain, fakeshopify.EmailShowcase)
	if state(doc) != "attention" || strings.Contains(doc.Text(), "Maya") {
		t.Errorf("state %q; a disconnected store must show neither cached nor stale data", state(doc))
	}
	if env.Fake.Requests(fakeshopify.AcmeDomain) != before {
		t.Error("a disconnected store was called")
	}
	if s, _ := env.App.DB.StoreByID(t.Context(), env.WS.ID, acme.ID); s.Status != domain.StoreDisconnected {
		t.Errorf("status became %q", s.Status)
	}
	wantMetric(t, env, `shopcard_store_connections{status="disconnected"} 1`)
}

func TestWebhookScopesUpdate(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	withWebhooks(t, env)
	scopes := []string{"read_customers", "read_orders"}
	if err := env.Fake.SetTokenScopes(fakeshopify.AcmeDomain, fakeshopify.AcmeToken, scopes); err != nil {
		t.Fatal(err)
	}
	env.Fake.FlushWebhooks()
	s, _ := env.App.DB.StoreByID(t.Context(), env.WS.ID, env.Stores[fakeshopify.AcmeDomain].ID)
	if strings.Join(s.Scopes, ",") != "read_customers,read_orders" {
		t.Errorf("scopes %v", s.Scopes)
	}
}

func TestComplianceWebhooks(t *testing.T) {
	t.Parallel()
	t.Run("customers/redact purges cached and stale data", func(t *testing.T) {
		t.Parallel()
		env := newTestEnv(t)
		withWebhooks(t, env)
		maya, _ := env.Fake.CustomerByEmail(fakeshopify.AcmeDomain, fakeshopify.EmailShowcase)
		customerName(t, env)
		env.Fake.RedactCustomer(fakeshopify.AcmeDomain, maya.ID)
		env.Fake.FlushWebhooks()
		env.Fake.SetFaults(fakeshopify.AcmeDomain, fakeshopify.Faults{Status: 503})
		_, doc := env.Section(t, fakeshopify.AcmeDomain, fakeshopify.EmailShowcase)
		if state(doc) != "error" || strings.Contains(doc.Text(), "Maya") {
			t.Errorf("state %q: redacted data was served", state(doc))
		}
	})
	t.Run("customers/data_request is acknowledged and logged, without the customer", func(t *testing.T) {
		t.Parallel()
		env := newTestEnv(t)
		withWebhooks(t, env)
		maya, _ := env.Fake.CustomerByEmail(fakeshopify.AcmeDomain, fakeshopify.EmailShowcase)
		env.Fake.RequestCustomerData(fakeshopify.AcmeDomain, maya.ID)
		env.Fake.FlushWebhooks()
		d := env.Fake.WebhookDeliveries(fakeshopify.AcmeDomain)
		if len(d) != 1 || d[0].Status != http.StatusOK {
			t.Fatalf("deliveries %+v", d)
		}
		logs := env.Logs.String()
		if !strings.Contains(logs, "customers/data_request acknowledged") || strings.Contains(logs, "maya") {
			t.Errorf("logs: %s", logs)
		}
	})
	t.Run("shop/redact deletes the connection and its data", func(t *testing.T) {
		t.Parallel()
		env := newTestEnv(t)
		withWebhooks(t, env)
		customerName(t, env)
		env.Fake.RedactShop(fakeshopify.AcmeDomain)
		env.Fake.FlushWebhooks()
		if left, _ := env.App.DB.StoresByShop(t.Context(), fakeshopify.AcmeDomain); len(left) != 0 {
			t.Fatalf("%d connections left", len(left))
		}
		resp, body := env.Get(t, "/sidebar/stores/"+itoa(env.Stores[fakeshopify.AcmeDomain].ID), env.Token(t, fakeshopify.EmailShowcase))
		if resp.StatusCode != http.StatusNotFound || strings.Contains(body, "Maya") {
			t.Errorf("status %d after shop/redact", resp.StatusCode)
		}
		if env.App.Lookup.PurgeStore(env.Stores[fakeshopify.AcmeDomain].ID) != 0 {
			t.Error("cached answers of the redacted shop remained")
		}
		if _, doc := env.Section(t, fakeshopify.NordicDomain, fakeshopify.EmailShowcase); state(doc) != "loaded" {
			t.Error("another store was affected")
		}
	})
}

// TestWebhooksAcrossWorkspaces: a shop connected in two workspaces has its
// cached answers evicted in both, but one workspace's signing secret can
// only disconnect that workspace's connection.
func TestWebhooksAcrossWorkspaces(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	ctx := t.Context()
	other, _ := env.App.DB.CreateWorkspace(ctx, "second-team")
	theirs, _, err := env.App.DB.SaveStore(ctx, domain.Store{WorkspaceID: other.ID, Domain: fakeshopify.AcmeDomain, AccessToken: domain.NewSecret(fakeshopify.AcmeToken), Scopes: []string{"read_customers", "read_orders"}})
	if err != nil {
		t.Fatal(err)
	}
	env.App.DB.SetWebhookSecret(ctx, other.ID, theirs.ID, domain.NewSecret("their-own-secret"))
	withWebhooks(t, env)
	ours := env.Stores[fakeshopify.AcmeDomain]
	maya, _ := env.Fake.CustomerByEmail(fakeshopify.AcmeDomain, fakeshopify.EmailShowcase)

	load := func(s domain.Store) {
		if _, err := env.App.Lookup.LookupCustomer(ctx, s, fakeshopify.EmailShowcase); err != nil {
			t.Fatal(err)
		}
	}
	load(ours)
	load(theirs)
	update := []byte(`{"id":` + itoa(int64(maya.ID)) + `,"email":"maya.chen@example.com"}`)
	if got := env.postWebhook(t, "customers/update", fakeshopify.AcmeDomain, "x-1", webhooks.Sign(update, domain.NewSecret("their-own-secret")), update); got != 200 {
		t.Fatalf("status %d", got)
	}
	before := env.Fake.Requests(fakeshopify.AcmeDomain)
	load(ours)
	load(theirs)
	if n := env.Fake.Requests(fakeshopify.AcmeDomain) - before; n != 2 {
		t.Errorf("%d refetches, want 2: the eviction reaches both workspaces", n)
	}

	uninstall := []byte(`{"id":1,"myshopify_domain":"` + fakeshopify.AcmeDomain + `"}`)
	if got := env.postWebhook(t, "app/uninstalled", fakeshopify.AcmeDomain, "x-2", webhooks.Sign(uninstall, domain.NewSecret("their-own-secret")), uninstall); got != 200 {
		t.Fatalf("status %d", got)
	}
	mine, _ := env.App.DB.StoreByID(ctx, env.WS.ID, ours.ID)
	gone, _ := env.App.DB.StoreByID(ctx, other.ID, theirs.ID)
	if mine.Status != domain.StoreHealthy || gone.Status != domain.StoreDisconnected {
		t.Errorf("ours %q, theirs %q: only the connection whose secret signed may be disconnected", mine.Status, gone.Status)
	}
}

// TestAppSecretSpeaksOnlyForOAuthConnections: a delivery signed with the
// app's client secret may disconnect the shop's connections made through the
// app, but not a custom-app connection of the same shop, which may belong
// to a workspace that never installed the app.
func TestAppSecretSpeaksOnlyForOAuthConnections(t *testing.T) {
	t.Parallel()
	const appSecret = "shpss_app_client_secret"
	env := newTestEnv(t, func(o *envOptions) { o.appSecret = appSecret })
	acme := env.Stores[fakeshopify.AcmeDomain]
	uninstalled := func(at string) ([]byte, string) {
		body := []byte(`{"id":1,"name":"Acme Outfitters","myshopify_domain":"acme-outfitters.myshopify.com","updated_at":"` + at + `"}`)
		return body, webhooks.Sign(body, domain.NewSecret(appSecret))
	}
	body, sig := uninstalled("2026-11-25T12:00:00Z")

	if got := env.postWebhook(t, "app/uninstalled", fakeshopify.AcmeDomain, "u-1", sig, body); got != http.StatusOK {
		t.Fatalf("status %d", got)
	}
	if s, _ := env.App.DB.StoreByID(t.Context(), env.WS.ID, acme.ID); s.Status != domain.StoreHealthy || s.AccessToken.IsZero() {
		t.Fatalf("the app's secret disconnected a custom-app connection: %q", s.Status)
	}

	acme.TokenKind = domain.TokenOAuth
	if _, _, err := env.App.DB.SaveStore(t.Context(), acme); err != nil {
		t.Fatal(err)
	}
	body, sig = uninstalled("2026-11-25T13:00:00Z")
	if got := env.postWebhook(t, "app/uninstalled", fakeshopify.AcmeDomain, "u-2", sig, body); got != http.StatusOK {
		t.Fatalf("status %d", got)
	}
	if s, _ := env.App.DB.StoreByID(t.Context(), env.WS.ID, acme.ID); s.Status != domain.StoreDisconnected || !s.AccessToken.IsZero() {
		t.Errorf("an OAuth connection stayed %q after app/uninstalled", s.Status)
	}
}

package admin_test

import (
	"context"
	"github.com/PuerkitoBio/goquery"
	"net/http"
	"net/url"
	"shopcard/internal/apptest"
	"shopcard/webhooks"
	"strings"
	"testing"
	"time"

	"shopcard/domain"
	"shopcard/fakeshopify"
	"shopcard/shopify"
)

func TestStoresPage(t *testing.T) {
	t.Parallel()
	env := newAdminEnv(t)
	acme, nordic := env.Stores[fakeshopify.AcmeDomain], env.Stores[fakeshopify.NordicDomain]
	if err := env.App.DB.RecordStoreResult(context.Background(), nordic.ID, domain.StoreNeedsReconnect, "Shopify rejected this store's access token (401).", time.Now()); err != nil {
		t.Fatal(err)
	}
	b := env.SignIn(t, apptest.AdminEmail, apptest.AdminPassword)
	p := b.Get("/admin/stores")
	rows := p.Doc.Find(apptest.Sel("store-row"))
	if rows.Length() != 2 {
		t.Fatalf("%d store rows, want acme-support's 2", rows.Length())
	}
	if strings.Contains(p.Body, fakeshopify.SakuraDomain) || strings.Contains(p.Body, fakeshopify.AcmeToken) || strings.Contains(p.Body, fakeshopify.NordicToken) {
		t.Error("the page shows another workspace's store, or a token")
	}
	tests := []struct {
		store  domain.Store
		checks map[string]string
		scopes map[string]string // scope → tone
		notes  []string
	}{
		{acme, map[string]string{"store-name": "Acme Outfitters", "store-status": "Healthy", "store-token-kind": "Custom app token (doesn't expire)", "store-last-ok": "just now"},
			map[string]string{"read_customers": "good", "read_orders": "good", "read_all_orders": "good", "read_fulfillments": "warn"},
			[]string{"Without read_fulfillments, shipment changes (new fulfillments, tracking numbers) show within 1 minute rather than at once"}},
		{nordic, map[string]string{"store-status": "Needs reconnect", "store-last-error": "Shopify rejected this store's access token (401).",
			"store-last-error-time": "just now", "store-advice": "Replace the token below"},
			map[string]string{"read_customers": "good", "read_orders": "good", "read_all_orders": "warn"}, []string{"only orders from the last 60 days", "Without read_fulfillments"}},
	}
	for _, tt := range tests {
		t.Run(tt.store.Domain, func(t *testing.T) {
			row := p.Doc.Find(`[data-testid="store-row"][data-store="` + tt.store.Domain + `"]`)
			if row.Length() != 1 {
				t.Fatal("no row")
			}
			for id, want := range tt.checks {
				if got := strings.TrimSpace(row.Find(apptest.Sel(id)).First().Text()); !strings.Contains(got, want) {
					t.Errorf("%s = %q, want %q", id, got, want)
				}
			}
			for scope, tone := range tt.scopes {
				if got, _ := row.Find(`[data-scope="` + scope + `"]`).Attr("data-tone"); got != tone {
					t.Errorf("scope %s tone %q, want %q", scope, got, tone)
				}
			}
			notes := row.Find(apptest.Sel("scope-note")).Text()
			for _, n := range tt.notes {
				if !strings.Contains(notes, n) {
					t.Errorf("scope notes %q lack %q", notes, n)
				}
			}
			if len(tt.notes) == 0 && notes != "" {
				t.Errorf("unexpected scope notes %q", notes)
			}
		})
	}
	if p.Doc.Find(apptest.Sel("oauth-domain")).Length() != 1 {
		t.Error("the OAuth form is missing although an app is configured")
	}
	noOAuth := newAdminEnvWith(t, adminOptions{noOAuth: true})
	if p := noOAuth.SignIn(t, apptest.AdminEmail, apptest.AdminPassword).Get("/admin/stores"); p.Doc.Find(apptest.Sel("oauth-domain")).Length() != 0 {
		t.Error("the OAuth form shows without an app")
	}
}

func TestConnectByToken(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		domain     string
		token      string
		fault      *fakeshopify.Faults
		wantStatus int
		wantError  string
	}{
		{"storefront domain", "shop.sakura-stationery.jp", fakeshopify.SakuraToken, nil, http.StatusBadRequest, "looks like a storefront domain"},
		{"a URL", "https://sakura-stationery.myshopify.com/admin", fakeshopify.SakuraToken, nil, http.StatusBadRequest, "Enter just the store's domain, sakura-stationery.myshopify.com"},
		{"no token", fakeshopify.SakuraDomain, "", nil, http.StatusBadRequest, "No access token given"},
		{"token rejected", fakeshopify.SakuraDomain, "shpat_fake_wrong_token_0123", nil, http.StatusBadGateway, "Shopify rejected this access token (401)"},
		{"token of another shop", fakeshopify.SakuraDomain, fakeshopify.AcmeToken, nil, http.StatusBadGateway, "rejected this access token"},
		{"scopes missing", fakeshopify.AcmeDomain, fakeshopify.AcmeTokenCustomersOnly, nil, http.StatusBadRequest, "missing the read_orders scope"},
		{"shop frozen", fakeshopify.SakuraDomain, fakeshopify.SakuraToken, &fakeshopify.Faults{Status: 402}, http.StatusBadGateway, "The shop is frozen (402)"},
		{"shop locked", fakeshopify.SakuraDomain, fakeshopify.SakuraToken, &fakeshopify.Faults{Status: 423}, http.StatusBadGateway, "The shop is locked (423)"},
		{"Shopify unreachable", fakeshopify.SakuraDomain, fakeshopify.SakuraToken, &fakeshopify.Faults{Status: 503}, http.StatusBadGateway, "Shopify couldn't be reached"},
		{"shop unavailable (403)", fakeshopify.SakuraDomain, fakeshopify.SakuraToken, &fakeshopify.Faults{Status: 403, StatusMessage: "Unavailable Shop"}, http.StatusBadGateway, "unavailable (403 Unavailable Shop)"},
		{"a scope needing approval (403)", fakeshopify.SakuraDomain, fakeshopify.SakuraToken, &fakeshopify.Faults{Status: 403}, http.StatusBadGateway, "for want of the read_orders scope"},
		{"a bare handle", "sakura-stationery", fakeshopify.SakuraToken, nil, http.StatusBadRequest, "Did you mean sakura-stationery.myshopify.com?"},
		// A 20,000-character domain makes a form bigger than any the
		// console takes, refused whole with 413 before anything reads it
		// (TestFormBodiesAreBoundedFirst); one too long for DNS that still
		// fits is refused for what it is.
		{"a 300-character domain", strings.Repeat("x", 300) + ".myshopify.com", fakeshopify.SakuraToken, nil, http.StatusBadRequest, "too long for a store's domain"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env := newAdminEnv(t)
			if tt.fault != nil {
				if err := env.Fake.SetFaults(tt.domain, *tt.fault); err != nil {
					t.Fatal(err)
				}
			}
			before, _ := env.Store(t, fakeshopify.AcmeDomain)
			b := env.SignIn(t, apptest.AdminEmail, apptest.AdminPassword)
			p := b.Post("/admin/stores", url.Values{"domain": {tt.domain}, "token": {tt.token}})
			if p.Status() != tt.wantStatus {
				t.Fatalf("status %d, want %d (%s)", p.Status(), tt.wantStatus, p.Text("connect-error"))
			}
			if got := p.Text("connect-error"); !strings.Contains(got, tt.wantError) {
				t.Errorf("error %q, want %q", got, tt.wantError)
			}
			if tt.token != "" && strings.Contains(p.Body, tt.token) {
				t.Error("the page echoes the token")
			}
			if got := p.Attr("connect-domain", "value"); got != tt.domain {
				t.Errorf("domain field %.40q, want what was typed (%.40q)", got, tt.domain)
			}
			if want := shopify.SuggestedDomain(func() error { _, err := shopify.NormalizeShopDomain(tt.domain); return err }()); p.Attr("connect-suggestion", "data-value") != want {
				t.Errorf("suggestion %q, want %q", p.Attr("connect-suggestion", "data-value"), want)
			}
			if v, _ := p.Doc.Find(apptest.Sel("connect-token")).Attr("value"); v != "" {
				t.Error("the token field is filled in")
			}
			if _, ok := env.Store(t, fakeshopify.SakuraDomain); ok {
				t.Error("a refused store was saved")
			}
			if after, _ := env.Store(t, fakeshopify.AcmeDomain); after.AccessToken.Reveal() != before.AccessToken.Reveal() {
				t.Error("a refused token replaced the store's token")
			}
			if strings.Contains(env.Logs.String(), tt.token) && tt.token != "" {
				t.Error("the token was logged")
			}
		})
	}

	t.Run("success", func(t *testing.T) {
		t.Parallel()
		env := newAdminEnv(t)
		b := env.SignIn(t, apptest.AdminEmail, apptest.AdminPassword)
		p := b.Post("/admin/stores", url.Values{"domain": {" Sakura-Stationery.myshopify.com. "}, "token": {fakeshopify.SakuraToken}})
		if p.Status() != http.StatusSeeOther || p.Location() != "/admin/stores" {
			t.Fatalf("connect: %d → %q: %s", p.Status(), p.Location(), p.Text("connect-error"))
		}
		s, ok := env.Store(t, fakeshopify.SakuraDomain)
		if !ok || s.TokenKind != domain.TokenCustomApp || s.Status != domain.StoreHealthy || len(s.Scopes) != 3 {
			t.Fatalf("saved %+v", s)
		}
		p = b.Get("/admin/stores")
		if got := p.Text("notice"); !strings.Contains(got, "Connected さくら文具 Sakura Stationery (sakura-stationery.myshopify.com).") {
			t.Errorf("notice %q", got)
		}
		if strings.Contains(p.Body, fakeshopify.SakuraToken) {
			t.Error("the page shows the token")
		}
		if p := b.Get("/admin/stores"); p.Text("notice") != "" {
			t.Error("the notice shows twice")
		}
	})
}

func TestTestConnection(t *testing.T) {
	t.Parallel()
	env := newAdminEnv(t)
	b := env.SignIn(t, apptest.AdminEmail, apptest.AdminPassword)
	acme := env.Stores[fakeshopify.AcmeDomain]
	path := "/admin/stores/" + itoa(acme.ID) + "/test"

	p := b.Post(path, nil)
	if p.Status() != http.StatusSeeOther {
		t.Fatalf("test: %d", p.Status())
	}
	if got := b.Get("/admin/stores").Text("notice"); !strings.Contains(got, "the connection works") {
		t.Errorf("notice %q", got)
	}

	if err := env.Fake.RevokeToken(fakeshopify.AcmeDomain, fakeshopify.AcmeToken); err != nil {
		t.Fatal(err)
	}
	b.Post(path, nil)
	p = b.Get("/admin/stores")
	if got := p.Text("notice"); !strings.Contains(got, "failed its test") || !strings.Contains(got, "401") {
		t.Errorf("notice %q", got)
	}
	s, _ := env.Store(t, fakeshopify.AcmeDomain)
	if s.Status != domain.StoreNeedsReconnect || s.LastError == "" {
		t.Errorf("after a 401 test the store is %q (%q)", s.Status, s.LastError)
	}
	row := p.Doc.Find(`[data-store="` + fakeshopify.AcmeDomain + `"]`)
	if got := strings.TrimSpace(row.Find(apptest.Sel("store-status")).Text()); got != "Needs reconnect" {
		t.Errorf("status shows %q", got)
	}

	if err := env.Fake.ReinstateToken(fakeshopify.AcmeDomain, fakeshopify.AcmeToken); err != nil {
		t.Fatal(err)
	}
	b.Post(path, nil)
	if s, _ := env.Store(t, fakeshopify.AcmeDomain); s.Status != domain.StoreHealthy || s.LastError != "" {
		t.Errorf("a passing test left the store %q (%q)", s.Status, s.LastError)
	}
}

func TestReplaceToken(t *testing.T) {
	t.Parallel()
	env := newAdminEnv(t)
	b := env.SignIn(t, apptest.AdminEmail, apptest.AdminPassword)
	acme := env.Stores[fakeshopify.AcmeDomain]
	path := "/admin/stores/" + itoa(acme.ID) + "/token"

	b.Post(path, url.Values{"token": {"shpat_fake_not_valid_anywhere"}})
	p := b.Get("/admin/stores")
	if got := p.Text("notice"); !strings.Contains(got, "was not replaced") || strings.Contains(p.Body, "shpat_fake_not_valid_anywhere") {
		t.Errorf("notice %q (or the token is echoed)", got)
	}
	if s, _ := env.Store(t, fakeshopify.AcmeDomain); s.AccessToken.Reveal() != fakeshopify.AcmeToken {
		t.Fatal("a rejected token replaced the old one")
	}

	// Warm the cache, then replace: the old token's answers go.
	ctx := context.Background()
	if _, err := env.App.Lookup.LookupCustomer(ctx, acme, fakeshopify.EmailShowcase); err != nil {
		t.Fatal(err)
	}
	p = b.Post(path, url.Values{"token": {fakeshopify.AcmeToken}})
	if p.Status() != http.StatusSeeOther {
		t.Fatalf("replace: %d", p.Status())
	}
	if got := b.Get("/admin/stores").Text("notice"); !strings.Contains(got, "Replaced the token of Acme Outfitters") {
		t.Errorf("notice %q", got)
	}
	before := env.Fake.Requests(fakeshopify.AcmeDomain)
	if _, err := env.App.Lookup.LookupCustomer(ctx, acme, fakeshopify.EmailShowcase); err != nil {
		t.Fatal(err)
	}
	if env.Fake.Requests(fakeshopify.AcmeDomain) != before+1 {
		t.Error("answers cached with the old token survived the replacement")
	}
}

func TestDisconnectPurgesTheCache(t *testing.T) {
	t.Parallel()
	env := newAdminEnv(t)
	b := env.SignIn(t, apptest.AdminEmail, apptest.AdminPassword)
	acme := env.Stores[fakeshopify.AcmeDomain]
	ctx := context.Background()

	// Warm the cache the way the sidebar does.
	if _, err := env.App.Lookup.LookupCustomer(ctx, acme, fakeshopify.EmailShowcase); err != nil {
		t.Fatal(err)
	}
	requests := env.Fake.Requests(fakeshopify.AcmeDomain)
	if _, err := env.App.Lookup.LookupCustomer(ctx, acme, fakeshopify.EmailShowcase); err != nil || env.Fake.Requests(fakeshopify.AcmeDomain) != requests {
		t.Fatal("sanity: the second lookup was not a cache hit")
	}

	p := b.Get("/admin/stores/" + itoa(acme.ID) + "/disconnect")
	if p.Status() != http.StatusOK || p.Doc.Find(apptest.Sel("disconnect-submit")).Length() != 1 {
		t.Fatalf("confirmation page: %d", p.Status())
	}
	if _, ok := env.Store(t, fakeshopify.AcmeDomain); !ok {
		t.Fatal("showing the confirmation disconnected the store")
	}
	p = b.Post("/admin/stores/"+itoa(acme.ID)+"/disconnect", nil)
	if p.Status() != http.StatusSeeOther {
		t.Fatalf("disconnect: %d", p.Status())
	}
	if _, ok := env.Store(t, fakeshopify.AcmeDomain); ok {
		t.Fatal("the store is still connected")
	}
	if got := b.Get("/admin/stores").Text("notice"); !strings.Contains(got, "Disconnected acme-outfitters.myshopify.com") {
		t.Errorf("notice %q", got)
	}
	// The cached answer is gone at once: the next lookup asks Shopify.
	if _, err := env.App.Lookup.LookupCustomer(ctx, acme, fakeshopify.EmailShowcase); err != nil {
		t.Fatal(err)
	}
	if env.Fake.Requests(fakeshopify.AcmeDomain) != requests+1 {
		t.Error("the store's cached answers survived the disconnection")
	}
	// The sidebar no longer shows it.
	tok := mintToken(t, env.Workspace(t), fakeshopify.EmailShowcase)
	side := env.Browser(t).Get("/sidebar?token=" + tok)
	if strings.Contains(side.Body, fakeshopify.AcmeDomain) {
		t.Error("the sidebar still shows the disconnected store")
	}
}

// TestStoreWebhookSettings: a custom-app store's webhooks are trusted
// only once proved. A saved secret waits for the first signed delivery,
// refusals show as a signature mismatch with their time, and a secret
// saved after a refusal is checked against the refused delivery at once.
func TestStoreWebhookSettings(t *testing.T) {
	t.Parallel()
	env := newAdminEnv(t)
	b := env.SignIn(t, apptest.AdminEmail, apptest.AdminPassword)
	acme := env.Stores[fakeshopify.AcmeDomain]
	row := func(shop string) *goquery.Selection {
		t.Helper()
		return b.Get("/admin/stores").Doc.Find(`[data-store="` + shop + `"]`)
	}
	status := func(shop string) string {
		t.Helper()
		return row(shop).Find(apptest.Sel("store-webhooks-status")).Text()
	}
	save := func(t *testing.T, store int64, secret string) (int, string) {
		t.Helper()
		p := b.Post("/admin/stores/"+itoa(store)+"/webhook-secret", url.Values{"secret": {secret}})
		return p.Status(), b.Get("/admin/stores").Text("notice")
	}
	// Shopify delivers Acme's webhooks, signed with the secret of its
	// notification settings, to shopcard.
	env.Fake.SetWebhookURL(env.URL + webhooks.Path)
	realSecret, _ := env.Fake.WebhookSecret(fakeshopify.AcmeDomain)
	deliver := func(t *testing.T) {
		t.Helper()
		maya, _ := env.Fake.CustomerByEmail(fakeshopify.AcmeDomain, fakeshopify.EmailShowcase)
		if _, err := env.Fake.UpdateCustomer(fakeshopify.AcmeDomain, maya.ID, func(c *fakeshopify.Customer) { c.Tags = append(c.Tags, "x") }); err != nil {
			t.Fatal(err)
		}
		env.Fake.FlushWebhooks()
	}

	r := row(fakeshopify.AcmeDomain)
	if got := r.Find(apptest.Sel("store-webhooks-status")).Text(); got != "Not set up" {
		t.Errorf("a custom-app store without a secret: %q", got)
	}
	if !strings.Contains(r.Find(apptest.Sel("store-webhooks-detail")).Text(), env.URL+"/webhooks/shopify") {
		t.Errorf("detail does not say where to point Shopify: %q", r.Find(apptest.Sel("store-webhooks-detail")).Text())
	}
	if r.Find(apptest.Sel("store-subscribe")).Length() != 0 {
		t.Error("a custom-app store offers OAuth subscriptions")
	}

	for _, tt := range []struct {
		name   string
		store  int64
		secret string
		status int
		saved  bool
	}{
		{"empty secret", acme.ID, " ", http.StatusSeeOther, false},
		{"another workspace's store", env.RivalStore.ID, "rival-secret", http.StatusNotFound, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got, _ := save(t, tt.store, tt.secret); got != tt.status {
				t.Fatalf("status %d, want %d", got, tt.status)
			}
			if has, _ := env.App.DB.HasWebhookSecret(t.Context(), tt.store); has != tt.saved {
				t.Errorf("secret saved = %v, want %v", has, tt.saved)
			}
		})
	}

	steps := []struct {
		name         string
		do           func(t *testing.T) string // returns the notice, if any
		status       string
		noticeOrInfo string
	}{
		{"a secret with nothing to check it against waits", func(t *testing.T) string {
			_, notice := save(t, acme.ID, "a-mistyped-secret")
			return notice
		}, "Waiting for the first signed delivery", "trusted once a delivery verifies"},
		{"a delivery the saved secret doesn't verify", func(t *testing.T) string {
			deliver(t)
			return row(fakeshopify.AcmeDomain).Find(apptest.Sel("store-webhooks-detail")).Text()
		}, "Failing: signature mismatch", "Copy the signing secret again"},
		{"another wrong secret is checked against that delivery", func(t *testing.T) string {
			_, notice := save(t, acme.ID, "still-not-it")
			return notice
		}, "Failing: signature mismatch", "doesn't verify the customers/update delivery"},
		{"the right secret is proved by that delivery", func(t *testing.T) string {
			_, notice := save(t, acme.ID, realSecret)
			return notice
		}, "Active", "it is the right one"},
		{"and deliveries verify from then on", func(t *testing.T) string {
			deliver(t)
			return row(fakeshopify.AcmeDomain).Find(apptest.Sel("store-webhooks-detail")).Text()
		}, "Active", "The last delivery verified just now"},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			if got := st.do(t); !strings.Contains(got, st.noticeOrInfo) {
				t.Errorf("said %q, want %q", got, st.noticeOrInfo)
			}
			if got := status(fakeshopify.AcmeDomain); got != st.status {
				t.Errorf("webhooks %q, want %q", got, st.status)
			}
		})
	}
	if row(fakeshopify.AcmeDomain).Find(apptest.Sel("store-webhooks-note")).Length() != 0 {
		t.Error("a custom-app store's webhooks (not subscribed by shopcard) list skipped topics")
	}
	page := b.Get("/admin/stores")
	for _, secret := range []string{realSecret, "a-mistyped-secret", "still-not-it"} {
		if strings.Contains(page.Body, secret) || strings.Contains(env.Logs.String(), secret) {
			t.Errorf("the stores page or the logs show a signing secret (%.8s…)", secret)
		}
	}

	// A store connected through the app is subscribed as it connects, and
	// waits for its first delivery, which the app's client secret signs.
	// (Sakura's notification-settings deliveries would be refused: no
	// connection holds that secret.)
	env.Fake.SetWebhookURL("")
	callback := approve(t, startOAuth(t, b, fakeshopify.SakuraDomain, false))
	if p := b.Get(callbackPath(callback, callback.Query())); p.Status() != http.StatusSeeOther {
		t.Fatalf("callback: %d", p.Status())
	}
	page = b.Get("/admin/stores")
	if got := page.Text("notice"); !strings.Contains(got, "webhook topics") {
		t.Errorf("notice %q does not mention the subscriptions", got)
	}
	sakura := page.Doc.Find(`[data-store="` + fakeshopify.SakuraDomain + `"]`)
	if got := sakura.Find(apptest.Sel("store-webhooks-status")).Text(); got != "Waiting for the first signed delivery" {
		t.Errorf("OAuth store webhooks before any delivery: %q (%s)", got, sakura.Find(apptest.Sel("store-webhooks-detail")).Text())
	}
	if sakura.Find(apptest.Sel("store-subscribe")).Length() != 0 || sakura.Find(apptest.Sel("store-webhook-secret")).Length() != 0 {
		t.Error("an OAuth store subscribed to every topic offers subscribing again, or a signing secret")
	}
	s, _ := env.Store(t, fakeshopify.SakuraDomain)
	subs, err := env.App.DB.WebhookSubscriptions(t.Context(), s.ID)
	if err != nil || len(subs) != len(webhooks.SubscribedTopics) {
		t.Errorf("%d subscriptions recorded (%v), want %d", len(subs), err, len(webhooks.SubscribedTopics))
	}
	hanako, _ := env.Fake.CustomerByEmail(fakeshopify.SakuraDomain, fakeshopify.EmailJapanese)
	env.Fake.UpdateCustomer(fakeshopify.SakuraDomain, hanako.ID, func(c *fakeshopify.Customer) { c.Tags = append(c.Tags, "x") })
	env.Fake.FlushWebhooks()
	if got := status(fakeshopify.SakuraDomain); got != "Active" {
		t.Errorf("OAuth store webhooks after a verified delivery: %q", got)
	}
}

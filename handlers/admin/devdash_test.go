package admin_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"shopcard/domain"
	"shopcard/fakeshopify"
	"shopcard/internal/apptest"
	"shopcard/webhooks"
)

// TestConnectDevDashboard connects a store with a Dev Dashboard app's
// client ID and secret through the console, against the fake over real
// HTTP: each refusal says what to do and saves nothing; a connection gets
// its token from the grant, keeps the secret sealed, subscribes its
// webhooks, which the client secret verifies, and keeps working past its
// token's expiry with no admin action.
func TestConnectDevDashboard(t *testing.T) {
	const otherOrgApp, otherOrgSecret = "other-organization-app", "other-organization-secret"
	const narrowApp, narrowSecret = "customers-only-app", "customers-only-secret"
	tests := []struct {
		name, domain, clientID, secret string
		wantStatus                     int
		wantError                      string
	}{
		{"a wrong secret", fakeshopify.SakuraDomain, fakeshopify.DevAppClientID, "not-the-secret", http.StatusBadGateway, "Copy both again from the app's Settings page"},
		{"an unknown client ID", fakeshopify.SakuraDomain, "0123456789abcdef", fakeshopify.DevAppClientSecret, http.StatusBadGateway, "(invalid_client)"},
		{"not installed on the store", fakeshopify.NordicDomain, fakeshopify.DevAppClientID, fakeshopify.DevAppClientSecret, http.StatusBadGateway, "install it on this store"},
		{"another organization's store", fakeshopify.AcmeDomain, otherOrgApp, otherOrgSecret, http.StatusBadGateway, "Connect this store with Shopify OAuth or with an access token instead"},
		{"scopes missing", fakeshopify.NordicDomain, narrowApp, narrowSecret, http.StatusBadRequest, "In the Dev Dashboard, add read_orders to the app's scopes, release a new version"},
		{"an access token in place of the secret", fakeshopify.SakuraDomain, fakeshopify.DevAppClientID, fakeshopify.SakuraToken, http.StatusBadRequest, "That is an access token"},
		{"no client ID", fakeshopify.SakuraDomain, "", fakeshopify.DevAppClientSecret, http.StatusBadRequest, "Enter the app's client ID"},
		{"a URL for a client ID", fakeshopify.SakuraDomain, "https://dev.shopify.com/x", fakeshopify.DevAppClientSecret, http.StatusBadRequest, "doesn't look like a client ID"},
		{"no secret", fakeshopify.SakuraDomain, fakeshopify.DevAppClientID, "", http.StatusBadRequest, "Enter the app's client secret"},
		{"a bare handle", "sakura-stationery", fakeshopify.DevAppClientID, fakeshopify.DevAppClientSecret, http.StatusBadRequest, "Did you mean sakura-stationery.myshopify.com?"},
		{"a storefront domain", "shop.sakura-stationery.jp", fakeshopify.DevAppClientID, fakeshopify.DevAppClientSecret, http.StatusBadRequest, "looks like a storefront domain"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := newAdminEnv(t)
			if err := env.Fake.AddApp(fakeshopify.App{ClientID: otherOrgApp, ClientSecret: otherOrgSecret, Organization: "another-organization", Scopes: []string{"read_customers", "read_orders"}}); err != nil {
				t.Fatal(err)
			}
			if err := env.Fake.AddApp(fakeshopify.App{ClientID: narrowApp, ClientSecret: narrowSecret, Scopes: []string{"read_customers"}}); err != nil {
				t.Fatal(err)
			}
			env.Fake.InstallApp(fakeshopify.AcmeDomain, otherOrgApp)
			env.Fake.InstallApp(fakeshopify.NordicDomain, narrowApp)
			before, _ := env.Store(t, fakeshopify.NordicDomain)
			b := env.SignIn(t, apptest.AdminEmail, apptest.AdminPassword)
			p := b.Post("/admin/stores/dev-dashboard", url.Values{"domain": {tt.domain}, "client_id": {tt.clientID}, "client_secret": {tt.secret}})
			if p.Status() != tt.wantStatus || !strings.Contains(p.Text("devdash-error"), tt.wantError) {
				t.Fatalf("%d %q, want %d %q", p.Status(), p.Text("devdash-error"), tt.wantStatus, tt.wantError)
			}
			if p.Attr("devdash-domain", "value") != tt.domain || p.Attr("devdash-client-id", "value") != tt.clientID {
				t.Error("the form lost the domain or the client ID")
			}
			if tt.secret != "" && (strings.Contains(p.Body, tt.secret) || strings.Contains(env.Logs.String(), tt.secret)) {
				t.Error("the secret is echoed or logged")
			}
			if _, ok := env.Store(t, fakeshopify.SakuraDomain); ok {
				t.Error("a refused app was connected")
			}
			if after, _ := env.Store(t, fakeshopify.NordicDomain); after.TokenKind != before.TokenKind || after.AccessToken.Reveal() != before.AccessToken.Reveal() {
				t.Error("a refused app replaced a store's token")
			}
		})
	}

	env := newAdminEnv(t)
	b := env.SignIn(t, apptest.AdminEmail, apptest.AdminPassword)
	grants := func() int {
		g, _ := env.Fake.Grants(fakeshopify.SakuraDomain)
		return g.ClientCredentials
	}
	p := b.Post("/admin/stores/dev-dashboard", url.Values{"domain": {fakeshopify.SakuraDomain}, "client_id": {fakeshopify.DevAppClientID}, "client_secret": {fakeshopify.DevAppClientSecret}})
	if p.Status() != http.StatusSeeOther || p.Location() != "/admin/stores" {
		t.Fatalf("connect: %d → %q: %s", p.Status(), p.Location(), p.Text("devdash-error"))
	}
	s, ok := env.Store(t, fakeshopify.SakuraDomain)
	if !ok || s.TokenKind != domain.TokenClientCredentials || s.ClientID != fakeshopify.DevAppClientID || s.ClientSecret.Reveal() != fakeshopify.DevAppClientSecret ||
		time.Until(s.AccessTokenExpiresAt) < 23*time.Hour || len(s.Scopes) != 5 || grants() != 1 {
		t.Fatalf("saved %+v after %d grants", s, grants())
	}
	page := b.Get("/admin/stores")
	if got := page.Text("notice"); !strings.Contains(got, "Connected さくら文具 Sakura Stationery") || !strings.Contains(got, "renewed automatically") || !strings.Contains(got, "webhook topics") {
		t.Errorf("notice %q", got)
	}
	row := page.Doc.Find(`[data-store="` + fakeshopify.SakuraDomain + `"]`)
	for id, want := range map[string]string{
		"store-token-kind":      "Dev Dashboard app, renewed automatically",
		"store-client-id":       fakeshopify.DevAppClientID,
		"store-token-expiry":    "This token expires in 24 hours",
		"store-token-renewed":   "Last renewed just now",
		"store-webhooks-status": "Waiting for the first signed delivery",
	} {
		if got := row.Find(apptest.Sel(id)).Text(); !strings.Contains(got, want) {
			t.Errorf("%s = %q, want %q", id, got, want)
		}
	}
	if row.Find(apptest.Sel("store-credentials-open")).Length() != 1 || row.Find(apptest.Sel("store-webhook-secret")).Length() != 0 || row.Find(apptest.Sel("store-replace-open")).Length() != 0 {
		t.Error("a Dev Dashboard store should offer replacing its credentials, and no token or signing secret to paste")
	}
	for _, secret := range []string{fakeshopify.DevAppClientSecret, s.AccessToken.Reveal()} {
		if strings.Contains(page.Body, secret) || strings.Contains(env.Logs.String(), secret) {
			t.Errorf("a secret (%.12s…) shows in the page or the logs", secret)
		}
	}
	subs, _ := env.App.DB.WebhookSubscriptions(t.Context(), s.ID)
	if len(subs) != len(webhooks.SubscribedTopics) {
		t.Errorf("%d subscriptions, want %d", len(subs), len(webhooks.SubscribedTopics))
	}

	// A change in Sakura: the delivery is signed with the app's client
	// secret, and verifies with no secret pasted anywhere.
	hanako, _ := env.Fake.CustomerByEmail(fakeshopify.SakuraDomain, fakeshopify.EmailJapanese)
	section := func() string {
		t.Helper()
		resp, doc := env.Get(t, apptest.SectionPath(s), mintToken(t, env.Workspace(t), fakeshopify.EmailJapanese))
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("section: %d", resp.StatusCode)
		}
		return doc
	}
	section()
	env.Fake.UpdateCustomer(fakeshopify.SakuraDomain, hanako.ID, func(c *fakeshopify.Customer) { c.LastName = "山本" })
	env.Fake.FlushWebhooks()
	for _, d := range env.Fake.WebhookDeliveries(fakeshopify.SakuraDomain) {
		if d.Status != http.StatusOK {
			t.Errorf("%s delivery answered %d", d.Topic, d.Status)
		}
	}
	if got := b.Get("/admin/stores").Doc.Find(`[data-store="` + fakeshopify.SakuraDomain + `"]`).Find(apptest.Sel("store-webhooks-status")).Text(); got != "Active" {
		t.Errorf("after a delivery signed with the client secret: %q", got)
	}
	if !strings.Contains(section(), "山本") {
		t.Error("the edit does not show after its webhook")
	}

	// The day is over: the token has expired, for shopcard and at
	// Shopify. The next lookup renews it first, with no admin action.
	expire := func(t *testing.T, st domain.Store) domain.Store {
		t.Helper()
		st.AccessTokenExpiresAt = env.Now().Add(-time.Minute)
		if err := env.App.DB.SaveStoreTokens(t.Context(), st); err != nil {
			t.Fatal(err)
		}
		if err := env.Fake.ExpireAccessToken(fakeshopify.SakuraDomain, st.AccessToken.Reveal()); err != nil {
			t.Fatal(err)
		}
		return st
	}
	s = expire(t, s)
	if _, err := env.App.Lookup.LookupFresh(t.Context(), s, fakeshopify.EmailJapanese); err != nil {
		t.Fatalf("a lookup past the token's expiry: %v", err)
	}
	renewed, _ := env.Store(t, fakeshopify.SakuraDomain)
	if grants() != 2 || renewed.AccessToken.Reveal() == s.AccessToken.Reveal() || renewed.Status != domain.StoreHealthy {
		t.Fatalf("after the expiry: %d grants, status %s", grants(), renewed.Status)
	}
	// Refused before its time (revoked): renewed once, and it works.
	if err := env.Fake.ExpireAccessToken(fakeshopify.SakuraDomain, renewed.AccessToken.Reveal()); err != nil {
		t.Fatal(err)
	}
	if _, err := env.App.Lookup.LookupFresh(t.Context(), renewed, fakeshopify.EmailJapanese); err != nil {
		t.Fatalf("a lookup after an early 401: %v", err)
	}
	if grants() != 3 {
		t.Errorf("%d grants after an early 401, want 3", grants())
	}

	// Replacing the credentials with a wrong secret changes nothing; the
	// right ones grant a new token.
	path := "/admin/stores/" + itoa(s.ID) + "/credentials"
	b.Post(path, url.Values{"client_id": {fakeshopify.DevAppClientID}, "client_secret": {"a-rotated-away-secret"}})
	if got := b.Get("/admin/stores").Text("notice"); !strings.Contains(got, "were not replaced") || !strings.Contains(got, "Copy both again") {
		t.Errorf("notice %q", got)
	}
	if after, _ := env.Store(t, fakeshopify.SakuraDomain); after.ClientSecret.Reveal() != fakeshopify.DevAppClientSecret {
		t.Error("a refused secret replaced the store's")
	}
	b.Post(path, url.Values{"client_id": {fakeshopify.DevAppClientID}, "client_secret": {fakeshopify.DevAppClientSecret}})
	if got := b.Get("/admin/stores").Text("notice"); !strings.Contains(got, "Replaced the Dev Dashboard app's credentials") || grants() != 4 {
		t.Errorf("notice %q after %d grants", got, grants())
	}

	// A renewal Shopify refuses (the app's secret was rotated in the
	// Dev Dashboard) marks the store, saying what to do on this page.
	current, _ := env.Store(t, fakeshopify.SakuraDomain)
	current.ClientSecret = domain.NewSecret("a-secret-rotated-away")
	if _, _, err := env.App.DB.SaveStore(t.Context(), current); err != nil {
		t.Fatal(err)
	}
	current, _ = env.Store(t, fakeshopify.SakuraDomain)
	current.AccessTokenExpiresAt = env.Now().Add(-time.Minute)
	env.App.DB.SaveStoreTokens(t.Context(), current)
	if _, err := env.App.Lookup.LookupFresh(t.Context(), current, fakeshopify.EmailJapanese); domain.KindOf(err) != domain.KindShopifyAuth {
		t.Fatalf("a renewal with a rotated secret: %v", err)
	}
	row = b.Get("/admin/stores").Doc.Find(`[data-store="` + fakeshopify.SakuraDomain + `"]`)
	if got := row.Find(apptest.Sel("store-status")).Text(); got != "Needs reconnect" ||
		!strings.Contains(row.Find(apptest.Sel("store-last-error")).Text(), "invalid_client") ||
		!strings.Contains(row.Find(apptest.Sel("store-advice")).Text(), "under Replace credentials below") {
		t.Errorf("status %q, error %q, advice %q", got, row.Find(apptest.Sel("store-last-error")).Text(), row.Find(apptest.Sel("store-advice")).Text())
	}

	// The app uninstalled: Shopify's app/uninstalled, signed with the
	// client secret, disconnects the store at once.
	b.Post(path, url.Values{"client_id": {fakeshopify.DevAppClientID}, "client_secret": {fakeshopify.DevAppClientSecret}})
	if err := env.Fake.UninstallApp(fakeshopify.SakuraDomain); err != nil {
		t.Fatal(err)
	}
	env.Fake.FlushWebhooks()
	row = b.Get("/admin/stores").Doc.Find(`[data-store="` + fakeshopify.SakuraDomain + `"]`)
	if got := row.Find(apptest.Sel("store-status")).Text(); got != "App uninstalled" ||
		!strings.Contains(row.Find(apptest.Sel("store-advice")).Text(), "Install the app on the store again from the Dev Dashboard") {
		t.Errorf("after uninstalling: status %q, advice %q", got, row.Find(apptest.Sel("store-advice")).Text())
	}
}

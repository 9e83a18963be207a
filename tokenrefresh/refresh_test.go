package tokenrefresh_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"shopcard/atrest"
	"shopcard/domain"
	"shopcard/fakeshopify"
	"shopcard/logging"
	"shopcard/shopify"
	"shopcard/sqlite"
	"shopcard/tokenrefresh"
)

// countingOAuth counts refreshes.
type countingOAuth struct {
	*shopify.OAuth
	n atomic.Int32
}

func (c *countingOAuth) Refresh(ctx context.Context, shop string, rt domain.Secret) (shopify.Tokens, error) {
	c.n.Add(1)
	return c.OAuth.Refresh(ctx, shop, rt)
}

// countingGrants counts client credentials grants.
type countingGrants struct {
	*shopify.ClientCredentials
	n atomic.Int32
}

func (c *countingGrants) Grant(ctx context.Context, shop, clientID string, secret domain.Secret) (shopify.Tokens, error) {
	c.n.Add(1)
	return c.ClientCredentials.Grant(ctx, shop, clientID, secret)
}

type env struct {
	fake   *fakeshopify.Server
	db     *sqlite.DB
	client *shopify.Client
	oauth  *countingOAuth
	grants *countingGrants
	ws     domain.Workspace
	url    string
}

func newEnv(t *testing.T) *env {
	t.Helper()
	fake := fakeshopify.NewSeeded(nil)
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	box, _ := atrest.New(bytes.Repeat([]byte{5}, atrest.KeySize))
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "t.db"), box)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	ws, _ := db.CreateWorkspace(context.Background(), "acme")
	template := srv.URL + fakeshopify.ShopURLTemplate
	client, _ := shopify.NewClient(shopify.Options{URLTemplate: template})
	o, err := shopify.NewOAuth(shopify.OAuthOptions{ClientID: fakeshopify.AppClientID, ClientSecret: domain.NewSecret(fakeshopify.AppClientSecret), URLTemplate: template})
	if err != nil {
		t.Fatal(err)
	}
	g, err := shopify.NewClientCredentials(shopify.ClientCredentialsOptions{URLTemplate: template})
	if err != nil {
		t.Fatal(err)
	}
	return &env{fake: fake, db: db, client: client, oauth: &countingOAuth{OAuth: o}, grants: &countingGrants{ClientCredentials: g}, ws: ws, url: srv.URL}
}

// connectDevDashboard gets a token for the fake's Dev Dashboard app on
// Sakura and saves the store as the admin console would.
func (e *env) connectDevDashboard(t *testing.T) domain.Store {
	t.Helper()
	tokens, err := e.grants.ClientCredentials.Grant(context.Background(), fakeshopify.SakuraDomain, fakeshopify.DevAppClientID, domain.NewSecret(fakeshopify.DevAppClientSecret))
	if err != nil {
		t.Fatal(err)
	}
	s, _, err := e.db.SaveStore(context.Background(), domain.Store{
		WorkspaceID: e.ws.ID, Domain: fakeshopify.SakuraDomain, ShopName: "Sakura", Scopes: tokens.Scopes,
		AccessToken: tokens.AccessToken, TokenKind: domain.TokenClientCredentials, AccessTokenExpiresAt: tokens.AccessTokenExpiresAt,
		ClientID: fakeshopify.DevAppClientID, ClientSecret: domain.NewSecret(fakeshopify.DevAppClientSecret),
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// connectWithOAuth installs the fake's app on a shop (approving the grant
// screen's form directly) and saves the store as the admin console would.
func (e *env) connectWithOAuth(t *testing.T, shop string) domain.Store {
	t.Helper()
	form := url.Values{"client_id": {fakeshopify.AppClientID}, "scope": {"read_customers,read_orders,read_all_orders"}, "redirect_uri": {"https://shopcard.example/cb"}, "state": {"s"}}
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noRedirect.PostForm(e.url+"/shops/"+shop+"/admin/oauth/authorize", form)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	loc, _ := url.Parse(resp.Header.Get("Location"))
	tokens, err := e.oauth.OAuth.ExchangeCode(context.Background(), shop, loc.Query().Get("code"))
	if err != nil {
		t.Fatal(err)
	}
	s, _, err := e.db.SaveStore(context.Background(), domain.Store{
		WorkspaceID: e.ws.ID, Domain: shop, ShopName: "Acme", Scopes: tokens.Scopes,
		AccessToken: tokens.AccessToken, TokenKind: domain.TokenOAuth, RefreshToken: tokens.RefreshToken,
		AccessTokenExpiresAt: tokens.AccessTokenExpiresAt, RefreshTokenExpiresAt: tokens.RefreshTokenExpiresAt,
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// ageTokens makes the stored access token look about to expire, while it
// still works at the fake.
func (e *env) ageTokens(t *testing.T, s domain.Store, expiresIn time.Duration) domain.Store {
	t.Helper()
	s.AccessTokenExpiresAt = time.Now().Add(expiresIn)
	if err := e.db.SaveStoreTokens(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	s, _ = e.db.StoreByID(context.Background(), s.WorkspaceID, s.ID)
	return s
}

func (e *env) keeper(oauth tokenrefresh.Refresher) *tokenrefresh.Keeper {
	return tokenrefresh.New(e.client, oauth, e.grants, e.db, time.Now, logging.New(io.Discard, "error", "text"))
}

func TestCustomAppTokensPassThrough(t *testing.T) {
	e := newEnv(t)
	s, _, _ := e.db.SaveStore(context.Background(), domain.Store{WorkspaceID: e.ws.ID, Domain: fakeshopify.AcmeDomain, AccessToken: domain.NewSecret(fakeshopify.AcmeToken)})
	r, err := e.keeper(e.oauth).LookupCustomer(context.Background(), s, fakeshopify.EmailShowcase)
	if err != nil || r.Customer == nil {
		t.Fatalf("lookup: %v", err)
	}
	if e.oauth.n.Load() != 0 {
		t.Error("a custom-app token was refreshed")
	}
}

func TestRefreshBeforeExpiryRotatesTheRefreshToken(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	original := e.connectWithOAuth(t, fakeshopify.AcmeDomain)
	k := e.keeper(e.oauth)

	// Plenty of time left: no refresh.
	if _, err := k.LookupCustomer(ctx, original, fakeshopify.EmailShowcase); err != nil {
		t.Fatal(err)
	}
	if e.oauth.n.Load() != 0 {
		t.Fatal("refreshed a token with an hour left")
	}

	stale := e.ageTokens(t, original, 2*time.Minute)
	// Concurrent callers (a Shopify lookup costs most of the fake's
	// bucket, so they only ask for a fresh token) share one refresh.
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if fresh, err := k.Fresh(ctx, stale); err != nil || fresh.AccessToken.Reveal() == stale.AccessToken.Reveal() {
				t.Errorf("Fresh with a token about to expire: %v", err)
			}
		}()
	}
	wg.Wait()
	if n := e.oauth.n.Load(); n != 1 {
		t.Errorf("%d refreshes for 8 concurrent callers, want 1", n)
	}
	saved, _ := e.db.StoreByID(ctx, e.ws.ID, original.ID)
	if saved.RefreshToken.Reveal() == original.RefreshToken.Reveal() || saved.AccessToken.Reveal() == original.AccessToken.Reveal() {
		t.Fatal("the rotated tokens were not stored")
	}
	if d := time.Until(saved.AccessTokenExpiresAt); d < 55*time.Minute {
		t.Errorf("new token expires in %v", d)
	}
	if saved.TokenKind != domain.TokenOAuth {
		t.Errorf("token kind %q", saved.TokenKind)
	}

	// A caller holding the old copy gets the stored tokens, not a second
	// refresh with the spent refresh token, and they work.
	if r, err := k.LookupCustomer(ctx, stale, fakeshopify.EmailShowcase); err != nil || r.Customer == nil {
		t.Fatal(err)
	}
	if n := e.oauth.n.Load(); n != 1 {
		t.Errorf("a stale copy caused another refresh (%d)", n)
	}

	// The next renewal uses the stored (rotated) refresh token, which
	// retires the original one at Shopify.
	e.ageTokens(t, saved, time.Minute)
	again, _ := e.db.StoreByID(ctx, e.ws.ID, original.ID)
	if _, err := k.Fresh(ctx, again); err != nil {
		t.Fatalf("second renewal: %v", err)
	}
	if _, err := e.oauth.OAuth.Refresh(ctx, original.Domain, original.RefreshToken); domain.KindOf(err) != domain.KindShopifyAuth {
		t.Errorf("the original refresh token still works after rotation: %v", err)
	}
}

func TestEarly401RenewsAndRetries(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	s := e.connectWithOAuth(t, fakeshopify.AcmeDomain)
	if err := e.fake.ExpireAccessToken(fakeshopify.AcmeDomain, s.AccessToken.Reveal()); err != nil {
		t.Fatal(err)
	}
	r, err := e.keeper(e.oauth).LookupCustomer(ctx, s, fakeshopify.EmailShowcase)
	if err != nil || r.Customer == nil {
		t.Fatalf("lookup after an early 401: %v", err)
	}
	if e.oauth.n.Load() != 1 {
		t.Errorf("%d refreshes", e.oauth.n.Load())
	}
}

func TestFailedRefreshNeedsReconnect(t *testing.T) {
	tests := []struct {
		name  string
		oauth func(e *env) tokenrefresh.Refresher
		prep  func(t *testing.T, e *env, s domain.Store) domain.Store
	}{
		{"refresh token refused", func(e *env) tokenrefresh.Refresher { return e.oauth }, func(t *testing.T, e *env, s domain.Store) domain.Store {
			s.RefreshToken = domain.NewSecret("shprt_fake_not_a_real_one")
			return e.ageTokens(t, s, -time.Minute)
		}},
		{"refresh token expired", func(e *env) tokenrefresh.Refresher { return e.oauth }, func(t *testing.T, e *env, s domain.Store) domain.Store {
			s.RefreshTokenExpiresAt = time.Now().Add(-time.Hour)
			return e.ageTokens(t, s, -time.Minute)
		}},
		{"no app configured", func(*env) tokenrefresh.Refresher { return nil }, func(t *testing.T, e *env, s domain.Store) domain.Store {
			return e.ageTokens(t, s, -time.Minute)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			ctx := context.Background()
			s := tt.prep(t, e, e.connectWithOAuth(t, fakeshopify.AcmeDomain))
			_, err := e.keeper(tt.oauth(e)).LookupCustomer(ctx, s, fakeshopify.EmailShowcase)
			if domain.KindOf(err) != domain.KindShopifyAuth {
				t.Fatalf("err = %v, want a Shopify auth error", err)
			}
			saved, _ := e.db.StoreByID(ctx, e.ws.ID, s.ID)
			if saved.Status != domain.StoreNeedsReconnect || saved.LastError == "" {
				t.Errorf("status %q, last error %q", saved.Status, saved.LastError)
			}
		})
	}
}

func TestShopifyDownDuringRefreshIsNotAReconnect(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	s := e.ageTokens(t, e.connectWithOAuth(t, fakeshopify.AcmeDomain), -time.Minute)
	down := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusBadGateway) }))
	defer down.Close()
	o, _ := shopify.NewOAuth(shopify.OAuthOptions{ClientID: "x", ClientSecret: domain.NewSecret("y"), URLTemplate: down.URL + "/{shop}"})
	_, err := e.keeper(o).LookupCustomer(ctx, s, fakeshopify.EmailShowcase)
	if domain.KindOf(err) != domain.KindShopifyUnavailable {
		t.Fatalf("err = %v", err)
	}
	saved, _ := e.db.StoreByID(ctx, e.ws.ID, s.ID)
	if saved.Status != domain.StoreHealthy {
		t.Errorf("a passing outage marked the store %q", saved.Status)
	}
}

// TestDevDashboardTokensAreRenewed: a Dev Dashboard app's token is renewed
// with its client credentials before it expires, once for any number of
// concurrent callers, and once after an unexpected 401, with no admin
// action; the renewal's time is kept.
func TestDevDashboardTokensAreRenewed(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	original := e.connectDevDashboard(t)
	k := e.keeper(nil) // no OAuth app is needed
	grants := func() int32 {
		g, _ := e.fake.Grants(fakeshopify.SakuraDomain)
		return int32(g.ClientCredentials)
	}

	if r, err := k.LookupCustomer(ctx, original, fakeshopify.EmailJapanese); err != nil || r.Customer == nil {
		t.Fatalf("lookup with a day left: %v", err)
	}
	if e.grants.n.Load() != 0 {
		t.Fatal("renewed a token with a day left")
	}

	stale := e.ageTokens(t, original, 2*time.Minute)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if fresh, err := k.Fresh(ctx, stale); err != nil || fresh.AccessToken.Reveal() == stale.AccessToken.Reveal() {
				t.Errorf("Fresh with a token about to expire: %v", err)
			}
		}()
	}
	wg.Wait()
	if n := e.grants.n.Load(); n != 1 || grants() != 2 {
		t.Errorf("%d renewals (Sakura counts %d grants) for 8 concurrent callers, want 1 (2)", n, grants())
	}
	saved, _ := e.db.StoreByID(ctx, e.ws.ID, original.ID)
	if saved.AccessToken.Reveal() == original.AccessToken.Reveal() || time.Until(saved.AccessTokenExpiresAt) < 23*time.Hour ||
		time.Since(saved.TokenRenewedAt) > time.Minute || saved.ClientSecret.Reveal() != fakeshopify.DevAppClientSecret {
		t.Fatalf("after the renewal: %+v", saved)
	}

	// Refused before its time: one renewal, and the lookup succeeds.
	if err := e.fake.ExpireAccessToken(fakeshopify.SakuraDomain, saved.AccessToken.Reveal()); err != nil {
		t.Fatal(err)
	}
	if r, err := k.LookupCustomer(ctx, saved, fakeshopify.EmailJapanese); err != nil || r.Customer == nil {
		t.Fatalf("lookup after an early 401: %v", err)
	}
	if n := e.grants.n.Load(); n != 2 || grants() != 3 {
		t.Errorf("%d renewals after the early 401, want 2", n)
	}
}

// TestDevDashboardRenewalRefused: when Shopify refuses the app's client
// credentials, the store needs reconnecting, with Shopify's reason in
// words that say what to do.
func TestDevDashboardRenewalRefused(t *testing.T) {
	tests := []struct {
		name string
		prep func(t *testing.T, e *env, s domain.Store) domain.Store
		want string
	}{
		{"the app was uninstalled", func(t *testing.T, e *env, s domain.Store) domain.Store {
			if err := e.fake.UninstallApp(fakeshopify.SakuraDomain); err != nil {
				t.Fatal(err)
			}
			return s
		}, "install it on this store"},
		{"the secret was rotated", func(t *testing.T, e *env, s domain.Store) domain.Store {
			s.ClientSecret = domain.NewSecret("an-old-secret")
			if _, _, err := e.db.SaveStore(context.Background(), s); err != nil {
				t.Fatal(err)
			}
			return s
		}, "Copy both again"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			ctx := context.Background()
			s := tt.prep(t, e, e.connectDevDashboard(t))
			s = e.ageTokens(t, s, -time.Minute)
			_, err := e.keeper(nil).LookupCustomer(ctx, s, fakeshopify.EmailJapanese)
			if domain.KindOf(err) != domain.KindShopifyAuth {
				t.Fatalf("err = %v, want a Shopify auth error", err)
			}
			saved, _ := e.db.StoreByID(ctx, e.ws.ID, s.ID)
			if saved.Status != domain.StoreNeedsReconnect || !strings.Contains(saved.LastError, tt.want) {
				t.Errorf("status %q, last error %q", saved.Status, saved.LastError)
			}
		})
	}
}

// TestOtherLookupsRenewToo: an order search, a shop lookup and an opened
// order's detail with an expired token renew it and go through, as the
// customer lookup does.
func TestOtherLookupsRenewToo(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	s := e.connectWithOAuth(t, fakeshopify.AcmeDomain)
	k := e.keeper(e.oauth)
	if err := e.fake.ExpireAccessToken(fakeshopify.AcmeDomain, s.AccessToken.Reveal()); err != nil {
		t.Fatal(err)
	}
	r, err := k.FindOrders(ctx, s, strings.TrimPrefix(fakeshopify.OrderGiftForMaya, "#"))
	if err != nil || len(r.Orders) != 1 {
		t.Fatalf("order lookup after an early 401: %+v, %v", r, err)
	}
	renewed, _ := e.db.StoreByID(ctx, e.ws.ID, s.ID)
	stale := e.ageTokens(t, renewed, 2*time.Minute)
	if d, err := k.ShopDetails(ctx, stale); err != nil || d.Name != "Acme Outfitters" {
		t.Fatalf("shop lookup with a token about to expire: %+v, %v", d, err)
	}
	// An opened order's detail goes through the same path.
	current, _ := e.db.StoreByID(ctx, e.ws.ID, s.ID)
	if err := e.fake.ExpireAccessToken(fakeshopify.AcmeDomain, current.AccessToken.Reveal()); err != nil {
		t.Fatal(err)
	}
	id := r.Orders[0].Order.LegacyResourceID
	if d, err := k.LookupOrder(ctx, current, id); err != nil || d.LegacyResourceID != id {
		t.Fatalf("order detail after an early 401: %+v, %v", d, err)
	}
	if n := e.oauth.n.Load(); n != 3 {
		t.Errorf("%d refreshes, want 3", n)
	}
}

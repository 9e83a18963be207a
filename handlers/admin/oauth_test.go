package admin_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"shopcard/handlers"
	"shopcard/internal/apptest"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"shopcard/domain"
	"shopcard/fakeshopify"
	"shopcard/shopify"
)

// startOAuth submits the "connect with Shopify" form and returns the
// authorize URL the browser is sent to.
func startOAuth(tb testing.TB, b *apptest.Browser, shop string, allOrders bool) *url.URL {
	tb.Helper()
	form := url.Values{"domain": {shop}}
	if allOrders {
		form.Set("all_orders", "1")
	}
	p := b.Post("/admin/stores/oauth", form)
	if p.Status() != http.StatusSeeOther {
		tb.Fatalf("start OAuth: %d %s", p.Status(), p.Text("oauth-error"))
	}
	u, err := url.Parse(p.Resp.Header.Get("Location"))
	if err != nil {
		tb.Fatal(err)
	}
	return u
}

// approve plays the shop owner at the fake's authorize page: it loads the
// grant screen and presses Install, and returns the callback URL Shopify
// sends the browser to.
func approve(tb testing.TB, authorize *url.URL) *url.URL {
	tb.Helper()
	resp, err := http.Get(authorize.String())
	if err != nil {
		tb.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		tb.Fatalf("authorize page: %d\n%s", resp.StatusCode, raw)
	}
	form := url.Values{}
	for _, m := range regexp.MustCompile(`name="([^"]+)" value="([^"]*)"`).FindAllStringSubmatch(string(raw), -1) {
		form.Set(m[1], html.UnescapeString(m[2]))
	}
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	action := *authorize
	action.RawQuery = ""
	resp, err = noRedirect.PostForm(action.String(), form)
	if err != nil {
		tb.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		tb.Fatalf("approve: %d", resp.StatusCode)
	}
	u, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		tb.Fatal(err)
	}
	return u
}

// resign signs a callback query with the fake app's secret, as Shopify
// would, after a test changed it.
func resign(q url.Values) url.Values {
	q.Del("hmac")
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var pairs []string
	for _, k := range keys {
		pairs = append(pairs, k+"="+q.Get(k))
	}
	mac := hmac.New(sha256.New, []byte(fakeshopify.AppClientSecret))
	mac.Write([]byte(strings.Join(pairs, "&")))
	q.Set("hmac", hex.EncodeToString(mac.Sum(nil)))
	return q
}

// callbackPath turns a callback URL into a path on the test server.
func callbackPath(u *url.URL, q url.Values) string {
	return u.Path + "?" + q.Encode()
}

func TestOAuthConnect(t *testing.T) {
	t.Parallel()
	env := newAdminEnv(t)
	b := env.SignIn(t, apptest.AdminEmail, apptest.AdminPassword)

	authorize := startOAuth(t, b, fakeshopify.SakuraDomain, true)
	q := authorize.Query()
	if !strings.HasPrefix(authorize.String(), env.FakeURL+"/shops/"+fakeshopify.SakuraDomain+"/admin/oauth/authorize?") {
		t.Fatalf("authorize URL %s is not the shop's", authorize)
	}
	if q.Get("client_id") != fakeshopify.AppClientID || q.Get("scope") != "read_customers,read_orders,read_fulfillments,read_all_orders" ||
		q.Get("redirect_uri") != env.URL+"/admin/oauth/callback" || len(q.Get("state")) < 40 {
		t.Fatalf("authorize query %v", q)
	}
	if minimal := startOAuth(t, b, fakeshopify.SakuraDomain, false); minimal.Query().Get("scope") != "read_customers,read_orders,read_fulfillments" {
		t.Errorf("without the option, scopes are %q", minimal.Query().Get("scope"))
	}

	callback := approve(t, authorize)
	p := b.Get(callbackPath(callback, callback.Query()))
	if p.Status() != http.StatusSeeOther || p.Location() != "/admin/stores" {
		t.Fatalf("callback: %d → %q: %s", p.Status(), p.Location(), p.Text("admin-error-message"))
	}
	s, ok := env.Store(t, fakeshopify.SakuraDomain)
	if !ok {
		t.Fatal("the store was not saved")
	}
	if s.TokenKind != domain.TokenOAuth || s.RefreshToken.IsZero() || s.AccessToken.IsZero() || len(s.Scopes) != 4 {
		t.Errorf("saved %q with %d scopes, refresh token set %v", s.TokenKind, len(s.Scopes), !s.RefreshToken.IsZero())
	}
	if left := time.Until(s.AccessTokenExpiresAt); left < 55*time.Minute || left > time.Hour {
		t.Errorf("access token expires in %v", left)
	}
	if left := time.Until(s.RefreshTokenExpiresAt); left < 89*24*time.Hour {
		t.Errorf("refresh token expires in %v", left)
	}
	page := b.Get("/admin/stores")
	if got := page.Text("notice"); !strings.Contains(got, "Connected さくら文具 Sakura Stationery") {
		t.Errorf("notice %q", got)
	}
	row := page.Doc.Find(`[data-store="` + fakeshopify.SakuraDomain + `"]`)
	if got := row.Find(apptest.Sel("store-token-kind")).Text(); !strings.Contains(got, "Shopify OAuth, renewed automatically") {
		t.Errorf("token kind %q", got)
	}
	if got := row.Find(apptest.Sel("store-token-expiry")).Text(); !strings.Contains(got, "This token expires in 1 hour") || !strings.Contains(got, "Not renewed yet") {
		t.Errorf("token expiry %q", got)
	}
	if row.Find(apptest.Sel("store-replace-open")).Length() != 0 || !strings.Contains(row.Find(apptest.Sel("store-webhooks-status")).Text(), "Waiting for the first signed delivery") {
		t.Error("an OAuth store offers a token to paste, or its webhooks claim to work before any delivery")
	}
	for _, secret := range []string{s.AccessToken.Reveal(), s.RefreshToken.Reveal(), callback.Query().Get("code"), fakeshopify.AppClientSecret} {
		if strings.Contains(page.Body, secret) || strings.Contains(env.Logs.String(), secret) {
			t.Errorf("a secret (%.12s…) shows in the page or the logs", secret)
		}
	}

	t.Run("a storefront domain is refused before Shopify", func(t *testing.T) {
		p := b.Post("/admin/stores/oauth", url.Values{"domain": {"shop.sakura-stationery.jp"}})
		if p.Status() != http.StatusBadRequest || !strings.Contains(p.Text("oauth-error"), "storefront domain") {
			t.Errorf("%d %q", p.Status(), p.Text("oauth-error"))
		}
	})
	t.Run("a bare handle gets its domain suggested", func(t *testing.T) {
		p := b.Post("/admin/stores/oauth", url.Values{"domain": {"sakura-stationery"}})
		if p.Status() != http.StatusBadRequest || !strings.Contains(p.Text("oauth-error"), "Did you mean sakura-stationery.myshopify.com?") ||
			p.Attr("oauth-suggestion", "data-value") != fakeshopify.SakuraDomain {
			t.Errorf("%d %q", p.Status(), p.Text("oauth-error"))
		}
	})
}

func TestOAuthCallbackTampering(t *testing.T) {
	t.Parallel()
	type flow struct {
		env      *adminEnv
		b        *apptest.Browser
		callback *url.URL
	}
	begin := func(t *testing.T, env *adminEnv, b *apptest.Browser) flow {
		return flow{env: env, b: b, callback: approve(t, startOAuth(t, b, fakeshopify.SakuraDomain, false))}
	}
	tests := []struct {
		name       string
		wantStatus int
		wantSaved  bool // a first, honest callback connected the store
		// deliver returns the path to request, and the browser that does.
		deliver func(t *testing.T, f flow) (string, *apptest.Browser)
	}{
		{"hmac altered", http.StatusForbidden, false, func(t *testing.T, f flow) (string, *apptest.Browser) {
			q := f.callback.Query()
			h := []byte(q.Get("hmac"))
			if h[0] == '0' {
				h[0] = '1'
			} else {
				h[0] = '0'
			}
			q.Set("hmac", string(h))
			return callbackPath(f.callback, q), f.b
		}},
		{"hmac missing", http.StatusForbidden, false, func(t *testing.T, f flow) (string, *apptest.Browser) {
			q := f.callback.Query()
			q.Del("hmac")
			return callbackPath(f.callback, q), f.b
		}},
		{"code changed after signing", http.StatusForbidden, false, func(t *testing.T, f flow) (string, *apptest.Browser) {
			q := f.callback.Query()
			q.Set("code", "0000"+q.Get("code")[4:])
			return callbackPath(f.callback, q), f.b
		}},
		{"state unknown", http.StatusForbidden, false, func(t *testing.T, f flow) (string, *apptest.Browser) {
			q := f.callback.Query()
			q.Set("state", "not-a-state-we-sent")
			return callbackPath(f.callback, resign(q)), f.b
		}},
		{"state of another session", http.StatusForbidden, false, func(t *testing.T, f flow) (string, *apptest.Browser) {
			return callbackPath(f.callback, f.callback.Query()), f.env.SignIn(t, apptest.AdminEmail, apptest.AdminPassword)
		}},
		{"state of another workspace's admin", http.StatusForbidden, false, func(t *testing.T, f flow) (string, *apptest.Browser) {
			return callbackPath(f.callback, f.callback.Query()), f.env.SignIn(t, apptest.RivalEmail, apptest.RivalPassword)
		}},
		{"shop swapped for another myshopify shop", http.StatusForbidden, false, func(t *testing.T, f flow) (string, *apptest.Browser) {
			q := f.callback.Query()
			q.Set("shop", fakeshopify.AcmeDomain)
			return callbackPath(f.callback, resign(q)), f.b
		}},
		{"shop not a myshopify domain", http.StatusForbidden, false, func(t *testing.T, f flow) (string, *apptest.Browser) {
			q := f.callback.Query()
			q.Set("shop", "sakura-stationery.myshopify.com.evil.example")
			return callbackPath(f.callback, resign(q)), f.b
		}},
		{"timestamp too old", http.StatusForbidden, false, func(t *testing.T, f flow) (string, *apptest.Browser) {
			q := f.callback.Query()
			q.Set("timestamp", strconv.FormatInt(time.Now().Add(-shopify.CallbackMaxAge-time.Minute).Unix(), 10))
			return callbackPath(f.callback, resign(q)), f.b
		}},
		{"timestamp in the future", http.StatusForbidden, false, func(t *testing.T, f flow) (string, *apptest.Browser) {
			q := f.callback.Query()
			q.Set("timestamp", strconv.FormatInt(time.Now().Add(10*time.Minute).Unix(), 10))
			return callbackPath(f.callback, resign(q)), f.b
		}},
		{"callback replayed", http.StatusForbidden, true, func(t *testing.T, f flow) (string, *apptest.Browser) {
			path := callbackPath(f.callback, f.callback.Query())
			if p := f.b.Get(path); p.Status() != http.StatusSeeOther {
				t.Fatalf("first delivery: %d", p.Status())
			}
			return path, f.b
		}},
		{"code replayed in a new flow", http.StatusBadRequest, true, func(t *testing.T, f flow) (string, *apptest.Browser) {
			if p := f.b.Get(callbackPath(f.callback, f.callback.Query())); p.Status() != http.StatusSeeOther {
				t.Fatalf("first delivery: %d", p.Status())
			}
			// A new flow, whose honest callback is dropped; the old code
			// is slipped into a correctly signed callback for its state.
			second := approve(t, startOAuth(t, f.b, fakeshopify.SakuraDomain, false))
			q := second.Query()
			q.Set("code", f.callback.Query().Get("code"))
			return callbackPath(second, resign(q)), f.b
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env := newAdminEnv(t)
			b := env.SignIn(t, apptest.AdminEmail, apptest.AdminPassword)
			f := begin(t, env, b)
			path, who := tt.deliver(t, f)
			var before domain.Store
			if tt.wantSaved {
				before, _ = env.Store(t, fakeshopify.SakuraDomain)
			}
			p := who.Get(path)
			if p.Status() != tt.wantStatus {
				t.Fatalf("status %d, want %d: %s", p.Status(), tt.wantStatus, p.Text("admin-error-message"))
			}
			if !strings.Contains(p.Text("admin-error-message"), "nothing was saved") {
				t.Errorf("message %q", p.Text("admin-error-message"))
			}
			after, saved := env.Store(t, fakeshopify.SakuraDomain)
			if saved != tt.wantSaved {
				t.Fatalf("store saved: %v, want %v", saved, tt.wantSaved)
			}
			if saved && (after.AccessToken.Reveal() != before.AccessToken.Reveal() || after.RefreshToken.Reveal() != before.RefreshToken.Reveal()) {
				t.Error("the refused callback replaced the tokens")
			}
			if _, err := env.App.DB.StoreByDomain(context.Background(), env.Rival.ID, fakeshopify.AcmeDomain); err == nil {
				t.Error("a store landed in the other workspace")
			}
		})
	}
}

func TestOAuthTokensRefreshForTheSidebar(t *testing.T) {
	t.Parallel()
	env := newAdminEnv(t)
	ctx := context.Background()
	b := env.SignIn(t, apptest.AdminEmail, apptest.AdminPassword)
	callback := approve(t, startOAuth(t, b, fakeshopify.SakuraDomain, true))
	b.Get(callbackPath(callback, callback.Query()))
	connected, ok := env.Store(t, fakeshopify.SakuraDomain)
	if !ok {
		t.Fatal("not connected")
	}
	oauth, _ := shopify.NewOAuth(shopify.OAuthOptions{ClientID: fakeshopify.AppClientID, ClientSecret: domain.NewSecret(fakeshopify.AppClientSecret), URLTemplate: env.FakeURL + fakeshopify.ShopURLTemplate})

	// loadSection opens the store's sidebar section after making the
	// stored token look about to expire (it still works at the fake).
	loadSection := func(t *testing.T) domain.Store {
		t.Helper()
		s, _ := env.Store(t, fakeshopify.SakuraDomain)
		s.AccessTokenExpiresAt = time.Now().Add(time.Minute)
		if err := env.App.DB.SaveStoreTokens(ctx, s); err != nil {
			t.Fatal(err)
		}
		env.App.Lookup.PurgeStore(s.ID)
		req, _ := http.NewRequest(http.MethodGet, env.URL+"/sidebar/stores/"+itoa(s.ID), nil)
		req.Header.Set(handlers.TokenHeader, mintToken(t, env.Workspace(t), fakeshopify.EmailJapanese))
		req.Header.Set("HX-Request", "true")
		p := env.Browser(t).Do(req)
		if state, _ := p.Doc.Find(apptest.Sel("section-body")).Attr("data-state"); p.Status() != http.StatusOK || state != "loaded" {
			t.Fatalf("section: %d %q: %s", p.Status(), state, p.Text("section-notice"))
		}
		after, _ := env.Store(t, fakeshopify.SakuraDomain)
		return after
	}

	first := loadSection(t)
	if first.RefreshToken.Reveal() == connected.RefreshToken.Reveal() || first.AccessToken.Reveal() == connected.AccessToken.Reveal() {
		t.Fatal("the sidebar's lookup did not renew the expiring token")
	}
	if time.Until(first.AccessTokenExpiresAt) < 55*time.Minute {
		t.Errorf("renewed token expires in %v", time.Until(first.AccessTokenExpiresAt))
	}
	second := loadSection(t)
	if second.RefreshToken.Reveal() == first.RefreshToken.Reveal() {
		t.Fatal("the second renewal did not rotate the refresh token")
	}
	// Using the rotated refresh token retired the one before it.
	if _, err := oauth.Refresh(ctx, fakeshopify.SakuraDomain, connected.RefreshToken); domain.KindOf(err) != domain.KindShopifyAuth {
		t.Errorf("the original refresh token still works: %v", err)
	}

	t.Run("a refused refresh means reconnect", func(t *testing.T) {
		s, _ := env.Store(t, fakeshopify.SakuraDomain)
		s.RefreshToken = connected.RefreshToken // retired
		s.AccessTokenExpiresAt = time.Now().Add(-time.Minute)
		if err := env.App.DB.SaveStoreTokens(ctx, s); err != nil {
			t.Fatal(err)
		}
		env.App.Lookup.PurgeStore(s.ID)
		req, _ := http.NewRequest(http.MethodGet, env.URL+"/sidebar/stores/"+itoa(s.ID), nil)
		req.Header.Set(handlers.TokenHeader, mintToken(t, env.Workspace(t), fakeshopify.EmailJapanese))
		req.Header.Set("HX-Request", "true")
		p := env.Browser(t).Do(req)
		if state, _ := p.Doc.Find(apptest.Sel("section-body")).Attr("data-state"); state != "attention" {
			t.Errorf("section state %q, want attention", state)
		}
		row := b.Get("/admin/stores").Doc.Find(`[data-store="` + fakeshopify.SakuraDomain + `"]`)
		if got := strings.TrimSpace(row.Find(apptest.Sel("store-status")).Text()); got != "Needs reconnect" {
			t.Errorf("status %q", got)
		}
		if got := row.Find(apptest.Sel("store-last-error")).Text(); !strings.Contains(got, "refresh token was rejected") {
			t.Errorf("last error %q", got)
		}
	})
}

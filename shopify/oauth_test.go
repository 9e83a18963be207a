package shopify_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"shopcard/domain"
	"shopcard/fakeshopify"
	"shopcard/shopify"
)

// stepClock is a clock tests move by hand.
type stepClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *stepClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *stepClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// sign signs a callback query the way Shopify documents it, independently
// of the code under test.
func sign(q url.Values, secret string) string {
	var keys []string
	for k := range q {
		if k != "hmac" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var pairs []string
	for _, k := range keys {
		pairs = append(pairs, k+"="+q.Get(k))
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(strings.Join(pairs, "&")))
	return hex.EncodeToString(mac.Sum(nil))
}

func TestVerifyCallbackKnownVector(t *testing.T) {
	// The example from Shopify's OAuth documentation, signed with "hush".
	o, err := shopify.NewOAuth(shopify.OAuthOptions{ClientID: "id", ClientSecret: domain.NewSecret("hush"),
		Now: func() time.Time { return time.Unix(1337178173, 0).Add(time.Minute) }})
	if err != nil {
		t.Fatal(err)
	}
	q, _ := url.ParseQuery("code=0907a61c0c8d55e99db179b68161bc00&hmac=700e2dadb827fcc8609e9d5ce208b2e9cdaab9df07390d2cbca10d7c328fc4bf&shop=some-shop.myshopify.com&state=0.6784241404160823&timestamp=1337178173")
	shop, err := o.VerifyCallback(q)
	if err != nil || shop != "some-shop.myshopify.com" {
		t.Fatalf("VerifyCallback = %q, %v", shop, err)
	}
}

func TestVerifyCallbackRejects(t *testing.T) {
	now := time.Date(2026, 7, 15, 12, 0, 0, 0, time.UTC)
	const secret = "client-secret"
	o, _ := shopify.NewOAuth(shopify.OAuthOptions{ClientID: "id", ClientSecret: domain.NewSecret(secret), Now: func() time.Time { return now }})
	base := func() url.Values {
		return url.Values{"code": {"abc"}, "host": {"aG9zdA"}, "shop": {"acme.myshopify.com"}, "state": {"s1"}, "timestamp": {strconv.FormatInt(now.Unix(), 10)}}
	}
	signed := func(edit func(url.Values)) url.Values {
		q := base()
		edit(q)
		q.Set("hmac", sign(q, secret))
		return q
	}
	tests := []struct {
		name   string
		q      url.Values
		reason error
	}{
		{"no hmac", base(), shopify.ErrCallbackSignature},
		{"hmac not hex", func() url.Values { q := base(); q.Set("hmac", "zz"); return q }(), shopify.ErrCallbackSignature},
		{"tampered after signing", func() url.Values { q := signed(func(url.Values) {}); q.Set("shop", "evil.myshopify.com"); return q }(), shopify.ErrCallbackSignature},
		{"signed with another secret", func() url.Values { q := base(); q.Set("hmac", sign(q, "other")); return q }(), shopify.ErrCallbackSignature},
		{"repeated parameter", func() url.Values { q := signed(func(url.Values) {}); q.Add("state", "s2"); return q }(), shopify.ErrCallbackSignature},
		{"too old", signed(func(q url.Values) { q.Set("timestamp", strconv.FormatInt(now.Add(-6*time.Minute).Unix(), 10)) }), shopify.ErrCallbackExpired},
		{"from the future", signed(func(q url.Values) { q.Set("timestamp", strconv.FormatInt(now.Add(2*time.Minute).Unix(), 10)) }), shopify.ErrCallbackExpired},
		{"no timestamp", signed(func(q url.Values) { q.Del("timestamp") }), shopify.ErrCallbackExpired},
		{"storefront shop", signed(func(q url.Values) { q.Set("shop", "shop.example.com") }), shopify.ErrCallbackShop},
		{"shop with a path", signed(func(q url.Values) { q.Set("shop", "acme.myshopify.com/evil") }), shopify.ErrCallbackShop},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := o.VerifyCallback(tt.q)
			if !errors.Is(err, tt.reason) {
				t.Fatalf("err = %v, want %v", err, tt.reason)
			}
			if domain.KindOf(err) != domain.KindForbidden || domain.MessageOf(err) == "" {
				t.Errorf("kind %v message %q", domain.KindOf(err), domain.MessageOf(err))
			}
		})
	}
	if _, err := o.VerifyCallback(signed(func(url.Values) {})); err != nil {
		t.Errorf("a good callback was refused: %v", err)
	}
}

// oauthFlow runs the authorize step against the fake: GET the grant
// screen, POST its form, and return the callback query.
func oauthFlow(t *testing.T, o *shopify.OAuth, shop, state string, scopes []string) url.Values {
	t.Helper()
	authorize, err := o.AuthorizeURL(shop, "https://shopcard.example.com/admin/oauth/callback", state, scopes)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(authorize)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	page := string(raw)
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, `data-testid="fake-oauth-approve"`) {
		t.Fatalf("authorize page: %d\n%s", resp.StatusCode, page)
	}
	form := url.Values{}
	for _, m := range regexp.MustCompile(`name="([^"]+)" value="([^"]*)"`).FindAllStringSubmatch(page, -1) {
		form.Set(m[1], html.UnescapeString(m[2]))
	}
	u, _ := url.Parse(authorize)
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err = noRedirect.PostForm(u.Scheme+"://"+u.Host+u.Path, form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("approve: %d", resp.StatusCode)
	}
	loc, _ := url.Parse(resp.Header.Get("Location"))
	if loc.Host != "shopcard.example.com" || loc.Path != "/admin/oauth/callback" {
		t.Fatalf("redirected to %s", loc)
	}
	return loc.Query()
}

func TestOAuthAgainstTheFake(t *testing.T) {
	clock := &stepClock{now: time.Now()}
	fake := fakeshopify.NewSeeded(clock.Now)
	srv := httptest.NewServer(fake)
	defer srv.Close()
	template := srv.URL + fakeshopify.ShopURLTemplate
	o, err := shopify.NewOAuth(shopify.OAuthOptions{ClientID: fakeshopify.AppClientID, ClientSecret: domain.NewSecret(fakeshopify.AppClientSecret), URLTemplate: template, Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	client, _ := shopify.NewClient(shopify.Options{URLTemplate: template})
	ctx := context.Background()

	if got := o.FormActionSource(); got != srv.URL {
		t.Errorf("FormActionSource = %q, want %q", got, srv.URL)
	}
	real, _ := shopify.NewOAuth(shopify.OAuthOptions{ClientID: "x", ClientSecret: domain.NewSecret("y")})
	if got := real.FormActionSource(); got != "https://*.myshopify.com" {
		t.Errorf("FormActionSource = %q for Shopify itself", got)
	}
	if _, err := o.AuthorizeURL("shop.example.com", "https://x/cb", "s", shopify.OAuthScopes); domain.KindOf(err) != domain.KindInvalid {
		t.Errorf("authorize URL for a storefront domain: %v", err)
	}

	q := oauthFlow(t, o, fakeshopify.AcmeDomain, "state-1", []string{"read_customers", "read_orders"})
	if q.Get("state") != "state-1" || q.Get("shop") != fakeshopify.AcmeDomain {
		t.Fatalf("callback %v", q)
	}
	shop, err := o.VerifyCallback(q)
	if err != nil {
		t.Fatalf("the fake's callback does not verify: %v", err)
	}
	tokens, err := o.ExchangeCode(ctx, shop, q.Get("code"))
	if err != nil {
		t.Fatal(err)
	}
	if tokens.AccessToken.IsZero() || tokens.RefreshToken.IsZero() || strings.Join(tokens.Scopes, ",") != "read_customers,read_orders" {
		t.Fatalf("tokens: scopes %v", tokens.Scopes)
	}
	if d := tokens.AccessTokenExpiresAt.Sub(clock.Now()); d < 59*time.Minute || d > time.Hour {
		t.Errorf("access token expires in %v, want an hour", d)
	}
	if d := tokens.RefreshTokenExpiresAt.Sub(clock.Now()); d < 89*24*time.Hour {
		t.Errorf("refresh token expires in %v, want 90 days", d)
	}
	info, err := client.CheckAccess(ctx, shop, tokens.AccessToken)
	if err != nil || strings.Join(info.Scopes, ",") != "read_customers,read_orders" {
		t.Fatalf("the new token does not open the shop: %+v %v", info, err)
	}

	t.Run("a code works once", func(t *testing.T) {
		_, err := o.ExchangeCode(ctx, shop, q.Get("code"))
		if domain.KindOf(err) != domain.KindInvalid || !errors.Is(err, shopify.ErrGrantRefused) {
			t.Fatalf("replayed code: %v", err)
		}
	})
	t.Run("a code is for its shop", func(t *testing.T) {
		q := oauthFlow(t, o, fakeshopify.AcmeDomain, "s", shopify.OAuthScopes)
		if _, err := o.ExchangeCode(ctx, fakeshopify.NordicDomain, q.Get("code")); !errors.Is(err, shopify.ErrGrantRefused) {
			t.Fatalf("code used at another shop: %v", err)
		}
	})

	t.Run("access tokens expire", func(t *testing.T) {
		clock.Advance(time.Hour)
		if _, err := client.CheckAccess(ctx, shop, tokens.AccessToken); domain.KindOf(err) != domain.KindShopifyAuth {
			t.Fatalf("an hour-old token: %v", err)
		}
	})

	var second shopify.Tokens
	t.Run("refresh rotates the refresh token", func(t *testing.T) {
		second, err = o.Refresh(ctx, shop, tokens.RefreshToken)
		if err != nil {
			t.Fatal(err)
		}
		if second.RefreshToken.Reveal() == tokens.RefreshToken.Reveal() || second.AccessToken.Reveal() == tokens.AccessToken.Reveal() {
			t.Fatal("refresh returned the same tokens")
		}
		if _, err := client.CheckAccess(ctx, shop, second.AccessToken); err != nil {
			t.Fatalf("refreshed token: %v", err)
		}
		// Until the replacement is used, the old refresh token may be
		// retried (a lost answer); once it is used, the old one retires.
		retry, err := o.Refresh(ctx, shop, tokens.RefreshToken)
		if err != nil {
			t.Fatalf("retrying the previous refresh token: %v", err)
		}
		third, err := o.Refresh(ctx, shop, retry.RefreshToken)
		if err != nil {
			t.Fatal(err)
		}
		_, err = o.Refresh(ctx, shop, tokens.RefreshToken)
		if domain.KindOf(err) != domain.KindShopifyAuth || !errors.Is(err, shopify.ErrGrantRefused) {
			t.Fatalf("a retired refresh token: %v", err)
		}
		if _, err := o.Refresh(ctx, shop, second.RefreshToken); !errors.Is(err, shopify.ErrGrantRefused) {
			t.Fatalf("a replacement superseded by a retry still works: %v", err)
		}
		if _, err := o.Refresh(ctx, shop, third.RefreshToken); err != nil {
			t.Fatalf("the latest refresh token: %v", err)
		}
	})

	t.Run("wrong client secret", func(t *testing.T) {
		bad, _ := shopify.NewOAuth(shopify.OAuthOptions{ClientID: fakeshopify.AppClientID, ClientSecret: domain.NewSecret("wrong"), URLTemplate: template})
		if _, err := bad.Refresh(ctx, shop, second.RefreshToken); !errors.Is(err, shopify.ErrGrantRefused) {
			t.Fatalf("wrong secret: %v", err)
		}
	})

	t.Run("Shopify down is not a refusal", func(t *testing.T) {
		down := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusServiceUnavailable) }))
		defer down.Close()
		o2, _ := shopify.NewOAuth(shopify.OAuthOptions{ClientID: "x", ClientSecret: domain.NewSecret("y"), URLTemplate: down.URL + "/shops/{shop}"})
		_, err := o2.Refresh(ctx, shop, second.RefreshToken)
		if errors.Is(err, shopify.ErrGrantRefused) || domain.KindOf(err) != domain.KindShopifyUnavailable {
			t.Fatalf("503: %v", err)
		}
	})
}

func TestFakeAuthorizeRefusesBadRequests(t *testing.T) {
	fake := fakeshopify.NewSeeded(nil)
	srv := httptest.NewServer(fake)
	defer srv.Close()
	base := srv.URL + "/shops/" + fakeshopify.AcmeDomain + "/admin/oauth/authorize?"
	good := url.Values{"client_id": {fakeshopify.AppClientID}, "scope": {"read_customers,read_orders"}, "redirect_uri": {"https://x.example/cb"}, "state": {"s"}}
	with := func(k, v string) string {
		q := url.Values{}
		for kk, vv := range good {
			q[kk] = vv
		}
		q.Set(k, v)
		return q.Encode()
	}
	tests := []struct {
		name, url string
		status    int
	}{
		{"good", base + good.Encode(), 200},
		{"unknown client", base + with("client_id", "nope"), 400},
		{"unknown scope", base + with("scope", "read_customers,read_everything"), 400},
		{"no redirect", base + with("redirect_uri", ""), 400},
		{"javascript redirect", base + with("redirect_uri", "javascript:alert(1)"), 400},
		{"unknown shop", srv.URL + "/shops/nope.myshopify.com/admin/oauth/authorize?" + good.Encode(), 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := http.Get(tt.url)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.status {
				t.Errorf("status %d, want %d", resp.StatusCode, tt.status)
			}
		})
	}
}

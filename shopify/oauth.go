package shopify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"shopcard/domain"
)

// The window a callback's timestamp must fall in: Shopify redirects at
// once, so an older callback is a replay or a very stale tab.
const (
	CallbackMaxAge    = 5 * time.Minute
	CallbackMaxFuture = time.Minute // clock skew between Shopify and us
)

// The reasons a callback is refused. VerifyCallback wraps them in
// *domain.Error with a message an admin can act on.
var (
	ErrCallbackSignature = errors.New("oauth callback: hmac missing or wrong")
	ErrCallbackExpired   = errors.New("oauth callback: timestamp outside the window")
	ErrCallbackShop      = errors.New("oauth callback: shop is not a myshopify.com domain")
)

// OAuthOptions configures an OAuth client for shopcard's Shopify app.
type OAuthOptions struct {
	ClientID     string
	ClientSecret domain.Secret
	// URLTemplate is the same template the Admin API client uses (see
	// Options.URLTemplate): OAuth requests go to the shop's own domain too.
	URLTemplate string
	HTTPClient  *http.Client
	Now         func() time.Time
}

// OAuth runs the authorization code grant against any shop: it builds the
// authorize URL, verifies callbacks, exchanges codes for expiring offline
// tokens and refreshes them.
type OAuth struct {
	clientID string
	secret   domain.Secret
	template string
	http     *http.Client
	now      func() time.Time
}

// NewOAuth validates the options and returns an OAuth client.
func NewOAuth(o OAuthOptions) (*OAuth, error) {
	if o.ClientID == "" || o.ClientSecret.IsZero() {
		return nil, errors.New("shopify oauth: a client ID and client secret are required")
	}
	if o.URLTemplate == "" {
		o.URLTemplate = DefaultURLTemplate
	}
	if err := ValidateURLTemplate(o.URLTemplate); err != nil {
		return nil, err
	}
	if o.HTTPClient == nil {
		o.HTTPClient = &http.Client{Timeout: CallTimeout}
	}
	// The client secret travels in the body: never follow a redirect with it.
	client := *o.HTTPClient
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	if o.Now == nil {
		o.Now = time.Now
	}
	return &OAuth{clientID: o.ClientID, secret: o.ClientSecret, template: strings.TrimRight(o.URLTemplate, "/"), http: &client, now: o.Now}, nil
}

// shopBase is the base URL of a shop, refusing anything but a
// *.myshopify.com domain.
func (o *OAuth) shopBase(shop string) (string, error) {
	if !ValidShopDomain(shop) {
		return "", domain.Errorf(domain.KindInvalid, "%q is not a myshopify.com domain; shopcard only talks to *.myshopify.com.", shop)
	}
	return strings.ReplaceAll(o.template, "{shop}", shop), nil
}

// AuthorizeURL is where the admin's browser goes to approve the app.
func (o *OAuth) AuthorizeURL(shop, redirectURI, state string, scopes []string) (string, error) {
	base, err := o.shopBase(shop)
	if err != nil {
		return "", err
	}
	q := url.Values{
		"client_id":    {o.clientID},
		"scope":        {strings.Join(scopes, ",")},
		"redirect_uri": {redirectURI},
		"state":        {state},
	}
	return base + "/admin/oauth/authorize?" + q.Encode(), nil
}

// FormActionSource is the CSP source that covers every shop's authorize
// URL, for the form-action of pages whose forms redirect there:
// https://*.myshopify.com normally, or the override's origin.
func (o *OAuth) FormActionSource() string {
	u, err := url.Parse(strings.ReplaceAll(o.template, "{shop}", "x.myshopify.com"))
	if err != nil {
		return "'self'"
	}
	return u.Scheme + "://" + strings.Replace(u.Host, "x.myshopify.com", "*.myshopify.com", 1)
}

// callbackMessage is the text Shopify signs in a callback: every query
// parameter but hmac (and the legacy signature), sorted, as k=v joined by &.
func callbackMessage(q url.Values) string {
	keys := make([]string, 0, len(q))
	for k := range q {
		if k != "hmac" && k != "signature" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, k+"="+q.Get(k))
	}
	return strings.Join(parts, "&")
}

// VerifyCallback checks a callback's query: its HMAC (in constant time),
// that its timestamp is recent, and that the shop is a myshopify.com
// domain. It returns the shop. The state is the caller's to check, since
// only it knows the session.
func (o *OAuth) VerifyCallback(q url.Values) (string, error) {
	reject := func(reason error, message string) (string, error) {
		return "", &domain.Error{Kind: domain.KindForbidden, Message: message, Err: reason}
	}
	got, err := hex.DecodeString(q.Get("hmac"))
	if err != nil || len(got) != sha256.Size || len(q["hmac"]) != 1 {
		return reject(ErrCallbackSignature, "The answer from Shopify failed its signature check, so nothing was saved. Start connecting the store again.")
	}
	for k, vs := range q {
		if len(vs) != 1 && k != "hmac" {
			return reject(ErrCallbackSignature, "The answer from Shopify failed its signature check, so nothing was saved. Start connecting the store again.")
		}
	}
	mac := hmac.New(sha256.New, []byte(o.secret.Reveal()))
	mac.Write([]byte(callbackMessage(q)))
	if !hmac.Equal(got, mac.Sum(nil)) {
		return reject(ErrCallbackSignature, "The answer from Shopify failed its signature check, so nothing was saved. Start connecting the store again.")
	}
	ts, err := strconv.ParseInt(q.Get("timestamp"), 10, 64)
	now := o.now()
	if err != nil || now.Sub(time.Unix(ts, 0)) > CallbackMaxAge || time.Unix(ts, 0).Sub(now) > CallbackMaxFuture {
		return reject(ErrCallbackExpired, "The answer from Shopify is too old (or its clock is far off), so nothing was saved. Start connecting the store again.")
	}
	shop := q.Get("shop")
	if !ValidShopDomain(shop) {
		return reject(ErrCallbackShop, "The answer from Shopify named a shop that is not a myshopify.com domain, so nothing was saved.")
	}
	return shop, nil
}

// Tokens are what the token endpoint grants: an access token that expires
// and a refresh token that renews it.
type Tokens struct {
	AccessToken           domain.Secret
	RefreshToken          domain.Secret
	Scopes                []string
	AccessTokenExpiresAt  time.Time // zero: never
	RefreshTokenExpiresAt time.Time // zero: never
}

// tokenResponse is the token endpoint's answer.
type tokenResponse struct {
	AccessToken           string `json:"access_token"`
	Scope                 string `json:"scope"`
	ExpiresIn             int64  `json:"expires_in"`
	RefreshToken          string `json:"refresh_token"`
	RefreshTokenExpiresIn int64  `json:"refresh_token_expires_in"`
}

// oauthError is the token endpoint's refusal.
type oauthError struct {
	Error       string `json:"error"`
	Description string `json:"error_description"`
}

// ErrGrantRefused means the token endpoint refused a code, a refresh
// token or client credentials outright (HTTP 400 or 401): trying again
// will not help. A *GrantRefusal says what Shopify said.
var ErrGrantRefused = errors.New("shopify oauth: grant refused")

// GrantRefusal is the token endpoint's refusal: its HTTP status and OAuth
// error code (invalid_client, app_not_installed, shop_not_permitted,
// invalid_grant, ...) with Shopify's description. It is ErrGrantRefused.
type GrantRefusal struct {
	Status      int
	Code        string
	Description string
}

func (e *GrantRefusal) Error() string {
	return fmt.Sprintf("%s: %s %s", ErrGrantRefused, e.Code, e.Description)
}

// Is makes a refusal ErrGrantRefused.
func (e *GrantRefusal) Is(target error) bool { return target == ErrGrantRefused }

// ExchangeCode trades an authorization code for an expiring offline access
// token and its refresh token.
func (o *OAuth) ExchangeCode(ctx context.Context, shop, code string) (Tokens, error) {
	t, err := o.token(ctx, shop, map[string]any{"code": code, "expiring": 1})
	if errors.Is(err, ErrGrantRefused) {
		return Tokens{}, domain.Wrap(domain.KindInvalid, err, "Shopify refused the authorization code: it was already used or has expired, so nothing was saved. Connect the store again.")
	}
	return t, err
}

// Refresh trades a refresh token for a new access token and a new refresh
// token; the caller must store both, since the old refresh token retires.
func (o *OAuth) Refresh(ctx context.Context, shop string, refreshToken domain.Secret) (Tokens, error) {
	t, err := o.token(ctx, shop, map[string]any{"grant_type": "refresh_token", "refresh_token": refreshToken.Reveal()})
	if errors.Is(err, ErrGrantRefused) {
		return Tokens{}, domain.Wrap(domain.KindShopifyAuth, err, "Shopify refused to renew this store's access (its refresh token was rejected). Connect the store with Shopify again below.")
	}
	return t, err
}

func (o *OAuth) token(ctx context.Context, shop string, params map[string]any) (Tokens, error) {
	base, err := o.shopBase(shop)
	if err != nil {
		return Tokens{}, err
	}
	params["client_id"] = o.clientID
	params["client_secret"] = o.secret.Reveal()
	body, err := json.Marshal(params)
	if err != nil {
		return Tokens{}, err
	}
	return postToken(ctx, o.http, base, "application/json", body, o.now)
}

// postToken sends one request to a shop's token endpoint and reads the
// grant, or the refusal as a *GrantRefusal. The body carries the client
// secret, so the client must never follow a redirect.
func postToken(ctx context.Context, client *http.Client, base, contentType string, body []byte, now func() time.Time) (Tokens, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/admin/oauth/access_token", bytes.NewReader(body))
	if err != nil {
		return Tokens{}, err
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "shopcard")
	start := now()
	resp, err := client.Do(req)
	if err != nil {
		return Tokens{}, transportError(ctx, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return Tokens{}, transportError(ctx, err)
	}
	switch {
	case resp.StatusCode == http.StatusBadRequest || resp.StatusCode == http.StatusUnauthorized:
		var e oauthError
		_ = json.Unmarshal(raw, &e)
		if e.Error == "" {
			e.Error = "HTTP " + strconv.Itoa(resp.StatusCode)
		}
		// The description is Shopify's words about our request; it holds
		// no token, and it helps whoever reads the logs.
		return Tokens{}, &GrantRefusal{Status: resp.StatusCode, Code: e.Error, Description: e.Description}
	case resp.StatusCode != http.StatusOK:
		return Tokens{}, statusError(resp.StatusCode, raw)
	}
	var tr tokenResponse
	if err := json.Unmarshal(raw, &tr); err != nil || tr.AccessToken == "" {
		return Tokens{}, domain.Errorf(domain.KindShopifyUnavailable, "Shopify's token endpoint sent an answer shopcard could not read.")
	}
	t := Tokens{AccessToken: domain.NewSecret(tr.AccessToken), RefreshToken: domain.NewSecret(tr.RefreshToken)}
	for _, s := range strings.Split(tr.Scope, ",") {
		if s = strings.TrimSpace(s); s != "" {
			t.Scopes = append(t.Scopes, s)
		}
	}
	// Expiry counts from when we asked, so a slow answer errs early.
	if tr.ExpiresIn > 0 {
		t.AccessTokenExpiresAt = start.Add(time.Duration(tr.ExpiresIn) * time.Second)
	}
	if tr.RefreshTokenExpiresIn > 0 {
		t.RefreshTokenExpiresAt = start.Add(time.Duration(tr.RefreshTokenExpiresIn) * time.Second)
	}
	return t, nil
}

package fakeshopify

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// The fake's own Shopify app, registered by NewSeeded, for connecting
// stores with OAuth in tests and the demo. Point shopcard at it with
// SHOPCARD_SHOPIFY_CLIENT_ID and SHOPCARD_SHOPIFY_CLIENT_SECRET.
const (
	AppClientID     = "fake-shopcard-client-id"
	AppClientSecret = "fake-shopcard-client-secret"
)

// Token lifetimes, as on Shopify: expiring offline access tokens last an
// hour and refresh tokens 90 days; an authorization code is good for one
// exchange within a few minutes.
const (
	AccessTokenTTL  = time.Hour
	RefreshTokenTTL = 90 * day
	CodeTTL         = 10 * time.Minute
	// RefreshRetryWindow is how long after its first use a refresh token
	// may be retried while its replacement has not been used yet.
	RefreshRetryWindow = 30 * day
)

// App is a Shopify app that can be installed on the fake's stores: with
// OAuth, or, for a Dev Dashboard app of the store's own organization,
// with InstallApp and then the client credentials grant. Unlike Shopify,
// the fake accepts any http(s) redirect_uri unless RedirectURIs lists the
// allowed ones.
type App struct {
	ClientID     string
	ClientSecret string
	Name         string // shown on the authorize page; defaults to the client ID
	RedirectURIs []string

	// Organization owns the app; it defaults to DefaultOrganization. The
	// client credentials grant works only on stores of the same one.
	Organization string
	// Scopes are those of the app's released version: what installing it
	// grants, and so what its client credentials tokens hold.
	Scopes []string
	// TokenTTL is how long a client credentials token lasts;
	// ClientCredentialsTokenTTL by default. Tests shorten it to watch
	// tokens expire and be renewed.
	TokenTTL time.Duration
}

// grantableScopes are the scopes the fake's apps may ask for: every scope
// shopcard may request (see shopify.RequiredScopes and
// shopify.OptionalScopes), and their write_ counterparts.
var grantableScopes = []string{
	"read_customers", "write_customers", "read_orders", "write_orders", "read_all_orders",
	"read_fulfillments", "write_fulfillments", "read_marketplace_orders", "read_products", "write_products",
}

// authCode is an authorization code waiting to be exchanged.
type authCode struct {
	clientID  string
	shop      string
	scopes    []string
	expiresAt time.Time
	used      bool
}

// refreshState is a refresh token. Using it issues a replacement; it stays
// usable (for retries after a lost answer) until that replacement is used
// or RefreshRetryWindow passes, as on Shopify since August 2026.
type refreshState struct {
	clientID    string
	shop        string
	scopes      []string
	expiresAt   time.Time
	firstUsedAt time.Time
	predecessor string // the refresh token this one replaced
	replacement string // the latest token issued from this one
	retired     bool
}

// oauthState is the server's OAuth bookkeeping. Server.mu guards it.
type oauthState struct {
	apps    map[string]App
	codes   map[string]*authCode
	refresh map[string]*refreshState
}

func newOAuthState() oauthState {
	return oauthState{apps: map[string]App{}, codes: map[string]*authCode{}, refresh: map[string]*refreshState{}}
}

// AddApp registers an app that stores can install with OAuth.
func (s *Server) AddApp(a App) error {
	if a.ClientID == "" || a.ClientSecret == "" {
		return errors.New("fakeshopify: an app needs a client ID and a client secret")
	}
	if a.Name == "" {
		a.Name = a.ClientID
	}
	if a.Organization == "" {
		a.Organization = DefaultOrganization
	}
	if a.TokenTTL == 0 {
		a.TokenTTL = ClientCredentialsTokenTTL
	}
	for _, sc := range a.Scopes {
		if !slices.Contains(grantableScopes, sc) {
			return fmt.Errorf("fakeshopify: app %s: %q is not a valid access scope", a.ClientID, sc)
		}
	}
	a.RedirectURIs = slices.Clone(a.RedirectURIs)
	a.Scopes = slices.Clone(a.Scopes)
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.oauth.apps[a.ClientID]; ok {
		return fmt.Errorf("fakeshopify: app %s already exists", a.ClientID)
	}
	s.oauth.apps[a.ClientID] = a
	return nil
}

// ExpireAccessToken makes an access token answer 401 from now on, as an
// expiring token does after its hour.
func (s *Server) ExpireAccessToken(shop, token string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, t, err := s.tokenLocked(shop, token)
	if err != nil {
		return err
	}
	t.expiresAt = s.clock()
	return nil
}

// randomToken makes an unguessable token with a Shopify-like prefix.
func randomToken(prefix string) string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

// parseScopes checks a comma-separated scope list against what apps may
// ask for.
func parseScopes(list string) ([]string, error) {
	var out []string
	for _, s := range strings.Split(list, ",") {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		if !slices.Contains(grantableScopes, s) {
			return nil, fmt.Errorf("%q is not a valid access scope", s)
		}
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	if len(out) == 0 {
		return nil, errors.New("no access scope was requested")
	}
	return out, nil
}

// issueCodeLocked records an approved grant and returns its code.
func (s *Server) issueCodeLocked(clientID, shop string, scopes []string) string {
	code := randomToken("")
	s.oauth.codes[code] = &authCode{clientID: clientID, shop: shop, scopes: slices.Clone(scopes), expiresAt: s.clock().Add(CodeTTL)}
	return code
}

// grant is what the token endpoint hands out.
type grant struct {
	AccessToken           string `json:"access_token"`
	Scope                 string `json:"scope"`
	ExpiresIn             int64  `json:"expires_in,omitempty"`
	RefreshToken          string `json:"refresh_token,omitempty"`
	RefreshTokenExpiresIn int64  `json:"refresh_token_expires_in,omitempty"`
}

// issueTokensLocked adds an access token to the store and, when expiring,
// a refresh token that renews it.
func (s *Server) issueTokensLocked(st *store, clientID string, scopes []string, expiring bool, predecessor string) grant {
	now := s.clock()
	access := randomToken("shpat_fake_oauth_")
	ts := &tokenState{scopes: slices.Clone(scopes), clientID: clientID}
	g := grant{AccessToken: access, Scope: strings.Join(scopes, ",")}
	if expiring {
		ts.expiresAt = now.Add(AccessTokenTTL)
		refresh := randomToken("shprt_fake_")
		s.oauth.refresh[refresh] = &refreshState{
			clientID: clientID, shop: st.info.Domain, scopes: slices.Clone(scopes),
			expiresAt: now.Add(RefreshTokenTTL), predecessor: predecessor,
		}
		g.ExpiresIn = int64(AccessTokenTTL / time.Second)
		g.RefreshToken = refresh
		g.RefreshTokenExpiresIn = int64(RefreshTokenTTL / time.Second)
	}
	st.tokens[access] = ts
	return g
}

// errGrant is a refusal from the token endpoint: an OAuth error code and
// its description.
type errGrant struct {
	status      int
	code        string
	description string
}

func (e *errGrant) Error() string { return e.code + ": " + e.description }

// exchangeCode trades a code for tokens, once.
func (s *Server) exchangeCode(shop string, app App, code string, expiring bool) (grant, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.storeLocked(shop)
	if err != nil {
		return grant{}, err
	}
	c, ok := s.oauth.codes[code]
	if !ok || c.used || c.clientID != app.ClientID || c.shop != st.info.Domain || !s.clock().Before(c.expiresAt) {
		return grant{}, &errGrant{400, "invalid_request", "The authorization code was not found or was already used"}
	}
	c.used = true
	st.grants.AuthorizationCode++
	st.installs[app.ClientID] = slices.Clone(c.scopes)
	return s.issueTokensLocked(st, app.ClientID, c.scopes, expiring, ""), nil
}

// refreshTokens trades a refresh token for a new access and refresh token.
func (s *Server) refreshTokens(shop string, app App, token string) (grant, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.storeLocked(shop)
	if err != nil {
		return grant{}, err
	}
	now := s.clock()
	r, ok := s.oauth.refresh[token]
	invalid := &errGrant{400, "invalid_grant", "The refresh token is invalid, expired or revoked."}
	if !ok || r.retired || r.clientID != app.ClientID || r.shop != st.info.Domain || !now.Before(r.expiresAt) {
		return grant{}, invalid
	}
	if !r.firstUsedAt.IsZero() && now.Sub(r.firstUsedAt) > RefreshRetryWindow {
		return grant{}, invalid
	}
	if r.firstUsedAt.IsZero() {
		r.firstUsedAt = now
	}
	// Using a replacement retires the token it replaced; a retry retires
	// the replacement that was never used.
	if p, ok := s.oauth.refresh[r.predecessor]; ok {
		p.retired = true
	}
	if old, ok := s.oauth.refresh[r.replacement]; ok {
		old.retired = true
	}
	st.grants.RefreshToken++
	g := s.issueTokensLocked(st, app.ClientID, r.scopes, true, token)
	r.replacement = g.RefreshToken
	return g, nil
}

// appByCredentials finds an app by its client ID and checks its secret.
func (s *Server) appByCredentials(clientID, secret string) (App, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	a, ok := s.oauth.apps[clientID]
	if !ok || secret == "" || a.ClientSecret != secret {
		return App{}, false
	}
	return a, true
}

// appByID finds an app by its client ID.
func (s *Server) appByID(clientID string) (App, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	a, ok := s.oauth.apps[clientID]
	return a, ok
}

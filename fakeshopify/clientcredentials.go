package fakeshopify

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// The fake's Dev Dashboard app, registered by NewSeeded and installed on
// Sakura Stationery: the demo connects that store with it, through the
// client credentials grant, as a merchant with a Dev Dashboard app would.
const (
	DevAppClientID     = "fake-dev-dashboard-client-id"
	DevAppClientSecret = "fake-dev-dashboard-client-secret"
)

// DefaultOrganization owns every store and app that does not name
// another.
const DefaultOrganization = "fake-organization"

// ClientCredentialsTokenTTL is how long a client credentials token lasts
// on Shopify: it answers expires_in 86399, a second short of a day.
const ClientCredentialsTokenTTL = 86399 * time.Second

// GrantCounts counts the tokens a store's token endpoint granted, by
// grant type: tests read them to prove a renewal happened (or did not).
type GrantCounts struct {
	ClientCredentials int `json:"clientCredentials"`
	AuthorizationCode int `json:"authorizationCode"`
	RefreshToken      int `json:"refreshToken"`
}

// Grants returns how many tokens a store has granted, by grant type.
func (s *Server) Grants(shop string) (GrantCounts, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	st, err := s.storeLocked(shop)
	if err != nil {
		return GrantCounts{}, err
	}
	return st.grants, nil
}

// InstallApp installs an app on a store with the scopes of its released
// version (App.Scopes), as a merchant does from the Dev Dashboard. Its
// client credentials then get tokens for the store, if the store belongs
// to the app's organization.
func (s *Server) InstallApp(shop, clientID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.storeLocked(shop)
	if err != nil {
		return err
	}
	a, ok := s.oauth.apps[clientID]
	if !ok {
		return fmt.Errorf("fakeshopify: no app %s", clientID)
	}
	if len(a.Scopes) == 0 {
		return fmt.Errorf("fakeshopify: app %s has no released scopes to install", clientID)
	}
	st.installs[clientID] = slices.Clone(a.Scopes)
	return nil
}

// SetAppTokenTTL changes how long the client credentials tokens an app
// gets from now on last.
func (s *Server) SetAppTokenTTL(clientID string, ttl time.Duration) error {
	if ttl <= 0 {
		return fmt.Errorf("fakeshopify: a token lifetime must be positive, got %s", ttl)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.oauth.apps[clientID]
	if !ok {
		return fmt.Errorf("fakeshopify: no app %s", clientID)
	}
	a.TokenTTL = ttl
	s.oauth.apps[clientID] = a
	return nil
}

// clientCredentialsGrant issues an app's token for a store, as Shopify's
// token endpoint does for grant_type=client_credentials: only for a store
// of the app's own organization that has the app installed, with the
// installation's scopes, expiring after the app's TokenTTL, and with no
// refresh token (the app asks again instead). Earlier tokens keep working
// until they expire.
func (s *Server) clientCredentialsGrant(shop string, app App) (grant, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.storeLocked(shop)
	if err != nil {
		return grant{}, err
	}
	if st.info.Organization != app.Organization {
		return grant{}, &errGrant{400, "shop_not_permitted", "Client credentials cannot be performed on this shop."}
	}
	scopes, ok := st.installs[app.ClientID]
	if !ok {
		return grant{}, &errGrant{400, "app_not_installed", "The application is not installed on this shop."}
	}
	st.grants.ClientCredentials++
	access := randomToken("shpat_fake_cc_")
	st.tokens[access] = &tokenState{scopes: slices.Clone(scopes), expiresAt: s.clock().Add(app.TokenTTL), clientID: app.ClientID}
	return grant{AccessToken: access, Scope: strings.Join(scopes, ","), ExpiresIn: int64(app.TokenTTL / time.Second)}, nil
}

// appSecretLocked is the client secret of the app a token was issued
// to, "" for a custom app's token. s.mu must be held.
func (s *Server) appSecretLocked(clientID string) string {
	if clientID == "" {
		return ""
	}
	return s.oauth.apps[clientID].ClientSecret
}

// Package storeconnect connects a Shopify store to a workspace: it checks
// the domain, gets a token when the credentials are a Dev Dashboard app's,
// asks Shopify what the token opens and which scopes it holds, and saves
// the connection. `shopcard stores add` and the admin console both go
// through it, so they refuse the same things with the same words.
package storeconnect

import (
	"context"
	"regexp"
	"strings"
	"time"

	"shopcard/domain"
	"shopcard/shopify"
)

// AccessChecker asks Shopify what a token opens.
type AccessChecker interface {
	CheckAccess(ctx context.Context, shop string, token domain.Secret) (shopify.ShopInfo, error)
}

// Granter gets a Dev Dashboard app a token with its client credentials.
type Granter interface {
	Grant(ctx context.Context, shop, clientID string, secret domain.Secret) (shopify.Tokens, error)
}

// Saver saves a store connection, reporting whether it was new.
type Saver interface {
	SaveStore(ctx context.Context, s domain.Store) (domain.Store, bool, error)
}

// Connector connects stores.
type Connector struct {
	Checker AccessChecker
	Grants  Granter
	Stores  Saver
	// Now is the clock of the first token's renewal time; time.Now when
	// nil.
	Now func() time.Time
}

// ConnectStore verifies credentials against Shopify and saves the
// connection. creds carries the access token and, for OAuth or a Dev
// Dashboard app, its kind, refresh token or client credentials, and
// expiries; the domain, shop name and scopes come from the checks.
// Connecting a domain the workspace already has replaces its credentials.
func (c Connector) ConnectStore(ctx context.Context, ws domain.Workspace, rawDomain string, creds domain.Store) (domain.Store, bool, error) {
	shop, err := shopify.NormalizeShopDomain(rawDomain)
	if err != nil {
		return domain.Store{}, false, err
	}
	if creds.AccessToken.IsZero() {
		return domain.Store{}, false, domain.Errorf(domain.KindInvalid, "No access token given. Paste the Admin API access token (it starts with shpat_).")
	}
	if creds.TokenKind == "" {
		creds.TokenKind = domain.TokenCustomApp
	}
	checkCtx, cancel := context.WithTimeout(ctx, shopify.CallTimeout)
	defer cancel()
	info, err := c.Checker.CheckAccess(checkCtx, shop, creds.AccessToken)
	if err != nil {
		return domain.Store{}, false, err
	}
	if info.Domain != "" && !strings.EqualFold(info.Domain, shop) {
		return domain.Store{}, false, domain.Errorf(domain.KindInvalid, "This token belongs to %s, not %s.", info.Domain, shop)
	}
	if missing := shopify.MissingScopes(info.Scopes); len(missing) > 0 {
		return domain.Store{}, false, domain.Errorf(domain.KindInvalid, "%s", MissingScopesMessage(creds.TokenKind, missing))
	}
	creds.WorkspaceID, creds.Domain, creds.ShopName, creds.Scopes = ws.ID, shop, info.Name, info.Scopes
	return c.Stores.SaveStore(ctx, creds)
}

// clientIDPattern is what a client ID may look like: the Dev Dashboard
// shows 32 hex digits; anything with spaces, quotes or a URL in it is a
// paste gone wrong.
var clientIDPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,100}$`)

// ConnectDevDashboardApp connects a store with a Dev Dashboard app: it
// checks the domain and the credentials' shape, exchanges the app's client
// ID and secret for a token with the client credentials grant, checks that
// token as ConnectStore does, and saves the connection with the client
// secret (sealed), which renews the token and verifies the store's
// webhooks. Nothing is saved unless every step succeeds.
func (c Connector) ConnectDevDashboardApp(ctx context.Context, ws domain.Workspace, rawDomain, clientID string, secret domain.Secret) (domain.Store, bool, error) {
	shop, err := shopify.NormalizeShopDomain(rawDomain)
	if err != nil {
		return domain.Store{}, false, err
	}
	clientID = strings.TrimSpace(clientID)
	switch {
	case clientID == "":
		return domain.Store{}, false, domain.Errorf(domain.KindInvalid, "Enter the app's client ID: the Dev Dashboard shows it on the app's Settings page.")
	case !clientIDPattern.MatchString(clientID):
		return domain.Store{}, false, domain.Errorf(domain.KindInvalid, "That doesn't look like a client ID. Copy it from the app's Settings page in the Dev Dashboard: letters and digits, no spaces.")
	case secret.IsZero():
		return domain.Store{}, false, domain.Errorf(domain.KindInvalid, "Enter the app's client secret: the Dev Dashboard shows it next to the client ID, on the app's Settings page.")
	case strings.HasPrefix(secret.Reveal(), "shpat_"):
		return domain.Store{}, false, domain.Errorf(domain.KindInvalid, "That is an access token (shpat_…), not a client secret. Connect it with an access token instead, or copy the client secret from the app's Settings page in the Dev Dashboard.")
	case len(secret.Reveal()) > 512:
		return domain.Store{}, false, domain.Errorf(domain.KindInvalid, "That is too long for a client secret. Copy the client secret from the app's Settings page in the Dev Dashboard.")
	}
	if c.Grants == nil {
		return domain.Store{}, false, domain.Errorf(domain.KindInternal, "shopcard was built without the client credentials grant")
	}
	now := time.Now
	if c.Now != nil {
		now = c.Now
	}
	grantCtx, cancel := context.WithTimeout(ctx, shopify.CallTimeout)
	defer cancel()
	tokens, err := c.Grants.Grant(grantCtx, shop, clientID, secret)
	if err != nil {
		return domain.Store{}, false, err
	}
	return c.ConnectStore(ctx, ws, shop, domain.Store{
		AccessToken: tokens.AccessToken, TokenKind: domain.TokenClientCredentials, AccessTokenExpiresAt: tokens.AccessTokenExpiresAt,
		TokenRenewedAt: now(), ClientID: clientID, ClientSecret: secret,
	})
}

// MissingScopesMessage says which required scopes a store's app lacks and
// how to grant them, for the way it was connected.
func MissingScopesMessage(kind domain.TokenKind, missing []string) string {
	names := strings.Join(missing, " and ")
	scopes := "scope"
	if len(missing) > 1 {
		scopes = "scopes"
	}
	switch kind {
	case domain.TokenClientCredentials:
		return "The app is missing the " + names + " " + scopes + ". In the Dev Dashboard, add " + names + " to the app's scopes, release a new version and install the update on the store, then connect again."
	case domain.TokenOAuth:
		return "The store didn't grant the " + names + " " + scopes + ". Connect it with Shopify again and approve every permission shopcard asks for."
	}
	return "The token is missing the " + names + " " + scopes + ". Grant " + names + " to the app in Shopify, then use the new token."
}

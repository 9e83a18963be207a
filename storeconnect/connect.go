// Package storeconnect connects a Shopify store to a workspace: it checks
// the domain, asks Shopify what the credentials open and which scopes they
// hold, and saves the connection. `shopcard stores add` and the admin
// console both go through it, so they refuse the same things with the same
// words.
package storeconnect

import (
	"context"
	"strings"

	"shopcard/domain"
	"shopcard/shopify"
)

// AccessChecker asks Shopify what a token opens.
type AccessChecker interface {
	CheckAccess(ctx context.Context, shop string, token domain.Secret) (shopify.ShopInfo, error)
}

// Saver saves a store connection, reporting whether it was new.
type Saver interface {
	SaveStore(ctx context.Context, s domain.Store) (domain.Store, bool, error)
}

// Connector connects stores.
type Connector struct {
	Checker AccessChecker
	Stores  Saver
}

// ConnectStore verifies credentials against Shopify and saves the
// connection. creds carries the access token and, for OAuth, its kind,
// refresh token and expiries; the domain, shop name and scopes come from
// the checks. Connecting a domain the workspace already has replaces its
// credentials.
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
		return domain.Store{}, false, domain.Errorf(domain.KindInvalid, "The token is missing the %s scope%s. Grant %s to the app in Shopify, then use the new token.",
			strings.Join(missing, " and "), pluralS(len(missing)), strings.Join(missing, " and "))
	}
	creds.WorkspaceID, creds.Domain, creds.ShopName, creds.Scopes = ws.ID, shop, info.Name, info.Scopes
	return c.Stores.SaveStore(ctx, creds)
}

func pluralS(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

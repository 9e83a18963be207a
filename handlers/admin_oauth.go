package handlers

import (
	"log/slog"
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"shopcard/auth"
	"shopcard/domain"
	"shopcard/shopify"
	"shopcard/views"
)

// startOAuth serves POST /admin/stores/oauth: remember a state nonce for
// this session and send the admin to the shop's authorize page.
func startOAuth(d Deps) echo.HandlerFunc {
	return func(c echo.Context) error {
		if d.Admin.OAuth == nil {
			return domain.Errorf(domain.KindNotFound, "Connecting with Shopify isn't set up on this server; connect with an access token instead.")
		}
		rawDomain := strings.TrimSpace(c.FormValue("domain"))
		shop, err := shopify.NormalizeShopDomain(rawDomain)
		if err != nil {
			page, perr := newStoresPage(d, c)
			if perr != nil {
				return perr
			}
			page.OAuthDomain = rawDomain
			page.OAuthError = domain.MessageOf(err)
			return render(c, http.StatusBadRequest, views.StoresPageView(page))
		}
		scopes := slices.Clone(shopify.OAuthScopes)
		if c.FormValue("all_orders") != "" {
			scopes = append(scopes, shopify.ScopeAllOrders)
		}
		state := auth.NewToken()
		if err := d.Admin.Accounts.SaveOAuthState(c.Request().Context(), current(c).session.ID, auth.HashToken(state), shop); err != nil {
			return err
		}
		target, err := d.Admin.OAuth.AuthorizeURL(shop, oauthRedirectURI(d, c), state, scopes)
		if err != nil {
			return err
		}
		return c.Redirect(http.StatusSeeOther, target)
	}
}

// oauthRedirectURI is where Shopify sends the admin back: the public URL,
// never a Host header a request could forge.
func oauthRedirectURI(d Deps, c echo.Context) string {
	return d.Admin.PublicURL + c.Echo().Reverse(RouteAdminOAuthCallback)
}

// oauthCallback serves GET /admin/oauth/callback. Nothing is saved unless
// the HMAC, the timestamp, the shop and the state (single use, bound to
// this session and to the shop the flow began with) all check out and
// Shopify accepts the code.
func oauthCallback(d Deps) echo.HandlerFunc {
	return func(c echo.Context) error {
		if d.Admin.OAuth == nil {
			return domain.Errorf(domain.KindNotFound, "Connecting with Shopify isn't set up on this server.")
		}
		ctx := c.Request().Context()
		q := c.QueryParams()
		shop, err := d.Admin.OAuth.VerifyCallback(q)
		if err != nil {
			d.Logger.Warn("oauth callback refused", slog.String("error", err.Error()))
			return err
		}
		startedFor, startedAt, err := d.Admin.Accounts.TakeOAuthState(ctx, current(c).session.ID, auth.HashToken(q.Get("state")))
		if domain.KindOf(err) == domain.KindNotFound {
			d.Logger.Warn("oauth callback refused", slog.String("error", "unknown or used state"))
			return domain.Errorf(domain.KindForbidden, "This approval doesn't belong to a connection started in this browser session, or it was already used, so nothing was saved. Start connecting the store again.")
		}
		if err != nil {
			return err
		}
		if startedFor != shop {
			return domain.Errorf(domain.KindForbidden, "Shopify answered for %s, but the connection was started for %s, so nothing was saved.", shop, startedFor)
		}
		if d.Now().Sub(startedAt) > oauthStateTTL {
			return domain.Errorf(domain.KindForbidden, "This connection was started too long ago, so nothing was saved. Start connecting the store again.")
		}
		tokens, err := d.Admin.OAuth.ExchangeCode(ctx, shop, q.Get("code"))
		if err != nil {
			return err
		}
		s, created, err := connect(d, c, shop, domain.Store{
			AccessToken: tokens.AccessToken, TokenKind: domain.TokenOAuth, RefreshToken: tokens.RefreshToken,
			AccessTokenExpiresAt: tokens.AccessTokenExpiresAt, RefreshTokenExpiresAt: tokens.RefreshTokenExpiresAt,
		})
		if err != nil {
			if !isConnectFailure(err) {
				return err
			}
			return notice(d, c, RouteAdminStores, domain.Notice{Error: true, Message: "The store was not connected: " + connectFailureMessage(err)})
		}
		n := domain.Notice{Message: connectedMessage(s, created)}
		// A store connected through the app can have its webhooks
		// subscribed by shopcard itself.
		if d.Admin.Subscribe != nil {
			if sub := subscribeNotice(c.Request().Context(), d, s); sub.Error {
				n = domain.Notice{Error: true, Message: n.Message + " " + sub.Message}
			} else {
				n.Message += " " + sub.Message
			}
		}
		return notice(d, c, RouteAdminStores, n)
	}
}

package admin

import (
	"context"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"shopcard/auth"
	"shopcard/domain"
	"shopcard/handlers/respond"
	"shopcard/handlers/route"
	"shopcard/shopify"
	"shopcard/views"
)

// OAuth connects stores through the operator's Shopify app. Its routes
// are registered only when the app and shopcard's public URL are
// configured.
type OAuth struct {
	App    OAuthApp
	States OAuthStates
	// Stores connects the store once Shopify approved, and renders the
	// stores page when the domain is refused.
	Stores *Stores
	// PublicURL is the base of the redirect URI: never a Host header a
	// request could forge.
	PublicURL string
	Logger    *slog.Logger
	Now       func() time.Time
}

// Start serves POST /admin/stores/oauth: remember a state nonce for this
// session and send the admin to the shop's authorize page.
func (o *OAuth) Start(c echo.Context) error {
	rawDomain := strings.TrimSpace(c.FormValue("domain"))
	shop, err := shopify.NormalizeShopDomain(rawDomain)
	if err != nil {
		page, perr := o.Stores.page(c)
		if perr != nil {
			return perr
		}
		page.OAuthDomain, page.OAuthError, page.OAuthSuggestion = rawDomain, domain.MessageOf(err), shopify.SuggestedDomain(err)
		return respond.HTML(c, http.StatusBadRequest, views.StoresPageView(page))
	}
	scopes := slices.Clone(shopify.OAuthScopes)
	if c.FormValue("all_orders") != "" {
		scopes = append(scopes, shopify.ScopeAllOrders)
	}
	if c.FormValue("products") != "" {
		scopes = append(scopes, shopify.ScopeProducts)
	}
	state := auth.NewToken()
	if err := o.States.SaveOAuthState(c.Request().Context(), current(c).session.ID, auth.HashToken(state), shop); err != nil {
		return err
	}
	target, err := o.App.AuthorizeURL(shop, o.PublicURL+c.Echo().Reverse(route.AdminOAuthCallback), state, scopes)
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, target)
}

// Callback serves GET /admin/oauth/callback. Nothing is saved unless the
// HMAC, the timestamp, the shop and the state (single use, bound to this
// session and to the shop the flow began with) all check out and Shopify
// accepts the code.
func (o *OAuth) Callback(c echo.Context) error {
	ctx := c.Request().Context()
	q := c.QueryParams()
	shop, err := o.App.VerifyCallback(q)
	if err != nil {
		o.Logger.Warn("oauth callback refused", slog.String("error", err.Error()))
		return err
	}
	startedFor, startedAt, err := o.States.TakeOAuthState(ctx, current(c).session.ID, auth.HashToken(q.Get("state")))
	if domain.KindOf(err) == domain.KindNotFound {
		o.Logger.Warn("oauth callback refused", slog.String("error", "unknown or used state"))
		return domain.Errorf(domain.KindForbidden, "This approval doesn't belong to a connection started in this browser session, or it was already used, so nothing was saved. Start connecting the store again.")
	}
	if err != nil {
		return err
	}
	if startedFor != shop {
		return domain.Errorf(domain.KindForbidden, "Shopify answered for %s, but the connection was started for %s, so nothing was saved.", shop, startedFor)
	}
	if o.Now().Sub(startedAt) > oauthStateTTL {
		return domain.Errorf(domain.KindForbidden, "This connection was started too long ago, so nothing was saved. Start connecting the store again.")
	}
	tokens, err := o.App.ExchangeCode(ctx, shop, q.Get("code"))
	if err != nil {
		return err
	}
	s, created, err := o.Stores.connect(c, func(ctx context.Context, ws domain.Workspace) (domain.Store, bool, error) {
		return o.Stores.Connector.ConnectStore(ctx, ws, shop, domain.Store{
			AccessToken: tokens.AccessToken, TokenKind: domain.TokenOAuth, RefreshToken: tokens.RefreshToken,
			AccessTokenExpiresAt: tokens.AccessTokenExpiresAt, RefreshTokenExpiresAt: tokens.RefreshTokenExpiresAt,
		})
	})
	if err != nil {
		if !isConnectFailure(err) {
			return err
		}
		return o.Stores.Pages.notice(c, route.AdminStores, domain.Notice{Error: true, Message: "The store was not connected: " + connectFailureMessage(err)})
	}
	// A store connected through the app can have its webhooks subscribed
	// by shopcard itself.
	return o.Stores.Pages.notice(c, route.AdminStores, o.Stores.subscribeAfterConnect(ctx, s, o.Stores.connectedMessage(s, created)))
}

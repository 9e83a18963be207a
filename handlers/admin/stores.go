package admin

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"shopcard/domain"
	"shopcard/handlers/respond"
	"shopcard/handlers/route"
	"shopcard/present"
	"shopcard/shopify"
	"shopcard/storehealth"
	"shopcard/views"
)

// Stores is the stores page: connecting stores by token, testing them,
// replacing their tokens, disconnecting them, and their webhooks.
type Stores struct {
	Pages     *Pages
	Stores    StoreManager
	Connector StoreConnector
	Checker   AccessChecker
	Keeper    TokenKeeper
	Cache     CachePurger
	Webhooks  WebhookSettings
	// Subscribe is nil unless shopcard knows the public URL Shopify can
	// deliver to (SHOPCARD_PUBLIC_URL); the subscribe route is registered
	// only when it is set.
	Subscribe WebhookSubscriber
	// OfferOAuth shows the OAuth form: the operator configured a Shopify
	// app, and its routes are registered.
	OfferOAuth bool
	// PublicURL is where shopcard is reached (SHOPCARD_PUBLIC_URL), which
	// webhooks are delivered to.
	PublicURL string
	// DefaultCacheTTL is how long answers are cached unless a workspace
	// says otherwise: how late a change shows without webhooks.
	DefaultCacheTTL time.Duration
	Now             func() time.Time
}

// Page serves GET /admin/stores.
func (s *Stores) Page(c echo.Context) error {
	page, err := s.page(c)
	if err != nil {
		return err
	}
	return respond.HTML(c, http.StatusOK, views.StoresPageView(page))
}

// page lists the signed-in admin's stores, and only theirs.
func (s *Stores) page(c echo.Context) (views.StoresPage, error) {
	ch, err := s.Pages.chrome(c, "Stores", route.AdminStores)
	if err != nil {
		return views.StoresPage{}, err
	}
	ctx := c.Request().Context()
	stores, err := s.Stores.StoresByWorkspace(ctx, current(c).workspace.ID)
	if err != nil {
		return views.StoresPage{}, err
	}
	page := views.StoresPage{Chrome: ch, ConnectAction: c.Echo().Reverse(route.AdminConnect)}
	if s.OfferOAuth {
		page.OAuthAction = c.Echo().Reverse(route.AdminOAuthStart)
	}
	now := s.Now()
	for _, st := range stores {
		row, err := s.row(ctx, c, st, now)
		if err != nil {
			return views.StoresPage{}, err
		}
		page.Stores = append(page.Stores, row)
	}
	return page, nil
}

// row is one store on the page, with its actions and its webhooks.
func (s *Stores) row(ctx context.Context, c echo.Context, st domain.Store, now time.Time) (views.StoreRow, error) {
	row := present.StoreRow(st, now)
	row.TestAction = c.Echo().Reverse(route.AdminStoreTest, st.ID)
	row.ReplaceAction = c.Echo().Reverse(route.AdminStoreToken, st.ID)
	row.DisconnectURL = c.Echo().Reverse(route.AdminStoreDisconnect, st.ID)
	hasSecret, err := s.Webhooks.HasWebhookSecret(ctx, st.ID)
	if err != nil {
		return row, err
	}
	subs, err := s.Webhooks.WebhookSubscriptions(ctx, st.ID)
	if err != nil {
		return row, err
	}
	ttl := s.DefaultCacheTTL
	if st.CacheTTL > 0 {
		ttl = st.CacheTTL
	}
	row = present.Webhooks(row, st, hasSecret, subs, ttl, s.PublicURL)
	if st.TokenKind != domain.TokenOAuth {
		row.WebhookSecretAction = c.Echo().Reverse(route.AdminStoreWebhookSecret, st.ID)
	}
	if s.Subscribe != nil && st.TokenKind == domain.TokenOAuth {
		row.SubscribeAction = c.Echo().Reverse(route.AdminStoreSubscribe, st.ID)
	}
	return row, nil
}

// Connect serves POST /admin/stores: connect a store with a pasted access
// token. A refusal re-renders the form with its own message and the domain
// as typed; the token is never sent back.
func (s *Stores) Connect(c echo.Context) error {
	rawDomain := strings.TrimSpace(c.FormValue("domain"))
	token := strings.TrimSpace(c.FormValue("token"))
	st, created, err := s.connect(c, rawDomain, domain.Store{AccessToken: domain.NewSecret(token), TokenKind: domain.TokenCustomApp})
	if err != nil {
		if !isConnectFailure(err) {
			return err
		}
		page, perr := s.page(c)
		if perr != nil {
			return perr
		}
		page.ConnectDomain = rawDomain
		page.ConnectError = connectFailureMessage(err)
		return respond.HTML(c, respond.Status(domain.KindOf(err)), views.StoresPageView(page))
	}
	return s.Pages.notice(c, route.AdminStores, domain.Notice{Message: connectedMessage(st, created)})
}

// connect runs the connection checks and, once saved, drops the store's
// cached answers, which may have come from the previous token.
func (s *Stores) connect(c echo.Context, rawDomain string, creds domain.Store) (domain.Store, bool, error) {
	st, created, err := s.Connector.ConnectStore(c.Request().Context(), current(c).workspace, rawDomain, creds)
	if err != nil {
		return st, created, err
	}
	s.Cache.PurgeStore(st.ID)
	return st, created, nil
}

func connectedMessage(s domain.Store, created bool) string {
	verb := "Connected"
	if !created {
		verb = "Reconnected"
	}
	msg := fmt.Sprintf("%s %s (%s).", verb, s.ShopName, s.Domain)
	if !shopify.HasScope(s.Scopes, shopify.ScopeAllOrders) {
		msg += " " + present.WithoutAllOrders
	}
	return msg
}

// isConnectFailure tells a refusal worth explaining on the form (a bad
// domain, a rejected token, Shopify's answer) from a failure of ours.
func isConnectFailure(err error) bool {
	return domain.KindOf(err) != domain.KindInternal
}

// connectFailureMessage says why a connection was refused, each cause in
// its own words. None of them quotes the token.
func connectFailureMessage(err error) string {
	switch domain.KindOf(err) {
	case domain.KindShopifyAuth:
		return "Shopify rejected this access token (401). Copy the Admin API access token again from the app's API credentials (it starts with shpat_), and check that the app is installed on this store."
	case domain.KindShopifyFrozen:
		return "The shop is frozen (402): Shopify suspended it, usually over an unpaid bill. Connect it once the shop owner has settled it."
	case domain.KindShopifyLocked:
		return "The shop is locked (423) by Shopify. The shop owner needs to contact Shopify support before it can be connected."
	case domain.KindShopifyGone:
		return "Shopify has no shop at this domain (404). Check the spelling of the myshopify.com domain."
	case domain.KindShopifyForbidden:
		return "Shopify refused access (403): the app lacks a permission it needs. Give it read_customers and read_orders, then use its new token."
	case domain.KindShopifyUnavailable, domain.KindShopifyTimeout, domain.KindShopifyThrottled:
		return "Shopify couldn't be reached just now, so the token couldn't be checked. Nothing was saved; try again in a moment."
	}
	if m := domain.MessageOf(err); m != "" {
		return m
	}
	return "The store couldn't be connected."
}

// store finds the store named in the URL within the signed-in admin's
// workspace; any other store is "not found", whoever owns it.
func (s *Stores) store(c echo.Context) (domain.Store, error) {
	id, err := strconv.ParseInt(c.Param("store"), 10, 64)
	if err != nil {
		return domain.Store{}, domain.Errorf(domain.KindNotFound, "This store is not connected to your workspace.")
	}
	st, err := s.Stores.StoreByID(c.Request().Context(), current(c).workspace.ID, id)
	if domain.KindOf(err) == domain.KindNotFound {
		return domain.Store{}, domain.Errorf(domain.KindNotFound, "This store is not connected to your workspace.")
	}
	return st, err
}

// Test serves POST /admin/stores/:store/test: ask Shopify what the token
// opens now, and record the answer as the store's status.
func (s *Stores) Test(c echo.Context) error {
	st, err := s.store(c)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(c.Request().Context(), shopify.CallTimeout)
	defer cancel()
	var info shopify.ShopInfo
	fresh, err := s.Keeper.Fresh(ctx, st)
	if err == nil {
		info, err = s.Checker.CheckAccess(ctx, fresh.Domain, fresh.AccessToken)
	}
	status, message := storehealth.Outcome(st.Status, err)
	if rerr := s.Stores.RecordStoreResult(context.WithoutCancel(ctx), st.ID, status, message, s.Now()); rerr != nil {
		return rerr
	}
	if err != nil {
		if !isConnectFailure(err) {
			return err
		}
		return s.Pages.notice(c, route.AdminStores, domain.Notice{Error: true, Message: fmt.Sprintf("%s failed its test: %s", st.Domain, domain.MessageOf(err))})
	}
	if err := s.Stores.UpdateStoreAccess(ctx, st.WorkspaceID, st.ID, info.Name, info.Scopes); err != nil {
		return err
	}
	if missing := shopify.MissingScopes(info.Scopes); len(missing) > 0 {
		return s.Pages.notice(c, route.AdminStores, domain.Notice{Error: true, Message: fmt.Sprintf("%s answers, but its token lacks %s: the sidebar can't show it until the app is granted %s.",
			st.Domain, strings.Join(missing, " and "), strings.Join(missing, " and "))})
	}
	return s.Pages.notice(c, route.AdminStores, domain.Notice{Message: fmt.Sprintf("%s (%s) answers: the connection works.", info.Name, st.Domain)})
}

// ReplaceToken serves POST /admin/stores/:store/token: the same checks as
// connecting, for the store's own domain.
func (s *Stores) ReplaceToken(c echo.Context) error {
	st, err := s.store(c)
	if err != nil {
		return err
	}
	token := strings.TrimSpace(c.FormValue("token"))
	saved, _, err := s.connect(c, st.Domain, domain.Store{AccessToken: domain.NewSecret(token), TokenKind: domain.TokenCustomApp})
	if err != nil {
		if !isConnectFailure(err) {
			return err
		}
		return s.Pages.notice(c, route.AdminStores, domain.Notice{Error: true, Message: fmt.Sprintf("The token of %s was not replaced: %s", st.Domain, connectFailureMessage(err))})
	}
	return s.Pages.notice(c, route.AdminStores, domain.Notice{Message: fmt.Sprintf("Replaced the token of %s (%s).", saved.ShopName, saved.Domain)})
}

// ConfirmDisconnect serves GET /admin/stores/:store/disconnect.
func (s *Stores) ConfirmDisconnect(c echo.Context) error {
	st, err := s.store(c)
	if err != nil {
		return err
	}
	ch, err := s.Pages.chrome(c, "Disconnect "+st.Domain, route.AdminStores)
	if err != nil {
		return err
	}
	return respond.HTML(c, http.StatusOK, views.DisconnectPageView(views.DisconnectPage{
		Chrome: ch, Domain: st.Domain, ShopName: st.ShopName,
		Action: c.Echo().Reverse(route.AdminStoreRemove, st.ID), CancelURL: c.Echo().Reverse(route.AdminStores),
	}))
}

// Disconnect serves POST /admin/stores/:store/disconnect: the tokens go
// with the row, and the store's cached answers go at once, so no rep sees
// its data again.
func (s *Stores) Disconnect(c echo.Context) error {
	st, err := s.store(c)
	if err != nil {
		return err
	}
	if err := s.Stores.RemoveStore(c.Request().Context(), current(c).workspace.ID, st.ID); err != nil {
		return err
	}
	s.Cache.PurgeStore(st.ID)
	return s.Pages.notice(c, route.AdminStores, domain.Notice{Message: fmt.Sprintf("Disconnected %s; its token and cached answers are deleted.", st.Domain)})
}

// SaveWebhookSecret serves POST /admin/stores/:store/webhook-secret.
func (s *Stores) SaveWebhookSecret(c echo.Context) error {
	st, err := s.store(c)
	if err != nil {
		return err
	}
	secret := strings.TrimSpace(c.FormValue("secret"))
	if secret == "" {
		return s.Pages.notice(c, route.AdminStores, domain.Notice{Error: true, Message: "Paste the webhook signing secret from Shopify Admin → Settings → Notifications → Webhooks."})
	}
	if err := s.Webhooks.SetWebhookSecret(c.Request().Context(), current(c).workspace.ID, st.ID, domain.NewSecret(secret)); err != nil {
		return err
	}
	return s.Pages.notice(c, route.AdminStores, domain.Notice{Message: "Saved the webhook signing secret of " + st.Domain + "."})
}

// SubscribeWebhooks serves POST /admin/stores/:store/webhooks; it is
// registered only when Subscribe is set.
func (s *Stores) SubscribeWebhooks(c echo.Context) error {
	st, err := s.store(c)
	if err != nil {
		return err
	}
	return s.Pages.notice(c, route.AdminStores, s.subscribe(c.Request().Context(), st))
}

// subscribe subscribes a store and says how it went.
func (s *Stores) subscribe(ctx context.Context, st domain.Store) domain.Notice {
	ctx, cancel := context.WithTimeout(ctx, shopify.CallTimeout)
	defer cancel()
	st, err := s.Keeper.Fresh(ctx, st)
	if err != nil {
		return domain.Notice{Error: true, Message: "Webhooks for " + st.Domain + ": " + connectFailureMessage(err)}
	}
	subs, err := s.Subscribe(ctx, st)
	if err != nil {
		msg := domain.MessageOf(err)
		if msg == "" {
			msg = "Shopify could not be asked for the subscriptions; try again."
		}
		return domain.Notice{Error: true, Message: "Webhooks for " + st.Domain + ": " + msg}
	}
	return domain.Notice{Message: fmt.Sprintf("Subscribed %s to %d webhook topics: changes now show in the sidebar at once.", st.Domain, len(subs))}
}

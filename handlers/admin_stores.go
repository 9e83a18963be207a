package handlers

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"shopcard/domain"
	"shopcard/shopify"
	"shopcard/storehealth"
	"shopcard/views"
)

// connectTimeout bounds a connection check against Shopify.
const connectTimeout = 15 * time.Second

// storesPage serves GET /admin/stores.
func storesPage(d Deps) echo.HandlerFunc {
	return func(c echo.Context) error {
		page, err := newStoresPage(d, c)
		if err != nil {
			return err
		}
		return render(c, http.StatusOK, views.StoresPageView(page))
	}
}

// newStoresPage lists the signed-in admin's stores, and only theirs.
func newStoresPage(d Deps, c echo.Context) (views.StoresPage, error) {
	ch, err := chrome(d, c, "Stores", RouteAdminStores)
	if err != nil {
		return views.StoresPage{}, err
	}
	stores, err := d.Admin.Stores.StoresByWorkspace(c.Request().Context(), current(c).workspace.ID)
	if err != nil {
		return views.StoresPage{}, err
	}
	page := views.StoresPage{Chrome: ch, ConnectAction: c.Echo().Reverse(RouteAdminConnect)}
	if d.Admin.OAuth != nil {
		page.OAuthAction = c.Echo().Reverse(RouteAdminOAuthStart)
	}
	now := d.Now()
	for _, s := range stores {
		row, err := webhookRow(c.Request().Context(), d, c, presentStoreRow(c, s, now), s)
		if err != nil {
			return views.StoresPage{}, err
		}
		page.Stores = append(page.Stores, row)
	}
	return page, nil
}

// connectByToken serves POST /admin/stores: connect a store with a pasted
// access token. A refusal re-renders the form with its own message and the
// domain as typed; the token is never sent back.
func connectByToken(d Deps) echo.HandlerFunc {
	return func(c echo.Context) error {
		rawDomain := strings.TrimSpace(c.FormValue("domain"))
		token := strings.TrimSpace(c.FormValue("token"))
		s, created, err := connect(d, c, rawDomain, domain.Store{AccessToken: domain.NewSecret(token), TokenKind: domain.TokenCustomApp})
		if err != nil {
			if !isConnectFailure(err) {
				return err
			}
			page, perr := newStoresPage(d, c)
			if perr != nil {
				return perr
			}
			page.ConnectDomain = rawDomain
			page.ConnectError = connectFailureMessage(err)
			return render(c, statusFor(domain.KindOf(err)), views.StoresPageView(page))
		}
		return notice(d, c, RouteAdminStores, domain.Notice{Message: connectedMessage(s, created)})
	}
}

// connect runs the connection checks and, once saved, drops the store's
// cached answers, which may have come from the previous token.
func connect(d Deps, c echo.Context, rawDomain string, creds domain.Store) (domain.Store, bool, error) {
	ctx, cancel := context.WithTimeout(c.Request().Context(), connectTimeout)
	defer cancel()
	s, created, err := d.Admin.Connector.ConnectStore(ctx, current(c).workspace, rawDomain, creds)
	if err != nil {
		return s, created, err
	}
	d.Admin.Cache.PurgeStore(s.ID)
	return s, created, nil
}

func connectedMessage(s domain.Store, created bool) string {
	verb := "Connected"
	if !created {
		verb = "Reconnected"
	}
	msg := fmt.Sprintf("%s %s (%s).", verb, s.ShopName, s.Domain)
	if !shopify.HasScope(s.Scopes, shopify.ScopeAllOrders) {
		msg += " Without read_all_orders, only orders from the last 60 days show."
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

// storeParam finds the store named in the URL within the signed-in
// admin's workspace; any other store is "not found", whoever owns it.
func storeParam(d Deps, c echo.Context) (domain.Store, error) {
	id, err := strconv.ParseInt(c.Param("store"), 10, 64)
	if err != nil {
		return domain.Store{}, domain.Errorf(domain.KindNotFound, "This store is not connected to your workspace.")
	}
	s, err := d.Admin.Stores.StoreByID(c.Request().Context(), current(c).workspace.ID, id)
	if domain.KindOf(err) == domain.KindNotFound {
		return domain.Store{}, domain.Errorf(domain.KindNotFound, "This store is not connected to your workspace.")
	}
	return s, err
}

// testStore serves POST /admin/stores/:store/test: ask Shopify what the
// token opens now, and record the answer as the store's status.
func testStore(d Deps) echo.HandlerFunc {
	return func(c echo.Context) error {
		s, err := storeParam(d, c)
		if err != nil {
			return err
		}
		ctx, cancel := context.WithTimeout(c.Request().Context(), connectTimeout)
		defer cancel()
		var info shopify.ShopInfo
		fresh, err := d.Admin.Keeper.Fresh(ctx, s)
		if err == nil {
			info, err = d.Admin.Checker.CheckAccess(ctx, fresh.Domain, fresh.AccessToken)
		}
		status, message := storehealth.Outcome(s.Status, err)
		if rerr := d.Admin.Stores.RecordStoreResult(context.WithoutCancel(ctx), s.ID, status, message, d.Now()); rerr != nil {
			return rerr
		}
		if err != nil {
			if !isConnectFailure(err) {
				return err
			}
			return notice(d, c, RouteAdminStores, domain.Notice{Error: true, Message: fmt.Sprintf("%s failed its test: %s", s.Domain, domain.MessageOf(err))})
		}
		if err := d.Admin.Stores.UpdateStoreAccess(ctx, s.WorkspaceID, s.ID, info.Name, info.Scopes); err != nil {
			return err
		}
		if missing := shopify.MissingScopes(info.Scopes); len(missing) > 0 {
			return notice(d, c, RouteAdminStores, domain.Notice{Error: true, Message: fmt.Sprintf("%s answers, but its token lacks %s: the sidebar can't show it until the app is granted %s.",
				s.Domain, strings.Join(missing, " and "), strings.Join(missing, " and "))})
		}
		return notice(d, c, RouteAdminStores, domain.Notice{Message: fmt.Sprintf("%s (%s) answers: the connection works.", info.Name, s.Domain)})
	}
}

// replaceToken serves POST /admin/stores/:store/token: the same checks as
// connecting, for the store's own domain.
func replaceToken(d Deps) echo.HandlerFunc {
	return func(c echo.Context) error {
		s, err := storeParam(d, c)
		if err != nil {
			return err
		}
		token := strings.TrimSpace(c.FormValue("token"))
		saved, _, err := connect(d, c, s.Domain, domain.Store{AccessToken: domain.NewSecret(token), TokenKind: domain.TokenCustomApp})
		if err != nil {
			if !isConnectFailure(err) {
				return err
			}
			return notice(d, c, RouteAdminStores, domain.Notice{Error: true, Message: fmt.Sprintf("The token of %s was not replaced: %s", s.Domain, connectFailureMessage(err))})
		}
		return notice(d, c, RouteAdminStores, domain.Notice{Message: fmt.Sprintf("Replaced the token of %s (%s).", saved.ShopName, saved.Domain)})
	}
}

// confirmDisconnect serves GET /admin/stores/:store/disconnect.
func confirmDisconnect(d Deps) echo.HandlerFunc {
	return func(c echo.Context) error {
		s, err := storeParam(d, c)
		if err != nil {
			return err
		}
		ch, err := chrome(d, c, "Disconnect "+s.Domain, RouteAdminStores)
		if err != nil {
			return err
		}
		return render(c, http.StatusOK, views.DisconnectPageView(views.DisconnectPage{
			Chrome: ch, Domain: s.Domain, ShopName: s.ShopName,
			Action: c.Echo().Reverse(RouteAdminStoreRemove, s.ID), CancelURL: c.Echo().Reverse(RouteAdminStores),
		}))
	}
}

// disconnectStore serves POST /admin/stores/:store/disconnect: the tokens
// go with the row, and the store's cached answers go at once, so no rep
// sees its data again.
func disconnectStore(d Deps) echo.HandlerFunc {
	return func(c echo.Context) error {
		s, err := storeParam(d, c)
		if err != nil {
			return err
		}
		if err := d.Admin.Stores.RemoveStore(c.Request().Context(), current(c).workspace.ID, s.ID); err != nil {
			return err
		}
		d.Admin.Cache.PurgeStore(s.ID)
		return notice(d, c, RouteAdminStores, domain.Notice{Message: fmt.Sprintf("Disconnected %s; its token and cached answers are deleted.", s.Domain)})
	}
}

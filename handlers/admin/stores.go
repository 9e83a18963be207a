package admin

import (
	"context"
	"errors"
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
	"shopcard/storeconnect"
	"shopcard/storehealth"
	"shopcard/views"
)

// Stores is the stores page: connecting stores with a Dev Dashboard app or
// a token, testing them, replacing their credentials, disconnecting them,
// and their webhooks.
type Stores struct {
	Pages     *Pages
	Stores    StoreManager
	Connector StoreConnector
	Checker   AccessChecker
	Keeper    TokenKeeper
	Cache     CachePurger
	Webhooks  WebhookSettings
	// Proofs checks a newly saved webhook signing secret against the last
	// delivery that no key verified.
	Proofs SecretProver
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

// Page serves GET /admin/stores. A domain in the query (a suggestion's
// one-click fill, without script) is filled into its form.
func (s *Stores) Page(c echo.Context) error {
	page, err := s.page(c)
	if err != nil {
		return err
	}
	fill := func(param string) string {
		v := strings.TrimSpace(c.QueryParam(param))
		if len(v) > shopify.MaxDomainLength {
			return ""
		}
		return v
	}
	page.DevDomain, page.ConnectDomain, page.OAuthDomain = fill("dev_domain"), fill("connect_domain"), fill("oauth_domain")
	return respond.HTML(c, http.StatusOK, views.StoresPageView(page))
}

// page lists the signed-in admin's stores, and only theirs.
func (s *Stores) page(c echo.Context) (views.StoresPage, error) {
	ch, err := s.Pages.chrome(c, "Stores", route.AdminStores)
	if err != nil {
		return views.StoresPage{}, err
	}
	ctx := c.Request().Context()
	ws := current(c).workspace
	stores, err := s.Stores.StoresByWorkspace(ctx, ws.ID)
	if err != nil {
		return views.StoresPage{}, err
	}
	page := views.StoresPage{
		Chrome: ch, URL: c.Echo().Reverse(route.AdminStores),
		ConnectAction:      c.Echo().Reverse(route.AdminConnect),
		DevDashboardAction: c.Echo().Reverse(route.AdminConnectDevDashboard),
		ScopesToChoose:     present.ScopeChoices(s.ttl(ws.CacheTTL)),
	}
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

// ttl is how long a store's answers are cached: its workspace's setting,
// or the server's default.
func (s *Stores) ttl(workspaceTTL time.Duration) time.Duration {
	if workspaceTTL > 0 {
		return workspaceTTL
	}
	return s.DefaultCacheTTL
}

// row is one store on the page, with the actions its kind of connection
// has, and its webhooks.
func (s *Stores) row(ctx context.Context, c echo.Context, st domain.Store, now time.Time) (views.StoreRow, error) {
	ttl := s.ttl(st.CacheTTL)
	row := present.StoreRow(st, now, ttl)
	row.TestAction = c.Echo().Reverse(route.AdminStoreTest, st.ID)
	row.DisconnectURL = c.Echo().Reverse(route.AdminStoreDisconnect, st.ID)
	switch st.TokenKind {
	case domain.TokenClientCredentials:
		row.CredentialsAction = c.Echo().Reverse(route.AdminStoreCredentials, st.ID)
	case domain.TokenOAuth:
		// Connecting it with Shopify again replaces its tokens.
	default:
		row.ReplaceAction = c.Echo().Reverse(route.AdminStoreToken, st.ID)
		row.WebhookSecretAction = c.Echo().Reverse(route.AdminStoreWebhookSecret, st.ID)
	}
	hasSecret, err := s.Webhooks.HasWebhookSecret(ctx, st.ID)
	if err != nil {
		return row, err
	}
	subs, err := s.Webhooks.WebhookSubscriptions(ctx, st.ID)
	if err != nil {
		return row, err
	}
	row = present.Webhooks(row, st, hasSecret, subs, ttl, s.PublicURL, now)
	if s.Subscribe != nil && row.OfferSubscribe {
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
	st, created, err := s.connect(c, func(ctx context.Context, ws domain.Workspace) (domain.Store, bool, error) {
		return s.Connector.ConnectStore(ctx, ws, rawDomain, domain.Store{AccessToken: domain.NewSecret(token), TokenKind: domain.TokenCustomApp})
	})
	if err != nil {
		return s.refused(c, err, func(p *views.StoresPage) {
			p.ConnectDomain, p.ConnectError, p.ConnectSuggestion = rawDomain, connectFailureMessage(err), shopify.SuggestedDomain(err)
		})
	}
	return s.Pages.notice(c, route.AdminStores, domain.Notice{Message: s.connectedMessage(st, created)})
}

// ConnectDevDashboard serves POST /admin/stores/dev-dashboard: connect a
// store with a Dev Dashboard app's client ID and secret, which shopcard
// exchanges for a token, and subscribe its webhooks. A refusal re-renders
// the form with its own message, the domain and client ID as typed; the
// secret is never sent back.
func (s *Stores) ConnectDevDashboard(c echo.Context) error {
	rawDomain := strings.TrimSpace(c.FormValue("domain"))
	clientID := strings.TrimSpace(c.FormValue("client_id"))
	secret := domain.NewSecret(strings.TrimSpace(c.FormValue("client_secret")))
	st, created, err := s.connect(c, func(ctx context.Context, ws domain.Workspace) (domain.Store, bool, error) {
		return s.Connector.ConnectDevDashboardApp(ctx, ws, rawDomain, clientID, secret)
	})
	if err != nil {
		return s.refused(c, err, func(p *views.StoresPage) {
			p.DevDomain, p.DevClientID, p.DevError, p.DevSuggestion = rawDomain, clientID, connectFailureMessage(err), shopify.SuggestedDomain(err)
		})
	}
	return s.Pages.notice(c, route.AdminStores, s.subscribeAfterConnect(c.Request().Context(), st, s.connectedMessage(st, created)))
}

// subscribeAfterConnect subscribes a store connected through an app to its
// webhooks, when shopcard knows where Shopify can deliver them, and adds
// how that went to the connection's message.
func (s *Stores) subscribeAfterConnect(ctx context.Context, st domain.Store, connected string) domain.Notice {
	if s.Subscribe == nil {
		return domain.Notice{Message: connected}
	}
	sub := s.subscribe(ctx, st)
	return domain.Notice{Error: sub.Error, Message: connected + " " + sub.Message}
}

// refused answers a connection that failed: a refusal worth explaining
// re-renders the stores page with the form's own message (set by fill);
// a failure of ours goes to the error handler.
func (s *Stores) refused(c echo.Context, err error, fill func(*views.StoresPage)) error {
	if !isConnectFailure(err) {
		return err
	}
	page, perr := s.page(c)
	if perr != nil {
		return perr
	}
	fill(&page)
	return respond.HTML(c, respond.Status(domain.KindOf(err)), views.StoresPageView(page))
}

// connect runs the connection checks in the signed-in admin's workspace
// and, once saved, drops the store's cached answers, which may have come
// from the previous credentials.
func (s *Stores) connect(c echo.Context, run func(context.Context, domain.Workspace) (domain.Store, bool, error)) (domain.Store, bool, error) {
	st, created, err := run(c.Request().Context(), current(c).workspace)
	if err != nil {
		return st, created, err
	}
	s.Cache.PurgeStore(st.ID)
	return st, created, nil
}

// connectedMessage says a store was connected, and what each optional
// scope it lacks costs.
func (s *Stores) connectedMessage(st domain.Store, created bool) string {
	verb := "Connected"
	if !created {
		verb = "Reconnected"
	}
	msg := fmt.Sprintf("%s %s (%s).", verb, st.ShopName, st.Domain)
	if st.TokenKind == domain.TokenClientCredentials {
		msg += " Its token comes from the Dev Dashboard app and is renewed automatically every day."
	}
	for _, note := range present.MissingOptionalNotes(st.Scopes, s.ttl(st.CacheTTL)) {
		msg += " " + note
	}
	return msg
}

// isConnectFailure tells a refusal worth explaining on the form (a bad
// domain, rejected credentials, Shopify's answer) from a failure of ours.
func isConnectFailure(err error) bool {
	return domain.KindOf(err) != domain.KindInternal
}

// connectFailureMessage says why a connection was refused, each cause in
// its own words, each saying what to do. None of them quotes a token or
// secret.
func connectFailureMessage(err error) string {
	// The token endpoint's refusals of a Dev Dashboard app (invalid_client,
	// app_not_installed, shop_not_permitted) carry their own advice.
	var refusal *shopify.GrantRefusal
	if errors.As(err, &refusal) {
		return domain.MessageOf(err)
	}
	switch domain.KindOf(err) {
	case domain.KindShopifyAuth:
		return "Shopify rejected this access token (401). Copy the Admin API access token again from the app's API credentials (it starts with shpat_), and check that the app is installed on this store."
	case domain.KindShopifyGone:
		return "Shopify has no shop at this domain (404). Check the spelling of the myshopify.com domain."
	case domain.KindShopifyUnavailable, domain.KindShopifyTimeout, domain.KindShopifyThrottled:
		return "Shopify couldn't be reached just now, so nothing could be checked and nothing was saved. Try again in a moment."
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
// opens now (renewing an expiring token first, and once more if Shopify
// refuses it early), and record the answer as the store's status.
func (s *Stores) Test(c echo.Context) error {
	st, err := s.store(c)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(c.Request().Context(), shopify.CallTimeout)
	defer cancel()
	var info shopify.ShopInfo
	err = s.Keeper.Do(ctx, st, func(fresh domain.Store) error {
		var err error
		info, err = s.Checker.CheckAccess(ctx, fresh.Domain, fresh.AccessToken)
		return err
	})
	status, message := storehealth.Outcome(st.Status, err)
	if rerr := s.Stores.RecordStoreResult(context.WithoutCancel(ctx), st.ID, status, message, s.Now()); rerr != nil {
		return rerr
	}
	if err != nil {
		if !isConnectFailure(err) {
			return err
		}
		msg := fmt.Sprintf("%s failed its test: %s", st.Domain, domain.MessageOf(err))
		if advice := present.FailureAdvice(st, err); advice != "" {
			msg += " " + advice
		}
		return s.Pages.notice(c, route.AdminStores, domain.Notice{Error: true, Message: msg})
	}
	if err := s.Stores.UpdateStoreAccess(ctx, st.WorkspaceID, st.ID, info.Name, info.Scopes); err != nil {
		return err
	}
	if missing := shopify.MissingScopes(info.Scopes); len(missing) > 0 {
		return s.Pages.notice(c, route.AdminStores, domain.Notice{Error: true, Message: fmt.Sprintf("%s answers, but the sidebar can't show it: %s",
			st.Domain, storeconnect.MissingScopesMessage(st.TokenKind, missing))})
	}
	msg := fmt.Sprintf("%s (%s) answers: the connection works.", info.Name, st.Domain)
	for _, note := range present.MissingOptionalNotes(info.Scopes, s.ttl(st.CacheTTL)) {
		msg += " " + note
	}
	return s.Pages.notice(c, route.AdminStores, domain.Notice{Message: msg})
}

// ReplaceToken serves POST /admin/stores/:store/token: the same checks as
// connecting, for the store's own domain.
func (s *Stores) ReplaceToken(c echo.Context) error {
	st, err := s.store(c)
	if err != nil {
		return err
	}
	token := strings.TrimSpace(c.FormValue("token"))
	saved, _, err := s.connect(c, func(ctx context.Context, ws domain.Workspace) (domain.Store, bool, error) {
		return s.Connector.ConnectStore(ctx, ws, st.Domain, domain.Store{AccessToken: domain.NewSecret(token), TokenKind: domain.TokenCustomApp})
	})
	if err != nil {
		if !isConnectFailure(err) {
			return err
		}
		return s.Pages.notice(c, route.AdminStores, domain.Notice{Error: true, Message: fmt.Sprintf("The token of %s was not replaced: %s", st.Domain, connectFailureMessage(err))})
	}
	return s.Pages.notice(c, route.AdminStores, domain.Notice{Message: fmt.Sprintf("Replaced the token of %s (%s).", saved.ShopName, saved.Domain)})
}

// ReplaceCredentials serves POST /admin/stores/:store/credentials: a Dev
// Dashboard app's client ID and secret, checked as when connecting (a new
// token is granted with them), for the store's own domain.
func (s *Stores) ReplaceCredentials(c echo.Context) error {
	st, err := s.store(c)
	if err != nil {
		return err
	}
	clientID := strings.TrimSpace(c.FormValue("client_id"))
	secret := domain.NewSecret(strings.TrimSpace(c.FormValue("client_secret")))
	saved, _, err := s.connect(c, func(ctx context.Context, ws domain.Workspace) (domain.Store, bool, error) {
		return s.Connector.ConnectDevDashboardApp(ctx, ws, st.Domain, clientID, secret)
	})
	if err != nil {
		if !isConnectFailure(err) {
			return err
		}
		return s.Pages.notice(c, route.AdminStores, domain.Notice{Error: true, Message: fmt.Sprintf("The credentials of %s were not replaced: %s", st.Domain, connectFailureMessage(err))})
	}
	// Another app (a new client ID) has none of the old one's
	// subscriptions; asking again is harmless for the same app.
	return s.Pages.notice(c, route.AdminStores, s.subscribeAfterConnect(c.Request().Context(), saved,
		fmt.Sprintf("Replaced the Dev Dashboard app's credentials of %s (%s): a new token was granted with them.", saved.ShopName, saved.Domain)))
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

// SaveWebhookSecret serves POST /admin/stores/:store/webhook-secret. The
// secret is saved, but trusted only once proved: against the last
// delivery Shopify sent that no key verified, when shopcard still holds
// one, or else by the first delivery it verifies.
func (s *Stores) SaveWebhookSecret(c echo.Context) error {
	st, err := s.store(c)
	if err != nil {
		return err
	}
	secret := strings.TrimSpace(c.FormValue("secret"))
	if secret == "" {
		return s.Pages.notice(c, route.AdminStores, domain.Notice{Error: true, Message: "Paste the webhook signing secret from Shopify Admin → Settings → Notifications → Webhooks."})
	}
	ctx := c.Request().Context()
	proof := s.Proofs.ProveSecret(st.Domain, domain.NewSecret(secret))
	if err := s.Webhooks.SetWebhookSecret(ctx, current(c).workspace.ID, st.ID, domain.NewSecret(secret)); err != nil {
		return err
	}
	now := s.Now()
	switch {
	case proof.Checked && proof.Verified:
		if err := s.Webhooks.RecordWebhookVerified(ctx, []int64{st.ID}, now); err != nil {
			return err
		}
		return s.Pages.notice(c, route.AdminStores, domain.Notice{Message: fmt.Sprintf("Saved the webhook signing secret of %s, and it is the right one: it verifies the %s delivery Shopify sent %s, which was refused before. Shopify retries refused deliveries, so that change will show too.",
			st.Domain, proof.Topic, present.When(proof.At, now).Relative)})
	case proof.Checked:
		if err := s.Webhooks.SetWebhookRefusedSince(ctx, st.ID, proof.At); err != nil {
			return err
		}
		return s.Pages.notice(c, route.AdminStores, domain.Notice{Error: true, Message: fmt.Sprintf("Saved the webhook signing secret of %s, but it doesn't verify the %s delivery Shopify sent %s, so it isn't trusted: copy it again from Shopify Admin → Settings → Notifications → Webhooks, where it is shown below the list of webhooks, and save it again.",
			st.Domain, proof.Topic, present.When(proof.At, now).Relative)})
	}
	return s.Pages.notice(c, route.AdminStores, domain.Notice{Message: "Saved the webhook signing secret of " + st.Domain + ". It is trusted once a delivery verifies with it; until then its webhooks show “Waiting for the first signed delivery”. Editing a customer in Shopify sends one."})
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

// subscribe subscribes a store, with a fresh token, and says how it went.
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
	active, skipped := 0, 0
	for _, sub := range subs {
		switch sub.Status {
		case domain.WebhookActive:
			active++
		case domain.WebhookSkipped:
			skipped++
		}
	}
	msg := fmt.Sprintf("Subscribed %s to %d webhook topics; they count as working once the first delivery verifies.", st.Domain, active)
	if skipped > 0 {
		msg += fmt.Sprintf(" %d more need scopes the app wasn't granted: the store's webhooks say which.", skipped)
	}
	return domain.Notice{Message: msg}
}

package handlers

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"shopcard/domain"
	"shopcard/views"
	"shopcard/webhooks"
)

// webhookRow adds what the stores page says about a store's webhooks.
func webhookRow(ctx context.Context, d Deps, c echo.Context, row views.StoreRow, s domain.Store) (views.StoreRow, error) {
	if d.Admin.Webhooks == nil {
		return row, nil
	}
	hasSecret, err := d.Admin.Webhooks.HasWebhookSecret(ctx, s.ID)
	if err != nil {
		return row, err
	}
	subs, err := d.Admin.Webhooks.WebhookSubscriptions(ctx, s.ID)
	if err != nil {
		return row, err
	}
	ttl := d.Admin.DefaultCacheTTL
	if s.CacheTTL > 0 {
		ttl = s.CacheTTL
	}
	row = presentWebhooks(row, s, hasSecret, subs, ttl, d.Admin.PublicURL)
	if s.TokenKind != domain.TokenOAuth {
		row.WebhookSecretAction = c.Echo().Reverse(RouteAdminStoreWebhookSecret, s.ID)
	}
	if d.Admin.Subscribe != nil && s.TokenKind == domain.TokenOAuth {
		row.SubscribeAction = c.Echo().Reverse(RouteAdminStoreSubscribe, s.ID)
	}
	return row, nil
}

// presentWebhooks says whether changes in Shopify reach the sidebar at once
// or within the cache's TTL, and what an admin can do about it.
func presentWebhooks(row views.StoreRow, s domain.Store, hasSecret bool, subs []domain.WebhookSubscription, ttl time.Duration, publicURL string) views.StoreRow {
	within := fmt.Sprintf("Without them, changes in Shopify show in the sidebar within %s.", duration(ttl))
	endpoint := "shopcard's /webhooks/shopify address"
	if publicURL != "" {
		endpoint = strings.TrimRight(publicURL, "/") + webhooks.Path
	}
	active, failed := 0, 0
	for _, sub := range subs {
		if sub.Status == domain.WebhookActive {
			active++
			continue
		}
		failed++
		row.WebhookErrors = append(row.WebhookErrors, sub.Topic+": "+sub.LastError)
	}
	switch {
	case failed > 0:
		row.Webhooks = views.Badge{Label: "Failing", Tone: views.ToneBad}
		row.WebhooksDetail = fmt.Sprintf("Shopify refused %d of %d subscriptions. %s", failed, len(subs), within)
	case active > 0:
		row.Webhooks = views.Badge{Label: "Active", Tone: views.ToneGood}
		row.WebhooksDetail = fmt.Sprintf("Shopify sends changes to %s at once (%d topics).", endpoint, active)
	case s.TokenKind == domain.TokenOAuth:
		row.Webhooks = views.Badge{Label: "Not subscribed", Tone: views.ToneWarn}
		if publicURL == "" {
			row.WebhooksDetail = within + " Set SHOPCARD_PUBLIC_URL to an address Shopify can reach, then subscribe."
		} else {
			row.WebhooksDetail = within + " Subscribe to have them show at once."
		}
	case hasSecret:
		row.Webhooks = views.Badge{Label: "Secret saved", Tone: views.ToneGood}
		row.WebhooksDetail = "Webhooks signed with this store's secret are accepted. In Shopify Admin → Settings → Notifications → Webhooks, point the customer, order, fulfillment and refund events at " + endpoint + "."
	default:
		row.Webhooks = views.Badge{Label: "Not set up", Tone: views.ToneNeutral}
		row.WebhooksDetail = within + " For instant updates, create webhooks in Shopify Admin → Settings → Notifications → Webhooks pointing at " + endpoint + ", and save the signing secret shown there."
	}
	return row
}

// saveWebhookSecret serves POST /admin/stores/:store/webhook-secret.
func saveWebhookSecret(d Deps) echo.HandlerFunc {
	return func(c echo.Context) error {
		s, err := storeParam(d, c)
		if err != nil {
			return err
		}
		secret := strings.TrimSpace(c.FormValue("secret"))
		if secret == "" {
			return notice(d, c, RouteAdminStores, domain.Notice{Error: true, Message: "Paste the webhook signing secret from Shopify Admin → Settings → Notifications → Webhooks."})
		}
		if err := d.Admin.Webhooks.SetWebhookSecret(c.Request().Context(), current(c).workspace.ID, s.ID, domain.NewSecret(secret)); err != nil {
			return err
		}
		return notice(d, c, RouteAdminStores, domain.Notice{Message: "Saved the webhook signing secret of " + s.Domain + "."})
	}
}

// subscribeWebhooks serves POST /admin/stores/:store/webhooks.
func subscribeWebhooks(d Deps) echo.HandlerFunc {
	return func(c echo.Context) error {
		s, err := storeParam(d, c)
		if err != nil {
			return err
		}
		if d.Admin.Subscribe == nil {
			return domain.Errorf(domain.KindInvalid, "Set SHOPCARD_PUBLIC_URL so Shopify knows where to deliver webhooks.")
		}
		return notice(d, c, RouteAdminStores, subscribeNotice(c.Request().Context(), d, s))
	}
}

// subscribeNotice subscribes a store and says how it went.
func subscribeNotice(ctx context.Context, d Deps, s domain.Store) domain.Notice {
	ctx, cancel := context.WithTimeout(ctx, connectTimeout)
	defer cancel()
	s, err := d.Admin.Keeper.Fresh(ctx, s)
	if err != nil {
		return domain.Notice{Error: true, Message: "Webhooks for " + s.Domain + ": " + connectFailureMessage(err)}
	}
	subs, err := d.Admin.Subscribe(ctx, s)
	if err != nil {
		msg := domain.MessageOf(err)
		if msg == "" {
			msg = "Shopify could not be asked for the subscriptions; try again."
		}
		return domain.Notice{Error: true, Message: "Webhooks for " + s.Domain + ": " + msg}
	}
	return domain.Notice{Message: fmt.Sprintf("Subscribed %s to %d webhook topics: changes now show in the sidebar at once.", s.Domain, len(subs))}
}

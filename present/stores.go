package present

import (
	"fmt"
	"strings"
	"time"

	"shopcard/domain"
	"shopcard/views"
	"shopcard/webhooks"
)

// This file shapes store connections for the admin console.

// StoreRow shapes one store for the stores page; the handler adds the
// URLs of its actions.
func StoreRow(s domain.Store, now time.Time) views.StoreRow {
	row := views.StoreRow{
		ID:        SectionID(s),
		Domain:    s.Domain,
		ShopName:  s.ShopName,
		AdminURL:  StoreAdminURL(s),
		TokenKind: tokenKindWords(s, now),
		Status:    StoreStatus(s.Status),
		LastError: s.LastError,
	}
	if row.ShopName == "" {
		row.ShopName = s.Domain
	}
	if !s.LastOKAt.IsZero() {
		row.LastOK = When(s.LastOKAt, now)
	}
	row.Scopes, row.ScopeNotes = ScopeChips(s.Scopes)
	return row
}

// tokenKindWords says what kind of token a store holds and, for OAuth,
// when it runs out.
func tokenKindWords(s domain.Store, now time.Time) string {
	if s.TokenKind != domain.TokenOAuth {
		return "Custom app token (doesn't expire)"
	}
	if s.AccessTokenExpiresAt.IsZero() {
		return "OAuth, non-expiring token"
	}
	left := s.AccessTokenExpiresAt.Sub(now)
	if left <= 0 {
		return "OAuth, expiring token: renewed at the next request"
	}
	return fmt.Sprintf("OAuth, expiring token: renewed automatically (this one lasts %s more)", Duration(left))
}

// Duration says a span in the largest sensible unit, rounded to the
// nearest minute.
func Duration(d time.Duration) string {
	d = d.Round(time.Minute)
	switch {
	case d < time.Minute:
		return "under a minute"
	case d < time.Hour:
		return Plural(uint64(d/time.Minute), "minute", "minutes")
	case d < 48*time.Hour:
		return Plural(uint64(d/time.Hour), "hour", "hours")
	}
	return Plural(uint64(d/(24*time.Hour)), "day", "days")
}

var storeStatusWords = map[domain.StoreStatus]views.Badge{
	domain.StoreHealthy:        {Label: "Healthy", Tone: views.ToneGood},
	domain.StoreNeedsReconnect: {Label: "Needs reconnect", Tone: views.ToneBad},
	domain.StoreFrozen:         {Label: "Shop frozen", Tone: views.ToneBad},
	domain.StoreLocked:         {Label: "Shop locked", Tone: views.ToneBad},
	domain.StoreDisconnected:   {Label: "App uninstalled", Tone: views.ToneBad},
}

// StoreStatus names a store's status in words.
func StoreStatus(s domain.StoreStatus) views.Badge {
	if b, ok := storeStatusWords[s]; ok {
		return b
	}
	return views.Badge{Label: humanize(string(s)), Tone: views.ToneNeutral}
}

// Webhooks says whether changes in Shopify reach the sidebar at once
// or within the cache's TTL, and what an admin can do about it.
func Webhooks(row views.StoreRow, s domain.Store, hasSecret bool, subs []domain.WebhookSubscription, ttl time.Duration, publicURL string) views.StoreRow {
	within := fmt.Sprintf("Without them, changes in Shopify show in the sidebar within %s.", Duration(ttl))
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

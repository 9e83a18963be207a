package present

import (
	"fmt"
	"strings"
	"time"

	"shopcard/domain"
	"shopcard/views"
	"shopcard/webhooks"
)

// This file shapes store connections for the admin console. Every status
// is derived from the latest result: a store whose last call failed is
// not "Healthy", webhooks are "Active" only once a delivery verified, and
// each problem comes with its time and what to do on the stores page.

// StoreRow shapes one store for the stores page; the handler adds the URLs
// of its actions. cacheTTL is how long its answers are cached, which says
// what a missing scope or webhook costs.
func StoreRow(s domain.Store, now time.Time, cacheTTL time.Duration) views.StoreRow {
	row := views.StoreRow{
		ID:        SectionID(s),
		Domain:    s.Domain,
		ShopName:  s.ShopName,
		AdminURL:  StoreAdminURL(s),
		Status:    rowStatus(s),
		LastError: s.LastError,
		Advice:    advice(s),
		ClientID:  s.ClientID,
	}
	row.TokenKind, row.TokenExpiry, row.TokenRenewed = tokenWords(s, now)
	if row.ShopName == "" {
		row.ShopName = s.Domain
	}
	if !s.LastOKAt.IsZero() {
		row.LastOK = When(s.LastOKAt, now)
	}
	if s.LastError != "" && !s.LastErrorAt.IsZero() {
		row.LastErrorAt = When(s.LastErrorAt, now)
	}
	row.Scopes, row.ScopeNotes = ScopeChips(s.Scopes, cacheTTL)
	return row
}

// tokenWords says how the store's token was obtained, when it runs out,
// and when it was last renewed.
func tokenWords(s domain.Store, now time.Time) (kind, expiry, renewed string) {
	switch s.TokenKind {
	case domain.TokenOAuth:
		kind = "Shopify OAuth, renewed automatically"
	case domain.TokenClientCredentials:
		kind = "Dev Dashboard app, renewed automatically"
	default:
		return "Custom app token (doesn't expire)", "", ""
	}
	switch left := s.AccessTokenExpiresAt.Sub(now); {
	case s.AccessTokenExpiresAt.IsZero():
		expiry = "This token has no expiry."
	case left <= 0:
		expiry = "This token has expired; the next request renews it."
	default:
		expiry = fmt.Sprintf("This token expires in %s (%s).", Duration(left), When(s.AccessTokenExpiresAt, now).Absolute)
	}
	if s.TokenRenewedAt.IsZero() {
		renewed = "Not renewed yet."
	} else {
		renewed = "Last renewed " + When(s.TokenRenewedAt, now).Relative + "."
	}
	return kind, expiry, renewed
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

// rowStatus is a store's badge from its latest result: a healthy status
// whose last call failed (Shopify down, rate-limiting) says so rather
// than "Healthy".
func rowStatus(s domain.Store) views.Badge {
	if (s.Status == domain.StoreHealthy || s.Status == "") && s.LastError != "" {
		return views.Badge{Label: "Last call failed", Tone: views.ToneWarn}
	}
	return StoreStatus(s.Status)
}

// ReconnectAdvice says what to do on the stores page about a store whose
// token Shopify refuses, by how the store was connected.
func ReconnectAdvice(s domain.Store) string {
	switch s.TokenKind {
	case domain.TokenOAuth:
		return "Connect the store with Shopify again below and approve shopcard's app; the new tokens replace the old ones."
	case domain.TokenClientCredentials:
		return "In the Dev Dashboard, check that the app is still installed on the store and whether its secret was rotated, then enter its client ID and secret again under Replace credentials below."
	}
	return "Replace the token below with a new Admin API access token from the app's API credentials in Shopify (it starts with shpat_)."
}

// FailureAdvice says what to do on the stores page about a call to
// Shopify that failed with err, or "" when it is not the connection's
// fault (Shopify down, rate-limiting), which passes by itself.
func FailureAdvice(s domain.Store, err error) string {
	switch domain.KindOf(err) {
	case domain.KindShopifyAuth:
		return ReconnectAdvice(s)
	case domain.KindShopifyFrozen:
		s.Status = domain.StoreFrozen
	case domain.KindShopifyLocked:
		s.Status = domain.StoreLocked
	default:
		return ""
	}
	return advice(s)
}

// advice says what to do about a store's status, or "" when nothing needs
// doing.
func advice(s domain.Store) string {
	switch s.Status {
	case domain.StoreNeedsReconnect:
		return ReconnectAdvice(s)
	case domain.StoreDisconnected:
		switch s.TokenKind {
		case domain.TokenOAuth:
			return "Connect the store with Shopify again below: that installs shopcard's app again."
		case domain.TokenClientCredentials:
			return "Install the app on the store again from the Dev Dashboard, then enter its client ID and secret under Replace credentials below."
		}
		return "Install the custom app in the store again, then replace the token below with its new Admin API access token."
	case domain.StoreFrozen:
		return "Nothing to change in shopcard: once the shop owner settles the shop with Shopify, click Test connection."
	case domain.StoreLocked:
		return "The shop owner needs to contact Shopify support; once the shop is unlocked, click Test connection."
	}
	if s.LastError != "" {
		return "This usually passes by itself. Click Test connection to see whether it has."
	}
	return ""
}

// Webhooks says whether changes in Shopify reach the sidebar at once or
// within the cache's TTL, and what an admin can do about it. It calls a
// store's webhooks "Active" only once a delivery verified, "Failing:
// signature mismatch" once deliveries arrive that no key verifies, and
// says why a topic is not subscribed. It also decides whether to offer
// subscribing (row.OfferSubscribe): for stores connected through an app,
// unless every topic their scopes allow is subscribed.
func Webhooks(row views.StoreRow, s domain.Store, hasSecret bool, subs []domain.WebhookSubscription, ttl time.Duration, publicURL string, now time.Time) views.StoreRow {
	within := fmt.Sprintf("Without them, changes in Shopify show in the sidebar within %s.", Duration(ttl))
	endpoint := "shopcard's /webhooks/shopify address"
	if publicURL != "" {
		endpoint = strings.TrimRight(publicURL, "/") + webhooks.Path
	}
	byApp := s.TokenKind == domain.TokenOAuth || s.TokenKind == domain.TokenClientCredentials
	active, failed := 0, 0
	// Topics skipped for want of a scope, said once per scope.
	var skippedScopes []string
	skippedTopics := map[string][]string{}
	for _, sub := range subs {
		switch sub.Status {
		case domain.WebhookActive:
			active++
		case domain.WebhookSkipped:
			scope := webhooks.TopicScope(sub.Topic)
			if skippedTopics[scope] == nil {
				skippedScopes = append(skippedScopes, scope)
			}
			skippedTopics[scope] = append(skippedTopics[scope], sub.Topic)
		default:
			failed++
			row.WebhookErrors = append(row.WebhookErrors, sub.Topic+": "+sub.LastError)
		}
	}
	for _, scope := range skippedScopes {
		note := fmt.Sprintf("Not subscribed to %s: they need %s, which this store's app wasn't granted.", strings.Join(skippedTopics[scope], " and "), scope)
		if cost := WithoutScope(scope, ttl); cost != "" {
			note += " " + cost
		}
		row.WebhookNotes = append(row.WebhookNotes, note)
	}
	row.OfferSubscribe = byApp && (active == 0 || failed > 0)
	if !s.WebhookRefusedSince.IsZero() {
		since := When(s.WebhookRefusedSince, now)
		row.Webhooks = views.Badge{Label: "Failing: signature mismatch", Tone: views.ToneBad}
		row.WebhooksDetail = fmt.Sprintf("Since %s (%s), Shopify's deliveries for this shop carry a signature no key shopcard holds verifies, so they are refused. %s %s",
			since.Absolute, since.Relative, signatureAdvice(s, hasSecret), within)
		return row
	}
	switch {
	case failed > 0:
		row.Webhooks = views.Badge{Label: "Failing", Tone: views.ToneBad}
		row.WebhooksDetail = fmt.Sprintf("Shopify refused %d of %d subscriptions; each one's error says why. %s", failed, active+failed, within)
	case !s.WebhookVerifiedAt.IsZero():
		row.Webhooks = views.Badge{Label: "Active", Tone: views.ToneGood}
		row.WebhooksDetail = fmt.Sprintf("The last delivery verified %s: Shopify sends changes to %s at once.", When(s.WebhookVerifiedAt, now).Relative, endpoint)
		if active > 0 {
			row.WebhooksDetail = fmt.Sprintf("The last delivery verified %s: Shopify sends changes to %s at once (%d topics).", When(s.WebhookVerifiedAt, now).Relative, endpoint, active)
		}
	case active > 0:
		row.Webhooks = views.Badge{Label: "Waiting for the first signed delivery", Tone: views.ToneWarn}
		row.WebhooksDetail = fmt.Sprintf("Subscribed to %d topics at %s; they count as working once a delivery verifies. Any change to a customer or order in Shopify sends one.", active, endpoint)
	case hasSecret:
		row.Webhooks = views.Badge{Label: "Waiting for the first signed delivery", Tone: views.ToneWarn}
		row.WebhooksDetail = "The saved signing secret is trusted once a delivery verifies with it; editing a customer in Shopify sends one. In Shopify Admin → Settings → Notifications → Webhooks, point the customer, order, fulfillment and refund events at " + endpoint + "."
	case byApp:
		row.Webhooks = views.Badge{Label: "Not subscribed", Tone: views.ToneWarn}
		if publicURL == "" {
			row.WebhooksDetail = within + " Set SHOPCARD_PUBLIC_URL to an address Shopify can reach, then subscribe."
		} else {
			row.WebhooksDetail = within + " Subscribe to have them show at once."
		}
	default:
		row.Webhooks = views.Badge{Label: "Not set up", Tone: views.ToneNeutral}
		row.WebhooksDetail = within + " For instant updates, create webhooks in Shopify Admin → Settings → Notifications → Webhooks pointing at " + endpoint + ", and save the signing secret shown there."
	}
	return row
}

// signatureAdvice says what to do when a shop's deliveries do not verify.
func signatureAdvice(s domain.Store, hasSecret bool) string {
	switch {
	case s.TokenKind == domain.TokenOAuth:
		return "Webhooks from shopcard's app are signed with its client secret: check that SHOPCARD_SHOPIFY_CLIENT_SECRET is the secret of the app this store installed."
	case s.TokenKind == domain.TokenClientCredentials:
		return "They are signed with the Dev Dashboard app's client secret: if it was rotated, enter the new one under Replace credentials below."
	case hasSecret:
		return "Copy the signing secret again from Shopify Admin → Settings → Notifications → Webhooks (it is shown below the list of webhooks) and save it below."
	}
	return "Save the signing secret shown in Shopify Admin → Settings → Notifications → Webhooks below."
}

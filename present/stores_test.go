package present

import (
	"strings"
	"testing"
	"time"

	"shopcard/domain"
	"shopcard/views"
)

// TestWebhooksSayOnlyWhatIsProved: a store's webhooks are "Active" only
// after a verified delivery, "Failing: signature mismatch" after a
// refusal since, waiting in between; skipped topics are said once per
// scope, and subscribing is offered only while it could help.
func TestWebhooksSayOnlyWhatIsProved(t *testing.T) {
	custom := domain.Store{Domain: "a.myshopify.com", TokenKind: domain.TokenCustomApp}
	oauth := domain.Store{Domain: "a.myshopify.com", TokenKind: domain.TokenOAuth}
	devdash := domain.Store{Domain: "a.myshopify.com", TokenKind: domain.TokenClientCredentials}
	verified := func(s domain.Store) domain.Store { s.WebhookVerifiedAt = now.Add(-3 * time.Minute); return s }
	refused := func(s domain.Store) domain.Store { s.WebhookRefusedSince = now.Add(-2 * time.Hour); return s }
	active := func(topics ...string) []domain.WebhookSubscription {
		var out []domain.WebhookSubscription
		for _, t := range topics {
			out = append(out, domain.WebhookSubscription{Topic: t, Status: domain.WebhookActive})
		}
		return out
	}
	skipped := []domain.WebhookSubscription{
		{Topic: "fulfillments/create", Status: domain.WebhookSkipped, LastError: "x"},
		{Topic: "fulfillments/update", Status: domain.WebhookSkipped, LastError: "x"},
	}
	failed := []domain.WebhookSubscription{{Topic: "orders/create", Status: domain.WebhookFailed, LastError: "Shopify refused the orders/create subscription: it needs the read_orders scope"}}
	tests := []struct {
		name           string
		store          domain.Store
		hasSecret      bool
		subs           []domain.WebhookSubscription
		badge          string
		detail         string
		offerSubscribe bool
		notes          int
	}{
		{"a custom app without a secret", custom, false, nil, "Not set up", "create webhooks in Shopify Admin", false, 0},
		{"a saved secret, nothing verified yet", custom, true, nil, "Waiting for the first signed delivery", "trusted once a delivery verifies", false, 0},
		{"a saved secret that verified", verified(custom), true, nil, "Active", "The last delivery verified 3 minutes ago", false, 0},
		{"a saved secret refused since", refused(custom), true, nil, "Failing: signature mismatch", "Since 25 Nov 2026, 10:00 UTC (2 hours ago)", false, 0},
		{"refused with no secret at all", refused(custom), false, nil, "Failing: signature mismatch", "Save the signing secret", false, 0},
		{"an OAuth store not subscribed", oauth, false, nil, "Not subscribed", "Subscribe to have them show at once", true, 0},
		{"an OAuth store subscribed, before any delivery", oauth, false, active("customers/update", "orders/create"), "Waiting for the first signed delivery", "Subscribed to 2 topics", false, 0},
		{"an OAuth store whose deliveries verify", verified(oauth), false, active("customers/update"), "Active", "(1 topics)", false, 0},
		{"a Dev Dashboard store with topics skipped", verified(devdash), false, append(active("customers/update"), skipped...), "Active", "at once", false, 1},
		{"a refused subscription", devdash, false, append(active("customers/update"), failed...), "Failing", "Shopify refused 1 of 2 subscriptions", true, 0},
		{"a Dev Dashboard store refused since", refused(verified(devdash)), false, active("customers/update"), "Failing: signature mismatch", "Replace credentials", false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			row := Webhooks(views.StoreRow{}, tt.store, tt.hasSecret, tt.subs, time.Minute, "https://shopcard.example.com", now)
			if row.Webhooks.Label != tt.badge || !strings.Contains(row.WebhooksDetail, tt.detail) {
				t.Errorf("%q: %q, want %q: …%s…", row.Webhooks.Label, row.WebhooksDetail, tt.badge, tt.detail)
			}
			if row.OfferSubscribe != tt.offerSubscribe {
				t.Errorf("offer subscribing = %v, want %v", row.OfferSubscribe, tt.offerSubscribe)
			}
			if len(row.WebhookNotes) != tt.notes {
				t.Errorf("notes %q, want %d", row.WebhookNotes, tt.notes)
			}
			if tt.notes > 0 && !strings.Contains(row.WebhookNotes[0], "fulfillments/create and fulfillments/update: they need read_fulfillments") {
				t.Errorf("note %q", row.WebhookNotes[0])
			}
		})
	}
}

// TestStoreRowFromTheLatestResult: the badge follows the last call, the
// error carries its time, and the advice says what to do on the stores
// page for the way the store was connected.
func TestStoreRowFromTheLatestResult(t *testing.T) {
	failedAt := now.Add(-4 * time.Minute)
	tests := []struct {
		name   string
		store  domain.Store
		badge  string
		advice string
		kind   string
	}{
		{"healthy", domain.Store{Status: domain.StoreHealthy}, "Healthy", "", "Custom app token (doesn't expire)"},
		{"healthy, but the last call failed", domain.Store{Status: domain.StoreHealthy, LastError: "Shopify is having trouble (HTTP 503).", LastErrorAt: failedAt}, "Last call failed", "Test connection", ""},
		{"a custom app's token refused", domain.Store{Status: domain.StoreNeedsReconnect, LastError: "401", LastErrorAt: failedAt}, "Needs reconnect", "Replace the token below", ""},
		{"an OAuth store refused", domain.Store{Status: domain.StoreNeedsReconnect, TokenKind: domain.TokenOAuth, LastError: "401"}, "Needs reconnect", "Connect the store with Shopify again below", "Shopify OAuth, renewed automatically"},
		{"a Dev Dashboard app refused", domain.Store{Status: domain.StoreNeedsReconnect, TokenKind: domain.TokenClientCredentials, LastError: "invalid_client"}, "Needs reconnect", "under Replace credentials below", "Dev Dashboard app, renewed automatically"},
		{"frozen", domain.Store{Status: domain.StoreFrozen, LastError: "402"}, "Shop frozen", "settles the shop with Shopify", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			row := StoreRow(tt.store, now, time.Minute)
			if row.Status.Label != tt.badge || !strings.Contains(row.Advice, tt.advice) || (tt.advice == "" && row.Advice != "") {
				t.Errorf("badge %q, advice %q; want %q, %q", row.Status.Label, row.Advice, tt.badge, tt.advice)
			}
			if tt.kind != "" && row.TokenKind != tt.kind {
				t.Errorf("kind %q, want %q", row.TokenKind, tt.kind)
			}
			if !tt.store.LastErrorAt.IsZero() && row.LastErrorAt.Relative != "4 minutes ago" {
				t.Errorf("the error's time %q", row.LastErrorAt.Relative)
			}
		})
	}
	dd := StoreRow(domain.Store{TokenKind: domain.TokenClientCredentials, AccessTokenExpiresAt: now.Add(23 * time.Hour), TokenRenewedAt: now.Add(-time.Hour)}, now, time.Minute)
	if !strings.Contains(dd.TokenExpiry, "expires in 23 hours") || dd.TokenRenewed != "Last renewed 1 hour ago." {
		t.Errorf("expiry %q, renewal %q", dd.TokenExpiry, dd.TokenRenewed)
	}
}

package domain

import "time"

// WebhookSubscription is one Shopify webhook subscription shopcard asked a
// store for, and how that went: the admin stores page shows whether a
// store's subscriptions are active.
type WebhookSubscription struct {
	StoreID   int64
	Topic     string // as in X-Shopify-Topic, e.g. "customers/update"
	URI       string // where Shopify delivers
	ShopifyID string // gid://shopify/WebhookSubscription/...; "" unless active
	Status    WebhookSubscriptionStatus
	LastError string // plain words, safe to show an admin; "" when active
	UpdatedAt time.Time
}

// WebhookSubscriptionStatus says whether Shopify accepted a subscription.
type WebhookSubscriptionStatus string

// The states of a subscription.
const (
	WebhookActive WebhookSubscriptionStatus = "active"
	WebhookFailed WebhookSubscriptionStatus = "failed"
	// WebhookSkipped is a topic shopcard did not ask for, because the
	// store's app lacks the scope it needs; LastError says which.
	WebhookSkipped WebhookSubscriptionStatus = "skipped"
)

// WebhookKey is a key that may sign a shop's webhooks, and the store
// connection it authenticates them for.
type WebhookKey struct {
	StoreID int64
	Secret  Secret
}

// WebhookClaim is a webhook delivery recorded before it is acted on, so
// that a redelivery or a replay of it is recognized.
type WebhookClaim struct {
	WebhookID  string // X-Shopify-Webhook-Id, or one made from the body hash
	ShopDomain string
	Topic      string
	// BodyHash is the SHA-256 of topic, shop and body, in hex.
	BodyHash string
	// ByBody: a claim with the same BodyHash at or after Since makes this
	// one a duplicate too.
	ByBody bool
	At     time.Time
	Since  time.Time
}

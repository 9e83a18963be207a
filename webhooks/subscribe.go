package webhooks

import (
	"context"
	"fmt"
	"strings"

	"shopcard/domain"
	"shopcard/shopify"
)

// SubscriptionCreator asks Shopify for a subscription; *shopify.Client
// implements it.
type SubscriptionCreator interface {
	CreateWebhookSubscription(ctx context.Context, store domain.Store, topic, uri string) (string, error)
}

// SubscriptionRecorder saves how each subscription went, for the admin
// stores page; *sqlite.DB implements it.
type SubscriptionRecorder interface {
	RecordWebhookSubscription(ctx context.Context, s domain.WebhookSubscription) error
}

// Subscribe asks a store to deliver every topic in SubscribedTopics that
// its scopes allow to publicURL + Path, and records each topic's outcome:
// active, failed with Shopify's reason, or skipped for want of a scope
// (Shopify would refuse it; the stores page says what that costs). The
// store's token must be fresh (tokenrefresh.Keeper). Call it once a store
// is connected through an app (OAuth, a Dev Dashboard app); asking again
// is harmless. It fails only when nothing could be recorded, or when
// publicURL is not set; a topic Shopify refuses is a recorded failure and
// the error lists them.
func Subscribe(ctx context.Context, creator SubscriptionCreator, rec SubscriptionRecorder, store domain.Store, publicURL string) ([]domain.WebhookSubscription, error) {
	if publicURL == "" {
		return nil, domain.Errorf(domain.KindInvalid, "Set SHOPCARD_PUBLIC_URL to the https address Shopify can reach shopcard at, so it can deliver webhooks.")
	}
	uri := strings.TrimRight(publicURL, "/") + Path
	var out []domain.WebhookSubscription
	var failed []string
	for _, topic := range SubscribedTopics {
		sub := domain.WebhookSubscription{StoreID: store.ID, Topic: topic, URI: uri, Status: domain.WebhookActive}
		if scope := TopicScope(topic); scope != "" && !shopify.HasScope(store.Scopes, scope) {
			sub.Status = domain.WebhookSkipped
			sub.LastError = "Not asked for: it needs " + scope + ", which this store's app wasn't granted."
		} else {
			id, err := creator.CreateWebhookSubscription(ctx, store, topic, uri)
			if err != nil {
				sub.Status = domain.WebhookFailed
				sub.LastError = domain.MessageOf(err)
				if sub.LastError == "" {
					sub.LastError = "Shopify could not be asked for this subscription."
				}
				failed = append(failed, topic)
			}
			sub.ShopifyID = id
		}
		if rerr := rec.RecordWebhookSubscription(ctx, sub); rerr != nil {
			return out, fmt.Errorf("record %s subscription of %s: %w", topic, store.Domain, rerr)
		}
		out = append(out, sub)
		if ctx.Err() != nil {
			return out, ctx.Err()
		}
	}
	if len(failed) > 0 {
		return out, domain.Errorf(domain.KindInvalid, "Shopify refused the webhook subscriptions for %s; each one's error says why.", strings.Join(failed, ", "))
	}
	return out, nil
}

package shopify

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"shopcard/domain"
)

// TopicEnum turns a webhook topic as Shopify names it in X-Shopify-Topic
// ("orders/partially_fulfilled") into its WebhookSubscriptionTopic value
// ("ORDERS_PARTIALLY_FULFILLED").
func TopicEnum(topic string) WebhookSubscriptionTopic {
	return WebhookSubscriptionTopic(strings.ToUpper(strings.Replace(topic, "/", "_", 1)))
}

// alreadySubscribed is how Shopify words a subscription that exists.
const alreadySubscribed = "already been taken"

// CreateWebhookSubscription asks a store to deliver a topic's webhooks to
// uri, as JSON, and returns the subscription's ID. A subscription that
// already exists for that topic and address counts as created, with an
// empty ID. A scope the app lacks (ACCESS_DENIED) is a KindShopifyForbidden
// error naming the scope; other refusals (a bad address) are KindInvalid
// errors naming Shopify's reasons.
func (c *Client) CreateWebhookSubscription(ctx context.Context, store domain.Store, topic, uri string) (string, error) {
	call := &shopCall{c: c, shop: store.Domain, token: store.AccessToken}
	resp, err := WebhookSubscriptionCreate(ctx, call, TopicEnum(topic), uri)
	var denied *PartialError
	if errors.As(err, &denied) {
		if len(denied.Scopes) == 0 {
			return "", domain.Wrap(domain.KindShopifyForbidden, err, fmt.Sprintf("Shopify refused the %s subscription: the app lacks a scope it needs. Check the app's scopes in Shopify, then subscribe again.", topic))
		}
		scope := denied.Scopes[0]
		return "", domain.Wrap(domain.KindShopifyForbidden, err, fmt.Sprintf("Shopify refused the %s subscription: it needs the %s scope, which the app wasn't granted. Grant %s to the app, then subscribe again.", topic, scope, scope))
	}
	if err != nil {
		return "", fmt.Errorf("subscribe %s to %s: %w", store.Domain, topic, err)
	}
	payload := resp.WebhookSubscriptionCreate
	if payload == nil {
		return "", domain.Errorf(domain.KindShopifyUnavailable, "Shopify answered the %s subscription with nothing.", topic)
	}
	var reasons []string
	for _, e := range payload.UserErrors {
		if strings.Contains(e.Message, alreadySubscribed) {
			return "", nil
		}
		reasons = append(reasons, e.Message)
	}
	if len(reasons) > 0 || payload.WebhookSubscription == nil {
		return "", domain.Errorf(domain.KindInvalid, "Shopify refused the %s subscription: %s", topic, strings.Join(reasons, "; "))
	}
	return payload.WebhookSubscription.Id, nil
}

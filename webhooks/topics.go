package webhooks

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"slices"
	"strconv"
	"strings"

	"shopcard/cache"
	"shopcard/domain"
	"shopcard/shopify"
)

// The topics that change what the sidebar shows of a customer: each evicts
// that customer's cached answers in the store, so the next load asks
// Shopify.
var customerTopics = []string{
	"customers/create", "customers/update", "customers/delete",
	"orders/create", "orders/updated", "orders/cancelled", "orders/fulfilled", "orders/partially_fulfilled", "orders/edited",
	"fulfillments/create", "fulfillments/update",
	"refunds/create",
}

// The app's own topics.
const (
	topicUninstalled  = "app/uninstalled"
	topicScopesUpdate = "app/scopes_update"
)

// The compliance topics every public app must handle. Shopify sends them
// to the URL in the app's configuration; they cannot be subscribed to.
const (
	topicDataRequest    = "customers/data_request"
	topicCustomerRedact = "customers/redact"
	topicShopRedact     = "shop/redact"
)

// SubscribedTopics are the topics Subscribe asks a store for, those its
// scopes allow.
var SubscribedTopics = append(slices.Clone(customerTopics), topicUninstalled, topicScopesUpdate)

// TopicScope is the scope a subscription to a topic needs, as the real
// schema documents each WebhookSubscriptionTopic: read_customers for
// customers/*, read_orders for orders/* and refunds/*, read_fulfillments
// for fulfillments/* (read_orders does not stand in for it), none for the
// app's own topics.
func TopicScope(topic string) string {
	family, _, _ := strings.Cut(topic, "/")
	switch family {
	case "customers":
		return shopify.ScopeCustomers
	case "orders", "refunds":
		return shopify.ScopeOrders
	case "fulfillments":
		return shopify.ScopeFulfillments
	}
	return ""
}

// topicLabel is a topic as metrics label it: one of the topics shopcard
// knows, or "other", so that forged requests cannot grow the label set.
func topicLabel(topic string) string {
	switch {
	case slices.Contains(SubscribedTopics, topic),
		topic == topicDataRequest, topic == topicCustomerRedact, topic == topicShopRedact:
		return topic
	}
	return "other"
}

// id is a Shopify ID in a webhook payload: a JSON number, or a string of
// digits from a proxy that keeps big numbers safe.
type id uint64

func (i *id) UnmarshalJSON(b []byte) error {
	b = bytes.Trim(bytes.TrimSpace(b), `"`)
	if string(b) == "null" || len(b) == 0 {
		return nil
	}
	n, err := strconv.ParseUint(string(b), 10, 64)
	*i = id(n)
	return err
}

// payload holds what shopcard reads from any topic's JSON: which customer
// and which orders it is about. Topics fill different parts of it.
type payload struct {
	ID           id     `json:"id"`
	Email        string `json:"email"`
	ContactEmail string `json:"contact_email"`
	OrderID      id     `json:"order_id"`
	Customer     *struct {
		ID    id     `json:"id"`
		Email string `json:"email"`
	} `json:"customer"`
	OrderEdit *struct {
		OrderID id `json:"order_id"`
	} `json:"order_edit"`
	OrdersToRedact []id      `json:"orders_to_redact"`
	Current        *[]string `json:"current"`
	DataRequest    *struct {
		ID id `json:"id"`
	} `json:"data_request"`
}

// act does what a verified delivery's topic asks. Evictions of cached
// answers, which only make the next load ask Shopify, reach the shop's
// connections in every workspace; changes to connections (disconnecting,
// scopes, deletion) only those the signature speaks for.
func (r *Receiver) act(ctx context.Context, d Delivery, auth authenticated) (Outcome, error) {
	var p payload
	if err := json.Unmarshal(d.Body, &p); err != nil {
		return Invalid, nil
	}
	switch {
	case slices.Contains(customerTopics, d.Topic):
		return r.evict(ctx, d, p)
	case d.Topic == topicUninstalled:
		ids, err := r.authenticatedStores(ctx, d.ShopDomain, auth)
		if err != nil || len(ids) == 0 {
			return processedIf(false), err
		}
		if err := r.store.DisconnectStores(ctx, ids, "The app was uninstalled from this shop in Shopify, so its token no longer works. Reconnect the store to show its customers again."); err != nil {
			return Failed, err
		}
		for _, id := range ids {
			r.cache.PurgeStore(id)
		}
		return Processed, nil
	case d.Topic == topicScopesUpdate:
		if p.Current == nil {
			return Invalid, nil
		}
		ids, err := r.authenticatedStores(ctx, d.ShopDomain, auth)
		if err != nil || len(ids) == 0 {
			return processedIf(false), err
		}
		if err := r.store.UpdateStoreScopes(ctx, ids, *p.Current); err != nil {
			return Failed, err
		}
		return Processed, nil
	case d.Topic == topicDataRequest:
		// shopcard keeps no customer data but a short-lived in-memory copy
		// of what Shopify returns, so there is nothing to hand over; the
		// merchant answers the request from Shopify itself.
		attrs := []any{slog.String("shop", d.ShopDomain)}
		if p.DataRequest != nil {
			attrs = append(attrs, slog.Uint64("data_request_id", uint64(p.DataRequest.ID)))
		}
		r.logger.Info("customers/data_request acknowledged: shopcard stores no customer data beyond its short-lived in-memory cache", attrs...)
		return Processed, nil
	case d.Topic == topicCustomerRedact:
		m := match(p)
		for _, o := range p.OrdersToRedact {
			m.OrderIDs = append(m.OrderIDs, uint64(o))
		}
		stores, err := r.storeIDs(ctx, d.ShopDomain)
		if err != nil {
			return Failed, err
		}
		r.cache.PurgeMatching(stores, m)
		return Processed, nil
	case d.Topic == topicShopRedact:
		ids, err := r.authenticatedStores(ctx, d.ShopDomain, auth)
		if err != nil || len(ids) == 0 {
			return processedIf(false), err
		}
		if err := r.store.DeleteStores(ctx, ids); err != nil {
			return Failed, err
		}
		for _, id := range ids {
			r.cache.PurgeStore(id)
		}
		return Processed, nil
	}
	return Ignored, nil
}

// authenticatedStores are the shop's connections a delivery's signature
// speaks for.
func (r *Receiver) authenticatedStores(ctx context.Context, shop string, auth authenticated) ([]int64, error) {
	if !auth.all {
		return auth.stores, nil
	}
	// The app's client secret speaks only for the connections made through
	// the app (OAuth), not for custom-app connections of the same shop,
	// which another workspace may own.
	stores, err := r.store.StoresByShop(ctx, shop)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for _, s := range stores {
		if s.TokenKind == domain.TokenOAuth {
			ids = append(ids, s.ID)
		}
	}
	return ids, nil
}

func processedIf(b bool) Outcome {
	if b {
		return Processed
	}
	return Ignored
}

// evict drops the cached answers about the customer and orders a payload
// names, in every workspace the shop is connected to.
func (r *Receiver) evict(ctx context.Context, d Delivery, p payload) (Outcome, error) {
	stores, err := r.storeIDs(ctx, d.ShopDomain)
	if err != nil {
		return Failed, err
	}
	if len(stores) == 0 {
		return Ignored, nil
	}
	m := match(p)
	switch {
	case d.Topic == "customers/create" || d.Topic == "customers/update" || d.Topic == "customers/delete":
		m.CustomerIDs = append(m.CustomerIDs, uint64(p.ID))
	case d.Topic == "fulfillments/create" || d.Topic == "fulfillments/update" || d.Topic == "refunds/create":
		m.OrderIDs = append(m.OrderIDs, uint64(p.OrderID))
	case d.Topic == "orders/edited":
		if p.OrderEdit != nil {
			m.OrderIDs = append(m.OrderIDs, uint64(p.OrderEdit.OrderID))
		}
	default: // orders/*
		m.OrderIDs = append(m.OrderIDs, uint64(p.ID))
	}
	r.cache.EvictMatching(stores, m)
	return Processed, nil
}

// match selects the answers about the customer a payload names: by their
// emails, as the sidebar looked them up, and by their ID.
func match(p payload) cache.Match {
	var m cache.Match
	emails := []string{p.Email, p.ContactEmail}
	if p.Customer != nil {
		emails = append(emails, p.Customer.Email)
		if p.Customer.ID != 0 {
			m.CustomerIDs = append(m.CustomerIDs, uint64(p.Customer.ID))
		}
	}
	for _, e := range emails {
		if n, err := domain.NormalizeEmail(e); err == nil && !slices.Contains(m.Emails, n) {
			m.Emails = append(m.Emails, n)
		}
	}
	return m
}

func (r *Receiver) storeIDs(ctx context.Context, shop string) ([]int64, error) {
	stores, err := r.store.StoresByShop(ctx, shop)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(stores))
	for i, s := range stores {
		ids[i] = s.ID
	}
	return ids, nil
}

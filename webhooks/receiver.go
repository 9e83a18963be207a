// Package webhooks receives Shopify's webhooks: it verifies each delivery's
// signature, ignores redeliveries, and acts on the topic (evicting the
// customer's cached answers at once, disconnecting an uninstalled store,
// honouring redaction requests). It also subscribes stores to the topics it
// acts on. The HTTP side lives in handlers; this package sees a delivery as
// headers and a body.
package webhooks

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"log/slog"
	"time"

	"shopcard/cache"
	"shopcard/domain"
	"shopcard/shopify"
)

// Path is where Shopify delivers webhooks, under SHOPCARD_PUBLIC_URL.
const Path = "/webhooks/shopify"

// MaxBodyBytes bounds a delivery's body. Shopify's largest payloads (an
// order with hundreds of line items) stay well under it.
const MaxBodyBytes = 4 << 20

// Delivery is one webhook as Shopify sent it. Everything in it is
// untrusted until Receive has checked the signature.
type Delivery struct {
	Topic      string // X-Shopify-Topic
	ShopDomain string // X-Shopify-Shop-Domain
	WebhookID  string // X-Shopify-Webhook-Id
	HMAC       string // X-Shopify-Hmac-Sha256
	Body       []byte
}

// Outcome is what became of a delivery; metrics count them by it.
type Outcome string

// The outcomes of a delivery.
const (
	Processed    Outcome = "processed"    // acted on
	Duplicate    Outcome = "duplicate"    // already handled: acknowledged, ignored
	Unauthorized Outcome = "unauthorized" // bad or missing signature: nothing done
	Ignored      Outcome = "ignored"      // genuine, but nothing to do (a topic or shop we don't act on)
	Invalid      Outcome = "invalid"      // genuine, but its payload could not be read
	Failed       Outcome = "error"        // acting on it failed; Shopify should retry
)

// Store is the persistence the receiver needs; *sqlite.DB implements it.
type Store interface {
	WebhookKeysForShop(ctx context.Context, shopDomain string) ([]domain.WebhookKey, error)
	StoresByShop(ctx context.Context, shopDomain string) ([]domain.Store, error)
	DisconnectStores(ctx context.Context, storeIDs []int64, message string) error
	UpdateStoreScopes(ctx context.Context, storeIDs []int64, scopes []string) error
	DeleteStores(ctx context.Context, storeIDs []int64) error
	// RecordWebhookVerified and RecordWebhookRefused keep what the stores
	// page says about a store's webhooks: whether they verify.
	RecordWebhookVerified(ctx context.Context, storeIDs []int64, at time.Time) error
	RecordWebhookRefused(ctx context.Context, shopDomain string, at time.Time) (int, error)
	// ClaimWebhookDelivery records a delivery before it is acted on, and
	// reports false when it was claimed before: the same webhook ID, or,
	// when byBody, the same body hash within ReplayWindow.
	ClaimWebhookDelivery(ctx context.Context, c domain.WebhookClaim) (bool, error)
	// ReleaseWebhookDelivery forgets a claim whose action failed, so that
	// Shopify's retry is acted on.
	ReleaseWebhookDelivery(ctx context.Context, webhookID string) error
}

// ReplayWindow is how long a delivery's body is remembered: within it, the
// same topic, shop and body again is a duplicate, whatever its
// X-Shopify-Webhook-Id (which the signature does not cover). Shopify
// retries a failed delivery for 48 hours, under its first ID.
const ReplayWindow = 7 * 24 * time.Hour

// Cache is the cached lookup the receiver evicts from; *cache.Lookup
// implements it.
type Cache interface {
	EvictMatching(storeIDs []int64, m cache.Match) int
	PurgeMatching(storeIDs []int64, m cache.Match) int
	PurgeStore(storeID int64) int
}

// Recorder counts deliveries, for metrics.
type Recorder interface {
	WebhookDelivery(topic, outcome string)
}

// Receiver handles deliveries.
type Receiver struct {
	store     Store
	cache     Cache
	appSecret domain.Secret
	rec       Recorder
	logger    *slog.Logger
	now       func() time.Time
	// refused keeps, in memory, the last delivery each connected shop
	// sent that no key verified, to prove a newly saved secret against.
	refused *refusedDeliveries
}

// Options configures a Receiver.
type Options struct {
	Store Store
	Cache Cache
	// AppSecret is the Shopify app's client secret, which signs the
	// webhooks of stores connected through the app by OAuth; zero when
	// there is no app. Stores connected with a custom app's token have
	// their own signing secret, which Store holds.
	AppSecret domain.Secret
	Recorder  Recorder
	Logger    *slog.Logger
	Now       func() time.Time
}

// NewReceiver returns a Receiver.
func NewReceiver(o Options) *Receiver {
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Receiver{store: o.Store, cache: o.Cache, appSecret: o.AppSecret, rec: o.Recorder, logger: o.Logger, now: o.Now, refused: newRefusedDeliveries()}
}

// Receive verifies a delivery and acts on it. Only Failed comes with an
// error, and only for Failed should Shopify be told to try again.
func (r *Receiver) Receive(ctx context.Context, d Delivery) (Outcome, error) {
	outcome, err := r.receive(ctx, d)
	label := topicLabel(d.Topic)
	if r.rec != nil {
		r.rec.WebhookDelivery(label, string(outcome))
	}
	attrs := []slog.Attr{slog.String("topic", label), slog.String("outcome", string(outcome))}
	if outcome != Unauthorized {
		// Only a verified delivery's shop and ID are worth a log line.
		attrs = append(attrs, slog.String("shop", d.ShopDomain), slog.String("webhook_id", d.WebhookID))
	}
	level := slog.LevelInfo
	switch outcome {
	case Unauthorized, Invalid:
		level = slog.LevelWarn
	case Failed:
		level = slog.LevelError
		attrs = append(attrs, slog.String("error", err.Error()))
	}
	r.logger.LogAttrs(ctx, level, "shopify webhook", attrs...)
	return outcome, err
}

func (r *Receiver) receive(ctx context.Context, d Delivery) (Outcome, error) {
	if !shopify.ValidShopDomain(d.ShopDomain) || d.HMAC == "" {
		return Unauthorized, nil
	}
	auth, err := r.authenticate(ctx, d)
	if err != nil {
		return Failed, err
	}
	if !auth.ok {
		r.recordRefused(ctx, d)
		return Unauthorized, nil
	}
	r.recordVerified(ctx, d.ShopDomain, auth)
	// The signature covers the body, not the topic or shop headers: the
	// body must be what its topic says.
	if err := checkShape(d.Topic, d.ShopDomain, d.Body); err != nil {
		r.logger.Warn("shopify webhook payload does not match its topic", slog.String("topic", topicLabel(d.Topic)), slog.String("shop", d.ShopDomain), slog.String("why", err.Error()))
		return Invalid, nil
	}
	claim := domain.WebhookClaim{
		WebhookID: d.WebhookID, ShopDomain: d.ShopDomain, Topic: d.Topic, BodyHash: bodyHash(d),
		ByBody: dedupeByBody(d.Topic), At: r.now(), Since: r.now().Add(-ReplayWindow),
	}
	if claim.WebhookID == "" {
		claim.WebhookID = "body:" + claim.BodyHash
	}
	claimed, err := r.store.ClaimWebhookDelivery(ctx, claim)
	if err != nil {
		return Failed, err
	}
	if !claimed {
		return Duplicate, nil
	}
	outcome, err := r.act(ctx, d, auth)
	if err != nil {
		if rerr := r.store.ReleaseWebhookDelivery(context.WithoutCancel(ctx), claim.WebhookID); rerr != nil {
			r.logger.Warn("release webhook delivery", slog.String("error", rerr.Error()))
		}
		return Failed, err
	}
	return outcome, nil
}

// bodyHash names a delivery by what its signature covers (the body) and
// the headers it is acted on by (topic and shop).
func bodyHash(d Delivery) string {
	h := sha256.New()
	h.Write([]byte(d.Topic))
	h.Write([]byte{0})
	h.Write([]byte(d.ShopDomain))
	h.Write([]byte{0})
	h.Write(d.Body)
	return hex.EncodeToString(h.Sum(nil))
}

// dedupeByBody says whether the same body again is a replay for a topic.
// Shopify's payloads carry the resource's updated_at (or a request's own
// ID), so two real events do not share a body; a replayed app/uninstalled
// or shop/redact, resent after the store was connected again, would
// disconnect or delete it. A customer redaction is acted on every time:
// purging is harmless to repeat, and the law asks for it.
func dedupeByBody(topic string) bool { return topic != topicCustomerRedact }

// authenticated says which of a shop's connections a delivery's signature
// speaks for.
type authenticated struct {
	ok bool
	// all: signed with the app's client secret, so it speaks for every
	// connection of the shop. Otherwise only for stores, whose own
	// signing secret signed it.
	all    bool
	stores []int64
}

// authenticate checks the signature against the app's client secret and
// each connection's own signing secret. Every key is tried, each in
// constant time, so the time taken says nothing about which one matched.
func (r *Receiver) authenticate(ctx context.Context, d Delivery) (authenticated, error) {
	keys, err := r.store.WebhookKeysForShop(ctx, d.ShopDomain)
	if err != nil {
		return authenticated{}, err
	}
	var a authenticated
	for _, k := range keys {
		if Verify(d.Body, d.HMAC, []domain.Secret{k.Secret}) {
			a.ok = true
			a.stores = append(a.stores, k.StoreID)
		}
	}
	if Verify(d.Body, d.HMAC, []domain.Secret{r.appSecret}) {
		a.ok, a.all = true, true
	}
	return a, nil
}

// Verify reports whether signature, the base64 X-Shopify-Hmac-Sha256
// header, is the HMAC-SHA256 of body under one of keys. Every comparison
// takes constant time.
func Verify(body []byte, signature string, keys []domain.Secret) bool {
	want, err := base64.StdEncoding.DecodeString(signature)
	if err != nil || len(want) != sha256.Size {
		return false
	}
	ok := false
	for _, k := range keys {
		if k.IsZero() {
			continue
		}
		mac := hmac.New(sha256.New, []byte(k.Reveal()))
		mac.Write(body)
		if hmac.Equal(mac.Sum(nil), want) {
			ok = true
		}
	}
	return ok
}

// Sign is the X-Shopify-Hmac-Sha256 of body under key, for tests and for
// anyone checking an integration by hand.
func Sign(body []byte, key domain.Secret) string {
	mac := hmac.New(sha256.New, []byte(key.Reveal()))
	mac.Write(body)
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

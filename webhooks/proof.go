package webhooks

import (
	"context"
	"log/slog"
	"slices"
	"sync"
	"time"

	"shopcard/domain"
)

// What shopcard knows about whether a store's webhooks verify: the stores
// page calls them "Active" only after a delivery verified, "Failing:
// signature mismatch" after refusals, and proves a newly saved secret
// against the last delivery that was refused, when it still holds it.

// The bounds of the refused deliveries kept in memory. They are never
// written anywhere: a delivery's body holds customer data, and shopcard
// keeps that only in memory, briefly. Shopify retries a failed delivery
// for hours, so a day-old refusal is no longer the current secret's
// concern.
const (
	refusedMaxAge   = 24 * time.Hour
	refusedMaxBody  = 512 << 10
	refusedMaxBytes = 8 << 20
)

// refusedDelivery is a delivery no key verified.
type refusedDelivery struct {
	body  []byte
	hmac  string
	topic string
	at    time.Time
}

// refusedDeliveries holds the last refused delivery of each connected
// shop, within refusedMaxBytes: the oldest go first.
type refusedDeliveries struct {
	mu     sync.Mutex
	byShop map[string]refusedDelivery
	bytes  int
}

func newRefusedDeliveries() *refusedDeliveries {
	return &refusedDeliveries{byShop: map[string]refusedDelivery{}}
}

func (k *refusedDeliveries) keep(shop string, d refusedDelivery) {
	if len(d.body) > refusedMaxBody {
		return
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if old, ok := k.byShop[shop]; ok {
		k.bytes -= len(old.body)
	}
	k.byShop[shop] = d
	k.bytes += len(d.body)
	for k.bytes > refusedMaxBytes {
		oldest := ""
		for s, r := range k.byShop {
			if oldest == "" || r.at.Before(k.byShop[oldest].at) {
				oldest = s
			}
		}
		k.bytes -= len(k.byShop[oldest].body)
		delete(k.byShop, oldest)
	}
}

func (k *refusedDeliveries) last(shop string, now time.Time) (refusedDelivery, bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	d, ok := k.byShop[shop]
	if ok && now.Sub(d.at) > refusedMaxAge {
		k.bytes -= len(d.body)
		delete(k.byShop, shop)
		return refusedDelivery{}, false
	}
	return d, ok
}

// Proof is what checking a webhook signing secret against the last
// refused delivery found.
type Proof struct {
	// Checked: a refused delivery was at hand to check against; At and
	// Topic say which.
	Checked bool
	// Verified: the secret verifies it, so it is the key Shopify signs
	// with.
	Verified bool
	At       time.Time
	Topic    string
}

// ProveSecret checks a webhook signing secret, before it is trusted,
// against the last delivery of the shop that no key verified, if one
// arrived in the last day: a secret that verifies it is the one Shopify
// signs with. Without such a delivery there is nothing to check yet, and
// the store waits for the first signed delivery.
func (r *Receiver) ProveSecret(shop string, secret domain.Secret) Proof {
	d, ok := r.refused.last(shop, r.now())
	if !ok {
		return Proof{}
	}
	return Proof{Checked: true, Verified: Verify(d.body, d.hmac, []domain.Secret{secret}), At: d.at, Topic: topicLabel(d.topic)}
}

// recordRefused notes a delivery whose signature no key verifies against
// the shop's connections, and keeps it in memory to prove a secret saved
// later, when the shop has any connection.
func (r *Receiver) recordRefused(ctx context.Context, d Delivery) {
	now := r.now()
	n, err := r.store.RecordWebhookRefused(ctx, d.ShopDomain, now)
	if err != nil {
		r.logger.Warn("record a refused webhook", slog.String("error", err.Error()))
	}
	if n > 0 {
		r.refused.keep(d.ShopDomain, refusedDelivery{body: slices.Clone(d.Body), hmac: d.HMAC, topic: d.Topic, at: now})
	}
}

// recordVerified notes that a delivery verified for the connections its
// signature speaks for: those whose own key verified it and, for the
// app's client secret, the shop's OAuth connections.
func (r *Receiver) recordVerified(ctx context.Context, shop string, auth authenticated) {
	ids, err := r.authenticatedStores(ctx, shop, auth)
	for _, id := range auth.stores {
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	if err == nil && len(ids) > 0 {
		err = r.store.RecordWebhookVerified(ctx, ids, r.now())
	}
	if err != nil {
		r.logger.Warn("record a verified webhook", slog.String("error", err.Error()))
	}
}

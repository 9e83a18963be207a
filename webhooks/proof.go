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

// The bounds of the refused deliveries kept. A delivery's body holds
// customer data: one process keeps it only in memory, briefly; replicas
// on PostgreSQL keep it sealed with the database's key, as briefly, so
// that any of them can prove a secret saved through another. Shopify retries a failed delivery
// for hours, so a day-old refusal is no longer the current secret's
// concern.
const (
	refusedMaxAge   = 24 * time.Hour
	refusedMaxBody  = 512 << 10
	refusedMaxBytes = 8 << 20
)

// RefusedDelivery is a delivery no key verified.
type RefusedDelivery = domain.RefusedDelivery

// RefusedDeliveries keeps the last refused delivery of each shop, for a
// day at most, within a byte budget: in this process's memory (the
// default), or, with several replicas, where every replica finds it
// (postgres.RefusedDeliveries, sealed), so that a secret saved through
// any replica is proved against a delivery any replica refused.
type RefusedDeliveries interface {
	KeepRefused(ctx context.Context, shop string, d RefusedDelivery) error
	LastRefused(ctx context.Context, shop string, now time.Time) (RefusedDelivery, bool, error)
}

// RefusedMaxAge, RefusedMaxBody and RefusedMaxBytes bound what a
// RefusedDeliveries keeps.
const (
	RefusedMaxAge   = refusedMaxAge
	RefusedMaxBody  = refusedMaxBody
	RefusedMaxBytes = refusedMaxBytes
)

// refusedDeliveries holds the last refused delivery of each connected
// shop, within refusedMaxBytes: the oldest go first.
type refusedDeliveries struct {
	mu     sync.Mutex
	byShop map[string]RefusedDelivery
	bytes  int
}

func newRefusedDeliveries() *refusedDeliveries {
	return &refusedDeliveries{byShop: map[string]RefusedDelivery{}}
}

// KeepRefused keeps d as shop's last refused delivery.
func (k *refusedDeliveries) KeepRefused(_ context.Context, shop string, d RefusedDelivery) error {
	if len(d.Body) > refusedMaxBody {
		return nil
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if old, ok := k.byShop[shop]; ok {
		k.bytes -= len(old.Body)
	}
	k.byShop[shop] = d
	k.bytes += len(d.Body)
	for k.bytes > refusedMaxBytes {
		oldest := ""
		for s, r := range k.byShop {
			if oldest == "" || r.At.Before(k.byShop[oldest].At) {
				oldest = s
			}
		}
		k.bytes -= len(k.byShop[oldest].Body)
		delete(k.byShop, oldest)
	}
	return nil
}

// LastRefused returns shop's last refused delivery, unless it is older
// than a day.
func (k *refusedDeliveries) LastRefused(_ context.Context, shop string, now time.Time) (RefusedDelivery, bool, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	d, ok := k.byShop[shop]
	if ok && now.Sub(d.At) > refusedMaxAge {
		k.bytes -= len(d.Body)
		delete(k.byShop, shop)
		return RefusedDelivery{}, false, nil
	}
	return d, ok, nil
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
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	d, ok, err := r.refused.LastRefused(ctx, shop, r.now())
	if err != nil {
		// Nothing to check against: the store waits for a signed delivery.
		r.logger.Warn("read the last refused webhook delivery", slog.String("error", err.Error()))
	}
	if !ok {
		return Proof{}
	}
	return Proof{Checked: true, Verified: Verify(d.Body, d.HMAC, []domain.Secret{secret}), At: d.At, Topic: topicLabel(d.Topic)}
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
		if err := r.refused.KeepRefused(ctx, d.ShopDomain, RefusedDelivery{Body: slices.Clone(d.Body), HMAC: d.HMAC, Topic: d.Topic, At: now}); err != nil {
			r.logger.Warn("keep a refused webhook delivery", slog.String("error", err.Error()))
		}
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

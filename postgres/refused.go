package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"shopcard/domain"
)

// RefusedDeliveries keeps the last refused webhook delivery of each shop
// (webhooks.RefusedDeliveries) where every replica finds it, so that a
// signing secret an admin saves through one replica is proved against a
// delivery another refused. A body holds customer data: it is sealed with
// the database's key, kept a day at most, and all bodies together within
// refusedMaxBytes, the oldest going first, as in memory.
type RefusedDeliveries struct{ db *DB }

// NewRefusedDeliveries returns the shared refused deliveries.
func (d *DB) NewRefusedDeliveries() *RefusedDeliveries { return &RefusedDeliveries{db: d} }

// The bounds of what is kept, as webhooks keeps them in memory
// (webhooks.RefusedMaxAge and the others; a test holds them equal).
const (
	refusedMaxAge   = 24 * time.Hour
	refusedMaxBody  = 512 << 10
	refusedMaxBytes = 8 << 20
)

func refusedContext(shop string) string { return "refused_webhook:" + shop + ":body" }

// KeepRefused keeps d as shop's last refused delivery.
func (r *RefusedDeliveries) KeepRefused(ctx context.Context, shop string, d domain.RefusedDelivery) error {
	if len(d.Body) > refusedMaxBody {
		return nil
	}
	sealed, err := r.db.box.Seal(refusedContext(shop), string(d.Body))
	if err != nil {
		return fmt.Errorf("keep a refused delivery: seal: %w", err)
	}
	return r.db.inTx(ctx, "keep a refused delivery of "+shop, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, lockRefused); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO refused_webhook_deliveries (shop_domain, body, hmac, topic, size, refused_at) VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (shop_domain) DO UPDATE SET body = excluded.body, hmac = excluded.hmac, topic = excluded.topic, size = excluded.size, refused_at = excluded.refused_at`,
			shop, sealed, d.HMAC, d.Topic, len(d.Body), d.At.UTC()); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM refused_webhook_deliveries WHERE refused_at < $1`, d.At.Add(-refusedMaxAge).UTC()); err != nil {
			return err
		}
		// The oldest go first while the bodies are over the budget.
		_, err := tx.Exec(ctx, `DELETE FROM refused_webhook_deliveries WHERE shop_domain IN (
			SELECT shop_domain FROM (SELECT shop_domain, sum(size) OVER (ORDER BY refused_at DESC, shop_domain) AS kept FROM refused_webhook_deliveries) k
			WHERE kept > $1)`, refusedMaxBytes)
		return err
	})
}

// LastRefused returns shop's last refused delivery, unless it is older
// than a day.
func (r *RefusedDeliveries) LastRefused(ctx context.Context, shop string, now time.Time) (domain.RefusedDelivery, bool, error) {
	var d domain.RefusedDelivery
	var sealed string
	err := r.db.pool.QueryRow(ctx, `SELECT body, hmac, topic, refused_at FROM refused_webhook_deliveries WHERE shop_domain = $1 AND refused_at >= $2`,
		shop, now.Add(-refusedMaxAge).UTC()).Scan(&sealed, &d.HMAC, &d.Topic, &d.At)
	if errors.Is(err, pgx.ErrNoRows) {
		return domain.RefusedDelivery{}, false, nil
	}
	if err != nil {
		return domain.RefusedDelivery{}, false, fmt.Errorf("read the refused delivery of %s: %w", shop, err)
	}
	body, err := r.db.box.Open(refusedContext(shop), sealed)
	if err != nil {
		return domain.RefusedDelivery{}, false, fmt.Errorf("open the refused delivery of %s: %w", shop, err)
	}
	d.Body, d.At = []byte(body), d.At.UTC()
	return d, true, nil
}

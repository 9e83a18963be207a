package postgres

import (
	"context"
	"fmt"
	"hash/fnv"
	"time"

	"github.com/jackc/pgx/v5"

	"shopcard/domain"
	"shopcard/storage"
)

// SetWebhookSecret saves, sealed, the webhook signing secret of a
// workspace's store; an empty secret removes it. A new secret is not
// trusted yet: what was known about the store's deliveries (verified,
// refused) is forgotten with the old one.
func (d *DB) SetWebhookSecret(ctx context.Context, workspaceID, storeID int64, secret domain.Secret) error {
	if _, err := d.StoreByID(ctx, workspaceID, storeID); err != nil {
		return fmt.Errorf("set webhook secret: %w", err)
	}
	err := d.inTx(ctx, fmt.Sprintf("set webhook secret of store %d", storeID), func(tx pgx.Tx) error {
		if secret.IsZero() {
			if _, err := tx.Exec(ctx, `DELETE FROM store_webhook_secrets WHERE store_id = $1`, storeID); err != nil {
				return fmt.Errorf("remove webhook secret of store %d: %w", storeID, err)
			}
		} else {
			sealed, err := d.box.Seal(storage.WebhookSecretContext(storeID), secret.Reveal())
			if err != nil {
				return fmt.Errorf("set webhook secret of store %d: seal: %w", storeID, err)
			}
			if _, err := tx.Exec(ctx, `INSERT INTO store_webhook_secrets (store_id, secret, updated_at) VALUES ($1, $2, $3)
				ON CONFLICT (store_id) DO UPDATE SET secret = excluded.secret, updated_at = excluded.updated_at`, storeID, sealed, d.now().UTC()); err != nil {
				return fmt.Errorf("set webhook secret of store %d: %w", storeID, err)
			}
		}
		if _, err := tx.Exec(ctx, `UPDATE stores SET webhook_verified_at = NULL, webhook_refused_since = NULL WHERE id = $1`, storeID); err != nil {
			return fmt.Errorf("set webhook secret of store %d: forget its deliveries: %w", storeID, err)
		}
		return nil
	})
	d.changed()
	return err
}

// HasWebhookSecret reports whether a store has a webhook signing secret.
func (d *DB) HasWebhookSecret(ctx context.Context, storeID int64) (bool, error) {
	var has bool
	if err := d.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM store_webhook_secrets WHERE store_id = $1)`, storeID).Scan(&has); err != nil {
		return false, fmt.Errorf("webhook secret of store %d: %w", storeID, err)
	}
	return has, nil
}

// WebhookKeysForShop returns the keys that may sign a shop's webhooks,
// each with the connection it speaks for, in every workspace the shop is
// connected to: custom apps' signing secrets and Dev Dashboard apps'
// client secrets.
func (d *DB) WebhookKeysForShop(ctx context.Context, shopDomain string) ([]domain.WebhookKey, error) {
	rows, err := d.pool.Query(ctx, `SELECT w.store_id, '', 0::bigint, w.secret FROM store_webhook_secrets w JOIN stores s ON s.id = w.store_id
		WHERE s.domain = $1
		UNION ALL
		SELECT id, domain, workspace_id, client_secret FROM stores WHERE domain = $1 AND token_kind = $2 AND client_secret <> ''
		ORDER BY 1`, shopDomain, string(domain.TokenClientCredentials))
	if err != nil {
		return nil, fmt.Errorf("webhook keys of shop %s: %w", shopDomain, err)
	}
	defer rows.Close()
	var out []domain.WebhookKey
	for rows.Next() {
		var id, workspaceID int64
		var clientOf, sealed string // clientOf: the store's domain when the key is a client secret
		if err := rows.Scan(&id, &clientOf, &workspaceID, &sealed); err != nil {
			return nil, fmt.Errorf("webhook keys of shop %s: %w", shopDomain, err)
		}
		keyContext := storage.WebhookSecretContext(id)
		if clientOf != "" {
			keyContext = storage.ClientSecretContext(clientOf, workspaceID)
		}
		secret, err := d.box.Open(keyContext, sealed)
		if err != nil {
			return nil, fmt.Errorf("store %d webhook key: %w", id, err)
		}
		out = append(out, domain.WebhookKey{StoreID: id, Secret: domain.NewSecret(secret)})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("webhook keys of shop %s: %w", shopDomain, err)
	}
	return out, nil
}

// RecordWebhookVerified notes that a delivery verified for these store
// connections at at.
func (d *DB) RecordWebhookVerified(ctx context.Context, storeIDs []int64, at time.Time) error {
	defer d.changed()
	for _, id := range storeIDs {
		if _, err := d.pool.Exec(ctx, `UPDATE stores SET webhook_verified_at = $1, webhook_refused_since = NULL WHERE id = $2`, at.UTC(), id); err != nil {
			return fmt.Errorf("record a verified webhook for store %d: %w", id, err)
		}
	}
	return nil
}

// RecordWebhookRefused notes that a delivery for a shop came with a
// signature no key verifies, on every connection of the shop that has no
// refusal pending, and reports how many connections the shop has. A
// connection with a refusal pending is not written again, so a flood of
// forged deliveries costs reads, not writes.
func (d *DB) RecordWebhookRefused(ctx context.Context, shopDomain string, at time.Time) (int, error) {
	var n, pending int
	if err := d.pool.QueryRow(ctx, `SELECT count(*), count(*) FILTER (WHERE webhook_refused_since IS NULL) FROM stores WHERE domain = $1`, shopDomain).Scan(&n, &pending); err != nil {
		return 0, fmt.Errorf("record a refused webhook for %s: %w", shopDomain, err)
	}
	if n == 0 || pending == 0 {
		return n, nil
	}
	if _, err := d.pool.Exec(ctx, `UPDATE stores SET webhook_refused_since = $1 WHERE domain = $2 AND webhook_refused_since IS NULL`, at.UTC(), shopDomain); err != nil {
		return n, fmt.Errorf("record a refused webhook for %s: %w", shopDomain, err)
	}
	d.changed()
	return n, nil
}

// SetWebhookRefusedSince marks one store's webhooks as refused since at.
func (d *DB) SetWebhookRefusedSince(ctx context.Context, storeID int64, at time.Time) error {
	if _, err := d.pool.Exec(ctx, `UPDATE stores SET webhook_refused_since = $1 WHERE id = $2`, at.UTC(), storeID); err != nil {
		return fmt.Errorf("mark the webhooks of store %d refused: %w", storeID, err)
	}
	d.changed()
	return nil
}

// webhookDeliveryRetention is how long deliveries are remembered, by ID
// and body hash (webhooks.ReplayWindow).
const webhookDeliveryRetention = 7 * 24 * time.Hour

// ClaimWebhookDelivery records a delivery before it is acted on, in one
// transaction with the check that it is new, so that two copies arriving
// at once, at one replica or two, are acted on once. The transaction takes
// an advisory lock on the body's hash first: two deliveries of one body
// under different IDs take turns, and the second sees the first's claim.
// Two of one ID meet at the primary key (INSERT … ON CONFLICT DO
// NOTHING). It reports false, recording nothing, when a delivery with the
// same webhook ID was claimed, or, when c.ByBody, one with the same body
// hash at or after c.Since. Claims older than a week are forgotten.
func (d *DB) ClaimWebhookDelivery(ctx context.Context, c domain.WebhookClaim) (bool, error) {
	what := fmt.Sprintf("claim webhook delivery %q", c.WebhookID)
	claimed := false
	err := d.inTx(ctx, what, func(tx pgx.Tx) error {
		claimed = false
		if c.BodyHash != "" {
			if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1, $2)`, lockSpaceClaim, hash32(c.BodyHash)); err != nil {
				return fmt.Errorf("%s: lock: %w", what, err)
			}
		}
		if c.ByBody && c.BodyHash != "" {
			var seen bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM webhook_deliveries WHERE body_hash = $1 AND received_at >= $2)`,
				c.BodyHash, c.Since.UTC()).Scan(&seen); err != nil {
				return fmt.Errorf("%s: %w", what, err)
			}
			if seen {
				return nil
			}
		}
		tag, err := tx.Exec(ctx, `INSERT INTO webhook_deliveries (webhook_id, shop_domain, topic, received_at, body_hash) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (webhook_id) DO NOTHING`, c.WebhookID, c.ShopDomain, c.Topic, c.At.UTC(), c.BodyHash)
		if err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		if tag.RowsAffected() == 0 {
			return nil
		}
		if _, err := tx.Exec(ctx, `DELETE FROM webhook_deliveries WHERE received_at < $1`, c.At.Add(-webhookDeliveryRetention).UTC()); err != nil {
			return fmt.Errorf("%s: forget old deliveries: %w", what, err)
		}
		claimed = true
		return nil
	})
	return claimed, err
}

// hash32 folds a string into the second key of a two-key advisory lock.
// Two strings that fold alike only take turns needlessly.
func hash32(s string) int32 {
	h := fnv.New32a()
	h.Write([]byte(s))
	return int32(h.Sum32())
}

// ReleaseWebhookDelivery forgets a claimed delivery whose action failed,
// so that Shopify's retry of it is acted on.
func (d *DB) ReleaseWebhookDelivery(ctx context.Context, webhookID string) error {
	if _, err := d.pool.Exec(ctx, `DELETE FROM webhook_deliveries WHERE webhook_id = $1`, webhookID); err != nil {
		return fmt.Errorf("release webhook delivery %q: %w", webhookID, err)
	}
	return nil
}

// RecordWebhookSubscription saves how asking Shopify for a subscription
// went, replacing what was known about that store and topic.
func (d *DB) RecordWebhookSubscription(ctx context.Context, s domain.WebhookSubscription) error {
	if _, err := d.pool.Exec(ctx, `INSERT INTO webhook_subscriptions (store_id, topic, uri, shopify_id, status, last_error, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (store_id, topic) DO UPDATE SET uri = excluded.uri, shopify_id = excluded.shopify_id,
			status = excluded.status, last_error = excluded.last_error, updated_at = excluded.updated_at`,
		s.StoreID, s.Topic, s.URI, s.ShopifyID, string(s.Status), s.LastError, d.now().UTC()); err != nil {
		return fmt.Errorf("record %s subscription of store %d: %w", s.Topic, s.StoreID, err)
	}
	return nil
}

// WebhookSubscriptions lists a store's subscriptions by topic.
func (d *DB) WebhookSubscriptions(ctx context.Context, storeID int64) ([]domain.WebhookSubscription, error) {
	rows, err := d.pool.Query(ctx, `SELECT store_id, topic, uri, shopify_id, status, last_error, updated_at
		FROM webhook_subscriptions WHERE store_id = $1 ORDER BY topic COLLATE "C"`, storeID)
	if err != nil {
		return nil, fmt.Errorf("webhook subscriptions of store %d: %w", storeID, err)
	}
	defer rows.Close()
	var out []domain.WebhookSubscription
	for rows.Next() {
		var s domain.WebhookSubscription
		var status string
		var updated time.Time
		if err := rows.Scan(&s.StoreID, &s.Topic, &s.URI, &s.ShopifyID, &status, &s.LastError, &updated); err != nil {
			return nil, fmt.Errorf("webhook subscriptions of store %d: %w", storeID, err)
		}
		s.Status = domain.WebhookSubscriptionStatus(status)
		s.UpdatedAt = updated.UTC()
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("webhook subscriptions of store %d: %w", storeID, err)
	}
	return out, nil
}

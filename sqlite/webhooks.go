package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"shopcard/domain"
)

func webhookSecretContext(storeID int64) string {
	return "store:" + strconv.FormatInt(storeID, 10) + ":webhook_secret"
}

// SetWebhookSecret saves, sealed, the webhook signing secret of a
// workspace's store: the key Shopify signs that store's webhooks with when
// they are not signed with an app's client secret (a custom app's, shown
// in the store's notification settings). An empty secret removes it.
// A new secret is not trusted yet: what was known about the store's
// deliveries (verified, refused) is forgotten with the old one, so the
// stores page waits for a delivery the new secret verifies.
func (d *DB) SetWebhookSecret(ctx context.Context, workspaceID, storeID int64, secret domain.Secret) error {
	if _, err := d.StoreByID(ctx, workspaceID, storeID); err != nil {
		return fmt.Errorf("set webhook secret: %w", err)
	}
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("set webhook secret of store %d: begin: %w", storeID, err)
	}
	defer tx.Rollback()
	if secret.IsZero() {
		if _, err := tx.ExecContext(ctx, `DELETE FROM store_webhook_secrets WHERE store_id = ?`, storeID); err != nil {
			return fmt.Errorf("remove webhook secret of store %d: %w", storeID, err)
		}
	} else {
		sealed, err := d.box.Seal(webhookSecretContext(storeID), secret.Reveal())
		if err != nil {
			return fmt.Errorf("set webhook secret of store %d: seal: %w", storeID, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO store_webhook_secrets (store_id, secret, updated_at) VALUES (?, ?, ?)
			ON CONFLICT (store_id) DO UPDATE SET secret = excluded.secret, updated_at = excluded.updated_at`, storeID, sealed, d.nowText()); err != nil {
			return fmt.Errorf("set webhook secret of store %d: %w", storeID, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE stores SET webhook_verified_at = NULL, webhook_refused_since = NULL WHERE id = ?`, storeID); err != nil {
		return fmt.Errorf("set webhook secret of store %d: forget its deliveries: %w", storeID, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("set webhook secret of store %d: commit: %w", storeID, err)
	}
	return nil
}

// HasWebhookSecret reports whether a store has a webhook signing secret.
func (d *DB) HasWebhookSecret(ctx context.Context, storeID int64) (bool, error) {
	var n int
	if err := d.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM store_webhook_secrets WHERE store_id = ?`, storeID).Scan(&n); err != nil {
		return false, fmt.Errorf("webhook secret of store %d: %w", storeID, err)
	}
	return n > 0, nil
}

// WebhookKeysForShop returns the keys that may sign a shop's webhooks,
// each with the connection it speaks for, in every workspace the shop is
// connected to: the webhook signing secrets saved for custom apps, and
// the client secrets of Dev Dashboard apps, which sign the webhooks of
// the subscriptions made with their tokens.
func (d *DB) WebhookKeysForShop(ctx context.Context, shopDomain string) ([]domain.WebhookKey, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT w.store_id, '', 0, w.secret FROM store_webhook_secrets w JOIN stores s ON s.id = w.store_id
		WHERE s.domain = ?
		UNION ALL
		SELECT id, domain, workspace_id, client_secret FROM stores WHERE domain = ? AND token_kind = ? AND client_secret != ''
		ORDER BY 1`, shopDomain, shopDomain, domain.TokenClientCredentials)
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
		keyContext := webhookSecretContext(id)
		if clientOf != "" {
			keyContext = clientSecretContext(clientOf, workspaceID)
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
// connections at at: their webhooks work, and any refusal before it is
// over.
func (d *DB) RecordWebhookVerified(ctx context.Context, storeIDs []int64, at time.Time) error {
	for _, id := range storeIDs {
		if _, err := d.db.ExecContext(ctx, `UPDATE stores SET webhook_verified_at = ?, webhook_refused_since = NULL WHERE id = ?`, formatTime(at), id); err != nil {
			return fmt.Errorf("record a verified webhook for store %d: %w", id, err)
		}
	}
	return nil
}

// RecordWebhookRefused notes that a delivery for a shop came with a
// signature no key verifies, at at, on every connection of the shop that
// has no refusal pending (shopcard cannot tell which connection a delivery
// it cannot verify was meant for). It reports how many connections the
// shop has. A connection that already has a refusal pending is not
// written again, so a flood of forged deliveries costs reads, not writes.
func (d *DB) RecordWebhookRefused(ctx context.Context, shopDomain string, at time.Time) (int, error) {
	var n int
	if err := d.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM stores WHERE domain = ?`, shopDomain).Scan(&n); err != nil {
		return 0, fmt.Errorf("record a refused webhook for %s: %w", shopDomain, err)
	}
	if n == 0 {
		return 0, nil
	}
	var pending int
	if err := d.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM stores WHERE domain = ? AND webhook_refused_since IS NULL`, shopDomain).Scan(&pending); err != nil {
		return n, fmt.Errorf("record a refused webhook for %s: %w", shopDomain, err)
	}
	if pending == 0 {
		return n, nil
	}
	if _, err := d.db.ExecContext(ctx, `UPDATE stores SET webhook_refused_since = ? WHERE domain = ? AND webhook_refused_since IS NULL`, formatTime(at), shopDomain); err != nil {
		return n, fmt.Errorf("record a refused webhook for %s: %w", shopDomain, err)
	}
	return n, nil
}

// StoresByShop lists a shop's connections in every workspace.
func (d *DB) StoresByShop(ctx context.Context, shopDomain string) ([]domain.Store, error) {
	stores, err := d.queryStores(ctx, `s.domain = ?`, shopDomain)
	if err != nil {
		return nil, fmt.Errorf("stores of shop %s: %w", shopDomain, err)
	}
	return stores, nil
}

// storesByIDs reads store connections by ID, in any workspace.
func (d *DB) storesByIDs(ctx context.Context, ids []int64) ([]domain.Store, error) {
	var out []domain.Store
	for _, id := range ids {
		s, err := d.scanStore(d.db.QueryRowContext(ctx, `SELECT `+storeColumns+storesFrom+` WHERE s.id = ?`, id))
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("store %d: %w", id, err)
		}
		out = append(out, s)
	}
	return out, nil
}

// DisconnectStores marks store connections disconnected, with a message
// for admins, and deletes their access tokens: what happens when the app
// is uninstalled from the shop.
func (d *DB) DisconnectStores(ctx context.Context, ids []int64, message string) error {
	stores, err := d.storesByIDs(ctx, ids)
	if err != nil {
		return fmt.Errorf("disconnect stores: %w", err)
	}
	return d.inTx(ctx, fmt.Sprintf("disconnect stores %v", ids), func(tx *sql.Tx) error {
		for _, s := range stores {
			// The column holds a sealed value; an empty one is no token.
			none, err := d.box.Seal(tokenContext(s.Domain, s.WorkspaceID), "")
			if err != nil {
				return fmt.Errorf("disconnect store %d: seal: %w", s.ID, err)
			}
			if _, err := tx.ExecContext(ctx, `UPDATE stores SET access_token = ?, status = ?, last_error = ? WHERE id = ?`,
				none, domain.StoreDisconnected, message, s.ID); err != nil {
				return fmt.Errorf("disconnect store %d: %w", s.ID, err)
			}
		}
		return nil
	})
}

// UpdateStoreScopes records the scopes a shop granted on store
// connections.
func (d *DB) UpdateStoreScopes(ctx context.Context, ids []int64, scopes []string) error {
	for _, id := range ids {
		if _, err := d.db.ExecContext(ctx, `UPDATE stores SET scopes = ? WHERE id = ?`, strings.Join(scopes, ","), id); err != nil {
			return fmt.Errorf("update scopes of store %d: %w", id, err)
		}
	}
	return nil
}

// DeleteStores deletes store connections with their tokens, secrets and
// subscriptions, whatever their workspace: what shop/redact asks for. Once
// a shop has no connection left, the record of its webhook deliveries
// goes too.
func (d *DB) DeleteStores(ctx context.Context, ids []int64) error {
	stores, err := d.storesByIDs(ctx, ids)
	if err != nil {
		return fmt.Errorf("delete stores: %w", err)
	}
	return d.inTx(ctx, fmt.Sprintf("delete stores %v", ids), func(tx *sql.Tx) error {
		for _, s := range stores {
			if _, err := tx.ExecContext(ctx, `DELETE FROM stores WHERE id = ?`, s.ID); err != nil {
				return fmt.Errorf("delete store %d: %w", s.ID, err)
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM webhook_deliveries WHERE shop_domain = ?
				AND NOT EXISTS (SELECT 1 FROM stores WHERE domain = ?)`, s.Domain, s.Domain); err != nil {
				return fmt.Errorf("delete store %d: forget webhook deliveries of %s: %w", s.ID, s.Domain, err)
			}
		}
		return nil
	})
}

// webhookDeliveryRetention is how long deliveries are remembered, by ID
// and body hash: Shopify retries a failed delivery for up to 48 hours, and
// webhooks.ReplayWindow is as long.
const webhookDeliveryRetention = 7 * 24 * time.Hour

// ClaimWebhookDelivery records a delivery before it is acted on, in one
// immediate transaction with the check that it is new, so that two copies
// arriving at once are acted on once. It reports false, recording nothing,
// when a delivery with the same webhook ID was claimed, or, when c.ByBody,
// one with the same body hash at or after c.Since. Claims older than a
// week are forgotten.
func (d *DB) ClaimWebhookDelivery(ctx context.Context, c domain.WebhookClaim) (bool, error) {
	what := fmt.Sprintf("claim webhook delivery %q", c.WebhookID)
	claimed := false
	err := d.inTx(ctx, what, func(tx *sql.Tx) error {
		claimed = false
		var n int
		q := `SELECT COUNT(*) FROM webhook_deliveries WHERE webhook_id = ?`
		args := []any{c.WebhookID}
		if c.ByBody && c.BodyHash != "" {
			q += ` OR (body_hash = ? AND received_at >= ?)`
			args = append(args, c.BodyHash, formatTime(c.Since))
		}
		if err := tx.QueryRowContext(ctx, q, args...).Scan(&n); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		if n > 0 {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO webhook_deliveries (webhook_id, shop_domain, topic, received_at, body_hash) VALUES (?, ?, ?, ?, ?)`,
			c.WebhookID, c.ShopDomain, c.Topic, formatTime(c.At), c.BodyHash); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM webhook_deliveries WHERE received_at < ?`, formatTime(c.At.Add(-webhookDeliveryRetention))); err != nil {
			return fmt.Errorf("%s: forget old deliveries: %w", what, err)
		}
		claimed = true
		return nil
	})
	return claimed, err
}

// ReleaseWebhookDelivery forgets a claimed delivery whose action failed,
// so that Shopify's retry of it is acted on.
func (d *DB) ReleaseWebhookDelivery(ctx context.Context, webhookID string) error {
	if _, err := d.db.ExecContext(ctx, `DELETE FROM webhook_deliveries WHERE webhook_id = ?`, webhookID); err != nil {
		return fmt.Errorf("release webhook delivery %q: %w", webhookID, err)
	}
	return nil
}

// RecordWebhookSubscription saves how asking Shopify for a subscription
// went, replacing what was known about that store and topic.
func (d *DB) RecordWebhookSubscription(ctx context.Context, s domain.WebhookSubscription) error {
	if _, err := d.db.ExecContext(ctx, `INSERT INTO webhook_subscriptions (store_id, topic, uri, shopify_id, status, last_error, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (store_id, topic) DO UPDATE SET uri = excluded.uri, shopify_id = excluded.shopify_id,
			status = excluded.status, last_error = excluded.last_error, updated_at = excluded.updated_at`,
		s.StoreID, s.Topic, s.URI, s.ShopifyID, s.Status, s.LastError, d.nowText()); err != nil {
		return fmt.Errorf("record %s subscription of store %d: %w", s.Topic, s.StoreID, err)
	}
	return nil
}

// WebhookSubscriptions lists a store's subscriptions by topic.
func (d *DB) WebhookSubscriptions(ctx context.Context, storeID int64) ([]domain.WebhookSubscription, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT store_id, topic, uri, shopify_id, status, last_error, updated_at
		FROM webhook_subscriptions WHERE store_id = ? ORDER BY topic`, storeID)
	if err != nil {
		return nil, fmt.Errorf("webhook subscriptions of store %d: %w", storeID, err)
	}
	defer rows.Close()
	var out []domain.WebhookSubscription
	for rows.Next() {
		var s domain.WebhookSubscription
		var status, updated string
		if err := rows.Scan(&s.StoreID, &s.Topic, &s.URI, &s.ShopifyID, &status, &s.LastError, &updated); err != nil {
			return nil, fmt.Errorf("webhook subscriptions of store %d: %w", storeID, err)
		}
		s.Status = domain.WebhookSubscriptionStatus(status)
		s.UpdatedAt = parseTime(nullString(updated))
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("webhook subscriptions of store %d: %w", storeID, err)
	}
	return out, nil
}

// StoreStatusCounts counts store connections by status, for metrics.
func (d *DB) StoreStatusCounts(ctx context.Context) (map[string]int, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT status, COUNT(*) FROM stores GROUP BY status`)
	if err != nil {
		return nil, fmt.Errorf("count stores by status: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var status string
		var n int
		if err := rows.Scan(&status, &n); err != nil {
			return nil, fmt.Errorf("count stores by status: %w", err)
		}
		out[status] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("count stores by status: %w", err)
	}
	return out, nil
}

// SetWebhookRefusedSince marks one store's webhooks as refused since at:
// what the console knows when a newly saved secret does not verify the
// delivery that was refused then.
func (d *DB) SetWebhookRefusedSince(ctx context.Context, storeID int64, at time.Time) error {
	if _, err := d.db.ExecContext(ctx, `UPDATE stores SET webhook_refused_since = ? WHERE id = ?`, formatTime(at), storeID); err != nil {
		return fmt.Errorf("mark the webhooks of store %d refused: %w", storeID, err)
	}
	return nil
}

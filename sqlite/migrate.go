package sqlite

import (
	"context"
	"fmt"
)

// migrations are applied in order, each once, each in its own transaction.
// Never edit a migration that has shipped; append a new one.
var migrations = []string{
	1: `
CREATE TABLE workspaces (
	id           INTEGER PRIMARY KEY,
	name         TEXT NOT NULL UNIQUE,
	embed_secret TEXT NOT NULL, -- sealed
	created_at   TEXT NOT NULL
);
CREATE TABLE stores (
	id           INTEGER PRIMARY KEY,
	workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
	domain       TEXT NOT NULL,
	shop_name    TEXT NOT NULL DEFAULT '',
	access_token TEXT NOT NULL, -- sealed
	scopes       TEXT NOT NULL DEFAULT '',
	status       TEXT NOT NULL DEFAULT 'healthy',
	last_ok_at   TEXT,
	last_error   TEXT NOT NULL DEFAULT '',
	created_at   TEXT NOT NULL,
	UNIQUE (workspace_id, domain)
);
`,
	// 2: the admin console. Admins, their sessions and OAuth states;
	// embed secret rotation and per-workspace embedding settings; tokens
	// that expire and are refreshed (OAuth).
	2: `
ALTER TABLE workspaces ADD COLUMN previous_embed_secret TEXT NOT NULL DEFAULT ''; -- sealed
ALTER TABLE workspaces ADD COLUMN previous_secret_expires_at TEXT;
ALTER TABLE workspaces ADD COLUMN secret_rotated_at TEXT;
ALTER TABLE workspaces ADD COLUMN frame_ancestors TEXT NOT NULL DEFAULT ''; -- space-separated; '' = server default
ALTER TABLE workspaces ADD COLUMN cache_ttl_seconds INTEGER NOT NULL DEFAULT 0; -- 0 = server default

ALTER TABLE stores ADD COLUMN token_kind TEXT NOT NULL DEFAULT 'custom_app';
ALTER TABLE stores ADD COLUMN refresh_token TEXT NOT NULL DEFAULT ''; -- sealed
ALTER TABLE stores ADD COLUMN access_token_expires_at TEXT;
ALTER TABLE stores ADD COLUMN refresh_token_expires_at TEXT;

CREATE TABLE admins (
	id            INTEGER PRIMARY KEY,
	workspace_id  INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
	email         TEXT NOT NULL UNIQUE,
	password_hash TEXT NOT NULL, -- argon2id, PHC form
	created_at    TEXT NOT NULL
);

CREATE TABLE sessions (
	id           INTEGER PRIMARY KEY,
	token_hash   TEXT NOT NULL UNIQUE, -- SHA-256 of the cookie's token; the token itself is never stored
	admin_id     INTEGER NOT NULL REFERENCES admins(id) ON DELETE CASCADE,
	created_at   TEXT NOT NULL,
	last_seen_at TEXT NOT NULL,
	flash        TEXT NOT NULL DEFAULT '',
	flash_error  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sessions_admin ON sessions (admin_id);

CREATE TABLE oauth_states (
	state_hash TEXT PRIMARY KEY, -- SHA-256 of the state nonce
	session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
	shop       TEXT NOT NULL,
	created_at TEXT NOT NULL
);
`,
	3: `
-- Webhooks (issue 4). A store's webhook signing secret, for stores whose
-- webhooks are not signed with the app's client secret (custom apps).
CREATE TABLE store_webhook_secrets (
	store_id   INTEGER PRIMARY KEY REFERENCES stores(id) ON DELETE CASCADE,
	secret     TEXT NOT NULL, -- sealed
	updated_at TEXT NOT NULL
);
-- The subscriptions shopcard asked Shopify for, and whether they took.
CREATE TABLE webhook_subscriptions (
	store_id   INTEGER NOT NULL REFERENCES stores(id) ON DELETE CASCADE,
	topic      TEXT NOT NULL,
	uri        TEXT NOT NULL,
	shopify_id TEXT NOT NULL DEFAULT '',
	status     TEXT NOT NULL,
	last_error TEXT NOT NULL DEFAULT '',
	updated_at TEXT NOT NULL,
	PRIMARY KEY (store_id, topic)
);
-- Deliveries already handled, by X-Shopify-Webhook-Id, so a redelivery is
-- acknowledged and ignored. Old rows are pruned.
CREATE TABLE webhook_deliveries (
	webhook_id  TEXT PRIMARY KEY,
	shop_domain TEXT NOT NULL,
	topic       TEXT NOT NULL,
	received_at TEXT NOT NULL
);
CREATE INDEX webhook_deliveries_received_at ON webhook_deliveries (received_at);
`,
	4: `
-- Helpdesk installations (issue 13): a workspace's Chatwoot, Help Scout,
-- Front or Zendesk app. The ID is random and public (it is in the URL an
-- admin pastes into the helpdesk); the settings, credentials included,
-- are one sealed JSON document.
CREATE TABLE inbox_installations (
	id              TEXT PRIMARY KEY,
	workspace_id    INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
	kind            TEXT NOT NULL,
	label           TEXT NOT NULL DEFAULT '',
	settings        TEXT NOT NULL, -- sealed JSON
	frame_origins   TEXT NOT NULL DEFAULT '', -- space-separated, besides the kind's own
	created_at      TEXT NOT NULL
);
CREATE INDEX inbox_installations_workspace ON inbox_installations (workspace_id);
`,
}

func (d *DB) migrate(ctx context.Context) error {
	if _, err := d.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	var current int
	if err := d.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&current); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if latest := len(migrations) - 1; current > latest {
		return fmt.Errorf("database schema version %d is newer than this binary knows (%d); upgrade shopcard", current, latest)
	}
	for v := current + 1; v < len(migrations); v++ {
		tx, err := d.db.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("migration %d: begin: %w", v, err)
		}
		if _, err := tx.ExecContext(ctx, migrations[v]); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration %d: %w", v, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`, v, d.nowText()); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration %d: record: %w", v, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migration %d: commit: %w", v, err)
		}
	}
	return nil
}

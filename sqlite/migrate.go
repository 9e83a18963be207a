package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"strings"
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
-- Dev Dashboard apps (issue 11): the app's client ID and secret, which get
-- the store its expiring access tokens (the client credentials grant) and
-- sign its webhooks, and when a store's token was last renewed.
ALTER TABLE stores ADD COLUMN client_id TEXT NOT NULL DEFAULT '';
ALTER TABLE stores ADD COLUMN client_secret TEXT NOT NULL DEFAULT ''; -- sealed
ALTER TABLE stores ADD COLUMN token_renewed_at TEXT;
`,
	5: `
-- What the stores page says is true (issue 11): when the last error
-- happened, and whether the store's webhooks verify: the last delivery
-- that did, and the first refused since then.
ALTER TABLE stores ADD COLUMN last_error_at TEXT;
ALTER TABLE stores ADD COLUMN webhook_verified_at TEXT;
ALTER TABLE stores ADD COLUMN webhook_refused_since TEXT;
`,
	// 6: store IDs are never reused (issue 10). SQLite gives a new row the
	// highest ID plus one, so removing the newest store handed its ID to
	// the next one, and whatever was cached or open under that ID (answers,
	// last good answers, rendered sections, an admin's confirmation page)
	// stood for another store. AUTOINCREMENT never hands out an ID twice;
	// adding it means rebuilding the table, which migrationSteps[6] does
	// from the table's own definition, so that columns other migrations
	// add are kept whatever their order.
	6: `-- stores gets AUTOINCREMENT: see migrationSteps[6].`,
	// 7: a check value sealed with the database's encryption key (issue
	// 10), so that opening the database with another key fails at startup
	// instead of on every page. One row, written on first open.
	7: `
CREATE TABLE key_check (
	id    INTEGER PRIMARY KEY CHECK (id = 1),
	value TEXT NOT NULL -- sealed
);
`,
	// 8: a delivery's body hash (issue 10): Shopify's signature covers the
	// body, not the X-Shopify-Webhook-Id header, so a replay of a body
	// under a new ID is recognized by the hash of its topic, shop and
	// body.
	8: `
ALTER TABLE webhook_deliveries ADD COLUMN body_hash TEXT NOT NULL DEFAULT '';
CREATE INDEX webhook_deliveries_body_hash ON webhook_deliveries (body_hash, received_at) WHERE body_hash != '';
`,
	9: `
-- AI actions (issue 12). Keys for the MCP server and the JSON API, one
-- workspace each. Only the SHA-256 of a key is stored; prefix is its first
-- characters, enough to tell keys apart in a list and useless to sign in.
CREATE TABLE api_keys (
	id           INTEGER PRIMARY KEY,
	workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
	name         TEXT NOT NULL,
	key_hash     TEXT NOT NULL UNIQUE,
	prefix       TEXT NOT NULL,
	created_at   TEXT NOT NULL,
	last_used_at TEXT,
	revoked_at   TEXT
);
CREATE INDEX api_keys_workspace ON api_keys (workspace_id);
-- The AI actions a workspace switched on or off; a tool without a row is
-- on.
CREATE TABLE ai_tool_settings (
	workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
	tool         TEXT NOT NULL,
	enabled      INTEGER NOT NULL,
	updated_at   TEXT NOT NULL,
	PRIMARY KEY (workspace_id, tool)
);
`,
	10: `
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

// migrationSteps are Go code that runs in a migration's transaction, after
// its SQL, for what SQL alone cannot do safely. Keep each key in step with
// its migration's number.
var migrationSteps = map[int]func(ctx context.Context, tx *sql.Tx) error{
	6: func(ctx context.Context, tx *sql.Tx) error { return rebuildWithAutoincrement(ctx, tx, "stores") },
}

// migrate brings the schema up to date: each migration once, each in its
// own immediate transaction, which checks again that it has not been
// applied (another process may be migrating the same file). Migrations run
// on a connection of their own with foreign keys off, as SQLite requires
// for rebuilding a table that others reference (a DROP TABLE would
// otherwise delete, by cascade, every row referencing it), and each checks
// every foreign key before it commits.
func (d *DB) migrate(ctx context.Context) error {
	if _, err := d.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	var current int
	if err := d.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&current); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	latest := len(migrations) - 1
	if current > latest {
		return fmt.Errorf("database schema version %d is newer than this binary knows (%d); upgrade shopcard", current, latest)
	}
	if current == latest {
		return nil
	}
	conn, err := d.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("migrate: connect: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `PRAGMA foreign_keys = OFF`); err != nil {
		return fmt.Errorf("migrate: foreign keys off: %w", err)
	}
	// The connection goes back to the pool afterwards: leave it as every
	// other connection is.
	defer conn.ExecContext(context.WithoutCancel(ctx), `PRAGMA foreign_keys = ON`)
	for v := current + 1; v <= latest; v++ {
		if err := d.migrateTo(ctx, conn, v); err != nil {
			return err
		}
	}
	return nil
}

func (d *DB) migrateTo(ctx context.Context, conn *sql.Conn, v int) error {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migration %d: begin: %w", v, err)
	}
	defer tx.Rollback()
	var applied int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE version = ?`, v).Scan(&applied); err != nil {
		return fmt.Errorf("migration %d: %w", v, err)
	}
	if applied > 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, migrations[v]); err != nil {
		return fmt.Errorf("migration %d: %w", v, err)
	}
	if step := migrationSteps[v]; step != nil {
		if err := step(ctx, tx); err != nil {
			return fmt.Errorf("migration %d: %w", v, err)
		}
	}
	if err := foreignKeyCheck(ctx, tx); err != nil {
		return fmt.Errorf("migration %d: %w", v, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`, v, d.nowText()); err != nil {
		return fmt.Errorf("migration %d: record: %w", v, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migration %d: commit: %w", v, err)
	}
	return nil
}

// foreignKeyCheck fails if any row references a row that does not exist:
// with foreign keys off, nothing else would notice.
func foreignKeyCheck(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `PRAGMA foreign_key_check`)
	if err != nil {
		return fmt.Errorf("foreign key check: %w", err)
	}
	defer rows.Close()
	if rows.Next() {
		var table, parent string
		var rowid sql.NullInt64
		var fk int
		if err := rows.Scan(&table, &rowid, &parent, &fk); err != nil {
			return fmt.Errorf("foreign key check: %w", err)
		}
		return fmt.Errorf("foreign key check: row %d of %s references a missing row of %s", rowid.Int64, table, parent)
	}
	return rows.Err()
}

var (
	integerPrimaryKey = regexp.MustCompile(`(?i)\bid\s+INTEGER\s+PRIMARY\s+KEY\b`)
	createTable       = regexp.MustCompile(`(?i)^\s*CREATE\s+TABLE\s+"?\w+"?`)
)

// rebuildWithAutoincrement gives table's id column AUTOINCREMENT in the way
// SQLite documents for schema changes ALTER TABLE cannot make: a new table
// from the old one's own CREATE statement (so every column any migration
// added is kept, in order), the rows copied with their IDs, the old table
// dropped and the new one renamed, its indexes and triggers made again.
// The sequence starts at the highest ID copied. Rows elsewhere that
// reference the table keep referring to it by name. The caller's
// connection has foreign keys off.
func rebuildWithAutoincrement(ctx context.Context, tx *sql.Tx, table string) error {
	var create string
	if err := tx.QueryRowContext(ctx, `SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?`, table).Scan(&create); err != nil {
		return fmt.Errorf("rebuild %s: read its definition: %w", table, err)
	}
	if strings.Contains(strings.ToUpper(create), "AUTOINCREMENT") {
		return nil
	}
	if !integerPrimaryKey.MatchString(create) || !createTable.MatchString(create) {
		return fmt.Errorf("rebuild %s: its definition has no id INTEGER PRIMARY KEY: %s", table, create)
	}
	rebuilt := table + "_rebuilt"
	create = integerPrimaryKey.ReplaceAllString(create, "id INTEGER PRIMARY KEY AUTOINCREMENT")
	create = createTable.ReplaceAllString(create, "CREATE TABLE "+rebuilt)

	// Its indexes and triggers, made again after the rename.
	extras, err := readTextColumn(ctx, tx, `SELECT sql FROM sqlite_master WHERE tbl_name = ? AND type IN ('index', 'trigger') AND sql IS NOT NULL`, table)
	if err != nil {
		return fmt.Errorf("rebuild %s: read its indexes: %w", table, err)
	}
	columns, err := readTextColumn(ctx, tx, `SELECT '"' || name || '"' FROM pragma_table_info(?) ORDER BY cid`, table)
	if err != nil {
		return fmt.Errorf("rebuild %s: read its columns: %w", table, err)
	}
	cols := strings.Join(columns, ", ")
	for _, q := range append([]string{
		create,
		`INSERT INTO ` + rebuilt + ` (` + cols + `) SELECT ` + cols + ` FROM ` + table,
		`DROP TABLE ` + table,
		`ALTER TABLE ` + rebuilt + ` RENAME TO ` + table,
	}, extras...) {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("rebuild %s: %w", table, err)
		}
	}
	return nil
}

// readTextColumn runs a query of one text column and returns its values.
func readTextColumn(ctx context.Context, tx *sql.Tx, query string, args ...any) ([]string, error) {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

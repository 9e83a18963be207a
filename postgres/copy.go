package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"shopcard/atrest"
)

// copyTables are the tables `shopcard db copy` moves, parents first, with
// their columns, which have the same names on both engines. Times are
// RFC 3339 text on SQLite and timestamptz here; flags are integers there
// and booleans here. Sealed values are copied as they are: both engines
// seal under the same contexts (package storage), so the same key opens
// them.
var copyTables = []struct {
	name    string
	columns []string
}{
	{"workspaces", []string{"id", "name", "embed_secret", "created_at", "previous_embed_secret", "previous_secret_expires_at", "secret_rotated_at", "frame_ancestors", "cache_ttl_seconds"}},
	{"key_check", []string{"id", "value"}},
	{"stores", []string{"id", "workspace_id", "domain", "shop_name", "access_token", "scopes", "status", "last_ok_at", "last_error", "created_at",
		"token_kind", "refresh_token", "access_token_expires_at", "refresh_token_expires_at", "client_id", "client_secret", "token_renewed_at",
		"last_error_at", "webhook_verified_at", "webhook_refused_since"}},
	{"admins", []string{"id", "workspace_id", "email", "password_hash", "created_at"}},
	{"sessions", []string{"id", "token_hash", "admin_id", "created_at", "last_seen_at", "flash", "flash_error"}},
	{"oauth_states", []string{"state_hash", "session_id", "shop", "created_at"}},
	{"store_webhook_secrets", []string{"store_id", "secret", "updated_at"}},
	{"webhook_subscriptions", []string{"store_id", "topic", "uri", "shopify_id", "status", "last_error", "updated_at"}},
	{"webhook_deliveries", []string{"webhook_id", "shop_domain", "topic", "received_at", "body_hash"}},
	{"api_keys", []string{"id", "workspace_id", "name", "key_hash", "prefix", "created_at", "last_used_at", "revoked_at"}},
	{"ai_tool_settings", []string{"workspace_id", "tool", "enabled", "updated_at"}},
	{"inbox_installations", []string{"id", "workspace_id", "kind", "label", "settings", "frame_origins", "created_at"}},
}

// identityTables have identity IDs whose sequences must continue past
// the copied rows.
var identityTables = []string{"workspaces", "stores", "admins", "sessions", "api_keys"}

// CopyCount is one table's rows in the source and, after the copy, in
// the target.
type CopyCount struct {
	Table          string
	Source, Target int64
}

// CopyFrom copies every row of a SQLite database, read in src (one read
// transaction: a consistent snapshot), into the empty PostgreSQL database
// at databaseURL, which it migrates first. It refuses a target that holds
// any shopcard row. The rows go in one transaction, which commits only if
// every table's count matches the source's; store IDs continue after the
// highest the source ever handed out (its AUTOINCREMENT sequence), so
// none is reused. Then the target is opened with box's key and every
// workspace, store and installation read back, which opens every sealed
// secret: a copy that would not open is reported, not left behind.
func CopyFrom(ctx context.Context, src *sql.Tx, databaseURL string, box *atrest.Box) ([]CopyCount, error) {
	if err := Migrate(ctx, databaseURL); err != nil {
		return nil, err
	}
	pool, err := connect(ctx, databaseURL, Options{ApplicationName: "shopcard db copy"})
	if err != nil {
		return nil, err
	}
	defer pool.Close()
	target := Redact(databaseURL)
	var counts []CopyCount
	err = pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if held, err := holdings(ctx, tx); err != nil {
			return err
		} else if held != "" {
			return fmt.Errorf("the database at %s already holds shopcard data (%s): db copy writes only into an empty database. Point --to at a new database (createdb), or drop this one's tables first", target, held)
		}
		for _, t := range copyTables {
			n, err := copyTable(ctx, src, tx, t.name, t.columns)
			if err != nil {
				return fmt.Errorf("copy %s: %w", t.name, err)
			}
			var got int64
			if err := tx.QueryRow(ctx, `SELECT count(*) FROM `+t.name).Scan(&got); err != nil {
				return fmt.Errorf("count %s: %w", t.name, err)
			}
			counts = append(counts, CopyCount{Table: t.name, Source: n, Target: got})
			if got != n {
				return fmt.Errorf("copy %s: %d rows in the source, %d in the target; nothing was copied", t.name, n, got)
			}
		}
		var storeSeq int64
		if err := src.QueryRowContext(ctx, `SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'stores'), 0)`).Scan(&storeSeq); err != nil {
			return fmt.Errorf("read the source's store sequence: %w", err)
		}
		for _, table := range identityTables {
			floor := int64(0)
			if table == "stores" {
				floor = storeSeq
			}
			if _, err := tx.Exec(ctx, `SELECT setval(pg_get_serial_sequence($1, 'id'), GREATEST($2, (SELECT COALESCE(max(id), 0) FROM `+table+`), 1),
				GREATEST($2, (SELECT COALESCE(max(id), 0) FROM `+table+`)) > 0)`, table, floor); err != nil {
				return fmt.Errorf("continue the IDs of %s: %w", table, err)
			}
		}
		return nil
	})
	if err != nil {
		return counts, err
	}
	db, err := Open(ctx, databaseURL, box, Options{ApplicationName: "shopcard db copy"})
	if err != nil {
		return counts, fmt.Errorf("the copy in %s does not open with the key: %w", target, err)
	}
	defer db.Close()
	workspaces, err := db.Workspaces(ctx)
	if err != nil {
		return counts, fmt.Errorf("read the copy back: %w", err)
	}
	for _, w := range workspaces {
		if _, err := db.StoresByWorkspace(ctx, w.ID); err != nil {
			return counts, fmt.Errorf("read the copy back: %w", err)
		}
		if _, err := db.InstallationsByWorkspace(ctx, w.ID); err != nil {
			return counts, fmt.Errorf("read the copy back: %w", err)
		}
	}
	return counts, nil
}

// holdings says which shopcard tables hold rows, "" when none do.
func holdings(ctx context.Context, tx pgx.Tx) (string, error) {
	var held []string
	for _, t := range copyTables {
		var n int64
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM `+t.name).Scan(&n); err != nil {
			return "", fmt.Errorf("count %s: %w", t.name, err)
		}
		if n > 0 {
			held = append(held, fmt.Sprintf("%d %s", n, strings.ReplaceAll(t.name, "_", " ")))
		}
	}
	return strings.Join(held, ", "), nil
}

// copyTable copies one table's rows and returns how many the source has.
func copyTable(ctx context.Context, src *sql.Tx, dst pgx.Tx, table string, columns []string) (int64, error) {
	rows, err := src.QueryContext(ctx, `SELECT `+strings.Join(columns, ", ")+` FROM `+table)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var copied [][]any
	for rows.Next() {
		raw := make([]any, len(columns))
		ptrs := make([]any, len(columns))
		for i := range raw {
			ptrs[i] = &raw[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return 0, err
		}
		row := make([]any, len(columns))
		for i, c := range columns {
			if row[i], err = convert(c, raw[i]); err != nil {
				return 0, fmt.Errorf("column %s: %w", c, err)
			}
		}
		copied = append(copied, row)
	}
	if err := rows.Err(); err != nil {
		return 0, err
	}
	n, err := dst.CopyFrom(ctx, pgx.Identifier{table}, columns, pgx.CopyFromRows(copied))
	if err != nil {
		return 0, err
	}
	if n != int64(len(copied)) {
		return 0, fmt.Errorf("wrote %d of %d rows", n, len(copied))
	}
	return int64(len(copied)), nil
}

// convert turns a SQLite value into its PostgreSQL column's: times from
// RFC 3339 text (NULL or empty is NULL), flags from integers.
func convert(column string, v any) (any, error) {
	if b, ok := v.([]byte); ok {
		v = string(b)
	}
	switch {
	case strings.HasSuffix(column, "_at") || strings.HasSuffix(column, "_since"):
		s, _ := v.(string)
		if v == nil || s == "" {
			return nil, nil
		}
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return nil, fmt.Errorf("a time that does not parse: %q", s)
		}
		return t.UTC(), nil
	case column == "flash_error" || column == "enabled":
		switch n := v.(type) {
		case int64:
			return n != 0, nil
		case bool:
			return n, nil
		}
		return nil, errors.New("not a flag")
	}
	return v, nil
}

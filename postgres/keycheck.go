package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"shopcard/storage"
)

// checkKey makes sure the database's key is box's: the stored check value
// opens. An empty database takes box's key as its own; a database that
// holds a workspace but no check value (one copied without it) must open
// a workspace's secret first. Replicas starting together on an empty
// database write one check value: the first insert wins, and the others
// must open it.
func (d *DB) checkKey(ctx context.Context) error {
	return d.inTx(ctx, "check encryption key", func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, lockKeyCheck); err != nil {
			return fmt.Errorf("lock key check: %w", err)
		}
		var sealed string
		err := tx.QueryRow(ctx, `SELECT value FROM key_check WHERE id = 1`).Scan(&sealed)
		switch {
		case err == nil:
			if text, err := d.box.Open(storage.KeyCheckContext, sealed); err != nil || text != storage.KeyCheckText {
				return storage.ErrWrongKey
			}
			return nil
		case !errors.Is(err, pgx.ErrNoRows):
			return fmt.Errorf("read key check: %w", err)
		}
		var name string
		err = tx.QueryRow(ctx, `SELECT name, embed_secret FROM workspaces ORDER BY id LIMIT 1`).Scan(&name, &sealed)
		switch {
		case err == nil:
			if _, err := d.box.Open(storage.EmbedSecretContext(name), sealed); err != nil {
				return storage.ErrWrongKey
			}
		case !errors.Is(err, pgx.ErrNoRows):
			return fmt.Errorf("read a sealed secret: %w", err)
		}
		check, err := d.box.Seal(storage.KeyCheckContext, storage.KeyCheckText)
		if err != nil {
			return fmt.Errorf("seal key check: %w", err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO key_check (id, value) VALUES (1, $1)`, check); err != nil {
			return fmt.Errorf("write key check: %w", err)
		}
		return nil
	})
}

// HoldsSecrets reports whether the database already holds secrets sealed
// with some key (a key check value or a workspace): a missing key file is
// then an operator's mistake to report, not a first run. A database
// without shopcard's tables holds none.
func HoldsSecrets(ctx context.Context, databaseURL string) (bool, error) {
	pool, err := connect(ctx, databaseURL, Options{ApplicationName: "shopcard"})
	if err != nil {
		return false, err
	}
	defer pool.Close()
	var held bool
	err = pool.QueryRow(ctx, `SELECT
		(to_regclass('key_check') IS NOT NULL AND EXISTS (SELECT 1 FROM key_check)) OR
		(to_regclass('workspaces') IS NOT NULL AND EXISTS (SELECT 1 FROM workspaces))`).Scan(&held)
	if err != nil {
		// The tables may not exist: EXISTS on a missing table fails even
		// behind the IS NOT NULL test, since the query is planned whole.
		var tables int
		if err := pool.QueryRow(ctx, `SELECT count(*) FROM pg_tables WHERE tablename IN ('key_check', 'workspaces') AND schemaname = current_schema()`).Scan(&tables); err != nil {
			return false, fmt.Errorf("database %s: %w", Redact(databaseURL), err)
		}
		if tables < 2 {
			return false, nil
		}
		return false, fmt.Errorf("database %s: %w", Redact(databaseURL), err)
	}
	return held, nil
}

// Ping reports whether the database answers and its secrets open with its
// key; /readyz uses it.
func (d *DB) Ping(ctx context.Context) error {
	var sealed string
	if err := d.pool.QueryRow(ctx, `SELECT value FROM key_check WHERE id = 1`).Scan(&sealed); err != nil {
		return fmt.Errorf("ping database: %w", err)
	}
	if text, err := d.box.Open(storage.KeyCheckContext, sealed); err != nil || text != storage.KeyCheckText {
		return fmt.Errorf("ping database: %w", storage.ErrWrongKey)
	}
	return nil
}

// Advisory lock keys (the single-key form of pg_advisory_lock), one per
// purpose; two-key locks name their purpose in the first key.
const (
	lockKeyCheck     int64 = 0x73686f7063617264 // "shopcard"
	lockSpaceRenewal int32 = 1                  // (1, store ID): a store's token renewal
	lockSpaceClaim   int32 = 2                  // (2, hash): webhook claims of one body
	lockSpaceSignIn  int32 = 3                  // (3, hash): one sign-in throttle key
	lockRefused      int64 = 0x73686f7072656675 // the refused deliveries kept
)

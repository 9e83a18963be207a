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

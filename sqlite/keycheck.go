package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
)

// ErrWrongKey means the database's secrets were sealed with another
// encryption key than the one it was opened with.
var ErrWrongKey = errors.New("its secrets were sealed with a different encryption key")

// The key check value: a known text sealed with the database's key on its
// first open, which every later open must be able to open.
const (
	keyCheckContext = "shopcard:key_check"
	keyCheckText    = "shopcard key check v1"
)

// checkKey makes sure the database's key is box's: the stored check value
// opens, or, for a database from before check values that already holds
// sealed secrets, one of them does, and then the check value is written.
// An empty database takes box's key as its own.
func (d *DB) checkKey(ctx context.Context) error {
	return d.inTx(ctx, "check encryption key", func(tx *sql.Tx) error {
		var sealed string
		err := tx.QueryRowContext(ctx, `SELECT value FROM key_check WHERE id = 1`).Scan(&sealed)
		switch {
		case err == nil:
			if text, err := d.box.Open(keyCheckContext, sealed); err != nil || text != keyCheckText {
				return ErrWrongKey
			}
			return nil
		case !errors.Is(err, sql.ErrNoRows):
			return fmt.Errorf("read key check: %w", err)
		}
		if err := d.openOneSecret(ctx, tx); err != nil {
			return err
		}
		check, err := d.box.Seal(keyCheckContext, keyCheckText)
		if err != nil {
			return fmt.Errorf("seal key check: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO key_check (id, value) VALUES (1, ?)`, check); err != nil {
			return fmt.Errorf("write key check: %w", err)
		}
		return nil
	})
}

// openOneSecret opens a secret the database already holds, if it holds
// any: a workspace's embed secret (every store belongs to a workspace).
func (d *DB) openOneSecret(ctx context.Context, tx *sql.Tx) error {
	var name, sealed string
	err := tx.QueryRowContext(ctx, `SELECT name, embed_secret FROM workspaces ORDER BY id LIMIT 1`).Scan(&name, &sealed)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil
	case err != nil:
		return fmt.Errorf("read a sealed secret: %w", err)
	}
	if _, err := d.box.Open(embedSecretContext(name), sealed); err != nil {
		return ErrWrongKey
	}
	return nil
}

// HoldsSecrets reports whether the database at path exists and already
// holds secrets sealed with some key (a key check value or a workspace),
// without opening it for writing or creating it: a missing key file is
// then an operator's mistake to report, not a first run.
func HoldsSecrets(ctx context.Context, path string) (bool, error) {
	if path == ":memory:" {
		return false, nil
	}
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return false, nil
	} else if err != nil {
		return false, fmt.Errorf("database %s: %w", path, err)
	}
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		return false, fmt.Errorf("database %s: %w", path, err)
	}
	defer db.Close()
	var tables int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('key_check', 'workspaces')`).Scan(&tables); err != nil {
		return false, fmt.Errorf("database %s: %w", path, err)
	}
	if tables == 0 {
		return false, nil
	}
	var held int
	q := `SELECT (SELECT COUNT(*) FROM workspaces)`
	if tables == 2 {
		q += ` + (SELECT COUNT(*) FROM key_check)`
	}
	if err := db.QueryRowContext(ctx, q).Scan(&held); err != nil {
		return false, fmt.Errorf("database %s: %w", path, err)
	}
	return held > 0, nil
}

// Ping reports whether the database answers and its secrets open with its
// key; /readyz uses it.
func (d *DB) Ping(ctx context.Context) error {
	var sealed string
	if err := d.db.QueryRowContext(ctx, `SELECT value FROM key_check WHERE id = 1`).Scan(&sealed); err != nil {
		return fmt.Errorf("ping database: %w", err)
	}
	if text, err := d.box.Open(keyCheckContext, sealed); err != nil || text != keyCheckText {
		return fmt.Errorf("ping database: %w", ErrWrongKey)
	}
	return nil
}

// Package sqlite stores shopcard's workspaces, store connections and admin
// accounts in SQLite, through the pure-Go modernc.org/sqlite driver so the
// binary needs no cgo. Secrets are sealed with atrest before they are
// written and opened when read; nothing else in shopcard sees ciphertext.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"shopcard/atrest"
	"shopcard/domain"
)

// DB is shopcard's database.
type DB struct {
	db     *sql.DB
	box    *atrest.Box
	now    func() time.Time
	memory bool // ":memory:", on its one connection
}

// Open opens (creating if needed) the database at path, brings its schema
// up to date and makes sure box's key is the one its secrets were sealed
// with (ErrWrongKey otherwise). Use ":memory:" for a private in-memory
// database. A new database file is created readable by its owner only;
// SQLite gives its -wal and -shm files the database's permissions.
func Open(ctx context.Context, path string, box *atrest.Box) (*DB, error) {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(5000)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	// Write transactions take the write lock at BEGIN: see inTx.
	q.Set("_txlock", "immediate")
	dsn := "file:" + path
	if path == ":memory:" {
		// One connection, or every connection gets its own empty database.
		dsn = "file::memory:"
	} else {
		q.Add("_pragma", "journal_mode(WAL)")
		if err := createPrivate(path); err != nil {
			return nil, err
		}
	}
	sqldb, err := sql.Open("sqlite", dsn+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if path == ":memory:" {
		sqldb.SetMaxOpenConns(1)
	}
	d := &DB{db: sqldb, box: box, now: time.Now, memory: path == ":memory:"}
	if err := d.migrate(ctx); err != nil {
		sqldb.Close()
		return nil, fmt.Errorf("migrate %s: %w", path, err)
	}
	if err := d.checkKey(ctx); err != nil {
		sqldb.Close()
		return nil, fmt.Errorf("database %s: %w", path, err)
	}
	return d, nil
}

// createPrivate creates the database file, empty, with mode 0600 if it
// does not exist yet, before SQLite would create it with 0644.
func createPrivate(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	switch {
	case err == nil:
		return f.Close()
	case errors.Is(err, fs.ErrExist):
		return nil
	}
	return fmt.Errorf("create database %s: %w", path, err)
}

// Close closes the database.
func (d *DB) Close() error {
	if err := d.db.Close(); err != nil {
		return fmt.Errorf("close database: %w", err)
	}
	return nil
}

func (d *DB) nowText() string { return formatTime(d.now()) }

func formatTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func parseTime(s sql.NullString) time.Time {
	if !s.Valid || s.String == "" {
		return time.Time{}
	}
	t, _ := time.Parse(time.RFC3339Nano, s.String)
	return t
}

// notFound converts sql.ErrNoRows into a domain error that says what was
// missing. The domain error does not wrap sql.ErrNoRows: callers outside
// this package ask domain.KindOf, never database/sql.
func notFound(err error, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return domain.Errorf(domain.KindNotFound, "%s was not found.", what)
	}
	return err
}

// mustAffect reports a statement that changed no row as what was not
// found, in the words notFound uses.
func mustAffect(res sql.Result, what string) error {
	if n, _ := res.RowsAffected(); n == 0 {
		return domain.Errorf(domain.KindNotFound, "%s was not found.", what)
	}
	return nil
}

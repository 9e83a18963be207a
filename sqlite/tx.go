package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// querier is what both the database and a transaction run statements
// with, so a read can take part in a transaction or not.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// busyRetries is how many times a transaction that found the database busy
// is tried again, after busy_timeout's own wait, before the error is given
// up to the caller.
const busyRetries = 4

// inTx runs fn in a write transaction and commits it. Transactions are
// IMMEDIATE (the DSN's _txlock): BEGIN takes the write lock, waiting up to
// busy_timeout for it, so a transaction that reads and then writes never
// finds, at its first write, that another connection wrote in between,
// which SQLite answers with "database is locked" at once, without waiting.
// A transaction that still meets a busy database (a writer holding the
// lock past busy_timeout) is tried again, from the start, a few times
// with a growing, jittered pause. fn must be safe to run again: it only
// works inside tx. what names the operation in begin and commit errors;
// fn's own errors are returned as they are.
func (d *DB) inTx(ctx context.Context, what string, fn func(tx *sql.Tx) error) error {
	for attempt := 0; ; attempt++ {
		err := d.tryTx(ctx, what, fn)
		if err == nil || !isBusy(err) || attempt == busyRetries {
			return err
		}
		pause := time.Duration(10<<attempt)*time.Millisecond + rand.N(10*time.Millisecond)
		t := time.NewTimer(pause)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return err
		}
	}
}

func (d *DB) tryTx(ctx context.Context, what string, fn func(tx *sql.Tx) error) error {
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("%s: begin: %w", what, err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("%s: commit: %w", what, err)
	}
	return nil
}

// isBusy reports whether err is SQLite's "database is locked" (or
// "database table is locked"), in any of its extended forms.
func isBusy(err error) bool {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return false
	}
	switch se.Code() & 0xff {
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
		return true
	}
	return false
}

package postgres

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// txRetries is how many times a transaction PostgreSQL aborted to resolve
// a conflict with another one (a deadlock, a serialization failure) is
// tried again before the error reaches the caller.
const txRetries = 4

// inTx runs fn in a transaction and commits it. Read-then-write
// transactions lock what they read (SELECT … FOR UPDATE, or an advisory
// lock for what has no row yet), so two replicas doing the same thing
// at once take turns instead of both acting on what they read; the few
// conflicts PostgreSQL still resolves by aborting one side are tried
// again from the start. fn must be safe to run again: it only works
// inside tx. what names the operation in begin and commit errors.
func (d *DB) inTx(ctx context.Context, what string, fn func(tx pgx.Tx) error) error {
	for attempt := 0; ; attempt++ {
		err := d.tryTx(ctx, what, fn)
		if err == nil || !retryable(err) || attempt == txRetries {
			return err
		}
		pause := time.Duration(5<<attempt)*time.Millisecond + rand.N(5*time.Millisecond)
		t := time.NewTimer(pause)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return err
		}
	}
}

func (d *DB) tryTx(ctx context.Context, what string, fn func(tx pgx.Tx) error) error {
	tx, err := d.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("%s: begin: %w", what, err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("%s: commit: %w", what, err)
	}
	return nil
}

// retryable reports a deadlock or a serialization failure: PostgreSQL
// aborted the transaction to let another one through.
func retryable(err error) bool {
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) {
		return false
	}
	return pgErr.Code == "40001" || pgErr.Code == "40P01"
}

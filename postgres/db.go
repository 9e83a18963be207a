// Package postgres stores shopcard in PostgreSQL, through pgx, for
// operators who run several replicas behind a load balancer. It implements
// storage.DB exactly as package sqlite does (the contract tests in
// package storage hold both to the same behaviour and errors) and adds
// what replicas must share: the sign-in throttle, the helpdesk
// verification allowance, the last good answers, the last refused webhook
// delivery of each shop, a lock around token renewal, and notifications
// (LISTEN/NOTIFY) that tell every replica what to drop from its caches.
//
// Secrets are sealed with atrest before they are written, under the same
// contexts as on SQLite (storage's), so a database copied from SQLite
// opens with the same key.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"shopcard/atrest"
	"shopcard/domain"
	"shopcard/storage"
)

// DB is shopcard's database on PostgreSQL.
type DB struct {
	pool *pgxpool.Pool
	box  *atrest.Box
	now  func() time.Time
	url  string // redacted, for messages

	// changed is told, after a commit, that this process changed
	// workspaces or stores, so its own read cache drops them at once
	// rather than when the notification comes back.
	changed func()
}

// Options configures Open.
type Options struct {
	// ApplicationName names the connections in pg_stat_activity, so an
	// operator can tell replicas apart.
	ApplicationName string
	// MaxConns bounds the pool; pgxpool's default (the larger of 4 and
	// the number of CPUs) when zero.
	MaxConns int32
}

// IsURL reports whether s names a PostgreSQL database: a postgres:// or
// postgresql:// URL.
func IsURL(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// Redact returns a database URL with its password replaced, for messages
// and logs: the URL names the server and the database, never the
// password.
func Redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(a database URL that does not parse)"
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	q := u.Query()
	if q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.String()
}

// Open connects to the database at databaseURL, brings its schema up to
// date (goose, under an advisory lock, so replicas starting together
// migrate once) and makes sure box's key is the one its secrets were
// sealed with (storage.ErrWrongKey otherwise). An unreachable server, a
// refused password or a missing database is an error that names the URL
// without its password and says what to check.
func Open(ctx context.Context, databaseURL string, box *atrest.Box, o Options) (*DB, error) {
	pool, err := connect(ctx, databaseURL, o)
	if err != nil {
		return nil, err
	}
	d := &DB{pool: pool, box: box, now: time.Now, url: Redact(databaseURL), changed: func() {}}
	if err := migrate(ctx, pool); err != nil {
		pool.Close()
		return nil, fmt.Errorf("migrate %s: %w", d.url, err)
	}
	if err := d.checkKey(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("database %s: %w", d.url, err)
	}
	return d, nil
}

// connect opens a pool and proves the server answers, so a wrong URL is
// an error at startup rather than on the first request.
func connect(ctx context.Context, databaseURL string, o Options) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(databaseURL)
	if err != nil {
		// pgx's message may quote the URL: say only what is wrong.
		return nil, fmt.Errorf("SHOPCARD_DATABASE_URL %s is not a PostgreSQL connection URL (postgres://user:password@host:5432/database?sslmode=…)", Redact(databaseURL))
	}
	if o.ApplicationName != "" {
		cfg.ConnConfig.RuntimeParams["application_name"] = o.ApplicationName
	}
	if o.MaxConns > 0 {
		cfg.MaxConns = o.MaxConns
	}
	// Every time is read and written as UTC, as SQLite's RFC 3339 text is.
	cfg.ConnConfig.RuntimeParams["timezone"] = "UTC"
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, connectError(databaseURL, err)
	}
	pingCtx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if err := pool.Ping(pingCtx); err != nil {
		pool.Close()
		return nil, connectError(databaseURL, err)
	}
	return pool, nil
}

// connectError says why the server could not be reached, and what to do,
// without the password.
func connectError(databaseURL string, err error) error {
	advice := "check SHOPCARD_DATABASE_URL and that the server is running and reachable"
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "28P01", "28000":
			advice = "the server refused the user or password in SHOPCARD_DATABASE_URL"
		case "3D000":
			advice = "the database does not exist: create it (createdb) or fix its name in SHOPCARD_DATABASE_URL"
		}
	}
	cause := err.Error()
	if u, perr := url.Parse(databaseURL); perr == nil {
		if pw, ok := u.User.Password(); ok && pw != "" {
			cause = strings.ReplaceAll(cause, pw, "xxxxx")
		}
	}
	return fmt.Errorf("connect to PostgreSQL at %s: %s; %s", Redact(databaseURL), cause, advice)
}

// Close closes the pool.
func (d *DB) Close() error {
	d.pool.Close()
	return nil
}

// OnChange sets what is told, after each commit, that this process
// changed workspaces or stores (the read cache).
func (d *DB) OnChange(f func()) { d.changed = f }

// Pool is the connection pool, for the listener, the shared state and
// tests in this module.
func (d *DB) Pool() *pgxpool.Pool { return d.pool }

// querier is what both the pool and a transaction run statements with.
type querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// notFound converts pgx.ErrNoRows into the domain error that says what
// was missing, as sqlite's does; the domain error does not wrap pgx's.
func notFound(err error, what string) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return storage.NotFound(what)
	}
	return err
}

// mustAffect reports a statement that changed no row as what was not
// found.
func mustAffect(tag pgconn.CommandTag, what string) error {
	if tag.RowsAffected() == 0 {
		return storage.NotFound(what)
	}
	return nil
}

func isUniqueViolation(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "23505"
}

// hasNUL reports a string PostgreSQL's text can't hold. Names and IDs
// that come from requests (a token's workspace, an installation's ID, a
// typed email) may carry one; no row can, so they are not found, as on
// SQLite.
func hasNUL(s string) bool { return strings.IndexByte(s, 0) >= 0 }

// utc returns a scanned time in UTC, and the zero time for NULL.
func utc(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}

// optional is a time to write, NULL when zero.
func optional(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}

var _ storage.DB = (*DB)(nil)

// conflict is the error for a row that already exists.
func conflict(format string, args ...any) error {
	return domain.Errorf(domain.KindConflict, format, args...)
}

package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// readableFrom is the oldest schema version whose shopcard can run on the
// schema this one migrates to: migrations only add what older code
// ignores, and a column stops being used one release before it is
// dropped, so a replica not yet upgraded keeps working during a rolling
// upgrade. Raise it, with the migration, when a release drops what an
// older one still uses.
const readableFrom = 1

// migrate brings the schema up to date with goose. Replicas starting at
// once take turns: goose holds a session advisory lock while it migrates,
// and each migration runs in its own transaction. A database migrated by
// a newer shopcard is used as it is when that version says this one can
// still read it (schema_compat), and refused otherwise.
func migrate(ctx context.Context, pool *pgxpool.Pool) error {
	provider, closeDB, err := newProvider(pool)
	if err != nil {
		return err
	}
	defer closeDB()
	latest := latestVersion(provider)
	if _, err := provider.Up(ctx); err != nil {
		return err
	}
	current, err := provider.GetDBVersion(ctx)
	if err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if current > latest {
		var from int64
		err := pool.QueryRow(ctx, `SELECT readable_from FROM schema_compat WHERE id = 1`).Scan(&from)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("read schema compatibility: %w", err)
		}
		if latest < from {
			return fmt.Errorf("database schema version %d was made by a newer shopcard, which older versions than schema %d can't run on, and this one knows schema %d: upgrade this replica to the version the others run", current, from, latest)
		}
		return nil
	}
	if _, err := pool.Exec(ctx, `INSERT INTO schema_compat (id, readable_from) VALUES (1, $1)
		ON CONFLICT (id) DO UPDATE SET readable_from = excluded.readable_from`, readableFrom); err != nil {
		return fmt.Errorf("record schema compatibility: %w", err)
	}
	return nil
}

// Migrate brings the schema of the database at databaseURL up to date
// without checking a key: `shopcard db copy` migrates an empty target
// this way before it copies the source's key check into it.
func Migrate(ctx context.Context, databaseURL string) error {
	pool, err := connect(ctx, databaseURL, Options{ApplicationName: "shopcard db copy"})
	if err != nil {
		return err
	}
	defer pool.Close()
	if err := migrate(ctx, pool); err != nil {
		return fmt.Errorf("migrate %s: %w", Redact(databaseURL), err)
	}
	return nil
}

func newProvider(pool *pgxpool.Pool) (*goose.Provider, func(), error) {
	sub, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		return nil, nil, err
	}
	locker, err := lock.NewPostgresSessionLocker(lock.WithLockTimeout(1, 300))
	if err != nil {
		return nil, nil, err
	}
	sqlDB := stdlib.OpenDBFromPool(pool)
	provider, err := goose.NewProvider(goose.DialectPostgres, sqlDB, sub,
		goose.WithSessionLocker(locker), goose.WithDisableGlobalRegistry(true),
		goose.WithSlog(slog.New(slog.NewTextHandler(io.Discard, nil))))
	if err != nil {
		sqlDB.Close()
		return nil, nil, fmt.Errorf("migrations: %w", err)
	}
	return provider, func() { sqlDB.Close() }, nil
}

// latestVersion is the newest migration this binary has: its schema
// version.
func latestVersion(p *goose.Provider) int64 {
	var latest int64
	for _, s := range p.ListSources() {
		latest = max(latest, s.Version)
	}
	return latest
}

// SchemaVersion is the newest migration this binary knows.
func SchemaVersion() int64 {
	sub, _ := fs.Sub(migrationFiles, "migrations")
	entries, _ := fs.ReadDir(sub, ".")
	var latest int64
	for _, e := range entries {
		var v int64
		if _, err := fmt.Sscanf(e.Name(), "%d_", &v); err == nil {
			latest = max(latest, v)
		}
	}
	return latest
}

package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"time"

	"shopcard/atrest"
	"shopcard/auth"
	"shopcard/cache"
	"shopcard/config"
	"shopcard/fanout"
	"shopcard/handlers"
	"shopcard/handlers/admin"
	"shopcard/inbox"
	"shopcard/inbox/session"
	"shopcard/postgres"
	"shopcard/sqlite"
	"shopcard/storage"
	"shopcard/webhooks"
)

// engine is the database the application runs on, chosen by the
// configuration: PostgreSQL when SHOPCARD_DATABASE_URL is set, SQLite at
// SHOPCARD_DB otherwise.
type engine struct {
	db storage.DB
	// pg is the PostgreSQL database; nil on SQLite.
	pg *postgres.DB
	// sqliteReads is SQLite's read cache; nil on PostgreSQL, whose read
	// cache needs the listener and is made with it.
	sqliteReads *sqlite.ReadCache
}

// openEngine opens the configured database with the at-rest key.
func openEngine(ctx context.Context, cfg config.Config, logger *slog.Logger, replica string) (engine, error) {
	if cfg.DatabaseURL != "" {
		box, err := postgresKey(cfg)
		if err != nil {
			return engine{}, err
		}
		pg, err := postgres.Open(ctx, cfg.DatabaseURL, box, postgres.Options{ApplicationName: "shopcard " + replica})
		if errors.Is(err, storage.ErrWrongKey) {
			return engine{}, fmt.Errorf("%w: %s is not the key this database's secrets were sealed with, so no token or secret in it would open. "+
				"Start every replica with the database's own key (SHOPCARD_SECRET_KEY, or the key file SHOPCARD_SECRET_KEY_FILE names)", err, keySource(cfg))
		}
		if err != nil {
			return engine{}, err
		}
		logger.Info("database: PostgreSQL", slog.String("url", postgres.Redact(cfg.DatabaseURL)), slog.Int64("schema", postgres.SchemaVersion()))
		return engine{db: pg, pg: pg}, nil
	}
	db, err := openDB(ctx, cfg, logger)
	if err != nil {
		return engine{}, err
	}
	reads, err := db.NewReadCache(ctx)
	if err != nil {
		db.Close()
		return engine{}, err
	}
	return engine{db: db, sqliteReads: reads}, nil
}

func keySource(cfg config.Config) string {
	if cfg.SecretKey != "" {
		return "SHOPCARD_SECRET_KEY"
	}
	return "the key in " + cfg.SecretKeyFile
}

// postgresKey loads the key every replica shares. Unlike SQLite's first
// run, no key file is made: a file made by one replica would be that
// replica's alone.
func postgresKey(cfg config.Config) (*atrest.Box, error) {
	if cfg.SecretKey == "" {
		if _, err := os.Stat(cfg.SecretKeyFile); errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("the encryption key file %s (SHOPCARD_SECRET_KEY_FILE) does not exist. With PostgreSQL every replica opens secrets with the same key, so shopcard won't make one: "+
				"make it once (openssl rand -hex 32 > %s; chmod 600 %s) and give every replica that file, or set SHOPCARD_SECRET_KEY", cfg.SecretKeyFile, cfg.SecretKeyFile, cfg.SecretKeyFile)
		}
	}
	key, _, err := atrest.LoadKey(cfg.SecretKey, cfg.SecretKeyFile)
	if err != nil {
		return nil, err
	}
	return atrest.New(key)
}

// newReplicaName names this process among the replicas: in connection
// names (pg_stat_activity) and the invalidations it publishes, so it
// ignores its own when they come back.
func newReplicaName() string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "shopcard"
	}
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return host + "-" + hex.EncodeToString(b)
}

// readiness is /readyz on PostgreSQL: the database answers with the key,
// and the listener listens, without which this replica could serve
// answers another replica dropped.
type readiness struct {
	db        storage.DB
	listening func() bool
}

// Ping fails while the database can't be read or the listener is down.
func (r readiness) Ping(ctx context.Context) error {
	if err := r.db.Ping(ctx); err != nil {
		return err
	}
	if r.listening != nil && !r.listening() {
		return errors.New("not listening for the other replicas' cache invalidations (see the logs); reconnecting")
	}
	return nil
}

// listenerStartWait bounds how long New waits for the listener to listen
// before it carries on, not ready, and lets it keep trying.
const listenerStartWait = 15 * time.Second

// listen starts the listener of a PostgreSQL replica, with the read cache
// that trusts it, and waits (a while) for it to listen, so that a replica
// that reports ready has heard every invalidation since.
func (a *App) listen(cfg config.Config, pg *postgres.DB) {
	var reads *postgres.ReadCache
	a.Listener = pg.NewListener(postgres.ListenerOptions{
		URL:    cfg.DatabaseListenURL,
		Origin: a.Replica,
		Handle: func(payload string) {
			if fanout.KindOf(payload) == fanout.KindReads {
				reads.Invalidate()
				a.Metrics.Invalidation("received", fanout.KindReads)
				return
			}
			a.Evictions.Receive(payload)
		},
		Flush: func() {
			reads.Invalidate()
			a.Lookup.Flush()
			a.Sections.Clear()
		},
		Recorder: a.Metrics,
		Logger:   a.Logger,
	})
	reads = pg.NewReadCache(a.Listener.Listening)
	a.Reads = reads
	a.Listener.Start()
	a.closers = append(a.closers, a.Listener.Close)
	select {
	case <-a.Listener.Up():
	case <-time.After(listenerStartWait):
		a.Logger.Error("not listening for the other replicas' cache invalidations yet; /readyz fails until it does", slog.String("url", postgres.Redact(cfg.DatabaseListenURL)))
	}
}

// ready is what /readyz asks.
func (a *App) ready() handlers.Pinger {
	if a.Listener == nil {
		return a.DB
	}
	return readiness{db: a.DB, listening: a.Listener.Listening}
}

// readScope marks a sidebar request as one read of SQLite's data_version;
// PostgreSQL's read cache needs no check per request.
func (a *App) readScope() func(context.Context) context.Context {
	if a.Listener != nil {
		return nil
	}
	return sqlite.WithReadScope
}

// signInThrottle is the sign-in throttle: shared by every replica on
// PostgreSQL, this process's own on SQLite.
func (a *App) signInThrottle() admin.SignInThrottle {
	if pg, ok := a.DB.(*postgres.DB); ok {
		return pg.NewThrottle(admin.SignInRules(), a.Logger)
	}
	return auth.Local{Throttle: admin.NewThrottle()}
}

// verifyAllowance is each helpdesk installation's verification allowance:
// shared by every replica on PostgreSQL, this process's on SQLite.
func (a *App) verifyAllowance(now func() time.Time) session.Limiter {
	if pg, ok := a.DB.(*postgres.DB); ok {
		return pg.NewVerifyAllowance(inbox.VerifyRate, inbox.VerifyBurst, now)
	}
	return inbox.NewLimiter(inbox.VerifyRate, inbox.VerifyBurst, now)
}

// sharedStale keeps last good answers in PostgreSQL, where every replica
// finds them; nil on SQLite, where they stay in memory.
func sharedStale(eng engine, cfg config.Config) cache.SharedStale {
	if eng.pg == nil {
		return nil
	}
	return eng.pg.NewStaleAnswers(cfg.StaleMaxBytes)
}

// refusedDeliveries keeps refused webhook deliveries in PostgreSQL, where
// every replica finds them; nil (memory) on SQLite.
func refusedDeliveries(eng engine) webhooks.RefusedDeliveries {
	if eng.pg == nil {
		return nil
	}
	return eng.pg.NewRefusedDeliveries()
}

// OpenSQLite opens the SQLite database the configuration names with its
// key, with every check serve makes (a missing or wrong key refused), for
// `shopcard db copy`, which reads it without running the application.
func OpenSQLite(ctx context.Context, cfg config.Config, logger *slog.Logger) (*sqlite.DB, *atrest.Box, error) {
	db, err := openDB(ctx, cfg, logger)
	if err != nil {
		return nil, nil, err
	}
	key, _, err := atrest.LoadKey(cfg.SecretKey, cfg.SecretKeyFile)
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	box, err := atrest.New(key)
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	return db, box, nil
}

package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgxlisten"
)

// Channel is the one NOTIFY channel shopcard uses: replicas' cache
// invalidations (JSON, fanout.Event), the database's own "reads" when
// workspaces or stores change (a trigger), and each listener's heartbeat.
const Channel = "shopcard_invalidation"

// Notifier publishes on Channel through the pool. NOTIFY reaches every
// listening replica when its transaction commits; pg_notify runs as a
// transaction of its own.
type Notifier struct {
	pool interface {
		Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	}
}

// Notifier returns the database's publisher.
func (d *DB) Notifier() *Notifier { return &Notifier{pool: d.pool} }

// Publish sends payload to every replica, this one included.
func (n *Notifier) Publish(ctx context.Context, payload string) error {
	if _, err := n.pool.Exec(ctx, `SELECT pg_notify($1, $2)`, Channel, payload); err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	return nil
}

// ListenerRecorder counts what the listener does, for metrics.
type ListenerRecorder interface {
	CacheFlushed(reason string)
	Listening(up bool)
}

// ListenerOptions configures a Listener.
type ListenerOptions struct {
	// URL is the database to listen on: SHOPCARD_DATABASE_LISTEN_URL, or
	// SHOPCARD_DATABASE_URL. It needs a session of its own: through a
	// pooler in transaction mode, LISTEN hears nothing.
	URL string
	// Origin names this replica in its heartbeats.
	Origin string
	// Handle receives every notification on Channel but the listener's
	// own heartbeats, in the order they were committed.
	Handle func(payload string)
	// Flush empties the replica's caches: called after the listener
	// reconnects, since it may have missed invalidations meanwhile, and
	// before it reports itself listening again.
	Flush    func()
	Recorder ListenerRecorder
	Logger   *slog.Logger
	// Heartbeat is how often the listener sends itself a notification
	// through the pool, and Silence how long it may go without hearing one
	// back before it reconnects, whatever the connection looks like: 1 s
	// and 15 s when zero. The silence allows for a loaded machine; a
	// connection that breaks with an error is replaced at once.
	Heartbeat, Silence time.Duration
	// ReconnectDelay is the pause before connecting again after a failure;
	// 250 ms when zero.
	ReconnectDelay time.Duration
}

// Listener holds a connection of its own that LISTENs on Channel, hands
// each notification to Handle, and reconnects when the connection drops,
// flushing the replica's caches before it reports itself listening again.
// Listening is false from the moment it can't be sure to hear every
// notification until then; the read cache reads through and /readyz fails
// meanwhile.
type Listener struct {
	o         ListenerOptions
	notifier  *Notifier
	listening atomic.Bool
	listens   int          // successful LISTENs; guarded by the listener's loop
	lastBeat  atomic.Int64 // unix nanoseconds the last own heartbeat arrived
	up        chan struct{}
	upOnce    sync.Once

	mu     sync.Mutex
	cancel context.CancelFunc // the current connection's
	stop   context.CancelFunc
	done   sync.WaitGroup
}

// NewListener returns a Listener; Start starts it.
func (d *DB) NewListener(o ListenerOptions) *Listener {
	if o.Heartbeat <= 0 {
		o.Heartbeat = time.Second
	}
	if o.Silence <= 0 {
		o.Silence = 15 * time.Second
	}
	if o.ReconnectDelay <= 0 {
		o.ReconnectDelay = 250 * time.Millisecond
	}
	return &Listener{o: o, notifier: d.Notifier(), up: make(chan struct{})}
}

// heartbeat is the payload of a listener's heartbeat to itself.
type heartbeat struct {
	Kind   string `json:"kind"`
	Origin string `json:"origin"`
}

// Start connects and listens until Close. It returns at once; Up is closed
// once the listener first listens.
func (l *Listener) Start() {
	ctx, stop := context.WithCancel(context.Background())
	l.stop = stop
	l.done.Add(2)
	go func() {
		defer l.done.Done()
		for ctx.Err() == nil {
			run, cancel := context.WithCancel(ctx)
			l.mu.Lock()
			l.cancel = cancel
			l.mu.Unlock()
			pl := &pgxlisten.Listener{
				Connect:        l.connect,
				LogError:       l.lost,
				ReconnectDelay: l.o.ReconnectDelay,
			}
			pl.Handle(Channel, l)
			_ = pl.Listen(run) // returns only when run is cancelled
			cancel()
			l.setListening(false)
		}
	}()
	go func() {
		defer l.done.Done()
		l.watch(ctx)
	}()
}

// Up is closed once the listener first listens.
func (l *Listener) Up() <-chan struct{} { return l.up }

// Listening reports whether every notification committed from now on will
// be heard.
func (l *Listener) Listening() bool { return l.listening.Load() }

// Close stops listening and closes the connection.
func (l *Listener) Close() {
	if l.stop != nil {
		l.stop()
	}
	l.done.Wait()
}

func (l *Listener) connect(ctx context.Context) (*pgx.Conn, error) {
	cfg, err := pgx.ParseConfig(l.o.URL)
	if err != nil {
		return nil, errors.New("the listen URL is not a PostgreSQL connection URL")
	}
	cfg.RuntimeParams["application_name"] = "shopcard listener " + l.o.Origin
	cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	conn, err := pgx.ConnectConfig(cctx, cfg)
	if err != nil {
		return nil, connectError(l.o.URL, err)
	}
	return conn, nil
}

// lost is pgxlisten's report of a failure: the connection, or the attempt
// to make one, failed. Until the next LISTEN succeeds, notifications may
// be missed.
func (l *Listener) lost(ctx context.Context, err error) {
	if ctx.Err() != nil {
		return
	}
	was := l.listening.Load()
	l.setListening(false)
	if was {
		l.o.Logger.Warn("lost the connection that listens for the other replicas' cache invalidations; reconnecting, then emptying the caches",
			slog.String("error", err.Error()))
	} else {
		l.o.Logger.Debug("listener: still not connected", slog.String("error", err.Error()))
	}
}

// HandleBacklog runs once LISTEN succeeded on a (new) connection: from
// now on every notification is heard, and what was missed before is
// unknown, so the caches are emptied first.
func (l *Listener) HandleBacklog(ctx context.Context, channel string, conn *pgx.Conn) error {
	if l.listens > 0 {
		l.o.Flush()
		if l.o.Recorder != nil {
			l.o.Recorder.CacheFlushed("listener_reconnect")
		}
		l.o.Logger.Info("listening again for the other replicas' cache invalidations; emptied the caches, since some may have been missed")
	}
	l.listens++
	l.lastBeat.Store(time.Now().UnixNano())
	l.setListening(true)
	l.upOnce.Do(func() { close(l.up) })
	return nil
}

// HandleNotification hands a notification on, or notes a heartbeat.
func (l *Listener) HandleNotification(ctx context.Context, n *pgconn.Notification, conn *pgx.Conn) error {
	var hb heartbeat
	if json.Unmarshal([]byte(n.Payload), &hb) == nil && hb.Kind == "ping" {
		if hb.Origin == l.o.Origin {
			l.lastBeat.Store(time.Now().UnixNano())
		}
		return nil
	}
	l.o.Handle(n.Payload)
	return nil
}

// watch sends a heartbeat every interval and reconnects when none came
// back for Silence: a connection can die without an error reaching
// it (a network that drops packets), and a listener that hears nothing
// must not report itself listening.
func (l *Listener) watch(ctx context.Context) {
	payload, _ := json.Marshal(heartbeat{Kind: "ping", Origin: l.o.Origin})
	t := time.NewTicker(l.o.Heartbeat)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		pctx, cancel := context.WithTimeout(ctx, l.o.Heartbeat)
		_ = l.notifier.Publish(pctx, string(payload))
		cancel()
		if l.listening.Load() && time.Since(time.Unix(0, l.lastBeat.Load())) > l.o.Silence {
			l.setListening(false)
			l.o.Logger.Warn("the listener heard none of its heartbeats lately; reconnecting")
			l.mu.Lock()
			if l.cancel != nil {
				l.cancel()
			}
			l.mu.Unlock()
		}
	}
}

func (l *Listener) setListening(up bool) {
	l.listening.Store(up)
	if l.o.Recorder != nil {
		l.o.Recorder.Listening(up)
	}
}

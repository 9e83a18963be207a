// Package fanout tells every replica what to drop from its caches. Each
// replica keeps Shopify's answers in memory (cache.Lookup); a webhook, a
// disconnection or a redaction reaches one replica, which drops the
// answers it concerns and publishes the same eviction for the others. On
// SQLite there is one process and nothing to publish; on PostgreSQL the
// publisher is NOTIFY and every replica's listener hands what it hears to
// Receive.
//
// Rendered sections need no event of their own: a section is sent again
// only while the answer cache holds the very answer it was rendered from
// (handlers/sectioncache), so dropping the answer drops the section.
package fanout

import (
	"context"
	"encoding/json"
	"log/slog"
	"time"

	"shopcard/cache"
)

// Local is the replica's own cache: *cache.Lookup.
type Local interface {
	EvictMatching(storeIDs []int64, m cache.Match) int
	PurgeMatching(storeIDs []int64, m cache.Match) int
	PurgeStore(storeID int64) int
}

// Publisher sends a payload to every replica, this one included;
// postgres.Notifier does, with NOTIFY.
type Publisher interface {
	Publish(ctx context.Context, payload string) error
}

// Recorder counts invalidations, for metrics.
type Recorder interface {
	Invalidation(direction, kind string)
}

// The kinds of event.
const (
	KindEvict      = "evict"       // EvictMatching: fresh answers only
	KindPurge      = "purge"       // PurgeMatching: fresh and last good answers
	KindPurgeStore = "purge_store" // PurgeStore
	// KindReads is sent by the database itself when workspaces or stores
	// change (a trigger); the read cache acts on it, not this package.
	KindReads = "reads"
	// KindPing is a listener's heartbeat to itself.
	KindPing = "ping"
)

// Event is one invalidation as published: small, so that it fits in a
// NOTIFY payload (8000 bytes). It names stores by ID and customers by
// what a webhook said about them (emails, customer and order IDs); never a
// token or a secret.
type Event struct {
	Kind   string   `json:"kind"`
	Origin string   `json:"origin,omitempty"`
	Stores []int64  `json:"stores,omitempty"`
	Emails []string `json:"emails,omitempty"`
	// CustomerIDs and OrderIDs are Shopify's legacy IDs.
	CustomerIDs []uint64 `json:"customers,omitempty"`
	OrderIDs    []uint64 `json:"orders,omitempty"`
}

// MaxPayload is the largest payload published: NOTIFY takes up to 8000
// bytes. An eviction that names more customers than fit is published as
// a purge of its stores, which drops more than it must and never less.
const MaxPayload = 7900

// publishTimeout bounds one publication. The caller (a webhook, an
// admin's page) waits for it, so that once it answers every replica has
// been told.
const publishTimeout = 5 * time.Second

// Broadcaster is the replica's cache as the webhook receiver and the
// admin console use it: each eviction is applied here and published for
// the other replicas. It implements the same methods as cache.Lookup.
type Broadcaster struct {
	local  Local
	pub    Publisher // nil: one process, nothing to publish
	origin string
	rec    Recorder
	logger *slog.Logger
}

// New returns a Broadcaster over local. pub may be nil (SQLite). origin
// names this replica, so it ignores its own events when they come back.
func New(local Local, pub Publisher, origin string, rec Recorder, logger *slog.Logger) *Broadcaster {
	return &Broadcaster{local: local, pub: pub, origin: origin, rec: rec, logger: logger}
}

// EvictMatching drops the fresh answers m selects, here and on every
// replica.
func (b *Broadcaster) EvictMatching(storeIDs []int64, m cache.Match) int {
	n := b.local.EvictMatching(storeIDs, m)
	b.publish(Event{Kind: KindEvict, Stores: storeIDs, Emails: m.Emails, CustomerIDs: m.CustomerIDs, OrderIDs: m.OrderIDs})
	return n
}

// PurgeMatching drops the answers m selects, fresh and last good, here and
// on every replica.
func (b *Broadcaster) PurgeMatching(storeIDs []int64, m cache.Match) int {
	n := b.local.PurgeMatching(storeIDs, m)
	b.publish(Event{Kind: KindPurge, Stores: storeIDs, Emails: m.Emails, CustomerIDs: m.CustomerIDs, OrderIDs: m.OrderIDs})
	return n
}

// PurgeStore drops every answer of a store, here and on every replica.
func (b *Broadcaster) PurgeStore(storeID int64) int {
	n := b.local.PurgeStore(storeID)
	b.publish(Event{Kind: KindPurgeStore, Stores: []int64{storeID}})
	return n
}

func (b *Broadcaster) publish(e Event) {
	if b.pub == nil || len(e.Stores) == 0 {
		return
	}
	e.Origin = b.origin
	payload, err := json.Marshal(e)
	if err == nil && len(payload) > MaxPayload {
		// Too many customers to name: drop everything of those stores.
		e = Event{Kind: KindPurgeStore, Origin: b.origin, Stores: e.Stores}
		payload, err = json.Marshal(e)
	}
	if err == nil && len(payload) > MaxPayload {
		for _, id := range e.Stores {
			b.publish(Event{Kind: KindPurgeStore, Stores: []int64{id}})
		}
		return
	}
	if err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), publishTimeout)
		err = b.pub.Publish(ctx, string(payload))
		cancel()
	}
	if err != nil {
		b.count("failed", e.Kind)
		// The other replicas keep what they cached for at most its TTL.
		b.logger.Error("publish a cache invalidation to the other replicas", slog.String("kind", e.Kind), slog.String("error", err.Error()))
		return
	}
	b.count("sent", e.Kind)
}

// Receive applies an event another replica published; the replica's own
// events, already applied, are ignored. It reports whether it applied
// one.
func (b *Broadcaster) Receive(payload string) bool {
	var e Event
	if err := json.Unmarshal([]byte(payload), &e); err != nil {
		b.logger.Warn("an invalidation that does not parse", slog.String("error", err.Error()))
		return false
	}
	if e.Origin == b.origin {
		return false
	}
	m := cache.Match{Emails: e.Emails, CustomerIDs: e.CustomerIDs, OrderIDs: e.OrderIDs}
	switch e.Kind {
	case KindEvict:
		b.local.EvictMatching(e.Stores, m)
	case KindPurge:
		b.local.PurgeMatching(e.Stores, m)
	case KindPurgeStore:
		for _, id := range e.Stores {
			b.local.PurgeStore(id)
		}
	default:
		return false
	}
	b.count("received", e.Kind)
	return true
}

func (b *Broadcaster) count(direction, kind string) {
	if b.rec != nil {
		b.rec.Invalidation(direction, kind)
	}
}

// KindOf reads an event's kind without applying it, for the listener to
// route it.
func KindOf(payload string) string {
	var e struct {
		Kind string `json:"kind"`
	}
	if json.Unmarshal([]byte(payload), &e) != nil {
		return ""
	}
	return e.Kind
}

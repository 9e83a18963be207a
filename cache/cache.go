// Package cache keeps Shopify answers in memory for a short time, so that a
// rep reopening a conversation does not wait for Shopify again, and keeps
// the last good answer for longer, to show (marked as stale) when Shopify
// does not answer. Lookup is a decorator: it has the same LookupCustomer
// method as the Shopify client it wraps, so handlers neither know nor care
// whether they are cached.
package cache

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/dgraph-io/ristretto/v2"
	"golang.org/x/sync/singleflight"

	"shopcard/domain"
)

// Source is what Lookup decorates: the Shopify client, in production.
type Source interface {
	LookupCustomer(ctx context.Context, store domain.Store, email string) (*domain.CustomerOrders, error)
	LookupOrder(ctx context.Context, store domain.Store, orderID uint64) (*domain.OrderDetail, error)
	FindOrders(ctx context.Context, store domain.Store, name string) (*domain.OrderMatches, error)
	SearchProducts(ctx context.Context, store domain.Store, keywords string) (*domain.ProductResults, error)
	ShopDetails(ctx context.Context, store domain.Store) (*domain.ShopDetails, error)
}

// Recorder counts hits and misses, and stale answers served, for metrics.
type Recorder interface {
	CacheResult(result string) // "hit" or "miss"
	StaleServed(store string)
}

// Options configures a Lookup.
type Options struct {
	TTL      time.Duration // how long an answer is served without asking Shopify
	MaxBytes int64         // upper bound on the memory the cached answers use
	// Timeout bounds one shared call to the source. Waiting callers may give
	// up sooner through their own contexts; the call carries on for the next.
	Timeout time.Duration
	// StaleTTL is how long the last good answer for each contact is kept to
	// be served, marked stale, when Shopify fails or is too slow; zero
	// keeps none. StaleMaxBytes bounds their memory, as MaxBytes does for
	// fresh answers.
	StaleTTL      time.Duration
	StaleMaxBytes int64
	// Shared, when set, keeps the last good answers instead of memory,
	// for every replica (on PostgreSQL); StaleTTL still says how long.
	Shared   SharedStale
	Logger   *slog.Logger
	Recorder Recorder
}

// Lookup is a cached Source. Concurrent misses for one key make one call.
type Lookup struct {
	src      Source
	cache    *ristretto.Cache[string, *entry]
	stale    *ristretto.Cache[string, *entry] // nil when stale answers are off
	group    singleflight.Group
	ttl      time.Duration
	staleTTL time.Duration
	timeout  time.Duration
	rec      Recorder
	shared   SharedStale // nil: last good answers in memory (stale)
	logger   *slog.Logger

	// mu makes storing an answer and evicting answers exclusive. Every
	// eviction bumps the epoch of the stores it touches; an answer whose
	// call began in an earlier epoch is returned but not stored, since it
	// may predate the change that caused the eviction. The epoch is also
	// part of the singleflight key, so callers arriving after an eviction
	// start a new call instead of joining the old one.
	mu     sync.Mutex
	epochs map[int64]uint64
	// flushes counts Flush calls; it is part of every store's epoch.
	flushes uint64

	// Close waits for shared calls still running (they outlive the callers
	// who gave up on them) rather than close the caches under them.
	life   sync.RWMutex
	closed bool
	calls  sync.WaitGroup
}

// entry is one kept answer: a *domain.CustomerOrders for an email, or,
// for the lookups in answers.go and detail.go, a *domain.OrderMatches,
// *domain.ProductResults, *domain.ShopDetails or *domain.OrderDetail.
type entry struct {
	key     string
	storeID int64
	email   string // "" unless value answers for an email
	value   any
	size    int64 // charged against the budget
}

// New wraps src in a cache.
func New(src Source, o Options) (*Lookup, error) {
	if o.TTL <= 0 {
		return nil, fmt.Errorf("cache TTL must be positive, got %v", o.TTL)
	}
	if o.MaxBytes < 1<<20 {
		return nil, fmt.Errorf("cache size must be at least 1 MiB, got %d bytes", o.MaxBytes)
	}
	if o.StaleTTL < 0 {
		return nil, fmt.Errorf("stale answer TTL cannot be negative, got %v", o.StaleTTL)
	}
	if o.StaleTTL > 0 && o.Shared == nil && o.StaleMaxBytes < 1<<20 {
		return nil, fmt.Errorf("stale answer size must be at least 1 MiB, got %d bytes", o.StaleMaxBytes)
	}
	if o.Timeout <= 0 {
		o.Timeout = 8 * time.Second
	}
	c, err := newRistretto(o.MaxBytes)
	if err != nil {
		return nil, err
	}
	l := &Lookup{src: src, cache: c, ttl: o.TTL, staleTTL: o.StaleTTL, timeout: o.Timeout, rec: o.Recorder, epochs: map[int64]uint64{}}
	if o.StaleTTL > 0 && o.Shared != nil {
		l.shared, l.logger = o.Shared, o.Logger
	} else if o.StaleTTL > 0 {
		if l.stale, err = newRistretto(o.StaleMaxBytes); err != nil {
			c.Close()
			return nil, err
		}
	}
	return l, nil
}

func newRistretto(maxBytes int64) (*ristretto.Cache[string, *entry], error) {
	// Ristretto wants about ten counters per item it may hold; a typical
	// answer is a few KiB.
	counters := max(maxBytes/2048*10, 10_000)
	return ristretto.NewCache(&ristretto.Config[string, *entry]{
		NumCounters: counters,
		MaxCost:     maxBytes - countersOverhead(counters),
		BufferItems: 64,
	})
}

// countersOverhead is the memory ristretto's admission policy takes for
// counters counters (its count-min sketch and bloom filter round them up
// to a power of two and take at most 4 bytes each). MaxBytes bounds the
// cache's memory with its bookkeeping, so answers get the rest.
func countersOverhead(counters int64) int64 {
	pow := int64(1)
	for pow < counters {
		pow <<= 1
	}
	return 4 * pow
}

// Close waits for the calls to the source still running, then releases the
// caches' goroutines. Lookups after Close find nothing cached and fail.
func (l *Lookup) Close() {
	l.life.Lock()
	l.closed = true
	l.life.Unlock()
	l.calls.Wait()
	l.cache.Close()
	if l.stale != nil {
		l.stale.Close()
	}
}

// Key is the cache key: workspace, store and normalized email.
func Key(workspaceID, storeID int64, email string) string {
	return strconv.FormatInt(workspaceID, 10) + "/" + strconv.FormatInt(storeID, 10) + "/" + email
}

// LookupCustomer answers from the cache when it can, and otherwise asks the
// source once however many callers ask at the same time. Errors are not
// cached; answers with no customer are.
func (l *Lookup) LookupCustomer(ctx context.Context, store domain.Store, email string) (*domain.CustomerOrders, error) {
	key := Key(store.WorkspaceID, store.ID, email)
	return cached(l, ctx, key, store, email, func(ctx context.Context) (*domain.CustomerOrders, error) {
		return l.src.LookupCustomer(ctx, store, email)
	})
}

// cached answers from the cache when it can, and otherwise asks load once
// however many callers ask for key at the same time.
func cached[T any](l *Lookup, ctx context.Context, key string, store domain.Store, email string, load func(context.Context) (T, error)) (T, error) {
	if v, ok := hit[T](l, key); ok {
		return v, nil
	}
	l.record("miss")
	return fetch(l, ctx, key, store, email, load)
}

// hit is the fresh answer kept under key, counted as a hit.
func hit[T any](l *Lookup, key string) (T, bool) {
	if e, ok := l.cache.Get(key); ok {
		if v, ok := e.value.(T); ok {
			l.record("hit")
			return v, true
		}
	}
	var zero T
	return zero, false
}

// CachedCustomer is LookupCustomer's answer when the cache holds a fresh
// one (counted as a hit), and false, counting nothing, when it does not: a
// caller can skip setting up a deadline for an answer already in memory.
func (l *Lookup) CachedCustomer(store domain.Store, email string) (*domain.CustomerOrders, bool) {
	return hit[*domain.CustomerOrders](l, Key(store.WorkspaceID, store.ID, email))
}

// Peek returns the answer the cache holds for an email, fresh or the last
// good one, without asking Shopify and without counting a hit or a miss:
// the sidebar's page sizes each section's skeleton from it.
func (l *Lookup) Peek(store domain.Store, email string) (*domain.CustomerOrders, bool) {
	key := Key(store.WorkspaceID, store.ID, email)
	if e, ok := l.cache.Get(key); ok {
		if v, ok := e.value.(*domain.CustomerOrders); ok {
			return v, true
		}
	}
	if l.stale != nil {
		if e, ok := l.stale.Get(key); ok {
			if v, ok := e.value.(*domain.CustomerOrders); ok {
				return v, true
			}
		}
	}
	return nil, false
}

// LookupFresh skips the cache for one call and refreshes it with the answer:
// the troubleshooting page's "bypass the cache" button. When Shopify does
// not answer, it too falls back to the last good answer, marked Stale.
func (l *Lookup) LookupFresh(ctx context.Context, store domain.Store, email string) (*domain.CustomerOrders, error) {
	key := Key(store.WorkspaceID, store.ID, email)
	l.cache.Del(key)
	return fetch(l, ctx, key, store, email, func(ctx context.Context) (*domain.CustomerOrders, error) {
		return l.src.LookupCustomer(ctx, store, email)
	})
}

func fetch[T any](l *Lookup, ctx context.Context, key string, store domain.Store, email string, load func(context.Context) (T, error)) (T, error) {
	var zero T
	epoch := l.epoch(store.ID)
	ch := l.group.DoChan(key+"@"+strconv.FormatUint(epoch, 10), func() (any, error) {
		if !l.begin() {
			return nil, domain.Errorf(domain.KindShopifyUnavailable, "shopcard is shutting down; try again in a moment.")
		}
		defer l.calls.Done()
		// A caller that missed the cache just before another call stored
		// the answer, and got here after that call ended, must not ask
		// Shopify again: under load, a caller can be descheduled between
		// its miss and this point for as long as a whole call takes.
		// LookupFresh deleted the key, so it finds nothing here unless a
		// call that started after it stored a newer answer.
		if e, ok := l.cache.Get(key); ok {
			if v, ok := e.value.(T); ok {
				return v, nil
			}
		}
		// The call outlives any one caller: if the first rep closes the
		// conversation, the others waiting on it still get the answer.
		callCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), l.timeout)
		defer cancel()
		started := time.Now()
		v, err := load(callCtx)
		if err != nil {
			return nil, err
		}
		kept, current := l.keep(key, store, email, v, epoch)
		if current && l.shared != nil && keepsLastGood(kept) {
			l.keepShared(key, store, email, v, started)
		}
		return kept, nil
	})
	select {
	case res := <-ch:
		if res.Err != nil {
			return staleOr[T](l, key, store, res.Err)
		}
		v, ok := res.Val.(T)
		if !ok {
			return zero, fmt.Errorf("cache: %s answered with %T", key, res.Val)
		}
		return v, nil
	case <-ctx.Done():
		return staleOr[T](l, key, store, domain.Wrap(domain.KindShopifyTimeout, ctx.Err(), "Shopify did not answer in time"))
	}
}

// begin counts a shared call in, unless the cache is closing.
func (l *Lookup) begin() bool {
	l.life.RLock()
	defer l.life.RUnlock()
	if l.closed {
		return false
	}
	l.calls.Add(1)
	return true
}

// keep stores a fresh answer, and as the last good one (in memory) when
// its kind has one (keepsLastGood), unless an eviction for its store
// happened since its call began. It returns the compact copy it keeps (see
// size.go), which callers get from then on, and whether the answer was
// current enough to keep.
func (l *Lookup) keep(key string, store domain.Store, email string, answer any, epoch uint64) (any, bool) {
	v, size := keptCopy(answer)
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.epochLocked(store.ID) != epoch {
		return v, false
	}
	ttl := l.ttl
	if store.CacheTTL > 0 {
		ttl = store.CacheTTL
	}
	e := &entry{key: key, storeID: store.ID, email: email, value: v, size: size}
	l.cache.SetWithTTL(key, e, size, ttl)
	if l.stale != nil && keepsLastGood(v) {
		l.stale.SetWithTTL(key, e, size, l.staleTTL)
		l.stale.Wait()
	}
	// Make the answer visible to the next Get before we return it, so
	// "the second load is a hit" holds even under a cold start.
	l.cache.Wait()
	return v, true
}

// staleOr answers a failed refresh with the last good answer, marked
// stale, when the failure means Shopify did not answer (down, too slow,
// rate-limited). Failures that need an admin (a revoked token, a frozen
// shop, a missing scope) are not papered over.
func staleOr[T any](l *Lookup, key string, store domain.Store, err error) (T, error) {
	var zero T
	if l.stale == nil && l.shared == nil {
		return zero, err
	}
	switch domain.KindOf(err) {
	case domain.KindShopifyUnavailable, domain.KindShopifyTimeout, domain.KindShopifyThrottled:
	default:
		return zero, err
	}
	var last any
	if l.shared != nil {
		v, ok := l.sharedStale(key)
		if !ok {
			return zero, err
		}
		last = v
	} else {
		e, ok := l.stale.Get(key)
		if !ok {
			return zero, err
		}
		last = e.value
	}
	// The cached value is shared: mark a copy.
	answer, ok := staleCopy(last).(T)
	if !ok {
		return zero, err
	}
	if l.rec != nil {
		l.rec.StaleServed(store.Domain)
	}
	return answer, nil
}

func (l *Lookup) epoch(storeID int64) uint64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.epochLocked(storeID)
}

// epochLocked is a store's epoch: its evictions, and every Flush, in one
// number that only grows.
func (l *Lookup) epochLocked(storeID int64) uint64 {
	return l.flushes<<32 + l.epochs[storeID]
}

// Flush drops every answer held in memory, fresh and last good, of every
// store, and keeps none of the calls already running: a replica whose
// listener missed invalidations (see fanout) can't tell which answers are
// still current. Last good answers in a shared store (Options.Shared) are
// the database's and stay.
func (l *Lookup) Flush() {
	l.mu.Lock()
	l.flushes++
	l.mu.Unlock()
	l.cache.Clear()
	if l.stale != nil {
		l.stale.Clear()
	}
}

// EvictMatching drops the cached answers of the given store connections
// (one per workspace the shop is connected to) that m selects: webhooks
// call it when a customer or their orders change. Last good answers stay.
func (l *Lookup) EvictMatching(storeIDs []int64, m Match) int {
	return l.evictWhere(false, storeIDs, false, m)
}

// PurgeMatching drops the answers m selects, fresh and last good alike:
// customer data that must go (a redaction request).
func (l *Lookup) PurgeMatching(storeIDs []int64, m Match) int {
	return l.evictWhere(true, storeIDs, false, m)
}

// PurgeStore drops every answer for a store, fresh and last good alike,
// when it is disconnected or redacted. It returns how many fresh answers
// were dropped.
func (l *Lookup) PurgeStore(storeID int64) int {
	return l.evictWhere(true, []int64{storeID}, true, Match{})
}

// Match selects cached answers by what they are about: the emails looked
// up (normalized), customers by legacy ID, and orders, customers' or
// guests', by legacy ID. An answer matching any of them is selected.
type Match struct {
	Emails      []string
	CustomerIDs []uint64
	OrderIDs    []uint64
}

func (m Match) selects(e *entry) bool {
	for _, email := range m.Emails {
		if e.email == email {
			return true
		}
	}
	v, ok := e.value.(*domain.CustomerOrders)
	if !ok {
		return m.selectsAnswer(e.value)
	}
	if v.Customer != nil {
		for _, id := range m.CustomerIDs {
			if v.Customer.LegacyResourceID == id {
				return true
			}
		}
	}
	if len(m.OrderIDs) > 0 {
		for _, orders := range [][]domain.Order{v.Orders, v.GuestOrders} {
			for i := range orders {
				for _, id := range m.OrderIDs {
					if orders[i].LegacyResourceID == id {
						return true
					}
				}
			}
		}
	}
	return false
}

// evictWhere drops the answers of the given stores that match, from the
// fresh cache and, when purging, from the last good answers too. It
// returns how many fresh answers it dropped.
func (l *Lookup) evictWhere(purge bool, storeIDs []int64, all bool, m Match) int {
	match := m.selects
	if all {
		match = func(*entry) bool { return true }
	}
	stores := map[int64]bool{}
	l.mu.Lock()
	for _, id := range storeIDs {
		stores[id] = true
		l.epochs[id]++
	}
	l.mu.Unlock()
	n := deleteWhere(l.cache, func(e *entry) bool { return stores[e.storeID] && match(e) })
	if purge && l.stale != nil {
		deleteWhere(l.stale, func(e *entry) bool { return stores[e.storeID] && match(e) })
	}
	if purge && l.shared != nil {
		l.purgeShared(storeIDs, all, m)
	}
	return n
}

func deleteWhere(c *ristretto.Cache[string, *entry], match func(*entry) bool) int {
	var keys []string
	c.IterValues(func(e *entry) bool {
		if match(e) {
			keys = append(keys, e.key)
		}
		return false
	})
	for _, k := range keys {
		c.Del(k)
	}
	c.Wait()
	return len(keys)
}

func (l *Lookup) record(result string) {
	if l.rec != nil {
		l.rec.CacheResult(result)
	}
}

// Usage is how much a Lookup holds: answers and the bytes charged for
// them against MaxBytes and StaleMaxBytes.
type Usage struct {
	Entries, StaleEntries int
	Bytes, StaleBytes     int64
}

// Usage counts the answers held. It walks every entry, so it is for
// reports and tests, not for the request path.
func (l *Lookup) Usage() Usage {
	var u Usage
	l.cache.IterValues(func(e *entry) bool {
		u.Entries++
		u.Bytes += e.size
		return false
	})
	if l.stale != nil {
		l.stale.IterValues(func(e *entry) bool {
			u.StaleEntries++
			u.StaleBytes += e.size
			return false
		})
	}
	return u
}

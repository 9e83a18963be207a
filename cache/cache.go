// Package cache keeps Shopify answers in memory for a short time, so that a
// rep reopening a conversation does not wait for Shopify again. Lookup is a
// decorator: it has the same LookupCustomer method as the Shopify client it
// wraps, so handlers neither know nor care whether they are cached.
package cache

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/dgraph-io/ristretto/v2"
	"golang.org/x/sync/singleflight"

	"shopcard/domain"
)

// Source is what Lookup decorates: the Shopify client, in production.
type Source interface {
	LookupCustomer(ctx context.Context, store domain.Store, email string) (*domain.CustomerOrders, error)
}

// Recorder counts hits and misses, for metrics.
type Recorder interface {
	CacheResult(result string) // "hit" or "miss"
}

// Options configures a Lookup.
type Options struct {
	TTL      time.Duration // how long an answer is served without asking Shopify
	MaxBytes int64         // upper bound on the memory the cached answers use
	// Timeout bounds one shared call to the source. Waiting callers may give
	// up sooner through their own contexts; the call carries on for the next.
	Timeout  time.Duration
	Recorder Recorder
}

// Lookup is a cached Source. Concurrent misses for one key make one call.
type Lookup struct {
	src     Source
	cache   *ristretto.Cache[string, *entry]
	group   singleflight.Group
	ttl     time.Duration
	timeout time.Duration
	rec     Recorder
}

type entry struct {
	key     string
	storeID int64
	email   string
	value   *domain.CustomerOrders
}

// New wraps src in a cache.
func New(src Source, o Options) (*Lookup, error) {
	if o.TTL <= 0 {
		return nil, fmt.Errorf("cache TTL must be positive, got %v", o.TTL)
	}
	if o.MaxBytes < 1<<20 {
		return nil, fmt.Errorf("cache size must be at least 1 MiB, got %d bytes", o.MaxBytes)
	}
	if o.Timeout <= 0 {
		o.Timeout = 8 * time.Second
	}
	// Ristretto wants about ten counters per item it may hold; a typical
	// answer is a few KiB.
	counters := max(o.MaxBytes/2048*10, 10_000)
	c, err := ristretto.NewCache(&ristretto.Config[string, *entry]{
		NumCounters: counters,
		MaxCost:     o.MaxBytes,
		BufferItems: 64,
	})
	if err != nil {
		return nil, err
	}
	return &Lookup{src: src, cache: c, ttl: o.TTL, timeout: o.Timeout, rec: o.Recorder}, nil
}

// Close releases the cache's goroutines.
func (l *Lookup) Close() { l.cache.Close() }

// Key is the cache key: workspace, store and normalized email.
func Key(workspaceID, storeID int64, email string) string {
	return strconv.FormatInt(workspaceID, 10) + "/" + strconv.FormatInt(storeID, 10) + "/" + email
}

// LookupCustomer answers from the cache when it can, and otherwise asks the
// source once however many callers ask at the same time. Errors are not
// cached; answers with no customer are.
func (l *Lookup) LookupCustomer(ctx context.Context, store domain.Store, email string) (*domain.CustomerOrders, error) {
	key := Key(store.WorkspaceID, store.ID, email)
	if e, ok := l.cache.Get(key); ok {
		l.record("hit")
		return e.value, nil
	}
	l.record("miss")
	return l.fetch(ctx, key, store, email)
}

// LookupFresh skips the cache for one call and refreshes it with the answer:
// the troubleshooting page's "bypass the cache" button.
func (l *Lookup) LookupFresh(ctx context.Context, store domain.Store, email string) (*domain.CustomerOrders, error) {
	key := Key(store.WorkspaceID, store.ID, email)
	l.cache.Del(key)
	return l.fetch(ctx, key, store, email)
}

func (l *Lookup) fetch(ctx context.Context, key string, store domain.Store, email string) (*domain.CustomerOrders, error) {
	ch := l.group.DoChan(key, func() (any, error) {
		// The call outlives any one caller: if the first rep closes the
		// conversation, the others waiting on it still get the answer.
		callCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), l.timeout)
		defer cancel()
		v, err := l.src.LookupCustomer(callCtx, store, email)
		if err != nil {
			return nil, err
		}
		ttl := l.ttl
		if store.CacheTTL > 0 {
			ttl = store.CacheTTL
		}
		l.cache.SetWithTTL(key, &entry{key: key, storeID: store.ID, email: email, value: v}, SizeOf(v), ttl)
		// Make the answer visible to the next Get before we return it, so
		// "the second load is a hit" holds even under a cold start.
		l.cache.Wait()
		return v, nil
	})
	select {
	case res := <-ch:
		if res.Err != nil {
			return nil, res.Err
		}
		return res.Val.(*domain.CustomerOrders), nil
	case <-ctx.Done():
		return nil, domain.Wrap(domain.KindShopifyTimeout, ctx.Err(), "Shopify did not answer in time")
	}
}

// Evict drops one contact's answer from a store, so the next load asks
// Shopify; webhooks call it when the customer or their orders change.
func (l *Lookup) Evict(workspaceID, storeID int64, email string) {
	l.cache.Del(Key(workspaceID, storeID, email))
}

// EvictEmail drops every cached answer for an email in a store, whatever
// workspace it was cached for. It returns how many answers were dropped.
func (l *Lookup) EvictEmail(storeID int64, email string) int {
	return l.evictWhere(func(e *entry) bool { return e.storeID == storeID && e.email == email })
}

// PurgeStore drops every cached answer for a store, when it is
// disconnected. It returns how many answers were dropped.
func (l *Lookup) PurgeStore(storeID int64) int {
	return l.evictWhere(func(e *entry) bool { return e.storeID == storeID })
}

func (l *Lookup) evictWhere(match func(*entry) bool) int {
	var keys []string
	l.cache.IterValues(func(e *entry) bool {
		if match(e) {
			keys = append(keys, e.key)
		}
		return false
	})
	for _, k := range keys {
		l.cache.Del(k)
	}
	l.cache.Wait()
	return len(keys)
}

func (l *Lookup) record(result string) {
	if l.rec != nil {
		l.rec.CacheResult(result)
	}
}

package loadtest

import (
	"context"
	"errors"
	"runtime"
	"strconv"
	"sync"
	"time"

	"shopcard/cache"
	"shopcard/domain"
)

// MemoryResult is what filling the cache with many contacts left on the
// heap.
type MemoryResult struct {
	Contacts int         // different contacts looked up
	Usage    cache.Usage // answers kept and the bytes charged for them
	Budget   int64       // MaxBytes, plus StaleMaxBytes when stale answers are kept
	// HeapInuse and HeapAlloc are the growth of runtime.MemStats'
	// HeapInuse (spans in use, so fragmentation too) and HeapAlloc (live
	// objects), after a full GC, from before the cache was made.
	HeapInuse, HeapAlloc int64
	// AnswerHeap is the heap one answer occupies, measured, and
	// AnswerCharged what cache.SizeOf charges for it.
	AnswerHeap, AnswerCharged int64
	Elapsed                   time.Duration
}

// syntheticSource answers every email with its own deep copy of one real
// answer, as if Shopify had answered; it never fails.
type syntheticSource struct{ answer *domain.CustomerOrders }

func (s syntheticSource) LookupCustomer(_ context.Context, _ domain.Store, email string) (*domain.CustomerOrders, error) {
	a := CloneAnswer(s.answer, email)
	a.FetchedAt = time.Now()
	return a, nil
}

// The memory scenario fills the cache with customer answers only; the
// other lookups are never asked of this source.
func (syntheticSource) LookupOrder(context.Context, domain.Store, uint64) (*domain.OrderDetail, error) {
	return nil, errNotSynthetic
}

func (syntheticSource) FindOrders(context.Context, domain.Store, string) (*domain.OrderMatches, error) {
	return nil, errNotSynthetic
}

func (syntheticSource) SearchProducts(context.Context, domain.Store, string) (*domain.ProductResults, error) {
	return nil, errNotSynthetic
}

func (syntheticSource) ShopDetails(context.Context, domain.Store) (*domain.ShopDetails, error) {
	return nil, errNotSynthetic
}

var errNotSynthetic = errors.New("loadtest: the synthetic source only answers customer lookups")

// CacheMemory makes a cache with opts in front of a synthetic source that
// answers every contact with a copy of answer, looks up contacts different
// emails through it (the real decorator: keys, sizes, admission, TTLs,
// stale answers), and measures the heap it holds afterwards.
func CacheMemory(ctx context.Context, opts cache.Options, answer *domain.CustomerOrders, contacts int) (MemoryResult, error) {
	res := MemoryResult{Contacts: contacts, Budget: opts.MaxBytes, AnswerCharged: cache.SizeOf(answer)}
	if opts.StaleTTL > 0 {
		res.Budget += opts.StaleMaxBytes
	}
	res.AnswerHeap = answerHeap(answer)

	before := heapStats()
	start := time.Now()
	l, err := cache.New(syntheticSource{answer: answer}, opts)
	if err != nil {
		return res, err
	}
	defer l.Close()
	store := domain.Store{ID: 1, WorkspaceID: 1, Domain: "memory.myshopify.com"}
	for i := range contacts {
		if ctx.Err() != nil {
			return res, ctx.Err()
		}
		if _, err := l.LookupCustomer(ctx, store, "contact-"+strconv.Itoa(i)+"@example.com"); err != nil {
			return res, err
		}
	}
	res.Elapsed = time.Since(start)
	after := heapStats()
	res.Usage = l.Usage()
	res.HeapInuse = int64(after.HeapInuse) - int64(before.HeapInuse)
	res.HeapAlloc = int64(after.HeapAlloc) - int64(before.HeapAlloc)
	runtime.KeepAlive(l)
	return res, nil
}

// answerHeap measures the heap one copy of answer takes, over many copies.
func answerHeap(answer *domain.CustomerOrders) int64 {
	const n = 1000
	before := heapStats()
	keep := make([]*domain.CustomerOrders, n)
	for i := range keep {
		keep[i] = CloneAnswer(answer, "contact-"+strconv.Itoa(i)+"@example.com")
	}
	after := heapStats()
	runtime.KeepAlive(keep)
	return (int64(after.HeapAlloc) - int64(before.HeapAlloc)) / n
}

var gcMu sync.Mutex

// heapStats collects garbage fully, then reads the heap.
func heapStats() runtime.MemStats {
	gcMu.Lock()
	defer gcMu.Unlock()
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m
}

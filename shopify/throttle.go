package shopify

import (
	"context"
	"math"
	"sync"
	"time"

	"shopcard/domain"
)

// Shopify's smallest plan (Standard) has a 2000-point bucket restoring 100
// points a second. Until a store's first answer tells us its real bucket,
// we assume that one: no real store has less.
const (
	assumedBucketSize  = 2000
	assumedRestoreRate = 100
)

// The estimate trusts Shopify's numbers within bounds. A single answer
// claiming a restore rate no plan has (0.001 points a second) would
// otherwise have every request wait hours for points, refuse them all
// locally, and so never send the request that would learn better.
const (
	// The bucket and its restore rate are clamped so that the arithmetic
	// stays finite (a rate of 1e-300 would make a wait overflow) and a
	// claim of a limitless bucket stays a claim Shopify can correct.
	minBucketSize  = 1
	maxBucketSize  = 1_000_000
	minRestoreRate = 1
	maxRestoreRate = 100_000
	// maxEstimateWait is the longest wait real numbers can ask of a
	// request: the most one query may cost (1000 points) at the smallest
	// plan's restore rate (100 a second). The estimate never asks more,
	// and once this long has passed since Shopify last reported the
	// bucket, one request is sent whatever the estimate says (a probe),
	// and its answer corrects the estimate.
	maxEstimateWait = 10 * time.Second
)

// bucketEstimate is our view of one store's leaky bucket of query cost
// points, learnt from extensions.cost.throttleStatus on every answer.
// Requests reserve their requested cost before they are sent and wait
// while the estimate says the points are not there, so concurrent requests
// to one store queue up instead of stampeding into THROTTLED.
type bucketEstimate struct {
	mu        sync.Mutex
	size      float64
	available float64 // as of at
	rate      float64 // points per second
	at        time.Time
	// reserved is what requests in flight reserved since the last status
	// Shopify reported. A status already counts the requests Shopify had
	// charged when it wrote it, so adopting one starts a new generation
	// and drops the older reservations rather than count them twice;
	// a request Shopify had not charged yet may then overshoot, and be
	// THROTTLED and retried, which is the lesser evil.
	reserved   float64
	generation uint64
	// probing is set while a probe (see maxEstimateWait) is in flight;
	// probedAt is when the last one settled without news from Shopify.
	probing  bool
	probedAt time.Time
	// changed is closed, and replaced, whenever points may have come
	// free, to wake the requests waiting for them.
	changed chan struct{}
}

// reservation is what one request holds in its shop's bucket estimate.
type reservation struct {
	cost       float64
	generation uint64
	probe      bool // sent although the estimate had no points for it
}

func newBucketEstimate(now time.Time) *bucketEstimate {
	return &bucketEstimate{
		size: assumedBucketSize, available: assumedBucketSize, rate: assumedRestoreRate,
		at: now, changed: make(chan struct{}),
	}
}

// level is the points the bucket holds at now, before reservations.
func (b *bucketEstimate) level(now time.Time) float64 {
	if now.After(b.at) {
		return math.Min(b.size, b.available+b.rate*now.Sub(b.at).Seconds())
	}
	return b.available
}

// Why a request waited before being sent, as metrics label it.
const (
	// WaitRefill: the estimate had too few points free, counting what
	// requests in flight reserved, and the request waited for the bucket
	// to refill or for one of those to settle.
	WaitRefill = "refill"
	// WaitProbe: the estimate had been silent too long and a probe was in
	// flight to correct it; the request waited for its answer.
	WaitProbe = "probe"
)

// grant is the estimate's verdict on one request.
type grant struct {
	held reservation
	// wait, when not zero, is how long until the points might be there;
	// changed is closed sooner if they may have come free, and reason
	// says what the request waits for.
	wait    time.Duration
	changed <-chan struct{}
	reason  string
	// inFlight says requests in flight hold points that may free some.
	inFlight bool
	// tooLarge says the request asks for more than the whole bucket
	// holds: Shopify could never admit it, so it is not sent.
	tooLarge bool
}

// reserve takes cost points if the estimate has them free, and otherwise
// says how long until it might. A request for more than the whole bucket
// is refused: Shopify would answer it THROTTLED however long it waited.
// Only a probe, once the estimate is stale, is sent whatever it asks, as
// its answer is what corrects a bucket believed too small.
func (b *bucketEstimate) reserve(cost float64, now time.Time) grant {
	b.mu.Lock()
	defer b.mu.Unlock()
	free := b.level(now) - b.reserved
	if cost <= free {
		b.reserved += cost
		return grant{held: reservation{cost: cost, generation: b.generation}}
	}
	if b.probing {
		return grant{wait: maxEstimateWait, changed: b.changed, reason: WaitProbe, inFlight: true}
	}
	probeAt := b.at
	if b.probedAt.After(probeAt) {
		probeAt = b.probedAt
	}
	probeAt = probeAt.Add(maxEstimateWait)
	if !now.Before(probeAt) {
		b.probing = true
		b.reserved += cost
		return grant{held: reservation{cost: cost, generation: b.generation, probe: true}}
	}
	if cost > b.size {
		return grant{tooLarge: true}
	}
	// Round up to the millisecond, plus one: floating-point dust must not
	// leave the bucket a hair short when the wait is over, here or at
	// Shopify. Never past the next probe.
	ms := math.Ceil((cost - free) / b.rate * 1000)
	wait := min(time.Duration(ms+1)*time.Millisecond, probeAt.Sub(now))
	return grant{wait: wait, changed: b.changed, reason: WaitRefill, inFlight: b.reserved > 0}
}

// capacity is the bucket's size as the estimate has it.
func (b *bucketEstimate) capacity() float64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.size
}

// settle gives back a reservation and, when Shopify reported its bucket,
// adopts that as the new estimate.
func (b *bucketEstimate) settle(r reservation, status *ThrottleStatus, now time.Time) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if r.generation == b.generation {
		b.reserved = math.Max(0, b.reserved-r.cost)
	}
	if r.probe {
		b.probing = false
		b.probedAt = now
	}
	if status != nil && status.MaximumAvailable > 0 && status.RestoreRate > 0 {
		b.size = clamp(status.MaximumAvailable, minBucketSize, maxBucketSize)
		b.available = clamp(status.CurrentlyAvailable, 0, b.size)
		b.rate = clamp(status.RestoreRate, minRestoreRate, maxRestoreRate)
		b.at = now
		b.generation++
		b.reserved = 0
	}
	close(b.changed)
	b.changed = make(chan struct{})
}

// clamp bounds v to [lo, hi]; NaN becomes lo.
func clamp(v, lo, hi float64) float64 {
	if !(v >= lo) {
		return lo
	}
	return math.Min(v, hi)
}

// bucketFor returns the estimate for a shop, creating it on first use.
func (c *Client) bucketFor(shop string) *bucketEstimate {
	c.bucketsMu.Lock()
	defer c.bucketsMu.Unlock()
	b, ok := c.buckets[shop]
	if !ok {
		b = newBucketEstimate(c.now())
		c.buckets[shop] = b
	}
	return b
}

// acquire waits until the shop's bucket has cost points for this request
// and reserves them. The wait is the time the bucket takes to refill, or
// less when a request in flight settles first and frees its points. It
// never waits past ctx's deadline: when refilling alone cannot bring the
// points in time and no request in flight may free them, it fails at once,
// so the caller can fall back (to a stale answer, say) instead of sitting
// out the deadline.
func (c *Client) acquire(ctx context.Context, shop string, cost int) (reservation, error) {
	if cost <= 0 {
		return reservation{generation: ^uint64(0)}, nil
	}
	b := c.bucketFor(shop)
	for {
		g := b.reserve(float64(cost), c.now())
		if g.tooLarge {
			if c.observer != nil {
				c.observer.ObserveShopifyThrottleRefusal(shop)
			}
			return reservation{}, domain.Errorf(domain.KindShopifyThrottled, "The request needs %d query points, more than this shop's rate limit holds (%.0f), so Shopify could not accept it.", cost, b.capacity())
		}
		if g.wait == 0 {
			return g.held, nil
		}
		wait := g.wait
		if !fitsDeadline(ctx, wait) {
			if !g.inFlight {
				if c.observer != nil {
					c.observer.ObserveShopifyThrottleRefusal(shop)
				}
				return reservation{}, domain.Errorf(domain.KindShopifyThrottled, "Shopify's rate limit for this shop would not allow the request before the deadline.")
			}
			if deadline, ok := ctx.Deadline(); ok {
				wait = time.Until(deadline)
			}
		}
		start := c.now()
		err := c.sleep(ctx, wait, g.changed)
		if c.observer != nil {
			c.observer.ObserveShopifyThrottleWait(shop, g.reason, c.now().Sub(start))
		}
		if err != nil {
			return reservation{}, domain.Wrap(domain.KindShopifyTimeout, err, "Shopify did not answer in time")
		}
	}
}

// fitsDeadline reports whether waiting d leaves ctx's deadline unpassed.
func fitsDeadline(ctx context.Context, d time.Duration) bool {
	deadline, ok := ctx.Deadline()
	return !ok || time.Until(deadline) > d
}

// SleepContext is the client's default Options.Sleep: it waits d, or until wake is closed (nil never is), or until
// ctx ends, which is the only case that returns an error.
func SleepContext(ctx context.Context, d time.Duration, wake <-chan struct{}) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-wake:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

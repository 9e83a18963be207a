package fakeshopify

import (
	"fmt"
	"math"
	"time"
)

// bucket is Shopify's leaky bucket of query cost points for one store: it
// holds at most size points and refills continuously at rate points per
// second. A query is admitted when its requested cost is available; the
// requested cost is taken up front and the part not actually spent is
// given back once the query has run, which is why the captures show
// currentlyAvailable = maximum - actualQueryCost.
type bucket struct {
	size, rate float64
	available  float64
	last       time.Time
}

func newBucket(size, rate int, now time.Time) bucket {
	return bucket{size: float64(size), rate: float64(rate), available: float64(size), last: now}
}

// refill credits the points restored since the last call. A clock that
// moves backwards restores nothing and is not remembered, so stepping it
// forward again cannot credit the same interval twice.
func (b *bucket) refill(now time.Time) {
	if now.After(b.last) {
		b.available = math.Min(b.size, b.available+b.rate*now.Sub(b.last).Seconds())
		b.last = now
	}
}

// take spends cost points if they are available.
func (b *bucket) take(cost int, now time.Time) bool {
	b.refill(now)
	if float64(cost) > b.available {
		return false
	}
	b.available -= float64(cost)
	return true
}

// giveBack returns points that were taken but not spent.
func (b *bucket) giveBack(points int) {
	b.available = math.Min(b.size, b.available+float64(points))
}

// ThrottleStatus is the state of a store's bucket, as Shopify reports it in
// extensions.cost.throttleStatus.
type ThrottleStatus struct {
	MaximumAvailable   int `json:"maximumAvailable"`
	CurrentlyAvailable int `json:"currentlyAvailable"`
	RestoreRate        int `json:"restoreRate"`
}

func (b *bucket) status(now time.Time) ThrottleStatus {
	b.refill(now)
	return ThrottleStatus{
		MaximumAvailable:   int(b.size),
		CurrentlyAvailable: int(math.Floor(b.available)),
		RestoreRate:        int(b.rate),
	}
}

// ThrottleStatus reports a store's bucket as of the server's clock.
func (s *Server) ThrottleStatus(shop string) (ThrottleStatus, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.storeLocked(shop)
	if err != nil {
		return ThrottleStatus{}, err
	}
	return st.bucket.status(s.clock()), nil
}

// SetBucket gives a store another plan's bucket: size points, restoring
// rate points a second (Shopify Plus restores 1000 a second, for
// example). The bucket starts full.
func (s *Server) SetBucket(shop string, size, rate int) error {
	if size <= 0 || rate <= 0 {
		return fmt.Errorf("fakeshopify: a bucket needs a positive size and rate, got %d and %d", size, rate)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.storeLocked(shop)
	if err != nil {
		return err
	}
	st.bucket = newBucket(size, rate, s.clock())
	return nil
}

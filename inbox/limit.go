package inbox

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Verification limits: each installation may ask its helpdesk about
// contacts this often, so that someone holding an installation's URL or a
// page's grant cannot walk a helpdesk's contacts quickly, and a runaway
// page cannot exhaust the helpdesk's own API limits.
const (
	VerifyRate  = rate.Limit(1) // per second, sustained
	VerifyBurst = 30
)

// Limiter rate-limits verifications per installation.
type Limiter struct {
	mu      sync.Mutex
	limit   rate.Limit
	burst   int
	now     func() time.Time
	buckets map[string]*rate.Limiter
}

// NewLimiter returns a limiter allowing limit per second with burst, per
// installation.
func NewLimiter(limit rate.Limit, burst int, now func() time.Time) *Limiter {
	return &Limiter{limit: limit, burst: burst, now: now, buckets: map[string]*rate.Limiter{}}
}

// Allow takes one verification from an installation's allowance. The map
// holds one small bucket per installation that was used; installations
// are rows an admin made, so it stays small, and full buckets are dropped
// when it grows.
func (l *Limiter) Allow(installationID string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	b, ok := l.buckets[installationID]
	if !ok {
		if len(l.buckets) >= 10000 {
			for id, old := range l.buckets {
				if old.TokensAt(now) >= float64(l.burst) {
					delete(l.buckets, id)
				}
			}
		}
		b = rate.NewLimiter(l.limit, l.burst)
		l.buckets[installationID] = b
	}
	return b.AllowN(now, 1)
}

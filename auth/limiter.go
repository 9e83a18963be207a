package auth

import (
	"sync"
	"time"
)

// Limiter throttles failed sign-ins. Each key (an account's email, or a
// client's IP address) may fail Max times within Window; after that every
// attempt on that key is refused, right password or not, until the oldest
// failure leaves the window. It lives in memory: a restart forgets it,
// which only an operator can cause.
type Limiter struct {
	Max    int
	Window time.Duration

	mu       sync.Mutex
	failures map[string][]time.Time
}

// maxKeys bounds the memory a flood of distinct keys can take; past it,
// keys whose failures have all left the window are dropped first.
const maxKeys = 100_000

// NewLimiter returns a Limiter allowing max failures per window.
func NewLimiter(max int, window time.Duration) *Limiter {
	return &Limiter{Max: max, Window: window, failures: map[string][]time.Time{}}
}

// Blocked reports whether key has used up its failures at now, and if so
// how long until it may try again.
func (l *Limiter) Blocked(key string, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	recent := l.recentLocked(key, now)
	if len(recent) < l.Max {
		return false, 0
	}
	return true, recent[len(recent)-l.Max].Add(l.Window).Sub(now)
}

// Fail records a failed attempt on key.
func (l *Limiter) Fail(key string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.failures) >= maxKeys {
		l.pruneLocked(now)
	}
	l.failures[key] = append(l.recentLocked(key, now), now)
}

// Reset forgets key's failures, after a successful sign-in.
func (l *Limiter) Reset(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.failures, key)
}

func (l *Limiter) recentLocked(key string, now time.Time) []time.Time {
	times := l.failures[key]
	cut := 0
	for cut < len(times) && !times[cut].After(now.Add(-l.Window)) {
		cut++
	}
	if cut == len(times) {
		delete(l.failures, key)
		return nil
	}
	times = times[cut:]
	l.failures[key] = times
	return times
}

func (l *Limiter) pruneLocked(now time.Time) {
	for k := range l.failures {
		l.recentLocked(k, now)
	}
	// Still full: forget arbitrary keys rather than grow without bound.
	for k := range l.failures {
		if len(l.failures) < maxKeys {
			break
		}
		delete(l.failures, k)
	}
}

package shopify

import (
	"math"
	"testing"
	"time"
)

// TestBucketEstimateBounds: whatever one answer claims, the estimate stays
// finite and the wait it asks of any query is never longer than
// maxEstimateWait, while real numbers are kept as they are.
func TestBucketEstimateBounds(t *testing.T) {
	t0 := time.Date(2026, 7, 15, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name                  string
		status                ThrottleStatus
		size, available, rate float64
	}{
		{"Standard, as reported", ThrottleStatus{MaximumAvailable: 2000, CurrentlyAvailable: 500, RestoreRate: 100}, 2000, 500, 100},
		{"Plus, as reported", ThrottleStatus{MaximumAvailable: 20000, CurrentlyAvailable: 20000, RestoreRate: 1000}, 20000, 20000, 1000},
		{"a restore rate no plan has", ThrottleStatus{MaximumAvailable: 2000, CurrentlyAvailable: 0, RestoreRate: 0.001}, 2000, 0, minRestoreRate},
		{"a small bucket, as reported", ThrottleStatus{MaximumAvailable: 100, CurrentlyAvailable: 40, RestoreRate: 10}, 100, 40, 10},
		{"a bucket of a fraction of a point", ThrottleStatus{MaximumAvailable: 0.25, CurrentlyAvailable: 0.25, RestoreRate: 100}, minBucketSize, 0.25, 100},
		{"more available than the bucket holds", ThrottleStatus{MaximumAvailable: 2000, CurrentlyAvailable: 1e9, RestoreRate: 100}, 2000, 2000, 100},
		{"negative availability", ThrottleStatus{MaximumAvailable: 2000, CurrentlyAvailable: -50, RestoreRate: 100}, 2000, 0, 100},
		{"a NaN", ThrottleStatus{MaximumAvailable: 2000, CurrentlyAvailable: math.NaN(), RestoreRate: 100}, 2000, 0, 100},
		{"absurdly large", ThrottleStatus{MaximumAvailable: 1e12, CurrentlyAvailable: 1e12, RestoreRate: 1e12}, maxBucketSize, maxBucketSize, maxRestoreRate},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newBucketEstimate(t0)
			b.settle(reservation{}, &tt.status, t0)
			if b.size != tt.size || b.available != tt.available || b.rate != tt.rate {
				t.Errorf("size %v, available %v, rate %v; want %v, %v, %v", b.size, b.available, b.rate, tt.size, tt.available, tt.rate)
			}
			for _, cost := range []float64{61, 1000} {
				if g := b.reserve(cost, t0); g.wait > maxEstimateWait {
					t.Errorf("a %v-point query would wait %v", cost, g.wait)
				}
			}
		})
	}
}

// TestBucketEstimateProbesOnce: once maxEstimateWait has passed since
// Shopify last reported the bucket, one request is let through however
// empty the estimate says it is, and the others wait for its answer.
func TestBucketEstimateProbesOnce(t *testing.T) {
	t0 := time.Date(2026, 7, 15, 12, 0, 0, 0, time.UTC)
	b := newBucketEstimate(t0)
	b.settle(reservation{}, &ThrottleStatus{MaximumAvailable: 2000, CurrentlyAvailable: 0, RestoreRate: 0.001}, t0)
	if g := b.reserve(906, t0.Add(time.Second)); g.wait != maxEstimateWait-time.Second || g.reason != WaitRefill {
		t.Errorf("a second after: wait %v (%s), want %v (until the probe, %s)", g.wait, g.reason, maxEstimateWait-time.Second, WaitRefill)
	}
	later := t0.Add(maxEstimateWait)
	probe := b.reserve(906, later)
	if probe.wait != 0 || !probe.held.probe {
		t.Fatalf("after %v: wait %v, probe %v; want a probe now", maxEstimateWait, probe.wait, probe.held.probe)
	}
	if g := b.reserve(906, later); g.wait == 0 || g.changed == nil || !g.inFlight || g.reason != WaitProbe {
		t.Fatalf("a second request during the probe: wait %v, in flight %v, reason %q; want it to wait for the probe", g.wait, g.inFlight, g.reason)
	}
	// The probe's answer, a real one, ends the probing.
	b.settle(probe.held, &ThrottleStatus{MaximumAvailable: 2000, CurrentlyAvailable: 2000, RestoreRate: 100}, later)
	if g := b.reserve(906, later); g.wait != 0 {
		t.Errorf("after a real answer: wait %v", g.wait)
	}
	// A probe that brings no news (a network error) waits its turn again.
	b = newBucketEstimate(t0)
	b.settle(reservation{}, &ThrottleStatus{MaximumAvailable: 2000, CurrentlyAvailable: 0, RestoreRate: 0.001}, t0)
	probe = b.reserve(906, later)
	b.settle(probe.held, nil, later)
	if g := b.reserve(906, later.Add(time.Second)); g.wait == 0 {
		t.Error("a probe without an answer let the next request probe at once")
	}
}

// TestBucketEstimateNeverSendsMoreThanItHolds: a request for more points
// than the whole bucket holds is refused, not sent to be THROTTLED; one
// that fits waits for its points; once the estimate is stale, a probe goes
// whatever it asks, since its answer is what corrects a bucket believed
// too small.
func TestBucketEstimateNeverSendsMoreThanItHolds(t *testing.T) {
	t0 := time.Date(2026, 7, 15, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name         string
		cost         float64
		at           time.Duration
		wantTooLarge bool
		wantWait     bool
	}{
		{"fits the free points", 100, 0, false, false},
		{"fits the bucket, not the free points", 300, 0, false, true},
		{"more than the whole bucket", 501, 0, true, false},
		{"more than the whole bucket, once the estimate is stale", 501, maxEstimateWait, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newBucketEstimate(t0)
			b.settle(reservation{}, &ThrottleStatus{MaximumAvailable: 500, CurrentlyAvailable: 200, RestoreRate: 50}, t0)
			g := b.reserve(tt.cost, t0.Add(tt.at))
			if g.tooLarge != tt.wantTooLarge || (g.wait > 0) != tt.wantWait {
				t.Errorf("too large %v, wait %v; want too large %v, a wait %v", g.tooLarge, g.wait, tt.wantTooLarge, tt.wantWait)
			}
		})
	}
}

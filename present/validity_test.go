package present

import (
	"math/rand/v2"
	"testing"
	"time"
)

// A relative time's next change is exact: the text holds until then and
// differs from then on.
func TestRelativeChanges(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	spans := []time.Duration{2 * time.Minute, 2 * time.Hour, 3 * 24 * time.Hour, 90 * 24 * time.Hour, 3 * 365 * 24 * time.Hour}
	for range 5000 {
		span := spans[rng.IntN(len(spans))]
		t0 := now.Add(-time.Duration(rng.Int64N(int64(span))) + time.Minute/2)
		until := relativeChanges(t0, now)
		if !until.After(now) {
			t.Fatalf("relativeChanges(%v, now) = %v, not after now", now.Sub(t0), until.Sub(now))
		}
		if a, b := relative(t0, now), relative(t0, until.Add(-time.Nanosecond)); a != b {
			t.Fatalf("age %v: %q became %q before %v", now.Sub(t0), a, b, until.Sub(now))
		}
		if a, b := relative(t0, now), relative(t0, until); a == b {
			t.Fatalf("age %v: %q still reads the same at %v", now.Sub(t0), a, until.Sub(now))
		}
		fetched := now.Add(-time.Duration(rng.Int64N(int64(span))) + time.Minute)
		until = staleLineChanges(fetched, now)
		if a, b := staleLine(fetched, now), staleLine(fetched, until.Add(-time.Nanosecond)); a != b || !until.After(now) {
			t.Fatalf("stale age %v: %q became %q before %v", now.Sub(fetched), a, b, until.Sub(now))
		}
		if a, b := staleLine(fetched, now), staleLine(fetched, until); a == b {
			t.Fatalf("stale age %v: %q still reads the same at %v", now.Sub(fetched), a, until.Sub(now))
		}
	}
	if until := relativeChanges(time.Time{}, now); !until.After(now) {
		t.Errorf("a zero time: %v", until)
	}
}

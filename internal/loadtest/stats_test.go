package loadtest

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"
)

func TestPercentile(t *testing.T) {
	var lats []time.Duration
	for i := 1; i <= 100; i++ {
		lats = append(lats, time.Duration(i)*time.Millisecond)
	}
	tests := []struct {
		p    float64
		want time.Duration
	}{{0.5, 50 * time.Millisecond}, {0.9, 90 * time.Millisecond}, {0.99, 99 * time.Millisecond}, {1, 100 * time.Millisecond}}
	for _, tt := range tests {
		if got := Percentile(lats, tt.p); got != tt.want {
			t.Errorf("p%.0f = %v, want %v", tt.p*100, got, tt.want)
		}
	}
	if Percentile(nil, 0.5) != 0 {
		t.Error("empty input")
	}
}

func TestRunCountsEveryCall(t *testing.T) {
	var calls atomic.Int64
	s := Run(context.Background(), 8, 250, func(context.Context) error {
		if calls.Add(1)%50 == 0 {
			return errors.New("boom")
		}
		return nil
	})
	if calls.Load() != 250 || s.Requests != 245 || s.Errors != 5 {
		t.Errorf("%d calls, stats %+v", calls.Load(), s)
	}
}

func TestCombine(t *testing.T) {
	a := Summarize([]time.Duration{3 * time.Millisecond, 1 * time.Millisecond}, 1, time.Second)
	b := Summarize([]time.Duration{2 * time.Millisecond, 4 * time.Millisecond}, 2, time.Second)
	c := Combine(a, b)
	if c.Requests != 4 || c.Errors != 3 || c.Elapsed != 2*time.Second || c.P50 != 2*time.Millisecond || c.Max != 4*time.Millisecond || c.RPS() != 2 {
		t.Errorf("combined %+v", c)
	}
}

// TestShare checks that rounds split requests without losing or adding
// one, and evenly.
func TestShare(t *testing.T) {
	tests := []struct{ total, rounds int }{{20000, 10}, {150000, 10}, {64, 1}, {7, 3}, {2, 10}}
	for _, tt := range tests {
		sum, least, most := 0, tt.total, 0
		for i := range tt.rounds {
			n := share(tt.total, tt.rounds, i)
			sum += n
			least, most = min(least, n), max(most, n)
		}
		if sum != tt.total || most-least > 1 {
			t.Errorf("%d in %d rounds: %d in all, rounds of %d to %d", tt.total, tt.rounds, sum, least, most)
		}
	}
}

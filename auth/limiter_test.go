package auth

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

var (
	t0    = time.Date(2026, 7, 1, 12, 0, 0, 0, time.UTC)
	rules = ThrottleRules{
		AccountAddress: Rule{Max: 3, Window: time.Minute},
		Address:        Rule{Max: 10, Window: time.Minute},
		Account:        Rule{Max: 6, Window: time.Hour},
		KnownFor:       24 * time.Hour,
	}
)

// fail reserves and fails n attempts, failing the test if one is refused.
func fail(t *testing.T, th *Throttle, account, address string, n int, at time.Time) {
	t.Helper()
	for i := range n {
		a, _, ok := th.Reserve(account, address, at)
		if !ok {
			t.Fatalf("%s from %s: attempt %d refused", account, address, i+1)
		}
		a.Failed()
	}
}

func TestThrottleRules(t *testing.T) {
	tests := []struct {
		name string
		// setup runs before the attempt under test: ada@ from address at
		// t0 + 1 s.
		setup   func(t *testing.T, th *Throttle)
		address string
		wantOK  bool
		wait    time.Duration
	}{
		{"a fresh account", func(*testing.T, *Throttle) {}, "192.0.2.1", true, 0},
		{"the pair's failures refuse that pair, even a right password",
			func(t *testing.T, th *Throttle) { fail(t, th, "ada", "192.0.2.1", 3, t0) }, "192.0.2.1", false, 59 * time.Second},
		{"the pair's failures do not refuse the account from elsewhere",
			func(t *testing.T, th *Throttle) { fail(t, th, "ada", "192.0.2.1", 3, t0) }, "198.51.100.9", true, 0},
		{"an address's failures over many accounts refuse it for every account",
			func(t *testing.T, th *Throttle) {
				for i := range 10 {
					fail(t, th, fmt.Sprintf("guess%d", i), "192.0.2.1", 1, t0)
				}
			}, "192.0.2.1", false, 59 * time.Second},
		{"failures from many addresses reach the account's own limit",
			func(t *testing.T, th *Throttle) {
				for i := range 6 {
					fail(t, th, "ada", fmt.Sprintf("203.0.113.%d", i), 1, t0)
				}
			}, "198.51.100.9", false, time.Hour - time.Second},
		{"but not from an address the account signed in from",
			func(t *testing.T, th *Throttle) {
				a, _, _ := th.Reserve("ada", "198.51.100.9", t0.Add(-time.Hour))
				a.Succeeded(t0.Add(-time.Hour))
				for i := range 6 {
					fail(t, th, "ada", fmt.Sprintf("203.0.113.%d", i), 1, t0)
				}
			}, "198.51.100.9", true, 0},
		{"a known address is forgotten after KnownFor",
			func(t *testing.T, th *Throttle) {
				a, _, _ := th.Reserve("ada", "198.51.100.9", t0.Add(-25*time.Hour))
				a.Succeeded(t0.Add(-25 * time.Hour))
				for i := range 6 {
					fail(t, th, "ada", fmt.Sprintf("203.0.113.%d", i), 1, t0)
				}
			}, "198.51.100.9", false, time.Hour - time.Second},
		{"a success forgets the pair's failures",
			func(t *testing.T, th *Throttle) {
				fail(t, th, "ada", "192.0.2.1", 2, t0)
				a, _, _ := th.Reserve("ada", "192.0.2.1", t0)
				a.Succeeded(t0)
				fail(t, th, "ada", "192.0.2.1", 2, t0)
			}, "192.0.2.1", true, 0},
		{"an abandoned attempt does not count",
			func(t *testing.T, th *Throttle) {
				for range 10 {
					a, _, ok := th.Reserve("ada", "192.0.2.1", t0)
					if !ok {
						t.Fatal("refused")
					}
					a.Abandon()
				}
			}, "192.0.2.1", true, 0},
		{"failures leave the window",
			func(t *testing.T, th *Throttle) { fail(t, th, "ada", "192.0.2.1", 3, t0.Add(-2*time.Minute)) }, "192.0.2.1", true, 0},
		{"one IPv6 /64 is one address",
			func(t *testing.T, th *Throttle) {
				for i := range 3 {
					fail(t, th, "ada", fmt.Sprintf("2001:db8:1:2::%x", i+1), 1, t0)
				}
			}, "2001:db8:1:2:ffff::1", false, 59 * time.Second},
		{"another /64 is another address",
			func(t *testing.T, th *Throttle) { fail(t, th, "ada", "2001:db8:1:2::1", 3, t0) }, "2001:db8:1:3::1", true, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			th := NewThrottle(rules)
			tt.setup(t, th)
			a, wait, ok := th.Reserve("ada", tt.address, t0.Add(time.Second))
			if ok != tt.wantOK || wait != tt.wait {
				t.Fatalf("ok %v, wait %v; want %v, %v", ok, wait, tt.wantOK, tt.wait)
			}
			if ok != (a != nil) {
				t.Fatal("an attempt must come with ok")
			}
		})
	}
}

// TestThrottleReservesBeforeChecking: simultaneous attempts on one
// account from one address get exactly the allowed number of
// reservations, however many arrive at once, so no more passwords are
// hashed than the rule allows. Run under -race.
func TestThrottleReservesBeforeChecking(t *testing.T) {
	th := NewThrottle(rules)
	var ok atomic.Int32
	var wg sync.WaitGroup
	start := make(chan struct{})
	for range 250 {
		wg.Go(func() {
			<-start
			if a, _, reserved := th.Reserve("ada", "192.0.2.1", t0); reserved {
				ok.Add(1)
				a.Failed()
			}
		})
	}
	close(start)
	wg.Wait()
	if n := ok.Load(); n != int32(rules.AccountAddress.Max) {
		t.Fatalf("%d attempts reserved, want %d", n, rules.AccountAddress.Max)
	}
}

func TestAddressKey(t *testing.T) {
	tests := []struct{ in, want string }{
		{"192.0.2.1", "192.0.2.1"},
		{"::ffff:192.0.2.1", "192.0.2.1"},
		{"2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"},
		{"not an address", "not an address"},
	}
	for _, tt := range tests {
		if got := AddressKey(tt.in); got != tt.want {
			t.Errorf("AddressKey(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestHashGate: at most concurrent checks run at once; queued more wait
// for a turn and then run; the rest are refused at once without running.
func TestHashGate(t *testing.T) {
	const concurrent, queued, callers = 2, 3, 20
	g := NewHashGate(concurrent, queued, time.Minute)
	release := make(chan struct{})
	var running, peak, entries, ran, busy atomic.Int32
	var wg sync.WaitGroup
	var entered sync.WaitGroup
	entered.Add(concurrent)
	for range callers {
		wg.Go(func() {
			err := g.Do(context.Background(), func() {
				n := running.Add(1)
				for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
				}
				if entries.Add(1) <= concurrent {
					entered.Done()
				}
				<-release
				running.Add(-1)
				ran.Add(1)
			})
			if errors.Is(err, ErrBusy) {
				busy.Add(1)
			} else if err != nil {
				t.Error(err)
			}
		})
	}
	// Once the first checks hold both slots and every other caller has
	// either queued or been refused, let them all go.
	entered.Wait()
	for busy.Load() < callers-concurrent-queued {
		time.Sleep(time.Millisecond)
	}
	close(release)
	wg.Wait()
	if peak.Load() > concurrent {
		t.Errorf("%d checks ran at once, want at most %d", peak.Load(), concurrent)
	}
	if ran.Load() != concurrent+queued || busy.Load() != callers-concurrent-queued {
		t.Errorf("%d ran and %d were refused; want %d and %d", ran.Load(), busy.Load(), concurrent+queued, callers-concurrent-queued)
	}
}

// TestHashGateWaitsBriefly: a queued check gives up after the gate's wait,
// or when its context ends, without running.
func TestHashGateWaitsBriefly(t *testing.T) {
	g := NewHashGate(1, 1, 10*time.Millisecond)
	hold, held := make(chan struct{}), make(chan struct{})
	go g.Do(context.Background(), func() { close(held); <-hold })
	<-held
	defer close(hold)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, ctx := range []context.Context{context.Background(), ctx} {
		ran := false
		if err := g.Do(ctx, func() { ran = true }); !errors.Is(err, ErrBusy) || ran {
			t.Errorf("err %v, ran %v; want ErrBusy without running", err, ran)
		}
	}
}

package cache

import (
	"context"
	"testing"
	"time"

	"shopcard/domain"
)

func TestStaleIfError(t *testing.T) {
	tests := []struct {
		name      string
		kind      domain.Kind
		wantStale bool
	}{
		{"Shopify down", domain.KindShopifyUnavailable, true},
		{"Shopify too slow", domain.KindShopifyTimeout, true},
		{"Shopify rate-limiting", domain.KindShopifyThrottled, true},
		{"token revoked: an admin must act, no stale data", domain.KindShopifyAuth, false},
		{"scope missing", domain.KindShopifyForbidden, false},
		{"shop frozen", domain.KindShopifyFrozen, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := &countingSource{}
			l, rec := newTestLookup(t, src, time.Minute)
			ctx := context.Background()
			first, err := l.LookupCustomer(ctx, storeA, "ada@example.com")
			if err != nil {
				t.Fatal(err)
			}
			// The fresh answer expires (evicted here, as a webhook does,
			// to need no clock); the last good one stays.
			l.EvictMatching([]int64{storeA.ID}, Match{Emails: []string{"ada@example.com"}})
			src.fail.Store(true)
			src.failKind.Store(int64(tt.kind))
			got, err := l.LookupCustomer(ctx, storeA, "ada@example.com")
			if !tt.wantStale {
				if domain.KindOf(err) != tt.kind || got != nil {
					t.Fatalf("got %+v, %v; want the %v error", got, err, tt.kind)
				}
				return
			}
			if err != nil || !got.Stale || got.Customer.Email != "ada@example.com" {
				t.Fatalf("got %+v, %v; want the last good answer marked stale", got, err)
			}
			if first.Stale {
				t.Error("marking the stale answer changed the shared cached value")
			}
			if rec.m["stale a.myshopify.com"] != 1 {
				t.Errorf("stale answers recorded: %v", rec.m)
			}
			// Shopify recovers: the next answer is fresh again.
			src.fail.Store(false)
			if again, err := l.LookupCustomer(ctx, storeA, "ada@example.com"); err != nil || again.Stale {
				t.Errorf("after recovery: %+v, %v", again, err)
			}
		})
	}
}

func TestStaleServedWhenTheDeadlinePasses(t *testing.T) {
	src := &countingSource{}
	l, _ := newTestLookup(t, src, time.Minute)
	if _, err := l.LookupCustomer(context.Background(), storeA, "ada@example.com"); err != nil {
		t.Fatal(err)
	}
	l.EvictMatching([]int64{storeA.ID}, Match{Emails: []string{"ada@example.com"}})
	src.release = make(chan struct{})
	defer close(src.release)
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // the section's deadline has passed
	got, err := l.LookupCustomer(ctx, storeA, "ada@example.com")
	if err != nil || !got.Stale {
		t.Fatalf("got %+v, %v; want the stale answer", got, err)
	}
}

func TestNoStaleWhenDisabledOrNeverAnswered(t *testing.T) {
	src := &countingSource{}
	l, err := New(src, Options{TTL: time.Minute, MaxBytes: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	ctx := context.Background()
	l.LookupCustomer(ctx, storeA, "ada@example.com")
	l.EvictMatching([]int64{storeA.ID}, Match{Emails: []string{"ada@example.com"}})
	src.fail.Store(true)
	if _, err := l.LookupCustomer(ctx, storeA, "ada@example.com"); domain.KindOf(err) != domain.KindShopifyUnavailable {
		t.Errorf("stale answers off: err %v", err)
	}
	l2, _ := newTestLookup(t, src, time.Minute)
	if _, err := l2.LookupCustomer(ctx, storeA, "bob@example.com"); domain.KindOf(err) != domain.KindShopifyUnavailable {
		t.Errorf("never answered: err %v", err)
	}
}

func TestMatchingEvictionsAndPurges(t *testing.T) {
	// storeA2 is the same shop connected in a second workspace.
	storeA2 := domain.Store{ID: 3, WorkspaceID: 2, Domain: "a.myshopify.com"}
	ada := customerIDs["ada@example.com"]
	tests := []struct {
		name       string
		act        func(l *Lookup) int
		dropped    int
		staleAfter []string // emails of storeA still served stale when Shopify is down
	}{
		{"by email, in every workspace", func(l *Lookup) int {
			return l.EvictMatching([]int64{storeA.ID, storeA2.ID}, Match{Emails: []string{"ada@example.com"}})
		}, 2, []string{"ada@example.com", "bob@example.com", "nobody@example.com"}},
		{"by customer id (a deletion payload names no email)", func(l *Lookup) int {
			return l.EvictMatching([]int64{storeA.ID}, Match{CustomerIDs: []uint64{ada}})
		}, 1, []string{"ada@example.com", "bob@example.com", "nobody@example.com"}},
		{"by order id (a refund payload names only its order)", func(l *Lookup) int {
			return l.EvictMatching([]int64{storeA.ID}, Match{OrderIDs: []uint64{1000 + ada}})
		}, 1, []string{"ada@example.com", "bob@example.com", "nobody@example.com"}},
		{"by guest order id", func(l *Lookup) int {
			return l.EvictMatching([]int64{storeA.ID}, Match{OrderIDs: []uint64{900}})
		}, 1, []string{"ada@example.com", "bob@example.com", "nobody@example.com"}},
		{"redaction purges the last good answer too", func(l *Lookup) int {
			return l.PurgeMatching([]int64{storeA.ID, storeA2.ID}, Match{Emails: []string{"ada@example.com"}, CustomerIDs: []uint64{ada}})
		}, 2, []string{"bob@example.com", "nobody@example.com"}},
		{"a whole store", func(l *Lookup) int { return l.PurgeStore(storeA.ID) }, 3, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := &countingSource{}
			l, _ := newTestLookup(t, src, time.Minute)
			ctx := context.Background()
			for _, s := range []domain.Store{storeA, storeA2, storeB} {
				for _, e := range []string{"ada@example.com", "bob@example.com", "nobody@example.com"} {
					if _, err := l.LookupCustomer(ctx, s, e); err != nil {
						t.Fatal(err)
					}
				}
			}
			if n := tt.act(l); n != tt.dropped {
				t.Errorf("dropped %d answers, want %d", n, tt.dropped)
			}
			// What survives as a last good answer in storeA.
			for _, e := range []string{"ada@example.com", "bob@example.com", "nobody@example.com"} {
				_, kept := l.stale.Get(Key(storeA.WorkspaceID, storeA.ID, e))
				want := false
				for _, s := range tt.staleAfter {
					want = want || s == e
				}
				if kept != want {
					t.Errorf("%s: last good answer kept = %v, want %v", e, kept, want)
				}
			}
			// Everything else is still fresh: 9 lookups, as many calls as
			// answers were dropped.
			before := src.calls.Load()
			for _, s := range []domain.Store{storeA, storeA2, storeB} {
				for _, e := range []string{"ada@example.com", "bob@example.com", "nobody@example.com"} {
					l.LookupCustomer(ctx, s, e)
				}
			}
			if n := src.calls.Load() - before; n != int64(tt.dropped) {
				t.Errorf("%d refetches, want %d", n, tt.dropped)
			}
		})
	}
}

// TestEvictionDuringACallWins: an answer whose call began before an
// eviction may predate the change that caused it; it is returned to its
// callers but not cached, and callers after the eviction start a new call.
func TestEvictionDuringACallWins(t *testing.T) {
	src := &countingSource{release: make(chan struct{})}
	l, _ := newTestLookup(t, src, time.Minute)
	ctx := context.Background()
	done := make(chan error, 2)
	go func() {
		_, err := l.LookupCustomer(ctx, storeA, "ada@example.com")
		done <- err
	}()
	for src.calls.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	l.EvictMatching([]int64{storeA.ID}, Match{Emails: []string{"ada@example.com"}})
	go func() {
		_, err := l.LookupCustomer(ctx, storeA, "ada@example.com")
		done <- err
	}()
	for src.calls.Load() < 2 {
		time.Sleep(time.Millisecond)
	}
	close(src.release)
	for range 2 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	// Only the call that began after the eviction was cached.
	l.LookupCustomer(ctx, storeA, "ada@example.com")
	if n := src.calls.Load(); n != 2 {
		t.Errorf("source called %d times, want 2", n)
	}
}

package cache

import (
	"context"
	"strconv"
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkLookupHit measures a cache hit: key building and a ristretto Get.
func BenchmarkLookupHit(b *testing.B) {
	src := &countingSource{}
	l, err := New(src, Options{TTL: time.Hour, MaxBytes: 64 << 20})
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	ctx := context.Background()
	if _, err := l.LookupCustomer(ctx, storeA, "ada@example.com"); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := l.LookupCustomer(ctx, storeA, "ada@example.com"); err != nil {
			b.Fatal(err)
		}
	}
	if src.calls.Load() != 1 {
		b.Fatalf("benchmark missed the cache: %d calls", src.calls.Load())
	}
}

// BenchmarkLookupHitParallel is hits on 1000 contacts from all cores. The
// emails are built beforehand, each goroutine starts at its own contact,
// and every lookup must be a hit: an earlier version built an email per
// lookup (measuring the allocator), started every goroutine on the same
// key, and would not have noticed misses.
func BenchmarkLookupHitParallel(b *testing.B) {
	src := &countingSource{}
	l, err := New(src, Options{TTL: time.Hour, MaxBytes: 64 << 20})
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	ctx := context.Background()
	const contacts = 1000
	emails := make([]string, contacts)
	for i := range emails {
		emails[i] = "c" + strconv.Itoa(i) + "@example.com"
		if _, err := l.LookupCustomer(ctx, storeA, emails[i]); err != nil {
			b.Fatal(err)
		}
	}
	var worker atomic.Int64
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		i := int(worker.Add(1)) * 397
		for pb.Next() {
			if _, err := l.LookupCustomer(ctx, storeA, emails[i%contacts]); err != nil {
				b.Error(err)
				return
			}
			i++
		}
	})
	if c := src.calls.Load(); c != contacts {
		b.Fatalf("%d lookups missed the cache", c-contacts)
	}
}

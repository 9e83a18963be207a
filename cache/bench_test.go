package cache

import (
	"context"
	"strconv"
	"testing"
	"time"

	"shopcard/domain"
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

// BenchmarkLookupHitParallel is the same under contention from all cores.
func BenchmarkLookupHitParallel(b *testing.B) {
	src := &countingSource{}
	l, err := New(src, Options{TTL: time.Hour, MaxBytes: 64 << 20})
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	ctx := context.Background()
	const contacts = 1000
	for i := 0; i < contacts; i++ {
		l.LookupCustomer(ctx, storeA, "c"+strconv.Itoa(i)+"@example.com")
	}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			l.LookupCustomer(ctx, domain.Store{ID: 1, WorkspaceID: 1}, "c"+strconv.Itoa(i%contacts)+"@example.com")
			i++
		}
	})
}

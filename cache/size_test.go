package cache

import (
	"fmt"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"shopcard/domain"
)

// filled sets every field reachable from v to a non-zero value, slices to
// n elements, so that a field compact forgets cannot go unnoticed. Strings
// repeat across orders, as Shopify's enum values do.
func filled(v reflect.Value, n int, seq *int) {
	*seq++
	switch v.Kind() {
	case reflect.String:
		v.SetString(fmt.Sprintf("%s-%d", strings.ToLower(v.Type().Name()), *seq%7))
	case reflect.Int, reflect.Int64:
		v.SetInt(int64(*seq))
	case reflect.Uint64:
		v.SetUint(uint64(*seq))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		filled(v.Elem(), n, seq)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), n, n))
		for i := range n {
			filled(v.Index(i), n, seq)
		}
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			v.Set(reflect.ValueOf(time.Unix(int64(1_700_000_000+*seq), 0).UTC()))
			return
		}
		for i := range v.NumField() {
			filled(v.Field(i), n, seq)
		}
	default:
		panic("teach filled about " + v.Type().String())
	}
}

func fullAnswer(n int) *domain.CustomerOrders {
	var a domain.CustomerOrders
	seq := 0
	filled(reflect.ValueOf(&a).Elem(), n, &seq)
	return &a
}

// Every field survives compacting, including fields added to the domain
// types later.
func TestCompactKeepsEveryField(t *testing.T) {
	a := fullAnswer(3)
	got, size := compact(a)
	if !reflect.DeepEqual(got, a) {
		t.Fatalf("compact changed the answer:\n got %+v\nwant %+v", got, a)
	}
	if size != SizeOf(a) || size != SizeOf(got) {
		t.Errorf("charged %d, SizeOf %d and %d", size, SizeOf(a), SizeOf(got))
	}
}

func TestCompactKeepsNilAndEmpty(t *testing.T) {
	cancelled := time.Unix(1_700_000_000, 0)
	tests := []struct {
		name string
		in   *domain.CustomerOrders
	}{
		{"nothing", &domain.CustomerOrders{}},
		{"empty lists", &domain.CustomerOrders{Orders: []domain.Order{}, GuestOrders: []domain.Order{}, Withheld: []string{}}},
		{"customer without tags", &domain.CustomerOrders{Customer: &domain.Customer{Email: "a@example.com"}, Orders: []domain.Order{}}},
		{"customer with empty tags", &domain.CustomerOrders{Customer: &domain.Customer{Tags: []string{}}}},
		{"guest orders", &domain.CustomerOrders{GuestOrders: []domain.Order{
			{Name: "#1", LineItems: []domain.LineItem{}, CancelledAt: &cancelled},
			{Name: "#2", Fulfillments: []domain.Fulfillment{{Status: "SUCCESS"}, {Tracking: []domain.Tracking{}}}},
		}}},
		{"stale", &domain.CustomerOrders{Stale: true, FetchedAt: cancelled, Cost: 12}},
	}
	for _, tt := range tests {
		if got, _ := compact(tt.in); !reflect.DeepEqual(got, tt.in) {
			t.Errorf("%s: got %+v, want %+v", tt.name, got, tt.in)
		}
	}
}

// The compacted answer owns its memory: it shares nothing with the
// answer it was copied from, which can then be collected.
func TestCompactSharesNothing(t *testing.T) {
	a := fullAnswer(2)
	got, _ := compact(a)
	a.Orders[0].LineItems[0].Title = "changed"
	a.Orders[0].Fulfillments[0].Tracking[0].URL = "changed"
	a.Customer.Tags[0] = "changed"
	*a.Orders[1].CancelledAt = time.Time{}
	if got.Orders[0].LineItems[0].Title == "changed" || got.Orders[0].Fulfillments[0].Tracking[0].URL == "changed" ||
		got.Customer.Tags[0] == "changed" || got.Orders[1].CancelledAt.IsZero() {
		t.Error("the compact copy shares memory with the original")
	}
}

// SizeOf is what a kept answer really takes on the heap, give or take a
// little, and never much less.
func TestSizeOfMatchesTheHeap(t *testing.T) {
	a := fullAnswer(5) // 10 orders of 5 items and 5 shipments of 5 parcels
	const n = 2000
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	// Other goroutines of the package's tests may free memory while we
	// measure; the median of a few measurements is not fooled by one.
	var samples []float64
	for range 5 {
		kept := make([]*domain.CustomerOrders, n)
		before := heap()
		for i := range kept {
			kept[i], _ = compact(a)
		}
		samples = append(samples, float64(heap()-before)/n)
		runtime.KeepAlive(kept)
	}
	slices.Sort(samples)
	measured := samples[len(samples)/2]
	charged := float64(SizeOf(a) - entryOverhead)
	t.Logf("measured %.0f, charged %.0f", measured, charged)
	if measured > charged*1.02 || measured < charged*0.9 {
		t.Errorf("a kept answer takes %.0f bytes on the heap; SizeOf charges %.0f (without the entry's bookkeeping)", measured, charged)
	}
}

func fullDetail(n int) *domain.OrderDetail {
	var d domain.OrderDetail
	seq := 0
	filled(reflect.ValueOf(&d).Elem(), n, &seq)
	return &d
}

// Every field of an order's detail survives compacting, and the copy
// shares no memory with the original.
func TestCompactDetailKeepsEveryField(t *testing.T) {
	d := fullDetail(3)
	got, size := compactDetail(d)
	if !reflect.DeepEqual(got, d) {
		t.Fatalf("compactDetail changed the detail:\n got %+v\nwant %+v", got, d)
	}
	if size != SizeOfDetail(d) || size != SizeOfDetail(got) {
		t.Errorf("charged %d, SizeOfDetail %d and %d", size, SizeOfDetail(d), SizeOfDetail(got))
	}
	d.Returns[0].Items[0].Title = "changed"
	d.Fulfillments[0].Events[0].Message = "changed"
	d.ShippingAddress.City = "changed"
	if got.Returns[0].Items[0].Title == "changed" || got.Fulfillments[0].Events[0].Message == "changed" || got.ShippingAddress.City == "changed" {
		t.Error("the compact copy shares memory with the original")
	}
	empty := &domain.OrderDetail{Tags: []string{}, Refunds: []domain.Refund{}}
	if got, _ := compactDetail(empty); !reflect.DeepEqual(got, empty) {
		t.Errorf("empty lists: got %+v", got)
	}
}

// SizeOfDetail is what a kept detail really takes on the heap.
func TestSizeOfDetailMatchesTheHeap(t *testing.T) {
	d := fullDetail(5)
	const n = 2000
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	var samples []float64
	for range 5 {
		kept := make([]*domain.OrderDetail, n)
		before := heap()
		for i := range kept {
			kept[i], _ = compactDetail(d)
		}
		samples = append(samples, float64(heap()-before)/n)
		runtime.KeepAlive(kept)
	}
	slices.Sort(samples)
	measured := samples[len(samples)/2]
	charged := float64(SizeOfDetail(d) - entryOverhead)
	t.Logf("measured %.0f, charged %.0f", measured, charged)
	if measured > charged*1.02 || measured < charged*0.9 {
		t.Errorf("a kept detail takes %.0f bytes on the heap; SizeOfDetail charges %.0f", measured, charged)
	}
}

package sectioncache

import (
	"bytes"
	"compress/gzip"
	"io"
	"runtime"
	"testing"
	"time"

	"shopcard/domain"
	"shopcard/present"
)

func TestKeyRefusesFailuresAndStaleAnswers(t *testing.T) {
	t.Parallel()
	store := domain.Store{ID: 1, WorkspaceID: 2, Domain: "a.myshopify.com"}
	ok := present.Result{Email: "a@example.com", Answer: &domain.CustomerOrders{}}
	tests := []struct {
		name    string
		results []present.Result
		kept    bool
	}{
		{"answered", []present.Result{ok}, true},
		{"one email failed", []present.Result{ok, {Email: "b@example.com", Err: domain.Errorf(domain.KindShopifyUnavailable, "down")}}, false},
		{"stale answer", []present.Result{{Email: "a@example.com", Answer: &domain.CustomerOrders{Stale: true}}}, false},
	}
	for _, tt := range tests {
		if got := Key(store, tt.results) != ""; got != tt.kept {
			t.Errorf("%s: kept = %v, want %v", tt.name, got, tt.kept)
		}
	}
	a := Key(store, []present.Result{ok, {Email: "b@example.com", Answer: ok.Answer}})
	b := Key(store, []present.Result{{Email: "b@example.com", Answer: ok.Answer}, ok})
	if a == b {
		t.Error("the emails' order is part of what a section shows, so of its key")
	}
}

// Keeping a section never keeps its answers alive.
func TestCacheHoldsAnswersWeakly(t *testing.T) {
	t.Parallel()
	s, err := New(1 << 20)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	now := time.Now()
	answer := &domain.CustomerOrders{Customer: &domain.Customer{Email: "a@example.com"}}
	results := []present.Result{{Email: "a@example.com", Answer: answer}}
	s.Put("k", results, now, now.Add(time.Minute), 5, []byte("<p/>"), nil)
	r, ok := s.Get("k", results, now)
	if !ok {
		t.Fatal("not kept by the time Put returned")
	}
	if _, ok := s.Get("k", []present.Result{{Email: "a@example.com", Answer: &domain.CustomerOrders{Customer: answer.Customer}}}, now); ok {
		t.Error("an equal but different answer value matched")
	}
	if _, ok := s.Get("k", results, now.Add(time.Minute)); ok {
		t.Error("matched at its validity's end")
	}
	if _, ok := s.Get("k", results, now.Add(-time.Second)); ok {
		t.Error("matched before it was rendered (the clock went back)")
	}
	answer, results = nil, nil
	for range 10 {
		runtime.GC()
		if r.answers[0].ptr.Value() == nil {
			return
		}
	}
	t.Error("a kept section keeps its answer alive")
}

func TestCompressDecompresses(t *testing.T) {
	t.Parallel()
	in := bytes.Repeat([]byte("<li>order</li>"), 500)
	zr, err := gzip.NewReader(bytes.NewReader(Compress(in)))
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(zr)
	if err != nil || !bytes.Equal(out, in) {
		t.Errorf("round trip: %v, %d bytes", err, len(out))
	}
}

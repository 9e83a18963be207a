package handlers

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"shopcard/cache"
	"shopcard/domain"
	"shopcard/fakeshopify"
	"shopcard/views"
)

// A relative time's next change is exact: the text holds until then and
// differs from then on.
func TestRelativeChanges(t *testing.T) {
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

// sectionFixture is Jordan's 50-order answer, a guest's orders and a stale
// answer, as one contact with three emails.
func sectionFixture(t *testing.T) (*testEnv, domain.Store, []lookupResult) {
	t.Helper()
	env := newTestEnv(t)
	store := env.stores[fakeshopify.AcmeDomain]
	var results []lookupResult
	for _, email := range []string{fakeshopify.EmailSixtyOrders, fakeshopify.EmailShowcase, "walk-in.guest@example.com"} {
		a, err := env.cache.LookupCustomer(context.Background(), store, email)
		if err != nil {
			t.Fatal(err)
		}
		results = append(results, lookupResult{email: email, answer: a})
	}
	stale := *results[1].answer
	stale.Stale = true
	results[1].answer = &stale
	return env, store, results
}

// A section presented at now reads exactly the same until
// sectionValidUntil, whatever now is.
func TestSectionValidUntil(t *testing.T) {
	_, store, results := sectionFixture(t)
	rng := rand.New(rand.NewPCG(3, 4))
	base := time.Now()
	for range 300 {
		now := base.Add(time.Duration(rng.Int64N(int64(400 * 24 * time.Hour))))
		until := sectionValidUntil(results, now)
		if !until.After(now) {
			t.Fatalf("valid until %v, not after now", until.Sub(now))
		}
		a := presentResults(views.StoreSection{}, store, results, now)
		b := presentResults(views.StoreSection{}, store, results, until.Add(-time.Nanosecond))
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("the section changed %v after now, before its validity ended at %v", until.Sub(now), until.Sub(now))
		}
	}
}

// SectionCache reuses a section while sectionInputs(store) is unchanged, so
// no other field of the store may change what a section shows.
func TestSectionInputsCoverTheStore(t *testing.T) {
	env, store, results := sectionFixture(t)
	e := env.srv.Config.Handler.(*echo.Echo)
	now := time.Now()
	present := func(s domain.Store) views.StoreSection {
		c := e.NewContext(httptest.NewRequest(http.MethodGet, "/", nil), httptest.NewRecorder())
		return presentResults(loadingSection(c, s), s, results, now)
	}
	want := present(store)
	inputs := map[string]bool{"ID": true, "Domain": true, "Scopes": true}
	typ := reflect.TypeFor[domain.Store]()
	for i := range typ.NumField() {
		f := typ.Field(i)
		changed := store
		v := reflect.ValueOf(&changed).Elem().Field(i)
		switch {
		case f.Type == reflect.TypeFor[time.Time]():
			v.Set(reflect.ValueOf(now.Add(-time.Hour)))
		case f.Type == reflect.TypeFor[domain.Secret]():
			v.Set(reflect.ValueOf(domain.NewSecret("changed")))
		case f.Type.Kind() == reflect.String:
			v.SetString(v.String() + "-changed")
		case f.Type.Kind() == reflect.Int64:
			v.SetInt(v.Int() + 7)
		case f.Type.Kind() == reflect.Slice:
			v.Set(reflect.ValueOf([]string{"changed"}))
		default:
			t.Fatalf("teach this test to change %s (%s)", f.Name, f.Type)
		}
		sameInputs := sectionInputs(changed) == sectionInputs(store)
		if inputs[f.Name] == sameInputs {
			t.Errorf("sectionInputs and %s: changing it changes the inputs = %v", f.Name, !sameInputs)
		}
		if !inputs[f.Name] && !reflect.DeepEqual(present(changed), want) {
			t.Errorf("changing the store's %s changes its section: add it to sectionInputs", f.Name)
		}
	}
}

func TestSectionKeyRefusesFailuresAndStaleAnswers(t *testing.T) {
	store := domain.Store{ID: 1, WorkspaceID: 2, Domain: "a.myshopify.com"}
	ok := lookupResult{email: "a@example.com", answer: &domain.CustomerOrders{}}
	tests := []struct {
		name    string
		results []lookupResult
		kept    bool
	}{
		{"answered", []lookupResult{ok}, true},
		{"one email failed", []lookupResult{ok, {email: "b@example.com", err: domain.Errorf(domain.KindShopifyUnavailable, "down")}}, false},
		{"stale answer", []lookupResult{{email: "a@example.com", answer: &domain.CustomerOrders{Stale: true}}}, false},
	}
	for _, tt := range tests {
		if got := sectionKey(store, tt.results) != ""; got != tt.kept {
			t.Errorf("%s: kept = %v, want %v", tt.name, got, tt.kept)
		}
	}
	a := sectionKey(store, []lookupResult{ok, {email: "b@example.com", answer: ok.answer}})
	b := sectionKey(store, []lookupResult{{email: "b@example.com", answer: ok.answer}, ok})
	if a == b {
		t.Error("the emails' order is part of what a section shows, so of its key")
	}
}

// Keeping a section never keeps its answers alive.
func TestSectionCacheHoldsAnswersWeakly(t *testing.T) {
	s, err := NewSectionCache(1 << 20)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	now := time.Now()
	answer := &domain.CustomerOrders{Customer: &domain.Customer{Email: "a@example.com"}}
	results := []lookupResult{{email: "a@example.com", answer: answer}}
	s.put("k", results, now, now.Add(time.Minute), 5, []byte("<p/>"), nil)
	s.c.Wait()
	r, ok := s.get("k", results, now)
	if !ok {
		t.Fatal("not kept")
	}
	if _, ok := s.get("k", []lookupResult{{email: "a@example.com", answer: &domain.CustomerOrders{Customer: answer.Customer}}}, now); ok {
		t.Error("an equal but different answer value matched")
	}
	if _, ok := s.get("k", results, now.Add(time.Minute)); ok {
		t.Error("matched at its validity's end")
	}
	if _, ok := s.get("k", results, now.Add(-time.Second)); ok {
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

// fragment fetches a store section with or without Accept-Encoding: gzip
// and returns the response and its HTML.
func (e *testEnv) fragment(t *testing.T, storeDomain, token string, gz bool) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, e.srv.URL+"/sidebar/stores/"+itoa(e.stores[storeDomain].ID), nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set(TokenHeader, token)
	req.Header.Set("HX-Request", "true")
	if gz {
		req.Header.Set("Accept-Encoding", "gzip")
	}
	resp, err := (&http.Client{Transport: &http.Transport{DisableCompression: true}}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body io.Reader = resp.Body
	if resp.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		body = zr
	}
	b, err := io.ReadAll(body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

func TestFragmentsAreCompressedWhenAccepted(t *testing.T) {
	env := newTestEnv(t)
	tok := env.token(t, fakeshopify.EmailSixtyOrders)
	var bodies []string
	for _, tt := range []struct {
		gz       bool
		encoding string
	}{{false, ""}, {true, "gzip"}, {true, "gzip"}, {false, ""}} {
		resp, body := env.fragment(t, fakeshopify.AcmeDomain, tok, tt.gz)
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Encoding") != tt.encoding {
			t.Errorf("gzip accepted %v: status %d, Content-Encoding %q", tt.gz, resp.StatusCode, resp.Header.Get("Content-Encoding"))
		}
		if resp.Header.Get("Vary") != "Accept-Encoding" || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
			t.Errorf("Vary %q, Content-Type %q", resp.Header.Get("Vary"), resp.Header.Get("Content-Type"))
		}
		if resp.Header.Get("Cache-Control") != "no-store" || !strings.Contains(resp.Header.Get("Content-Security-Policy"), "frame-ancestors https://inbox.example.com") {
			t.Errorf("the sidebar's headers are missing: %v", resp.Header)
		}
		bodies = append(bodies, body)
	}
	for i, b := range bodies {
		if b != bodies[0] || !strings.Contains(b, `data-state="loaded"`) {
			t.Errorf("response %d differs from the first (%d bytes against %d)", i, len(b), len(bodies[0]))
		}
	}
	// A short section is not worth compressing, as on every other route.
	resp, body := env.fragment(t, fakeshopify.AcmeDomain, env.token(t, fakeshopify.EmailNoMatch), true)
	if resp.Header.Get("Content-Encoding") != "" || len(body) >= gzipMinLength {
		t.Errorf("a %d-byte section came with Content-Encoding %q", len(body), resp.Header.Get("Content-Encoding"))
	}
}

// A kept section is sent again only while it is what presenting the
// answers would give: new answers, other store settings and the clock all
// take effect at once.
func TestKeptSectionsFollowChanges(t *testing.T) {
	var mu sync.Mutex
	clock := time.Now()
	now := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		return clock
	}
	setClock := func(t time.Time) {
		mu.Lock()
		defer mu.Unlock()
		clock = t
	}
	env := newTestEnv(t, func(o *envOptions) { o.now = now })
	ctx := context.Background()
	acme := env.stores[fakeshopify.AcmeDomain]
	tok := env.token(t, fakeshopify.EmailSixtyOrders)
	load := func(gz bool) string {
		t.Helper()
		resp, body := env.fragment(t, fakeshopify.AcmeDomain, tok, gz)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d", resp.StatusCode)
		}
		env.sections.c.Wait()
		return body
	}
	first := load(true)
	if again := load(true); again != first {
		t.Fatal("the same inputs gave a different section")
	}
	key := sectionKey(acme, []lookupResult{{email: fakeshopify.EmailSixtyOrders, answer: &domain.CustomerOrders{}}})
	if _, ok := env.sections.c.Get(key); !ok {
		t.Fatal("the section was not kept")
	}

	t.Run("the clock moves a relative time on", func(t *testing.T) {
		answer, _ := env.cache.LookupCustomer(ctx, acme, fakeshopify.EmailSixtyOrders)
		results := []lookupResult{{email: fakeshopify.EmailSixtyOrders, answer: answer}}
		until := sectionValidUntil(results, now())
		for _, at := range []time.Time{until.Add(-time.Nanosecond), until} {
			setClock(at)
			if got, want := load(true), env.renderSection(t, acme, results, at); got != want {
				t.Errorf("%v before the end of its validity, the section sent is not the one presenting gives", until.Sub(at))
			}
		}
		if env.renderSection(t, acme, results, until) == first {
			t.Error("nothing moved on: this case tests nothing")
		}
	})

	t.Run("a new answer", func(t *testing.T) {
		jordan, _ := env.fake.CustomerByEmail(fakeshopify.AcmeDomain, fakeshopify.EmailSixtyOrders)
		if _, err := env.fake.UpdateCustomer(fakeshopify.AcmeDomain, jordan.ID, func(c *fakeshopify.Customer) { c.LastName = "Rivera-Okafor" }); err != nil {
			t.Fatal(err)
		}
		env.cache.EvictMatching([]int64{acme.ID}, cache.Match{Emails: []string{fakeshopify.EmailSixtyOrders}}) // as the customers/update webhook does
		if got := load(true); !strings.Contains(got, "Jordan Rivera-Okafor") {
			t.Error("a kept section hid the customer's new name")
		}
	})

	t.Run("the store's scopes", func(t *testing.T) {
		// Harbor Supply has 1,287 orders of which 12 come back: without
		// read_all_orders, older ones may be missing, and the section says so.
		harbor := env.token(t, fakeshopify.EmailThousandsOfOrders)
		_, withAll := env.fragment(t, fakeshopify.AcmeDomain, harbor, true)
		env.sections.c.Wait()
		s := acme
		s.Scopes = []string{"read_customers", "read_orders"}
		if _, _, err := env.db.SaveStore(ctx, s); err != nil {
			t.Fatal(err)
		}
		if _, got := env.fragment(t, fakeshopify.AcmeDomain, harbor, true); got == withAll || !strings.Contains(got, "read_all_orders") {
			t.Error("a kept section ignored the store's new scopes")
		}
	})

	t.Run("a disconnected store", func(t *testing.T) {
		if err := env.db.RemoveStore(ctx, env.ws.ID, acme.ID); err != nil {
			t.Fatal(err)
		}
		if resp, _ := env.fragment(t, fakeshopify.AcmeDomain, tok, true); resp.StatusCode != http.StatusNotFound {
			t.Errorf("a disconnected store's section: status %d", resp.StatusCode)
		}
	})

	t.Run("a rotated embed secret", func(t *testing.T) {
		if _, err := env.db.RotateEmbedSecret(ctx, env.ws.ID, 0); err != nil {
			t.Fatal(err)
		}
		resp, _ := env.fragment(t, fakeshopify.NordicDomain, tok, true)
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("a token signed with the rotated-out secret: status %d", resp.StatusCode)
		}
	})
}

// renderSection is a store section as presenting and rendering results at
// now give it, without any cache.
func (e *testEnv) renderSection(t *testing.T, store domain.Store, results []lookupResult, now time.Time) string {
	t.Helper()
	c := e.srv.Config.Handler.(*echo.Echo).NewContext(httptest.NewRequest(http.MethodGet, "/", nil), httptest.NewRecorder())
	html, err := renderBytes(context.Background(), views.StoreSectionBody(presentResults(loadingSection(c, store), store, results, now)))
	if err != nil {
		t.Fatal(err)
	}
	return string(html)
}

func TestGzipBytesDecompress(t *testing.T) {
	in := bytes.Repeat([]byte("<li>order</li>"), 500)
	zr, err := gzip.NewReader(bytes.NewReader(gzipBytes(in)))
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(zr)
	if err != nil || !bytes.Equal(out, in) {
		t.Errorf("round trip: %v, %d bytes", err, len(out))
	}
}

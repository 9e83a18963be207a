package handlers_test

import (
	"shopcard/internal/apptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"shopcard/cache"
	"shopcard/domain"
	"shopcard/embedtoken"
	"shopcard/fakeshopify"
)

func state(doc *goquery.Document) string {
	st, _ := doc.Find(apptest.Sel("section-body")).Attr("data-state")
	return st
}

func wantMetric(t *testing.T, env *testEnv, lines ...string) {
	t.Helper()
	m := env.Metrics(t)
	for _, l := range lines {
		if !strings.Contains(m, l) {
			t.Errorf("metrics lack %s", l)
		}
	}
}

func TestRevokedTokenNeedsAnAdmin(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	env.Fake.RevokeToken(fakeshopify.AcmeDomain, fakeshopify.AcmeToken)
	_, doc := env.Section(t, fakeshopify.AcmeDomain, fakeshopify.EmailShowcase)
	if state(doc) != "attention" || doc.Find(apptest.Sel("section-notice")).Text() != "This store's connection needs attention — ask an admin." {
		t.Fatalf("state %q, notice %q", state(doc), doc.Find(apptest.Sel("section-notice")).Text())
	}
	if doc.Find(apptest.Sel("section-retry")).Length() != 0 {
		t.Error("retrying cannot fix a revoked token, yet a retry is offered")
	}
	if n := env.Fake.Requests(fakeshopify.AcmeDomain); n != 1 {
		t.Errorf("a 401 was sent %d times; it must never be retried", n)
	}
	s, _ := env.App.DB.StoreByID(t.Context(), env.WS.ID, env.Stores[fakeshopify.AcmeDomain].ID)
	if s.Status != domain.StoreNeedsReconnect {
		t.Errorf("status %q", s.Status)
	}
	wantMetric(t, env, `shopcard_store_connections{status="needs_reconnect"} 1`, `shopcard_store_connections{status="healthy"} 2`)
}

func TestBurstOf5xxRecovers(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	env.Fake.SetFaults(fakeshopify.AcmeDomain, fakeshopify.Faults{FailNext: 2, FailNextStatus: 503})
	_, doc := env.Section(t, fakeshopify.AcmeDomain, fakeshopify.EmailShowcase)
	if state(doc) != "loaded" || doc.Find(apptest.Sel("customer-name")).Text() != "Maya Chen" {
		t.Fatalf("state %q", state(doc))
	}
	if n := env.Fake.Requests(fakeshopify.AcmeDomain); n != 3 {
		t.Errorf("%d requests, want exactly 3 (two failures, one success)", n)
	}
	wantMetric(t, env, `shopcard_shopify_retries_total{reason="5xx",store="acme-outfitters.myshopify.com"} 2`)
}

// TestThrottledStoreWaitsThenSucceeds loads five contacts of one store at
// once while Shopify throttles two requests: every section loads, and the
// fake sees each lookup once plus one retry per THROTTLED answer, no more.
func TestThrottledStoreWaitsThenSucceeds(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	// A Plus-sized bucket, so the only THROTTLED answers are the two this
	// test forces and the request count is exact however the machine
	// schedules the five lookups. How the client queues for a small bucket
	// is tested in shopify/.
	if err := env.Fake.SetBucket(fakeshopify.AcmeDomain, 20000, 1000); err != nil {
		t.Fatal(err)
	}
	env.Fake.SetFaults(fakeshopify.AcmeDomain, fakeshopify.Faults{ThrottleNext: 2})
	emails := []string{fakeshopify.EmailShowcase, fakeshopify.EmailOneOrder, fakeshopify.EmailNoOrders, fakeshopify.EmailNoName, fakeshopify.EmailThousandsOfOrders}
	var wg sync.WaitGroup
	states := make([]string, len(emails))
	for i, e := range emails {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, doc := env.Section(t, fakeshopify.AcmeDomain, e)
			states[i] = state(doc)
		}()
	}
	wg.Wait()
	for i, s := range states {
		if s != "loaded" {
			t.Errorf("%s: state %q", emails[i], s)
		}
	}
	if n := env.Fake.Requests(fakeshopify.AcmeDomain); n != len(emails)+2 {
		t.Errorf("%d requests for %d lookups and 2 THROTTLED answers, want %d", n, len(emails), len(emails)+2)
	}
	wantMetric(t, env, `shopcard_shopify_retries_total{reason="throttled",store="acme-outfitters.myshopify.com"} 2`)
}

func TestSlowStoreTimesOutAlone(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, func(o *envOptions) { o.storeTimeout = 300 * time.Millisecond })
	env.Fake.SetFaults(fakeshopify.AcmeDomain, fakeshopify.Faults{Latency: 5 * time.Second})
	_, slow := env.Section(t, fakeshopify.AcmeDomain, fakeshopify.EmailShowcase)
	if state(slow) != "timeout" || slow.Find(apptest.Sel("section-notice")).Text() != "Shopify is taking longer than usual for this store. Try again in a moment." {
		t.Fatalf("slow store: state %q, notice %q", state(slow), slow.Find(apptest.Sel("section-notice")).Text())
	}
	if get, _ := slow.Find(apptest.Sel("section-retry")).Attr("hx-get"); get != "/sidebar/stores/"+itoa(env.Stores[fakeshopify.AcmeDomain].ID) {
		t.Errorf("retry control reloads %q", get)
	}
	_, other := env.Section(t, fakeshopify.NordicDomain, fakeshopify.EmailShowcase)
	if state(other) != "loaded" {
		t.Errorf("the other store: state %q", state(other))
	}
	if n := env.Fake.Requests(fakeshopify.AcmeDomain); n != 1 {
		t.Errorf("a timed-out request was sent %d times", n)
	}
}

func TestStoreDownWhileStaleDataExists(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		faults   fakeshopify.Faults
		deadline time.Duration // room for the retries, or not
	}{
		{"Shopify failing", fakeshopify.Faults{Status: 503}, 3 * time.Second},
		{"Shopify slower than the deadline", fakeshopify.Faults{Latency: 5 * time.Second}, 300 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env := newTestEnv(t, func(o *envOptions) { o.storeTimeout = tt.deadline })
			if _, doc := env.Section(t, fakeshopify.AcmeDomain, fakeshopify.EmailShowcase); state(doc) != "loaded" {
				t.Fatal("first load failed")
			}
			// The fresh answer expires; the last good one remains.
			acme := env.Stores[fakeshopify.AcmeDomain]
			env.App.Lookup.EvictMatching([]int64{acme.ID}, cache.Match{Emails: []string{fakeshopify.EmailShowcase}})
			env.Fake.SetFaults(fakeshopify.AcmeDomain, tt.faults)
			_, doc := env.Section(t, fakeshopify.AcmeDomain, fakeshopify.EmailShowcase)
			if state(doc) != "loaded" || doc.Find(apptest.Sel("customer-name")).Text() != "Maya Chen" {
				t.Fatalf("state %q: the last good answer should show", state(doc))
			}
			if got := doc.Find(apptest.Sel("section-stale")).Text(); got != "Updated 1 min ago — Shopify didn't answer" {
				t.Errorf("stale line %q", got)
			}
			if doc.Find(apptest.Sel("section-retry")).Length() != 1 {
				t.Error("no retry control next to stale data")
			}
			wantMetric(t, env, `shopcard_stale_answers_total{store="acme-outfitters.myshopify.com"} 1`)
			if n := env.Fake.Requests(fakeshopify.AcmeDomain); n > 1+4 {
				t.Errorf("%d requests: more than one lookup and its bounded retries", n)
			}
		})
	}
}

func TestSeveralEmailsPerContact(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	tok := env.TokenFor(t, embedtoken.Claims{Name: "Maya", Emails: []string{fakeshopify.EmailShowcase, " PRIYA.Natarajan@example.com", fakeshopify.EmailShowcase, fakeshopify.EmailNoMatch}})

	_, page := env.Get(t, "/sidebar?token="+tok, "")
	doc, _ := goquery.NewDocumentFromReader(strings.NewReader(page))
	if n := doc.Find(apptest.Sel("contact-email")).Length(); n != 3 {
		t.Errorf("the header lists %d emails, want the 3 distinct ones", n)
	}

	acme := env.SectionWith(t, fakeshopify.AcmeDomain, tok)
	var names, matched []string
	acme.Find(apptest.Sel("customer-match")).Each(func(_ int, s *goquery.Selection) {
		names = append(names, s.Find(apptest.Sel("customer-name")).Text())
		matched = append(matched, s.Find(apptest.Sel("customer-matched-by")).Text())
	})
	if strings.Join(names, "|") != "Maya Chen|Priya Natarajan" ||
		strings.Join(matched, "|") != "Matched by maya.chen@example.com|Matched by priya.natarajan@example.com" {
		t.Errorf("Acme shows %q matched by %q", names, matched)
	}
	if n := env.Fake.Requests(fakeshopify.AcmeDomain); n != 1 {
		t.Errorf("%d requests to Acme, want 1 (3 emails, each with its guest search, in one document)", n)
	}
	nordic := env.SectionWith(t, fakeshopify.NordicDomain, tok)
	if nordic.Find(apptest.Sel("customer-match")).Length() != 1 {
		t.Errorf("Nordic shows %d customers, want Maya only", nordic.Find(apptest.Sel("customer-match")).Length())
	}
	sakura := env.SectionWith(t, fakeshopify.SakuraDomain, tok)
	if state(sakura) != "no-match" || sakura.Find(apptest.Sel("section-notice")).Text() != "No customer or order with any of these emails in this store." {
		t.Errorf("Sakura: %q %q", state(sakura), sakura.Find(apptest.Sel("section-notice")).Text())
	}
}

// TestSeveralEmailsSomeCached opens a contact whose first email's answer
// is already cached: only the other is asked for, and the section shows
// both, in the token's order.
func TestSeveralEmailsSomeCached(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	maya := env.TokenFor(t, embedtoken.Claims{Name: "Maya", Emails: []string{fakeshopify.EmailShowcase}})
	if got := state(env.SectionWith(t, fakeshopify.AcmeDomain, maya)); got != "loaded" {
		t.Fatalf("Maya alone: %s", got)
	}
	both := env.TokenFor(t, embedtoken.Claims{Name: "Maya", Emails: []string{fakeshopify.EmailShowcase, "priya.natarajan@example.com", fakeshopify.EmailNoMatch}})
	acme := env.SectionWith(t, fakeshopify.AcmeDomain, both)
	var names []string
	acme.Find(apptest.Sel("customer-match")).Each(func(_ int, s *goquery.Selection) {
		names = append(names, s.Find(apptest.Sel("customer-name")).Text())
	})
	if strings.Join(names, "|") != "Maya Chen|Priya Natarajan" {
		t.Errorf("Acme shows %q", names)
	}
	if n := env.Fake.Requests(fakeshopify.AcmeDomain); n != 2 {
		t.Errorf("%d requests to Acme, want 2: Maya's, then one for the two emails not cached", n)
	}
}

func TestGuestOrdersWithHostileEmails(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	victim, err := env.Fake.AddOrder(fakeshopify.AcmeDomain, fakeshopify.Order{Email: "victim@example.com", Name: "#VICTIM", Total: "500.00"})
	if err != nil {
		t.Fatal(err)
	}
	for _, email := range []string{
		`"quoted"@example.com`, `back\slash@example.com`, `colon:name@example.com`, `(paren)@example.com`,
		`a OR email:victim@example.com`, `*@example.com`, `a") OR (email:"victim@example.com`,
	} {
		t.Run(email, func(t *testing.T) {
			norm, _ := domain.NormalizeEmail(email)
			own, err := env.Fake.AddOrder(fakeshopify.AcmeDomain, fakeshopify.Order{Email: norm, Total: "1.00", FinancialStatus: "PAID"})
			if err != nil {
				t.Fatal(err)
			}
			_, doc := env.Section(t, fakeshopify.AcmeDomain, email)
			if state(doc) != "loaded" {
				t.Fatalf("state %q: %s", state(doc), doc.Text())
			}
			guests := doc.Find(apptest.Sel("guest-orders"))
			if names := guests.Find(apptest.Sel("order-name")); names.Length() != 1 || names.Text() != own.Name {
				t.Errorf("guest orders %q, want only %s", names.Text(), own.Name)
			}
			if strings.Contains(doc.Text(), victim.Name) {
				t.Error("another person's order is shown")
			}
			if !strings.Contains(guests.Find(apptest.Sel("guest-orders-email")).Text(), norm) {
				t.Errorf("placed-with line %q", guests.Find(apptest.Sel("guest-orders-email")).Text())
			}
		})
	}
}

package handlers

import (
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
	st, _ := doc.Find(sel("section-body")).Attr("data-state")
	return st
}

func wantMetric(t *testing.T, env *testEnv, lines ...string) {
	t.Helper()
	m := env.metrics(t)
	for _, l := range lines {
		if !strings.Contains(m, l) {
			t.Errorf("metrics lack %s", l)
		}
	}
}

func TestRevokedTokenNeedsAnAdmin(t *testing.T) {
	env := newTestEnv(t)
	env.fake.RevokeToken(fakeshopify.AcmeDomain, fakeshopify.AcmeToken)
	_, doc := env.section(t, fakeshopify.AcmeDomain, fakeshopify.EmailShowcase)
	if state(doc) != "attention" || doc.Find(sel("section-notice")).Text() != "This store's connection needs attention — ask an admin." {
		t.Fatalf("state %q, notice %q", state(doc), doc.Find(sel("section-notice")).Text())
	}
	if doc.Find(sel("section-retry")).Length() != 0 {
		t.Error("retrying cannot fix a revoked token, yet a retry is offered")
	}
	if n := env.fake.Requests(fakeshopify.AcmeDomain); n != 1 {
		t.Errorf("a 401 was sent %d times; it must never be retried", n)
	}
	s, _ := env.db.StoreByID(t.Context(), env.ws.ID, env.stores[fakeshopify.AcmeDomain].ID)
	if s.Status != domain.StoreNeedsReconnect {
		t.Errorf("status %q", s.Status)
	}
	wantMetric(t, env, `shopcard_store_connections{status="needs_reconnect"} 1`, `shopcard_store_connections{status="healthy"} 2`)
}

func TestBurstOf5xxRecovers(t *testing.T) {
	env := newTestEnv(t)
	env.fake.SetFaults(fakeshopify.AcmeDomain, fakeshopify.Faults{FailNext: 2, FailNextStatus: 503})
	_, doc := env.section(t, fakeshopify.AcmeDomain, fakeshopify.EmailShowcase)
	if state(doc) != "loaded" || doc.Find(sel("customer-name")).Text() != "Maya Chen" {
		t.Fatalf("state %q", state(doc))
	}
	if n := env.fake.Requests(fakeshopify.AcmeDomain); n != 3 {
		t.Errorf("%d requests, want exactly 3 (two failures, one success)", n)
	}
	wantMetric(t, env, `shopcard_shopify_retries_total{reason="5xx",store="acme-outfitters.myshopify.com"} 2`)
}

// TestThrottledStoreWaitsThenSucceeds loads five contacts of one store at
// once while Shopify throttles two requests: every section loads, and the
// fake sees each lookup once plus one retry per THROTTLED answer, no more.
func TestThrottledStoreWaitsThenSucceeds(t *testing.T) {
	env := newTestEnv(t)
	// A Plus-sized bucket, so the only THROTTLED answers are the two this
	// test forces: on a Standard bucket five 906-point lookups at once may
	// or may not overrun Shopify's count, depending on how the machine
	// schedules them, and the request count would not be exact. How the
	// client queues for a small bucket is tested in shopify/.
	if err := env.fake.SetBucket(fakeshopify.AcmeDomain, 20000, 1000); err != nil {
		t.Fatal(err)
	}
	env.fake.SetFaults(fakeshopify.AcmeDomain, fakeshopify.Faults{ThrottleNext: 2})
	emails := []string{fakeshopify.EmailShowcase, fakeshopify.EmailOneOrder, fakeshopify.EmailNoOrders, fakeshopify.EmailNoName, fakeshopify.EmailThousandsOfOrders}
	var wg sync.WaitGroup
	states := make([]string, len(emails))
	for i, e := range emails {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, doc := env.section(t, fakeshopify.AcmeDomain, e)
			states[i] = state(doc)
		}()
	}
	wg.Wait()
	for i, s := range states {
		if s != "loaded" {
			t.Errorf("%s: state %q", emails[i], s)
		}
	}
	if n := env.fake.Requests(fakeshopify.AcmeDomain); n != len(emails)+2 {
		t.Errorf("%d requests for %d lookups and 2 THROTTLED answers, want %d", n, len(emails), len(emails)+2)
	}
	wantMetric(t, env, `shopcard_shopify_retries_total{reason="throttled",store="acme-outfitters.myshopify.com"} 2`)
}

func TestSlowStoreTimesOutAlone(t *testing.T) {
	env := newTestEnv(t, func(o *envOptions) { o.storeTimeout = 300 * time.Millisecond })
	env.fake.SetFaults(fakeshopify.AcmeDomain, fakeshopify.Faults{Latency: 5 * time.Second})
	_, slow := env.section(t, fakeshopify.AcmeDomain, fakeshopify.EmailShowcase)
	if state(slow) != "timeout" || slow.Find(sel("section-notice")).Text() != "Shopify is taking longer than usual for this store." {
		t.Fatalf("slow store: state %q, notice %q", state(slow), slow.Find(sel("section-notice")).Text())
	}
	if get, _ := slow.Find(sel("section-retry")).Attr("hx-get"); get != "/sidebar/stores/"+itoa(env.stores[fakeshopify.AcmeDomain].ID) {
		t.Errorf("retry control reloads %q", get)
	}
	_, other := env.section(t, fakeshopify.NordicDomain, fakeshopify.EmailShowcase)
	if state(other) != "loaded" {
		t.Errorf("the other store: state %q", state(other))
	}
	if n := env.fake.Requests(fakeshopify.AcmeDomain); n != 1 {
		t.Errorf("a timed-out request was sent %d times", n)
	}
}

func TestStoreDownWhileStaleDataExists(t *testing.T) {
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
			env := newTestEnv(t, func(o *envOptions) { o.storeTimeout = tt.deadline })
			if _, doc := env.section(t, fakeshopify.AcmeDomain, fakeshopify.EmailShowcase); state(doc) != "loaded" {
				t.Fatal("first load failed")
			}
			// The fresh answer expires; the last good one remains.
			acme := env.stores[fakeshopify.AcmeDomain]
			env.cache.EvictMatching([]int64{acme.ID}, cache.Match{Emails: []string{fakeshopify.EmailShowcase}})
			env.fake.SetFaults(fakeshopify.AcmeDomain, tt.faults)
			_, doc := env.section(t, fakeshopify.AcmeDomain, fakeshopify.EmailShowcase)
			if state(doc) != "loaded" || doc.Find(sel("customer-name")).Text() != "Maya Chen" {
				t.Fatalf("state %q: the last good answer should show", state(doc))
			}
			if got := doc.Find(sel("section-stale")).Text(); got != "Updated 1 min ago — Shopify didn't answer" {
				t.Errorf("stale line %q", got)
			}
			if doc.Find(sel("section-retry")).Length() != 1 {
				t.Error("no retry control next to stale data")
			}
			wantMetric(t, env, `shopcard_stale_answers_total{store="acme-outfitters.myshopify.com"} 1`)
			if n := env.fake.Requests(fakeshopify.AcmeDomain); n > 1+4 {
				t.Errorf("%d requests: more than one lookup and its bounded retries", n)
			}
		})
	}
}

func TestSeveralEmailsPerContact(t *testing.T) {
	env := newTestEnv(t)
	tok := env.tokenFor(t, embedtoken.Claims{Name: "Maya", Emails: []string{fakeshopify.EmailShowcase, " PRIYA.Natarajan@example.com", fakeshopify.EmailShowcase, fakeshopify.EmailNoMatch}})

	_, page := env.get(t, "/sidebar?token="+tok, "")
	doc, _ := goquery.NewDocumentFromReader(strings.NewReader(page))
	if n := doc.Find(sel("contact-email")).Length(); n != 3 {
		t.Errorf("the header lists %d emails, want the 3 distinct ones", n)
	}

	acme := env.sectionWith(t, fakeshopify.AcmeDomain, tok)
	var names, matched []string
	acme.Find(sel("customer-match")).Each(func(_ int, s *goquery.Selection) {
		names = append(names, s.Find(sel("customer-name")).Text())
		matched = append(matched, s.Find(sel("customer-matched-by")).Text())
	})
	if strings.Join(names, "|") != "Maya Chen|Priya Natarajan" ||
		strings.Join(matched, "|") != "Matched by maya.chen@example.com|Matched by priya.natarajan@example.com" {
		t.Errorf("Acme shows %q matched by %q", names, matched)
	}
	if n := env.fake.Requests(fakeshopify.AcmeDomain); n != 4 {
		t.Errorf("%d requests to Acme, want 4 (3 emails, and a guest search for the one nobody has)", n)
	}
	nordic := env.sectionWith(t, fakeshopify.NordicDomain, tok)
	if nordic.Find(sel("customer-match")).Length() != 1 {
		t.Errorf("Nordic shows %d customers, want Maya only", nordic.Find(sel("customer-match")).Length())
	}
	sakura := env.sectionWith(t, fakeshopify.SakuraDomain, tok)
	if state(sakura) != "no-match" || sakura.Find(sel("section-notice")).Text() != "No customer with any of these emails in this store." {
		t.Errorf("Sakura: %q %q", state(sakura), sakura.Find(sel("section-notice")).Text())
	}
}

func TestGuestOrdersWithHostileEmails(t *testing.T) {
	env := newTestEnv(t)
	victim, err := env.fake.AddOrder(fakeshopify.AcmeDomain, fakeshopify.Order{Email: "victim@example.com", Name: "#VICTIM", Total: "500.00"})
	if err != nil {
		t.Fatal(err)
	}
	for _, email := range []string{
		`"quoted"@example.com`, `back\slash@example.com`, `colon:name@example.com`, `(paren)@example.com`,
		`a OR email:victim@example.com`, `*@example.com`, `a") OR (email:"victim@example.com`,
	} {
		t.Run(email, func(t *testing.T) {
			norm, _ := domain.NormalizeEmail(email)
			own, err := env.fake.AddOrder(fakeshopify.AcmeDomain, fakeshopify.Order{Email: norm, Total: "1.00", FinancialStatus: "PAID"})
			if err != nil {
				t.Fatal(err)
			}
			_, doc := env.section(t, fakeshopify.AcmeDomain, email)
			if state(doc) != "loaded" {
				t.Fatalf("state %q: %s", state(doc), doc.Text())
			}
			guests := doc.Find(sel("guest-orders"))
			if names := guests.Find(sel("order-name")); names.Length() != 1 || names.Text() != own.Name {
				t.Errorf("guest orders %q, want only %s", names.Text(), own.Name)
			}
			if strings.Contains(doc.Text(), victim.Name) {
				t.Error("another person's order is shown")
			}
			if !strings.Contains(guests.Find(sel("guest-orders-email")).Text(), norm) {
				t.Errorf("placed-with line %q", guests.Find(sel("guest-orders-email")).Text())
			}
		})
	}
}

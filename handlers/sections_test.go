package handlers_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"shopcard/cache"
	"shopcard/fakeshopify"
	"shopcard/handlers/sectioncache"
	"shopcard/present"
)

func TestFragmentsAreCompressedWhenAccepted(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	tok := env.Token(t, fakeshopify.EmailSixtyOrders)
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
	resp, body := env.fragment(t, fakeshopify.AcmeDomain, env.Token(t, fakeshopify.EmailNoMatch), true)
	if resp.Header.Get("Content-Encoding") != "" || len(body) >= sectioncache.GzipMinLength {
		t.Errorf("a %d-byte section came with Content-Encoding %q", len(body), resp.Header.Get("Content-Encoding"))
	}
}

// A kept section is sent again only while it is what presenting the
// answers would give: new answers, other store settings and the clock all
// take effect at once.
func TestKeptSectionsFollowChanges(t *testing.T) {
	t.Parallel()
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
	// What is kept is the subject here, not how fast Shopify answers: with
	// the default 3 s deadline, a loaded machine made a section time out,
	// which is rightly never kept, and the test failed saying nothing was
	// kept. The deadline is one no answer of the fake's misses.
	env := newTestEnv(t, func(o *envOptions) { o.now = now; o.storeTimeout = time.Minute })
	ctx := context.Background()
	acme := env.Stores[fakeshopify.AcmeDomain]
	// Tokens are minted afresh by the moving clock, as an inbox would.
	load := func(gz bool) string {
		t.Helper()
		resp, body := env.fragment(t, fakeshopify.AcmeDomain, env.Token(t, fakeshopify.EmailSixtyOrders), gz)
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, `data-state="loaded"`) {
			t.Fatalf("status %d, and the section didn't load: %.300s", resp.StatusCode, body)
		}
		return body
	}
	first := load(true)
	if again := load(true); again != first {
		t.Fatal("the same inputs gave a different section")
	}
	answer, err := env.App.Lookup.LookupCustomer(ctx, acme, fakeshopify.EmailSixtyOrders)
	if err != nil {
		t.Fatal(err)
	}
	results := []present.Result{{Email: fakeshopify.EmailSixtyOrders, Answer: answer}}
	if _, ok := env.App.Sections.Get(sectioncache.Key(acme, results), results, now()); !ok {
		t.Fatal("the section was not kept")
	}

	t.Run("the clock moves a relative time on", func(t *testing.T) {
		until := present.ValidUntil(results, now())
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
		jordan, _ := env.Fake.CustomerByEmail(fakeshopify.AcmeDomain, fakeshopify.EmailSixtyOrders)
		if _, err := env.Fake.UpdateCustomer(fakeshopify.AcmeDomain, jordan.ID, func(c *fakeshopify.Customer) { c.LastName = "Rivera-Okafor" }); err != nil {
			t.Fatal(err)
		}
		env.App.Lookup.EvictMatching([]int64{acme.ID}, cache.Match{Emails: []string{fakeshopify.EmailSixtyOrders}}) // as the customers/update webhook does
		if got := load(true); !strings.Contains(got, "Jordan Rivera-Okafor") {
			t.Error("a kept section hid the customer's new name")
		}
	})

	t.Run("the store's scopes", func(t *testing.T) {
		// Harbor Supply has 1,287 orders of which 12 come back: without
		// read_all_orders, older ones may be missing, and the section says so.
		harbor := env.Token(t, fakeshopify.EmailThousandsOfOrders)
		_, withAll := env.fragment(t, fakeshopify.AcmeDomain, harbor, true)
		s := acme
		s.Scopes = []string{"read_customers", "read_orders"}
		if _, _, err := env.App.DB.SaveStore(ctx, s); err != nil {
			t.Fatal(err)
		}
		if _, got := env.fragment(t, fakeshopify.AcmeDomain, harbor, true); got == withAll || !strings.Contains(got, "an admin can allow older orders") {
			t.Error("a kept section ignored the store's new scopes")
		}
	})

	t.Run("a disconnected store", func(t *testing.T) {
		if err := env.App.DB.RemoveStore(ctx, env.WS.ID, acme.ID); err != nil {
			t.Fatal(err)
		}
		if resp, _ := env.fragment(t, fakeshopify.AcmeDomain, env.Token(t, fakeshopify.EmailSixtyOrders), true); resp.StatusCode != http.StatusNotFound {
			t.Errorf("a disconnected store's section: status %d", resp.StatusCode)
		}
	})

	t.Run("a rotated embed secret", func(t *testing.T) {
		if _, err := env.App.DB.RotateEmbedSecret(ctx, env.WS.ID, 0); err != nil {
			t.Fatal(err)
		}
		resp, _ := env.fragment(t, fakeshopify.NordicDomain, env.Token(t, fakeshopify.EmailSixtyOrders), true)
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("a token signed with the rotated-out secret: status %d", resp.StatusCode)
		}
	})
}

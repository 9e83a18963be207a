package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"shopcard/embedtoken"
	"shopcard/fakeshopify"
	"shopcard/internal/apptest"
)

// search asks the "Find an order" box for q as htmx does: the token in
// the header.
func (e *testEnv) search(t *testing.T, token, q string) (*http.Response, *goquery.Document) {
	t.Helper()
	resp, body := e.Get(t, "/sidebar/orders?q="+url.QueryEscape(q), token)
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return resp, doc
}

func TestOrderSearch(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	maya := env.Token(t, fakeshopify.EmailShowcase)

	t.Run("the page has one box, above the stores", func(t *testing.T) {
		_, body := env.Get(t, "/sidebar?token="+url.QueryEscape(maya), "")
		doc, _ := goquery.NewDocumentFromReader(strings.NewReader(body))
		form := doc.Find(apptest.Sel("order-search"))
		if form.Length() != 1 || doc.Find("#order-search-q").Length() != 1 || doc.Find(`label[for="order-search-q"]`).Text() != "Find an order" {
			t.Fatalf("%d boxes", form.Length())
		}
		if action, _ := form.Attr("hx-get"); action != "/sidebar/orders" {
			t.Errorf("the box searches %q", action)
		}
		if strings.Index(body, `data-testid="order-search"`) > strings.Index(body, `data-testid="store-section"`) {
			t.Error("the box is not above the stores")
		}
	})

	tests := []struct {
		name   string
		query  string
		stores map[string][]string // store → order names found
		labels map[string]string   // order name → placed-with label
		empty  bool
	}{
		{"a number only a search finds, placed with another email", fakeshopify.OrderGiftForMaya,
			map[string][]string{fakeshopify.AcmeDomain: {fakeshopify.OrderGiftForMaya}},
			map[string]string{fakeshopify.OrderGiftForMaya: "Placed with " + fakeshopify.EmailGiftGiver}, false},
		{"without the #", strings.TrimPrefix(fakeshopify.OrderGiftForMaya, "#"),
			map[string][]string{fakeshopify.AcmeDomain: {fakeshopify.OrderGiftForMaya}}, nil, false},
		{"a custom prefix, any case", strings.ToLower(fakeshopify.OrderNordicGuest),
			map[string][]string{fakeshopify.NordicDomain: {fakeshopify.OrderNordicGuest}},
			map[string]string{fakeshopify.OrderNordicGuest: "Placed with " + fakeshopify.EmailNordicGuest}, false},
		{"the same number in two stores", fakeshopify.OrderSharedNumber,
			map[string][]string{fakeshopify.AcmeDomain: {fakeshopify.OrderSharedNumber}, fakeshopify.SakuraDomain: {fakeshopify.OrderSharedNumber}},
			nil, false},
		{"no such order", "#999999", nil, nil, true},
		{"search syntax finds nothing", `1077" OR name:"1001`, nil, nil, true},
		{"a wildcard finds nothing", "10*", nil, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, doc := env.search(t, maya, tt.query)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d", resp.StatusCode)
			}
			if tt.empty {
				if doc.Find(apptest.Sel("order-search-empty")).Length() != 1 || doc.Find(apptest.Sel("order")).Length() != 0 {
					t.Errorf("not the empty state: %s", doc.Text())
				}
				return
			}
			got := map[string][]string{}
			doc.Find(apptest.Sel("order-search-store")).Each(func(_ int, s *goquery.Selection) {
				store, _ := s.Attr("data-store")
				s.Find(apptest.Sel("order-name")).Each(func(_ int, n *goquery.Selection) { got[store] = append(got[store], n.Text()) })
			})
			if len(got) != len(tt.stores) {
				t.Fatalf("found %v, want %v", got, tt.stores)
			}
			for store, names := range tt.stores {
				if strings.Join(got[store], ",") != strings.Join(names, ",") {
					t.Errorf("%s: %v, want %v", store, got[store], names)
				}
			}
			// The order list's own row: the admin link, the items, the
			// shipments, exactly as in a section.
			if doc.Find(apptest.Sel("order")+" "+apptest.Sel("order-admin-link")).Length() == 0 || doc.Find(apptest.Sel("order-items")).Length() == 0 {
				t.Error("the rows are not the order list's")
			}
			for name, label := range tt.labels {
				row := doc.Find(apptest.Sel("order-name")).FilterFunction(func(_ int, s *goquery.Selection) bool { return s.Text() == name }).Closest("li")
				if got := row.Find(apptest.Sel("order-placed-with")).Text(); !strings.HasPrefix(got, label) {
					t.Errorf("%s labelled %q, want %q", name, got, label)
				}
			}
		})
	}

	t.Run("an order placed with one of the contact's emails has no label", func(t *testing.T) {
		both := env.TokenFor(t, contactWith(fakeshopify.EmailShowcase, fakeshopify.EmailShowcaseOther))
		_, doc := env.search(t, both, fakeshopify.OrderSharedNumber)
		sakura := doc.Find(`[data-testid="order-search-store"][data-store="` + fakeshopify.SakuraDomain + `"]`)
		acme := doc.Find(`[data-testid="order-search-store"][data-store="` + fakeshopify.AcmeDomain + `"]`)
		if sakura.Find(apptest.Sel("order")).Length() != 1 || sakura.Find(apptest.Sel("order-placed-with")).Length() != 0 {
			t.Errorf("Maya's own guest order at Sakura is labelled: %q", sakura.Text())
		}
		if acme.Find(apptest.Sel("order-placed-with")).Length() != 1 {
			t.Error("Acme's #1003, someone else's, has no label")
		}
	})

	t.Run("a query that is not an order number", func(t *testing.T) {
		for _, q := range []string{"", "   ", "#", strings.Repeat("9", 65)} {
			resp, doc := env.search(t, maya, q)
			if resp.StatusCode != http.StatusOK || doc.Find(apptest.Sel("order-search-notice")).Length() != 1 || doc.Find(apptest.Sel("order")).Length() != 0 {
				t.Errorf("%q: %d %s", q, resp.StatusCode, doc.Text())
			}
		}
	})

	t.Run("the token is required, in the header", func(t *testing.T) {
		resp, _ := env.Get(t, "/sidebar/orders?q=1001", "")
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("without a token: %d", resp.StatusCode)
		}
		resp, _ = env.Get(t, "/sidebar/orders?q=1001&token="+url.QueryEscape(maya), "")
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("with the token in the URL only: %d", resp.StatusCode)
		}
	})

	t.Run("a store that does not answer gets a note, the others still answer", func(t *testing.T) {
		if err := env.Fake.SetFaults(fakeshopify.SakuraDomain, fakeshopify.Faults{Status: 503}); err != nil {
			t.Fatal(err)
		}
		defer env.Fake.SetFaults(fakeshopify.SakuraDomain, fakeshopify.Faults{})
		_, doc := env.search(t, maya, "1002")
		sakura := doc.Find(`[data-testid="order-search-store"][data-store="` + fakeshopify.SakuraDomain + `"]`)
		if !strings.Contains(sakura.Find(apptest.Sel("order-search-store-notice")).Text(), "Shopify") {
			t.Errorf("Sakura: %q", sakura.Text())
		}
		if doc.Find(`[data-testid="order-search-store"][data-store="`+fakeshopify.AcmeDomain+`"] `+apptest.Sel("order")).Length() != 1 {
			t.Error("Acme's #1002 is missing")
		}
	})

	t.Run("answers are cached like sections", func(t *testing.T) {
		env.Fake.ResetRequests(fakeshopify.AcmeDomain)
		env.search(t, maya, "1010")
		env.search(t, maya, "#1010")
		if n := env.Fake.Requests(fakeshopify.AcmeDomain); n != 1 {
			t.Errorf("%d requests to Shopify for one name asked twice", n)
		}
	})
}

// contactWith is a token's claims for a contact with several emails.
func contactWith(email string, others ...string) embedtoken.Claims {
	return embedtoken.Claims{Email: email, Emails: others, Name: "Test Contact"}
}

// TestFoundOrdersAreTheRichRows: a found order is the order list's own
// row, where its parcel is included, and opens with what the search
// brought (the order route opens only the contact's own orders), under
// ids of its own so that the same order in a section keeps its own.
func TestFoundOrdersAreTheRichRows(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	_, doc := env.search(t, env.Token(t, fakeshopify.EmailShowcase), fakeshopify.OrderGiftForMaya)
	row := doc.Find(apptest.Sel("order"))
	if row.Length() != 1 {
		t.Fatalf("%d orders found", row.Length())
	}
	if got := row.Find(apptest.Sel("order-delivery")).Text(); !strings.HasPrefix(got, "Delayed") {
		t.Errorf("delivery %q, want the delayed parcel", got)
	}
	if _, lazy := row.Attr("hx-get"); lazy {
		t.Error("a found order loads from the order route, which refuses another email's orders")
	}
	detail := row.Find(apptest.Sel("order-detail"))
	if v, _ := detail.Attr("data-variant"); v != "detail-loaded" {
		t.Errorf("opened order variant %q", v)
	}
	if got := detail.Find(apptest.Sel("order-address")).Text(); !strings.Contains(got, "1450 Valencia Street") || !strings.Contains(got, "California") {
		t.Errorf("address %q", got)
	}
	if detail.Find(apptest.Sel("tracking-link")).Length() == 0 {
		t.Error("no tracking link")
	}
	id, _ := row.Attr("id")
	did, _ := detail.Attr("id")
	if !strings.HasPrefix(id, "order-search-") || did != id+"-detail" {
		t.Errorf("ids %q and %q are a section's", id, did)
	}
}

package handlers_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"shopcard/fakeshopify"
	"shopcard/internal/apptest"
)

// openOrder loads an opened order's fragment as htmx does.
func (e *testEnv) openOrder(t *testing.T, storeDomain string, orderID uint64, token string) (int, *goquery.Document) {
	t.Helper()
	resp, body := e.Get(t, apptest.OrderPath(e.Stores[storeDomain], orderID), token)
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, doc
}

// orderWith finds Maya's order at Acme with n shipments.
func orderWith(t *testing.T, env *testEnv, shipments int) fakeshopify.Order {
	t.Helper()
	maya, _ := env.Fake.CustomerByEmail(fakeshopify.AcmeDomain, fakeshopify.EmailShowcase)
	for _, o := range env.Fake.Orders(fakeshopify.AcmeDomain, maya.ID) {
		if len(o.Fulfillments) == shipments {
			return o
		}
	}
	t.Fatalf("Maya has no order with %d shipments", shipments)
	return fakeshopify.Order{}
}

func detailVariant(doc *goquery.Document) string {
	v, _ := doc.Find(apptest.Sel("order-detail")).Attr("data-variant")
	return v
}

func TestOpenedOrder(t *testing.T) {
	env := newTestEnv(t)
	tok := env.Token(t, fakeshopify.EmailShowcase)
	four := orderWith(t, env, 4)

	status, doc := env.openOrder(t, fakeshopify.AcmeDomain, four.ID, tok)
	if status != http.StatusOK || detailVariant(doc) != "detail-loaded" {
		t.Fatalf("status %d, variant %q: %s", status, detailVariant(doc), doc.Text())
	}
	if id, _ := doc.Find(apptest.Sel("order-detail")).Attr("id"); id != "order-"+strconv.FormatUint(four.ID, 10)+"-detail" {
		t.Errorf("detail id %q: the row's lazy load replaces it by id", id)
	}
	shipments := doc.Find(apptest.Sel("shipment"))
	if shipments.Length() != 4 {
		t.Fatalf("%d shipments, want every one of 4", shipments.Length())
	}
	// Newest first: the parcel on its way, then the delivered ones, one of
	// them with five tracking numbers.
	if got := shipments.First().Find(apptest.Sel("shipment-status")).Text(); got != "In transit" {
		t.Errorf("first shipment %q, want the newest, in transit", got)
	}
	if !strings.Contains(shipments.First().Find(apptest.Sel("shipment-delivery")).Text(), "arrives") {
		t.Errorf("the parcel on its way says nothing of its arrival: %q", shipments.First().Text())
	}
	if n := shipments.Eq(1).Find(apptest.Sel("tracking")).Length(); n != 5 {
		t.Errorf("the shipment with five tracking numbers shows %d", n)
	}
	if shipments.Eq(1).Find(apptest.Sel("shipment-event")).Length() == 0 {
		t.Error("no carrier events")
	}
	for id, want := range map[string]string{
		"order-note":    "Gift — please leave the invoice out.",
		"order-tags":    "gift",
		"item-sku":      "SKU SB-C",
		"item-price":    "149.00 USD",
		"order-address": "1450 Valencia Street",
	} {
		if got := doc.Find(apptest.Sel(id)).First().Text(); !strings.Contains(got, want) {
			t.Errorf("%s = %q, want %q", id, got, want)
		}
	}
	if href, _ := doc.Find(apptest.Sel("order-status-page")).Attr("href"); !strings.HasPrefix(href, "https://"+fakeshopify.AcmeDomain+"/") {
		t.Errorf("order status page %q", href)
	}

	t.Run("nine lines, one removed", func(t *testing.T) {
		nine := orderWith(t, env, 1)
		for _, o := range env.Fake.Orders(fakeshopify.AcmeDomain, four.CustomerID) {
			if len(o.LineItems) == 9 {
				nine = o
			}
		}
		_, doc := env.openOrder(t, fakeshopify.AcmeDomain, nine.ID, tok)
		items := doc.Find(apptest.Sel("order-item"))
		if items.Length() != 9 || doc.Find(apptest.Sel("order-more-items")).Length() != 0 {
			t.Fatalf("%d items", items.Length())
		}
		removed := 0
		items.Each(func(_ int, s *goquery.Selection) {
			if s.Find(apptest.Sel("item-quantity")).Text() == "Removed" {
				removed++
				if !strings.Contains(s.Text(), "Packable Down Vest") {
					t.Errorf("the wrong item is marked removed: %q", s.Text())
				}
			}
		})
		if removed != 1 {
			t.Errorf("%d items marked removed, want 1", removed)
		}
		if !strings.Contains(doc.Find(apptest.Sel("refund")).Text(), "Vest out of stock") {
			t.Errorf("refund %q", doc.Find(apptest.Sel("refund")).Text())
		}
	})

	t.Run("a return, with read_returns", func(t *testing.T) {
		var ret fakeshopify.Order
		for _, o := range env.Fake.Orders(fakeshopify.AcmeDomain, four.CustomerID) {
			if o.ReturnStatus == "IN_PROGRESS" {
				ret = o
			}
		}
		_, doc := env.openOrder(t, fakeshopify.AcmeDomain, ret.ID, tok)
		r := doc.Find(apptest.Sel("return"))
		if r.Length() != 1 || r.Find(apptest.Sel("return-status")).Text() != "In progress" || !strings.Contains(r.Text(), "1 × Trail Running Shoes") {
			t.Errorf("return %q", r.Text())
		}
		if doc.Find(apptest.Sel("total-refunded")).Text() != "135.00 USD" || doc.Find(apptest.Sel("total-original")).Text() != "304.00 USD" {
			t.Errorf("totals %q", doc.Find(apptest.Sel("order-totals")).Text())
		}
	})
}

// TestOpenedOrderOnlyTheContacts: a rep can open only an order the
// contact's own lookup lists, in a store of the token's workspace.
func TestOpenedOrderOnlyTheContacts(t *testing.T) {
	env := newTestEnv(t)
	maya := env.Token(t, fakeshopify.EmailShowcase)
	jordan, _ := env.Fake.CustomerByEmail(fakeshopify.AcmeDomain, fakeshopify.EmailSixtyOrders)
	jordansOrder := env.Fake.Orders(fakeshopify.AcmeDomain, jordan.ID)[0]
	mine := orderWith(t, env, 4)
	tests := []struct {
		name   string
		path   string
		token  string
		status int
	}{
		{"another customer's order", apptest.OrderPath(env.Stores[fakeshopify.AcmeDomain], jordansOrder.ID), maya, http.StatusNotFound},
		{"the contact's order through another of the workspace's stores", apptest.OrderPath(env.Stores[fakeshopify.NordicDomain], mine.ID), maya, http.StatusNotFound},
		{"another workspace's store", apptest.OrderPath(env.RivalStore, mine.ID), maya, http.StatusNotFound},
		{"an order that isn't a number", apptest.SectionPath(env.Stores[fakeshopify.AcmeDomain]) + "/orders/gid:%2F%2Fshopify%2FOrder%2F1", maya, http.StatusNotFound},
		{"no token", apptest.OrderPath(env.Stores[fakeshopify.AcmeDomain], mine.ID), "", http.StatusUnauthorized},
		{"the contact's own order", apptest.OrderPath(env.Stores[fakeshopify.AcmeDomain], mine.ID), maya, http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := env.Fake.Requests(fakeshopify.AcmeDomain)
			resp, body := env.Get(t, tt.path, tt.token)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tt.status, body)
			}
			if tt.status != http.StatusOK && strings.Contains(body, "Trailhead") {
				t.Error("a refused order shows its items")
			}
			if tt.status == http.StatusNotFound && strings.Contains(tt.name, "another customer") {
				// Refused from the contact's own lookup: OrderDetail was
				// never sent for it.
				if n := env.Fake.Requests(fakeshopify.AcmeDomain) - before; n > 1 {
					t.Errorf("%d requests to Shopify for a refused order", n)
				}
			}
		})
	}
}

func TestOpenedOrderDegrades(t *testing.T) {
	env := newTestEnv(t)
	tok := env.Token(t, fakeshopify.EmailShowcase)
	four := orderWith(t, env, 4)
	acme := env.Stores[fakeshopify.AcmeDomain]

	t.Run("protected data withheld: the rest arrives", func(t *testing.T) {
		env := newTestEnv(t)
		if err := env.Fake.SetFaults(fakeshopify.AcmeDomain, fakeshopify.Faults{WithholdProtectedData: true}); err != nil {
			t.Fatal(err)
		}
		four := orderWith(t, env, 4)
		_, doc := env.openOrder(t, fakeshopify.AcmeDomain, four.ID, env.Token(t, fakeshopify.EmailShowcase))
		if detailVariant(doc) != "detail-partial" || doc.Find(apptest.Sel("order-address-note")).Text() != "Withheld by Shopify (protected customer data)." {
			t.Errorf("variant %q, address %q", detailVariant(doc), doc.Find(apptest.Sel("order-address-note")).Text())
		}
		if doc.Find(apptest.Sel("shipment")).Length() != 4 {
			t.Error("withheld protected data took the shipments with it")
		}
	})

	t.Run("Shopify fails: a note with a retry, above what the summary knew", func(t *testing.T) {
		env.Section(t, fakeshopify.AcmeDomain, fakeshopify.EmailShowcase) // the summary is cached
		if err := env.Fake.SetFaults(fakeshopify.AcmeDomain, fakeshopify.Faults{Status: http.StatusServiceUnavailable}); err != nil {
			t.Fatal(err)
		}
		defer env.Fake.SetFaults(fakeshopify.AcmeDomain, fakeshopify.Faults{})
		status, doc := env.openOrder(t, fakeshopify.AcmeDomain, four.ID, tok)
		if status != http.StatusOK || detailVariant(doc) != "detail-error" {
			t.Fatalf("status %d, variant %q", status, detailVariant(doc))
		}
		if get, _ := doc.Find(apptest.Sel("detail-retry")).Attr("hx-get"); get != apptest.OrderPath(acme, four.ID) {
			t.Errorf("retry %q", get)
		}
		if doc.Find(apptest.Sel("shipment")).Length() != 4 || doc.Find(apptest.Sel("order-item")).Length() != 4 {
			t.Error("the summary's shipments and items are not shown")
		}
	})

	t.Run("cached like the summary", func(t *testing.T) {
		env.openOrder(t, fakeshopify.AcmeDomain, four.ID, tok)
		before := env.Fake.Requests(fakeshopify.AcmeDomain)
		if _, doc := env.openOrder(t, fakeshopify.AcmeDomain, four.ID, tok); detailVariant(doc) != "detail-loaded" {
			t.Fatalf("variant %q", detailVariant(doc))
		}
		if n := env.Fake.Requests(fakeshopify.AcmeDomain) - before; n != 0 {
			t.Errorf("opening the order again asked Shopify %d times", n)
		}
	})

	t.Run("without read_returns the query still works", func(t *testing.T) {
		zoe := env.Token(t, fakeshopify.EmailNonASCII)
		c, _ := env.Fake.CustomerByEmail(fakeshopify.NordicDomain, fakeshopify.EmailNonASCII)
		o := env.Fake.Orders(fakeshopify.NordicDomain, c.ID)[0]
		if status, doc := env.openOrder(t, fakeshopify.NordicDomain, o.ID, zoe); status != http.StatusOK || detailVariant(doc) != "detail-loaded" {
			t.Errorf("status %d, variant %q: %s", status, detailVariant(doc), doc.Text())
		}
	})
}

// TestGuestOrdersWithheld: with protected data withheld, guest orders'
// emails come back null; the section says so in one sentence, never "no
// customer".
func TestGuestOrdersWithheld(t *testing.T) {
	env := newTestEnv(t)
	tok := env.Token(t, fakeshopify.EmailGuest)
	doc := env.SectionWith(t, fakeshopify.AcmeDomain, tok)
	first, _ := doc.Find(apptest.Sel("order")).First().Attr("id")
	id, _ := strconv.ParseUint(strings.TrimPrefix(first, "order-"), 10, 64)
	if status, d := env.openOrder(t, fakeshopify.AcmeDomain, id, tok); status != http.StatusOK || detailVariant(d) != "detail-loaded" {
		t.Errorf("a guest's own order: status %d, variant %q", status, detailVariant(d))
	}

	env = newTestEnv(t)
	if err := env.Fake.SetFaults(fakeshopify.AcmeDomain, fakeshopify.Faults{WithholdProtectedData: true}); err != nil {
		t.Fatal(err)
	}
	doc = env.SectionWith(t, fakeshopify.AcmeDomain, env.Token(t, fakeshopify.EmailGuest))
	body := doc.Find(apptest.Sel("section-body"))
	if v, _ := body.Attr("data-variant"); v != "withheld-guests" {
		t.Fatalf("variant %q: %s", v, body.Text())
	}
	notice := doc.Find(apptest.Sel("section-notice")).Text()
	if !strings.HasPrefix(notice, "2 guest orders match this email, but Shopify withheld their emails") || strings.Contains(notice, "No customer") {
		t.Errorf("notice %q", notice)
	}
	if href, _ := doc.Find(apptest.Sel("section-notice-link")).Attr("href"); !strings.Contains(href, "/orders?query=walk-in.guest%40example.net") {
		t.Errorf("search link %q", href)
	}
	if doc.Find(apptest.Sel("order")).Length() != 0 {
		t.Error("orders that can't be confirmed as the contact's are shown")
	}
}

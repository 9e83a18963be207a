package fakeshopify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"shopcard/shopify"
)

// receiver records the webhooks it is sent.
type receiver struct {
	mu  sync.Mutex
	got []received
	srv *httptest.Server
}

type received struct {
	header http.Header
	body   []byte
	json   map[string]any
}

func newReceiver(t *testing.T) *receiver {
	t.Helper()
	r := &receiver{}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		b, _ := io.ReadAll(req.Body)
		var m map[string]any
		json.Unmarshal(b, &m)
		r.mu.Lock()
		r.got = append(r.got, received{header: req.Header.Clone(), body: b, json: m})
		r.mu.Unlock()
	}))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) topics() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, g := range r.got {
		out = append(out, g.header.Get("X-Shopify-Topic"))
	}
	slices.Sort(out)
	return out
}

func (r *receiver) last() received {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.got[len(r.got)-1]
}

// find returns the last delivery of a topic: Shopify, and the fake, do not
// promise to deliver one change's topics in any order.
func (r *receiver) find(t *testing.T, topic string) received {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	for i := len(r.got) - 1; i >= 0; i-- {
		if r.got[i].header.Get("X-Shopify-Topic") == topic {
			return r.got[i]
		}
	}
	t.Fatalf("no %s delivery", topic)
	return received{}
}

func subscribe(t *testing.T, ts *httptest.Server, token, topic, uri string) *shopify.WebhookSubscriptionCreateResponse {
	t.Helper()
	resp, err := shopify.WebhookSubscriptionCreate(context.Background(), client(ts, AcmeDomain, token), shopify.TopicEnum(topic), uri)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

func TestWebhookSubscriptionCreate(t *testing.T) {
	s, ts, _ := startSeeded(t)
	rec := newReceiver(t)
	uri := rec.srv.URL + "/webhooks/shopify"

	resp := subscribe(t, ts, AcmeToken, "customers/update", uri)
	sub := resp.WebhookSubscriptionCreate.WebhookSubscription
	if len(resp.WebhookSubscriptionCreate.UserErrors) != 0 || sub == nil || sub.Topic != shopify.WebhookSubscriptionTopicCustomersUpdate || sub.Uri != uri ||
		!strings.HasPrefix(sub.Id, "gid://shopify/WebhookSubscription/") {
		t.Fatalf("created %+v", resp.WebhookSubscriptionCreate)
	}
	tests := []struct {
		name, token, topic, uri, want string
	}{
		{"the same address again", AcmeToken, "customers/update", uri, "Address for this topic has already been taken"},
		{"plain http off loopback", AcmeToken, "customers/update", "http://example.com/hook", "Address protocol http:// is not supported"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := subscribe(t, ts, tt.token, tt.topic, tt.uri)
			errs := resp.WebhookSubscriptionCreate.UserErrors
			if len(errs) != 1 || !strings.Contains(errs[0].Message, tt.want) || resp.WebhookSubscriptionCreate.WebhookSubscription != nil {
				t.Errorf("got %+v", resp.WebhookSubscriptionCreate)
			}
		})
	}

	// Only the subscribed topic is delivered to the subscription.
	maya, _ := s.CustomerByEmail(AcmeDomain, EmailShowcase)
	if _, err := s.UpdateCustomer(AcmeDomain, maya.ID, func(c *Customer) { c.LastName = "Chen-Park" }); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddOrder(AcmeDomain, Order{CustomerID: maya.ID, Total: "5.00"}); err != nil {
		t.Fatal(err)
	}
	s.FlushWebhooks()
	if got := rec.topics(); strings.Join(got, ",") != "customers/update" {
		t.Fatalf("delivered %v, want only customers/update", got)
	}
	checkSigned(t, s, rec.last())
	if j := rec.last().json; j["id"] != float64(maya.ID) || j["email"] != EmailShowcase || j["last_name"] != "Chen-Park" {
		t.Errorf("payload %v", j)
	}
}

// checkSigned verifies a delivery the way a receiver must.
func checkSigned(t *testing.T, s *Server, r received) {
	t.Helper()
	secret, _ := s.WebhookSecret(r.header.Get("X-Shopify-Shop-Domain"))
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(r.body)
	if want := base64.StdEncoding.EncodeToString(mac.Sum(nil)); r.header.Get("X-Shopify-Hmac-Sha256") != want {
		t.Errorf("HMAC %q, want %q", r.header.Get("X-Shopify-Hmac-Sha256"), want)
	}
	for _, h := range []string{"X-Shopify-Topic", "X-Shopify-Shop-Domain", "X-Shopify-Webhook-Id", "X-Shopify-API-Version"} {
		if r.header.Get(h) == "" {
			t.Errorf("no %s header", h)
		}
	}
}

func TestDataChangesTriggerTheirWebhooks(t *testing.T) {
	s := NewSeeded(nil)
	rec := newReceiver(t)
	s.SetWebhookURL(rec.srv.URL)
	maya, _ := s.CustomerByEmail(AcmeDomain, EmailShowcase)
	order := s.Orders(AcmeDomain, maya.ID)[0]
	guest, err := s.AddOrder(AcmeDomain, Order{Email: "guest@example.com", Total: "3.00", LineItems: []LineItem{{Title: "Mug", Quantity: 2}}})
	if err != nil {
		t.Fatal(err)
	}
	s.FlushWebhooks()
	if j := rec.last().json; rec.last().header.Get("X-Shopify-Topic") != "orders/create" || j["email"] != "guest@example.com" || j["customer"] != nil {
		t.Errorf("guest orders/create: %v", j)
	}
	tests := []struct {
		name   string
		change func() error
		topics string
		check  func(t *testing.T, j map[string]any) // of the last topic listed
	}{
		{"cancel an order", func() error {
			_, err := s.UpdateOrder(AcmeDomain, order.ID, func(o *Order) { o.CancelledAt, o.CancelReason = s.clock(), "CUSTOMER" })
			return err
		}, "orders/cancelled,orders/updated", func(t *testing.T, j map[string]any) {
			// orders/updated
			if j["id"] != float64(order.ID) || dig(j, "customer", "email") != EmailShowcase || j["cancel_reason"] != "customer" {
				t.Errorf("payload %v", j)
			}
		}},
		{"ship a guest order", func() error {
			_, err := s.UpdateOrder(AcmeDomain, guest.ID, func(o *Order) {
				o.FulfillmentStatus = "FULFILLED"
				o.Fulfillments = append(o.Fulfillments, Fulfillment{Status: "SUCCESS", CreatedAt: s.clock(), Tracking: []Tracking{{Company: "UPS", Number: "1Z1"}}})
			})
			return err
		}, "fulfillments/create,orders/fulfilled,orders/updated", nil},
		{"refund an item", func() error {
			_, err := s.UpdateOrder(AcmeDomain, guest.ID, func(o *Order) { o.LineItems[0].RemovedQuantity = 1 })
			return err
		}, "orders/edited,orders/updated,refunds/create", nil},
		{"delete a customer", func() error {
			c, err := s.AddCustomer(AcmeDomain, Customer{Email: "brief@example.com"})
			if err != nil {
				return err
			}
			return s.DeleteCustomer(AcmeDomain, c.ID)
		}, "customers/create,customers/delete", func(t *testing.T, j map[string]any) {
			if _, hasEmail := j["email"]; hasEmail || j["id"] == nil {
				t.Errorf("customers/delete payload %v: Shopify sends the id and no email", j)
			}
		}},
		{"redact a customer", func() error { return s.RedactCustomer(AcmeDomain, maya.ID) }, "customers/redact", func(t *testing.T, j map[string]any) {
			if j["shop_domain"] != AcmeDomain || dig(j, "customer", "email") != EmailShowcase || len(j["orders_to_redact"].([]any)) == 0 {
				t.Errorf("payload %v", j)
			}
		}},
		{"uninstall the app", func() error { return s.UninstallApp(AcmeDomain) }, "app/uninstalled", func(t *testing.T, j map[string]any) {
			if j["myshopify_domain"] != AcmeDomain {
				t.Errorf("payload %v", j)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec.mu.Lock()
			rec.got = nil
			rec.mu.Unlock()
			if err := tt.change(); err != nil {
				t.Fatal(err)
			}
			s.FlushWebhooks()
			if got := strings.Join(rec.topics(), ","); got != tt.topics {
				t.Fatalf("delivered %s, want %s", got, tt.topics)
			}
			topics := strings.Split(tt.topics, ",")
			d := rec.find(t, topics[len(topics)-1])
			checkSigned(t, s, d)
			if tt.check != nil {
				tt.check(t, d.json)
			}
		})
	}
	// After the uninstall, the token is revoked.
	ts := serve(t, s)
	if r := post(t, GraphQLURL(ts.URL, AcmeDomain), AcmeToken, `{ shop { name } }`, nil); r.status != http.StatusUnauthorized {
		t.Errorf("token after uninstall: %d", r.status)
	}
}

func TestWebhookTestAPI(t *testing.T) {
	s := NewSeeded(nil)
	ts := serve(t, s)
	rec := newReceiver(t)
	call := func(method, path, body string) rawResponse {
		t.Helper()
		return do(t, method, ts.URL+path, "", "application/json", []byte(body))
	}
	if r := call("PUT", "/_fake/webhook-url", `{"url":"`+rec.srv.URL+`"}`); r.status != 200 {
		t.Fatalf("webhook-url: %d %s", r.status, r.body)
	}
	maya, _ := s.CustomerByEmail(AcmeDomain, EmailShowcase)
	steps := []struct {
		method, path, body string
		status             int
		topic              string
	}{
		{"PATCH", "/_fake/stores/" + AcmeDomain + "/customers/" + itoa(maya.ID), `{"firstName":"Maia"}`, 200, "customers/update"},
		{"PATCH", "/_fake/stores/" + AcmeDomain + "/customers/" + itoa(maya.ID), `{"nickname":"M"}`, 400, ""},
		{"POST", "/_fake/stores/" + AcmeDomain + "/orders", `{"email":"walk-in@example.com","total":"9.50","lineItems":[{"title":"Map","quantity":1}]}`, 201, "orders/create"},
		{"POST", "/_fake/stores/" + AcmeDomain + "/orders", `{"total":"9.50"}`, 400, ""},
		{"POST", "/_fake/stores/" + AcmeDomain + "/customers/" + itoa(maya.ID) + "/data-request", ``, 200, "customers/data_request"},
	}
	for _, st := range steps {
		r := call(st.method, st.path, st.body)
		if r.status != st.status {
			t.Fatalf("%s %s: %d %s", st.method, st.path, r.status, r.body)
		}
		if st.topic == "" {
			continue
		}
		if r := call("POST", "/_fake/webhooks/flush", ""); r.status != 200 {
			t.Fatalf("flush: %d", r.status)
		}
		if got := rec.last().header.Get("X-Shopify-Topic"); got != st.topic {
			t.Errorf("%s %s delivered %s, want %s", st.method, st.path, got, st.topic)
		}
	}
	if c, _ := s.CustomerByEmail(AcmeDomain, EmailShowcase); c.FirstName != "Maia" || c.LastName != "Chen" {
		t.Errorf("PATCH changed more than asked: %+v", c)
	}
	orderID := uint64(dig(rec.find(t, "orders/create").json, "id").(float64))
	if r := call("PATCH", "/_fake/stores/"+AcmeDomain+"/orders/"+itoa(orderID), `{"fulfillmentStatus":"FULFILLED","addFulfillment":{"tracking":[{"company":"DHL","number":"42"}]}}`); r.status != 200 {
		t.Fatalf("order patch: %d %s", r.status, r.body)
	}
	s.FlushWebhooks()
	r := call("GET", "/_fake/stores/"+AcmeDomain+"/webhooks", "")
	var view struct {
		Deliveries []struct{ Topic string }
	}
	json.Unmarshal(r.body, &view)
	var topics []string
	for _, d := range view.Deliveries {
		topics = append(topics, d.Topic)
	}
	if !slices.Contains(topics, "fulfillments/create") || bytes.Contains(r.body, []byte("walk-in@example.com")) {
		t.Errorf("deliveries %v (bodies must not be listed): %s", topics, r.body)
	}
}

func itoa(n uint64) string { return strconv.FormatUint(n, 10) }

package fakeshopify

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io"
	"net"
	"net/http"
	neturl "net/url"
	"slices"
	"strings"
	"time"

	"shopcard/shopify"
)

// webhookSub is a webhook subscription a client created with
// webhookSubscriptionCreate.
type webhookSub struct {
	id    uint64
	topic string // as in X-Shopify-Topic: "customers/update"
	uri   string
	// clientID is the app whose token made the subscription; "" for a
	// custom app's. It decides the key deliveries are signed with.
	clientID string
}

// WebhookDelivery is one webhook the fake sent: to whom, what, and how the
// receiver answered. Body and Header are exactly what was sent, so a test
// can replay a delivery or forge a variant of it.
type WebhookDelivery struct {
	ID     string // X-Shopify-Webhook-Id
	Shop   string
	Topic  string
	URL    string
	Status int    // the receiver's HTTP status; 0 when it could not be reached
	Error  string // why it could not be reached
	Body   []byte
	Header http.Header
}

// pendingDelivery is a delivery prepared under the server's lock and sent
// after it is released.
type pendingDelivery struct {
	shop, topic, url string
	body             []byte
	header           http.Header
}

// SetWebhookURL makes the fake deliver every webhook of every store to url
// as well as to the subscriptions made through the API: the endpoint an
// app configures once for all shops, and the only place the compliance
// topics (customers/data_request, customers/redact, shop/redact) go. An
// empty url stops that.
func (s *Server) SetWebhookURL(url string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.webhookURL = url
}

// WebhookSecret is the store's notification signing secret (Store's
// WebhookSecret), which signs its webhooks but those to subscriptions an
// app made with its own token.
func (s *Server) WebhookSecret(shop string) (string, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	st, err := s.storeLocked(shop)
	if err != nil {
		return "", err
	}
	return st.info.WebhookSecret, nil
}

// WebhookDeliveries lists the webhooks a store has sent, oldest first.
// Call FlushWebhooks first to see the ones still in flight.
func (s *Server) WebhookDeliveries(shop string) []WebhookDelivery {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []WebhookDelivery
	for _, d := range s.deliveries {
		if d.Shop == strings.ToLower(shop) {
			d.Body = slices.Clone(d.Body)
			d.Header = d.Header.Clone()
			out = append(out, d)
		}
	}
	return out
}

// FlushWebhooks waits until every webhook triggered so far has been
// delivered (or has failed to be).
func (s *Server) FlushWebhooks() { s.sending.Wait() }

// Redeliver sends a delivery again, unchanged, Webhook-Id included, the way
// Shopify retries one.
func (s *Server) Redeliver(d WebhookDelivery) {
	s.dispatch([]pendingDelivery{{shop: d.Shop, topic: d.Topic, url: d.URL, body: d.Body, header: d.Header.Clone()}})
}

// TriggerWebhook sends a webhook for a topic with the given payload (any
// JSON-encodable value, or a []byte sent as is) to the store's matching
// subscriptions and to the webhook URL. Data changes made through the Go
// and test APIs trigger their webhooks on their own; this is for the
// topics no data change causes, such as the compliance topics.
func (s *Server) TriggerWebhook(shop, topic string, payload any) error {
	var pending []pendingDelivery
	defer func() { s.dispatch(pending) }()
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.storeLocked(shop)
	if err != nil {
		return err
	}
	pending, err = s.webhooksLocked(st, topic, payload)
	return err
}

// webhooksLocked prepares, signed, the deliveries of one webhook: one per
// matching subscription, plus the webhook URL. As on Shopify, a
// subscription made with an app's token is signed with that app's client
// secret, and the rest (a custom app's subscriptions, the webhook URL)
// with the store's notification signing secret. The caller holds s.mu and
// passes the result to dispatch once it has released it.
func (s *Server) webhooksLocked(st *store, topic string, payload any) ([]pendingDelivery, error) {
	type target struct{ url, secret string }
	var targets []target
	seen := func(u string) bool {
		return slices.ContainsFunc(targets, func(t target) bool { return t.url == u })
	}
	for _, sub := range st.subs {
		if sub.topic == topic && !seen(sub.uri) {
			secret := s.appSecretLocked(sub.clientID)
			if secret == "" {
				secret = st.info.WebhookSecret
			}
			targets = append(targets, target{sub.uri, secret})
		}
	}
	if s.webhookURL != "" && !seen(s.webhookURL) {
		targets = append(targets, target{s.webhookURL, st.info.WebhookSecret})
	}
	if len(targets) == 0 {
		return nil, nil
	}
	body, ok := payload.([]byte)
	if !ok {
		var err error
		if body, err = jsonBody(payload); err != nil {
			return nil, fmt.Errorf("fakeshopify: %s payload: %w", topic, err)
		}
	}
	now := s.clock().UTC()
	var out []pendingDelivery
	for _, t := range targets {
		mac := hmac.New(sha256.New, []byte(t.secret))
		mac.Write(body)
		h := http.Header{}
		h.Set("Content-Type", "application/json")
		h.Set("X-Shopify-Topic", topic)
		h.Set("X-Shopify-Hmac-Sha256", base64.StdEncoding.EncodeToString(mac.Sum(nil)))
		h.Set("X-Shopify-Shop-Domain", st.info.Domain)
		h.Set("X-Shopify-Webhook-Id", newUUID())
		h.Set("X-Shopify-Event-Id", newUUID())
		h.Set("X-Shopify-Triggered-At", now.Format(time.RFC3339Nano))
		h.Set("X-Shopify-API-Version", shopify.APIVersion)
		out = append(out, pendingDelivery{shop: st.info.Domain, topic: topic, url: t.url, body: body, header: h})
	}
	return out, nil
}

// webhookClient delivers webhooks. Shopify gives a receiver 5 seconds and
// does not follow redirects.
var webhookClient = &http.Client{
	Timeout:       5 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// dispatch sends prepared deliveries in the background, each on its own,
// and logs how each went. FlushWebhooks waits for them.
func (s *Server) dispatch(pending []pendingDelivery) {
	for _, p := range pending {
		s.sending.Add(1)
		go func() {
			defer s.sending.Done()
			d := WebhookDelivery{ID: p.header.Get("X-Shopify-Webhook-Id"), Shop: p.shop, Topic: p.topic, URL: p.url, Body: p.body, Header: p.header}
			req, err := http.NewRequest(http.MethodPost, p.url, bytes.NewReader(p.body))
			if err == nil {
				req.Header = p.header.Clone()
				var resp *http.Response
				if resp, err = webhookClient.Do(req); err == nil {
					io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
					resp.Body.Close()
					d.Status = resp.StatusCode
				}
			}
			if err != nil {
				d.Error = err.Error()
			}
			s.mu.Lock()
			s.deliveries = append(s.deliveries, d)
			s.mu.Unlock()
		}()
	}
}

// newUUID makes a random version-4 UUID, the shape of Shopify's webhook
// and event IDs.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// topicScopes are the scopes a subscription to a topic family needs, any
// one of them, as the 2026-07 schema documents each WebhookSubscriptionTopic
// ("Requires at least one of the following scopes: read_fulfillments,
// read_marketplace_orders").
var topicScopes = map[string][]string{
	"customers":    {"read_customers"},
	"orders":       {"read_orders", "read_marketplace_orders"},
	"fulfillments": {"read_fulfillments", "read_marketplace_orders"},
	"refunds":      {"read_orders", "read_marketplace_orders"},
}

// topicName turns a WebhookSubscriptionTopic value ("ORDERS_PARTIALLY_FULFILLED")
// into the topic's name in X-Shopify-Topic ("orders/partially_fulfilled").
func topicName(enum string) string {
	return strings.Replace(strings.ToLower(enum), "_", "/", 1)
}

// checkWebhookURI refuses what Shopify refuses: anything but an https
// address. The fake also takes http on loopback, where tests and the demo
// listen, and nothing else (no Pub/Sub or EventBridge).
func checkWebhookURI(raw string) string {
	u, err := neturl.Parse(raw)
	if err != nil || u.Host == "" {
		return "Address is invalid"
	}
	switch u.Scheme {
	case "https":
		return ""
	case "http":
		host := u.Hostname()
		if ip := net.ParseIP(host); host == "localhost" || (ip != nil && ip.IsLoopback()) {
			return ""
		}
		return "Address protocol http:// is not supported"
	}
	return "fakeshopify: only https:// addresses are supported by the fake"
}

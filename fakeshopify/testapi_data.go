package fakeshopify

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"
)

// The test API's routes that change data, each triggering the webhooks
// the change would trigger on Shopify, and the routes that show and steer
// webhook delivery. Bodies are JSON; unknown fields are refused, so a
// typo cannot silently change nothing.

// decodeStrict reads a JSON body of at most 64 KiB into v.
func decodeStrict(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
		return false
	}
	return true
}

func pathID(w http.ResponseWriter, r *http.Request) (uint64, bool) {
	id, err := strconv.ParseUint(r.PathValue("id"), 10, 64)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "id must be a number"})
		return 0, false
	}
	return id, true
}

func customerView(c Customer) map[string]any {
	return map[string]any{"id": c.ID, "firstName": c.FirstName, "lastName": c.LastName, "email": c.Email, "phone": c.Phone, "tags": c.Tags}
}

func orderView(o Order) map[string]any {
	return map[string]any{"id": o.ID, "name": o.Name, "customerId": o.CustomerID, "email": o.Email, "total": o.Total,
		"financialStatus": o.FinancialStatus, "fulfillmentStatus": o.FulfillmentStatus, "cancelled": !o.CancelledAt.IsZero()}
}

// customerJSON is a customer as the test API takes it; on PATCH, fields
// left out keep their value.
type customerJSON struct {
	FirstName *string   `json:"firstName"`
	LastName  *string   `json:"lastName"`
	Email     *string   `json:"email"`
	Phone     *string   `json:"phone"`
	Tags      *[]string `json:"tags"`
}

func (j customerJSON) apply(c *Customer) {
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = *src
		}
	}
	set(&c.FirstName, j.FirstName)
	set(&c.LastName, j.LastName)
	set(&c.Email, j.Email)
	set(&c.Phone, j.Phone)
	if j.Tags != nil {
		c.Tags = *j.Tags
	}
}

// POST /_fake/stores/{shop}/customers
func (s *Server) postCustomer(w http.ResponseWriter, r *http.Request) {
	var j customerJSON
	if !decodeStrict(w, r, &j) {
		return
	}
	var c Customer
	j.apply(&c)
	added, err := s.AddCustomer(r.PathValue("shop"), c)
	if err != nil {
		writeTestAPIError(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, customerView(added))
}

// PATCH /_fake/stores/{shop}/customers/{id}
func (s *Server) patchCustomer(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r)
	var j customerJSON
	if !ok || !decodeStrict(w, r, &j) {
		return
	}
	c, err := s.UpdateCustomer(r.PathValue("shop"), id, j.apply)
	if err != nil {
		writeTestAPIError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, customerView(c))
}

// DELETE /_fake/stores/{shop}/customers/{id}
func (s *Server) deleteCustomer(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	if err := s.DeleteCustomer(r.PathValue("shop"), id); err != nil {
		writeTestAPIError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]bool{"deleted": true})
}

// POST /_fake/stores/{shop}/customers/{id}/redact and .../data-request
func (s *Server) postCompliance(topic string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, ok := pathID(w, r)
		if !ok {
			return
		}
		if err := s.complianceWebhook(r.PathValue("shop"), topic, id); err != nil {
			writeTestAPIError(w, err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"sent": topic})
	}
}

type lineItemJSON struct {
	Title        string `json:"title"`
	VariantTitle string `json:"variantTitle"`
	Quantity     int    `json:"quantity"`
}

type trackingJSON struct {
	Company string `json:"company"`
	Number  string `json:"number"`
	URL     string `json:"url"`
}

type fulfillmentJSON struct {
	Status        string         `json:"status"`
	DisplayStatus string         `json:"displayStatus"`
	Tracking      []trackingJSON `json:"tracking"`
}

// orderJSON is a new order as the test API takes it. Without a customerId
// it is a guest checkout, and email is required.
type orderJSON struct {
	CustomerID        uint64         `json:"customerId"`
	Email             string         `json:"email"`
	Total             string         `json:"total"`
	FinancialStatus   string         `json:"financialStatus"`
	FulfillmentStatus string         `json:"fulfillmentStatus"`
	LineItems         []lineItemJSON `json:"lineItems"`
}

// POST /_fake/stores/{shop}/orders
func (s *Server) postOrder(w http.ResponseWriter, r *http.Request) {
	var j orderJSON
	if !decodeStrict(w, r, &j) {
		return
	}
	if j.CustomerID == 0 && j.Email == "" {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "a guest order needs an email"})
		return
	}
	o := Order{CustomerID: j.CustomerID, Email: j.Email, Total: j.Total, FinancialStatus: j.FinancialStatus, FulfillmentStatus: j.FulfillmentStatus}
	if o.Total == "" {
		o.Total = "0.00"
	}
	for _, li := range j.LineItems {
		o.LineItems = append(o.LineItems, LineItem{Title: li.Title, VariantTitle: li.VariantTitle, Quantity: li.Quantity})
	}
	added, err := s.AddOrder(r.PathValue("shop"), o)
	if err != nil {
		writeTestAPIError(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, orderView(added))
}

// orderPatchJSON changes an order; fields left out keep their value.
// cancelReason cancels the order now; addFulfillment ships (part of) it.
type orderPatchJSON struct {
	Total             *string          `json:"total"`
	FinancialStatus   *string          `json:"financialStatus"`
	FulfillmentStatus *string          `json:"fulfillmentStatus"`
	CancelReason      *string          `json:"cancelReason"`
	AddFulfillment    *fulfillmentJSON `json:"addFulfillment"`
}

// PATCH /_fake/stores/{shop}/orders/{id}
func (s *Server) patchOrder(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r)
	var j orderPatchJSON
	if !ok || !decodeStrict(w, r, &j) {
		return
	}
	now := s.clock()
	o, err := s.UpdateOrder(r.PathValue("shop"), id, func(o *Order) {
		if j.Total != nil {
			o.Total = *j.Total
		}
		if j.FinancialStatus != nil {
			o.FinancialStatus = *j.FinancialStatus
		}
		if j.FulfillmentStatus != nil {
			o.FulfillmentStatus = *j.FulfillmentStatus
		}
		if j.CancelReason != nil {
			o.CancelReason, o.CancelledAt = *j.CancelReason, now
		}
		if f := j.AddFulfillment; f != nil {
			ful := Fulfillment{Status: f.Status, DisplayStatus: f.DisplayStatus, CreatedAt: now}
			if ful.Status == "" {
				ful.Status = "SUCCESS"
			}
			for _, t := range f.Tracking {
				ful.Tracking = append(ful.Tracking, Tracking{Company: t.Company, Number: t.Number, URL: t.URL})
			}
			o.Fulfillments = append(o.Fulfillments, ful)
		}
	})
	if err != nil {
		writeTestAPIError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, orderView(o))
}

// POST /_fake/stores/{shop}/uninstall
func (s *Server) postUninstall(w http.ResponseWriter, r *http.Request) {
	if err := s.UninstallApp(r.PathValue("shop")); err != nil {
		writeTestAPIError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"sent": "app/uninstalled"})
}

// POST /_fake/stores/{shop}/redact
func (s *Server) postShopRedact(w http.ResponseWriter, r *http.Request) {
	if err := s.RedactShop(r.PathValue("shop")); err != nil {
		writeTestAPIError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"sent": "shop/redact"})
}

type deliveryView struct {
	ID     string `json:"id"`
	Topic  string `json:"topic"`
	URL    string `json:"url"`
	Status int    `json:"status"`
	Error  string `json:"error,omitempty"`
}

type subscriptionView struct {
	ID    string `json:"id"`
	Topic string `json:"topic"`
	URI   string `json:"uri"`
}

// GET /_fake/stores/{shop}/webhooks: the store's subscriptions and the
// webhooks it sent (without their bodies).
func (s *Server) getWebhooks(w http.ResponseWriter, r *http.Request) {
	shop := r.PathValue("shop")
	s.mu.RLock()
	st, err := s.storeLocked(shop)
	subs := []subscriptionView{}
	if err == nil {
		for _, sub := range st.subs {
			subs = append(subs, subscriptionView{ID: string(gid("WebhookSubscription", sub.id)), Topic: sub.topic, URI: sub.uri})
		}
	}
	s.mu.RUnlock()
	if err != nil {
		writeTestAPIError(w, err)
		return
	}
	sent := []deliveryView{}
	for _, d := range s.WebhookDeliveries(shop) {
		sent = append(sent, deliveryView{ID: d.ID, Topic: d.Topic, URL: d.URL, Status: d.Status, Error: d.Error})
	}
	writeJSON(w, http.StatusOK, map[string]any{"subscriptions": subs, "deliveries": sent})
}

// PUT /_fake/webhook-url {"url": "..."}: see SetWebhookURL.
func (s *Server) putWebhookURL(w http.ResponseWriter, r *http.Request) {
	var j struct {
		URL string `json:"url"`
	}
	if !decodeStrict(w, r, &j) {
		return
	}
	if j.URL != "" {
		if problem := checkWebhookURI(j.URL); problem != "" {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": problem})
			return
		}
	}
	s.SetWebhookURL(j.URL)
	writeJSON(w, http.StatusOK, map[string]string{"url": j.URL})
}

// webhookFlushTimeout bounds POST /_fake/webhooks/flush.
const webhookFlushTimeout = 10 * time.Second

// POST /_fake/webhooks/flush waits until the webhooks triggered so far
// have been delivered, so a browser test can act on their effect.
func (s *Server) postFlushWebhooks(w http.ResponseWriter, r *http.Request) {
	done := make(chan struct{})
	go func() { s.FlushWebhooks(); close(done) }()
	select {
	case <-done:
		writeJSON(w, http.StatusOK, map[string]bool{"flushed": true})
	case <-time.After(webhookFlushTimeout):
		writeJSON(w, http.StatusGatewayTimeout, map[string]string{"error": "webhooks still in flight"})
	case <-r.Context().Done():
	}
}

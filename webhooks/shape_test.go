package webhooks

import (
	"errors"
	"strings"
	"testing"
)

const shop = "acme.myshopify.com"

// Payloads in the shapes Shopify sends (and the fake sends), reduced.
var (
	customerBody    = `{"id":7,"email":"ada@example.com","first_name":"Ada","state":"enabled","admin_graphql_api_id":"gid://shopify/Customer/7"}`
	customerDelete  = `{"id":7,"phone":null,"addresses":[],"admin_graphql_api_id":"gid://shopify/Customer/7"}`
	orderBody       = `{"id":9,"order_number":1001,"email":"ada@example.com","customer":{"id":7},"line_items":[],"admin_graphql_api_id":"gid://shopify/Order/9"}`
	orderEditBody   = `{"order_edit":{"id":91,"order_id":9}}`
	fulfillmentBody = `{"id":5,"order_id":9,"status":"success","tracking_numbers":[],"line_items":[],"admin_graphql_api_id":"gid://shopify/Fulfillment/5"}`
	refundBody      = `{"id":3,"order_id":9,"refund_line_items":[],"admin_graphql_api_id":"gid://shopify/Refund/3"}`
	shopBody        = `{"id":1,"name":"Acme","email":"owner@acme.example","domain":"acme.example","myshopify_domain":"acme.myshopify.com"}`
	scopesBody      = `{"id":1,"previous":["read_orders"],"current":["read_orders","read_customers"],"updated_at":"2026-11-25T12:00:00Z","admin_graphql_api_id":"gid://shopify/AppInstallation/1"}`
	dataRequestBody = `{"shop_id":1,"shop_domain":"acme.myshopify.com","customer":{"id":7,"email":"ada@example.com"},"orders_requested":[9],"data_request":{"id":4}}`
	redactBody      = `{"shop_id":1,"shop_domain":"acme.myshopify.com","customer":{"id":7,"email":"ada@example.com"},"orders_to_redact":[9]}`
	shopRedactBody  = `{"shop_id":1,"shop_domain":"acme.myshopify.com"}`
)

// TestEveryTopicTakesOnlyItsOwnPayload sends every payload under every
// topic: each topic accepts its own payload and refuses every other, so a
// genuine body resent under another topic is never acted on.
func TestEveryTopicTakesOnlyItsOwnPayload(t *testing.T) {
	own := map[string]string{
		"customers/create": customerBody, "customers/update": customerBody, "customers/delete": customerDelete,
		"orders/create": orderBody, "orders/updated": orderBody, "orders/cancelled": orderBody, "orders/fulfilled": orderBody,
		"orders/partially_fulfilled": orderBody, "orders/edited": orderEditBody,
		"fulfillments/create": fulfillmentBody, "fulfillments/update": fulfillmentBody, "refunds/create": refundBody,
		"app/uninstalled": shopBody, "app/scopes_update": scopesBody,
		"customers/data_request": dataRequestBody, "customers/redact": redactBody, "shop/redact": shopRedactBody,
	}
	// Topics whose payloads are one resource accept each other's.
	same := func(a, b string) bool {
		kind := func(t string) string {
			switch {
			case t == "customers/delete":
				return "customer-delete"
			case strings.HasPrefix(t, "customers/create"), strings.HasPrefix(t, "customers/update"):
				return "customer"
			case strings.HasPrefix(t, "orders/") && t != "orders/edited":
				return "order"
			case strings.HasPrefix(t, "fulfillments/"):
				return "fulfillment"
			}
			return t
		}
		// A customer payload is also a valid customers/delete one.
		if kind(a) == "customer-delete" && kind(b) == "customer" {
			return true
		}
		return kind(a) == kind(b)
	}
	if len(own) != len(resources) {
		t.Fatalf("%d payloads for %d topics", len(own), len(resources))
	}
	for topic := range resources {
		for from, body := range own {
			err := checkShape(topic, shop, []byte(body))
			if want := same(topic, from); (err == nil) != want {
				t.Errorf("%s payload as %s: %v, want accepted %v", from, topic, err, want)
			}
			if err != nil && !errors.Is(err, errShape) {
				t.Errorf("%s payload as %s: %v does not wrap errShape", from, topic, err)
			}
		}
	}
}

// TestPayloadsMustAgreeWithTheDelivery: ids must agree with each other,
// and a payload that names its shop must name the delivery's.
func TestPayloadsMustAgreeWithTheDelivery(t *testing.T) {
	tests := []struct {
		name, topic, shop, body string
		ok                      bool
	}{
		{"an uninstall of another shop", "app/uninstalled", "victim.myshopify.com", shopBody, false},
		{"a shop redaction of another shop", "shop/redact", "victim.myshopify.com", shopRedactBody, false},
		{"a customer redaction of another shop", "customers/redact", "victim.myshopify.com", redactBody, false},
		{"a gid of another customer", "customers/update", shop, strings.Replace(customerBody, "Customer/7", "Customer/8", 1), false},
		{"a gid of another resource", "customers/update", shop, strings.Replace(customerBody, "Customer/7", "Order/7", 1), false},
		{"an order without an id", "orders/updated", shop, strings.Replace(orderBody, `"id":9,`, "", 1), false},
		{"an order id of zero", "orders/updated", shop, strings.Replace(orderBody, `"id":9,`, `"id":0,`, 1), false},
		{"an id as a string of digits", "orders/updated", shop, strings.Replace(orderBody, `"id":9,`, `"id":"9",`, 1), true},
		{"an edit without its order", "orders/edited", shop, `{"order_edit":{"id":91}}`, false},
		{"scopes that are not a list", "app/scopes_update", shop, strings.Replace(scopesBody, `"current":["read_orders","read_customers"]`, `"current":"all"`, 1), false},
		{"not JSON", "customers/update", shop, `id=7`, false},
		{"a JSON list", "customers/update", shop, `[]`, false},
		{"a topic shopcard doesn't act on", "products/update", shop, `{"id":1}`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := checkShape(tt.topic, tt.shop, []byte(tt.body)); (err == nil) != tt.ok {
				t.Errorf("err %v, want ok %v", err, tt.ok)
			}
		})
	}
}

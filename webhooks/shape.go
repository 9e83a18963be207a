package webhooks

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Shopify signs a delivery's body, not its headers: X-Shopify-Topic and
// X-Shopify-Shop-Domain could be changed by whoever holds one genuine
// delivery, and a customers/update body resent as app/uninstalled would
// disconnect a store. So before acting, a delivery's body must have the
// shape of its topic's payload (the REST resource Shopify sends), its ids
// must agree with each other, and where the payload names the shop, it
// must be the shop of the header.

// resource is what one topic's payload is: the REST resource's gid type
// ("Customer" in admin_graphql_api_id), the keys it must have, and keys
// that belong to other topics' payloads and so must not be there.
type resource struct {
	gidType  string
	required []string
	foreign  []string
	// shopKey names the key that holds the shop's domain in payloads that
	// carry it; it must equal the delivery's shop.
	shopKey string
	// check is what else must hold.
	check func(fields) error
}

// Keys that mark a payload as one kind of resource.
var (
	orderKeys     = []string{"order_number", "line_items"}
	shopKeys      = []string{"myshopify_domain", "shop_domain", "shop_id"}
	appKeys       = []string{"current", "previous"}
	orderLinkKeys = []string{"order_id", "order_edit"}
)

func concat(lists ...[]string) []string { return slices.Concat(lists...) }

var resources = map[string]resource{
	"customers/create": {gidType: "Customer", required: []string{"id", "email"}, foreign: concat(orderKeys, orderLinkKeys, shopKeys, appKeys), check: positiveID("id")},
	"customers/update": {gidType: "Customer", required: []string{"id", "email"}, foreign: concat(orderKeys, orderLinkKeys, shopKeys, appKeys), check: positiveID("id")},
	"customers/delete": {gidType: "Customer", required: []string{"id"}, foreign: concat(orderKeys, orderLinkKeys, shopKeys, appKeys), check: positiveID("id")},

	"orders/create":              orderResource,
	"orders/updated":             orderResource,
	"orders/cancelled":           orderResource,
	"orders/fulfilled":           orderResource,
	"orders/partially_fulfilled": orderResource,
	"orders/edited": {required: []string{"order_edit"}, foreign: concat(orderKeys, shopKeys, appKeys), check: func(f fields) error {
		edit, err := f.object("order_edit")
		if err != nil {
			return err
		}
		return positiveID("order_id")(edit)
	}},

	"fulfillments/create": fulfillmentResource,
	"fulfillments/update": fulfillmentResource,
	"refunds/create": {gidType: "Refund", required: []string{"id", "order_id", "refund_line_items"}, foreign: concat([]string{"order_number"}, shopKeys, appKeys),
		check: allOf(positiveID("id"), positiveID("order_id"))},

	topicUninstalled: {required: []string{"id", "myshopify_domain"}, foreign: concat(orderKeys, orderLinkKeys, appKeys, []string{"shop_id", "shop_domain", "customer"}),
		shopKey: "myshopify_domain", check: positiveID("id")},
	topicScopesUpdate: {gidType: "AppInstallation", required: []string{"current", "previous"}, foreign: concat(orderKeys, orderLinkKeys, shopKeys, []string{"email", "customer"}),
		check: func(f fields) error {
			for _, k := range appKeys {
				if _, err := f.strings(k); err != nil {
					return err
				}
			}
			return nil
		}},

	topicDataRequest: {required: []string{"shop_id", "shop_domain", "customer", "data_request"}, foreign: concat(orderKeys, orderLinkKeys, appKeys, []string{"orders_to_redact"}),
		shopKey: "shop_domain", check: allOf(positiveID("shop_id"), customerWithID)},
	topicCustomerRedact: {required: []string{"shop_id", "shop_domain", "customer"}, foreign: concat(orderKeys, orderLinkKeys, appKeys, []string{"data_request", "orders_requested"}),
		shopKey: "shop_domain", check: allOf(positiveID("shop_id"), customerWithID)},
	topicShopRedact: {required: []string{"shop_id", "shop_domain"}, foreign: concat(orderKeys, orderLinkKeys, appKeys, []string{"customer", "data_request", "orders_to_redact", "orders_requested"}),
		shopKey: "shop_domain", check: positiveID("shop_id")},
}

var orderResource = resource{gidType: "Order", required: []string{"id", "line_items"}, foreign: concat(orderLinkKeys, shopKeys, appKeys, []string{"refund_line_items"}), check: positiveID("id")}

var fulfillmentResource = resource{gidType: "Fulfillment", required: []string{"id", "order_id"}, foreign: concat([]string{"order_number", "refund_line_items"}, shopKeys, appKeys),
	check: allOf(positiveID("id"), positiveID("order_id"))}

// errShape is wrapped by every mismatch between a payload and its topic.
var errShape = errors.New("the payload does not have its topic's shape")

// checkShape reports whether body is a payload of topic for shop. Topics
// shopcard does not act on pass: nothing is done with them.
func checkShape(topic, shop string, body []byte) error {
	r, ok := resources[topic]
	if !ok {
		return nil
	}
	var f fields
	if err := json.Unmarshal(body, &f); err != nil {
		return fmt.Errorf("%w: not a JSON object", errShape)
	}
	for _, k := range r.required {
		if _, ok := f[k]; !ok {
			return fmt.Errorf("%w: no %q", errShape, k)
		}
	}
	for _, k := range r.foreign {
		if _, ok := f[k]; ok {
			return fmt.Errorf("%w: %q belongs to another topic's payload", errShape, k)
		}
	}
	if r.shopKey != "" {
		if got, err := f.string(r.shopKey); err != nil || got != shop {
			return fmt.Errorf("%w: %q names another shop than the delivery's", errShape, r.shopKey)
		}
	}
	// admin_graphql_api_id, where the payload has one, names the resource
	// and its id: they must be the topic's, and the payload's own id.
	if raw, ok := f["admin_graphql_api_id"]; ok && r.gidType != "" && string(raw) != "null" {
		gid, err := f.string("admin_graphql_api_id")
		if err != nil {
			return err
		}
		typ, rest, _ := strings.Cut(strings.TrimPrefix(gid, "gid://shopify/"), "/")
		if !strings.HasPrefix(gid, "gid://shopify/") || typ != r.gidType {
			return fmt.Errorf("%w: admin_graphql_api_id is a %s, not a %s", errShape, typ, r.gidType)
		}
		if _, hasID := f["id"]; hasID && r.gidType != "AppInstallation" {
			id, err := f.id("id")
			if err != nil || strconv.FormatUint(id, 10) != rest {
				return fmt.Errorf("%w: admin_graphql_api_id and id name different %ss", errShape, r.gidType)
			}
		}
	}
	if r.check != nil {
		return r.check(f)
	}
	return nil
}

// fields is a payload's top-level keys, undecoded.
type fields map[string]json.RawMessage

func (f fields) string(key string) (string, error) {
	var s string
	if err := json.Unmarshal(f[key], &s); err != nil {
		return "", fmt.Errorf("%w: %q is not a string", errShape, key)
	}
	return s, nil
}

func (f fields) strings(key string) ([]string, error) {
	var s []string
	if err := json.Unmarshal(f[key], &s); err != nil {
		return nil, fmt.Errorf("%w: %q is not a list of strings", errShape, key)
	}
	return s, nil
}

func (f fields) object(key string) (fields, error) {
	var o fields
	if err := json.Unmarshal(f[key], &o); err != nil || o == nil {
		return nil, fmt.Errorf("%w: %q is not an object", errShape, key)
	}
	return o, nil
}

// id reads a Shopify ID: a JSON number, or a string of digits.
func (f fields) id(key string) (uint64, error) {
	raw := bytes.Trim(bytes.TrimSpace(f[key]), `"`)
	n, err := strconv.ParseUint(string(raw), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%w: %q is not an ID", errShape, key)
	}
	return n, nil
}

func positiveID(key string) func(fields) error {
	return func(f fields) error {
		if n, err := f.id(key); err != nil || n == 0 {
			return fmt.Errorf("%w: %q is not an ID", errShape, key)
		}
		return nil
	}
}

func customerWithID(f fields) error {
	c, err := f.object("customer")
	if err != nil {
		return err
	}
	return positiveID("id")(c)
}

func allOf(checks ...func(fields) error) func(fields) error {
	return func(f fields) error {
		for _, c := range checks {
			if err := c(f); err != nil {
				return err
			}
		}
		return nil
	}
}

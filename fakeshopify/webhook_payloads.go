package fakeshopify

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// The payloads below follow the JSON Shopify documents for each webhook
// topic (the REST resource's shape, snake_case, numeric IDs), reduced to
// the fields the fake holds.

func jsonBody(v any) ([]byte, error) { return json.Marshal(v) }

func restTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format(time.RFC3339)
}

func nullableString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func lowerOrNull(s string) any {
	if s == "" {
		return nil
	}
	return strings.ToLower(s)
}

// customerPayload is the body of customers/create and customers/update.
func customerPayload(c *Customer, now time.Time) map[string]any {
	return map[string]any{
		"id":                   c.ID,
		"email":                nullableString(c.Email),
		"first_name":           nullableString(c.FirstName),
		"last_name":            nullableString(c.LastName),
		"phone":                nullableString(c.Phone),
		"tags":                 strings.Join(c.Tags, ", "),
		"state":                "enabled",
		"created_at":           restTime(c.CreatedAt),
		"updated_at":           restTime(now),
		"admin_graphql_api_id": string(gid("Customer", c.ID)),
	}
}

// customerDeletePayload is the body of customers/delete: the ID and little
// else, no email.
func customerDeletePayload(id uint64) map[string]any {
	return map[string]any{
		"id": id, "phone": nil, "addresses": []any{}, "tax_exemptions": []any{},
		"email_marketing_consent": nil, "sms_marketing_consent": nil,
		"admin_graphql_api_id": string(gid("Customer", id)),
	}
}

// orderPayload is the body of the orders/* topics.
func orderPayload(st *store, o *Order) map[string]any {
	var customer any
	if c, ok := st.customers[o.CustomerID]; ok && o.CustomerID != 0 {
		customer = map[string]any{
			"id": c.ID, "email": nullableString(c.Email), "first_name": nullableString(c.FirstName),
			"last_name": nullableString(c.LastName), "admin_graphql_api_id": string(gid("Customer", c.ID)),
		}
	}
	items := []map[string]any{}
	for i, li := range o.LineItems {
		items = append(items, map[string]any{
			"id": o.ID*1000 + uint64(i), "title": li.Title, "variant_title": nullableString(li.VariantTitle),
			"quantity": li.Quantity, "current_quantity": li.Quantity - li.RemovedQuantity,
		})
	}
	fulfillments := []map[string]any{}
	for i := range o.Fulfillments {
		fulfillments = append(fulfillments, fulfillmentPayload(o, i))
	}
	return map[string]any{
		"id":                   o.ID,
		"admin_graphql_api_id": string(gid("Order", o.ID)),
		"name":                 o.Name,
		"order_number":         o.Number,
		"email":                nullableString(o.Email),
		"contact_email":        nullableString(o.Email),
		"created_at":           restTime(o.CreatedAt),
		"updated_at":           restTime(o.UpdatedAt),
		"cancelled_at":         restTime(o.CancelledAt),
		"cancel_reason":        lowerOrNull(o.CancelReason),
		"financial_status":     lowerOrNull(o.FinancialStatus),
		"fulfillment_status":   fulfillmentStatusREST(o.FulfillmentStatus),
		"total_price":          o.Total,
		"currency":             st.info.Currency,
		"customer":             customer,
		"line_items":           items,
		"fulfillments":         fulfillments,
	}
}

// fulfillmentStatusREST maps the GraphQL display status to the REST
// order's fulfillment_status, which is null until something ships.
func fulfillmentStatusREST(s string) any {
	switch s {
	case "FULFILLED":
		return "fulfilled"
	case "PARTIALLY_FULFILLED":
		return "partial"
	case "RESTOCKED":
		return "restocked"
	}
	return nil
}

// fulfillmentID gives the fake's fulfillments, which have no ID of their
// own, a stable one.
func fulfillmentID(o *Order, i int) uint64 { return o.ID*100 + uint64(i) + 1 }

// fulfillmentPayload is the body of fulfillments/create and
// fulfillments/update.
func fulfillmentPayload(o *Order, i int) map[string]any {
	f := o.Fulfillments[i]
	var numbers, urls []string
	company := ""
	for _, t := range f.Tracking {
		if t.Number != "" {
			numbers = append(numbers, t.Number)
		}
		if t.URL != "" {
			urls = append(urls, t.URL)
		}
		if company == "" {
			company = t.Company
		}
	}
	first := func(ss []string) any {
		if len(ss) == 0 {
			return nil
		}
		return ss[0]
	}
	return map[string]any{
		"id":                   fulfillmentID(o, i),
		"admin_graphql_api_id": "gid://shopify/Fulfillment/" + strconv.FormatUint(fulfillmentID(o, i), 10),
		"order_id":             o.ID,
		"email":                nullableString(o.Email),
		"status":               strings.ToLower(f.Status),
		"shipment_status":      lowerOrNull(f.DisplayStatus),
		"created_at":           restTime(f.CreatedAt),
		"tracking_company":     nullableString(company),
		"tracking_number":      first(numbers),
		"tracking_numbers":     append([]string{}, numbers...),
		"tracking_urls":        append([]string{}, urls...),
	}
}

// shopPayload is the body of app/uninstalled and shop/update: the shop.
func shopPayload(st *store) map[string]any {
	return map[string]any{
		"id": shopID(st), "name": st.info.Name, "domain": st.info.Domain, "myshopify_domain": st.info.Domain,
		"currency": st.info.Currency,
	}
}

// shopID is a stable numeric ID for a store, for payloads that carry one.
func shopID(st *store) uint64 {
	var h uint64 = 14695981039346656037
	for _, b := range []byte(st.info.Domain) {
		h = (h ^ uint64(b)) * 1099511628211
	}
	return h % 1e10
}

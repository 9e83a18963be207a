// Package ai is shopcard's AI actions: the tools an agent calls, over MCP
// or the JSON API, on a workspace's connected stores. Each tool is a plain
// function over small interfaces (Service), so the two front ends in
// handlers/aiapi share one implementation, one guard and one set of
// errors. Every answer goes through the sidebar's lookup chain (cache,
// health tracking, token renewal, Shopify's rate limits), names the store
// it came from, and is both a concise text for the model and structured
// data that follows the tool's output schema.
package ai

import (
	"encoding/json"
	"fmt"

	"github.com/google/jsonschema-go/jsonschema"

	"shopcard/shopify"
)

// The tools' names, fixed: agents and their prompts refer to them.
const (
	GetOrderDetails = "get_order_details"
	SearchProducts  = "search_products"
	GetShopDetails  = "get_shop_details"
	FindCustomer    = "find_customer"
)

// Tool describes one AI action.
type Tool struct {
	Name        string
	Title       string
	Description string
	// Scope is the optional scope a store must grant before the tool
	// answers for it ("" when the required scopes are enough).
	Scope string
	// InputSchema and OutputSchema are the JSON Schemas of the arguments
	// and of the structured result.
	InputSchema  *jsonschema.Schema
	OutputSchema *jsonschema.Schema

	resolved *jsonschema.Resolved
}

// The arguments of each tool. Their jsonschema tags are the descriptions
// the model reads.

// OrderDetailsArgs are get_order_details' arguments.
type OrderDetailsArgs struct {
	OrderNumber   string `json:"order_number" jsonschema:"the order's number as the customer gives it, such as #1042, 1042 or UK-1003"`
	CustomerEmail string `json:"customer_email" jsonschema:"the email address of the customer asking; details are shared only when it is the order's email or its customer's"`
	Store         string `json:"store,omitempty" jsonschema:"only this store: its myshopify.com domain, the part before .myshopify.com, or its name; every connected store when left out"`
}

// SearchProductsArgs are search_products' arguments.
type SearchProductsArgs struct {
	Query string `json:"query" jsonschema:"keywords to search the catalog for, such as 'waterproof jacket'; every keyword must match"`
	Limit int    `json:"limit,omitempty" jsonschema:"how many products to return per store, 1 to 10; 5 when left out"`
	Store string `json:"store,omitempty" jsonschema:"only this store: its myshopify.com domain, the part before .myshopify.com, or its name; every connected store when left out"`
}

// ShopDetailsArgs are get_shop_details' arguments.
type ShopDetailsArgs struct {
	Store string `json:"store,omitempty" jsonschema:"only this store: its myshopify.com domain, the part before .myshopify.com, or its name; every connected store when left out"`
}

// FindCustomerArgs are find_customer's arguments.
type FindCustomerArgs struct {
	Email string `json:"email" jsonschema:"the verified email address of the contact"`
	Store string `json:"store,omitempty" jsonschema:"only this store: its myshopify.com domain, the part before .myshopify.com, or its name; every connected store when left out"`
}

// Limits on the arguments, in the schemas and in the code alike.
const (
	maxOrderNumberLength = 64
	maxEmailLength       = 254
	maxQueryLength       = 200
	maxStoreLength       = 255
	defaultProductLimit  = 5
	maxProductLimit      = shopify.ProductsPerSearch
)

var tools = mustTools()

// Tools lists every tool, in the order agents see them.
func Tools() []Tool { return append([]Tool(nil), tools...) }

// ToolByName finds a tool by its name.
func ToolByName(name string) (Tool, bool) {
	for _, t := range tools {
		if t.Name == name {
			return t, true
		}
	}
	return Tool{}, false
}

// IsTool reports whether name is one of the tools.
func IsTool(name string) bool {
	_, ok := ToolByName(name)
	return ok
}

func mustTools() []Tool {
	defs := []Tool{
		{
			Name:  GetOrderDetails,
			Title: "Get order details",
			Description: "Look up an order by its number (#1042, 1042 or a custom format such as UK-1003) in the connected stores. " +
				"Returns its status, items, shipments with tracking and delivery dates, refunds, returns and shipping address, with the store it came from. " +
				"Privacy guard: details are returned only when customer_email is the email on the order or of its customer; " +
				"otherwise the call fails without saying whether the order exists. Ask the customer for the email they ordered with.",
		},
		{
			Name:  SearchProducts,
			Title: "Search products",
			Description: "Search the connected stores' catalogs with Shopify's product search. Every keyword must match. " +
				"Returns each product's title, price range, availability, a short description and its storefront link, per store. " +
				"Only stores that granted shopcard the read_products scope are searched.",
			Scope: shopify.ScopeProducts,
		},
		{
			Name:  GetShopDetails,
			Title: "Get shop details",
			Description: "Describe the connected stores: name, description, storefront, contact email, currencies, the countries they ship to, " +
				"the digital wallets checkout takes and links to their policies (refunds, shipping). " +
				"Only stores that granted shopcard the read_products scope answer.",
			Scope: shopify.ScopeProducts,
		},
		{
			Name:  FindCustomer,
			Title: "Find customer",
			Description: "Find the customer with this email in the connected stores, as a support rep's sidebar shows them: " +
				"their profile and their newest orders in summary, or the orders they placed as a guest. " +
				"Use it only for a contact whose email is verified, such as the sender of the conversation.",
		},
	}
	inputs := map[string]func() (*jsonschema.Schema, error){
		GetOrderDetails: func() (*jsonschema.Schema, error) { return jsonschema.For[OrderDetailsArgs](nil) },
		SearchProducts:  func() (*jsonschema.Schema, error) { return jsonschema.For[SearchProductsArgs](nil) },
		GetShopDetails:  func() (*jsonschema.Schema, error) { return jsonschema.For[ShopDetailsArgs](nil) },
		FindCustomer:    func() (*jsonschema.Schema, error) { return jsonschema.For[FindCustomerArgs](nil) },
	}
	outputs := map[string]func() (*jsonschema.Schema, error){
		GetOrderDetails: func() (*jsonschema.Schema, error) { return jsonschema.For[OrderDetailsResult](nil) },
		SearchProducts:  func() (*jsonschema.Schema, error) { return jsonschema.For[ProductSearchResult](nil) },
		GetShopDetails:  func() (*jsonschema.Schema, error) { return jsonschema.For[ShopDetailsResult](nil) },
		FindCustomer:    func() (*jsonschema.Schema, error) { return jsonschema.For[FindCustomerResult](nil) },
	}
	for i := range defs {
		t := &defs[i]
		in, err := inputs[t.Name]()
		if err != nil {
			panic(fmt.Sprintf("ai: input schema of %s: %v", t.Name, err))
		}
		limitStrings(in)
		out, err := outputs[t.Name]()
		if err != nil {
			panic(fmt.Sprintf("ai: output schema of %s: %v", t.Name, err))
		}
		t.InputSchema, t.OutputSchema = in, out
		if t.resolved, err = in.Resolve(nil); err != nil {
			panic(fmt.Sprintf("ai: resolve the input schema of %s: %v", t.Name, err))
		}
	}
	return defs
}

// limitStrings bounds the arguments in the schema, so agents see the
// limits, and the validation enforces them before any work.
func limitStrings(s *jsonschema.Schema) {
	bound := func(name string, min, max int) {
		if p := s.Properties[name]; p != nil {
			p.MinLength, p.MaxLength = jsonschema.Ptr(min), jsonschema.Ptr(max)
		}
	}
	bound("order_number", 1, maxOrderNumberLength)
	bound("customer_email", 3, maxEmailLength)
	bound("email", 3, maxEmailLength)
	bound("query", 1, maxQueryLength)
	bound("store", 1, maxStoreLength)
	if p := s.Properties["limit"]; p != nil {
		p.Minimum, p.Maximum = jsonschema.Ptr(1.0), jsonschema.Ptr(float64(maxProductLimit))
		p.Default = json.RawMessage(fmt.Sprint(defaultProductLimit))
	}
}

// decodeArgs validates raw arguments against the tool's input schema and
// decodes them. Unknown arguments, wrong types and out-of-range values
// are refused before any lookup.
func (t Tool) decodeArgs(raw json.RawMessage, into any) *ToolError {
	if len(raw) == 0 || string(raw) == "null" {
		raw = json.RawMessage("{}")
	}
	var instance map[string]any
	if err := json.Unmarshal(raw, &instance); err != nil {
		return &ToolError{Code: CodeInvalidArguments, Message: "The arguments must be a JSON object."}
	}
	if err := t.resolved.Validate(instance); err != nil {
		return &ToolError{Code: CodeInvalidArguments, Message: "Invalid arguments for " + t.Name + ": " + err.Error()}
	}
	if err := json.Unmarshal(raw, into); err != nil {
		return &ToolError{Code: CodeInvalidArguments, Message: "Invalid arguments for " + t.Name + ": " + err.Error()}
	}
	return nil
}

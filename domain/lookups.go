package domain

import "time"

// The answers below come from lookups by something other than a contact's
// email: an order's name (the rep's order search and the AI's order
// lookup), Shopify's product search and the shop itself. Like
// CustomerOrders they are what the cache holds, so they carry no Shopify
// client types, and cached values are shared: never modify one, copy it.

// OrderMatches is what one store holds under one order name: the orders
// whose name is exactly the one asked for, usually one (Shopify lets
// names repeat), newest first.
type OrderMatches struct {
	Orders []FoundOrder
	// Withheld names fields Shopify withheld as protected customer data,
	// such as "email" or "shippingAddress".
	Withheld  []string
	FetchedAt time.Time
	Cost      int
	// Stale means Shopify did not answer just now, and this is the last
	// good answer, from FetchedAt.
	Stale bool
}

// FoundOrder is an order found by its name: the summary the sidebar
// shows (statuses, totals, return status, every shipment with its
// delivery dates), with who it belongs to and its refunds.
type FoundOrder struct {
	Order Order
	// Email is the order's own contact email, and CustomerEmail its
	// customer's default email, as Shopify sent them; either is "" when
	// there is none or Shopify withheld it.
	Email         string
	CustomerEmail string
	// CustomerID is the customer's legacy ID; 0 for a guest checkout.
	CustomerID uint64
	// ShippingAddress is nil when the order has none (nothing to ship) or
	// Shopify withheld it.
	ShippingAddress *Address
	Refunds         []Refund
}

// ProductResults is one store's answer to a product search, most relevant
// first.
type ProductResults struct {
	Products  []Product
	FetchedAt time.Time
	Cost      int
	Stale     bool
}

// Product is a product as an agent describes it to a customer.
type Product struct {
	ID               string // gid://shopify/Product/...
	LegacyResourceID uint64
	Title            string
	Handle           string
	Vendor           string
	ProductType      string
	// Description is plain text, cut short by Shopify.
	Description string
	// URL is the product's page on the online store; "" when it is not
	// published there.
	URL      string
	MinPrice Money
	MaxPrice Money
	Variants []Variant
}

// Available reports whether any variant can be bought.
func (p Product) Available() bool {
	for _, v := range p.Variants {
		if v.Available {
			return true
		}
	}
	return false
}

// Variant is one buyable version of a product.
type Variant struct {
	Title     string
	Price     Money
	Available bool
}

// ShopDetails is what a customer may ask about a shop.
type ShopDetails struct {
	Name        string
	Domain      string // the *.myshopify.com domain
	Description string
	// URL is the storefront's primary domain, such as
	// https://acme-outfitters.example.
	URL          string
	ContactEmail string
	Currency     string
	// Currencies are those customers can pay in.
	Currencies []string
	// ShipsTo are ISO 3166-1 alpha-2 country codes.
	ShipsTo []string
	// Wallets are the digital wallets checkout accepts, as Shopify names
	// them (APPLE_PAY, SHOPIFY_PAY, ...).
	Wallets   []string
	Policies  []ShopPolicy
	FetchedAt time.Time
	Cost      int
	Stale     bool
}

// ShopPolicy is one of the shop's published policies.
type ShopPolicy struct {
	Type  string // Shopify's ShopPolicyType, such as REFUND_POLICY
	Title string
	URL   string
}

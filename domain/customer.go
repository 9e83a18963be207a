package domain

import "time"

// CustomerOrders is what one store knows about one email: the matching
// customer (nil when none) and their newest orders, or, when no customer
// matches, the orders placed with that email by guest checkout. It is what
// the cache holds, so it carries no Shopify client types, and cached values
// are shared: never modify one, copy it.
type CustomerOrders struct {
	Customer *Customer
	Orders   []Order
	// GuestOrders are orders placed with this email without a customer
	// record, newest first; only looked for when Customer is nil.
	GuestOrders []Order
	// Withheld names customer fields Shopify withheld as protected customer
	// data (ACCESS_DENIED), such as "firstName". The rest arrived.
	Withheld []string
	// FetchedAt is when Shopify answered.
	FetchedAt time.Time
	// Cost is the query cost Shopify charged, for troubleshooting.
	Cost int
	// Stale means Shopify did not answer just now, and this is the last
	// good answer, from FetchedAt.
	Stale bool
}

// Customer is a Shopify customer, reduced to what the sidebar shows.
type Customer struct {
	ID               string // gid://shopify/Customer/...
	LegacyResourceID uint64 // the number in Shopify Admin URLs
	DisplayName      string
	FirstName        string
	LastName         string
	Email            string
	Phone            string
	NumberOfOrders   uint64
	AmountSpent      Money
	CreatedAt        time.Time
	Tags             []string
}

// Money is an amount in a currency, kept as Shopify's decimal string.
type Money struct {
	Amount   string
	Currency string
}

// Order is one order as the sidebar shows it.
type Order struct {
	ID                string
	LegacyResourceID  uint64
	Name              string // "#1001" or a custom format such as "UK-1003"
	CreatedAt         time.Time
	CancelledAt       *time.Time
	CancelReason      string // "" unless cancelled
	FinancialStatus   string // Shopify's enum value; "" when Shopify sent null
	FulfillmentStatus string // Shopify's enum value
	Total             Money
	ItemCount         int // all items in the order, including those not listed
	LineItems         []LineItem
	Fulfillments      []Fulfillment
}

// LineItem is a product and how many were ordered.
type LineItem struct {
	Title        string
	VariantTitle string
	Quantity     int
}

// Fulfillment is one shipment of an order.
type Fulfillment struct {
	Status        string // Shopify's FulfillmentStatus
	DisplayStatus string // Shopify's FulfillmentDisplayStatus, "" when null
	CreatedAt     time.Time
	Tracking      []Tracking
}

// Tracking is one tracking number. Any field may be empty, and URL comes
// from Shopify unchecked: views only link it when it is http(s).
type Tracking struct {
	Company string
	Number  string
	URL     string
}

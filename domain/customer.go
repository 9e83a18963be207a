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
	// GuestsWithheld counts the orders Shopify's search found for the
	// email whose own email it withheld (protected customer data): they
	// cannot be confirmed as this contact's, so they are not in
	// GuestOrders, but the rep is told.
	GuestsWithheld int
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
	ReturnStatus      string // Shopify's OrderReturnStatus; "" or NO_RETURN without one
	// Total is the current total, after refunds and edits; OriginalTotal
	// what was charged when the order was placed; Refunded what has been
	// paid back.
	Total         Money
	OriginalTotal Money
	Refunded      Money
	// ItemCount is how many items the order holds now (refunded and
	// removed ones excluded), including those not listed.
	ItemCount int
	// LineItems are the first line items, in order; MoreLineItems says
	// Shopify has more than were listed.
	LineItems     []LineItem
	MoreLineItems bool
	// Fulfillments are the order's shipments, oldest first, as Shopify
	// lists them. FulfillmentCount is how many Shopify counts (cancelled
	// ones included), or -1 when it did not say; more than
	// len(Fulfillments) means some were not returned.
	Fulfillments     []Fulfillment
	FulfillmentCount int
}

// LineItem is a product and how many were ordered. SKU and UnitPrice
// arrive only with an order's detail.
type LineItem struct {
	Title        string
	VariantTitle string
	SKU          string
	// Quantity is what was ordered; CurrentQuantity what remains after
	// refunds, returns and edits (0: removed).
	Quantity        int
	CurrentQuantity int
	UnitPrice       Money
}

// Fulfillment is one shipment of an order. Times that Shopify did not
// send are zero. Events and Items arrive only with an order's detail.
type Fulfillment struct {
	Status        string // Shopify's FulfillmentStatus
	DisplayStatus string // Shopify's FulfillmentDisplayStatus, "" when null
	CreatedAt     time.Time
	// EstimatedDeliveryAt is when the carrier expects to deliver,
	// InTransitAt when it took the parcel, DeliveredAt when it delivered.
	EstimatedDeliveryAt time.Time
	InTransitAt         time.Time
	DeliveredAt         time.Time
	Tracking            []Tracking
	// Events are the carrier's latest events, newest first; MoreEvents says
	// older ones exist.
	Events     []FulfillmentEvent
	MoreEvents bool
	// Items are what the shipment holds; MoreItems says more exist.
	Items     []ShippedItem
	MoreItems bool
}

// Tracking is one tracking number. Any field may be empty, and URL comes
// from Shopify unchecked: views only link it when it is http(s).
type Tracking struct {
	Company string
	Number  string
	URL     string
}

// FulfillmentEvent is one carrier event: a FulfillmentEventStatus, when
// it happened and the carrier's message, if any.
type FulfillmentEvent struct {
	Status     string
	HappenedAt time.Time
	Message    string
}

// ShippedItem is a line item in a shipment, or in a return.
type ShippedItem struct {
	Title    string
	Quantity int
}

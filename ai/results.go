package ai

// The structured results of the tools. Their JSON is the tools' output
// schemas (jsonschema.For), and their jsonschema tags are what the model
// reads about each field. Times are RFC 3339 in UTC; money is Shopify's
// decimal string with its currency, and in words.

// Store outcomes: what one store answered.
const (
	OutcomeFound       = "found"
	OutcomeNoMatch     = "no_match"
	OutcomeNotGranted  = "not_granted"
	OutcomeUnavailable = "unavailable"
)

// StoreAnswer says which store a part of a result comes from, and how it
// went there.
type StoreAnswer struct {
	Store     string `json:"store" jsonschema:"the store's myshopify.com domain"`
	StoreName string `json:"store_name" jsonschema:"the store's name"`
	Outcome   string `json:"outcome" jsonschema:"found: the store answered with data; no_match: it has nothing that matches; not_granted: it has not granted the scope this action needs; unavailable: Shopify did not answer for it"`
	Message   string `json:"message,omitempty" jsonschema:"why the store has no data, in words"`
	Stale     bool   `json:"stale,omitempty" jsonschema:"true when Shopify did not answer just now and this is the store's last good answer"`
	AsOf      string `json:"as_of,omitempty" jsonschema:"when a stale answer was fetched"`
}

// Money is an amount in a currency.
type Money struct {
	Amount   string `json:"amount" jsonschema:"a decimal number"`
	Currency string `json:"currency" jsonschema:"an ISO 4217 currency code"`
	Text     string `json:"text" jsonschema:"the amount as people write it, such as 1,234.50 USD"`
}

// OrderDetailsResult is get_order_details' result.
type OrderDetailsResult struct {
	OrderNumber string              `json:"order_number" jsonschema:"the order number looked up"`
	Stores      []OrderDetailsStore `json:"stores" jsonschema:"each store's answer"`
}

// OrderDetailsStore is one store's answer to get_order_details.
type OrderDetailsStore struct {
	StoreAnswer
	Orders []OrderDetails `json:"orders,omitempty" jsonschema:"the orders with this number whose email matched"`
}

// OrderDetails is one order, as far as the customer may know it.
type OrderDetails struct {
	Name              string     `json:"name" jsonschema:"the order's name, such as #1042"`
	PlacedAt          string     `json:"placed_at"`
	FinancialStatus   string     `json:"financial_status,omitempty" jsonschema:"the payment status in words, such as Paid or Partially refunded"`
	FulfillmentStatus string     `json:"fulfillment_status" jsonschema:"the fulfillment status in words, such as Fulfilled"`
	CancelledAt       string     `json:"cancelled_at,omitempty"`
	CancelReason      string     `json:"cancel_reason,omitempty"`
	Total             Money      `json:"total" jsonschema:"the current total, after refunds"`
	Items             []Item     `json:"items"`
	MoreItems         int        `json:"more_items,omitempty" jsonschema:"how many more items the order holds beyond those listed"`
	Shipments         []Shipment `json:"shipments,omitempty"`
	Refunds           []Refund   `json:"refunds,omitempty"`
	Return            string     `json:"return,omitempty" jsonschema:"where a return stands, in words; absent when there is none"`
	ShippingAddress   *Address   `json:"shipping_address,omitempty" jsonschema:"where the order ships; absent when it ships nowhere or Shopify withheld it"`
	AdminURL          string     `json:"admin_url" jsonschema:"the order in Shopify Admin, for staff"`
}

// Item is a product line of an order.
type Item struct {
	Title    string `json:"title"`
	Variant  string `json:"variant,omitempty"`
	Quantity int    `json:"quantity"`
}

// Shipment is one fulfillment of an order.
type Shipment struct {
	Status              string     `json:"status" jsonschema:"where the shipment is, in words, such as In transit or Delivered"`
	ShippedAt           string     `json:"shipped_at"`
	InTransitAt         string     `json:"in_transit_at,omitempty"`
	EstimatedDeliveryAt string     `json:"estimated_delivery_at,omitempty"`
	DeliveredAt         string     `json:"delivered_at,omitempty"`
	Tracking            []Tracking `json:"tracking,omitempty"`
}

// Tracking is one tracking number.
type Tracking struct {
	Company string `json:"company,omitempty"`
	Number  string `json:"number,omitempty"`
	URL     string `json:"url,omitempty" jsonschema:"the carrier's tracking page, when it is an http(s) link"`
}

// Refund is money given back.
type Refund struct {
	At     string `json:"at,omitempty"`
	Amount Money  `json:"amount"`
}

// Address is a postal address.
type Address struct {
	Name    string   `json:"name,omitempty"`
	Lines   []string `json:"lines" jsonschema:"the street address"`
	City    string   `json:"city,omitempty"`
	Region  string   `json:"region,omitempty"`
	Zip     string   `json:"zip,omitempty"`
	Country string   `json:"country,omitempty"`
}

// ProductSearchResult is search_products' result.
type ProductSearchResult struct {
	Query  string               `json:"query" jsonschema:"the keywords searched for"`
	Stores []ProductSearchStore `json:"stores" jsonschema:"each store's answer"`
}

// ProductSearchStore is one store's answer to search_products.
type ProductSearchStore struct {
	StoreAnswer
	Products []Product `json:"products,omitempty"`
}

// Product is one product of a catalog.
type Product struct {
	Title       string    `json:"title"`
	Vendor      string    `json:"vendor,omitempty"`
	Type        string    `json:"product_type,omitempty"`
	Description string    `json:"description,omitempty" jsonschema:"a short plain-text description"`
	Price       string    `json:"price" jsonschema:"the price or price range in words, such as 89.00 USD or 25.00–50.00 USD"`
	MinPrice    Money     `json:"min_price"`
	MaxPrice    Money     `json:"max_price"`
	Available   bool      `json:"available" jsonschema:"whether any variant can be bought now"`
	Variants    []Variant `json:"variants,omitempty"`
	URL         string    `json:"url,omitempty" jsonschema:"the product's page on the storefront; absent when it is not published there"`
}

// Variant is a buyable version of a product.
type Variant struct {
	Title     string `json:"title"`
	Price     Money  `json:"price"`
	Available bool   `json:"available"`
}

// ShopDetailsResult is get_shop_details' result.
type ShopDetailsResult struct {
	Stores []ShopDetailsStore `json:"stores" jsonschema:"each store's answer"`
}

// ShopDetailsStore is one store's answer to get_shop_details.
type ShopDetailsStore struct {
	StoreAnswer
	Shop *Shop `json:"shop,omitempty"`
}

// Shop is what a customer may ask about a shop.
type Shop struct {
	Name           string   `json:"name"`
	Description    string   `json:"description,omitempty"`
	URL            string   `json:"url" jsonschema:"the storefront"`
	ContactEmail   string   `json:"contact_email,omitempty"`
	Currency       string   `json:"currency" jsonschema:"the shop's own currency"`
	Currencies     []string `json:"currencies" jsonschema:"the currencies customers can pay in"`
	ShipsTo        []string `json:"ships_to" jsonschema:"ISO 3166-1 alpha-2 codes of the countries it ships to"`
	PaymentMethods []string `json:"payment_methods" jsonschema:"the digital wallets checkout accepts; cards and other methods depend on the shop's payment provider"`
	Policies       []Policy `json:"policies,omitempty"`
}

// Policy is one of a shop's published policies.
type Policy struct {
	Type  string `json:"type" jsonschema:"such as REFUND_POLICY or SHIPPING_POLICY"`
	Title string `json:"title"`
	URL   string `json:"url"`
}

// FindCustomerResult is find_customer's result.
type FindCustomerResult struct {
	Email  string              `json:"email" jsonschema:"the email looked up"`
	Stores []FindCustomerStore `json:"stores" jsonschema:"each store's answer"`
}

// FindCustomerStore is one store's answer to find_customer.
type FindCustomerStore struct {
	StoreAnswer
	Customer    *Customer      `json:"customer,omitempty" jsonschema:"the customer with this email; absent when there is none"`
	Orders      []OrderSummary `json:"orders,omitempty" jsonschema:"the customer's newest orders, or the orders placed with this email as a guest"`
	GuestOrders bool           `json:"guest_orders,omitempty" jsonschema:"true when orders were placed as a guest, without a customer record"`
}

// Customer is a customer's profile.
type Customer struct {
	Name        string   `json:"name"`
	Email       string   `json:"email,omitempty"`
	Phone       string   `json:"phone,omitempty"`
	Orders      uint64   `json:"orders" jsonschema:"how many orders Shopify counts for them"`
	AmountSpent Money    `json:"amount_spent"`
	Since       string   `json:"since" jsonschema:"when they became a customer"`
	Tags        []string `json:"tags,omitempty"`
	Withheld    []string `json:"withheld,omitempty" jsonschema:"fields Shopify withheld as protected customer data, such as name or email"`
	AdminURL    string   `json:"admin_url" jsonschema:"the customer in Shopify Admin, for staff"`
}

// OrderSummary is an order in a list.
type OrderSummary struct {
	Name              string `json:"name"`
	PlacedAt          string `json:"placed_at"`
	FinancialStatus   string `json:"financial_status,omitempty"`
	FulfillmentStatus string `json:"fulfillment_status"`
	Cancelled         bool   `json:"cancelled,omitempty"`
	Total             Money  `json:"total"`
	Items             int    `json:"items" jsonschema:"how many items the order holds"`
}

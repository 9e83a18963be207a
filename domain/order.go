package domain

import "time"

// OrderDetail is everything the sidebar shows of one opened order: its
// summary, every line item with prices and SKUs, every shipment with its
// events and contents, refunds, returns, the shipping address, the note
// and tags. Like CustomerOrders it is what the cache holds: never modify
// a cached one.
type OrderDetail struct {
	Order
	// CustomerID is the legacy ID of the order's customer; 0 for a guest
	// checkout.
	CustomerID uint64
	// Email is the order's contact email; "" when none or withheld.
	Email         string
	Note          string
	Tags          []string
	StatusPageURL string // from Shopify, unchecked: views link only http(s)
	// ShippingAddress is nil when the order has none or Shopify withheld
	// it (then Withheld says so).
	ShippingAddress *Address
	Refunds         []Refund
	// Returns are the order's returns, newest first, unless Shopify
	// denied them for want of a scope (ReturnsDenied); MoreReturns says
	// there are more than were listed.
	Returns       []Return
	MoreReturns   bool
	ReturnsDenied bool
	// Withheld names protected fields Shopify withheld ("email",
	// "shippingAddress"); the rest arrived.
	Withheld []string
	// FetchedAt is when Shopify answered; Cost the points it charged.
	FetchedAt time.Time
	Cost      int
}

// Address is a postal address, each part as Shopify sent it ("" when
// null or not asked for: an opened order asks for the company, province
// code and phone, an order found by name for the province's name and the
// country code).
type Address struct {
	Name         string
	Company      string
	Address1     string
	Address2     string
	City         string
	Province     string
	ProvinceCode string
	Zip          string
	Country      string
	CountryCode  string // ISO 3166-1 alpha-2, such as "US"
	Phone        string
}

// Refund is money paid back on an order.
type Refund struct {
	CreatedAt time.Time // zero when Shopify sent none
	Note      string
	Amount    Money
}

// Return is a return of some of an order's items: its name ("#1001-R1"),
// Shopify's ReturnStatus, and what it holds.
type Return struct {
	Name      string
	Status    string
	CreatedAt time.Time
	Items     []ShippedItem
	MoreItems bool
}

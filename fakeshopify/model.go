package fakeshopify

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"shopcard/shopify"
)

// Store is one Shopify store the fake serves. AddStore fills in the
// defaults noted on each field.
type Store struct {
	Domain   string // the *.myshopify.com domain, e.g. "acme-outfitters.myshopify.com"
	Name     string // the shop's display name
	Currency string // the shop currency, a CurrencyCode such as "USD"

	// OrderPrefix comes before the order number in order names: "#" (the
	// default) gives "#1001", "NG-" gives "NG-1001".
	OrderPrefix string
	// FirstOrderNumber is the number of the store's first order; 1001 by
	// default, as on Shopify.
	FirstOrderNumber int

	// Tokens are the access tokens that open the store, each with the
	// scopes it was granted.
	Tokens []Token

	// BucketSize and RestoreRate configure the store's leaky bucket of
	// query cost points: 2000 and 100 per second by default (Standard plan).
	BucketSize  int
	RestoreRate int

	// WebhookSecret is the signing secret of the store's notification
	// settings (Settings → Notifications → Webhooks): it signs the
	// webhooks to SetWebhookURL and to subscriptions made with a custom
	// app's token. Subscriptions made with an app's token (OAuth, client
	// credentials) are signed with that app's client secret, as on
	// Shopify. It defaults to "fake_webhook_secret_" and the shop's handle.
	WebhookSecret string

	// Organization is the Shopify organization that owns the store;
	// DefaultOrganization unless set. Only apps of the same organization
	// get tokens with the client credentials grant.
	Organization string
	// What Shop says about the shop. Description comes back null when
	// empty. PrimaryURL is the storefront, by default https:// and the
	// myshopify domain; product pages are under it. ContactEmail defaults
	// to "support@" and the myshopify domain. Currencies are those
	// customers can pay in (by default the shop currency), ShipsTo the
	// CountryCodes it ships to (by default none), Wallets the
	// DigitalWallets its checkout takes.
	Description  string
	PrimaryURL   string
	ContactEmail string
	Currencies   []string
	ShipsTo      []string
	Wallets      []string
	Policies     []ShopPolicy
}

// ShopPolicy is one of a shop's published policies; Type is a
// ShopPolicyType such as "REFUND_POLICY". Its URL is under the
// storefront.
type ShopPolicy struct {
	Type  string
	Title string
}

// Token is an Admin API access token and the scopes it was granted, such
// as "read_customers", "read_orders" and "read_all_orders".
type Token struct {
	Value  string
	Scopes []string
}

// Customer is a customer of one store. AddCustomer fills in the defaults
// noted on each field.
type Customer struct {
	// ID is the customer's legacyResourceId. Zero asks AddCustomer to
	// assign one.
	ID uint64

	// FirstName and LastName come back null from the API when empty.
	FirstName string
	LastName  string
	// Email is stored the way Shopify stores it: lowercased, without
	// whitespace. It must be unique within the store.
	Email string
	Phone string // E.164, e.g. "+16135550142"; empty means none
	Tags  []string

	// CreatedAt defaults to the server's clock.
	CreatedAt time.Time

	// NumberOfOrders is the lifetime order count Shopify reports. Zero
	// means "count the orders the fake holds"; set it higher to model a
	// customer whose history the fake only partly holds.
	NumberOfOrders uint64
	// AmountSpent is the lifetime spend in the shop currency, as a decimal
	// string. Empty means "sum the orders the fake holds that were not
	// cancelled".
	AmountSpent string
}

// DisplayName is the name Shopify shows for the customer: first and last
// name, else the email, else the phone number.
func (c Customer) DisplayName() string {
	if n := strings.TrimSpace(c.FirstName + " " + c.LastName); n != "" {
		return n
	}
	if c.Email != "" {
		return c.Email
	}
	return c.Phone
}

// Order is one order of one store. AddOrder fills in the defaults noted on
// each field.
type Order struct {
	// ID is the order's legacyResourceId. Zero asks AddOrder to assign one.
	ID uint64
	// CustomerID links the order to a customer of the same store; zero
	// makes it a guest checkout.
	CustomerID uint64
	// Email is the contact email on the order. It defaults to the
	// customer's email.
	Email string

	// Number is the order number; zero takes the store's next one. Name
	// defaults to the store's OrderPrefix followed by Number.
	Number int
	Name   string

	// CreatedAt defaults to the server's clock; UpdatedAt to CreatedAt.
	// Shopify's processedAt is the same as createdAt for orders placed
	// online, so the fake does not store it separately.
	CreatedAt time.Time
	UpdatedAt time.Time

	// CancelledAt is zero for an order that was not cancelled.
	// CancelReason is an OrderCancelReason such as "CUSTOMER".
	CancelledAt  time.Time
	CancelReason string

	// FinancialStatus is an OrderDisplayFinancialStatus such as "PAID";
	// empty comes back as null, which Shopify sends for some orders.
	FinancialStatus string
	// FulfillmentStatus is an OrderDisplayFulfillmentStatus; it defaults
	// to "UNFULFILLED".
	FulfillmentStatus string

	// Total is the current total price in the shop currency, as a decimal
	// string such as "49.90". OriginalTotal is what the order came to when
	// placed; it defaults to Total.
	Total         string
	OriginalTotal string

	// ReturnStatus is an OrderReturnStatus; it defaults to "NO_RETURN".
	ReturnStatus string

	Note string
	Tags []string
	// ShippingAddress is nil for an order without one.
	ShippingAddress *Address

	LineItems    []LineItem
	Fulfillments []Fulfillment
	Refunds      []Refund
	Returns      []Return
}

// Address is a postal address; empty parts come back as null. Country is
// the country's name and CountryCode its CountryCode; Province is the
// province's name and ProvinceCode its code.
type Address struct {
	Name, Company, Address1, Address2, City, Province, ProvinceCode, Zip, Country, CountryCode, Phone string
}

// Refund is money paid back on an order: Amount in the shop currency, a
// decimal string such as "34.00".
type Refund struct {
	CreatedAt time.Time
	Note      string
	Amount    string
}

// Return is a return of some of an order's items. Status is a
// ReturnStatus such as "OPEN"; Items name line items by their index in
// the order's LineItems.
type Return struct {
	Name      string // defaults to the order's name and "-R" and its number
	Status    string
	CreatedAt time.Time
	Items     []ItemRef
}

// ItemRef is a quantity of one of the order's line items, by its index
// in Order.LineItems.
type ItemRef struct {
	Line     int
	Quantity int
}

// LineItem is a product line of an order.
type LineItem struct {
	Title        string
	VariantTitle string // empty comes back as null
	SKU          string // empty comes back as null
	// Price is the unit price when ordered, a decimal string; empty is 0.
	Price    string
	Quantity int
	// RemovedQuantity is how many were since refunded or edited away; it
	// lowers the order's currentSubtotalLineItemsQuantity.
	RemovedQuantity int
}

// Fulfillment is one shipment of an order.
type Fulfillment struct {
	Status        string // a FulfillmentStatus such as "SUCCESS"
	DisplayStatus string // a FulfillmentDisplayStatus such as "IN_TRANSIT"; empty comes back as null
	CreatedAt     time.Time
	// EstimatedDeliveryAt, InTransitAt and DeliveredAt come back as null
	// when zero.
	EstimatedDeliveryAt time.Time
	InTransitAt         time.Time
	DeliveredAt         time.Time
	Tracking            []Tracking
	// Events are the carrier's events, in any order; the API sorts them.
	Events []FulfillmentEvent
	// Items are what the shipment holds.
	Items []ItemRef
}

// FulfillmentEvent is one carrier event: a FulfillmentEventStatus, when
// it happened, and an optional message.
type FulfillmentEvent struct {
	Status     string
	HappenedAt time.Time
	Message    string
}

// Tracking is one tracking number of a fulfillment. Every field may be
// empty (null), and URL is stored as given, whatever its scheme, because
// Shopify does not check it either.
type Tracking struct {
	Company string
	Number  string
	URL     string
}

// normalizeEmail matches Shopify, which lowercases emails and removes all
// whitespace from them, inside as well as around (see
// captures/customer-email-normalization.json).
func normalizeEmail(s string) string {
	// Most emails are already as Shopify keeps them; searches compare
	// every order's, so those are returned as they are, without a copy.
	plain := true
	for i := 0; i < len(s) && plain; i++ {
		c := s[i]
		plain = c < utf8.RuneSelf && !('A' <= c && c <= 'Z') && c != ' ' && (c < '\t' || c > '\r')
	}
	if plain {
		return s
	}
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return unicode.ToLower(r)
	}, s)
}

// clone deep-copies the customer so that the caller's slices and the
// stored ones never alias.
func (c Customer) clone() Customer {
	c.Tags = slices.Clone(c.Tags)
	return c
}

func (o Order) clone() Order {
	o.LineItems = slices.Clone(o.LineItems)
	o.Tags = slices.Clone(o.Tags)
	if o.ShippingAddress != nil {
		a := *o.ShippingAddress
		o.ShippingAddress = &a
	}
	o.Fulfillments = slices.Clone(o.Fulfillments)
	for i := range o.Fulfillments {
		f := &o.Fulfillments[i]
		f.Tracking = slices.Clone(f.Tracking)
		f.Events = slices.Clone(f.Events)
		f.Items = slices.Clone(f.Items)
	}
	o.Refunds = slices.Clone(o.Refunds)
	o.Returns = slices.Clone(o.Returns)
	for i := range o.Returns {
		o.Returns[i].Items = slices.Clone(o.Returns[i].Items)
	}
	return o
}

// validate checks the enum values and amounts the API would otherwise fail
// to serialize, so a typo fails loudly where the data is written.
func (o Order) validate() error {
	if err := checkEnum("OrderDisplayFulfillmentStatus", o.FulfillmentStatus, false); err != nil {
		return err
	}
	if err := checkEnum("OrderDisplayFinancialStatus", o.FinancialStatus, true); err != nil {
		return err
	}
	if err := checkEnum("OrderCancelReason", o.CancelReason, true); err != nil {
		return err
	}
	if o.CancelReason != "" && o.CancelledAt.IsZero() {
		return fmt.Errorf("order %s has a cancel reason but no CancelledAt", o.Name)
	}
	if err := checkEnum("OrderReturnStatus", o.ReturnStatus, false); err != nil {
		return err
	}
	for what, a := range map[string]string{"total": o.Total, "original total": o.OriginalTotal} {
		if _, err := parseAmount(a); err != nil {
			return fmt.Errorf("order %s %s: %w", o.Name, what, err)
		}
	}
	for _, r := range o.Refunds {
		if _, err := parseAmount(r.Amount); err != nil {
			return fmt.Errorf("order %s refund: %w", o.Name, err)
		}
	}
	ref := func(what string, items []ItemRef) error {
		for _, it := range items {
			if it.Line < 0 || it.Line >= len(o.LineItems) || it.Quantity < 0 {
				return fmt.Errorf("order %s %s names line %d (quantity %d) of %d", o.Name, what, it.Line, it.Quantity, len(o.LineItems))
			}
		}
		return nil
	}
	for _, r := range o.Returns {
		if err := checkEnum("ReturnStatus", r.Status, false); err != nil {
			return err
		}
		if err := ref("return", r.Items); err != nil {
			return err
		}
	}
	if a := o.ShippingAddress; a != nil {
		if err := checkEnum("CountryCode", a.CountryCode, true); err != nil {
			return err
		}
	}
	for _, li := range o.LineItems {
		if li.Title == "" {
			return fmt.Errorf("order %s has a line item without a title", o.Name)
		}
		if li.Price != "" {
			if _, err := parseAmount(li.Price); err != nil {
				return fmt.Errorf("order %s line item %q price: %w", o.Name, li.Title, err)
			}
		}
		if li.Quantity < 0 || li.RemovedQuantity < 0 || li.RemovedQuantity > li.Quantity {
			return fmt.Errorf("order %s line item %q: quantity %d, removed %d", o.Name, li.Title, li.Quantity, li.RemovedQuantity)
		}
	}
	for _, f := range o.Fulfillments {
		if err := checkEnum("FulfillmentStatus", f.Status, false); err != nil {
			return err
		}
		if err := checkEnum("FulfillmentDisplayStatus", f.DisplayStatus, true); err != nil {
			return err
		}
		for _, e := range f.Events {
			if err := checkEnum("FulfillmentEventStatus", e.Status, false); err != nil {
				return err
			}
		}
		if err := ref("shipment", f.Items); err != nil {
			return err
		}
	}
	return nil
}

// checkEnum reports whether value is one of the enum's values in the
// subset schema, so the fake can never hold what Shopify could not send.
func checkEnum(enum, value string, nullable bool) error {
	if value == "" && nullable {
		return nil
	}
	def := shopify.Schema().Types[enum]
	if def == nil {
		return fmt.Errorf("enum %s is not in the schema", enum)
	}
	if def.EnumValues.ForName(value) == nil {
		return fmt.Errorf("%q is not a %s", value, enum)
	}
	return nil
}

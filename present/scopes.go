package present

import (
	"strconv"
	"time"

	"shopcard/shopify"
	"shopcard/views"
)

// The words for what a store's scopes allow, written once: the stores
// page, the connection messages, the troubleshooter and the CLI all say
// the same thing the same way.

// recentDays is Shopify's window for orders without read_all_orders, in
// words.
var recentDays = strconv.Itoa(shopify.RecentOrderDays) + " days"

// WithoutAllOrders says what a store without read_all_orders shows.
var WithoutAllOrders = "Without " + shopify.ScopeAllOrders + ", only orders from the last " + recentDays + " are visible."

// olderOrdersHint is the troubleshooter's hint for the same gap.
var olderOrdersHint = "Some orders are older than " + recentDays + " and hidden: the app lacks " + shopify.ScopeAllOrders + "."

// missingScopeEffects says what each required scope's absence costs.
var missingScopeEffects = map[string]string{
	shopify.ScopeCustomers: "Missing read_customers: shopcard can't look customers up, so this store shows nothing. Grant it to the app and reconnect.",
	shopify.ScopeOrders:    "Missing read_orders: customers show without their orders. Grant it to the app and reconnect.",
}

// WithoutScope says what a store without an optional scope misses.
// cacheTTL is how long its answers are cached: how late a change shows
// when no webhook announces it.
func WithoutScope(scope string, cacheTTL time.Duration) string {
	switch scope {
	case shopify.ScopeAllOrders:
		return WithoutAllOrders
	case shopify.ScopeFulfillments:
		return "Without " + shopify.ScopeFulfillments + ", shipment changes (new fulfillments, tracking numbers) show within " + Duration(cacheTTL) +
			" rather than at once: Shopify sends their webhooks only to apps that have it."
	}
	return ""
}

// MissingOptionalNotes says what each optional scope the store lacks costs.
func MissingOptionalNotes(granted []string, cacheTTL time.Duration) []string {
	var notes []string
	for _, m := range shopify.MissingOptionalScopes(granted) {
		notes = append(notes, WithoutScope(m, cacheTTL))
	}
	return notes
}

// ScopeChips lists the granted scopes and calls out those missing,
// required or optional, with what each absence means.
func ScopeChips(granted []string, cacheTTL time.Duration) ([]views.ScopeChip, []string) {
	var chips []views.ScopeChip
	var notes []string
	for _, g := range granted {
		chips = append(chips, views.ScopeChip{Name: g, Tone: views.ToneGood})
	}
	for _, m := range shopify.MissingScopes(granted) {
		chips = append(chips, views.ScopeChip{Name: m, Tone: views.ToneBad, Note: "missing"})
		if effect, ok := missingScopeEffects[m]; ok {
			notes = append(notes, effect)
		}
	}
	for _, m := range shopify.MissingOptionalScopes(granted) {
		chips = append(chips, views.ScopeChip{Name: m, Tone: views.ToneWarn, Note: "not granted"})
		notes = append(notes, WithoutScope(m, cacheTTL))
	}
	// read_products is optional: the sidebar never needs it, so its
	// absence is a fact, not a warning.
	if !shopify.HasScope(granted, shopify.ScopeProducts) {
		chips = append(chips, views.ScopeChip{Name: shopify.ScopeProducts, Tone: views.ToneNeutral, Note: WithoutProducts})
	}
	return chips, notes
}

// ScopeChoices are the scopes to give a Dev Dashboard app (or a custom
// app), each with what it is for; cacheTTL says what read_fulfillments
// saves.
func ScopeChoices(cacheTTL time.Duration) []views.ScopeChoice {
	return []views.ScopeChoice{
		{Name: shopify.ScopeCustomers, Required: true, For: "to find the contact's customer record"},
		{Name: shopify.ScopeOrders, Required: true, For: "to list their orders, shipments and tracking"},
		{Name: shopify.ScopeFulfillments, For: "so new shipments show at once rather than within " + Duration(cacheTTL)},
		{Name: shopify.ScopeAllOrders, For: "to show orders older than " + recentDays},
		{Name: shopify.ScopeProducts, For: "for the AI actions that search products and read the shop's details"},
	}
}

// WithoutProducts is the chip's note for a store without read_products:
// only the AI actions that read the catalog and the shop miss it.
var WithoutProducts = "optional, for AI actions"

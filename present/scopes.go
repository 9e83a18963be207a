package present

import (
	"strconv"

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
	"read_customers": "Missing read_customers: shopcard can't look customers up, so this store shows nothing. Grant it to the app and reconnect.",
	"read_orders":    "Missing read_orders: customers show without their orders. Grant it to the app and reconnect.",
}

// ScopeChips lists the granted scopes and calls out those missing, with
// what each absence means.
func ScopeChips(granted []string) ([]views.ScopeChip, []string) {
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
	if !shopify.HasScope(granted, shopify.ScopeAllOrders) {
		chips = append(chips, views.ScopeChip{Name: shopify.ScopeAllOrders, Tone: views.ToneWarn, Note: "not granted"})
		notes = append(notes, WithoutAllOrders)
	}
	return chips, notes
}

package shopify

import "strings"

// The access scopes shopcard's features use. Which are required and which
// optional is decided here, once: the connection checks, OAuth, the
// webhook subscriptions and the admin pages all read it.
const (
	// ScopeCustomers finds the contact's customer record: required.
	ScopeCustomers = "read_customers"
	// ScopeOrders lists their orders (and guest orders): required.
	ScopeOrders = "read_orders"
	// ScopeAllOrders lifts Shopify's limit on visible orders: without it,
	// only orders from the last RecentOrderDays days are returned.
	// Optional, and asked for in OAuth only when the admin ticks it,
	// since Shopify wants public apps to justify it.
	ScopeAllOrders = "read_all_orders"
	// ScopeFulfillments lets shopcard subscribe to fulfillments/create
	// and fulfillments/update, so new shipments and tracking numbers show
	// at once rather than when the cached answer expires. Optional;
	// read_orders does not stand in for it.
	ScopeFulfillments = "read_fulfillments"
	// ScopeProducts lets shopcard read products, for the AI actions that
	// read the catalog and the shop (search_products, get_shop_details).
	// Optional: without it the sidebar works as before and only those
	// actions leave the store out. Asked for in OAuth when the admin ticks
	// it.
	ScopeProducts = "read_products"
	// ScopeReturns lets shopcard read an opened order's returns; without
	// it Shopify denies Order.returns, so they are asked for only when it
	// is granted (write_returns implies it). Optional: an opened order
	// then says Shopify didn't share its returns, and the collapsed row's
	// return status needs only read_orders.
	ScopeReturns = "read_returns"
)

// RequiredScopes are the scopes without which a store shows nothing
// useful: connecting a store without them is refused.
var RequiredScopes = []string{ScopeCustomers, ScopeOrders}

// OptionalScopes each lift a limit; a store connects without them, and
// the admin pages say what each one's absence costs.
var OptionalScopes = []string{ScopeAllOrders, ScopeFulfillments}

// OAuthScopes are what shopcard asks for in OAuth: the required scopes and
// read_fulfillments, the least that every feature needs. ScopeAllOrders
// is added when the admin asks for it.
var OAuthScopes = []string{ScopeCustomers, ScopeOrders, ScopeFulfillments}

// RecentOrderDays is how far back Shopify shows orders to an app without
// ScopeAllOrders.
const RecentOrderDays = 60

// HasScope reports whether granted includes scope. A write_ scope implies
// its read_ scope, as on Shopify.
func HasScope(granted []string, scope string) bool {
	for _, g := range granted {
		if g == scope {
			return true
		}
		if rest, ok := strings.CutPrefix(g, "write_"); ok && "read_"+rest == scope {
			return true
		}
	}
	return false
}

// MissingScopes returns the required scopes that granted lacks.
func MissingScopes(granted []string) []string { return missing(granted, RequiredScopes) }

// MissingOptionalScopes returns the optional scopes that granted lacks.
func MissingOptionalScopes(granted []string) []string { return missing(granted, OptionalScopes) }

func missing(granted, wanted []string) []string {
	var out []string
	for _, w := range wanted {
		if !HasScope(granted, w) {
			out = append(out, w)
		}
	}
	return out
}

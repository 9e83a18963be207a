package shopify

import (
	"net/url"
	"regexp"
	"strings"

	"shopcard/domain"
)

var shopDomainPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*\.myshopify\.com$`)

// ValidShopDomain reports whether d is a lowercase *.myshopify.com domain,
// the only kind of host shopcard ever sends a request to.
func ValidShopDomain(d string) bool { return shopDomainPattern.MatchString(d) }

// NormalizeShopDomain checks what an admin typed as a shop's domain. It
// lowercases and trims; anything but a bare *.myshopify.com domain is
// refused with a message that says what to enter instead, naming the exact
// value when it can be worked out (from a URL, or a Shopify Admin link).
func NormalizeShopDomain(input string) (string, error) {
	d := strings.ToLower(strings.TrimSpace(input))
	if d == "" {
		return "", domain.Errorf(domain.KindInvalid, "Enter the store's domain, such as your-store.myshopify.com.")
	}
	if ValidShopDomain(d) {
		return d, nil
	}
	if suggestion := suggestShopDomain(d); suggestion != "" {
		return "", domain.Errorf(domain.KindInvalid, "Enter just the store's domain, %s, not a web address.", suggestion)
	}
	if strings.HasSuffix(d, ".myshopify.com") {
		return "", domain.Errorf(domain.KindInvalid, "%q is not a valid myshopify.com domain: use only letters, digits and hyphens before .myshopify.com.", input)
	}
	return "", domain.Errorf(domain.KindInvalid, "%q looks like a storefront domain. Enter the store's permanent domain ending in .myshopify.com instead; Shopify Admin shows it under Settings → Domains.", input)
}

// suggestShopDomain finds the myshopify domain inside a URL: the host of
// https://x.myshopify.com/admin, or the handle in
// https://admin.shopify.com/store/x/...
func suggestShopDomain(s string) string {
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil {
		return ""
	}
	host := u.Hostname()
	if ValidShopDomain(host) {
		return host
	}
	if host == "admin.shopify.com" {
		parts := strings.Split(strings.Trim(u.Path, "/"), "/")
		if len(parts) >= 2 && parts[0] == "store" && ValidShopDomain(parts[1]+".myshopify.com") {
			return parts[1] + ".myshopify.com"
		}
	}
	return ""
}

// Scopes shopcard needs: customers to find the contact, orders to list
// their orders.
var RequiredScopes = []string{"read_customers", "read_orders"}

// ScopeAllOrders lifts Shopify's limit on visible orders: without it,
// only orders from the last RecentOrderDays days are returned.
const ScopeAllOrders = "read_all_orders"

// ScopeReturns lets an app read an order's returns; without it Shopify
// denies Order.returns. shopcard asks for returns only when it is granted.
const ScopeReturns = "read_returns"

// RecentOrderDays is how far back Shopify shows orders to an app without
// ScopeAllOrders.
const RecentOrderDays = 60

// MissingScopes returns the required scopes that granted lacks. A write_
// scope implies its read_ scope.
func MissingScopes(granted []string) []string {
	have := map[string]bool{}
	for _, g := range granted {
		have[g] = true
		if rest, ok := strings.CutPrefix(g, "write_"); ok {
			have["read_"+rest] = true
		}
	}
	var missing []string
	for _, r := range RequiredScopes {
		if !have[r] {
			missing = append(missing, r)
		}
	}
	return missing
}

// HasScope reports whether granted includes scope.
func HasScope(granted []string, scope string) bool {
	for _, g := range granted {
		if g == scope {
			return true
		}
	}
	return false
}

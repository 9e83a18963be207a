package shopify

import (
	"errors"
	"net/url"
	"regexp"
	"strings"

	"shopcard/domain"
)

var shopDomainPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*\.myshopify\.com$`)

// handlePattern is a shop's handle alone, the part before .myshopify.com.
var handlePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)

// MaxDomainLength bounds what an admin may type as a domain: a DNS name
// is at most 253 characters, so anything longer is not a domain and is
// refused before it goes anywhere near Shopify.
const MaxDomainLength = 255

// ValidShopDomain reports whether d is a lowercase *.myshopify.com domain,
// the only kind of host shopcard ever sends a request to.
func ValidShopDomain(d string) bool {
	return len(d) <= MaxDomainLength && shopDomainPattern.MatchString(d)
}

// DomainSuggestion is the myshopify.com domain shopcard worked out from
// what an admin typed (a URL, a Shopify Admin link, a bare handle), which
// a form can offer to fill in with one click. NormalizeShopDomain's
// errors carry it; SuggestedDomain reads it.
type DomainSuggestion struct{ Domain string }

func (s *DomainSuggestion) Error() string { return "did you mean " + s.Domain + "?" }

// SuggestedDomain is the domain a NormalizeShopDomain error suggests
// instead, or "".
func SuggestedDomain(err error) string {
	var s *DomainSuggestion
	if errors.As(err, &s) {
		return s.Domain
	}
	return ""
}

// NormalizeShopDomain checks what an admin typed as a shop's domain. It
// lowercases, trims spaces and a trailing dot; anything but a bare
// *.myshopify.com domain is refused with a message that says what to
// enter instead, naming the exact value when it can be worked out (from a
// URL, a Shopify Admin link or a bare handle), which the error then
// carries as a DomainSuggestion.
func NormalizeShopDomain(input string) (string, error) {
	if len(input) > MaxDomainLength {
		return "", domain.Errorf(domain.KindInvalid, "That is %d characters long, too long for a store's domain. Enter its myshopify.com domain, such as your-store.myshopify.com.", len(input))
	}
	d := strings.TrimSuffix(domain.ASCIILower(strings.TrimSpace(input)), ".")
	if d == "" {
		return "", domain.Errorf(domain.KindInvalid, "Enter the store's domain, such as your-store.myshopify.com.")
	}
	if ValidShopDomain(d) {
		return d, nil
	}
	if handlePattern.MatchString(d) {
		suggestion := d + ".myshopify.com"
		return "", domain.Wrap(domain.KindInvalid, &DomainSuggestion{suggestion}, "Did you mean "+suggestion+"? Enter the store's whole myshopify.com domain.")
	}
	if suggestion := suggestShopDomain(d); suggestion != "" {
		return "", domain.Wrap(domain.KindInvalid, &DomainSuggestion{suggestion}, "Enter just the store's domain, "+suggestion+", not a web address.")
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
	host := strings.TrimSuffix(u.Hostname(), ".")
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

package domain

import (
	"strings"
	"unicode"
)

// NormalizeEmail trims and lowercases an email address the way Shopify does
// before it matches one, and rejects strings that cannot be an address.
//
// It is deliberately lenient about the local part: quotes, backslashes,
// colons and even spaces are legal there (RFC 5321 quoted local parts), and
// a contact's address is whatever their inbox says it is. Code that puts an
// email into Shopify's search syntax must escape it; see shopify.EmailQuery.
func NormalizeEmail(raw string) (string, error) {
	e := strings.ToLower(strings.TrimSpace(raw))
	if e == "" {
		return "", Errorf(KindInvalid, "The contact has no email address.")
	}
	if len(e) > 254 {
		return "", Errorf(KindInvalid, "The contact's email address is longer than any real one (254 characters).")
	}
	at := strings.LastIndexByte(e, '@')
	if at <= 0 || at == len(e)-1 {
		return "", Errorf(KindInvalid, "%q is not an email address: it needs a name, an @ and a domain.", raw)
	}
	for _, r := range e {
		if unicode.IsControl(r) {
			return "", Errorf(KindInvalid, "The contact's email address contains control characters.")
		}
	}
	domain := e[at+1:]
	if !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") || strings.Contains(domain, "..") {
		return "", Errorf(KindInvalid, "%q is not an email address: %q is not a domain.", raw, domain)
	}
	for _, r := range domain {
		if !(r == '.' || r == '-' || unicode.IsLetter(r) || unicode.IsDigit(r)) {
			return "", Errorf(KindInvalid, "%q is not an email address: %q is not a domain.", raw, domain)
		}
	}
	return e, nil
}

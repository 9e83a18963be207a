package fakeshopify

import (
	"strings"
)

// ordersMatcher compiles an orders(query:) search string (searchsyntax.go)
// into a predicate over orders. It understands two fields, each with the
// ":" comparator:
//
//   - email: the order's contact email, compared as Shopify compares
//     emails (normalizeEmail): email:"Ada@Example.com" finds
//     ada@example.com. No prefix search.
//   - name: the order's name, ignoring ASCII case and a leading "#" on
//     either side, so name:1001 and name:#1001 both find #1001, and
//     name:ng-1001 finds NG-1001; an unquoted value ending in * finds the
//     names that begin with it (name:10* finds #1001 and #1042).
//
// with AND, OR, NOT, - and parentheses as Shopify reads them. Any other
// field, a bare value (Shopify's default field, which searches many fields
// at once), another comparator, or a query that does not parse is refused
// loudly, rather than answered with orders the fake cannot be sure Shopify
// would have returned.
func ordersMatcher(q string) (func(*Order) bool, error) {
	n, err := parseSearch(q)
	if err != nil {
		return nil, unsupportedSearch("orders", q, "it does not parse")
	}
	match, err := compileSearch(n, func(t searchTerm, o *Order) (bool, error) {
		if t.comparator != ":" {
			return false, unsupportedSearch("orders", q, "only the : comparator")
		}
		switch t.field {
		case "email":
			if t.prefix {
				return false, unsupportedSearch("orders", q, "no prefix search on email")
			}
			return o.Email != "" && normalizeEmail(o.Email) == normalizeEmail(t.value), nil
		case "name":
			name, want := orderNameKey(o.Name), orderNameKey(t.value)
			if t.prefix {
				return strings.HasPrefix(name, want), nil
			}
			return name == want, nil
		}
		return false, unsupportedSearch("orders", q, "only email: and name: terms")
	}, &Order{})
	if err != nil {
		return nil, err
	}
	return match, nil
}

// soleEmailTerm is the email a search for exactly one email: term asks
// for, if that is all it asks.
func soleEmailTerm(q string) (string, bool) {
	n, err := parseSearch(q)
	if err != nil {
		return "", false
	}
	t, ok := n.(searchTerm)
	if !ok || t.field != "email" || t.comparator != ":" || t.prefix {
		return "", false
	}
	return t.value, true
}

// orderNameKey is an order name as name: compares it: without a leading
// "#", ASCII letters lowercased.
func orderNameKey(s string) string {
	s = strings.TrimPrefix(s, "#")
	return strings.Map(func(r rune) rune {
		if 'A' <= r && r <= 'Z' {
			return r + ('a' - 'A')
		}
		return r
	}, s)
}

func unsupportedSearch(resource, q, why string) error {
	return unsupported(resource + "(query: " + quoteForMessage(q) + "): " + why)
}

func quoteForMessage(q string) string {
	if len(q) > 80 {
		q = q[:80] + "…"
	}
	return `"` + strings.ReplaceAll(q, `"`, `\"`) + `"`
}

package fakeshopify

import (
	"strings"
	"unicode"
)

// parseOrderSearch reads an orders(query:) search string in Shopify's
// search syntax and returns the normalized email it asks for. It accepts
// exactly one term, email:<value>, where value is a name (no whitespace
// and none of the special characters : \ ( ) " ') or a string in double
// or single quotes, inside which a backslash escapes the next character
// (only \, " and ' may be escaped). Anything else — other fields, OR, NOT,
// wildcards, several terms, unbalanced quotes — is refused, so a client
// that builds the query wrongly fails loudly instead of getting someone
// else's orders.
func parseOrderSearch(q string) (string, error) {
	rest := strings.TrimLeftFunc(q, unicode.IsSpace)
	field, rest, ok := strings.Cut(rest, ":")
	if !ok || field != "email" {
		return "", unsupportedSearch(q)
	}
	var value string
	switch {
	case rest == "":
		return "", unsupportedSearch(q)
	case rest[0] == '"' || rest[0] == '\'':
		quote := rest[0]
		var b strings.Builder
		i := 1
		for ; i < len(rest) && rest[i] != quote; i++ {
			if rest[i] == '\\' {
				if i+1 == len(rest) || !strings.ContainsRune(`\"'`, rune(rest[i+1])) {
					return "", unsupportedSearch(q)
				}
				i++
			}
			b.WriteByte(rest[i])
		}
		if i == len(rest) {
			return "", unsupportedSearch(q) // no closing quote
		}
		value, rest = b.String(), rest[i+1:]
	default:
		end := strings.IndexFunc(rest, unicode.IsSpace)
		if end < 0 {
			end = len(rest)
		}
		value, rest = rest[:end], rest[end:]
		if strings.ContainsAny(value, `:\()"'*`) {
			return "", unsupportedSearch(q)
		}
	}
	if strings.TrimSpace(rest) != "" || value == "" {
		return "", unsupportedSearch(q)
	}
	return normalizeEmail(value), nil
}

func unsupportedSearch(q string) error {
	return unsupported("orders(query: " + quoteForMessage(q) + "): only a single email:\"...\" term")
}

func quoteForMessage(q string) string {
	if len(q) > 80 {
		q = q[:80] + "…"
	}
	return `"` + strings.ReplaceAll(q, `"`, `\"`) + `"`
}

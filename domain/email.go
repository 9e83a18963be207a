package domain

import (
	"errors"
	"strings"
)

// ErrNonASCIIEmail is wrapped by NormalizeEmail's error for an address with
// a character outside ASCII.
var ErrNonASCIIEmail = errors.New("email address is not ASCII")

// asciiSpace is the whitespace NormalizeEmail trims: ASCII only, since
// Unicode's wider notion (a no-break space, an ideographic space) would make
// two different strings one address.
const asciiSpace = " \t\n\v\f\r"

// NormalizeEmail trims and lowercases an email address the way Shopify
// compares them (surrounding ASCII whitespace removed, ASCII letters
// lowercased), and rejects strings that cannot be an address.
//
// Addresses with any character outside ASCII are rejected, never mapped:
// Unicode lowercasing turns the Kelvin sign (U+212A) into "k" and the
// dotted capital I into "i", and compatibility mapping turns fullwidth
// letters into ASCII ones, so a lookalike address would have shown another
// person's customer. The result therefore equals the input but for ASCII
// case and surrounding ASCII space, and two inputs share a result only
// when they are the same address.
//
// It is deliberately lenient about the local part otherwise: quotes,
// backslashes, colons and even spaces are legal there (RFC 5321 quoted
// local parts), and a contact's address is whatever their inbox says it is.
// Code that puts an email into Shopify's search syntax must escape it; see
// shopify.EmailQuery.
func NormalizeEmail(raw string) (string, error) {
	e := strings.Trim(raw, asciiSpace)
	if e == "" {
		return "", Errorf(KindInvalid, "The contact has no email address.")
	}
	if len(e) > 254 {
		return "", Errorf(KindInvalid, "The contact's email address is longer than any real one (254 characters).")
	}
	for i := 0; i < len(e); i++ {
		switch c := e[i]; {
		case c >= 0x80:
			return "", &Error{Kind: KindInvalid, Err: ErrNonASCIIEmail, Message: "The contact's email address has a character outside plain ASCII " +
				"(an accented letter, a letter from another alphabet or a lookalike of a Latin one). Shopify can't be asked for it reliably, " +
				"so shopcard shows no customer for it. Ask an admin to check the address the inbox sends."}
		case c < 0x20 || c == 0x7f:
			return "", Errorf(KindInvalid, "The contact's email address contains control characters.")
		}
	}
	e = ASCIILower(e)
	at := strings.LastIndexByte(e, '@')
	if at <= 0 || at == len(e)-1 {
		return "", Errorf(KindInvalid, "%q is not an email address: it needs a name, an @ and a domain.", raw)
	}
	domain := e[at+1:]
	if !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") || strings.Contains(domain, "..") {
		return "", Errorf(KindInvalid, "%q is not an email address: %q is not a domain.", raw, domain)
	}
	for i := 0; i < len(domain); i++ {
		if c := domain[i]; !(c == '.' || c == '-' || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
			return "", Errorf(KindInvalid, "%q is not an email address: %q is not a domain.", raw, domain)
		}
	}
	return e, nil
}

// ASCIILower lowercases the ASCII letters of s and leaves every other byte
// alone, unlike strings.ToLower, which maps Unicode letters too (the Kelvin
// sign to "k"): how shopcard lowercases addresses wherever case mapping
// could make two different strings equal.
func ASCIILower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if b[j] >= 'A' && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

package present

import (
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// Phone is a phone number as a rep reads and dials it.
type Phone struct {
	Display string // "+1 415-555-0123"
	TelURL  string // "tel:+1-415-555-0123"; "" when the number can't be dialled as given
}

// formatPhone formats a number from Shopify (E.164 as a rule, but anything
// a merchant typed is possible) in the international format, with a tel:
// link. A number the library cannot read is shown as Shopify sent it,
// without a link, rather than guessed at.
func formatPhone(raw string) Phone {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return Phone{}
	}
	n, err := phonenumbers.Parse(raw, "")
	if err != nil || !phonenumbers.IsPossibleNumber(n) {
		return Phone{Display: raw}
	}
	return Phone{
		Display: phonenumbers.Format(n, phonenumbers.INTERNATIONAL),
		TelURL:  phonenumbers.Format(n, phonenumbers.RFC3966),
	}
}

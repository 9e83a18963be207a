package present

import (
	"strings"
	"time"

	"shopcard/domain"
	"shopcard/views"
)

// Customer shapes the matched customer's card.
func Customer(store domain.Store, r *domain.CustomerOrders, now time.Time) views.CustomerCard {
	c := r.Customer
	name := strings.TrimSpace(c.DisplayName)
	if name == "" {
		name = strings.TrimSpace(c.FirstName + " " + c.LastName)
	}
	if name == "" {
		name = c.Email
	}
	if name == "" {
		name = "Unnamed customer"
	}
	card := views.CustomerCard{
		DisplayName: name,
		Email:       c.Email,
		Phone:       c.Phone,
		Orders:      Plural(c.NumberOfOrders, "order", "orders"),
		AmountSpent: formatMoney(c.AmountSpent),
		Since:       When(c.CreatedAt, now),
		AdminURL:    customerAdminURL(store, c.LegacyResourceID),
		Tags:        c.Tags,
	}
	for _, w := range WithheldWords(r.Withheld) {
		card.Withheld = append(card.Withheld, w)
	}
	return card
}

// WithheldWords names protected fields the way a rep would.
func WithheldWords(fields []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, f := range fields {
		w := f
		switch f {
		case "firstName", "lastName", "displayName":
			w = "name"
		case "defaultEmailAddress", "emailAddress":
			w = "email"
		case "defaultPhoneNumber", "phoneNumber":
			w = "phone"
		case "defaultAddress":
			w = "address"
		}
		if !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}

package present

import (
	"slices"
	"strings"
	"time"

	"shopcard/domain"
	"shopcard/views"
)

// Customer shapes the matched customer's card. When Shopify withheld the
// customer's name, no name is shown (not even the display name, which is
// made of it), and one sentence says what was withheld and what an admin
// can do.
func Customer(store domain.Store, r *domain.CustomerOrders, now time.Time) views.CustomerCard {
	c := r.Customer
	withheld := WithheldWords(r.Withheld)
	nameWithheld := slices.Contains(withheld, "name")
	name := ""
	if !nameWithheld {
		name = strings.TrimSpace(c.DisplayName)
		if name == "" {
			name = strings.TrimSpace(c.FirstName + " " + c.LastName)
		}
	}
	if name == "" {
		name = c.Email
	}
	if name == "" && nameWithheld {
		name = "Name withheld by Shopify"
	}
	if name == "" {
		name = "Unnamed customer"
	}
	phone := formatPhone(c.Phone)
	since := When(c.CreatedAt, now)
	since.Relative = monthYear(c.CreatedAt)
	card := views.CustomerCard{
		DisplayName:  name,
		NameWithheld: nameWithheld && name == "Name withheld by Shopify",
		Email:        c.Email,
		Phone:        phone.Display,
		PhoneURL:     phone.TelURL,
		Orders:       Plural(c.NumberOfOrders, "order", "orders"),
		AmountSpent:  formatMoney(c.AmountSpent),
		Since:        since,
		AdminURL:     customerAdminURL(store, c.LegacyResourceID),
		Tags:         c.Tags,
	}
	if len(withheld) > 0 {
		card.Withheld = "Shopify withheld this customer's " + joinList(withheld) +
			" (protected customer data) — an admin can request access for the app."
	}
	return card
}

// joinList joins ["name", "email", "phone"] as "name, email and phone".
func joinList(ws []string) string {
	switch len(ws) {
	case 0:
		return ""
	case 1:
		return ws[0]
	}
	return strings.Join(ws[:len(ws)-1], ", ") + " and " + ws[len(ws)-1]
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
		case "defaultEmailAddress", "emailAddress", "email":
			w = "email"
		case "defaultPhoneNumber", "phoneNumber", "phone":
			w = "phone"
		case "defaultAddress", "shippingAddress":
			w = "address"
		}
		if !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}

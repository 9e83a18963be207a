package present

import (
	"strings"
	"time"

	"shopcard/domain"
	"shopcard/views"
)

// OrderSearchAnswer is one store's answer to a rep's order search: the
// orders with that name, or the error that took their place.
type OrderSearchAnswer struct {
	Store  domain.Store
	Answer *domain.OrderMatches
	Err    error
}

// OrderSearch lays out a rep's "Find an order" answer: every store's
// orders of that name as the order list draws them, each labelled when it
// was placed with an email that is none of the contact's (reps are
// trusted with the store's data; the email guard is the AI's), a calm
// note for a store that could not be searched, and an empty state when no
// store has such an order.
func OrderSearch(name string, contact []string, answers []OrderSearchAnswer, now time.Time) views.OrderSearch {
	out := views.OrderSearch{Name: orderDisplayName(name)}
	failed := 0
	for _, a := range answers {
		st := views.OrderSearchStore{ID: "order-search-" + SectionID(a.Store), Domain: a.Store.Domain, AdminURL: StoreAdminURL(a.Store)}
		if a.Err != nil {
			failed++
			st.Notice = Failure(views.StoreSection{}, a.Err).Notice
			out.Stores = append(out.Stores, st)
			continue
		}
		for i := range a.Answer.Orders {
			f := &a.Answer.Orders[i]
			st.Orders = append(st.Orders, views.FoundOrderRow{Row: foundOrderRow(a.Store, st.ID, f, a.Answer.Withheld, now), PlacedWith: placedWith(f, contact)})
		}
		if len(st.Orders) > 0 {
			out.Stores = append(out.Stores, st)
		}
	}
	if len(out.Stores) == failed {
		out.Empty = true
		out.Notice = "No order " + out.Name + " in the connected stores. Check the number, or look it up in Shopify."
		if failed > 0 {
			out.Notice = "No order " + out.Name + " in the stores that answered."
		}
	}
	return out
}

// foundOrderRow is a found order as the order list draws it, opened
// with what the search brought (its items, every shipment, refunds and
// where it ships) rather than loaded from the order route, which opens
// only the contact's own orders. Its ids are the search's own, so the
// same order in a store section below keeps its own.
func foundOrderRow(store domain.Store, prefix string, f *domain.FoundOrder, withheld []string, now time.Time) views.OrderRow {
	row := orderRow(store, &f.Order, nil, now)
	row.ID = prefix + "-" + row.ID
	d := OrderDetail(store, &domain.OrderDetail{
		Order: f.Order, CustomerID: f.CustomerID, Email: f.Email,
		ShippingAddress: f.ShippingAddress, Refunds: f.Refunds, Withheld: withheld,
	}, now)
	d.ID = row.ID + "-detail"
	row.Detail = &d
	return row
}

// OrderSearchRefused is the answer to a query that is not an order number.
func OrderSearchRefused(message string) views.OrderSearch {
	return views.OrderSearch{Notice: message}
}

// placedWith labels an order whose emails (its own, its customer's) are
// none of the contact's, with the order's email. Withheld emails (both
// empty) give no label: nothing can be said.
func placedWith(f *domain.FoundOrder, contact []string) string {
	emails := []string{f.Email, f.CustomerEmail}
	known := false
	for _, e := range emails {
		if e == "" {
			continue
		}
		known = true
		n, err := domain.NormalizeEmail(e)
		if err != nil {
			continue
		}
		for _, c := range contact {
			if n == c {
				return ""
			}
		}
	}
	if !known {
		return ""
	}
	shown := f.Email
	if shown == "" {
		shown = f.CustomerEmail
	}
	return "Placed with " + strings.TrimSpace(shown) + ", not this contact's email"
}

// orderDisplayName writes a searched name as Shopify names orders: a bare
// number gets the default "#".
func orderDisplayName(name string) string {
	if name != "" && strings.Trim(name, "0123456789") == "" {
		return "#" + name
	}
	return name
}

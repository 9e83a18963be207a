package gallery

import (
	"time"

	"shopcard/domain"
	"shopcard/present"
	"shopcard/views"
)

// orderSearches are the "Find an order" box and its answers, put through
// present.OrderSearch like the sidebar's.
func (f galleryFixtures) orderSearches() []fixtureEntry {
	mine := f.order(1042, "#1042", 3*day, "PAID", "UNFULFILLED", "249.00", "CAD",
		domain.LineItem{Title: "Trailblazer 45 L backpack", VariantTitle: "Forest green", Quantity: 1})
	gift := f.shipped(f.order(1042, "#1042", 11*day, "PAID", "FULFILLED", "129.00", "EUR",
		domain.LineItem{Title: "Lopi wool sweater", VariantTitle: "M / Oatmeal", Quantity: 1}),
		domain.Fulfillment{Status: "SUCCESS", DisplayStatus: "DELAYED", CreatedAt: f.ago(10 * day), InTransitAt: f.ago(10*day - 6*time.Hour), EstimatedDeliveryAt: f.ago(5 * day),
			Tracking: []domain.Tracking{{Company: "PostNord", Number: "00370733742000000401", URL: "https://tracking.postnord.com/se/?id=00370733742000000401"}}})
	contact := []string{f.maya().Email}
	// Both ship to Maya, as OrdersByName's OrderParties says.
	maya := &domain.Address{Name: "Maya Chen", Address1: "88 Queen St W", City: "Toronto", Province: "Ontario", Zip: "M5H 2N2", Country: "Canada", CountryCode: "CA"}
	found := func(o domain.Order, email string) *domain.OrderMatches {
		return &domain.OrderMatches{Orders: []domain.FoundOrder{{Order: o, Email: email, ShippingAddress: maya}}}
	}
	two := []present.OrderSearchAnswer{
		{Store: galleryAcme, Answer: found(mine, f.maya().Email)},
		{Store: galleryNordic, Answer: found(gift, "alex.chen@work.example")},
		{Store: gallerySakura, Answer: &domain.OrderMatches{}},
	}
	failing := []present.OrderSearchAnswer{
		{Store: galleryAcme, Answer: found(mine, f.maya().Email)},
		{Store: galleryNordic, Err: domain.Errorf(domain.KindShopifyTimeout, "slow")},
	}
	none := []present.OrderSearchAnswer{{Store: galleryAcme, Answer: &domain.OrderMatches{}}, {Store: galleryNordic, Answer: &domain.OrderMatches{}}}
	// The box itself is left out: its ids are fixed (sidebar.js finds it
	// by them), and the gallery shows each entry twice.
	return []fixtureEntry{
		{id: "order-search-results", title: "Found in two stores", about: "The same number in two stores; the one placed with another email says so. Each row is the order list's own.",
			render: views.OrderSearchResultsView(f.uniqueSearchIDs(present.OrderSearch("1042", contact, two, f.now)))},
		{id: "order-search-partial", title: "A store didn't answer", about: "The others still show; the slow store says why it is missing.",
			render: views.OrderSearchResultsView(f.uniqueSearchIDs(present.OrderSearch("1042", contact, failing, f.now)))},
		{id: "order-search-empty", title: "No such order", render: views.OrderSearchResultsView(present.OrderSearch("UK-1003", contact, none, f.now))},
		{id: "order-search-refused", title: "Not an order number", render: views.OrderSearchResultsView(present.OrderSearchRefused("Enter an order number, such as #1042 or UK-1003."))},
	}
}

// uniqueSearchIDs prefixes the stores' and orders' DOM ids.
func (f galleryFixtures) uniqueSearchIDs(r views.OrderSearch) views.OrderSearch {
	stores := make([]views.OrderSearchStore, len(r.Stores))
	for i, st := range r.Stores {
		st.ID = f.uid(st.ID)
		orders := make([]views.FoundOrderRow, len(st.Orders))
		for j, o := range st.Orders {
			o.Row.ID = f.uid(o.Row.ID)
			if d := o.Row.Detail; d != nil {
				opened := *d
				opened.ID = o.Row.ID + "-detail"
				o.Row.Detail = &opened
			}
			orders[j] = o
		}
		st.Orders = orders
		stores[i] = st
	}
	r.Stores = stores
	return r
}

package fakeshopify

// DemoContact is a person writing to support in the demo's inbox, with
// what looking them up demonstrates.
type DemoContact struct {
	Name  string
	Email string
	// OtherEmails are more addresses of the same person, which the embed
	// token carries as emails.
	OtherEmails []string
	Shows       string
}

// DemoContacts lists the inbox simulator's contacts, best showcase first.
// Their emails are the seed's Email* constants; some are written the way
// people type them, which Shopify's matching forgives.
func DemoContacts() []DemoContact {
	return []DemoContact{
		{"Maya Chen", EmailShowcase, nil, "Customer in two stores: an order in four parcels (the newest on its way, one with five tracking numbers), parcels with UPS and USPS on the way, nine lines with one removed, partial refunds with a return in progress and one closed, a cancellation, a restock, an order with no financial status. " +
			"She also asks about " + OrderGiftForMaya + ", a gift her partner ordered with his own email: no section shows it, so type " + OrderGiftForMaya + " in Find an order."},
		{"Maya Chen (two addresses)", EmailShowcase, []string{EmailShowcaseOther}, "Two addresses in one token: her customer records, and the guest checkout she made at Sakura with the other one."},
		{"Walk-in Guest", EmailGuest, nil, "No customer record anywhere, but two guest-checkout orders at Acme."},
		{"Jordan Rivera", EmailSixtyOrders, nil, "60 orders in every fulfillment and financial status; the sidebar shows the newest 50."},
		{"Zoë Ångström", EmailNonASCII, nil, "Non-ASCII name in EUR; Nordic Goods' token lacks read_all_orders, so orders older than 60 days are hidden."},
		{"Fatima Al-Sabah", EmailThreeDecimals, nil, "Prices in Kuwaiti dinars, which have three decimals, and a partial refund."},
		{"山田 花子", EmailJapanese, nil, "Japanese name and products, prices in yen, and no customer in the other stores."},
		{"ليلى حداد", EmailRightToLeft, nil, "Right-to-left name, tags and product titles."},
		{"Dana Whitfield", "  Purchasing@HarborSupply.example ", nil, "Bulk buyer with 1,287 orders on record; typed with stray spaces and capitals, which Shopify ignores."},
		{"Priya Natarajan", EmailOneOrder, nil, "Exactly one order, authorized and awaiting fulfillment."},
		{"Sam Okafor", EmailNoOrders, nil, "Signed up yesterday, no orders yet."},
		{"Blue Fern Studio", EmailNoName, nil, "No first or last name, so Shopify's display name is the email."},
		{"Erik Lindqvist", EmailOnlyOldOrders, nil, "Four orders, all older than 60 days: Nordic Goods counts them but shows none."},
		{`<script>alert(1)</script> O'Brien "Bobby" Tables`, EmailHostile, nil, "Markup and quotes everywhere, and javascript:/data: tracking URLs that must never become links."},
		{"Nobody Known", EmailNoMatch, nil, "Matches no customer in any store."},
	}
}

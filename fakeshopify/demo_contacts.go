package fakeshopify

// DemoContact is a person writing to support in the demo's inbox, with
// what looking them up demonstrates.
type DemoContact struct {
	Name  string
	Email string
	Shows string
}

// DemoContacts lists the inbox simulator's contacts, best showcase first.
// Their emails are the seed's Email* constants; some are written the way
// people type them, which Shopify's matching forgives.
func DemoContacts() []DemoContact {
	return []DemoContact{
		{"Maya Chen", EmailShowcase, "Customer in two stores: parcels with UPS and USPS on the way, a partial refund, a cancellation, a restock, an order with no financial status."},
		{"Jordan Rivera", EmailSixtyOrders, "60 orders in every fulfillment and financial status; the sidebar shows the newest 50."},
		{"Zoë Ångström", EmailNonASCII, "Non-ASCII name in EUR; Nordic Goods' token lacks read_all_orders, so orders older than 60 days are hidden."},
		{"山田 花子", EmailJapanese, "Japanese name and products, prices in yen, and no customer in the other stores."},
		{"ليلى حداد", EmailRightToLeft, "Right-to-left name, tags and product titles."},
		{"Dana Whitfield", "  Purchasing@HarborSupply.example ", "Bulk buyer with 1,287 orders on record; typed with stray spaces and capitals, which Shopify ignores."},
		{"Priya Natarajan", EmailOneOrder, "Exactly one order, authorized and awaiting fulfillment."},
		{"Sam Okafor", EmailNoOrders, "Signed up yesterday, no orders yet."},
		{"Blue Fern Studio", EmailNoName, "No first or last name, so Shopify's display name is the email."},
		{"Erik Lindqvist", EmailOnlyOldOrders, "Four orders, all older than 60 days: Nordic Goods counts them but shows none."},
		{`<script>alert(1)</script> O'Brien "Bobby" Tables`, EmailHostile, "Markup and quotes everywhere, and javascript:/data: tracking URLs that must never become links."},
		{"Nobody Known", EmailNoMatch, "Matches no customer in any store."},
	}
}

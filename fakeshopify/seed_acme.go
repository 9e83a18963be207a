package fakeshopify

import (
	"slices"
	"time"
)

// Acme Outfitters' catalog, in USD.
var (
	jacket     = product{"Trailhead Waterproof Jacket", "Forest Green / M", "189.00"}
	jacketL    = product{"Trailhead Waterproof Jacket", "Slate / L", "189.00"}
	socks      = product{"Merino Wool Hiking Socks (3-Pack)", "M", "34.00"}
	backpack   = product{"Summit 45L Backpack", "Charcoal", "149.00"}
	poles      = product{"Ultralight Trekking Poles (Pair)", "", "89.00"}
	bottle     = product{"Insulated Steel Bottle 750 ml", "Glacier Blue", "29.50"}
	fuel       = product{"Camp Stove Fuel Canister 230 g", "", "7.95"}
	vest       = product{"Packable Down Vest", "Black / S", "119.00"}
	headlamp   = product{"Headlamp 400 Lumen", "", "39.00"}
	shoes      = product{"Trail Running Shoes", "US 9 / Black", "135.00"}
	giftCard   = product{"Gift Card", "$50", "50.00"}
	towel      = product{"Quick-Dry Camp Towel", "Large / Teal", "24.00"}
	longTent   = product{"The Ultimate All-Weather Ultralight Three-Season Backpacking Tent with Vestibule, Footprint, Repair Kit and Compression Carry Bag — Limited Edition Forest Green Colorway (2-Person)", "2-Person / Forest Green / Includes Footprint and Gear Loft Accessory Bundle", "429.00"}
	acmeRange  = []product{jacket, socks, backpack, poles, bottle, fuel, vest, headlamp, shoes, giftCard, towel, jacketL}
	hikingPack = product{"حقيبة ظهر للمشي لمسافات طويلة ٤٥ لتر", "فحمي", "149.00"}
	scarf      = product{"وشاح صوف ميرينو", "رمادي داكن", "45.00"}
)

// acmeScopes are AcmeToken's: everything the sidebar reads, returns
// included.
var acmeScopes = append(slices.Clone(allScopes), "read_returns")

func acmeStore() seedStore {
	return seedStore{
		products: acmeCatalog(),
		store: acmeShop(Store{
			Domain:   AcmeDomain,
			Name:     "Acme Outfitters",
			Currency: "USD",
			Tokens: []Token{
				// Also read_returns, so opened orders show their returns.
				{Value: AcmeToken, Scopes: acmeScopes},
				{Value: AcmeTokenCustomersOnly, Scopes: []string{"read_customers"}},
				{Value: AcmeTokenOrdersOnly, Scopes: []string{"read_orders", "read_all_orders"}},
				{Value: AcmeTokenWithProducts, Scopes: append(slices.Clone(acmeScopes), "read_products")},
			},
		}),
		customers: []seedCustomer{
			mayaAtAcme(),
			jordan(),
			{
				Customer: Customer{FirstName: "Priya", LastName: "Natarajan", Email: EmailOneOrder, Phone: "+12065550187"},
				age:      40 * day,
				orders: []orderSpec{{
					age: 5*day + 3*time.Hour, financial: "AUTHORIZED", fulfillment: "UNFULFILLED",
					lines: []line{buy(backpack, 1), buy(bottle, 2)},
				}},
			},
			{
				Customer: Customer{FirstName: "Sam", LastName: "Okafor", Email: EmailNoOrders, Tags: []string{"newsletter"}},
				age:      26 * time.Hour,
			},
			{
				// No name: Shopify's displayName is then the email.
				Customer: Customer{Email: EmailNoName, Tags: []string{"wholesale"}},
				age:      90 * day,
				orders: []orderSpec{
					{age: 3 * day, financial: "PARTIALLY_PAID", fulfillment: "PENDING_FULFILLMENT", lines: []line{buy(towel, 24), buy(bottle, 24)}},
					{age: 34 * day, financial: "PAID", fulfillment: "SCHEDULED", lines: []line{buy(socks, 12)}},
				},
			},
			harborSupply(),
			hostile(),
			{
				Customer: Customer{FirstName: "ليلى", LastName: "حداد", Email: EmailRightToLeft, Phone: "+971501234567", Tags: []string{"عميل مميز"}},
				age:      150 * day,
				orders: []orderSpec{
					{age: 6 * day, financial: "PAID", fulfillment: "FULFILLED", lines: []line{buy(hikingPack, 1), buy(scarf, 2)},
						ships: []shipSpec{ship(day, "IN_TRANSIT", dhl(4401))}},
					{age: 70 * day, financial: "PAID", fulfillment: "FULFILLED", lines: []line{buy(scarf, 1)},
						ships: []shipSpec{ship(2*day, "DELIVERED", dhl(3310))}},
				},
			},
		},
		guests: []seedGuest{{
			// Alex ordered Maya a gift, shipped to her; the parcel is
			// stuck. Only its number finds it.
			email: EmailGiftGiver,
			orders: []orderSpec{{
				age: 10 * day, financial: "PAID", fulfillment: "FULFILLED",
				lines: []line{buy(vest, 1), buy(bottle, 1)},
				ships: []shipSpec{ship(day, "DELAYED", ups(1004))},
			}},
			address: mayasAddress,
		}, {
			email: EmailGuest,
			orders: []orderSpec{
				{age: 2 * day, financial: "PAID", fulfillment: "FULFILLED", lines: []line{buy(headlamp, 1), buy(fuel, 4)},
					ships: []shipSpec{ship(day, "IN_TRANSIT", usps(7701))}},
				{age: 40 * day, financial: "REFUNDED", fulfillment: "UNFULFILLED", cancelReason: "CUSTOMER", refundAll: true, lines: []line{buy(towel, 1)}},
			},
		}},
	}
}

// mayasAddress is where Maya's orders, and Alex's gift, go.
var mayasAddress = &Address{Name: "Maya Chen", Address1: "1450 Valencia Street", Address2: "Apt 3", City: "San Francisco",
	Province: "California", ProvinceCode: "CA", Zip: "94110", Country: "United States", CountryCode: "US", Phone: "+14155550123"}

// mayaAtAcme is the showcase: every kind of order a rep meets in a week.
func mayaAtAcme() seedCustomer {
	return seedCustomer{
		Customer: Customer{
			FirstName: "Maya", LastName: "Chen", Email: EmailShowcase, Phone: "+14155550123",
			Tags: []string{"VIP", "Loyalty: Gold"},
		},
		age:     730 * day,
		address: mayasAddress,
		orders: []orderSpec{
			{ // Four parcels: three delivered, the newest on its way; one held five boxes.
				age: 6 * day, financial: "PAID", fulfillment: "FULFILLED",
				note: "Gift — please leave the invoice out.", tags: []string{"gift", "split shipment"},
				lines: []line{buy(backpack, 1), buy(jacket, 1), buy(poles, 1), buy(towel, 2)},
				ships: []shipSpec{
					ship(10*time.Hour, "DELIVERED", ups(1101)),
					ship(20*time.Hour, "DELIVERED", usps(2101)),
					ship(30*time.Hour, "DELIVERED", fedex(3101), fedex(3102), fedex(3103), fedex(3104), fedex(3105)),
					ship(4*day, "IN_TRANSIT", ups(1102)),
				},
			},
			{ // Nine lines, one removed entirely by an edit before it shipped.
				age: 11 * day, financial: "PARTIALLY_REFUNDED", fulfillment: "FULFILLED", refundNote: "Vest out of stock; removed from the order.",
				lines: []line{buy(socks, 2), buy(bottle, 1), buy(fuel, 6), buy(headlamp, 1), buy(vest, 1).refunded(1),
					buy(towel, 1), buy(giftCard, 1), buy(poles, 1), buy(shoes, 1)},
				ships: []shipSpec{ship(day, "DELIVERED", ups(1103))},
			},
			{ // A return on its way back, refunded in part already.
				age: 24 * day, financial: "PARTIALLY_REFUNDED", fulfillment: "FULFILLED", returnStatus: "IN_PROGRESS",
				refundNote: "Boots too small; refunded on receipt of the return label scan.",
				lines:      []line{buy(shoes, 2).refunded(1), buy(socks, 1)},
				ships:      []shipSpec{ship(day, "DELIVERED", dhl(4101))},
				returns:    []Return{{Status: "OPEN", Items: []ItemRef{{Line: 0, Quantity: 1}}}},
			},
			{ // Two parcels, two carriers, on their way.
				age: 2*day + 4*time.Hour, financial: "PAID", fulfillment: "FULFILLED",
				lines: []line{buy(jacket, 1), buy(socks, 2), buy(headlamp, 1)},
				ships: []shipSpec{
					ship(20*time.Hour, "OUT_FOR_DELIVERY", ups(1001)),
					ship(26*time.Hour, "IN_TRANSIT", usps(2002), usps(2003)),
				},
			},
			{ // More items than the sidebar lists; one parcel with three numbers, one without a URL.
				age: 9 * day, financial: "PAID", fulfillment: "PARTIALLY_FULFILLED",
				lines: []line{buy(backpack, 1), buy(poles, 1), buy(bottle, 2), buy(fuel, 4), buy(towel, 1), buy(vest, 1)},
				ships: []shipSpec{ship(day, "DELIVERED", fedex(3001), fedex(3002), canadaPost(3003))},
			},
			{ // Partially refunded: the socks went back, and the return is closed.
				age: 16 * day, financial: "PARTIALLY_REFUNDED", fulfillment: "FULFILLED", returnStatus: "RETURNED",
				refundNote: "Returned unworn.",
				lines:      []line{buy(shoes, 1), buy(socks, 2).refunded(1)},
				ships:      []shipSpec{ship(day, "DELIVERED", dhl(4001))},
				returns:    []Return{{Status: "CLOSED", Items: []ItemRef{{Line: 1, Quantity: 1}}}},
			},
			{ // Cancelled before it shipped.
				age: 30 * day, financial: "VOIDED", fulfillment: "UNFULFILLED", cancelReason: "CUSTOMER",
				lines: []line{buy(vest, 1)},
			},
			{ // Returned in full and restocked.
				age: 45 * day, financial: "REFUNDED", fulfillment: "RESTOCKED", refundAll: true,
				lines: []line{buy(jacketL, 1)},
				ships: []shipSpec{ship(day, "DELIVERED", ups(1002))},
			},
			{ // A very long product name.
				age: 80 * day, financial: "PAID", fulfillment: "FULFILLED",
				lines: []line{buy(longTent, 1)},
				ships: []shipSpec{ship(2*day, "DELIVERED", ups(1003))},
			},
			{ // Imported from an old platform: Shopify has no financial status for it.
				age: 120 * day, financial: "", fulfillment: "FULFILLED",
				lines: []line{buy(giftCard, 2)},
				ships: []shipSpec{ship(day, "DELIVERED", canadaPost(3100))},
			},
			{ // Waiting on a bank transfer.
				age: 200 * day, financial: "PENDING", fulfillment: "ON_HOLD",
				lines: []line{buy(poles, 2)},
			},
		},
	}
}

// jordan has 60 orders, one every four days, cycling through every
// fulfillment and financial status (null included), so the newest 50
// cover them all.
func jordan() seedCustomer {
	fulfillment := []string{"FULFILLED", "UNFULFILLED", "PARTIALLY_FULFILLED", "IN_PROGRESS", "ON_HOLD",
		"OPEN", "SCHEDULED", "PENDING_FULFILLMENT", "RESTOCKED", "REQUEST_DECLINED"}
	financial := []string{"PAID", "PENDING", "AUTHORIZED", "PARTIALLY_PAID", "", "PARTIALLY_REFUNDED",
		"PAID", "EXPIRED", "REFUNDED"}
	reasons := []string{"CUSTOMER", "DECLINED", "FRAUD", "INVENTORY", "STAFF", "OTHER"}
	carriers := []func(int) Tracking{ups, usps, fedex, dhl}

	c := seedCustomer{
		Customer: Customer{FirstName: "Jordan", LastName: "Rivera", Email: EmailSixtyOrders, Phone: "+13125550199", Tags: []string{"repeat buyer"}},
		age:      400 * day,
	}
	for i := range 60 {
		sp := orderSpec{
			age:         time.Duration(1+4*i)*day + time.Duration(i%7)*time.Hour,
			financial:   financial[i%len(financial)],
			fulfillment: fulfillment[i%len(fulfillment)],
			lines:       []line{buy(acmeRange[(i*7)%len(acmeRange)], 1+i%3)},
		}
		if i%3 == 0 {
			sp.lines = append(sp.lines, buy(acmeRange[(i*5+1)%len(acmeRange)], 1))
		}
		switch sp.financial {
		case "PARTIALLY_REFUNDED":
			sp.lines[0] = sp.lines[0].refunded(1)
		case "REFUNDED":
			sp.refundAll = true
		}
		if i%13 == 6 {
			sp.cancelReason = reasons[(i/13)%len(reasons)]
			sp.financial, sp.fulfillment, sp.refundAll = "REFUNDED", "UNFULFILLED", true
		}
		if sp.fulfillment == "FULFILLED" || sp.fulfillment == "PARTIALLY_FULFILLED" {
			display := "DELIVERED"
			if i < 2 {
				display = "IN_TRANSIT"
			}
			// Shipped within the day, so even the newest order (a day
			// old) has its parcels out already.
			sp.ships = []shipSpec{ship(12*time.Hour, display, carriers[i%len(carriers)](5000+i))}
			if i%4 == 0 {
				sp.ships = append(sp.ships, ship(18*time.Hour, display, carriers[(i+1)%len(carriers)](6000+i)))
			}
		}
		c.orders = append(c.orders, sp)
	}
	return c
}

// harborSupply buys in bulk: 1,287 orders on record, the fake holds 12.
func harborSupply() seedCustomer {
	statuses := []string{"IN_PROGRESS", "OPEN", "FULFILLED", "REQUEST_DECLINED", "PARTIALLY_FULFILLED", "FULFILLED"}
	c := seedCustomer{
		Customer: Customer{
			FirstName: "Dana", LastName: "Whitfield", Email: EmailThousandsOfOrders, Phone: "+16175550142",
			Tags: []string{"B2B", "Net 30", "Harbor Supply Co."}, NumberOfOrders: 1287, AmountSpent: "486213.75",
		},
		age: 6 * 365 * day,
	}
	for i := range 12 {
		sp := orderSpec{
			age:         time.Duration(1+6*i)*day + 5*time.Hour,
			financial:   []string{"PENDING", "PAID"}[i%2],
			fulfillment: statuses[i%len(statuses)],
			lines:       []line{buy(bottle, 120), buy(towel, 60), buy(fuel, 200)},
		}
		if sp.fulfillment == "FULFILLED" || sp.fulfillment == "PARTIALLY_FULFILLED" {
			sp.ships = []shipSpec{ship(day, "DELIVERED", fedex(7000+i), fedex(7100+i))}
		}
		c.orders = append(c.orders, sp)
	}
	return c
}

// hostile proves that the UI escapes everything and never links a tracking
// URL that is not http(s).
func hostile() seedCustomer {
	xss := product{`<img src=x onerror=alert(1)>`, `"><svg onload=alert(2)>`, "13.37"}
	quotes := product{`Tom's "Best" Tent & Tarp </td></tr>`, `O'Reilly's <b>bold</b>`, "99.00"}
	return seedCustomer{
		Customer: Customer{
			FirstName: `<script>alert(1)</script>`, LastName: `O'Brien "Bobby" Tables`,
			Email: EmailHostile, Phone: "+15555550100",
			Tags: []string{`<b>bold</b>`, `" onmouseover="alert(3)`},
		},
		age: 20 * day,
		orders: []orderSpec{{
			age: 4 * day, financial: "PAID", fulfillment: "FULFILLED",
			lines: []line{buy(xss, 1), buy(quotes, 1)},
			ships: []shipSpec{
				ship(day, "IN_TRANSIT",
					Tracking{Company: `<b>EvilCarrier</b>`, Number: `"><script>alert(4)</script>`, URL: "javascript:alert(1)"},
					Tracking{Company: "Sneaky Post", Number: "SP-1", URL: "JaVaScRiPt:alert(5)"},
					Tracking{Company: "Data Post", Number: "DP-1", URL: "data:text/html,<script>alert(6)</script>"},
				),
			},
		}},
	}
}

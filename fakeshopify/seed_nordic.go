package fakeshopify

import "time"

// Nordic Goods' catalog, in EUR.
var (
	woolThrow   = product{"Ullfilt — Grå", "130 × 170 cm", "89.00"}
	candle      = product{"Ljuslykta i mässing", "", "34.50"}
	mug         = product{"Keramikmugg Fjäll", "Blå", "18.00"}
	linen       = product{"Linneduk Ängsö", "Naturvit / 145 × 250 cm", "64.90"}
	cuttingTray = product{"Skärbräda i ek", "Stor", "42.00"}
)

func nordicStore() seedStore {
	return seedStore{
		products: nordicCatalog(),
		guests: []seedGuest{{
			email:   EmailNordicGuest,
			address: &Address{Name: "Lars Berg", Address1: "Thereses gate 14", City: "Oslo", Zip: "0168", Country: "Norway", CountryCode: "NO"},
			orders: []orderSpec{{age: 4 * day, financial: "PAID", fulfillment: "FULFILLED", lines: []line{buy(candle, 2), buy(mug, 2)},
				ships: []shipSpec{ship(day, "IN_TRANSIT", bring(401))}}},
		}},
		store: nordicShop(Store{
			Domain:      NordicDomain,
			Name:        "Nordic Goods",
			Currency:    "EUR",
			OrderPrefix: "NG-",
			Tokens: []Token{
				// No read_all_orders: orders older than 60 days are hidden.
				{Value: NordicToken, Scopes: []string{"read_customers", "read_orders"}},
			},
		}),
		customers: []seedCustomer{
			{
				// The same email as at Acme: one contact, two stores.
				Customer: Customer{FirstName: "Maya", LastName: "Chen", Email: EmailShowcase, Tags: []string{"newsletter"}},
				age:      300 * day,
				orders: []orderSpec{
					{age: 12 * day, financial: "PAID", fulfillment: "FULFILLED", lines: []line{buy(linen, 1), buy(candle, 2)},
						ships: []shipSpec{ship(day, "DELIVERED", postNord(101))}},
					{age: 100 * day, financial: "PAID", fulfillment: "FULFILLED", lines: []line{buy(mug, 4)},
						ships: []shipSpec{ship(day, "DELIVERED", postNord(102))}},
				},
			},
			{
				Customer: Customer{FirstName: "Zoë", LastName: "Ångström", Email: EmailNonASCII, Phone: "+46701234567", Tags: []string{"Stammkund", "Ålänning"}},
				age:      500 * day,
				orders: []orderSpec{
					{age: 10 * day, financial: "PAID", fulfillment: "FULFILLED", lines: []line{buy(woolThrow, 1)},
						ships: []shipSpec{ship(day, "IN_TRANSIT", bring(201), postNord(202))}},
					{age: 25 * day, financial: "PARTIALLY_REFUNDED", fulfillment: "FULFILLED", lines: []line{buy(mug, 6).refunded(2), buy(cuttingTray, 1)},
						ships: []shipSpec{ship(day, "DELIVERED", postNord(203))}},
					{age: 50*day + 6*time.Hour, financial: "PAID", fulfillment: "UNFULFILLED", lines: []line{buy(candle, 1)}},
					{age: 90 * day, financial: "PAID", fulfillment: "FULFILLED", lines: []line{buy(linen, 2)},
						ships: []shipSpec{ship(day, "DELIVERED", bring(204))}},
					{age: 150 * day, financial: "REFUNDED", fulfillment: "RESTOCKED", refundAll: true, lines: []line{buy(woolThrow, 1)}},
				},
			},
			{
				Customer: Customer{FirstName: "Erik", LastName: "Lindqvist", Email: EmailOnlyOldOrders},
				age:      700 * day,
				orders: []orderSpec{
					{age: 75 * day, financial: "PAID", fulfillment: "FULFILLED", lines: []line{buy(cuttingTray, 1)},
						ships: []shipSpec{ship(day, "DELIVERED", postNord(301))}},
					{age: 140 * day, financial: "PAID", fulfillment: "FULFILLED", lines: []line{buy(candle, 3)},
						ships: []shipSpec{ship(day, "DELIVERED", postNord(302))}},
					{age: 260 * day, financial: "PAID", fulfillment: "FULFILLED", lines: []line{buy(mug, 2)},
						ships: []shipSpec{ship(day, "DELIVERED", postNord(303))}},
					{age: 400 * day, financial: "VOIDED", fulfillment: "UNFULFILLED", cancelReason: "INVENTORY", lines: []line{buy(woolThrow, 1)}},
				},
			},
		},
	}
}

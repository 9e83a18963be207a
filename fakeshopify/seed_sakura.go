package fakeshopify

import "time"

// Sakura Stationery's catalog, in JPY (no minor unit).
var (
	fountainPen = product{"万年筆 — 藍色（細字）", "細字 / 藍色", "12000"}
	washiNote   = product{"和紙ノート A5（方眼）", "方眼", "1650"}
	maskingTape = product{"マスキングテープ 5巻セット「桜」", "", "1320"}
	inkBottle   = product{"万年筆インク 50ml「夜桜」", "", "2200"}
)

func sakuraStore() seedStore {
	return seedStore{
		products: sakuraCatalog(),
		store: sakuraShop(Store{
			Domain:   SakuraDomain,
			Name:     "さくら文具 Sakura Stationery",
			Currency: "JPY",
			Tokens:   []Token{{Value: SakuraToken, Scopes: allScopes}, {Value: SakuraTokenWithProducts, Scopes: allScopesAndProducts}},
		}),
		customers: []seedCustomer{{
			Customer: Customer{FirstName: "花子", LastName: "山田", Email: EmailJapanese, Phone: "+819012345678", Tags: []string{"常連"}},
			age:      365 * day,
			orders: []orderSpec{
				{age: 1*day + 2*time.Hour, financial: "PAID", fulfillment: "FULFILLED", lines: []line{buy(fountainPen, 1), buy(inkBottle, 2)},
					ships: []shipSpec{ship(18*time.Hour, "OUT_FOR_DELIVERY", yamato(501))}},
				{age: 20 * day, financial: "PAID", fulfillment: "FULFILLED", lines: []line{buy(washiNote, 3), buy(maskingTape, 2)},
					ships: []shipSpec{ship(day, "DELIVERED", japanPost(502))}},
				{age: 95 * day, financial: "PARTIALLY_REFUNDED", fulfillment: "FULFILLED", lines: []line{buy(maskingTape, 4).refunded(1)},
					ships: []shipSpec{ship(day, "DELIVERED", japanPost(503))}},
			},
		}},
		guests: []seedGuest{{
			email:   EmailShowcaseOther,
			address: mayasAddress,
			orders: []orderSpec{
				{age: 9 * day, financial: "PAID", fulfillment: "FULFILLED", lines: []line{buy(washiNote, 2)},
					ships: []shipSpec{ship(2*day, "DELIVERED", japanPost(601))}},
			},
		}},
	}
}

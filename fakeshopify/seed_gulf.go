package fakeshopify

import "time"

// Oud & Amber House's catalog, in Kuwaiti dinars, which have three
// decimals (fils): a sidebar that rounds to two shows the wrong price.
var (
	oudOil     = product{"Cambodian Oud Oil 3 ml", "", "48.750"}
	amberSpray = product{"Amber Musk Eau de Parfum", "100 ml", "27.125"}
	bakhoor    = product{"Bakhoor Burner — Brass", "", "15.500"}
)

func gulfStore() seedStore {
	return seedStore{
		store: Store{
			Domain:      GulfDomain,
			Name:        "Oud & Amber House",
			Currency:    "KWD",
			OrderPrefix: "OA-",
			Tokens:      []Token{{Value: GulfToken, Scopes: append([]string{"read_returns"}, allScopes...)}},
		},
		customers: []seedCustomer{{
			Customer: Customer{FirstName: "Fatima", LastName: "Al-Sabah", Email: EmailThreeDecimals, Phone: "+96550001234", Tags: []string{"VIP"}},
			age:      3 * 365 * day,
			address:  &Address{Name: "Fatima Al-Sabah", Address1: "Block 3, Street 12, House 7", City: "Salmiya", Zip: "22003", Country: "Kuwait", Phone: "+96550001234"},
			orders: []orderSpec{
				{age: 3 * day, financial: "PAID", fulfillment: "FULFILLED", lines: []line{buy(oudOil, 1), buy(amberSpray, 2)},
					ships: []shipSpec{ship(20*time.Hour, "OUT_FOR_DELIVERY", dhl(9101))}},
				{age: 40 * day, financial: "PARTIALLY_REFUNDED", fulfillment: "FULFILLED", refundNote: "Burner arrived dented.",
					lines: []line{buy(bakhoor, 2).refunded(1), buy(oudOil, 1)},
					ships: []shipSpec{ship(day, "DELIVERED", dhl(9102))}},
			},
		}},
	}
}

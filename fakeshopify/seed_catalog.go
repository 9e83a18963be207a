package fakeshopify

// The seed stores' catalogs, for products(query:), and what their shops
// say about themselves, for Shop. The products are the ones the seed's
// orders buy (seed_acme.go and friends), with descriptions and stock.

// sells makes a published, active product of the seed's catalog entries:
// one variant per entry, all sharing the first entry's title.
func sells(productType, description string, tags []string, variants ...product) Product {
	p := Product{Title: variants[0].title, Description: description, ProductType: productType, Tags: tags, Published: true}
	for _, v := range variants {
		title := v.variant
		if title == "" {
			title = "Default Title"
		}
		p.Variants = append(p.Variants, Variant{Title: title, Price: v.price, Available: true})
	}
	return p
}

// soldOut marks the variants at the given positions as unavailable.
func soldOut(p Product, positions ...int) Product {
	for _, i := range positions {
		p.Variants[i].Available = false
	}
	return p
}

func acmeCatalog() []Product {
	vendor := func(p Product) Product { p.Vendor = "Acme Outfitters"; return p }
	jacketS := product{jacket.title, "Forest Green / S", "189.00"}
	vestM := product{vest.title, "Black / M", "119.00"}
	draft := Product{Title: "Trailhead Waterproof Jacket 2027 (prototype)", Vendor: "Acme Outfitters", ProductType: "Jackets",
		Description: "Not for sale yet.", Status: "DRAFT", Price: "219.00"}
	archived := Product{Title: "Trailhead Rain Shell (2019)", Vendor: "Acme Outfitters", ProductType: "Jackets",
		Description: "Replaced by the Trailhead Waterproof Jacket.", Status: "ARCHIVED", Price: "149.00"}
	return []Product{
		vendor(sells("Jackets", "A fully seam-taped 3-layer shell that keeps you dry in a downpour and packs into its own pocket. Pit zips, an adjustable hood and a two-way front zip.",
			[]string{"rain", "waterproof", "bestseller"}, jacket, jacketS, jacketL)),
		vendor(sells("Socks", "Cushioned merino wool hiking socks that stay warm when wet and don't hold odours. Three pairs.", []string{"merino", "wool"}, socks)),
		vendor(sells("Backpacks", "A 45-litre trekking pack with an adjustable back system, hip-belt pockets and a rain cover.", []string{"hiking"}, backpack)),
		vendor(sells("Hiking", "Carbon trekking poles under 200 g each, with cork grips and quick-lock adjustment.", nil, poles)),
		vendor(sells("Bottles", "Double-wall vacuum-insulated steel bottle: cold for 24 hours, hot for 12.", nil, bottle)),
		vendor(sells("Camping", "Butane-propane fuel canister for camp stoves. Ships by ground only.", nil, fuel)),
		vendor(soldOut(sells("Jackets", "A 650-fill down vest that packs into its chest pocket.", []string{"down", "insulation"}, vest, vestM), 0)),
		vendor(sells("Lighting", "Rechargeable 400-lumen headlamp with a red night mode.", nil, headlamp)),
		vendor(soldOut(sells("Footwear", "Grippy, breathable trail running shoes with a rock plate.", nil, shoes), 0)),
		vendor(sells("Camping", "Quick-dry microfibre towel with a hanging loop.", nil, towel)),
		{Title: giftCard.title, Vendor: "Acme Outfitters", ProductType: "Gift cards", Description: "An Acme Outfitters gift card, delivered by email.",
			Published: true, Variants: []Variant{{Title: "$25", Price: "25.00", Available: true}, {Title: giftCard.variant, Price: giftCard.price, Available: true}}},
		draft,
		archived,
	}
}

func acmeShop(st Store) Store {
	st.Description = "Outdoor gear for hikers and campers, tested on the trails of the Pacific Northwest."
	st.PrimaryURL = "https://acme-outfitters.example"
	st.ContactEmail = "help@acme-outfitters.example"
	st.Currencies = []string{"USD", "CAD"}
	st.ShipsTo = []string{"US", "CA", "MX"}
	st.Wallets = []string{"SHOPIFY_PAY", "APPLE_PAY", "GOOGLE_PAY"}
	st.Policies = []ShopPolicy{{Type: "REFUND_POLICY", Title: "Refund policy"}, {Type: "SHIPPING_POLICY", Title: "Shipping policy"}}
	return st
}

func nordicCatalog() []Product {
	vendor := func(p Product) Product { p.Vendor = "Nordic Goods"; return p }
	return []Product{
		vendor(sells("Textiles", "Tjock filt i gotlandsull. Thick throw in Gotland wool.", []string{"ull"}, woolThrow)),
		vendor(sells("Lighting", "Ljuslykta i massiv mässing. Solid brass lantern.", nil, candle)),
		vendor(sells("Kitchen", "Handdrejad keramikmugg. Hand-thrown ceramic mug.", nil, mug)),
		vendor(sells("Textiles", "Linneduk i tvättat linne. Tablecloth in washed linen.", nil, linen)),
		vendor(sells("Kitchen", "Skärbräda i massiv ek. Solid oak cutting board.", nil, cuttingTray)),
	}
}

func nordicShop(st Store) Store {
	st.Description = "Skandinavisk heminredning. Scandinavian homeware, made in small batches."
	st.PrimaryURL = "https://nordicgoods.example"
	st.ContactEmail = "kundservice@nordicgoods.example"
	st.ShipsTo = []string{"SE", "NO", "DK", "FI", "DE"}
	st.Wallets = []string{"APPLE_PAY", "GOOGLE_PAY"}
	st.Policies = []ShopPolicy{{Type: "REFUND_POLICY", Title: "Returer"}}
	return st
}

func sakuraCatalog() []Product {
	vendor := func(p Product) Product { p.Vendor = "Sakura Stationery"; return p }
	fine := product{fountainPen.title, "中字 / 藍色", "12000"}
	return []Product{
		vendor(soldOut(sells("Pens", "滑らかな書き心地の万年筆。A smooth fountain pen with a steel nib.", []string{"万年筆", "fountain pen"}, fountainPen, fine), 1)),
		vendor(sells("Notebooks", "和紙を使った方眼ノート。A5 grid notebook with washi paper.", []string{"notebook"}, washiNote)),
		vendor(sells("Tape", "桜柄のマスキングテープ5巻セット。Five rolls of cherry-blossom masking tape.", []string{"washi tape"}, maskingTape)),
		vendor(sells("Ink", "夜桜色の万年筆インク。Fountain pen ink in a night-sakura purple.", []string{"ink"}, inkBottle)),
	}
}

func sakuraShop(st Store) Store {
	st.Description = "京都の文房具店。Stationery from Kyoto, shipped worldwide."
	st.PrimaryURL = "https://sakura-stationery.example"
	st.ContactEmail = "hello@sakura-stationery.example"
	st.Currencies = []string{"JPY", "USD"}
	st.ShipsTo = []string{"JP", "US", "GB", "SE", "DE", "FR", "AU"}
	st.Wallets = []string{"SHOPIFY_PAY", "APPLE_PAY"}
	st.Policies = []ShopPolicy{{Type: "SHIPPING_POLICY", Title: "配送について Shipping"}, {Type: "REFUND_POLICY", Title: "返品について Returns"}}
	return st
}

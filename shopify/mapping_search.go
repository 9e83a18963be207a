package shopify

import "shopcard/domain"

// mapFoundOrder converts an order found by name: the sidebar's summary
// through mapOrder, as for every other order, and what OrderParties and
// OrderAftercare add beside it.
func mapFoundOrder(n *OrdersByNameOrdersOrderConnectionNodesOrder) domain.FoundOrder {
	f := domain.FoundOrder{
		Order: mapOrder(&n.OrderSummary),
		Email: deref(n.Email),
	}
	if c := n.Customer; c != nil {
		f.CustomerID = uint64(c.LegacyResourceId)
		if c.DefaultEmailAddress != nil {
			f.CustomerEmail = c.DefaultEmailAddress.EmailAddress
		}
	}
	if a := n.ShippingAddress; a != nil {
		f.ShippingAddress = &domain.Address{
			Name: deref(a.Name), Address1: deref(a.Address1), Address2: deref(a.Address2), City: deref(a.City),
			Province: deref(a.Province), Zip: deref(a.Zip), Country: deref(a.Country), CountryCode: string(deref(a.CountryCodeV2)),
		}
	}
	for _, r := range n.Refunds {
		f.Refunds = append(f.Refunds, domain.Refund{
			CreatedAt: deref(r.CreatedAt),
			Amount:    money(r.TotalRefundedSet.ShopMoney.Amount, r.TotalRefundedSet.ShopMoney.CurrencyCode),
		})
	}
	return f
}

func mapProduct(p SearchProductsProductsProductConnectionNodesProduct) domain.Product {
	out := domain.Product{
		ID: p.Id, LegacyResourceID: uint64(p.LegacyResourceId), Title: p.Title, Handle: p.Handle,
		Vendor: p.Vendor, ProductType: p.ProductType, Description: p.Description, URL: deref(p.OnlineStoreUrl),
		MinPrice: domain.Money{Amount: p.PriceRangeV2.MinVariantPrice.Amount, Currency: string(p.PriceRangeV2.MinVariantPrice.CurrencyCode)},
		MaxPrice: domain.Money{Amount: p.PriceRangeV2.MaxVariantPrice.Amount, Currency: string(p.PriceRangeV2.MaxVariantPrice.CurrencyCode)},
	}
	for _, v := range p.Variants.Nodes {
		// A variant's price is in the shop's currency, as the range is.
		out.Variants = append(out.Variants, domain.Variant{
			Title: v.Title, Price: domain.Money{Amount: v.Price, Currency: out.MinPrice.Currency}, Available: v.AvailableForSale,
		})
	}
	return out
}

func mapShopDetails(s *ShopDetailsShop) *domain.ShopDetails {
	out := &domain.ShopDetails{
		Name: s.Name, Domain: s.MyshopifyDomain, Description: deref(s.Description), URL: s.PrimaryDomain.Url,
		ContactEmail: s.ContactEmail, Currency: string(s.CurrencyCode),
	}
	for _, c := range s.EnabledPresentmentCurrencies {
		out.Currencies = append(out.Currencies, string(c))
	}
	for _, c := range s.ShipsToCountries {
		out.ShipsTo = append(out.ShipsTo, string(c))
	}
	for _, w := range s.PaymentSettings.SupportedDigitalWallets {
		out.Wallets = append(out.Wallets, string(w))
	}
	for _, p := range s.ShopPolicies {
		out.Policies = append(out.Policies, domain.ShopPolicy{Type: string(p.Type), Title: p.Title, URL: p.Url})
	}
	return out
}

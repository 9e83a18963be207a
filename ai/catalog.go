package ai

import (
	"context"
	"fmt"
	"strings"

	"shopcard/domain"
	"shopcard/present"
	"shopcard/shopify"
)

// searchProducts is search_products: Shopify's own product search in
// every store that granted read_products (or the one named), each
// keyword quoted so that search syntax in the query can only narrow it.
func (s *Service) searchProducts(ctx context.Context, all []domain.Store, args SearchProductsArgs) (Result, int) {
	keywords, err := shopify.NormalizeProductKeywords(args.Query)
	if err != nil {
		return failed(CodeInvalidArguments, domain.MessageOf(err)), 0
	}
	limit := args.Limit
	if limit == 0 {
		limit = defaultProductLimit
	}
	stores, e := pickStores(all, args.Store)
	if e != nil {
		return Result{Text: e.Message, Err: e}, 0
	}
	granting, missing, e := withScope(stores, shopify.ScopeProducts, SearchProducts, args.Store != "")
	if e != nil {
		return Result{Text: e.Message, Err: e}, 0
	}
	answers := inEachStore(ctx, s.StoreTimeout, granting, func(ctx context.Context, st domain.Store) (*domain.ProductResults, error) {
		return s.Lookups.SearchProducts(ctx, st, keywords)
	})
	out := ProductSearchResult{Query: keywords}
	var failures []StoreAnswer
	var b strings.Builder
	for _, a := range answers {
		if a.err != nil {
			sa := unavailable(a.store, a.err)
			failures = append(failures, sa)
			out.Stores = append(out.Stores, ProductSearchStore{StoreAnswer: sa})
			continue
		}
		res := ProductSearchStore{StoreAnswer: answerOf(a.store, OutcomeNoMatch)}
		for _, p := range a.value.Products {
			if len(res.Products) == limit {
				break
			}
			res.Products = append(res.Products, productOf(p))
		}
		if len(res.Products) > 0 {
			res.Outcome = OutcomeFound
			stale(&res.StoreAnswer, a.value.Stale, a.value.FetchedAt)
		}
		out.Stores = append(out.Stores, res)
	}
	for _, st := range missing {
		out.Stores = append(out.Stores, ProductSearchStore{StoreAnswer: notGranted(st, shopify.ScopeProducts)})
	}
	if allFailed(answers) {
		return noAnswer(failures), len(granting)
	}
	for _, st := range out.Stores {
		if b.Len() > 0 {
			b.WriteString("\n\n")
		}
		switch st.Outcome {
		case OutcomeFound:
			fmt.Fprintf(&b, "%s (%s):", st.StoreName, st.Store)
			if st.Stale {
				fmt.Fprintf(&b, " (as of %s; Shopify didn't answer just now)", st.AsOf)
			}
			for _, p := range st.Products {
				avail := "in stock"
				if !p.Available {
					avail = "sold out"
				}
				fmt.Fprintf(&b, "\n- %s: %s, %s", p.Title, p.Price, avail)
				if p.URL != "" {
					fmt.Fprintf(&b, ", %s", p.URL)
				}
				if p.Description != "" {
					fmt.Fprintf(&b, ". %s", p.Description)
				}
			}
		case OutcomeNoMatch:
			fmt.Fprintf(&b, "%s (%s): no product matches %q.", st.StoreName, st.Store, keywords)
		default:
			fmt.Fprintf(&b, "%s (%s): %s", st.StoreName, st.Store, st.Message)
		}
	}
	return Result{Text: b.String(), Structured: out}, len(granting)
}

func productOf(p domain.Product) Product {
	out := Product{
		Title: p.Title, Vendor: p.Vendor, Type: p.ProductType, Description: p.Description, URL: present.SafeLink(p.URL),
		MinPrice: money(p.MinPrice), MaxPrice: money(p.MaxPrice), Available: p.Available(),
	}
	out.Price = out.MinPrice.Text
	if p.MaxPrice.Amount != p.MinPrice.Amount {
		out.Price = strings.TrimSuffix(out.MinPrice.Text, " "+p.MinPrice.Currency) + "–" + out.MaxPrice.Text
	}
	for _, v := range p.Variants {
		out.Variants = append(out.Variants, Variant{Title: v.Title, Price: money(v.Price), Available: v.Available})
	}
	return out
}

// shopDetails is get_shop_details, for every store that granted
// read_products (or the one named).
func (s *Service) shopDetails(ctx context.Context, all []domain.Store, args ShopDetailsArgs) (Result, int) {
	stores, e := pickStores(all, args.Store)
	if e != nil {
		return Result{Text: e.Message, Err: e}, 0
	}
	granting, missing, e := withScope(stores, shopify.ScopeProducts, GetShopDetails, args.Store != "")
	if e != nil {
		return Result{Text: e.Message, Err: e}, 0
	}
	answers := inEachStore(ctx, s.StoreTimeout, granting, func(ctx context.Context, st domain.Store) (*domain.ShopDetails, error) {
		return s.Lookups.ShopDetails(ctx, st)
	})
	var out ShopDetailsResult
	var failures []StoreAnswer
	for _, a := range answers {
		if a.err != nil {
			sa := unavailable(a.store, a.err)
			failures = append(failures, sa)
			out.Stores = append(out.Stores, ShopDetailsStore{StoreAnswer: sa})
			continue
		}
		res := ShopDetailsStore{StoreAnswer: answerOf(a.store, OutcomeFound), Shop: shopOf(a.value)}
		stale(&res.StoreAnswer, a.value.Stale, a.value.FetchedAt)
		out.Stores = append(out.Stores, res)
	}
	for _, st := range missing {
		out.Stores = append(out.Stores, ShopDetailsStore{StoreAnswer: notGranted(st, shopify.ScopeProducts)})
	}
	if allFailed(answers) {
		return noAnswer(failures), len(granting)
	}
	var b strings.Builder
	for _, st := range out.Stores {
		if b.Len() > 0 {
			b.WriteString("\n\n")
		}
		if st.Shop == nil {
			fmt.Fprintf(&b, "%s (%s): %s", st.StoreName, st.Store, st.Message)
			continue
		}
		sh := st.Shop
		fmt.Fprintf(&b, "%s (%s), %s", sh.Name, st.Store, sh.URL)
		if sh.Description != "" {
			fmt.Fprintf(&b, ": %s", sh.Description)
		}
		fmt.Fprintf(&b, "\nCurrency %s (customers pay in %s).", sh.Currency, strings.Join(sh.Currencies, ", "))
		if len(sh.ShipsTo) > 0 {
			fmt.Fprintf(&b, " Ships to %s.", strings.Join(sh.ShipsTo, ", "))
		} else {
			b.WriteString(" Ships to no country listed.")
		}
		if len(sh.PaymentMethods) > 0 {
			fmt.Fprintf(&b, " Checkout takes %s.", strings.Join(sh.PaymentMethods, ", "))
		}
		if sh.ContactEmail != "" {
			fmt.Fprintf(&b, " Contact: %s.", sh.ContactEmail)
		}
		for _, p := range sh.Policies {
			fmt.Fprintf(&b, "\n%s: %s", p.Title, p.URL)
		}
		if st.Stale {
			fmt.Fprintf(&b, "\n(As of %s; Shopify didn't answer just now.)", st.AsOf)
		}
	}
	return Result{Text: b.String(), Structured: out}, len(granting)
}

// walletWords are the digital wallets as checkout names them.
var walletWords = map[string]string{
	"APPLE_PAY":    "Apple Pay",
	"ANDROID_PAY":  "Android Pay",
	"GOOGLE_PAY":   "Google Pay",
	"SHOPIFY_PAY":  "Shop Pay",
	"FACEBOOK_PAY": "Facebook Pay",
	"AMAZON_PAY":   "Amazon Pay",
}

func shopOf(d *domain.ShopDetails) *Shop {
	sh := &Shop{
		Name: d.Name, Description: d.Description, URL: present.SafeLink(d.URL), ContactEmail: d.ContactEmail, Currency: d.Currency,
		Currencies: nonNilStrings(d.Currencies), ShipsTo: nonNilStrings(d.ShipsTo), PaymentMethods: []string{},
	}
	for _, w := range d.Wallets {
		if words, ok := walletWords[w]; ok {
			sh.PaymentMethods = append(sh.PaymentMethods, words)
		} else {
			sh.PaymentMethods = append(sh.PaymentMethods, w)
		}
	}
	for _, p := range d.Policies {
		if u := present.SafeLink(p.URL); u != "" {
			sh.Policies = append(sh.Policies, Policy{Type: p.Type, Title: p.Title, URL: u})
		}
	}
	return sh
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

package fakeshopify

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	graphql "github.com/graph-gophers/graphql-go"
)

// Product is something a store sells. AddProduct fills in the defaults
// noted on each field.
type Product struct {
	// ID is the product's legacyResourceId; zero asks AddProduct for one.
	ID    uint64
	Title string
	// Handle names the product in storefront URLs; it defaults to the
	// title's words, lowercased and joined with hyphens.
	Handle      string
	Description string // plain text
	Vendor      string
	ProductType string
	Tags        []string
	// Status is a ProductStatus; it defaults to "ACTIVE".
	Status string
	// Published puts an active product on the online store, where its
	// page is the store's PrimaryURL + "/products/" + Handle.
	Published bool
	// Variants are the buyable versions, in position order; a product has
	// at least one (AddProduct adds "Default Title" at Price otherwise).
	Variants []Variant
	// Price is the price of the default variant a product without
	// Variants gets.
	Price string
}

// Variant is one buyable version of a product, priced in the shop
// currency.
type Variant struct {
	Title     string
	Price     string // a decimal string such as "189.00"
	Available bool
}

// AddProduct adds a product to a store, filling in Product's defaults.
func (s *Server) AddProduct(shop string, p Product) (Product, error) {
	p = p.clone()
	if p.Title == "" {
		return Product{}, fmt.Errorf("fakeshopify: %s: a product needs a title", shop)
	}
	if p.Handle == "" {
		p.Handle = strings.Join(words(p.Title), "-")
	}
	if p.Status == "" {
		p.Status = "ACTIVE"
	}
	if err := checkEnum("ProductStatus", p.Status, false); err != nil {
		return Product{}, fmt.Errorf("fakeshopify: %s: product %q: %w", shop, p.Title, err)
	}
	if len(p.Variants) == 0 {
		p.Variants = []Variant{{Title: "Default Title", Price: p.Price, Available: true}}
	}
	for _, v := range p.Variants {
		if _, err := parseAmount(v.Price); err != nil {
			return Product{}, fmt.Errorf("fakeshopify: %s: product %q variant %q: %w", shop, p.Title, v.Title, err)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.storeLocked(shop)
	if err != nil {
		return Product{}, err
	}
	if p.ID == 0 {
		p.ID = s.nextProductID
		s.nextProductID++
	}
	if _, taken := st.products[p.ID]; taken {
		return Product{}, fmt.Errorf("fakeshopify: %s already has product %d", st.info.Domain, p.ID)
	}
	stored := p.clone()
	st.products[p.ID] = &stored
	return p, nil
}

// Products lists a store's products by ID.
func (s *Server) Products(shop string) []Product {
	s.mu.RLock()
	defer s.mu.RUnlock()
	st, err := s.storeLocked(shop)
	if err != nil {
		return nil
	}
	out := make([]Product, 0, len(st.products))
	for _, p := range st.products {
		out = append(out, p.clone())
	}
	slices.SortFunc(out, func(a, b Product) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

func (p Product) clone() Product {
	p.Tags = slices.Clone(p.Tags)
	p.Variants = slices.Clone(p.Variants)
	return p
}

// productsMatcher compiles a products(query:) search string
// (searchsyntax.go) into a predicate over products. It understands:
//
//   - bare values (Shopify's default field): the value's words, in order,
//     among the words of the title, vendor, product type, tags or a
//     variant's title, ignoring case; an unquoted value ending in * matches
//     the beginning of the last word. "green hoodie" quoted is a phrase;
//     green hoodie unquoted is two terms, both required.
//   - title: a phrase of the title, the same way;
//   - status: a comma-separated list of ProductStatus values, any case;
//   - vendor:, product_type: and tag: the whole value, ignoring case;
//
// each with ":", combined with AND, OR, NOT, - and parentheses as Shopify
// reads them. When the query names no status, only active products match,
// as on Shopify. Anything else is refused loudly.
func productsMatcher(q string) (func(*Product) bool, error) {
	n, err := parseSearch(q)
	if err != nil {
		return nil, unsupportedSearch("products", q, "it does not parse")
	}
	namesStatus := false
	match, err := compileSearch(n, func(t searchTerm, p *Product) (bool, error) {
		if t.comparator != ":" && t.field != "" {
			return false, unsupportedSearch("products", q, "only the : comparator")
		}
		switch t.field {
		case "":
			phrase := words(t.value)
			for _, text := range p.searchable() {
				if containsPhrase(words(text), phrase, t.prefix) {
					return true, nil
				}
			}
			return false, nil
		case "title":
			return containsPhrase(words(p.Title), words(t.value), t.prefix), nil
		case "status":
			namesStatus = true
			for _, s := range strings.Split(t.value, ",") {
				if strings.EqualFold(strings.TrimSpace(s), p.Status) {
					return true, nil
				}
			}
			return false, nil
		case "vendor":
			return strings.EqualFold(p.Vendor, t.value), nil
		case "product_type":
			return strings.EqualFold(p.ProductType, t.value), nil
		case "tag":
			return slices.ContainsFunc(p.Tags, func(tag string) bool { return strings.EqualFold(tag, t.value) }), nil
		}
		return false, unsupportedSearch("products", q, "only bare words and title:, status:, vendor:, product_type: and tag: terms")
	}, &Product{})
	if err != nil {
		return nil, err
	}
	if !namesStatus {
		return func(p *Product) bool { return p.Status == "ACTIVE" && match(p) }, nil
	}
	return match, nil
}

// searchable is the text the default field searches.
func (p *Product) searchable() []string {
	out := []string{p.Title, p.Vendor, p.ProductType}
	out = append(out, p.Tags...)
	for _, v := range p.Variants {
		out = append(out, v.Title)
	}
	return out
}

// relevance scores a product for sortKey RELEVANCE: how many of the
// query's bare words its title holds.
func relevance(q string, p *Product) int {
	n, err := parseSearch(q)
	if err != nil {
		return 0
	}
	title := words(p.Title)
	score := 0
	var walk func(searchNode)
	walk = func(n searchNode) {
		switch n := n.(type) {
		case searchAnd:
			for _, c := range n {
				walk(c)
			}
		case searchOr:
			for _, c := range n {
				walk(c)
			}
		case searchTerm:
			if n.field == "" && containsPhrase(title, words(n.value), n.prefix) {
				score++
			}
		}
	}
	walk(n)
	return score
}

// productsArgs are QueryRoot.products' arguments.
type productsArgs struct {
	First   *int32
	After   *string
	Last    *int32
	Before  *string
	Reverse bool
	SortKey string
	Query   *string
}

// Products resolves QueryRoot.products: Shopify's product search, which
// needs read_products. Without a query only active products come back.
func (*queryResolver) Products(ctx context.Context, args productsArgs) (*productConnectionResolver, error) {
	sc := scopeFrom(ctx)
	if !sc.has("read_products") {
		return nil, accessDenied("products", "read_products")
	}
	q := ""
	if args.Query != nil {
		q = *args.Query
	}
	match := func(p *Product) bool { return p.Status == "ACTIVE" }
	if strings.TrimSpace(q) != "" {
		var err error
		if match, err = productsMatcher(q); err != nil {
			return nil, err
		}
	}
	sc.srv.mu.RLock()
	var found []*Product
	for _, p := range sc.st.products {
		if match(p) {
			found = append(found, p)
		}
	}
	sc.srv.mu.RUnlock()
	var by func(a, b *Product) int
	switch args.SortKey {
	case "ID":
		by = func(a, b *Product) int { return 0 }
	case "TITLE":
		by = func(a, b *Product) int { return strings.Compare(a.Title, b.Title) }
	case "RELEVANCE":
		by = func(a, b *Product) int { return cmp.Compare(relevance(q, b), relevance(q, a)) }
	default:
		return nil, unsupported("products(sortKey: " + args.SortKey + ")")
	}
	slices.SortFunc(found, func(a, b *Product) int {
		c := cmp.Or(by(a, b), cmp.Compare(a.ID, b.ID))
		if args.Reverse {
			return -c
		}
		return c
	})
	page, err := pageOf(found, args.First, args.Last, args.After, args.Before)
	if err != nil {
		return nil, err
	}
	return &productConnectionResolver{sc: sc, products: page}, nil
}

// productConnectionResolver resolves ProductConnection.
type productConnectionResolver struct {
	sc       *requestScope
	products []*Product
}

func (r *productConnectionResolver) Nodes() []*productResolver {
	out := make([]*productResolver, len(r.products))
	for i, p := range r.products {
		out[i] = &productResolver{sc: r.sc, p: p}
	}
	return out
}

// productResolver resolves Product. p is an immutable record.
type productResolver struct {
	sc *requestScope
	p  *Product
}

func (r *productResolver) ID() graphql.ID                  { return gid("Product", r.p.ID) }
func (r *productResolver) LegacyResourceID() unsignedInt64 { return unsignedInt64(r.p.ID) }
func (r *productResolver) Title() string                   { return r.p.Title }
func (r *productResolver) Handle() string                  { return r.p.Handle }
func (r *productResolver) Vendor() string                  { return r.p.Vendor }
func (r *productResolver) ProductType() string             { return r.p.ProductType }
func (r *productResolver) Status() string                  { return r.p.Status }

// Description is the plain-text description, cut after truncateAt
// characters with an ellipsis, as Shopify does.
func (r *productResolver) Description(args struct{ TruncateAt *int32 }) string {
	d := r.p.Description
	if args.TruncateAt != nil && *args.TruncateAt >= 0 && utf8.RuneCountInString(d) > int(*args.TruncateAt) {
		runes := []rune(d)
		d = strings.TrimSpace(string(runes[:*args.TruncateAt])) + "…"
	}
	return d
}

// OnlineStoreURL is the product's page, when it is active and published.
func (r *productResolver) OnlineStoreURL() *url {
	if !r.p.Published || r.p.Status != "ACTIVE" {
		return nil
	}
	u := url(r.sc.shop.PrimaryURL + "/products/" + r.p.Handle)
	return &u
}

func (r *productResolver) PriceRangeV2() *priceRangeResolver {
	var lo, hi amount
	for i, v := range r.p.Variants {
		p, _ := parseAmount(v.Price) // validated when stored
		if i == 0 || p < lo {
			lo = p
		}
		if i == 0 || p > hi {
			hi = p
		}
	}
	cur := r.sc.shop.Currency
	return &priceRangeResolver{min: &moneyResolver{amount: lo, currency: cur}, max: &moneyResolver{amount: hi, currency: cur}}
}

// variantsArgs are Product.variants' arguments.
type variantsArgs struct {
	First   *int32
	After   *string
	Last    *int32
	Before  *string
	Reverse bool
	SortKey string
}

func (r *productResolver) Variants(args variantsArgs) (*variantConnectionResolver, error) {
	if args.SortKey != "POSITION" {
		return nil, unsupported("Product.variants(sortKey: " + args.SortKey + ")")
	}
	vs := make([]*Variant, len(r.p.Variants))
	for i := range r.p.Variants {
		vs[i] = &r.p.Variants[i]
	}
	if args.Reverse {
		reverse(vs)
	}
	page, err := pageOf(vs, args.First, args.Last, args.After, args.Before)
	if err != nil {
		return nil, err
	}
	return &variantConnectionResolver{variants: page}, nil
}

// priceRangeResolver resolves ProductPriceRangeV2.
type priceRangeResolver struct{ min, max *moneyResolver }

func (r *priceRangeResolver) MinVariantPrice() *moneyResolver { return r.min }
func (r *priceRangeResolver) MaxVariantPrice() *moneyResolver { return r.max }

// variantConnectionResolver resolves ProductVariantConnection.
type variantConnectionResolver struct{ variants []*Variant }

func (r *variantConnectionResolver) Nodes() []*variantResolver {
	out := make([]*variantResolver, len(r.variants))
	for i, v := range r.variants {
		out[i] = &variantResolver{v: v}
	}
	return out
}

// variantResolver resolves ProductVariant.
type variantResolver struct{ v *Variant }

func (r *variantResolver) Title() string          { return r.v.Title }
func (r *variantResolver) AvailableForSale() bool { return r.v.Available }

func (r *variantResolver) Price() money {
	p, _ := parseAmount(r.v.Price) // validated when stored
	return money(p.String())
}

package shopify

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"shopcard/domain"
)

// Lookups by an order's name, by product keywords and of the shop itself.
// Whatever a rep or an agent typed reaches Shopify only inside a quoted,
// escaped value of a search string that travels as a GraphQL variable
// (searchValue), and the answers are checked again here: only orders with
// exactly the name asked for, only active products.

// OrdersPerName is how many orders OrdersByName fetches for one name; it
// must match operations.graphql.
const OrdersPerName = 5

// ProductsPerSearch is how many products SearchProducts fetches; it must
// match operations.graphql. Callers show fewer by taking the first ones,
// which keeps the query, and so its requested cost, fixed.
const ProductsPerSearch = 10

// maxOrderName bounds an order name: Shopify's prefix and suffix are short,
// so anything longer is not one.
const maxOrderName = 64

// Product keyword bounds: a search is a few words, not a document.
const (
	maxKeywords      = 10
	maxKeywordLength = 60
)

// searchValue quotes a value for Shopify's search syntax: in double
// quotes, with \ and " escaped, so that nothing inside it (quotes,
// backslashes, colons, parentheses, OR, AND, NOT, -, *) is read as syntax.
func searchValue(v string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(v) + `"`
}

// NormalizeOrderName reads an order number as a rep or an agent types it
// ("#1042", "1042", " uk-1003 ") and returns the name to look for without
// its leading "#": "1042", "uk-1003". Shopify names orders with the
// store's prefix (by default "#") before the number, so "#1042" and "1042"
// are the same order.
func NormalizeOrderName(raw string) (string, error) {
	n := strings.TrimSpace(raw)
	n = strings.TrimSpace(strings.TrimPrefix(n, "#"))
	if n == "" {
		return "", domain.Errorf(domain.KindInvalid, "Enter an order number, such as #1042 or UK-1003.")
	}
	if utf8.RuneCountInString(n) > maxOrderName {
		return "", domain.Errorf(domain.KindInvalid, "That is longer than any order number (%d characters at most).", maxOrderName)
	}
	for _, r := range n {
		if unicode.IsControl(r) || r == utf8.RuneError {
			return "", domain.Errorf(domain.KindInvalid, "An order number can't contain control characters.")
		}
	}
	return n, nil
}

// OrderNameQuery is the orders(query:) search string for an order name
// from NormalizeOrderName: the name with and without the "#" Shopify's
// default prefix adds, each quoted and escaped. Both forms are asked for
// because a name such as "UK-1003" has no "#", while "1042" is stored as
// "#1042".
func OrderNameQuery(name string) string {
	return "name:" + searchValue("#"+name) + " OR name:" + searchValue(name)
}

// SameOrderName reports whether an order Shopify returned has the name
// asked for (from NormalizeOrderName), ignoring ASCII case and the "#"
// prefix: Shopify's search is its own to interpret, and a search must
// never show an order by a name that was not asked for.
func SameOrderName(orderName, name string) bool {
	return asciiEqualFold(orderName, name) || asciiEqualFold(orderName, "#"+name)
}

// asciiEqualFold compares ignoring the case of ASCII letters only: order
// names are codes, and Unicode case folding would let other characters
// stand in for letters.
func asciiEqualFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// FindOrders fetches the orders named name (from NormalizeOrderName) in a
// store, newest first, and keeps only those whose name is exactly name.
// A store without such an order gives an empty answer and no error.
func (c *Client) FindOrders(ctx context.Context, store domain.Store, name string) (*domain.OrderMatches, error) {
	call := &shopCall{c: c, shop: store.Domain, token: store.AccessToken}
	resp, err := OrdersByName(ctx, call, OrderNameQuery(name))
	var partial *PartialError
	switch {
	case errors.As(err, &partial):
		if slices.Contains(partial.Paths, "orders") {
			return nil, domain.Errorf(domain.KindShopifyForbidden, "Shopify denied access to orders: the app needs the read_orders scope. An admin should reconnect the store.")
		}
	case err != nil:
		return nil, fmt.Errorf("find order %s in %s: %w", name, store.Domain, err)
	}
	out := &domain.OrderMatches{FetchedAt: c.now(), Cost: call.actualCost()}
	if partial != nil {
		out.Withheld = withheldFields(partial.Paths)
	}
	if resp == nil {
		return out, nil
	}
	for i := range resp.Orders.Nodes {
		n := &resp.Orders.Nodes[i]
		if !SameOrderName(n.Name, name) {
			continue
		}
		out.Orders = append(out.Orders, mapFoundOrder(n))
	}
	return out, nil
}

// withheldFields names the protected fields Shopify withheld, once each,
// by the last part of their paths ("orders.nodes.0.email" is "email").
func withheldFields(paths []string) []string {
	var out []string
	for _, p := range paths {
		field := p[strings.LastIndexByte(p, '.')+1:]
		if _, err := strconv.Atoi(field); err == nil {
			continue
		}
		if !slices.Contains(out, field) {
			out = append(out, field)
		}
	}
	return out
}

// actualCost is what Shopify charged for the call, when it said.
func (s *shopCall) actualCost() int {
	if s.cost != nil && s.cost.ActualQueryCost != nil {
		return *s.cost.ActualQueryCost
	}
	return 0
}

// NormalizeProductKeywords reads what an agent asks Shopify's product
// search for and returns the keywords as the search will use them:
// lowercased (the search ignores case), one space apart. At least one
// keyword and at most a handful, each of a reasonable length.
func NormalizeProductKeywords(raw string) (string, error) {
	words := strings.Fields(raw)
	if len(words) == 0 {
		return "", domain.Errorf(domain.KindInvalid, "Give at least one keyword to search products for.")
	}
	if len(words) > maxKeywords {
		return "", domain.Errorf(domain.KindInvalid, "Search with at most %d keywords.", maxKeywords)
	}
	for i, w := range words {
		if utf8.RuneCountInString(w) > maxKeywordLength {
			return "", domain.Errorf(domain.KindInvalid, "Each keyword can be at most %d characters long.", maxKeywordLength)
		}
		for _, r := range w {
			if unicode.IsControl(r) || r == utf8.RuneError {
				return "", domain.Errorf(domain.KindInvalid, "Keywords can't contain control characters.")
			}
		}
		words[i] = strings.ToLower(w)
	}
	return strings.Join(words, " "), nil
}

// ProductSearchQuery is the products(query:) search string for keywords
// from NormalizeProductKeywords: active products only, and each keyword
// as a quoted, escaped term that every result must match. A keyword that
// looks like syntax ("OR", "*", "title:x", "(") is only a word to look
// for, so it can narrow a search but never widen it.
func ProductSearchQuery(keywords string) string {
	var b strings.Builder
	b.WriteString("status:active")
	for _, w := range strings.Fields(keywords) {
		b.WriteByte(' ')
		b.WriteString(searchValue(w))
	}
	return b.String()
}

// SearchProducts runs Shopify's product search in a store for keywords
// from NormalizeProductKeywords and returns the active products it found,
// most relevant first. Without read_products Shopify denies the search,
// which comes back as a missing-scope error naming it.
func (c *Client) SearchProducts(ctx context.Context, store domain.Store, keywords string) (*domain.ProductResults, error) {
	call := &shopCall{c: c, shop: store.Domain, token: store.AccessToken}
	resp, err := SearchProducts(ctx, call, ProductSearchQuery(keywords))
	var partial *PartialError
	switch {
	case errors.As(err, &partial):
		if slices.Contains(partial.Paths, "products") {
			return nil, domain.Errorf(domain.KindShopifyForbidden, "Shopify denied access to products: the app needs the %s scope. An admin should reconnect the store with it.", ScopeProducts)
		}
	case err != nil:
		return nil, fmt.Errorf("search products in %s: %w", store.Domain, err)
	}
	out := &domain.ProductResults{FetchedAt: c.now(), Cost: call.actualCost()}
	if resp == nil {
		return out, nil
	}
	for _, p := range resp.Products.Nodes {
		// The search asked for active products; a draft or an archived
		// product is not for customers whatever Shopify sent.
		if p.Status != ProductStatusActive {
			continue
		}
		out.Products = append(out.Products, mapProduct(p))
	}
	return out, nil
}

// ShopDetails fetches what a customer may ask about the shop itself.
func (c *Client) ShopDetails(ctx context.Context, store domain.Store) (*domain.ShopDetails, error) {
	call := &shopCall{c: c, shop: store.Domain, token: store.AccessToken}
	resp, err := ShopDetails(ctx, call)
	var partial *PartialError
	if err != nil && !errors.As(err, &partial) {
		return nil, fmt.Errorf("shop details of %s: %w", store.Domain, err)
	}
	if resp == nil {
		return nil, domain.Errorf(domain.KindShopifyUnavailable, "Shopify sent no shop details.")
	}
	out := mapShopDetails(&resp.Shop)
	out.FetchedAt, out.Cost = c.now(), call.actualCost()
	return out, nil
}

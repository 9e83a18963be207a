package shopify

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"shopcard/domain"
)

// OrdersPerCustomer is how many of a customer's newest orders we fetch; it
// must match operations.graphql.
const OrdersPerCustomer = 50

// GuestOrdersPerEmail is how many guest-checkout orders we fetch for an
// email that matches no customer; it must match operations.graphql.
const GuestOrdersPerEmail = 25

// EmailQuery is the orders(query:) search string that finds the orders
// placed with exactly this email, in Shopify's search syntax: the field
// name, then the value in double quotes with \ and " escaped, so that
// nothing in an email (quotes, backslashes, colons, parentheses, OR, *)
// can become search syntax. It travels as a GraphQL variable.
func EmailQuery(email string) string {
	escaped := strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(email)
	return `email:"` + escaped + `"`
}

// LookupCustomer fetches the customer with this email in the store, and
// their newest orders, in one request. When no customer matches, a second
// request looks for orders placed with the email by guest checkout. A
// store with neither gives a result with a nil Customer, no guest orders
// and no error.
func (c *Client) LookupCustomer(ctx context.Context, store domain.Store, email string) (*domain.CustomerOrders, error) {
	call := &shopCall{c: c, shop: store.Domain, token: store.AccessToken}
	resp, err := CustomerWithOrders(ctx, call, email)
	var partial *PartialError
	switch {
	case errors.As(err, &partial):
		if reason := deniedScope(partial.Paths); reason != nil {
			return nil, reason
		}
	case err != nil:
		return nil, fmt.Errorf("look up customer in %s: %w", store.Domain, err)
	}
	out := mapCustomerOrders(resp)
	out.FetchedAt = c.now()
	if call.cost != nil && call.cost.ActualQueryCost != nil {
		out.Cost = *call.cost.ActualQueryCost
	}
	if partial != nil {
		for _, p := range partial.Paths {
			field := p[strings.LastIndexByte(p, '.')+1:]
			if !slices.Contains(out.Withheld, field) {
				out.Withheld = append(out.Withheld, field)
			}
		}
	}
	if out.Customer == nil {
		guests, withheld, cost, err := c.guestOrders(ctx, store, email)
		if err != nil {
			return nil, err
		}
		out.GuestOrders, out.GuestsWithheld = guests, withheld
		out.Cost += cost
		out.FetchedAt = c.now()
	}
	return out, nil
}

// guestOrders finds the orders placed with email that Shopify's search
// returns, and keeps only those whose email is exactly email: the search
// is Shopify's to interpret, and a contact must never see another person's
// orders. Orders whose email Shopify withheld (protected customer data)
// cannot be checked, so they are left out too.
//
// It also counts the orders whose email Shopify withheld, so the rep can be
// told rather than shown "no customer".
func (c *Client) guestOrders(ctx context.Context, store domain.Store, email string) ([]domain.Order, int, int, error) {
	call := &shopCall{c: c, shop: store.Domain, token: store.AccessToken}
	resp, err := GuestOrders(ctx, call, EmailQuery(email))
	var partial *PartialError
	switch {
	case errors.As(err, &partial):
		for _, p := range partial.Paths {
			if p == "orders" {
				return nil, 0, 0, domain.Errorf(domain.KindShopifyForbidden, "Shopify denied access to orders (ACCESS_DENIED): the app lacks the read_orders scope. Grant read_orders to the app in Shopify, then test the connection again.")
			}
		}
	case err != nil:
		return nil, 0, 0, fmt.Errorf("look up guest orders in %s: %w", store.Domain, err)
	}
	cost := 0
	if call.cost != nil && call.cost.ActualQueryCost != nil {
		cost = *call.cost.ActualQueryCost
	}
	want := ComparableEmail(email)
	var out []domain.Order
	withheld := 0
	for i := range resp.Orders.Nodes {
		n := &resp.Orders.Nodes[i]
		if n.Email == nil {
			if partial != nil {
				withheld++
			}
			continue
		}
		if ComparableEmail(*n.Email) != want {
			continue
		}
		out = append(out, mapOrder(&n.OrderSummary))
	}
	return out, withheld, cost, nil
}

// ComparableEmail is an email as Shopify compares it: ASCII letters
// lowercased, with no ASCII whitespace anywhere. Nothing outside ASCII is
// mapped: Unicode lowercasing would turn the Kelvin sign into "k" and let
// a lookalike address's orders show as the contact's.
func ComparableEmail(s string) string {
	return domain.ASCIILower(strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '\n', '\v', '\f', '\r':
			return -1
		}
		return r
	}, s))
}

// deniedScope turns ACCESS_DENIED on a whole customer or on its orders into
// a missing-scope error; denials on single fields are protected data that
// the caller shows as withheld.
func deniedScope(paths []string) error {
	for _, p := range paths {
		switch {
		case p == "customer":
			return domain.Errorf(domain.KindShopifyForbidden, "Shopify denied access to customers (ACCESS_DENIED): the app lacks the read_customers scope. Grant read_customers to the app in Shopify, then test the connection again.")
		case strings.HasPrefix(p, "customer.orders"):
			return domain.Errorf(domain.KindShopifyForbidden, "Shopify denied access to orders (ACCESS_DENIED): the app lacks the read_orders scope. Grant read_orders to the app in Shopify, then test the connection again.")
		}
	}
	return nil
}

// LookupOrder fetches one order's detail (OrderDetail) by its legacy ID.
// An order the store doesn't have is a KindNotFound error. Protected
// fields Shopify withholds (the email, the shipping address) come back
// empty and named in Withheld; returns Shopify denies for want of
// read_returns come back as ReturnsDenied; the rest arrives.
func (c *Client) LookupOrder(ctx context.Context, store domain.Store, orderID uint64) (*domain.OrderDetail, error) {
	call := &shopCall{c: c, shop: store.Domain, token: store.AccessToken}
	withReturns := HasScope(store.Scopes, ScopeReturns)
	resp, err := OrderDetail(ctx, call, "gid://shopify/Order/"+strconv.FormatUint(orderID, 10), withReturns)
	var partial *PartialError
	var withheld []string
	returnsDenied := !withReturns
	switch {
	case errors.As(err, &partial):
		for _, p := range partial.Paths {
			switch {
			case p == "order":
				return nil, domain.Errorf(domain.KindShopifyForbidden, "Shopify denied access to orders (ACCESS_DENIED): the app lacks the read_orders scope. Grant read_orders to the app in Shopify, then test the connection again.")
			case p == "order.returns" || strings.HasPrefix(p, "order.returns."):
				returnsDenied = true
			default:
				field := p[strings.LastIndexByte(p, '.')+1:]
				if !slices.Contains(withheld, field) {
					withheld = append(withheld, field)
				}
			}
		}
	case err != nil:
		return nil, fmt.Errorf("look up order %d in %s: %w", orderID, store.Domain, err)
	}
	if resp == nil || resp.Order == nil {
		return nil, domain.Errorf(domain.KindNotFound, "This order isn't in the store any more.")
	}
	out := mapOrderDetail(resp.Order)
	out.Withheld, out.ReturnsDenied = withheld, returnsDenied
	out.FetchedAt = c.now()
	if call.cost != nil && call.cost.ActualQueryCost != nil {
		out.Cost = *call.cost.ActualQueryCost
	}
	return out, nil
}

// ShopInfo is what a token opens: the shop and the scopes granted.
type ShopInfo struct {
	Name   string
	Domain string
	Scopes []string
}

// CheckAccess asks Shopify which shop a token belongs to and which scopes it
// was granted.
func (c *Client) CheckAccess(ctx context.Context, shop string, token domain.Secret) (ShopInfo, error) {
	call := &shopCall{c: c, shop: shop, token: token}
	resp, err := ShopAccess(ctx, call)
	if err != nil {
		return ShopInfo{}, fmt.Errorf("check access to %s: %w", shop, err)
	}
	info := ShopInfo{Name: resp.Shop.Name, Domain: resp.Shop.MyshopifyDomain}
	for _, s := range resp.CurrentAppInstallation.AccessScopes {
		info.Scopes = append(info.Scopes, s.Handle)
	}
	return info, nil
}

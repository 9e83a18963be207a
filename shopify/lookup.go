package shopify

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/Khan/genqlient/graphql"

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

// LookupCustomer fetches the customer with this email in the store, their
// newest orders and, in the same request, the orders placed with the
// email by guest checkout, which count only when no customer matches. A
// store with neither gives a result with a nil Customer, no guest orders
// and no error. Lookups of a contact's other emails in the same store,
// made at the same time under WithContactEmails, travel in the same
// request (see lookup_batch.go).
func (c *Client) LookupCustomer(ctx context.Context, store domain.Store, email string) (*domain.CustomerOrders, error) {
	if b := batchOf(ctx, email); b != nil {
		return c.joinBatch(ctx, b, store, email)
	}
	res := c.lookupEmails(ctx, store, []string{email})
	return res[0].answer, res[0].err
}

// emailResult is one email's share of a lookup document's answer.
type emailResult struct {
	answer *domain.CustomerOrders
	err    error
}

// lookupEmails sends one lookup document for emails (at most
// maxEmailsPerDocument) and splits its answer by email. The request's
// actual cost is shared evenly among them.
func (c *Client) lookupEmails(ctx context.Context, store domain.Store, emails []string) []emailResult {
	out := make([]emailResult, len(emails))
	call := &shopCall{c: c, shop: store.Domain, token: store.AccessToken}
	var data lookupAnswer
	req := &graphql.Request{OpName: lookupOperation(len(emails)), Query: lookupDocument(len(emails)), Variables: lookupVariables(emails)}
	err := call.MakeRequest(ctx, req, &graphql.Response{Data: &data})
	var partial *PartialError
	if err != nil && !errors.As(err, &partial) {
		for i := range out {
			out[i].err = fmt.Errorf("look up customer in %s: %w", store.Domain, err)
		}
		return out
	}
	cost := 0
	if call.cost != nil && call.cost.ActualQueryCost != nil {
		cost = *call.cost.ActualQueryCost
	}
	return decodeLookup(&data, emails, partial, cost, c.now())
}

// decodeLookup splits a lookup document's answer by email: each email's
// customer, or else its guest orders, with what Shopify denied of it. The
// request's actual cost is shared evenly among the emails.
func decodeLookup(data *lookupAnswer, emails []string, partial *PartialError, cost int, now time.Time) []emailResult {
	out := make([]emailResult, len(emails))
	for i, email := range emails {
		var denied []string
		if partial != nil {
			denied = deniedFor(partial.Paths, i)
		}
		customer, guests := data.email(i)
		answer, err := emailAnswer(email, customer, guests, denied)
		if err != nil {
			out[i].err = err
			continue
		}
		answer.FetchedAt = now
		answer.Cost = cost / len(emails)
		if i == 0 {
			answer.Cost += cost % len(emails)
		}
		out[i].answer = answer
	}
	return out
}

// deniedFor picks the denied paths of email i's fields and names them as
// the single-email operations would: customer… and orders….
func deniedFor(paths []string, i int) []string {
	var out []string
	for _, p := range paths {
		for alias, as := range map[string]string{"customer" + strconv.Itoa(i): "customer", "guests" + strconv.Itoa(i): "orders"} {
			if p == alias || strings.HasPrefix(p, alias+".") {
				out = append(out, as+p[len(alias):])
			}
		}
	}
	return out
}

// emailAnswer is one email's answer: the customer if one matched, or else
// the guest orders. denied are the paths Shopify withheld (ACCESS_DENIED),
// named customer… and orders….
func emailAnswer(email string, customer *lookupCustomer, lazy *lazyGuests, denied []string) (*domain.CustomerOrders, error) {
	var customerDenied, guestsDenied []string
	for _, p := range denied {
		if p == "orders" || strings.HasPrefix(p, "orders.") {
			guestsDenied = append(guestsDenied, p)
		} else {
			customerDenied = append(customerDenied, p)
		}
	}
	if reason := deniedScope(customerDenied); reason != nil {
		return nil, reason
	}
	out := &domain.CustomerOrders{}
	if customer != nil {
		out.Customer = mapCustomer(&customer.CustomerWithOrdersCustomer)
		out.Orders = make([]domain.Order, 0, len(customer.Orders.Nodes))
		for i := range customer.Orders.Nodes {
			out.Orders = append(out.Orders, mapLookupOrder(&customer.Orders.Nodes[i]))
		}
		for _, p := range customerDenied {
			field := p[strings.LastIndexByte(p, '.')+1:]
			if !slices.Contains(out.Withheld, field) {
				out.Withheld = append(out.Withheld, field)
			}
		}
		return out, nil
	}
	guests, err := lazy.decode()
	if err != nil {
		return nil, domain.Wrap(domain.KindShopifyUnavailable, err, "Shopify sent an answer shopcard could not read")
	}
	guestOrders, withheld, err := filterGuests(email, guests, guestsDenied)
	if err != nil {
		return nil, err
	}
	out.GuestOrders, out.GuestsWithheld = guestOrders, withheld
	return out, nil
}

// filterGuests keeps the guest orders whose email is exactly email: the
// search is Shopify's to interpret, and a contact must never see another
// person's orders. Orders whose email Shopify withheld (protected customer
// data) cannot be checked, so they are left out too, and counted, so the
// rep can be told rather than shown "no customer".
func filterGuests(email string, guests *lookupGuests, denied []string) ([]domain.Order, int, error) {
	for _, p := range denied {
		if p == "orders" {
			return nil, 0, domain.Errorf(domain.KindShopifyForbidden, "Shopify denied access to orders (ACCESS_DENIED): the app lacks the read_orders scope. Grant read_orders to the app in Shopify, then test the connection again.")
		}
	}
	if guests == nil {
		return nil, 0, nil
	}
	want := ComparableEmail(email)
	var out []domain.Order
	withheld := 0
	for i := range guests.Nodes {
		n := &guests.Nodes[i]
		if n.Email == nil {
			if len(denied) > 0 {
				withheld++
			}
			continue
		}
		if ComparableEmail(*n.Email) != want {
			continue
		}
		out = append(out, mapLookupOrder(n))
	}
	return out, withheld, nil
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

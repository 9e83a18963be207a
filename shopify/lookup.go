package shopify

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"shopcard/domain"
)

// OrdersPerCustomer is how many of a customer's newest orders we fetch; it
// must match operations.graphql.
const OrdersPerCustomer = 50

// LookupCustomer fetches the customer with this email in the store, and
// their newest orders, in one request. A store without such a customer gives
// a result with a nil Customer and no error.
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
	return out, nil
}

// deniedScope turns ACCESS_DENIED on a whole customer or on its orders into
// a missing-scope error; denials on single fields are protected data that
// the caller shows as withheld.
func deniedScope(paths []string) error {
	for _, p := range paths {
		switch {
		case p == "customer":
			return domain.Errorf(domain.KindShopifyForbidden, "Shopify denied access to customers: the app needs the read_customers scope. An admin should reconnect the store.")
		case strings.HasPrefix(p, "customer.orders"):
			return domain.Errorf(domain.KindShopifyForbidden, "Shopify denied access to orders: the app needs the read_orders scope. An admin should reconnect the store.")
		}
	}
	return nil
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

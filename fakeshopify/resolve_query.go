package fakeshopify

import (
	"context"
	"strconv"
	"strings"

	graphql "github.com/graph-gophers/graphql-go"
)

// queryResolver resolves QueryRoot. Each schema type has a resolver type
// in a resolve_*.go file, with one method per field; graphql-go checks at
// start-up that every field has one. To serve a new field or root query,
// add it to shopify/schema.graphql and add the method here.
type queryResolver struct{}

// Shop resolves QueryRoot.shop, which needs no scope.
func (*queryResolver) Shop(ctx context.Context) *shopResolver {
	return &shopResolver{info: scopeFrom(ctx).shop}
}

// CurrentAppInstallation resolves QueryRoot.currentAppInstallation.
func (*queryResolver) CurrentAppInstallation(ctx context.Context) *appInstallationResolver {
	return &appInstallationResolver{scopes: scopeFrom(ctx).scopes}
}

// customerIdentifierInput is CustomerIdentifierInput. The handler has
// already rejected identifiers without exactly one key.
type customerIdentifierInput struct {
	ID           *graphql.ID
	EmailAddress *string
	PhoneNumber  *string
}

// CustomerByIdentifier resolves QueryRoot.customerByIdentifier: no match is
// null without an error, as on Shopify.
func (*queryResolver) CustomerByIdentifier(ctx context.Context, args struct {
	Identifier customerIdentifierInput
}) (*customerResolver, error) {
	sc := scopeFrom(ctx)
	if !sc.has("read_customers") {
		return nil, accessDenied("customerByIdentifier", "read_customers")
	}
	in := args.Identifier

	sc.srv.mu.RLock()
	defer sc.srv.mu.RUnlock()
	var c *Customer
	switch {
	case in.ID != nil:
		id, ok := parseGID(string(*in.ID), "Customer")
		if !ok {
			return nil, &fieldError{message: "Invalid global id '" + string(*in.ID) + "'"}
		}
		c = sc.st.customers[id]
	case in.EmailAddress != nil:
		if id, ok := sc.st.emails[normalizeEmail(*in.EmailAddress)]; ok {
			c = sc.st.customers[id]
		}
	case in.PhoneNumber != nil:
		want := strings.TrimSpace(*in.PhoneNumber)
		for _, cust := range sc.st.customers {
			if cust.Phone != "" && cust.Phone == want {
				c = cust
				break
			}
		}
	}
	if c == nil {
		return nil, nil
	}
	return &customerResolver{sc: sc, c: c}, nil
}

// gid builds a Shopify global ID such as "gid://shopify/Customer/123".
func gid(kind string, id uint64) graphql.ID {
	return graphql.ID("gid://shopify/" + kind + "/" + strconv.FormatUint(id, 10))
}

// parseGID reads the numeric ID out of a global ID of the given kind.
func parseGID(s, kind string) (uint64, bool) {
	rest, ok := strings.CutPrefix(s, "gid://shopify/"+kind+"/")
	if !ok {
		return 0, false
	}
	id, err := strconv.ParseUint(rest, 10, 64)
	return id, err == nil
}

// shopResolver resolves Shop.
type shopResolver struct{ info Store }

func (r *shopResolver) Name() string            { return r.info.Name }
func (r *shopResolver) MyshopifyDomain() string { return r.info.Domain }

// appInstallationResolver resolves AppInstallation.
type appInstallationResolver struct{ scopes []string }

func (r *appInstallationResolver) AccessScopes() []*accessScopeResolver {
	out := make([]*accessScopeResolver, len(r.scopes))
	for i, s := range r.scopes {
		out[i] = &accessScopeResolver{handle: s}
	}
	return out
}

// accessScopeResolver resolves AccessScope.
type accessScopeResolver struct{ handle string }

func (r *accessScopeResolver) Handle() string { return r.handle }

// Orders resolves QueryRoot.orders: the store's orders the token may see,
// filtered by a search query, sorted and paged like Shopify. The fake
// understands only the email:<value> term (see parseOrderSearch); any
// other query fails loudly rather than return unfiltered orders.
func (*queryResolver) Orders(ctx context.Context, args ordersArgs) (*orderConnectionResolver, error) {
	sc := scopeFrom(ctx)
	if !sc.has("read_orders") {
		return nil, accessDenied("orders", "read_orders")
	}
	match := func(*Order) bool { return true }
	if args.Query != nil {
		email, err := parseOrderSearch(*args.Query)
		if err != nil {
			return nil, err
		}
		match = func(o *Order) bool { return o.Email != "" && normalizeEmail(o.Email) == email }
	}
	sc.srv.mu.RLock()
	var visible []*Order
	for _, o := range sc.st.orders {
		if match(o) && sc.canSee(o) {
			visible = append(visible, o)
		}
	}
	sc.srv.mu.RUnlock()
	if err := sortOrders(visible, args.SortKey, args.Reverse); err != nil {
		return nil, err
	}
	page, err := pageOf(visible, args.First, args.Last, args.After, args.Before)
	if err != nil {
		return nil, err
	}
	return &orderConnectionResolver{sc: sc, orders: page}, nil
}

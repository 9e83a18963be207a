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

func (r *shopResolver) Name() string                           { return r.info.Name }
func (r *shopResolver) MyshopifyDomain() string                { return r.info.Domain }
func (r *shopResolver) Description() *string                   { return nullable(r.info.Description) }
func (r *shopResolver) ContactEmail() string                   { return r.info.ContactEmail }
func (r *shopResolver) CurrencyCode() string                   { return r.info.Currency }
func (r *shopResolver) EnabledPresentmentCurrencies() []string { return nonNil(r.info.Currencies) }
func (r *shopResolver) ShipsToCountries() []string             { return nonNil(r.info.ShipsTo) }

func (r *shopResolver) PrimaryDomain() *domainResolver {
	return &domainResolver{url: url(r.info.PrimaryURL)}
}

func (r *shopResolver) PaymentSettings() *paymentSettingsResolver {
	return &paymentSettingsResolver{wallets: nonNil(r.info.Wallets)}
}

// ShopPolicies lists the published policies, each at its page under the
// storefront, as Shopify serves them.
func (r *shopResolver) ShopPolicies() []*shopPolicyResolver {
	out := make([]*shopPolicyResolver, len(r.info.Policies))
	for i, p := range r.info.Policies {
		slug := strings.ReplaceAll(strings.ToLower(p.Type), "_", "-")
		out[i] = &shopPolicyResolver{p: p, url: url(r.info.PrimaryURL + "/policies/" + slug)}
	}
	return out
}

// nonNil keeps a list field from serializing as null, which a non-null
// list may not be.
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// domainResolver resolves Domain.
type domainResolver struct{ url url }

func (r *domainResolver) URL() url { return r.url }

// paymentSettingsResolver resolves PaymentSettings.
type paymentSettingsResolver struct{ wallets []string }

func (r *paymentSettingsResolver) SupportedDigitalWallets() []string { return r.wallets }

// shopPolicyResolver resolves ShopPolicy.
type shopPolicyResolver struct {
	p   ShopPolicy
	url url
}

func (r *shopPolicyResolver) Type() string  { return r.p.Type }
func (r *shopPolicyResolver) Title() string { return r.p.Title }
func (r *shopPolicyResolver) URL() url      { return r.url }

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
// understands email: and name: terms in Shopify's search syntax (see
// ordersMatcher); any other query fails loudly rather than return
// unfiltered orders.
func (*queryResolver) Orders(ctx context.Context, args ordersArgs) (*orderConnectionResolver, error) {
	sc := scopeFrom(ctx)
	if !sc.has("read_orders") {
		return nil, accessDenied("orders", "read_orders")
	}
	match := func(*Order) bool { return true }
	if args.Query != nil {
		var err error
		if match, err = ordersMatcher(*args.Query); err != nil {
			return nil, err
		}
	}
	sc.srv.mu.RLock()
	candidates := sc.st.orders
	if args.Query != nil {
		// A search for one email (the sidebar's guest search) reads the
		// email index; the matcher still decides.
		if email, ok := soleEmailTerm(*args.Query); ok {
			candidates = map[uint64]*Order{}
			for _, o := range sc.st.ordersWithEmailLocked(email) {
				candidates[o.ID] = o
			}
		}
	}
	var visible []*Order
	for _, o := range candidates {
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

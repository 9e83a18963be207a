package fakeshopify

import (
	"context"

	graphql "github.com/graph-gophers/graphql-go"
)

// customerResolver resolves Customer. c is an immutable record.
type customerResolver struct {
	sc *requestScope
	c  *Customer
}

func (r *customerResolver) ID() graphql.ID { return gid("Customer", r.c.ID) }

func (r *customerResolver) LegacyResourceID() unsignedInt64 { return unsignedInt64(r.c.ID) }

// DisplayName is made of protected fields (the name, else the email or
// phone), so it is withheld with them; as the field cannot be null, it
// comes back empty, as Shopify redacts it.
func (r *customerResolver) DisplayName() string {
	if r.sc.withhold {
		return ""
	}
	return r.c.DisplayName()
}

func (r *customerResolver) CreatedAt() dateTime { return dateTime{r.c.CreatedAt} }

func (r *customerResolver) Tags() []string { return r.c.Tags }

// The four protected fields below come back null with ACCESS_DENIED when
// the store withholds protected customer data.

func (r *customerResolver) FirstName() (*string, error) {
	if r.sc.withhold {
		return nil, protectedDataDenied("firstName")
	}
	return nullable(r.c.FirstName), nil
}

func (r *customerResolver) LastName() (*string, error) {
	if r.sc.withhold {
		return nil, protectedDataDenied("lastName")
	}
	return nullable(r.c.LastName), nil
}

func (r *customerResolver) DefaultEmailAddress() (*emailAddressResolver, error) {
	if r.sc.withhold {
		return nil, protectedDataDenied("defaultEmailAddress")
	}
	if r.c.Email == "" {
		return nil, nil
	}
	return &emailAddressResolver{email: r.c.Email}, nil
}

func (r *customerResolver) DefaultPhoneNumber() (*phoneNumberResolver, error) {
	if r.sc.withhold {
		return nil, protectedDataDenied("defaultPhoneNumber")
	}
	if r.c.Phone == "" {
		return nil, nil
	}
	return &phoneNumberResolver{phone: r.c.Phone}, nil
}

// NumberOfOrders counts every order of the customer, including those the
// token cannot see, as Shopify does.
func (r *customerResolver) NumberOfOrders() unsignedInt64 {
	held := len(r.heldOrders())
	return unsignedInt64(max(r.c.NumberOfOrders, uint64(held)))
}

// AmountSpent is the customer's lifetime spend; see Customer.AmountSpent.
func (r *customerResolver) AmountSpent() *moneyResolver {
	total, _ := parseAmount(r.c.AmountSpent)
	if r.c.AmountSpent == "" {
		for _, o := range r.heldOrders() {
			if o.CancelledAt.IsZero() {
				t, _ := parseAmount(o.Total)
				total += t
			}
		}
	}
	return &moneyResolver{amount: total, currency: r.sc.shop.Currency}
}

// ordersArgs are Customer.orders' arguments. Arguments with a default are
// not pointers: graphql-go always fills them in.
type ordersArgs struct {
	First   *int32
	After   *string
	Last    *int32
	Before  *string
	Reverse bool
	SortKey string
	Query   *string
}

// Orders resolves Customer.orders: the orders the token may see, sorted and
// paged like Shopify.
func (r *customerResolver) Orders(ctx context.Context, args ordersArgs) (*orderConnectionResolver, error) {
	if !r.sc.has("read_orders") {
		return nil, accessDenied("orders", "read_orders")
	}
	if args.Query != nil {
		return nil, unsupported("Customer.orders(query:)")
	}
	var visible []*Order
	for _, o := range r.heldOrders() {
		if r.sc.canSee(o) {
			visible = append(visible, o)
		}
	}
	if err := sortOrders(visible, args.SortKey, args.Reverse); err != nil {
		return nil, err
	}
	page, err := pageOf(visible, args.First, args.Last, args.After, args.Before)
	if err != nil {
		return nil, err
	}
	return &orderConnectionResolver{sc: r.sc, orders: page}, nil
}

// heldOrders returns the customer's order records, whatever the scopes.
func (r *customerResolver) heldOrders() []*Order {
	r.sc.srv.mu.RLock()
	defer r.sc.srv.mu.RUnlock()
	return r.sc.st.customerOrdersLocked(r.c.ID)
}

// emailAddressResolver resolves CustomerEmailAddress.
type emailAddressResolver struct{ email string }

func (r *emailAddressResolver) EmailAddress() string { return r.email }

// phoneNumberResolver resolves CustomerPhoneNumber.
type phoneNumberResolver struct{ phone string }

func (r *phoneNumberResolver) PhoneNumber() string { return r.phone }

// moneyResolver resolves MoneyV2.
type moneyResolver struct {
	amount   amount
	currency string
}

func (r *moneyResolver) Amount() decimal      { return decimal(r.amount.String()) }
func (r *moneyResolver) CurrencyCode() string { return r.currency }

// moneyBagResolver resolves MoneyBag. The fake only knows shop money.
type moneyBagResolver struct{ shop *moneyResolver }

func (r *moneyBagResolver) ShopMoney() *moneyResolver { return r.shop }

// nullable maps "" to null.
func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

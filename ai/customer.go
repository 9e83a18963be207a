package ai

import (
	"context"
	"fmt"
	"strings"

	"shopcard/domain"
	"shopcard/present"
)

// customerOrders is how many of a customer's newest orders find_customer
// lists: enough to answer "my last order", few enough for a model's
// context.
const customerOrders = 10

// findCustomer is find_customer: what the sidebar shows a rep for this
// email, store by store, through the same lookups and cache.
func (s *Service) findCustomer(ctx context.Context, all []domain.Store, args FindCustomerArgs) (Result, int) {
	email, err := domain.NormalizeEmail(args.Email)
	if err != nil {
		return failed(CodeInvalidArguments, "email is not an email address."), 0
	}
	stores, e := pickStores(all, args.Store)
	if e != nil {
		return Result{Text: e.Message, Err: e}, 0
	}
	answers := inEachStore(ctx, s.StoreTimeout, stores, func(ctx context.Context, st domain.Store) (*domain.CustomerOrders, error) {
		return s.Lookups.LookupCustomer(ctx, st, email)
	})
	out := FindCustomerResult{Email: email}
	var failures []StoreAnswer
	for _, a := range answers {
		if a.err != nil {
			sa := unavailable(a.store, a.err)
			failures = append(failures, sa)
			out.Stores = append(out.Stores, FindCustomerStore{StoreAnswer: sa})
			continue
		}
		out.Stores = append(out.Stores, customerAnswer(a.store, a.value))
	}
	if allFailed(answers) {
		return noAnswer(failures), len(stores)
	}
	var b strings.Builder
	for _, st := range out.Stores {
		if b.Len() > 0 {
			b.WriteString("\n\n")
		}
		fmt.Fprintf(&b, "%s (%s): ", st.StoreName, st.Store)
		switch {
		case st.Outcome == OutcomeUnavailable:
			b.WriteString(st.Message)
			continue
		case st.Customer != nil:
			c := st.Customer
			fmt.Fprintf(&b, "%s", c.Name)
			if c.Email != "" && c.Email != c.Name {
				fmt.Fprintf(&b, " <%s>", c.Email)
			}
			fmt.Fprintf(&b, ", customer since %s, %s, spent %s.", day(c.Since), present.Plural(c.Orders, "order", "orders"), c.AmountSpent.Text)
			if len(c.Tags) > 0 {
				fmt.Fprintf(&b, " Tags: %s.", strings.Join(c.Tags, ", "))
			}
			if len(c.Withheld) > 0 {
				fmt.Fprintf(&b, " Shopify withheld their %s.", strings.Join(c.Withheld, ", "))
			}
		case st.GuestOrders:
			b.WriteString("no customer record, but orders placed with this email as a guest.")
		default:
			b.WriteString("no customer with this email.")
		}
		if st.Stale {
			fmt.Fprintf(&b, " (As of %s; Shopify didn't answer just now.)", st.AsOf)
		}
		for _, o := range st.Orders {
			fmt.Fprintf(&b, "\n- %s, %s: %s", o.Name, day(o.PlacedAt), strings.ToLower(o.FulfillmentStatus))
			if o.FinancialStatus != "" {
				fmt.Fprintf(&b, ", %s", strings.ToLower(o.FinancialStatus))
			}
			if o.Cancelled {
				b.WriteString(", cancelled")
			}
			fmt.Fprintf(&b, ", %s, %s", present.Plural(uint64(max(o.Items, 0)), "item", "items"), o.Total.Text)
		}
	}
	return Result{Text: b.String(), Structured: out}, len(stores)
}

func customerAnswer(st domain.Store, r *domain.CustomerOrders) FindCustomerStore {
	res := FindCustomerStore{StoreAnswer: answerOf(st, OutcomeNoMatch)}
	orders := r.GuestOrders
	if c := r.Customer; c != nil {
		name := strings.TrimSpace(c.DisplayName)
		if name == "" {
			name = strings.TrimSpace(c.FirstName + " " + c.LastName)
		}
		if name == "" {
			name = c.Email
		}
		res.Customer = &Customer{
			Name: name, Email: c.Email, Phone: c.Phone, Orders: c.NumberOfOrders, AmountSpent: money(c.AmountSpent),
			Since: timestamp(c.CreatedAt), Tags: c.Tags, Withheld: present.WithheldWords(r.Withheld),
			AdminURL: present.CustomerAdminURL(st, c.LegacyResourceID),
		}
		orders = r.Orders
	} else if len(orders) > 0 {
		res.GuestOrders = true
	}
	for i := range orders {
		if i == customerOrders {
			break
		}
		o := &orders[i]
		res.Orders = append(res.Orders, OrderSummary{
			Name: o.Name, PlacedAt: timestamp(o.CreatedAt), FinancialStatus: present.FinancialWords(o.FinancialStatus),
			FulfillmentStatus: present.FulfillmentWords(o.FulfillmentStatus), Cancelled: o.CancelledAt != nil,
			Total: money(o.Total), Items: o.ItemCount,
		})
	}
	if res.Customer != nil || len(res.Orders) > 0 {
		res.Outcome = OutcomeFound
		stale(&res.StoreAnswer, r.Stale, r.FetchedAt)
	}
	return res
}

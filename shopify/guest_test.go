package shopify_test

import (
	"context"
	"slices"
	"testing"

	"shopcard/domain"
	"shopcard/fakeshopify"
	"shopcard/shopify"
)

func TestEmailQuery(t *testing.T) {
	tests := []struct{ email, want string }{
		{"ada@example.com", `email:"ada@example.com"`},
		{`"quoted"@example.com`, `email:"\"quoted\"@example.com"`},
		{`back\slash@example.com`, `email:"back\\slash@example.com"`},
		{`\"@example.com`, `email:"\\\"@example.com"`},
		{`a OR email:*@example.com`, `email:"a OR email:*@example.com"`},
		{`(x)@example.com`, `email:"(x)@example.com"`},
	}
	for _, tt := range tests {
		if got := shopify.EmailQuery(tt.email); got != tt.want {
			t.Errorf("EmailQuery(%q) = %s, want %s", tt.email, got, tt.want)
		}
	}
}

// hostileEmails are addresses a contact may really have (the local part
// of an email may hold almost anything) that are also search syntax.
var hostileEmails = []string{
	`"quoted"@example.com`,
	`back\slash@example.com`,
	`\"@example.com`,
	`colon:name@example.com`,
	`(paren)@example.com`,
	`a OR email:victim@example.com`,
	`*@example.com`,
	`victim*@example.com`,
	`a") OR (email:"victim@example.com`,
	`x\") OR email:*@example.com`,
	`'single'@example.com`,
}

// TestGuestOrdersWithHostileEmails: every hostile address finds its own
// guest orders and never the victim's, however its search syntax reads.
func TestGuestOrdersWithHostileEmails(t *testing.T) {
	fake, c := newFake(t)
	victim, err := fake.AddOrder(fakeshopify.AcmeDomain, fakeshopify.Order{Email: "victim@example.com", Total: "99.00", FinancialStatus: "PAID"})
	if err != nil {
		t.Fatal(err)
	}
	for _, email := range hostileEmails {
		t.Run(email, func(t *testing.T) {
			norm, err := domain.NormalizeEmail(email)
			if err != nil {
				t.Fatalf("not an address the sidebar would look up: %v", err)
			}
			own, err := fake.AddOrder(fakeshopify.AcmeDomain, fakeshopify.Order{Email: norm, Total: "1.00"})
			if err != nil {
				t.Fatal(err)
			}
			before := fake.Requests(fakeshopify.AcmeDomain)
			r, err := c.LookupCustomer(context.Background(), acme(), norm)
			if err != nil {
				t.Fatal(err)
			}
			if r.Customer != nil {
				t.Fatalf("matched a customer: %+v", r.Customer)
			}
			if len(r.GuestOrders) != 1 || r.GuestOrders[0].LegacyResourceID != own.ID {
				t.Errorf("guest orders %+v, want only order %d", r.GuestOrders, own.ID)
			}
			for _, o := range r.GuestOrders {
				if o.LegacyResourceID == victim.ID {
					t.Errorf("another person's order %s came back", o.Name)
				}
			}
			if n := fake.Requests(fakeshopify.AcmeDomain) - before; n != 1 {
				t.Errorf("%d requests, want 1 (customer and guest orders in one document)", n)
			}
		})
	}
}

func TestGuestOrders(t *testing.T) {
	fake, c := newFake(t)
	mk := func(o fakeshopify.Order) fakeshopify.Order {
		t.Helper()
		got, err := fake.AddOrder(fakeshopify.AcmeDomain, o)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	older := mk(fakeshopify.Order{Email: "Guest@Example.com", Total: "12.50", FinancialStatus: "PAID", LineItems: []fakeshopify.LineItem{{Title: "Mug", Quantity: 2}}})
	newer := mk(fakeshopify.Order{Email: "guest@example.com", Total: "4.00", CreatedAt: older.CreatedAt.Add(1)})
	mk(fakeshopify.Order{Email: "guest@example.co", Total: "1.00"})

	r, err := c.LookupCustomer(context.Background(), acme(), "guest@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if r.Customer != nil || len(r.GuestOrders) != 2 {
		t.Fatalf("customer %+v, %d guest orders; want none and 2", r.Customer, len(r.GuestOrders))
	}
	if r.GuestOrders[0].LegacyResourceID != newer.ID || r.GuestOrders[1].LineItems[0].Title != "Mug" {
		t.Errorf("guest orders not newest first, or incomplete: %+v", r.GuestOrders)
	}

	t.Run("a customer match does not search guest orders", func(t *testing.T) {
		before := fake.Requests(fakeshopify.AcmeDomain)
		r, err := c.LookupCustomer(context.Background(), acme(), fakeshopify.EmailShowcase)
		if err != nil || r.Customer == nil || len(r.GuestOrders) != 0 {
			t.Fatalf("err %v, result %+v", err, r)
		}
		if n := fake.Requests(fakeshopify.AcmeDomain) - before; n != 1 {
			t.Errorf("%d requests, want 1", n)
		}
	})
	t.Run("orders whose email is withheld cannot be checked and are left out", func(t *testing.T) {
		fake.SetFaults(fakeshopify.AcmeDomain, fakeshopify.Faults{WithholdProtectedData: true})
		defer fake.SetFaults(fakeshopify.AcmeDomain, fakeshopify.Faults{})
		r, err := c.LookupCustomer(context.Background(), acme(), "guest@example.com")
		if err != nil || len(r.GuestOrders) != 0 {
			t.Fatalf("err %v, %d guest orders", err, len(r.GuestOrders))
		}
	})
	t.Run("without read_orders the store needs attention", func(t *testing.T) {
		s := acme()
		s.AccessToken = domain.NewSecret(fakeshopify.AcmeTokenCustomersOnly)
		_, err := c.LookupCustomer(context.Background(), s, "guest@example.com")
		if domain.KindOf(err) != domain.KindShopifyForbidden {
			t.Fatalf("kind %v (%v), want forbidden", domain.KindOf(err), err)
		}
	})
}

// TestGuestOrdersNeverMatchLookalikes: an order placed with an address
// that differs from the contact's only by a Unicode lookalike is someone
// else's, even when a search that folds case (as the fake's does) returns
// it. Only ASCII case and whitespace may differ.
func TestGuestOrdersNeverMatchLookalikes(t *testing.T) {
	fake, c := newFake(t)
	for _, o := range []fakeshopify.Order{
		{Email: "kate.guest@example.com", Total: "1.00"},
		{Email: "KATE.Guest@Example.COM", Total: "3.00"},      // the same address in ASCII capitals
		{Email: "\u212Aate.guest@example.com", Total: "2.00"}, // Kelvin sign, which Unicode lowercases to k
	} {
		if _, err := fake.AddOrder(fakeshopify.AcmeDomain, o); err != nil {
			t.Fatal(err)
		}
	}
	r, err := c.LookupCustomer(context.Background(), acme(), "kate.guest@example.com")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, o := range r.GuestOrders {
		got = append(got, o.Total.Amount)
	}
	slices.Sort(got)
	if want := []string{"1.0", "3.0"}; !slices.Equal(got, want) {
		t.Fatalf("guest orders with totals %v, want %v: never the Kelvin-sign address's", got, want)
	}
}

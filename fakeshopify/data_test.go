package fakeshopify

import (
	"context"
	"strings"
	"testing"
	"time"

	"shopcard/shopify"
)

func TestRunTimeEditsShowInTheNextQuery(t *testing.T) {
	s, ts, clock := startSeeded(t)
	c := client(ts, AcmeDomain, AcmeToken)
	ctx := context.Background()
	priya, ok := s.CustomerByEmail(AcmeDomain, EmailOneOrder)
	if !ok {
		t.Fatal("seed has no Priya")
	}
	order := s.Orders(AcmeDomain, priya.ID)[0]

	steps := []struct {
		name  string
		edit  func() error
		email string
		check func(*shopify.CustomerWithOrdersCustomer) string // "" when fine
	}{
		{"rename the customer", func() error {
			_, err := s.UpdateCustomer(AcmeDomain, priya.ID, func(c *Customer) { c.FirstName = "Priyanka" })
			return err
		}, EmailOneOrder, func(c *shopify.CustomerWithOrdersCustomer) string {
			if c.DisplayName != "Priyanka Natarajan" || *c.FirstName != "Priyanka" {
				return "name " + c.DisplayName
			}
			return ""
		}},
		{"fulfill the order", func() error {
			_, err := s.UpdateOrder(AcmeDomain, order.ID, func(o *Order) {
				o.FulfillmentStatus = "FULFILLED"
				o.FinancialStatus = "PAID"
				o.Fulfillments = []Fulfillment{{Status: "SUCCESS", DisplayStatus: "IN_TRANSIT", CreatedAt: clock.Now(), Tracking: []Tracking{ups(9)}}}
			})
			return err
		}, EmailOneOrder, func(c *shopify.CustomerWithOrdersCustomer) string {
			o := c.Orders.Nodes[0]
			if o.DisplayFulfillmentStatus != "FULFILLED" || len(o.Fulfillments) != 1 || *o.Fulfillments[0].TrackingInfo[0].Company != "UPS" {
				return "order not fulfilled"
			}
			return ""
		}},
		{"a new order", func() error {
			clock.Advance(time.Hour)
			_, err := s.AddOrder(AcmeDomain, Order{CustomerID: priya.ID, Total: "10.00", LineItems: []LineItem{{Title: "Sticker", Quantity: 1}}})
			return err
		}, EmailOneOrder, func(c *shopify.CustomerWithOrdersCustomer) string {
			if c.NumberOfOrders != 2 || len(c.Orders.Nodes) != 2 || c.Orders.Nodes[0].LineItems.Nodes[0].Title != "Sticker" {
				return "new order missing"
			}
			return ""
		}},
		{"change the email", func() error {
			_, err := s.UpdateCustomer(AcmeDomain, priya.ID, func(c *Customer) { c.Email = "Priya.New@Example.com" })
			return err
		}, "priya.new@example.com", func(c *shopify.CustomerWithOrdersCustomer) string {
			if c.DefaultEmailAddress.EmailAddress != "priya.new@example.com" {
				return "email " + c.DefaultEmailAddress.EmailAddress
			}
			return ""
		}},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			if err := st.edit(); err != nil {
				t.Fatal(err)
			}
			resp, err := shopify.CustomerWithOrders(ctx, c, st.email)
			if err != nil {
				t.Fatal(err)
			}
			if resp.Customer == nil {
				t.Fatal("customer not found")
			}
			if msg := st.check(resp.Customer); msg != "" {
				t.Error(msg)
			}
		})
	}
	t.Run("the old email no longer matches", func(t *testing.T) {
		resp, err := shopify.CustomerWithOrders(ctx, c, EmailOneOrder)
		if err != nil || resp.Customer != nil {
			t.Errorf("customer %v, err %v", resp.Customer, err)
		}
	})
}

func TestDataIsValidated(t *testing.T) {
	s := NewSeeded(func() time.Time { return testNow })
	maya, _ := s.CustomerByEmail(AcmeDomain, EmailShowcase)
	tests := []struct {
		name    string
		err     error
		wantMsg string
	}{
		{"duplicate email", second(s.AddCustomer(AcmeDomain, Customer{Email: " MAYA.CHEN@example.com"})), "Email has already been taken"},
		{"unknown fulfillment status", second(s.AddOrder(AcmeDomain, Order{CustomerID: maya.ID, FulfillmentStatus: "SHIPPED"})), "OrderDisplayFulfillmentStatus"},
		{"unknown financial status", second(s.AddOrder(AcmeDomain, Order{CustomerID: maya.ID, FinancialStatus: "SETTLED"})), "OrderDisplayFinancialStatus"},
		{"cancel reason without date", second(s.AddOrder(AcmeDomain, Order{CustomerID: maya.ID, CancelReason: "FRAUD"})), "CancelledAt"},
		{"bad amount", second(s.AddOrder(AcmeDomain, Order{CustomerID: maya.ID, Total: "12,50"})), "decimal"},
		{"customer of another store", second(s.AddOrder(NordicDomain, Order{CustomerID: maya.ID})), "no customer"},
		{"unknown store", second(s.AddCustomer("nope.myshopify.com", Customer{})), "unknown store"},
		{"currency", s.AddStore(Store{Domain: "x.myshopify.com", Currency: "XYZ"}), "CurrencyCode"},
		{"store twice", s.AddStore(Store{Domain: AcmeDomain}), "already exists"},
		{"edit to a taken email", second(s.UpdateCustomer(AcmeDomain, maya.ID, func(c *Customer) { c.Email = EmailOneOrder })), "Email has already been taken"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.err == nil || !strings.Contains(tt.err.Error(), tt.wantMsg) {
				t.Errorf("err = %v, want one mentioning %q", tt.err, tt.wantMsg)
			}
		})
	}
}

func second[T any](_ T, err error) error { return err }

func TestStoredDataIsNotAliased(t *testing.T) {
	s := NewSeeded(func() time.Time { return testNow })
	maya, _ := s.CustomerByEmail(AcmeDomain, EmailShowcase)
	maya.Tags[0] = "changed by caller"
	orders := s.Orders(AcmeDomain, maya.ID)
	orders[0].Fulfillments[0].Tracking[0].Number = "changed by caller"

	again, _ := s.CustomerByEmail(AcmeDomain, EmailShowcase)
	if again.Tags[0] == "changed by caller" {
		t.Error("a returned customer aliases the stored tags")
	}
	if s.Orders(AcmeDomain, maya.ID)[0].Fulfillments[0].Tracking[0].Number == "changed by caller" {
		t.Error("a returned order aliases the stored tracking")
	}
}

func TestOrderNames(t *testing.T) {
	s := NewSeeded(func() time.Time { return testNow })
	tests := []struct {
		shop, email, wantPrefix string
	}{
		{AcmeDomain, EmailShowcase, "#1"},
		{NordicDomain, EmailShowcase, "NG-1"},
		{SakuraDomain, EmailJapanese, "#1"},
	}
	for _, tt := range tests {
		c, _ := s.CustomerByEmail(tt.shop, tt.email)
		for _, o := range s.Orders(tt.shop, c.ID) {
			if !strings.HasPrefix(o.Name, tt.wantPrefix) {
				t.Errorf("%s order %q, want prefix %q", tt.shop, o.Name, tt.wantPrefix)
			}
		}
	}
	// Numbers rise with time across the store, as on Shopify.
	jordan, _ := s.CustomerByEmail(AcmeDomain, EmailSixtyOrders)
	orders := s.Orders(AcmeDomain, jordan.ID)
	for i := 1; i < len(orders); i++ {
		if orders[i].Number >= orders[i-1].Number {
			t.Fatalf("%s is older than %s but numbered higher", orders[i].Name, orders[i-1].Name)
		}
	}
}

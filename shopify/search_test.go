package shopify_test

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"shopcard/domain"
	"shopcard/fakeshopify"
	"shopcard/shopify"
)

func TestNormalizeOrderName(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"#1042", "1042", true},
		{"1042", "1042", true},
		{"  # 1042 ", "1042", true},
		{"UK-1003", "UK-1003", true},
		{"##1", "#1", true},
		{"", "", false},
		{"#", "", false},
		{"   ", "", false},
		{"10\n42", "", false},
		{strings.Repeat("9", 65), "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := shopify.NormalizeOrderName(tt.in)
			if (err == nil) != tt.ok || got != tt.want {
				t.Fatalf("got %q, %v; want %q ok=%v", got, err, tt.want, tt.ok)
			}
			if err != nil && domain.KindOf(err) != domain.KindInvalid {
				t.Errorf("kind %v", domain.KindOf(err))
			}
		})
	}
}

func TestOrderNameQuery(t *testing.T) {
	tests := []struct{ name, want string }{
		{"1042", `name:"#1042" OR name:"1042"`},
		{"UK-1003", `name:"#UK-1003" OR name:"UK-1003"`},
		{`1" OR name:"2`, `name:"#1\" OR name:\"2" OR name:"1\" OR name:\"2"`},
		{`a\`, `name:"#a\\" OR name:"a\\"`},
	}
	for _, tt := range tests {
		if got := shopify.OrderNameQuery(tt.name); got != tt.want {
			t.Errorf("OrderNameQuery(%q) = %s, want %s", tt.name, got, tt.want)
		}
	}
}

func TestSameOrderName(t *testing.T) {
	tests := []struct {
		order, asked string
		want         bool
	}{
		{"#1042", "1042", true},
		{"#1042", "#1042", true},
		{"1042", "1042", true},
		{"UK-1003", "uk-1003", true},
		{"#10420", "1042", false},
		{"#1042", "104", false},
		{"UK-1003", "1003", false},
		{"#1042K", "1042k", true},
		{"#1042\u212a", "1042k", false}, // the Kelvin sign is not a K
	}
	for _, tt := range tests {
		if got := shopify.SameOrderName(tt.order, tt.asked); got != tt.want {
			t.Errorf("SameOrderName(%q, %q) = %v", tt.order, tt.asked, got)
		}
	}
}

func TestNormalizeProductKeywords(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"Waterproof  JACKET", "waterproof jacket", true},
		{" socks ", "socks", true},
		{"", "", false},
		{" \t ", "", false},
		{strings.Repeat("a ", 11), "", false},
		{strings.Repeat("a", 61), "", false},
		{"a\x00b", "", false},
	}
	for _, tt := range tests {
		got, err := shopify.NormalizeProductKeywords(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("NormalizeProductKeywords(%q) = %q, %v", tt.in, got, err)
		}
	}
	if q := shopify.ProductSearchQuery(`jacket OR "x" *`); q != `status:active "jacket" "OR" "\"x\"" "*"` {
		t.Errorf("ProductSearchQuery = %s", q)
	}
}

// TestShipmentsPairWithFulfillments holds OrderDetail's shipments to
// OrderSummary's fulfillments: the same field with the same arguments,
// since mapOrderDetail pairs a shipment's events and contents with the
// summary's shipment at the same position. Delivery dates come from the
// summary alone (ShipmentSummary), for every query that shows an order.
func TestShipmentsPairWithFulfillments(t *testing.T) {
	doc, errs := gqlparser.LoadQuery(shopify.Schema(), readOperations(t))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	find := func(set ast.SelectionSet, alias string) *ast.Field {
		for _, sel := range set {
			if field, ok := sel.(*ast.Field); ok && field.Alias == alias {
				if field.Name != "fulfillments" {
					t.Fatalf("%s is %s, not fulfillments", alias, field.Name)
				}
				return field
			}
		}
		t.Fatalf("no %s selected", alias)
		return nil
	}
	summary := doc.Fragments.ForName("OrderSummary")
	detail := doc.Operations.ForName("OrderDetail")
	if summary == nil || detail == nil {
		t.Fatal("no OrderSummary fragment or OrderDetail query")
	}
	var order *ast.Field
	for _, sel := range detail.SelectionSet {
		if f, ok := sel.(*ast.Field); ok && f.Name == "order" {
			order = f
		}
	}
	if order == nil {
		t.Fatal("OrderDetail selects no order")
	}
	args := func(f *ast.Field) string {
		var parts []string
		for _, a := range f.Arguments {
			parts = append(parts, a.Name+": "+a.Value.String())
		}
		return strings.Join(parts, ", ")
	}
	if a, b := args(find(summary.SelectionSet, "fulfillments")), args(find(order.SelectionSet, "shipments")); a != b {
		t.Errorf("OrderSummary lists fulfillments(%s), OrderDetail shipments(%s)", a, b)
	}
}

func TestFindOrders(t *testing.T) {
	fake, c := newFake(t)
	ctx := context.Background()
	// A second order under the gift's name, as Shopify allows, and one
	// whose name only begins the same way.
	dup, err := fake.AddOrder(fakeshopify.AcmeDomain, fakeshopify.Order{Name: fakeshopify.OrderGiftForMaya, Email: "someone@example.com", Total: "5.00"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fake.AddOrder(fakeshopify.AcmeDomain, fakeshopify.Order{Name: fakeshopify.OrderGiftForMaya + "0", Email: "other@example.com", Total: "5.00"}); err != nil {
		t.Fatal(err)
	}

	t.Run("by number, with and without #", func(t *testing.T) {
		for _, typed := range []string{fakeshopify.OrderGiftForMaya, strings.TrimPrefix(fakeshopify.OrderGiftForMaya, "#")} {
			name, err := shopify.NormalizeOrderName(typed)
			if err != nil {
				t.Fatal(err)
			}
			r, err := c.FindOrders(ctx, acme(), name)
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Orders) != 2 {
				t.Fatalf("%q found %d orders, want the gift and its namesake", typed, len(r.Orders))
			}
			if r.Orders[0].Order.LegacyResourceID != dup.ID {
				t.Errorf("newest first: got %s", r.Orders[0].Order.ID)
			}
			gift := r.Orders[1]
			if gift.Order.Name != fakeshopify.OrderGiftForMaya || gift.Email != fakeshopify.EmailGiftGiver || gift.CustomerEmail != "" || gift.CustomerID != 0 {
				t.Errorf("gift %+v", gift)
			}
			if a := gift.ShippingAddress; a == nil || a.Name != "Maya Chen" || a.CountryCode != "US" || a.City != "San Francisco" {
				t.Errorf("address %+v", a)
			}
			if fs := gift.Order.Fulfillments; len(fs) == 0 || fs[0].InTransitAt.IsZero() || !fs[0].DeliveredAt.IsZero() {
				t.Errorf("shipments %+v, want the gift in transit", fs)
			}
			if gift.Order.ReturnStatus != "NO_RETURN" || r.Cost <= 0 {
				t.Errorf("return status %q, cost %d", gift.Order.ReturnStatus, r.Cost)
			}
		}
	})
	t.Run("a customer's order brings the customer's email", func(t *testing.T) {
		r, err := c.FindOrders(ctx, domain.Store{ID: 3, WorkspaceID: 1, Domain: fakeshopify.SakuraDomain, AccessToken: domain.NewSecret(fakeshopify.SakuraToken)}, "1002")
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Orders) != 1 || r.Orders[0].CustomerEmail != fakeshopify.EmailJapanese || r.Orders[0].CustomerID == 0 {
			t.Fatalf("%+v", r.Orders)
		}
	})
	t.Run("refunds and returns", func(t *testing.T) {
		// Maya's restocked order was refunded in full.
		cust, err := c.LookupCustomer(ctx, acme(), fakeshopify.EmailShowcase)
		if err != nil {
			t.Fatal(err)
		}
		var restocked domain.Order
		for _, o := range cust.Orders {
			if o.FulfillmentStatus == "RESTOCKED" {
				restocked = o
			}
		}
		name, _ := shopify.NormalizeOrderName(restocked.Name)
		r, err := c.FindOrders(ctx, acme(), name)
		if err != nil || len(r.Orders) != 1 {
			t.Fatalf("%v, %+v", err, r)
		}
		o := r.Orders[0]
		if o.Order.ReturnStatus != "RETURNED" || len(o.Refunds) != 1 || o.Refunds[0].Amount != (domain.Money{Amount: "189.0", Currency: "USD"}) {
			t.Errorf("return %q, refunds %+v", o.Order.ReturnStatus, o.Refunds)
		}
	})
	t.Run("search syntax in the name finds nothing", func(t *testing.T) {
		for _, typed := range []string{"10*", "1001 OR name:1002", `1001" OR name:"1002`, "(1001)", "-1001", "*"} {
			name, err := shopify.NormalizeOrderName(typed)
			if err != nil {
				t.Fatal(err)
			}
			r, err := c.FindOrders(ctx, acme(), name)
			if err != nil {
				t.Fatalf("%q: %v", typed, err)
			}
			if len(r.Orders) != 0 {
				t.Errorf("%q found %d orders", typed, len(r.Orders))
			}
		}
	})
	t.Run("protected data withheld", func(t *testing.T) {
		if err := fake.SetFaults(fakeshopify.AcmeDomain, fakeshopify.Faults{WithholdProtectedData: true}); err != nil {
			t.Fatal(err)
		}
		defer fake.SetFaults(fakeshopify.AcmeDomain, fakeshopify.Faults{})
		name, _ := shopify.NormalizeOrderName(fakeshopify.OrderGiftForMaya)
		r, err := c.FindOrders(ctx, acme(), name)
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Orders) != 2 || r.Orders[1].Email != "" || r.Orders[1].ShippingAddress != nil {
			t.Fatalf("%+v", r.Orders)
		}
		for _, f := range []string{"email", "shippingAddress"} {
			if !slices.Contains(r.Withheld, f) {
				t.Errorf("withheld %v lacks %s", r.Withheld, f)
			}
		}
	})
}

func TestSearchProducts(t *testing.T) {
	_, c := newFake(t)
	ctx := context.Background()
	withProducts := domain.Store{ID: 1, WorkspaceID: 1, Domain: fakeshopify.AcmeDomain, AccessToken: domain.NewSecret(fakeshopify.AcmeTokenWithProducts)}

	r, err := c.SearchProducts(ctx, withProducts, "waterproof jacket")
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Products) != 1 {
		t.Fatalf("found %d products, want the active jacket only (not the draft or the archived one)", len(r.Products))
	}
	p := r.Products[0]
	if p.Title != "Trailhead Waterproof Jacket" || p.URL != "https://acme-outfitters.example/products/trailhead-waterproof-jacket" ||
		p.MinPrice != (domain.Money{Amount: "189.0", Currency: "USD"}) || len(p.Variants) != 3 || !p.Available() || p.Description == "" {
		t.Errorf("%+v", p)
	}
	vest, err := c.SearchProducts(ctx, withProducts, "down vest")
	if err != nil || len(vest.Products) != 1 || vest.Products[0].Variants[0].Available || !vest.Products[0].Variants[1].Available {
		t.Errorf("vest %+v, %v", vest, err)
	}
	for _, kw := range []string{"jacket OR socks", "*", `jacket" OR "socks`, "status:draft"} {
		r, err := c.SearchProducts(ctx, withProducts, kw)
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Products) != 0 {
			t.Errorf("%q found %d products", kw, len(r.Products))
		}
	}

	_, err = c.SearchProducts(ctx, acme(), "jacket")
	if domain.KindOf(err) != domain.KindShopifyForbidden || !strings.Contains(domain.MessageOf(err), "read_products") {
		t.Errorf("without read_products: %v", err)
	}
}

func TestShopDetails(t *testing.T) {
	_, c := newFake(t)
	d, err := c.ShopDetails(context.Background(), acme())
	if err != nil {
		t.Fatal(err)
	}
	if d.Name != "Acme Outfitters" || d.Domain != fakeshopify.AcmeDomain || d.Currency != "USD" || d.URL != "https://acme-outfitters.example" ||
		!slices.Equal(d.ShipsTo, []string{"US", "CA", "MX"}) || !slices.Contains(d.Wallets, "APPLE_PAY") || d.Description == "" ||
		len(d.Policies) != 2 || d.Policies[0].URL != "https://acme-outfitters.example/policies/refund-policy" || !slices.Equal(d.Currencies, []string{"USD", "CAD"}) {
		t.Errorf("%+v", d)
	}
}

func readOperations(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("operations.graphql")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

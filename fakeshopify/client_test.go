package fakeshopify

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vektah/gqlparser/v2/gqlerror"

	"shopcard/shopify"
)

func TestCustomerWithOrdersThroughGeneratedClient(t *testing.T) {
	s, ts, clock := startSeeded(t)
	ctx := context.Background()

	tests := []struct {
		name        string
		shop, token string
		email       string
		wantFound   bool
		wantName    string
		wantOrders  int
		wantCount   uint64
		wantFirstNm string // name of the first (newest) order, when set
	}{
		{"60 orders give the newest 50", AcmeDomain, AcmeToken, EmailSixtyOrders, true, "Jordan Rivera", 50, 60, newestOrderName(s, AcmeDomain, EmailSixtyOrders)},
		{"one order", AcmeDomain, AcmeToken, EmailOneOrder, true, "Priya Natarajan", 1, 1, ""},
		{"no orders", AcmeDomain, AcmeToken, EmailNoOrders, true, "Sam Okafor", 0, 0, ""},
		{"no name shows the email", AcmeDomain, AcmeToken, EmailNoName, true, EmailNoName, 2, 2, ""},
		{"email matched despite case and spaces", AcmeDomain, AcmeToken, "  MAYA.Chen@Example.COM ", true, "Maya Chen", 11, 11, ""},
		{"1,287 orders on record, 12 held", AcmeDomain, AcmeToken, EmailThousandsOfOrders, true, "Dana Whitfield", 12, 1287, ""},
		{"same email, other store", NordicDomain, NordicToken, EmailShowcase, true, "Maya Chen", 1, 2, "NG-1"},
		{"no match is null", AcmeDomain, AcmeToken, EmailNoMatch, false, "", 0, 0, ""},
		{"no match in this store", SakuraDomain, SakuraToken, EmailShowcase, false, "", 0, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Each lookup may request 900-odd points; let the bucket refill
			// as it would between contacts, so no case is throttled.
			clock.Advance(20 * time.Second)
			resp, err := shopify.CustomerWithOrders(ctx, client(ts, tt.shop, tt.token), tt.email)
			if err != nil {
				t.Fatal(err)
			}
			c := resp.Customer
			if (c != nil) != tt.wantFound {
				t.Fatalf("found = %v, want %v", c != nil, tt.wantFound)
			}
			if c == nil {
				return
			}
			if c.DisplayName != tt.wantName {
				t.Errorf("displayName %q, want %q", c.DisplayName, tt.wantName)
			}
			if uint64(c.NumberOfOrders) != tt.wantCount {
				t.Errorf("numberOfOrders %d, want %d", c.NumberOfOrders, tt.wantCount)
			}
			nodes := c.Orders.Nodes
			if len(nodes) != tt.wantOrders {
				t.Fatalf("%d orders, want %d", len(nodes), tt.wantOrders)
			}
			if !slices.IsSortedFunc(nodes, func(a, b shopify.CustomerWithOrdersCustomerOrdersOrderConnectionNodesOrder) int {
				return b.CreatedAt.Compare(a.CreatedAt)
			}) {
				t.Error("orders are not newest first")
			}
			if tt.wantFirstNm != "" && !strings.HasPrefix(nodes[0].Name, tt.wantFirstNm) {
				t.Errorf("newest order %q, want %q", nodes[0].Name, tt.wantFirstNm)
			}
		})
	}
}

// newestOrderName is the name of the newest order the server holds for an
// email, straight from the data rather than through GraphQL.
func newestOrderName(s *Server, shop, email string) string {
	c, ok := s.CustomerByEmail(shop, email)
	if !ok {
		return "missing customer " + email
	}
	return s.Orders(shop, c.ID)[0].Name
}

func TestScalarsAndNullsOnTheWire(t *testing.T) {
	s, ts, _ := startSeeded(t)
	maya, _ := s.CustomerByEmail(AcmeDomain, EmailShowcase)
	r := post(t, GraphQLURL(ts.URL, AcmeDomain), AcmeToken, shopify.CustomerWithOrders_Operation, map[string]any{"email": EmailShowcase})
	c := dig(r.json, "data", "customer")
	orders, _ := dig(c, "orders", "nodes").([]any)
	if len(orders) == 0 {
		t.Fatalf("no orders in %s", r.body)
	}

	// Find the seeded order without a financial status.
	var noStatus any
	for _, o := range orders {
		if m := o.(map[string]any); m["displayFinancialStatus"] == nil {
			noStatus = o
		}
	}
	checks := []struct {
		name string
		got  any
		want any
	}{
		{"legacyResourceId is a string", dig(c, "legacyResourceId"), strconv.FormatUint(maya.ID, 10)},
		{"numberOfOrders is a string", dig(c, "numberOfOrders"), "11"},
		{"order legacyResourceId is a string", isString(dig(orders[0], "legacyResourceId")), true},
		{"Decimal is a string", dig(orders[0], "currentTotalPriceSet", "shopMoney", "amount"), "296.0"},
		{"currency", dig(c, "amountSpent", "currencyCode"), "USD"},
		{"DateTime is RFC 3339 UTC", dig(c, "createdAt"), maya.CreatedAt.UTC().Format(time.RFC3339)},
		{"cancelledAt null when not cancelled", dig(orders[0], "cancelledAt"), nil},
		{"financial status null", noStatus != nil, true},
		{"variantTitle null when there is none", dig(orders[2], "lineItems", "nodes", 1, "variantTitle"), nil},
		{"tracking URL null when there is none", dig(orders[2], "fulfillments", 0, "trackingInfo", 2, "url"), nil},
		{"tracking company kept", dig(orders[2], "fulfillments", 0, "trackingInfo", 2, "company"), "Canada Post"},
	}
	for _, tt := range checks {
		if tt.got != tt.want {
			t.Errorf("%s: got %#v, want %#v", tt.name, tt.got, tt.want)
		}
	}

	// The generated client sees the null financial status as nil.
	resp, err := shopify.CustomerWithOrders(context.Background(), client(ts, AcmeDomain, AcmeToken), EmailShowcase)
	if err != nil {
		t.Fatal(err)
	}
	nils := 0
	for _, o := range resp.Customer.Orders.Nodes {
		if o.DisplayFinancialStatus == nil {
			nils++
		}
	}
	if nils != 1 {
		t.Errorf("%d orders without financial status through the client, want 1", nils)
	}
}

func isString(v any) bool { _, ok := v.(string); return ok }

func TestShopAccess(t *testing.T) {
	_, ts, _ := startSeeded(t)
	tests := []struct {
		shop, token string
		wantName    string
		wantScopes  []string
	}{
		{AcmeDomain, AcmeToken, "Acme Outfitters", []string{"read_customers", "read_orders", "read_all_orders", "read_returns"}},
		{AcmeDomain, AcmeTokenCustomersOnly, "Acme Outfitters", []string{"read_customers"}},
		{NordicDomain, NordicToken, "Nordic Goods", []string{"read_customers", "read_orders"}},
		{SakuraDomain, SakuraToken, "さくら文具 Sakura Stationery", []string{"read_customers", "read_orders", "read_all_orders"}},
	}
	for _, tt := range tests {
		t.Run(tt.token, func(t *testing.T) {
			resp, err := shopify.ShopAccess(context.Background(), client(ts, tt.shop, tt.token))
			if err != nil {
				t.Fatal(err)
			}
			if resp.Shop.Name != tt.wantName || resp.Shop.MyshopifyDomain != tt.shop {
				t.Errorf("shop %+v", resp.Shop)
			}
			var got []string
			for _, s := range resp.CurrentAppInstallation.AccessScopes {
				got = append(got, s.Handle)
			}
			if !slices.Equal(got, tt.wantScopes) {
				t.Errorf("scopes %v, want %v", got, tt.wantScopes)
			}
		})
	}
}

func TestGeneratedClientSeesGraphQLErrors(t *testing.T) {
	s, ts, _ := startSeeded(t)
	if err := s.SetFaults(AcmeDomain, Faults{WithholdProtectedData: true}); err != nil {
		t.Fatal(err)
	}
	_, err := shopify.CustomerWithOrders(context.Background(), client(ts, AcmeDomain, AcmeToken), EmailShowcase)
	var list gqlerror.List
	if !errors.As(err, &list) || len(list) != 4 {
		t.Fatalf("err = %v, want a gqlerror.List of 4", err)
	}
}

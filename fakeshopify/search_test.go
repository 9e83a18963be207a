package fakeshopify

import (
	"slices"
	"strings"
	"testing"

	"shopcard/shopify"
)

// searchOrders are the orders the search tests look through.
var searchOrders = []*Order{
	{Name: "#1001", Email: "ada@example.com"},
	{Name: "#1042", Email: "bob@example.com"},
	{Name: "#1042", Email: "dup@example.com"}, // Shopify lets names repeat
	{Name: "NG-1001", Email: "ada@example.com"},
	{Name: "UK-1003", Email: `a") OR (email:"v@x.io`},
	{Name: "#2001", Email: ""},
}

func matchedOrders(t *testing.T, q string) ([]string, error) {
	t.Helper()
	match, err := ordersMatcher(q)
	if err != nil {
		return nil, err
	}
	var got []string
	for _, o := range searchOrders {
		if match(o) {
			got = append(got, o.Name+" "+o.Email)
		}
	}
	return got, nil
}

// TestOrdersSearch holds the fake to Shopify's syntax for orders: what a
// query finds, including the queries that widen a search when a value is
// spliced in unquoted, and what the fake refuses to guess at.
func TestOrdersSearch(t *testing.T) {
	tests := []struct {
		query string
		want  []string // nil: refused
	}{
		{`name:1042`, []string{"#1042 bob@example.com", "#1042 dup@example.com"}},
		{`name:#1042`, []string{"#1042 bob@example.com", "#1042 dup@example.com"}},
		{`name:"#1042"`, []string{"#1042 bob@example.com", "#1042 dup@example.com"}},
		{`name:'1001'`, []string{"#1001 ada@example.com"}},
		{`name:uk-1003`, []string{`UK-1003 a") OR (email:"v@x.io`}},
		{`name:NG-1001`, []string{"NG-1001 ada@example.com"}},
		{`name:1003`, []string{}},
		{`email:ada@example.com`, []string{"#1001 ada@example.com", "NG-1001 ada@example.com"}},
		{`  email:"Ada@Example.com"  `, []string{"#1001 ada@example.com", "NG-1001 ada@example.com"}},
		{`email:"a OR b@example.com"`, []string{}},
		// What unquoted values do: these are what escaping must prevent.
		{`name:10*`, []string{"#1001 ada@example.com", "#1042 bob@example.com", "#1042 dup@example.com"}},
		{`name:1001 OR name:1042`, []string{"#1001 ada@example.com", "#1042 bob@example.com", "#1042 dup@example.com"}},
		{`-name:1042`, []string{"#1001 ada@example.com", "NG-1001 ada@example.com", `UK-1003 a") OR (email:"v@x.io`, "#2001 "}},
		{`NOT name:1042`, []string{"#1001 ada@example.com", "NG-1001 ada@example.com", `UK-1003 a") OR (email:"v@x.io`, "#2001 "}},
		{`(name:1001 OR name:1042) email:bob@example.com`, []string{"#1042 bob@example.com"}},
		{`name:1001 AND email:ada@example.com`, []string{"#1001 ada@example.com"}},
		// Quoted, the same characters are only characters.
		{`name:"10*"`, []string{}},
		{`name:"1001 OR name:1042"`, []string{}},
		{`name:"-1042"`, []string{}},
		{`name:"(1001)"`, []string{}},
		{`email:"a\") OR (email:\"v@x.io"`, []string{`UK-1003 a") OR (email:"v@x.io`}},
		// Refused: what the fake cannot be sure it answers as Shopify would.
		{``, nil},
		{`1042`, nil},
		{`ada@example.com`, nil},
		{`EMAIL:a@example.com`, nil},
		{`financial_status:paid`, nil},
		{`name:>1000`, nil},
		{`email:*@example.com`, nil},
		{`email:`, nil},
		{`email:(a@example.com)`, nil},
		{`email:"unclosed@example.com`, nil},
		{`email:"a\nb@example.com"`, nil},
		{`email:"a"b@example.com"`, nil},
		{`(name:1001`, nil},
		{`name:1001)`, nil},
		{`name:1001 OR`, nil},
		{`name:*`, nil},
		{`name:1*2`, nil},
		{`OR name:1001`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			got, err := matchedOrders(t, tt.query)
			if tt.want == nil {
				if err == nil {
					t.Fatalf("accepted, finding %q", got)
				}
				if !strings.Contains(err.Error(), "not supported by the fake") {
					t.Errorf("error %q does not say the fake refuses it", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) && !(len(got) == 0 && len(tt.want) == 0) {
				t.Errorf("found %q, want %q", got, tt.want)
			}
		})
	}
}

// TestOrderNameQueryCannotWiden: whatever a rep or an agent types as an
// order number, the client's search string finds exactly the orders of
// that name, never one more.
func TestOrderNameQueryCannotWiden(t *testing.T) {
	tests := []struct {
		typed string
		want  []string
	}{
		{"#1042", []string{"#1042 bob@example.com", "#1042 dup@example.com"}},
		{"1042", []string{"#1042 bob@example.com", "#1042 dup@example.com"}},
		{"UK-1003", []string{`UK-1003 a") OR (email:"v@x.io`}},
		{"10*", nil},
		{"*", nil},
		{"1001 OR name:1042", nil},
		{"1001 OR 1042", nil},
		{`1042" OR name:"1001`, nil},
		{`1042\" OR name:\"1001`, nil},
		{`1001") OR (name:"2001`, nil},
		{"(1001)", nil},
		{"-1042", nil},
		{"NOT 1042", nil},
		{"'1001' OR '1042'", nil},
	}
	for _, tt := range tests {
		t.Run(tt.typed, func(t *testing.T) {
			name, err := shopify.NormalizeOrderName(tt.typed)
			if err != nil {
				t.Fatal(err)
			}
			got, err := matchedOrders(t, shopify.OrderNameQuery(name))
			if err != nil {
				t.Fatalf("the fake refused the client's query %q: %v", shopify.OrderNameQuery(name), err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("%q found %q, want %q", shopify.OrderNameQuery(name), got, tt.want)
			}
		})
	}
}

// TestEmailQueryRoundTrips: whatever the email, the client's search string
// finds the orders placed with exactly that email, and no other.
func TestEmailQueryRoundTrips(t *testing.T) {
	for _, email := range []string{
		"ada@example.com", `"q"@x.io`, `\@x.io`, `\"@x.io`, `a\\"b@x.io`, `a:b@x.io`, `(a)@x.io`,
		`a OR b@x.io`, `*@x.io`, `'s'@x.io`, `a") OR (email:"v@x.io`, `zoë@exämple.se`, `\`, `"`,
	} {
		match, err := ordersMatcher(shopify.EmailQuery(email))
		if err != nil {
			t.Errorf("%q: %v", email, err)
			continue
		}
		if !match(&Order{Email: email}) || !match(&Order{Email: strings.ToUpper(email)}) {
			t.Errorf("%q: its own order not found", email)
		}
		if match(&Order{Email: "other@x.io"}) || match(&Order{Email: email + "x"}) {
			t.Errorf("%q: another email's order found", email)
		}
	}
}

// searchProducts are the products the product search tests look through.
var searchProducts = []*Product{
	{Title: "Trailhead Waterproof Jacket", Vendor: "Acme", ProductType: "Jackets", Tags: []string{"rain"}, Status: "ACTIVE",
		Variants: []Variant{{Title: "Forest Green / M"}}},
	{Title: "Merino Wool Hiking Socks (3-Pack)", Vendor: "Acme", ProductType: "Socks", Status: "ACTIVE"},
	{Title: "Packable Down Vest", Vendor: "Acme", ProductType: "Jackets", Status: "ACTIVE"},
	{Title: "Prototype Jacket", Vendor: "Acme", ProductType: "Jackets", Status: "DRAFT"},
	{Title: "Jacket OR Vest (Bundle)", Vendor: "Acme", ProductType: "Bundles", Status: "ACTIVE"},
}

func TestProductsSearch(t *testing.T) {
	tests := []struct {
		query string
		want  []string // nil: refused
	}{
		{`jacket`, []string{"Trailhead Waterproof Jacket", "Jacket OR Vest (Bundle)"}},
		{`JACKET waterproof`, []string{"Trailhead Waterproof Jacket"}},
		{`"waterproof jacket"`, []string{"Trailhead Waterproof Jacket"}},
		{`"jacket waterproof"`, []string{}},
		{`jack*`, []string{"Trailhead Waterproof Jacket", "Packable Down Vest", "Jacket OR Vest (Bundle)"}}, // its type is Jackets
		{`green`, []string{"Trailhead Waterproof Jacket"}},
		{`rain`, []string{"Trailhead Waterproof Jacket"}},
		{`title:vest`, []string{"Packable Down Vest", "Jacket OR Vest (Bundle)"}},
		{`status:draft jacket`, []string{"Prototype Jacket"}},
		{`status:active,draft prototype`, []string{"Prototype Jacket"}},
		{`product_type:socks`, []string{"Merino Wool Hiking Socks (3-Pack)"}},
		{`vendor:acme -jacket -vest`, []string{"Merino Wool Hiking Socks (3-Pack)"}},
		{`socks OR vest`, []string{"Merino Wool Hiking Socks (3-Pack)", "Packable Down Vest", "Jacket OR Vest (Bundle)"}},
		// The client's query for each keyword typed: never wider than the
		// words themselves.
		{shopify.ProductSearchQuery("jacket OR socks"), []string{}},
		{shopify.ProductSearchQuery("jacket or vest"), []string{"Jacket OR Vest (Bundle)"}},
		{shopify.ProductSearchQuery("*"), []string{}},
		{shopify.ProductSearchQuery(`jacket" OR "socks`), []string{}},
		{shopify.ProductSearchQuery("status:draft prototype"), []string{}},
		{shopify.ProductSearchQuery("(socks)"), []string{"Merino Wool Hiking Socks (3-Pack)"}},
		// Refused.
		{`sku:ABC`, nil},
		{`title:>a`, nil},
		{`"unclosed`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			match, err := productsMatcher(tt.query)
			if tt.want == nil {
				if err == nil || !strings.Contains(err.Error(), "not supported by the fake") {
					t.Fatalf("err = %v, want a refusal", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := []string{}
			for _, p := range searchProducts {
				if match(p) {
					got = append(got, p.Title)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("found %q, want %q", got, tt.want)
			}
		})
	}
}

// TestNormalizeEmail: the fast path for emails already as Shopify keeps
// them gives what the full mapping gives.
func TestNormalizeEmail(t *testing.T) {
	for in, want := range map[string]string{
		"a@b.co":         "a@b.co",
		"A@B.co":         "a@b.co",
		" a@b.co\t":      "a@b.co",
		"a\r\n@b.co":     "a@b.co",
		"a\v\f@b.co":     "a@b.co",
		"ÅSA@b.se":       "åsa@b.se",
		"a\u00a0@b.co":   "a@b.co",
		"x+tag@b.co":     "x+tag@b.co",
		"\"q\"@b.co":     "\"q\"@b.co",
		"ZOE@EXAMPLE.SE": "zoe@example.se",
	} {
		if got := normalizeEmail(in); got != want {
			t.Errorf("normalizeEmail(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestSoleEmailTerm: only a search for exactly one email, in full, reads
// the email index; anything else is matched against every order.
func TestSoleEmailTerm(t *testing.T) {
	tests := []struct {
		q    string
		want string
		ok   bool
	}{
		{`email:"a@b.co"`, "a@b.co", true},
		{`email:a@b.co`, "a@b.co", true},
		{`email:"a\"b@c.co"`, `a"b@c.co`, true},
		{`email:a*`, "", false},
		{`email:"a@b.co" OR email:"c@d.co"`, "", false},
		{`-email:"a@b.co"`, "", false},
		{`name:1001`, "", false},
	}
	for _, tt := range tests {
		got, ok := soleEmailTerm(tt.q)
		if got != tt.want || ok != tt.ok {
			t.Errorf("soleEmailTerm(%q) = %q, %v; want %q, %v", tt.q, got, ok, tt.want, tt.ok)
		}
	}
}

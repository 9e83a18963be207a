package fakeshopify

import (
	"strings"
	"testing"

	"shopcard/shopify"
)

func TestParseOrderSearch(t *testing.T) {
	tests := []struct {
		query string
		want  string // "" means refused
	}{
		{`email:ada@example.com`, "ada@example.com"},
		{`  email:"Ada@Example.com"  `, "ada@example.com"},
		{`email:'ada@example.com'`, "ada@example.com"},
		{`email:"a\"b@example.com"`, `a"b@example.com`},
		{`email:"a\\b@example.com"`, `a\b@example.com`},
		{`email:"a OR b@example.com"`, "aorb@example.com"},
		{`email:"*@example.com"`, "*@example.com"},
		// Refused: anything the fake cannot be sure it filters right.
		{``, ""},
		{`ada@example.com`, ""},
		{`email:`, ""},
		{`email:""`, ""},
		{`name:#1001`, ""},
		{`email:*@example.com`, ""},
		{`email:a@example.com OR email:b@example.com`, ""},
		{`email:a@example.com email:b@example.com`, ""},
		{`email:"unclosed@example.com`, ""},
		{`email:"a\nb@example.com"`, ""},
		{`email:"a"b@example.com"`, ""},
		{`email:(a@example.com)`, ""},
		{`-email:a@example.com`, ""},
		{`EMAIL:a@example.com`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			got, err := parseOrderSearch(tt.query)
			if tt.want == "" {
				if err == nil {
					t.Fatalf("accepted, as %q", got)
				}
				if !strings.Contains(err.Error(), "not supported by the fake") {
					t.Errorf("error %q does not say the fake refuses it", err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("got %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

// TestEmailQueryRoundTrips: whatever the email, the client's search string
// reads back as exactly that email.
func TestEmailQueryRoundTrips(t *testing.T) {
	for _, email := range []string{
		"ada@example.com", `"q"@x.io`, `\@x.io`, `\"@x.io`, `a\\"b@x.io`, `a:b@x.io`, `(a)@x.io`,
		`a OR b@x.io`, `*@x.io`, `'s'@x.io`, `a") OR (email:"v@x.io`, `zoë@exämple.se`, `\`, `"`,
	} {
		got, err := parseOrderSearch(shopify.EmailQuery(email))
		if err != nil || got != normalizeEmail(email) {
			t.Errorf("%q: read back %q, %v", email, got, err)
		}
	}
}

package handlers_test

import (
	"net/http"
	"strings"
	"testing"

	"shopcard/embedtoken"
	"shopcard/fakeshopify"
	"shopcard/internal/apptest"
)

// TestSidebarRefusesLookalikeEmails: a token whose address differs from a
// customer's only by a Unicode lookalike (which strings.ToLower or NFKC
// would fold into the ASCII letter) gets a 400 page saying why, on the page
// and on every section, and never that customer's card or a Shopify call.
func TestSidebarRefusesLookalikeEmails(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	acme := env.Stores[fakeshopify.AcmeDomain]
	tests := []struct {
		name, email, victim string
	}{
		{"Kelvin sign for k", strings.Replace(fakeshopify.EmailNoOrders, "k", "\u212A", 1), "Okafor"},
		{"dotted capital I for i", strings.Replace(fakeshopify.EmailOneOrder, "i", "\u0130", 1), "Natarajan"},
		{"fullwidth m", strings.Replace(fakeshopify.EmailShowcase, "m", "\uFF4D", 1), "Maya"},
		{"no-break space around", "\u00A0" + fakeshopify.EmailShowcase, "Maya"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok := env.Token(t, tt.email)
			for _, req := range []struct{ name, path, header string }{
				{"page", "/sidebar?token=" + tok, ""},
				{"section", apptest.SectionPath(acme), tok},
			} {
				resp, body := env.Get(t, req.path, req.header)
				if resp.StatusCode != http.StatusBadRequest {
					t.Fatalf("%s: status %d, want 400", req.name, resp.StatusCode)
				}
				if !strings.Contains(body, "outside plain ASCII") {
					t.Errorf("%s: the page does not say what is wrong with the address: %s", req.name, body)
				}
				if strings.Contains(body, tt.victim) {
					t.Errorf("%s: a lookalike address showed %s's customer", req.name, tt.victim)
				}
			}
		})
	}
	if n := env.Fake.Requests(fakeshopify.AcmeDomain); n != 0 {
		t.Errorf("lookalike addresses reached Shopify %d times", n)
	}
	// The ASCII address itself still works.
	resp, body := env.Get(t, apptest.SectionPath(acme), env.TokenFor(t, embedtoken.Claims{Email: " SAM.Okafor@Example.com "}))
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Okafor") {
		t.Fatalf("the real address: status %d, no customer card", resp.StatusCode)
	}
}

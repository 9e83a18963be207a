package handlers_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"shopcard/fakeshopify"
	"shopcard/internal/apptest"
)

// TestOversizedTokensAreRefusedUnread: a token longer than any real one,
// in the query or in the fragment header, is refused with the too-long
// page inside the inbox's frame, before it is parsed, split or verified,
// and however it is made up.
func TestOversizedTokensAreRefusedUnread(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	acme := env.Stores[fakeshopify.AcmeDomain]
	valid := env.Token(t, fakeshopify.EmailShowcase)
	tests := []struct {
		name, path, header string
	}{
		{"separators in the query", "/sidebar?token=" + strings.Repeat(".", 256<<10), ""},
		{"base64 in the query", "/sidebar?token=" + strings.Repeat("A", 256<<10), ""},
		{"a valid token buried in a long query", "/sidebar?token=" + valid + "&pad=" + strings.Repeat("x", 16<<10), ""},
		{"separators in the header", apptest.SectionPath(acme), strings.Repeat(".", 256<<10)},
		{"a valid token padded in the header", apptest.SectionPath(acme), valid + strings.Repeat("A", 16<<10)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := env.Get(t, tt.path, tt.header)
			if resp.StatusCode != http.StatusUnauthorized {
				t.Fatalf("status %d, want 401", resp.StatusCode)
			}
			doc, _ := goquery.NewDocumentFromReader(strings.NewReader(body))
			msg := doc.Find(apptest.Sel("rejection-message")).Text()
			if tt.header != "" {
				msg = doc.Text()
			}
			if !strings.Contains(msg, "far longer than any real one") {
				t.Errorf("message %q does not say the token is too long", msg)
			}
			if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors "+apptest.InboxOrigin) {
				t.Errorf("the refusal must show inside the inbox's frame; CSP %q", csp)
			}
		})
	}
	if n := env.Fake.Requests(fakeshopify.AcmeDomain); n != 0 {
		t.Errorf("refused requests reached Shopify %d times", n)
	}
}

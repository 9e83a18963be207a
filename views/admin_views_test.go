package views

import (
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

func TestEmbedPageShowsTheSecretOnlyWhenGiven(t *testing.T) {
	base := EmbedPage{Workspace: "acme", RevealAction: "/admin/embed/secret", Chrome: AdminChrome{CSRF: "tok"}}
	revealed := base
	revealed.Secret = "s3cret-value"
	tests := []struct {
		name       string
		page       EmbedPage
		wantSecret bool
	}{
		{"hidden", base, false},
		{"revealed", revealed, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := renderDoc(t, EmbedPageView(tt.page))
			value, shown := doc.Find(testid("secret-value")).Attr("value")
			if shown != tt.wantSecret || (shown && value != "s3cret-value") {
				t.Errorf("secret field shown %v with %q", shown, value)
			}
			if reveal := doc.Find(testid("secret-reveal")).Length() == 1; reveal == tt.wantSecret {
				t.Errorf("reveal button present: %v", reveal)
			}
			// Every form that changes something carries the CSRF token.
			doc.Find(`form[method="post"]`).Each(func(i int, f *goquery.Selection) {
				if v, _ := f.Find(`input[name="csrf"]`).Attr("value"); v != "tok" {
					t.Errorf("POST form %d has no CSRF token", i)
				}
			})
		})
	}
}

func TestStoreRowCallsOutScopes(t *testing.T) {
	row := StoreRow{
		ID: "store-1", Domain: "nordic.myshopify.com", ShopName: "Nordic",
		Scopes: []ScopeChip{
			{Name: "read_customers", Tone: ToneGood},
			{Name: "read_orders", Tone: ToneBad, Note: "missing"},
			{Name: "read_all_orders", Tone: ToneWarn, Note: "not granted"},
		},
		ScopeNotes: []string{"Missing read_orders: customers show without their orders."},
		Status:     Badge{Label: "Needs reconnect", Tone: ToneBad},
		LastError:  "Shopify rejected this store's access token (401).",
	}
	doc := renderDoc(t, StoresPageView(StoresPage{Stores: []StoreRow{row}}))
	for scope, tone := range map[string]string{"read_customers": "good", "read_orders": "bad", "read_all_orders": "warn"} {
		if got, _ := doc.Find(`[data-scope="` + scope + `"]`).Attr("data-tone"); got != tone {
			t.Errorf("%s tone %q, want %q", scope, got, tone)
		}
	}
	if got := text(doc, "store-last-ok"); got != "never" {
		t.Errorf("last OK %q", got)
	}
	if got := text(doc, "store-last-error"); !strings.Contains(got, "401") {
		t.Errorf("last error %q", got)
	}
	if doc.Find(testid("oauth-domain")).Length() != 0 {
		t.Error("the OAuth form shows without an OAuth action")
	}
}

package views

import (
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

func TestEmbedPageShowsTheSecretOnlyWhenGiven(t *testing.T) {
	base := EmbedPage{Workspace: "acme", RevealURL: "/admin/embed/secret", Snippets: []Snippet{{ID: "snippet-go", Title: "Go", Code: "package inbox"}}, Chrome: AdminChrome{CSRF: "tok"}}
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

// TestOAuthCheckboxLabelIsOneLine: the label is a flex row, so its words
// must be one item, or each text run and <code> becomes a column of its
// own on a narrow screen.
func TestOAuthCheckboxLabelIsOneLine(t *testing.T) {
	doc := renderDoc(t, StoresPageView(StoresPage{OAuthAction: "/admin/stores/oauth"}))
	label := doc.Find(testid("oauth-all-orders-label"))
	kids := label.Children()
	if kids.Length() != 2 || !kids.Eq(0).Is(`input[type="checkbox"]`) || !kids.Eq(1).Is("span") {
		t.Fatalf("label children: %d", kids.Length())
	}
	var bare []string
	label.Contents().Each(func(_ int, n *goquery.Selection) {
		if goquery.NodeName(n) == "#text" && strings.TrimSpace(n.Text()) != "" {
			bare = append(bare, n.Text())
		}
	})
	if len(bare) != 0 || !strings.Contains(kids.Eq(1).Text(), "read_all_orders") {
		t.Errorf("text outside the span: %q", bare)
	}
}

// TestDevDashboardFormComesFirst: the Dev Dashboard app is the first way
// to connect, with its steps and the scopes to choose; a refused domain
// comes back with its suggestion, and the secret never does.
func TestDevDashboardFormComesFirst(t *testing.T) {
	page := StoresPage{
		URL: "/admin/stores", DevDashboardAction: "/admin/stores/dev-dashboard", ConnectAction: "/admin/stores", OAuthAction: "/admin/stores/oauth",
		DevDomain: "acme", DevClientID: "abc123", DevError: "Did you mean acme.myshopify.com?", DevSuggestion: "acme.myshopify.com",
		ScopesToChoose: []ScopeChoice{{Name: "read_customers", Required: true, For: "x"}, {Name: "read_fulfillments", For: "y"}},
		Chrome:         AdminChrome{CSRF: "tok"},
	}
	doc := renderDoc(t, StoresPageView(page))
	var cards []string
	doc.Find(`section[data-testid^="connect-"]`).Each(func(_ int, s *goquery.Selection) {
		id, _ := s.Attr("data-testid")
		cards = append(cards, id)
	})
	if strings.Join(cards, ",") != "connect-devdash-card,connect-oauth-card,connect-token-card" {
		t.Errorf("connect cards in order %v", cards)
	}
	if doc.Find(testid("devdash-steps")+" li").Length() < 4 || doc.Find(testid("devdash-scope")).Length() != 2 {
		t.Error("the Dev Dashboard steps or scopes are missing")
	}
	if v, _ := doc.Find(testid("devdash-client-id")).Attr("value"); v != "abc123" {
		t.Errorf("client ID echoed as %q", v)
	}
	if _, has := doc.Find(testid("devdash-client-secret")).Attr("value"); has {
		t.Error("the secret field has a value")
	}
	link := doc.Find(testid("devdash-suggestion"))
	href, _ := link.Attr("href")
	fill, _ := link.Attr("data-fill")
	if value, _ := link.Attr("data-value"); value != "acme.myshopify.com" || fill != "devdash-domain" || href != "/admin/stores?dev_domain=acme.myshopify.com#connect-devdash-card" {
		t.Errorf("suggestion %q fills %q, falls back to %q", value, fill, href)
	}
	if doc.Find(testid("connect-suggestion")).Length() != 0 {
		t.Error("a suggestion shows under a form that was not refused")
	}
}

// TestCopyButtonsNeedScript: copy buttons start hidden (admin.js shows
// them), and each names an element that exists.
func TestCopyButtonsNeedScript(t *testing.T) {
	doc := renderDoc(t, EmbedPageView(EmbedPage{Secret: "s", Snippets: []Snippet{{ID: "snippet-go", Code: "x"}, {ID: "snippet-html", Code: "y"}}}))
	buttons := doc.Find("button[data-copy]")
	if buttons.Length() != 3 {
		t.Fatalf("%d copy buttons, want 3 (the secret and two snippets)", buttons.Length())
	}
	buttons.Each(func(_ int, b *goquery.Selection) {
		target, _ := b.Attr("data-copy")
		if _, hidden := b.Attr("hidden"); !hidden || doc.Find("#"+target).Length() != 1 {
			t.Errorf("copy button for %q: hidden %v, target found %d", target, hidden, doc.Find("#"+target).Length())
		}
	})
}

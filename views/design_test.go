package views

import (
	"encoding/json"
	"testing"
)

func TestCustomerCardWithoutNameShowsTheEmailOnce(t *testing.T) {
	tests := []struct {
		name      string
		card      CustomerCard
		emailLine bool
	}{
		{"named", CustomerCard{DisplayName: "Ada Lovelace", Email: "ada@example.com", Since: since}, true},
		{"the email stands in for the name", CustomerCard{DisplayName: "ada@example.com", Email: "ada@example.com", Since: since}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := renderDoc(t, CustomerCardView(tt.card))
			if got := doc.Find(testid("customer-email")).Length() == 1; got != tt.emailLine {
				t.Errorf("email line shown = %v, want %v", got, tt.emailLine)
			}
			if dir, _ := doc.Find(testid("customer-name")).Attr("dir"); dir != "auto" {
				t.Errorf("the name has dir=%q; right-to-left names need dir=auto", dir)
			}
		})
	}
}

func TestOrderRowOpensOnlyWhenAsked(t *testing.T) {
	for _, open := range []bool{false, true} {
		o := order("#1001", Badge{Label: "Fulfilled"}, Badge{Label: "Paid"})
		o.Open = open
		doc := renderDoc(t, OrderRowView(o))
		if _, got := doc.Find("details" + testid("order")).Attr("open"); got != open {
			t.Errorf("Open=%v renders open=%v", open, got)
		}
	}
}

func TestPageLinksOnlyTheScriptsItHas(t *testing.T) {
	doc := renderDoc(t, Page("t", Assets{CSS: "/static/app.css"}, ThemeSystem))
	if n := doc.Find("script").Length(); n != 0 {
		t.Errorf("a page without scripts links %d", n)
	}
	doc = renderDoc(t, Page("t", Assets{CSS: "/static/app.css", HTMX: "/static/htmx.min.js", JS: "/static/sidebar.js"}, ThemeSystem))
	if n := doc.Find("script[defer]").Length(); n != 2 {
		t.Errorf("the sidebar's page links %d deferred scripts, want htmx and sidebar.js", n)
	}
}

// TestHTMXConfigTimesOut: a request that never gets an answer must become
// the section's note, and htmx only applies a timeout it read before the
// sections' first requests.
func TestHTMXConfigTimesOut(t *testing.T) {
	var cfg struct {
		Timeout   int  `json:"timeout"`
		AllowEval bool `json:"allowEval"`
	}
	if err := json.Unmarshal([]byte(htmxConfig), &cfg); err != nil {
		t.Fatal(err)
	}
	if cfg.Timeout <= 0 || cfg.AllowEval {
		t.Errorf("htmx-config %s: want a timeout and no eval", htmxConfig)
	}
}

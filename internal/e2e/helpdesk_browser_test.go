package e2e

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"shopcard/fakehelpdesk"
	"shopcard/fakeshopify"
	"shopcard/inbox"
	"shopcard/internal/apptest"
	"shopcard/internal/browsertest"
	"shopcard/internal/demo"
)

// appWatcher runs in every document; in shopcard's helpdesk pages it
// reports, once loaded, the sidebar's contact and theme or the refusal.
const appWatcher = `(() => {
  if (!location.pathname.startsWith("/apps/")) return;
  document.addEventListener("DOMContentLoaded", () => {
    const emails = [...document.querySelectorAll('[data-testid="contact-email"]')].map(e => e.textContent);
    const rejection = document.querySelector('[data-testid="rejection-message"]');
    if (!emails.length && !rejection) return;
    window.shopcardSidebar({path: location.pathname, emails, rejection: rejection ? rejection.textContent : "",
      theme: document.documentElement.className, stores: document.querySelectorAll('[data-testid="store-section"]').length});
  });
})();`

type sidebarReport struct {
	Path      string   `json:"path"`
	Emails    []string `json:"emails"`
	Rejection string   `json:"rejection"`
	Theme     string   `json:"theme"`
	Stores    int      `json:"stores"`
}

// helpdeskTab opens a tab whose shopcard documents report their sidebar.
func helpdeskTab(tb testing.TB, browser context.Context) (context.Context, <-chan sidebarReport) {
	tb.Helper()
	ctx := newTab(tb, browser)
	reports := make(chan sidebarReport, 16)
	step(tb, ctx, "watch shopcard's pages",
		chromedp.ExposeFunc("shopcardSidebar", func(_ context.Context, r sidebarReport) (chromedp.Void, error) {
			reports <- r
			return chromedp.Void{}, nil
		}),
		runAtDocumentStart(appWatcher),
	)
	return ctx, reports
}

// reportWait bounds a wait for something that must happen, so that a
// test that goes wrong says what it waited for. It is only a backstop, well
// above what a loaded machine takes; the browser tests' own deadlines are
// the limit, and nothing is asserted about how long anything took.
const reportWait = 2 * time.Minute

func nextReport(tb testing.TB, reports <-chan sidebarReport, what string) sidebarReport {
	tb.Helper()
	select {
	case r := <-reports:
		return r
	case <-time.After(reportWait):
		tb.Fatalf("%s: no sidebar appeared", what)
	}
	return sidebarReport{}
}

func wantContact(tb testing.TB, r sidebarReport, email, what string) {
	tb.Helper()
	if r.Rejection != "" || !slices.Contains(r.Emails, email) || r.Stores != 3 {
		tb.Fatalf("%s: got %+v, want %s's sidebar with acme-support's 3 stores", what, r, email)
	}
}

// TestBrowserHelpdeskApps opens shopcard in each fake helpdesk's own page,
// on its own origin, with the real postMessage, MessagePort, form POST and
// iframe behaviour and shopcard's CSP enforced by Chromium.
func TestBrowserHelpdeskApps(t *testing.T) {
	t.Parallel()
	browser := browsertest.Start(t, 3*time.Minute)
	env := apptest.Start(t, apptest.Options{})
	fakes, err := fakehelpdesk.Start(env.Now)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(fakes.Close)
	insts, err := demo.SeedInstallations(context.Background(), env.App, env.WS, fakes)
	if err != nil {
		t.Fatal(err)
	}
	app := func(kind inbox.Kind) string { return env.URL + "/apps/" + string(kind) + "?install=" + insts[kind].ID }

	t.Run("chatwoot", func(t *testing.T) {
		ctx, reports := helpdeskTab(t, browser)
		console := browsertest.WatchConsole(ctx)
		step(t, ctx, "open the conversation", chromedp.Navigate(fakehelpdesk.ChatwootPageURL(fakes.ChatwootURL, fakehelpdesk.ChatwootAccount, fakehelpdesk.ChatwootMaya, app(inbox.Chatwoot))))
		r := nextReport(t, reports, "first context")
		wantContact(t, r, fakeshopify.EmailShowcase, "first context")
		if r.Theme != "light" {
			t.Errorf("theme %q, want Chatwoot's light", r.Theme)
		}
		asked, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.getAttribute("data-fetch-info") || ""`))
		if err != nil || asked != "1" {
			t.Error("the app never posted chatwoot-dashboard-app:fetch-info")
		}
		step(t, ctx, "the agent opens the next conversation", chromedp.Click(chromedp.CSS(`#next-contact`)))
		wantContact(t, nextReport(t, reports, "next conversation"), fakeshopify.EmailSixtyOrders, "next conversation")
		step(t, ctx, "the agent switches to dark", chromedp.Click(chromedp.CSS(`#toggle-theme`)))
		if r := nextReport(t, reports, "dark theme"); r.Theme != "dark" || !slices.Contains(r.Emails, fakeshopify.EmailSixtyOrders) {
			t.Errorf("after the theme changed: %+v", r)
		}
		console.NoErrors(t)
		step(t, ctx, "a conversation with a contact Chatwoot doesn't know", chromedp.Click(chromedp.CSS(`#send-unknown`)))
		if r := nextReport(t, reports, "unknown contact"); r.Rejection == "" || len(r.Emails) > 0 {
			t.Errorf("an unknown contact: %+v", r)
		}
	})

	t.Run("helpscout", func(t *testing.T) {
		ctx, reports := helpdeskTab(t, browser)
		page := fmt.Sprintf("%s/conversation/%d?app=%s", fakes.HelpScoutURL, fakehelpdesk.HelpScoutMaya, url.QueryEscape(app(inbox.HelpScout)))
		step(t, ctx, "open the conversation", chromedp.Navigate(page))
		r := nextReport(t, reports, "signed query")
		if !slices.Contains(r.Emails, fakeshopify.EmailShowcaseOther) {
			t.Errorf("want both of Help Scout's emails: %+v", r)
		}
		wantContact(t, r, fakeshopify.EmailShowcase, "signed query")
		step(t, ctx, "open a tampered conversation", chromedp.Navigate(page+"&tamper=1"))
		if r := nextReport(t, reports, "tampered query"); r.Rejection == "" {
			t.Errorf("a tampered query: %+v", r)
		}
	})

	t.Run("front", func(t *testing.T) {
		ctx, reports := helpdeskTab(t, browser)
		page := fakes.FrontURL + "/inbox?plugin=" + url.QueryEscape(app(inbox.Front))
		step(t, ctx, "open Front", chromedp.Navigate(page))
		wantContact(t, nextReport(t, reports, "first conversation"), fakeshopify.EmailShowcase, "first conversation")
		step(t, ctx, "the teammate opens the next conversation", chromedp.Click(chromedp.CSS(`#next-conversation`)))
		wantContact(t, nextReport(t, reports, "next conversation"), fakeshopify.EmailSixtyOrders, "next conversation")
		step(t, ctx, "open Front with a wrong auth secret", chromedp.Navigate(page+"&secret=wrong"))
		if r := nextReport(t, reports, "wrong secret"); r.Rejection == "" {
			t.Errorf("a wrong auth secret: %+v", r)
		}
	})

	t.Run("zendesk", func(t *testing.T) {
		ctx, reports := helpdeskTab(t, browser)
		page := fmt.Sprintf("%s/agent/tickets/%d?app=%s", fakes.ZendeskURL, fakehelpdesk.ZendeskMayaTicket, url.QueryEscape(app(inbox.Zendesk)))
		step(t, ctx, "open the ticket", chromedp.Navigate(page))
		wantContact(t, nextReport(t, reports, "signed POST"), fakeshopify.EmailShowcase, "signed POST")
		step(t, ctx, "the agent changes the requester", chromedp.Click(chromedp.CSS(`#change-requester`)))
		wantContact(t, nextReport(t, reports, "new requester"), fakeshopify.EmailSixtyOrders, "new requester")
		for _, forge := range []string{fakehelpdesk.ForgeWrongKey, fakehelpdesk.ForgeExpired, fakehelpdesk.ForgeAudience} {
			step(t, ctx, "open the ticket signed "+forge, chromedp.Navigate(page+"&forge="+forge))
			if r := nextReport(t, reports, forge); r.Rejection == "" {
				t.Errorf("a token signed %s: %+v", forge, r)
			}
		}
	})
}

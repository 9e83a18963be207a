package handlers_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"shopcard/fakehelpdesk"
	"shopcard/fakeshopify"
	"shopcard/inbox"
	"shopcard/inbox/front"
	"shopcard/inbox/zendesk"
	"shopcard/internal/apptest"
	"shopcard/internal/demo"
)

// helpdeskEnv is the application with the four fake helpdesks and an
// installation of each, for acme-support and for rival.
type helpdeskEnv struct {
	*apptest.Env
	fakes *fakehelpdesk.Set
	acme  demo.Installations
	rival demo.Installations
}

func newHelpdeskEnv(t *testing.T) *helpdeskEnv {
	t.Helper()
	return newHelpdeskEnvWith(t, apptest.Options{Layout: apptest.AdminLayout})
}

// newHelpdeskEnvWith is newHelpdeskEnv with other options; the layout
// must be AdminLayout, which has rival.
func newHelpdeskEnvWith(t *testing.T, o apptest.Options) *helpdeskEnv {
	t.Helper()
	env := apptest.Start(t, o)
	fakes, err := fakehelpdesk.Start(env.Now)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(fakes.Close)
	h := &helpdeskEnv{Env: env, fakes: fakes}
	if h.acme, err = demo.SeedInstallations(context.Background(), env.App, env.WS, fakes); err != nil {
		t.Fatal(err)
	}
	if h.rival, err = demo.SeedInstallations(context.Background(), env.App, env.Rival, fakes); err != nil {
		t.Fatal(err)
	}
	return h
}

// do sends a request without following redirects and parses the page.
func (h *helpdeskEnv) do(t *testing.T, method, path string, form url.Values) (*http.Response, *goquery.Document) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, h.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	doc, err := goquery.NewDocumentFromReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, doc
}

// shell opens a kind's app page and returns its form's fields.
func (h *helpdeskEnv) shell(t *testing.T, method, path string, form url.Values) url.Values {
	t.Helper()
	resp, doc := h.do(t, method, path, form)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s %s: status %d: %s", method, path, resp.StatusCode, doc.Find(apptest.Sel("rejection-message")).Text())
	}
	fields := url.Values{}
	doc.Find("#sidebar-request input").Each(func(_ int, s *goquery.Selection) {
		fields.Set(s.AttrOr("name", ""), s.AttrOr("value", ""))
	})
	if fields.Get("grant") == "" || fields.Get("install") == "" {
		t.Fatalf("the page's form has no grant or installation: %v", fields)
	}
	return fields
}

func (h *helpdeskEnv) sidebar(t *testing.T, kind inbox.Kind, fields url.Values, ref string) (*http.Response, *goquery.Document) {
	t.Helper()
	f := url.Values{}
	for k, v := range fields {
		f[k] = v
	}
	f.Set("ref", ref)
	return h.do(t, http.MethodPost, "/apps/"+string(kind)+"/sidebar", f)
}

func emailsOf(doc *goquery.Document) []string {
	var out []string
	doc.Find(apptest.Sel("contact-email")).Each(func(_ int, s *goquery.Selection) { out = append(out, s.Text()) })
	return out
}

func storesOf(doc *goquery.Document) []string {
	var out []string
	doc.Find(apptest.Sel("store-domain")).Each(func(_ int, s *goquery.Selection) { out = append(out, s.Text()) })
	return out
}

// wantRejected checks a refusal: 401 (429 for the rate limit), inside the
// helpdesk's frame, saying what to fix.
func wantRejected(t *testing.T, resp *http.Response, doc *goquery.Document, status int, message string) {
	t.Helper()
	if resp.StatusCode != status {
		t.Fatalf("status %d, want %d (%s)", resp.StatusCode, status, doc.Find(apptest.Sel("rejection-message")).Text())
	}
	if msg := doc.Find(apptest.Sel("rejection-message")).Text(); !strings.Contains(msg, message) {
		t.Errorf("message %q does not contain %q", msg, message)
	}
	if len(doc.Find(apptest.Sel("store-section")).Nodes) > 0 {
		t.Error("a refusal shows store sections")
	}
}

func TestChatwootApp(t *testing.T) {
	t.Parallel()
	h := newHelpdeskEnv(t)
	inst := h.acme[inbox.Chatwoot]
	resp, doc := h.do(t, http.MethodGet, "/apps/chatwoot?install="+inst.ID, nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if got := doc.Find("body").AttrOr("data-helpdesk-origin", ""); got != h.fakes.ChatwootURL {
		t.Errorf("the page listens to %q, want the installation's Chatwoot origin %q", got, h.fakes.ChatwootURL)
	}
	csp := resp.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "frame-ancestors "+h.fakes.ChatwootURL+" 'self'") || !strings.Contains(csp, "frame-src 'self'") {
		t.Errorf("CSP %q: Chatwoot must frame the page, and the page its sidebar", csp)
	}
	fields := h.shell(t, http.MethodGet, "/apps/chatwoot?install="+inst.ID, nil)

	t.Run("valid contact opens the sidebar with Chatwoot's email", func(t *testing.T) {
		resp, doc := h.sidebar(t, inbox.Chatwoot, fields, strconv.Itoa(fakehelpdesk.ChatwootMaya))
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d: %s", resp.StatusCode, doc.Find(apptest.Sel("rejection-message")).Text())
		}
		if got := emailsOf(doc); len(got) != 1 || got[0] != fakeshopify.EmailShowcase {
			t.Errorf("emails %v", got)
		}
		if got := strings.Join(storesOf(doc), " "); got != fakeshopify.AcmeDomain+" "+fakeshopify.NordicDomain {
			t.Errorf("stores %q, want acme-support's", got)
		}
		if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors "+h.fakes.ChatwootURL+" 'self'") {
			t.Errorf("the sidebar must be framable by Chatwoot and the app page: %q", csp)
		}
	})
	t.Run("context change opens the new contact", func(t *testing.T) {
		_, doc := h.sidebar(t, inbox.Chatwoot, fields, strconv.Itoa(fakehelpdesk.ChatwootJordan))
		if got := emailsOf(doc); len(got) != 1 || got[0] != fakeshopify.EmailSixtyOrders {
			t.Errorf("emails %v", got)
		}
	})

	other := url.Values{}
	for k, v := range fields {
		other[k] = v
	}
	other.Set("grant", h.shell(t, http.MethodGet, "/apps/chatwoot?install="+h.rival[inbox.Chatwoot].ID, nil).Get("grant"))
	tests := []struct {
		name    string
		fields  url.Values
		ref     string
		status  int
		message string
	}{
		{"contact of another account", fields, strconv.Itoa(fakehelpdesk.ChatwootStranger), 401, "doesn't know this contact"},
		{"contact Chatwoot doesn't know", fields, "424242", 401, "doesn't know this contact"},
		{"tampered id", fields, "1/../../2", 401, "isn't one"},
		{"no id", fields, "", 401, "isn't one"},
		{"forged grant", func() url.Values {
			f := url.Values{"install": {inst.ID}, "grant": {inst.ID + ".AAAAAAAAAAA.bm9wZQ"}}
			return f
		}(), "1", 401, "isn't valid for this installation"},
		{"another installation's grant", other, "1", 401, "isn't valid for this installation"},
		{"unknown installation", url.Values{"install": {"aaaaaaaaaaaaaaaaaaaa"}, "grant": {"x"}}, "1", 401, "names no shopcard installation"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, doc := h.sidebar(t, inbox.Chatwoot, tt.fields, tt.ref)
			wantRejected(t, resp, doc, tt.status, tt.message)
		})
	}
	t.Run("expired grant", func(t *testing.T) {
		env := newHelpdeskEnv(t)
		f := env.shell(t, http.MethodGet, "/apps/chatwoot?install="+env.acme[inbox.Chatwoot].ID, nil)
		env.Clock.Advance(inbox.GrantTTL + time.Minute)
		resp, doc := env.sidebar(t, inbox.Chatwoot, f, "1")
		wantRejected(t, resp, doc, 401, "open too long")
	})
	if strings.Contains(h.Logs.String(), fakeshopify.EmailShowcase) || strings.Contains(h.Logs.String(), inst.ID) {
		t.Error("the logs name a contact or an installation's ID")
	}
	if !strings.Contains(h.Logs.String(), inbox.Handle(inst.ID)) {
		t.Error("the logs don't name the installation's handle")
	}
}

func TestLeakedInstallationURLShowsOnlyItsWorkspace(t *testing.T) {
	t.Parallel()
	h := newHelpdeskEnv(t)
	// rival's Chatwoot URL, used from anywhere, opens rival's stores only.
	fields := h.shell(t, http.MethodGet, "/apps/chatwoot?install="+h.rival[inbox.Chatwoot].ID, nil)
	_, doc := h.sidebar(t, inbox.Chatwoot, fields, strconv.Itoa(fakehelpdesk.ChatwootMaya))
	if got := strings.Join(storesOf(doc), " "); got != fakeshopify.SakuraDomain {
		t.Errorf("rival's installation shows %q", got)
	}
	// Mixing rival's installation with acme's grant gets nothing.
	acmeFields := h.shell(t, http.MethodGet, "/apps/chatwoot?install="+h.acme[inbox.Chatwoot].ID, nil)
	mixed := url.Values{"install": {h.rival[inbox.Chatwoot].ID}, "grant": {acmeFields.Get("grant")}}
	resp, doc := h.sidebar(t, inbox.Chatwoot, mixed, "1")
	wantRejected(t, resp, doc, 401, "isn't valid for this installation")
}

func TestHelpScoutApp(t *testing.T) {
	t.Parallel()
	h := newHelpdeskEnv(t)
	inst := h.acme[inbox.HelpScout]
	app := "/apps/helpscout?install=" + inst.ID
	signed := func(customer int64) string {
		return strings.TrimPrefix(h.fakes.HelpScout.SignedAppURL(app, 3382942562, customer), "")
	}
	resp, doc := h.do(t, http.MethodGet, signed(fakehelpdesk.HelpScoutMaya), nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %s", resp.StatusCode, doc.Find(apptest.Sel("rejection-message")).Text())
	}
	if got := emailsOf(doc); strings.Join(got, " ") != fakeshopify.EmailShowcase+" "+fakeshopify.EmailShowcaseOther {
		t.Errorf("emails %v, want both of Help Scout's", got)
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "https://secure.helpscout.net") {
		t.Errorf("CSP %q does not let Help Scout frame the sidebar", csp)
	}
	_, doc = h.do(t, http.MethodGet, signed(fakehelpdesk.HelpScoutJordan), nil)
	if got := emailsOf(doc); len(got) != 1 || got[0] != fakeshopify.EmailSixtyOrders {
		t.Errorf("another conversation: emails %v", got)
	}

	good := signed(fakehelpdesk.HelpScoutMaya)
	otherSecret := fakehelpdesk.NewHelpScout("", "", "not-the-signing-key")
	tests := []struct {
		name, path, message string
	}{
		{"tampered customer", strings.Replace(good, "customer-id=501", "customer-id=502", 1), "changed after Help Scout signed it"},
		{"tampered mailbox", strings.Replace(good, "mailbox-id=364558", "mailbox-id=1", 1), "changed after Help Scout signed it"},
		{"added parameter", good + "&customer-id2=1", "changed after Help Scout signed it"},
		{"wrong key", otherSecret.SignedAppURL(app, 1, fakehelpdesk.HelpScoutMaya), "wasn't signed with the app's secret key"},
		{"no signature", app + "&customer-id=501", "didn't sign"},
		{"unknown customer", signed(999), "doesn't know this customer"},
		{"other installation's URL", strings.Replace(good, inst.ID, h.acme[inbox.Front].ID, 1), "belongs to a Front installation"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, doc := h.do(t, http.MethodGet, tt.path, nil)
			wantRejected(t, resp, doc, 401, tt.message)
		})
	}
}

func TestFrontApp(t *testing.T) {
	t.Parallel()
	h := newHelpdeskEnv(t)
	inst := h.acme[inbox.Front]
	app := "/apps/front?install=" + inst.ID + "&" + front.AuthSecretParam + "="
	fields := h.shell(t, http.MethodGet, app+fakehelpdesk.FrontAuthSecret, nil)
	resp, _ := h.do(t, http.MethodGet, app+fakehelpdesk.FrontAuthSecret, nil)
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "https://*.frontapp.com https://*.frontapplication.com") {
		t.Errorf("CSP %q lacks Front's documented frame ancestors", csp)
	}
	for _, tt := range []struct{ name, path, message string }{
		{"wrong auth secret", app + "nope", "doesn't match"},
		{"no auth secret", "/apps/front?install=" + inst.ID, "didn't add its auth secret"},
		{"rival's auth secret on acme's installation", app + "x" + fakehelpdesk.FrontAuthSecret, "doesn't match"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp, doc := h.do(t, http.MethodGet, tt.path, nil)
			wantRejected(t, resp, doc, 401, tt.message)
		})
	}
	_, doc := h.sidebar(t, inbox.Front, fields, fakehelpdesk.FrontMaya)
	if got := emailsOf(doc); len(got) != 1 || got[0] != fakeshopify.EmailShowcase {
		t.Errorf("emails %v", got)
	}
	_, doc = h.sidebar(t, inbox.Front, fields, fakehelpdesk.FrontJordan)
	if got := emailsOf(doc); len(got) != 1 || got[0] != fakeshopify.EmailSixtyOrders {
		t.Errorf("another conversation: emails %v", got)
	}
	for _, tt := range []struct{ name, ref, message string }{
		{"unknown conversation", "cnv_zzz", "doesn't know this conversation"},
		{"tampered id", "cnv_1a/../me", "isn't one"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp, doc := h.sidebar(t, inbox.Front, fields, tt.ref)
			wantRejected(t, resp, doc, 401, tt.message)
		})
	}
}

func TestZendeskApp(t *testing.T) {
	t.Parallel()
	h := newHelpdeskEnv(t)
	inst := h.acme[inbox.Zendesk]
	app := "/apps/zendesk?install=" + inst.ID + "&origin=" + url.QueryEscape(h.fakes.ZendeskURL) + "&app_guid=g"
	token := func(forge string) url.Values {
		tok, err := h.fakes.Zendesk.Token(forge)
		if err != nil {
			t.Fatal(err)
		}
		return url.Values{zendesk.TokenField: {tok}}
	}
	fields := h.shell(t, http.MethodPost, app, token(""))
	for _, tt := range []struct {
		name    string
		form    url.Values
		message string
	}{
		{"wrong key", token(fakehelpdesk.ForgeWrongKey), "wasn't signed by the app's key"},
		{"expired", token(fakehelpdesk.ForgeExpired), "has expired"},
		{"another installation's audience", token(fakehelpdesk.ForgeAudience), "another account or app installation"},
		{"no token", url.Values{"x": {"1"}}, "didn't sign"},
		{"tampered token", url.Values{zendesk.TokenField: {token("").Get(zendesk.TokenField) + "x"}}, "wasn't signed by the app's key"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp, doc := h.do(t, http.MethodPost, app, tt.form)
			wantRejected(t, resp, doc, 401, tt.message)
		})
	}
	_, doc := h.sidebar(t, inbox.Zendesk, fields, strconv.Itoa(fakehelpdesk.ZendeskMayaTicket))
	if got := emailsOf(doc); len(got) != 1 || got[0] != fakeshopify.EmailShowcase {
		t.Errorf("emails %v", got)
	}
	// The ticket's requester changes: the same ticket shows the new one.
	h.fakes.Zendesk.SetRequester(fakehelpdesk.ZendeskMayaTicket, 12)
	_, doc = h.sidebar(t, inbox.Zendesk, fields, strconv.Itoa(fakehelpdesk.ZendeskMayaTicket))
	if got := emailsOf(doc); len(got) != 1 || got[0] != fakeshopify.EmailSixtyOrders {
		t.Errorf("after the requester changed: emails %v", got)
	}
	resp, doc := h.sidebar(t, inbox.Zendesk, fields, "777")
	wantRejected(t, resp, doc, 401, "doesn't know this ticket")
}

func TestVerificationsAreRateLimitedPerInstallation(t *testing.T) {
	t.Parallel()
	// The clock stands still, so the allowance refills only when the test
	// moves it: the counts hold however slowly the requests run.
	clock := apptest.NewStoppedClock(time.Now())
	h := newHelpdeskEnvWith(t, apptest.Options{Layout: apptest.AdminLayout, Now: clock.Now})
	fields := h.shell(t, http.MethodGet, "/apps/chatwoot?install="+h.acme[inbox.Chatwoot].ID, nil)
	for i := 0; i < inbox.VerifyBurst; i++ {
		if resp, doc := h.sidebar(t, inbox.Chatwoot, fields, "1"); resp.StatusCode != http.StatusOK {
			t.Fatalf("request %d of the burst of %d: status %d (%s)", i+1, inbox.VerifyBurst, resp.StatusCode, doc.Find(apptest.Sel("rejection-message")).Text())
		}
	}
	limited := func(what string) {
		t.Helper()
		before := h.fakes.Chatwoot.Calls()
		resp, doc := h.sidebar(t, inbox.Chatwoot, fields, "1")
		wantRejected(t, resp, doc, http.StatusTooManyRequests, "too many contacts")
		if h.fakes.Chatwoot.Calls() != before {
			t.Errorf("%s: a limited request still asked Chatwoot", what)
		}
	}
	limited("after the burst")
	// One verification's worth of time lets exactly one more through.
	clock.Advance(time.Duration(float64(time.Second) / float64(inbox.VerifyRate)))
	if resp, _ := h.sidebar(t, inbox.Chatwoot, fields, "1"); resp.StatusCode != http.StatusOK {
		t.Errorf("after the allowance refilled by one: status %d", resp.StatusCode)
	}
	limited("after the refilled one")
	// Another installation has its own allowance.
	other := h.shell(t, http.MethodGet, "/apps/chatwoot?install="+h.rival[inbox.Chatwoot].ID, nil)
	if resp, _ := h.sidebar(t, inbox.Chatwoot, other, "1"); resp.StatusCode != http.StatusOK {
		t.Errorf("rival's installation: status %d", resp.StatusCode)
	}
}

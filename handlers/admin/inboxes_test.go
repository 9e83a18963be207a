package admin_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"shopcard/domain"
	"shopcard/fakehelpdesk"
	"shopcard/fakeshopify"
	"shopcard/inbox"
	"shopcard/inbox/zendesk"
	"shopcard/internal/apptest"
	"shopcard/internal/demo"
)

// inboxEnv is the admin console's application with the four fake
// helpdesks running beside it, each on its own origin.
type inboxEnv struct {
	*adminEnv
	fakes *fakehelpdesk.Set
}

func newInboxEnv(tb testing.TB, o adminOptions) *inboxEnv {
	tb.Helper()
	env := newAdminEnvWith(tb, o)
	fakes, err := fakehelpdesk.Start(env.Now)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(fakes.Close)
	return &inboxEnv{adminEnv: env, fakes: fakes}
}

// installations reads a workspace's installations back from the database.
func (e *inboxEnv) installations(tb testing.TB, ws domain.Workspace) []inbox.Installation {
	tb.Helper()
	list, err := e.App.DB.InstallationsByWorkspace(context.Background(), ws.ID)
	if err != nil {
		tb.Fatal(err)
	}
	return list
}

// row is an installation's row on the inboxes page.
func row(p apptest.Page, inst inbox.Installation) *goquery.Selection {
	return p.Doc.Find(`[data-testid="inbox-row"][data-handle="` + inbox.Handle(inst.ID) + `"]`)
}

// addForm is a kind's add form on the inboxes page.
func addForm(p apptest.Page, k inbox.Kind) *goquery.Selection {
	return p.Doc.Find(`[data-testid="inbox-add-form"][data-kind="` + string(k) + `"]`)
}

// noSecrets fails the test if a page or the logs show any of secrets.
func noSecrets(tb testing.TB, where, text string, secrets []string) {
	tb.Helper()
	for _, s := range secrets {
		if strings.Contains(text, s) {
			tb.Errorf("%s shows the secret %q", where, s)
		}
	}
}

func TestInboxesAddTestRemove(t *testing.T) {
	t.Parallel()
	const extraOrigin = "https://help.acme.example"
	tests := []struct {
		kind inbox.Kind
		// form fills the add form from the fakes' URLs and credentials.
		form    func(f *fakehelpdesk.Set) url.Values
		secrets []string
		// auto are the origins the kind adds itself.
		auto     func(f *fakehelpdesk.Set) []string
		settings func(t *testing.T, f *fakehelpdesk.Set, s inbox.Settings)
		passed   string
		// opens proves that the URL the page gives opens the app.
		opens func(t *testing.T, env *inboxEnv, b *apptest.Browser, inst inbox.Installation, appURL string)
	}{
		{
			kind: inbox.Chatwoot,
			form: func(f *fakehelpdesk.Set) url.Values {
				return url.Values{"url": {f.ChatwootURL + "/"}, "account": {"1"}, "api_token": {fakehelpdesk.ChatwootToken}}
			},
			secrets: []string{fakehelpdesk.ChatwootToken},
			auto:    func(f *fakehelpdesk.Set) []string { return []string{f.ChatwootURL} },
			settings: func(t *testing.T, f *fakehelpdesk.Set, s inbox.Settings) {
				if s.BaseURL != f.ChatwootURL || s.AccountID != 1 || s.APIToken.Reveal() != fakehelpdesk.ChatwootToken {
					t.Errorf("saved %s, account %d, token kept: %v", s.BaseURL, s.AccountID, s.APIToken.Reveal() == fakehelpdesk.ChatwootToken)
				}
			},
			passed: "the agent's access token opens account 1's contacts",
			opens: func(t *testing.T, env *inboxEnv, b *apptest.Browser, _ inbox.Installation, appURL string) {
				p := b.Get(appURL)
				if p.Status() != http.StatusOK || p.Doc.Find("body").AttrOr("data-helpdesk-origin", "") != env.fakes.ChatwootURL {
					t.Errorf("the Chatwoot app: %d, listening to %q", p.Status(), p.Doc.Find("body").AttrOr("data-helpdesk-origin", ""))
				}
			},
		},
		{
			kind: inbox.HelpScout,
			form: func(f *fakehelpdesk.Set) url.Values {
				return url.Values{"client_id": {fakehelpdesk.HelpScoutClientID}, "client_secret": {fakehelpdesk.HelpScoutSecret},
					"signing_secret": {fakehelpdesk.HelpScoutSigningKey}, "api_url": {f.HelpScoutURL}}
			},
			secrets: []string{fakehelpdesk.HelpScoutSecret, fakehelpdesk.HelpScoutSigningKey},
			auto:    func(*fakehelpdesk.Set) []string { return []string{"https://secure.helpscout.net"} },
			settings: func(t *testing.T, f *fakehelpdesk.Set, s inbox.Settings) {
				if s.ClientID != fakehelpdesk.HelpScoutClientID || s.ClientSecret.Reveal() != fakehelpdesk.HelpScoutSecret ||
					s.SigningSecret.Reveal() != fakehelpdesk.HelpScoutSigningKey || s.BaseURL != f.HelpScoutURL {
					t.Errorf("saved client %q at %q; secrets kept: %v %v", s.ClientID, s.BaseURL,
						s.ClientSecret.Reveal() == fakehelpdesk.HelpScoutSecret, s.SigningSecret.Reveal() == fakehelpdesk.HelpScoutSigningKey)
				}
			},
			passed: "Help Scout gave shopcard an access token for the OAuth app " + fakehelpdesk.HelpScoutClientID,
			opens: func(t *testing.T, env *inboxEnv, b *apptest.Browser, _ inbox.Installation, appURL string) {
				p := b.Get(env.fakes.HelpScout.SignedAppURL(appURL, 3382942562, fakehelpdesk.HelpScoutMaya))
				if p.Status() != http.StatusOK || p.Text("contact-email") != fakeshopify.EmailShowcase {
					t.Errorf("Help Scout's signed URL: %d, contact %q (%s)", p.Status(), p.Text("contact-email"), p.Text("rejection-message"))
				}
			},
		},
		{
			kind: inbox.Front,
			form: func(f *fakehelpdesk.Set) url.Values {
				return url.Values{"auth_secret": {fakehelpdesk.FrontAuthSecret}, "api_token": {fakehelpdesk.FrontToken}, "api_url": {f.FrontURL}}
			},
			secrets: []string{fakehelpdesk.FrontAuthSecret, fakehelpdesk.FrontToken},
			auto: func(*fakehelpdesk.Set) []string {
				return []string{"https://*.frontapp.com", "https://*.frontapplication.com"}
			},
			settings: func(t *testing.T, f *fakehelpdesk.Set, s inbox.Settings) {
				if s.AuthSecret.Reveal() != fakehelpdesk.FrontAuthSecret || s.APIToken.Reveal() != fakehelpdesk.FrontToken || s.BaseURL != f.FrontURL {
					t.Errorf("saved API %q; secrets kept: %v %v", s.BaseURL, s.AuthSecret.Reveal() == fakehelpdesk.FrontAuthSecret, s.APIToken.Reveal() == fakehelpdesk.FrontToken)
				}
			},
			passed: "Front accepted the API token",
			opens: func(t *testing.T, env *inboxEnv, b *apptest.Browser, _ inbox.Installation, appURL string) {
				p := b.Get(appURL + "&auth_secret=" + url.QueryEscape(fakehelpdesk.FrontAuthSecret))
				if p.Status() != http.StatusOK || p.Doc.Find(`#sidebar-request input[name="grant"]`).AttrOr("value", "") == "" {
					t.Errorf("the Front plugin with Front's auth secret: %d (%s)", p.Status(), p.Text("rejection-message"))
				}
			},
		},
		{
			kind: inbox.Zendesk,
			form: func(f *fakehelpdesk.Set) url.Values {
				return url.Values{"url": {f.ZendeskURL}, "email": {fakehelpdesk.ZendeskEmail}, "api_token": {fakehelpdesk.ZendeskToken}}
			},
			secrets: []string{fakehelpdesk.ZendeskToken},
			auto:    func(f *fakehelpdesk.Set) []string { return []string{f.ZendeskURL} },
			settings: func(t *testing.T, f *fakehelpdesk.Set, s inbox.Settings) {
				if s.BaseURL != f.ZendeskURL || s.APIEmail != fakehelpdesk.ZendeskEmail || s.APIToken.Reveal() != fakehelpdesk.ZendeskToken || s.PublicKeyPEM != "" {
					t.Errorf("saved %s as %s, token kept: %v, key %q", s.BaseURL, s.APIEmail, s.APIToken.Reveal() == fakehelpdesk.ZendeskToken, s.PublicKeyPEM)
				}
			},
			passed: "Zendesk accepted the API token of " + fakehelpdesk.ZendeskEmail,
			opens:  zendeskPackageAndKey,
		},
	}
	for _, tt := range tests {
		t.Run(string(tt.kind), func(t *testing.T) {
			t.Parallel()
			env := newInboxEnv(t, adminOptions{})
			b := env.SignIn(t, apptest.AdminEmail, apptest.AdminPassword)
			p := b.Get("/admin/inboxes")
			if p.Status() != http.StatusOK || p.Doc.Find(apptest.Sel("no-inboxes")).Length() != 1 {
				t.Fatalf("the empty inboxes page: %d", p.Status())
			}
			if p.Attr("nav-inboxes", "aria-current") != "page" {
				t.Error("the navigation doesn't mark the Inboxes page as current")
			}
			form := addForm(p, tt.kind)
			if form.Find(apptest.Sel("inbox-step")).Length() == 0 || form.Find(apptest.Sel("inbox-after-step")).Length() == 0 {
				t.Error("the add form has no steps before or after")
			}
			// Help Scout's and Front's origins are fixed; Chatwoot's and
			// Zendesk's come from the URL the admin enters.
			auto := form.Find(apptest.Sel("inbox-auto-origins"))
			var listed []string
			auto.Find("code").Each(func(_ int, s *goquery.Selection) { listed = append(listed, s.Text()) })
			switch tt.kind {
			case inbox.HelpScout, inbox.Front:
				if !slices.Equal(listed, tt.auto(env.fakes)) {
					t.Errorf("the form's automatic origins %v, want %v", listed, tt.auto(env.fakes))
				}
			default:
				if len(listed) != 0 || !strings.Contains(auto.Text(), "the origin of the "+tt.kind.Title()+" URL") {
					t.Errorf("the form's automatic origins: %v %q", listed, auto.Text())
				}
			}
			form.Find(`input[type="password"]`).Each(func(_ int, s *goquery.Selection) {
				if _, filled := s.Attr("value"); filled {
					t.Errorf("the secret field %s has a value attribute", s.AttrOr("name", ""))
				}
			})

			values := tt.form(env.fakes)
			values.Set("kind", string(tt.kind))
			values.Set("label", "Support team")
			values.Set("frame_origins", extraOrigin)
			p = b.Post("/admin/inboxes", values)
			if p.Status() != http.StatusSeeOther || p.Location() != "/admin/inboxes" {
				t.Fatalf("add: %d → %q: %s", p.Status(), p.Location(), p.Text("inbox-add-error"))
			}
			list := env.installations(t, env.WS)
			if len(list) != 1 || list[0].Kind != tt.kind || list[0].Label != "Support team" || !slices.Equal(list[0].FrameOrigins, []string{extraOrigin}) {
				t.Fatalf("saved %+v", list)
			}
			inst := list[0]
			tt.settings(t, env.fakes, inst.Settings)

			p = b.Get("/admin/inboxes")
			if got := p.Text("notice"); !strings.Contains(got, "Added the "+tt.kind.Title()+" installation "+inbox.Handle(inst.ID)) {
				t.Errorf("notice %q", got)
			}
			r := row(p, inst)
			if r.Length() != 1 {
				t.Fatal("no row for the installation")
			}
			appURL := r.Find(apptest.Sel("inbox-url")).AttrOr("value", "")
			if want := env.URL + "/apps/" + string(tt.kind) + "?install=" + inst.ID; appURL != want {
				t.Errorf("URL to paste %q, want %q", appURL, want)
			}
			if got := strings.TrimSpace(r.Find(apptest.Sel("inbox-handle")).Text()); got != inbox.Handle(inst.ID) {
				t.Errorf("log handle %q", got)
			}
			if got := r.Find(apptest.Sel("inbox-paste-where")).Text(); !strings.Contains(got, tt.kind.Title()) {
				t.Errorf("where to paste: %q", got)
			}
			origins := map[string]string{}
			r.Find(apptest.Sel("inbox-origin")).Each(func(_ int, s *goquery.Selection) {
				origins[strings.TrimSpace(s.Find("code").Text())] = s.AttrOr("data-automatic", "")
			})
			for _, o := range tt.auto(env.fakes) {
				if origins[o] != "true" {
					t.Errorf("origin %s: %q, want shown as added automatically (all: %v)", o, origins[o], origins)
				}
			}
			if origins[extraOrigin] != "false" {
				t.Errorf("the admin's origin: %q, want shown as added by an admin", origins[extraOrigin])
			}
			noSecrets(t, "the inboxes page", p.Body, tt.secrets)

			tt.opens(t, env, b, inst, appURL)

			calls := env.fakes.Chatwoot.Calls()
			p = b.Post("/admin/inboxes/"+inst.ID+"/test", nil)
			if p.Status() != http.StatusSeeOther {
				t.Fatalf("test: %d", p.Status())
			}
			p = b.Get("/admin/inboxes")
			if got := p.Text("notice"); p.Attr("notice", "data-tone") != "ok" || !strings.Contains(got, tt.passed) {
				t.Errorf("test notice (%s) %q, want %q", p.Attr("notice", "data-tone"), got, tt.passed)
			}
			if tt.kind == inbox.Chatwoot && env.fakes.Chatwoot.Calls() != calls+1 {
				t.Errorf("the test asked Chatwoot %d times, want once", env.fakes.Chatwoot.Calls()-calls)
			}
			noSecrets(t, "the test's answer", p.Body, tt.secrets)

			confirm := b.Get("/admin/inboxes/" + inst.ID + "/remove")
			if confirm.Status() != http.StatusOK || !strings.Contains(confirm.Text("inbox-remove-confirm"), inbox.Handle(inst.ID)) {
				t.Fatalf("confirmation: %d", confirm.Status())
			}
			if len(env.installations(t, env.WS)) != 1 {
				t.Fatal("the confirmation page removed the installation")
			}
			noSecrets(t, "the confirmation page", confirm.Body, tt.secrets)
			p = b.Post("/admin/inboxes/"+inst.ID+"/remove", nil)
			if p.Status() != http.StatusSeeOther || p.Location() != "/admin/inboxes" {
				t.Fatalf("remove: %d → %q", p.Status(), p.Location())
			}
			if n := len(env.installations(t, env.WS)); n != 0 {
				t.Errorf("%d installations after removal", n)
			}
			p = b.Get("/admin/inboxes")
			if !strings.Contains(p.Text("notice"), "Removed the "+tt.kind.Title()+" installation") || row(p, inst).Length() != 0 {
				t.Errorf("after removal: notice %q, row still shown: %v", p.Text("notice"), row(p, inst).Length() != 0)
			}
			if tt.kind != inbox.Zendesk {
				if p := env.Browser(t).Get(appURL); p.Status() != http.StatusUnauthorized || !strings.Contains(p.Text("rejection-message"), "names no shopcard installation") {
					t.Errorf("the removed installation's URL: %d %q", p.Status(), p.Text("rejection-message"))
				}
			}
			noSecrets(t, "the logs", env.Logs.String(), tt.secrets)
			if strings.Contains(env.Logs.String(), inst.ID) {
				t.Error("the logs name the installation's ID")
			}
		})
	}
}

// zendeskPackageAndKey downloads the app package, checks its manifest
// points at the URL the page gives, saves the fake app's public key, and
// opens the app with a token the fake Zendesk signs.
func zendeskPackageAndKey(t *testing.T, env *inboxEnv, b *apptest.Browser, inst inbox.Installation, appURL string) {
	t.Helper()
	page := b.Get("/admin/inboxes")
	r := row(page, inst)
	if got := r.Find(apptest.Sel("inbox-key-status")).AttrOr("data-saved", ""); got != "false" {
		t.Errorf("key status %q before the key is given", got)
	}
	pkg := b.Get(r.Find(apptest.Sel("inbox-package")).AttrOr("href", ""))
	if pkg.Status() != http.StatusOK || pkg.Resp.Header.Get("Content-Type") != "application/zip" ||
		!strings.Contains(pkg.Resp.Header.Get("Content-Disposition"), `filename="shopcard-zendesk.zip"`) {
		t.Fatalf("package: %d %q %q", pkg.Status(), pkg.Resp.Header.Get("Content-Type"), pkg.Resp.Header.Get("Content-Disposition"))
	}
	zr, err := zip.NewReader(bytes.NewReader([]byte(pkg.Body)), int64(len(pkg.Body)))
	if err != nil {
		t.Fatal(err)
	}
	var manifest zendesk.Manifest
	for _, f := range zr.File {
		if f.Name != "manifest.json" {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(rc)
		rc.Close()
		if err := json.Unmarshal(raw, &manifest); err != nil {
			t.Fatal(err)
		}
	}
	sidebar, _ := manifest.Location["support"].(map[string]any)["ticket_sidebar"].(map[string]any)
	if !manifest.SignedURLs || !manifest.Private || sidebar["url"] != appURL {
		t.Errorf("manifest: signed URLs %v, private %v, ticket sidebar at %v, want %s", manifest.SignedURLs, manifest.Private, sidebar["url"], appURL)
	}
	open := func() int {
		tok, err := env.fakes.Zendesk.Token("")
		if err != nil {
			t.Fatal(err)
		}
		p := env.Browser(t)
		req, _ := http.NewRequest(http.MethodPost, appURL+"&origin="+url.QueryEscape(env.fakes.ZendeskURL)+"&app_guid=g", strings.NewReader(url.Values{"token": {tok}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		return p.Do(req).Status()
	}
	if got := open(); got != http.StatusUnauthorized {
		t.Errorf("Zendesk's signed request before the key is saved: %d, want 401", got)
	}
	p := b.Post(r.Find(apptest.Sel("inbox-key-form")).AttrOr("action", ""), url.Values{
		"public_key": {env.fakes.Zendesk.PublicKeyPEM()}, "app_installation_id": {strconv.FormatInt(env.fakes.Zendesk.InstallationID, 10)},
	})
	if p.Status() != http.StatusSeeOther {
		t.Fatalf("save the key: %d: %s", p.Status(), p.Text("inbox-key-error"))
	}
	p = b.Get("/admin/inboxes")
	audience := zendesk.Audience(env.fakes.ZendeskURL, env.fakes.Zendesk.InstallationID)
	if !strings.Contains(p.Text("notice"), audience) || row(p, inst).Find(apptest.Sel("inbox-key-status")).AttrOr("data-saved", "") != "true" {
		t.Errorf("after saving the key: notice %q", p.Text("notice"))
	}
	if got := open(); got != http.StatusOK {
		t.Errorf("Zendesk's signed request: %d, want 200", got)
	}
}

func TestInboxTestSaysWhatToFix(t *testing.T) {
	t.Parallel()
	env := newInboxEnv(t, adminOptions{})
	gone := httptest.NewServer(http.NotFoundHandler())
	gone.Close()
	redirect := httptest.NewServer(http.RedirectHandler("https://elsewhere.example/", http.StatusFound))
	t.Cleanup(redirect.Close)
	failing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusBadGateway) }))
	t.Cleanup(failing.Close)
	f := env.fakes
	tests := []struct {
		name string
		inst inbox.Installation
		tone string
		want []string
	}{
		{"Chatwoot, wrong token", inbox.Installation{Kind: inbox.Chatwoot, Settings: inbox.Settings{BaseURL: f.ChatwootURL, AccountID: 1, APIToken: domain.NewSecret("wrong-token")}},
			"error", []string{"Chatwoot refused the agent's access token for account 1 (status 401)", "Profile settings → Access token"}},
		{"Chatwoot, another account", inbox.Installation{Kind: inbox.Chatwoot, Settings: inbox.Settings{BaseURL: f.ChatwootURL, AccountID: 99, APIToken: domain.NewSecret(fakehelpdesk.ChatwootToken)}},
			"error", []string{"isn't in account 99", "check the account id"}},
		{"Chatwoot, nothing listening", inbox.Installation{Kind: inbox.Chatwoot, Settings: inbox.Settings{BaseURL: gone.URL, AccountID: 1, APIToken: domain.NewSecret(fakehelpdesk.ChatwootToken)}},
			"error", []string{"shopcard got no answer: the connection was refused from " + gone.URL, "Check that it is Chatwoot's address"}},
		{"Chatwoot, a redirect", inbox.Installation{Kind: inbox.Chatwoot, Settings: inbox.Settings{BaseURL: redirect.URL, AccountID: 1, APIToken: domain.NewSecret(fakehelpdesk.ChatwootToken)}},
			"error", []string{"a redirect (status 302), which shopcard doesn't follow"}},
		{"Help Scout, wrong App Secret", inbox.Installation{Kind: inbox.HelpScout, Settings: inbox.Settings{BaseURL: f.HelpScoutURL, ClientID: fakehelpdesk.HelpScoutClientID, ClientSecret: domain.NewSecret("wrong"), SigningSecret: domain.NewSecret("k")}},
			"error", []string{"Help Scout refused the OAuth app's App ID " + fakehelpdesk.HelpScoutClientID + " and App Secret", "Your Profile → My Apps"}},
		{"Front, wrong token", inbox.Installation{Kind: inbox.Front, Settings: inbox.Settings{BaseURL: f.FrontURL, APIToken: domain.NewSecret("wrong"), AuthSecret: domain.NewSecret("a")}},
			"error", []string{"Front refused the API token (status 401)"}},
		{"Front, failing", inbox.Installation{Kind: inbox.Front, Settings: inbox.Settings{BaseURL: failing.URL, APIToken: domain.NewSecret(fakehelpdesk.FrontToken), AuthSecret: domain.NewSecret("a")}},
			"error", []string{"shopcard got status 502 from " + failing.URL, "test again in a moment"}},
		{"Zendesk, wrong token", inbox.Installation{Kind: inbox.Zendesk, Settings: inbox.Settings{BaseURL: f.ZendeskURL, APIEmail: fakehelpdesk.ZendeskEmail, APIToken: domain.NewSecret("wrong")}},
			"error", []string{"Zendesk refused the API token of " + fakehelpdesk.ZendeskEmail + " (status 401)", "token access is on"}},
		{"Zendesk, no key yet", inbox.Installation{Kind: inbox.Zendesk, Settings: inbox.Settings{BaseURL: f.ZendeskURL, APIEmail: fakehelpdesk.ZendeskEmail, APIToken: domain.NewSecret(fakehelpdesk.ZendeskToken)}},
			"ok", []string{"Zendesk accepted the API token", "public key isn't saved yet"}},
		{"Zendesk, key saved", inbox.Installation{Kind: inbox.Zendesk, Settings: inbox.Settings{BaseURL: f.ZendeskURL, APIEmail: fakehelpdesk.ZendeskEmail, APIToken: domain.NewSecret(fakehelpdesk.ZendeskToken),
			PublicKeyPEM: f.Zendesk.PublicKeyPEM(), AppInstallationID: f.Zendesk.InstallationID}},
			"ok", []string{"public key of app installation 360001 is saved", zendesk.Audience(f.ZendeskURL, 360001)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.inst.WorkspaceID = env.WS.ID
			inst, err := env.App.DB.CreateInstallation(context.Background(), tt.inst)
			if err != nil {
				t.Fatal(err)
			}
			b := env.SignIn(t, apptest.AdminEmail, apptest.AdminPassword)
			if p := b.Post("/admin/inboxes/"+inst.ID+"/test", nil); p.Status() != http.StatusSeeOther {
				t.Fatalf("test: %d", p.Status())
			}
			p := b.Get("/admin/inboxes")
			if p.Attr("notice", "data-tone") != tt.tone {
				t.Errorf("tone %q, want %q", p.Attr("notice", "data-tone"), tt.tone)
			}
			got := p.Text("notice")
			if tt.tone == "error" && !strings.Contains(got, inbox.Handle(inst.ID)+" failed its test") {
				t.Errorf("notice %q doesn't name the installation that failed", got)
			}
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("notice %q lacks %q", got, w)
				}
			}
			if strings.Contains(got, "Reopen the conversation") || strings.Contains(got, "Ask an admin") {
				t.Errorf("the admin is given the rep's advice: %q", got)
			}
			noSecrets(t, "the test's answer", p.Body, []string{"wrong-token", fakehelpdesk.ChatwootToken, fakehelpdesk.FrontToken, fakehelpdesk.ZendeskToken})
		})
	}
}

func TestInboxAddRefusals(t *testing.T) {
	t.Parallel()
	env := newInboxEnv(t, adminOptions{})
	const token = "a-secret-that-must-not-come-back"
	tests := []struct {
		name string
		kind inbox.Kind
		form url.Values
		want []string
		// echoed are plain fields that must come back as typed.
		echoed map[string]string
	}{
		{"Chatwoot without a URL", inbox.Chatwoot, url.Values{"account": {"1"}, "api_token": {token}},
			[]string{"Chatwoot URL: enter it, such as https://chat.acme.com."}, map[string]string{"account": "1"}},
		{"Chatwoot over http", inbox.Chatwoot, url.Values{"url": {"http://chat.acme.example"}, "account": {"1"}, "api_token": {token}},
			[]string{"Chatwoot URL: use https"}, map[string]string{"url": "http://chat.acme.example"}},
		{"Chatwoot URL with a query", inbox.Chatwoot, url.Values{"url": {"https://chat.acme.example/?a=1"}, "account": {"1"}, "api_token": {token}},
			[]string{"Chatwoot URL: enter the address alone"}, nil},
		{"Chatwoot account not a number", inbox.Chatwoot, url.Values{"url": {"https://chat.acme.example"}, "account": {"acme"}, "api_token": {token}},
			[]string{"Account id: enter the number in the dashboard's address"}, map[string]string{"url": "https://chat.acme.example", "account": "acme"}},
		{"Chatwoot without a token", inbox.Chatwoot, url.Values{"url": {"https://chat.acme.example"}, "account": {"1"}},
			[]string{"Agent's access token: paste it"}, nil},
		{"Help Scout secret key too long", inbox.HelpScout, url.Values{"client_id": {"app-id"}, "client_secret": {token}, "signing_secret": {strings.Repeat("k", 41)}},
			[]string{"Help Scout takes 40 characters at most, and this one has 41"}, map[string]string{"client_id": "app-id"}},
		{"Help Scout without an App ID", inbox.HelpScout, url.Values{"client_secret": {token}, "signing_secret": {"key"}},
			[]string{"App ID: paste the OAuth app's App ID"}, nil},
		{"Front without an auth secret", inbox.Front, url.Values{"api_token": {token}},
			[]string{"App's auth secret: paste it"}, nil},
		{"Zendesk on its own domain", inbox.Zendesk, url.Values{"url": {"https://support.acme.example"}, "email": {"ada@acme.example"}, "api_token": {token}},
			[]string{"enter the account's zendesk.com address"}, map[string]string{"url": "https://support.acme.example", "email": "ada@acme.example"}},
		{"Zendesk without an email", inbox.Zendesk, url.Values{"url": {"https://acme.zendesk.com"}, "email": {"ada"}, "api_token": {token}},
			[]string{"API user's email: enter the email"}, map[string]string{"email": "ada"}},
		{"frame origins that aren't", inbox.Front, url.Values{"auth_secret": {token}, "api_token": {token}, "frame_origins": {"ftp://files.example"}},
			[]string{"More origins allowed to frame the app:", "is not an origin"}, map[string]string{"frame_origins": "ftp://files.example"}},
		{"frame origins 'none'", inbox.Front, url.Values{"auth_secret": {token}, "api_token": {token}, "frame_origins": {"'none'"}},
			[]string{"shopcard itself and https://*.frontapp.com and https://*.frontapplication.com are allowed already"}, nil},
		{"several problems at once", inbox.Chatwoot, url.Values{"url": {"chat"}, "account": {"0"}},
			[]string{"Chatwoot URL:", "Account id:", "Agent's access token:"}, nil},
	}
	b := env.SignIn(t, apptest.AdminEmail, apptest.AdminPassword)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			form := url.Values{"kind": {string(tt.kind)}, "label": {"Typed label"}}
			for k, v := range tt.form {
				form[k] = v
			}
			p := b.Post("/admin/inboxes", form)
			if p.Status() != http.StatusBadRequest {
				t.Fatalf("status %d, want 400", p.Status())
			}
			f := addForm(p, tt.kind)
			if _, open := f.Attr("open"); !open {
				t.Error("the refused form is folded")
			}
			got := strings.TrimSpace(f.Find(apptest.Sel("inbox-add-error")).Text())
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("error %q lacks %q", got, w)
				}
			}
			for _, other := range inbox.Kinds {
				if _, open := addForm(p, other).Attr("open"); open && other != tt.kind {
					t.Errorf("the %s form is open too", other)
				}
			}
			if v := f.Find(apptest.Sel("inbox-field-label")).AttrOr("value", ""); v != "Typed label" {
				t.Errorf("label %q, want what was typed", v)
			}
			for name, want := range tt.echoed {
				if v := f.Find(apptest.Sel("inbox-field-"+name)).AttrOr("value", ""); v != want {
					t.Errorf("field %s %q, want what was typed, %q", name, v, want)
				}
			}
			noSecrets(t, "the refused form", p.Body, []string{token, strings.Repeat("k", 41)})
			if n := len(env.installations(t, env.WS)); n != 0 {
				t.Errorf("a refused form saved %d installations", n)
			}
		})
	}
	t.Run("unknown kind", func(t *testing.T) {
		p := b.Post("/admin/inboxes", url.Values{"kind": {"intercom"}})
		if p.Status() != http.StatusBadRequest || !strings.Contains(p.Text("admin-error-message"), "Pick a helpdesk") {
			t.Errorf("%d %q", p.Status(), p.Text("admin-error-message"))
		}
	})
}

func TestZendeskKeyRefusals(t *testing.T) {
	t.Parallel()
	env := newInboxEnv(t, adminOptions{})
	insts, err := demo.SeedInstallations(context.Background(), env.App, env.WS, env.fakes)
	if err != nil {
		t.Fatal(err)
	}
	z := insts[inbox.Zendesk]
	// The seeded installation has the fake's key; a refused form must keep it.
	key := env.fakes.Zendesk.PublicKeyPEM()
	b := env.SignIn(t, apptest.AdminEmail, apptest.AdminPassword)
	tests := []struct {
		name, key, id string
		want          []string
	}{
		{"not a PEM", "ssh-rsa AAAA", "360001", []string{"Public key: paste the whole PEM"}},
		{"half a PEM", key[:len(key)/2], "360001", []string{"Public key: paste the whole PEM"}},
		{"no id", key, "", []string{"App installation id: enter the installation's id"}},
		{"id not a number", key, "three", []string{"App installation id:"}},
		{"both wrong", "", "-1", []string{"Public key:", "App installation id:"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := b.Post("/admin/inboxes/"+z.ID+"/zendesk-key", url.Values{"public_key": {tt.key}, "app_installation_id": {tt.id}})
			if p.Status() != http.StatusBadRequest {
				t.Fatalf("status %d, want 400", p.Status())
			}
			r := row(p, z)
			got := r.Find(apptest.Sel("inbox-key-error")).Text()
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("error %q lacks %q", got, w)
				}
			}
			if v := r.Find(apptest.Sel("inbox-app-installation")).AttrOr("value", ""); v != tt.id {
				t.Errorf("app installation id %q, want what was typed, %q", v, tt.id)
			}
			saved, err := env.App.DB.WorkspaceInstallation(context.Background(), env.WS.ID, z.ID)
			if err != nil || saved.Settings.PublicKeyPEM != key || saved.Settings.AppInstallationID != env.fakes.Zendesk.InstallationID {
				t.Errorf("a refused form changed the key: %v", err)
			}
		})
	}
	for _, other := range []inbox.Kind{inbox.Chatwoot, inbox.Front} {
		if p := b.Post("/admin/inboxes/"+insts[other].ID+"/zendesk-key", url.Values{"public_key": {key}, "app_installation_id": {"1"}}); p.Status() != http.StatusNotFound {
			t.Errorf("a Zendesk key for a %s installation: %d, want 404", other, p.Status())
		}
		if p := b.Get("/admin/inboxes/" + insts[other].ID + "/package"); p.Status() != http.StatusNotFound {
			t.Errorf("a Zendesk package for a %s installation: %d, want 404", other, p.Status())
		}
	}
}

func TestInboxesScopedToWorkspace(t *testing.T) {
	t.Parallel()
	env := newInboxEnv(t, adminOptions{})
	ctx := context.Background()
	mine, err := demo.SeedInstallations(ctx, env.App, env.WS, env.fakes)
	if err != nil {
		t.Fatal(err)
	}
	theirs, err := demo.SeedInstallations(ctx, env.App, env.Rival, env.fakes)
	if err != nil {
		t.Fatal(err)
	}
	b := env.SignIn(t, apptest.AdminEmail, apptest.AdminPassword)
	p := b.Get("/admin/inboxes")
	if n := p.Doc.Find(apptest.Sel("inbox-row")).Length(); n != len(mine) {
		t.Errorf("%d rows, want acme-support's %d", n, len(mine))
	}
	for _, inst := range theirs {
		if strings.Contains(p.Body, inst.ID) || strings.Contains(p.Body, inbox.Handle(inst.ID)) {
			t.Errorf("acme-support's page shows rival's %s installation", inst.Kind)
		}
	}
	calls := env.fakes.Chatwoot.Calls()
	for _, inst := range theirs {
		for _, req := range []struct{ method, path string }{
			{http.MethodPost, "/admin/inboxes/" + inst.ID + "/test"},
			{http.MethodGet, "/admin/inboxes/" + inst.ID + "/package"},
			{http.MethodPost, "/admin/inboxes/" + inst.ID + "/zendesk-key"},
			{http.MethodGet, "/admin/inboxes/" + inst.ID + "/remove"},
			{http.MethodPost, "/admin/inboxes/" + inst.ID + "/remove"},
		} {
			var got apptest.Page
			if req.method == http.MethodGet {
				got = b.Get(req.path)
			} else {
				got = b.Post(req.path, url.Values{"public_key": {env.fakes.Zendesk.PublicKeyPEM()}, "app_installation_id": {"1"}})
			}
			if got.Status() != http.StatusNotFound || !strings.Contains(got.Text("admin-error-message"), "isn't in your workspace") {
				t.Errorf("%s %s (rival's %s): %d %q", req.method, req.path, inst.Kind, got.Status(), got.Text("admin-error-message"))
			}
			if strings.Contains(got.Body, inst.ID) {
				t.Errorf("%s %s shows rival's installation", req.method, req.path)
			}
		}
	}
	for _, junk := range []string{"not-an-id", strings.Repeat("a", 20), mine[inbox.Chatwoot].ID + "x"} {
		if got := b.Post("/admin/inboxes/"+junk+"/test", nil); got.Status() != http.StatusNotFound {
			t.Errorf("test of %q: %d, want 404", junk, got.Status())
		}
	}
	if env.fakes.Chatwoot.Calls() != calls {
		t.Error("a refused test called rival's Chatwoot")
	}
	after := env.installations(t, env.Rival)
	if len(after) != len(theirs) {
		t.Fatalf("rival has %d installations, want %d", len(after), len(theirs))
	}
	for _, inst := range after {
		if inst.Kind == inbox.Zendesk && inst.Settings.AppInstallationID != env.fakes.Zendesk.InstallationID {
			t.Error("acme-support's admin changed rival's Zendesk key")
		}
	}
	// And Mallory sees hers, not Ada's.
	p = env.SignIn(t, apptest.RivalEmail, apptest.RivalPassword).Get("/admin/inboxes")
	if n := p.Doc.Find(apptest.Sel("inbox-row")).Length(); n != len(theirs) || strings.Contains(p.Body, mine[inbox.Chatwoot].ID) {
		t.Errorf("rival's page: %d rows, or it shows acme-support's", n)
	}
}

func TestInboxFormsNeedCSRF(t *testing.T) {
	t.Parallel()
	env := newInboxEnv(t, adminOptions{})
	insts, err := demo.SeedInstallations(context.Background(), env.App, env.WS, env.fakes)
	if err != nil {
		t.Fatal(err)
	}
	noKey, err := env.App.DB.CreateInstallation(context.Background(), inbox.Installation{WorkspaceID: env.WS.ID, Kind: inbox.Zendesk,
		Settings: inbox.Settings{BaseURL: env.fakes.ZendeskURL, APIEmail: fakehelpdesk.ZendeskEmail, APIToken: domain.NewSecret(fakehelpdesk.ZendeskToken)}})
	if err != nil {
		t.Fatal(err)
	}
	b := env.SignIn(t, apptest.AdminEmail, apptest.AdminPassword)
	other := env.SignIn(t, apptest.AdminEmail, apptest.AdminPassword)
	cw := insts[inbox.Chatwoot].ID
	forms := []struct {
		path string
		form url.Values
	}{
		{"/admin/inboxes", url.Values{"kind": {"chatwoot"}, "url": {env.fakes.ChatwootURL}, "account": {"1"}, "api_token": {fakehelpdesk.ChatwootToken}}},
		{"/admin/inboxes/" + cw + "/test", nil},
		{"/admin/inboxes/" + noKey.ID + "/zendesk-key", url.Values{"public_key": {env.fakes.Zendesk.PublicKeyPEM()}, "app_installation_id": {"360001"}}},
		{"/admin/inboxes/" + cw + "/remove", nil},
	}
	tokens := map[string]string{"missing": "", "wrong": "not-the-token", "another session's": other.CSRF}
	calls := env.fakes.Chatwoot.Calls()
	for _, f := range forms {
		for name, token := range tokens {
			t.Run(name+" "+f.path, func(t *testing.T) {
				form := url.Values{"csrf": {token}}
				for k, v := range f.form {
					form[k] = v
				}
				p := b.Post(f.path, form)
				if p.Status() != http.StatusForbidden || !strings.Contains(p.Text("admin-error-message"), "nothing was changed") {
					t.Errorf("status %d %q, want 403", p.Status(), p.Text("admin-error-message"))
				}
			})
		}
	}
	if n := len(env.installations(t, env.WS)); n != len(insts)+1 {
		t.Errorf("%d installations after refused forms, want %d", n, len(insts)+1)
	}
	if z, _ := env.App.DB.WorkspaceInstallation(context.Background(), env.WS.ID, noKey.ID); z.Settings.PublicKeyPEM != "" {
		t.Error("a refused form saved a Zendesk key")
	}
	if env.fakes.Chatwoot.Calls() != calls {
		t.Error("a refused test called Chatwoot")
	}
	// With the right token the same form works, so the test can fail.
	b.Get("/admin/inboxes")
	if p := b.Post("/admin/inboxes/"+cw+"/remove", nil); p.Status() != http.StatusSeeOther || len(env.installations(t, env.WS)) != len(insts) {
		t.Errorf("remove with the right token: %d", p.Status())
	}
	// Signed out, every page sends to sign-in and every form is refused.
	anon := env.Browser(t)
	for _, path := range []string{"/admin/inboxes", "/admin/inboxes/" + noKey.ID + "/remove", "/admin/inboxes/" + noKey.ID + "/package"} {
		if p := anon.Get(path); p.Status() != http.StatusSeeOther || !strings.HasPrefix(p.Location(), "/admin/signin") {
			t.Errorf("GET %s signed out: %d → %q", path, p.Status(), p.Location())
		}
	}
	if p := anon.Post("/admin/inboxes/"+noKey.ID+"/remove", url.Values{"csrf": {"anything"}}); p.Status() != http.StatusForbidden {
		t.Errorf("POST remove signed out: %d", p.Status())
	}
}

func TestInboxURLsWithoutPublicURL(t *testing.T) {
	t.Parallel()
	env := newInboxEnv(t, adminOptions{noPublicURL: true})
	insts, err := demo.SeedInstallations(context.Background(), env.App, env.WS, env.fakes)
	if err != nil {
		t.Fatal(err)
	}
	p := env.SignIn(t, apptest.AdminEmail, apptest.AdminPassword).Get("/admin/inboxes")
	if !strings.Contains(p.Text("inbox-address-note"), "SHOPCARD_PUBLIC_URL") {
		t.Errorf("no note that the URLs use this page's address: %q", p.Text("inbox-address-note"))
	}
	inst := insts[inbox.Front]
	if got, want := row(p, inst).Find(apptest.Sel("inbox-url")).AttrOr("value", ""), env.URL+"/apps/front?install="+inst.ID; got != want {
		t.Errorf("URL %q, want the address the admin used, %q", got, want)
	}
}

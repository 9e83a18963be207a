package admin_test

import (
	"context"
	"net/http"
	"net/url"
	"shopcard/handlers/admin"
	"shopcard/internal/apptest"
	"strings"
	"testing"
	"time"

	"shopcard/auth"
	"shopcard/domain"
	"shopcard/fakeshopify"
)

func TestSignIn(t *testing.T) {
	t.Parallel()
	env := newAdminEnv(t)
	tests := []struct {
		name       string
		email      string
		password   string
		csrf       func(b *apptest.Browser) string
		wantStatus int
		wantError  string
	}{
		{"right password", apptest.AdminEmail, apptest.AdminPassword, nil, http.StatusSeeOther, ""},
		{"email in another case, with spaces", "  ADA@Acme.Example ", apptest.AdminPassword, nil, http.StatusSeeOther, ""},
		{"wrong password", apptest.AdminEmail, "correct horse battery stapler", nil, http.StatusUnauthorized, admin.SignInFailed},
		{"unknown email", "nobody@acme.example", apptest.AdminPassword, nil, http.StatusUnauthorized, admin.SignInFailed},
		{"empty password", apptest.AdminEmail, "", nil, http.StatusUnauthorized, admin.SignInFailed},
		{"no CSRF token", apptest.AdminEmail, apptest.AdminPassword, func(*apptest.Browser) string { return "" }, http.StatusForbidden, ""},
		{"another browser's CSRF token", apptest.AdminEmail, apptest.AdminPassword, func(*apptest.Browser) string {
			other := env.Browser(t)
			other.Get("/admin/signin")
			return other.CSRF
		}, http.StatusForbidden, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := env.Browser(t)
			if p := b.Get("/admin/signin"); p.Status() != http.StatusOK || b.CSRF == "" {
				t.Fatalf("sign-in page: %d, csrf %q", p.Status(), b.CSRF)
			}
			form := url.Values{"email": {tt.email}, "password": {tt.password}}
			if tt.csrf != nil {
				form.Set("csrf", tt.csrf(b))
			}
			p := b.Post("/admin/signin", form)
			if p.Status() != tt.wantStatus {
				t.Fatalf("status %d, want %d", p.Status(), tt.wantStatus)
			}
			if tt.wantError != "" && p.Text("notice") != tt.wantError {
				t.Errorf("the page says %q, want %q", p.Text("notice"), tt.wantError)
			}
			if strings.Contains(p.Body, tt.password) && tt.password != "" {
				t.Error("the page echoes the password")
			}
			signedIn := b.Cookie(admin.SessionCookie) != ""
			if signedIn != (tt.wantStatus == http.StatusSeeOther) {
				t.Errorf("session cookie set: %v", signedIn)
			}
			if tt.wantStatus == http.StatusSeeOther {
				if p := b.Get("/admin/stores"); p.Status() != http.StatusOK || !strings.Contains(p.Text("admin-workspace"), "acme-support") {
					t.Errorf("after sign-in the stores page is %d", p.Status())
				}
			}
		})
	}
}

func TestSessionCookieAttributes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		publicURL  string
		wantName   string
		wantSecure bool
	}{
		{"plain http", "", admin.SessionCookie, false},
		{"https public URL", "https://shopcard.example.com", "__Host-" + admin.SessionCookie, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env := newAdminEnvWith(t, adminOptions{publicURL: tt.publicURL})
			b := env.Browser(t)
			b.Get("/admin/signin")
			p := b.Post("/admin/signin", url.Values{"email": {apptest.AdminEmail}, "password": {apptest.AdminPassword}})
			var found *http.Cookie
			for _, c := range p.Resp.Cookies() {
				if c.Name == tt.wantName && c.Value != "" {
					found = c
				}
			}
			if found == nil {
				t.Fatalf("no %s cookie in %v", tt.wantName, p.Resp.Header["Set-Cookie"])
			}
			if !found.HttpOnly || found.SameSite != http.SameSiteLaxMode || found.Secure != tt.wantSecure || found.Path != "/" {
				t.Errorf("cookie %+v: want HttpOnly, SameSite=Lax, Secure=%v, Path=/", found, tt.wantSecure)
			}
			if found.MaxAge <= 0 || time.Duration(found.MaxAge)*time.Second > admin.SessionMax {
				t.Errorf("cookie Max-Age %d s", found.MaxAge)
			}
			// The token in the cookie is not what the database keeps.
			var n int
			if _, err := env.App.DB.SessionByTokenHash(context.Background(), found.Value); err == nil {
				n++
			}
			if n != 0 {
				t.Error("the session is found by the raw cookie value: the database stores the token itself")
			}
			if _, err := env.App.DB.SessionByTokenHash(context.Background(), auth.HashToken(found.Value)); err != nil {
				t.Errorf("no session for the cookie's hash: %v", err)
			}
		})
	}
}

func TestSignInThrottling(t *testing.T) {
	t.Parallel()
	t.Run("per account, with the same message whether or not it exists", func(t *testing.T) {
		t.Parallel()
		env := newAdminEnv(t)
		messages := map[string]string{}
		for _, email := range []string{apptest.AdminEmail, "ghost@acme.example"} {
			b := env.Browser(t)
			b.Get("/admin/signin")
			for i := range admin.SignInFailuresPerAccountAddress {
				if p := b.Post("/admin/signin", url.Values{"email": {email}, "password": {"wrong password " + string(rune('a'+i))}}); p.Status() != http.StatusUnauthorized {
					t.Fatalf("%s attempt %d: %d", email, i+1, p.Status())
				}
			}
			// Now even the right password is refused, so guessing stops.
			p := b.Post("/admin/signin", url.Values{"email": {email}, "password": {apptest.AdminPassword}})
			if p.Status() != http.StatusTooManyRequests {
				t.Fatalf("%s after %d failures: %d, want 429", email, admin.SignInFailuresPerAccountAddress, p.Status())
			}
			if b.Cookie(admin.SessionCookie) != "" {
				t.Error("a throttled sign-in set a session")
			}
			messages[email] = p.Text("notice")
		}
		if messages[apptest.AdminEmail] == "" || messages[apptest.AdminEmail] != messages["ghost@acme.example"] {
			t.Errorf("throttle messages differ: %q vs %q", messages[apptest.AdminEmail], messages["ghost@acme.example"])
		}
		// Other accounts are not affected.
		env.SignIn(t, apptest.RivalEmail, apptest.RivalPassword)
		// The window passes.
		env.Clock.Advance(admin.SignInWindow + time.Second)
		env.SignIn(t, apptest.AdminEmail, apptest.AdminPassword)
	})

	t.Run("per IP address, across accounts", func(t *testing.T) {
		t.Parallel()
		env := newAdminEnv(t)
		b := env.Browser(t)
		b.Get("/admin/signin")
		for i := range admin.SignInFailuresPerAddress {
			email := "guess" + string(rune('a'+i)) + "@acme.example"
			if p := b.Post("/admin/signin", url.Values{"email": {email}, "password": {"wrong password"}}); p.Status() != http.StatusUnauthorized {
				t.Fatalf("attempt %d: %d", i+1, p.Status())
			}
		}
		p := b.Post("/admin/signin", url.Values{"email": {apptest.AdminEmail}, "password": {apptest.AdminPassword}})
		if p.Status() != http.StatusTooManyRequests {
			t.Fatalf("after %d failures from one address: %d, want 429", admin.SignInFailuresPerAddress, p.Status())
		}
	})

	t.Run("a forged X-Forwarded-For does not reset the count", func(t *testing.T) {
		t.Parallel()
		env := newAdminEnv(t)
		b := env.Browser(t)
		b.Get("/admin/signin")
		for i := range admin.SignInFailuresPerAddress + 1 {
			req, _ := http.NewRequest(http.MethodPost, env.URL+"/admin/signin", strings.NewReader(url.Values{
				"email": {"guess" + string(rune('a'+i)) + "@acme.example"}, "password": {"wrong"}, "csrf": {b.CSRF},
			}.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("X-Forwarded-For", "203.0.113."+string(rune('0'+i%10)))
			req.Header.Set("X-Real-IP", "198.51.100.7")
			p := b.Do(req)
			if i == admin.SignInFailuresPerAddress && p.Status() != http.StatusTooManyRequests {
				t.Fatalf("attempt %d with a forged address: %d, want 429", i+1, p.Status())
			}
		}
	})
}

func TestSessions(t *testing.T) {
	t.Parallel()
	t.Run("idle timeout ends the session on the server", func(t *testing.T) {
		t.Parallel()
		env := newAdminEnv(t)
		b := env.SignIn(t, apptest.AdminEmail, apptest.AdminPassword)
		token := b.Cookie(admin.SessionCookie)
		env.Clock.Advance(admin.SessionIdle + time.Minute)
		p := b.Get("/admin/stores")
		if p.Status() != http.StatusSeeOther || !strings.HasPrefix(p.Location(), "/admin/signin") {
			t.Fatalf("idle session: %d → %q", p.Status(), p.Location())
		}
		if _, err := env.App.DB.SessionByTokenHash(context.Background(), auth.HashToken(token)); domain.KindOf(err) != domain.KindNotFound {
			t.Errorf("the idle session is still in the database: %v", err)
		}
	})
	t.Run("activity keeps a session alive, up to the absolute limit", func(t *testing.T) {
		t.Parallel()
		env := newAdminEnv(t)
		b := env.SignIn(t, apptest.AdminEmail, apptest.AdminPassword)
		for elapsed := time.Duration(0); elapsed+admin.SessionIdle/2 < admin.SessionMax; elapsed += admin.SessionIdle / 2 {
			env.Clock.Advance(admin.SessionIdle / 2)
			if p := b.Get("/admin/stores"); p.Status() != http.StatusOK {
				t.Fatalf("active session refused after %v: %d", elapsed+admin.SessionIdle/2, p.Status())
			}
		}
		env.Clock.Advance(admin.SessionIdle / 2)
		if p := b.Get("/admin/stores"); p.Status() != http.StatusSeeOther {
			t.Fatalf("session past its absolute limit: %d", p.Status())
		}
	})
	t.Run("sign-out ends the session on the server", func(t *testing.T) {
		t.Parallel()
		env := newAdminEnv(t)
		b := env.SignIn(t, apptest.AdminEmail, apptest.AdminPassword)
		stolen := b.Cookie(admin.SessionCookie)
		p := b.Post("/admin/signout", nil)
		if p.Status() != http.StatusSeeOther || !strings.HasPrefix(p.Location(), "/admin/signin") {
			t.Fatalf("sign out: %d → %q", p.Status(), p.Location())
		}
		// A copy of the cookie, replayed, signs no one in.
		thief := env.Browser(t)
		u, _ := url.Parse(env.URL)
		thief.Client.Jar.SetCookies(u, []*http.Cookie{{Name: admin.SessionCookie, Value: stolen, Path: "/"}})
		if p := thief.Get("/admin/stores"); p.Status() != http.StatusSeeOther {
			t.Fatalf("replayed cookie after sign-out: %d", p.Status())
		}
	})
	t.Run("a signed-in admin skips the sign-in page", func(t *testing.T) {
		t.Parallel()
		env := newAdminEnv(t)
		b := env.SignIn(t, apptest.AdminEmail, apptest.AdminPassword)
		if p := b.Get("/admin/signin"); p.Status() != http.StatusSeeOther || p.Location() != "/admin/stores" {
			t.Fatalf("sign-in page while signed in: %d → %q", p.Status(), p.Location())
		}
	})
}

func TestAdminPagesAreTopLevelOnly(t *testing.T) {
	t.Parallel()
	env := newAdminEnv(t)
	b := env.SignIn(t, apptest.AdminEmail, apptest.AdminPassword)
	acme := env.Stores[fakeshopify.AcmeDomain]
	for _, path := range []string{
		"/admin/signin", "/admin/stores", "/admin/embed", "/admin/troubleshoot", "/admin/troubleshoot?email=maya.chen@example.com",
		"/admin/stores/" + itoa(acme.ID) + "/disconnect", "/admin/embed/preview?email=maya.chen@example.com",
	} {
		t.Run(path, func(t *testing.T) {
			var p apptest.Page
			if path == "/admin/signin" {
				p = env.Browser(t).Get(path)
			} else {
				p = b.Get(path)
			}
			if p.Status() != http.StatusOK {
				t.Fatalf("status %d", p.Status())
			}
			csp := p.Resp.Header.Get("Content-Security-Policy")
			if !strings.Contains(csp, "frame-ancestors 'none'") {
				t.Errorf("CSP %q lets other sites frame the page", csp)
			}
			if p.Resp.Header.Get("X-Frame-Options") != "DENY" || p.Resp.Header.Get("Cache-Control") != "no-store" {
				t.Errorf("X-Frame-Options %q, Cache-Control %q", p.Resp.Header.Get("X-Frame-Options"), p.Resp.Header.Get("Cache-Control"))
			}
		})
	}
}

func TestSignedOutVisitors(t *testing.T) {
	t.Parallel()
	env := newAdminEnv(t)
	acme := env.Stores[fakeshopify.AcmeDomain]
	anon := env.Browser(t)
	for _, path := range []string{"/admin", "/admin/stores", "/admin/embed", "/admin/embed/secret", "/admin/embed/secret/rotate", "/admin/troubleshoot?email=a@b.co", "/admin/embed/preview?email=a@b.co", "/admin/oauth/callback?code=x"} {
		if p := anon.Get(path); p.Status() != http.StatusSeeOther || !strings.HasPrefix(p.Location(), "/admin/signin") {
			t.Errorf("GET %s signed out: %d → %q", path, p.Status(), p.Location())
		}
	}
	for _, path := range []string{"/admin/stores/" + itoa(acme.ID) + "/disconnect", "/admin/stores/dev-dashboard", "/admin/embed/secret/rotate"} {
		p := anon.Post(path, url.Values{"csrf": {"anything"}, "grace": {"0"}, "confirm": {"1"}})
		if p.Status() != http.StatusForbidden {
			t.Errorf("POST %s signed out: %d, want 403", path, p.Status())
		}
		if strings.Contains(p.Body, env.Workspace(t).EmbedSecret.Reveal()) {
			t.Errorf("POST %s signed out shows the secret", path)
		}
	}
	if _, ok := env.Store(t, fakeshopify.AcmeDomain); !ok {
		t.Error("a signed-out POST disconnected a store")
	}
	if env.Workspace(t).EmbedSecret.Reveal() != env.WS.EmbedSecret.Reveal() {
		t.Error("a signed-out POST rotated the secret")
	}
}

func TestCSRFRejection(t *testing.T) {
	t.Parallel()
	env := newAdminEnv(t)
	b := env.SignIn(t, apptest.AdminEmail, apptest.AdminPassword)
	other := env.SignIn(t, apptest.AdminEmail, apptest.AdminPassword) // the same admin, another browser
	acme := env.Stores[fakeshopify.AcmeDomain]
	id := itoa(acme.ID)
	forms := []struct {
		path string
		form url.Values
	}{
		{"/admin/stores", url.Values{"domain": {fakeshopify.SakuraDomain}, "token": {fakeshopify.SakuraToken}}},
		{"/admin/stores/dev-dashboard", url.Values{"domain": {fakeshopify.SakuraDomain}, "client_id": {fakeshopify.DevAppClientID}, "client_secret": {fakeshopify.DevAppClientSecret}}},
		{"/admin/stores/" + id + "/credentials", url.Values{"client_id": {fakeshopify.DevAppClientID}, "client_secret": {fakeshopify.DevAppClientSecret}}},
		{"/admin/stores/oauth", url.Values{"domain": {fakeshopify.SakuraDomain}}},
		{"/admin/stores/" + id + "/test", nil},
		{"/admin/stores/" + id + "/token", url.Values{"token": {fakeshopify.AcmeTokenCustomersOnly}}},
		{"/admin/stores/" + id + "/disconnect", nil},
		{"/admin/stores/" + id + "/webhook-secret", url.Values{"secret": {"attacker-chosen"}}},
		{"/admin/stores/" + id + "/webhooks", nil},
		{"/admin/embed/secret/rotate", url.Values{"grace": {"0"}, "confirm": {"1"}}},
		{"/admin/embed/secret/rotate", url.Values{"grace": {"24h"}}},
		{"/admin/embed/settings", url.Values{"frame_ancestors": {"https://evil.example"}, "cache_ttl": {"3600"}}},
		{"/admin/troubleshoot", url.Values{"email": {fakeshopify.EmailShowcase}}},
		{"/admin/signout", nil},
	}
	tokens := map[string]string{"missing": "", "wrong": "not-the-token", "another session's": other.CSRF}
	for _, f := range forms {
		for name, token := range tokens {
			t.Run(name+" "+f.path, func(t *testing.T) {
				form := url.Values{"csrf": {token}}
				for k, v := range f.form {
					form[k] = v
				}
				requests := env.Fake.Requests(fakeshopify.AcmeDomain)
				p := b.Post(f.path, form)
				if p.Status() != http.StatusForbidden {
					t.Fatalf("status %d, want 403", p.Status())
				}
				if !strings.Contains(p.Text("admin-error-message"), "nothing was changed") {
					t.Errorf("message %q", p.Text("admin-error-message"))
				}
				if strings.Contains(p.Body, env.WS.EmbedSecret.Reveal()) {
					t.Error("a refused form showed the secret")
				}
				if env.Fake.Requests(fakeshopify.AcmeDomain) != requests {
					t.Error("a refused form called Shopify")
				}
			})
		}
	}
	// Nothing changed.
	if _, ok := env.Store(t, fakeshopify.SakuraDomain); ok {
		t.Error("a refused form connected a store")
	}
	s, ok := env.Store(t, fakeshopify.AcmeDomain)
	if !ok || s.AccessToken.Reveal() != fakeshopify.AcmeToken {
		t.Error("a refused form disconnected a store or replaced its token")
	}
	ws := env.Workspace(t)
	if ws.EmbedSecret.Reveal() != env.WS.EmbedSecret.Reveal() || len(ws.FrameAncestors) != 0 || ws.CacheTTL != 0 {
		t.Errorf("a refused form changed the workspace: %v %v", ws.FrameAncestors, ws.CacheTTL)
	}
	if p := b.Get("/admin/stores"); p.Status() != http.StatusOK {
		t.Error("a refused sign-out ended the session")
	}
	if has, _ := env.App.DB.HasWebhookSecret(t.Context(), acme.ID); has {
		t.Error("a refused form saved a webhook signing secret")
	}
	// And the same forms with the right token do work (the test can fail).
	if p := b.Post("/admin/embed/settings", url.Values{"cache_ttl": {"30"}}); p.Status() != http.StatusSeeOther || env.Workspace(t).CacheTTL != 30*time.Second {
		t.Errorf("settings with the right token: %d", p.Status())
	}
}

package handlers

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"shopcard/auth"
	"shopcard/domain"
	"shopcard/fakeshopify"
)

func TestSignIn(t *testing.T) {
	env := newAdminEnv(t)
	tests := []struct {
		name       string
		email      string
		password   string
		csrf       func(b *browser) string
		wantStatus int
		wantError  string
	}{
		{"right password", adminEmail, adminPassword, nil, http.StatusSeeOther, ""},
		{"email in another case, with spaces", "  ADA@Acme.Example ", adminPassword, nil, http.StatusSeeOther, ""},
		{"wrong password", adminEmail, "correct horse battery stapler", nil, http.StatusUnauthorized, signInFailed},
		{"unknown email", "nobody@acme.example", adminPassword, nil, http.StatusUnauthorized, signInFailed},
		{"empty password", adminEmail, "", nil, http.StatusUnauthorized, signInFailed},
		{"no CSRF token", adminEmail, adminPassword, func(*browser) string { return "" }, http.StatusForbidden, ""},
		{"another browser's CSRF token", adminEmail, adminPassword, func(*browser) string {
			other := env.browser(t)
			other.get("/admin/signin")
			return other.csrf
		}, http.StatusForbidden, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := env.browser(t)
			if p := b.get("/admin/signin"); p.status() != http.StatusOK || b.csrf == "" {
				t.Fatalf("sign-in page: %d, csrf %q", p.status(), b.csrf)
			}
			form := url.Values{"email": {tt.email}, "password": {tt.password}}
			if tt.csrf != nil {
				form.Set("csrf", tt.csrf(b))
			}
			p := b.post("/admin/signin", form)
			if p.status() != tt.wantStatus {
				t.Fatalf("status %d, want %d", p.status(), tt.wantStatus)
			}
			if tt.wantError != "" && p.text("notice") != tt.wantError {
				t.Errorf("the page says %q, want %q", p.text("notice"), tt.wantError)
			}
			if strings.Contains(p.body, tt.password) && tt.password != "" {
				t.Error("the page echoes the password")
			}
			signedIn := b.cookie(sessionCookie) != ""
			if signedIn != (tt.wantStatus == http.StatusSeeOther) {
				t.Errorf("session cookie set: %v", signedIn)
			}
			if tt.wantStatus == http.StatusSeeOther {
				if p := b.get("/admin/stores"); p.status() != http.StatusOK || !strings.Contains(p.text("admin-workspace"), "acme-support") {
					t.Errorf("after sign-in the stores page is %d", p.status())
				}
			}
		})
	}
}

func TestSessionCookieAttributes(t *testing.T) {
	tests := []struct {
		name       string
		publicURL  string
		wantName   string
		wantSecure bool
	}{
		{"plain http", "", sessionCookie, false},
		{"https public URL", "https://shopcard.example.com", "__Host-" + sessionCookie, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := newAdminEnvWith(t, adminOptions{publicURL: tt.publicURL})
			b := env.browser(t)
			b.get("/admin/signin")
			p := b.post("/admin/signin", url.Values{"email": {adminEmail}, "password": {adminPassword}})
			var found *http.Cookie
			for _, c := range p.resp.Cookies() {
				if c.Name == tt.wantName && c.Value != "" {
					found = c
				}
			}
			if found == nil {
				t.Fatalf("no %s cookie in %v", tt.wantName, p.resp.Header["Set-Cookie"])
			}
			if !found.HttpOnly || found.SameSite != http.SameSiteLaxMode || found.Secure != tt.wantSecure || found.Path != "/" {
				t.Errorf("cookie %+v: want HttpOnly, SameSite=Lax, Secure=%v, Path=/", found, tt.wantSecure)
			}
			if found.MaxAge <= 0 || time.Duration(found.MaxAge)*time.Second > SessionMax {
				t.Errorf("cookie Max-Age %d s", found.MaxAge)
			}
			// The token in the cookie is not what the database keeps.
			var n int
			if _, err := env.db.SessionByTokenHash(context.Background(), found.Value); err == nil {
				n++
			}
			if n != 0 {
				t.Error("the session is found by the raw cookie value: the database stores the token itself")
			}
			if _, err := env.db.SessionByTokenHash(context.Background(), auth.HashToken(found.Value)); err != nil {
				t.Errorf("no session for the cookie's hash: %v", err)
			}
		})
	}
}

func TestSignInThrottling(t *testing.T) {
	t.Run("per account, with the same message whether or not it exists", func(t *testing.T) {
		env := newAdminEnv(t)
		messages := map[string]string{}
		for _, email := range []string{adminEmail, "ghost@acme.example"} {
			b := env.browser(t)
			b.get("/admin/signin")
			for i := range SignInFailuresPerAccount {
				if p := b.post("/admin/signin", url.Values{"email": {email}, "password": {"wrong password " + string(rune('a'+i))}}); p.status() != http.StatusUnauthorized {
					t.Fatalf("%s attempt %d: %d", email, i+1, p.status())
				}
			}
			// Now even the right password is refused, so guessing stops.
			p := b.post("/admin/signin", url.Values{"email": {email}, "password": {adminPassword}})
			if p.status() != http.StatusTooManyRequests {
				t.Fatalf("%s after %d failures: %d, want 429", email, SignInFailuresPerAccount, p.status())
			}
			if b.cookie(sessionCookie) != "" {
				t.Error("a throttled sign-in set a session")
			}
			messages[email] = p.text("notice")
		}
		if messages[adminEmail] == "" || messages[adminEmail] != messages["ghost@acme.example"] {
			t.Errorf("throttle messages differ: %q vs %q", messages[adminEmail], messages["ghost@acme.example"])
		}
		// Other accounts are not affected.
		env.signIn(t, rivalEmail, rivalPassword)
		// The window passes.
		env.clock.Advance(SignInWindow + time.Second)
		env.signIn(t, adminEmail, adminPassword)
	})

	t.Run("per IP address, across accounts", func(t *testing.T) {
		env := newAdminEnv(t)
		b := env.browser(t)
		b.get("/admin/signin")
		for i := range SignInFailuresPerIP {
			email := "guess" + string(rune('a'+i)) + "@acme.example"
			if p := b.post("/admin/signin", url.Values{"email": {email}, "password": {"wrong password"}}); p.status() != http.StatusUnauthorized {
				t.Fatalf("attempt %d: %d", i+1, p.status())
			}
		}
		p := b.post("/admin/signin", url.Values{"email": {adminEmail}, "password": {adminPassword}})
		if p.status() != http.StatusTooManyRequests {
			t.Fatalf("after %d failures from one address: %d, want 429", SignInFailuresPerIP, p.status())
		}
	})

	t.Run("a forged X-Forwarded-For does not reset the count", func(t *testing.T) {
		env := newAdminEnv(t)
		b := env.browser(t)
		b.get("/admin/signin")
		for i := range SignInFailuresPerIP + 1 {
			req, _ := http.NewRequest(http.MethodPost, env.srv.URL+"/admin/signin", strings.NewReader(url.Values{
				"email": {"guess" + string(rune('a'+i)) + "@acme.example"}, "password": {"wrong"}, "csrf": {b.csrf},
			}.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("X-Forwarded-For", "203.0.113."+string(rune('0'+i%10)))
			req.Header.Set("X-Real-IP", "198.51.100.7")
			p := b.do(req)
			if i == SignInFailuresPerIP && p.status() != http.StatusTooManyRequests {
				t.Fatalf("attempt %d with a forged address: %d, want 429", i+1, p.status())
			}
		}
	})
}

func TestSessions(t *testing.T) {
	t.Run("idle timeout ends the session on the server", func(t *testing.T) {
		env := newAdminEnv(t)
		b := env.signIn(t, adminEmail, adminPassword)
		token := b.cookie(sessionCookie)
		env.clock.Advance(SessionIdle + time.Minute)
		p := b.get("/admin/stores")
		if p.status() != http.StatusSeeOther || !strings.HasPrefix(p.location(), "/admin/signin") {
			t.Fatalf("idle session: %d → %q", p.status(), p.location())
		}
		if _, err := env.db.SessionByTokenHash(context.Background(), auth.HashToken(token)); domain.KindOf(err) != domain.KindNotFound {
			t.Errorf("the idle session is still in the database: %v", err)
		}
	})
	t.Run("activity keeps a session alive, up to the absolute limit", func(t *testing.T) {
		env := newAdminEnv(t)
		b := env.signIn(t, adminEmail, adminPassword)
		for elapsed := time.Duration(0); elapsed+SessionIdle/2 < SessionMax; elapsed += SessionIdle / 2 {
			env.clock.Advance(SessionIdle / 2)
			if p := b.get("/admin/stores"); p.status() != http.StatusOK {
				t.Fatalf("active session refused after %v: %d", elapsed+SessionIdle/2, p.status())
			}
		}
		env.clock.Advance(SessionIdle / 2)
		if p := b.get("/admin/stores"); p.status() != http.StatusSeeOther {
			t.Fatalf("session past its absolute limit: %d", p.status())
		}
	})
	t.Run("sign-out ends the session on the server", func(t *testing.T) {
		env := newAdminEnv(t)
		b := env.signIn(t, adminEmail, adminPassword)
		stolen := b.cookie(sessionCookie)
		p := b.post("/admin/signout", nil)
		if p.status() != http.StatusSeeOther || !strings.HasPrefix(p.location(), "/admin/signin") {
			t.Fatalf("sign out: %d → %q", p.status(), p.location())
		}
		// A copy of the cookie, replayed, signs no one in.
		thief := env.browser(t)
		u, _ := url.Parse(env.srv.URL)
		thief.client.Jar.SetCookies(u, []*http.Cookie{{Name: sessionCookie, Value: stolen, Path: "/"}})
		if p := thief.get("/admin/stores"); p.status() != http.StatusSeeOther {
			t.Fatalf("replayed cookie after sign-out: %d", p.status())
		}
	})
	t.Run("a signed-in admin skips the sign-in page", func(t *testing.T) {
		env := newAdminEnv(t)
		b := env.signIn(t, adminEmail, adminPassword)
		if p := b.get("/admin/signin"); p.status() != http.StatusSeeOther || p.location() != "/admin/stores" {
			t.Fatalf("sign-in page while signed in: %d → %q", p.status(), p.location())
		}
	})
}

func TestAdminPagesAreTopLevelOnly(t *testing.T) {
	env := newAdminEnv(t)
	b := env.signIn(t, adminEmail, adminPassword)
	acme := env.stores[fakeshopify.AcmeDomain]
	for _, path := range []string{
		"/admin/signin", "/admin/stores", "/admin/embed", "/admin/troubleshoot", "/admin/troubleshoot?email=maya.chen@example.com",
		"/admin/stores/" + itoa(acme.ID) + "/disconnect", "/admin/embed/preview?email=maya.chen@example.com",
	} {
		t.Run(path, func(t *testing.T) {
			var p page
			if path == "/admin/signin" {
				p = env.browser(t).get(path)
			} else {
				p = b.get(path)
			}
			if p.status() != http.StatusOK {
				t.Fatalf("status %d", p.status())
			}
			csp := p.resp.Header.Get("Content-Security-Policy")
			if !strings.Contains(csp, "frame-ancestors 'none'") {
				t.Errorf("CSP %q lets other sites frame the page", csp)
			}
			if p.resp.Header.Get("X-Frame-Options") != "DENY" || p.resp.Header.Get("Cache-Control") != "no-store" {
				t.Errorf("X-Frame-Options %q, Cache-Control %q", p.resp.Header.Get("X-Frame-Options"), p.resp.Header.Get("Cache-Control"))
			}
		})
	}
}

func TestSignedOutVisitors(t *testing.T) {
	env := newAdminEnv(t)
	acme := env.stores[fakeshopify.AcmeDomain]
	anon := env.browser(t)
	for _, path := range []string{"/admin", "/admin/stores", "/admin/embed", "/admin/troubleshoot?email=a@b.co", "/admin/embed/preview?email=a@b.co", "/admin/oauth/callback?code=x"} {
		if p := anon.get(path); p.status() != http.StatusSeeOther || !strings.HasPrefix(p.location(), "/admin/signin") {
			t.Errorf("GET %s signed out: %d → %q", path, p.status(), p.location())
		}
	}
	for _, path := range []string{"/admin/stores/" + itoa(acme.ID) + "/disconnect", "/admin/embed/secret", "/admin/embed/secret/rotate"} {
		p := anon.post(path, url.Values{"csrf": {"anything"}, "grace": {"0"}})
		if p.status() != http.StatusForbidden {
			t.Errorf("POST %s signed out: %d, want 403", path, p.status())
		}
		if strings.Contains(p.body, env.workspace(t).EmbedSecret.Reveal()) {
			t.Errorf("POST %s signed out shows the secret", path)
		}
	}
	if _, ok := env.store(t, fakeshopify.AcmeDomain); !ok {
		t.Error("a signed-out POST disconnected a store")
	}
	if env.workspace(t).EmbedSecret.Reveal() != env.ws.EmbedSecret.Reveal() {
		t.Error("a signed-out POST rotated the secret")
	}
}

func TestCSRFRejection(t *testing.T) {
	env := newAdminEnv(t)
	b := env.signIn(t, adminEmail, adminPassword)
	other := env.signIn(t, adminEmail, adminPassword) // the same admin, another browser
	acme := env.stores[fakeshopify.AcmeDomain]
	id := itoa(acme.ID)
	forms := []struct {
		path string
		form url.Values
	}{
		{"/admin/stores", url.Values{"domain": {fakeshopify.SakuraDomain}, "token": {fakeshopify.SakuraToken}}},
		{"/admin/stores/oauth", url.Values{"domain": {fakeshopify.SakuraDomain}}},
		{"/admin/stores/" + id + "/test", nil},
		{"/admin/stores/" + id + "/token", url.Values{"token": {fakeshopify.AcmeTokenCustomersOnly}}},
		{"/admin/stores/" + id + "/disconnect", nil},
		{"/admin/stores/" + id + "/webhook-secret", url.Values{"secret": {"attacker-chosen"}}},
		{"/admin/stores/" + id + "/webhooks", nil},
		{"/admin/embed/secret", nil},
		{"/admin/embed/secret/rotate", url.Values{"grace": {"0"}}},
		{"/admin/embed/settings", url.Values{"frame_ancestors": {"https://evil.example"}, "cache_ttl": {"3600"}}},
		{"/admin/troubleshoot", url.Values{"email": {fakeshopify.EmailShowcase}}},
		{"/admin/signout", nil},
	}
	tokens := map[string]string{"missing": "", "wrong": "not-the-token", "another session's": other.csrf}
	for _, f := range forms {
		for name, token := range tokens {
			t.Run(name+" "+f.path, func(t *testing.T) {
				form := url.Values{"csrf": {token}}
				for k, v := range f.form {
					form[k] = v
				}
				requests := env.fake.Requests(fakeshopify.AcmeDomain)
				p := b.post(f.path, form)
				if p.status() != http.StatusForbidden {
					t.Fatalf("status %d, want 403", p.status())
				}
				if !strings.Contains(p.text("admin-error-message"), "nothing was changed") {
					t.Errorf("message %q", p.text("admin-error-message"))
				}
				if strings.Contains(p.body, env.ws.EmbedSecret.Reveal()) {
					t.Error("a refused form showed the secret")
				}
				if env.fake.Requests(fakeshopify.AcmeDomain) != requests {
					t.Error("a refused form called Shopify")
				}
			})
		}
	}
	// Nothing changed.
	if _, ok := env.store(t, fakeshopify.SakuraDomain); ok {
		t.Error("a refused form connected a store")
	}
	s, ok := env.store(t, fakeshopify.AcmeDomain)
	if !ok || s.AccessToken.Reveal() != fakeshopify.AcmeToken {
		t.Error("a refused form disconnected a store or replaced its token")
	}
	ws := env.workspace(t)
	if ws.EmbedSecret.Reveal() != env.ws.EmbedSecret.Reveal() || len(ws.FrameAncestors) != 0 || ws.CacheTTL != 0 {
		t.Errorf("a refused form changed the workspace: %v %v", ws.FrameAncestors, ws.CacheTTL)
	}
	if p := b.get("/admin/stores"); p.status() != http.StatusOK {
		t.Error("a refused sign-out ended the session")
	}
	if has, _ := env.db.HasWebhookSecret(t.Context(), acme.ID); has {
		t.Error("a refused form saved a webhook signing secret")
	}
	// And the same forms with the right token do work (the test can fail).
	if p := b.post("/admin/embed/secret", nil); p.status() != http.StatusOK || p.attr("secret-value", "value") != env.ws.EmbedSecret.Reveal() {
		t.Errorf("reveal with the right token: %d", p.status())
	}
}

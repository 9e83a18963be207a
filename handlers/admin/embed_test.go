package admin_test

import (
	"net/http"
	"net/url"
	"shopcard/internal/apptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"shopcard/embedtoken"
	"shopcard/fakeshopify"
)

func TestEmbedSecret(t *testing.T) {
	t.Parallel()
	env := newAdminEnv(t)
	b := env.SignIn(t, apptest.AdminEmail, apptest.AdminPassword)
	original := env.WS.EmbedSecret.Reveal()

	p := b.Get("/admin/embed")
	if p.Status() != http.StatusOK || strings.Contains(p.Body, original) {
		t.Fatal("the embed page shows the secret before it is asked for")
	}
	if href := p.Attr("secret-reveal", "href"); !strings.HasPrefix(href, "/admin/embed/secret") {
		t.Fatalf("reveal link %q", href)
	}
	p = b.Get("/admin/embed/secret")
	if p.Status() != http.StatusOK || p.Attr("secret-value", "value") != original {
		t.Fatalf("reveal: %d", p.Status())
	}
	if p.Resp.Header.Get("Cache-Control") != "no-store" {
		t.Error("the revealed secret may be cached")
	}
	if strings.Contains(env.Logs.String(), original) {
		t.Error("the secret was logged")
	}

	oldToken := mintToken(t, env.Workspace(t), fakeshopify.EmailShowcase)
	sidebar := func(token string) int {
		return env.Browser(t).Get("/sidebar?token=" + token).Status()
	}

	t.Run("rotation with a grace period", func(t *testing.T) {
		p := b.Post("/admin/embed/secret/rotate", url.Values{"grace": {"1h"}})
		if p.Status() != http.StatusSeeOther || p.Location() != "/admin/embed/secret" {
			t.Fatalf("rotate: %d → %q, want a redirect to the secret's page", p.Status(), p.Location())
		}
		p = b.Get(p.Location())
		rotated := p.Attr("secret-value", "value")
		if p.Status() != http.StatusOK || rotated == "" || rotated == original {
			t.Fatalf("after rotating: %d, new secret shown: %v", p.Status(), rotated != "")
		}
		if rotated != env.Workspace(t).EmbedSecret.Reveal() {
			t.Error("the page shows another secret than the one stored")
		}
		if !strings.Contains(p.Text("secret-grace"), "previous secret keeps verifying tokens for 1 hour") || !strings.Contains(p.Text("notice"), "keeps verifying tokens until") {
			t.Errorf("grace note %q, notice %q", p.Text("secret-grace"), p.Text("notice"))
		}
		// Reloading the secret's page shows the same secret: nothing rotates.
		if again := b.Get("/admin/embed/secret"); again.Attr("secret-value", "value") != rotated || env.Workspace(t).EmbedSecret.Reveal() != rotated {
			t.Error("reloading the secret's page rotated the secret again")
		}
		if got := sidebar(oldToken); got != http.StatusOK {
			t.Errorf("a token signed with the previous secret, within the grace period: %d", got)
		}
		if got := sidebar(mintToken(t, env.Workspace(t), fakeshopify.EmailShowcase)); got != http.StatusOK {
			t.Errorf("a token signed with the new secret: %d", got)
		}
		if p := b.Get("/admin/embed"); strings.Contains(p.Body, rotated) {
			t.Error("the embed page shows the new secret without being asked")
		}
	})

	t.Run("rotation without grace asks first", func(t *testing.T) {
		graceToken := mintToken(t, env.Workspace(t), fakeshopify.EmailShowcase)
		before := env.Workspace(t).EmbedSecret.Reveal()
		p := b.Post("/admin/embed/secret/rotate", url.Values{"grace": {"0"}})
		if p.Status() != http.StatusSeeOther || p.Location() != "/admin/embed/secret/rotate" {
			t.Fatalf("rotate without grace: %d → %q, want the confirmation page", p.Status(), p.Location())
		}
		if env.Workspace(t).EmbedSecret.Reveal() != before {
			t.Fatal("the secret rotated before the admin confirmed")
		}
		p = b.Get(p.Location())
		if p.Status() != http.StatusOK || !strings.Contains(p.Text("rotate-confirm"), "at once") || p.Attr("rotate-cancel", "href") == "" {
			t.Fatalf("confirmation page: %d %q", p.Status(), p.Text("rotate-confirm"))
		}
		if got := sidebar(graceToken); got != http.StatusOK {
			t.Errorf("asking stopped the current secret: %d", got)
		}
		// Confirming without the CSRF token changes nothing.
		if p := b.Post("/admin/embed/secret/rotate", url.Values{"grace": {"0"}, "confirm": {"1"}, "csrf": {"forged"}}); p.Status() != http.StatusForbidden || env.Workspace(t).EmbedSecret.Reveal() != before {
			t.Fatalf("a forged confirmation: %d", p.Status())
		}
		p = b.Post("/admin/embed/secret/rotate", url.Values{"grace": {"0"}, "confirm": {"1"}})
		if p.Status() != http.StatusSeeOther || p.Location() != "/admin/embed/secret" {
			t.Fatalf("confirmed: %d → %q", p.Status(), p.Location())
		}
		p = b.Get(p.Location())
		if !strings.Contains(p.Text("notice"), "no longer verifies") || p.Attr("secret-value", "value") != env.Workspace(t).EmbedSecret.Reveal() || p.Attr("secret-value", "value") == before {
			t.Fatalf("after confirming: %q", p.Text("notice"))
		}
		if got := sidebar(graceToken); got != http.StatusUnauthorized {
			t.Errorf("a token of the replaced secret: %d, want 401", got)
		}
		if got := sidebar(oldToken); got != http.StatusUnauthorized {
			t.Errorf("a token of the secret before that: %d, want 401", got)
		}
	})

	t.Run("an unknown grace period", func(t *testing.T) {
		before := env.Workspace(t).EmbedSecret.Reveal()
		if p := b.Post("/admin/embed/secret/rotate", url.Values{"grace": {"8760h"}}); p.Status() != http.StatusBadRequest {
			t.Errorf("status %d", p.Status())
		}
		if env.Workspace(t).EmbedSecret.Reveal() != before {
			t.Error("the secret changed anyway")
		}
	})
}

func TestGracePeriodEnds(t *testing.T) {
	t.Parallel()
	env := newAdminEnv(t)
	ws := env.Workspace(t)
	// Rotate with a grace period that has already run out.
	rotated, err := env.App.DB.RotateEmbedSecret(t.Context(), ws.ID, time.Nanosecond)
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Millisecond)
	if got := len(rotated.VerifyingSecrets(time.Now())); got != 1 {
		t.Errorf("%d secrets verify after the grace period, want 1", got)
	}
	if p := env.Browser(t).Get("/sidebar?token=" + mintToken(t, ws, fakeshopify.EmailShowcase)); p.Status() != http.StatusUnauthorized {
		t.Errorf("a token of the old secret after the grace period: %d", p.Status())
	}
}

func TestEmbedSettings(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name          string
		ancestors     string
		ttl           string
		wantStatus    int
		wantError     string
		wantAncestors []string
		wantTTL       time.Duration
	}{
		{"origins and a TTL", " https://inbox.example.org  https://*.helpdesk.example ", "120", http.StatusSeeOther, "", []string{"https://inbox.example.org", "https://*.helpdesk.example"}, 2 * time.Minute},
		{"defaults", "", "", http.StatusSeeOther, "", nil, 0},
		{"'self'", "'self'", "5", http.StatusSeeOther, "", []string{"'self'"}, 5 * time.Second},
		{"a path is not an origin", "https://inbox.example.org/app", "", http.StatusBadRequest, "has a path or query", nil, 0},
		{"an international name", "https://bücher.example", "", http.StatusSeeOther, "", []string{"https://xn--bcher-kva.example"}, 0},
		{"a comma-separated list", "https://a.example,https://b.example", "", http.StatusBadRequest, "separate origins with spaces", nil, 0},
		{"CSP injection", "https://a.example; script-src *", "", http.StatusBadRequest, "is not an origin", nil, 0},
		{"a javascript: source", "javascript:alert(1)", "", http.StatusBadRequest, "is not an origin", nil, 0},
		{"'none' with others", "'none' https://a.example", "", http.StatusBadRequest, "'none' cannot be combined", nil, 0},
		{"TTL too short", "", "4", http.StatusBadRequest, "between 5 and 3600", nil, 0},
		{"TTL too long", "", "3601", http.StatusBadRequest, "between 5 and 3600", nil, 0},
		{"TTL not a number", "", "1m", http.StatusBadRequest, "between 5 and 3600", nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env := newAdminEnv(t)
			b := env.SignIn(t, apptest.AdminEmail, apptest.AdminPassword)
			b.Get("/admin/embed")
			p := b.Post("/admin/embed/settings", url.Values{"frame_ancestors": {tt.ancestors}, "cache_ttl": {tt.ttl}})
			if p.Status() != tt.wantStatus {
				t.Fatalf("status %d, want %d: %s", p.Status(), tt.wantStatus, p.Text("settings-error"))
			}
			ws := env.Workspace(t)
			if tt.wantError != "" {
				if !strings.Contains(p.Text("settings-error"), tt.wantError) {
					t.Errorf("error %q, want %q", p.Text("settings-error"), tt.wantError)
				}
				if p.Attr("settings-frame-ancestors", "value") != tt.ancestors {
					t.Error("the form lost what was typed")
				}
				if len(ws.FrameAncestors) != 0 || ws.CacheTTL != 0 {
					t.Errorf("refused settings were saved: %v %v", ws.FrameAncestors, ws.CacheTTL)
				}
				return
			}
			if strings.Join(ws.FrameAncestors, " ") != strings.Join(tt.wantAncestors, " ") || ws.CacheTTL != tt.wantTTL {
				t.Errorf("saved %v and %v, want %v and %v", ws.FrameAncestors, ws.CacheTTL, tt.wantAncestors, tt.wantTTL)
			}
			// Every store of the workspace carries the TTL to the cache.
			if s, _ := env.Store(t, fakeshopify.AcmeDomain); s.CacheTTL != tt.wantTTL {
				t.Errorf("store cache TTL %v, want %v", s.CacheTTL, tt.wantTTL)
			}
			// The sidebar's CSP uses the workspace's origins, or the
			// server's default, and shopcard's own for the preview.
			want := "https://inbox.example.com 'self'"
			if len(tt.wantAncestors) > 0 {
				want = strings.Join(append(slices.DeleteFunc(slices.Clone(tt.wantAncestors), func(a string) bool { return a == "'self'" }), "'self'"), " ")
			}
			expired, _ := embedtoken.Sign(ws.EmbedSecret, embedtoken.Claims{Workspace: ws.Name, Email: fakeshopify.EmailShowcase}, time.Now().Add(-time.Hour), time.Minute)
			for name, token := range map[string]string{"valid": mintToken(t, ws, fakeshopify.EmailShowcase), "expired": expired} {
				resp := env.Browser(t).Get("/sidebar?token=" + token)
				if csp := resp.Resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors "+want) {
					t.Errorf("%s token (%d): CSP %q, want frame-ancestors %s", name, resp.Status(), csp, want)
				}
			}
		})
	}
}

func TestFrameAncestorsFollowTheTokensWorkspace(t *testing.T) {
	t.Parallel()
	env := newAdminEnv(t)
	if err := env.App.DB.UpdateWorkspaceSettings(t.Context(), env.Rival.ID, []string{"https://rival-inbox.example"}, 0); err != nil {
		t.Fatal(err)
	}
	ours := env.Browser(t).Get("/sidebar?token=" + mintToken(t, env.Workspace(t), fakeshopify.EmailShowcase))
	if csp := ours.Resp.Header.Get("Content-Security-Policy"); strings.Contains(csp, "rival-inbox") || !strings.Contains(csp, "https://inbox.example.com") {
		t.Errorf("acme-support's sidebar CSP %q", csp)
	}
	rival, _ := env.App.DB.WorkspaceByID(t.Context(), env.Rival.ID)
	theirs := env.Browser(t).Get("/sidebar?token=" + mintToken(t, rival, fakeshopify.EmailShowcase))
	if csp := theirs.Resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors https://rival-inbox.example 'self'") {
		t.Errorf("rival's sidebar CSP %q", csp)
	}
}

func TestPreview(t *testing.T) {
	t.Parallel()
	env := newAdminEnv(t)
	b := env.SignIn(t, apptest.AdminEmail, apptest.AdminPassword)
	p := b.Get("/admin/embed/preview?email=" + url.QueryEscape(" Maya.Chen@Example.com "))
	if p.Status() != http.StatusOK {
		t.Fatalf("preview: %d", p.Status())
	}
	csp := p.Resp.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "frame-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Errorf("preview CSP %q", csp)
	}
	if p.Text("preview-for") != fakeshopify.EmailShowcase {
		t.Errorf("preview for %q", p.Text("preview-for"))
	}
	src := p.Attr("preview-frame", "src")
	if !strings.HasPrefix(src, "/sidebar?token=") {
		t.Fatalf("frame src %q", src)
	}
	side := env.Browser(t).Get(src)
	if side.Status() != http.StatusOK || side.Doc.Find(apptest.Sel("store-section")).Length() != 2 {
		t.Fatalf("the preview's sidebar: %d with %d sections", side.Status(), side.Doc.Find(apptest.Sel("store-section")).Length())
	}
	if csp := side.Resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "'self'") {
		t.Errorf("the sidebar can't be framed by the preview: %q", csp)
	}
	if p := b.Get("/admin/embed/preview?email=not-an-email"); p.Status() != http.StatusBadRequest || p.Text("preview-error") == "" {
		t.Errorf("bad email: %d %q", p.Status(), p.Text("preview-error"))
	}
}

func TestSnippets(t *testing.T) {
	t.Parallel()
	env := newAdminEnvWith(t, adminOptions{publicURL: "https://shopcard.example.com"})
	b := env.SignIn(t, apptest.AdminEmail, apptest.AdminPassword)
	p := b.Get("/admin/embed")
	snippets := p.Doc.Find(apptest.Sel("snippet"))
	languages := map[string]bool{}
	snippets.Each(func(_ int, s *goquery.Selection) {
		lang, _ := s.Attr("data-language")
		languages[lang] = true
		code := s.Text()
		if !strings.Contains(code, "acme-support") || !strings.Contains(code, "https://shopcard.example.com/sidebar?token=") {
			t.Errorf("%s snippet lacks the workspace or the URL:\n%s", lang, code)
		}
	})
	for _, lang := range []string{"go", "javascript", "html"} {
		if !languages[lang] {
			t.Errorf("no %s snippet", lang)
		}
	}
	if strings.Contains(p.Body, env.WS.EmbedSecret.Reveal()) {
		t.Error("a snippet contains the secret")
	}
}

package admin_test

import (
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"shopcard/domain"
	"shopcard/embedtoken"
	"shopcard/fakeshopify"
	"shopcard/internal/apptest"
)

// TestConcurrentAdminAndSidebarNeverFail: admins saving settings and
// loading pages (each page takes the session's notice: a read and a write)
// while the sidebar loads sections that record a failing store's health
// (a write per request) all succeed: no "database is locked" 500s.
func TestConcurrentAdminAndSidebarNeverFail(t *testing.T) {
	t.Parallel()
	env := newAdminEnv(t)
	// Nordic answers 402 (frozen), never retried: every section load
	// records the store's status.
	env.Fake.SetFaults(fakeshopify.NordicDomain, fakeshopify.Faults{Status: http.StatusPaymentRequired})
	var mu sync.Mutex
	var failures []string
	fail := func(format string, args ...any) {
		mu.Lock()
		failures = append(failures, fmt.Sprintf(format, args...))
		mu.Unlock()
	}
	var browsers []*apptest.Browser
	for range 3 {
		browsers = append(browsers, env.SignIn(t, apptest.AdminEmail, apptest.AdminPassword))
	}
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range 4 {
		wg.Go(func() {
			<-start
			for j := range 20 {
				// A new contact each time: every lookup is a cache miss.
				tok, err := embedtoken.Sign(env.WS.EmbedSecret, embedtoken.Claims{Workspace: env.WS.Name, Email: fmt.Sprintf("c%d-%d@example.com", i, j)}, env.Now(), 15*time.Minute)
				if err != nil {
					fail("%v", err)
					return
				}
				for _, shop := range []string{fakeshopify.AcmeDomain, fakeshopify.NordicDomain} {
					req, _ := http.NewRequest(http.MethodGet, env.URL+apptest.SectionPath(env.Stores[shop]), nil)
					req.Header.Set("X-Shopcard-Token", tok)
					req.Header.Set("HX-Request", "true")
					resp, err := env.Srv.Client().Do(req)
					if err != nil {
						fail("section: %v", err)
						continue
					}
					resp.Body.Close()
					if resp.StatusCode != http.StatusOK {
						fail("section %s: %d", shop, resp.StatusCode)
					}
				}
			}
		})
	}
	for i, b := range browsers {
		wg.Go(func() {
			<-start
			for j := range 10 {
				ttl := fmt.Sprint(30 + i*10 + j)
				if p := b.Post("/admin/embed/settings", url.Values{"frame_ancestors": {apptest.InboxOrigin}, "cache_ttl": {ttl}}); p.Status() != http.StatusSeeOther {
					fail("save settings: %d %s", p.Status(), p.Text("notice"))
				}
				for _, path := range []string{"/admin/embed", "/admin/stores"} {
					if p := b.Get(path); p.Status() != http.StatusOK {
						fail("%s: %d", path, p.Status())
					}
				}
			}
		})
	}
	close(start)
	wg.Wait()
	for _, f := range failures {
		t.Error(f)
	}
}

// TestSimultaneousRotationsShowOneSecret: admins who press "Make a new
// secret" at the same moment, from the same page, are all shown the same
// secret, and it is the one that verifies: no rotation replaces another's
// secret the instant after it was shown.
func TestSimultaneousRotationsShowOneSecret(t *testing.T) {
	t.Parallel()
	env := newAdminEnv(t)
	type admin struct {
		b         *apptest.Browser
		replacing string
	}
	var admins []admin
	for range 4 {
		b := env.SignIn(t, apptest.AdminEmail, apptest.AdminPassword)
		p := b.Get("/admin/embed")
		v, _ := p.Doc.Find(`input[name="replacing"]`).Attr("value")
		admins = append(admins, admin{b, v})
	}
	shown := make([]string, len(admins))
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i, a := range admins {
		wg.Go(func() {
			<-start
			p := a.b.Post("/admin/embed/secret/rotate", url.Values{"grace": {"0"}, "confirm": {"1"}, "replacing": {a.replacing}})
			if p.Status() != http.StatusSeeOther {
				t.Errorf("rotate: %d", p.Status())
				return
			}
			shown[i] = a.b.Get(p.Location()).Attr("secret-value", "value")
		})
	}
	close(start)
	wg.Wait()
	current := env.Workspace(t).EmbedSecret
	for i, s := range shown {
		if s != current.Reveal() {
			t.Errorf("admin %d was shown a secret that no longer verifies", i)
		}
	}
	tok, err := embedtoken.Sign(domain.NewSecret(shown[0]), embedtoken.Claims{Workspace: env.WS.Name, Email: fakeshopify.EmailShowcase}, env.Now(), 15*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if resp, _ := env.Get(t, "/sidebar?token="+tok, ""); resp.StatusCode != http.StatusOK {
		t.Errorf("a token signed with the secret shown: %d", resp.StatusCode)
	}
}

package handlers_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"shopcard/fakeshopify"
	"shopcard/internal/app"
	"shopcard/internal/apptest"
	"shopcard/internal/demo"
	"shopcard/views"
)

// TestDemoInboxIsRaceFree loads the demo inbox from many goroutines at
// once, each a contact and a theme of its own: every page lists every
// contact with links in its own theme and frames its own contact's
// sidebar, and the shared contact list is never written. Run under -race.
func TestDemoInboxIsRaceFree(t *testing.T) {
	t.Parallel()
	d := &app.Demo{Workspace: apptest.WorkspaceName, Contacts: demo.Inbox().Contacts}
	env := apptest.Start(t, apptest.Options{Demo: d})
	themes := []string{"light", "dark"}
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := range 8 {
		wg.Go(func() {
			for j := range 12 {
				i, theme := (g+j)%len(d.Contacts), themes[(g+j)%2]
				if err := checkDemoPage(env, d, i, theme); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	for i, c := range d.Contacts {
		if c.URL != "" {
			t.Errorf("contact %d of the shared list was written: URL %q", i, c.URL)
		}
	}
}

// checkDemoPage loads /demo for contact i in theme and checks what it
// says against the request.
func checkDemoPage(env *apptest.Env, d *app.Demo, i int, theme string) error {
	resp, err := env.Srv.Client().Get(fmt.Sprintf("%s/demo?contact=%d&theme=%s", env.URL, i, theme))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("contact %d: status %d", i, resp.StatusCode)
	}
	doc, err := goquery.NewDocumentFromReader(resp.Body)
	if err != nil {
		return err
	}
	links := 0
	var bad error
	doc.Find("a[href^='/demo?']").Each(func(_ int, s *goquery.Selection) {
		href, _ := s.Attr("href")
		u, _ := url.Parse(href)
		links++
		if u.Query().Get("theme") != theme {
			bad = fmt.Errorf("contact %d in %s: a link in another theme: %s", i, theme, href)
		}
	})
	if bad != nil {
		return bad
	}
	if links < len(d.Contacts) {
		return fmt.Errorf("contact %d: %d contact links, want %d", i, links, len(d.Contacts))
	}
	src, ok := doc.Find("iframe").Attr("src")
	if !ok {
		return fmt.Errorf("contact %d: no sidebar frame", i)
	}
	u, _ := url.Parse(src)
	parts := strings.Split(u.Query().Get("token"), ".")
	if len(parts) != 3 {
		return fmt.Errorf("contact %d: no token in %s", i, src)
	}
	raw, _ := base64.RawURLEncoding.DecodeString(parts[1])
	var claims struct{ Email string }
	json.Unmarshal(raw, &claims)
	if claims.Email != d.Contacts[i].Email {
		return fmt.Errorf("contact %d framed the sidebar of %s, want %s", i, claims.Email, d.Contacts[i].Email)
	}
	return nil
}

// TestDemoInboxMintsWithTheCurrentSecret: the demo inbox signs each
// sidebar with the workspace's secret as it is now, so it keeps working
// after a rotation without a grace period, while a token of the old
// secret no longer does.
func TestDemoInboxMintsWithTheCurrentSecret(t *testing.T) {
	env := apptest.Start(t, apptest.Options{Demo: &app.Demo{Workspace: apptest.WorkspaceName, Contacts: []views.DemoContact{{Name: "Maya Chen", Email: fakeshopify.EmailShowcase}}}})
	frame := func(t *testing.T) string {
		t.Helper()
		p := env.Browser(t).Get("/demo?contact=0")
		src := p.Attr("sidebar-frame", "src")
		u, err := url.Parse(src)
		if err != nil || u.Query().Get("token") == "" {
			t.Fatalf("the demo's frame %q has no token", src)
		}
		return src
	}
	sidebar := func(t *testing.T, src string) int {
		t.Helper()
		return env.Browser(t).Get(src).Status()
	}
	before := frame(t)
	if got := sidebar(t, before); got != 200 {
		t.Fatalf("the demo's sidebar: %d", got)
	}
	if _, err := env.App.DB.RotateEmbedSecret(t.Context(), env.WS.ID, 0); err != nil {
		t.Fatal(err)
	}
	if got := sidebar(t, before); got != 401 {
		t.Errorf("a token of the rotated-away secret: %d, want 401", got)
	}
	after := frame(t)
	if after == before {
		t.Fatal("the demo minted the same token after the rotation")
	}
	if got := sidebar(t, after); got != 200 {
		t.Errorf("the demo's sidebar after a rotation without grace: %d, want 200", got)
	}
}

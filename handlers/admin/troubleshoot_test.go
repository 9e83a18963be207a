package admin_test

import (
	"net/http"
	"net/url"
	"regexp"
	"shopcard/internal/apptest"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"shopcard/fakeshopify"
)

// result finds one store's troubleshooting result.
func result(p apptest.Page, shop string) *goquery.Selection {
	return p.Doc.Find(`[data-testid="troubleshoot-result"][data-store="` + shop + `"]`)
}

func field(s *goquery.Selection, testid string) string {
	return strings.TrimSpace(s.Find(apptest.Sel(testid)).First().Text())
}

func TestTroubleshoot(t *testing.T) {
	t.Parallel()
	env := newAdminEnv(t)
	b := env.SignIn(t, apptest.AdminEmail, apptest.AdminPassword)

	p := b.Get("/admin/troubleshoot")
	if p.Status() != http.StatusOK || p.Doc.Find(apptest.Sel("troubleshoot-result")).Length() != 0 {
		t.Fatalf("empty form: %d", p.Status())
	}
	causes := p.Doc.Find(apptest.Sel("troubleshoot-causes")).Text()
	for _, cause := range []string{"storefront domain", "Archived orders", "older than 60 days need read_all_orders", "Protected customer data", "email differs"} {
		if !strings.Contains(causes, cause) {
			t.Errorf("common causes lack %q", cause)
		}
	}

	t.Run("fresh, then cached, then bypassed", func(t *testing.T) {
		p := b.Get("/admin/troubleshoot?email=" + url.QueryEscape(fakeshopify.EmailNonASCII))
		if p.Status() != http.StatusOK || p.Doc.Find(apptest.Sel("troubleshoot-result")).Length() != 2 {
			t.Fatalf("%d with %d results", p.Status(), p.Doc.Find(apptest.Sel("troubleshoot-result")).Length())
		}
		nordic := result(p, fakeshopify.NordicDomain)
		checks := map[string]string{
			"result-outcome": "Matched", "result-customer": "Zoë Ångström", "result-source": "Shopify, just now",
			"result-cost": "points", "result-status": "Healthy",
		}
		for id, want := range checks {
			if got := field(nordic, id); !strings.Contains(got, want) {
				t.Errorf("nordic %s = %q, want %q", id, got, want)
			}
		}
		// How long the lookup took depends on the machine: milliseconds
		// usually, seconds under load. Only its form is the page's.
		if got := field(nordic, "result-took"); !tookForm.MatchString(got) {
			t.Errorf("nordic result-took = %q, want a duration in ms or s", got)
		}
		if got := field(nordic, "result-orders"); !strings.Contains(got, "returned; Shopify counts") {
			t.Errorf("orders %q: the hidden older orders are not called out", got)
		}
		if hints := nordic.Find(apptest.Sel("result-hint")).Text(); !strings.Contains(hints, "read_all_orders") {
			t.Errorf("hints %q lack read_all_orders", hints)
		}
		if tone, _ := nordic.Find(`[data-scope="read_all_orders"]`).Attr("data-tone"); tone != "warn" {
			t.Errorf("read_all_orders shown as %q", tone)
		}
		acme := result(p, fakeshopify.AcmeDomain)
		if got := field(acme, "result-outcome"); got != "No match" {
			t.Errorf("acme outcome %q", got)
		}

		requests := env.Fake.Requests(fakeshopify.NordicDomain)
		p = b.Get("/admin/troubleshoot?email=" + url.QueryEscape(fakeshopify.EmailNonASCII))
		if got := field(result(p, fakeshopify.NordicDomain), "result-source"); !strings.Contains(got, "The cache,") || !strings.Contains(got, "old") {
			t.Errorf("second check source %q, want the cache and its age", got)
		}
		if env.Fake.Requests(fakeshopify.NordicDomain) != requests {
			t.Error("the second check asked Shopify")
		}

		p = b.Post("/admin/troubleshoot", url.Values{"email": {fakeshopify.EmailNonASCII}})
		if p.Status() != http.StatusOK {
			t.Fatalf("bypass: %d", p.Status())
		}
		if got := field(result(p, fakeshopify.NordicDomain), "result-source"); got != "Shopify, just now" {
			t.Errorf("bypass source %q", got)
		}
		if env.Fake.Requests(fakeshopify.NordicDomain) != requests+1 {
			t.Error("the bypass did not ask Shopify")
		}
	})

	t.Run("withheld protected data", func(t *testing.T) {
		if err := env.Fake.SetFaults(fakeshopify.AcmeDomain, fakeshopify.Faults{WithholdProtectedData: true}); err != nil {
			t.Fatal(err)
		}
		defer env.Fake.SetFaults(fakeshopify.AcmeDomain, fakeshopify.Faults{})
		p := b.Post("/admin/troubleshoot", url.Values{"email": {fakeshopify.EmailShowcase}})
		acme := result(p, fakeshopify.AcmeDomain)
		if got := field(acme, "result-withheld"); !strings.Contains(got, "name") || !strings.Contains(got, "email") {
			t.Errorf("withheld %q", got)
		}
		if hints := acme.Find(apptest.Sel("result-hint")).Text(); !strings.Contains(hints, "protected customer data") {
			t.Errorf("hints %q", hints)
		}
	})

	t.Run("a failing store", func(t *testing.T) {
		if err := env.Fake.SetFaults(fakeshopify.AcmeDomain, fakeshopify.Faults{Status: 401}); err != nil {
			t.Fatal(err)
		}
		defer env.Fake.SetFaults(fakeshopify.AcmeDomain, fakeshopify.Faults{})
		p := b.Post("/admin/troubleshoot", url.Values{"email": {fakeshopify.EmailShowcase}})
		acme := result(p, fakeshopify.AcmeDomain)
		if field(acme, "result-outcome") != "Failed" || !strings.Contains(field(acme, "result-error"), "401") || field(acme, "result-status") != "Needs reconnect" {
			t.Errorf("outcome %q, error %q, status %q", field(acme, "result-outcome"), field(acme, "result-error"), field(acme, "result-status"))
		}
		if got := field(result(p, fakeshopify.NordicDomain), "result-outcome"); got != "Matched" {
			t.Errorf("one failing store spoiled another: %q", got)
		}
	})

	t.Run("a bad email", func(t *testing.T) {
		p := b.Get("/admin/troubleshoot?email=nobody")
		if p.Status() != http.StatusBadRequest || p.Text("troubleshoot-error") == "" || p.Doc.Find(apptest.Sel("troubleshoot-result")).Length() != 0 {
			t.Errorf("%d %q", p.Status(), p.Text("troubleshoot-error"))
		}
	})
}

func TestCrossWorkspaceAccess(t *testing.T) {
	t.Parallel()
	env := newAdminEnv(t)
	b := env.SignIn(t, apptest.AdminEmail, apptest.AdminPassword)
	theirs := env.RivalStore // Sakura, in the rival workspace
	id := itoa(theirs.ID)

	gets := []string{"/admin/stores/" + id + "/disconnect"}
	for _, path := range gets {
		if p := b.Get(path); p.Status() != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", path, p.Status())
		}
	}
	posts := []struct {
		path string
		form url.Values
	}{
		{"/admin/stores/" + id + "/test", nil},
		{"/admin/stores/" + id + "/token", url.Values{"token": {fakeshopify.SakuraToken}}},
		{"/admin/stores/" + id + "/disconnect", nil},
		{"/admin/stores/" + id + "/disconnect", url.Values{"workspace": {itoa(env.Rival.ID)}, "workspace_id": {itoa(env.Rival.ID)}}},
	}
	requests := env.Fake.Requests(fakeshopify.SakuraDomain)
	for _, f := range posts {
		p := b.Post(f.path, f.form)
		if p.Status() != http.StatusNotFound {
			t.Errorf("POST %s: %d, want 404", f.path, p.Status())
		}
		if strings.Contains(p.Body, fakeshopify.SakuraDomain) || strings.Contains(p.Body, theirs.ShopName) {
			t.Errorf("POST %s names the other workspace's store", f.path)
		}
	}
	after, err := env.App.DB.StoreByID(t.Context(), env.Rival.ID, theirs.ID)
	if err != nil {
		t.Fatal("the other workspace's store was disconnected")
	}
	if after.AccessToken.Reveal() != fakeshopify.SakuraToken || after.Status != theirs.Status || after.LastError != "" {
		t.Error("the other workspace's store was changed")
	}
	if env.Fake.Requests(fakeshopify.SakuraDomain) != requests {
		t.Error("Shopify was called for the other workspace's store")
	}

	// Connecting the same shop is a connection of one's own workspace,
	// never a takeover of the other's.
	if p := b.Post("/admin/stores", url.Values{"domain": {fakeshopify.SakuraDomain}, "token": {fakeshopify.SakuraToken}, "workspace_id": {itoa(env.Rival.ID)}}); p.Status() != http.StatusSeeOther {
		t.Fatalf("connect: %d", p.Status())
	}
	ours, ok := env.Store(t, fakeshopify.SakuraDomain)
	if !ok || ours.ID == theirs.ID || ours.WorkspaceID != env.WS.ID {
		t.Errorf("connecting the shop touched the other workspace's row: %+v", ours)
	}

	// Each admin sees only their own workspace, everywhere.
	rival := env.SignIn(t, apptest.RivalEmail, apptest.RivalPassword)
	p := rival.Get("/admin/stores")
	if p.Doc.Find(apptest.Sel("store-row")).Length() != 1 || strings.Contains(p.Body, fakeshopify.AcmeDomain) {
		t.Error("the rival admin sees acme-support's stores")
	}
	if p := rival.Get("/admin/troubleshoot?email=" + url.QueryEscape(fakeshopify.EmailShowcase)); strings.Contains(p.Body, fakeshopify.AcmeDomain) {
		t.Error("troubleshooting looks in another workspace's stores")
	}
	if p := rival.Get("/admin/embed/secret"); strings.Contains(p.Body, env.WS.EmbedSecret.Reveal()) || p.Attr("secret-value", "value") == "" {
		t.Error("the rival admin sees acme-support's secret (or none)")
	}
	acme := env.Stores[fakeshopify.AcmeDomain]
	if p := rival.Post("/admin/stores/"+itoa(acme.ID)+"/disconnect", nil); p.Status() != http.StatusNotFound {
		t.Errorf("rival disconnecting acme's store: %d", p.Status())
	}
	if _, ok := env.Store(t, fakeshopify.AcmeDomain); !ok {
		t.Error("the rival admin disconnected acme's store")
	}
}

var tookForm = regexp.MustCompile(`\d[\d.,]* (ms|s)\b`)

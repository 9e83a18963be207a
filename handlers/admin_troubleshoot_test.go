package handlers

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"shopcard/fakeshopify"
)

// result finds one store's troubleshooting result.
func result(p page, shop string) *goquery.Selection {
	return p.doc.Find(`[data-testid="troubleshoot-result"][data-store="` + shop + `"]`)
}

func field(s *goquery.Selection, testid string) string {
	return strings.TrimSpace(s.Find(sel(testid)).First().Text())
}

func TestTroubleshoot(t *testing.T) {
	env := newAdminEnv(t)
	b := env.signIn(t, adminEmail, adminPassword)

	p := b.get("/admin/troubleshoot")
	if p.status() != http.StatusOK || p.doc.Find(sel("troubleshoot-result")).Length() != 0 {
		t.Fatalf("empty form: %d", p.status())
	}
	causes := p.doc.Find(sel("troubleshoot-causes")).Text()
	for _, cause := range []string{"storefront domain", "Archived orders", "older than 60 days need read_all_orders", "Protected customer data", "email differs"} {
		if !strings.Contains(causes, cause) {
			t.Errorf("common causes lack %q", cause)
		}
	}

	t.Run("fresh, then cached, then bypassed", func(t *testing.T) {
		p := b.get("/admin/troubleshoot?email=" + url.QueryEscape(fakeshopify.EmailNonASCII))
		if p.status() != http.StatusOK || p.doc.Find(sel("troubleshoot-result")).Length() != 2 {
			t.Fatalf("%d with %d results", p.status(), p.doc.Find(sel("troubleshoot-result")).Length())
		}
		nordic := result(p, fakeshopify.NordicDomain)
		checks := map[string]string{
			"result-outcome": "Matched", "result-customer": "Zoë Ångström", "result-source": "Shopify, just now",
			"result-cost": "points", "result-took": " ms", "result-status": "Healthy",
		}
		for id, want := range checks {
			if got := field(nordic, id); !strings.Contains(got, want) {
				t.Errorf("nordic %s = %q, want %q", id, got, want)
			}
		}
		if got := field(nordic, "result-orders"); !strings.Contains(got, "returned; Shopify counts") {
			t.Errorf("orders %q: the hidden older orders are not called out", got)
		}
		if hints := nordic.Find(sel("result-hint")).Text(); !strings.Contains(hints, "read_all_orders") {
			t.Errorf("hints %q lack read_all_orders", hints)
		}
		if tone, _ := nordic.Find(`[data-scope="read_all_orders"]`).Attr("data-tone"); tone != "warn" {
			t.Errorf("read_all_orders shown as %q", tone)
		}
		acme := result(p, fakeshopify.AcmeDomain)
		if got := field(acme, "result-outcome"); got != "No match" {
			t.Errorf("acme outcome %q", got)
		}

		requests := env.fake.Requests(fakeshopify.NordicDomain)
		p = b.get("/admin/troubleshoot?email=" + url.QueryEscape(fakeshopify.EmailNonASCII))
		if got := field(result(p, fakeshopify.NordicDomain), "result-source"); !strings.Contains(got, "The cache,") || !strings.Contains(got, "old") {
			t.Errorf("second check source %q, want the cache and its age", got)
		}
		if env.fake.Requests(fakeshopify.NordicDomain) != requests {
			t.Error("the second check asked Shopify")
		}

		p = b.post("/admin/troubleshoot", url.Values{"email": {fakeshopify.EmailNonASCII}})
		if p.status() != http.StatusOK {
			t.Fatalf("bypass: %d", p.status())
		}
		if got := field(result(p, fakeshopify.NordicDomain), "result-source"); got != "Shopify, just now" {
			t.Errorf("bypass source %q", got)
		}
		if env.fake.Requests(fakeshopify.NordicDomain) != requests+1 {
			t.Error("the bypass did not ask Shopify")
		}
	})

	t.Run("withheld protected data", func(t *testing.T) {
		if err := env.fake.SetFaults(fakeshopify.AcmeDomain, fakeshopify.Faults{WithholdProtectedData: true}); err != nil {
			t.Fatal(err)
		}
		defer env.fake.SetFaults(fakeshopify.AcmeDomain, fakeshopify.Faults{})
		p := b.post("/admin/troubleshoot", url.Values{"email": {fakeshopify.EmailShowcase}})
		acme := result(p, fakeshopify.AcmeDomain)
		if got := field(acme, "result-withheld"); !strings.Contains(got, "name") || !strings.Contains(got, "email") {
			t.Errorf("withheld %q", got)
		}
		if hints := acme.Find(sel("result-hint")).Text(); !strings.Contains(hints, "protected customer data") {
			t.Errorf("hints %q", hints)
		}
	})

	t.Run("a failing store", func(t *testing.T) {
		if err := env.fake.SetFaults(fakeshopify.AcmeDomain, fakeshopify.Faults{Status: 401}); err != nil {
			t.Fatal(err)
		}
		defer env.fake.SetFaults(fakeshopify.AcmeDomain, fakeshopify.Faults{})
		p := b.post("/admin/troubleshoot", url.Values{"email": {fakeshopify.EmailShowcase}})
		acme := result(p, fakeshopify.AcmeDomain)
		if field(acme, "result-outcome") != "Failed" || !strings.Contains(field(acme, "result-error"), "401") || field(acme, "result-status") != "Needs reconnect" {
			t.Errorf("outcome %q, error %q, status %q", field(acme, "result-outcome"), field(acme, "result-error"), field(acme, "result-status"))
		}
		if got := field(result(p, fakeshopify.NordicDomain), "result-outcome"); got != "Matched" {
			t.Errorf("one failing store spoiled another: %q", got)
		}
	})

	t.Run("a bad email", func(t *testing.T) {
		p := b.get("/admin/troubleshoot?email=nobody")
		if p.status() != http.StatusBadRequest || p.text("troubleshoot-error") == "" || p.doc.Find(sel("troubleshoot-result")).Length() != 0 {
			t.Errorf("%d %q", p.status(), p.text("troubleshoot-error"))
		}
	})
}

func TestCrossWorkspaceAccess(t *testing.T) {
	env := newAdminEnv(t)
	b := env.signIn(t, adminEmail, adminPassword)
	theirs := env.rivals // Sakura, in the rival workspace
	id := itoa(theirs.ID)

	gets := []string{"/admin/stores/" + id + "/disconnect"}
	for _, path := range gets {
		if p := b.get(path); p.status() != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", path, p.status())
		}
	}
	posts := []struct {
		path string
		form url.Values
	}{
		{"/admin/stores/" + id + "/test", nil},
		{"/admin/stores/" + id + "/token", url.Values{"token": {fakeshopify.SakuraToken}}},
		{"/admin/stores/" + id + "/disconnect", nil},
		{"/admin/stores/" + id + "/disconnect", url.Values{"workspace": {itoa(env.rival.ID)}, "workspace_id": {itoa(env.rival.ID)}}},
	}
	requests := env.fake.Requests(fakeshopify.SakuraDomain)
	for _, f := range posts {
		p := b.post(f.path, f.form)
		if p.status() != http.StatusNotFound {
			t.Errorf("POST %s: %d, want 404", f.path, p.status())
		}
		if strings.Contains(p.body, fakeshopify.SakuraDomain) || strings.Contains(p.body, theirs.ShopName) {
			t.Errorf("POST %s names the other workspace's store", f.path)
		}
	}
	after, err := env.db.StoreByID(t.Context(), env.rival.ID, theirs.ID)
	if err != nil {
		t.Fatal("the other workspace's store was disconnected")
	}
	if after.AccessToken.Reveal() != fakeshopify.SakuraToken || after.Status != theirs.Status || after.LastError != "" {
		t.Error("the other workspace's store was changed")
	}
	if env.fake.Requests(fakeshopify.SakuraDomain) != requests {
		t.Error("Shopify was called for the other workspace's store")
	}

	// Connecting the same shop is a connection of one's own workspace,
	// never a takeover of the other's.
	if p := b.post("/admin/stores", url.Values{"domain": {fakeshopify.SakuraDomain}, "token": {fakeshopify.SakuraToken}, "workspace_id": {itoa(env.rival.ID)}}); p.status() != http.StatusSeeOther {
		t.Fatalf("connect: %d", p.status())
	}
	ours, ok := env.store(t, fakeshopify.SakuraDomain)
	if !ok || ours.ID == theirs.ID || ours.WorkspaceID != env.ws.ID {
		t.Errorf("connecting the shop touched the other workspace's row: %+v", ours)
	}

	// Each admin sees only their own workspace, everywhere.
	rival := env.signIn(t, rivalEmail, rivalPassword)
	p := rival.get("/admin/stores")
	if p.doc.Find(sel("store-row")).Length() != 1 || strings.Contains(p.body, fakeshopify.AcmeDomain) {
		t.Error("the rival admin sees acme-support's stores")
	}
	if p := rival.get("/admin/troubleshoot?email=" + url.QueryEscape(fakeshopify.EmailShowcase)); strings.Contains(p.body, fakeshopify.AcmeDomain) {
		t.Error("troubleshooting looks in another workspace's stores")
	}
	if p := rival.post("/admin/embed/secret", nil); strings.Contains(p.body, env.ws.EmbedSecret.Reveal()) || p.attr("secret-value", "value") == "" {
		t.Error("the rival admin sees acme-support's secret (or none)")
	}
	acme := env.stores[fakeshopify.AcmeDomain]
	if p := rival.post("/admin/stores/"+itoa(acme.ID)+"/disconnect", nil); p.status() != http.StatusNotFound {
		t.Errorf("rival disconnecting acme's store: %d", p.status())
	}
	if _, ok := env.store(t, fakeshopify.AcmeDomain); !ok {
		t.Error("the rival admin disconnected acme's store")
	}
}

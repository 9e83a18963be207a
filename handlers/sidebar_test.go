package handlers_test

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"shopcard/internal/apptest"
	"shopcard/present"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"shopcard/domain"
	"shopcard/embedtoken"
	"shopcard/fakeshopify"
)

func TestSidebarRejectsBadTokens(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	valid := env.Token(t, fakeshopify.EmailShowcase)
	parts := strings.Split(valid, ".")
	enc := base64.RawURLEncoding.EncodeToString
	otherSecret, _ := embedtoken.Sign(domain.NewSecret("not-the-workspace-secret-at-all-xx"), embedtoken.Claims{Workspace: env.WS.Name, Email: "a@b.co"}, time.Now(), time.Minute)
	expired, _ := embedtoken.Sign(env.WS.EmbedSecret, embedtoken.Claims{Workspace: env.WS.Name, Email: "a@b.co"}, time.Now().Add(-time.Hour), time.Minute)
	unknownWS, _ := embedtoken.Sign(env.WS.EmbedSecret, embedtoken.Claims{Workspace: "ghost", Email: "a@b.co"}, time.Now(), time.Minute)

	tests := []struct {
		name    string
		query   string
		message string
	}{
		{"missing", "", "has no sign-in token"},
		{"malformed", "?token=not.a.jwt", "is damaged"},
		{"bad signature", "?token=" + otherSecret, "wasn't signed with your workspace's embed secret"},
		{"alg none", "?token=" + enc([]byte(`{"alg":"none"}`)) + "." + parts[1] + ".", "signed the wrong way"},
		{"alg RS256", "?token=" + enc([]byte(`{"alg":"RS256","typ":"JWT"}`)) + "." + parts[1] + "." + parts[2], "signed the wrong way"},
		{"expired", "?token=" + expired, "has expired"},
		{"unknown workspace", "?token=" + unknownWS, "names a workspace shopcard doesn't know"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := env.Get(t, "/sidebar"+tt.query, "")
			if resp.StatusCode != http.StatusUnauthorized {
				t.Fatalf("status %d, want 401", resp.StatusCode)
			}
			doc, _ := goquery.NewDocumentFromReader(strings.NewReader(body))
			if msg := doc.Find(apptest.Sel("rejection-message")).Text(); !strings.Contains(msg, tt.message) {
				t.Errorf("message %q does not contain %q", msg, tt.message)
			}
			if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors https://inbox.example.com") {
				t.Errorf("the rejection page must render inside the inbox frame; CSP = %q", csp)
			}
			if strings.Contains(body, "a@b.co") || (len(tt.query) > 7 && strings.Contains(body, tt.query[7:])) {
				t.Error("the page echoes the token or its email")
			}
		})
	}
}

func TestSidebarPage(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	tok := env.Token(t, " Maya.Chen@Example.com ")
	resp, body := env.Get(t, "/sidebar?token="+tok+"&theme=dark", "")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	for header, want := range map[string]string{
		"Referrer-Policy":         "no-referrer",
		"Cache-Control":           "no-store",
		"Content-Security-Policy": "frame-ancestors https://inbox.example.com",
		"X-Content-Type-Options":  "nosniff",
	} {
		if got := resp.Header.Get(header); !strings.Contains(got, want) {
			t.Errorf("%s = %q, want it to contain %q", header, got, want)
		}
	}
	if resp.Header.Get("X-Frame-Options") != "" {
		t.Error("X-Frame-Options would stop the inbox from embedding the sidebar")
	}
	doc, _ := goquery.NewDocumentFromReader(strings.NewReader(body))
	if c, _ := doc.Find("html").Attr("class"); c != "dark" {
		t.Errorf("theme=dark gave html class %q", c)
	}
	if got := doc.Find(apptest.Sel("contact-email")).Text(); got != "maya.chen@example.com" {
		t.Errorf("contact email = %q", got)
	}
	sections := doc.Find(apptest.Sel("store-section"))
	if sections.Length() != 3 {
		t.Fatalf("%d sections, want 3", sections.Length())
	}
	want := []string{fakeshopify.AcmeDomain, fakeshopify.NordicDomain, fakeshopify.SakuraDomain}
	sections.Each(func(i int, s *goquery.Selection) {
		if d := s.Find(apptest.Sel("store-domain")).Text(); d != want[i] {
			t.Errorf("section %d is %q, want %q", i, d, want[i])
		}
		body := s.Find(apptest.Sel("section-body"))
		get, _ := body.Attr("hx-get")
		trigger, _ := body.Attr("hx-trigger")
		// Nothing cached: each section will replace the typical skeleton,
		// and says so.
		if get != "/sidebar/stores/"+itoa(env.Stores[want[i]].ID)+"?cold=1" || trigger != "load" {
			t.Errorf("section %d loads with hx-get=%q hx-trigger=%q", i, get, trigger)
		}
	})
	if h, _ := doc.Find("body").Attr("hx-headers"); !strings.Contains(h, `"X-Shopcard-Token":"`+tok+`"`) {
		t.Errorf("fragments will not carry the token: hx-headers=%q", h)
	}
	// The page itself asked Shopify nothing: sections load on their own.
	for _, d := range want {
		if n := env.Fake.Requests(d); n != 0 {
			t.Errorf("%s got %d requests while rendering the page", d, n)
		}
	}
}

// TestSkeletonsFromTheLastAnswer: once a contact's answers are cached, the
// page sizes each skeleton to them, and a section replacing the typical
// skeleton keeps to its size.
func TestSkeletonsFromTheLastAnswer(t *testing.T) {
	env := newTestEnv(t)
	tok := env.Token(t, fakeshopify.EmailShowcase)
	// A cold section folds at the typical skeleton's rows and reserves its
	// height; the same section asked for directly shows ten at once.
	_, body := env.Get(t, "/sidebar/stores/"+itoa(env.Stores[fakeshopify.AcmeDomain].ID)+"?cold=1", tok)
	doc, _ := goquery.NewDocumentFromReader(strings.NewReader(body))
	if n := doc.Find(apptest.Sel("order-list") + " > ol > li").Length(); n != present.DefaultSkeleton.Rows {
		t.Errorf("a cold section shows %d orders at once, want %d", n, present.DefaultSkeleton.Rows)
	}
	if doc.Find("[data-reserve]").Length() != 1 {
		t.Error("a cold section reserves no space")
	}
	_, warm := env.Section(t, fakeshopify.AcmeDomain, fakeshopify.EmailShowcase)
	if n := warm.Find(apptest.Sel("order-list") + " > ol > li").Length(); n != present.OrdersShownFirst {
		t.Errorf("a section shows %d orders at once, want %d", n, present.OrdersShownFirst)
	}
	if warm.Find("[data-reserve]").Length() != 0 {
		t.Error("a section sized from the last answer reserves space")
	}
	for _, d := range []string{fakeshopify.NordicDomain, fakeshopify.SakuraDomain} {
		env.SectionWith(t, d, tok)
	}
	_, page := env.Get(t, "/sidebar?token="+tok, "")
	pd, _ := goquery.NewDocumentFromReader(strings.NewReader(page))
	var rows []int
	pd.Find(apptest.Sel("section-body")).Each(func(i int, s *goquery.Selection) {
		get, _ := s.Attr("hx-get")
		if strings.Contains(get, "cold") {
			t.Errorf("section %d is cold although its answer is cached: %q", i, get)
		}
		rows = append(rows, s.Find(".divide-y > div").Length())
	})
	// Maya: 11 orders at Acme (10 shown at once), 1 at Nordic, no one at Sakura.
	if fmt.Sprint(rows) != "[10 1 0]" {
		t.Errorf("skeleton rows %v, want [10 1 0]", rows)
	}
}

func TestStoreSection(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	tests := []struct {
		name   string
		store  string
		email  string
		state  string
		orders int
		check  func(t *testing.T, doc *goquery.Document)
	}{
		{"customer with orders", fakeshopify.AcmeDomain, fakeshopify.EmailShowcase, "loaded", -1, func(t *testing.T, doc *goquery.Document) {
			if doc.Find(apptest.Sel("customer-name")).Text() != "Maya Chen" {
				t.Errorf("name %q", doc.Find(apptest.Sel("customer-name")).Text())
			}
			href, _ := doc.Find(apptest.Sel("customer-admin-link")).Attr("href")
			if !strings.HasPrefix(href, "https://admin.shopify.com/store/acme-outfitters/customers/") {
				t.Errorf("customer admin link %q", href)
			}
			href, _ = doc.Find(apptest.Sel("order-admin-link")).First().Attr("href")
			if !strings.HasPrefix(href, "https://admin.shopify.com/store/acme-outfitters/orders/") {
				t.Errorf("order admin link %q", href)
			}
		}},
		{"sixty orders show the newest fifty", fakeshopify.AcmeDomain, fakeshopify.EmailSixtyOrders, "loaded", 50, func(t *testing.T, doc *goquery.Document) {
			if doc.Find(apptest.Sel("customer-orders")).Text() != "60 orders" {
				t.Errorf("orders count %q", doc.Find(apptest.Sel("customer-orders")).Text())
			}
			if doc.Find(apptest.Sel("orders-more")).Length() != 1 {
				t.Error("no link to the rest of the orders")
			}
		}},
		{"customer without orders", fakeshopify.AcmeDomain, fakeshopify.EmailNoOrders, "loaded", 0, func(t *testing.T, doc *goquery.Document) {
			if doc.Find(apptest.Sel("orders-empty")).Length() != 1 {
				t.Error("no empty-orders note")
			}
		}},
		{"email matching nothing", fakeshopify.AcmeDomain, fakeshopify.EmailNoMatch, "no-match", 0, func(t *testing.T, doc *goquery.Document) {
			if doc.Find(apptest.Sel("section-retry")).Length() != 0 {
				t.Error("a no-match section offers a retry, as if something failed")
			}
		}},
		{"hostile data stays text", fakeshopify.AcmeDomain, fakeshopify.EmailHostile, "loaded", -1, func(t *testing.T, doc *goquery.Document) {
			if doc.Find("script").Length() != 0 {
				t.Error("a <script> from Shopify data was rendered")
			}
			doc.Find("a").Each(func(_ int, a *goquery.Selection) {
				href, _ := a.Attr("href")
				// Links go to the web, or dial the customer's phone.
				if l := strings.ToLower(href); !strings.HasPrefix(l, "https://") && !strings.HasPrefix(l, "http://") && !strings.HasPrefix(l, "tel:+") {
					t.Errorf("unsafe link rendered: %q", href)
				}
			})
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, doc := env.Section(t, tt.store, tt.email)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d", resp.StatusCode)
			}
			if st, _ := doc.Find(apptest.Sel("section-body")).Attr("data-state"); st != tt.state {
				t.Fatalf("state %q, want %q: %s", st, tt.state, doc.Text())
			}
			if n := doc.Find(apptest.Sel("order")).Length(); tt.orders >= 0 && n != tt.orders {
				t.Errorf("%d orders, want %d", n, tt.orders)
			}
			tt.check(t, doc)
		})
	}
}

func TestStoreSectionRefusals(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	acme := env.Stores[fakeshopify.AcmeDomain]
	other, err := env.App.DB.CreateWorkspace(t.Context(), "someone-else")
	if err != nil {
		t.Fatal(err)
	}
	foreignTok, _ := embedtoken.Sign(other.EmbedSecret, embedtoken.Claims{Workspace: other.Name, Email: fakeshopify.EmailShowcase}, time.Now(), time.Minute)
	tests := []struct {
		name   string
		path   string
		token  string
		status int
	}{
		{"token only in the query is not enough", "/sidebar/stores/" + itoa(acme.ID) + "?token=" + env.Token(t, fakeshopify.EmailShowcase), "", http.StatusUnauthorized},
		{"another workspace's store", "/sidebar/stores/" + itoa(acme.ID), foreignTok, http.StatusNotFound},
		{"unknown store", "/sidebar/stores/99999", env.Token(t, fakeshopify.EmailShowcase), http.StatusNotFound},
		{"not a store id", "/sidebar/stores/abc", env.Token(t, fakeshopify.EmailShowcase), http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := env.Get(t, tt.path, tt.token)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.status)
			}
			if strings.Contains(body, "Maya") {
				t.Error("customer data leaked across workspaces")
			}
		})
	}
	if n := env.Fake.Requests(fakeshopify.AcmeDomain); n != 0 {
		t.Errorf("refused requests reached Shopify %d times", n)
	}
}

func TestFailingStoreDoesNotAffectOthers(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	if err := env.Fake.SetFaults(fakeshopify.AcmeDomain, fakeshopify.Faults{Status: 503}); err != nil {
		t.Fatal(err)
	}
	if err := env.Fake.RevokeToken(fakeshopify.SakuraDomain, fakeshopify.SakuraToken); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		store, state string
		retry        bool
	}{
		{fakeshopify.AcmeDomain, "error", true},
		{fakeshopify.NordicDomain, "loaded", false},
		{fakeshopify.SakuraDomain, "attention", false},
	}
	for _, tt := range tests {
		t.Run(tt.store, func(t *testing.T) {
			resp, doc := env.Section(t, tt.store, fakeshopify.EmailShowcase)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d", resp.StatusCode)
			}
			body := doc.Find(apptest.Sel("section-body"))
			if st, _ := body.Attr("data-state"); st != tt.state {
				t.Fatalf("state %q, want %q", st, tt.state)
			}
			if got := doc.Find(apptest.Sel("section-retry")).Length() == 1; got != tt.retry {
				t.Errorf("retry offered = %v, want %v", got, tt.retry)
			}
			html, _ := doc.Html()
			for _, leak := range []string{"shpat_", "503", "goroutine", ".go:"} {
				if tt.state != "loaded" && strings.Contains(html, leak) {
					t.Errorf("error section leaks %q", leak)
				}
			}
		})
	}
	revoked, err := env.App.DB.StoreByID(t.Context(), env.WS.ID, env.Stores[fakeshopify.SakuraDomain].ID)
	if err != nil {
		t.Fatal(err)
	}
	if revoked.Status != domain.StoreNeedsReconnect || !strings.Contains(revoked.LastError, "401") {
		t.Errorf("revoked store recorded as %q / %q", revoked.Status, revoked.LastError)
	}
}

func TestCacheHitMakesNoShopifyRequest(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	// Connecting the stores asked Shopify too; count from here.
	okSeries := `shopcard_shopify_requests_total{outcome="ok",store="acme-outfitters.myshopify.com"}`
	before := metricValue(t, env.Metrics(t), okSeries)
	for i := 0; i < 3; i++ {
		_, doc := env.Section(t, fakeshopify.AcmeDomain, fakeshopify.EmailShowcase)
		if st, _ := doc.Find(apptest.Sel("section-body")).Attr("data-state"); st != "loaded" {
			t.Fatalf("load %d: state %q", i, st)
		}
	}
	if n := env.Fake.Requests(fakeshopify.AcmeDomain); n != 1 {
		t.Errorf("3 loads made %d Shopify requests, want 1", n)
	}
	metrics := env.Metrics(t)
	for _, want := range []string{`shopcard_cache_requests_total{result="hit"} 2`, `shopcard_cache_requests_total{result="miss"} 1`} {
		if !strings.Contains(metrics, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if n := metricValue(t, metrics, okSeries) - before; n != 1 {
		t.Errorf("%s grew by %v over 3 loads, want 1", okSeries, n)
	}
}

func TestParallelLoadsMakeOneShopifyRequest(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	if err := env.Fake.SetFaults(fakeshopify.AcmeDomain, fakeshopify.Faults{Latency: 150 * time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	tok := env.Token(t, fakeshopify.EmailSixtyOrders)
	path := "/sidebar/stores/" + itoa(env.Stores[fakeshopify.AcmeDomain].ID)
	var wg sync.WaitGroup
	states := make(chan int, 20)
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, body := env.Get(t, path, tok)
			if resp.StatusCode == http.StatusOK && strings.Contains(body, `data-state="loaded"`) {
				states <- 1
			} else {
				states <- 0
			}
		}()
	}
	wg.Wait()
	close(states)
	ok := 0
	for s := range states {
		ok += s
	}
	if ok != 20 {
		t.Errorf("%d of 20 loads succeeded", ok)
	}
	if n := env.Fake.Requests(fakeshopify.AcmeDomain); n != 1 {
		t.Errorf("20 parallel loads made %d Shopify requests, want 1", n)
	}
}

func TestLogsHoldNoTokensOrEmails(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	tok := env.Token(t, fakeshopify.EmailShowcase)
	env.Get(t, "/sidebar?token="+tok, "")
	env.Section(t, fakeshopify.AcmeDomain, fakeshopify.EmailShowcase)
	env.Get(t, "/sidebar?token=garbage", "")
	logs := env.Logs.String()
	if !strings.Contains(logs, "route=/sidebar") {
		t.Fatalf("requests were not logged: %s", logs)
	}
	for _, secret := range []string{tok, fakeshopify.EmailShowcase, "garbage", fakeshopify.AcmeToken} {
		if strings.Contains(logs, secret) {
			t.Errorf("logs contain %q", secret)
		}
	}
}

func TestHealth(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	for _, path := range []string{"/healthz", "/readyz"} {
		if resp, _ := env.Get(t, path, ""); resp.StatusCode != http.StatusOK {
			t.Errorf("%s: %d", path, resp.StatusCode)
		}
	}
	env.App.DB.Close()
	if resp, _ := env.Get(t, "/readyz", ""); resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("readyz with the database closed: %d, want 503", resp.StatusCode)
	}
	if resp, _ := env.Get(t, "/healthz", ""); resp.StatusCode != http.StatusOK {
		t.Errorf("healthz depends on the database: %d", resp.StatusCode)
	}
}

// TestUnknownPathsAreNotFramed: only the sidebar may be framed by the
// inbox; a 404 elsewhere keeps the default frame-ancestors 'none'.
func TestUnknownPathsAreNotFramed(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	tests := []struct {
		path, ancestors string
	}{
		{"/no/such/page", "frame-ancestors 'none'"},
		{"/sidebarx", "frame-ancestors 'none'"},
		{"/sidebar/nope", "frame-ancestors https://inbox.example.com"},
	}
	for _, tt := range tests {
		resp, _ := env.Get(t, tt.path, "")
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d", tt.path, resp.StatusCode)
		}
		if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, tt.ancestors) {
			t.Errorf("%s: CSP %q, want %q", tt.path, csp, tt.ancestors)
		}
	}
}

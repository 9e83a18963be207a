package handlers_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"shopcard/fakeshopify"
	"shopcard/handlers"
	"shopcard/handlers/route"
	"shopcard/internal/apptest"
)

// TestHerdRendersOnce: a herd of requests for one contact's uncached
// section shares one Shopify call (the answer cache's) and then one
// rendering: the first presents, renders and compresses it, the others
// are sent its bytes. The Sidebar is the application's own parts (token
// verifier, read cache, lookup chain, section cache), served by Echo with
// the routes the section links to.
func TestHerdRendersOnce(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	store := env.Stores[fakeshopify.AcmeDomain]
	if err := env.Fake.SetFaults(fakeshopify.AcmeDomain, fakeshopify.Faults{Latency: 300 * time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	sb := &handlers.Sidebar{
		Tokens: env.App.Verifier, Workspaces: env.App.Reads, Stores: env.App.Reads, Lookup: env.App.Lookup,
		Sections: env.App.Sections, StoreTimeout: 20 * time.Second, Now: time.Now,
	}
	e := echo.New()
	e.GET("/sidebar/stores/:store", sb.Section).Name = route.SidebarStore
	e.GET("/sidebar/stores/:store/orders/:order", func(echo.Context) error { return nil }).Name = route.SidebarOrder
	srv := httptest.NewServer(e)
	defer srv.Close()
	tok := env.Token(t, fakeshopify.EmailSixtyOrders)
	before := env.Fake.Requests(fakeshopify.AcmeDomain)

	const herd = 64
	bodies := make([][]byte, herd)
	errs := make([]error, herd)
	var wg sync.WaitGroup
	for i := range herd {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest(http.MethodGet, srv.URL+apptest.SectionPath(store), nil)
			req.Header.Set(handlers.TokenHeader, tok)
			req.Header.Set("Accept-Encoding", "gzip")
			resp, err := (&http.Client{Transport: &http.Transport{DisableCompression: true}}).Do(req)
			if err != nil {
				errs[i] = err
				return
			}
			defer resp.Body.Close()
			bodies[i], errs[i] = io.ReadAll(resp.Body)
		}()
	}
	wg.Wait()
	for i := range herd {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if len(bodies[i]) == 0 || !bytes.Equal(bodies[i], bodies[0]) {
			t.Fatalf("request %d got %d bytes, unlike the first's %d", i, len(bodies[i]), len(bodies[0]))
		}
	}
	if n := env.Fake.Requests(fakeshopify.AcmeDomain) - before; n != 1 {
		t.Errorf("%d requests to Shopify, want 1", n)
	}
	if n := sb.SectionsRendered(); n != 1 {
		t.Errorf("the section was rendered %d times for %d requests, want once", n, herd)
	}
}

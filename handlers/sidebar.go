package handlers

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"sync"

	"github.com/labstack/echo/v4"

	"shopcard/domain"
	"shopcard/views"
)

// TokenHeader carries the embed token on fragment requests; htmx sends it
// from the page's hx-headers. It is never a cookie, so a third-party frame
// works in browsers that block third-party cookies.
const TokenHeader = "X-Shopcard-Token"

// sidebarPage serves GET /sidebar?token=…: the contact and one lazily
// loading section per connected store.
func sidebarPage(d Deps) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		token := c.QueryParam("token")
		claims, err := d.Tokens.Verify(ctx, token)
		if err != nil {
			return err
		}
		ws, err := d.Workspaces.WorkspaceByName(ctx, claims.Workspace)
		if err != nil {
			return err
		}
		stores, err := d.Stores.StoresByWorkspace(ctx, ws.ID)
		if err != nil {
			return err
		}
		headers, err := json.Marshal(map[string]string{TokenHeader: token})
		if err != nil {
			return err
		}
		page := views.SidebarPage{
			Assets:          assets(d),
			Theme:           themeOf(c),
			ContactName:     claims.Name,
			Emails:          claims.Contact(),
			FragmentHeaders: string(headers),
		}
		for _, s := range stores {
			page.Sections = append(page.Sections, loadingSection(c, s))
		}
		return render(c, http.StatusOK, views.SidebarPageView(page))
	}
}

// loadingSection is a store's section before its data arrives.
func loadingSection(c echo.Context, s domain.Store) views.StoreSection {
	return views.StoreSection{
		ID:          sectionID(s),
		Domain:      s.Domain,
		AdminURL:    storeAdminURL(s),
		State:       views.SectionLoading,
		FragmentURL: c.Echo().Reverse(RouteSidebarStore, s.ID),
	}
}

func sectionID(s domain.Store) string { return "store-" + strconv.FormatInt(s.ID, 10) }

// storeSection serves GET /sidebar/stores/:store, the fragment with one
// store's customer and orders. Shopify's failures become the section's own
// calm note (with status 200, since the request itself succeeded); only a
// bad token or an unknown store is an HTTP error.
func storeSection(d Deps) echo.HandlerFunc {
	return func(c echo.Context) error {
		// Sections compress themselves (the gzip middleware skips them),
		// so they say what varies, as the middleware does on every route.
		c.Response().Header().Add(echo.HeaderVary, echo.HeaderAcceptEncoding)
		ctx := c.Request().Context()
		claims, err := d.Tokens.Verify(ctx, c.Request().Header.Get(TokenHeader))
		if err != nil {
			return err
		}
		ws, err := d.Workspaces.WorkspaceByName(ctx, claims.Workspace)
		if err != nil {
			return err
		}
		storeID, err := strconv.ParseInt(c.Param("store"), 10, 64)
		if err != nil {
			return domain.Errorf(domain.KindNotFound, "This store is not connected to your workspace.")
		}
		store, err := d.Stores.StoreByID(ctx, ws.ID, storeID)
		if err != nil {
			if domain.KindOf(err) == domain.KindNotFound {
				return domain.Errorf(domain.KindNotFound, "This store is not connected to your workspace any more. Reopen the conversation.")
			}
			return err
		}
		lookupCtx, cancel := context.WithTimeout(ctx, d.StoreTimeout)
		defer cancel()
		// Each of the contact's emails is its own lookup (and cache entry),
		// all at once, all within the store's one deadline.
		emails := claims.Contact()
		results := make([]lookupResult, len(emails))
		if len(emails) == 1 {
			answer, err := d.Lookup.LookupCustomer(lookupCtx, store, emails[0])
			results[0] = lookupResult{email: emails[0], answer: answer, err: err}
		} else {
			var wg sync.WaitGroup
			for i, email := range emails {
				wg.Add(1)
				go func() {
					defer wg.Done()
					answer, err := d.Lookup.LookupCustomer(lookupCtx, store, email)
					results[i] = lookupResult{email: email, answer: answer, err: err}
				}()
			}
			wg.Wait()
		}
		now := d.Now()
		gzipOK := acceptsGzip(c)
		key := sectionKey(store, results)
		if kept, ok := d.Sections.get(key, results, now); ok {
			if b, gzipped, ok := kept.body(gzipOK); ok {
				return writeSection(c, b, gzipped)
			}
		}
		section := presentResults(loadingSection(c, store), store, results, now)
		html, err := renderBytes(ctx, views.StoreSectionBody(section))
		if err != nil {
			return err
		}
		if gzipOK && len(html) >= gzipMinLength {
			// A client that takes gzip gets, and the cache keeps, only
			// the compressed bytes: a twentieth of the HTML.
			gz := gzipBytes(html)
			d.Sections.put(key, results, now, sectionValidUntil(results, now), len(html), nil, gz)
			return writeSection(c, gz, true)
		}
		d.Sections.put(key, results, now, sectionValidUntil(results, now), len(html), html, nil)
		return writeSection(c, html, false)
	}
}

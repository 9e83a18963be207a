package handlers

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"shopcard/domain"
	"shopcard/shopify"
	"shopcard/views"
)

// commonCauses are the usual reasons a sidebar is empty, in plain words.
var commonCauses = []views.Cause{
	{Title: "The storefront domain was entered instead of the myshopify one", Text: "A store is reached at its permanent domain ending in .myshopify.com (Shopify Admin shows it under Settings → Domains), not at the shop's own web address such as shop.example.com. If a store is missing from the sidebar, connect it on the Stores page with its myshopify.com domain."},
	{Title: "The contact's email differs from the one in Shopify", Text: "The sidebar matches the contact's email exactly (ignoring case and spaces). A customer who writes in from a work address but ordered with a personal one won't match; search Shopify Admin for their name to find the address they used."},
	{Title: "Orders older than 60 days need read_all_orders", Text: "Without the read_all_orders scope, Shopify only returns orders from the last 60 days, so a customer whose orders are all older shows with none. Grant the scope to the app and reconnect the store."},
	{Title: "Archived orders aren't returned", Text: "Shopify's API leaves archived orders out of a customer's orders, so an order archived in Shopify Admin may be missing from the sidebar."},
	{Title: "Protected customer data isn't approved", Text: "If the app isn't approved for protected customer data, Shopify sends names, emails and phone numbers blank while the rest arrives, so customers show without a name. Request access in the app's settings in Shopify."},
}

// troubleshoot serves GET /admin/troubleshoot?email=….
func troubleshoot(d Deps) echo.HandlerFunc {
	return func(c echo.Context) error {
		return runTroubleshoot(d, c, c.QueryParam("email"), false)
	}
}

// troubleshootBypass serves POST /admin/troubleshoot: the same check, with
// each store asked again rather than read from the cache.
func troubleshootBypass(d Deps) echo.HandlerFunc {
	return func(c echo.Context) error {
		return runTroubleshoot(d, c, c.FormValue("email"), true)
	}
}

func runTroubleshoot(d Deps, c echo.Context, raw string, bypass bool) error {
	ch, err := chrome(d, c, "Troubleshoot", RouteAdminTroubleshoot)
	if err != nil {
		return err
	}
	page := views.TroubleshootPage{
		Chrome: ch, Action: c.Echo().Reverse(RouteAdminTroubleshoot), BypassAction: c.Echo().Reverse(RouteAdminTroubleshootNow),
		Email: strings.TrimSpace(raw), Bypassed: bypass, Causes: commonCauses,
	}
	if page.Email == "" {
		return render(c, http.StatusOK, views.TroubleshootPageView(page))
	}
	email, err := domain.NormalizeEmail(raw)
	if err != nil {
		page.Error = domain.MessageOf(err)
		return render(c, http.StatusBadRequest, views.TroubleshootPageView(page))
	}
	page.Email = email
	ctx := c.Request().Context()
	stores, err := d.Admin.Stores.StoresByWorkspace(ctx, current(c).workspace.ID)
	if err != nil {
		return err
	}
	page.NoStores = len(stores) == 0
	page.Results = make([]views.TroubleshootResult, len(stores))
	var wg sync.WaitGroup
	for i, s := range stores {
		wg.Add(1)
		go func() {
			defer wg.Done()
			page.Results[i] = checkStore(d, ctx, s, email, bypass)
		}()
	}
	wg.Wait()
	return render(c, http.StatusOK, views.TroubleshootPageView(page))
}

// checkStore looks the email up in one store the way the sidebar does, and
// explains the answer.
func checkStore(d Deps, ctx context.Context, s domain.Store, email string, bypass bool) views.TroubleshootResult {
	ctx, cancel := context.WithTimeout(ctx, d.StoreTimeout)
	defer cancel()
	start := time.Now()
	var res *domain.CustomerOrders
	var err error
	if bypass {
		res, err = d.Admin.Cache.LookupFresh(ctx, s, email)
	} else {
		res, err = d.Lookup.LookupCustomer(ctx, s, email)
	}
	took := time.Since(start)

	r := views.TroubleshootResult{
		ID: "result-" + strconv.FormatInt(s.ID, 10), Domain: s.Domain, ShopName: s.ShopName,
		Status: storeStatusBadge(s.Status), Took: formatTook(took), Cost: "—", Source: "—",
	}
	if r.ShopName == "" {
		r.ShopName = s.Domain
	}
	r.Scopes, _ = scopeChips(s.Scopes)
	if err != nil {
		r.Outcome = views.Badge{Label: "Failed", Tone: views.ToneBad}
		r.Error = domain.MessageOf(err)
		if r.Error == "" {
			r.Error = "Something went wrong on our side."
		}
		if domain.KindOf(err) == domain.KindShopifyAuth {
			r.Status = storeStatusBadge(domain.StoreNeedsReconnect)
			r.Hints = append(r.Hints, "Reconnect this store on the Stores page: replace its token, or connect it with Shopify again.")
		}
		return r
	}
	if res.Cost > 0 {
		r.Cost = plural(uint64(res.Cost), "point", "points")
	}
	if res.FetchedAt.Before(start) {
		r.Source = "The cache, " + ageWords(time.Since(res.FetchedAt)) + " old (the cost is that of the original query)"
	} else {
		r.Source = "Shopify, just now"
	}
	if res.Customer == nil {
		r.Outcome = views.Badge{Label: "No match", Tone: views.ToneWarn}
		r.Hints = append(r.Hints, "No customer in this store has exactly this email. Check the spelling, and whether the customer used another address here.")
	} else {
		r.Outcome = views.Badge{Label: "Matched", Tone: views.ToneGood}
		card := presentCustomer(s, res, d.Now())
		r.Customer = card.DisplayName
		shown, total := uint64(len(res.Orders)), res.Customer.NumberOfOrders
		r.Orders = plural(shown, "order", "orders") + " returned"
		if total != shown {
			r.Orders += fmt.Sprintf("; Shopify counts %s in all", plural(total, "order", "orders"))
		}
		if shown < total && shown < shopify.OrdersPerCustomer && !shopify.HasScope(s.Scopes, shopify.ScopeAllOrders) {
			r.Hints = append(r.Hints, "Some orders are older than 60 days and hidden: the app lacks read_all_orders.")
		}
		if shown < total && shown < shopify.OrdersPerCustomer && shopify.HasScope(s.Scopes, shopify.ScopeAllOrders) {
			r.Hints = append(r.Hints, "Some orders aren't returned: Shopify leaves archived orders out.")
		}
	}
	r.Withheld = withheldWords(res.Withheld)
	if len(r.Withheld) > 0 {
		r.Hints = append(r.Hints, "Shopify withheld protected customer data ("+strings.Join(r.Withheld, ", ")+"): the app isn't approved for it.")
	}
	for _, m := range shopify.MissingScopes(s.Scopes) {
		r.Hints = append(r.Hints, "The token lacks "+m+".")
	}
	return r
}

func formatTook(d time.Duration) string {
	if d < time.Millisecond {
		return "under 1 ms"
	}
	if d < time.Second {
		return strconv.FormatInt(d.Milliseconds(), 10) + " ms"
	}
	return strconv.FormatFloat(d.Seconds(), 'f', 1, 64) + " s"
}

// ageWords says how old a cached answer is.
func ageWords(d time.Duration) string {
	if d < time.Minute {
		return plural(uint64(d/time.Second), "second", "seconds")
	}
	return plural(uint64(d/time.Minute), "minute", "minutes")
}

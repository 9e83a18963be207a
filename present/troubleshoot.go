package present

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"shopcard/domain"
	"shopcard/shopify"
	"shopcard/views"
)

// CommonCauses are the usual reasons a sidebar is empty, in plain words.
var CommonCauses = []views.Cause{
	{Title: "The storefront domain was entered instead of the myshopify one", Text: "A store is reached at its permanent domain ending in .myshopify.com (Shopify Admin shows it under Settings → Domains), not at the shop's own web address such as shop.example.com. If a store is missing from the sidebar, connect it on the Stores page with its myshopify.com domain."},
	{Title: "The contact's email differs from the one in Shopify", Text: "The sidebar matches the contact's email exactly (ignoring case and spaces). A customer who writes in from a work address but ordered with a personal one won't match; search Shopify Admin for their name to find the address they used."},
	{Title: "Orders older than " + recentDays + " need " + shopify.ScopeAllOrders, Text: "Without the " + shopify.ScopeAllOrders + " scope, Shopify only returns orders from the last " + recentDays + ", so a customer whose orders are all older shows with none. Grant the scope to the app and reconnect the store."},
	{Title: "Archived orders aren't returned", Text: "Shopify's API leaves archived orders out of a customer's orders, so an order archived in Shopify Admin may be missing from the sidebar."},
	{Title: "Protected customer data isn't approved", Text: "If the app isn't approved for protected customer data, Shopify sends names, emails and phone numbers blank while the rest arrives, so customers show without a name. Request access in the app's settings in Shopify."},
}

// Lookup is one store's answer to the troubleshooter, as it came.
type Lookup struct {
	Store  domain.Store
	Answer *domain.CustomerOrders
	Err    error
	// Started and Took time the lookup; an answer fetched before Started
	// came from the cache.
	Started time.Time
	Took    time.Duration
}

// Troubleshoot explains one store's answer for an email: whether a
// customer matched, how many orders came back and why some may not have,
// where the answer came from, and what an admin can do.
func Troubleshoot(l Lookup, now time.Time) views.TroubleshootResult {
	s := l.Store
	r := views.TroubleshootResult{
		ID: "result-" + strconv.FormatInt(s.ID, 10), Domain: s.Domain, ShopName: s.ShopName,
		Status: StoreStatus(s.Status), Took: formatTook(l.Took), Cost: "—", Source: "—",
	}
	if r.ShopName == "" {
		r.ShopName = s.Domain
	}
	r.Scopes, _ = ScopeChips(s.Scopes, s.CacheTTL)
	if l.Err != nil {
		r.Outcome = views.Badge{Label: "Failed", Tone: views.ToneBad}
		r.Error = domain.MessageOf(l.Err)
		if r.Error == "" {
			r.Error = "Something went wrong on our side."
		}
		if domain.KindOf(l.Err) == domain.KindShopifyAuth {
			r.Status = StoreStatus(domain.StoreNeedsReconnect)
			r.Hints = append(r.Hints, "On the Stores page: "+ReconnectAdvice(s))
		}
		return r
	}
	res := l.Answer
	if res.Cost > 0 {
		r.Cost = Plural(uint64(res.Cost), "point", "points")
	}
	if res.FetchedAt.Before(l.Started) {
		r.Source = "The cache, " + ageWords(l.Started.Add(l.Took).Sub(res.FetchedAt)) + " old (the cost is that of the original query)"
	} else {
		r.Source = "Shopify, just now"
	}
	if res.Customer == nil {
		r.Outcome = views.Badge{Label: "No match", Tone: views.ToneWarn}
		r.Hints = append(r.Hints, "No customer in this store has exactly this email. Check the spelling, and whether the customer used another address here.")
	} else {
		r.Outcome = views.Badge{Label: "Matched", Tone: views.ToneGood}
		r.Customer = Customer(s, res, now).DisplayName
		shown, total := uint64(len(res.Orders)), res.Customer.NumberOfOrders
		r.Orders = Plural(shown, "order", "orders") + " returned"
		if total != shown {
			r.Orders += fmt.Sprintf("; Shopify counts %s in all", Plural(total, "order", "orders"))
		}
		if shown < total && shown < shopify.OrdersPerCustomer {
			if shopify.HasScope(s.Scopes, shopify.ScopeAllOrders) {
				r.Hints = append(r.Hints, "Some orders aren't returned: Shopify leaves archived orders out.")
			} else {
				r.Hints = append(r.Hints, olderOrdersHint)
			}
		}
	}
	r.Withheld = WithheldWords(res.Withheld)
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
		return Plural(uint64(d/time.Second), "second", "seconds")
	}
	return Plural(uint64(d/time.Minute), "minute", "minutes")
}

package handlers

import (
	"fmt"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"shopcard/domain"
	"shopcard/shopify"
	"shopcard/views"
)

// This file maps domain data to view models: the words, dates, links and
// badges a rep reads. Templates only render what it produces.

const adminBase = "https://admin.shopify.com/store/"

func storeAdminURL(s domain.Store) string { return adminBase + url.PathEscape(s.Handle()) }

func customerAdminURL(s domain.Store, id uint64) string {
	return storeAdminURL(s) + "/customers/" + strconv.FormatUint(id, 10)
}

func orderAdminURL(s domain.Store, id uint64) string {
	return storeAdminURL(s) + "/orders/" + strconv.FormatUint(id, 10)
}

// lookupResult is one of the contact's emails looked up in one store.
type lookupResult struct {
	email  string
	answer *domain.CustomerOrders
	err    error
}

// presentResult fills a section from one Shopify answer.
func presentResult(sec views.StoreSection, store domain.Store, r *domain.CustomerOrders, now time.Time) views.StoreSection {
	return presentResults(sec, store, []lookupResult{{answer: r}}, now)
}

// presentResults fills a section from the answers for each of the
// contact's emails: every matching customer once (saying which emails
// matched when there are several), the guest orders of the emails that
// matched nobody, a stale line when an answer is the last good one, and a
// note when some emails could not be checked. Only when no email got an
// answer does the section become a failure note.
func presentResults(sec views.StoreSection, store domain.Store, results []lookupResult, now time.Time) views.StoreSection {
	var answered []lookupResult
	var failed []error
	for _, r := range results {
		if r.err != nil {
			failed = append(failed, r.err)
		} else {
			answered = append(answered, r)
		}
	}
	if len(answered) == 0 {
		return presentFailure(sec, worstFailure(failed))
	}
	several := len(results) > 1

	// Customers, each once, with the emails that found them.
	type match struct {
		answer *domain.CustomerOrders
		emails []string
	}
	var matches []*match
	byID := map[string]*match{}
	var guests []domain.Order
	var guestEmails []string
	seenOrder := map[uint64]bool{}
	var oldest time.Time
	stale := false
	for _, r := range answered {
		a := r.answer
		if a.Stale {
			stale = true
			if oldest.IsZero() || a.FetchedAt.Before(oldest) {
				oldest = a.FetchedAt
			}
		}
		if a.Customer != nil {
			m := byID[a.Customer.ID]
			if m == nil {
				m = &match{answer: a}
				byID[a.Customer.ID] = m
				matches = append(matches, m)
			}
			m.emails = append(m.emails, r.email)
			continue
		}
		found := false
		for _, o := range a.GuestOrders {
			if !seenOrder[o.LegacyResourceID] {
				seenOrder[o.LegacyResourceID] = true
				guests = append(guests, o)
				found = true
			}
		}
		if found {
			guestEmails = append(guestEmails, r.email)
		}
	}
	if stale {
		sec.Stale = staleLine(oldest, now)
	}
	if len(failed) > 0 {
		sec.Notice = "Shopify didn't answer for some of this contact's emails, so this may be incomplete."
	}
	if len(matches) == 0 && len(guests) == 0 {
		if len(failed) > 0 {
			// Nobody found, but not every email was checked: no match
			// cannot be claimed.
			return presentFailure(sec, worstFailure(failed))
		}
		sec.State = views.SectionNoMatch
		sec.Notice = "No customer with this email in this store."
		if several {
			sec.Notice = "No customer with any of these emails in this store."
		}
		return sec
	}
	sec.State = views.SectionLoaded
	for _, m := range matches {
		card := presentCustomer(store, m.answer, now)
		if several {
			card.MatchedBy = "Matched by " + strings.Join(m.emails, ", ")
		}
		sec.Customers = append(sec.Customers, views.CustomerMatch{Card: card, Orders: presentOrders(store, m.answer, now)})
	}
	if len(guests) > 0 {
		slices.SortStableFunc(guests, func(a, b domain.Order) int { return b.CreatedAt.Compare(a.CreatedAt) })
		list := views.OrderList{Orders: make([]views.OrderRow, 0, len(guests))}
		for i := range guests {
			list.Orders = append(list.Orders, presentOrder(store, &guests[i], now))
		}
		if len(guests) >= shopify.GuestOrdersPerEmail {
			list.Note = "Only the newest " + strconv.Itoa(shopify.GuestOrdersPerEmail) + " guest orders per email are shown; search the orders in Shopify for more."
		}
		sec.Guests = &views.GuestOrders{PlacedWith: "Placed with " + strings.Join(guestEmails, ", "), Orders: list}
	}
	return sec
}

// worstFailure picks the error that says the most: one that needs an admin
// beats Shopify being slow, which beats anything else.
func worstFailure(errs []error) error {
	rank := func(err error) int {
		switch domain.KindOf(err) {
		case domain.KindShopifyAuth, domain.KindShopifyFrozen, domain.KindShopifyLocked,
			domain.KindShopifyForbidden, domain.KindShopifyGone:
			return 2
		case domain.KindShopifyTimeout:
			return 1
		}
		return 0
	}
	worst := errs[0]
	for _, err := range errs[1:] {
		if rank(err) > rank(worst) {
			worst = err
		}
	}
	return worst
}

// staleLine says how old the last good answer is, since Shopify did not
// answer just now.
func staleLine(fetched, now time.Time) string {
	d := now.Sub(fetched)
	var age string
	switch {
	case d < time.Hour:
		age = strconv.Itoa(max(1, int(d/time.Minute))) + " min"
	case d < 48*time.Hour:
		age = strconv.Itoa(int(d/time.Hour)) + " h"
	default:
		age = strconv.Itoa(int(d/(24*time.Hour))) + " days"
	}
	return "Updated " + age + " ago — Shopify didn't answer"
}

// presentFailure turns an error into the section's note. Reps get a short,
// calm sentence; the detail is for admins and logs.
func presentFailure(sec views.StoreSection, err error) views.StoreSection {
	sec.Stale = ""
	switch domain.KindOf(err) {
	case domain.KindShopifyAuth, domain.KindShopifyFrozen, domain.KindShopifyLocked,
		domain.KindShopifyForbidden, domain.KindShopifyGone:
		sec.State = views.SectionAttention
		sec.Notice = "This store's connection needs attention — ask an admin."
	case domain.KindShopifyTimeout:
		sec.State = views.SectionTimeout
		sec.Notice = "Shopify is taking longer than usual for this store."
	case domain.KindShopifyThrottled:
		sec.State = views.SectionError
		sec.Notice = "Shopify is busy for this store right now."
	case domain.KindShopifyUnavailable:
		sec.State = views.SectionError
		sec.Notice = "Shopify didn't answer for this store just now."
	default:
		sec.State = views.SectionError
		sec.Notice = "Something went wrong loading this store."
	}
	return sec
}

func presentCustomer(store domain.Store, r *domain.CustomerOrders, now time.Time) views.CustomerCard {
	c := r.Customer
	name := strings.TrimSpace(c.DisplayName)
	if name == "" {
		name = strings.TrimSpace(c.FirstName + " " + c.LastName)
	}
	if name == "" {
		name = c.Email
	}
	if name == "" {
		name = "Unnamed customer"
	}
	card := views.CustomerCard{
		DisplayName: name,
		Email:       c.Email,
		Phone:       c.Phone,
		Orders:      plural(c.NumberOfOrders, "order", "orders"),
		AmountSpent: formatMoney(c.AmountSpent),
		Since:       when(c.CreatedAt, now),
		AdminURL:    customerAdminURL(store, c.LegacyResourceID),
		Tags:        c.Tags,
	}
	for _, w := range withheldWords(r.Withheld) {
		card.Withheld = append(card.Withheld, w)
	}
	return card
}

// withheldWords names protected fields the way a rep would.
func withheldWords(fields []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, f := range fields {
		w := f
		switch f {
		case "firstName", "lastName", "displayName":
			w = "name"
		case "defaultEmailAddress", "emailAddress":
			w = "email"
		case "defaultPhoneNumber", "phoneNumber":
			w = "phone"
		case "defaultAddress":
			w = "address"
		}
		if !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}

func presentOrders(store domain.Store, r *domain.CustomerOrders, now time.Time) views.OrderList {
	list := views.OrderList{Orders: make([]views.OrderRow, 0, len(r.Orders))}
	for i := range r.Orders {
		list.Orders = append(list.Orders, presentOrder(store, &r.Orders[i], now))
	}
	total := r.Customer.NumberOfOrders
	shown := uint64(len(r.Orders))
	if total > shown {
		list.MoreURL = customerAdminURL(store, r.Customer.LegacyResourceID)
		list.Hidden = "All " + plural(total, "order", "orders")
		if shown < shopify.OrdersPerCustomer && !shopify.HasScope(store.Scopes, shopify.ScopeAllOrders) {
			list.Note = "Orders older than 60 days aren't shown: the app doesn't have the read_all_orders permission."
		}
	}
	return list
}

func presentOrder(store domain.Store, o *domain.Order, now time.Time) views.OrderRow {
	row := views.OrderRow{
		ID:          "order-" + strconv.FormatUint(o.LegacyResourceID, 10),
		Name:        o.Name,
		AdminURL:    orderAdminURL(store, o.LegacyResourceID),
		Created:     when(o.CreatedAt, now),
		Fulfillment: fulfillmentBadge(o.FulfillmentStatus),
		Financial:   financialBadge(o.FinancialStatus),
		Total:       formatMoney(o.Total),
	}
	if o.CancelledAt != nil {
		row.Cancelled = "Cancelled " + when(*o.CancelledAt, now).Relative
		if reason := cancelReasonWords(o.CancelReason); reason != "" {
			row.Cancelled += ": " + reason
		}
		row.Cancelled += "."
	}
	listed := 0
	for _, li := range o.LineItems {
		row.Items = append(row.Items, views.ItemRow{Title: li.Title, Variant: li.VariantTitle, Quantity: li.Quantity})
		listed += li.Quantity
	}
	if more := o.ItemCount - listed; more > 0 {
		row.MoreItems = "+ " + plural(uint64(more), "more item", "more items") + " — see the order in Shopify"
	}
	for _, f := range o.Fulfillments {
		s := views.Shipment{Status: shipmentBadge(f), Created: when(f.CreatedAt, now)}
		for _, t := range f.Tracking {
			if t.Number == "" && t.URL == "" && t.Company == "" {
				continue
			}
			number := t.Number
			if number == "" {
				number = "Track shipment"
			}
			s.Tracking = append(s.Tracking, views.TrackingRow{Company: t.Company, Number: number, URL: safeLink(t.URL)})
		}
		row.Shipments = append(row.Shipments, s)
	}
	return row
}

// safeLink returns u when it is an absolute http(s) URL, and "" otherwise:
// a tracking URL comes from Shopify, which takes it from anyone.
func safeLink(u string) string {
	parsed, err := url.Parse(strings.TrimSpace(u))
	if err != nil || parsed.Host == "" {
		return ""
	}
	switch strings.ToLower(parsed.Scheme) {
	case "http", "https":
		return parsed.String()
	}
	return ""
}

var fulfillmentWords = map[string]views.Badge{
	"FULFILLED":           {Label: "Fulfilled", Tone: views.ToneGood},
	"UNFULFILLED":         {Label: "Unfulfilled", Tone: views.ToneWarn},
	"PARTIALLY_FULFILLED": {Label: "Partially fulfilled", Tone: views.ToneWarn},
	"ON_HOLD":             {Label: "On hold", Tone: views.ToneWarn},
	"SCHEDULED":           {Label: "Scheduled", Tone: views.ToneInfo},
	"IN_PROGRESS":         {Label: "In progress", Tone: views.ToneInfo},
	"OPEN":                {Label: "Open", Tone: views.ToneInfo},
	"PENDING_FULFILLMENT": {Label: "Pending fulfillment", Tone: views.ToneInfo},
	"RESTOCKED":           {Label: "Restocked", Tone: views.ToneNeutral},
	"REQUEST_DECLINED":    {Label: "Request declined", Tone: views.ToneBad},
}

func fulfillmentBadge(status string) views.Badge {
	if b, ok := fulfillmentWords[status]; ok {
		return b
	}
	return views.Badge{Label: humanize(status), Tone: views.ToneNeutral}
}

var financialWords = map[string]views.Badge{
	"PAID":               {Label: "Paid", Tone: views.ToneGood},
	"PENDING":            {Label: "Payment pending", Tone: views.ToneWarn},
	"AUTHORIZED":         {Label: "Authorized", Tone: views.ToneInfo},
	"PARTIALLY_PAID":     {Label: "Partially paid", Tone: views.ToneWarn},
	"PARTIALLY_REFUNDED": {Label: "Partially refunded", Tone: views.ToneNeutral},
	"REFUNDED":           {Label: "Refunded", Tone: views.ToneNeutral},
	"VOIDED":             {Label: "Voided", Tone: views.ToneNeutral},
	"EXPIRED":            {Label: "Payment expired", Tone: views.ToneBad},
}

// financialBadge is empty when Shopify sent no financial status.
func financialBadge(status string) views.Badge {
	if status == "" {
		return views.Badge{}
	}
	if b, ok := financialWords[status]; ok {
		return b
	}
	return views.Badge{Label: humanize(status), Tone: views.ToneNeutral}
}

var shipmentWords = map[string]views.Badge{
	"DELIVERED":           {Label: "Delivered", Tone: views.ToneGood},
	"PICKED_UP":           {Label: "Picked up", Tone: views.ToneGood},
	"IN_TRANSIT":          {Label: "In transit", Tone: views.ToneInfo},
	"OUT_FOR_DELIVERY":    {Label: "Out for delivery", Tone: views.ToneInfo},
	"CARRIER_PICKED_UP":   {Label: "Picked up by carrier", Tone: views.ToneInfo},
	"CONFIRMED":           {Label: "Confirmed", Tone: views.ToneInfo},
	"LABEL_PRINTED":       {Label: "Label printed", Tone: views.ToneInfo},
	"LABEL_PURCHASED":     {Label: "Label purchased", Tone: views.ToneInfo},
	"READY_FOR_PICKUP":    {Label: "Ready for pickup", Tone: views.ToneInfo},
	"SUBMITTED":           {Label: "Submitted", Tone: views.ToneInfo},
	"FULFILLED":           {Label: "Shipped", Tone: views.ToneInfo},
	"MARKED_AS_FULFILLED": {Label: "Marked as fulfilled", Tone: views.ToneNeutral},
	"ATTEMPTED_DELIVERY":  {Label: "Delivery attempted", Tone: views.ToneWarn},
	"DELAYED":             {Label: "Delayed", Tone: views.ToneWarn},
	"NOT_DELIVERED":       {Label: "Not delivered", Tone: views.ToneBad},
	"FAILURE":             {Label: "Delivery failed", Tone: views.ToneBad},
	"CANCELED":            {Label: "Cancelled", Tone: views.ToneBad},
	"LABEL_VOIDED":        {Label: "Label voided", Tone: views.ToneNeutral},
}

// shipmentBadge prefers the carrier's display status and falls back to the
// fulfillment's own status.
func shipmentBadge(f domain.Fulfillment) views.Badge {
	if b, ok := shipmentWords[f.DisplayStatus]; ok {
		return b
	}
	if f.DisplayStatus != "" {
		return views.Badge{Label: humanize(f.DisplayStatus), Tone: views.ToneNeutral}
	}
	switch f.Status {
	case "SUCCESS":
		return views.Badge{Label: "Shipped", Tone: views.ToneInfo}
	case "CANCELLED":
		return views.Badge{Label: "Cancelled", Tone: views.ToneBad}
	case "ERROR", "FAILURE":
		return views.Badge{Label: "Failed", Tone: views.ToneBad}
	}
	return views.Badge{Label: humanize(f.Status), Tone: views.ToneNeutral}
}

func cancelReasonWords(reason string) string {
	switch reason {
	case "CUSTOMER":
		return "the customer changed their mind"
	case "DECLINED":
		return "payment declined"
	case "FRAUD":
		return "suspected fraud"
	case "INVENTORY":
		return "items unavailable"
	case "STAFF":
		return "staff error"
	case "OTHER", "":
		return ""
	}
	return strings.ToLower(humanize(reason))
}

// humanize turns an enum value Shopify added after us ("SOME_NEW_STATE")
// into words ("Some new state") rather than failing.
func humanize(enum string) string {
	if enum == "" {
		return ""
	}
	s := strings.ToLower(strings.ReplaceAll(enum, "_", " "))
	return strings.ToUpper(s[:1]) + s[1:]
}

// when shows t relative to now, with the exact time for hover.
func when(t time.Time, now time.Time) views.When {
	t = t.UTC()
	return views.When{Relative: relative(t, now), Absolute: t.Format("2 Jan 2006, 15:04 UTC"), ISO: t.Format(time.RFC3339)}
}

func relative(t, now time.Time) string {
	d := now.Sub(t)
	if d < 0 {
		return "just now"
	}
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return plural(uint64(d/time.Minute), "minute ago", "minutes ago")
	case d < 24*time.Hour:
		return plural(uint64(d/time.Hour), "hour ago", "hours ago")
	case d < 48*time.Hour:
		return "yesterday"
	case d < 30*24*time.Hour:
		return plural(uint64(d/(24*time.Hour)), "day ago", "days ago")
	case d < 365*24*time.Hour:
		return plural(uint64(d/(30*24*time.Hour)), "month ago", "months ago")
	}
	return plural(uint64(d/(365*24*time.Hour)), "year ago", "years ago")
}

// plural writes "1 order" or "1,204 orders".
func plural(n uint64, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return groupThousands(strconv.FormatUint(n, 10)) + " " + many
}

func groupThousands(digits string) string {
	if len(digits) <= 3 {
		return digits
	}
	var b strings.Builder
	lead := len(digits) % 3
	if lead > 0 {
		b.WriteString(digits[:lead])
	}
	for i := lead; i < len(digits); i += 3 {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(digits[i : i+3])
	}
	return b.String()
}

// zeroDecimalCurrencies are shown without cents.
var zeroDecimalCurrencies = map[string]bool{"JPY": true, "KRW": true, "VND": true, "CLP": true, "ISK": true, "UGX": true, "XAF": true, "XOF": true, "XPF": true}

// formatMoney writes Shopify's decimal string as "1,234.50 CAD".
func formatMoney(m domain.Money) string {
	if m.Amount == "" {
		return ""
	}
	f, err := strconv.ParseFloat(m.Amount, 64)
	if err != nil {
		return m.Amount + " " + m.Currency
	}
	decimals := 2
	if zeroDecimalCurrencies[m.Currency] {
		decimals = 0
	}
	s := strconv.FormatFloat(f, 'f', decimals, 64)
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	whole, frac, _ := strings.Cut(s, ".")
	out := sign + groupThousands(whole)
	if frac != "" {
		out += "." + frac
	}
	return strings.TrimSpace(fmt.Sprintf("%s %s", out, m.Currency))
}

// sectionInputs is everything of a store that a store section shows or
// depends on: its ID (the section's id and fragment URL), its domain (its
// name and Shopify Admin links) and its scopes (the note about orders
// older than 60 days). presentResults and loadingSection read nothing
// else of it; TestSectionInputsCoverTheStore holds them to that, since
// SectionCache reuses a rendered section while these stay the same.
func sectionInputs(s domain.Store) string {
	return strconv.FormatInt(s.ID, 10) + "\x00" + s.Domain + "\x00" + strings.Join(s.Scopes, ",")
}

// sectionValidUntil is the first moment after now at which presenting
// results would give a different section: when one of the relative times
// it shows ("3 minutes ago", "Updated 2 h ago") moves on. It looks at
// every time in the answers, shown or not, so it may come early, never
// late; TestSectionValidUntil holds it to that.
func sectionValidUntil(results []lookupResult, now time.Time) time.Time {
	until := now.Add(24 * time.Hour)
	see := func(next time.Time) {
		if next.Before(until) {
			until = next
		}
	}
	orders := func(orders []domain.Order) {
		for i := range orders {
			o := &orders[i]
			see(relativeChanges(o.CreatedAt, now))
			if o.CancelledAt != nil {
				see(relativeChanges(*o.CancelledAt, now))
			}
			for _, f := range o.Fulfillments {
				see(relativeChanges(f.CreatedAt, now))
			}
		}
	}
	for _, r := range results {
		a := r.answer
		if a == nil {
			continue
		}
		if a.Customer != nil {
			see(relativeChanges(a.Customer.CreatedAt, now))
		}
		orders(a.Orders)
		orders(a.GuestOrders)
		if a.Stale {
			see(staleLineChanges(a.FetchedAt, now))
		}
	}
	return until
}

// relativeChanges is the first moment after now at which relative(t, ·)
// reads differently, following relative's steps.
func relativeChanges(t, now time.Time) time.Time {
	const (
		day   = 24 * time.Hour
		month = 30 * day
		year  = 365 * day
	)
	d := now.Sub(t)
	if d >= math.MaxInt64/2 {
		// A zero or absurd time saturates the duration; re-check soon
		// rather than compute with it.
		return now.Add(time.Minute)
	}
	next := func(unit time.Duration) time.Time { return t.Add((d/unit + 1) * unit) }
	switch {
	case d < time.Minute:
		return t.Add(time.Minute)
	case d < time.Hour:
		return next(time.Minute)
	case d < day:
		return next(time.Hour)
	case d < 2*day:
		return t.Add(2 * day)
	case d < month:
		return next(day)
	case d < year:
		return t.Add(min((d/month+1)*month, year))
	}
	return next(year)
}

// staleLineChanges is the first moment after now at which
// staleLine(fetched, ·) reads differently, following staleLine's steps.
func staleLineChanges(fetched, now time.Time) time.Time {
	d := now.Sub(fetched)
	if d >= math.MaxInt64/2 {
		return now.Add(time.Minute)
	}
	next := func(unit time.Duration) time.Time { return fetched.Add((d/unit + 1) * unit) }
	switch {
	case d < 2*time.Minute:
		return fetched.Add(2 * time.Minute)
	case d < time.Hour:
		return next(time.Minute)
	case d < 48*time.Hour:
		return next(time.Hour)
	}
	return next(24 * time.Hour)
}

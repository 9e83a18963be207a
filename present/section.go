package present

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"shopcard/domain"
	"shopcard/shopify"
	"shopcard/views"
)

// Result is one of the contact's emails looked up in one store: its
// answer, or the error that took its place.
type Result struct {
	Email  string
	Answer *domain.CustomerOrders
	Err    error
}

// Section fills a section from the answers for each of the
// contact's emails: every matching customer once (saying which emails
// matched when there are several), the guest orders of the emails that
// matched nobody, a stale line when an answer is the last good one, and a
// note when some emails could not be checked. Only when no email got an
// answer does the section become a failure note.
//
// orderURL gives each order row the URL its detail loads from; nil leaves
// rows without one.
func Section(sec views.StoreSection, store domain.Store, results []Result, orderURL OrderURLs, now time.Time) views.StoreSection {
	var answered []Result
	var failed []error
	for _, r := range results {
		if r.Err != nil {
			failed = append(failed, r.Err)
		} else {
			answered = append(answered, r)
		}
	}
	if len(answered) == 0 {
		return Failure(sec, worstFailure(failed))
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
	withheldGuests := 0
	seenOrder := map[uint64]bool{}
	var oldest time.Time
	stale := false
	for _, r := range answered {
		a := r.Answer
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
			m.emails = append(m.emails, r.Email)
			continue
		}
		withheldGuests += a.GuestsWithheld
		found := false
		for _, o := range a.GuestOrders {
			if !seenOrder[o.LegacyResourceID] {
				seenOrder[o.LegacyResourceID] = true
				guests = append(guests, o)
				found = true
			}
		}
		if found {
			guestEmails = append(guestEmails, r.Email)
		}
	}
	if stale {
		sec.Stale = staleLine(oldest, now)
	}
	if len(failed) > 0 {
		sec.Notice = "Shopify didn't answer for some of this contact's emails, so this may be incomplete."
	}
	if len(matches) == 0 && len(guests) == 0 {
		switch {
		case len(failed) > 0:
			// Nobody found, but not every email was checked: no match
			// cannot be claimed.
			return Failure(sec, worstFailure(failed))
		case withheldGuests > 0:
			// Orders exist that may be this contact's; saying "no
			// customer" would mislead.
			sec.State, sec.Variant = views.SectionWithheld, "withheld-guests"
			sec.Notice = Plural(uint64(withheldGuests), "guest order matches", "guest orders match") +
				" this email, but Shopify withheld " + pluralWord(withheldGuests, "its email", "their emails") +
				", so shopcard can't confirm whose they are — an admin can request access to protected customer data for the app."
			sec.NoticeLink, sec.NoticeLinkText = ordersSearchURL(store, results[0].Email), "Search the orders in Shopify"
			return sec
		}
		sec.State, sec.Variant = views.SectionNoMatch, "no-match"
		sec.Notice = "No customer or order with this email in this store."
		if several {
			sec.Notice = "No customer or order with any of these emails in this store."
		}
		return sec
	}
	sec.State, sec.Variant = views.SectionLoaded, "loaded"
	switch {
	case stale:
		sec.Variant = "loaded-stale"
	case len(failed) > 0:
		sec.Variant = "loaded-partial"
	}
	for _, m := range matches {
		card := Customer(store, m.answer, now)
		if several {
			card.MatchedBy = "Matched by " + strings.Join(m.emails, ", ")
		}
		sec.Customers = append(sec.Customers, views.CustomerMatch{Card: card, Orders: refold(Orders(store, m.answer, orderURL, now), sec.Fold)})
	}
	if len(guests) > 0 {
		slices.SortStableFunc(guests, func(a, b domain.Order) int { return b.CreatedAt.Compare(a.CreatedAt) })
		rows := make([]views.OrderRow, 0, len(guests))
		for i := range guests {
			rows = append(rows, orderRow(store, &guests[i], orderURL, now))
		}
		list := refold(fold(rows), sec.Fold)
		var notes []string
		if len(guests) >= shopify.GuestOrdersPerEmail {
			notes = append(notes, "Showing the newest "+strconv.Itoa(shopify.GuestOrdersPerEmail)+" guest orders per email.")
			list.MoreURL = ordersSearchURL(store, guestEmails[0])
		}
		if withheldGuests > 0 {
			notes = append(notes, "Shopify withheld the email on "+Plural(uint64(withheldGuests), "more guest order", "more guest orders")+
				", so shopcard can't confirm whose "+pluralWord(withheldGuests, "it is", "they are")+" — an admin can request access to protected customer data.")
		}
		list.Summary = strings.Join(notes, " ")
		sec.Guests = &views.GuestOrders{PlacedWith: "Placed with " + strings.Join(guestEmails, ", "), Orders: list}
	}
	return sec
}

// pluralWord picks the word for n things.
func pluralWord(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// worstFailure picks the error that says the most: one that needs an admin
// beats Shopify being slow, which beats anything else.
func worstFailure(errs []error) error {
	rank := func(err error) int {
		switch kind := domain.KindOf(err); {
		case kind.NeedsAdmin():
			return 2
		case kind == domain.KindShopifyTimeout:
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

// Failure turns an error into the section's note. Reps get a short,
// calm sentence; the detail is for admins and logs.
func Failure(sec views.StoreSection, err error) views.StoreSection {
	sec.Stale = ""
	switch kind := domain.KindOf(err); {
	case kind.NeedsAdmin():
		sec.State, sec.Variant = views.SectionAttention, "attention"
		sec.Notice = "This store's connection needs attention — ask an admin."
	case kind == domain.KindShopifyTimeout:
		sec.State, sec.Variant = views.SectionTimeout, "timeout"
		sec.Notice = "Shopify is taking longer than usual for this store. Try again in a moment."
	case kind == domain.KindShopifyThrottled:
		sec.State, sec.Variant = views.SectionError, "error-throttled"
		sec.Notice = "Shopify is busy for this store right now. Try again in a moment."
	case kind == domain.KindShopifyUnavailable:
		sec.State, sec.Variant = views.SectionError, "error-unavailable"
		sec.Notice = "Shopify didn't answer for this store just now. Try again in a moment."
	default:
		sec.State, sec.Variant = views.SectionError, "error-internal"
		sec.Notice = "Something went wrong loading this store. Try again; if it keeps happening, tell an admin."
	}
	return sec
}

// SectionVariants names every state a store section can show, as its
// data-variant: the gallery must show each one (a test holds it to that).
var SectionVariants = []string{
	"loading", "loaded", "loaded-stale", "loaded-partial", "no-match", "withheld-guests",
	"error-unavailable", "error-throttled", "error-internal", "timeout", "attention",
}

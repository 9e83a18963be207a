package present

import (
	"math"
	"strconv"
	"time"

	"shopcard/domain"
)

// Inputs is everything of a store that a store section shows or
// depends on: its ID (the section's id and fragment URL), its domain (its
// Shopify Admin links), its shop name (its title) and its scopes (the
// sentence about orders older than 60 days). Section and LoadingSection
// read nothing else of it; TestSectionInputsCoverTheStore holds them to that, since
// SectionCache reuses a rendered section while these stay the same.
func Inputs(s domain.Store) string { return string(AppendInputs(nil, s)) }

// AppendInputs appends Inputs(s) to dst: a cache key is built in one
// buffer.
func AppendInputs(dst []byte, s domain.Store) []byte {
	dst = strconv.AppendInt(dst, s.ID, 10)
	dst = append(dst, 0)
	dst = append(dst, s.Domain...)
	dst = append(dst, 0)
	dst = append(dst, s.ShopName...)
	dst = append(dst, 0)
	for i, scope := range s.Scopes {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, scope...)
	}
	return dst
}

// ValidUntil is the first moment after now at which presenting
// results would give a different section: when one of the relative times
// it shows ("3 minutes ago", "Delivered 2 days ago", "Updated 2 h ago")
// moves on, an expected delivery passes ("arrives Thu 4 Dec" becomes "was
// due"), or the year turns (dates in another year show theirs). It looks at
// every time in the answers, shown or not, so it may come early, never
// late; TestSectionValidUntil holds it to that.
func ValidUntil(results []Result, now time.Time) time.Time {
	until := now.Add(24 * time.Hour)
	y := now.UTC().Year()
	until = minTime(until, time.Date(y+1, 1, 1, 0, 0, 0, 0, time.UTC))
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
			// A collapsed row speaks of its newest shipment only; an
			// opened order is loaded afresh.
			if f := newestShipment(o.Fulfillments); f != nil {
				see(deliveryWordsChange(*f, now))
			}
		}
	}
	for _, r := range results {
		a := r.Answer
		if a == nil {
			continue
		}
		orders(a.Orders)
		orders(a.GuestOrders)
		if a.Stale {
			see(staleLineChanges(a.FetchedAt, now))
		}
	}
	return until
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
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

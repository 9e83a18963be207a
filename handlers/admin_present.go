package handlers

import (
	"fmt"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"shopcard/domain"
	"shopcard/shopify"
	"shopcard/views"
)

// This file maps store connections to what the admin console shows.

// presentStoreRow shapes one store for the stores page.
func presentStoreRow(c echo.Context, s domain.Store, now time.Time) views.StoreRow {
	row := views.StoreRow{
		ID:            "store-" + strconv.FormatInt(s.ID, 10),
		Domain:        s.Domain,
		ShopName:      s.ShopName,
		AdminURL:      storeAdminURL(s),
		TokenKind:     tokenKindWords(s, now),
		Status:        storeStatusBadge(s.Status),
		LastError:     s.LastError,
		TestAction:    c.Echo().Reverse(RouteAdminStoreTest, s.ID),
		ReplaceAction: c.Echo().Reverse(RouteAdminStoreToken, s.ID),
		DisconnectURL: c.Echo().Reverse(RouteAdminStoreDisconnect, s.ID),
	}
	if row.ShopName == "" {
		row.ShopName = s.Domain
	}
	if !s.LastOKAt.IsZero() {
		row.LastOK = when(s.LastOKAt, now)
	}
	row.Scopes, row.ScopeNotes = scopeChips(s.Scopes)
	return row
}

// scopeChips lists the granted scopes and calls out those missing, with
// what each absence means.
func scopeChips(granted []string) ([]views.ScopeChip, []string) {
	var chips []views.ScopeChip
	var notes []string
	for _, g := range granted {
		chips = append(chips, views.ScopeChip{Name: g, Tone: views.ToneGood})
	}
	for _, m := range shopify.MissingScopes(granted) {
		chips = append(chips, views.ScopeChip{Name: m, Tone: views.ToneBad, Note: "missing"})
		switch m {
		case "read_customers":
			notes = append(notes, "Missing read_customers: shopcard can't look customers up, so this store shows nothing. Grant it to the app and reconnect.")
		case "read_orders":
			notes = append(notes, "Missing read_orders: customers show without their orders. Grant it to the app and reconnect.")
		}
	}
	if !shopify.HasScope(granted, shopify.ScopeAllOrders) {
		chips = append(chips, views.ScopeChip{Name: shopify.ScopeAllOrders, Tone: views.ToneWarn, Note: "not granted"})
		notes = append(notes, "Without read_all_orders, only orders from the last 60 days are visible.")
	}
	return chips, notes
}

// tokenKindWords says what kind of token a store holds and, for OAuth,
// when it runs out.
func tokenKindWords(s domain.Store, now time.Time) string {
	if s.TokenKind != domain.TokenOAuth {
		return "Custom app token (doesn't expire)"
	}
	if s.AccessTokenExpiresAt.IsZero() {
		return "OAuth, non-expiring token"
	}
	left := s.AccessTokenExpiresAt.Sub(now)
	if left <= 0 {
		return "OAuth, expiring token: renewed at the next request"
	}
	return fmt.Sprintf("OAuth, expiring token: renewed automatically (this one lasts %s more)", duration(left))
}

// duration says a span in the largest sensible unit, rounded to the
// nearest minute.
func duration(d time.Duration) string {
	d = d.Round(time.Minute)
	switch {
	case d < time.Minute:
		return "under a minute"
	case d < time.Hour:
		return plural(uint64(d/time.Minute), "minute", "minutes")
	case d < 48*time.Hour:
		return plural(uint64(d/time.Hour), "hour", "hours")
	}
	return plural(uint64(d/(24*time.Hour)), "day", "days")
}

var storeStatusWords = map[domain.StoreStatus]views.Badge{
	domain.StoreHealthy:        {Label: "Healthy", Tone: views.ToneGood},
	domain.StoreNeedsReconnect: {Label: "Needs reconnect", Tone: views.ToneBad},
	domain.StoreFrozen:         {Label: "Shop frozen", Tone: views.ToneBad},
	domain.StoreLocked:         {Label: "Shop locked", Tone: views.ToneBad},
	domain.StoreDisconnected:   {Label: "App uninstalled", Tone: views.ToneBad},
}

// storeStatusBadge names a store's status in words.
func storeStatusBadge(s domain.StoreStatus) views.Badge {
	if b, ok := storeStatusWords[s]; ok {
		return b
	}
	return views.Badge{Label: humanize(string(s)), Tone: views.ToneNeutral}
}

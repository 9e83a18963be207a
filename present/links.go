package present

import (
	"net/url"
	"strconv"
	"strings"

	"shopcard/domain"
	"shopcard/views"
)

const adminBase = "https://admin.shopify.com/store/"

// StoreAdminURL is the store's home in Shopify Admin.
func StoreAdminURL(s domain.Store) string { return adminBase + url.PathEscape(s.Handle()) }

func customerAdminURL(s domain.Store, id uint64) string {
	return StoreAdminURL(s) + "/customers/" + strconv.FormatUint(id, 10)
}

func orderAdminURL(s domain.Store, id uint64) string {
	return StoreAdminURL(s) + "/orders/" + strconv.FormatUint(id, 10)
}

// ordersSearchURL is the store's orders in Shopify Admin, searched for an
// email: where a rep sees what shopcard cannot confirm.
func ordersSearchURL(s domain.Store, email string) string {
	return StoreAdminURL(s) + "/orders?" + url.Values{"query": {email}}.Encode()
}

// StoreName is what a store is called in the sidebar: its shop name, or
// its domain when it has none.
func StoreName(s domain.Store) string {
	if n := strings.TrimSpace(s.ShopName); n != "" {
		return n
	}
	return s.Domain
}

// SectionID is a store section's DOM id, stable per store.
func SectionID(s domain.Store) string { return "store-" + strconv.FormatInt(s.ID, 10) }

// LoadingSection is a store's section before its data arrives; it loads
// itself from fragmentURL. Its skeleton stands for a typical section: a
// customer and a few orders.
func LoadingSection(s domain.Store, fragmentURL string) views.StoreSection {
	return views.StoreSection{
		ID:          SectionID(s),
		Name:        StoreName(s),
		Domain:      s.Domain,
		AdminURL:    StoreAdminURL(s),
		State:       views.SectionLoading,
		Variant:     "loading",
		FragmentURL: fragmentURL,
		Skeleton:    DefaultSkeleton,
	}
}

// DefaultSkeleton is what a section's skeleton stands for when no answer
// for the contact is cached: a customer with a few orders and a line
// under them, the commonest section. A section that replaces it shows
// that many orders at first (ColdSection), so it never grows past it.
var DefaultSkeleton = views.Skeleton{Cards: 1, Rows: 3, Note: true}

// ColdSection marks a section that replaces DefaultSkeleton: it folds its
// lists at the skeleton's rows and reserves the skeleton's height until
// the rep's first interaction, so that it moves nothing below it while
// the sidebar loads (cumulative layout shift).
func ColdSection(sec views.StoreSection) views.StoreSection {
	reserve := DefaultSkeleton
	sec.Fold, sec.Reserve = DefaultSkeleton.Rows, &reserve
	return sec
}

// SkeletonFor sizes a section's skeleton from the last answers for the
// contact's emails, so that the section does not move when the fresh
// answer (usually the same) arrives: a card per customer, a row per order
// shown before "Show more", and the line under them.
func SkeletonFor(results []Result) views.Skeleton {
	var sk views.Skeleton
	guests := 0
	seen := map[string]bool{}
	for _, r := range results {
		a := r.Answer
		if a == nil {
			return DefaultSkeleton
		}
		if c := a.Customer; c != nil {
			if seen[c.ID] {
				continue
			}
			seen[c.ID] = true
			sk.Cards++
			sk.Rows += min(len(a.Orders), OrdersShownFirst)
			sk.Note = sk.Note || c.NumberOfOrders > uint64(len(a.Orders)) || len(a.Orders) > OrdersShownFirst
			continue
		}
		guests += len(a.GuestOrders)
	}
	sk.Rows += min(guests, OrdersShownFirst)
	return sk
}

package present

import (
	"net/url"
	"strconv"

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

// SectionID is a store section's DOM id, stable per store.
func SectionID(s domain.Store) string { return "store-" + strconv.FormatInt(s.ID, 10) }

// LoadingSection is a store's section before its data arrives; it loads
// itself from fragmentURL.
func LoadingSection(s domain.Store, fragmentURL string) views.StoreSection {
	return views.StoreSection{
		ID:          SectionID(s),
		Domain:      s.Domain,
		AdminURL:    StoreAdminURL(s),
		State:       views.SectionLoading,
		FragmentURL: fragmentURL,
	}
}

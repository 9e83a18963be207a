// Package views renders shopcard's HTML with templ. Components take view
// models (the structs in this file), already shaped for display by the
// handlers: words instead of enum values, formatted dates, absolute URLs.
// Components do no I/O and make no decisions about data.
package views

// Assets are the URLs of the static files a page links, versioned so they
// can be cached for a long time.
type Assets struct {
	CSS, HTMX, JS string
}

// Theme forces light or dark; empty follows the system.
type Theme string

// Themes the embedding inbox can force with ?theme=.
const (
	ThemeSystem Theme = ""
	ThemeLight  Theme = "light"
	ThemeDark   Theme = "dark"
)

// Tone is a badge's colour family. Badges always carry a word as well.
type Tone int

// Tones, from calm to alarming.
const (
	ToneNeutral Tone = iota
	ToneGood
	ToneInfo
	ToneWarn
	ToneBad
)

// Badge is a status: a word and a colour.
type Badge struct {
	Label string
	Tone  Tone
}

// When is a moment shown as relative words with the exact time on hover.
type When struct {
	Relative string // "3 days ago"
	Absolute string // "24 Nov 2026, 14:05 UTC"
	ISO      string // for <time datetime>
}

// SidebarPage is the whole sidebar for one contact.
type SidebarPage struct {
	Assets      Assets
	Theme       Theme
	ContactName string
	Emails      []string
	// FragmentHeaders is the JSON for hx-headers that carries the embed token
	// to the section fragments.
	FragmentHeaders string
	Sections        []StoreSection
	// OrderSearchURL is where the "Find an order" box searches; no box
	// when empty (no store connected, or the component gallery).
	OrderSearchURL string
}

// SectionState is what a store section shows.
type SectionState int

// The states of a store section.
const (
	SectionLoading   SectionState = iota // skeleton; fetches itself
	SectionLoaded                        // customers, or guest orders
	SectionNoMatch                       // no customer with this email
	SectionError                         // Shopify failed; retry offered
	SectionAttention                     // the connection needs an admin
	SectionTimeout                       // Shopify was too slow; retry offered
)

// StoreSection is one connected store's part of the sidebar.
type StoreSection struct {
	ID          string // DOM id, stable per store
	Domain      string
	AdminURL    string // the store's Shopify Admin home
	State       SectionState
	FragmentURL string // where the section loads (and reloads) itself
	// Customers are the customers matching the contact's emails, each with
	// their orders; usually one.
	Customers []CustomerMatch
	// Guests are orders placed with the contact's emails by guest
	// checkout, shown when no customer matches; nil when there are none.
	Guests *GuestOrders
	// Notice is a short line for the rep: why the section is empty, failed
	// or incomplete. Never a raw error.
	Notice string
	// Stale, when set, says what is shown is the last good answer because
	// Shopify did not answer: "Updated 12 min ago — Shopify didn't answer".
	Stale string
}

// CustomerMatch is one matching customer and their orders.
type CustomerMatch struct {
	Card   CustomerCard
	Orders OrderList
}

// GuestOrders are orders without a customer record (guest checkouts).
type GuestOrders struct {
	// PlacedWith names the emails they were placed with: "Placed with
	// ada@example.com".
	PlacedWith string
	Orders     OrderList
}

// CustomerCard is the matched customer's profile.
type CustomerCard struct {
	DisplayName string
	Email       string
	Phone       string
	Orders      string // "1 order", "1,204 orders"
	AmountSpent string // "11,884.90 CAD"
	Since       When
	AdminURL    string
	Tags        []string
	// Withheld lists what Shopify withheld as protected data, in words
	// ("name", "email"); empty when everything arrived.
	Withheld []string
	// MatchedBy says which of the contact's emails found this customer,
	// when the contact has several: "Matched by ada@work.example".
	MatchedBy string
}

// OrderList is a customer's orders, newest first.
type OrderList struct {
	Orders []OrderRow
	// MoreURL links to all of the customer's orders in Shopify Admin when
	// there are more than we show; Hidden says how many more.
	MoreURL string
	Hidden  string // "1,154 more orders"
	// Note explains a gap, e.g. that only 60 days are visible.
	Note string
}

// OrderRow is one order, collapsed to one line until opened.
type OrderRow struct {
	ID          string // DOM id
	Name        string // "#1001"
	AdminURL    string
	Created     When
	Fulfillment Badge
	Financial   Badge  // zero Label when Shopify sent none
	Cancelled   string // "Cancelled: customer changed mind"; empty if not
	Total       string
	Items       []ItemRow
	MoreItems   string // "+ 3 more items"; empty when all are listed
	Shipments   []Shipment
	// Open shows the order expanded at first (the component gallery uses
	// it); the sidebar lists every order closed.
	Open bool
}

// ItemRow is a product line.
type ItemRow struct {
	Title    string
	Variant  string
	Quantity int
}

// Shipment is one fulfillment and its tracking numbers.
type Shipment struct {
	Status   Badge
	Created  When
	Tracking []TrackingRow
}

// TrackingRow is one tracking number. URL is set only when it is a safe
// http(s) link.
type TrackingRow struct {
	Company string
	Number  string
	URL     string
}

// Rejection is the page shown in the frame when the sidebar cannot open.
type Rejection struct {
	Assets  Assets
	Theme   Theme
	Title   string
	Message string
}

// DemoContact is a contact in the demo inbox.
type DemoContact struct {
	Name        string
	Email       string
	OtherEmails []string // more addresses of the same person
	About       string   // what this contact shows off
	URL         string   // set by the handler
}

// DemoPage is the demo's inbox simulator.
type DemoPage struct {
	Assets     Assets
	Theme      Theme
	Contacts   []DemoContact
	Selected   int    // index of the open contact, or -1
	SidebarURL string // the sidebar iframe's src, with a freshly minted token
	// Helpdesks link the helpdesk simulators, each framing shopcard's app
	// the way its helpdesk does.
	Helpdesks []NavLink
}

// InboxApp is the page a helpdesk frames when the sidebar's contact comes
// from the helpdesk's page context (Chatwoot, Front, Zendesk): it speaks
// the helpdesk's protocol in its own script, then asks shopcard for the
// contact's sidebar with a form posted into its inner frame.
type InboxApp struct {
	Assets Assets
	// Kind and Helpdesk name the helpdesk, for the script and for people.
	Kind     string
	Helpdesk string
	// HelpdeskOrigin is the only origin the script listens to (and posts
	// to, where the protocol lets it say).
	HelpdeskOrigin string
	// SidebarAction is where the form posts; Install and Grant go with it.
	SidebarAction string
	Install       string
	Grant         string
	Theme         Theme
}

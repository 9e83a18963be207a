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
	SectionWithheld                      // guest orders whose email Shopify withheld
)

// StoreSection is one connected store's part of the sidebar.
type StoreSection struct {
	ID          string // DOM id, stable per store
	Name        string // the shop's name, or its domain when it has none
	Domain      string
	AdminURL    string // the store's Shopify Admin home
	State       SectionState
	FragmentURL string // where the section loads (and reloads) itself
	// Variant names the section's exact state for tests and the gallery
	// (present.SectionVariants lists them all), as data-variant.
	Variant string
	// Skeleton sizes the loading skeleton to the content it stands for.
	Skeleton Skeleton
	// Fold, when set, is how many orders each list shows before "Show
	// more": a section that replaced a typical skeleton shows no more rows
	// than it held, so it never pushes down what is below it. Reserve,
	// when set, is that skeleton, kept invisibly under the content until
	// the rep's first interaction, so the section doesn't shrink either
	// while the sidebar loads.
	Fold    int
	Reserve *Skeleton
	// Customers are the customers matching the contact's emails, each with
	// their orders; usually one.
	Customers []CustomerMatch
	// Guests are orders placed with the contact's emails by guest
	// checkout, shown when no customer matches; nil when there are none.
	Guests *GuestOrders
	// Notice is one calm sentence for the rep: why the section is empty,
	// failed or incomplete. Never a raw error, never a scope name.
	Notice string
	// NoticeLink, when set, is where the rep can see for themselves in
	// Shopify, with NoticeLinkText.
	NoticeLink, NoticeLinkText string
	// Stale, when set, says what is shown is the last good answer because
	// Shopify did not answer: "Updated 12 min ago — Shopify didn't answer".
	Stale string
}

// Skeleton is how much a loading section's skeleton stands for: customer
// cards and collapsed order rows, from the last answer when one is
// cached, or a typical section.
type Skeleton struct {
	Cards, Rows int
	// Note reserves a line for a sentence under the orders.
	Note bool
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
	// NameWithheld shows DisplayName ("Name withheld") as a placeholder,
	// not a name.
	NameWithheld bool
	Email        string
	Phone        string // "+1 415-555-0123"
	PhoneURL     string // "tel:+1-415-555-0123"; "" when not diallable
	Orders       string // "1 order", "1,204 orders"
	AmountSpent  string // "11,884.90 CAD"
	Since        When   // "March 2019", exact on hover
	AdminURL     string
	Tags         []string
	// Withheld is one sentence saying what Shopify withheld as protected
	// data and what an admin can do; empty when everything arrived.
	Withheld string
	// MatchedBy says which of the contact's emails found this customer,
	// when the contact has several: "Matched by ada@work.example".
	MatchedBy string
}

// OrderList is a customer's orders, newest first.
type OrderList struct {
	// Orders are shown at once; MoreOrders behind a "Show more" control
	// (ShowMore is its label), in the same list.
	Orders     []OrderRow
	MoreOrders []OrderRow
	ShowMore   string // "Show 40 more orders"
	// Empty is what the list says when there is nothing to list; Summary
	// the one sentence about what Shopify holds beyond the list ("Showing
	// the newest 50 of 1,287 orders."), with MoreURL to open them in
	// Shopify.
	Empty   string
	Summary string
	MoreURL string
}

// OrderRow is one order, collapsed to a few lines until opened.
type OrderRow struct {
	ID          string // DOM id
	Name        string // "#1001"
	AdminURL    string
	Created     When
	Fulfillment Badge
	Financial   Badge // zero Label when Shopify sent none
	Return      Badge // zero Label without a return
	Cancelled   string
	// Total is the current total. Original, when set, is what was
	// charged before refunds and edits (shown struck through), and
	// Refunded what went back: "30.00 CAD refunded".
	Total    string
	Original string
	Refunded string
	// Delivery is the newest shipment's status in words, with its date:
	// "In transit · arrives Thu 4 Dec", "Delivered 2 days ago".
	Delivery     string
	DeliveryTone Tone
	// DetailURL loads the opened order (OrderDetailView) on first open;
	// Detail, when set, is shown instead (the gallery).
	DetailURL string
	Detail    *OrderDetail
	// DetailSkeleton sizes the detail's skeleton from what the summary
	// knows.
	DetailSkeleton Skeleton
	// Open shows the order expanded at first (the component gallery uses
	// it); the sidebar lists every order closed.
	Open bool
}

// DetailState is what an opened order shows.
type DetailState int

// The states of an opened order.
const (
	DetailLoaded    DetailState = iota
	DetailError                 // Shopify failed; retry offered
	DetailAttention             // the connection needs an admin
	DetailGone                  // Shopify has no such order any more
)

// OrderDetail is an opened order: everything a rep needs, or, when it
// could not be loaded, what the summary knew with a note.
type OrderDetail struct {
	ID       string // DOM id
	State    DetailState
	Variant  string // data-variant, as for sections
	Notice   string
	RetryURL string
	// Notes are calm sentences about parts Shopify withheld or that are
	// capped: "Shopify didn't share this order's returns with shopcard."
	Notes []string

	Items     []ItemRow
	MoreItems string // "3 more items — open in Shopify"
	Shipments []Shipment
	// MoreShipments says Shopify has shipments it didn't return.
	MoreShipments string
	Refunds       []RefundRow
	Returns       []ReturnRow
	MoreReturns   string
	// Totals: the original, what was refunded, what it comes to now.
	Original, Refunded, Current string
	Address                     []string // the shipping address, line by line
	AddressNote                 string   // "Withheld by Shopify", "No shipping address"
	Note                        string
	Tags                        []string
	StatusPageURL               string // http(s) only
	AdminURL                    string
	Name                        string
}

// ItemRow is a product line.
type ItemRow struct {
	Title    string
	Variant  string
	SKU      string
	Quantity string // "2 ×"; "Removed" for an item refunded or edited away
	Removed  bool
	Changed  string // "was 2" when some were removed
	Price    string // unit price, "45.00 CAD"
}

// Shipment is one fulfillment and its tracking numbers.
type Shipment struct {
	Status   Badge
	Delivery string // "Delivered 2 days ago"; "" when the badge says it all
	Created  When
	Tracking []TrackingRow
	Events   []EventRow
	// MoreEvents and MoreItems say there is more than is listed.
	MoreEvents, MoreItems string
	Items                 []string // "2 × Jacket"
}

// EventRow is one carrier event.
type EventRow struct {
	Label    string // "In transit — Picked up by the carrier"
	Happened When
}

// RefundRow is one refund.
type RefundRow struct {
	Amount string
	When   When
	Note   string
}

// ReturnRow is one return.
type ReturnRow struct {
	Name   string
	Status Badge
	When   When
	Items  []string // "1 × Trail Running Shoes"
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

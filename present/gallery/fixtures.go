// Package gallery holds the component gallery's fixtures: every component
// of the sidebar in every state, from Shopify-shaped data put through the
// real presenters. Only dev and demo modes serve it.
package gallery

import (
	"strconv"
	"time"

	"github.com/a-h/templ"

	"shopcard/domain"
	"shopcard/present"
	"shopcard/views"
)

// The component gallery's fixtures. They are Shopify-shaped data (what the
// client hands the handlers) put through the same presenters the sidebar
// uses, so every word, date and badge in the gallery is what a rep would
// see; only the states that have no data (loading, failures) are built as
// view models directly. The data is realistic and includes the hard cases:
// no name, withheld fields, very long, non-ASCII and right-to-left text, and
// text that must never become markup.

// The gallery's stores, one per currency style.
var (
	galleryAcme   = domain.Store{ID: 1, Domain: "acme-outfitters.myshopify.com", ShopName: "Acme Outfitters", Scopes: []string{"read_customers", "read_orders", "read_all_orders"}}
	galleryNordic = domain.Store{ID: 2, Domain: "nordic-knits.myshopify.com", ShopName: "Nordic Knits", Scopes: []string{"read_customers", "read_orders", "read_all_orders"}}
	gallerySakura = domain.Store{ID: 3, Domain: "sakura-tea.myshopify.com", ShopName: "Sakura Tea", Scopes: []string{"read_customers", "read_orders"}}
)

// galleryFixtures builds one rendering of every entry. prefix and seq keep
// DOM ids unique, as the same store or order shows in many entries, each
// twice, on one page; fragmentURL is what skeletons and retry controls
// point at (the gallery loads no script, so nothing is fetched).
type galleryFixtures struct {
	now         time.Time
	prefix      string
	seq         *int
	fragmentURL string
}

// uid makes a DOM id unique on the gallery page.
func (f galleryFixtures) uid(id string) string {
	*f.seq++
	return f.prefix + strconv.Itoa(*f.seq) + "-" + id
}

// Groups returns every component in every state, each entry rendered once
// per gallery width, as the sidebar would show them at now. fragmentURL is
// what skeletons and retry controls point at.
func Groups(now time.Time, fragmentURL string) []views.GalleryGroup {
	narrow := galleryFixtures{now: now, prefix: "w320-", seq: new(int), fragmentURL: fragmentURL}
	wide := galleryFixtures{now: now, prefix: "w400-", seq: new(int), fragmentURL: fragmentURL}
	n, w := narrow.groups(), wide.groups()
	out := make([]views.GalleryGroup, len(n))
	for i := range n {
		out[i] = views.GalleryGroup{ID: n[i].id, Title: n[i].title}
		for j, e := range n[i].entries {
			out[i].Entries = append(out[i].Entries, views.GalleryEntry{
				ID: e.id, Title: e.title, About: e.about, Scroll: e.scroll,
				Narrow: e.render, Wide: w[i].entries[j].render,
			})
		}
	}
	return out
}

type fixtureGroup struct {
	id, title string
	entries   []fixtureEntry
}

type fixtureEntry struct {
	id, title, about string
	scroll           bool
	render           templ.Component
}

func (f galleryFixtures) groups() []fixtureGroup {
	return []fixtureGroup{
		{id: "customer-card", title: "Customer card", entries: f.customerCards()},
		{id: "order-list", title: "Order list", entries: f.orderLists()},
		{id: "store-section", title: "Store section", entries: f.storeSections()},
		{id: "sidebar", title: "Sidebar", entries: f.sidebars()},
		{id: "order-search", title: "Find an order", entries: f.orderSearches()},
	}
}

// ago is a moment before the fixtures' now.
func (f galleryFixtures) ago(d time.Duration) time.Time { return f.now.Add(-d) }

const day = 24 * time.Hour

// Customers.

func (f galleryFixtures) maya() *domain.Customer {
	return &domain.Customer{
		ID: "gid://shopify/Customer/7001", LegacyResourceID: 7001, DisplayName: "Maya Chen", FirstName: "Maya", LastName: "Chen",
		Email: "maya.chen@example.com", Phone: "+1 416 555 0142", NumberOfOrders: 4,
		AmountSpent: domain.Money{Amount: "1884.9", Currency: "CAD"}, CreatedAt: f.ago(2*365*day + 40*day),
		Tags: []string{"VIP", "wholesale", "newsletter"},
	}
}

func (f galleryFixtures) mayaOrders() []domain.Order {
	return []domain.Order{
		f.order(1042, "#1042", 3*day, "PAID", "UNFULFILLED", "249.00", "CAD",
			domain.LineItem{Title: "Trailblazer 45 L backpack", VariantTitle: "Forest green", Quantity: 1}),
		f.shipped(f.order(1031, "#1031", 19*day, "PAID", "FULFILLED", "86.50", "CAD",
			domain.LineItem{Title: "Merino hiking socks", VariantTitle: "M / Charcoal", Quantity: 3},
			domain.LineItem{Title: "Enamel camp mug", Quantity: 1}),
			domain.Fulfillment{Status: "SUCCESS", DisplayStatus: "DELIVERED", CreatedAt: f.ago(17 * day), Tracking: []domain.Tracking{{Company: "Canada Post", Number: "7023 4567 8901 2345", URL: "https://www.canadapost-postescanada.ca/track-reperage/en#/search?searchFor=7023456789012345"}}}),
		f.order(1017, "#1017", 95*day, "PARTIALLY_REFUNDED", "FULFILLED", "1310.40", "CAD",
			domain.LineItem{Title: "Two-person tent", VariantTitle: "Sand", Quantity: 1},
			domain.LineItem{Title: "Down sleeping bag", VariantTitle: "Regular / -7 °C", Quantity: 2}),
		f.order(1003, "#1003", 2*365*day, "PAID", "FULFILLED", "239.00", "CAD",
			domain.LineItem{Title: "Rain shell", VariantTitle: "S / Blue", Quantity: 1}),
	}
}

// order is an order with its items; ItemCount is what they add up to.
func (f galleryFixtures) order(id uint64, name string, age time.Duration, financial, fulfillment, total, currency string, items ...domain.LineItem) domain.Order {
	count := 0
	for _, it := range items {
		count += it.Quantity
	}
	return domain.Order{
		ID: "gid://shopify/Order/" + strconv.FormatUint(id, 10), LegacyResourceID: id, Name: name, CreatedAt: f.ago(age),
		FinancialStatus: financial, FulfillmentStatus: fulfillment, Total: domain.Money{Amount: total, Currency: currency},
		ItemCount: count, LineItems: items,
	}
}

func (f galleryFixtures) shipped(o domain.Order, fs ...domain.Fulfillment) domain.Order {
	o.Fulfillments = append(o.Fulfillments, fs...)
	return o
}

func (f galleryFixtures) cancelled(o domain.Order, age time.Duration, reason string) domain.Order {
	at := f.ago(age)
	o.CancelledAt, o.CancelReason = &at, reason
	return o
}

// answer is one lookup's result for a customer.
func answer(c *domain.Customer, orders []domain.Order) *domain.CustomerOrders {
	return &domain.CustomerOrders{Customer: c, Orders: orders}
}

// section is a store's section before data, with ids unique to this
// rendering.
func (f galleryFixtures) section(s domain.Store) views.StoreSection {
	return views.StoreSection{
		ID: f.uid(present.SectionID(s)), Domain: s.Domain, AdminURL: present.StoreAdminURL(s),
		State: views.SectionLoading, FragmentURL: f.fragmentURL,
	}
}

// presented fills a section from answers, as the fragment handler does.
func (f galleryFixtures) presented(s domain.Store, results ...present.Result) views.StoreSection {
	return f.uniqueIDs(present.Section(f.section(s), s, results, f.now))
}

// uniqueIDs prefixes the orders' DOM ids.
func (f galleryFixtures) uniqueIDs(sec views.StoreSection) views.StoreSection {
	for i := range sec.Customers {
		sec.Customers[i].Orders = f.uniqueOrderIDs(sec.Customers[i].Orders)
	}
	if sec.Guests != nil {
		g := *sec.Guests
		g.Orders = f.uniqueOrderIDs(g.Orders)
		sec.Guests = &g
	}
	return sec
}

func (f galleryFixtures) uniqueOrderIDs(l views.OrderList) views.OrderList {
	rows := make([]views.OrderRow, len(l.Orders))
	for i, o := range l.Orders {
		o.ID = f.uid(o.ID)
		rows[i] = o
	}
	l.Orders = rows
	return l
}

// orderList presents a customer's orders as the sidebar does, the first
// one opened when open is set.
func (f galleryFixtures) orderList(s domain.Store, c *domain.Customer, orders []domain.Order, open bool) views.OrderList {
	l := f.uniqueOrderIDs(present.Orders(s, answer(c, orders), f.now))
	if open && len(l.Orders) > 0 {
		l.Orders[0].Open = true
	}
	return l
}

func (f galleryFixtures) customerCards() []fixtureEntry {
	maya := f.maya()
	noName := &domain.Customer{
		ID: "gid://shopify/Customer/7002", LegacyResourceID: 7002, Email: "j.okafor@example.net",
		NumberOfOrders: 2, AmountSpent: domain.Money{Amount: "58", Currency: "CAD"}, CreatedAt: f.ago(40 * day),
	}
	withheld := &domain.Customer{
		ID: "gid://shopify/Customer/7003", LegacyResourceID: 7003, NumberOfOrders: 7,
		AmountSpent: domain.Money{Amount: "412.75", Currency: "EUR"}, CreatedAt: f.ago(300 * day), Tags: []string{"returns-risk"},
	}
	none := &domain.Customer{
		ID: "gid://shopify/Customer/7004", LegacyResourceID: 7004, DisplayName: "Tomás Ó Briain", Email: "tomas@example.ie",
		AmountSpent: domain.Money{Amount: "0.0", Currency: "EUR"}, CreatedAt: f.ago(2 * time.Hour),
	}
	many := &domain.Customer{
		ID: "gid://shopify/Customer/7005", LegacyResourceID: 7005, DisplayName: "Northwind Wholesale Ltd. — Purchasing department (Europe, Middle East and Africa)",
		Email: "purchasing.emea.accounts-payable@northwind-wholesale-holdings.example.com", Phone: "+44 20 7946 0958",
		NumberOfOrders: 1204, AmountSpent: domain.Money{Amount: "1298231.4", Currency: "CAD"}, CreatedAt: f.ago(9 * 365 * day),
		Tags: []string{"wholesale", "net-30", "key account", "EMEA", "do-not-email", "priority-support", "invoice-only"},
	}
	manyOrders := []domain.Order{
		f.order(52210, "#52210", 2*time.Hour, "AUTHORIZED", "UNFULFILLED", "18940.00", "CAD", domain.LineItem{Title: "Enamel camp mug", Quantity: 400}),
		f.order(52177, "#52177", 6*day, "PAID", "FULFILLED", "7420.00", "CAD", domain.LineItem{Title: "Merino hiking socks", VariantTitle: "Assorted", Quantity: 500}),
	}
	card := func(c *domain.Customer, withheld ...string) views.CustomerCard {
		r := answer(c, nil)
		r.Withheld = withheld
		return present.Customer(galleryAcme, r, f.now)
	}
	return []fixtureEntry{
		{id: "customer-complete", title: "Complete", about: "Name, email, phone, order count, amount spent, customer since (hover for the exact date) and tags.",
			render: views.CustomerCardView(card(maya))},
		{id: "customer-no-name", title: "No name", about: "Shopify has no name for this customer: the email stands in for it.",
			render: views.CustomerCardView(card(noName))},
		{id: "customer-withheld", title: "Protected data withheld", about: "The app isn't approved for protected customer data: Shopify withheld the name, email and phone.",
			render: views.CustomerCardView(card(withheld, "firstName", "lastName", "defaultEmailAddress", "defaultPhoneNumber"))},
		{id: "customer-no-orders", title: "0 orders", about: "A customer who signed up and never ordered.",
			render: customerWithOrders(card(none), f.orderList(galleryNordic, none, nil, false))},
		{id: "customer-many-orders", title: "1,000+ orders", about: "A long name and email, many tags, and more orders than the sidebar lists: a link leads to all of them in Shopify.",
			render: customerWithOrders(card(many), f.orderList(galleryAcme, many, manyOrders, false))},
	}
}

// customerWithOrders is a card above its order list, as in a section.
func customerWithOrders(card views.CustomerCard, orders views.OrderList) templ.Component {
	return templ.Join(views.CustomerCardView(card), views.OrderListView(orders))
}

func (f galleryFixtures) orderLists() []fixtureEntry {
	maya := f.maya()
	mug := domain.LineItem{Title: "Enamel camp mug", Quantity: 1}

	// Every fulfillment status Shopify sends, each with a financial status,
	// and one it might add later.
	statuses := []struct{ fulfillment, financial string }{
		{"UNFULFILLED", "PAID"}, {"PARTIALLY_FULFILLED", "PAID"}, {"FULFILLED", "PAID"},
		{"SCHEDULED", "AUTHORIZED"}, {"ON_HOLD", "PENDING"}, {"IN_PROGRESS", "PARTIALLY_PAID"},
		{"OPEN", "AUTHORIZED"}, {"PENDING_FULFILLMENT", "PAID"}, {"RESTOCKED", "VOIDED"},
		{"REQUEST_DECLINED", "EXPIRED"}, {"AWAITING_CARRIER_PICKUP", ""},
	}
	var each []domain.Order
	for i, s := range statuses {
		id := uint64(2001 + i)
		each = append(each, f.order(id, "#"+strconv.FormatUint(id, 10), time.Duration(i+1)*37*time.Hour, s.financial, s.fulfillment, "42.00", "CAD", mug))
	}

	cancelled := []domain.Order{
		f.cancelled(f.order(3001, "#3001", 4*day, "VOIDED", "UNFULFILLED", "129.00", "CAD", domain.LineItem{Title: "Trail running shoes", VariantTitle: "US 9", Quantity: 1}), 3*day, "CUSTOMER"),
		f.cancelled(f.order(3002, "#3002", 12*day, "REFUNDED", "UNFULFILLED", "64.00", "CAD", mug), 11*day, "INVENTORY"),
	}
	refunded := []domain.Order{
		f.shipped(f.order(3101, "#3101", 33*day, "REFUNDED", "FULFILLED", "219.00", "CAD", domain.LineItem{Title: "Insulated jacket", VariantTitle: "L / Black", Quantity: 1}),
			domain.Fulfillment{Status: "SUCCESS", DisplayStatus: "DELIVERED", CreatedAt: f.ago(31 * day), Tracking: []domain.Tracking{{Company: "UPS", Number: "1Z999AA10123456784", URL: "https://www.ups.com/track?tracknum=1Z999AA10123456784"}}}),
	}
	partlyRefunded := []domain.Order{
		f.shipped(f.order(3201, "#3201", 45*day, "PARTIALLY_REFUNDED", "FULFILLED", "310.00", "CAD",
			domain.LineItem{Title: "Trekking poles", VariantTitle: "Pair", Quantity: 1}, domain.LineItem{Title: "Headlamp", Quantity: 2}),
			domain.Fulfillment{Status: "SUCCESS", DisplayStatus: "DELIVERED", CreatedAt: f.ago(43 * day)}),
	}
	shipments := []domain.Order{
		f.shipped(f.order(3301, "#3301", 9*day, "PAID", "PARTIALLY_FULFILLED", "544.00", "CAD",
			domain.LineItem{Title: "Two-person tent", VariantTitle: "Sand", Quantity: 1},
			domain.LineItem{Title: "Sleeping pad", Quantity: 2},
			domain.LineItem{Title: "Camp stove", Quantity: 1}),
			domain.Fulfillment{Status: "SUCCESS", DisplayStatus: "DELIVERED", CreatedAt: f.ago(8 * day), Tracking: []domain.Tracking{
				{Company: "Canada Post", Number: "7023 4567 8901 2345", URL: "https://www.canadapost-postescanada.ca/track-reperage/en#/search?searchFor=7023456789012345"},
				{Company: "Canada Post", Number: "7023 4567 8901 2346", URL: "https://www.canadapost-postescanada.ca/track-reperage/en#/search?searchFor=7023456789012346"},
			}},
			domain.Fulfillment{Status: "SUCCESS", DisplayStatus: "IN_TRANSIT", CreatedAt: f.ago(2 * day), Tracking: []domain.Tracking{
				{Company: "Purolator", Number: "329012345678", URL: "https://www.purolator.com/en/shipping/tracker?pin=329012345678"},
				{Company: "Purolator", Number: "329012345679", URL: "https://www.purolator.com/en/shipping/tracker?pin=329012345679"},
				{Company: "Purolator", Number: "329012345680", URL: "https://www.purolator.com/en/shipping/tracker?pin=329012345680"},
			}},
			domain.Fulfillment{Status: "SUCCESS", DisplayStatus: "ATTEMPTED_DELIVERY", CreatedAt: f.ago(1 * day), Tracking: []domain.Tracking{
				{Company: "FedEx", Number: "449044304137821", URL: "https://www.fedex.com/fedextrack/?trknbr=449044304137821"},
			}}),
	}
	noURL := []domain.Order{
		f.shipped(f.order(3401, "#3401", 5*day, "PAID", "FULFILLED", "75.00", "CAD", domain.LineItem{Title: "Water filter", Quantity: 1}),
			domain.Fulfillment{Status: "SUCCESS", DisplayStatus: "IN_TRANSIT", CreatedAt: f.ago(4 * day), Tracking: []domain.Tracking{
				{Company: "Local courier", Number: "LC-88213"},
				{Number: "RR123456785CA", URL: "javascript:alert(document.domain)"},
			}},
			domain.Fulfillment{Status: "SUCCESS", CreatedAt: f.ago(3 * day)}),
	}
	var fifty []domain.Order
	for i := range 50 {
		id := uint64(4050 - i)
		o := f.order(id, "#"+strconv.FormatUint(id, 10), time.Duration(i*i+1)*11*time.Hour, []string{"PAID", "PAID", "REFUNDED", "PARTIALLY_REFUNDED", "PENDING"}[i%5],
			[]string{"FULFILLED", "FULFILLED", "UNFULFILLED", "PARTIALLY_FULFILLED", "ON_HOLD", "FULFILLED", "IN_PROGRESS"}[i%7], strconv.Itoa(20+i*7)+".50", "CAD", mug)
		if i%9 == 4 {
			o = f.cancelled(o, time.Duration(i*i)*11*time.Hour, "DECLINED")
		}
		fifty = append(fifty, o)
	}
	fiftyOwner := *maya
	fiftyOwner.NumberOfOrders = 50

	long := []domain.Order{
		f.shipped(f.order(5001, "EU-2026-000123456789", 26*time.Hour, "PAID", "PARTIALLY_FULFILLED", "123456789.99", "EUR",
			domain.LineItem{Title: "Ultra-lightweight waterproof breathable three-layer Gore-Tex Pro expedition mountaineering shell jacket with helmet-compatible hood", VariantTitle: "Extra extra large / Glacier blue with reflective detailing / Tall fit", Quantity: 1},
			domain.LineItem{Title: "Donaudampfschifffahrtsgesellschaftskapitänsmützenabzeichen", Quantity: 12},
			domain.LineItem{Title: "抹茶セット（限定版）・京都宇治産の石臼挽き抹茶と茶筅", VariantTitle: "桜", Quantity: 2},
			domain.LineItem{Title: "Crème brûlée torch — édition spéciale, «façonnée» à Besançon 🔥", Quantity: 1},
			domain.LineItem{Title: "وشاح صوف ميرينو مصنوع يدويًا", VariantTitle: "أزرق داكن", Quantity: 3},
			domain.LineItem{Title: "צעיף צמר מרינו בעבודת יד", Quantity: 1},
			domain.LineItem{Title: `<script>alert("not markup")</script> & <b>bold</b> claims`, VariantTitle: `" onmouseover="alert(1)`, Quantity: 1}),
			domain.Fulfillment{Status: "SUCCESS", DisplayStatus: "OUT_FOR_DELIVERY", CreatedAt: f.ago(20 * time.Hour), Tracking: []domain.Tracking{
				{Company: "Deutsche Post DHL Group — Paket International Premium", Number: "JJD000390007846153712345678901234567890", URL: "https://www.dhl.de/de/privatkunden/pakete-empfangen/verfolgen.html?piececode=JJD000390007846153712345678901234567890"},
			}}),
	}
	long[0].ItemCount += 3 // three items Shopify didn't list

	rtlCustomer := &domain.Customer{
		ID: "gid://shopify/Customer/7006", LegacyResourceID: 7006, DisplayName: "ليلى عبد الله", Email: "layla@example.ae",
		NumberOfOrders: 1, AmountSpent: domain.Money{Amount: "123456789.99", Currency: "EUR"}, CreatedAt: f.ago(3 * day), Tags: []string{"عميل مميز", "VIP"},
	}
	sixty := *maya
	sixty.NumberOfOrders = 9

	return []fixtureEntry{
		{id: "orders-fulfillment-statuses", title: "Each fulfillment status", about: "Every fulfillment status with a financial status beside it, and one Shopify might add later, shown as words. Badges carry a word, never colour alone.",
			render: views.OrderListView(f.orderList(galleryAcme, maya, each, false))},
		{id: "orders-cancelled", title: "Cancelled", about: "Cancelled orders, opened: when and why.",
			render: views.OrderListView(f.orderList(galleryAcme, maya, cancelled, true))},
		{id: "orders-refunded", title: "Refunded", render: views.OrderListView(f.orderList(galleryAcme, maya, refunded, true))},
		{id: "orders-partially-refunded", title: "Partially refunded", render: views.OrderListView(f.orderList(galleryAcme, maya, partlyRefunded, true))},
		{id: "orders-shipments", title: "Several fulfillments, several tracking numbers", about: "Three shipments of one order, with two, three and one tracking numbers.",
			render: views.OrderListView(f.orderList(galleryAcme, maya, shipments, true))},
		{id: "orders-tracking-without-url", title: "Tracking without a URL", about: "A number with no link, a javascript: URL that is never linked, and a shipment with no tracking.",
			render: views.OrderListView(f.orderList(galleryAcme, maya, noURL, true))},
		{id: "orders-fifty", title: "50 orders", about: "The most the sidebar lists for one customer.",
			render: views.OrderListView(f.orderList(galleryAcme, &fiftyOwner, fifty, false))},
		{id: "orders-long-text", title: "Long, non-ASCII and right-to-left text", about: "Very long product names and tracking numbers, Japanese, French with an emoji, Arabic and Hebrew, and text that must stay text.",
			render: customerWithOrders(present.Customer(galleryNordic, answer(rtlCustomer, long), f.now), f.orderList(galleryNordic, rtlCustomer, long, true))},
		{id: "orders-sixty-days", title: "Only 60 days visible", about: "The store didn't grant read_all_orders, so older orders are missing.",
			render: views.OrderListView(f.orderList(gallerySakura, &sixty, f.mayaOrders()[:2], false))},
	}
}

func (f galleryFixtures) storeSections() []fixtureEntry {
	maya := f.maya()
	mayaAnswer := answer(maya, f.mayaOrders())
	email := maya.Email

	stale := *mayaAnswer
	stale.Stale, stale.FetchedAt = true, f.ago(12*time.Minute)

	guestOrders := []domain.Order{
		f.order(6101, "#6101", 2*day, "PAID", "UNFULFILLED", "3200", "JPY", domain.LineItem{Title: "Sencha sampler", Quantity: 1}),
		f.shipped(f.order(6044, "#6044", 70*day, "PAID", "FULFILLED", "5400", "JPY", domain.LineItem{Title: "Tetsubin teapot", VariantTitle: "Black", Quantity: 1}),
			domain.Fulfillment{Status: "SUCCESS", DisplayStatus: "DELIVERED", CreatedAt: f.ago(66 * day), Tracking: []domain.Tracking{{Company: "Japan Post", Number: "EJ123456789JP", URL: "https://trackings.post.japanpost.jp/services/srv/search/?requestNo1=EJ123456789JP"}}}),
	}
	work := &domain.Customer{
		ID: "gid://shopify/Customer/7010", LegacyResourceID: 7010, DisplayName: "Maya Chen (Trailhead Co.)", Email: "maya@trailhead.example",
		NumberOfOrders: 1, AmountSpent: domain.Money{Amount: "2150", Currency: "CAD"}, CreatedAt: f.ago(200 * day), Tags: []string{"B2B"},
	}
	workOrders := []domain.Order{f.order(1060, "#1060", 30*day, "PAID", "FULFILLED", "2150.00", "CAD", domain.LineItem{Title: "Group camp kit", Quantity: 1})}

	failure := func(s domain.Store, kind domain.Kind) views.StoreSection {
		return present.Failure(f.section(s), domain.Errorf(kind, "gallery"))
	}
	loading := f.section(galleryAcme)
	noMatch := f.presented(gallerySakura, present.Result{Email: email, Answer: &domain.CustomerOrders{}})

	return []fixtureEntry{
		{id: "section-loading", title: "Loading skeleton", about: "What each store shows until its data arrives, shaped like a card and a few orders.",
			render: views.StoreSectionView(loading)},
		{id: "section-loaded", title: "Loaded", about: "The sticky header with the store's domain and its Admin link, the customer, then the orders.",
			render: views.StoreSectionView(f.presented(galleryAcme, present.Result{Email: email, Answer: mayaAnswer}))},
		{id: "section-no-match", title: "Empty (no match)", render: views.StoreSectionView(noMatch)},
		{id: "section-error", title: "Error", about: "Shopify failed; the rep can try again.", render: views.StoreSectionView(failure(galleryNordic, domain.KindShopifyUnavailable))},
		{id: "section-timeout", title: "Timeout", about: "Shopify was slower than the section's deadline and there is no earlier answer.",
			render: views.StoreSectionView(failure(galleryNordic, domain.KindShopifyTimeout))},
		{id: "section-stale", title: "Stale (“Updated N min ago”)", about: "Shopify didn't answer, so the last good answer shows with its age.",
			render: views.StoreSectionView(f.presented(galleryAcme, present.Result{Email: email, Answer: &stale}))},
		{id: "section-guest-orders", title: "Guest orders", about: "No customer record, but orders placed with the email by guest checkout.",
			render: views.StoreSectionView(f.presented(gallerySakura, present.Result{Email: email, Answer: &domain.CustomerOrders{GuestOrders: guestOrders}}))},
		{id: "section-several-customers", title: "Several matched customers", about: "The contact has two emails, each matching its own customer.",
			render: views.StoreSectionView(f.presented(galleryAcme,
				present.Result{Email: email, Answer: mayaAnswer},
				present.Result{Email: work.Email, Answer: answer(work, workOrders)}))},
		{id: "section-partial", title: "Some emails unanswered", about: "One of the contact's emails got no answer, so what shows may be incomplete.",
			render: views.StoreSectionView(f.presented(galleryAcme,
				present.Result{Email: email, Answer: mayaAnswer},
				present.Result{Email: work.Email, Err: domain.Errorf(domain.KindShopifyTimeout, "gallery")}))},
		{id: "section-attention", title: "Connection needs an admin", about: "A revoked token, a frozen or locked shop, or a missing scope: no retry, the rep asks an admin.",
			render: views.StoreSectionView(failure(gallerySakura, domain.KindShopifyAuth))},
		{id: "section-unreachable", title: "shopcard unreachable", about: "The fragment request itself failed (network down, no answer in 30 s): static/sidebar.js swaps this note in.",
			render: views.FragmentNotice("shopcard could not be reached. Check your connection.")},
	}
}

func (f galleryFixtures) sidebars() []fixtureEntry {
	maya := f.maya()
	email := maya.Email
	acme := func() views.StoreSection {
		return f.presented(galleryAcme, present.Result{Email: email, Answer: answer(maya, f.mayaOrders())})
	}
	nordicMaya := *maya
	nordicMaya.NumberOfOrders, nordicMaya.AmountSpent, nordicMaya.Tags = 1, domain.Money{Amount: "89", Currency: "EUR"}, nil
	nordic := f.presented(galleryNordic, present.Result{Email: email, Answer: answer(&nordicMaya, []domain.Order{
		f.order(8801, "NK-8801", 6*day, "PAID", "IN_PROGRESS", "89.00", "EUR", domain.LineItem{Title: "Lopi wool sweater", VariantTitle: "M / Oatmeal", Quantity: 1}),
	})})
	sakura := f.presented(gallerySakura, present.Result{Email: email, Answer: &domain.CustomerOrders{}})
	page := func(sections ...views.StoreSection) views.SidebarPage {
		return views.SidebarPage{ContactName: "Maya Chen", Emails: []string{email}, Sections: sections}
	}
	return []fixtureEntry{
		{id: "sidebar-one-store", title: "One store", scroll: true, render: views.SidebarContent(page(acme()))},
		{id: "sidebar-three-stores", title: "Three stores", about: "Scroll: each store's header sticks while its section is in view.", scroll: true,
			render: views.SidebarContent(page(acme(), nordic, sakura))},
		{id: "sidebar-loading", title: "Three stores, loading", about: "The first paint: the contact at once, a skeleton per store.", scroll: true,
			render: views.SidebarContent(page(f.section(galleryAcme), f.section(galleryNordic), f.section(gallerySakura)))},
		{id: "sidebar-no-stores", title: "No stores connected", about: "Tells the rep an admin needs to connect one.", scroll: true,
			render: views.SidebarContent(page())},
	}
}

// Package gallery holds the component gallery's fixtures: every component
// of the sidebar in every state, from Shopify-shaped data put through the
// real presenters. Only dev and demo modes serve it.
package gallery

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"

	"shopcard/domain"
	"shopcard/embedtoken"
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
	galleryAcme   = domain.Store{ID: 1, Domain: "acme-outfitters.myshopify.com", ShopName: "Acme Outfitters", Scopes: []string{"read_customers", "read_orders", "read_all_orders", "read_returns"}}
	galleryGulf   = domain.Store{ID: 4, Domain: "oud-amber-house.myshopify.com", ShopName: "Oud & Amber House", Scopes: []string{"read_customers", "read_orders", "read_all_orders"}}
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
		{id: "opened-order", title: "Opened order", entries: f.openedOrders()},
		{id: "store-section", title: "Store section", entries: f.storeSections()},
		{id: "sidebar", title: "Sidebar", entries: f.sidebars()},
		{id: "order-search", title: "Find an order", entries: f.orderSearches()},
		{id: "rejection", title: "Rejection page", entries: f.rejections()},
	}
}

// ago is a moment before the fixtures' now.
func (f galleryFixtures) ago(d time.Duration) time.Time { return f.now.Add(-d) }

const day = 24 * time.Hour

// Customers.

func (f galleryFixtures) maya() *domain.Customer {
	return &domain.Customer{
		ID: "gid://shopify/Customer/7001", LegacyResourceID: 7001, DisplayName: "Maya Chen", FirstName: "Maya", LastName: "Chen",
		Email: "maya.chen@example.com", Phone: "+14165550142", NumberOfOrders: 4,
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
			f.shipment("DELIVERED", 17*day, domain.Tracking{Company: "Canada Post", Number: "7023 4567 8901 2345", URL: "https://www.canadapost-postescanada.ca/track-reperage/en#/search?searchFor=7023456789012345"})),
		refunded(f.order(1017, "#1017", 95*day, "PARTIALLY_REFUNDED", "FULFILLED", "1310.40", "CAD",
			domain.LineItem{Title: "Two-person tent", VariantTitle: "Sand", Quantity: 1},
			domain.LineItem{Title: "Down sleeping bag", VariantTitle: "Regular / -7 °C", Quantity: 2, CurrentQuantity: 1}), "1620.40", "310.00"),
		f.order(1003, "#1003", 2*365*day, "PAID", "FULFILLED", "239.00", "CAD",
			domain.LineItem{Title: "Rain shell", VariantTitle: "S / Blue", Quantity: 1}),
	}
}

// order is an order as Shopify sends it: its items at their current
// quantities (as ordered unless set), ItemCount what they add up to, the
// original total the current one, nothing refunded, and every shipment
// counted.
func (f galleryFixtures) order(id uint64, name string, age time.Duration, financial, fulfillment, total, currency string, items ...domain.LineItem) domain.Order {
	count := 0
	for i := range items {
		if items[i].CurrentQuantity == 0 && !removedItems[items[i].Title] {
			items[i].CurrentQuantity = items[i].Quantity
		}
		count += items[i].CurrentQuantity
	}
	money := domain.Money{Amount: total, Currency: currency}
	return domain.Order{
		ID: "gid://shopify/Order/" + strconv.FormatUint(id, 10), LegacyResourceID: id, Name: name, CreatedAt: f.ago(age),
		FinancialStatus: financial, FulfillmentStatus: fulfillment, ReturnStatus: "NO_RETURN",
		Total: money, OriginalTotal: money, Refunded: domain.Money{Amount: "0.0", Currency: currency},
		ItemCount: count, LineItems: items, FulfillmentCount: 0,
	}
}

// removedItems are line items the fixtures removed entirely: their current
// quantity of 0 is meant.
var removedItems = map[string]bool{"Packable down vest": true}

// refunded records a refund: the current total drops by amount, which
// Shopify reports as refunded.
func refunded(o domain.Order, original, refundedAmount string) domain.Order {
	o.OriginalTotal = domain.Money{Amount: original, Currency: o.Total.Currency}
	o.Refunded = domain.Money{Amount: refundedAmount, Currency: o.Total.Currency}
	return o
}

// shipment is a fulfillment with the carrier's dates for its status: in
// transit since pickup and expected in three days, or delivered.
func (f galleryFixtures) shipment(display string, age time.Duration, tracking ...domain.Tracking) domain.Fulfillment {
	created := f.ago(age)
	s := domain.Fulfillment{Status: "SUCCESS", DisplayStatus: display, CreatedAt: created, Tracking: tracking}
	switch display {
	case "DELIVERED":
		s.InTransitAt = created.Add(6 * time.Hour)
		s.DeliveredAt = minTime(created.Add(2*day), f.now)
	case "IN_TRANSIT", "ATTEMPTED_DELIVERY", "DELAYED":
		s.InTransitAt = created.Add(6 * time.Hour)
		s.EstimatedDeliveryAt = created.Add(3 * day).Truncate(time.Hour)
	case "OUT_FOR_DELIVERY":
		s.InTransitAt = created.Add(6 * time.Hour)
	}
	return s
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func (f galleryFixtures) shipped(o domain.Order, fs ...domain.Fulfillment) domain.Order {
	o.Fulfillments = append(o.Fulfillments, fs...)
	o.FulfillmentCount = len(o.Fulfillments)
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
	sec := present.LoadingSection(s, f.fragmentURL)
	sec.ID = f.uid(sec.ID)
	return sec
}

// presented fills a section from answers, as the fragment handler does.
func (f galleryFixtures) presented(s domain.Store, results ...present.Result) views.StoreSection {
	return f.uniqueIDs(present.Section(f.section(s), s, results, f.orderURL, f.now))
}

// orderURL is where an order's detail would load from; the gallery loads
// nothing, so every order points at the gallery.
func (f galleryFixtures) orderURL(uint64) string { return f.fragmentURL }

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
	l.Orders = f.uniqueRows(l.Orders)
	l.MoreOrders = f.uniqueRows(l.MoreOrders)
	return l
}

func (f galleryFixtures) uniqueRows(in []views.OrderRow) []views.OrderRow {
	if in == nil {
		return nil
	}
	rows := make([]views.OrderRow, len(in))
	for i, o := range in {
		o.ID = f.uid(o.ID)
		if o.Detail != nil {
			d := *o.Detail
			d.ID = o.ID + "-detail"
			o.Detail = &d
		}
		rows[i] = o
	}
	return rows
}

// orderList presents a customer's orders as the sidebar does; with open,
// the first is shown opened, its detail from details (the opened order as
// Shopify would send it), or, without one, from the summary.
func (f galleryFixtures) orderList(s domain.Store, c *domain.Customer, orders []domain.Order, open bool, details ...*domain.OrderDetail) views.OrderList {
	l := present.Orders(s, answer(c, orders), f.orderURL, f.now)
	if open && len(l.Orders) > 0 {
		l.Orders[0].Open = true
		d := f.detailOf(s, orders[0], details...)
		l.Orders[0].Detail = &d
	}
	return f.uniqueOrderIDs(l)
}

// detailOf presents an opened order: the detail given, or one made from
// the summary with what Shopify adds to it (events, contents, the address).
func (f galleryFixtures) detailOf(s domain.Store, o domain.Order, details ...*domain.OrderDetail) views.OrderDetail {
	if len(details) > 0 && details[0] != nil {
		return present.OrderDetail(s, details[0], f.now)
	}
	return present.OrderDetail(s, f.opened(o), f.now)
}

// opened is the detail Shopify sends for an order: its line items with
// SKUs and prices, its shipments with carrier events and contents, the
// address, and the order status page.
func (f galleryFixtures) opened(o domain.Order) *domain.OrderDetail {
	d := &domain.OrderDetail{
		Order: o, CustomerID: 7001, Email: "maya.chen@example.com",
		StatusPageURL:   "https://acme-outfitters.example/orders/" + strconv.FormatUint(o.LegacyResourceID, 10) + "/status",
		ShippingAddress: &domain.Address{Name: "Maya Chen", Address1: "220 King St W", Address2: "Unit 1204", City: "Toronto", ProvinceCode: "ON", Zip: "M5H 1K4", Country: "Canada", Phone: "+14165550142"},
	}
	d.LineItems = nil
	for i, li := range o.LineItems {
		li.SKU = "ACME-" + strconv.Itoa(1000+i)
		if li.UnitPrice.Amount == "" {
			li.UnitPrice = domain.Money{Amount: strconv.Itoa(20+7*i) + ".00", Currency: o.Total.Currency}
		}
		d.LineItems = append(d.LineItems, li)
	}
	d.Fulfillments = nil
	for _, sh := range o.Fulfillments {
		if !sh.InTransitAt.IsZero() {
			sh.Events = append(sh.Events, domain.FulfillmentEvent{Status: "IN_TRANSIT", HappenedAt: sh.InTransitAt, Message: "Picked up by the carrier"})
		}
		if !sh.DeliveredAt.IsZero() {
			sh.Events = append([]domain.FulfillmentEvent{{Status: "DELIVERED", HappenedAt: sh.DeliveredAt, Message: "Left at the front door"}}, sh.Events...)
		}
		for _, li := range o.LineItems {
			if li.CurrentQuantity > 0 {
				sh.Items = append(sh.Items, domain.ShippedItem{Title: li.Title, Quantity: li.CurrentQuantity})
			}
		}
		d.Fulfillments = append(d.Fulfillments, sh)
	}
	if strings.Trim(o.Refunded.Amount, "0.") != "" {
		d.Refunds = []domain.Refund{{CreatedAt: o.CreatedAt.Add(5 * day), Note: "Returned unworn.", Amount: o.Refunded}}
	}
	return d
}

func (f galleryFixtures) customerCards() []fixtureEntry {
	maya := f.maya()
	noName := &domain.Customer{
		ID: "gid://shopify/Customer/7002", LegacyResourceID: 7002, Email: "j.okafor@example.net", DisplayName: "j.okafor@example.net",
		NumberOfOrders: 2, AmountSpent: domain.Money{Amount: "58", Currency: "CAD"}, CreatedAt: f.ago(40 * day),
	}
	// As Shopify sends a customer whose protected fields it withholds: the
	// name, email and phone null, the display name made of them empty.
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
		Email: "purchasing.emea.accounts-payable@northwind-wholesale-holdings.example.com", Phone: "+442079460958",
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
		{id: "customer-complete", title: "Complete", about: "Name, email, a phone number in international format that dials, order count, amount spent, customer since (a month; hover for the exact date) and tags.",
			render: views.CustomerCardView(card(maya))},
		{id: "customer-no-name", title: "No name", about: "Shopify has no name for this customer, so its display name is the email, shown once.",
			render: views.CustomerCardView(card(noName))},
		{id: "customer-withheld", title: "Protected data withheld", about: "The app isn't approved for protected customer data: Shopify withheld the name, email and phone, and the display name made of them. No name is made up; one sentence says what an admin can do.",
			render: views.CustomerCardView(card(withheld, "firstName", "lastName", "defaultEmailAddress", "defaultPhoneNumber"))},
		{id: "customer-no-orders", title: "0 orders", about: "A customer who signed up and never ordered.",
			render: customerWithOrders(card(none), f.orderList(galleryNordic, none, nil, false))},
		{id: "customer-many-orders", title: "1,000+ orders", about: "A long name and email that wrap, many tags, a seven-figure amount spent, and more orders than the sidebar lists: one sentence, and a link to all of them in Shopify.",
			render: customerWithOrders(card(many), f.orderList(galleryAcme, many, manyOrders, false))},
	}
}

// customerWithOrders is a card above its order list, as in a section.
func customerWithOrders(card views.CustomerCard, orders views.OrderList) templ.Component {
	return templ.Join(views.CustomerCardView(card), views.OrderListView(orders))
}

func (f galleryFixtures) canadaPost(n int) domain.Tracking {
	num := "7023 4567 8901 " + strconv.Itoa(2300+n)
	return domain.Tracking{Company: "Canada Post", Number: num, URL: "https://www.canadapost-postescanada.ca/track-reperage/en#/search?searchFor=" + strings.ReplaceAll(num, " ", "")}
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
	eachOwner := *maya
	eachOwner.NumberOfOrders = uint64(len(each))

	// Where each parcel is, in words, on the collapsed row.
	deliveries := []domain.Order{
		f.shipped(f.order(2101, "#2101", 2*day, "PAID", "FULFILLED", "120.00", "CAD", mug), f.shipment("IN_TRANSIT", 30*time.Hour, f.canadaPost(1))),
		f.shipped(f.order(2102, "#2102", 3*day, "PAID", "FULFILLED", "64.00", "CAD", mug), f.shipment("OUT_FOR_DELIVERY", 2*day, f.canadaPost(2))),
		f.shipped(f.order(2103, "#2103", 6*day, "PAID", "FULFILLED", "89.00", "CAD", mug), f.shipment("DELIVERED", 4*day, f.canadaPost(3))),
		f.shipped(f.order(2104, "#2104", 8*day, "PAID", "FULFILLED", "34.00", "CAD", mug), f.shipment("ATTEMPTED_DELIVERY", 4*day, f.canadaPost(4))),
		f.shipped(f.order(2105, "#2105", 12*day, "PAID", "FULFILLED", "52.00", "CAD", mug), f.shipment("DELAYED", 4*day, f.canadaPost(5))),
		f.shipped(f.order(2106, "#2106", 5*day, "PAID", "FULFILLED", "18.00", "CAD", mug), domain.Fulfillment{Status: "SUCCESS", CreatedAt: f.ago(4 * day)}),
	}
	deliveryOwner := *maya
	deliveryOwner.NumberOfOrders = uint64(len(deliveries))

	cancelled := []domain.Order{
		f.cancelled(f.order(3001, "#3001", 4*day, "VOIDED", "UNFULFILLED", "129.00", "CAD", domain.LineItem{Title: "Trail running shoes", VariantTitle: "US 9", Quantity: 1}), 3*day, "CUSTOMER"),
		f.cancelled(refunded(f.order(3002, "#3002", 12*day, "REFUNDED", "UNFULFILLED", "0.0", "CAD", domain.LineItem{Title: "Enamel camp mug", Quantity: 1, CurrentQuantity: 0}), "64.00", "64.00"), 11*day, "INVENTORY"),
	}
	refundedOrder := []domain.Order{
		f.shipped(refunded(f.order(3101, "#3101", 33*day, "REFUNDED", "FULFILLED", "0.0", "CAD", domain.LineItem{Title: "Packable down vest", VariantTitle: "L / Black", Quantity: 1}), "219.00", "219.00"),
			f.shipment("DELIVERED", 31*day, domain.Tracking{Company: "UPS", Number: "1Z999AA10123456784", URL: "https://www.ups.com/track?tracknum=1Z999AA10123456784"})),
	}
	// Partly refunded, with the return on its way back.
	withReturn := refunded(f.order(3201, "#3201", 45*day, "PARTIALLY_REFUNDED", "FULFILLED", "175.00", "CAD",
		domain.LineItem{Title: "Trekking poles", VariantTitle: "Pair", Quantity: 1},
		domain.LineItem{Title: "Headlamp", Quantity: 2, CurrentQuantity: 1}), "214.00", "39.00")
	withReturn.ReturnStatus = "IN_PROGRESS"
	withReturn = f.shipped(withReturn, f.shipment("DELIVERED", 43*day, f.canadaPost(6)))
	withReturnDetail := f.opened(withReturn)
	withReturnDetail.Returns = []domain.Return{{Name: "#3201-R1", Status: "OPEN", CreatedAt: f.ago(10 * day), Items: []domain.ShippedItem{{Title: "Headlamp", Quantity: 1}}}}
	withReturnDetail.Refunds = []domain.Refund{{CreatedAt: f.ago(9 * day), Note: "Refunded on the carrier's first scan of the return.", Amount: withReturn.Refunded}}

	// Four parcels, the newest still on its way; the third held five boxes.
	fourParcels := f.shipped(f.order(3301, "#3301", 9*day, "PAID", "FULFILLED", "544.00", "CAD",
		domain.LineItem{Title: "Two-person tent", VariantTitle: "Sand", Quantity: 1},
		domain.LineItem{Title: "Sleeping pad", Quantity: 2},
		domain.LineItem{Title: "Camp stove", Quantity: 1},
		domain.LineItem{Title: "Fuel canister", Quantity: 4}),
		f.shipment("DELIVERED", 8*day, f.canadaPost(11)),
		f.shipment("DELIVERED", 7*day, f.canadaPost(12)),
		f.shipment("DELIVERED", 6*day, f.canadaPost(13), f.canadaPost(14), f.canadaPost(15), f.canadaPost(16), f.canadaPost(17)),
		f.shipment("IN_TRANSIT", 30*time.Hour, domain.Tracking{Company: "Purolator", Number: "329012345678", URL: "https://www.purolator.com/en/shipping/tracker?pin=329012345678"}))

	// Nine lines, one removed entirely, one in part.
	nineLines := refunded(f.order(3351, "#3351", 11*day, "PARTIALLY_REFUNDED", "FULFILLED", "482.20", "CAD",
		domain.LineItem{Title: "Merino hiking socks", VariantTitle: "M", Quantity: 2},
		domain.LineItem{Title: "Insulated bottle", VariantTitle: "750 ml", Quantity: 1},
		domain.LineItem{Title: "Fuel canister", Quantity: 6, CurrentQuantity: 4},
		domain.LineItem{Title: "Headlamp", Quantity: 1},
		domain.LineItem{Title: "Packable down vest", VariantTitle: "S / Black", Quantity: 1, CurrentQuantity: 0},
		domain.LineItem{Title: "Camp towel", VariantTitle: "Large", Quantity: 1},
		domain.LineItem{Title: "Gift card", VariantTitle: "$50", Quantity: 1},
		domain.LineItem{Title: "Trekking poles", Quantity: 1},
		domain.LineItem{Title: "Trail running shoes", VariantTitle: "US 9", Quantity: 1}), "601.20", "119.00")
	nineLines = f.shipped(nineLines, f.shipment("DELIVERED", 10*day, f.canadaPost(21)))

	noURL := []domain.Order{
		f.shipped(f.order(3401, "#3401", 5*day, "PAID", "FULFILLED", "75.00", "CAD", domain.LineItem{Title: "Water filter", Quantity: 1}),
			f.shipment("IN_TRANSIT", 4*day, domain.Tracking{Company: "Local courier", Number: "LC-88213"}, domain.Tracking{Number: "RR123456785CA", URL: "javascript:alert(document.domain)"}),
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
		if o.FulfillmentStatus == "FULFILLED" {
			o = f.shipped(o, f.shipment([]string{"DELIVERED", "IN_TRANSIT"}[min(i, 1)%2], time.Duration(i*i)*11*time.Hour, f.canadaPost(100+i)))
		}
		fifty = append(fifty, o)
	}
	fiftyOwner := *maya
	fiftyOwner.NumberOfOrders = 64

	long := []domain.Order{
		f.shipped(f.order(5001, "EU-2026-000123456789", 26*time.Hour, "PAID", "PARTIALLY_FULFILLED", "123456789.99", "EUR",
			domain.LineItem{Title: "Ultra-lightweight waterproof breathable three-layer Gore-Tex Pro expedition mountaineering shell jacket with helmet-compatible hood", VariantTitle: "Extra extra large / Glacier blue with reflective detailing / Tall fit", Quantity: 1},
			domain.LineItem{Title: "Donaudampfschifffahrtsgesellschaftskapitänsmützenabzeichen", Quantity: 12},
			domain.LineItem{Title: "抹茶セット（限定版）・京都宇治産の石臼挽き抹茶と茶筅", VariantTitle: "桜", Quantity: 2},
			domain.LineItem{Title: "Crème brûlée torch — édition spéciale, «façonnée» à Besançon 🔥", Quantity: 1},
			domain.LineItem{Title: "وشاح صوف ميرينو مصنوع يدويًا", VariantTitle: "أزرق داكن", Quantity: 3},
			domain.LineItem{Title: "צעיף צמר מרינו בעבודת יד", Quantity: 1},
			domain.LineItem{Title: `<script>alert("not markup")</script> & <b>bold</b> claims`, VariantTitle: `" onmouseover="alert(1)`, Quantity: 1}),
			f.shipment("OUT_FOR_DELIVERY", 20*time.Hour, domain.Tracking{Company: "Deutsche Post DHL Group — Paket International Premium", Number: "JJD000390007846153712345678901234567890", URL: "https://www.dhl.de/de/privatkunden/pakete-empfangen/verfolgen.html?piececode=JJD000390007846153712345678901234567890"})),
	}
	// Shopify lists 10 line items a page: three items are on the next.
	long[0].MoreLineItems = true
	long[0].ItemCount += 3

	rtlCustomer := &domain.Customer{
		ID: "gid://shopify/Customer/7006", LegacyResourceID: 7006, DisplayName: "ليلى عبد الله", Email: "layla@example.ae",
		NumberOfOrders: 1, AmountSpent: domain.Money{Amount: "123456789.99", Currency: "EUR"}, CreatedAt: f.ago(3 * day), Tags: []string{"عميل مميز", "VIP"},
	}
	sixty := *maya
	sixty.NumberOfOrders = 9
	old := *maya
	old.NumberOfOrders = 4

	fatima := &domain.Customer{
		ID: "gid://shopify/Customer/7008", LegacyResourceID: 7008, DisplayName: "Fatima Al-Sabah", Email: "fatima.alsabah@example.com.kw", Phone: "+96550001234",
		NumberOfOrders: 2, AmountSpent: domain.Money{Amount: "163.2", Currency: "KWD"}, CreatedAt: f.ago(3 * 365 * day),
	}
	kwd := []domain.Order{
		f.shipped(f.order(7101, "OA-1042", 3*day, "PAID", "FULFILLED", "102.995", "KWD",
			domain.LineItem{Title: "Cambodian Oud Oil 3 ml", Quantity: 1, UnitPrice: domain.Money{Amount: "48.750", Currency: "KWD"}},
			domain.LineItem{Title: "Amber Musk Eau de Parfum", VariantTitle: "100 ml", Quantity: 2, UnitPrice: domain.Money{Amount: "27.1225", Currency: "KWD"}}),
			f.shipment("OUT_FOR_DELIVERY", 2*day, domain.Tracking{Company: "DHL Express", Number: "1234509101", URL: "https://www.dhl.com/global-en/home/tracking/tracking-express.html?tracking-id=1234509101"})),
		f.shipped(refunded(f.order(7102, "OA-1031", 40*day, "PARTIALLY_REFUNDED", "FULFILLED", "64.25", "KWD", domain.LineItem{Title: "Bakhoor Burner — Brass", Quantity: 2, CurrentQuantity: 1}), "79.75", "15.5"),
			f.shipment("DELIVERED", 39*day, domain.Tracking{Company: "DHL Express", Number: "1234509102", URL: "https://www.dhl.com/global-en/home/tracking/tracking-express.html?tracking-id=1234509102"})),
	}

	return []fixtureEntry{
		{id: "orders-fulfillment-statuses", title: "Each fulfillment status", about: "Every fulfillment status with a financial status beside it, and one Shopify might add later, shown as words. Badges carry a word, never colour alone. Ten show at once; the rest are behind “Show more”.",
			render: views.OrderListView(f.orderList(galleryAcme, &eachOwner, each, false))},
		{id: "orders-delivery", title: "Where the parcel is, collapsed", about: "The newest shipment's status in words with its date, on the collapsed row: in transit with the expected day, out for delivery, delivered, a failed attempt, a delay, and a shipment without a carrier status.",
			render: views.OrderListView(f.orderList(galleryAcme, &deliveryOwner, deliveries, false))},
		{id: "orders-cancelled", title: "Cancelled", about: "Cancelled orders, the first opened: when and why; the second was refunded in full, its only item removed.",
			render: views.OrderListView(f.orderList(galleryAcme, maya, cancelled, true))},
		{id: "orders-refunded", title: "Refunded", about: "The original total struck through beside the current one, and what went back.",
			render: views.OrderListView(f.orderList(galleryAcme, maya, refundedOrder, true))},
		{id: "orders-partially-refunded", title: "Partially refunded, with a return", about: "One of two headlamps is on its way back: the return's status on the row, the refund with its note and the return's items when opened.",
			render: views.OrderListView(f.orderList(galleryAcme, maya, []domain.Order{withReturn}, true, withReturnDetail))},
		{id: "orders-shipments", title: "Four shipments, the newest in transit", about: "The collapsed row speaks of the newest parcel; opened, every shipment shows newest first, one of them with five tracking numbers.",
			render: views.OrderListView(f.orderList(galleryAcme, maya, []domain.Order{fourParcels}, true))},
		{id: "orders-nine-lines", title: "Nine line items, one removed", about: "Current quantities: the vest was removed (marked, never “1 ×”), two fuel canisters of six were refunded.",
			render: views.OrderListView(f.orderList(galleryAcme, maya, []domain.Order{nineLines}, true))},
		{id: "orders-tracking-without-url", title: "Tracking without a URL", about: "A number with no link, a javascript: URL that is never linked, and a shipment with no tracking.",
			render: views.OrderListView(f.orderList(galleryAcme, maya, noURL, true))},
		{id: "orders-fifty", title: "50 orders of 64", about: "The most the sidebar fetches for one customer: ten at once, forty behind “Show more”, and one sentence about the rest.",
			render: views.OrderListView(f.orderList(galleryAcme, &fiftyOwner, fifty, false))},
		{id: "orders-long-text", title: "Long, non-ASCII and right-to-left text", about: "Very long product names, order names and tracking numbers, Japanese, French with an emoji, Arabic and Hebrew, and text that must stay text; three line items Shopify left for the next page.",
			render: customerWithOrders(present.Customer(galleryNordic, answer(rtlCustomer, long), f.now), f.orderList(galleryNordic, rtlCustomer, long, true))},
		{id: "orders-three-decimals", title: "A three-decimal currency", about: "Kuwaiti dinars have three decimals: prices show them all, exactly rounded.",
			render: customerWithOrders(present.Customer(galleryGulf, answer(fatima, kwd), f.now), f.orderList(galleryGulf, fatima, kwd, true))},
		{id: "orders-sixty-days", title: "Only 60 days visible", about: "The store didn't grant access to older orders, so two of nine show, with one sentence saying why and what an admin can do.",
			render: views.OrderListView(f.orderList(gallerySakura, &sixty, f.mayaOrders()[:2], false))},
		{id: "orders-none-visible", title: "Orders, none visible", about: "Four orders in Shopify, none from the last 60 days: one sentence, not “No orders yet”.",
			render: views.OrderListView(f.orderList(gallerySakura, &old, nil, false))},
	}
}

// openedOrders shows an opened order in each state it can have.
func (f galleryFixtures) openedOrders() []fixtureEntry {
	o := f.shipped(refunded(f.order(3501, "#3501", 16*day, "PARTIALLY_REFUNDED", "FULFILLED", "169.00", "USD",
		domain.LineItem{Title: "Trail Running Shoes", VariantTitle: "US 9 / Black", Quantity: 1, UnitPrice: domain.Money{Amount: "135.00", Currency: "USD"}},
		domain.LineItem{Title: "Merino Wool Hiking Socks (3-Pack)", VariantTitle: "M", Quantity: 2, CurrentQuantity: 1, UnitPrice: domain.Money{Amount: "34.00", Currency: "USD"}}), "203.00", "34.0"),
		f.shipment("DELIVERED", 15*day, domain.Tracking{Company: "DHL Express", Number: "1234504001", URL: "https://www.dhl.com/global-en/home/tracking/tracking-express.html?tracking-id=1234504001"}))
	o.ReturnStatus = "RETURNED"
	full := f.opened(o)
	full.Note, full.Tags = "Leave at the back door — the front step is being redone.", []string{"gift", "returning customer"}
	full.Returns = []domain.Return{{Name: "#3501-R1", Status: "CLOSED", CreatedAt: f.ago(12 * day), Items: []domain.ShippedItem{{Title: "Merino Wool Hiking Socks (3-Pack)", Quantity: 1}}}}
	// As Shopify answers without protected data approved and without
	// read_returns: no address or email, no returns.
	partial := f.opened(o)
	partial.ShippingAddress, partial.Email, partial.Withheld, partial.ReturnsDenied = nil, "", []string{"email", "shippingAddress"}, true

	opened := func(v views.OrderDetail) templ.Component {
		row := present.Orders(galleryAcme, answer(f.maya(), []domain.Order{o}), f.orderURL, f.now).Orders[0]
		row.Open, row.Detail = true, &v
		return views.OrderListView(f.uniqueOrderIDs(views.OrderList{Orders: []views.OrderRow{row}}))
	}
	failed := func(kind domain.Kind) templ.Component {
		return opened(present.OrderDetailFailure(galleryAcme, &o, domain.Errorf(kind, "gallery"), f.fragmentURL, f.now))
	}
	loading := present.Orders(galleryAcme, answer(f.maya(), []domain.Order{o}), f.orderURL, f.now)
	loading.Orders[0].Open = true
	return []fixtureEntry{
		{id: "detail-loading", title: "Loading", about: "Opened for the first time: a skeleton with a line per item and shipment the summary knows of, while the order loads.",
			render: views.OrderListView(f.uniqueOrderIDs(loading))},
		{id: "detail-loaded", title: "Loaded", about: "Every item with SKU, current quantity and price; every shipment with carrier, tracking, latest events and contents; the three totals; refunds and returns; where it ships; the note, tags and the order status page.",
			render: opened(present.OrderDetail(galleryAcme, full, f.now))},
		{id: "detail-partial", title: "Address and returns withheld", about: "Shopify withheld the address and email (protected customer data) and the returns (a permission the app lacks): each said once, the rest shown.",
			render: opened(present.OrderDetail(galleryAcme, partial, f.now))},
		{id: "detail-error", title: "Shopify didn't answer", about: "A red note with a retry, above what the summary knew.",
			render: failed(domain.KindShopifyUnavailable)},
		{id: "detail-timeout", title: "Shopify too slow", render: failed(domain.KindShopifyTimeout)},
		{id: "detail-attention", title: "Connection needs an admin", about: "No retry: trying again won't help.", render: failed(domain.KindShopifyAuth)},
		{id: "detail-gone", title: "Order gone", about: "Shopify no longer has the order (deleted or archived since the summary).", render: failed(domain.KindNotFound)},
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
			f.shipment("DELIVERED", 66*day, domain.Tracking{Company: "Japan Post", Number: "EJ123456789JP", URL: "https://trackings.post.japanpost.jp/services/srv/search/?requestNo1=EJ123456789JP"})),
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
	cached := f.section(galleryAcme)
	cached.Skeleton = present.SkeletonFor([]present.Result{{Email: email, Answer: mayaAnswer}})
	noMatch := f.presented(gallerySakura, present.Result{Email: email, Answer: &domain.CustomerOrders{}})

	return []fixtureEntry{
		{id: "section-loading", title: "Loading skeleton", about: "What a store shows until its data arrives when nothing is cached: a card and three orders.",
			render: views.StoreSectionView(loading)},
		{id: "section-loading-cached", title: "Loading skeleton, sized from the last answer", about: "When the cache holds the contact's last answer, the skeleton has its shape (here a card and four orders), so nothing moves when the data arrives.",
			render: views.StoreSectionView(cached)},
		{id: "section-loaded", title: "Loaded", about: "The sticky header with the shop's name, its domain beneath and a link to Shopify, the customer, then the orders.",
			render: views.StoreSectionView(f.presented(galleryAcme, present.Result{Email: email, Answer: mayaAnswer}))},
		{id: "section-no-match", title: "Empty (no match)", about: "Plain text: nothing is wrong.", render: views.StoreSectionView(noMatch)},
		{id: "section-withheld-guests", title: "Guest orders with withheld emails", about: "No customer, and Shopify withheld the email on the guest orders its search found: one calm sentence, a way to look in Shopify, never “no customer”.",
			render: views.StoreSectionView(f.presented(galleryAcme, present.Result{Email: "walk-in.guest@example.net", Answer: &domain.CustomerOrders{GuestsWithheld: 2}}))},
		{id: "section-error", title: "Shopify didn't answer", about: "An error looks like one: a red note with an icon, and a retry.", render: views.StoreSectionView(failure(galleryNordic, domain.KindShopifyUnavailable))},
		{id: "section-throttled", title: "Shopify busy", about: "Shopify rate-limited the store for longer than the section could wait.", render: views.StoreSectionView(failure(galleryNordic, domain.KindShopifyThrottled))},
		{id: "section-internal", title: "Something went wrong", about: "An error of shopcard's own.", render: views.StoreSectionView(failure(galleryNordic, domain.KindInternal))},
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
		{id: "section-attention", title: "Connection needs an admin", about: "A revoked token, a frozen or locked shop, or a missing permission: no retry, the rep asks an admin.",
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
		{id: "sidebar-loading", title: "Three stores, loading", about: "The first paint: the contact at once, a skeleton per store, in a fixed order.", scroll: true,
			render: views.SidebarContent(page(f.section(galleryAcme), f.section(galleryNordic), f.section(gallerySakura)))},
		{id: "sidebar-no-stores", title: "No stores connected", about: "Tells the rep an admin needs to connect one.", scroll: true,
			render: views.SidebarContent(page())},
	}
}

// rejections are the pages shown in the frame when the sidebar cannot
// open, from the embed token verifier's own refusals.
func (f galleryFixtures) rejections() []fixtureEntry {
	secret := domain.NewSecret("gallery-embed-secret-0123456789abcdef")
	v := embedtoken.NewVerifier(func(_ context.Context, workspace string) ([]domain.Secret, error) {
		if workspace != "acme-support" {
			return nil, domain.Errorf(domain.KindNotFound, "no workspace %q", workspace)
		}
		return []domain.Secret{secret}, nil
	}, func() time.Time { return f.now }, embedtoken.DefaultMaxLifetime)
	defer v.Close()
	claims := embedtoken.Claims{Workspace: "acme-support", Email: "maya.chen@example.com"}
	sign := func(s domain.Secret, c embedtoken.Claims, at time.Time) string {
		token, err := embedtoken.Sign(s, c, at, 15*time.Minute)
		if err != nil {
			panic("gallery: sign a token: " + err.Error())
		}
		return token
	}
	unknown := claims
	unknown.Workspace = "someone-else"
	refusal := func(token string) templ.Component {
		_, err := v.Verify(context.Background(), token)
		return views.RejectionContent(present.Rejection(http.StatusUnauthorized, err))
	}
	return []fixtureEntry{
		{id: "rejection-expired", title: "Link expired", about: "The inbox's token ran out: reopening the conversation mints a new one.",
			render: refusal(sign(secret, claims, f.ago(time.Hour)))},
		{id: "rejection-bad-signature", title: "Wrong signature", about: "Signed with another secret, usually an old one after a rotation.",
			render: refusal(sign(domain.NewSecret("some-other-secret-0123456789abcdef"), claims, f.now))},
		{id: "rejection-unknown-workspace", title: "Unknown workspace", render: refusal(sign(secret, unknown, f.now))},
		{id: "rejection-malformed", title: "Damaged link", render: refusal("not-a-token")},
		{id: "rejection-missing", title: "No token", render: refusal("")},
	}
}

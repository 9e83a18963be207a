package fakeshopify

import (
	"fmt"
	"time"
)

// The seed's stores. Each has its own currency and order names.
const (
	// AcmeDomain sells outdoor gear in USD; orders are named #1001, #1002...
	AcmeDomain = "acme-outfitters.myshopify.com"
	// NordicDomain sells homeware in EUR with orders named NG-1001...; its
	// token lacks read_all_orders, so only the last 60 days of orders show.
	NordicDomain = "nordic-goods.myshopify.com"
	// SakuraDomain sells stationery in JPY.
	SakuraDomain = "sakura-stationery.myshopify.com"
	// GulfDomain sells perfume in KWD, a currency with three decimals.
	GulfDomain = "oud-amber-house.myshopify.com"
)

// The seed's access tokens. They are obviously fake on purpose: nothing
// mistakes them for real shpat_ tokens.
const (
	// AcmeToken grants read_customers, read_orders, read_all_orders and
	// read_returns.
	AcmeToken = "shpat_fake_acme_outfitters_full_access"
	// AcmeTokenCustomersOnly grants read_customers alone, so
	// Customer.orders is ACCESS_DENIED.
	AcmeTokenCustomersOnly = "shpat_fake_acme_outfitters_customers_only"
	// AcmeTokenOrdersOnly grants read_orders and read_all_orders, so
	// customerByIdentifier is ACCESS_DENIED.
	AcmeTokenOrdersOnly = "shpat_fake_acme_outfitters_orders_only"
	// NordicToken grants read_customers and read_orders, not
	// read_all_orders.
	NordicToken = "shpat_fake_nordic_goods_recent_orders"
	// SakuraToken grants read_customers, read_orders and read_all_orders.
	SakuraToken = "shpat_fake_sakura_stationery_full_access"
	// GulfToken grants read_customers, read_orders, read_all_orders and
	// read_returns.
	GulfToken = "shpat_fake_oud_amber_house_full_access"
	// AcmeTokenWithProducts and SakuraTokenWithProducts grant what
	// AcmeToken and SakuraToken do, and read_products, which the AI
	// actions search_products and get_shop_details need. Nordic Goods has
	// no such token, so it shows a store that hasn't granted it.
	AcmeTokenWithProducts   = "shpat_fake_acme_outfitters_with_products"
	SakuraTokenWithProducts = "shpat_fake_sakura_stationery_with_products"
)

// Notable emails in the seed. DemoContacts describes them all.
const (
	// EmailShowcase is a customer of Acme and of Nordic Goods with a bit of
	// everything: multi-carrier tracking, refunds, a cancellation.
	EmailShowcase = "maya.chen@example.com"
	// EmailSixtyOrders has 60 orders at Acme; the client's first: 50 gets
	// the newest 50.
	EmailSixtyOrders = "jordan.rivera@example.com"
	// EmailOneOrder has exactly one order at Acme.
	EmailOneOrder = "priya.natarajan@example.com"
	// EmailNoOrders is an Acme customer without orders.
	EmailNoOrders = "sam.okafor@example.com"
	// EmailNoName is an Acme customer with no first or last name, so
	// displayName falls back to the email.
	EmailNoName = "orders@bluefern-studio.example"
	// EmailThousandsOfOrders has 1,287 orders at Acme, of which the fake
	// holds the latest 12.
	EmailThousandsOfOrders = "purchasing@harborsupply.example"
	// EmailHostile is an Acme customer whose name, tags, products and
	// tracking are full of markup, quotes and javascript: URLs.
	EmailHostile = "mallory@example.com"
	// EmailRightToLeft is an Acme customer with an Arabic name and products.
	EmailRightToLeft = "layla.haddad@example.com"
	// EmailNonASCII is Zoë Ångström at Nordic Goods, with orders both
	// inside and outside the 60-day window.
	EmailNonASCII = "zoe.angstrom@example.se"
	// EmailOnlyOldOrders is a Nordic Goods customer whose orders are all
	// older than 60 days: numberOfOrders is 4, but none are visible.
	EmailOnlyOldOrders = "erik.lindqvist@example.se"
	// EmailJapanese is 山田 花子 at Sakura Stationery.
	EmailJapanese = "hanako.yamada@example.jp"
	// EmailNoMatch is in no store.
	EmailNoMatch = "nobody@example.org"
	// EmailGuest has no customer record anywhere, but two guest-checkout
	// orders at Acme.
	EmailGuest = "walk-in.guest@example.net"
	// EmailThreeDecimals is Fatima Al-Sabah at Oud & Amber House, who
	// pays in Kuwaiti dinars (three decimals).
	EmailThreeDecimals = "fatima.alsabah@example.com.kw"
	// EmailShowcaseOther is Maya Chen's other address, with which she
	// checked out as a guest at Sakura Stationery.
	EmailShowcaseOther = "maya.c@fastmail.example"
	// EmailGiftGiver is Alex Chen, who ordered a gift for Maya at Acme as
	// a guest, shipped to her address: OrderGiftForMaya. No contact's
	// email finds it; only a search by its number does.
	EmailGiftGiver = "alex.chen@work.example"
	// EmailNordicGuest checked out as a guest at Nordic Goods:
	// OrderNordicGuest, found only by its number.
	EmailNordicGuest = "lars.berg@example.no"
)

// Orders that only a search by number finds, placed with emails no demo
// contact writes from. seed_test.go holds the seed to these names.
const (
	// OrderGiftForMaya is Alex Chen's gift for Maya at Acme, shipped to
	// her and delayed on the way: "my order never came".
	OrderGiftForMaya = "#1079"
	// OrderNordicGuest is a guest order at Nordic Goods, in transit.
	OrderNordicGuest = "NG-1012"
	// OrderSharedNumber is a name two stores use, Acme and Sakura
	// Stationery, so a search finds an order in each.
	OrderSharedNumber = "#1003"
)

// Seed adds the demo stores, customers and orders to s, dated relative to
// s's clock. It fails if s already holds one of the stores.
func Seed(s *Server) error {
	now := s.clock().UTC().Truncate(time.Second)
	for _, ss := range []seedStore{acmeStore(), nordicStore(), sakuraStore(), gulfStore()} {
		if err := ss.load(s, now); err != nil {
			return fmt.Errorf("fakeshopify: seed %s: %w", ss.store.Domain, err)
		}
	}
	return nil
}

// NewSeeded returns a server holding the seed data, the fake OAuth app
// (AppClientID) and the fake Dev Dashboard app (DevAppClientID), which is
// installed on Sakura Stationery; see New for clock.
func NewSeeded(clock func() time.Time) *Server {
	s := New(clock)
	if err := s.AddApp(App{ClientID: AppClientID, ClientSecret: AppClientSecret, Name: "shopcard (fake app)"}); err != nil {
		panic(err)
	}
	if err := s.AddApp(App{ClientID: DevAppClientID, ClientSecret: DevAppClientSecret, Name: "shopcard (fake Dev Dashboard app)", Scopes: devAppScopes}); err != nil {
		panic(err)
	}
	if err := Seed(s); err != nil {
		// The seed is fixed data, tested; failing here is a build defect.
		panic(err)
	}
	if err := s.InstallApp(SakuraDomain, DevAppClientID); err != nil {
		panic(err)
	}
	return s
}

// devAppScopes are the scopes of the Dev Dashboard app's released
// version: everything shopcard reads, as the README tells a merchant to
// choose.
var devAppScopes = []string{"read_customers", "read_orders", "read_all_orders", "read_fulfillments", "read_products"}

var allScopes = []string{"read_customers", "read_orders", "read_all_orders"}

var allScopesAndProducts = append(append([]string{}, allScopes...), "read_products")

// Carriers, with tracking numbers in each one's format and its real
// tracking page, so links in the demo look right.

func ups(n int) Tracking {
	num := fmt.Sprintf("1Z999AA1%010d", n)
	return Tracking{Company: "UPS", Number: num, URL: "https://www.ups.com/track?tracknum=" + num}
}

func usps(n int) Tracking {
	num := fmt.Sprintf("94001118992231%08d", n)
	return Tracking{Company: "USPS", Number: num, URL: "https://tools.usps.com/go/TrackConfirmAction?tLabels=" + num}
}

func fedex(n int) Tracking {
	num := fmt.Sprintf("7946%08d", n)
	return Tracking{Company: "FedEx", Number: num, URL: "https://www.fedex.com/fedextrack/?trknbr=" + num}
}

func dhl(n int) Tracking {
	num := fmt.Sprintf("%010d", 1234500000+n)
	return Tracking{Company: "DHL Express", Number: num, URL: "https://www.dhl.com/global-en/home/tracking/tracking-express.html?tracking-id=" + num}
}

// canadaPost has no tracking URL, as happens with carriers Shopify does not
// know.
func canadaPost(n int) Tracking {
	return Tracking{Company: "Canada Post", Number: fmt.Sprintf("7023%012d", n)}
}

func postNord(n int) Tracking {
	num := fmt.Sprintf("00370733742%09d", n)
	return Tracking{Company: "PostNord", Number: num, URL: "https://tracking.postnord.com/se/?id=" + num}
}

func bring(n int) Tracking {
	num := fmt.Sprintf("3707123456%08d", n)
	return Tracking{Company: "Bring", Number: num, URL: "https://tracking.bring.com/tracking/" + num}
}

func yamato(n int) Tracking {
	num := fmt.Sprintf("4912%08d", n)
	return Tracking{Company: "Yamato Transport", Number: num, URL: "https://toi.kuronekoyamato.co.jp/cgi-bin/tneko?number00=1&number01=" + num}
}

func japanPost(n int) Tracking {
	num := fmt.Sprintf("EJ%09dJP", n)
	return Tracking{Company: "Japan Post", Number: num, URL: "https://trackings.post.japanpost.jp/services/srv/search/?requestNo1=" + num}
}

package fakeshopify

import (
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	graphql "github.com/graph-gophers/graphql-go"

	"shopcard/shopify"
)

// Server is a fake of the Shopify Admin GraphQL API serving any number of
// stores. It is an http.Handler; see the package documentation for its
// routes. All methods are safe for concurrent use.
type Server struct {
	clock  func() time.Time
	schema *graphql.Schema
	mux    *http.ServeMux

	// mu guards everything below and every store's state. Customer and
	// order records are never modified in place: updates swap in a new
	// copy, so a resolver may keep reading a record after unlocking.
	mu                 sync.RWMutex
	stores             map[string]*store
	oauth              oauthState
	nextCustomerID     uint64
	nextOrderID        uint64
	nextProductID      uint64
	nextSubscriptionID uint64
	webhookURL         string            // see SetWebhookURL
	deliveries         []WebhookDelivery // every webhook sent, oldest first

	sending sync.WaitGroup // webhooks in flight
}

// New returns a Server with no stores. clock is the server's notion of now,
// used for default timestamps, the 60-day order window and the leaky
// bucket; nil means time.Now. Inject a fixed or steppable clock in tests.
func New(clock func() time.Time) *Server {
	if clock == nil {
		clock = time.Now
	}
	s := &Server{
		clock:  clock,
		stores: map[string]*store{},
		oauth:  newOAuthState(),
		// Legacy IDs in the range real stores use, so they look familiar
		// in URLs and logs.
		nextCustomerID:     9522206900001,
		nextOrderID:        6832000000001,
		nextProductID:      8012000000001,
		nextSubscriptionID: 1342000000001,
	}
	// Parsing binds a resolver to every field of the subset schema and
	// fails if one is missing, so a schema that grew without resolvers
	// panics here, in every test, rather than at query time.
	//
	// Resolvers run one at a time within a request: they only read the
	// fake's memory, so running them in parallel goroutines (graphql-go's
	// default, ten) buys nothing and costs a goroutine and its growing
	// stack per list element; under a burst of concurrent queries that
	// made the fake, not the client under test, the bottleneck.
	s.schema = graphql.MustParseSchema(shopify.SchemaSDL, &queryResolver{},
		graphql.MaxDepth(20),
		graphql.MaxParallelism(1),
	)
	s.mux = s.routes()
	return s
}

// ServeHTTP serves the Admin API and the /_fake test API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mux.ServeHTTP(w, r)
}

// routes lists every route the fake serves.
func (s *Server) routes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("/shops/{shop}/admin/api/{version}/graphql.json", s.serveGraphQL)
	mux.HandleFunc("/shops/{shop}/admin/oauth/authorize", s.serveAuthorize)
	mux.HandleFunc("/shops/{shop}/admin/oauth/access_token", s.serveAccessToken)

	mux.Handle("/_fake/stores", methods{"GET": s.listStores})
	mux.Handle("/_fake/stores/{shop}", methods{"GET": s.getStore})
	mux.Handle("/_fake/stores/{shop}/faults", methods{
		"GET": s.getFaults, "PUT": s.putFaults, "POST": s.putFaults, "DELETE": s.deleteFaults,
	})
	mux.Handle("/_fake/stores/{shop}/tokens/{token}/revoke", methods{"POST": s.revokeToken})
	mux.Handle("/_fake/stores/{shop}/tokens/{token}/reinstate", methods{"POST": s.reinstateToken})
	mux.Handle("/_fake/stores/{shop}/tokens/{token}/expire", methods{"POST": s.expireToken})
	mux.Handle("/_fake/stores/{shop}/grants", methods{"GET": s.getGrants})
	mux.Handle("/_fake/stores/{shop}/apps/{client_id}/install", methods{"POST": s.postInstall})
	mux.Handle("/_fake/apps/{client_id}", methods{"PATCH": s.patchApp})
	mux.Handle("/_fake/stores/{shop}/requests", methods{"GET": s.getRequests, "DELETE": s.deleteRequests})
	mux.Handle("/_fake/stores/{shop}/customers", methods{"POST": s.postCustomer})
	mux.Handle("/_fake/stores/{shop}/customers/{id}", methods{"PATCH": s.patchCustomer, "DELETE": s.deleteCustomer})
	mux.Handle("/_fake/stores/{shop}/customers/{id}/redact", methods{"POST": s.postCompliance("customers/redact")})
	mux.Handle("/_fake/stores/{shop}/customers/{id}/data-request", methods{"POST": s.postCompliance("customers/data_request")})
	mux.Handle("/_fake/stores/{shop}/orders", methods{"POST": s.postOrder})
	mux.Handle("/_fake/stores/{shop}/orders/{id}", methods{"PATCH": s.patchOrder})
	mux.Handle("/_fake/stores/{shop}/uninstall", methods{"POST": s.postUninstall})
	mux.Handle("/_fake/stores/{shop}/redact", methods{"POST": s.postShopRedact})
	mux.Handle("/_fake/stores/{shop}/webhooks", methods{"GET": s.getWebhooks})
	mux.Handle("/_fake/webhook-url", methods{"PUT": s.putWebhookURL})
	mux.Handle("/_fake/webhooks/flush", methods{"POST": s.postFlushWebhooks})

	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusNotFound, shopifyErrorBody("Not Found"))
	})
	return mux
}

// methods routes a path by method. Unlike ServeMux's method patterns, it
// answers a wrong method in JSON, like every other answer of the fake.
type methods map[string]http.HandlerFunc

func (m methods) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if h, ok := m[r.Method]; ok {
		h(w, r)
		return
	}
	allowed := slices.Sorted(maps.Keys(m))
	w.Header().Set("Allow", strings.Join(allowed, ", "))
	writeJSON(w, http.StatusMethodNotAllowed, shopifyErrorBody("Method Not Allowed"))
}

// GraphQLPath is the path of a store's Admin GraphQL endpoint on the fake,
// for the given API version.
func GraphQLPath(shop, version string) string {
	return "/shops/" + shop + "/admin/api/" + version + "/graphql.json"
}

// ShopURLTemplate is what to append to the fake's base URL to get the
// client's shop URL template (SHOPCARD_SHOPIFY_URL), in which {shop} stands
// for the store's domain: requests then have the same shape as requests to
// https://{shop}/admin/api/VERSION/graphql.json.
const ShopURLTemplate = "/shops/{shop}"

// GraphQLURL is the URL of a store's endpoint at shopcard's API version on
// a fake served at baseURL (for example an httptest.Server's URL).
func GraphQLURL(baseURL, shop string) string {
	return baseURL + GraphQLPath(shop, shopify.APIVersion)
}

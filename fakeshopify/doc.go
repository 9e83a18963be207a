// Package fakeshopify is a faithful fake of the Shopify Admin GraphQL API,
// for shopcard's tests and for `shopcard demo`.
//
// A *Server is an http.Handler. It executes real GraphQL with graphql-go
// against shopify.SchemaSDL, the same subset schema the client is
// generated from, so a query Shopify would reject fails here too. It keeps
// Shopify's habits: the exact 401 body, extensions.cost on every executed
// query, a leaky bucket per store with THROTTLED and MAX_COST_EXCEEDED,
// scope rules (read_customers, read_orders, the 60-day window without
// read_all_orders), protected customer data withheld field by field,
// UnsignedInt64 as JSON strings, and email matching that ignores case and
// whitespace. QueryRoot.order(id:) answers one order the token may see
// (null for another store's, or one outside the 60-day window without
// read_all_orders); Order.returns needs read_returns and, its connection
// being non-null, a denial nulls the order, as on Shopify. With protected
// data withheld, customers' names, emails and phones, orders' emails and
// shipping addresses come back null with ACCESS_DENIED, and a customer's
// displayName, made of them, comes back empty. Search strings are parsed
// in Shopify's syntax (terms, AND, OR, NOT, -, parentheses, quoting,
// escaping, * prefixes; see searchsyntax.go): QueryRoot.orders(query:)
// answers email: and name: terms (ordersMatcher), QueryRoot.products(query:)
// keywords and title:, status:, vendor:, product_type: and tag:
// (productsMatcher), with read_products; any other field or an unparseable
// query is refused loudly rather than answered with unfiltered data. The
// responses in ../shared/shopify/captures are the models.
// As there, a document that fails validation or has invalid variables
// (INVALID_VARIABLE) is answered with errors only: it never runs and
// costs nothing, so it carries no extensions.cost.
//
// # Admin API
//
//	POST /shops/{shop}/admin/api/{version}/graphql.json
//
// Point the client's shop URL template at BASE + ShopURLTemplate
// ("/shops/{shop}") and its requests have the shape of requests to
// https://{shop}/admin/api/{version}/graphql.json. The body is JSON
// {"query","variables","operationName"} (or a bare query as
// application/graphql); the token travels in X-Shopify-Access-Token.
// Versions 2026-01, 2026-04, 2026-07 and 2026-10 are served; any other
// falls forward to 2026-01, and X-Shopify-API-Version names the version
// served. An unknown shop is 404 {"errors":"Not Found"}; other methods
// are 405.
//
// # OAuth
//
//	GET  /shops/{shop}/admin/oauth/authorize     the grant screen
//	POST /shops/{shop}/admin/oauth/authorize     its Install button
//	POST /shops/{shop}/admin/oauth/access_token  code exchange, refresh and client credentials
//
// The authorize page checks client_id, scope and redirect_uri as Shopify
// does and shows the shop and the scopes; approving redirects (302) to
// redirect_uri with code, host, shop, state, timestamp and hmac, the hex
// HMAC-SHA256 of the other parameters sorted and joined as k=v&k=v, keyed
// with the app's client secret. The token endpoint takes JSON or a form with
// client_id and client_secret, and either code (once, within CodeTTL; with
// expiring=1 the access token lasts AccessTokenTTL and comes with a refresh
// token lasting RefreshTokenTTL) or grant_type=refresh_token and
// refresh_token, which returns a new pair. A used refresh token may be
// retried until its replacement is used, then it retires. Refusals are 400
// {"error":"invalid_grant"|"invalid_request",...} or 401 invalid_client.
// NewSeeded registers the app AppClientID / AppClientSecret; AddApp adds
// others. Unlike Shopify, any http(s) redirect_uri is accepted unless the
// app lists RedirectURIs.
//
// The same endpoint plays the client credentials grant of Dev Dashboard
// apps: grant_type=client_credentials with an app's client_id and
// client_secret gives an app installed on the store (InstallApp) a token
// with the installation's scopes, expiring after the app's TokenTTL
// (ClientCredentialsTokenTTL, expires_in 86399, by default) and with no
// refresh token. It is refused with 401 invalid_client for wrong
// credentials, 400 app_not_installed when the app is not installed on the
// store, and 400 shop_not_permitted when the store belongs to another
// Organization than the app. NewSeeded registers the Dev Dashboard app
// DevAppClientID / DevAppClientSecret and installs it on Sakura
// Stationery. Grants counts the tokens granted, by grant type.
//
// # Test API
//
// The same handler serves a small JSON API for browser-driven tests and
// for people running the demo. Every route answers JSON; an unknown store
// is 404, a bad body 400.
//
//	GET    /_fake/stores                                  every store: tokens, faults, request count, bucket
//	GET    /_fake/stores/{shop}                           one store
//	GET    /_fake/stores/{shop}/faults                    its faults
//	PUT    /_fake/stores/{shop}/faults                    replace its faults (POST works too)
//	DELETE /_fake/stores/{shop}/faults                    make it healthy again
//	POST   /_fake/stores/{shop}/tokens/{token}/revoke     make a token answer 401
//	POST   /_fake/stores/{shop}/tokens/{token}/reinstate  undo the revocation
//	POST   /_fake/stores/{shop}/tokens/{token}/expire     make an access token expire now
//	GET    /_fake/stores/{shop}/grants                    tokens granted: {"clientCredentials","authorizationCode","refreshToken"}
//	POST   /_fake/stores/{shop}/apps/{client_id}/install  install an app with its released scopes
//	PATCH  /_fake/apps/{client_id}                        {"tokenTTL": "2m"}: how long its client credentials tokens last
//	GET    /_fake/stores/{shop}/requests                  {"requests": n}, GraphQL requests received
//	DELETE /_fake/stores/{shop}/requests                  reset the count to 0
//	POST   /_fake/stores/{shop}/customers                 add a customer {"firstName","lastName","email","phone","tags"}
//	PATCH  /_fake/stores/{shop}/customers/{id}            change the fields given
//	DELETE /_fake/stores/{shop}/customers/{id}            delete a customer without orders
//	POST   /_fake/stores/{shop}/orders                    add an order {"customerId" or "email" (a guest), "total",
//	                                                      "financialStatus", "fulfillmentStatus", "lineItems": [{"title","variantTitle","quantity"}]}
//	PATCH  /_fake/stores/{shop}/orders/{id}               change {"total","financialStatus","fulfillmentStatus","cancelReason",
//	                                                      "addFulfillment": {"status","displayStatus","tracking": [{"company","number","url"}]}}
//	POST   /_fake/stores/{shop}/customers/{id}/redact     send customers/redact
//	POST   /_fake/stores/{shop}/customers/{id}/data-request  send customers/data_request
//	POST   /_fake/stores/{shop}/uninstall                 uninstall the app: revoke tokens, send app/uninstalled
//	POST   /_fake/stores/{shop}/redact                    send shop/redact
//	GET    /_fake/stores/{shop}/webhooks                  its webhook subscriptions and the deliveries sent
//	PUT    /_fake/webhook-url                             {"url": "..."}: also deliver every webhook of every store there
//	POST   /_fake/webhooks/flush                          wait until the webhooks triggered so far are delivered
//
// The faults body has these fields, all optional; those left out are
// cleared:
//
//	{"latency": "1.5s",              // delay every request (a Go duration)
//	 "status": 503,                  // fail every request: 400 401 402 403 404 423 429 500 502 503
//	 "failNext": 2,                  // fail the next 2 requests...
//	 "failNextStatus": 502,          // ...with this status, then recover
//	 "throttleNext": 3,              // answer the next 3 with THROTTLED
//	 "statusMessage": "Unavailable Shop",  // the errors text of a forced status, instead of the usual one
//	 "withholdProtectedData": true}  // null names, emails, phones, addresses with ACCESS_DENIED
//
// For example:
//
//	curl -X PUT localhost:PORT/_fake/stores/acme-outfitters.myshopify.com/faults -d '{"status":503}'
//
// # Webhooks
//
// Like Shopify, the fake delivers webhooks: to the subscriptions clients
// create with the webhookSubscriptionCreate mutation (https, or http on
// loopback), and to the URL set with SetWebhookURL, where the compliance
// topics also go. Every data change made through the Go or test API
// triggers the topics Shopify would send for it (customers/create,
// customers/update, customers/delete, orders/create, orders/updated,
// orders/cancelled, orders/fulfilled, orders/partially_fulfilled,
// orders/edited, fulfillments/create, fulfillments/update,
// refunds/create), with Shopify's JSON payloads and headers
// (X-Shopify-Topic, X-Shopify-Shop-Domain, X-Shopify-Webhook-Id and
// X-Shopify-Hmac-Sha256, the base64 HMAC-SHA256 of the body keyed with the
// client secret of the app whose token made the subscription, or else
// the store's WebhookSecret). A subscription to a topic the token's scopes
// do not allow is ACCESS_DENIED, naming the scope: fulfillments/* need
// read_fulfillments (or read_marketplace_orders), as in the real schema. UninstallApp, SetTokenScopes, RedactCustomer,
// RequestCustomerData and RedactShop send the app and compliance topics.
// Deliveries happen in the background; FlushWebhooks waits for them and
// WebhookDeliveries lists them, ready to Redeliver.
//
// # Go API
//
// New makes an empty server and NewSeeded one holding the demo stores (see
// Seed, the Acme*, Nordic* and Sakura* constants and DemoContacts).
// AddStore, AddCustomer, AddOrder and AddProduct add data, UpdateCustomer,
// DeleteCustomer and UpdateOrder change it while the server runs, and
// SetFaults, RevokeToken, ExpireAccessToken, Requests and friends do what
// the test API does. The clock
// passed to New drives timestamps, the 60-day window and the bucket, so
// tests can step it instead of sleeping.
package fakeshopify

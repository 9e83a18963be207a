// Package route names every route shopcard serves. Handlers and view
// models build URLs from these names with Echo's Reverse, never from
// hand-typed paths; handlers/routes.go registers each one.
package route

// The sidebar, operations and the demo.
const (
	Healthz      = "healthz"
	Readyz       = "readyz"
	Metrics      = "metrics"
	Static       = "static"
	Sidebar      = "sidebar"
	SidebarStore = "sidebar.store"
	// SidebarOrder is one opened order of a store section.
	SidebarOrder = "sidebar.order"
	Home         = "home"
	Demo         = "demo"
	Gallery      = "dev.components"
	// Webhooks is where Shopify delivers webhooks.
	Webhooks = "webhooks.shopify"
)

// The admin console.
const (
	AdminHome               = "admin"
	AdminSignIn             = "admin.signin"
	AdminSignInSubmit       = "admin.signin.submit"
	AdminSignOut            = "admin.signout"
	AdminStores             = "admin.stores"
	AdminConnect            = "admin.stores.connect"
	AdminOAuthStart         = "admin.stores.oauth"
	AdminOAuthCallback      = "admin.oauth.callback"
	AdminStoreTest          = "admin.store.test"
	AdminStoreToken         = "admin.store.token"
	AdminStoreDisconnect    = "admin.store.disconnect"
	AdminStoreRemove        = "admin.store.remove"
	AdminStoreWebhookSecret = "admin.store.webhook_secret"
	AdminStoreSubscribe     = "admin.store.subscribe"
	AdminEmbed              = "admin.embed"
	AdminEmbedReveal        = "admin.embed.reveal"
	AdminEmbedRotate        = "admin.embed.rotate"
	AdminEmbedSettings      = "admin.embed.settings"
	AdminEmbedPreview       = "admin.embed.preview"
	AdminTroubleshoot       = "admin.troubleshoot"
	AdminTroubleshootNow    = "admin.troubleshoot.bypass"
)

// Package route names every route shopcard serves. Handlers and view
// models build URLs from these names with Echo's Reverse, never from
// hand-typed paths; handlers/routes.go registers each one.
package route

// The sidebar, operations and the demo.
const (
	Healthz       = "healthz"
	Readyz        = "readyz"
	Metrics       = "metrics"
	Static        = "static"
	Sidebar       = "sidebar"
	SidebarStore  = "sidebar.store"
	SidebarOrders = "sidebar.orders"
	// SidebarOrder is one opened order of a store section.
	SidebarOrder = "sidebar.order"
	Home         = "home"
	Demo         = "demo"
	Gallery      = "dev.components"
	DemoHelpdesk = "demo.helpdesk"
	// The helpdesk apps.
	AppChatwoot  = "apps.chatwoot"
	AppHelpScout = "apps.helpscout"
	AppFront     = "apps.front"
	AppZendesk   = "apps.zendesk"
	AppSidebar   = "apps.sidebar"
	// Webhooks is where Shopify delivers webhooks.
	Webhooks = "webhooks.shopify"
)

// The AI actions: the MCP server and its JSON mirror.
const (
	MCP        = "mcp"
	APITools   = "api.tools"
	APITool    = "api.tool"
	APIOpenAPI = "api.openapi"
)

// The admin console.
const (
	AdminHome                = "admin"
	AdminSignIn              = "admin.signin"
	AdminSignInSubmit        = "admin.signin.submit"
	AdminSignOut             = "admin.signout"
	AdminStores              = "admin.stores"
	AdminConnect             = "admin.stores.connect"
	AdminConnectDevDashboard = "admin.stores.connect_dev_dashboard"
	AdminOAuthStart          = "admin.stores.oauth"
	AdminOAuthCallback       = "admin.oauth.callback"
	AdminStoreTest           = "admin.store.test"
	AdminStoreToken          = "admin.store.token"
	AdminStoreCredentials    = "admin.store.credentials"
	AdminStoreDisconnect     = "admin.store.disconnect"
	AdminStoreRemove         = "admin.store.remove"
	AdminStoreWebhookSecret  = "admin.store.webhook_secret"
	AdminStoreSubscribe      = "admin.store.subscribe"
	AdminEmbed               = "admin.embed"
	AdminEmbedReveal         = "admin.embed.reveal"
	AdminEmbedRotate         = "admin.embed.rotate"
	AdminEmbedRotateConfirm  = "admin.embed.rotate.confirm"
	AdminEmbedSettings       = "admin.embed.settings"
	AdminEmbedPreview        = "admin.embed.preview"
	AdminTroubleshoot        = "admin.troubleshoot"
	AdminTroubleshootNow     = "admin.troubleshoot.bypass"
	AdminAIActions           = "admin.ai"
	AdminAITool              = "admin.ai.tool"
	AdminAPIKeys             = "admin.apikeys"
	AdminAPIKeyCreate        = "admin.apikeys.create"
	AdminAPIKeyRevoke        = "admin.apikey.revoke"
	AdminInboxes             = "admin.inboxes"
	AdminInboxAdd            = "admin.inboxes.add"
	AdminInboxTest           = "admin.inbox.test"
	AdminInboxPackage        = "admin.inbox.package"
	AdminInboxZendeskKey     = "admin.inbox.zendesk_key"
	AdminInboxRemove         = "admin.inbox.remove"
	AdminInboxRemoveSubmit   = "admin.inbox.remove.submit"
)

// Package handlers is shopcard's HTTP layer: every route with its
// middleware, the error handler, the embedded sidebar and Shopify's
// webhooks. The admin console's handlers live in handlers/admin, the
// presenters in present; this package registers them all, in New.
package handlers

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"shopcard/domain"
	"shopcard/handlers/admin"
	"shopcard/handlers/aiapi"
	"shopcard/handlers/route"
	"shopcard/static"
	"shopcard/views"
	"shopcard/webhooks"
)

// sidebarStorePath is the store section fragment's route.
const sidebarStorePath = "/sidebar/stores/:store"

// Server is what New registers: the parts that are always served, and the
// optional ones, each served only when set. Each handler gets only its own
// part.
type Server struct {
	Logger  *slog.Logger
	Metrics Metrics
	Static  *static.Files
	// Ready answers /readyz.
	Ready Pinger
	// MetricsToken, when set, opens /metrics on this port to its bearer;
	// without it this port serves no metrics (they name every store).
	MetricsToken domain.Secret
	// TrustedProxies are the reverse proxies whose X-Forwarded-For names
	// the client; without them the connecting address does.
	TrustedProxies []*net.IPNet

	Sidebar *Sidebar
	// Apps, when set, serves the helpdesk apps under /apps, framed by the
	// origins of each request's installation.
	Apps          *Apps
	Installations InstallationFinder
	// FrameAncestors are the origins allowed to embed the sidebar unless
	// a workspace names its own.
	FrameAncestors []string
	// ReadScope, when set, marks a sidebar request's context so that its
	// reads of workspaces and stores see the database as of its first one
	// (sqlite.WithReadScope).
	ReadScope func(context.Context) context.Context
	Webhooks  WebhookReceiver

	// Admin, when set, serves the admin console under /admin.
	Admin *Admin
	// AI, when set, serves the AI actions: the MCP server at /mcp and its
	// JSON mirror under /api/v1.
	AI *AIActions
	// Gallery, when set, serves the component gallery at /dev/components
	// (dev and demo modes).
	Gallery Gallery
	// Demo, when set, serves the inbox simulator at /demo.
	Demo *DemoInbox
	// Now is the clock of the demo and the gallery.
	Now func() time.Time
}

// Admin is the admin console's areas. OAuth and webhook subscriptions
// are optional: their routes are registered only when they are set.
type Admin struct {
	Sessions     *admin.Sessions
	SignIn       *admin.SignIn
	Stores       *admin.Stores
	OAuth        *admin.OAuth
	Embed        *admin.Embed
	Troubleshoot *admin.Troubleshoot
	AIActions    *admin.AIActions
	APIKeys      *admin.APIKeys
	Inboxes      *admin.Inboxes
	// FormActions are the origins admin forms may post to besides
	// shopcard: Shopify's, for OAuth.
	FormActions []string
}

// AIActions is the MCP server, its JSON mirror and the OpenAPI document:
// one key, one authentication, one implementation of the tools.
type AIActions struct {
	Keys    aiapi.Keys
	MCP     *aiapi.MCP
	JSON    *aiapi.JSON
	OpenAPI *aiapi.OpenAPI
}

// New builds the HTTP server: every route shopcard serves is listed here,
// with its middleware.
func New(s Server) *echo.Echo {
	assets := Assets(s.Static)
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.HTTPErrorHandler = errorHandler(s.Logger, s.Metrics, assets)
	e.IPExtractor = ipExtractor(s.TrustedProxies)

	e.Use(recoverPanics(s.Logger))
	e.Use(requestLog(s.Logger, s.Metrics))
	e.Use(baseHeaders)
	e.Use(compress())

	// Operations.
	e.GET("/healthz", healthz).Name = route.Healthz
	e.GET("/readyz", readyz(s.Ready)).Name = route.Readyz
	e.GET("/metrics", publicMetrics(s.Metrics.Handler(), s.MetricsToken)).Name = route.Metrics
	e.GET(static.Prefix+"*", echo.WrapHandler(s.Static)).Name = route.Static

	// The embedded sidebar: a page, then one fragment per store.
	// The group has a prefix: Echo runs a group's middleware for unmatched
	// paths under it too, so an empty prefix would frame every 404.
	sidebar := e.Group("/sidebar", readScope(s.ReadScope), frameableBy(s.Sidebar.Tokens, s.Sidebar.Workspaces, s.FrameAncestors))
	sidebar.GET("", s.Sidebar.Page).Name = route.Sidebar
	sidebar.GET(strings.TrimPrefix(sidebarStorePath, "/sidebar"), s.Sidebar.Section).Name = route.SidebarStore
	sidebar.GET(strings.TrimPrefix(sidebarStorePath, "/sidebar")+"/orders/:order", s.Sidebar.Order).Name = route.SidebarOrder
	sidebar.GET("/orders", s.Sidebar.SearchOrders).Name = route.SidebarOrders

	// The AI actions: a workspace's API key on every request but the
	// OpenAPI document, checked before any body is read; never framed.
	if ai := s.AI; ai != nil {
		authenticated := aiapi.Authenticate(ai.Keys, s.Now, s.Logger)
		mcp := ai.MCP.Handler()
		for _, method := range []string{http.MethodPost, http.MethodGet, http.MethodDelete} {
			// GET and DELETE reach the SDK, which answers that a
			// stateless server takes POST only.
			e.Add(method, "/mcp", mcp, authenticated).Name = route.MCP
		}
		e.GET("/api/v1/openapi.json", ai.OpenAPI.Serve).Name = route.APIOpenAPI
		tools := e.Group("/api/v1/tools", authenticated)
		tools.GET("", ai.JSON.List).Name = route.APITools
		tools.POST("/:name", ai.JSON.Call).Name = route.APITool
	}

	// The helpdesk apps: each checks its helpdesk's proof, then opens the
	// sidebar for the contact the helpdesk's API names. Bodies are small
	// forms (Zendesk's token, a reference and a grant).
	if s.Apps != nil {
		apps := e.Group("/apps", middleware.BodyLimit("64K"), frameableByInstallation(s.Installations, s.FrameAncestors))
		apps.GET("/chatwoot", s.Apps.Chatwoot).Name = route.AppChatwoot
		apps.GET("/helpscout", s.Apps.HelpScout).Name = route.AppHelpScout
		apps.GET("/front", s.Apps.Front).Name = route.AppFront
		apps.POST("/zendesk", s.Apps.Zendesk).Name = route.AppZendesk
		apps.POST("/:kind/sidebar", s.Apps.SidebarFor).Name = route.AppSidebar
	}

	// The admin console: top-level pages, never framed. Every route but
	// sign-in needs a session (signedIn), and every POST a CSRF token,
	// which signedIn checks. Every form's body is bounded (limits.go)
	// before anything, the CSRF check included, parses it, so a POST's
	// limit comes before signedIn.
	if a := s.Admin; a != nil {
		g := e.Group("/admin", admin.Headers(a.FormActions...))
		signedIn := a.Sessions.Require()
		form := func(maxBytes int64) []echo.MiddlewareFunc {
			return []echo.MiddlewareFunc{limitForm(maxBytes), signedIn}
		}
		g.GET("/signin", a.SignIn.Page).Name = route.AdminSignIn
		g.POST("/signin", a.SignIn.Submit, limitForm(signInFormBytes)).Name = route.AdminSignInSubmit

		g.GET("", admin.Home, signedIn).Name = route.AdminHome
		g.POST("/signout", a.SignIn.SignOut, form(smallFormBytes)...).Name = route.AdminSignOut
		g.GET("/stores", a.Stores.Page, signedIn).Name = route.AdminStores
		g.POST("/stores", a.Stores.Connect, form(credentialFormBytes)...).Name = route.AdminConnect
		g.POST("/stores/dev-dashboard", a.Stores.ConnectDevDashboard, form(credentialFormBytes)...).Name = route.AdminConnectDevDashboard
		if a.OAuth != nil {
			g.POST("/stores/oauth", a.OAuth.Start, form(credentialFormBytes)...).Name = route.AdminOAuthStart
			g.GET("/oauth/callback", a.OAuth.Callback, signedIn).Name = route.AdminOAuthCallback
		}
		g.POST("/stores/:store/test", a.Stores.Test, form(smallFormBytes)...).Name = route.AdminStoreTest
		g.POST("/stores/:store/token", a.Stores.ReplaceToken, form(credentialFormBytes)...).Name = route.AdminStoreToken
		g.POST("/stores/:store/credentials", a.Stores.ReplaceCredentials, form(credentialFormBytes)...).Name = route.AdminStoreCredentials
		g.GET("/stores/:store/disconnect", a.Stores.ConfirmDisconnect, signedIn).Name = route.AdminStoreDisconnect
		g.POST("/stores/:store/disconnect", a.Stores.Disconnect, form(smallFormBytes)...).Name = route.AdminStoreRemove
		g.POST("/stores/:store/webhook-secret", a.Stores.SaveWebhookSecret, form(credentialFormBytes)...).Name = route.AdminStoreWebhookSecret
		if a.Stores.Subscribe != nil {
			g.POST("/stores/:store/webhooks", a.Stores.SubscribeWebhooks, form(smallFormBytes)...).Name = route.AdminStoreSubscribe
		}
		g.GET("/embed", a.Embed.Page, signedIn).Name = route.AdminEmbed
		g.GET("/embed/secret", a.Embed.Secret, signedIn).Name = route.AdminEmbedReveal
		g.GET("/embed/secret/rotate", a.Embed.ConfirmRotate, signedIn).Name = route.AdminEmbedRotateConfirm
		g.POST("/embed/secret/rotate", a.Embed.Rotate, form(smallFormBytes)...).Name = route.AdminEmbedRotate
		g.POST("/embed/settings", a.Embed.SaveSettings, form(settingsFormBytes)...).Name = route.AdminEmbedSettings
		g.GET("/embed/preview", a.Embed.Preview, signedIn).Name = route.AdminEmbedPreview
		g.GET("/troubleshoot", a.Troubleshoot.Page, signedIn).Name = route.AdminTroubleshoot
		g.POST("/troubleshoot", a.Troubleshoot.Bypass, form(credentialFormBytes)...).Name = route.AdminTroubleshootNow
		g.GET("/ai", a.AIActions.Page, signedIn).Name = route.AdminAIActions
		g.POST("/ai/tools/:tool", a.AIActions.Switch, form(smallFormBytes)...).Name = route.AdminAITool
		g.GET("/api-keys", a.APIKeys.Page, signedIn).Name = route.AdminAPIKeys
		g.POST("/api-keys", a.APIKeys.Create, form(smallFormBytes)...).Name = route.AdminAPIKeyCreate
		g.POST("/api-keys/:key/revoke", a.APIKeys.Revoke, form(smallFormBytes)...).Name = route.AdminAPIKeyRevoke
		g.GET("/inboxes", a.Inboxes.Page, signedIn).Name = route.AdminInboxes
		g.POST("/inboxes", a.Inboxes.Add, form(credentialFormBytes)...).Name = route.AdminInboxAdd
		g.POST("/inboxes/:install/test", a.Inboxes.Test, form(smallFormBytes)...).Name = route.AdminInboxTest
		g.GET("/inboxes/:install/package", a.Inboxes.Package, signedIn).Name = route.AdminInboxPackage
		g.POST("/inboxes/:install/zendesk-key", a.Inboxes.SaveZendeskKey, form(credentialFormBytes)...).Name = route.AdminInboxZendeskKey
		g.GET("/inboxes/:install/remove", a.Inboxes.ConfirmRemove, signedIn).Name = route.AdminInboxRemove
		g.POST("/inboxes/:install/remove", a.Inboxes.Remove, form(smallFormBytes)...).Name = route.AdminInboxRemoveSubmit
	}
	// Shopify's webhooks: signed by Shopify, not by a session, so no CSRF
	// token; never framed.
	e.POST(webhooks.Path, shopifyWebhook(s.Webhooks)).Name = route.Webhooks

	// The component gallery, for designers: dev and demo modes only.
	if s.Gallery != nil {
		e.GET("/dev/components", componentGallery(s.Gallery, s.Static, s.Now)).Name = route.Gallery
	}

	// The inbox simulator, in demo mode only.
	if s.Demo != nil {
		e.GET("/demo", s.Demo.page(assets, s.Now)).Name = route.Demo
		e.GET("/demo/:helpdesk", s.Demo.helpdesk).Name = route.DemoHelpdesk
		e.GET("/", func(c echo.Context) error {
			return c.Redirect(http.StatusSeeOther, c.Echo().Reverse(route.Demo))
		}).Name = route.Home
	} else {
		e.GET("/", home).Name = route.Home
	}
	return e
}

// Assets are the versioned static URLs pages link.
func Assets(files *static.Files) views.Assets {
	return views.Assets{CSS: files.URL("app.css"), HTMX: files.URL("htmx.min.js"), JS: files.URL("sidebar.js")}
}

// AdminAssets are the admin console's: the stylesheet and its own script
// (copy buttons, one-click fills); it needs no htmx.
func AdminAssets(files *static.Files) views.Assets {
	return views.Assets{CSS: files.URL("app.css"), JS: files.URL("admin.js")}
}

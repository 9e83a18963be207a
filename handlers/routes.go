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

	"shopcard/handlers/admin"
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
	// TrustedProxies are the reverse proxies whose X-Forwarded-For names
	// the client; without them the connecting address does.
	TrustedProxies []*net.IPNet

	Sidebar *Sidebar
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
	// FormActions are the origins admin forms may post to besides
	// shopcard: Shopify's, for OAuth.
	FormActions []string
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
	e.GET("/metrics", echo.WrapHandler(s.Metrics.Handler())).Name = route.Metrics
	e.GET(static.Prefix+"*", echo.WrapHandler(s.Static)).Name = route.Static

	// The embedded sidebar: a page, then one fragment per store.
	// The group has a prefix: Echo runs a group's middleware for unmatched
	// paths under it too, so an empty prefix would frame every 404.
	sidebar := e.Group("/sidebar", readScope(s.ReadScope), frameableBy(s.Sidebar.Tokens, s.Sidebar.Workspaces, s.FrameAncestors))
	sidebar.GET("", s.Sidebar.Page).Name = route.Sidebar
	sidebar.GET(strings.TrimPrefix(sidebarStorePath, "/sidebar"), s.Sidebar.Section).Name = route.SidebarStore
	sidebar.GET(strings.TrimPrefix(sidebarStorePath, "/sidebar")+"/orders/:order", s.Sidebar.Order).Name = route.SidebarOrder

	// The admin console: top-level pages, never framed. Every route but
	// sign-in needs a session, and every POST a CSRF token.
	if a := s.Admin; a != nil {
		headers := admin.Headers(a.FormActions...)
		public := e.Group("/admin", headers)
		public.GET("/signin", a.SignIn.Page).Name = route.AdminSignIn
		public.POST("/signin", a.SignIn.Submit).Name = route.AdminSignInSubmit

		g := e.Group("/admin", headers, a.Sessions.Require())
		g.GET("", admin.Home).Name = route.AdminHome
		g.POST("/signout", a.SignIn.SignOut).Name = route.AdminSignOut
		g.GET("/stores", a.Stores.Page).Name = route.AdminStores
		g.POST("/stores", a.Stores.Connect).Name = route.AdminConnect
		if a.OAuth != nil {
			g.POST("/stores/oauth", a.OAuth.Start).Name = route.AdminOAuthStart
			g.GET("/oauth/callback", a.OAuth.Callback).Name = route.AdminOAuthCallback
		}
		g.POST("/stores/:store/test", a.Stores.Test).Name = route.AdminStoreTest
		g.POST("/stores/:store/token", a.Stores.ReplaceToken).Name = route.AdminStoreToken
		g.GET("/stores/:store/disconnect", a.Stores.ConfirmDisconnect).Name = route.AdminStoreDisconnect
		g.POST("/stores/:store/disconnect", a.Stores.Disconnect).Name = route.AdminStoreRemove
		g.POST("/stores/:store/webhook-secret", a.Stores.SaveWebhookSecret).Name = route.AdminStoreWebhookSecret
		if a.Stores.Subscribe != nil {
			g.POST("/stores/:store/webhooks", a.Stores.SubscribeWebhooks).Name = route.AdminStoreSubscribe
		}
		g.GET("/embed", a.Embed.Page).Name = route.AdminEmbed
		g.POST("/embed/secret", a.Embed.Reveal).Name = route.AdminEmbedReveal
		g.POST("/embed/secret/rotate", a.Embed.Rotate).Name = route.AdminEmbedRotate
		g.POST("/embed/settings", a.Embed.SaveSettings).Name = route.AdminEmbedSettings
		g.GET("/embed/preview", a.Embed.Preview).Name = route.AdminEmbedPreview
		g.GET("/troubleshoot", a.Troubleshoot.Page).Name = route.AdminTroubleshoot
		g.POST("/troubleshoot", a.Troubleshoot.Bypass).Name = route.AdminTroubleshootNow
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

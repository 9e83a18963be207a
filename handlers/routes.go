package handlers

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"shopcard/static"
	"shopcard/webhooks"
)

// Route names. Views and handlers build URLs from these with Echo's Reverse,
// never from hand-typed paths.
const (
	RouteHealthz      = "healthz"
	RouteReadyz       = "readyz"
	RouteMetrics      = "metrics"
	RouteStatic       = "static"
	RouteSidebar      = "sidebar"
	RouteSidebarStore = "sidebar.store"
	RouteHome         = "home"
	RouteDemo         = "demo"
	RouteGallery      = "dev.components"

	// The admin console.
	RouteAdminHome               = "admin"
	RouteAdminSignIn             = "admin.signin"
	RouteAdminSignInSubmit       = "admin.signin.submit"
	RouteAdminSignOut            = "admin.signout"
	RouteAdminStores             = "admin.stores"
	RouteAdminConnect            = "admin.stores.connect"
	RouteAdminOAuthStart         = "admin.stores.oauth"
	RouteAdminOAuthCallback      = "admin.oauth.callback"
	RouteAdminStoreTest          = "admin.store.test"
	RouteAdminStoreToken         = "admin.store.token"
	RouteAdminStoreDisconnect    = "admin.store.disconnect"
	RouteAdminStoreRemove        = "admin.store.remove"
	RouteAdminStoreWebhookSecret = "admin.store.webhook_secret"
	RouteAdminStoreSubscribe     = "admin.store.subscribe"
	RouteAdminEmbed              = "admin.embed"
	RouteAdminEmbedReveal        = "admin.embed.reveal"
	RouteAdminEmbedRotate        = "admin.embed.rotate"
	RouteAdminEmbedSettings      = "admin.embed.settings"
	RouteAdminEmbedPreview       = "admin.embed.preview"
	RouteAdminTroubleshoot       = "admin.troubleshoot"
	RouteAdminTroubleshootNow    = "admin.troubleshoot.bypass"

	// Shopify's webhooks.
	RouteWebhooks = "webhooks.shopify"
)

// sidebarStorePath is the store section fragment's route.
const sidebarStorePath = "/sidebar/stores/:store"

// New builds the HTTP server: every route shopcard serves is listed here,
// with its middleware.
func New(d Deps) *echo.Echo {
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.HTTPErrorHandler = errorHandler(d)
	e.IPExtractor = ipExtractor(d.TrustedProxies)

	e.Use(recoverPanics(d.Logger))
	e.Use(requestLog(d.Logger, d.Metrics))
	e.Use(baseHeaders)
	e.Use(compress())

	// Operations.
	e.GET("/healthz", healthz).Name = RouteHealthz
	e.GET("/readyz", readyz(d.DB)).Name = RouteReadyz
	e.GET("/metrics", echo.WrapHandler(d.Metrics.Handler())).Name = RouteMetrics
	e.GET(static.Prefix+"*", echo.WrapHandler(d.Static)).Name = RouteStatic

	// The embedded sidebar: a page, then one fragment per store.
	// The group has a prefix: Echo runs a group's middleware for unmatched
	// paths under it too, so an empty prefix would frame every 404.
	sidebar := e.Group("/sidebar", readScope(d), frameableBy(d))
	sidebar.GET("", sidebarPage(d)).Name = RouteSidebar
	sidebar.GET(strings.TrimPrefix(sidebarStorePath, "/sidebar"), storeSection(d)).Name = RouteSidebarStore

	// The admin console: top-level pages, never framed. Every route but
	// sign-in needs a session, and every POST a CSRF token.
	if d.Admin != nil {
		public := e.Group("/admin", adminHeaders(d))
		public.GET("/signin", signInPage(d)).Name = RouteAdminSignIn
		public.POST("/signin", signIn(d)).Name = RouteAdminSignInSubmit

		admin := e.Group("/admin", adminHeaders(d), requireAdmin(d))
		admin.GET("", func(c echo.Context) error {
			return c.Redirect(http.StatusSeeOther, c.Echo().Reverse(RouteAdminStores))
		}).Name = RouteAdminHome
		admin.POST("/signout", signOut(d)).Name = RouteAdminSignOut
		admin.GET("/stores", storesPage(d)).Name = RouteAdminStores
		admin.POST("/stores", connectByToken(d)).Name = RouteAdminConnect
		admin.POST("/stores/oauth", startOAuth(d)).Name = RouteAdminOAuthStart
		admin.GET("/oauth/callback", oauthCallback(d)).Name = RouteAdminOAuthCallback
		admin.POST("/stores/:store/test", testStore(d)).Name = RouteAdminStoreTest
		admin.POST("/stores/:store/token", replaceToken(d)).Name = RouteAdminStoreToken
		admin.GET("/stores/:store/disconnect", confirmDisconnect(d)).Name = RouteAdminStoreDisconnect
		admin.POST("/stores/:store/disconnect", disconnectStore(d)).Name = RouteAdminStoreRemove
		admin.POST("/stores/:store/webhook-secret", saveWebhookSecret(d)).Name = RouteAdminStoreWebhookSecret
		admin.POST("/stores/:store/webhooks", subscribeWebhooks(d)).Name = RouteAdminStoreSubscribe
		admin.GET("/embed", embedPage(d)).Name = RouteAdminEmbed
		admin.POST("/embed/secret", revealSecret(d)).Name = RouteAdminEmbedReveal
		admin.POST("/embed/secret/rotate", rotateSecret(d)).Name = RouteAdminEmbedRotate
		admin.POST("/embed/settings", saveEmbedSettings(d)).Name = RouteAdminEmbedSettings
		admin.GET("/embed/preview", previewSidebar(d)).Name = RouteAdminEmbedPreview
		admin.GET("/troubleshoot", troubleshoot(d)).Name = RouteAdminTroubleshoot
		admin.POST("/troubleshoot", troubleshootBypass(d)).Name = RouteAdminTroubleshootNow
	}
	// Shopify's webhooks: signed by Shopify, not by a session, so no CSRF
	// token; never framed.
	e.POST(webhooks.Path, shopifyWebhook(d)).Name = RouteWebhooks

	// The component gallery, for designers: dev and demo modes only.
	if d.Dev || d.Demo != nil {
		e.GET("/dev/components", componentGallery(d)).Name = RouteGallery
	}

	// The inbox simulator, in demo mode only.
	if d.Demo != nil {
		e.GET("/demo", demoInbox(d)).Name = RouteDemo
		e.GET("/", func(c echo.Context) error {
			return c.Redirect(http.StatusSeeOther, c.Echo().Reverse(RouteDemo))
		}).Name = RouteHome
	} else {
		e.GET("/", home).Name = RouteHome
	}
	return e
}

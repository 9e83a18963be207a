package handlers

import (
	"net/http"

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
	RouteWebhooks     = "webhooks.shopify"
)

// New builds the HTTP server: every route shopcard serves is listed here,
// with its middleware.
func New(d Deps) *echo.Echo {
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.HTTPErrorHandler = errorHandler(d)

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
	sidebar := e.Group("", frameableBy(d.FrameAncestors))
	sidebar.GET("/sidebar", sidebarPage(d)).Name = RouteSidebar
	sidebar.GET("/sidebar/stores/:store", storeSection(d)).Name = RouteSidebarStore

	// Shopify's webhooks: signed by Shopify, not by a session, so no CSRF
	// token; never framed.
	e.POST(webhooks.Path, shopifyWebhook(d)).Name = RouteWebhooks

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

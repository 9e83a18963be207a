// Package respond writes what handlers answer with: rendered components,
// and the HTTP status each kind of error maps to. Both the sidebar and the
// admin console answer through it, so a kind means the same status
// everywhere.
package respond

import (
	"net/http"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"shopcard/domain"
)

// HTML writes a templ component as the response.
func HTML(c echo.Context, status int, page templ.Component) error {
	c.Response().Header().Set(echo.HeaderContentType, echo.MIMETextHTMLCharsetUTF8)
	c.Response().WriteHeader(status)
	return page.Render(c.Request().Context(), c.Response().Writer)
}

// Status maps an error kind to an HTTP status: the caller's mistakes to
// 4xx, Shopify's failures to 502 (504 for our own deadline), and anything
// else to 500.
func Status(kind domain.Kind) int {
	switch kind {
	case domain.KindInvalid:
		return http.StatusBadRequest
	case domain.KindUnauthorized:
		return http.StatusUnauthorized
	case domain.KindForbidden:
		return http.StatusForbidden
	case domain.KindNotFound:
		return http.StatusNotFound
	case domain.KindConflict:
		return http.StatusConflict
	case domain.KindTooManyRequests:
		return http.StatusTooManyRequests
	case domain.KindTooLarge:
		return http.StatusRequestEntityTooLarge
	case domain.KindShopifyTimeout:
		return http.StatusGatewayTimeout
	}
	if kind.FromShopify() {
		return http.StatusBadGateway
	}
	return http.StatusInternalServerError
}

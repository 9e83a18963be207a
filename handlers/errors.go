package handlers

import (
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"shopcard/domain"
	"shopcard/embedtoken"
	"shopcard/handlers/admin"
	"shopcard/handlers/respond"
	"shopcard/handlers/route"
	"shopcard/present"
	"shopcard/views"
)

// Metrics is what handlers count, and the /metrics endpoint.
type Metrics interface {
	Handler() http.Handler
	TokenRejected(reason string)
	HTTPRequest(route string, status int)
}

// errorHandler is the one place errors become responses. Domain errors
// carry a kind and a safe message; anything else is internal and logged
// with its detail, while the response says only that something went wrong.
// htmx requests get a fragment to swap in; others get a page.
func errorHandler(logger *slog.Logger, m Metrics, assets views.Assets) echo.HTTPErrorHandler {
	return func(err error, c echo.Context) {
		if c.Response().Committed {
			return
		}
		status, message := http.StatusInternalServerError, ""
		var he *echo.HTTPError
		switch {
		case errors.As(err, &he):
			status = he.Code
			if status == http.StatusNotFound {
				message = "There is nothing at this address."
			} else if status == http.StatusMethodNotAllowed {
				message = "This address doesn't accept that kind of request."
			}
		default:
			status = respond.Status(domain.KindOf(err))
			message = domain.MessageOf(err)
			var reason error
			for _, r := range embedtoken.Reasons {
				if errors.Is(err, r) {
					reason = r
				}
			}
			if reason != nil {
				m.TokenRejected(reason.Error())
			}
		}
		if status >= 500 && domain.KindOf(err) == domain.KindInternal {
			logger.LogAttrs(c.Request().Context(), slog.LevelError, "internal error",
				slog.String("route", c.Path()), slog.String("error", err.Error()))
			message = ""
		}
		if message == "" {
			message = "Something went wrong on our side. Try again in a moment."
		}
		if c.Request().Method == http.MethodHead {
			c.NoContent(status)
			return
		}
		if isAPIPath(c) {
			// Agents read JSON: the same body the API's own errors have.
			body := map[string]map[string]string{"error": {"code": codeFor(status, err), "message": message}}
			if rerr := c.JSON(status, body); rerr != nil {
				logger.Error("write error", slog.String("error", rerr.Error()))
			}
			return
		}
		var page templ.Component
		switch {
		case c.Request().Header.Get("HX-Request") == "true":
			page = views.FragmentNotice(message)
		case isAdminPath(c):
			back := ""
			if admin.SignedIn(c) {
				back = c.Echo().Reverse(route.AdminStores)
			}
			page = views.AdminErrorView(views.AdminError{Assets: assets, Title: adminTitleFor(status), Message: message, BackURL: back})
		default:
			page = views.RejectionPage(views.Rejection{Assets: assets, Theme: themeOf(c), Title: present.RejectionTitle(status), Message: message})
		}
		if rerr := respond.HTML(c, status, page); rerr != nil {
			logger.Error("render error page", slog.String("error", rerr.Error()))
		}
	}
}

// isAPIPath reports whether a request is for the MCP server or the JSON
// API, whose errors are JSON.
func isAPIPath(c echo.Context) bool {
	p := c.Request().URL.Path
	return p == "/mcp" || strings.HasPrefix(p, "/api/")
}

// codeFor names an error for the JSON API: its kind, or its status.
func codeFor(status int, err error) string {
	var he *echo.HTTPError
	switch {
	case errors.As(err, &he) && status == http.StatusNotFound:
		return "not_found"
	case errors.As(err, &he) && status == http.StatusMethodNotAllowed:
		return "method_not_allowed"
	case errors.As(err, &he) && status == http.StatusRequestEntityTooLarge:
		return "too_large"
	case errors.As(err, &he):
		return strings.ToLower(strings.ReplaceAll(http.StatusText(status), " ", "_"))
	}
	return domain.KindOf(err).String()
}

// isAdminPath reports whether a request is for the admin console, whose
// errors are pages of their own rather than the sidebar's.
func isAdminPath(c echo.Context) bool {
	p := c.Request().URL.Path
	return p == "/admin" || strings.HasPrefix(p, "/admin/")
}

// adminTitleFor is the heading of an admin error page.
func adminTitleFor(status int) string {
	if status == http.StatusBadRequest {
		return "That didn't work"
	}
	return present.RejectionTitle(status)
}

package handlers

import (
	"context"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
)

// Pinger reports whether the database answers and its secrets open.
type Pinger interface {
	Ping(ctx context.Context) error
}

// healthz answers while the process is up.
func healthz(c echo.Context) error {
	return c.String(http.StatusOK, "ok\n")
}

// readyz answers when the database can be read and its secrets opened
// with the key shopcard has: a server that could do neither would fail
// every page.
func readyz(db Pinger) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx, cancel := context.WithTimeout(c.Request().Context(), 2*time.Second)
		defer cancel()
		if err := db.Ping(ctx); err != nil {
			return c.String(http.StatusServiceUnavailable, "not ready: the database can't be read, or its secrets can't be opened with this key\n")
		}
		return c.String(http.StatusOK, "ready\n")
	}
}

// home tells a visitor what this server is.
func home(c echo.Context) error {
	return c.String(http.StatusOK, "shopcard is running. Inboxes embed /sidebar?token=…; admins sign in at /admin. See the README.\n")
}

package handlers

import (
	"crypto/subtle"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"shopcard/domain"
)

// metricsRefusal is what the public port says at /metrics without a
// token configured: its series name every tenant's shops.
const metricsRefusal = "Metrics aren't served on this port: they name every store. They are on SHOPCARD_METRICS_ADDR (loopback by default), " +
	"or here with a bearer token once SHOPCARD_METRICS_TOKEN is set.\n"

// publicMetrics serves /metrics on the public port: only to a bearer of
// token, and not at all without one configured.
func publicMetrics(h http.Handler, token domain.Secret) echo.HandlerFunc {
	protected := MetricsHandler(h, token)
	return func(c echo.Context) error {
		if token.IsZero() {
			return c.String(http.StatusNotFound, metricsRefusal)
		}
		protected.ServeHTTP(c.Response(), c.Request())
		return nil
	}
}

// MetricsHandler is h behind token: a request must carry
// "Authorization: Bearer <token>", compared in constant time. A zero token
// lets every request through: the metrics listener, on loopback, is then
// guarded by where it listens.
func MetricsHandler(h http.Handler, token domain.Secret) http.Handler {
	if token.IsZero() {
		return h
	}
	want := []byte(token.Reveal())
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		scheme, got, _ := strings.Cut(r.Header.Get("Authorization"), " ")
		if !strings.EqualFold(scheme, "Bearer") || subtle.ConstantTimeCompare([]byte(strings.TrimSpace(got)), want) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="shopcard metrics"`)
			http.Error(w, "Metrics need the bearer token SHOPCARD_METRICS_TOKEN names.", http.StatusUnauthorized)
			return
		}
		h.ServeHTTP(w, r)
	})
}

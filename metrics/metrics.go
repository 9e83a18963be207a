// Package metrics exposes shopcard's Prometheus metrics. Each Metrics value
// owns its registry, so tests and parallel servers never share counters.
package metrics

import (
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics holds every metric shopcard exports.
type Metrics struct {
	registry *prometheus.Registry

	shopifyRequests *prometheus.CounterVec
	shopifyLatency  *prometheus.HistogramVec
	shopifyPoints   *prometheus.CounterVec
	cacheRequests   *prometheus.CounterVec
	tokenRejections *prometheus.CounterVec
	httpRequests    *prometheus.CounterVec
}

// New registers shopcard's metrics, plus Go runtime and process metrics, in
// a fresh registry.
func New() *Metrics {
	m := &Metrics{
		registry: prometheus.NewRegistry(),
		shopifyRequests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "shopcard_shopify_requests_total",
			Help: "HTTP requests to the Shopify Admin API, by store and outcome (ok, or the error kind).",
		}, []string{"store", "outcome"}),
		shopifyLatency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "shopcard_shopify_request_duration_seconds",
			Help:    "Latency of requests to the Shopify Admin API, by store.",
			Buckets: []float64{.05, .1, .2, .3, .5, .75, 1, 1.5, 2, 3, 5, 8, 13},
		}, []string{"store"}),
		shopifyPoints: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "shopcard_shopify_query_points_total",
			Help: "Query cost points Shopify charged, by store.",
		}, []string{"store"}),
		cacheRequests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "shopcard_cache_requests_total",
			Help: "Customer lookups answered from the cache (hit) or sent on to Shopify (miss).",
		}, []string{"result"}),
		tokenRejections: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "shopcard_embed_token_rejections_total",
			Help: "Embed tokens refused, by reason.",
		}, []string{"reason"}),
		httpRequests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "shopcard_http_requests_total",
			Help: "HTTP requests served, by route name and status class.",
		}, []string{"route", "code"}),
	}
	m.registry.MustRegister(
		m.shopifyRequests, m.shopifyLatency, m.shopifyPoints, m.cacheRequests, m.tokenRejections, m.httpRequests,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	for _, r := range []string{"hit", "miss"} {
		m.cacheRequests.WithLabelValues(r)
	}
	return m
}

// Registry returns the registry, for packages that add their own metrics.
func (m *Metrics) Registry() *prometheus.Registry { return m.registry }

// Handler serves the metrics in Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
}

// ObserveShopifyRequest implements shopify.Observer.
func (m *Metrics) ObserveShopifyRequest(store, outcome string, elapsed time.Duration, cost int) {
	m.shopifyRequests.WithLabelValues(store, outcome).Inc()
	m.shopifyLatency.WithLabelValues(store).Observe(elapsed.Seconds())
	if cost > 0 {
		m.shopifyPoints.WithLabelValues(store).Add(float64(cost))
	}
}

// CacheResult implements cache.Recorder.
func (m *Metrics) CacheResult(result string) { m.cacheRequests.WithLabelValues(result).Inc() }

// TokenRejected counts a refused embed token.
func (m *Metrics) TokenRejected(reason string) { m.tokenRejections.WithLabelValues(reason).Inc() }

// HTTPRequest counts a served request.
func (m *Metrics) HTTPRequest(route string, status int) {
	m.httpRequests.WithLabelValues(route, statusClass(status)).Inc()
}

func statusClass(status int) string {
	switch {
	case status >= 500:
		return "5xx"
	case status >= 400:
		return "4xx"
	case status >= 300:
		return "3xx"
	default:
		return "2xx"
	}
}

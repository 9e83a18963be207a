// Package metrics exposes shopcard's Prometheus metrics. Each Metrics value
// owns its registry, so tests and parallel servers never share counters.
package metrics

import (
	"context"
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
	throttleWaits   *prometheus.HistogramVec
	throttled       *prometheus.CounterVec
	shopifyRetries  *prometheus.CounterVec
	throttleRefused *prometheus.CounterVec
	cacheRequests   *prometheus.CounterVec
	staleAnswers    *prometheus.CounterVec
	webhooks        *prometheus.CounterVec
	tokenRejections *prometheus.CounterVec
	httpRequests    *prometheus.CounterVec
	aiToolCalls     *prometheus.CounterVec
	replicas        replicaMetrics
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
		throttleWaits: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "shopcard_shopify_throttle_wait_seconds",
			Help:    "Time requests waited for a store's rate limit (our estimate of its leaky bucket) before being sent, by store and reason (refill: too few points free; probe: waiting for the answer that corrects a stale estimate).",
			Buckets: []float64{.05, .1, .25, .5, 1, 2, 4, 8},
		}, []string{"store", "reason"}),
		throttled: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "shopcard_shopify_throttled_total",
			Help: "Answers in which Shopify itself said THROTTLED, by store: requests the local estimate let through without the points.",
		}, []string{"store"}),
		shopifyRetries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "shopcard_shopify_retries_total",
			Help: "Requests to Shopify sent again, by store and reason (throttled, 429, 5xx, network_error).",
		}, []string{"store", "reason"}),
		throttleRefused: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "shopcard_shopify_throttle_refusals_total",
			Help: "Requests to Shopify refused without being sent, because the store's bucket estimate had no points for them before their deadline, by store.",
		}, []string{"store"}),
		staleAnswers: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "shopcard_stale_answers_total",
			Help: "Answers served from the last good copy because Shopify did not answer, by store.",
		}, []string{"store"}),
		webhooks: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "shopcard_webhook_deliveries_total",
			Help: "Shopify webhook deliveries received, by topic and outcome (processed, duplicate, unauthorized, ignored, invalid, error).",
		}, []string{"topic", "outcome"}),
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
		aiToolCalls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "shopcard_ai_tool_calls_total",
			Help: "AI action calls over MCP and the JSON API, by tool and outcome (ok, or the error code).",
		}, []string{"tool", "outcome"}),
	}
	m.registry.MustRegister(
		m.shopifyRequests, m.shopifyLatency, m.shopifyPoints, m.throttleWaits, m.throttled, m.shopifyRetries, m.throttleRefused, m.cacheRequests,
		m.staleAnswers, m.webhooks, m.tokenRejections, m.httpRequests, m.aiToolCalls,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	for _, r := range []string{"hit", "miss"} {
		m.cacheRequests.WithLabelValues(r)
	}
	m.replicas = newReplicaMetrics(m.registry)
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

// ObserveShopifyThrottleWait implements shopify.Observer.
func (m *Metrics) ObserveShopifyThrottleWait(store, reason string, waited time.Duration) {
	m.throttleWaits.WithLabelValues(store, reason).Observe(waited.Seconds())
}

// ObserveShopifyThrottled implements shopify.Observer.
func (m *Metrics) ObserveShopifyThrottled(store string) {
	m.throttled.WithLabelValues(store).Inc()
}

// ObserveShopifyRetry implements shopify.Observer.
func (m *Metrics) ObserveShopifyRetry(store, reason string) {
	m.shopifyRetries.WithLabelValues(store, reason).Inc()
}

// ObserveShopifyThrottleRefusal implements shopify.Observer.
func (m *Metrics) ObserveShopifyThrottleRefusal(store string) {
	m.throttleRefused.WithLabelValues(store).Inc()
}

// AIToolCall implements ai.Recorder. The tool is one of the tools'
// names or "unknown", and the outcome one of a fixed set of codes, so
// callers cannot grow the label set.
func (m *Metrics) AIToolCall(tool, outcome string) {
	m.aiToolCalls.WithLabelValues(tool, outcome).Inc()
}

// StaleServed implements cache.Recorder.
func (m *Metrics) StaleServed(store string) { m.staleAnswers.WithLabelValues(store).Inc() }

// WebhookDelivery counts a webhook delivery. topic must come from a fixed
// set (the webhooks package maps anything else to "other"), so that forged
// requests cannot grow the label space.
func (m *Metrics) WebhookDelivery(topic, outcome string) {
	m.webhooks.WithLabelValues(topic, outcome).Inc()
}

// StoreStatusCounter counts store connections by status, for the
// shopcard_store_connections gauge; the database implements it.
type StoreStatusCounter func(ctx context.Context) (map[string]int, error)

// WatchStoreConnections exports shopcard_store_connections{status}, read
// from count at every scrape so it is never out of date.
func (m *Metrics) WatchStoreConnections(count StoreStatusCounter, statuses []string) {
	m.registry.MustRegister(&storeConnections{count: count, statuses: statuses, desc: prometheus.NewDesc(
		"shopcard_store_connections", "Store connections by status (healthy, needs_reconnect, frozen, locked, disconnected).",
		[]string{"status"}, nil)})
}

type storeConnections struct {
	count    StoreStatusCounter
	statuses []string
	desc     *prometheus.Desc
}

func (c *storeConnections) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

func (c *storeConnections) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	counts, err := c.count(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(c.desc, err)
		return
	}
	seen := map[string]bool{}
	for _, s := range c.statuses {
		seen[s] = true
		ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, float64(counts[s]), s)
	}
	for s, n := range counts {
		if !seen[s] {
			ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, float64(n), s)
		}
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

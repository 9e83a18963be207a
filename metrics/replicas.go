package metrics

import "github.com/prometheus/client_golang/prometheus"

// replicaMetrics count what one replica of several (on PostgreSQL) tells
// the others and hears from them. Each replica exports its own: scrape
// every replica.
type replicaMetrics struct {
	invalidations *prometheus.CounterVec
	flushes       *prometheus.CounterVec
	listening     prometheus.Gauge
}

func newReplicaMetrics(r *prometheus.Registry) replicaMetrics {
	m := replicaMetrics{
		invalidations: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "shopcard_invalidations_total",
			Help: "Cache invalidations this replica published to the others (sent), applied from another (received) or failed to publish (failed), by kind (evict, purge, purge_store, reads).",
		}, []string{"direction", "kind"}),
		flushes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "shopcard_cache_flushes_total",
			Help: "Times this replica emptied its caches because it may have missed invalidations, by reason (listener_reconnect: its listening connection dropped and came back).",
		}, []string{"reason"}),
		listening: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "shopcard_invalidation_listener_up",
			Help: "1 while this replica listens for the others' invalidations (PostgreSQL), 0 while it cannot; /readyz fails meanwhile.",
		}),
	}
	r.MustRegister(m.invalidations, m.flushes, m.listening)
	m.flushes.WithLabelValues("listener_reconnect")
	return m
}

// Invalidation counts an invalidation sent, received or failed to send.
func (m *Metrics) Invalidation(direction, kind string) {
	m.replicas.invalidations.WithLabelValues(direction, kind).Inc()
}

// CacheFlushed counts the caches emptied for a reason.
func (m *Metrics) CacheFlushed(reason string) { m.replicas.flushes.WithLabelValues(reason).Inc() }

// Listening records whether the invalidation listener is up.
func (m *Metrics) Listening(up bool) {
	if up {
		m.replicas.listening.Set(1)
	} else {
		m.replicas.listening.Set(0)
	}
}

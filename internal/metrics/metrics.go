package metrics

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// Metrics holds every collector Rampart exports. All methods are safe on a nil receiver.
type Metrics struct {
	Registry *prometheus.Registry

	requests       *prometheus.CounterVec // decision, protocol
	signals        *prometheus.CounterVec // signal
	inspect        prometheus.Histogram   // seconds per inspection
	upstreamErrors *prometheus.CounterVec // upstream
	wsConns        prometheus.Gauge       // open proxied WebSocket connections
	wsMessages     *prometheus.CounterVec // decision
	reloads        *prometheus.CounterVec // result
	eventsDropped  prometheus.Counter     // events dropped because a sink was slow
	upstreamUp     *prometheus.GaugeVec   // upstream
	configInfo     *prometheus.GaugeVec   // mode
	inflight       prometheus.Gauge       // requests being handled
	responseStatus *prometheus.CounterVec // code class
	ruleMatches    *prometheus.CounterVec // rule
	flags          prometheus.Counter     // IPs flagged by thresholds
}

// New creates the collectors and registers them, with the Go and process collectors, on
// a fresh registry.
func New() *Metrics {
	m := &Metrics{Registry: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "rampart_requests_total",
		Help: "Requests and WebSocket handshakes judged, by decision.",
	}, []string{"decision"})
	m.signals = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "rampart_signals_total",
		Help: "Signals found on requests and WebSocket messages, by signal name.",
	}, []string{"signal"})
	m.inspect = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name:    "rampart_inspection_duration_seconds",
		Help:    "Time spent in the inspection engine per request or message.",
		Buckets: []float64{5e-6, 10e-6, 25e-6, 50e-6, 100e-6, 250e-6, 500e-6, 1e-3, 5e-3, 25e-3},
	})
	m.upstreamErrors = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "rampart_upstream_errors_total",
		Help: "Requests that failed to reach an upstream or get its response.",
	}, []string{"upstream"})
	m.upstreamUp = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "rampart_upstream_up",
		Help: "1 when the upstream is considered healthy, 0 while it is held out after failures.",
	}, []string{"upstream"})
	m.wsConns = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "rampart_websocket_connections",
		Help: "Open proxied WebSocket connections.",
	})
	m.wsMessages = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "rampart_websocket_messages_total",
		Help: "Client WebSocket messages judged, by decision.",
	}, []string{"decision"})
	m.reloads = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "rampart_config_reloads_total",
		Help: "Configuration reloads, by result (ok or error).",
	}, []string{"result"})
	m.eventsDropped = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "rampart_events_dropped_total",
		Help: "Events not written because the sink could not keep up.",
	})
	m.configInfo = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "rampart_config_info",
		Help: "Always 1; the labels describe the configuration in force.",
	}, []string{"mode"})
	m.inflight = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "rampart_requests_in_flight",
		Help: "HTTP requests being handled right now.",
	})
	m.responseStatus = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "rampart_responses_total",
		Help: "Responses sent to clients, by status class (2xx, 3xx, 4xx, 5xx).",
	}, []string{"code"})
	m.ruleMatches = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "rampart_rule_matches_total",
		Help: "Rules and rate limits that acted on a request or WebSocket message, by rule ID.",
	}, []string{"rule"})
	m.flags = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "rampart_ip_flags_total",
		Help: "Client IPs flagged by the attack thresholds.",
	})
	m.Registry.MustRegister(m.ruleMatches, m.flags)
	m.Registry.MustRegister(m.requests, m.signals, m.inspect, m.upstreamErrors, m.upstreamUp,
		m.wsConns, m.wsMessages, m.reloads, m.eventsDropped, m.configInfo, m.inflight, m.responseStatus,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Request records one judged request and the time inspection took.
func (m *Metrics) Request(decision string, took time.Duration) {
	if m == nil {
		return
	}
	m.requests.WithLabelValues(decision).Inc()
	if took > 0 {
		m.inspect.Observe(took.Seconds())
	}
}

// Signal records one signal found.
func (m *Metrics) Signal(name string) {
	if m == nil {
		return
	}
	m.signals.WithLabelValues(name).Inc()
}

// UpstreamError records a failed upstream round trip.
func (m *Metrics) UpstreamError(upstream string) {
	if m == nil {
		return
	}
	m.upstreamErrors.WithLabelValues(upstream).Inc()
}

// UpstreamUp records whether an upstream is in rotation.
func (m *Metrics) UpstreamUp(upstream string, up bool) {
	if m == nil {
		return
	}
	v := 0.0
	if up {
		v = 1
	}
	m.upstreamUp.WithLabelValues(upstream).Set(v)
}

// WebSocketOpen adds delta (+1 or -1) to the open WebSocket gauge.
func (m *Metrics) WebSocketOpen(delta int) {
	if m == nil {
		return
	}
	m.wsConns.Add(float64(delta))
}

// WebSocketMessage records one judged client message.
func (m *Metrics) WebSocketMessage(decision string, took time.Duration) {
	if m == nil {
		return
	}
	m.wsMessages.WithLabelValues(decision).Inc()
	if took > 0 {
		m.inspect.Observe(took.Seconds())
	}
}

// Reload records a config reload attempt.
func (m *Metrics) Reload(ok bool) {
	if m == nil {
		return
	}
	if ok {
		m.reloads.WithLabelValues("ok").Inc()
	} else {
		m.reloads.WithLabelValues("error").Inc()
	}
}

// EventDropped records an event a sink had no room for.
func (m *Metrics) EventDropped() {
	if m == nil {
		return
	}
	m.eventsDropped.Inc()
}

// ConfigMode publishes the mode in force.
func (m *Metrics) ConfigMode(mode string) {
	if m == nil {
		return
	}
	m.configInfo.Reset()
	m.configInfo.WithLabelValues(mode).Set(1)
}

// InFlight adds delta to the in-flight request gauge.
func (m *Metrics) InFlight(delta int) {
	if m == nil {
		return
	}
	m.inflight.Add(float64(delta))
}

var statusClasses = [...]string{"1xx", "2xx", "3xx", "4xx", "5xx"}

// Response records the status class of a response sent to a client.
func (m *Metrics) Response(status int) {
	if m == nil || status < 100 || status > 599 {
		return
	}
	m.responseStatus.WithLabelValues(statusClasses[status/100-1]).Inc()
}

// RuleMatch records that a rule acted.
func (m *Metrics) RuleMatch(id string) {
	if m == nil {
		return
	}
	m.ruleMatches.WithLabelValues(id).Inc()
}

// Flagged records an IP flagged by a threshold.
func (m *Metrics) Flagged() {
	if m == nil {
		return
	}
	m.flags.Inc()
}

// Package metrics defines Rampart's Prometheus metrics in one place, so the proxies
// record and the admin listener serves the same collectors. Names follow Prometheus
// conventions (rampart_requests_total{decision="block"}).
//
// New builds a Metrics with its own registry; a nil *Metrics is valid and records
// nothing, which keeps tests and tools free of global state.
package metrics

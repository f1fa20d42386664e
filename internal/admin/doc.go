// Package admin serves Rampart's admin listener: /healthz (the process is alive),
// /readyz (the proxy is serving and not shutting down), /metrics (Prometheus), and a
// small JSON API under /api/ (recent events, the configuration in force, version).
// It listens on loopback by default; it must never be exposed publicly unguarded.
//
// Build a Handler with New; flip readiness with SetReady.
package admin

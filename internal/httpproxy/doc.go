// Package httpproxy is Rampart's HTTP front: an http.Handler that buffers each request
// body within its limit, turns the request into a *request.Request, judges it with
// engine.Inspect, and then either answers with a block page or forwards the request to
// an upstream (round robin with passive health checks, keep-alive pools, streaming
// responses). WebSocket upgrades are judged like any request and handed, when allowed,
// to a WebSocketHandler (the wsproxy package).
//
// Build a Proxy with New from Settings; call Update with new Settings on a config
// reload: in-flight requests finish with the settings they started with. Server wraps
// the listener, TLS and graceful shutdown.
package httpproxy

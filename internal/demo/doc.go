// Package demo is the small web application `rampart demo` puts behind Rampart: an HTML
// page with a search form and a WebSocket chat that sends every message to every
// connected client. It exists to show Rampart working, not as a pattern for real apps.
//
// Start it with Serve on a listener; it needs nothing else.
package demo

package main

import (
	"bytes"
	"net/netip"
	"testing"
	"time"

	"github.com/rampartwaf/rampart/internal/events"
	"github.com/rampartwaf/rampart/internal/metrics"
	"github.com/rampartwaf/rampart/internal/request"
	"github.com/rampartwaf/rampart/internal/state"
	"github.com/rampartwaf/rampart/internal/wsproxy"
)

// TestFlagEvent: a flag set by a threshold names the request that set it; one set
// through the admin API has no request, and no empty request_id or protocol.
func TestFlagEvent(t *testing.T) {
	until := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	f := state.Flag{IP: netip.MustParseAddr("192.0.2.7"), Until: until, Reason: "5 requests with BAD-LOGIN in 1m0s"}
	for _, tc := range []struct {
		name string
		r    *request.Request
		want string
	}{
		{"threshold, HTTP", &request.Request{ID: "f88b22e87828b4d0252de6bdbbb3aa78", Protocol: request.ProtocolHTTP},
			`"request_id":"f88b22e87828b4d0252de6bdbbb3aa78","action":"flag","reason":"5 requests with BAD-LOGIN in 1m0s","protocol":"http","ip":"192.0.2.7","flag_until":"2026-12-02T12:00:00Z"}`},
		{"threshold, WebSocket message", &request.Request{ID: "aa", Protocol: request.ProtocolWebSocket, ConnID: "cc", MessageIndex: 3},
			`"request_id":"aa","action":"flag","reason":"5 requests with BAD-LOGIN in 1m0s","protocol":"websocket","ip":"192.0.2.7","conn_id":"cc","message_index":3,"flag_until":"2026-12-02T12:00:00Z"}`},
		{"admin API", nil,
			`"action":"flag","reason":"5 requests with BAD-LOGIN in 1m0s","ip":"192.0.2.7","flag_until":"2026-12-02T12:00:00Z"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			bus := events.NewBus(nil, events.NewJSONLines(&out))
			flagged(metrics.New(), bus, func() *wsproxy.Proxy { return nil })(f, tc.r)
			bus.Close()
			if !bytes.HasSuffix(bytes.TrimSpace(out.Bytes()), []byte(tc.want)) {
				t.Errorf("event:\n%s\nwant it to end with\n%s", out.Bytes(), tc.want)
			}
		})
	}
}

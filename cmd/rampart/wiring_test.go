package main

import (
	"bytes"
	"context"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/rampartwaf/rampart/internal/config"
	"github.com/rampartwaf/rampart/internal/engine"
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

// TestFileBytes: limits.file_bytes reaches the parser, 0 meaning no file contents: a
// text upload with an attack is judged by its contents up to the limit.
func TestFileBytes(t *testing.T) {
	upload := func(size int) *request.Request {
		content := strings.Repeat("name,comment\nana,fine\n", size/22) + "bob,' UNION SELECT password FROM users--\n"
		body := "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"people.csv\"\r\nContent-Type: text/csv\r\n\r\n" +
			content + "\r\n--b--\r\n"
		return &request.Request{Protocol: request.ProtocolHTTP, Method: "POST", URI: "/upload", Path: "/upload",
			ContentType: "multipart/form-data; boundary=b", Body: []byte(body)}
	}
	for _, tc := range []struct {
		name      string
		fileBytes int
		size      int
		blocked   bool
	}{
		{"default, 20 KB file", config.Default().Limits.FileBytes, 20 << 10, true},
		{"default, 100 KB file", config.Default().Limits.FileBytes, 100 << 10, false},
		{"none", 0, 1 << 10, false},
		{"raised", 256 << 10, 100 << 10, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := config.Default()
			cfg.Limits.FileBytes = tc.fileBytes
			e, err := engine.New(engineOptions(cfg))
			if err != nil {
				t.Fatal(err)
			}
			if got := e.Inspect(context.Background(), upload(tc.size)).Blocked(); got != tc.blocked {
				t.Errorf("blocked = %v, want %v", got, tc.blocked)
			}
		})
	}
}

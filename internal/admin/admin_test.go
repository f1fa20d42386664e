package admin

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/rampartwaf/rampart/internal/events"
	"github.com/rampartwaf/rampart/internal/metrics"
)

func TestEndpoints(t *testing.T) {
	m := metrics.New()
	m.Request("block", 0)
	ring := events.NewRing(10)
	_ = ring.Write(&events.Event{RequestID: "r1", Action: "block"})
	_ = ring.Write(&events.Event{RequestID: "r2", Action: "log"})
	h := New(Options{Metrics: m, Events: ring, Version: "v-test", Config: func() any { return map[string]string{"mode": "block"} }})
	srv := httptest.NewServer(h)
	defer srv.Close()

	get := func(path string) (int, string) {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	tests := []struct {
		path     string
		status   int
		contains string
	}{
		{"/healthz", 200, "ok"},
		{"/readyz", 503, "not ready"},
		{"/metrics", 200, `rampart_requests_total{decision="block"} 1`},
		{"/api/events?limit=1", 200, `"request_id": "r2"`},
		{"/api/events?limit=x", 400, "limit must be"},
		{"/api/config", 200, `"mode": "block"`},
		{"/api/version", 200, "v-test"},
		{"/nope", 404, ""},
	}
	for _, tt := range tests {
		status, body := get(tt.path)
		if status != tt.status || !strings.Contains(body, tt.contains) {
			t.Errorf("GET %s = %d %q, want %d containing %q", tt.path, status, body, tt.status, tt.contains)
		}
	}
	h.SetReady(true)
	if status, _ := get("/readyz"); status != 200 {
		t.Errorf("readyz after SetReady(true) = %d", status)
	}
	_, body := get("/api/events")
	var evs []events.Event
	if err := json.Unmarshal([]byte(body), &evs); err != nil || len(evs) != 2 || evs[0].RequestID != "r2" {
		t.Errorf("events = %v, %v; want r2 then r1", evs, err)
	}
}

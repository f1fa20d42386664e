package httpproxy

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/rampartwaf/rampart/internal/config"
	"github.com/rampartwaf/rampart/internal/engine"
	"github.com/rampartwaf/rampart/internal/events"
	"github.com/rampartwaf/rampart/internal/parse"
)

// TestRuleBlocks: a rule's own status and redirect reach the client, and the event
// names the rule.
func TestRuleBlocks(t *testing.T) {
	cfg, err := config.Parse("rules.yaml", []byte(`
rules:
  - id: forbidden
    when: {field: path, op: startsWith, value: /admin}
    action: {block: {status: 403}}
  - id: moved
    when: {field: path, op: startsWith, value: /api/v1/}
    action: {block: {redirect: /api/v2/}}
`), config.Overrides{Upstream: "http://127.0.0.1:9"})
	if err != nil {
		t.Fatal(err)
	}
	up := echoUpstream(t)
	s := testSettings(t, engine.ModeBlock, up.URL)
	s.Engine, err = engine.New(engine.Options{Mode: engine.ModeBlock, Limits: parse.Limits{Params: 100, Depth: 10}, Policy: cfg.Rules})
	if err != nil {
		t.Fatal(err)
	}
	ring := events.NewRing(10)
	bus := events.NewBus(nil, ring)
	p := newProxy(t, s, Options{Events: bus})
	_, base := startProxy(t, p, ServerOptions{})
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, c := range []struct {
		path, location string
		status         int
	}{
		{"/admin/users", "", 403},
		{"/api/v1/items", "/api/v2/", 302},
		{"/api/v2/items", "", 200},
	} {
		resp, err := client.Get(base + c.path)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != c.status || resp.Header.Get("Location") != c.location {
			t.Errorf("%s: %d Location %q, want %d %q", c.path, resp.StatusCode, resp.Header.Get("Location"), c.status, c.location)
		}
	}
	bus.Close()
	evs := ring.Recent(10)
	if len(evs) != 2 || evs[0].Rule != "moved" || evs[1].Rule != "forbidden" || evs[1].Status != 403 || evs[1].Reason != "rule" {
		for _, e := range evs {
			t.Logf("event %+v", *e)
		}
		t.Errorf("want two events naming the rules")
	}
}

// TestResponseRules: a rule on response.status replaces the upstream's answer.
func TestResponseRules(t *testing.T) {
	cfg, err := config.Parse("rules.yaml", []byte(`
rules:
  - id: hide-errors
    when: {field: response.status, op: greaterEqual, value: 500}
    action: {block: {status: 502}}
  - id: log-404
    when: {field: response.status, op: equals, value: 404}
    action: log
`), config.Overrides{Upstream: "http://127.0.0.1:9"})
	if err != nil {
		t.Fatal(err)
	}
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		code, _ := strconv.Atoi(r.URL.Query().Get("status"))
		w.Header().Set("X-Secret", "stack trace")
		w.WriteHeader(code)
		_, _ = io.WriteString(w, "upstream body")
	}))
	defer up.Close()
	s := testSettings(t, engine.ModeBlock, up.URL)
	s.Engine, err = engine.New(engine.Options{Mode: engine.ModeBlock, Limits: parse.Limits{Params: 100, Depth: 10}, Policy: cfg.Rules})
	if err != nil {
		t.Fatal(err)
	}
	ring := events.NewRing(10)
	bus := events.NewBus(nil, ring)
	p := newProxy(t, s, Options{Events: bus})
	_, base := startProxy(t, p, ServerOptions{})
	for _, c := range []struct {
		status, want int
		body         string
	}{
		{200, 200, "upstream body"},
		{404, 404, "upstream body"},
		{503, 502, "Request blocked"},
	} {
		resp, err := http.Get(base + "/x?status=" + strconv.Itoa(c.status))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != c.want || !strings.Contains(string(b), c.body) {
			t.Errorf("upstream %d: got %d %q, want %d with %q", c.status, resp.StatusCode, b, c.want, c.body)
		}
		if c.want == 502 && resp.Header.Get("X-Secret") != "" {
			t.Errorf("the blocked answer's headers leaked")
		}
	}
	bus.Close()
	evs := ring.Recent(10)
	if len(evs) != 2 || evs[0].Rule != "hide-errors" || evs[0].Action != "block" || evs[0].Status != 502 || evs[1].Rule != "log-404" || evs[1].Action != "log" {
		for _, e := range evs {
			t.Logf("event %+v", *e)
		}
		t.Errorf("want a log event for the 404 and a block event for the 503")
	}
}

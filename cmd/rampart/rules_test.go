package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// TestRulesEndToEnd runs rampart with rules, a rate limit and low thresholds in front of
// an app with a WebSocket echo: a rule blocks with its own status, an exclusion lets a
// false positive through, a rate limit answers 429, a tagged WebSocket message is
// logged, and attacks flag the IP: its open WebSocket is closed with 1008, its next
// requests are blocked, the admin API lists the flag and lifts it.
func TestRulesEndToEnd(t *testing.T) {
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/ws" {
			c, err := websocket.Accept(w, r, nil)
			if err != nil {
				return
			}
			defer c.CloseNow()
			for {
				typ, b, err := c.Read(r.Context())
				if err != nil {
					return
				}
				if err := c.Write(r.Context(), typ, b); err != nil {
					return
				}
			}
		}
		fmt.Fprint(w, "app ok")
	}))
	defer up.Close()
	dir := t.TempDir()
	listen, adminAddr := freeAddr(t), freeAddr(t)
	cfg := filepath.Join(dir, "rampart.yaml")
	writeFile(t, cfg, fmt.Sprintf(`
listen: %s
upstream: %s
admin: {listen: %s}
rules_files: [rules.yaml]
thresholds: {limits: [{requests: 5, interval: 1m}], duration: 1h}
`, listen, up.URL, adminAddr))
	writeFile(t, filepath.Join(dir, "rules.yaml"), `
lists:
  office: {type: ip, items: [203.0.113.0/24]}
rules:
  - id: office-only-admin
    when: {all: [{field: path, op: startsWith, value: /admin}, {field: ip, op: notInList, value: office}]}
    action: {block: {status: 403}}
  - id: search-is-free-text
    when: {field: path, op: equals, value: /search}
    action: {exclude: {signals: [SQLI], params: [q]}}
  - id: chat-links
    when: {all: [{field: protocol, op: equals, value: websocket}, {field: param, name: text, op: contains, value: "http://"}]}
    action: {tag: CHAT-LINK}
  - id: log-chat-links
    when: {field: signal, op: equals, value: CHAT-LINK}
    action: log
rate_limits:
  - {id: comments, when: {field: path, op: equals, value: /comment}, client: ip, threshold: 2, interval: 1m, action: {block: {status: 429}}}
`)
	if _, stderr, code := runRampart(t, "check", "--config", cfg); code != 0 {
		t.Fatalf("check: %s", stderr)
	}
	p := startRampart(t, "run", "--config", cfg)
	base, admin := "http://"+listen, "http://"+adminAddr
	waitFor(t, "the proxy", func() bool { c, _ := get(base + "/"); return c == 200 })

	if c, _ := get(base + "/admin/users"); c != 403 {
		t.Errorf("admin from outside the office: %d, want 403", c)
	}
	if c, body := get(base + attack); c != 200 || body != "app ok" {
		t.Errorf("SQL in the search box (excluded): %d %q, want the app's answer", c, body)
	}
	for i, want := range []int{200, 200, 429} {
		if c, _ := get(base + "/comment"); c != want {
			t.Errorf("comment %d: %d, want %d", i+1, c, want)
		}
	}

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ws, _, err := websocket.Dial(ctx, "ws://"+listen+"/ws", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.CloseNow()
	msg := `{"text": "see http://example.com"}`
	if err := ws.Write(ctx, websocket.MessageText, []byte(msg)); err != nil {
		t.Fatal(err)
	}
	if _, got, err := ws.Read(ctx); err != nil || string(got) != msg {
		t.Fatalf("tagged message: %q %v, want it echoed", got, err)
	}
	waitFor(t, "the log event of the tagged message", func() bool {
		out, _ := p.output()
		return strings.Contains(out, `"action":"log"`) && strings.Contains(out, `"rule":"log-chat-links"`) &&
			strings.Contains(out, `"rules":["chat-links","log-chat-links"]`)
	})

	// Five attacks in a minute flag the IP (the limit is 5): the open WebSocket is closed.
	for i := 0; i < 5; i++ {
		get(base + "/?id=1%20UNION%20SELECT%20password%20FROM%20users")
	}
	if _, _, err := ws.Read(ctx); websocket.CloseStatus(err) != websocket.StatusPolicyViolation {
		t.Errorf("open WebSocket of a flagged IP: %v, want close 1008", err)
	}
	if c, _ := get(base + "/"); c != 406 {
		t.Errorf("benign request from a flagged IP: %d, want 406", c)
	}
	_, body := get(admin + "/api/flags")
	var flags []map[string]any
	if err := json.Unmarshal([]byte(body), &flags); err != nil || len(flags) != 1 || flags[0]["ip"] != "127.0.0.1" {
		t.Fatalf("flags: %s", body)
	}
	req, _ := http.NewRequest(http.MethodDelete, admin+"/api/flags/127.0.0.1", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("lifting the flag: %v %v", resp, err)
	}
	resp.Body.Close()
	if c, _ := get(base + "/"); c != 200 {
		t.Errorf("after the flag was lifted: %d, want 200", c)
	}
	waitFor(t, "the flag event and the metrics", func() bool {
		out, _ := p.output()
		_, metrics := get(admin + "/metrics")
		return strings.Contains(out, `"action":"flag"`) && strings.Contains(metrics, `rampart_ip_flags_total 1`) &&
			strings.Contains(metrics, `rampart_rule_matches_total{rule="comments"} 1`)
	})
	// The flag event names the request that got the IP flagged, and what was counted.
	out, _ := p.output()
	flagEvent := regexp.MustCompile(`\{"time":"[^"]+","request_id":"[0-9a-f]{32}","action":"flag","reason":"5 requests with attack signals in 1m0s","protocol":"http","ip":"127.0.0.1",`)
	if !flagEvent.MatchString(out) {
		t.Errorf("no flag event with the request's ID and protocol in:\n%s", out)
	}
}

package engine

import (
	"context"
	"errors"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/rampartwaf/rampart/internal/config"
	"github.com/rampartwaf/rampart/internal/parse"
	"github.com/rampartwaf/rampart/internal/request"
	"github.com/rampartwaf/rampart/internal/state"
)

// brokenStore is a state store whose every call fails, like a Redis server that went
// away.
type brokenStore struct{}

var errStoreDown = errors.New("store down")

func (brokenStore) Apply(context.Context, time.Time, *state.Batch) error { return errStoreDown }
func (brokenStore) Flags(context.Context, time.Time) ([]state.Flag, error) {
	return nil, errStoreDown
}
func (brokenStore) SetFlag(context.Context, state.Flag) error { return errStoreDown }
func (brokenStore) Unflag(context.Context, netip.Addr) (bool, error) {
	return false, errStoreDown
}
func (brokenStore) Close() error { return nil }

// TestFailDirection checks what fail: open and fail: closed do when the state store
// fails: closed blocks everything (in block mode); open decides without the store, so
// what the detectors and rules found still blocks, and the rest passes with the error
// recorded.
func TestFailDirection(t *testing.T) {
	cfg, err := config.Parse("fail.yaml", []byte(`
rules:
  - id: no-admin
    when: {all: [{field: path, op: startsWith, value: /admin}]}
    action: block
rate_limits:
  - id: search
    when: {all: [{field: path, op: equals, value: /search}]}
    client: ip
    threshold: 10
    interval: 1m
    action: block
`), config.Overrides{Upstream: "http://127.0.0.1:9"})
	if err != nil {
		t.Fatal(err)
	}
	const (
		benign = "/search?q=blue+shoes"
		attack = "/search?q=%3Cscript%3Ealert(1)%3C/script%3E"
		admin  = "/admin/users"
	)
	tests := []struct {
		name      string
		open      bool
		mode      Mode
		uri       string
		blocked   bool
		reason    Reason
		decision  string
		hasSignal bool
	}{
		{"closed benign", false, ModeBlock, benign, true, ReasonError, DecisionBlock, false},
		{"closed attack", false, ModeBlock, attack, true, ReasonError, DecisionBlock, true},
		{"open benign", true, ModeBlock, benign, false, ReasonError, DecisionError, false},
		{"open attack", true, ModeBlock, attack, true, ReasonSignals, DecisionBlock, true},
		{"open block rule", true, ModeBlock, admin, true, ReasonRule, DecisionBlock, false},
		{"closed log mode attack", false, ModeLog, attack, false, ReasonError, DecisionError, true},
		{"open log mode attack", true, ModeLog, attack, false, ReasonError, DecisionError, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e, err := New(Options{
				Mode: tc.mode, FailOpen: tc.open, Limits: parse.Limits{Params: 100, Depth: 16},
				Policy: cfg.Rules, State: brokenStore{},
			})
			if err != nil {
				t.Fatal(err)
			}
			r := getRequest(tc.uri)
			v := e.Inspect(context.Background(), r)
			if v.Blocked() != tc.blocked || v.Reason != tc.reason || v.Decision() != tc.decision {
				t.Errorf("verdict: blocked %v reason %v decision %s, want %v %v %s",
					v.Blocked(), v.Reason, v.Decision(), tc.blocked, tc.reason, tc.decision)
			}
			if !errors.Is(v.Err, errStoreDown) {
				t.Errorf("Err = %v, want the store's error", v.Err)
			}
			if got := len(v.Signals) > 0; got != tc.hasSignal {
				t.Errorf("signals %+v, want some: %v", v.Signals, tc.hasSignal)
			}
		})
	}
}

func getRequest(uri string) *request.Request {
	path, query, _ := strings.Cut(uri, "?")
	return &request.Request{
		Method: "GET", URI: uri, Path: path, RawQuery: query,
		IP:        netip.MustParseAddr("192.0.2.7"),
		Headers:   []request.Header{{Name: "User-Agent", Value: "test"}},
		UserAgent: "test",
	}
}

package rules_test

import (
	"net/netip"
	"slices"
	"testing"
	"time"

	"github.com/rampartwaf/rampart/internal/config"
	"github.com/rampartwaf/rampart/internal/request"
	"github.com/rampartwaf/rampart/internal/rules"
)

// TestLateRules: the rules that test a rate limit's tag (and the rules that test the
// tags those add) are left out of Run and run by RunLate, in the order written; the
// others run in Run only. The rate limit's tag is added between the two, as the engine
// does once it counted the rate limits.
func TestLateRules(t *testing.T) {
	var now time.Time // no rule expires
	for _, c := range []struct {
		name      string
		rules     string
		run, late []string // the rules that act in Run, then in RunLate
		decider   string
		hasLate   bool
	}{{
		name: "a rule on a rate limit's tag waits for it",
		rules: `
rules:
  - {id: block-heavy, when: {field: signal, op: equals, value: HEAVY}, action: block}
  - {id: log-all, when: {field: path, op: startsWith, value: /}, action: log}
rate_limits:
  - {id: heavy, client: ip, threshold: 1, interval: 1m, action: {tag: HEAVY}}`,
		run: []string{"log-all"}, late: []string{"log-all", "block-heavy"}, decider: "block-heavy", hasLate: true,
	}, {
		name: "through the tags of late rules, in the order written",
		rules: `
rules:
  - {id: tag-very, when: {field: signal, op: equals, value: HEAVY}, action: {tag: VERY}}
  - {id: block-very, when: {field: signal, op: equals, value: VERY}, action: block}
  - {id: early-tag, when: {field: path, op: equals, value: /x}, action: {tag: EARLY}}
  - {id: sees-early, when: {field: signal, op: equals, value: EARLY}, action: log}
rate_limits:
  - {id: heavy, client: ip, threshold: 1, interval: 1m, action: {tag: HEAVY}}`,
		run: []string{"early-tag", "sees-early"}, late: []string{"early-tag", "sees-early", "tag-very", "block-very"}, decider: "block-very", hasLate: true,
	}, {
		name: "a negated test sees the tag missing",
		rules: `
rules:
  - {id: not-heavy, when: {not: {field: signal, op: equals, value: HEAVY}}, action: log}
rate_limits:
  - {id: heavy, client: ip, threshold: 1, interval: 1m, action: {tag: HEAVY}}`,
		run: []string{}, late: []string{}, hasLate: true,
	}, {
		name: "a tag found through a list",
		rules: `
lists:
  noisy: {type: wildcard, items: ["HEAV*"]}
rules:
  - {id: block-noisy, when: {field: signal, op: inList, value: noisy}, action: block}
rate_limits:
  - {id: heavy, client: ip, threshold: 1, interval: 1m, action: {tag: HEAVY}}`,
		run: []string{}, late: []string{"block-noisy"}, decider: "block-noisy", hasLate: true,
	}, {
		name: "no rate limit tags: nothing runs late",
		rules: `
rules:
  - {id: tag-it, when: {field: path, op: equals, value: /x}, action: {tag: HEAVY}}
  - {id: block-heavy, when: {field: signal, op: equals, value: HEAVY}, action: block}`,
		run: []string{"tag-it", "block-heavy"}, late: []string{"tag-it", "block-heavy"}, decider: "block-heavy",
	}} {
		t.Run(c.name, func(t *testing.T) {
			cfg, err := config.Parse("rules.yaml", []byte(c.rules), config.Overrides{Upstream: "http://127.0.0.1:9"})
			if err != nil {
				t.Fatal(err)
			}
			p := cfg.Rules
			r := &request.Request{Method: "GET", Path: "/x", URI: "/x", IP: netip.MustParseAddr("192.0.2.1")}
			var out rules.Outcome
			p.Run(r, now, &out)
			if !slices.Equal(r.Rules, c.run) && !(len(r.Rules) == 0 && len(c.run) == 0) {
				t.Errorf("Run: rules %v acted, want %v", r.Rules, c.run)
			}
			for _, rl := range out.RateLimits {
				for _, tag := range rl.RateLimit.Tags {
					r.AddSignal(request.Signal{Name: tag})
				}
			}
			if got := p.HasLateRules(); got != c.hasLate {
				t.Errorf("HasLateRules = %v", got)
			}
			if out.Decider == nil {
				p.RunLate(r, now, &out)
			}
			if !slices.Equal(r.Rules, c.late) && !(len(r.Rules) == 0 && len(c.late) == 0) {
				t.Errorf("then RunLate: rules %v acted, want %v", r.Rules, c.late)
			}
			got := ""
			if out.Decider != nil {
				got = out.Decider.ID
			}
			if got != c.decider {
				t.Errorf("decider %q, want %q", got, c.decider)
			}
		})
	}
}

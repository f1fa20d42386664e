package engine

import (
	"context"
	"fmt"
	"net/netip"
	"strings"
	"testing"

	"github.com/rampartwaf/rampart/internal/config"
	"github.com/rampartwaf/rampart/internal/parse"
	"github.com/rampartwaf/rampart/internal/request"
	"github.com/rampartwaf/rampart/internal/state"
)

// BenchmarkInspectRules: the benign GET of BenchmarkInspectGET5Params, judged with 100
// rules (none matching), two rate limits counting it and the in-memory state store;
// the difference with BenchmarkInspectGET5Params is the cost of the decision step.
func BenchmarkInspectRules(b *testing.B) {
	var y strings.Builder
	y.WriteString("lists:\n  bad: {type: ip, items: [192.0.2.0/24, 198.51.100.7]}\n  agents: {type: wildcard, items: [\"*sqlmap*\", \"*nikto*\"]}\nrules:\n")
	for i := 0; i < 100; i++ {
		switch i % 5 {
		case 0:
			fmt.Fprintf(&y, "  - {id: r%d, when: {all: [{field: path, op: startsWith, value: /admin%d}, {field: ip, op: notInList, value: bad}]}, action: block}\n", i, i)
		case 1:
			fmt.Fprintf(&y, "  - {id: r%d, when: {field: useragent, op: inListIgnoreCase, value: agents}, action: block}\n", i)
		case 2:
			fmt.Fprintf(&y, "  - {id: r%d, when: {field: param, name: f%d, op: containsIgnoreCase, value: \"<script\"}, action: {tag: T%d}}\n", i, i, i)
		case 3:
			fmt.Fprintf(&y, "  - {id: r%d, when: {field: header, name: X-Api-Key, op: equals, value: k%d}, action: allow}\n", i, i)
		case 4:
			fmt.Fprintf(&y, "  - {id: r%d, when: {field: path, op: matches, value: \"^/cve-%d\"}, action: block}\n", i, i)
		}
	}
	y.WriteString("rate_limits:\n  - {id: per-ip, client: ip, threshold: 1000000000, interval: 1m, action: block}\n  - {id: search, when: {field: path, op: equals, value: /search}, client: cookie:session, threshold: 1000000000, interval: 10s, action: block}\n")
	cfg, err := config.Parse("bench.yaml", []byte(y.String()), config.Overrides{Upstream: "http://127.0.0.1:9"})
	if err != nil {
		b.Fatal(err)
	}
	store := state.NewMemory(state.MemoryOptions{})
	defer store.Close()
	e, err := New(Options{Limits: parse.Limits{Params: 1000, Depth: 32}, Policy: cfg.Rules, State: store})
	if err != nil {
		b.Fatal(err)
	}
	q := "q=running+shoes&size=42&color=blue&sort=price_asc&page=2"
	tmpl := request.Request{
		Method: "GET", Scheme: "https", Host: "shop.example.com", URI: "/search?" + q, Path: "/search",
		RawQuery: q, Proto: "HTTP/1.1", IP: netip.MustParseAddr("203.0.113.9"),
		UserAgent: benchHeaders[0].Value, Headers: benchHeaders,
	}
	ctx := context.Background()
	r := new(request.Request)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r.Reset()
		params, signals, headers, rules := r.Params, r.Signals, r.Headers, r.Rules
		*r = tmpl
		r.Params, r.Signals, r.Rules = params[:0], signals[:0], rules[:0]
		r.Headers = append(headers[:0], tmpl.Headers...)
		if v := e.Inspect(ctx, r); v.Blocked() {
			b.Fatalf("benign request blocked: %+v", v)
		}
	}
}

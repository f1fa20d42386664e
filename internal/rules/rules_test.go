package rules

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/rampartwaf/rampart/internal/request"
)

func TestGlob(t *testing.T) {
	for _, c := range []struct {
		pat, s string
		fold   bool
		want   bool
	}{
		{"*sqlmap*", "sqlmap/1.7", false, true},
		{"*sqlmap*", "Mozilla SQLMap", false, false},
		{"*sqlmap*", "Mozilla SQLMap", true, true},
		{"a?c", "abc", false, true},
		{"a?c", "aéc", false, true},
		{"a?c", "ac", false, false},
		{"/api/*/users", "/api/v1/users", false, true},
		{"/api/*/users", "/api/v1/users/1", false, false},
		{`100\*`, "100*", false, true},
		{`100\*`, "1000", false, false},
		{"*", "", false, true},
		{"**a**b", "xxaxxbxx", false, false},
		{"**a**b", "xxaxxb", false, true},
		{"user.*", "user.emails[0]", false, true},
		{"user.*", "users", false, false},
	} {
		g := newGlob(c.pat, c.fold)
		if got := g.match(c.s); got != c.want {
			t.Errorf("%q like %q (fold %v) = %v, want %v", c.s, c.pat, c.fold, got, c.want)
		}
	}
}

func TestIPList(t *testing.T) {
	var items []Item
	for _, s := range []string{"10.0.0.0/8", "10.1.0.0/16", "192.0.2.1", "192.0.2.2", "192.0.2.3", "2001:db8::/32", "::ffff:198.51.100.0/120", "fe80::1"} {
		items = append(items, Item{Value: s})
	}
	l := compileList(&ListSpec{Name: "x", Type: "ip", Items: items}, "lists.x", func(Pos, string, error, string, ...any) { t.Fatal("problem") })
	for s, want := range map[string]bool{
		"10.255.255.255": true, "11.0.0.0": false, "9.255.255.255": false, "192.0.2.2": true, "192.0.2.4": false,
		"2001:db8:ffff::1": true, "2001:db9::": false, "198.51.100.77": true, "::ffff:10.0.0.1": true,
		"fe80::1": true, "fe80::2": false, "0.0.0.0": false, "255.255.255.255": false,
	} {
		if got := l.hasIP(netip.MustParseAddr(s)); got != want {
			t.Errorf("%s in list = %v, want %v", s, got, want)
		}
	}
	if len(l.v4) != 3 { // 10/8 swallows 10.1/16; .1-.3 merge; 198.51.100/24
		t.Errorf("IPv4 ranges %v, want 3 after merging", l.v4)
	}
}

// TestIPListRandom checks the binary search against a linear scan of the prefixes.
func TestIPListRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var items []Item
	var ps []netip.Prefix
	for i := 0; i < 2000; i++ {
		var a netip.Addr
		bits := 8 + rng.IntN(25)
		if i%2 == 0 {
			a = netip.AddrFrom4([4]byte{byte(rng.IntN(256)), byte(rng.IntN(256)), byte(rng.IntN(256)), byte(rng.IntN(256))})
		} else {
			var b [16]byte
			for j := range b {
				b[j] = byte(rng.IntN(256))
			}
			a = netip.AddrFrom16(b)
			bits = 16 + rng.IntN(113)
		}
		p := netip.PrefixFrom(a, bits).Masked()
		ps = append(ps, p)
		items = append(items, Item{Value: p.String()})
	}
	l := compileList(&ListSpec{Name: "x", Type: "ip", Items: items}, "lists.x", func(Pos, string, error, string, ...any) { t.Fatal("problem") })
	for i := 0; i < 20000; i++ {
		var a netip.Addr
		if i%2 == 0 {
			a = netip.AddrFrom4([4]byte{byte(rng.IntN(256)), byte(rng.IntN(256)), byte(rng.IntN(256)), byte(rng.IntN(256))})
		} else {
			p := ps[1+2*rng.IntN(len(ps)/2)]
			b := p.Addr().As16()
			b[15] ^= byte(rng.IntN(256))
			a = netip.AddrFrom16(b)
		}
		want := false
		for _, p := range ps {
			if p.Contains(a) {
				want = true
				break
			}
		}
		if got := l.hasIP(a); got != want {
			t.Fatalf("%s: got %v, want %v", a, got, want)
		}
	}
}

func TestStringLists(t *testing.T) {
	items := []Item{{Value: "Acme"}, {Value: "globex"}, {Value: "*bot*"}, {Value: "x?z"}}
	s := compileList(&ListSpec{Name: "s", Type: "string", Items: items}, "lists.s", nil)
	w := compileList(&ListSpec{Name: "w", Type: "wildcard", Items: items}, "lists.w", nil)
	re := compileList(&ListSpec{Name: "r", Type: "regex", Items: []Item{{Value: "^a+$"}, {Value: "b{2}"}}}, "lists.r", nil)
	for _, c := range []struct {
		l    *list
		s    string
		fold bool
		want bool
	}{
		{s, "Acme", false, true}, {s, "acme", false, false}, {s, "ACME", true, true}, {s, "*bot*", false, true},
		{s, "robots", false, false}, {w, "robots", false, true}, {w, "ROBOTS", false, false}, {w, "ROBOTS", true, true},
		{w, "xyz", false, true}, {w, "GLOBEX", true, true}, {w, "globe", true, false},
		{re, "aaa", false, true}, {re, "abba", false, true}, {re, "AAA", false, false}, {re, "AAA", true, true},
	} {
		if got := c.l.hasString(c.s, c.fold); got != c.want {
			t.Errorf("%s list has %q (fold %v) = %v, want %v", c.l.typ, c.s, c.fold, got, c.want)
		}
	}
}

// TestEvalAllocs: evaluating rules does not allocate.
func TestEvalAllocs(t *testing.T) {
	p := benchPolicy(t, 100, 1000, 1000)
	r := benchRequest()
	var out Outcome
	allocs := testing.AllocsPerRun(100, func() {
		r.Rules = r.Rules[:0]
		out.Reset()
		p.Run(r, benchNow, &out)
	})
	if allocs != 0 {
		t.Errorf("Run allocates %.1f times per request, want 0", allocs)
	}
	if out.Decider != nil {
		t.Errorf("benign request decided by %s", out.Decider.ID)
	}
}

func TestCompileSpecs(t *testing.T) {
	// Conditions that are fine must not be reported as never matching.
	spec := Spec{Rules: []RuleSpec{{
		Key: "rules[0]", ID: "ok",
		When: &CondSpec{Kind: CondAll, Children: []CondSpec{
			{Field: "path", Op: "equals", Value: "/admin/x", ValueTag: "!!str"},
			{Field: "path", Op: "startsWith", Value: "/admin", ValueTag: "!!str"},
			{Field: "path", Op: "like", Value: "/admin/*", ValueTag: "!!str"},
			{Field: "path", Op: "doesNotEqual", Value: "/b", ValueTag: "!!str"},
			{Field: "ip", Op: "equals", Value: "10.0.0.0/8", ValueTag: "!!str"},
			{Field: "ip", Op: "doesNotEqual", Value: "10.1.0.0/16", ValueTag: "!!str"},
			{Field: "header", Name: "X-A", HasName: true, Op: "equals", Value: "1", ValueTag: "!!str"},
			{Field: "header", Name: "X-A", HasName: true, Op: "equals", Value: "2", ValueTag: "!!str"},
		}},
		Action: ActionSpec{Kind: "block"},
	}}}
	if _, problems := Compile(spec); len(problems) > 0 {
		t.Fatalf("problems: %v", problems)
	}
}

var benchNow time.Time // no rule expires

// benchPolicy builds n rules in the shapes of real configs, none of which matches the
// benchmark request, with an ip list of ips items and a string list of strs items.
func benchPolicy(tb testing.TB, n, ips, strs int) *Policy {
	tb.Helper()
	rng := rand.New(rand.NewPCG(3, 4))
	ipItems := make([]Item, ips)
	for i := range ipItems {
		if i%10 == 0 {
			ipItems[i] = Item{Value: fmt.Sprintf("%d.%d.%d.0/24", 1+rng.IntN(200), rng.IntN(256), rng.IntN(256))}
		} else {
			ipItems[i] = Item{Value: fmt.Sprintf("%d.%d.%d.%d", 1+rng.IntN(200), rng.IntN(256), rng.IntN(256), rng.IntN(256))}
		}
	}
	strItems := make([]Item, strs)
	for i := range strItems {
		strItems[i] = Item{Value: fmt.Sprintf("key-%08x", rng.Uint32())}
	}
	spec := Spec{Lists: []ListSpec{
		{Name: "bad-ips", Type: "ip", Items: ipItems},
		{Name: "revoked-keys", Type: "string", Items: strItems},
		{Name: "agents", Type: "wildcard", Items: []Item{{Value: "*sqlmap*"}, {Value: "*nikto*"}, {Value: "*masscan*"}, {Value: "curl/7.*"}}},
	}}
	leaf := func(f, name, op, v string) CondSpec {
		return CondSpec{Field: f, Name: name, HasName: name != "", Op: op, Value: v, ValueTag: "!!str"}
	}
	for i := 0; i < n; i++ {
		var when CondSpec
		switch i % 10 {
		case 0:
			when = CondSpec{Kind: CondAll, Children: []CondSpec{leaf("path", "", "startsWith", fmt.Sprintf("/admin%d", i)), leaf("ip", "", "notInList", "bad-ips")}}
		case 1:
			when = leaf("ip", "", "inList", "bad-ips")
		case 2:
			when = leaf("header", "X-Api-Key", "inList", "revoked-keys")
		case 3:
			when = leaf("useragent", "", "inListIgnoreCase", "agents")
		case 4:
			when = CondSpec{Kind: CondAll, Children: []CondSpec{leaf("method", "", "equals", "POST"), leaf("path", "", "equals", fmt.Sprintf("/login%d", i))}}
		case 5:
			when = leaf("param", fmt.Sprintf("field%d", i), "containsIgnoreCase", "<script")
		case 6:
			when = leaf("path", "", "matches", fmt.Sprintf(`^/cve-%d-[0-9]+`, 2000+i))
		case 7:
			when = CondSpec{Kind: CondAny, Children: []CondSpec{leaf("query", "debug", "exists", ""), leaf("cookie", "admin", "equals", "1")}}
			when.Children[0].ValueTag = ""
		case 8:
			when = leaf("uri", "", "like", fmt.Sprintf("*/.git%d/*", i))
		case 9:
			when = CondSpec{Kind: CondNot, Children: []CondSpec{leaf("host", "", "endsWithIgnoreCase", "example.com")}}
		}
		spec.Rules = append(spec.Rules, RuleSpec{Key: fmt.Sprintf("rules[%d]", i), ID: fmt.Sprintf("r%d", i), When: &when, Action: ActionSpec{Kind: "block"}})
	}
	p, problems := Compile(spec)
	if len(problems) > 0 {
		tb.Fatalf("problems: %v", problems[0].Msg)
	}
	return p
}

// benchRequest is a typical browser GET with five query parameters, parsed.
func benchRequest() *request.Request {
	r := &request.Request{
		Method: "GET", Scheme: "https", Host: "shop.example.com", Path: "/search",
		URI: "/search?q=running+shoes&size=42&color=blue&sort=price_asc&page=2", RawQuery: "q=running+shoes&size=42&color=blue&sort=price_asc&page=2",
		IP:        netip.MustParseAddr("198.51.100.23"),
		UserAgent: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36",
		Headers: []request.Header{
			{Name: "Host", Value: "shop.example.com"},
			{Name: "User-Agent", Value: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"},
			{Name: "Accept", Value: "text/html,application/xhtml+xml"},
			{Name: "Accept-Language", Value: "en-GB,en;q=0.9"},
			{Name: "Referer", Value: "https://shop.example.com/catalog?page=2"},
			{Name: "Cookie", Value: "session=3f9a1c0e7b2d4a6f8e1c3b5a7d9f0e2c; theme=dark"},
		},
		Rules: make([]string, 0, 8),
	}
	for _, kv := range strings.Split(r.RawQuery, "&") {
		k, v, _ := strings.Cut(kv, "=")
		r.Params = append(r.Params, request.Param{Source: request.SourceQuery, Name: k, Value: strings.ReplaceAll(v, "+", " ")})
	}
	r.Params = append(r.Params,
		request.Param{Source: request.SourceCookie, Name: "session", Value: "3f9a1c0e7b2d4a6f8e1c3b5a7d9f0e2c"},
		request.Param{Source: request.SourceCookie, Name: "theme", Value: "dark"},
		request.Param{Source: request.SourceHeader, Name: "Referer", Value: "https://shop.example.com/catalog?page=2"},
	)
	return r
}

func TestIndexFold(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	alpha := "aAbB-"
	for i := 0; i < 20000; i++ {
		s := make([]byte, rng.IntN(12))
		for j := range s {
			s[j] = alpha[rng.IntN(len(alpha))]
		}
		sub := make([]byte, rng.IntN(4))
		for j := range sub {
			sub[j] = alpha[rng.IntN(len(alpha))]
		}
		low := strings.ToLower(string(sub))
		want := strings.Index(strings.ToLower(string(s)), low)
		if got := indexFold(string(s), low); got != want {
			t.Fatalf("indexFold(%q, %q) = %d, want %d", s, low, got, want)
		}
	}
}

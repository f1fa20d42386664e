package rules

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"strconv"
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

// TestNeverIsSound: a group of conditions that some request satisfies is never
// reported as one that can never match. Random all groups over a small vocabulary (with
// not: and any: children) are tried on every request of a small universe built from the
// same values; a group reported with ErrNever must match none of them.
func TestNeverIsSound(t *testing.T) {
	var leaves []CondSpec
	for _, op := range []string{"equals", "doesNotEqual", "startsWith", "like", "notLike", "equalsIgnoreCase"} {
		for _, v := range []string{"/a", "/b", "/a/x", "/a*", "*/x", "api/*", "/A"} {
			if op == "startsWith" && v[0] != '/' || (op == "equals" || op == "doesNotEqual" || op == "equalsIgnoreCase") && strings.Contains(v, "*") {
				continue
			}
			leaves = append(leaves, leafSpec("path", op, v))
		}
	}
	for _, op := range []string{"equals", "doesNotEqual"} {
		for _, v := range []string{"10.0.0.0/8", "10.1.0.0/16", "192.168.0.0/16", "10.1.2.3", "2001:db8::/32"} {
			leaves = append(leaves, leafSpec("ip", op, v))
		}
		for _, v := range []string{"http", "websocket"} {
			leaves = append(leaves, leafSpec("protocol", op, v))
		}
	}
	leaves = append(leaves, leafSpec("ip", "inList", "office"), leafSpec("ip", "notInList", "office"))
	for _, op := range []string{"equals", "doesNotEqual", "greaterEqual", "lesserEqual"} {
		for _, v := range []string{"0", "1", "3"} {
			leaves = append(leaves, leafSpec("ws.message_index", op, v))
		}
		for _, v := range []string{"99", "100", "404", "599", "600"} {
			leaves = append(leaves, leafSpec("response.status", op, v))
		}
	}
	for _, f := range []string{"ws.message_index", "ws.opcode", "response.status"} {
		leaves = append(leaves, leafSpec(f, "exists", ""), leafSpec(f, "doesNotExist", ""))
	}
	lists := []ListSpec{{Name: "office", Type: "ip", Items: []Item{{Value: "10.1.0.0/16"}, {Value: "203.0.113.0/24"}}}}

	var universe []*request.Request
	for _, path := range []string{"/a", "/b", "/a/x", "/api/x", "/A"} {
		for _, ip := range []string{"10.1.2.3", "10.1.9.9", "10.2.0.1", "192.168.1.1", "203.0.113.5", "8.8.8.8", "2001:db8::1"} {
			for _, status := range []int{0, 100, 404, 599} {
				universe = append(universe, &request.Request{Path: path, IP: netip.MustParseAddr(ip), ResponseStatus: status})
			}
			for _, index := range []int{1, 2, 3} {
				universe = append(universe, &request.Request{Path: path, IP: netip.MustParseAddr(ip), Protocol: request.ProtocolWebSocket, MessageIndex: index, Opcode: 1})
			}
		}
	}
	// compileWhen compiles one rule; it returns the rule, or whether Compile said the
	// conditions never match.
	compileWhen := func(when CondSpec) (*Rule, bool) {
		p, problems := Compile(Spec{Lists: lists, Rules: []RuleSpec{{Key: "rules[0]", ID: "r", When: &when, Action: ActionSpec{Kind: "log"}}}})
		for _, pr := range problems {
			if !errors.Is(pr.Err, ErrNever) {
				t.Fatalf("%s: unexpected problem %v", describeSpec(&when), pr.Msg)
			}
		}
		if p == nil {
			return nil, true
		}
		return p.Rules()[0], false
	}
	satisfied := func(rules []*Rule) *request.Request {
		for _, r := range universe {
			all := true
			for _, ru := range rules {
				if !ru.Matches(r) {
					all = false
					break
				}
			}
			if all {
				return r
			}
		}
		return nil
	}
	rng := rand.New(rand.NewPCG(7, 8))
	child := func() CondSpec {
		switch rng.IntN(6) {
		case 0:
			return CondSpec{Kind: CondNot, Children: []CondSpec{leaves[rng.IntN(len(leaves))]}}
		case 1:
			return CondSpec{Kind: CondAny, Children: []CondSpec{leaves[rng.IntN(len(leaves))], leaves[rng.IntN(len(leaves))]}}
		}
		return leaves[rng.IntN(len(leaves))]
	}
	reported := 0
	for i := 0; i < 4000; i++ {
		g := CondSpec{Kind: CondAll}
		for k := 2 + rng.IntN(2); k > 0; k-- {
			g.Children = append(g.Children, child())
		}
		var parts []*Rule
		for _, ch := range g.Children {
			ru, never := compileWhen(ch)
			if never {
				parts = nil // reported on its own: checked below, leaf by leaf
				break
			}
			parts = append(parts, ru)
		}
		if parts == nil {
			continue
		}
		if _, never := compileWhen(g); never {
			reported++
			if r := satisfied(parts); r != nil {
				t.Fatalf("reported as never matching, but %v (path %s, ip %s, status %d, index %d) matches:\n%s",
					r.Protocol, r.Path, r.IP, r.ResponseStatus, r.MessageIndex, describeSpec(&g))
			}
		}
	}
	// A test reported on its own must match no request either: it is tried through a
	// twin that the checks do not look into (not: around the negated operator).
	for i := range leaves {
		if _, never := compileWhen(leaves[i]); !never {
			continue
		}
		twin, ok := negatedTwin(leaves[i])
		if !ok {
			continue
		}
		ru, never := compileWhen(twin)
		if never {
			t.Fatalf("%s: its twin %s is reported too", describeSpec(&leaves[i]), describeSpec(&twin))
		}
		if r := satisfied([]*Rule{ru}); r != nil {
			t.Errorf("%s is reported as never holding, but a request (path %s, status %d, index %d) passes it", describeSpec(&leaves[i]), r.Path, r.ResponseStatus, r.MessageIndex)
		}
	}
	if reported < 100 {
		t.Errorf("only %d of the random groups were reported: the vocabulary no longer exercises the checks", reported)
	}
}

// negatedTwin returns not: {the negated test} (beside exists, for a number), which
// holds when cs does.
func negatedTwin(cs CondSpec) (CondSpec, bool) {
	neg := map[string]string{"equals": "doesNotEqual", "like": "notLike", "likeIgnoreCase": "notLikeIgnoreCase", "equalsIgnoreCase": "doesNotEqualIgnoreCase"}
	n, err := strconv.ParseInt(cs.Value, 10, 64)
	switch {
	case neg[cs.Op] != "":
		cs.Op = neg[cs.Op]
		return CondSpec{Kind: CondNot, Children: []CondSpec{cs}}, true
	case cs.Op == "greaterEqual" && err == nil:
		cs.Op, cs.Value = "lesserEqual", strconv.FormatInt(n-1, 10)
	case cs.Op == "lesserEqual" && err == nil:
		cs.Op, cs.Value = "greaterEqual", strconv.FormatInt(n+1, 10)
	default:
		return cs, false
	}
	exists := CondSpec{Field: cs.Field, Op: "exists"}
	return CondSpec{Kind: CondAll, Children: []CondSpec{exists, {Kind: CondNot, Children: []CondSpec{cs}}}}, true
}

func describeSpec(cs *CondSpec) string {
	if cs.Kind == CondLeaf {
		return describeCond(cs)
	}
	parts := make([]string, len(cs.Children))
	for i := range cs.Children {
		parts[i] = describeSpec(&cs.Children[i])
	}
	return groupKind(cs) + "[" + strings.Join(parts, ", ") + "]"
}

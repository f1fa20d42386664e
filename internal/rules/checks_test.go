package rules

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/rampartwaf/rampart/internal/request"
)

// leafSpec is a condition on one field, with the YAML tag a value of that kind gets.
func leafSpec(f, op, v string) CondSpec {
	c := CondSpec{Field: f, Op: op, Value: v, ValueTag: "!!str", Pos: Pos{File: "rampart.yaml", Line: 9, Col: 9}}
	switch {
	case op == "exists" || op == "doesNotExist":
		c.Value, c.ValueTag = "", ""
	case f == "ws.message_index" || f == "response.status":
		c.ValueTag = "!!int"
	}
	return c
}

func ruleSpec(id string, when CondSpec, action string) RuleSpec {
	return RuleSpec{Key: "rules[0]", ID: id, Pos: Pos{File: "rampart.yaml", Line: 8, Col: 5}, When: &when, Action: ActionSpec{Kind: action}}
}

func items(file string, values ...string) []Item {
	out := make([]Item, len(values))
	for i, v := range values {
		out[i] = Item{Value: v, Pos: Pos{File: file, Line: i + 1, Col: 1}}
	}
	return out
}

// problemsOf compiles spec and returns its problems as "FILE:LINE: message" lines.
func problemsOf(spec Spec) []string {
	_, problems := Compile(spec)
	out := make([]string, len(problems))
	for i, p := range problems {
		out[i] = fmt.Sprintf("%s:%d: %s", p.Pos.File, p.Pos.Line, p.Msg)
	}
	return out
}

// TestCompileChecks: the load-time checks on values, lists and the WebSocket settings,
// each case a spec and the problems it must give (substrings, in order), or none.
func TestCompileChecks(t *testing.T) {
	quoted := leafSpec("header", "greaterEqual", "100")
	quoted.Name, quoted.HasName = "Content-Length", true
	badNumber := quoted
	badNumber.Value = "ten"
	quotedStatus := leafSpec("response.status", "equals", "404")
	quotedStatus.ValueTag = "!!str"
	country := func(op, list string) Spec {
		return Spec{
			GeoIP: true,
			Lists: []ListSpec{
				{Name: "embargoed", Type: "string", Items: items("rampart.yaml", "KP", "kp", "Iran", "UK", "Atlantis", "north korea")},
				{Name: "codes", Type: "string", Items: items("countries.txt", "KP", "IR", "CU")},
				{Name: "lower", Type: "string", Items: items("lower.txt", "kp", "ir")},
				{Name: "patterns", Type: "wildcard", Items: items("p.txt", "*", "K?", "fr")},
				{Name: "regex", Type: "regex", Items: items("r.txt", "^K")},
			},
			Rules: []RuleSpec{ruleSpec("geo", leafSpec("country", op, list), "block")},
		}
	}
	wsOnly := leafSpec("protocol", "equals", "websocket")
	httpOnly := leafSpec("protocol", "equals", "http")
	binary := leafSpec("ws.opcode", "equals", "binary")
	notHTTP := CondSpec{Kind: CondNot, Children: []CondSpec{httpOnly}}
	either := CondSpec{Kind: CondAny, Children: []CondSpec{wsOnly, leafSpec("path", "equals", "/chat")}}
	rate := ruleSpec("flood", wsOnly, "rateLimit")
	rate.Action.RateLimit = &RateLimitSpec{Client: "ip", Threshold: 10, ThresholdOK: true, Interval: time.Minute, IntervalPos: Pos{Line: 1}, Action: ActionSpec{Kind: "block"}}
	disabled := ruleSpec("off", wsOnly, "block")
	disabled.Disabled = true
	noMessages := func(rs ...RuleSpec) Spec {
		return Spec{Rules: rs, NoMessages: true, NoMessagesAt: "rampart.yaml:3"}
	}
	emptyIP := []ListSpec{{Name: "none", Type: "ip"}}
	emptyFile := []ListSpec{{Name: "none", Type: "ip", File: true}}

	for _, tc := range []struct {
		name string
		spec Spec
		want []string
	}{
		{"quoted whole number", Spec{Rules: []RuleSpec{ruleSpec("q", quoted, "block")}}, nil},
		{"quoted status", Spec{Rules: []RuleSpec{ruleSpec("q", quotedStatus, "log")}}, nil},
		{"not a number", Spec{Rules: []RuleSpec{ruleSpec("q", badNumber, "block")}}, []string{`"ten" is not a whole number`}},

		{"country codes", country("inList", "codes"), nil},
		{"country list, names and lower case", country("inList", "embargoed"), []string{
			`rampart.yaml:2: lists.embargoed.items[1]: "kp": list embargoed is tested against country, and countries are ISO codes of two upper-case letters, like FR or US (did you mean "KP"?)`,
			`rampart.yaml:3: lists.embargoed.items[2]: "Iran": list embargoed is tested against country, and countries are ISO codes of two upper-case letters, like FR or US (did you mean "IR"?)`,
			`rampart.yaml:4: lists.embargoed.items[3]: "UK": list embargoed is tested against country, and UK is no ISO code: the United Kingdom is GB`,
			`rampart.yaml:5: lists.embargoed.items[4]: "Atlantis": list embargoed is tested against country, and countries are ISO codes of two upper-case letters, like FR or US`,
			`(did you mean "KP"?)`,
		}},
		{"country notInList is checked too", country("notInList", "lower"), []string{`lower.txt:1: lists.lower.items[0]: "kp"`, `lower.txt:2: lists.lower.items[1]: "ir"`}},
		{"lower case with IgnoreCase", country("inListIgnoreCase", "lower"), nil},
		{"names with IgnoreCase", country("inListIgnoreCase", "embargoed"), []string{`"Iran"`, `"UK"`, `"Atlantis"`, `"north korea"`}},
		{"wildcard list: patterns left alone", country("inList", "patterns"), []string{`p.txt:3: lists.patterns.items[2]: "fr"`}},
		{"regex list left alone", country("inList", "regex"), nil},
		{"country equals lower case", Spec{GeoIP: true, Rules: []RuleSpec{ruleSpec("g", leafSpec("country", "equals", "fr"), "block")}}, []string{`country "fr": countries are ISO codes`}},
		{"country equalsIgnoreCase a name", Spec{GeoIP: true, Rules: []RuleSpec{ruleSpec("g", leafSpec("country", "equalsIgnoreCase", "France"), "block")}}, []string{`(did you mean "FR"?)`}},
		{"a list tested against another field", Spec{Lists: country("inList", "embargoed").Lists, Rules: []RuleSpec{ruleSpec("u", leafSpec("useragent", "inList", "embargoed"), "log")}}, nil},

		{"empty list, inList", Spec{Lists: emptyIP, Rules: []RuleSpec{ruleSpec("e", leafSpec("ip", "inList", "none"), "block")}}, []string{`list "none" has no items, so inList "none" never holds`}},
		{"empty list, notInList", Spec{Lists: emptyIP, Rules: []RuleSpec{ruleSpec("e", leafSpec("ip", "notInList", "none"), "block")}}, nil},
		{"empty list file", Spec{Lists: emptyFile, Rules: []RuleSpec{ruleSpec("e", leafSpec("ip", "inList", "none"), "block")}}, nil},

		{"inspect off: protocol websocket", noMessages(ruleSpec("ws", wsOnly, "log")), []string{`rampart.yaml:8: rules[0]: can never match: this rule's conditions hold only on WebSocket messages, and with websocket.inspect: false (rampart.yaml:3)`}},
		{"inspect off: not http", noMessages(ruleSpec("ws", notHTTP, "log")), []string{"can never match"}},
		{"inspect off: message index", noMessages(ruleSpec("ws", leafSpec("ws.message_index", "greaterEqual", "2"), "log")), []string{"can never match"}},
		{"inspect off: rate limit", noMessages(rate), []string{"this rate limit's conditions hold only on WebSocket messages"}},
		{"inspect off: handshakes", noMessages(ruleSpec("hs", httpOnly, "log")), nil},
		{"inspect off: either", noMessages(ruleSpec("any", either, "log")), nil},
		{"inspect off: no message index", noMessages(ruleSpec("no", leafSpec("ws.message_index", "doesNotExist", ""), "log")), nil},
		{"inspect off: disabled rule", noMessages(disabled), nil},
		{"inspect on", Spec{Rules: []RuleSpec{ruleSpec("ws", wsOnly, "log")}}, nil},
		{"binary on", Spec{Rules: []RuleSpec{ruleSpec("bin", binary, "block")}}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := problemsOf(tc.spec)
			if len(got) != len(tc.want) {
				t.Fatalf("got %d problems, want %d:\n%s", len(got), len(tc.want), strings.Join(got, "\n"))
			}
			for i, w := range tc.want {
				if !strings.Contains(got[i], w) {
					t.Errorf("problem %d:\n got %s\nwant it to contain %s", i, got[i], w)
				}
			}
		})
	}
}

// TestReportedValues: a rate limit or threshold value the reader reported is not called
// missing or out of range too.
func TestReportedValues(t *testing.T) {
	rl := ruleSpec("r", leafSpec("path", "equals", "/"), "rateLimit")
	rl.Key = "rate_limits[0]"
	rl.Action.RateLimit = &RateLimitSpec{Client: "ip", Action: ActionSpec{Kind: "block"},
		Reported: ReportedThreshold | ReportedInterval | ReportedDuration}
	spec := Spec{Rules: []RuleSpec{rl}, Thresholds: ThresholdSpec{Set: true, LimitsSet: true, Limits: []LimitSpec{
		{Pos: Pos{Line: 3}, Reported: ReportedThreshold | ReportedInterval},
	}}}
	_, problems := Compile(spec)
	for _, p := range problems {
		t.Errorf("unexpected problem: %s", p.Msg)
	}
	rl.Action.RateLimit.Reported = 0
	spec.Thresholds.Limits[0].Reported = 0
	if got := problemsOf(spec); len(got) != 4 {
		t.Errorf("without Reported: %d problems, want 4 (threshold, interval, requests, interval):\n%s", len(got), strings.Join(got, "\n"))
	}
}

// TestTagOrderNamesTheFile: a tag added by a rule of another file is named with it.
func TestTagOrderNamesTheFile(t *testing.T) {
	test := ruleSpec("block-tagged", leafSpec("signal", "equals", "CHAT-LINK"), "block")
	test.When.ValuePos = Pos{File: "rampart.yaml", Line: 9, Col: 40}
	sameFile := RuleSpec{Key: "rules[1]", ID: "chat-links", Pos: Pos{File: "rampart.yaml", Line: 12, Col: 5},
		When:   &CondSpec{Field: "path", Op: "equals", Value: "/chat", ValueTag: "!!str"},
		Action: ActionSpec{Kind: "tag", Tags: []Item{{Value: "CHAT-LINK"}}}}
	otherFile := sameFile
	otherFile.Pos.File = "rules.d/chat.yaml"
	for _, tc := range []struct {
		adder RuleSpec
		want  string
	}{
		{sameFile, "added only by rule chat-links (line 12), which runs after this rule"},
		{otherFile, "added only by rule chat-links (rules.d/chat.yaml:12), which runs after this rule"},
	} {
		got := problemsOf(Spec{Rules: []RuleSpec{test, tc.adder}})
		if len(got) != 1 || !strings.Contains(got[0], tc.want) {
			t.Errorf("got %q, want one problem with %q", got, tc.want)
		}
	}
}

func TestParseListIPHostBits(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"1.2.3.4/24", "1.2.3.0/24"},
		{"10.1.2.3/8", "10.0.0.0/8"},
		{"2001:db8::1/32", "2001:db8::/32"},
		{"::ffff:198.51.100.7/120", "198.51.100.0/24"},
		{"192.0.2.1", "192.0.2.1/32"},
		{"192.0.2.0/24", "192.0.2.0/24"},
	} {
		p, err := parseListIP(tc.in)
		if err != nil || p != netip.MustParsePrefix(tc.want) {
			t.Errorf("parseListIP(%q) = %v, %v; want %s", tc.in, p, err, tc.want)
		}
	}
	l := compileList(&ListSpec{Name: "x", Type: "ip", Items: items("x.txt", "203.0.113.7/24")}, "lists.x", func(Pos, string, error, string, ...any) { t.Fatal("problem") })
	if !l.hasIP(netip.MustParseAddr("203.0.113.200")) || l.hasIP(netip.MustParseAddr("203.0.114.1")) {
		t.Error("203.0.113.7/24 is not the network 203.0.113.0/24")
	}
}

func TestCheckCountry(t *testing.T) {
	for _, tc := range []struct {
		v          string
		fold       bool
		wrong      bool
		suggestion string
	}{
		{"FR", false, false, ""},
		{"fr", false, true, "FR"},
		{"fr", true, false, ""},
		{"Fr", true, false, ""},
		{"UK", false, true, ""},
		{"uk", true, true, ""},
		{"Iran", false, true, "IR"},
		{"IRAN", true, true, "IR"},
		{"North Korea", false, true, "KP"},
		{"Côte d'Ivoire", false, true, "CI"},
		{"cote divoire", false, true, "CI"},
		{"United States of America", false, true, "US"},
		{"The Netherlands", false, true, "NL"},
		{"Germny", false, true, "DE"},
		{"Atlantis", false, true, ""},
		{"F", false, true, ""},
		{"FRA", false, true, ""},
		{"", false, true, ""},
		{"F1", false, true, ""},
	} {
		why, code := checkCountry(tc.v, tc.fold)
		if (why != "") != tc.wrong || code != tc.suggestion {
			t.Errorf("checkCountry(%q, %v) = %q, %q; want wrong %v, suggestion %q", tc.v, tc.fold, why, code, tc.wrong, tc.suggestion)
		}
	}
	// Every code of the table is two upper-case letters, and every name leads back to it.
	for _, line := range strings.Split(countryNames, "\n") {
		code, names, _ := strings.Cut(line, " ")
		if why, _ := checkCountry(code, false); why != "" {
			t.Errorf("code %q of the table is rejected: %s", code, why)
		}
		for _, n := range strings.Split(names, "|") {
			if got := countryCodeFor(n); got != code {
				t.Errorf("countryCodeFor(%q) = %q, want %q", n, got, code)
			}
		}
	}
}

// TestMessagesNeverIsSound: a rule the WebSocket settings make an error for never
// matches what is judged with those settings: with websocket.inspect false, no HTTP
// request (a handshake is one). Conditions are pairs of tests under all, any and not.
func TestMessagesNeverIsSound(t *testing.T) {
	var leaves []CondSpec
	for _, op := range []string{"equals", "doesNotEqual"} {
		leaves = append(leaves, leafSpec("protocol", op, "http"), leafSpec("protocol", op, "websocket"),
			leafSpec("ws.opcode", op, "text"), leafSpec("ws.opcode", op, "binary"))
	}
	leaves = append(leaves, leafSpec("ws.opcode", "equalsIgnoreCase", "binary"), leafSpec("ws.message_index", "greaterEqual", "1"),
		leafSpec("ws.message_index", "doesNotExist", ""), leafSpec("ws.opcode", "exists", ""), leafSpec("path", "equals", "/a"))
	var conds []CondSpec
	for _, a := range leaves {
		conds = append(conds, a, CondSpec{Kind: CondNot, Children: []CondSpec{a}})
		for _, b := range leaves {
			for _, k := range []CondKind{CondAll, CondAny} {
				g := CondSpec{Kind: k, Children: []CondSpec{a, b}}
				conds = append(conds, g, CondSpec{Kind: CondNot, Children: []CondSpec{g}})
			}
		}
	}
	var httpReqs []*request.Request
	for _, path := range []string{"/a", "/b"} {
		httpReqs = append(httpReqs, &request.Request{Path: path})
	}
	flagged := 0
	for _, when := range conds {
		for _, spec := range []Spec{{NoMessages: true}} {
			spec.Rules = []RuleSpec{ruleSpec("r", when, "log")}
			_, problems := Compile(spec)
			if len(problems) == 0 {
				continue
			}
			// Compiled without the setting: the rule as it would run.
			spec.NoMessages = false
			p, others := Compile(spec)
			if len(others) > 0 {
				continue // a mistake of its own (a contradiction, say)
			}
			for _, pr := range problems {
				if !errors.Is(pr.Err, ErrNever) {
					t.Fatalf("%s: unexpected problem %s", describeSpec(&when), pr.Msg)
				}
			}
			flagged++
			for _, r := range httpReqs {
				if p.Rules()[0].Matches(r) {
					t.Errorf("%s: reported as never matching, but matches %+v", describeSpec(&when), r)
				}
			}
		}
	}
	t.Logf("%d conditions flagged with inspect false, of %d", flagged, len(conds))
	if flagged == 0 {
		t.Errorf("no condition flagged: the test tests nothing")
	}
}

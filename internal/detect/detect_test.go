package detect

import (
	"strconv"
	"strings"
	"testing"

	"github.com/rampartwaf/rampart/internal/decode"
	"github.com/rampartwaf/rampart/internal/parse"
	"github.com/rampartwaf/rampart/internal/request"
)

func has(r *request.Request, name, param string) bool {
	for _, s := range r.Signals {
		if s.Name == name && s.Param == param {
			return true
		}
	}
	return false
}

func TestInspectVariants(t *testing.T) {
	tests := []struct {
		name    string
		param   request.Param
		want    []string // signals expected on the parameter
		notWant []string
	}{
		{"raw sqli", request.Param{Source: request.SourceQuery, Name: "id", Value: "1 or true--"}, []string{SQLI}, []string{DOUBLEENCODING}},
		{"double encoded xss", request.Param{Source: request.SourceQuery, Name: "q", Value: "%3Cscript%3Ealert(1)%3C/script%3E", URLDecoded: true}, []string{XSS, DOUBLEENCODING}, nil},
		{"json once encoded is not double", request.Param{Source: request.SourceJSON, Name: "a.b", Value: "%3Csvg/onload=alert(1)%3E"}, []string{XSS}, []string{DOUBLEENCODING}},
		{"json twice encoded", request.Param{Source: request.SourceJSON, Name: "a.b", Value: "%253Csvg/onload=alert(1)%253E"}, []string{XSS, DOUBLEENCODING}, nil},
		{"entities", request.Param{Source: request.SourceForm, Name: "c", Value: "&lt;img src=x onerror=alert(1)&gt;"}, []string{XSS}, nil},
		{"js escapes", request.Param{Source: request.SourceJSON, Name: "m", Value: `\u003cscript\u003ealert(1)\u003c/script\u003e`}, []string{XSS}, nil},
		{"base64 sqli", request.Param{Source: request.SourceCookie, Name: "sess", Value: "JyBvciAxPTEgLS0g"}, []string{SQLI}, nil},
		{"comments folded", request.Param{Source: request.SourceQuery, Name: "id", Value: "1/**/or/**/true"}, []string{SQLI}, nil},
		{"json key", request.Param{Source: request.SourceJSON, Name: "<svg onload=alert(1)>", Value: "<svg onload=alert(1)>", Key: true}, []string{XSS}, nil},
		{"entities of a script", request.Param{Source: request.SourceJSON, Name: "html", Value: "&lt;script&gt;alert(1)&lt;/script&gt;"}, []string{XSS}, nil},
		{"entities of an unclosed script", request.Param{Source: request.SourceJSON, Name: "html", Value: "&lt;script&gt;alert(1)"}, []string{XSS}, nil},
		{"entities of a script tag named in editor html", request.Param{Source: request.SourceJSON, Name: "html", Value: "<p>Use the <code>&lt;script&gt;</code> tag only at the end of <code>&lt;body&gt;</code>.</p>"}, nil, []string{XSS}},
		{"benign", request.Param{Source: request.SourceQuery, Name: "q", Value: "blue shoes size 42"}, nil, []string{SQLI, XSS, DOUBLEENCODING}},
		{"benign encoded", request.Param{Source: request.SourceQuery, Name: "next", Value: "/search%3Fq%3Dshoes", URLDecoded: true}, []string{DOUBLEENCODING}, []string{SQLI, XSS}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &request.Request{Params: []request.Param{tt.param}}
			Inspect(r)
			for _, w := range tt.want {
				if !has(r, w, tt.param.Name) {
					t.Errorf("missing %s on %q, got %+v", w, tt.param.Value, r.Signals)
				}
			}
			for _, w := range tt.notWant {
				if has(r, w, tt.param.Name) {
					t.Errorf("unexpected %s on %q, got %+v", w, tt.param.Value, r.Signals)
				}
			}
		})
	}
}

// TestDoubleEncoding checks that DOUBLEENCODING means more than one round of percent
// decoding was needed to read a value as sent: the parser's round (query, form, cookie
// and path values) counts only when it decoded a %XX escape, and %uXXXX is one round
// like %XX.
func TestDoubleEncoding(t *testing.T) {
	tests := []struct {
		name   string
		uri    string // request target; the path is decoded from it as net/http does
		header string // one extra header, "Name: value"
		ctype  string
		body   string
		want   bool
	}{
		{"query %u once", "/?q=caf%u00e9", "", "", "", false},
		{"query %u upper once", "/?q=%U0041BC", "", "", "", false},
		{"query %XX once", "/?q=caf%C3%A9", "", "", "", false},
		{"query %XX then %u", "/?q=caf%25u00e9", "", "", "", true},
		{"query %XX twice", "/?q=%253Cscript%253E", "", "", "", true},
		{"query %u then %XX", "/?q=%u0025%u0033%u0043b", "", "", "", true},
		{"query %XX, entity, %XX", "/?q=%26%2337%3B3Cb", "", "", "", true},
		{"query plus and %u", "/?q=a+caf%u00e9", "", "", "", false},
		{"form %u once", "/", "", "application/x-www-form-urlencoded", "q=caf%u00e9", false},
		{"form %XX twice", "/", "", "application/x-www-form-urlencoded", "q=%2527", true},
		{"cookie %u once", "/", "Cookie: c=caf%u00e9", "", "", false},
		{"cookie %XX once", "/", "Cookie: c=%3Cb%3E", "", "", false},
		{"cookie %XX twice", "/", "Cookie: c=%253Cb%253E", "", "", true},
		{"path %u once", "/caf%u00e9/x", "", "", "", false},
		{"path %XX twice", "/a%252e%252e/x", "", "", "", true},
		{"json %u once", "/", "", "application/json", `{"q":"caf%u00e9"}`, false},
		{"json %XX once", "/", "", "application/json", `{"q":"%3Cb%3E"}`, false},
		{"json %XX twice", "/", "", "application/json", `{"q":"%253Cb%253E"}`, true},
		{"header %u once", "/", "X-Q: caf%u00e9", "", "", false},
		{"header %XX twice", "/", "X-Q: %2527", "", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path, query, _ := strings.Cut(tt.uri, "?")
			r := &request.Request{Method: "GET", URI: tt.uri, Path: unescapeValid(path), RawQuery: query,
				ContentType: tt.ctype, Body: []byte(tt.body)}
			if name, value, ok := strings.Cut(tt.header, ": "); ok {
				r.Headers = append(r.Headers, request.Header{Name: name, Value: value})
			}
			parse.Fill(r, parse.Limits{})
			Inspect(r)
			if got := r.HasSignal(DOUBLEENCODING); got != tt.want {
				t.Errorf("DOUBLEENCODING = %v, want %v (params %+v, signals %+v)", got, tt.want, r.Params, r.Signals)
			}
		})
	}
}

// unescapeValid decodes the valid %XX escapes of a path and keeps the others, as the
// replay does (net/http refuses such a path).
func unescapeValid(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) {
			if v, err := strconv.ParseUint(s[i+1:i+3], 16, 8); err == nil {
				b.WriteByte(byte(v))
				i += 2
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// TestFragmentNotAliased checks that a fragment matched in a decoded variant is copied
// out of the decoder's pooled buffer: later inspections must not change it.
func TestFragmentNotAliased(t *testing.T) {
	r := &request.Request{Params: []request.Param{{Source: request.SourceJSON, Name: "x", Value: "%253Cscript%253Ealert(1)%253C/script%253E"}}}
	Inspect(r)
	var frag string
	for _, s := range r.Signals {
		if s.Name == XSS {
			frag = s.Fragment
		}
	}
	if !strings.Contains(frag, "<script>") {
		t.Fatalf("XSS fragment = %q, want the decoded script tag", frag)
	}
	want := strings.Clone(frag)
	for i := 0; i < 20; i++ {
		Inspect(&request.Request{Params: []request.Param{{Source: request.SourceJSON, Name: "y", Value: "%2541%2542%2543%2544%2545%2546%2547%2548%2549%2550%2551"}}})
	}
	if frag != want {
		t.Fatalf("fragment changed after reuse of the decoder: %q, was %q", frag, want)
	}
}

func TestDecodedChecksSeeFacts(t *testing.T) {
	var got []decode.Facts
	saved := decodedChecks
	defer func() { decodedChecks = saved }()
	decodedChecks = append(decodedChecks[:len(decodedChecks):len(decodedChecks)], func(_ *request.Request, _ *request.Param, f decode.Facts) {
		got = append(got, f)
	})
	r := &request.Request{Params: []request.Param{
		{Source: request.SourceQuery, Name: "a", Value: "file%00.jpg"},
		{Source: request.SourceQuery, Name: "b", Value: "plain"},
	}}
	Inspect(r)
	if len(got) != 2 {
		t.Fatalf("decoded check called %d times, want 2", len(got))
	}
	if !got[0].NUL || got[0].URLRounds != 1 {
		t.Errorf("facts for file%%00.jpg = %+v, want NUL and one URL round", got[0])
	}
	if got[1].NUL || got[1].Variants != 0 {
		t.Errorf("facts for plain = %+v, want none", got[1])
	}
}

func TestFragmentCut(t *testing.T) {
	long := strings.Repeat("é", 40) // 80 bytes, two per rune
	f := fragment(long)
	if len(f) > 64 || !strings.HasPrefix(long, f) || len(f)%2 != 0 {
		t.Fatalf("fragment cut %q (%d bytes) off a rune boundary or too long", f, len(f))
	}
}

func TestValueClasses(t *testing.T) {
	if got := valueClasses(""); got != 0 {
		t.Errorf("classes of \"\" = %#x, want 0", got)
	}
	// Every punctuation byte is a class of its own.
	seen := byteClass(0)
	for i := 0; i < len(punctBytes); i++ {
		c := classesOf(punctBytes[i : i+1])
		if c == 0 || c&(c-1) != 0 || seen&c != 0 {
			t.Fatalf("class of %q = %#x: not one class of its own", punctBytes[i], c)
		}
		seen |= c
	}
	tests := []struct {
		v    string
		want byteClass
	}{
		{"abc", classLower},
		{"Abc9", classLetter | classDigit},
		{"x9", classAlnum &^ classUpper},
		{"a b\tc", classLower | classAnySpace},
		{"x\x00\x7f", classLower | classCtl},
		{"é", classHigh},
		{"<svg onload=x>", classLower | classSpace | classesOf("<=>")},
		{"1' or '1", classDigit | classLower | classSpace | classesOf("'")},
	}
	for _, tt := range tests {
		if got := valueClasses(tt.v); got != tt.want {
			t.Errorf("valueClasses(%q) = %#x, want %#x", tt.v, got, tt.want)
		}
	}
	if !valueClasses("a(b").has(classesOf("()")) || valueClasses("ab").has(classesOf("()")) {
		t.Error("has: wrong answer for a parenthesis")
	}
}

func TestValueNeed(t *testing.T) {
	need := valueNeed{minLen: 3, any: classesOf("<("), also: classLetter}
	tests := []struct {
		v    string
		want bool
	}{
		{"a<b", true},
		{"F(x)", true},
		{"<((", false}, // no letter
		{"a<", false},  // too short
		{"abc", false}, // neither '<' nor '('
	}
	for _, tt := range tests {
		if got := need.met(len(tt.v), valueClasses(tt.v)); got != tt.want {
			t.Errorf("met(%q) = %v, want %v", tt.v, got, tt.want)
		}
	}
	if !(valueNeed{}).met(0, 0) {
		t.Error("the zero need is not met by an empty value")
	}
}

// TestFilteredDispatch checks that a family registered with a prefilter is called only
// on the variants that meet it, with their classes.
func TestFilteredDispatch(t *testing.T) {
	saved := valueChecks
	defer func() { valueChecks = saved }()
	type call struct {
		v       string
		classes byteClass
	}
	var calls []call
	valueChecks = nil
	registerValueFiltered("TEST", valueNeed{minLen: 3, any: classesOf("<")}, func(_ *request.Param, v string, classes byteClass) (string, bool) {
		calls = append(calls, call{strings.Clone(v), classes}) // v may alias a decoder buffer
		return v, strings.Contains(v, "<script")
	})
	r := &request.Request{Params: []request.Param{
		{Source: request.SourceQuery, Name: "a", Value: "plain text"},     // never
		{Source: request.SourceQuery, Name: "b", Value: "%3Cb%3E"},        // only decoded: "<b>"
		{Source: request.SourceQuery, Name: "c", Value: "%3Cscript%3Ex"},  // decoded, matches
		{Source: request.SourceQuery, Name: "d", Value: "x<"},             // too short
		{Source: request.SourceQuery, Name: "e", Value: "a<script>alert"}, // raw, matches
	}}
	Inspect(r)
	want := []string{"<b>", "<script>x", "a<script>alert"}
	if len(calls) != len(want) {
		t.Fatalf("calls = %+v, want %q", calls, want)
	}
	for i, c := range calls {
		if c.v != want[i] || c.classes != valueClasses(want[i]) {
			t.Errorf("call %d = %q %#x, want %q %#x", i, c.v, c.classes, want[i], valueClasses(want[i]))
		}
	}
	if !has(r, "TEST", "c") || !has(r, "TEST", "e") || has(r, "TEST", "b") {
		t.Errorf("signals = %+v, want TEST on c and e", r.Signals)
	}
}

// TestJudgedSkipped checks that a parameter judged before (a WebSocket handshake's,
// carried by a message) is not judged again, and that Inspect marks what it judged.
func TestJudgedSkipped(t *testing.T) {
	attack := "%3Cscript%3Ealert(1)%3C/script%3E"
	r := &request.Request{Params: []request.Param{
		{Source: request.SourceCookie, Name: "old", Value: attack, Judged: true},
		{Source: request.SourceCookie, Name: "new", Value: attack},
	}}
	Inspect(r)
	if has(r, XSS, "old") || has(r, DOUBLEENCODING, "old") {
		t.Errorf("a judged parameter was judged again: %+v", r.Signals)
	}
	if !has(r, XSS, "new") {
		t.Errorf("XSS missing on the parameter not judged yet: %+v", r.Signals)
	}
	if !r.Params[1].Judged {
		t.Error("Inspect did not mark the parameter it judged")
	}
}

// TestLiteralsAndEmptyValuesSkipped checks that JSON literals and empty values are not
// judged (there is nothing in them), while a key parameter beside them is.
func TestLiteralsAndEmptyValuesSkipped(t *testing.T) {
	attack := "1 or true--"
	r := &request.Request{Params: []request.Param{
		// Literal is set by the parser on numbers, true, false and null only: an attack
		// string marked so shows the dispatch does not look.
		{Source: request.SourceJSON, Name: "n", Value: attack, Literal: true},
		{Source: request.SourceQuery, Name: "e", Value: ""},
		{Source: request.SourceJSON, Name: "f.$ne", Value: "$ne", Key: true},
		{Source: request.SourceJSON, Name: "f.$ne", Value: "", Literal: true},
		{Source: request.SourceJSON, Name: "s", Value: attack},
	}}
	Inspect(r)
	if has(r, SQLI, "n") {
		t.Errorf("a literal was judged: %+v", r.Signals)
	}
	if !has(r, NOSQLI, "f.$ne") || !has(r, SQLI, "s") {
		t.Errorf("signals = %+v, want NOSQLI on the key f.$ne and SQLI on s", r.Signals)
	}
}

// TestSameSignalSkipped checks that once a check matched a parameter, the other checks
// raising the same signal are not run on it, while checks of other signals are.
func TestSameSignalSkipped(t *testing.T) {
	saved := valueChecks
	defer func() { valueChecks = saved }()
	valueChecks = nil
	calls := map[string]int{}
	check := func(name string, ok bool) func(*request.Param, string) (string, bool) {
		return func(_ *request.Param, v string) (string, bool) {
			calls[name]++
			return name, ok
		}
	}
	registerValue("A", check("a1", true))
	registerValue("B", check("b", false))
	registerValue("A", check("a2", true))
	registerValue("C", check("c", true))
	r := &request.Request{Params: []request.Param{{Source: request.SourceJSON, Name: "q", Value: "x%41"}}}
	Inspect(r)
	if calls["a1"] != 1 || calls["a2"] != 0 || calls["b"] != 2 || calls["c"] != 1 {
		t.Errorf("calls = %v, want a1 once, a2 never, b on both variants, c once", calls)
	}
	if len(r.Signals) != 2 || r.Signals[0].Fragment != "a1" || r.Signals[1].Name != "C" {
		t.Errorf("signals = %+v, want A (from a1) and C", r.Signals)
	}
}

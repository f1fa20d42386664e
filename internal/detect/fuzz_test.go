package detect

import (
	"strings"
	"testing"

	"github.com/rampartwaf/rampart/internal/decode"
	"github.com/rampartwaf/rampart/internal/request"
)

// jsonEscapeHTML escapes the markup and quote characters of v the way JSON encoders do
// for HTML safety (\u003c), as a value nested in a JSON string inside another JSON
// document arrives.
func jsonEscapeHTML(v string) string {
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		switch c := v[i]; c {
		case '<', '>', '&', '\'', '"':
			const hex = "0123456789abcdef"
			b.WriteString(`\u00`)
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&0xF])
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// FuzzEscapeInvariance checks that detection does not depend on the encoding a value
// arrives in: for a value that needs no decoding, every SQLI or XSS signal it raises is
// also raised when the value arrives JSON-escaped (<, >, &, quotes as \u00XX), since the
// dispatch runs the detectors on the decoded variant. This ties decode and detect
// together: a decoder that mangles or a dispatch that skips variants breaks it.
func FuzzEscapeInvariance(f *testing.F) {
	for _, s := range []string{
		"<script>alert(1)</script>", "' or 1=1--", "1 or true", "<svg/onload=alert(1)>",
		"x' and sleep(5)#", "O'Brien", "a < b > c", `" onmouseover="alert(1)`, "javascript:alert(1)",
		`<iframe src="https://www.youtube.com/embed/x"></iframe>`, "Use <script defer> or `<script>`, then <code><script></code>",
		`<b @click="select(user)">`, `<!--[if gte mso 9]><xml></xml><![endif]-->`, `<meta http-equiv="Content-Type" content="text/html">`,
	} {
		f.Add(s)
	}
	d := decode.Get()
	f.Fuzz(func(t *testing.T, v string) {
		if v == "" || strings.IndexByte(v, '\\') >= 0 {
			return
		}
		stable := true
		d.Variants(v, func(string, decode.Transform) bool { stable = false; return false })
		if !stable {
			return // v itself decodes further; its escaped form would not decode back to it
		}
		raw := &request.Request{Params: []request.Param{{Source: request.SourceJSON, Name: "v", Value: v}}}
		Inspect(raw)
		esc := &request.Request{Params: []request.Param{{Source: request.SourceJSON, Name: "v", Value: jsonEscapeHTML(v)}}}
		Inspect(esc)
		for _, sig := range []string{SQLI, XSS} {
			if has(raw, sig, "v") && !has(esc, sig, "v") {
				t.Fatalf("%s raised on %q but not on its escaped form %q", sig, v, jsonEscapeHTML(v))
			}
		}
	})
}

package decode

import (
	"strings"
	"testing"
)

// FuzzVariants checks the properties callers rely on: no variant is longer than the
// value (decoding only shrinks, so buffers stay bounded; base64 runs and JSON strings
// inside a value included), no variant equals the value or
// repeats, the facts agree with what was yielded, and decoding is deterministic.
func FuzzVariants(f *testing.F) {
	for _, s := range []string{
		"%3Cscript%3E", "%253C", "%u003c%uFF1C", "&#x3c;&lt&NewLine;&#0000060", `\u003c\u{3c}\x3c\074\ud83d\ude00`,
		"..%c0%af\xe0\x80\xaf", "UNION/*!50000SELECT*/1", "a\x00b\tc", "PHNjcmlwdD4=",
		"data:text/html;base64,PHNjcmlwdD4=", "&#x10FFFF;&#99999999999;", `\u{10FFFF}\u{FFFFFFF}`,
		`s:4:"path";s:16:"L2V0Yy9wYXNzd2Q=";`, `{"id":"MSB8fCBpZCB8fA=="}`, "a[PHN2Zz48L3N2Zz4=]", "x=PHN2Zz4-Pz4-",
		`{"q":"1' or 1=1","k":["a b",{"c":"\"d\""}]}`, `["unterminated`, "eyJhIjoiYiJ9.eyJjIjoiZCJ9.sig", "MSBvciAxPTEg",
		`%7B%22q%22%3A%22TVNCdmNpQXhQVEVn%22%7D`,
	} {
		f.Add(s)
	}
	d := Get()
	f.Fuzz(func(t *testing.T, v string) {
		var first []string
		facts := d.Variants(v, func(s string, how Transform) bool {
			if len(s) > len(v) {
				t.Fatalf("variant %q (%v) of %q is longer than the value", s, how, v)
			}
			if s == v {
				t.Fatalf("variant (%v) of %q equals the value", how, v)
			}
			if how == 0 {
				t.Fatalf("variant %q of %q has no transform", s, v)
			}
			first = append(first, how.String()+":"+strings.Clone(s))
			return true
		})
		if facts.Variants != len(first) {
			t.Fatalf("Facts.Variants = %d, yielded %d", facts.Variants, len(first))
		}
		if facts.URLRounds > MaxRounds {
			t.Fatalf("URLRounds = %d > MaxRounds", facts.URLRounds)
		}
		var again []string
		d.Variants(v, func(s string, how Transform) bool {
			again = append(again, how.String()+":"+strings.Clone(s))
			return true
		})
		if strings.Join(first, "\x01") != strings.Join(again, "\x01") {
			t.Fatalf("Variants(%q) not deterministic:\n%q\n%q", v, first, again)
		}
	})
}

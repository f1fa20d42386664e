package request

import (
	"strings"
	"testing"
)

// FuzzRedactText checks that redaction never panics, is stable (redacting a redacted
// text changes nothing) and only replaces (what it keeps of the text is there, in
// order), for RedactText on a whole text and RedactFragment on a part of it. Seeds are
// the f.Add calls. Run it by hand:
// go test ./internal/request -run '^$' -fuzz '^FuzzRedactText$' -fuzztime 20s.
func FuzzRedactText(f *testing.F) {
	for _, s := range []string{
		"user=x' or 1=1--&password=hunter2",
		`{"user":"bob","password":"MyRealPassw0rd"`,
		`{"credentials":{"a":[1,"]"]},"pin":12}`,
		"<login><password><![CDATA[x]]></password></login>",
		"https://u:p@h/?token=%22x&next=%2F%3Fpin%3D1",
		`"data":"{\"token\":\"abc`,
		"document.querySelector('#main > .card:first-child'); card:hover2; pin::before",
	} {
		f.Add(s, 3)
	}
	f.Fuzz(func(t *testing.T, s string, cut int) {
		check := func(in, got string) {
			t.Helper()
			if again := RedactText(got); again != got {
				t.Fatalf("redaction of %q not stable:\n%q\n%q", in, got, again)
			}
			rest := in
			for _, part := range strings.Split(got, Redacted) {
				i := strings.Index(rest, part)
				if i < 0 {
					t.Fatalf("redaction of %q = %q: %q is not from the text", in, got, part)
				}
				rest = rest[i+len(part):]
			}
		}
		check(s, RedactText(s))
		if len(s) > 0 {
			cut = (cut%len(s) + len(s)) % len(s)
			check(s[cut:], RedactFragment(s, s[cut:]))
			check(s[:cut], RedactFragment(s, s[:cut]))
		}
	})
}

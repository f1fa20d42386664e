package rules

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzLike checks the like operator against a regular expression built from the same
// pattern (each * as (?s:.*), each ? as one character, the rest quoted), with and
// without case folding, and indexFold against strings.Index on lowered strings.
// Run it longer by hand: go test ./internal/rules -run '^$' -fuzz FuzzLike -fuzztime 30s
func FuzzLike(f *testing.F) {
	for _, s := range [][2]string{
		{"*sqlmap*", "Mozilla sqlmap/1.7"}, {"a?c", "abc"}, {`100\*`, "100*"}, {"**a**b", "xxaxxb"},
		{"/api/*/users", "/API/v1/users"}, {"user.*", "user.emails[0]"}, {"*a*a*a*", "aaaa"}, {"?", "é"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, pat, s string) {
		if len(pat) > 64 || len(s) > 256 || !utf8.ValidString(pat) {
			return
		}
		for _, fold := range []bool{false, true} {
			if fold && !(isASCII(pat) && isASCII(s)) {
				continue // like folds ASCII only; (?i) folds Unicode
			}
			re := likeRegexp(pat, fold)
			g := newGlob(pat, fold)
			if got, want := g.match(s), re.MatchString(s); got != want {
				t.Fatalf("%q like %q (fold %v) = %v, regexp %s says %v", s, pat, fold, got, re, want)
			}
		}
		low := strings.ToLower(pat)
		if isASCII(s) && isASCII(low) {
			if got, want := indexFold(s, low), strings.Index(strings.ToLower(s), low); got != want {
				t.Fatalf("indexFold(%q, %q) = %d, want %d", s, low, got, want)
			}
		}
	})
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// likeRegexp is the reference meaning of a like pattern.
func likeRegexp(p string, fold bool) *regexp.Regexp {
	var b strings.Builder
	b.WriteString("^")
	if fold {
		b.WriteString("(?i)")
	}
	for i := 0; i < len(p); i++ {
		switch c := p[i]; {
		case c == '*':
			b.WriteString("(?s:.*)")
		case c == '?':
			b.WriteString("(?s:.)")
		case c == '\\' && i+1 < len(p):
			i++
			b.WriteString(regexp.QuoteMeta(p[i : i+1]))
		default:
			b.WriteString(regexp.QuoteMeta(p[i : i+1]))
		}
	}
	b.WriteString("$")
	return regexp.MustCompile(b.String())
}

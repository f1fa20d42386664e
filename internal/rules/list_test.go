package rules

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// wildcardList compiles a wildcard list of items.
func wildcardList(t testing.TB, items ...string) *list {
	t.Helper()
	var its []Item
	for _, s := range items {
		its = append(its, Item{Value: s})
	}
	return compileList(&ListSpec{Name: "w", Type: "wildcard", Items: its}, "lists.w", func(_ Pos, key string, _ error, format string, args ...any) {
		t.Fatalf("%s: %s", key, fmt.Sprintf(format, args...))
	})
}

// linearHas is the reference lookup: every item tried in turn as a like pattern.
func linearHas(items []string, s string, fold bool) bool {
	for _, it := range items {
		g := newGlob(it, fold)
		if g.match(s) {
			return true
		}
	}
	return false
}

func TestWildcardList(t *testing.T) {
	for _, c := range []struct {
		name  string
		items []string
		in    []string // in the list, exact and ignoring case
		fold  []string // in the list ignoring case only
		out   []string // not in the list either way
	}{
		{"key between stars", []string{"*sqlmap*", "*nikto*"},
			[]string{"sqlmap/1.7", "Mozilla nikto", "nikto", "xsqlmapx"}, []string{"SQLMap/1.7", "NIKTO"}, []string{"sqlma", "nikt", ""}},
		{"prefix", []string{"curl/7.*", "masscan/*"},
			[]string{"curl/7.68.0", "curl/7.", "masscan/1.3"}, []string{"CURL/7.1", "MassCan/2"}, []string{"xcurl/7.68", "curl/8.0", "my masscan/1"}},
		{"suffix", []string{"*.php", "*/wp-login.php"},
			[]string{"/index.php", ".php", "/a/wp-login.php"}, []string{"/INDEX.PHP"}, []string{"/index.php5", "/php", "/index.php/x"}},
		{"key inside a longer pattern", []string{"Mozilla/5.0 (*) *bot/?.?*"},
			[]string{"Mozilla/5.0 (compatible) Googlebot/2.1 (+http://www.google.com/bot.html)"},
			[]string{"mozilla/5.0 (X) BOT/1.1"}, []string{"Mozilla/5.0 (compatible) Googlebot/21", "Mozilla/4.0 (x) bot/2.1"}},
		{"two pieces", []string{"*foo*bar*"},
			[]string{"foobar", "xfooxbarx", "barfoobar"}, []string{"FOOBAR"}, []string{"barfoo", "foo", "bar"}},
		{"keys inside keys", []string{"*bot*", "*googlebot*", "*ot*"},
			[]string{"googlebot", "bot", "ot", "robots"}, []string{"GoogleBOT"}, []string{"o", "b", "goog"}},
		{"a key found many times", []string{"*ab*c"},
			[]string{strings.Repeat("ab", 2000) + "c"}, nil, []string{strings.Repeat("ab", 2000), strings.Repeat("ab", 2000) + "cd"}},
		{"question marks", []string{"a?c", "??x??"},
			[]string{"abc", "aéc", "12x34", "éáx√√"}, []string{"AbC"}, []string{"ac", "abbc", "1x2", "12x345"}},
		{"escapes", []string{`100\*`, `a\?b*`, `*\\`},
			[]string{"100*", "a?bc", `c:\`}, []string{"A?B"}, []string{"1000", "axbc", `c:/`}},
		{"stars only", []string{"**"}, []string{"", "anything"}, nil, nil},
		{"characters only", []string{"???", "?*??"}, []string{"abc", "abcdef", "ééé"}, nil, []string{"ab", "éé", "a", ""}},
		{"exact items beside patterns", []string{"Acme", "*bot*"}, []string{"Acme", "bot"}, []string{"ACME"}, []string{"Acm", "Acmes"}},
		{"duplicates", []string{"*x*", "*x*", "x*"}, []string{"x", "axa"}, []string{"X"}, []string{"y"}},
		{"non-ASCII letters fold as themselves", []string{"*Équipe*", "Ünïcode"},
			[]string{"Équipe", "Ünïcode"}, []string{"ÉQUIPE", "ÜNïCODE"}, []string{"équipe", "ünïcode"}},
		{"empty", nil, nil, nil, []string{"", "x"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			l := wildcardList(t, c.items...)
			check := func(s string, fold, want bool) {
				t.Helper()
				if got := l.hasString(s, fold); got != want {
					t.Errorf("%q in %q (fold %v) = %v, want %v", s, c.items, fold, got, want)
				}
				if ref := linearHas(c.items, s, fold); ref != want {
					t.Errorf("the test is wrong: %q in %q (fold %v): a linear scan says %v", s, c.items, fold, ref)
				}
			}
			for _, s := range c.in {
				check(s, false, true)
				check(s, true, true)
			}
			for _, s := range c.fold {
				check(s, false, false)
				check(s, true, true)
			}
			for _, s := range c.out {
				check(s, false, false)
				check(s, true, false)
			}
		})
	}
}

func TestPatternKey(t *testing.T) {
	for _, c := range []struct {
		pat   string
		key   string
		flags uint8
		ok    bool
		qs    int
		star  bool
	}{
		{"*sqlmap*", "sqlmap", keyOnly, true, 0, true},
		{"curl/7.*", "curl/7.", keyAtStart | keyOnly, true, 0, true},
		{"*.php", ".php", keyAtEnd | keyOnly, true, 0, true},
		{`a\*b`, "a*b", keyAtStart | keyAtEnd | keyOnly, true, 0, false},
		{"*foo*barbaz*", "barbaz", 0, true, 0, true},
		{"ab*cd", "ab", keyAtStart, true, 0, true},                      // as long: the first
		{"*ab*cd", "cd", keyAtEnd, true, 0, true},                       // as long: the anchored one
		{"x?yy*", "yy", 0, true, 1, true},                               // a ? splits runs
		{`*\\`, `\`, keyAtEnd | keyOnly, true, 0, true},                 // an escaped backslash
		{`ab\`, `ab\`, keyAtStart | keyAtEnd | keyOnly, true, 0, false}, // a trailing \ is itself
		{"*", "", 0, false, 0, true},
		{"?*?", "", 0, false, 2, true},
		{"???", "", 0, false, 3, false},
	} {
		key, flags, ok, qs, star := patternKey(c.pat)
		if key != c.key || flags != c.flags || ok != c.ok || (!ok && (qs != c.qs || star != c.star)) {
			t.Errorf("patternKey(%q) = %q, %03b, %v, %d, %v; want %q, %03b, %v, %d, %v",
				c.pat, key, flags, ok, qs, star, c.key, c.flags, c.ok, c.qs, c.star)
		}
	}
}

// TestWildcardListRandom checks the index against a linear scan of the patterns, on
// random lists and values over a small alphabet, so that keys overlap and recur.
func TestWildcardListRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	pick := func(alphabet []string, n int) string {
		var b strings.Builder
		for i := 0; i < n; i++ {
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		return b.String()
	}
	patAlphabet := []string{"a", "b", "A", "B", "é", "É", "/", "*", "*", "?", `\`, `\*`}
	valAlphabet := []string{"a", "b", "A", "B", "é", "É", "/", "*", "?", `\`, "\xff"}
	matched := 0
	for round := 0; round < 300; round++ {
		items := make([]string, 1+rng.IntN(40))
		for i := range items {
			items[i] = pick(patAlphabet, rng.IntN(8))
		}
		l := wildcardList(t, items...)
		for k := 0; k < 100; k++ {
			s := pick(valAlphabet, rng.IntN(14))
			if k%4 == 0 { // a value made from a pattern, to match more often
				s = strings.NewReplacer("*", pick(valAlphabet, rng.IntN(3)), "?", "b", `\`, "").Replace(items[rng.IntN(len(items))])
			}
			for _, fold := range []bool{false, true} {
				want := linearHas(items, s, fold)
				if got := l.hasString(s, fold); got != want {
					t.Fatalf("%q in %q (fold %v) = %v, a linear scan says %v", s, items, fold, got, want)
				}
				if want {
					matched++
				}
			}
		}
	}
	if matched < 10_000 || matched > 50_000 {
		t.Errorf("%d of 60000 lookups matched: the random lists test too little", matched)
	}
}

// FuzzWildcardList checks the index against a linear scan of the patterns: the first
// argument is the list, one pattern a line.
// Run it longer by hand: go test ./internal/rules -run '^$' -fuzz FuzzWildcardList -fuzztime 30s
func FuzzWildcardList(f *testing.F) {
	f.Add("*sqlmap*\n*nikto*\ncurl/7.*", "Mozilla/5.0 sqlmap/1.7")
	f.Add("*bot*\n*googlebot*\n*ot*", "GoogleBot")
	f.Add("*ab*c\n?*?\n???", strings.Repeat("ab", 20))
	f.Add(`100\*`+"\n"+`*\\`, `c:\`)
	f.Fuzz(func(t *testing.T, list, s string) {
		if len(list) > 2048 || len(s) > 512 {
			return
		}
		items := strings.Split(list, "\n")
		l := wildcardList(t, items...)
		for _, fold := range []bool{false, true} {
			if got, want := l.hasString(s, fold), linearHas(items, s, fold); got != want {
				t.Fatalf("%q in %q (fold %v) = %v, a linear scan says %v", s, items, fold, got, want)
			}
		}
	})
}

// benchAgents are user agents of the kind a proxy sees.
var benchAgents = []string{
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
	"Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4_1) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15",
	"Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
	"Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
	"Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.82 Mobile Safari/537.36",
	"Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
	"curl/8.5.0",
	"python-requests/2.31.0",
}

// benchPatterns makes n patterns like those of real bad-agent lists: mostly *name*,
// some name/* and a few with two pieces. A few match the agents above.
func benchPatterns(n int) []string {
	rng := rand.New(rand.NewPCG(5, 6))
	word := func() string {
		const letters = "abcdefghijklmnopqrstuvwxyz"
		b := make([]byte, 4+rng.IntN(8))
		for i := range b {
			b[i] = letters[rng.IntN(len(letters))]
		}
		return string(b)
	}
	pats := []string{"*sqlmap*", "*nikto*", "*python-requests*", "curl/*", "*zgrab*", "*masscan*"}
	for len(pats) < n {
		switch i := rng.IntN(20); {
		case i < 15:
			pats = append(pats, "*"+word()+"*")
		case i < 18:
			pats = append(pats, word()+"/*")
		default:
			pats = append(pats, "*"+word()+"*"+word()+"/?.*")
		}
	}
	return pats[:n]
}

// BenchmarkWildcardList: a user agent looked up in a wildcard list of n patterns, by
// the index (index) and by trying each pattern as before it (linear). Compare two runs
// with benchstat (see bench_test.go).
func BenchmarkWildcardList(b *testing.B) {
	for _, n := range []int{100, 1_000, 10_000} {
		pats := benchPatterns(n)
		l := wildcardList(b, pats...)
		for _, fold := range []bool{false, true} {
			name := "exact"
			if fold {
				name = "ignoreCase"
			}
			globs := l.globs
			if fold {
				globs = l.globsFold
			}
			b.Run(fmt.Sprintf("%d/%s/index", n, name), func(b *testing.B) {
				b.ReportAllocs()
				for i := 0; i < b.N; i++ {
					l.hasString(benchAgents[i%len(benchAgents)], fold)
				}
			})
			b.Run(fmt.Sprintf("%d/%s/linear", n, name), func(b *testing.B) {
				b.ReportAllocs()
				for i := 0; i < b.N; i++ {
					s := benchAgents[i%len(benchAgents)]
					for k := range globs {
						if globs[k].match(s) {
							break
						}
					}
				}
			})
		}
	}
}

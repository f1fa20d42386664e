package rules

import (
	"strings"
	"unicode/utf8"
)

// String matching without allocation. Case-insensitive operators fold ASCII letters
// only (A-Z to a-z): request fields that rules compare without case (header values,
// user agents, paths, methods) are ASCII in practice, and folding bytes keeps the hot
// path free of allocation. The needle is lowered once, at compile time.

func lower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// equalFold reports whether s equals low (already lower case), ignoring ASCII case.
func equalFold(s, low string) bool {
	if len(s) != len(low) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if lower(s[i]) != low[i] {
			return false
		}
	}
	return true
}

// indexFold returns the first index of low (lower case) in s ignoring ASCII case, or -1.
func indexFold(s, low string) int {
	n := len(low)
	if n == 0 {
		return 0
	}
	first := low[0]
	for i := 0; i+n <= len(s); i++ {
		if lower(s[i]) != first {
			continue
		}
		if equalFold(s[i:i+n], low) {
			return i
		}
	}
	return -1
}

// compareFold compares s, folded to lower case, with low: -1, 0 or +1.
func compareFold(s, low string) int {
	n := min(len(s), len(low))
	for i := 0; i < n; i++ {
		a, b := lower(s[i]), low[i]
		if a != b {
			if a < b {
				return -1
			}
			return 1
		}
	}
	switch {
	case len(s) < len(low):
		return -1
	case len(s) > len(low):
		return 1
	}
	return 0
}

// glob is a `like` pattern: * matches any run of characters (none included), ? one
// character, and \ makes the next character literal.
type glob struct {
	pat  string // with escapes
	fold bool   // pat is lower case and the subject is folded
	// lit is the pattern's text when it has no wildcard (then it is a plain compare).
	lit    string
	hasLit bool
}

func newGlob(p string, fold bool) glob {
	if fold {
		p = strings.ToLower(p)
	}
	g := glob{pat: p, fold: fold}
	if !strings.ContainsAny(p, `*?\`) {
		g.lit, g.hasLit = p, true
	}
	return g
}

// match reports whether s matches the whole pattern.
func (g *glob) match(s string) bool {
	if g.hasLit {
		if g.fold {
			return equalFold(s, g.lit)
		}
		return s == g.lit
	}
	return globMatch(g.pat, s, g.fold)
}

// globMatch is the classic iterative wildcard match: on a mismatch it backtracks to the
// last *, which takes one more character. It runs in O(len(p)*len(s)) at worst, with no
// recursion and no allocation.
func globMatch(p, s string, fold bool) bool {
	pi, si := 0, 0
	starP, starS := -1, 0
	for si < len(s) {
		if pi < len(p) {
			switch c := p[pi]; c {
			case '*':
				starP, starS = pi, si
				pi++
				continue
			case '?':
				_, size := utf8.DecodeRuneInString(s[si:])
				pi++
				si += size
				continue
			default:
				if c == '\\' && pi+1 < len(p) {
					c = p[pi+1]
					if sc := subj(s[si], fold); sc == c {
						pi += 2
						si++
						continue
					}
				} else if subj(s[si], fold) == c {
					pi++
					si++
					continue
				}
			}
		}
		if starP < 0 {
			return false
		}
		starS++
		si = starS
		pi = starP + 1
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}

func subj(c byte, fold bool) byte {
	if fold {
		return lower(c)
	}
	return c
}

// parseInt reads a decimal integer (an optional sign, then digits, nothing else).
func parseInt(s string) (int64, bool) {
	if s == "" {
		return 0, false
	}
	neg := false
	switch s[0] {
	case '-':
		neg = true
		s = s[1:]
	case '+':
		s = s[1:]
	}
	if s == "" || len(s) > 18 {
		return 0, false
	}
	var n int64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	if neg {
		n = -n
	}
	return n, true
}

// indexString is strings.Index, kept here so the hot path reads in one file.
func indexString(s, sub string) int { return strings.Index(s, sub) }

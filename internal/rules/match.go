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

// lowerASCII lowers the ASCII letters of s and leaves every other byte as it is: the
// folding the subject gets, so that a pattern or item with a non-ASCII letter still
// matches itself ignoring case (strings.ToLower would lower É to é, which a subject's
// É, folded byte by byte, never equals).
func lowerASCII(s string) string {
	i := 0
	for i < len(s) && (s[i] < 'A' || s[i] > 'Z') {
		i++
	}
	if i == len(s) {
		return s
	}
	b := []byte(s)
	for ; i < len(b); i++ {
		b[i] = lower(b[i])
	}
	return string(b)
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
// Candidates are found with IndexByte (vectorised) on the first byte in both cases.
func indexFold(s, low string) int {
	n := len(low)
	if n == 0 {
		return 0
	}
	if n > len(s) {
		return -1
	}
	c0, c1 := low[0], low[0]
	if c0 >= 'a' && c0 <= 'z' {
		c1 = c0 - ('a' - 'A')
	}
	end := len(s) - n + 1 // candidates start before end
	nextLow, nextUp := -2, -2
	for i := 0; i < end; {
		if nextLow != -1 && nextLow < i {
			nextLow = indexByteFrom(s[:end], c0, i)
		}
		if c1 != c0 && nextUp != -1 && nextUp < i {
			nextUp = indexByteFrom(s[:end], c1, i)
		}
		j := nextLow
		if c1 != c0 && nextUp >= 0 && (j < 0 || nextUp < j) {
			j = nextUp
		}
		if j < 0 {
			return -1
		}
		if equalFold(s[j:j+n], low) {
			return j
		}
		i = j + 1
	}
	return -1
}

// indexByteFrom is the index of c in s at or after from, or -1.
func indexByteFrom(s string, c byte, from int) int {
	k := strings.IndexByte(s[from:], c)
	if k < 0 {
		return -1
	}
	return from + k
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
	// parts are the literal runs between the stars of a pattern with no ? and no \
	// (the common case): it then matches with a prefix test, a suffix test and one
	// substring search per middle run, in O(len(s)).
	parts []string
}

func newGlob(p string, fold bool) glob {
	if fold {
		p = lowerASCII(p)
	}
	g := glob{pat: p, fold: fold}
	switch {
	case !strings.ContainsAny(p, `*?\`):
		g.lit, g.hasLit = p, true
	case !strings.ContainsAny(p, `?\`):
		g.parts = strings.Split(p, "*")
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
	if g.parts != nil {
		return g.matchParts(s)
	}
	return globMatch(g.pat, s, g.fold)
}

// matchParts matches a pattern of literal runs separated by stars: the first run
// anchors the start, the last the end, and each run between is found leftmost, which
// is enough when * is the only wildcard.
func (g *glob) matchParts(s string) bool {
	first, last := g.parts[0], g.parts[len(g.parts)-1]
	if len(s) < len(first)+len(last) {
		return false
	}
	head, tail := s[:len(first)], s[len(s)-len(last):]
	if g.fold {
		if !equalFold(head, first) || !equalFold(tail, last) {
			return false
		}
	} else if head != first || tail != last {
		return false
	}
	s = s[len(first) : len(s)-len(last)]
	for _, mid := range g.parts[1 : len(g.parts)-1] {
		if mid == "" {
			continue
		}
		var i int
		if g.fold {
			i = indexFold(s, mid)
		} else {
			i = strings.Index(s, mid)
		}
		if i < 0 {
			return false
		}
		s = s[i+len(mid):]
	}
	return true
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

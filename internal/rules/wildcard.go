package rules

import (
	"cmp"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"
)

// Wildcard lists are looked up without trying each pattern. Every pattern with a
// literal character has a key: its longest run of literal characters, which any value
// it matches contains. One pass of an Aho-Corasick automaton over the value finds the
// keys it contains; only the patterns of those keys are looked at, and most need no
// more than the hit itself:
//
//   - `*name*` (a key between stars only) matches whenever its key is found;
//   - `name*` or `*name` match when the key is found at the start or the end;
//   - any other pattern (`*foo*bar*`, `Mozilla/5.0 (*) ?bot`) is checked with its glob,
//     once per lookup, and only if its key is found (at the start or end of the value
//     when the key starts or ends the pattern).
//
// Patterns with no literal at all (`*`, `???`, `?*`) only count characters, so they
// come down to a minimum or exact number of characters.
//
// The automaton runs over the value lowered to ASCII lower case, its keys lowered too,
// and serves both the exact and the IgnoreCase lookup: an exact lookup compares a hit
// with its key in the pattern's own case. A lookup costs O(len(value)) steps plus the
// hits, whatever the number of patterns.

// Flags of a wildPat.
const (
	keyAtStart uint8 = 1 << iota // the key starts the pattern: a hit must start the value
	keyAtEnd                     // the key ends the pattern: a hit must end the value
	keyOnly                      // the rest of the pattern is stars: a hit is a match
)

// wildPat is a pattern of a wildcard list, under its key.
type wildPat struct {
	key   string // its key, in the pattern's own case
	glob  int32  // its index in list.globs and list.globsFold
	flags uint8
}

// wildIndex finds the patterns of a wildcard list that match a value.
type wildIndex struct {
	ac   automaton
	pats []wildPat // the patterns of automaton state k are pats[states[k].out:][:states[k].outN]
	// Patterns without a literal: those with a star match a value of at least starMin
	// characters (-1: there are none); those without, a value of exactly n characters
	// for n in exact.
	starMin int
	exact   []int
}

// patternKey parses a like pattern (the way globMatch reads it) and returns its
// longest literal run with escapes resolved, and where it stands. A pattern with no
// literal character has no key; it then reports how many ? it has and whether it has
// a star.
func patternKey(p string) (key string, flags uint8, ok bool, qs int, star bool) {
	type run struct {
		text       []byte
		start, end int // in p
	}
	var runs []run
	var cur run
	open := false
	flush := func(end int) {
		if open {
			cur.end = end
			runs = append(runs, cur)
			cur, open = run{}, false
		}
	}
	for i := 0; i < len(p); {
		c := p[i]
		switch {
		case c == '*':
			flush(i)
			star = true
			i++
			continue
		case c == '?':
			flush(i)
			qs++
			i++
			continue
		}
		if !open {
			cur, open = run{start: i}, true
		}
		if c == '\\' && i+1 < len(p) {
			cur.text = append(cur.text, p[i+1])
			i += 2
			continue
		}
		cur.text = append(cur.text, c)
		i++
	}
	flush(len(p))
	if len(runs) == 0 {
		return "", 0, false, qs, star
	}
	// The longest run; between runs as long, an anchored one (fewer hits to look at).
	best := -1
	for i, r := range runs {
		anchored := r.start == 0 || r.end == len(p)
		if best < 0 || len(r.text) > len(runs[best].text) ||
			len(r.text) == len(runs[best].text) && anchored && !(runs[best].start == 0 || runs[best].end == len(p)) {
			best = i
		}
	}
	r := runs[best]
	if r.start == 0 {
		flags |= keyAtStart
	}
	if r.end == len(p) {
		flags |= keyAtEnd
	}
	if len(runs) == 1 && qs == 0 {
		flags |= keyOnly
	}
	return string(r.text), flags, true, qs, star
}

// newWildIndex indexes the patterns of a list, patterns[i] being the pattern of the
// list's globs[i] and globsFold[i].
func newWildIndex(patterns []string) *wildIndex {
	w := &wildIndex{starMin: -1}
	type keyed struct {
		low string
		p   wildPat
	}
	var ks []keyed
	exact := map[int]bool{}
	for i, p := range patterns {
		key, flags, ok, qs, star := patternKey(p)
		switch {
		case ok:
			ks = append(ks, keyed{lowerASCII(key), wildPat{key: key, glob: int32(i), flags: flags}})
		case star:
			if w.starMin < 0 || qs < w.starMin {
				w.starMin = qs
			}
		default:
			exact[qs] = true
		}
	}
	for n := range exact {
		w.exact = append(w.exact, n)
	}
	sort.Ints(w.exact)
	slices.SortFunc(ks, func(a, b keyed) int {
		if c := strings.Compare(a.low, b.low); c != 0 {
			return c
		}
		return cmp.Compare(a.p.glob, b.p.glob)
	})
	keys := make([]string, 0, len(ks))
	for i, k := range ks {
		if i == 0 || k.low != ks[i-1].low {
			keys = append(keys, k.low)
		}
	}
	ends := w.ac.build(keys) // ends[i]: the state where keys[i] ends
	w.pats = make([]wildPat, len(ks))
	for i, k := 0, 0; i < len(ks); k++ {
		st := &w.ac.states[ends[k]]
		st.out = int32(i)
		for ; i < len(ks) && ks[i].low == keys[k]; i++ {
			w.pats[i] = ks[i].p
			st.outN++
		}
	}
	return w
}

// match reports whether s matches one of the patterns: globs are the patterns'
// globs, case-sensitive or folding as fold says.
func (w *wildIndex) match(s string, fold bool, globs []glob) bool {
	if w.starMin >= 0 || len(w.exact) > 0 {
		n := utf8.RuneCountInString(s)
		if w.starMin >= 0 && n >= w.starMin {
			return true
		}
		for _, e := range w.exact {
			if e == n {
				return true
			}
		}
	}
	if len(w.pats) == 0 {
		return false
	}
	var tried smallSet
	states := w.ac.states
	var st int32
	for i := 0; i < len(s); i++ {
		st = w.ac.step(st, lower(s[i]))
		for e := states[st].emit; e != 0; e = states[e].more {
			out := states[e].out
			for _, p := range w.pats[out : out+states[e].outN] {
				end := i + 1
				start := end - len(p.key)
				if p.flags&keyAtStart != 0 && start != 0 || p.flags&keyAtEnd != 0 && end != len(s) {
					continue
				}
				if !fold && s[start:end] != p.key {
					continue
				}
				if p.flags&keyOnly != 0 {
					return true
				}
				// An anchored key is found once at most; any other may be found
				// again, and its glob, which looks at the whole value, is tried once.
				if p.flags&(keyAtStart|keyAtEnd) == 0 && !tried.add(p.glob) {
					continue
				}
				if globs[p.glob].match(s) {
					return true
				}
			}
		}
	}
	return false
}

// smallSet is a set of pattern numbers that lives on the stack while it is small.
type smallSet struct {
	n     int
	small [16]int32
	big   map[int32]bool
}

// add adds x and reports whether it was new.
func (s *smallSet) add(x int32) bool {
	for _, y := range s.small[:s.n] {
		if y == x {
			return false
		}
	}
	if s.n < len(s.small) {
		s.small[s.n] = x
		s.n++
		return true
	}
	if s.big[x] {
		return false
	}
	if s.big == nil {
		s.big = map[int32]bool{}
	}
	s.big[x] = true
	return true
}

// automaton is an Aho-Corasick automaton over a set of byte strings (keys): fed a text
// byte by byte, it is in the state of the longest suffix of the text read so far that
// is a prefix of a key, and from that state the keys ending at the current byte are
// found by following the emit and more links. State 0 is the root.
type automaton struct {
	root   [256]int32 // the root's transitions (0: stay at the root)
	states []acState
	bytes  []byte  // the edges of the states with few: sorted by byte within a state
	next   []int32 // the state each edge leads to
	rows   []int32 // 256 transitions per state with many edges (0: none)
}

type acState struct {
	lo, n int32 // its edges: bytes[lo:lo+n], next[lo:lo+n]; none when row is used
	row   int32 // its transitions are rows[row*256:][:256]; -1 when it has few edges
	fail  int32 // the state of the longest proper suffix that is a state
	emit  int32 // the first state, itself included, on its fail chain that ends a key; 0: none
	more  int32 // for a state that ends a key: the next one on its fail chain, 0: none
	out   int32 // for a state that ends a key: its patterns (wildIndex.pats[out:][:outN])
	outN  int32
}

// denseEdges is the number of edges from which a state gets a row of 256 transitions.
const denseEdges = 12

// step is the state after reading c in state s.
func (a *automaton) step(s int32, c byte) int32 {
	for s != 0 {
		st := &a.states[s]
		if st.row >= 0 {
			if t := a.rows[int(st.row)<<8|int(c)]; t != 0 {
				return t
			}
		} else {
			for k := st.lo; k < st.lo+st.n; k++ {
				if b := a.bytes[k]; b >= c {
					if b == c {
						return a.next[k]
					}
					break
				}
			}
		}
		s = st.fail
	}
	return a.root[c]
}

// build makes the automaton of keys (sorted, distinct, not empty) and returns the
// state where each ends.
func (a *automaton) build(keys []string) []int32 {
	// The trie. Keys come sorted, so a state's children are made in byte order and a
	// key shares its path with the previous key as far as they agree.
	type edge struct {
		c  byte
		to int32
	}
	size := 1
	for _, k := range keys {
		size += len(k)
	}
	children := make([][]edge, 1, size)
	ends := make([]int32, len(keys))
	for i, k := range keys {
		s := int32(0)
		for j := 0; j < len(k); j++ {
			ch := children[s]
			if n := len(ch); n > 0 && ch[n-1].c == k[j] {
				s = ch[n-1].to
				continue
			}
			t := int32(len(children))
			children = append(children, nil)
			children[s] = append(children[s], edge{k[j], t})
			s = t
		}
		ends[i] = s
	}
	isEnd := make([]bool, len(children))
	for _, e := range ends {
		isEnd[e] = true
	}
	// The states in breadth-first order, which the fail links need (a state's fail
	// state is shallower) and which keeps the shallow, busy states together.
	order := make([]int32, 0, len(children))
	order = append(order, 0)
	for q := 0; q < len(order); q++ {
		for _, e := range children[order[q]] {
			order = append(order, e.to)
		}
	}
	renum := make([]int32, len(children))
	for i, s := range order {
		renum[s] = int32(i)
	}
	a.states = make([]acState, len(children))
	a.bytes, a.next, a.rows = make([]byte, 0, len(children)), make([]int32, 0, len(children)), nil
	for i, s := range order {
		st := &a.states[i]
		st.row = -1
		ch := children[s]
		if i == 0 {
			for _, e := range ch {
				a.root[e.c] = renum[e.to]
			}
			continue
		}
		if len(ch) >= denseEdges {
			st.row = int32(len(a.rows) >> 8)
			a.rows = append(a.rows, make([]int32, 256)...)
			for _, e := range ch {
				a.rows[int(st.row)<<8|int(e.c)] = renum[e.to]
			}
			continue
		}
		st.lo, st.n = int32(len(a.bytes)), int32(len(ch))
		for _, e := range ch {
			a.bytes = append(a.bytes, e.c)
			a.next = append(a.next, renum[e.to])
		}
	}
	// Fail links, emit and more, breadth first.
	for i, s := range order {
		u := int32(i)
		for _, e := range children[s] {
			v := renum[e.to]
			if u != 0 {
				a.states[v].fail = a.step(a.states[u].fail, e.c)
			}
			f := a.states[v].fail
			if isEnd[order[v]] {
				a.states[v].emit = v
				a.states[v].more = a.states[f].emit
			} else {
				a.states[v].emit = a.states[f].emit
			}
		}
	}
	for i, e := range ends {
		ends[i] = renum[e]
	}
	return ends
}

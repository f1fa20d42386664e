package rules

import (
	"encoding/binary"
	"fmt"
	"net/netip"
	"regexp"
	"sort"
	"strings"
)

// listType is what a list holds.
type listType uint8

const (
	listIP       listType = iota // addresses and CIDR prefixes, IPv4 and IPv6
	listString                   // exact strings
	listWildcard                 // like patterns
	listRegex                    // RE2 regular expressions
)

var listTypeNames = map[string]listType{
	"ip": listIP, "cidr": listIP, "string": listString, "wildcard": listWildcard, "regex": listRegex,
}

func (t listType) String() string {
	switch t {
	case listIP:
		return "ip"
	case listString:
		return "string"
	case listWildcard:
		return "wildcard"
	}
	return "regex"
}

// list is a compiled list. Lookups:
//   - ip: the prefixes become merged, sorted ranges of addresses (one slice for IPv4,
//     one for IPv6), found by binary search: O(log n);
//   - string: sorted, binary search: O(log n); a sorted lower-case copy serves the
//     IgnoreCase operators;
//   - wildcard: items without a wildcard go to the sorted set; the patterns are
//     indexed by a literal piece each (wildcard.go), so a lookup costs one pass over
//     the value plus the few patterns whose piece it contains, not one try per pattern;
//   - regex: the items are one alternation, run once over the value.
type list struct {
	name string
	typ  listType
	pos  Pos

	v4 []range4
	v6 []range6

	strs  []string // sorted
	lower []string // sorted, lower case (IgnoreCase)

	globs, globsFold []glob // the patterns of a wildcard list, distinct
	wild             *wildIndex
	re, reFold       *regexp.Regexp
}

type range4 struct{ lo, hi uint32 }

type u128 struct{ hi, lo uint64 }

func (a u128) less(b u128) bool { return a.hi < b.hi || a.hi == b.hi && a.lo < b.lo }

func (a u128) inc() u128 {
	a.lo++
	if a.lo == 0 {
		a.hi++
	}
	return a
}

type range6 struct{ lo, hi u128 }

func addr4(a netip.Addr) uint32 {
	b := a.As4()
	return binary.BigEndian.Uint32(b[:])
}

func addr6(a netip.Addr) u128 {
	b := a.As16()
	return u128{binary.BigEndian.Uint64(b[:8]), binary.BigEndian.Uint64(b[8:])}
}

// parseListIP reads an address or a CIDR prefix; a bare address is a /32 or /128. A
// prefix with bits set after the mask is its network (1.2.3.4/24 is 1.2.3.0/24), the
// way many exported block lists write it.
func parseListIP(s string) (netip.Prefix, error) {
	if !strings.Contains(s, "/") {
		a, err := netip.ParseAddr(s)
		if err != nil {
			return netip.Prefix{}, fmt.Errorf("%q is not an IP address or CIDR prefix", s)
		}
		a = a.Unmap()
		return netip.PrefixFrom(a, a.BitLen()), nil
	}
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("%q is not an IP address or CIDR prefix", s)
	}
	p = p.Masked()
	if p.Addr().Is4In6() && p.Bits() >= 96 {
		p = netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-96)
	}
	return p, nil
}

// buildIP sorts and merges the prefixes into ranges.
func (l *list) buildIP(ps []netip.Prefix) {
	var r4 []range4
	var r6 []range6
	for _, p := range ps {
		if p.Addr().Is4() {
			lo := addr4(p.Addr())
			hi := lo | uint32(uint64(1)<<(32-p.Bits())-1)
			r4 = append(r4, range4{lo, hi})
			continue
		}
		lo := addr6(p.Addr())
		hi := lo
		host := 128 - p.Bits()
		switch {
		case host >= 64:
			hi.lo = ^uint64(0)
			if host == 128 {
				hi.hi = ^uint64(0)
			} else {
				hi.hi |= uint64(1)<<(host-64) - 1
			}
		case host > 0:
			hi.lo |= uint64(1)<<host - 1
		}
		r6 = append(r6, range6{lo, hi})
	}
	sort.Slice(r4, func(i, j int) bool { return r4[i].lo < r4[j].lo })
	sort.Slice(r6, func(i, j int) bool { return r6[i].lo.less(r6[j].lo) })
	l.v4 = l.v4[:0]
	for _, r := range r4 {
		if n := len(l.v4); n > 0 && (r.lo <= l.v4[n-1].hi || l.v4[n-1].hi != ^uint32(0) && r.lo == l.v4[n-1].hi+1) {
			l.v4[n-1].hi = max(l.v4[n-1].hi, r.hi)
			continue
		}
		l.v4 = append(l.v4, r)
	}
	l.v6 = l.v6[:0]
	for _, r := range r6 {
		if n := len(l.v6); n > 0 {
			last := &l.v6[n-1]
			if !last.hi.less(r.lo) || last.hi.inc() == r.lo && last.hi != (u128{^uint64(0), ^uint64(0)}) {
				if last.hi.less(r.hi) {
					last.hi = r.hi
				}
				continue
			}
		}
		l.v6 = append(l.v6, r)
	}
}

// hasIP reports whether a is in the list: binary search over the merged ranges.
func (l *list) hasIP(a netip.Addr) bool {
	if !a.IsValid() {
		return false
	}
	a = a.Unmap()
	if a.Is4() {
		x := addr4(a)
		i := sort.Search(len(l.v4), func(i int) bool { return l.v4[i].lo > x })
		return i > 0 && x <= l.v4[i-1].hi
	}
	x := addr6(a)
	i := sort.Search(len(l.v6), func(i int) bool { return x.less(l.v6[i].lo) })
	return i > 0 && !l.v6[i-1].hi.less(x)
}

// hasString reports whether s is in a string, wildcard or regex list.
func (l *list) hasString(s string, fold bool) bool {
	switch l.typ {
	case listString:
		if fold {
			i := sort.Search(len(l.lower), func(i int) bool { return compareFold(s, l.lower[i]) <= 0 })
			return i < len(l.lower) && compareFold(s, l.lower[i]) == 0
		}
		i := sort.SearchStrings(l.strs, s)
		return i < len(l.strs) && l.strs[i] == s
	case listWildcard:
		if fold {
			i := sort.Search(len(l.lower), func(i int) bool { return compareFold(s, l.lower[i]) <= 0 })
			if i < len(l.lower) && compareFold(s, l.lower[i]) == 0 {
				return true
			}
			return l.wild.match(s, true, l.globsFold)
		}
		if i := sort.SearchStrings(l.strs, s); i < len(l.strs) && l.strs[i] == s {
			return true
		}
		return l.wild.match(s, false, l.globs)
	case listRegex:
		if fold {
			return l.reFold.MatchString(s)
		}
		return l.re.MatchString(s)
	}
	return false
}

// compileList checks the items of a list and builds it. Problems name the item.
func compileList(ls *ListSpec, key string, report func(Pos, string, error, string, ...any)) *list {
	l := &list{name: ls.Name, pos: ls.Pos}
	t, ok := listTypeNames[ls.Type]
	if !ok {
		names := []string{"ip", "cidr", "string", "wildcard", "regex"}
		hint := ""
		if s := Nearest(ls.Type, names); s != "" {
			hint = fmt.Sprintf("; did you mean %q?", s)
		}
		if ls.Type == "" {
			report(ls.Pos, key, ErrValue, "a list needs a type: ip, string, wildcard or regex")
		} else {
			report(ls.TypePos, key+".type", ErrValue, "unknown list type %q (want ip, string, wildcard or regex%s)", ls.Type, hint)
		}
		return nil
	}
	l.typ = t
	switch t {
	case listIP:
		ps := make([]netip.Prefix, 0, len(ls.Items))
		for i, it := range ls.Items {
			p, err := parseListIP(strings.TrimSpace(it.Value))
			if err != nil {
				report(it.Pos, item(key+".items", i), ErrValue, "%v", err)
				continue
			}
			ps = append(ps, p)
		}
		l.buildIP(ps)
	case listString:
		for _, it := range ls.Items {
			l.strs = append(l.strs, it.Value)
		}
		l.sortStrings()
	case listWildcard:
		seen := map[string]bool{}
		var pats []string
		for _, it := range ls.Items {
			if !strings.ContainsAny(it.Value, `*?\`) {
				l.strs = append(l.strs, it.Value)
				continue
			}
			if seen[it.Value] {
				continue
			}
			seen[it.Value] = true
			pats = append(pats, it.Value)
			l.globs = append(l.globs, newGlob(it.Value, false))
			l.globsFold = append(l.globsFold, newGlob(it.Value, true))
		}
		l.wild = newWildIndex(pats)
		l.sortStrings()
	case listRegex:
		var alt, altFold strings.Builder
		for i, it := range ls.Items {
			if _, err := regexp.Compile(it.Value); err != nil {
				report(it.Pos, item(key+".items", i), ErrValue, "%s", regexError(it.Value, err))
				continue
			}
			if alt.Len() > 0 {
				alt.WriteByte('|')
				altFold.WriteByte('|')
			}
			alt.WriteString("(?:" + it.Value + ")")
			altFold.WriteString("(?i:" + it.Value + ")")
		}
		if alt.Len() == 0 {
			alt.WriteString(`[^\x00-\x{10FFFF}]`) // matches nothing
			altFold.WriteString(`[^\x00-\x{10FFFF}]`)
		}
		l.re = regexp.MustCompile(alt.String())
		l.reFold = regexp.MustCompile(altFold.String())
	}
	return l
}

func (l *list) sortStrings() {
	sort.Strings(l.strs)
	l.lower = make([]string, len(l.strs))
	for i, s := range l.strs {
		l.lower[i] = lowerASCII(s)
	}
	sort.Strings(l.lower)
}

// regexError explains why a regular expression does not compile.
func regexError(expr string, err error) string {
	msg := err.Error()
	msg = strings.TrimPrefix(msg, "error parsing regexp: ")
	hint := ""
	if strings.Contains(expr, "(?=") || strings.Contains(expr, "(?!") || strings.Contains(expr, "(?<") {
		hint = " (RE2 has no lookaround)"
	} else if strings.Contains(msg, `\`) && strings.Contains(msg, "escape") {
		hint = " (in YAML double quotes, write \\\\ for one backslash, or use single quotes)"
	}
	return fmt.Sprintf("regular expression %q does not compile: %s%s", clip(expr), msg, hint)
}

func clip(s string) string {
	const max = 60
	if len(s) <= max {
		return s
	}
	return s[:max] + "..."
}

func item(key string, i int) string { return fmt.Sprintf("%s[%d]", key, i) }

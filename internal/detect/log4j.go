package detect

import (
	"strings"

	"github.com/rampartwaf/rampart/internal/request"
)

// LOG4J-JNDI: Log4Shell (CVE-2021-44228, CVE-2021-45046), a JNDI lookup in any value a
// Java application may log.
//
// The value is resolved the way Log4j's StrSubstitutor resolves it, so the obfuscations
// fold away instead of being listed one by one:
//
//   - nested lookups are resolved inside out: ${${lower:j}ndi:...}, ${${upper:J}NDI:...};
//   - a lookup with a default (name:-default) yields its default, as an unset variable
//     would: ${::-j}, ${env:NOPE:-j}, ${k8s:x:-N}, ${${env:X:-j}ndi${env:X:-:}...};
//     other lookups (${env:X}, ${sys:y}, ${x}) are kept as they are, as Log4j keeps a
//     variable it cannot resolve;
//   - ${date:'j'} yields the quoted literal, ${upper:ı} the I Java upper-cases it to;
//   - lookup prefixes compare without case (${JnDi:...});
//   - text that only becomes a lookup once resolved ($${::-$}{jndi:...}) is resolved
//     once more.
//
// A value matches when a lookup whose prefix is "jndi" is resolved, wherever it sits.
// Encodings (%24%7B, \u0024{, &#36;{, &lbrace;, base64) are decoded by the dispatch
// before this check sees the value. A "jndi:" followed by a JNDI provider URL
// (jndi:ldap://, jndi:rmi:, ...) also matches without the braces: it is what remains of
// a lookup whose "${" was encoded in a way nothing decodes, and no user writes it.
//
// Deliberately not matched: lookups that only read data (${env:HOME}, ${sys:user.dir},
// ${java:version}, ${date:yyyy}) without a JNDI lookup: the same ${env:...} syntax is
// everyday configuration (Serverless, Commons Text, log4j2.xml pasted in a ticket), and
// without JNDI there is nothing to exploit. Plain ${var} templates never match.

func init() {
	registerValueFiltered(LOG4J, valueNeed{minLen: 7, any: classesOf(":")},
		func(p *request.Param, v string, _ byteClass) (string, bool) { return matchLog4j(p, v) })
}

// l4jMax bounds the resolved text kept by the evaluator; what lies beyond is dropped.
// Real payloads are far shorter.
const l4jMax = 1024

// l4jMaxDepth bounds the nesting of lookups that are resolved.
const l4jMaxDepth = 16

func matchLog4j(_ *request.Param, v string) (string, bool) {
	if len(v) < 7 {
		return "", false
	}
	if d := strings.Index(v, "${"); d >= 0 && strings.IndexByte(v[d:], ':') >= 0 {
		var e l4jEval
		if at := e.run(v[d:]); at >= 0 {
			return around(v, d+at, d+at+8), true
		}
		if e.changed && strings.Contains(e.text(), "${") {
			// The result may spell a lookup the first pass did not see.
			again := e.text()
			var e2 l4jEval
			if e2.run(again) >= 0 {
				return around(v, d, d+8), true
			}
		}
	}
	if i := jndiURL(v); i >= 0 {
		return around(v, i, i+10), true
	}
	return "", false
}

// l4jEval resolves Log4j lookups into buf.
type l4jEval struct {
	buf     [l4jMax]byte
	n       int
	jndi    bool
	changed bool // a lookup was replaced by its value
}

func (e *l4jEval) put(c byte) {
	if e.n < len(e.buf) {
		e.buf[e.n] = c
		e.n++
	}
}

// text returns a copy of the resolved text.
func (e *l4jEval) text() string { return string(e.buf[:e.n]) }

// run resolves s and returns the index in s of the top-level lookup in which a JNDI
// lookup was resolved, or -1.
func (e *l4jEval) run(s string) int {
	for i := 0; i < len(s); {
		if s[i] == '$' && i+1 < len(s) && s[i+1] == '{' {
			j := e.lookup(s, i, 0)
			if e.jndi {
				return i
			}
			i = j
			continue
		}
		e.put(s[i])
		i++
	}
	return -1
}

// lookup resolves the lookup opening at s[i:] ("${") and returns the index after it. An
// unterminated lookup is kept as text.
func (e *l4jEval) lookup(s string, i, depth int) int {
	open := e.n
	e.put('$')
	e.put('{')
	start := e.n
	j := i + 2
	for j < len(s) {
		c := s[j]
		if c == '$' && j+1 < len(s) && s[j+1] == '{' && depth < l4jMaxDepth {
			j = e.lookup(s, j, depth+1)
			if e.jndi {
				return j
			}
			continue
		}
		if c == '}' {
			e.resolve(open, start)
			return j + 1
		}
		e.put(c)
		j++
	}
	return j
}

// resolve replaces the lookup whose text starts at buf[open] ("${") and whose content
// is buf[start:n] by its value.
func (e *l4jEval) resolve(open, start int) {
	if start > e.n {
		start = e.n
	}
	inner := e.buf[start:e.n]
	name, def, hasDef := inner, inner[:0], false
	if k := indexBytes(inner, ":-"); k >= 0 {
		name, def, hasDef = inner[:k], inner[k+2:], true
	}
	prefix, arg := name, name[:0]
	if k := indexByteBytes(name, ':'); k >= 0 {
		prefix, arg = name[:k], name[k+1:]
	}
	prefix = trimSpaceBytes(prefix)
	var out []byte
	switch {
	case equalFoldBytes(prefix, "jndi"):
		e.jndi = true
	case hasDef:
		out = def
	case equalFoldBytes(prefix, "lower"):
		for i, c := range arg {
			arg[i] = lowerASCII(c)
		}
		out = arg
	case equalFoldBytes(prefix, "upper"):
		out = upperJava(arg)
	case equalFoldBytes(prefix, "date") && len(arg) >= 2 && arg[0] == '\'' && arg[len(arg)-1] == '\'':
		// SimpleDateFormat copies quoted text: ${date:'j'} is "j".
		out = arg[1 : len(arg)-1]
	default:
		// Log4j leaves a variable it cannot resolve as it is; what the others resolve
		// to (${env:X}, ${sys:y}) is not known here.
		e.put('}')
		return
	}
	e.n = open + copy(e.buf[open:], out)
	e.changed = true
}

// upperJava upper-cases b in place as Java's toUpperCase does for the letters that
// matter here (ASCII, and the dotless ı that becomes I) and returns it.
func upperJava(b []byte) []byte {
	w := 0
	for r := 0; r < len(b); r++ {
		c := b[r]
		switch {
		case 'a' <= c && c <= 'z':
			c -= 'a' - 'A'
		case c == 0xC4 && r+1 < len(b) && b[r+1] == 0xB1:
			c = 'I'
			r++
		}
		b[w] = c
		w++
	}
	return b[:w]
}

// jndiProviders are the URL schemes a JNDI lookup reaches out with.
var jndiProviders = [...]string{"ldap:", "ldaps:", "rmi:", "dns:", "iiop:", "iiopname:", "corbaname:", "corba:", "nds:", "nis:", "http:", "https:"}

// jndiURL returns the index of "jndi:" followed by a JNDI provider URL in v, or -1.
func jndiURL(v string) int {
	for off := 0; off < len(v); {
		i := indexFold(v[off:], "jndi:")
		if i < 0 {
			return -1
		}
		i += off
		rest := v[i+5:]
		for _, p := range jndiProviders {
			if hasPrefixFold(rest, p) {
				return i
			}
		}
		off = i + 5
	}
	return -1
}

// Byte-slice helpers for the evaluator, which works in its own buffer.

func indexBytes(b []byte, sep string) int {
	for i := 0; i+len(sep) <= len(b); i++ {
		if string(b[i:i+len(sep)]) == sep {
			return i
		}
	}
	return -1
}

func indexByteBytes(b []byte, c byte) int {
	for i, x := range b {
		if x == c {
			return i
		}
	}
	return -1
}

func trimSpaceBytes(b []byte) []byte {
	for len(b) > 0 && isSpace(b[0]) {
		b = b[1:]
	}
	for len(b) > 0 && isSpace(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
}

// equalFoldBytes reports whether b equals the lower-case word w, ignoring ASCII case.
func equalFoldBytes(b []byte, w string) bool {
	if len(b) != len(w) {
		return false
	}
	for i := range b {
		if lowerASCII(b[i]) != w[i] {
			return false
		}
	}
	return true
}

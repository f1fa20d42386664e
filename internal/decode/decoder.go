package decode

import (
	"strings"
	"sync"
	"unicode/utf8"
	"unsafe"
)

// Transform records which decodings produced a variant. Values combine as bits.
type Transform uint16

// Transforms a variant can have gone through.
const (
	URL        Transform = 1 << iota // %XX percent decoding, with '+' as space
	URLUnicode                       // %uXXXX (IIS style)
	Overlong                         // overlong UTF-8 sequences folded to their character
	HTMLEntity                       // &lt; &#60; &#x3c; (semicolon optional)
	JSEscape                         // \u003c \u{3c} \x3c \074 \/
	Base64                           // a value that was base64 of printable text
	Fold                             // NUL removed, /* comments */ and whitespace runs as one space
	Base64Run                        // a base64 run inside a longer value, of printable text
	JSONString                       // a string value of JSON held in the value
)

var transformNames = [...]string{"url", "urlunicode", "overlong", "html", "js", "base64", "fold", "base64run", "json"}

// String names the transforms joined by '+', e.g. "url+html"; "raw" for none.
func (t Transform) String() string {
	if t == 0 {
		return "raw"
	}
	s := ""
	for i, n := range transformNames {
		if t&(1<<i) != 0 {
			if s != "" {
				s += "+"
			}
			s += n
		}
	}
	return s
}

// MaxRounds bounds how many times the decoding chain (URL, entities, escapes) is applied
// to one value before it is taken as stable.
const MaxRounds = 4

// Facts are what decoding one value revealed, for anomaly signals.
type Facts struct {
	// URLRounds counts the rounds of percent decoding that changed the value, a round
	// decoding %XX and %uXXXX escapes alike: 2 or more means it was encoded at least
	// twice. A value a parser already decoded once (Param.URLDecoded) had one round
	// more; the detect package adds it.
	URLRounds int
	// Transforms is the union of the transforms behind every variant yielded.
	Transforms Transform
	// NUL is set when the value or one of its decoded variants holds a NUL byte.
	NUL bool
	// NotUTF8 is set when a decoded variant is not valid UTF-8 (the raw value's own
	// validity is the parser's business). A value with a '%' that starts no escape
	// ("%%bash", a Jupyter cell magic; "100% sure") is text with percent signs, not
	// percent-encoded: the bytes its URL decoding guesses ("%ba" is 0xBA) say nothing
	// of its encoding, so they do not set it.
	NotUTF8 bool
	// Variants counts the distinct variants yielded.
	Variants int
}

// Decoder holds the buffers decoding works in. It is not safe for concurrent use; take
// one from Get per goroutine and Put it back.
type Decoder struct {
	a, b  []byte // the decoding chain ping-pongs between these
	fold  []byte // the folded variant
	b64   []byte // base64 output
	js    []byte // JSON string values with their escapes decoded, appended in one call
	seen  [4]string
	nseen int
}

// maxKeep is the largest buffer a pooled Decoder keeps; bigger ones are dropped on Put so
// one huge body does not pin memory.
const maxKeep = 64 << 10

var pool = sync.Pool{New: func() any { return new(Decoder) }}

// Get returns a Decoder from the pool.
func Get() *Decoder { return pool.Get().(*Decoder) }

// Put returns d to the pool. d must not be used afterwards.
func Put(d *Decoder) {
	if cap(d.a) > maxKeep {
		d.a, d.b, d.fold, d.b64, d.js = nil, nil, nil, nil, nil
	}
	d.seen = [4]string{}
	pool.Put(d)
}

// Byte classes for the quick scan.
const (
	cPct    = 1 << iota // '%'
	cAmp                // '&'
	cSlash              // '\\'
	cNUL                // 0
	cStar               // '/' (a comment needs "/*")
	cSpace              // \t \n \v \f \r
	cHigh               // lead byte of a possibly overlong sequence
	cB64                // not in the base64 alphabets (standard or URL-safe), '=' included
	cUpper              // 'A'-'Z'
	cLower              // 'a'-'z'
	cQuick  = cPct | cAmp | cSlash | cNUL | cStar | cSpace | cHigh
	minB64  = 16 // shortest value tried as base64
	b64Frac = 20 // at most 1/b64Frac of the decoded bytes may be control characters
)

var class [256]uint16

func init() {
	for i := range class {
		c := byte(i)
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/' || c == '-' || c == '_' || c == '=') {
			class[i] |= cB64
		}
	}
	for c := 'A'; c <= 'Z'; c++ {
		class[c] |= cUpper
		class[c+'a'-'A'] |= cLower
	}
	class['%'] |= cPct
	class['&'] |= cAmp
	class['\\'] |= cSlash
	class[0] |= cNUL
	class['/'] |= cStar
	for _, c := range "\t\n\v\f\r" {
		class[c] |= cSpace
	}
	for c := 0xC0; c <= 0xF0; c++ {
		if c <= 0xC1 || c == 0xE0 || c == 0xF0 {
			class[c] |= cHigh
		}
	}
}

// Variants calls fn with each distinct decoded variant of v (never v itself), in a fixed
// order: the fully decoded value, its folded form, then a base64 decoding and its
// decoded form. fn returns false to stop. The string passed to fn aliases the Decoder's
// buffers: it is valid only during the call and must not be retained (copy a fragment
// with strings.Clone before keeping it).
//
// Then, for a value that is not base64 as a whole, the string values of JSON it holds
// and the base64 runs inside it that decode to printable text (embedded.go). Every
// variant is at most len(v) bytes long.
func (d *Decoder) Variants(v string, fn func(variant string, how Transform) bool) (f Facts) {
	var seen uint16
	for i := 0; i < len(v); i++ {
		seen |= class[v[i]]
	}
	f.NUL = seen&cNUL != 0
	b64 := seen&cB64 == 0 && len(v) >= minB64
	// The chain changes only a value with '%', '&', '\\' or an overlong lead byte;
	// folding needs NUL, whitespace other than ' ', or "/*". A '/' alone (URLs, paths,
	// user agents, dates) needs neither.
	decodes := seen&(cPct|cAmp|cSlash|cHigh) != 0
	folds := seen&(cNUL|cSpace) != 0 || seen&cStar != 0 && strings.Contains(v, "/*")
	if !decodes && !folds && !b64 {
		// Only the base64 payload of a data: URI (a value with no byte of cQuick is
		// looked at from minB64 bytes on), or a base64 run or JSON inside the value
		// (embedded.go), can make a variant.
		if (seen&cQuick == 0 && !hasBase64URI(v) || seen&cQuick != 0 && !strings.Contains(v, "base64,")) && !mayHide(v, seen) {
			return f
		}
	}
	d.nseen = 0
	d.grow(len(v))
	d.js = d.js[:0]

	full, how, rounds := v, Transform(0), 0
	if decodes {
		full, how, rounds = d.chain(v, seen)
	}
	f.URLRounds = rounds
	if how != 0 {
		if !d.yield(&f, full, how, fn) {
			return f
		}
		if !utf8.ValidString(full) && !(how&URL != 0 && literalPercent(v)) {
			f.NotUTF8 = true
		}
		if !f.NUL && hasNUL(full) {
			f.NUL = true
		}
	}
	if how != 0 || folds {
		if folded, ok := d.foldInto(full); ok {
			if !d.yield(&f, folded, how|Fold, fn) {
				return f
			}
		}
	}

	// base64: the raw value, the decoded value, or the payload of a data: URI.
	src := ""
	switch {
	case b64:
		src = v
	case how != 0 && len(full) >= minB64 && allBase64(full):
		src = full
	default:
		src = base64URIPayload(full)
	}
	if src == "" {
		// Not base64 as a whole: JSON string values and base64 runs inside it.
		if d.jsonStrings(&f, full, how|JSONString, fn) && (how != 0 || seen&cCases == cCases) {
			d.runs(&f, full, fn)
		}
		return f
	}
	dec, ok := d.base64(src)
	if !ok {
		// Base64 characters but not one base64 text (e.g. "a=<base64>"): look inside.
		if src == full && seen&cCases == cCases {
			d.runs(&f, full, fn)
		}
		return f
	}
	// The buffers behind the first variants are reused from here on: forget them.
	d.nseen = 0
	if !d.yield(&f, dec, Base64, fn) {
		return f
	}
	last, lastHow := dec, Base64
	if full2, how2, _ := d.chain(dec, cQuick); how2 != 0 {
		if !d.yield(&f, full2, Base64|how2, fn) {
			return f
		}
		last, lastHow = full2, Base64|how2
	}
	d.jsonStrings(&f, last, lastHow|JSONString, fn)
	return f
}

// yield passes s to fn unless it was already seen or equals nothing new.
func (d *Decoder) yield(f *Facts, s string, how Transform, fn func(string, Transform) bool) bool {
	for i := 0; i < d.nseen; i++ {
		if d.seen[i] == s {
			return true
		}
	}
	if d.nseen < len(d.seen) {
		d.seen[d.nseen] = s
		d.nseen++
	}
	f.Variants++
	f.Transforms |= how
	return fn(s, how)
}

func (d *Decoder) grow(n int) {
	if cap(d.a) < n {
		c := n
		if c < 256 {
			c = 256
		}
		d.a, d.b, d.fold, d.b64, d.js = make([]byte, 0, c), make([]byte, 0, c), make([]byte, 0, c), make([]byte, 0, c), make([]byte, 0, c)
	}
}

// str views b as a string without copying. The bytes must not change while the string
// is in use; Variants hands such strings to its callback only.
func str(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(unsafe.SliceData(b), len(b))
}

func hasNUL(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == 0 {
			return true
		}
	}
	return false
}

// chain applies URL, overlong, entity and escape decoding until the value is stable or
// MaxRounds is reached. It returns the result (aliasing d.a or d.b, or v itself when
// nothing applied), the transforms that changed something and the number of rounds in
// which percent decoding changed the value. Each step reads the current value and
// writes into the buffer it does not live in. seen holds the classes of the bytes of v:
// until a step changes the value, the steps whose trigger byte v lacks are skipped.
func (d *Decoder) chain(v string, seen uint16) (string, Transform, int) {
	cur := v
	var how Transform
	rounds := 0
	inA := false // cur lives in d.a (else in d.b, or is v)
	dst := func() []byte {
		if inA {
			return d.b[:0]
		}
		return d.a[:0]
	}
	changed := false
	took := func(out []byte, t Transform) {
		cur, how = str(out), how|t
		inA = !inA
		changed = true
	}
	// try says whether a step can change cur: always once the value has changed,
	// before that only when v holds the step's trigger byte.
	try := func(trigger uint16) bool { return how != 0 || seen&trigger != 0 }
	for round := 0; round < MaxRounds; round++ {
		changed = false
		if try(cPct) {
			if out, t, ok := urlDecode(dst(), cur); ok {
				took(out, t)
				rounds++
			}
		}
		if try(cHigh) {
			if out, ok := overlongDecode(dst(), cur); ok {
				took(out, Overlong)
			}
		}
		if try(cAmp) {
			if out, ok := entityDecode(dst(), cur); ok {
				took(out, HTMLEntity)
			}
		}
		if try(cSlash) {
			if out, ok := jsDecode(dst(), cur); ok {
				took(out, JSEscape)
			}
		}
		if !changed {
			break
		}
	}
	return cur, how, rounds
}

// literalPercent reports whether a '%' of s starts neither a %XX nor a %uXXXX escape.
func literalPercent(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			continue
		}
		if _, ok := pctAt(s, i); ok {
			continue
		}
		if _, ok := uniAt(s, i); !ok {
			return true
		}
	}
	return false
}

package detect

import (
	"iter"
	"strings"
)

// ASCII scanning helpers shared by the family files. They never allocate: detectors run
// on every parameter of every request, and most values are short and benign.

// lowerASCII folds an ASCII upper-case letter to lower case and leaves any other byte.
func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func isAlpha(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isDigit(c byte) bool { return '0' <= c && c <= '9' }
func isAlnum(c byte) bool { return isAlpha(c) || isDigit(c) }
func isHexDigit(c byte) bool {
	return isDigit(c) || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// isIdent reports whether c may appear in an identifier of the common programming
// languages (letters, digits, underscore).
func isIdent(c byte) bool { return isAlnum(c) || c == '_' }

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

// hasPrefixFold reports whether s begins with prefix, ignoring ASCII case. prefix must be
// lower case.
func hasPrefixFold(s, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		if lowerASCII(s[i]) != prefix[i] {
			return false
		}
	}
	return true
}

// hasSuffixFold reports whether s ends with suffix, ignoring ASCII case. suffix must be
// lower case.
func hasSuffixFold(s, suffix string) bool {
	return len(s) >= len(suffix) && hasPrefixFold(s[len(s)-len(suffix):], suffix)
}

// indexFold returns the index of the first instance of substr in s, ignoring ASCII case,
// or -1. substr must be lower case and not empty.
func indexFold(s, substr string) int {
	c := substr[0]
	upper := c
	if 'a' <= c && c <= 'z' {
		upper = c - ('a' - 'A')
	}
	for i := 0; i+len(substr) <= len(s); {
		j := indexEither(s[i:len(s)-len(substr)+1], c, upper)
		if j < 0 {
			return -1
		}
		i += j
		if hasPrefixFold(s[i:], substr) {
			return i
		}
		i++
	}
	return -1
}

// indexEither returns the index of the first byte of s equal to a or b, or -1.
func indexEither(s string, a, b byte) int {
	if a == b {
		return strings.IndexByte(s, a)
	}
	i := strings.IndexByte(s, a)
	if i == 0 {
		return 0
	}
	lim := s
	if i > 0 {
		lim = s[:i]
	}
	if j := strings.IndexByte(lim, b); j >= 0 {
		return j
	}
	return i
}

// wordAt reports whether the lower-case word w appears in s at i with no identifier
// character right before or after it.
func wordAt(s string, i int, w string) bool {
	if i > 0 && isIdent(s[i-1]) {
		return false
	}
	if !hasPrefixFold(s[i:], w) {
		return false
	}
	end := i + len(w)
	return end == len(s) || !isIdent(s[end])
}

// indexWordFold returns the index of the first occurrence of the lower-case word w in s
// that stands as a whole word (no identifier character on either side), or -1.
func indexWordFold(s, w string) int {
	for off := 0; off < len(s); {
		i := indexFold(s[off:], w)
		if i < 0 {
			return -1
		}
		if wordAt(s, off+i, w) {
			return off + i
		}
		off += i + 1
	}
	return -1
}

// skipSpaces returns the index of the first non-space byte of s at or after i.
func skipSpaces(s string, i int) int {
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	return i
}

// lowerWord copies the identifier-like run of s starting at i into buf, lower-cased,
// keeping the bytes for which keep reports true. It returns the word and the index after
// it; a word longer than buf is cut (the caller's lists hold no such words).
func lowerWord(buf []byte, s string, i int, keep func(byte) bool) ([]byte, int) {
	n := 0
	for i < len(s) && keep(s[i]) {
		if n < len(buf) {
			buf[n] = lowerASCII(s[i])
			n++
		}
		i++
	}
	return buf[:n], i
}

// around returns a fragment of s around [i, j), widened a little for context, for the
// Fragment of a signal.
func around(s string, i, j int) string {
	const pad = 16
	if i -= pad; i < 0 {
		i = 0
	}
	if j += pad; j > len(s) {
		j = len(s)
	}
	return s[i:j]
}

// Byte classes: what kinds of bytes a value holds, as one bit per class, so a family can
// reject a value with one bit test instead of its own scan. The dispatch computes the
// classes of a variant once (valueClasses) and shares them between the families that
// registered with registerValueFiltered; classesOf names the classes of a prefilter
// ("a quote or a parenthesis": classesOf(`'"()`)).
//
// Every ASCII punctuation byte is a class of its own, so a prefilter on punctuation is
// exact; letters, digits, whitespace, control and non-ASCII bytes are grouped.
type byteClass uint64

// Grouped classes; the 32 punctuation classes follow (see punctBytes).
const (
	classSpace  byteClass = 1 << iota // ' '
	classWhite                        // \t \n \v \f \r
	classCtl                          // other control bytes (NUL included) and DEL
	classDigit                        // 0-9
	classLower                        // a-z
	classUpper                        // A-Z
	classHigh                         // 0x80-0xFF: UTF-8 sequences and stray bytes
	classPunct0                       // the first punctuation class
)

// punctBytes are the ASCII punctuation bytes, one class each, in this order.
const punctBytes = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"

// Unions of classes for common prefilters.
const (
	classLetter   = classLower | classUpper
	classAlnum    = classLetter | classDigit
	classAnySpace = classSpace | classWhite
)

// classTable maps each byte to its class.
var classTable = func() (t [256]byteClass) {
	for i := range t {
		c := byte(i)
		switch {
		case c == ' ':
			t[i] = classSpace
		case c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r':
			t[i] = classWhite
		case c < 0x20 || c == 0x7f:
			t[i] = classCtl
		case isDigit(c):
			t[i] = classDigit
		case 'a' <= c && c <= 'z':
			t[i] = classLower
		case 'A' <= c && c <= 'Z':
			t[i] = classUpper
		case c >= 0x80:
			t[i] = classHigh
		}
	}
	for i := 0; i < len(punctBytes); i++ {
		t[punctBytes[i]] = classPunct0 << i
	}
	return t
}()

// valueClasses returns the union of the classes of the bytes of s.
func valueClasses(s string) byteClass {
	var m byteClass
	for i := 0; i < len(s); i++ {
		m |= classTable[s[i]]
	}
	return m
}

// classesOf returns the union of the classes of the bytes in chars: classesOf("<>")
// is the class of '<' and the class of '>'; classesOf("a") is every lower-case letter.
func classesOf(chars string) byteClass { return valueClasses(chars) }

// has reports whether m holds at least one of the classes of c.
func (m byteClass) has(c byteClass) bool { return m&c != 0 }

// bracedWithin returns the text inside the bracket opening at v[i], nesting counted,
// looking at most limit bytes past i, and the index after the closing bracket; an
// unclosed bracket gives "" and i.
func bracedWithin(v string, i int, open, close byte, limit int) (string, int) {
	depth := 0
	for k := i; k < len(v) && k-i <= limit; k++ {
		switch v[k] {
		case open:
			depth++
		case close:
			depth--
			if depth == 0 {
				return v[i+1 : k], k + 1
			}
		}
	}
	return "", i
}

// closerOf returns the bracket that closes open: ')' for '(', '}' for '{', ']' for
// '['; 0 for anything else.
func closerOf(open byte) byte {
	switch open {
	case '(':
		return ')'
	case '{':
		return '}'
	case '[':
		return ']'
	}
	return 0
}

// byteIndexes yields the index of each c in v, from the first to the last.
func byteIndexes(v string, c byte) iter.Seq[int] {
	return func(yield func(int) bool) {
		for off := 0; off < len(v); {
			k := strings.IndexByte(v[off:], c)
			if k < 0 || !yield(off+k) {
				return
			}
			off += k + 1
		}
	}
}

// stringIndexes yields the index of each occurrence of s in v, left to right, not
// overlapping.
func stringIndexes(v, s string) iter.Seq[int] {
	return func(yield func(int) bool) {
		for off := 0; off < len(v); {
			k := strings.Index(v[off:], s)
			if k < 0 || !yield(off+k) {
				return
			}
			off += k + len(s)
		}
	}
}

// printableRuns calls fn on each run of at least min printable ASCII bytes (tab
// included) of v, until fn reports true: in a binary value, where only text an attacker
// wrote runs that long (compressed data breaks printable runs within a few bytes), the
// places worth reading as text.
func printableRuns(v string, min int, fn func(run string) bool) bool {
	start := -1
	for i := 0; i <= len(v); i++ {
		if i < len(v) && (v[i] >= 0x20 && v[i] < 0x7f || v[i] == '\t') {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 && i-start >= min && fn(v[start:i]) {
			return true
		}
		start = -1
	}
	return false
}

// minBinaryRun is the shortest printable run of a binary value read as text.
const minBinaryRun = 8

// binaryish reports a value that carries binary data (compressed blobs, images read as
// text): control characters other than whitespace, or C1 controls in UTF-8, at least
// four of them and one byte in fifty. Its punctuation spells commands by chance.
func binaryish(v string) bool {
	n := 0
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7f || c == 0xc2 && i+1 < len(v) && v[i+1] >= 0x80 && v[i+1] < 0xa0 {
			n++
		}
	}
	return n >= 4 && n*50 >= len(v)
}

package detect

import "strings"

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

package decode

import (
	"strings"
	"unicode/utf8"
)

// Payloads hidden inside a longer value.
//
// An application that takes JSON in a query parameter (?filter={"id":"..."}), PHP
// serialized data (s:16:"...";), a base64 token inside brackets (user[BASE64]=) or a
// URL in a Referer decodes only the piece it uses. Two passes reach those pieces:
//
//   - base64 runs: a maximal run of base64 characters inside the value (delimited by
//     anything else: quotes, brackets, ':', '=', '&', whitespace...) that decodes to
//     printable ASCII text is yielded on its own (Base64Run). The prefilter keeps
//     ordinary values cheap and free of garbage variants: a run needs minRun
//     characters and both upper- and lower-case letters (words, numbers, hex ids and
//     UUIDs have one case), a run that is one segment of a dotted token (JWTs, Flask
//     sessions, host names) is left alone, and decoding stops at the first byte that is
//     not printable ASCII, which random tokens, hashes and binary reach within a few
//     bytes. The decoded text must carry an attack itself: the run is not a signal.
//   - JSON string values: in a value that holds a JSON object or array, each string
//     value (not a key) is yielded on its own (JSONString), as the application that
//     parses the JSON sees it, unless it is a plain word, number, id, date, e-mail
//     address or bare URL (plainWord), which the whole value's inspection covers.
//     Applied to the decoded value and to base64-decoded text alike.
//
// Both are bounded (maxRuns, maxJSONStrings) and yield substrings of the value or
// decoded bytes no longer than their run, so variants stay within the value's length.

const (
	minRun         = 12 // shortest base64 run decoded inside a value (9 bytes of text)
	maxRuns        = 8  // at most this many decoded runs per value
	maxJSONStrings = 16 // at most this many JSON string values per text
)

// runByte marks the base64 alphabets (standard and URL-safe), '=' left out.
var runByte [256]bool

func init() {
	for i := range runByte {
		runByte[i] = class[i]&cB64 == 0 && i != '='
	}
}

// longRun returns the start of the first run of at least minRun base64 characters in s
// at or after i, or -1; i is 0 or follows a byte that is not a base64 character. It probes the last byte of each window and scans back from a
// hit, so text made of short words costs a fraction of a byte-by-byte scan.
func longRun(s string, i int) int {
	for i+minRun <= len(s) {
		j := i + minRun - 1
		if !runByte[s[j]] {
			i = j + 1
			continue
		}
		k := j - 1
		for k >= i && runByte[s[k]] {
			k--
		}
		if k < i {
			return i // s[i-1], when there is one, is not a base64 character
		}
		i = k + 1
	}
	return -1
}

// nextRun returns the bounds of the next candidate base64 run in s at or after i
// (start, end, with end past any '=' padding); ok is false when there is none. A
// candidate has at least minRun characters, both letter cases, and is not a segment of
// a dotted token.
func nextRun(s string, i int) (start, end int, ok bool) {
	for i < len(s) {
		if i = longRun(s, i); i < 0 {
			return 0, 0, false
		}
		start = i
		for i < len(s) && runByte[s[i]] {
			i++
		}
		body := i
		for i < len(s) && s[i] == '=' && i-body < 2 {
			i++
		}
		if body-start < minRun || !bothCases(s[start:body]) {
			continue
		}
		if start >= 2 && s[start-1] == '.' && runByte[s[start-2]] ||
			body+1 < len(s) && s[body] == '.' && runByte[s[body+1]] {
			continue // a segment of a dotted token
		}
		return start, i, true
	}
	return 0, 0, false
}

// bothCases reports whether s holds an upper-case and a lower-case ASCII letter.
func bothCases(s string) bool {
	upper, lower := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		upper = upper || c >= 'A' && c <= 'Z'
		lower = lower || c >= 'a' && c <= 'z'
		if upper && lower {
			return true
		}
	}
	return false
}

// runs yields the printable text that the candidate base64 runs of s decode to, then
// the JSON string values in that text. The decoded runs are appended one after another to
// d.b64 (so each stays valid for deduplication); their total is below len(s).
func (d *Decoder) runs(f *Facts, s string, fn func(string, Transform) bool) bool {
	d.b64 = d.b64[:0]
	n := 0
	for i := 0; i < len(s) && n < maxRuns; {
		start, end, ok := nextRun(s, i)
		if !ok {
			break
		}
		i = end
		dec, ok := d.base64Text(s[start:end])
		if !ok {
			continue
		}
		n++
		if !d.yield(f, dec, Base64Run, fn) || !d.jsonStrings(f, dec, Base64Run|JSONString, fn) {
			return false
		}
	}
	return true
}

// base64Text decodes run (standard or URL-safe alphabet, padding optional) and appends
// the result to d.b64, accepting it only when every byte is printable ASCII, tab, CR or
// LF and at least a quarter are letters or digits. It gives up at the first other byte,
// so random tokens cost a few bytes of decoding.
func (d *Decoder) base64Text(run string) (string, bool) {
	n := len(run)
	for n > 0 && run[n-1] == '=' {
		n--
	}
	if n%4 == 1 {
		return "", false
	}
	run = run[:n]
	if strings.ContainsAny(run, "+/") && strings.ContainsAny(run, "-_") {
		return "", false
	}
	off := len(d.b64)
	dst := d.b64
	var acc uint32
	bits, alnum := 0, 0
	for i := 0; i < n; i++ {
		acc = acc<<6 | uint32(b64val[run[i]])
		bits += 6
		if bits >= 8 {
			bits -= 8
			c := byte(acc >> bits)
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c >= 0x7F {
				return "", false
			}
			if isAlnum(c) {
				alnum++
			}
			dst = append(dst, c)
		}
	}
	out := dst[off:]
	if len(out) == 0 || alnum*4 < len(out) {
		return "", false
	}
	d.b64 = dst
	return str(out), true
}

// jsonStart returns the index of the first '"' in s that opens a string right after a
// '{' or '[' (spaces allowed between), or -1: where a JSON object or array of strings
// starts.
func jsonStart(s string) int {
	for i := 0; i < len(s); {
		q := strings.IndexByte(s[i:], '"')
		if q < 0 {
			return -1
		}
		q += i
		j := q - 1
		for j >= 0 && (s[j] == ' ' || s[j] == '\t' || s[j] == '\n' || s[j] == '\r') {
			j--
		}
		if j >= 0 && (s[j] == '{' || s[j] == '[') {
			return q
		}
		i = q + 1
	}
	return -1
}

// jsonStrings yields the string values (not the keys) of the JSON that starts in s,
// as the application reads them (escapes decoded: "\\\\host" is \\host), when they
// are not plainWord. It does not validate the JSON: it reads quoted strings from the
// first one that opens an object or array. Decoded strings are appended to d.js, which
// is never written over within one Variants call (the strings it has seen point into
// it); a string that does not fit in what is left of it is yielded as written.
func (d *Decoder) jsonStrings(f *Facts, s string, how Transform, fn func(string, Transform) bool) bool {
	i := jsonStart(s)
	if i < 0 {
		return true
	}
	n := 0
	for i < len(s) && n < maxJSONStrings {
		q := strings.IndexByte(s[i:], '"')
		if q < 0 {
			break
		}
		start := i + q + 1
		j := start
		for j < len(s) && s[j] != '"' {
			if s[j] == '\\' {
				j++
			}
			j++
		}
		if j >= len(s) {
			break
		}
		v := s[start:j]
		i = j + 1
		k := i
		for k < len(s) && (s[k] == ' ' || s[k] == '\t' || s[k] == '\n' || s[k] == '\r') {
			k++
		}
		if k < len(s) && s[k] == ':' {
			continue // a key
		}
		if !plainWord(v) {
			n++
			if strings.IndexByte(v, '\\') >= 0 && len(d.js)+len(v) <= cap(d.js) {
				off := len(d.js)
				if out, ok := jsonUnescape(d.js, v); ok {
					d.js = out
					v = str(d.js[off:])
				}
			}
			if !d.yield(f, v, how, fn) {
				return false
			}
		}
	}
	return true
}

// plainWord reports whether s (base64 padding aside) is shorter than 3 bytes or made
// only of letters, digits, non-ASCII text and the punctuation of identifiers, numbers,
// dates, e-mail addresses and bare URLs (- _ . @ : /): what the detectors judged in
// the whole value already, and nothing whose JSON quoting hides an attack.
func plainWord(s string) bool {
	s = strings.TrimRight(s, "=")
	if len(s) < 3 {
		return true
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !isAlnum(c) && c < 0x80 && c != '-' && c != '_' && c != '.' && c != '@' && c != ':' && c != '/' {
			return false
		}
	}
	return true
}

// mayHide is the prefilter for a value that needs no other decoding: whether it may
// hold JSON strings or a base64 run. seen holds the byte classes of v.
func mayHide(v string, seen uint16) bool {
	if len(v) < minRun {
		return false
	}
	if seen&cB64 != 0 && jsonStart(v) >= 0 {
		return true
	}
	if seen&cCases != cCases {
		return false // a candidate run has both letter cases
	}
	_, _, ok := nextRun(v, 0)
	return ok
}

// cCases are the classes a value that may hold a candidate run has both of.
const cCases = cUpper | cLower

// jsonUnescape appends to dst the JSON string body s with its escapes decoded (\" \\
// \/ \b \f \n \r \t \uXXXX), as a JSON parser reads it; an escape that is not one is
// kept as written. ok is false when s has none. The output is never longer than s.
func jsonUnescape(dst []byte, s string) ([]byte, bool) {
	changed := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 == len(s) {
			dst = append(dst, c)
			continue
		}
		e := s[i+1]
		switch e {
		case '"', '\\', '/':
		case 'b':
			e = '\b'
		case 'f':
			e = '\f'
		case 'n':
			e = '\n'
		case 'r':
			e = '\r'
		case 't':
			e = '\t'
		case 'u':
			if r, ok := hex4(s, i+2); ok {
				if r >= 0xd800 && r < 0xe000 {
					r = utf8.RuneError // a lone surrogate, or half of a pair
				}
				dst = utf8.AppendRune(dst, r)
				i += 5
				changed = true
				continue
			}
			dst = append(dst, c)
			continue
		default:
			dst = append(dst, c)
			continue
		}
		dst = append(dst, e)
		i++
		changed = true
	}
	return dst, changed
}

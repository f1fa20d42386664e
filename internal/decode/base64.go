package decode

import (
	"strings"
	"unicode/utf8"
)

var b64val [256]uint8

const b64bad = 0xFF

func init() {
	for i := range b64val {
		b64val[i] = b64bad
	}
	const std = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	for i := 0; i < len(std); i++ {
		b64val[std[i]] = uint8(i)
	}
	b64val['+'], b64val['-'] = 62, 62
	b64val['/'], b64val['_'] = 63, 63
}

func allBase64(s string) bool {
	for i := 0; i < len(s); i++ {
		if class[s[i]]&cB64 != 0 {
			return false
		}
	}
	return true
}

// hasBase64URI reports whether s may hold a data: URI with a base64 payload.
func hasBase64URI(s string) bool { return len(s) >= minB64 && strings.Contains(s, "base64,") }

// base64URIPayload returns the payload after "base64," when it is long enough, else "".
func base64URIPayload(s string) string {
	i := strings.Index(s, "base64,")
	if i < 0 {
		return ""
	}
	p := s[i+len("base64,"):]
	if j := strings.IndexAny(p, "\"' >)&"); j >= 0 {
		p = p[:j]
	}
	if len(p) < 8 || !allBase64(p) {
		return ""
	}
	return p
}

// base64 decodes s (standard or URL-safe alphabet, padding optional) into d.b64 and
// accepts the result only when it reads as text: valid UTF-8 with few control
// characters and some letters. Random tokens, hashes and binary blobs in base64 fail
// that test, which keeps them away from the detectors.
func (d *Decoder) base64(s string) (string, bool) {
	n := len(s)
	for n > 0 && s[n-1] == '=' {
		n--
	}
	if len(s)-n > 2 || n%4 == 1 {
		return "", false
	}
	if strings.IndexByte(s[:n], '=') >= 0 {
		return "", false
	}
	// Mixed alphabets ('+' with '-', '/' with '_') are not base64 any encoder writes.
	std := strings.ContainsAny(s[:n], "+/")
	url := strings.ContainsAny(s[:n], "-_")
	if std && url {
		return "", false
	}
	dst := d.b64[:0]
	var acc uint32
	bits := 0
	for i := 0; i < n; i++ {
		v := b64val[s[i]]
		if v == b64bad {
			return "", false
		}
		acc = acc<<6 | uint32(v)
		bits += 6
		if bits >= 8 {
			bits -= 8
			dst = append(dst, byte(acc>>bits))
		}
	}
	d.b64 = dst
	if !textual(dst) {
		return "", false
	}
	return str(dst), true
}

// textual reports whether b looks like text: valid UTF-8, at most one control byte in
// b64Frac (tab, CR and LF do not count), and at least a quarter letters or digits.
func textual(b []byte) bool {
	if len(b) == 0 || !utf8.Valid(b) {
		return false
	}
	ctl, alnum := 0, 0
	for _, c := range b {
		switch {
		case c == '\t' || c == '\n' || c == '\r':
		case c < 0x20 || c == 0x7F:
			ctl++
		case isAlnum(c):
			alnum++
		}
	}
	return ctl*b64Frac <= len(b) && alnum*4 >= len(b)
}

package decode

import "unicode/utf8"

func unhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// pctAt reports the byte encoded by a valid %XX escape at s[i].
func pctAt(s string, i int) (byte, bool) {
	if i+2 >= len(s) || s[i] != '%' {
		return 0, false
	}
	h, ok1 := unhex(s[i+1])
	l, ok2 := unhex(s[i+2])
	return h<<4 | l, ok1 && ok2
}

// uniAt reports the code point of a valid %uXXXX escape at s[i].
func uniAt(s string, i int) (rune, bool) {
	if i+5 >= len(s) || s[i] != '%' || (s[i+1] != 'u' && s[i+1] != 'U') {
		return 0, false
	}
	var r rune
	for j := i + 2; j < i+6; j++ {
		h, ok := unhex(s[j])
		if !ok {
			return 0, false
		}
		r = r<<4 | rune(h)
	}
	return r, true
}

// fullwidth maps the fullwidth forms U+FF01..U+FF5E to the ASCII they stand for, as
// IIS's best-fit mapping does with %uFF1C.
func fullwidth(r rune) rune {
	if r >= 0xFF01 && r <= 0xFF5E {
		return r - 0xFF01 + '!'
	}
	return r
}

// urlDecode percent-decodes s into dst: %XX, %uXXXX and, when s has at least one %XX
// escape, '+' as space. Invalid escapes are kept as they are. ok is false (and dst
// unused) when nothing changed. The output is never longer than s.
func urlDecode(dst []byte, s string) (out []byte, how Transform, ok bool) {
	first := -1
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			continue
		}
		if _, valid := pctAt(s, i); valid {
			first = i
			break
		}
		if _, valid := uniAt(s, i); valid {
			first = i
			break
		}
	}
	if first < 0 {
		return dst, 0, false
	}
	_, plus := pctAtAny(s)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '%':
			if b, valid := pctAt(s, i); valid {
				dst = append(dst, b)
				how |= URL
				i += 2
				continue
			}
			if r, valid := uniAt(s, i); valid {
				r = fullwidth(r)
				if r < utf8.RuneSelf {
					dst = append(dst, byte(r))
				} else {
					dst = utf8.AppendRune(dst, r)
				}
				how |= URLUnicode
				i += 5
				continue
			}
			dst = append(dst, c)
		case c == '+' && plus:
			dst = append(dst, ' ')
			how |= URL
		default:
			dst = append(dst, c)
		}
	}
	return dst, how, true
}

// pctAtAny reports whether s holds a valid %XX escape (not counting %uXXXX).
func pctAtAny(s string) (int, bool) {
	for i := 0; i < len(s); i++ {
		if s[i] == '%' {
			if _, ok := pctAt(s, i); ok {
				return i, true
			}
		}
	}
	return -1, false
}

// overlongDecode replaces overlong UTF-8 encodings (C0 AF for '/', E0 80 AE for '.')
// with the shortest form of their character. ok is false when s has none.
func overlongDecode(dst []byte, s string) ([]byte, bool) {
	found := false
	for i := 0; i < len(s); i++ {
		if class[s[i]]&cHigh != 0 {
			if _, n := overlongAt(s, i); n > 0 {
				found = true
				break
			}
		}
	}
	if !found {
		return dst, false
	}
	for i := 0; i < len(s); i++ {
		if class[s[i]]&cHigh != 0 {
			if r, n := overlongAt(s, i); n > 0 {
				dst = utf8.AppendRune(dst, r)
				i += n - 1
				continue
			}
		}
		dst = append(dst, s[i])
	}
	return dst, true
}

func cont(c byte) bool { return c&0xC0 == 0x80 }

// overlongAt decodes an overlong sequence at s[i], returning the code point and the
// number of bytes it took (0 when there is none).
func overlongAt(s string, i int) (rune, int) {
	c := s[i]
	switch {
	case (c == 0xC0 || c == 0xC1) && i+1 < len(s) && cont(s[i+1]):
		return rune(c&0x1F)<<6 | rune(s[i+1]&0x3F), 2
	case c == 0xE0 && i+2 < len(s) && s[i+1] >= 0x80 && s[i+1] <= 0x9F && cont(s[i+2]):
		return rune(s[i+1]&0x3F)<<6 | rune(s[i+2]&0x3F), 3
	case c == 0xF0 && i+3 < len(s) && s[i+1] >= 0x80 && s[i+1] <= 0x8F && cont(s[i+2]) && cont(s[i+3]):
		return rune(s[i+1]&0x3F)<<12 | rune(s[i+2]&0x3F)<<6 | rune(s[i+3]&0x3F), 4
	}
	return 0, 0
}

package decode

import "unicode/utf8"

// escapeAt decodes a JavaScript/JSON escape at s[i] (s[i] == '\\'): \uXXXX (surrogate
// pairs joined), \u{X..}, \xXX, three-digit octal \NNN and \/. Other escapes (\n, \",
// \\) are left alone: they change no markup or SQL meaning worth revealing. It returns
// the code point and the bytes consumed (0 when there is no escape).
func escapeAt(s string, i int) (rune, int) {
	if i+1 >= len(s) {
		return 0, 0
	}
	switch c := s[i+1]; {
	case c == 'u':
		if i+2 < len(s) && s[i+2] == '{' {
			var r rune
			j := i + 3
			for ; j < len(s) && j < i+3+6; j++ {
				h, ok := unhex(s[j])
				if !ok {
					break
				}
				r = r<<4 | rune(h)
			}
			if j == i+3 || j >= len(s) || s[j] != '}' {
				return 0, 0
			}
			return r, j + 1 - i
		}
		r, ok := hex4(s, i+2)
		if !ok {
			return 0, 0
		}
		if r >= 0xD800 && r <= 0xDBFF && i+11 < len(s) && s[i+6] == '\\' && s[i+7] == 'u' {
			if lo, ok := hex4(s, i+8); ok && lo >= 0xDC00 && lo <= 0xDFFF {
				return 0x10000 + (r-0xD800)<<10 + (lo - 0xDC00), 12
			}
		}
		return r, 6
	case c == 'x':
		if i+3 < len(s) {
			h, ok1 := unhex(s[i+2])
			l, ok2 := unhex(s[i+3])
			if ok1 && ok2 {
				return rune(h<<4 | l), 4
			}
		}
	case c >= '0' && c <= '3':
		if i+3 < len(s) && isOct(s[i+2]) && isOct(s[i+3]) {
			return rune(c-'0')<<6 | rune(s[i+2]-'0')<<3 | rune(s[i+3]-'0'), 4
		}
	case c == '/':
		return '/', 2
	}
	return 0, 0
}

func isOct(c byte) bool { return c >= '0' && c <= '7' }

func hex4(s string, i int) (rune, bool) {
	if i+4 > len(s) {
		return 0, false
	}
	var r rune
	for j := i; j < i+4; j++ {
		h, ok := unhex(s[j])
		if !ok {
			return 0, false
		}
		r = r<<4 | rune(h)
	}
	return r, true
}

// jsDecode replaces JavaScript escapes in s. ok is false when there are none. Every
// escape is at least as long as the UTF-8 it stands for ("\u{10FFFF}" is ten bytes for
// four), so the output is never longer than s.
func jsDecode(dst []byte, s string) ([]byte, bool) {
	first := -1
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' {
			if _, n := escapeAt(s, i); n > 0 {
				first = i
				break
			}
		}
	}
	if first < 0 {
		return dst, false
	}
	dst = append(dst, s[:first]...)
	for i := first; i < len(s); i++ {
		if s[i] == '\\' {
			if r, n := escapeAt(s, i); n > 0 {
				if r < utf8.RuneSelf {
					dst = append(dst, byte(r))
				} else if utf8.RuneLen(r) <= n {
					dst = utf8.AppendRune(dst, r)
				} else {
					dst = append(dst, s[i:i+n]...)
				}
				i += n - 1
				continue
			}
		}
		dst = append(dst, s[i])
	}
	return dst, true
}

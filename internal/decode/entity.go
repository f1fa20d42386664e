package decode

import "unicode/utf8"

// entities are the named character references worth decoding for detection: those that
// stand for ASCII punctuation attackers hide (&lpar; &colon; &Tab;) plus the common
// ones. Every name is longer than what it decodes to, so decoding never grows a value.
// Names in legacy are also recognised without their semicolon and in upper case, as
// browsers do.
var entities = map[string]string{
	"lt": "<", "gt": ">", "amp": "&", "quot": "\"", "apos": "'", "nbsp": " ",
	"Tab": "\t", "NewLine": "\n", "colon": ":", "semi": ";", "comma": ",", "period": ".",
	"lpar": "(", "rpar": ")", "lsqb": "[", "rsqb": "]", "lbrack": "[", "rbrack": "]",
	"lcub": "{", "rcub": "}", "lbrace": "{", "rbrace": "}", "sol": "/", "bsol": "\\",
	"excl": "!", "quest": "?", "equals": "=", "num": "#", "dollar": "$", "percnt": "%",
	"plus": "+", "ast": "*", "midast": "*", "lowbar": "_", "UnderBar": "_", "verbar": "|",
	"vert": "|", "VerticalLine": "|", "grave": "`", "DiacriticalGrave": "`", "Hat": "^",
	"commat": "@", "hyphen": "-", "dash": "-", "LT": "<", "GT": ">", "AMP": "&", "QUOT": "\"",
}

var legacy = map[string]bool{"lt": true, "gt": true, "amp": true, "quot": true, "nbsp": true, "LT": true, "GT": true, "AMP": true, "QUOT": true}

const maxEntityName = 16

// entityAt decodes a character reference at s[i] (s[i] == '&'): numeric (&#60; &#x3c;,
// any number of leading zeros, semicolon optional) or named. It appends the decoding to
// dst and returns the bytes consumed (0 when there is no reference).
func entityAt(dst []byte, s string, i int) ([]byte, int) {
	j := i + 1
	if j < len(s) && s[j] == '#' {
		j++
		hex := j < len(s) && (s[j] == 'x' || s[j] == 'X')
		if hex {
			j++
		}
		start := j
		var r rune
		for ; j < len(s); j++ {
			var d byte
			var ok bool
			if hex {
				d, ok = unhex(s[j])
			} else {
				d, ok = s[j]-'0', s[j] >= '0' && s[j] <= '9'
			}
			if !ok {
				break
			}
			if r <= utf8.MaxRune {
				if hex {
					r = r<<4 | rune(d)
				} else {
					r = r*10 + rune(d)
				}
			}
		}
		if j == start {
			return dst, 0
		}
		if j < len(s) && s[j] == ';' {
			j++
		}
		// The shortest reference, "&#9", is three bytes: a replacement character
		// (three bytes) never makes the output longer.
		if r == 0 || r > utf8.MaxRune || (r >= 0xD800 && r <= 0xDFFF) {
			r = utf8.RuneError
		}
		if r < utf8.RuneSelf {
			return append(dst, byte(r)), j - i
		}
		if utf8.RuneLen(r) > j-i {
			return dst, 0
		}
		return utf8.AppendRune(dst, r), j - i
	}
	for j < len(s) && j-i-1 < maxEntityName && isAlnum(s[j]) {
		j++
	}
	name := s[i+1 : j]
	if name == "" {
		return dst, 0
	}
	semi := j < len(s) && s[j] == ';'
	if semi {
		if rep, ok := entities[name]; ok {
			return append(dst, rep...), j + 1 - i
		}
	}
	// Without a semicolon, the longest legacy name that prefixes the run counts
	// ("&ltscript" is "<script").
	for n := len(name); n >= 2; n-- {
		if legacy[name[:n]] {
			return append(dst, entities[name[:n]]...), 1 + n
		}
	}
	return dst, 0
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// entityDecode replaces HTML character references in s. ok is false when there are none.
func entityDecode(dst []byte, s string) ([]byte, bool) {
	first := -1
	for i := 0; i < len(s); i++ {
		if s[i] == '&' {
			if _, n := entityAt(dst, s, i); n > 0 {
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
		if s[i] == '&' {
			var n int
			if dst, n = entityAt(dst, s, i); n > 0 {
				i += n - 1
				continue
			}
		}
		dst = append(dst, s[i])
	}
	return dst, true
}

package parse

import (
	"strconv"
	"strings"

	"github.com/rampartwaf/rampart/internal/request"
)

// pathNames are the names of the first path segments, so that naming them allocates
// nothing.
var pathNames = func() [32]string {
	var n [32]string
	for i := range n {
		n[i] = "path[" + strconv.Itoa(i) + "]"
	}
	return n
}()

// pathSegments takes each non-empty segment of the decoded path as a SourcePath
// parameter named "path[i]" (i counts non-empty segments from 0).
//
// The path arrives decoded; its segments are marked URL-decoded when the path as sent
// (the request target before '?') holds a %XX escape.
func (p *parser) pathSegments() {
	path, i := p.r.Path, 0
	raw, _, _ := strings.Cut(p.r.URI, "?")
	pct := hasEscape(raw)
	for path != "" && !p.stopped {
		var seg string
		seg, path, _ = strings.Cut(path, "/")
		if seg == "" {
			continue
		}
		name := ""
		if i < len(pathNames) {
			name = pathNames[i]
		} else {
			off := len(p.arena)
			p.arena = append(p.arena, "path["...)
			p.arena = strconv.AppendInt(p.arena, int64(i), 10)
			p.arena = append(p.arena, ']')
			p.emit(request.SourcePath, p.arenaText(off), text{s: seg, pct: pct}, false)
			i++
			continue
		}
		p.emit(request.SourcePath, direct(name), text{s: seg, pct: pct}, false)
		i++
	}
}

// query parses an urlencoded string (a query string or a form body): pairs separated by
// '&', name and value URL-decoded once ('+' is a space). A name without a value
// ("debug", "debug=") is a parameter with an empty value; a pair with neither ("", "=")
// is skipped. A name that is not plain is also taken as a Key parameter. A '%' not
// followed by two hex digits ("%1G", "%w2", a '%' at the end) is kept as written and
// sets FlagMalformed: strict decoders (Go's url.ParseQuery, Python's parse_qs with
// errors, Java's URLDecoder) refuse it, lenient ones keep it, so the application may
// read the pair otherwise or not at all.
func (p *parser) query(src request.Source, raw string) {
	for raw != "" && !p.stopped {
		var kv string
		kv, raw, _ = strings.Cut(raw, "&")
		if kv == "" {
			continue
		}
		k, v, _ := strings.Cut(kv, "=")
		malformed := !validEscapes(kv)
		if malformed {
			p.r.Flags |= request.FlagMalformed
		}
		name := p.unescape(k, true)
		plain := !name.inArena && plainName(k)
		if !plain {
			// The decoded name is only known to be plain once decoded; check it in the
			// arena without making a string of it.
			plain = name.inArena && plainName(p.arena[name.off:name.end])
		}
		if !plain {
			p.emit(src, name, name, true)
		}
		if p.emit(src, name, p.unescape(v, true), false) && malformed {
			p.r.Params[len(p.r.Params)-1].Malformed = true
		}
	}
}

// unescape decodes %XX escapes (and '+' as a space when plus is set) once, as an
// application would. An invalid escape is kept as written ("%u00e9" too: applications
// do not decode it). A string with nothing to decode is returned as is; otherwise the
// decoded bytes go to the arena, and the text is marked pct when a %XX escape was
// decoded.
func (p *parser) unescape(raw string, plus bool) text {
	i := 0
	for ; i < len(raw); i++ {
		if c := raw[i]; c == '%' || plus && c == '+' {
			break
		}
	}
	if i == len(raw) {
		return direct(raw)
	}
	off := len(p.arena)
	p.arena = append(p.arena, raw[:i]...)
	pct := false
	for ; i < len(raw); i++ {
		c := raw[i]
		switch {
		case c == '+' && plus:
			c = ' '
		case c == '%' && i+2 < len(raw) && isHex(raw[i+1]) && isHex(raw[i+2]):
			c = unhex(raw[i+1])<<4 | unhex(raw[i+2])
			i += 2
			pct = true
		}
		p.arena = append(p.arena, c)
	}
	t := p.arenaText(off)
	t.pct = pct
	return t
}

// hasEscape reports whether s holds a valid %XX escape.
func hasEscape(s string) bool {
	for i := 0; i+2 < len(s); i++ {
		if s[i] == '%' && isHex(s[i+1]) && isHex(s[i+2]) {
			return true
		}
	}
	return false
}

// validEscapes reports whether every '%' in s starts a %XX escape.
func validEscapes(s string) bool {
	for i := strings.IndexByte(s, '%'); i >= 0; {
		if i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2]) {
			return false
		}
		j := strings.IndexByte(s[i+3:], '%')
		if j < 0 {
			break
		}
		i += 3 + j
	}
	return true
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}

// cookies parses one Cookie header: "a=1; b=2". Values are URL-decoded once (%XX
// only; '+' stays, as most frameworks do for cookies) and lose surrounding double
// quotes. A cookie without '=' is taken as a value with an empty name; "name=" as the
// name with an empty value.
func (p *parser) cookies(h string) {
	for h != "" && !p.stopped {
		var kv string
		kv, h, _ = strings.Cut(h, ";")
		kv = strings.TrimSpace(kv)
		if kv == "" {
			continue
		}
		k, v, found := strings.Cut(kv, "=")
		if !found {
			k, v = "", kv
		}
		k = strings.TrimSpace(k)
		v = strings.TrimSpace(v)
		if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
			v = v[1 : len(v)-1]
		}
		if !plainName(k) {
			p.emit(request.SourceCookie, direct(k), direct(k), true)
		}
		p.emit(request.SourceCookie, direct(k), p.unescape(v, false), false)
	}
}

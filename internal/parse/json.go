package parse

import (
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/rampartwaf/rampart/internal/request"
)

// JSON flattening.
//
// Each scalar value becomes a parameter named by its path: object members joined with
// '.', array elements as "[i]" ("user.emails[0]"); a document that is a bare scalar is
// named "". A string is taken decoded, the empty string included. Numbers, true, false
// and null are taken too, for the rules (qty >= 100, admin equals true, role exists),
// marked Literal so that detectors skip them: a number as written ("150", "-2.5e3"),
// true and false as "true" and "false", and null as the empty value, as a form sends
// a field that has none ("role="). Empty objects and arrays are not parameters. Object
// keys that are not plain names (see plainName: "$where", "__proto__", "a b'") are also
// taken as Key parameters whose value is the key, whatever their value.
//
// The scanner works on a view of the body: unescaped strings alias it (finish copies
// them out), escaped ones and built names go to the arena. It is lenient where that
// only widens inspection: raw control characters and invalid UTF-8 inside strings are
// accepted.

type jsonScanner struct {
	s string
	i int
}

func (js *jsonScanner) skipSpace() {
	for js.i < len(js.s) {
		switch js.s[js.i] {
		case ' ', '\t', '\n', '\r':
			js.i++
		default:
			return
		}
	}
}

// peek returns the byte at the cursor, or 0 at the end.
func (js *jsonScanner) peek() byte {
	if js.i < len(js.s) {
		return js.s[js.i]
	}
	return 0
}

// json flattens the JSON document s into parameters of source src. It reports whether s
// was a JSON document; the parameters read before a syntax error stay. A limit reached
// stops it (with its flag set) and counts as success.
//
// s may also be a sequence of documents, each on its own line or record: JSON Lines
// (NDJSON: Elasticsearch's _bulk, log shippers), RFC 7464 JSON text sequences (each
// record opened by the record separator 0x1E) and SignalR's JSON protocol (each message
// closed by 0x1E, several in one WebSocket message). Each document is flattened as if
// it were alone: its names are its own paths, so a rule on "arguments[0]" sees that
// argument of every message. Two documents on one line ({"a":1} {"b":2}) are not a
// sequence.
func (p *parser) json(s string, src request.Source) bool {
	js := jsonScanner{s: strings.TrimPrefix(s, "\ufeff")}
	js.skipRecordSpace()
	for {
		p.path = p.path[:0]
		if !p.jsonValue(&js, src, 0, direct(""), true) {
			return p.stopped
		}
		if !js.skipRecordSpace() || js.i == len(js.s) {
			return js.i == len(js.s)
		}
	}
}

// skipRecordSpace skips whitespace and record separators (0x1E) and reports whether it
// crossed a line break or a record separator: whether a new document may start.
func (js *jsonScanner) skipRecordSpace() bool {
	crossed := false
	for ; js.i < len(js.s); js.i++ {
		switch js.s[js.i] {
		case ' ', '\t', '\r':
		case '\n', recordSeparator:
			crossed = true
		default:
			return crossed
		}
	}
	return crossed
}

// recordSeparator is the ASCII RS control byte that JSON text sequences and SignalR
// put between JSON documents.
const recordSeparator = 0x1e

// jsonValue reads one value at the cursor. name is the parameter name to use for a
// scalar when useName is set (the document root, or a member of the root object whose
// key aliases the body); otherwise the name is the current path.
func (p *parser) jsonValue(js *jsonScanner, src request.Source, depth int, name text, useName bool) bool {
	js.skipSpace()
	switch c := js.peek(); {
	case c == '{':
		return p.jsonObject(js, src, depth)
	case c == '[':
		return p.jsonArray(js, src, depth)
	case c == '"':
		v, ok := p.jsonString(js)
		if !ok {
			return false
		}
		if !useName {
			name = p.pathText()
		}
		return p.emit(src, name, v, false)
	case c == 't':
		return js.literal("true") && p.emitLiteral(src, name, useName, "true")
	case c == 'f':
		return js.literal("false") && p.emitLiteral(src, name, useName, "false")
	case c == 'n':
		return js.literal("null") && p.emitLiteral(src, name, useName, "")
	case c == '-' || c >= '0' && c <= '9':
		start := js.i
		return js.number() && p.emitLiteral(src, name, useName, js.s[start:js.i])
	}
	return false
}

// emitLiteral takes a number, true, false or null (as the value v) like jsonValue
// takes a string, marked Literal.
func (p *parser) emitLiteral(src request.Source, name text, useName bool, v string) bool {
	if !useName {
		name = p.pathText()
	}
	n := len(p.r.Params)
	if !p.emit(src, name, direct(v), false) {
		return false
	}
	if len(p.r.Params) > n { // not a document that is null
		p.r.Params[n].Literal = true
	}
	return true
}

// enter checks the depth limit before descending into an object or array.
func (p *parser) enter(depth int) bool {
	if depth+1 > p.maxDepth {
		p.r.Flags |= request.FlagTooDeep
		p.stopped = true
		return false
	}
	return true
}

func (p *parser) jsonObject(js *jsonScanner, src request.Source, depth int) bool {
	if !p.enter(depth) {
		return false
	}
	js.i++ // '{'
	js.skipSpace()
	if js.peek() == '}' {
		js.i++
		return true
	}
	for {
		js.skipSpace()
		if js.peek() != '"' {
			return false
		}
		key, ok := p.jsonString(js)
		if !ok {
			return false
		}
		js.skipSpace()
		if js.peek() != ':' {
			return false
		}
		js.i++
		mark := len(p.path)
		if mark > 0 {
			p.path = append(p.path, '.')
		}
		p.path = p.appendText(p.path, key)
		if !p.plainText(key) && !p.emit(src, p.pathText(), key, true) {
			return false
		}
		// A scalar member of the root object is named by its key, aliasing the body.
		if !p.jsonValue(js, src, depth+1, key, depth == 0 && !key.inArena) {
			return false
		}
		p.path = p.path[:mark]
		js.skipSpace()
		switch js.peek() {
		case ',':
			js.i++
		case '}':
			js.i++
			return true
		default:
			return false
		}
	}
}

func (p *parser) jsonArray(js *jsonScanner, src request.Source, depth int) bool {
	if !p.enter(depth) {
		return false
	}
	js.i++ // '['
	js.skipSpace()
	if js.peek() == ']' {
		js.i++
		return true
	}
	for n := 0; ; n++ {
		mark := len(p.path)
		p.path = append(p.path, '[')
		p.path = strconv.AppendInt(p.path, int64(n), 10)
		p.path = append(p.path, ']')
		if !p.jsonValue(js, src, depth+1, text{}, false) {
			return false
		}
		p.path = p.path[:mark]
		js.skipSpace()
		switch js.peek() {
		case ',':
			js.i++
		case ']':
			js.i++
			return true
		default:
			return false
		}
	}
}

// jsonString reads a string at the cursor (on its opening quote). A string without
// escapes aliases the input; an escaped one is decoded into the arena.
func (p *parser) jsonString(js *jsonScanner) (text, bool) {
	start := js.i + 1
	rest := js.s[start:]
	q := strings.IndexByte(rest, '"')
	if q < 0 {
		return text{}, false
	}
	bs := strings.IndexByte(rest[:q], '\\')
	if bs < 0 {
		js.i = start + q + 1
		return direct(rest[:q]), true
	}
	off := len(p.arena)
	p.arena = append(p.arena, rest[:bs]...)
	i := bs
	for {
		if i >= len(rest) {
			return text{}, false
		}
		c := rest[i]
		switch {
		case c == '"':
			js.i = start + i + 1
			return p.arenaText(off), true
		case c != '\\':
			// Copy the run up to the next quote or backslash.
			j := i + 1
			for j < len(rest) && rest[j] != '"' && rest[j] != '\\' {
				j++
			}
			p.arena = append(p.arena, rest[i:j]...)
			i = j
			continue
		}
		if i+1 >= len(rest) {
			return text{}, false
		}
		switch e := rest[i+1]; e {
		case '"', '\\', '/':
			p.arena = append(p.arena, e)
		case 'b':
			p.arena = append(p.arena, '\b')
		case 'f':
			p.arena = append(p.arena, '\f')
		case 'n':
			p.arena = append(p.arena, '\n')
		case 'r':
			p.arena = append(p.arena, '\r')
		case 't':
			p.arena = append(p.arena, '\t')
		case 'u':
			r, ok := hex4(rest, i+2)
			if !ok {
				return text{}, false
			}
			i += 6
			if utf16.IsSurrogate(r) {
				r2, ok2 := rune(-1), false
				if i+1 < len(rest) && rest[i] == '\\' && rest[i+1] == 'u' {
					r2, ok2 = hex4(rest, i+2)
				}
				if dec := utf16.DecodeRune(r, r2); ok2 && dec != utf8.RuneError {
					r = dec
					i += 6
				} else {
					r = utf8.RuneError
				}
			}
			p.arena = utf8.AppendRune(p.arena, r)
			continue
		default:
			return text{}, false
		}
		i += 2
	}
}

// hex4 decodes the four hex digits at s[i:].
func hex4(s string, i int) (rune, bool) {
	if i+4 > len(s) {
		return 0, false
	}
	var r rune
	for _, c := range []byte(s[i : i+4]) {
		if !isHex(c) {
			return 0, false
		}
		r = r<<4 | rune(unhex(c))
	}
	return r, true
}

func (js *jsonScanner) literal(lit string) bool {
	if strings.HasPrefix(js.s[js.i:], lit) {
		js.i += len(lit)
		return true
	}
	return false
}

// number skips a number: an optional '-', digits, fraction and exponent.
func (js *jsonScanner) number() bool {
	start := js.i
	if js.peek() == '-' {
		js.i++
	}
	digits := 0
	for js.i < len(js.s) {
		c := js.s[js.i]
		switch {
		case c >= '0' && c <= '9':
			digits++
		case c == '.' || c == 'e' || c == 'E' || (c == '+' || c == '-') && js.i > start:
		default:
			return digits > 0
		}
		js.i++
	}
	return digits > 0
}

// appendText appends the bytes of t (from the arena or its string) to dst.
func (p *parser) appendText(dst []byte, t text) []byte {
	if t.inArena {
		return append(dst, p.arena[t.off:t.end]...)
	}
	return append(dst, t.s...)
}

// plainText reports whether t is a plain name (see plainName).
func (p *parser) plainText(t text) bool {
	if t.inArena {
		return plainName(p.arena[t.off:t.end])
	}
	return plainName(t.s)
}

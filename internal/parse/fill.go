package parse

import (
	"strings"
	"sync"
	"unicode/utf8"
	"unsafe"

	"github.com/rampartwaf/rampart/internal/request"
)

// Fill parses r's URI, headers, cookies and body (or WebSocket message) into r.Params
// and r.Flags. It is idempotent: a Request already parsed is left alone.
//
// A WebSocket message (r.Protocol is ProtocolWebSocket and r.Message is not nil) is
// parsed alone: its handshake was inspected when it arrived, so the path, query and
// headers a message Request may carry are not taken again.
//
// Parameter values alias r's strings and one string that holds both the part of the
// body or message they were taken from and the values that had to be decoded (URL
// escapes, JSON escapes, XML entities) or built (flattened names). Fill thus allocates
// at most once per request, not per parameter; the parameters do not alias r.Body or
// r.Message, which the caller may reuse.
func Fill(r *request.Request, lim Limits) {
	if r.Parsed {
		return
	}
	r.Parsed = true
	p := parserPool.Get().(*parser)
	p.start(r, lim)
	if r.Protocol == request.ProtocolWebSocket && r.Message != nil {
		p.message()
	} else {
		p.pathSegments()
		p.query(request.SourceQuery, r.RawQuery)
		p.headers()
		p.body()
	}
	p.finish()
	p.release()
}

// text is a parameter name or value: either a string s that aliases the request, or
// the bytes arena[off:end] of the parser's arena, made a string once at the end.
type text struct {
	s        string
	off, end int32
	inArena  bool
	// pct: a %XX escape was decoded to make it (see Param.URLDecoded).
	pct bool
}

func direct(s string) text { return text{s: s} }

// empty reports whether t has no bytes.
func (t text) empty() bool { return t.s == "" && t.off == t.end }

// fix remembers a parameter whose name or value lives in the arena.
type fix struct {
	idx                    int32
	nameInArena, valArena  bool
	nOff, nEnd, vOff, vEnd int32
}

// parser is the state of one Fill. Parsers are pooled: their buffers are reused.
type parser struct {
	r        *request.Request
	lim      Limits
	maxDepth int
	stopped  bool   // a limit was hit: take nothing more
	arena    []byte // decoded values and built names
	fixes    []fix
	// view is r.Body or r.Message seen as a string without a copy, while parsing:
	// finish copies what parameters took from it into the string they end up in.
	view      string
	path      []byte // the current JSON/XML path while flattening
	xmlCounts []nameCount
	xmlStack  []xmlFrame
	xmlText   text // the open element's text so far (xml.go: xmlChars)
	xmlTextOn bool // xmlText holds something
}

var parserPool = sync.Pool{New: func() any { return new(parser) }}

// maxPooledBytes: buffers grown past this by an unusual request are not kept.
const maxPooledBytes = 256 << 10

func (p *parser) start(r *request.Request, lim Limits) {
	p.r, p.lim, p.maxDepth, p.stopped = r, lim, lim.depth(), false
	p.arena, p.fixes, p.path, p.view = p.arena[:0], p.fixes[:0], p.path[:0], ""
	p.xmlCounts, p.xmlStack = p.xmlCounts[:0], p.xmlStack[:0]
	if r.Params == nil {
		r.Params = make([]request.Param, 0, 16)
	}
}

func (p *parser) release() {
	p.r, p.view = nil, ""
	if cap(p.arena) > maxPooledBytes {
		p.arena = nil
	}
	if cap(p.fixes) > maxPooledBytes/16 {
		p.fixes = nil
	}
	if cap(p.path) > maxPooledBytes {
		p.path = nil
	}
	if cap(p.xmlCounts) > 4096 || cap(p.xmlStack) > 4096 {
		p.xmlCounts, p.xmlStack = nil, nil
	}
	parserPool.Put(p)
}

// emit appends a parameter unless the parameter limit is reached, in which case it sets
// FlagTooManyParams, stops the parser and reports false. A parameter with neither a name
// nor a value ("=" in a query, a JSON document that is null) is not taken: no rule can
// name it and it holds nothing to inspect.
func (p *parser) emit(src request.Source, name, value text, key bool) bool {
	if p.stopped {
		return false
	}
	if name.empty() && value.empty() {
		return true
	}
	r := p.r
	if p.lim.Params > 0 && len(r.Params) >= p.lim.Params {
		r.Flags |= request.FlagTooManyParams
		p.stopped = true
		return false
	}
	if name.inArena || value.inArena {
		p.fixes = append(p.fixes, fix{
			idx:         int32(len(r.Params)),
			nameInArena: name.inArena, nOff: name.off, nEnd: name.end,
			valArena: value.inArena, vOff: value.off, vEnd: value.end,
		})
	}
	r.Params = append(r.Params, request.Param{Source: src, Name: name.s, Value: value.s, Key: key, URLDecoded: value.pct})
	return true
}

// arenaText returns the arena bytes appended since off as a text.
func (p *parser) arenaText(off int) text {
	return text{off: int32(off), end: int32(len(p.arena)), inArena: true}
}

// pathText copies the current path into the arena.
func (p *parser) pathText() text {
	off := len(p.arena)
	p.arena = append(p.arena, p.path...)
	return p.arenaText(off)
}

// viewOf returns b as a string without copying it, and remembers it as the view that
// finish copies parameters out of. b must not change until finish.
func (p *parser) viewOf(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	p.view = unsafe.String(unsafe.SliceData(b), len(b))
	return p.view
}

// inView returns the offset of s in the view, or -1 when s does not alias it.
func (p *parser) inView(s string) int {
	if len(s) == 0 || len(p.view) == 0 {
		return -1
	}
	base := uintptr(unsafe.Pointer(unsafe.StringData(p.view)))
	at := uintptr(unsafe.Pointer(unsafe.StringData(s)))
	if at < base || at-base >= uintptr(len(p.view)) {
		return -1
	}
	return int(at - base)
}

// finish makes one string of what parameters took from the view and of the arena,
// points the parameters there, and flags values that are not valid UTF-8.
//
// What was taken from the view is copied as the span [lo, hi) that covers it, or, when
// the parameters alias less than half of that span (a form whose values were decoded
// into the arena, and only its names alias the body), string by string.
func (p *parser) finish() {
	r := p.r
	lo, hi, taken := len(p.view), 0, 0
	if len(p.view) > 0 {
		for i := range r.Params {
			prm := &r.Params[i]
			if off := p.inView(prm.Name); off >= 0 {
				lo, hi, taken = min(lo, off), max(hi, off+len(prm.Name)), taken+len(prm.Name)
			}
			if off := p.inView(prm.Value); off >= 0 {
				lo, hi, taken = min(lo, off), max(hi, off+len(prm.Value)), taken+len(prm.Value)
			}
		}
	}
	if hi > lo || len(p.fixes) > 0 {
		span := max(hi-lo, 0)
		compact := taken < span/2
		if compact {
			span = taken
		}
		var b strings.Builder // allocates without zeroing
		b.Grow(span + len(p.arena))
		if compact {
			for i := range r.Params {
				prm := &r.Params[i]
				if p.inView(prm.Name) >= 0 {
					b.WriteString(prm.Name)
				}
				if p.inView(prm.Value) >= 0 {
					b.WriteString(prm.Value)
				}
			}
		} else {
			b.WriteString(p.view[lo : lo+span])
		}
		b.Write(p.arena)
		all := b.String()
		if span > 0 {
			// The same walk as above: pos is where the next string taken was copied.
			pos := 0
			at := func(s string) string {
				if compact {
					pos += len(s)
					return all[pos-len(s) : pos]
				}
				off := p.inView(s) - lo
				return all[off : off+len(s)]
			}
			for i := range r.Params {
				prm := &r.Params[i]
				if p.inView(prm.Name) >= 0 {
					prm.Name = at(prm.Name)
				}
				if p.inView(prm.Value) >= 0 {
					prm.Value = at(prm.Value)
				}
			}
		}
		a := all[span:]
		for _, f := range p.fixes {
			prm := &r.Params[f.idx]
			if f.nameInArena {
				prm.Name = a[f.nOff:f.nEnd]
			}
			if f.valArena {
				prm.Value = a[f.vOff:f.vEnd]
			}
		}
	}
	p.view = ""
	if r.Flags&request.FlagNotUTF8 == 0 {
		for i := range r.Params {
			if !utf8.ValidString(r.Params[i].Value) {
				r.Flags |= request.FlagNotUTF8
				break
			}
		}
	}
}

// plainName reports whether a parameter or key name is an ordinary identifier that
// carries nothing worth inspecting on its own: letters, digits and _ - . [ ] up to 64
// bytes, and none of the names prototype pollution goes through. Other names are
// emitted as Key parameters, their value being the name itself.
func plainName[T string | []byte](s T) bool {
	if len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			c == '_' || c == '-' || c == '.' || c == '[' || c == ']') {
			return false
		}
	}
	return !request.ContainsFold(s, "__proto__") && !request.ContainsFold(s, "constructor") && !request.ContainsFold(s, "prototype")
}

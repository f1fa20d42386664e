package parse

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/rampartwaf/rampart/internal/request"
)

// XML flattening.
//
// Element text and attribute values become SourceXML parameters named by their path:
// element names joined with '.', a repeated sibling numbered from its second occurrence
// ("root.item", "root.item[1]"), attributes as ".@name" ("root.item[1].@id").
//
// An element's text is what the application's parser gives it: the character data up
// to the next tag (a child element's start, or the element's end), comments and
// processing instructions dropped and CDATA sections joined with the text around them,
// as ElementTree, minidom and a Java DOM built with coalescing do. So
// "UNI<!---->ON" and "UNI<![CDATA[ON]]>" are both "UNION". Text is trimmed; an element
// with neither text nor child elements ("<admin/>", "<admin> </admin>") and an empty
// attribute are parameters with an empty value; text on both sides of a child element
// ("<m>a<i/>b</m>") is two values. The five predefined entities and character
// references are decoded (not in CDATA), any other entity reference (&xxe;) is kept as
// written.
//
// The DOCTYPE declaration, internal subset included, is one parameter named
// "!DOCTYPE", for the XXE detector and for rules; when it only names the root element
// and an external DTD (no internal subset: "<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST
// 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">), it holds nothing an
// application reads as data and is marked Decl, which only XXE judges (see
// plainDoctype). Each processing instruction other than the XML declaration is one
// parameter named "?target": that is where stylesheet attacks live.
//
// The tokenizer is a small hand-written one: encoding/xml allocates per token and
// refuses documents a lenient backend accepts. It requires well-formed nesting (each
// end tag matching its start tag) and one root element. Text joined from several
// pieces is built in the arena, each byte copied once.

// nameCount counts the children of one name under the current element, to number
// repeated siblings.
type nameCount struct {
	name string
	n    int
}

// xmlFrame is one open element.
type xmlFrame struct {
	name       string
	pathLen    int  // length of p.path before this element was appended
	countsFrom int  // index of the first nameCount of its children
	filled     bool // it had text or a child element
}

// maxSiblingNames bounds the distinct child names counted under one element; beyond
// it, further names are not numbered (their paths may then repeat).
const maxSiblingNames = 64

// xml parses document s, reporting whether it is well-formed. The values read before
// an error are kept, the text being gathered included.
func (p *parser) xml(s string) bool {
	ok := p.xmlDoc(s)
	if !ok && p.xmlTextOn && len(p.xmlStack) > 0 {
		p.xmlFlush()
	}
	return ok
}

func (p *parser) xmlDoc(s string) bool {
	s = strings.TrimPrefix(s, "\ufeff")
	p.path = p.path[:0]
	p.xmlStack, p.xmlCounts = p.xmlStack[:0], p.xmlCounts[:0]
	p.xmlTextOn = false
	rootSeen := false
	i := 0
	for i < len(s) {
		if p.stopped {
			return true
		}
		lt := strings.IndexByte(s[i:], '<')
		if lt < 0 {
			lt = len(s) - i
		}
		if lt > 0 {
			chars := s[i : i+lt]
			if len(p.xmlStack) == 0 {
				if trimXMLSpace(chars) != "" {
					return false // text outside the root element
				}
			} else {
				p.xmlChars(chars, false)
			}
			i += lt
			if i >= len(s) {
				break
			}
		}
		rest := s[i:]
		switch {
		case strings.HasPrefix(rest, "<!--"):
			end := strings.Index(rest[4:], "-->")
			if end < 0 {
				return false
			}
			i += 4 + end + 3
		case strings.HasPrefix(rest, "<![CDATA["):
			end := strings.Index(rest[9:], "]]>")
			if end < 0 || len(p.xmlStack) == 0 {
				return false
			}
			p.xmlChars(rest[9:9+end], true)
			i += 9 + end + 3
		case strings.HasPrefix(rest, "<!"):
			n, ok := doctypeLen(rest)
			if !ok || rootSeen {
				return false
			}
			if p.emit(request.SourceXML, direct("!DOCTYPE"), direct(rest[:n]), false) && plainDoctype(rest[:n]) {
				p.r.Params[len(p.r.Params)-1].Decl = true
			}
			i += n
		case strings.HasPrefix(rest, "<?"):
			end := strings.Index(rest[2:], "?>")
			if end < 0 {
				return false
			}
			end += 2
			target, body := xmlName(rest[2:end])
			if target == "" {
				return false
			}
			if !strings.EqualFold(target, "xml") {
				// "?target" as written: no arena bytes, so that text around the
				// instruction joins without a copy.
				p.emit(request.SourceXML, direct(rest[1:2+len(target)]), direct(trimXMLSpace(body)), false)
			}
			i += end + 2
		case strings.HasPrefix(rest, "</"):
			name, after := xmlName(rest[2:])
			after = trimXMLSpaceLeft(after)
			if name == "" || !strings.HasPrefix(after, ">") || len(p.xmlStack) == 0 {
				return false
			}
			top := p.xmlStack[len(p.xmlStack)-1]
			if top.name != name {
				return false
			}
			p.xmlFlush()
			p.closeElement()
			i = len(s) - len(after) + 1
		default:
			if rootSeen && len(p.xmlStack) == 0 {
				return false // a second root
			}
			p.xmlFlush()
			n, ok := p.startTag(rest)
			if !ok {
				return false
			}
			rootSeen = true
			i += n
		}
	}
	return rootSeen && len(p.xmlStack) == 0 || p.stopped
}

// xmlChars adds a run of character data (decoded) or the content of a CDATA section
// (cdata, as is) to the text of the open element, which xmlFlush takes at the next tag.
// The first piece is kept as it is (a string of the input, or its decoding in the
// arena); a second one appends to a copy of the text at the end of the arena. Nothing
// but the pieces of one text writes the arena between them (a processing
// instruction's parameter is named without it), so each byte is copied once.
func (p *parser) xmlChars(s string, cdata bool) {
	if !p.xmlTextOn {
		if s = trimXMLSpaceLeft(s); s == "" {
			return // leading blanks are trimmed anyway
		}
		if cdata {
			p.xmlText = direct(s)
		} else {
			p.xmlText = p.xmlDecode(s)
		}
		p.xmlTextOn = true
		return
	}
	if !p.xmlText.inArena || int(p.xmlText.end) != len(p.arena) {
		off := len(p.arena)
		p.arena = p.appendText(p.arena, p.xmlText)
		p.xmlText = p.arenaText(off)
	}
	if cdata {
		p.arena = append(p.arena, s...)
	} else {
		p.arena = p.appendXMLDecoded(p.arena, s)
	}
	p.xmlText.end = int32(len(p.arena))
}

// xmlFlush takes the text gathered by xmlChars, trimmed, as the open element's value.
func (p *parser) xmlFlush() {
	if !p.xmlTextOn {
		return
	}
	p.xmlTextOn = false
	t := p.xmlText
	if t.inArena {
		for t.end > t.off && isXMLSpace(p.arena[t.end-1]) {
			t.end--
		}
	} else {
		t.s = trimXMLSpace(t.s)
	}
	if t.empty() {
		return
	}
	p.xmlStack[len(p.xmlStack)-1].filled = true
	p.emit(request.SourceXML, p.pathText(), t, false)
}

// startTag reads "<name attr='v' ...>" or "<name .../>" at the start of s, opening the
// element (and closing it again when empty), and returns the bytes read.
func (p *parser) startTag(s string) (int, bool) {
	name, rest := xmlName(s[1:])
	if name == "" {
		return 0, false
	}
	if !p.openElement(name) {
		return 0, false
	}
	for {
		rest = trimXMLSpaceLeft(rest)
		switch {
		case strings.HasPrefix(rest, "/>"):
			p.closeElement()
			return len(s) - len(rest) + 2, true
		case strings.HasPrefix(rest, ">"):
			return len(s) - len(rest) + 1, true
		}
		attr, after := xmlName(rest)
		if attr == "" || len(after) == len(rest) {
			return 0, false
		}
		after = trimXMLSpaceLeft(after)
		if !strings.HasPrefix(after, "=") {
			return 0, false
		}
		after = trimXMLSpaceLeft(after[1:])
		if after == "" || after[0] != '"' && after[0] != '\'' {
			return 0, false
		}
		end := strings.IndexByte(after[1:], after[0])
		if end < 0 {
			return 0, false
		}
		mark := len(p.path)
		p.path = append(p.path, ".@"...)
		p.path = append(p.path, attr...)
		p.emit(request.SourceXML, p.pathText(), p.xmlDecode(after[1:1+end]), false)
		p.path = p.path[:mark]
		rest = after[1+end+1:]
		if p.stopped {
			return len(s) - len(rest), true
		}
	}
}

// openElement pushes an element and extends the path with its (numbered) name.
func (p *parser) openElement(name string) bool {
	if !p.enter(len(p.xmlStack)) {
		return false
	}
	idx := 0
	if len(p.xmlStack) > 0 {
		p.xmlStack[len(p.xmlStack)-1].filled = true
		from := p.xmlStack[len(p.xmlStack)-1].countsFrom
		found := false
		for j := from; j < len(p.xmlCounts); j++ {
			if p.xmlCounts[j].name == name {
				idx = p.xmlCounts[j].n
				p.xmlCounts[j].n++
				found = true
				break
			}
		}
		if !found && len(p.xmlCounts)-from < maxSiblingNames {
			p.xmlCounts = append(p.xmlCounts, nameCount{name: name, n: 1})
		}
	}
	mark := len(p.path)
	if mark > 0 {
		p.path = append(p.path, '.')
	}
	p.path = append(p.path, name...)
	if idx > 0 {
		p.path = append(p.path, '[')
		p.path = strconv.AppendInt(p.path, int64(idx), 10)
		p.path = append(p.path, ']')
	}
	p.xmlStack = append(p.xmlStack, xmlFrame{name: name, pathLen: mark, countsFrom: len(p.xmlCounts)})
	return true
}

// closeElement pops the open element, taking it as an empty value when it had neither
// text nor child elements.
func (p *parser) closeElement() {
	top := p.xmlStack[len(p.xmlStack)-1]
	if !top.filled {
		p.emit(request.SourceXML, p.pathText(), direct(""), false)
	}
	p.xmlStack = p.xmlStack[:len(p.xmlStack)-1]
	p.path = p.path[:top.pathLen]
	p.xmlCounts = p.xmlCounts[:top.countsFrom]
}

// xmlName splits a name (letters, digits and ._-: and any non-ASCII) off the start of s.
func xmlName(s string) (name, rest string) {
	i := 0
	for i < len(s) {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == ':' || c >= utf8.RuneSelf ||
			i > 0 && (c >= '0' && c <= '9' || c == '-' || c == '.') {
			i++
			continue
		}
		break
	}
	return s[:i], s[i:]
}

// doctypeLen returns the length of the markup declaration at the start of s ("<!DOCTYPE
// ... [ ... ]>"), skipping quoted strings and the internal subset.
func doctypeLen(s string) (int, bool) {
	if !hasPrefixFold(s, "<!DOCTYPE") {
		return 0, false
	}
	depth := 0
	for i := 9; i < len(s); i++ {
		switch c := s[i]; c {
		case '"', '\'':
			end := strings.IndexByte(s[i+1:], c)
			if end < 0 {
				return 0, false
			}
			i += end + 1
		case '[':
			depth++
		case ']':
			depth--
		case '>':
			if depth <= 0 {
				return i + 1, true
			}
		}
	}
	return 0, false
}

// plainDoctype reports whether d, a whole "<!DOCTYPE ...>" (see doctypeLen), names
// only the root element and, optionally, an external DTD: "<!DOCTYPE note>",
// "<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://...">", "<!DOCTYPE x
// SYSTEM "x.dtd">" (and PUBLIC with the public identifier alone, as HTML writes it).
// The public identifier must hold only the characters the XML grammar allows in one;
// no literal may hold '<'. Anything else (an internal subset, stray words) is not
// plain.
func plainDoctype(d string) bool {
	if len(d) < 10 || d[len(d)-1] != '>' {
		return false
	}
	inner := d[9 : len(d)-1] // after "<!DOCTYPE"
	rest := trimXMLSpaceLeft(inner)
	if len(rest) == len(inner) {
		return false // no blank before the name
	}
	name, rest := xmlName(rest)
	if name == "" {
		return false
	}
	rest = trimXMLSpace(rest)
	if rest == "" {
		return true
	}
	public := hasPrefixFold(rest, "PUBLIC")
	if !public && !hasPrefixFold(rest, "SYSTEM") {
		return false
	}
	rest = rest[6:]
	for k := 0; k == 0 || public && k == 1 && trimXMLSpace(rest) != ""; k++ {
		lit, after, ok := xmlLiteral(rest)
		if !ok || strings.IndexByte(lit, '<') >= 0 || public && k == 0 && !pubidChars(lit) {
			return false
		}
		rest = after
	}
	return trimXMLSpace(rest) == ""
}

// xmlLiteral reads a quoted literal after at least one blank at the start of s.
func xmlLiteral(s string) (lit, rest string, ok bool) {
	t := trimXMLSpaceLeft(s)
	if len(t) == len(s) || t == "" || t[0] != '"' && t[0] != '\'' {
		return "", "", false
	}
	end := strings.IndexByte(t[1:], t[0])
	if end < 0 {
		return "", "", false
	}
	return t[1 : 1+end], t[2+end:], true
}

// pubidChars reports whether s holds only PubidChar (XML 1.0, production 13).
func pubidChars(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			strings.IndexByte(" \r\n-'()+,./:=?;!*#@$_%", c) >= 0) {
			return false
		}
	}
	return true
}

// xmlDecode decodes the predefined entities and character references of s into the
// arena; other references are kept as written. s without '&' is returned as is.
func (p *parser) xmlDecode(s string) text {
	if strings.IndexByte(s, '&') < 0 {
		return direct(s)
	}
	off := len(p.arena)
	p.arena = p.appendXMLDecoded(p.arena, s)
	return p.arenaText(off)
}

// appendXMLDecoded appends s to dst with its predefined entities and character
// references decoded.
func (p *parser) appendXMLDecoded(dst []byte, s string) []byte {
	for i := 0; i < len(s); {
		if s[i] != '&' {
			j := strings.IndexByte(s[i:], '&')
			if j < 0 {
				j = len(s) - i
			}
			dst = append(dst, s[i:i+j]...)
			i += j
			continue
		}
		semi := strings.IndexByte(s[i:], ';')
		if semi < 0 || semi > 12 {
			dst = append(dst, '&')
			i++
			continue
		}
		ref := s[i+1 : i+semi]
		if r, ok := xmlEntity(ref); ok {
			dst = utf8.AppendRune(dst, r)
		} else {
			dst = append(dst, s[i:i+semi+1]...)
		}
		i += semi + 1
	}
	return dst
}

func xmlEntity(ref string) (rune, bool) {
	switch ref {
	case "lt":
		return '<', true
	case "gt":
		return '>', true
	case "amp":
		return '&', true
	case "quot":
		return '"', true
	case "apos":
		return '\'', true
	}
	if len(ref) < 2 || ref[0] != '#' {
		return 0, false
	}
	var n uint64
	var err error
	if ref[1] == 'x' || ref[1] == 'X' {
		n, err = strconv.ParseUint(ref[2:], 16, 32)
	} else {
		n, err = strconv.ParseUint(ref[1:], 10, 32)
	}
	if err != nil || n > utf8.MaxRune {
		return 0, false
	}
	return rune(n), true
}

func isXMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func trimXMLSpace(s string) string {
	for len(s) > 0 && isXMLSpace(s[len(s)-1]) {
		s = s[:len(s)-1]
	}
	return trimXMLSpaceLeft(s)
}

func trimXMLSpaceLeft(s string) string {
	for len(s) > 0 && isXMLSpace(s[0]) {
		s = s[1:]
	}
	return s
}

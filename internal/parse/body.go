package parse

import (
	"strings"
	"unicode/utf8"

	"github.com/rampartwaf/rampart/internal/request"
)

// body parses r.Body by its Content-Type, sniffing when the type is missing or says
// nothing about the structure:
//
//   - application/x-www-form-urlencoded: a form, unless the body starts with '{', '['
//     or '<' and parses as JSON or XML (clients and attackers send JSON under the form
//     type);
//   - multipart/*: fields, file names, and small text files;
//   - JSON types (application/json, */*+json, text/json...): flattened;
//   - XML types (application/xml, text/xml, */*+xml): elements and attributes;
//   - anything else, or no type at all (FlagNoContentType): sniffed. A body starting
//     with '{' or '[' is taken as JSON, '<' as XML, "name=value..." as a form; other
//     text is one SourceBody value named ""; binary bodies are skipped.
//
// JSON or XML that does not parse sets FlagJSONError or FlagXMLError, whether the type
// was declared or sniffed; the parameters read before the error are kept and the whole
// body is added as one SourceBody value, so nothing escapes inspection.
//
// A body with a Content-Encoding is decoded first (encoding.go).
func (p *parser) body() {
	r := p.r
	if len(r.Body) == 0 || p.stopped {
		return
	}
	if extra := p.decodeBody(); extra != nil {
		off := len(p.arena)
		p.arena = append(p.arena, extra...)
		p.emit(request.SourceBody, direct(""), p.arenaText(off), false)
	}
	if len(r.Body) == 0 {
		return // decoded to nothing
	}
	s := p.viewOf(r.Body) // copied by finish, with the arena, for the parameters
	mt := mediaType(r.ContentType)
	switch {
	case mt == "":
		r.Flags |= request.FlagNoContentType
		p.sniff(s, request.SourceBody)
	case strings.EqualFold(mt, "application/x-www-form-urlencoded"):
		if c := firstByte(s); c == '{' || c == '[' || c == '<' {
			if p.tryStructured(s) {
				return
			}
		}
		p.query(request.SourceForm, s)
	case hasPrefixFold(mt, "multipart/"):
		p.multipart(s, r.ContentType)
	case isJSONType(mt):
		p.jsonOrText(s, request.SourceJSON, request.SourceBody)
	case isXMLType(mt):
		p.xmlOrText(s, request.SourceBody)
	case hasPrefixFold(mt, "text/html"):
		p.text(s, request.SourceBody)
	default:
		p.sniff(s, request.SourceBody)
	}
}

// message parses a WebSocket message: JSON flattened like a JSON body (Source
// SourceMessage), one document or a sequence (see json); a Socket.IO packet's JSON
// payload the same way (see socketIOPayload); a STOMP frame's headers and body (see
// stomp.go); anything else one SourceMessage value named "". Binary data that is not text is skipped (the proxy decides which binary
// messages reach the engine).
func (p *parser) message() {
	s := p.viewOf(p.r.Message)
	switch c := firstByte(s); {
	case c == '{' || c == '[':
		p.jsonOrText(s, request.SourceMessage, request.SourceMessage)
		return
	case c >= '0' && c <= '9':
		if payload, ok := socketIOPayload(s); ok && p.tryJSON(payload, request.SourceMessage) {
			return
		}
	case c >= 'A' && c <= 'Z':
		if p.stomp(s) {
			return
		}
	}
	p.text(s, request.SourceMessage)
}

// socketIOPayload returns the JSON payload of s when s is an Engine.IO packet (the
// transport of Socket.IO, which chat and game servers on Node.js use): a packet type
// digit, for a message (4) the Socket.IO packet type digit, then for a binary event or
// acknowledgement the attachment count and '-', a namespace ("/admin,") and an
// acknowledgement id: 42["chat",{"text":"hi"}], 42/admin,17["x"], 451-["up",{...}],
// 0{"sid":"..."}. Only a payload that starts like JSON is returned; the caller still
// judges the whole message as text when the payload does not parse, so nothing hides
// behind a prefix ("42 is the answer" stays text). A namespace holds only the bytes
// of a path, so the prefix it drops carries no payload of its own.
func socketIOPayload(s string) (string, bool) {
	if len(s) < 2 || s[0] < '0' || s[0] > '6' {
		return "", false
	}
	i := 1
	if s[0] == '4' && s[i] >= '0' && s[i] <= '6' {
		kind := s[i]
		i++
		if kind == '5' || kind == '6' { // binary event or ack: "<count>-"
			j := skipDigits(s, i)
			if j == i || j >= len(s) || s[j] != '-' {
				return "", false
			}
			i = j + 1
		}
		if i < len(s) && s[i] == '/' {
			j := i
			for j < len(s) && s[j] != ',' {
				if c := s[j]; !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("/-_.~", c) >= 0) {
					return "", false
				}
				j++
			}
			if j == len(s) {
				return "", false
			}
			i = j + 1
		}
		i = skipDigits(s, i)
	}
	if i < len(s) && (s[i] == '{' || s[i] == '[') {
		return s[i:], true
	}
	return "", false
}

func skipDigits(s string, i int) int {
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return i
}

// sniff parses a body of unknown structure.
func (p *parser) sniff(s string, textSrc request.Source) {
	switch c := firstByte(s); {
	case c == '{' || c == '[':
		p.jsonOrText(s, request.SourceJSON, textSrc)
	case c == '<':
		p.xmlOrText(s, textSrc)
	case looksLikeForm(s):
		p.query(request.SourceForm, s)
	default:
		p.text(s, textSrc)
	}
}

// tryStructured parses s as JSON or XML without flagging a failure, for a body whose
// declared type says otherwise. It reports whether s parsed; when it did not, the
// parameters it took are dropped.
func (p *parser) tryStructured(s string) bool {
	if c := firstByte(s); c == '<' {
		return p.try(func() bool { return p.xml(s) })
	}
	return p.tryJSON(s, request.SourceJSON)
}

// tryJSON is tryStructured for JSON of source src.
func (p *parser) tryJSON(s string, src request.Source) bool {
	return p.try(func() bool { return p.json(s, src) })
}

// try runs parse, which reports whether its input parsed, and drops the parameters it
// took when it did not (unless a limit stopped it).
func (p *parser) try(parse func() bool) bool {
	n, nf, na := len(p.r.Params), len(p.fixes), len(p.arena)
	ok := parse()
	if !ok && !p.stopped {
		p.r.Params, p.fixes, p.arena = p.r.Params[:n], p.fixes[:nf], p.arena[:na]
	}
	return ok || p.stopped
}

func (p *parser) jsonOrText(s string, src, textSrc request.Source) {
	if !p.json(s, src) && !p.stopped {
		p.r.Flags |= request.FlagJSONError
		p.emit(textSrc, direct(""), direct(s), false)
	}
}

func (p *parser) xmlOrText(s string, textSrc request.Source) {
	if !p.xml(s) && !p.stopped {
		p.r.Flags |= request.FlagXMLError
		p.emit(textSrc, direct(""), direct(s), false)
	}
}

// text takes s as one value named "", when it is text.
func (p *parser) text(s string, src request.Source) {
	if s != "" && textual(s) {
		p.emit(src, direct(""), direct(s), false)
	}
}

// textual reports whether s looks like text rather than binary data: in its first
// KiB, at most one byte in ten is a control byte (other than tab, CR, LF) or part of
// invalid UTF-8. A payload with a stray NUL byte is still text.
func textual(s string) bool {
	if len(s) > 1024 {
		s = s[:1024]
		// Do not count a rune cut at the end as invalid.
		for i := 0; i < utf8.UTFMax && len(s) > 0; i++ {
			if r, _ := utf8.DecodeLastRuneInString(s); r != utf8.RuneError {
				break
			}
			s = s[:len(s)-1]
		}
	}
	bad := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7f {
				bad++
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			bad++
		}
		i += size
	}
	return bad*10 <= len(s)
}

// looksLikeForm reports whether s starts like "name=value": a '=' comes before any
// whitespace.
func looksLikeForm(s string) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '=':
			return i > 0
		case ' ', '\t', '\r', '\n':
			return false
		}
	}
	return false
}

// firstByte returns the first byte of s that is not whitespace or part of a UTF-8 byte
// order mark, or 0.
func firstByte(s string) byte {
	s = strings.TrimPrefix(s, "\ufeff")
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case ' ', '\t', '\r', '\n', recordSeparator:
		default:
			return c
		}
	}
	return 0
}

// mediaType returns the media type of a Content-Type value: what comes before ';',
// trimmed.
func mediaType(ct string) string {
	if i := strings.IndexByte(ct, ';'); i >= 0 {
		ct = ct[:i]
	}
	return strings.TrimSpace(ct)
}

// isJSONType reports the media types of JSON, JSON Lines and JSON text sequences.
func isJSONType(mt string) bool {
	for _, t := range [...]string{"application/json", "text/json", "application/x-json", "application/csp-report",
		"application/json-seq", "application/x-ndjson", "application/ndjson", "application/jsonl", "application/x-jsonlines"} {
		if strings.EqualFold(mt, t) {
			return true
		}
	}
	return hasSuffixFold(mt, "+json")
}

func isXMLType(mt string) bool {
	return strings.EqualFold(mt, "application/xml") || strings.EqualFold(mt, "text/xml") ||
		hasSuffixFold(mt, "+xml")
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

func hasSuffixFold(s, suffix string) bool {
	return len(s) >= len(suffix) && strings.EqualFold(s[len(s)-len(suffix):], suffix)
}

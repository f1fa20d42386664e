package parse

import (
	"strings"
	"unicode/utf8"

	"github.com/rampartwaf/rampart/internal/request"
)

// Multipart bodies.
//
// Each part with a Content-Disposition name is a SourceMultipart parameter: a field's
// value, empty or not, under the field name; for a file part, the file name under
// "<field>.filename" (twice when it holds a backslash that is not an escape: as
// written, and without the backslashes, as parsers differ) and, when the file is at
// most Limits.FileBytes and text, its contents under the field name. An empty file
// input (no file name, no contents) gives nothing. A field name that is not plain is
// also taken as a Key parameter.
//
// The parser is lenient and allocation-free (mime/multipart allocates per part and
// refuses bodies a backend may accept): CRLF or bare LF line ends, a missing final
// boundary (the last part runs to the end), header folding ignored. Anything it had to
// tolerate sets FlagMalformed; a body in which no boundary is found is inspected as one
// SourceBody value.

// multipart parses body s of Content-Type ct.
func (p *parser) multipart(s, ct string) {
	boundary := ctParam(ct, "boundary")
	if boundary == "" || len(boundary) > 200 {
		p.r.Flags |= request.FlagMalformed
		p.text(s, request.SourceBody)
		return
	}
	pos := findDelimiter(s, boundary, 0)
	if pos < 0 {
		p.r.Flags |= request.FlagMalformed
		p.text(s, request.SourceBody)
		return
	}
	if strings.TrimSpace(s[:pos]) != "" {
		p.r.Flags |= request.FlagMalformed // a preamble: allowed, but never sent by browsers
	}
	for !p.stopped {
		i := pos + 2 + len(boundary)
		if strings.HasPrefix(s[i:], "--") {
			return // close delimiter
		}
		// Transport padding, then the line end.
		nl := strings.IndexByte(s[i:], '\n')
		if nl < 0 {
			p.r.Flags |= request.FlagMalformed
			return
		}
		i += nl + 1
		hdrEnd, bodyStart := partHeaderEnd(s, i)
		if hdrEnd < 0 {
			p.r.Flags |= request.FlagMalformed
			return
		}
		next := findDelimiter(s, boundary, bodyStart)
		bodyEnd := next
		if next < 0 {
			p.r.Flags |= request.FlagMalformed // no final boundary
			bodyEnd = len(s)
		} else {
			// The line end before the delimiter belongs to it.
			if bodyEnd > bodyStart && s[bodyEnd-1] == '\n' {
				bodyEnd--
			}
			if bodyEnd > bodyStart && s[bodyEnd-1] == '\r' {
				bodyEnd--
			}
		}
		p.part(s[i:hdrEnd], s[bodyStart:bodyEnd])
		if next < 0 {
			return
		}
		pos = next
	}
}

// part takes one part, given its header block and body.
func (p *parser) part(headers, body string) {
	var disp, ctype string
	for headers != "" {
		var line string
		line, headers, _ = strings.Cut(headers, "\n")
		name, value, ok := strings.Cut(strings.TrimSuffix(line, "\r"), ":")
		if !ok {
			continue
		}
		name = strings.TrimSpace(name)
		switch {
		case strings.EqualFold(name, "Content-Disposition"):
			disp = strings.TrimSpace(value)
		case strings.EqualFold(name, "Content-Type"):
			ctype = strings.TrimSpace(value)
		}
	}
	if disp == "" {
		p.r.Flags |= request.FlagMalformed
	}
	field := p.dispParam(disp, "name")
	filename, hasFile, backslash := p.dispParamOK(disp, "filename")
	if !p.plainText(field) && !p.emit(request.SourceMultipart, field, field, true) {
		return
	}
	if !hasFile {
		p.emit(request.SourceMultipart, field, direct(body), false)
		return
	}
	if filename.s != "" || filename.inArena {
		off := len(p.arena)
		p.arena = p.appendText(p.arena, field)
		p.arena = append(p.arena, ".filename"...)
		name := p.arenaText(off)
		if !p.emit(request.SourceMultipart, name, filename, false) {
			return
		}
		if backslash && !p.emit(request.SourceMultipart, name, p.stripped(disp, "filename"), false) {
			return
		}
	}
	if max := p.lim.fileBytes(); body != "" && max > 0 && len(body) <= max &&
		(textualType(ctype) && textual(body) || binaryType(ctype) && plainText(body)) {
		p.emit(request.SourceMultipart, field, direct(body), false)
	}
}

// textualType reports whether a part's Content-Type may hold text: absent, text/*,
// or a JSON, XML, form or script type. A part of a binary type (binaryType) is read
// only when all of it is plain text (plainText): a script uploaded as "image/png",
// with or without a "GIF89a" line in front, is text, while a real image or archive
// has binary bytes within its first few. Other types (application/sql, a .bat sent as
// application/x-msdownload, a CSV as application/vnd.ms-excel) are files users upload
// as they are, and are not read.
func textualType(ct string) bool {
	mt := mediaType(ct)
	return mt == "" || hasPrefixFold(mt, "text/") || isJSONType(mt) || isXMLType(mt) ||
		strings.EqualFold(mt, "application/x-www-form-urlencoded") ||
		strings.EqualFold(mt, "application/javascript") || strings.EqualFold(mt, "application/x-php") ||
		strings.EqualFold(mt, "application/x-httpd-php") || strings.EqualFold(mt, "application/x-sh") ||
		strings.EqualFold(mt, "application/octet-stream")
}

// binaryType reports whether a part's Content-Type is one whose files start with binary
// bytes: images (but SVG, which is XML), audio and video (but MPEG transport streams,
// video/mp2t, the type systems give TypeScript files), PDF and archives.
func binaryType(ct string) bool {
	mt := mediaType(ct)
	switch {
	case strings.EqualFold(mt, "image/svg+xml"), strings.EqualFold(mt, "video/mp2t"):
		return false
	case hasPrefixFold(mt, "image/"), hasPrefixFold(mt, "audio/"), hasPrefixFold(mt, "video/"):
		return true
	}
	for _, t := range binaryAppTypes {
		if strings.EqualFold(mt, t) {
			return true
		}
	}
	return false
}

// binaryAppTypes are the application/ types of documents and archives with a binary
// signature.
var binaryAppTypes = [...]string{
	"application/pdf", "application/zip", "application/x-zip-compressed", "application/gzip",
	"application/x-gzip", "application/x-7z-compressed", "application/x-rar-compressed",
	"application/vnd.rar", "application/x-tar", "application/x-bzip2", "application/x-xz",
	"application/java-archive", "application/msword", "application/vnd.ms-office",
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

// plainText reports whether every byte of s is printable ASCII, tab, CR or LF, or part
// of a valid UTF-8 sequence. It stops at the first other byte: the signature or header
// of a binary file format.
func plainText(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7f {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			return false
		}
		i += size
	}
	return true
}

// findDelimiter returns the index of the next "--boundary" at or after from that starts
// a line (or the body), or -1.
func findDelimiter(s, boundary string, from int) int {
	for from <= len(s) {
		j := strings.Index(s[from:], boundary)
		if j < 0 {
			return -1
		}
		at := from + j - 2
		if at >= 0 && s[at] == '-' && s[at+1] == '-' && (at == 0 || s[at-1] == '\n') {
			return at
		}
		from += j + 1
	}
	return -1
}

// partHeaderEnd finds the blank line that ends a part's headers starting at i. It
// returns the end of the header block and the start of the body, or -1.
func partHeaderEnd(s string, i int) (hdrEnd, bodyStart int) {
	if strings.HasPrefix(s[i:], "\r\n") {
		return i, i + 2
	}
	if strings.HasPrefix(s[i:], "\n") {
		return i, i + 1
	}
	for j := i; j < len(s); {
		nl := strings.IndexByte(s[j:], '\n')
		if nl < 0 {
			return -1, -1
		}
		j += nl + 1
		switch {
		case strings.HasPrefix(s[j:], "\r\n"):
			return j, j + 2
		case strings.HasPrefix(s[j:], "\n"):
			return j, j + 1
		}
	}
	return -1, -1
}

// ctParam returns the value of a parameter of a Content-Type (e.g. boundary), unquoted.
// The value aliases ct.
func ctParam(ct, key string) string {
	v, _ := paramValue(ct, key)
	if len(v) >= 2 && v[0] == '"' {
		if end := strings.IndexByte(v[1:], '"'); end >= 0 {
			return v[1 : 1+end]
		}
	}
	return v
}

// paramValue finds "key=" among the ';'-separated parameters of a header value and
// returns the raw value (quoted or not) that follows.
func paramValue(h, key string) (string, bool) {
	for i := strings.IndexByte(h, ';'); i >= 0 && i < len(h); {
		rest := strings.TrimLeft(h[i+1:], " \t")
		if len(rest) > len(key) && strings.EqualFold(rest[:len(key)], key) {
			after := strings.TrimLeft(rest[len(key):], " \t")
			if strings.HasPrefix(after, "=") {
				after = strings.TrimLeft(after[1:], " \t")
				return rawParamValue(after), true
			}
		}
		// Next ';' outside quotes.
		j, inQuote := 0, false
		for ; j < len(rest); j++ {
			c := rest[j]
			if c == '"' {
				inQuote = !inQuote
			} else if c == '\\' && inQuote {
				j++
			} else if c == ';' && !inQuote {
				break
			}
		}
		if j >= len(rest) {
			break
		}
		i = len(h) - len(rest) + j
	}
	return "", false
}

// rawParamValue returns the token or quoted string at the start of s.
func rawParamValue(s string) string {
	if s == "" || s[0] != '"' {
		end := strings.IndexAny(s, "; \t")
		if end < 0 {
			return s
		}
		return s[:end]
	}
	for j := 1; j < len(s); j++ {
		switch s[j] {
		case '\\':
			j++
		case '"':
			return s[:j+1]
		}
	}
	return s // unterminated quote: take the rest
}

// dispParam returns a Content-Disposition parameter, unquoted and unescaped.
func (p *parser) dispParam(h, key string) text {
	t, _, _ := p.dispParamOK(h, key)
	return t
}

// dispParamOK returns a Content-Disposition parameter, unquoted, and whether it is
// present. Inside quotes "\"" and "\\" are escapes; any other backslash is kept, as
// servers keep it ("..\1.7z" is a Windows path). other is true when there is such a
// backslash: a parser that takes every backslash as an escape reads the name without
// them (stripped), so "1.j\s\p" is also "1.jsp".
func (p *parser) dispParamOK(h, key string) (t text, ok, other bool) {
	raw, ok := paramValue(h, key)
	if !ok {
		return text{}, false, false
	}
	if raw == "" || raw[0] != '"' {
		return direct(raw), true, false
	}
	inner := strings.TrimPrefix(raw, `"`)
	inner = strings.TrimSuffix(inner, `"`)
	if strings.IndexByte(inner, '\\') < 0 {
		return direct(inner), true, false
	}
	off := len(p.arena)
	for i := 0; i < len(inner); i++ {
		if inner[i] == '\\' && i+1 < len(inner) {
			if inner[i+1] == '"' || inner[i+1] == '\\' {
				i++
			} else {
				other = true
			}
		}
		p.arena = append(p.arena, inner[i])
	}
	return p.arenaText(off), true, other
}

// stripped returns a quoted parameter value with every backslash taken as an escape.
func (p *parser) stripped(h, key string) text {
	raw, _ := paramValue(h, key)
	inner := strings.TrimSuffix(strings.TrimPrefix(raw, `"`), `"`)
	off := len(p.arena)
	for i := 0; i < len(inner); i++ {
		if inner[i] == '\\' && i+1 < len(inner) {
			i++
		}
		p.arena = append(p.arena, inner[i])
	}
	return p.arenaText(off)
}

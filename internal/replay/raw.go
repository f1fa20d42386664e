package replay

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/rampartwaf/rampart/internal/request"
)

// parseRaw builds a Request from a whole HTTP/1.x request as written to the socket
// (RAW records). It is lenient where net/http is strict, because the records that need
// RAW are the odd ones: it accepts CRLF or bare LF, a request line without a version
// (HTTP/0.9 style), header lines continued by folding, and any version string. Whatever
// it cannot make sense of sets request.FlagUnparsable, and the Request keeps everything
// that was understood, so it is still inspected.
//
// The body follows HTTP/1.1 framing: chunked Transfer-Encoding wins over Content-Length
// (RFC 9112 section 6.3); without either, every byte after the header block is the body,
// as a careless backend would read it. Bytes left over after a framed body would be a
// second, pipelined request: they are not judged, and set FlagUnparsable.
func parseRaw(raw []byte) *request.Request {
	line, rest, _ := cutLine(raw)
	method, target, proto, lineOK := splitRequestLine(string(line))
	r := newRequest(method, target)
	r.Proto = proto
	if !lineOK {
		r.Flags |= request.FlagUnparsable
	}

	headersDone := false
	for len(rest) > 0 {
		var l []byte
		l, rest, _ = cutLine(rest)
		if len(l) == 0 {
			headersDone = true
			break
		}
		if (l[0] == ' ' || l[0] == '\t') && len(r.Headers) > 0 {
			// obs-fold: the line continues the previous header's value.
			h := &r.Headers[len(r.Headers)-1]
			h.Value += " " + strings.TrimSpace(string(l))
			continue
		}
		name, value, found := bytes.Cut(l, []byte(":"))
		if !found || len(bytes.TrimSpace(name)) == 0 {
			r.Flags |= request.FlagUnparsable
			continue
		}
		h := request.Header{Name: string(bytes.TrimSpace(name)), Value: string(bytes.Trim(value, " \t"))}
		if strings.EqualFold(h.Name, "Host") {
			// As net/http: the first Host becomes Request.Host, unless the target was
			// in absolute form; as the proxy, the request's headers show it once.
			if r.Host == "" {
				r.Host = h.Value
				r.Headers = append(r.Headers, request.Header{Name: "Host", Value: h.Value})
			}
			continue
		}
		r.Headers = append(r.Headers, h)
	}
	if !headersDone {
		// The header block never ended: there is no body, and the request is cut.
		r.Flags |= request.FlagUnparsable
	}
	fillFromHeaders(r)
	body, left, ok := frameBody(r, rest)
	if !ok || len(bytes.TrimSpace(left)) > 0 {
		r.Flags |= request.FlagUnparsable
	}
	if len(body) > 0 {
		r.Body = body
	}
	return r
}

// cutLine returns the bytes up to the next LF (without the LF and a CR before it), the
// bytes after it, and whether an LF was found.
func cutLine(b []byte) (line, rest []byte, found bool) {
	i := bytes.IndexByte(b, '\n')
	if i < 0 {
		return b, nil, false
	}
	line, rest = b[:i], b[i+1:]
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	return line, rest, true
}

// splitRequestLine splits "METHOD TARGET VERSION". A target that contains spaces is
// kept whole (everything between the first and the last space); a line with only two
// fields is taken as HTTP/0.9. ok is false when the line does not have the shape of an
// HTTP/1.x request line.
func splitRequestLine(line string) (method, target, proto string, ok bool) {
	line = strings.TrimLeft(line, " \t")
	first := strings.IndexByte(line, ' ')
	if first < 0 {
		return line, "", "", false
	}
	method = line[:first]
	rest := strings.TrimLeft(line[first+1:], " ")
	last := strings.LastIndexByte(rest, ' ')
	if last < 0 {
		return method, rest, "HTTP/0.9", false
	}
	target, proto = strings.TrimRight(rest[:last], " "), rest[last+1:]
	ok = strings.HasPrefix(proto, "HTTP/") && (proto == "HTTP/1.1" || proto == "HTTP/1.0") &&
		!strings.ContainsAny(target, " \t")
	return method, target, proto, ok
}

// frameBody cuts the body out of what follows the header block. ok is false when the
// framing headers could not be followed (bad chunk sizes, an invalid Content-Length);
// the body is then everything that is there.
func frameBody(r *request.Request, b []byte) (body, left []byte, ok bool) {
	te, cl, hasCL := "", "", false
	for _, h := range r.Headers {
		switch {
		case strings.EqualFold(h.Name, "Transfer-Encoding"):
			te = h.Value
		case strings.EqualFold(h.Name, "Content-Length") && !hasCL:
			cl, hasCL = h.Value, true
		}
	}
	if strings.Contains(strings.ToLower(te), "chunked") {
		return dechunk(b)
	}
	if hasCL {
		n, err := strconv.ParseInt(strings.TrimSpace(cl), 10, 64)
		if err != nil || n < 0 {
			return b, nil, false
		}
		if n > int64(len(b)) {
			// Fewer bytes than announced: the proxy would wait for the rest; judge what
			// was sent.
			return b, nil, false
		}
		return b[:n], b[n:], true
	}
	return b, nil, true
}

// dechunk decodes a chunked body leniently: chunk extensions are ignored, a bad size
// line stops decoding and keeps the raw remainder as body.
func dechunk(b []byte) (body, left []byte, ok bool) {
	out := make([]byte, 0, len(b))
	for {
		line, rest, found := cutLine(b)
		if !found {
			return append(out, b...), nil, false
		}
		size := line
		if i := bytes.IndexByte(size, ';'); i >= 0 {
			size = size[:i]
		}
		n, err := strconv.ParseInt(string(bytes.TrimSpace(size)), 16, 64)
		if err != nil || n < 0 {
			return append(out, b...), nil, false
		}
		if n == 0 {
			// Trailer section up to the blank line.
			for {
				var l []byte
				l, rest, found = cutLine(rest)
				if !found || len(l) == 0 {
					return out, rest, true
				}
			}
		}
		if n > int64(len(rest)) {
			return append(out, rest...), nil, false
		}
		out = append(out, rest[:n]...)
		b = rest[n:]
		if _, after, found := cutLine(b); found {
			b = after
		}
	}
}

package detect

import (
	"strings"

	"github.com/rampartwaf/rampart/internal/decode"
	"github.com/rampartwaf/rampart/internal/request"
)

// Anomaly signals raised by detectors (the parser's own findings, such as JSON-ERROR or
// OVERSIZE, are turned into signals by the engine). Anomalies are recorded and shown to
// rules; they do not block by themselves.

func init() {
	registerDecoded(checkNullByte)
	registerRequest(checkNoUA)
	registerRequest(checkAbnormalPath)
}

// checkNullByte raises NULLBYTE for a value that holds a NUL byte, raw or once decoded
// (%00, \u0000, &#0;), and NOTUTF8 for a value whose decoding is not valid UTF-8
// (overlong forms, stray %C0).
func checkNullByte(r *request.Request, p *request.Param, f decode.Facts) {
	if f.NUL {
		r.AddSignal(request.Signal{Name: NULLBYTE, Source: p.Source, Param: p.Name})
	}
	if f.NotUTF8 {
		r.AddSignal(request.Signal{Name: NOTUTF8, Source: p.Source, Param: p.Name})
	}
}

// checkNoUA raises NOUA for an HTTP request (or WebSocket handshake) without a
// User-Agent header. A WebSocket message inherits its handshake's headers and was
// judged for them already.
func checkNoUA(r *request.Request) {
	if r.Message != nil || r.Method == "" {
		return
	}
	if strings.TrimSpace(r.UserAgent) == "" && strings.TrimSpace(r.Header("User-Agent")) == "" {
		r.AddSignal(request.Signal{Name: NOUA, Source: request.SourceHeader, Param: "User-Agent"})
	}
}

// checkAbnormalPath raises ABNORMALPATH when the path as sent differs from its normal
// form: empty segments ("//"), "." or ".." segments, backslashes, or encoded slashes and
// dots ("%2f", "%2e") that an application server may decode differently from a proxy.
func checkAbnormalPath(r *request.Request) {
	if r.Message != nil {
		return
	}
	raw := r.URI
	if i := strings.IndexByte(raw, '?'); i >= 0 {
		raw = raw[:i]
	}
	if i := strings.Index(raw, "://"); i >= 0 && !strings.HasPrefix(raw, "/") {
		// Absolute form: the path starts after the authority.
		rest := raw[i+3:]
		j := strings.IndexByte(rest, '/')
		if j < 0 {
			return
		}
		raw = rest[j:]
	}
	if frag, ok := abnormalPath(raw); ok {
		r.AddSignal(request.Signal{Name: ABNORMALPATH, Source: request.SourcePath, Fragment: fragment(frag)})
	}
}

// abnormalPath reports whether the raw path p is not in normal form, with the part
// that shows it.
func abnormalPath(p string) (string, bool) {
	if !strings.HasPrefix(p, "/") {
		return "", false // "*", authority form, or nothing parsable
	}
	if i := strings.IndexByte(p, '\\'); i >= 0 {
		return around(p, i, i+1), true
	}
	if i := indexFold(p, "%2f"); i >= 0 {
		return around(p, i, i+1), true
	}
	if i := indexFold(p, "%5c"); i >= 0 {
		return around(p, i, i+1), true
	}
	if i := indexFold(p, "%2e"); i >= 0 {
		return around(p, i, i+1), true
	}
	for i := 0; i < len(p); {
		// p[i] == '/': look at the segment that follows.
		j := strings.IndexByte(p[i+1:], '/')
		end := len(p)
		if j >= 0 {
			end = i + 1 + j
		}
		seg := p[i+1 : end]
		switch {
		case seg == "." || seg == "..":
			return around(p, i, i+1), true
		case seg == "" && end < len(p):
			return around(p, i, i+1), true
		}
		i = end
	}
	return "", false
}

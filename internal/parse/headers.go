package parse

import (
	"bytes"
	"encoding/base64"
	"net/textproto"
	"slices"
	"strings"
	"unsafe"

	"github.com/rampartwaf/rampart/internal/request"
)

// Which headers are inspected.
//
// Every header is taken as a SourceHeader parameter (named by its canonical name),
// except:
//   - Authorization and Proxy-Authorization: never as sent (credentials), only what an
//     attack puts where a credential goes (see authorization);
//   - Cookie: parsed into SourceCookie parameters instead;
//   - the standard headers below, whose values browsers and clients fill with fixed
//     grammars (Accept, Content-Type, Cache-Control, Sec-Fetch-*, Sec-CH-UA*, ...): taken only when
//     their value holds a byte no legitimate value of theirs has ('$', '{', '<', '>',
//     '\”, '`', '(', '\\', '%' or a control byte) or a dot-dot step ("../"). Attack tools
//     that spray a payload into every header are still seen; a quoted ETag or a Sec-CH-UA
//     brand list are not inspected as if they were user input.
//
// So User-Agent, Referer, Origin, X-Forwarded-For, X-Api-Version and every custom header
// are always inspected.
var boringHeaders = map[string]bool{
	"Accept": true, "Accept-Charset": true, "Accept-Encoding": true, "Accept-Language": true,
	"Accept-Datetime": true, "Cache-Control": true, "Connection": true, "Content-Length": true,
	"Content-Encoding": true, "Content-Type": true, "Date": true, "Dnt": true, "Expect": true, "Host": true,
	"If-Match": true, "If-Modified-Since": true, "If-None-Match": true, "If-Range": true,
	"If-Unmodified-Since": true, "Keep-Alive": true, "Pragma": true, "Priority": true,
	"Purpose": true, "Range": true, "Save-Data": true, "Sec-Gpc": true, "Sec-Purpose": true,
	"Sec-Websocket-Extensions": true, "Sec-Websocket-Key": true, "Sec-Websocket-Version": true,
	"Te": true, "Trailer": true, "Transfer-Encoding": true, "Upgrade": true,
	"Upgrade-Insecure-Requests": true, "Via": true,
}

// headers takes the request headers as parameters (see boringHeaders) and parses the
// cookies.
func (p *parser) headers() {
	for i := range p.r.Headers {
		if p.stopped {
			return
		}
		h := &p.r.Headers[i]
		name := textproto.CanonicalMIMEHeaderKey(h.Name)
		switch {
		case name == "Cookie":
			p.cookies(h.Value)
			continue
		case name == "Authorization" || name == "Proxy-Authorization":
			p.authorization(name, h.Value)
			continue
		case boringHeaders[name] || strings.HasPrefix(name, "Sec-Fetch-") || strings.HasPrefix(name, "Sec-Ch-"):
			if !suspiciousHeaderValue(h.Value) && !(noSlashHeaders[name] && strings.IndexByte(h.Value, '/') >= 0) {
				continue
			}
		}
		if h.Value != "" {
			p.emit(request.SourceHeader, direct(name), direct(h.Value), false)
		}
	}
}

// noSlashHeaders are standard headers whose grammar has no '/': one in them is a path
// (Accept-Language: ../../../../etc/passwd).
var noSlashHeaders = map[string]bool{"Accept-Charset": true, "Accept-Encoding": true, "Accept-Language": true}

// authorization takes from an Authorization or Proxy-Authorization header, never the
// credential, but what servers read from it besides the credential and what attacks put
// there:
//
//   - the whole value when it holds "${": a lookup (Log4Shell), which scanners spray
//     into every header; no credential has one;
//   - the header of a Bearer JWT, decoded (named NAME.jwt-header): servers read its kid,
//     jku and x5u before checking the signature, and a kid is a key file name or a key
//     id looked up in a database (kid: ../../dev/null, kid: x' UNION SELECT ...);
//   - the user name of Basic credentials, decoded (NAME.user), which a login query
//     takes; never the password after the ':'.
//
// All are SourceHeader parameters whose names look secret (request.LooksSecret), so the
// fragments of their signals are redacted in events.
func (p *parser) authorization(name, v string) {
	if strings.Contains(v, "${") {
		p.emit(request.SourceHeader, direct(name), direct(v), false)
		return
	}
	scheme, cred, _ := strings.Cut(strings.TrimSpace(v), " ")
	cred = strings.TrimSpace(cred)
	switch {
	case strings.EqualFold(scheme, "Bearer"):
		head, _, ok := strings.Cut(cred, ".")
		if !ok || len(head) < 4 || len(head) > 2048 {
			return
		}
		off := len(p.arena)
		if !p.decodeB64(base64.RawURLEncoding, strings.TrimRight(head, "=")) || len(p.arena) == off || p.arena[off] != '{' {
			p.arena = p.arena[:off]
			return
		}
		p.emitAuthPart(name, ".jwt-header", off)
	case strings.EqualFold(scheme, "Basic"):
		if len(cred) > 2048 {
			return
		}
		off := len(p.arena)
		if !p.decodeB64(base64.StdEncoding, cred) {
			p.arena = p.arena[:off]
			return
		}
		user, _, _ := bytes.Cut(p.arena[off:], []byte(":"))
		p.arena = p.arena[:off+len(user)]
		if len(user) > 0 {
			p.emitAuthPart(name, ".user", off)
		}
	}
}

// emitAuthPart emits the arena bytes from off on as the parameter name+suffix.
func (p *parser) emitAuthPart(name, suffix string, off int) {
	value := p.arenaText(off)
	noff := len(p.arena)
	p.arena = append(append(p.arena, name...), suffix...)
	p.emit(request.SourceHeader, p.arenaText(noff), value, false)
}

// decodeB64 appends the base64 decoding of s to the arena and reports whether s was
// valid base64 of enc.
func (p *parser) decodeB64(enc *base64.Encoding, s string) bool {
	off := len(p.arena)
	p.arena = slices.Grow(p.arena, enc.DecodedLen(len(s)))
	n, err := enc.Decode(p.arena[off:off+enc.DecodedLen(len(s))], unsafe.Slice(unsafe.StringData(s), len(s)))
	if err != nil {
		return false
	}
	p.arena = p.arena[:off+n]
	return true
}

// suspiciousHeaderValue reports whether v holds a byte the standard headers never
// carry, or a dot-dot step ("Accept-Language: ../../../../etc/passwd").
func suspiciousHeaderValue(v string) bool {
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c == '$' || c == '{' || c == '<' || c == '>' || c == '\'' || c == '`' || c == '(' || c == '\\' || c == '%':
			return true
		case c == '.' && i+2 < len(v) && v[i+1] == '.' && v[i+2] == '/':
			return true
		case c < 0x20 && c != '\t' || c == 0x7f:
			return true
		}
	}
	return false
}

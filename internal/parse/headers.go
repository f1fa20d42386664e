package parse

import (
	"net/textproto"
	"strings"

	"github.com/rampartwaf/rampart/internal/request"
)

// Which headers are inspected.
//
// Every header is taken as a SourceHeader parameter (named by its canonical name),
// except:
//   - Authorization and Proxy-Authorization: never (credentials; a detector has nothing
//     to gain and events must not carry them);
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
			continue
		case boringHeaders[name] || strings.HasPrefix(name, "Sec-Fetch-") || strings.HasPrefix(name, "Sec-Ch-"):
			if !suspiciousHeaderValue(h.Value) {
				continue
			}
		}
		if h.Value != "" {
			p.emit(request.SourceHeader, direct(name), direct(h.Value), false)
		}
	}
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

package detect

import (
	"net/netip"
	"strings"
	"unsafe"

	"github.com/rampartwaf/rampart/internal/request"
)

// Protocol checks: the request as HTTP, rather than its parameter values. Three signals:
//
// BHH (attack), framing and headers that intermediaries and backends may read
// differently, the ground of request smuggling:
//   - Transfer-Encoding that is not exactly "chunked", sent twice, or on a GET or HEAD
//     (whose body a backend may not expect), or on HTTP/1.0 (which has no chunked
//     encoding); a body on HEAD;
//   - Content-Length that is not a number, or sent twice with different values;
//   - a header name that is not a token;
//   - headers only a proxy may set: Proxy (httpoxy), X-Middleware-Subrequest (Next.js
//     middleware bypass), and a Connection header that names a client-address,
//     credential or framing header so that a proxy strips it (hop-by-hop abuse).
//
// INVALID-HTTP (attack), what no HTTP client sends:
//   - a request line that does not parse (replay records), an HTTP version that does not
//     exist (HTTP/0.9 style lines, HTTP/4.0), a method that is not a name (letters,
//     digits, '-' and '_', starting with a letter: "|GET" is a token by the grammar but
//     a probe in practice);
//   - Content-Type parameters built to confuse parsers: a boundary or charset whose value
//     is a media type (boundary="application/json"), a parameter given twice with a body;
//   - charsets that hide a payload from inspection, in Content-Type, in a multipart part,
//     in a _charset_ field or in Accept: UTF-7, UTF-16, UTF-32, EBCDIC code pages,
//     ISO-2022 and HZ (escape-sequence encodings), and any charset no browser knows
//     when a body is to be decoded with it;
//   - multipart bodies built for parser differentials: a part header name with a
//     control character or a space ("Content- Disposition"), two Content-Disposition
//     headers in a part, a Content-Disposition parameter given twice or holding an
//     escaped quote, a field name with '=', '"', '\' or a ';' that is not the end of a
//     character reference, a file name that hides a script extension behind a NUL, a
//     ';' or trailing dots ("shell.php%00.png", "shell.asp;.jpg"), a
//     Content-Transfer-Encoding of base64 or quoted-printable;
//   - byte ranges that overlap or number more than 50 (Apache Killer), and the obsolete
//     Request-Range header, which only serves to slip ranges past a filter;
//   - a cookie whose quoted value holds a ';' (RFC 2109 parsers and browsers split it
//     differently).
//
// HTTP-ANOMALY (recorded only), legal but unusual HTTP that APIs and old clients send:
// an unknown method, an absolute-form target, a body on GET, a well-formed chunked body
// that also has a Content-Length (the proxy re-frames it), a Host that is missing,
// empty or a public IP address, more than five ranges or a range that does not
// parse, a Content-Type that does not parse, a Connection header naming other headers or
// repeating itself.
//
// Deliberately not flagged: a missing or empty Accept or User-Agent (NOUA covers the
// latter), methods such as DELETE or PROPFIND, _method overrides (Rails forms use them),
// Content-Encoding on requests, multipart charsets that are ASCII-compatible
// (Shift_JIS, EUC-JP), file names with ';', '=' or quotes (users name files so), %u
// escapes and invalid UTF-8 (legacy GBK and escape() traffic), NUL and control bytes in
// values (NULLBYTE records them).

func init() { registerRequest(checkProtocol) }

func checkProtocol(r *request.Request) {
	if r.Message != nil || r.Method == "" {
		return
	}
	checkRequestLine(r)
	checkFraming(r)
	checkHeaders(r)
	checkContentType(r)
	checkParams(r)
}

func invalid(r *request.Request, src request.Source, param, frag string) {
	r.AddSignal(request.Signal{Name: INVALIDHTTP, Source: src, Param: param, Fragment: fragment(frag)})
}

func bhh(r *request.Request, param, frag string) {
	r.AddSignal(request.Signal{Name: BHH, Source: request.SourceHeader, Param: param, Fragment: fragment(frag)})
}

// anomaly records HTTP-ANOMALY; param names the header concerned, or is "" for the
// request line and the body.
func anomaly(r *request.Request, param, what string) {
	src := request.SourceHeader
	if param == "" {
		src = request.SourceNone
	}
	r.AddSignal(request.Signal{Name: HTTPANOMALY, Source: src, Param: param, Fragment: what})
}

// knownMethods are the methods of the HTTP and WebDAV specifications.
var knownMethods = []string{
	"GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH",
	"PROPFIND", "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK", "SEARCH", "REPORT",
	"MKCALENDAR", "ACL", "BIND", "UNBIND", "REBIND", "CHECKOUT", "CHECKIN", "UNCHECKOUT",
	"VERSION-CONTROL", "MERGE", "LABEL", "UPDATE", "MKWORKSPACE", "MKACTIVITY",
	"BASELINE-CONTROL", "ORDERPATCH", "MKREDIRECTREF", "UPDATEREDIRECTREF", "QUERY", "PRI",
}

func checkRequestLine(r *request.Request) {
	m := r.Method
	if !methodName(m) {
		invalid(r, request.SourceNone, "method", m)
	} else if !isKnownMethod(m) {
		anomaly(r, "", "unknown method")
	}
	switch r.Proto {
	case "HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "HTTP/2", "HTTP/3.0", "HTTP/3":
	case "":
		if r.Flags.Has(request.FlagUnparsable) {
			invalid(r, request.SourceNone, "proto", "no HTTP version")
		}
	default:
		invalid(r, request.SourceNone, "proto", r.Proto)
	}
	if u := r.URI; u != "" && u[0] != '/' && u != "*" && m != "CONNECT" {
		anomaly(r, "", "absolute-form target")
	}
	switch host := r.Host; {
	case strings.TrimSpace(host) == "":
		if r.Protocol == request.ProtocolHTTP && r.Proto != "" {
			anomaly(r, "Host", "no Host")
		}
	case hostIsPublicIP(host):
		anomaly(r, "Host", "Host is an IP address")
	}
}

// methodName reports whether m looks like a method: a letter, then letters, digits, '-'
// or '_'.
func methodName(m string) bool {
	if m == "" || !isAlpha(m[0]) {
		return false
	}
	for i := 1; i < len(m); i++ {
		if c := m[i]; !isAlnum(c) && c != '-' && c != '_' {
			return false
		}
	}
	return true
}

func isKnownMethod(m string) bool {
	for _, k := range knownMethods {
		if m == k {
			return true
		}
	}
	return false
}

// hostIsPublicIP reports whether a Host value (with an optional port) is a public IP
// address: a client that reached the site without its name, as internet-wide scanners
// do. Loopback, private and link-local addresses are how internal clients, health
// checks and developers reach a service, and are not reported.
func hostIsPublicIP(h string) bool {
	h = strings.TrimSpace(h)
	if strings.HasPrefix(h, "[") {
		if i := strings.IndexByte(h, ']'); i >= 0 {
			h = h[1:i]
		}
	} else if i := strings.LastIndexByte(h, ':'); i >= 0 {
		h = h[:i]
	}
	if h == "" || !isHexDigit(h[len(h)-1]) {
		return false
	}
	a, err := netip.ParseAddr(h)
	return err == nil && a.IsGlobalUnicast() && !a.IsPrivate()
}

// checkFraming looks at Transfer-Encoding and Content-Length.
func checkFraming(r *request.Request) {
	te, nTE, cl, nCL := "", 0, "", 0
	for i := range r.Headers {
		h := &r.Headers[i]
		switch {
		case len(h.Name) == 17 && strings.EqualFold(h.Name, "Transfer-Encoding"):
			te, nTE = h.Value, nTE+1
		case len(h.Name) == 14 && strings.EqualFold(h.Name, "Content-Length"):
			v := strings.TrimSpace(h.Value)
			if !decimalDigits(v) {
				bhh(r, "Content-Length", h.Value)
			} else if nCL > 0 && v != cl {
				bhh(r, "Content-Length", "two different Content-Length")
			}
			cl, nCL = v, nCL+1
		}
	}
	switch {
	case nTE == 0:
	case nTE > 1:
		bhh(r, "Transfer-Encoding", "two Transfer-Encoding headers")
	case !strings.EqualFold(strings.TrimSpace(te), "chunked"):
		bhh(r, "Transfer-Encoding", te)
	case r.Method == "GET" || r.Method == "HEAD":
		bhh(r, "Transfer-Encoding", "chunked body on "+r.Method)
	case r.Proto == "HTTP/1.0":
		bhh(r, "Transfer-Encoding", "chunked body on HTTP/1.0")
	case nCL > 0:
		// A well-formed chunked body with a Content-Length as well: RFC 9112 lets an
		// intermediary drop the Content-Length and go by the chunks, which net/http
		// does, so the request reaches the backend re-framed and cannot desynchronise
		// it. Recorded, not blocked; an obfuscated Transfer-Encoding is caught above.
		anomaly(r, "Transfer-Encoding", "Content-Length with Transfer-Encoding")
	}
	// RFC 9110 warns that a body on GET or HEAD may be rejected "because of its
	// potential as a request smuggling attack". Search APIs send JSON on GET, so there it
	// is an anomaly; a HEAD response has no body to select, so a HEAD body serves nothing
	// but desynchronisation.
	if len(r.Body) > 0 {
		switch r.Method {
		case "HEAD":
			bhh(r, "", "body on HEAD")
		case "GET":
			anomaly(r, "", "body on GET")
		}
	}
}

func decimalDigits(s string) bool {
	if s == "" || len(s) > 18 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// strippedHeaders are headers whose removal by a proxy (when a client names them in
// Connection) changes what the backend trusts.
var strippedHeaders = []string{
	"x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "x-forwarded-port",
	"x-forwarded-server", "forwarded", "x-real-ip", "x-client-ip", "true-client-ip",
	"cf-connecting-ip", "x-cluster-client-ip", "x-originating-ip", "authorization", "cookie",
	"host", "content-length", "transfer-encoding", "x-original-url", "x-rewrite-url",
}

// hopHeaders may rightly appear in Connection.
var hopHeaders = []string{"keep-alive", "close", "upgrade", "te", "http2-settings", "proxy-connection", "trailer"}

func checkHeaders(r *request.Request) {
	for i := range r.Headers {
		h := &r.Headers[i]
		if !headerToken(h.Name) {
			bhh(r, h.Name, "header name "+h.Name)
			continue
		}
		n := len(h.Name)
		switch {
		case n == 5 && strings.EqualFold(h.Name, "Proxy"):
			bhh(r, h.Name, "Proxy: "+h.Value)
		case n == 23 && strings.EqualFold(h.Name, "X-Middleware-Subrequest"):
			bhh(r, h.Name, h.Value)
		case n == 10 && strings.EqualFold(h.Name, "Connection"):
			checkConnection(r, h.Value)
		case n == 5 && strings.EqualFold(h.Name, "Range"):
			checkRange(r, h.Value)
		case n == 13 && strings.EqualFold(h.Name, "Request-Range"):
			invalid(r, request.SourceHeader, h.Name, "Request-Range: "+h.Value)
		case n == 6 && strings.EqualFold(h.Name, "Accept"):
			if cs, ok := acceptCharset(h.Value); ok {
				invalid(r, request.SourceHeader, h.Name, "charset="+cs)
			}
		case n == 6 && strings.EqualFold(h.Name, "Cookie"):
			if f, ok := quotedCookieSemicolon(h.Value); ok {
				invalid(r, request.SourceCookie, h.Name, f)
			}
		}
	}
}

// headerToken reports whether name is an HTTP token (RFC 9110 tchar).
func headerToken(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if isAlnum(c) {
			continue
		}
		if !strings.ContainsRune("!#$%&'*+-.^_`|~", rune(c)) {
			return false
		}
	}
	return true
}

func checkConnection(r *request.Request, v string) {
	seen := 0 // bit i: hopHeaders[i] seen
	dup, other := false, false
	for rest := v; rest != ""; {
		var tok string
		tok, rest, _ = strings.Cut(rest, ",")
		tok = strings.TrimSpace(tok)
		if tok == "" {
			continue
		}
		if equalFoldAny(tok, strippedHeaders) {
			bhh(r, "Connection", "Connection: "+v)
			return
		}
		k := -1
		for i, h := range hopHeaders {
			if len(h) == len(tok) && hasPrefixFold(tok, h) {
				k = i
			}
		}
		if k < 0 {
			other = true
			continue
		}
		if seen&(1<<k) != 0 {
			dup = true
		}
		seen |= 1 << k
	}
	if dup || seen&3 == 3 || other {
		anomaly(r, "Connection", "Connection: "+v)
	}
}

// checkRange judges a Range header: overlapping ranges or very many of them are an
// attack on the server's range handling; ranges that do not parse, or more than five, an
// anomaly.
func checkRange(r *request.Request, v string) {
	s := strings.TrimSpace(v)
	if !hasPrefixFold(s, "bytes") {
		anomaly(r, "Range", "range unit")
		return
	}
	s = strings.TrimSpace(s[5:])
	if s == "" || s[0] != '=' {
		anomaly(r, "Range", "range syntax")
		return
	}
	s = s[1:]
	const maxRanges = 50
	var first, last [maxRanges + 1]int64
	n, specs, bad := 0, 0, false
	for rest := s; rest != ""; {
		var spec string
		spec, rest, _ = strings.Cut(rest, ",")
		spec = strings.TrimSpace(spec)
		if spec == "" {
			continue
		}
		if specs++; specs > maxRanges {
			invalid(r, request.SourceHeader, "Range", "more than 50 ranges")
			return
		}
		a, b, ok := strings.Cut(spec, "-")
		a, b = strings.TrimSpace(a), strings.TrimSpace(b)
		if !ok || a == "" && b == "" || a != "" && !decimalDigits(a) || b != "" && !decimalDigits(b) {
			bad = true
			continue
		}
		if a == "" {
			continue // a suffix range: where it starts depends on the length
		}
		f, l := atoi64(a), int64(1<<62)
		if b != "" {
			l = atoi64(b)
		}
		if l < f {
			bad = true
			continue
		}
		for i := 0; i < n; i++ {
			if f <= last[i] && first[i] <= l {
				invalid(r, request.SourceHeader, "Range", "overlapping ranges")
				return
			}
		}
		first[n], last[n] = f, l
		n++
	}
	if bad || specs > 5 {
		anomaly(r, "Range", "unusual ranges")
	}
}

func atoi64(s string) int64 {
	var n int64
	for i := 0; i < len(s); i++ {
		n = n*10 + int64(s[i]-'0')
	}
	return n
}

// quotedCookieSemicolon finds a cookie value that opens a quote (optionally escaped)
// and holds a ';' before the quote closes: "a=\"x; b=y\"". The fragment it returns
// leaves the value out.
func quotedCookieSemicolon(v string) (string, bool) {
	for i := 0; i < len(v); i++ {
		if v[i] != '=' {
			continue
		}
		j := i + 1
		if j < len(v) && v[j] == '\\' {
			j++
		}
		if j >= len(v) || v[j] != '"' {
			continue
		}
		end := strings.IndexByte(v[j+1:], '"')
		if end < 0 {
			continue
		}
		if strings.IndexByte(v[j+1:j+1+end], ';') >= 0 {
			// The cookie's name and the opening quote: the value may be a session.
			ns := strings.LastIndexAny(v[:i], "; ") + 1
			return v[ns:j+1] + "…;", true
		}
		i = j + end
	}
	return "", false
}

// checkContentType judges the Content-Type of a request.
func checkContentType(r *request.Request) {
	ct := r.ContentType
	if ct == "" {
		return
	}
	body := len(r.Body) > 0
	n := 0
	for i := range r.Headers {
		if strings.EqualFold(r.Headers[i].Name, "Content-Type") {
			if n++; n == 2 && body && r.Headers[i].Value != ct {
				invalid(r, request.SourceHeader, "Content-Type", "two Content-Type headers")
			}
		}
	}
	mt, params, _ := strings.Cut(ct, ";")
	mt = strings.TrimSpace(mt)
	if !mediaTypeSyntax(mt) {
		if body && strings.Contains(mt, ",") && !sameListItems(mt) {
			invalid(r, request.SourceHeader, "Content-Type", ct)
			return
		}
		anomaly(r, "Content-Type", "Content-Type syntax")
	}
	var seen [8]string
	nseen := 0
	for params != "" {
		var p string
		p, params = cutParam(params)
		k, val, ok := strings.Cut(p, "=")
		k = strings.TrimSpace(k)
		if k == "" {
			continue
		}
		if !ok {
			anomaly(r, "Content-Type", "Content-Type parameter")
			continue
		}
		val = unquote(strings.TrimSpace(val))
		for i := 0; i < nseen; i++ {
			if strings.EqualFold(seen[i], k) {
				if body {
					invalid(r, request.SourceHeader, "Content-Type", "two "+k+" parameters")
				} else {
					anomaly(r, "Content-Type", "Content-Type parameter")
				}
			}
		}
		if nseen < len(seen) {
			seen[nseen] = k
			nseen++
		}
		isBoundary, isCharset := strings.EqualFold(k, "boundary"), strings.EqualFold(k, "charset")
		if (isBoundary || isCharset) && (looksLikeMediaType(val) || indexFold(val, "charset=") >= 0) {
			invalid(r, request.SourceHeader, "Content-Type", k+"="+val)
			continue
		}
		if isCharset && body {
			if bad, ok := badCharset(val); ok {
				invalid(r, request.SourceHeader, "Content-Type", "charset="+bad)
			}
		}
	}
	if body && hasPrefixFold(mt, "multipart/") {
		checkMultipart(r, ct)
	}
}

// cutParam splits the first ';'-separated parameter off s, respecting quotes.
func cutParam(s string) (param, rest string) {
	inQuote := false
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			if inQuote {
				i++
			}
		case '"':
			inQuote = !inQuote
		case ';':
			if !inQuote {
				return s[:i], s[i+1:]
			}
		}
	}
	return s, ""
}

func unquote(v string) string {
	if len(v) >= 2 && (v[0] == '"' && v[len(v)-1] == '"' || v[0] == '\'' && v[len(v)-1] == '\'') {
		return v[1 : len(v)-1]
	}
	return v
}

// mediaTypeSyntax reports whether mt is "type/subtype" made of tokens.
func mediaTypeSyntax(mt string) bool {
	t, sub, ok := strings.Cut(mt, "/")
	return ok && t != "" && sub != "" && headerToken(t) && headerToken(sub)
}

// looksLikeMediaType reports whether v is exactly a media type, "application/json".
func looksLikeMediaType(v string) bool {
	t, sub, ok := strings.Cut(v, "/")
	if !ok || len(t) < 4 || sub == "" {
		return false
	}
	for i := 0; i < len(t); i++ {
		if !isAlpha(t[i]) {
			return false
		}
	}
	if !isAlpha(sub[0]) {
		return false
	}
	for i := 0; i < len(sub); i++ {
		if c := sub[i]; !isAlnum(c) && c != '.' && c != '+' && c != '-' && c != '*' {
			return false
		}
	}
	return true
}

// sameListItems reports whether a comma-separated list repeats one item
// ("application/json, application/json", as some clients send).
func sameListItems(v string) bool {
	first, rest, _ := strings.Cut(v, ",")
	first = strings.TrimSpace(first)
	for rest != "" {
		var item string
		item, rest, _ = strings.Cut(rest, ",")
		if !strings.EqualFold(strings.TrimSpace(item), first) {
			return false
		}
	}
	return true
}

// acceptCharset finds a charset parameter in an Accept header that asks for a response
// in an evasive charset ("text/html;charset=utf-7"): a reflected payload then reaches
// the browser in an encoding the server's filters did not read.
func acceptCharset(v string) (string, bool) {
	for off := 0; off < len(v); {
		i := indexFold(v[off:], "charset")
		if i < 0 {
			return "", false
		}
		i += off
		off = i + 7
		j := skipSpaces(v, i+7)
		if i == 0 || v[i-1] != ';' && v[i-1] != ' ' && v[i-1] != '\t' || j >= len(v) || v[j] != '=' {
			continue
		}
		j = skipSpaces(v, j+1)
		end := j
		for end < len(v) && v[end] != ';' && v[end] != ',' {
			end++
		}
		if cs := unquote(strings.TrimSpace(v[j:end])); evasiveCharset(cs) {
			return cs, true
		}
	}
	return "", false
}

// ctParam returns the unquoted value of the parameter key of a Content-Type.
func ctParam(ct, key string) (string, bool) {
	_, params, _ := strings.Cut(ct, ";")
	for params != "" {
		var p string
		p, params = cutParam(params)
		k, val, ok := strings.Cut(p, "=")
		if ok && strings.EqualFold(strings.TrimSpace(k), key) {
			return unquote(strings.TrimSpace(val)), true
		}
	}
	return "", false
}

// checkMultipart reads the part headers of a multipart body.
func checkMultipart(r *request.Request, ct string) {
	b, ok := ctParam(ct, "boundary")
	if !ok || b == "" || len(b) > 200 {
		return
	}
	// A read-only view of the body: an upload may be megabytes, and nothing here keeps
	// the string.
	body := unsafe.String(unsafe.SliceData(r.Body), len(r.Body))
	delim := "--" + b
	for pos := 0; ; {
		i := strings.Index(body[pos:], delim)
		if i < 0 {
			return
		}
		i += pos + len(delim)
		if strings.HasPrefix(body[i:], "--") {
			return
		}
		nl := strings.IndexByte(body[i:], '\n')
		if nl < 0 {
			return
		}
		i += nl + 1
		// The part's header lines, up to a blank line.
		disps := 0
		for i < len(body) {
			nl := strings.IndexByte(body[i:], '\n')
			line := body[i:]
			if nl >= 0 {
				line = body[i : i+nl]
			}
			line = strings.TrimSuffix(line, "\r")
			if line == "" || strings.HasPrefix(line, delim) {
				break
			}
			if nl < 0 {
				i = len(body)
			} else {
				i += nl + 1
			}
			name, value, found := strings.Cut(line, ":")
			if !found {
				continue
			}
			if !headerToken(name) {
				invalid(r, request.SourceMultipart, "", "part header "+name)
				return
			}
			value = strings.TrimSpace(value)
			switch {
			case strings.EqualFold(name, "Content-Disposition"):
				if disps++; disps == 2 {
					invalid(r, request.SourceMultipart, "", "two Content-Disposition headers")
					return
				}
				if f, ok := badDisposition(value); ok {
					invalid(r, request.SourceMultipart, "", f)
					return
				}
			case strings.EqualFold(name, "Content-Type"):
				if cs, ok := ctParam(value, "charset"); ok {
					if bad, ok := badCharset(cs); ok {
						invalid(r, request.SourceMultipart, "", "charset="+bad)
						return
					}
				}
			case strings.EqualFold(name, "Content-Transfer-Encoding"):
				if hasPrefixFold(value, "base64") || hasPrefixFold(value, "quoted-printable") {
					invalid(r, request.SourceMultipart, "", "Content-Transfer-Encoding: "+value)
					return
				}
			}
		}
		pos = i
	}
}

// badDisposition judges the parameters of a part's Content-Disposition.
func badDisposition(v string) (string, bool) {
	_, params, _ := strings.Cut(v, ";")
	var seen [4]string
	nseen := 0
	for params != "" {
		var p string
		p, params = cutParam(params)
		k, val, ok := strings.Cut(p, "=")
		k = strings.TrimSpace(k)
		if !ok || k == "" {
			continue
		}
		for i := 0; i < nseen; i++ {
			if strings.EqualFold(seen[i], k) {
				return "two " + k + " parameters", true
			}
		}
		if nseen < len(seen) {
			seen[nseen] = k
			nseen++
		}
		val = strings.TrimSpace(val)
		if strings.Contains(val, `\"`) {
			return k + "=" + val, true
		}
		if strings.EqualFold(k, "name") && badFieldName(unquote(val)) {
			return "name=" + val, true
		}
		if strings.EqualFold(k, "filename") && hiddenScriptExt(unquote(val)) {
			return "filename=" + val, true
		}
	}
	return "", false
}

// uploadScriptExts are the extensions (with the dot) that web servers execute.
var uploadScriptExts = []string{
	".php", ".phtml", ".phar", ".pht", ".jspx", ".jsp", ".aspx", ".asp", ".asa", ".ashx",
	".asmx", ".cer", ".cgi", ".shtml",
}

// hiddenScriptExt reports whether a file name hides a script extension behind what
// one layer cuts and another keeps: a NUL ("x.php%00.png"), a ';' (IIS, "x.asp;.jpg"), a
// space or a second dot before another extension ("x.php .jpg", "x.php..jpg"), an NTFS
// stream ("x.asp::$DATA"), or trailing dots and spaces that Windows drops ("x.php.").
// A plain double extension ("photo.php.jpg") is not taken: people name files so.
func hiddenScriptExt(name string) bool {
	for off := 0; off < len(name); {
		i := strings.IndexByte(name[off:], '.')
		if i < 0 {
			return false
		}
		i += off
		off = i + 1
		for _, ext := range uploadScriptExts {
			if !hasPrefixFold(name[i:], ext) {
				continue
			}
			j := i + len(ext)
			for j < len(name) && isDigit(name[j]) { // .php5, .php7
				j++
			}
			rest := name[j:]
			if rest == "" || isAlnum(rest[0]) {
				break
			}
			switch {
			case rest[0] == 0 || hasPrefixFold(rest, "%00") || rest[0] == ';' || rest[0] == ':':
				return true
			case strings.Trim(rest, ". ") == "":
				return true // trailing dots or spaces
			case rest[0] == ' ' || strings.HasPrefix(rest, ".."):
				return true
			}
			break
		}
	}
	return false
}

// badFieldName reports whether a multipart field name holds a byte that no form names
// a field with and that parsers split on: '=', '"', '\', or a ';' that does not end a
// character reference (&amp; &#228; are how browsers send characters a page's charset
// lacks).
func badFieldName(n string) bool {
	for i := 0; i < len(n); i++ {
		switch n[i] {
		case '=', '"', '\\':
			return true
		case ';':
			j := i
			for j > 0 && (isAlnum(n[j-1]) || n[j-1] == '#') {
				j--
			}
			if j == i || j == 0 || n[j-1] != '&' {
				return true
			}
		}
	}
	return false
}

// checkParams looks at parameters with a protocol meaning: the _charset_ field that
// tells a server how to decode a form.
func checkParams(r *request.Request) {
	for i := range r.Params {
		p := &r.Params[i]
		if p.Key || p.Name != "_charset_" {
			continue
		}
		switch p.Source {
		case request.SourceQuery, request.SourceForm, request.SourceMultipart:
			if bad, ok := badCharset(p.Value); ok {
				invalid(r, p.Source, p.Name, bad)
			}
		}
	}
}

// badCharset reports whether a charset used to decode a body is one that hides what the
// body says (evasiveCharset) or one no browser knows.
func badCharset(cs string) (string, bool) {
	cs = strings.TrimSpace(unquote(strings.TrimSpace(cs)))
	if cs == "" {
		return "", false
	}
	if evasiveCharset(cs) || !knownCharset(cs) {
		return cs, true
	}
	return "", false
}

// evasiveCharset reports whether cs is an encoding in which ASCII text is not ASCII
// bytes (UTF-7, UTF-16, UTF-32, UCS-2/4, EBCDIC) or which removes escape sequences
// while decoding (ISO-2022, HZ): a payload in it passes a filter that reads bytes.
func evasiveCharset(cs string) bool {
	c := strings.TrimSpace(unquote(strings.TrimSpace(cs)))
	for _, p := range evasivePrefixes {
		if hasPrefixFold(c, p) {
			return true
		}
	}
	if equalFoldAny(c, []string{"unicode", "unicodefffe", "unicodefeff"}) {
		return true
	}
	// IBM EBCDIC code pages: cp037, ibm-1047, ibm500, cp1140...
	num := ""
	for _, p := range []string{"csibm", "ibm-", "ibm", "cp-", "cp", "ccsid"} {
		if hasPrefixFold(c, p) {
			num = strings.TrimLeft(c[len(p):], "0")
			break
		}
	}
	switch num {
	case "37", "273", "277", "278", "280", "284", "285", "290", "297", "420", "423", "424", "500",
		"833", "834", "835", "836", "837", "838", "870", "871", "875", "880", "905", "918", "924",
		"1025", "1026", "1047", "1140", "1141", "1142", "1143", "1144", "1145", "1146", "1147",
		"1148", "1149":
		return true
	}
	return false
}

var evasivePrefixes = []string{
	"utf-7", "utf7", "utf-16", "utf16", "utf-32", "utf32", "ucs-2", "ucs2", "ucs-4", "ucs4",
	"csunicode", "iso-10646", "iso-2022", "iso2022", "csiso2022", "hz-gb", "ebcdic", "x-ebcdic",
	"csebcdic",
}

// knownCharsetFamilies and knownCharsets are the labels of the WHATWG Encoding Standard
// (what browsers decode), with the DOS code pages of old clients. A family label is its
// prefix followed by a number ("iso-8859-15", "windows-1251", "latin2").
var knownCharsetFamilies = []string{
	"iso-8859-", "iso8859-", "iso_8859-", "iso8859", "windows-12", "cp12", "x-cp12", "latin",
	"iso-ir-", "l",
}

var knownCharsets = []string{
	"utf-8", "utf8", "unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "x-unicode20utf8",
	"us-ascii", "ascii", "ansi_x3.4-1968", "cp819", "ibm819", "866", "cp866", "ibm866",
	"csibm866", "cp437", "ibm437", "cp850", "ibm850", "cp852", "ibm852", "cp855", "cp857",
	"cp860", "cp861", "cp862", "cp863", "cp864", "cp865", "cp869", "koi", "koi8", "koi8-r",
	"koi8_r", "koi8-u", "koi8-ru", "cskoi8r", "mac", "macintosh", "csmacintosh", "x-mac-roman",
	"x-mac-cyrillic", "x-mac-ukrainian", "windows-874", "dos-874", "tis-620", "gbk", "x-gbk",
	"gb2312", "gb_2312", "gb_2312-80", "gb18030", "chinese", "csgb2312", "csiso58gb231280",
	"big5", "big5-hkscs", "cn-big5", "csbig5", "x-x-big5", "euc-jp", "x-euc-jp",
	"cseucpkdfmtjapanese", "shift_jis", "shift-jis", "sjis", "x-sjis", "ms932", "ms_kanji",
	"windows-31j", "csshiftjis", "euc-kr", "cseuckr", "korean", "ks_c_5601-1987",
	"ks_c_5601-1989", "ksc5601", "ksc_5601", "windows-949", "csksc56011987", "cyrillic",
	"arabic", "greek", "greek8", "hebrew", "asmo-708", "ecma-114", "ecma-118", "elot_928",
	"sun_eu_greek", "visual", "logical", "x-user-defined", "csiso88596e", "csiso88596i",
	"csiso88598e", "csiso88598i", "csisolatin1", "csisolatin2", "csisolatin3", "csisolatin4",
	"csisolatin5", "csisolatin6", "csisolatin9", "csisolatinarabic", "csisolatincyrillic",
	"csisolatingreek", "csisolatinhebrew", "iso-8859-6-e", "iso-8859-6-i", "iso-8859-8-e",
	"iso-8859-8-i", "iso_8859-1:1987", "iso_8859-2:1987", "iso_8859-3:1988",
	"iso_8859-4:1988", "iso_8859-5:1988", "iso_8859-6:1987", "iso_8859-7:1987",
	"iso_8859-8:1988", "iso_8859-9:1989", "binary",
}

func knownCharset(cs string) bool {
	if equalFoldAny(cs, knownCharsets) {
		return true
	}
	for _, p := range knownCharsetFamilies {
		if hasPrefixFold(cs, p) {
			n := cs[len(p):]
			return n != "" && len(n) <= 4 && decimalDigits(n)
		}
	}
	return false
}

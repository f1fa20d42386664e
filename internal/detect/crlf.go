package detect

import (
	"strings"
	"unicode/utf8"

	"github.com/rampartwaf/rampart/internal/request"
)

// CRLF: CR/LF injection. A value that an application copies into a response header or a
// redirect (a language, a URL, a cookie) splits the response when it carries a line
// break; one copied into a request to another server smuggles a second request.
//
// A value matches when, after a CR or LF (raw or once decoded):
//
//   - a request line follows, "GET /x HTTP/1.1" (an upper-case method, a target and an
//     HTTP version): request smuggling. A value that is a request line by itself, or
//     whose first line ends with one, matches too;
//   - a status line follows, "HTTP/1.1 200 OK": response splitting;
//   - a header follows whose injection is the point of the attack: Set-Cookie,
//     Content-Length, Transfer-Encoding, X-Forwarded-For, Access-Control-Allow-*...,
//     as "Name: value" (line breaks and spaces tolerated before the colon);
//   - in a value that belongs on one line (query, path, cookie, header), a header an
//     open redirect or cache poisoning wants, Location, Refresh, Content-Type, Host...;
//     in a header or cookie, any "Name: value" line or a blank line followed by markup
//     (the injected body of a split response);
//   - in a value whose first line is one token ("x", "en", a URL) in a query, cookie or
//     path, any header named as HTTP names them: Title-Case words joined by '-'
//     ("X-Injected: yes");
//   - mail header injection: Bcc, Cc, To, From, Subject, Reply-To, Sender, Content-Type,
//     MIME-Version... in a field named for a mail header ("email", "subject",
//     "reply_to", "contact[email]") or whose first line is an e-mail address
//     ("a@b.c\r\nBcc: x@evil.tld").
//
// Characters U+0800 and above whose low byte is LF or CR ("嘊" U+560A, "嘍" U+560D) are
// line breaks too when they stand next to ASCII: servers that wrote header values as
// Latin-1 (Node.js before 8) kept only that byte.
//
// A line break anywhere in a path segment or in a query or cookie name is enough: neither
// ever holds one. (A form body that is not really a form, code posted under the form
// type, splits into names with line breaks: form names are not judged so.)
//
// Not detected, deliberately: line breaks in text fields (a message, an address, a code
// snippet in a JSON string) followed by ordinary prose, or by "Location: ..." in a form
// or JSON field, where a textarea puts exactly that; the "From:", "To:" and "Cc:" lines
// of a reply quoted in a message; "Name: x" lines, YAML keys or a code fence in a query
// value whose first line has blanks or a backquote; such characters among Chinese or
// Japanese ideographs, and two-byte ones (Czech "č" is U+010D); a lower-case "get it"
// after a line break. A raw CR or LF in a header value cannot reach the proxy (the HTTP
// server refuses it), so header values are judged on their decoded forms only.

func init() {
	registerValueFiltered(CRLF, valueNeed{}, matchCRLFClasses)
}

func matchCRLF(p *request.Param, v string) (string, bool) {
	return matchCRLFClasses(p, v, valueClasses(v))
}

// matchCRLFClasses is matchCRLF given the byte classes of v. A value with non-ASCII
// bytes is judged a second time with its "Unicode line breaks" turned into CR and LF
// (see unicodeBreaks).
func matchCRLFClasses(p *request.Param, v string, classes byteClass) (string, bool) {
	if f, ok := matchCRLFLines(p, v, classes.has(classWhite), false); ok {
		return f, true
	}
	if classes.has(classHigh) {
		if u, ok := unicodeBreaks(v); ok {
			return matchCRLFLines(p, u, true, true)
		}
	}
	return "", false
}

// matchCRLFLines is matchCRLF; mayBreak false says v has no CR or LF (its byte classes
// have no whitespace other than spaces), so it is not scanned for them. pseudo says the
// line breaks of v were Unicode characters (unicodeBreaks): a break alone is then no
// attack, only what follows it.
func matchCRLFLines(p *request.Param, v string, mayBreak, pseudo bool) (string, bool) {
	first := -1
	if mayBreak {
		first = strings.IndexAny(v, "\r\n")
	}
	if first < 0 {
		// One line: only a whole request line stands out.
		if len(v) >= 14 && isUpperLetter(v[0]) {
			if end, ok := requestLineAt(v, 0); ok {
				return around(v, 0, end), true
			}
		}
		return "", false
	}
	if p.Source == request.SourceHeader && !pseudo && strings.ContainsAny(p.Value, "\r\n") {
		return "", false
	}
	switch p.Source {
	case request.SourcePath:
		if !pseudo {
			return around(v, first, first+1), true
		}
	case request.SourceQuery, request.SourceCookie:
		if p.Key && !pseudo {
			return around(v, first, first+1), true
		}
	}
	// In a cookie or a header other than a URL, any header line or injected body counts.
	headerLike := p.Source == request.SourceCookie || p.Source == request.SourceHeader &&
		!strings.EqualFold(p.Name, "Referer") && !strings.EqualFold(p.Name, "Origin")
	oneLine := false // the value belongs on one line: a header, a cookie, a URL parameter
	switch p.Source {
	case request.SourceQuery, request.SourceCookie, request.SourceHeader, request.SourcePath:
		oneLine = true
	}
	// The first line may end with a smuggled request line ("xGET /a HTTP/1.1\r\n").
	if trailingRequestLine(v[:first]) {
		return around(v, 0, first), true
	}
	// A value that goes into a mail header (an address, a subject) takes mail headers
	// after a break: the field is named so, or its first line is an e-mail address.
	mail := mailField(p.Name) || emailLine(v[:first])
	// A text field that starts with a header line is a copy of headers (telemetry that
	// records a response's headers, a pasted request, the raw message an inbound mail
	// webhook posts as "email"), not a value with headers appended: only values that
	// belong on one line are still judged.
	dump := false
	if start := strings.TrimLeft(v[:first], " \t"); start != "" && !oneLine {
		_, _, dump = headerLineAt(v, first-len(start))
	}
	// A one-line value whose first line is one token ("x", "en", a URL) takes any
	// header after a break, if it is named like one ("X-Injected"); a first line with
	// blanks is text (a multi-line search or a pasted snippet in a query parameter).
	token := oneLine && oneToken(v[:first])
	for i := first; i < len(v); {
		// Skip the run of line breaks and blanks; note whether it held a blank line.
		j, blank := i, false
		nl := 0
		for j < len(v) && (v[j] == '\r' || v[j] == '\n' || v[j] == ' ' || v[j] == '\t') {
			if v[j] == '\n' {
				nl++
			}
			j++
		}
		if nl >= 2 || strings.Contains(v[i:j], "\r\r") || strings.Contains(v[i:j], "\r\n\r") {
			blank = true
		}
		if j >= len(v) {
			break
		}
		if dump {
			break
		}
		if end, ok := requestLineAt(v, j); ok {
			return around(v, j, end), true
		}
		if hasPrefixFold(v[j:], "http/") && statusLineAt(v, j) {
			return around(v, j, j+12), true
		}
		if end, strong, ok := headerLineAt(v, j); ok {
			if strong || oneLine && injectedHeader(v[j:]) || headerLike ||
				mail && nameInList(v[j:], mailHeaders) || token && titleHeaderName(v[j:]) {
				return around(v, j, end), true
			}
		}
		if blank && headerLike && v[j] == '<' {
			return around(v, i, j+1), true
		}
		k := strings.IndexAny(v[j:], "\r\n")
		if k < 0 {
			break
		}
		i = j + k
	}
	return "", false
}

func isUpperLetter(c byte) bool { return 'A' <= c && c <= 'Z' }

// httpMethods are the methods a smuggled request line starts with.
var httpMethods = []string{
	"GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE", "TRACK", "CONNECT", "PATCH",
	"PROPFIND", "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK", "SEARCH",
}

// requestLineAt reports whether v holds a request line at i: an upper-case method, spaces,
// a target, spaces, "HTTP/" and a digit. It returns the end of the version.
func requestLineAt(v string, i int) (int, bool) {
	m := i
	for m < len(v) && isUpperLetter(v[m]) {
		m++
	}
	if m == i || m-i > 9 || !isMethodName(v[i:m]) {
		return 0, false
	}
	return requestLineRest(v, m)
}

func isMethodName(w string) bool {
	for _, m := range httpMethods {
		if w == m {
			return true
		}
	}
	return false
}

// requestLineRest checks " target HTTP/d" at m, right after a method.
func requestLineRest(v string, m int) (int, bool) {
	j := m
	for j < len(v) && (v[j] == ' ' || v[j] == '\t') {
		j++
	}
	if j == m || j >= len(v) {
		return 0, false
	}
	t := j
	for j < len(v) && v[j] > ' ' && v[j] != 0x7f {
		j++
	}
	if j == t || j-t > 2048 {
		return 0, false
	}
	k := j
	for k < len(v) && (v[k] == ' ' || v[k] == '\t') {
		k++
	}
	if k == j || !strings.HasPrefix(v[k:], "HTTP/") || k+5 >= len(v) || !isDigit(v[k+5]) {
		return 0, false
	}
	return k + 6, true
}

// trailingRequestLine reports whether line is a request line whose method may be glued to
// a word before it ("barGET /a.html HTTP/1.1").
func trailingRequestLine(line string) bool {
	h := strings.LastIndex(line, " HTTP/")
	if h < 0 || len(line) > 4096 {
		return false
	}
	end := strings.TrimRight(line, " \t")
	// The version must end the line: "HTTP/1.1".
	ver := end[h+1:]
	if len(ver) < 6 || !isDigit(ver[5]) || len(ver) > 8 {
		return false
	}
	// Walk back over the target to the method.
	j := h
	for j > 0 && (line[j-1] == ' ' || line[j-1] == '\t') {
		j--
	}
	t := j
	for j > 0 && line[j-1] > ' ' {
		j--
	}
	if j == t || j == 0 {
		return false
	}
	k := j
	for k > 0 && (line[k-1] == ' ' || line[k-1] == '\t') {
		k--
	}
	if k == j {
		return false
	}
	// The word before the target: letters only, ending with a method.
	w := k
	for w > 0 && isAlpha(line[w-1]) {
		w--
	}
	if w != 0 {
		return false // not at the start of the line: prose mentioning a request
	}
	word := line[w:k]
	for _, m := range httpMethods {
		if strings.HasSuffix(word, m) {
			return true
		}
	}
	return false
}

// statusLineAt reports whether v holds "HTTP/d.d ddd" at i.
func statusLineAt(v string, i int) bool {
	s := v[i:]
	if len(s) < 12 || !isDigit(s[5]) {
		return false
	}
	j := 6
	if s[j] == '.' {
		j++
		if !isDigit(s[j]) {
			return false
		}
		j++
	}
	if j >= len(s) || s[j] != ' ' || j+4 > len(s) {
		return false
	}
	return isDigit(s[j+1]) && isDigit(s[j+2]) && isDigit(s[j+3])
}

// strongHeaders are the headers whose injection is an attack wherever the value goes:
// nobody writes them in a text field.
var strongHeaders = []string{
	"set-cookie", "set-cookie2", "content-length", "transfer-encoding", "x-xss-protection",
	"content-security-policy", "access-control-allow-origin", "access-control-allow-credentials",
	"access-control-allow-headers", "access-control-allow-methods", "x-forwarded-for",
	"x-forwarded-host", "x-forwarded-server", "x-forwarded-proto", "x-original-url",
	"x-rewrite-url", "remote-addr", "remote-ip", "x-originating-ip", "originating-ip",
	"x-real-ip", "x-frame-options",
}

// redirectHeaders are injected into values that belong on one line (redirect targets,
// cookies, languages) to redirect or poison a response.
var redirectHeaders = []string{
	"location", "refresh", "content-type", "content-disposition", "host", "cookie", "via",
	"link", "cache-control", "content-encoding", "last-modified", "expires", "vary",
}

// headerLineAt reads "Name: value" at i: a header name, optional blanks or line breaks,
// a colon, optional blanks and a visible character on the same line. strong says the
// name is one of strongHeaders.
func headerLineAt(v string, i int) (end int, strong, ok bool) {
	j := i
	for j < len(v) && (isAlnum(v[j]) || v[j] == '-' || v[j] == '_') {
		j++
	}
	if j == i || j-i > 64 {
		return 0, false, false
	}
	name := v[i:j]
	for j < len(v) && (v[j] == ' ' || v[j] == '\t' || v[j] == '\r' || v[j] == '\n') {
		j++
	}
	if j >= len(v) || v[j] != ':' {
		return 0, false, false
	}
	j++
	for j < len(v) && (v[j] == ' ' || v[j] == '\t') {
		j++
	}
	if j >= len(v) || v[j] <= ' ' || v[j] == 0x7f {
		return 0, false, false
	}
	return j + 1, equalFoldAny(name, strongHeaders), true
}

// injectedHeader reports whether the header line at the start of s names one of
// redirectHeaders.
func injectedHeader(s string) bool { return nameInList(s, redirectHeaders) }

// nameInList reports whether the header line at the start of s names one of list.
func nameInList(s string, list []string) bool {
	return equalFoldAny(s[:headerNameEnd(s)], list)
}

func headerNameEnd(s string) int {
	j := 0
	for j < len(s) && (isAlnum(s[j]) || s[j] == '-' || s[j] == '_') {
		j++
	}
	return j
}

// mailHeaders are the headers of a mail header injection: more recipients, another
// sender or subject, or a body of another type.
var mailHeaders = []string{
	"bcc", "cc", "to", "from", "subject", "reply-to", "sender", "return-path", "content-type",
	"mime-version", "content-transfer-encoding",
}

// mailFields are the names of fields an application puts into a mail header, compared
// without '_', '-' and case ("reply_to", "fromEmail").
var mailFields = []string{
	"email", "mail", "emailaddress", "useremail", "from", "fromemail", "to", "toemail", "cc",
	"bcc", "replyto", "sender", "recipient", "subject",
}

// mailField reports whether the last element of the parameter name name ("email",
// "contact.email", "user[email]") is one of mailFields.
func mailField(name string) bool {
	name = strings.TrimRight(name, "]")
	if i := strings.LastIndexAny(name, ".["); i >= 0 {
		name = name[i+1:]
	}
	if len(name) < 2 || len(name) > 16 {
		return false
	}
	var buf [16]byte
	n := 0
	for i := 0; i < len(name); i++ {
		if c := name[i]; c != '_' && c != '-' {
			buf[n] = c
			n++
		}
	}
	return equalFoldAny(string(buf[:n]), mailFields)
}

// emailLine reports whether line is one e-mail address, bare or after a display name:
// "a@b.example", "Ann <ann@b.example>".
func emailLine(line string) bool {
	line = strings.TrimSpace(line)
	if len(line) < 5 || len(line) > 320 {
		return false
	}
	if line[len(line)-1] == '>' {
		o := strings.LastIndexByte(line, '<')
		if o < 0 {
			return false
		}
		line = line[o+1 : len(line)-1]
	}
	at := strings.IndexByte(line, '@')
	if at < 1 || at > 64 {
		return false
	}
	for i := 0; i < at; i++ {
		if c := line[i]; !isAlnum(c) && !strings.ContainsRune(".!#$%&'*+/=?^_`{|}~-", rune(c)) {
			return false
		}
	}
	dom := line[at+1:]
	dot := strings.LastIndexByte(dom, '.')
	if dot < 1 || dot == len(dom)-1 {
		return false
	}
	for i := 0; i < len(dom); i++ {
		if c := dom[i]; !isAlnum(c) && c != '.' && c != '-' {
			return false
		}
	}
	return true
}

// oneToken reports whether line is one token: no blank, no backquote (a Markdown code
// fence opens a snippet), at most 512 bytes. An empty line is one.
func oneToken(line string) bool {
	return len(line) <= 512 && !strings.ContainsAny(line, " \t`")
}

// titleHeaderName reports whether the header line at the start of s is named as HTTP
// headers are: two or more words, each opening with a capital, joined by '-'
// ("X-Injected", "X-Api-Key"). A word of a text line has no such name; YAML keys
// ("runs-on") and STOMP headers ("accept-version") are lower case.
func titleHeaderName(s string) bool {
	name := s[:headerNameEnd(s)]
	if len(name) < 3 || !strings.Contains(name, "-") {
		return false
	}
	for _, w := range strings.Split(name, "-") {
		if w == "" || !isUpperLetter(w[0]) {
			return false
		}
	}
	return true
}

// unicodeBreaks returns v with its "Unicode line breaks" turned into CR and LF, and
// whether it held one. Node.js (before 8.x) and other servers wrote a header value as
// Latin-1, keeping the low byte of each character: U+560A and U+560D ("嘊", "嘍") became
// LF and CR there, splitting the response. A character U+0800 or above whose low byte
// is 0x0A or 0x0D counts when it stands next to ASCII or another such character on both
// sides ("x嘊嘍Set-Cookie: a=b"): in Chinese or Japanese text it stands among other
// ideographs. Two-byte characters (Czech "č" is U+010D) are left alone.
func unicodeBreaks(v string) (string, bool) {
	var b []byte
	from := 0      // v[from:] is not copied to b yet
	prevOK := true // the start counts as ASCII
	for i := 0; i < len(v); {
		if v[i] < 0x80 {
			prevOK = true
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(v[i:])
		ok := prevOK && isBreakRune(r)
		if ok && i+n < len(v) && v[i+n] >= 0x80 {
			r2, _ := utf8.DecodeRuneInString(v[i+n:])
			ok = isBreakRune(r2)
		}
		if ok {
			if b == nil {
				b = make([]byte, 0, len(v))
			}
			b = append(b, v[from:i]...)
			b = append(b, byte(r))
			from = i + n
		}
		prevOK = ok
		i += n
	}
	if b == nil {
		return "", false
	}
	return string(append(b, v[from:]...)), true
}

// isBreakRune reports whether r is U+0800 or above with a low byte of LF or CR.
func isBreakRune(r rune) bool {
	return r >= 0x800 && r != utf8.RuneError && (byte(r) == '\n' || byte(r) == '\r')
}

// inFoldList reports whether w equals one of the lower-case words of list, ignoring
// ASCII case.
func equalFoldAny(w string, list []string) bool {
	for _, x := range list {
		if len(x) == len(w) && hasPrefixFold(w, x) {
			return true
		}
	}
	return false
}

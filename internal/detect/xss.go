package detect

import (
	"strings"

	"github.com/corazawaf/libinjection-go"

	"github.com/rampartwaf/rampart/internal/request"
)

// Cross-site scripting: Rampart's own checks first, then libinjection's HTML5 tokeniser
// as a fallback for the odd markup the own checks do not model.
//
// The own checks look for what runs script, not for markup as such, so rich text
// (<b>, <div class="note">, <a href="https://...">, inline SVG icons, markdown code with
// <div>), comparisons (a < b > c) and emoticons (<3) pass:
//   - markup: an element that loads or runs code (<script> with attributes, followed by
//     a "</script", or closed and followed by what can be script or by nothing;
//     <iframe src=, <object data=, <embed src=, <base href=, <xml src=, <vmlframe src=
//     with a URL or type attribute, except an <iframe> or <frame> whose src is an https
//     URL and that is not fixed over the page (style="position:fixed", a phishing
//     overlay); <meta http-equiv other than a content type, language or X-UA-Compatible,
//     and a content type or <meta charset> that is not a common charset in which ASCII
//     stays ASCII (ISO-2022-JP, HZ, UTF-7, UTF-16 count);
//     <link rel=import or a script), so a search for the word "<script", <base
//     target=_blank>, an empty <object> and a YouTube embed pass; any
//     element with an event handler (<x onxxx=1, <svg/onload=...), even left unclosed,
//     srcdoc, AngularJS directives (ng-*), Vue and Alpine event directives (@click,
//     v-on:, x-on:) whose expression reaches past the component or the event
//     ($event.composedPath(), $event.view) or calls a computed member (xssDirectiveInert),
//     IE data binding
//     (datasrc), SVG animation of href or handlers, a script URL in any attribute, CSS
//     that runs script, DOM clobbering (<img name=getElementById>); the same with the
//     '<' spelled in ways that some decoders turn into one (fullwidth ＜, UTF-7 +ADw-,
//     the 7-bit ¼script¾);
//   - script breakouts: "</script>" right after a quote, bracket or semicolon
//     ('}}</script>), which closes an inline script the value is reflected into;
//   - attribute breakouts: a quote or a space followed by an event handler or a
//     formaction/style injection (" onmouseover=..., ' autofocus onfocus=..., "onzoom=);
//     JSX (onClick={(e) => f(e)}) passes;
//   - script URLs: javascript:, vbscript:, livescript:, mocha:, data:text/html and other
//     active data: types, data: URLs carrying markup, with the whitespace, control
//     characters and entities browsers (and sloppy decoders) ignore inside the scheme
//     (java\tscript:, ja&Tab;vascript&colon;), and CSS url(javascript...) and
//     -moz-binding;
//   - JavaScript: a breakout into a sink ('-alert(1)-', ";confirm`1`//, (alert)(1),
//     a=alert,a(1)), or a sink call that is the whole value (alert(1)); a computed
//     member call on a global object (window['al'+'ert'](1),
//     top[/al/.source+/ert/.source](1), self['\x61lert'](1)); secrets read after any
//     breakout (alert(document.domain)) and DOM sinks at the start of the value or after
//     a quote, ';' or '>' (document.cookie, window.location, '-document.write(1)-'),
//     not after a backtick (Markdown's inline code); timers given a string, or a
//     function that navigates, evaluates code, writes markup or reads the cookie
//     (setTimeout(()=>location=name)), not one that calls the page's own functions
//     (setTimeout(() => f(), ms));
//     new Function(...); tagged template calls ([].sort.call`${alert}1`); JSFuck
//     ((![]+[])[+!![]], also with '+' decoded to spaces); AngularJS and Vue sandbox
//     escapes ({{constructor.constructor('alert(1)')()}}, .constructor.prototype).
//
// libinjection is a fallback only. It flags any doctype, style, <svg>, <meta>, <link>,
// xmlns or data: URL; a value it flags passes when every piece of markup in it is
// explained as harmless by the own tokeniser (a doctype without an internal subset or
// markup, such as html, svg, an Apple plist, or the one Chrome quotes in "Unexpected
// token '<', "<!DOCTYPE "... is not valid JSON"; <?xml version?>, IE conditional
// comments of Word and HTML email (<!--[if gte mso 9]>...<![endif]-->, whose content
// is judged as markup), <meta http-equiv="Content-Type">, styling
// without active CSS, inline SVG without handlers, <meta charset>, the site's own
// <link rel=stylesheet>, data:image/png, xmlns with an http URL, JSX handlers), and when
// the value is binary data.
//
// Deliberately not matched: lone entity or escape spellings of '<' (&lt;, \x3c), lone
// "-->" (an arrow in prose), markup that only exfiltrates or restyles (dangling
// <img src='//x?, <body background=, CSS injection, <a href=//x download>, <meta
// charset>), attribute fragments without a known handler name (" onabcdefgh="), code
// quoted in a post (function f() { document.getElementById('x').value = 1; }), prose
// about sinks ("eval(x) is dangerous"), the <script> tag named in prose or in an
// element's text (`<script>`, "<script defer> and <script async>",
// <code>&lt;script&gt;</code> once decoded; xssScriptInert), an iframe of another
// https site (it runs no script in this page: content injection, not XSS), JSX, a path
// segment naming a DOM property
// (/docs/document.cookie), and CRS's signature and hash headers that contain "on...="
// by chance. Whole HTML documents with their own <script> (a code playground's files)
// are flagged: they cannot be told from a stored payload.

func init() {
	registerValueFiltered(XSS, valueNeed{any: classesOf("<:(`=[.+{") | classHigh},
		func(p *request.Param, v string, _ byteClass) (string, bool) { return matchXSS(p, v) })
}

func matchXSS(p *request.Param, v string) (string, bool) {
	var seen uint16
	for i := 0; i < len(v); i++ {
		seen |= xssBytes[v[i]]
	}
	if seen&(xbLT|xbColon|xbParen|xbTick|xbEq|xbBracket|xbDot|xbAlt|xbBrace) == 0 {
		return "", false
	}
	if seen&xbCtl != 0 && binaryish(v) {
		// A compressed blob read as text spells tags and handlers by chance; only an
		// element that loads code counts there.
		return xssCodeElement(v)
	}
	f, ok := xss(v, seen)
	if ok && p != nil && p.Source == request.SourcePath && xssDottedName(v) {
		return "", false // /docs/javascript/document.cookie: a page about it
	}
	return f, ok
}

// xssDottedName reports a value made of two words of letters joined by a dot.
func xssDottedName(v string) bool {
	d := strings.IndexByte(v, '.')
	if d <= 0 || d == len(v)-1 {
		return false
	}
	for i := 0; i < len(v); i++ {
		if i != d && !isAlpha(v[i]) {
			return false
		}
	}
	return true
}

// Byte classes of the one pass over a value: each check runs only when the bytes it
// starts from are there.
const (
	xbLT      = 1 << iota // '<'
	xbColon               // ':' schemes
	xbParen               // '(' calls, url(, expression(
	xbTick                // '`' template calls
	xbEq                  // '=' attributes
	xbBracket             // '[' computed members, JSFuck
	xbDot                 // '.' member access
	xbAlt                 // '+' (UTF-7), 0xEF (fullwidth), 0xC2/0xBC (7-bit)
	xbBrace               // '{' template expressions
	xbBang                // '!' JSFuck
	xbDash                // '-' -moz-binding
	xbCtl                 // a control byte, or 0xC2 that may start a C1 control: binary?
)

var xssBytes = func() (t [256]uint16) {
	t['<'] = xbLT
	t[':'] = xbColon
	t['('] = xbParen
	t['`'] = xbTick
	t['='] = xbEq
	t['['] = xbBracket
	t['.'] = xbDot
	t['+'], t[0xef], t[0xc2], t[0xbc], t[0xbe] = xbAlt, xbAlt, xbAlt, xbAlt, xbAlt
	t['{'] = xbBrace
	t['!'] = xbBang
	t['-'] = xbDash
	for c := 0; c < 0x20; c++ {
		if c != '\t' && c != '\n' && c != '\r' {
			t[c] = xbCtl
		}
	}
	t[0x7f] = xbCtl
	t[0xc2] |= xbCtl
	return t
}()

// xssCodeElement finds a closed element that loads or runs code: <iframe src=...>,
// <script>.
func xssCodeElement(v string) (string, bool) {
	for i := strings.IndexByte(v, '<'); i >= 0 && i < len(v); {
		j := i + 1
		for j < len(v) && isAlpha(v[j]) {
			j++
		}
		name := v[i+1 : j]
		for _, t := range xssCodeTags {
			if strings.EqualFold(name, t) {
				if _, closed := xssTagBody(v, j); closed {
					return xssFrag(v, i), true
				}
			}
		}
		k := strings.IndexByte(v[j:], '<')
		if k < 0 {
			break
		}
		i = j + k
	}
	return "", false
}

func xss(v string, seen uint16) (string, bool) {
	if seen&xbLT != 0 {
		if frag, ok := xssMarkup(v); ok {
			return frag, true
		}
	}
	if seen&xbAlt != 0 {
		if frag, ok := xssAltMarkup(v); ok {
			return frag, true
		}
	}
	if seen&xbEq != 0 {
		if frag, ok := xssAttrBreakout(v); ok {
			return frag, true
		}
	}
	if seen&(xbColon|xbParen|xbDash) != 0 {
		if frag, ok := xssScheme(v, seen); ok {
			return frag, true
		}
	}
	if frag, ok := xssJS(v, seen); ok {
		return frag, true
	}
	if seen&xbLT != 0 && libinjection.IsXSS(v) && !xssExplained(v) {
		return v, true
	}
	return "", false
}

func xssTagByte(c byte) bool {
	return isAlnum(c) || c == ':' || c == '-' || c == '_'
}

// xssCodeTags are elements that load or run code by themselves.
var xssCodeTags = [...]string{"script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "import", "portal", "layer", "ilayer", "bgsound", "vmlframe", "xml", "isindex", "handler", "listener"}

// xssMarkup scans the tags of v: an element that runs code, or any element with an
// event handler, srcdoc, or a script URL in a URL attribute.
func xssMarkup(v string) (string, bool) {
	scriptEnd := -1 // the last "</script" in v
	breakout := -1  // the first "</script>" that closes an inline script
	for off := 0; ; {
		k := indexFold(v[off:], "</script")
		if k < 0 {
			break
		}
		scriptEnd = off + k
		if breakout < 0 && xssScriptClose(v, scriptEnd) {
			breakout = scriptEnd
		}
		off += k + 1
	}
	for i := 0; i < len(v); i++ {
		if v[i] != '<' {
			continue
		}
		if f, ok := xssTagAt(v, i, i+1, scriptEnd); ok {
			return f, true
		}
	}
	if breakout >= 0 {
		return xssFrag(v, breakout), true
	}
	return "", false
}

// xssScriptClose reports a "</script>" at v[i] right after a quote, bracket or
// semicolon ('}}</script>, ";</script>): a value reflected into an inline script (JSON
// state, a template variable) that closes it to start markup of its own.
func xssScriptClose(v string, i int) bool {
	j := i + len("</script")
	for j < len(v) && isSpace(v[j]) {
		j++
	}
	if j >= len(v) || v[j] != '>' {
		return false
	}
	k := i - 1
	for k >= 0 && isSpace(v[k]) {
		k--
	}
	if k < 0 {
		return false // "</script>" alone: a search for the tag
	}
	// Two closers in a row ('}}, "], ";, '; ...) end a string and the code around
	// it, and so does one (or a parenthesis) when markup follows the tag; a closer
	// alone is how prose and code samples quote the tag ("</script>", `</script>`,
	// init();</script>).
	if k > 0 && xssCloser(v[k]) && xssCloser(v[k-1]) {
		return true
	}
	if !xssCloser(v[k]) && v[k] != ')' {
		return false
	}
	j++
	for j < len(v) && isSpace(v[j]) {
		j++
	}
	return j+1 < len(v) && v[j] == '<' && (isAlpha(v[j+1]) || v[j+1] == '!')
}

// xssCloser reports the bytes that end a JavaScript string or construct in a breakout.
func xssCloser(c byte) bool {
	return c == '\'' || c == '"' || c == '}' || c == ']' || c == ';'
}

// xssTagAt judges the tag whose name starts at v[j], opened at v[i]. scriptEnd is the
// index of the last "</script" in v, or -1.
func xssTagAt(v string, i, j, scriptEnd int) (string, bool) {
	if j < len(v) && v[j] == ':' {
		j++ // <:vmlframe
	}
	start := j
	for j < len(v) && xssTagByte(v[j]) {
		j++
	}
	if j == start || !isAlpha(v[start]) {
		return "", false
	}
	name := v[start:j]
	if k := strings.LastIndexByte(name, ':'); k >= 0 {
		name = name[k+1:] // <x:script>
	}
	body, closed := xssTagBody(v, j)
	for _, t := range xssCodeTags {
		if strings.EqualFold(name, t) && (j == len(v) || !xssTagByte(v[j])) && xssCodeTagRuns(v, i, j, t, body, closed, scriptEnd) {
			return xssFrag(v, i), true
		}
	}
	switch {
	case strings.EqualFold(name, "meta") && indexFold(body, "http-equiv") >= 0 && !xssMetaEquivHarmless(body):
		return xssFrag(v, i), true
	case strings.EqualFold(name, "link") && (xssAttrIs(body, "rel", "import") || xssAttrIs(body, "type", "javascript") || xssAttrIs(body, "href", ".js")):
		return xssFrag(v, i), true
	case (strings.EqualFold(name, "set") || hasPrefixFold(name, "animate")) && xssAnimatesCode(body):
		return xssFrag(v, i), true
	}
	if xssAttrs(body) {
		return xssFrag(v, i), true
	}
	return "", false
}

// xssMetaEquivHarmless reports a <meta http-equiv> whose attribute text, body, only
// declares what a page's headers say about its content: Content-Type with a common
// charset (<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">, in
// every HTML email), Content-Language, X-UA-Compatible (IE=edge). Refresh, Set-Cookie,
// Link, Content-Security-Policy, an unknown name, a charset that can shift the page into
// another script (UTF-7, ISO-2022-JP: xssCommonCharset), or a content with anything but
// a media type, words and numbers (a URL, markup, an entity) count.
func xssMetaEquivHarmless(body string) bool {
	var equiv, content string
	for i := 0; i >= 0 && i < len(body); {
		var a xssAttr
		a, i = xssNextAttr(body, i)
		if i < 0 {
			break
		}
		switch {
		case strings.EqualFold(a.name, "http-equiv"):
			if equiv != "" {
				return false
			}
			equiv = strings.TrimSpace(a.value)
		case strings.EqualFold(a.name, "content"):
			content = a.value
		}
	}
	if !strings.EqualFold(equiv, "content-type") && !strings.EqualFold(equiv, "content-language") && !strings.EqualFold(equiv, "x-ua-compatible") {
		return false
	}
	for i := 0; i < len(content); i++ {
		if c := content[i]; !isAlnum(c) && !strings.ContainsRune(" ;=/+-_.,", rune(c)) {
			return false
		}
	}
	for off := 0; ; {
		k := indexFold(content[off:], "charset")
		if k < 0 {
			return true
		}
		off += k + len("charset")
		if e := xssSkipJSSpace(content, off); e < len(content) && content[e] == '=' && !xssCommonCharset(content[e+1:]) {
			return false // charset=iso-2022-jp, charset = utf-7
		}
	}
}

// xssLoadAttrs are the attributes through which an element of xssCodeTags loads code.
var xssLoadAttrs = [...]string{"src", "data", "code", "codebase", "classid", "archive", "href", "movie", "implementation", "action", "srcdoc", "dynsrc", "lowsrc", "type"}

// xssCodeTagRuns judges an element of xssCodeTags, tag, whose name ends at v[j], opened
// at v[lt]: a <script> as xssScriptRuns says; <handler> and <listener> closed or with an
// attribute; the others with a URL attribute (<base href=, <iframe src=, <object data=),
// so <base target=_blank> and an empty <object width=400> pass. An <iframe> or <frame>
// whose src is an https URL shows another site's page in a frame of its own, which runs
// no script in this one (YouTube's and Quill's embeds); srcdoc, a script URL, a data:
// URL or an http URL (which an https page does not load, and which server-side renderers
// fetch from internal hosts) still count, and so does a frame fixed over the page
// (xssFixedFrame), a phishing overlay. scriptEnd is the index of the last "</script"
// in v, or -1.
func xssCodeTagRuns(v string, lt, j int, tag, body string, closed bool, scriptEnd int) bool {
	switch tag {
	case "script":
		return xssScriptRuns(v, lt, j, body, closed, scriptEnd)
	case "handler", "listener":
		return closed || strings.IndexByte(body, '=') >= 0
	}
	frame := tag == "iframe" || tag == "frame"
	for i := 0; i >= 0 && i < len(body); {
		var a xssAttr
		a, i = xssNextAttr(body, i)
		if i < 0 {
			break
		}
		if !a.hasValue {
			continue
		}
		if frame && strings.EqualFold(a.name, "src") && xssHTTPSURL(a.value) {
			if xssFixedFrame(body) {
				return true // another site's page laid over this one
			}
			continue
		}
		for _, n := range xssLoadAttrs {
			if strings.EqualFold(a.name, n) {
				return true
			}
		}
	}
	return false
}

// xssFixedFrame reports a frame whose style, in its attribute text body, fixes it to the
// window (position:fixed, at any size, or position:absolute sized to the window, 100vw
// or 100vh): another site's page laid over this one, which takes its clicks and
// passwords. No embed is written so; the responsive embed's
// position:absolute;width:100%;height:100% (YouTube, Vimeo), which fills the box of a
// wrapper, is not judged, and neither is an unstyled frame inside a fixed wrapper. A style spelled with a CSS escape, an entity
// or a comment (posi\74ion, fi&#x78;ed) is no embed's either: it counts.
func xssFixedFrame(body string) bool {
	for i := 0; i >= 0 && i < len(body); {
		var a xssAttr
		a, i = xssNextAttr(body, i)
		if i < 0 || !a.hasValue || !strings.EqualFold(a.name, "style") {
			continue
		}
		if strings.ContainsAny(a.value, "\\&") || strings.Contains(a.value, "/*") {
			return true
		}
		css := strings.ToLower(strings.Join(strings.Fields(a.value), ""))
		if strings.Contains(css, "position:fixed") || strings.Contains(css, "position:absolute") && xssViewportSize(css) {
			return true
		}
	}
	return false
}

// xssViewportSize reports a length of the whole window or more in css: 100vw, 120vh.
func xssViewportSize(css string) bool {
	for k := range byteIndexes(css, 'v') {
		if k+1 >= len(css) || css[k+1] != 'w' && css[k+1] != 'h' {
			continue
		}
		d := k
		for d > 0 && isDigit(css[d-1]) {
			d--
		}
		n := 0
		for _, c := range []byte(css[d:k]) {
			n = min(n*10+int(c-'0'), 1000)
		}
		if n >= 100 && (d == 0 || css[d-1] != '.') {
			return true
		}
	}
	return false
}

// xssHTTPSURL reports an absolute https URL with a host: "https://www.youtube.com/embed/x".
// Spaces, control characters or entities inside it (https:&#x2F;&#x2F;...) are not the
// spelling of an embed.
func xssHTTPSURL(u string) bool {
	if !hasPrefixFold(u, "https://") || len(u) == len("https://") || !isAlnum(u[len("https://")]) {
		return false
	}
	for i := 0; i < len(u); i++ {
		if c := u[i]; c <= ' ' || c == '&' || c == '\\' || c == '<' || c == '>' || c == '"' || c == '\'' || c == '`' || c == 0x7f {
			return false
		}
	}
	return true
}

// xssScriptRuns judges a <script> start tag whose name ends at v[j], opened at v[lt],
// with attribute text body. It runs code when it has an attribute with a value (src=,
// type=), when a "</script" follows it (scriptEnd, the index of the last one in v, or
// -1), or when it is closed and the text after it, which a browser reads as the script,
// can be script (xssScriptInert): "<script>" alone counts, for the page or another
// parameter may supply the rest. A tag left open ("for power, binary<script is wrong")
// runs nothing.
func xssScriptRuns(v string, lt, j int, body string, closed bool, scriptEnd int) bool {
	if strings.IndexByte(body, '=') >= 0 || scriptEnd > j {
		return true
	}
	return closed && !xssScriptInert(v, lt, j+len(body)+1)
}

// xssScriptInert reports whether the script that a bare <script> start tag at v[lt],
// closed by the '>' before v[after] and with no "</script" after it, opens is no
// program: prose or markup that names the tag. Such a script runs only when all of its
// text, up to a "</script>" that the page would have to supply, is valid JavaScript;
// it is not when
//   - the tag is the content of an element: an end tag of another follows it
//     (<code><script></code>, as an editor's HTML reads once its &lt; is decoded), and a
//     script whose text opens with "</" is a syntax error;
//   - it is set between quotes or backticks ("<script>", `<script>`): the script opens
//     with a string, which the value does not close, or after which the text up to the
//     next <script holds no call or assignment ('(', '=', '`'); a ${ in a template is
//     code;
//   - prose follows after a space ("between <script defer> and <script async> in
//     HTML"): two words in a row that JavaScript cannot read (a word that starts no
//     statement followed by one that is no operator), or text up to the next <script
//     without '(', '=' or '`', with which no script calls or assigns anything.
//
// "<script>alert(1)", "<script>a=/x/", "<script>KCF<\/script>", "<script>\nalert(1)" and
// "<script>" alone are not inert.
func xssScriptInert(v string, lt, after int) bool {
	if after >= len(v) {
		return false
	}
	rest := v[after:]
	if len(rest) > 2 && rest[0] == '<' && rest[1] == '/' && isAlpha(rest[2]) {
		return true
	}
	if q := rest[0]; (q == '"' || q == '\'' || q == '`') && lt > 0 && v[lt-1] == q {
		// The script opens with a string: code can follow only where it closes.
		for k := 1; k < len(rest); k++ {
			switch c := rest[k]; {
			case c == '\\':
				k++
			case c == '$' && q == '`' && k+1 < len(rest) && rest[k+1] == '{':
				return false // `<script>`${...}`: a template's expression
			case c == q:
				return !xssScriptTextCalls(rest[k+1:], true)
			}
		}
		return true
	}
	if rest[0] != ' ' && rest[0] != '\t' {
		return false
	}
	k := 0
	for k < len(rest) && (rest[k] == ' ' || rest[k] == '\t') {
		k++
	}
	if k == len(rest) || !('a' <= rest[k] && rest[k] <= 'z') {
		return false
	}
	return xssProseWords(rest[k:]) || !xssScriptTextCalls(rest[k:], true)
}

// xssScriptTextCalls reports whether s, up to the next "<script", holds a '(' or '='
// (and, with tick, a '`'): the bytes without which JavaScript calls and assigns nothing.
func xssScriptTextCalls(s string, tick bool) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(', '=':
			return true
		case '`':
			if tick {
				return true
			}
		case '<':
			if hasPrefixFold(s[i+1:], "script") {
				return false
			}
		}
	}
	return false
}

// xssJSStarters are the words that may start a JavaScript statement and be followed
// by another word on the same line (var x, typeof x, new X, return x, async function).
var xssJSStarters = [...]string{"var", "let", "const", "new", "typeof", "void", "delete", "return", "throw", "await", "yield",
	"async", "function", "class", "import", "export", "do", "else", "case", "default", "break", "continue", "debugger",
	"static", "get", "set", "of", "if", "for", "while", "with", "switch", "try", "this", "super"}

// xssProseWords reports whether s opens with two words on one line that no JavaScript
// reads: the first starts no statement (xssJSStarters) and the second is no operator
// (in, instanceof). "tag tells the browser" is prose; "var tag", "a in b" are not.
func xssProseWords(s string) bool {
	i := 0
	for i < len(s) && isAlpha(s[i]) {
		i++
	}
	first := s[:i]
	k := i
	for k < len(s) && (s[k] == ' ' || s[k] == '\t') {
		k++
	}
	if i == 0 || k == i || k == len(s) || !isAlpha(s[k]) {
		return false
	}
	e := k
	for e < len(s) && (isIdent(s[e]) || s[e] == '$') {
		e++
	}
	second := s[k:e]
	if strings.EqualFold(second, "in") || strings.EqualFold(second, "instanceof") || strings.EqualFold(second, "of") {
		return false
	}
	for _, w := range xssJSStarters {
		if strings.EqualFold(first, w) {
			return false
		}
	}
	return true
}

// xssTagBody returns the attribute text of a tag whose name ends at v[j]: up to the
// closing '>' outside quotes, or the end of the value (an unclosed tag still counts:
// the page supplies the '>'). closed reports the '>'. A '<' outside quotes ends an
// unclosed body: the next tag is judged on its own, and "<a<a<a..." costs one pass.
func xssTagBody(v string, j int) (body string, closed bool) {
	var quote byte
	for k := j; k < len(v); k++ {
		c := v[k]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case (c == '"' || c == '\'' || c == '`') && k > j && (v[k-1] == '=' || isSpace(v[k-1])):
			quote = c
		case c == '>':
			return v[j:k], true
		case c == '<':
			return v[j:k], false
		}
	}
	return v[j:], false
}

// xssAttr is one attribute of a tag body.
type xssAttr struct {
	name, value string
	hasValue    bool
}

// xssNextAttr reads the attribute of body starting at or after i. It returns the
// index after it, or -1 when there is none.
func xssNextAttr(body string, i int) (xssAttr, int) {
	// an attribute name starts after whitespace, '/', a quote, or at the start
	for i < len(body) && !isAlpha(body[i]) && body[i] != '@' && body[i] != ':' {
		i++
	}
	if i >= len(body) {
		return xssAttr{}, -1
	}
	j := i
	for j < len(body) && (xssTagByte(body[j]) || body[j] == '.' || body[j] == '@') {
		j++
	}
	a := xssAttr{name: body[i:j]}
	k := j
	for k < len(body) && isSpace(body[k]) {
		k++
	}
	if k >= len(body) || body[k] != '=' {
		if j == i {
			j++
		}
		return a, j
	}
	a.hasValue = true
	k++
	for k < len(body) && (isSpace(body[k]) || body[k] == '\\') {
		k++
	}
	if k < len(body) && (body[k] == '"' || body[k] == '\'' || body[k] == '`') {
		q := body[k]
		e := strings.IndexByte(body[k+1:], q)
		if e < 0 {
			a.value = body[k+1:]
			return a, len(body)
		}
		a.value = strings.TrimSuffix(body[k+1:k+1+e], `\`)
		return a, k + 2 + e
	}
	e := k
	for e < len(body) && !isSpace(body[e]) {
		e++
	}
	a.value = body[k:e]
	return a, e
}

// xssAttrIs reports whether body has the attribute name with a value containing want.
func xssAttrIs(body, name, want string) bool {
	for i := 0; i >= 0 && i < len(body); {
		var a xssAttr
		a, i = xssNextAttr(body, i)
		if i < 0 {
			break
		}
		if strings.EqualFold(a.name, name) && indexFold(a.value, want) >= 0 {
			return true
		}
	}
	return false
}

// xssAnimatesCode reports an SVG <set> or <animate> that changes an href or an event
// handler: attributeName=href, attributeName=onload.
func xssAnimatesCode(body string) bool {
	for i := 0; i >= 0 && i < len(body); {
		var a xssAttr
		a, i = xssNextAttr(body, i)
		if i < 0 {
			break
		}
		if strings.EqualFold(a.name, "attributename") {
			n := strings.TrimSpace(a.value)
			if k := strings.LastIndexByte(n, ':'); k >= 0 {
				n = n[k+1:]
			}
			return strings.EqualFold(n, "href") || len(n) > 4 && hasPrefixFold(n, "on")
		}
	}
	return false
}

// xssAttrs reports whether attribute text holds an event handler (on...=), srcdoc=, a
// framework directive, IE data binding, a script URL in any attribute, CSS that runs
// script, or DOM clobbering.
func xssAttrs(body string) bool {
	for i := 0; i >= 0 && i < len(body); {
		var a xssAttr
		a, i = xssNextAttr(body, i)
		if i < 0 {
			break
		}
		if !a.hasValue {
			continue
		}
		name := a.name
		if hasPrefixFold(name, "v-on:") || hasPrefixFold(name, "x-on:") || name[0] == '@' && xssEventName("on"+name[1:]) {
			if !xssDirectiveInert(a.value) {
				return true
			}
			continue
		}
		if hasPrefixFold(name, "ng-") || strings.EqualFold(name, "v-html") || strings.EqualFold(name, "x-html") || hasPrefixFold(name, "on-") {
			return true
		}
		if k := strings.LastIndexByte(name, ':'); k >= 0 {
			name = name[k+1:] // ev:handler, xlink:href
		}
		switch {
		case len(name) > 4 && hasPrefixFold(name, "on"):
			if !xssJSXValue(a.value) {
				return true
			}
		case strings.EqualFold(name, "srcdoc") || strings.EqualFold(name, "handler") || strings.EqualFold(name, "datasrc") || strings.EqualFold(name, "dataformatas"):
			return true
		case strings.EqualFold(name, "style"):
			if xssActiveCSS(a.value) {
				return true
			}
		case strings.EqualFold(name, "id") || strings.EqualFold(name, "name"):
			if xssClobberName(a.value) {
				return true
			}
		}
		if _, ok := xssSchemeAt(xssAttrValue(a.value)); ok {
			return true
		}
	}
	return false
}

// xssDirectiveInert reports whether the expression of a Vue or Alpine event directive
// (@click="select(user)", v-on:submit.prevent="save", x-on:click="open = !open") stays
// inside its component: it calls the component's methods and sets its data. Vue reads
// such names on the component only; Alpine falls back to the page's globals, so an
// expression counts when it names a global object (window, document, location.href,
// top[...]), names a function that runs or proves script (alert, eval, setTimeout,
// Function, fetch, import; open and print when called or alone, as Alpine calls a
// function that is the whole expression), writes markup or reads cookies through a
// member (.innerHTML, .write, .cookie), climbs out of Vue's sandbox (constructor,
// prototype, $el, ownerDocument, composedPath(), and the event's view and path, which
// are the window: $event.view, (e) => e.path), calls a computed member (x[k](...),
// the call of a name it need not spell), hides a name (a backslash escape, a template,
// two string literals joined with '+': 'ev' + 'al'), or creates an object (new Image).
// A long expression is not read: it counts.
func xssDirectiveInert(expr string) bool {
	if len(expr) > 512 || strings.ContainsAny(expr, "\\`") {
		return false
	}
	events := xssDirectiveEventNames(expr)
	for i := 0; i < len(expr); {
		c := expr[i]
		switch {
		case c == '\'' || c == '"':
			e := strings.IndexByte(expr[i+1:], c)
			if e < 0 {
				return false
			}
			lit := expr[i+1 : i+1+e]
			for _, w := range xssSandboxWords {
				if indexFold(lit, w) >= 0 {
					return false // $data['constructor']
				}
			}
			i += e + 2
			if k := xssSkipJSSpace(expr, i); k < len(expr) && expr[k] == '+' {
				if k = xssSkipJSSpace(expr, k+1); k < len(expr) && (expr[k] == '\'' || expr[k] == '"') {
					return false // 'ev' + 'al'
				}
			}
		case c == ']':
			k := xssSkipJSSpace(expr, i+1)
			if strings.HasPrefix(expr[k:], "?.") {
				k = xssSkipJSSpace(expr, k+2)
			}
			if k < len(expr) && expr[k] == '(' {
				return false // x['ev' + 'al'](name), handlers[k]?.()
			}
			i++
		case isAlpha(c) || c == '_' || c == '$':
			j := i
			for j < len(expr) && (isIdent(expr[j]) || expr[j] == '$') {
				j++
			}
			k := xssSkipJSSpace(expr, j)
			var next byte
			if k < len(expr) {
				next = expr[k]
			}
			alone := strings.TrimSpace(expr[:i]) == "" && k == len(expr)
			if !xssDirectiveWord(expr[i:j], i > 0 && expr[i-1] == '.', next, alone) {
				return false
			}
			if (strings.EqualFold(expr[i:j], "view") || strings.EqualFold(expr[i:j], "path")) && xssDirectiveEventMember(expr, i, events) {
				return false // $event.view is the window, $event.path ends with it
			}
			i = j
		case isDigit(c):
			for i < len(expr) && isIdent(expr[i]) {
				i++ // 1e3, 0x1f
			}
		default:
			i++
		}
	}
	return true
}

// xssDirectiveEventNames returns the names under which a directive expression sees
// the event: $event and event, and the parameters of the arrow functions and functions
// it writes ((e) => e.view, function (ev) { ... }).
func xssDirectiveEventNames(expr string) []string {
	names := []string{"$event", "event"}
	for a := range stringIndexes(expr, "=>") {
		e := a
		for e > 0 && isSpace(expr[e-1]) {
			e--
		}
		s := e
		if e > 0 && expr[e-1] == ')' {
			if s = strings.LastIndexByte(expr[:e-1], '('); s < 0 {
				continue
			}
		}
		names = append(names, strings.FieldsFunc(expr[s:e], func(r rune) bool { return r == '(' || r == ')' || r == ',' || r == ' ' })...)
		if s == e {
			for s > 0 && (isIdent(expr[s-1]) || expr[s-1] == '$') {
				s--
			}
			names = append(names, expr[s:e]) // e => e.view
		}
	}
	for off := 0; off < len(expr); {
		f := indexFold(expr[off:], "function")
		if f < 0 {
			break
		}
		f += off
		off = f + len("function")
		open := strings.IndexByte(expr[off:], '(')
		close := strings.IndexByte(expr[off:], ')')
		if open < 0 || close < open {
			continue
		}
		names = append(names, strings.FieldsFunc(expr[off+open+1:off+close], func(r rune) bool { return r == ',' || r == ' ' })...)
	}
	return names
}

// xssDirectiveEventMember reports whether the word at expr[i] is a member of one of
// events, the names of the event: $event.view, e?.path.
func xssDirectiveEventMember(expr string, i int, events []string) bool {
	if i < 1 || expr[i-1] != '.' {
		return false
	}
	k := i - 1
	if k > 0 && expr[k-1] == '?' {
		k-- // e?.view
	}
	for k > 0 && isSpace(expr[k-1]) {
		k--
	}
	s := k
	for s > 0 && (isIdent(expr[s-1]) || expr[s-1] == '$') {
		s--
	}
	if s == k || s > 0 && expr[s-1] == '.' {
		return false // state.view, a.b.path
	}
	for _, n := range events {
		if n == expr[s:k] {
			return true
		}
	}
	return false
}

// xssSandboxWords are the names through which an expression leaves Vue's component
// scope (or AngularJS's): the Function constructor and the page behind an element or
// an event (composedPath() ends with the window).
var xssSandboxWords = [...]string{"constructor", "__proto__", "prototype", "__definegetter__", "__lookupgetter__", "ownerdocument", "defaultview", "getrootnode", "composedpath"}

// xssDirectiveGlobals are global objects an event directive has no business with.
var xssDirectiveGlobals = [...]string{"window", "document", "globalthis", "navigator", "localstorage", "sessionstorage", "indexeddb", "opener", "xmlhttprequest", "websocket", "eventsource"}

// xssDirectiveUsed are global names that are also the names of a component's own data
// (top, parent, location): they count when used as an object (.x, [x]) or assigned.
var xssDirectiveUsed = [...]string{"self", "top", "parent", "frames", "location", "content"}

// xssDirectiveSinks are global functions that run, load or prove script, called or
// passed ([1].find(alert)).
var xssDirectiveSinks = [...]string{"alert", "prompt", "confirm", "eval", "settimeout", "setinterval", "setimmediate", "function", "fetch", "import", "require", "execscript", "atob"}

// xssDirectiveCalls are global functions whose names a component also gives its data
// (open = !open): they count when called, or as the whole expression.
var xssDirectiveCalls = [...]string{"open", "print"}

// xssDirectiveMembers are members that write markup or read secrets.
var xssDirectiveMembers = [...]string{"innerhtml", "outerhtml", "insertadjacenthtml", "createcontextualfragment", "write", "writeln", "execcommand", "cookie", "srcdoc"}

// xssDirectiveWord judges one identifier of a directive expression: member says it
// follows a '.', next is the byte after it (spaces skipped) or 0, and alone says it is
// the whole expression.
func xssDirectiveWord(w string, member bool, next byte, alone bool) bool {
	for _, s := range xssSandboxWords {
		if strings.EqualFold(w, s) {
			return false
		}
	}
	if strings.EqualFold(w, "$el") || strings.EqualFold(w, "_c") || strings.EqualFold(w, "_v") || strings.EqualFold(w, "new") {
		return false
	}
	if member {
		for _, m := range xssDirectiveMembers {
			if strings.EqualFold(w, m) {
				return false
			}
		}
		return true
	}
	for _, g := range xssDirectiveGlobals {
		if strings.EqualFold(w, g) {
			return false
		}
	}
	for _, f := range xssDirectiveSinks {
		if strings.EqualFold(w, f) {
			return false
		}
	}
	if next == '.' || next == '[' || next == '=' {
		for _, g := range xssDirectiveUsed {
			if strings.EqualFold(w, g) {
				return false
			}
		}
	}
	if next == '(' || alone {
		for _, f := range xssDirectiveCalls {
			if strings.EqualFold(w, f) {
				return false
			}
		}
	}
	return true
}

// xssJSXValue reports a handler value written in JSX, onClick={(e) => f(e)}: a brace
// expression with spaces in it, which HTML would cut at the first space.
func xssJSXValue(val string) bool {
	if val == "" || val[0] != '{' {
		return false
	}
	depth := 0
	for i := 0; i < len(val); i++ {
		switch val[i] {
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				return false // closed before any space: a script block in HTML
			}
		case ' ', '\t', '\n':
			return true
		}
	}
	return true
}

// xssClobberNames are DOM properties an id or name attribute can shadow.
// Names that a form or page uses for its own fields (location, domain, body, images)
// are left out.
var xssClobberNames = [...]string{"getelementbyid", "getelementsbyname", "getelementsbytagname", "queryselector", "queryselectorall", "createelement", "cookie", "write", "writeln", "defaultview", "documentelement", "attributes", "parentnode", "innerhtml", "outerhtml", "appendchild", "currentscript", "implementation", "nodetype", "ownerdocument", "__proto__"}

func xssClobberName(v string) bool {
	for _, n := range xssClobberNames {
		if strings.EqualFold(v, n) {
			return true
		}
	}
	return false
}

// xssEvents are stems of event handler names: on + one of these, as in onload,
// onmouseover, onwebkitplaybacktargetavailabilitychanged. "online", "once" and "onion"
// are words, not handlers.
var xssEvents = [...]string{
	"load", "error", "mouse", "key", "focus", "blur", "click", "dblclick", "change", "submit",
	"reset", "select", "input", "scroll", "wheel", "drag", "drop", "copy", "cut", "paste",
	"touch", "pointer", "animation", "transition", "play", "pause", "ended", "seek", "volume",
	"timeupdate", "canplay", "durationchange", "emptied", "stalled", "suspend", "waiting",
	"progress", "abort", "resize", "unload", "beforeunload", "hashchange", "message",
	"popstate", "pageshow", "pagehide", "storage", "toggle", "show", "begin", "end", "repeat",
	"zoom", "search", "invalid", "contextmenu", "auxclick", "afterprint", "beforeprint",
	"webkit", "moz", "readystatechange", "start", "finish", "bounce", "activate",
	"deactivate", "help", "filterchange", "propertychange", "beforeinput", "beforecopy",
	"beforecut", "beforepaste", "beforetoggle", "cancel", "close", "cuechange", "formdata",
	"gotpointercapture", "lostpointercapture", "loadstart", "loadend", "ratechange",
	"securitypolicyviolation", "slotchange", "visibilitychange", "fullscreen", "online",
	"offline", "orientationchange", "animationstart", "content", "datasetchanged",
	"errorupdate", "losecapture", "move", "rowenter", "rowexit", "rowsdelete", "rowsinserted",
	"selectstart", "selectionchange", "stop", "trackchange", "urlflip", "xxx",
}

// xssEventName reports whether name (after "on") is an event handler name.
func xssEventName(name string) bool {
	if len(name) < 5 || !hasPrefixFold(name, "on") {
		return false
	}
	rest := name[2:]
	for _, e := range xssEvents {
		if hasPrefixFold(rest, e) {
			if e == "online" || e == "end" || e == "start" || e == "stop" || e == "show" || e == "move" || e == "content" {
				return len(rest) == len(e) // exact: "onend", not "onendless"
			}
			return true
		}
	}
	return false
}

// xssAttrBreakout finds an attribute injected after a quote that closes the
// application's attribute value, or after a space that ends an unquoted one:
// " onmouseover="...", ' autofocus onfocus=alert(1) ', "onzoom=, x onload=alert(1).
func xssAttrBreakout(v string) (string, bool) {
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c != '"' && c != '\'' && !isSpace(c) && c != '/' {
			continue
		}
		j := i + 1
		for j < len(v) && (isSpace(v[j]) || v[j] == '/') {
			j++
		}
		if j >= len(v) || !isAlpha(v[j]) {
			continue
		}
		if f, ok := xssInjectedAttr(v, i, j, c == '"' || c == '\''); ok {
			return f, true
		}
	}
	return "", false
}

// xssInjectedAttr judges the attribute name at v[j] after a boundary at v[i].
func xssInjectedAttr(v string, i, j int, quote bool) (string, bool) {
	k := j
	for k < len(v) && (isAlnum(v[k]) || v[k] == '-' || v[k] == ':') {
		k++
	}
	name := v[j:k]
	e := k
	for e < len(v) && isSpace(v[e]) {
		e++
	}
	if e >= len(v) || v[e] != '=' || e+1 < len(v) && v[e+1] == '=' {
		// a bare attribute (autofocus): the handler after it has its own boundary
		return "", false
	}
	val := v[e+1:]
	switch {
	case xssEventName(name):
		if xssJSXValue(strings.TrimLeft(val, " ")) {
			return "", false
		}
		return xssFrag(v, i), true
	case quote && (strings.EqualFold(name, "formaction") || strings.EqualFold(name, "srcdoc")):
		return xssFrag(v, i), true
	case quote && strings.EqualFold(name, "style") && xssActiveCSS(val):
		return xssFrag(v, i), true
	case quote && (strings.EqualFold(name, "href") || strings.EqualFold(name, "src")):
		if _, ok := xssSchemeAt(xssAttrValue(val)); ok {
			return xssFrag(v, i), true
		}
	}
	return "", false
}

// xssAttrValue returns the start of an attribute value with quotes and spaces skipped.
func xssAttrValue(s string) string {
	i := 0
	for i < len(s) && (isSpace(s[i]) || s[i] == '"' || s[i] == '\'' || s[i] == '`' || s[i] == '\\') {
		i++
	}
	return s[i:]
}

// xssActiveCSS reports CSS that can run script in some browser.
func xssActiveCSS(css string) bool {
	return indexFold(css, "expression(") >= 0 || indexFold(css, "javascript:") >= 0 || indexFold(css, "behavior:") >= 0 ||
		indexFold(css, "behaviour:") >= 0 || indexFold(css, "-moz-binding") >= 0 || indexFold(css, "@import") >= 0 ||
		indexFold(css, "vbscript:") >= 0 || indexFold(css, "expression\\") >= 0
}

// xssSchemes are URL schemes that run script, compared after dropping the whitespace,
// control characters and entities browsers ignore inside a scheme.
var xssSchemes = [...]string{"javascript:", "vbscript:", "livescript:", "mocha:"}

// xssActiveData are data: media types a browser renders as a document or script.
var xssActiveData = [...]string{"text/html", "image/svg+xml", "text/xml", "application/xhtml", "application/javascript", "text/javascript", "application/x-shockwave-flash", "application/xml"}

// xssSchemeAt reports whether s starts with a script URL and returns its length.
func xssSchemeAt(s string) (int, bool) {
	for _, sc := range xssSchemes {
		n, obf, ok := xssMatchLoose(s, sc)
		if !ok {
			continue
		}
		rest := strings.TrimLeft(s[n:], " \t")
		if obf && (rest == "" || rest[0] != ';') {
			return n, true // ja&Tab;vascript: hides itself for a reason
		}
		if rest == "" || rest[0] == ';' || hasPrefixFold(rest, "void(0)") || hasPrefixFold(rest, "void 0") {
			return 0, false
		}
		if len(rest) < len(s)-n && !strings.ContainsAny(rest, "(`=\\") {
			return 0, false // "javascript: a guide" is prose; script after a space calls something
		}
		return n, true
	}
	if n, _, ok := xssMatchLoose(s, "data:"); ok {
		rest := strings.TrimLeft(s[n:], " \t")
		for _, t := range xssActiveData {
			if hasPrefixFold(rest, t) {
				return n, true
			}
		}
		// data:,<x> and data:text/plain,<svg onload=...>: markup in the payload
		if c := strings.IndexByte(rest, ','); c >= 0 && c < 64 {
			p := strings.TrimLeft(rest[c+1:], " \t")
			if len(p) > 1 && p[0] == '<' && (isAlpha(p[1]) || p[1] == '/') {
				return n, true
			}
		}
	}
	return 0, false
}

// xssMatchLoose matches lower-case word w at the start of s, skipping the control and
// space characters a browser strips from a URL scheme, their entity spellings, and the
// backslashes a JavaScript string drops before a letter (\j\ava\script:).
// It returns the bytes consumed and whether anything was skipped.
func xssMatchLoose(s, w string) (int, bool, bool) {
	i := 0
	obf := false
	for k := 0; k < len(w); k++ {
		for k > 0 && i < len(s) {
			if s[i] <= ' ' {
				i++
				obf = true
				continue
			}
			if s[i] == '\\' && i+1 < len(s) && (isAlpha(s[i+1]) || s[i+1] == ':') {
				i++ // \j\av\a\s\cr\i\pt\: in a JavaScript string is javascript:
				obf = true
				continue
			}
			if s[i] == '&' {
				if n := xssSpaceEntity(s[i:]); n > 0 {
					i += n
					obf = true
					continue
				}
			}
			break
		}
		if i >= len(s) {
			return 0, false, false
		}
		if w[k] == ':' && s[i] == '&' {
			if n := xssColonEntity(s[i:]); n > 0 {
				i += n
				obf = true
				continue
			}
		}
		if lowerASCII(s[i]) != w[k] {
			return 0, false, false
		}
		i++
	}
	return i, obf, true
}

// xssSpaceEntity returns the length of an entity for a tab, newline or carriage return
// at the start of s: &Tab; &NewLine; &#9; &#x0a; (any case, as sloppy decoders read
// them), or 0.
func xssSpaceEntity(s string) int {
	for _, e := range [...]string{"&tab;", "&newline;", "&#9;", "&#09;", "&#x9;", "&#x09;", "&#10;", "&#xa;", "&#x0a;", "&#13;", "&#xd;", "&#x0d;"} {
		if hasPrefixFold(s, e) {
			return len(e)
		}
	}
	return 0
}

// xssColonEntity returns the length of an entity for ':' at the start of s, or 0.
func xssColonEntity(s string) int {
	for _, e := range [...]string{"&colon;", "&#58;", "&#x3a;"} {
		if hasPrefixFold(s, e) {
			return len(e)
		}
	}
	return 0
}

// xssScheme finds a script URL anywhere in v at a word start (a redirect parameter, a
// link in a comment, an attribute value already split out by a parser) and CSS that
// loads script: url(javascript...), -moz-binding:, :expression(.
func xssScheme(v string, seen uint16) (string, bool) {
	colon := seen&xbColon != 0
	paren := seen&xbParen != 0
	for i := 0; i < len(v); i++ {
		c := lowerASCII(v[i])
		switch c {
		case 'j', 'v', 'l', 'd', 'm':
			if !colon {
				continue
			}
		case 'u', 'e':
			if !paren {
				continue
			}
		case '-':
			if !colon {
				continue
			}
		default:
			continue
		}
		if i > 0 && isIdent(v[i-1]) {
			continue
		}
		switch c {
		case 'u':
			if hasPrefixFold(v[i:], "url(") {
				if xssMatchLooseAt(xssAttrValue(v[i+4:]), "javascript") {
					return xssFrag(v, i), true
				}
			}
			continue
		case '-':
			if hasPrefixFold(v[i:], "-moz-binding") && strings.IndexByte(v[i:], ':') > 0 {
				return xssFrag(v, i), true
			}
			continue
		case 'e':
			if hasPrefixFold(v[i:], "expression") && xssCSSExpression(v, i) {
				return xssFrag(v, i), true
			}
			continue
		}
		if i+1 < len(v) {
			if n := lowerASCII(v[i+1]); 'a' <= n && n <= 'z' && n != xssSchemeSecond(c) {
				continue // "leave", "doc": another word (a scheme hidden by noise has none here)
			}
		}
		if _, ok := xssSchemeAt(v[i:]); ok {
			return xssFrag(v, i), true
		}
	}
	return "", false
}

// xssSchemeSecond is the second letter of the script URL schemes xssSchemeAt knows by
// their first (javascript, data, vbscript, livescript, mocha), or 0.
func xssSchemeSecond(c byte) byte {
	switch c {
	case 'j', 'd':
		return 'a'
	case 'v':
		return 'b'
	case 'l':
		return 'i'
	case 'm':
		return 'o'
	}
	return 0
}

func xssMatchLooseAt(s, w string) bool {
	_, _, ok := xssMatchLoose(s, w)
	return ok
}

// xssCSSExpression reports the IE CSS expression() at v[i] as a property value:
// "width:expression(", "x:expression\28".
func xssCSSExpression(v string, i int) bool {
	j := i + len("expression")
	for j < len(v) && isSpace(v[j]) {
		j++
	}
	if j >= len(v) || v[j] != '(' && v[j] != '\\' {
		return false
	}
	k := i - 1
	for k >= 0 && isSpace(v[k]) {
		k--
	}
	return k >= 0 && v[k] == ':'
}

// xssSinks are the functions a script injection calls to prove or use itself.
var xssSinks = [...]string{"alert", "prompt", "confirm", "eval", "settimeout", "setinterval", "function", "btoa", "atob", "print"}

// xssJS runs the JavaScript checks whose bytes are in the value.
func xssJS(v string, seen uint16) (string, bool) {
	if seen&(xbParen|xbTick|xbEq) != 0 {
		if f, ok := xssJSBreakout(v); ok {
			return f, true
		}
	}
	if seen&xbBracket != 0 {
		if f, ok := xssGlobalAccess(v); ok {
			return f, true
		}
	} else if seen&xbDot != 0 {
		if f, ok := xssGlobalDot(v); ok {
			return f, true
		}
	}
	if seen&(xbParen|xbBrace) != 0 {
		if f, ok := xssTemplateEscape(v); ok {
			return f, true
		}
	}
	if seen&xbTick != 0 {
		if f, ok := xssTaggedCall(v); ok {
			return f, true
		}
	}
	if seen&(xbBracket|xbBang) == xbBracket|xbBang {
		return xssJSFuck(v)
	}
	return "", false
}

// xssJSBreakout finds a call to a script sink that follows a breakout out of a
// JavaScript string or statement ('-alert(1)-', ";confirm(1)//, </script>) or makes up
// the whole value (alert`1`, (alert)(1)), or a sink taken as a value (a=alert,a(1)).
// "Please alert(me)" is prose: the sink follows a word.
func xssJSBreakout(v string) (string, bool) {
	l := len(v)
	for i := 0; i < l; i++ {
		c := lowerASCII(v[i])
		if c != 'a' && c != 'p' && c != 'c' && c != 'e' && c != 's' && c != 'f' && c != 'b' {
			continue
		}
		if i > 0 && (isIdent(v[i-1]) || v[i-1] == '$') {
			continue
		}
		for _, s := range xssSinks {
			if s[0] != c || !hasPrefixFold(v[i:], s) {
				continue
			}
			j := i + len(s)
			if j < l && (isIdent(v[j]) || v[j] == '$') {
				break
			}
			if j < l && (v[j] == ',' || v[j] == ';') && i > 0 && v[i-1] == '=' && s != "function" && s != "print" {
				return xssFrag(v, i), true // a=alert,a(1)
			}
			if j >= l || !(v[j] == '(' || v[j] == '`' || v[j] == ')') || s == "function" && v[j] != '`' {
				break // function(...) declarations are everywhere in code samples
			}
			if v[j] == ')' && !xssSinkAsValue(v, i, j) || j+1 == l && v[j] == '(' {
				break // "eval(" alone calls nothing
			}
			if (s == "settimeout" || s == "setinterval") && v[j] == '(' {
				if b, ok := xssFunctionArg(v, j+1); ok && !xssTimerBodyRuns(v, b) {
					break // setTimeout(() => fn(), ms) evaluates no string and runs nothing of note
				}
			}
			if (s == "print" || s == "btoa" || s == "atob") && !(i == 0 && s != "print" || i > 0 && (v[i-1] == '\'' || v[i-1] == '"' || v[i-1] == ';')) {
				break // print(x) is Python and "use window.btoa() to encode" prose; ";print()" breaks out
			}
			if xssBreakoutBefore(v, i) && !xssCallThenProse(v, i, j) {
				return xssFrag(v, i), true
			}
			break
		}
		if c == 'f' && hasPrefixFold(v[i:], "function") {
			// new Function(...), Function('code')()
			k := i - 1
			for k >= 0 && isSpace(v[k]) {
				k--
			}
			j := i + 8
			if j < l && v[j] == '(' && k >= 2 && hasSuffixFold(v[:k+1], "new") && (k < 3 || !isIdent(v[k-3])) {
				return xssFrag(v, i), true
			}
		}
	}
	return "", false
}

// xssFunctionArg reports a function written at v[k], the first argument of a timer:
// an arrow function (() => ..., (a, b) => ..., x => ...), "function" or "async", and
// returns where its body (or, after "function" and "async", its parameters) starts. A
// timer given one runs it, not a string, so it is judged by what the function does
// (xssTimerBodyRuns); what it calls is also judged where it stands (setTimeout(() =>
// alert(1)) counts for the alert after "=>"). setTimeout('alert(1)') and
// setTimeout(name) are strings.
func xssFunctionArg(v string, k int) (int, bool) {
	k = xssSkipJSSpace(v, k)
	if k >= len(v) {
		return 0, false
	}
	for _, w := range [...]string{"function", "async"} {
		if strings.HasPrefix(v[k:], w) && (k+len(w) == len(v) || !isIdent(v[k+len(w)]) && v[k+len(w)] != '$') {
			return k + len(w), true
		}
	}
	e := k
	if v[k] == '(' {
		for e = k + 1; e < len(v) && e < k+128 && v[e] != ')'; e++ {
			if c := v[e]; !isIdent(c) && c != '$' && c != ',' && c != '.' && !isSpace(c) {
				return 0, false // a default value or a pattern: not worth reading
			}
		}
		if e >= len(v) || v[e] != ')' {
			return 0, false
		}
		e++
	} else {
		for e < len(v) && (isIdent(v[e]) || v[e] == '$') {
			e++
		}
		if e == k {
			return 0, false
		}
	}
	e = xssSkipJSSpace(v, e)
	if !strings.HasPrefix(v[e:], "=>") {
		return 0, false
	}
	return e + 2, true
}

// xssTimerSinks are what a function given to a timer must not do: evaluate code
// (eval, Function, import()), write markup (.innerHTML, document.write), or read the
// cookie. The members (innerhtml...cookie) count wherever they are read or written.
var xssTimerSinks = [...]string{"eval", "function", "import", "innerhtml", "outerhtml", "insertadjacenthtml", "srcdoc", "write", "writeln", "cookie", "execscript"}

// xssTimerBodyRuns reports whether body, the code of a function given to a timer
// (parameters first, for "function" and "async"), runs script of its own: it evaluates
// code (eval(x), Function(x), new Function, import(x)), writes markup (.innerHTML=,
// document.write(x)), reads the cookie, assigns location, location.href or any property
// of document (location=name), or calls location.assign or location.replace. A location
// assigned a path of this site ('/login') runs nothing: setTimeout(() => { location.href
// = '/login' }, 3000) is a redirect in a code sample. The body starts at v[b] and ends
// at the ')' that closes the timer's call; one longer than 8 KiB is not read: it counts.
func xssTimerBodyRuns(v string, b int) bool {
	depth, end := 1, -1
	for k := b; k < len(v) && k < b+8192 && end < 0; k++ {
		switch v[k] {
		case '(', '[', '{':
			depth++
		case ')', ']', '}':
			if depth--; depth == 0 {
				end = k // brackets in strings are not told apart: a bound to read to
			}
		}
	}
	if end < 0 {
		if len(v) > b+8192 {
			return true
		}
		end = len(v)
	}
	body := v[b:end]
	for i := 0; i < len(body); i++ {
		if !isAlpha(body[i]) || i > 0 && (isIdent(body[i-1]) || body[i-1] == '$') {
			continue
		}
		j := i
		for j < len(body) && (isIdent(body[j]) || body[j] == '$') {
			j++
		}
		w := body[i:j]
		k := xssSkipJSSpace(body, j)
		member := i > 0 && body[i-1] == '.'
		switch {
		case strings.EqualFold(w, "location"):
			if xssLocationSet(body, k) {
				return true
			}
		case strings.EqualFold(w, "document") && !member:
			if k < len(body) && body[k] == '.' {
				p := xssSkipJSSpace(body, k+1)
				e := p
				for e < len(body) && (isIdent(body[e]) || body[e] == '$') {
					e++
				}
				if e > p && xssAssignAt(body, xssSkipJSSpace(body, e)) {
					return true // document.title = x, document.domain = x
				}
			}
		default:
			for _, s := range xssTimerSinks {
				if !strings.EqualFold(w, s) {
					continue
				}
				call := k < len(body) && (body[k] == '(' || body[k] == '`')
				switch s {
				case "function":
					if w == "Function" && call {
						return true // Function('code')(), not a function() { } of its own
					}
				case "eval", "import", "execscript":
					if !member && call {
						return true
					}
				case "write", "writeln":
					if obj := strings.TrimRight(body[:max(i-1, 0)], " \t\n"); member && call && (hasSuffixFold(obj, "document") || hasSuffixFold(obj, "doc")) {
						return true // document.write(x), not stream.write(x)
					}
				default:
					if member {
						return true // .innerHTML, document.cookie
					}
				}
			}
		}
		i = j - 1
	}
	return false
}

// xssLocationSet reports whether what follows the word location at body[k] (spaces
// skipped) navigates: an assignment to it or to its href (location = name,
// location.href = x), a computed member (location['href']), or a call of location.assign or location.replace, unless the
// value is a string naming a path of this site.
func xssLocationSet(body string, k int) bool {
	if k < len(body) && body[k] == '[' {
		return true // location['href'] = name
	}
	if k < len(body) && body[k] == '.' {
		p := xssSkipJSSpace(body, k+1)
		switch {
		case hasPrefixFold(body[p:], "href"):
			k = xssSkipJSSpace(body, p+len("href"))
		case hasPrefixFold(body[p:], "assign") || hasPrefixFold(body[p:], "replace"):
			e := p + len("assign")
			if hasPrefixFold(body[p:], "replace") {
				e = p + len("replace")
			}
			e = xssSkipJSSpace(body, e)
			return e < len(body) && body[e] == '(' && !xssSitePathLiteral(body[xssSkipJSSpace(body, e+1):])
		default:
			return false
		}
	}
	return xssAssignAt(body, k) && !xssSitePathLiteral(body[xssSkipJSSpace(body, k+1):])
}

// xssAssignAt reports an assignment operator at v[k]: '=', not '==' or '=>'.
func xssAssignAt(v string, k int) bool {
	return k < len(v) && v[k] == '=' && (k+1 == len(v) || v[k+1] != '=' && v[k+1] != '>')
}

// xssSitePathLiteral reports whether v starts with a string literal that is a path of
// this site ('/login', "/cart?x=1") and ends the expression there: not '//host', '/\host'
// or a string with more added to it.
func xssSitePathLiteral(v string) bool {
	if len(v) < 3 || v[0] != '\'' && v[0] != '"' || v[1] != '/' || v[2] == '/' || v[2] == '\\' {
		return false
	}
	e := strings.IndexByte(v[1:], v[0])
	if e < 0 {
		return false
	}
	lit := v[1 : 1+e]
	for i := 0; i < len(lit); i++ {
		if c := lit[i]; c < ' ' || c == '\\' || c == ':' && !strings.ContainsAny(lit[:i], "?#") {
			return false
		}
	}
	k := xssSkipJSSpace(v, e+2)
	return k == len(v) || strings.IndexByte(";,)}", v[k]) >= 0
}

// xssCallThenProse reports a sink call at the very start of the value followed by
// words: "eval(x) is dangerous" talks about the call, "alert(1)//" makes it.
func xssCallThenProse(v string, i, j int) bool {
	if i != 0 || j >= len(v) || v[j] != '(' {
		return false
	}
	e := strings.IndexByte(v[j:], ')')
	if e < 0 {
		return false
	}
	rest := v[j+e+1:]
	return len(rest) > 1 && rest[0] == ' ' && isAlpha(rest[1])
}

// xssSinkAsValue reports whether the sink name at v[i:j], followed by ')', is passed or
// called as a value: (alert)(1), [1].find(alert). "(confirm)" in prose is neither.
func xssSinkAsValue(v string, i, j int) bool {
	if j+1 < len(v) && v[j+1] == '(' {
		return true
	}
	return i >= 2 && v[i-1] == '(' && (isIdent(v[i-2]) || v[i-2] == ']' || v[i-2] == '.')
}

// xssBreakoutBefore reports whether what precedes v[i] (spaces skipped) ends a string or
// statement, or opens an expression: a quote, an operator, a bracket, or nothing.
func xssBreakoutBefore(v string, i int) bool {
	k := i - 1
	for k >= 0 && isSpace(v[k]) {
		k--
	}
	if k < 0 {
		return true
	}
	switch v[k] {
	case '\'', '"', '`', ';', '-', '+', '*', '/', '|', '&', '=', '(', '[', '{', ',', ':', '!', '>', '}', '?', '.':
		return true
	}
	return false
}

// xssGlobals are the names of the global object and the document.
var xssGlobals = [...]string{"window", "self", "top", "parent", "frames", "globalthis", "this", "document", "content", "opener"}

// xssDOMSinks are properties and methods of document, window and elements whose use at
// the start of an expression is script: document.cookie, window.location=...
var xssDOMSinks = [...]string{"cookie", "domain", "write", "writeln", "location", "createelement", "appendchild", "body", "queryselector", "getelementbyid", "innerhtml", "outerhtml", "execcommand", "open", "alert", "eval", "parentnode", "defaultview", "documentelement", "head", "forms", "images", "scripts"}

// xssGlobalAccess finds a global object used as script at the start of an expression or
// after a breakout: a computed member call (window['al'+'ert'](1), top[/a/.source](1)),
// a computed member with an escaped or sensitive name (self['\x61lert'],
// (document)["cookie"]), or a DOM sink (document.cookie, window.location).
func xssGlobalAccess(v string) (string, bool) {
	for i := 0; i < len(v); i++ {
		c := lowerASCII(v[i])
		if c != 'w' && c != 's' && c != 't' && c != 'p' && c != 'f' && c != 'g' && c != 'd' && c != 'c' && c != 'o' {
			continue
		}
		if i > 0 && (isIdent(v[i-1]) || v[i-1] == '$' || v[i-1] == '.') {
			continue
		}
		if xssGlobalUse(v, i) {
			return xssFrag(v, i), true
		}
	}
	return "", false
}

// xssGlobalUse judges the word at v[i] (at a word start) as a global object used as
// script.
func xssGlobalUse(v string, i int) bool {
	for _, g := range xssGlobals {
		if !hasPrefixFold(v[i:], g) {
			continue
		}
		j := i + len(g)
		if j < len(v) && (isIdent(v[j]) || v[j] == '$') {
			return false
		}
		open := i > 0 && v[i-1] == '('
		before := i
		if open {
			before = i - 1
		}
		if !xssBreakoutBefore(v, before) {
			return false
		}
		j = xssSkipJSSpace(v, j)
		if open && j < len(v) && v[j] == ')' {
			j = xssSkipJSSpace(v, j+1) // (document)["cookie"]
		}
		if j >= len(v) {
			return false
		}
		switch v[j] {
		case '[':
			return xssComputedMember(v, j, g != "this")
		case '.':
			k := xssSkipJSSpace(v, j+1)
			if g == "this" || !xssStrongBreakout(v, before) && !xssSecretRead(v, k) {
				return false
			}
			for _, p := range xssDOMSinks {
				if hasPrefixFold(v[k:], p) && (k+len(p) == len(v) || !isIdent(v[k+len(p)])) {
					e := xssSkipJSSpace(v, k+len(p))
					// document.cookie alone, or used: =, (, ., [
					if e == len(v) || strings.IndexByte("=(.[;)+,", v[e]) >= 0 {
						return true
					}
				}
			}
		}
		return false
	}
	return false
}

// xssGlobalDot is xssGlobalAccess for a value without '[': it looks only at the words
// before each '.', so plain prose and URLs cost one scan for dots.
func xssGlobalDot(v string) (string, bool) {
	for off := 0; off < len(v); {
		d := strings.IndexByte(v[off:], '.')
		if d < 0 {
			return "", false
		}
		d += off
		off = d + 1
		k := d
		for k > 0 {
			if isSpace(v[k-1]) {
				k--
			} else if c := xssCommentStart(v, k); c >= 0 {
				k = c // document /*x*/ .cookie
			} else {
				break
			}
		}
		e := k
		for k > 0 && isAlpha(v[k-1]) {
			k--
		}
		if e-k < 3 || e-k > 10 {
			continue
		}
		for _, g := range xssGlobals {
			if len(g) == e-k && hasPrefixFold(v[k:], g) {
				if (k == 0 || xssGlobalAt(v, k)) && xssGlobalUse(v, k) {
					return xssFrag(v, k), true
				}
				break
			}
		}
	}
	return "", false
}

// xssCommentStart returns the start of the /* comment */ that ends right before v[k],
// looking back a bounded distance, or -1.
func xssCommentStart(v string, k int) int {
	if k < 4 || v[k-2:k] != "*/" {
		return -1
	}
	lo := max(0, k-2-256)
	if c := strings.LastIndex(v[lo:k-2], "/*"); c >= 0 {
		return lo + c
	}
	return -1
}

// xssGlobalAt reports whether the global name at v[k] starts an expression in v.
func xssGlobalAt(v string, k int) bool {
	if isIdent(v[k-1]) || v[k-1] == '$' || v[k-1] == '.' {
		return false
	}
	d := k
	for d < len(v) && isAlpha(v[d]) {
		d++
	}
	d = xssSkipJSSpace(v, d)
	if d < len(v) && v[d] == '.' && xssSecretRead(v, xssSkipJSSpace(v, d+1)) {
		return xssBreakoutBefore(v, k)
	}
	if v[k-1] == '(' {
		return xssStrongBreakout(v, k-1)
	}
	return xssStrongBreakout(v, k)
}

// xssSecretRead reports a read of what an attacker steals (cookie, domain) at v[k],
// which counts after any breakout: alert(document.domain).
func xssSecretRead(v string, k int) bool {
	return hasPrefixFold(v[k:], "cookie") || hasPrefixFold(v[k:], "domain")
}

// xssStrongBreakout reports whether what precedes v[i] ends a string or a tag, or
// nothing does: the value opens with the expression, or a quote, ';' or '>' closes what
// the page had open. A DOM access after "{" or "=" is code quoted in a post, and one
// right after a backtick is inline code in Markdown (`document.querySelector('#id')`):
// JavaScript reads a word after a backtick as template text, or after a closing one
// as a syntax error, never as code ("`+document.cookie+`" breaks out with its '+').
func xssStrongBreakout(v string, i int) bool {
	k := i - 1
	for k >= 0 && isSpace(v[k]) {
		k--
	}
	if k < 0 {
		return true
	}
	switch v[k] {
	case '\'', '"', ';', '>', '+', '-', '|', '&':
		return true
	}
	return false
}

// xssSkipJSSpace skips whitespace and /* comments */.
func xssSkipJSSpace(v string, i int) int {
	for i < len(v) {
		switch {
		case isSpace(v[i]):
			i++
		case v[i] == '/' && i+1 < len(v) && v[i+1] == '*':
			// a comment longer than 256 bytes is not the spacing of a payload
			e := strings.Index(v[i+2:min(len(v), i+2+256)], "*/")
			if e < 0 {
				return i
			}
			i += e + 4
		default:
			return i
		}
	}
	return i
}

// xssComputedMember judges the computed member access opening at v[j] == '[': a call
// of it, a chained member, or a name that is hidden (escapes, concatenation, comments,
// regex sources, JSFuck) or sensitive.
func xssComputedMember(v string, j int, global bool) bool {
	depth := 0
	e := -1
	for k := j; k < len(v) && k < j+512; k++ {
		switch v[k] {
		case '[', '(':
			depth++
		case ']', ')':
			depth--
			if depth == 0 && v[k] == ']' {
				e = k
			}
		}
		if e >= 0 {
			break
		}
	}
	if e < 0 {
		return false
	}
	inner := v[j+1 : e]
	after := xssSkipJSSpace(v, e+1)
	if after < len(v) && (v[after] == '(' || v[after] == '`') {
		return true // window[...](...)
	}
	if !global {
		return false
	}
	if strings.Contains(inner, "\\x") || strings.Contains(inner, "\\u") || strings.Contains(inner, "'+'") || strings.Contains(inner, "\"+\"") ||
		strings.Contains(inner, "/*") || strings.Contains(inner, ".source") || strings.Contains(inner, "![]") || strings.Contains(inner, "\\1") {
		return true
	}
	name := strings.Trim(strings.TrimSpace(inner), `'"`)
	for _, p := range xssDOMSinks {
		if strings.EqualFold(name, p) {
			return true
		}
	}
	return after < len(v) && v[after] == '['
}

// xssTemplateEscape finds AngularJS and Vue sandbox escapes: the Function constructor
// reached through .constructor, or $eval/$on inside a {{ }} expression.
func xssTemplateEscape(v string) (string, bool) {
	if i := indexFold(v, "constructor"); i >= 0 {
		for off := i; off >= 0 && off < len(v); {
			k := xssSkipJSSpace(v, off+len("constructor"))
			if k < len(v) && v[k] == '(' && off > 0 && v[off-1] == '.' {
				a := xssSkipJSSpace(v, k+1)
				if a < len(v) && (v[a] == '\'' || v[a] == '"' || v[a] == '`') {
					return xssFrag(v, off), true // .constructor('alert(1)')
				}
			}
			if k < len(v) && v[k] == '.' {
				m := v[xssSkipJSSpace(v, k+1):]
				if hasPrefixFold(m, "constructor") || hasPrefixFold(m, "prototype") || hasPrefixFold(m, "fromcharcode") {
					// constructor.constructor, ''.constructor.prototype.charAt=[].join
					return xssFrag(v, off), true
				}
			}
			n := indexFold(v[off+1:], "constructor")
			if n < 0 {
				break
			}
			off += 1 + n
		}
	}
	if i := strings.Index(v, "{{"); i >= 0 {
		e := strings.Index(v[i:], "}}")
		if e < 0 {
			e = len(v) - i
		}
		expr := v[i : i+e]
		if strings.Contains(expr, "$eval") || strings.Contains(expr, "$on.") || strings.Contains(expr, "$emit") || strings.Contains(expr, "prototype") {
			return xssFrag(v, i), true
		}
	}
	return "", false
}

// xssTaggedCall finds a call of a function through a tagged template:
// [].sort.call`${alert}1`, or .call, .apply, .bind followed by an empty template.
func xssTaggedCall(v string) (string, bool) {
	for off := 0; off < len(v); {
		i := strings.IndexByte(v[off:], '`')
		if i < 0 {
			return "", false
		}
		i += off
		off = i + 1
		k := i - 1
		for k >= 0 && isSpace(v[k]) {
			k--
		}
		for _, m := range [...]string{"call", "apply", "bind"} {
			if k+1 >= len(m) && hasSuffixFold(v[:k+1], m) {
				p := k + 1 - len(m) - 1
				for p >= 0 && isSpace(v[p]) {
					p--
				}
				if p < 0 || v[p] != '.' {
					continue
				}
				a := i + 1
				for a < len(v) && isSpace(v[a]) {
					a++
				}
				if a < len(v) && (v[a] == '`' || v[a] == '$' && a+1 < len(v) && v[a+1] == '{') {
					return xssFrag(v, p), true
				}
			}
		}
	}
	return "", false
}

// xssJSFuck finds JSFuck: a run of []()!+ that builds values out of empty arrays,
// such as (![]+[])[+!![]] or +!![] ('+' may have become a space in a form). Markdown's
// ![](img.png) has one '!' and no '+'.
func xssJSFuck(v string) (string, bool) {
	run, start, bangs, plus, empty := 0, 0, 0, false, false
	for i := 0; i <= len(v); i++ {
		c := byte(0)
		if i < len(v) {
			c = v[i]
		}
		switch c {
		case '[', ']', '(', ')', '!', '+', '{', '}', ' ':
			if run == 0 {
				if c == ' ' {
					continue
				}
				start, bangs, plus, empty = i, 0, false, false
			}
			if c != ' ' {
				run++
			}
			switch c {
			case '!':
				bangs++
			case '+':
				plus = true
			case ']':
				if i > 0 && v[i-1] == '[' {
					empty = true
				}
			}
			continue
		}
		if run >= 5 && bangs > 0 && (plus || bangs >= 2) && empty {
			return xssFrag(v, start), true
		}
		run = 0
	}
	return "", false
}

// xssAltMarkup finds tags opened by a character that some decoding turns into '<':
// the fullwidth ＜ (IIS and .NET best-fit mapping), UTF-7 "+ADw-", and ¼ (0xBC, '<' with
// the high bit set, which 7-bit charsets strip). These spellings are rare; the value is
// normalised into a copy only when one is present.
func xssAltMarkup(v string) (string, bool) {
	if !strings.Contains(v, "\uff1c") && !strings.Contains(v, "+ADw-") && !strings.Contains(v, "+adw-") && !strings.Contains(v, "\u00bc") && !xssLoneHigh(v, 0) {
		return "", false
	}
	if i := indexFold(v, "+adw-"); i >= 0 && i+5 < len(v) && (isAlpha(v[i+5]) || hasPrefixFold(v[i+5:], "+ac8-")) {
		return xssFrag(v, i), true // markup in UTF-7: only a charset trick writes that
	}
	var b strings.Builder
	b.Grow(len(v))
	for i := 0; i < len(v); i++ {
		switch {
		case strings.HasPrefix(v[i:], "\uff1c"):
			b.WriteByte('<')
			i += 2
		case strings.HasPrefix(v[i:], "\uff1e"):
			b.WriteByte('>')
			i += 2
		case hasPrefixFold(v[i:], "+adw-"):
			b.WriteByte('<')
			i += 4
		case hasPrefixFold(v[i:], "+ad4-"):
			b.WriteByte('>')
			i += 4
		case hasPrefixFold(v[i:], "+aci-"):
			b.WriteByte('"')
			i += 4
		case v[i] == 0xc2 && i+1 < len(v) && (v[i+1] == 0xbc || v[i+1] == 0xbe || v[i+1] == 0xa2):
			b.WriteByte(v[i+1] & 0x7f)
			i++
		case (v[i] == 0xbc || v[i] == 0xbe || v[i] == 0xa2) && (i == 0 || v[i-1] < 0x80):
			b.WriteByte(v[i] & 0x7f)
		default:
			b.WriteByte(v[i])
		}
	}
	n := b.String()
	if _, ok := xssMarkup(n); ok {
		return xssFrag(v, 0), true
	}
	// ¼test¾...¼/test¾: a whole element in the 7-bit spelling
	if i := strings.Index(n, "</"); i > 0 && strings.IndexByte(n[:i], '<') >= 0 && strings.IndexByte(n[:i], '>') >= 0 && n != v {
		return xssFrag(v, 0), true
	}
	return "", false
}

// xssLoneHigh reports a byte 0xBC, 0xBE or 0xA2 at or after i that follows an ASCII
// byte: not part of a UTF-8 character (as it is in "，" or "м"), so a 7-bit '<', '>' or
// '"' with the high bit set.
func xssLoneHigh(v string, i int) bool {
	for ; i < len(v); i++ {
		if c := v[i]; (c == 0xbc || c == 0xbe || c == 0xa2) && (i == 0 || v[i-1] < 0x80) {
			return true
		}
	}
	return false
}

// xssFrag returns the fragment of v starting at i.
func xssFrag(v string, i int) string {
	return v[i:]
}

// xssExplained reports whether every piece of markup in v is harmless, so that a
// libinjection finding can be set aside: a doctype without a subset, an XML
// declaration, comments (an IE conditional one with a plain condition and its
// <![endif]: its content is read as markup), end tags, and elements whose every attribute is harmless,
// including <style>, <meta>, <link>, <noscript> and inline <svg>, which libinjection
// flags by name. Anything the tokeniser cannot place (a NUL in a tag name, <?import,
// <!ENTITY, an XSL element, an unknown data: URL) leaves the finding standing.
func xssExplained(v string) bool {
	scriptEnd := -1
	for off := 0; ; {
		k := indexFold(v[off:], "</script")
		if k < 0 {
			break
		}
		scriptEnd = off + k
		off += k + 1
	}
	for i := 0; i < len(v); i++ {
		if v[i] != '<' || i+1 >= len(v) {
			continue
		}
		j := i + 1
		switch c := v[j]; {
		case c == '!':
			if strings.HasPrefix(v[j:], "!--") {
				if strings.HasPrefix(v[j+3:], ">") || strings.HasPrefix(v[j+3:], "->") {
					i = strings.IndexByte(v[j:], '>') + j // <!--> and <!--->: empty comments
					continue
				}
				e := strings.Index(v[j+3:], "-->")
				if e < 0 {
					e = len(v) - j - 3
				}
				body := v[j+3 : j+3+e]
				if c := xssConditionEnd(body); c > 0 && indexFold(v[j+3+c:], "<![endif]") >= 0 {
					// <!--[if gte mso 9]>...<![endif]-->, <!--[if !mso]><!-->...<!--<![endif]-->:
					// what it hides or shows is judged as markup
					i = j + 3 + c - 1
					continue
				}
				if strings.IndexByte(body, '`') >= 0 || hasPrefixFold(strings.TrimSpace(body), "[if") || hasPrefixFold(body, "xml") || hasPrefixFold(body, "import") {
					return false
				}
				i = j + 3 + e
				continue
			}
			if hasPrefixFold(v[j:], "![cdata[") {
				continue
			}
			if !hasPrefixFold(v[j:], "!doctype") {
				if c := xssConditionEnd(v[j+1:]); c > 0 && indexFold(v[j+1+c:], "<![endif]") >= 0 {
					i = j + c // <![if !mso]>...<![endif]>: shown by every browser but old IE
					continue
				}
				// A bogus comment: random tokens hold "<!" too. Declarations are markup.
				if hasPrefixFold(v[j:], "!entity") || hasPrefixFold(v[j:], "!element") || hasPrefixFold(v[j:], "!attlist") || hasPrefixFold(v[j:], "![if") {
					return false
				}
				continue
			}
			if end, ok := doctypeSubsetOnly(v, j+8); ok {
				i = end // <!DOCTYPE note [<!ELEMENT note (#PCDATA)>]>
				continue
			}
			e := strings.IndexByte(v[j:], '>')
			if e < 0 {
				e = len(v) - j
			}
			// A doctype outside a subset sets a document's mode at most: one of any
			// shape runs nothing ("<!DOCTYPE "... is not valid JSON, Chrome's message for
			// an HTML page read as JSON). A subset ('['), markup, or an entity or parameter
			// reference is not placed here.
			if decl := v[j+8 : j+e]; strings.ContainsAny(decl, "[<&%`") {
				return false
			}
			i = j + e
		case c == '?':
			if !(hasPrefixFold(v[j:], "?xml") && j+4 < len(v) && (isSpace(v[j+4]) || v[j+4] == '?')) {
				if hasPrefixFold(v[j:], "?xml") || hasPrefixFold(v[j:], "?import") {
					return false // <?xml-stylesheet, <?xml:namespace, <?import
				}
				continue // <?php and other processing instructions: not markup that runs
			}
		case c == '/':
			continue
		case isAlpha(c):
			ok, next := xssTagExplained(v, j, scriptEnd)
			if !ok {
				return false
			}
			i = next - 1
		}
	}
	return true
}

// xssConditionEnd reads an IE conditional comment's condition at the start of s
// ("[if gte mso 9]>", "[if !IE]>", "[if (gte mso 9)|(IE)]>", as Word, Outlook and email
// templates write them) and returns the index after its '>', or 0 when s opens with
// none. A condition with anything else in it (<!--[if<img src=x onerror=...]>) is no
// condition. Its callers also want the "<![endif]" that closes it: pasted HTML brings
// the block whole, a lone "<!--[if gte IE 4]>" is a piece of a payload.
func xssConditionEnd(s string) int {
	if !hasPrefixFold(s, "[if") || len(s) < 4 || s[3] != ' ' {
		return 0
	}
	for i := 4; i < len(s); i++ {
		switch c := s[i]; {
		case c == ']':
			if i+1 < len(s) && s[i+1] == '>' && i > 4 {
				return i + 2
			}
			return 0
		case isAlnum(c) || c == ' ' || c == '!' || c == '(' || c == ')' || c == '|' || c == '&' || c == '.':
		default:
			return 0
		}
	}
	return 0
}

// doctypeSubsetOnly reads, from v[i] (after "<!DOCTYPE"), a root element name, maybe
// an external DTD's identifiers, and an internal subset that declares only elements and attribute lists whose defaults hold
// no markup (<!ELEMENT note (#PCDATA)>, <!ATTLIST note lang CDATA "en">), and comments:
// a validating schema, which runs nothing; and entities whose literal values hold no
// markup. It returns the index of the closing '>'. Whether an entity reads a file or a
// URL is XXE's to judge.
func doctypeSubsetOnly(v string, i int) (int, bool) {
	k := skipSpaces(v, i)
	n := k
	for n < len(v) && (isIdent(v[n]) || v[n] == ':' || v[n] == '-' || v[n] == '.') {
		n++
	}
	if n == k || n == i {
		return 0, false
	}
	k = skipSpaces(v, n)
	// An external DTD may come first: PUBLIC "id" "uri" or SYSTEM "uri".
	literals := 0
	if hasPrefixFold(v[k:], "public") {
		literals = 2
	} else if hasPrefixFold(v[k:], "system") {
		literals = 1
	}
	if literals > 0 {
		k += 6
	}
	for ; literals > 0; literals-- {
		k = skipSpaces(v, k)
		lit, ok := quoted(v, k)
		if !ok || k+len(lit)+2 > len(v) || strings.ContainsAny(lit, "<>") {
			return 0, false
		}
		k += len(lit) + 2
	}
	k = skipSpaces(v, k)
	if k >= len(v) || v[k] != '[' {
		return 0, false
	}
	k++
	for decls := 0; decls < 256; decls++ {
		k = skipSpaces(v, k)
		switch {
		case k >= len(v):
			return 0, false
		case v[k] == ']':
			e := skipSpaces(v, k+1)
			if e < len(v) && v[e] == '>' && decls > 0 {
				return e, true
			}
			return 0, false
		case strings.HasPrefix(v[k:], "<!--"):
			e := strings.Index(v[k+4:], "-->")
			if e < 0 {
				return 0, false
			}
			k += 4 + e + 3
		case hasPrefixFold(v[k:], "<!element") || hasPrefixFold(v[k:], "<!attlist"):
			attlist := hasPrefixFold(v[k:], "<!attlist")
			k += 9
			for k < len(v) && v[k] != '>' {
				switch c := v[k]; c {
				case '"', '\'':
					q := strings.IndexByte(v[k+1:], c)
					if q < 0 || strings.ContainsAny(v[k+1:k+1+q], "<>&%():") {
						return 0, false // markup, a call or a URL as a default value
					}
					k += q + 2
				case 'o', 'O':
					if attlist && isSpace(v[k-1]) && k+1 < len(v) && (v[k+1] == 'n' || v[k+1] == 'N') {
						return 0, false // an event handler attribute (onload) given a default
					}
					k++
				case '<', '&', '%', '[', ']':
					return 0, false
				default:
					k++
				}
			}
			if k >= len(v) {
				return 0, false
			}
			k++
		case hasPrefixFold(v[k:], "<!entity"):
			// A literal entity (Illustrator's namespaces, an EPUB's &nbsp;): text
			// without markup. Whether an entity reads anything is XXE's to judge.
			k = skipSpaces(v, k+8)
			for k < len(v) && !isSpace(v[k]) && v[k] != '"' && v[k] != '\'' && v[k] != '>' && v[k] != '%' {
				k++
			}
			k = skipSpaces(v, k)
			val, ok := quoted(v, k)
			if !ok || k+len(val)+2 > len(v) || strings.ContainsAny(val, "<>%") || !onlyCharRefs(val) {
				return 0, false
			}
			k = skipSpaces(v, k+len(val)+2)
			if k >= len(v) || v[k] != '>' {
				return 0, false
			}
			k++
		default:
			return 0, false
		}
	}
	return 0, false
}

// xssTagExplained judges one start tag whose name begins at v[j]. next is where the
// scan resumes: after the content of a <style> element.
func xssTagExplained(v string, j, scriptEnd int) (ok bool, next int) {
	next = j
	return xssTagExplainedNext(v, j, scriptEnd, &next), next
}

func xssTagExplainedNext(v string, j, scriptEnd int, next *int) bool {
	start := j
	for j < len(v) && xssTagByte(v[j]) {
		j++
	}
	if j < len(v) && (v[j] == 0 || v[j] == '\\' && j+1 < len(v) && v[j+1] == '0') {
		return false // <scr\0ipt
	}
	full := v[start:j]
	name := full
	if k := strings.LastIndexByte(name, ':'); k >= 0 {
		name = name[k+1:]
	}
	body, closed := xssTagBody(v, j)
	switch {
	case hasPrefixFold(full, "xsl") || hasPrefixFold(name, "xsl"):
		return false
	case strings.EqualFold(name, "meta"):
		if indexFold(body, "http-equiv") >= 0 && !xssMetaEquivHarmless(body) {
			return false
		}
		for i := 0; i >= 0 && i < len(body); {
			var a xssAttr
			a, i = xssNextAttr(body, i)
			if i >= 0 && strings.EqualFold(a.name, "charset") && !xssCommonCharset(a.value) {
				return false
			}
		}
	case strings.EqualFold(name, "link"):
		if xssAttrIs(body, "rel", "import") || xssAttrIs(body, "rel", "stylesheet") && xssAttrIs(body, "href", "//") {
			return false // a style sheet from elsewhere restyles or exfiltrates the page
		}
	case strings.EqualFold(name, "style"):
		if !closed {
			break
		}
		lim := min(len(v), j+8192) // a style sheet longer than that is judged on its start
		end := indexFold(v[j:lim], "</style")
		if end < 0 {
			end = lim - j
		}
		if !xssCSSExplained(v[j+len(body) : j+end]) {
			return false
		}
		*next = j + end
	case strings.EqualFold(name, "noscript"):
	default:
		for _, t := range xssCodeTags {
			if strings.EqualFold(name, t) && xssCodeTagRuns(v, start-1, j, t, body, closed, scriptEnd) {
				return false // "<script" alone, searched for, loads nothing
			}
		}
		if strings.EqualFold(name, "comment") || strings.EqualFold(name, "xss") {
			return false
		}
	}
	for i := 0; i >= 0 && i < len(body); {
		var a xssAttr
		a, i = xssNextAttr(body, i)
		if i < 0 {
			break
		}
		if !xssAttrExplained(a) {
			return false
		}
	}
	return true
}

// xssAttrExplained reports a harmless attribute.
func xssAttrExplained(a xssAttr) bool {
	name := a.name
	if !a.hasValue {
		return true
	}
	local := name
	if k := strings.LastIndexByte(local, ':'); k >= 0 {
		local = local[k+1:]
	}
	val := xssAttrValue(a.value)
	switch {
	case len(local) > 4 && hasPrefixFold(local, "on"):
		return xssJSXValue(a.value) // JSX: onClick={(e) => f(e)}
	case strings.EqualFold(local, "style") || strings.EqualFold(local, "filter"):
		return xssCSSExplained(a.value)
	case hasPrefixFold(name, "xmlns") || hasPrefixFold(name, "xlink") && !strings.EqualFold(local, "href"):
		return val == "" || hasPrefixFold(val, "http://") || hasPrefixFold(val, "https://") || hasPrefixFold(val, "urn:") ||
			xmlEntityRef(val) // xmlns:x="&ns_extend;": the namespace an entity declares (Illustrator)
	case strings.EqualFold(local, "datasrc") || strings.EqualFold(local, "dataformatas") || strings.EqualFold(local, "datafld") ||
		strings.EqualFold(local, "attributename") || strings.EqualFold(local, "srcdoc"):
		return false
	}
	if hasPrefixFold(val, "data:") {
		rest := strings.TrimSpace(val[5:])
		for _, t := range [...]string{"image/png", "image/jpeg", "image/jpg", "image/gif", "image/webp", "image/bmp", "image/x-icon", "image/avif", "font/", "application/font", "application/x-font"} {
			if hasPrefixFold(rest, t) {
				return true
			}
		}
		return false
	}
	if hasPrefixFold(val, "view-source:") || hasPrefixFold(val, "javascript") || hasPrefixFold(val, "vbscript") {
		return false
	}
	_, active := xssSchemeAt(val)
	return !active
}

// xmlEntityRef reports a value that is one reference to a named entity, "&ns_ai;".
func xmlEntityRef(v string) bool {
	if len(v) < 3 || v[0] != '&' || v[len(v)-1] != ';' || !isAlpha(v[1]) && v[1] != '_' {
		return false
	}
	for i := 2; i < len(v)-1; i++ {
		if c := v[i]; !(isAlnum(c) || c == '_' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}

// xssCSSExplained reports CSS that cannot run script: no active construct, no CSS
// escapes hiding a word (\6a), no comment markup, and url() only to ordinary resources
// (not .svg, .htc, .xml, .xbl, data:).
func xssCSSExplained(css string) bool {
	if xssActiveCSS(css) || strings.Contains(css, "<!") || indexFold(css, "binding") >= 0 {
		return false
	}
	for i := 0; i+1 < len(css); i++ {
		if css[i] == '\\' && (isHexDigit(css[i+1]) || isAlpha(css[i+1]) && strings.IndexByte("nrtubfNRTUBF", css[i+1]) < 0) {
			return false // a CSS escape (\6a, \K) hides a word; \n is JSON's
		}
	}
	for off := 0; off < len(css); {
		k := indexFold(css[off:], "url(")
		if k < 0 {
			break
		}
		k += off + 4
		e := strings.IndexByte(css[k:], ')')
		if e < 0 {
			e = len(css) - k
		}
		u := strings.ToLower(strings.Trim(strings.TrimSpace(css[k:k+e]), `'"\`))
		if strings.ContainsAny(u, "[]{};*( \t") || strings.Contains(u, "&#") {
			return false // a URL that breaks out of the CSS parser's idea of it
		}
		if strings.HasPrefix(u, "data:") && !strings.HasPrefix(u, "data:image/png") && !strings.HasPrefix(u, "data:image/jpeg") && !strings.HasPrefix(u, "data:image/gif") {
			return false
		}
		if p := strings.IndexAny(u, "?#"); p >= 0 {
			u = u[:p]
		}
		for _, ext := range [...]string{".svg", ".htc", ".xml", ".xbl", ".xsl"} {
			if strings.HasSuffix(u, ext) {
				return false
			}
		}
		off = k + e
	}
	return true
}

// xssCommonCharset reports a charset a page legitimately declares and that cannot
// shift the page into another script: one in which every byte below 0x80 is the ASCII
// character, whatever came before it (UTF-8, US-ASCII, ISO-8859-*, windows-125*,
// KOI8, EUC-JP, EUC-KR, GB2312, and GBK, GB18030, Big5 and Shift_JIS, whose second
// bytes can take a backslash but never a quote or '<'). ISO-2022-* (an escape sequence
// turns the ASCII bytes after it into Japanese, Korean or Chinese, swallowing quotes
// and markup), HZ-GB-2312 ("~{" does the same), UTF-7 (+ADw- is '<'), UTF-16 and
// UTF-32 (ASCII bytes mean other characters), the x-* names and any charset not listed
// count. cs is what follows "charset=", up to a ';', ',' or space.
func xssCommonCharset(cs string) bool {
	cs = strings.ToLower(strings.TrimLeft(cs, `"' `))
	if e := strings.IndexAny(cs, ";, \t\n\r\"'"); e >= 0 {
		cs = cs[:e]
	}
	cs = strings.ReplaceAll(cs, "_", "-")
	for _, p := range [...]string{"iso-8859-", "iso8859-", "windows-125", "cp125", "latin"} {
		if strings.HasPrefix(cs, p) && len(cs) > len(p) && isDigit(cs[len(p)]) {
			return true // iso-8859-1, windows-1252, cp1251, latin1
		}
	}
	switch cs {
	case "utf-8", "utf8", "unicode-1-1-utf-8", "us-ascii", "ascii", "ansi-x3.4-1968", "iso-ir-100", "l1",
		"koi8-r", "koi8-u", "koi8-ru", "ibm866", "cp866", "tis-620", "windows-874", "macintosh", "mac",
		"euc-jp", "euc-kr", "ks-c-5601-1987", "gb2312", "gbk", "gb18030", "big5", "big5-hkscs", "cp936",
		"shift-jis", "sjis", "windows-31j", "cp932", "ms932", "cp949", "windows-949":
		return true
	}
	return false
}

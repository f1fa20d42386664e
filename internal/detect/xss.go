package detect

import (
	"strings"

	"github.com/corazawaf/libinjection-go"

	"github.com/rampartwaf/rampart/internal/request"
)

// Cross-site scripting: Rampart's own markup checks first, then libinjection's HTML5
// tokeniser.
//
// The own checks look for what runs script, not for markup as such, so rich text
// (<b>, <div class="note">, markdown code with <div>) and comparisons (a < b > c) pass:
//   - a tag carrying an event handler attribute (<x onxxx=1, <svg/onload=...), even left
//     unclosed, or srcdoc;
//   - tags that load or run code: <script, <iframe, <object, <embed, <applet, <base,
//     <meta http-equiv, <frame;
//   - script URLs: javascript:, vbscript:, data:text/html and other active data: types,
//     with the whitespace browsers ignore inside the scheme (java\tscript:);
//   - a JavaScript breakout into a sink: '-alert(1)-', ";confirm`1`//, (alert)(1).
//
// libinjection flags any style attribute or <style> element; CSS that cannot run script
// (no expression(), url(javascript:), behavior, -moz-binding) is not held against a
// value, since rich-text editors send style attributes all the time.

func init() { registerValue(XSS, matchXSS) }

func matchXSS(_ *request.Param, v string) (string, bool) {
	if !xssCandidate(v) {
		return "", false
	}
	if frag, ok := xssMarkup(v); ok {
		return frag, true
	}
	if frag, ok := xssAttrBreakout(v); ok {
		return frag, true
	}
	if frag, ok := xssScheme(v); ok {
		return frag, true
	}
	if frag, ok := xssJSBreakout(v); ok {
		return frag, true
	}
	if strings.IndexByte(v, '<') >= 0 && libinjection.IsXSS(v) && !xssOnlyStyle(v) {
		return v, true
	}
	return "", false
}

// xssCandidate is the prefilter: script needs markup ('<'), a scheme (':'), or a call
// ('(' or a backtick).
func xssCandidate(v string) bool {
	return strings.ContainsAny(v, "<:(`")
}

func lower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func hasPrefixFoldASCII(s, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		if lower(s[i]) != prefix[i] {
			return false
		}
	}
	return true
}

func xssTagByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == ':' || c == '-' || c == '_'
}

// xssCodeTags are elements that load or run code by themselves.
var xssCodeTags = [...]string{"script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "import", "portal", "link", "layer", "ilayer", "bgsound"}

// xssMarkup scans the tags of v: an element that runs code, or any element with an
// event handler, srcdoc, or a script URL in a URL attribute.
func xssMarkup(v string) (string, bool) {
	for i := 0; i < len(v); i++ {
		if v[i] != '<' {
			continue
		}
		j := i + 1
		if j < len(v) && v[j] == '/' {
			continue
		}
		start := j
		for j < len(v) && xssTagByte(v[j]) {
			j++
		}
		if j == start || !sqlIsAlpha(v[start]) {
			continue
		}
		name := v[start:j]
		if k := strings.LastIndexByte(name, ':'); k >= 0 {
			name = name[k+1:] // <x:script>
		}
		for _, t := range xssCodeTags {
			if sqlEqFold(name, t) && (j == len(v) || !xssTagByte(v[j])) {
				return xssFrag(v, i), true
			}
		}
		if sqlEqFold(name, "meta") && strings.Contains(strings.ToLower(xssTagBody(v, j)), "http-equiv") {
			return xssFrag(v, i), true
		}
		if xssAttrs(xssTagBody(v, j)) {
			return xssFrag(v, i), true
		}
	}
	return "", false
}

// xssTagBody returns the attribute text of a tag whose name ends at v[j]: up to the
// closing '>' outside quotes, or the end of the value (an unclosed tag still counts:
// the page supplies the '>').
func xssTagBody(v string, j int) string {
	var quote byte
	for k := j; k < len(v); k++ {
		c := v[k]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'' || c == '`':
			quote = c
		case c == '>':
			return v[j:k]
		}
	}
	return v[j:]
}

// xssAttrs reports whether attribute text holds an event handler (on...=), srcdoc=, a
// script URL in any attribute, or CSS that runs script.
func xssAttrs(body string) bool {
	for i := 0; i < len(body); i++ {
		c := body[i]
		// an attribute name starts after whitespace, '/', a quote, or at the start
		if i > 0 {
			p := body[i-1]
			if !(sqlIsSpace(p) || p == '/' || p == '"' || p == '\'' || p == '`') {
				continue
			}
		}
		if !sqlIsAlpha(c) {
			continue
		}
		j := i
		for j < len(body) && (xssTagByte(body[j]) || body[j] == '.') {
			j++
		}
		name := body[i:j]
		k := j
		for k < len(body) && sqlIsSpace(body[k]) {
			k++
		}
		if k >= len(body) || body[k] != '=' {
			i = j - 1
			continue
		}
		if k2 := strings.LastIndexByte(name, ':'); k2 >= 0 {
			name = name[k2+1:] // ev:handler, xlink:href
		}
		if len(name) > 4 && hasPrefixFoldASCII(name, "on") || sqlEqFold(name, "srcdoc") || sqlEqFold(name, "handler") {
			return true
		}
		val := xssAttrValue(body[k+1:])
		if _, ok := xssSchemeAt(val); ok {
			return true
		}
		if sqlEqFold(name, "style") && xssActiveCSS(val) {
			return true
		}
		i = k
	}
	return false
}

// xssAttrBreakout finds an attribute injected after a quote that closes the
// application's attribute value: " onmouseover="..." or ' autofocus onfocus=alert(1) '.
func xssAttrBreakout(v string) (string, bool) {
	for i := 0; i < len(v); i++ {
		if v[i] != '"' && v[i] != '\'' {
			continue
		}
		j := i + 1
		if j >= len(v) || !(sqlIsSpace(v[j]) || v[j] == '/') {
			continue
		}
		if xssHandlerAttr(v[j:]) {
			return xssFrag(v, i), true
		}
	}
	return "", false
}

// xssHandlerAttr reports whether text starting at an attribute boundary carries an
// event handler attribute within its first few attributes.
func xssHandlerAttr(s string) bool {
	for i := 0; i < len(s) && i < 256; i++ {
		if !(sqlIsSpace(s[i]) || s[i] == '/') || i+1 >= len(s) {
			continue
		}
		j := i + 1
		for j < len(s) && sqlIsAlpha(s[j]) {
			j++
		}
		name := s[i+1 : j]
		for j < len(s) && sqlIsSpace(s[j]) {
			j++
		}
		if len(name) > 4 && hasPrefixFoldASCII(name, "on") && j < len(s) && s[j] == '=' {
			return true
		}
	}
	return false
}

// xssAttrValue returns the start of an attribute value with quotes and spaces skipped.
func xssAttrValue(s string) string {
	i := 0
	for i < len(s) && (sqlIsSpace(s[i]) || s[i] == '"' || s[i] == '\'' || s[i] == '`') {
		i++
	}
	return s[i:]
}

// xssActiveCSS reports CSS that can run script in some browser.
func xssActiveCSS(css string) bool {
	l := strings.ToLower(css)
	return strings.Contains(l, "expression(") || strings.Contains(l, "javascript:") || strings.Contains(l, "behavior:") ||
		strings.Contains(l, "-moz-binding") || strings.Contains(l, "@import") || strings.Contains(l, "vbscript:")
}

// xssOnlyStyle reports whether the only markup libinjection could object to is styling:
// style attributes or <style> elements without active CSS, and no other tag that
// the own checks would not already have judged.
func xssOnlyStyle(v string) bool {
	l := strings.ToLower(v)
	if !strings.Contains(l, "style") {
		return false
	}
	// CSS escapes (\6a for 'j') only serve to hide a word.
	return !xssActiveCSS(l) && !strings.Contains(l, "<!") && !strings.Contains(l, "url(") && !strings.Contains(l, "\\")
}

// xssSchemes are URL schemes that run script, compared after dropping the whitespace and
// control characters browsers ignore inside a scheme.
var xssSchemes = [...]string{"javascript:", "vbscript:", "livescript:"}

// xssActiveData are data: media types a browser renders as a document or script.
var xssActiveData = [...]string{"text/html", "image/svg+xml", "text/xml", "application/xhtml", "application/javascript", "text/javascript", "application/x-shockwave-flash"}

// xssSchemeAt reports whether s starts with a script URL and returns its length.
func xssSchemeAt(s string) (int, bool) {
	for _, sc := range xssSchemes {
		n, ok := xssMatchLoose(s, sc)
		if !ok {
			continue
		}
		rest := strings.TrimLeft(s[n:], " \t")
		if rest == "" || rest[0] == ';' || hasPrefixFoldASCII(rest, "void(0)") || hasPrefixFoldASCII(rest, "void 0") {
			return 0, false
		}
		if len(rest) < len(s)-n && !strings.ContainsAny(rest, "(`=") {
			return 0, false // "javascript: a guide" is prose; script after a space calls something
		}
		return n, true
	}
	if n, ok := xssMatchLoose(s, "data:"); ok {
		rest := s[n:]
		for _, t := range xssActiveData {
			if hasPrefixFoldASCII(strings.TrimLeft(rest, " \t"), t) {
				return n, true
			}
		}
	}
	return 0, false
}

// xssMatchLoose matches lower-case word w at the start of s, skipping the control and
// space characters a browser strips from a URL scheme. It returns the bytes consumed.
func xssMatchLoose(s, w string) (int, bool) {
	i := 0
	for k := 0; k < len(w); k++ {
		for i < len(s) && (s[i] <= ' ' && k > 0) {
			i++
		}
		if i >= len(s) || lower(s[i]) != w[k] {
			return 0, false
		}
		i++
	}
	return i, true
}

// xssScheme finds a script URL anywhere in v at a word start: a redirect parameter,
// a link in a comment, an attribute value already split out by a parser.
func xssScheme(v string) (string, bool) {
	for i := 0; i < len(v); i++ {
		c := lower(v[i])
		if c != 'j' && c != 'v' && c != 'l' && c != 'd' {
			continue
		}
		if i > 0 && sqlIsIdent(v[i-1]) {
			continue
		}
		if _, ok := xssSchemeAt(v[i:]); ok {
			return xssFrag(v, i), true
		}
	}
	return "", false
}

// xssSinks are the functions a script injection calls to prove or use itself.
var xssSinks = [...]string{"alert", "prompt", "confirm", "eval", "settimeout", "setinterval", "function", "fromcharcode", "atob"}

// xssJSBreakout finds a call to a script sink that follows a breakout out of a
// JavaScript string or statement ('-alert(1)-', ";confirm(1)//, </script>) or makes up
// the whole value (alert`1`, (alert)(1)). "Please alert(me)" is prose: the sink follows
// a word.
func xssJSBreakout(v string) (string, bool) {
	l := len(v)
	for i := 0; i < l; i++ {
		c := lower(v[i])
		if c != 'a' && c != 'p' && c != 'c' && c != 'e' && c != 's' && c != 'f' {
			continue
		}
		if i > 0 && (sqlIsIdent(v[i-1]) || v[i-1] == '$') {
			continue
		}
		for _, s := range xssSinks {
			if !hasPrefixFoldASCII(v[i:], s) {
				continue
			}
			j := i + len(s)
			if j < l && (sqlIsIdent(v[j]) || v[j] == '$') {
				break
			}
			if j >= l || !(v[j] == '(' || v[j] == '`' || v[j] == ')') || s == "function" && v[j] != '`' {
				break // function(...) declarations are everywhere in code samples
			}
			if v[j] == ')' && !xssSinkAsValue(v, i, j) {
				break
			}
			if xssBreakoutBefore(v, i) {
				return xssFrag(v, i), true
			}
			break
		}
	}
	return "", false
}

// xssSinkAsValue reports whether the sink name at v[i:j], followed by ')', is passed or
// called as a value: (alert)(1), [1].find(alert). "(confirm)" in prose is neither.
func xssSinkAsValue(v string, i, j int) bool {
	if j+1 < len(v) && v[j+1] == '(' {
		return true
	}
	return i >= 2 && v[i-1] == '(' && (sqlIsIdent(v[i-2]) || v[i-2] == ']' || v[i-2] == '.')
}

// xssBreakoutBefore reports whether what precedes v[i] (spaces skipped) ends a string or
// statement, or opens an expression: a quote, an operator, a bracket, or nothing.
func xssBreakoutBefore(v string, i int) bool {
	k := i - 1
	for k >= 0 && sqlIsSpace(v[k]) {
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

// xssFrag returns the fragment of v starting at i.
func xssFrag(v string, i int) string {
	return v[i:]
}

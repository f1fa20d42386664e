package detect

import (
	"strings"

	"github.com/rampartwaf/rampart/internal/request"
)

// XXE: XML external entities and the other ways an XML document makes its parser read a
// file or a URL. It runs on every value: an XML body reaches it as the parameter
// "!DOCTYPE" (the whole declaration, internal subset included, see parse/xml.go; a
// DOCTYPE without an internal subset is a markup declaration, Param.Decl, which XXE
// alone judges) and the element texts; XML pasted into a query, form or JSON field, or
// uploaded as a file, is read the same way.
//
// A value matches when it holds:
//
//   - an entity declaration with a SYSTEM or PUBLIC identifier, <!ENTITY x SYSTEM
//     "file:///etc/passwd">, or a parameter entity, <!ENTITY % x ...> (out-of-band
//     exfiltration goes through them);
//   - a DOCTYPE with an internal subset that declares entities (in-band XXE probes,
//     billion laughs), <!DOCTYPE x [<!ENTITY y "...">]>, but for an SVG document whose
//     entities are all literal text without references or markup (Adobe Illustrator
//     declares its namespaces so in every SVG it saves; see literalEntities);
//   - a DOCTYPE naming an external DTD, <!DOCTYPE x SYSTEM "http://evil/x.dtd">, other
//     than the DTDs of well-known document types on their publishers' sites (W3C,
//     Apple, OASIS, Java EE, Spring...; see publicDTD), which documents name by habit;
//   - XInclude, <xi:include href="file:///etc/passwd"/> or its namespace;
//   - an XSLT stylesheet that reads files or calls code: document(), unparsed-text(),
//     xsl:include/xsl:import, php:function, msxsl:script, Java extension calls.
//
// In a parsed XML body an XInclude is seen in the parameter names (parse/xml.go turns
// elements and attributes into paths): an "...include.@href" attribute or the XInclude
// namespace declared.
//
// Not detected: an entity reference alone ("&foo;", "%foo;"), XML without a DOCTYPE,
// XPath expressions, and markup that is an XSS or code injection, which the families of
// those attacks judge.

func init() { registerValue(XXE, matchXXE) }

func matchXXE(p *request.Param, v string) (string, bool) {
	if p.Source == request.SourceXML {
		// In a parsed XML body, an XInclude shows in the names: the namespace
		// declaration's value, or an include element's href ("r.xi:include.@href").
		if hasSuffixFold(p.Name, "include.@href") || strings.Contains(p.Name, ".@xmlns") && hasSuffixFold(v, "/2001/xinclude") {
			return fragment(v), true
		}
	}
	lt := strings.IndexByte(v, '<')
	if lt < 0 || len(v)-lt < 8 {
		return "", false
	}
	if k := indexFold(v[lt:], "/2001/xinclude"); k >= 0 {
		return around(v, lt+k, lt+k+14), true // the XInclude namespace, whatever its prefix
	}
	for i := lt; i >= 0 && i < len(v); {
		rest := v[i:]
		switch {
		case hasPrefixFold(rest, "<!entity"):
			if f, ok := entityDecl(v, i); ok {
				return f, true
			}
		case hasPrefixFold(rest, "<!doctype"):
			if f, ok := doctypeDecl(v, i); ok {
				return f, true
			}
		case len(rest) > 1 && rest[1] != '!' && rest[1] != '/':
			if f, ok := xincludeOrXSLT(v, i); ok {
				return f, true
			}
		}
		j := strings.IndexByte(v[i+1:], '<')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return "", false
}

// entityDecl judges "<!ENTITY" at i: a parameter entity, or an external one.
func entityDecl(v string, i int) (string, bool) {
	j := skipSpaces(v, i+8)
	if j == i+8 {
		return "", false
	}
	if j < len(v) && v[j] == '%' {
		return around(v, i, j+1), true
	}
	// The entity's name, then SYSTEM or PUBLIC.
	for j < len(v) && !isSpace(v[j]) && v[j] != '>' && v[j] != '"' && v[j] != '\'' {
		j++
	}
	j = skipSpaces(v, j)
	if hasPrefixFold(v[j:], "system") || hasPrefixFold(v[j:], "public") {
		return around(v, i, j+6), true
	}
	return "", false
}

// doctypeDecl judges "<!DOCTYPE" at i: an external DTD that is not a well-known public
// one, or an internal subset that declares entities.
func doctypeDecl(v string, i int) (string, bool) {
	j := skipSpaces(v, i+9)
	root := j
	for j < len(v) && !isSpace(v[j]) && v[j] != '[' && v[j] != '>' {
		j++
	}
	// SVG and XHTML (EPUB) documents declare literal entities by habit; see below.
	habit := strings.EqualFold(v[root:j], "svg") || strings.EqualFold(v[root:j], "html")
	j = skipSpaces(v, j)
	switch {
	case hasPrefixFold(v[j:], "system"):
		uri, ok := quoted(v, skipSpaces(v, j+6))
		if ok && !publicDTD(uri) {
			return around(v, i, j+6), true
		}
	case hasPrefixFold(v[j:], "public"):
		k := skipSpaces(v, j+6)
		if id, ok := quoted(v, k); ok {
			k = skipSpaces(v, k+len(id)+2)
			if uri, ok := quoted(v, k); ok && !publicDTD(uri) {
				return around(v, i, j+6), true
			}
		}
	}
	// The internal subset: an entity declared in it.
	open := strings.IndexByte(v[i:], '[')
	end := strings.IndexByte(v[i:], '>')
	if open < 0 || end >= 0 && end < open {
		return "", false
	}
	if e := indexFold(v[i+open:], "<!entity"); e >= 0 {
		if habit && literalEntities(v[i+open:]) {
			return "", false
		}
		return around(v, i, i+open+e+8), true
	}
	return "", false
}

// literalEntities reports whether every entity the internal subset at the start of s
// declares (up to its closing "]>") is a general entity with a literal value that
// refers to no entity and holds no markup: <!ENTITY ns_ai "http://ns.adobe.com/...">,
// as Adobe Illustrator writes into every SVG it saves to use in xmlns attributes, or
// <!ENTITY nbsp "&#160;"> in an EPUB's XHTML (character references are allowed). Such
// an entity reads nothing and expands to nothing larger than itself.
func literalEntities(s string) bool {
	end := len(s)
	for k := 0; k < len(s); k++ {
		if s[k] == ']' {
			if m := skipSpaces(s, k+1); m < len(s) && s[m] == '>' {
				end = k
				break
			}
		}
	}
	s = s[:end]
	for {
		e := indexFold(s, "<!entity")
		if e < 0 {
			return true
		}
		j := skipSpaces(s, e+8)
		if j == e+8 || j >= len(s) || s[j] == '%' {
			return false
		}
		for j < len(s) && !isSpace(s[j]) && s[j] != '"' && s[j] != '\'' && s[j] != '>' {
			j++
		}
		j = skipSpaces(s, j)
		val, ok := quoted(s, j)
		if !ok || j+len(val)+2 > len(s) || len(val) > maxLiteralEntity || strings.ContainsAny(val, "%<") || !onlyCharRefs(val) {
			return false
		}
		j = skipSpaces(s, j+len(val)+2)
		if j >= len(s) || s[j] != '>' {
			return false
		}
		s = s[j+1:]
	}
}

// maxLiteralEntity is the longest literal entity value literalEntities lets pass: a
// namespace URI or a character is short; a long value referenced many times is a
// quadratic blowup (a 20,000-byte entity used 20,000 times), which parsers without an
// expansion limit choke on.
const maxLiteralEntity = 256

// onlyCharRefs reports whether every '&' in s opens a character reference (&#160;,
// &#xA0;), not an entity reference.
func onlyCharRefs(s string) bool {
	for i := strings.IndexByte(s, '&'); i >= 0; i = strings.IndexByte(s, '&') {
		s = s[i+1:]
		if len(s) < 3 || s[0] != '#' {
			return false
		}
		j := 1
		if s[1] == 'x' || s[1] == 'X' {
			j = 2
		}
		k := j
		for k < len(s) && (isDigit(s[k]) || j == 2 && isHexDigit(s[k])) {
			k++
		}
		if k == j || k >= len(s) || s[k] != ';' {
			return false
		}
		s = s[k+1:]
	}
	return true
}

// quoted returns the quoted literal starting at v[i] ('"' or '\”).
func quoted(v string, i int) (string, bool) {
	if i >= len(v) || v[i] != '"' && v[i] != '\'' {
		return "", false
	}
	end := strings.IndexByte(v[i+1:], v[i])
	if end < 0 {
		return v[i+1:], true
	}
	return v[i+1 : i+1+end], true
}

// publicDTD reports whether uri is the DTD of a well-known document type, on the site
// of the body that publishes it (W3C: XHTML, SVG, MathML; Apple property lists; OASIS
// DocBook; Java EE, Spring, Hibernate, MyBatis, Struts and log4j configuration; RSS
// 0.91): documents carry these doctypes by habit, and parsers ship catalogs for them.
// The host decides, not the public identifier, which an attacker writes as they like.
// HTML's "about:legacy-compat" and a bare local file name (localDTDName) count too.
func publicDTD(uri string) bool {
	if uri == "about:legacy-compat" || localDTDName(uri) {
		return true
	}
	rest, ok := strings.CutPrefix(uri, "http://")
	if !ok {
		if rest, ok = strings.CutPrefix(uri, "https://"); !ok {
			return false
		}
	}
	if strings.Contains(rest, "..") || strings.ContainsAny(rest, "?#%@\\") {
		return false
	}
	host, _, _ := strings.Cut(rest, "/")
	return equalFoldAny(host, dtdHosts) && !strings.EqualFold(host, rest)
}

// localDTDName reports a DTD named by a bare file name ("topic.dtd", as DITA and
// DocBook documents name theirs): it resolves next to the document, names no scheme, no
// host and no other directory, so it reads nothing an attacker chose.
func localDTDName(uri string) bool {
	if !hasSuffixFold(uri, ".dtd") || len(uri) > 64 {
		return false
	}
	for i := 0; i < len(uri); i++ {
		if c := uri[i]; !(isAlnum(c) || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return !strings.Contains(uri, "..")
}

var dtdHosts = []string{
	"www.w3.org", "w3.org", "www.apple.com", "www.oasis-open.org", "docbook.org",
	"www.docbook.org", "java.sun.com", "xmlns.jcp.org", "jakarta.ee", "www.springframework.org",
	"hibernate.org", "www.hibernate.org", "hibernate.sourceforge.net", "mybatis.org",
	"struts.apache.org", "logging.apache.org", "jakarta.apache.org", "my.netscape.com",
}

// xincludeOrXSLT judges an element at i: an XInclude, or an XSLT stylesheet whose
// instructions read files or run code.
func xincludeOrXSLT(v string, i int) (string, bool) {
	// The element's name: "xi:include", "xsl:stylesheet"...
	j := i + 1
	for j < len(v) && (isIdent(v[j]) || v[j] == ':' || v[j] == '-' || v[j] == '.') {
		j++
	}
	name := v[i+1 : j]
	colon := strings.IndexByte(name, ':')
	local := name[colon+1:]
	switch {
	case colon > 0 && strings.EqualFold(local, "include") && indexFold(v[j:], "href") >= 0:
		return around(v, i, j), true // xi:include, or xsl:include of a remote stylesheet
	case colon > 0 && (strings.EqualFold(local, "stylesheet") || strings.EqualFold(local, "transform")):
		if f, ok := xsltDanger(v, j); ok {
			return f, true
		}
	}
	return "", false
}

// xsltDangers are XSLT functions and instructions that read files or URLs or call host
// code.
var xsltDangers = []string{
	"document(", "unparsed-text(", "unparsed-text-lines(", "php:function", "php:functionstring",
	":include", ":import", "msxsl:script", "system-property(", "java:", "xalan://", "saxon:",
}

func xsltDanger(v string, from int) (string, bool) {
	for _, d := range xsltDangers {
		if k := indexFold(v[from:], d); k >= 0 {
			return around(v, from+k, from+k+len(d)), true
		}
	}
	return "", false
}

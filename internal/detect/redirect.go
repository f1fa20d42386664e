package detect

import (
	"strings"

	"github.com/rampartwaf/rampart/internal/request"
)

// Open redirect: a redirect target written so that the application's check ("starts
// with /", "starts with https://our.site") and the browser read different hosts. The
// check runs on every value, not only on parameters named like a redirect, so what it
// matches must be something no link, path or text holds.
//
// A value is read as a redirect target from its start (after leading spaces and
// control bytes, which browsers strip), and so is the value of a redirect-like name
// inside a nested query string ("/login?next=/\/evil.example"). What matches:
//   - a scheme-relative start written with tricks: a backslash among the leading
//     slashes (/\evil.example, \/\/evil.example/), three slashes or more
//     (///evil.example), tabs, newlines or control bytes among them
//     (/%09/evil.example), a NUL or other control byte before them, "<>" that a filter
//     strips (<>//evil.example), or a scheme after them (//https://evil.example,
//     /https://evil.example, /http:/evil.example);
//   - "\\host" alone when the host is a name under a common top-level domain
//     (\\evil.com) or the parameter is named like a redirect;
//   - an http(s) URL with three slashes or more, mixed slashes or control bytes
//     (http:///evil.example, https:/\evil.example); with one slash, none or
//     backslashes only (https:evil.example, http:/evil.example, http:\\evil.example)
//     when the parameter is named like a redirect (next, returnTo, redirect_uri, goto,
//     dest, continue...) or the host is an address or holds userinfo
//     (http:0xd8.0x3a.0xd6.0xce, http:a@evil.example);
//   - an authority that no link holds: userinfo that reads as a host or is empty
//     (https://www.our-site@evil.example, https://our.site.com@evil.example,
//     https://our.site:443@evil.example, https://:@evil.example), userinfo holding
//     a percent-encoded '/', '\', '?' or '#' (http://our.site%2f@evil.example) or a
//     second '@' after a host-like name (http://our.site.com:x@y@evil.example), a
//     scheme after the userinfo (//our.site@https://evil.example), a backslash, '&' or a control byte
//     inside it (http://evil.example\our.site, http://evil.example&our.site), "#@" or
//     "?@" and a host right after it (http://evil.example:80#@our.site/), a host with
//     percent escapes of ASCII letters (http://%65vil.example);
//   - for a scheme-relative URL also a host with Unicode dots (//evil%E3%80%82example)
//     and a ".." segment first in the path or after an empty segment
//     (//evil.example/%2f.., //evil.example/%2e%2e), which a server normalises after
//     the check;
//   - a slash look-alike that some normalisers fold into '/' (／, 〱, 〵, ゝ, ー, ｰ, ∕,
//     ⁄) before a bare host name that ends the value or is followed by '/', '?', '#'
//     or a port (〱evil.example, ーevil.example/x);
//   - a URL whose scheme or leading slashes are percent-encoded letters
//     (%68%74%74%70%3a%2f%2f...), encoded once more than the application decodes;
//   - a probe spraying one URL over several redirect-like names in a nested query
//     string: one scheme-relative target under three names
//     (/?url=//x.example&next=//x.example&redirect=//x.example), one absolute target
//     under five;
//   - a scheme-relative URL with a dotted host name as its userinfo
//     (//evil.example@our.site), and a dotted host name after a '.' that follows the
//     authority and a delimiter run other than one '/' (https://evil.example//.our.site,
//     https://evil.example?.our.site): a suffix written for an "ends with .our.site"
//     check;
//   - in a parameter named like a redirect, judged against the request's Host (or
//     X-Forwarded-Host) when it is a public name (checkOffsiteRedirect): a plain
//     "//host" on another site (next=//evil.example; not //www.example.com from
//     login.example.com, the same site), and an absolute URL whose host is the
//     request's host or site with labels appended (https://our.site.evil.example/).
//
// Deliberately not matched: a plain absolute URL (https://example.com/x) in any
// parameter, since return URLs to partners, payment and identity providers are
// normal and only the application's allowlist tells them from an attacker's; a plain
// "//host" in a parameter not named like a redirect, or to the request's own site, or
// when the request's Host is an address, localhost or a single label (a proxy in
// front rewrote it, and the site is unknown): sites send scheme-relative return URLs
// to themselves (ReturnUrl=//www.example/reader/detail) and scheme-relative image and
// script URLs in CMS content; leading spaces, tabs and line breaks before "//host" (a
// paste into a textarea: "\r\n//cdn.example/x.js"); a look-alike subdomain of another
// site than the request's (https://trusted.com.evil.example from shop.example.com) or
// a URL inside a URL's path (https://web.archive.org/web/2020/https://example.com),
// which only an allowlist can judge; ".." in the path of an absolute URL (https://example.com/docs/v1/../v2/),
// which cannot change its host, and after a named segment of a scheme-relative one;
// a dotted user name as userinfo (https://john.doe@bitbucket.org/team/repo.git, and
// any userinfo before a path ending in .git); userinfo before a dotless host
// (https://a.example.@intranet); the scheme slashes people mistype in a "website"
// field (https:www.example.com, http:/www.example.com, http:\\www.example.com) in a
// parameter not named like a redirect; a UNC path (\\server\share\file, also
// JSON-escaped) and a UNC host alone (\\fileserver.corp.local, \\192.168.1.10); the
// second URL of a tab- or newline-separated list; several redirect-like names with
// different targets or one absolute target under fewer than five names (payment and
// logout links: success_url, failure_url, return_url; post_logout_redirect_uri,
// redirect_uri, returnTo); a percent-encoded IDN host (https://m%C3%BCnchen.de/) and a
// trailing %20; Unicode dots in an absolute URL's host (https://example。com, typed
// with an IME); Japanese text or a fraction after a look-alike ("ーv1.2で修正",
// "⁄2.5 cups"); a consistently JSON-escaped URL (https:\/\/example.com\/x);
// javascript: and data: targets, which are XSS's.

func init() {
	registerValueFiltered(OPENREDIRECT, valueNeed{minLen: 3, any: classesOf(`/\:%`) | classHigh}, matchRedirect)
	registerRequest(checkOffsiteRedirect)
}

// checkOffsiteRedirect judges the parameters named like a redirect (redirectName)
// against the request's own host (Host, or X-Forwarded-Host behind a proxy):
//   - a scheme-relative target ("//evil.example/x", also with backslashes for slashes:
//     "/\evil.example", "\/\/evil.example") on another site: "//" is how a
//     target slips past a check that it starts with '/', and a site that sends its own
//     scheme-relative return URLs sends them to itself or a sibling subdomain
//     (login.example.com and //www.example.com/account are one site);
//   - an absolute http(s) target whose host starts with the request's host, or its
//     site, and goes on with more labels (https://our.site.evil.example/): a check that
//     the target starts with https://our.site reads it as ours.
//
// A plain absolute URL to another site (next=https://partner.example/) is not matched:
// return URLs to partners, payment providers and identity providers are normal, and
// only the application's allowlist can tell them from an attacker's. Nothing is judged
// when the request carries no host.
func checkOffsiteRedirect(r *request.Request) {
	if r.Message != nil {
		return
	}
	for i := range r.Params {
		p := &r.Params[i]
		v := p.Value
		if len(v) < 4 || v[0] != '/' && v[0] != '\\' && v[0] != 'h' && v[0] != 'H' || p.Key || p.Literal {
			continue
		}
		// Browsers read '\' as '/' in a URL: //x, /\x, \/\/x (JSON escaping a
		// query does not undo) all name the host x.
		sep := 0
		for sep < len(v) && (v[sep] == '/' || v[sep] == '\\') {
			sep++
		}
		relative := sep >= 2 && sep < len(v) && isAlnum(v[sep])
		if !relative && !hasPrefixFold(v, "http://") && !hasPrefixFold(v, "https://") {
			continue
		}
		switch p.Source {
		case request.SourceQuery, request.SourceForm, request.SourceJSON, request.SourceXML, request.SourceMultipart:
		default:
			continue
		}
		if !redirectName(p.Name) {
			continue
		}
		hs := sep
		if !relative {
			hs = strings.IndexByte(v, ':') + 3
		}
		he := hs
		for he < len(v) && (isAlnum(v[he]) || v[he] == '-' || v[he] == '.' || v[he] == '_') {
			he++
		}
		if he < len(v) && v[he] != '/' && v[he] != '?' && v[he] != '#' && v[he] != ':' {
			continue // userinfo, escapes: the value check's
		}
		host := strings.TrimSuffix(v[hs:he], ".")
		if strings.IndexByte(host, '.') <= 0 {
			continue
		}
		if offsite(r, host, relative) {
			r.AddSignal(request.Signal{Name: OPENREDIRECT, Source: p.Source, Param: p.Name, Fragment: fragment(v)})
		}
	}
}

// offsite reports whether host, the target of a redirect, is on another site than the
// request (relative) or is the request's host or site with labels appended.
func offsite(r *request.Request, host string, relative bool) bool {
	known := false
	// X-Forwarded-Host counts only when the Host names no site (a proxy in front
	// rewrote it): any client can send one, and "next=//evil.example" with
	// "X-Forwarded-Host: evil.example" must not pass as a link to ourselves.
	hostNamed := publicName(strings.TrimSuffix(stripPort(r.Host), "."))
	for i := -1; i < len(r.Headers); i++ {
		own := r.Host
		if i >= 0 {
			h := &r.Headers[i]
			if !strings.EqualFold(h.Name, "Host") && (hostNamed || !strings.EqualFold(h.Name, "X-Forwarded-Host")) {
				continue
			}
			own = h.Value
		}
		if k := strings.IndexByte(own, ','); k >= 0 {
			own = own[:k]
		}
		own = strings.TrimSuffix(stripPort(own), ".")
		if !publicName(own) {
			// An address, localhost or a single label: a proxy in front rewrote the
			// Host (proxy_pass http://127.0.0.1:8000), or an intranet serves several
			// names; which site the request belongs to is unknown.
			continue
		}
		known = true
		site := siteOf(own)
		if relative {
			if strings.EqualFold(host, own) || subdomainOf(host, own) || subdomainOf(own, host) ||
				strings.EqualFold(siteOf(host), site) {
				return false
			}
			continue
		}
		for _, prefix := range [2]string{own, site} {
			if len(host) > len(prefix)+1 && host[len(prefix)] == '.' && hasPrefixFold(host, prefix) &&
				strings.IndexByte(host[len(prefix)+1:], '.') > 0 {
				return true // our.site.evil.example; not example.com.au after example.com
			}
		}
	}
	return known && relative
}

// publicName reports whether h is a dotted host name whose last label is alphabetic
// and which is not under .localhost: a name a site is reached by on the Internet.
func publicName(h string) bool {
	dot := strings.LastIndexByte(h, '.')
	if dot <= 0 || dot == len(h)-1 || hasSuffixFold(h, ".localhost") {
		return false
	}
	for i := dot + 1; i < len(h); i++ {
		if !isAlpha(h[i]) {
			return false
		}
	}
	return true
}

// siteOf returns the registrable part of a host name, approximately: its last two
// labels, or three under a country's second-level domain (example.co.uk, example.com.au).
// An IP address or a single label is returned whole.
func siteOf(h string) string {
	if h == "" || isDigit(h[len(h)-1]) || h[0] == '[' {
		return h
	}
	last := strings.LastIndexByte(h, '.')
	if last < 0 {
		return h
	}
	second := strings.LastIndexByte(h[:last], '.')
	if second < 0 {
		return h
	}
	if len(h)-last-1 == 2 && last-second-1 <= 3 {
		if third := strings.LastIndexByte(h[:second], '.'); third >= 0 {
			return h[third+1:]
		}
		return h
	}
	return h[second+1:]
}

func matchRedirect(p *request.Param, v string, classes byteClass) (string, bool) {
	start, lead := 0, false
	for start < len(v) && v[start] <= ' ' {
		if c := v[start]; c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			lead = true // a NUL or other control byte, not a pasted indent or line break
		}
		start++
	}
	if start < len(v) {
		if redirectTarget(v[start:], lead, p.Name, false) {
			return around(v, start, min(len(v), start+48)), true
		}
		if v[start] == '%' || v[start] == '/' && start+1 < len(v) && v[start+1] == '%' {
			if encodedURLStart(v[start:]) {
				return around(v, start, min(len(v), start+48)), true
			}
		}
	}
	if classes.has(classesOf("=")) && classes.has(classesOf("?&")) {
		return nestedRedirect(v)
	}
	return "", false
}

// nestedRedirect reads the values of redirect-like names in a query string held in v
// ("/login?next=/\/evil.example&x=1"), and matches a probe that sprays one URL over
// several redirect-like names ("?url=//x.example&next=//x.example&redir=//x.example").
// Every byte is looked at a bounded number of times: a value made of
// "&url=//x" repeated stays linear.
func nestedRedirect(v string) (string, bool) {
	// sprayed counts the distinct names carrying target in a row; sep says a
	// separator (space, quote, '?', '#'...) came since the last counted name; scan is
	// where the search for one resumes.
	sprayed, scan, sep := 0, 0, false
	var names [4]string
	target0 := ""
	for off := 0; off < len(v); {
		k := strings.IndexByte(v[off:], '=')
		if k < 0 {
			break
		}
		k += off
		off = k + 1
		n := k
		for n > 0 && (isIdent(v[n-1]) || v[n-1] == '-') {
			n--
		}
		if n > scan {
			if !sep && strings.ContainsAny(v[scan:n], " \t\n\"'<>?#") {
				sep = true
			}
			scan = n
		}
		if n == k || n > 0 && v[n-1] != '?' && v[n-1] != '&' {
			continue
		}
		name := v[n:k]
		urlName := len(name) <= 4 && (strings.EqualFold(name, "url") || strings.EqualFold(name, "uri") || strings.EqualFold(name, "rurl"))
		if !urlName && !redirectName(name) {
			continue
		}
		end := strings.IndexByte(v[k+1:], '&')
		if end < 0 {
			end = len(v)
		} else {
			end += k + 1
		}
		target := v[k+1 : end]
		off = end
		if target == "" {
			continue
		}
		if redirectTarget(target, false, name, true) {
			return around(v, n, min(len(v), end)), true
		}
		relative := strings.HasPrefix(target, "//")
		if !relative && !hasPrefixFold(target, "http:") && !hasPrefixFold(target, "https:") {
			continue
		}
		// Count distinct names in one query string only, all with the same target:
		// a log of many URLs each with its own url= is no probe, nor a payment link
		// with its own success_url, failure_url and return_url.
		if n == 0 || v[n-1] == '?' || sep || !strings.EqualFold(target, target0) {
			sprayed, names, target0 = 0, [4]string{}, target
		}
		sep, scan = false, end
		if strings.EqualFold(name, names[0]) || strings.EqualFold(name, names[1]) ||
			strings.EqualFold(name, names[2]) || strings.EqualFold(name, names[3]) {
			continue
		}
		names[sprayed&3] = name
		sprayed++
		// Three names for a scheme-relative target, which only a probe sprays; an
		// application may send one absolute URL under a few aliases
		// (post_logout_redirect_uri, redirect_uri, returnTo), a probe sends it under
		// the whole list of names.
		if relative && sprayed == 3 || sprayed == 5 {
			return around(v, 0, min(len(v), end)), true
		}
	}
	return "", false
}

// redirectTarget judges t, the start of a value, as a redirect target. lead says
// control bytes (not spaces or line breaks) preceded it. name is the parameter's name;
// nested says t is the value of a redirect-like name in a nested query string.
func redirectTarget(t string, lead bool, name string, nested bool) bool {
	slashes, backs, junk, i := leadSeparators(t, 0)
	rest := t[i:]
	if rest == "" {
		return false
	}
	switch n := slashes + backs; {
	case n >= 2:
		// Two backslashes open a UNC path, four a JSON-escaped one.
		if slashes == 0 && (backs == 2 || backs == 4) && junk == 0 && !lead {
			if strings.IndexByte(rest, '\\') >= 0 {
				return false // a UNC path: \\server\share
			}
			if strings.IndexByte(rest, '/') < 0 && !nested && !publicDomain(rest) && !redirectName(name) {
				return false // \\fileserver.corp.local, \\192.168.1.10: a UNC host
			}
		}
		if backs > 0 && junk == 0 && jsonEscapedSlashes(t[:i]) && !bareSlash(rest) {
			backs = 0 // \/\/cdn.example\/x.js: JSON escaping, read as //
			rest = jsonAuthority(rest)
		}
		if schemeAt(rest) > 0 {
			return true // //https://evil.example
		}
		tricky := backs > 0 || junk > 0 || lead || slashes > 2
		if tricky && hostLike(rest) {
			return true
		}
		return authorityTricks(rest, true)
	case n == 1 && junk == 0:
		if hasPrefixFold(rest, "http:") || hasPrefixFold(rest, "https:") {
			return true // /https://evil.example, /http:/evil.example
		}
		return slashLookalike(rest)
	case n == 0:
		if slashLookalike(rest) {
			return true
		}
		c := schemeAt(rest)
		if c < 0 {
			return false
		}
		scheme := rest[:c]
		if !strings.EqualFold(scheme, "http") && !strings.EqualFold(scheme, "https") {
			return false
		}
		s, b, j, k := leadSeparators(rest, c+1)
		host := rest[k:]
		if b > 0 && j == 0 && jsonEscapedSlashes(rest[c+1:k]) && !bareSlash(host) {
			s, b = 2, 0 // https:\/\/example.com\/x: JSON escaping
			host = jsonAuthority(host)
		}
		if s == 2 && b == 0 && j == 0 {
			return authorityTricks(host, false)
		}
		// Slashes a person mistypes in a "website" field (http:/www.example.com,
		// https:www.example.com, http:\\www.example.com) are a trick only in a
		// parameter named like a redirect or before an odd host; three slashes, mixed
		// slashes and control bytes are always one.
		typo := j == 0 && (b == 0 && s <= 1 || s == 0 && b <= 2)
		if hostLike(host) && (!typo || oddHost(host) || nested || redirectName(name)) {
			return true // https:evil.example, http:///evil.example
		}
		return authorityTricks(host, false)
	}
	return false
}

// oddHost reports whether the authority opening s holds userinfo or starts with a
// digit or '[': an address (http:0xd8.0x3a.0xd6.0xce, http:[::1]) rather than a name
// a person types.
func oddHost(s string) bool {
	if s == "" {
		return false
	}
	if c := s[0]; isDigit(c) || c == '[' {
		return true
	}
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '@':
			return true
		case '/', '\\', '?', '#', ' ', '\t', '\n', '\r':
			return false
		}
	}
	return false
}

// leadSeparators counts the run of slashes, backslashes and junk (tabs, newlines,
// control bytes, "<>") starting at t[i], and returns the index after it.
func leadSeparators(t string, i int) (slashes, backs, junk, end int) {
	for i < len(t) {
		switch c := t[i]; {
		case c == '/':
			slashes++
		case c == '\\':
			backs++
		case c < ' ' || c == 0x7f:
			junk++
		case c == '<' && i+1 < len(t) && t[i+1] == '>':
			junk++
			i++
		default:
			return slashes, backs, junk, i
		}
		i++
	}
	return slashes, backs, junk, i
}

// jsonEscapedSlashes reports whether run is "\/" repeated: a JSON-escaped "//".
func jsonEscapedSlashes(run string) bool {
	if len(run) != 4 {
		return false
	}
	return run == `\/\/`
}

// bareSlash reports whether s holds a '/' not escaped as "\/".
func bareSlash(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == '/' && (i == 0 || s[i-1] != '\\') {
			return true
		}
	}
	return false
}

// jsonAuthority returns the authority opening s, a URL after a JSON-escaped "//",
// with the JSON-escaped path cut off: "example.com" of `example.com\/x`.
func jsonAuthority(s string) string {
	if i := strings.Index(s, `\/`); i >= 0 {
		return s[:i]
	}
	return s
}

// schemeAt returns the index of the colon ending a URL scheme at the start of s
// followed by a slash or backslash, or by a host for http(s); -1 when there is none.
func schemeAt(s string) int {
	i := 0
	for i < len(s) && i < 16 && (isAlnum(s[i]) || s[i] == '+' || s[i] == '-' || s[i] == '.') {
		i++
	}
	if i < 2 || i >= len(s)-1 || s[i] != ':' || !isAlpha(s[0]) {
		return -1
	}
	switch c := s[i+1]; {
	case c == '/' || c == '\\':
		return i
	case isAlnum(c) || c >= 0x80:
		scheme := s[:i]
		if strings.EqualFold(scheme, "http") || strings.EqualFold(scheme, "https") {
			return i
		}
	}
	return -1
}

// hostLike reports whether s opens with something read as a host with a dot:
// "evil.example/x", ";@evil.example", "evil。example".
func hostLike(s string) bool {
	end := len(s)
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '/' || c == '\\' || c == '?' || c == '#' || c == ' ' {
			end = i
			break
		}
	}
	h := s[:end]
	if h == "" {
		return false
	}
	if c := h[0]; !isAlnum(c) && c != ';' && c != '@' && c != '[' && c < 0x80 &&
		!(c == '%' && len(h) > 2 && isHexDigit(h[1]) && isHexDigit(h[2])) {
		return false
	}
	dot := strings.IndexByte(h, '.')
	if dot > 0 && dot < len(h)-1 {
		return true
	}
	return unicodeDot(h) >= 0 || strings.Contains(h, "%2e") || strings.Contains(h, "%2E")
}

// unicodeDot returns the index of an ideographic or fullwidth full stop in s, which
// IDNA maps to '.', or -1.
func unicodeDot(s string) int {
	for j := 0; j+2 < len(s); j++ {
		if s[j] != 0xe3 && s[j] != 0xef {
			continue
		}
		switch s[j : j+3] {
		case "\u3002", "\uff0e", "\uff61": // 。 ． ｡
			return j
		}
	}
	return -1
}

// slashLookalike reports whether s opens with a character some normalisers fold into
// '/' followed by a bare host name: ／evil.example, 〱evil.example/x. Text goes on after
// such characters in Japanese ("ーv1.2で修正", "ー2.5インチ") and in fractions
// ("⁄2.5 cups"), so the host must end the value or be followed by '/', '?', '#' or a
// port.
func slashLookalike(s string) bool {
	if len(s) < 4 {
		return false
	}
	switch s[:3] {
	case "\uff0f", "\u3031", "\u3035", "\u309d", "\u30fc", "\uff70", "\u2215", "\u2044":
		return isAlnum(s[3]) && bareHostName(s[3:])
	}
	return false
}

// bareHostName reports whether s opens with a dotted host name (letters, digits, '-'
// and dots, the last label alphabetic) that ends s or is followed by '/', '?', '#' or
// ':'.
func bareHostName(s string) bool {
	dot, i := -1, 0
	for ; i < len(s); i++ {
		c := s[i]
		if c == '.' {
			if i == 0 || s[i-1] == '.' {
				return false
			}
			dot = i
			continue
		}
		if !isAlnum(c) && c != '-' {
			break
		}
	}
	if i < len(s) && s[i] != '/' && s[i] != '?' && s[i] != '#' && s[i] != ':' {
		return false
	}
	if dot < 0 || i-dot-1 < 2 {
		return false
	}
	for j := dot + 1; j < i; j++ {
		if !isAlpha(s[j]) {
			return false
		}
	}
	return true
}

// authorityTricks judges the authority opening s (a URL after its "//"): see the doc
// comment at the top. relative says s follows the leading slashes of a
// scheme-relative URL, not the "//" of an absolute one: only then are ".." segments in
// the path and Unicode dots in the host judged, since the host of an absolute URL
// cannot change through "..".
func authorityTricks(s string, relative bool) bool {
	end := len(s)
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '/' || c == '?' || c == '#' || isSpace(c) {
			end = i
			break
		}
	}
	auth := s[:end]
	if end+2 < len(s) && (s[end] == '?' || s[end] == '#') && s[end+1] == '@' && hostLike(s[end+2:]) {
		return true // http://evil.example:80#@our.site; not https://example.com#@handle
	}
	if end < len(s) && hostLike(auth) && domainDecoy(s[end:]) {
		return true // https://evil.example//.our.site, https://evil.example?.our.site
	}
	if auth != "" && strings.IndexByte(auth, '[') < 0 {
		host := auth
		if at := strings.LastIndexByte(auth, '@'); at >= 0 {
			host = auth[at+1:]
			ui := auth[:at]
			if strings.IndexByte(host, '.') > 0 && userinfoHostLike(ui) && !gitPath(s[end:]) {
				return true // https://our.site.example@evil.example
			}
			if hostLike(host) && (encodedDelimiter(ui) || secondAt(ui)) {
				// http://our.site%2f@evil.example, http://our.site:x@y@evil.example: a
				// check that decodes the userinfo, or stops at the first '@', reads
				// our.site as the host.
				return true
			}
			if schemeAt(s[at+1:]) > 0 {
				return true // //our.site@https://evil.example
			}
			if relative && strings.IndexByte(host, '.') > 0 && dottedName(ui) {
				// //evil.example@our.site: no link is written scheme-relative with a
				// user name, and a check that stops at the first '@' or takes the
				// userinfo for the host reads evil.example.
				return true
			}
		}
		lastEq, lastDot := strings.LastIndexByte(auth, '='), strings.LastIndexByte(auth, '.')
		for i := 0; i < len(auth); i++ {
			switch c := auth[i]; {
			case c == '\\':
				return true
			case (c < ' ' || c == 0x7f) && i+1 < len(auth) && auth[i+1] > ' ':
				return true // //evil%00.example; a NUL ending the value is a C string's
			case c == '&' && lastEq < i && lastDot > i:
				return true // http://evil.example&our.site
			}
		}
		if asciiEscape(host) {
			return true // http://%65vil.example
		}
		if relative && unicodeDot(host) >= 0 {
			return true // //evil。example; https://example。com is a full stop typed with an IME
		}
	}
	if !relative || auth == "" || !isAlnum(auth[0]) {
		return false
	}
	// A ".." segment first in the path or after an empty one: //evil.example/%2e%2e
	// and //evil.example/%2f.. decoded, which a server normalises after the check.
	// Not //example.com/a/../b.
	path := s[end:]
	for i := 0; i < len(path); i++ {
		if c := path[i]; c == '?' || c == '#' || isSpace(c) {
			path = path[:i]
			break
		}
	}
	for i := strings.Index(path, "/.."); i >= 0; {
		j := i + 3
		if (i == 0 || path[i-1] == '/' || path[i-1] == '\\') && (j == len(path) || path[j] == '/' || path[j] == '\\') {
			return true
		}
		k := strings.Index(path[j:], "/..")
		if k < 0 {
			break
		}
		i = j + k
	}
	return false
}

// domainDecoy reports whether p, what follows the authority of a URL, opens with a
// delimiter run other than one '/' ("//", "?", "#", "/?") and then a dotted host name
// after a '.', which ends p or is followed by '/', '?', '#' or a port: a suffix written
// for a check that the URL ends with ".our.site" (https://evil.example//.our.site,
// https://evil.example?.our.site). A path such as /.well-known/ is not.
func domainDecoy(p string) bool {
	i := 0
	for i < len(p) && (p[i] == '/' || p[i] == '?' || p[i] == '#') {
		i++
	}
	if i == 0 || i == 1 && p[0] == '/' || i+2 >= len(p) || p[i] != '.' {
		return false
	}
	return bareHostName(p[i+1:])
}

// dottedName reports whether s is a dotted host name and nothing else: letters, digits,
// '-' and inner dots ("evil.example"), not a user name with a password or escapes.
func dottedName(s string) bool {
	dot := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '.':
			if i == 0 || i == len(s)-1 || s[i-1] == '.' {
				return false
			}
			dot = true
		case !isAlnum(c) && c != '-':
			return false
		}
	}
	return dot
}

// encodedDelimiter reports whether ui, the userinfo of a URL, holds a percent-encoded
// '/', '\\', '?' or '#': no user name has one, and decoded it ends the authority.
func encodedDelimiter(ui string) bool {
	for i := strings.IndexByte(ui, '%'); i >= 0 && i+2 < len(ui); {
		if isHexDigit(ui[i+1]) && isHexDigit(ui[i+2]) {
			switch unhex(ui[i+1])<<4 | unhex(ui[i+2]) {
			case '/', '\\', '?', '#':
				return true
			}
		}
		k := strings.IndexByte(ui[i+1:], '%')
		if k < 0 {
			break
		}
		i += 1 + k
	}
	return false
}

// secondAt reports whether ui, the userinfo of a URL, holds an '@' of its own after a
// name that reads as a trusted host (our.site:x@y): not an e-mail address as the user
// name (john@example.org@git.example, the decoded form of john%40example.org@...).
func secondAt(ui string) bool {
	at := strings.IndexByte(ui, '@')
	if at < 0 {
		return false
	}
	name := ui[:at]
	if c := strings.IndexByte(name, ':'); c >= 0 {
		name = name[:c]
	}
	return userinfoHostLike(name)
}

// userinfoHostLike reports whether ui, the userinfo of a URL, is empty or reads as a
// host the application trusts (www.our-site, our.site.com, our.site:443) rather than
// a user name (john.doe, mary.ann.jones, git): a name under a common top-level domain,
// after "www." or before a port.
func userinfoHostLike(ui string) bool {
	if ui == "" || ui == ":" || strings.IndexByte(ui, '\\') >= 0 {
		return true
	}
	name, port := ui, ""
	if c := strings.IndexByte(ui, ':'); c >= 0 {
		name, port = ui[:c], ui[c+1:]
	}
	last := strings.LastIndexByte(name, '.')
	if last < 0 {
		return false
	}
	if hasPrefixFold(name, "www.") {
		return true
	}
	tld := name[last+1:]
	if len(tld) < 2 {
		return false
	}
	for i := 0; i < len(tld); i++ {
		if !isAlpha(tld[i]) {
			return false
		}
	}
	if port != "" {
		for i := 0; i < len(port); i++ {
			if !isDigit(port[i]) {
				return false // user.name:password
			}
		}
		return true // our.site:443@evil.example
	}
	for _, t := range commonTLDs {
		if strings.EqualFold(tld, t) {
			return true
		}
	}
	return false
}

// publicDomain reports whether s is a registrable name under a common top-level
// domain and nothing more (evil.com): a host on the Internet rather than a file
// server of an intranet (fileserver.corp.local, nas, 192.168.1.10).
func publicDomain(s string) bool {
	dot := strings.IndexByte(s, '.')
	if dot <= 0 || strings.IndexByte(s[dot+1:], '.') >= 0 {
		return false
	}
	for i := 0; i < dot; i++ {
		if !isAlnum(s[i]) && s[i] != '-' {
			return false
		}
	}
	for _, t := range commonTLDs {
		if strings.EqualFold(s[dot+1:], t) {
			return true
		}
	}
	return false
}

// commonTLDs are top-level domains frequent enough that "name.tld" before an '@' reads
// as a host; few people's names end so.
var commonTLDs = [...]string{
	"com", "net", "org", "io", "co", "info", "biz", "edu", "gov", "app", "dev", "xyz",
	"ru", "cn", "de", "uk", "jp", "fr", "br", "nl", "it", "es", "pl", "au", "ca", "us",
}

// gitPath reports whether the path p (after the authority) names a git repository,
// which clone URLs with a dotted user name carry: /team/repo.git.
func gitPath(p string) bool {
	for i := 0; i < len(p); i++ {
		if c := p[i]; c == '?' || c == '#' || isSpace(c) {
			p = p[:i]
			break
		}
	}
	p = strings.TrimSuffix(p, "/")
	return len(p) > 4 && hasSuffixFold(p, ".git")
}

// asciiEscape reports whether host holds a percent escape of an ASCII letter, digit,
// '.' or '-': a host spelled to slip past a check (%65vil.example). An IDN host that
// encodeURI escaped (m%C3%BCnchen.de) and a trailing %20 are not.
func asciiEscape(host string) bool {
	for i := strings.IndexByte(host, '%'); i >= 0 && i+2 < len(host); {
		if isHexDigit(host[i+1]) && isHexDigit(host[i+2]) {
			if c := unhex(host[i+1])<<4 | unhex(host[i+2]); isAlnum(c) || c == '.' || c == '-' {
				return true
			}
		}
		k := strings.IndexByte(host[i+1:], '%')
		if k < 0 {
			break
		}
		i += 1 + k
	}
	return false
}

// encodedURLStart reports whether v opens with a URL whose scheme or slashes are
// percent-encoded letters: %68%74%74%70%3a%2f%2f, /%68%74%74%70%3a.
func encodedURLStart(v string) bool {
	var buf [12]byte
	n, letters := 0, 0
	for i := 0; i < len(v) && n < len(buf); i++ {
		c := v[i]
		if c == '%' && i+2 < len(v) && isHexDigit(v[i+1]) && isHexDigit(v[i+2]) {
			c = unhex(v[i+1])<<4 | unhex(v[i+2])
			if isAlnum(c) {
				letters++
			}
			i += 2
		}
		buf[n] = c
		n++
	}
	if letters == 0 {
		return false
	}
	s := string(buf[:n])
	s = strings.TrimPrefix(s, "/")
	return hasPrefixFold(s, "http:") || hasPrefixFold(s, "https:") || strings.HasPrefix(s, "//") || strings.HasPrefix(s, `\\`)
}

func unhex(c byte) byte {
	switch {
	case isDigit(c):
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}

// redirectNames are parameter names (lower case, '_' and '-' dropped) that carry a
// redirect target.
var redirectNames = [...]string{
	"next", "nexturl", "nextpage", "continue", "continueurl", "goto", "gotourl", "dest",
	"desturl", "destination", "forward", "forwardurl", "successurl", "failureurl",
	"backurl", "target", "targeturl", "checkouturl", "logouturl", "loginurl",
}

// redirectName reports whether a parameter name (its last identifier: "auth.returnTo"
// gives returnTo) names a redirect target.
func redirectName(name string) bool {
	var buf [24]byte
	w := string0(nameWord(buf[:], name))
	if len(w) < 3 {
		return false
	}
	if strings.HasPrefix(w, "redir") || strings.HasPrefix(w, "return") ||
		strings.Contains(w, "redirect") {
		return true
	}
	for _, r := range redirectNames {
		if w == r {
			return true
		}
	}
	return false
}

// nameWord writes the last identifier of a parameter name into buf, lower case with
// '_' and '-' dropped ("auth.return_To[0]" gives "returnto"), and returns it; nothing
// when the identifier is longer than buf. The result aliases buf.
func nameWord(buf []byte, name string) []byte {
	end := len(name)
	for end > 0 && !isAlpha(name[end-1]) {
		end--
	}
	start := end
	for start > 0 && (isAlnum(name[start-1]) || name[start-1] == '_' || name[start-1] == '-') {
		start--
	}
	word := name[start:end]
	if len(word) > len(buf) {
		return nil
	}
	n := 0
	for i := 0; i < len(word); i++ {
		if c := word[i]; c != '_' && c != '-' {
			buf[n] = lowerASCII(c)
			n++
		}
	}
	return buf[:n]
}

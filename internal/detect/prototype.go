package detect

import (
	"strings"

	"github.com/rampartwaf/rampart/internal/request"
)

// PROTOTYPE-POLLUTION: names and paths that reach Object.prototype in JavaScript
// back ends (qs, lodash.set/merge, jQuery.extend, hand-written deep merges).
//
// What matches, in a key parameter (JSON key, query or form name, whose Value is the
// name), a key parameter's flattened path, the URL path, or a value that is a single
// token (a path or query string such as "a.__proto__.b" for lodash.set, or a cookie
// "__proto__.x=1"):
//   - "__proto__" standing as a path element: alone, or next to '[', ']', '.', a quote,
//     '=' or '/' ("__proto__[x]=1", "a.__proto__.b", "/__proto__/");
//   - "constructor" followed by "prototype" through path punctuation only
//     ("constructor.prototype", "a[constructor][prototype]", "/constructor/prototype/").
//
// In other values (text, JSON or code in a string), only the quoted and bracketed
// forms, which come from JSON or query syntax: `{"__proto__":{...}}`,
// `["__proto__"]`, `[__proto__]`, `{"constructor":{"prototype":`,
// `["constructor"]["prototype"]`, `a[constructor][prototype]`.
//
// Escaped spellings ("__\u0070roto__", "%5F%5Fproto%5F%5F") are the decode package's:
// every decoded variant is checked. So are the spellings that a filter stripping the
// names once or twice turns into them: "__pro__proto__to__[isAdmin]",
// "constconstructorructor[protoprototypetype]". A single token that opens with '/'
// (a JSON Pointer, as in a JSON Patch "path": "/constructor/prototype/isAdmin" or
// "/__proto__/x") is read with '/' between its elements, as the URL path is.
//
// Not matched: the words alone in prose ("the __proto__ property", "a prototype of the
// constructor"), JavaScript code ("el.__proto__ = f.prototype;",
// "x.constructor.prototype.y()"), a lone "constructor" key (Formula 1 data has one) or
// "prototype" key, and "__proto__:" without quotes (the null-prototype literal
// `{ __proto__: null }`).

func init() {
	registerValueFiltered(PROTOTYPEPOLLUTION, valueNeed{}, matchPrototypeClasses)
	registerRequest(prototypePath)
}

func matchPrototype(p *request.Param, v string) (string, bool) {
	return matchPrototypeClasses(p, v, valueClasses(v))
}

// codeBytes are the bytes but tab and newline that make a value more than one token for
// matchPrototype (their class also holds \r, \v and \f, which do not).
var codeBytes = classesOf(" ;(){}")

// matchPrototypeClasses is matchPrototype given the byte classes of v.
func matchPrototypeClasses(p *request.Param, v string, classes byteClass) (string, bool) {
	// Names are paths; a value is read as one only when it is a single token (a path,
	// a query string): "obj.__proto__.x = y;" in a code sample is code. Quoted forms
	// (`{"__proto__":`, `["constructor"]["prototype"]`) count anywhere.
	loose := p != nil && (p.Key || p.Source == request.SourcePath) ||
		!classes.has(codeBytes) && !(classes.has(classWhite) && strings.ContainsAny(v, "\t\n"))
	// A token opening with '/' is a path or a JSON Pointer (a JSON Patch "path":
	// "/constructor/prototype/isAdmin"): '/' separates its elements.
	slash := loose && len(v) > 0 && v[0] == '/'
	if f, ok := protoStripped(v, slash, loose); ok {
		return f, true
	}
	if p != nil && p.Key && p.Name != v {
		// A JSON key's Value is the key alone; its path ("a.constructor.prototype")
		// shows the chain.
		if _, ok := protoStripped(p.Name, false, true); ok {
			return v, true
		}
	}
	return "", false
}

// protoWords are the names a sanitizer strips, and which an attacker nests into
// themselves so that stripping them once leaves them: "__pro__proto__to__" is
// "__proto__" after one pass of s.replace("__proto__", "").
var protoWords = []string{"__proto__", "constructor", "prototype"}

// protoStripped is protoIn, then protoIn again on s with protoWords removed, twice at
// most: the names a filter that strips them once (or twice) lets through.
func protoStripped(s string, slash, loose bool) (string, bool) {
	f, ok, seen := protoScan(s, slash, loose)
	// What survives stripping is "__proto__" or "prototype": s holds "proto" then.
	if ok || !seen || len(s) < 18 {
		return f, ok
	}
	t := s
	for round := 0; round < 2 && len(t) >= 18; round++ {
		u := t
		for _, w := range protoWords {
			if strings.Contains(u, w) {
				u = strings.ReplaceAll(u, w, "")
			}
		}
		if u == t {
			break
		}
		if _, ok := protoIn(u, slash, loose); ok {
			i := strings.Index(s, "proto")
			if i < 0 {
				i = strings.Index(s, "constructor")
			}
			return around(s, max(i, 0), max(i, 0)+9), true
		}
		t = u
	}
	return "", false
}

// prototypePath matches the pollution names among the segments of the URL path, which
// reach the application as one string ("/api/constructor/prototype/x").
func prototypePath(r *request.Request) {
	if len(r.Path) < 9 {
		return
	}
	if f, ok := protoStripped(r.Path, true, true); ok {
		r.AddSignal(request.Signal{Name: PROTOTYPEPOLLUTION, Source: request.SourcePath, Param: "path", Fragment: fragment(f)})
	}
}

// protoIn finds "__proto__" as a path element, or "constructor" then "prototype", in s.
// slash says '/' separates path elements too; loose says s is a path or name, where
// '.', '[' and '=' separate elements, and not text, where only quoted or bracketed
// elements count.
func protoIn(s string, slash, loose bool) (string, bool) {
	f, ok, _ := protoScan(s, slash, loose)
	return f, ok
}

// protoScan is protoIn; seen says s holds "proto" (in any case).
func protoScan(s string, slash, loose bool) (frag string, ok, seen bool) {
	if len(s) < 9 || indexFold(s, "proto") < 0 {
		return "", false, false
	}
	frag, ok = protoFind(s, slash, loose)
	return frag, ok, true
}

// protoFind is protoIn on s that holds "proto".
func protoFind(s string, slash, loose bool) (string, bool) {
	for off := 0; off < len(s); {
		i := indexFold(s[off:], "__proto__")
		if i < 0 {
			break
		}
		i += off
		end := i + len("__proto__")
		if loose {
			if (i == 0 || protoLeft(s[i-1])) && (end == len(s) || protoRight(s[end])) {
				return around(s, i, end), true
			}
		} else if quotedElement(s, i, end) {
			return around(s, i, end), true
		}
		off = end
	}
	for off := 0; off < len(s); {
		i := indexFold(s[off:], "prototype")
		if i < 0 {
			break
		}
		i += off
		end := i + len("prototype")
		off = end
		if end < len(s) && isIdent(s[end]) {
			continue
		}
		// Path punctuation back to "constructor", with at least one real separator.
		j, sep := i, false
		for j > 0 && i-j < 8 {
			c := s[j-1]
			if c == '.' || c == '[' || c == '{' || slash && c == '/' {
				sep = sep || loose || c != '.'
			} else if c != ']' && c != '"' && c != '\'' && c != ':' {
				break
			}
			j--
		}
		if !sep || j < len("constructor") {
			continue
		}
		k := j - len("constructor")
		if hasPrefixFold(s[k:], "constructor") && (k == 0 || !isIdent(s[k-1])) &&
			(loose || quotedElement(s, i, end)) {
			return around(s, k, end), true
		}
	}
	return "", false
}

// quotedElement reports whether s[i:end] stands quoted as a key (`"__proto__":`,
// `'prototype' :`) or bracketed (`["__proto__"]`, `[__proto__]`) in text.
func quotedElement(s string, i, end int) bool {
	if i == 0 || end == len(s) {
		return false
	}
	l, r := s[i-1], s[end]
	switch {
	case l == '[' && r == ']':
		return true
	case (l == '"' || l == '\'') && r == l:
		if i >= 2 && s[i-2] == '[' && end+1 < len(s) && s[end+1] == ']' {
			return true
		}
		k := skipSpaces(s, end+1)
		return k < len(s) && s[k] == ':'
	}
	return false
}

// protoLeft and protoRight are the bytes that may stand next to "__proto__" when it is
// a path element.
func protoLeft(c byte) bool {
	switch c {
	case '[', ']', '.', '"', '\'', '=', '/', '&', '?', '{', ',', ';':
		return true
	}
	return false
}

func protoRight(c byte) bool {
	switch c {
	case '[', ']', '.', '"', '\'', '=', '/', '&':
		return true
	}
	return false
}

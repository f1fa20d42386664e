package request

import "strings"

// RulePath is the path as rules see it: CleanPath of Path, computed once. Servers and
// frameworks resolve //admin, /./admin, /x/../admin, /admin;x=1 and \admin to /admin,
// so a rule on path must too, or `startsWith /admin` is bypassed by spelling.
func (r *Request) RulePath() string {
	if r.rulePath == "" {
		r.rulePath = CleanPath(r.Path)
	}
	return r.rulePath
}

// RuleHost is the host as rules see it: CleanHost of Host, computed once.
func (r *Request) RuleHost() string {
	if r.ruleHost == "" {
		r.ruleHost = CleanHost(r.Host)
	}
	return r.ruleHost
}

// CleanPath returns the canonical form of a decoded URL path: backslashes read as
// slashes, path parameters (";jsessionid=...", as Tomcat and Jetty strip them) cut from
// each segment, empty and "." segments dropped, ".." segments resolved (never above the
// root), a trailing slash kept. A path that needs none of it is returned as it is,
// without allocating.
func CleanPath(p string) string {
	if p == "" || !needsCleaning(p) {
		return p
	}
	segs := make([]string, 0, strings.Count(p, "/")+strings.Count(p, `\`)+1)
	trailing := false
	for seg := range strings.FieldsFuncSeq(p, func(c rune) bool { return c == '/' || c == '\\' }) {
		if i := strings.IndexByte(seg, ';'); i >= 0 {
			seg = seg[:i]
		}
		trailing = false
		switch seg {
		case "", ".":
			trailing = true
		case "..":
			if len(segs) > 0 {
				segs = segs[:len(segs)-1]
			}
			trailing = true
		default:
			segs = append(segs, seg)
		}
	}
	if last := p[len(p)-1]; last == '/' || last == '\\' {
		trailing = true
	}
	var b strings.Builder
	b.Grow(len(p))
	for _, s := range segs {
		b.WriteByte('/')
		b.WriteString(s)
	}
	if trailing || len(segs) == 0 {
		b.WriteByte('/')
	}
	return b.String()
}

// needsCleaning reports whether p has something CleanPath changes: a backslash, a
// semicolon, or an empty, "." or ".." segment. A path that does not start with a slash
// (or a backslash) is left alone.
func needsCleaning(p string) bool {
	if p[0] != '/' && p[0] != '\\' {
		return false // "*" (OPTIONS *), or no path at all: nothing to resolve
	}
	for i := 0; i < len(p); i++ {
		switch p[i] {
		case '\\', ';':
			return true
		case '/':
			rest := p[i+1:]
			if strings.HasPrefix(rest, "/") || rest == "." || rest == ".." ||
				strings.HasPrefix(rest, "./") || strings.HasPrefix(rest, "../") {
				return true
			}
		}
	}
	return false
}

// CleanHost returns a Host header as rules compare it: lower case (host names are not
// case-sensitive) and without the trailing dot of a fully qualified name
// ("Admin.Example.com." is "admin.example.com"); a port is kept. A host that needs
// neither is returned as it is, without allocating.
func CleanHost(h string) string {
	name, port := h, ""
	if i := strings.LastIndexByte(h, ':'); i >= 0 && !strings.Contains(h[i:], "]") {
		name, port = h[:i], h[i:]
	}
	dot := strings.HasSuffix(name, ".") && len(name) > 1
	upper := false
	for i := 0; i < len(name); i++ {
		if c := name[i]; 'A' <= c && c <= 'Z' {
			upper = true
			break
		}
	}
	if !dot && !upper {
		return h
	}
	if dot {
		name = name[:len(name)-1]
	}
	if upper {
		name = strings.ToLower(name)
	}
	return name + port
}

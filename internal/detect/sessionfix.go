package detect

import (
	"strings"

	"github.com/rampartwaf/rampart/internal/request"
)

// SESSION-FIXATION: a session identifier planted through the URL or a form. An
// application that takes its session id from a parameter (PHP's trans_sid, servlet URL
// rewriting, ColdFusion's CFID/CFTOKEN) lets an attacker hand a victim a link with a
// session the attacker knows.
//
// A request matches when a query, form, JSON or multipart parameter with a value (a
// JSON string: not a number, true, false or null), or a ";name=" path parameter, bears
// the name of a framework's session cookie (PHPSESSID, JSESSIONID,
// ASP.NET_SessionId, ASPSESSIONID..., laravel_session, connect.sid, ...) and the request
// does not come from the site itself: it has no Referer, or one whose host is neither the
// request's host nor a parent or child domain of it. A site that rewrites its own links
// with session ids sends them with its own Referer.
//
// Not detected: generic names such as "sessionid", "session_id" or "sid", which
// analytics beacons and APIs use for their own purposes; session cookies themselves.

func init() { registerRequest(checkSessionFixation) }

// sessionNames are the session cookie names of web frameworks, lower case. A trailing
// '*' makes a prefix (ASP's ASPSESSIONIDxxxxxxxx).
var sessionNames = []string{
	"phpsessid", "jsessionid", "aspsessionid*", "asp.net_sessionid", "cfid", "cftoken",
	"laravel_session", "connect.sid", "rack.session", "_rails_session", "_session_id",
	"ci_session", "play_session", "koa.sess", "koa:sess", "sails.sid", "next-auth.session-token",
	"__secure-next-auth.session-token", "__host-next-auth.session-token", "meteor_login_token",
	"cakephp", "zend_session_id", "_flask_session", "jservsession", "jwsession", "weblogicsession",
	"shiny-token", "phpsession", "cfsid",
}

func isSessionName(n string) bool {
	for _, s := range sessionNames {
		if strings.HasSuffix(s, "*") {
			if len(n) >= len(s)-1 && hasPrefixFold(n, s[:len(s)-1]) {
				return true
			}
		} else if len(n) == len(s) && hasPrefixFold(n, s) {
			return true
		}
	}
	return false
}

func checkSessionFixation(r *request.Request) {
	if r.Message != nil || r.Method == "" {
		return
	}
	name, src := "", request.SourceNone
	for i := range r.Params {
		p := &r.Params[i]
		if p.Key || p.Literal || p.Value == "" {
			continue
		}
		switch p.Source {
		case request.SourceQuery, request.SourceForm, request.SourceJSON, request.SourceMultipart:
			if len(p.Name) >= 4 && isSessionName(p.Name) {
				name, src = p.Name, p.Source
			}
		}
		if name != "" {
			break
		}
	}
	if name == "" {
		name = pathSessionParam(r.URI)
		src = request.SourcePath
	}
	if name == "" || sameSiteReferer(r) {
		return
	}
	r.AddSignal(request.Signal{Name: SESSIONFIXATION, Source: src, Param: name, Fragment: fragment(name)})
}

// pathSessionParam finds a ";name=" session parameter in the path of a request target
// ("/shop;jsessionid=0A1B...").
func pathSessionParam(uri string) string {
	if q := strings.IndexByte(uri, '?'); q >= 0 {
		uri = uri[:q]
	}
	for off := 0; off < len(uri); {
		i := strings.IndexByte(uri[off:], ';')
		if i < 0 {
			return ""
		}
		i += off
		j := i + 1
		for j < len(uri) && uri[j] != '=' && uri[j] != ';' && uri[j] != '/' {
			j++
		}
		if j < len(uri) && uri[j] == '=' && isSessionName(uri[i+1:j]) {
			return uri[i+1 : j]
		}
		off = i + 1
	}
	return ""
}

// sameSiteReferer reports whether the request has a Referer on its own host, or on a
// parent or child domain of it.
func sameSiteReferer(r *request.Request) bool {
	ref := r.Header("Referer")
	if ref == "" {
		return false
	}
	i := strings.Index(ref, "://")
	if i < 0 {
		return false
	}
	rh := ref[i+3:]
	if j := strings.IndexAny(rh, "/?#"); j >= 0 {
		rh = rh[:j]
	}
	if at := strings.LastIndexByte(rh, '@'); at >= 0 {
		rh = rh[at+1:]
	}
	rh, h := stripPort(rh), stripPort(r.Host)
	if rh == "" || h == "" {
		return false
	}
	return strings.EqualFold(rh, h) || subdomainOf(rh, h) || subdomainOf(h, rh)
}

func stripPort(h string) string {
	h = strings.TrimSpace(h)
	if strings.HasPrefix(h, "[") {
		if i := strings.IndexByte(h, ']'); i >= 0 {
			return h[:i+1]
		}
		return h
	}
	if i := strings.LastIndexByte(h, ':'); i >= 0 {
		return h[:i]
	}
	return h
}

// subdomainOf reports whether a is a subdomain of b ("shop.example.com" of
// "example.com").
func subdomainOf(a, b string) bool {
	return len(a) > len(b)+1 && a[len(a)-len(b)-1] == '.' && strings.EqualFold(a[len(a)-len(b):], b)
}

package detect

import (
	"strings"

	"github.com/rampartwaf/rampart/internal/request"
)

// SCANNER: vulnerability scanners, fuzzers and exploitation tools that say who they are,
// and the requests of known exploits.
//
// A request matches when:
//
//   - its User-Agent names one of scannerAgents as a word (sqlmap, Nikto, Nmap Scripting
//     Engine, masscan, WPScan, JoomScan, droopescan, CMSmap, Nuclei, Interactsh, Acunetix,
//     DirBuster, gobuster, ffuf, zgrab, l9explore, Havij, Arachni, Nessus...), or is one a
//     botnet scanner sends whole ("Hello, World");
//   - it carries a header only such tools send (Acunetix-Product, X-Scanner, X-WIPP...);
//   - it carries a parameter or path segment only a scanner sends: Acunetix's
//     acunetix_wvs_security_test and acunetix-wvs-test-for-some-inexistent-file,
//     or an Xdebug trigger in the query or form (XDEBUG_SESSION_START=phpstorm), which
//     scanners send to find debuggers left on in production (the XDEBUG_SESSION cookie
//     of the browser helpers is left alone);
//   - a value, header or the Host names an out-of-band callback domain, where a blind
//     payload reports back: Burp Collaborator (burpcollaborator.net, oastify.com),
//     Interactsh (oast.fun, oast.pro, oast.live, oast.site, oast.online, oast.me,
//     interact.sh), dnslog.cn, ceye.io, Acunetix's bxss.me. The domain must follow a '.'
//     or '@' (x8k2.burpcollaborator.net, bugbounty@interact.sh): the label before it is
//     the token the tool waits for;
//   - it is the request of a known exploit: ProxyShell and ProxyNotShell
//     (/autodiscover/autodiscover.json with a path or Powershell in its query), F5
//     iControl REST's /mgmt/tm/util/bash. (A Jolokia exec of an operation that loads
//     code is CODEINJECTION: see jolokiaExec in java.go.)
//
// Not detected: general-purpose clients (curl, Wget, python-requests, Go-http-client,
// okhttp, Java), crawlers and monitoring agents, and words that merely contain a tool's
// name ("urlgrabber" is not zgrab); a callback domain named alone in prose
// ("burpcollaborator.net is blocked"), "toast.js"; webhook and canary services with
// legitimate uses (webhook.site, canarytokens.com, pipedream.net); Outlook's own
// autodiscover.json requests (?Email=user@contoso.com&Protocol=...).
// Tools that pose as a browser are left to the detectors of their payloads.

func init() {
	registerRequest(checkScanner)
	registerValueFiltered(SCANNER, valueNeed{minLen: 8, any: classesOf(".")}, matchOASTValue)
}

// scannerAgents are lower-case names found in the User-Agent of attack tools.
var scannerAgents = []string{
	"sqlmap", "nikto", "nmap scripting engine", "nmap", "masscan", "wpscan", "nuclei",
	"acunetix", "dirbuster", "gobuster", "feroxbuster", "fuzz faster u fool", "ffuf",
	"wfuzz", "zgrab", "havij", "arachni", "nessus", "openvas", "w3af", "skipfish",
	"netsparker", "appscan", "webinspect", "whatweb", "commix", "jaeles", "dalfox",
	"xsstrike", "sqlninja", "bsqlbf", "pangolin", "zmeu", "morfeus", "jorgee", "wapiti",
	"fimap", "grendel-scan", "nsauditor", "webshag", "struts-pwn", "brutus", "sqlsus",
	"teh forest lobster", "muieblackcat", "nasl", "crimscanner", "webvulnscan",
	"interactsh", "l9explore", "l9tcpid", "joomscan", "droopescan", "cmsmap", "xsser",
	"wafw00f", "bbqsql",
}

// scannerWholeAgents are User-Agents (lower case) botnet scanners send as they are.
var scannerWholeAgents = []string{"hello, world", "hello world"}

// acunetixPath is the path segment (lower case) Acunetix requests to learn how the site
// answers for a missing file.
const acunetixPath = "acunetix-wvs-test-for-some-inexistent-file"

// scannerParams are parameter names (lower case) only scanners send.
var scannerParams = map[string]bool{
	"acunetix_wvs_security_test": true, "xdebug_session_start": true, "xdebug_session": true,
	"xdebug_trigger": true, "xdebug_profile": true,
}

// scannerHeaders are header names (lower case; a trailing '-' means a prefix) that
// scanners add to their requests.
var scannerHeaders = []string{"acunetix-", "x-scanner", "x-wipp", "x-scan-memo", "x-requestmanager-memo", "x-request-memo"}

func checkScanner(r *request.Request) {
	if r.Message != nil {
		return
	}
	ua := r.UserAgent
	if ua == "" {
		ua = r.Header("User-Agent")
	}
	if tool, ok := scannerAgent(ua); ok {
		r.AddSignal(request.Signal{Name: SCANNER, Source: request.SourceHeader, Param: "User-Agent", Fragment: tool})
		return
	}
	if t := strings.Trim(ua, " \t"); len(t) >= 11 && len(t) <= 12 {
		for _, w := range scannerWholeAgents {
			if strings.EqualFold(t, w) {
				r.AddSignal(request.Signal{Name: SCANNER, Source: request.SourceHeader, Param: "User-Agent", Fragment: t})
				return
			}
		}
	}
	if f, ok := oastDomain(r.Host); ok {
		r.AddSignal(request.Signal{Name: SCANNER, Source: request.SourceHeader, Param: "Host", Fragment: fragment(f)})
		return
	}
	if src, name, f, ok := scannerRequest(r); ok {
		r.AddSignal(request.Signal{Name: SCANNER, Source: src, Param: name, Fragment: fragment(f)})
		return
	}
	for i := range r.Headers {
		name := r.Headers[i].Name
		if len(name) < 8 || lowerASCII(name[0]) != 'x' && lowerASCII(name[0]) != 'a' {
			continue
		}
		for _, h := range scannerHeaders {
			if strings.HasSuffix(h, "-") && hasPrefixFold(name, h) || len(name) == len(h) && hasPrefixFold(name, h) {
				r.AddSignal(request.Signal{Name: SCANNER, Source: request.SourceHeader, Param: name, Fragment: fragment(name)})
				return
			}
		}
	}
}

// scannerByLetter groups scannerAgents by their first letter, so a User-Agent is read
// once: each word start is compared with the few names that begin with its letter.
var (
	scannerByLetter [26][]string
	scannerFirst    [256]bool // the first letters of scannerAgents, in both cases
)

func init() {
	for _, t := range scannerAgents {
		c := t[0] - 'a'
		scannerByLetter[c] = append(scannerByLetter[c], t)
		scannerFirst[t[0]], scannerFirst[t[0]-'a'+'A'] = true, true
	}
}

// scannerAgent returns the tool a User-Agent names, as written in it.
func scannerAgent(ua string) (string, bool) {
	if len(ua) < 4 {
		return "", false
	}
	for i := 0; i < len(ua); i++ {
		if !scannerFirst[ua[i]] || i > 0 && isAlpha(ua[i-1]) {
			continue
		}
		c := lowerASCII(ua[i])
		for _, tool := range scannerByLetter[c-'a'] {
			end := i + len(tool)
			if hasPrefixFold(ua[i:], tool) && (end == len(ua) || !isAlpha(ua[end])) {
				return ua[i:end], true
			}
		}
	}
	return "", false
}

// scannerRequest finds a scanner's parameter (scannerParams) or the request of a known
// exploit, and returns the source and name of the parameter that shows it (the path:
// no name) and a fragment.
func scannerRequest(r *request.Request) (request.Source, string, string, bool) {
	autodiscover := indexFold(r.Path, "/autodiscover/autodiscover.json") >= 0
	if i := indexFold(r.Path, "/mgmt/tm/util/bash"); i >= 0 && (i+18 == len(r.Path) || r.Path[i+18] == '/') {
		return request.SourcePath, "", r.Path[i:], true
	}
	for i := range r.Params {
		p := &r.Params[i]
		switch p.Source {
		case request.SourcePath:
			if len(p.Value) == len(acunetixPath) && hasPrefixFold(p.Value, acunetixPath) {
				return p.Source, p.Name, p.Value, true
			}
		case request.SourceQuery, request.SourceForm, request.SourceMultipart:
			if p.Key {
				continue
			}
			if len(p.Name) >= 12 && len(p.Name) <= 26 && inFoldSet(scannerParams, p.Name) {
				return p.Source, p.Name, p.Name, true
			}
		}
		if autodiscover && p.Source == request.SourceQuery && !p.Key &&
			(strings.HasPrefix(p.Name, "@") || indexFold(p.Value, "autodiscover.json") >= 0 || indexFold(p.Value, "powershell") >= 0) {
			return p.Source, p.Name, "ProxyShell: autodiscover.json?" + p.Name, true
		}
	}
	return 0, "", "", false
}

// oastDomains are out-of-band callback domains (lower case) of attack tools.
var oastDomains = []string{
	"burpcollaborator.net", "oastify.com", "oast.fun", "oast.pro", "oast.live", "oast.site",
	"oast.online", "oast.me", "interact.sh", "interactsh.com", "dnslog.cn", "ceye.io", "bxss.me",
}

// oastFirst marks the first letters of oastDomains, in both cases.
var oastFirst = func() (t [256]bool) {
	for _, d := range oastDomains {
		t[d[0]], t[d[0]-'a'+'A'] = true, true
	}
	return t
}()

// matchOASTValue is the registered value check: oastDomain on any value.
func matchOASTValue(_ *request.Param, v string, _ byteClass) (string, bool) {
	return oastDomain(v)
}

// oastDomain finds one of oastDomains in v after a '.' or an '@', and not followed by a
// letter, digit, '-' or a further label (x.oast.fun.example.com is example.com's).
func oastDomain(v string) (string, bool) {
	for _, sep := range [...]byte{'.', '@'} {
		for off := 0; off < len(v); {
			k := strings.IndexByte(v[off:], sep)
			if k < 0 {
				break
			}
			i := off + k + 1
			off = i
			if i >= len(v) || !oastFirst[v[i]] || i < 2 || !isAlnum(v[i-2]) && v[i-2] != '-' && v[i-2] != '_' {
				continue
			}
			for _, d := range oastDomains {
				end := i + len(d)
				if end > len(v) || lowerASCII(v[i]) != d[0] || !hasPrefixFold(v[i:], d) {
					continue
				}
				if end < len(v) && (isAlnum(v[end]) || v[end] == '-' || v[end] == '.' && end+1 < len(v) && isAlnum(v[end+1])) {
					continue
				}
				return around(v, i-1, end), true
			}
		}
	}
	return "", false
}

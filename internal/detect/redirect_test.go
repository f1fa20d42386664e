package detect

import (
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
		{"double backslash host", "q", `\\attacker.example`, true},
		{"three slashes", "q", "///attacker.example/", true},
		{"many slashes", "q", "//////attacker.example", true},
		{"tab among slashes", "q", "/\t/attacker.example", true},
		{"newline among slashes", "q", "/\n/attacker.example", true},
		{"leading space", "q", " //attacker.example", true},
		{"filter stripped brackets", "q", "<>//attacker.example", true},
		{"scheme after slashes", "q", "//https://attacker.example", true},
		{"scheme after one slash", "q", "/https://attacker.example/", true},
		{"one slash scheme one slash", "q", "/http:/attacker.example", true},
		{"slashless scheme", "q", "https:attacker.example", true},
		{"slashless scheme upper", "q", "HTTP:attacker.example/x", true},
		{"scheme three slashes", "q", "http:///attacker.example", true},
		{"scheme backslashes", "q", `https:\\attacker.example`, true},
		{"scheme one slash", "q", "https:/attacker.example", true},
		{"userinfo trusted host", "q", "https://shop.example@attacker.example/", true},
		{"userinfo scheme relative", "q", "//shop.example@attacker.example", true},
		{"empty credentials", "q", "https://:@attacker.example", true},
		{"backslash in authority", "q", `http://attacker.example\shop.example`, true},
		{"ampersand in authority", "q", "http://attacker.example&shop.example", true},
		{"fragment at", "q", "http://attacker.example:80#@shop.example/", true},
		{"query at", "q", "http://attacker.example?@shop.example/", true},
		{"percent host", "q", "http://%61ttacker.example", true},
		{"ideographic dot", "q", "//attacker\u3002example", true},
		{"fullwidth dot", "q", "https://attacker\uff0eexample/", true},
		{"nul in host", "q", "//attacker\x00.example", true},
		{"dot dot after host", "q", "//attacker.example//..", true},
		{"dot dot after absolute", "q", "https://attacker.example/a/../", true},
		{"fullwidth solidus", "q", "\uff0fattacker.example", true},
		{"slash then lookalike", "q", "/\u3031attacker.example", true},
		{"encoded scheme", "q", "%68%74%74%70%73%3a%2f%2fattacker.example", true},
		{"encoded after slash", "q", "/%68ttp://attacker.example", true},
		{"nested next backslash", "q", `/login?next=/\/attacker.example`, true},
		{"nested returnTo slashless", "q", "/sso?returnTo=https:attacker.example&x=1", true},
		{"spray", "q", "/?url=https://a.example&next=https://a.example&redirect_uri=https://a.example", true},
		{"spray scheme relative", "q", "?dest=//a.example&goto=//a.example&continue=//a.example", true},
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

// FuzzOpenRedirect: matchRedirect never panics, whatever the value and the name.
func FuzzOpenRedirect(f *testing.F) {
	for _, s := range []string{"/\\a.example", "?next=//a.example&url=//b&goto=//c", "=&=?=", "https://@", "%68%74", "\uff0fa.b", "//a\u3002b"} {
		f.Add(s, "next")
	}
	f.Fuzz(func(t *testing.T, v, name string) {
		p := &request.Param{Source: request.SourceQuery, Name: name, Value: v}
		matchRedirect(p, v, valueClasses(v))
		redirectName(name)
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

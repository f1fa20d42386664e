package detect

import (
	"strings"
	"testing"

	"github.com/rampartwaf/rampart/internal/request"
)

func TestSSRF(t *testing.T) {
	tests := []struct {
		name  string
		value string
		want  bool
	}{
		// cloud metadata
		{"aws metadata", "http://169.254.169.254/latest/meta-data/iam/security-credentials/", true},
		{"aws metadata bare", "169.254.169.254/latest/user-data", true},
		{"ecs task metadata", "http://169.254.170.2/v2/credentials", true},
		{"gcp metadata name", "http://metadata.google.internal/computeMetadata/v1/project/", true},
		{"gcp short name", "http://metadata/computeMetadata/v1/", true},
		{"alibaba metadata", "http://100.100.100.200/latest/meta-data/", true},
		{"oracle metadata", "http://192.0.0.192/latest/", true},
		{"aws ipv6 metadata", "http://[fd00:ec2::254]/latest/meta-data/", true},
		{"metadata path on dns name", "http://rebind.attacker.example/latest/meta-data/", true},
		{"azure identity path", "http://169.254.169.254/metadata/identity/oauth2/token?resource=x", true},
		{"metadata in xml attribute", `probe="http://169.254.169.254/"`, true},
		// numeric notations
		{"decimal", "http://2130706433/", true},
		{"decimal metadata", "http://2852039166/", true},
		{"decimal overflow", "http://7147006462/", true},
		{"hex", "http://0x7f000001/admin", true},
		{"hex overflow", "http://0x41414141A9FEA9FE/", true},
		{"hex dotted", "http://0xA9.0xFE.0xA9.0xFE/", true},
		{"octal", "http://0177.0.0.1/", true},
		{"octal padded", "http://0251.00376.000251.0000376/", true},
		{"short form", "http://127.1/", true},
		{"three parts", "http://169.254.43518/", true},
		{"two parts", "http://169.16689662/", true},
		{"zero", "http://0/", true},
		{"unspecified", "http://0.0.0.0:8080/", true},
		{"mixed notation public", "http://0xd8.072.54990/", true},
		{"out of range octets", "http://472.314.470.462/", true},
		{"alternate loopback", "http://127.0.0.2/", true},
		{"alternate loopback wide", "http://127.127.127.127:8000/", true},
		// IPv6
		{"v4 mapped hex", "http://[::ffff:a9fe:a9fe]/", true},
		{"v4 mapped dotted", "http://[0:0:0:0:0:ffff:127.0.0.1]/", true},
		{"v4 compatible", "http://[::127.0.0.1]/", true},
		{"v6 unspecified", "http://[::]:22/", true},
		{"v6 loopback long", "http://[0:0:0:0:0:0:0:1]/", true},
		{"v6 link local zone", "http://[fe80::1%25eth0]/", true},
		{"v6 link local zone raw", "http://[fe80::%zone1]", true},
		{"v6 unallocated", "http://[a::b]/", true},
		{"v6 multicast", "http://[ff02::1]/", true},
		// spelling tricks
		{"circled digits", "http://①②⑦.⓪.⓪.①/", true},
		{"circled letters", "irc://ⓛⓞⓒⓐⓛⓗⓞⓢⓣ", true},
		{"ideographic dots", "http://169。254。169。254/", true},
		{"fullwidth digits", "http://１２７.０.０.１:6379/", true},
		{"backslash escaped host", `http://\l\o\c\a\l\h\o\s\t/`, true},
		{"backslash escaped any host", `http://\e\x\a\m\p\l\e.\c\o\m/`, true},
		{"double backslash escapes", `http://\\l\\o\\c\\a\\l\\h\\o\\s\\t/`, true},
		{"slashless", "http:127.0.0.1", true},
		{"slashless decimal", "http:2130706433", true},
		{"slashless hex", "https:0x7f000001/", true},
		{"backslash scheme", `http:\\localhost\admin`, true},
		{"triple slash", "http:///localhost/admin", true},
		{"userinfo", "http://good.example@127.0.0.1/", true},
		{"userinfo private", "https://user:pass@10.0.0.5/", true},
		{"parser confusion", "http://good.example:80 &@good.example:80# @127.88.23.245:22/", true},
		{"fragment confusion", "http://good.example#@localhost/", true},
		{"trailing dot", "http://localhost./admin", true},
		// aliases
		{"localhost alias", "http://localhost.localdomain/", true},
		{"ip6 alias", "http://ip6-loopback/", true},
		{"docker host", "http://host.docker.internal:2375/containers/json", true},
		{"kubernetes", "https://kubernetes.default.svc/api/v1/secrets", true},
		{"cluster service", "http://redis.prod.svc.cluster.local/", true},
		{"nip io", "http://127.0.0.1.nip.io/", true},
		{"sslip", "http://10-0-0-1.sslip.io/", true},
		{"localtest", "http://app.localtest.me/", true},
		{"lvh bare", "lvh.me/admin", true},
		{"docker bare", "host.docker.internal/", true},
		// schemes and ports
		{"gopher", "gopher://127.0.0.1:6379/_SET%20x", true},
		{"gopher public", "gopher://evil.example/_x", true},
		{"dict", "dict://localhost:11211/stat", true},
		{"tftp", "tftp://attacker.example/x", true},
		{"netdoc", "netdoc:///etc/passwd", true},
		{"jar", "jar:http://evil.example/a.jar!/", true},
		{"ldap loopback", "ldap://127.0.0.1/", true},
		{"ssh port", "http://127.0.0.1:22/", true},
		{"redis port private", "http://10.1.2.3:6379/", true},
		{"kubelet port", "https://192.168.0.10:10250/pods", true},
		{"protocol relative obfuscated", "//0x7f000001/", true},
		{"unc intranet share", `\\10.0.0.5\share`, false},
		{"query name url", "http://2852039166/?.txt", true},
		// internal addresses as the whole value of a parameter (see TestSSRFInternalURL)
		{"loopback console port", "http://127.0.0.1:8080/callback", true},
		{"intranet", "http://10.0.0.5/app/dashboard", true},
		{"router", "http://192.168.1.1/", true},
		{"cgnat", "http://100.64.1.2/", true},
		{"localhost root", "http://localhost/", true},
		// connection strings name the database they connect to
		{"redis dsn", "redis://localhost:6379", false},
		{"postgres dsn", "postgres://app:app@localhost:5432/app_dev", false},
		{"redis dsn obfuscated", "redis://0x7f000001:6379/", true},
		{"mongodb dsn metadata", "mongodb://169.254.169.254:27017/", true},
		{"url inside text", `filename="http://2852039166/?.txt"`, true},
		// benign
		{"plain url", "https://www.example.com/page?x=1", false},
		{"dev localhost", "http://localhost:3000/", false},
		{"dev loopback", "http://127.0.0.1:5000/callback", false},
		{"oauth loopback redirect", "http://127.0.0.1:53682/", false},
		{"ipv6 loopback dev", "http://[::1]:8000/", false},
		{"intranet ftp", "ftp://192.168.1.20/pub/file.iso", false},
		{"smb share", "smb://10.0.0.8/share", false},
		{"public ip", "http://93.184.216.34/", false},
		{"public ipv6", "http://[2001:db8::1]/", false},
		{"server word", "localhost", false},
		{"localhost path", "localhost/", false},
		{"bare number", "2852039166", false},
		{"bare hex", "0x41414141A9FEA9FE", false},
		{"bare v6", "[::ffff:a9fe:a9fe]", false},
		{"hex not routable", "http:0xABCDEF", false},
		{"version", "HTTP:1.1", false},
		{"http version text", "protocol http:2.0 only", false},
		{"npm cdn", "https://unpkg.com/antd@5.6.4/dist/antd.min.js", false},
		{"scoped package", "https://cdn.jsdelivr.net/npm/@scope/pkg@1.2.3/index.js", false},
		{"map coordinates", "https://maps.example/#/@77.2932018,-67.3242188,3z", false},
		{"mailto", "mailto:ops@10.0.0.1", false},
		{"email", "admin@example.com", false},
		{"time", "12:30:45", false},
		{"windows path", `C:\Users\me\file.txt`, false},
		{"fraction", "1.5/3", false},
		{"date path", "12.05.2023/report", false},
		{"metadata relative path", "metadata/schema.json", false},
		{"metadata word", "the metadata of the file", false},
		{"file url", "file:///vscode/resources/x.svg", false},
		{"protocol relative cdn", "//cdn.example.com/x.js", false},
		{"slashes", "////", false},
		{"profile url", "profile://me", false},
		{"qq local login", "https://localhost.ptlogin2.qq.com:4301/pt_get_uins", false},
		{"dotted quad prose", "ping 127.0.0.1 to test", false},
		{"listen address", "0.0.0.0:8000", false},
		{"config list", `["127.0.0.1:9002","localhost:9002"]`, false},
		{"upstream", "http://127.0.0.1:8889", false},
		{"jdbc", "jdbc:mysql://db.internal.example:3306/app", false},
		{"youtube", "https://youtu.be/dQw4w9WgXcQ?t=42", false},
		{"json", `{"url":"https://api.example.com/v1/items","n":2}`, false},
		{"regex in js", `{begin:/\\\n/,relevance:0}`, false},
		{"socks proxy", "socks5://127.0.0.1:9050", false},
		{"file localhost", "file://localhost/etc/fstab", false},
		{"percent in host", "http://192.168.0.%31/", false},
		{"github url", "https://github.com/rampartwaf/rampart/blob/main/README.md#install", false},
		{"url with port", "https://api.example.com:8443/v2/orders?id=17", false},
		{"userinfo public", "https://user:token@git.example.com/repo.git", false},
		{"at in path", "https://medium.com/@jane/why-waf-rules-matter-1a2b3c", false},
		{"at in query", "https://example.com/share?to=bob@example.com", false},
		{"ipv4 public port", "http://203.0.113.10:8080/status", false},
		{"private dashboard", "https://172.16.5.4:3000/d/abc/overview", false},
		{"loopback https", "https://127.0.0.1:8443/health", false},
		{"localhost subdomain", "http://app.localhost:5173/", false},
		{"websocket dev", "ws://localhost:8080/socket", false},
		{"ftp public", "ftp://ftp.example.org/pub/README", false},
		{"s3 url", "s3://my-bucket/path/to/key.csv", false},
		{"git ssh", "git@github.com:rampartwaf/rampart.git", false},
		{"ssh public", "ssh://git@github.com/org/repo.git", false},
		{"data url", "data:image/png;base64,iVBORw0KGgo=", false},
		{"tel", "tel:+1-555-0100", false},
		{"urn", "urn:isbn:0451450523", false},
		{"magnet", "magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a", false},
		{"android intent", "intent://scan/#Intent;scheme=zxing;package=com.example;end", false},
		{"deep link", "myapp://open/profile/42", false},
		{"chrome url", "chrome://settings/", false},
		{"ipv6 global", "https://[2606:4700:4700::1111]/dns-query", false},
		{"version list", "node v18.17.1, npm 9.6.7", false},
		{"ip in prose", "my router is at 192.168.1.1 by default", false},
		{"decimal number url-like", "price: 2130706433 points", false},
		{"coordinates", "@48.8584,2.2945,17z", false},
		{"semver range", "pkg@^1.2.3", false},
		{"css url", "url(//fonts.example.com/a.woff2)", false},
		{"markdown link", "[home](https://example.com/)", false},
		{"html anchor", `<a href="http://intranet.corp/wiki">wiki</a>`, false},
		{"unc public", `\\fileserver\share\doc.txt`, false},
		{"windows unc ip", `\\192.168.10.4\scans`, false},
		{"relative path", "/account/settings?tab=security", false},
		{"relative parent", "../images/logo.png", false},
		{"hash route", "/#/dashboard", false},
		{"timestamp", "2024-05-01T12:30:00Z", false},
		{"mac address", "00:1a:2b:3c:4d:5e", false},
		{"ipv6 in prose", "use ::1 for loopback", false},
		{"long number", "http://example.com/item/12345678901", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &request.Param{Source: request.SourceQuery, Name: "url", Value: tt.value}
			f, got := matchSSRF(p, tt.value)
			if got != tt.want {
				t.Errorf("matchSSRF(%q) = %v (%q), want %v", tt.value, got, f, tt.want)
			}
		})
	}
}

func TestParseIPv4Loose(t *testing.T) {
	tests := []struct {
		in        string
		ip        uint32
		canonical bool
		ok        bool
	}{
		{"127.0.0.1", 0x7f000001, true, true},
		{"2130706433", 0x7f000001, false, true},
		{"0x7f000001", 0x7f000001, false, true},
		{"0177.0.0.1", 0x7f000001, false, true},
		{"127.1", 0x7f000001, false, true},
		{"169.254.43518", 0xa9fea9fe, false, true},
		{"7147006462", 0xa9fea9fe, false, true},
		{"0x41414141A9FEA9FE", 0xa9fea9fe, false, true},
		{"010.1.1.1", 0x08010101, false, true},
		{"09.1.1.1", 0x09010101, false, true},
		{"1.2.3.4.5", 0, false, false},
		{"1..2", 0, false, false},
		{"example.com", 0, false, false},
		{"1.2.3.", 0, false, false},
	}
	for _, tt := range tests {
		ip, canonical, ok := parseIPv4Loose(tt.in)
		if ok != tt.ok || ok && (ip != tt.ip || canonical != tt.canonical) {
			t.Errorf("parseIPv4Loose(%q) = %#x, %v, %v; want %#x, %v, %v", tt.in, ip, canonical, ok, tt.ip, tt.canonical, tt.ok)
		}
	}
}

func TestParseIPv6(t *testing.T) {
	tests := []struct {
		in   string
		want [16]byte
		ok   bool
	}{
		{"::1", [16]byte{15: 1}, true},
		{"::", [16]byte{}, true},
		{"::ffff:127.0.0.1", [16]byte{10: 0xff, 11: 0xff, 12: 127, 15: 1}, true},
		{"fe80::1", [16]byte{0: 0xfe, 1: 0x80, 15: 1}, true},
		{"1:2:3:4:5:6:7:8", [16]byte{1: 1, 3: 2, 5: 3, 7: 4, 9: 5, 11: 6, 13: 7, 15: 8}, true},
		{"1::2::3", [16]byte{}, false},
		{"12345::", [16]byte{}, false},
		{"1:2:3:4:5:6:7:8:9", [16]byte{}, false},
		{"1:2", [16]byte{}, false},
	}
	for _, tt := range tests {
		got, ok := parseIPv6(tt.in)
		if ok != tt.ok || ok && got != tt.want {
			t.Errorf("parseIPv6(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestSSRFInspect(t *testing.T) {
	// Obfuscations hidden by encoding are read in the decoded variants; a Referer
	// to a developer's local build is not an attack.
	tests := []struct {
		param request.Param
		want  bool
	}{
		{request.Param{Source: request.SourceJSON, Name: "webhook", Value: `http%3A%2F%2F0x7f000001%2F`}, true},
		{request.Param{Source: request.SourceCookie, Name: "http://2852039166/", Value: "http://2852039166/", Key: true}, true},
		{request.Param{Source: request.SourceHeader, Name: "Referer", Value: "http://localhost:3000/settings"}, false},
		{request.Param{Source: request.SourceHeader, Name: "Origin", Value: "http://192.168.1.20:8080"}, false},
	}
	for _, tt := range tests {
		r := &request.Request{Params: []request.Param{tt.param}}
		Inspect(r)
		if got := has(r, SSRF, tt.param.Name); got != tt.want {
			t.Errorf("SSRF on %q = %v, want %v (%+v)", tt.param.Value, got, tt.want, r.Signals)
		}
	}
}

// benignValues are ordinary parameter values for the cost of the SSRF, NOSQLI, LDAPI and
// PROTOTYPE-POLLUTION checks on benign traffic.
var benignValues = []string{
	"running shoes", "42", "blue", "price_asc", "2", "https://shop.example.com/catalog?page=2",
	"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36",
	"3f9a1c0e7b2d4a6f8e1c3b5a7d9f0e2c", "Jane O'Brien <jane@example.org>", "12:30:45",
	`{"id":12,"tags":["a","b"],"url":"https://cdn.example.com/x.js"}`,
	"I paid $20 (plus tax) for it; great value && fast shipping!",
}

func BenchmarkNewFamiliesBenign(b *testing.B) {
	p := &request.Param{Source: request.SourceQuery, Name: "q"}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		for _, v := range benignValues {
			matchSSRF(p, v)
			matchNoSQLi(p, v)
			matchLDAPi(p, v)
			matchPrototype(p, v)
		}
	}
}

// ssrfURLs are URLs ssrf.go finds at any URL-like spot of a value: metadata endpoints,
// IP hosts in odd notations, loopback with a trick, schemes that only serve SSRF.
var ssrfURLs = []string{
	"http://169.254.169.254/latest/meta-data/", "http://0x7f000001/", "gopher://127.0.0.1:6379/_INFO",
	"http://[::ffff:127.0.0.1]/", "http://localhost:22/", "http://metadata.google.internal/computeMetadata/v1/",
	"dict://10.0.0.1:11211/stat", "http://127.1/admin", "http://2130706433/", "http://user@127.0.0.1/",
}

// ssrfInternalURLs are internal addresses ssrf.go finds as the whole value of a URL
// parameter.
var ssrfInternalURLs = []string{
	"http://127.0.0.1/", "http://localhost/", "http://10.0.0.1:8080/", "http://[::1]/", "http://redis:6379/",
	"https://admin.internal/", "http://192.168.1.1:9200/", "http://172.16.0.1/", "http://vault:8200/",
}

// nosqlValues are operators written into a value as object syntax, and a mongo shell
// call after a ';' (nosqli.go).
var nosqlValues = []string{`{"$gt": ""}`, `{ $ne: 1 }`, `[$ne]=1`, `{"$where": "sleep(100)"}`, "; db.users.drop()"}

// ldapBreakouts close the application's LDAP filter and open clauses of their own
// (ldapi.go).
var ldapBreakouts = []string{"*)(uid=*))(|(uid=*", ")(cn=*)", "admin)(&)", "x)(|(objectClass=*)", "*)(|(mail=*))"}

// protoValues are the quoted and bracketed forms of prototype pollution that
// prototype.go finds in any text.
var protoValues = []string{`{"__proto__":{"isAdmin":true}}`, `["__proto__"]`, `a[constructor][prototype]=1`, `{"constructor":{"prototype":{"x":1}}}`, `["constructor"]["prototype"]`}

// FuzzNewFamilies checks the promises of ssrf.go, nosqli.go, ldapi.go and
// prototype.go on arbitrary input, whatever the source or key flag:
//
//   - SSRF: each of ssrfURLs is found at any spot of benign text, each of
//     ssrfInternalURLs followed by any path as the whole value of a URL parameter;
//   - NOSQLI: each of nosqlValues is found in benign text; a query name with an
//     operator element (root[$ne]) is found whatever its root (but the DSL roots
//     filter, filters and where); a JSON key that is an operator is found;
//   - LDAPI: each of ldapBreakouts is found after benign text (no parentheses);
//   - PROTOTYPE-POLLUTION: each of protoValues is found in benign text; a key name
//     root[__proto__][x] is found whatever its root; a path with a __proto__ segment
//     under any benign directories is found;
//   - benign text (benignAlphabet: no ':', '/', '$', parentheses or quotes; words only
//     for PROTOTYPE-POLLUTION, where "constructor.prototype" is a path) never matches;
//   - a fragment comes from the value (or, for a key, its name) and is not empty.
func FuzzNewFamilies(f *testing.F) {
	for _, s := range []string{
		"http://0x7f000001/", "http://[::ffff:127.0.0.1]/", "http:\\\\\\l\\o\\c", "//①②⑦.⓪.⓪.①/",
		"http://a@b@[fe80::1%eth0]:22/", "user[$ne]", `{"$where": "sleep(1)"}`, "' || 'a'=='a",
		"*)(uid=*))(|(uid=*", "(&(a=b)(c:1.2:=d))", "__proto__[x]", `["constructor"]["prototype"]`,
		"0;return true", "db.x.find(", "[", "http://[", "http:0x", "\\\\", "$", ")(", "x)(cn;",
	} {
		f.Add(s, uint8(request.SourceQuery), false, uint8(0))
	}
	for n := range 10 {
		f.Add("Where is my parcel", uint8(request.SourceJSON), false, uint8(n))
	}
	checks := []func(*request.Param, string) (string, bool){matchSSRF, matchNoSQLi, matchLDAPi, matchPrototype}
	f.Fuzz(func(t *testing.T, v string, src uint8, key bool, n uint8) {
		p := &request.Param{Source: request.Source(src % 11), Name: v, Value: v, Key: key}
		for _, c := range checks {
			if frag, ok := c(p, v); ok && (frag == "" || !strings.Contains(v, frag)) {
				t.Fatalf("fragment %q is not part of %q", frag, v)
			}
		}
		r := &request.Request{Path: v}
		prototypePath(r)

		// Values in benign text, in a parameter of the fuzzed source.
		p = &request.Param{Source: request.Source(src % 11), Name: "q"}
		before, after := benignText(v, benignAlphabet, 60)+" ", " "+benignText(v[len(v)/2:], benignAlphabet, 60)
		for _, c := range []struct {
			name  string
			check func(*request.Param, string) (string, bool)
			value string
		}{
			{SSRF, matchSSRF, before + pick(ssrfURLs, n) + after},
			{NOSQLI, matchNoSQLi, before + pick(nosqlValues, n) + after},
			{LDAPI, matchLDAPi, before + pick(ldapBreakouts, n)},
			{PROTOTYPEPOLLUTION, matchPrototype, before + pick(protoValues, n) + after},
		} {
			if frag, ok := c.check(p, c.value); !ok {
				t.Fatalf("%s missed %q as %s", c.name, c.value, p.Source)
			} else {
				checkFragment(t, c.name, c.value, frag)
			}
		}
		// An internal URL that is a URL parameter's whole value, whatever its path.
		internal := pick(ssrfInternalURLs, n) + benignText(v, "abcdefghijklmnopqrstuvwxyz0123456789._~/", 40)
		if frag, ok := matchSSRF(&request.Param{Source: request.SourceJSON, Name: "url"}, internal); !ok {
			t.Fatalf("SSRF missed the internal URL %q", internal)
		} else {
			checkFragment(t, SSRF, internal, frag)
		}

		benign := benignText(v, benignAlphabet, 200)
		for i, c := range checks[:3] {
			if frag, ok := c(p, benign); ok {
				t.Fatalf("check %d matched benign %q (fragment %q)", i, benign, frag)
			}
		}
		if words := benignText(v, wordAlphabet, 200); func() bool { _, ok := matchPrototype(p, words); return ok }() {
			t.Fatalf("PROTOTYPE-POLLUTION matched benign %q", words)
		}

		// Names.
		root := "u" + benignText(v, "abcdefghijklmnopqrstuvwxyz0123456789_", 20)
		for _, c := range []struct {
			check func(*request.Param, string) (string, bool)
			key   request.Param
		}{
			{matchNoSQLi, request.Param{Source: request.SourceQuery, Name: root + pick([]string{"[$ne]", "[$gt]", "[$regex]", ".$where", "[$in][]"}, n)}},
			{matchNoSQLi, request.Param{Source: request.SourceJSON, Name: pick([]string{"$where", "$ne", "$regex", "$expr", "$function"}, n)}},
			{matchPrototype, request.Param{Source: request.SourceQuery, Name: root + pick([]string{"[__proto__][x]", ".__proto__.x", "[constructor][prototype][x]"}, n)}},
		} {
			k := c.key
			k.Value, k.Key = k.Name, true
			if _, ok := c.check(&k, k.Value); !ok {
				t.Fatalf("key %q (%s) not matched", k.Name, k.Source)
			}
		}
		path := &request.Request{Path: pathSegments(v) + "/__proto__/" + benignText(v, "abcdefghijklmnopqrstuvwxyz", 10)}
		if prototypePath(path); len(path.Signals) == 0 {
			t.Fatalf("PROTOTYPE-POLLUTION missed the path %q", path.Path)
		}
	})
}

func TestSSRFInternalURL(t *testing.T) {
	// An internal address that is the whole value of a parameter an application may
	// fetch; the same address in prose, in a connection string, in a header, in a
	// parameter the browser goes to, or on a developer's port, is no attack.
	q, j, m := request.SourceQuery, request.SourceJSON, request.SourceMultipart
	tests := []struct {
		name  string
		src   request.Source
		param string
		value string
		want  bool
	}{
		// attacks
		{"loopback admin", q, "url", "http://127.0.0.1/admin", true},
		{"localhost root", q, "url", "http://localhost/", true},
		{"localhost no path", q, "url", "http://localhost", true},
		{"localhost upper https", q, "url", "HTTPS://LOCALHOST/", true},
		{"localhost console port", q, "url", "http://localhost:8080/admin", true},
		{"localhost subdomain", q, "url", "http://admin.localhost/", true},
		{"portswigger stock api", request.SourceForm, "stockApi", "http://localhost/admin/delete?username=carlos", true},
		{"private 10", q, "target", "http://10.0.0.1/internal/api", true},
		{"private 192.168", q, "src", "http://192.168.1.1/cgi-bin/luci", true},
		{"private 172.16 console", q, "url", "http://172.16.0.10:8080/jmx", true},
		{"consul", q, "url", "http://10.0.0.5:8500/v1/kv/?recurse", true},
		{"prometheus api", q, "url", "http://127.0.0.1:9090/api/v1/targets", true},
		{"privileged port", q, "url", "http://192.168.0.1:631/", true},
		{"explicit 443", q, "url", "https://127.0.0.1:443/", true},
		{"cgnat", q, "url", "http://100.64.0.1/", true},
		{"ipv6 loopback", q, "url", "http://[::1]/admin", true},
		{"ipv6 ula", q, "url", "http://[fd12:3456:789a::1]/", true},
		{"userinfo internal name", q, "url", "http://user:pw@admin.internal/", true},
		{"single label service port", q, "url", "http://redis:6379/", true},
		{"single label infra port", q, "url", "http://vault:8200/v1/secret/data/prod", true},
		{"internal domain", q, "url", "http://admin.internal/", true},
		{"local domain", q, "url", "http://internal-api.local/admin", true},
		{"lan domain", q, "url", "http://nas.lan/", true},
		{"home arpa", q, "url", "http://router.home.arpa/", true},
		{"internal name trailing dot", q, "url", "http://admin.internal./", true},
		{"json link", j, "link", "http://localhost:8080/admin", true},
		{"json callback", j, "callback_url", "http://10.0.0.12/internal", true},
		{"xml", request.SourceXML, "feed.url", "http://127.0.0.1/", true},
		{"multipart field", request.SourceMultipart, "avatar_url", "http://192.168.0.5/", true},
		{"websocket message", request.SourceMessage, "url", "http://10.1.1.1/", true},
		{"quoted and spaced", q, "url", ` "http://127.0.0.1/admin" `, true},
		{"proxy target name", q, "target", "http://127.0.0.1/", true},
		{"dest name", q, "dest", "http://10.0.0.1/", true},
		// developer and native-app ports
		{"dev server", q, "url", "http://localhost:3000/webhooks/stripe", false},
		{"vite", q, "url", "http://192.168.1.20:5173/", false},
		{"oauth loopback listener", q, "url", "http://127.0.0.1:53123/callback", false},
		{"ipv6 loopback dev", q, "url", "http://[::1]:8000/", false},
		// browser destinations
		{"redirect uri loopback", q, "redirect_uri", "http://127.0.0.1:8080/callback", false},
		{"redirect uri localhost", q, "redirect_uri", "http://localhost/", false},
		{"return to", q, "returnTo", "http://10.0.0.5/", false},
		{"next", q, "next", "http://localhost/", false},
		{"oauth1 callback", q, "oauth_callback", "http://localhost:8080/cb", false},
		{"cors origins", j, "cors.allowed_origins[0]", "http://localhost", false},
		{"referrer", j, "context.page.referrer", "http://localhost/", false},
		// internal tools linking to themselves
		{"alertmanager generator", j, "alerts[0].generatorURL", "http://prometheus.internal:9090/graph?g0.expr=up", false},
		{"alertmanager external", j, "externalURL", "http://alertmanager.internal:9093", false},
		{"jenkins base url", q, "base_url", "http://jenkins.internal:8080/", false},
		{"grafana datasource", j, "url", "http://prometheus:9090", false},
		{"intranet short link", q, "url", "http://wiki/page", false},
		{"gitlab webhook link", j, "project.web_url", "http://gitlab.corp/group/app", false},
		{"nested internal name service port", j, "source.url", "http://cache.internal:6379/", true},
		{"nested private address", j, "webhook.url", "http://10.0.0.12/", true},
		{"single label dev port", q, "url", "http://app:3000/", false},
		// not one URL, or no fetch target
		{"prose", j, "message", "open http://localhost:8080 in your browser", false},
		{"prose private", j, "message", "see http://10.0.0.1/ for the docs", false},
		{"two urls", q, "urls", "http://10.0.0.1/ http://10.0.0.2/", false},
		{"url in text line", j, "text", "Dashboard: http://192.168.1.1/", false},
		{"referer header", request.SourceHeader, "Referer", "http://10.10.3.128:2280/vulnerabilities/", false},
		{"cookie", request.SourceCookie, "last_page", "http://localhost/", false},
		{"path", request.SourcePath, "path[1]", "http://localhost/", false},
		{"bare host", q, "host", "10.0.0.1", false},
		{"bare localhost", q, "server", "localhost", false},
		{"ftp", q, "url", "ftp://192.168.1.20/pub/file.iso", false},
		{"websocket url", q, "url", "ws://localhost/socket", false},
		{"public ip", q, "url", "http://8.8.8.8/", false},
		{"public name", q, "url", "https://internal.example.com/", false},
		{"local lookalike", q, "url", "http://localhost.example.com/", false},
		{"corp lookalike", q, "url", "https://corp.example/", false},
		// connection strings
		{"postgres dsn", q, "dsn", "postgresql://analyst@localhost/warehouse", false},
		{"postgres dsn port", j, "DATABASE_URL", "postgres://app:app@localhost:5432/app_dev", false},
		{"redis dsn", q, "cache", "redis://localhost:6379/0", false},
		{"mongodb dsn", q, "uri", "mongodb://localhost:27017", false},
		{"mysql dsn", q, "url", "mysql://root@127.0.0.1:3306/db", false},
		{"jdbc", q, "url", "jdbc:postgresql://localhost:5432/app", false},
		{"amqp", q, "broker", "amqp://guest:guest@localhost:5672/", false},
		{"redis docker host", q, "url", "redis://host.docker.internal:6379", false},
		{"mqtt to loopback", q, "url", "mqtt://127.0.0.1:1883/%23", true}, // libcurl speaks MQTT: no connection string
		{"env file", m, "file", "APP_URL=http://localhost:3000\nS3_ENDPOINT=http://localhost:9000\nSMTP_URL=smtp://localhost:1025\nexport CACHE=\"memcache://localhost:11211\"\n", false},
		{"env line", q, "config", "SMTP_URL=smtp://localhost:1025", false},
		{"env line minio", q, "config", "S3_ENDPOINT=http://localhost:9000", false},
		{"env line to metadata", q, "config", "AWS_URL=http://169.254.169.254/latest/meta-data/", true},
		{"smtp url to loopback", q, "url", "smtp://localhost:25", true},
		{"env assignment in a query", q, "next", "https://a.example/?URL=smtp://localhost:25", true},
		{"lower-case assignment", q, "q", "url=smtp://localhost:25", true},
		{"mqtt to a private address", j, "webhook.url", "mqtts://10.0.0.7/topic", true},
		{"postgres cluster service", q, "url", "postgres://u@db.default.svc.cluster.local:5432/x", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &request.Param{Source: tt.src, Name: tt.param, Value: tt.value}
			f, got := matchSSRF(p, tt.value)
			if got != tt.want {
				t.Errorf("matchSSRF(%s %s=%q) = %v (%q), want %v", tt.src, tt.param, tt.value, got, f, tt.want)
			}
			if got && !strings.Contains(tt.value, f) {
				t.Errorf("fragment %q is not part of %q", f, tt.value)
			}
		})
	}
	key := &request.Param{Source: q, Name: "http://127.0.0.1/admin", Value: "http://127.0.0.1/admin", Key: true}
	if f, ok := matchSSRF(key, key.Value); ok {
		t.Errorf("matchSSRF(key %q) = %q, want no match: a field name is fetched by no one", key.Value, f)
	}
}

// TestSSRFEnvFile judges an .env file whole, variants included (the decoder's variant
// without line breaks joins "9000" to the next variable's name): the local services it
// names are configuration.
func TestSSRFEnvFile(t *testing.T) {
	env := "# Copy to .env\nPORT=3000\nS3_ENDPOINT=http://localhost:9000\nSMTP_URL=smtp://localhost:1025\nPUBLIC_APP_URL=http://localhost:3000\nLOG_LEVEL=debug # trace|debug|info\n"
	r := &request.Request{Params: []request.Param{{Source: request.SourceMultipart, Name: "file", Value: env}}}
	Inspect(r)
	for _, s := range r.Signals {
		if s.Name == SSRF {
			t.Errorf("SSRF on an .env file: %+v", s)
		}
	}
}

func TestSSRFDSNText(t *testing.T) {
	// Connection strings to local databases in configuration text and notebooks: the
	// user names, service ports and internal hosts every DSN holds are no tricks.
	for _, v := range []string{
		"DATABASE_URL=postgres://app:app@localhost:5432/app_dev\nREDIS_URL=redis://localhost:6379/0\n",
		`engine = create_engine("postgresql://analyst@localhost/warehouse")`,
		`spring.datasource.url=jdbc:mysql://127.0.0.1:3306/shop?useSSL=false`,
		`CELERY_BROKER_URL = "amqp://guest:guest@localhost:5672//"`,
		`client = MongoClient("mongodb://root:example@mongo:27017/?authSource=admin")`,
		`redis.from_url("rediss://:secret@10.0.0.7:6380/1")`,
	} {
		p := &request.Param{Source: request.SourceMultipart, Name: "file", Value: v}
		if f, ok := matchSSRF(p, v); ok {
			t.Errorf("matchSSRF(%q) = %q, want no match", v, f)
		}
	}
	for _, v := range []string{
		"DATABASE_URL=postgres://app@169.254.169.254:5432/x",
		`url = "redis://2130706433:6379/"`,
		"x = gopher://localhost:6379/_FLUSHALL",
		`fetch("http://user@127.0.0.1:6379/")`,
	} {
		p := &request.Param{Source: request.SourceMultipart, Name: "file", Value: v}
		if _, ok := matchSSRF(p, v); !ok {
			t.Errorf("matchSSRF(%q) = no match, want SSRF", v)
		}
	}
}

func TestSSRFRoutingHost(t *testing.T) {
	tests := []struct {
		name    string
		host    string
		headers []request.Header
		want    string // the param of the SSRF signal, "" for none
	}{
		{"metadata host", "169.254.169.254", nil, "Host"},
		{"metadata host port", "169.254.169.254:80", nil, "Host"},
		{"gcp metadata host", "metadata.google.internal", nil, "Host"},
		{"link local v6 host", "[fe80::f1:1:fe01:1]:80", nil, "Host"},
		{"decimal host", "2852039166", nil, "Host"},
		{"host header of a recorded request", "localhost", []request.Header{{Name: "host", Value: "169.254.169.254"}}, "host"},
		{"x-forwarded-host", "shop.example.com", []request.Header{{Name: "X-Forwarded-Host", Value: "169.254.169.254"}}, "X-Forwarded-Host"},
		{"x-forwarded-host list", "shop.example.com", []request.Header{{Name: "X-Forwarded-Host", Value: "shop.example.com, 169.254.169.254"}}, "X-Forwarded-Host"},
		{"x-host hex", "shop.example.com", []request.Header{{Name: "X-Host", Value: "0xa9fea9fe"}}, "X-Host"},
		{"forwarded", "shop.example.com", []request.Header{{Name: "Forwarded", Value: `for=192.0.2.60;proto=http;host="169.254.169.254"`}}, "Forwarded"},
		// no routing attack
		{"public host", "shop.example.com", nil, ""},
		{"direct ip", "10.10.3.128:2280", nil, ""},
		{"loopback", "127.0.0.1:8080", nil, ""},
		{"dev proxy", "localhost", []request.Header{{Name: "X-Forwarded-Host", Value: "localhost:3000"}}, ""},
		{"forwarded public", "shop.example.com", []request.Header{{Name: "Forwarded", Value: "for=192.0.2.60;proto=https;host=shop.example.com"}}, ""},
		{"metadata in another header", "shop.example.com", []request.Header{{Name: "X-Custom", Value: "169.254.169.254"}}, ""},
		{"version-like host", "1.2", nil, ""},
		{"empty", "", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &request.Request{Host: tt.host, Headers: tt.headers, Method: "GET"}
			checkRoutingHost(r)
			got := ""
			for _, s := range r.Signals {
				if s.Name == SSRF {
					got = s.Param
				}
			}
			if got != tt.want {
				t.Errorf("checkRoutingHost(Host %q, %v) = %q, want %q (%+v)", tt.host, tt.headers, got, tt.want, r.Signals)
			}
		})
	}
}

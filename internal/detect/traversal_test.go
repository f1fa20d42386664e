package detect

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/rampartwaf/rampart/internal/request"
)

func TestTraversalValues(t *testing.T) {
	tests := []struct {
		name, param, value string
		want               bool
	}{
		// Dot-dot steps in any spelling.
		{"two steps", "f", "../../etc/hosts", true},
		{"encoded steps", "f", "..%2f..%2fapp.db", true},
		{"backslash", "f", `..\secret`, true},
		{"hex notation", "f", "0x2e0x2e0x2fboot.ini", true},
		{"hex backslash before dots", "probe", `0x5c0x2e./`, true},
		{"hex backslash dots nul", "probe", `0x5c0x2e.%00/`, true},
		{"overlong", "f", "%c0%ae%c0%ae%c0%afwin.ini", true},
		{"tomcat step", "f", "..;/manager/html", true},
		{"one step to a dot-file", "f", "../.htpasswd", true},
		// Files attackers read.
		{"passwd", "f", "/etc/passwd", true},
		{"glob", "cmd", "/e??/pa??wd", true},
		{"proc", "f", "/proc/self/cmdline", true},
		{"web-inf", "f", "WEB-INF/web.xml", true},
		// Wrappers.
		{"php filter", "page", "php://filter/convert.base64-encode/resource=index", true},
		{"file url", "url", "file:///var/lib/app/settings.yml", true},
		{"file url windows", "url", "file:///c:/boot.ini", true},
		{"mod_proxy unix socket", "unix:x|http://internal.example/", "unix:/run/app.sock|http://internal.example/", true},
		// Remote inclusion.
		{"query cut after a text file", "x", "http://attacker.example/shell.txt?", true},
		{"query cut, no path", "x", "https://attacker.example?", true},
		{"query cut in an include parameter", "page", "http://attacker.example/s?", true},
		{"nul cut", "x", "http://attacker.example/shell.txt%00", true},
		{"raw nul cut", "x", "http://attacker.example/s\x00", true},
		{"known include parameter", "mosConfig_absolute_path", "http://attacker.example/", true},
		{"bare ip script", "src", "http://203.0.113.9/x.php", true},
		{"bare ipv6 script", "src", "https://2001:db8:7:1::2/g.php", true},
		{"bracketed ipv6 script", "src", "https://[2001:db8::2]/g.php", true},
		{"ftp to an ip", "tag", "ftp://203.0.113.9", true},

		// Benign.
		{"one relative step inside", "img", "theme/../img/logo.png", false},
		{"dots in a name", "q", "wait... what?", false},
		{"version range", "v", "1.2..1.4", false},
		{"file name", "f", "report.final.pdf", false},
		{"url", "x", "https://example.com/", false},
		{"url with path", "x", "http://www.example.com/some/path", false},
		{"link ending with slash and ?", "u", "https://example.com/?", false},
		{"image link ending with ?", "cover", "https://img.example.net/a/08ad92~tplv-no-mark:240:240.awebp?", false},
		{"beacon ending with ?", "n", "https://example.com/cdn-cgi/rum?", false},
		{"question in a query", "ref", "https://search.example/s?wd=can I get a refund?", false},
		{"nul after host", "u", "http://www.example.org\x00", false},
		{"nul in a query", "ref", "https://a.example/t?u=http://b.example\x00&c=1", false},
		{"url to an ip without a script", "ip", "http://192.0.2.1/status", false},
		{"script link in a non-include parameter", "url", "https://login.example.com/login.php", false},
		{"electron asset", "name", "file:///vscode/resources/letterpress-dark.svg", false},
		{"file colon prose", "note", "file: report.pdf", false},
		{"unix prose", "q", "unix: a history", false},
		{"unix pipe prose", "q", "unix: cat | grep", false},
		{"hex color", "c", "0x2e7d32", false},
		{"path", "next", "/account/settings", false},
		{"email", "e", "firstname.dockery@host.tld", false},
		{"relative import", "src", "./components/Button.tsx", false},
		{"ellipsis prose", "q", "and so on... then ../ is how you go up", false},
		{"windows path to a document", "f", `C:\Users\ana\Documents\cv.docx`, false},
		{"windows system folder named", "q", `Windows\System32`, false},
		{"drive and system folder", "q", `C:\Windows\System32`, false},
		{"file under the system folder", "q", `C:\Windows\System32\drivers\etc\hosts`, true},
		{"one step to an image", "content", "../images/logo.png", false},
		{"one step to a style sheet with a query", "href", "../css/site.css?v=3", false},
		{"one step to a script", "q", "../config.js", true},
		{"one step to a script with a query", "q", "../config.js?v=1", true},
		{"one step to a config file", "q", "../config.php", true},
		{"two steps to an image", "q", "../../images/logo.png", false},
		{"one step to an uploaded image", "page", "../uploads/shell.png", true},
		{"upload written one step up", "file.filename", "../images/logo.png", true},
		{"ftp to a named host", "mirror", "ftp://ftp.example.org/pub/", false},
		{"ipv6 link to a page", "u", "http://[2001:db8::1]/index.html", false},
		{"data url image", "img", "data:image/png;base64,iVBORw0KGgo=", false},
		{"markdown link", "body", "see [docs](https://example.com/docs?)", false},
		{"semver range", "v", ">=1.2.0 <2.0.0", false},

		// Plain relative paths, judged by how far they climb and where they land.
		{"sibling package source", "path", "../shared/utils.ts", false},
		// A settings file is what the climb reads, wherever it starts (was false before
		// climbs were judged by the file they land on).
		{"step inside then above to settings", "file", "config/../../shared/settings.py", true},
		{"step inside then above to source", "file", "config/../../shared/utils.py", false},
		{"two steps to a sibling template", "tpl", "../../templates/partials/header.html", false},
		{"two steps to a style sheet", "import", "../../styles/base/_vars.scss", false},
		{"two steps to a component", "path", "../../src/components/Card.tsx", false},
		{"one step to a directory", "dir", "../packages/ui/", false},
		// Climbs of one or two steps to settings, credentials, databases and uploads.
		{"two steps to db include", "page", "../../includes/db.php", true},
		{"two steps to a db connect include", "page", "../../inc/DbConnect.php", true},
		{"two steps to a connection include", "page", "../lib/conn.inc.php", true},
		{"two steps to app config", "page", "../../app/config.php", true},
		{"two steps to spring properties", "f", "../../src/main/resources/application.properties", true},
		{"two steps to spring yaml", "f", "../../src/main/resources/application.yml", true},
		{"two steps to a sqlite database", "f", "../../db/production.sqlite3", true},
		{"two steps to a flask database", "f", "../../instance/app.db", true},
		{"two steps to an uploaded avatar", "page", "../../media/avatars/1337.jpg", true},
		{"one step to an upload in public", "page", "../public/uploads/x.png", true},
		{"two steps to an ini", "f", "../../app/app.ini", true},
		{"two steps to a toml", "f", "../../deploy/prod.toml", true},
		{"two steps to a django settings module", "f", "../../mysite/settings.py", true},
		{"two steps to a python db module", "f", "../../app/db.py", true},
		{"two steps to a dotfile", "f", "../../app/.secrets", true},
		{"two steps to an extensionless db include", "page", "../../includes/db", true},
		{"two steps to a sibling", "extends", "../../packages/ui/src/index.ts", false},
		{"prose about relative paths", "q", "../ relative paths", false},
		{"markdown link two up", "body", "see [the guide](../../docs/README.md)", false},
		{"three steps", "path", "../../../shared/utils.ts", true},
		{"climb from a directory", "file", "a/b/../../../../etc/passwd", true},
		{"two steps to a system directory", "file", "../../etc/hosts", true},
		{"one step to a dotenv", "file", "../shared/.env", true},
		{"one step to settings beside the web root", "file", "../settings.py", true},
		{"one step into uploads", "page", "../uploads/avatar.gif", true},
		{"one step into config", "page", "../config/app.php", true},
		{"one step to framework credentials", "file", "../app/config/parameters.yml", true},
		{"steps alone", "dir", "../../", true},
		{"step above an absolute root", "file", "/../secret.txt", true},
		{"placeholder after steps", "file", "../../{FILE}", true},
		{"doubled separator after a plain step", "file", "../..//x", true},
		{"nested query value", "next", "a=1&file=../config.php", true},
		{"scheme before steps", "f", "file:../../index.php", true},
		{"url with a step inside", "u", "https://example.com/a/../b/c.html", false},

		// Unicode look-alikes of separators and dots.
		{"fullwidth solidus", "file", "..\uff0f..\uff0f..\uff0fetc\uff0fpasswd", true},
		{"fullwidth reverse solidus", "file", "..\uff3cwin.ini", true},
		{"division slash", "file", "..\u2215..\u2215etc", true},
		{"fullwidth full stops", "file", "x/\uff0e\uff0e/etc", true},
		{"fullwidth slash in prose", "q", "\u307e\u305f\u306f\uff0f\u3042\u308b", false},

		// System paths named as data: in text, commands, stack frames.
		{"path in a question", "q", "what is /etc/hosts file", false},
		{"shebang program", "q", "/usr/bin/env python3", false},
		{"home notation", "q", "~/.ssh/config example", false},
		{"home dotfile in prose", "msg", "Set `export PATH=$HOME/.local/bin:$PATH` in your ~/.bashrc", false},
		{"kube config in a readme", "content", "Needs `kubectl` configured (`~/.kube/config`).", false},
		{"cron line", "command", "pg_dump app > /var/log/backup.log 2>&1", false},
		{"script over lines", "source", "#!/bin/sh\nrm -rf /tmp/x\ncat /etc/os-release | grep VERSION_ID", false},
		{"python frame", "abs_path", "/usr/local/lib/python3.12/site-packages/django/db/backends/utils.py", false},
		{"go frame", "file", "/usr/local/go/src/net/http/server.go", false},
		{"php frame", "abs_path", "/var/www/html/vendor/laravel/framework/src/Illuminate/Database/Connection.php", false},
		{"php frame of an app", "abs_path", "/var/www/html/app/Http/Controllers/HomeController.php", false},
		{"python frame of an app", "abs_path", "/opt/app/app/views.py", false},
		{"db include of a site", "f", "/var/www/html/includes/db.php", true},
		{"db connect include of a site", "f", "/var/www/html/inc/db_connect.php", true},
		{"db module of an app", "f", "/opt/app/app/db.py", true},
		{"connection module of an app", "f", "/opt/app/lib/connection.py", true},
		{"jvm program", "java_home", "/usr/lib/jvm/java-17-openjdk-amd64/bin/java", false},
		{"public key", "q", "copy ~/.ssh/id_rsa.pub to the server", false},
		{"dotenv template upload", "file.filename", ".env.example", false},
		{"dotenv template path", "path", "deploy/.env.example", false},
		{"passwd in a question", "q", "what is /etc/passwd", true},
		{"private key in prose", "q", "cat ~/.ssh/id_rsa please", true},
		{"process environment in prose", "q", "read /proc/self/environ now", true},
		{"hosts as the value", "file", "/etc/hosts", true},
		{"log as the value", "file", "/var/log/apache2/access.log", true},
		{"command and a file", "q", "cat /etc/hosts", true},
		{"option and a web root file", "opts", "-write /var/www/html/shell.php", true},
		{"php settings under lib", "f", "/usr/lib/php/php.ini", true},
		{"settings source beside the web root", "f", "/var/www/config.php", true},
		{"pear gadget", "file", "/usr/local/lib/php/pearcmd.php", true},
		{"program files path", "f", "C:/program files (x86)/apache group/apache2/conf/httpd.conf", true},
		{"dotenv production", "f", ".env.production", true},
		{"program in a lib directory with settings", "f", "/usr/lib/security/mkuser.default", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &request.Param{Source: request.SourceQuery, Name: tt.param, Value: tt.value}
			if strings.HasSuffix(tt.param, ".filename") {
				p.Source = request.SourceMultipart
			}
			_, got := matchTraversal(p, tt.value)
			if got != tt.want {
				t.Errorf("matchTraversal(%s=%q) = %v, want %v", tt.param, tt.value, got, tt.want)
			}
		})
	}
}

func TestPathDotSegments(t *testing.T) {
	tests := []struct {
		path string
		want bool
	}{
		{"/%2e/WEB-INF/web.xml", true},
		{"/xxx/..;/admin/", true},
		{"/api/.;/internal", true},
		{"/a/..;jsessionid=1/b", true},
		{"/cgi-bin/.%252e/.%252e/.%252e/bin/sh", true},
		{"/assets/file:%2f%2f/usr/src/app/%252e%252e/%252e%252e/etc/passwd", true},
		{"/../../../../etc/passwd", true},
		{"/a/../../etc/passwd", true},
		{"/x/..%2f..%2fetc/passwd", true},
		{"/x/..%252f..%252fetc/passwd", true},
		{"/static/..%5c..%5cwindows/win.ini", true},
		{`/static/..\..\windows\win.ini`, true},
		{"/a/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd", true},
		{"/a/%u002e%u002e/b", true},
		{"/a/.%2E/b", true},
		{"/a/..%00/b", true},
		{"/.../.../x", true},
		// Benign or only abnormal.
		{"/", false},
		{"/get/..", false},
		{"/..", false},
		{"/a/../b", false},
		{"/a/./b", false},
		{"/get/foo../1234", false},
		{"/get/foo.../1234", false},
		{"/get/..foo", false},
		{"/.well-known/openid-configuration", false},
		{"/_next/static/chunks/pages/%5B...slug%5D-df00add4.js", false},
		{"/activityi;src=54;type=global;u1=%2522761f%2522;uafvl=Not.A%252FBrand%3B8.0.0.0", false},
		{"/api/v1/image/assets%2FYJIGb4i0%2F416cf7e2", false},
		{"/1/indexes/npm-search/%40types%2Freact", false},
		{"/search/50%off/deals", false},
		{"/files/my.report.v2.pdf", false},
		{"/a/b/c/../../d", false},
		{"/a/%2e%2e.pdf", false},
		{"/files/.hidden-but-fine/x", false},
		{"/v2/%2E%2Efoo/bar", false},
	}
	for _, tt := range tests {
		if _, got := pathDotSegments(tt.path); got != tt.want {
			t.Errorf("pathDotSegments(%q) = %v, want %v", tt.path, got, tt.want)
		}
	}
}

func TestPathSystemFile(t *testing.T) {
	tests := []struct {
		path string
		want bool
	}{
		{"/etc/passwd", true},
		{"/@fs/etc/passwd", true},
		{"/get/proc/interrupts", true},
		{"/download/proc/self/environ", true},
		{"/x/proc/1/environ", true},
		{"/files/windows/win.ini", true},
		{"/a/etc/ssh", true},
		{"/a/etc/php/8.1/fpm/php.ini", true},
		{"/static/var/log/nginx/access.log", true},
		{"/ETC/PASSWD", true},
		{"/etc/passwd-", true},
		// Benign.
		{"/v1.0/me/drive/root/children", false},
		{"/products/etc/groups", false},
		{"/blog/etc", false},
		{"/api/proc/status", false},
		{"/school/sys/class/5", false},
		{"/docs/windows/setup", false},
		{"/var/", false},
		{"/static/js/etc.js", false},
		{"/proc/12/summary", false},
		{"/blog/etc/passwd-managers-review", false},
		{"/win.ini.html", false},
		{"/docs/boot.ini-explained", false},
	}
	for _, tt := range tests {
		if _, got := pathSystemFile(tt.path); got != tt.want {
			t.Errorf("pathSystemFile(%q) = %v, want %v", tt.path, got, tt.want)
		}
	}
}

func TestTraversalRequest(t *testing.T) {
	type q struct{ name, value string }
	tests := []struct {
		name, host, uri string
		params          []q
		want            bool
	}{
		{"tomcat path parameter", "shop.example", "/xxx/..;/admin/", nil, true},
		{"encoded dot segment", "shop.example", "/%2e/WEB-INF/web.xml", nil, true},
		{"absolute form", "shop.example", "http://shop.example/a/../../etc/hosts", nil, true},
		{"system file in the path", "shop.example", "/@fs/etc/passwd?import&raw??", nil, true},
		{"include parameter, text file elsewhere", "shop.example", "/index.php", []q{{"page", "http://attacker.example/shell.txt"}}, true},
		{"include parameter, script elsewhere", "shop.example", "/index.php", []q{{"file", " https://attacker.example/x.php"}}, true},
		{"include parameter, no host known", "", "/index.php", []q{{"lang", "http://attacker.example/en.php"}}, true},
		// Benign.
		{"plain", "shop.example", "/search?q=shoes", []q{{"q", "shoes"}}, false},
		{"dotted file names", "shop.example", "/static/app.1234.min.js", nil, false},
		{"return link to the site", "www.shop.example", "/login", []q{{"page", "https://shop.example/account.php"}}, false},
		{"return link to a subdomain", "shop.example:8443", "/login", []q{{"page", "https://m.shop.example/index.php"}}, false},
		{"page link without a script", "shop.example", "/share", []q{{"page", "https://www.ibm.example/topics/saas"}}, false},
		{"url parameter to a script", "shop.example", "/go", []q{{"url", "https://weibo.example/login.php"}}, false},
		{"include parameter, html page", "shop.example", "/x", []q{{"page", "https://other.example/about.html"}}, false},
		{"unc share in an include parameter", "shop.example", "/read", []q{{"file", `\\evil.example\share\x`}}, true},
		{"unc share at an ip", "shop.example", "/read", []q{{"path", `\\203.0.113.7\s\shell.php`}}, true},
		{"webdav unc share", "shop.example", "/read", []q{{"template", `\\evil.example@SSL\dav\x.php`}}, true},
		{"unc share on the local network", "shop.example", "/scan", []q{{"path", `\\fs01\scans\2024\a.pdf`}}, false},
		{"unc share on a local domain", "shop.example", "/scan", []q{{"path", `\\fs01.corp.local\scans\a.pdf`}}, false},
		{"unc share of the site", "www.shop.example", "/scan", []q{{"file", `\\files.shop.example\pub\a.pdf`}}, false},
		{"unc host alone", "shop.example", "/scan", []q{{"file", `\\evil.example`}}, false},
		{"windows long path prefix", "shop.example", "/scan", []q{{"file", `\\?\C:\data\a.txt`}}, false},
		{"unc share in another parameter", "shop.example", "/scan", []q{{"location", `\\files.example.org\pub\a.pdf`}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &request.Request{Method: "GET", Host: tt.host, URI: tt.uri}
			path := tt.uri
			if i := strings.Index(path, "://"); i >= 0 {
				path = path[i+3:]
				path = path[strings.IndexByte(path, '/'):]
			}
			if i := strings.IndexByte(path, '?'); i >= 0 {
				path = path[:i]
			}
			r.Path = path
			for _, p := range tt.params {
				r.Params = append(r.Params, request.Param{Source: request.SourceQuery, Name: p.name, Value: p.value})
			}
			checkTraversalRequest(r)
			if got := r.HasSignal(TRAVERSAL); got != tt.want {
				t.Errorf("TRAVERSAL = %v, want %v (signals %+v)", got, tt.want, r.Signals)
			}
		})
	}
}

func TestTraversalInspect(t *testing.T) {
	// Whole requests through the registry: the path as sent reaches the request check.
	for _, tt := range []struct {
		uri, path string
		want      bool
	}{
		{"/cgi-bin/.%252e/.%252e/.%252e/bin/sh", "/cgi-bin/.%2e/.%2e/.%2e/bin/sh", true},
		{"/wp-content/uploads/2024/01/photo.jpg", "/wp-content/uploads/2024/01/photo.jpg", false},
	} {
		r := &request.Request{Method: "GET", URI: tt.uri, Path: tt.path, UserAgent: "Mozilla/5.0"}
		Inspect(r)
		if got := r.HasSignal(TRAVERSAL); got != tt.want {
			t.Errorf("Inspect(%q): TRAVERSAL = %v, want %v (signals %+v)", tt.uri, got, tt.want, r.Signals)
		}
	}
}

// BenchmarkPathChecks runs the request-wide path checks (traversal, private files) and
// the traversal value check on a benign request with a dotted static path and a URL.
func BenchmarkPathChecks(b *testing.B) {
	r := &request.Request{Method: "GET", Host: "shop.example.com",
		URI:  "/static/js/app.3f9a1c0e.min.js?v=2&ref=https%3A%2F%2Fshop.example.com%2Fcatalog%3Fpage%3D2",
		Path: "/static/js/app.3f9a1c0e.min.js",
		Params: []request.Param{
			{Source: request.SourcePath, Name: "path[0]", Value: "static"},
			{Source: request.SourcePath, Name: "path[1]", Value: "js"},
			{Source: request.SourcePath, Name: "path[2]", Value: "app.3f9a1c0e.min.js"},
			{Source: request.SourceQuery, Name: "v", Value: "2"},
			{Source: request.SourceQuery, Name: "ref", Value: "https://shop.example.com/catalog?page=2"},
		}}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		r.Signals = r.Signals[:0]
		for k := range r.Params {
			matchTraversal(&r.Params[k], r.Params[k].Value)
		}
		checkTraversalRequest(r)
		checkPrivateFile(r)
		if len(r.Signals) > 0 {
			b.Fatal(r.Signals)
		}
	}
}

// traversalValues are attacks the value check finds wherever they sit in a value (doc
// comment of traversal.go: two dot-dot steps, one with a backslash or an encoded dot,
// stream wrappers, absolute paths of system files).
var traversalValues = []string{
	"../../../../etc/passwd", `..\..\..\windows\win.ini`, "..%2f..%2f..%2fetc%2fshadow", "/etc/passwd",
	"php://filter/convert.base64-encode/resource=index.php", "/proc/self/environ", "....//....//etc/hosts",
}

// privateSegments are last path segments PRIVATEFILE finds under any directory.
var privateSegments = []string{".git/config", ".env", "id_rsa", "backup.sql", "config.php.bak", "WEB-INF/web.xml", "debug.log", ".aws/credentials"}

// pathSegments turns s into a path of benign directories: lower-case letters and digits,
// cut into segments of at most 8 bytes.
func pathSegments(s string) string {
	dirs := benignText(s, "abcdefghijklmnopqrstuvwxyz0123456789", 48)
	var b strings.Builder
	for len(dirs) > 0 {
		n := min(len(dirs), 8)
		b.WriteString("/" + dirs[:n])
		dirs = dirs[n:]
	}
	return b.String()
}

// FuzzPathChecks checks the path and value promises of traversal.go and privatefile.go:
//
//   - TRAVERSAL, value: each of traversalValues is found after any benign text
//     (benignAlphabet, then a space or '='), in a parameter of any name; words of prose
//     (letters, spaces, ',' and '-': no dots, digits or separators) never match, even in
//     an include-like parameter; a fragment is non-empty and part of the value.
//   - TRAVERSAL, request: encoded dot segments in the path as sent, and a system file
//     named anywhere in the decoded path, are found under any benign directories.
//   - PRIVATEFILE: each of privateSegments is found under any benign directories; only
//     the path counts, so adding a query parameter never changes the verdict (but
//     public=true on Joomla's API path, the one endpoint judged with its query); a path
//     of lower-case letters and digits never matches.
//   - any target, name and value: no panic.
func FuzzPathChecks(f *testing.F) {
	for _, s := range []string{"/%2e/WEB-INF/web.xml", "/xxx/..;/admin/", "/a/%c0%ae%c0", "/@fs/", "/%u002", "http://h", "/.env.", "/x.sql.zip", "/%25%", "/%"} {
		f.Add(s, "page", "http://a/x.php?", uint8(0))
	}
	f.Add("/api/index.php/v1/config/application", "public", "true", uint8(1))
	f.Add("/acme/web/blob/main/.vscode/settings.json", "path", "../shared/utils.ts", uint8(2))
	f.Add("/actuator/env", "file", "..\uff0f..\uff0fetc\uff0fpasswd", uint8(3))
	f.Add("/app/etc/local.xml", "abs_path", "/usr/local/lib/python3.12/site-packages/x.py", uint8(4))
	f.Add("/x", "file", `\\evil.example\share\x`, uint8(5))
	for n := range 8 {
		f.Add("/docs", "file", "Annual report, final version", uint8(n))
		f.Add("/a/b", "q", "x", uint8(n+128))
	}
	f.Fuzz(func(t *testing.T, uri, name, value string, n uint8) {
		r := &request.Request{Method: "GET", Host: "h", URI: uri, Path: uri,
			Params: []request.Param{{Source: request.SourceQuery, Name: name, Value: value}}}
		checkTraversalRequest(r)
		checkPrivateFile(r)
		if frag, ok := matchTraversal(&r.Params[0], value); ok {
			checkFragment(t, TRAVERSAL, value, frag)
		}

		// The value check.
		p := &request.Param{Source: request.SourceQuery, Name: name}
		v := benignText(value, benignAlphabet, 60) + pick([]string{" ", "="}, n/128) + pick(traversalValues, n)
		if frag, ok := matchTraversal(p, v); !ok {
			t.Fatalf("TRAVERSAL missed %q in parameter %q", v, name)
		} else {
			checkFragment(t, TRAVERSAL, v, frag)
		}
		words := benignText(value, wordAlphabet, 200)
		for _, pn := range []string{name, "file"} {
			p.Name = pn
			if frag, ok := matchTraversal(p, words); ok {
				t.Fatalf("TRAVERSAL matched prose %q in parameter %q (fragment %q)", words, pn, frag)
			}
		}

		// The request checks, with the path under benign directories.
		dirs := pathSegments(uri)
		judge := func(target string, params ...request.Param) []request.Signal {
			r := &request.Request{Method: "GET", Host: "h", URI: target, Path: target, Params: params}
			r.Path, _ = url.PathUnescape(target)
			checkTraversalRequest(r)
			checkPrivateFile(r)
			return r.Signals
		}
		for _, target := range []string{dirs + "/%2e%2e/%2e%2e/%2e%2e/etc/hosts", dirs + "/etc/passwd"} {
			if !slices.ContainsFunc(judge(target), func(s request.Signal) bool { return s.Name == TRAVERSAL }) {
				t.Fatalf("TRAVERSAL missed the path %q", target)
			}
		}
		private := dirs + "/" + pick(privateSegments, n)
		if !slices.ContainsFunc(judge(private), func(s request.Signal) bool { return s.Name == PRIVATEFILE }) {
			t.Fatalf("PRIVATEFILE missed the path %q", private)
		}
		for _, target := range []string{dirs, dirs + "/" + benignText(name, benignAlphabet, 20), uri} {
			if !strings.HasPrefix(target, "/") {
				continue
			}
			alone := judge(target)
			withQuery := judge(target, request.Param{Source: request.SourceQuery, Name: name, Value: value})
			joomla := strings.EqualFold(name, "public") && indexFold(target, "/api/index.php/v1/") >= 0
			if !joomla && slices.ContainsFunc(alone, isPrivateFile) != slices.ContainsFunc(withQuery, isPrivateFile) {
				t.Fatalf("PRIVATEFILE on %q: %v alone, %v with the query %s=%s", target, alone, withQuery, name, value)
			}
		}
		if got := judge(dirs); slices.ContainsFunc(got, isPrivateFile) {
			t.Fatalf("PRIVATEFILE on benign path %q: %v", dirs, got)
		}
	})
}

func isPrivateFile(s request.Signal) bool { return s.Name == PRIVATEFILE }

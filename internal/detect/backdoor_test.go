package detect

import (
	"strconv"
	"strings"
	"testing"

	"github.com/rampartwaf/rampart/internal/request"
)

// backdoorRequest builds a parsed request from a path ("/a/b.php", or "/" for a directory
// index) and query or form parameters.
func backdoorRequest(path string, params ...request.Param) *request.Request {
	r := &request.Request{Method: "GET", Path: path}
	for i, s := range strings.Split(strings.Trim(path, "/"), "/") {
		if s != "" {
			r.Params = append(r.Params, request.Param{Source: request.SourcePath, Name: "path[" + strconv.Itoa(i) + "]", Value: s})
		}
	}
	r.Params = append(r.Params, params...)
	return r
}

func TestBackdoor(t *testing.T) {
	q := func(n, v string) request.Param { return request.Param{Source: request.SourceQuery, Name: n, Value: v} }
	form := func(n, v string) request.Param { return request.Param{Source: request.SourceForm, Name: n, Value: v} }
	tests := []struct {
		name   string
		path   string
		params []request.Param
		want   bool
	}{
		{"c99", "/uploads/c99.php", nil, true},
		{"r57 upper", "/R57.PHP", nil, true},
		{"wso", "/wp-content/wso.php", []request.Param{q("a", "x")}, true},
		{"b374k", "/b374k.php", nil, true},
		{"aspxspy", "/aspxspy.aspx", nil, true},
		{"jspspy", "/jspspy.jsp", nil, true},
		{"alfa", "/alfa.php", nil, true},
		{"alfa rex", "/wp-includes/alfa-rex.php", nil, true},
		{"xleet", "/xleet.php", nil, true},
		{"wso with a number", "/wso1.php", nil, true},
		{"wso 404", "/wp-admin/wso404.php", nil, true},
		{"alfa with a year", "/alfa2024.php7", nil, true},
		{"0x", "/0x.php", nil, true},
		{"xmlrpc typo", "/xmrlpc.php", nil, true},
		{"wp-config typo", "/wp-conflg.php", nil, true},
		{"webshell alone", "/webshell.php", nil, true},
		{"backdoor asp alone", "/backdoor.asp", nil, true},
		{"shell aspx", "/shell.aspx", nil, true},
		{"cmd jsp", "/cmd.jsp", nil, true},
		{"cmd aspx upper", "/aspnet_client/Cmd.ASPX", nil, true},
		{"shell jspx", "/shell.jspx", nil, true},
		{"shell with cmd", "/images/shell.php", []request.Param{q("cmd", "id")}, true},
		{"numbered shell with cmd", "/shell1.php", []request.Param{q("cmd", "x")}, true},
		{"mini with cmd", "/mini.php", []request.Param{q("command", "x")}, true},
		{"cmd jsp with cmd", "/cmd.jsp", []request.Param{q("cmd", "dir")}, true},
		{"hack asp command", "/hack.asp", []request.Param{form("command", "ver")}, true},
		{"double extension", "/uploads/avatar.php.jpg", nil, true},
		{"nul extension", "/uploads/a.php\x00.png", nil, true},
		{"iis semicolon", "/up/x.asp;.jpg", nil, true},
		{"wso action", "/index.php", []request.Param{form("a", "FilesMan")}, true},
		// Directories web shells live in.
		{"alfa cgi", "/alfacgiapi/perl.alfa", []request.Param{q("cmd", "id")}, true},
		{"alfa data", "/wp-content/ALFA_DATA/alfacgiapi/bash.alfa", nil, true},
		{"hellopress", "/wp-content/plugins/hellopress/wp_filemanager.php", nil, true},
		// A script under a directory of uploads.
		{"wp uploads", "/wp-content/uploads/2024/01/x.php", nil, true},
		{"wp uploads post", "/wp-content/uploads/x.php", []request.Param{form("cmd", "id")}, true},
		{"uploads c", "/uploads/avatar.php", []request.Param{q("c", "id")}, true},
		{"uploads upper", "/UPLOADS/X.PHTML", nil, true},
		{"userfiles asp", "/userfiles/file/a.asp", nil, true},
		{"drupal files", "/sites/default/files/x.php", nil, true},
		{"well-known", "/.well-known/pki-validation/shell.php", nil, true},
		{"acme challenge", "/.well-known/acme-challenge/a.phtml", nil, true},
		{"uploads jsp", "/app/uploads/tmp/s.jsp", nil, true},
		// A reconnaissance command in a command parameter of a script or an index.
		{"index cmd id", "/index.php", []request.Param{q("cmd", "id")}, true},
		{"jsp cmd id", "/x.jsp", []request.Param{q("cmd", "id")}, true},
		{"exec ls -la", "/index.php", []request.Param{q("exec", "ls -la")}, true},
		{"theme 404 whoami", "/wp-content/themes/twentytwenty/404.php", []request.Param{q("command", "whoami")}, true},
		{"posted uname", "/index.php", []request.Param{form("cmd", "uname -a")}, true},
		{"root cmd", "/", []request.Param{q("cmd", "id")}, true},
		{"dir index pwd", "/admin/", []request.Param{q("shell", "pwd")}, true},
		{"c whoami", "/a.php", []request.Param{q("c", "whoami")}, true},
		{"c cat passwd", "/a.php", []request.Param{q("c", "cat /etc/passwd")}, true},
		{"c uname -a", "/a.php", []request.Param{q("c", "uname -a")}, true},
		{"dir drive", "/default.aspx", []request.Param{q("cmd", `dir c:\`)}, true},
		{"net user", "/default.asp", []request.Param{q("cmd", "net user")}, true},
		{"ipconfig all", "/x.cfm", []request.Param{q("execute", "IPCONFIG /all")}, true},
		{"ps aux", "/x.php", []request.Param{q("cmd", "ps aux")}, true},
		{"id then separator", "/x.php", []request.Param{q("cmd", "id;")}, true},
		{"type win.ini", "/x.aspx", []request.Param{q("cmd", `type C:\Windows\win.ini`)}, true},
		{"ls root", "/x.php", []request.Param{q("cmd", "ls /")}, true},
		// Benign.
		{"index", "/index.php", nil, false},
		{"upload with cmd", "/upload.php", []request.Param{q("cmd", "save")}, false},
		{"shell without cmd", "/shell.php", nil, false},
		{"cmd php without cmd", "/cmd.php", nil, false},
		{"shell route", "/shell", []request.Param{q("cmd", "ls")}, false},
		{"image", "/img/cat.jpg", nil, false},
		{"image version", "/img/logo.v2.png", nil, false},
		{"php in dir", "/php/app.js", nil, false},
		{"c99 text", "/c99.txt", nil, false},
		{"a param", "/list.php", []request.Param{q("a", "Files")}, false},
		{"cmd not last", "/cmd.php/help", nil, false},
		{"no path", "", []request.Param{q("cmd", "x")}, false},
		{"docs page", "/docs/shell-scripting.html", nil, false},
		{"mini", "/mini.php", nil, false},
		{"xmlrpc", "/xmlrpc.php", nil, false},
		{"wp-config", "/wp-config.php", nil, false},
		{"tiny", "/tiny.php", nil, false},
		{"mini cart", "/mini-cart.php", nil, false},
		{"alfa romeo", "/alfa-romeo.php", nil, false},
		{"tinymce", "/js/tinymce/tinymce.php", nil, false},
		{"shell in a word", "/seashell.php", nil, false},
		{"cmd cgi", "/cgi-bin/shell.cgi", nil, false},
		{"logo script", "/images/logo.php", nil, false},
		{"timthumb", "/images/timthumb.php", []request.Param{q("src", "/uploads/a.jpg")}, false},
		{"download", "/files/download.php", []request.Param{q("id", "3")}, false},
		{"media index", "/media/index.php", nil, false},
		{"upload handler", "/upload/index.php", nil, false},
		{"uploads pdf", "/uploads/report.pdf", nil, false},
		{"uploads photo", "/wp-content/uploads/2024/01/photo.jpg", nil, false},
		{"uploads php name", "/uploads/php-cheatsheet.pdf", nil, false},
		{"uploads route", "/api/v1/uploads", nil, false},
		{"uploads last", "/uploads.php", nil, false},
		{"drupal image", "/sites/default/files/styles/thumb/a.jpg", nil, false},
		{"files not drupal", "/sites/files/x.php", nil, false},
		{"well-known json", "/.well-known/openid-configuration", nil, false},
		{"elfinder ls", "/connector.php", []request.Param{q("cmd", "ls"), q("target", "l1_Lw")}, false},
		{"cmd dir alone", "/x.php", []request.Param{q("cmd", "dir")}, false},
		{"cmd word", "/cgi/capi.php", []request.Param{q("cmd", "ReportUserLastVisit")}, false},
		{"command ping", "/api.php", []request.Param{q("command", "ping")}, false},
		{"docs shell bash", "/docs/index.php", []request.Param{q("shell", "bash")}, false},
		{"exec date", "/x.php", []request.Param{q("exec", "date")}, false},
		{"cmd idle", "/x.php", []request.Param{q("cmd", "idle")}, false},
		{"cmd id card", "/x.php", []request.Param{q("cmd", "id_card")}, false},
		{"cmd id with text", "/x.php", []request.Param{q("cmd", "id 42")}, false},
		{"sort column id", "/list.php", []request.Param{q("c", "id"), q("o", "asc")}, false},
		{"sort column uname", "/list.php", []request.Param{q("c", "uname")}, false},
		{"c homepage", "/q.php", []request.Param{q("c", "homepage")}, false},
		{"cmd id on a route", "/api/run", []request.Param{q("cmd", "id")}, false},
		{"cmd id as a key", "/x.php", []request.Param{{Source: request.SourceForm, Name: "cmd", Value: "id", Key: true}}, false},
		{"cat without a path", "/x.php", []request.Param{q("cmd", "cat pictures")}, false},
		{"net profit", "/x.php", []request.Param{q("cmd", "net profit")}, false},
		{"ls long word", "/x.php", []request.Param{q("cmd", "lsof")}, false},
		{"whoami in a cookie", "/x.php", []request.Param{{Source: request.SourceCookie, Name: "cmd", Value: "id"}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := backdoorRequest(tt.path, tt.params...)
			checkBackdoor(r)
			if got := r.HasSignal(BACKDOOR); got != tt.want {
				t.Errorf("BACKDOOR = %v, want %v (signals %+v)", got, tt.want, r.Signals)
			}
		})
	}
}

func TestASPShell(t *testing.T) {
	tests := []struct {
		name, v string
		want    bool
	}{
		{"chopper", `<%eval request("pass")%>`, true},
		{"chopper spaces", `<% eval  request ( "x" ) %>`, true},
		{"execute", `<%execute(request("x"))%>`, true},
		{"executeglobal upper", `<%ExecuteGlobal Request("a")%>`, true},
		{"chopper aspx", `<%@ Page Language="Jscript"%><%eval(Request.Item["pass"],"unsafe");%>`, true},
		{"after gif header", "GIF89a\n<%eval request(\"z\")%>", true},
		{"unclosed", `<%eval request("pass")`, true},
		{"process start", `<%@ Page Language="C#" %><% System.Diagnostics.Process.Start("cmd.exe","/c "+Request["c"]); %>`, true},
		{"process start info", `<% var p = new ProcessStartInfo(Request.QueryString["c"]); %>`, true},
		{"wscript shell", `<%Set o=CreateObject("WScript.Shell"):o.Run Request("c")%>`, true},
		// Benign.
		{"response write", `<% Response.Write(Request("q")) %>`, false},
		{"erb", `<%= request.path %> and <% if evaluation %>`, false},
		{"directive alone", `<%@ Page Language="C#" %>`, false},
		{"eval inside a word", `<% medieval request("x") %>`, false},
		{"evaluate", `<% evaluate request("x") %>`, false},
		{"eval no request", `<% eval(document.x) %>`, false},
		{"process without request", `<% Process.Start("notepad.exe"); %>`, false},
		{"percent prose", "100% <- our score, 50% < target", false},
		{"request outside the block", `<% eval x %> request("y")`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			frag, got := matchASPShell(nil, tt.v, valueClasses(tt.v))
			if got != tt.want {
				t.Fatalf("matchASPShell(%q) = %v, want %v", tt.v, got, tt.want)
			}
			if got && !strings.Contains(tt.v, frag) {
				t.Fatalf("fragment %q not in %q", frag, tt.v)
			}
		})
	}
	// Through the dispatch, as a form field an .asp page is written from.
	r := &request.Request{Params: []request.Param{{Source: request.SourceForm, Name: "msg", Value: `<%eval request("chopper")%>`}}}
	Inspect(r)
	if !r.HasSignal(BACKDOOR) {
		t.Fatalf("BACKDOOR missed the form field: %+v", r.Signals)
	}
}

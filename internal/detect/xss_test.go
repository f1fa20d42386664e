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
		{"script tag", "<script>alert(1)</script>", true},
		{"svg onload", "<svg/onload=alert(1)>", true},
		{"unknown handler unclosed", "<x onxxx=1", true},
		{"handler after quote attr", `<img src="x"onerror="alert(1)">`, true},
		{"namespaced tag", `<x:script xmlns:x="http://www.w3.org/1999/xhtml">alert(1)</x:script>`, true},
		{"iframe srcdoc", `<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;">`, true},
		{"srcdoc any tag", `<p srcdoc=x>`, true},
		{"javascript url", "javascript:alert(document.domain)", true},
		{"javascript url tab", "java\tscript:alert(1)", true},
		{"javascript href", `<a href="JaVaScRiPt:alert(1)">x</a>`, true},
		{"data html", "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", true},
		{"attribute breakout", `" onmouseover="alert(1)`, true},
		{"attribute breakout single", `' autofocus onfocus=alert(1) x='`, true},
		{"js string breakout", "'-alert(1)-'", true},
		{"js statement breakout", `";confirm(1)//`, true},
		{"template literal", "alert`1`", true},
		{"sink as value", "(alert)(1)", true},
		{"style expression", `<div style="width:expression(alert(1))">`, true},
		{"meta refresh", `<meta http-equiv="refresh" content="0;url=javascript:alert(1)">`, true},
		{"link import", `<link rel=import href=//evil.example>`, true},
		// benign
		{"bold comment", "I <b>really</b> liked it", false},
		{"div markdown", "```html\n<div class=\"note\">hello</div>\n```", false},
		{"comparison", "a < b > c", false},
		{"heart", "I <3 you", false},
		{"styled span", `<span style="color:red">warning</span>`, false},
		{"style element", "<style>p { color: blue; }</style>", false},
		{"link markup", `<a href="https://example.com/page?x=1">docs</a>`, false},
		{"image", `<img src="/cat.png" alt="cat">`, false},
		{"prose alert", "Please alert(me) when it is done", false},
		{"prose confirm", "Reply (confirm) by Friday", false},
		{"prose javascript", "Learn javascript: a gentle guide", false},
		{"void link", "javascript:void(0)", false},
		{"url", "https://example.com/a?b=c&d=e", false},
		{"email", "Jane <jane@example.org>", false},
		{"json", `{"html":"<p>hi</p>","n":1}`, false},
		{"code sample", "function add(a, b) { return a + b; }", false},
		{"online word", "we are <em>online</em> now", false},
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
}

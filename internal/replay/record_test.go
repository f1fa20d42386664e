package replay

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/rampartwaf/rampart/internal/request"
)

// want is the part of a built Request the tests compare.
type want struct {
	Method, URI, Path, RawQuery, Host, Proto string
	UserAgent, ContentType, Body             string
	Headers                                  []request.Header
	Flags                                    request.Flags
}

func got(r *request.Request) want {
	return want{
		Method: r.Method, URI: r.URI, Path: r.Path, RawQuery: r.RawQuery, Host: r.Host, Proto: r.Proto,
		UserAgent: r.UserAgent, ContentType: r.ContentType, Body: string(r.Body),
		Headers: r.Headers, Flags: r.Flags,
	}
}

func TestBuildRequestRecord(t *testing.T) {
	tests := []struct {
		name string
		rec  Record
		want want
	}{
		{
			name: "origin form with body",
			rec: Record{Method: "POST", URI: "/a%2Fb/c%20d?x=%27&y", BodyB64: base64.StdEncoding.EncodeToString([]byte("k=v")),
				Headers: [][]string{{"Content-Type", "application/x-www-form-urlencoded"}, {"user-agent", "ua/1"}, {"User-Agent", "second"}}},
			want: want{Method: "POST", URI: "/a%2Fb/c%20d?x=%27&y", Path: "/a/b/c d", RawQuery: "x=%27&y", Host: "localhost", Proto: "HTTP/1.1",
				UserAgent: "ua/1", ContentType: "application/x-www-form-urlencoded", Body: "k=v",
				Headers: []request.Header{{Name: "Content-Type", Value: "application/x-www-form-urlencoded"}, {Name: "user-agent", Value: "ua/1"}, {Name: "User-Agent", Value: "second"}}},
		},
		{
			name: "a Host header is the request's host, as the proxy has it",
			rec:  Record{Method: "GET", URI: "/x", Headers: [][]string{{"host", "shop.example.com"}, {"Host", "second.example"}}},
			want: want{Method: "GET", URI: "/x", Path: "/x", Host: "shop.example.com", Proto: "HTTP/1.1",
				Headers: []request.Header{{Name: "host", Value: "shop.example.com"}, {Name: "Host", Value: "second.example"}}},
		},
		{
			name: "absolute form wins over a Host header",
			rec:  Record{Method: "GET", URI: "http://evil.example/", Headers: [][]string{{"Host", "shop.example.com"}}},
			want: want{Method: "GET", URI: "http://evil.example/", Path: "/", Host: "evil.example", Proto: "HTTP/1.1",
				Headers: []request.Header{{Name: "Host", Value: "shop.example.com"}}},
		},
		{
			name: "invalid escape kept, plus stays",
			rec:  Record{Method: "GET", URI: "/a%zz%4/b+c%41"},
			want: want{Method: "GET", URI: "/a%zz%4/b+c%41", Path: "/a%zz%4/b+cA", Host: "localhost", Proto: "HTTP/1.1", Headers: []request.Header{}},
		},
		{
			name: "absolute form",
			rec:  Record{Method: "GET", URI: "http://evil.example:81?a=1"},
			want: want{Method: "GET", URI: "http://evil.example:81?a=1", Path: "/", RawQuery: "a=1", Host: "evil.example:81", Proto: "HTTP/1.1", Headers: []request.Header{}},
		},
		{
			name: "asterisk form",
			rec:  Record{Method: "OPTIONS", URI: "*"},
			want: want{Method: "OPTIONS", URI: "*", Path: "*", Host: "localhost", Proto: "HTTP/1.1", Headers: []request.Header{}},
		},
		{
			name: "authority form",
			rec:  Record{Method: "CONNECT", URI: "db.internal:5432"},
			want: want{Method: "CONNECT", URI: "db.internal:5432", Host: "localhost", Proto: "HTTP/1.1", Headers: []request.Header{}},
		},
		{
			name: "odd method and non-ASCII target",
			rec:  Record{Method: "|GET", URI: "/café?é=1"},
			want: want{Method: "|GET", URI: "/café?é=1", Path: "/café", RawQuery: "é=1", Host: "localhost", Proto: "HTTP/1.1", Headers: []request.Header{}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			js, _ := json.Marshal(tt.rec)
			rec, err := decodeRecord(js)
			if err != nil {
				t.Fatal(err)
			}
			reqs, err := rec.build(DefaultPlacements)
			if err != nil {
				t.Fatal(err)
			}
			if len(reqs) != 1 || reqs[0].placement != PlacementRequest {
				t.Fatalf("built %d requests, want 1 request placement", len(reqs))
			}
			r := reqs[0].req
			if r.Scheme != "http" || r.IP.String() != "127.0.0.1" || r.Protocol != request.ProtocolHTTP {
				t.Errorf("scheme %q ip %v protocol %v; want http 127.0.0.1 http", r.Scheme, r.IP, r.Protocol)
			}
			if g := got(r); !reflect.DeepEqual(g, tt.want) {
				t.Errorf("built\n %+v\nwant\n %+v", g, tt.want)
			}
		})
	}
}

func TestParseRaw(t *testing.T) {
	tests := []struct {
		name string
		raw  string
		want want
	}{
		{
			name: "CRLF with Host and Content-Length",
			raw:  "POST /p?a=1 HTTP/1.1\r\nHost: h.example\r\nContent-Length: 3\r\nUser-Agent: u\r\n\r\nabc",
			want: want{Method: "POST", URI: "/p?a=1", Path: "/p", RawQuery: "a=1", Host: "h.example", Proto: "HTTP/1.1", UserAgent: "u", Body: "abc",
				Headers: []request.Header{{Name: "Host", Value: "h.example"}, {Name: "Content-Length", Value: "3"}, {Name: "User-Agent", Value: "u"}}},
		},
		{
			name: "bare LF, no Host, body without framing",
			raw:  "GET / HTTP/1.0\nAccept: */*\n\nleft over",
			want: want{Method: "GET", URI: "/", Path: "/", Proto: "HTTP/1.0", Body: "left over",
				Headers: []request.Header{{Name: "Accept", Value: "*/*"}}},
		},
		{
			name: "chunked wins over Content-Length",
			raw:  "POST / HTTP/1.1\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nabc\r\n2\r\nde\r\n0\r\nTrailer: x\r\n\r\n",
			want: want{Method: "POST", URI: "/", Path: "/", Proto: "HTTP/1.1", Body: "abcde",
				Headers: []request.Header{{Name: "Content-Length", Value: "4"}, {Name: "Transfer-Encoding", Value: "chunked"}}},
		},
		{
			name: "bad chunk size keeps the raw body",
			raw:  "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n",
			want: want{Method: "POST", URI: "/", Path: "/", Proto: "HTTP/1.1", Body: "zz\r\nabc\r\n", Flags: request.FlagUnparsable,
				Headers: []request.Header{{Name: "Transfer-Encoding", Value: "chunked"}}},
		},
		{
			name: "smuggled request after the framed body",
			raw:  "POST / HTTP/1.1\r\nContent-Length: 2\r\n\r\nabGET /admin HTTP/1.1\r\n\r\n",
			want: want{Method: "POST", URI: "/", Path: "/", Proto: "HTTP/1.1", Body: "ab", Flags: request.FlagUnparsable,
				Headers: []request.Header{{Name: "Content-Length", Value: "2"}}},
		},
		{
			name: "HTTP/3.0 version, folded header, line without colon",
			raw:  "GET /x HTTP/3.0\nX-A: one\n  two\nnot a header\n\n",
			want: want{Method: "GET", URI: "/x", Path: "/x", Proto: "HTTP/3.0", Flags: request.FlagUnparsable,
				Headers: []request.Header{{Name: "X-A", Value: "one two"}}},
		},
		{
			name: "HTTP/0.9 request line",
			raw:  "GET /old\r\n\r\n",
			want: want{Method: "GET", URI: "/old", Path: "/old", Proto: "HTTP/0.9", Flags: request.FlagUnparsable},
		},
		{
			name: "no header end",
			raw:  "GET / HTTP/1.1\r\nHost: a",
			want: want{Method: "GET", URI: "/", Path: "/", Proto: "HTTP/1.1", Host: "a", Flags: request.FlagUnparsable, Headers: []request.Header{{Name: "Host", Value: "a"}}},
		},
		{
			name: "garbage",
			raw:  "\x00\x01garbage",
			want: want{Method: "\x00\x01garbage", Flags: request.FlagUnparsable},
		},
		{
			name: "empty",
			raw:  "",
			want: want{Flags: request.FlagUnparsable},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := parseRaw([]byte(tt.raw))
			if g := got(r); !reflect.DeepEqual(g, tt.want) {
				t.Errorf("parsed\n %+v\nwant\n %+v", g, tt.want)
			}
		})
	}
}

func TestBuildValueRecord(t *testing.T) {
	tests := []struct {
		name     string
		value    string
		encoding string
		decoded  string
	}{
		{"plain", "' or 1=1-- ", "", "' or 1=1-- "},
		{"quotes, controls and newlines", "a\"b\\c\n\r\t\x00\x1f<é>", "", "a\"b\\c\n\r\t\x00\x1f<é>"},
		{"base64, not UTF-8", base64.StdEncoding.EncodeToString([]byte("\xff\xfe<x>")), "base64", "\xff\xfe<x>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := tt.value
			rec := &Record{Value: &v, Encoding: tt.encoding, Label: LabelAttack}
			reqs, err := rec.build(DefaultPlacements)
			if err != nil {
				t.Fatal(err)
			}
			if len(reqs) != 2 || reqs[0].placement != PlacementQuery || reqs[1].placement != PlacementJSON {
				t.Fatalf("placements %v, want query and json", reqs)
			}
			q := reqs[0].req
			if q.Method != "GET" || q.Path != "/" || !strings.HasPrefix(q.URI, "/?q=") {
				t.Errorf("query request %s %s path %q", q.Method, q.URI, q.Path)
			}
			vals, err := url.ParseQuery(q.RawQuery)
			if err != nil || vals.Get("q") != tt.decoded {
				t.Errorf("query q = %q (%v), want %q", vals.Get("q"), err, tt.decoded)
			}
			j := reqs[1].req
			if j.Method != "POST" || j.ContentType != "application/json" {
				t.Errorf("json request %s content type %q", j.Method, j.ContentType)
			}
			if tt.encoding == "" {
				var body map[string]string
				if err := json.Unmarshal(j.Body, &body); err != nil || body["q"] != tt.decoded {
					t.Errorf("json body %q decodes to %q (%v), want %q", j.Body, body["q"], err, tt.decoded)
				}
			} else if !strings.Contains(string(j.Body), tt.decoded[:2]) {
				t.Errorf("json body %q does not carry the raw bytes", j.Body)
			}
			if j.UserAgent == "" || q.UserAgent == "" {
				t.Error("value requests carry no User-Agent")
			}
		})
	}
}

func TestDecodeRecordErrors(t *testing.T) {
	tests := []string{
		`{`,
		`[]`,
		`{"label": "attack"}`,
		`{"method": "GET", "headers": [["only-name"]]}`,
	}
	for _, line := range tests {
		if _, err := decodeRecord([]byte(line)); !errors.Is(err, ErrRecord) {
			t.Errorf("decodeRecord(%s) = %v, want ErrRecord", line, err)
		}
	}
	bad := []*Record{
		{Method: "GET", BodyB64: "!!"},
		{Value: new(string), Encoding: "base64"},
		{Value: new(string), Encoding: "rot13"},
	}
	*bad[1].Value = "%%%"
	for _, rec := range bad {
		if _, err := rec.build(DefaultPlacements); !errors.Is(err, ErrRecord) {
			t.Errorf("build(%+v) = %v, want ErrRecord", rec, err)
		}
	}
}

func TestShorten(t *testing.T) {
	tests := []struct{ in, want string }{
		{"abc", "abc"},
		{"a\nb\r\tc\x00\x7f", `a\nb\r\tc\x00\x7f`},
		{"\xffé", `\xffé`},
		{strings.Repeat("é", 12), strings.Repeat("é", 10) + "…"},
	}
	for _, tt := range tests {
		if got := shorten(tt.in, 10); got != tt.want {
			t.Errorf("shorten(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

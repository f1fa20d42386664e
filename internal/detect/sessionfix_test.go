package detect

import (
	"testing"

	"github.com/rampartwaf/rampart/internal/request"
)

func TestSessionFixation(t *testing.T) {
	tests := []struct {
		name    string
		uri     string
		param   request.Param
		referer string
		want    bool
	}{
		{"phpsessid from another site", "/login", request.Param{Source: request.SourceQuery, Name: "PHPSESSID", Value: "abc"}, "https://evil.example/x", true},
		{"jsessionid without referer", "/login", request.Param{Source: request.SourceQuery, Name: "jsessionid", Value: "74B0CB41"}, "", true},
		{"json key", "/api", request.Param{Source: request.SourceJSON, Name: "jsessionid", Value: "foo"}, "", true},
		{"asp prefix", "/", request.Param{Source: request.SourceQuery, Name: "ASPSESSIONIDQQGGQGPG", Value: "x"}, "http://other.example/", true},
		{"path parameter", "/shop;jsessionid=0A1B2C?x=1", request.Param{}, "https://search.example/", true},
		{"lookalike host", "/login", request.Param{Source: request.SourceQuery, Name: "phpsessid", Value: "a"}, "https://shop.example.com.evil.example/", true},
		// benign
		{"own referer", "/login", request.Param{Source: request.SourceQuery, Name: "PHPSESSID", Value: "abc"}, "https://shop.example.com/cart", false},
		{"parent domain referer", "/login", request.Param{Source: request.SourceQuery, Name: "jsessionid", Value: "abc"}, "https://example.com/", false},
		{"child domain referer", "/login", request.Param{Source: request.SourceQuery, Name: "jsessionid", Value: "abc"}, "https://m.shop.example.com/", false},
		{"generic sessionid", "/collect", request.Param{Source: request.SourceQuery, Name: "sessionid", Value: "123"}, "https://news.example/", false},
		{"sid", "/s", request.Param{Source: request.SourceQuery, Name: "sid", Value: "123"}, "", false},
		{"session cookie", "/", request.Param{Source: request.SourceCookie, Name: "PHPSESSID", Value: "abc"}, "", false},
		{"name as a value", "/search", request.Param{Source: request.SourceQuery, Name: "q", Value: "jsessionid"}, "", false},
		{"semicolon in path", "/a;b=c/d", request.Param{}, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &request.Request{Method: "GET", URI: tt.uri, Proto: "HTTP/1.1", Host: "shop.example.com"}
			if tt.param.Name != "" {
				r.Params = []request.Param{tt.param}
			}
			if tt.referer != "" {
				r.Headers = []request.Header{{Name: "Referer", Value: tt.referer}}
			}
			checkSessionFixation(r)
			if got := r.HasSignal(SESSIONFIXATION); got != tt.want {
				t.Errorf("SESSION-FIXATION = %v, want %v (%+v)", got, tt.want, r.Signals)
			}
		})
	}
}

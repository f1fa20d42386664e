package detect

import (
	"testing"

	"github.com/rampartwaf/rampart/internal/request"
)

func TestAbnormalPath(t *testing.T) {
	for _, tc := range []struct {
		path string
		want bool
	}{
		{"/", false},
		{"/index.html", false},
		{"/api/v1/users/42", false},
		{"/dir/", false},
		{"/files/.well-known/x", false},
		{"/a..b/c", false},
		{"/%E2%82%AC/shop", false},
		{"*", false},
		{"//etc/passwd", true},
		{"/a//b", true},
		{"/a/./b", true},
		{"/a/../b", true},
		{"/a/..", true},
		{"/a\\b", true},
		{"/a%2fb", true},
		{"/a%2E%2E/b", true},
		{"/a%5Cb", true},
	} {
		if _, got := abnormalPath(tc.path); got != tc.want {
			t.Errorf("abnormalPath(%q) = %v, want %v", tc.path, got, tc.want)
		}
	}
}

func TestAnomalySignals(t *testing.T) {
	for _, tc := range []struct {
		name string
		req  request.Request
		want []string
	}{
		{"clean", request.Request{Method: "GET", URI: "/a?x=1", UserAgent: "curl/8",
			Params: []request.Param{{Source: request.SourceQuery, Name: "x", Value: "1"}}}, nil},
		{"no user agent", request.Request{Method: "GET", URI: "/"}, []string{NOUA}},
		{"message needs no user agent", request.Request{Method: "GET", URI: "/ws", Message: []byte("hi"),
			Params: []request.Param{{Source: request.SourceMessage, Value: "hi"}}}, nil},
		{"dot segment in the URI", request.Request{Method: "GET", URI: "/a/./b?x=/./", UserAgent: "u"}, []string{ABNORMALPATH}},
		{"absolute form", request.Request{Method: "GET", URI: "http://h/a//b", UserAgent: "u"}, []string{ABNORMALPATH}},
		{"NUL after decoding", request.Request{Method: "GET", URI: "/", UserAgent: "u",
			Params: []request.Param{{Source: request.SourceQuery, Name: "f", Value: "a.php%00.jpg"}}}, []string{NULLBYTE}},
		{"Latin-1 byte after decoding", request.Request{Method: "POST", URI: "/", UserAgent: "u",
			Params: []request.Param{{Source: request.SourceJSON, Name: "q", Value: "caf%E9"}}}, []string{NOTUTF8}},
		{"notebook cell magic", request.Request{Method: "POST", URI: "/", UserAgent: "u",
			Params: []request.Param{{Source: request.SourceJSON, Name: "cells[1].source[0]", Value: "%%bash\n"}}}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.req
			Inspect(&r)
			for _, name := range []string{NOUA, ABNORMALPATH, NULLBYTE, NOTUTF8} {
				want := false
				for _, w := range tc.want {
					want = want || w == name
				}
				if got := r.HasSignal(name); got != want {
					t.Errorf("%s: got %v, want %v (signals %+v)", name, got, want, r.Signals)
				}
			}
		})
	}
}

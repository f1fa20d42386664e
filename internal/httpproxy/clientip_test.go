package httpproxy

import (
	"net/netip"
	"testing"

	"github.com/rampartwaf/rampart/internal/request"
)

func TestClientIP(t *testing.T) {
	trustedNets := []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32"), netip.MustParsePrefix("10.0.0.0/8")}
	tests := []struct {
		name  string
		peer  string
		chain []string
		want  string
	}{
		{"no header", "203.0.113.9", nil, "203.0.113.9"},
		{"untrusted peer ignores header", "203.0.113.9", []string{"1.2.3.4"}, "203.0.113.9"},
		{"trusted peer, one hop", "127.0.0.1", []string{"198.51.100.7"}, "198.51.100.7"},
		{"spoofed left part skipped", "127.0.0.1", []string{"6.6.6.6, 198.51.100.7"}, "198.51.100.7"},
		{"trusted chain walked", "127.0.0.1", []string{"198.51.100.7, 10.1.2.3, 10.0.0.1"}, "198.51.100.7"},
		{"several header lines", "10.0.0.5", []string{"198.51.100.7", "10.9.9.9"}, "198.51.100.7"},
		{"all trusted gives leftmost", "127.0.0.1", []string{"10.0.0.2, 10.0.0.1"}, "10.0.0.2"},
		{"garbage stops walk", "127.0.0.1", []string{"198.51.100.7, not-an-ip"}, "127.0.0.1"},
		{"garbage after good", "127.0.0.1", []string{"junk, 198.51.100.7"}, "198.51.100.7"},
		{"port and ipv6 forms", "127.0.0.1", []string{"[2001:db8::1]:443"}, "2001:db8::1"},
		{"ipv4 with port", "127.0.0.1", []string{"198.51.100.7:5555"}, "198.51.100.7"},
		{"empty items", "127.0.0.1", []string{""}, "127.0.0.1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := clientIP(netip.MustParseAddr(tt.peer), tt.chain, trustedNets)
			if got.String() != tt.want {
				t.Errorf("clientIP(%s, %q) = %s, want %s", tt.peer, tt.chain, got, tt.want)
			}
		})
	}
}

func TestPeerAddr(t *testing.T) {
	tests := []struct{ in, want string }{
		{"127.0.0.1:5000", "127.0.0.1"},
		{"[::1]:5000", "::1"},
		{"[::ffff:10.0.0.1]:80", "10.0.0.1"},
		{"pipe", "invalid IP"},
	}
	for _, tt := range tests {
		if got := peerAddr(tt.in).String(); got != tt.want {
			t.Errorf("peerAddr(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestPrefersJSON(t *testing.T) {
	tests := []struct {
		accept string
		want   bool
	}{
		{"", false},
		{"*/*", false},
		{"application/json", true},
		{"application/problem+json", true},
		{"text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", false},
		{"application/json, text/plain, */*", true},
		{"text/html;q=0.5, application/json", true},
		{"application/json;q=0.2, text/html", false},
		{"application/json;q=0", false},
	}
	for _, tt := range tests {
		if got := prefersJSON(tt.accept); got != tt.want {
			t.Errorf("prefersJSON(%q) = %v, want %v", tt.accept, got, tt.want)
		}
	}
}

func TestSignalList(t *testing.T) {
	sig := func(names ...string) []request.Signal {
		var out []request.Signal
		for _, n := range names {
			out = append(out, request.Signal{Name: n})
		}
		return out
	}
	tests := []struct {
		in   []request.Signal
		want string
	}{
		{nil, ""},
		{sig("SQLI"), "SQLI"},
		{sig("SQLI", "XSS"), "SQLI,XSS"},
		{sig("SQLI", "XSS", "SQLI", "NULLBYTE", "XSS"), "SQLI,XSS,NULLBYTE"},
	}
	for _, tt := range tests {
		if got := signalList(tt.in); got != tt.want {
			t.Errorf("signalList(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

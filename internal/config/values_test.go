package config

import (
	"net/netip"
	"strings"
	"testing"
)

func TestParseSize(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		err  string // part of the error; "" when none
	}{
		{"0", 0, ""},
		{"65536", 65536, ""},
		{"64KiB", 64 << 10, ""},
		{"64 KiB", 64 << 10, ""},
		{"64kib", 64 << 10, ""},
		{"1MiB", 1 << 20, ""},
		{"2GiB", 2 << 30, ""},
		{"8KB", 8000, ""},
		{"1MB", 1000000, ""},
		{"1GB", 1000000000, ""},
		{"10B", 10, ""},
		{" 5 ", 5, ""},
		{"-1KiB", -1024, ""}, // parsed; the limits check says it must be more than 0
		{"", 0, "bad size"},
		{"KiB", 0, "bad size"},
		{"-", 0, "bad size"},
		{"1.5MiB", 0, "whole numbers"},
		{"12 parsecs", 0, `unknown unit "parsecs"`},
		{"1K", 0, `unknown unit "K"`},
		{"99999999999999999999", 0, "too large"},
		{"9999999999GiB", 0, "too large"},
	}
	for _, tt := range tests {
		got, err := parseSize(tt.in)
		switch {
		case tt.err == "" && err != nil:
			t.Errorf("parseSize(%q): %v", tt.in, err)
		case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
			t.Errorf("parseSize(%q) error = %v, want one containing %q", tt.in, err, tt.err)
		case tt.err == "" && got != tt.want:
			t.Errorf("parseSize(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

func TestFormatSize(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 1: "1", 1000: "1000", 1024: "1KiB", 1536: "1536", 1 << 20: "1MiB", 3 << 30: "3GiB", -2048: "-2KiB"} {
		if got := formatSize(n); got != want {
			t.Errorf("formatSize(%d) = %q, want %q", n, got, want)
		}
		if back, err := parseSize(formatSize(n)); err != nil || back != n {
			t.Errorf("parseSize(formatSize(%d)) = %d, %v", n, back, err)
		}
	}
}

func TestCheckAddress(t *testing.T) {
	tests := []struct {
		in  string
		err string
	}{
		{"127.0.0.1:8080", ""},
		{":8080", ""},
		{":0", ""},
		{"localhost:80", ""},
		{"[::1]:9090", ""},
		{"[fe80::1%eth0]:80", ""},
		{"0.0.0.0:65535", ""},
		{"", "empty address"},
		{"8080", `did you mean ":8080"?`},
		{"::1:8080", "in brackets"},
		{"http://x:80", "no scheme"},
		{"localhost", "missing port"},
		{"h:99999", "out of range"},
		{"h:http", "not a number"},
		{"h:", "missing port"},
		{"bad host!:80", "bad host"},
		{"-x:80", "bad host"},
	}
	for _, tt := range tests {
		err := checkAddress(tt.in)
		if tt.err == "" && err != nil || tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)) {
			t.Errorf("checkAddress(%q) = %v, want %q", tt.in, err, tt.err)
		}
	}
}

func TestUpstreamURL(t *testing.T) {
	tests := []struct {
		in  string
		err string
	}{
		{"http://127.0.0.1:9000", ""},
		{"https://app.internal", ""},
		{"http://[::1]:80/base/", ""},
		{"HTTP://Example.COM", ""},
		{"127.0.0.1:9000", `did you mean "http://127.0.0.1:9000"?`},
		{"localhost", `did you mean "http://localhost"?`},
		{"not a url", "want http://host:port"},
		{"ftp://x", `unreachable upstream scheme "ftp"`},
		{"unix:///run/app.sock", `unreachable upstream scheme "unix"`},
		{"http://", "has no host"},
		{"http://:80", "has no host"},
		{"http://a:99999", "out of range"},
		{"http://a:", "missing port"},
		{"http://a b", "bad upstream URL"},
		{"http://a/?x", "query"},
		{"http://a/#f", "fragment"},
		{"http://user:secret@a/x?y", "xxxxx"}, // the password is not printed
	}
	for _, tt := range tests {
		u, err := parseUpstream(tt.in)
		if err == nil {
			err = checkUpstream(u)
		}
		if tt.err == "" && err != nil || tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)) {
			t.Errorf("upstream %q: %v, want %q", tt.in, err, tt.err)
		}
		if err != nil && strings.Contains(err.Error(), "secret") {
			t.Errorf("upstream %q: error shows the password: %v", tt.in, err)
		}
	}
}

func TestPrefix(t *testing.T) {
	tests := []struct {
		in   string
		want string
		err  string
	}{
		{"10.0.0.0/8", "10.0.0.0/8", ""},
		{"10.1.2.3", "10.1.2.3/32", ""},
		{"::1", "::1/128", ""},
		{"fd00::/8", "fd00::/8", ""},
		{"10.0.0.0/33", "", "bad CIDR"},
		{"10.1.2.3/8", "", `did you mean "10.0.0.0/8"?`},
		{"proxy.example.com", "", "bad CIDR"},
		{"", "", "bad CIDR"},
	}
	for _, tt := range tests {
		p, err := parsePrefix(tt.in)
		if err == nil {
			err = checkPrefix(p)
		}
		switch {
		case tt.err == "" && (err != nil || p != netip.MustParsePrefix(tt.want)):
			t.Errorf("prefix %q = %v, %v; want %s", tt.in, p, err, tt.want)
		case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
			t.Errorf("prefix %q: %v, want %q", tt.in, err, tt.err)
		}
	}
}

func TestNearest(t *testing.T) {
	known := []string{"listen", "tls", "upstream", "upstreams", "mode", "fail", "admin", "block", "limits", "timeouts", "client_ip", "websocket"}
	tests := map[string]string{
		"lisen":      "listen",
		"Listen":     "listen",
		"upstrem":    "upstream",
		"client-ip":  "client_ip",
		"clientip":   "client_ip",
		"web_socket": "websocket",
		"timeout":    "timeouts",
		"x":          "",
		"rules":      "",
		"frobnicate": "",
		"":           "",
	}
	for in, want := range tests {
		if got := nearest(in, known); got != want {
			t.Errorf("nearest(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestValidHeaderName(t *testing.T) {
	for in, want := range map[string]bool{"X-Forwarded-For": true, "X-Real-IP": true, "CF-Connecting-IP": true, "": false, "X Forwarded": false, "X:Y": false, "Ä": false} {
		if got := validHeaderName(in); got != want {
			t.Errorf("validHeaderName(%q) = %v", in, got)
		}
	}
}

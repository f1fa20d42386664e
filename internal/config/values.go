package config

import (
	"errors"
	"fmt"
	"math"
	"net"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
)

// This file holds the parsers and checks for single values (sizes, addresses, upstream
// URLs, CIDR prefixes, header names). They know nothing of YAML or positions; their
// error messages are written to follow "KEY: " in a config error.

// sizeUnits are the units a size may carry. Sizes are whole numbers of bytes, written as
// a plain integer (65536) or as an integer and a unit (64KiB, "1 MiB"). KiB, MiB and GiB
// are powers of 1024; KB, MB and GB are powers of 1000, as in SI. Units are matched
// without regard to case.
var sizeUnits = []struct {
	name string
	mult int64
}{
	{"b", 1},
	{"kb", 1000}, {"kib", 1 << 10},
	{"mb", 1000 * 1000}, {"mib", 1 << 20},
	{"gb", 1000 * 1000 * 1000}, {"gib", 1 << 30},
}

const sizeHint = "write a number of bytes like 65536, or use a unit: B, KB, KiB, MB, MiB, GB, GiB, like 64KiB"

// parseSize parses a size written as text, such as "64KiB" or "1 MiB".
func parseSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	i := 0
	if i < len(t) && (t[i] == '-' || t[i] == '+') {
		i++
	}
	for i < len(t) && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	num, unit := t[:i], strings.ToLower(strings.TrimSpace(t[i:]))
	if num == "" || num == "-" || num == "+" {
		return 0, fmt.Errorf("bad size %q (%s)", s, sizeHint)
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("size %q is too large", s)
	}
	if unit == "" {
		return n, nil
	}
	for _, u := range sizeUnits {
		if u.name == unit {
			if n > math.MaxInt64/u.mult || n < math.MinInt64/u.mult {
				return 0, fmt.Errorf("size %q is too large", s)
			}
			return n * u.mult, nil
		}
	}
	if strings.HasPrefix(unit, ".") {
		return 0, fmt.Errorf("bad size %q: sizes are whole numbers (%s)", s, sizeHint)
	}
	return 0, fmt.Errorf("bad size %q: unknown unit %q (%s)", s, strings.TrimSpace(t[i:]), sizeHint)
}

// formatSize writes n bytes the shortest exact way: 1MiB, 64KiB, 1000.
func formatSize(n int64) string {
	switch {
	case n != 0 && n%(1<<30) == 0:
		return strconv.FormatInt(n/(1<<30), 10) + "GiB"
	case n != 0 && n%(1<<20) == 0:
		return strconv.FormatInt(n/(1<<20), 10) + "MiB"
	case n != 0 && n%(1<<10) == 0:
		return strconv.FormatInt(n/(1<<10), 10) + "KiB"
	}
	return strconv.FormatInt(n, 10)
}

// checkAddress checks a listen address: host:port, where host may be empty (every
// interface), an IP address (IPv6 in brackets) or a name, and port is 0 to 65535.
func checkAddress(s string) error {
	const want = "want host:port, like 127.0.0.1:8080 or :8080"
	if s == "" {
		return fmt.Errorf("empty address (%s)", want)
	}
	host, port, err := net.SplitHostPort(s)
	if err != nil {
		var hint string
		switch {
		case isDigits(s):
			hint = fmt.Sprintf("did you mean %q?", ":"+s)
		case strings.Contains(s, "://"):
			hint = "a listen address has no scheme; " + want
		case strings.Count(s, ":") > 1 && !strings.HasPrefix(s, "["):
			hint = "write IPv6 addresses in brackets, like [::1]:8080"
		default:
			hint = want
		}
		return fmt.Errorf("bad address %q: %s (%s)", s, addrErrText(err), hint)
	}
	if err := checkPort(port); err != nil {
		return fmt.Errorf("bad address %q: %w", s, err)
	}
	if host != "" && !validHost(host) {
		return fmt.Errorf("bad address %q: bad host %q (%s)", s, host, want)
	}
	return nil
}

// addrErrText returns what net.SplitHostPort found wrong, without repeating the address.
func addrErrText(err error) string {
	var ae *net.AddrError
	if errors.As(err, &ae) {
		return ae.Err
	}
	return err.Error()
}

// checkPort checks a decimal port number from 0 to 65535.
func checkPort(port string) error {
	if port == "" {
		return errors.New("missing port")
	}
	if !isDigits(port) {
		return fmt.Errorf("port %q is not a number", port)
	}
	if n, err := strconv.Atoi(port); err != nil || n > 65535 {
		return fmt.Errorf("port %s is out of range (0-65535)", port)
	}
	return nil
}

// validHost accepts an IP address or a DNS name.
func validHost(h string) bool {
	if _, err := netip.ParseAddr(h); err == nil {
		return true
	}
	if len(h) > 253 {
		return false
	}
	for _, label := range strings.Split(strings.TrimSuffix(h, "."), ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
				return false
			}
		}
	}
	return true
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// parseUpstream parses an upstream URL. Only its syntax is checked here; checkUpstream
// says whether Rampart can reach it.
func parseUpstream(s string) (*url.URL, error) {
	const want = "want http://host:port"
	if s == "" {
		return nil, fmt.Errorf("empty upstream URL (%s)", want)
	}
	if !strings.Contains(s, "://") {
		host, port, err := net.SplitHostPort(s)
		if err != nil && !strings.Contains(s, ":") {
			host, port, err = s, "", nil
		}
		if err == nil && validHost(host) && (port == "" || isDigits(port)) {
			return nil, fmt.Errorf("bad upstream URL %q: no scheme (did you mean %q?)", s, "http://"+s)
		}
		return nil, fmt.Errorf("bad upstream URL %q (%s)", s, want)
	}
	u, err := url.Parse(s)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, fmt.Errorf("bad upstream URL %q: %v (%s)", s, err, want)
	}
	return u, nil
}

// checkUpstream checks that an upstream URL is one Rampart can forward to.
func checkUpstream(u *url.URL) error {
	if u == nil {
		return errors.New("missing upstream URL")
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("unreachable upstream scheme %q in %q (want http or https)", u.Scheme, u.Redacted())
	}
	if u.Host == "" || u.Hostname() == "" {
		return fmt.Errorf("upstream %q has no host (want %s://host:port)", u.Redacted(), u.Scheme)
	}
	if !validHost(u.Hostname()) {
		return fmt.Errorf("upstream %q has a bad host %q", u.Redacted(), u.Hostname())
	}
	if p := u.Port(); p != "" || strings.HasSuffix(u.Host, ":") {
		if err := checkPort(p); err != nil {
			return fmt.Errorf("upstream %q: %w", u.Redacted(), err)
		}
	}
	if u.RawQuery != "" || u.ForceQuery || u.Fragment != "" {
		return fmt.Errorf("upstream %q must not have a query or fragment", u.Redacted())
	}
	return nil
}

// parsePrefix parses a trusted proxy: a CIDR prefix (10.0.0.0/8) or a single address
// (10.1.2.3, the same as 10.1.2.3/32).
func parsePrefix(s string) (netip.Prefix, error) {
	const want = "want an address or a prefix, like 10.0.0.0/8 or ::1/128"
	if !strings.Contains(s, "/") {
		a, err := netip.ParseAddr(s)
		if err != nil {
			return netip.Prefix{}, fmt.Errorf("bad CIDR %q (%s)", s, want)
		}
		return netip.PrefixFrom(a, a.BitLen()), nil
	}
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("bad CIDR %q (%s)", s, want)
	}
	return p, nil
}

// checkPrefix checks a trusted proxy prefix: valid, and without bits set past the mask
// (10.1.2.3/8 is almost always a typo for 10.0.0.0/8 or 10.1.2.3/32).
func checkPrefix(p netip.Prefix) error {
	if !p.IsValid() {
		return errors.New("invalid prefix")
	}
	if m := p.Masked(); m != p {
		return fmt.Errorf("bad CIDR %q: bits set after the /%d mask (did you mean %q?)", p, p.Bits(), m)
	}
	return nil
}

// validHeaderName reports whether s is an HTTP header name (an RFC 9110 token).
func validHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
			continue
		}
		if !strings.ContainsRune("!#$%&'*+-.^_`|~", rune(c)) {
			return false
		}
	}
	return true
}

// checkRedisURL checks the URL of a Redis store: redis:// or rediss://, with a host.
func checkRedisURL(s string) error {
	if s == "" {
		return errors.New("store redis needs a url, like redis://127.0.0.1:6379/0")
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "redis" && u.Scheme != "rediss") || u.Host == "" {
		return fmt.Errorf("bad Redis URL %q (want redis://host:port/db, or rediss:// for TLS)", clip(redactURL(s)))
	}
	return nil
}

// redactURL hides the password of a URL.
func redactURL(s string) string {
	if u, err := url.Parse(s); err == nil {
		return u.Redacted()
	}
	return s
}

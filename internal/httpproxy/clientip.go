package httpproxy

import (
	"net"
	"net/netip"
	"strings"
)

// peerAddr parses the address of the connection's peer (http.Request.RemoteAddr).
func peerAddr(remoteAddr string) netip.Addr {
	if ap, err := netip.ParseAddrPort(remoteAddr); err == nil {
		return ap.Addr().Unmap()
	}
	host, _, err := net.SplitHostPort(remoteAddr)
	if err != nil {
		host = remoteAddr
	}
	a, _ := netip.ParseAddr(host)
	return a.Unmap()
}

// trusted reports whether a is inside one of the prefixes.
func trusted(a netip.Addr, prefixes []netip.Prefix) bool {
	for _, p := range prefixes {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// clientIP returns the address of the client. The chain in the header (values of, for
// example, X-Forwarded-For, in order) is believed only when the peer is a trusted proxy,
// and then only as far as it is written by trusted proxies: walking from the right, the
// first address that is not a trusted proxy is the client. An address that does not
// parse ends the walk, so garbage in the header can never become the client IP.
func clientIP(peer netip.Addr, chain []string, trustedProxies []netip.Prefix) netip.Addr {
	if len(chain) == 0 || !trusted(peer, trustedProxies) {
		return peer
	}
	client := peer
	for i := len(chain) - 1; i >= 0; i-- {
		list := chain[i]
		for list != "" {
			var item string
			if j := strings.LastIndexByte(list, ','); j >= 0 {
				item, list = list[j+1:], list[:j]
			} else {
				item, list = list, ""
			}
			a, ok := parseForwardedAddr(strings.TrimSpace(item))
			if !ok {
				return client
			}
			client = a
			if !trusted(a, trustedProxies) {
				return client
			}
		}
	}
	return client
}

// parseForwardedAddr accepts "1.2.3.4", "1.2.3.4:5678", "2001:db8::1" and
// "[2001:db8::1]:5678".
func parseForwardedAddr(s string) (netip.Addr, bool) {
	if a, err := netip.ParseAddr(s); err == nil {
		return a.Unmap(), true
	}
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap(), true
	}
	if strings.HasPrefix(s, "[") && strings.HasSuffix(s, "]") {
		if a, err := netip.ParseAddr(s[1 : len(s)-1]); err == nil {
			return a.Unmap(), true
		}
	}
	return netip.Addr{}, false
}

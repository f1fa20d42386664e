package config

import (
	"math"
	"path/filepath"
	"time"

	"go.yaml.in/yaml/v3"
)

// schema is the config file's keys. Each entry names a key and either decodes its value
// into the Config or lists the keys of its nested mapping. Adding a section (rules:,
// lists:, rules_files:, rate_limits:, thresholds:, events:, state:) is one entry here
// and, for a value that is not a plain mapping of scalars, one decode function; the
// walk, the unknown-key hints and the position tracking come with it. Cross-key checks
// go in validate.go.
//
// It is built in init because the unknown-key hints look across the whole schema.
var schema []field

func init() {
	schema = []field{
		{name: "listen", decode: func(d *decoder, key string, n *yaml.Node, c *Config) {
			if s, ok := d.text(key, n, "an address"); ok {
				c.Listen = s
			}
		}},
		{name: "tls", sub: []field{
			{name: "cert", decode: func(d *decoder, key string, n *yaml.Node, c *Config) {
				if s, ok := d.path(key, n); ok {
					tlsOf(c).Cert = s
				}
			}},
			{name: "key", decode: func(d *decoder, key string, n *yaml.Node, c *Config) {
				if s, ok := d.path(key, n); ok {
					tlsOf(c).Key = s
				}
			}},
		}},
		{name: "upstream", decode: decodeUpstream},
		{name: "upstreams", decode: decodeUpstreams},
		{name: "mode", decode: func(d *decoder, key string, n *yaml.Node, c *Config) {
			if s, ok := d.text(key, n, "a mode"); ok {
				c.Mode = Mode(s)
			}
		}},
		{name: "fail", decode: func(d *decoder, key string, n *yaml.Node, c *Config) {
			if s, ok := d.text(key, n, "closed or open"); ok {
				c.Fail = Fail(s)
			}
		}},
		{name: "admin", sub: []field{
			{name: "listen", decode: func(d *decoder, key string, n *yaml.Node, c *Config) {
				if s, ok := d.text(key, n, "an address"); ok {
					c.Admin.Listen = adminListen(s)
				}
			}},
		}, scalar: func(d *decoder, key string, n *yaml.Node, c *Config) {
			// admin: off (or false) is short for admin: {listen: off}.
			if v := deref(n); v.Value == "off" || v.ShortTag() == "!!bool" && v.Value == "false" {
				d.at(key, n)
				c.Admin.Listen = ""
				return
			}
			d.errorAt(n, key, ErrType, "expected a mapping of keys like {listen: 127.0.0.1:9090}, or off, got %s", describe(deref(n)))
		}},
		{name: "block", sub: []field{
			{name: "status", decode: func(d *decoder, key string, n *yaml.Node, c *Config) {
				if i, ok := d.integer(key, n); ok {
					c.Block.Status = clampInt(i)
				}
			}},
		}},
		{name: "limits", sub: []field{
			{name: "body_bytes", decode: func(d *decoder, key string, n *yaml.Node, c *Config) {
				if i, ok := d.size(key, n); ok {
					c.Limits.BodyBytes = i
				}
			}},
			{name: "header_bytes", decode: func(d *decoder, key string, n *yaml.Node, c *Config) {
				if i, ok := d.size(key, n); ok {
					c.Limits.HeaderBytes = clampInt(i)
				}
			}},
			{name: "ws_message_bytes", decode: func(d *decoder, key string, n *yaml.Node, c *Config) {
				if i, ok := d.size(key, n); ok {
					c.Limits.WSMessageBytes = i
				}
			}},
			{name: "file_bytes", decode: func(d *decoder, key string, n *yaml.Node, c *Config) {
				if i, ok := d.size(key, n); ok {
					c.Limits.FileBytes = clampInt(i)
				}
			}},
			{name: "params", decode: func(d *decoder, key string, n *yaml.Node, c *Config) {
				if i, ok := d.integer(key, n); ok {
					c.Limits.Params = clampInt(i)
				}
			}},
			{name: "depth", decode: func(d *decoder, key string, n *yaml.Node, c *Config) {
				if i, ok := d.integer(key, n); ok {
					c.Limits.Depth = clampInt(i)
				}
			}},
			{name: "on_exceed", decode: func(d *decoder, key string, n *yaml.Node, c *Config) {
				if s, ok := d.text(key, n, "block or pass"); ok {
					c.Limits.OnExceed = OnExceed(s)
				}
			}},
		}},
		{name: "timeouts", sub: []field{
			durationField("read_header", func(c *Config) *time.Duration { return &c.Timeouts.ReadHeader }),
			durationField("idle", func(c *Config) *time.Duration { return &c.Timeouts.Idle }),
			durationField("upstream_connect", func(c *Config) *time.Duration { return &c.Timeouts.UpstreamConnect }),
			durationField("upstream_response", func(c *Config) *time.Duration { return &c.Timeouts.UpstreamResponse }),
		}},
		{name: "client_ip", sub: []field{
			{name: "header", decode: func(d *decoder, key string, n *yaml.Node, c *Config) {
				if s, ok := d.text(key, n, "a header name"); ok {
					c.ClientIP.Header = s
				}
			}},
			{name: "trusted_proxies", decode: decodeTrustedProxies},
		}},
		{name: "websocket", sub: []field{
			{name: "inspect", decode: func(d *decoder, key string, n *yaml.Node, c *Config) {
				if b, ok := d.boolean(key, n); ok {
					c.WebSocket.Inspect = b
				}
			}},
			{name: "inspect_binary", decode: func(d *decoder, key string, n *yaml.Node, c *Config) {
				if b, ok := d.boolean(key, n); ok {
					c.WebSocket.InspectBinary = b
				}
			}},
		}},
	}
	schema = append(schema, field{name: "state", sub: []field{
		{name: "store", decode: func(d *decoder, key string, n *yaml.Node, c *Config) {
			if s, ok := d.text(key, n, "memory or redis"); ok {
				c.State.Store = Store(s)
			}
		}},
		{name: "redis", sub: []field{
			{name: "url", decode: func(d *decoder, key string, n *yaml.Node, c *Config) {
				if s, ok := d.text(key, n, "a redis:// URL"); ok {
					c.State.RedisURL = s
				}
			}},
			{name: "prefix", decode: func(d *decoder, key string, n *yaml.Node, c *Config) {
				if s, ok := d.text(key, n, "a key prefix"); ok {
					c.State.RedisPrefix = s
				}
			}},
			durationField("timeout", func(c *Config) *time.Duration { return &c.State.RedisTimeout }),
		}},
	}})
	schema = append(schema, field{name: "geoip", sub: []field{
		{name: "database", decode: func(d *decoder, key string, n *yaml.Node, c *Config) {
			if s, ok := d.path(key, n); ok {
				c.GeoIP.Database = s
			}
		}},
	}})
	schema = append(schema, ruleTopFields()...) // rules.go
}

// durationField is a key holding a duration.
func durationField(name string, ptr func(*Config) *time.Duration) field {
	return field{name: name, decode: func(d *decoder, key string, n *yaml.Node, c *Config) {
		if t, ok := d.duration(key, n, 1, math.MaxInt64); ok {
			*ptr(c) = t
		}
	}}
}

// clampInt converts a number read from the file to int, keeping it out of range (and so
// reported by the checks) instead of letting it wrap.
func clampInt(i int64) int {
	const maxInt, minInt = int64(^uint(0) >> 1), -int64(^uint(0)>>1) - 1
	switch {
	case i > maxInt:
		return int(maxInt)
	case i < minInt:
		return int(minInt)
	}
	return int(i)
}

func tlsOf(c *Config) *TLS {
	if c.TLS == nil {
		c.TLS = &TLS{}
	}
	return c.TLS
}

// path reads a file name; a relative name is taken from the config file's directory.
func (d *decoder) path(key string, n *yaml.Node) (string, bool) {
	s, ok := d.text(key, n, "a file name")
	if !ok {
		return "", false
	}
	if s != "" && !filepath.IsAbs(s) && d.dir != "" {
		s = filepath.Join(d.dir, s)
	}
	return s, true
}

// decodeUpstream reads `upstream: URL`. Upstream URLs are checked as they are read, so
// a bad one in the file is reported even when --upstream replaces it.
func decodeUpstream(d *decoder, key string, n *yaml.Node, c *Config) {
	if !d.oneUpstreamKey(key, n) {
		return
	}
	if v := deref(n); v.Kind == yaml.SequenceNode {
		d.errorAt(n, key, ErrType, "expected one URL, got a list (use upstreams: for several)")
		return
	}
	s, ok := d.text(key, n, "a URL")
	if !ok {
		return
	}
	u, err := parseUpstream(s)
	if err == nil {
		err = checkUpstream(u)
	}
	if err != nil {
		d.errorAt(n, key, ErrValue, "%v", err)
		return
	}
	c.Upstreams = append(c.Upstreams[:0], u)
	d.origins[item("upstreams", 0)] = origin{name: key, line: n.Line, col: n.Column}
}

// decodeUpstreams reads `upstreams: [URL, ...]`.
func decodeUpstreams(d *decoder, key string, n *yaml.Node, c *Config) {
	if !d.oneUpstreamKey(key, n) {
		return
	}
	if v := deref(n); v.Kind == yaml.ScalarNode && !isNull(v) {
		d.errorAt(n, key, ErrType, "expected a list of URLs, got %s (use upstream: for one)", describe(v))
		return
	}
	items, ok := d.list(key, n, "URLs")
	if !ok {
		return
	}
	if len(items) == 0 {
		d.errorAt(n, key, ErrValue, "the list is empty (give at least one URL)")
		return
	}
	c.Upstreams = c.Upstreams[:0]
	for i, it := range items {
		k := item(key, i)
		s, ok := d.text(k, it, "a URL")
		if !ok {
			continue
		}
		u, err := parseUpstream(s)
		if err == nil {
			err = checkUpstream(u)
		}
		if err != nil {
			d.errorAt(it, k, ErrValue, "%v", err)
			continue
		}
		d.origins[item("upstreams", len(c.Upstreams))] = origin{name: k, line: it.Line, col: it.Column}
		c.Upstreams = append(c.Upstreams, u)
	}
}

// oneUpstreamKey reports a file that sets both upstream: and upstreams:.
func (d *decoder) oneUpstreamKey(key string, n *yaml.Node) bool {
	if d.upstreamNode != nil {
		d.errorAt(n, key, ErrDuplicateKey, "both upstream and upstreams are set (%s is at line %d; keep one, upstreams for several)", d.upstreamKey, d.upstreamNode.Line)
		return false
	}
	d.upstreamKey, d.upstreamNode = key, n
	return true
}

// decodeTrustedProxies reads the list of trusted proxy prefixes.
func decodeTrustedProxies(d *decoder, key string, n *yaml.Node, c *Config) {
	items, ok := d.list(key, n, "CIDR prefixes")
	if !ok {
		return
	}
	c.ClientIP.TrustedProxies = c.ClientIP.TrustedProxies[:0:0]
	for i, it := range items {
		k := item(key, i)
		s, ok := d.text(k, it, "a CIDR prefix")
		if !ok {
			continue
		}
		p, err := parsePrefix(s)
		if err != nil {
			d.errorAt(it, k, ErrValue, "%v", err)
			continue
		}
		d.origins[item(key, len(c.ClientIP.TrustedProxies))] = origin{name: k, line: it.Line, col: it.Column}
		c.ClientIP.TrustedProxies = append(c.ClientIP.TrustedProxies, p)
	}
}

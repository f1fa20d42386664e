package config

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

// fileForm is the shape of the config file, for writing a Config out. Reading does not
// use it (the schema walk in schema.go does, to report every mistake with its place);
// the round-trip test keeps the two in step.
type fileForm struct {
	Listen    string       `yaml:"listen"`
	TLS       *tlsForm     `yaml:"tls,omitempty"`
	Upstreams []string     `yaml:"upstreams"`
	Mode      string       `yaml:"mode"`
	Fail      string       `yaml:"fail"`
	Admin     adminForm    `yaml:"admin"`
	Block     blockForm    `yaml:"block"`
	Limits    limitsForm   `yaml:"limits"`
	Timeouts  timeoutsForm `yaml:"timeouts"`
	ClientIP  clientIPForm `yaml:"client_ip"`
	WebSocket wsForm       `yaml:"websocket"`

	State stateForm  `yaml:"state"`
	GeoIP *geoipForm `yaml:"geoip,omitempty"`

	Lists      map[string]listForm `yaml:"lists,omitempty"`
	Rules      []ruleForm          `yaml:"rules,omitempty"`
	RateLimits []ruleForm          `yaml:"rate_limits,omitempty"`
	Thresholds thresholdsForm      `yaml:"thresholds"`
}

type geoipForm struct {
	Database string `yaml:"database"`
}

type stateForm struct {
	Store string    `yaml:"store"`
	Redis redisForm `yaml:"redis"`
}

type redisForm struct {
	URL     string `yaml:"url,omitempty"`
	Prefix  string `yaml:"prefix"`
	Timeout string `yaml:"timeout"`
}

type tlsForm struct {
	Cert string `yaml:"cert"`
	Key  string `yaml:"key"`
}

type adminForm struct {
	Listen string `yaml:"listen"`
}

type blockForm struct {
	Status int `yaml:"status"`
}

type limitsForm struct {
	BodyBytes      any    `yaml:"body_bytes"` // sizeForm
	HeaderBytes    any    `yaml:"header_bytes"`
	WSMessageBytes any    `yaml:"ws_message_bytes"`
	FileBytes      any    `yaml:"file_bytes"`
	Params         int    `yaml:"params"`
	Depth          int    `yaml:"depth"`
	OnExceed       string `yaml:"on_exceed"`
}

type timeoutsForm struct {
	ReadHeader       string `yaml:"read_header"`
	Idle             string `yaml:"idle"`
	UpstreamConnect  string `yaml:"upstream_connect"`
	UpstreamResponse string `yaml:"upstream_response"`
}

type clientIPForm struct {
	Header         string   `yaml:"header"`
	TrustedProxies []string `yaml:"trusted_proxies"`
}

type wsForm struct {
	Inspect       bool `yaml:"inspect"`
	InspectBinary bool `yaml:"inspect_binary"`
}

// Marshal writes the Config as a config file with every key set: what `rampart check`
// can print as the effective configuration. Loading the result gives the same Config
// (File aside). The admin listener, when off, is written as "off".
func (c *Config) Marshal() ([]byte, error) {
	f := fileForm{
		Listen: c.Listen,
		Mode:   string(c.Mode),
		Fail:   string(c.Fail),
		Admin:  adminForm{Listen: c.Admin.Listen},
		Block:  blockForm{Status: c.Block.Status},
		Limits: limitsForm{
			BodyBytes:      sizeForm(c.Limits.BodyBytes),
			HeaderBytes:    sizeForm(int64(c.Limits.HeaderBytes)),
			WSMessageBytes: sizeForm(c.Limits.WSMessageBytes),
			FileBytes:      sizeForm(int64(c.Limits.FileBytes)),
			Params:         c.Limits.Params,
			Depth:          c.Limits.Depth,
			OnExceed:       string(c.Limits.OnExceed),
		},
		Timeouts: timeoutsForm{
			ReadHeader:       c.Timeouts.ReadHeader.String(),
			Idle:             c.Timeouts.Idle.String(),
			UpstreamConnect:  c.Timeouts.UpstreamConnect.String(),
			UpstreamResponse: c.Timeouts.UpstreamResponse.String(),
		},
		ClientIP:  clientIPForm{Header: c.ClientIP.Header, TrustedProxies: []string{}},
		WebSocket: wsForm{Inspect: c.WebSocket.Inspect, InspectBinary: c.WebSocket.InspectBinary},
	}
	f.State = stateForm{Store: string(c.State.Store), Redis: redisForm{URL: c.State.RedisURL, Prefix: c.State.RedisPrefix, Timeout: c.State.RedisTimeout.String()}}
	if c.GeoIP.Database != "" {
		f.GeoIP = &geoipForm{Database: c.GeoIP.Database}
	}
	if c.Rules != nil {
		rulesForms(&f, c.Rules)
	}
	if f.Admin.Listen == "" {
		f.Admin.Listen = "off"
	}
	if c.TLS != nil {
		f.TLS = &tlsForm{Cert: c.TLS.Cert, Key: c.TLS.Key}
	}
	for _, u := range c.Upstreams {
		f.Upstreams = append(f.Upstreams, u.String())
	}
	for _, p := range c.ClientIP.TrustedProxies {
		f.ClientIP.TrustedProxies = append(f.ClientIP.TrustedProxies, p.String())
	}
	b, err := yaml.Marshal(&f)
	if err != nil {
		return nil, fmt.Errorf("writing config: %w", err)
	}
	return b, nil
}

// sizeForm writes a size with a binary unit when it has one exactly (64KiB), and as a
// plain number otherwise.
func sizeForm(n int64) any {
	if s := formatSize(n); !isDigits(strings.TrimPrefix(s, "-")) {
		return s
	}
	return n
}

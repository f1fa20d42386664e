package config

import (
	"net/netip"
	"net/url"
	"time"

	"github.com/rampartwaf/rampart/internal/rules"
)

// Config is a validated configuration: every field holds a usable value (defaults filled
// in), so callers never check for zero values.
type Config struct {
	// File is the path the config was loaded from ("" for defaults and flags only).
	File string

	Listen    string     // listen: address for the proxy listener
	TLS       *TLS       // tls: nil when not configured
	Upstreams []*url.URL // upstream: or upstreams: (at least one after validation)
	Mode      Mode       // mode: block | log | off
	Fail      Fail       // fail: closed | open
	Admin     Admin      // admin:
	Block     Block      // block:
	Limits    Limits     // limits:
	Timeouts  Timeouts   // timeouts:
	ClientIP  ClientIP   // client_ip:
	WebSocket WebSocket  // websocket:

	State State // state:
	GeoIP GeoIP // geoip:

	// Included are the rules files and list files the config read (rules_files:,
	// lists: {file: ...}): a change to one reloads the config, as does a change to File.
	Included []IncludedFile

	// Rules are the lists, rules, rate limits and thresholds (lists:, rules:,
	// rate_limits:, thresholds:, rules_files:), compiled. Never nil after Load.
	Rules *rules.Policy
}

// Default returns the built-in configuration: every key at its default. It has no
// upstream, so it does not pass Validate until one is set.
func Default() *Config {
	return &Config{
		Listen: "127.0.0.1:8080",
		Mode:   ModeBlock,
		Fail:   FailClosed,
		Admin:  Admin{Listen: defaultAdminListen},
		Block:  Block{Status: 406},
		Limits: Limits{
			BodyBytes:      1 << 20,
			HeaderBytes:    64 << 10,
			WSMessageBytes: 1 << 20,
			FileBytes:      64 << 10,
			Params:         2048,
			Depth:          64,
			OnExceed:       ExceedBlock,
		},
		Timeouts: Timeouts{
			ReadHeader:       10 * time.Second,
			Idle:             120 * time.Second,
			UpstreamConnect:  5 * time.Second,
			UpstreamResponse: 60 * time.Second,
		},
		ClientIP: ClientIP{
			Header: "X-Forwarded-For",
			TrustedProxies: []netip.Prefix{
				netip.MustParsePrefix("127.0.0.1/32"),
				netip.MustParsePrefix("::1/128"),
			},
		},
		WebSocket: WebSocket{Inspect: true},
		State:     State{Store: StoreMemory, RedisPrefix: "rampart:", RedisTimeout: 50 * time.Millisecond},
		Rules:     rules.Empty(),
	}
}

// TLS is the listener's certificate and key.
type TLS struct {
	Cert string // PEM certificate chain file; a relative name is taken from the config file's directory
	Key  string // PEM private key file; likewise
}

// Mode is what Rampart does with a request that has attack signals.
type Mode string

// Modes.
// defaultAdminListen is where the admin API listens unless told otherwise.
const defaultAdminListen = "127.0.0.1:9090"

const (
	ModeBlock Mode = "block" // block it
	ModeLog   Mode = "log"   // forward it, record the event
	ModeOff   Mode = "off"   // plain proxy: no inspection at all
)

// Fail is the direction Rampart fails in when inspection itself fails.
type Fail string

// Fail directions.
const (
	FailClosed Fail = "closed" // block
	FailOpen   Fail = "open"   // forward uninspected
)

// Admin configures the admin listener.
type Admin struct {
	Listen string // "" disables the admin listener
}

// Block configures what a blocked HTTP request gets.
type Block struct {
	Status int
}

// OnExceed is what happens when a limit is exceeded.
type OnExceed string

// Limit decisions.
const (
	ExceedBlock OnExceed = "block"
	ExceedPass  OnExceed = "pass"
)

// Limits bound what Rampart buffers and parses per request or message.
type Limits struct {
	BodyBytes      int64
	HeaderBytes    int
	WSMessageBytes int64
	// FileBytes is the largest uploaded file (multipart) whose contents are inspected,
	// when they are text; 0 inspects none.
	FileBytes int
	Params    int
	Depth     int
	OnExceed  OnExceed
}

// Timeouts for the listener and the upstream.
type Timeouts struct {
	ReadHeader       time.Duration
	Idle             time.Duration
	UpstreamConnect  time.Duration
	UpstreamResponse time.Duration
}

// ClientIP says where the client address comes from.
type ClientIP struct {
	Header         string         // header holding the client IP chain, e.g. X-Forwarded-For
	TrustedProxies []netip.Prefix // peers whose header is believed
}

// WebSocket configures WebSocket handling.
type WebSocket struct {
	Inspect       bool // inspect client messages
	InspectBinary bool // also inspect binary messages that are valid UTF-8
}

// Store names where rate limit and threshold counters and IP flags are kept.
type Store string

// Stores.
const (
	StoreMemory Store = "memory" // in this process: one instance
	StoreRedis  Store = "redis"  // in a Redis server shared by several instances
)

// State configures the state store.
type State struct {
	Store        Store
	RedisURL     string        // redis://[user:password@]host:port[/db], or rediss://
	RedisPrefix  string        // starts every key
	RedisTimeout time.Duration // each call; a store that does not answer is a failed inspection
}

// IncludedFile is a file the config read besides its own: its name, and a hash of its
// content as read (so a change made before the reloader watched it is not missed).
type IncludedFile struct {
	Name string
	Sum  [32]byte
}

// GeoIP configures the country database, for rules that test country.
type GeoIP struct {
	Database string // a MaxMind DB file (GeoLite2-Country.mmdb); "" for none
}

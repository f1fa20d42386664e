// Package config loads, checks and reloads Rampart's configuration: one YAML file,
// command-line flags over it, and built-in defaults for every key.
//
// Call Load (or Parse for bytes in memory) to get a *Config whose every field holds a
// usable value. Every mistake in the file is reported, not just the first, as an
// ErrorList: one Error per mistake, printed as FILE:LINE:COL: message, sorted by
// position, often with a hint ("did you mean ...?"). A Config built in code is checked
// with Validate. A Reloader holds the config in force and swaps in a new one on SIGHUP
// (ReloadOn) or when the file changes (Watch); a bad file is reported and the old config
// stays in force.
//
// How the file is read: the YAML is parsed into a node tree, which is walked against
// the schema (schema.go: one table entry per key) so that types are checked with the
// line of each value; then the flags are applied; then the checks that need the whole
// Config run (validate.go), each reporting at the line (or flag) the value came from.
// Adding a section is one entry in the schema and, for a value that is not a mapping of
// plain values, one decode function.
//
// # Config reference
//
// Unknown keys are errors. Top-level keys starting with "x-" are ignored: a place for
// YAML anchors (x-proxies: &proxies [...]). One YAML document per file.
//
//	key                        type               default          meaning
//	listen                     host:port          127.0.0.1:8080   proxy listener (flag --listen)
//	tls.cert, tls.key          file               (no TLS)         PEM certificate chain and key; both or neither;
//	                                                               relative names are taken from the config file's
//	                                                               directory; checked to be a usable pair
//	upstream                   URL                (none: error)    the app, http:// or https:// (flag --upstream)
//	upstreams                  list of URLs                        several upstreams, round robin; not with upstream
//	mode                       block|log|off      block            block attacks, only record them, or plain proxy
//	                                                               (flag --mode)
//	fail                       closed|open        closed           when inspection itself fails: block or forward
//	admin.listen               host:port|off      127.0.0.1:9090   admin listener (flag --admin-listen)
//	block.status               400-599            406              status of a blocked HTTP request
//	limits.body_bytes          size               1MiB             body bytes buffered and inspected (max 1GiB)
//	limits.header_bytes        size               64KiB            request header bytes (max 16MiB)
//	limits.ws_message_bytes    size               1MiB             WebSocket message bytes (max 1GiB)
//	limits.params              number             2048             parameters taken from one request or message
//	limits.depth               number             64               JSON/XML nesting (max 10000)
//	limits.on_exceed           block|pass         block            over a limit: block, or forward uninspected
//	                                                               with an anomaly signal
//	timeouts.read_header       duration           10s              reading a request's headers
//	timeouts.idle              duration           120s             keep-alive connection idle
//	timeouts.upstream_connect  duration           5s               connecting to the upstream
//	timeouts.upstream_response duration           60s              waiting for the upstream's response headers
//	client_ip.header           header name|""     X-Forwarded-For  header holding the client address, believed
//	                                                               only from a trusted proxy; "" for the peer only
//	client_ip.trusted_proxies  list of CIDR       127.0.0.1/32,    peers whose header is believed; a bare
//	                                              ::1/128          address means /32 or /128
//	websocket.inspect          bool               true             inspect client WebSocket messages
//	websocket.inspect_binary   bool               false            also binary messages that are valid UTF-8
//	state.store                memory|redis       memory           where counters and IP flags are kept
//	state.redis.url            redis:// URL       (none)           required with store redis
//	state.redis.prefix         text               rampart:         starts every Redis key
//	state.redis.timeout        duration           50ms             each Redis call
//	geoip.database             file               (none)           MaxMind DB for rules on country
//	lists, rules, rate_limits  see docs/rules.md  (none)           the rule language (rules.go reads it, the
//	thresholds, rules_files                                        rules package checks and compiles it)
//
// Sizes are whole numbers of bytes, written as a number (65536) or with a unit: B, KB,
// MB, GB (powers of 1000) or KiB, MiB, GiB (powers of 1024); units ignore case, and a
// space may come before them ("64 KiB"). Durations are Go durations: 500ms, 10s, 1m30s;
// a number without a unit is an error. Limits and timeouts must be more than 0.
//
// The user-facing version of this reference is docs/config.md.
package config

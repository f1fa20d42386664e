package detect

import (
	"strings"
	"unicode/utf8"
	"unsafe"

	"github.com/rampartwaf/rampart/internal/request"
)

// SSRF: server-side request forgery, a URL that makes the server fetch from its own
// network.
//
// Every URL-like spot of a value is read: each "scheme://" (or "scheme:\\", "scheme:///"),
// a slashless "http:host" (WHATWG parsers accept it for the special schemes), a
// protocol-relative "//host" or UNC "\\host" opening the value, and a bare host opening
// the value and followed by '/' or a port. The host is read the way lenient parsers read
// it: userinfo dropped (every "@" is tried, since parsers disagree on which one ends the
// userinfo), Unicode digits, letters and dots folded (①②⑦, ⓛⓞⓒⓐⓛ, 169。254), backslash
// escapes dropped (\l\o\c\a\l), numeric hosts decoded as inet_aton does (2130706433,
// 0x7f000001, 0177.0.0.1, 127.1, 0xA9.0xFE.43518, overflowing 7147006462), IPv6 literals
// parsed (::ffff:127.0.0.1, [::], fe80::%zone).
//
// What matches:
//   - cloud metadata endpoints: 169.254.0.0/16 (169.254.169.254, 169.254.170.2),
//     100.100.100.200, 192.0.0.192, fd00:ec2::254, fe80::/10, metadata.google.internal,
//     metadata.packet.net and the like, and the metadata paths (/latest/meta-data,
//     /computeMetadata/v1, /metadata/instance, /opc/v2/instance...) on any host;
//   - an IP host written in any notation but plain dotted decimal (decimal, hex, octal,
//     short, overflowing, IPv4 embedded in IPv6, Unicode digits): no real URL is written
//     so, whatever address it hides; and IPv6 literals outside 2000::/3 and the private
//     and link-local ranges ("[a::]", "[dead:beef::1]"), which no Internet host has;
//   - names that resolve to the server itself or its platform, kept as aliases to slip
//     past "localhost" filters: localhost.localdomain, ip6-loopback, host.docker.internal,
//     kubernetes.default.svc, *.svc.cluster.local, localtest.me, lvh.me, *.nip.io,
//     *.sslip.io, *.xip.io; and the unspecified addresses 0.0.0.0 and [::];
//   - a loopback or private address (localhost, 127.0.0.0/8, 10/8, 172.16/12,
//     192.168/16, 100.64/10, ::1, fc00::/7) together with a trick or an intent anywhere
//     in a value: userinfo (http://good@127.0.0.1), a slashless or backslashed scheme
//     (http:127.0.0.1, http:\\localhost), a host spelled with escapes or Unicode, a
//     loopback other than 127.0.0.1, a scheme other than those of the web, file shares,
//     proxies and databases (gopher, dict, ldap...), or the port of a non-web service
//     (22, 25, 3306, 6379, 11211, 2375, 10250...);
//   - an internal host as the whole value of a parameter (query, form, JSON, XML,
//     multipart field, WebSocket message), the value being one http(s) URL and nothing
//     else: what an application that fetches a URL parameter is sent to reach its own
//     network (url=http://127.0.0.1/admin, stockApi=http://localhost/admin/delete,
//     {"link": "http://10.0.0.1/"}, url=http://[::1]/, url=http://redis:6379/,
//     url=http://admin.internal/). See internalTarget for the hosts and ports that
//     count: loopback and private addresses on the default, a privileged, a service or
//     an admin console port; names under private-use domains (.internal, .local,
//     .lan, .corp...); single-label service names with a service port;
//   - schemes that only serve SSRF or local reads in a fetched URL: gopher://, dict://,
//     tftp://, netdoc:, jar:http...;
//   - a Host, X-Forwarded-Host, X-Host, X-Original-Host, X-Forwarded-Server or
//     Forwarded host= naming a metadata endpoint or an IP in an odd notation
//     (routing-based SSRF, checkRoutingHost).
//
// Deliberately not matched:
//   - an internal URL that is not a parameter's whole value: in prose ("open
//     http://localhost:8080 in your browser" in a chat or README), in a list, in a code
//     or configuration file; nothing says the server fetches it. Nor in a header
//     (browsers send Referer and Origin of intranet pages), a cookie or the path.
//   - an internal URL in a parameter the browser goes to rather than the server: a
//     redirect target (redirect_uri, returnTo, next... but dest, target and forward,
//     which proxies take too), oauth_callback, an origin (allowed_origins), a referrer.
//     Native and development OAuth clients register loopback redirect URIs (RFC 8252:
//     redirect_uri=http://127.0.0.1:53123/callback, http://localhost/).
//   - a loopback or private address on an unprivileged port that is no known service
//     or console (http://localhost:3000/, http://127.0.0.1:53682/,
//     http://192.168.1.20:5173/): a developer's own server or a native app's loopback
//     listener, which analytics beacons, webhook tests and OAuth flows of local builds
//     carry. Their root or port 8080 (http://localhost/, http://localhost:8080/) is
//     matched: a local build on those is blocked with the attacks.
//   - an internal name on a console port (http://prometheus.internal:9090/graph?...,
//     http://jenkins:8080/) or, deep in a document, on its default port
//     (project.web_url=http://gitlab.corp/group/app): internal tools link to each other
//     so in their notifications (Alertmanager, a self-hosted GitLab's webhooks) and
//     integrations store base URLs so; a single-label name alone (http://wiki/, an
//     intranet short link).
//   - database and message broker connection strings (postgres://app:pw@localhost:5432/db,
//     redis://localhost:6379/0, mongodb://, amqp://, jdbc:mysql://127.0.0.1/...): a
//     client library reads them from configuration (a notebook, an uploaded
//     .env.example), no URL fetcher does, and a user name, a service port and an
//     internal host are what every one holds. Only a metadata or obfuscated host
//     matches in them.
//   - the bare word "localhost" or a bare address with no URL around it (a form field
//     "server=localhost", "host=10.0.0.1", "2852039166"): nothing says it is fetched.
//   - ldap:// alone (identity consoles store LDAP server URLs; JNDI lookups are
//     LOG4J-JNDI's), ftp:// and ws:// to an internal host alone, file:// (TRAVERSAL's
//     include wrappers; browsers also report file:/// resource URLs in performance
//     beacons) and global IPv6 literals ("[2001:db8::1]").
//   - a loopback or private Host or X-Forwarded-Host: clients on the server or its
//     network reach it so, and development proxies set X-Forwarded-Host: localhost:3000.
//   - open-redirect payloads (//evil.com, /%09/evil.com, \/\/evil.com,
//     https://allowed@evil.com): a redirect makes the browser, not the server, fetch,
//     and "//cdn.example.com/x.js" in a redirect parameter is normal. Only those that
//     hide an IP in an obfuscated notation match, as above; javascript: is XSS's.

func init() {
	registerValueFiltered(SSRF, valueNeed{minLen: 4, any: classesOf(":/\\")},
		func(p *request.Param, v string, _ byteClass) (string, bool) { return matchSSRF(p, v) })
	registerRequest(checkRoutingHost)
}

// checkRoutingHost matches a request whose Host, or a header a reverse proxy routes or
// builds URLs by (X-Forwarded-Host, X-Host, X-Original-Host, X-Forwarded-Server,
// Forwarded's host=), names a cloud metadata endpoint or an IP in a notation no client
// writes: routing-based SSRF, where a proxy forwards the request to the host it names.
// The Host is read as the proxy gives it (Request.Host) and, when a recorded request
// carries one, as a header. Loopback and private hosts are not matched here: clients on
// the server or its network reach it by them, and development proxies set
// X-Forwarded-Host: localhost:3000.
func checkRoutingHost(r *request.Request) {
	if r.Message != nil {
		return // judged with the handshake
	}
	if routingTarget(r.Host) {
		r.AddSignal(request.Signal{Name: SSRF, Source: request.SourceHeader, Param: "Host", Fragment: fragment(r.Host)})
	}
	for i := range r.Headers {
		h := &r.Headers[i]
		switch len(h.Name) {
		case 4, 6, 9, 15, 16, 18:
		default:
			continue
		}
		n := h.Name
		switch {
		case strings.EqualFold(n, "Host"), strings.EqualFold(n, "X-Host"),
			strings.EqualFold(n, "X-Forwarded-Host"), strings.EqualFold(n, "X-Original-Host"),
			strings.EqualFold(n, "X-Forwarded-Server"):
			for v := h.Value; v != ""; {
				elem := v
				if k := strings.IndexByte(v, ','); k >= 0 {
					elem, v = v[:k], v[k+1:]
				} else {
					v = ""
				}
				if routingTarget(elem) {
					r.AddSignal(request.Signal{Name: SSRF, Source: request.SourceHeader, Param: n, Fragment: fragment(h.Value)})
					break
				}
			}
		case strings.EqualFold(n, "Forwarded"):
			for v := h.Value; ; {
				k := indexFold(v, "host=")
				if k < 0 {
					break
				}
				v = v[k+5:]
				e := strings.IndexAny(v, ";,")
				if e < 0 {
					e = len(v)
				}
				if routingTarget(strings.Trim(v[:e], `"`)) {
					r.AddSignal(request.Signal{Name: SSRF, Source: request.SourceHeader, Param: n, Fragment: fragment(h.Value)})
					break
				}
			}
		}
	}
}

// routingTarget reports whether h, a Host header value (host and optional port), names
// a cloud metadata endpoint or an IP in a notation no client writes.
func routingTarget(h string) bool {
	h = strings.TrimSpace(h)
	if h == "" || len(h) > hostBufLen {
		return false
	}
	switch c := h[0]; {
	case isDigit(c), c == '[', c == 'm', c == 'M', c == 'i', c == 'I':
		// An address, or a metadata name (metadata..., instance-data...).
	default:
		return false
	}
	var buf [hostBufLen]byte
	name, end, tricks := readHost(buf[:], h, 0)
	if name == "" || tricks != 0 {
		return false
	}
	if end < len(h) {
		if h[end] != ':' {
			return false
		}
		for j := end + 1; j < len(h); j++ {
			if !isDigit(h[j]) {
				return false
			}
		}
	}
	switch classifyHost(name) {
	case hostMetadata:
		return true
	case hostObfuscated:
		return numericAddress(name)
	}
	return false
}

func matchSSRF(p *request.Param, v string) (string, bool) {
	if len(v) < 4 {
		return "", false
	}
	// Skip leading spaces and quotes: the value start is where bare and
	// protocol-relative forms are read.
	start := 0
	for start < len(v) && (v[start] == ' ' || v[start] == '\t' || v[start] == '"' || v[start] == '\'' || v[start] == '<' || v[start] == '>') {
		start++
	}
	colon := strings.IndexByte(v, ':')
	if colon < 0 && strings.IndexByte(v, '/') < 0 && strings.IndexByte(v, '\\') < 0 {
		return "", false
	}
	if start < len(v) && (v[start] == '/' || v[start] == '\\') {
		if f, ok := ssrfRelative(v, start); ok {
			return f, true
		}
	}
	for colon >= 0 {
		if f, ok := ssrfAtColon(v, colon); ok {
			return f, true
		}
		next := strings.IndexByte(v[colon+1:], ':')
		if next < 0 {
			break
		}
		colon += 1 + next
	}
	if f, ok := ssrfBareStart(v, start); ok {
		return f, true
	}
	if p != nil && colon >= 0 {
		return ssrfInternalURL(p, v, start)
	}
	return "", false
}

// URL tricks noticed while reading a URL; any of them next to an internal host is an
// attack.
const (
	trickUserinfo = 1 << iota // an '@' before the host
	trickSeps                 // slashless, backslashed or more than two slashes after the scheme
	trickEscaped              // the host spelled with backslash escapes
	trickMapped               // the host spelled with Unicode digits, letters or dots
	trickScheme               // a scheme other than http, https, ws, wss
	trickPort                 // a non-web service port
	trickTrailDot             // "localhost." or "127.0.0.1."
	// trickDSN is no trick: it marks a database or message broker URL
	// (postgres://app:pw@localhost:5432/db), where a user name, a service port and an
	// internal host are what every connection string holds.
	trickDSN
)

// schemeBefore returns the start of the URL scheme ending at v[colon] ("http" in
// "x=http://"), or -1 when there is none.
func schemeBefore(v string, colon int) int {
	i := colon
	for i > 0 && colon-i < 32 {
		c := v[i-1]
		if isAlnum(c) || c == '+' || c == '-' || c == '.' || c == '_' {
			i--
			continue
		}
		break
	}
	if i == colon || colon-i < 2 || !isAlpha(v[i]) {
		return -1
	}
	return i
}

// ssrfAtColon judges the URL whose scheme ends at v[colon], if there is one.
func ssrfAtColon(v string, colon int) (string, bool) {
	s := schemeBefore(v, colon)
	if s < 0 {
		return "", false
	}
	scheme := v[s:colon]
	rest := v[colon+1:]
	if f, ok := dangerousScheme(v, s, scheme, rest); ok {
		return f, true
	}
	seps, back := 0, false
	for seps < len(rest) && (rest[seps] == '/' || rest[seps] == '\\') {
		if seps >= 2 && rest[seps] == '\\' && backslashesThenAlnum(rest, seps) {
			break // "http://\l\o\c\a\l": an escaped host
		}
		back = back || rest[seps] == '\\'
		seps++
	}
	tricks := 0
	web := false
	switch {
	case strings.EqualFold(scheme, "http"), strings.EqualFold(scheme, "https"),
		strings.EqualFold(scheme, "ws"), strings.EqualFold(scheme, "wss"):
		web = true
	case strings.EqualFold(scheme, "ftp"), strings.EqualFold(scheme, "ftps"),
		strings.EqualFold(scheme, "sftp"), strings.EqualFold(scheme, "smb"),
		hasPrefixFold(scheme, "socks"), strings.EqualFold(scheme, "file"):
		// File shares of an intranet, a local proxy setting, file://localhost/: written
		// as they are.
	case dsnScheme(scheme):
		tricks |= trickDSN
	default:
		tricks |= trickScheme
	}
	if envAssignment(v, s) {
		// S3_ENDPOINT=http://localhost:9000, SMTP_URL=smtp://localhost:1025 in an .env
		// file: a service's address in configuration, judged as a connection string is
		// (only a metadata or numerically obfuscated host counts). A fetcher given the
		// whole value gets no URL.
		tricks = tricks&^trickScheme | trickDSN
	}
	if seps < 2 {
		// Only the WHATWG special schemes take a host without "//".
		if !web && !strings.EqualFold(scheme, "ftp") {
			return "", false
		}
		// "http:8080" or "https:x" in prose-like text: a host must follow.
		tricks |= trickSeps
	} else if back || seps > 2 {
		tricks |= trickSeps
	}
	hostStart := colon + 1 + seps
	if hostStart >= len(v) {
		return "", false
	}
	if ssrfURL(v, s, hostStart, tricks, true) {
		return around(v, s, min(len(v), hostStart+48)), true
	}
	return "", false
}

// envAssignment reports whether the URL starting at v[s] is the value of an
// environment variable: "NAME=" or "NAME=\"" right before it, NAME in capitals, digits
// and underscores (.env files, Compose and CI variables). The line start is not needed:
// a decoded variant of a file may have its line breaks taken out. A lower-case name, or
// one inside a URL's query (?url=, &URL=), is no such assignment.
func envAssignment(v string, s int) bool {
	i := s
	if i > 0 && (v[i-1] == '"' || v[i-1] == '\'') {
		i--
	}
	if i == 0 || v[i-1] != '=' {
		return false
	}
	end := i - 1
	start := end
	upper := false
	for start > 0 {
		c := v[start-1]
		if 'A' <= c && c <= 'Z' {
			upper = true
		} else if !isDigit(c) && c != '_' {
			break
		}
		start--
	}
	if !upper || end-start < 2 {
		return false
	}
	return start == 0 || strings.IndexByte("?&/.:%=", v[start-1]) < 0
}

// dangerousScheme matches the schemes that only serve SSRF or local file reads.
func dangerousScheme(v string, s int, scheme, rest string) (string, bool) {
	switch {
	case strings.EqualFold(scheme, "gopher"), strings.EqualFold(scheme, "dict"),
		strings.EqualFold(scheme, "tftp"):
		if strings.HasPrefix(rest, "//") && len(rest) > 2 && rest[2] != '/' {
			return around(v, s, s+len(scheme)+3), true
		}
	case strings.EqualFold(scheme, "netdoc"):
		if rest != "" && (rest[0] == '/' || rest[0] == '\\') {
			return around(v, s, s+len(scheme)+2), true
		}
	case strings.EqualFold(scheme, "jar"):
		if hasPrefixFold(rest, "http") || hasPrefixFold(rest, "file:") || hasPrefixFold(rest, "ftp") || hasPrefixFold(rest, "netdoc:") {
			return around(v, s, s+len(scheme)+5), true
		}
	}
	return "", false
}

// ssrfRelative judges a protocol-relative "//host" or UNC "\\host" opening the value.
func ssrfRelative(v string, start int) (string, bool) {
	i := start
	slash, back := false, false
	for i < len(v) && (v[i] == '/' || v[i] == '\\') {
		slash = slash || v[i] == '/'
		back = back || v[i] == '\\'
		i++
	}
	if i-start < 2 || i >= len(v) {
		return "", false
	}
	tricks := 0
	if slash && back || i-start > 2 {
		tricks |= trickSeps // "/\host", "\\/host", "///host"; "\\host" is a UNC path
	}
	if ssrfURL(v, start, i, tricks, false) {
		return around(v, start, min(len(v), i+48)), true
	}
	return "", false
}

// ssrfBareStart judges a host that opens the value with no scheme, followed by '/' or a
// port: only the unambiguous targets count (metadata, aliases), since "10.5/2" or
// "1.2.3/x" are not addresses.
func ssrfBareStart(v string, start int) (string, bool) {
	var buf [hostBufLen]byte
	h, end, tricks := readHost(buf[:], v, start)
	if h == "" || end >= len(v) || (v[end] != '/' && v[end] != ':') {
		return "", false
	}
	if !strings.ContainsAny(h, ".-0123456789") {
		return "", false // "Mozilla/5.0": every metadata or alias name has one of these
	}
	if v[end] == ':' && (end+1 >= len(v) || !isDigit(v[end+1])) {
		return "", false
	}
	if tricks&trickMapped != 0 {
		return "", false
	}
	if h == "metadata" || h == "instance-data" {
		return "", false // "metadata/schema.json" is a relative path
	}
	switch classifyHost(h) {
	case hostMetadata, hostAlias:
		return around(v, start, end), true
	}
	return "", false
}

// dsnScheme reports the schemes of database and message broker connection strings
// (postgres://, redis://, mongodb+srv://, the URL part of jdbc:mysql://...): a client
// library reads them from configuration, no URL fetcher does. (mqtt:// is not one:
// libcurl speaks MQTT.)
func dsnScheme(scheme string) bool {
	switch strings.ToLower(scheme) {
	case "postgres", "postgresql", "mysql", "mysqlx", "mariadb", "redis", "rediss",
		"mongodb", "mongodb+srv", "amqp", "amqps", "mssql", "sqlserver", "oracle",
		"clickhouse", "cassandra", "cockroachdb", "couchbase", "couchbases", "neo4j",
		"neo4j+s", "bolt", "nats", "kafka", "memcached", "db2",
		"redshift", "snowflake", "hive2", "trino", "presto", "sqlite", "valkey":
		return true
	}
	return false
}

// ssrfInternalURL judges a value that is one http(s) URL and nothing else, sent in a
// parameter an application may fetch (query, form, JSON, XML, multipart field,
// WebSocket message): it is SSRF when its host is internal and its port one that a
// server's own services listen on. See internalTarget.
func ssrfInternalURL(p *request.Param, v string, start int) (string, bool) {
	if p.Key {
		return "", false
	}
	switch p.Source {
	case request.SourceQuery, request.SourceForm, request.SourceJSON, request.SourceXML,
		request.SourceMultipart, request.SourceMessage:
	default:
		return "", false // headers (Referer, Origin), cookies and paths are no fetch targets
	}
	end := len(v)
	for end > start && (v[end-1] <= ' ' || v[end-1] == '"' || v[end-1] == '\'') {
		end--
	}
	u := v[start:end]
	hs := 0
	switch {
	case hasPrefixFold(u, "http://"):
		hs = 7
	case hasPrefixFold(u, "https://"):
		hs = 8
	default:
		return "", false
	}
	for i := hs; i < len(u); i++ {
		if u[i] <= ' ' || u[i] == 0x7f {
			return "", false // not one URL: prose, a list, a paste
		}
	}
	if browserDestination(p.Name) {
		return "", false
	}
	if aend, ok := internalTarget(u, hs, strings.ContainsAny(p.Name, ".[")); ok {
		return around(v, start, start+aend), true
	}
	return "", false
}

// internalTarget reads the authority of the URL u whose authority starts at u[hs], and
// reports whether it is an internal target and where the authority ends:
//   - a loopback or private address (localhost, *.localhost, 127.0.0.1, 10/8,
//     172.16/12, 192.168/16, 100.64/10, [::1], fc00::/7) with no port, a port below
//     1024, a non-web service port (servicePort: 22, 6379, 9200...), the API port of
//     infrastructure (infraPort: Vault 8200, Consul 8500, kubectl proxy 8001...) or the
//     port of an internal web console (consolePort: 8080, 9090, 5601...);
//   - a name under a private-use domain (.internal, .local, .localdomain, .lan,
//     .intranet, .corp, .home.arpa) with a port below 1024, a service or an
//     infrastructure port, or with no port in a parameter that is not nested (nested
//     says the parameter's name is a path into a document: "project.web_url");
//   - a single-label name with a service or infrastructure port (redis:6379,
//     vault:8200: a container's service name).
//
// Not targets: a loopback or private address on another unprivileged port
// (localhost:3000, 127.0.0.1:53682, 192.168.1.20:5173), a developer's own server or a
// native app's loopback listener (RFC 8252); an internal name with a console port
// (http://prometheus.internal:9090/graph?..., http://jenkins:8080/), which internal
// tools put in their notifications (Alertmanager's generatorURL) and integrations in
// their settings, and which only someone inside knows; an internal name deep in a
// document (a self-hosted GitLab's webhook links to http://gitlab.corp/group/app); a
// single-label name alone (http://wiki/, an intranet short link).
func internalTarget(u string, hs int, nested bool) (int, bool) {
	aend := hs
	for aend < len(u) && u[aend] != '/' && u[aend] != '?' && u[aend] != '#' && u[aend] != '\\' {
		aend++
	}
	h0 := hs
	if at := strings.LastIndexByte(u[hs:aend], '@'); at >= 0 {
		h0 = hs + at + 1
	}
	var buf [hostBufLen]byte
	h, hend, _ := readHost(buf[:], u, h0)
	if h == "" {
		return 0, false
	}
	if len(h) > 1 && h[len(h)-1] == '.' && h[0] != '[' {
		h = strings.TrimRight(h, ".")
	}
	port := -1
	if hend < aend {
		if u[hend] != ':' {
			return 0, false
		}
		for j := hend + 1; j < aend; j++ {
			if !isDigit(u[j]) || j-hend > 5 {
				return 0, false
			}
			port = max(port, 0)*10 + int(u[j]-'0')
		}
	}
	service := port >= 0 && port < 1024 || servicePort(port) || infraPort(port)
	switch classifyHost(h) {
	case hostPrivate:
		return aend, port < 0 || service || consolePort(port)
	case hostOther:
		if !isAlpha(h[0]) {
			return 0, false
		}
		if strings.IndexByte(h, '.') < 0 {
			return aend, service
		}
		for _, s := range [...]string{".internal", ".local", ".localdomain", ".lan", ".intranet", ".corp", ".home.arpa"} {
			if strings.HasSuffix(h, s) {
				return aend, port < 0 && !nested || service
			}
		}
	}
	return 0, false
}

// infraPort reports the ports of infrastructure HTTP APIs that hold secrets or control
// a cluster and that no one links to: Caddy's admin API 2019, Nomad 4646, kubectl proxy
// 8001, AJP 8009, Vault 8200, Consul 8500, kube-proxy 10249 and 10256, Envoy's admin
// 15000.
func infraPort(p int) bool {
	switch p {
	case 2019, 4646, 8001, 8009, 8200, 8500, 10249, 10256, 15000:
		return true
	}
	return false
}

// consolePort reports the ports of the web consoles servers keep to their own network:
// Tomcat, Jenkins and most Java servers 8080, Prometheus 9090, Alertmanager 9093, node
// exporter 9100, Kibana 5601, Solr 8983, ActiveMQ 8161, GlassFish 4848, WebLogic 7001,
// WildFly 9990, MinIO and Portainer 9000/9001, Spark 4040, YARN 8088, InfluxDB 8086,
// Neo4j 7474, Couchbase 8091, Jaeger 16686. Dev servers' usual ports (3000, 4200, 5000,
// 5173, 8000, 8888) are not among them.
func consolePort(p int) bool {
	switch p {
	case 4040, 4848, 5601, 7001, 7474, 8080, 8086, 8088, 8091, 8161, 8983, 9000, 9001, 9090,
		9093, 9100, 9990, 16686:
		return true
	}
	return false
}

// browserDestination reports whether a parameter name says its URL is where the
// browser goes or comes from, not what the server fetches: a redirect target (next,
// returnTo, redirect_uri and the other names of redirectName but dest, target and
// forward, which proxies use too), an OAuth 1 oauth_callback, an origin
// (allowed_origins) or a referrer. Native and development OAuth clients register
// loopback redirect URIs (RFC 8252).
func browserDestination(name string) bool {
	if redirectName(name) {
		var buf [24]byte
		switch string0(nameWord(buf[:], name)) {
		case "dest", "desturl", "destination", "target", "targeturl", "forward", "forwardurl":
			return false
		}
		return true
	}
	var buf [24]byte
	w := string0(nameWord(buf[:], name))
	return strings.Contains(w, "origin") || strings.Contains(w, "referer") ||
		strings.Contains(w, "referrer") || w == "oauthcallback"
}

// Host classes.
const (
	hostOther       = iota
	hostPrivate     // loopback or private: an attack only with a trick
	hostLoopAlt     // a loopback other than localhost, 127.0.0.1 or ::1
	hostObfuscated  // an IP in a notation no real URL uses
	hostAlias       // a name that only serves to reach internal hosts
	hostUnspecified // 0.0.0.0 or [::]: the host itself, in a URL
	hostMetadata    // a cloud metadata endpoint or link-local address
)

const hostBufLen = 96

// ssrfURL reads the authority of a URL whose host starts at v[hs] (after the scheme and
// separators, which begin at v[s]) and judges it together with the tricks seen so far.
func ssrfURL(v string, s, hs, tricks int, spaces bool) bool {
	if judgeHostAt(v, hs, tricks) {
		return true
	}
	// Parsers disagree on which '@' ends the userinfo ("http://a.com:80#@127.0.0.1/",
	// "http://a.com &@b.com# @127.0.0.1/"), so the host after each '@' before the path
	// is judged too. spaces says the scan may cross spaces (after a scheme; "// like
	// user@[::1]" is a code comment).
	limit := min(len(v), hs+128)
	for i := hs; i < limit; i++ {
		c := v[i]
		if c == '/' || c == '"' || c == '\'' || c == '`' || c == ';' || c == ',' || c < 0x20 || c == ' ' && !spaces {
			break
		}
		if c == '@' && i+1 < len(v) {
			if judgeHostAt(v, i+1, tricks|trickUserinfo) {
				return true
			}
		}
	}
	return metadataPath(v, hs, min(len(v), hs+256))
}

// judgeHostAt reads the host at v[i] and reports whether it, with the tricks given, is
// an SSRF target.
func judgeHostAt(v string, i, tricks int) bool {
	var buf [hostBufLen]byte
	h, end, t := readHost(buf[:], v, i)
	if h == "" {
		return false
	}
	tricks |= t
	if len(h) > 1 && h[len(h)-1] == '.' && h[0] != '[' {
		h = strings.TrimRight(h, ".")
		tricks |= trickTrailDot
	}
	if end < len(v) {
		switch v[end] {
		case '@':
			// userinfo: the host comes after the '@', judged by the caller's '@' scan.
			return false
		case '/', '?', '#', ':', '\\', ' ', '\t', '\n', '\r', '"', '\'', '&', ';', ',', ')', '>', '<', ']':
		default:
			// The host goes on in a spelling not read here ("192.168.0.%31"): the
			// decoded variants are judged on their own.
			return false
		}
	}
	port := -1
	if end < len(v) && v[end] == ':' {
		port = 0
		for j := end + 1; j < len(v) && isDigit(v[j]) && port < 100000; j++ {
			port = port*10 + int(v[j]-'0')
		}
	}
	if port > 0 && servicePort(port) {
		tricks |= trickPort
	}
	if tricks&trickEscaped != 0 {
		return true // no host is spelled with backslash escapes
	}
	c := classifyHost(h)
	if tricks&trickDSN != 0 {
		// A connection string names the database it connects to: localhost, a
		// container (host.docker.internal), a cluster service. Only an address no
		// configuration writes so is an attack there.
		return c == hostMetadata || c == hostObfuscated && numericAddress(h)
	}
	if c == hostObfuscated && tricks&(trickSeps|trickUserinfo) != 0 && !numericAddress(h) {
		return false // "http:1.1" and "pkg@1.2.3" are versions, not addresses
	}
	switch c {
	case hostMetadata, hostAlias, hostObfuscated, hostLoopAlt, hostUnspecified:
		return true
	case hostPrivate:
		return tricks != 0
	}
	return false
}

// readHost copies the host at v[i] into buf, lower-cased, with Unicode digits, letters
// and dots folded to ASCII and backslash escapes dropped. It returns the host, the index
// after it in v, and the tricks its spelling shows.
func readHost(buf []byte, v string, i int) (string, int, int) {
	n, tricks, escapes := 0, 0, 0
	bracket := i < len(v) && v[i] == '['
	escaped := i < len(v) && v[i] == '\\' && backslashesThenAlnum(v, i)
	for i < len(v) && n < len(buf) {
		c := v[i]
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(v[i:])
			m := foldHostRune(r)
			if m == 0 {
				break
			}
			buf[n] = m
			n++
			i += size
			tricks |= trickMapped
			continue
		}
		switch {
		case isAlnum(c) || c == '-' || c == '_':
			buf[n] = lowerASCII(c)
		case c == '.':
			buf[n] = c
		case bracket && (c == ':' || c == '%' || c == '[' || c == ']'):
			buf[n] = c
			if c == ']' {
				n++
				i++
				return string0(buf[:n]), i, tricks
			}
		case c == '\\' && escaped && backslashesThenAlnum(v, i):
			for v[i] == '\\' {
				i++
			}
			if escapes++; escapes == 3 {
				// "\l\o\c\a\l": three escapes at least ("/\\\n/" in a regular
				// expression is not a host).
				tricks |= trickEscaped
			}
			continue
		default:
			return string0(buf[:n]), i, tricks
		}
		n++
		i++
	}
	if n == len(buf) {
		return "", i, tricks
	}
	return string0(buf[:n]), i, tricks
}

// backslashesThenAlnum reports whether a run of backslashes at v[i] is followed by a
// letter or digit: "\\l" or "\\\\l" spelling a host.
func backslashesThenAlnum(v string, i int) bool {
	for i < len(v) && v[i] == '\\' {
		i++
	}
	return i < len(v) && isAlnum(v[i])
}

// string0 views b as a string without copying it. The host strings built this way live
// in the caller's stack buffer and are only classified, never retained.
func string0(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// foldHostRune maps the Unicode look-alikes that IDNA and lenient parsers fold in host
// names to their ASCII byte: circled and fullwidth digits and letters, ideographic and
// fullwidth full stops, super- and subscript digits. It returns 0 for any other rune.
func foldHostRune(r rune) byte {
	switch {
	case r == 0x3002 || r == 0xFF0E || r == 0xFF61: // 。．｡
		return '.'
	case r == 0x24EA || r == 0x24FF || r == 0x1F100: // ⓪ ⓿ 🄀
		return '0'
	case r >= 0x2460 && r <= 0x2468: // ①-⑨
		return byte('1' + r - 0x2460)
	case r >= 0x2474 && r <= 0x247C: // ⑴-⑼
		return byte('1' + r - 0x2474)
	case r >= 0x2488 && r <= 0x2490: // ⒈-⒐
		return byte('1' + r - 0x2488)
	case r >= 0x2776 && r <= 0x277E: // ❶-❾
		return byte('1' + r - 0x2776)
	case r >= 0x2780 && r <= 0x2788: // ➀-➈
		return byte('1' + r - 0x2780)
	case r >= 0x278A && r <= 0x2792: // ➊-➒
		return byte('1' + r - 0x278A)
	case r >= 0x24B6 && r <= 0x24CF: // Ⓐ-Ⓩ
		return byte('a' + r - 0x24B6)
	case r >= 0x24D0 && r <= 0x24E9: // ⓐ-ⓩ
		return byte('a' + r - 0x24D0)
	case r >= 0x249C && r <= 0x24B5: // ⒜-⒵
		return byte('a' + r - 0x249C)
	case r >= 0xFF10 && r <= 0xFF19: // ０-９
		return byte('0' + r - 0xFF10)
	case r >= 0xFF21 && r <= 0xFF3A: // Ａ-Ｚ
		return byte('a' + r - 0xFF21)
	case r >= 0xFF41 && r <= 0xFF5A: // ａ-ｚ
		return byte('a' + r - 0xFF41)
	case r == 0x2070 || r == 0x2080: // ⁰ ₀
		return '0'
	case r == 0xB9:
		return '1'
	case r == 0xB2 || r == 0xB3:
		return byte('2' + r - 0xB2)
	case r >= 0x2074 && r <= 0x2079:
		return byte('4' + r - 0x2074)
	case r >= 0x2081 && r <= 0x2089:
		return byte('1' + r - 0x2081)
	case r >= 0x1D7CE && r <= 0x1D7FF: // mathematical digits
		return byte('0' + (r-0x1D7CE)%10)
	}
	return 0
}

// servicePort reports ports of services that are not web servers and are SSRF's usual
// targets behind a loopback or private address.
func servicePort(p int) bool {
	switch p {
	case 21, 22, 23, 25, 110, 111, 135, 139, 143, 389, 445, 465, 587, 636, 873, 1433, 1521,
		2049, 2375, 2376, 2379, 2380, 3306, 3389, 4369, 5432, 5672, 5900, 5984, 6379, 6443,
		9042, 9200, 9300, 10250, 10255, 11211, 15672, 27017, 50070:
		return true
	}
	return false
}

// aliasNames resolve to the host itself, its container platform or its cloud metadata
// service. Each matches the whole host; the ones starting with '.' match as suffixes.
var aliasNames = []string{
	"localhost.localdomain", "localhost4", "localhost4.localdomain4", "localhost6",
	"localhost6.localdomain6", "ip6-localhost", "ip6-loopback", "ipv6-localhost",
	"ipv6-loopback", "host.docker.internal", "gateway.docker.internal",
	"kubernetes.docker.internal", "host.containers.internal", "kubernetes.default",
	"kubernetes.default.svc", ".svc.cluster.local", ".cluster.local",
	"localtest.me", ".localtest.me", "lvh.me", ".lvh.me", "vcap.me", ".vcap.me",
	".nip.io", ".sslip.io", ".xip.io",
}

var metadataNames = []string{
	"metadata", "metadata.google.internal", "metadata.goog", "metadata.packet.net",
	"metadata.platformequinix.com", "metadata.tencentyun.com", "instance-data",
	"instance-data.ec2.internal", "metadata.azure.internal",
}

// hostNames indexes metadataNames and aliasNames (the exact ones) by name; suffixes
// holds the ones starting with '.'.
var (
	hostNames = map[string]int{}
	suffixes  []string
)

func init() {
	for _, n := range metadataNames {
		hostNames[n] = hostMetadata
	}
	for _, n := range aliasNames {
		if n[0] == '.' {
			suffixes = append(suffixes, n)
		} else {
			hostNames[n] = hostAlias
		}
	}
}

// namedHost classifies a host name by the lists above: hostMetadata, hostAlias, or
// hostOther.
func namedHost(h string) int {
	if c, ok := hostNames[h]; ok {
		return c
	}
	if last := h[len(h)-1]; last == 'l' || last == 'e' || last == 'o' {
		for _, n := range suffixes {
			if len(h) > len(n) && strings.HasSuffix(h, n) {
				return hostAlias
			}
		}
	}
	return hostOther
}

// numericAddress reports whether a host in a non-canonical numeric notation, read where
// a version or a number could stand too ("http:1.1", "pkg@1.2.3", "@77.29,-67.32"),
// looks like an address: a bracket, a hex part, four parts, a leading-zero (octal) part,
// or one integer of eight digits or more.
func numericAddress(h string) bool {
	if h[0] == '[' || strings.Count(h, ".") == 3 || strings.Contains(h, "0x") {
		return true
	}
	if strings.IndexByte(h, '.') < 0 {
		return len(h) >= 8
	}
	// A part with a leading zero: "00330.3856078".
	for i := 0; i+1 < len(h); i++ {
		if h[i] == '0' && isDigit(h[i+1]) && (i == 0 || h[i-1] == '.') {
			return true
		}
	}
	return false
}

// classifyHost classifies a folded host (lower case, IPv6 in brackets).
func classifyHost(h string) int {
	if h == "" {
		return hostOther
	}
	if h[0] == '[' {
		return classifyIPv6Host(h)
	}
	if ip, canonical, ok := parseIPv4Loose(h); ok {
		c := classifyIPv4(ip)
		if c == hostMetadata || ip != 0 && ip>>24 == 0 {
			return c // 0.0.0.0/8 is not routable: "0xABCDEF" is just a number
		}
		if !canonical {
			return hostObfuscated
		}
		if c == hostPrivate && ip>>24 == 127 && ip != 0x7f000001 {
			return hostLoopAlt
		}
		return c
	}
	if !isAlnum(h[len(h)-1]) {
		return hostOther
	}
	if c := namedHost(h); c != hostOther {
		return c
	}
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return hostPrivate
	}
	return hostOther
}

// classifyIPv4 classifies an address given as 32 bits.
func classifyIPv4(ip uint32) int {
	switch {
	case ip>>16 == 0xA9FE: // 169.254.0.0/16, link-local and metadata
		return hostMetadata
	case ip == 0x64646480 || ip == 0xC00000C0: // 100.100.100.200, 192.0.0.192
		return hostMetadata
	case ip == 0: // 0.0.0.0 reaches the host itself
		return hostUnspecified
	case ip>>24 == 127, ip>>24 == 10, ip>>20 == 0xAC1, ip>>16 == 0xC0A8, ip>>22 == 0x191: // 100.64/10
		return hostPrivate
	}
	return hostOther
}

// parseIPv4Loose parses a host the way inet_aton and the WHATWG URL parser do: one to
// four parts, each decimal, octal (leading 0) or hex (0x), the last one filling the
// remaining bytes. canonical reports plain dotted decimal. Parts out of range (as in
// "472.314.470.462" or "7147006462") are accepted and wrapped: some parsers do so, and
// the notation is itself the attack.
func parseIPv4Loose(h string) (ip uint32, canonical, ok bool) {
	if h == "" || !isDigit(h[0]) {
		return 0, false, false
	}
	var parts [4]uint64
	n := 0
	canonical = true
	for len(h) > 0 {
		if n == 4 {
			return 0, false, false
		}
		label := h
		if k := strings.IndexByte(h, '.'); k >= 0 {
			label, h = h[:k], h[k+1:]
			if h == "" {
				return 0, false, false
			}
		} else {
			h = ""
		}
		val, canon, good := parseIPv4Part(label)
		if !good {
			return 0, false, false
		}
		canonical = canonical && canon
		parts[n] = val
		n++
	}
	if n == 0 {
		return 0, false, false
	}
	if n != 4 {
		canonical = false
	}
	var v uint64
	for k := 0; k < n-1; k++ {
		if parts[k] > 255 {
			canonical = false
		}
		v = v<<8 | parts[k]&0xFF
	}
	last := parts[n-1]
	shift := uint(8 * (5 - n))
	if n == 4 && last > 255 {
		canonical = false
	}
	if shift < 64 && last>>shift != 0 {
		canonical = false
	}
	v = v<<shift | last&(1<<shift-1)
	return uint32(v), canonical, true
}

// parseIPv4Part parses one part of a loose IPv4 host. canon is false for anything but
// plain decimal without leading zeros.
func parseIPv4Part(s string) (val uint64, canon, ok bool) {
	if s == "" || len(s) > 40 {
		return 0, false, false
	}
	const capVal = 1 << 40
	if len(s) >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') {
		for i := 2; i < len(s); i++ {
			if !isHexDigit(s[i]) {
				return 0, false, false
			}
			val = val<<4 | uint64(unhexByte(s[i]))
			if val > capVal {
				val = val&0xFFFFFFFF | capVal // keep the low bits, remember the overflow
			}
		}
		return val, false, true
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return 0, false, false
		}
	}
	if len(s) > 1 && s[0] == '0' {
		octal := true
		for i := 1; i < len(s); i++ {
			if s[i] > '7' {
				octal = false
			}
		}
		if octal {
			for i := 1; i < len(s); i++ {
				val = val<<3 | uint64(s[i]-'0')
				if val > capVal {
					val = val&0xFFFFFFFF | capVal
				}
			}
			return val, false, true
		}
		canon = false
	} else {
		canon = true
	}
	for i := 0; i < len(s); i++ {
		val = val*10 + uint64(s[i]-'0')
		if val > capVal {
			val = val&0xFFFFFFFF | capVal
		}
	}
	return val, canon, true
}

// classifyIPv6Host classifies a bracketed IPv6 literal.
func classifyIPv6Host(h string) int {
	h = strings.TrimPrefix(h, "[")
	h = strings.TrimSuffix(h, "]")
	zone := false
	if k := strings.IndexByte(h, '%'); k >= 0 {
		h, zone = h[:k], true
	}
	a, ok := parseIPv6(h)
	if !ok {
		return hostOther
	}
	zero10 := true
	for _, b := range a[:10] {
		if b != 0 {
			zero10 = false
		}
	}
	v4 := uint32(a[12])<<24 | uint32(a[13])<<16 | uint32(a[14])<<8 | uint32(a[15])
	switch {
	case a[0] == 0xFE && a[1]&0xC0 == 0x80: // fe80::/10
		return hostMetadata
	case a == [16]byte{0xfd, 0x00, 0x0e, 0xc2, 15: 0x54}: // fd00:ec2::254
		return hostMetadata
	case zero10 && a[10] == 0xFF && a[11] == 0xFF, // ::ffff:a.b.c.d
		zero10 && a[10] == 0 && a[11] == 0 && v4 > 1,              // ::a.b.c.d
		a[0] == 0 && a[1] == 0x64 && a[2] == 0xFF && a[3] == 0x9B: // 64:ff9b::/96
		// An IPv4 address embedded in IPv6: a notation that only serves to pass filters.
		if classifyIPv4(v4) == hostMetadata {
			return hostMetadata
		}
		return hostObfuscated
	case zero10 && a[10] == 0 && a[11] == 0 && v4 == 0: // ::
		return hostUnspecified
	case zero10 && a[10] == 0 && a[11] == 0 && v4 == 1: // ::1
		if h != "::1" {
			return hostObfuscated
		}
		return hostPrivate
	case a[0]&0xFE == 0xFC: // fc00::/7
		if zone {
			return hostObfuscated
		}
		return hostPrivate
	case a[0]&0xE0 != 0x20:
		// Outside 2000::/3, the only unicast block in use, and none of the ranges above:
		// no host on the Internet has such an address ("[a::]", "[dead:beef::1]").
		return hostObfuscated
	}
	return hostOther
}

// parseIPv6 parses an IPv6 address without brackets or zone, with an optional trailing
// dotted IPv4 part.
func parseIPv6(s string) (a [16]byte, ok bool) {
	if len(s) < 2 {
		return a, false
	}
	ellipsis := -1
	i, n := 0, 0
	if strings.HasPrefix(s, "::") {
		ellipsis = 0
		i = 2
		if i == len(s) {
			return a, true
		}
	}
	for i < len(s) && n < 16 {
		// A trailing IPv4 part.
		if k := strings.IndexByte(s[i:], '.'); k >= 0 && strings.IndexByte(s[i:], ':') < 0 {
			if n > 12 {
				return a, false
			}
			ip, canonical, good := parseIPv4Loose(s[i:])
			if !good || !canonical {
				return a, false
			}
			a[n], a[n+1], a[n+2], a[n+3] = byte(ip>>24), byte(ip>>16), byte(ip>>8), byte(ip)
			n += 4
			i = len(s)
			break
		}
		val, digits := 0, 0
		for i < len(s) && isHexDigit(s[i]) && digits < 5 {
			val = val<<4 | int(unhexByte(s[i]))
			i++
			digits++
		}
		if digits == 0 || digits > 4 {
			return a, false
		}
		a[n], a[n+1] = byte(val>>8), byte(val)
		n += 2
		if i == len(s) {
			break
		}
		if s[i] != ':' || i+1 == len(s) {
			return a, false
		}
		i++
		if s[i] == ':' {
			if ellipsis >= 0 {
				return a, false
			}
			ellipsis = n
			i++
			if i == len(s) {
				break
			}
		}
	}
	if i != len(s) {
		return a, false
	}
	if n < 16 {
		if ellipsis < 0 {
			return a, false
		}
		gap := 16 - n
		for k := n - 1; k >= ellipsis; k-- {
			a[k+gap] = a[k]
			a[k] = 0
		}
	} else if ellipsis >= 0 {
		return a, false
	}
	return a, true
}

// metadataPaths are request paths of cloud metadata services (lower case), matched in
// the path of a URL whatever its host (a DNS name can point at the metadata address).
var metadataPaths = []string{
	"/latest/meta-data", "/latest/user-data", "/latest/api/token", "/latest/dynamic/instance-identity",
	"/computemetadata/v1", "/metadata/instance", "/metadata/identity/oauth2",
	"/opc/v1/instance", "/opc/v2/instance", "/openstack/latest/meta_data",
}

// metadataPath reports whether the path of the URL whose authority starts at v[i] holds
// a metadata service path. It reads to limit or the end of the path: a space, a quote,
// '?', '#', or a ':' (the next URL of a list).
func metadataPath(v string, i, limit int) bool {
	k := strings.IndexByte(v[i:limit], '/')
	if k < 0 {
		return false
	}
	for i += k; i+1 < limit; i++ {
		c := v[i]
		if c == ' ' || c == '"' || c == '\'' || c == '<' || c < 0x20 || c == '?' || c == '#' || c == ':' {
			return false
		}
		if c != '/' {
			continue
		}
		switch lowerASCII(v[i+1]) {
		case 'l', 'c', 'm', 'o':
			for _, p := range metadataPaths {
				if hasPrefixFold(v[i:], p) {
					return true
				}
			}
		}
	}
	return false
}

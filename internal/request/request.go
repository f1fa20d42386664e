package request

import (
	"net/netip"
	"strings"
)

// Protocol says which kind of traffic a Request stands for. Rules see it as the
// `protocol` field.
type Protocol uint8

// Protocols a Request can carry.
const (
	ProtocolHTTP Protocol = iota
	ProtocolWebSocket
)

// String returns the name rules and events use: "http" or "websocket".
func (p Protocol) String() string {
	if p == ProtocolWebSocket {
		return "websocket"
	}
	return "http"
}

// Header is one request header as received. Order and duplicates are kept.
type Header struct {
	Name  string
	Value string
}

// Flags records facts the parsers noticed while building a Request: malformed bodies,
// limits reached. The engine turns them into anomaly signals; the parsers decide nothing.
type Flags uint32

// Facts a parser can record.
const (
	FlagJSONError       Flags = 1 << iota // a JSON body or message did not parse
	FlagXMLError                          // an XML body did not parse
	FlagMalformed                         // a form, multipart or cookie body was malformed
	FlagNoContentType                     // a body arrived without a Content-Type
	FlagBodyTruncated                     // the body was longer than limits.body_bytes
	FlagTooManyParams                     // more parameters than limits.params
	FlagTooDeep                           // nesting deeper than limits.depth
	FlagHeadersTooLarge                   // headers larger than limits.header_bytes
	FlagMessageTooLarge                   // a WebSocket message over limits.ws_message_bytes
	FlagNotUTF8                           // a value was not valid UTF-8
	FlagUnparsable                        // the request line itself could not be parsed
	// FlagMessageSkipped marks a WebSocket message judged without its payload (a binary
	// message not inspected as text, or one over limits.ws_message_bytes): rules, rate
	// limits and flags see its fields, no detector runs. Message is nil and Parsed set.
	FlagMessageSkipped
	// FlagUnknownEncoding marks a body whose Content-Encoding the parser does not decode
	// (br, zstd, compress...): it is inspected as sent.
	FlagUnknownEncoding
)

// Has reports whether every flag in f2 is set in f.
func (f Flags) Has(f2 Flags) bool { return f&f2 == f2 }

// Request is everything the engine judges about one HTTP request or WebSocket message.
//
// The proxies fill the raw fields (Method, URI, Headers, Body or Message...), the parse
// package fills Params and Flags, detectors and rules append Signals. A Request is not
// safe for concurrent use; it can be reused after Reset.
type Request struct {
	// ID identifies the request in logs, events and the block page
	// (X-Rampart-Request-Id). For a WebSocket message it is the handshake's ID.
	ID       string
	Protocol Protocol

	Method   string // as sent, e.g. "GET"
	Scheme   string // "http" or "https" as seen by the client
	Host     string // Host header (or :authority)
	URI      string // request target as sent: path plus raw query, not decoded
	Path     string // decoded path (may be "" when the target could not be parsed)
	RawQuery string // query string after '?', not decoded
	Proto    string // "HTTP/1.1", "HTTP/2.0"

	IP netip.Addr // client IP (after the trusted-proxy logic)
	// Country is the ISO code of IP's country ("FR"), filled by the engine from the
	// GeoIP database when a rule tests it; "" when unknown.
	Country   string
	UserAgent string
	Headers   []Header

	// ContentType is the Content-Type header value, and Body the buffered body (at most
	// limits.body_bytes; FlagBodyTruncated says when more was sent). When the body has a
	// Content-Encoding the parse package decodes (gzip, deflate), parse.Fill points Body
	// at the decoded bytes, which detectors and rules then see; whoever forwards the
	// request keeps the bytes as sent apart.
	ContentType string
	Body        []byte

	// WebSocket message fields: zero for HTTP requests and handshakes.
	ConnID       string // identifies the WebSocket connection in events
	Opcode       uint8  // 1 text, 2 binary
	MessageIndex int    // 1-based index of the client message on its connection
	Message      []byte // the whole (inflated) message payload

	// Params are every named value taken from the request, in the order parsed.
	Params []Param
	Flags  Flags
	// Parsed is set once the parse package has filled Params and Flags.
	Parsed bool

	// Signals found so far, by detectors, anomaly checks and rules (tags).
	Signals []Signal
	// ResponseStatus is the upstream's status, once it answered (rules that test
	// response.status run then); 0 before.
	ResponseStatus int

	// Rules are the IDs of the rules that matched and acted, in the order they did
	// (exclusions first, then tags, logs, rate limits over their threshold, and the
	// rule that decided, last).
	Rules []string

	rulePath, ruleHost string // RulePath and RuleHost, once computed
}

// HeaderSize is the size of the request line and headers as HTTP/1.1 writes them
// ("GET /uri HTTP/1.1\r\n", "Name: value\r\n" each, the blank line): what
// limits.header_bytes bounds.
func (r *Request) HeaderSize() int {
	n := len(r.Method) + 1 + len(r.URI) + 1 + len(r.Proto) + 2 + 2
	for _, h := range r.Headers {
		n += len(h.Name) + 2 + len(h.Value) + 2
	}
	return n
}

// Header returns the first value of the named header (case-insensitive), or "".
func (r *Request) Header(name string) string {
	for i := range r.Headers {
		if strings.EqualFold(r.Headers[i].Name, name) {
			return r.Headers[i].Value
		}
	}
	return ""
}

// AddSignal appends a signal unless the same name was already recorded for the same
// parameter, so a value that triggers a detector through several decodings counts once.
func (r *Request) AddSignal(s Signal) {
	for i := range r.Signals {
		if r.Signals[i].Name == s.Name && r.Signals[i].Param == s.Param && r.Signals[i].Source == s.Source {
			return
		}
	}
	r.Signals = append(r.Signals, s)
}

// HasSignal reports whether a signal of that name was recorded.
func (r *Request) HasSignal(name string) bool {
	for i := range r.Signals {
		if r.Signals[i].Name == name {
			return true
		}
	}
	return false
}

// Reset clears r for reuse, keeping the capacity of its slices.
func (r *Request) Reset() {
	params, signals, headers, rules := r.Params[:0], r.Signals[:0], r.Headers[:0], r.Rules[:0]
	*r = Request{}
	r.Params, r.Signals, r.Headers, r.Rules = params, signals, headers, rules
}

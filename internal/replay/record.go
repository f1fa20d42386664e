package replay

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"strings"

	"github.com/rampartwaf/rampart/internal/request"
)

// ErrRecord is wrapped by every error about one input line that does not hold a usable
// record (bad JSON, missing fields, bad base64). Such a line is reported and skipped.
var ErrRecord = errors.New("bad record")

// Record is one line of a replay input. Two schemas share it (see the corpus README):
//
//   - a request record has Method (or "RAW"), URI, Headers and BodyB64;
//   - a value record has Value (base64 when Encoding is "base64") and File.
//
// Label is "attack" or "benign" for labelled corpora; any other label (or none, for
// captured traffic) is counted but has no true-positive or true-negative rate.
type Record struct {
	ID       string     `json:"id"`
	Source   string     `json:"source"`
	Label    string     `json:"label"`
	Category string     `json:"category"`
	Paranoia *int       `json:"paranoia"`
	Method   string     `json:"method"`
	URI      string     `json:"uri"`
	Headers  [][]string `json:"headers"`
	BodyB64  string     `json:"body_b64"`

	Value    *string `json:"value"`
	Encoding string  `json:"encoding"`
	File     string  `json:"file"`
}

// Labels with a meaning for the rates.
const (
	LabelAttack = "attack"
	LabelBenign = "benign"
)

// Placements: where a record's content was put to be judged.
const (
	PlacementRequest = "request" // a request record, judged as sent
	PlacementQuery   = "query"   // a value as the query parameter q of a GET
	PlacementJSON    = "json"    // a value as the field q of a JSON POST body
	// PlacementWebSocket is a value as the field q of a WebSocket text message
	// {"q": "..."}, sent on a connection whose handshake was GET /.
	PlacementWebSocket = "websocket"
)

// DefaultPlacements are where a value record is put when Options.Placements is empty.
var DefaultPlacements = []string{PlacementQuery, PlacementJSON}

// validPlacement reports whether p is a placement for value records.
func validPlacement(p string) bool {
	return p == PlacementQuery || p == PlacementJSON || p == PlacementWebSocket
}

// Fixed parts of the requests replay builds. The corpus removed Host, so every request
// gets the same one; the client address is the loopback address, as if replayed from
// the machine itself.
const (
	replayHost = "localhost"
	replayUA   = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
)

var replayIP = netip.AddrFrom4([4]byte{127, 0, 0, 1})

// judged is one request built from a record, with the placement it stands for.
type judged struct {
	placement string
	req       *request.Request
	value     string // the value, for value records
}

// decodeRecord parses one JSON line and checks it has what replay needs.
func decodeRecord(line []byte) (*Record, error) {
	var rec Record
	if err := json.Unmarshal(line, &rec); err != nil {
		return nil, fmt.Errorf("%w: decoding JSON: %w", ErrRecord, err)
	}
	if rec.Value == nil && rec.Method == "" {
		return nil, fmt.Errorf("%w: neither a request record (method) nor a value record (value)", ErrRecord)
	}
	for i, h := range rec.Headers {
		if len(h) != 2 {
			return nil, fmt.Errorf("%w: header %d has %d elements, want [name, value]", ErrRecord, i, len(h))
		}
	}
	return &rec, nil
}

// isValue reports whether rec is a value record.
func (rec *Record) isValue() bool { return rec.Value != nil }

// paranoia returns the record's paranoia level, 0 when it has none.
func (rec *Record) paranoia() int {
	if rec.Paranoia == nil {
		return 0
	}
	return *rec.Paranoia
}

// build turns rec into the requests to judge: one for a request record, one per
// placement for a value record.
func (rec *Record) build(placements []string) ([]judged, error) {
	if rec.isValue() {
		v := *rec.Value
		if rec.Encoding == "base64" {
			b, err := base64.StdEncoding.DecodeString(v)
			if err != nil {
				return nil, fmt.Errorf("%w: decoding base64 value: %w", ErrRecord, err)
			}
			v = string(b)
		} else if rec.Encoding != "" {
			return nil, fmt.Errorf("%w: unknown value encoding %q", ErrRecord, rec.Encoding)
		}
		out := make([]judged, 0, len(placements))
		for _, p := range placements {
			switch p {
			case PlacementQuery:
				out = append(out, judged{p, valueAsQuery(v), v})
			case PlacementJSON:
				out = append(out, judged{p, valueAsJSON(v), v})
			case PlacementWebSocket:
				out = append(out, judged{p, valueAsMessage(v), v})
			}
		}
		return out, nil
	}
	body, err := base64.StdEncoding.DecodeString(rec.BodyB64)
	if err != nil {
		return nil, fmt.Errorf("%w: decoding body_b64: %w", ErrRecord, err)
	}
	var r *request.Request
	if rec.Method == "RAW" {
		r = parseRaw(body)
	} else {
		r = newRequest(rec.Method, rec.URI)
		absolute := r.Host != "" // set by an absolute-form target
		r.Proto = "HTTP/1.1"
		r.Headers = make([]request.Header, 0, len(rec.Headers))
		for _, h := range rec.Headers {
			if strings.EqualFold(h[0], "Host") && r.Host == "" && !absolute {
				r.Host = h[1] // as net/http: the Host header is the request's host
			}
			r.Headers = append(r.Headers, request.Header{Name: h[0], Value: h[1]})
		}
		if r.Host == "" { // the corpora removed Host: every request gets the same one
			r.Host = replayHost
		}
		if len(body) > 0 {
			r.Body = body
		}
		fillFromHeaders(r)
	}
	r.ID = rec.ID
	return []judged{{PlacementRequest, r, ""}}, nil
}

// newRequest starts a Request for method and request target, with the fields every
// replayed request shares.
func newRequest(method, target string) *request.Request {
	r := &request.Request{
		Protocol: request.ProtocolHTTP,
		Method:   method,
		Scheme:   "http",
		URI:      target,
		IP:       replayIP,
	}
	splitTarget(r, target)
	return r
}

// fillFromHeaders sets the fields the proxy takes from headers: User-Agent and
// Content-Type (first of each). (The Host is set where the headers are read.)
func fillFromHeaders(r *request.Request) {
	for _, h := range r.Headers {
		switch {
		case r.UserAgent == "" && strings.EqualFold(h.Name, "User-Agent"):
			r.UserAgent = h.Value
		case r.ContentType == "" && strings.EqualFold(h.Name, "Content-Type"):
			r.ContentType = h.Value
		}
	}
}

// splitTarget fills Path and RawQuery from a request target, as net/http's server
// would: origin form ("/a/b?q"), absolute form ("http://host/a?q", whose authority
// becomes Host), authority form ("host:443", CONNECT) and asterisk form ("*").
// The path is percent-decoded leniently: an invalid escape is kept as written (net/http
// would refuse the request; replay inspects it anyway).
func splitTarget(r *request.Request, target string) {
	switch {
	case target == "*":
		r.Path = "*"
		return
	case hasSchemePrefix(target):
		rest := target[strings.Index(target, "://")+3:]
		end := strings.IndexAny(rest, "/?")
		if end < 0 {
			end = len(rest)
		}
		r.Host = rest[:end]
		target = rest[end:]
		if target == "" || target[0] == '?' {
			target = "/" + target
		}
	case target != "" && target[0] != '/':
		// Authority form, or something no server would route: no path.
		r.Path = ""
		if q := strings.IndexByte(target, '?'); q >= 0 {
			r.RawQuery = target[q+1:]
		}
		return
	}
	path := target
	if q := strings.IndexByte(target, '?'); q >= 0 {
		path, r.RawQuery = target[:q], target[q+1:]
	}
	r.Path = unescapePath(path)
}

func hasSchemePrefix(s string) bool {
	i := strings.Index(s, "://")
	if i <= 0 || i > 10 {
		return false
	}
	for _, c := range s[:i] {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}

// unescapePath decodes %XX escapes; an invalid escape is kept literally. '+' stays '+'
// in a path.
func unescapePath(p string) string {
	if strings.IndexByte(p, '%') < 0 {
		return p
	}
	b := make([]byte, 0, len(p))
	for i := 0; i < len(p); i++ {
		if p[i] == '%' && i+2 < len(p) && isHex(p[i+1]) && isHex(p[i+2]) {
			b = append(b, unhex(p[i+1])<<4|unhex(p[i+2]))
			i += 2
			continue
		}
		b = append(b, p[i])
	}
	return string(b)
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}

// valueHeaders are the headers of the requests built around a value: what a browser
// sends, so nothing but the value itself can look suspicious.
func valueHeaders(contentType string) []request.Header {
	h := []request.Header{
		{Name: "User-Agent", Value: replayUA},
		{Name: "Accept", Value: "*/*"},
	}
	if contentType != "" {
		h = append(h, request.Header{Name: "Content-Type", Value: contentType})
	}
	return h
}

// valueAsQuery builds `GET /?q=<value, query-escaped>`.
func valueAsQuery(v string) *request.Request {
	r := newRequest("GET", "/?q="+queryEscape(v))
	r.Host, r.Proto = replayHost, "HTTP/1.1"
	r.Headers = valueHeaders("")
	fillFromHeaders(r)
	return r
}

// valueAsJSON builds `POST /` with the body {"q": "<value, JSON-escaped>"}. Bytes that
// are not valid UTF-8 are written through unchanged, as a client could send them.
func valueAsJSON(v string) *request.Request {
	r := newRequest("POST", "/")
	r.Host, r.Proto = replayHost, "HTTP/1.1"
	r.Headers = valueHeaders("application/json")
	fillFromHeaders(r)
	r.Body = jsonField(v)
	return r
}

// valueAsMessage builds the first client message of a WebSocket connection to /: the
// text {"q": "<value, JSON-escaped>"}.
func valueAsMessage(v string) *request.Request {
	r := newRequest("GET", "/")
	r.Host, r.Proto = replayHost, "HTTP/1.1"
	r.Headers = valueHeaders("")
	fillFromHeaders(r)
	r.Protocol = request.ProtocolWebSocket
	r.Opcode, r.MessageIndex = 1, 1
	r.Message = jsonField(v)
	return r
}

// jsonField returns {"q": "<v, JSON-escaped>"}.
func jsonField(v string) []byte {
	b := make([]byte, 0, len(v)+16)
	b = append(b, `{"q": "`...)
	b = appendJSONString(b, v)
	return append(b, `"}`...)
}

// queryEscape escapes v for a query value: unreserved bytes stay, space becomes '+',
// everything else %XX (as url.QueryEscape, without its allocation of a second pass).
func queryEscape(v string) string {
	const hexDigits = "0123456789ABCDEF"
	b := make([]byte, 0, len(v)*3/2+4)
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			c == '-' || c == '_' || c == '.' || c == '~':
			b = append(b, c)
		case c == ' ':
			b = append(b, '+')
		default:
			b = append(b, '%', hexDigits[c>>4], hexDigits[c&15])
		}
	}
	return string(b)
}

// appendJSONString appends v escaped for the inside of a JSON string.
func appendJSONString(b []byte, v string) []byte {
	const hexDigits = "0123456789abcdef"
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c == '\n':
			b = append(b, '\\', 'n')
		case c == '\r':
			b = append(b, '\\', 'r')
		case c == '\t':
			b = append(b, '\\', 't')
		case c < 0x20:
			b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&15])
		default:
			b = append(b, c)
		}
	}
	return b
}

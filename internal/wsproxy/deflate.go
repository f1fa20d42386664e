package wsproxy

import (
	"compress/flate"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
)

// ErrInvalidCompressed is a compressed message that does not inflate (close 1007).
var ErrInvalidCompressed = errors.New("invalid permessage-deflate data")

// errBadExtension is an upstream extension response Rampart cannot honour.
var errBadExtension = errors.New("unsupported or malformed Sec-WebSocket-Extensions")

// deflateParams are the permessage-deflate parameters (RFC 7692 section 7.1) the
// upstream accepted.
type deflateParams struct {
	enabled           bool
	clientNoContext   bool // client_no_context_takeover
	serverNoContext   bool // server_no_context_takeover
	clientWindowBits  int  // client_max_window_bits (15 when absent)
	serverWindowBits  int  // server_max_window_bits (15 when absent)
	clientWindowValue bool // client_max_window_bits carried a value
}

// extension is one element of a Sec-WebSocket-Extensions list.
type extension struct {
	name   string
	params []extParam
	text   string // the element as written, trimmed
}

type extParam struct {
	name, value string
	hasValue    bool
}

// parseExtensions parses Sec-WebSocket-Extensions values (RFC 6455 section 9.1).
func parseExtensions(values []string) ([]extension, error) {
	var out []extension
	for _, v := range values {
		for _, el := range splitOutsideQuotes(v, ',') {
			el = strings.TrimSpace(el)
			if el == "" {
				continue
			}
			parts := splitOutsideQuotes(el, ';')
			e := extension{name: strings.TrimSpace(parts[0]), text: el}
			if !isToken(e.name) {
				return nil, fmt.Errorf("%w: bad extension name %q", errBadExtension, e.name)
			}
			for _, p := range parts[1:] {
				p = strings.TrimSpace(p)
				name, value, has := strings.Cut(p, "=")
				name, value = strings.TrimSpace(name), strings.TrimSpace(value)
				if has && len(value) >= 2 && value[0] == '"' && value[len(value)-1] == '"' {
					value = value[1 : len(value)-1]
				}
				if !isToken(name) || (has && !isToken(value)) {
					return nil, fmt.Errorf("%w: bad parameter %q", errBadExtension, p)
				}
				e.params = append(e.params, extParam{name: strings.ToLower(name), value: value, hasValue: has})
			}
			out = append(out, e)
		}
	}
	return out, nil
}

func splitOutsideQuotes(s string, sep byte) []string {
	var out []string
	quoted, start := false, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '"':
			quoted = !quoted
		case sep:
			if !quoted {
				out = append(out, s[start:i])
				start = i + 1
			}
		}
	}
	return append(out, s[start:])
}

func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte("()<>@,;:\\\"/[]?={}", c) >= 0 {
			return false
		}
	}
	return true
}

// filterOffer keeps the permessage-deflate offers of a client's Sec-WebSocket-Extensions
// that Rampart understands, as written, and drops every other extension: an extension
// Rampart does not know would change the framing it has to parse.
func filterOffer(values []string) string {
	exts, err := parseExtensions(values)
	if err != nil {
		return ""
	}
	var kept []string
	for _, e := range exts {
		if !strings.EqualFold(e.name, "permessage-deflate") {
			continue
		}
		if _, err := deflateFromParams(e.params, true); err != nil {
			continue
		}
		kept = append(kept, e.text)
	}
	return strings.Join(kept, ", ")
}

// negotiateDeflate reads the upstream's Sec-WebSocket-Extensions response: nothing, or
// one permessage-deflate with valid parameters, given that the client offered it.
func negotiateDeflate(values []string, offered bool) (deflateParams, error) {
	exts, err := parseExtensions(values)
	if err != nil {
		return deflateParams{}, err
	}
	switch {
	case len(exts) == 0:
		return deflateParams{clientWindowBits: 15, serverWindowBits: 15}, nil
	case len(exts) > 1 || !strings.EqualFold(exts[0].name, "permessage-deflate") || !offered:
		return deflateParams{}, fmt.Errorf("%w: upstream accepted %q", errBadExtension, strings.Join(values, ", "))
	}
	return deflateFromParams(exts[0].params, false)
}

// deflateFromParams validates permessage-deflate parameters: each at most once, window
// bits 8-15; in an offer client_max_window_bits may come without a value.
func deflateFromParams(params []extParam, offer bool) (deflateParams, error) {
	d := deflateParams{enabled: true, clientWindowBits: 15, serverWindowBits: 15}
	seen := map[string]bool{}
	for _, p := range params {
		if seen[p.name] {
			return d, fmt.Errorf("%w: %s repeated", errBadExtension, p.name)
		}
		seen[p.name] = true
		switch p.name {
		case "client_no_context_takeover", "server_no_context_takeover":
			if p.hasValue {
				return d, fmt.Errorf("%w: %s takes no value", errBadExtension, p.name)
			}
			if p.name == "client_no_context_takeover" {
				d.clientNoContext = true
			} else {
				d.serverNoContext = true
			}
		case "client_max_window_bits", "server_max_window_bits":
			if !p.hasValue {
				if p.name == "server_max_window_bits" || !offer {
					return d, fmt.Errorf("%w: %s needs a value", errBadExtension, p.name)
				}
				continue
			}
			n, err := strconv.Atoi(p.value)
			if err != nil || n < 8 || n > 15 || len(p.value) > 2 || p.value[0] == '0' {
				return d, fmt.Errorf("%w: %s=%q", errBadExtension, p.name, p.value)
			}
			if p.name == "client_max_window_bits" {
				d.clientWindowBits, d.clientWindowValue = n, true
			} else {
				d.serverWindowBits = n
			}
		default:
			return d, fmt.Errorf("%w: unknown parameter %s", errBadExtension, p.name)
		}
	}
	return d, nil
}

// deflateTail is the end of a sync flush that senders strip from each message (RFC 7692
// section 7.2.1) and receivers put back before inflating.
var deflateTail = [4]byte{0x00, 0x00, 0xff, 0xff}

// inflater inflates a copy of the client's compressed messages for inspection. With
// context takeover it keeps the last window of inflated bytes as the dictionary of the
// next message; without, each message starts fresh.
type inflater struct {
	window    int    // 1 << client_max_window_bits
	noContext bool   // client_no_context_takeover
	hist      []byte // the last window bytes inflated (context takeover only)
}

func newInflater(d deflateParams) *inflater {
	return &inflater{window: 1 << d.clientWindowBits, noContext: d.clientNoContext}
}

// flateSource feeds a message's compressed payload, then the stripped tail, to the
// decompressor. It implements io.ByteReader so compress/flate does not wrap it in a
// bufio.Reader of its own.
type flateSource struct {
	p    []byte
	tail int
}

func (s *flateSource) Read(b []byte) (int, error) {
	if len(s.p) > 0 {
		n := copy(b, s.p)
		s.p = s.p[n:]
		return n, nil
	}
	if s.tail < len(deflateTail) {
		n := copy(b, deflateTail[s.tail:])
		s.tail += n
		return n, nil
	}
	return 0, io.EOF
}

func (s *flateSource) ReadByte() (byte, error) {
	if len(s.p) > 0 {
		c := s.p[0]
		s.p = s.p[1:]
		return c, nil
	}
	if s.tail < len(deflateTail) {
		c := deflateTail[s.tail]
		s.tail++
		return c, nil
	}
	return 0, io.EOF
}

type flateReader struct {
	src flateSource
	r   io.ReadCloser
}

var flatePool = sync.Pool{New: func() any {
	fr := &flateReader{}
	fr.r = flate.NewReader(&fr.src)
	return fr
}}

// inflate appends the inflated payload to dst, stopping once more than limit bytes came
// out (over is then true and dst holds limit+1 bytes at most). dst grows through the
// buffer pool only as output arrives, so a bomb costs at most limit+1 bytes.
func (f *inflater) inflate(dst *msgBuf, compressed []byte, limit int) (over bool, err error) {
	fr := flatePool.Get().(*flateReader)
	defer flatePool.Put(fr)
	fr.src = flateSource{p: compressed}
	var dict []byte
	if !f.noContext {
		dict = f.hist
	}
	if err := fr.r.(flate.Resetter).Reset(&fr.src, dict); err != nil {
		return false, fmt.Errorf("resetting inflater: %w", err)
	}
	start := len(dst.b)
	for {
		if len(dst.b)-start > limit {
			over = true
			break
		}
		if len(dst.b) == cap(dst.b) {
			want := min(max(2*cap(dst.b), 1024), start+limit+1)
			dst.grow(want-len(dst.b), start+limit+1)
		}
		room := dst.b[len(dst.b):min(cap(dst.b), start+limit+1)]
		n, rerr := fr.r.Read(room)
		dst.b = dst.b[:len(dst.b)+n]
		if rerr == io.EOF || rerr == io.ErrUnexpectedEOF {
			break
		}
		if rerr != nil {
			return false, fmt.Errorf("%w: %w", ErrInvalidCompressed, rerr)
		}
	}
	if !over && !f.noContext {
		f.remember(dst.b[start:])
	}
	return over, nil
}

// remember keeps the last window bytes of history plus out.
func (f *inflater) remember(out []byte) {
	if len(out) >= f.window {
		f.hist = append(f.hist[:0], out[len(out)-f.window:]...)
		return
	}
	if keep := f.window - len(out); len(f.hist) > keep {
		f.hist = append(f.hist[:0], f.hist[len(f.hist)-keep:]...)
	}
	f.hist = append(f.hist, out...)
}

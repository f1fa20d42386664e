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

// inflater follows the client's compressed messages. It inflates a copy of those that
// are inspected and, with context takeover, of every one, whether inspected or not:
// the last window of inflated bytes is the next message's dictionary, so the history
// must follow the whole stream for inspection to be right from any message on (a reload
// may turn inspection on at any time). Without context takeover each message starts
// fresh and only inspected ones are inflated.
type inflater struct {
	window    int  // 1 << client_max_window_bits
	noContext bool // client_no_context_takeover
	// hist is the last window bytes inflated (context takeover only). Its capacity grows
	// with the history, up to window and never past it.
	hist []byte
	// open is a message inflate stopped at the limit: rest or drop finishes it.
	open *flateReader
	// check, set by textCheck for a text message, has what is inflated validated as
	// UTF-8 (utf), held or skimmed, inspected or not: a compressed text message that is
	// not UTF-8 is a protocol violation to refuse (1007), not to pass on.
	check bool
	utf   utf8Stream
}

// textCheck says whether the next message inflated is text, to be validated as UTF-8.
func (f *inflater) textCheck(text bool) {
	f.check, f.utf = text, utf8Stream{}
}

// checked validates the next piece of inflated text, and at the end of the message
// (end) that it stopped on a rune boundary.
func (f *inflater) checked(b []byte, end bool) error {
	if !f.check {
		return nil
	}
	if !f.utf.feed(b) || end && !f.utf.done() {
		f.check = false
		return ErrInvalidUTF8
	}
	if end {
		f.check = false
	}
	return nil
}

func newInflater(d deflateParams) *inflater {
	return &inflater{window: 1 << d.clientWindowBits, noContext: d.clientNoContext}
}

// takeover reports whether each message depends on the ones before it: every
// compressed message must then be inflated, inspected or not.
func (f *inflater) takeover() bool { return !f.noContext }

// flateSource feeds a message's compressed payload, then the stripped tail, to the
// decompressor. It implements io.ByteReader so compress/flate does not wrap it in a
// bufio.Reader of its own. With feed set, the payload comes in chunks from an
// inflateStream.
type flateSource struct {
	p    []byte
	tail int
	feed *inflateStream // chunks still to come; nil once the feeder closed it
	fed  bool           // p is a chunk the feeder waits to hear was consumed
}

// more makes p hold the next chunk of a fed source, and reports false when there are
// no more.
func (s *flateSource) more() bool {
	for len(s.p) == 0 && s.feed != nil {
		if s.fed {
			s.feed.ack <- struct{}{} // the feeder may reuse the chunk
			s.fed = false
		}
		b, ok := <-s.feed.in
		if !ok {
			s.feed = nil
			return false
		}
		s.p, s.fed = b, true
	}
	return len(s.p) > 0
}

func (s *flateSource) Read(b []byte) (int, error) {
	if len(s.p) > 0 || s.more() {
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
	if len(s.p) > 0 || s.more() {
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

// reader takes a decompressor from the pool, set to read src with the history as its
// dictionary.
func (f *inflater) reader(src flateSource) (*flateReader, error) {
	fr := flatePool.Get().(*flateReader)
	fr.src = src
	var dict []byte
	if !f.noContext {
		dict = f.hist // copied by Reset: hist may change while fr reads
	}
	if err := fr.r.(flate.Resetter).Reset(&fr.src, dict); err != nil {
		putReader(fr)
		return nil, fmt.Errorf("resetting inflater: %w", err)
	}
	return fr, nil
}

func putReader(fr *flateReader) {
	fr.src = flateSource{}
	flatePool.Put(fr)
}

// inflate inflates one whole compressed message and returns the size of its output
// (at most limit+1). That output is appended to dst; with dst nil it is only measured
// (and kept as history). dst grows through the buffer pool only as output arrives, so a
// bomb costs at most limit+1 bytes. When more than limit bytes come out, inflate stops with over true and leaves
// the message open: the caller must then call rest, to inflate the remainder when the
// message is passed on (the history stays right), or drop, when it is refused (the
// history is then stale, and the connection must end).
func (f *inflater) inflate(dst *msgBuf, compressed []byte, limit int) (n int, over bool, err error) {
	fr, err := f.reader(flateSource{p: compressed})
	if err != nil {
		return 0, false, err
	}
	if dst == nil {
		n, done, err := f.skim(fr, int64(limit)+1)
		if err != nil || done {
			putReader(fr)
			return int(n), false, err
		}
		f.open = fr
		return int(n), true, nil
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
			putReader(fr)
			return 0, false, fmt.Errorf("%w: %w", ErrInvalidCompressed, rerr)
		}
	}
	n = len(dst.b) - start
	f.remember(dst.b[start:])
	if err := f.checked(dst.b[start:], !over); err != nil {
		putReader(fr)
		return 0, false, err
	}
	if over {
		f.open = fr
		return n, true, nil
	}
	putReader(fr)
	return n, false, nil
}

// rest inflates the remainder of the message inflate left open, keeping only the
// history: its output is never held, whatever its size.
func (f *inflater) rest() error {
	fr := f.open
	f.open = nil
	if fr == nil {
		return nil
	}
	defer putReader(fr)
	_, _, err := f.skim(fr, -1)
	return err
}

// drop abandons the message inflate left open. The history no longer matches the
// client's: only a connection being closed may drop.
func (f *inflater) drop() {
	if f.open != nil {
		putReader(f.open)
		f.open = nil
	}
}

// skim reads up to upTo bytes of output from fr (all of it when upTo < 0), keeping only
// the history, and reports how many came out and whether the message ended. The output
// passes through one pooled buffer of the window's size.
func (f *inflater) skim(fr *flateReader, upTo int64) (n int64, done bool, err error) {
	var buf msgBuf
	buf.grow(f.window, max(f.window, 1<<minClassShift))
	defer buf.release()
	b := buf.b[:f.window]
	used := 0
	for upTo < 0 || n < upTo {
		if used == len(b) {
			f.remember(b)
			used = 0
		}
		room := b[used:]
		if upTo >= 0 && int64(len(room)) > upTo-n {
			room = room[:upTo-n]
		}
		k, rerr := fr.r.Read(room)
		used += k
		n += int64(k)
		end := rerr == io.EOF || rerr == io.ErrUnexpectedEOF
		if err := f.checked(room[:k], end); err != nil {
			return n, false, err
		}
		if end {
			done = true
			break
		}
		if rerr != nil {
			return n, false, fmt.Errorf("%w: %w", ErrInvalidCompressed, rerr)
		}
	}
	f.remember(b[:used])
	return n, done, nil
}

// remember keeps the last window bytes of history plus out. The history's storage grows
// with it, doubling, up to the window: a connection that sends little keeps little.
func (f *inflater) remember(out []byte) {
	if f.noContext || len(out) == 0 {
		return
	}
	if len(out) > f.window {
		out = out[len(out)-f.window:]
	}
	keep := min(len(f.hist), f.window-len(out))
	if need := keep + len(out); need > cap(f.hist) {
		h := make([]byte, keep, min(f.window, max(need, 2*cap(f.hist), 512)))
		copy(h, f.hist[len(f.hist)-keep:])
		f.hist = h
	} else if keep < len(f.hist) {
		copy(f.hist, f.hist[len(f.hist)-keep:])
		f.hist = f.hist[:keep]
	}
	f.hist = append(f.hist, out...)
}

// inflateStream inflates, for the history only, a compressed message whose frames are
// relayed as they arrive: one over the limit that was passed on, which is never held
// whole. compress/flate pulls its input, so the decompressor runs on a goroutine of its
// own for the length of the message, fed one chunk at a time; feed returns once the
// chunk was consumed, so the caller may change it afterwards. Nothing else may use the
// inflater until finish returns.
type inflateStream struct {
	in   chan []byte
	ack  chan struct{}
	done chan error
}

// stream starts inflating a message whose payload begins with first.
func (f *inflater) stream(first []byte) *inflateStream {
	st := &inflateStream{in: make(chan []byte), ack: make(chan struct{}), done: make(chan error, 1)}
	go func() {
		fr, err := f.reader(flateSource{feed: st})
		src := flateSource{feed: st}
		if fr != nil {
			_, _, err = f.skim(fr, -1)
			src = fr.src
			putReader(fr)
		}
		// Release the feeder: the chunk it waits on, and any still to come.
		if src.fed {
			st.ack <- struct{}{}
		}
		if src.feed != nil {
			for range st.in {
				st.ack <- struct{}{}
			}
		}
		st.done <- err
	}()
	st.feed(first)
	return st
}

// feed passes the next chunk of compressed payload.
func (st *inflateStream) feed(b []byte) {
	if len(b) == 0 {
		return
	}
	st.in <- b
	<-st.ack
}

// finish ends the message and returns what inflating it found wrong, if anything.
func (st *inflateStream) finish() error {
	close(st.in)
	return <-st.done
}

package wsproxy

import (
	"bufio"
	"bytes"
	"compress/flate"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/rampartwaf/rampart/internal/engine"
	"github.com/rampartwaf/rampart/internal/request"
)

// testTimeout bounds every blocking step of a test so a bug fails instead of hanging;
// it is a safety net, not an assertion on speed.
const testTimeout = 10 * time.Second

// fakeInspector blocks messages that contain "ATTACK" (or, in log mode, allows them
// with a signal), and those over the limit (allows them with OVERSIZE in log mode or
// with passOversize, as limits.on_exceed: pass). It records every message it saw.
type fakeInspector struct {
	logMode      bool
	passOversize bool
	mu           sync.Mutex
	seen         []seenMessage
}

type seenMessage struct {
	Message  string
	Opcode   uint8
	Index    int
	ConnID   string
	ID       string
	Protocol request.Protocol
	Flags    request.Flags
	Params   []request.Param
}

func (f *fakeInspector) Inspect(_ context.Context, r *request.Request) engine.Verdict {
	f.mu.Lock()
	f.seen = append(f.seen, seenMessage{
		Message: string(r.Message), Opcode: r.Opcode, Index: r.MessageIndex, ConnID: r.ConnID,
		ID: r.ID, Protocol: r.Protocol, Flags: r.Flags, Params: append([]request.Param(nil), r.Params...),
	})
	f.mu.Unlock()
	if r.Flags.Has(request.FlagMessageTooLarge) {
		r.AddSignal(request.Signal{Name: "OVERSIZE"})
		v := engine.Verdict{Action: engine.Block, Reason: engine.ReasonLimit, Signals: r.Signals}
		if f.logMode || f.passOversize {
			v.Action = engine.Allow
		}
		return v
	}
	if bytes.Contains(r.Message, []byte("ATTACK")) {
		r.AddSignal(request.Signal{Name: "XSS", Source: request.SourceMessage})
		v := engine.Verdict{Action: engine.Block, Reason: engine.ReasonSignals, Signals: r.Signals}
		if f.logMode {
			v.Action = engine.Allow
		}
		return v
	}
	return engine.Verdict{}
}

func (f *fakeInspector) messages() []seenMessage {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]seenMessage(nil), f.seen...)
}

// env is a proxy in front of an upstream, both on loopback.
type env struct {
	t        *testing.T
	proxy    *Proxy
	insp     *fakeInspector
	front    *httptest.Server
	upstream *httptest.Server

	mu     sync.Mutex
	events []MessageEvent
	closes []CloseInfo
	closed chan CloseInfo
}

type envOptions struct {
	inspect       bool
	inspectBinary bool
	logMode       bool
	passOversize  bool
	limit         int64
	opts          func(*Options)
	// afterMessage is set as the Proxy's test hook before any connection.
	afterMessage func(p *pump)
}

// newEnv starts the proxy in front of upstream (an http.Handler that accepts
// WebSockets).
func newEnv(t *testing.T, upstream http.Handler, eo envOptions) *env {
	t.Helper()
	e := &env{t: t, insp: &fakeInspector{logMode: eo.logMode, passOversize: eo.passOversize}, closed: make(chan CloseInfo, 64)}
	e.upstream = httptest.NewServer(upstream)
	t.Cleanup(e.upstream.Close)
	opts := Options{
		Settings: Settings{
			Inspector: e.insp, Inspect: eo.inspect, InspectBinary: eo.inspectBinary,
			MessageBytes: eo.limit,
		},
		CloseTimeout: 2 * time.Second,
		OnMessage: func(ev MessageEvent) {
			ev.Request = nil
			ev.Verdict.Signals = append([]request.Signal(nil), ev.Verdict.Signals...)
			e.mu.Lock()
			e.events = append(e.events, ev)
			e.mu.Unlock()
		},
		OnClose: func(_ *ConnInfo, ci CloseInfo) {
			e.mu.Lock()
			e.closes = append(e.closes, ci)
			e.mu.Unlock()
			e.closed <- ci
		},
	}
	if eo.opts != nil {
		eo.opts(&opts)
	}
	e.proxy = New(opts)
	e.proxy.afterMessage = eo.afterMessage
	up, _ := url.Parse(e.upstream.URL)
	e.front = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !IsUpgrade(r) {
			http.Error(w, "not a websocket", http.StatusBadRequest)
			return
		}
		hs := &request.Request{
			ID: "req-" + r.URL.Query().Get("id"), Method: r.Method, Scheme: "http", Host: r.Host,
			URI: r.RequestURI, Path: r.URL.Path, RawQuery: r.URL.RawQuery, Proto: r.Proto,
			UserAgent: r.UserAgent(), Parsed: true,
		}
		if ap, err := netip.ParseAddrPort(r.RemoteAddr); err == nil {
			hs.IP = ap.Addr()
		}
		for k, v := range r.URL.Query() {
			hs.Params = append(hs.Params, request.Param{Source: request.SourceQuery, Name: k, Value: v[0]})
		}
		hs.Params = append(hs.Params, request.Param{Source: request.SourcePath, Name: "path[0]", Value: "x"})
		err := e.proxy.ServeUpgrade(w, r, hs, Target{URL: up, Header: http.Header{"X-Rampart-Request-Id": {hs.ID}}})
		if errors.Is(err, ErrUpstream) {
			http.Error(w, "bad gateway", http.StatusBadGateway)
		}
	}))
	t.Cleanup(func() {
		e.front.Close()
		ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
		defer cancel()
		_ = e.proxy.Shutdown(ctx)
	})
	return e
}

func (e *env) wsURL(path string) string {
	return "ws" + strings.TrimPrefix(e.front.URL, "http") + path
}

func (e *env) addr() string { return strings.TrimPrefix(e.front.URL, "http://") }

// waitClosed waits for the proxy to report a connection over.
func (e *env) waitClosed() CloseInfo {
	e.t.Helper()
	select {
	case ci := <-e.closed:
		return ci
	case <-time.After(testTimeout):
		e.t.Fatal("connection never closed")
	}
	return CloseInfo{}
}

func (e *env) messageEvents() []MessageEvent {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]MessageEvent(nil), e.events...)
}

// echoUpstream echoes every message with its type.
func echoUpstream(mode websocket.CompressionMode) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := websocket.Accept(w, r, &websocket.AcceptOptions{
			CompressionMode: mode, CompressionThreshold: 1, Subprotocols: []string{"chat", "graphql-transport-ws"},
		})
		if err != nil {
			return
		}
		defer c.CloseNow()
		c.SetReadLimit(64 << 20)
		ctx := context.Background()
		for {
			typ, msg, err := c.Read(ctx)
			if err != nil {
				return
			}
			if err := c.Write(ctx, typ, msg); err != nil {
				return
			}
		}
	})
}

// recorder is an upstream that records what it receives: messages, and how the
// connection ended.
type recorder struct {
	mu       sync.Mutex
	messages []string
	status   chan websocket.StatusCode
	header   chan http.Header
}

func newRecorder() *recorder {
	return &recorder{status: make(chan websocket.StatusCode, 8), header: make(chan http.Header, 8)}
}

func (rec *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec.header <- r.Header.Clone()
	c, err := websocket.Accept(w, r, &websocket.AcceptOptions{CompressionMode: websocket.CompressionContextTakeover, CompressionThreshold: 1})
	if err != nil {
		return
	}
	defer c.CloseNow()
	c.SetReadLimit(64 << 20)
	for {
		typ, msg, err := c.Read(context.Background())
		if err != nil {
			rec.status <- websocket.CloseStatus(err)
			return
		}
		rec.mu.Lock()
		rec.messages = append(rec.messages, string(msg))
		rec.mu.Unlock()
		_ = c.Write(context.Background(), typ, msg)
	}
}

func (rec *recorder) got() []string {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return append([]string(nil), rec.messages...)
}

func (rec *recorder) waitStatus(t *testing.T) websocket.StatusCode {
	t.Helper()
	select {
	case s := <-rec.status:
		return s
	case <-time.After(testTimeout):
		t.Fatal("upstream connection never ended")
	}
	return 0
}

// rawUpstream completes the server side of the handshake itself, then hands the raw
// connection to script.
func rawUpstream(script func(c net.Conn, br *bufio.Reader)) http.Handler {
	return rawUpstreamExt("", script)
}

// rawUpstreamExt is rawUpstream accepting the extension ext ("" for none).
func rawUpstreamExt(ext string, script func(c net.Conn, br *bufio.Reader)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := r.Header.Get("Sec-WebSocket-Key")
		c, brw, err := http.NewResponseController(w).Hijack()
		if err != nil {
			return
		}
		defer c.Close()
		head := "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " + acceptKey(key) + "\r\n"
		if ext != "" {
			head += "Sec-WebSocket-Extensions: " + ext + "\r\n"
		}
		_, _ = c.Write([]byte(head + "\r\n"))
		_ = c.SetDeadline(time.Now().Add(testTimeout))
		script(c, brw.Reader)
	})
}

// rawConn is a client (or server) speaking frames by hand, to send what libraries
// refuse to.
type rawConn struct {
	t  *testing.T
	c  net.Conn
	br *bufio.Reader
}

// dialRaw performs a client handshake with the proxy.
func (e *env) dialRaw(path string, extra ...string) *rawConn {
	e.t.Helper()
	c, err := net.DialTimeout("tcp", e.addr(), testTimeout)
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { c.Close() })
	_ = c.SetDeadline(time.Now().Add(testTimeout))
	var k [16]byte
	_, _ = rand.Read(k[:])
	key := base64.StdEncoding.EncodeToString(k[:])
	req := "GET " + path + " HTTP/1.1\r\nHost: " + e.addr() + "\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: " + key + "\r\n"
	for _, h := range extra {
		req += h + "\r\n"
	}
	if _, err := c.Write([]byte(req + "\r\n")); err != nil {
		e.t.Fatal(err)
	}
	br := bufio.NewReader(c)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	if resp.StatusCode != http.StatusSwitchingProtocols {
		e.t.Fatalf("handshake status %d", resp.StatusCode)
	}
	if got := resp.Header.Get("Sec-WebSocket-Accept"); got != acceptKey(key) {
		e.t.Fatalf("accept %q", got)
	}
	return &rawConn{t: e.t, c: c, br: br}
}

// sendQuiet writes frames, ignoring errors (the peer may have closed already).
func (rc *rawConn) sendQuiet(frames ...[]byte) {
	for _, f := range frames {
		_, _ = rc.c.Write(f)
	}
}

func (rc *rawConn) send(frames ...[]byte) {
	rc.t.Helper()
	for _, f := range frames {
		if _, err := rc.c.Write(f); err != nil {
			rc.t.Fatalf("writing frame: %v", err)
		}
	}
}

// readFrame reads one frame; payloads are unmasked.
func (rc *rawConn) readFrame() (Header, []byte, error) {
	var hb [MaxHeaderLen]byte
	if _, err := io.ReadFull(rc.br, hb[:2]); err != nil {
		return Header{}, nil, err
	}
	n := headerLen(hb[1])
	if _, err := io.ReadFull(rc.br, hb[2:n]); err != nil {
		return Header{}, nil, err
	}
	h, _, err := ParseHeader(hb[:n])
	if err != nil {
		return h, nil, err
	}
	if h.Length > 64<<20 {
		return h, nil, errors.New("frame too large for a test")
	}
	p := make([]byte, h.Length)
	if _, err := io.ReadFull(rc.br, p); err != nil {
		return h, nil, err
	}
	if h.Masked {
		MaskBytes(h.Mask, 0, p)
	}
	return h, p, nil
}

// expectClose reads frames until a close frame and returns its code (skipping data).
func (rc *rawConn) expectClose() uint16 {
	rc.t.Helper()
	for {
		h, p, err := rc.readFrame()
		if err != nil {
			rc.t.Fatalf("reading until a close frame: %v", err)
		}
		if h.Opcode == OpClose {
			if len(p) < 2 {
				return CloseNoStatus
			}
			return binary.BigEndian.Uint16(p)
		}
	}
}

// expectEOF reads until the connection ends, failing on a data frame.
func (rc *rawConn) expectEOF() {
	rc.t.Helper()
	for {
		h, _, err := rc.readFrame()
		if err != nil {
			return
		}
		if !h.Opcode.IsControl() {
			rc.t.Fatalf("unexpected data frame %v after close", h.Opcode)
		}
	}
}

// frame encodes one frame; client frames are masked with a random key.
func frame(fin bool, rsv uint8, op Opcode, payload []byte, masked bool) []byte {
	h := Header{Fin: fin, Rsv: rsv, Opcode: op, Masked: masked, Length: int64(len(payload))}
	if masked {
		_, _ = rand.Read(h.Mask[:])
	}
	b := AppendHeader(nil, h)
	start := len(b)
	b = append(b, payload...)
	if masked {
		MaskBytes(h.Mask, 0, b[start:])
	}
	return b
}

// cf is a masked client frame.
func cf(fin bool, op Opcode, payload string) []byte { return frame(fin, 0, op, []byte(payload), true) }

func closePayload(code uint16, reason string) string {
	return string(binary.BigEndian.AppendUint16(nil, code)) + reason
}

func dialWS(t *testing.T, e *env, mode websocket.CompressionMode) *websocket.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	c, _, err := websocket.Dial(ctx, e.wsURL("/chat?id=1&room=lobby"), &websocket.DialOptions{
		CompressionMode: mode, CompressionThreshold: 1,
	})
	if err != nil {
		t.Fatalf("dialling through the proxy: %v", err)
	}
	c.SetReadLimit(64 << 20)
	t.Cleanup(func() { c.CloseNow() })
	return c
}

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	t.Cleanup(cancel)
	return ctx
}

// deflater compresses messages as a permessage-deflate client with context takeover
// does: one deflate stream, flushed after each message, the flush's tail stripped, so
// that a message may refer back to the ones before it.
type deflater struct {
	w   *flate.Writer
	buf bytes.Buffer
}

func newDeflater(t testing.TB) *deflater {
	d := &deflater{}
	w, err := flate.NewWriter(&d.buf, flate.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	d.w = w
	return d
}

func (d *deflater) msg(p []byte) []byte {
	d.buf.Reset()
	_, _ = d.w.Write(p)
	_ = d.w.Flush()
	return bytes.Clone(bytes.TrimSuffix(d.buf.Bytes(), deflateTail[:]))
}

// noiseText returns n bytes of letters that do not repeat: a back-reference to them
// from a later message can only point into the history.
func noiseText(n int, seed uint64) string {
	b := make([]byte, n)
	x := seed*0x9e3779b97f4a7c15 + 1
	for i := range b {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		b[i] = 'a' + byte(x%26)
	}
	return string(b)
}

// readData reads frames until a data frame, skipping pongs, and returns its opcode and
// payload (inflated when compressed: the upstream must not use context takeover); a
// close frame fails the test.
func (rc *rawConn) readData() (Opcode, string) {
	rc.t.Helper()
	for {
		h, p, err := rc.readFrame()
		if err != nil {
			rc.t.Fatalf("waiting for a data frame: %v", err)
		}
		if h.Opcode == OpClose {
			code := CloseNoStatus
			if len(p) >= 2 {
				code = binary.BigEndian.Uint16(p)
			}
			rc.t.Fatalf("connection closed with %d (%q) instead of an echo", code, p[min(2, len(p)):])
		}
		if h.Opcode.IsControl() {
			continue
		}
		var msg []byte
		for {
			msg = append(msg, p...)
			if h.Fin {
				break
			}
			if h, p, err = rc.readFrame(); err != nil {
				rc.t.Fatalf("reading a fragment: %v", err)
			}
		}
		if h.Rsv&RSV1 != 0 {
			r := flate.NewReader(io.MultiReader(bytes.NewReader(msg), bytes.NewReader(deflateTail[:])))
			out, err := io.ReadAll(r)
			if err != nil && err != io.ErrUnexpectedEOF {
				rc.t.Fatalf("inflating the echo: %v", err)
			}
			msg = out
		}
		return h.Opcode, string(msg)
	}
}

// expectCloseReason reads frames until a close frame and returns its code and reason.
func (rc *rawConn) expectCloseReason() (uint16, string) {
	rc.t.Helper()
	for {
		h, p, err := rc.readFrame()
		if err != nil {
			rc.t.Fatalf("reading until a close frame: %v", err)
		}
		if h.Opcode == OpClose {
			if len(p) < 2 {
				return CloseNoStatus, ""
			}
			return binary.BigEndian.Uint16(p), string(p[2:])
		}
	}
}

package wsproxy

import (
	"context"
	"crypto/tls"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rampartwaf/rampart/internal/engine"
	"github.com/rampartwaf/rampart/internal/request"
)

// Inspector judges one client message. *engine.Engine satisfies it.
type Inspector interface {
	Inspect(ctx context.Context, r *request.Request) engine.Verdict
}

// Settings are the parts of the configuration a reload may change. Reload swaps them
// atomically: each new message is judged with the settings in force when its first
// frame arrived; open connections are never dropped.
type Settings struct {
	// Inspector judges client messages; nil means no inspection.
	Inspector Inspector
	// Inspect turns message inspection on (websocket.inspect). With it off, client
	// frames are streamed like upstream ones (still checked against RFC 6455).
	Inspect bool
	// InspectBinary also inspects the payload of binary messages that are valid UTF-8
	// (websocket.inspect_binary). Other binary messages are judged too, with inspection
	// on, but without their payload: rules, rate limits and flags apply to them.
	InspectBinary bool
	// MessageBytes is limits.ws_message_bytes: the largest client message, and the most
	// a compressed one may inflate to. Zero means DefaultMessageBytes.
	MessageBytes int64
}

// DefaultMessageBytes is the message limit when Settings.MessageBytes is zero.
const DefaultMessageBytes = 1 << 20

// judges reports whether client messages go through the Inspector (all of them do, when
// inspection is on).
func (s *Settings) judges() bool { return s.Inspect && s.Inspector != nil }

// inspects reports whether the payload of messages with opcode op is inspected: they
// are then held until whole.
func (s *Settings) inspects(op Opcode) bool {
	return s.judges() && (op == OpText || s.InspectBinary)
}

// Options configure a Proxy. Zero durations take the defaults shown.
type Options struct {
	Settings
	// HandshakeTimeout bounds dialling the upstream and its answer to the upgrade
	// (default 10s).
	HandshakeTimeout time.Duration
	// CloseTimeout bounds each wait of a close handshake: for a peer's close frame once
	// one was sent to it, and for the TCP close after it (default 5s).
	CloseTimeout time.Duration
	// IdleRelease is how long a connection keeps its 16 KiB read buffer after its last
	// read before giving it back to the pool (default 2s). Lower saves memory on many idle
	// connections; higher saves a read per message on connections that pause.
	IdleRelease time.Duration
	// DisableCompression strips permessage-deflate from the client's offer, so
	// messages always cross uncompressed.
	DisableCompression bool

	// OnMessage, when set, is called after each client message was judged (every
	// message with inspection on; with it off, only those refused for their size). It
	// runs on the relay's goroutine: keep it short and do not retain ev.Request or
	// ev.Verdict.Signals.
	OnMessage func(ev MessageEvent)
	// OnOpen and OnClose, when set, are called when a proxied connection starts (after
	// the 101 was sent) and when it is over (both TCP connections closed).
	OnOpen  func(info *ConnInfo)
	OnClose func(info *ConnInfo, ci CloseInfo)
	// Logger receives upstream failures (warn) and refused handshakes (debug); nil
	// discards them.
	Logger *slog.Logger
}

// Target says where and how to reach the upstream for one upgrade.
type Target struct {
	// URL is the chosen upstream (http, https, ws or wss). Its path, if any, prefixes
	// the client's path, as for HTTP requests; the client's query is kept.
	URL *url.URL
	// Dial connects to the upstream's host:port (with the connect timeout). For https
	// and wss URLs TLS is run over the connection it returns. Nil uses a net.Dialer.
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)
	// TLSConfig is used for https and wss upstreams (ServerName defaults to the URL's
	// host; ALPN is forced to http/1.1). Nil means a default config.
	TLSConfig *tls.Config
	// Host is the Host header sent upstream; "" keeps the client's.
	Host string
	// Header is set on the upstream request, replacing any client header of the same
	// name (X-Forwarded-For, X-Forwarded-Proto, X-Forwarded-Host, X-Rampart-Request-Id).
	Header http.Header
}

// Proxy relays WebSocket connections: it performs the upgrade with the upstream, then
// relays frames both ways, holding and judging each client message. It is safe for
// concurrent use and outlives config reloads (see Reload).
type Proxy struct {
	opts     Options
	log      *slog.Logger
	settings atomic.Pointer[Settings]
	closing  atomic.Bool

	mu    sync.Mutex
	conns map[*conn]struct{}
	done  chan struct{} // closed when conns becomes empty during Shutdown
	stop  chan struct{} // stops the janitor

	nextID atomic.Uint64

	// afterMessage, tests only, runs on the client's pump once a client message was
	// relayed. Set it before the first connection.
	afterMessage func(p *pump)
}

// ErrShuttingDown is returned by ServeUpgrade once Shutdown has begun; nothing was
// written (answer 503).
var ErrShuttingDown = errors.New("websocket proxy shutting down")

// New builds a Proxy. It starts one goroutine that gives idle connections' buffers
// back to the pool; Shutdown or Close stops it.
func New(opts Options) *Proxy {
	if opts.HandshakeTimeout <= 0 {
		opts.HandshakeTimeout = 10 * time.Second
	}
	if opts.CloseTimeout <= 0 {
		opts.CloseTimeout = 5 * time.Second
	}
	if opts.IdleRelease <= 0 {
		opts.IdleRelease = 2 * time.Second
	}
	p := &Proxy{opts: opts, log: opts.Logger, conns: map[*conn]struct{}{}, stop: make(chan struct{})}
	if p.log == nil {
		p.log = slog.New(slog.DiscardHandler)
	}
	p.Reload(opts.Settings)
	go p.janitor()
	return p
}

// Reload swaps the settings. Messages whose first frame arrives after it returns use the
// new ones; nothing open is dropped. Connections with permessage-deflate keep their
// inflation history with inspection off, so turning it on covers their compressed
// messages at once.
func (p *Proxy) Reload(s Settings) {
	if s.MessageBytes <= 0 {
		s.MessageBytes = DefaultMessageBytes
	}
	p.settings.Store(&s)
}

// Open returns the number of proxied connections open now.
func (p *Proxy) Open() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.conns)
}

func (p *Proxy) track(c *conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closing.Load() {
		return false
	}
	p.conns[c] = struct{}{}
	return true
}

func (p *Proxy) untrack(c *conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.conns, c)
	if len(p.conns) == 0 && p.done != nil {
		close(p.done)
		p.done = nil
	}
}

func (p *Proxy) snapshot() []*conn {
	p.mu.Lock()
	defer p.mu.Unlock()
	cs := make([]*conn, 0, len(p.conns))
	for c := range p.conns {
		cs = append(cs, c)
	}
	return cs
}

// Shutdown refuses new upgrades, sends every open connection a close 1001 (going away)
// on both sides, and waits for the close handshakes until ctx is done; then it drops
// what is left. It returns ctx.Err() when connections had to be dropped.
func (p *Proxy) Shutdown(ctx context.Context) error {
	p.mu.Lock()
	if !p.closing.Swap(true) {
		close(p.stop)
	}
	var done chan struct{}
	if len(p.conns) > 0 {
		if p.done == nil {
			p.done = make(chan struct{})
		}
		done = p.done
	}
	p.mu.Unlock()
	for _, c := range p.snapshot() {
		go c.goingAway()
	}
	if done == nil {
		return nil
	}
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		p.Close()
		return ctx.Err()
	}
}

// Close drops every open connection at once, without close frames, and refuses new
// upgrades.
func (p *Proxy) Close() {
	p.mu.Lock()
	if !p.closing.Swap(true) {
		close(p.stop)
	}
	p.mu.Unlock()
	for _, c := range p.snapshot() {
		c.drop()
	}
}

// CloseIP closes every open connection whose client is ip, as a blocked message would:
// the client gets a close 1008 with reason (at most 123 bytes are sent), the upstream
// 1001. It returns how many connections it closed; the close handshakes finish in the
// background. The engine's thresholds call it (through the wiring) when they flag an
// IP, so that a flagged client's open WebSockets do not outlive the flag.
func (p *Proxy) CloseIP(ip netip.Addr, reason string) int {
	if !ip.IsValid() {
		return 0
	}
	ip = ip.Unmap()
	if len(reason) > MaxControlPayload-2 {
		reason = reason[:MaxControlPayload-2]
	}
	n := 0
	for _, c := range p.snapshot() {
		if c.info.IP.Unmap() == ip {
			n++
			go c.policyClose(reason)
		}
	}
	return n
}

// janitor gives back the read buffers of connections that did not read since its last
// round: it flags the pump and wakes its blocked Read with a past deadline.
func (p *Proxy) janitor() {
	t := time.NewTicker(p.opts.IdleRelease)
	defer t.Stop()
	for {
		select {
		case <-p.stop:
			return
		case <-t.C:
		}
		for _, c := range p.snapshot() {
			c.up.idleCheck()
			c.down.idleCheck()
		}
	}
}

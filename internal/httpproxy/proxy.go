package httpproxy

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httputil"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rampartwaf/rampart/internal/engine"
	"github.com/rampartwaf/rampart/internal/events"
	"github.com/rampartwaf/rampart/internal/metrics"
	"github.com/rampartwaf/rampart/internal/request"
)

// Settings is everything about the HTTP proxy that a config reload may change.
type Settings struct {
	Engine      *engine.Engine
	Upstreams   []*url.URL // at least one; http or https
	BlockStatus int        // status of the block page
	// BodyLimit is how many bytes of a request body are buffered and inspected.
	BodyLimit int64
	// HeaderLimit is how many bytes the request line and headers may take before the
	// request is over a limit (limits.header_bytes); 0 is no limit. The server's own
	// MaxHeaderBytes (HeaderCap) must be above it, or Go answers 431 first.
	HeaderLimit int
	// ClientIPHeader names the header holding the client IP chain (X-Forwarded-For);
	// it is believed only from TrustedProxies.
	ClientIPHeader  string
	TrustedProxies  []netip.Prefix
	ConnectTimeout  time.Duration
	ResponseTimeout time.Duration
}

// WebSocketHandler takes over a WebSocket upgrade the engine allowed (wsproxy.Proxy is
// one): it dials upstream (a URL of the pool, through dial, which applies the connect
// timeout), forwards the upgrade with header added (X-Forwarded-*, X-Rampart-Request-Id),
// relays the 101 and then the frames, judging each client message. hs is the handshake
// as judged; the handler may keep it for the life of the connection. It answers every
// failure itself (502 when the upstream cannot be reached).
type WebSocketHandler interface {
	ServeWebSocket(w http.ResponseWriter, r *http.Request, hs *request.Request, upstream *url.URL,
		dial func(ctx context.Context, network, addr string) (net.Conn, error), header http.Header)
}

// Options are fixed for the life of a Proxy.
type Options struct {
	Metrics   *metrics.Metrics
	Events    *events.Bus
	Logger    *slog.Logger
	WebSocket WebSocketHandler // nil: upgrades are relayed as raw bytes after the handshake
}

// Proxy is the http.Handler in front of the upstreams.
type Proxy struct {
	opts Options
	cur  atomic.Pointer[snapshot]
	ups  upstreamSet
	log  *slog.Logger

	mu sync.Mutex // serialises Update
}

// snapshot is the Settings compiled for serving; immutable once published.
type snapshot struct {
	Settings
	bal       *balancer
	transport *http.Transport
	rp        *httputil.ReverseProxy
	dialer    *net.Dialer
}

// New builds a Proxy serving with s.
func New(s Settings, opts Options) (*Proxy, error) {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	p := &Proxy{opts: opts, log: opts.Logger}
	if err := p.Update(s); err != nil {
		return nil, err
	}
	return p, nil
}

// Update swaps in new settings. Requests already being served finish with the old ones;
// the keep-alive pool is kept when the timeouts did not change.
func (p *Proxy) Update(s Settings) error {
	if s.Engine == nil {
		return errors.New("httpproxy: no engine")
	}
	if len(s.Upstreams) == 0 {
		return errors.New("httpproxy: no upstream")
	}
	for _, u := range s.Upstreams {
		if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
			return fmt.Errorf("httpproxy: upstream %q: want http://host[:port] or https://host[:port]", u)
		}
	}
	if s.BlockStatus == 0 {
		s.BlockStatus = http.StatusNotAcceptable
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	old := p.cur.Load()
	snap := &snapshot{Settings: s, bal: &balancer{ups: p.ups.get(s.Upstreams)}}
	if old != nil && old.ConnectTimeout == s.ConnectTimeout && old.ResponseTimeout == s.ResponseTimeout {
		snap.transport, snap.dialer = old.transport, old.dialer
	} else {
		snap.transport = newTransport(s.ConnectTimeout, s.ResponseTimeout)
		snap.dialer = &net.Dialer{Timeout: s.ConnectTimeout, KeepAlive: 30 * time.Second}
	}
	snap.rp = &httputil.ReverseProxy{
		Rewrite:        rewrite,
		ModifyResponse: p.judgeResponse,
		Transport:      &balancedTransport{bal: snap.bal, rt: snap.transport, metrics: p.opts.Metrics},
		ErrorHandler:   p.upstreamError,
		ErrorLog:       slog.NewLogLogger(p.log.Handler(), slog.LevelWarn),
	}
	for _, u := range snap.bal.ups {
		p.opts.Metrics.UpstreamUp(u.key, u.healthy(time.Now()))
	}
	p.cur.Store(snap)
	if old != nil && old.transport != snap.transport {
		old.transport.CloseIdleConnections()
	}
	return nil
}

// Close releases idle upstream connections.
func (p *Proxy) Close() {
	if s := p.cur.Load(); s != nil {
		s.transport.CloseIdleConnections()
	}
}

type ctxKey int

const forwardKey ctxKey = 0

// forwardInfo carries what the handler decided to the Rewrite hook, and to
// judgeResponse when the engine has rules on response.status.
type forwardInfo struct {
	id      string
	signals string // "SQLI,XSS" or ""
	peer    netip.Addr
	trusted bool
	scheme  string

	snap    *snapshot
	req     *request.Request // valid until ServeHTTP returns
	verdict engine.Verdict
	nrules  int            // rules that acted on the request, before the response
	blocked engine.Verdict // set by judgeResponse when a rule on the response blocks
}

// ServeHTTP judges r and forwards or blocks it.
func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	snap := p.cur.Load()
	m := p.opts.Metrics
	m.InFlight(1)
	defer m.InFlight(-1)

	peer := peerAddr(r.RemoteAddr)
	isTrusted := trusted(peer, snap.TrustedProxies)
	req := getRequest()
	defer putRequest(req)
	fillRequest(req, r, peer, snap)

	body, err := readBody(r, snap.BodyLimit)
	if err != nil {
		p.log.Debug("client body", "request_id", req.ID, "err", err)
		http.Error(w, "bad request body", http.StatusBadRequest)
		m.Response(http.StatusBadRequest)
		return
	}
	defer body.done()
	req.Body = body.inspected(snap.BodyLimit)
	if body.truncated {
		req.Flags |= request.FlagBodyTruncated
	}

	start := time.Now()
	v := snap.Engine.Inspect(r.Context(), req)
	took := time.Since(start)
	if snap.Engine.Mode() == engine.ModeOff {
		took = 0
	}
	decision := p.record(req, v, took)
	if v.Blocked() {
		status := snap.BlockStatus
		if v.Status != 0 {
			status = v.Status // the rule's own
		}
		if v.Redirect != "" {
			writeRedirect(w, v.Redirect, status, req.ID)
		} else {
			writeBlock(w, r, status, req.ID)
		}
		m.Response(status)
		p.emit(req, v, decision, status)
		return
	}
	if v.Recorded() {
		p.emit(req, v, decision, 0)
	}

	info := &forwardInfo{id: req.ID, signals: signalList(v.Signals), peer: peer, trusted: isTrusted, scheme: req.Scheme,
		snap: snap, req: req, verdict: v, nrules: len(req.Rules)}
	if isWebSocketUpgrade(r) && p.opts.WebSocket != nil {
		p.serveWebSocket(w, r, req, info, snap)
		return
	}
	dropUpgrade(r)
	r.Body, r.GetBody = body.forward()
	if r.Body == nil {
		r.Body = http.NoBody
	}
	ctx := context.WithValue(r.Context(), forwardKey, info)
	sw := &statusWriter{ResponseWriter: w}
	snap.rp.ServeHTTP(sw, r.WithContext(ctx))
	m.Response(sw.status())
}

func (p *Proxy) serveWebSocket(w http.ResponseWriter, r *http.Request, req *request.Request, info *forwardInfo, snap *snapshot) {
	u := snap.bal.pick(time.Now(), nil)
	h := http.Header{}
	forwardedHeaders(h, r, info)
	// The handshake Request lives as long as the connection: the relay copies its
	// fields into every message it judges. Hand over a copy the pool will not reuse.
	hs := *req
	hs.Params = append([]request.Param(nil), req.Params...)
	hs.Signals = append([]request.Signal(nil), req.Signals...)
	hs.Headers = append([]request.Header(nil), req.Headers...)
	hs.Rules = nil
	hs.Body = nil
	p.opts.WebSocket.ServeWebSocket(w, r, &hs, u.url, snap.dialer.DialContext, h)
}

// rewrite prepares the outbound request: the upstream is chosen later, per attempt, by
// balancedTransport.
func rewrite(pr *httputil.ProxyRequest) {
	info, _ := pr.In.Context().Value(forwardKey).(*forwardInfo)
	// ReverseProxy drops query parameters it cannot parse; a WAF forwards what it
	// inspected, byte for byte.
	pr.Out.URL.RawQuery = pr.In.URL.RawQuery
	if info == nil {
		return
	}
	forwardedHeaders(pr.Out.Header, pr.In, info)
}

// forwardedHeaders sets the X-Forwarded-* and X-Rampart-* headers of a request going
// upstream. Headers that claim to come from a proxy are kept only when the peer is a
// trusted proxy; X-Rampart-* headers from clients are always dropped.
func forwardedHeaders(h http.Header, in *http.Request, info *forwardInfo) {
	for k := range h {
		if strings.HasPrefix(k, "X-Rampart-") {
			delete(h, k)
		}
	}
	peer := info.peer.String()
	if info.trusted {
		if prior := in.Header.Values("X-Forwarded-For"); len(prior) > 0 {
			peer = strings.Join(prior, ", ") + ", " + peer
		}
	}
	h.Set("X-Forwarded-For", peer)
	proto, host := info.scheme, in.Host
	if info.trusted {
		if v := in.Header.Get("X-Forwarded-Proto"); v != "" {
			proto = v
		}
		if v := in.Header.Get("X-Forwarded-Host"); v != "" {
			host = v
		}
	}
	h.Set("X-Forwarded-Proto", proto)
	h.Set("X-Forwarded-Host", host)
	h.Set("X-Rampart-Request-Id", info.id)
	if info.signals != "" {
		h.Set("X-Rampart-Signals", info.signals)
	}
}

// upstreamError answers when no upstream could be reached or it did not answer in time.
func (p *Proxy) upstreamError(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, errResponseBlocked) {
		p.blockResponse(w, r)
		return
	}
	if errors.Is(err, context.Canceled) {
		return // the client is gone
	}
	status := http.StatusBadGateway
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() || errors.Is(err, context.DeadlineExceeded) {
		status = http.StatusGatewayTimeout
	}
	id := ""
	if info, ok := r.Context().Value(forwardKey).(*forwardInfo); ok {
		id = info.id
	}
	p.log.Warn("upstream", "request_id", id, "err", err)
	w.Header().Set("X-Rampart-Request-Id", id)
	http.Error(w, http.StatusText(status), status)
}

// record updates the metrics for a verdict and returns its decision label.
func (p *Proxy) record(req *request.Request, v engine.Verdict, took time.Duration) string {
	decision := v.Decision()
	m := p.opts.Metrics
	if m != nil {
		m.Request(decision, took)
		for i := range v.Signals {
			m.Signal(v.Signals[i].Name)
		}
		for _, id := range v.Rules {
			m.RuleMatch(id)
		}
	}
	return decision
}

func (p *Proxy) emit(req *request.Request, v engine.Verdict, decision string, status int) {
	if p.opts.Events == nil {
		return
	}
	ev := events.FromRequest(req)
	ev.Action = decision
	ev.Reason = v.Reason.String()
	ev.Rule = v.Rule
	ev.Status = status
	if v.Err != nil {
		ev.Error = v.Err.Error()
	}
	p.opts.Events.Emit(ev)
}

// signalList returns the distinct signal names, comma separated, in order found.
func signalList(signals []request.Signal) string {
	switch len(signals) {
	case 0:
		return ""
	case 1:
		return signals[0].Name
	}
	var b strings.Builder
	for i, s := range signals {
		dup := false
		for _, prev := range signals[:i] {
			if prev.Name == s.Name {
				dup = true
				break
			}
		}
		if dup {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(s.Name)
	}
	return b.String()
}

// isWebSocketUpgrade reports whether r asks to switch to the WebSocket protocol.
func isWebSocketUpgrade(r *http.Request) bool {
	return headerHasToken(r.Header, "Connection", "upgrade") && headerHasToken(r.Header, "Upgrade", "websocket")
}

// dropUpgrade removes a request's ask to switch protocols (other than to WebSocket with
// a WebSocket handler): it is forwarded as a plain request. Otherwise an upstream that
// agreed (h2c is the known case) would turn the connection into a raw tunnel whose
// traffic nobody inspects.
func dropUpgrade(r *http.Request) {
	if len(r.Header.Values("Upgrade")) == 0 {
		return
	}
	r.Header.Del("Upgrade")
	r.Header.Del("HTTP2-Settings")
	conn := r.Header.Values("Connection")
	r.Header.Del("Connection")
	for _, v := range conn {
		for _, t := range strings.Split(v, ",") {
			t = strings.TrimSpace(t)
			if t != "" && !strings.EqualFold(t, "upgrade") && !strings.EqualFold(t, "http2-settings") {
				r.Header.Add("Connection", t)
			}
		}
	}
}

func headerHasToken(h http.Header, name, token string) bool {
	for _, v := range h.Values(name) {
		for _, t := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(t), token) {
				return true
			}
		}
	}
	return false
}

// statusWriter remembers the status sent, for metrics, and passes through Flush,
// Hijack and the rest via Unwrap (http.ResponseController).
type statusWriter struct {
	http.ResponseWriter
	code int
}

func (s *statusWriter) WriteHeader(code int) {
	if s.code == 0 && code >= 200 {
		s.code = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Write(b []byte) (int, error) {
	if s.code == 0 {
		s.code = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

func (s *statusWriter) Flush() {
	if f, ok := s.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (s *statusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }

func (s *statusWriter) status() int {
	if s.code == 0 {
		return http.StatusOK
	}
	return s.code
}

// errResponseBlocked is judgeResponse's way to have the upstream's answer replaced by
// the block page (ReverseProxy then calls upstreamError).
var errResponseBlocked = errors.New("response blocked by a rule")

// judgeResponse runs the rules that test response.status, once the upstream answered.
func (p *Proxy) judgeResponse(resp *http.Response) error {
	info, _ := resp.Request.Context().Value(forwardKey).(*forwardInfo)
	if info == nil || info.req == nil || !info.snap.Engine.HasResponseRules() {
		return nil
	}
	v := info.snap.Engine.InspectResponse(resp.Request.Context(), info.req, resp.StatusCode, info.verdict)
	if m := p.opts.Metrics; m != nil && len(v.Rules) > info.nrules {
		for _, id := range v.Rules[info.nrules:] {
			m.RuleMatch(id)
		}
	}
	if v.Blocked() {
		info.blocked = v
		return errResponseBlocked
	}
	if d := v.Decision(); d != engine.DecisionAllow {
		p.emit(info.req, v, d, 0)
	}
	return nil
}

// blockResponse sends the block page (or the rule's redirect) instead of an upstream
// answer a rule blocked.
func (p *Proxy) blockResponse(w http.ResponseWriter, r *http.Request) {
	info, _ := r.Context().Value(forwardKey).(*forwardInfo)
	if info == nil {
		http.Error(w, http.StatusText(http.StatusBadGateway), http.StatusBadGateway)
		return
	}
	v := info.blocked
	status := info.snap.BlockStatus
	if v.Status != 0 {
		status = v.Status
	}
	if v.Redirect != "" {
		writeRedirect(w, v.Redirect, status, info.id)
	} else {
		writeBlock(w, r, status, info.id)
	}
	p.emit(info.req, v, engine.DecisionBlock, status)
}

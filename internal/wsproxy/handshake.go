package wsproxy

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha1"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rampartwaf/rampart/internal/request"
)

// Handshake errors. When ServeUpgrade returns an error wrapping ErrUpstream, nothing was
// written to the client: answer 502 as for any upstream failure. Every other error was
// already answered (or the connection hijacked) and is for logs only.
var (
	// ErrBadHandshake is a client upgrade request RFC 6455 does not allow; the client got
	// 400 (or 426 for an unsupported Sec-WebSocket-Version).
	ErrBadHandshake = errors.New("invalid websocket handshake")
	// ErrUpstream is a failure to dial the upstream or an upgrade response Rampart
	// cannot relay (bad Sec-WebSocket-Accept, unknown extension...).
	ErrUpstream = errors.New("websocket upstream failed")
	// ErrUpstreamRefused is an upstream that answered the upgrade with an ordinary HTTP
	// response; that response was relayed to the client.
	ErrUpstreamRefused = errors.New("upstream refused the websocket upgrade")
)

// maxResponseHead caps the upstream's 101 response head.
const maxResponseHead = 16 << 10

const websocketGUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

// IsUpgrade reports whether r asks for a WebSocket upgrade: a GET over HTTP/1.1 with
// "Connection: upgrade" and "Upgrade: websocket". Such a request is still judged like
// any other before ServeUpgrade is called.
func IsUpgrade(r *http.Request) bool {
	return r.ProtoAtLeast(1, 1) && r.ProtoMajor == 1 &&
		headerHasToken(r.Header["Connection"], "upgrade") &&
		headerHasToken(r.Header["Upgrade"], "websocket")
}

func headerHasToken(values []string, token string) bool {
	for _, v := range values {
		for t := range strings.SplitSeq(v, ",") {
			if strings.EqualFold(strings.TrimSpace(t), token) {
				return true
			}
		}
	}
	return false
}

// acceptKey returns the Sec-WebSocket-Accept value for a client key.
func acceptKey(key string) string {
	h := sha1.Sum([]byte(key + websocketGUID))
	return base64.StdEncoding.EncodeToString(h[:])
}

// ServeUpgrade proxies one WebSocket upgrade that the caller has already judged and
// allowed. hs is the handshake as judged (its ID, client IP, host, path, headers and
// parsed parameters are copied into every message Request); t says where the upstream
// is. It dials the upstream, forwards the upgrade with the client's key, subprotocols
// and permessage-deflate offer, checks the upstream's 101, relays it byte for byte to
// the client, and starts the relay.
//
// ServeUpgrade returns as soon as the relay runs: the connection then lives on
// goroutines of the Proxy until it closes (see Options.OnClose and Shutdown). Errors:
// ErrUpstream (nothing written: answer 502), ErrShuttingDown (nothing written: answer
// 503), ErrBadHandshake and ErrUpstreamRefused (already answered).
func (p *Proxy) ServeUpgrade(w http.ResponseWriter, r *http.Request, hs *request.Request, t Target) error {
	if p.closing.Load() {
		return ErrShuttingDown
	}
	key, err := checkClientHandshake(w, r)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(r.Context(), p.opts.HandshakeTimeout)
	defer cancel()
	up, err := dialUpstream(ctx, t)
	if err != nil {
		return err
	}
	ok := false
	defer func() {
		if !ok {
			_ = up.Close()
		}
	}()
	deadline, _ := ctx.Deadline()
	_ = up.SetDeadline(deadline)
	offer := ""
	if !p.opts.DisableCompression {
		offer = filterOffer(r.Header.Values("Sec-WebSocket-Extensions"))
	}
	if _, err := up.Write(upstreamRequest(r, t, offer)); err != nil {
		return fmt.Errorf("%w: sending upgrade request: %w", ErrUpstream, err)
	}
	head, rest, err := readResponseHead(up)
	if err != nil {
		return fmt.Errorf("%w: reading upgrade response: %w", ErrUpstream, err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(head)), r)
	if err != nil {
		return fmt.Errorf("%w: parsing upgrade response: %w", ErrUpstream, err)
	}
	if resp.StatusCode != http.StatusSwitchingProtocols {
		return relayRefusal(w, r, head, rest, up)
	}
	dp, err := checkUpstreamResponse(resp, key, offer != "", r.Header.Values("Sec-WebSocket-Protocol"))
	if err != nil {
		return err
	}

	client, brw, err := http.NewResponseController(w).Hijack()
	if err != nil {
		return fmt.Errorf("%w: hijacking the client connection: %w", ErrUpstream, err)
	}
	ok = true
	var pre []byte
	if n := brw.Reader.Buffered(); n > 0 {
		pre = make([]byte, n)
		_, _ = io.ReadFull(brw.Reader, pre)
	}
	_ = client.SetDeadline(time.Now().Add(p.opts.HandshakeTimeout))
	if _, err := client.Write(head); err != nil {
		_ = client.Close()
		_ = up.Close()
		return fmt.Errorf("writing the 101 response to the client: %w", err)
	}
	_ = client.SetDeadline(time.Time{})
	_ = up.SetDeadline(time.Time{})
	p.start(client, up, hs, dp, resp, pre, rest)
	return nil
}

// ServeWebSocket is ServeUpgrade for the HTTP proxy (it satisfies
// httpproxy.WebSocketHandler): it answers the failures that left the client without a
// response, 502 when the upstream could not be reached or gave an upgrade response
// Rampart cannot relay, 503 during shutdown, and logs the rest at debug level.
func (p *Proxy) ServeWebSocket(w http.ResponseWriter, r *http.Request, hs *request.Request, upstream *url.URL,
	dial func(ctx context.Context, network, addr string) (net.Conn, error), header http.Header) {
	err := p.ServeUpgrade(w, r, hs, Target{URL: upstream, Dial: dial, Header: header})
	if err == nil {
		return
	}
	status := 0
	switch {
	case errors.Is(err, ErrShuttingDown):
		status = http.StatusServiceUnavailable
	case errors.Is(err, ErrUpstream):
		status = http.StatusBadGateway
		p.log.Warn("websocket upstream", "request_id", hs.ID, "upstream", upstream.Redacted(), "err", err)
	default:
		p.log.Debug("websocket upgrade", "request_id", hs.ID, "err", err)
	}
	if status != 0 {
		w.Header().Set("X-Rampart-Request-Id", hs.ID)
		http.Error(w, http.StatusText(status), status)
	}
}

// checkClientHandshake validates the client's side of RFC 6455 section 4.2.1 and
// answers a bad one.
func checkClientHandshake(w http.ResponseWriter, r *http.Request) (key string, err error) {
	if r.Method != http.MethodGet || !IsUpgrade(r) {
		http.Error(w, "bad websocket handshake", http.StatusBadRequest)
		return "", fmt.Errorf("%w: not a GET with Connection: upgrade and Upgrade: websocket over HTTP/1.1", ErrBadHandshake)
	}
	if v := r.Header.Values("Sec-WebSocket-Version"); len(v) != 1 || strings.TrimSpace(v[0]) != "13" {
		w.Header().Set("Sec-WebSocket-Version", "13")
		http.Error(w, "unsupported websocket version", http.StatusUpgradeRequired)
		return "", fmt.Errorf("%w: Sec-WebSocket-Version %q", ErrBadHandshake, v)
	}
	keys := r.Header.Values("Sec-WebSocket-Key")
	if len(keys) == 1 {
		key = strings.TrimSpace(keys[0])
	}
	if raw, err := base64.StdEncoding.DecodeString(key); len(keys) != 1 || err != nil || len(raw) != 16 {
		http.Error(w, "bad Sec-WebSocket-Key", http.StatusBadRequest)
		return "", fmt.Errorf("%w: Sec-WebSocket-Key %q", ErrBadHandshake, key)
	}
	return key, nil
}

// dialUpstream connects to t.URL's host, with TLS for https and wss.
func dialUpstream(ctx context.Context, t Target) (net.Conn, error) {
	u := t.URL
	if u == nil {
		return nil, fmt.Errorf("%w: no upstream URL", ErrUpstream)
	}
	secure := false
	switch u.Scheme {
	case "http", "ws":
	case "https", "wss":
		secure = true
	default:
		return nil, fmt.Errorf("%w: upstream scheme %q", ErrUpstream, u.Scheme)
	}
	addr := u.Host
	if u.Port() == "" {
		port := "80"
		if secure {
			port = "443"
		}
		addr = net.JoinHostPort(u.Hostname(), port)
	}
	dial := t.Dial
	if dial == nil {
		var d net.Dialer
		dial = d.DialContext
	}
	c, err := dial(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("%w: dialling %s: %w", ErrUpstream, addr, err)
	}
	if !secure {
		return c, nil
	}
	cfg := &tls.Config{}
	if t.TLSConfig != nil {
		cfg = t.TLSConfig.Clone()
	}
	if cfg.ServerName == "" {
		cfg.ServerName = u.Hostname()
	}
	cfg.NextProtos = []string{"http/1.1"}
	tc := tls.Client(c, cfg)
	if err := tc.HandshakeContext(ctx); err != nil {
		_ = c.Close()
		return nil, fmt.Errorf("%w: TLS with %s: %w", ErrUpstream, addr, err)
	}
	return tc, nil
}

// hopHeaders are not forwarded; the upgrade's own Connection and Upgrade are rewritten.
var hopHeaders = []string{
	"Connection", "Proxy-Connection", "Keep-Alive", "Proxy-Authenticate",
	"Proxy-Authorization", "Te", "Trailer", "Transfer-Encoding", "Upgrade",
}

// upstreamRequest builds the upgrade request for the upstream: the client's request
// target (under the upstream's path prefix), its end-to-end headers with the key,
// version and subprotocols unchanged, the filtered extension offer, and t.Header.
func upstreamRequest(r *http.Request, t Target, offer string) []byte {
	target := r.URL.EscapedPath()
	if target == "" {
		target = "/"
	}
	if prefix := strings.TrimSuffix(t.URL.EscapedPath(), "/"); prefix != "" {
		target = prefix + target
	}
	if r.URL.RawQuery != "" {
		target += "?" + r.URL.RawQuery
	} else if r.URL.ForceQuery {
		target += "?"
	}
	host := t.Host
	if host == "" {
		host = r.Host
	}
	skip := map[string]bool{"Host": true, "Sec-Websocket-Extensions": true}
	for _, h := range hopHeaders {
		skip[h] = true
	}
	for _, v := range r.Header["Connection"] {
		for tok := range strings.SplitSeq(v, ",") {
			skip[http.CanonicalHeaderKey(strings.TrimSpace(tok))] = true
		}
	}
	for k := range t.Header {
		skip[http.CanonicalHeaderKey(k)] = true
	}
	var b bytes.Buffer
	b.WriteString("GET " + target + " HTTP/1.1\r\nHost: " + cleanValue(host) + "\r\n")
	keys := make([]string, 0, len(r.Header))
	for k := range r.Header {
		if !skip[k] {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		for _, v := range r.Header[k] {
			b.WriteString(k + ": " + cleanValue(v) + "\r\n")
		}
	}
	b.WriteString("Connection: Upgrade\r\nUpgrade: websocket\r\n")
	if offer != "" {
		b.WriteString("Sec-WebSocket-Extensions: " + offer + "\r\n")
	}
	tkeys := make([]string, 0, len(t.Header))
	for k := range t.Header {
		tkeys = append(tkeys, k)
	}
	slices.Sort(tkeys)
	for _, k := range tkeys {
		for _, v := range t.Header[k] {
			b.WriteString(http.CanonicalHeaderKey(k) + ": " + cleanValue(v) + "\r\n")
		}
	}
	b.WriteString("\r\n")
	return b.Bytes()
}

// cleanValue keeps a header value on its line.
func cleanValue(v string) string {
	if strings.ContainsAny(v, "\r\n") {
		return strings.NewReplacer("\r", " ", "\n", " ").Replace(v)
	}
	return v
}

// readResponseHead reads the upstream's response head (up to the blank line) and
// returns it with any bytes read past it (the first frames, when the upstream talks
// right after its 101).
func readResponseHead(c net.Conn) (head, rest []byte, err error) {
	buf := make([]byte, 0, 1024)
	for {
		if len(buf) == cap(buf) {
			if cap(buf) >= maxResponseHead {
				return nil, nil, fmt.Errorf("response head over %d bytes", maxResponseHead)
			}
			buf = slices.Grow(buf, cap(buf))
		}
		n, err := c.Read(buf[len(buf):min(cap(buf), maxResponseHead)])
		from := max(0, len(buf)-3)
		buf = buf[:len(buf)+n]
		if i := bytes.Index(buf[from:], []byte("\r\n\r\n")); i >= 0 {
			end := from + i + 4
			return buf[:end], buf[end:], nil
		}
		if err != nil {
			return nil, nil, err
		}
	}
}

// relayRefusal sends the upstream's non-101 answer to the client as an HTTP response.
func relayRefusal(w http.ResponseWriter, r *http.Request, head, rest []byte, up net.Conn) error {
	br := bufio.NewReader(io.MultiReader(bytes.NewReader(head), bytes.NewReader(rest), up))
	resp, err := http.ReadResponse(br, r)
	if err != nil {
		return fmt.Errorf("%w: parsing upgrade response: %w", ErrUpstream, err)
	}
	defer resp.Body.Close()
	for k, vs := range resp.Header {
		if slices.Contains(hopHeaders, k) {
			continue
		}
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	w.WriteHeader(resp.StatusCode)
	_, _ = io.Copy(w, resp.Body)
	return fmt.Errorf("%w: status %d", ErrUpstreamRefused, resp.StatusCode)
}

// checkUpstreamResponse validates a 101 (RFC 6455 section 4.2.2 and RFC 7692 section
// 5): Rampart must understand everything it is about to relay.
func checkUpstreamResponse(resp *http.Response, key string, offered bool, protocols []string) (deflateParams, error) {
	if !headerHasToken(resp.Header["Upgrade"], "websocket") || !headerHasToken(resp.Header["Connection"], "upgrade") {
		return deflateParams{}, fmt.Errorf("%w: 101 without Upgrade: websocket and Connection: upgrade", ErrUpstream)
	}
	if got := resp.Header.Get("Sec-WebSocket-Accept"); strings.TrimSpace(got) != acceptKey(key) {
		return deflateParams{}, fmt.Errorf("%w: wrong Sec-WebSocket-Accept %q", ErrUpstream, got)
	}
	if sp := resp.Header.Values("Sec-WebSocket-Protocol"); len(sp) > 0 {
		chosen := strings.TrimSpace(sp[0])
		if len(sp) > 1 || !headerHasToken(protocols, chosen) {
			return deflateParams{}, fmt.Errorf("%w: subprotocol %q was not offered", ErrUpstream, strings.Join(sp, ", "))
		}
	}
	dp, err := negotiateDeflate(resp.Header.Values("Sec-WebSocket-Extensions"), offered)
	if err != nil {
		return dp, fmt.Errorf("%w: %w", ErrUpstream, err)
	}
	return dp, nil
}

// start registers the connection and runs its two pumps.
func (p *Proxy) start(client, up net.Conn, hs *request.Request, dp deflateParams, resp *http.Response, pre, rest []byte) {
	if hs == nil {
		hs = &request.Request{}
	}
	c := &conn{p: p, hs: hs, deflate: dp}
	c.id = hs.ID
	if c.id == "" {
		c.id = "ws-" + strconv.FormatUint(p.nextID.Add(1), 10)
	}
	c.params = handshakeParams(hs)
	c.info = ConnInfo{
		ID: c.id, RequestID: hs.ID, IP: hs.IP, Host: hs.Host, Path: hs.Path,
		Subprotocol: resp.Header.Get("Sec-WebSocket-Protocol"),
		Extensions:  strings.Join(resp.Header.Values("Sec-WebSocket-Extensions"), ", "),
		Started:     time.Now(),
	}
	if dp.enabled {
		c.infl = newInflater(dp)
	}
	c.ctx, c.cancel = context.WithCancel(context.Background())
	c.client.init(client, false)
	c.upstream.init(up, true)
	c.up.init(c, &c.client, &c.upstream, true, pre)
	c.down.init(c, &c.upstream, &c.client, false, rest)
	if !p.track(c) {
		c.goingAway()
	}
	if f := p.opts.OnOpen; f != nil {
		f(&c.info)
	}
	go c.up.run()
	go c.down.run()
}

package httpproxy

import (
	"bufio"
	"context"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rampartwaf/rampart/internal/engine"
	"github.com/rampartwaf/rampart/internal/events"
	"github.com/rampartwaf/rampart/internal/parse"
	"github.com/rampartwaf/rampart/internal/request"
)

// echoed is what the test upstream reports about the request it received.
type echoed struct {
	Method  string
	Host    string
	URI     string
	Body    string
	Headers http.Header
}

// echoUpstream answers every request with a JSON description of it.
func echoUpstream(t *testing.T) *httptest.Server {
	t.Helper()
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(echoed{Method: r.Method, Host: r.Host, URI: r.RequestURI, Body: string(b), Headers: r.Header})
	}))
	t.Cleanup(s.Close)
	return s
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func newEngine(t *testing.T, mode engine.Mode) *engine.Engine {
	t.Helper()
	e, err := engine.New(engine.Options{Mode: mode, Limits: parse.Limits{Params: 2048, Depth: 64}})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func testSettings(t *testing.T, mode engine.Mode, upstreams ...string) Settings {
	t.Helper()
	s := Settings{
		Engine:          newEngine(t, mode),
		BlockStatus:     406,
		BodyLimit:       1 << 20,
		ClientIPHeader:  "X-Forwarded-For",
		TrustedProxies:  []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")},
		ConnectTimeout:  time.Second,
		ResponseTimeout: 5 * time.Second,
	}
	for _, u := range upstreams {
		s.Upstreams = append(s.Upstreams, mustURL(t, u))
	}
	return s
}

// startProxy serves p on a loopback port and returns its base URL.
func startProxy(t *testing.T, p *Proxy, opts ServerOptions) (*Server, string) {
	t.Helper()
	opts.Addr = "127.0.0.1:0"
	srv, err := Listen(opts, p)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve() }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	scheme := "http"
	if srv.TLS() {
		scheme = "https"
	}
	return srv, scheme + "://" + srv.Addr().String()
}

func newProxy(t *testing.T, s Settings, opts Options) *Proxy {
	t.Helper()
	p, err := New(s, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	return p
}

func decodeEcho(t *testing.T, resp *http.Response) echoed {
	t.Helper()
	defer resp.Body.Close()
	var e echoed
	if err := json.NewDecoder(resp.Body).Decode(&e); err != nil {
		t.Fatalf("decoding upstream echo (status %d): %v", resp.StatusCode, err)
	}
	return e
}

func TestForwarding(t *testing.T) {
	up := echoUpstream(t)
	p := newProxy(t, testSettings(t, engine.ModeBlock, up.URL), Options{})
	_, base := startProxy(t, p, ServerOptions{})

	tests := []struct {
		name, method, target, body string
		header                     map[string]string
		wantURI                    string
	}{
		{"get with query kept byte for byte", "GET", "/a/b?x=1&y=%2Fz&bad=%zz;semi", "", nil, "/a/b?x=1&y=%2Fz&bad=%zz;semi"},
		{"post form", "POST", "/login", "user=alice&pass=s3cret", map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, "/login"},
		{"json put", "PUT", "/api/items/7", `{"name":"O'Brien","tags":["a","b"]}`, map[string]string{"Content-Type": "application/json"}, "/api/items/7"},
		{"escaped path", "GET", "/files/a%2Fb", "", nil, "/files/a%2Fb"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(tt.method, base+tt.target, strings.NewReader(tt.body))
			req.Host = "app.example"
			for k, v := range tt.header {
				req.Header.Set(k, v)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != 200 {
				t.Fatalf("status %d", resp.StatusCode)
			}
			e := decodeEcho(t, resp)
			if e.Method != tt.method || e.URI != tt.wantURI || e.Body != tt.body || e.Host != "app.example" {
				t.Errorf("upstream saw %s %s host=%s body=%q; want %s %s host=app.example body=%q",
					e.Method, e.URI, e.Host, e.Body, tt.method, tt.wantURI, tt.body)
			}
			if id := e.Headers.Get("X-Rampart-Request-Id"); len(id) != 32 {
				t.Errorf("X-Rampart-Request-Id = %q, want 32 hex digits", id)
			}
		})
	}
}

func TestForwardedHeaders(t *testing.T) {
	up := echoUpstream(t)
	p := newProxy(t, testSettings(t, engine.ModeLog, up.URL), Options{})
	_, base := startProxy(t, p, ServerOptions{})

	// The test client connects from 127.0.0.1, which is not in the trusted 10.0.0.0/8:
	// whatever it claims in X-Forwarded-* is replaced.
	req, _ := http.NewRequest("GET", base+"/x?q=1'+OR+'1'='1", nil)
	req.Host = "shop.example"
	req.Header.Set("X-Forwarded-For", "6.6.6.6")
	req.Header.Set("X-Forwarded-Proto", "https")
	req.Header.Set("X-Forwarded-Host", "evil.example")
	req.Header.Set("X-Rampart-Signals", "NONE")
	req.Header.Set("X-Rampart-Request-Id", "forged")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	e := decodeEcho(t, resp)
	want := map[string]string{
		"X-Forwarded-For":   "127.0.0.1",
		"X-Forwarded-Proto": "http",
		"X-Forwarded-Host":  "shop.example",
		"X-Rampart-Signals": "SQLI",
	}
	for k, v := range want {
		if got := strings.Join(e.Headers.Values(k), "|"); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
	if id := e.Headers.Get("X-Rampart-Request-Id"); id == "forged" || len(id) != 32 {
		t.Errorf("X-Rampart-Request-Id = %q, want a fresh ID", id)
	}
}

func TestTrustedProxyChain(t *testing.T) {
	up := echoUpstream(t)
	s := testSettings(t, engine.ModeBlock, up.URL)
	s.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}
	p := newProxy(t, s, Options{})
	_, base := startProxy(t, p, ServerOptions{})
	req, _ := http.NewRequest("GET", base+"/", nil)
	req.Header.Set("X-Forwarded-For", "198.51.100.7")
	req.Header.Set("X-Forwarded-Proto", "https")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	e := decodeEcho(t, resp)
	if got := e.Headers.Get("X-Forwarded-For"); got != "198.51.100.7, 127.0.0.1" {
		t.Errorf("X-Forwarded-For = %q, want the chain extended", got)
	}
	if got := e.Headers.Get("X-Forwarded-Proto"); got != "https" {
		t.Errorf("X-Forwarded-Proto = %q, want the trusted proxy's https", got)
	}
}

func TestBlockPage(t *testing.T) {
	var upstreamHits atomic.Int32
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { upstreamHits.Add(1) }))
	defer up.Close()
	var sink events.Ring = *events.NewRing(16)
	bus := events.NewBus(nil, &sink)
	p := newProxy(t, testSettings(t, engine.ModeBlock, up.URL), Options{Events: bus})
	_, base := startProxy(t, p, ServerOptions{})

	tests := []struct {
		name, accept, wantType, wantBody string
	}{
		{"browser gets html", "text/html,application/xhtml+xml,*/*;q=0.8", "text/html; charset=utf-8", "<h1>Request blocked</h1>"},
		{"api client gets json", "application/json", "application/json", `"error":"request blocked"`},
		{"curl gets html", "*/*", "text/html; charset=utf-8", "Request blocked"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest("GET", base+"/search?q=1'%20or%20'1'='1", nil)
			req.Header.Set("Accept", tt.accept)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 406 {
				t.Fatalf("status %d, want 406", resp.StatusCode)
			}
			if ct := resp.Header.Get("Content-Type"); ct != tt.wantType {
				t.Errorf("Content-Type %q, want %q", ct, tt.wantType)
			}
			id := resp.Header.Get("X-Rampart-Request-Id")
			if !strings.Contains(string(b), tt.wantBody) || len(id) != 32 || !strings.Contains(string(b), id) {
				t.Errorf("body %q lacks %q or the request id %q", b, tt.wantBody, id)
			}
			for _, leak := range []string{"SQLI", "sqli", "signal", "rule"} {
				if strings.Contains(string(b), leak) {
					t.Errorf("block page mentions %q: %s", leak, b)
				}
			}
		})
	}
	if n := upstreamHits.Load(); n != 0 {
		t.Errorf("upstream received %d blocked requests", n)
	}
	bus.Close()
	evs := sink.Recent(0)
	if len(evs) != len(tests) {
		t.Fatalf("%d events, want %d", len(evs), len(tests))
	}
	if ev := evs[0]; ev.Action != "block" || ev.Status != 406 || len(ev.Signals) == 0 || ev.Signals[0].Name != "SQLI" || ev.Signals[0].Param != "q" {
		t.Errorf("event %+v", ev)
	}
}

func TestBlockStatusAndModes(t *testing.T) {
	up := echoUpstream(t)
	tests := []struct {
		name   string
		mode   engine.Mode
		status int
		want   int
		signal string
	}{
		{"block with custom status", engine.ModeBlock, 403, 403, ""},
		{"log forwards with signal", engine.ModeLog, 406, 200, "SQLI"},
		{"off forwards without looking", engine.ModeOff, 406, 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := testSettings(t, tt.mode, up.URL)
			s.BlockStatus = tt.status
			p := newProxy(t, s, Options{})
			_, base := startProxy(t, p, ServerOptions{})
			resp, err := http.Get(base + "/?id=1%20union%20select%20password%20from%20users--")
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != tt.want {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.want)
			}
			if tt.want == 200 {
				e := decodeEcho(t, resp)
				if got := e.Headers.Get("X-Rampart-Signals"); got != tt.signal {
					t.Errorf("X-Rampart-Signals = %q, want %q", got, tt.signal)
				}
			} else {
				resp.Body.Close()
			}
		})
	}
}

func TestBodyLimit(t *testing.T) {
	up := echoUpstream(t)
	attack := "q=1'+union+select+password+from+users--"
	long := attack + "&pad=" + strings.Repeat("a", 300)
	tests := []struct {
		name       string
		pass       bool
		body       string
		wantStatus int
	}{
		{"attack within limit blocked", false, attack, 406},
		{"over limit blocked", false, "pad=" + strings.Repeat("b", 300), 406},
		{"over limit passes whole body when on_exceed is pass", true, long, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := testSettings(t, engine.ModeBlock, up.URL)
			s.BodyLimit = 128
			e, err := engine.New(engine.Options{Mode: engine.ModeBlock, PassOversize: tt.pass, Limits: parse.Limits{Params: 100, Depth: 10}})
			if err != nil {
				t.Fatal(err)
			}
			s.Engine = e
			p := newProxy(t, s, Options{})
			_, base := startProxy(t, p, ServerOptions{})
			resp, err := http.Post(base+"/form", "application/x-www-form-urlencoded", strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != tt.wantStatus {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.wantStatus)
			}
			if tt.wantStatus == 200 {
				got := decodeEcho(t, resp)
				if got.Body != tt.body {
					t.Errorf("upstream got %d bytes, want the whole %d", len(got.Body), len(tt.body))
				}
				if sig := got.Headers.Get("X-Rampart-Signals"); sig != "OVERSIZE" {
					t.Errorf("X-Rampart-Signals = %q, want OVERSIZE", sig)
				}
			} else {
				resp.Body.Close()
			}
		})
	}
}

func TestStreamingResponseNotBuffered(t *testing.T) {
	release := make(chan struct{})
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		fmt.Fprint(w, "data: first\n\n")
		w.(http.Flusher).Flush()
		<-release
		fmt.Fprint(w, "data: second\n\n")
	}))
	defer up.Close()
	defer close(release)
	p := newProxy(t, testSettings(t, engine.ModeBlock, up.URL), Options{})
	_, base := startProxy(t, p, ServerOptions{})
	resp, err := http.Get(base + "/events")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	// The upstream holds the second event until released, so the first can only arrive
	// if the proxy streams.
	line, err := bufio.NewReader(resp.Body).ReadString('\n')
	if err != nil || line != "data: first\n" {
		t.Fatalf("first line %q, %v", line, err)
	}
}

func TestHTTP2OverTLS(t *testing.T) {
	up := echoUpstream(t)
	p := newProxy(t, testSettings(t, engine.ModeBlock, up.URL), Options{})
	cert, key := writeTestCert(t)
	_, base := startProxy(t, p, ServerOptions{TLSCert: cert, TLSKey: key})
	client := &http.Client{Transport: &http.Transport{
		TLSClientConfig:   &tls.Config{InsecureSkipVerify: true},
		ForceAttemptHTTP2: true,
	}}
	resp, err := client.Get(base + "/h2?x=1")
	if err != nil {
		t.Fatal(err)
	}
	if resp.ProtoMajor != 2 {
		t.Errorf("client spoke %s, want HTTP/2", resp.Proto)
	}
	e := decodeEcho(t, resp)
	if e.URI != "/h2?x=1" || e.Headers.Get("X-Forwarded-Proto") != "https" {
		t.Errorf("upstream saw %s proto=%s", e.URI, e.Headers.Get("X-Forwarded-Proto"))
	}
	resp, err = client.Get(base + "/h2?x=%3Cscript%3Ealert(1)%3C/script%3E")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 406 {
		t.Errorf("attack over HTTP/2: status %d, want 406", resp.StatusCode)
	}
}

func TestUpstreamFailover(t *testing.T) {
	up := echoUpstream(t)
	// A port with nothing listening: dials fail at once.
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	dead := "http://" + ln.Addr().String()
	ln.Close()
	p := newProxy(t, testSettings(t, engine.ModeBlock, dead, up.URL), Options{})
	_, base := startProxy(t, p, ServerOptions{})
	for i := 0; i < 10; i++ {
		resp, err := http.Post(base+"/", "text/plain", strings.NewReader("hello"))
		if err != nil {
			t.Fatal(err)
		}
		e := decodeEcho(t, resp)
		if resp.StatusCode != 200 || e.Body != "hello" {
			t.Fatalf("request %d: status %d body %q", i, resp.StatusCode, e.Body)
		}
	}
	snap := p.cur.Load()
	if snap.bal.ups[0].healthy(time.Now()) {
		t.Error("dead upstream still in rotation after repeated dial failures")
	}
}

func TestAllUpstreamsDown(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	dead := "http://" + ln.Addr().String()
	ln.Close()
	p := newProxy(t, testSettings(t, engine.ModeBlock, dead), Options{})
	_, base := startProxy(t, p, ServerOptions{})
	resp, err := http.Get(base + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadGateway || len(resp.Header.Get("X-Rampart-Request-Id")) != 32 {
		t.Errorf("status %d id %q, want 502 with a request id", resp.StatusCode, resp.Header.Get("X-Rampart-Request-Id"))
	}
}

func TestRoundRobin(t *testing.T) {
	var hits [2]atomic.Int32
	var ups []string
	for i := range hits {
		s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits[i].Add(1) }))
		defer s.Close()
		ups = append(ups, s.URL)
	}
	p := newProxy(t, testSettings(t, engine.ModeBlock, ups...), Options{})
	_, base := startProxy(t, p, ServerOptions{})
	for i := 0; i < 20; i++ {
		resp, err := http.Get(base + "/")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	if hits[0].Load() != 10 || hits[1].Load() != 10 {
		t.Errorf("hits %d/%d, want 10/10", hits[0].Load(), hits[1].Load())
	}
}

func TestReloadUnderTraffic(t *testing.T) {
	up := echoUpstream(t)
	up2 := echoUpstream(t)
	p := newProxy(t, testSettings(t, engine.ModeBlock, up.URL), Options{})
	_, base := startProxy(t, p, ServerOptions{})

	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	var ok, failed atomic.Int64
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				resp, err := http.Post(base+"/r", "application/json", strings.NewReader(`{"k":"v"}`))
				if err != nil {
					failed.Add(1)
					continue
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode == 200 {
					ok.Add(1)
				} else {
					failed.Add(1)
				}
			}
		}()
	}
	// Swap settings back and forth, changing upstreams and timeouts (a new transport).
	for i := 0; i < 50; i++ {
		s := testSettings(t, engine.ModeBlock, up.URL)
		if i%2 == 1 {
			s = testSettings(t, engine.ModeLog, up2.URL, up.URL)
			s.ResponseTimeout = time.Duration(i) * time.Second
		}
		if err := p.Update(s); err != nil {
			t.Fatal(err)
		}
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	wg.Wait()
	if failed.Load() != 0 || ok.Load() == 0 {
		t.Errorf("%d requests failed, %d succeeded across reloads", failed.Load(), ok.Load())
	}
}

func TestGracefulShutdown(t *testing.T) {
	started := make(chan struct{})
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(started)
		time.Sleep(300 * time.Millisecond)
		fmt.Fprint(w, "finished")
	}))
	defer up.Close()
	p := newProxy(t, testSettings(t, engine.ModeBlock, up.URL), Options{})
	srv, err := Listen(ServerOptions{Addr: "127.0.0.1:0"}, p)
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve() }()
	base := "http://" + srv.Addr().String()

	hooked := make(chan struct{})
	srv.OnShutdown(func(context.Context) { close(hooked) })

	result := make(chan string, 1)
	go func() {
		resp, err := http.Get(base + "/slow")
		if err != nil {
			result <- "error: " + err.Error()
			return
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		result <- string(b)
	}()
	<-started
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	if got := <-result; got != "finished" {
		t.Errorf("in-flight request got %q, want it drained to completion", got)
	}
	select {
	case <-hooked:
	default:
		t.Error("shutdown hook (closing WebSockets) did not run")
	}
	if err := <-served; err != nil {
		t.Errorf("Serve returned %v after graceful shutdown", err)
	}
	if _, err := http.Get(base + "/after"); err == nil {
		t.Error("new request accepted after shutdown")
	}
}

// TestUpgradeIsNoTunnel: an upgrade to anything but WebSocket (h2c smuggling) is
// forwarded as a plain request, so an upstream that would agree never gets the chance to
// open a raw tunnel past inspection.
func TestUpgradeIsNoTunnel(t *testing.T) {
	var sawUpgrade atomic.Bool
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Upgrade") != "" || r.Header.Get("Http2-Settings") != "" {
			sawUpgrade.Store(true)
			// A server that accepts h2c: switch protocols and keep the connection.
			c, brw, err := http.NewResponseController(w).Hijack()
			if err != nil {
				return
			}
			defer c.Close()
			_, _ = brw.WriteString("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n")
			_ = brw.Flush()
			_, _ = io.Copy(io.Discard, brw)
			return
		}
		fmt.Fprintf(w, "plain %s", r.Header.Get("Connection"))
	}))
	t.Cleanup(up.Close)
	p := newProxy(t, testSettings(t, engine.ModeBlock, up.URL), Options{})
	_, base := startProxy(t, p, ServerOptions{})

	c, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(5 * time.Second))
	_, _ = io.WriteString(c, "GET /smuggle HTTP/1.1\r\nHost: x\r\nUser-Agent: t\r\nConnection: Upgrade, HTTP2-Settings, keep-alive\r\n"+
		"Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n")
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(string(b), "plain") {
		t.Errorf("status %d body %q, want the plain answer", resp.StatusCode, b)
	}
	if sawUpgrade.Load() {
		t.Error("the upstream was asked to upgrade")
	}
}

// fakeWS records the upgrades handed to it.
type fakeWS struct{ calls atomic.Int64 }

func (f *fakeWS) ServeWebSocket(w http.ResponseWriter, _ *http.Request, _ *request.Request, _ *url.URL,
	_ func(ctx context.Context, network, addr string) (net.Conn, error), _ http.Header) {
	f.calls.Add(1)
	http.Error(w, "fake", http.StatusTeapot)
}

// TestWebSocketHandshakeJudged: an upgrade request is judged like any other; a blocked
// one gets the block page and never reaches the WebSocket handler.
func TestWebSocketHandshakeJudged(t *testing.T) {
	up := echoUpstream(t)
	ws := &fakeWS{}
	p := newProxy(t, testSettings(t, engine.ModeBlock, up.URL), Options{WebSocket: ws})
	_, base := startProxy(t, p, ServerOptions{})
	for _, tc := range []struct {
		target string
		status int
	}{
		{"/chat?room=lobby", http.StatusTeapot},
		{"/chat?room=%3Cscript%3Ealert(1)%3C/script%3E", 406},
		{"/chat?file=..%2f..%2f..%2fetc%2fpasswd", 406},
	} {
		req, _ := http.NewRequest("GET", base+tc.target, nil)
		req.Header.Set("Connection", "Upgrade")
		req.Header.Set("Upgrade", "websocket")
		req.Header.Set("Sec-WebSocket-Version", "13")
		req.Header.Set("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.status {
			t.Errorf("%s: status %d, want %d", tc.target, resp.StatusCode, tc.status)
		}
	}
	if n := ws.calls.Load(); n != 1 {
		t.Errorf("the WebSocket handler got %d upgrades, want only the benign one", n)
	}
}

// TestHeaderLimit checks that headers over limits.header_bytes are a limit decision
// (block, or pass with OVERSIZE, or log), and that only headers over the server's hard
// cap get Go's own 431.
func TestHeaderLimit(t *testing.T) {
	up := echoUpstream(t)
	const limit = 2048
	tests := []struct {
		name       string
		mode       engine.Mode
		pass       bool
		header     int // bytes of X-Big
		wantStatus int
		wantSignal string
	}{
		{"under the limit", engine.ModeBlock, false, 1000, 200, ""},
		{"over the limit blocked", engine.ModeBlock, false, 2100, 406, ""},
		{"over the limit passed with OVERSIZE", engine.ModeBlock, true, 3000, 200, "OVERSIZE"},
		{"over the limit in log mode", engine.ModeLog, false, 3000, 200, "OVERSIZE"},
		{"over the hard cap", engine.ModeBlock, true, 2*limit + 8192, 431, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := testSettings(t, tt.mode, up.URL)
			s.HeaderLimit = limit
			e, err := engine.New(engine.Options{Mode: tt.mode, PassOversize: tt.pass, Limits: parse.Limits{Params: 100, Depth: 10}})
			if err != nil {
				t.Fatal(err)
			}
			s.Engine = e
			p := newProxy(t, s, Options{})
			_, base := startProxy(t, p, ServerOptions{MaxHeaderBytes: HeaderCap(limit)})
			req, _ := http.NewRequest("GET", base+"/page", nil)
			req.Header.Set("X-Big", strings.Repeat("b", tt.header))
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != tt.wantStatus {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.wantStatus)
			}
			if tt.wantStatus == 200 {
				got := decodeEcho(t, resp)
				if sig := got.Headers.Get("X-Rampart-Signals"); sig != tt.wantSignal {
					t.Errorf("X-Rampart-Signals = %q, want %q", sig, tt.wantSignal)
				}
				if len(got.Headers.Get("X-Big")) != tt.header {
					t.Errorf("upstream got X-Big of %d bytes, want %d", len(got.Headers.Get("X-Big")), tt.header)
				}
			}
		})
	}
}

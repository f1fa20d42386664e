package engine

import (
	"context"
	"net/netip"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rampartwaf/rampart/internal/config"
	"github.com/rampartwaf/rampart/internal/parse"
	"github.com/rampartwaf/rampart/internal/request"
	"github.com/rampartwaf/rampart/internal/state"
)

// Engine-level benchmarks: parse, decode, detect and decide for whole requests. The
// budget (issue 5): benign GET with 5 query params <= 20 µs and <= 20 allocations,
// 512-byte JSON POST <= 40 µs, cost linear in body size, and one 512-byte JSON
// WebSocket message <= 10 µs and <= 4 allocations. Compare two runs with benchstat:
//
//	go test -run XXX -bench Inspect -count 10 ./internal/engine > old.txt
//	(change) ... > new.txt; benchstat old.txt new.txt
//
// Besides sec/op (wall time), each benchmark reports cpu-ns/op: the CPU time the process
// used per operation (GC included). On a machine shared with other work, wall time
// swings with the load while CPU time stays put: compare cpu-ns/op there.

var benchHeaders = []request.Header{
	{Name: "User-Agent", Value: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"},
	{Name: "Accept", Value: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"},
	{Name: "Accept-Language", Value: "en-GB,en;q=0.9"},
	{Name: "Referer", Value: "https://shop.example.com/catalog?page=2"},
	{Name: "Cookie", Value: "session=3f9a1c0e7b2d4a6f8e1c3b5a7d9f0e2c; theme=dark"},
}

// benchLimits are the default limits of the configuration (limits.params 2048,
// limits.depth 64): every benchmark body is benign and within them, but for
// BenchmarkInspectJSON64K's (see there).
var benchLimits = parse.Limits{Params: 2048, Depth: 64}

func benchEngine(b *testing.B, lim parse.Limits) *Engine {
	e, err := New(Options{Limits: lim})
	if err != nil {
		b.Fatal(err)
	}
	return e
}

// runInspect judges a fresh copy of tmpl per iteration (a Request is parsed once), reusing
// one Request value as a pooled proxy would, under benchLimits.
func runInspect(b *testing.B, tmpl request.Request) {
	runInspectLimits(b, tmpl, benchLimits)
}

func runInspectLimits(b *testing.B, tmpl request.Request, lim parse.Limits) {
	e := benchEngine(b, lim)
	ctx := context.Background()
	r := new(request.Request)
	b.ReportAllocs()
	b.SetBytes(int64(len(tmpl.URI) + len(tmpl.Body)))
	b.ResetTimer()
	start := cpuTime()
	for i := 0; i < b.N; i++ {
		r.Reset()
		params, signals, headers := r.Params, r.Signals, r.Headers
		*r = tmpl
		r.Params, r.Signals = params[:0], signals[:0]
		r.Headers = append(headers[:0], tmpl.Headers...)
		if v := e.Inspect(ctx, r); v.Blocked() {
			b.Fatalf("benign request blocked: %+v", v.Signals)
		}
	}
	reportCPU(b, start)
}

// reportCPU reports the CPU time used per operation since start (see cpuTime).
func reportCPU(b *testing.B, start time.Duration) {
	if start > 0 {
		b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
	}
}

func BenchmarkInspectGET5Params(b *testing.B) {
	q := "q=running+shoes&size=42&color=blue&sort=price_asc&page=2"
	runInspect(b, request.Request{
		Method: "GET", Scheme: "https", Host: "shop.example.com", Proto: "HTTP/1.1",
		URI: "/search?" + q, Path: "/search", RawQuery: q, Headers: benchHeaders,
	})
}

// jsonBody builds a benign JSON object of about n bytes: an order with line items.
func jsonBody(n int) []byte {
	var b strings.Builder
	b.WriteString(`{"customer":{"name":"Jane O'Neil","email":"jane@example.org","address":{"street":"12 High Street","city":"Leeds","zip":"LS1 4AB"}},"note":"Please leave the parcel with the neighbour if nobody is home.","items":[`)
	for i := 0; b.Len() < n-40; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"sku":"SKU-`)
		b.WriteString(strconv.Itoa(10000 + i))
		b.WriteString(`","qty":`)
		b.WriteString(strconv.Itoa(i%5 + 1))
		b.WriteString(`,"gift":false}`)
	}
	b.WriteString(`],"coupon":null}`)
	return []byte(b.String())
}

func postRequest(contentType string, body []byte) request.Request {
	return request.Request{
		Method: "POST", Scheme: "https", Host: "api.example.com", Proto: "HTTP/1.1",
		URI: "/api/orders", Path: "/api/orders", Headers: benchHeaders,
		ContentType: contentType, Body: body,
	}
}

func BenchmarkInspectJSON512(b *testing.B) {
	runInspect(b, postRequest("application/json", jsonBody(512)))
}

func BenchmarkInspectForm4K(b *testing.B) {
	var f strings.Builder
	words := []string{"delivery", "window", "between", "nine", "and", "five", "ring", "the", "bell", "twice"}
	for i := 0; f.Len() < 4096-64; i++ {
		if i > 0 {
			f.WriteByte('&')
		}
		f.WriteString("field")
		f.WriteString(strconv.Itoa(i))
		f.WriteByte('=')
		for j := 0; j < 6; j++ {
			if j > 0 {
				f.WriteByte('+')
			}
			f.WriteString(words[(i+j)%len(words)])
		}
	}
	runInspect(b, postRequest("application/x-www-form-urlencoded", []byte(f.String())))
}

// BenchmarkInspectJSON64K judges a 64 KiB order: about 1,600 line items, each a string,
// a number and a boolean, so about 4,800 parameters. That is over the default
// limits.params (2048), and a request over a limit is not inspected: the benchmark
// raises the limit so that it measures the inspection of the whole body.
func BenchmarkInspectJSON64K(b *testing.B) {
	runInspectLimits(b, postRequest("application/json", jsonBody(64<<10)), parse.Limits{Params: 8192, Depth: 64})
}

// wsHandshake is the upgrade request of a chat client, judged and parsed once when the
// connection opened.
func wsHandshake() request.Request {
	q := "room=lobby&v=2"
	h := append([]request.Header{}, benchHeaders...)
	h = append(h,
		request.Header{Name: "Upgrade", Value: "websocket"},
		request.Header{Name: "Connection", Value: "Upgrade"},
		request.Header{Name: "Sec-WebSocket-Key", Value: "dGhlIHNhbXBsZSBub25jZQ=="},
		request.Header{Name: "Sec-WebSocket-Version", Value: "13"},
		request.Header{Name: "Origin", Value: "https://chat.example.com"},
	)
	return request.Request{
		Method: "GET", Scheme: "https", Host: "chat.example.com", Proto: "HTTP/1.1",
		URI: "/ws?" + q, Path: "/ws", RawQuery: q, Headers: h,
		UserAgent: benchHeaders[0].Value,
	}
}

// wsMessage builds a benign chat message of about n bytes of JSON.
func wsMessage(n int) []byte {
	var b strings.Builder
	b.WriteString(`{"type":"message","channel":"lobby","id":"9b2f4c1e-7d3a-4e8b-a1c6-5f0d2e9b8a71","from":{"id":4711,"name":"Jane O'Neil"},"mentions":["sam","alex"],"text":"`)
	words := []string{"Hi", "team,", "the", "release", "notes", "for", "v2.4", "are", "up:", "please", "review", "them", "before", "Friday", "and", "leave", "comments", "in", "the", "doc."}
	for i := 0; b.Len() < n-40; i++ {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(words[i%len(words)])
	}
	b.WriteString(`","ts":1719846000123,"reply_to":null}`)
	return []byte(b.String())
}

// BenchmarkInspectWSMessage512 is the per-message cost of WebSocket inspection: one
// 512-byte JSON text message, on a Request filled as the WebSocket proxy fills it (the
// handshake's fields and its query, cookie and header parameters as judged with it,
// then the message).
func BenchmarkInspectWSMessage512(b *testing.B) {
	e := benchEngine(b, benchLimits)
	ctx := context.Background()
	hs := wsHandshake()
	if v := e.Inspect(ctx, &hs); len(v.Signals) > 0 || hs.Flags != 0 {
		b.Fatalf("handshake not benign: %+v %v", v.Signals, hs.Flags)
	}
	// As wsproxy's handshakeParams.
	var hsParams []request.Param
	for _, p := range hs.Params {
		switch p.Source {
		case request.SourceQuery, request.SourceCookie, request.SourceHeader:
			hsParams = append(hsParams, p)
		}
	}
	msg := wsMessage(512)
	r := new(request.Request)
	b.ReportAllocs()
	b.SetBytes(int64(len(msg)))
	b.ResetTimer()
	start := cpuTime()
	for i := 0; i < b.N; i++ {
		// As wsproxy's messageRequest and putRequest.
		r.Reset()
		r.ID = "req-1"
		r.Protocol = request.ProtocolWebSocket
		r.Method, r.Scheme, r.Host, r.URI, r.Path, r.RawQuery, r.Proto = hs.Method, hs.Scheme, hs.Host, hs.URI, hs.Path, hs.RawQuery, hs.Proto
		r.UserAgent = hs.UserAgent
		r.Headers = append(r.Headers, hs.Headers...)
		r.Params = append(r.Params, hsParams...)
		r.ConnID = "conn-1"
		r.Opcode = 1
		r.MessageIndex = i + 1
		r.Message = msg
		if v := e.Inspect(ctx, r); v.Blocked() {
			b.Fatalf("benign message blocked: %+v", v.Signals)
		}
	}
	reportCPU(b, start)
}

// BenchmarkInspectWSBinary is the per-message cost of a binary WebSocket message judged
// without its payload (websocket.inspect_binary off): no parsing, no detector, only the
// rules and one state store call for a rate limit that counts WebSocket messages per IP.
func BenchmarkInspectWSBinary(b *testing.B) {
	cfg, err := config.Parse("bench.yaml", []byte(`
rate_limits:
  - id: ws-flood
    when: {field: protocol, op: equals, value: websocket}
    client: ip
    threshold: 1000000000
    interval: 10s
    action: block
`), config.Overrides{Upstream: "http://127.0.0.1:9"})
	if err != nil {
		b.Fatal(err)
	}
	store := state.NewMemory(state.MemoryOptions{})
	defer store.Close()
	e, err := New(Options{Limits: benchLimits, Policy: cfg.Rules, State: store})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	hs := wsHandshake()
	hs.IP = netip.MustParseAddr("192.0.2.10")
	e.Inspect(ctx, &hs)
	var hsParams []request.Param
	for _, p := range hs.Params {
		switch p.Source {
		case request.SourceQuery, request.SourceCookie, request.SourceHeader:
			hsParams = append(hsParams, p)
		}
	}
	r := new(request.Request)
	b.ReportAllocs()
	b.ResetTimer()
	start := cpuTime()
	for i := 0; i < b.N; i++ {
		// As wsproxy's messageRequest for a message judged without its payload.
		r.Reset()
		r.ID = "req-1"
		r.Protocol = request.ProtocolWebSocket
		r.Method, r.Scheme, r.Host, r.URI, r.Path, r.RawQuery, r.Proto = hs.Method, hs.Scheme, hs.Host, hs.URI, hs.Path, hs.RawQuery, hs.Proto
		r.IP, r.UserAgent = hs.IP, hs.UserAgent
		r.Headers = append(r.Headers, hs.Headers...)
		r.Params = append(r.Params, hsParams...)
		r.ConnID = "conn-1"
		r.Opcode = 2
		r.MessageIndex = i + 1
		r.Parsed = true
		r.Flags |= request.FlagMessageSkipped
		if v := e.Inspect(ctx, r); v.Blocked() || len(v.Signals) > 0 {
			b.Fatalf("binary message blocked: %+v", v)
		}
	}
	reportCPU(b, start)
}

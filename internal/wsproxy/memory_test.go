package wsproxy

import (
	"bufio"
	"net"
	"testing"
	"time"
)

// bufState is what a connection holds once a client message was relayed.
type bufState struct {
	infl, raw, msg int // capacity of the inflated copy and of the held frames
	histLen        int // inflation history: bytes, capacity, and the window's size
	histCap        int
	window         int
	open, stream   bool // a message left half inflated
}

// sink reads the client's frames, answering its close.
func sink(t *testing.T) func(c net.Conn, br *bufio.Reader) {
	return func(c net.Conn, br *bufio.Reader) {
		rc := &rawConn{t: t, c: c, br: br}
		for {
			h, _, err := rc.readFrame()
			if err != nil {
				return
			}
			if h.Opcode == OpClose {
				_, _ = c.Write(frame(true, 0, OpClose, []byte(closePayload(1000, "")), false))
				return
			}
		}
	}
}

// TestNoBufferHeldAfterMessage checks that once a client message was relayed the
// connection holds none of the buffers it took for it (held frames, inflated copy),
// and that the inflation history, the one thing a connection with context takeover
// keeps between messages, is no larger than the negotiated window: 2^client_max_window_bits.
func TestNoBufferHeldAfterMessage(t *testing.T) {
	big := textOf(200 << 10)
	cases := []struct {
		name    string
		ext     string // what the upstream accepts
		inspect bool
		window  int // 0: no history kept
		frames  [][]byte
		history int // history bytes expected after the messages
	}{
		{"plain text, held across reads", "", true, 0,
			frames(cf(false, OpText, big[:100<<10]), cf(true, OpContinuation, big[100<<10:])), 0},
		{"compressed in place, window 15", "permessage-deflate", true, 1 << 15,
			frames(frame(true, RSV1, OpText, deflateRaw(t, []byte("hello there")), true)), len("hello there")},
		{"compressed across reads, window 15", "permessage-deflate", true, 1 << 15,
			frames(frame(true, RSV1, OpText, deflateRaw(t, []byte(noiseText(60<<10, 1))), true)), 1 << 15},
		{"compressed fragments, window 10", "permessage-deflate; client_max_window_bits=10", true, 1 << 10,
			fragmented(deflateRaw(t, []byte(big)), 3), 1 << 10},
		{"compressed, window 8", "permessage-deflate; client_max_window_bits=8", true, 1 << 8,
			frames(frame(true, RSV1, OpText, deflateRaw(t, []byte(big)), true)), 1 << 8},
		{"compressed binary, not inspected as text", "permessage-deflate", true, 1 << 15,
			frames(frame(true, RSV1, OpBinary, deflateRaw(t, binaryOf(40<<10)), true)), 1 << 15},
		{"compressed, inspection off", "permessage-deflate", false, 1 << 15,
			frames(frame(true, RSV1, OpText, deflateRaw(t, []byte(big)), true)), 1 << 15},
		{"compressed, no context takeover", "permessage-deflate; client_no_context_takeover", true, 0,
			frames(frame(true, RSV1, OpText, deflateRaw(t, []byte(big)), true)), 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			states := make(chan bufState, 8)
			e := newEnv(t, rawUpstreamExt(tc.ext, sink(t)), envOptions{
				inspect: tc.inspect, limit: 1 << 20,
				afterMessage: func(p *pump) {
					st := bufState{infl: cap(p.infl.b), raw: cap(p.held.raw.b), msg: cap(p.held.msg.b), stream: p.stream != nil}
					if f := p.c.infl; f != nil {
						st.histLen, st.histCap, st.window, st.open = len(f.hist), cap(f.hist), f.window, f.open != nil
					}
					states <- st
				},
			})
			var hdr []string
			if tc.ext != "" {
				hdr = append(hdr, "Sec-WebSocket-Extensions: "+tc.ext)
			}
			rc := e.dialRaw("/mem", hdr...)
			rc.send(tc.frames...)
			var st bufState
			select {
			case st = <-states:
			case <-time.After(testTimeout):
				t.Fatal("the message was never relayed")
			}
			if st.infl != 0 || st.raw != 0 || st.msg != 0 || st.open || st.stream {
				t.Errorf("after the message: %+v, want no buffer held", st)
			}
			if tc.window == 0 {
				if st.histCap != 0 {
					t.Errorf("history of %d bytes kept without context takeover", st.histCap)
				}
			} else if st.window != tc.window || st.histCap > tc.window || st.histLen != tc.history {
				t.Errorf("history %d bytes in %d (window %d), want %d bytes in at most %d", st.histLen, st.histCap, st.window, tc.history, tc.window)
			}
			rc.send(cf(true, OpClose, closePayload(1000, "")))
			if code := rc.expectClose(); code != 1000 {
				t.Errorf("close reply %d", code)
			}
		})
	}
}

// fragmented splits a compressed payload into n masked frames of one text message.
func fragmented(z []byte, n int) [][]byte {
	var out [][]byte
	step := (len(z) + n - 1) / n
	for i := 0; i < len(z); i += step {
		end := min(i+step, len(z))
		op, rsv := OpContinuation, uint8(0)
		if i == 0 {
			op, rsv = OpText, RSV1
		}
		out = append(out, frame(end == len(z), rsv, op, z[i:end], true))
	}
	return out
}

package wsproxy

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/rampartwaf/rampart/internal/engine"
	"github.com/rampartwaf/rampart/internal/request"
)

// Fuzz tests. Seeds live in testdata/fuzz/<FuzzName>/ and in the f.Add calls. Run one by
// hand, e.g. go test ./internal/wsproxy -run '^$' -fuzz '^FuzzClientRelay$' -fuzztime 1m.

// FuzzParseHeader: a header that parses encodes back to the same bytes, and a header
// reported short really is.
func FuzzParseHeader(f *testing.F) {
	for _, s := range [][]byte{
		{0x81, 0x85, 1, 2, 3, 4}, {0x01, 0x7e, 0x01, 0x00}, {0x82, 0x7f, 0, 0, 0, 0, 0, 1, 0, 0},
		{0x88, 0x02}, {0x89}, {0x81, 0x7e, 0x00, 0x10}, {0xff, 0xff, 0x80, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4},
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		h, n, err := ParseHeader(b)
		switch {
		case err == ErrShortHeader:
			if len(b) >= 2 && len(b) >= headerLen(b[1]) {
				t.Fatalf("%x: short header reported on %d bytes, header needs %d", b, len(b), headerLen(b[1]))
			}
		case err != nil:
			return
		default:
			if h.Length < 0 {
				t.Fatalf("%x: negative length %d", b, h.Length)
			}
			if got := AppendHeader(nil, h); !bytes.Equal(got, b[:n]) {
				t.Fatalf("%x: re-encoded as %x", b[:n], got)
			}
		}
	})
}

// relayFrame is one frame of a byte stream, as the reference parser sees it.
type relayFrame struct {
	h   Header
	raw []byte // header and payload as on the wire
	pay []byte // payload, unmasked
}

// splitFrames parses b into whole frames, stopping at the first incomplete or
// unparsable one.
func splitFrames(b []byte) []relayFrame {
	var out []relayFrame
	for len(b) > 0 {
		h, n, err := ParseHeader(b)
		if err != nil || h.Length > int64(len(b)-n) {
			break
		}
		end := n + int(h.Length)
		pay := append([]byte(nil), b[n:end]...)
		if h.Masked {
			MaskBytes(h.Mask, 0, pay)
		}
		out = append(out, relayFrame{h: h, raw: b[:end], pay: pay})
		b = b[end:]
	}
	return out
}

// refMessage is a data message of the client's stream: its payload, where its frames
// are, and whether the inspector would have judged it.
type refMessage struct {
	op     Opcode
	data   []byte
	frames []int // indexes into the frame list
}

// referenceMessages assembles the data messages of a frame list that the RFC 6455 state
// machine accepts, up to the first violation.
func referenceMessages(frames []relayFrame) []refMessage {
	var msgs []refMessage
	chk := checker{fromClient: true}
	var cur *refMessage
	for i, fr := range frames {
		h := fr.h
		if chk.check(&h) != nil {
			break
		}
		if h.Opcode.IsControl() {
			continue
		}
		if h.Opcode != OpContinuation {
			msgs = append(msgs, refMessage{op: h.Opcode})
			cur = &msgs[len(msgs)-1]
		}
		cur.data = append(cur.data, fr.pay...)
		cur.frames = append(cur.frames, i)
		if h.Fin {
			cur = nil
		}
	}
	return msgs
}

// relayInspector blocks text that contains ATTACK, and messages over the limit unless
// pass is set (on_exceed: pass); it records what it judged.
type relayInspector struct {
	pass    bool
	mu      sync.Mutex
	seen    map[int][]byte
	skipped map[int]request.Flags // messages judged without their payload
}

func (ri *relayInspector) Inspect(_ context.Context, r *request.Request) engine.Verdict {
	ri.mu.Lock()
	if r.Flags.Has(request.FlagMessageSkipped) {
		ri.skipped[r.MessageIndex] |= r.Flags
	} else {
		ri.seen[r.MessageIndex] = append([]byte(nil), r.Message...)
	}
	ri.mu.Unlock()
	if r.Flags.Has(request.FlagMessageTooLarge) {
		if ri.pass {
			return engine.Verdict{Reason: engine.ReasonLimit}
		}
		return engine.Verdict{Action: engine.Block, Reason: engine.ReasonLimit}
	}
	if bytes.Contains(r.Message, []byte("ATTACK")) {
		return engine.Verdict{Action: engine.Block, Reason: engine.ReasonSignals}
	}
	return engine.Verdict{}
}

// FuzzClientRelay writes an arbitrary byte stream as a client's frames through the relay
// (with inspection, in chunks of a fuzzed size; the top bit of limit turns on_exceed:
// pass on, the next one inspect_binary off) and checks, whatever the bytes:
//   - every data frame that reaches the upstream is byte for byte a frame the client
//     sent, in the same order, starting with the first; control frames are the client's
//     too, except one close frame of Rampart's own at the end;
//   - no frame of a message the inspector blocks (text, or binary that is UTF-8,
//     containing ATTACK) reaches the upstream, and no message is forwarded unjudged;
//   - each message judged with its payload is exactly the client's message (fragments
//     joined, unmasked), and none is longer than the limit: nothing is buffered past
//     it; binary that is not UTF-8 and messages over the limit are judged without
//     their payload, and those over the limit reach the upstream only with pass.
func FuzzClientRelay(f *testing.F) {
	mask := [4]byte{0x11, 0x22, 0x33, 0x44}
	fr := func(fin bool, op Opcode, payload string) []byte {
		h := Header{Fin: fin, Opcode: op, Masked: true, Mask: mask, Length: int64(len(payload))}
		b := AppendHeader(nil, h)
		p := []byte(payload)
		MaskBytes(mask, 0, p)
		return append(b, p...)
	}
	cat := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
	f.Add(cat(fr(true, OpText, `{"text":"hello"}`), fr(true, OpText, "an ATTACK here")), uint16(100), uint8(7))
	f.Add(cat(fr(false, OpText, "AT"), fr(true, OpPing, "p"), fr(true, OpContinuation, "TACK")), uint16(64), uint8(3))
	f.Add(cat(fr(false, OpBinary, "ab"), fr(true, OpContinuation, "cd"), fr(true, OpClose, "\x03\xe8bye")), uint16(16), uint8(255))
	f.Add(cat(fr(true, OpText, "0123456789abcdefghij"), fr(true, OpText, "ok")), uint16(10), uint8(5))
	f.Add(cat(fr(true, OpText, "\xff\xfe"), fr(true, OpText, "after")), uint16(50), uint8(1))
	f.Add(cat(fr(true, OpContinuation, "x")), uint16(50), uint8(2))
	// on_exceed: pass (top bit of the limit): over the limit, held fragments go out and
	// the rest is streamed; the next message is judged again.
	f.Add(cat(fr(false, OpText, "0123456789"), fr(true, OpPing, "p"), fr(true, OpContinuation, "abcdefghij"), fr(true, OpText, "ATTACK")), uint16(0x8000|11), uint8(4))
	f.Add(cat(fr(true, OpBinary, "\xff\xfe\xfd"), fr(false, OpBinary, "\x80"), fr(true, OpContinuation, "0123456789abcdef")), uint16(0x8000|9), uint8(200))
	// inspect_binary off: binary is judged at its first frame, without its payload.
	f.Add(cat(fr(true, OpBinary, "ATTACK"), fr(false, OpBinary, "0123"), fr(true, OpContinuation, "456789abcdef"), fr(true, OpText, "ok")), uint16(0x4000|10), uint8(3))

	f.Fuzz(func(t *testing.T, data []byte, limit uint16, chunk uint8) {
		lim := int64(limit%1024) + 1
		pass := limit&0x8000 != 0
		inspectBinary := limit&0x4000 == 0
		step := int(chunk) + 1
		insp := &relayInspector{pass: pass, seen: map[int][]byte{}, skipped: map[int]request.Flags{}}
		closed := make(chan CloseInfo, 1)
		p := New(Options{
			Settings:     Settings{Inspector: insp, Inspect: true, InspectBinary: inspectBinary, MessageBytes: lim},
			CloseTimeout: time.Second,
			OnClose:      func(_ *ConnInfo, ci CloseInfo) { closed <- ci },
		})
		defer p.Close()

		clientApp, clientProxy := net.Pipe()
		upProxy, upApp := net.Pipe()
		p.start(clientProxy, upProxy, nil, deflateParams{}, &http.Response{Header: http.Header{}}, nil, nil)

		// The upstream application: records everything until it has answered a close
		// frame (nothing may follow a close frame).
		upGot := make(chan []byte, 1)
		go func() {
			var got []byte
			buf := make([]byte, 4096)
			answered := false
			for {
				n, err := upApp.Read(buf)
				got = append(got, buf[:n]...)
				if !answered {
					for _, fr := range splitFrames(got) {
						if fr.h.Opcode == OpClose {
							// Answer, then close TCP first, as a server does.
							answered = true
							_, _ = upApp.Write(AppendHeader(nil, Header{Fin: true, Opcode: OpClose}))
							_ = upApp.Close()
							break
						}
					}
				}
				if err != nil {
					upGot <- got
					return
				}
			}
		}()
		// The client application: drains what it is sent.
		go func() { _, _ = io.Copy(io.Discard, clientApp) }()
		for off := 0; off < len(data); off += step {
			if _, err := clientApp.Write(data[off:min(off+step, len(data))]); err != nil {
				break
			}
		}
		_ = clientApp.Close()
		select {
		case <-closed:
		case <-time.After(10 * time.Second):
			t.Fatal("the relay did not end after the client left")
		}
		var got []byte
		select {
		case got = <-upGot:
		case <-time.After(10 * time.Second):
			t.Fatal("the upstream connection was not closed")
		}

		sent := splitFrames(data)
		msgs := referenceMessages(sent)
		fwd := splitFrames(got)
		if l := len(bytes.Join(func() [][]byte {
			var r [][]byte
			for _, f := range fwd {
				r = append(r, f.raw)
			}
			return r
		}(), nil)); l != len(got) {
			// A frame cut short by the client leaving: only a streamed one (a message
			// passed on over the limit, or binary not inspected), as the client sent it.
			rest := got[l:]
			h, _, err := ParseHeader(rest)
			if err != nil || h.Opcode.IsControl() || !(pass || !inspectBinary) || !bytes.Contains(data, rest) {
				t.Fatalf("upstream got %d bytes that are not whole frames (of %d)", len(got)-l, len(got))
			}
		}

		// Forwarded frames are the client's, in order: data frames as a prefix of the
		// client's data frames, control frames as a subsequence of its control frames.
		var sentData, sentCtl []relayFrame
		for _, s := range sent {
			if s.h.Opcode.IsControl() {
				sentCtl = append(sentCtl, s)
			} else {
				sentData = append(sentData, s)
			}
		}
		di, ci := 0, 0
		for k, g := range fwd {
			if !g.h.Opcode.IsControl() {
				if di >= len(sentData) || !bytes.Equal(g.raw, sentData[di].raw) {
					t.Fatalf("forwarded data frame %d (%x) is not the client's data frame %d", k, g.raw, di)
				}
				di++
				continue
			}
			for ci < len(sentCtl) && !bytes.Equal(g.raw, sentCtl[ci].raw) {
				ci++
			}
			if ci < len(sentCtl) {
				ci++
				continue
			}
			if k != len(fwd)-1 || g.h.Opcode != OpClose || !g.h.Masked {
				t.Fatalf("forwarded control frame %d (%x) is neither the client's nor Rampart's final close", k, g.raw)
			}
		}

		// Messages: judged as sent, within the limit, blocked ones never forwarded.
		dataIndex := map[int]int{} // frame index in sent -> index among data frames
		for i, n := 0, 0; i < len(sent); i++ {
			if !sent[i].h.Opcode.IsControl() {
				dataIndex[i] = n
				n++
			}
		}
		insp.mu.Lock()
		defer insp.mu.Unlock()
		for idx, m := range msgs {
			seen, judged := insp.seen[idx+1]
			flags, skipped := insp.skipped[idx+1]
			inspectable := m.op == OpText || inspectBinary && utf8.Valid(m.data)
			over := int64(len(m.data)) > lim
			forwarded := false
			for _, fi := range m.frames {
				if dataIndex[fi] < di {
					forwarded = true
				}
			}
			if judged {
				if int64(len(seen)) > lim {
					t.Fatalf("message %d judged with %d bytes, over the limit %d", idx+1, len(seen), lim)
				}
				if !bytes.Equal(seen, m.data) {
					t.Fatalf("message %d judged as %q, sent as %q", idx+1, seen, m.data)
				}
			}
			if skipped && !flags.Has(request.FlagMessageTooLarge) && (inspectable || over) {
				t.Fatalf("message %d (%q) judged without its payload", idx+1, m.data)
			}
			if !forwarded {
				continue
			}
			if !judged && !skipped {
				t.Fatalf("message %d (%q) was forwarded without being judged", idx+1, m.data)
			}
			if over && !pass {
				// Refused: only the frames of a streamed message (binary not inspected)
				// that came before the limit was crossed may have gone out.
				streamed := m.op == OpBinary && !inspectBinary
				size := int64(0)
				for _, fi := range m.frames {
					size += sent[fi].h.Length
					if dataIndex[fi] < di && (!streamed || size > lim) {
						t.Fatalf("message %d of %d bytes, over the limit %d, reached the upstream", idx+1, len(m.data), lim)
					}
				}
				continue
			}
			if over {
				if !flags.Has(request.FlagMessageTooLarge) {
					t.Fatalf("message %d of %d bytes, over the limit %d, passed on without being judged so", idx+1, len(m.data), lim)
				}
				continue // passed on uninspected
			}
			if inspectable && bytes.Contains(m.data, []byte("ATTACK")) {
				t.Fatalf("message %d (%q) was blocked but a frame of it reached the upstream", idx+1, m.data)
			}
		}
	})
}

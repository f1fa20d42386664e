package wsproxy

import (
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/rampartwaf/rampart/internal/engine"
	"github.com/rampartwaf/rampart/internal/parse"
	"github.com/rampartwaf/rampart/internal/request"
)

// Messages over limits.ws_message_bytes (1000 bytes here). With on_exceed: pass or in
// log mode they are passed on, uninspected, without being buffered past the limit: the
// frames held so far go out, the rest is streamed; a compressed one keeps being inflated
// (its output discarded) so that the next message, which may refer back into it, is
// inflated right. Uncompressed and compressed messages are treated alike.

const deflateExt = "Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover"

// overMessage is a message over the limit and how it is sent.
type overMessage struct {
	name   string
	ext    bool // permessage-deflate with context takeover
	msg    string
	frames func(d *deflater, msg string) [][]byte
}

var (
	// Inflates past the limit from a compressed payload under it: held whole, inflated.
	inflatedOver = `{"msg":"` + noiseText(600, 3) + strings.Repeat("a", 2400) + `"}`
	// Over the limit on the wire too: its frames are streamed once over.
	wireOver = `{"msg":"` + noiseText(2000, 4) + `"}`
)

var overMessages = []overMessage{
	{"one frame", false, textOf(1500), func(_ *deflater, m string) [][]byte { return frames(cf(true, OpText, m)) }},
	{"fragments, over in the second", false, textOf(1500), func(_ *deflater, m string) [][]byte {
		return frames(cf(false, OpText, m[:600]), cf(true, OpPing, "p"), cf(false, OpContinuation, m[600:1200]), cf(true, OpContinuation, m[1200:]))
	}},
	{"fragments split inside a rune", false, "ab" + textOf(1500), func(_ *deflater, m string) [][]byte {
		i := strings.Index(m[900:], "€") + 901 // inside the three bytes of the euro sign
		return frames(cf(false, OpText, m[:i]), cf(true, OpContinuation, m[i:]))
	}},
	{"binary", false, string(binaryOf(1500)), func(_ *deflater, m string) [][]byte {
		return frames(frame(true, 0, OpBinary, []byte(m), true))
	}},
	{"compressed, inflates past the limit", true, inflatedOver, func(d *deflater, m string) [][]byte {
		return frames(frame(true, RSV1, OpText, d.msg([]byte(m)), true))
	}},
	{"compressed, over on the wire", true, wireOver, func(d *deflater, m string) [][]byte {
		return frames(frame(true, RSV1, OpText, d.msg([]byte(m)), true))
	}},
	{"compressed fragments, over on the wire in the second", true, wireOver, func(d *deflater, m string) [][]byte {
		z := d.msg([]byte(m))
		return frames(frame(false, RSV1, OpText, z[:700], true), frame(false, 0, OpContinuation, z[700:1200], true), frame(true, 0, OpContinuation, z[1200:], true))
	}},
}

// TestOversizePassed: with on_exceed: pass (and in log mode) a message over the limit is
// forwarded whole and recorded with OVERSIZE; the next messages are inspected as ever,
// a compressed one referring back into the oversize one included.
func TestOversizePassed(t *testing.T) {
	for _, mode := range []string{"on_exceed pass", "log mode"} {
		for _, om := range overMessages {
			t.Run(mode+"/"+om.name, func(t *testing.T) {
				e := newEnv(t, echoUpstream(websocket.CompressionContextTakeover), envOptions{
					inspect: true, limit: 1000, passOversize: mode == "on_exceed pass", logMode: mode == "log mode",
				})
				var hdr []string
				if om.ext {
					hdr = append(hdr, deflateExt)
				}
				rc := e.dialRaw("/over", hdr...)
				d := newDeflater(t)
				rc.send(om.frames(d, om.msg)...)
				if _, got := rc.readData(); got != om.msg {
					t.Fatalf("echo of %d bytes differs from the %d sent", len(got), len(om.msg))
				}
				evs := e.messageEvents()
				if len(evs) != 1 {
					t.Fatalf("%d events, want 1", len(evs))
				}
				ev := evs[0]
				if ev.Blocked || ev.Verdict.Reason != engine.ReasonLimit || ev.Verdict.Decision() != engine.DecisionLog ||
					len(ev.Verdict.Signals) != 1 || ev.Verdict.Signals[0].Name != "OVERSIZE" || ev.Compressed != om.ext {
					t.Errorf("event %+v, want a logged OVERSIZE", ev)
				}
				if seen := e.insp.messages(); len(seen) != 1 || seen[0].Message != "" ||
					!seen[0].Flags.Has(request.FlagMessageTooLarge|request.FlagMessageSkipped) {
					t.Errorf("judged %+v, want the message without its payload, flagged too large", seen)
				}

				// The next message is inspected; compressed, it refers back into the
				// oversize one (a wrong history would fail it with 1007).
				next := `{"msg":"` + strings.ToValidUTF8(om.msg[300:700], "") + `"}`
				send := func(m string) {
					if om.ext {
						rc.send(frame(true, RSV1, OpText, d.msg([]byte(m)), true))
					} else {
						rc.send(cf(true, OpText, m))
					}
				}
				send(next)
				if _, got := rc.readData(); got != next {
					t.Fatalf("next message echoed as %.60q, want %.60q", got, next)
				}
				if seen := e.insp.messages(); len(seen) != 2 || seen[1].Message != next {
					t.Fatalf("next message judged as %+v", seen[len(seen)-1])
				}
				attack := `{"msg":"` + strings.ToValidUTF8(om.msg[300:340], "") + ` ATTACK"}`
				send(attack)
				if mode == "log mode" {
					if _, got := rc.readData(); got != attack {
						t.Fatalf("log mode: attack echoed as %.60q", got)
					}
					return
				}
				if code := rc.expectClose(); code != ClosePolicyViolation {
					t.Fatalf("attack after the oversize message: close %d, want 1008", code)
				}
			})
		}
	}
}

// TestOversizeBlocked: with on_exceed: block (the default) a message over the limit gets
// close 1009 "message too big", compressed or not, and nothing of it reaches the upstream.
func TestOversizeBlocked(t *testing.T) {
	for _, om := range overMessages {
		t.Run(om.name, func(t *testing.T) {
			rec := newRecorder()
			e := newEnv(t, rec, envOptions{inspect: true, limit: 1000})
			var hdr []string
			if om.ext {
				hdr = append(hdr, deflateExt)
			}
			rc := e.dialRaw("/over", hdr...)
			rc.send(om.frames(newDeflater(t), om.msg)...)
			code, reason := rc.expectCloseReason()
			if code != CloseMessageTooBig || reason != "message too big" {
				t.Fatalf("close %d %q, want 1009 \"message too big\"", code, reason)
			}
			rc.sendQuiet(cf(true, OpClose, closePayload(1009, "")))
			rc.expectEOF()
			if st := rec.waitStatus(t); st != websocket.StatusGoingAway {
				t.Errorf("upstream status %d, want 1001", st)
			}
			if got := rec.got(); len(got) != 0 {
				t.Errorf("upstream received %d messages", len(got))
			}
			ci := e.waitClosed()
			if ci.By != ByRampart || ci.Code != CloseMessageTooBig || ci.Reason != "message too big" {
				t.Errorf("close info %+v", ci)
			}
			evs := e.messageEvents()
			if len(evs) != 1 || !evs[0].Blocked || evs[0].CloseCode != CloseMessageTooBig || evs[0].Verdict.Reason != engine.ReasonLimit {
				t.Errorf("events %+v, want one 1009 block", evs)
			}
		})
	}
}

// TestOversizeEngine runs the same through the real engine: limits.on_exceed and the
// mode decide, as for an HTTP body.
func TestOversizeEngine(t *testing.T) {
	cases := []struct {
		name     string
		mode     engine.Mode
		pass     bool
		wantCode uint16 // 0: passed
	}{
		{"block", engine.ModeBlock, false, CloseMessageTooBig},
		{"on_exceed pass", engine.ModeBlock, true, 0},
		{"log", engine.ModeLog, false, 0},
	}
	for _, tc := range cases {
		for _, om := range overMessages {
			t.Run(tc.name+"/"+om.name, func(t *testing.T) {
				eng, err := engine.New(engine.Options{Mode: tc.mode, PassOversize: tc.pass, Limits: parse.Limits{Params: 2048, Depth: 64}})
				if err != nil {
					t.Fatal(err)
				}
				e := newEnv(t, echoUpstream(websocket.CompressionContextTakeover), envOptions{
					inspect: true, limit: 1000, opts: func(o *Options) { o.Inspector = eng },
				})
				var hdr []string
				if om.ext {
					hdr = append(hdr, deflateExt)
				}
				rc := e.dialRaw("/over", hdr...)
				rc.send(om.frames(newDeflater(t), om.msg)...)
				if tc.wantCode != 0 {
					if code, reason := rc.expectCloseReason(); code != tc.wantCode || reason != "message too big" {
						t.Fatalf("close %d %q, want %d", code, reason, tc.wantCode)
					}
					return
				}
				if _, got := rc.readData(); got != om.msg {
					t.Fatalf("echo of %d bytes differs from the %d sent", len(got), len(om.msg))
				}
				evs := e.messageEvents()
				if len(evs) != 1 || evs[0].Blocked || evs[0].Verdict.Decision() != engine.DecisionLog ||
					evs[0].Verdict.Reason != engine.ReasonLimit || len(evs[0].Verdict.Signals) != 1 || evs[0].Verdict.Signals[0].Name != "OVERSIZE" {
					t.Errorf("events %+v, want one logged OVERSIZE", evs)
				}
			})
		}
	}
}

// TestOversizePassedCorrupt: a compressed message passed on over the limit is still
// inflated as it streams; bad data in it fails the connection with 1007 once it ends,
// wherever the bad data sits, and nothing is left running.
func TestOversizePassedCorrupt(t *testing.T) {
	good := newDeflater(t).msg([]byte(wireOver))
	cases := []struct {
		name    string
		payload []byte
	}{
		{"bad from the start", []byte(strings.Repeat("\xff", 2000))},
		{"bad after a good start", append(append([]byte(nil), good...), strings.Repeat("\xff", 600)...)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			// The upstream reads frames without inflating them (libraries may not survive
			// such data).
			e := newEnv(t, rawUpstreamExt("permessage-deflate; server_no_context_takeover", sink(t)), envOptions{inspect: true, limit: 1000, passOversize: true})
			rc := e.dialRaw("/over", deflateExt)
			p := tc.payload
			rc.send(frame(false, RSV1, OpText, p[:800], true), frame(true, 0, OpContinuation, p[800:], true))
			if code := rc.expectClose(); code != CloseInvalidPayload {
				t.Fatalf("close %d, want 1007", code)
			}
			rc.sendQuiet(cf(true, OpClose, closePayload(1000, "")))
			rc.expectEOF()
			rc.c.Close()
			if ci := e.waitClosed(); ci.Code != CloseInvalidPayload {
				t.Errorf("close info %+v", ci)
			}
		})
	}
}

// TestOversizePassedClientLeaves: a client that leaves in the middle of a compressed
// message being streamed over the limit ends its connection like any other (the
// inflation running beside the relay is stopped with it).
func TestOversizePassedClientLeaves(t *testing.T) {
	z := newDeflater(t).msg([]byte(wireOver))
	judged := make(chan struct{}, 1)
	e := newEnv(t, rawUpstreamExt("permessage-deflate; server_no_context_takeover", sink(t)), envOptions{
		inspect: true, limit: 1000, passOversize: true,
		opts: func(o *Options) {
			record := o.OnMessage
			o.OnMessage = func(ev MessageEvent) {
				record(ev)
				judged <- struct{}{}
			}
		},
	})
	rc := e.dialRaw("/over", deflateExt)
	rc.send(frame(false, RSV1, OpText, z[:600], true), frame(false, 0, OpContinuation, z[600:1200], true))
	select {
	case <-judged: // passed on: the rest streams
	case <-time.After(testTimeout):
		t.Fatal("the message was never judged")
	}
	rc.c.Close()
	if ci := e.waitClosed(); ci.Code != CloseAbnormal || ci.By != ByClient {
		t.Errorf("close info %+v, want the client's abnormal end", ci)
	}
}

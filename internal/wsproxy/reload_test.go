package wsproxy

import (
	"testing"

	"github.com/coder/websocket"
)

// TestReloadTurnsInspectionOn: a connection with permessage-deflate and context
// takeover opened while inspection was off keeps its inflation history, so that once a
// reload turns inspection on its compressed messages are inspected, back-references
// into messages sent before the reload included.
func TestReloadTurnsInspectionOn(t *testing.T) {
	const ext = "Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover"
	before := []string{
		`{"msg":"<script>ATTAC</script> is not quite it"}`,
		`{"msg":"` + noiseText(3000, 7) + `"}`,
	}
	after := `{"msg":"` + noiseText(3000, 7)[100:900] + `"}` // only a back-reference
	attack := `{"msg":"<script>ATTACK</script>"}`
	for _, tc := range []struct {
		name   string
		attack bool
	}{{"benign after reload", false}, {"attack after reload", true}} {
		t.Run(tc.name, func(t *testing.T) {
			rec := newRecorder()
			e := newEnv(t, rec, envOptions{inspect: false, limit: 1 << 20})
			rc := e.dialRaw("/reload", ext)
			d := newDeflater(t)
			for _, m := range before {
				rc.send(frame(true, RSV1, OpText, d.msg([]byte(m)), true))
				if _, got := rc.readData(); got != m {
					t.Fatalf("echo %.40q, want %.40q", got, m)
				}
			}
			if n := len(e.insp.messages()); n != 0 {
				t.Fatalf("inspection off, %d messages judged", n)
			}
			e.proxy.Reload(Settings{Inspector: e.insp, Inspect: true, MessageBytes: 1 << 20})

			rc.send(frame(true, RSV1, OpText, d.msg([]byte(after)), true))
			if _, got := rc.readData(); got != after {
				t.Fatalf("echo %.40q, want %.40q", got, after)
			}
			if seen := e.insp.messages(); len(seen) != 1 || seen[0].Message != after || seen[0].Index != 3 {
				t.Fatalf("judged %+v, want message 3 inflated with the history", seen)
			}
			if !tc.attack {
				return
			}
			rc.send(frame(true, RSV1, OpText, d.msg([]byte(attack)), true))
			if code := rc.expectClose(); code != ClosePolicyViolation {
				t.Fatalf("close %d, want 1008", code)
			}
			rc.sendQuiet(cf(true, OpClose, closePayload(1000, "")))
			rc.expectEOF()
			if st := rec.waitStatus(t); st != websocket.StatusGoingAway {
				t.Errorf("upstream status %d, want 1001", st)
			}
			if got := rec.got(); len(got) != 3 {
				t.Errorf("upstream received %d messages, want the 3 benign ones", len(got))
			}
		})
	}
}

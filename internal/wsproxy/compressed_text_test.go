package wsproxy

import (
	"bufio"
	"net"
	"strings"
	"testing"
)

// mirror sends every data frame of the client back as it came (compressed payloads
// included, unmasked), so a test sees exactly what was relayed, and answers a close.
func mirror(t *testing.T) func(c net.Conn, br *bufio.Reader) {
	return func(c net.Conn, br *bufio.Reader) {
		rc := &rawConn{t: t, c: c, br: br}
		for {
			h, p, err := rc.readFrame()
			if err != nil {
				return
			}
			if h.Opcode == OpClose {
				_, _ = c.Write(frame(true, 0, OpClose, []byte(closePayload(1000, "")), false))
				return
			}
			if h.Opcode.IsControl() {
				continue
			}
			if _, err := c.Write(frame(h.Fin, h.Rsv, h.Opcode, p, false)); err != nil {
				return
			}
		}
	}
}

// TestCompressedText checks what happens to compressed text messages whatever the
// settings: one that inflates to invalid UTF-8 is refused with 1007 (RFC 6455 8.1),
// inspected or not, with or without context takeover, over the limit or not; a valid
// one that inflates past the limit is relayed when nothing judges messages
// (inspection off), as a plain proxy would.
func TestCompressedText(t *testing.T) {
	const (
		takeover   = "permessage-deflate; server_no_context_takeover"
		noTakeover = "permessage-deflate; client_no_context_takeover; server_no_context_takeover"
	)
	badUTF8 := []byte(`{"a":"` + "\xff\xfe bad" + `"}`)
	badOver := []byte(`{"a":"` + noiseText(1500, 9) + "\xff" + `"}`)
	bomb := []byte(`{"a":"` + strings.Repeat("x", 100000) + `"}`)
	cases := []struct {
		name    string
		ext     string
		eo      envOptions
		msg     []byte
		refused bool // close 1007; else relayed
	}{
		{"bad UTF-8, inspected", takeover, envOptions{inspect: true, limit: 4096}, badUTF8, true},
		{"bad UTF-8, inspection off", takeover, envOptions{limit: 4096}, badUTF8, true},
		{"bad UTF-8, inspection off, no takeover", noTakeover, envOptions{limit: 4096}, badUTF8, true},
		{"bad UTF-8 over the limit, passed", takeover, envOptions{inspect: true, passOversize: true, limit: 1000}, badOver, true},
		{"bad UTF-8 over the limit, inspection off, no takeover", noTakeover, envOptions{limit: 1000}, badOver, true},
		{"inflates past the limit, inspection off", takeover, envOptions{limit: 4096}, bomb, false},
		{"inflates past the limit, inspection off, no takeover", noTakeover, envOptions{limit: 4096}, bomb, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, rawUpstreamExt(tc.ext, mirror(t)), tc.eo)
			rc := e.dialRaw("/text", "Sec-WebSocket-Extensions: "+tc.ext)
			z := newDeflater(t)
			// A valid message first: relayed as sent.
			first := z.msg([]byte(`{"a":"hello"}`))
			rc.send(frame(true, RSV1, OpText, first, true))
			if h, p, err := rc.readFrame(); err != nil || h.Rsv&RSV1 == 0 || string(p) != string(first) {
				t.Fatalf("valid compressed message: %+v %q %v", h, p, err)
			}
			if strings.Contains(tc.ext, "client_no_context_takeover") {
				z = newDeflater(t)
			}
			payload := z.msg(tc.msg)
			rc.send(frame(true, RSV1, OpText, payload, true))
			if tc.refused {
				if code := rc.expectClose(); code != CloseInvalidPayload {
					t.Fatalf("close %d, want 1007", code)
				}
				return
			}
			if h, p, err := rc.readFrame(); err != nil || h.Opcode != OpText || string(p) != string(payload) {
				t.Fatalf("message over the limit with inspection off: %+v, %d bytes, %v; want it relayed", h, len(p), err)
			}
		})
	}
}

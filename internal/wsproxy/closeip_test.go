package wsproxy

import (
	"net/netip"
	"testing"

	"github.com/coder/websocket"
)

// TestCloseIP: the connections of a flagged client are closed with 1008; others stay.
func TestCloseIP(t *testing.T) {
	e := newEnv(t, echoUpstream(websocket.CompressionDisabled), envOptions{inspect: true})
	ctx := testCtx(t)
	c := dialWS(t, e, websocket.CompressionDisabled)
	if err := c.Write(ctx, websocket.MessageText, []byte("hello")); err != nil {
		t.Fatal(err)
	}
	if _, b, err := c.Read(ctx); err != nil || string(b) != "hello" {
		t.Fatalf("echo: %q, %v", b, err)
	}
	if n := e.proxy.CloseIP(netip.MustParseAddr("192.0.2.1"), "flagged"); n != 0 {
		t.Fatalf("CloseIP of another address closed %d connections", n)
	}
	if n := e.proxy.CloseIP(netip.MustParseAddr("127.0.0.1"), "flagged"); n != 1 {
		t.Fatalf("CloseIP closed %d connections, want 1", n)
	}
	_, _, err := c.Read(ctx)
	if websocket.CloseStatus(err) != websocket.StatusPolicyViolation {
		t.Fatalf("after CloseIP: %v, want close 1008", err)
	}
	if ci := e.waitClosed(); ci.By != ByRampart || ci.Code != ClosePolicyViolation || ci.Reason != "flagged" {
		t.Errorf("close info %+v", ci)
	}
}

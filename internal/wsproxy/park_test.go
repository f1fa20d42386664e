package wsproxy

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// parkedCount is how many pumps are parked now.
func parkedCount() int {
	pl := getPoller()
	if pl == nil {
		return 0
	}
	pl.mu.Lock()
	defer pl.mu.Unlock()
	return len(pl.parked)
}

// pumpGoroutines counts the goroutines running a pump.
func pumpGoroutines() int {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			return strings.Count(string(buf[:n]), "wsproxy.(*pump).run(")
		}
		buf = make([]byte, 2*len(buf))
	}
}

// waitParked waits until at least n pumps are parked.
func waitParked(t *testing.T, n int) {
	t.Helper()
	deadline := time.Now().Add(testTimeout)
	for parkedCount() < n {
		if time.Now().After(deadline) {
			t.Fatalf("%d pumps parked, want at least %d", parkedCount(), n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestParking: idle connections give their goroutines back and carry on as before when
// either side speaks again, closes, or Rampart shuts down.
func TestParking(t *testing.T) {
	if !canPark() {
		t.Skip("pumps park only on Linux")
	}
	const n = 20
	e := newEnv(t, echoUpstream(websocket.CompressionDisabled), envOptions{
		inspect: true, limit: 1 << 20,
		opts: func(o *Options) { o.IdleRelease = 20 * time.Millisecond },
	})
	ctx := testCtx(t)
	conns := make([]*websocket.Conn, n)
	for i := range conns {
		conns[i] = dialWS(t, e, websocket.CompressionDisabled)
		if err := conns[i].Write(ctx, websocket.MessageText, []byte("hello")); err != nil {
			t.Fatal(err)
		}
		if _, _, err := conns[i].Read(ctx); err != nil {
			t.Fatal(err)
		}
	}
	waitParked(t, 2*n)
	if g := pumpGoroutines(); g != 0 {
		t.Errorf("%d goroutines still in a pump with every pump parked", g)
	}

	// Parked connections work as before, with inspection.
	for round := range 2 {
		for i, c := range conns[:n/2] {
			msg := fmt.Sprintf(`{"round":%d,"conn":%d}`, round, i)
			if err := c.Write(ctx, websocket.MessageText, []byte(msg)); err != nil {
				t.Fatal(err)
			}
			if _, got, err := c.Read(ctx); err != nil || string(got) != msg {
				t.Fatalf("after parking: %q, %v", got, err)
			}
		}
		waitParked(t, 2*n)
	}
	if err := conns[0].Write(ctx, websocket.MessageText, []byte("an ATTACK after a nap")); err != nil {
		t.Fatal(err)
	}
	if _, _, err := conns[0].Read(ctx); websocket.CloseStatus(err) != websocket.StatusPolicyViolation {
		t.Fatalf("attack from a parked connection: %v, want 1008", err)
	}
	if ci := e.waitClosed(); ci.Code != ClosePolicyViolation {
		t.Errorf("close info %+v", ci)
	}

	// A clean close from a parked client.
	if err := conns[1].Close(websocket.StatusNormalClosure, "bye"); err != nil {
		t.Fatalf("close handshake from a parked connection: %v", err)
	}
	if ci := e.waitClosed(); ci.By != ByClient || ci.Code != CloseNormal {
		t.Errorf("close info %+v, want a normal close by the client", ci)
	}

	// Shutdown reaches every parked connection with 1001.
	waitParked(t, 2*(n-2))
	sctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- e.proxy.Shutdown(sctx) }()
	for _, c := range conns[2:] {
		if _, _, err := c.Read(ctx); websocket.CloseStatus(err) != websocket.StatusGoingAway {
			t.Errorf("parked connection at shutdown: %v, want 1001", err)
		}
	}
	if err := <-done; err != nil {
		t.Errorf("shutdown: %v", err)
	}
	if parkedCount() != 0 {
		t.Errorf("%d pumps still parked after shutdown", parkedCount())
	}
}

// TestParkingCloseDrops: Close drops parked connections at once.
func TestParkingCloseDrops(t *testing.T) {
	if !canPark() {
		t.Skip("pumps park only on Linux")
	}
	e := newEnv(t, echoUpstream(websocket.CompressionDisabled), envOptions{
		inspect: true, limit: 1 << 20,
		opts: func(o *Options) { o.IdleRelease = 20 * time.Millisecond },
	})
	ctx := testCtx(t)
	c := dialWS(t, e, websocket.CompressionDisabled)
	if err := c.Write(ctx, websocket.MessageText, []byte("x")); err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.Read(ctx); err != nil {
		t.Fatal(err)
	}
	waitParked(t, 2)
	e.proxy.Close()
	e.waitClosed()
	if _, _, err := c.Read(ctx); err == nil {
		t.Error("read after Close succeeded")
	}
	if e.proxy.Open() != 0 {
		t.Errorf("%d connections open after Close", e.proxy.Open())
	}
}

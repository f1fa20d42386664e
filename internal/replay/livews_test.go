package replay

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// fakeRampart is an echo endpoint that acts as Rampart would in front of it: a message
// containing EVIL closes the connection with 1008.
func fakeRampart(t *testing.T, dials *atomic.Int64) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		dials.Add(1)
		c, err := websocket.Accept(w, r, nil)
		if err != nil {
			return
		}
		defer c.CloseNow()
		for {
			typ, msg, err := c.Read(r.Context())
			if err != nil {
				return
			}
			if bytes.Contains(msg, []byte("EVIL")) {
				c.Close(websocket.StatusPolicyViolation, "blocked by policy")
				return
			}
			if err := c.Write(r.Context(), typ, msg); err != nil {
				return
			}
		}
	}))
	t.Cleanup(srv.Close)
	return "ws" + strings.TrimPrefix(srv.URL, "http")
}

func TestLiveWebSocket(t *testing.T) {
	var dials atomic.Int64
	live := NewLiveWebSocket(fakeRampart(t, &dials), 5*time.Second, 2)
	defer live.Close()
	rep, err := Run(context.Background(), []Input{FileInput("testdata/requests.jsonl"), FileInput("testdata/values.jsonl")},
		Options{Inspector: live, ValuesOnly: true, Placements: []string{PlacementWebSocket}, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if live.Errors() != 0 {
		t.Fatalf("%d errors, first: %v", live.Errors(), live.Err())
	}
	// 12 values judged; the request records are left out.
	if rep.Judged != 12 || rep.Filtered == 0 || rep.RequestsLeftOut != rep.Filtered {
		t.Fatalf("judged %d, filtered %d (%d requests left out); want 12 values judged and every request left out",
			rep.Judged, rep.Filtered, rep.RequestsLeftOut)
	}
	blocked := 0
	for _, g := range rep.Groups {
		blocked += g.Blocked
		if len(g.Placements) != 1 || g.Placements[0].Placement != PlacementWebSocket {
			t.Errorf("group %s/%s/%s placements %+v, want websocket only", g.Source, g.Label, g.Category, g.Placements)
		}
	}
	// The five values with EVIL (one of them base64: \xff\xfeEVIL) are blocked; every
	// other value is echoed, so passes.
	if blocked != 5 {
		t.Errorf("%d values blocked, want the 5 with EVIL", blocked)
	}
	// Connections are reused until Rampart closes one: at most one per block, plus one
	// per worker.
	if n := dials.Load(); n > 5+2 {
		t.Errorf("%d connections for 12 messages with 5 blocks", n)
	}
}

func TestLiveWebSocketErrors(t *testing.T) {
	live := NewLiveWebSocket("ws://127.0.0.1:1/nothing", time.Second, 1)
	_, err := Run(context.Background(), []Input{FileInput("testdata/values.jsonl")},
		Options{Inspector: live, ValuesOnly: true, Placements: []string{PlacementWebSocket}, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	if live.Errors() != 12 || live.Err() == nil || !strings.Contains(live.Err().Error(), "connecting") {
		t.Errorf("errors %d, first %v; want every message to fail to connect", live.Errors(), live.Err())
	}
}

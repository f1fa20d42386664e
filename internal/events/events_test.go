package events

import (
	"bytes"
	"encoding/json"
	"strings"
	"sync"
	"testing"
)

func TestRingRecent(t *testing.T) {
	tests := []struct {
		name  string
		size  int
		write int
		ask   int
		want  []string // request IDs, newest first
	}{
		{"empty", 3, 0, 10, []string{}},
		{"partial", 3, 2, 10, []string{"1", "0"}},
		{"wrapped", 3, 5, 10, []string{"4", "3", "2"}},
		{"limited", 3, 5, 2, []string{"4", "3"}},
		{"all", 3, 3, 0, []string{"2", "1", "0"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := NewRing(tt.size)
			for i := 0; i < tt.write; i++ {
				_ = r.Write(&Event{RequestID: string(rune('0' + i))})
			}
			got := []string{}
			for _, ev := range r.Recent(tt.ask) {
				got = append(got, ev.RequestID)
			}
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("Recent(%d) = %v, want %v", tt.ask, got, tt.want)
			}
		})
	}
}

// blockingSink holds every Write until release is closed.
type blockingSink struct {
	release chan struct{}
	mu      sync.Mutex
	n       int
}

func (s *blockingSink) Write(*Event) error {
	<-s.release
	s.mu.Lock()
	s.n++
	s.mu.Unlock()
	return nil
}

func TestBusNeverBlocks(t *testing.T) {
	s := &blockingSink{release: make(chan struct{})}
	drops := 0
	b := NewBus(func() { drops++ }, s)
	total := QueueLen + 100
	for i := 0; i < total; i++ {
		b.Emit(&Event{}) // must return although the sink is stuck
	}
	// One event may be held by the sink goroutine, the queue holds QueueLen.
	if got := int(b.Dropped()); got < total-QueueLen-1 || got > total-QueueLen {
		t.Errorf("dropped %d events, want about %d", got, total-QueueLen)
	}
	if drops != int(b.Dropped()) {
		t.Errorf("onDrop called %d times, Dropped() = %d", drops, b.Dropped())
	}
	close(s.release)
	b.Close()
	if s.n+int(b.Dropped()) != total {
		t.Errorf("written %d + dropped %d != emitted %d", s.n, b.Dropped(), total)
	}
	b.Emit(&Event{}) // after Close: discarded, no panic
}

func TestJSONLines(t *testing.T) {
	var buf bytes.Buffer
	b := NewBus(nil, NewJSONLines(&buf))
	b.Emit(&Event{RequestID: "a", Action: "block", Signals: []Signal{{Name: "SQLI", Source: "query", Param: "id"}}})
	b.Emit(&Event{RequestID: "b", Action: "log"})
	b.Close()
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("got %d lines, want 2:\n%s", len(lines), buf.String())
	}
	var ev Event
	if err := json.Unmarshal([]byte(lines[0]), &ev); err != nil {
		t.Fatal(err)
	}
	if ev.RequestID != "a" || ev.Action != "block" || len(ev.Signals) != 1 || ev.Signals[0].Param != "id" {
		t.Errorf("first line decoded to %+v", ev)
	}
}

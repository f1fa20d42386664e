package events

import "sync"

// Ring keeps the most recent events in memory, for the admin API.
type Ring struct {
	mu   sync.Mutex
	buf  []*Event
	next int
	full bool
}

// NewRing returns a ring holding the last n events (n >= 1).
func NewRing(n int) *Ring {
	if n < 1 {
		n = 1
	}
	return &Ring{buf: make([]*Event, n)}
}

// Write stores ev, overwriting the oldest event when the ring is full.
func (r *Ring) Write(ev *Event) error {
	r.mu.Lock()
	r.buf[r.next] = ev
	r.next++
	if r.next == len(r.buf) {
		r.next, r.full = 0, true
	}
	r.mu.Unlock()
	return nil
}

// Recent returns up to n events, newest first.
func (r *Ring) Recent(n int) []*Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	size := r.next
	if r.full {
		size = len(r.buf)
	}
	if n <= 0 || n > size {
		n = size
	}
	out := make([]*Event, 0, n)
	for i := 1; i <= n; i++ {
		out = append(out, r.buf[(r.next-i+len(r.buf))%len(r.buf)])
	}
	return out
}

package events

import (
	"encoding/json"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
)

// Sink receives events. Write is called from one goroutine per sink; it may block
// without slowing the proxy, because the Bus queues events for each sink.
type Sink interface {
	Write(ev *Event) error
}

// Bus fans events out to sinks. Emit never blocks: each sink has a bounded queue, and an
// event that finds its queue full is dropped and counted.
type Bus struct {
	sinks   []*queue
	dropped atomic.Uint64
	onDrop  func()
	wg      sync.WaitGroup
	closed  atomic.Bool
}

type queue struct {
	sink Sink
	ch   chan *Event
}

// QueueLen is the number of events each sink may have waiting.
const QueueLen = 4096

// NewBus starts a goroutine per sink. onDrop, if not nil, is called for each event
// dropped (for a metric).
func NewBus(onDrop func(), sinks ...Sink) *Bus {
	b := &Bus{onDrop: onDrop}
	for _, s := range sinks {
		q := &queue{sink: s, ch: make(chan *Event, QueueLen)}
		b.sinks = append(b.sinks, q)
		b.wg.Add(1)
		go func() {
			defer b.wg.Done()
			for ev := range q.ch {
				_ = q.sink.Write(ev) // a sink reports its own failures
			}
		}()
	}
	return b
}

// Emit queues ev for every sink. It is safe on a nil Bus and after Close (the event is
// then discarded).
func (b *Bus) Emit(ev *Event) {
	if b == nil || b.closed.Load() {
		return
	}
	for _, q := range b.sinks {
		select {
		case q.ch <- ev:
		default:
			b.dropped.Add(1)
			if b.onDrop != nil {
				b.onDrop()
			}
		}
	}
}

// Dropped returns how many events were dropped so far.
func (b *Bus) Dropped() uint64 { return b.dropped.Load() }

// Close stops accepting events and waits until every queued event was written.
func (b *Bus) Close() {
	if b == nil || b.closed.Swap(true) {
		return
	}
	for _, q := range b.sinks {
		close(q.ch)
	}
	b.wg.Wait()
}

// JSONLines writes each event as one JSON object per line.
type JSONLines struct {
	mu  sync.Mutex
	w   io.Writer
	enc *json.Encoder
}

// NewJSONLines returns a sink writing to w.
func NewJSONLines(w io.Writer) *JSONLines {
	return &JSONLines{w: w, enc: json.NewEncoder(w)}
}

// Write encodes ev as one line.
func (j *JSONLines) Write(ev *Event) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if err := j.enc.Encode(ev); err != nil {
		return fmt.Errorf("writing event: %w", err)
	}
	return nil
}

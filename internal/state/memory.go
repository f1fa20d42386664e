package state

import (
	"context"
	"hash/maphash"
	"net/netip"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// buckets is how many buckets a sliding window has (the ring holds one more: the
// oldest, partly inside the window).
const buckets = 20

// MemoryOptions configure NewMemory.
type MemoryOptions struct {
	// MaxKeys bounds the counters kept (default 1,000,000, about 150 MB at most). When
	// full, a new counter replaces an arbitrary one: a flood of distinct keys (random API
	// keys) cannot grow memory without bound.
	MaxKeys int
	// SweepEvery is how often idle counters and expired flags are dropped (default 1m).
	SweepEvery time.Duration
}

// Memory is the in-memory Store: one instance's counters and flags.
type Memory struct {
	seed     maphash.Seed
	shards   [64]shard
	perShard int

	fmu   sync.RWMutex
	flags map[netip.Addr]Flag

	closed atomic.Bool
	stop   chan struct{}
	done   chan struct{}
}

type shard struct {
	mu sync.Mutex
	m  map[Key]*window
}

// window is one sliding-window counter.
type window struct {
	width     int64 // bucket width, ns
	head      int64 // bucket number of the newest bucket
	counts    [buckets + 1]uint32
	overUntil int64 // ns; held over until then
}

// NewMemory starts an in-memory store and its sweeper; Close stops it.
func NewMemory(o MemoryOptions) *Memory {
	if o.MaxKeys <= 0 {
		o.MaxKeys = 1_000_000
	}
	if o.SweepEvery <= 0 {
		o.SweepEvery = time.Minute
	}
	m := &Memory{seed: maphash.MakeSeed(), flags: map[netip.Addr]Flag{}, stop: make(chan struct{}), done: make(chan struct{})}
	m.perShard = max(1, o.MaxKeys/len(m.shards))
	for i := range m.shards {
		m.shards[i].m = map[Key]*window{}
	}
	go m.sweeper(o.SweepEvery)
	return m
}

func (m *Memory) shardOf(k *Key) *shard {
	var h maphash.Hash
	h.SetSeed(m.seed)
	h.WriteString(k.Name)
	h.WriteString(k.Value)
	a := k.IP.As16()
	h.Write(a[:])
	return &m.shards[h.Sum64()%uint64(len(m.shards))]
}

// Apply implements Store.
func (m *Memory) Apply(_ context.Context, now time.Time, b *Batch) error {
	if m.closed.Load() {
		return ErrClosed
	}
	t := now.UnixNano()
	if b.IP.IsValid() {
		m.fmu.RLock()
		f, ok := m.flags[b.IP]
		m.fmu.RUnlock()
		if ok && now.Before(f.Until) {
			b.Flag = f
		}
	}
	for i := range b.Hits {
		h := &b.Hits[i]
		if h.FlagFor > 0 && b.Flag.Active() {
			continue // flagged already: no need to count towards a flag
		}
		s := m.shardOf(&h.Key)
		s.mu.Lock()
		w := s.m[h.Key]
		if w == nil || w.width != int64(h.Interval)/buckets {
			if w == nil && len(s.m) >= m.perShard {
				for k := range s.m { // evict an arbitrary counter
					delete(s.m, k)
					break
				}
			}
			w = &window{width: max(1, int64(h.Interval)/buckets)}
			k := h.Key
			k.Name, k.Value = strings.Clone(k.Name), strings.Clone(k.Value)
			s.m[k] = w
		}
		h.Count = w.add(t)
		if h.Count > h.Limit {
			if h.Hold > 0 {
				w.overUntil = t + int64(h.Hold)
			}
			h.Over = true
		} else if t < w.overUntil {
			h.Over = true
		}
		s.mu.Unlock()
		if h.Over && h.FlagFor > 0 && b.IP.IsValid() && !b.Flag.Active() {
			b.Flag = Flag{IP: b.IP, Since: now, Until: now.Add(h.FlagFor), Reason: h.Reason}
			b.NewFlag = true
			m.fmu.Lock()
			m.flags[b.IP] = b.Flag
			m.fmu.Unlock()
		}
	}
	return nil
}

// add counts one at t (ns) and returns the estimated count in the window ending at t.
func (w *window) add(t int64) int64 {
	b := t / w.width
	if b > w.head {
		gap := b - w.head
		if gap > buckets {
			gap = buckets + 1
		}
		for i := int64(1); i <= gap; i++ {
			w.counts[(w.head+i)%(buckets+1)] = 0
		}
		w.head = b
	}
	// A hit from the past (clocks of different requests race by a little) is counted
	// in the newest bucket.
	w.counts[w.head%(buckets+1)]++
	return w.estimate(t)
}

// estimate is the count in (t-interval, t]: the buckets wholly inside, plus the share of
// the oldest bucket still inside.
func (w *window) estimate(t int64) int64 {
	var sum int64
	for i := int64(0); i < buckets; i++ {
		sum += int64(w.counts[(w.head-i+buckets+1)%(buckets+1)])
	}
	oldest := int64(w.counts[(w.head+1)%(buckets+1)]) // head-buckets
	frac := t % w.width
	inside := oldest * (w.width - frac) / w.width
	return sum + inside
}

// idle reports whether the window holds nothing at t and is not held.
func (w *window) idle(t int64) bool {
	return t/w.width-w.head > buckets && t >= w.overUntil
}

// Flags implements Store.
func (m *Memory) Flags(_ context.Context, now time.Time) ([]Flag, error) {
	m.fmu.RLock()
	out := make([]Flag, 0, len(m.flags))
	for _, f := range m.flags {
		if now.Before(f.Until) {
			out = append(out, f)
		}
	}
	m.fmu.RUnlock()
	sort.Slice(out, func(i, j int) bool { return out[i].Since.Before(out[j].Since) })
	return out, nil
}

// SetFlag implements Store.
func (m *Memory) SetFlag(_ context.Context, f Flag) error {
	if !f.IP.IsValid() {
		return errInvalidIP
	}
	m.fmu.Lock()
	m.flags[f.IP] = f
	m.fmu.Unlock()
	return nil
}

// Unflag implements Store.
func (m *Memory) Unflag(_ context.Context, ip netip.Addr) (bool, error) {
	m.fmu.Lock()
	_, ok := m.flags[ip]
	delete(m.flags, ip)
	m.fmu.Unlock()
	// Threshold counters are keyed by the IP with no value: clear them, so the IP
	// starts afresh instead of being flagged again by its next attack.
	for i := range m.shards {
		s := &m.shards[i]
		s.mu.Lock()
		for k := range s.m {
			if k.IP == ip && k.Value == "" && strings.HasPrefix(k.Name, ThresholdPrefix) {
				delete(s.m, k)
			}
		}
		s.mu.Unlock()
	}
	return ok, nil
}

// ThresholdPrefix starts the names of the threshold counters.
const ThresholdPrefix = "threshold:"

// Close implements Store.
func (m *Memory) Close() error {
	if !m.closed.Swap(true) {
		close(m.stop)
		<-m.done
	}
	return nil
}

func (m *Memory) sweeper(every time.Duration) {
	defer close(m.done)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-m.stop:
			return
		case now := <-t.C:
			m.sweep(now)
		}
	}
}

// sweep drops idle counters and expired flags.
func (m *Memory) sweep(now time.Time) {
	t := now.UnixNano()
	for i := range m.shards {
		s := &m.shards[i]
		s.mu.Lock()
		for k, w := range s.m {
			if w.idle(t) {
				delete(s.m, k)
			}
		}
		s.mu.Unlock()
	}
	m.fmu.Lock()
	for ip, f := range m.flags {
		if !now.Before(f.Until) {
			delete(m.flags, ip)
		}
	}
	m.fmu.Unlock()
}

// Len returns the number of counters kept (for tests and metrics).
func (m *Memory) Len() int {
	n := 0
	for i := range m.shards {
		s := &m.shards[i]
		s.mu.Lock()
		n += len(s.m)
		s.mu.Unlock()
	}
	return n
}

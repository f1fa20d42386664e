package state

import (
	"context"
	"math"
	"net/netip"
	"testing"
	"time"
)

var ip1 = netip.MustParseAddr("192.0.2.1")

func TestSlidingWindowAccuracy(t *testing.T) {
	m := NewMemory(MemoryOptions{})
	defer m.Close()
	ctx := context.Background()
	start := time.Unix(1_700_000_000, 0)
	// 10 requests a second, steady, for 3 minutes; the window is 1 minute: the count
	// must stay within a few percent of 600 once the first minute has passed.
	var worst float64
	for i := 0; i < 1800; i++ {
		now := start.Add(time.Duration(i) * 100 * time.Millisecond)
		b := Batch{IP: ip1, Hits: []Hit{{Key: Key{Name: "rl", IP: ip1}, Interval: time.Minute, Limit: 1 << 40}}}
		if err := m.Apply(ctx, now, &b); err != nil {
			t.Fatal(err)
		}
		if i >= 600 {
			worst = math.Max(worst, math.Abs(float64(b.Hits[0].Count)-600)/600)
		}
	}
	if worst > 0.03 {
		t.Errorf("steady traffic: worst error %.1f%%, want <= 3%%", worst*100)
	}
}

// A burst at the end of one minute and another at the start of the next are 2x the
// limit within one minute: a fixed window lets both through, the sliding one must not.
func TestSlidingWindowBoundaryBurst(t *testing.T) {
	m := NewMemory(MemoryOptions{})
	defer m.Close()
	ctx := context.Background()
	start := time.Unix(1_700_000_040, 0) // :40 past a minute
	over := 0
	hit := func(now time.Time) {
		b := Batch{IP: ip1, Hits: []Hit{{Key: Key{Name: "rl", IP: ip1}, Interval: time.Minute, Limit: 100}}}
		_ = m.Apply(ctx, now, &b)
		if b.Hits[0].Over {
			over++
		}
	}
	for i := 0; i < 100; i++ {
		hit(start.Add(19*time.Second + time.Duration(i)*time.Millisecond)) // :59
	}
	if over != 0 {
		t.Fatalf("first 100 requests: %d over the limit of 100", over)
	}
	for i := 0; i < 100; i++ {
		hit(start.Add(21*time.Second + time.Duration(i)*time.Millisecond)) // :01 next minute
	}
	if over < 95 {
		t.Errorf("second burst of 100 within the same minute: only %d over the limit, want ~100", over)
	}
}

func TestHoldAndFlag(t *testing.T) {
	m := NewMemory(MemoryOptions{})
	defer m.Close()
	ctx := context.Background()
	now := time.Unix(1_700_000_000, 0)
	th := func(at time.Time) *Batch {
		b := &Batch{IP: ip1, Hits: []Hit{{Key: Key{Name: ThresholdPrefix + "1m", IP: ip1}, Interval: time.Minute, Limit: 3, FlagFor: time.Hour, Reason: "test"}}}
		if err := m.Apply(ctx, at, b); err != nil {
			t.Fatal(err)
		}
		return b
	}
	for i := 0; i < 3; i++ {
		if b := th(now); b.Flag.Active() {
			t.Fatalf("flagged after %d", i+1)
		}
	}
	b := th(now)
	if !b.NewFlag || !b.Flag.Active() || b.Flag.Until != now.Add(time.Hour) {
		t.Fatalf("4th attack: %+v", b)
	}
	if b := th(now.Add(time.Minute)); !b.Flag.Active() || b.NewFlag {
		t.Fatalf("still flagged, not new: %+v", b)
	}
	fl, _ := m.Flags(ctx, now)
	if len(fl) != 1 || fl[0].IP != ip1 {
		t.Fatalf("Flags = %+v", fl)
	}
	if ok, _ := m.Unflag(ctx, ip1); !ok {
		t.Fatal("Unflag: not flagged")
	}
	if b := th(now.Add(2 * time.Minute)); b.Flag.Active() {
		t.Fatal("flagged again right after Unflag: the counters were not cleared")
	}
	if b := th(now.Add(2 * time.Hour)); b.Flag.Active() {
		t.Fatal("flag did not expire")
	}
	// A held rate limit stays over for its hold, then recovers.
	rl := func(at time.Time) bool {
		b := &Batch{Hits: []Hit{{Key: Key{Name: "rl", Value: "k"}, Interval: 10 * time.Second, Limit: 1, Hold: time.Minute}}}
		_ = m.Apply(ctx, at, b)
		return b.Hits[0].Over
	}
	if rl(now) || !rl(now) {
		t.Fatal("second request within 10s should be over")
	}
	if !rl(now.Add(30 * time.Second)) {
		t.Fatal("held for a minute")
	}
	if rl(now.Add(3 * time.Minute)) {
		t.Fatal("hold should be over")
	}
}

func TestMaxKeys(t *testing.T) {
	m := NewMemory(MemoryOptions{MaxKeys: 640})
	defer m.Close()
	now := time.Unix(1_700_000_000, 0)
	for i := 0; i < 10000; i++ {
		b := &Batch{Hits: []Hit{{Key: Key{Name: "rl", Value: string(rune('a'+i%26)) + string(rune(i))}, Interval: time.Minute, Limit: 10}}}
		_ = m.Apply(context.Background(), now, b)
	}
	if n := m.Len(); n > 640 {
		t.Errorf("%d counters kept, want at most 640", n)
	}
	m.sweep(now.Add(2 * time.Minute))
	if n := m.Len(); n != 0 {
		t.Errorf("%d counters after a sweep past the window, want 0", n)
	}
}

func BenchmarkApply(b *testing.B) {
	m := NewMemory(MemoryOptions{})
	defer m.Close()
	ctx := context.Background()
	now := time.Now()
	batch := &Batch{Hits: make([]Hit, 0, 4)}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		batch.Reset(ip1)
		batch.Hits = append(batch.Hits, Hit{Key: Key{Name: "rl", IP: ip1}, Interval: time.Minute, Limit: 1 << 40})
		_ = m.Apply(ctx, now, batch)
	}
}

package state

import (
	"context"
	"math"
	"net/netip"
	"os"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
)

// newTestRedis returns a Redis store on an in-process server (miniredis), or on the
// real server at RAMPART_TEST_REDIS (a redis:// URL) when it is set.
func newTestRedis(t *testing.T) (*Redis, *miniredis.Miniredis) {
	t.Helper()
	url := os.Getenv("RAMPART_TEST_REDIS")
	var mr *miniredis.Miniredis
	if url == "" {
		mr = miniredis.RunT(t)
		url = "redis://" + mr.Addr()
	}
	r, err := NewRedis(context.Background(), RedisOptions{URL: url, Prefix: "rampart-test:" + t.Name() + ":", Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r, mr
}

func TestRedisSlidingWindow(t *testing.T) {
	r, _ := newTestRedis(t)
	ctx := context.Background()
	start := time.Unix(1_700_000_000, 0)
	var worst float64
	for i := 0; i < 900; i++ { // 5 a second for 3 minutes
		now := start.Add(time.Duration(i) * 200 * time.Millisecond)
		b := Batch{Hits: []Hit{{Key: Key{Name: "rl", IP: ip1}, Interval: time.Minute, Limit: 1 << 40}}}
		if err := r.Apply(ctx, now, &b); err != nil {
			t.Fatal(err)
		}
		if i >= 300 {
			worst = math.Max(worst, math.Abs(float64(b.Hits[0].Count)-300)/300)
		}
	}
	if worst > 0.03 {
		t.Errorf("steady traffic: worst error %.1f%%, want <= 3%%", worst*100)
	}
}

func TestRedisHoldAndFlag(t *testing.T) {
	r, mr := newTestRedis(t)
	ctx := context.Background()
	now := time.Now()
	th := func(at time.Time) *Batch {
		b := &Batch{IP: ip1, Hits: []Hit{{Key: Key{Name: ThresholdPrefix + "1m", IP: ip1}, Interval: time.Minute, Limit: 3, FlagFor: time.Hour, Reason: "too many"}}}
		if err := r.Apply(ctx, at, b); err != nil {
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
	if !b.NewFlag || !b.Flag.Active() || b.Flag.Reason != "too many" || b.Flag.Until.Sub(b.Flag.Since) != time.Hour {
		t.Fatalf("4th attack: %+v", b)
	}
	if b := th(now); !b.Flag.Active() || b.NewFlag || b.Hits[0].Count != 0 {
		t.Fatalf("still flagged, not new, not counted: %+v", b)
	}
	// Another instance (same server) sees the flag on a plain request.
	other := &Batch{IP: ip1}
	if err := r.Apply(ctx, now, other); err != nil || !other.Flag.Active() {
		t.Fatalf("plain request from a flagged IP: %+v %v", other, err)
	}
	flags, err := r.Flags(ctx, now)
	if err != nil || len(flags) != 1 || flags[0].IP != ip1 {
		t.Fatalf("Flags = %+v, %v", flags, err)
	}
	if ok, err := r.Unflag(ctx, ip1); !ok || err != nil {
		t.Fatalf("Unflag: %v %v", ok, err)
	}
	if b := th(now); b.Flag.Active() {
		t.Fatal("flagged again right after Unflag: the counters were not cleared")
	}
	// Set by hand; expires with its key.
	ip2 := netip.MustParseAddr("2001:db8::7")
	if err := r.SetFlag(ctx, Flag{IP: ip2, Since: now, Until: now.Add(time.Minute), Reason: "admin"}); err != nil {
		t.Fatal(err)
	}
	b2 := &Batch{IP: ip2}
	if err := r.Apply(ctx, now, b2); err != nil || !b2.Flag.Active() || b2.Flag.Reason != "admin" {
		t.Fatalf("flag set by hand: %+v %v", b2, err)
	}
	if mr != nil {
		mr.FastForward(2 * time.Minute)
		b3 := &Batch{IP: ip2}
		if err := r.Apply(ctx, now, b3); err != nil || b3.Flag.Active() {
			t.Fatalf("flag should have expired: %+v %v", b3, err)
		}
	}
	// A held rate limit, keyed by a header value.
	rl := func(at time.Time) bool {
		b := &Batch{Hits: []Hit{{Key: Key{Name: "rl", Value: "key-1"}, Interval: 10 * time.Second, Limit: 1, Hold: time.Minute}}}
		if err := r.Apply(ctx, at, b); err != nil {
			t.Fatal(err)
		}
		return b.Hits[0].Over
	}
	if rl(now) || !rl(now) {
		t.Fatal("second request within 10s should be over")
	}
	if !rl(now.Add(30 * time.Second)) {
		t.Fatal("held for a minute")
	}
}

func TestRedisDown(t *testing.T) {
	mr := miniredis.RunT(t)
	r, err := NewRedis(context.Background(), RedisOptions{URL: "redis://" + mr.Addr(), Timeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	mr.Close()
	b := &Batch{IP: ip1}
	if err := r.Apply(context.Background(), time.Now(), b); err == nil {
		t.Fatal("Apply on a stopped server: no error")
	}
}

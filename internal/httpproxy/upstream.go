package httpproxy

import (
	"net/url"
	"sync"
	"sync/atomic"
	"time"
)

// Passive health: an upstream that fails this many times in a row is held out of the
// rotation for a while, doubling up to maxHoldOut while it keeps failing.
const (
	failuresToHoldOut = 3
	firstHoldOut      = 2 * time.Second
	maxHoldOut        = 30 * time.Second
)

// upstream is one backend with its passive health state. The state lives in the
// Proxy, keyed by URL, so it survives config reloads.
type upstream struct {
	url *url.URL
	key string

	mu        sync.Mutex
	failures  int
	holdOut   time.Duration
	downUntil time.Time
}

// healthy reports whether the upstream is in the rotation at now.
func (u *upstream) healthy(now time.Time) bool {
	u.mu.Lock()
	defer u.mu.Unlock()
	return !now.Before(u.downUntil)
}

// fail records a failed attempt and reports whether the upstream just left the rotation.
func (u *upstream) fail(now time.Time) bool {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.failures++
	if u.failures < failuresToHoldOut {
		return false
	}
	if u.holdOut == 0 {
		u.holdOut = firstHoldOut
	} else {
		u.holdOut = min(2*u.holdOut, maxHoldOut)
	}
	u.downUntil = now.Add(u.holdOut)
	u.failures = 0
	return true
}

// succeed records a good answer; it reports whether the upstream was out of rotation.
func (u *upstream) succeed() bool {
	u.mu.Lock()
	defer u.mu.Unlock()
	was := u.holdOut != 0
	u.failures, u.holdOut, u.downUntil = 0, 0, time.Time{}
	return was
}

// balancer picks upstreams round robin, skipping those held out; when every upstream is
// held out it still picks one (the one whose hold-out ends first), since refusing all
// traffic would turn a transient outage into a certain one.
type balancer struct {
	ups  []*upstream
	next atomic.Uint64
}

// pick returns the next upstream to try, avoiding those in tried when it can.
func (b *balancer) pick(now time.Time, tried []*upstream) *upstream {
	n := len(b.ups)
	start := int(b.next.Add(1)-1) % n
	var fallback *upstream
	for i := 0; i < n; i++ {
		u := b.ups[(start+i)%n]
		if contains(tried, u) {
			continue
		}
		if u.healthy(now) {
			return u
		}
		if fallback == nil || u.downUntilTime().Before(fallback.downUntilTime()) {
			fallback = u
		}
	}
	if fallback != nil {
		return fallback
	}
	return b.ups[start]
}

func (u *upstream) downUntilTime() time.Time {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.downUntil
}

func contains(list []*upstream, u *upstream) bool {
	for _, x := range list {
		if x == u {
			return true
		}
	}
	return false
}

// upstreamSet keeps one *upstream per URL for the life of the Proxy.
type upstreamSet struct {
	mu  sync.Mutex
	all map[string]*upstream
}

// get returns the upstreams for urls, reusing the health state of ones already known.
func (s *upstreamSet) get(urls []*url.URL) []*upstream {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.all == nil {
		s.all = map[string]*upstream{}
	}
	out := make([]*upstream, 0, len(urls))
	for _, u := range urls {
		key := u.String()
		up, ok := s.all[key]
		if !ok {
			up = &upstream{url: u, key: key}
			s.all[key] = up
		}
		out = append(out, up)
	}
	return out
}

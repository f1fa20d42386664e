package state

import (
	"context"
	"errors"
	"net/netip"
	"time"
)

// ErrClosed is returned by a store used after Close.
var ErrClosed = errors.New("state store closed")

// Store keeps counters and IP flags. Implementations are safe for concurrent use.
type Store interface {
	// Apply runs one request's state operations at now: it looks up b.IP's flag and
	// adds one to each of b.Hits, filling in their counts and whether they are over
	// their limit; a hit with FlagFor that goes over flags b.IP. A remote store does it
	// in one round trip.
	Apply(ctx context.Context, now time.Time, b *Batch) error
	// Flags returns the flags in force at now.
	Flags(ctx context.Context, now time.Time) ([]Flag, error)
	// SetFlag flags an IP (or replaces its flag).
	SetFlag(ctx context.Context, f Flag) error
	// Unflag lifts an IP's flag and reports whether it had one. It also clears the
	// threshold counters of the IP, so it starts afresh.
	Unflag(ctx context.Context, ip netip.Addr) (bool, error)
	// Close releases the store.
	Close() error
}

// Key names a counter: what is counted (a rate limit's ID, a threshold) and for whom
// (an IP, or the value of a header, cookie or parameter).
type Key struct {
	Name  string
	IP    netip.Addr
	Value string
}

// Hit adds one to a counter.
type Hit struct {
	Key      Key
	Interval time.Duration // the sliding window
	// Limit: the counter is over when more than Limit were counted in the window.
	Limit int64
	// Hold: once over, the counter stays over this long (a rate limit's duration),
	// even if the count falls back.
	Hold time.Duration
	// FlagFor, when more than 0: going over flags the batch's IP for this long, with
	// Reason.
	FlagFor time.Duration
	Reason  string

	// Filled in by Apply.
	Count int64 // requests in the window, this one included
	Over  bool  // over the limit, or held
}

// Batch is one request's state operations.
type Batch struct {
	IP   netip.Addr
	Hits []Hit

	// Filled in by Apply.
	Flag    Flag // IP's flag; Flag.Active() is false when there is none
	NewFlag bool // this batch flagged the IP
}

// Reset prepares b for another request, keeping the capacity of Hits.
func (b *Batch) Reset(ip netip.Addr) {
	b.IP = ip
	b.Hits = b.Hits[:0]
	b.Flag = Flag{}
	b.NewFlag = false
}

// Flag says an IP is blocked until a time.
type Flag struct {
	IP     netip.Addr `json:"ip"`
	Since  time.Time  `json:"since"`
	Until  time.Time  `json:"until"`
	Reason string     `json:"reason"`
}

// Active reports whether the flag is set (a zero Flag is not).
func (f Flag) Active() bool { return f.IP.IsValid() }

var errInvalidIP = errors.New("state: flag without a valid IP")

// Package state keeps what Rampart remembers across requests: sliding-window counters
// (rate limits and attack thresholds) and IP flags with an expiry, behind the Store
// interface.
//
// The engine makes at most one call to the store per request or WebSocket message:
// Apply, with a Batch holding the client IP (whose flag is looked up) and every counter
// the request adds to. A remote store (Redis) runs a Batch as one round trip; the
// in-memory store (NewMemory) serves one instance. Flags are listed, set and lifted
// through the admin API with Flags, SetFlag and Unflag.
//
// Counting uses a sliding window of 20 buckets: the count is the buckets wholly inside
// the window plus the share of the oldest bucket still inside it, as if that bucket's
// requests were spread evenly. The error is at most that one bucket's count (a twentieth
// of the window's traffic when it is steady, and in practice much less), never the 2x
// of fixed windows at their boundary.
package state

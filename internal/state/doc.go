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
// Counting uses a sliding window of 20 buckets: the count is the buckets fully inside
// the window plus the share of the oldest bucket still inside it, so it is off by at
// most a twentieth of one bucket's worth of traffic on even traffic, and never the 2x
// of fixed windows at their boundary.
package state

// Package engine judges Requests: Inspect parses a Request, runs the detectors, applies
// rules and limits, and returns a Verdict. It is the one inspection path shared by the
// HTTP proxy, the WebSocket relay and `rampart replay`, and it knows nothing of wire
// formats.
//
// Build an Engine with New from Options; an Engine is immutable and safe for concurrent
// use, so a config reload builds a new one and swaps it in.
package engine

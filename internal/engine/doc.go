// Package engine judges Requests: Inspect parses a Request, runs the detectors, applies
// the rules, rate limits and thresholds (decide.go), and returns a Verdict. It is the one
// inspection path shared by the HTTP proxy, the WebSocket relay and `rampart replay`,
// and it knows nothing of wire formats. InspectResponse runs the rules that test
// response.status once the upstream answered an HTTP request.
//
// Build an Engine with New from Options; an Engine is immutable and safe for concurrent
// use, so a config reload builds a new one and swaps it in. The state store of
// Options.State (counters and IP flags) outlives engines: the caller keeps one for the
// life of the process.
package engine

// Package rules is Rampart's rule language: conditions on request fields grouped with
// all/any/not, actions (block, allow, tag, exclude, log, rateLimit), named lists (ip,
// string, wildcard, regex), rate limits and the thresholds that flag attacking IPs.
//
// The config package reads the YAML into a Spec, with the place of every part; Compile
// checks it (unknown fields, operators, lists and signals, values of the wrong type,
// regular expressions that do not compile, conditions that can never all hold) and
// returns an immutable Policy, or every Problem with its FILE:LINE:COL; it also decides
// when each rule runs from the tags it tests (tags.go), and reports a test on a tag the
// rule could never see. The engine calls Policy.Run once per request or WebSocket
// message: exclusions first, then the other rules in order; Run does no I/O and does not
// allocate. Rate limits and thresholds are counted by the engine in a state.Store; then
// Policy.RunLate runs the rules that test the tags rate limits add.
//
// The user's reference is docs/rules.md.
package rules

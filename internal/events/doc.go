// Package events holds the Event record Rampart writes when it blocks, logs or tags
// traffic, and the sinks that carry events away: a JSON-lines writer and an in-memory
// ring of recent events for the admin API. Sinks never block the request path: an event
// that finds no room is dropped and counted.
//
// Build a Bus with NewBus, give it sinks, and call Emit from the proxies.
package events

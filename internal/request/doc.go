// Package request holds the Request model: the one shape every input takes before it is
// judged. An HTTP request, a WebSocket handshake, one WebSocket message and a line of a
// replay corpus all become a *Request; parsers fill its Params, detectors and rules append
// Signals to it, and the engine turns those into a verdict.
//
// The package parses nothing off the wire and decides nothing. Start with Request and
// Param; Source says where a parameter came from.
package request

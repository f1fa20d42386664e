// Package wsproxy relays WebSocket connections and has every client message judged
// before it reaches the upstream.
//
// The HTTP front (httpproxy) judges the upgrade request like any request; when it is
// allowed and IsUpgrade says it is a WebSocket upgrade, it calls Proxy.ServeUpgrade with
// the judged handshake and the chosen upstream. ServeUpgrade dials the upstream,
// forwards the upgrade (the client's key, subprotocols and permessage-deflate offer,
// end to end), relays the upstream's 101 byte for byte and starts the relay.
//
// # Relay
//
// Two pumps per connection read frames and check them against RFC 6455: masking,
// reserved bits, opcodes, control frames (at most 125 bytes, never fragmented, allowed
// between fragments), continuation order, close codes and reasons, UTF-8 of text
// messages. Frames are forwarded as the exact bytes received.
//
// Client to upstream, when inspection is on, every message is judged by the Inspector
// (an engine) as a *request.Request carrying the handshake's fields and the message
// (Protocol websocket, ConnID, Opcode, MessageIndex, Message). The frames of a text
// message (and, with Settings.InspectBinary, of a binary one) are held until the
// message is whole, then judged with its payload. Allowed, its frames go out unchanged,
// with the same fragmentation. Blocked, the client gets close 1008 (policy violation),
// the upstream close 1001 (going away), and Options.OnMessage sees the event. In log
// mode the engine allows with signals: the message is forwarded and the event recorded.
//
// A binary message whose payload is not inspected (InspectBinary off, or not UTF-8) is
// still judged, without its payload (request.FlagMessageSkipped: Message nil, no
// detector runs): rules on its fields (ws.opcode, ws.message_index, the handshake's),
// rate limits and flagged IPs apply to it as to text. Unless it is held anyway (with
// InspectBinary, or compressed with context takeover: see below), it is judged at its
// first frame, before any of it is relayed, then streamed.
//
// Upstream to client, frames are streamed as they arrive, never held whole.
//
// # Limits
//
// A client message over Settings.MessageBytes (limits.ws_message_bytes) is caught from
// its frame headers, before the payload that crosses the limit is read: the length read
// from the wire is compared with the limit before any memory is taken. A held message's
// frames may also take at most the limit plus a quarter and 16 KiB on the wire, which
// caps fragmentation. A compressed message Rampart inflates is over the limit when its
// inflated size is.
//
// With inspection on, a message over the limit is judged without its payload, flagged
// request.FlagMessageTooLarge, and the engine decides as limits.on_exceed and the mode
// say, as for an HTTP body: blocked (on_exceed: block, in block mode), the client gets
// close 1009 "message too big" and the upstream 1001; passed on (on_exceed: pass, or
// log mode), the event records OVERSIZE and the frames held so far go out as received,
// the rest of the message is streamed, uninspected, never buffered past the limit. A
// rule, rate limit or flag that blocks it closes with 1008. A streamed binary message
// that a later fragment takes over the limit is judged a second time then (rate limits
// count it twice). With inspection off (websocket.inspect: false, or mode off) no
// engine judges messages and Rampart relays them as a plain proxy would: the limit only
// bounds what it holds, and a message over it is passed on the same way, unrecorded.
//
// # permessage-deflate
//
// When the upstream accepts the client's permessage-deflate offer (RFC 7692), the
// relay inflates a copy of compressed client messages for inspection, with the
// negotiated context takeover and window (the last 2^client_max_window_bits inflated
// bytes are the next message's dictionary), and forwards the original frames. With
// context takeover every compressed client message is held and inflated, inspected or
// not, inspection off included: the history must follow the whole stream for a reload
// that turns inspection on to cover the next message at once. That costs the CPU of
// inflating each message (with inspection off, a message over the limit is streamed
// and inflated as it goes) and, while a message is in flight, its buffers. Without context
// takeover only inspected messages and text messages are inflated: a compressed text
// message is always inflated to check that it is UTF-8 (1007 if not), as an
// uncompressed one is checked as it streams.
//
// Inflation stops at the message limit, so a bomb costs at most the limit in memory.
// A message passed on over the limit is inflated to its end, its output discarded
// (only the history is kept), so that the next message is inflated right: that costs
// the CPU of inflating all of it, up to about a thousand times its compressed size.
// One over the limit on the wire is inflated as it streams, on a goroutine that lives
// as long as the message. Compressed upstream messages are streamed without inflating
// them, so their UTF-8 is left to the client to check.
//
// # Failures
//
// A protocol violation by the client gets it close 1002 (1007 for bad UTF-8 or bad
// compressed data) and its TCP connection closed; the upstream gets 1001. A violation by
// the upstream gets it 1002 or 1007, and the client 1011. Shutdown sends 1001 both
// ways and waits for the close handshakes.
//
// # Memory
//
// An idle connection holds no buffer and, on Linux, no goroutine. A pump reads with the
// socket's RawConn: it waits for data without a buffer and takes a 16 KiB one from a
// pool only to read, giving it back as soon as everything read was relayed (a partial
// frame keeps it until the rest arrives, or until the janitor reclaims it after
// Options.IdleRelease). The buffers of a held message (its frames, its payload, its
// inflated copy) come from pools too and go back as soon as the message was relayed.
// A pump that has waited IdleRelease for its peer parks (park_linux.go): its goroutine
// returns and one shared epoll instance watches its socket, so an idle connection costs
// its state and two sockets. A read deadline set on a parked side (close handshakes) or
// closing it wakes the pump first. Connections with permessage-deflate and context
// takeover keep their inflation history between messages, as any receiver of such a
// stream must: at most 2^client_max_window_bits bytes (32 KiB at most), growing with
// the stream up to that.
//
// Measured with rampart-load idle (5,000 connections, after the runtime's periodic
// collection): about 8 KiB of proxy RSS per idle connection.
package wsproxy

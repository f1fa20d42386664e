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
// Client to upstream, when inspection is on, the frames of a message are held until the
// message is whole; it is then judged by the Inspector (an engine) as a
// *request.Request carrying the handshake's fields and the message (Protocol websocket,
// ConnID, Opcode, MessageIndex, Message). Allowed, its frames go out unchanged, with the
// same fragmentation. Blocked, the client gets close 1008 (policy violation), the
// upstream close 1001 (going away), and Options.OnMessage sees the event. In log mode
// the engine allows with signals: the message is forwarded and the event recorded.
//
// Upstream to client, frames are streamed as they arrive, never held whole.
//
// # Limits
//
// A client message over Settings.MessageBytes is refused from its frame headers, before
// any payload is read or buffered: close 1009 to the client, 1001 to the upstream. A
// held message's frames may take at most the limit plus a quarter and 16 KiB on the
// wire, which caps fragmentation. The length read from the wire is compared with the
// limit before any memory is taken.
//
// # permessage-deflate
//
// When the upstream accepts the client's permessage-deflate offer (RFC 7692), the
// relay inflates a copy of each compressed client message for inspection, with the
// negotiated context takeover and window (the last 2^client_max_window_bits inflated
// bytes are the next message's dictionary), and forwards the original frames.
// Inflation stops at the message limit: a bomb is judged with request.FlagMessageTooLarge
// set, which the engine turns into OVERSIZE and a block (close 1009: the client is told
// its message was too big) or, with limits.on_exceed: pass, a pass. Compressed
// upstream messages are streamed without inflating them, so their UTF-8 is left to
// the client to check.
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
// Options.IdleRelease). A pump that has waited IdleRelease for its peer parks
// (park_linux.go): its goroutine returns and one shared epoll instance watches its
// socket, so an idle connection costs its state and two sockets. A read deadline set
// on a parked side (close handshakes) or closing it wakes the pump first. Connections
// with permessage-deflate and context takeover keep up to 32 KiB of inflation history,
// as any receiver of such a stream must.
//
// Measured with rampart-load idle (5,000 connections, after the runtime's periodic
// collection): about 8 KiB of proxy RSS per idle connection.
package wsproxy

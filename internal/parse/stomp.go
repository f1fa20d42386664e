package parse

import (
	"strings"

	"github.com/rampartwaf/rampart/internal/request"
)

// STOMP frames in WebSocket messages (Spring's WebSocket message broker, RabbitMQ Web
// STOMP, ActiveMQ).
//
// A client frame is a command line (SEND, SUBSCRIBE...), header lines "name:value", an
// empty line, then a body closed by a NUL byte (STOMP 1.2; lines end with LF or CRLF):
//
//	SEND
//	destination:/app/chat
//	content-type:application/json
//
//	{"text":"hi"}\x00
//
// Each header is a parameter named by the header ("destination"), its value with the
// STOMP escapes (\n \r \c \\) decoded; the body is parsed as a message is: JSON flattened,
// anything else one value named "". The NUL that closes the frame is framing, not data,
// so it raises no NULLBYTE. A message that is not exactly one well-formed client frame
// (line breaks after it aside) is left to the caller, which judges it as text.

// stompCommands are the frames a STOMP client sends.
var stompCommands = [...]string{"SEND", "SUBSCRIBE", "UNSUBSCRIBE", "ACK", "NACK", "BEGIN", "COMMIT", "ABORT", "DISCONNECT", "CONNECT", "STOMP"}

// stomp parses s as one STOMP client frame and reports whether it was one; when it was
// not, it took nothing.
func (p *parser) stomp(s string) bool {
	s = strings.TrimLeft(s, "\r\n") // heart-beats before the frame
	cmd, rest, ok := stompLine(s)
	if !ok || !isStompCommand(cmd) {
		return false
	}
	// The header block ends at the first empty line.
	headers := rest
	for {
		var line string
		if line, rest, ok = stompLine(rest); !ok {
			return false
		}
		if line == "" {
			break
		}
		if name, _, found := strings.Cut(line, ":"); !found || name == "" {
			return false
		}
	}
	headers = headers[:len(headers)-len(rest)]
	nul := strings.IndexByte(rest, 0)
	if nul < 0 || strings.Trim(rest[nul+1:], "\r\n") != "" {
		return false // no end, or a second frame: judged as text
	}
	body := rest[:nul]
	// CONNECT and STOMP frames do not escape their headers (STOMP 1.2).
	escaped := cmd != "CONNECT" && cmd != "STOMP"
	return p.try(func() bool {
		for h := headers; ; {
			var line string
			if line, h, _ = stompLine(h); line == "" {
				break
			}
			name, value, _ := strings.Cut(line, ":")
			if !p.stompHeader(name, value, escaped) {
				return true // stopped at a limit
			}
		}
		switch c := firstByte(body); {
		case c == '{' || c == '[':
			p.jsonOrText(body, request.SourceMessage, request.SourceMessage)
		default:
			p.text(body, request.SourceMessage)
		}
		return true
	})
}

// stompLine cuts the line at the start of s, LF or CRLF ended; ok is false when s has
// no line end.
func stompLine(s string) (line, rest string, ok bool) {
	i := strings.IndexByte(s, '\n')
	if i < 0 {
		return "", s, false
	}
	return strings.TrimSuffix(s[:i], "\r"), s[i+1:], true
}

func isStompCommand(s string) bool {
	for _, c := range stompCommands {
		if s == c {
			return true
		}
	}
	return false
}

// stompHeader emits one header: name, and value with its escapes decoded when escaped.
// A name that is not a plain name is also taken as a Key parameter, as JSON keys are.
func (p *parser) stompHeader(name, value string, escaped bool) bool {
	n := direct(name)
	if !plainName(name) && !p.emit(request.SourceMessage, n, n, true) {
		return false
	}
	v := direct(value)
	if escaped && strings.IndexByte(value, '\\') >= 0 {
		off := len(p.arena)
		for i := 0; i < len(value); i++ {
			c := value[i]
			if c == '\\' && i+1 < len(value) {
				switch value[i+1] {
				case 'n':
					c, i = '\n', i+1
				case 'r':
					c, i = '\r', i+1
				case 'c':
					c, i = ':', i+1
				case '\\':
					i++
				}
			}
			p.arena = append(p.arena, c)
		}
		v = p.arenaText(off)
	}
	return p.emit(request.SourceMessage, n, v, false)
}

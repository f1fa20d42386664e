package wsproxy

import (
	"net/netip"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/rampartwaf/rampart/internal/engine"
	"github.com/rampartwaf/rampart/internal/request"
)

// ConnInfo describes a proxied connection. It does not change once OnOpen was called.
type ConnInfo struct {
	ID          string // the connection's ID (ConnID of its messages)
	RequestID   string // the handshake's request ID
	IP          netip.Addr
	Host, Path  string
	Subprotocol string // Sec-WebSocket-Protocol the upstream chose
	Extensions  string // Sec-WebSocket-Extensions the upstream accepted
	Started     time.Time
}

// Who says which side ended a connection.
type Who uint8

// Who closed.
const (
	ByClient   Who = iota // the client sent a close frame or closed TCP
	ByUpstream            // the upstream did
	ByRampart             // Rampart did: block, protocol violation, limit, shutdown
)

// String returns "client", "upstream" or "rampart".
func (w Who) String() string {
	return [...]string{"client", "upstream", "rampart"}[w]
}

// CloseInfo says how a connection ended.
type CloseInfo struct {
	By     Who
	Code   uint16 // the close code that ended it (CloseAbnormal when TCP just closed)
	Reason string
	// Err is the protocol violation, limit or I/O error behind a close by Rampart or an
	// abnormal end; nil for a clean close handshake.
	Err error
	// Messages is the number of client messages relayed or judged.
	Messages int
	Duration time.Duration
}

// MessageEvent is the outcome of judging one client message.
type MessageEvent struct {
	ConnID       string
	RequestID    string
	MessageIndex int // 1-based
	Opcode       Opcode
	// Size is the message's payload size (inflated) as far as known when it was judged:
	// a message judged at its first frame, or once over the limit, may be longer.
	Size       int
	Compressed bool // the message crossed permessage-deflate compressed
	// Blocked is true when the message was not forwarded; CloseCode is then what the
	// client got: 1008 for a block on signals, rules, rate limits or a flag, 1009 for a
	// size limit.
	Blocked   bool
	CloseCode uint16
	// Verdict is the inspector's answer (Signals alias Request.Signals). With inspection
	// off, a message over the limit gets a Verdict of Rampart's own: Block, Reason
	// ReasonLimit, the OVERSIZE signal.
	Verdict engine.Verdict
	// Request is the message as judged. Valid only during the callback.
	Request *request.Request
	Took    time.Duration // time spent in the inspector
}

var reqPool = sync.Pool{New: func() any { return new(request.Request) }}

// messageRequest fills a pooled Request for one client message from the connection's
// handshake: same ID, client, host and path, the handshake's query, cookie and header
// parameters, and the message itself left for the engine to parse. Without body, the
// message is judged without its payload: Message nil, FlagMessageSkipped set, nothing
// left to parse.
func (c *conn) messageRequest(op Opcode, index int, msg []byte, body bool) *request.Request {
	r := reqPool.Get().(*request.Request)
	hs := c.hs
	r.ID = hs.ID
	r.Protocol = request.ProtocolWebSocket
	r.Method, r.Scheme, r.Host, r.URI, r.Path, r.RawQuery, r.Proto = hs.Method, hs.Scheme, hs.Host, hs.URI, hs.Path, hs.RawQuery, hs.Proto
	r.IP, r.UserAgent, r.Country = hs.IP, hs.UserAgent, hs.Country
	r.Headers = append(r.Headers, hs.Headers...)
	r.Params = append(r.Params, c.params...)
	r.ConnID = c.id
	r.Opcode = uint8(op)
	r.MessageIndex = index
	if body {
		if msg == nil {
			msg = noPayload // an empty message is a message (nil would read as an HTTP request)
		}
		r.Message = msg
		r.Parsed = false
	} else {
		r.Message = nil
		r.Parsed = true
		r.Flags |= request.FlagMessageSkipped
	}
	return r
}

var noPayload = []byte{}

func putRequest(r *request.Request) {
	r.Reset()
	reqPool.Put(r)
}

// handshakeParams keeps the handshake parameters that message Requests carry too.
func handshakeParams(hs *request.Request) []request.Param {
	var out []request.Param
	for _, p := range hs.Params {
		switch p.Source {
		case request.SourceQuery, request.SourceCookie, request.SourceHeader:
			out = append(out, p)
		}
	}
	return out
}

// judgement is what the relay does with a client message.
type judgement struct {
	block bool
	code  uint16 // close code for the client when blocked
}

// judge inflates (when compressed), validates and judges one held client message whose
// unmasked payload is msg. It returns an error for a protocol violation (invalid UTF-8
// or compressed data), which fails the connection.
//
// A compressed message is inflated into p.infl when its payload is inspected, and only
// measured (for the history) when it is not. One that inflates past the limit is
// judged without its payload, flagged too large; passed on, it is inflated to its end,
// its output discarded, so that the history stays right.
func (p *pump) judge(op Opcode, compressed bool, msg []byte, s *Settings) (judgement, error) {
	c := p.c
	limit := int(s.MessageBytes)
	body := s.inspects(op)
	data, size, over := msg, len(msg), false
	if compressed {
		c.infl.textCheck(op == OpText)
		var dst *msgBuf
		if body {
			dst = &p.infl
		}
		var err error
		size, over, err = c.infl.inflate(dst, msg, limit)
		if err != nil {
			return judgement{}, err
		}
		data = p.infl.b
	}
	if !s.judges() {
		// Held only for the history and the UTF-8 check: inspection is off, so a
		// message over the limit is passed on like any other (its rest inflated for
		// the history and the check, its output never held).
		if over {
			if err := c.infl.rest(); err != nil {
				return judgement{}, err
			}
		}
		return judgement{}, nil
	}
	if over {
		body = false
	} else if body {
		// Compressed text was checked as it inflated (textCheck); the rest is scanned.
		valid := compressed && op == OpText || utf8.Valid(data)
		if op == OpText && !valid {
			return judgement{}, ErrInvalidUTF8
		}
		body = valid // binary that is not text: judged without it
	}
	j := p.verdict(op, compressed, data, body, over, int64(size), s)
	if over {
		if j.block {
			c.infl.drop()
		} else if err := c.infl.rest(); err != nil {
			return judgement{}, err
		}
	}
	return j, nil
}

// verdict has the Inspector judge the current client message: with its payload msg
// when body is set, else without it (over: because it is over the limit). size is the
// message's payload size as far as known, for the event.
func (p *pump) verdict(op Opcode, compressed bool, msg []byte, body, over bool, size int64, s *Settings) judgement {
	c := p.c
	r := c.messageRequest(op, c.msgIndex, msg, body)
	if over {
		r.Flags |= request.FlagMessageTooLarge
	}
	var start time.Time
	if c.p.opts.OnMessage != nil {
		start = time.Now()
	}
	v := s.Inspector.Inspect(c.ctx, r)
	j := judgement{block: v.Blocked()}
	if j.block {
		j.code = ClosePolicyViolation
		if v.Reason == engine.ReasonLimit {
			j.code = CloseMessageTooBig
		}
	}
	if f := c.p.opts.OnMessage; f != nil {
		f(MessageEvent{
			ConnID: c.id, RequestID: c.hs.ID, MessageIndex: c.msgIndex, Opcode: op,
			Size: int(min(size, 1<<62)), Compressed: compressed, Blocked: j.block, CloseCode: j.code,
			Verdict: v, Request: r, Took: time.Since(start),
		})
	}
	putRequest(r)
	return j
}

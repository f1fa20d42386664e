package wsproxy

import (
	"net/netip"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/rampartwaf/rampart/internal/detect"
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
	Size         int  // payload bytes judged (after inflation)
	Compressed   bool // the message crossed permessage-deflate compressed
	// Blocked is true when the message was not forwarded; CloseCode is then what the
	// client got: 1008 for a block on signals or rules, 1009 for a size limit.
	Blocked   bool
	CloseCode uint16
	// Verdict is the inspector's answer (Signals alias Request.Signals). A message over
	// the limit before any inspection has a Verdict with Reason ReasonLimit and the
	// OVERSIZE signal.
	Verdict engine.Verdict
	// Request is the message as judged. Valid only during the callback.
	Request *request.Request
	Took    time.Duration // time spent in the inspector
}

var reqPool = sync.Pool{New: func() any { return new(request.Request) }}

// messageRequest fills a pooled Request for one client message from the connection's
// handshake: same ID, client, host and path, the handshake's query, cookie and header
// parameters, and the message itself left for the engine to parse.
func (c *conn) messageRequest(op Opcode, index int, msg []byte) *request.Request {
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
	r.Message = msg
	r.Parsed = false
	return r
}

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

// judgement is what the relay does with a held message.
type judgement struct {
	block bool
	code  uint16 // close code for the client when blocked
}

// judge inflates (when compressed), validates and inspects one held client message
// whose unmasked payload is msg. It returns an error for a protocol violation (invalid
// UTF-8 or compressed data), which fails the connection.
func (p *pump) judge(op Opcode, compressed bool, msg []byte, s *Settings) (judgement, error) {
	c := p.c
	data, over := msg, false
	limit := int(s.MessageBytes)
	if compressed {
		var err error
		over, err = c.infl.inflate(&p.infl, msg, limit)
		if err != nil {
			return judgement{}, err
		}
		data = p.infl.b
		if over {
			data = data[:limit]
		}
	}
	if !s.inspects(op) {
		return judgement{}, nil
	}
	if op == OpText {
		if !over && !utf8.Valid(data) {
			return judgement{}, ErrInvalidUTF8
		}
	} else if !utf8.Valid(data) {
		return judgement{}, nil // binary, not text: relayed uninspected
	}
	r := c.messageRequest(op, c.msgIndex, data)
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
			Size: len(data), Compressed: compressed, Blocked: j.block, CloseCode: j.code,
			Verdict: v, Request: r, Took: time.Since(start),
		})
	}
	putRequest(r)
	return j, nil
}

// tooBig reports a client message refused for its size before it was judged.
func (p *pump) tooBig(op Opcode, size int64) {
	c := p.c
	f := c.p.opts.OnMessage
	if f == nil {
		return
	}
	r := c.messageRequest(op, c.msgIndex, nil)
	r.Flags |= request.FlagMessageTooLarge
	r.Parsed = true
	r.AddSignal(request.Signal{Name: detect.OVERSIZE})
	f(MessageEvent{
		ConnID: c.id, RequestID: c.hs.ID, MessageIndex: c.msgIndex, Opcode: op,
		Size: int(min(size, 1<<62)), Blocked: true, CloseCode: CloseMessageTooBig,
		Verdict: engine.Verdict{Action: engine.Block, Reason: engine.ReasonLimit, Signals: r.Signals},
		Request: r,
	})
	putRequest(r)
}

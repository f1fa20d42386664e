package replay

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"

	"github.com/rampartwaf/rampart/internal/engine"
	"github.com/rampartwaf/rampart/internal/request"
)

// LiveWebSocket is an Inspector that judges WebSocket messages through a running
// Rampart instead of an engine: it sends each message on a connection to URL, an echo
// endpoint behind Rampart (such as the demo's /echo), and reads the answer. The echo
// means the message passed; a close with 1008 (policy violation), 1009 (too big) or
// 1007 (a text message that is not UTF-8) means Rampart kept it from the application. A connection is reused until Rampart closes it.
//
// It judges only requests built with PlacementWebSocket (use it with ValuesOnly and
// Placements [PlacementWebSocket]); anything else, and any failure to get an answer, is
// counted in Errors and reported by Err.
type LiveWebSocket struct {
	url     string
	timeout time.Duration
	pool    chan *websocket.Conn

	errors   atomic.Int64
	errMu    sync.Mutex
	firstErr error
}

// NewLiveWebSocket returns a LiveWebSocket for url (ws:// or wss://) that waits at most
// timeout for each answer and keeps up to idle connections open between messages.
func NewLiveWebSocket(url string, timeout time.Duration, idle int) *LiveWebSocket {
	return &LiveWebSocket{url: url, timeout: timeout, pool: make(chan *websocket.Conn, max(idle, 1))}
}

// errNotMessage is the error for a request that is not a WebSocket message.
var errNotMessage = errors.New("not a WebSocket message: a live WebSocket replay judges value records only")

// Inspect sends r.Message and reports what Rampart did with it.
func (l *LiveWebSocket) Inspect(ctx context.Context, r *request.Request) engine.Verdict {
	if r.Protocol != request.ProtocolWebSocket || r.Message == nil {
		return l.failed(errNotMessage)
	}
	ctx, cancel := context.WithTimeout(ctx, l.timeout)
	defer cancel()
	c, err := l.conn(ctx)
	if err != nil {
		return l.failed(fmt.Errorf("connecting to %s: %w", l.url, err))
	}
	if err := c.Write(ctx, websocket.MessageText, r.Message); err != nil {
		c.CloseNow()
		return l.verdictFor(err)
	}
	_, echo, err := c.Read(ctx)
	if err != nil {
		c.CloseNow()
		return l.verdictFor(err)
	}
	if !bytes.Equal(echo, r.Message) {
		c.CloseNow()
		return l.failed(fmt.Errorf("%s answered %.40q to %.40q: not an echo endpoint", l.url, echo, r.Message))
	}
	select {
	case l.pool <- c:
	default:
		c.Close(websocket.StatusNormalClosure, "")
	}
	return engine.Verdict{}
}

// verdictFor turns the error that ended a connection into a verdict.
func (l *LiveWebSocket) verdictFor(err error) engine.Verdict {
	switch websocket.CloseStatus(err) {
	case websocket.StatusPolicyViolation:
		return engine.Verdict{Action: engine.Block, Reason: engine.ReasonSignals}
	case websocket.StatusMessageTooBig:
		return engine.Verdict{Action: engine.Block, Reason: engine.ReasonLimit}
	case websocket.StatusInvalidFramePayloadData:
		// A text message that is not UTF-8: refused by the relay before inspection, so
		// it did not reach the application either.
		return engine.Verdict{Action: engine.Block, Reason: engine.ReasonLimit}
	}
	return l.failed(fmt.Errorf("waiting for the echo: %w", err))
}

func (l *LiveWebSocket) conn(ctx context.Context) (*websocket.Conn, error) {
	select {
	case c := <-l.pool:
		return c, nil
	default:
	}
	c, _, err := websocket.Dial(ctx, l.url, nil)
	if err != nil {
		return nil, err
	}
	c.SetReadLimit(DefaultMaxLineBytes)
	return c, nil
}

func (l *LiveWebSocket) failed(err error) engine.Verdict {
	l.errors.Add(1)
	l.errMu.Lock()
	if l.firstErr == nil {
		l.firstErr = err
	}
	l.errMu.Unlock()
	return engine.Verdict{Reason: engine.ReasonError, Err: err}
}

// Errors returns how many messages could not be judged.
func (l *LiveWebSocket) Errors() int64 { return l.errors.Load() }

// Err returns the first failure, or nil.
func (l *LiveWebSocket) Err() error {
	l.errMu.Lock()
	defer l.errMu.Unlock()
	return l.firstErr
}

// Close closes the idle connections.
func (l *LiveWebSocket) Close() {
	for {
		select {
		case c := <-l.pool:
			c.Close(websocket.StatusNormalClosure, "")
		default:
			return
		}
	}
}

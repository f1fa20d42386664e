package wsproxy

import (
	"context"
	"net"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/rampartwaf/rampart/internal/request"
)

// side is one of the two TCP connections of a proxied WebSocket: the client's or the
// upstream's. Writes to it go through sem, a one-slot semaphore that can be waited on
// with a timeout, so a close frame never lands inside a frame being relayed.
type side struct {
	conn net.Conn
	// raw is conn's file descriptor access when it has one (TCP): the pump reading this
	// side then waits for data without holding a buffer (see pump.rawFill).
	raw      syscall.RawConn
	reader   *pump // the pump reading this side
	sem      chan struct{}
	upstream bool // frames Rampart writes itself must be masked

	closeSent atomic.Bool // a close frame was written to this side (set holding sem)
	midFrame  bool        // the last write ended inside a frame (guarded by sem)
	recvClose atomic.Bool // this side sent its close frame
	deadline  atomic.Int64
}

// init sets the side up for conn.
func (s *side) init(conn net.Conn, upstream bool) {
	s.conn, s.sem, s.upstream = conn, make(chan struct{}, 1), upstream
	if sc, ok := conn.(syscall.Conn); ok {
		if raw, err := sc.SyscallConn(); err == nil {
			s.raw = raw
		}
	}
}

// who says which peer is on this side.
func (s *side) who() Who {
	if s.upstream {
		return ByUpstream
	}
	return ByClient
}

func (s *side) lock(timeout time.Duration) bool {
	select {
	case s.sem <- struct{}{}:
		return true
	default:
	}
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case s.sem <- struct{}{}:
		return true
	case <-t.C:
		return false
	}
}

func (s *side) unlock() { <-s.sem }

// setDeadline sets the read deadline the pump reading this side must honour.
func (s *side) setDeadline(t time.Time) {
	s.deadline.Store(t.UnixNano())
	_ = s.conn.SetReadDeadline(t)
	s.wake() // a parked pump would not see the deadline
}

// wake runs the pump reading this side if it is parked.
func (s *side) wake() {
	if s.reader != nil && s.raw != nil {
		if pl := getPoller(); pl != nil {
			pl.unpark(s.reader)
		}
	}
}

// close closes the connection, waking its pump first if it is parked (so that it sees
// the close, and its fd leaves epoll while it is still open).
func (s *side) close() {
	s.wake()
	_ = s.conn.Close()
}

// restoreDeadline puts back the wanted read deadline after the janitor cut a read short.
func (s *side) restoreDeadline() {
	for {
		d := s.deadline.Load()
		var t time.Time
		if d != 0 {
			t = time.Unix(0, d)
		}
		_ = s.conn.SetReadDeadline(t)
		if s.deadline.Load() == d {
			return
		}
	}
}

// conn is one proxied WebSocket connection.
type conn struct {
	p      *Proxy
	id     string
	hs     *request.Request
	params []request.Param // handshake parameters copied into message Requests
	info   ConnInfo

	client, upstream side
	up, down         pump // up reads the client, down reads the upstream

	deflate deflateParams
	infl    *inflater // the client's compressed messages; nil without permessage-deflate

	ctx    context.Context
	cancel context.CancelFunc

	msgIndex int // client messages so far (the up pump's)

	mu         sync.Mutex
	exited     int       // pumps that returned
	downExited bool      // the upstream's pump returned
	ended      CloseInfo // the first reason recorded
	endedSet   bool
}

// setEnd records why the connection ends, keeping the first reason.
func (c *conn) setEnd(ci CloseInfo) {
	c.mu.Lock()
	if !c.endedSet {
		c.ended, c.endedSet = ci, true
	}
	c.mu.Unlock()
}

// sendClose writes a close frame of Rampart's own to s unless one was already sent. If
// a relayed frame is half written to s (or s cannot be locked in time), a close frame
// cannot follow, so s is dropped instead.
func (c *conn) sendClose(s *side, code uint16, reason string) {
	if s.closeSent.Load() {
		return
	}
	if !s.lock(c.p.opts.CloseTimeout) {
		s.closeSent.Store(true)
		s.close()
		return
	}
	defer s.unlock()
	if s.closeSent.Load() {
		return
	}
	s.closeSent.Store(true)
	if s.midFrame {
		s.close()
		return
	}
	var buf [MaxHeaderLen + MaxControlPayload]byte
	f := appendCloseFrame(buf[:0], code, reason, s.upstream)
	_ = s.conn.SetWriteDeadline(time.Now().Add(c.p.opts.CloseTimeout))
	if _, err := s.conn.Write(f); err != nil {
		s.close()
		return
	}
	_ = s.conn.SetWriteDeadline(time.Time{})
	s.setDeadline(time.Now().Add(c.p.opts.CloseTimeout))
}

// goingAway is Shutdown's close: 1001 to both sides.
func (c *conn) goingAway() {
	c.setEnd(CloseInfo{By: ByRampart, Code: CloseGoingAway, Reason: "shutting down"})
	c.sendClose(&c.client, CloseGoingAway, "going away")
	c.sendClose(&c.upstream, CloseGoingAway, "going away")
}

// policyClose ends the connection for a reason other than a message: the client gets
// 1008 (policy violation), the upstream 1001.
func (c *conn) policyClose(reason string) {
	c.setEnd(CloseInfo{By: ByRampart, Code: ClosePolicyViolation, Reason: reason})
	c.sendClose(&c.client, ClosePolicyViolation, reason)
	c.sendClose(&c.upstream, CloseGoingAway, "going away")
}

// drop closes both TCP connections.
func (c *conn) drop() {
	c.client.close()
	c.upstream.close()
}

// closeReceived is called by the pump reading s when s's close frame arrived: s now
// owes only its TCP close, which it gets CloseTimeout for. It reports whether the pump
// should stop reading at once: the client's close handshake is over and the upstream is
// already gone, so Rampart closes the client's TCP connection itself.
func (c *conn) closeReceived(s *side, code uint16, reason []byte) (stop bool) {
	c.setEnd(CloseInfo{By: s.who(), Code: code, Reason: string(reason)})
	s.setDeadline(time.Now().Add(c.p.opts.CloseTimeout))
	if s.upstream {
		return false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.downExited && s.closeSent.Load()
}

// pumpExited runs when the pump reading s returned. The upstream, as the server side of
// its connection, is left to close TCP first; the client is closed by Rampart once its
// close handshake is over.
func (c *conn) pumpExited(s *side, err error) {
	if err != nil {
		c.setEnd(CloseInfo{By: s.who(), Code: CloseAbnormal, Err: err})
	}
	s.close()
	c.mu.Lock()
	c.exited++
	if s.upstream {
		c.downExited = true
	}
	last := c.exited == 2
	c.mu.Unlock()
	if last {
		c.finalize()
		return
	}
	if s.upstream {
		c.mu.Lock()
		wait := c.client.closeSent.Load() && !c.client.recvClose.Load()
		c.mu.Unlock()
		if wait {
			c.client.setDeadline(time.Now().Add(c.p.opts.CloseTimeout))
		} else {
			c.client.close()
		}
		return
	}
	if c.upstream.closeSent.Load() {
		c.upstream.setDeadline(time.Now().Add(c.p.opts.CloseTimeout))
	} else {
		c.upstream.close()
	}
}

func (c *conn) finalize() {
	c.drop()
	c.cancel()
	c.p.untrack(c)
	c.mu.Lock()
	ci := c.ended
	if !c.endedSet {
		ci = CloseInfo{By: ByClient, Code: CloseAbnormal}
	}
	ci.Messages = c.msgIndex
	c.mu.Unlock()
	ci.Duration = time.Since(c.info.Started)
	if c.infl != nil {
		c.infl.hist = nil
	}
	if f := c.p.opts.OnClose; f != nil {
		f(&c.info, ci)
	}
}

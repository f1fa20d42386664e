package wsproxy

import (
	"errors"
	"io"
	"net"
	"os"
	"sync/atomic"
	"syscall"
	"time"
)

// A pump relays the frames one side sends to the other. There are two per connection,
// each on its own goroutine: up reads the client (and holds messages for inspection),
// down reads the upstream (and streams).
//
// The pump reads into a buffer b; bytes b[out:r] are frames already checked and due to be
// written as they are (the relay forwards the exact bytes it received), bytes b[r:w]
// are not looked at yet. Before every read the pending bytes are written in one Write.
type pump struct {
	c      *conn
	src    *side // read from
	dst    *side // written to
	client bool  // src is the client: frames are masked, messages may be held
	chk    checker

	small [16]byte           // read target while idle
	rb    *[readBufSize]byte // pooled read buffer, nil while idle
	b     []byte             // rb[:] or small[:]
	r, w  int                // unread bytes are b[r:w]
	out   int                // pending output is b[out:r]
	fs    int                // where the current frame's header starts in b (-1: flushed)
	st    stage              //
	fh    Header             // current frame
	left  int64              // payload bytes of the current frame still to come
	mpos  int                // mask position in the current frame
	msg   msgState           // the data message in progress
	text  utf8Stream         // UTF-8 state of a streamed text message
	held  assembly           // a held client message spanning reads
	infl  msgBuf             // inflated copy of a compressed client message
	// stream inflates a compressed client message passed on over the limit as it is
	// relayed, to keep the history (nil otherwise).
	stream *inflateStream
	rst    *Settings                 // settings of the message in progress
	pre    []byte                    // bytes read with the handshake, relayed first
	idle   idleState                 //
	trace  func(ev string, b []byte) // tests only

	parkTok uint64 // the poller's token while parked, else 0 (guarded by the poller)
}

type stage uint8

const (
	stHeader  stage = iota // expecting a frame header
	stPayload              // inside a frame's payload
	stSkip                 // discarding a frame's payload
)

// msgState describes the data message whose frames are arriving.
type msgState struct {
	op         Opcode
	compressed bool
	streamed   bool  // frames go out as they come (not held)
	checkText  bool  // streamed text whose UTF-8 is checked on the fly
	passed     bool  // over the limit and passed on: streamed, uninspected
	size       int64 // payload bytes so far
}

// idleState lets the janitor take the read buffer of a pump that stopped reading, or
// park one that waits for an idle peer (see park_linux.go).
type idleState struct {
	reads   atomic.Uint32 // bumped on every read
	seen    uint32        // reads at the janitor's previous round (janitor only)
	holding atomic.Bool   // rb is not nil
	waiting atomic.Bool   // in rawFill, waiting for the peer with no buffer
	evict   atomic.Bool   // the janitor asked for rb back, or for the pump to park
}

// errParked ends a pump's goroutine without ending the pump: it is parked, and the
// poller runs it again when its peer sends something.
var errParked = errors.New("parked")

// errPeerGone ends a pump quietly: the peer's close handshake is over.
var errPeerGone = errors.New("close handshake done")

// peerError is a violation by the side a pump reads; the pump fails the connection.
type peerError struct{ err error }

func (e *peerError) Error() string { return e.err.Error() }
func (e *peerError) Unwrap() error { return e.err }

func (p *pump) init(c *conn, src, dst *side, client bool, pre []byte) {
	p.c, p.src, p.dst, p.client = c, src, dst, client
	src.reader = p
	p.chk = checker{fromClient: client, deflate: c.deflate.enabled}
	p.b = p.small[:]
	p.fs = -1
	if len(pre) > 0 {
		// Bytes read with the handshake: relayed first. An empty slice is dropped, as it
		// would keep the whole handshake buffer alive as long as the connection.
		p.pre = pre
	}
}

// run relays until src is done, then tells the connection.
func (p *pump) run() {
	err := p.loop()
	if err == errParked {
		return // the pump belongs to the poller now
	}
	if errors.Is(err, errPeerGone) {
		err = nil
	} else if p.src.recvClose.Load() || p.src.closeSent.Load() {
		// Any end after a close frame is part of the close handshake.
		err = nil
	}
	p.dropMessage()
	p.infl.release()
	p.releaseBuf()
	p.c.pumpExited(p.src, err)
}

func (p *pump) loop() error {
	if len(p.pre) > 0 {
		p.takeBuf()
		p.w = copy(p.b, p.pre)
		p.pre = nil
	}
	for {
		need, err := p.process()
		if err != nil {
			var pe *peerError
			if errors.As(err, &pe) {
				return p.fail(pe.err)
			}
			return err
		}
		if err := p.flush(); err != nil {
			return err
		}
		if err := p.fill(need); err != nil {
			return err
		}
	}
}

// dropping reports whether src's frames no longer go anywhere: src sent its close, or
// was sent one (its close reply is still read and relayed when dst awaits one).
func (p *pump) dropping() bool {
	return p.src.recvClose.Load() || p.src.closeSent.Load()
}

// process consumes b[r:w]. It returns how many bytes from r it needs before it can go
// on, or an error (a *peerError for a violation by src).
func (p *pump) process() (need int, err error) {
	for {
		switch p.st {
		case stHeader:
			avail := p.b[p.r:p.w]
			if len(avail) < 2 {
				return 2, nil
			}
			hl := headerLen(avail[1])
			if len(avail) < hl {
				return hl, nil
			}
			h, _, err := ParseHeader(avail)
			if err != nil {
				p.fs = p.r
				return 0, &peerError{err}
			}
			// Frames that fit the buffer are handled whole: wait for the rest first.
			total := int64(hl) + h.Length
			if (h.Opcode.IsControl() && h.Length <= MaxControlPayload) || (!h.Opcode.IsControl() && total <= readBufSize) {
				if int64(len(avail)) < total {
					return int(total), nil
				}
			}
			if p.dropping() {
				if need, err := p.dropFrame(h, hl); need > 0 || err != nil {
					return need, err
				}
				continue
			}
			if err := p.chk.check(&h); err != nil {
				p.fs = p.r
				return 0, &peerError{err}
			}
			if h.Opcode.IsControl() {
				if err := p.control(h, hl); err != nil {
					return 0, err
				}
				continue
			}
			if need, err := p.dataHeader(h, hl); need > 0 || err != nil {
				return need, err
			}
		case stPayload:
			if p.r == p.w {
				return 1, nil
			}
			n := int(min(p.left, int64(p.w-p.r)))
			chunk := p.b[p.r : p.r+n]
			p.r += n
			p.left -= int64(n)
			if p.msg.streamed {
				if p.msg.checkText && !p.checkText(chunk) {
					return 0, &peerError{ErrInvalidUTF8}
				}
				if p.stream != nil {
					p.feedStream(chunk)
				}
			} else if err := p.held.add(chunk, &p.fh, &p.mpos, p.rst); err != nil {
				return 0, &peerError{err}
			} else {
				p.out = p.r
			}
			if p.left == 0 {
				p.st = stHeader
				if p.fh.Fin {
					if err := p.endMessage(); err != nil {
						return 0, err
					}
				}
			}
		case stSkip:
			if p.r == p.w {
				return 1, nil
			}
			n := int(min(p.left, int64(p.w-p.r)))
			p.r += n
			p.out = p.r
			p.left -= int64(n)
			if p.left == 0 {
				p.st = stHeader
			}
		}
	}
}

// checkText feeds a streamed text chunk to the UTF-8 validator, unmasking a copy of it
// first when it comes from the client.
func (p *pump) checkText(chunk []byte) bool {
	if !p.fh.Masked {
		return p.text.feed(chunk)
	}
	var tmp [512]byte
	for len(chunk) > 0 {
		n := min(len(chunk), len(tmp))
		p.mpos = maskCopy(tmp[:n], chunk[:n], p.fh.Mask, p.mpos)
		if !p.text.feed(tmp[:n]) {
			return false
		}
		chunk = chunk[n:]
	}
	return true
}

// control handles a whole control frame at b[r:], of header length hl.
func (p *pump) control(h Header, hl int) error {
	start := p.r
	payload := p.b[start+hl : start+hl+int(h.Length)]
	p.r += hl + int(h.Length)
	if h.Opcode != OpClose {
		return nil // ping and pong are relayed as they are; the peers answer each other
	}
	var tmp [MaxControlPayload]byte
	pl := tmp[:len(payload)]
	if h.Masked {
		maskCopy(pl, payload, h.Mask, 0)
	} else {
		copy(pl, payload)
	}
	code, reason, err := parseClose(pl)
	if err != nil {
		p.r = start
		p.fs = start
		return &peerError{err}
	}
	// A message cut short by the close is not forwarded: it was never judged whole.
	p.dropMessage()
	p.src.recvClose.Store(true)
	// Who closed first is recorded before the close frame goes on: the peer's reply
	// to it must not be taken for a close of its own.
	p.c.setEnd(CloseInfo{By: p.src.who(), Code: code, Reason: string(reason)})
	if err := p.flush(); err != nil {
		return err
	}
	if p.c.closeReceived(p.src, code, reason) {
		return errPeerGone
	}
	return nil
}

// dropFrame reads past a frame of a side that is closing, watching only for its close
// frame, which is relayed if the other side still awaits one.
func (p *pump) dropFrame(h Header, hl int) (need int, err error) {
	if h.Opcode == OpClose && !p.src.recvClose.Load() {
		total := hl + int(min(h.Length, MaxControlPayload+1))
		if h.Length > MaxControlPayload || !h.Fin {
			return 0, errPeerGone
		}
		if p.w-p.r < total {
			return total, nil
		}
		p.out = p.r // drop what was pending: src was told to close, it is noise now
		return 0, p.control(h, hl)
	}
	p.r += hl
	p.out = p.r
	p.left = h.Length
	if p.left > 0 {
		p.st = stSkip
	}
	return 0, nil
}

// endMessage runs when the last frame of a data message was consumed.
func (p *pump) endMessage() error {
	m := &p.msg
	if m.streamed {
		if m.checkText && !p.text.done() {
			return &peerError{ErrInvalidUTF8}
		}
		if p.stream != nil {
			err := p.stream.finish()
			p.stream = nil
			if err != nil {
				return &peerError{err}
			}
		}
		*m = msgState{}
		if p.client {
			p.messageDone()
		}
		return nil
	}
	// A held message spanning reads: judge it, then send its frames as received.
	j, err := p.judge(m.op, m.compressed, p.held.msg.b, p.rst)
	p.infl.release()
	*m = msgState{}
	if err != nil {
		p.held.reset()
		return &peerError{err}
	}
	if j.block {
		p.held.reset()
		return p.block(j.code)
	}
	if err := p.flush(); err != nil {
		return err
	}
	err = p.write(p.held.raw.b, false)
	p.held.reset()
	if err != nil {
		return err
	}
	p.messageDone()
	return nil
}

// block closes the connection on a judged client message: the client gets code (1008,
// or 1009 for a size limit), the upstream 1001. The pump then reads the client until
// its close reply.
func (p *pump) block(code uint16) error {
	p.r = p.w // nothing read after the message matters any more
	p.out = p.r
	p.refuse(code)
	return nil
}

// refuse closes the connection on a client message Rampart does not forward: the
// client gets code, 1008 (policy violation: "blocked by policy") or 1009 (message too
// big: "message too big"), the upstream 1001. Frames the client sends until its close
// reply are read and dropped.
func (p *pump) refuse(code uint16) {
	ci := CloseInfo{By: ByRampart, Code: code, Reason: "blocked by policy"}
	if code == CloseMessageTooBig {
		ci.Reason, ci.Err = "message too big", ErrMessageTooBig
	}
	p.c.setEnd(ci)
	p.c.sendClose(p.src, code, ci.Reason)
	p.c.sendClose(p.dst, CloseGoingAway, "going away")
}

// fail answers a protocol violation by src: frames before the bad one are relayed,
// src gets the close code for the violation, dst gets 1001 (the client left) or 1011
// (the upstream broke the protocol), and src's TCP connection is closed.
func (p *pump) fail(err error) error {
	if p.fs >= p.out && p.fs <= p.r {
		p.r = p.fs
		p.st = stHeader // the flush ends on a frame boundary
		_ = p.flush()
	}
	code := closeCodeFor(err)
	p.c.setEnd(CloseInfo{By: ByRampart, Code: code, Reason: err.Error(), Err: err})
	p.dropMessage()
	p.c.sendClose(p.src, code, closeReason(code))
	if p.client {
		p.c.sendClose(p.dst, CloseGoingAway, "going away")
	} else {
		p.c.sendClose(p.dst, CloseInternalError, "upstream protocol error")
	}
	// The framing cannot be trusted past a violation: stop writing, and read and discard
	// until the peer closes (or the close timeout), so that closing does not reset the
	// connection before the peer has read the close frame.
	if cw, ok := p.src.conn.(interface{ CloseWrite() error }); ok {
		_ = cw.CloseWrite()
	}
	p.releaseBuf()
	var sink [512]byte
	for {
		if _, rerr := p.src.conn.Read(sink[:]); rerr != nil {
			if errors.Is(rerr, os.ErrDeadlineExceeded) && p.idle.evict.Swap(false) {
				p.src.restoreDeadline()
				continue
			}
			return err
		}
	}
}

func closeReason(code uint16) string {
	switch code {
	case CloseInvalidPayload:
		return "invalid payload data"
	case CloseProtocolError:
		return "protocol error"
	}
	return ""
}

// flush writes the pending bytes b[out:r].
func (p *pump) flush() error {
	if p.out == p.r {
		return nil
	}
	mid := p.st == stPayload && p.msg.streamed
	err := p.write(p.b[p.out:p.r], mid)
	p.out = p.r
	if mid {
		p.fs = -1
	}
	return err
}

// write sends frames to dst; mid says the bytes end inside a frame. Nothing is written
// once dst was sent a close frame.
func (p *pump) write(b []byte, mid bool) error {
	if len(b) == 0 {
		return nil
	}
	if p.trace != nil {
		p.trace("write", b)
	}
	d := p.dst
	d.sem <- struct{}{}
	defer d.unlock()
	if d.closeSent.Load() {
		return nil
	}
	if _, err := d.conn.Write(b); err != nil {
		d.midFrame = true
		return err
	}
	d.midFrame = mid
	return nil
}

// fill reads more bytes, so that b[r:] can hold need of them.
func (p *pump) fill(need int) error {
	if p.r == p.w && p.src.raw != nil {
		// Nothing pending: wait for the next bytes without a buffer.
		p.releaseBuf()
		p.r, p.w, p.out = 0, 0, 0
		if p.fs >= 0 {
			p.fs = -1
		}
		return p.rawFill()
	}
	switch {
	case p.r == p.w:
		p.r, p.w, p.out = 0, 0, 0
		if p.fs >= 0 {
			p.fs = -1
		}
	case p.r+need > len(p.b) || p.w == len(p.b):
		n := copy(p.b, p.b[p.r:p.w])
		if p.fs >= 0 {
			p.fs -= p.r
		}
		p.r, p.w, p.out = 0, n, 0
	}
	for {
		n, err := p.src.conn.Read(p.b[p.w:])
		p.idle.reads.Add(1)
		if n > 0 {
			if p.rb == nil {
				p.takeBuf()
				copy(p.b, p.small[:n])
			}
			p.w += n
			return nil
		}
		if err == nil {
			continue
		}
		if p.idle.evict.Swap(false) && errors.Is(err, os.ErrDeadlineExceeded) {
			if p.r == p.w {
				p.releaseBuf()
			}
			p.src.restoreDeadline()
			continue
		}
		return err
	}
}

// rawFill waits until src is readable and reads into a buffer taken from the pool only
// then: a pump waiting for an idle peer holds no buffer, and one that has processed
// everything it read gives its buffer back at once. It costs no system call more than a
// plain Read. p.b must be empty (r == w == 0).
func (p *pump) rawFill() error {
	var n int
	var rerr error
	for {
		p.idle.waiting.Store(true)
		err := p.src.raw.Read(func(fd uintptr) bool {
			if p.rb == nil {
				p.takeBuf()
			}
			for {
				n, rerr = syscall.Read(int(fd), p.b)
				if rerr != syscall.EINTR {
					break
				}
			}
			if rerr == syscall.EAGAIN {
				p.releaseBuf()
				return false // wait for readability, then try again
			}
			return true
		})
		p.idle.waiting.Store(false)
		p.idle.reads.Add(1)
		if err != nil {
			if p.idle.evict.Swap(false) && errors.Is(err, os.ErrDeadlineExceeded) {
				// The janitor woke us: the peer has been idle a while.
				p.src.restoreDeadline()
				if p.src.deadline.Load() == 0 && getPoller().park(p) {
					return errParked
				}
				continue
			}
			return err
		}
		switch {
		case rerr != nil:
			return os.NewSyscallError("read", rerr)
		case n == 0:
			return io.EOF
		}
		p.w = n
		return nil
	}
}

func (p *pump) takeBuf() {
	p.rb = readPool.Get().(*[readBufSize]byte)
	p.b = p.rb[:]
	p.idle.holding.Store(true)
}

func (p *pump) releaseBuf() {
	if p.rb == nil {
		return
	}
	p.idle.holding.Store(false)
	readPool.Put(p.rb)
	p.rb = nil
	p.b = p.small[:]
	p.r, p.w, p.out = 0, 0, 0
}

// idleCheck is the janitor's round: a pump that has not read since the previous round
// is asked to give its buffer back, or to park if it waits with none.
func (p *pump) idleCheck() {
	reads := p.idle.reads.Load()
	idle := p.idle.holding.Load() || p.idle.waiting.Load() && canPark()
	if reads == p.idle.seen && idle && !p.idle.evict.Load() {
		p.idle.evict.Store(true)
		_ = p.src.conn.SetReadDeadline(time.Unix(1, 0))
	}
	p.idle.seen = reads
}

var _ net.Conn = (*net.TCPConn)(nil)

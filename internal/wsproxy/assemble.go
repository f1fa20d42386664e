package wsproxy

// assembly holds the frames of a client message that spans reads (fragmented, or
// larger than the read buffer) until it is whole and judged: raw keeps the frames
// exactly as received, to be forwarded unchanged; msg keeps the unmasked payload, to be
// inspected.
type assembly struct {
	raw msgBuf
	msg msgBuf
}

// wireLimit is the most a held message may take on the wire: the payload limit plus an
// allowance for frame headers (a quarter of the limit and 16 KiB), which caps how finely
// a message may be fragmented before it is refused with 1009.
func wireLimit(limit int64) int64 { return limit + limit/4 + 16<<10 }

// addHeader appends a frame header, after checking that the frame fits the wire limit.
func (a *assembly) addHeader(header []byte, h *Header, s *Settings) error {
	wl := wireLimit(s.MessageBytes)
	if int64(len(a.raw.b))+int64(len(header)) > wl || h.Length > wl-int64(len(a.raw.b))-int64(len(header)) {
		return ErrMessageTooBig
	}
	a.raw.append(header, int(wl))
	return nil
}

// add appends a chunk of the current frame's payload: as received to raw, unmasked to
// msg. mpos is the mask position within the frame. The limits were checked against the
// frame header, so nothing here allocates past them.
func (a *assembly) add(chunk []byte, h *Header, mpos *int, s *Settings) error {
	a.raw.append(chunk, int(wireLimit(s.MessageBytes)))
	a.msg.grow(len(chunk), int(s.MessageBytes))
	n := len(a.msg.b)
	a.msg.b = a.msg.b[:n+len(chunk)]
	if h.Masked {
		*mpos = maskCopy(a.msg.b[n:], chunk, h.Mask, *mpos)
	} else {
		copy(a.msg.b[n:], chunk)
	}
	return nil
}

// reset drops the held message and gives its buffers back.
func (a *assembly) reset() {
	a.raw.release()
	a.msg.release()
}

// dataHeader handles the header of a data frame at b[r:], of length hl, which passed
// the state machine. Frames that fit the read buffer are whole in b.
//
// A client message is held until whole when its payload is inspected, and when it is
// compressed with context takeover (inflating needs the whole message, and every one
// since the handshake must be inflated to keep the history). Other client messages are
// streamed; with inspection on they are judged at their first frame, without their
// payload, before any of it is relayed.
func (p *pump) dataHeader(h Header, hl int) (need int, err error) {
	start := p.r
	p.fs = start
	c := p.c
	first := h.Opcode != OpContinuation
	if first {
		s := c.p.settings.Load()
		p.rst = s
		m := msgState{op: h.Opcode, compressed: h.Rsv&RSV1 != 0}
		hold := false
		if p.client {
			c.msgIndex++
			// A compressed message is held when it is inspected, when the next ones
			// depend on it (context takeover), and when it is text, to check that it
			// inflates to UTF-8.
			hold = s.inspects(h.Opcode) || m.compressed && (c.infl.takeover() || h.Opcode == OpText)
		}
		m.streamed = !hold
		m.checkText = m.streamed && h.Opcode == OpText && !m.compressed
		p.msg = m
		p.text = utf8Stream{}
	}
	p.fh, p.left, p.mpos = h, h.Length, 0
	if p.client && !p.msg.passed {
		if h.Length > p.rst.MessageBytes-p.msg.size {
			p.msg.size += h.Length
			return 0, p.overLimit(h, hl)
		}
		if first && p.msg.streamed && p.rst.judges() {
			j := p.verdict(p.msg.op, p.msg.compressed, nil, false, false, h.Length, p.rst)
			if j.block {
				return 0, p.refuseFrame(h, hl, j.code)
			}
		}
	}
	p.msg.size += h.Length
	total := hl + int(h.Length)
	switch {
	case p.msg.streamed:
		return 0, p.streamFrame(h, hl)
	case h.Fin && h.Opcode != OpContinuation && p.w-start >= total:
		return 0, p.judgeInPlace(h, hl)
	}
	// Held across reads: what is pending goes first, the frame goes to the assembly.
	if err := p.flush(); err != nil {
		return 0, err
	}
	if err := p.held.addHeader(p.b[start:start+hl], &h, p.rst); err != nil {
		return 0, p.overLimit(h, hl)
	}
	p.r += hl
	p.out = p.r
	p.fs = -1
	if p.left > 0 {
		p.st = stPayload
		return 0, nil
	}
	if h.Fin {
		return 0, p.endMessage()
	}
	return 0, nil
}

// streamFrame relays the frame at b[r:] as it comes.
func (p *pump) streamFrame(h Header, hl int) error {
	p.r += hl
	if p.left > 0 {
		p.st = stPayload
		return nil
	}
	if h.Fin {
		return p.endMessage()
	}
	return nil
}

// judgeInPlace judges a single-frame message lying whole in the read buffer: its payload
// is unmasked in place, judged, and masked again, so the bytes forwarded are the bytes
// received and no copy is made.
func (p *pump) judgeInPlace(h Header, hl int) error {
	start := p.r
	payload := p.b[start+hl : start+hl+int(h.Length)]
	if h.Masked {
		MaskBytes(h.Mask, 0, payload)
	}
	j, err := p.judge(p.msg.op, p.msg.compressed, payload, p.rst)
	if h.Masked {
		MaskBytes(h.Mask, 0, payload)
	}
	p.infl.release()
	p.msg = msgState{}
	if err != nil {
		return &peerError{err}
	}
	if j.block {
		if err := p.flush(); err != nil {
			return err
		}
		return p.block(j.code)
	}
	p.r = start + hl + int(h.Length)
	p.messageDone()
	return nil
}

// overLimit handles a frame that takes a client message over the limit: its payload,
// or its frames on the wire. The frame's payload is never read into memory.
//
// The Inspector judges the message without its payload, flagged too large, and it is
// refused (1009 for the limit, 1008 for a rule, a rate limit or a flag) or passed on:
// the frames held so far go out as received and the rest of the message is streamed,
// uninspected (the history of a compressed one is kept by inflating it as it streams).
// A streamed message was already judged at its first frame: it is judged a second
// time, so rate limits count it twice. With inspection off (websocket.inspect: false,
// or mode off) nothing judges messages: Rampart relays as a plain proxy would, and the
// limit only bounds what it holds (a compressed message, to keep the inflation history
// right), so a message over it is passed on the same way.
func (p *pump) overLimit(h Header, hl int) error {
	m := &p.msg
	if p.rst.judges() {
		j := p.verdict(m.op, m.compressed, nil, false, true, m.size, p.rst)
		if j.block {
			return p.refuseFrame(h, hl, j.code)
		}
	}
	m.passed = true
	if !m.streamed {
		if m.op == OpText && !m.compressed {
			if !p.text.feed(p.held.msg.b) {
				p.dropMessage()
				return &peerError{ErrInvalidUTF8}
			}
			m.checkText = true
		}
		if m.compressed && (p.c.infl.takeover() || m.op == OpText) {
			p.c.infl.textCheck(m.op == OpText)
			p.stream = p.c.infl.stream(p.held.msg.b)
		}
		if err := p.flush(); err != nil {
			return err
		}
		if err := p.write(p.held.raw.b, false); err != nil {
			return err
		}
		p.held.reset()
		m.streamed = true
	}
	return p.streamFrame(h, hl)
}

// refuseFrame refuses the client message whose frame header is at b[r:]: what was
// pending goes out, the frame's payload is skipped (never read into memory), and the
// connection is closed with code.
func (p *pump) refuseFrame(h Header, hl int, code uint16) error {
	if err := p.flush(); err != nil {
		return err
	}
	p.dropMessage()
	p.msg = msgState{}
	p.r += hl
	p.out = p.r
	p.left = h.Length
	p.st = stHeader
	if p.left > 0 {
		p.st = stSkip
	}
	p.refuse(code)
	return nil
}

// dropMessage forgets the client message in progress: its held frames are given back,
// the inflation of a streamed one stops.
func (p *pump) dropMessage() {
	p.held.reset()
	if p.stream != nil {
		_ = p.stream.finish()
		p.stream = nil
	}
}

// feedStream passes a chunk of a passed compressed message to its inflation: unmasked
// in place, then masked again before it is relayed.
func (p *pump) feedStream(chunk []byte) {
	pos := p.mpos
	if p.fh.Masked {
		MaskBytes(p.fh.Mask, pos, chunk)
	}
	p.stream.feed(chunk)
	if p.fh.Masked {
		p.mpos = MaskBytes(p.fh.Mask, pos, chunk)
	}
}

// messageDone runs when a client message was relayed. The buffers taken for it are
// back in their pools already: the inflated copy is released right after judge (both
// callers), the held frames once they were written.
func (p *pump) messageDone() {
	if f := p.c.p.afterMessage; f != nil {
		f(p)
	}
}

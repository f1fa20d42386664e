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
func (p *pump) dataHeader(h Header, hl int) (need int, err error) {
	start := p.r
	p.fs = start
	c := p.c
	if h.Opcode != OpContinuation {
		s := c.p.settings.Load()
		p.rst = s
		m := msgState{op: h.Opcode, compressed: h.Rsv&RSV1 != 0}
		hold := false
		if p.client {
			c.msgIndex++
			if m.compressed {
				// Inflating needs every compressed message since the handshake, so
				// they are all held when the connection can inflate.
				hold = c.infl != nil
			} else {
				hold = s.inspects(h.Opcode)
			}
		}
		m.streamed = !hold
		m.checkText = m.streamed && h.Opcode == OpText && !m.compressed
		p.msg = m
		p.text = utf8Stream{}
	}
	if p.client {
		lim := p.rst.MessageBytes
		if h.Length > lim-p.msg.size {
			p.msg.size += h.Length
			return 0, p.skipTooBig(h, hl)
		}
	}
	p.msg.size += h.Length
	p.fh, p.left, p.mpos = h, h.Length, 0
	total := hl + int(h.Length)
	switch {
	case p.msg.streamed:
		p.r += hl
		if p.left > 0 {
			p.st = stPayload
			return 0, nil
		}
		if h.Fin {
			return 0, p.endMessage()
		}
		return 0, nil
	case h.Fin && h.Opcode != OpContinuation && p.w-start >= total:
		return 0, p.judgeInPlace(h, hl)
	}
	// Held across reads: what is pending goes first, the frame goes to the assembly.
	if err := p.flush(); err != nil {
		return 0, err
	}
	if err := p.held.addHeader(p.b[start:start+hl], &h, p.rst); err != nil {
		return 0, p.skipTooBig(h, hl)
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
	p.infl.b = p.infl.b[:0]
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
	return nil
}

// skipTooBig refuses a frame that takes its message over the limit: its payload will be
// skipped, never read into memory.
func (p *pump) skipTooBig(h Header, hl int) error {
	p.r += hl
	p.out = p.r
	p.left = h.Length
	p.st = stHeader
	if p.left > 0 {
		p.st = stSkip
	}
	return &peerError{ErrMessageTooBig}
}

package wsproxy

import "unicode/utf8"

// utf8Stream validates text that arrives in pieces (frames, or reads within a frame):
// a rune may be split anywhere. It rejects an invalid sequence as soon as the bytes
// seen so far cannot start a valid rune, so a bad message is stopped before its end.
type utf8Stream struct {
	pend [utf8.UTFMax]byte // the start of a rune split across pieces
	n    int               // bytes in pend
}

// feed checks the next piece of text and reports whether it is still valid.
func (s *utf8Stream) feed(b []byte) bool {
	if s.n > 0 {
		need := seqLen(s.pend[0])
		for s.n < need && len(b) > 0 {
			s.pend[s.n] = b[0]
			s.n++
			b = b[1:]
		}
		if s.n < need {
			return validPrefix(s.pend[:s.n])
		}
		if !utf8.Valid(s.pend[:s.n]) {
			return false
		}
		s.n = 0
	}
	// Find where the last, possibly incomplete, rune starts.
	cut := len(b)
	for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax; i-- {
		c := b[i]
		if c < utf8.RuneSelf {
			break
		}
		if utf8.RuneStart(c) {
			if len(b)-i < seqLen(c) {
				cut = i
			}
			break
		}
	}
	if !utf8.Valid(b[:cut]) {
		return false
	}
	if cut < len(b) {
		s.n = copy(s.pend[:], b[cut:])
		return validPrefix(s.pend[:s.n])
	}
	return true
}

// done reports whether the text ended on a rune boundary; it resets s for the next
// message.
func (s *utf8Stream) done() bool {
	ok := s.n == 0
	s.n = 0
	return ok
}

// seqLen returns the length of the UTF-8 sequence lead byte c starts (1 for a byte that
// cannot start one, which then fails validation).
func seqLen(c byte) int {
	switch {
	case c >= 0xc2 && c <= 0xdf:
		return 2
	case c >= 0xe0 && c <= 0xef:
		return 3
	case c >= 0xf0 && c <= 0xf4:
		return 4
	}
	return 1
}

// validPrefix reports whether p (shorter than a full sequence) can begin a valid rune.
func validPrefix(p []byte) bool {
	if len(p) == 0 {
		return true
	}
	c := p[0]
	if seqLen(c) <= len(p) {
		return utf8.Valid(p)
	}
	if len(p) >= 2 {
		lo, hi := byte(0x80), byte(0xbf)
		switch c {
		case 0xe0:
			lo = 0xa0
		case 0xed:
			hi = 0x9f
		case 0xf0:
			lo = 0x90
		case 0xf4:
			hi = 0x8f
		}
		if p[1] < lo || p[1] > hi {
			return false
		}
	}
	for _, b := range p[min(len(p), 2):] {
		if b < 0x80 || b > 0xbf {
			return false
		}
	}
	return true
}

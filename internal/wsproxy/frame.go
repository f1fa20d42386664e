package wsproxy

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math/bits"
)

// Opcode is a frame's opcode (RFC 6455 section 5.2).
type Opcode uint8

// Opcodes defined by RFC 6455. The others (3-7, 11-15) are reserved.
const (
	OpContinuation Opcode = 0x0
	OpText         Opcode = 0x1
	OpBinary       Opcode = 0x2
	OpClose        Opcode = 0x8
	OpPing         Opcode = 0x9
	OpPong         Opcode = 0xA
)

// IsControl reports whether o is a control opcode (close, ping, pong or reserved 11-15).
func (o Opcode) IsControl() bool { return o&0x8 != 0 }

func (o Opcode) known() bool {
	switch o {
	case OpContinuation, OpText, OpBinary, OpClose, OpPing, OpPong:
		return true
	}
	return false
}

// Reserved bits, as they sit in the first byte of a frame.
const (
	RSV1 = 0x40 // "compressed" when permessage-deflate is negotiated
	RSV2 = 0x20
	RSV3 = 0x10
)

// MaxHeaderLen is the longest a frame header can be: 2 bytes, 8 of extended length and
// 4 of mask.
const MaxHeaderLen = 14

// MaxControlPayload is the largest payload a control frame may carry.
const MaxControlPayload = 125

// Header is a parsed frame header.
type Header struct {
	Fin    bool
	Rsv    uint8 // RSV1|RSV2|RSV3 bits as in the first byte
	Opcode Opcode
	Masked bool
	Mask   [4]byte
	Length int64 // payload length
}

// Errors about frame encoding and the RFC 6455 state machine. Every one of them wraps
// ErrProtocol, which is answered with close 1002.
var (
	ErrProtocol               = errors.New("websocket protocol violation")
	ErrShortHeader            = errors.New("frame header incomplete")
	ErrNonMinimalLength       = fmt.Errorf("%w: payload length not minimally encoded", ErrProtocol)
	ErrLengthOverflow         = fmt.Errorf("%w: payload length has its top bit set", ErrProtocol)
	ErrReservedBits           = fmt.Errorf("%w: reserved bits set without a negotiated extension", ErrProtocol)
	ErrReservedOpcode         = fmt.Errorf("%w: reserved opcode", ErrProtocol)
	ErrMaskRequired           = fmt.Errorf("%w: client frame not masked", ErrProtocol)
	ErrMaskForbidden          = fmt.Errorf("%w: server frame masked", ErrProtocol)
	ErrControlTooLong         = fmt.Errorf("%w: control frame payload over 125 bytes", ErrProtocol)
	ErrControlFragmented      = fmt.Errorf("%w: fragmented control frame", ErrProtocol)
	ErrContinuationUnexpected = fmt.Errorf("%w: continuation frame outside a fragmented message", ErrProtocol)
	ErrContinuationExpected   = fmt.Errorf("%w: new data frame inside a fragmented message", ErrProtocol)
)

// headerLen returns the length of the header whose first two bytes are b0 and b1.
func headerLen(b1 byte) int {
	n := 2
	switch b1 & 0x7f {
	case 126:
		n += 2
	case 127:
		n += 8
	}
	if b1&0x80 != 0 {
		n += 4
	}
	return n
}

// ParseHeader parses the frame header at the start of b and returns it with its encoded
// length. It returns ErrShortHeader when b holds only part of the header, and an error
// wrapping ErrProtocol when the length is not minimally encoded or too large, so that a
// parsed header always encodes back to the same bytes.
func ParseHeader(b []byte) (h Header, n int, err error) {
	if len(b) < 2 {
		return h, 0, ErrShortHeader
	}
	n = headerLen(b[1])
	if len(b) < n {
		return h, 0, ErrShortHeader
	}
	h.Fin = b[0]&0x80 != 0
	h.Rsv = b[0] & (RSV1 | RSV2 | RSV3)
	h.Opcode = Opcode(b[0] & 0x0f)
	h.Masked = b[1]&0x80 != 0
	p := 2
	switch l := b[1] & 0x7f; l {
	case 126:
		h.Length = int64(binary.BigEndian.Uint16(b[2:4]))
		p = 4
		if h.Length < 126 {
			return h, 0, ErrNonMinimalLength
		}
	case 127:
		u := binary.BigEndian.Uint64(b[2:10])
		p = 10
		if u>>63 != 0 {
			return h, 0, ErrLengthOverflow
		}
		if u <= 0xffff {
			return h, 0, ErrNonMinimalLength
		}
		h.Length = int64(u)
	default:
		h.Length = int64(l)
	}
	if h.Masked {
		copy(h.Mask[:], b[p:p+4])
	}
	return h, n, nil
}

// AppendHeader appends the encoding of h to dst, with the length minimally encoded.
func AppendHeader(dst []byte, h Header) []byte {
	b0 := h.Rsv&(RSV1|RSV2|RSV3) | byte(h.Opcode&0x0f)
	if h.Fin {
		b0 |= 0x80
	}
	var b1 byte
	if h.Masked {
		b1 = 0x80
	}
	switch {
	case h.Length < 126:
		dst = append(dst, b0, b1|byte(h.Length))
	case h.Length <= 0xffff:
		dst = append(dst, b0, b1|126)
		dst = binary.BigEndian.AppendUint16(dst, uint16(h.Length))
	default:
		dst = append(dst, b0, b1|127)
		dst = binary.BigEndian.AppendUint64(dst, uint64(h.Length))
	}
	if h.Masked {
		dst = append(dst, h.Mask[:]...)
	}
	return dst
}

// MaskBytes XORs b in place with key, starting at position pos of the key (the number of
// payload bytes already masked), and returns the position for the next call. Masking is
// its own inverse.
func MaskBytes(key [4]byte, pos int, b []byte) int {
	return maskCopy(b, b, key, pos)
}

// maskCopy writes src XOR key into dst (which may be src itself; len(dst) >= len(src))
// starting at key position pos, and returns the next position.
func maskCopy(dst, src []byte, key [4]byte, pos int) int {
	pos &= 3
	if len(src) >= 16 {
		k32 := binary.LittleEndian.Uint32(key[:])
		k32 = bits.RotateLeft32(k32, -8*pos)
		k := uint64(k32) | uint64(k32)<<32
		dst = dst[:len(src)]
		for len(src) >= 8 {
			binary.LittleEndian.PutUint64(dst, binary.LittleEndian.Uint64(src)^k)
			src, dst = src[8:], dst[8:]
		}
	}
	for i := range src {
		dst[i] = src[i] ^ key[(pos+i)&3]
	}
	return (pos + len(src)) & 3
}

// checker is the RFC 6455 state machine for the frames one peer sends: it knows whether
// a fragmented message is in progress and what the negotiated extension allows.
type checker struct {
	fromClient bool // frames must be masked
	deflate    bool // permessage-deflate negotiated: RSV1 allowed on a message's first frame
	inMessage  bool // a fragmented data message has started and not finished
	msgOp      Opcode
	compressed bool // the message in progress has RSV1 set
}

// check validates h against the state and, for data frames, advances it.
func (c *checker) check(h *Header) error {
	if !h.Opcode.known() {
		return ErrReservedOpcode
	}
	if h.Masked != c.fromClient {
		if c.fromClient {
			return ErrMaskRequired
		}
		return ErrMaskForbidden
	}
	rsv := h.Rsv
	if c.deflate && rsv&RSV1 != 0 && (h.Opcode == OpText || h.Opcode == OpBinary) {
		rsv &^= RSV1
	}
	if rsv != 0 {
		return ErrReservedBits
	}
	if h.Opcode.IsControl() {
		if !h.Fin {
			return ErrControlFragmented
		}
		if h.Length > MaxControlPayload {
			return ErrControlTooLong
		}
		return nil
	}
	if h.Opcode == OpContinuation {
		if !c.inMessage {
			return ErrContinuationUnexpected
		}
	} else {
		if c.inMessage {
			return ErrContinuationExpected
		}
		c.msgOp = h.Opcode
		c.compressed = h.Rsv&RSV1 != 0
	}
	c.inMessage = !h.Fin
	return nil
}

package wsproxy

import (
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"unicode/utf8"
)

// Close codes (RFC 6455 section 7.4.1) Rampart sends or checks.
const (
	CloseNormal          uint16 = 1000
	CloseGoingAway       uint16 = 1001
	CloseProtocolError   uint16 = 1002
	CloseUnsupportedData uint16 = 1003
	CloseNoStatus        uint16 = 1005 // never sent on the wire
	CloseAbnormal        uint16 = 1006 // never sent on the wire
	CloseInvalidPayload  uint16 = 1007
	ClosePolicyViolation uint16 = 1008
	CloseMessageTooBig   uint16 = 1009
	CloseMandatoryExt    uint16 = 1010
	CloseInternalError   uint16 = 1011
)

// Errors about close frames and payloads.
var (
	ErrBadCloseCode    = fmt.Errorf("%w: invalid close code", ErrProtocol)
	ErrBadClosePayload = fmt.Errorf("%w: close payload of one byte", ErrProtocol)
	// ErrInvalidUTF8 is a text message or close reason that is not valid UTF-8 (close
	// 1007).
	ErrInvalidUTF8 = errors.New("invalid UTF-8 in text message or close reason")
	// ErrMessageTooBig is a client message over the message limit (close 1009).
	ErrMessageTooBig = errors.New("message over the size limit")
)

// validCloseCode reports whether code may appear in a close frame: the codes RFC 6455
// defines for the wire (1000-1003, 1007-1011), those IANA registered since (1012-1014),
// and the ranges left to libraries and applications (3000-4999).
func validCloseCode(code uint16) bool {
	switch {
	case code >= 1000 && code <= 1003, code >= 1007 && code <= 1014:
		return true
	case code >= 3000 && code <= 4999:
		return true
	}
	return false
}

// parseClose validates an unmasked close payload and returns its code (CloseNoStatus
// when the payload is empty) and reason.
func parseClose(p []byte) (code uint16, reason []byte, err error) {
	switch len(p) {
	case 0:
		return CloseNoStatus, nil, nil
	case 1:
		return 0, nil, ErrBadClosePayload
	}
	code = binary.BigEndian.Uint16(p)
	if !validCloseCode(code) {
		return code, nil, ErrBadCloseCode
	}
	if !utf8.Valid(p[2:]) {
		return code, nil, ErrInvalidUTF8
	}
	return code, p[2:], nil
}

// appendCloseFrame appends a close frame with code and reason (cut to fit 125 bytes on a
// rune boundary). A frame to a server must be masked: mask says so, and the key comes
// from crypto/rand (close frames are rare, so the cost does not matter).
func appendCloseFrame(dst []byte, code uint16, reason string, mask bool) []byte {
	if len(reason) > MaxControlPayload-2 {
		reason = reason[:MaxControlPayload-2]
		for len(reason) > 0 && !utf8.ValidString(reason) {
			reason = reason[:len(reason)-1]
		}
	}
	h := Header{Fin: true, Opcode: OpClose, Masked: mask, Length: int64(2 + len(reason))}
	if mask {
		_, _ = rand.Read(h.Mask[:])
	}
	dst = AppendHeader(dst, h)
	start := len(dst)
	dst = binary.BigEndian.AppendUint16(dst, code)
	dst = append(dst, reason...)
	if mask {
		MaskBytes(h.Mask, 0, dst[start:])
	}
	return dst
}

// closeCodeFor returns the close code that answers err from a peer.
func closeCodeFor(err error) uint16 {
	switch {
	case errors.Is(err, ErrInvalidUTF8), errors.Is(err, ErrInvalidCompressed):
		return CloseInvalidPayload
	case errors.Is(err, ErrMessageTooBig):
		return CloseMessageTooBig
	case errors.Is(err, ErrProtocol):
		return CloseProtocolError
	}
	return CloseInternalError
}

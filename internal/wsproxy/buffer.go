package wsproxy

import (
	"math/bits"
	"sync"
)

// readBufSize is the size of a pump's read buffer, taken from a pool when a frame
// arrives and given back once the connection has been idle for a while.
const readBufSize = 16 << 10

var readPool = sync.Pool{New: func() any { return new([readBufSize]byte) }}

// Message buffers come in power-of-two classes from 1 KiB to 4 MiB; larger ones are
// allocated for the message and dropped after it (the message limit caps them).
const (
	minClassShift = 10
	maxClassShift = 22
)

var msgPools [maxClassShift - minClassShift + 1]sync.Pool

// msgBuf is a growable byte buffer whose storage comes from msgPools.
type msgBuf struct {
	b []byte
	p *[]byte // pooled storage, nil when b was allocated outside the pools or is nil
}

// classFor returns the pool index whose buffers hold n bytes, or -1 when n is over the
// largest class.
func classFor(n int) int {
	if n <= 1<<minClassShift {
		return 0
	}
	shift := bits.Len(uint(n - 1))
	if shift > maxClassShift {
		return -1
	}
	return shift - minClassShift
}

// grow makes room for n more bytes without taking more than max(limit, len+n) bytes of
// storage. Callers check the message limit before calling it.
func (m *msgBuf) grow(n, limit int) {
	need := len(m.b) + n
	if need <= cap(m.b) {
		return
	}
	top := max(limit, need)
	need = min(max(need, 2*cap(m.b)), top)
	var nb []byte
	var np *[]byte
	if c := classFor(need); c >= 0 && 1<<(c+minClassShift) <= top {
		if v := msgPools[c].Get(); v != nil {
			np = v.(*[]byte)
		} else {
			b := make([]byte, 0, 1<<(c+minClassShift))
			np = &b
		}
		nb = (*np)[:0]
	} else {
		nb = make([]byte, 0, need)
	}
	nb = append(nb, m.b...)
	m.release()
	m.b, m.p = nb, np
}

// append adds b, growing as needed within limit.
func (m *msgBuf) append(b []byte, limit int) {
	m.grow(len(b), limit)
	m.b = append(m.b, b...)
}

// release gives the storage back to its pool and empties m.
func (m *msgBuf) release() {
	if m.p != nil {
		*m.p = m.b[:0]
		msgPools[classFor(cap(m.b))].Put(m.p)
	}
	m.b, m.p = nil, nil
}

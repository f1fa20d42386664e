package httpproxy

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
)

// Request bodies up to pooledBody bytes are read into pooled buffers; larger ones (up to
// the configured limit) get a buffer of their own, sized from Content-Length when the
// client sent one, and growing as read otherwise.
const pooledBody = 64 << 10

var bodyPool = sync.Pool{New: func() any { b := make([]byte, 0, pooledBody); return &b }}

// bufferedBody is a request body read (at most limit bytes of it) before inspection.
type bufferedBody struct {
	buf       *[]byte // from bodyPool, or nil
	data      []byte  // the bytes read, at most limit
	truncated bool    // the body had more than limit bytes; rest is still in src
	src       io.ReadCloser
	// refs counts the holders of data: the handler, and each reader given to the
	// upstream transport (which may still be writing the body after the response came
	// back). The buffer returns to the pool when the last one lets go.
	refs atomic.Int32
}

// errBodyRead is returned when the client's body could not be read (it disconnected,
// or sent a malformed chunked encoding).
var errBodyRead = errors.New("reading request body")

// readBody reads up to limit bytes of r's body. It never holds more than limit+1 bytes
// at once, whatever Content-Length says.
func readBody(r *http.Request, limit int64) (*bufferedBody, error) {
	b := &bufferedBody{src: r.Body}
	b.refs.Store(1)
	if r.Body == nil || r.Body == http.NoBody || r.ContentLength == 0 {
		return b, nil
	}
	size := int64(pooledBody)
	if r.ContentLength > 0 && r.ContentLength <= limit {
		size = r.ContentLength
	}
	if size <= pooledBody {
		b.buf = bodyPool.Get().(*[]byte)
		b.data = (*b.buf)[:0]
	} else {
		b.data = make([]byte, 0, size)
	}
	// Read limit+1 bytes at most: the extra byte tells a body of exactly limit bytes
	// from a longer one.
	lr := io.LimitedReader{R: r.Body, N: limit + 1}
	for {
		if len(b.data) == cap(b.data) {
			b.data = append(b.data, 0)[:len(b.data)]
		}
		n, err := lr.Read(b.data[len(b.data):cap(b.data)])
		b.data = b.data[:len(b.data)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			b.done()
			return nil, fmt.Errorf("%w: %w", errBodyRead, err)
		}
	}
	if int64(len(b.data)) > limit {
		b.truncated = true
	}
	return b, nil
}

// inspected returns the bytes the engine sees: at most limit.
func (b *bufferedBody) inspected(limit int64) []byte {
	if int64(len(b.data)) > limit {
		return b.data[:limit]
	}
	return b.data
}

// forward returns the body to send upstream (all the bytes read, then the rest of the
// client's body if it was longer), and a GetBody func when the whole body is in memory
// so that a request can be retried on another upstream.
func (b *bufferedBody) forward() (io.ReadCloser, func() (io.ReadCloser, error)) {
	if b.truncated {
		return &splicedBody{Reader: io.MultiReader(bytes.NewReader(b.data), b.src), src: b.src}, nil
	}
	get := func() (io.ReadCloser, error) {
		b.refs.Add(1)
		return &heldBody{Reader: bytes.NewReader(b.data), b: b}, nil
	}
	body, _ := get()
	return body, get
}

// done drops the handler's hold on the buffer.
func (b *bufferedBody) done() { b.unref() }

func (b *bufferedBody) unref() {
	if b.refs.Add(-1) != 0 || b.buf == nil {
		return
	}
	*b.buf = b.data[:0]
	if cap(*b.buf) <= pooledBody {
		bodyPool.Put(b.buf)
	}
	b.buf, b.data = nil, nil
}

// heldBody reads a buffered body and lets go of the buffer when closed.
type heldBody struct {
	*bytes.Reader
	b      *bufferedBody
	closed atomic.Bool
}

func (h *heldBody) Close() error {
	if !h.closed.Swap(true) {
		h.b.unref()
	}
	return nil
}

// splicedBody is the buffered start of a long body followed by the rest, still streaming
// from the client.
type splicedBody struct {
	io.Reader
	src io.Closer
}

func (s *splicedBody) Close() error { return s.src.Close() }

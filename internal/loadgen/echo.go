package loadgen

import (
	"bufio"
	"crypto/sha1"
	"encoding/base64"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"

	"github.com/rampartwaf/rampart/internal/wsproxy"
)

// Echo is a WebSocket echo server for load tests: every data frame a client sends comes
// back unmasked with the same opcode and fragmentation, pings are answered, a close frame
// is answered and ends the connection. Any path is accepted; compression is never
// negotiated. It is not an RFC 6455 validator: it trusts its clients.
type Echo struct {
	ln    net.Listener
	wg    sync.WaitGroup
	mu    sync.Mutex
	conns map[net.Conn]struct{}
}

// ListenEcho starts an echo server on addr.
func ListenEcho(addr string) (*Echo, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	e := &Echo{ln: ln, conns: map[net.Conn]struct{}{}}
	e.wg.Add(1)
	go e.accept()
	return e, nil
}

// Addr is the address the server listens on.
func (e *Echo) Addr() net.Addr { return e.ln.Addr() }

// Close stops the server and closes every connection.
func (e *Echo) Close() error {
	err := e.ln.Close()
	e.mu.Lock()
	for c := range e.conns {
		c.Close()
	}
	e.mu.Unlock()
	e.wg.Wait()
	return err
}

func (e *Echo) accept() {
	defer e.wg.Done()
	for {
		c, err := e.ln.Accept()
		if err != nil {
			return
		}
		e.mu.Lock()
		e.conns[c] = struct{}{}
		e.mu.Unlock()
		e.wg.Add(1)
		go func() {
			defer e.wg.Done()
			_ = serveEcho(c)
			c.Close()
			e.mu.Lock()
			delete(e.conns, c)
			e.mu.Unlock()
		}()
	}
}

// serveEcho performs the server handshake on c and echoes frames until the client
// closes.
func serveEcho(c net.Conn) error {
	br := bufio.NewReaderSize(c, 4096)
	req, err := http.ReadRequest(br)
	if err != nil {
		return err
	}
	key := req.Header.Get("Sec-WebSocket-Key")
	if !strings.EqualFold(req.Header.Get("Upgrade"), "websocket") || key == "" {
		_, _ = io.WriteString(c, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
		return errors.New("not a websocket upgrade")
	}
	sum := sha1.Sum([]byte(key + websocketGUID))
	if _, err := io.WriteString(c, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"+
		"Sec-WebSocket-Accept: "+base64.StdEncoding.EncodeToString(sum[:])+"\r\n\r\n"); err != nil {
		return err
	}
	var buf []byte
	for {
		h, err := readHeader(br)
		if err != nil {
			return err
		}
		if h.Length > 64<<20 {
			return errors.New("frame too large for the echo server")
		}
		out := wsproxy.Header{Fin: h.Fin, Rsv: h.Rsv, Opcode: h.Opcode, Length: h.Length}
		if h.Opcode == wsproxy.OpPing {
			out.Opcode = wsproxy.OpPong
		}
		buf = wsproxy.AppendHeader(buf[:0], out)
		hl := len(buf)
		if cap(buf) < hl+int(h.Length) {
			buf = append(buf, make([]byte, int(h.Length))...)
		}
		buf = buf[:hl+int(h.Length)]
		if _, err := io.ReadFull(br, buf[hl:]); err != nil {
			return err
		}
		if h.Masked {
			wsproxy.MaskBytes(h.Mask, 0, buf[hl:])
		}
		if h.Opcode == wsproxy.OpPong {
			continue
		}
		if _, err := c.Write(buf); err != nil {
			return err
		}
		if h.Opcode == wsproxy.OpClose {
			return nil
		}
	}
}

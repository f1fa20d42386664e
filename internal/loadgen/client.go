package loadgen

import (
	"bufio"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/rampartwaf/rampart/internal/wsproxy"
)

const websocketGUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

// Conn is a minimal WebSocket client connection: it sends masked text frames and reads
// unfragmented frames. It is not safe for concurrent use.
type Conn struct {
	c   net.Conn
	br  *bufio.Reader
	out []byte
	in  []byte
}

// ErrClosed is returned by Read when the server sent a close frame; CloseCode says which.
var ErrClosed = errors.New("websocket closed by the server")

// CloseError is ErrClosed with the code the server sent.
type CloseError struct{ Code uint16 }

func (e *CloseError) Error() string {
	return fmt.Sprintf("websocket closed by the server with %d", e.Code)
}

// Unwrap makes errors.Is(err, ErrClosed) hold.
func (e *CloseError) Unwrap() error { return ErrClosed }

// Dial connects to a ws:// URL and performs the opening handshake.
func Dial(rawURL string, timeout time.Duration) (*Conn, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("parsing %q: %w", rawURL, err)
	}
	if u.Scheme != "ws" {
		return nil, fmt.Errorf("%q: only ws:// URLs are supported", rawURL)
	}
	host := u.Host
	if u.Port() == "" {
		host += ":80"
	}
	c, err := net.DialTimeout("tcp", host, timeout)
	if err != nil {
		return nil, fmt.Errorf("dialling %s: %w", host, err)
	}
	_ = c.SetDeadline(time.Now().Add(timeout))
	var k [16]byte
	_, _ = rand.Read(k[:])
	key := base64.StdEncoding.EncodeToString(k[:])
	path := u.RequestURI()
	req := "GET " + path + " HTTP/1.1\r\nHost: " + u.Host + "\r\nUser-Agent: rampart-load\r\n" +
		"Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: " + key + "\r\n\r\n"
	if _, err := io.WriteString(c, req); err != nil {
		c.Close()
		return nil, fmt.Errorf("sending the handshake: %w", err)
	}
	br := bufio.NewReaderSize(c, 4096)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		c.Close()
		return nil, fmt.Errorf("reading the handshake response: %w", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSwitchingProtocols {
		c.Close()
		return nil, fmt.Errorf("handshake answered %s", resp.Status)
	}
	sum := sha1.Sum([]byte(key + websocketGUID))
	if resp.Header.Get("Sec-WebSocket-Accept") != base64.StdEncoding.EncodeToString(sum[:]) {
		c.Close()
		return nil, errors.New("handshake: bad Sec-WebSocket-Accept")
	}
	_ = c.SetDeadline(time.Time{})
	return &Conn{c: c, br: br}, nil
}

// SetDeadline sets the deadline of the underlying connection.
func (c *Conn) SetDeadline(t time.Time) error { return c.c.SetDeadline(t) }

// WriteText sends msg as one masked text frame.
func (c *Conn) WriteText(msg []byte) error {
	h := wsproxy.Header{Fin: true, Opcode: wsproxy.OpText, Masked: true, Length: int64(len(msg))}
	_, _ = rand.Read(h.Mask[:])
	c.out = wsproxy.AppendHeader(c.out[:0], h)
	n := len(c.out)
	c.out = append(c.out, msg...)
	wsproxy.MaskBytes(h.Mask, 0, c.out[n:])
	_, err := c.c.Write(c.out)
	return err
}

// Read reads the next data frame and returns its payload, valid until the next Read.
// Pings are answered; a close frame ends with a *CloseError.
func (c *Conn) Read() ([]byte, error) {
	for {
		h, err := readHeader(c.br)
		if err != nil {
			return nil, err
		}
		if h.Length > 16<<20 {
			return nil, fmt.Errorf("frame of %d bytes: too large for a load test", h.Length)
		}
		if cap(c.in) < int(h.Length) {
			c.in = make([]byte, h.Length)
		}
		p := c.in[:h.Length]
		if _, err := io.ReadFull(c.br, p); err != nil {
			return nil, err
		}
		switch h.Opcode {
		case wsproxy.OpClose:
			code := uint16(1005)
			if len(p) >= 2 {
				code = uint16(p[0])<<8 | uint16(p[1])
			}
			return nil, &CloseError{Code: code}
		case wsproxy.OpPing:
			pong := wsproxy.Header{Fin: true, Opcode: wsproxy.OpPong, Masked: true, Length: int64(len(p))}
			out := wsproxy.AppendHeader(nil, pong)
			if _, err := c.c.Write(append(out, p...)); err != nil { // zero mask: payload unchanged
				return nil, err
			}
		case wsproxy.OpPong:
		default:
			return p, nil
		}
	}
}

// readHeader reads one frame header from r.
func readHeader(r *bufio.Reader) (wsproxy.Header, error) {
	var hb [wsproxy.MaxHeaderLen]byte
	if _, err := io.ReadFull(r, hb[:2]); err != nil {
		return wsproxy.Header{}, err
	}
	n := 2
	switch hb[1] & 0x7f {
	case 126:
		n += 2
	case 127:
		n += 8
	}
	if hb[1]&0x80 != 0 {
		n += 4
	}
	if _, err := io.ReadFull(r, hb[2:n]); err != nil {
		return wsproxy.Header{}, err
	}
	h, _, err := wsproxy.ParseHeader(hb[:n])
	return h, err
}

// Close sends a close frame (1000) and closes the connection.
func (c *Conn) Close() error {
	h := wsproxy.Header{Fin: true, Opcode: wsproxy.OpClose, Masked: true, Length: 2}
	b := append(wsproxy.AppendHeader(nil, h), 0x03, 0xe8) // zero mask
	_ = c.c.SetWriteDeadline(time.Now().Add(time.Second))
	_, _ = c.c.Write(b)
	return c.c.Close()
}

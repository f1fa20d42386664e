package loadgen

import (
	"io"
	"net"
	"sync"
)

// TCPProxy copies bytes between each client and a new connection to the upstream, and
// nothing else: the baseline a WebSocket proxy's cost is compared with.
type TCPProxy struct {
	ln       net.Listener
	upstream string
	wg       sync.WaitGroup
	mu       sync.Mutex
	conns    map[net.Conn]struct{}
}

// ListenTCPProxy starts a byte-copying proxy on addr in front of upstream (host:port).
func ListenTCPProxy(addr, upstream string) (*TCPProxy, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	p := &TCPProxy{ln: ln, upstream: upstream, conns: map[net.Conn]struct{}{}}
	p.wg.Add(1)
	go p.accept()
	return p, nil
}

// Addr is the address the proxy listens on.
func (p *TCPProxy) Addr() net.Addr { return p.ln.Addr() }

// Close stops the proxy and closes every connection.
func (p *TCPProxy) Close() error {
	err := p.ln.Close()
	p.mu.Lock()
	for c := range p.conns {
		c.Close()
	}
	p.mu.Unlock()
	p.wg.Wait()
	return err
}

func (p *TCPProxy) track(c net.Conn, on bool) {
	p.mu.Lock()
	if on {
		p.conns[c] = struct{}{}
	} else {
		delete(p.conns, c)
	}
	p.mu.Unlock()
}

func (p *TCPProxy) accept() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			up, err := net.Dial("tcp", p.upstream)
			if err != nil {
				c.Close()
				return
			}
			p.track(c, true)
			p.track(up, true)
			done := make(chan struct{})
			go func() {
				_, _ = io.Copy(up, c)
				up.Close()
				close(done)
			}()
			_, _ = io.Copy(c, up)
			c.Close()
			<-done
			p.track(c, false)
			p.track(up, false)
		}()
	}
}

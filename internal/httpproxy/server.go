package httpproxy

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// ServerOptions configure the listener. They are read once, at Listen: changing the
// listen address, TLS on/off or the header limit needs a restart.
type ServerOptions struct {
	Addr              string
	TLSCert, TLSKey   string // both or neither
	ReadHeaderTimeout time.Duration
	IdleTimeout       time.Duration
	MaxHeaderBytes    int // the hard cap (see HeaderCap): over it, Go answers 431
	Logger            *slog.Logger
}

// Server is the proxy's listener: HTTP/1.1, and HTTP/2 when TLS is on (offered through
// ALPN). Its certificate can be reloaded without a restart.
type Server struct {
	srv  *http.Server
	ln   net.Listener
	cert atomic.Pointer[tls.Certificate]
	opts ServerOptions
	tls  bool

	shutdownHooks []func(context.Context)
	mu            sync.Mutex
}

// Listen opens the listener; Serve then serves h on it.
func Listen(opts ServerOptions, h http.Handler) (*Server, error) {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	s := &Server{opts: opts}
	s.srv = &http.Server{
		Handler:           h,
		ReadHeaderTimeout: opts.ReadHeaderTimeout,
		IdleTimeout:       opts.IdleTimeout,
		MaxHeaderBytes:    opts.MaxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(opts.Logger.Handler(), slog.LevelDebug),
	}
	ln, err := net.Listen("tcp", opts.Addr)
	if err != nil {
		return nil, fmt.Errorf("listening on %s: %w", opts.Addr, err)
	}
	if opts.TLSCert != "" || opts.TLSKey != "" {
		if err := s.ReloadCertificate(opts.TLSCert, opts.TLSKey); err != nil {
			ln.Close()
			return nil, err
		}
		cfg := &tls.Config{
			MinVersion: tls.VersionTLS12,
			NextProtos: []string{"h2", "http/1.1"},
			GetCertificate: func(*tls.ClientHelloInfo) (*tls.Certificate, error) {
				return s.cert.Load(), nil
			},
		}
		s.srv.TLSConfig = cfg
		s.tls = true
	}
	s.ln = ln
	return s, nil
}

// ReloadCertificate loads a new certificate and key; new TLS handshakes use it.
func (s *Server) ReloadCertificate(certFile, keyFile string) error {
	c, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return fmt.Errorf("loading TLS certificate: %w", err)
	}
	s.cert.Store(&c)
	return nil
}

// Addr is the address the server listens on (useful with port 0).
func (s *Server) Addr() net.Addr { return s.ln.Addr() }

// TLS reports whether the listener speaks TLS.
func (s *Server) TLS() bool { return s.tls }

// OnShutdown registers f to run when Shutdown starts, e.g. to close WebSockets, which
// http.Server does not track once hijacked.
func (s *Server) OnShutdown(f func(context.Context)) {
	s.mu.Lock()
	s.shutdownHooks = append(s.shutdownHooks, f)
	s.mu.Unlock()
}

// Serve serves until Shutdown; it returns nil after a graceful shutdown.
func (s *Server) Serve() error {
	var err error
	if s.tls {
		// Empty file names: the certificate comes from TLSConfig.GetCertificate.
		// ServeTLS also sets HTTP/2 up on the server.
		err = s.srv.ServeTLS(s.ln, "", "")
	} else {
		err = s.srv.Serve(s.ln)
	}
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// Shutdown stops accepting connections, runs the shutdown hooks (closing WebSockets
// with 1001), and waits for in-flight requests to finish or ctx to end.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	hooks := s.shutdownHooks
	s.mu.Unlock()
	var wg sync.WaitGroup
	for _, f := range hooks {
		wg.Add(1)
		go func() { defer wg.Done(); f(ctx) }()
	}
	err := s.srv.Shutdown(ctx)
	wg.Wait()
	return err
}

// HeaderCap is the server's hard cap on request headers for a limits.header_bytes of
// limit: twice the limit, so that headers over the limit but under the cap reach the
// engine, which decides as limits.on_exceed says (block, or pass with OVERSIZE), and
// only beyond it does the server refuse them with 431 before reading more.
func HeaderCap(limit int) int {
	return 2 * limit
}

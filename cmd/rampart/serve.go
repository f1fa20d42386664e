package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/rampartwaf/rampart/internal/admin"
	"github.com/rampartwaf/rampart/internal/config"
	"github.com/rampartwaf/rampart/internal/events"
	"github.com/rampartwaf/rampart/internal/httpproxy"
	"github.com/rampartwaf/rampart/internal/metrics"
	"github.com/rampartwaf/rampart/internal/state"
	"github.com/rampartwaf/rampart/internal/wsproxy"
)

// shutdownGrace is how long a shutdown waits for in-flight requests and WebSocket close
// handshakes before dropping what is left.
const shutdownGrace = 30 * time.Second

// serveOptions say how to start the proxy.
type serveOptions struct {
	configPath string
	overrides  config.Overrides
	logLevel   slog.Level
	// ready, if set, is called once both listeners are open.
	ready func(proxyAddr, adminAddr string, cfg *config.Config)
}

// serve runs the proxy until SIGINT or SIGTERM (or ctx ends), reloading the config on
// SIGHUP and when its file changes. It returns the process exit code.
func serve(ctx context.Context, env *cmdEnv, o serveOptions) int {
	log := slog.New(slog.NewTextHandler(env.stderr, &slog.HandlerOptions{Level: o.logLevel}))

	m := metrics.New()
	ring := events.NewRing(1000)
	bus := events.NewBus(m.EventDropped, events.NewJSONLines(env.stdout), ring)
	defer bus.Close()

	var proxy *httpproxy.Proxy
	var wsp *wsproxy.Proxy
	// Counters and flags live in one store for the life of the process: a reload keeps
	// them (a change of state: takes a restart).
	var store state.Store
	sw := stateWiring{onFlag: flagged(m, bus, func() *wsproxy.Proxy { return wsp }), geo: &geoCache{}}
	var server *httpproxy.Server
	var current *config.Config
	apply := func(cfg *config.Config) error {
		c, err := compile(cfg, sw)
		if err != nil {
			return err
		}
		if cfg.TLS != nil && server != nil && server.TLS() {
			if err := server.ReloadCertificate(cfg.TLS.Cert, cfg.TLS.Key); err != nil {
				return err
			}
		}
		if err := proxy.Update(c.http); err != nil {
			return err
		}
		wsp.Reload(c.ws)
		if changed := restartNeeded(current, cfg); len(changed) > 0 {
			log.Warn("config reloaded; some changes take effect only after a restart", "settings", strings.Join(changed, ", "))
		}
		current = cfg
		m.ConfigMode(string(cfg.Mode))
		return nil
	}
	reloader, err := config.NewReloader(o.configPath, o.overrides, apply)
	if err != nil {
		printConfigError(env.stderr, err)
		return 1
	}
	cfg := reloader.Current()
	current = cfg
	m.ConfigMode(string(cfg.Mode))
	store, err = newStore(ctx, cfg)
	if err != nil {
		fmt.Fprintf(env.stderr, "rampart: %v\n", err)
		return 1
	}
	defer store.Close()
	sw.store = store

	c, err := compile(cfg, sw)
	if err != nil {
		fmt.Fprintf(env.stderr, "rampart: %v\n", err)
		return 1
	}
	rec := wsRecorder{m: m, bus: bus}
	wsp = wsproxy.New(wsproxy.Options{
		Settings:  c.ws,
		OnMessage: rec.message, OnOpen: rec.open, OnClose: rec.close,
		Logger: log,
	})
	defer wsp.Close()
	proxy, err = httpproxy.New(c.http, httpproxy.Options{Metrics: m, Events: bus, Logger: log, WebSocket: wsp})
	if err != nil {
		fmt.Fprintf(env.stderr, "rampart: %v\n", err)
		return 1
	}
	defer proxy.Close()

	sopts := httpproxy.ServerOptions{
		Addr:              cfg.Listen,
		ReadHeaderTimeout: cfg.Timeouts.ReadHeader,
		IdleTimeout:       cfg.Timeouts.Idle,
		MaxHeaderBytes:    httpproxy.HeaderCap(cfg.Limits.HeaderBytes),
		Logger:            log,
	}
	if cfg.TLS != nil {
		sopts.TLSCert, sopts.TLSKey = cfg.TLS.Cert, cfg.TLS.Key
	}
	server, err = httpproxy.Listen(sopts, proxy)
	if err != nil {
		fmt.Fprintf(env.stderr, "rampart: %v\n", err)
		return 1
	}
	server.OnShutdown(func(ctx context.Context) {
		if err := wsp.Shutdown(ctx); err != nil {
			log.Warn("websockets still open at the end of the grace period were dropped", "err", err)
		}
	})

	adminHandler := admin.New(admin.Options{
		Metrics: m, Events: ring, Version: versionString(), Flags: store, OnFlag: func(f state.Flag) { sw.onFlag(f, nil) },
		Config: func() any { return effectiveConfig(reloader.Current()) },
	})
	var adminSrv *http.Server
	adminAddr := ""
	if cfg.Admin.Listen != "" {
		aln, err := net.Listen("tcp", cfg.Admin.Listen)
		if err != nil {
			fmt.Fprintf(env.stderr, "rampart: admin listener: %v\n", err)
			return 1
		}
		adminAddr = aln.Addr().String()
		adminSrv = &http.Server{Handler: adminHandler, ReadHeaderTimeout: 10 * time.Second}
		go func() {
			if err := adminSrv.Serve(aln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				log.Error("admin listener", "err", err)
			}
		}()
	}

	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	report := func(err error) {
		m.Reload(err == nil)
		if err != nil {
			log.Error("config reload rejected", "err", errorForLog(err))
			return
		}
		log.Info("config reloaded", "file", o.configPath)
	}
	go reloader.ReloadOn(ctx, hup, report)
	go func() {
		if err := reloader.Watch(ctx, report); err != nil {
			log.Warn("not watching the config file; reload with SIGHUP", "err", err)
		}
	}()

	served := make(chan error, 1)
	go func() { served <- server.Serve() }()
	adminHandler.SetReady(true)
	log.Info("rampart started", "listen", server.Addr().String(), "tls", server.TLS(), "upstreams", upstreamList(cfg),
		"mode", cfg.Mode, "admin", adminAddr, "config", o.configPath, "version", versionString())
	if o.ready != nil {
		o.ready(server.Addr().String(), adminAddr, cfg)
	}

	code := 0
	select {
	case err := <-served:
		log.Error("proxy listener failed", "err", err)
		code = 1
	case <-ctx.Done():
		log.Info("shutting down: draining requests and closing WebSockets", "grace", shutdownGrace)
	}
	stop() // a second Ctrl-C now kills the process the default way
	adminHandler.SetReady(false)
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := server.Shutdown(sctx); err != nil {
		log.Warn("shutdown did not finish cleanly", "err", err)
	}
	if adminSrv != nil {
		_ = adminSrv.Shutdown(sctx)
	}
	log.Info("stopped")
	return code
}

// printConfigError prints a config error: one FILE:LINE:COL: message per line.
func printConfigError(w io.Writer, err error) {
	var list config.ErrorList
	if errors.As(err, &list) {
		for _, e := range list {
			fmt.Fprintln(w, e.Error())
		}
		fmt.Fprintf(w, "rampart: %d mistake(s) in the configuration\n", list.Count())
		return
	}
	fmt.Fprintf(w, "rampart: %v\n", err)
}

// errorForLog flattens a (possibly multi-line) config error for a log line.
func errorForLog(err error) string {
	return strings.ReplaceAll(err.Error(), "\n", "; ")
}

func upstreamList(cfg *config.Config) string {
	parts := make([]string, len(cfg.Upstreams))
	for i, u := range cfg.Upstreams {
		parts[i] = u.String()
	}
	return strings.Join(parts, ",")
}

// effectiveConfig is what the admin API shows: the configuration in force as YAML.
func effectiveConfig(cfg *config.Config) any {
	if cfg.State.RedisURL != "" {
		c := *cfg
		if u, err := url.Parse(c.State.RedisURL); err == nil {
			c.State.RedisURL = u.Redacted() // the password stays out of the admin API
		}
		cfg = &c
	}
	b, err := cfg.Marshal()
	if err != nil {
		return map[string]string{"error": err.Error()}
	}
	return map[string]string{"file": cfg.File, "yaml": string(b)}
}

// parseLogLevel accepts debug, info, warn, error.
func parseLogLevel(s string) (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(s)); err != nil {
		return 0, fmt.Errorf("--log-level: want debug, info, warn or error, not %q", s)
	}
	return l, nil
}

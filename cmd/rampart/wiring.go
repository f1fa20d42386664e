package main

import (
	"context"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/rampartwaf/rampart/internal/config"
	"github.com/rampartwaf/rampart/internal/engine"
	"github.com/rampartwaf/rampart/internal/events"
	"github.com/rampartwaf/rampart/internal/geoip"
	"github.com/rampartwaf/rampart/internal/httpproxy"
	"github.com/rampartwaf/rampart/internal/metrics"
	"github.com/rampartwaf/rampart/internal/parse"
	"github.com/rampartwaf/rampart/internal/request"
	"github.com/rampartwaf/rampart/internal/state"
	"github.com/rampartwaf/rampart/internal/wsproxy"
)

// engineOptions translates the config into the engine's options. Rate limits,
// thresholds and flags need a state store: see withState.
func engineOptions(cfg *config.Config) engine.Options {
	o := engine.Options{
		FailOpen:     cfg.Fail == config.FailOpen,
		PassOversize: cfg.Limits.OnExceed == config.ExceedPass,
		Limits:       parse.Limits{Params: cfg.Limits.Params, Depth: cfg.Limits.Depth, BodyBytes: int(cfg.Limits.BodyBytes), FileBytes: fileBytes(cfg.Limits.FileBytes)},
		HeaderBytes:  cfg.Limits.HeaderBytes,
		MessageBytes: cfg.Limits.WSMessageBytes,
		Policy:       cfg.Rules,
	}
	switch cfg.Mode {
	case config.ModeLog:
		o.Mode = engine.ModeLog
	case config.ModeOff:
		o.Mode = engine.ModeOff
	default:
		o.Mode = engine.ModeBlock
	}
	return o
}

// fileBytes maps limits.file_bytes to parse.Limits.FileBytes, where 0 means the
// parser's default and a negative value no file contents.
func fileBytes(n int) int {
	if n == 0 {
		return -1
	}
	return n
}

// compiled is a configuration made ready for the proxies: both share one engine.
type compiled struct {
	http httpproxy.Settings
	ws   wsproxy.Settings
}

// stateWiring is what the engine shares across reloads: the state store (counters and
// flags outlive a config) and what to do when an IP gets flagged.
type stateWiring struct {
	store  state.Store
	onFlag func(state.Flag, *request.Request)
	geo    *geoCache
}

// geoCache keeps the GeoIP database open across reloads while its file stays the same.
// A database replaced by a reload is not closed: requests in flight may still read it.
type geoCache struct {
	mu    sync.Mutex
	path  string
	mtime time.Time
	db    *geoip.DB
}

// open returns the database at path, reopened when the file changed.
func (g *geoCache) open(path string) (*geoip.DB, error) {
	if g == nil || path == "" {
		return nil, nil
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("geoip: %w", err)
	}
	if g.db != nil && g.path == path && g.mtime.Equal(st.ModTime()) {
		return g.db, nil
	}
	db, err := geoip.Open(path)
	if err != nil {
		return nil, err
	}
	g.path, g.mtime, g.db = path, st.ModTime(), db
	return db, nil
}

// compile builds the engine for cfg and the HTTP and WebSocket proxies' settings.
func compile(cfg *config.Config, sw stateWiring) (compiled, error) {
	opts := engineOptions(cfg)
	opts.State, opts.OnFlag = sw.store, sw.onFlag
	if cfg.GeoIP.Database != "" {
		db, err := sw.geo.open(cfg.GeoIP.Database)
		if err != nil {
			return compiled{}, fmt.Errorf("opening the GeoIP database: %w", err)
		}
		if db != nil {
			opts.GeoIP = db
		}
	}
	eng, err := engine.New(opts)
	if err != nil {
		return compiled{}, fmt.Errorf("building the engine: %w", err)
	}
	return compiled{
		http: httpproxy.Settings{
			Engine:          eng,
			Upstreams:       cfg.Upstreams,
			BlockStatus:     cfg.Block.Status,
			BodyLimit:       cfg.Limits.BodyBytes,
			HeaderLimit:     cfg.Limits.HeaderBytes,
			ClientIPHeader:  cfg.ClientIP.Header,
			TrustedProxies:  cfg.ClientIP.TrustedProxies,
			ConnectTimeout:  cfg.Timeouts.UpstreamConnect,
			ResponseTimeout: cfg.Timeouts.UpstreamResponse,
		},
		ws: wsproxy.Settings{
			Inspector:     eng,
			Inspect:       cfg.WebSocket.Inspect && cfg.Mode != config.ModeOff,
			InspectBinary: cfg.WebSocket.InspectBinary,
			MessageBytes:  cfg.Limits.WSMessageBytes,
		},
	}, nil
}

// wsRecorder turns the WebSocket proxy's callbacks into metrics and events: every
// message judged is counted, and one that was blocked, or had signals, is an event
// (Status is the close code the client got).
type wsRecorder struct {
	m   *metrics.Metrics
	bus *events.Bus
}

func (rec wsRecorder) message(ev wsproxy.MessageEvent) {
	v := ev.Verdict
	decision := v.Decision()
	rec.m.WebSocketMessage(decision, ev.Took)
	for i := range v.Signals {
		rec.m.Signal(v.Signals[i].Name)
	}
	for _, id := range v.Rules {
		rec.m.RuleMatch(id)
	}
	if !v.Recorded() {
		return
	}
	e := events.FromRequest(ev.Request)
	e.Action = decision
	e.Reason = v.Reason.String()
	e.Rule = v.Rule
	if ev.Blocked {
		e.Status = int(ev.CloseCode)
	}
	if v.Err != nil {
		e.Error = v.Err.Error()
	}
	rec.bus.Emit(e)
}

func (rec wsRecorder) open(*wsproxy.ConnInfo)                     { rec.m.WebSocketOpen(1) }
func (rec wsRecorder) close(*wsproxy.ConnInfo, wsproxy.CloseInfo) { rec.m.WebSocketOpen(-1) }

// restartNeeded lists the settings that changed between two configs but only take
// effect on a restart (they belong to listeners already open).
func restartNeeded(old, cur *config.Config) []string {
	var out []string
	if old.Listen != cur.Listen {
		out = append(out, "listen")
	}
	if (old.TLS == nil) != (cur.TLS == nil) {
		out = append(out, "tls (on/off)")
	}
	if old.Admin.Listen != cur.Admin.Listen {
		out = append(out, "admin.listen")
	}
	if old.Limits.HeaderBytes != cur.Limits.HeaderBytes {
		out = append(out, "limits.header_bytes")
	}
	if old.Timeouts.ReadHeader != cur.Timeouts.ReadHeader || old.Timeouts.Idle != cur.Timeouts.Idle {
		out = append(out, "timeouts.read_header/idle")
	}
	if old.State != cur.State {
		out = append(out, "state")
	}
	return out
}

// newStore opens the state store the config names.
func newStore(ctx context.Context, cfg *config.Config) (state.Store, error) {
	if cfg.State.Store != config.StoreRedis {
		return state.NewMemory(state.MemoryOptions{}), nil
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	s, err := state.NewRedis(ctx, state.RedisOptions{URL: cfg.State.RedisURL, Prefix: cfg.State.RedisPrefix, Timeout: cfg.State.RedisTimeout})
	if err != nil {
		return nil, fmt.Errorf("opening the state store: %w", err)
	}
	return s, nil
}

// flagged is what happens when an IP gets flagged (by a threshold, or through the admin
// API): its open WebSockets are closed with 1008, and a "flag" event is recorded. r is
// the request that got the IP flagged, nil for the admin API.
func flagged(m *metrics.Metrics, bus *events.Bus, wsp func() *wsproxy.Proxy) func(state.Flag, *request.Request) {
	return func(f state.Flag, r *request.Request) {
		m.Flagged()
		if p := wsp(); p != nil {
			p.CloseIP(f.IP, "flagged")
		}
		ev := &events.Event{
			Time: time.Now().UTC(), Action: "flag", Reason: f.Reason, IP: f.IP.String(),
			FlagUntil: f.Until.UTC().Format(time.RFC3339),
		}
		if r != nil {
			ev.RequestID, ev.Protocol = r.ID, r.Protocol.String()
			ev.ConnID, ev.MessageIndex = r.ConnID, r.MessageIndex
		}
		bus.Emit(ev)
	}
}

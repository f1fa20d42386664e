package admin

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/pprof"
	"net/netip"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/rampartwaf/rampart/internal/events"
	"github.com/rampartwaf/rampart/internal/metrics"
	"github.com/rampartwaf/rampart/internal/state"
)

// Options wire the admin API to the rest of Rampart. Every field may be nil.
type Options struct {
	Metrics *metrics.Metrics
	Events  *events.Ring
	// Config returns a description of the configuration in force, safe to show.
	Config  func() any
	Version string
	// Flags holds the IP flags set by the thresholds: listed, set and lifted through
	// /api/flags. A state.Store is one.
	Flags FlagStore
	// OnFlag, if set, is called after a flag was set through the API (to close the IP's
	// WebSockets and record an event).
	OnFlag func(state.Flag)
}

// FlagStore is the part of state.Store the admin API uses.
type FlagStore interface {
	Flags(ctx context.Context, now time.Time) ([]state.Flag, error)
	SetFlag(ctx context.Context, f state.Flag) error
	Unflag(ctx context.Context, ip netip.Addr) (bool, error)
}

// Handler is the admin listener's http.Handler.
type Handler struct {
	mux   *http.ServeMux
	ready atomic.Bool
	opts  Options
}

// New builds the admin handler. It starts not ready.
func New(opts Options) *Handler {
	h := &Handler{mux: http.NewServeMux(), opts: opts}
	h.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		writeText(w, http.StatusOK, "ok\n")
	})
	h.mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, _ *http.Request) {
		if h.ready.Load() {
			writeText(w, http.StatusOK, "ready\n")
			return
		}
		writeText(w, http.StatusServiceUnavailable, "not ready\n")
	})
	if opts.Metrics != nil {
		h.mux.Handle("GET /metrics", promhttp.HandlerFor(opts.Metrics.Registry, promhttp.HandlerOpts{}))
	}
	h.mux.HandleFunc("GET /api/events", h.recentEvents)
	h.mux.HandleFunc("GET /api/config", func(w http.ResponseWriter, _ *http.Request) {
		if opts.Config == nil {
			writeJSON(w, http.StatusNotFound, map[string]string{"error": "no configuration"})
			return
		}
		writeJSON(w, http.StatusOK, opts.Config())
	})
	h.mux.HandleFunc("GET /api/flags", h.listFlags)
	h.mux.HandleFunc("POST /api/flags", h.setFlag)
	h.mux.HandleFunc("DELETE /api/flags/{ip}", h.liftFlag)
	h.mux.HandleFunc("GET /api/version", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"version": opts.Version})
	})
	// Go's profiler, for operators chasing a CPU or memory problem (the admin listener
	// is on loopback by default).
	h.mux.HandleFunc("GET /debug/pprof/", pprof.Index)
	h.mux.HandleFunc("GET /debug/pprof/cmdline", pprof.Cmdline)
	h.mux.HandleFunc("GET /debug/pprof/profile", pprof.Profile)
	h.mux.HandleFunc("GET /debug/pprof/symbol", pprof.Symbol)
	h.mux.HandleFunc("GET /debug/pprof/trace", pprof.Trace)
	h.mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, _ *http.Request) {
		writeText(w, http.StatusOK, "Rampart admin\n\n/healthz  /readyz  /metrics  /api/events?limit=N  /api/flags  /api/config  /api/version  /debug/pprof/\n")
	})
	return h
}

// SetReady marks the proxy as ready (serving) or not (starting, shutting down).
func (h *Handler) SetReady(ready bool) { h.ready.Store(ready) }

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.mux.ServeHTTP(w, r) }

func (h *Handler) recentEvents(w http.ResponseWriter, r *http.Request) {
	if h.opts.Events == nil {
		writeJSON(w, http.StatusOK, []*events.Event{})
		return
	}
	limit := 100
	if s := r.URL.Query().Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": "limit must be a positive integer"})
			return
		}
		limit = n
	}
	writeJSON(w, http.StatusOK, h.opts.Events.Recent(limit))
}

func writeText(w http.ResponseWriter, status int, s string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(s))
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

// listFlags answers GET /api/flags: the flagged IPs, oldest flag first.
func (h *Handler) listFlags(w http.ResponseWriter, r *http.Request) {
	if h.opts.Flags == nil {
		writeJSON(w, http.StatusOK, []state.Flag{})
		return
	}
	flags, err := h.opts.Flags.Flags(r.Context(), time.Now())
	if err != nil {
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"error": err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, flags)
}

// setFlag answers POST /api/flags {"ip": "192.0.2.7", "duration": "1h", "reason": "..."}:
// it flags the IP by hand (duration defaults to 24h).
func (h *Handler) setFlag(w http.ResponseWriter, r *http.Request) {
	if h.opts.Flags == nil {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "no state store"})
		return
	}
	var in struct {
		IP       string `json:"ip"`
		Duration string `json:"duration"`
		Reason   string `json:"reason"`
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 4096))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "want {\"ip\": ADDRESS, \"duration\": \"1h\", \"reason\": TEXT}"})
		return
	}
	ip, err := netip.ParseAddr(in.IP)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "bad ip"})
		return
	}
	d := 24 * time.Hour
	if in.Duration != "" {
		if d, err = time.ParseDuration(in.Duration); err != nil || d <= 0 {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": "bad duration (like 1h or 30m)"})
			return
		}
	}
	if in.Reason == "" {
		in.Reason = "flagged through the admin API"
	}
	now := time.Now().UTC()
	f := state.Flag{IP: ip.Unmap(), Since: now, Until: now.Add(d), Reason: in.Reason}
	if err := h.opts.Flags.SetFlag(r.Context(), f); err != nil {
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"error": err.Error()})
		return
	}
	if h.opts.OnFlag != nil {
		h.opts.OnFlag(f)
	}
	writeJSON(w, http.StatusOK, f)
}

// liftFlag answers DELETE /api/flags/{ip}: 200 when the IP was flagged, 404 when not.
func (h *Handler) liftFlag(w http.ResponseWriter, r *http.Request) {
	ip, err := netip.ParseAddr(r.PathValue("ip"))
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "bad ip"})
		return
	}
	if h.opts.Flags == nil {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "not flagged"})
		return
	}
	ok, err := h.opts.Flags.Unflag(r.Context(), ip.Unmap())
	switch {
	case err != nil:
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"error": err.Error()})
	case !ok:
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "not flagged"})
	default:
		writeJSON(w, http.StatusOK, map[string]string{"lifted": ip.String()})
	}
}

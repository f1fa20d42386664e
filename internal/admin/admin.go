package admin

import (
	"encoding/json"
	"net/http"
	"net/http/pprof"
	"strconv"
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/rampartwaf/rampart/internal/events"
	"github.com/rampartwaf/rampart/internal/metrics"
)

// Options wire the admin API to the rest of Rampart. Every field may be nil.
type Options struct {
	Metrics *metrics.Metrics
	Events  *events.Ring
	// Config returns a description of the configuration in force, safe to show.
	Config  func() any
	Version string
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
		writeText(w, http.StatusOK, "Rampart admin\n\n/healthz  /readyz  /metrics  /api/events?limit=N  /api/config  /api/version  /debug/pprof/\n")
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

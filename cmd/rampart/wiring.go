package main

import (
	"fmt"

	"github.com/rampartwaf/rampart/internal/config"
	"github.com/rampartwaf/rampart/internal/engine"
	"github.com/rampartwaf/rampart/internal/httpproxy"
	"github.com/rampartwaf/rampart/internal/parse"
)

// engineOptions translates the config into the engine's options.
func engineOptions(cfg *config.Config) engine.Options {
	o := engine.Options{
		FailOpen:     cfg.Fail == config.FailOpen,
		PassOversize: cfg.Limits.OnExceed == config.ExceedPass,
		Limits:       parse.Limits{Params: cfg.Limits.Params, Depth: cfg.Limits.Depth},
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

// proxySettings compiles the config into the HTTP proxy's settings, with a new engine.
func proxySettings(cfg *config.Config) (httpproxy.Settings, error) {
	eng, err := engine.New(engineOptions(cfg))
	if err != nil {
		return httpproxy.Settings{}, fmt.Errorf("building the engine: %w", err)
	}
	return httpproxy.Settings{
		Engine:          eng,
		Upstreams:       cfg.Upstreams,
		BlockStatus:     cfg.Block.Status,
		BodyLimit:       cfg.Limits.BodyBytes,
		ClientIPHeader:  cfg.ClientIP.Header,
		TrustedProxies:  cfg.ClientIP.TrustedProxies,
		ConnectTimeout:  cfg.Timeouts.UpstreamConnect,
		ResponseTimeout: cfg.Timeouts.UpstreamResponse,
	}, nil
}

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
	return out
}

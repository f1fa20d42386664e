package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/rampartwaf/rampart/internal/config"
)

// proxyFlags are the flags run and demo share.
type proxyFlags struct {
	config, listen, upstream, mode, adminListen, logLevel string
}

func (p *proxyFlags) declare(fs *flag.FlagSet, withConfig bool) {
	if withConfig {
		fs.StringVar(&p.config, "config", "", "YAML config `file` (optional: without one, the built-in defaults apply)")
		p.declareOverrides(fs)
	} else {
		fs.StringVar(&p.listen, "listen", "", "proxy listen `address` (default 127.0.0.1:8080)")
		fs.StringVar(&p.adminListen, "admin-listen", "", "admin listen `address`, or off (default 127.0.0.1:9090)")
	}
	fs.StringVar(&p.logLevel, "log-level", "info", "log `level`: debug, info, warn or error")
}

// declareOverrides declares the flags that override the config file (run and check).
func (p *proxyFlags) declareOverrides(fs *flag.FlagSet) {
	fs.StringVar(&p.upstream, "upstream", "", "upstream `URL` to protect, e.g. http://127.0.0.1:9000 (overrides the file)")
	fs.StringVar(&p.mode, "mode", "", "block, log or off (overrides the file)")
	fs.StringVar(&p.listen, "listen", "", "proxy listen `address` (default 127.0.0.1:8080; overrides the file)")
	fs.StringVar(&p.adminListen, "admin-listen", "", "admin listen `address`, or off (default 127.0.0.1:9090; overrides the file)")
}

func (p *proxyFlags) overrides() config.Overrides {
	return config.Overrides{Listen: p.listen, Upstream: p.upstream, Mode: p.mode, AdminListen: p.adminListen}
}

func init() {
	var f proxyFlags
	register(&command{
		name:    "run",
		summary: "run the proxy in front of an upstream",
		usage:   "[--config FILE] [--listen ADDR] [--upstream URL] [--mode block|log|off] [--admin-listen ADDR] [--log-level LEVEL]",
		flags:   func(fs *flag.FlagSet) { f = proxyFlags{}; f.declare(fs, true) },
		run: func(env *cmdEnv, _ *flag.FlagSet) int {
			if len(env.args) > 0 {
				fmt.Fprintf(env.stderr, "rampart run: unexpected argument %q (flags start with --)\n", env.args[0])
				return 2
			}
			level, err := parseLogLevel(f.logLevel)
			if err != nil {
				fmt.Fprintf(env.stderr, "rampart run: %v\n", err)
				return 2
			}
			return serve(context.Background(), env, serveOptions{configPath: f.config, overrides: f.overrides(), logLevel: level})
		},
	})
}

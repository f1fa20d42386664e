package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"strings"

	"github.com/rampartwaf/rampart/internal/config"
	"github.com/rampartwaf/rampart/internal/demo"
)

func init() {
	var f proxyFlags
	register(&command{
		name:    "demo",
		summary: "start a demo app behind Rampart and show what to try",
		usage:   "[--listen ADDR] [--admin-listen ADDR]",
		flags:   func(fs *flag.FlagSet) { f = proxyFlags{}; f.declare(fs, false) },
		run: func(env *cmdEnv, _ *flag.FlagSet) int {
			level, err := parseLogLevel(f.logLevel)
			if err != nil {
				fmt.Fprintf(env.stderr, "rampart demo: %v\n", err)
				return 2
			}
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				fmt.Fprintf(env.stderr, "rampart demo: starting the demo app: %v\n", err)
				return 1
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			go func() {
				if err := demo.Serve(ctx, ln); err != nil {
					fmt.Fprintf(env.stderr, "rampart demo: demo app: %v\n", err)
				}
			}()
			ov := f.overrides()
			ov.Upstream = "http://" + ln.Addr().String()
			ov.Mode = "block"
			// Replaying a corpus through the demo (rampart replay --websocket) sends
			// thousands of attacks from one address: flagging it would measure the
			// thresholds, not detection.
			ov.NoThresholds = true
			return serve(ctx, env, serveOptions{overrides: ov, logLevel: level, ready: func(proxyAddr, adminAddr string, cfg *config.Config) {
				printDemoBanner(env, proxyAddr, adminAddr, ov.Upstream)
			}})
		},
	})
}

func printDemoBanner(env *cmdEnv, proxyAddr, adminAddr, upstream string) {
	base := "http://" + proxyAddr
	var b strings.Builder
	fmt.Fprintf(&b, "\nRampart demo: a small shop app (%s) is running behind Rampart.\n\n", upstream)
	fmt.Fprintf(&b, "  Open   %s/            the app: a search form, a comment form, a WebSocket chat\n", base)
	if adminAddr != "" {
		fmt.Fprintf(&b, "  Admin  http://%s/metrics and http://%s/api/events\n", adminAddr, adminAddr)
	}
	fmt.Fprintf(&b, "\nTry it from another terminal:\n")
	fmt.Fprintf(&b, "  curl -i '%s/search?q=blue+shoes'                # benign: 200 from the app\n", base)
	fmt.Fprintf(&b, "  curl -i '%s/search?q=1%%27+OR+%%271%%27%%3D%%271'    # SQL injection: 406 from Rampart\n", base)
	fmt.Fprintf(&b, "\nEvents for blocked and flagged requests are printed below as JSON lines. Ctrl-C stops.\n\n")
	fmt.Fprint(env.stderr, b.String())
}

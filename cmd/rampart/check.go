package main

import (
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/rampartwaf/rampart/internal/config"
)

func init() {
	var path string
	var show bool
	var ov proxyFlags
	register(&command{
		name:    "check",
		summary: "validate a config file and list every mistake with FILE:LINE:COL",
		usage:   "--config FILE [--print] [the overriding flags of run: --upstream URL ...]",
		flags: func(fs *flag.FlagSet) {
			fs.StringVar(&path, "config", "", "YAML config `file` to check (or give it as the argument)")
			fs.BoolVar(&show, "print", false, "print the effective configuration (defaults filled in) when valid")
			// The flags that override the file in `rampart run`, so that check judges
			// exactly what run would start with.
			ov = proxyFlags{}
			ov.declareOverrides(fs)
		},
		run: func(env *cmdEnv, _ *flag.FlagSet) int {
			if path == "" && len(env.args) == 1 {
				path = env.args[0]
			}
			if path == "" || len(env.args) > 1 {
				fmt.Fprintln(env.stderr, "usage: rampart check --config FILE")
				return 2
			}
			cfg, err := config.Load(path, ov.overrides())
			if err != nil {
				printConfigError(env.stderr, err)
				return 1
			}
			fmt.Fprintf(env.stdout, "%s: OK (mode %s, %d upstream(s), listen %s, %s)\n", path, cfg.Mode, len(cfg.Upstreams), cfg.Listen, ruleSummary(cfg))
			if show {
				b, err := cfg.Marshal()
				if err != nil {
					fmt.Fprintf(env.stderr, "rampart check: %v\n", err)
					return 1
				}
				_, _ = env.stdout.Write(b)
			}
			return 0
		},
	})
}

// ruleSummary says how many rules, rate limits and lists the config has, and the
// thresholds: "3 rules, 1 rate limit, 2 lists, thresholds on".
func ruleSummary(cfg *config.Config) string {
	spec := cfg.Rules.Spec()
	rulesN, rates := 0, 0
	for _, r := range cfg.Rules.Rules() {
		if r.RateLimit != nil {
			rates++
		} else {
			rulesN++
		}
	}
	th := "thresholds off"
	if cfg.Rules.Thresholds().Enabled {
		th = "thresholds on"
	}
	disabled := len(spec.Rules) - rulesN - rates
	s := fmt.Sprintf("%s, %s, %s, %s", plural(rulesN, "rule"), plural(rates, "rate limit"), plural(len(spec.Lists), "list"), th)
	if disabled > 0 {
		s += fmt.Sprintf(", %d disabled", disabled)
	}
	var expired []string
	for _, r := range spec.Rules {
		if !r.Expires.IsZero() && !time.Now().Before(r.Expires) {
			when := r.Expires.UTC().Format(time.RFC3339)
			if r.Expires.Equal(r.Expires.Truncate(24 * time.Hour)) {
				when = r.Expires.UTC().Format(time.DateOnly)
			}
			expired = append(expired, fmt.Sprintf("%q (on %s)", r.ID, when))
		}
	}
	switch len(expired) {
	case 0:
	case 1:
		s += fmt.Sprintf(", rule %s expired and no longer applies", expired[0])
	default:
		s += fmt.Sprintf(", %d rules expired and no longer apply: %s", len(expired), strings.Join(expired, ", "))
	}
	return s
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

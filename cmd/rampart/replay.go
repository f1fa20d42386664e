package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"time"

	"github.com/rampartwaf/rampart/internal/config"
	"github.com/rampartwaf/rampart/internal/engine"
	"github.com/rampartwaf/rampart/internal/parse"
	"github.com/rampartwaf/rampart/internal/replay"
)

func init() {
	register(&command{
		name:    "replay",
		summary: "judge labelled requests from JSON Lines files and report detection rates",
		usage:   "--input FILE [--input FILE...] [--config rampart.yaml] [--format table|json] [--websocket ws://...] [filters] [FILE...]",
		flags:   replayFlags,
		run:     runReplay,
	})
}

// listFlag is a string flag that can be repeated and also takes comma-separated lists.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(v string) error {
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			*l = append(*l, s)
		}
	}
	return nil
}

// inputFlag is a repeatable file flag; commas are part of file names.
type inputFlag []string

func (l *inputFlag) String() string { return strings.Join(*l, " ") }

func (l *inputFlag) Set(v string) error {
	*l = append(*l, v)
	return nil
}

func replayFlags(fs *flag.FlagSet) {
	fs.Var(new(inputFlag), "input", "JSON Lines `file` of requests or values, plain or gzipped (repeatable; files may also follow the flags)")
	fs.String("config", "", "rampart.yaml whose limits to use, judged in block mode whatever its mode says (default: built-in limits)")
	fs.String("format", "table", "output format: table or json")
	fs.Var(new(listFlag), "source", "only records of these sources (repeatable or comma-separated)")
	fs.Var(new(listFlag), "label", "only records with these labels: attack, benign")
	fs.Var(new(listFlag), "category", "only records of these categories")
	fs.Int("paranoia-max", 0, "leave out CRS records above this paranoia level (0: all)")
	fs.Int("show-misses", 10, "how many missed attacks to show")
	fs.Int("show-fps", 10, "how many false positives to show")
	fs.Int("workers", 0, "records judged in parallel (0: one per CPU)")
	fs.Var(new(listFlag), "placements", "where each value record is put: query, json, websocket (default query,json)")
	fs.String("websocket", "", "judge value records through a running Rampart instead of the engine: a ws:// `URL` of an echo endpoint behind it (e.g. ws://127.0.0.1:8080/echo of rampart demo); a close with 1008 counts as blocked")
	fs.Duration("timeout", 10*time.Second, "with --websocket, how long to wait for each answer")
}

func runReplay(env *cmdEnv, fs *flag.FlagSet) int {
	get := func(name string) flag.Getter { return fs.Lookup(name).Value.(flag.Getter) }
	list := func(name string) []string { return *fs.Lookup(name).Value.(*listFlag) }
	// Files may come before, between or after the flags: parse on past each one.
	var files []string
	for args := env.args; len(args) > 0; args = fs.Args() {
		if args[0] == "-" || !strings.HasPrefix(args[0], "-") {
			files = append(files, args[0])
			args = args[1:]
		}
		if err := fs.Parse(args); err != nil {
			return 2
		}
	}
	inputs := append([]string(nil), *fs.Lookup("input").Value.(*inputFlag)...)
	inputs = append(inputs, files...)
	if len(inputs) == 0 {
		fmt.Fprintln(env.stderr, "rampart replay: no input: give --input FILE")
		return 2
	}
	format := get("format").Get().(string)
	if format != "table" && format != "json" {
		fmt.Fprintf(env.stderr, "rampart replay: unknown --format %q (table or json)\n", format)
		return 2
	}
	eopts := engine.Options{Mode: engine.ModeBlock, Limits: parse.Limits{Params: 2048, Depth: 64, BodyBytes: 1 << 20}}
	if path := get("config").Get().(string); path != "" {
		cfg, err := config.Load(path, config.Overrides{NoUpstreamNeeded: true})
		if err != nil {
			printConfigError(env.stderr, err)
			return 1
		}
		// Replay reports what block mode would do with the file's limits (and rules):
		// a file in log mode is being tuned to be switched to block.
		eopts = engineOptions(cfg)
		eopts.Mode = engine.ModeBlock
		if cfg.GeoIP.Database != "" {
			db, err := (&geoCache{}).open(cfg.GeoIP.Database)
			if err != nil {
				fmt.Fprintf(env.stderr, "rampart replay: %v\n", err)
				return 1
			}
			eopts.GeoIP = db
		}
	}
	eng, err := engine.New(eopts)
	if err != nil {
		fmt.Fprintf(env.stderr, "rampart replay: %v\n", err)
		return 1
	}

	opts := replay.Options{
		Inspector: eng,
		Filter: replay.Filter{
			Sources:     list("source"),
			Labels:      list("label"),
			Categories:  list("category"),
			ParanoiaMax: get("paranoia-max").Get().(int),
		},
		ShowMisses: get("show-misses").Get().(int),
		ShowFPs:    get("show-fps").Get().(int),
		Workers:    get("workers").Get().(int),
		Placements: list("placements"),
	}
	var live *replay.LiveWebSocket
	if u := get("websocket").Get().(string); u != "" {
		if !strings.HasPrefix(u, "ws://") && !strings.HasPrefix(u, "wss://") {
			fmt.Fprintf(env.stderr, "rampart replay: --websocket %q: want a ws:// or wss:// URL\n", u)
			return 2
		}
		workers := opts.Workers
		if workers <= 0 {
			workers = runtime.GOMAXPROCS(0)
		}
		live = replay.NewLiveWebSocket(u, get("timeout").Get().(time.Duration), workers)
		defer live.Close()
		opts.Inspector, opts.ValuesOnly = live, true
		opts.Placements = []string{replay.PlacementWebSocket}
	}
	if isTerminal(env.stderr) {
		opts.Progress = env.stderr
	}
	in := make([]replay.Input, len(inputs))
	for i, p := range inputs {
		in[i] = replay.FileInput(p)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	rep, err := replay.Run(ctx, in, opts)
	if err != nil {
		fmt.Fprintf(env.stderr, "rampart replay: %v\n", err)
		return 1
	}
	if live != nil {
		rep.Through = get("websocket").Get().(string)
	}
	if rep.Judged == 0 && rep.RequestsLeftOut > 0 {
		fmt.Fprintf(env.stderr, "rampart replay: nothing to judge: --websocket sends value records (such as values/*.jsonl.gz) as messages, and these %d records are requests; replay them without --websocket\n", rep.RequestsLeftOut)
		return 1
	}
	if live != nil && live.Errors() > 0 {
		fmt.Fprintf(env.stderr, "rampart replay: %d messages could not be judged through %s; the first: %v\n",
			live.Errors(), get("websocket").Get().(string), live.Err())
		return 1
	}
	if format == "json" {
		err = replay.WriteJSON(env.stdout, rep)
	} else {
		err = replay.WriteTable(env.stdout, rep)
	}
	if err != nil {
		fmt.Fprintf(env.stderr, "rampart replay: %v\n", err)
		return 1
	}
	if rep.BadLines > 0 {
		for _, e := range rep.Errors {
			fmt.Fprintf(env.stderr, "rampart replay: %s\n", e.String())
		}
		if rep.BadLines > len(rep.Errors) {
			fmt.Fprintf(env.stderr, "rampart replay: ... and %d more bad lines\n", rep.BadLines-len(rep.Errors))
		}
		return 1
	}
	return 0
}

// isTerminal reports whether w is a character device (a terminal), where a progress
// line rewritten in place makes sense.
func isTerminal(w any) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// Command rampart-load measures Rampart's WebSocket relay: round trips per second,
// latency, CPU per message and memory per idle connection, side by side with a plain
// TCP byte copy in the same run. It is a development tool, not part of the rampart
// binary.
//
//	rampart-load compare --rampart ./rampart [--conns 64] [--duration 10s] [--rounds 3]
//	rampart-load idle --rampart ./rampart [--conns 5000]
//	rampart-load ws --url ws://127.0.0.1:8080/echo [--conns 64] [--duration 10s] [--pid PID]
//	rampart-load echo --listen 127.0.0.1:9100
//	rampart-load tcp-proxy --listen 127.0.0.1:9101 --upstream 127.0.0.1:9100
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"sort"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/rampartwaf/rampart/internal/loadgen"
)

func main() {
	if len(os.Args) < 2 {
		usage(os.Stderr)
		os.Exit(2)
	}
	cmds := map[string]func([]string) error{
		"compare": compare, "idle": idle, "ws": wsLoad, "echo": echo, "tcp-proxy": tcpProxy,
	}
	run, ok := cmds[os.Args[1]]
	if !ok {
		if os.Args[1] != "help" && os.Args[1] != "-h" && os.Args[1] != "--help" {
			fmt.Fprintf(os.Stderr, "rampart-load: unknown command %q\n", os.Args[1])
		}
		usage(os.Stderr)
		os.Exit(2)
	}
	if err := run(os.Args[2:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintf(os.Stderr, "rampart-load %s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
}

func usage(w io.Writer) {
	fmt.Fprint(w, `Usage: rampart-load COMMAND [flags]

  compare    relay throughput, latency and CPU per message: TCP copy vs Rampart
             (inspection off) vs Rampart (inspection on), in rounds, in one run
  idle       proxy memory per idle WebSocket connection
  ws         load one ws:// echo endpoint and report round trips and latency
  echo       run the WebSocket echo server the others use as upstream
  tcp-proxy  run the plain TCP byte copy used as baseline

rampart-load COMMAND --help shows a command's flags.
`)
}

func wsLoad(args []string) error {
	fs := flag.NewFlagSet("ws", flag.ContinueOnError)
	url := fs.String("url", "", "ws:// URL of an echo endpoint")
	cfg := runFlags(fs)
	pid := fs.Int("pid", 0, "process whose CPU time per message to report (e.g. the proxy's)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *url == "" {
		return errors.New("--url is required")
	}
	cfg.URL = *url
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	m, err := measure(ctx, *cfg, *pid)
	if err != nil {
		return err
	}
	printTable(os.Stdout, []row{{name: *url, m: []measurement{m}}})
	return nil
}

func runFlags(fs *flag.FlagSet) *loadgen.RunConfig {
	cfg := &loadgen.RunConfig{}
	fs.IntVar(&cfg.Conns, "conns", 64, "connections, each doing one round trip at a time")
	fs.DurationVar(&cfg.Duration, "duration", 10*time.Second, "measured time (per round)")
	fs.DurationVar(&cfg.Warmup, "warmup", time.Second, "time before measuring")
	fs.IntVar(&cfg.Size, "size", 128, "bytes per message")
	fs.DurationVar(&cfg.Timeout, "timeout", 10*time.Second, "timeout for dialling and each round trip")
	return cfg
}

// measurement is one load run, with the CPU the proxy process spent during it.
type measurement struct {
	res loadgen.Result
	cpu time.Duration // 0 when no process was watched
}

func measure(ctx context.Context, cfg loadgen.RunConfig, pid int) (measurement, error) {
	var before loadgen.ProcStat
	var err error
	if pid > 0 {
		if before, err = loadgen.ReadProc(pid); err != nil {
			return measurement{}, err
		}
	}
	res, err := loadgen.Run(ctx, cfg)
	if err != nil {
		return measurement{}, err
	}
	if res.Errors > 0 {
		return measurement{}, fmt.Errorf("%d connections failed; first: %w", res.Errors, res.FirstErr)
	}
	m := measurement{res: res}
	if pid > 0 {
		after, err := loadgen.ReadProc(pid)
		if err != nil {
			return measurement{}, err
		}
		m.cpu = after.CPU - before.CPU
	}
	return m, nil
}

func echo(args []string) error {
	fs := flag.NewFlagSet("echo", flag.ContinueOnError)
	listen := fs.String("listen", "127.0.0.1:9100", "listen address")
	if err := fs.Parse(args); err != nil {
		return err
	}
	e, err := loadgen.ListenEcho(*listen)
	if err != nil {
		return err
	}
	fmt.Printf("echo server on ws://%s/\n", e.Addr())
	waitSignal()
	return e.Close()
}

func tcpProxy(args []string) error {
	fs := flag.NewFlagSet("tcp-proxy", flag.ContinueOnError)
	listen := fs.String("listen", "127.0.0.1:9101", "listen address")
	upstream := fs.String("upstream", "127.0.0.1:9100", "upstream host:port")
	if err := fs.Parse(args); err != nil {
		return err
	}
	p, err := loadgen.ListenTCPProxy(*listen, *upstream)
	if err != nil {
		return err
	}
	fmt.Printf("tcp proxy on %s to %s\n", p.Addr(), *upstream)
	waitSignal()
	return p.Close()
}

func waitSignal() {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	<-ch
}

// proxyProc is a proxy under test running as its own process, so its CPU and memory are
// its own.
type proxyProc struct {
	name string
	url  string // ws:// URL of the echo endpoint through it
	pid  int
	cmd  *exec.Cmd // nil for a proxy this tool did not start
}

func (p *proxyProc) stop() {
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = p.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = p.cmd.Process.Kill()
		<-done
	}
}

// startProc starts a process and waits until addr accepts connections.
func startProc(name, url, addr string, argv ...string) (*proxyProc, error) {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdout, cmd.Stderr = io.Discard, os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %w", name, err)
	}
	p := &proxyProc{name: name, url: url, pid: cmd.Process.Pid, cmd: cmd}
	deadline := time.Now().Add(15 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			return p, nil
		}
		if time.Now().After(deadline) {
			p.stop()
			return nil, fmt.Errorf("%s did not listen on %s: %w", name, addr, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func freePort() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// setup starts the echo upstream (in this process) and the proxies to compare, each as
// its own process: a TCP byte copy, and Rampart with inspection off and on.
func setup(rampart, dir string, which []string) (*loadgen.Echo, []*proxyProc, error) {
	e, err := loadgen.ListenEcho("127.0.0.1:0")
	if err != nil {
		return nil, nil, err
	}
	self, err := os.Executable()
	if err != nil {
		e.Close()
		return nil, nil, err
	}
	var procs []*proxyProc
	fail := func(err error) (*loadgen.Echo, []*proxyProc, error) {
		for _, p := range procs {
			p.stop()
		}
		e.Close()
		return nil, nil, err
	}
	for _, w := range which {
		addr, err := freePort()
		if err != nil {
			return fail(err)
		}
		url := "ws://" + addr + "/echo"
		var p *proxyProc
		switch w {
		case "tcp-copy":
			p, err = startProc(w, url, addr, self, "tcp-proxy", "--listen", addr, "--upstream", e.Addr().String())
		case "rampart-inspect-off", "rampart-inspect-on":
			inspect := w == "rampart-inspect-on"
			cfg := filepath.Join(dir, w+".yaml")
			yaml := fmt.Sprintf("listen: %s\nupstream: http://%s\nadmin: {listen: \"off\"}\nwebsocket: {inspect: %t}\n", addr, e.Addr(), inspect)
			if err := os.WriteFile(cfg, []byte(yaml), 0o644); err != nil {
				return fail(err)
			}
			p, err = startProc(w, url, addr, rampart, "run", "--config", cfg, "--log-level", "warn")
		default:
			return fail(fmt.Errorf("unknown proxy %q", w))
		}
		if err != nil {
			return fail(err)
		}
		procs = append(procs, p)
	}
	return e, procs, nil
}

func compare(args []string) error {
	fs := flag.NewFlagSet("compare", flag.ContinueOnError)
	rampart := fs.String("rampart", "./rampart", "path to the rampart binary to measure")
	cfg := runFlags(fs)
	rounds := fs.Int("rounds", 3, "rounds; each round loads every proxy once, in turn")
	direct := fs.Bool("direct", true, "also load the echo server directly (no proxy), for reference")
	if err := fs.Parse(args); err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "rampart-load")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	e, procs, err := setup(*rampart, dir, []string{"tcp-copy", "rampart-inspect-off", "rampart-inspect-on"})
	if err != nil {
		return err
	}
	defer e.Close()
	defer func() {
		for _, p := range procs {
			p.stop()
		}
	}()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	rows := make([]row, 0, len(procs)+1)
	if *direct {
		rows = append(rows, row{name: "direct (no proxy)"})
	}
	for _, p := range procs {
		rows = append(rows, row{name: p.name})
	}
	fmt.Fprintf(os.Stderr, "%d rounds of %s per target, %d connections, %d-byte messages\n", *rounds, cfg.Duration, cfg.Conns, cfg.Size)
	for r := 0; r < *rounds; r++ {
		for i := range rows {
			c := *cfg
			pid := 0
			if *direct && i == 0 {
				c.URL = "ws://" + e.Addr().String() + "/echo"
			} else {
				p := procs[i-btoi(*direct)]
				c.URL, pid = p.url, p.pid
			}
			m, err := measure(ctx, c, pid)
			if err != nil {
				return fmt.Errorf("%s: %w", rows[i].name, err)
			}
			rows[i].m = append(rows[i].m, m)
			fmt.Fprintf(os.Stderr, "round %d %-22s %9.0f round trips/s\n", r+1, rows[i].name, m.res.Rate())
		}
	}
	printTable(os.Stdout, rows)
	// The two ratios.
	med := func(name string) (rate, cpu float64) {
		for _, r := range rows {
			if r.name == name {
				return r.medianRate(), r.medianCPU()
			}
		}
		return 0, 0
	}
	tcpRate, tcpCPU := med("tcp-copy")
	offRate, offCPU := med("rampart-inspect-off")
	onRate, onCPU := med("rampart-inspect-on")
	fmt.Println()
	fmt.Printf("throughput, inspection on / off:        %.2f  (goal >= 0.75)\n", onRate/offRate)
	fmt.Printf("CPU per message, inspection off / TCP:  %.2f  (goal <= 1.5)\n", offCPU/tcpCPU)
	fmt.Printf("CPU per message, inspection on / off:   %.2f\n", onCPU/offCPU)
	fmt.Printf("throughput, inspection off / TCP:       %.2f\n", offRate/tcpRate)
	return nil
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// row is every round of one target.
type row struct {
	name string
	m    []measurement
}

func (r row) medianRate() float64 {
	v := make([]float64, len(r.m))
	for i, m := range r.m {
		v[i] = m.res.Rate()
	}
	return median(v)
}

// medianCPU is the median CPU per round trip, in microseconds (0 with no process).
func (r row) medianCPU() float64 {
	v := make([]float64, 0, len(r.m))
	for _, m := range r.m {
		if m.cpu > 0 && m.res.Messages > 0 {
			v = append(v, float64(m.cpu.Microseconds())/float64(m.res.Messages))
		}
	}
	return median(v)
}

func (r row) median(f func(loadgen.Result) time.Duration) time.Duration {
	v := make([]float64, len(r.m))
	for i, m := range r.m {
		v[i] = float64(f(m.res))
	}
	return time.Duration(median(v))
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	sort.Float64s(v)
	if len(v)%2 == 1 {
		return v[len(v)/2]
	}
	return (v[len(v)/2-1] + v[len(v)/2]) / 2
}

func printTable(w io.Writer, rows []row) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "target\tround trips/s\tp50\tp99\tp99.9\tproxy CPU µs/msg\t")
	for _, r := range rows {
		cpu := "-"
		if c := r.medianCPU(); c > 0 {
			cpu = fmt.Sprintf("%.1f", c)
		}
		fmt.Fprintf(tw, "%s\t%.0f\t%s\t%s\t%s\t%s\t\n", r.name, r.medianRate(),
			r.median(func(x loadgen.Result) time.Duration { return x.P50 }).Round(time.Microsecond),
			r.median(func(x loadgen.Result) time.Duration { return x.P99 }).Round(time.Microsecond),
			r.median(func(x loadgen.Result) time.Duration { return x.P999 }).Round(time.Microsecond), cpu)
	}
	tw.Flush()
	if len(rows) > 0 && len(rows[0].m) > 1 {
		fmt.Fprintf(w, "(medians of %d rounds)\n", len(rows[0].m))
	}
}

func idle(args []string) error {
	fs := flag.NewFlagSet("idle", flag.ContinueOnError)
	rampart := fs.String("rampart", "./rampart", "path to the rampart binary to measure")
	n := fs.Int("conns", 5000, "idle connections to open")
	settle := fs.Duration("settle", 150*time.Second, "time to wait once they are open before measuring: idle pumps park after 2s, and the Go runtime returns freed memory at its periodic collection (every 2 minutes in an idle process)")
	inspect := fs.Bool("inspect", true, "WebSocket inspection on")
	url := fs.String("url", "", "measure a proxy already running: ws:// URL of an echo endpoint through it (with --pid)")
	pid := fs.Int("pid", 0, "with --url: the proxy's process ID")
	hold := fs.Duration("hold", 0, "keep the connections open this long after measuring (to profile the proxy)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	name := "rampart-inspect-on"
	if !*inspect {
		name = "rampart-inspect-off"
	}
	var p *proxyProc
	if *url != "" {
		if *pid <= 0 {
			return errors.New("--url needs --pid")
		}
		name = *url
		p = &proxyProc{name: name, url: *url, pid: *pid}
	} else {
		dir, err := os.MkdirTemp("", "rampart-load")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		e, procs, err := setup(*rampart, dir, []string{name})
		if err != nil {
			return err
		}
		defer e.Close()
		p = procs[0]
		defer p.stop()
	}

	// Warm the process up with a few connections, so the baseline includes what any
	// serving process holds (goroutine stacks grown, pools primed).
	warm, err := loadgen.OpenIdle(p.url, 16, 16, 10*time.Second)
	if err != nil {
		return err
	}
	loadgen.CloseAll(warm)
	time.Sleep(*settle)
	before, err := loadgen.ReadProc(p.pid)
	if err != nil {
		return err
	}
	start := time.Now()
	conns, err := loadgen.OpenIdle(p.url, *n, 64, 30*time.Second)
	if err != nil {
		return fmt.Errorf("opening %d connections: %w (raise ulimit -n?)", *n, err)
	}
	defer loadgen.CloseAll(conns)
	opened := time.Since(start)
	time.Sleep(*settle)
	after, err := loadgen.ReadProc(p.pid)
	if err != nil {
		return err
	}
	per := float64(after.RSS-before.RSS) / float64(*n) / 1024
	fmt.Printf("%s: %d idle WebSocket connections (opened in %s, each checked with one round trip)\n", name, *n, opened.Round(time.Millisecond))
	fmt.Printf("proxy RSS before %.1f MiB, after %.1f MiB: %.2f KiB per idle connection (goal <= 10)\n",
		float64(before.RSS)/(1<<20), float64(after.RSS)/(1<<20), per)
	if *hold > 0 {
		fmt.Printf("holding them for %s\n", *hold)
		time.Sleep(*hold)
	}
	return nil
}

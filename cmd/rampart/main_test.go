package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// These tests build the rampart binary once and drive it as a user would: flags,
// config files, signals, exit codes and output.

var rampartBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "rampart-bin")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	rampartBin = filepath.Join(dir, "rampart")
	out, err := exec.Command("go", "build", "-o", rampartBin, ".").CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "building rampart: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func runRampart(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(rampartBin, args...)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	code = 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return o.String(), e.String(), code
}

func TestCLI(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.yaml")
	writeFile(t, good, "upstream: http://127.0.0.1:9000\nmode: log\n")
	noUpstream := filepath.Join(dir, "noupstream.yaml")
	writeFile(t, noUpstream, "mode: log\n")
	bad := filepath.Join(dir, "bad.yaml")
	writeFile(t, bad, "upstream: ftp://files.example\nmode: blocking\nlimitz: {}\ntimeouts: {idle: 10 parsecs}\n")

	tests := []struct {
		name     string
		args     []string
		code     int
		stdout   []string
		stderr   []string
		noStderr []string
	}{
		{"no args shows usage", nil, 2, nil, []string{"Usage: rampart COMMAND"}, nil},
		{"help", []string{"help"}, 0, []string{"run ", "check ", "demo ", "version ", "replay "}, nil, nil},
		{"help command", []string{"help", "check"}, 0, []string{"Usage: rampart check", "-config"}, nil, nil},
		{"command --help", []string{"run", "--help"}, 0, []string{"Usage: rampart run", "-upstream"}, nil, nil},
		{"help unknown command", []string{"help", "frobnicate"}, 2, nil, []string{`unknown command "frobnicate"`, "Usage: rampart COMMAND"}, nil},
		{"bad flag shows the command's usage", []string{"check", "--frob"}, 2, nil, []string{"not defined: -frob", "Usage: rampart check"}, nil},
		{"check takes run's overriding flags", []string{"check", "--upstream", "http://127.0.0.1:9000", noUpstream}, 0, []string{"OK"}, nil, nil},
		{"check without upstream", []string{"check", noUpstream}, 1, nil, []string{noUpstream + ":1:1: no upstream"}, nil},
		{"version", []string{"version"}, 0, []string{"rampart "}, nil, nil},
		{"unknown command", []string{"frobnicate"}, 2, nil, []string{`unknown command "frobnicate"`}, nil},
		{"check good", []string{"check", "--config", good}, 0, []string{"good.yaml: OK"}, nil, nil},
		{"check good positional", []string{"check", good}, 0, []string{"OK"}, nil, nil},
		{"check bad lists every mistake", []string{"check", "--config", bad}, 1, nil,
			[]string{bad + ":1:11:", bad + ":2:7:", bad + ":3:1:", bad + ":4:18:", "4 mistake(s)"},
			[]string{"panic", "yaml: unmarshal error"}},
		{"check missing file", []string{"check", "--config", filepath.Join(dir, "nope.yaml")}, 1, nil, []string{"no such file"}, nil},
		{"check without file", []string{"check"}, 2, nil, []string{"usage: rampart check"}, nil},
		{"run without upstream", []string{"run", "--listen", "127.0.0.1:0", "--admin-listen", "off"}, 1, nil, []string{"upstream"}, nil},
		{"run with bad flag value", []string{"run", "--upstream", "gopher://x", "--listen", "127.0.0.1:0"}, 1, nil, []string{"--upstream"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, stderr, code := runRampart(t, tt.args...)
			if code != tt.code {
				t.Errorf("exit code %d, want %d\nstdout: %s\nstderr: %s", code, tt.code, stdout, stderr)
			}
			for _, s := range tt.stdout {
				if !strings.Contains(stdout, s) {
					t.Errorf("stdout lacks %q:\n%s", s, stdout)
				}
			}
			for _, s := range tt.stderr {
				if !strings.Contains(stderr, s) {
					t.Errorf("stderr lacks %q:\n%s", s, stderr)
				}
			}
			for _, s := range tt.noStderr {
				if strings.Contains(stderr, s) {
					t.Errorf("stderr has %q:\n%s", s, stderr)
				}
			}
		})
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// proc is a running rampart with its output collected.
type proc struct {
	cmd    *exec.Cmd
	mu     sync.Mutex
	stdout bytes.Buffer
	stderr bytes.Buffer
	done   chan struct{}
}

func (p *proc) output() (string, string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stdout.String(), p.stderr.String()
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(b)
}

func startRampart(t *testing.T, args ...string) *proc {
	t.Helper()
	p := &proc{cmd: exec.Command(rampartBin, args...), done: make(chan struct{})}
	p.cmd.Stdout = lockedWriter{&p.mu, &p.stdout}
	p.cmd.Stderr = lockedWriter{&p.mu, &p.stderr}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { _ = p.cmd.Wait(); close(p.done) }()
	t.Cleanup(func() {
		_ = p.cmd.Process.Kill()
		<-p.done
	})
	return p
}

// waitFor polls until cond holds or the deadline passes.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		if cond() {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s", what)
}

func get(url string) (int, string) {
	resp, err := http.Get(url)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

const attack = "/search?q=1%27%20OR%20%271%27=%271"

func TestRunWithFlagsOnly(t *testing.T) {
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "upstream ok") }))
	defer up.Close()
	listen := freeAddr(t)
	p := startRampart(t, "run", "--listen", listen, "--upstream", up.URL, "--admin-listen", "off")
	base := "http://" + listen
	waitFor(t, "the proxy", func() bool { c, _ := get(base + "/"); return c == 200 })
	if c, body := get(base + "/hello?name=world"); c != 200 || body != "upstream ok" {
		t.Errorf("benign: %d %q", c, body)
	}
	if c, _ := get(base + attack); c != 406 {
		t.Errorf("attack: status %d, want 406 (built-in defaults block)", c)
	}
	waitFor(t, "the block event on stdout", func() bool {
		out, _ := p.output()
		return strings.Contains(out, `"action":"block"`)
	})
}

func TestReloadAndShutdown(t *testing.T) {
	var hits atomic.Int64
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/ws" { // a WebSocket echo
			c, err := websocket.Accept(w, r, nil)
			if err != nil {
				return
			}
			defer c.CloseNow()
			for {
				typ, msg, err := c.Read(r.Context())
				if err != nil || c.Write(r.Context(), typ, msg) != nil {
					return
				}
			}
		}
		hits.Add(1)
		if r.URL.Path == "/slow" {
			time.Sleep(500 * time.Millisecond)
		}
		fmt.Fprint(w, "ok")
	}))
	defer up.Close()
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "rampart.yaml")
	listen, adminAddr := freeAddr(t), freeAddr(t)
	writeCfg := func(mode string) {
		writeFile(t, cfgPath, fmt.Sprintf("listen: %s\nupstream: %s\nmode: %s\nadmin: {listen: %s}\n", listen, up.URL, mode, adminAddr))
	}
	writeCfg("block")
	p := startRampart(t, "run", "--config", cfgPath)
	base := "http://" + listen
	waitFor(t, "readiness", func() bool { c, _ := get("http://" + adminAddr + "/readyz"); return c == 200 })

	// Steady traffic during every reload: none of it may fail.
	ctx, cancel := context.WithCancel(context.Background())
	var failures atomic.Int64
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				if c, _ := get(base + "/steady"); c != 200 {
					failures.Add(1)
				}
			}
		}()
	}

	if c, _ := get(base + attack); c != 406 {
		t.Fatalf("attack in block mode: %d", c)
	}
	// A WebSocket open across every reload: it keeps working, judged by the config in
	// force, until the shutdown closes it with 1001.
	wsCtx, wsCancel := context.WithTimeout(context.Background(), time.Minute)
	defer wsCancel()
	ws, _, err := websocket.Dial(wsCtx, "ws://"+listen+"/ws", nil)
	if err != nil {
		t.Fatalf("WebSocket through rampart: %v", err)
	}
	defer ws.CloseNow()
	echo := func(when, msg string) {
		t.Helper()
		if err := ws.Write(wsCtx, websocket.MessageText, []byte(msg)); err != nil {
			t.Fatalf("%s: writing to the WebSocket: %v", when, err)
		}
		if _, got, err := ws.Read(wsCtx); err != nil || string(got) != msg {
			t.Fatalf("%s: WebSocket echo %q, %v; want %q", when, got, err, msg)
		}
	}
	echo("before any reload", `{"text":"hello"}`)
	// 1. File change to log mode is picked up by the watcher.
	writeCfg("log")
	waitFor(t, "the file reload to log mode", func() bool { c, _ := get(base + attack); return c == 200 })
	// 2. A bad file is rejected with file:line errors; log mode stays.
	writeFile(t, cfgPath, fmt.Sprintf("listen: %s\nupstream: %s\nmode: sometimes\nadmin: {listen: %s}\n", listen, up.URL, adminAddr))
	waitFor(t, "the rejection in the log", func() bool {
		_, errOut := p.output()
		return strings.Contains(errOut, "config reload rejected") && strings.Contains(errOut, cfgPath+":3:7")
	})
	if c, _ := get(base + attack); c != 200 {
		t.Errorf("after a bad reload the old config (log) should stay: got %d", c)
	}
	// In log mode an attack message is forwarded (and recorded).
	echo("in log mode", `{"text":"<script>alert(1)</script>"}`)
	// 3. SIGHUP after fixing the file back to block.
	writeCfg("block")
	_ = p.cmd.Process.Signal(syscall.SIGHUP)
	waitFor(t, "reload to block mode", func() bool { c, _ := get(base + attack); return c == 406 })
	cancel()
	wg.Wait()
	if n := failures.Load(); n != 0 {
		t.Errorf("%d requests failed during reloads", n)
	}
	_, metricsText := get("http://" + adminAddr + "/metrics")
	if !strings.Contains(metricsText, `rampart_config_reloads_total{result="error"}`) {
		t.Errorf("metrics lack the rejected reload")
	}

	echo("after three reloads", `{"text":"still here"}`)

	// 4. SIGTERM with a request in flight: it completes, the WebSocket is closed with
	// 1001, then rampart exits 0.
	result := make(chan int, 1)
	go func() { c, _ := get(base + "/slow"); result <- c }()
	waitFor(t, "the slow request to reach the upstream", func() bool { return hits.Load() > 0 })
	time.Sleep(100 * time.Millisecond)
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	if c := <-result; c != 200 {
		t.Errorf("in-flight request during shutdown: %d, want 200", c)
	}
	if _, _, err := ws.Read(wsCtx); websocket.CloseStatus(err) != websocket.StatusGoingAway {
		t.Errorf("WebSocket at shutdown: %v, want close 1001", err)
	}
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
		t.Fatal("rampart did not exit after SIGTERM")
	}
	if code := p.cmd.ProcessState.ExitCode(); code != 0 {
		_, errOut := p.output()
		t.Errorf("exit code %d after SIGTERM\n%s", code, errOut)
	}
}

func TestDemo(t *testing.T) {
	listen, adminAddr := freeAddr(t), freeAddr(t)
	p := startRampart(t, "demo", "--listen", listen, "--admin-listen", adminAddr)
	waitFor(t, "the banner", func() bool { _, e := p.output(); return strings.Contains(e, "Try it from another terminal") })
	_, banner := p.output()
	// The two curl lines of the banner must do what they say.
	var urls []string
	sc := bufio.NewScanner(strings.NewReader(banner))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "curl -i '") {
			urls = append(urls, strings.SplitN(line, "'", 3)[1])
		}
	}
	if len(urls) != 2 {
		t.Fatalf("banner has %d curl lines, want 2:\n%s", len(urls), banner)
	}
	if c, body := get(urls[0]); c != 200 || !strings.Contains(body, "No products match") {
		t.Errorf("benign demo line: %d %q", c, body)
	}
	if c, _ := get(urls[1]); c != 406 {
		t.Errorf("attack demo line: %d, want 406", c)
	}
	if c, body := get("http://" + listen + "/"); c != 200 || !strings.Contains(body, "WebSocket") {
		t.Errorf("demo page: %d", c)
	}
	waitFor(t, "the event in the admin API", func() bool {
		_, body := get("http://" + adminAddr + "/api/events")
		var evs []map[string]any
		return json.Unmarshal([]byte(body), &evs) == nil && len(evs) == 1 && evs[0]["action"] == "block"
	})

	// The chat: a benign message is broadcast back, an attack closes the connection
	// with 1008 and is an event; shutdown closes open WebSockets with 1001.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	chat := "ws://" + listen + "/chat"
	c, _, err := websocket.Dial(ctx, chat, nil)
	if err != nil {
		t.Fatalf("dialling the chat through rampart: %v", err)
	}
	defer c.CloseNow()
	if _, msg, err := c.Read(ctx); err != nil || !strings.Contains(string(msg), "welcome") {
		t.Fatalf("welcome: %q %v", msg, err)
	}
	for _, tc := range []struct {
		msg     string
		blocked bool
	}{
		{`{"type":"chat","user":"guest","text":"does the blue one come in size 42?"}`, false},
		{`{"type":"chat","user":"guest","text":"<script>alert(document.cookie)</script>"}`, true},
	} {
		if err := c.Write(ctx, websocket.MessageText, []byte(tc.msg)); err != nil {
			t.Fatalf("write %s: %v", tc.msg, err)
		}
		_, got, err := c.Read(ctx)
		if tc.blocked {
			if code := websocket.CloseStatus(err); code != websocket.StatusPolicyViolation {
				t.Errorf("attack message: got %q, err %v; want close 1008", got, err)
			}
			continue
		}
		if err != nil || string(got) != tc.msg {
			t.Errorf("benign message: got %q, %v; want it echoed", got, err)
		}
	}
	waitFor(t, "the WebSocket block event", func() bool {
		out, _ := p.output()
		return strings.Contains(out, `"protocol":"websocket"`) && strings.Contains(out, `"status":1008`) &&
			strings.Contains(out, `"message_index":2`) && strings.Contains(out, `"name":"XSS"`)
	})

	idle, _, err := websocket.Dial(ctx, chat, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer idle.CloseNow()
	if _, _, err := idle.Read(ctx); err != nil {
		t.Fatal(err)
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	if _, _, err := idle.Read(ctx); websocket.CloseStatus(err) != websocket.StatusGoingAway {
		t.Errorf("open WebSocket at shutdown: %v, want close 1001", err)
	}
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
		t.Fatal("rampart demo did not exit after SIGTERM")
	}
}

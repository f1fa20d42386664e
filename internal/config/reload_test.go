package config

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// wait is how long a test waits for a file event before it gives up. It bounds a
// failing test; passing tests never wait for it.
const wait = 10 * time.Second

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// replaceFile saves the way many editors do: write a new file, rename it over the old.
func replaceFile(t *testing.T, path, content string) {
	t.Helper()
	tmp := path + ".tmp"
	writeFile(t, tmp, content)
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
}

const (
	goodConfig  = "upstream: http://127.0.0.1:9000\nmode: block\n"
	otherConfig = "upstream: http://127.0.0.1:9001\nmode: log\n"
	badConfig   = "upstream: http://127.0.0.1:9000\nmode: blok\nlimits: {depth: 0}\n"
)

func TestReloaderKeepsOldConfigOnError(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rampart.yaml")
	writeFile(t, path, goodConfig)
	var applied []*Config
	r, err := NewReloader(path, Overrides{}, func(c *Config) error {
		applied = append(applied, c)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	first := r.Current()
	if first.Mode != ModeBlock {
		t.Fatalf("mode = %q", first.Mode)
	}

	writeFile(t, path, badConfig)
	err = r.Reload()
	var list ErrorList
	if !errors.As(err, &list) || len(list) != 2 {
		t.Fatalf("bad reload: got %v, want the two mistakes", err)
	}
	if list[0].File != path || list[0].Line != 2 || list[1].Line != 3 {
		t.Errorf("mistakes not at file:line: %v", err)
	}
	if r.Current() != first || len(applied) != 0 {
		t.Fatal("a bad reload replaced the config")
	}

	writeFile(t, path, otherConfig)
	if err := r.Reload(); err != nil {
		t.Fatal(err)
	}
	if c := r.Current(); c.Mode != ModeLog || c.Upstreams[0].Port() != "9001" {
		t.Errorf("reloaded config = %+v", c)
	}
	if len(applied) != 1 || applied[0] != r.Current() {
		t.Errorf("apply called %d times", len(applied))
	}
}

func TestReloaderApplyFails(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rampart.yaml")
	writeFile(t, path, goodConfig)
	errEngine := errors.New("engine says no")
	r, err := NewReloader(path, Overrides{}, func(*Config) error { return errEngine })
	if err != nil {
		t.Fatal(err)
	}
	first := r.Current()
	writeFile(t, path, otherConfig)
	if err := r.Reload(); !errors.Is(err, errEngine) {
		t.Fatalf("got %v, want the apply error", err)
	}
	if r.Current() != first {
		t.Error("a config that failed to apply was put in force")
	}
}

func TestReloaderKeepsOverrides(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rampart.yaml")
	writeFile(t, path, goodConfig)
	r, err := NewReloader(path, Overrides{Mode: "off", Listen: ":7000"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, path, otherConfig)
	if err := r.Reload(); err != nil {
		t.Fatal(err)
	}
	if c := r.Current(); c.Mode != ModeOff || c.Listen != ":7000" || c.Upstreams[0].Port() != "9001" {
		t.Errorf("flags lost on reload: %+v", c)
	}
}

func TestReloaderWithoutFile(t *testing.T) {
	r, err := NewReloader("", Overrides{Upstream: "http://127.0.0.1:9000"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Reload(); err != nil {
		t.Fatal(err)
	}
	if err := r.Watch(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := NewReloader("", Overrides{}, nil); !errors.Is(err, ErrNoUpstream) {
		t.Errorf("no upstream: got %v", err)
	}
}

func TestReloadOnSignal(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rampart.yaml")
	writeFile(t, path, goodConfig)
	r, err := NewReloader(path, Overrides{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	hup := make(chan os.Signal)
	reports := make(chan error)
	go r.ReloadOn(ctx, hup, func(err error) { reports <- err })

	writeFile(t, path, badConfig)
	hup <- syscall.SIGHUP
	if err := <-reports; err == nil || !strings.Contains(err.Error(), path+":2:7: mode: unknown mode") {
		t.Errorf("bad reload report: %v", err)
	}
	writeFile(t, path, otherConfig)
	hup <- syscall.SIGHUP
	if err := <-reports; err != nil {
		t.Errorf("good reload report: %v", err)
	}
	if r.Current().Mode != ModeLog {
		t.Error("config not reloaded")
	}
}

// TestWatch changes the file the ways editors and tools do and waits for each change to
// be seen.
func TestWatch(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "rampart.yaml")
	writeFile(t, path, goodConfig)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	changes := make(chan struct{}, 16)
	if err := Watch(ctx, path, func() { changes <- struct{}{} }); err != nil {
		t.Fatal(err)
	}
	waitChange := func(what string) {
		t.Helper()
		select {
		case <-changes:
		case <-time.After(wait):
			t.Fatalf("%s: no change seen", what)
		}
	}

	writeFile(t, path, otherConfig)
	waitChange("write in place")

	replaceFile(t, path, goodConfig)
	waitChange("rename over")

	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	writeFile(t, path, otherConfig)
	waitChange("remove and create")
}

// TestWatchUnchanged checks that saving the file without changing it reloads nothing.
func TestWatchUnchanged(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rampart.yaml")
	writeFile(t, path, goodConfig)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	changes := 0
	checks := make(chan bool, 16)
	if err := watch(ctx, path, func() { changes++ }, func(changed bool) { checks <- changed }); err != nil {
		t.Fatal(err)
	}
	next := func() bool {
		t.Helper()
		select {
		case changed := <-checks:
			return changed
		case <-time.After(wait):
			t.Fatal("file not looked at")
		}
		return false
	}
	writeFile(t, path, goodConfig)
	if next() {
		t.Error("saving the same bytes counted as a change")
	}
	writeFile(t, path, otherConfig)
	for !next() {
	}
	if changes != 1 {
		t.Errorf("onChange called %d times, want 1", changes)
	}
}

func TestWatchSymlinkSwap(t *testing.T) {
	// The way Kubernetes updates a mounted ConfigMap: the file is a symlink into
	// ..data, itself a symlink to a timestamped directory that is swapped.
	dir := t.TempDir()
	mkVersion := func(name, content string) {
		if err := os.Mkdir(filepath.Join(dir, name), 0o755); err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(dir, name, "rampart.yaml"), content)
	}
	mkVersion("..v1", goodConfig)
	if err := os.Symlink("..v1", filepath.Join(dir, "..data")); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "rampart.yaml")
	if err := os.Symlink(filepath.Join("..data", "rampart.yaml"), path); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	changes := make(chan struct{}, 16)
	if err := Watch(ctx, path, func() { changes <- struct{}{} }); err != nil {
		t.Fatal(err)
	}
	mkVersion("..v2", otherConfig)
	if err := os.Symlink("..v2", filepath.Join(dir, "..data_tmp")); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(filepath.Join(dir, "..data_tmp"), filepath.Join(dir, "..data")); err != nil {
		t.Fatal(err)
	}
	select {
	case <-changes:
	case <-time.After(wait):
		t.Fatal("symlink swap not seen")
	}
	c, err := Load(path, Overrides{})
	if err != nil || c.Mode != ModeLog {
		t.Fatalf("after swap: %v %v", c, err)
	}
}

func TestWatchMissingDir(t *testing.T) {
	err := Watch(context.Background(), filepath.Join(t.TempDir(), "no", "such", "rampart.yaml"), func() {})
	if err == nil {
		t.Fatal("watching a file in a missing directory: no error")
	}
}

func TestReloaderWatch(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rampart.yaml")
	writeFile(t, path, goodConfig)
	r, err := NewReloader(path, Overrides{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	reports := make(chan error, 16)
	if err := r.Watch(ctx, func(err error) { reports <- err }); err != nil {
		t.Fatal(err)
	}
	next := func() error {
		t.Helper()
		select {
		case err := <-reports:
			return err
		case <-time.After(wait):
			t.Fatal("no reload")
		}
		return nil
	}
	first := r.Current()
	replaceFile(t, path, badConfig)
	if err := next(); err == nil {
		t.Fatal("bad file reloaded without error")
	}
	if r.Current() != first {
		t.Fatal("bad file replaced the config")
	}
	replaceFile(t, path, otherConfig)
	if err := next(); err != nil {
		t.Fatal(err)
	}
	if r.Current().Mode != ModeLog {
		t.Error("good file not in force")
	}
}

// TestReloaderWatchesRulesFiles: a change to a rules file or a list file reloads too.
func TestReloaderWatchesRulesFiles(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "rampart.yaml")
	writeFile(t, path, goodConfig+"rules_files: [rules.yaml]\nlists:\n  bad: {type: ip, file: bad.txt}\n")
	rulesPath, listPath := filepath.Join(dir, "rules.yaml"), filepath.Join(dir, "bad.txt")
	writeFile(t, rulesPath, "rules:\n  - {id: one, when: {field: ip, op: inList, value: bad}, action: block}\n")
	writeFile(t, listPath, "192.0.2.1\n")
	r, err := NewReloader(path, Overrides{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := r.Current().Included; len(got) != 2 || got[0].Name != listPath || got[1].Name != rulesPath {
		t.Fatalf("Included = %v, want the rules file and the list file", got)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	reports := make(chan error, 16)
	if err := r.Watch(ctx, func(err error) { reports <- err }); err != nil {
		t.Fatal(err)
	}
	next := func() error {
		t.Helper()
		select {
		case err := <-reports:
			return err
		case <-time.After(wait):
			t.Fatal("no reload")
		}
		return nil
	}
	replaceFile(t, rulesPath, "rules:\n  - {id: two, when: {field: ip, op: inList, value: bad}, action: block}\n")
	if err := next(); err != nil {
		t.Fatal(err)
	}
	if rs := r.Current().Rules.Rules(); len(rs) != 1 || rs[0].ID != "two" {
		t.Fatalf("rules after the change: %v", rs)
	}
	replaceFile(t, listPath, "not an ip\n")
	err = next()
	if err == nil || !strings.Contains(err.Error(), "bad.txt:1:1") {
		t.Fatalf("bad list file: %v", err)
	}
}

// TestReloaderTriesRejectedFilesOnce drives the watcher of the included files with
// events of its own and counts the loads: a rules file or list file with a mistake is
// loaded once, not again at each event (nor in a loop) until some file changes; SIGHUP
// (Reload) always loads.
func TestReloaderTriesRejectedFilesOnce(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "rampart.yaml")
	writeFile(t, path, goodConfig+"rules_files: [rules.yaml]\nlists:\n  bad: {type: ip, file: bad.txt}\n")
	rulesPath, listPath := filepath.Join(dir, "rules.yaml"), filepath.Join(dir, "bad.txt")
	goodRules := "rules:\n  - {id: one, when: {field: ip, op: inList, value: bad}, action: block}\n"
	writeFile(t, rulesPath, goodRules)
	writeFile(t, listPath, "192.0.2.1\n")
	r, err := NewReloader(path, Overrides{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var loads atomic.Int32
	r.load = func(path string, ov Overrides) (*Config, inputs, error) {
		loads.Add(1)
		return load(path, ov)
	}
	var mu sync.Mutex
	pokes := map[string]func(){}
	r.watchFile = func(_ context.Context, name string, onChange func()) error {
		mu.Lock()
		defer mu.Unlock()
		pokes[name] = onChange
		return nil
	}
	idle := make(chan struct{})
	r.idle = func() { idle <- struct{}{} }
	reports := make(chan error, 16)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go r.watchIncluded(ctx, func() { reports <- r.Reload() })

	waitIdle := func() {
		t.Helper()
		select {
		case <-idle:
		case <-time.After(wait):
			t.Fatalf("the watcher never waits for an event (%d loads)", loads.Load())
		}
	}
	event := func(name string) {
		t.Helper()
		mu.Lock()
		poke := pokes[name]
		mu.Unlock()
		if poke == nil {
			t.Fatalf("%s is not watched", name)
		}
		poke()
	}
	report := func() error {
		t.Helper()
		select {
		case err := <-reports:
			return err
		case <-time.After(wait):
			t.Fatal("no reload")
		}
		return nil
	}
	steps := []struct {
		name      string
		write     string // a file to write before the event ("" for none)
		content   string
		event     string
		reload    bool // the event reloads
		wantErr   string
		wantLoads int32
	}{
		{"bad rules file", rulesPath, "rules:\n  - {id: one, when: {field: ip, op: inList, value: nope}, action: block}\n", rulesPath, true, "unknown list", 1},
		{"event, same content", "", "", rulesPath, false, "", 1},
		{"another event, same content", "", "", rulesPath, false, "", 1},
		{"event on the list file, unchanged", "", "", listPath, false, "", 1},
		{"list file changed, rules still bad", listPath, "192.0.2.9\n", listPath, true, "unknown list", 2},
		{"rules file fixed", rulesPath, goodRules, rulesPath, true, "", 3},
		{"bad list file", listPath, "not an ip\n", listPath, true, "bad.txt:1:1", 4},
		{"event, same bad list", "", "", listPath, false, "", 4},
	}
	waitIdle()
	for _, s := range steps {
		if s.write != "" {
			writeFile(t, s.write, s.content)
		}
		event(s.event)
		if s.reload {
			err := report()
			if s.wantErr == "" && err != nil || s.wantErr != "" && (err == nil || !strings.Contains(err.Error(), s.wantErr)) {
				t.Fatalf("%s: reload error %v, want %q", s.name, err, s.wantErr)
			}
		}
		waitIdle()
		if n := loads.Load(); n != s.wantLoads {
			t.Fatalf("%s: %d loads, want %d", s.name, n, s.wantLoads)
		}
	}
	if len(reports) != 0 {
		t.Fatalf("%d reloads more than expected", len(reports))
	}
	// SIGHUP: always loads, though nothing changed.
	if err := r.Reload(); err == nil {
		t.Fatal("Reload of the bad list file: no error")
	}
	if n := loads.Load(); n != 5 {
		t.Fatalf("Reload: %d loads, want 5", n)
	}
	waitIdle() // the watcher takes the files of that load, and does not load again
	if n := loads.Load(); n != 5 {
		t.Fatalf("after Reload: %d loads, want 5", n)
	}
}

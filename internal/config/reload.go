package config

import (
	"context"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
)

// Reloader holds the config in force and replaces it when asked: on SIGHUP (ReloadOn)
// or when the file changes (Watch). A reload loads and checks the file again with the
// same overrides; a bad file leaves the config in force untouched and the mistakes are
// reported. Current is safe to call from any goroutine at any time.
//
// Wiring in cmd:
//
//	r, err := config.NewReloader(path, ov, apply)
//	hup := make(chan os.Signal, 1)
//	signal.Notify(hup, syscall.SIGHUP)
//	go r.ReloadOn(ctx, hup, logReload)
//	err = r.Watch(ctx, logReload)
type Reloader struct {
	path  string
	ov    Overrides
	apply func(*Config) error

	mu      sync.Mutex // one reload at a time
	cur     atomic.Pointer[Config]
	swapped chan struct{} // gets a token when a reload put a new config in force
}

// NewReloader loads the config at path (see Load) and returns a Reloader holding it.
// apply, if not nil, is called with every new config of a reload before it is put in
// force; when apply fails, the reload fails and the old config stays (apply should build
// everything it needs first and swap it in last). It is not called for the first load:
// the caller has Current() for that.
func NewReloader(path string, ov Overrides, apply func(*Config) error) (*Reloader, error) {
	c, err := Load(path, ov)
	if err != nil {
		return nil, err
	}
	r := &Reloader{path: path, ov: ov, apply: apply, swapped: make(chan struct{}, 1)}
	r.cur.Store(c)
	return r, nil
}

// Current returns the config in force. It must not be changed.
func (r *Reloader) Current() *Config { return r.cur.Load() }

// Reload loads the config again. On success the new config is in force; otherwise the
// old one stays and the error says why (an ErrorList inside, for errors.As).
func (r *Reloader) Reload() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	c, err := Load(r.path, r.ov)
	if err != nil {
		return fmt.Errorf("reloading config (the old one stays in force): %w", err)
	}
	if r.apply != nil {
		if err := r.apply(c); err != nil {
			return fmt.Errorf("applying reloaded config (the old one stays in force): %w", err)
		}
	}
	r.cur.Store(c)
	select {
	case r.swapped <- struct{}{}:
	default:
	}
	return nil
}

// ReloadOn reloads each time a signal arrives on trigger, until ctx is done, and passes
// the outcome of each reload (nil when the new config is in force) to report, if not
// nil.
func (r *Reloader) ReloadOn(ctx context.Context, trigger <-chan os.Signal, report func(error)) {
	for {
		select {
		case <-ctx.Done():
			return
		case _, ok := <-trigger:
			if !ok {
				return
			}
			err := r.Reload()
			if report != nil {
				report(err)
			}
		}
	}
}

// Watch reloads each time the config file's content changes (see the package-level
// Watch), until ctx is done, passing the outcome of each reload to report, if not nil.
// Without a config file there is nothing to watch and it returns nil.
//
// The rules files and list files the config read (Config.Included) are watched too; the
// set is taken again after each reload. A new file that a rules_files pattern would
// match is read at the next reload.
func (r *Reloader) Watch(ctx context.Context, report func(error)) error {
	if r.path == "" {
		return nil
	}
	reload := func() {
		err := r.Reload()
		if report != nil {
			report(err)
		}
	}
	if err := Watch(ctx, r.path, reload); err != nil {
		return err
	}
	go r.watchIncluded(ctx, reload)
	return nil
}

// watchIncluded watches the files the config in force included, until ctx is done.
func (r *Reloader) watchIncluded(ctx context.Context, reload func()) {
	for {
		wctx, cancel := context.WithCancel(ctx)
		changed := make(chan struct{}, 1)
		poke := func() {
			select {
			case changed <- struct{}{}:
			default:
			}
		}
		c := r.Current()
		for _, f := range c.Included {
			_ = watch(wctx, f.Name, poke, nil)
		}
		// A file changed after the config read it, before the watch was in place.
		for _, f := range c.Included {
			if now, ok := fingerprintMax(f.Name, maxListFileBytes); ok && now != f.Sum {
				poke()
			}
		}
		select {
		case <-ctx.Done():
			cancel()
			return
		case <-changed:
			cancel()
			reload()
		case <-r.swapped:
			cancel() // a new config: its files may differ
		}
	}
}

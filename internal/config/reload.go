package config

import (
	"context"
	"crypto/sha256"
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

	// load, watchFile and idle are Load, watch and nothing; tests replace them to count
	// loads, to send file events of their own, and to know when the watcher of the
	// included files waits for one.
	load      func(path string, ov Overrides) (*Config, inputs, error)
	watchFile func(ctx context.Context, name string, onChange func()) error
	idle      func()

	mu        sync.Mutex // one reload at a time
	cur       atomic.Pointer[Config]
	tried     atomic.Pointer[inputs] // the files the last load read, good or rejected
	attempted chan struct{}          // gets a token after each reload, good or rejected
}

// NewReloader loads the config at path (see Load) and returns a Reloader holding it.
// apply, if not nil, is called with every new config of a reload before it is put in
// force; when apply fails, the reload fails and the old config stays (apply should build
// everything it needs first and swap it in last). It is not called for the first load:
// the caller has Current() for that.
func NewReloader(path string, ov Overrides, apply func(*Config) error) (*Reloader, error) {
	r := &Reloader{
		path: path, ov: ov, apply: apply, load: load,
		watchFile: func(ctx context.Context, name string, onChange func()) error {
			return watch(ctx, name, onChange, nil)
		},
		attempted: make(chan struct{}, 1),
	}
	c, in, err := r.load(path, ov)
	if err != nil {
		return nil, err
	}
	r.cur.Store(c)
	r.tried.Store(&in)
	return r, nil
}

// Current returns the config in force. It must not be changed.
func (r *Reloader) Current() *Config { return r.cur.Load() }

// Reload loads the config again, whether or not a file changed. On success the new
// config is in force; otherwise the old one stays and the error says why (an ErrorList
// inside, for errors.As).
func (r *Reloader) Reload() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	defer func() {
		select {
		case r.attempted <- struct{}{}:
		default:
		}
	}()
	c, in, err := r.load(r.path, r.ov)
	// The files of a rejected config are remembered too: the watcher waits for one of
	// them to change before it tries again.
	r.tried.Store(&in)
	if err != nil {
		return fmt.Errorf("reloading config (the old one stays in force): %w", err)
	}
	if r.apply != nil {
		if err := r.apply(c); err != nil {
			return fmt.Errorf("applying reloaded config (the old one stays in force): %w", err)
		}
	}
	r.cur.Store(c)
	return nil
}

// ReloadOn reloads each time a signal arrives on trigger, until ctx is done, and passes
// the outcome of each reload (nil when the new config is in force) to report, if not
// nil. A signal always reloads, even when no file changed since a rejected reload.
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
// The rules files and list files the last load read (or tried to) are watched too,
// those of a rejected config included, so fixing the file that was wrong reloads. A
// rejected content is tried once: the next reload waits until a file changes again
// (or SIGHUP). A new file that a rules_files pattern would match is read at the next
// reload.
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

// watchIncluded watches the files the last load read, until ctx is done, and reloads
// when one of them is not as that load read it.
func (r *Reloader) watchIncluded(ctx context.Context, reload func()) {
	for {
		in := *r.tried.Load()
		wctx, cancel := context.WithCancel(ctx)
		changed := make(chan struct{}, 1)
		poke := func() {
			select {
			case changed <- struct{}{}:
			default:
			}
		}
		for _, f := range in {
			_ = r.watchFile(wctx, f.name, poke)
		}
		// A file changed after the load read it, before the watch was in place.
		if in.changed() {
			poke()
		}
		if r.idle != nil && len(changed) == 0 {
			r.idle()
		}
		select {
		case <-ctx.Done():
			cancel()
			return
		case <-changed:
			cancel()
			// An event is no change by itself (a touch, a save of the same bytes, an
			// event for a file next to it): only content unlike what was tried reloads.
			if in.changed() {
				reload()
				select {
				case <-r.attempted: // this reload's: the loop takes the new files anyway
				default:
				}
			}
		case <-r.attempted:
			cancel() // a reload from elsewhere (the config file, SIGHUP): its files may differ
		}
	}
}

// inputs are the files a load read besides the config file (rules files, list files),
// in the order read, with each one's content as read.
type inputs []input

// input is one file a load read, or tried to read.
type input struct {
	name string
	max  int64 // the most bytes the load reads of it: a larger file cannot be read
	sum  [sha256.Size]byte
	read bool // false when it could not be read
}

// changed reports whether some file is no longer as it was read: its content differs,
// or it can be read now and could not then, or the other way round.
func (in inputs) changed() bool {
	for _, f := range in {
		sum, ok := fingerprintMax(f.name, f.max)
		if ok != f.read || ok && sum != f.sum {
			return true
		}
	}
	return false
}

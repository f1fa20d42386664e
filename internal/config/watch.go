package config

import (
	"context"
	"crypto/sha256"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
)

// debounce is how long the file must stay quiet after a change before onChange runs:
// an editor's save is often several events (truncate, write, chmod; or write a temporary
// file, rename it over the old one).
const debounce = 100 * time.Millisecond

// Watch calls onChange each time the content of the file at path changes, until ctx is
// done. It returns once the watch is in place (or with the error that prevented it);
// the watching goroutine runs on its own and calls onChange from that goroutine only,
// never twice at once.
//
// It watches the file's directory rather than the file, so saves that replace the file
// (write a new one, rename it over) are seen, as are Kubernetes ConfigMap updates
// (which swap a "..data" symlink) and edits to the target of a symlinked config file.
// Events are debounced, and onChange runs only when the bytes differ from the last time
// it ran: touching the file or saving it unchanged does nothing. A file that is missing
// for a moment (deleted, then written again) is simply looked at again on the next event.
func Watch(ctx context.Context, path string, onChange func()) error {
	return watch(ctx, path, onChange, nil)
}

// watch is Watch; checked, if not nil, is called after each look at the file, with
// whether onChange was called (tests wait on it).
func watch(ctx context.Context, path string, onChange func(), checked func(changed bool)) error {
	abs, err := filepath.Abs(path)
	if err != nil {
		return fmt.Errorf("watching config: %w", err)
	}
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return fmt.Errorf("watching config: %w", err)
	}
	names := map[string]bool{filepath.Base(abs): true}
	dirs := []string{filepath.Dir(abs)}
	if target, err := filepath.EvalSymlinks(abs); err == nil && filepath.Dir(target) != dirs[0] {
		dirs = append(dirs, filepath.Dir(target))
		names[filepath.Base(target)] = true
	}
	for _, dir := range dirs {
		if err := w.Add(dir); err != nil {
			w.Close()
			return fmt.Errorf("watching config directory %s: %w", dir, err)
		}
	}
	last, _ := fingerprint(abs)
	go func() {
		defer w.Close()
		timer := time.NewTimer(debounce)
		timer.Stop()
		defer timer.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case ev, ok := <-w.Events:
				if !ok {
					return
				}
				base := filepath.Base(ev.Name)
				if names[base] || strings.HasPrefix(base, "..") {
					timer.Reset(debounce)
				}
			case _, ok := <-w.Errors:
				if !ok {
					return
				}
				// An overflow (or any other error) may have lost an event: look again.
				timer.Reset(debounce)
			case <-timer.C:
				sum, ok := fingerprint(abs)
				changed := ok && sum != last
				if changed {
					last = sum
					onChange()
				}
				if checked != nil {
					checked(changed)
				}
			}
		}
	}()
	return nil
}

// fingerprintMax returns a hash of the content of a file of at most max bytes, or false
// if it cannot be read.
func fingerprintMax(path string, max int64) ([sha256.Size]byte, bool) {
	data, err := readLimited(path, max)
	if err != nil {
		return [sha256.Size]byte{}, false
	}
	return sha256.Sum256(data), true
}

// fingerprint returns a hash of the file's content, or false if it cannot be read.
func fingerprint(path string) ([sha256.Size]byte, bool) {
	data, err := readFile(path)
	if err != nil {
		return [sha256.Size]byte{}, false
	}
	return sha256.Sum256(data), true
}

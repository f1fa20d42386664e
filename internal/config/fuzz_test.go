package config

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzLoad feeds arbitrary bytes to Parse. Properties: it never panics; it returns a
// config or an ErrorList (nothing else); every mistake has a line of at least 1 and at
// most the file's line count, a column of at least 1, a message and a kind; and a config
// it accepts passes Validate and survives a Marshal/Parse round trip unchanged.
//
// The seeds are the golden cases (testdata/*.yaml) and testdata/fuzz/FuzzLoad. Run it
// longer by hand: go test ./internal/config -run '^$' -fuzz FuzzLoad -fuzztime 20s
func FuzzLoad(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.yaml"))
	if err != nil {
		f.Fatal(err)
	}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	// The flag's upstream makes a file without one valid, so more inputs reach the
	// round trip; a bad upstream in the file is still reported.
	ov := Overrides{Upstream: "http://127.0.0.1:9000"}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse("fuzz.yaml", data, ov)
		if err != nil {
			var list ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("error is %T, not an ErrorList: %v", err, err)
			}
			if len(list) == 0 {
				t.Fatal("empty ErrorList returned as an error")
			}
			lines := lineCount(data)
			for _, e := range list {
				if e.File != "fuzz.yaml" {
					continue // a rules file or list file it names: its own lines
				}
				if e.Line < 1 || e.Line > lines || e.Col < 1 {
					t.Errorf("mistake at %d:%d in a file of %d lines: %v", e.Line, e.Col, lines, e)
				}
				if e.Msg == "" || e.Err == nil {
					t.Errorf("mistake without a message or kind: %#v", e)
				}
			}
			return
		}
		if err := c.Validate(); err != nil {
			t.Fatalf("accepted config fails Validate: %v\ninput:\n%s", err, data)
		}
		assertRoundTrip(t, c)
	})
}

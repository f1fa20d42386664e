package config

import (
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkParse measures loading the full example config (every key set, TLS pair
// checked). Loading is not on the request path; this keeps reloads cheap. Compare two
// runs with: go test -run '^$' -bench Parse -count 10 > old.txt (then new.txt) and
// benchstat old.txt new.txt.
func BenchmarkParse(b *testing.B) {
	name := filepath.Join("testdata", "full.yaml")
	data, err := os.ReadFile(name)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(name, data, Overrides{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseMistakes measures a file with a dozen mistakes.
func BenchmarkParseMistakes(b *testing.B) {
	name := filepath.Join("testdata", "many.yaml")
	data, err := os.ReadFile(name)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(name, data, Overrides{}); err == nil {
			b.Fatal("no mistakes found")
		}
	}
}

package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// yamlExamples returns the text of every ```yaml block of a Markdown file.
func yamlExamples(t *testing.T, file string) []string {
	t.Helper()
	doc, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for i, block := range strings.Split(string(doc), "```yaml\n")[1:] {
		end := strings.Index(block, "```")
		if end < 0 {
			t.Fatalf("%s: example %d is not closed", file, i+1)
		}
		out = append(out, block[:end])
	}
	return out
}

// TestDocsExamples loads every YAML example in docs/config.md, so the user's reference
// cannot drift from what Load accepts. Relative TLS file names in the examples resolve
// to the test certificate under testdata/tls.
func TestDocsExamples(t *testing.T) {
	for _, tc := range []struct {
		file string
		min  int
	}{
		{filepath.Join("..", "..", "docs", "config.md"), 5},
		{filepath.Join("..", "..", "README.md"), 2},
	} {
		examples := 0
		for i, block := range yamlExamples(t, tc.file) {
			src := dedent(block)
			name := filepath.Join("testdata", "tls", "docs.yaml")
			if _, err := Parse(name, []byte(src), Overrides{Upstream: "http://127.0.0.1:9000"}); err != nil {
				t.Errorf("%s example %d:\n%s\n%v", tc.file, i+1, src, err)
			}
			examples++
		}
		if examples < tc.min {
			t.Errorf("found %d YAML examples in %s, want at least %d", examples, tc.file, tc.min)
		}
	}
}

// dedent removes the indentation of an example nested in a list item.
func dedent(s string) string {
	lines := strings.Split(s, "\n")
	indent := -1
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			continue
		}
		if n := len(l) - len(strings.TrimLeft(l, " ")); indent < 0 || n < indent {
			indent = n
		}
	}
	for i, l := range lines {
		if len(l) >= indent && indent > 0 {
			lines[i] = l[indent:]
		}
	}
	return strings.Join(lines, "\n")
}

// TestRulesDocsExamples loads every YAML example in docs/rules.md: each is a valid
// config, so the rules reference and its cookbook cannot drift from what Load accepts.
func TestRulesDocsExamples(t *testing.T) {
	examples := 0
	for i, src := range yamlExamples(t, filepath.Join("..", "..", "docs", "rules.md")) {
		dir := t.TempDir()
		for _, name := range []string{"rules.d/a.yaml"} {
			_ = os.MkdirAll(filepath.Join(dir, filepath.Dir(name)), 0o755)
			_ = os.WriteFile(filepath.Join(dir, name), []byte("rules: []\n"), 0o644)
		}
		if _, err := Parse(filepath.Join(dir, "rampart.yaml"), []byte(src), Overrides{Upstream: "http://127.0.0.1:9000"}); err != nil {
			t.Errorf("docs/rules.md example %d:\n%s\n%v", i+1, src, err)
		}
		examples++
	}
	if examples < 12 {
		t.Errorf("found %d YAML examples in docs/rules.md, want at least 12", examples)
	}
}

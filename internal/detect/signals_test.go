package detect

import (
	"os"
	"strings"
	"testing"
)

// TestSignalsDocumented: docs/signals.md has a row for every built-in signal, in the
// right table, and names no signal that does not exist.
func TestSignalsDocumented(t *testing.T) {
	b, err := os.ReadFile("../../docs/signals.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	attackPart, anomalyPart, ok := strings.Cut(doc, "## Anomaly signals")
	if !ok {
		t.Fatal("docs/signals.md lacks the anomaly section")
	}
	for name := range attackSignals {
		if !strings.Contains(attackPart, "| `"+name+"` |") {
			t.Errorf("attack signal %s is not documented in the attack table", name)
		}
	}
	for name := range anomalySignals {
		if !strings.Contains(anomalyPart, "| `"+name+"` |") {
			t.Errorf("anomaly signal %s is not documented in the anomaly table", name)
		}
	}
	for _, line := range strings.Split(doc, "\n") {
		if strings.HasPrefix(line, "| `") {
			name, _, _ := strings.Cut(strings.TrimPrefix(line, "| `"), "`")
			if !IsKnown(name) {
				t.Errorf("docs/signals.md documents %q, which is no signal", name)
			}
		}
	}
}

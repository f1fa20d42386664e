package engine

import (
	"testing"
	"time"

	"github.com/rampartwaf/rampart/internal/rules"
)

// TestFlagReason: the reason of a flag names what the thresholds counted.
func TestFlagReason(t *testing.T) {
	for _, tc := range []struct {
		signals []string
		want    string
	}{
		{nil, "signals"},
		{[]string{"attack"}, "attack signals"},
		{[]string{"BAD-LOGIN"}, "BAD-LOGIN"},
		{[]string{"attack", "BAD-LOGIN"}, "attack signals or BAD-LOGIN"},
		{[]string{"A", "B", "C"}, "A, B or C"},
	} {
		if got := countedSignals(tc.signals); got != tc.want {
			t.Errorf("countedSignals(%q) = %q, want %q", tc.signals, got, tc.want)
		}
	}
	def := rules.DefaultThresholds()
	keys := thresholdKeys(&def)
	if got, want := keys[0].reason, "50 requests with attack signals in "+time.Minute.String(); got != want {
		t.Errorf("default reason %q, want %q", got, want)
	}
}

package detect

import (
	"strings"
	"testing"
)

// Helpers of the property-based fuzz tests (FuzzCmdExe, FuzzPathChecks, ...): they turn
// arbitrary fuzz input into benign context around a known attack, and check what every
// detector promises about the fragment it reports.

// benignAlphabet is the text of form fields, search boxes and prose that no detector
// reads as an attack: letters, digits, spaces, '.', ',' and '-'. Some detectors do
// match values spelled in it (whoami, uname -a, java.lang.Runtime, win.ini, 1 or true):
// the fuzz tests that use it narrow it where the detector's doc comment says so.
const benignAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,-"

// wordAlphabet is benignAlphabet without digits and dots: words of prose.
const wordAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ ,-"

// benignText maps the bytes of s into alphabet, keeping at most max of them, so that
// the fuzzer steers benign context without ever writing an attack into it.
func benignText(s, alphabet string, max int) string {
	if len(s) > max {
		s = s[:max]
	}
	b := make([]byte, len(s))
	for i := 0; i < len(s); i++ {
		b[i] = alphabet[int(s[i])%len(alphabet)]
	}
	return string(b)
}

// pick returns one of list, chosen by n.
func pick[T any](list []T, n uint8) T { return list[int(n)%len(list)] }

// checkFragment fails t unless frag, the fragment a detector reported for a match on v,
// is non-empty and part of v: a detector called on one variant reports from it.
func checkFragment(t *testing.T, family, v, frag string) {
	t.Helper()
	if frag == "" {
		t.Fatalf("%s matched %q with an empty fragment", family, v)
	}
	if !strings.Contains(v, frag) {
		t.Fatalf("%s fragment %q is not part of %q", family, frag, v)
	}
}

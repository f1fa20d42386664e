package detect

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"github.com/rampartwaf/rampart/internal/request"
)

// latin1Blob returns compressed bytes as an application puts them into a JSON string:
// each byte as the code point of the same number (the Latin-1 reading), so the value
// is valid UTF-8 full of control and high characters.
func latin1Blob(seed int64, size int) string {
	rng := rand.New(rand.NewSource(seed))
	var plain bytes.Buffer
	words := []string{"session", "event", "click", "scroll", "user", "page", "time", "{", "}", ":", ",", "\"", "1688383568", "true", "null"}
	for plain.Len() < size {
		plain.WriteString(words[rng.Intn(len(words))])
		if rng.Intn(3) == 0 {
			fmt.Fprintf(&plain, "%d", rng.Int63())
		}
	}
	var z bytes.Buffer
	w := zlib.NewWriter(&z)
	w.Write(plain.Bytes())
	w.Close()
	var b strings.Builder
	for _, c := range z.Bytes() {
		b.WriteRune(rune(c))
	}
	return b.String()
}

// TestBinaryBlobs: compressed data read as text spells tokens by chance; no injection
// family may take it for an attack (TestSQLI and TestPHP check that an attack padded
// with control bytes is still found).
func TestBinaryBlobs(t *testing.T) {
	p := &request.Param{Source: request.SourceJSON, Name: "replayContent"}
	for seed := int64(1); seed <= 300; seed++ {
		v := latin1Blob(seed, 2000+int(seed)*40)
		if !binaryish(v) {
			t.Fatalf("seed %d: blob not binaryish", seed)
		}
		for _, c := range []struct {
			name  string
			match func(*request.Param, string) (string, bool)
		}{{"SQLI", matchSQLI}, {"CODEINJECTION", matchPHPValue}, {"CMDEXE", matchCMDEXE}, {"XSS", matchXSS}} {
			if f, ok := c.match(p, v); ok {
				t.Errorf("seed %d: %s on a compressed blob: %.80q", seed, c.name, f)
			}
		}
	}
}

package httpproxy

import (
	"encoding/hex"
	"math/rand/v2"
)

// newRequestID returns a random 128-bit identifier as 32 hex digits. It need not be
// secret, only unique; math/rand/v2's generator is seeded from the OS and cheap.
func newRequestID() string {
	var b [16]byte
	a, c := rand.Uint64(), rand.Uint64()
	for i := 0; i < 8; i++ {
		b[i] = byte(a >> (8 * i))
		b[8+i] = byte(c >> (8 * i))
	}
	return hex.EncodeToString(b[:])
}

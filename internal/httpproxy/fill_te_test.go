package httpproxy

import (
	"bufio"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/rampartwaf/rampart/internal/engine"
)

// TestChunkedGETBlocked checks that a chunked body on GET, whose Transfer-Encoding
// net/http moves out of the header map, still reaches the protocol checks (BHH) and is
// blocked, while a chunked POST passes.
func TestChunkedGETBlocked(t *testing.T) {
	up := echoUpstream(t)
	p := newProxy(t, testSettings(t, engine.ModeBlock, up.URL), Options{})
	_, base := startProxy(t, p, ServerOptions{})
	addr := strings.TrimPrefix(base, "http://")
	for _, tt := range []struct {
		method string
		want   int
	}{{"GET", 406}, {"POST", 200}} {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		req := tt.method + " / HTTP/1.1\r\nHost: example.test\r\nUser-Agent: test\r\nContent-Type: text/plain\r\n" +
			"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
		if _, err := c.Write([]byte(req)); err != nil {
			t.Fatal(err)
		}
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		c.Close()
		if resp.StatusCode != tt.want {
			t.Errorf("%s chunked: status %d, want %d", tt.method, resp.StatusCode, tt.want)
		}
	}
}

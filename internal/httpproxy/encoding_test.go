package httpproxy

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/rampartwaf/rampart/internal/engine"
	"github.com/rampartwaf/rampart/internal/parse"
)

func gzipBytes(s string) []byte {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	_, _ = w.Write([]byte(s))
	_ = w.Close()
	return b.Bytes()
}

// TestGzipBody checks that a gzipped body is judged decoded, while the upstream gets
// the bytes as sent, with their Content-Encoding.
func TestGzipBody(t *testing.T) {
	var mu sync.Mutex
	var got []byte
	var gotEncoding string
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		got, gotEncoding = b, r.Header.Get("Content-Encoding")
		mu.Unlock()
		w.Header().Set("X-Signals", r.Header.Get("X-Rampart-Signals"))
	}))
	t.Cleanup(up.Close)

	big := `{"pad":"` + strings.Repeat("a", 4096) + `"}`
	tests := []struct {
		name       string
		pass       bool
		body       []byte
		wantStatus int
		wantSignal string
	}{
		{"gzipped SQL injection", false, gzipBytes(`{"id":"1 UNION SELECT password FROM users--"}`), 406, ""},
		{"gzipped benign JSON", false, gzipBytes(`{"id":42,"name":"O'Brien","tags":["a","b"]}`), 200, ""},
		{"decoded over the limit", false, gzipBytes(big), 406, ""},
		{"decoded over the limit, on_exceed pass", true, gzipBytes(big), 200, "OVERSIZE,JSON-ERROR"}, // cut JSON, as for a body sent over the limit
		{"not gzip: inspected as sent", false, []byte(`{"id":"1 UNION SELECT password FROM users--"}`), 406, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mu.Lock()
			got, gotEncoding = nil, ""
			mu.Unlock()
			s := testSettings(t, engine.ModeBlock, up.URL)
			s.BodyLimit = 2048
			e, err := engine.New(engine.Options{Mode: engine.ModeBlock, PassOversize: tt.pass,
				Limits: parse.Limits{Params: 100, Depth: 10, BodyBytes: 2048}})
			if err != nil {
				t.Fatal(err)
			}
			s.Engine = e
			p := newProxy(t, s, Options{})
			_, base := startProxy(t, p, ServerOptions{})
			req, _ := http.NewRequest("POST", base+"/api", bytes.NewReader(tt.body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Content-Encoding", "gzip")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.wantStatus {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.wantStatus)
			}
			mu.Lock()
			defer mu.Unlock()
			if tt.wantStatus != 200 {
				if got != nil {
					t.Error("a blocked request reached the upstream")
				}
				return
			}
			if !bytes.Equal(got, tt.body) || gotEncoding != "gzip" {
				t.Errorf("upstream got %d bytes (Content-Encoding %q), want the %d bytes sent, gzip", len(got), gotEncoding, len(tt.body))
			}
			if sig := resp.Header.Get("X-Signals"); sig != tt.wantSignal {
				t.Errorf("X-Rampart-Signals = %q, want %q", sig, tt.wantSignal)
			}
		})
	}
}

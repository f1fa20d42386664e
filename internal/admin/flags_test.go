package admin

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/rampartwaf/rampart/internal/state"
)

func TestFlagsAPI(t *testing.T) {
	store := state.NewMemory(state.MemoryOptions{})
	defer store.Close()
	var set []state.Flag
	srv := httptest.NewServer(New(Options{Flags: store, OnFlag: func(f state.Flag) { set = append(set, f) }}))
	defer srv.Close()
	do := func(method, path, body string) (int, string) {
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := do("GET", "/api/flags", ""); code != 200 || strings.TrimSpace(body) != "[]" {
		t.Fatalf("empty list: %d %s", code, body)
	}
	if code, body := do("POST", "/api/flags", `{"ip": "192.0.2.7", "duration": "2h", "reason": "abuse report"}`); code != 200 {
		t.Fatalf("set: %d %s", code, body)
	}
	if len(set) != 1 || set[0].IP.String() != "192.0.2.7" {
		t.Fatalf("OnFlag got %+v", set)
	}
	code, body := do("GET", "/api/flags", "")
	var flags []state.Flag
	if err := json.Unmarshal([]byte(body), &flags); err != nil || code != 200 || len(flags) != 1 || flags[0].Reason != "abuse report" {
		t.Fatalf("list: %d %s", code, body)
	}
	if d := flags[0].Until.Sub(flags[0].Since); d.Hours() != 2 {
		t.Errorf("flag lasts %v, want 2h", d)
	}
	for _, c := range []struct {
		method, path, body string
		code               int
	}{
		{"POST", "/api/flags", `{"ip": "nope"}`, 400},
		{"POST", "/api/flags", `{"ip": "192.0.2.8", "duration": "-1h"}`, 400},
		{"POST", "/api/flags", `{"ip": "192.0.2.8", "extra": 1}`, 400},
		{"DELETE", "/api/flags/nope", "", 400},
		{"DELETE", "/api/flags/192.0.2.9", "", 404},
		{"DELETE", "/api/flags/192.0.2.7", "", 200},
		{"DELETE", "/api/flags/192.0.2.7", "", 404},
	} {
		if code, body := do(c.method, c.path, c.body); code != c.code {
			t.Errorf("%s %s %s: %d %s, want %d", c.method, c.path, c.body, code, body, c.code)
		}
	}
}

package main

import (
	"encoding/base64"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// TestReplayConfigLimits: replay applies the body and header limits the proxy enforces,
// from --config or the built-in defaults.
func TestReplayConfigLimits(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "small.yaml")
	writeFile(t, cfg, "limits:\n  body_bytes: 1000\n  header_bytes: 2000\n")
	passCfg := filepath.Join(dir, "pass.yaml")
	writeFile(t, passCfg, "limits:\n  body_bytes: 1000\n  header_bytes: 2000\n  on_exceed: pass\n")

	rec := func(category, body, header string) string {
		r := map[string]any{
			"id": category, "source": "t", "label": "benign", "category": category,
			"method": "POST", "uri": "/form",
			"headers":  [][2]string{{"Content-Type", "application/x-www-form-urlencoded"}, {"X-Note", header}},
			"body_b64": base64.StdEncoding.EncodeToString([]byte(body)),
		}
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		return string(b) + "\n"
	}
	input := filepath.Join(dir, "in.jsonl")
	writeFile(t, input, rec("big-body", "note="+strings.Repeat("a", 3000), "x")+
		rec("big-header", "note=a", strings.Repeat("b", 3000))+
		rec("small", "note=a", "x"))

	blocked := func(args ...string) map[string]int {
		t.Helper()
		stdout, stderr, code := runRampart(t, append([]string{"replay", "--format", "json", "--input", input}, args...)...)
		if code != 0 {
			t.Fatalf("replay %v: exit %d: %s", args, code, stderr)
		}
		var rep struct {
			Groups []struct {
				Category string `json:"category"`
				Blocked  int    `json:"blocked"`
			} `json:"groups"`
		}
		if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
			t.Fatalf("replay output: %v\n%s", err, stdout)
		}
		m := map[string]int{}
		for _, g := range rep.Groups {
			m[g.Category] = g.Blocked
		}
		return m
	}
	tests := []struct {
		name string
		args []string
		want map[string]int
	}{
		{"built-in limits", nil, map[string]int{"big-body": 0, "big-header": 0, "small": 0}},
		{"config limits, on_exceed block", []string{"--config", cfg}, map[string]int{"big-body": 1, "big-header": 1, "small": 0}},
		{"config limits, on_exceed pass", []string{"--config", passCfg}, map[string]int{"big-body": 0, "big-header": 0, "small": 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := blocked(tt.args...)
			for k, v := range tt.want {
				if got[k] != v {
					t.Errorf("%s: blocked %d, want %d (all: %v)", k, got[k], v, got)
				}
			}
		})
	}
}

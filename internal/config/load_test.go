package config

import (
	"errors"
	"flag"
	"io/fs"
	"net/netip"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// TestGolden loads every testdata/NAME.yaml without overrides and compares the outcome
// with testdata/NAME.golden: the mistakes, one per line, or "ok" and the effective
// config as Marshal writes it. Run `go test ./internal/config -run Golden -update` to
// rewrite the golden files, then read the diff.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no golden cases under testdata/")
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".yaml")
		t.Run(name, func(t *testing.T) {
			got := outcome(t, file)
			golden := strings.TrimSuffix(file, ".yaml") + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("reading golden file (run with -update to create it): %v", err)
			}
			if got != string(want) {
				t.Errorf("Load(%s):\n--- got\n%s--- want\n%s", file, got, want)
			}
		})
	}
}

// outcome is what a golden file holds for a config file.
func outcome(t *testing.T, file string) string {
	t.Helper()
	c, err := Load(file, Overrides{})
	if err != nil {
		var list ErrorList
		if !errors.As(err, &list) {
			t.Fatalf("Load(%s) returned %T, not an ErrorList: %v", file, err, err)
		}
		for _, e := range list {
			if e.Msg == "" || e.Err == nil {
				t.Errorf("mistake without a message or kind: %#v", e)
			}
			if strings.Contains(e.Msg, "unmarshal") {
				t.Errorf("bare YAML error leaked: %s", e.Msg)
			}
		}
		return err.Error() + "\n"
	}
	if err := c.Validate(); err != nil {
		t.Errorf("Load(%s) returned a config that fails Validate: %v", file, err)
	}
	out, err := c.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	return "ok\n" + string(out)
}

func TestDefaultPlusUpstreamIsValid(t *testing.T) {
	c, err := Load("", Overrides{Upstream: "http://127.0.0.1:9000"})
	if err != nil {
		t.Fatal(err)
	}
	want := Default()
	want.Upstreams = c.Upstreams
	if !reflect.DeepEqual(c, want) {
		t.Errorf("defaults with --upstream:\n got %+v\nwant %+v", c, want)
	}
	if got := c.Upstreams[0].String(); got != "http://127.0.0.1:9000" {
		t.Errorf("upstream = %q", got)
	}
}

func TestNoUpstream(t *testing.T) {
	_, err := Load("", Overrides{})
	if !errors.Is(err, ErrNoUpstream) {
		t.Fatalf("Load with no upstream: got %v, want ErrNoUpstream", err)
	}
	if got, want := err.Error(), "no upstream: set upstream: or --upstream"; got != want {
		t.Errorf("message = %q, want %q", got, want)
	}
	// Commands that do not proxy (replay) take a file without one.
	c, err := Parse("policy.yaml", []byte("mode: log\n"), Overrides{NoUpstreamNeeded: true})
	if err != nil || c.Mode != ModeLog {
		t.Errorf("with NoUpstreamNeeded: %v, mode %q", err, c.Mode)
	}
}

func TestMissingFile(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "nope.yaml"), Overrides{})
	if !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("got %v, want fs.ErrNotExist", err)
	}
	var list ErrorList
	if errors.As(err, &list) {
		t.Errorf("a missing file is not a list of mistakes: %v", err)
	}
}

func TestFileTooLarge(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big.yaml")
	data := []byte("upstream: http://127.0.0.1:9000\n" + strings.Repeat("# padding\n", maxFileBytes/10+1))
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Load(path, Overrides{})
	if !errors.Is(err, errTooLarge) {
		t.Fatalf("got %v, want errTooLarge", err)
	}
}

func TestErrorsAreInspectable(t *testing.T) {
	_, err := Load(filepath.Join("testdata", "many.yaml"), Overrides{})
	var list ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("got %T, want ErrorList", err)
	}
	if len(list) < 10 {
		t.Fatalf("got %d mistakes, want every one of the file's (at least 10):\n%v", len(list), err)
	}
	for i := 1; i < len(list); i++ {
		a, b := list[i-1], list[i]
		if a.Line > b.Line || a.Line == b.Line && a.Col > b.Col {
			t.Errorf("not sorted: %v before %v", a, b)
		}
	}
	for _, kind := range []error{ErrUnknownKey, ErrType, ErrValue} {
		if !errors.Is(err, kind) {
			t.Errorf("errors.Is(err, %v) = false", kind)
		}
	}
	first := list[0]
	if first.File != filepath.Join("testdata", "many.yaml") || first.Line != 2 || first.Col != 9 || first.Key != "listen" {
		t.Errorf("first mistake = %+v", first)
	}
}

func TestOverrides(t *testing.T) {
	file := filepath.Join("testdata", "full.yaml")
	tests := []struct {
		name  string
		ov    Overrides
		check func(t *testing.T, c *Config)
	}{
		{"none", Overrides{}, func(t *testing.T, c *Config) {
			if c.Listen != "127.0.0.1:8443" || c.Mode != ModeLog || c.Admin.Listen != "127.0.0.1:9191" || c.Upstreams[0].Host != "127.0.0.1:9000" {
				t.Errorf("file values not kept: %+v", c)
			}
		}},
		{"listen", Overrides{Listen: ":8081"}, func(t *testing.T, c *Config) {
			if c.Listen != ":8081" || c.Mode != ModeLog {
				t.Errorf("listen=%q mode=%q", c.Listen, c.Mode)
			}
		}},
		{"upstream replaces the file's", Overrides{Upstream: "https://10.1.1.1:8443"}, func(t *testing.T, c *Config) {
			if len(c.Upstreams) != 1 || c.Upstreams[0].String() != "https://10.1.1.1:8443" {
				t.Errorf("upstreams = %v", c.Upstreams)
			}
		}},
		{"mode", Overrides{Mode: "off"}, func(t *testing.T, c *Config) {
			if c.Mode != ModeOff {
				t.Errorf("mode = %q", c.Mode)
			}
		}},
		{"admin", Overrides{AdminListen: "127.0.0.1:7070"}, func(t *testing.T, c *Config) {
			if c.Admin.Listen != "127.0.0.1:7070" {
				t.Errorf("admin = %q", c.Admin.Listen)
			}
		}},
		{"admin off", Overrides{AdminListen: "off"}, func(t *testing.T, c *Config) {
			if c.Admin.Listen != "" {
				t.Errorf("admin = %q, want off", c.Admin.Listen)
			}
		}},
		{"all", Overrides{Listen: "[::1]:80", Upstream: "http://app:80", Mode: "block", AdminListen: "off"}, func(t *testing.T, c *Config) {
			if c.Listen != "[::1]:80" || c.Upstreams[0].Host != "app:80" || c.Mode != ModeBlock || c.Admin.Listen != "" {
				t.Errorf("got %+v", c)
			}
			if c.Limits.Depth != 32 || c.Timeouts.Idle != 90*time.Second {
				t.Errorf("keys without a flag lost their file values: %+v", c)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Load(file, tt.ov)
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, c)
		})
	}
}

func TestBadOverrides(t *testing.T) {
	tests := []struct {
		file string
		ov   Overrides
		want string
	}{
		{"", Overrides{Upstream: "ftp://x"}, "--upstream: unreachable upstream scheme \"ftp\" in \"ftp://x\" (want http or https)"},
		{"", Overrides{Upstream: "localhost:9000"}, "--upstream: bad upstream URL \"localhost:9000\": no scheme (did you mean \"http://localhost:9000\"?)"},
		{"", Overrides{Upstream: "http://a", Listen: "8080"}, "--listen: bad address \"8080\": missing port in address (did you mean \":8080\"?)"},
		{"", Overrides{Upstream: "http://a", Mode: "blok"}, "--mode: unknown mode \"blok\" (want block, log or off; did you mean \"block\"?)"},
		{"", Overrides{Upstream: "http://a", AdminListen: "nope"}, "--admin-listen: bad address \"nope\": missing port in address (want host:port, like 127.0.0.1:8080 or :8080) (or off to turn the admin listener off)"},
		// A bad flag is reported after the file's mistakes, without the file's name.
		{filepath.Join("testdata", "status.yaml"), Overrides{Mode: "x"},
			"testdata/status.yaml:3:11: block.status: 200 is not an error status (want 400-599; the default is 406)\n" +
				"--mode: unknown mode \"x\" (want block, log or off)"},
		// The flag's upstream stands in for the file's bad one, which is still reported.
		{filepath.Join("testdata", "upstream_scheme.yaml"), Overrides{Upstream: "http://ok"},
			"testdata/upstream_scheme.yaml:1:11: upstream: unreachable upstream scheme \"ftp\" in \"ftp://files.example.com/\" (want http or https)"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			_, err := Load(tt.file, tt.ov)
			if err == nil {
				t.Fatal("no error")
			}
			if err.Error() != tt.want {
				t.Errorf("got\n%s\nwant\n%s", err, tt.want)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	good := func() *Config {
		c := Default()
		u, err := parseUpstream("http://127.0.0.1:9000")
		if err != nil {
			t.Fatal(err)
		}
		c.Upstreams = append(c.Upstreams, u)
		return c
	}
	if err := good().Validate(); err != nil {
		t.Fatalf("good config: %v", err)
	}
	tests := []struct {
		name   string
		change func(c *Config)
		want   string
	}{
		{"no upstream", func(c *Config) { c.Upstreams = nil }, "no upstream: set upstream: or --upstream"},
		{"nil upstream", func(c *Config) { c.Upstreams[0] = nil }, "upstreams[0]: missing upstream URL"},
		{"zero timeout", func(c *Config) { c.Timeouts.Idle = 0 }, "timeouts.idle: must be more than 0 (got 0s)"},
		{"zero prefix", func(c *Config) { c.ClientIP.TrustedProxies[1] = netip.Prefix{} }, "client_ip.trusted_proxies[1]: invalid prefix"},
		{"bad mode", func(c *Config) { c.Mode = "" }, "mode: unknown mode \"\" (want block, log or off)"},
		{"file named", func(c *Config) { c.File = "r.yaml"; c.Block.Status = 99 }, "r.yaml: block.status: 99 is not an error status (want 400-599; the default is 406)"},
		{"tls half", func(c *Config) { c.TLS = &TLS{Key: "k.pem"} }, "tls: key is set but cert is not"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := good()
			tt.change(c)
			err := c.Validate()
			if err == nil || err.Error() != tt.want {
				t.Errorf("got %v, want %s", err, tt.want)
			}
		})
	}
}

// TestRoundTrip checks that Marshal writes every key: a config with every value away
// from its default, written and loaded again, is the same config.
func TestRoundTrip(t *testing.T) {
	c, err := Load(filepath.Join("testdata", "full.yaml"), Overrides{})
	if err != nil {
		t.Fatal(err)
	}
	d := Default()
	cv, dv := reflect.ValueOf(c).Elem(), reflect.ValueOf(d).Elem()
	for i := 0; i < cv.NumField(); i++ {
		name := cv.Type().Field(i).Name
		if name == "File" {
			continue
		}
		if reflect.DeepEqual(cv.Field(i).Interface(), dv.Field(i).Interface()) {
			t.Errorf("full.yaml leaves %s at its default; set it so the round trip covers it", name)
		}
	}
	assertRoundTrip(t, c)
}

// assertRoundTrip checks that c, written by Marshal and parsed again, is c.
func assertRoundTrip(t testing.TB, c *Config) {
	t.Helper()
	out, err := c.Marshal()
	if err != nil {
		t.Fatalf("Marshal: %v", err)
	}
	again, err := Parse("", out, Overrides{})
	if err != nil {
		t.Fatalf("parsing Marshal's output: %v\n%s", err, out)
	}
	again.File = c.File
	if !sameConfig(c, again) {
		t.Fatalf("round trip changed the config:\n got %+v\nwant %+v\nfile:\n%s", again, c, out)
	}
}

// sameConfig compares configs, upstream URLs by their text.
func sameConfig(a, b *Config) bool {
	if len(a.Upstreams) != len(b.Upstreams) {
		return false
	}
	for i := range a.Upstreams {
		if a.Upstreams[i].String() != b.Upstreams[i].String() {
			return false
		}
	}
	// Rules are compared as written out: their compiled form holds the places they
	// were read from, which a round trip changes.
	var af, bf fileForm
	rulesForms(&af, a.Rules)
	rulesForms(&bf, b.Rules)
	if !reflect.DeepEqual(af, bf) {
		return false
	}
	ac, bc := *a, *b
	ac.Upstreams, bc.Upstreams = nil, nil
	ac.Rules, bc.Rules = nil, nil
	ac.Included, bc.Included = nil, nil
	return reflect.DeepEqual(ac, bc)
}

func TestParseName(t *testing.T) {
	_, err := Parse("", []byte("upstream: http://a\nmode: x\n"), Overrides{})
	if err == nil || err.Error() != "2:7: mode: unknown mode \"x\" (want block, log or off)" {
		t.Errorf("got %v", err)
	}
}

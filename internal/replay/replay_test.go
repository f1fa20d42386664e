package replay

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/rampartwaf/rampart/internal/engine"
	"github.com/rampartwaf/rampart/internal/request"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// markerInspector stands in for the engine so the golden files do not move whenever a
// detector is tuned: it blocks a request whose target, body or headers contain "EVIL",
// and one whose query string contains "QONLY" (so a value is blocked as a query
// parameter but not as a JSON field). An unparsable request gets an anomaly signal
// only.
type markerInspector struct{}

func (markerInspector) Inspect(_ context.Context, r *request.Request) engine.Verdict {
	var sigs []request.Signal
	hay := r.URI + "\n" + string(r.Body)
	for _, h := range r.Headers {
		hay += "\n" + h.Value
	}
	if i := strings.Index(hay, "EVIL"); i >= 0 {
		sigs = append(sigs, request.Signal{Name: "SQLI", Source: request.SourceBody, Param: "marker", Fragment: hay[i : i+4]})
	}
	if strings.Contains(r.RawQuery, "QONLY") {
		sigs = append(sigs, request.Signal{Name: "XSS", Source: request.SourceQuery, Param: "q", Fragment: "QONLY"})
	}
	v := engine.Verdict{Signals: sigs}
	if len(sigs) > 0 {
		v.Action, v.Reason = engine.Block, engine.ReasonSignals
	}
	if r.Flags.Has(request.FlagUnparsable) {
		v.Signals = append(v.Signals, request.Signal{Name: "MALFORMED-DATA"})
	}
	return v
}

// gzipInput returns an Input with the gzipped content of the file at path, under the
// plain file's name, so its report must equal the plain file's.
func gzipInput(t *testing.T, path string) Input {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(data)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	gz := buf.Bytes()
	return Input{Name: path, Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(gz)), nil }}
}

func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading golden file (run with -update to create it): %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the output; run `go test ./internal/replay -update` if the change is intended\n--- got:\n%s", path, got)
	}
}

func TestRunGolden(t *testing.T) {
	files := []string{"testdata/requests.jsonl", "testdata/values.jsonl"}
	tests := []struct {
		name   string
		golden string
		gz     bool
		filter Filter
	}{
		{name: "plain", golden: "report"},
		{name: "gzip", golden: "report", gz: true},
		{name: "filtered", golden: "report-filtered", filter: Filter{
			Sources: []string{"shop", "crs"}, Labels: []string{"attack"}, ParanoiaMax: 2,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var inputs []Input
			for _, f := range files {
				if tt.gz {
					inputs = append(inputs, gzipInput(t, f))
				} else {
					inputs = append(inputs, FileInput(f))
				}
			}
			rep, err := Run(context.Background(), inputs, Options{
				Inspector: markerInspector{}, Filter: tt.filter, ShowMisses: 10, ShowFPs: 10,
			})
			if err != nil {
				t.Fatal(err)
			}
			var table, js bytes.Buffer
			if err := WriteTable(&table, rep); err != nil {
				t.Fatal(err)
			}
			if err := WriteJSON(&js, rep); err != nil {
				t.Fatal(err)
			}
			checkGolden(t, tt.golden+".txt", table.Bytes())
			checkGolden(t, tt.golden+".json", js.Bytes())
		})
	}
}

// TestRunDeterministic checks that the report does not depend on the number of
// workers, including which examples are kept when there are more than shown.
func TestRunDeterministic(t *testing.T) {
	var lines strings.Builder
	for i := range 500 {
		label, marker := "attack", "quiet"
		if i%3 == 0 {
			label = "benign"
		}
		if i%2 == 0 {
			marker = "EVIL"
		}
		fmt.Fprintf(&lines, `{"value": "v%d %s", "label": %q, "category": "c%d", "source": "gen"}`+"\n", i, marker, label, i%4)
	}
	data := lines.String()
	in := Input{Name: "gen", Open: func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(data)), nil }}
	var first []byte
	for _, workers := range []int{1, 2, 3, 8} {
		rep, err := Run(context.Background(), []Input{in}, Options{Inspector: markerInspector{}, Workers: workers, ShowMisses: 3, ShowFPs: 3})
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := WriteJSON(&buf, rep); err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = buf.Bytes()
			if rep.Judged != 500 || len(rep.Misses) != 3 || len(rep.FalsePositives) != 3 {
				t.Fatalf("judged %d, misses %d, fps %d; want 500, 3, 3", rep.Judged, len(rep.Misses), len(rep.FalsePositives))
			}
			continue
		}
		if !bytes.Equal(first, buf.Bytes()) {
			t.Errorf("report with %d workers differs from the one with 1 worker", workers)
		}
	}
}

// genReader produces n request lines of about size bytes each without holding them,
// and samples the heap every 5000 lines.
type genReader struct {
	n, size, i int
	pending    []byte
	maxHeap    uint64
}

func (g *genReader) Read(p []byte) (int, error) {
	if len(g.pending) == 0 {
		if g.i == g.n {
			return 0, io.EOF
		}
		if g.i%5000 == 0 {
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			g.maxHeap = max(g.maxHeap, ms.HeapAlloc)
		}
		label := "attack"
		if g.i%2 == 0 {
			label = "benign"
		}
		pad := strings.Repeat("a", g.size)
		g.pending = fmt.Appendf(nil, `{"id": "g%d", "source": "gen", "label": %q, "category": "c%d", "method": "GET", "uri": "/p?x=%s", "headers": [], "body_b64": ""}`+"\n",
			g.i, label, g.i%7, pad)
		g.i++
	}
	n := copy(p, g.pending)
	g.pending = g.pending[n:]
	return n, nil
}

// TestRunBoundedMemory streams 100 MiB of lines, every one a miss or a false positive,
// and checks the heap never holds more than a fraction of it.
func TestRunBoundedMemory(t *testing.T) {
	const lines, size = 50_000, 2 << 10
	g := &genReader{n: lines, size: size}
	in := Input{Name: "gen", Open: func() (io.ReadCloser, error) { return io.NopCloser(g), nil }}
	runtime.GC()
	rep, err := Run(context.Background(), []Input{in}, Options{Inspector: markerInspector{}, ShowMisses: 50, ShowFPs: 50})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Judged != lines {
		t.Fatalf("judged %d records, want %d", rep.Judged, lines)
	}
	const limit = 32 << 20
	t.Logf("peak heap %d KiB for %d MiB of input", g.maxHeap>>10, lines*size>>20)
	if g.maxHeap > limit {
		t.Errorf("heap reached %d MiB while streaming %d MiB of input; want under %d MiB",
			g.maxHeap>>20, lines*size>>20, limit>>20)
	}
}

func TestRunLineErrors(t *testing.T) {
	long := `{"value": "` + strings.Repeat("x", 300) + `", "label": "attack", "source": "s"}`
	data := strings.Join([]string{
		`{"value": "ok", "label": "benign", "source": "s"}`,
		long,
		`not json`,
		`{"value": "ok again", "label": "benign", "source": "s"}`,
	}, "\n")
	in := Input{Name: "mem.jsonl", Open: func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(data)), nil }}
	rep, err := Run(context.Background(), []Input{in}, Options{Inspector: markerInspector{}, MaxLineBytes: 200})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Judged != 2 || rep.BadLines != 2 {
		t.Fatalf("judged %d, bad %d; want 2, 2", rep.Judged, rep.BadLines)
	}
	want := []string{"mem.jsonl:2: line too long (over 200 bytes)", "mem.jsonl:3: bad record: decoding JSON: "}
	for i, w := range want {
		if got := rep.Errors[i].String(); !strings.HasPrefix(got, w) {
			t.Errorf("error %d = %q, want prefix %q", i, got, w)
		}
	}
}

func TestRunInputErrors(t *testing.T) {
	errBoom := errors.New("boom")
	tests := []struct {
		name  string
		input Input
		want  error
	}{
		{"open", Input{Name: "x", Open: func() (io.ReadCloser, error) { return nil, errBoom }}, errBoom},
		{"missing file", FileInput("testdata/does-not-exist.jsonl"), os.ErrNotExist},
		{"read", Input{Name: "x", Open: func() (io.ReadCloser, error) {
			return io.NopCloser(io.MultiReader(strings.NewReader("{}\n"), &failReader{errBoom})), nil
		}}, errBoom},
		{"corrupt gzip", Input{Name: "x", Open: func() (io.ReadCloser, error) {
			return io.NopCloser(bytes.NewReader([]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff, 1, 2, 3})), nil
		}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Run(context.Background(), []Input{tt.input}, Options{Inspector: markerInspector{}})
			if err == nil {
				t.Fatal("Run succeeded, want an error")
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("error %v, want one wrapping %v", err, tt.want)
			}
		})
	}
	if _, err := Run(context.Background(), nil, Options{}); !errors.Is(err, ErrNoInspector) {
		t.Errorf("Run without inspector: %v, want ErrNoInspector", err)
	}
}

type failReader struct{ err error }

func (f *failReader) Read([]byte) (int, error) { return 0, f.err }

func TestRunCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	g := &genReader{n: 100_000, size: 10}
	in := Input{Name: "gen", Open: func() (io.ReadCloser, error) { return io.NopCloser(g), nil }}
	_, err := Run(ctx, []Input{in}, Options{Inspector: markerInspector{}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Run with a cancelled context: %v, want context.Canceled", err)
	}
}

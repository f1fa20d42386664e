package detect

import (
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/rampartwaf/rampart/internal/request"
)

// Benchmarks of the value checks on benign values of the kinds real traffic carries, to
// see which family costs what. Run one family, or rank them all from one profile:
//
//	go test -run '^$' -bench 'FamilyBenign/SQLI' -benchtime 20000x ./internal/detect
//	go test -run '^$' -bench DispatchBenign -cpuprofile cpu.out ./internal/detect
//	go tool pprof -top -cum cpu.out | grep detect.match

// benignKinds are benign values by kind, short and long.
var benignKinds = []struct{ name, v string }{
	{"word", "lobby"},
	{"number", "1719846000123"},
	{"token", "3f9a1c0e7b2d4a6f8e1c3b5a7d9f0e2c"},
	{"uuid", "9b2f4c1e-7d3a-4e8b-a1c6-5f0d2e9b8a71"},
	{"name", "Jane O'Neil"},
	{"email", "jane.doe@example.org"},
	{"url", "https://shop.example.com/catalog?page=2&sort=new"},
	{"ua", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"},
	{"prose", strings.Repeat("Hi team, the release notes for v2.4 are up: please review them before Friday and leave comments in the doc. ", 4)},
}

// checkName names a value check by its match function: "SQLI" for matchSQLI.
func checkName(c *valueCheck) string {
	var pc uintptr
	if c.filtered != nil {
		pc = funcPC(c.filtered)
	} else {
		pc = funcPC(c.match)
	}
	name := runtime.FuncForPC(pc).Name()
	name = name[strings.LastIndexByte(name, '.')+1:]
	return strings.TrimPrefix(name, "match")
}

// callCheck runs c on v as the dispatch does.
func callCheck(c *valueCheck, p *request.Param, v string) (string, bool) {
	if c.filtered != nil {
		classes := valueClasses(v)
		if !c.need.met(len(v), classes) {
			return "", false
		}
		return c.filtered(p, v, classes)
	}
	return c.match(p, v)
}

func BenchmarkFamilyBenign(b *testing.B) {
	p := &request.Param{Source: request.SourceJSON, Name: "text"}
	for j := range valueChecks {
		c := &valueChecks[j]
		b.Run(checkName(c), func(b *testing.B) {
			for _, k := range benignKinds {
				b.Run(k.name, func(b *testing.B) {
					b.ReportAllocs()
					for i := 0; i < b.N; i++ {
						if _, ok := callCheck(c, p, k.v); ok {
							b.Fatalf("benign %s matched: %q", k.name, k.v)
						}
					}
				})
			}
		})
	}
}

// BenchmarkDispatchBenign runs Inspect on one parameter of each benign kind.
func BenchmarkDispatchBenign(b *testing.B) {
	tmpl := make([]request.Param, len(benignKinds))
	for i, k := range benignKinds {
		tmpl[i] = request.Param{Source: request.SourceJSON, Name: k.name, Value: k.v}
	}
	r := &request.Request{}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		r.Params = append(r.Params[:0], tmpl...)
		r.Signals = r.Signals[:0]
		Inspect(r)
		if len(r.Signals) > 0 {
			b.Fatalf("benign values raised %+v", r.Signals)
		}
	}
}

// funcPC returns the entry address of the function f.
func funcPC(f any) uintptr { return reflect.ValueOf(f).Pointer() }

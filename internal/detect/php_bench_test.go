package detect

import (
	"testing"

	"github.com/rampartwaf/rampart/internal/request"
)

// benignSamples are short values of ordinary traffic.
var benignSamples = []string{
	"blue shoes size 42", "jane.doe@example.org", "https://example.com/a/b?c=d&e=f",
	"1699999999", "O'Brien", "Hello (world), see you at 5pm.", `{"a":1,"b":[1,2]}`,
	"/static/js/app.min.js", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36",
	"$12.50 (incl. tax)", "price_asc", "{{ name }}",
}

func BenchmarkPHPBenign(b *testing.B) {
	p := &request.Param{Source: request.SourceQuery, Name: "q"}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		for _, v := range benignSamples {
			matchPHP(p, v)
		}
	}
}

func BenchmarkSSTIBenign(b *testing.B) {
	p := &request.Param{Source: request.SourceQuery, Name: "q"}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		for _, v := range benignSamples {
			matchSSTI(p, v)
		}
	}
}

package detect

import (
	"testing"

	"github.com/rampartwaf/rampart/internal/request"
)

// benignXSSCmdValues are typical parameter values of real traffic: most are short and plain.
var benignXSSCmdValues = []string{
	"running shoes", "42", "blue", "price_asc", "2", "en-GB", "true",
	"https://shop.example.com/catalog?page=2&sort=new",
	"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36",
	"session=3f9a1c0e7b2d4a6f8e1c3b5a7d9f0e2c", "jane.doe@example.org",
	"I really liked it; the size was right and delivery was quick!",
	`{"id":12,"name":"Widget","tags":["a","b"]}`, "2024-05-01T10:00:00Z",
	"O'Brien & Sons (London) Ltd.", "C:\\Users\\jane\\Documents\\report.pdf",
}

func benchValues(b *testing.B, match func(*request.Param, string) (string, bool)) {
	p := &request.Param{Source: request.SourceQuery, Name: "q"}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		for _, v := range benignXSSCmdValues {
			if _, ok := match(p, v); ok {
				b.Fatalf("benign value matched: %q", v)
			}
		}
	}
}

// BenchmarkXSSBenign and BenchmarkCMDEXEBenign time one pass over benignXSSCmdValues (16
// values): divide by 16 for the cost of one value check.
func BenchmarkXSSBenign(b *testing.B)    { benchValues(b, matchXSS) }
func BenchmarkCMDEXEBenign(b *testing.B) { benchValues(b, matchCMDEXE) }

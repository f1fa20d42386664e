package engine

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/rampartwaf/rampart/internal/parse"
	"github.com/rampartwaf/rampart/internal/request"
)

// Engine-level benchmarks: parse, decode, detect and decide for whole requests. The
// budget (issue 5): benign GET with 5 query params <= 20 µs and <= 20 allocations,
// 512-byte JSON POST <= 40 µs, cost linear in body size. Compare two runs with
// benchstat:
//
//	go test -run XXX -bench Inspect -count 10 ./internal/engine > old.txt
//	(change) ... > new.txt; benchstat old.txt new.txt

var benchHeaders = []request.Header{
	{Name: "User-Agent", Value: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"},
	{Name: "Accept", Value: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"},
	{Name: "Accept-Language", Value: "en-GB,en;q=0.9"},
	{Name: "Referer", Value: "https://shop.example.com/catalog?page=2"},
	{Name: "Cookie", Value: "session=3f9a1c0e7b2d4a6f8e1c3b5a7d9f0e2c; theme=dark"},
}

func benchEngine(b *testing.B) *Engine {
	e, err := New(Options{Limits: parse.Limits{Params: 1000, Depth: 32}})
	if err != nil {
		b.Fatal(err)
	}
	return e
}

// runInspect judges a fresh copy of tmpl per iteration (a Request is parsed once), reusing
// one Request value as a pooled proxy would.
func runInspect(b *testing.B, tmpl request.Request) {
	e := benchEngine(b)
	ctx := context.Background()
	r := new(request.Request)
	b.ReportAllocs()
	b.SetBytes(int64(len(tmpl.URI) + len(tmpl.Body)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r.Reset()
		params, signals, headers := r.Params, r.Signals, r.Headers
		*r = tmpl
		r.Params, r.Signals = params[:0], signals[:0]
		r.Headers = append(headers[:0], tmpl.Headers...)
		if v := e.Inspect(ctx, r); v.Blocked() {
			b.Fatalf("benign request blocked: %+v", v.Signals)
		}
	}
}

func BenchmarkInspectGET5Params(b *testing.B) {
	q := "q=running+shoes&size=42&color=blue&sort=price_asc&page=2"
	runInspect(b, request.Request{
		Method: "GET", Scheme: "https", Host: "shop.example.com", Proto: "HTTP/1.1",
		URI: "/search?" + q, Path: "/search", RawQuery: q, Headers: benchHeaders,
	})
}

// jsonBody builds a benign JSON object of about n bytes: an order with line items.
func jsonBody(n int) []byte {
	var b strings.Builder
	b.WriteString(`{"customer":{"name":"Jane O'Neil","email":"jane@example.org","address":{"street":"12 High Street","city":"Leeds","zip":"LS1 4AB"}},"note":"Please leave the parcel with the neighbour if nobody is home.","items":[`)
	for i := 0; b.Len() < n-40; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"sku":"SKU-`)
		b.WriteString(strconv.Itoa(10000 + i))
		b.WriteString(`","qty":`)
		b.WriteString(strconv.Itoa(i%5 + 1))
		b.WriteString(`,"gift":false}`)
	}
	b.WriteString(`],"coupon":null}`)
	return []byte(b.String())
}

func postRequest(contentType string, body []byte) request.Request {
	return request.Request{
		Method: "POST", Scheme: "https", Host: "api.example.com", Proto: "HTTP/1.1",
		URI: "/api/orders", Path: "/api/orders", Headers: benchHeaders,
		ContentType: contentType, Body: body,
	}
}

func BenchmarkInspectJSON512(b *testing.B) {
	runInspect(b, postRequest("application/json", jsonBody(512)))
}

func BenchmarkInspectForm4K(b *testing.B) {
	var f strings.Builder
	words := []string{"delivery", "window", "between", "nine", "and", "five", "ring", "the", "bell", "twice"}
	for i := 0; f.Len() < 4096-64; i++ {
		if i > 0 {
			f.WriteByte('&')
		}
		f.WriteString("field")
		f.WriteString(strconv.Itoa(i))
		f.WriteByte('=')
		for j := 0; j < 6; j++ {
			if j > 0 {
				f.WriteByte('+')
			}
			f.WriteString(words[(i+j)%len(words)])
		}
	}
	runInspect(b, postRequest("application/x-www-form-urlencoded", []byte(f.String())))
}

func BenchmarkInspectJSON64K(b *testing.B) {
	runInspect(b, postRequest("application/json", jsonBody(64<<10)))
}

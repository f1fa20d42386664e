package parse

import (
	"fmt"
	"strings"
	"testing"

	"github.com/rampartwaf/rampart/internal/request"
)

// Benchmarks of Fill for the request shapes of the engine's budget (issue 5).
//
// Compare two runs with benchstat:
//
//	go test ./internal/parse -run '^$' -bench . -count 10 > old.txt
//	(change)
//	go test ./internal/parse -run '^$' -bench . -count 10 > new.txt
//	benchstat old.txt new.txt

var browserHeaders = []string{
	"User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
	"Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
	"Accept-Language", "en-US,en;q=0.5",
	"Accept-Encoding", "gzip, deflate, br",
	"Referer", "https://shop.example/catalog?page=2",
	"Cookie", "session=3f2a9c0d8e7b6a5f4e3d2c1b0a998877; theme=dark",
	"Connection", "keep-alive",
}

func benchFill(b *testing.B, r *request.Request) {
	b.Helper()
	lim := Limits{Params: 2048, Depth: 64}
	size := len(r.Body) + len(r.URI)
	for _, h := range r.Headers {
		size += len(h.Name) + len(h.Value)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		r.Params, r.Flags, r.Parsed = nil, 0, false
		Fill(r, lim)
	}
}

// BenchmarkFillGET is a benign browser GET with 5 query parameters.
func BenchmarkFillGET(b *testing.B) {
	benchFill(b, httpReq("GET", "/catalog/search?q=red+shoes&size=42&color=dark%20blue&sort=price&page=2", browserHeaders, ""))
}

// jsonBody returns a JSON document of about n bytes: an object of users with nested
// fields, arrays and escaped strings.
func jsonBody(n int) string {
	var b strings.Builder
	b.WriteString(`{"request":{"id":"8d3f","client":"web"},"users":[`)
	for i := 0; b.Len() < n-120; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"id":%d,"name":"User \u00e9%d","email":"u%d@example.com","tags":["a","b"],"active":true}`, i, i, i)
	}
	b.WriteString(`],"note":"O'Brien said \"hi\""}`)
	return b.String()
}

// BenchmarkFillJSON512 is a 512-byte JSON POST.
func BenchmarkFillJSON512(b *testing.B) {
	body := jsonBody(512)
	benchFill(b, httpReq("POST", "/api/users", append(browserHeaders, "Content-Type", "application/json"), body))
}

// BenchmarkFillJSON64K is a 64 KiB JSON POST.
func BenchmarkFillJSON64K(b *testing.B) {
	body := jsonBody(64 << 10)
	benchFill(b, httpReq("POST", "/api/users", append(browserHeaders, "Content-Type", "application/json"), body))
}

// BenchmarkFillForm4K is a 4 KiB urlencoded form POST.
func BenchmarkFillForm4K(b *testing.B) {
	var body strings.Builder
	for i := 0; body.Len() < 4<<10-40; i++ {
		fmt.Fprintf(&body, "field%d=some+value+%%C3%%A9+number+%d&", i, i)
	}
	benchFill(b, httpReq("POST", "/form", append(browserHeaders, "Content-Type", "application/x-www-form-urlencoded"), body.String()))
}

// BenchmarkFillMultipart is a multipart form with two fields and a small text file.
func BenchmarkFillMultipart(b *testing.B) {
	body := "--bnd\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nHoliday pictures\r\n" +
		"--bnd\r\nContent-Disposition: form-data; name=\"tags\"\r\n\r\nsea, sun\r\n" +
		"--bnd\r\nContent-Disposition: form-data; name=\"notes\"; filename=\"notes.txt\"\r\nContent-Type: text/plain\r\n\r\n" +
		strings.Repeat("a line of notes\n", 40) + "\r\n--bnd--\r\n"
	benchFill(b, httpReq("POST", "/upload", append(browserHeaders, "Content-Type", "multipart/form-data; boundary=bnd"), body))
}

// BenchmarkFillXML is a small SOAP-like XML POST.
func BenchmarkFillXML(b *testing.B) {
	body := `<?xml version="1.0"?><env><head><auth user="bob"/></head><body><order id="7"><item sku="A1">2</item><item sku="B2">1</item><note>leave at door &amp; ring</note></order></body></env>`
	benchFill(b, httpReq("POST", "/soap", append(browserHeaders, "Content-Type", "text/xml"), body))
}

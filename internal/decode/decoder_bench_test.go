package decode

import "testing"

// Compare two runs with benchstat:
//
//	go test -run XXX -bench . -count 10 ./internal/decode > old.txt
//	(change) ... > new.txt; benchstat old.txt new.txt
func benchVariants(b *testing.B, v string) {
	d := Get()
	defer Put(d)
	n := 0
	fn := func(s string, _ Transform) bool { n += len(s); return true }
	b.ReportAllocs()
	b.SetBytes(int64(len(v)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		d.Variants(v, fn)
	}
}

func BenchmarkVariantsBenignShort(b *testing.B) { benchVariants(b, "john.smith") }

func BenchmarkVariantsBenignSentence(b *testing.B) {
	benchVariants(b, "Please send the invoice for order 12345 to the accounts team before Friday.")
}

func BenchmarkVariantsURLEncoded(b *testing.B) {
	benchVariants(b, "%3Cscript%3Ealert%28document.cookie%29%3C%2Fscript%3E")
}

func BenchmarkVariantsDoubleEncoded(b *testing.B) {
	benchVariants(b, "%2527%2520or%25201%253D1--")
}

func BenchmarkVariantsEntities(b *testing.B) {
	benchVariants(b, "&lt;img src=x onerror=&#x61;lert&#40;1&#41;&gt;")
}

func BenchmarkVariantsBase64(b *testing.B) {
	benchVariants(b, "PHNjcmlwdD5hbGVydChkb2N1bWVudC5jb29raWUpPC9zY3JpcHQ+")
}

func BenchmarkVariantsLongText(b *testing.B) {
	v := make([]byte, 0, 4096)
	for len(v) < 4000 {
		v = append(v, "The quick brown fox jumps over the lazy dog.\n"...)
	}
	benchVariants(b, string(v))
}

func BenchmarkVariantsUserAgent(b *testing.B) {
	benchVariants(b, "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/114.0.0.0 Safari/537.36")
}

func BenchmarkVariantsSessionToken(b *testing.B) {
	benchVariants(b, "sid=Q7xkLmP9vRt4WzA2nB8cYd5eXk3J; theme=dark")
}

func BenchmarkVariantsEmbeddedBase64(b *testing.B) {
	benchVariants(b, `s:4:"path";s:44:"JyB1bmlvbiBzZWxlY3QgbmFtZSBmcm9tIHVzZXJzIC0tIA";`)
}

func BenchmarkVariantsJSONValue(b *testing.B) {
	benchVariants(b, `{"filter":{"name":"Jane Doe","since":"2024-01-01"},"sort":"name asc","page":2}`)
}

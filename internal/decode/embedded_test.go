package decode

import (
	"strings"
	"testing"
)

// b64 of a few attack strings, written for these tests.
const (
	b64Passwd = "L2V0Yy9wYXNzd2Q="                               // /etc/passwd
	b64Union  = "JyB1bmlvbiBzZWxlY3QgbmFtZSBmcm9tIHVzZXJzIC0tIA" // ' union select name from users --
	b64Pipe   = "MSB8fCBpZCB8fA=="                               // 1 || id ||
	b64JSON   = "eyJxIjoiMSBvciAxPTEifQ"                         // {"q":"1 or 1=1"}
)

func TestEmbeddedAttacks(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"php serialized", `s:4:"path";s:16:"` + b64Passwd + `";`, []string{"base64run:/etc/passwd"}},
		{"json string", `{"id":"` + b64Pipe + `"}`, []string{"base64run:1 || id ||"}},
		{"quoted json", `'{"id":"` + b64Union + `"}'`, []string{"base64run:' union select name from users -- "}},
		{"bracketed name", "user[" + b64Union + "]", []string{"base64run:' union select name from users -- "}},
		{"url query", "https://shop.example/p?ref=" + b64Union + "&x=1", []string{"base64run:' union select name from users -- "}},
		{"json in a url", "https://a.example/?q=" + b64JSON, []string{`base64run:{"q":"1 or 1=1"}`, "base64run+json:1 or 1=1"}},
		{"short whole value", "MSBvciAxPTEg", []string{"base64run:1 or 1=1 "}},
		{"url-safe alphabet", "x=PHN2ZyBvbmxvYWQ9YWxlcnQoMSk-Pz4-", []string{"base64run:<svg onload=alert(1)>?>>"}},
		{"standard alphabet", "a:IHVuaW9uIHNlbGVjdCB+MQ==;", []string{"base64run: union select ~1"}},
		{"whole value json", b64JSON, []string{`base64:{"q":"1 or 1=1"}`, "base64+json:1 or 1=1"}},
		{"json value", `{"name":"x","q":"1' or '1'='1"}`, []string{"json:1' or '1'='1"}},
		{"json array", `["a", "<img src=x onerror=alert(1)>"]`, []string{"json:<img src=x onerror=alert(1)>"}},
		{"json encoded", `%7B%22q%22%3A%22a%27%20or%201%3D1%22%7D`, []string{`url:{"q":"a' or 1=1"}`, "url+json:a' or 1=1"}},
		{"json escaped quote", `{"q":"say \"hi\" (1)"}`, []string{`json:say "hi" (1)`}},
		{"json escapes decoded as the app reads them", `{"p":"\\\\nas\\share","q":"1\u0027 or \u00271\u0027=\u00271"}`,
			[]string{`js:{"p":"\\\\nas\\share","q":"1' or '1'='1"}`, `js+json:\\nas\share`, "js+json:1' or '1'='1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, f := collect(t, tt.in)
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("Variants(%q) =\n  %q\nwant\n  %q", tt.in, got, tt.want)
			}
			if f.Variants != len(got) {
				t.Errorf("Facts.Variants = %d, yielded %d", f.Variants, len(got))
			}
		})
	}
}

// TestEmbeddedBenign lists values with long tokens that must not produce a base64
// variant, and JSON whose strings are plain.
func TestEmbeddedBenign(t *testing.T) {
	for _, in := range []string{
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/114.0.0.0 Safari/537.36",
		"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dBjftJeZ4CVPmB92K27uhbUJU1p1r_wW1gFWFOEjXk",
		"Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dBjftJeZ4CVPmB92K27uhbUJU1p1r_wW1gFWFOEjXk",
		"eyJ1c2VyIjoiam9obiJ9.ZK1a2w.Abc123DefGhi456JklMno",
		"id=0123456789abcdef0123456789abcdef&x=1",
		"ref:550e8400-e29b-41d4-a716-446655440000",
		"sid=Q7xkLmP9vRt4WzA2nB8cYd5e; path=/",
		"user[Q7xk2LmP9vRt4WzAbC]",
		"/Users/JohnSmith/Documents/QuarterlyReport.pdf",
		"The internationalization team shipped PostgreSQL support today.",
		`{"img":"iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB"}`,
		`{"name":"Alice","age":30,"tags":["admin","ops"]}`,
		`{"when":"2020-07-20","mail":"jane.doe@example.org","site":"https://example.com/a/b"}`,
		`{"id":"550e8400-e29b-41d4-a716-446655440000","v":"1.2.3"}`,
		"price: 12.50 EUR, ref ABCDEFGHIJKLMNOP",
		"ThisIsACamelCaseIdentifierName",
	} {
		got, _ := collect(t, in)
		for _, g := range got {
			if strings.Contains(g, "base64") || strings.Contains(g, "json") {
				t.Errorf("Variants(%q) yielded %q", in, g)
			}
		}
	}
}

func TestEmbeddedBounds(t *testing.T) {
	// Many runs: at most maxRuns decoded.
	v := strings.Repeat(b64Passwd+" ", maxRuns+4)
	got, _ := collect(t, v)
	if len(got) > maxRuns+1 { // + the folded form
		t.Errorf("%d variants for %d runs, want at most %d", len(got), maxRuns+4, maxRuns+1)
	}
	// Many JSON strings: at most maxJSONStrings.
	var b strings.Builder
	b.WriteString("[")
	for i := 0; i < maxJSONStrings+5; i++ {
		b.WriteString(`"a b` + strings.Repeat("c", i) + `",`)
	}
	b.WriteString(`"x"]`)
	got, _ = collect(t, b.String())
	if len(got) != maxJSONStrings {
		t.Errorf("%d variants from %d JSON strings, want %d", len(got), maxJSONStrings+5, maxJSONStrings)
	}
}

func TestBase64TextRejects(t *testing.T) {
	d := Get()
	defer Put(d)
	d.grow(64)
	for _, run := range []string{
		"q83vASNFZ4mrze8BI0VniQ==", // binary
		"AAECAwQFBgcICQoLDA0ODw",   // control bytes
		"abc+def_ghijkl",           // mixed alphabets
		"QUJDREVGR0hJSktMT",        // 4n+1 characters
		"Ly8vLy8vLy8vLy8v",         // "////////////": too few letters
	} {
		if s, ok := d.base64Text(run); ok {
			t.Errorf("base64Text(%q) = %q, want rejected", run, s)
		}
	}
}

package decode

import (
	"strings"
	"testing"
)

// collect returns the variants of v as "how:variant" strings, in order.
func collect(t *testing.T, v string) ([]string, Facts) {
	t.Helper()
	d := Get()
	defer Put(d)
	var out []string
	f := d.Variants(v, func(s string, how Transform) bool {
		out = append(out, how.String()+":"+strings.Clone(s))
		return true
	})
	return out, f
}

func TestVariants(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		want   []string
		rounds int
	}{
		{"plain", "hello world", nil, 0},
		{"plain url", "https://example.com/a/b?c=d", nil, 0},
		{"email", "jane.doe@example.org", nil, 0},
		{"percent once", "%3Cscript%3E", []string{"url:<script>"}, 1},
		{"plus only with escapes", "a+b%27", []string{"url:a b'"}, 1},
		{"plus alone stays", "1+1=2", nil, 0},
		{"double encoded", "%253Cscript%253E", []string{"url:<script>"}, 2},
		{"triple encoded", "%25252e%25252e%25252f", []string{"url:../"}, 3},
		{"invalid escape kept", "100%zz", nil, 0},
		{"percent u", "%u003Cscript%u003E", []string{"urlunicode:<script>"}, 1},
		{"percent u fullwidth", "%uFF1Cscript%uFF1E", []string{"urlunicode:<script>"}, 1},
		{"overlong slash", "..\xc0\xaf..\xc0\xafetc", []string{"overlong:../../etc"}, 0},
		{"overlong encoded", "..%c0%af..%e0%80%afetc", []string{"url+overlong:../../etc"}, 1},
		{"entity named", "&lt;img src=x onerror=alert(1)&gt;", []string{"html:<img src=x onerror=alert(1)>"}, 0},
		{"entity no semicolon", "&ltscript&gt", []string{"html:<script>"}, 0},
		{"entity upper", "&LT;b&GT;", []string{"html:<b>"}, 0},
		{"entity numeric", "jav&#97;script&#x3a;alert&#40;1&#41;", []string{"html:javascript:alert(1)"}, 0},
		{"entity leading zeros", "&#0000106&#0000097vascript", []string{"html:javascript"}, 0},
		{"entity colon tab", "java&Tab;script&colon;", []string{"html:java\tscript:", "html+fold:java script:"}, 0},
		{"entity unknown kept", "AT&T &copy; &foo;", nil, 0},
		{"js unicode", `\u003cscript\u003e`, []string{"js:<script>"}, 0},
		{"js braces", `\u{3c}svg`, []string{"js:<svg"}, 0},
		{"js hex", `\x3cimg\x3e`, []string{"js:<img>"}, 0},
		{"js octal", `\074a\076`, []string{"js:<a>"}, 0},
		{"js surrogate pair", `\ud83d\ude00`, []string{"js:\U0001F600"}, 0},
		{"js other escapes kept", `a\nb\"c`, nil, 0},
		{"url then entity", "%26lt%3Bb%26gt%3B", []string{"url+html:<b>"}, 1},
		{"nul", "a\x00b", []string{"fold:ab"}, 0},
		{"encoded nul", "file.php%00.jpg", []string{"url:file.php\x00.jpg", "url+fold:file.php.jpg"}, 1},
		{"sql comments", "UNION/**/SELECT/**/1", []string{"fold:UNION SELECT 1"}, 0},
		{"mysql versioned", "/*!50000UNION*/ SELECT", []string{"fold: UNION SELECT"}, 0},
		{"whitespace", "a\t\n b", []string{"fold:a b"}, 0},
		{"base64 text", "PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", []string{"base64:<script>alert(1)</script>"}, 0},
		{"base64 unpadded", "JyBvciAxPTEgLS0g", []string{"base64:' or 1=1 -- "}, 0},
		{"base64 url decoded", "PHN2Zy9vbmxvYWQ9YWxlcnQoMSk%2B", []string{"url:PHN2Zy9vbmxvYWQ9YWxlcnQoMSk+", "base64:<svg/onload=alert(1)>"}, 1},
		{"base64 binary rejected", "q83vASNFZ4mrze8BI0VniQ==", nil, 0},
		{"hex token rejected", "0123456789abcdef0123456789abcdef", nil, 0},
		{"long word not base64", "internationalization", nil, 0},
		{"data uri", `data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==`, []string{"base64:<script>alert(1)</script>"}, 0},
		{"base64 then url", "JTNDc2NyaXB0JTNFeHh4eA==", []string{"base64:%3Cscript%3Exxxx", "url+base64:<script>xxxx"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, f := collect(t, tt.in)
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("Variants(%q) =\n  %q\nwant\n  %q", tt.in, got, tt.want)
			}
			if f.URLRounds != tt.rounds {
				t.Errorf("Variants(%q) URLRounds = %d, want %d", tt.in, f.URLRounds, tt.rounds)
			}
			if f.Variants != len(got) {
				t.Errorf("Facts.Variants = %d, yielded %d", f.Variants, len(got))
			}
		})
	}
}

func TestFacts(t *testing.T) {
	tests := []struct {
		in           string
		nul, notUTF8 bool
		transforms   Transform
	}{
		{"plain", false, false, 0},
		{"a%00b", true, false, URL | Fold},
		{"a\x00b", true, false, Fold},
		{"%ff%fe", false, true, URL},
		{"caf%e9", false, true, URL},
		{"%2525ff", false, true, URL},
		{"%%bash\n", false, false, URL | Fold},
		{"%%capture out", false, false, URL},
		{"100% sure, %ff", false, false, URL},
		{"%ba%", false, false, URL},
		{"%C0%AF", false, false, URL | Overlong},
		{"&#x3c;", false, false, HTMLEntity},
	}
	for _, tt := range tests {
		_, f := collect(t, tt.in)
		if f.NUL != tt.nul || f.NotUTF8 != tt.notUTF8 || f.Transforms != tt.transforms {
			t.Errorf("Variants(%q) facts = %+v, want NUL %v NotUTF8 %v Transforms %v", tt.in, f, tt.nul, tt.notUTF8, tt.transforms)
		}
	}
}

func TestVariantsStop(t *testing.T) {
	d := Get()
	defer Put(d)
	calls := 0
	d.Variants("%2527%09or%091=1", func(string, Transform) bool {
		calls++
		return false
	})
	if calls != 1 {
		t.Fatalf("callback called %d times after returning false, want 1", calls)
	}
}

func TestTransformString(t *testing.T) {
	tests := []struct {
		t    Transform
		want string
	}{
		{0, "raw"},
		{URL, "url"},
		{URL | HTMLEntity | Fold, "url+html+fold"},
		{Base64 | JSEscape, "js+base64"},
	}
	for _, tt := range tests {
		if got := tt.t.String(); got != tt.want {
			t.Errorf("Transform(%d).String() = %q, want %q", tt.t, got, tt.want)
		}
	}
}

// TestDecoderReuse checks that a pooled Decoder gives the same answers whatever it
// decoded before (buffers of a longer value must not leak into a shorter one).
func TestDecoderReuse(t *testing.T) {
	d := Get()
	defer Put(d)
	inputs := []string{"%3Cscript%3Ealert(1)%3C/script%3E", "%41", "&lt;&gt;", "%2541%2542", "a\tb"}
	want := make([][]string, len(inputs))
	for i, in := range inputs {
		want[i], _ = collect(t, in)
	}
	for round := 0; round < 2; round++ {
		for i, in := range inputs {
			var got []string
			d.Variants(in, func(s string, how Transform) bool {
				got = append(got, how.String()+":"+strings.Clone(s))
				return true
			})
			if strings.Join(got, "|") != strings.Join(want[i], "|") {
				t.Errorf("reused decoder: Variants(%q) = %q, want %q", in, got, want[i])
			}
		}
	}
}

package detect

import (
	"fmt"
	"strings"
	"testing"

	"github.com/rampartwaf/rampart/internal/request"
)

// repeatedPieces are the pieces that make a careless scan quadratic when one value is
// made of nothing else: an unclosed tag or comment per few bytes, a separator per byte,
// an opener a scanner searches onward from. Grouped by the checks they aim at.
var repeatedPieces = []struct {
	family string
	match  []func(*request.Param, string) (string, bool)
	pieces []string
	prefix string // opens the value, before the pieces
}{
	{"xss+cmdexe", []func(*request.Param, string) (string, bool){matchXSS, matchCMDEXE}, []string{
		"<a ", "<a\"", "*/.", "self/*", "window[", ";$a ", "<style>", "<!--", "a|", "x;",
		"\n", "`", "{,", "$(", "${x", `\n`, " on", "'\"", "document.", "constructor.", "{{", "[![]",
		"+ADw-", "\xbc", "if ", "for %", "&&$a", "c'a't ", "<script<", "/???/", "alias ", "|sh ",
	}, ""},
	{"php+ssti", []func(*request.Param, string) (string, bool){matchPHP, matchSSTI}, []string{
		"*/(", "(/*", "#(", ")", "$", "'(", "'.'", "{{", "${", "%{", "while(", "$1:", "[0](",
		"(system)(x", "<?", "O:1:", "-d ", "%x(", "[system][0](", "\"\\x41\"(", "( ", "'",
		"process[", "{{'.", "@(", "#set(", "<#", "[#", "{$", ")(", "$a[", "$a->$",
	}, ""},
	{"redirect", []func(*request.Param, string) (string, bool){redirectValue}, []string{
		"&url=//x", "&next=//x", "&url=https://x", "?url=//x", "&", "=", "a=", "&a=", "//&", "/\\",
		"@", "/..", "/../", "&.", "&=", "%41", "%C3", "\t", "ー", "a.", "url=//x&url=//y&",
	}, ""},
	// The same after an opening that makes the rest an authority or a path.
	{"redirect-authority", []func(*request.Param, string) (string, bool){redirectValue}, []string{
		"&", "&.", "a&", "@", "a.@", "%C3", "\x01", "=", "?@",
	}, "//"},
	{"redirect-path", []func(*request.Param, string) (string, bool){redirectValue}, []string{
		"/..", "/..a", "/.", "a/", "\t/..",
	}, "//a.example"},
	{"redirect-scheme", []func(*request.Param, string) (string, bool){redirectValue}, []string{
		"&", "a.@", "%41", "@",
	}, "https:"},
}

// redirectValue runs matchRedirect as the registry does, byte classes included.
func redirectValue(p *request.Param, v string) (string, bool) {
	return matchRedirect(p, v, valueClasses(v))
}

// BenchmarkRepeatedPiece judges values built from one repeated piece at 16 KiB and 64
// KiB. The checks are linear when the 64 KiB time is about four times the 16 KiB one
// (sixteen times would be quadratic). This is a benchmark to read, not a timed test:
//
//	go test -run '^$' -bench RepeatedPiece ./internal/detect
func BenchmarkRepeatedPiece(b *testing.B) {
	p := &request.Param{Source: request.SourceQuery, Name: "q"}
	for _, g := range repeatedPieces {
		for _, piece := range g.pieces {
			for _, size := range []int{16 << 10, 64 << 10} {
				v := g.prefix + strings.Repeat(piece, (size-len(g.prefix))/len(piece))
				b.Run(fmt.Sprintf("%s/%q/%dKiB", g.family, piece, size>>10), func(b *testing.B) {
					b.SetBytes(int64(len(v)))
					for i := 0; i < b.N; i++ {
						for _, m := range g.match {
							m(p, v)
						}
					}
				})
			}
		}
	}
}

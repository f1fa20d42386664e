package detect

import (
	"math/rand"
	"strings"
	"testing"

	"github.com/rampartwaf/rampart/internal/request"
)

// sqlPlainVocab mixes SQL keywords, catalog names, numbers in their SQL spellings,
// prose and the punctuation the prefilter lets through, to build values of words.
var sqlPlainVocab = strings.Fields(`or and xor not where having order group by procedure analyse as
select delete show drop create alter truncate backup bulk insert replace update exec execute
declare set waitfor shutdown grant revoke copy load call union all distinct except intersect
case when then else end master information_schema pg_catalog sysobjects xp_cmdshell
utl_inaddr dbms_pipe limit into outfile values like rlike regexp is in between div mod null
true false current_user table tables database user from the a my list select best option
sleep benchmark version char concat x id users password admin 1 2 3 0 42 1e0union 1.5 -1
0x41414141 2order 1or 3and .5 1.e 9e9 tom jerry fans please review release notes friday
leave comments doc v2.4 up: hi team, . ? ! - + % $ _ : / 1union 1e0 NULL OR AND UNION , a, 5,
SELECT Or aNd sys msysaccessobjects all_tables sp_executesql`)

// sqlPlainPhrases are word sequences the grammar reads, inserted whole now and then.
var sqlPlainPhrases = []string{"case 1 when 2 then 2 end", "case when 1 then 2 end", "union select 1",
	"union all select null", "except select 1", "intersect select x from y", "1 order by 3",
	"select 1", "drop table users", "show tables", "1 or true", "or 1 is null", "as x where 1",
	"master..sysobjects", "1 group by 2 having 1", "select version from users", "1e0union select 2",
	"42 like 42", "1 is not 2", "1 not like 2", "3 regexp 3", "b, 1 like 1", "x,7 is not 8", "y , 5 rlike 5",
	"1, 2 is 2 --"}

func sqlPlainSample(r *rand.Rand) string {
	var b strings.Builder
	n := 1 + r.Intn(7)
	for i := 0; i < n; i++ {
		if i > 0 {
			switch r.Intn(10) {
			case 0: // glued
			case 1:
				b.WriteString("\u2014") // em dash
			case 2:
				b.WriteString("\u00a0"[1:]) // a lone 0xA0 byte
			case 3:
				b.WriteString("\n")
			case 4:
				b.WriteString(", ")
			default:
				b.WriteByte(' ')
			}
		}
		if r.Intn(6) == 0 {
			b.WriteString(sqlPlainPhrases[r.Intn(len(sqlPlainPhrases))])
		} else {
			b.WriteString(sqlPlainVocab[r.Intn(len(sqlPlainVocab))])
		}
	}
	return b.String()
}

// TestSQLPlainTextDrops checks that the prose prefilter never lets pass a value that the
// full checks would flag.
func TestSQLPlainTextDrops(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	p := &request.Param{Source: request.SourceQuery, Name: "q"}
	plain, flagged := 0, 0
	for i := 0; i < 150000; i++ {
		v := sqlPlainSample(r)
		if i%2 == 1 {
			v = " " + v
		}
		if !sqlCandidate(v) {
			continue
		}
		_, ok := matchSQLIFull(p, v)
		if ok {
			flagged++
		}
		if !sqlPlainText(v) {
			continue
		}
		plain++
		if ok {
			t.Fatalf("prefilter drops an attack the full checks find: %q", v)
		}
	}
	// The samples must exercise both sides.
	if plain < 5000 || flagged < 5000 {
		t.Fatalf("%d plain samples, %d flagged by the full checks", plain, flagged)
	}
}

func TestSQLPlainText(t *testing.T) {
	for _, v := range []string{
		"Hi team, the release notes for v2.4 are up: please review them before Friday.",
		"delivery window between nine and five ring the bell twice",
		"Tom and Jerry fans", "12 High Street", "e-mail me at 5pm", "50% off! Buy now",
		"42 like 42", "1 is not 2", "b, 1 like 1", "answer 5 is 5",
	} {
		if !sqlPlainText(v) {
			t.Errorf("sqlPlainText(%q) = false, want true", v)
		}
	}
	for _, v := range []string{
		"1 or true", "-1.5 OR TRUE", "2order by 1", " ORDER BY 3", "union all select",
		"x 1e0union select 1", "drop table users", "from information_schema tables",
		"it's", "a = b", "x -- y", "x /* y", "a::int", "case 1 when 2 then 2 end", "x\u2014information_schema",
	} {
		if sqlPlainText(v) {
			t.Errorf("sqlPlainText(%q) = true, want false", v)
		}
	}
}

// BenchmarkSQLIProse is the cost of the SQL checks on a paragraph of chat prose (the text
// of a WebSocket message), with and without the plain-text prefilter.
func BenchmarkSQLIProse(b *testing.B) {
	v := "Hi team, the release notes for v2.4 are up: please review them before Friday and leave comments in the doc. " +
		"Hi team, the release notes for v2.4 are up: please review them before Friday and leave comments in the doc. " +
		"Hi team, the release notes for v2.4 are up: please review them before Friday and leave comments in the doc."
	p := &request.Param{Source: request.SourceMessage, Name: "text", Value: v}
	for _, bc := range []struct {
		name string
		f    func(*request.Param, string) (string, bool)
	}{{"prefilter", matchSQLI}, {"full", matchSQLIFull}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, ok := bc.f(p, v); ok {
					b.Fatal("prose matched")
				}
			}
		})
	}
}

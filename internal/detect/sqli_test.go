package detect

import (
	"testing"

	"github.com/rampartwaf/rampart/internal/request"
)

func TestSQLI(t *testing.T) {
	tests := []struct {
		name  string
		param string
		value string
		want  bool
	}{
		// attacks libinjection finds
		{"tautology", "user", "' or 1=1--", true},
		{"comment truncation", "user", "admin'--", true},
		{"union", "id", "1 union select null,version()--", true},
		{"time based", "id", "x' and sleep(5)#", true},
		{"error based", "id", "1 and extractvalue(1,concat(0x7e,version()))", true},
		// attacks Rampart's grammar checks add
		{"or true", "id", "1 or true", true},
		{"or true comment", "id", "1 OR TRUE--", true},
		{"stacked show", "id", "1; show tables", true},
		{"stacked drop", "name", "x'; drop table users--", true},
		{"concat subquery", "name", "'||(select password from users)||'", true},
		{"bare clause", "sort", " ORDER BY 3-- ", true},
		{"bare tautology", "filter", " or 1=1", true},
		{"bare having", "q", " HAVING 1=1#", true},
		{"union bare words", "q", "union all select", true},
		{"catalog", "q", "select table_name from information_schema.tables", true},
		{"double quote breakout", "user", `" or ""="`, true},
		{"implicit and", "name", "A' AND 'B'='B", true},
		{"benchmark", "id", "1*benchmark(1000000,md5(1))", true},
		{"waitfor", "id", "1; waitfor delay '0:0:5'--", true},
		{"into outfile", "id", "1 into outfile '/tmp/x'", true},
		{"exec xp", "id", "1; exec xp_cmdshell 'dir'", true},
		// benign values that look a little like SQL
		{"irish name", "last", "O'Brien", false},
		{"possessives", "q", "john's and mary's", false},
		{"select prose", "q", "select the best option from the list", false},
		{"select prose 2", "comment", "Please select one from the list below", false},
		{"drop prose", "comment", "Hi; drop me a line when you can", false},
		{"pagination", "label", "1-2 of 10", false},
		{"years", "q", "1950 or 1960", false},
		{"numbers and", "q", "3 and 4 bedrooms", false},
		{"quoted keyword", "q", `"LIKE" STAMP`, false},
		{"inch marks", "q", `necklace length 16" or 18"`, false},
		{"percent prose", "q", "80% ACRYLIC AND 20% WOOL", false},
		{"token with dashes", "ref", "1611-IioXXIG1ti8rspL2vbXFy--", false},
		{"url with query", "next", "https://example.com/search?q=shoes&page=2&sort=price", false},
		{"email", "email", "jane.o'neil@example.org", false},
		{"json in a string", "data", `{"name":"x","tags":["a","b"],"n":1}`, false},
		{"markdown", "body", "Use `SELECT` carefully -- it's *powerful*.", false},
		{"or prose", "q", "coffee or tea", false},
		{"dash comment prose", "q", "I'll be there at 5 o'clock -- bring snacks", false},
		{"user agent", "User-Agent", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36", false},
		// context: a whole read statement in a parameter that carries SQL
		{"report query", "query", "SELECT region, sum(total) FROM orders WHERE year = 2024 GROUP BY region", false},
		{"report sql key", "report.sql", "select name from users where id in (select user_id from orders)", false},
		{"sql param stacked", "sql", "select 1; drop table users", true},
		{"sql param comment", "query", "select * from users where name = '' or 1=1 --'", true},
		{"statement elsewhere", "name", "x'; select * from users--", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &request.Param{Source: request.SourceQuery, Name: tt.param, Value: tt.value}
			_, got := matchSQLI(p, tt.value)
			if got != tt.want {
				t.Errorf("matchSQLI(%s=%q) = %v, want %v", tt.param, tt.value, got, tt.want)
			}
		})
	}
}

func TestSQLNamed(t *testing.T) {
	tests := []struct {
		name string
		want bool
	}{
		{"sql", true}, {"query", true}, {"report.sql", true}, {"queries[0]", true}, {"sqlQuery", true},
		{"q", false}, {"name", false}, {"user.id", false},
	}
	for _, tt := range tests {
		if got := sqlNamed(tt.name); got != tt.want {
			t.Errorf("sqlNamed(%q) = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestLexSQL(t *testing.T) {
	tests := []struct {
		in    string
		quote byte
		want  []sqlKind
	}{
		{"1 or true--", 0, []sqlKind{sqlNum, sqlWord, sqlWord, sqlComment}},
		{"x' or 'a'='a", '\'', []sqlKind{sqlBreak, sqlWord, sqlStr, sqlOp, sqlOpenStr}},
		{"a/**/union/*!50000select*/@@version", 0, []sqlKind{sqlWord, sqlWord, sqlWord, sqlVar}},
		{"0x41,1e5,.5", 0, []sqlKind{sqlNum, sqlComma, sqlNum, sqlComma, sqlNum}},
		{"`t`.c<=>1;", 0, []sqlKind{sqlWord, sqlDot, sqlWord, sqlOp, sqlNum, sqlSemi}},
		{"no quote here", '\'', nil},
	}
	for _, tt := range tests {
		var toks sqlToks
		lexSQL(tt.in, tt.quote, 0, &toks)
		var got []sqlKind
		for i := 0; i < toks.n; i++ {
			got = append(got, toks.t[i].kind)
		}
		if len(got) != len(tt.want) {
			t.Errorf("lexSQL(%q) kinds = %v, want %v", tt.in, got, tt.want)
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("lexSQL(%q) kinds = %v, want %v", tt.in, got, tt.want)
				break
			}
		}
	}
}

// sqlBenchValues are benign values of the shapes real traffic carries most.
var sqlBenchValues = []string{
	"running shoes", "42", "blue", "price_asc", "2",
	"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36",
	"text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
	"https://shop.example.com/catalog?page=2",
	"session=3f9a1c0e7b2d4a6f8e1c3b5a7d9f0e2c; theme=dark",
	"Please leave the parcel with the neighbour if nobody is home.",
	"Jane O'Neil", "jane@example.org", "12 High Street", "LS1 4AB",
	"delivery window between nine and five ring the bell twice",
}

func BenchmarkSQLIBenign(b *testing.B) {
	ps := make([]request.Param, len(sqlBenchValues))
	for i, v := range sqlBenchValues {
		ps[i] = request.Param{Source: request.SourceQuery, Name: "field", Value: v}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for j := range ps {
			if _, ok := matchSQLI(&ps[j], ps[j].Value); ok {
				b.Fatalf("benign value matched: %q", ps[j].Value)
			}
		}
	}
}

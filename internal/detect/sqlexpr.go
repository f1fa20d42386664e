package detect

import "strings"

// Whole expressions that an application parses itself: a filter of a query language
// (Jira's JQL, PocketBase, Directus, segment rules) or a calculator's formula. Such a
// value opens on a field name or a parenthesis and is complete and balanced: it closes
// no string and ends no number the application put it in, so it breaks out of nothing.
// libinjection reads `project = WEB AND status = "Open"` as a column, a comparison and
// AND, and `(1 - 5) ^ 2` as a number closed by a parenthesis; its verdict is dropped
// for these (sqlLibinjection). The grammar still judges them.

// sqlWholeExpression reports whether v, read in no quote context, is one of:
//   - a filter: comparisons joined by AND, OR, &&, || and NOT, grouped by balanced
//     parentheses, each comparing a field (a name, dotted, or an @variable) with a value
//     (a literal, a name, a call, a list for IN, or arithmetic of these), optionally
//     followed by ORDER BY fields: `assignee = currentUser() AND resolution =
//     Unresolved ORDER BY updated DESC`, `(created >= '2024-01-01' && status =
//     'active') || featured = true`, `plan != 'free' AND (nps <= 6 OR tickets > 2)`;
//   - arithmetic: numbers, names and calls joined by + - * / % ^ with balanced
//     parentheses: `(3 + 4) * 2 / (1 - 5) ^ 2 ^ 3`.
//
// What an injection needs is not there: a value that opens with a number (1 AND 1=1), a
// closing parenthesis (1) or (1=1) or a string (' or 'a'='a, "' or role<>'") is no
// filter, nor one that compares two literals or a field with itself (x=1 OR 1=1, a=a),
// matches every row (name like '%', id > 0: the opening of a boolean-blind oracle in a
// numeric context, WHERE id = id>0 AND ...), tests a credential (password, pass_hash,
// api_key, otp, reset_code: see secretField) or holds a string with a quote of the
// other kind followed by SQL (q = "x' OR role<>'": read inside '...', the ' breaks
// out; "Won't Fix" has no SQL after its quote), holds a comment, a
// semicolon, a quote left open, a statement or clause keyword (SELECT, UNION, CASE,
// FROM, HAVING...), a system catalog, an @@variable, a call that probes or delays
// (sleep, char, version, ascii, substring...), or orders by a column number.
func sqlWholeExpression(v string) bool {
	var t sqlToks
	lexSQL(v, 0, 0, &t)
	if t.n < 3 || t.n == maxSQLToks {
		return false
	}
	for i := 0; i < t.n; i++ {
		if k := t.t[i]; k.kind == sqlStr && sqlQuoteBreaks(k.s) {
			return false
		}
	}
	p := sqlExprParser{t: &t}
	if p.orExpr(0) && p.cmps > 0 && p.orderBy() && p.i == t.n {
		return true
	}
	p = sqlExprParser{t: &t, formula: true}
	return p.arith(0) && p.i == t.n && p.ops > 0 && p.nums > 0
}

// sqlExprParser reads the tokens of a filter or a formula from i on.
type sqlExprParser struct {
	t    *sqlToks
	i    int
	cmps int // comparisons read
	ops  int // arithmetic operators read
	nums int // numbers read
	// formula: a calculator's input, with no strings (1 - ORD('A') probes whether
	// the database evaluates a string function)
	formula bool
}

// sqlExprDepth bounds the nesting of parentheses the parser follows.
const sqlExprDepth = 16

func (p *sqlExprParser) tok() sqlTok { return p.t.at(p.i) }

// orExpr reads terms joined by AND, OR, && and ||.
func (p *sqlExprParser) orExpr(depth int) bool {
	for {
		if !p.boolTerm(depth) {
			return false
		}
		k := p.tok()
		if !(k.is("and") || k.is("or") || k.isOp("&&") || k.isOp("||")) {
			return true
		}
		p.i++
	}
}

// boolTerm reads NOT, a parenthesised filter or a comparison.
func (p *sqlExprParser) boolTerm(depth int) bool {
	for p.tok().is("not") || p.tok().isOp("!") {
		p.i++
	}
	if p.tok().kind == sqlLParen {
		if depth >= sqlExprDepth {
			return false
		}
		p.i++
		if !p.orExpr(depth+1) || p.tok().kind != sqlRParen {
			return false
		}
		p.i++
		return true
	}
	return p.comparison(depth)
}

// comparison reads a field and what it is compared with.
func (p *sqlExprParser) comparison(depth int) bool {
	field, ok := p.field()
	if name := p.t.at(p.i - 1).s; !ok || secretField(name[strings.LastIndexByte(name, '.')+1:]) {
		return false // nobody filters on a password: a blind probe reads it out
	}
	p.cmps++
	k := p.tok()
	not := k.is("not")
	if not {
		p.i++
		k = p.tok()
	}
	switch {
	case k.kind == sqlOp && sqlCompareOp(k.s) && !not:
		p.i++
		if n := p.tok(); n.kind == sqlWord && sqlEqFold(n.s, field.s) && p.t.at(p.i+1).kind != sqlDot {
			return false // a=a: a tautology
		}
		if sqlIDTautology(p.t.at(p.i-2).s, k.s, p.t, p.i) {
			return false // id > 0: every row
		}
		return p.arith(depth)
	case k.is("in"):
		p.i++
		if p.tok().kind != sqlLParen {
			return false
		}
		p.i++
		return p.argList(depth)
	case k.is("is") && !not:
		p.i++
		if p.tok().is("not") {
			p.i++
		}
		if n := p.tok(); n.kind == sqlWord && !sqlExprReserved(n.s) {
			p.i++ // NULL, EMPTY, TRUE
			return true
		}
		return false
	case k.is("like") || k.is("ilike"):
		p.i++
		if n := p.tok(); n.kind == sqlStr && strings.Trim(n.s[1:len(n.s)-1], "%_") == "" {
			return false // like '%': it matches every row
		}
		return p.arith(depth)
	case k.is("between"):
		p.i++
		if !p.arith(depth) || !p.tok().is("and") {
			return false
		}
		p.i++
		return p.arith(depth)
	}
	return false
}

// sqlIDTautology reports whether the comparison of the field name with op and the
// operand at t[i] holds for every row: an id (id, uid, user_id, rowid, userId) greater
// than, or not equal to, zero or a negative number, or at least 1. A "paid" or "valid"
// column is no id.
func sqlIDTautology(name, op string, t *sqlToks, i int) bool {
	if !sqlIDName(name) {
		return false
	}
	neg := t.at(i).isOp("-")
	if neg {
		i++
	}
	n := t.at(i)
	if n.kind != sqlNum || sqlTermOp(t.at(i+1)) {
		return false
	}
	zero := strings.Trim(n.s, "0.") == ""
	switch op {
	case ">", "!=", "<>":
		return neg || zero
	case ">=":
		return neg || zero || n.s == "1"
	}
	return false
}

// sqlTermOp reports whether k joins arithmetic operands.
func sqlTermOp(k sqlTok) bool {
	return k.kind == sqlOp && len(k.s) == 1 && strings.IndexByte("+-*/%^", k.s[0]) >= 0
}

// sqlIDName reports whether a column name is a row id: id, oid, rowid, uid, user_id,
// userId, USERID.
func sqlIDName(name string) bool {
	switch strings.ToLower(name) {
	case "id", "uid", "oid", "pid", "rowid", "_rowid_", "userid":
		return true
	}
	n := len(name)
	if n < 4 || !sqlEqFold(name[n-2:], "id") {
		return false
	}
	c := name[n-3]
	return c == '_' || c == '-' || name[n-2] == 'I' && 'a' <= c && c <= 'z'
}

// sqlQuoteBreaks reports whether the string token s (with its quotes) holds a quote
// of the other kind followed by SQL: "' OR password>'m", "x' or role<>'". Read by an
// application that puts the value inside a string of that other kind, that quote
// closes it and the rest runs; "Won't Fix" and "don't" have only words after it.
func sqlQuoteBreaks(s string) bool {
	if len(s) < 3 {
		return false
	}
	other := byte('\'')
	switch s[0] {
	case '\'':
		other = '"'
	case '"':
	default:
		return false // a `name`: MySQL's quoted identifier
	}
	body := s[1 : len(s)-1]
	for i := 0; i < len(body); i++ {
		if body[i] != other {
			continue
		}
		rest := strings.TrimLeft(body[i+1:], " \t\r\n")
		if rest == "" {
			if i == 0 {
				return false // "'": a quote character alone
			}
			continue
		}
		if strings.IndexByte("=<>!|&;#)", rest[0]) >= 0 || strings.HasPrefix(rest, "--") || strings.HasPrefix(rest, "/*") {
			return true
		}
		j := 0
		for j < len(rest) && sqlIsIdent(rest[j]) {
			j++
		}
		if w := rest[:j]; w != "" && (sqlOperatorWord(w) || sqlExprReserved(w)) {
			return true
		}
	}
	return false
}

// field reads the name a comparison tests: a word that is no literal or keyword,
// dotted (author.name), or an @variable (@request.auth.id), not @@version.
func (p *sqlExprParser) field() (sqlTok, bool) {
	k := p.tok()
	switch {
	case k.kind == sqlVar:
		// PocketBase's @request.auth.id, @collection.posts.author; a bare @query is
		// a T-SQL variable being assigned, and @@version a probe
		if len(k.s) > 1 && k.s[1] == '@' || strings.IndexByte(k.s, '.') < 0 {
			return k, false
		}
		p.i++
		return k, true
	case k.kind != sqlWord || sqlExprReserved(k.s) || sqlLiteralWord(k.s) || k.s[0] == '`':
		return k, false
	}
	p.i++
	for p.tok().kind == sqlDot && p.t.at(p.i+1).kind == sqlWord && !sqlExprReserved(p.t.at(p.i+1).s) {
		p.i += 2
	}
	if p.tok().kind == sqlLParen {
		return k, false // a call: ascii(substring(pw,1,1)) > 64 is a blind probe
	}
	return k, true
}

// arith reads operands joined by + - * / % ^. A string is a whole value: strings
// joined by operators build SQL text (' UPDATE '+@a), and a formula has none.
func (p *sqlExprParser) arith(depth int) bool {
	strs, ops := 0, 0
	for {
		for p.tok().isOp("-") || p.tok().isOp("+") {
			p.i++
		}
		if p.tok().kind == sqlStr {
			strs++
		}
		if !p.operand(depth) {
			return false
		}
		k := p.tok()
		if k.kind != sqlOp || len(k.s) != 1 || !(k.s == "+" || k.s == "-" || k.s == "*" || k.s == "/" || k.s == "%" || k.s == "^") {
			return strs == 0 || ops == 0
		}
		ops++
		p.ops++
		p.i++
	}
}

// operand reads a number, a string, a name, a call or a parenthesised formula.
func (p *sqlExprParser) operand(depth int) bool {
	k := p.tok()
	switch k.kind {
	case sqlNum:
		p.nums++
		p.i++
		return true
	case sqlStr:
		p.i++
		return !p.formula
	case sqlVar:
		p.i++
		return len(k.s) < 2 || k.s[1] != '@'
	case sqlLParen:
		if depth >= sqlExprDepth {
			return false
		}
		p.i++
		if !p.arith(depth+1) || p.tok().kind != sqlRParen {
			return false
		}
		p.i++
		return true
	case sqlWord:
		if sqlExprReserved(k.s) || k.s[0] == '`' {
			return false
		}
		p.i++
		for p.tok().kind == sqlDot && p.t.at(p.i+1).kind == sqlWord && !sqlExprReserved(p.t.at(p.i+1).s) {
			p.i += 2
		}
		if p.tok().kind != sqlLParen {
			return true
		}
		// a call: now(), currentUser(), sqrt(2); none that probes or delays
		if sqlDangerousFunc(k.s) || sqlProbeFunc(k.s) || depth >= sqlExprDepth {
			return false
		}
		p.i++
		if p.tok().kind == sqlRParen {
			p.i++
			return true
		}
		return p.argList(depth + 1)
	}
	return false
}

// argList reads expressions separated by commas up to the closing parenthesis, after
// an IN's or a call's opening one.
func (p *sqlExprParser) argList(depth int) bool {
	for {
		if !p.arith(depth) {
			return false
		}
		if p.tok().kind != sqlComma {
			break
		}
		p.i++
	}
	if p.tok().kind != sqlRParen {
		return false
	}
	p.i++
	return true
}

// orderBy reads an optional ORDER BY of named fields, each perhaps ASC or DESC, at the
// end of a filter (JQL's ORDER BY priority DESC, updated DESC). A column number
// (ORDER BY 3) is the column-count probe, no filter.
func (p *sqlExprParser) orderBy() bool {
	if p.i == p.t.n {
		return true
	}
	if !p.tok().is("order") || !p.t.at(p.i+1).is("by") {
		return false
	}
	p.i += 2
	for {
		if _, ok := p.field(); !ok {
			return false
		}
		if p.tok().is("asc") || p.tok().is("desc") {
			p.i++
		}
		if p.tok().kind != sqlComma {
			return p.i == p.t.n
		}
		p.i++
	}
}

// sqlExprReserved names the words that take a value out of a filter or a formula: the
// statement, clause and conditional keywords, the logical and predicate words, and the
// system catalogs.
func sqlExprReserved(w string) bool {
	if sqlKeyword(w) && !sqlEqFold(w, "null") || sqlCatalog(w) {
		return true
	}
	for _, k := range [...]string{"or", "and", "xor", "not", "is", "in", "like", "ilike", "rlike", "regexp", "between", "div", "mod", "as", "case", "when", "then", "else", "end", "exists", "by", "asc", "desc", "collate", "escape", "sounds", "similar", "glob", "match", "into", "outfile", "dumpfile", "procedure", "offset", "join", "on", "distinct", "intersect", "except", "create", "alter", "truncate", "shutdown", "grant", "revoke", "set", "show"} {
		if sqlEqFold(w, k) {
			return true
		}
	}
	return false
}

// SQL quoted in code: a statement passed as a string to a database API
// (pd.read_sql("SELECT ...", eng), db.query('SELECT ... = $1', [email]),
// $pdo->prepare('SELECT ... = ?')) or shown in a forum's code block
// ([code]SELECT ...;[/code], <pre>, <code>) is text the application stores, the way a
// markdown code fence is. The quote that opens such a string follows a call's
// parenthesis: it opens a string, where an injection's first quote closes the
// application's string after the value it expected (admin', 1').

// sqlCallQuote reports whether the break b (the text before the first quote q of v)
// ends with a call's opening parenthesis, the quote opens a string that starts with a
// letter and v closes that string: read_sql("SELECT ...", eng).
func sqlCallQuote(v, b string) bool {
	j := len(b) + 1
	if j >= len(v) || !sqlIsAlpha(v[j]) || strings.IndexByte(v[j:], v[len(b)]) < 0 {
		return false
	}
	e := len(b)
	for e > 0 && (v[e-1] == ' ' || v[e-1] == '\t') {
		e--
	}
	return e >= 2 && v[e-1] == '(' && sqlIsIdent(v[e-2])
}

// maxCodeStrings bounds how many code strings and blocks sqlCodeQuoted takes out.
const maxCodeStrings = 8

// sqlCodeQuoted returns v with the complete statements that it quotes as code taken
// out, and whether there were any: the contents of a string that a call's parenthesis
// opens (f('SELECT ...'), f("SELECT ...")), of a tagged template (sql`SELECT ...`) and
// of a code block ([code], [sql], <code>,
// <pre>, a markdown fence). The string's or block's delimiters stay; a statement that
// delays the server or reads its files stays too. libinjection judges what is left.
func sqlCodeQuoted(v string) (string, bool) {
	var b []byte
	last := 0
	found := 0
	for i := 0; i < len(v) && found < maxCodeStrings; i++ {
		start, end := -1, -1
		switch c := v[i]; {
		case c == '(' && i > 0 && sqlIsIdent(v[i-1]), c == '`' && i > 0 && sqlIsIdent(v[i-1]):
			// f('SELECT ...'), or a tagged template: sql`SELECT ...`
			j := i + 1
			if c == '`' {
				j = i
			}
			for j < len(v) && (v[j] == ' ' || v[j] == '\t') {
				j++
			}
			if j+1 >= len(v) || v[j] != '\'' && v[j] != '"' && v[j] != '`' || !sqlIsAlpha(v[j+1]) {
				continue
			}
			k := j + 1
			for k < len(v) && v[k] != v[j] {
				if v[k] == '\\' {
					k++
				}
				k++
			}
			if k >= len(v) {
				continue
			}
			start, end = j+1, k
		case c == '[' || c == '<' || c == '`':
			var ok bool
			if start, end, ok = sqlCodeBlock(v, i); !ok {
				continue
			}
		default:
			continue
		}
		if s := v[start:end]; !completeStatement(strings.TrimSpace(s), true) || sqlAttackCall(s) {
			continue
		}
		if b == nil {
			b = make([]byte, 0, len(v))
		}
		b = append(b, v[last:start]...)
		last = end
		i = end
		found++
	}
	if b == nil {
		return v, false
	}
	return string(append(b, v[last:]...)), true
}

// sqlCodeBlock reports the contents of the code block that opens at v[i]: BBCode's
// [code], [code=sql], [sql] to its closing tag, HTML's <code> and <pre>, or a markdown
// fence (```sql ... ```), the language name left out.
func sqlCodeBlock(v string, i int) (start, end int, ok bool) {
	rest := v[i:]
	var closing string
	switch {
	case strings.HasPrefix(rest, "```"):
		nl := strings.IndexByte(rest, '\n')
		if nl < 0 {
			return 0, 0, false
		}
		start, closing = i+nl+1, "```"
	case hasPrefixFold(rest, "[code]") || hasPrefixFold(rest, "[code=") || hasPrefixFold(rest, "[sql]"):
		gt := strings.IndexByte(rest, ']')
		start, closing = i+gt+1, "[/"
	case hasPrefixFold(rest, "<code>") || hasPrefixFold(rest, "<pre>"):
		gt := strings.IndexByte(rest, '>')
		start, closing = i+gt+1, "</"
	default:
		return 0, 0, false
	}
	e := strings.Index(v[start:], closing)
	if e < 0 {
		return 0, 0, false
	}
	return start, start + e, true
}

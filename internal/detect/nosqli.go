package detect

import (
	"strings"

	"github.com/rampartwaf/rampart/internal/request"
)

// NOSQLI: MongoDB query injection.
//
// What matches:
//   - query operators where the application expects a plain value: a JSON key that is an
//     operator (`{"password": {"$ne": null}}`, `{"$where": "..."}`), a query, form or
//     cookie name with an operator element (`user[$ne]=x`, `pw[$regex]=^a`, `a.$gt`);
//   - operators written into a value as object syntax, as when the value is parsed as
//     JSON or concatenated into a query (`{"$gt": ""}`, `{ $ne: 1 }`,
//     `', $where: '1 == 1'`, `[$ne]=1`);
//   - JavaScript for $where and mapReduce: a string or statement breakout at the start
//     of the value followed by code only JavaScript-side injection uses
//     (`' && this.password.match(/.*/)//`, `';sleep(5000);`, `0;return true`,
//     `";return(true);var x='`, `|| 1==1`, `';it=new Date();do{...}while(...)`);
//   - mongo shell calls: `db.users.insert(`, `db.getCollection(`, opening the value or
//     after a ';'.
//
// The operator set is MongoDB's query, logical, element, evaluation and array operators
// ($ne $eq $gt $gte $lt $lte $in $nin $regex $exists $not $nor $or $and $all $elemMatch
// $size $mod $expr $where $function $accumulator $jsonSchema...). Not in it, on purpose:
// $type, $id, $ref, $schema, $values, $comment as keys (Json.NET and JSON Schema
// documents carry them), OData's $filter/$select/$top/$skip/$orderby/$count/$search and
// SoQL's top-level $where query name (a "$where=" query name alone is not matched: only
// nested names like "a[$where]").
//
// Query DSLs that expose Mongo-style operators on purpose (Strapi's
// `filters[field][$eq]=`, Feathers' `age[$gt]=20`, RESTHeart's `filter={"$gt":...}`)
// look exactly like the attack. Under the roots "filters", "filter" and "where" only
// the operators that run JavaScript ($where, $function, $accumulator) match; an
// application with a top-level operator syntax needs a rule to allow it.

func init() { registerValue(NOSQLI, matchNoSQLi) }

// nosqlOps are the operators matched (without the '$').
var nosqlOps = map[string]bool{
	"ne": true, "eq": true, "gt": true, "gte": true, "lt": true, "lte": true, "in": true,
	"nin": true, "regex": true, "options": true, "exists": true, "not": true, "nor": true,
	"or": true, "and": true, "all": true, "elemMatch": true, "size": true, "mod": true,
	"expr": true, "where": true, "function": true, "accumulator": true, "jsonSchema": true,
	"text": true, "geoWithin": true, "near": true, "nearSphere": true, "bitsAllSet": true,
	"bitsAnySet": true, "bitsAllClear": true, "bitsAnyClear": true,
}

// jsOps run JavaScript on the server.
func jsOp(op string) bool { return op == "where" || op == "function" || op == "accumulator" }

func matchNoSQLi(p *request.Param, v string) (string, bool) {
	if len(v) < 3 {
		return "", false
	}
	key := p != nil && p.Key
	if key {
		if f, ok := nosqlKey(p, v); ok {
			return f, true
		}
	}
	if strings.IndexByte(v, '$') >= 0 {
		if f, ok := nosqlOpInValue(v, !key); ok {
			return f, true
		}
	}
	if f, ok := nosqlJSBreakout(v); ok {
		return f, true
	}
	return mongoShell(v)
}

// opAt reads "$name" at v[i] (on the '$') and returns the name and the index after it,
// or "" when it is not an operator of nosqlOps.
func opAt(v string, i int) (string, int) {
	j := i + 1
	for j < len(v) && isAlpha(v[j]) && j-i <= 14 {
		j++
	}
	if j < len(v) && isIdent(v[j]) {
		return "", j
	}
	op := v[i+1 : j]
	if !nosqlOps[op] {
		return "", j
	}
	return op, j
}

// nosqlKey judges a key parameter: a JSON key that is an operator, or a name with an
// operator element.
func nosqlKey(p *request.Param, v string) (string, bool) {
	if v[0] == '$' && (p.Source == request.SourceJSON || p.Source == request.SourceMessage) {
		if op, end := opAt(v, 0); op != "" && end == len(v) {
			return v, true
		}
	}
	// user[$ne], a[b][$regex], a.$gt: an operator element after a non-empty root.
	for i := 1; i < len(v); i++ {
		if v[i] != '$' || (v[i-1] != '[' && v[i-1] != '.') {
			continue
		}
		op, end := opAt(v, i)
		if op == "" || (v[i-1] == '[' && (end >= len(v) || v[end] != ']')) {
			continue
		}
		if !jsOp(op) && dslRoot(v, i-1) {
			continue
		}
		return around(v, i-1, end), true
	}
	return "", false
}

// dslRoot reports whether the bracketed name element opening at v[i] belongs to a name
// rooted at "filters", "filter" or "where" (Strapi-style query DSLs):
// "filters[title][$eq]", "x=1&where[$or][0][a][$gt]".
func dslRoot(v string, i int) bool {
	k := i
	for k > 0 && v[k-1] == ']' {
		o := strings.LastIndexByte(v[:k-1], '[')
		if o < 0 {
			return false
		}
		k = o
	}
	j := k
	for j > 0 && isIdent(v[j-1]) {
		j--
	}
	root := v[j:k]
	return strings.EqualFold(root, "filters") || strings.EqualFold(root, "filter") || strings.EqualFold(root, "where")
}

// nosqlOpInValue finds an operator written as an object key (`{"$gt": ""}`,
// `{ $ne: 1 }`, `', $where: '1'`) or as a bracketed name (`[$ne]=1`) inside a value.
// brackets says whether bracketed names count (a key parameter's own name was judged
// by nosqlKey).
func nosqlOpInValue(v string, brackets bool) (string, bool) {
	for i := strings.IndexByte(v, '$'); i >= 0; {
		op, end := opAt(v, i)
		if op != "" || (end <= len(v) && v[i+1:end] == "comment") {
			if f, ok := opContext(v, op, i, end, brackets); ok {
				return f, true
			}
		}
		k := strings.IndexByte(v[i+1:], '$')
		if k < 0 {
			break
		}
		i += 1 + k
	}
	return "", false
}

// opContext reports whether the operator at v[i:end] stands as an object key or a
// bracketed name.
func opContext(v, op string, i, end int, brackets bool) (string, bool) {
	left := byte(0)
	if i > 0 {
		left = v[i-1]
	}
	// [$ne]: a query-string name element inside the value.
	if left == '[' && end < len(v) && v[end] == ']' {
		if !brackets || op == "" || !jsOp(op) && dslRoot(v, i-1) {
			return "", false
		}
		return around(v, i-1, end+1), true
	}
	switch left {
	case 0, ' ', '\t', '\n', '{', ',', '[', '(', '"', '\'':
	default:
		return "", false
	}
	j := end
	quoted := false
	if j < len(v) && (v[j] == '"' || v[j] == '\'') && (left == '"' || left == '\'') {
		if op == "" {
			return "", false // a quoted "$comment" key is JSON Schema's
		}
		quoted = true
		j++
	}
	if quoted {
		j = skipSpaces(v, j)
	}
	if j < len(v) && v[j] == ':' {
		// "$gt:" as a key, not "$gt::" or a URL.
		if j+1 < len(v) && v[j+1] == ':' {
			return "", false
		}
		if !quoted && !operandAt(v, skipSpaces(v, j+1)) {
			// An unquoted key needs an operand that reads like one: "{ $ne: 1 }",
			// "$where: '1'". "query($where: users_bool_exp!)" declares a GraphQL
			// variable, "($in: [ID!])" too.
			return "", false
		}
		return around(v, i, j+1), true
	}
	return "", false
}

// nosqlJSBreakout matches a breakout opening the value (a quote, or a short literal,
// then ';', '&&' or '||') followed by code of a $where or mapReduce injection.
func nosqlJSBreakout(v string) (string, bool) {
	i := 0
	for i < len(v) && isSpace(v[i]) {
		i++
	}
	// A short token the application may expect ("admin", "0") before the breakout.
	tok := i
	for i < len(v) && i-tok < 24 && (isIdent(v[i]) || v[i] == '-' || v[i] == '.' || v[i] == '@') {
		i++
	}
	quote := false
	if i < len(v) && (v[i] == '\'' || v[i] == '"') {
		quote = true
		i++
		// '' or "" closes an empty string literal.
		if i < len(v) && v[i] == v[i-1] {
			i++
		}
	}
	if !quote && i > tok && !jsLiteralToken(v[tok:i]) {
		// Without a quote, only a literal may stand before the separator ("0;return
		// true"): "Done; return it" is prose.
		return "", false
	}
	i = skipSpaces(v, i)
	start := i
	switch {
	case strings.HasPrefix(v[i:], "&&"), strings.HasPrefix(v[i:], "||"):
		i += 2
	case i < len(v) && v[i] == ';':
		i++
	default:
		return "", false
	}
	if !quote && tok == start && v[start] == ';' {
		return "", false // a value that starts with ';'
	}
	i = skipSpaces(v, i)
	if end, ok := jsPayload(v, i, 0); ok {
		return around(v, start, end), true
	}
	return "", false
}

// jsPayload reports whether v[i:] opens with JavaScript that an injection into $where
// or mapReduce runs: return, sleep(), this.field, db., a busy loop, a tautology
// compared with '==', or an assignment of one of these.
func jsPayload(v string, i, depth int) (int, bool) {
	rest := v[i:]
	switch {
	case strings.HasPrefix(rest, "return") && len(rest) > 6 && (rest[6] == ' ' || rest[6] == '(' || rest[6] == '\'' || rest[6] == '"' || rest[6] == '!'):
		return i + 6, true
	case strings.HasPrefix(rest, "sleep(") || strings.HasPrefix(rest, "sleep ("):
		return i + 6, true
	case strings.HasPrefix(rest, "this.") && len(rest) > 5 && isAlpha(rest[5]):
		return i + 6, true
	case strings.HasPrefix(rest, "db.") && len(rest) > 3 && isAlpha(rest[3]):
		return i + 4, true
	case strings.HasPrefix(rest, "while(") || strings.HasPrefix(rest, "do{") || strings.HasPrefix(rest, "do {"):
		return i + 3, true
	case strings.HasPrefix(rest, "new Date") || strings.HasPrefix(rest, "Date.now("):
		return i + 8, true
	}
	if end, ok := jsTautology(v, i); ok {
		return end, true
	}
	// "it=new Date()": an assignment of a payload.
	if depth == 0 {
		j := i
		for j < len(v) && isIdent(v[j]) && j-i < 24 {
			j++
		}
		if j > i && isAlpha(v[i]) {
			k := skipSpaces(v, j)
			if k < len(v) && v[k] == '=' && (k+1 >= len(v) || v[k+1] != '=') {
				return jsPayload(v, skipSpaces(v, k+1), 1)
			}
		}
	}
	return 0, false
}

// operandAt reports whether v[k:] opens a Mongo operand: a string, a number, an object,
// an array (not a GraphQL list type such as "[ID!]"), a regular expression or a literal.
func operandAt(v string, k int) bool {
	if k >= len(v) {
		return false
	}
	switch c := v[k]; {
	case c == '\'' || c == '"' || c == '{' || c == '/' || isDigit(c):
		return true
	case c == '-':
		return k+1 < len(v) && isDigit(v[k+1])
	case c == '[':
		n := skipSpaces(v, k+1)
		return n >= len(v) || !('A' <= v[n] && v[n] <= 'Z')
	}
	return hasPrefixFold(v[k:], "true") || hasPrefixFold(v[k:], "false") || hasPrefixFold(v[k:], "null") ||
		strings.HasPrefix(v[k:], "function")
}

// jsTautology matches "1==1", "'a'=='a'", "”==”" at v[i].
func jsTautology(v string, i int) (int, bool) {
	a, j, ok := jsLiteral(v, i)
	if !ok {
		return 0, false
	}
	j = skipSpaces(v, j)
	if !strings.HasPrefix(v[j:], "==") {
		return 0, false
	}
	j += 2
	if j < len(v) && v[j] == '=' {
		j++
	}
	j = skipSpaces(v, j)
	b, k, ok := jsLiteral(v, j)
	if !ok {
		// "'a'=='a" cut short: the application's own closing quote ends it.
		if j < len(v) && (v[j] == '\'' || v[j] == '"') && v[j+1:] == a {
			return len(v), true
		}
		return 0, false
	}
	return k, a == b
}

// jsLiteral reads a number or a quoted string at v[i] and returns its text.
func jsLiteral(v string, i int) (string, int, bool) {
	if i >= len(v) {
		return "", i, false
	}
	if isDigit(v[i]) {
		j := i
		for j < len(v) && isDigit(v[j]) {
			j++
		}
		return v[i:j], j, true
	}
	if q := v[i]; q == '\'' || q == '"' {
		k := strings.IndexByte(v[i+1:], q)
		if k < 0 || k > 32 {
			return "", i, false
		}
		return v[i+1 : i+1+k], i + 2 + k, true
	}
	return "", i, false
}

// mongoShellMethods are collection methods of the mongo shell.
var mongoShellMethods = []string{
	"find(", "findone(", "findandmodify(", "insert(", "insertone(", "insertmany(", "update(",
	"updateone(", "updatemany(", "remove(", "deleteone(", "deletemany(", "drop(", "mapreduce(",
	"aggregate(", "count(", "distinct(", "save(", "replaceone(", "bulkwrite(",
}

// mongoShell matches "db.<collection>.<method>(" or "db.getCollection(" and the like,
// opening the value or after a ';'.
func mongoShell(v string) (string, bool) {
	for off := 0; off < len(v); {
		i := strings.Index(v[off:], "db.")
		if i < 0 {
			return "", false
		}
		i += off
		off = i + 3
		// At the value start (after quotes and spaces) or after ';'.
		k := i
		for k > 0 && (isSpace(v[k-1]) || v[k-1] == '\'' || v[k-1] == '"') {
			k--
		}
		if k > 0 && v[k-1] != ';' {
			continue
		}
		j := i + 3
		for _, m := range []string{"getcollection(", "eval(", "dropdatabase(", "runcommand(", "admincommand(", "getsiblingdb("} {
			if hasPrefixFold(v[j:], m) {
				return around(v, i, j+len(m)), true
			}
		}
		n := j
		for n < len(v) && (isIdent(v[n]) || v[n] == '-') {
			n++
		}
		if n == j || n >= len(v) || v[n] != '.' {
			continue
		}
		for _, m := range mongoShellMethods {
			if hasPrefixFold(v[n+1:], m) {
				return around(v, i, n+1+len(m)), true
			}
		}
	}
	return "", false
}

// jsLiteralToken reports whether t is a number or a JavaScript literal word.
func jsLiteralToken(t string) bool {
	switch t {
	case "true", "false", "null", "undefined":
		return true
	}
	for i := 0; i < len(t); i++ {
		if !isDigit(t[i]) {
			return false
		}
	}
	return true
}

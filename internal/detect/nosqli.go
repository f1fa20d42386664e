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
// $size $mod $expr $where $function $accumulator $jsonSchema...) and the writing stages
// $merge and $out. Not in it, on purpose:
// $type (but see below), $id, $ref, $schema, $values, $comment as keys (Json.NET and JSON Schema
// documents carry them), OData's $filter/$select/$top/$skip/$orderby/$count/$search and
// SoQL's top-level $where query name (a "$where=" query name alone is not matched: only
// nested names like "a[$where]").
//
// Also matched:
//   - an operator other than $eq on a credential (a field request.LooksSecret names:
//     password, passwordHash, secret, token, API key, OTP, PIN, session...; a hash or
//     salt; a reset or verification code): `filter[password][$ne]=x`,
//     `{"where": {"password": {"$gt": ""}}}`, `where={"passwordHash":{"$regex":"^a"}}`,
//     `{"where": {"resetCode": {"$regex": "^1"}}}`. Nobody filters on a password: this is
//     a login bypass or a read-out whatever query syntax the application takes;
//   - $expr (it compares a field with another or reads one out:
//     `{"$expr": {"$eq": [{"$substrCP": ["$password", 0, 1]}, "a"]}}`) and the stages
//     that write a collection, $merge and $out, in any query syntax;
//   - $type with a BSON type as operand, in a query or form name (`pass[$type]=2`) or on
//     a credential in JSON (`{"pass": {"$type": "string"}}`);
//   - an aggregation stage reading another collection ($lookup, $graphLookup,
//     $unionWith) that names an accounts collection: users, accounts, admins,
//     credentials, sessions, tokens, system.*.
//
// Query DSLs that expose Mongo-style operators on purpose (Strapi's
// `filters[field][$eq]=`, Feathers' `age[$gt]=20`, RESTHeart's and Parse's
// `filter={"$gt":...}`, `where={"score":{"$gte":1000}}`, the Atlas Data API's
// `{"filter": {"stock": {"$lt": 5}}}`, an aggregation `{"pipeline": [{"$match": ...}]}`)
// look exactly like the attack. Under the roots "filters", "filter", "where" and
// "pipeline" (a query or form name, a JSON path, or a parameter of that name holding
// JSON) only the operators that run JavaScript ($where, $function, $accumulator),
// $expr, $merge, $out and operators on credentials match; a $lookup of an ordinary collection ("customers")
// passes. An application with a top-level operator syntax needs a rule to allow it.

func init() { registerValue(NOSQLI, matchNoSQLi) }

// nosqlOps are the operators matched (without the '$').
var nosqlOps = map[string]bool{
	"ne": true, "eq": true, "gt": true, "gte": true, "lt": true, "lte": true, "in": true,
	"nin": true, "regex": true, "options": true, "exists": true, "not": true, "nor": true,
	"or": true, "and": true, "all": true, "elemMatch": true, "size": true, "mod": true,
	"expr": true, "where": true, "function": true, "accumulator": true, "jsonSchema": true,
	"text": true, "geoWithin": true, "near": true, "nearSphere": true, "bitsAllSet": true,
	"bitsAnySet": true, "bitsAllClear": true, "bitsAnyClear": true,
	"merge": true, "out": true,
}

// jsOps run JavaScript on the server.
func jsOp(op string) bool { return op == "where" || op == "function" || op == "accumulator" }

// alwaysOp reports whether op is an injection under a query DSL root too: JavaScript,
// $expr (it compares fields with each other and reads a password out with
// $substrCP), and the pipeline stages that write a collection ($merge, $out).
func alwaysOp(op string) bool { return jsOp(op) || op == "expr" || op == "merge" || op == "out" }

func matchNoSQLi(p *request.Param, v string) (string, bool) {
	key := p != nil && p.Key
	// A value whose name ends with an operator: "pass[$type]=2", {"pass":{"$type":"string"}},
	// {"$lookup":{"from":"users"}}.
	if p != nil && !key && strings.IndexByte(p.Name, '$') >= 0 {
		if f, ok := nosqlOperand(p, v); ok {
			return f, true
		}
	}
	if len(v) < 3 {
		return "", false
	}
	if key {
		if f, ok := nosqlKey(p, v); ok {
			return f, true
		}
	}
	if strings.IndexByte(v, '$') >= 0 {
		dsl := p != nil && !key && dslName(nameRoot(p.Name))
		if f, ok := nosqlOpInValue(v, !key, dsl); ok {
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
		op, end := opAt(v, 0)
		if end == len(v) {
			// Under a query DSL root ({"filter": {...}}, {"pipeline": [...]}) only
			// JavaScript, or an operator on a credential, is an injection.
			dsl := dslName(nameRoot(p.Name))
			cred := secretField(pathParent(p.Name))
			switch {
			case op != "" && (alwaysOp(op) || !dsl || op != "eq" && cred):
				return v, true
			case op == "" && v == "$type" && cred:
				return v, true // {"password": {"$type": 2}}: Json.NET's $type is no credential's
			}
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
		if !alwaysOp(op) && dslRoot(v, i-1) && !(op != "eq" && secretField(elementBefore(v, i-1))) {
			continue
		}
		return around(v, i-1, end), true
	}
	return "", false
}

// dslNames are the roots of query DSLs that take Mongo-style operators on purpose
// (Strapi's filters, Feathers' and Parse's where, RESTHeart's and the Atlas Data
// API's filter, an aggregation pipeline).
func dslName(root string) bool {
	return strings.EqualFold(root, "filters") || strings.EqualFold(root, "filter") ||
		strings.EqualFold(root, "where") || strings.EqualFold(root, "pipeline")
}

// nameRoot returns the first element of a parameter name or path: "filter" of
// "filter[a][$gt]" and of "filter.a.$gt".
func nameRoot(name string) string {
	if i := strings.IndexAny(name, ".["); i >= 0 {
		return name[:i]
	}
	return name
}

// pathParent returns the element before the last of a flattened JSON path: "pass" of
// "user.pass.$type" (array indexes are skipped: "pass" of "pass[0].$ne").
func pathParent(name string) string {
	i := strings.LastIndexByte(name, '.')
	if i < 0 {
		return ""
	}
	name = name[:i]
	for strings.HasSuffix(name, "]") {
		o := strings.LastIndexByte(name, '[')
		if o < 0 {
			return ""
		}
		name = name[:o]
	}
	if i := strings.LastIndexAny(name, ".]"); i >= 0 {
		name = name[i+1:]
	}
	return name
}

// elementBefore returns the name element that ends right before v[i] (a '[' or '.'):
// "password" of "filter[password][$ne]" and of "where.password.$ne".
func elementBefore(v string, i int) string {
	end := i
	if end > 0 && v[end-1] == ']' {
		end--
		o := strings.LastIndexByte(v[:end], '[')
		if o < 0 {
			return ""
		}
		return v[o+1 : end]
	}
	j := end
	for j > 0 && v[j-1] != '.' && v[j-1] != '[' && v[j-1] != ']' {
		j--
	}
	return v[j:end]
}

// nonSecretWords hold a secret word of request.LooksSecret ("pass", "card") without
// being a secret: a filter on passengers or a cardinality is a filter.
var nonSecretWords = [...]string{"passenger", "passage", "compass", "cardinal"}

// secretField reports whether a field (a column, a document key) holds a credential or
// a value derived from one (an operator on one, $ne, $gt, $regex, $exists, $type, is a
// login bypass or a way to read it out, whatever query syntax the application takes;
// nobody filters on a password): whatever request.LooksSecret says of its name (password,
// passwordHash, client_secret, resetToken, api-key, otp, pin, session, auth_code), a
// hash or salt (pass_hash, hashed_pw, salt: the words "hash", "hashed", "salt"), or a
// one-time code (resetCode, verification_code, recovery_code, mfaCode). Compared without
// '_', '-' and case: "pwd", "pw", "totp" too. Not "passengers", "cardinality" or
// "hashtag".
func secretField(name string) bool {
	if len(name) < 2 || len(name) > 40 {
		return false
	}
	if name[0] == '@' || name[0] == '"' || name[0] == '`' || name[0] == '[' {
		name = strings.Trim(name, "@\"`[]")
	}
	lookup := name
	for _, w := range nonSecretWords {
		if request.ContainsFold(lookup, w) {
			lookup = strings.ReplaceAll(strings.ToLower(lookup), w, "_")
		}
	}
	if request.LooksSecret(lookup) || nameHasWord(name, "hash", "hashed", "salt") {
		return true
	}
	var buf [40]byte
	n := 0
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c == '_' || c == '-' {
			continue
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[n] = c
		n++
	}
	w := string(buf[:n])
	switch w {
	case "pw", "pwd", "otp", "pin", "totp":
		return true
	}
	if strings.HasSuffix(w, "code") {
		for _, k := range [...]string{"reset", "verif", "confirm", "recovery", "backup", "mfa", "2fa", "twofactor", "security", "login", "magic", "unlock"} {
			if strings.Contains(w, k) {
				return true
			}
		}
	}
	return false
}

// nameHasWord reports whether one of the words of a name is one of words: runs of
// letters, split at '_', '-', '.', digits and a lower-case letter followed by an
// upper-case one ("passwordHash" is "password", "Hash"). ASCII case is ignored.
func nameHasWord(name string, words ...string) bool {
	start := 0
	for i := 1; i <= len(name); i++ {
		if i < len(name) && isAlpha(name[i]) && isAlpha(name[i-1]) && !('a' <= name[i-1] && name[i-1] <= 'z' && 'A' <= name[i] && name[i] <= 'Z') {
			continue
		}
		if w := name[start:i]; w != "" && isAlpha(w[0]) {
			for _, k := range words {
				if strings.EqualFold(w, k) {
					return true
				}
			}
		}
		start = i
		if i < len(name) && !isAlpha(name[i]) {
			start = i + 1
		}
	}
	return false
}

// nosqlOperand judges a value whose name ends with an operator element: $type with a
// BSON type as operand ("pass[$type]=2", {"pass": {"$type": "string"}}; Json.NET's
// $type holds a .NET type name, and in JSON only a credential's $type counts), and an aggregation stage that reads another
// collection ($lookup, $graphLookup, $unionWith) naming one of accounts or
// credentials ("users", "admins", "sessions", "system.users").
func nosqlOperand(p *request.Param, v string) (string, bool) {
	name := p.Name
	switch {
	case strings.HasSuffix(name, "[$type]") || strings.HasSuffix(name, ".$type"):
		if !bsonType(v) {
			return "", false
		}
		i := len(name) - len("[$type]")
		if name[len(name)-1] != ']' {
			i = len(name) - len(".$type")
		}
		// In JSON, only on a credential: a document may carry a "$type" of its own.
		json := p.Source == request.SourceJSON || p.Source == request.SourceMessage
		if (json || dslName(nameRoot(name))) && !secretField(elementBefore(name, i)) {
			return "", false
		}
		return around(name, i, len(name)), true
	case strings.HasSuffix(name, "$lookup.from") || strings.HasSuffix(name, "$graphLookup.from") ||
		strings.HasSuffix(name, "$unionWith.coll") || strings.HasSuffix(name, "$unionWith"):
		if accountCollection(v) {
			return v, true
		}
	}
	return "", false
}

// bsonType reports whether v names a BSON type as $type takes it: a number or an alias.
func bsonType(v string) bool {
	if jsLiteralToken(v) && v != "" && isDigit(v[0]) || strings.HasPrefix(v, "-1") && len(v) == 2 {
		return len(v) <= 3
	}
	switch v {
	case "double", "string", "object", "array", "binData", "undefined", "objectId", "bool", "date",
		"null", "regex", "dbPointer", "javascript", "symbol", "int", "timestamp", "long",
		"decimal", "minKey", "maxKey", "number":
		return true
	}
	return false
}

// accountCollection reports whether a collection name is one of those an injected
// $lookup reads out: users, accounts, administrators, credentials, sessions, tokens,
// and MongoDB's system collections.
func accountCollection(c string) bool {
	if hasPrefixFold(c, "system.") {
		return true
	}
	switch strings.ToLower(c) {
	case "users", "user", "accounts", "account", "admins", "admin", "administrators",
		"credentials", "sessions", "tokens", "passwords", "secrets", "apikeys", "api_keys":
		return true
	}
	return false
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
//
// dsl says the value is a query DSL's (its parameter is named "where", "filter"...:
// Parse's where={"score":{"$gte":1000}}): then only JavaScript operators, and operators
// on a credential ({"password":{"$ne":null}}), match.
func nosqlOpInValue(v string, brackets, dsl bool) (string, bool) {
	for i := strings.IndexByte(v, '$'); i >= 0; {
		op, end := opAt(v, i)
		if op != "" || (end <= len(v) && v[i+1:end] == "comment") {
			if f, ok := opContext(v, op, i, end, brackets); ok &&
				(!dsl || alwaysOp(op) || op != "eq" && op != "" && secretField(keyBefore(v, i))) {
				return f, true
			}
		} else if end <= len(v) && v[i+1:end] == "type" && secretField(keyBefore(v, i)) {
			// {"password": {"$type": "string"}}
			if f, ok := opContext(v, "type", i, end, brackets); ok {
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
		if !brackets || op == "" || !alwaysOp(op) && dslRoot(v, i-1) {
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

// keyBefore returns the key of the object an operator at v[i] opens: "password" of
// `{"password": {"$ne": 1}}`, `{password: {$ne: 1}}` and `[password][$ne]`.
func keyBefore(v string, i int) string {
	j := i
	if j > 0 && (v[j-1] == '"' || v[j-1] == '\'') {
		j--
	}
	for j > 0 && isSpace(v[j-1]) {
		j--
	}
	if j > 0 && v[j-1] == '[' {
		// [password][$ne]
		if j < 2 || v[j-2] != ']' {
			return ""
		}
		return elementBefore(v, j-1)
	}
	if j == 0 || v[j-1] != '{' {
		return ""
	}
	j--
	for j > 0 && isSpace(v[j-1]) {
		j--
	}
	if j == 0 || v[j-1] != ':' {
		return ""
	}
	j--
	for j > 0 && isSpace(v[j-1]) {
		j--
	}
	if j > 0 && (v[j-1] == '"' || v[j-1] == '\'') {
		j--
	}
	k := j
	for k > 0 && j-k < 40 && (isIdent(v[k-1]) || v[k-1] == '-') {
		k--
	}
	return v[k:j]
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

package detect

// A small SQL lexer for the checks libinjection does not make (see sqli.go). It never
// allocates: tokens are slices of the value, kept in a fixed array.
//
// Closed /* */ comments are dropped like spaces (the checks see the statement the
// database sees); an unterminated one and -- and # comments are tokens, since they cut
// the application's query short. MySQL's /*! */ bodies are code. PostgreSQL's casts and
// JSON operators (:: -> ->> #> @> <@ ? ?| ?&) are operators.

import "unsafe"

type sqlKind uint8

const (
	sqlWord    sqlKind = iota + 1 // keyword or identifier (backquoted too)
	sqlNum                        // 1, 1.5, 1e5, 0x41, 0b1
	sqlStr                        // a closed string literal
	sqlOpenStr                    // a string literal left open to the end of the value
	sqlBreak                      // the text before the first quote, in a quote context
	sqlOp                         // = < > <= >= <> != <=> || && | & ! + - * / % ^ ~ :=
	sqlLParen
	sqlRParen
	sqlComma
	sqlSemi
	sqlDot
	sqlComment // -- # /* */ (to the end when unterminated)
	sqlVar     // @x @@x
	sqlOther
)

type sqlTok struct {
	kind sqlKind
	s    string
}

// maxSQLToks is how many tokens of a value the checks look at. Injections show their
// shape early; longer values are cut (the pattern checks in sqli.go also see only this
// prefix, which bounds the work per value).
const maxSQLToks = 96

type sqlToks struct {
	t [maxSQLToks]sqlTok
	n int
}

// Lexer modes, for the second readings of a value.
const (
	lexPlusSpace    = 1 << iota // '+' separates words, as in a path segment or a cookie
	lexRawBackslash             // a backslash does not escape the quote that ends the break
)

// sqlAdjacent reports whether token b starts right where token a ends (no space or
// comment between them). Both must be slices of the same value.
func sqlAdjacent(a, b sqlTok) bool {
	if a.s == "" || b.s == "" {
		return false
	}
	return uintptr(unsafe.Pointer(unsafe.StringData(a.s)))+uintptr(len(a.s)) == uintptr(unsafe.Pointer(unsafe.StringData(b.s)))
}

func isSQLSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' || c == 0xA0 || c == 0
}

func sqlWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '$' || c >= 0x80
}

// lexSQL tokenises v. quote is 0 or a quote character (' " `): in a quote context the
// value is taken to start inside a string literal delimited by quote (the
// application's), so the text up to the first quote becomes one sqlBreak token. mode
// holds lex* flags.
func lexSQL(v string, quote byte, mode int, out *sqlToks) {
	out.n = 0
	i := 0
	if quote != 0 {
		j := 0
		for j < len(v) && v[j] != quote {
			if v[j] == '\\' && j+1 < len(v) && mode&lexRawBackslash == 0 {
				j++
			}
			j++
		}
		if j >= len(v) {
			return
		}
		out.t[0] = sqlTok{sqlBreak, v[:j]}
		out.n = 1
		i = j + 1
	}
	for i < len(v) && out.n < maxSQLToks {
		c := v[i]
		start := i
		var k sqlKind
		switch {
		case isSQLSpace(c) || c == '+' && mode&lexPlusSpace != 0:
			i++
			continue
		case c == 0xE2 && sqlDash(v, i):
			// An en or em dash: a -- comment mangled by a word processor when it ends
			// the value (' or 1=1–), punctuation otherwise.
			i += 3
			k = sqlOther
			if skipSQLSpaces(v, i) == len(v) {
				i = len(v)
				k = sqlComment
			}
		case c == '/' && i+1 < len(v) && v[i+1] == '*':
			if i+2 < len(v) && v[i+2] == '!' {
				// MySQL executable comment: its body is code.
				i += 3
				for i < len(v) && v[i] >= '0' && v[i] <= '9' {
					i++
				}
				continue
			}
			end := sqlIndexFrom(v, i+2, "*/")
			if end >= 0 {
				i = end + 2
				continue // a closed comment separates tokens like a space
			}
			i = len(v)
			k = sqlComment
		case c == '*' && i+1 < len(v) && v[i+1] == '/':
			i += 2 // the end of a /*! comment
			continue
		case c == '#' && i > 0 && isSQLSpace(v[i-1]) && i+2 < len(v) && (v[i+1] == '>' || v[i+1] == '-') && (isSQLSpace(v[i+2]) || v[i+2] == '>' || v[i+2] == '\'' || v[i+2] == '"'):
			// PostgreSQL's #> #>> #- between operands
			i += 2
			if v[i] == '>' {
				i++
			}
			k = sqlOp
		case c == '-' && i+1 < len(v) && v[i+1] == '-', c == '#':
			for i < len(v) && v[i] != '\n' {
				i++
			}
			k = sqlComment
		case c == '\'' || c == '"':
			i++
			for i < len(v) {
				if v[i] == '\\' {
					i += 2
					continue
				}
				if v[i] == c {
					if i+1 < len(v) && v[i+1] == c {
						i += 2
						continue
					}
					break
				}
				i++
			}
			if i >= len(v) {
				i = len(v)
				k = sqlOpenStr
			} else {
				i++
				k = sqlStr
			}
		case c == '`':
			i++
			for i < len(v) && v[i] != '`' {
				i++
			}
			if i < len(v) {
				i++
			}
			k = sqlWord
		case c >= '0' && c <= '9' || c == '.' && i+1 < len(v) && v[i+1] >= '0' && v[i+1] <= '9':
			i = sqlLexNumber(v, i)
			k = sqlNum
			if i < len(v) && sqlWordByte(v[i]) && !sqlDash(v, i) && !sqlGluedKeyword(v, i) {
				i = sqlWordEnd(v, i)
				k = sqlWord
			}
		case sqlWordByte(c):
			i = sqlWordEnd(v, i)
			k = sqlWord
		case c == '@':
			j := i + 1
			if j < len(v) && v[j] == '@' {
				j++
			}
			n := j
			for n < len(v) && (sqlWordByte(v[n]) || v[n] == '.') {
				n++
			}
			if n > j {
				i = n
				k = sqlVar
			} else {
				i = sqlLexOp(v, i) // @> @? @@ or a lone @
				k = sqlOp
			}
		case c == '(':
			i++
			k = sqlLParen
		case c == ')':
			i++
			k = sqlRParen
		case c == ',':
			i++
			k = sqlComma
		case c == ';':
			i++
			k = sqlSemi
		case c == '.':
			i++
			k = sqlDot
		case c == '{' || c == '}' || c == '[' || c == ']' || c == '\\':
			i++
			k = sqlOther
		default:
			i = sqlLexOp(v, i)
			k = sqlOp
		}
		out.t[out.n] = sqlTok{k, v[start:i]}
		out.n++
	}
}

func sqlLexNumber(v string, i int) int {
	if v[i] == '0' && i+1 < len(v) && (v[i+1] == 'x' || v[i+1] == 'X' || v[i+1] == 'b' || v[i+1] == 'B') {
		j := i + 2
		for j < len(v) && sqlIsHex(v[j]) {
			j++
		}
		if j > i+2 {
			return j
		}
	}
	for i < len(v) && (v[i] >= '0' && v[i] <= '9' || v[i] == '.') {
		i++
	}
	if i+1 < len(v) && (v[i] == 'e' || v[i] == 'E') && (v[i+1] >= '0' && v[i+1] <= '9' || v[i+1] == '-' || v[i+1] == '+') {
		i += 2
		for i < len(v) && v[i] >= '0' && v[i] <= '9' {
			i++
		}
	}
	return i
}

// sqlGluedKeyword reports whether a keyword that joins operands starts at v[i], right
// after a number: 1or 1=1, 182UNION SELECT. The number ends there.
func sqlGluedKeyword(v string, i int) bool {
	end := sqlWordEnd(v, i)
	w := v[i:end]
	for _, kw := range [...]string{"or", "and", "xor", "union", "order", "like", "div", "mod", "from", "limit", "into", "having", "group"} {
		if sqlEqFold(w, kw) {
			return true
		}
	}
	return false
}

// sqlWordEnd returns the end of the word starting at v[i]; a dash ends it.
func sqlWordEnd(v string, i int) int {
	for i < len(v) && sqlWordByte(v[i]) && !sqlDash(v, i) {
		i++
	}
	return i
}

// sqlDash reports whether v[i:] starts with an en dash or an em dash (UTF-8).
func sqlDash(v string, i int) bool {
	return v[i] == 0xE2 && i+2 < len(v) && v[i+1] == 0x80 && (v[i+2] == 0x93 || v[i+2] == 0x94)
}

func skipSQLSpaces(v string, i int) int {
	for i < len(v) && isSQLSpace(v[i]) {
		i++
	}
	return i
}

// sqlLexOp takes the longest operator at v[i].
func sqlLexOp(v string, i int) int {
	if i+1 == len(v) || !sqlOpByte(v[i+1]) {
		return i + 1 // the common case: a one-byte operator
	}
	for _, op := range [...]string{"<=>", "->>", "!~*", "<=", ">=", "<>", "!=", "==", "||", "&&", ":=", "::", "!<", "!>", "->", "@>", "<@", "@?", "@@", "?|", "?&", "!~", "~*", "~~"} {
		if len(v)-i >= len(op) && v[i:i+len(op)] == op {
			return i + len(op)
		}
	}
	return i + 1
}

// sqlOpByte reports whether c can be the second or third byte of an operator.
func sqlOpByte(c byte) bool {
	switch c {
	case '=', '>', '<', '|', '&', ':', '*', '@', '?', '~':
		return true
	}
	return false
}

func sqlIndexFrom(s string, i int, sub string) int {
	for ; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

// is reports whether token t is the word w (ASCII case-insensitive).
func (t sqlTok) is(w string) bool {
	return t.kind == sqlWord && sqlEqFold(t.s, w)
}

// sqlEqFold compares s with lower-case ASCII w, ignoring the case of s.
func sqlEqFold(s, w string) bool {
	if len(s) != len(w) {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != w[i] {
			return false
		}
	}
	return true
}

func sqlIsAlpha(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func sqlIsDigit(c byte) bool { return c >= '0' && c <= '9' }
func sqlIsIdent(c byte) bool { return sqlIsAlpha(c) || sqlIsDigit(c) || c == '_' }
func sqlIsSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}
func sqlIsHex(c byte) bool {
	return sqlIsDigit(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

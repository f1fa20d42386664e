package detect

// A small SQL lexer for the checks libinjection does not make (see sqli.go). It never
// allocates: tokens are slices of the value, kept in a fixed array.

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

func isSQLSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' || c == 0xA0
}

func sqlWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '$' || c >= 0x80
}

// lexSQL tokenises v. quote is 0, '\” or '"': in a quote context the value is taken to
// start inside a string literal delimited by quote (the application's), so the text up to
// the first quote becomes one sqlBreak token.
func lexSQL(v string, quote byte, out *sqlToks) {
	out.n = 0
	i := 0
	if quote != 0 {
		j := 0
		for j < len(v) && v[j] != quote {
			if v[j] == '\\' && j+1 < len(v) {
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
		case isSQLSpace(c):
			i++
			continue
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
			if end < 0 {
				i = len(v)
			} else {
				i = end + 2
			}
			k = sqlComment
		case c == '*' && i+1 < len(v) && v[i+1] == '/':
			i += 2 // the end of a /*! comment
			continue
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
			if i < len(v) && sqlWordByte(v[i]) {
				for i < len(v) && sqlWordByte(v[i]) {
					i++
				}
				k = sqlWord
			}
		case sqlWordByte(c):
			for i < len(v) && sqlWordByte(v[i]) {
				i++
			}
			k = sqlWord
		case c == '@':
			i++
			if i < len(v) && v[i] == '@' {
				i++
			}
			for i < len(v) && (sqlWordByte(v[i]) || v[i] == '.') {
				i++
			}
			k = sqlVar
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
		case c == '{' || c == '}' || c == '[' || c == ']' || c == '?' || c == '\\':
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

// sqlLexOp takes the longest operator at v[i].
func sqlLexOp(v string, i int) int {
	for _, op := range [...]string{"<=>", "<=", ">=", "<>", "!=", "||", "&&", ":=", "!<", "!>"} {
		if len(v)-i >= len(op) && v[i:i+len(op)] == op {
			return i + len(op)
		}
	}
	return i + 1
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

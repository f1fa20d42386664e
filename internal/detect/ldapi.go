package detect

import (
	"strings"

	"github.com/rampartwaf/rampart/internal/request"
)

// LDAPI: LDAP filter injection, a value that closes the filter the application builds
// ("(uid=" + input + ")") and adds its own clauses.
//
// What matches:
//   - a value that closes a clause it did not open (the application's) and opens a new
//     one: ")" then "(" and an attribute assertion or an operator, or an operator then
//     "(" ("*)(uid=*))(|(uid=*", "admin)(&)", ")(cn=", "x)!(sn=*", "v) ( &");
//   - in a value that is not a complete filter of its own, an operator clause: "(|",
//     "(&" or "(!" followed by an assertion, directly or in a nested clause
//     ("*(|(mail=*))", "*(&(uid=a)(pw=b))") where the '(' does not follow a name (a
//     call such as "if(!(x>=0))"), or a presence filter on objectClass
//     ("*(objectClass=*)"), the classic always-true clause;
//   - a filter cut with a NUL byte after closing parentheses ("*))\x00", ")\x00");
//   - a value made only of filter metacharacters with a parenthesis and an operator
//     ("*()|&'", ")(|(&"), which fuzzers send and no user types.
//
// An attribute assertion is a name (letters, digits, '-', ';' options or an OID)
// followed by '=', '~=', '>=' or '<=' and not '==', so code such as "if (!(a == b))" and
// prose with parentheses stay benign; and ")(" only counts once the parentheses went
// below zero, so "(see above)(and below)" or "f(x)(y=2)" never do.
//
// Not matched: a complete, balanced filter opening with '(' ("(&(objectCategory=
// computer)(cn=a*))"), which directory tools take as input; lone metacharacters and wildcards ("*", "admin*", "(", "|", "%2A"), which
// are ordinary input (search wildcards, punctuation) and only fuzz the parser; and XPath
// injection ("' or name()='admin"), a string-literal breakout like SQL's.

func init() {
	registerValueFiltered(LDAPI, valueNeed{minLen: 3, any: classesOf("()"), also: classesOf("=|&!") | classCtl},
		func(p *request.Param, v string, _ byteClass) (string, bool) { return matchLDAPi(p, v) })
}

func matchLDAPi(_ *request.Param, v string) (string, bool) {
	if len(v) < 3 {
		return "", false
	}
	open := strings.IndexByte(v, '(')
	closeP := strings.IndexByte(v, ')')
	if open < 0 && closeP < 0 || !strings.ContainsAny(v, "=|&!\x00") {
		return "", false // every pattern needs an assertion, an operator or a NUL
	}
	if f, ok := ldapMetaOnly(v); ok {
		return f, true
	}
	if closeP >= 0 {
		if f, ok := ldapNulCut(v); ok {
			return f, true
		}
	}
	if open < 0 {
		return "", false
	}
	whole := ldapWholeFilter(v)
	depth := 0
	broke := false
	for i := 0; i < len(v); i++ {
		switch v[i] {
		case '\\':
			i++ // an escaped character (\29, \()
		case ')':
			depth--
			if depth < 0 {
				// The value closes a clause it did not open: the application's.
				broke = true
				depth = 0
			}
			if broke && (i == 0 || v[i-1] != ';') { // ";)" ends a for(;;) header
				if end, ok := ldapAfterClose(v, i+1); ok {
					return around(v, i, end), true
				}
			}
		case '(':
			depth++
			if whole || i > 0 && isIdent(v[i-1]) {
				continue // "if(!(x>=0))" is a call, not a clause
			}
			j := i + 1
			if j < len(v) && (v[j] == '|' || v[j] == '&' || v[j] == '!') {
				k := j + 1
				if k < len(v) && v[k] == '(' {
					k++
				}
				if end, ok := ldapAssertion(v, k); ok {
					return around(v, i, end), true
				}
			}
			if hasPrefixFold(v[j:], "objectclass=*") {
				return around(v, i, j+13), true
			}
		}
	}
	return "", false
}

// ldapWholeFilter reports whether v is a complete filter on its own: it opens with '('
// and its parentheses balance without ever closing more than were opened. Directory
// tools take such filters as input ("(&(objectCategory=computer)(cn=a*))"); an
// injection has to close the application's clause first.
func ldapWholeFilter(v string) bool {
	i := skipSpaces(v, 0)
	if i >= len(v) || v[i] != '(' {
		return false
	}
	depth := 0
	for ; i < len(v); i++ {
		switch v[i] {
		case '\\':
			i++
		case '(':
			depth++
		case ')':
			depth--
			if depth < 0 {
				return false
			}
		}
	}
	return depth == 0
}

// ldapAfterClose reports whether what follows a closing parenthesis at v[i] opens a new
// clause: "(" then an operator or an assertion, possibly through one more "(", or an
// operator then "(" and an assertion (")!(sn=*", ")&(cn=a"). Spaces may separate ")"
// and "(" only before an operator.
func ldapAfterClose(v string, i int) (int, bool) {
	start := i
	i = skipSpaces(v, i)
	if i >= len(v) {
		return 0, false
	}
	if c := v[i]; c == '|' || c == '&' || c == '!' {
		j := skipSpaces(v, i+1)
		if j < len(v) && v[j] == '(' {
			return ldapAssertion(v, skipSpaces(v, j+1))
		}
		return 0, false
	}
	if v[i] != '(' {
		return 0, false
	}
	j := skipSpaces(v, i+1)
	if i > start {
		// ") (" with a space: only an operator follows ("v) ( &"); ":-) (x=1" is prose.
		return ldapOperator(v, j)
	}
	if j >= len(v) {
		return 0, false
	}
	if end, ok := ldapOperator(v, j); ok {
		return end, true
	}
	if v[j] == '(' {
		k := skipSpaces(v, j+1)
		if end, ok := ldapOperator(v, k); ok {
			return end, true
		}
		return ldapAssertion(v, k)
	}
	return ldapAssertion(v, j)
}

// ldapOperator reports whether v[i] is a filter operator ('|', '&', '!') standing as
// one: followed by a parenthesis, a space or the end ("(&)", "(|(", "( & "), not by a
// digit or a word ("(!2896)" in a changelog).
func ldapOperator(v string, i int) (int, bool) {
	if i >= len(v) || v[i] != '|' && v[i] != '&' && v[i] != '!' {
		return 0, false
	}
	j := i + 1
	if j == len(v) || v[j] == '(' || v[j] == ')' || isSpace(v[j]) || v[j] == 0 {
		return j, true
	}
	return 0, false
}

// ldapAssertion reads "attr=" (or ~=, >=, <=, or an extensible match "attr:rule:=") at
// v[i] and returns the index after the operator. attr is an LDAP attribute description:
// a name with '-' and ";option"s, or an OID. "3..=5" (a Rust range) and "lt;=" (an
// HTML entity) are not.
func ldapAssertion(v string, i int) (int, bool) {
	j := i
	switch {
	case j < len(v) && isDigit(v[j]):
		// An OID: digits separated by single dots ("1.2.840.113556.1.4.803").
		for j < len(v) && isDigit(v[j]) {
			j++
			if j+1 < len(v) && v[j] == '.' && isDigit(v[j+1]) {
				j++
			}
		}
	case j < len(v) && isAlpha(v[j]):
		// A name with options: "cn", "userPassword", "cn;lang-en".
		for j < len(v) && j-i < 64 && (isAlnum(v[j]) || v[j] == '-' || v[j] == '_' ||
			v[j] == ';' && j+1 < len(v) && isAlpha(v[j+1])) {
			j++
		}
	default:
		return 0, false
	}
	if j < len(v) && (v[j] == '~' || v[j] == '>' || v[j] == '<') {
		j++
	} else if j < len(v) && v[j] == ':' {
		// An extensible match: "uid:dn:=x", "userAccountControl:1.2.840.113556.1.4.803:=2".
		k := strings.Index(v[j:min(len(v), j+64)], ":=")
		if k < 0 {
			return 0, false
		}
		j += k + 1
	}
	if j >= len(v) || v[j] != '=' {
		return 0, false
	}
	if j+1 < len(v) && v[j+1] == '=' {
		return 0, false // "a==b" is code
	}
	return j + 1, true
}

// ldapNulCut matches a filter closed and cut with a NUL byte: "*))\x00", "x)\x00".
func ldapNulCut(v string) (string, bool) {
	for i := strings.IndexByte(v, 0); i > 0; {
		if v[i-1] == ')' && i >= 2 && (v[i-2] == ')' || v[i-2] == '*') {
			return around(v, i-2, i+1), true
		}
		k := strings.IndexByte(v[i+1:], 0)
		if k < 0 {
			break
		}
		i += 1 + k
	}
	return "", false
}

// ldapMetaOnly matches a value made only of filter metacharacters (and quotes), with a
// parenthesis and an operator among them.
func ldapMetaOnly(v string) (string, bool) {
	if len(v) < 4 || len(v) > 64 {
		return "", false
	}
	paren, op := false, false
	for i := 0; i < len(v); i++ {
		switch v[i] {
		case '(', ')':
			paren = true
		case '|', '&', '!':
			op = true
		case '*', '=', '\'', '"', 0:
		default:
			return "", false
		}
	}
	if paren && op {
		return v, true
	}
	return "", false
}

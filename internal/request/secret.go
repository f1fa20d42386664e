package request

import (
	"slices"
	"strings"
)

// Redacted replaces the fragment of a signal found in a secret-looking parameter, and
// the values of secret-looking names inside any other fragment.
const Redacted = "[redacted]"

// secretWords are the name parts that mark a parameter whose value must not be copied
// into events or logs: a fragment of a password that happened to look like SQL is still
// a password. They are found anywhere in a name.
var secretWords = [...]string{
	"pass", "pwd", "secret", "token", "apikey", "api_key", "api-key", "credential",
	"session", "sessid", "csrf", "xsrf", "otp", "card", "cvv", "cvc", "iban",
	"private", "signature", "jwt", "bearer", "cookie",
}

// secretNameWords are short secret words that are too common inside other words
// ("shipping", "spinner", "classname") to be found anywhere: they count only as a whole
// word of the name (see nameWords).
var secretNameWords = [...]string{"pin", "pincode", "ssn"}

// LooksSecret reports whether a parameter name looks like it holds a secret. It is the
// one definition Rampart uses, for parameter names and for the names found inside a
// fragment (RedactText). ASCII case is ignored. A name looks secret when:
//
//   - it contains one of secretWords: "pass" (password, passwd, passcode, passphrase),
//     "pwd", "secret" (client_secret), "token", "apikey", "api_key", "api-key",
//     "credential", "session", "sessid" (PHPSESSID), "csrf", "xsrf", "otp" (totp),
//     "card" (card_number), "cvv", "cvc", "iban", "private" (private_key), "signature",
//     "jwt", "bearer", "cookie";
//   - or one of its words is "pin", "pincode" or "ssn" (pin, user_pin, newPin, PIN_code,
//     customerSSN; not shipping, spinner or classname), or a run of its letters opens
//     with "ssn" (SSNumber);
//   - or it contains "auth" (auth_code, X-Auth-Token, authorization) but not "author"
//     unless as "authoriz" (a comment's author is not a secret).
//
// Names of fewer than 3 bytes never look secret.
func LooksSecret(name string) bool {
	if len(name) < 3 {
		return false
	}
	for _, w := range secretWords {
		if ContainsFold(name, w) {
			return true
		}
	}
	if hasNameWord(name) {
		return true
	}
	// "auth" (auth_code, X-Auth, authorization), but not a comment's "author".
	return ContainsFold(name, "auth") &&
		(!ContainsFold(name, "author") || ContainsFold(name, "authoriz"))
}

// hasNameWord reports whether one of the words of name is in secretNameWords. Words are
// runs of ASCII letters, split where a lower-case letter is followed by an upper-case
// one ("newPin") and before the last capital of a run followed by a lower-case letter
// ("PINCode" is "PIN", "Code").
func hasNameWord(name string) bool {
	start := -1
	for i := 0; i <= len(name); i++ {
		letter := i < len(name) && isLetter(name[i])
		if start >= 0 && (!letter || camelBreak(name, i)) {
			w := name[start:i]
			for _, sw := range secretNameWords {
				if len(w) == len(sw) && ContainsFold(w, sw) {
					return true
				}
			}
			start = -1
		}
		if letter && start < 0 {
			start = i
			if i+3 <= len(name) && strings.EqualFold(name[i:i+3], "ssn") {
				return true // SSNumber, ssn_last4: a run of letters opening with it
			}
		}
	}
	return false
}

// camelBreak reports whether a word of name ends before name[i], a letter.
func camelBreak(name string, i int) bool {
	if i == 0 || !isLetter(name[i-1]) || !isUpper(name[i]) {
		return false
	}
	return !isUpper(name[i-1]) || i+1 < len(name) && isLower(name[i+1])
}

func isUpper(c byte) bool  { return 'A' <= c && c <= 'Z' }
func isLower(c byte) bool  { return 'a' <= c && c <= 'z' }
func isLetter(c byte) bool { return isUpper(c) || isLower(c) }

// RedactSecrets blanks the fragments of the signals found in secret-looking parameters,
// and redacts, inside every other fragment, the values that secret-looking names hold
// there (see RedactText): a raw body, a WebSocket message, a Referer or any value can
// carry "password=..." although its own name is harmless.
//
// A fragment cut out of its parameter's value is redacted as it reads in that value (the
// 4 KiB before it)
// (RedactFragment), so a fragment that starts after a secret's name, inside its value,
// is redacted too; the fragments of decoded variants are redacted that way when they are
// found (detect), and as text here.
func (r *Request) RedactSecrets() {
	for i := range r.Signals {
		s := &r.Signals[i]
		if s.Fragment == "" || s.Fragment == Redacted {
			continue
		}
		if LooksSecret(s.Param) {
			s.Fragment = Redacted
			continue
		}
		s.Fragment = RedactFragment(r.paramValueHolding(s), s.Fragment)
	}
}

// paramValueHolding returns the value of the parameter a signal was found in that holds
// the signal's fragment, or "".
func (r *Request) paramValueHolding(s *Signal) string {
	if s.Source == SourceNone {
		return ""
	}
	for i := range r.Params {
		p := &r.Params[i]
		if p.Source == s.Source && p.Name == s.Param && strings.Contains(p.Value, s.Fragment) {
			return p.Value
		}
	}
	return ""
}

// RedactFragment redacts frag, a fragment cut out of text: the values of secret-looking
// names are found in the whole text, and the part of them that falls inside frag is
// replaced by Redacted. When frag is not a part of text, it is redacted on its own
// (RedactText). Either way the result is then redacted as text too. A result that
// changed is a new string; otherwise frag is returned.
func RedactFragment(text, frag string) string {
	if frag == "" {
		return frag
	}
	off := -1
	if text != "" && len(frag) < len(text) {
		off = strings.Index(text, frag)
	}
	if off >= 0 {
		// The value that reaches into the fragment is looked for in the window before
		// it: a body with many signals is not read whole for each (a secret value longer
		// than the window, whose name lies before it, is the price).
		start := max(0, off-maxSecretReach)
		end := off + len(frag)
		var buf [8]span
		spans := secretSpans(text[start:end], buf[:0])
		for k := range spans {
			spans[k].i += start
			spans[k].j += start
		}
		frag = redactSpans(text, spans, off, end)
	}
	return RedactText(frag)
}

// maxSecretReach bounds how far before a fragment RedactFragment looks for the secret
// whose value the fragment may start inside.
const maxSecretReach = 4 << 10

// RedactText replaces with Redacted the values of secret-looking names (LooksSecret)
// inside s, a fragment of text that is not one named value: a raw body or message, a
// header holding a URL or cookies, a query string inside a value. It reads
//
//   - name=value and name: value, the name bare or quoted (password=x&..., "pin": 1234,
//     'token':'x', X-Api-Key: abc, <a password="x">), and name%3Dvalue;
//   - <name ...>value</name>, XML elements, the value being everything up to the
//     element's closing tag (CDATA and child elements included);
//   - the password of a URL's user information (https://user:password@host).
//
// A ':' followed by a CSS pseudo-class (.card:first-child) separates nothing.
// A quoted value ends at its closing quote (backslash escapes honoured; \"...\" inside
// a JSON string too), a value opening with '{' or '[' at its matching bracket, a bare
// value at the next & ; , quote < > ) ] } or line break. A value that runs past the end
// of s (s was cut short) is redacted to the end. What is not read: a name split from its
// value by anything else, encodings other than %3D, and a fragment that starts inside a
// value (RedactFragment, which knows the whole text, handles that).
//
// s is returned as is when it holds no such value.
//
// The result is stable: redacted again, it stays as it is. One pass may not get there, as
// a redacted value can change how the quotes around it pair up
// ("x\"Credential:{\"a\"}\":0" leaves a quoted secret name whose value is 0), so passes
// are repeated until nothing changes (a few at most).
func RedactText(s string) string {
	for range maxRedactPasses {
		var buf [8]span
		r := redactSpans(s, secretSpans(s, buf[:0]), 0, len(s))
		if r == s {
			break
		}
		s = r
	}
	return s
}

// maxRedactPasses bounds the passes of RedactText; each one that changes the text turns
// a span into Redacted.
const maxRedactPasses = 8

// span is a byte range [i, j) of a text.
type span struct{ i, j int }

// redactSpans returns text[lo:hi] with the parts covered by spans (sorted, not
// overlapping) replaced by Redacted.
func redactSpans(text string, spans []span, lo, hi int) string {
	var b strings.Builder
	at := lo
	for _, sp := range spans {
		i, j := max(sp.i, lo), min(sp.j, hi)
		if i >= j || text[i:j] == Redacted {
			continue
		}
		if b.Len() == 0 {
			b.Grow(hi - lo + len(Redacted))
		}
		b.WriteString(text[at:i])
		b.WriteString(Redacted)
		at = j
	}
	if at == lo {
		return text[lo:hi]
	}
	b.WriteString(text[at:hi])
	return b.String()
}

// maxSecretName bounds how far back a name is looked for before a separator.
const maxSecretName = 128

// secretSpans appends to spans the ranges of s that hold the value of a secret-looking
// name (see RedactText), sorted and merged, and returns them.
func secretSpans(s string, spans []span) []span {
	add := func(i, j int) {
		if j > i {
			spans = append(spans, span{i, j})
		}
	}
	for i := 0; i < len(s); i++ {
		sep, after := i, 0
		switch c := s[i]; {
		case c == '=':
			after = i + 1
		case c == ':':
			if strings.HasPrefix(s[i:], "://") {
				add(userinfoPassword(s, i+3))
				continue
			}
			if cssPseudo(s, i+1) {
				continue // .card:first-child, input.password:focus: a CSS selector
			}
			after = i + 1
		case c == '%' && i+2 < len(s) && s[i+1] == '3' && (s[i+2] == 'D' || s[i+2] == 'd'):
			after = i + 3
		case c == '<':
			add(xmlElementValue(s, i))
			continue
		default:
			continue
		}
		if !LooksSecret(nameBefore(s, sep)) {
			continue
		}
		j, k := valueAfter(s, after)
		add(j, k)
		if k > i {
			i = k - 1
		}
	}
	if len(spans) < 2 {
		return spans
	}
	slices.SortFunc(spans, func(a, b span) int { return a.i - b.i })
	out := spans[:1]
	for _, sp := range spans[1:] {
		last := &out[len(out)-1]
		if sp.i <= last.j {
			last.j = max(last.j, sp.j)
			continue
		}
		out = append(out, sp)
	}
	return out
}

// cssPseudos are CSS pseudo-classes and pseudo-elements, as a selector names them
// after a ':' (.card:first-child, a:hover, li:nth-child(2), p::before).
var cssPseudos = [...]string{
	"hover", "focus", "focus-within", "focus-visible", "active", "visited", "link", "checked",
	"disabled", "enabled", "empty", "first-child", "last-child", "only-child", "nth-child",
	"nth-last-child", "first-of-type", "last-of-type", "only-of-type", "nth-of-type",
	"nth-last-of-type", "not", "is", "where", "has", "before", "after", "placeholder",
	"placeholder-shown", "selection", "root", "target", "required", "optional", "invalid",
	"valid", "read-only", "read-write", "first-letter", "first-line", "marker", "autofill",
}

// cssPseudo reports whether s[i:], right after a ':', is a CSS pseudo-class or
// pseudo-element that ends there (at the end of s or before a byte that is no part of
// a name): then the ':' is a selector's (.card:first-child), not the separator of a
// name: value pair, and what follows is a CSS keyword, no secret.
func cssPseudo(s string, i int) bool {
	if i < len(s) && s[i] == ':' {
		i++ // ::before
	}
	j := i
	for j < len(s) && (isLetter(s[j]) || s[j] == '-') {
		j++
	}
	if j == i || j < len(s) && ('0' <= s[j] && s[j] <= '9' || s[j] == '_' || s[j] == '%') {
		return false // hover2, active_key: a longer word
	}
	for _, p := range cssPseudos {
		if strings.EqualFold(s[i:j], p) {
			return true
		}
	}
	return false
}

// nameBefore returns the name written just before the separator at s[sep]: a quoted
// name ("password", 'pin', \"token\"), or a run of name bytes (letters, digits, _ - . [
// ] %), spaces and tabs between them skipped. A name whose opening quote is cut off is
// returned from where s starts.
func nameBefore(s string, sep int) string {
	k := sep
	for k > 0 && (s[k-1] == ' ' || s[k-1] == '\t') {
		k--
	}
	lo := max(0, k-maxSecretName)
	if k > 0 && (s[k-1] == '"' || s[k-1] == '\'') {
		end := k - 1
		name := s[lo:end]
		if open := strings.LastIndexByte(name, s[end]); open >= 0 {
			name = name[open+1:]
		}
		return strings.TrimSuffix(name, `\`)
	}
	end := k
	for k > lo && isNameByte(s[k-1]) {
		k--
	}
	return s[k:end]
}

func isNameByte(c byte) bool {
	return isLetter(c) || '0' <= c && c <= '9' || c == '_' || c == '-' || c == '.' || c == '[' || c == ']' || c == '%'
}

// valueAfter returns the range of the value that starts at s[i] (spaces and tabs
// skipped): see RedactText for where it ends.
func valueAfter(s string, i int) (int, int) {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	if i == len(s) {
		return i, i
	}
	switch c := s[i]; {
	case c == '"' || c == '\'':
		return i + 1, closingQuote(s, i+1, c)
	case c == '\\' && i+1 < len(s) && (s[i+1] == '"' || s[i+1] == '\''):
		// \"...\": a quoted value inside a JSON string.
		end := strings.Index(s[i+2:], s[i:i+2])
		if end < 0 {
			return i + 2, len(s)
		}
		return i + 2, i + 2 + end
	case c == '{' || c == '[':
		return i, matchingBracket(s, i)
	}
	j := i
	for j < len(s) && !bareValueEnd(s[j]) {
		j++
	}
	return i, j
}

func bareValueEnd(c byte) bool {
	switch c {
	case '&', ';', ',', '"', '\'', '<', '>', ')', ']', '}', '\r', '\n':
		return true
	}
	return false
}

// closingQuote returns the index of the quote q that closes a string starting at s[i],
// or len(s).
func closingQuote(s string, i int, q byte) int {
	for ; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case q:
			return i
		}
	}
	return len(s)
}

// matchingBracket returns the index after the bracket that closes the one at s[i]
// (brackets inside double-quoted strings ignored), or len(s).
func matchingBracket(s string, i int) int {
	depth := 0
	for ; i < len(s); i++ {
		switch s[i] {
		case '{', '[':
			depth++
		case '}', ']':
			if depth--; depth == 0 {
				return i + 1
			}
		case '"':
			i = closingQuote(s, i+1, '"')
		}
	}
	return len(s)
}

// xmlElementValue returns the range of the content of the element whose start tag opens
// at s[i], when its name looks secret: from after the start tag to its closing tag, or
// to the end of s. It returns an empty range otherwise (an empty element, a tag cut
// short).
func xmlElementValue(s string, i int) (int, int) {
	j := i + 1
	if j >= len(s) || !isLetter(s[j]) && s[j] != '_' {
		return 0, 0
	}
	for j < len(s) && (isNameByte(s[j]) && s[j] != '%' && s[j] != '[' && s[j] != ']' || s[j] == ':') {
		j++
	}
	name := s[i+1 : j]
	if !LooksSecret(name) {
		return 0, 0
	}
	gt := strings.IndexByte(s[j:], '>')
	if gt < 0 || s[j+gt-1] == '/' {
		return 0, 0
	}
	start := j + gt + 1
	end := strings.Index(s[start:], "</"+name)
	if end < 0 {
		return start, len(s)
	}
	return start, start + end
}

// userinfoPassword returns the range of the password in the user information of a URL
// whose authority starts at s[i] (after "://"), or an empty range.
func userinfoPassword(s string, i int) (int, int) {
	end := i
	for end < len(s) {
		c := s[end]
		if c == '/' || c == '?' || c == '#' || c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '"' || c == '\'' || c == '<' || c == '>' {
			break
		}
		end++
	}
	at := strings.LastIndexByte(s[i:end], '@')
	if at < 0 {
		return 0, 0
	}
	colon := strings.IndexByte(s[i:i+at], ':')
	if colon < 0 {
		return 0, 0
	}
	return i + colon + 1, i + at
}

// ContainsFold reports whether s contains the lower-case ASCII word w, ignoring ASCII
// case. The parser uses it on names too.
func ContainsFold[T string | []byte](s T, w string) bool {
	n := len(w)
	for i := 0; i+n <= len(s); i++ {
		j := 0
		for ; j < n; j++ {
			c := s[i+j]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != w[j] {
				break
			}
		}
		if j == n {
			return true
		}
	}
	return false
}

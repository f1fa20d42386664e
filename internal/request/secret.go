package request

// Redacted replaces the fragment of a signal found in a secret-looking parameter.
const Redacted = "[redacted]"

// secretWords are the name parts that mark a parameter whose value must not be copied
// into events or logs: a fragment of a password that happened to look like SQL is still
// a password.
var secretWords = [...]string{
	"pass", "pwd", "secret", "token", "apikey", "api_key", "api-key", "credential",
	"session", "sessid", "csrf", "xsrf", "otp", "ssn", "card", "cvv", "cvc", "iban",
	"private", "signature", "jwt", "bearer", "cookie",
}

// LooksSecret reports whether a parameter name looks like it holds a secret: it contains
// one of secretWords, ASCII case-insensitively ("user.password", "X-Api-Key",
// "PHPSESSID", "card_number").
func LooksSecret(name string) bool {
	if len(name) < 3 {
		return false
	}
	for _, w := range secretWords {
		if ContainsFold(name, w) {
			return true
		}
	}
	// "auth" (auth_code, X-Auth, authorization), but not a comment's "author".
	return ContainsFold(name, "auth") &&
		(!ContainsFold(name, "author") || ContainsFold(name, "authoriz"))
}

// RedactSecrets blanks the fragments of the signals found in secret-looking parameters.
func (r *Request) RedactSecrets() {
	for i := range r.Signals {
		s := &r.Signals[i]
		if s.Fragment != "" && s.Fragment != Redacted && LooksSecret(s.Param) {
			s.Fragment = Redacted
		}
	}
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

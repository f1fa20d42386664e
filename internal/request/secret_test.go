package request

import "testing"

func TestLooksSecret(t *testing.T) {
	for _, tc := range []struct {
		name string
		want bool
	}{
		{"password", true}, {"user.password", true}, {"X-Api-Key", true}, {"api_key", true},
		{"PHPSESSID", true}, {"csrf_token", true}, {"card_number", true}, {"Cookie", true},
		{"client_secret", true}, {"otp", true}, {"auth.bearer", true},
		{"q", false}, {"search", false}, {"user.name", false}, {"comment", false},
		{"path[0]", false}, {"author", false}, {"post.author.name", false}, {"authorization_code", true}, {"X-Auth-Token", true}, {"User-Agent", false}, {"email", false}, {"id", false},
	} {
		if got := LooksSecret(tc.name); got != tc.want {
			t.Errorf("LooksSecret(%q) = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestRedactSecrets(t *testing.T) {
	r := &Request{Signals: []Signal{
		{Name: "SQLI", Source: SourceForm, Param: "password", Fragment: "x' or 1=1--"},
		{Name: "SQLI", Source: SourceForm, Param: "login", Fragment: "admin'--"},
		{Name: "OVERSIZE"},
	}}
	r.RedactSecrets()
	if r.Signals[0].Fragment != Redacted || r.Signals[1].Fragment != "admin'--" || r.Signals[2].Fragment != "" {
		t.Errorf("after redaction: %+v", r.Signals)
	}
}

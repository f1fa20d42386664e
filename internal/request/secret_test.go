package request

import (
	"strings"
	"testing"
)

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
		// The whole list, as docs/signals.md gives it.
		{"passcode", true}, {"passphrase", true}, {"new_pwd", true}, {"private_key", true}, {"totp", true},
		{"cvv", true}, {"cvc2", true}, {"iban", true}, {"x-signature", true}, {"jwt", true}, {"credentials", true},
		{"xsrf", true}, {"sessionid", true},
		// Short words count as a whole word of the name only.
		{"pin", true}, {"PIN", true}, {"user_pin", true}, {"newPin", true}, {"PINCode", true}, {"pin_code", true},
		{"pincode", true}, {"card.pin2", true}, {"ssn", true}, {"customerSSN", true}, {"ssn_last4", true}, {"SSNumber", true}, {"x-ssnumber", true},
		{"shipping", false}, {"spinner", false}, {"opinion", false}, {"mapping", false}, {"pinned", false},
		{"typing", false}, {"classname", false}, {"className", false}, {"crossnet", false},
	} {
		if got := LooksSecret(tc.name); got != tc.want {
			t.Errorf("LooksSecret(%q) = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestRedactSecrets(t *testing.T) {
	r := &Request{
		Params: []Param{
			{Source: SourceBody, Value: `{"password":"MyRealPassw0rd","user":"bob' OR 1=1--","x":"` + strings.Repeat("a", 40) + `"`},
		},
		Signals: []Signal{
			{Name: "SQLI", Source: SourceForm, Param: "password", Fragment: "x' or 1=1--"},
			{Name: "SQLI", Source: SourceForm, Param: "login", Fragment: "admin'--"},
			{Name: "OVERSIZE"},
			{Name: "SQLI", Source: SourceMessage, Fragment: "user=x' or 1=1--&password=hunter2"},
			// Cut out of the body, starting inside the password: only the body tells.
			{Name: "SQLI", Source: SourceBody, Fragment: `ssw0rd","user":"bob' OR 1=1--"`},
		},
	}
	r.RedactSecrets()
	want := []string{Redacted, "admin'--", "", "user=x' or 1=1--&password=" + Redacted, Redacted + `","user":"bob' OR 1=1--"`}
	for i, w := range want {
		if got := r.Signals[i].Fragment; got != w {
			t.Errorf("signal %d: fragment %q, want %q", i, got, w)
		}
	}
}

func TestRedactText(t *testing.T) {
	const R = Redacted
	for _, tc := range []struct{ in, want string }{
		// Form and query strings, cookies, URLs.
		{"user=x' or 1=1--&password=hunter2", "user=x' or 1=1--&password=" + R},
		{"http://a.example/login?user=x'--&password=hunter2&next=/", "http://a.example/login?user=x'--&password=" + R + "&next=/"},
		{"a=1; PHPSESSID=abc123; lang=en", "a=1; PHPSESSID=" + R + "; lang=en"},
		{"user%5Bpassword%5D=s3cret&q=1", "user%5Bpassword%5D=" + R + "&q=1"},
		{"next=%2Flogin%3Fpassword%3Dhunter2", "next=%2Flogin%3Fpassword%3D" + R},
		{"pin=1234&amount=10", "pin=" + R + "&amount=10"},
		{"password=&user=x", "password=&user=x"},
		// JSON, complete, cut short, nested and inside a JSON string.
		{`{"user":"bob' OR 1=1--","password":"MyRealPassw0rd"`, `{"user":"bob' OR 1=1--","password":"` + R + `"`},
		{`{"password" : "a\"b","otp": 123456}`, `{"password" : "` + R + `","otp": ` + R + `}`},
		{`{"user":"x","password":"MyRealPa`, `{"user":"x","password":"` + R},
		{`{"credentials":{"user":"x","pw":"y"},"q":"' or 1=1"}`, `{"credentials":` + R + `,"q":"' or 1=1"}`},
		{`{"data":"{\"token\":\"abc\",\"q\":1}"}`, `{"data":"{\"token\":\"` + R + `\",\"q\":1}"}`},
		{`{'api_key': 'k-123', 'q': 1}`, `{'api_key': '` + R + `', 'q': 1}`},
		// Header-like lines.
		{"X-Api-Key: abc def\r\nHost: x", "X-Api-Key: " + R + "\r\nHost: x"},
		// XML elements, attributes and CDATA.
		{"<login><user>bob' OR 1=1--</user><password>MyRealPassw0rd</password></login>", "<login><user>bob' OR 1=1--</user><password>" + R + "</password></login>"},
		{"<a:Password><![CDATA[x<y]]></a:Password>", "<a:Password>" + R + "</a:Password>"},
		{`<login user="x" password="hunter2"/>`, `<login user="x" password="` + R + `"/>`},
		{"<password>MyRealPass", "<password>" + R},
		{"<password/><q>1</q>", "<password/><q>1</q>"},
		// URL user information.
		{"ftp://admin:hunter2@files.example/x", "ftp://admin:" + R + "@files.example/x"},
		{"http://user@host.example:8080/", "http://user@host.example:8080/"},
		// CSS selectors: a pseudo-class after a secret-looking class name is no value.
		{"document.querySelector('#main > .card:first-child')", "document.querySelector('#main > .card:first-child')"},
		{"input.password:focus, .token::before { color: red }", "input.password:focus, .token::before { color: red }"},
		{"li.card:nth-child(2)", "li.card:nth-child(2)"},
		// A value that only starts like a pseudo-class is redacted.
		{"card:hover2", "card:" + R},
		{"token:focused123", "token:" + R},
		{"password:hover_x", "password:" + R},
		{"card: 4111111111111111", "card: " + R},
		// Nothing secret: unchanged.
		{"author=Jane&q=' or 1=1", "author=Jane&q=' or 1=1"},
		{"shipping=express&x=<script>", "shipping=express&x=<script>"},
		{"SELECT * FROM users WHERE id=1", "SELECT * FROM users WHERE id=1"},
		{"<script>alert(document.domain)</script>", "<script>alert(document.domain)</script>"},
		// Already redacted: unchanged.
		{"password=" + R + "&x=1", "password=" + R + "&x=1"},
		{`"token":"` + R + `"`, `"token":"` + R + `"`},
	} {
		if got := RedactText(tc.in); got != tc.want {
			t.Errorf("RedactText(%q)\n = %q\nwant %q", tc.in, got, tc.want)
		}
	}
}

func TestRedactFragment(t *testing.T) {
	const R = Redacted
	body := `{"password":"MyRealPassw0rd","user":"bob' OR 1=1--"}`
	for _, tc := range []struct{ text, frag, want string }{
		// The fragment starts inside the value, or inside the name.
		{body, `Passw0rd","user":"bob' OR 1=1--"}`, R + `","user":"bob' OR 1=1--"}`},
		{body, `word":"MyRealPassw0rd","user"`, `word":"` + R + `","user"`},
		// The fragment ends inside the value.
		{body, `{"password":"MyReal`, `{"password":"` + R},
		// No secret in the window.
		{body, `"user":"bob' OR 1=1--"}`, `"user":"bob' OR 1=1--"}`},
		// Not part of the text: redacted on its own.
		{body, "pin=1234", "pin=" + R},
		{"", "token=abc", "token=" + R},
	} {
		if got := RedactFragment(tc.text, tc.frag); got != tc.want {
			t.Errorf("RedactFragment(%q, %q)\n = %q\nwant %q", tc.text, tc.frag, got, tc.want)
		}
	}
}

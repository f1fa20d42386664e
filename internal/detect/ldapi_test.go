package detect

import (
	"testing"

	"github.com/rampartwaf/rampart/internal/request"
)

func TestLDAPi(t *testing.T) {
	tests := []struct {
		name  string
		value string
		want  bool
	}{
		{"close and or", "*)(uid=*))(|(uid=*", true},
		{"absolute true", "admin)(&)", true},
		{"close and assert", "printer)(uid=*)", true},
		{"negation", "x)!(sn=*", true},
		{"and operator", "val)&(cn=admin", true},
		{"spaces", "test) ( & ", true},
		{"tabs", "test)\t(\t|", true},
		{"greater or equal", "aaa*)(cn>=bob)", true},
		{"approx", "john)(sn~=smith", true},
		{"double close", "test))(&(objectClass=*", true},
		{"nested or", "admin*)((|userPassword=*)", true},
		{"wildcard or", "*(|(mail=*))", true},
		{"objectclass presence", "*(objectClass=*)", true},
		{"nul cut", "admin*))\x00", true},
		{"meta only", "*()|&'", true},
		{"meta only two", ")(|(&", true},
		{"oid attribute", "x)(1.2.840.113556.1.4.221=*", true},
		// benign
		{"prose parens", "(see above)(and below)", false},
		{"formula", "(a+b)*c", false},
		{"expression", "(1+2)+(3+4)", false},
		{"curried call", "f(x)(y=2)", false},
		{"code negation", "if (!(a == b)) return;", false},
		{"code address", "memcpy(&(s.x), p, n)", false},
		{"search pipe", "foo|bar", false},
		{"wildcard search", "admin*", false},
		{"star", "*", false},
		{"smiley", "great :) (really)", false},
		{"whole filter", "(&(objectCategory=computer)(userAccountControl:1.2.840.113556.1.4.803:=8192))", false},
		{"whole filter two clauses", "(userAccountControl:1.2.840.113556.1.4.803:=67108864)(&(objectCategory=group))", false},
		{"whole presence filter", "(objectClass=*)", false},
		{"sid filter", "(objectSID=S-1-5-21-1111)", false},
		{"phone", "(555) 123-4567", false},
		{"list", "1) apples (red) 2) pears", false},
		{"markdown link", "[docs](https://example.com/a_(b))", false},
		{"emoji text", "ok :-) (x=1 is fine)", false},
		{"ampersand", "Tom & Jerry (1940)", false},
		{"changelog", "by Marco Trevisan) (!2814, !2827)", false},
		{"minified js", "if(!(percent>=0&&percent<=1)){throw e}", false},
		{"negated digit", "x)(!2896)", false},
		{"html entity", "if elements are moderate-sized (&lt;= 1 KiB)", false},
		{"rust range", "assert!(!(3..=5).contains(&2));", false},
		{"extensible match breakout", "x)(userAccountControl:1.2.840.113556.1.4.803:=2", true},
		{"options attribute", "x)(cn;lang-en=*", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &request.Param{Source: request.SourceForm, Name: "user", Value: tt.value}
			f, got := matchLDAPi(p, tt.value)
			if got != tt.want {
				t.Errorf("matchLDAPi(%q) = %v (%q), want %v", tt.value, got, f, tt.want)
			}
		})
	}
}

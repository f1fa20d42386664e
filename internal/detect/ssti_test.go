package detect

import (
	"testing"

	"github.com/rampartwaf/rampart/internal/request"
)

func TestSSTI(t *testing.T) {
	tests := []struct {
		name  string
		value string
		want  bool
	}{
		// Template expressions.
		{"jinja arithmetic", "{{ 6*9 }}", true},
		{"string times", "{{5*'5'}}", true},
		{"dollar arithmetic", "${ 12 * 3 }", true},
		{"ruby interpolation", "#{8+8}", true},
		{"erb arithmetic", "<%= 9*9 %>", true},
		{"thymeleaf inline", "[[ 3*4 ]]", true},
		{"razor", "@(6+6)", true},
		{"nested dollar", "${{4*4}}", true},
		{"dunder walk", "{{ ().__class__.__bases__[0] }}", true},
		{"globals walk", "{{ lipsum.__globals__.os.popen('id').read() }}", true},
		{"attr filter", "{{ request|attr('application') }}", true},
		{"literal receiver", "{{ \"x\".upper() }}", true},
		{"empty list class", "{{ [].class.forName('x') }}", true},
		{"config probe", "{{config}}", true},
		{"self probe", "{{ self }}", true},
		{"config method", "{{ config.from_envvar('X') }}", true},
		{"loop over config", "{% for k in config.items() %}{{k}}{% endfor %}", true},
		{"constant condition", "{% if true %}x{% endif %}", true},
		{"erb statement", "<% if 1 %>x<% end %>", true},
		{"twig dump", "{{ dump(app) }}", true},
		{"twig filter system", "{{ ['uname']|map('system')|join }}", true},
		{"twig options", "{{ x.filter(0,0,1,{'options':'passthru'}) }}", true},
		{"mako module", "${self.module.cache.util.os.system('id')}", true},
		{"spel", "${T(java.lang.Runtime).getRuntime().exec('id')}", true},
		{"thymeleaf selection", "*{T(java.lang.System).getenv()}", true},
		{"freemarker new", `<#assign x="freemarker.template.utility.Execute"?new()>${x("id")}`, true},
		{"freemarker square", "[#assign x = 'a'?new()]", true},
		{"velocity", "#set($c = $x.getClass().forName('java.lang.Runtime'))", true},
		{"erb file read", "<%= File.read('/etc/hosts') %>", true},
		{"erb backticks", "<%= `uname` %>", true},
		{"ruby interp exec", "#{runtime.exec('ls')}", true},
		{"smarty version", "{$smarty.version}", true},
		{"handlebars constructor", "{{#with this.constructor}}x{{/with}}", true},
		{"perl interpolation", "@{[ qx(id) ]}", true},
		{"perl interpolation spaced", "x @{ [ 1 ] } y", true},
		// Node.js and others.
		{"node serialize", `{"x":"_$$ND_FUNC$$_function(){}()"}`, true},
		{"funcster", "__js_function", true},
		{"child process", "require('child_process').execSync('id')", true},
		{"child process split", "f=require;m='child_process';f(m).fork('x')", true},
		{"main module", "process.mainModule.require('fs')", true},
		{"process env", "process.env", true},
		{"process bracket", "process['env']", true},
		{"process binding", "process.binding('spawn_sync')", true},
		{"require main", "require.main.require('os')", true},
		{"load", "global.process.mainModule.constructor._load('fs')", true},
		{"constructor chain", "''.constructor.constructor('return this')()", true},
		{"new function", "new Function('return 1')()", true},
		{"function string", "Function(\"return process\")()", true},
		{"eval charcode", "eval(String.fromCharCode(97,98))", true},
		{"console probe", "console.log(1337)", true},
		{"console bracket", "console['warn'](2)", true},
		{"module exports", "module.exports = {}", true},
		{"flight reference", `{"get":"$1:constructor:constructor"}`, true},
		{"loop true", "while(true){}", true},
		{"loop not zero", "while (!0);", true},
		{"loop infinity", "while(-Infinity)", true},
		{"loop for", "for(;;){}", true},
		{"loop nested parens", "while((1)))", true},
		{"ruby spawn", "Process.spawn('id')", true},
		{"ruby popen", "IO.popen('uname').read", true},
		{"ruby percent x", "%x(whoami)", true},
		{"ruby yaml", "--- !ruby/object:Gem::Installer\ni: x", true},
		{"python import", "__import__('os').system('id')", true},
		{"python subprocess", "subprocess.check_output(['id'])", true},
		// Benign.
		{"jinja variable", "{{ name }}", false},
		{"vue expression", "{{ items.length }}", false},
		{"filter", "{{ user.name|upper }}", false},
		{"handlebars each", "{{#each items}}{{this}}{{/each}}", false},
		{"jsx props", "menu={{ items }}", false},
		{"erb title", "<%= title %>", false},
		{"ruby interp var", "#{name}", false},
		{"template variable", "Total: ${total}", false},
		{"mustache method", "{{ user.getName() }}", false},
		{"variable arithmetic", "{{ price * qty }}", false},
		{"date range", "{{2020-2021}}", false},
		{"wiki link", "[[Main Page]]", false},
		{"wiki number", "[[2024]]", false},
		{"razor email", "mail me @(home)", false},
		{"less variable", "@{color}", false},
		{"velocity plain", "#set($name = 'Bob')", false},
		{"json dunder key", `{"__topic__":"metrics","__logs__":[]}`, false},
		{"prose process", "the process. then", false},
		{"prose console", "console. log", false},
		{"stack trace", "TypeError: x\n    at Console.log (node:internal)", false},
		{"console in text", "I typed console.log(x) and nothing", false},
		{"while prose", "while (foo) is bar.", false},
		{"while false", "while(!true);", false},
		{"while variable", "while (idx < this.length) {", false},
		{"child process prose", "child_process is a module", false},
		{"css", "div[data-value=\"test\"]", false},
		{"markdown link", "[link](https://example.com)", false},
		{"perl hash", "$hash{key}=[1,2,3]", false},
		{"json array", `{"array":[1,2,3]}`, false},
		{"email", "user@example.com", false},
		{"money template", "Save ${amount} today", false},
		{"xml", `<?xml version="1.0"?><a>{{x}}</a>`, false},
		{"binary braces", "\x01{{\x02\x03}}", false},
		{"percent", "100% {sure}", false},
		{"module word", "module.exports is how you export", false},
		{"os name", "macos.system(s) prefs", false},
		{"freemarker plain", "<#if user??>Hi</#if>", false},
		{"for loop", "{% for item in items %}{{ item }}{% endfor %}", false},
		{"if variable", "{% if user.is_admin %}x{% endif %}", false},
		{"copyright year", "{{ new Date().getFullYear() }}", false},
		{"school class", "{{ row.class.name }}", false},
		{"translation key", "{{ $t('system') }}", false},
		{"constructor id", "{{ item.constructor_id }}", false},
		{"g variable", "{{ g }}", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &request.Param{Source: request.SourceForm, Name: "v", Value: tt.value}
			f, got := matchSSTI(p, tt.value)
			if got != tt.want {
				t.Errorf("matchSSTI(%q) = %v (%q), want %v", tt.value, got, f, tt.want)
			}
		})
	}
}

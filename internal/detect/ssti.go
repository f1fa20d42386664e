package detect

import (
	"strings"

	"github.com/rampartwaf/rampart/internal/request"
)

// CODEINJECTION (templates and script languages): server-side template injection, and
// code injection into Node.js, Ruby, Perl and Python evaluation.
//
// Template syntax alone is not an attack: a CMS field holding "{{ name }}", a Vue
// template with "{{ items.length }}" or an ERB snippet "<%= title %>" passes. Inside a
// template delimiter ({{ }}, {% %}, ${ }, #{ }, *{ }, %{ } (OGNL), <% %>, [[ ]], [( )],
// @( ), <# >, [# ], {$ }, Velocity's #set( ), Thymeleaf's __${ }__, $\{ } and $\A{ } with the
// backslash an EL interpolator drops (Nexus), OGNL's '+{ }+' concatenated between the quotes
// of an evaluated string (Confluence)) the expression must be one an attacker sends:
//
//   - an arithmetic probe on literals: {{7*7}}, ${3*3}, <%= 7 * 7 %>, {{7*'7'}}, @(1+2);
//   - a walk to the interpreter: Python dunders (__class__, __globals__, __mro__...), Java
//     reflection (.getClass(), forName, T(java.lang.Runtime)), a constructor, a method
//     called on a literal ('a'.toUpperCase(), [].class), Jinja's |attr() filter;
//   - a call of a command or code function (system, popen, exec, spawn, eval,
//     __import__, File.open...), or a string naming one handed to a filter or an option
//     (|filter('system'), {'options':'passthru'});
//   - the objects template probes dump: {{config}}, {{self}}, {{request}}, dump(app),
//     app.request.server, {$smarty.version}, Mako's self.module, Flask's upper-case
//     config keys (config.SECRET_KEY), the signing key (SECRET_KEY,
//     app.secret_key, messages.storages.0.signer.key), {% debug %} and {% get_admin_log %}, Go's {{.}}
//     and {{printf "%s" .}} outside a template with blocks, FreeMarker's .data_model
//     and ?api;
//   - in Razor (@(...) and @System...(...)), .NET calls that run a process, load code
//     or write files (System.Diagnostics.Process.Start, System.IO.File.*,
//     Assembly.Load);
//   - FreeMarker's ?new() and utility classes, and a statement on a constant condition
//     ({% if True %}).
//
// Outside templates, the constructs of each language that only an injection sends:
//
//   - Node.js: the node-serialize marker _$$ND_FUNC$$_ and __js_function,
//     require('child_process'), process.mainModule / .binding / .env / process[...],
//     require.main, module.constructor._load, constructor.constructor, new Function(,
//     eval(String.fromCharCode(, a console call as the whole value, module.exports=,
//     React Flight references walking to a constructor ("$1:constructor:constructor"),
//     and a loop on a constant (while(true), while(!0), for(;;)) that hangs the event loop;
//   - Ruby: Process.spawn(, Kernel.exec(, IO.popen(, Open3.*, PTY.spawn(, %x(...), and
//     YAML object tags (!ruby/object:);
//   - Perl: the @{[ ... ]} interpolation that runs code inside a string;
//   - Python: __import__(, os.system(, os.popen(, subprocess.*( ; in a Python
//     program (several lines, one an import: an upload, a notebook cell) a subprocess
//     call is its own when its arguments are a list literal opening with a string that
//     names a program other than a shell, an interpreter, a fetcher, a network tool or
//     a recon command (subprocess.run(["wc", "-l", path])), with no shell=True or URL;
//     os.system, os.popen, os.exec*, pty.spawn and a computed command always count
//     (os.system('clear') excepted).
//
// Not matched: template variables and filters ({{ user.name|upper }}, ${total},
// #{name}), method calls on variables or call results ({{ user.getName() }},
// {{ new Date().getFullYear() }}), translation keys ({{ $t('system') }}), Handlebars
// blocks ({{#each items}}), JSX props (menu={{ items }}), an unclosed delimiter, one
// around binary data or around random tokens with a bracket or quote left open (bot
// sensor data: no engine parses that), JSON keys such as __topic__, a console call inside a longer text,
// and a while loop on a variable or on a falsy constant (while(!!"") never runs).

func init() {
	registerValueFiltered(CODEINJECTION, valueNeed{minLen: 4, any: classesOf("{<[@#$_(%!.")},
		func(p *request.Param, v string, _ byteClass) (string, bool) { return matchSSTI(p, v) })
}

// Bytes that open anything this file looks for.
var sstiTrigger = [256]bool{
	'{': true, '<': true, '[': true, '@': true, '#': true, '$': true, '_': true, '(': true,
	'%': true, '!': true, '.': true,
}

func matchSSTI(p *request.Param, v string) (string, bool) {
	if len(v) < 4 {
		return "", false
	}
	hit := false
	for i := 0; i < len(v); i++ {
		if sstiTrigger[v[i]] {
			hit = true
			break
		}
	}
	if !hit {
		return "", false
	}
	if f, ok := templateExpr(v); ok {
		return f, true
	}
	if f, ok := scriptInjection(p, v); ok {
		return f, true
	}
	return "", false
}

// ---- template expressions ----

// templateExpr finds each template delimiter in v and judges the expression inside.
func templateExpr(v string) (string, bool) {
	regions := 0
	for i := 0; i+1 < len(v) && regions < maxRegions; i++ {
		if !templateOpeners[v[i]] {
			continue
		}
		c, d := v[i], v[i+1]
		var inner string
		var end int
		kind := tkExpr
		switch {
		case c == '{' && d == '{':
			inner, end = innerUntil(v, i+2, "}}")
		case c == '{' && d == '%':
			inner, end = innerUntil(v, i+2, "%}")
			kind = tkStmt
		case c == '$' && d == '\\':
			// $\{7*7}, $\A{...}: a backslash (and one letter) between the sigil and the
			// brace, which some EL interpolators drop (Nexus's Hibernate Validator messages)
			k := i + 2
			if k < len(v) && isAlpha(v[k]) {
				k++
			}
			if k >= len(v) || v[k] != '{' {
				continue
			}
			inner, end = innerBraced(v, k, '{', '}')
		case c == '+':
			// '+{233*233}+': an OGNL list expression concatenated between the quotes of
			// a string the server evaluates (Confluence's queryString)
			k := skipSpaces(v, i+1)
			if k >= len(v) || v[k] != '{' || !sstiConcatOpen(v, i) {
				continue
			}
			inner, end = innerBraced(v, k, '{', '}')
			if !sstiConcatClose(v, end) {
				continue
			}
		case (c == '$' || c == '#' || c == '*' || c == '@' || c == '~' || c == '%') && d == '{':
			if c == '@' {
				// Perl's @{[ ... ]} runs code.
				if k := skipSpaces(v, i+2); k < len(v) && v[k] == '[' {
					return around(v, i, k+1), true
				}
			}
			inner, end = innerBraced(v, i+1, '{', '}')
		case c == '{' && d == '$':
			inner, end = innerBraced(v, i, '{', '}')
			if hasPrefixFold(inner, "$smarty.") {
				return around(v, i, end), true
			}
		case c == '<' && d == '%':
			k := i + 2
			if k < len(v) && (v[k] == '=' || v[k] == '-' || v[k] == '#') {
				k++
			}
			inner, end = innerUntil(v, k, "%>")
			kind = tkStmt
		case c == '[' && d == '[':
			inner, end = innerUntil(v, i+2, "]]")
		case c == '[' && d == '(':
			inner, end = innerUntil(v, i+2, ")]")
		case c == '@' && d == '(':
			inner, end = innerBraced(v, i+1, '(', ')')
			kind = tkArith
		case c == '@' && isAlpha(d) && (i == 0 || !isIdent(v[i-1]) && v[i-1] != '.'):
			// Razor's implicit expression: @System.Diagnostics.Process.Start("cmd").
			k := i + 1
			for k < len(v) && k-i < 80 && (isIdent(v[k]) || v[k] == '.') {
				k++
			}
			if k < len(v) && v[k] == '(' && dotnetExec(v[i+1:k+1]) {
				return around(v, i, k+1), true
			}
			continue
		case (c == '<' || c == '[') && d == '#':
			closer := byte('>')
			if c == '[' {
				closer = ']'
			}
			k := strings.IndexByte(window(v, i+2, 512), closer)
			if k < 0 {
				continue
			}
			inner, end = v[i+2:i+2+k], i+3+k
			kind = tkStmt
		case c == '#' && (hasPrefixFold(v[i+1:], "set") || hasPrefixFold(v[i+1:], "foreach") || hasPrefixFold(v[i+1:], "if")):
			// Velocity: #set($x = ...), #foreach(...), #if(...).
			k := i + 1
			for k < len(v) && isAlpha(v[k]) {
				k++
			}
			k = skipSpaces(v, k)
			if k >= len(v) || v[k] != '(' {
				continue
			}
			inner, end = innerBraced(v, k, '(', ')')
			kind = tkStmt
		default:
			continue
		}
		regions++ // every opener scanned counts, closed or not
		if inner == "" {
			continue
		}
		if sstiInner(inner, kind) {
			return around(v, i, end), true
		}
		if c == '{' && d == '{' && goDotDump(inner) && !goTemplateSource(v) {
			return around(v, i, end), true
		}
	}
	return "", false
}

// sstiConcatOpen reports whether the '+' at v[i] follows a quote, spaces allowed: the
// start of a concatenation out of a string ('+{...}).
func sstiConcatOpen(v string, i int) bool {
	j := i - 1
	for j >= 0 && v[j] == ' ' {
		j--
	}
	return j >= 0 && (v[j] == '\'' || v[j] == '"')
}

// sstiConcatClose reports whether v[end:] continues the concatenation back into a
// string: a '+' and a quote, spaces allowed.
func sstiConcatClose(v string, end int) bool {
	j := skipSpaces(v, end)
	if j >= len(v) || v[j] != '+' {
		return false
	}
	j = skipSpaces(v, j+1)
	return j < len(v) && (v[j] == '\'' || v[j] == '"')
}

// maxRegions bounds the template openers scanned in one value, so that a value made of
// openers costs linear time.
const maxRegions = 64

// templateOpeners are the first bytes of template delimiters.
var templateOpeners = [256]bool{
	'{': true, '$': true, '#': true, '*': true, '@': true, '~': true, '<': true, '[': true,
	'%': true, '+': true,
}

// Kinds of template regions.
const (
	tkExpr  = iota // an expression: {{ }}, ${ }, #{ }
	tkStmt         // a statement: {% %}, <% %>, <# >, #set( )
	tkArith        // Razor's @( ): only an arithmetic probe counts
)

// innerUntil returns the text between v[i] and the closer (at most 512 bytes; empty when
// the closer is missing) and the index after the closer.
func innerUntil(v string, i int, closer string) (string, int) {
	if i > len(v) {
		return "", i
	}
	k := strings.Index(window(v, i, 512+len(closer)), closer)
	if k < 0 {
		return "", i
	}
	return v[i : i+k], i + k + len(closer)
}

// innerBraced returns the text inside the bracket opening at v[i] (nesting counted, at
// most 2 KiB; empty when unclosed) and the index after it.
func innerBraced(v string, i int, open, close byte) (string, int) {
	return bracedWithin(v, i, open, close, 2048)
}

// sstiInner judges the expression inside a template delimiter.
func sstiInner(in string, kind int) bool {
	s := strings.TrimSpace(in)
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7f {
			return false // binary data, not a template
		}
	}
	if !sstiBalanced(s) {
		// random tokens (bot-detection sensor data, ciphertext in a custom alphabet)
		// that happen to open with a delimiter: no template engine parses an
		// expression with a bracket or a quote left open, so it cannot run
		return false
	}
	if arithmeticProbe(s) {
		return true
	}
	if kind == tkArith {
		return dotnetExec(s)
	}
	if kind == tkStmt {
		// Django's {% debug %} dumps the context, {% get_admin_log %} the admin's
		// history with its users.
		if strings.EqualFold(s, "debug") || hasPrefixFold(s, "get_admin_log ") {
			return true
		}
		// {% if True %}, <% if 1 %>: a condition no template needs.
		if hasPrefixFold(s, "if") && len(s) > 3 && isSpace(s[2]) {
			c := strings.TrimSpace(s[3:])
			switch strings.ToLower(c) {
			case "true", "false", "1", "0", "1==1", "1 == 1", "7*7", "not false":
				return true
			}
		}
	}
	if kind == tkStmt && hasPrefixFold(s, "for") {
		// {% for k, v in config.items() %}: a loop over a template global.
		if k := indexWordFold(s, "in"); k > 0 && templateGlobalProbe(strings.TrimSpace(s[k+2:])) {
			return true
		}
	}
	if interpreterWalk(s) || dangerousCall(s) || namesDangerous(s) || literalReceiver(s) {
		return true
	}
	return templateGlobalProbe(s)
}

// sstiBalanced reports whether the brackets of s pair up and its quotes close, as in
// any expression a template engine parses.
func sstiBalanced(s string) bool {
	var stack [16]byte
	n := 0
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		if quote != 0 {
			if c == '\\' {
				i++
			} else if c == quote {
				quote = 0
			}
			continue
		}
		switch c {
		case '\'', '"', '`':
			quote = c
		case '(', '[', '{':
			if n == len(stack) {
				return true // deeper than any sensor noise nests: judge it
			}
			stack[n] = c
			n++
		case ')', ']', '}':
			open := byte('(')
			if c == ']' {
				open = '['
			} else if c == '}' {
				open = '{'
			}
			if n == 0 || stack[n-1] != open {
				return false
			}
			n--
		}
	}
	return n == 0 && quote == 0
}

// arithmeticProbe reports whether s is arithmetic on literals only: "7*7", "3 * 3",
// "7*'7'", "1+2". At least one of * + / % must appear.
func arithmeticProbe(s string) bool {
	nums, ops := 0, 0
	strongOp := false
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case isSpace(c):
			i++
		case isDigit(c):
			for i < len(s) && (isDigit(s[i]) || s[i] == '.') {
				i++
			}
			nums++
		case c == '\'' || c == '"':
			k := strings.IndexByte(s[i+1:], c)
			if k <= 0 {
				return false
			}
			for _, b := range []byte(s[i+1 : i+1+k]) {
				if !isDigit(b) {
					return false
				}
			}
			nums++
			i += k + 2
		case c == '*' || c == '+' || c == '/' || c == '%':
			ops++
			strongOp = true
			i++
		case c == '-' || c == '(' || c == ')':
			if c == '-' {
				ops++
			}
			i++
		default:
			return false
		}
	}
	return nums >= 2 && ops >= 1 && strongOp
}

// pyDunders are the Python special attributes of sandbox escapes.
var pyDunders = []string{
	"__class__", "__mro__", "__subclasses__", "__globals__", "__builtins__", "__import__",
	"__init__", "__base__", "__bases__", "__getitem__", "__dict__", "__code__",
	"__reduce__", "__getattribute__", "__self__", "__func__", "__loader__", "__spec__",
	"__subclasshook__", "__getattr__", "__module__", "__name__", "__call__",
}

// interpreterWalk reports an expression that walks from a value to the interpreter:
// Python dunders, Java reflection (getClass, forName, T(java.lang...)), a constructor,
// Jinja's attr filter, FreeMarker's ?new().
func interpreterWalk(s string) bool {
	if strings.Contains(s, "__") {
		for _, d := range pyDunders {
			if strings.Contains(s, d) {
				return true
			}
		}
	}
	if indexWordFold(s, "constructor") >= 0 {
		return true
	}
	for _, w := range [...]string{
		".getclass(", "forname(", "getruntime", "processbuilder",
		"newinstance(", "getenginebyname", "scriptenginemanager", ".mro(", "subclasses(",
		"|attr(", "| attr(", "?new(", "freemarker.template", "t(java.",
		"t(org.", "t (java.", "@java.lang", "java.lang.runtime", "java.lang.system",
		"objectconstructor", "jythonruntime", "_templatereference", "$class.inspect",
		"class.forname", ".classloader", ".data_model", "?api.",
	} {
		if indexFold(s, w) >= 0 {
			return true
		}
	}
	return false
}

// sstiCalls are functions and methods that run commands or code, or read files, when a
// template calls them.
var sstiCalls = map[string]bool{
	"system": true, "popen": true, "exec": true, "execsync": true, "spawn": true,
	"spawnsync": true, "eval": true, "passthru": true, "shell_exec": true,
	"__import__": true, "import_module": true, "check_output": true, "getoutput": true,
	"popen2": true, "popen3": true, "execfile": true, "readfilesync": true,
	"readdirsync": true, "execfilesync": true, "fork": true, "require": true,
	"instance_eval": true, "class_eval": true, "syscall": true, "getruntime": true,
	"proc_open": true,
}

// dangerousCall reports a call of a command or code function inside s, as a name
// ("system(") or a method ("os.popen(", "runtime.exec("), or File/IO/Dir class methods
// of Ruby ERB payloads.
func dangerousCall(s string) bool {
	for off := 0; off < len(s); {
		k := strings.IndexByte(s[off:], '(')
		if k < 0 {
			break
		}
		open := off + k
		off = open + 1
		e := open
		for e > 0 && isSpace(s[e-1]) {
			e--
		}
		b := e
		for b > 0 && isIdent(s[b-1]) {
			b--
		}
		if b == e || e-b > 20 {
			continue
		}
		var buf [20]byte
		w, _ := lowerWord(buf[:], s, b, isIdent)
		if sstiCalls[string(w)] {
			return true
		}
		if string(w) == "open" || string(w) == "read" || string(w) == "entries" || string(w) == "readlines" {
			if b > 1 && s[b-1] == '.' {
				r := b - 1
				for r > 0 && isIdent(s[r-1]) {
					r--
				}
				switch strings.ToLower(s[r : b-1]) {
				case "file", "io", "dir", "kernel", "os", "open3", "pty":
					return true
				}
			}
		}
	}
	// Backticks run a shell in Ruby and Perl.
	if i := strings.IndexByte(s, '`'); i >= 0 && strings.IndexByte(s[i+1:], '`') > 0 {
		return true
	}
	return false
}

// namesDangerous reports a string literal naming a command function handed to code:
// |filter('system'), |map('passthru'), {'options':'system'}. A translation key
// ({{ t('system') }}) is not.
func namesDangerous(s string) bool {
	for off := 0; off < len(s); {
		k := strings.IndexAny(s[off:], `'"`)
		if k < 0 {
			break
		}
		q := off + k
		e := strings.IndexByte(s[q+1:], s[q])
		if e < 0 {
			break
		}
		lit := s[q+1 : q+1+e]
		off = q + e + 2
		switch strings.ToLower(lit) {
		case "system", "exec", "passthru", "shell_exec", "popen", "eval", "assert",
			"proc_open", "pcntl_exec":
		default:
			continue
		}
		b := q
		for b > 0 && isSpace(s[b-1]) {
			b--
		}
		if b > 0 && s[b-1] == '(' {
			c := b - 1
			for c > 0 && isSpace(s[c-1]) {
				c--
			}
			w := c
			for w > 0 && (isIdent(s[w-1]) || s[w-1] == '$') {
				w--
			}
			switch strings.ToLower(s[w:c]) {
			case "t", "$t", "tc", "$tc", "_", "__", "trans", "translate", "gettext", "i18n",
				"lang", "label", "icon", "text", "msg":
				continue
			}
		}
		return true
	}
	return false
}

// literalReceiver reports a method or attribute taken from a literal: 'a'.toUpperCase(),
// ”.join, [].class, ().__class__, 7 .toString().
func literalReceiver(s string) bool {
	for i := 0; i+1 < len(s); i++ {
		if s[i] != '.' || !isAlpha(s[i+1]) && s[i+1] != '_' {
			continue
		}
		if i == 0 {
			continue
		}
		switch p := s[i-1]; p {
		case '\'', '"':
			// The literal must be a whole string: find its opening quote.
			lo := i - 1 - 64
			if lo < 0 {
				lo = 0
			}
			o := strings.LastIndexByte(s[lo:i-1], p)
			if o >= 0 && (lo+o == 0 || !isIdent(s[lo+o-1])) {
				return true
			}
		case ']', ')':
			// [] and () literals, not a call's result: "Date().getFullYear" passes.
			if i >= 2 && (s[i-2] == '[' || s[i-2] == '(') && (i == 2 || !isIdent(s[i-3])) {
				return true
			}
		}
	}
	return false
}

// templateGlobalProbe reports the objects that template probes print or walk: config,
// self, request alone; config.items(); dump(app); app.request.server; self.module.
func templateGlobalProbe(s string) bool {
	switch strings.ToLower(s) {
	case "config", "self", "_self", "request", "settings", "app", "dump(app)", "dump()",
		"_context":
		return true
	}
	if hasPrefixFold(s, "config.") && (strings.IndexByte(s, '(') > 0 || upperKey(s[7:])) {
		return true // config.items(), config.from_pyfile(...), Flask's config.SECRET_KEY
	}
	if strings.Contains(s, "SECRET_KEY") || indexFold(s, "app.secret_key") >= 0 || indexFold(s, ".signer.key") >= 0 || hasPrefixFold(s, "messages.storages") {
		// The signing key of Django and Flask (settings.SECRET_KEY,
		// current_app.secret_key), or Django's reached through the messages
		// framework's signer. A form's own {{ totp.secret_key }} is a variable.
		return true
	}
	for _, p := range [...]string{
		"config[", "settings.secret",
		"self.module", "self.template", "self.context", "self.attr", "self._", "_self.env",
		"dump(", "app.request.server", "app.request.query", "app.request.attributes",
		"request.application", "request.environ", "lipsum.", "cycler.", "joiner.",
		"namespace.", "url_for.", "get_flashed_messages.",
	} {
		if hasPrefixFold(s, p) {
			return true
		}
	}
	return false
}

// upperKey reports a configuration key written the Flask and Django way, upper case
// with underscores (SECRET_KEY, SQLALCHEMY_DATABASE_URI), as the start of s.
func upperKey(s string) bool {
	n := 0
	for n < len(s) && ('A' <= s[n] && s[n] <= 'Z' || s[n] == '_' || n > 0 && isDigit(s[n])) {
		n++
	}
	return n >= 3 && (n == len(s) || !isAlpha(s[n]))
}

// dotnetExec reports a .NET call that runs a process, loads code or writes files, as
// a Razor expression holds it: System.Diagnostics.Process.Start(,
// System.IO.File.WriteAllText(, Assembly.Load(, Activator.CreateInstance(.
func dotnetExec(s string) bool {
	for _, w := range [...]string{
		"diagnostics.process", "process.start(", "system.io.file.", "assembly.load",
		"activator.createinstance", "system.reflection.", "net.webclient",
		"interopservices", "system.appdomain",
	} {
		if indexFold(s, w) >= 0 {
			return true
		}
	}
	return false
}

// goDotDump reports a Go template action that prints the whole data it is given:
// {{.}}, {{printf "%v" .}}, {{js .}}.
func goDotDump(in string) bool {
	s := strings.TrimSpace(in)
	if s == "." {
		return true
	}
	if !strings.HasSuffix(s, " .") {
		return false
	}
	for _, f := range [...]string{"printf ", "print ", "println ", "js ", "html ", "urlquery "} {
		if strings.HasPrefix(s, f) {
			return true
		}
	}
	return false
}

// goTemplateSource reports a template with blocks, where "." is the element a block
// made current: Go's {{range}}, {{with}}, {{define}}, {{template}}, {{end}}, and
// Mustache's sections ({{#items}}{{.}}{{/items}}, the implicit iterator): a theme or
// layout someone edits, not a probe.
func goTemplateSource(v string) bool {
	if strings.Contains(v, "{{#") || strings.Contains(v, "{{/") || strings.Contains(v, "{{^") {
		return true
	}
	for _, w := range [...]string{"range", "with", "define", "template", "end", "block"} {
		for i := range stringIndexes(v, w) {
			j := i
			for j > 0 && (v[j-1] == ' ' || v[j-1] == '-') {
				j--
			}
			if j >= 2 && v[j-2:j] == "{{" {
				return true
			}
		}
	}
	return false
}

// ---- script languages outside templates ----

// scriptInjection finds Node.js, Ruby, Perl and Python constructs that only code
// injection sends. One scan visits each word start; the checks are anchored there.
func scriptInjection(p *request.Param, v string) (string, bool) {
	// node-serialize and funcster markers.
	if i := strings.Index(v, "_$$ND_FUNC$$_"); i >= 0 {
		return around(v, i, i+13), true
	}
	if i := strings.Index(v, "@{"); i >= 0 {
		// Perl @{[ ]} (also seen by templateExpr; here when nested in other text).
		if k := skipSpaces(v, i+2); k < len(v) && v[k] == '[' {
			return around(v, i, k+1), true
		}
	}
	start := 0
	for start < len(v) && (isSpace(v[start]) || v[start] == '\'' || v[start] == '"' || v[start] == ';' || v[start] == ')') {
		start++
	}
	childAt := -1
	for i := 0; i+3 < len(v); i++ {
		if !scriptWordStarts[v[i]] || i > 0 && isIdent(v[i-1]) {
			continue
		}
		c := lowerASCII(v[i])
		var f string
		ok := false
		switch c {
		case 'c':
			switch {
			case hasPrefixFold(v[i:], "constructor"):
				f, ok = constructorWalk(v, i)
			case hasPrefixFold(v[i:], "child_process"):
				childAt = i
			case i == start && hasPrefixFold(v[i:], "console"):
				f, ok = consoleCall(v, i)
			}
		case 'r':
			if hasPrefixFold(v[i:], "require") {
				r := v[i+7:]
				if hasPrefixFold(r, ".main") || hasPrefixFold(r, ".cache") || len(r) > 0 && r[0] == '[' {
					f, ok = around(v, i, i+12), true
				}
			}
		case 'm':
			if hasPrefixFold(v[i:], "module.") {
				r := v[i+7:]
				if hasPrefixFold(r, "constructor") {
					f, ok = around(v, i, i+18), true
				} else if hasPrefixFold(r, "exports") {
					if k := skipSpaces(v, i+14); k < len(v) && v[k] == '=' && (k+1 == len(v) || v[k+1] != '=') {
						f, ok = around(v, i, k+1), true
					}
				}
			}
		case 'p':
			if hasPrefixFold(v[i:], "process") {
				f, ok = nodeProcess(v, i)
			}
		case 'w':
			if hasPrefixFold(v[i:], "while") {
				f, ok = constantLoop(v, i)
			}
		case 'f':
			if strings.HasPrefix(v[i:], "for(;;)") || strings.HasPrefix(v[i:], "for (;;)") {
				f, ok = around(v, i, i+8), true
			}
		case '_':
			if hasPrefixFold(v[i:], "__js_function") {
				f, ok = around(v, i, i+13), true
			}
		}
		if ok {
			return f, true
		}
	}
	if childAt >= 0 {
		if f, ok := childProcess(v, childAt); ok {
			return f, true
		}
	}
	if strings.IndexByte(v, '(') >= 0 {
		if f, ok := scriptCalls(p, v); ok {
			return f, true
		}
	}
	if i := strings.Index(v, "!ruby/"); i >= 0 {
		r := v[i+6:]
		if hasPrefixFold(r, "object:") || hasPrefixFold(r, "hash:") || hasPrefixFold(r, "marshal") || hasPrefixFold(r, "struct:") {
			return around(v, i, i+12), true
		}
	}
	if strings.IndexByte(v, '$') >= 0 && strings.IndexByte(v, ':') >= 0 {
		if f, ok := flightReference(v); ok {
			return f, true
		}
	}
	return "", false
}

// scriptWordStarts are the first letters of the words scriptInjection anchors on.
var scriptWordStarts = [256]bool{
	'c': true, 'C': true, 'r': true, 'R': true, 'm': true, 'M': true, 'p': true, 'P': true,
	'w': true, 'W': true, 'f': true, '_': true,
}

// constructorWalk matches the constructor of a constructor at v[i], JavaScript's way to
// the Function constructor: x.constructor.constructor, constructor["constructor"].
func constructorWalk(v string, i int) (string, bool) {
	r := v[i+11:]
	for _, m := range [...]string{".constructor", "[\"constructor\"]", "['constructor']"} {
		if hasPrefixFold(r, m) {
			return around(v, i, i+11+len(m)), true
		}
	}
	return "", false
}

// scriptCallees are dotted callees (lower case) that run commands or code in Ruby,
// Python or JavaScript; the call must follow ("(").
var scriptCallees = map[string]bool{
	// Ruby.
	"process.spawn": true, "kernel.exec": true, "kernel.system": true, "kernel.spawn": true,
	"kernel.open": true, "kernel.eval": true, "kernel.fork": true, "io.popen": true,
	"open3.popen3": true, "open3.popen2": true, "open3.popen2e": true, "open3.capture2": true,
	"open3.capture2e": true, "open3.capture3": true, "open3.pipeline": true, "pty.spawn": true,
	// Python.
	"__import__": true, "os.system": true, "os.popen": true, "os.execl": true, "os.execv": true,
	"os.execve": true, "os.execvp": true, "os.spawnl": true, "os.spawnv": true,
	"subprocess.popen": true, "subprocess.call": true, "subprocess.run": true,
	"subprocess.check_output": true, "subprocess.check_call": true,
	"subprocess.getoutput": true, "subprocess.getstatusoutput": true, "pickle.loads": true,
	"commands.getoutput": true, "platform.popen": true,
}

// scriptCalls reads the dotted callee before each "(" of v: Ruby, Python and JavaScript
// functions that run code, method calls that evaluate (.instance_eval(, ._load(), and
// JavaScript's Function constructor and eval of decoded strings.
//
// In a Python program (pyProgram: a homework upload, a notebook cell, judged on the
// value as sent, whose line breaks a decoded variant folds) the program's own calls
// (pyOwnCall) pass: subprocess.run(["wc", "-l", path]) does, subprocess.call(["/bin/sh",
// "-i"]), subprocess.check_output(['id']) and os.system(bytes.fromhex(..).decode()) do not.
func scriptCalls(p *request.Param, v string) (string, bool) {
	for open := range byteIndexes(v, '(') {
		e := open
		for e > 0 && (v[e-1] == ' ' || v[e-1] == '\t') {
			e--
		}
		b := e
		for b > 0 && (isIdent(v[b-1]) || v[b-1] == '.') && e-b < 32 {
			b--
		}
		if b == e || b > 0 && v[b-1] == '$' {
			continue
		}
		var buf [32]byte
		chain, _ := lowerWord(buf[:], v, b, func(c byte) bool { return isIdent(c) || c == '.' })
		if len(chain) > 0 && chain[0] == '.' {
			chain = chain[1:]
		}
		if scriptCallees[string(chain)] {
			if pyOwnCall(chain, v, open) &&
				(pyProgram(v) || p != nil && len(p.Value) >= len(v)/2 && pyProgram(p.Value)) {
				continue
			}
			return around(v, b, open+1), true
		}
		last := chain
		if d := lastByte(chain, '.'); d >= 0 {
			last = chain[d+1:]
			switch string(last) {
			case "instance_eval", "class_eval", "module_eval", "_load":
				return around(v, b, open+1), true
			}
		}
		args := skipSpaces(v, open+1)
		switch string(last) {
		case "function":
			// new Function("..."), Function('return this')().
			if args < len(v) && (v[args] == '"' || v[args] == '\'' || v[args] == '`') || hasSuffixFold(strings.TrimRight(v[:b], " \t"), "new") {
				return around(v, b, open+1), true
			}
		case "eval", "settimeout", "setinterval":
			for _, d := range [...]string{"string.fromcharcode", "atob(", "unescape(", "buffer.from(", "decodeuricomponent("} {
				if hasPrefixFold(v[args:], d) {
					return around(v, b, args+len(d)), true
				}
			}
		case "send", "__send__", "public_send":
			if hasPrefixFold(v[args:], ":system") || hasPrefixFold(v[args:], ":eval") || hasPrefixFold(v[args:], ":exec") || hasPrefixFold(v[args:], ":`") {
				return around(v, b, args+5), true
			}
		}
	}
	// Ruby's %x(...) and %x{...} run a shell.
	for off, n := 0, 0; off < len(v) && n < 8; n++ {
		k := strings.Index(v[off:], "%x")
		if k < 0 {
			break
		}
		i := off + k
		off = i + 2
		if i+2 < len(v) && (v[i+2] == '(' || v[i+2] == '{' || v[i+2] == '[') && (i == 0 || !isAlnum(v[i-1])) {
			if _, end := innerBraced(v, i+2, v[i+2], closerOf(v[i+2])); end <= len(v) && end > i+4 {
				return around(v, i, end), true
			}
		}
	}
	return "", false
}

// pyProgram reports a multi-line Python program: four lines or more, one of which
// imports a module ("import sys", "from collections import Counter").
func pyProgram(v string) bool {
	if strings.Count(v, "\n") < 3 {
		return false
	}
	for line := range strings.Lines(v) {
		if strings.HasPrefix(line, "import ") || strings.HasPrefix(line, "from ") && strings.Contains(line, " import ") {
			return true
		}
	}
	return false
}

// pyOwnCall reports a call a program makes of its own at v[open] ('('): a subprocess
// call whose arguments are a list literal opening with a string that names a program
// other than a shell, an interpreter, a fetcher, a network tool or a recon command
// (subprocess.run(["wc", "-l", path])), without shell=True or a shell or URL among the
// arguments; or os.system of the screen-clearing 'clear' / 'cls'. os.system, os.popen,
// os.exec*, os.spawn*, pty.spawn and commands.* run whatever they are given: a
// computed command (bytes.fromhex(...).decode()) is never the program's own.
func pyOwnCall(chain []byte, v string, open int) bool {
	args := window(v, open+1, 200)
	switch c := string(chain); {
	case c == "os.system":
		return pyClearScreen(args)
	case !strings.HasPrefix(c, "subprocess.") || strings.HasSuffix(c, "output") && c != "subprocess.check_output":
		return false // getoutput and getstatusoutput run a shell
	}
	a := skipSpaces(args, 0)
	if a >= len(args) || args[a] != '[' {
		return false
	}
	q := skipSpaces(args, a+1)
	if q >= len(args) || args[q] != '"' && args[q] != '\'' {
		return false
	}
	e := strings.IndexByte(args[q+1:], args[q])
	if e <= 0 {
		return false
	}
	prog := strings.ToLower(args[q+1 : q+1+e])
	if k := strings.LastIndexAny(prog, "/\\"); k >= 0 {
		prog = prog[k+1:]
	}
	prog = strings.TrimSuffix(prog, ".exe")
	if t := strings.TrimRight(prog, "0123456789."); t != "" {
		prog = t // python3.12, php8
	}
	if prog == "" || strings.ContainsAny(prog, " \t;|&$`") || pyForeignPrograms[prog] {
		return false
	}
	return !shellArgs(args)
}

// pyClearScreen reports the arguments of os.system('clear'), os.system('cls') and
// os.system('cls' if os.name == 'nt' else 'clear'): the terminal programs' idiom.
func pyClearScreen(args string) bool {
	e := strings.IndexByte(args, ')')
	if e < 0 {
		return false
	}
	switch strings.Join(strings.Fields(strings.ReplaceAll(args[:e], "\"", "'")), " ") {
	case "'clear'", "'cls'", "'cls' if os.name == 'nt' else 'clear'", "'clear' if os.name == 'posix' else 'cls'":
		return true
	}
	return false
}

// pyForeignPrograms are programs a subprocess list may not start with in a program's
// own call: shells and interpreters (they run their arguments as code), wrappers that
// run another program, fetchers and network tools, and the recon commands an injection
// runs first.
var pyForeignPrograms = map[string]bool{}

func init() {
	for _, n := range strings.Fields(`sh bash zsh dash ksh mksh csh tcsh fish ash busybox cmd
		command powershell pwsh python py perl ruby php node nodejs deno bun lua tclsh wish
		osascript wscript cscript mshta rundll regsvr certutil bitsadmin env sudo su doas
		nohup setsid xargs timeout nice stdbuf script expect awk gawk mawk nawk find
		curl wget fetch aria2c lynx links elinks ftp tftp scp sftp rsync ssh nc ncat netcat
		socat telnet openssl id whoami uname hostname ifconfig ipconfig ip netstat ss ps who
		w last printenv systeminfo nslookup dig host arp route getent lsb_release tasklist
		net crontab at mkfifo rm dd chmod chown useradd passwd`) {
		pyForeignPrograms[n] = true
	}
}

// shellArgs reports arguments that run a shell or fetch from the network.
func shellArgs(args string) bool {
	if e := strings.IndexByte(args, ')'); e >= 0 {
		args = args[:e]
	}
	for _, w := range [...]string{"shell=true", "/bin/", "bash", "\"sh\"", "'sh'", "\"sh ", "'sh ", "cmd", "powershell",
		"curl", "wget", "\"nc\"", "'nc'", "nc ", "/dev/tcp", "://"} {
		if indexFold(args, w) >= 0 {
			return true
		}
	}
	return false
}

func lastByte(b []byte, c byte) int {
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] == c {
			return i
		}
	}
	return -1
}

// nodeProcess matches Node's process object at v[i] used the way injections use it:
// process.mainModule, process.binding(, process.env, process["env"], process[x.
func nodeProcess(v string, i int) (string, bool) {
	if i > 0 && v[i-1] == '-' {
		return "", false
	}
	j := i + 7
	if j >= len(v) {
		return "", false
	}
	switch v[j] {
	case '.':
		var buf [16]byte
		w, e := lowerWord(buf[:], v, j+1, isIdent)
		switch string(w) {
		case "mainmodule", "binding", "env", "dlopen", "kill", "execpath", "getuid",
			"setuid", "chdir", "_linkedbinding", "reallyexit", "_getactivehandles":
			if string(w) == "env" && v[j+1:j+4] != "env" {
				return "", false // "Process.Env" in prose is not Node's
			}
			return around(v, i, e), true
		case "exit", "abort":
			if n := skipSpaces(v, e); n < len(v) && v[n] == '(' {
				return around(v, i, e), true
			}
		}
	case '[':
		// process["env"], process[mainModule, process[req.query.a]
		n := skipSpaces(v, j+1)
		if n < len(v) && (v[n] == '"' || v[n] == '\'' || v[n] == '`' || isAlpha(v[n])) {
			return around(v, i, n+1), true
		}
	}
	return "", false
}

// childProcess matches Node's child_process module (named at v[i]) loaded or called:
// require('child_process'), x="child_process"; lol(x).spawn(...).
func childProcess(v string, i int) (string, bool) {
	rest := v[i:]
	before := v[:i]
	if indexFold(before, "require") >= 0 || indexFold(before, "import") >= 0 || indexFold(before, "_load") >= 0 ||
		indexFold(rest, ".exec") >= 0 || indexFold(rest, ".spawn") >= 0 || indexFold(rest, ".fork") >= 0 {
		return around(v, i, i+13), true
	}
	return "", false
}

// consoleCall matches a console method called at v[i], the start of the value, where an
// eval injection probe puts it: console.log(7*7), console["info"](1),
// console.info.call(this,1).
func consoleCall(v string, i int) (string, bool) {
	if !hasPrefixFold(v[i:], "console") {
		return "", false
	}
	j := i + 7
	switch {
	case j < len(v) && v[j] == '.':
		j++
		s := j
		for j < len(v) && isIdent(v[j]) {
			j++
		}
		if j == s {
			return "", false
		}
	case j < len(v) && v[j] == '[':
		e := strings.IndexByte(v[j:], ']')
		if e < 0 {
			return "", false
		}
		j += e + 1
	default:
		return "", false
	}
	for _, m := range [...]string{".call", ".apply", ".bind"} {
		if hasPrefixFold(v[j:], m) {
			j += len(m)
		}
	}
	if j < len(v) && v[j] == '(' {
		return around(v, i, j+1), true
	}
	return "", false
}

// flightReference matches React Flight (Server Components) references that walk to a
// constructor or prototype: "$1:constructor:constructor", "$7:Module:prototype",
// "$1:__proto__:then".
func flightReference(v string) (string, bool) {
	for i := range byteIndexes(v, '$') {
		j := i + 1
		for j < len(v) && j-i <= 5 && isAlnum(v[j]) {
			j++
		}
		if j == i+1 || j >= len(v) || v[j] != ':' {
			continue
		}
		seg := window(v, j, 128)
		if e := strings.IndexAny(seg, "\"', }"); e >= 0 {
			seg = seg[:e]
		}
		for _, w := range [...]string{":constructor", ":__proto__", ":prototype"} {
			if x := strings.Index(seg, w); x >= 0 {
				return around(v, i, j+x+len(w)), true
			}
		}
	}
	return "", false
}

// constantLoop matches a JavaScript loop on a truthy constant at v[i] ("while"), which
// blocks Node's event loop when evaluated: while(true), while(!0), while(new Date).
func constantLoop(v string, i int) (string, bool) {
	j := skipSpaces(v, i+5)
	if j >= len(v) || v[j] != '(' {
		return "", false
	}
	e := strings.IndexByte(window(v, j, 64), ')')
	if e < 0 {
		return "", false
	}
	// The condition up to the first ")"; parentheses opened in it ("while((true))") are
	// dropped by constantTruth.
	cond := v[j+1 : j+e]
	end := j + e + 1
	for end < len(v) && v[end] == ')' && end-j < 64 {
		end++
	}
	if truthy, ok := constantTruth(strings.TrimSpace(cond)); ok && truthy {
		return around(v, i, end), true
	}
	return "", false
}

// constantTruth evaluates a JavaScript condition made only of literals and unary
// operators: !0, !!{}, -Infinity, new Date, (true). ok is false for anything else.
func constantTruth(s string) (truthy, ok bool) {
	neg := 0
	for len(s) > 0 {
		switch s[0] {
		case '!':
			neg++
			s = strings.TrimSpace(s[1:])
			continue
		case '-', '+', '~':
			if s[0] == '~' {
				return false, false
			}
			s = strings.TrimSpace(s[1:])
			continue
		case '(':
			if s[len(s)-1] == ')' {
				s = strings.TrimSpace(s[1 : len(s)-1])
				continue
			}
			// "while((true)))": an extra parenthesis after the literal.
			s = strings.TrimSpace(strings.TrimRight(s[1:], ")"))
			continue
		}
		break
	}
	var t bool
	switch s {
	case "true", "Infinity", "this", "String", "Number", "Object", "Array", "{}", "[]", "new Date", "new Date()", "window", "globalThis":
		t = true
	case "false", "null", "undefined", "NaN", `""`, "''", "``":
		t = false
	default:
		if s == "" {
			return false, false
		}
		for i := 0; i < len(s); i++ {
			if !isDigit(s[i]) && s[i] != '.' {
				return false, false
			}
		}
		t = strings.Trim(s, "0.") != ""
	}
	if neg%2 == 1 {
		t = !t
	}
	return t, true
}

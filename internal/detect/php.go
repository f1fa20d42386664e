package detect

import (
	"strings"

	"github.com/rampartwaf/rampart/internal/request"
)

// CODEINJECTION (PHP): PHP code sent where the application may evaluate, include or
// unserialize it.
//
// What matches:
//
//   - an open tag followed by code: "<?php echo", "<?= $x", a short tag "<? system(...)",
//     "<?xml :echo 1" (a short tag whose "xml" is not a declaration), and the [php],
//     {php} tags of CMS and template plugins that run their content;
//   - a call of a dangerous PHP function: commands (system, exec, passthru, shell_exec,
//     popen, proc_open...), code (eval, assert, create_function, call_user_func...),
//     decoders used to hide payloads (base64_decode, gzinflate, str_rot13...), file
//     writes, sockets, phpinfo, unserialize. The call is read the way PHP parses it:
//     comments and line breaks may stand between the name and "(", and the callee may be
//     a string or bracketed ("(system)('id')", "'system'(ls)", "[system][0](ls)").
//     English words among them (system, exec, eval, assert) need code around them:
//     a code position before, or code-shaped arguments, so "the system (windows)" passes;
//   - a call of another PHP built-in (substr, unpack, print_r, pg_*, ldap_*, ...) only as
//     the first statement of the value, where an injection puts it ("phpinfo()",
//     "substr($x)"), never inside prose or a longer text;
//   - string concatenation that spells a dangerous function ('sys'.'tem');
//   - superglobals ($_GET, $_POST, $_SERVER, $GLOBALS...), variable functions
//     ("$a(1)", "$__['o'](5)", "${'a'}(1)") and PHP-only variable variables ("${'x'}",
//     "$ {$a}");
//   - a serialized PHP object (O:8:"stdClass":1:{...}), the gadget chain of object
//     injection;
//   - php.ini directives set through PHP-CGI argument injection ("-d allow_url_include=1",
//     "auto_prepend_file=php://input"), for the directives that have no other meaning;
//   - a data: URL whose base64 payload is PHP code (the inclusion of data://), since
//     traversal.go already takes php://, expect://, zip://, phar:// and data:text/;
//   - in a file name (multipart file names, X-Filename headers): a PHP script
//     (shell.php, x.phtml, a.php5, and behind another extension: x.php.jpg, x.php%00.png)
//     or a PHP session file (sess_<id>), which an upload turns into a web shell or a
//     forged session;
//   - a parameter name that sets a callback of a Drupal render array
//     (mail[#post_render][]=exec, Drupalgeddon 2);
//   - ThinkPHP's remote code execution: a route naming a namespaced class and a method
//     (s=/index/\think\app/invokefunction), and a request with a callback invoker or a
//     magic method as one parameter's whole value (function=call_user_func_array,
//     _method=__construct) and a PHP function name as another's (vars[0]=system,
//     filter[]=system).
//
// PHP shown rather than injected (phpCodeSample: every open tag inside a closed
// markdown fenced block whose fence opens a line, or a whole source file opening with
// "<?php" and a line break, as forum posts and IDE saves send) is judged without its
// open tag and superglobals, which are the code's own; its dangerous calls, variable
// functions and the rest still count, and so does request input handed to what runs
// code, takes a callable or touches files (phpInputSink: new ReflectionFunction($_GET..),
// ->invoke(, call_user_func, copy(, file_put_contents(, include $_GET.., FILTER_CALLBACK,
// a backtick). The price: a source file that only reads input into other built-ins
// ($stmt->execute([$_POST['email']]), htmlspecialchars($_GET['q'])) passes.
//
// Deliberately not matched: "<?php" alone, XML declarations and processing instructions
// (<?xml version=, <?xpacket, <?xml-stylesheet), method calls of other languages
// (obj.exec(...), $db->exec(...)), plain "${name}" (a JavaScript or shell template)
// and "${'%' + term}" (JavaScript concatenates with '+', PHP with '.'), a quantity
// with a unit after a variable ($NOW(-7 days), Directus's dynamic variables), a PHP
// function name as a value without an invoker beside it (theme=system, sort=count),
// jQuery/Vue helpers ($t('key'), $emit('x')), ini directives that are English words
// (engine, precision, smtp), and a PHP name inside prose ("phpinfo can leak...").

func init() {
	registerValue(CODEINJECTION, matchPHPValue)
	registerRequest(phpCallbackParams)
}

// phpInvokers are the values that make a PHP framework call a function named by another
// parameter: a callback invoker given as a value (ThinkPHP's
// function=call_user_func_array&vars[0]=system) or a magic method as the method
// override (ThinkPHP's _method=__construct&filter[]=system).
var phpInvokers = map[string]bool{
	"call_user_func": true, "call_user_func_array": true, "invokefunction": true,
	"forward_static_call": true, "forward_static_call_array": true, "array_map": true,
	"array_filter": true, "array_walk": true, "usort": true, "uasort": true, "uksort": true,
	"register_shutdown_function": true, "preg_replace_callback": true,
	"__construct": true, "__destruct": true, "__call": true, "__callstatic": true,
	"__invoke": true, "__wakeup": true, "__get": true, "__set": true, "__tostring": true,
}

// phpCallbackParams matches a request with an invoker as one parameter's whole value
// and a PHP function name as another's ("system", "md5", "shell_exec"): the callable
// the invoker runs. A function name alone is a word of many forms (theme=system,
// sort=count), an invoker alone a search for it.
func phpCallbackParams(r *request.Request) {
	invoker := -1
	for i := range r.Params {
		p := &r.Params[i]
		if p.Key || p.Literal || len(p.Value) < 6 || len(p.Value) > 26 || !phpParamSource(p) {
			continue
		}
		var buf [26]byte
		if w := lowerInto(buf[:], p.Value); w != nil && phpInvokers[string(w)] {
			invoker = i
			break
		}
	}
	if invoker < 0 {
		return
	}
	for i := range r.Params {
		p := &r.Params[i]
		if i == invoker || p.Key || p.Literal || len(p.Value) < 2 || len(p.Value) > 32 || !phpParamSource(p) {
			continue
		}
		var buf [32]byte
		w := lowerInto(buf[:], strings.TrimSpace(p.Value))
		if len(w) == 0 || !isAlpha(w[0]) && w[0] != '_' {
			continue
		}
		ident := true
		for _, c := range w {
			if !isIdent(c) {
				ident = false
				break
			}
		}
		if ident && phpFuncClass(w) != 0 {
			inv := &r.Params[invoker]
			r.AddSignal(request.Signal{Name: CODEINJECTION, Source: p.Source, Param: p.Name, Fragment: fragment(inv.Value + " " + p.Value)})
			return
		}
	}
}

// phpParamSource reports the sources a PHP application reads its input from.
func phpParamSource(p *request.Param) bool {
	switch p.Source {
	case request.SourceQuery, request.SourceForm, request.SourceJSON, request.SourceMultipart, request.SourceCookie:
		return true
	}
	return false
}

// matchPHPValue is the registered check: matchPHP, except that in a compressed blob read
// as text, which spells "<?=1", "$x(" and "${" by chance, only a full <?php tag opening
// a statement counts, or code in a long printable run (an attack padded with control
// bytes).
func matchPHPValue(p *request.Param, v string) (string, bool) {
	f, ok := matchPHP(p, v)
	if ok && binaryish(v) {
		if f, ok := phpFullTag(v); ok {
			return f, true
		}
		var frag string
		hit := printableRuns(v, minBinaryRun, func(run string) bool {
			var m bool
			frag, m = matchPHP(p, run)
			return m
		})
		return frag, hit
	}
	return f, ok
}

// phpFullTag finds "<?php" followed by a statement.
func phpFullTag(v string) (string, bool) {
	for off := 0; off < len(v); {
		k := indexFold(v[off:], "<?php")
		if k < 0 {
			break
		}
		i := off + k
		off = i + 5
		if r := skipSpaces(v, off); r > off && phpStatementAt(v, r) {
			return around(v, i, r+1), true
		}
	}
	return "", false
}

// Byte classes seen in a value, for the prefilter.
const (
	phLT     = 1 << iota // '<'
	phParen              // '('
	phDollar             // '$'
	phColon              // ':'
	phBrack              // '[' or '{'
	phEq                 // '='
	phQuote              // '\'' or '"'
)

var phClass = [256]uint8{
	'<': phLT, '(': phParen, '$': phDollar, ':': phColon, '[': phBrack, '{': phBrack,
	'=': phEq, '\'': phQuote, '"': phQuote,
}

func matchPHP(p *request.Param, v string) (string, bool) {
	if len(v) < 3 {
		return "", false
	}
	if p != nil && !p.Key && isFileNameParam(p) {
		if f, ok := phpFileName(v); ok {
			return f, true
		}
	}
	if p != nil && p.Key && strings.IndexByte(v, '#') >= 0 {
		if f, ok := drupalRenderKey(v); ok {
			return f, true
		}
	}
	var seen uint8
	for i := 0; i < len(v); i++ {
		seen |= phClass[v[i]]
	}
	if seen&(phLT|phParen|phDollar) == 0 && strings.IndexByte(v, '\\') >= 0 {
		if f, ok := phpNamespacedRoute(v); ok {
			return f, true
		}
	}
	if seen == 0 {
		return "", false
	}
	// A sample is judged on the value as sent: its decoded variants fold the line
	// breaks that tell a source file from an injected tag.
	sample := seen&phLT != 0 && (phpCodeSample(v) || p != nil && len(p.Value) >= len(v)/2 && phpCodeSample(p.Value))
	if seen&(phLT|phBrack) != 0 && !sample {
		if f, ok := phpOpenTag(v); ok {
			return f, true
		}
	}
	if sample {
		if f, ok := phpInputSink(v); ok {
			return f, true
		}
	}
	if seen&phDollar != 0 {
		if f, ok := phpVariables(v, sample); ok {
			return f, true
		}
	}
	if seen&phParen != 0 {
		if f, ok := phpCalls(v); ok {
			return f, true
		}
	}
	if seen&phQuote != 0 && strings.IndexByte(v, '.') >= 0 {
		if f, ok := phpConcatName(v); ok {
			return f, true
		}
	}
	if seen&phParen != 0 && strings.Contains(v, ")(") {
		if f, ok := phpGroupCall(v); ok {
			return f, true
		}
	}
	if seen&phColon != 0 {
		if seen&phBrack != 0 {
			if f, ok := phpSerialized(v); ok {
				return f, true
			}
		}
		if f, ok := phpDataURL(v); ok {
			return f, true
		}
	}
	if seen&phEq != 0 {
		if f, ok := phpIniDirective(v); ok {
			return f, true
		}
	}
	return "", false
}

// phpNamespacedRoute matches a route that names a namespaced PHP class and one of its
// methods, "/index/\think\app/invokefunction" or "index/think\Request/input": the
// pathinfo router of ThinkPHP 5 (the s= parameter) calls any method of any class it is
// given, the RCE of every ThinkPHP botnet. The class is a path segment of two or more
// names joined by backslashes, fully qualified (a leading backslash) or in ThinkPHP's
// root namespace "think", the method a bare name ending the route or followed by a
// slash. Windows paths (C:\dir\file.txt, dir\sub/readme) and account names
// (CORP\jsmith/profile) have no leading backslash.
func phpNamespacedRoute(v string) (string, bool) {
	for seg := 0; seg < len(v); {
		end := strings.IndexByte(v[seg:], '/')
		if end < 0 {
			return "", false
		}
		end += seg
		cls := v[seg:end]
		start := seg
		seg = end + 1
		if strings.HasPrefix(cls, "\\") {
			cls = cls[1:]
		} else if !hasPrefixFold(cls, "think\\") {
			continue // fully qualified, or ThinkPHP's own root namespace
		}
		names := 0
		for n := cls; ; {
			k := strings.IndexByte(n, '\\')
			name := n
			if k >= 0 {
				name = n[:k]
			}
			if name == "" || isDigit(name[0]) || strings.TrimLeft(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") != "" {
				names = 0
				break
			}
			names++
			if k < 0 {
				break
			}
			n = n[k+1:]
		}
		if names < 2 {
			continue
		}
		m := seg
		for m < len(v) && isIdent(v[m]) {
			m++
		}
		if m > seg && isAlpha(v[seg]) && (m == len(v) || v[m] == '/' || v[m] == '&' || v[m] == '?') {
			return around(v, start, m), true
		}
	}
	return "", false
}

// ---- open tags ----

// phpOpenTag finds "<?php code", "<?= code", a short tag before code, and the [php] and
// {php} tags.
func phpOpenTag(v string) (string, bool) {
	for i := range byteIndexes(v, '<') {
		if i+2 >= len(v) || v[i+1] != '?' {
			continue
		}
		j := i + 2
		if v[j] == '=' {
			// "<?= expr": an echo tag with something to echo.
			if r := skipSpaces(v, j+1); r < len(v) && v[r] != '?' {
				return around(v, i, r+1), true
			}
			continue
		}
		r := skipSpaces(v, j)
		if hasPrefixFold(v[r:], "php") && (r+3 == len(v) || !isIdent(v[r+3])) {
			// "<?php" followed by some code (not "<?php" alone).
			c := skipSpaces(v, r+3)
			if c < len(v) && !strings.HasPrefix(v[c:], "?>") {
				return around(v, i, c+1), true
			}
			continue
		}
		if hasPrefixFold(v[j:], "xml") {
			// "<?xml:echo", "<?xml ()": a short tag, as no declaration goes on like this.
			x := j + 3
			if x < len(v) && v[x] == ':' {
				return around(v, i, x+1), true
			}
			y := skipSpaces(v, x)
			if y > x && y < len(v) && !isAlpha(v[y]) && v[y] != '?' {
				return around(v, i, y+1), true
			}
			continue
		}
		// A short tag: code must follow.
		if phpStatementAt(v, r) {
			return around(v, i, r+1), true
		}
	}
	// [php]...[/php] and {php}...{/php}.
	for _, t := range [...]string{"[php]", "[/php]", "[\\php]", "{php}", "{/php}"} {
		if i := indexFold(v, t); i >= 0 {
			return around(v, i, i+len(t)), true
		}
	}
	return "", false
}

// phpCodeSample reports a value that shows PHP source rather than injecting it: every
// open tag inside a markdown fenced code block (phpFenced: a forum post or chat message
// asking about code), or a whole source file, which opens with "<?php" and a line break
// and runs over several lines (an IDE saving a controller, a .php file attached to a
// ticket). In a sample the open tag and the superglobals it reads are the code's own;
// the dangerous calls, variable functions, input handed to a call (phpInputSink) and
// the other constructs still count.
func phpCodeSample(v string) bool {
	t := strings.TrimLeft(v, " \t\r\n\ufeff")
	if hasPrefixFold(t, "<?php") && len(t) > 5 && (t[5] == '\n' || t[5] == '\r') && strings.Count(t, "\n") >= 3 {
		return true
	}
	return phpFenced(v)
}

// phpFenced reports a value whose open tags ("<?") all stand inside closed markdown
// fenced code blocks: a fence opening a line (after at most three spaces), an info
// string of no '<' or backtick ("php") and a line break, then the code, then a line
// of backticks alone closing it. A fence elsewhere ("x ```<?php", "``` <?php ...") is
// no block: PHP prints the backticks and runs the rest. An unclosed block does not
// count either.
func phpFenced(v string) bool {
	inside, pending, found := false, false, false
	for line := range strings.Lines(v) {
		t := line
		for k := 0; k < 3 && strings.HasPrefix(t, " "); k++ {
			t = t[1:]
		}
		if strings.HasPrefix(t, "```") {
			if inside {
				if strings.TrimRight(strings.TrimLeft(t, "`"), " \t\r\n") == "" {
					inside = false
					found = found || pending
					pending = false
					continue
				}
			} else if info := t[3:]; strings.HasSuffix(info, "\n") && !strings.ContainsAny(info, "<`") {
				inside = true
				continue
			}
		}
		if strings.Contains(line, "<?") {
			if !inside {
				return false
			}
			pending = true
		}
	}
	return found && !pending
}

// phpSinkKind tells how a superglobal passed to a function is dangerous.
const (
	sinkCall   = 1 + iota // runs code or a command, or takes a callable
	sinkWrite             // writes, copies, moves or deletes a file
	sinkRead              // reads a file or URL (an uploaded file's $_FILES entry excepted)
	sinkFirst             // only as the first argument (preg_replace's pattern, /e)
	sinkFilter            // only with FILTER_CALLBACK in the code
)

// phpInputSinks are the functions, methods and classes (lower case) that must not
// receive request input in code shown as a sample: what reads input into them is a web
// shell, a file writer or a file reader, whatever the markdown around it.
var phpInputSinks = map[string]uint8{}

func init() {
	for kind, names := range map[uint8]string{
		sinkCall: `call_user_func call_user_func_array forward_static_call forward_static_call_array
			array_map array_filter array_walk array_walk_recursive array_reduce usort uasort
			uksort iterator_apply register_shutdown_function register_tick_function ob_start
			set_error_handler set_exception_handler spl_autoload_register preg_replace_callback
			preg_replace_callback_array mb_ereg_replace_callback header_register_callback
			session_set_save_handler reflectionfunction reflectionmethod reflectionclass invoke
			invokeargs newinstance newinstanceargs fromcallable create_function assert eval
			system exec passthru shell_exec popen proc_open pcntl_exec expect_popen dl
			unserialize extract`,
		sinkWrite: `copy file_put_contents fwrite fputs rename symlink link unlink
			move_uploaded_file chmod touch mkdir tempnam`,
		sinkRead: `fopen file_get_contents readfile file fpassthru highlight_file show_source
			php_strip_whitespace parse_ini_file splfileobject splfileinfo fsockopen curl_init
			simplexml_load_file`,
		sinkFirst:  `preg_replace`,
		sinkFilter: `filter_var filter_var_array`,
	} {
		for _, n := range strings.Fields(names) {
			phpInputSinks[n] = kind
		}
	}
}

// phpInputSink reads the PHP code of v (from each open tag to "?>", skipping comments
// and single-quoted strings) for a superglobal (or the result of getallheaders(),
// filter_input()...) handed to what runs it: an argument of a
// phpInputSinks function (inside nested calls and arrays too: copy(trim($_GET[0]), ..),
// ['options' => $_GET['f']]), the operand of include/require, the class of "new", or
// read in a backtick; a variable assigned from input counts as the input. Input handed to other calls ($stmt->execute([$_POST['email']]),
// htmlspecialchars($_GET['q'])) is the code's own business.
func phpInputSink(v string) (string, bool) {
	type frame struct {
		name  string
		arg   int
		paren bool // a call's "(" (else "[" or "{")
		brace bool // a block: an enclosing call does not see inside it
	}
	var stack []frame
	callback := indexFold(v, "filter_callback") >= 0
	// tainted are the variables assigned from input ($f = $_GET['f'];), which count as it
	// does from then on.
	var tainted map[string]bool
	inputAt := func(i int) (string, bool) {
		if g, ok := superglobalAt(v, i); ok {
			return g, true
		}
		e := i + 1
		for e < len(v) && isIdent(v[e]) {
			e++
		}
		return v[i+1 : e], e > i+1 && tainted[v[i+1:e]]
	}
	// flows reports whether the superglobal g at v[i] reaches a sink.
	flows := func(i int, g string, incl bool) bool {
		if incl {
			return true
		}
		for k := len(stack) - 1; k >= 0; k-- {
			f := stack[k]
			if f.brace {
				break
			}
			if !f.paren {
				continue
			}
			switch phpInputSinks[f.name] {
			case sinkCall, sinkWrite:
				return true
			case sinkRead:
				if g != "_FILES" {
					return true
				}
			case sinkFirst:
				if f.arg == 0 {
					return true
				}
			case sinkFilter:
				if callback {
					return true
				}
			}
		}
		return false
	}
	for i := 0; i < len(v); {
		k := strings.Index(v[i:], "<?")
		if k < 0 {
			break
		}
		i += k + 2
		if hasPrefixFold(v[i:], "php") {
			i += 3
		} else if i < len(v) && v[i] == '=' {
			i++
		}
		stack = stack[:0]
		incl, lhs := false, ""
		word, wordEnd := "", -1
	code:
		for i < len(v) {
			c := v[i]
			next := byte(0)
			if i+1 < len(v) {
				next = v[i+1]
			}
			switch {
			case c == '?' && next == '>':
				i += 2
				break code
			case c == '/' && next == '/' || c == '#' && next != '[':
				for i < len(v) && v[i] != '\n' && !(v[i] == '?' && i+1 < len(v) && v[i+1] == '>') {
					i++
				}
				continue
			case c == '/' && next == '*':
				e := strings.Index(v[i+2:], "*/")
				if e < 0 {
					return "", false
				}
				i += e + 4
				continue
			case c == '\'':
				i++
				for i < len(v) && v[i] != '\'' {
					if v[i] == '\\' {
						i++
					}
					i++
				}
			case c == '"' || c == '`':
				// Interpolated strings: a superglobal read in a backtick runs; in quotes
				// it flows as any argument does.
				for i++; i < len(v) && v[i] != c; i++ {
					if v[i] == '\\' {
						i++
						continue
					}
					if g, ok := inputAt(i); ok && (c == '`' || flows(i, g, incl)) {
						return around(v, i, i+1+len(g)), true
					}
				}
			case c == '<' && strings.HasPrefix(v[i:], "<<<"):
				// A heredoc interpolates as a double-quoted string; a nowdoc does not.
				j := skipSpaces(v, i+3)
				quoted := j < len(v) && (v[j] == '\'' || v[j] == '"')
				nowdoc := quoted && v[j] == '\''
				if quoted {
					j++
				}
				s := j
				for j < len(v) && isIdent(v[j]) {
					j++
				}
				id := v[s:j]
				nl := strings.IndexByte(v[j:], '\n')
				if id == "" || nl < 0 {
					i += 3
					continue
				}
				body := j + nl + 1
				end := len(v)
				for off := body; off < len(v); {
					e := strings.Index(v[off:], id)
					if e < 0 {
						break
					}
					e += off
					if ls := strings.LastIndexByte(v[:e], '\n'); ls >= body-1 && strings.TrimLeft(v[ls+1:e], " \t") == "" && (e+len(id) == len(v) || !isIdent(v[e+len(id)])) {
						end = e
						break
					}
					off = e + len(id)
				}
				if !nowdoc {
					for x := body; x < end; x++ {
						if g, ok := inputAt(x); ok && flows(x, g, incl) {
							return around(v, x, x+1+len(g)), true
						}
					}
				}
				i = end + len(id)
				continue
			case c == '$':
				g, ok := inputAt(i)
				if ok {
					isNew := word == "new" && strings.TrimSpace(v[wordEnd:i]) == ""
					if isNew || flows(i, g, incl) {
						return around(v, i, i+1+len(g)), true
					}
					if lhs != "" {
						if tainted == nil {
							tainted = map[string]bool{}
						}
						tainted[lhs] = true
					}
				}
				e := i + 1 + len(g)
				if !ok {
					for e < len(v) && isIdent(v[e]) {
						e++
					}
					// "$name =" or "$name .=" opening a statement: the assignment's target.
					if n := skipSpaces(v, e); e > i+1 && n < len(v) && (len(stack) == 0 || stack[len(stack)-1].brace) {
						if v[n] == '.' {
							n++
						}
						if n < len(v) && v[n] == '=' && (n+1 == len(v) || v[n+1] != '=' && v[n+1] != '>') {
							lhs = v[i+1 : e]
						}
					}
				}
				i = e
				continue
			case isAlpha(c) || c == '_' || c == '\\':
				var buf [32]byte
				w, e := lowerWord(buf[:], v, i, func(b byte) bool { return isIdent(b) || b == '\\' })
				if d := strings.LastIndexByte(string(w), '\\'); d >= 0 {
					w = w[d+1:]
				}
				word, wordEnd = string(w), e
				switch word {
				case "include", "include_once", "require", "require_once":
					incl = true
				}
				i = e
				continue
			case c == '(':
				name := ""
				if wordEnd >= 0 && strings.TrimSpace(v[wordEnd:i]) == "" {
					name = word
				}
				if phpInputFuncs[name] && flows(i, name, incl) {
					return around(v, wordEnd-len(name), i+1), true
				}
				stack = append(stack, frame{name: name, paren: true})
			case c == '[':
				stack = append(stack, frame{})
			case c == '{':
				stack = append(stack, frame{brace: true})
				lhs = ""
			case c == ')' || c == ']' || c == '}':
				if c == '}' {
					lhs = ""
				}
				if len(stack) > 0 {
					stack = stack[:len(stack)-1]
				}
			case c == ',':
				if len(stack) > 0 {
					stack[len(stack)-1].arg++
				}
			case c == ';':
				incl, lhs = false, ""
			}
			i++
		}
	}
	return "", false
}

// phpInputFuncs return request input as the superglobals hold it.
var phpInputFuncs = map[string]bool{
	"getallheaders": true, "apache_request_headers": true, "filter_input": true,
	"filter_input_array": true, "request_parse_body": true,
}

// superglobalAt reports the superglobal named at v[i] ('$'), "$_GET" but not "$_GETx".
func superglobalAt(v string, i int) (string, bool) {
	if v[i] != '$' {
		return "", false
	}
	rest := v[i+1:]
	for _, g := range superglobals {
		if strings.HasPrefix(rest, g) && (len(rest) == len(g) || !isIdent(rest[len(g)])) {
			return g, true
		}
	}
	return "", false
}

// phpStatementAt reports whether a PHP statement starts at v[i]: a variable, a backtick,
// a language construct that takes an argument (echo, print, include...), or a call.
func phpStatementAt(v string, i int) bool {
	if i >= len(v) {
		return false
	}
	switch c := v[i]; {
	case c == '$' && i+1 < len(v) && (isAlpha(v[i+1]) || v[i+1] == '_' || v[i+1] == '{'):
		return true
	case c == '`':
		return true
	case c == '@' || c == '(':
		return i+1 < len(v) && phpStatementAt(v, i+1)
	case !isAlpha(c) && c != '_':
		return false
	}
	var buf [24]byte
	w, end := lowerWord(buf[:], v, i, isIdent)
	switch string(w) {
	case "echo", "print", "include", "include_once", "require", "require_once", "eval",
		"system", "exec", "passthru", "shell_exec", "assert", "phpinfo", "var_dump", "print_r",
		"fputs", "fwrite", "file_put_contents", "file_get_contents", "readfile", "unlink":
		n := skipSpaces(v, end)
		return n > end && n < len(v) || n < len(v) && (v[n] == '(' || v[n] == '\'' || v[n] == '"' || v[n] == ';' || v[n] == '$')
	}
	n := skipPHPGap(v, end)
	return n < len(v) && v[n] == '(' && phpFuncs[string(w)] != 0
}

// ---- function calls ----

// Function classes.
const (
	fnDanger  = 1 << iota // runs commands or code, hides payloads, writes files: anywhere
	fnGeneric             // another built-in: only as the value's first statement
	fnWord                // also an English word: needs code around it
	fnInclude             // include/require: needs a path or variable argument
)

var phpFuncs = map[string]uint8{}

func init() {
	add := func(class uint8, names string) {
		for _, n := range strings.Fields(names) {
			phpFuncs[n] |= class
		}
	}
	add(fnDanger, `passthru shell_exec popen proc_open pcntl_exec pcntl_fork create_function
		call_user_func call_user_func_array forward_static_call forward_static_call_array
		register_shutdown_function register_tick_function base64_decode str_rot13 gzinflate
		gzuncompress gzdecode bzdecompress zlib_decode convert_uudecode phpinfo
		file_put_contents file_get_contents fsockopen pfsockopen stream_socket_client
		stream_socket_server move_uploaded_file unserialize assert_options get_defined_vars
		get_defined_functions get_defined_constants ini_set ini_alter ini_restore ini_get_all
		set_include_path putenv show_source highlight_file php_uname phpversion
		curl_init curl_exec curl_multi_exec readfile fpassthru parse_ini_file apache_setenv
		proc_nice proc_terminate proc_get_status proc_close escapeshellcmd escapeshellarg
		posix_getpwuid posix_getpwnam posix_getegid posix_geteuid posix_getuid posix_getgid
		posix_kill posix_mkfifo posix_setuid posix_setgid posix_uname posix_getlogin
		get_current_user getmyuid getmypid getmygid getmyinode getlastmod preg_replace_callback
		mb_ereg_replace mb_eregi_replace array_map array_filter array_walk array_reduce
		usort uasort uksort iterator_apply opcache_get_status opcache_get_configuration
		error_log`)
	add(fnDanger|fnWord, `system exec eval assert mail dl`)
	add(fnDanger|fnWord|fnInclude, `include include_once require require_once`)
	add(fnGeneric, `substr strrev strtr str_replace str_ireplace str_repeat str_pad chr ord
		pack unpack implode explode sprintf printf vsprintf print_r var_dump var_export
		debug_zval_dump intval strval serialize is_array is_string is_file is_dir is_readable
		is_writable is_writeable is_executable is_link file_exists fopen fread fwrite fputs
		fgets fgetc fgetss fclose fputcsv fgetcsv fflush ftruncate flock filegroup fileowner
		fileperms fileinode filesize filetype fileatime filectime scandir opendir readdir
		closedir rewinddir unlink rmdir mkdir chmod chown chgrp lchown lchgrp tempnam tmpfile
		realpath getcwd chdir chroot symlink readlink linkinfo strip_tags htmlspecialchars
		htmlentities html_entity_decode urldecode rawurldecode base64_encode hex2bin bin2hex
		md5 sha1 crc32 md5_file sha1_file gethostbyname gethostbynamel gethostbyaddr
		getenv error_reporting set_time_limit ignore_user_abort ob_start ob_get_clean
		ob_end_flush ob_get_contents preg_replace preg_match preg_match_all preg_split
		func_get_args function_exists class_exists method_exists get_class get_object_vars
		ini_get phpcredits php_sapi_name php_ini_loaded_file sys_get_temp_dir
		disk_free_space disk_total_space gzopen gzread gzfile gzencode gzcompress gzdeflate
		bzopen bzread zip_open stream_get_contents stream_context_create settype gettype
		array_diff array_merge array_keys array_values array_search array_slice in_array
		is_callable is_object strlen strtolower strtoupper ucfirst lcfirst ucwords trim
		ltrim rtrim nl2br addslashes stripslashes quotemeta number_format str_split
		str_word_count substr_count strpos stripos strrpos strstr stristr strrchr
		parse_str parse_url http_build_query json_decode json_encode simplexml_load_string
		simplexml_load_file xml_parse libxml_disable_entity_loader date_add date_create
		date_default_timezone_set checkdate mktime strtotime uniqid lcg_value mt_rand
		random_bytes openssl_decrypt openssl_encrypt mcrypt_decrypt hash hash_hmac crypt
		password_hash password_verify session_start session_id session_decode
		session_encode setcookie header headers_sent http_response_code`)
	add(fnGeneric|fnWord, `file copy rename touch link define constant extract compact join
		dir glob hash crypt header mail die exit list range count key next reset end`)
}

// phpFamilies are name prefixes of PHP extension functions: a call of "pg_connect(...)"
// or "ldap_search(...)" as the value's first statement is PHP whatever the function.
var phpFamilies = []string{
	"array_", "str_", "mb_", "pg_", "ldap_", "odbc_", "sodium_crypto_", "tidy_", "zend_",
	"date_", "posix_", "curl_", "mysql_", "mysqli_", "openssl_", "preg_", "stream_",
	"socket_", "proc_", "pcntl_", "imap_", "ftp_", "ob_", "ini_", "func_", "gz", "bz",
	"json_", "libxml_", "iconv_", "ctype_", "hash_", "mcrypt_", "sqlite_", "oci_",
	"ibase_", "ssh2_", "apache_", "exif_", "finfo_", "gmp_", "bcmath_", "xmlrpc_", "soap_",
	"simplexml_", "dom_", "xml_", "zip_", "gettext_", "intl_", "grapheme_", "numfmt_",
	"opcache_", "apcu_", "shmop_", "sem_", "msg_", "stats_", "snmp", "yaml_", "readline_",
	"pspell_", "enchant_", "imagecreate", "image", "mysqlnd_", "pdo_", "uopz_", "runkit_",
	"xdebug_", "zlib_", "sodium_bin2", "password_", "random_", "spl_", "class_", "get_",
	"set_error_", "set_exception_", "restore_", "debug_", "var_", "filter_", "inet_",
}

// phpFuncClass returns the class of the lower-case name w.
func phpFuncClass(w []byte) uint8 {
	if c := phpFuncs[string(w)]; c != 0 {
		return c
	}
	if len(w) < 5 || !containsByte(w, '_') && !hasPrefixBytes(w, "gz") && !hasPrefixBytes(w, "bz") && !hasPrefixBytes(w, "image") {
		return 0
	}
	for _, f := range phpFamilies {
		if hasPrefixBytes(w, f) && len(w) > len(f)+1 {
			return fnGeneric
		}
	}
	return 0
}

func containsByte(b []byte, c byte) bool {
	for _, x := range b {
		if x == c {
			return true
		}
	}
	return false
}

func hasPrefixBytes(b []byte, p string) bool {
	return len(b) >= len(p) && string(b[:len(p)]) == p
}

// phpCalls looks at each "(" of v for a call of a listed function.
func phpCalls(v string) (string, bool) {
	for open := range byteIndexes(v, '(') {
		if f, ok := phpCallAt(v, open); ok {
			return f, true
		}
	}
	return "", false
}

// phpCallAt reads the callee before the "(" at v[open] and judges the call.
func phpCallAt(v string, open int) (string, bool) {
	j := skipGapBack(v, open)
	if j == 0 {
		return "", false
	}
	// The callee may be wrapped: "(system)(", "[system][0](", "{[system][0]} (".
	indirect := false
	for n := 0; j > 0 && n < 8; n++ {
		c := v[j-1]
		if c == ')' || c == '}' || c == ']' {
			if s, ok := skipNumericSubscript(v, j); ok {
				j = skipGapBack(v, s)
				indirect = true
				continue
			}
			j = skipGapBack(v, j-1)
			indirect = true
			continue
		}
		break
	}
	if j == 0 {
		return "", false
	}
	var buf [64]byte
	var name []byte
	start := j
	literal := false
	calleeEnd := j
	if c := v[j-1]; c == '\'' || c == '"' {
		// A string callee: "'system'(", "\"sys\".\"tem\"(".
		n, s, ok := phpLiteralBack(v, j, buf[:])
		if !ok {
			return "", false
		}
		name, start, literal = n, s, true
	} else if isIdent(c) {
		s := j - 1
		for s > 0 && isIdent(v[s-1]) {
			s--
		}
		if j-s > len(buf) || isDigit(v[s]) {
			return "", false
		}
		for k := s; k < j; k++ {
			buf[k-s] = lowerASCII(v[k])
		}
		name, start = buf[:j-s], s
		if s > 0 && (v[s-1] == '$' || v[s-1] == '\\' && s > 1 && isIdent(v[s-2])) {
			return "", false // a variable ($x(...)) is phpVariables' job; a namespace is not a built-in
		}
	} else {
		return "", false
	}
	class := phpFuncClass(name)
	glued := false
	if class == 0 && !literal {
		// A dangerous name glued to a prefix: "FOOgzinflate(".
		class = phpDangerSuffix(name)
		start += len(name) - phpSuffixLen(name)
		glued = class != 0
	}
	if class == 0 {
		return "", false
	}
	if indirect || literal {
		// Only a dangerous function is worth a string or bracketed callee.
		if class&fnDanger == 0 {
			return "", false
		}
	} else if methodBefore(v, start) {
		return "", false
	}
	ctx := phpCodeBefore(v, start)
	args := phpArgs(v, open+1)
	if class&fnInclude != 0 {
		if args == phpArgPath || args == phpArgVar {
			return around(v, start, open+1), true
		}
		return "", false
	}
	if glued {
		ctx = phpCtxCode
	}
	if class&fnDanger != 0 {
		if class&fnWord == 0 {
			switch {
			case args == phpArgProse:
				return "", false
			case ctx == phpCtxProse && (args == phpArgEnd || args == phpArgEmpty || args == phpArgIdent || args == phpArgPlural):
				// Prose naming a function ("call phpinfo() to see") is not a call,
				// unless a comment stands before the parenthesis, which no prose writes.
				if !strings.Contains(v[calleeEnd:open], "/*") {
					return "", false
				}
			}
			return around(v, start, open+1), true
		}
		// system, exec, eval, assert.
		if literal || indirect {
			switch args {
			case phpArgEmpty, phpArgString, phpArgPath, phpArgVar, phpArgCall, phpArgNumber:
				return around(v, start, open+1), true
			case phpArgIdent:
				// "(system)(ls)", "'system'(ls)" glued, or a statement: "[ system ][0] ( ls );".
				if !strings.ContainsAny(v[calleeEnd:open], " \t\r\n") || phpStatementEnd(v, open) {
					return around(v, start, open+1), true
				}
			}
			return "", false
		}
		if ctx == phpCtxStart || ctx == phpCtxCode {
			if args != phpArgEnd && args != phpArgProse && args != phpArgPlural {
				return around(v, start, open+1), true
			}
			return "", false
		}
		// After a word: "run system('/bin/ls')", not "the system (windows)".
		if args == phpArgPath || args == phpArgVar || args == phpArgCall {
			return around(v, start, open+1), true
		}
		return "", false
	}
	// Other built-ins: the value's first statement only.
	if ctx != phpCtxStart {
		return "", false
	}
	switch args {
	case phpArgProse, phpArgPlural:
		return "", false
	case phpArgEnd, phpArgIdent, phpArgNumber:
		if class&fnWord != 0 {
			return "", false
		}
	}
	return around(v, start, open+1), true
}

// phpDangerSuffix returns fnDanger when name ends with a dangerous function name of
// eight or more letters that is no English word ("xyzgzinflate"), else 0.
func phpDangerSuffix(name []byte) uint8 {
	if phpSuffixLen(name) > 0 {
		return fnDanger
	}
	return 0
}

// phpSuffixLen returns the length of the longest dangerous, non-word function name of
// eight or more letters that ends name (shorter than name itself), or 0.
func phpSuffixLen(name []byte) int {
	for k := 1; len(name)-k >= 8; k++ {
		if c := phpFuncs[string(name[k:])]; c&fnDanger != 0 && c&fnWord == 0 {
			return len(name) - k
		}
	}
	return 0
}

// phpStatementEnd reports whether the argument list opened at v[open] closes the
// statement: ")" then ";" or the end of the value.
func phpStatementEnd(v string, open int) bool {
	depth := 0
	for k := open; k < len(v) && k-open < 512; k++ {
		switch v[k] {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				n := skipPHPGap(v, k+1)
				return n < len(v) && v[n] == ';'
			}
		}
	}
	return false
}

// skipNumericSubscript skips back over "[0]" or "{0}" ending at v[j-1], comments and
// spaces allowed inside, and returns where it starts.
func skipNumericSubscript(v string, j int) (int, bool) {
	closer := v[j-1]
	var opener byte
	switch closer {
	case ']':
		opener = '['
	case '}':
		opener = '{'
	default:
		return 0, false
	}
	k := strings.LastIndexByte(v[:j-1], opener)
	if k < 0 || j-1-k > 40 {
		return 0, false
	}
	digits := false
	for x := k + 1; x < j-1; x++ {
		c := v[x]
		switch {
		case isDigit(c):
			digits = true
		case isSpace(c):
		case c == '/' && x+1 < j-1 && v[x+1] == '*':
			e := strings.Index(v[x+2:j-1], "*/")
			if e < 0 {
				return 0, false
			}
			x += e + 3
		default:
			return 0, false
		}
	}
	return k, digits
}

// phpLiteralBack reads the string literal ending at v[j-1] (a quote), joined with the
// literals concatenated before it ("'sys'.'tem'"), decoding \xHH escapes, into buf. It
// returns the lower-case text and where the first literal starts.
func phpLiteralBack(v string, j int, buf []byte) ([]byte, int, bool) {
	n := 0
	start := j
	var pieces [8]string
	np := 0
	for np < len(pieces) {
		q := v[start-1]
		lo := start - 1 - 65
		if lo < 0 {
			lo = 0
		}
		o := strings.LastIndexByte(v[lo:start-1], q)
		if o < 0 {
			return nil, 0, false
		}
		o += lo
		pieces[np] = v[o+1 : start-1]
		np++
		start = o
		// Another literal concatenated before: "'sys' . 'tem'".
		k := skipGapBack(v, start)
		if k > 0 && v[k-1] == '.' {
			k2 := skipGapBack(v, k-1)
			if k2 > 0 && (v[k2-1] == '\'' || v[k2-1] == '"') {
				start = k2
				continue
			}
		}
		break
	}
	for p := np - 1; p >= 0; p-- {
		s := pieces[p]
		for i := 0; i < len(s); i++ {
			c := s[i]
			if c == '\\' && i+3 < len(s) && (s[i+1] == 'x' || s[i+1] == 'X') && isHexDigit(s[i+2]) && isHexDigit(s[i+3]) {
				c = unhexByte(s[i+2])<<4 | unhexByte(s[i+3])
				i += 3
			}
			if c == ' ' && (n == 0 || i == len(s)-1 || s[i+1] == ' ') {
				continue // padding around the name: "system  "
			}
			if !isIdent(c) || n == len(buf) {
				return nil, 0, false
			}
			buf[n] = lowerASCII(c)
			n++
		}
	}
	if n == 0 {
		return nil, 0, false
	}
	return buf[:n], start, true
}

// methodBefore reports whether the name at v[start] is a method or property of another
// object: "->exec(", "::exec(", "child.exec(".
func methodBefore(v string, start int) bool {
	k := skipGapBack(v, start)
	if k == 0 {
		return false
	}
	switch v[k-1] {
	case '>':
		return k > 1 && v[k-2] == '-'
	case ':':
		return k > 1 && v[k-2] == ':'
	case '.':
		// Concatenation follows a value ("x).chr(", "'a'.chr("); a method follows a name.
		return k > 1 && isIdent(v[k-2])
	}
	return false
}

// Where a call stands.
const (
	phpCtxProse = iota // after a word or a prose character
	phpCtxCode         // after code punctuation: ; ( { = @ , . ...
	phpCtxStart        // the value's first statement
)

// phpCodeBefore tells what stands before v[start].
func phpCodeBefore(v string, start int) int {
	k := skipGapBack(v, start)
	for k > 0 {
		c := v[k-1]
		switch c {
		case '@', '(', '\'', '"', '`':
			k = skipGapBack(v, k-1)
			continue
		}
		break
	}
	if k == 0 {
		return phpCtxStart
	}
	switch c := v[k-1]; c {
	case ';', '{', '}', '=', ',', '.', '!', '&', '|', '?', ':', '>', '<', '[', ')':
		// Code before the call. It is still the value's first statement when only
		// the punctuation of a breakout precedes it ("');phpinfo();").
		for x := 0; x < k; x++ {
			switch v[x] {
			case ' ', '\t', '\r', '\n', '\'', '"', '`', ';', ')', '(', '@', '{', '}':
			default:
				return phpCtxCode
			}
		}
		return phpCtxStart
	}
	// A keyword before the call: "return system(...)", "echo exec(...)".
	e := k
	s := e
	for s > 0 && isIdent(v[s-1]) {
		s--
	}
	if e-s >= 2 && e-s <= 7 {
		switch strings.ToLower(v[s:e]) {
		case "return", "echo", "print", "and", "or", "xor", "new":
			return phpCtxCode
		}
	}
	return phpCtxProse
}

// Argument shapes.
const (
	phpArgEnd    = iota // nothing after "(" (the value ends)
	phpArgEmpty         // "()"
	phpArgString        // a quoted string
	phpArgPath          // a quoted string holding a path or URL
	phpArgVar           // $x, a backtick
	phpArgCall          // a nested call or an array
	phpArgNumber        // a number
	phpArgIdent         // one bare word: "(foo)", "(whoami)"
	phpArgPlural        // "(s)", "(es)": prose
	phpArgProse         // words: "(not a cat)"
)

// phpArgs reads the start of the argument list after "(" at v[i].
func phpArgs(v string, i int) int {
	i = skipPHPGap(v, i)
	if i >= len(v) {
		return phpArgEnd
	}
	switch c := v[i]; {
	case c == ')':
		return phpArgEmpty
	case c == '\'' || c == '"':
		q := strings.IndexByte(v[i+1:], c)
		s := v[i+1:]
		if q >= 0 {
			s = s[:q]
		}
		if strings.ContainsAny(s, "/\\") || strings.Contains(s, "://") || indexFold(s, ".ph") >= 0 || strings.Contains(s, "$") {
			return phpArgPath
		}
		return phpArgString
	case c == '$' || c == '`':
		return phpArgVar
	case (c == '-' || c == '+') && signedQuantity(v, i):
		// "$NOW(-7 days)" (Directus's dynamic variables): a quantity with a unit,
		// which no PHP argument list holds.
		return phpArgProse
	case c == '[' || c == '(' || c == '@' || c == '!' || c == '~' || c == '-' || c == '+':
		return phpArgCall
	case isDigit(c):
		return phpArgNumber
	case isAlpha(c) || c == '_':
		s := i
		for i < len(v) && isIdent(v[i]) {
			i++
		}
		w := v[s:i]
		n := skipPHPGap(v, i)
		if n >= len(v) {
			return phpArgIdent
		}
		switch v[n] {
		case '(':
			return phpArgCall
		case ')':
			if w == "s" || w == "es" || w == "S" || w == "ies" {
				return phpArgPlural
			}
			return phpArgIdent
		case ',', '.', '[', ';':
			return phpArgIdent
		case '-', ':':
			if n+1 < len(v) && (v[n+1] == '>' || v[n+1] == ':') {
				return phpArgCall
			}
		}
		return phpArgProse
	}
	return phpArgProse
}

// signedQuantity reports a signed number followed by a space and a word closing the
// argument list at v[i]: "-7 days)", "+1 hour)"; not "-1 or print(1))".
func signedQuantity(v string, i int) bool {
	j := i + 1
	for j < len(v) && isDigit(v[j]) {
		j++
	}
	if j == i+1 || j+1 >= len(v) || v[j] != ' ' || !isAlpha(v[j+1]) {
		return false
	}
	j++
	for j < len(v) && isAlpha(v[j]) {
		j++
	}
	j = skipSpaces(v, j)
	return j == len(v) || v[j] == ')'
}

// skipPHPGap skips what PHP ignores between tokens: spaces, /* */ comments, and # or //
// comments up to a line break (to the end of the value without one).
func skipPHPGap(v string, i int) int {
	for i < len(v) {
		c := v[i]
		switch {
		case isSpace(c):
			i++
		case c == '/' && i+1 < len(v) && v[i+1] == '*':
			e := strings.Index(window(v, i+2, maxGap), "*/")
			if e < 0 {
				return len(v)
			}
			i += e + 4
		case c == '#' || c == '/' && i+1 < len(v) && v[i+1] == '/':
			e := strings.IndexByte(window(v, i, maxGap), '\n')
			if e < 0 {
				return len(v)
			}
			i += e + 1
		default:
			return i
		}
	}
	return i
}

// maxGap and maxGapBack bound how far the gap scanners look for the end of a comment or
// the token before a gap, so that crafted values cost linear time.
const (
	maxGap     = 1024
	maxGapBack = 128
)

// window returns v[i:], cut to at most n bytes.
func window(v string, i, n int) string {
	if i > len(v) {
		return ""
	}
	if len(v)-i > n {
		return v[i : i+n]
	}
	return v[i:]
}

// skipGapBack skips back from v[j] (exclusive) over spaces and comments, and returns the
// index just after the previous token.
func skipGapBack(v string, j int) int {
	floor := j - maxGapBack
	for j > 0 && j > floor {
		c := v[j-1]
		switch {
		case isSpace(c):
			crossed := c == '\n'
			j--
			if crossed {
				// The line before may end with a # or // comment.
				lo := j - maxGapBack
				if lo < 0 {
					lo = 0
				}
				ls := lo + strings.LastIndexByte(v[lo:j], '\n') + 1
				line := v[ls:j]
				if h := phpLineComment(line); h >= 0 {
					j = ls + h
				}
			}
		case c == '/' && j > 1 && v[j-2] == '*':
			lo := j - 2 - maxGapBack
			if lo < 0 {
				lo = 0
			}
			o := strings.LastIndex(v[lo:j-2], "/*")
			if o < 0 {
				return j
			}
			j = lo + o
		default:
			return j
		}
	}
	return j
}

// phpLineComment returns where a # or // comment starts in line, or -1.
func phpLineComment(line string) int {
	for i := 0; i < len(line); i++ {
		switch line[i] {
		case '#':
			return i
		case '/':
			if i+1 < len(line) && line[i+1] == '/' {
				return i
			}
		case '\'', '"':
			return -1
		}
	}
	return -1
}

// phpConcatName finds string literals concatenated into a dangerous function name:
// 'sys'.'tem', "ev" . "al".
func phpConcatName(v string) (string, bool) {
	for off := 0; off < len(v); {
		k := strings.IndexByte(v[off:], '.')
		if k < 0 {
			break
		}
		dot := off + k
		off = dot + 1
		a := skipGapBack(v, dot)
		if a == 0 || v[a-1] != '\'' && v[a-1] != '"' {
			continue
		}
		b := skipPHPGap(v, dot+1)
		if b >= len(v) || v[b] != '\'' && v[b] != '"' {
			continue
		}
		// Find the end of the chain to the right (eight pieces at most), then read it back.
		end := b
		for pieces := 0; pieces < 8; pieces++ {
			q := strings.IndexByte(window(v, end+1, 65), v[end])
			if q < 0 {
				break
			}
			end = end + 1 + q + 1
			n := skipPHPGap(v, end)
			if n < len(v) && v[n] == '.' {
				n2 := skipPHPGap(v, n+1)
				if n2 < len(v) && (v[n2] == '\'' || v[n2] == '"') {
					end = n2
					continue
				}
			}
			break
		}
		if end <= b || v[end-1] != '\'' && v[end-1] != '"' {
			continue
		}
		if end > off {
			off = end
		}
		var buf [40]byte
		name, start, ok := phpLiteralBack(v, end, buf[:])
		if !ok {
			continue
		}
		if c := phpFuncClass(name); c&fnDanger != 0 && c&fnInclude == 0 {
			return around(v, start, end), true
		}
	}
	return "", false
}

// phpGroupCall finds a parenthesised concatenation called as a function, whose pieces
// join into a dangerous name: (sy.(st).em)('id'), ("sys"."tem")("id"). Bare pieces are
// constants that PHP before 8 reads as their own names.
func phpGroupCall(v string) (string, bool) {
	for off := 0; off < len(v); {
		k := strings.Index(v[off:], ")(")
		if k < 0 {
			break
		}
		end := off + k + 1 // just past the group's ')'
		off = end
		var buf [40]byte
		n, depth, dots := 0, 0, 0
		start := -1
	scan:
		for i := end - 1; i >= 0 && end-i <= 80; i-- {
			switch c := v[i]; {
			case c == ')':
				depth++
			case c == '(':
				depth--
				if depth == 0 {
					start = i
					break scan
				}
			case c == '.':
				dots++
			case c == '\'' || c == '"' || c == ' ':
			case isAlnum(c) || c == '_':
				if n == len(buf) {
					break scan
				}
				if 'A' <= c && c <= 'Z' {
					c += 'a' - 'A'
				}
				buf[n] = c
				n++
			default:
				break scan
			}
		}
		if start < 0 || dots == 0 || n == 0 {
			continue
		}
		name := buf[:n]
		for i, j := 0, n-1; i < j; i, j = i+1, j-1 {
			name[i], name[j] = name[j], name[i]
		}
		if c := phpFuncClass(name); c&fnDanger != 0 && c&fnInclude == 0 {
			return around(v, start, end+1), true
		}
	}
	return "", false
}

// ---- variables ----

// superglobals are PHP's request and environment arrays.
var superglobals = []string{
	"_GET", "_POST", "_COOKIE", "_REQUEST", "_SERVER", "_FILES", "_ENV", "_SESSION",
	"GLOBALS", "HTTP_RAW_POST_DATA", "HTTP_GET_VARS", "HTTP_POST_VARS", "HTTP_COOKIE_VARS",
	"HTTP_SERVER_VARS", "HTTP_ENV_VARS", "HTTP_POST_FILES", "HTTP_SESSION_VARS",
	"http_response_header",
}

// jsDollarNames are helpers of JavaScript frameworks called as $name(...): Vue's $t and
// $emit, jQuery's $j, AngularJS's $http and $filter, Prototype's $F...
var jsDollarNames = map[string]bool{
	"t": true, "tc": true, "te": true, "d": true, "n": true, "emit": true, "nextTick": true,
	"set": true, "delete": true, "watch": true, "on": true, "once": true, "off": true,
	"forceUpdate": true, "mount": true, "destroy": true, "j": true, "jq": true, "jQuery": true,
	"http": true, "q": true, "timeout": true, "interval": true, "apply": true, "digest": true,
	"broadcast": true, "compile": true, "parse": true, "log": true, "window": true,
	"document": true, "el": true, "refs": true, "router": true, "route": true, "store": true,
	"i18n": true, "gettext": true, "filter": true, "sce": true, "injector": true,
	"location": true, "rootScope": true, "scope": true, "translate": true, "state": true,
	"resource": true, "cookies": true, "sanitize": true, "templateCache": true,
	"F": true, "A": true, "H": true, "R": true, "w": true, "E": true, // Prototype.js
}

// phpVariables finds superglobals, variable functions and PHP-only variable variables.
// In a code sample (phpCodeSample) a superglobal counts only run by a backtick.
func phpVariables(v string, sample bool) (string, bool) {
	for off := 0; off < len(v); {
		k := strings.IndexByte(v[off:], '$')
		if k < 0 {
			break
		}
		i := off + k
		off = i + 1
		for off < len(v) && v[off] == '$' {
			off++ // "$$$x": judged once, from the first dollar
		}
		if i > 0 && (isIdent(v[i-1]) || v[i-1] == '\\' || v[i-1] == '$') {
			continue
		}
		rest := v[i+1:]
		for _, g := range superglobals {
			if sample && (i == 0 || v[i-1] != '`') {
				break
			}
			if strings.HasPrefix(rest, g) && (len(rest) == len(g) || !isIdent(rest[len(g)])) {
				return around(v, i, i+1+len(g)), true
			}
		}
		if f, ok := phpVarCall(v, i); ok {
			return f, true
		}
		if f, ok := phpVarVar(v, i); ok {
			return f, true
		}
	}
	return "", false
}

// phpVarCall matches a call through a variable at v[i] ('$'): "$a(1)", "$$b(2)",
// "$__['o'](5)", "${'a'}(11)", "$OOO000000{0}(15)", "$a /*x*/ (1)".
func phpVarCall(v string, i int) (string, bool) {
	if i > 0 && v[i-1] == '.' && i > 1 && isIdent(v[i-2]) {
		return "", false // $scope.$apply(...)
	}
	j := i
	for j < len(v) && v[j] == '$' {
		j++
	}
	simple := false
	var nameStart, nameEnd int
	switch {
	case j < len(v) && (isAlpha(v[j]) || v[j] == '_' || v[j] >= 0x80):
		nameStart = j
		for j < len(v) && (isIdent(v[j]) || v[j] >= 0x80) {
			j++
		}
		nameEnd = j
		simple = j-i == nameEnd-nameStart+1
	default:
		g := skipSpaces(v, j)
		if g >= len(v) || v[g] != '{' {
			return "", false
		}
		e, ok := phpBraced(v, g, '{', '}')
		if !ok {
			return "", false
		}
		j = e
	}
	// Subscripts and member names: [..] {..} ->$x ->name.
	gapped := false
	for {
		n := skipPHPGap(v, j)
		if n >= len(v) {
			return "", false
		}
		if n > j {
			gapped = true
		}
		switch c := v[n]; {
		case c == '[':
			e, ok := phpBraced(v, n, '[', ']')
			if !ok {
				return "", false
			}
			simple, j = false, e
			continue
		case c == '{':
			e, ok := phpBraced(v, n, '{', '}')
			if !ok {
				return "", false
			}
			simple, j = false, e
			continue
		case c == '-' && n+1 < len(v) && v[n+1] == '>':
			k := n + 2
			if k < len(v) && v[k] == '$' {
				k++
			}
			s := k
			for k < len(v) && isIdent(v[k]) {
				k++
			}
			if k == s {
				return "", false
			}
			if v[s-1] != '$' {
				// $obj->method(...): a method call, which any language has.
				return "", false
			}
			simple, j = false, k
			continue
		case c == '(':
			if simple && jsDollarNames[v[nameStart:nameEnd]] {
				return "", false
			}
			if simple && gapped {
				// "$USD (approx)": a plain variable before a spaced parenthesis needs
				// code-shaped arguments.
				switch phpArgs(v, n+1) {
				case phpArgEmpty, phpArgNumber, phpArgString, phpArgPath, phpArgVar:
				default:
					return "", false
				}
			}
			switch phpArgs(v, n+1) {
			case phpArgProse:
				return "", false
			case phpArgEnd:
				// "$f2(" ending the value, or "$f2(/*=4(12i..." with a comment never
				// closed (a folded variant drops it): a call cut short, not code.
				return "", false
			}
			return around(v, i, n+1), true
		}
		return "", false
	}
}

// phpBraced returns the index after the bracket closing the one at v[i], requiring a
// non-empty content of at most 64 bytes without nested openers of the same kind.
func phpBraced(v string, i int, open, close byte) (int, bool) {
	inner, end := bracedWithin(v, i, open, close, 80)
	if strings.TrimSpace(inner) == "" {
		return 0, false
	}
	return end, true
}

// phpVarVar matches PHP's variable variables, which no other language writes:
// "${'name'}", "${$a}", "${@a}", and "$ {...}" with a space after the dollar.
func phpVarVar(v string, i int) (string, bool) {
	j := i + 1
	g := skipSpaces(v, j)
	if g >= len(v) || v[g] != '{' {
		return "", false
	}
	in := skipSpaces(v, g+1)
	if in >= len(v) {
		return "", false
	}
	switch v[in] {
	case '\'', '"', '$', '@':
	default:
		if g == j {
			return "", false
		}
		// "$ {x}": shells and JavaScript templates never put a space there.
	}
	// The expression may be long (${@print(chr(122).chr(97)...)}): its closing brace is
	// looked for further than a subscript's.
	inner, e := bracedWithin(v, g, '{', '}', 1024)
	if strings.TrimSpace(inner) == "" || jsConcat(inner) {
		return "", false
	}
	return around(v, i, e), true
}

// jsConcat reports an expression that joins strings with '+' outside its quotes:
// JavaScript's concatenation (a template literal's ${'%' + term + '%'}), where PHP
// writes '.'.
func jsConcat(s string) bool {
	var quote byte
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case quote != 0:
			if c == '\\' {
				i++
			} else if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"' || c == '`':
			quote = c
		case c == '+':
			return true
		}
	}
	return false
}

// ---- serialized objects ----

// phpSerialized finds a serialized PHP object: O:<len>:"<class>":<n>:{ (or C: for a
// class with its own serializer).
func phpSerialized(v string) (string, bool) {
	for i := range byteIndexes(v, ':') {
		if i == 0 || v[i-1] != 'O' && v[i-1] != 'C' || i > 1 && isAlnum(v[i-2]) {
			continue
		}
		j := i + 1
		if j < len(v) && v[j] == '+' {
			j++
		}
		d := j
		for j < len(v) && isDigit(v[j]) {
			j++
		}
		if j == d || j+1 >= len(v) || v[j] != ':' || v[j+1] != '"' {
			continue
		}
		j += 2
		cs := j
		for j < len(v) && (isIdent(v[j]) || v[j] == '\\') {
			j++
		}
		if j == cs || !strings.HasPrefix(v[j:], "\":") {
			continue
		}
		j += 2
		d = j
		for j < len(v) && isDigit(v[j]) {
			j++
		}
		if j == d || !strings.HasPrefix(v[j:], ":{") {
			continue
		}
		return around(v, i-1, j+2), true
	}
	return "", false
}

// ---- data: URLs ----

// phpDataURL matches a data: URL (data://text/plain;base64,... as PHP's wrapper reads it)
// whose base64 payload is PHP code.
func phpDataURL(v string) (string, bool) {
	i := indexFold(v, "data:")
	if i < 0 {
		return "", false
	}
	b := indexFold(v[i:], ";base64,")
	if b < 0 || b > 80 {
		return "", false
	}
	payload := v[i+b+8:]
	var buf [48]byte
	n := decodeBase64Prefix(payload, buf[:])
	dec := string(buf[:n])
	if k := strings.Index(dec, "<?"); k >= 0 {
		rest := dec[k+2:]
		if rest == "" || rest[0] == '=' || hasPrefixFold(strings.TrimLeft(rest, " \t\r\n"), "php") || phpStatementAt(rest, skipSpaces(rest, 0)) {
			return around(v, i, i+b+8), true
		}
	}
	return "", false
}

// decodeBase64Prefix decodes the start of s (standard or URL alphabet) into buf and
// returns the number of bytes written; it stops at the first byte outside the alphabet.
func decodeBase64Prefix(s string, buf []byte) int {
	n, acc, bits := 0, uint(0), 0
	for i := 0; i < len(s) && n < len(buf); i++ {
		c := s[i]
		var d uint
		switch {
		case 'A' <= c && c <= 'Z':
			d = uint(c - 'A')
		case 'a' <= c && c <= 'z':
			d = uint(c-'a') + 26
		case '0' <= c && c <= '9':
			d = uint(c-'0') + 52
		case c == '+' || c == '-':
			d = 62
		case c == '/' || c == '_':
			d = 63
		default:
			return n
		}
		acc = acc<<6 | d
		bits += 6
		if bits >= 8 {
			bits -= 8
			buf[n] = byte(acc >> uint(bits))
			n++
		}
	}
	return n
}

// ---- php.ini directives ----

// phpIniNames are php.ini directives an attacker sets through PHP-CGI arguments (CVE-2012-1823,
// CVE-2024-4577) or .user.ini files. Directives that are English words (engine,
// precision, smtp, extension) are left out.
var phpIniNames = map[string]bool{}

// phpIniFamilies are the dotted families of php.ini directives.
var phpIniFamilies = []string{
	"opcache.", "session.", "mbstring.", "pcre.", "xdebug.", "suhosin.", "phar.", "zend.",
	"cgi.", "assert.", "zlib.", "mysqli.", "pdo_mysql.", "apc.", "apcu.", "user_ini.",
	"fastcgi.", "ffi.", "mysqlnd.", "sqlite3.", "openssl.", "realpath_cache_",
}

func init() {
	for _, n := range strings.Fields(`allow_url_include allow_url_fopen auto_prepend_file
		auto_append_file open_basedir disable_functions disable_classes memory_limit
		extension_dir include_path safe_mode safe_mode_exec_dir register_globals
		register_argc_argv magic_quotes_gpc magic_quotes_runtime display_errors
		display_startup_errors log_errors error_log error_reporting html_errors
		upload_tmp_dir upload_max_filesize post_max_size max_execution_time max_input_time
		max_input_vars file_uploads short_open_tag expose_php enable_dl
		unserialize_max_depth unserialize_callback_func sendmail_path sendmail_from doc_root
		user_dir variables_order request_order output_buffering output_handler
		implicit_flush serialize_precision sys_temp_dir date.timezone default_charset
		default_socket_timeout auto_detect_line_endings browscap
		hard_timeout zend_extension curl.cainfo arg_separator.input arg_separator.output
		auto_globals_jit always_populate_raw_post_data enable_post_data_reading
		ignore_user_abort report_memleaks track_errors xmlrpc_errors docref_root`) {
		phpIniNames[n] = true
	}
}

// phpIniDirective matches "name=value" for a php.ini directive at the start of the value
// or after a PHP-CGI "-d" switch.
func phpIniDirective(v string) (string, bool) {
	try := func(i int) (string, bool) {
		s := i
		for i < len(v) && (isIdent(v[i]) || v[i] == '.') {
			i++
		}
		if i-s < 4 {
			return "", false
		}
		name := v[s:i]
		e := skipSpaces(v, i)
		if e >= len(v) || v[e] != '=' {
			return "", false
		}
		if r := skipSpaces(v, e+1); r >= len(v) {
			return "", false
		}
		var buf [40]byte
		w, _ := lowerWord(buf[:], name, 0, func(c byte) bool { return true })
		if phpIniNames[string(w)] && len(name) <= len(buf) {
			return around(v, s, e+1), true
		}
		for _, p := range phpIniFamilies {
			if hasPrefixFold(name, p) && len(name) > len(p)+2 {
				return around(v, s, e+1), true
			}
		}
		return "", false
	}
	if f, ok := try(skipSpaces(v, 0)); ok {
		return f, true
	}
	for off := 0; off < len(v); {
		k := strings.Index(v[off:], "-d")
		if k < 0 {
			break
		}
		i := off + k
		off = i + 2
		if i > 0 && !isSpace(v[i-1]) && v[i-1] != '?' && v[i-1] != '&' && v[i-1] != '+' {
			continue
		}
		if f, ok := try(skipSpaces(v, i+2)); ok {
			return f, true
		}
	}
	return "", false
}

// ---- Drupal render arrays ----

// drupalCallbacks are render array properties whose value Drupal calls as a function
// (Drupalgeddon 2, CVE-2018-7600): a parameter named mail[#post_render][] sets one.
var drupalCallbacks = []string{
	"[#post_render]", "[#pre_render]", "[#lazy_builder]", "[#access_callback]",
	"[#value_callback]", "[#process]", "[#element_validate]", "[#submit]", "[#validate]",
}

// drupalRenderKey matches a parameter name that sets a callback of a render array.
func drupalRenderKey(name string) (string, bool) {
	for _, c := range drupalCallbacks {
		if i := indexFold(name, c); i >= 0 {
			return around(name, i, i+len(c)), true
		}
	}
	return "", false
}

// ---- file names ----

// phpFileName matches the name of an uploaded PHP script (shell.php, a.phtml, x.php5,
// with the trailing dots and spaces Windows drops) or PHP session file (sess_<id>).
func phpFileName(v string) (string, bool) {
	name := strings.TrimRight(v, ". \t")
	base := name
	if k := strings.LastIndexAny(base, "/\\"); k >= 0 {
		base = base[k+1:]
	}
	if hasPrefixFold(base, "sess_") {
		id := base[5:]
		if len(id) >= 20 && strings.Trim(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789,-") == "" {
			return v, true
		}
	}
	// Every extension counts, not only the last: Apache runs "x.php.jpg", and a NUL,
	// ";" or "%00" cuts "x.php%00.png" to "x.php".
	rest := base
	for named := false; ; named = true {
		k := strings.IndexByte(rest, '.')
		if k < 0 {
			return "", false
		}
		rest = rest[k+1:]
		ext := rest
		if n := strings.IndexByte(ext, '.'); n >= 0 {
			ext = ext[:n]
		}
		ext = strings.TrimLeft(ext, " ")
		if n := strings.IndexAny(ext, ";\x00% :"); n >= 0 {
			ext = ext[:n]
		}
		if (named || k > 0) && phpScriptExt(ext) {
			return v, true
		}
	}
}

// phpScriptExt reports whether ext is an extension PHP runs: php, php3-php8, phtml,
// phar, phps, pht, phpt.
func phpScriptExt(ext string) bool {
	if hasPrefixFold(ext, "php") && strings.Trim(ext[3:], "0123456789") == "" {
		return true
	}
	for _, e := range [...]string{"phtml", "phar", "phps", "pht", "phpt"} {
		if strings.EqualFold(ext, e) {
			return true
		}
	}
	return false
}

package detect

import (
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/rampartwaf/rampart/internal/parse"
	"github.com/rampartwaf/rampart/internal/request"
)

func TestPHP(t *testing.T) {
	tests := []struct {
		name  string
		value string
		want  bool
	}{
		// Open tags.
		{"open tag with code", "<?php echo md5('x'); ?>", true},
		{"open tag spaced", "<? php passthru('uname');", true},
		{"echo tag", "<?= $_REQUEST['q'] ?>", true},
		{"short tag call", "<?\nreadfile('/etc/hosts');?>", true},
		{"short tag echo", "<?  echo 12345;", true},
		{"short tag variable", "<? $f = fopen('a','w');", true},
		{"xml short tag", "<?xml :print 2;", true},
		{"xml short tag colon", "<?xml:print 2;", true},
		{"bbcode php", "[php]print 9;[/php]", true},
		{"smarty php", "{php}print 9;{/php}", true},
		// Calls.
		{"system call", "system('cat /etc/issue')", true},
		{"breakout call", "';system('id');//", true},
		{"at call", "@passthru($_GET['x'])", true},
		{"decoder chain", "eval(gzinflate(base64_decode('AbCd')))", true},
		{"comment before paren", "exec /* hi */ ('uptime')", true},
		{"line comment before paren", "exec #x\n('uptime')", true},
		{"string callee", "'passthru'('ls')", true},
		{"bracketed callee", "(system)(hostname)", true},
		{"cast string callee", "(string)\"assert\"('1')", true},
		{"numeric subscript callee", "[exec][0]('w')", true},
		{"spaced statement", "( [ system ][ 0 ] ) ( uname );", true},
		{"escaped string callee", `"\x65\x78\x65\x63"('id')`, true},
		{"concatenated name", "$f = 'shell'.'_exec'; $f('id');", true},
		{"grouped bare pieces called", "(sy.(st).em)('uname');", true},
		{"grouped quoted pieces called", `("sh"."ell_"."ex"."ec")("id")`, true},
		{"grouped pieces upper", "(SY.ST.EM)('id')", true},
		{"long variable variable expression", "${@print(chr(122).chr(97).chr(112).chr(95).chr(116).chr(111).chr(107).chr(101).chr(110))}", true},
		{"padded assert", "assert($_POST[x]);#\x01\x01\x01\x01", true},
		{"padded system call", "system(\"id #\u0085\u0085\u0085\u0085\");", true},
		{"full tag in a binary blob", "\x01\x02\x03\x04<?php system($_GET['c']); ?>\x05", true},
		{"echo tag in a binary blob", "\x01\x02\xa60\xce \xd9(\xd3sR\xf8<?=1\xd2\xa5\xa2\x05\xf0\xbd\r\x8f-2\x03\x04", false},
		{"variable call in a binary blob", "\x01\x02\x03\x04H\x10$f(3)\x05\x06", false},
		{"variable call opening a comment never closed", "Dp;]$f2(/*=4(12i$K%B51VP", false},
		{"variable call cut short", "x$f(", false},
		{"glued prefix", "ABCproc_open('x')", true},
		{"phpinfo probe", "phpinfo()", true},
		{"unterminated decoder", "str_rot13(", true},
		{"builtin first statement", "strrev('metsys')", true},
		{"builtin family", "ldap_search($c, $dn, $f)", true},
		{"builtin empty", "get_class()", true},
		{"include path", "include('/var/tmp/x.inc')", true},
		{"require variable", "require_once($_GET['p']);", true},
		{"file word empty", "FILE ()", true},
		// Variables.
		{"superglobal", "$_POST['pass']", true},
		{"globals", "$GLOBALS['f']($x)", true},
		{"variable function", "$fn('whoami')", true},
		{"variable variable call", "$$name(7)", true},
		{"underscore function", "@$_[0]($_[1])", true},
		{"braced callee", "${'x'}(3)", true},
		{"subscript comment callee", "$a[1] /*z*/ ('q')", true},
		{"obfuscated name", "$OO0O0(42)", true},
		{"dynamic method", "$obj->$m()", true},
		{"variable variable", "${'na'.'me'}", true},
		{"variable variable dollar", "${$k}", true},
		{"spaced dollar brace", "$ {VALUE}", true},
		// Objects, data, ini.
		{"serialized object", `O:4:"Evil":1:{s:3:"cmd";s:2:"id";}`, true},
		{"serialized in array", `a:1:{i:0;O:+7:"Monolog":0:{}}`, true},
		{"custom serialized", `C:11:"ArrayObject":21:{x:i:0;a:0:{};m:a:0:{}}`, true},
		{"data url with php", "data://text/plain;base64,PD9waHAgcGhwaW5mbygpOyA/Pg==", true},
		{"cgi ini switch", "-d allow_url_include=1 -d auto_prepend_file=php://input", true},
		{"ini family", "opcache.file_cache=/tmp", true},
		{"ini name", "disable_functions = ", false},
		{"ini name set", "open_basedir = /", true},
		// Benign.
		{"php alone", "<?php", false},
		{"xml declaration", `<?xml version="1.0" encoding="UTF-8"?>`, false},
		{"xml stylesheet", `<?xml-stylesheet type="text/xsl" href="a.xsl"?>`, false},
		{"xpacket", `<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>`, false},
		{"question prose", "Is it <? really", false},
		{"prose system", "the operating system (Windows) crashed", false},
		{"prose plural", "check the system(s) logs", false},
		{"prose exec", "the exec (board) met today", false},
		{"prose eval", "please eval (review) it", false},
		{"ecosystem", "ecosystem()", false},
		{"method call js", "child.exec(cmd, done)", false},
		{"method call php", "$db->exec($sql)", false},
		{"static method", "Foo::system($x)", false},
		{"namespace function", "App\\system('x')", false},
		{"builtin in prose", "use substr(s, 1) to cut", false},
		{"c code", "int main() {\n    printf(\"hello\");\n}", false},
		{"name in prose", "phpinfo can leak configuration", false},
		{"call named in prose", "How do I use array_map() in PHP?", false},
		{"probe named in prose", "run phpinfo() to see the modules", false},
		{"comment in prose call", "I like gzinflate/**/() a lot", true},
		{"call with args in prose", "then file_get_contents('/etc/passwd') returns it", true},
		{"parenthetical", "A loaded gun (unserialized) was found", false},
		{"file copy prose", "File (1).pdf", false},
		{"touch title", "Touch (feat. Someone)", false},
		{"price", "It costs $5 (five dollars)", false},
		{"currency var", "Total $USD (approx)", false},
		{"jquery", `$("#menu").hide()`, false},
		{"jquery j", `$j('.x').show()`, false},
		{"vue i18n", `{{ $t('welcome') }}`, false},
		{"vue emit", `$emit('close')`, false},
		{"angular apply", "$scope.$apply()", false},
		{"angular filter", "$filter('currency')(total)", false},
		{"prototype field", "$F('email')", false},
		{"shell subst", "$(date)", false},
		{"js template", "Hello ${name}!", false},
		{"empty braces", "${}", false},
		{"comment hides paren", "$a#note()", false},
		{"empty subscript", "$a[]()", false},
		{"superglobal spaced", "$_SE RVER", false},
		{"money", "price: 10$", false},
		{"serialized array", `a:2:{i:0;s:1:"a";i:1;s:1:"b";}`, false},
		{"data url text", "data://text/plain;base64,SGVsbG8gd29ybGQ=", false},
		{"ini lookalike", "engine=google", false},
		{"query string", "max_results=10&page=2", false},
		{"email", "richard.php@example.com", false},
		{"sentence with colon", "Order O:12 confirmed", false},
		{"filemtime", "filemtime(x)", false},
		{"snake call later", "see get_user(id) below", false},
		{"concat not a name", "'Hello' . ' world'", false},
		{"grouped sum called", "(a.b)(c) and (x.y)(z)", false},
		{"version in parentheses", "see (v1.2)(beta) notes", false},
		{"regex", "/[a-z]{1,5}/", false},
		{"json", `{"array":["php","test"]}`, false},
		// Code samples: a fenced block or a whole source file shows PHP, its open tag and
		// superglobals are the code's own; dangerous calls in them still count.
		{"fenced forum question", "Is this safe?\n\n```php\n<?php\n$stmt = $pdo->prepare('SELECT id FROM users WHERE email = ?');\n$stmt->execute([$_POST['email']]);\n```\n\nThanks!", false},
		{"ide file save", "<?php\n\nnamespace App\\Http\\Controllers;\n\nuse App\\Models\\User;\n\nclass UserController extends Controller\n{\n    public function index()\n    {\n        return User::where('active', 1)->paginate(20);\n    }\n}\n", false},
		{"source file reading input", "<?php\n\n$name = $_GET['name'] ?? 'world';\n\necho htmlspecialchars($name);\n", false},
		{"fenced system call", "```php\n<?php\nsystem($_GET['c']);\n```", true},
		{"source file eval", "<?php\n@eval($_POST['pass']);\n?>\n\n", true},
		{"source file variable function", "<?php\n$f = $_GET['f'];\n$f($_GET['x']);\n?>\n", true},
		{"source file backtick", "<?php\n\necho `$_GET[c]`;\n\n", true},
		{"one line tag", "<?php echo 'x'; ?>", true},
		{"fence after the tag", "<?php echo 1; ?>\n```\nx\n```", true},
		// A fence is a block only opening a line, with a line break after it and the code
		// closed inside; input handed to what runs code or touches files counts in any
		// sample.
		{"fence before the tag on one line", "``` <?php (new ReflectionFunction($_GET[0]))->invoke($_GET[1]); ?>", true},
		{"fence before a copy", "``` <?php copy($_GET[0], $_GET[1]); ?>", true},
		{"fence inside a line", "x ```\n<?php (new ReflectionFunction($_GET['f']))->invoke($_GET['a']); ?>", true},
		{"fence never closed", "```php\n<?php echo $_GET['x'];", true},
		{"tag after the block", "```php\n<?php echo 1; ?>\n```\n<?php echo $_GET['x']; ?>", true},
		{"fenced reflection", "How do I fix this?\n```php\n<?php (new ReflectionFunction($_GET['f']))->invoke($_GET['a']); ?>\n```", true},
		{"fenced filter callback", "```php\n<?php echo filter_var($_GET[1], FILTER_CALLBACK, ['options' => $_GET[0]]); ?>\n```", true},
		{"fenced include", "```php\n<?php include $_GET['p']; ?>\n```", true},
		{"fenced file object", "```php\n<?php echo new SplFileObject($_GET[0]); ?>\n```", true},
		{"fenced interpolated copy", "```php\n<?php copy(\"$_GET[a]\", 'x.php'); ?>\n```", true},
		{"source file reflection", "<?php\n\n\n(new ReflectionFunction($_GET['f']))->invoke($_GET['a']);\n", true},
		{"source file reflection method", "<?php\n\n\n$r = new \\ReflectionMethod($_POST['c'], $_POST['m']);\n$r->invoke(null);\n", true},
		{"source file invoke", "<?php\n\n\n$r = new ReflectionFunction('printf');\n$r->invoke($_GET['a']);\n", true},
		{"source file include", "<?php\n\n\ninclude $_GET['f'];\n", true},
		{"source file include concatenated", "<?php\n\n\nrequire_once('pages/' . $_REQUEST['p'] . '.php');\n", true},
		{"source file nested copy", "<?php\n\n\ncopy(trim($_GET['a']), $_GET['b']);\n", true},
		{"source file filter callback", "<?php\n\n\necho filter_var($_GET['a'], FILTER_CALLBACK, array('options' => $_GET['f']));\n", true},
		{"source file header input", "<?php\n\n\n(new ReflectionFunction(getallheaders()['F']))->invoke(getallheaders()['A']);\n", true},
		{"source file heredoc", "<?php\n\n\ncopy(<<<EOT\n{$_GET['a']}\nEOT, 'x.php');\n", true},
		{"source file preg pattern", "<?php\n\n\necho preg_replace($_GET['p'], $_GET['r'], 'x');\n", true},
		{"source file new from input", "<?php\n\n\n$o = new $_GET['c'];\n", true},
		{"source file input through variables", "<?php\n\n\n$f = $_GET['f'];\n$a = $_GET['a'];\n(new ReflectionFunction($f))->invoke($a);\n", true},
		{"fenced input through a variable", "```php\n<?php\nif ($ok) {\n    $path .= $_POST['p'];\n}\ncopy(\"$path\", 'x.php');\n?>\n```", true},
		{"source file extract", "<?php\n\n\nextract($_REQUEST);\n(new ReflectionFunction($f))->invoke($a);\n", true},
		{"fenced validation", "```php\n<?php\n$email = filter_var($_POST['email'], FILTER_VALIDATE_EMAIL);\n```", false},
		{"fenced two blocks", "Before:\n\n```php\n<?php\n$id = $_GET['id'];\n```\n\nAfter:\n\n  ```php\n<?php\n$id = (int) $_GET['id'];\n```\n", false},
		{"source file input in comments and strings", "<?php\n\n// copy($_GET['a'], 'x');\n$label = 'copy($_GET[a])';\n# include $_GET['f'];\necho htmlspecialchars($_GET['name']);\n", false},
		{"source file preg subject", "<?php\n\n\n$slug = preg_replace('/[^a-z0-9]+/', '-', $_GET['title']);\n", false},
		{"source file include then input", "<?php\n\nrequire __DIR__ . '/vendor/autoload.php';\n$page = (int) ($_GET['page'] ?? 1);\n", false},
		{"source file upload read", "<?php\n\n\n$fh = fopen($_FILES['csv']['tmp_name'], 'r');\nwhile (($row = fgetcsv($fh)) !== false) {\n    $rows[] = $row;\n}\n", false},
		// JavaScript templates and query languages that look like PHP variables.
		{"js template concat", "return sql`SELECT id FROM users WHERE name ILIKE ${'%' + term + '%'} LIMIT 20`;", false},
		{"php variable variable concat", "${'a'.'b'}", true},
		{"directus now", "$NOW(-7 days)", false},
		{"directus now plus", "$NOW(+1 hour)", false},
		{"variable call negative", "$f(-1)", true},
		{"variable call negative then code", "$f(-1 or print(1))", true},
		{"variable call positive then code", "$f(+1 or print(1))", true},
		{"directus now spaced", "$NOW( -1 year )", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &request.Param{Source: request.SourceForm, Name: "v", Value: tt.value}
			f, got := matchPHPValue(p, tt.value)
			if got != tt.want {
				t.Errorf("matchPHPValue(%q) = %v (%q), want %v", tt.value, got, f, tt.want)
			}
		})
	}
}

func TestPHPFileNames(t *testing.T) {
	tests := []struct {
		source request.Source
		name   string
		value  string
		want   bool
	}{
		{request.SourceMultipart, "file.filename", "shell.php", true},
		{request.SourceMultipart, "file.filename", "avatar.PHTML", true},
		{request.SourceMultipart, "file.filename", "x.php5...", true},
		{request.SourceMultipart, "file.filename", "x. php", true},
		{request.SourceMultipart, "file.filename", "pic.php.jpg", true},
		{request.SourceMultipart, "file.filename", "pic.php%00.png", true},
		{request.SourceMultipart, "file.filename", "pic.php;.jpg", true},
		{request.SourceMultipart, "file.filename", "sess_0123456789abcdefghij", true},
		{request.SourceHeader, "X-File-Name", "/tmp/sess_abcdefghij0123456789", true},
		{request.SourceHeader, "X-Filename", "tool.phar ", true},
		// Benign.
		{request.SourceMultipart, "file.filename", "photo.jpg", false},
		{request.SourceMultipart, "file.filename", "notes.phpinfo", false},
		{request.SourceMultipart, "file.filename", "x.phtml987", false},
		{request.SourceMultipart, "file.filename", ".php", false},
		{request.SourceMultipart, "file.filename", "sess_short", false},
		{request.SourceMultipart, "file.filename", "session_report.txt", false},
		{request.SourceHeader, "X-Filename", "report.pdf", false},
		{request.SourceMultipart, "file.filename", "my_sess_data.txt", false},
		{request.SourceForm, "page", "index.php", false},
		{request.SourceQuery, "file", "shell.php", false},
	}
	for _, tt := range tests {
		p := &request.Param{Source: tt.source, Name: tt.name, Value: tt.value}
		if _, got := matchPHP(p, tt.value); got != tt.want {
			t.Errorf("matchPHP(%s %s=%q) = %v, want %v", tt.source, tt.name, tt.value, got, tt.want)
		}
	}
}

func TestPHPDrupalRenderKey(t *testing.T) {
	key := &request.Param{Source: request.SourceForm, Name: "mail[#post_render][]", Value: "mail[#post_render][]", Key: true}
	if _, ok := matchPHP(key, key.Value); !ok {
		t.Errorf("render array callback key not matched")
	}
	plain := &request.Param{Source: request.SourceForm, Name: "tags[#1]", Value: "tags[#1]", Key: true}
	if _, ok := matchPHP(plain, plain.Value); ok {
		t.Errorf("tags[#1] matched")
	}
}

// phpCode is PHP that php.go finds wherever it sits in a value: an open tag with code,
// calls of dangerous functions, superglobals, a serialized object, a variable function,
// a concatenation spelling a function.
var phpCode = []string{
	"<?php system($_GET['c']); ?>", "shell_exec('id')", "passthru($_GET[c])", "$_SERVER['HTTP_HOST']",
	`O:8:"stdClass":1:{s:1:"a";i:1;}`, "base64_decode('aWQ=')", "$a($_POST[1])", "('sys'.'tem')('id')",
	"<?= `id` ?>",
}

// templateProbes are template and script injections ssti.go finds in any text: an
// arithmetic probe, a walk to the interpreter, the objects probes dump, Node, Python
// and Ruby code.
var templateProbes = []string{
	"{{7*7}}", "${7*7}", "<%= 7*7 %>", "{{config.items()}}", "{{''.__class__.__mro__[1]}}",
	"#{7*7}", "require('child_process').exec('id')", "__import__('os').system('id')",
	"{{self}}", "IO.popen('id')", "process.mainModule.require('x')",
}

// FuzzCodeInjection checks the promises of php.go, ssti.go and backdoor.go on
// arbitrary input:
//
//   - CODEINJECTION (PHP, templates): each of phpCode and templateProbes is found
//     wherever it sits in benign text (but right after a '.'); a file name ending in a PHP extension is found
//     in an upload whatever its base name; words of prose (no digits, dots or
//     brackets) never match, in a query value or a file name;
//   - BACKDOOR: a known web shell name is found as the last path segment under any
//     benign directories; a generic shell name (shell.php) is found exactly when the
//     request carries a command parameter (cmd=...) or sits under a directory of
//     uploads; benign directories alone never match;
//   - fragments are non-empty and part of the value.
func FuzzCodeInjection(f *testing.F) {
	for _, s := range []string{
		"<?php echo 1;", "system('id')", "(system)(ls);", "$a['b'](1)", "${'x'}", `O:1:"A":0:{}`,
		"'sys'.'tem'", "{{7*7}}", "${T(java.lang.Runtime)}", "while(!0)", "process['env']",
		"@{[x]}", "#set($x=1)", "<%= 1+1 %>", "data:;base64,PD9w", "-d allow_url_include=1",
		"exec #c\n(1)", "[0](x", "\"\\x41\"(", "$", "{{", "<?", "'.'", "%x(", "x.php.jpg",
		"cos\nsystem\n(S'id'\ntR.", "gASVHQAAAAAAAACMBXBvc2l4lIwGc3lzdGVtlJOUjAJpZJSFlFKULg==",
		"!!python/object/apply:os.system", "System.Windows.Data.ObjectDataProvider, PresentationFramework",
		"/wEyxBEAAQAAAP////8BAAAA", "```php\n<?php\n$_GET[1];", "<?php\n\nnamespace A;\n\n",
		"/\\think\\app/invokefunction", "import os\n\n\nos.system('ls')", "{{.}}", "@System.IO.File.x(",
		"<?php\n\n\n$f = $_GET[0];\ncopy(\"$f\", <<<E\n{$_GET[1]}\nE);\n", "  ```php\n<?php /* ?> */ include $_GET[0]; ?>\n```\n",
		"import subprocess\n\n\nsubprocess.run(['wc', '-l'])",
	} {
		f.Add(s, "", uint8(0))
	}
	for n := range 11 {
		f.Add("I would like to know more about this product", "regards", uint8(n))
	}
	f.Fuzz(func(t *testing.T, v, suffix string, n uint8) {
		for _, p := range []*request.Param{
			{Source: request.SourceQuery, Name: "q", Value: v},
			{Source: request.SourceMultipart, Name: "f.filename", Value: v},
			{Source: request.SourceForm, Name: v, Value: v, Key: true},
		} {
			for _, m := range []func(*request.Param, string) (string, bool){matchPHP, matchSSTI, matchDeserializeValue} {
				if frag, ok := m(p, v); ok {
					checkFragment(t, CODEINJECTION, v, frag)
				}
			}
		}
		if len(v) < 200 {
			r := &request.Request{Params: []request.Param{{Source: request.SourcePath, Name: "path[0]", Value: v}, {Source: request.SourceQuery, Name: "cmd", Value: v}}}
			checkBackdoor(r)
		}

		q := &request.Param{Source: request.SourceQuery, Name: "q"}
		// Not after a '.': "Done. shell_exec('id')" reads as the method call of another
		// language (obj.exec(...)), which php.go deliberately leaves alone.
		before := strings.TrimRight(benignText(v, benignAlphabet, 60), ". ") + " "
		after := " " + benignText(suffix, benignAlphabet, 60)
		for _, c := range []struct {
			m    func(*request.Param, string) (string, bool)
			code string
		}{{matchPHP, pick(phpCode, n)}, {matchSSTI, pick(templateProbes, n)}} {
			w := before + c.code + after
			if frag, ok := c.m(q, w); !ok {
				t.Fatalf("CODEINJECTION missed %q", w)
			} else {
				checkFragment(t, CODEINJECTION, w, frag)
			}
		}
		upload := &request.Param{Source: request.SourceMultipart, Name: "f.filename"}
		file := "a" + benignText(v, "abcdefghijklmnopqrstuvwxyz0123456789-_", 30) + pick([]string{".php", ".phtml", ".php5", ".php.jpg", ".PHP", ".pHp7"}, n)
		if _, ok := matchPHP(upload, file); !ok {
			t.Fatalf("CODEINJECTION (PHP) missed the upload %q", file)
		}
		words := benignText(v+suffix, wordAlphabet, 200)
		for _, p := range []*request.Param{q, upload} {
			for _, m := range []func(*request.Param, string) (string, bool){matchPHP, matchSSTI, matchDeserializeValue} {
				if frag, ok := m(p, words); ok {
					t.Fatalf("CODEINJECTION matched prose %q in %q (fragment %q)", words, p.Name, frag)
				}
			}
		}

		// BACKDOOR, on a request to a script under benign directories.
		backdoor := func(script string, params ...request.Param) bool {
			var ps []request.Param
			for i, seg := range strings.Split(strings.TrimPrefix(pathSegments(v)+"/"+script, "/"), "/") {
				ps = append(ps, request.Param{Source: request.SourcePath, Name: "path[" + strconv.Itoa(i) + "]", Value: seg})
			}
			r := &request.Request{Method: "GET", Params: append(ps, params...)}
			checkBackdoor(r)
			return len(r.Signals) > 0
		}
		shells := []string{"c99.php", "r57.php", "wso.php", "b374k.php", "aspxspy.aspx", "jspspy.jsp", "p0wny-shell.php"}
		if s := pick(shells, n); !backdoor(s) {
			t.Fatalf("BACKDOOR missed %s under %q", s, pathSegments(v))
		}
		arg := request.Param{Source: request.SourceQuery, Name: pick([]string{"cmd", "command", "exec", "execute", "shell", "q", "id"}, n), Value: "x" + benignText(suffix, benignAlphabet, 20)}
		generic := pick([]string{"shell.php", "cmd.php", "hack.jsp", "pwn.asp"}, n/16)
		// Of the directories of uploads, only these two fit pathSegments's alphabet and
		// lengths; a script under one counts whatever its parameters.
		dirs := "/" + pathSegments(v) + "/"
		inUploads := strings.Contains(dirs, "/uploads/") || strings.Contains(dirs, "/uploaded/")
		if got, want := backdoor(generic, arg), shellParams[arg.Name] || inUploads; got != want {
			t.Fatalf("BACKDOOR on %s?%s=%s: %v, want %v", generic, arg.Name, arg.Value, got, want)
		}
		if backdoor(benignText(suffix, "abcdefghijklmnopqrstuvwxyz0123456789", 12), arg) {
			t.Fatalf("BACKDOOR on the benign path %q", pathSegments(v))
		}
	})
}

// matchDeserializeValue is matchDeserialize with the classes the dispatch computes.
func matchDeserializeValue(p *request.Param, v string) (string, bool) {
	return matchDeserialize(p, v, valueClasses(v))
}

// TestPHPSourceFileInRequest checks whole PHP source files sent in requests: as an upload
// under an image or text name (kept for a local file inclusion) and as a form field, a
// file reading input into reflection or an include is code injection; a controller saved
// from an IDE is not.
func TestPHPSourceFileInRequest(t *testing.T) {
	refl := "<?php\n\n\n(new ReflectionFunction($_GET['f']))->invoke($_GET['a']);\n"
	inc := "<?php\n\n\ninclude $_GET['f'];\n"
	ide := "<?php\n\nnamespace App\\Http\\Controllers;\n\nclass PageController extends Controller\n{\n    public function show(Request $request)\n    {\n        return view('page', ['id' => (int) $request->query('id')]);\n    }\n}\n"
	upload := func(name, ctype, content string) *request.Request {
		body := "--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name + "\"\r\nContent-Type: " + ctype + "\r\n\r\n" + content + "\r\n--xyz--\r\n"
		return &request.Request{Method: "POST", URI: "/upload", Path: "/upload", ContentType: "multipart/form-data; boundary=xyz", Body: []byte(body)}
	}
	form := func(content string) *request.Request {
		body := "file=footer.php&content=" + url.QueryEscape(content)
		return &request.Request{Method: "POST", URI: "/admin/theme/save", Path: "/admin/theme/save", ContentType: "application/x-www-form-urlencoded", Body: []byte(body)}
	}
	tests := []struct {
		name string
		r    *request.Request
		want bool
	}{
		{"reflection as avatar.jpg", upload("avatar.jpg", "image/jpeg", refl), true},
		{"reflection as notes.txt", upload("notes.txt", "text/plain", refl), true},
		{"include as avatar.jpg", upload("avatar.jpg", "image/jpeg", inc), true},
		{"reflection in a form field", form(refl), true},
		{"include in a form field", form(inc), true},
		{"controller upload", upload("PageController.txt", "text/plain", ide), false},
		{"controller in a form field", form(ide), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parse.Fill(tt.r, parse.Limits{})
			Inspect(tt.r)
			if got := tt.r.HasSignal(CODEINJECTION); got != tt.want {
				t.Errorf("CODEINJECTION = %v, want %v (signals %+v)", got, tt.want, tt.r.Signals)
			}
		})
	}
}

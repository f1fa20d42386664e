package detect

import (
	"strings"

	"github.com/rampartwaf/rampart/internal/request"
)

// CMDEXE: shell and Windows command injection.
//
// The detector looks for a command name in a command position: right after a shell
// separator (; | || & && newline backtick $( <( >( ), or at the very start of the value.
// What counts depends on how much the word looks like a command and what follows it:
//
//   - strong commands (whoami, wget, netcat, powershell...) are enough after a separator;
//   - bare-able commands (ls, id, pwd...) are enough after a separator when nothing or
//     another separator follows, so "; ls" and "|id|" match but "name|id=5" does not;
//   - every other listed command is also an English word (cat, time, more, find...) and
//     needs shell-like arguments: a flag (-la), an absolute path, a redirection, a
//     variable; network tools also take a host, sleep takes a number;
//   - prefix commands (time, nohup, sudo, env...) hand the position to the next word.
//
// At the start of a value, without a separator, only a few unmistakable commands match
// alone (whoami, ifconfig); others need flags or paths, so "cat food; dog food", "Tom &
// Jerry" and "red;$5 each" pass while "cat /etc/passwd" and "; ls -la" do not.
//
// Command words are read the way a shell reads them, so evasions fold away: quotes and
// backslashes inside a word (c'a't, who\ami), empty expansions ($@, $*, ${x}, $u), and
// ${IFS} as a space. An absolute path into a binary directory (/bin/, /usr/bin/...)
// counts as a strong command whatever the name.
//
// Constructs that are commands wherever they appear also match: /dev/tcp/ redirections,
// the Shellshock prefix "() {", ${IFS}, server-side include exec, cmd /c, PowerShell
// cmdlets that fetch or run code, and Windows batch FOR/IF statements.

func init() { registerValue(CMDEXE, matchCMDEXE) }

// Command classes (bits of cmdTable's values).
const (
	cmdWeak   = 1 << iota // listed: needs shell-like arguments
	cmdBare               // enough alone after a separator
	cmdStrong             // enough after a separator, with or without arguments
	cmdAlone              // enough as the whole value ("whoami")
	cmdPrefix             // runs the word after it as a command
	cmdNet                // a host, IP or URL argument is shell-like
	cmdNum                // a numeric argument is shell-like (sleep 5)
	cmdInterp             // an interpreter: -c/-e/-r with code is strong
	cmdPipe               // enough alone after a pipe: "| sh"
)

var cmdTable = map[string]uint16{}

func init() {
	add := func(class uint16, words string) {
		for _, w := range strings.Fields(words) {
			cmdTable[w] |= class | cmdWeak
		}
	}
	// Unix commands that are English words too (or too short to trust alone).
	add(0, `alias apt apt-get ar arch at awk cat chgrp tac tail nslookup base32 base64 basename bc bg break bzip2 cal
		cancel case cc cd chattr chmod chown chroot cksum clear cmp column comm command
		compress continue cp cpio crontab csplit cut date dd declare df diff dig dirname
		dmesg du echo ed egrep env eval exec exit expand export expr false fc fg fgrep file
		find fmt fold free ftp function gcc getent git grep groups gunzip gzip halt hash head
		help history host hostname iconv install ip jobs join kill last less let link ln
		locale locate logger login look ls lsof mail make man md5sum mkdir mkfifo mknod more
		mount mv nano nice nl node nohup od open paste patch pip pip3 pipx pkill popd pr
		printenv printf ps pushd pwd read readlink reboot rename renice return rev rm rmdir
		route rsync run scp screen script sed seq service set sftp sh sha1sum sha256sum shift
		shred shutdown sleep sort source split ssh stat strings su sum sync tac tail tar tee
		telnet test time timeout top touch tr trap true tty type ulimit umask unalias uname
		uniq unlink unset unzip uptime useradd users vi view vim w wait wall watch wc whereis
		which who whoami write xargs yes zip zcat`)
	// Windows commands.
	add(0, `assoc attrib call cacls copy del dir erase findstr icacls md move net nltest
		qwinsta quser reg ren rd sc schtasks start tasklist taskkill tracert ver where`)
	add(cmdBare, `ls id pwd dir ps uname whoami ifconfig ipconfig netstat hostname
		systeminfo tasklist`)
	add(cmdAlone, `whoami ifconfig ipconfig systeminfo`)
	add(cmdStrong, `whoami ifconfig ipconfig uname wget ncat netcat socat busybox powershell
		pwsh chmod chown nslookup netstat systeminfo tasklist taskkill certutil bitsadmin
		regsvr32 rundll32 mshta wmic cscript wscript netsh schtasks useradd usermod adduser
		passwd killall pkill crontab strace ltrace gdb tftp xterm nmap ssh-keygen ssh-copy-id
		visudo cscli cpulimit lastlog lastlogin sudo mkfifo setsid iptables sysctl modprobe
		insmod msfvenom telnet irb tclsh xxd hexdump uuencode nohup rmt rmt-tar rmt-dump
		ansible ansible-config ansible-console ansible-doc ansible-galaxy ansible-inventory
		ansible-playbook ansible-pull ansible-vault chef-client chef-run chef-shell chef-solo
		chef-vault lwp-download lwp-request`)
	// Shells and interpreters are English words or names too (bash, python, ruby): they
	// count alone only as the target of a pipe ("| sh").
	add(cmdPipe, `sh bash zsh ksh csh tcsh dash python python2 python3 perl ruby php lua
		node nc base64 cmd`)
	add(cmdPrefix, `time nohup sudo strace ltrace nice timeout xargs exec command builtin
		env setsid stdbuf unbuffer chroot doas`)
	add(cmdNet, `ping nc ncat netcat nslookup dig host ftp tftp telnet ssh scp curl wget
		traceroute tracert socat nmap whois`)
	add(cmdNum, `sleep timeout ping`)
	add(cmdInterp, `python python2 python3 perl ruby php node lua bash sh zsh ksh dash irb
		powershell pwsh`)
}

// binDirs are directories whose binaries are commands whatever their name.
var binDirs = []string{"/bin/", "/sbin/", "/usr/bin/", "/usr/sbin/", "/usr/local/bin/", "/usr/local/sbin/"}

// Strength of the separator before a command position.
const (
	posStart    = iota // start of the value, no separator
	posAttached        // a single & or | glued to a word: "a|b", "Q&A"
	posLoose           // a single & or | standing apart: "x & y", "x | y"
	posStrong          // ; && || newline backtick $( <( >(, or a separator opening the value
)

func matchCMDEXE(_ *request.Param, v string) (string, bool) {
	if len(v) < 2 {
		return "", false
	}
	// Start of the value: a command without a separator.
	if f, ok := cmdAtStart(v); ok {
		return f, true
	}
	if !strings.ContainsAny(v, ";|&`$\n\r(<>/-%") {
		return "", false
	}
	for i := 0; i < len(v); i++ {
		switch c := v[i]; c {
		case ';', '|', '&', '\n', '\r', '`':
			j := i + 1
			for j < len(v) && (v[j] == c || v[j] == '|' || v[j] == '&') {
				j++
			}
			level := posStrong
			if (c == '&' || c == '|') && j-i == 1 {
				level = cmdSepLevel(v, i)
			}
			if f, ok := cmdAfterSep(v, i, j, level, c == '|' && j-i == 1); ok {
				return f, true
			}
			i = j - 1
		case '$', '<', '>':
			if i+1 < len(v) && v[i+1] == '(' && (c != '$' || !jqueryCall(v, i+2)) {
				if f, ok := cmdAfterSep(v, i, i+2, posStrong, false); ok {
					return f, true
				}
			}
			if c == '$' && (hasPrefixFold(v[i+1:], "ifs") && (i+4 == len(v) || !isIdent(v[i+4])) || hasPrefixFold(v[i+1:], "{ifs}")) {
				return around(v, i, i+6), true
			}
		case '(':
			if f, ok := shellshock(v, i); ok {
				return f, true
			}
		case '/':
			if hasPrefixFold(v[i:], "/dev/tcp/") || hasPrefixFold(v[i:], "/dev/udp/") {
				return around(v, i, i+9), true
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
	return "", false
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

// cmdAtStart checks the first word of v as a command without a separator before it.
func cmdAtStart(v string) (string, bool) {
	i := 0
	for i < len(v) && (isSpace(v[i]) || v[i] == '\'' || v[i] == '"') {
		i++
	}
	if i >= len(v) || !(isAlpha(v[i]) || v[i] == '/') {
		return "", false
	}
	return cmdAt(v, i, posStart, false, 0)
}

// cmdAfterSep checks the command position after the separator v[i:j].
func cmdAfterSep(v string, i, j, level int, pipe bool) (string, bool) {
	k := j
	for k < len(v) && (isSpace(v[k]) || v[k] == '{' || v[k] == '(' || v[k] == '!' || v[k] == '@') {
		k++
	}
	if f, ok := cmdAt(v, k, level, pipe, 0); ok {
		return around(v, i, k+len(f)), true
	}
	return "", false
}

// cmdAt judges the word at v[i:] as a command in a position of the given level. pipe
// says the separator was a single pipe; depth bounds the prefix-command recursion.
func cmdAt(v string, i, level int, pipe bool, depth int) (string, bool) {
	if i >= len(v) || depth > 3 {
		return "", false
	}
	var buf [40]byte
	word, end, binPath := readCmdWord(buf[:], v, i)
	arg := cmdShellArg(v, end, cmdWeak)
	if binPath {
		// /usr/bin/anything: a binary by absolute path.
		if level > posStart || arg != argNone {
			return v[i:end], true
		}
		return "", false
	}
	if len(word) == 0 {
		// A word made only of an expansion ($a, $5): the command is the next word.
		if end > i && level > posAttached {
			return cmdAt(v, skipSpaces(v, end), level, pipe, depth+1)
		}
		return "", false
	}
	class := cmdTable[string(word)]
	if class == 0 {
		return "", false
	}
	arg = cmdShellArg(v, end, class)
	if class&cmdPrefix != 0 && arg != argEnd && arg != argSep {
		// time sh -c ..., nohup ifconfig: judge the next word. Numeric and option
		// arguments of the prefix (timeout 5 cmd, nice -n 5 cmd) are skipped first.
		k := skipSpaces(v, end)
		for k < len(v) && (isDigit(v[k]) || v[k] == '-') {
			for k < len(v) && !isSpace(v[k]) {
				k++
			}
			k = skipSpaces(v, k)
		}
		next := level
		if next < posLoose {
			next = posLoose
		}
		if f, ok := cmdAt(v, k, next, false, depth+1); ok {
			return v[i : k+len(f)], true
		}
	}
	if string(word) == "net" && netSubcommand(v, end) && (level >= posLoose || level == posStart && cmdShellArg(v, end, 0) == argNone) {
		return v[i:end], true
	}
	if string(word) == "alias" {
		if level == posStart {
			return "", false
		}
		return aliasDef(v, i, end)
	}
	if class&cmdInterp != 0 && arg == argFlag && interpFlag(v, end) {
		return v[i:end], true
	}
	shellArg := arg == argFlag || arg == argPath || arg == argRedirect || arg == argVar
	if level == posStart {
		switch {
		case class&cmdAlone != 0 && arg == argEnd:
			return v[i:end], true
		case class&cmdStrong != 0 && shellArg:
			return v[i:end], true
		case arg == argFlag && cmdFlagRun(v, end):
			// ls -la, netstat -an, env --version
			return v[i:end], true
		case arg == argPath && cmdPathArg(v, end):
			// cat /etc/passwd, type C:\boot.ini
			return v[i:end], true
		}
		return "", false
	}
	lower := true
	for k := i; k < end; k++ {
		if 'A' <= v[k] && v[k] <= 'Z' {
			lower = false
			break
		}
	}
	alone := arg == argEnd || arg == argSep
	switch {
	case class&cmdStrong != 0 && (level >= posLoose || shellArg || alone):
		return v[i:end], true
	case class&cmdPipe != 0 && pipe && level >= posLoose && (alone || shellArg):
		return v[i:end], true
	case class&cmdBare != 0 && alone && (level == posStrong || level == posLoose && lower):
		return v[i:end], true
	case shellArg && level >= posLoose:
		return v[i:end], true
	case shellArg && (arg == argFlag && cmdFlagRun(v, end) || arg == argPath && cmdPathArg(v, end)):
		return v[i:end], true
	case arg == argNet && class&cmdNet != 0 && level >= posLoose:
		return v[i:end], true
	case arg == argNum && class&(cmdNum|cmdNet) != 0 && level >= posLoose:
		return v[i:end], true
	}
	return "", false
}

// cmdPathArg reports whether the path argument after a command word names a place on a
// system rather than, say, "and/or": an absolute path of two elements or more, a top
// directory of the system, a home or relative path, or a drive path.
func cmdPathArg(v string, end int) bool {
	i := skipSpaces(v, end)
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
		for _, d := range []string{"/tmp", "/etc", "/bin", "/usr", "/var", "/dev", "/proc", "/root", "/home", "/opt", "/sys", "/boot"} {
			if strings.EqualFold(tok, d) {
				return true
			}
		}
	case len(tok) > 1 && tok[0] == '%':
		return true
	}
	return false
}

// readCmdWord reads the command word at v[i:] into buf the way a shell would see it:
// quotes, backslashes and empty expansions inside it are dropped, ${IFS} and $IFS end it.
// binPath reports an absolute path into a binary directory.
func readCmdWord(buf []byte, v string, i int) (word []byte, end int, binPath bool) {
	if i < len(v) && v[i] == '/' {
		// A path: the command is its last element.
		j := i
		for j < len(v) && !isSpace(v[j]) && !strings.ContainsRune(";|&`)<>'\"", rune(v[j])) {
			j++
		}
		path := v[i:j]
		for _, d := range binDirs {
			if hasPrefixFold(path, d) && len(path) > len(d) {
				return nil, j, true
			}
		}
		if globBinDir(path) {
			return nil, j, true
		}
		last := strings.LastIndexByte(path, '/')
		w, _ := lowerWord(buf, path, last+1, isCmdByte)
		return w, j, false
	}
	n := 0
	j := i
	for j < len(v) {
		c := v[j]
		switch {
		case isCmdByte(c):
			if n < len(buf) {
				buf[n] = lowerASCII(c)
				n++
			}
			j++
		case c == '\'' || c == '"':
			// ti''me, c"a"t, 'rmt' — but not a quote that opens a sentence.
			k := j + 1
			for k < len(v) && v[k] == c {
				k++
			}
			if k-j >= 2 || j == i || (k < len(v) && isCmdByte(v[k])) || n > 0 {
				j = k
				continue
			}
			return buf[:n], j, false
		case c == '\\' && j+1 < len(v) && isAlpha(v[j+1]):
			j++
		case c == '$':
			k, isIFS := skipExpansion(v, j)
			if isIFS || k == j {
				return buf[:n], j, false
			}
			j = k
		default:
			return buf[:n], j, false
		}
	}
	return buf[:n], j, false
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
		k := strings.IndexByte(v[j:], '}')
		if k < 0 || k > 32 {
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

// globBinDir reports a path whose first two elements are globs that can stand for a
// binary directory: /???/??t, /b?n/c?t, /bi[n]/bash.
func globBinDir(path string) bool {
	if len(path) < 4 || path[0] != '/' {
		return false
	}
	first := path[1:]
	slash := strings.IndexByte(first, '/')
	if slash < 1 || slash+1 >= len(first) {
		return false
	}
	dir := first[:slash]
	if !strings.ContainsAny(dir, "?*[") {
		return false
	}
	// The directory must fit "bin" or "usr"/"sbin" with its wildcards.
	return globFits(dir, "bin") || globFits(dir, "sbin") || globFits(dir, "usr")
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
		class := g[1:end]
		neg := class != "" && (class[0] == '!' || class[0] == '^')
		in := strings.IndexByte(class, name[0]) >= 0
		if neg {
			in = !in
		}
		return in && globFits(g[end+1:], name[1:])
	}
	return name != "" && lowerASCII(g[0]) == name[0] && globFits(g[1:], name[1:])
}

// Kinds of what follows a command word.
const (
	argNone     = iota // a plain word or nothing telling
	argEnd             // end of the value (or of a substitution)
	argSep             // another separator: the command stands alone
	argFlag            // -x, --long, +x
	argPath            // /abs/path, ~/x, ./x, ../x, C:\x, \\server, %VAR%
	argRedirect        // > < >> <<<
	argVar             // $x `x` a substitution
	argNet             // a host, IP address or URL
	argNum             // a number
)

// cmdShellArg classifies what follows the command word ending at v[end].
func cmdShellArg(v string, end int, class uint16) int {
	i := end
	for i < len(v) {
		if isSpace(v[i]) {
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
	if i == end && !(v[i] == ';' || v[i] == '|' || v[i] == '&' || v[i] == '`' || v[i] == ')' || v[i] == '<' || v[i] == '>' || v[i] == '\n' || v[i] == '\r') {
		// Glued to the word and not a separator: "time." or "id=5".
		if end > 0 && v[i] != '$' {
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
		if isAlnum(next) || next == '.' || next == '?' || next == '*' || next == '[' || next == '$' || next == '\'' || next == '"' || next == '\\' {
			return argPath
		}
		if next == ' ' || next == 0 || next == ';' {
			return argPath // cd /
		}
	case '~', '\\':
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
		if j == len(v) || isSpace(v[j]) || v[j] == ';' || v[j] == '&' || v[j] == '|' || v[j] == '`' {
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

// cmdFlagRun reports whether the flag after a command word reads as options rather than
// prose: a short run of letters after one dash ("-la", "-an", "-rf") or a long option
// ("--version"); "time -the" and "sort -name" are prose or data.
func cmdFlagRun(v string, end int) bool {
	i := skipSpaces(v, end)
	if i+1 >= len(v) {
		return false
	}
	if v[i] == '+' {
		return isAlpha(v[i+1])
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
	if k < len(v) && !isSpace(v[k]) && v[k] != ';' && v[k] != '|' && v[k] != '&' && v[k] != '`' && v[k] != ')' && v[k] != ':' {
		return false
	}
	return long || k-j <= 4
}

// interpFlag reports an interpreter flag that runs code: -c, -e, -r, -E, -i, -Command.
func interpFlag(v string, end int) bool {
	i := skipSpaces(v, end)
	if i+1 >= len(v) || v[i] != '-' {
		return false
	}
	f := v[i+1:]
	for _, opt := range []string{"c ", "e ", "r ", "i", "command", "enc", "nop", "w hidden", "exec", "m "} {
		if hasPrefixFold(f, opt) {
			return true
		}
	}
	return len(f) == 1
}

// netSubcommand reports whether the Windows "net" command at end is followed by one of
// its subcommands that reads or changes accounts, shares or services.
func netSubcommand(v string, end int) bool {
	i := skipSpaces(v, end)
	if i == end {
		return false
	}
	for _, sub := range []string{"user", "users", "localgroup", "group", "view", "share", "use", "start", "stop", "session", "accounts", "config"} {
		if wordAt(v, i, sub) {
			return true
		}
	}
	return false
}

// aliasDef matches "alias name=value" and "alias -p name=value" in a command position.
func aliasDef(v string, i, end int) (string, bool) {
	k := skipSpaces(v, end)
	for k < len(v) && (v[k] == '-' || v[k] == '+') {
		for k < len(v) && !isSpace(v[k]) {
			k++
		}
		k = skipSpaces(v, k)
	}
	start := k
	for k < len(v) && !isSpace(v[k]) && v[k] != '=' {
		k++
	}
	if k > start && k < len(v) && v[k] == '=' {
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

// cmdOptionInjection matches options that make a program run a command: ssh's
// -oProxyCommand=, and git's --upload-pack= / --open-files-in-pager=.
func cmdOptionInjection(v string, i int) (string, bool) {
	for _, opt := range []string{"-oproxycommand", "--upload-pack=", "--open-files-in-pager=", "--receive-pack="} {
		if hasPrefixFold(v[i:], opt) && (i == 0 || !isIdent(v[i-1])) {
			return around(v, i, i+len(opt)), true
		}
	}
	return "", false
}

// windowsCommand matches Windows-only constructs anywhere in v: cmd /c, PowerShell
// cmdlets that fetch or run code, and batch FOR and IF statements.
func windowsCommand(v string) (string, bool) {
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
	if strings.IndexByte(v, '-') >= 0 {
		for _, c := range psCmdlets {
			if i := indexWordFold(v, c); i >= 0 {
				return around(v, i, i+len(c)), true
			}
		}
	}
	if f, ok := batchFor(v); ok {
		return f, true
	}
	return batchIf(v)
}

// psCmdlets are PowerShell names that download or run code.
var psCmdlets = []string{
	"invoke-webrequest", "invoke-expression", "invoke-restmethod", "invoke-command",
	"invoke-shellcode", "invoke-mimikatz", "start-process", "new-object", "start-bitstransfer",
	"-encodedcommand", "-executionpolicy", "get-wmiobject", "invoke-wmimethod",
	"set-mppreference", "add-mppreference", "downloadstring", "downloadfile",
}

// batchStart returns the index where a batch statement could start: the start of the
// value or after a command separator, skipping spaces. It returns -1 when the keyword
// kw is not found in such a position.
func batchStart(v, kw string) int {
	for off := 0; off < len(v); {
		i := indexWordFold(v[off:], kw)
		if i < 0 {
			return -1
		}
		i += off
		k := i - 1
		for k >= 0 && isSpace(v[k]) {
			k--
		}
		if k < 0 || strings.IndexByte("&|;(\n\r@", v[k]) >= 0 {
			return i
		}
		off = i + len(kw)
	}
	return -1
}

// batchFor matches "for [/d|/r|/l|/f [options]] %x in (": the loop variable with its
// percent sign gives it away.
func batchFor(v string) (string, bool) {
	i := batchStart(v, "for")
	if i < 0 {
		return "", false
	}
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
			k = skipSpaces(v, k+1)
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
func batchIf(v string) (string, bool) {
	i := batchStart(v, "if")
	if i < 0 {
		return "", false
	}
	if strings.IndexByte(v, '{') >= 0 {
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
	if hasPrefixFold(tok, "/i") {
		j = e
		tok, e = next()
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
		rest := v[j:]
		if k := strings.Index(rest, "=="); k > 0 {
			return around(v, i, j+k+2), true
		}
		for _, op := range []string{" equ ", " neq ", " lss ", " leq ", " gtr ", " geq "} {
			if k := indexFold(rest, op); k >= 0 {
				return around(v, i, j+k+len(op)), true
			}
		}
	}
	return "", false
}

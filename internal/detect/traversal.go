package detect

import (
	"strings"

	"github.com/rampartwaf/rampart/internal/request"
)

// TRAVERSAL: path traversal and file inclusion.
//
// Four checks, each cheap to reject:
//
//   - dot-dot sequences. The scanner reads dots and separators in every spelling a
//     server may decode (%2e, %252e, 0x2e, overlong UTF-8 such as %c0%ae and %c0%af,
//     %uff0e, %u2215...), and treats the malformed escapes that fuzzing lists use as
//     separators (%c0%9v, %bg%qf), so it does not depend on the value having been decoded
//     correctly. Two dot-dot steps, one with a backslash or an encoded dot, or one leading
//     to a dot-file or a system file match; a single plain "../img.png" does not.
//   - absolute or relative paths of files attackers read: /etc/passwd, /proc/self/environ,
//     win.ini, boot.ini, .ssh/id_rsa, WEB-INF/web.xml... The match tolerates shell globs
//     and quotes (/e't'c/pa??wd, /etc/pa[s]swd), doubled separators and "./" steps.
//   - stream wrappers that turn an include into a read or an execution: php://filter,
//     php://input, zip://, phar://, expect://, data:text/plain, file:, jar:...
//   - remote file inclusion: a URL ending with "?" or a NUL (which cuts the suffix the
//     application appends), a URL to a bare IP address naming a script, or a URL in a
//     parameter that old PHP applications are known to include.

func init() { registerValue(TRAVERSAL, matchTraversal) }

func matchTraversal(p *request.Param, v string) (string, bool) {
	if len(v) < 3 {
		return "", false
	}
	if !strings.ContainsAny(v, "./\\%:") && !strings.Contains(v, "0x") {
		return "", false
	}
	if f, ok := dotDot(v); ok {
		return f, true
	}
	if f, ok := sensitivePath(v); ok {
		return f, true
	}
	if f, ok := systemPathStart(v); ok {
		return f, true
	}
	if f, ok := selfSteps(v); ok {
		return f, true
	}
	if f, ok := includeWrapper(v); ok {
		return f, true
	}
	return remoteInclude(p, v)
}

// Units of the dot-dot scanner.
const (
	tuOther = iota
	tuDot
	tuSep
	tuSkip // NUL and similar noise between dots and separators
	tuWild // an overlong escape of no clear meaning, or '?': a dot or a separator
)

// travUnit reads one unit of v at i: a dot or a separator in any spelling, noise, or any
// other byte. It returns the unit, its length, and whether the spelling was encoded.
func travUnit(v string, i int) (unit, n int, enc bool) {
	c := v[i]
	switch c {
	case '.':
		return tuDot, 1, false
	case '/', '\\':
		return tuSep, 1, false
	case 0:
		return tuSkip, 1, false
	case '?':
		return tuWild, 1, false
	case '0':
		if i+3 < len(v) && (v[i+1] == 'x' || v[i+1] == 'X') {
			if b, _, ok := hexPair(v, i+2); ok {
				if u, _, _ := classifyByte(b, 4); u == tuDot || u == tuSep {
					return u, 4, true
				}
			}
		}
	case '%':
		return percentUnit(v, i)
	}
	return tuOther, 1, false
}

// percentUnit reads a %-escape at v[i] as a dot, separator or noise: single, double
// (%252e, %%32%65) and overlong (%c0%ae, %e0%80%af) encodings, %uXXXX forms, and
// malformed escapes, which fuzzing lists use where a separator goes.
func percentUnit(v string, i int) (unit, n int, enc bool) {
	j := i + 1
	// Layers of "%25" (an encoded percent) and "%%" before the escape itself.
	for {
		if j+1 < len(v) && v[j] == '2' && v[j+1] == '5' {
			j += 2
			if j < len(v) && v[j] == '%' {
				j++
			}
			continue
		}
		if j < len(v) && v[j] == '%' {
			j++
			continue
		}
		break
	}
	if j < len(v) && (v[j] == 'u' || v[j] == 'U') && j+4 < len(v) {
		var hex [4]byte
		for k := range hex {
			hex[k] = lowerASCII(v[j+1+k])
		}
		switch string(hex[:]) {
		case "002e", "ff0e", "2024", "fe52":
			return tuDot, j + 5 - i, true
		case "002f", "2215", "2216", "ff0f", "005c", "ff3c", "efc8", "f025", "2044", "29f5":
			return tuSep, j + 5 - i, true
		case "0000", "0001":
			return tuSkip, j + 5 - i, true
		}
		return tuOther, 1, false
	}
	if j-i >= 2 && v[j-1] == '%' {
		// "%%32%65", "%%32%%66": an escape whose hex digits are escapes themselves.
		if b2, k2, ok2 := escapedHexPair(v, j); ok2 {
			return classifyByte(b2, k2-i)
		}
	}
	b, k, ok := hexPair(v, j)
	if !ok {
		if b2, k2, ok2 := escapedHexPair(v, j); ok2 {
			return classifyByte(b2, k2-i)
		}
		// A malformed escape (%c0%9v, %bg%qf) stands for a separator.
		if j+1 < len(v) && isAlnum(v[j]) && isAlnum(v[j+1]) {
			return tuSep, j + 2 - i, true
		}
		return tuOther, 1, false
	}
	if b < 0x80 {
		return classifyByte(b, k-i)
	}
	// Overlong UTF-8: a lead byte, continuation bytes, each possibly %25-encoded.
	var cont int
	switch {
	case b == 0xC0 || b == 0xC1:
		cont = 1
	case b == 0xE0:
		cont = 2
	case b == 0xF0:
		cont = 3
	case b == 0xF8:
		cont = 4
	case b == 0xFC:
		cont = 5
	default:
		return tuOther, k - i, true
	}
	val := 0
	if b == 0xC1 {
		val = 1 << 6
	}
	for c := 0; c < cont; c++ {
		if k >= len(v) {
			return tuOther, k - i, true
		}
		if v[k] != '%' {
			// "%c0." and similar: the raw byte as continuation.
			if c == cont-1 {
				return classifyByte(byte(val|int(v[k])&0x3F), k+1-i)
			}
			return tuOther, k - i, true
		}
		kk := k + 1
		for kk+1 < len(v) && v[kk] == '2' && v[kk+1] == '5' {
			kk += 2
			if kk < len(v) && v[kk] == '%' {
				kk++
			}
		}
		cb, nk, ok := hexPair(v, kk)
		if !ok {
			if kk+1 < len(v) && isAlnum(v[kk]) && isAlnum(v[kk+1]) {
				return tuSep, kk + 2 - i, true
			}
			return tuOther, k - i, true
		}
		if c < cont-1 {
			k = nk
			continue
		}
		if cb < 0x80 {
			// %c0%2e, %c0%5c: a bogus lead byte before a plain escape.
			if u, n, e := classifyByte(cb, nk-i); u != tuOther {
				return u, n, e
			}
		}
		if u, n, e := classifyByte(byte(val|int(cb)&0x3F), nk-i); u != tuOther || cont > 1 {
			return u, n, e
		}
		// Decoders that ignore the lead byte's low bit read %c1%af as '/'.
		if u, n, e := classifyByte(byte(cb&0x3F), nk-i); u != tuOther {
			return u, n, e
		}
		return tuWild, nk - i, true
	}
	return tuOther, k - i, true
}

func classifyByte(b byte, n int) (int, int, bool) {
	switch b {
	case '.':
		return tuDot, n, true
	case '/', '\\':
		return tuSep, n, true
	case 0, 1:
		return tuSkip, n, true
	}
	return tuOther, n, true
}

// hexPair decodes the two hex digits at v[j:].
func hexPair(v string, j int) (byte, int, bool) {
	if j+1 >= len(v) || !isHexDigit(v[j]) || !isHexDigit(v[j+1]) {
		return 0, j, false
	}
	return unhexByte(v[j])<<4 | unhexByte(v[j+1]), j + 2, true
}

// escapedHexPair decodes "%32%65" (each hex digit itself escaped) at v[j:].
func escapedHexPair(v string, j int) (byte, int, bool) {
	if j+5 > len(v) {
		return 0, j, false
	}
	k := j
	var digits [2]byte
	for d := 0; d < 2; d++ {
		for k < len(v) && v[k] == '%' && d > 0 {
			k++
		}
		b, nk, ok := hexPair(v, k)
		if !ok || !isHexDigit(b) {
			return 0, j, false
		}
		digits[d] = b
		k = nk
	}
	return unhexByte(digits[0])<<4 | unhexByte(digits[1]), k, true
}

func unhexByte(c byte) byte {
	switch {
	case isDigit(c):
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10
	}
	return 0
}

// dotDot finds dot-dot steps in v and judges them.
func dotDot(v string) (string, bool) {
	if !strings.Contains(v, "..") && strings.IndexByte(v, '%') < 0 && !strings.Contains(v, "0x") && !strings.Contains(v, "0X") {
		return "", false
	}
	steps, first, last := 0, -1, 0
	encoded, backslash := false, false
	i := 0
	for i < len(v) {
		u, n, _ := travUnit(v, i)
		if u != tuDot && u != tuWild {
			i += n
			continue
		}
		// A run of dots (two or more), possibly with noise between them.
		start := i
		dots := 0
		runEnc := false
		for i < len(v) {
			u, n, enc := travUnit(v, i)
			if u == tuDot || u == tuWild {
				dots++
				runEnc = runEnc || enc
			} else if u != tuSkip {
				break
			}
			i += n
		}
		if dots < 2 {
			continue
		}
		// Dots glued to a name ("foo..", "..foo") are not a step.
		if start > 0 {
			pu, _, _ := travUnit(v, prevUnitStart(v, start))
			if pu == tuOther && !travStepOpener(v[start-1]) {
				continue
			}
		}
		// One or more separators must follow ("..;/" counts: Tomcat drops ";...").
		j := i
		if j < len(v) && v[j] == ';' {
			j++
			for j < len(v) && v[j] != '/' && v[j] != '\\' && j-i < 16 {
				j++
			}
		}
		tomcat := j > i
		seps := 0
		for j < len(v) {
			u, n, enc := travUnit(v, j)
			if u != tuSep && u != tuSkip && !(u == tuWild && v[j] != '?') {
				break
			}
			if u == tuWild {
				u = tuSep
			}
			if u == tuSep {
				seps++
				runEnc = runEnc || enc
				if v[j] == '\\' {
					backslash = true
				}
			}
			j += n
		}
		if seps == 0 && j < len(v) {
			continue
		}
		if seps == 0 && steps == 0 {
			continue // a trailing ".." alone
		}
		steps++
		encoded = encoded || runEnc
		if first < 0 {
			first = start
		}
		last = j
		i = j
		// Two steps, an encoded or backslashed one, more than two dots ("....//"), a
		// doubled separator, Tomcat's "..;/", or a step that opens the value.
		if steps >= 2 || encoded || backslash || dots > 2 || seps > 1 || tomcat || travAtStart(v, start) {
			return around(v, first, last), true
		}
		// One plain step: judge what it leads to.
		if j < len(v) && (v[j] == '.' || sensitiveAt(v, j)) {
			return around(v, first, last), true
		}
	}
	return "", false
}

// travAtStart reports whether the dot-dot run at start opens the value (after quotes,
// spaces or separators).
func travAtStart(v string, start int) bool {
	for k := 0; k < start; k++ {
		if c := v[k]; c != ' ' && c != '\'' && c != '"' && c != '/' && c != '\\' && c != '.' {
			return false
		}
	}
	return true
}

// selfSteps matches values that open with a run of "./" steps mixed with separators
// ("./\/./", ".\/\.\"), padding that only hides what follows.
func selfSteps(v string) (string, bool) {
	n, i := 0, 0
	for i+1 < len(v) {
		if v[i] == '.' && (v[i+1] == '/' || v[i+1] == '\\') && (i == 0 || v[i-1] == '/' || v[i-1] == '\\') {
			n++
			i += 2
			continue
		}
		if v[i] == '/' || v[i] == '\\' {
			i++
			continue
		}
		break
	}
	if n >= 3 {
		return v[:i], true
	}
	return "", false
}

// prevUnitStart returns where the unit ending just before i starts (one byte back; an
// escape such as %2f reads as one unit from its '%').
func prevUnitStart(v string, i int) int {
	for k := i - 1; k >= 0 && k >= i-12; k-- {
		if v[k] == '%' {
			if u, n, _ := travUnit(v, k); u != tuOther && k+n == i {
				return k
			}
		}
	}
	return i - 1
}

// travStepOpener reports bytes after which a dot-dot step may start: "=..", "(..", a
// quote, a space.
func travStepOpener(c byte) bool {
	return c == '=' || c == '(' || c == '\'' || c == '"' || c == ' ' || c == ':' || c == ';' || c == ',' || c == '|' || c == '&' || c == '?' || c == '>' || c == '<' || c == '{' || c == '[' || c == '\t'
}

// sensitiveFiles are paths (lower case, '/' separated) that attackers read through
// traversal or inclusion. Each is matched at a path start: the value start or after a
// separator.
var sensitiveFiles = []string{
	"etc/passwd", "etc/shadow", "etc/group", "etc/hosts", "etc/issue", "etc/motd",
	"etc/master.passwd", "etc/sudoers", "etc/crontab", "etc/fstab", "etc/hostname",
	"etc/resolv.conf", "etc/subuid", "etc/subgid", "etc/security/", "etc/ssh/", "etc/mysql/",
	"etc/apache", "etc/httpd/", "etc/nginx/", "etc/php", "etc/init.d/", "etc/profile",
	"etc/bashrc", "etc/environment", "etc/network/", "etc/pam.d/", "etc/ld.so.", "etc/inetd.conf",
	"etc/shells", "etc/aliases", "etc/exports", "etc/redhat-release", "etc/lsb-release", "etc/os-release",
	"etc/vsftpd", "etc/proftpd", "etc/samba/", "etc/x11/", "etc/cron", "etc/syslog", "etc/rc.",
	"proc/self/", "proc/version", "proc/cmdline", "proc/mounts", "proc/net/", "proc/sys/",
	"proc/cpuinfo", "proc/meminfo", "proc/interrupts", "proc/partitions", "proc/devices",
	"proc/loadavg", "proc/stat", "proc/sched_debug", "proc/kcore", "proc/filesystems",
	"sys/class/", "sys/kernel/", "sys/devices/", "var/log/", "var/adm/", "var/mail/",
	"var/spool/", "var/run/secrets", "var/lib/mysql", "var/lib/php", "var/www/", "usr/local/apache",
	"usr/local/etc/", "usr/local/apps/", "usr/local/php", "opt/lampp/", "root/",
	".ssh/", ".aws/credentials", ".bash_history", ".zsh_history", ".mysql_history", ".history",
	".htpasswd", ".htaccess", ".git/", ".svn/", ".env", ".docker/", ".kube/config", ".npmrc",
	".netrc", ".pgpass", ".bashrc", ".profile", ".gnupg/",
	"web-inf/", "meta-inf/", "wp-config.php", "boot.ini", "win.ini", "system.ini",
	"windows/system32", "windows/repair", "windows/win", "windows/system.ini", "windows/panther/",
	"windows/debug/", "windows/iis", "winnt/", "system32/", "inetpub/", "xampp/", "wamp/",
	"php.ini", "my.ini", "my.cnf", "httpd.conf", "apache2.conf", "nginx.conf", "php5/",
	"repair/sam", "config/sam", "boot/grub/", "dev/shm/", "access_log", "access.log",
	"error_log", "error.log", "apache/logs/", "apache2/logs/", "appserv/", "program files/apache",
	"program files/mysql", "program files/php", ".bash_profile", ".cshrc", ".login", ".logout",
	".viminfo", ".lesshst", ".xauthority", ".forward", ".rhosts", ".k5login", "id_rsa", "id_dsa",
	"authorized_keys", "web.config", "global.asa", "httpd-vhosts.conf",
}

// dotFilesAlone are hidden files that name an attack target even as a whole value.
var dotFilesAlone = []string{
	".htaccess", ".htpasswd", ".env", ".bash_history", ".zsh_history", ".mysql_history",
	".git/", ".svn/", ".ssh/", ".aws/", ".npmrc", ".netrc", ".pgpass", ".bashrc", ".bash_profile",
	".docker/", ".kube/",
}

// systemDirs are top directories of a Unix system: an absolute path into them opening a
// value is a file read attempt (application URL paths do not live there).
var systemDirs = []string{"etc", "proc", "sys", "var", "usr", "opt", "root", "boot", "private/etc", "private/var"}

// systemPathStart matches a value that opens with an absolute path into a system
// directory ("/etc/anything", "/proc/1/maps"), a hidden file at the root ("/.cshrc"), or a
// hidden file alone (".htaccess").
func systemPathStart(v string) (string, bool) {
	i := 0
	for i < len(v) && (v[i] == ' ' || v[i] == '\'' || v[i] == '"') {
		i++
	}
	for _, f := range dotFilesAlone {
		if hasPrefixFold(v[i:], f) {
			end := i + len(f)
			if f[len(f)-1] == '/' || end == len(v) || !isAlnum(v[end]) && v[end] != '_' && v[end] != '-' {
				return around(v, i, end), true
			}
		}
	}
	if i >= len(v) || v[i] != '/' && v[i] != '\\' {
		return "", false
	}
	j := i
	for j < len(v) && (v[j] == '/' || v[j] == '\\') {
		j++
	}
	if j < len(v) && v[j] == '.' && j+1 < len(v) && isAlpha(v[j+1]) && !hasPrefixFold(v[j:], ".well-known") {
		return around(v, i, j+2), true
	}
	for _, d := range systemDirs {
		if end, ok := pathGlobMatch(v, j, d+"/"); ok && end < len(v) && isAlnum(v[end]) {
			return around(v, i, end), true
		}
	}
	return "", false
}

// sensitiveByFirst indexes sensitiveFiles by first byte.
var sensitiveByFirst [256][]string

func init() {
	for _, f := range sensitiveFiles {
		sensitiveByFirst[f[0]] = append(sensitiveByFirst[f[0]], f)
	}
}

// sensitivePath finds a sensitive file path in v at a path start.
func sensitivePath(v string) (string, bool) {
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c != '/' && c != '\\' && i != 0 {
			continue
		}
		j := i
		if c == '/' || c == '\\' {
			j = i + 1
		} else if i == 0 && !(isAlpha(c) || c == '.') {
			continue
		}
		// At the value start only a path with a separator in it counts ("etc/passwd",
		// not "php.ini" alone).
		if i == 0 && c != '/' && c != '\\' {
			if !strings.ContainsAny(v, "/\\") {
				continue
			}
		}
		if end, ok := sensitiveFileAt(v, j); ok {
			// "/root/" and ".env" need a little more than their prefix.
			return around(v, i, end), true
		}
	}
	return "", false
}

// sensitiveAt reports whether a sensitive file path starts at v[i].
func sensitiveAt(v string, i int) bool {
	_, ok := sensitiveFileAt(v, i)
	return ok
}

// sensitiveFileAt tries each sensitive path at v[i:], skipping "./" steps and doubled
// separators before it.
func sensitiveFileAt(v string, i int) (int, bool) {
	for i < len(v) && (v[i] == '/' || v[i] == '\\' || v[i] == '.' && i+1 < len(v) && (v[i+1] == '/' || v[i+1] == '\\')) {
		i++
	}
	if i >= len(v) {
		return 0, false
	}
	c := lowerASCII(v[i])
	try := func(list []string) (int, bool) {
		for _, f := range list {
			if end, ok := pathGlobMatch(v, i, f); ok {
				if f == ".env" || f == ".history" || f == "root/" || f == ".profile" || f == ".bashrc" {
					// Whole element only: ".env" but not ".environment".
					if end < len(v) && (isAlnum(v[end]) || v[end] == '_') {
						continue
					}
				}
				return end, true
			}
		}
		return 0, false
	}
	if end, ok := try(sensitiveByFirst[c]); ok {
		return end, true
	}
	if c == '?' || c == '*' || c == '[' || c == '\'' || c == '"' {
		return try(sensitiveFiles)
	}
	return 0, false
}

// pathGlobMatch matches the lower-case path pat against v at i the way a shell would
// resolve it: '?', '*' and [...] in v are globs, quotes and backslashes before letters
// are dropped, '/' in pat matches a run of '/' or '\' with "./" steps.
func pathGlobMatch(v string, i int, pat string) (int, bool) {
	p, lit := 0, 0
	for p < len(pat) {
		if i >= len(v) {
			return 0, false
		}
		c := v[i]
		pc := pat[p]
		switch {
		case pc == '/':
			if c != '/' && c != '\\' {
				return 0, false
			}
			for i < len(v) && (v[i] == '/' || v[i] == '\\' || v[i] == '.' && i+1 < len(v) && (v[i+1] == '/' || v[i+1] == '\\')) {
				i++
			}
			p++
		case c == '\'' || c == '"':
			i++
		case c == '\\' && i+1 < len(v) && isAlpha(v[i+1]):
			i++
		case c == '?':
			i++
			p++
		case c == '*':
			// A star matches up to the next separator in pat.
			i++
			for p < len(pat) && pat[p] != '/' && pat[p] != '.' {
				p++
			}
		case c == '[':
			end := strings.IndexByte(v[i:], ']')
			if end < 0 || end > 40 {
				return 0, false
			}
			if !globClass(v[i+1:i+end], pc) {
				return 0, false // [s], [!x], [m-z]
			}
			i += end + 1
			p++
		case lowerASCII(c) == pc:
			i++
			p++
			lit++
		default:
			return 0, false
		}
	}
	// Globs may blur a name, not replace it: most of it must be spelled out.
	return i, 2*lit >= len(pat)
}

// includeWrappers are URL schemes of stream wrappers an include turns into a read, a
// decompression or an execution. They match at the start of a value or after '=' or a
// quote; the php:// ones anywhere.
var includeWrappers = []string{
	"php://", "zip://", "phar://", "expect://", "glob://", "compress.zlib://",
	"compress.bzip2://", "ogg://", "rar://", "ssh2.shell://", "ssh2.exec://", "ssh2.tunnel://",
	"ssh2.sftp://", "ssh2.scp://", "file:", "jar:", "netdoc:", "local_file:", "url:file:",
	"data:text/", "data:application/x-httpd-php", "data:application/x-php",
}

func includeWrapper(v string) (string, bool) {
	if strings.IndexByte(v, ':') < 0 {
		return "", false
	}
	if i := indexFold(v, "php://"); i >= 0 && i+6 < len(v) && isAlpha(v[i+6]) {
		return around(v, i, i+6), true
	}
	i := 0
	for i < len(v) && (isSpace(v[i]) || v[i] == '\'' || v[i] == '"' || v[i] == '(') {
		i++
	}
	for _, w := range includeWrappers {
		if !hasPrefixFold(v[i:], w) {
			continue
		}
		rest := v[i+len(w):]
		switch w {
		case "file:":
			// file:/x, file://x, file:///x — but not "file: report.pdf".
			if rest == "" || rest[0] != '/' && rest[0] != '\\' {
				continue
			}
		case "jar:":
			if !hasPrefixFold(rest, "http") && !hasPrefixFold(rest, "file:") && !hasPrefixFold(rest, "ftp") {
				continue
			}
		}
		if rest == "" && w != "data:text/" {
			continue
		}
		return around(v, i, i+len(w)), true
	}
	return "", false
}

// rfiParams are parameter names through which old PHP applications include files, so a
// URL in them is a remote inclusion attempt.
var rfiParams = []string{
	"_conf[path]", "mosconfig_absolute_path", "gallery_basedir", "include_path", "phpbb_root_path",
	"appserv_root", "path_to_root", "root_path", "cfg_root", "dir_inc", "includedir",
}

// remoteInclude matches remote file inclusion: a URL that ends with '?' or a NUL to cut
// the suffix the application appends, a URL to a bare IP address naming a script, or a
// URL in a parameter known to be included.
func remoteInclude(p *request.Param, v string) (string, bool) {
	scheme := 0
	for _, s := range []string{"http://", "https://", "ftp://", "ftps://"} {
		if hasPrefixFold(v, s) {
			scheme = len(s)
			break
		}
	}
	if scheme == 0 {
		return "", false
	}
	if strings.HasSuffix(v, "?") || strings.IndexByte(v, 0) > 0 || strings.HasSuffix(v, "%00") {
		return v, true
	}
	if p != nil && !p.Key {
		for _, n := range rfiParams {
			if strings.EqualFold(p.Name, n) {
				return v, true
			}
		}
	}
	// http://192.0.2.7/shell.txt: a script fetched from a bare address.
	host := v[scheme:]
	if k := strings.IndexAny(host, "/?#"); k >= 0 {
		host = host[:k]
	}
	if h := strings.LastIndexByte(host, '@'); h >= 0 {
		host = host[h+1:]
	}
	isIP := host != "" && (host[0] == '[' || strings.Trim(host, "0123456789.:") == "")
	if !isIP {
		return "", false
	}
	path := v[scheme+len(host):]
	if q := strings.IndexAny(path, "?#"); q >= 0 {
		path = path[:q]
	}
	for _, ext := range []string{".php", ".txt", ".pl", ".py", ".sh", ".asp", ".jsp", ".inc", ".cgi", ".ps1", ".gif?"} {
		if hasSuffixFold(path, ext) {
			return v, true
		}
	}
	return "", false
}

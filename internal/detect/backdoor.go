package detect

import (
	"strings"

	"github.com/rampartwaf/rampart/internal/request"
)

// BACKDOOR: requests to a web shell already planted on the server, and the code of the
// shells planted most.
//
// What matches, on the path:
//
//   - a script named after a known web shell (c99.php, r57.php, wso.php, wso1.php,
//     b374k.php, alfa.php, xleet.php, 0x.php, indoxploit.php, aspxspy.aspx, jspspy.jsp,
//     webshell.php...) or after a WordPress file it mimics (xmrlpc.php, wp-conflg.php,
//     lndex.php), whatever the parameters; a name followed by digits is the same shell
//     (wso2.php, alfa2024.php);
//   - cmd and shell as ASP, ASP.NET, JSP or ColdFusion scripts (cmd.jsp, shell.aspx), the
//     names of the shells that ship with Kali and Metasploit;
//   - a script with a generic shell name (shell.php, cmd.php, hack.php, mini.php,
//     tiny.php) called with a command parameter (cmd=, command=, exec=, execute=,
//     shell=);
//   - any script under a directory that holds uploaded files, which no application
//     serves code from: uploads (wp-content/uploads), userfiles (FCKeditor), Drupal's
//     sites/*/files, .well-known (/.well-known/pki-validation/x.php);
//   - the directories web shells create or hide in: alfacgiapi and ALFA_DATA (Alfa's
//     CGI helpers), wp-content/plugins/hellopress (a fake plugin dropped with a shell);
//   - a script hidden behind an image extension, the way upload filters are bypassed
//     (avatar.php.jpg, x.php%00.png, x.asp;.jpg), requested to run it;
//   - the WSO shell's action parameter (a=FilesMan, a=SecInfo...);
//   - the first command run through a shell: a command parameter (cmd=, command=, exec=,
//     execute=, shell=) holding a reconnaissance command (id, whoami, uname -a, pwd,
//     ls -la, dir c:\, cat /etc/passwd, ipconfig /all, net user, ps aux...) sent to a
//     script or a directory index (/index.php?cmd=id, /404.php?exec=ls -la, /?cmd=id);
//     c= counts with the commands that are no words of other uses (whoami, uname -a,
//     ls -la, cat /etc/passwd...) but not with id, pwd, hostname, ver or uname alone (a
//     sort column: c=id, c=uname).
//
// What matches in a value (any source): the ASP one-liners of China Chopper and its
// kin, <%eval request("pass")%>, <%execute(request("x"))%>, <%eval(Request.Item["x"],
// "unsafe");%>, and an ASP or ASP.NET block that starts a process or a shell object with
// request input (Process.Start(..., Request["c"]), WScript.Shell), as uploaded or posted
// into a field an .asp page is written from.
//
// Deliberately not matched: ordinary script names (index.php, upload.php, admin.jsp,
// mini-cart.php, tinymce.php), shell.php alone, a command parameter with a word on
// them (cmd=save, cmd=judgeLogin; command injection is CMDEXE's), elFinder's cmd=ls,
// shell names without a script extension (/shell, /cmd as routes of an application),
// scripts under images/, files/ or media/ (thumbnail and download scripts live there:
// timthumb.php, download.php), and ASP code that runs nothing from the request
// (<% Response.Write(Request("q")) %>). A generic name with a command parameter counts
// whatever the command: phpLDAPadmin, whose controller is cmd.php?cmd=..., needs an
// exclusion of BACKDOOR.

func init() {
	registerRequest(checkBackdoor)
	registerValueFiltered(BACKDOOR, valueNeed{minLen: 16, any: classesOf("<"), also: classesOf("%")}, matchASPShell)
}

// webShellNames are file names (lower case, without extension) of known web shells.
var webShellNames = map[string]bool{}

// genericShellNames are script names web shells are often given, which need a command
// parameter to count.
var genericShellNames = map[string]bool{}

// serverShellNames are generic names that count alone as ASP, ASP.NET, JSP or ColdFusion
// scripts (cmd.jsp, shell.aspx): applications on those servers do not name pages so.
var serverShellNames = map[string]bool{"cmd": true, "shell": true, "cmdshell": true}

// serverShellExts are the extensions of serverShellNames.
var serverShellExts = map[string]bool{
	"asp": true, "aspx": true, "ashx": true, "asmx": true, "cer": true, "jsp": true,
	"jspx": true, "cfm": true,
}

func init() {
	for _, n := range strings.Fields(`c99 c99shell c99_locus7s c99madshell c100 r57 r57shell
		wso wso2 wso24 wso25 wso26 wso4 wsoshell b374k b374k-mini b374k-shell indoxploit
		madspot phpspy nstview mulcishell priv8 filesman zehir zehir4 locus7s safe0ver
		ajaxshell antichat cmdasp aspxspy aspxshell jspspy jspshell lostdc ironshell fx29sh
		crystalshell dq99shell simattacker phpremoteview kacak h4x0r haxor alfa alfashell
		alfa_shell alfav4 alfav5 alfa-shell alfateam alfa-rex alfarex alfanew mini_shell
		minishell 0byt3m1n1 1n73ction p0wny p0wny-shell phpbash weevely chopper caidao
		godzilla behinder antsword reGeorg tunnel.nosocket r00t sadrazam ekin0x myshell
		sniper_sa gfs_sh gfsh ani-shell stunshell devilzshell webroot-shell smevk yanz
		marijuana xleet xleetshell xleet-shell 0x leafmailer gel4y k2ll33d ak47shell sh3ll
		lndex xmrlpc wp-conflg wp-l0gin lock360 wp_filemanager webshell backdoor cmdshell`) {
		webShellNames[strings.ToLower(n)] = true
	}
	for _, n := range strings.Fields(`shell cmd shell_exec evil hack hacked pwn pwned bd sh
		bash exec command mini tiny`) {
		genericShellNames[n] = true
	}
}

// scriptExts are extensions a web server runs.
var scriptExts = map[string]bool{
	"php": true, "php3": true, "php4": true, "php5": true, "php7": true, "php8": true,
	"phtml": true, "phar": true, "pht": true, "asp": true, "aspx": true, "ashx": true,
	"asmx": true, "cer": true, "jsp": true, "jspx": true, "jspf": true, "cfm": true,
	"cgi": true, "pl": true,
}

// imageExts are what a script is disguised as to pass an upload filter.
var imageExts = map[string]bool{
	"jpg": true, "jpeg": true, "png": true, "gif": true, "bmp": true, "ico": true,
	"webp": true, "tif": true, "tiff": true,
}

// shellParams are parameter names through which web shells take a command.
var shellParams = map[string]bool{
	"cmd": true, "command": true, "exec": true, "execute": true, "shell": true,
}

// uploadDirs are directories (lower case) that hold uploaded files: a script under one
// is a web shell. Drupal's sites/<site>/files is judged apart.
var uploadDirs = map[string]bool{
	"uploads": true, "uploaded": true, "userfiles": true, "user_uploads": true,
	"useruploads": true, ".well-known": true,
}

// shellDirs are directories (lower case) only web shells create.
var shellDirs = map[string]bool{"alfacgiapi": true, "alfa_data": true, "hellopress": true}

// wsoActions are values of the WSO shell's "a" parameter.
var wsoActions = map[string]bool{
	"FilesMan": true, "FilesTools": true, "SecInfo": true, "SelfRemove": true,
	"Bruteforce": true, "StringTools": true, "SafeMode": true,
}

func checkBackdoor(r *request.Request) {
	last := -1
	hasCmd := false
	recon := -1
	upload, uploadAbove := false, false // a directory of uploads seen; one above the last segment
	var prev1, prev2 string             // the two segments before the current one
	for i := range r.Params {
		p := &r.Params[i]
		switch p.Source {
		case request.SourcePath:
			if p.Key {
				continue
			}
			if inFoldSet(shellDirs, p.Value) {
				r.AddSignal(request.Signal{Name: BACKDOOR, Source: p.Source, Param: p.Name, Fragment: fragment(p.Value)})
				return
			}
			last, uploadAbove = i, upload
			if inFoldSet(uploadDirs, p.Value) || strings.EqualFold(p.Value, "files") && strings.EqualFold(prev2, "sites") && prev1 != "" {
				upload = true
			}
			prev2, prev1 = prev1, p.Value
		case request.SourceQuery, request.SourceForm, request.SourceMultipart:
			if p.Key || p.Literal {
				continue
			}
			if inFoldSet(shellParams, p.Name) && p.Value != "" {
				hasCmd = true
				if recon < 0 && reconCommand(p.Value, true) {
					recon = i
				}
			} else if recon < 0 && (p.Name == "c" || p.Name == "C") && reconCommand(p.Value, false) {
				recon = i
			}
			if p.Name == "a" && wsoActions[p.Value] {
				r.AddSignal(request.Signal{Name: BACKDOOR, Source: p.Source, Param: p.Name, Fragment: p.Value})
				return
			}
		}
	}
	script := false
	if last >= 0 {
		p := &r.Params[last]
		if f, ok := webShellPath(p.Value, hasCmd); ok {
			r.AddSignal(request.Signal{Name: BACKDOOR, Source: p.Source, Param: p.Name, Fragment: fragment(f)})
			return
		}
		script = isScript(p.Value)
		if script && uploadAbove {
			r.AddSignal(request.Signal{Name: BACKDOOR, Source: p.Source, Param: p.Name, Fragment: fragment(p.Value)})
			return
		}
	}
	if recon >= 0 && (script || strings.HasSuffix(r.Path, "/")) {
		p := &r.Params[recon]
		r.AddSignal(request.Signal{Name: BACKDOOR, Source: p.Source, Param: p.Name, Fragment: fragment(p.Value)})
	}
}

// inFoldSet reports whether s, folded to lower case, is in set, whose keys are lower
// case and at most 32 bytes long. It does not allocate.
func inFoldSet(set map[string]bool, s string) bool {
	if len(s) > 32 {
		return false
	}
	var buf [32]byte
	b := buf[:len(s)]
	for i := range b {
		b[i] = lowerASCII(s[i])
	}
	return set[string(b)]
}

// isScript reports whether the path segment seg names a script a web server runs
// (scriptExts).
func isScript(seg string) bool {
	dot := strings.LastIndexByte(seg, '.')
	if dot <= 0 || len(seg)-dot-1 > 5 {
		return false
	}
	var buf [5]byte
	ext := buf[:len(seg)-dot-1]
	for i := range ext {
		ext[i] = lowerASCII(seg[dot+1+i])
	}
	return scriptExts[string(ext)]
}

// reconCommand reports whether v is one of the commands attackers run first through a
// web shell: whoami, ifconfig, ipconfig, systeminfo, tasklist, netstat (with any
// arguments), uname with options, ls, dir and ps with options or a path, cat, type,
// more, head and tail of an absolute path, net user (or localgroup, view, share). With
// weak, also id, pwd, hostname, ver and uname alone, which other parameters hold as
// plain words (a sort column c=uname). ls and dir alone are file managers' commands
// (elFinder's cmd=ls), not shells'.
func reconCommand(v string, weak bool) bool {
	v = strings.TrimSpace(v)
	if len(v) < 2 || len(v) > 200 {
		return false
	}
	n := 0
	for n < len(v) && isAlpha(v[n]) {
		n++
	}
	if n == 0 || n > 10 {
		return false
	}
	if n < len(v) && !isSpace(v[n]) && strings.IndexByte(";|&<>`", v[n]) < 0 {
		return false // "id_card", "ls-files", "whoami.html"
	}
	var buf [10]byte
	w := buf[:n]
	for i := range w {
		w[i] = lowerASCII(v[i])
	}
	rest := strings.TrimSpace(v[n:])
	switch string(w) {
	case "whoami", "ifconfig", "ipconfig", "systeminfo", "tasklist", "netstat":
		return true
	case "uname":
		return weak || rest != "" && rest[0] == '-'
	case "id", "pwd", "hostname", "ver":
		return weak && (rest == "" || strings.IndexByte(";|&>", rest[0]) >= 0)
	case "ls", "dir", "ps":
		return rest != "" && (strings.IndexByte("-/\\.~%", rest[0]) >= 0 || len(rest) > 1 && rest[1] == ':' && isAlpha(rest[0]) ||
			string(w) == "ps" && hasPrefixFold(rest, "aux"))
	case "cat", "type", "more", "head", "tail":
		return rest != "" && (rest[0] == '/' || len(rest) > 2 && rest[1] == ':' && rest[2] == '\\' && isAlpha(rest[0]))
	case "net":
		return hasPrefixFold(rest, "user") || hasPrefixFold(rest, "localgroup") || hasPrefixFold(rest, "view") || hasPrefixFold(rest, "share")
	}
	return false
}

// webShellPath judges the last path segment seg; cmd says the request carries a
// command parameter.
func webShellPath(seg string, cmd bool) (string, bool) {
	if len(seg) < 4 || len(seg) > 128 || strings.IndexByte(seg, '.') < 0 {
		return "", false
	}
	var buf [128]byte
	n := 0
	for i := 0; i < len(seg); i++ {
		buf[n] = lowerASCII(seg[i])
		n++
	}
	low := buf[:n]
	dot := lastByte(low, '.')
	name, ext := low[:dot], low[dot+1:]
	if scriptExts[string(ext)] {
		// "wso2", "alfa2024": a shell's name with a version or a copy number.
		stem := name
		for len(stem) > 2 && isDigit(stem[len(stem)-1]) {
			stem = stem[:len(stem)-1]
		}
		if webShellNames[string(name)] || webShellNames[string(stem)] {
			return seg, true
		}
		if serverShellExts[string(ext)] && serverShellNames[string(stem)] {
			return seg, true
		}
		if cmd && (genericShellNames[string(name)] || genericShellNames[string(stem)]) {
			return seg, true
		}
		return "", false
	}
	// "x.php.jpg", "x.php%00.png", "x.php\x00.png", "x.asp;.jpg": a script behind an image
	// extension.
	if !imageExts[string(ext)] {
		return "", false
	}
	inner := name
	if d := lastByte(inner, '.'); d >= 0 {
		e := inner[d+1:]
		if k := indexAnyBytes(e, ";\x00 %"); k >= 0 {
			e = e[:k]
		}
		if scriptExts[string(e)] && d > 0 {
			return seg, true
		}
	}
	return "", false
}

func indexAnyBytes(b []byte, chars string) int {
	for i, c := range b {
		if strings.IndexByte(chars, c) >= 0 {
			return i
		}
	}
	return -1
}

// matchASPShell finds the ASP one-liners of China Chopper and its kin, and ASP code that
// starts a process or a shell object with request input, in a <% %> block of v.
func matchASPShell(_ *request.Param, v string, _ byteClass) (string, bool) {
	for off := 0; off < len(v); {
		k := strings.Index(v[off:], "<%")
		if k < 0 {
			return "", false
		}
		i := off + k
		body := v[i+2:]
		if e := strings.Index(body, "%>"); e >= 0 {
			body = body[:e]
		}
		off = i + 2 + len(body)
		if len(body) < 12 || body[0] == '@' {
			continue // too short for a shell, or a directive (<%@ Page Language="C#" %>)
		}
		if aspEvalRequest(body) || aspRunsRequest(body) {
			return around(v, i, i+2+len(body)), true
		}
	}
	return "", false
}

// aspEvalRequest reports whether an ASP block evaluates request input: eval, execute or
// executeglobal, then request, with only spaces and '(' between.
func aspEvalRequest(b string) bool {
	for off := 0; off < len(b); {
		k := indexFold(b[off:], "e")
		if k < 0 {
			return false
		}
		i := off + k
		off = i + 1
		if i > 0 && isIdent(b[i-1]) {
			continue
		}
		var n int
		switch {
		case hasPrefixFold(b[i:], "executeglobal"):
			n = 13
		case hasPrefixFold(b[i:], "execute"):
			n = 7
		case hasPrefixFold(b[i:], "eval"):
			n = 4
		default:
			continue
		}
		j := i + n
		for j < len(b) && (isSpace(b[j]) || b[j] == '(') {
			j++
		}
		if j > i+n && hasPrefixFold(b[j:], "request") && (j+7 == len(b) || !isIdent(b[j+7])) {
			return true
		}
	}
	return false
}

// aspRunsRequest reports whether an ASP or ASP.NET block starts a process or a shell
// object and reads the request.
func aspRunsRequest(b string) bool {
	return (indexFold(b, "process.start") >= 0 || indexFold(b, "processstartinfo") >= 0 ||
		indexFold(b, "wscript.shell") >= 0 || indexFold(b, "shell.application") >= 0) &&
		indexFold(b, "request") >= 0
}

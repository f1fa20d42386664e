package detect

import (
	"strings"

	"github.com/rampartwaf/rampart/internal/request"
)

// BACKDOOR: requests to a web shell already planted on the server.
//
// What matches, on the last segment of the path:
//
//   - a script named after a known web shell (c99.php, r57.php, wso.php, b374k.php,
//     indoxploit.php, aspxspy.aspx, jspspy.jsp...), whatever the parameters;
//   - a script with a generic shell name (shell.php, cmd.php, webshell.jsp, backdoor.asp)
//     called with a command parameter (cmd=, command=, exec=, execute=, shell=);
//   - a script hidden behind an image extension, the way upload filters are bypassed
//     (avatar.php.jpg, x.php%00.png, x.asp;.jpg), requested to run it;
//   - the WSO shell's action parameter (a=FilesMan, a=SecInfo...).
//
// Deliberately not matched: ordinary script names (index.php, upload.php, admin.jsp),
// a cmd parameter on them (command injection is CMDEXE's), and shell names without a
// script extension (/shell, /cmd as routes of an application).

func init() { registerRequest(checkBackdoor) }

// webShellNames are file names (lower case, without extension) of known web shells.
var webShellNames = map[string]bool{}

// genericShellNames are script names web shells are often given, which need a command
// parameter to count.
var genericShellNames = map[string]bool{}

func init() {
	for _, n := range strings.Fields(`c99 c99shell c99_locus7s c99madshell c100 r57 r57shell
		wso wso2 wso24 wso25 wso26 wso4 b374k b374k-mini b374k-shell indoxploit madspot
		phpspy nstview mulcishell priv8 filesman zehir zehir4 locus7s safe0ver ajaxshell
		antichat cmdasp aspxspy aspxshell jspspy jspshell lostdc ironshell fx29sh
		crystalshell dq99shell simattacker phpremoteview kacak h4x0r alfashell alfa_shell
		alfav4 alfav5 alfa-shell alfateam mini_shell minishell 1n73ction p0wny p0wny-shell
		phpbash weevely chopper caidao godzilla behinder antsword reGeorg tunnel.nosocket
		r00t sadrazam ekin0x myshell sniper_sa gfs_sh gfsh ani-shell stunshell devilzshell
		webroot-shell smevk yanz marijuana`) {
		webShellNames[strings.ToLower(n)] = true
	}
	for _, n := range strings.Fields(`shell cmd webshell backdoor cmdshell shell_exec evil
		hack hacked pwn pwned bd sh bash exec command`) {
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

// wsoActions are values of the WSO shell's "a" parameter.
var wsoActions = map[string]bool{
	"FilesMan": true, "FilesTools": true, "SecInfo": true, "SelfRemove": true,
	"Bruteforce": true, "StringTools": true, "SafeMode": true,
}

func checkBackdoor(r *request.Request) {
	last := -1
	hasCmd := false
	for i := range r.Params {
		p := &r.Params[i]
		switch p.Source {
		case request.SourcePath:
			if !p.Key {
				last = i
			}
		case request.SourceQuery, request.SourceForm, request.SourceMultipart:
			if p.Key {
				continue
			}
			if shellParams[strings.ToLower(p.Name)] && p.Value != "" {
				hasCmd = true
			}
			if p.Name == "a" && wsoActions[p.Value] {
				r.AddSignal(request.Signal{Name: BACKDOOR, Source: p.Source, Param: p.Name, Fragment: p.Value})
				return
			}
		}
	}
	if last < 0 {
		return
	}
	p := &r.Params[last]
	if f, ok := webShellPath(p.Value, hasCmd); ok {
		r.AddSignal(request.Signal{Name: BACKDOOR, Source: p.Source, Param: p.Name, Fragment: fragment(f)})
	}
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
		if webShellNames[string(name)] {
			return seg, true
		}
		if cmd && genericShellNames[string(name)] {
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

package detect

import (
	"strings"

	"github.com/rampartwaf/rampart/internal/request"
)

// PRIVATEFILE: requests for files that sit in a web root by mistake and leak what they
// hold: editor and backup copies of scripts (index.php~, config.php.bak, .swp), database
// dumps (.sql, .rdb, .mdb, .sqlite), private keys (privkey.pem, id_rsa). Scanners try
// them on every site; no site links to them.
//
// Any segment of the decoded path counts ("/index.php~/x" reaches index.php~ through
// PATH_INFO). Only the file's own name is judged, never the query.
//
// Not detected: names that sites serve on purpose, .log, .txt, .ini, .conf, .pem
// certificates, archives (.zip, .tar.gz), a segment that is only "~" (a home folder in
// an API), user directories (/~user/). Dot-files and server configuration (.env, .git,
// .htaccess, web.config) are the traversal family's.

func init() { registerRequest(checkPrivateFile) }

// privateExts are extensions (lower case, without the dot) of backup copies, dumps and
// keys.
var privateExts = []string{
	"bak", "backup", "old", "orig", "save", "sav", "swp", "swo", "sql", "rdb", "mdb", "db",
	"sqlite", "sqlite3", "kdbx", "ppk",
}

// privateNames are file names (lower case) of private keys.
var privateNames = []string{"id_rsa", "id_dsa", "id_ecdsa", "id_ed25519", "privkey.pem", "private.pem", "server.key"}

func checkPrivateFile(r *request.Request) {
	if r.Message != nil || r.Path == "" || r.Method == "" {
		return
	}
	p := r.Path
	for p != "" {
		var seg string
		if i := strings.IndexByte(p, '/'); i >= 0 {
			seg, p = p[:i], p[i+1:]
		} else {
			seg, p = p, ""
		}
		if f, ok := privateFile(seg); ok {
			r.AddSignal(request.Signal{Name: PRIVATEFILE, Source: request.SourcePath, Fragment: fragment(f)})
			return
		}
	}
}

func privateFile(seg string) (string, bool) {
	if len(seg) < 3 {
		return "", false
	}
	dot := strings.LastIndexByte(seg, '.')
	if seg[len(seg)-1] == '~' {
		// "index.php~": a name with an extension, then the editor's tilde.
		return seg, dot > 0 && dot < len(seg)-2 && isAlnum(seg[dot+1])
	}
	if equalFoldAny(seg, privateNames) {
		return seg, true
	}
	if dot <= 0 || dot == len(seg)-1 {
		return "", false
	}
	return seg, equalFoldAny(seg[dot+1:], privateExts)
}

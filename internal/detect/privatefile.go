package detect

import (
	"strings"

	"github.com/rampartwaf/rampart/internal/request"
)

// PRIVATEFILE: requests for files that sit in a web root by mistake and leak what they
// hold. Scanners try them on every site; no site links to them. Judged on each segment
// of the decoded path ("/index.php~/x" reaches index.php~ through PATH_INFO); only the
// path counts, never the query.
//
//   - editor and backup copies of scripts (index.php~, config.php.bak, .swp), database
//     dumps (.sql, .rdb, .mdb, .sqlite), private keys (privkey.pem, id_rsa);
//   - compressed dumps and site backups: backup.sql.zip, db.sqlite.gz, www.zip,
//     site-backup-2024.tar.gz (an archive named after a web root or a backup);
//   - version control metadata at any depth: .git, .svn, .hg, .bzr, .DS_Store;
//   - secrets and shell state at any depth: .env (.env.local, .env.production), .aws,
//     .ssh, .docker, .kube, .netrc, .pgpass, .npmrc, .pypirc, .envrc, .git-credentials,
//     shell histories, .htpasswd, web.config; Visual Studio's .vs; AI agents' keys and
//     MCP servers (.mcp.json, anything under .claude, .claude.json, mcp.json and
//     settings or config files under .cursor, .windsurf, .gemini, .continue, .kiro...);
//     the IDE files that hold connections and passwords (.vscode/sftp.json and any other
//     .vscode file but settings.json, extensions.json, launch.json, tasks.json and
//     snippets; .idea/dataSources*.xml, webServers.xml, deployment.xml, workspace.xml);
//   - at the top of a site only (the first two segments: the web root, or an application
//     mounted under one directory), the dotfiles projects commit, which a code-hosting
//     site shows deeper in a path (/acme/web/blob/main/.vscode/settings.json): IDE
//     settings (.idea, .vscode), AI coding agents' rules (.cursor, .continue, .aider*,
//     .codex, .windsurf, .roo, .zed, .cline, .kiro, .junie, .gemini...), .htaccess,
//     .gitconfig, shell start-up files (.bashrc, .profile);
//   - debug pages at any depth: phpinfo.php, ELMAH's elmah.axd, ASP.NET's trace.axd;
//   - Spring Boot actuators that hand out configuration, memory or logs, or control the
//     application, under any prefix (/actuator/env, /actuator/heapdump,
//     /api/service/actuator/gateway/routes: CVE-2022-22947);
//   - at the top of a site, endpoints that hand out configuration, memory or logs:
//     /heapdump and /jolokia at the root, Apache's /server-status and /server-info,
//     Symfony's /_profiler/phpinfo, Go's /debug/pprof/; and framework credentials:
//     config/database.yml, config/secrets.yml, config/master.key, app/etc/local.xml,
//     app/etc/env.php, app/config/parameters.yml, docker-compose.yml, sftp-config.json;
//   - Java web application internals: WEB-INF, META-INF, which a servlet container never
//     serves, so asking for them is an attempt to get past it;
//   - logs of servers and applications: debug.log, error.log, access_log, laravel.log,
//     and any .log right under wp-content (WordPress's debug log);
//   - Vite's dev-server file access: /@fs/ followed by a system directory, and the
//     virtual-module path /@id/__x00__;
//   - a short list of endpoints that hand their configuration or secrets to anyone:
//     MinIO's internode bootstrap API (CVE-2023-28432) and Joomla's web-services API asked
//     with public=true (CVE-2023-23752).
//
// Not detected: names that sites serve on purpose: .well-known, .github, .gitignore,
// .env.example and other templates, other .log, .txt, .ini, .conf, .pem certificates,
// archives with other names (.zip, .tar.gz), a segment that is only "~" (a home folder in
// an API), user directories (/~user/), Mastodon-style /@user/ pages; the actuators load
// balancers and scrapers use (health, info, metrics, prometheus); dashboards behind the
// application's own login (Laravel Telescope and Horizon); project dotfiles without
// secrets (editor settings, agents' rules, .editorconfig, .prettierrc), framework settings
// and compose files deeper than the top of a site (a repository's files).

func init() { registerRequest(checkPrivateFile) }

// privateExts are extensions (lower case, without the dot) of backup copies, dumps and
// keys.
var privateExts = []string{
	"bak", "backup", "old", "orig", "save", "sav", "swp", "swo", "sql", "rdb", "mdb", "db",
	"sqlite", "sqlite3", "kdbx", "ppk",
}

// privateNames are file names (lower case) of private keys.
var privateNames = []string{"id_rsa", "id_dsa", "id_ecdsa", "id_ed25519", "privkey.pem", "private.pem", "server.key"}

// dotNames are hidden files and directories (lower case) that hold secrets or source
// history, found in no repository a code-hosting site shows: asked for at any depth. The
// whole segment must be the name.
var dotNames = []string{
	// Version control.
	".git", ".svn", ".hg", ".bzr", ".ds_store", ".git-credentials",
	// Secrets, credentials and shell state.
	".aws", ".ssh", ".docker", ".dockercfg", ".kube", ".gnupg", ".azure",
	".pypirc", ".netrc", ".pgpass", ".my.cnf", ".s3cfg", ".boto",
	".bash_history", ".zsh_history", ".mysql_history", ".psql_history", ".sh_history",
	".history", ".viminfo", ".lesshst", ".rhosts", ".htpasswd", ".ftpconfig",
	".remote-sync.json", ".terraform", ".npmrc", ".envrc",
	// Visual Studio's local state (never committed), AI agents' MCP servers and keys.
	".vs", ".mcp.json",
}

// rootDotNames are hidden files and directories (lower case) of tools and shells that
// projects commit (editor settings, AI agents' rules, an .htaccess, a dotfiles
// repository's .bashrc): asked for at the top of a site (the first two segments of the
// path: the web root, or an application mounted under one directory) they leak its
// configuration; deeper they are a file of a repository a code-hosting site shows
// (/acme/web/blob/main/.vscode/settings.json).
var rootDotNames = []string{
	// IDEs.
	".idea", ".vscode", ".gitconfig",
	// AI coding agents.
	".roo", ".zed", ".rovodev", ".opencode", ".a0proj", ".plandex", ".fabric", ".n8n",
	".amazonq", ".aiignore", ".goosehints",
	// Tools and shells.
	".bashrc", ".bash_profile", ".profile", ".zshrc", ".htaccess",
}

// harmlessVSCode are the files of .vscode (lower case) that projects commit and that hold
// no secret: deeper than the top of a site they are files of a repository. Any other
// (sftp.json, the SFTP extension's saved password) counts at any depth.
var harmlessVSCode = []string{"settings.json", "extensions.json", "launch.json", "tasks.json", "c_cpp_properties.json"}

// secretIDEA are prefixes of files (lower case) of JetBrains' .idea that hold database
// and server connections, or a user's local state, never committed: they count at any
// depth (dataSources.xml, dataSources.local.xml, webServers.xml, dbnavigator.xml).
var secretIDEA = []string{"datasources", "workspace", "webservers", "deployment", "sshconfigs", "dbnavigator", "httprequests"}

// agentSecretFiles are prefixes of files (lower case) in AI agents' directories that list
// MCP servers with their keys (.cursor/mcp.json, .windsurf/mcp_config.json,
// .gemini/settings.json, .continue/config.yaml): they count at any depth.
var agentSecretFiles = []string{"mcp", "settings", "config"}

// dotPrefixes are hidden names of AI coding agents matched as a prefix, like
// rootDotNames: agents keep several files beside their directory (.cursorrules,
// .aider.conf.yml, .clinerules, .claude.json).
var dotPrefixes = []string{
	".aider", ".cursor", ".windsurf", ".cline", ".claude", ".codex", ".continue", ".kiro",
	".junie", ".gemini",
}

// rootDepth is how many segments from the start of a path count as the top of a site.
const rootDepth = 2

// envTemplates are the suffixes of .env files committed as templates, without secrets.
var envTemplates = []string{"example", "sample", "dist", "template", "defaults", "schema"}

// logNames are log files (lower case) of servers and frameworks.
var logNames = []string{
	"debug.log", "error.log", "errors.log", "access.log", "error_log", "access_log",
	"php_errors.log", "php_error.log", "php-errors.log", "laravel.log", "npm-debug.log",
	"yarn-error.log", "production.log", "development.log",
}

// debugPages are pages (lower case) that show a server's configuration, environment or
// recent requests to whoever asks: PHP's phpinfo() page, ASP.NET's error log (ELMAH) and
// trace viewer. Their names are theirs alone, so they count at any depth.
var debugPages = []string{"phpinfo.php", "php_info.php", "elmah.axd", "trace.axd"}

// topFiles are paths (lower case) of files at the top of a site (rootDepth) that hold
// credentials: Rails', Symfony's and Magento's database settings and keys, Docker Compose
// files with their environment, Sublime SFTP's saved password. The same names deeper in a
// path are files of a repository a code-hosting site shows.
var topFiles = []string{
	"config/database.yml", "config/secrets.yml", "config/master.key", "app/config/parameters.yml",
	"app/etc/local.xml", "app/etc/env.php", "docker-compose.yml", "docker-compose.yaml",
	"compose.yml", "compose.yaml", "sftp-config.json",
}

// topEndpoints are endpoints (lower case, a segment and the one after it; "" for any)
// at the top of a site (the actuators under any prefix) that hand out its configuration, memory or logs, or control it:
// Spring Boot's actuators other than health, info and metrics (and their Spring Boot 1
// places at the root: /heapdump, /jolokia), Apache's server-status and server-info,
// Symfony profiler's phpinfo and file viewer, Go's pprof handlers. They serve monitoring
// from inside a network, not visitors through a public WAF. Not listed: health, info,
// metrics and prometheus (load balancers and scrapers), Laravel Telescope and Horizon
// (dashboards behind the application's own login).
var topEndpoints = [][2]string{
	{"actuator", "env"}, {"actuator", "heapdump"}, {"actuator", "threaddump"}, {"actuator", "dump"},
	{"actuator", "jolokia"}, {"actuator", "configprops"}, {"actuator", "httptrace"},
	{"actuator", "trace"}, {"actuator", "logfile"}, {"actuator", "gateway"}, {"actuator", "shutdown"},
	{"actuator", "restart"}, {"actuator", "refresh"}, {"actuator", "pause"}, {"actuator", "resume"},
	{"actuator", "sessions"}, {"heapdump", ""}, {"jolokia", ""}, {"server-status", ""},
	{"server-info", ""}, {"_profiler", "phpinfo"}, {"_profiler", "open"}, {"debug", "pprof"},
}

// topEntry is one of topEndpoints or topFiles: a segment, and what must follow it (for
// an endpoint, the next segment, "" for any; for a file, the rest of the path).
type topEntry struct {
	seg, next string
	file      bool
}

// topByFirst indexes topEndpoints and topFiles by the first byte of their segment.
var topByFirst [256][]topEntry

func init() {
	for _, e := range topEndpoints {
		topByFirst[e[0][0]] = append(topByFirst[e[0][0]], topEntry{seg: e[0], next: e[1]})
	}
	for _, f := range topFiles {
		dir, name, sub := strings.Cut(f, "/")
		if !sub {
			dir, name = f, ""
		}
		topByFirst[f[0]] = append(topByFirst[f[0]], topEntry{seg: dir, next: name, file: true})
	}
}

// exposedFile matches topFiles and topEndpoints at the path segment seg, rest being the
// path after it; an endpoint named by one segment only as the first one (root).
func exposedFile(seg, rest string, root bool) (string, bool) {
	for _, e := range topByFirst[lowerASCII(seg[0])] {
		if len(seg) != len(e.seg) || !strings.EqualFold(seg, e.seg) {
			continue
		}
		if e.file {
			if strings.EqualFold(strings.TrimSuffix(rest, "/"), e.next) {
				if e.next == "" {
					return seg, true
				}
				return seg + "/" + rest, true
			}
			continue
		}
		if e.next == "" {
			if root {
				return seg, true
			}
			continue
		}
		next := rest
		if i := strings.IndexByte(next, '/'); i >= 0 {
			next = next[:i]
		}
		if strings.EqualFold(next, e.next) {
			return seg + "/" + next, true
		}
	}
	return "", false
}

// archiveExts are extensions of archives and compressed files.
var archiveExts = []string{"zip", "rar", "7z", "tar", "tgz", "gz", "bz2", "xz", "tbz2", "zst"}

// dumpExts are extensions that make an archive a database dump or a backup.
var dumpExts = []string{"sql", "db", "sqlite", "sqlite3", "dump", "bak", "mdb"}

// backupNames are archive names (lower case, without extension) of a whole site.
var backupNames = []string{
	"backup", "backups", "www", "wwwroot", "htdocs", "public_html", "webroot", "website",
	"site", "web", "db", "database", "dump", "sql", "mysql",
}

// viteRoots are the first directories of an absolute path after Vite's /@fs/.
var viteRoots = []string{
	"etc", "proc", "sys", "var", "usr", "opt", "root", "home", "tmp", "users", "private",
	"mnt", "srv", "app", "workspace", "windows",
}

func checkPrivateFile(r *request.Request) {
	if r.Message != nil || r.Path == "" || r.Method == "" {
		return
	}
	p, prev, depth := r.Path, "", 0
	for p != "" {
		var seg string
		if i := strings.IndexByte(p, '/'); i >= 0 {
			seg, p = p[:i], p[i+1:]
		} else {
			seg, p = p, ""
		}
		if seg == "" {
			continue
		}
		f, ok := privateFile(seg)
		if !ok {
			f, ok = restrictedSegment(seg, prev, depth < rootDepth)
		}
		if !ok && depth >= rootDepth && seg[0] == '.' {
			f, ok = deepDotFile(seg, p)
		}
		if !ok && (depth < rootDepth || strings.EqualFold(seg, "actuator")) {
			f, ok = exposedFile(seg, p, depth == 0)
		}
		if !ok && seg[0] == '@' {
			f, ok = viteFile(seg, p)
		}
		if ok {
			r.AddSignal(request.Signal{Name: PRIVATEFILE, Source: request.SourcePath, Fragment: fragment(f)})
			return
		}
		prev = seg
		depth++
	}
	if f, ok := exposedEndpoint(r); ok {
		r.AddSignal(request.Signal{Name: PRIVATEFILE, Source: request.SourcePath, Fragment: fragment(f)})
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

// restrictedSegment judges one path segment against the hidden names, Java web
// application directories, logs and backup archives; prev is the segment before it, top
// says it is at the top of the site (rootDepth).
func restrictedSegment(seg, prev string, top bool) (string, bool) {
	if len(seg) < 3 {
		return "", false
	}
	if seg[0] == '.' {
		return seg, dotName(seg, top)
	}
	switch lowerASCII(seg[0]) {
	case 'w', 'm':
		if strings.EqualFold(seg, "web-inf") || strings.EqualFold(seg, "meta-inf") || strings.EqualFold(seg, "web.config") {
			return seg, true
		}
	}
	if equalFoldAny(seg, logNames) || equalFoldAny(seg, debugPages) {
		return seg, true
	}
	dot := strings.LastIndexByte(seg, '.')
	if dot <= 0 {
		return "", false
	}
	if strings.EqualFold(seg[dot+1:], "log") && strings.EqualFold(prev, "wp-content") {
		return seg, true
	}
	return seg, siteArchive(seg)
}

// deepDotFile judges a hidden directory of an IDE or an AI agent deeper than the top of
// a site, rest being the path after it: the files that hold secrets count
// (.vscode/sftp.json, .idea/dataSources.xml, .cursor/mcp.json, anything under .claude),
// the ones projects commit do not (.vscode/settings.json, .idea/misc.xml,
// .cursor/rules/style.mdc).
func deepDotFile(seg, rest string) (string, bool) {
	if hasPrefixFold(seg, ".claude") {
		// Claude Code's settings, local settings, MCP servers and hooks (.claude/,
		// .claude.json).
		return seg, true
	}
	next, _, _ := strings.Cut(rest, "/")
	switch {
	case next == "":
		return "", false
	case strings.EqualFold(seg, ".vscode"):
		if equalFoldAny(next, harmlessVSCode) || hasSuffixFold(next, ".code-snippets") {
			return "", false
		}
	case strings.EqualFold(seg, ".idea"):
		if !hasPrefixFoldAny(next, secretIDEA) && indexFold(next, "private") < 0 {
			return "", false
		}
	case hasPrefixFoldAny(seg, dotPrefixes) || equalFoldAny(seg, []string{".roo", ".amazonq", ".kiro", ".zed"}):
		name := rest
		if i := strings.LastIndexByte(name, '/'); i >= 0 {
			name = name[i+1:]
		}
		if !hasPrefixFoldAny(name, agentSecretFiles) {
			return "", false
		}
	default:
		return "", false
	}
	return seg + "/" + next, true
}

// hasPrefixFoldAny reports whether s begins with one of prefixes, ignoring ASCII case.
func hasPrefixFoldAny(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if hasPrefixFold(s, p) {
			return true
		}
	}
	return false
}

// dotName reports whether the hidden name seg is one of dotNames, or a .env file that
// is not a template, or, at the top of the site (top), one of rootDotNames or
// dotPrefixes.
func dotName(seg string, top bool) bool {
	if equalFoldAny(seg, dotNames) {
		return true
	}
	if top {
		if equalFoldAny(seg, rootDotNames) {
			return true
		}
		for _, p := range dotPrefixes {
			if hasPrefixFold(seg, p) {
				return true
			}
		}
	}
	if hasPrefixFold(seg, ".env") {
		rest := seg[4:]
		return rest == "" || rest[0] == '.' && !equalFoldAny(rest[1:], envTemplates)
	}
	return false
}

// siteArchive reports whether seg is an archive of a database dump (backup.sql.zip,
// db.sqlite.gz) or of a whole site (www.zip, site-backup.tar.gz).
func siteArchive(seg string) bool {
	name, n := seg, 0
	for {
		dot := strings.LastIndexByte(name, '.')
		if dot <= 0 || !equalFoldAny(name[dot+1:], archiveExts) {
			break
		}
		name = name[:dot]
		n++
	}
	if n == 0 {
		return false
	}
	if dot := strings.LastIndexByte(name, '.'); dot > 0 && equalFoldAny(name[dot+1:], dumpExts) {
		return true
	}
	return backupName(name)
}

// backupName reports whether an archive name (extensions removed) names a copy of a
// site: its words (split at '-', '_', '.') are all backupNames or numbers ("www",
// "site-backup", "backup_2024-01-31"), or it is a backup word and one other word
// ("mysite-backup", "backup-old").
func backupName(name string) bool {
	words, named, known, backup := 0, false, true, false
	for name != "" {
		k := strings.IndexAny(name, "-_. ")
		w := name
		if k >= 0 {
			w, name = name[:k], name[k+1:]
		} else {
			name = ""
		}
		if w == "" {
			continue
		}
		words++
		if strings.EqualFold(w, "backup") || strings.EqualFold(w, "backups") || strings.EqualFold(w, "bak") {
			backup = true
			continue
		}
		switch {
		case equalFoldAny(w, backupNames):
			named = true
		case strings.Trim(w, "0123456789") != "":
			known = false
		}
	}
	return backup && words <= 2 || (named || backup) && known
}

// viteFile matches Vite's dev-server paths that read files: "@fs" followed by an
// absolute path (a system directory, a drive, a hidden file), and "@id/__x00__".
func viteFile(seg, rest string) (string, bool) {
	next := rest
	if i := strings.IndexByte(next, '/'); i >= 0 {
		next = next[:i]
	}
	switch {
	case strings.EqualFold(seg, "@fs"):
		if equalFoldAny(next, viteRoots) || len(next) == 2 && isAlpha(next[0]) && next[1] == ':' ||
			len(next) > 1 && next[0] == '.' {
			return seg + "/" + next, true
		}
	case strings.EqualFold(seg, "@id"):
		if hasPrefixFold(next, "__x00__") {
			return seg + "/" + next, true
		}
	}
	return "", false
}

// exposedEndpoint matches the few endpoints that hand their configuration or secrets to
// any caller: MinIO's internode bootstrap API, which returns the server's environment
// with its root credentials (CVE-2023-28432), and Joomla's web-services API asked with
// public=true, which skips authentication (CVE-2023-23752).
func exposedEndpoint(r *request.Request) (string, bool) {
	if i := indexFold(r.Path, "/minio/bootstrap/"); i >= 0 {
		return r.Path[i:], true
	}
	if i := indexFold(r.Path, "/api/index.php/v1/"); i >= 0 {
		for k := range r.Params {
			p := &r.Params[k]
			if p.Source == request.SourceQuery && !p.Key && strings.EqualFold(p.Name, "public") && strings.EqualFold(p.Value, "true") {
				return r.Path[i:], true
			}
		}
	}
	return "", false
}

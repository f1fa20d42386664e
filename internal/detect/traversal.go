package detect

import (
	"strings"

	"github.com/rampartwaf/rampart/internal/request"
)

// TRAVERSAL: path traversal and file inclusion.
//
// Four checks on every parameter value, each cheap to reject:
//
//   - dot-dot sequences. The scanner reads dots and separators in every spelling a
//     server may decode (%2e, %252e, 0x2e, overlong UTF-8 such as %c0%ae and %c0%af,
//     %uff0e, %u2215, and the look-alikes themselves: "..／" with a fullwidth solidus),
//     and treats the malformed escapes that fuzzing lists use as separators (%c0%9v,
//     %bg%qf), so it does not depend on the value having been decoded correctly. A step
//     spelled oddly (encoded, a backslash, "....//", "..;/"), in an upload's file name, or
//     leading to a dot-file or a sensitive file matches anywhere. A plain relative path
//     is judged by how far it climbs and where it lands (plainClimb): three steps up or
//     more, a step above an absolute root, the steps alone as the whole value, or, when
//     it opens the value, a file right in a directory above ("../config.php"), in a
//     directory of uploads, media, settings, data or logs ("../uploads/x.png",
//     "../../media/avatars/1337.jpg"), or a file of settings, credentials or a database
//     anywhere ("../../includes/db.php", "../../app/application.properties",
//     "../../instance/app.db", "config/../../shared/settings.py"). One or two steps to a
//     project's ordinary source, documents, templates, styles or images in another
//     directory ("../shared/utils.ts", "../../images/logo.png": editors, build tools and
//     monorepos write them) and steps in text do not.
//   - absolute or relative paths of files attackers read: /etc/passwd, /proc/self/environ,
//     win.ini, boot.ini, .ssh/id_rsa, WEB-INF/web.xml... The match tolerates shell globs
//     and quotes (/e't'c/pa??wd, /etc/pa[s]swd), doubled separators and "./" steps. Files
//     of passwords, keys and a process's environment (sensitiveAlways) count wherever a
//     value names them, even in a sentence; the others (/etc/hosts, /var/log/, ~/.bashrc,
//     .kube/config, php.ini...) only when the value is the path, or a command and its
//     options before it (pathOpensValue): "what is /etc/hosts file", "~/.ssh/config
//     example", a cron line or a script over several lines name them as data. A value that
//     opens with an absolute path into /etc, /proc, /sys, /var, /usr, /opt, /root or /boot
//     matches too, but for programs in /usr/bin and the like, files of runtimes under
//     /usr/lib and /usr/share, and source files that stack frames name
//     ("/usr/local/lib/python3.12/site-packages/django/db/utils.py") unless their name is
//     that of settings (config.php, php.ini) or, outside a library directory, of database
//     code ("/var/www/html/includes/db.php", "/opt/app/app/db.py").
//   - stream wrappers that turn an include into a read or an execution: php://filter,
//     php://input, zip://, phar://, expect://, data:text/plain, file:, jar:, and
//     mod_proxy's "unix:/sock|http://..." socket paths.
//   - remote file inclusion: a URL whose query is only '?' (which cuts the suffix the
//     application appends) naming a script, a text file or nothing; a URL cut by a NUL
//     after a file name; a URL to a bare IP address naming a script, or an FTP URL to
//     one; a URL in a parameter that old PHP applications are known to include.
//
// And one request check (checkTraversalRequest), because the parser hands the path to the
// value checks one decoded segment at a time, which hides "..;/" and "..%2f":
//
//   - the path as sent: encoded dot segments, dot segments with a path parameter or
//     beside an encoded separator or a backslash, ".." steps that climb above the root
//     (see pathDotSegments);
//   - system files named anywhere in the decoded path (/@fs/etc/passwd, /x/proc/self/);
//   - include-like parameters (file, page, include, template, path, lang...) holding a
//     URL to a script or a text file on another site, or a UNC path to a share on another
//     site ("\\evil.example\share\x": SMB or WebDAV, which also sends the server's NTLM
//     credentials there).
//
// Not detected: a URL to another site by itself (links, redirects and embeds are
// ordinary input: SSRF and open redirects are judged elsewhere), a URL in the path
// (/proxy/https://example.com/), a lone scheme name ("http?"), a plain "/a/../b" or "/./"
// in the path (ABNORMALPATH, an anomaly), file: URLs naming a static asset, a link that
// ends with "/?" or whose query ends with '?', UNC paths to a file server of the local
// network, .env templates (.env.example), the public half of a key pair (id_rsa.pub).

func init() {
	registerValueFiltered(TRAVERSAL, valueNeed{minLen: 3, any: classesOf("./\\%:") | classDigit},
		func(p *request.Param, v string, classes byteClass) (string, bool) {
			return matchTraversalClasses(p, v, classes)
		})
}

func matchTraversal(p *request.Param, v string) (string, bool) {
	return matchTraversalClasses(p, v, valueClasses(v))
}

// matchTraversalClasses is matchTraversal given the byte classes of v.
func matchTraversalClasses(p *request.Param, v string, classes byteClass) (string, bool) {
	if len(v) < 3 {
		return "", false
	}
	if !classes.has(traversalBytes) && !strings.Contains(v, "0x") {
		return "", false
	}
	if f, ok := dotDot(v, p != nil && isFileNameParam(p)); ok {
		return f, true
	}
	if classes.has(pathSeparators) {
		if f, ok := sensitivePath(v); ok {
			return f, true
		}
	}
	if f, ok := systemPathStart(p, v); ok {
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

// traversalBytes are the bytes a value needs for any traversal check but the 0x spelling
// of dots and separators; pathSeparators those sensitivePath needs.
var (
	traversalBytes = classesOf("./\\%:")
	pathSeparators = classesOf("/\\")
)

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
	case 0xE2, 0xEF:
		if u := lookalikeUnit(v, i); u != tuOther {
			return u, 3, true
		}
	}
	return tuOther, 1, false
}

// lookalikeUnit reads the UTF-8 character at v[i] as a dot or a separator when it is one
// of those that Unicode normalization (NFKC) or Windows' best-fit code pages turn into one:
// the fullwidth full stop and solidi (．／＼), the one-dot leader and small full stop, the
// division and fraction slashes, the set minus and the reverse solidus operator. The
// same characters as %uXXXX escapes are read by percentUnit.
func lookalikeUnit(v string, i int) int {
	if i+2 >= len(v) {
		return tuOther
	}
	switch v[i : i+3] {
	case "\uff0e", "\u2024", "\ufe52":
		return tuDot
	case "\uff0f", "\uff3c", "\u2215", "\u2216", "\u2044", "\u29f5":
		return tuSep
	}
	return tuOther
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
//
// A step spelled oddly is an attack wherever it is: an encoded dot or separator, a
// backslash, more than two dots ("....//"), a doubled separator, Tomcat's "..;/"; so is
// any step in the file name of an upload (upload), where it says where the file is
// written, and a step to a hidden file ("../.htpasswd") or a sensitive one. Plain steps
// are judged by where their path lands (plainClimb): relative paths with a step or two
// are ordinary in editors, build tools and monorepos ("../shared/utils.ts").
func dotDot(v string, upload bool) (string, bool) {
	if !strings.Contains(v, "..") && strings.IndexByte(v, '%') < 0 && !strings.Contains(v, "0x") && !strings.Contains(v, "0X") && strings.IndexByte(v, 0xEF) < 0 {
		return "", false
	}
	steps := 0
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
		odd := false
		for i < len(v) {
			u, n, enc := travUnit(v, i)
			if u == tuDot || u == tuWild {
				dots++
				odd = odd || enc
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
				odd = odd || enc || v[j] == '\\'
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
		i = j
		if odd || upload || dots > 2 || seps > 1 || tomcat {
			return around(v, start, j), true
		}
		// A plain step: judge what it leads to, then where its path lands.
		if j+1 < len(v) && v[j] == '.' && (isAlnum(v[j+1]) || v[j+1] == '_') || sensitiveAt(v, j) {
			return around(v, start, j), true
		}
		if ts, te, bad := plainClimb(v, start); bad {
			return around(v, ts, te), true
		}
	}
	return "", false
}

// plainClimb judges the path around the plain dot-dot step at v[start] (the run of
// bytes no space, quote, bracket or query delimiter ends: [ts, te)) by how far it climbs
// above where it starts and where it lands. It is an attack when it:
//
//   - climbs three directories or more ("../../../x": what a read of a system file
//     needs, and more than relative paths inside a project use), or above the root of an
//     absolute path ("/../x");
//   - lands on a sensitive file (sensitiveFiles) anywhere below the last step;
//   - is the whole value and lands nowhere ("../", "../../": a fuzzer's probe);
//   - opens the value (or follows '=' or ':') and lands right on a file in a directory above
//     (the configuration kept beside a web root: "../config.php", "../../index.php"; an
//     image, a font or a style sheet aside), or on anything but a project's ordinary file
//     in another directory (projectFile): a file in a directory where uploads, media,
//     settings, data, logs or a system live ("../uploads/shell.png", "../config/app.php",
//     "../../media/avatars/1337.jpg"), a file of settings, credentials or a database
//     ("../../includes/db.php", "config/../../shared/settings.py",
//     "../../src/main/resources/application.properties", "../../instance/app.db").
//
// One or two steps to a project's source, documents, templates, styles or images in
// another directory ("../shared/utils.ts", "../../images/logo.png"), a step inside a
// path ("theme/../img/logo.png") or in text ("[docs](../../README.md)") are not.
func plainClimb(v string, start int) (ts, te int, bad bool) {
	ts, te = start, start
	for ts > 0 && pathTokenByte(v[ts-1]) {
		ts--
	}
	for te < len(v) && pathTokenByte(v[te]) {
		te++
	}
	tok := v[ts:te]
	depth, lowest, landing := 0, 0, 0
	for k := 0; k < len(tok); {
		e := k
		for e < len(tok) && tok[e] != '/' && tok[e] != '\\' {
			e++
		}
		switch seg := tok[k:e]; {
		case seg == "" || seg == ".":
		case seg == "..":
			depth--
			lowest = min(lowest, depth)
			landing = e
		default:
			depth++
		}
		k = e + 1
	}
	climb := -lowest
	if climb >= 3 || climb > 0 && (tok[0] == '/' || tok[0] == '\\') {
		return ts, te, true
	}
	if climb == 0 {
		return ts, te, false
	}
	rest := strings.TrimLeft(tok[min(landing, len(tok)):], "/\\")
	if rest == "" {
		// Steps alone ("../../"): a probe when they are the whole value.
		return ts, te, strings.Trim(v, " '\"\t") == tok
	}
	for k := 0; k < len(rest); k++ {
		if (k == 0 || rest[k-1] == '/' || rest[k-1] == '\\') && sensitiveAt(rest, k) {
			return ts, te, true
		}
	}
	opens := ts > 0 && (v[ts-1] == '=' || v[ts-1] == ':')
	if !opens {
		opens = true
		for k := 0; k < ts; k++ {
			if c := v[k]; c != ' ' && c != '\'' && c != '"' && c != '\t' {
				opens = false
				break
			}
		}
	}
	if !opens {
		return ts, te, false
	}
	if !strings.ContainsAny(rest, "/\\") {
		return ts, te, !staticAsset(rest)
	}
	return ts, te, !projectFile(rest)
}

// projectFile reports whether rest, the path a one- or two-step climb lands on (with a
// directory in it), is an ordinary file of a project: no directory on the way is one of
// climbDirs (uploads, media, settings, logs, a system directory), and the file is a
// directory itself ("src/components/"), a source file, a document, a template, a style
// sheet or an image (projectExts) or has no extension ("LICENSE"), and its name is not that
// of settings, credentials or a database (configName). "../../includes/db.php",
// "../../src/main/resources/application.properties", "../../instance/app.db",
// "../../media/avatars/1337.jpg" (an uploaded image, which an include runs) are not.
func projectFile(rest string) bool {
	for {
		k := strings.IndexAny(rest, "/\\")
		if k < 0 {
			break
		}
		if equalFoldAny(rest[:k], climbDirs) {
			return false
		}
		rest = rest[k+1:]
	}
	if rest == "" {
		return true
	}
	if rest[0] == '.' || configName(rest) {
		return false
	}
	dot := strings.LastIndexByte(rest, '.')
	return dot < 0 || equalFoldAny(rest[dot+1:], projectExts)
}

// projectExts are extensions of files a project's relative paths name: source files,
// documents, templates, style sheets and images.
var projectExts = []string{
	"py", "go", "java", "kt", "scala", "groovy", "clj", "rb", "js", "mjs", "cjs", "ts", "mts",
	"cts", "tsx", "jsx", "rs", "c", "h", "cc", "cpp", "hpp", "cs", "ex", "exs", "erl", "swift",
	"dart", "lua", "php", "pm", "vue", "svelte", "astro", "md", "mdx", "markdown", "rst",
	"txt", "adoc", "html", "htm", "twig", "erb", "ejs", "hbs", "handlebars", "mustache", "jinja",
	"j2", "njk", "pug", "liquid", "tpl", "css", "scss", "sass", "less", "styl", "svg", "png",
	"jpg", "jpeg", "gif", "webp", "avif", "ico", "woff", "woff2", "ttf", "otf", "eot", "map",
}

// configName reports whether a file name is that of settings, secrets, credentials or a
// database: a name settingsName knows (config.php, settings.py, secrets.yml,
// application.properties, app.ini), a database or key store (.db, .sqlite3, .sql, .mdb,
// .kdbx, .toml, .env, .jks), or a name whose words (split at '-', '_', '.' and case
// changes) say it connects to a database: "db.php", "DbConnect.php", "conn.inc.php",
// "dsn.py".
func configName(name string) bool {
	if settingsName(name) {
		return true
	}
	dot := strings.LastIndexByte(name, '.')
	if dot >= 0 {
		ext := name[dot+1:]
		if equalFoldAny(ext, configExts) || hasPrefixFold(ext, "sqlite") {
			return true
		}
		name = name[:dot]
	}
	return dbWord(name)
}

// configExts are extensions of databases, key stores and settings that settingsExts does
// not list.
var configExts = []string{"db", "db3", "mdb", "accdb", "sql", "rdb", "dump", "kdbx", "toml", "env", "jks", "keystore", "p12", "pfx", "htpasswd", "pgpass"}

// dbWord reports whether one of the words of a file name (split at '-', '_', '.', spaces
// and lower-to-upper case changes) is "db", "dsn" or begins with "conn" ("connect",
// "Connection", "dbconn"... as "db" then "conn").
func dbWord(name string) bool {
	for i := 0; i < len(name); {
		j := i + 1
		for j < len(name) && isAlnum(name[j]) && !(isUpperLetter(name[j]) && !isUpperLetter(name[j-1])) {
			j++
		}
		w := name[i:j]
		if hasPrefixFold(w, "db") && (len(w) == 2 || hasPrefixFold(w[2:], "conn")) || strings.EqualFold(w, "dsn") || hasPrefixFold(w, "conn") {
			return true
		}
		for j < len(name) && !isAlnum(name[j]) {
			j++
		}
		i = j
	}
	return false
}

// pathTokenByte reports whether c may be part of a path written in a value: not a space,
// a quote, a bracket or a delimiter of a query, a list or markup.
func pathTokenByte(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\r', '"', '\'', '`', '<', '>', '(', ')', '[', ']', '|', ',', ';', '=',
		':', '?', '#', '&', 0:
		return false
	}
	return true
}

// staticAsset reports whether name is an image, a font or a style sheet.
func staticAsset(name string) bool {
	dot := strings.LastIndexByte(name, '.')
	return dot > 0 && equalFoldAny(name[dot+1:], assetExts) && !equalFoldAny(name[dot+1:], []string{"js", "mjs", "map"})
}

// climbDirs are directories a relative path reaches above its start to read what an
// application keeps out of its web root: uploads (an image hiding code, for an
// include), settings, logs, and system directories.
var climbDirs = []string{
	"upload", "uploads", "tmp", "temp", "config", "conf", "configs", "configuration", "storage",
	"log", "logs", "private", "secret", "secrets", "backup", "backups", "etc", "var", "usr",
	"home", "root", "opt", "proc", "sys", "windows", "winnt", "inetpub", "media", "avatars",
	"attachments", "userfiles", "user_uploads", "user-uploads", "instance", "db", "database",
	"databases", "data", "settings", "credentials",
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
// escape such as %2f or 0x5c reads as one unit from its '%' or '0', a look-alike such as
// '／' from its first byte).
func prevUnitStart(v string, i int) int {
	if i >= 3 && lookalikeUnit(v, i-3) != tuOther {
		return i - 3
	}
	for k := i - 1; k >= 0 && k >= i-12; k-- {
		if v[k] == '%' || v[k] == '0' && k+1 < len(v) && (v[k+1] == 'x' || v[k+1] == 'X') {
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
//
// Most are also named in ordinary text (a tutorial's "/etc/hosts", "~/.bashrc", a cron
// line's "> /var/log/backup.log", "put it in WEB-INF/lib"): they count when the value is
// a path (see pathOpensValue) or after a dot-dot step. Those of sensitiveAlways count
// wherever a value names them.
var sensitiveFiles = []string{
	"etc/passwd", "etc/shadow", "etc/group", "etc/hosts", "etc/issue", "etc/motd",
	"etc/master.passwd", "etc/sudoers", "etc/crontab", "etc/fstab", "etc/hostname",
	"etc/resolv.conf", "etc/subuid", "etc/subgid", "etc/security/", "etc/ssh/", "etc/mysql/",
	"etc/apache", "etc/httpd/", "etc/nginx/", "etc/php", "etc/init.d/", "etc/profile",
	"etc/bashrc", "etc/environment", "etc/network/", "etc/pam.d/", "etc/ld.so.", "etc/inetd.conf",
	"etc/shells", "etc/aliases", "etc/exports", "etc/redhat-release", "etc/lsb-release", "etc/os-release",
	"etc/vsftpd", "etc/proftpd", "etc/samba/", "etc/x11/", "etc/cron", "etc/syslog", "etc/rc.",
	"etc/gshadow",
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
	"windows/system32/", "windows/repair", "windows/win", "windows/system.ini", "windows/panther/",
	"windows/debug/", "windows/iis", "winnt/", "system32/", "inetpub/", "xampp/", "wamp/",
	"php.ini", "my.ini", "my.cnf", "httpd.conf", "apache2.conf", "nginx.conf", "php5/",
	"repair/sam", "config/sam", "boot/grub/", "dev/shm/", "access_log", "access.log",
	"error_log", "error.log", "apache/logs/", "apache2/logs/", "appserv/", "program files/apache",
	"program files/mysql", "program files/php", ".bash_profile", ".cshrc", ".login", ".logout",
	".viminfo", ".lesshst", ".xauthority", ".forward", ".rhosts", ".k5login", "id_rsa", "id_dsa",
	"id_ecdsa", "id_ed25519", "authorized_keys", "web.config", "global.asa", "httpd-vhosts.conf",
	"pearcmd.php", "peclcmd.php",
	// Credentials of well-known frameworks: Rails, Symfony, Magento.
	"config/database.yml", "config/secrets.yml", "config/master.key", "app/config/parameters.yml",
	"app/etc/local.xml", "app/etc/env.php",
}

// sensitiveAlways are the sensitiveFiles that hold passwords, keys or a process's
// environment, or that PHP includes to run a command (pearcmd.php): named anywhere in a
// value, even in a sentence, they count.
var sensitiveAlways = []string{
	"etc/passwd", "etc/shadow", "etc/gshadow", "etc/master.passwd", "etc/sudoers", "etc/security/",
	"proc/self/", ".aws/credentials", ".bash_history", ".zsh_history", ".mysql_history",
	".htpasswd", "wp-config.php", "boot.ini", "win.ini", "system.ini", "windows/system.ini",
	"repair/sam", "config/sam", "id_rsa", "id_dsa", "id_ecdsa", "id_ed25519", "pearcmd.php",
	"peclcmd.php",
}

// pathOpensValue reports whether the path that starts at v[i] is what the value holds
// rather than a path named in text: on the first line, after at most one other word (a
// command: "cat /etc/hosts") and options or paths ("-o /var/www/x"); a Windows path may
// hold spaces ("C:\Program Files\Apache Group\..."). Prose ("what is /etc/hosts file",
// "in your ~/.bashrc"), code and logs over several lines do not. A path written "~/..."
// is shell notation, not a file name an application opens ("~/.ssh/config example").
func pathOpensValue(v string, i int) bool {
	k := 0
	for k < i && (v[k] == ' ' || v[k] == '\'' || v[k] == '"' || v[k] == '\t') {
		k++
	}
	w := i // start of the word holding the path
	for w > k && !isSpace(v[w-1]) {
		w--
	}
	if w < len(v) && v[w] == '~' || strings.ContainsAny(v[k:i], "\n\r") {
		return false
	}
	if k+2 < len(v) && isAlpha(v[k]) && v[k+1] == ':' && (v[k+2] == '\\' || v[k+2] == '/') {
		return true // a Windows path from its drive
	}
	words := 0
	for p := k; p < w; {
		for p < w && isSpace(v[p]) {
			p++
		}
		e := p
		for e < w && !isSpace(v[e]) {
			e++
		}
		if e > p {
			words++
			word := v[p:e]
			if words > 1 && word[0] != '-' && !strings.ContainsAny(word, "/\\") {
				return false
			}
		}
		p = e
	}
	return true
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
// hidden file alone (".htaccess"; not in a path segment, which PRIVATEFILE judges).
//
// Under /usr, /opt and /var some paths are no file read (programOrSource): programs
// ("/usr/bin/env python3", a shebang, a command), files of runtimes and libraries, and
// source files, which every stack trace names ("/usr/local/lib/python3.12/site-packages/
// django/db/utils.py", "/usr/local/go/src/net/http/server.go", "/var/task/handler.py").
func systemPathStart(p *request.Param, v string) (string, bool) {
	i := 0
	for i < len(v) && (v[i] == ' ' || v[i] == '\'' || v[i] == '"') {
		i++
	}
	if p == nil || p.Source != request.SourcePath {
		for _, f := range dotFilesAlone {
			if hasPrefixFold(v[i:], f) {
				end := i + len(f)
				if f == ".env" {
					if envFileEnd(v, end) {
						return around(v, i, end), true
					}
					continue
				}
				if f[len(f)-1] == '/' || end == len(v) || !isAlnum(v[end]) && v[end] != '_' && v[end] != '-' {
					return around(v, i, end), true
				}
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
			if (d == "usr" || d == "opt" || d == "var") && programOrSource(v[i:]) {
				return "", false
			}
			return around(v, i, end), true
		}
	}
	return "", false
}

// programOrSource reports whether the path that opens v (up to a space, a quote or a
// query) is a program in /usr/bin, /usr/sbin, /usr/local/bin or /usr/local/sbin
// ("/usr/bin/env python3", a shebang, a command line), a file of a runtime or library
// under /usr/lib, /usr/share and the like that holds no settings
// ("/usr/lib/jvm/java-17-openjdk/bin/java"; not "/usr/lib/php.ini"), or a source file
// (sourceFile).
func programOrSource(v string) bool {
	if strings.Contains(v, "..") {
		return false
	}
	for _, d := range []string{"/usr/bin/", "/usr/sbin/", "/usr/local/bin/", "/usr/local/sbin/"} {
		if hasPrefixFold(v, d) {
			return true
		}
	}
	for _, d := range []string{"/usr/lib/", "/usr/lib64/", "/usr/share/", "/usr/include/", "/usr/src/", "/usr/local/lib/", "/usr/local/share/", "/usr/local/go/", "/usr/local/include/"} {
		if hasPrefixFold(v, d) {
			end := strings.IndexAny(v, " \t\r\n'\"?#;,%")
			if end < 0 {
				end = len(v)
			}
			name := v[strings.LastIndexByte(v[:end], '/')+1 : end]
			return name != "" && !settingsName(name)
		}
	}
	return sourceFile(v)
}

// settingsName reports whether a file name is that of settings, secrets or a log.
func settingsName(name string) bool {
	for _, w := range configWords {
		if indexFold(name, w) >= 0 {
			return true
		}
	}
	dot := strings.LastIndexByte(name, '.')
	return equalFoldAny(name, []string{"log", "logs"}) || dot >= 0 && equalFoldAny(name[dot+1:], settingsExts)
}

// settingsExts are extensions of settings files and logs.
var settingsExts = []string{"ini", "cnf", "cfg", "log", "default", "xml", "yml", "yaml", "json", "properties", "pem", "key"}

// sourceFile reports whether the path that opens v (up to a space, a quote or a query)
// names a source file (sourceExts) whose name does not hold settings (configWords:
// config.php, LocalSettings.php, httpd.conf.php, phpinfo.php are what an attacker reads),
// with no dot-dot step or escape in it: the frames of every stack trace name them
// ("/usr/local/lib/python3.12/site-packages/django/db/utils.py", "/var/www/html/vendor/
// laravel/framework/src/Illuminate/Database/Connection.php").
func sourceFile(v string) bool {
	end := strings.IndexAny(v, " \t\r\n'\"?#;,")
	if end < 0 {
		end = len(v)
	}
	path := v[:end]
	if strings.Contains(path, "..") || strings.IndexByte(path, '%') >= 0 {
		return false
	}
	name := path
	if k := strings.LastIndexAny(path, "/\\"); k >= 0 {
		name = path[k+1:]
	}
	dot := strings.LastIndexByte(name, '.')
	if dot <= 0 || !equalFoldAny(name[dot+1:], sourceExts) {
		return false
	}
	if settingsName(name) || equalFoldAny(name, sensitiveAlways) {
		return false
	}
	// An application's own database code ("/var/www/html/includes/db.php",
	// "/opt/app/app/db.py") holds its credentials; a library's does not
	// (".../vendor/laravel/framework/src/Illuminate/Database/Connection.php").
	return libraryPath(path) || !dbWord(name[:dot])
}

// libraryPath reports whether a path runs through a directory of installed libraries
// (vendor, node_modules, site-packages, dist-packages, gems).
func libraryPath(path string) bool {
	for _, d := range []string{"/vendor/", "/node_modules/", "/site-packages/", "/dist-packages/", "/gems/"} {
		if indexFold(path, d) >= 0 {
			return true
		}
	}
	return false
}

// configWords are parts of the names of files that hold settings or secrets.
var configWords = []string{"conf", "setting", "secret", "credential", "passw", "database", "param", "env", "key", "token", "phpinfo"}

// sourceExts are extensions of source files that stack traces name.
var sourceExts = []string{
	"py", "go", "java", "kt", "scala", "groovy", "clj", "rb", "js", "mjs", "cjs", "ts", "tsx",
	"jsx", "rs", "c", "h", "cc", "cpp", "hpp", "cs", "ex", "exs", "erl", "swift", "dart",
	"lua", "php", "pm",
}

// sensitiveByFirst indexes sensitiveFiles by first byte.
var sensitiveByFirst [256][]string

func init() {
	for _, f := range sensitiveFiles {
		sensitiveByFirst[f[0]] = append(sensitiveByFirst[f[0]], f)
	}
}

// sensitivePath finds a sensitive file path in v at a path start: one of
// sensitiveAlways anywhere, any other when the value is a path (pathOpensValue).
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
		end, always, ok := sensitiveFileAt(v, j)
		if !ok || !always && !pathOpensValue(v, i) {
			continue
		}
		if !always {
			// A source file a stack frame names is the whole value.
			k := len(v) - len(strings.TrimLeft(v, " '\"\t"))
			if !strings.ContainsAny(v[k:i], " \t") && sourceFile(v[k:]) {
				continue
			}
		}
		return around(v, i, end), true
	}
	return "", false
}

// sensitiveAt reports whether a sensitive file path starts at v[i].
func sensitiveAt(v string, i int) bool {
	_, _, ok := sensitiveFileAt(v, i)
	return ok
}

// sensitiveFileAt tries each sensitive path at v[i:], skipping "./" steps and doubled
// separators before it; always says the path is one of sensitiveAlways.
func sensitiveFileAt(v string, i int) (end int, always, ok bool) {
	for i < len(v) && (v[i] == '/' || v[i] == '\\' || v[i] == '.' && i+1 < len(v) && (v[i+1] == '/' || v[i+1] == '\\')) {
		i++
	}
	if i >= len(v) {
		return 0, false, false
	}
	c := lowerASCII(v[i])
	try := func(list []string) (int, bool, bool) {
		for _, f := range list {
			end, ok := pathGlobMatch(v, i, f)
			if !ok {
				continue
			}
			switch f {
			case ".env":
				// A .env file, not ".environment" nor a template (.env.example).
				if !envFileEnd(v, end) {
					continue
				}
			case ".history", "root/", ".profile", ".bashrc":
				// Whole element only: ".history" but not ".history-viewer".
				if end < len(v) && (isAlnum(v[end]) || v[end] == '_') {
					continue
				}
			case "id_rsa", "id_dsa", "id_ecdsa", "id_ed25519":
				// The public half of a key pair is no secret.
				if hasPrefixFold(v[end:], ".pub") {
					continue
				}
			}
			return end, equalFoldAny(f, sensitiveAlways), true
		}
		return 0, false, false
	}
	if end, always, ok := try(sensitiveByFirst[c]); ok {
		return end, always, true
	}
	if c == '?' || c == '*' || c == '[' || c == '\'' || c == '"' {
		return try(sensitiveFiles)
	}
	return 0, false, false
}

// envFileEnd reports whether a ".env" name that ends at v[end] is a dotenv file: the
// name alone, or with a suffix that is not a template's (.env.local, .env.production,
// but not .env.example, .env.dist: those are committed without secrets).
func envFileEnd(v string, end int) bool {
	if end >= len(v) {
		return true
	}
	if c := v[end]; c != '.' {
		return !isAlnum(c) && c != '_' && c != '-'
	}
	k := end + 1
	for k < len(v) && (isAlnum(v[k]) || v[k] == '_' || v[k] == '-') {
		k++
	}
	return k == end+1 || !equalFoldAny(v[end+1:k], envTemplates)
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
	"data:text/", "data:application/x-httpd-php", "data:application/x-php", "unix:",
}

// assetExts are extensions of static resources: a file: URL naming one is the address of
// a resource of a desktop or Electron application (seen in performance telemetry), not a
// file read worth an attack.
var assetExts = []string{"svg", "png", "jpg", "jpeg", "gif", "webp", "ico", "css", "js", "mjs", "woff", "woff2", "ttf", "otf", "eot", "map"}

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
			if rest == "" || rest[0] != '/' && rest[0] != '\\' || fileAsset(rest) {
				continue
			}
		case "unix:":
			// mod_proxy's "unix:/path/to.sock|http://backend/": a socket path that makes
			// Apache open a connection of the attacker's choosing (CVE-2021-40438).
			if !unixSocketURL(rest) {
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

// fileAsset reports whether the path of a file: URL names a static asset and takes no
// dot-dot step.
func fileAsset(path string) bool {
	if k := strings.IndexAny(path, "?#"); k >= 0 {
		path = path[:k]
	}
	if strings.Contains(path, "..") || strings.IndexByte(path, '%') >= 0 {
		return false
	}
	dot := strings.LastIndexByte(path, '.')
	if dot < 0 || strings.ContainsAny(path[dot:], "/\\") {
		return false
	}
	return equalFoldAny(path[dot+1:], assetExts)
}

// unixSocketURL reports whether rest (what follows "unix:") holds a '|' and a URL after
// it, as mod_proxy reads a socket path.
func unixSocketURL(rest string) bool {
	bar := strings.IndexByte(rest, '|')
	if bar < 0 {
		return false
	}
	u := rest[bar+1:]
	k := 0
	for k < len(u) && k < 12 && isAlpha(u[k]) {
		k++
	}
	return k > 0 && strings.HasPrefix(u[k:], "://")
}

// rfiParams are parameter names through which old PHP applications include files, so a
// URL in them is a remote inclusion attempt.
var rfiParams = []string{
	"_conf[path]", "mosconfig_absolute_path", "gallery_basedir", "include_path", "phpbb_root_path",
	"appserv_root", "path_to_root", "root_path", "cfg_root", "dir_inc", "includedir",
}

// includeParams are parameter names that applications commonly pass to include or
// require: a URL in them that names a script or a text file on another host, or that
// ends with '?', is a remote inclusion attempt.
var includeParams = []string{
	"file", "page", "include", "inc", "template", "tpl", "path", "lang", "language",
	"module", "mod", "dir", "doc", "document", "load", "conf", "config",
}

// rfiExts are extensions of what a remote inclusion fetches: scripts, and the text files
// attackers host them as so that their own server does not run them.
var rfiExts = []string{
	"txt", "inc", "php", "php3", "php4", "php5", "php7", "phtml", "pl", "py", "sh", "cgi",
	"asp", "aspx", "jsp", "ps1",
}

// urlParts splits a URL that starts with a scheme of schemeLen bytes ("http://") into
// its host (without user information and port is kept) and its path (before any query
// or fragment); rest is what follows the path.
func urlParts(v string, schemeLen int) (host, path, rest string) {
	auth := v[schemeLen:]
	end := strings.IndexAny(auth, "/?#")
	if end < 0 {
		end = len(auth)
	}
	host = auth[:end]
	if h := strings.LastIndexByte(host, '@'); h >= 0 {
		host = host[h+1:]
	}
	path = auth[end:]
	if q := strings.IndexAny(path, "?#"); q >= 0 {
		path, rest = path[:q], path[q:]
	}
	return host, path, rest
}

// urlScheme returns the length of the http, https, ftp or ftps scheme v opens with, or 0.
func urlScheme(v string) int {
	for _, s := range []string{"http://", "https://", "ftp://", "ftps://"} {
		if hasPrefixFold(v, s) {
			return len(s)
		}
	}
	return 0
}

// fileExtIn reports whether the last segment of path has an extension in exts.
func fileExtIn(path string, exts []string) bool {
	dot := strings.LastIndexByte(path, '.')
	if dot < 0 || strings.IndexByte(path[dot:], '/') >= 0 {
		return false
	}
	return equalFoldAny(path[dot+1:], exts)
}

// isIPHost reports whether host (possibly with a port) is an IPv4 or IPv6 address,
// bracketed or not.
func isIPHost(host string) bool {
	if host == "" {
		return false
	}
	if host[0] == '[' {
		return true
	}
	colons, dots := 0, 0
	for i := 0; i < len(host); i++ {
		switch c := host[i]; {
		case c == ':':
			colons++
		case c == '.':
			dots++
		case isDigit(c):
		case isHexDigit(c):
			dots = -100 // a letter: only an IPv6 address may hold one
		default:
			return false
		}
	}
	if colons >= 2 {
		return true // 2001:db8::1, ::ffff:1.2.3.4
	}
	return dots == 3
}

// remoteInclude matches remote file inclusion: a URL whose query is only '?' (which cuts
// the suffix the application appends) naming a script, a text file or no path at all; a
// URL cut by a NUL after a file name; a URL to a bare IP address naming a script, or any
// FTP URL to one; an include-like parameter holding a URL cut by '?'; a URL in a
// parameter known to be included.
//
// A URL ending with "/?", or with '?' after a query, is how a link is often written and
// is left alone, as is a URL cut by a NUL right after its host.
func remoteInclude(p *request.Param, v string) (string, bool) {
	scheme := urlScheme(v)
	if scheme == 0 {
		return "", false
	}
	host, path, rest := urlParts(v, scheme)
	named := p != nil && !p.Key
	if rest != "" && strings.Trim(rest, "?") == "" {
		// "http://evil.example/shell.txt?": the application's ".php" becomes a query.
		if path == "" || fileExtIn(path, rfiExts) || named && equalFoldAny(p.Name, includeParams) {
			return v, true
		}
	}
	if k := nulCut(v); k > 0 {
		_, p2, r2 := urlParts(v[:k], scheme)
		if r2 == "" && p2 != "" && p2[len(p2)-1] != '/' {
			return v, true
		}
	}
	if named {
		for _, n := range rfiParams {
			if strings.EqualFold(p.Name, n) {
				return v, true
			}
		}
	}
	if !isIPHost(host) {
		return "", false
	}
	// ftp://192.0.2.7/: no application fetches from an FTP server at a bare address.
	if scheme <= len("ftps://") && lowerASCII(v[0]) == 'f' {
		return v, true
	}
	// http://192.0.2.7/shell.txt: a script fetched from a bare address.
	if fileExtIn(path, rfiExts) {
		return v, true
	}
	return "", false
}

// nulCut returns the index of the first NUL byte or "%00" in v, or -1.
func nulCut(v string) int {
	k := strings.IndexByte(v, 0)
	if e := strings.Index(v, "%00"); e >= 0 && (k < 0 || e < k) {
		k = e
	}
	return k
}

func init() { registerRequest(checkTraversalRequest) }

// checkTraversalRequest judges what the value checks cannot see whole: the path as sent
// (dot segments, their encodings, steps above the root: the parser splits the decoded
// path into segments, which hides "..;/" and "..%2f"), system files named anywhere in
// the decoded path (/@fs/etc/passwd), and include-like parameters that point at a script
// on another host.
func checkTraversalRequest(r *request.Request) {
	if r.Message != nil || r.Method == "" {
		return
	}
	if raw := rawRequestPath(r.URI); raw != "" {
		if f, ok := pathDotSegments(raw); ok {
			r.AddSignal(request.Signal{Name: TRAVERSAL, Source: request.SourcePath, Fragment: fragment(f)})
			return
		}
	}
	if f, ok := pathSystemFile(r.Path); ok {
		r.AddSignal(request.Signal{Name: TRAVERSAL, Source: request.SourcePath, Fragment: fragment(f)})
		return
	}
	for i := range r.Params {
		p := &r.Params[i]
		switch p.Source {
		case request.SourceQuery, request.SourceForm, request.SourceMultipart:
		default:
			continue
		}
		if p.Key || len(p.Value) < 8 || !equalFoldAny(p.Name, includeParams) {
			continue
		}
		if c := lowerASCII(p.Value[0]); c != 'h' && c != 'f' && c != ' ' && c != '\\' {
			continue
		}
		if remoteScript(r.Host, p.Value) || remoteShare(r.Host, p.Value) {
			r.AddSignal(request.Signal{Name: TRAVERSAL, Source: p.Source, Param: p.Name, Fragment: fragment(p.Value)})
			return
		}
	}
}

// rawRequestPath returns the path of a request target as sent: before the query, after
// the authority of an absolute-form target; "" when there is none.
func rawRequestPath(uri string) string {
	if i := strings.IndexByte(uri, '?'); i >= 0 {
		uri = uri[:i]
	}
	if strings.HasPrefix(uri, "/") {
		return uri
	}
	if i := strings.Index(uri, "://"); i > 0 {
		rest := uri[i+3:]
		if j := strings.IndexByte(rest, '/'); j >= 0 {
			return rest[j:]
		}
	}
	return ""
}

// pathUnit reads one unit of a raw path like travUnit, without the spellings no web
// server decodes in a path: "0x2e", and '%' before something that is not an escape
// (a literal percent some sites leave in their URLs).
func pathUnit(v string, i int) (unit, n int, enc bool) {
	switch v[i] {
	case '0':
		return tuOther, 1, false
	case '%':
		if i+2 >= len(v) {
			return tuOther, 1, false
		}
		if c := v[i+1]; !(isHexDigit(c) && isHexDigit(v[i+2]) || c == 'u' || c == 'U' || c == '%') {
			return tuOther, 1, false
		}
	}
	u, n, enc := travUnit(v, i)
	if u == tuWild {
		u = tuOther
	}
	return u, n, enc
}

// pathDotSegments judges the dot segments of the raw path p. Browsers and HTTP libraries
// resolve "." and ".." (and their %2e spellings) before they send a URL, so a dot
// segment that reaches the server was written by hand. It is an attack when:
//
//   - a dot is encoded ("/%2e/WEB-INF/", ".%252e/", "%c0%ae%c0%ae/"): the proxy or the
//     access rule sees another path than the application server;
//   - the segment carries a path parameter ("/..;/admin/", "/.;/"): Tomcat drops it
//     and steps up where a front proxy did not;
//   - a separator next to it is encoded or a backslash ("..%2f", "..\"): read as a
//     separator only by some servers;
//   - ".." steps climb above the root and something follows ("/a/../../etc/passwd").
//
// A plain "/a/../b" or "/a/./b" is only abnormal (ABNORMALPATH).
func pathDotSegments(p string) (string, bool) {
	// A dot segment starts after a separator, unless a dot or a separator is encoded.
	if !strings.Contains(p, "/.") && strings.IndexByte(p, '%') < 0 && strings.IndexByte(p, '\\') < 0 {
		return "", false
	}
	depth, above := 0, false
	oddSep := false // the separator run before this segment was encoded or a backslash
	for i := 0; i < len(p); {
		u, n, enc := pathUnit(p, i)
		if u == tuSep {
			oddSep = oddSep || enc || p[i] == '\\'
			i += n
			continue
		}
		start := i
		dots, other := 0, 0
		odd, param := false, false
		for i < len(p) {
			u, n, enc = pathUnit(p, i)
			if u == tuSep {
				break
			}
			if p[i] == ';' && dots > 0 && other == 0 {
				// "..;jsessionid=x": the parameter runs to the next separator.
				param = true
				for i < len(p) {
					if u, n, _ = pathUnit(p, i); u == tuSep {
						break
					}
					i += n
				}
				break
			}
			switch u {
			case tuDot:
				dots++
				odd = odd || enc
			case tuSkip:
				odd = true
			default:
				other++
			}
			i += n
		}
		nextOdd := false
		if i < len(p) {
			_, _, e := pathUnit(p, i)
			nextOdd = e || p[i] == '\\'
		}
		switch {
		case dots > 0 && other == 0:
			if odd || param || oddSep || nextOdd {
				return around(p, start, i), true
			}
			if dots >= 2 {
				if depth--; depth < 0 {
					above = true
				}
			}
		case i > start:
			if above {
				return around(p, 0, i), true
			}
			depth++
		}
		oddSep = false
	}
	return "", false
}

// pathSystemFiles are operating system files and directories that no URL of a web
// application names. Each is matched at the start of a segment of the decoded path; a
// trailing '/' names a directory (matched with or without what follows), a trailing '*'
// a prefix; any other entry must end there ("etc/group" is not "etc/groups").
var pathSystemFiles = []string{
	"etc/passwd", "etc/shadow", "etc/group", "etc/hosts", "etc/issue", "etc/motd",
	"etc/master.passwd", "etc/sudoers", "etc/crontab", "etc/fstab", "etc/hostname",
	"etc/resolv.conf", "etc/subuid", "etc/subgid", "etc/ssh/", "etc/mysql/", "etc/apache*",
	"etc/httpd/", "etc/nginx/", "etc/php*", "etc/profile", "etc/environment", "etc/shells",
	"etc/security/", "etc/pam.d/", "etc/os-release", "etc/lsb-release", "etc/redhat-release",
	"etc/inetd.conf", "etc/exports", "etc/sysctl.conf", "etc/ld.so.*", "etc/init.d/", "etc/cron*",
	"etc/aliases", "etc/kubernetes/", "etc/krb5.conf", "etc/sudoers.d/",
	"proc/self/", "proc/thread-self/", "proc/version", "proc/cmdline", "proc/mounts", "proc/net/",
	"proc/sys/", "proc/cpuinfo", "proc/meminfo", "proc/interrupts", "proc/partitions",
	"proc/devices", "proc/loadavg", "proc/stat", "proc/sched_debug", "proc/kcore",
	"proc/filesystems", "proc/modules",
	"sys/class/net/", "sys/class/dmi/", "sys/kernel/", "sys/firmware/", "sys/devices/virtual/dmi/",
	"var/log/", "var/run/secrets/", "var/lib/mysql/", "var/mail/", "var/spool/cron/",
	"windows/win.ini", "windows/system.ini", "windows/system32/", "windows/repair/",
	"windows/panther/", "winnt/win.ini", "winnt/system32/", "boot.ini", "win.ini",
}

// pathSystemByFirst indexes pathSystemFiles by first byte.
var pathSystemByFirst [256][]string

func init() {
	for _, f := range pathSystemFiles {
		pathSystemByFirst[f[0]] = append(pathSystemByFirst[f[0]], f)
	}
}

// pathSystemFile finds a system file named in the decoded path p, at the start of a
// segment ("/@fs/etc/passwd", "/static/../../windows/win.ini" decoded, "/get/proc/stat").
func pathSystemFile(p string) (string, bool) {
	for i := 0; i < len(p); i++ {
		if i > 0 && p[i-1] != '/' && p[i-1] != '\\' {
			continue
		}
		for _, f := range pathSystemByFirst[lowerASCII(p[i])] {
			if end, ok := pathEntryAt(p, i, f); ok {
				return around(p, i, end), true
			}
		}
		if end, ok := procPidFile(p, i); ok {
			return around(p, i, end), true
		}
	}
	return "", false
}

// pathEntryAt matches one pathSystemFiles entry at p[i:].
func pathEntryAt(p string, i int, f string) (int, bool) {
	switch f[len(f)-1] {
	case '*':
		return pathGlobMatch(p, i, f[:len(f)-1])
	case '/':
		if end, ok := pathGlobMatch(p, i, f); ok {
			return end, true
		}
		// The directory itself, at the end of the path.
		end, ok := pathGlobMatch(p, i, f[:len(f)-1])
		return end, ok && end == len(p)
	}
	end, ok := pathGlobMatch(p, i, f)
	if !ok || end < len(p) && !pathNameEnd(p, end, f) {
		return 0, false
	}
	return end, true
}

// pathNameEnd reports whether the file name f may end at p[end] (end < len(p)): a
// separator or punctuation follows, but not a word ("passwd-managers", "groups"); a lone
// trailing '-' is a backup ("/etc/passwd-"); a '.' may add an extension only to a name
// that has none ("hosts.allow", not "win.ini.html").
func pathNameEnd(p string, end int, f string) bool {
	switch c := p[end]; {
	case c == '-':
		return end+1 == len(p) || p[end+1] == '/'
	case c == '.':
		return strings.IndexByte(f[strings.LastIndexByte(f, '/')+1:], '.') < 0
	default:
		return !isAlnum(c) && c != '_'
	}
}

// procPidFile matches "proc/<pid>/" followed by a file that leaks a process's secrets
// or its memory (environ, cmdline, maps, mem, fd/, root/, cwd/).
func procPidFile(p string, i int) (int, bool) {
	if !hasPrefixFold(p[i:], "proc/") {
		return 0, false
	}
	j := i + 5
	k := j
	for k < len(p) && isDigit(p[k]) {
		k++
	}
	if k == j || k >= len(p) || p[k] != '/' {
		return 0, false
	}
	for _, f := range []string{"environ", "cmdline", "maps", "mem", "fd/", "root/", "cwd/", "status"} {
		if hasPrefixFold(p[k+1:], f) {
			return k + 1 + len(f), true
		}
	}
	return 0, false
}

// remoteScript reports whether v, the value of an include-like parameter, is a URL to a
// script or text file on a host other than the request's own (or its parent domain or
// subdomains: a site's links to itself are not inclusions).
func remoteScript(reqHost, v string) bool {
	v = strings.TrimSpace(v)
	scheme := urlScheme(v)
	if scheme == 0 {
		return false
	}
	host, path, _ := urlParts(v, scheme)
	if !fileExtIn(path, rfiExts) {
		return false
	}
	return !sameSite(hostOnly(host), hostOnly(reqHost))
}

// remoteShare reports whether v, the value of an include-like parameter, is a UNC path
// to a share on another site ("\\evil.example\share\x", WebDAV's
// "\\evil.example@SSL\x"): Windows opens it over SMB or WebDAV, so an include runs
// the attacker's file, and any read sends the server's NTLM credentials to that host.
// The host must be an IP address or a dotted name of another site than the request's;
// file servers of a local network ("\\fs01\scans", "\\fs01.corp.local\scans") and
// Windows' own prefixes ("\\?\C:\", "\\.\pipe\") are not.
func remoteShare(reqHost, v string) bool {
	v = strings.TrimSpace(v)
	if !strings.HasPrefix(v, `\\`) {
		return false
	}
	rest := v[2:]
	end := strings.IndexAny(rest, `\/`)
	if end <= 0 || end == len(rest)-1 {
		return false // a host alone, or nothing after it
	}
	host := rest[:end]
	if at := strings.IndexByte(host, '@'); at >= 0 {
		host = host[:at]
	}
	for k := 0; k < len(host); k++ {
		if c := host[k]; !isAlnum(c) && c != '.' && c != '-' {
			return false
		}
	}
	if isIPHost(host) {
		return true
	}
	dot := strings.LastIndexByte(host, '.')
	if dot <= 0 || dot == len(host)-1 || equalFoldAny(host[dot+1:], internalTLDs) {
		return false
	}
	return !sameSite(host, hostOnly(reqHost))
}

// internalTLDs are the last labels of host names of local networks.
var internalTLDs = []string{"local", "lan", "corp", "internal", "intranet", "intra", "home", "localdomain", "ad", "private", "localhost"}

// hostOnly strips the port from a host.
func hostOnly(h string) string {
	if strings.HasPrefix(h, "[") {
		if k := strings.IndexByte(h, ']'); k >= 0 {
			return h[:k+1]
		}
		return h
	}
	if k := strings.LastIndexByte(h, ':'); k >= 0 && strings.IndexByte(h[:k], ':') < 0 {
		return h[:k]
	}
	return h
}

// sameSite reports whether hosts a and b are equal, or one is a subdomain of the other,
// or they share their last two labels (www.example.com and cdn.example.com).
func sameSite(a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	if strings.EqualFold(a, b) {
		return true
	}
	if isIPHost(a) || isIPHost(b) {
		return false
	}
	return strings.EqualFold(lastLabels(a, 2), lastLabels(b, 2)) && strings.Count(lastLabels(a, 2), ".") == 1
}

// lastLabels returns the last n dot-separated labels of host.
func lastLabels(host string, n int) string {
	i := len(host)
	for ; n > 0; n-- {
		k := strings.LastIndexByte(host[:i], '.')
		if k < 0 {
			return host
		}
		i = k
	}
	return host[i+1:]
}

package detect

import (
	"strings"
	"testing"

	"github.com/rampartwaf/rampart/internal/request"
)

func TestPrivateFile(t *testing.T) {
	tests := []struct {
		path string
		want bool
	}{
		{"/index.php~", true},
		{"/app/index.php~/foo/bar", true},
		{"/config.php.bak", true},
		{"/wp-config.php.old", true},
		{"/.index.php.swp", true},
		{"/backup/site.sql", true},
		{"/data/dump.rdb", true},
		{"/db/users.SQLITE", true},
		{"/keys/id_rsa", true},
		{"/etc/letsencrypt/live/example.com/privkey.pem", true},
		{"/backup.sql.zip", true},
		{"/dl/db.sqlite.gz", true},
		{"/www.zip", true},
		{"/old/site-backup-2024-01.tar.gz", true},
		{"/mysite_backup.zip", true},
		{"/backup_20240131.tar.gz", true},
		{"/db-2024-01-31.sql.gz", true},
		{"/.git/config", true},
		{"/app/.svn/entries", true},
		{"/.idea/workspace.xml", true},
		{"/.DS_Store", true},
		{"/.claude/settings.json", true},
		{"/app/.claude/settings.local.json", true},
		{"/.cursor/mcp.json", true},
		{"/.cursorrules", true},
		{"/.aider.conf.yml", true},
		{"/.windsurf/rules/global.md", true},
		{"/.codex/config.toml", true},
		{"/.mcp.json", true},
		{"/.env", true},
		{"/api/.env.production", true},
		{"/.aws/credentials", true},
		{"/.htpasswd", true},
		{"/WEB-INF/web.xml", true},
		{"/app/META-INF/context.xml", true},
		{"/wp-content/debug.log", true},
		{"/wp-content/errors.log", true},
		{"/storage/logs/laravel.log", true},
		{"/error_log", true},
		{"/@fs/etc/passwd", true},
		{"/@fs/home/dev/app/.env", true},
		{"/@fs/C:/Users/dev/secret.txt", true},
		{"/@id/__x00__?import", true},
		{"/minio/bootstrap/v1/verify", true},
		// benign
		{"/", false},
		{"/~user/", false},
		{"/api/folders/~", false},
		{"/fonts/Inter.ttf", false},
		{"/static/app.js", false},
		{"/download/ca.pem", false},
		{"/logs/today.log", false},
		{"/files/archive.tar.gz", false},
		{"/docs/sql-tutorial", false},
		{"/blog/old-posts", false},
		{"/api/v1/db", false},
		{"/slides/keynote.key", false},
		{"/.well-known/openid-configuration", false},
		{"/.well-known/acme-challenge/x1", false},
		{"/robots.txt", false},
		{"/static/js/app.js.map", false},
		{"/wp-content/uploads/2024/01/photo.jpg", false},
		{"/wp-content/plugins/x/readme.txt", false},
		{"/org/repo/blob/main/.github/workflows/ci.yml", false},
		{"/org/repo/raw/main/.gitignore", false},
		{"/org/repo/blob/main/.env.example", false},
		{"/.environment/x", false},
		{"/api/continue/session", false},
		{"/v3/.deploy_status.json", false},
		{"/downloads/photos.zip", false},
		{"/downloads/app-1.2.tar.gz", false},
		{"/releases/restic-backup-tool-v1.2.zip", false},
		{"/downloads/website-templates-pack.zip", false},
		{"/dl/2024.zip", false},
		{"/jquery.history.min.js", false},
		{"/uploads/wc-logs/today.log", false},
		{"/@fs", false},
		{"/@fs/109876543", false},
		{"/@id/status/12", false},
		{"/web-inform/", false},
		{"/minio/ui/browser", false},
		{"/api/index.php/v1/articles", false},
		{"/wiki/.NET", false},
		{"/packages/@babel/core", false},
		{"/static/environment.js", false},
		{"/blog/how-to-backup-your-site", false},
		{"/downloads/backup-restore-tool-v2.zip", false},
		{"/logs", false},
		{"/changelog.md", false},

		// Editor, agent and shell dotfiles count at the top of a site; deeper they are
		// files of a repository a code-hosting site shows. Secrets count at any depth.
		{"/.vscode/sftp.json", true},
		{"/app/.vscode/settings.json", true},
		{"/.htaccess", true},
		{"/.bashrc", true},
		{"/acme/web/blob/main/.vscode/settings.json", false},
		{"/acme/web/raw/main/.cursor/rules/style.mdc", false},
		{"/laravel/laravel/blob/11.x/public/.htaccess", false},
		{"/ana/dotfiles/blob/main/.zshrc", false},
		{"/acme/web/blob/main/.vscode/extensions.json", false},
		{"/acme/web/blob/main/.vscode/launch.json", false},
		{"/acme/web/blob/main/.vscode/react.code-snippets", false},
		{"/acme/web/tree/main/.vscode", false},
		{"/acme/web/blob/main/.idea/misc.xml", false},
		{"/acme/web/blob/main/.idea/codeStyles/Project.xml", false},
		{"/acme/web/blob/main/.editorconfig", false},
		{"/acme/web/blob/main/.prettierrc", false},
		{"/acme/web/blob/main/.windsurf/rules/global.md", false},
		// Secret-bearing dotfiles count at any depth, also on a code-hosting site: a saved
		// SFTP password, registry tokens, database connections, agents' MCP servers and
		// keys. (These two were false before a review found the bypass.)
		{"/acme/web/main/.claude/settings.json", true},
		{"/repos/acme/web/contents/.mcp.json", true},
		{"/wp-content/themes/mytheme/.vscode/sftp.json", true},
		{"/wp-content/themes/mytheme/.npmrc", true},
		{"/app/public/x/.idea/dataSources.xml", true},
		{"/app/public/x/.idea/dataSources.local.xml", true},
		{"/app/public/x/.idea/webServers.xml", true},
		{"/app/public/x/.idea/httpRequests/http-client.private.env.json", true},
		{"/app/public/x/.claude/settings.json", true},
		{"/app/public/x/.claude.json", true},
		{"/app/public/x/.mcp.json", true},
		{"/app/public/x/.envrc", true},
		{"/app/public/x/.cursor/mcp.json", true},
		{"/app/public/x/.kiro/settings/mcp.json", true},
		{"/app/public/x/.vs/config/applicationhost.config", true},
		{"/a/b/c/.pypirc", true},
		{"/a/b/c/.docker/config.json", true},
		{"/a/b/c/.git-credentials", true},
		{"/acme/web/blob/main/.git/config", true},
		{"/acme/web/blob/main/.env", true},
		{"/a/b/c/.aws/credentials", true},
		{"/a/b/c/.DS_Store", true},
		{"/acme/web/blob/main/config/.env.example", false},

		// Debug pages, endpoints and framework credentials.
		{"/phpinfo.php", true},
		{"/tools/phpinfo.php", true},
		{"/elmah.axd", true},
		{"/admin/trace.axd", true},
		{"/actuator/env", true},
		{"/actuator/heapdump", true},
		{"/api/actuator/jolokia/exec/x", true},
		{"/api/service/actuator/gateway/routes", true},
		{"/api/service/actuator/env", true},
		{"/a/b/c/actuator/heapdump", true},
		{"/api/v2/svc/Actuator/Jolokia/read/x", true},
		{"/api/service/actuator/health", false},
		{"/api/service/actuator/info", false},
		{"/api/service/actuator/prometheus", false},
		{"/docs/spring/actuator/endpoints.html", false},
		{"/heapdump", true},
		{"/jolokia/exec/com.sun.management:type=DiagnosticCommand", true},
		{"/server-status", true},
		{"/server-info", true},
		{"/_profiler/phpinfo", true},
		{"/debug/pprof/heap", true},
		{"/config/database.yml", true},
		{"/shop/app/etc/local.xml", true},
		{"/app/etc/env.php", true},
		{"/docker-compose.yml", true},
		{"/actuator/health", false},
		{"/actuator/info", false},
		{"/actuator/prometheus", false},
		{"/api/v1/environment", false},
		{"/blog/server-status-page", false},
		{"/docs/server-status", false},
		{"/_profiler/latest", false},
		{"/debug/requests", false},
		{"/acme/web/blob/main/config/database.yml", false},
		{"/acme/web/blob/main/docker-compose.yml", false},
		{"/repos/acme/web/contents/app/etc/env.php", false},
		{"/config/database.yml.example", false},
		{"/docker-compose", false},
		{"/wiki/Phpinfo", false},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			path := tt.path
			if i := strings.IndexByte(path, '?'); i >= 0 {
				path = path[:i]
			}
			r := &request.Request{Method: "GET", URI: tt.path, Path: path, Proto: "HTTP/1.1"}
			checkPrivateFile(r)
			if got := r.HasSignal(PRIVATEFILE); got != tt.want {
				t.Errorf("PRIVATEFILE(%q) = %v, want %v", tt.path, got, tt.want)
			}
		})
	}
}

func TestExposedEndpoint(t *testing.T) {
	for _, tt := range []struct {
		path        string
		name, value string
		want        bool
	}{
		{"/api/index.php/v1/config/application", "public", "true", true},
		{"/site/api/index.php/v1/users", "public", "TRUE", true},
		{"/api/index.php/v1/config/application", "public", "false", false},
		{"/api/index.php/v1/articles", "page", "2", false},
		{"/api/v1/config", "public", "true", false},
	} {
		r := &request.Request{Method: "GET", URI: tt.path, Path: tt.path,
			Params: []request.Param{{Source: request.SourceQuery, Name: tt.name, Value: tt.value}}}
		checkPrivateFile(r)
		if got := r.HasSignal(PRIVATEFILE); got != tt.want {
			t.Errorf("PRIVATEFILE(%s?%s=%s) = %v, want %v", tt.path, tt.name, tt.value, got, tt.want)
		}
	}
}

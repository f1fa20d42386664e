package detect

import (
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
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			r := &request.Request{Method: "GET", URI: tt.path, Path: tt.path, Proto: "HTTP/1.1"}
			checkPrivateFile(r)
			if got := r.HasSignal(PRIVATEFILE); got != tt.want {
				t.Errorf("PRIVATEFILE(%q) = %v, want %v", tt.path, got, tt.want)
			}
		})
	}
}

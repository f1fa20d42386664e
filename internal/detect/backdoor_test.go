package detect

import (
	"testing"

	"github.com/rampartwaf/rampart/internal/request"
)

func TestBackdoor(t *testing.T) {
	type param struct {
		src         request.Source
		name, value string
	}
	path := func(segs ...string) []param {
		var ps []param
		for i, s := range segs {
			ps = append(ps, param{request.SourcePath, "path[" + string(rune('0'+i)) + "]", s})
		}
		return ps
	}
	with := func(ps []param, more ...param) []param { return append(ps, more...) }
	q := func(n, v string) param { return param{request.SourceQuery, n, v} }
	tests := []struct {
		name   string
		params []param
		want   bool
	}{
		{"c99", path("uploads", "c99.php"), true},
		{"r57 upper", path("R57.PHP"), true},
		{"wso", with(path("wp-content", "wso.php"), q("a", "x")), true},
		{"b374k", path("b374k.php"), true},
		{"aspxspy", path("aspxspy.aspx"), true},
		{"jspspy", path("jspspy.jsp"), true},
		{"shell with cmd", with(path("images", "shell.php"), q("cmd", "id")), true},
		{"cmd jsp with cmd", with(path("cmd.jsp"), q("cmd", "dir")), true},
		{"backdoor asp command", with(path("backdoor.asp"), param{request.SourceForm, "command", "ver"}), true},
		{"double extension", path("uploads", "avatar.php.jpg"), true},
		{"nul extension", path("uploads", "a.php\x00.png"), true},
		{"iis semicolon", path("up", "x.asp;.jpg"), true},
		{"wso action", with(path("index.php"), param{request.SourceForm, "a", "FilesMan"}), true},
		// Benign.
		{"index", path("index.php"), false},
		{"upload with cmd", with(path("upload.php"), q("cmd", "save")), false},
		{"shell without cmd", path("shell.php"), false},
		{"shell route", with(path("shell"), q("cmd", "ls")), false},
		{"image", path("img", "cat.jpg"), false},
		{"image version", path("img", "logo.v2.png"), false},
		{"php in dir", path("php", "app.js"), false},
		{"c99 text", path("c99.txt"), false},
		{"a param", with(path("list.php"), q("a", "Files")), false},
		{"cmd not last", path("cmd.php", "help"), false},
		{"no path", []param{q("cmd", "x")}, false},
		{"docs page", path("docs", "shell-scripting.html"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &request.Request{}
			for _, p := range tt.params {
				r.Params = append(r.Params, request.Param{Source: p.src, Name: p.name, Value: p.value})
			}
			checkBackdoor(r)
			if got := r.HasSignal(BACKDOOR); got != tt.want {
				t.Errorf("BACKDOOR = %v, want %v (signals %+v)", got, tt.want, r.Signals)
			}
		})
	}
}

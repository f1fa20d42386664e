package detect

import (
	"fmt"
	"testing"

	"github.com/rampartwaf/rampart/internal/request"
)

func TestPollution(t *testing.T) {
	q := func(kv ...string) []request.Param {
		var ps []request.Param
		for i := 0; i+1 < len(kv); i += 2 {
			ps = append(ps, request.Param{Source: request.SourceQuery, Name: kv[i], Value: kv[i+1]})
		}
		return ps
	}
	many := func(extra ...string) []request.Param {
		var kv []string
		for i := 0; i < 80; i++ {
			kv = append(kv, fmt.Sprintf("k%d", i), "v")
		}
		return q(append(kv, extra...)...)
	}
	tests := []struct {
		name   string
		params []request.Param
		want   string // the signal expected on the joined value, "" for none
	}{
		{"sql split over a repeated name", q("id", "1 UNION/*", "x", "y", "id", "*/SELECT password FROM users--"), SQLI},
		{"sql split in three", q("id", "-1 UNION/*", "id", "*/SELECT/*", "id", "*/pw FROM users"), SQLI},
		{"split past the linear scan", many("id", "1 UNION/*", "id", "*/SELECT password FROM users--"), SQLI},
		{"a list of ids", q("ids", "1", "ids", "2", "ids", "3"), ""},
		{"repeated tags", q("tag", "red", "tag", "blue shoes"), ""},
		{"different names", q("a", "1 UNION/*", "b", "*/SELECT password FROM users--"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.want != "" {
				for _, p := range tt.params {
					alone := &request.Request{Method: "GET", Path: "/", Params: []request.Param{p}}
					Inspect(alone)
					if alone.HasSignal(tt.want) {
						t.Fatalf("%s=%q alone has %s: the case tests nothing", p.Name, p.Value, tt.want)
					}
				}
			}
			r := &request.Request{Params: tt.params}
			checkPollution(r)
			got := ""
			for _, s := range r.Signals {
				if IsAttack(s.Name) {
					got = s.Name
				}
			}
			if got != tt.want {
				t.Errorf("signals %v, want %q", r.Signals, tt.want)
			}
		})
	}
}

package detect

import (
	"github.com/corazawaf/libinjection-go"

	"github.com/rampartwaf/rampart/internal/request"
)

func init() { registerValue(SQLI, matchSQLI) }

func matchSQLI(_ *request.Param, v string) (string, bool) {
	ok, fp := libinjection.IsSQLi(v)
	return fp, ok
}

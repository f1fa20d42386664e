package detect

import (
	"github.com/corazawaf/libinjection-go"

	"github.com/rampartwaf/rampart/internal/request"
)

func init() { registerValue(XSS, matchXSS) }

func matchXSS(_ *request.Param, v string) (string, bool) {
	return v, libinjection.IsXSS(v)
}

package detect

import (
	"github.com/corazawaf/libinjection-go"

	"github.com/rampartwaf/rampart/internal/request"
)

// Inspect runs every detector over r's parameters and appends the signals found.
// r must have been parsed (parse.Fill).
func Inspect(r *request.Request) {
	for i := range r.Params {
		p := &r.Params[i]
		if p.Value == "" {
			continue
		}
		if ok, fp := libinjection.IsSQLi(p.Value); ok {
			r.AddSignal(request.Signal{Name: SQLI, Source: p.Source, Param: p.Name, Fragment: fp})
		}
		if libinjection.IsXSS(p.Value) {
			r.AddSignal(request.Signal{Name: XSS, Source: p.Source, Param: p.Name, Fragment: fragment(p.Value)})
		}
	}
}

func fragment(v string) string {
	const max = 64
	if len(v) > max {
		return v[:max]
	}
	return v
}

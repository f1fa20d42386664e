package detect

import (
	"github.com/rampartwaf/rampart/internal/request"
)

// valueCheck is one detector family run on parameter values. match is called with the
// parameter and one variant of its value (the raw value, then each decoded variant the
// decode package produced) and reports the fragment that matched.
//
// match must be safe for concurrent use, must not retain v, and should reject quickly:
// most values of real traffic are benign and short.
type valueCheck struct {
	signal string
	match  func(p *request.Param, v string) (fragment string, ok bool)
}

// requestCheck is a detector that looks at the request as a whole (method, path, user
// agent, header set) rather than at one value. It appends signals itself.
type requestCheck struct {
	name  string
	check func(r *request.Request)
}

var (
	valueChecks   []valueCheck
	requestChecks []requestCheck
)

// registerValue adds a value detector; called from init in each family's file.
func registerValue(signal string, match func(p *request.Param, v string) (string, bool)) {
	valueChecks = append(valueChecks, valueCheck{signal: signal, match: match})
}

// registerRequest adds a request-wide detector; called from init in a family's file.
func registerRequest(name string, check func(r *request.Request)) {
	requestChecks = append(requestChecks, requestCheck{name: name, check: check})
}

// Inspect runs every detector over r and appends the signals found. r must have been
// parsed (parse.Fill).
func Inspect(r *request.Request) {
	for _, c := range requestChecks {
		c.check(r)
	}
	for i := range r.Params {
		p := &r.Params[i]
		if p.Value == "" {
			continue
		}
		for _, c := range valueChecks {
			if frag, ok := c.match(p, p.Value); ok {
				r.AddSignal(request.Signal{Name: c.signal, Source: p.Source, Param: p.Name, Fragment: fragment(frag)})
			}
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

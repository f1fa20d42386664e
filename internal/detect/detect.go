package detect

// The registry contract, for every family file (sqli.go, xss.go, cmdexe.go, ...):
//
//   - registerValue(signal, match): match(p, v) is called for every parameter with the
//     raw value, then with each distinct decoded variant the decode package produces
//     (fully decoded, folded, base64-decoded), until it matches once for that parameter.
//     v may alias a pooled buffer: do not retain it. The fragment returned may be a
//     substring of v; the dispatch copies it when it must.
//   - registerValueFiltered(signal, need, match): the same, with a prefilter the
//     dispatch applies: match(p, v, classes) is called only for a variant whose byte
//     classes (textscan.go: valueClasses) and length meet need, and gets the classes
//     for its own quick tests. The classes of a variant are computed once and shared by
//     every filtered family, so a family rejects a benign value with one bit test
//     instead of a scan of its own. Moving a family from registerValue to
//     registerValueFiltered changes nothing else; need must hold for every value the
//     family can match.
//   - registerRequest(check): check(r) runs once per request, after every value
//     check, so r.Signals already holds the value signals.
//   - registerDecoded(check): check(r, p, facts) runs once per parameter with the
//     decode.Facts of its value (NUL bytes, invalid UTF-8 found after decoding, URL
//     rounds). NULLBYTE and NOTUTF8 belong there (anomaly.go); the dispatch itself only
//     raises DOUBLEENCODING.
//   - A parameter already judged (Param.Judged: the handshake parameters a WebSocket
//     message Request carries) is skipped by the value and decoded checks, and so are
//     empty values and JSON literals (Param.Literal: numbers, true, false, null), which
//     hold nothing to detect. Request checks that read parameters skip literals too;
//     they see empty values (a name sent without a value may be the attack).
//   - A markup declaration (Param.Decl: an XML body's DOCTYPE without an internal
//     subset) is judged by the XXE families only: it names a root element and a DTD,
//     which only XXE has anything to say about.

import (
	"strings"

	"github.com/rampartwaf/rampart/internal/decode"
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
	// filtered is match for a family registered with registerValueFiltered (match is
	// then nil): called only when need is met.
	filtered func(p *request.Param, v string, classes byteClass) (fragment string, ok bool)
	need     valueNeed
	// same has the bit of every check raising the same signal (this one included): once
	// one of them matched a parameter, the others could only repeat its signal, which
	// AddSignal drops, so they are not run on it.
	same uint64
}

// valueNeed is a family's prefilter: what a variant must hold for the family to be
// called on it. Its zero value is met by every value. Example: "at least 3 bytes, a
// parenthesis, and an operator or a control byte" is
//
//	valueNeed{minLen: 3, any: classesOf("()"), also: classesOf("=|&!") | classCtl}
type valueNeed struct {
	minLen int       // at least this many bytes
	any    byteClass // unless zero, at least one byte of one of these classes
	also   byteClass // unless zero, and at least one byte of one of these classes
}

// met reports whether a variant of the given length and byte classes meets the need.
func (n valueNeed) met(length int, classes byteClass) bool {
	return length >= n.minLen && (n.any == 0 || classes&n.any != 0) && (n.also == 0 || classes&n.also != 0)
}

// requestCheck is a detector that looks at the request as a whole (method, path, user
// agent, header set) rather than at one value. It appends signals itself.
type requestCheck func(r *request.Request)

// decodedCheck sees what decoding revealed about one parameter's value.
type decodedCheck func(r *request.Request, p *request.Param, f decode.Facts)

// maxValueChecks bounds the value families: the dispatch tracks which matched a
// parameter in one 64-bit mask.
const maxValueChecks = 64

var (
	valueChecks   []valueCheck
	requestChecks []requestCheck
	decodedChecks []decodedCheck
)

// registerValue adds a value detector; called from init in each family's file.
func registerValue(signal string, match func(p *request.Param, v string) (string, bool)) {
	addValueCheck(valueCheck{signal: signal, match: match})
}

// registerValueFiltered adds a value detector with a prefilter (see valueNeed); called
// from init in each family's file.
func registerValueFiltered(signal string, need valueNeed, match func(p *request.Param, v string, classes byteClass) (string, bool)) {
	addValueCheck(valueCheck{signal: signal, filtered: match, need: need})
}

func addValueCheck(c valueCheck) {
	if len(valueChecks) == maxValueChecks {
		panic("detect: more than 64 value detectors")
	}
	bit := uint64(1) << len(valueChecks)
	c.same = bit
	for i := range valueChecks {
		if valueChecks[i].signal == c.signal {
			valueChecks[i].same |= bit
			c.same |= valueChecks[i].same
		}
	}
	valueChecks = append(valueChecks, c)
}

// registerRequest adds a request-wide detector; called from init in a family's file.
func registerRequest(check requestCheck) {
	requestChecks = append(requestChecks, check)
}

// registerDecoded adds a check of the decode facts of each parameter value; called from
// init in a family's file.
func registerDecoded(check decodedCheck) {
	decodedChecks = append(decodedChecks, check)
}

// Inspect runs every detector over r and appends the signals found. r must have been
// parsed (parse.Fill).
//
// Each parameter value is checked raw and in each decoded variant; a family that matched
// a parameter is not run again on its other variants. A parameter marked Judged, an
// empty value and a JSON literal are skipped, a markup declaration is judged by XXE
// only; every parameter judged here is marked.
// Request-wide checks run last.
func Inspect(r *request.Request) {
	d := decode.Get()
	defer decode.Put(d)
	all := uint64(1)<<len(valueChecks) - 1
	for i := range r.Params {
		p := &r.Params[i]
		if p.Value == "" || p.Judged || p.Literal {
			continue
		}
		var found uint64
		if p.Decl {
			found = all &^ declChecks()
		}
		facts := judgeValue(r, p, p.Value, d, &found)
		if urlRounds(p, facts) >= 2 {
			r.AddSignal(request.Signal{Name: DOUBLEENCODING, Source: p.Source, Param: p.Name})
		}
		for _, check := range decodedChecks {
			check(r, p, facts)
		}
		p.Judged = true
	}
	for _, check := range requestChecks {
		check(r)
	}
}

// judgeValue runs the value families not yet in found on v and on each of its decoded
// variants, until every family has matched, and returns the decode facts.
func judgeValue(r *request.Request, p *request.Param, v string, d *decode.Decoder, found *uint64) decode.Facts {
	all := uint64(1)<<len(valueChecks) - 1
	runValue(r, p, v, false, found)
	return d.Variants(v, func(variant string, _ decode.Transform) bool {
		runValue(r, p, variant, true, found)
		return *found != all
	})
}

// declChecks returns the bits of the value families that judge markup declarations
// (Param.Decl): XXE's.
func declChecks() uint64 {
	var bits uint64
	for j := range valueChecks {
		if valueChecks[j].signal == XXE {
			bits |= 1 << j
		}
	}
	return bits
}

// runValue runs the value families not yet matched on p over one variant v. decoded says
// v aliases the decoder's buffers, so a fragment must be copied before it is kept.
func runValue(r *request.Request, p *request.Param, v string, decoded bool, found *uint64) {
	var classes byteClass
	haveClasses := false
	for j := range valueChecks {
		c := &valueChecks[j]
		bit := uint64(1) << j
		if *found&bit != 0 {
			continue
		}
		var frag string
		var ok bool
		if c.filtered != nil {
			if len(v) < c.need.minLen {
				continue
			}
			if !haveClasses {
				classes, haveClasses = valueClasses(v), true
			}
			if !c.need.met(len(v), classes) {
				continue
			}
			frag, ok = c.filtered(p, v, classes)
		} else {
			frag, ok = c.match(p, v)
		}
		if !ok {
			continue
		}
		*found |= c.same
		frag = fragment(frag)
		if decoded {
			// The engine redacts fragments against the parameter's value
			// (request.RedactSecrets); a decoded variant is gone by then, so a fragment
			// of one is redacted against it here.
			frag = strings.Clone(request.RedactFragment(v, frag))
		}
		r.AddSignal(request.Signal{Name: c.signal, Source: p.Source, Param: p.Name, Fragment: frag})
	}
}

// urlRounds is how many rounds of percent decoding the value of p needed, as sent: those
// the decoder ran (%XX and %uXXXX alike) and the one the parser ran, when it decoded a
// %XX escape (Param.URLDecoded). Two or more is DOUBLEENCODING. So "caf%u00e9" in a
// query is one round (the parser leaves %u alone, the decoder takes it), "%253C" is two
// (the parser's, then the decoder's), and "%3C" in a JSON value, which no parser
// decoded, is one.
func urlRounds(p *request.Param, f decode.Facts) int {
	n := f.URLRounds
	if p.URLDecoded {
		n++
	}
	return n
}

// fragment cuts a matched fragment to a length fit for events and logs, on a UTF-8
// boundary.
func fragment(v string) string {
	const max = 64
	if len(v) <= max {
		return v
	}
	cut := max
	for cut > 0 && v[cut]&0xC0 == 0x80 {
		cut--
	}
	return v[:cut]
}

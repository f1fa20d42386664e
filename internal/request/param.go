package request

// Source says where in a request a parameter was found.
type Source uint8

// Sources of parameters.
const (
	SourceNone      Source = iota
	SourcePath             // a segment of the URL path; Name is its index ("path[2]")
	SourceQuery            // the query string
	SourceForm             // an application/x-www-form-urlencoded body
	SourceMultipart        // a multipart/form-data field value or file name
	SourceJSON             // a JSON body, flattened ("user.emails[0]")
	SourceXML              // XML element text or attribute ("root.item[1].@id")
	SourceCookie           // a cookie
	SourceHeader           // a request header (Name is the canonical header name)
	SourceBody             // a body inspected as a whole (unknown type, or malformed)
	SourceMessage          // a WebSocket message: JSON flattened like a JSON body, or the whole text
)

var sourceNames = [...]string{"", "path", "query", "form", "multipart", "json", "xml", "cookie", "header", "body", "message"}

// String returns the short name used in events and rules: "query", "json", ...
func (s Source) String() string {
	if int(s) < len(sourceNames) {
		return sourceNames[s]
	}
	return "unknown"
}

// Param is one named value of a request.
type Param struct {
	Source Source
	// Name is the parameter's name or flattened path: "q", "user.emails[0]", "User-Agent".
	Name string
	// Value is the raw value as found (query and form values are URL-decoded once, as any
	// application would see them; further decoding is the decode package's job). It may
	// be empty: a name sent without a value ("?debug", "a=", {"a":""}) is a parameter.
	Value string
	// Key marks a parameter whose Value is a key or field name itself (JSON object keys,
	// form field names), inspected because attackers put payloads there too.
	Key bool
	// Literal marks a JSON number, true, false or null, taken as its text ("150",
	// "-2.5e3", "true", "false"; null as ""). Rules see it like any value; detectors
	// skip it: digits, signs and the literal words carry no payload.
	Literal bool
	// URLDecoded marks a value the parser percent-decoded: a query, form or cookie value
	// that held a %XX escape, a path segment of a path sent with one. One round of URL
	// decoding is behind it, which DOUBLEENCODING counts.
	URLDecoded bool
	// Decl marks a markup declaration that carries no data an application reads: the
	// DOCTYPE of an XML body ("!DOCTYPE") naming only its root element and the public
	// and system identifiers of an external DTD, without an internal subset. Rules see
	// it like any value; of the detectors, only XXE (which judges external DTDs) reads
	// it. A DOCTYPE with an internal subset is an ordinary parameter: the entities and
	// attribute defaults it declares end up in the document's text.
	Decl bool
	// Malformed marks a query or form pair that held an invalid percent escape, kept as
	// written (FlagMalformed says so for the request; this says where).
	Malformed bool
	// Judged is set once the value detectors have run on the parameter. A WebSocket
	// message Request carries its handshake's query, cookie and header parameters as
	// copies: those judged with the handshake are not judged again for every message,
	// while those of a handshake passed uninspected (over a limit, on_exceed pass) are.
	Judged bool
}

// Signal is one finding on a request: an attack or anomaly detected, or a tag added by a
// rule.
type Signal struct {
	Name   string // "SQLI", "XSS", "OVERSIZE", or a custom tag
	Source Source // where it was found (SourceNone for request-wide signals)
	Param  string // parameter name or path, when it came from one
	// Fragment is the part of the value that matched, cut short and redacted: wholly
	// when the parameter looks secret, else the values of secret-looking names inside
	// it (RedactSecrets). For OVERSIZE it names the limit ("limit: params (2048)").
	Fragment string
}

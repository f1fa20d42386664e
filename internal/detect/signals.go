package detect

// Attack signals. Names follow Fastly's Next-Gen WAF where one exists.
const (
	SQLI               = "SQLI"
	XSS                = "XSS"
	CMDEXE             = "CMDEXE"
	TRAVERSAL          = "TRAVERSAL"
	LOG4J              = "LOG4J-JNDI"
	SSRF               = "SSRF"
	XXE                = "XXE"
	BACKDOOR           = "BACKDOOR"
	CODEINJECTION      = "CODEINJECTION"
	NOSQLI             = "NOSQLI"
	LDAPI              = "LDAPI"
	CRLF               = "CRLF"
	PROTOTYPEPOLLUTION = "PROTOTYPE-POLLUTION"
	SCANNER            = "SCANNER"
	// BHH (Fastly's "bad hop headers"): message framing a proxy and a backend may read
	// differently (request smuggling: Content-Length with Transfer-Encoding, an
	// obfuscated Transfer-Encoding), and headers that only intermediaries may set
	// (Proxy, X-Middleware-Subrequest, hop-by-hop lists naming client-IP headers).
	BHH = "BHH"
	// INVALIDHTTP is a request no HTTP client produces: a request line that is not
	// HTTP, a method that is not a name, parameters and multipart parts built so that
	// parsers disagree on them, charsets that hide a payload from inspection.
	INVALIDHTTP = "INVALID-HTTP"
	// SESSIONFIXATION is a session identifier planted through a parameter: a
	// framework's session cookie name sent as a parameter from another site.
	SESSIONFIXATION = "SESSION-FIXATION"
	// PRIVATEFILE (Fastly's name): a request for a file no site serves on purpose, an
	// editor's backup, a database dump, a private key.
	PRIVATEFILE = "PRIVATEFILE"
	// OPENREDIRECT: a redirect target written so that a check of the application and
	// the browser read different hosts (/\evil.example, https://our.site@evil.example,
	// /%09/evil.example), or "//host" in a parameter named like a redirect.
	OPENREDIRECT = "OPEN-REDIRECT"
)

// Anomaly signals: recorded, not blocked by default.
const (
	NULLBYTE       = "NULLBYTE"
	NOTUTF8        = "NOTUTF8"
	DOUBLEENCODING = "DOUBLEENCODING"
	ABNORMALPATH   = "ABNORMALPATH"
	MALFORMEDDATA  = "MALFORMED-DATA"
	JSONERROR      = "JSON-ERROR"
	XMLERROR       = "XML-ERROR"
	NOCONTENTTYPE  = "NO-CONTENT-TYPE"
	NOUA           = "NOUA"
	OVERSIZE       = "OVERSIZE"
	// HTTPANOMALY is legal but unusual HTTP that browsers do not send and APIs
	// sometimes do: an unknown method, a body on GET, a numeric or missing Host, many
	// byte ranges, a Content-Type that does not parse. The fragment says which.
	HTTPANOMALY = "HTTP-ANOMALY"
)

var attackSignals = map[string]bool{
	SQLI: true, XSS: true, CMDEXE: true, TRAVERSAL: true, LOG4J: true, SSRF: true,
	XXE: true, BACKDOOR: true, CODEINJECTION: true, NOSQLI: true, LDAPI: true, CRLF: true,
	PROTOTYPEPOLLUTION: true, SCANNER: true, BHH: true, INVALIDHTTP: true, SESSIONFIXATION: true,
	PRIVATEFILE: true, OPENREDIRECT: true,
}

var anomalySignals = map[string]bool{
	NULLBYTE: true, NOTUTF8: true, DOUBLEENCODING: true, ABNORMALPATH: true,
	MALFORMEDDATA: true, JSONERROR: true, XMLERROR: true, NOCONTENTTYPE: true, NOUA: true,
	OVERSIZE: true, HTTPANOMALY: true,
}

// IsAttack reports whether name is an attack signal (one that blocks in block mode).
func IsAttack(name string) bool { return attackSignals[name] }

// IsKnown reports whether name is a built-in signal, attack or anomaly.
func IsKnown(name string) bool { return attackSignals[name] || anomalySignals[name] }

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
)

var attackSignals = map[string]bool{
	SQLI: true, XSS: true, CMDEXE: true, TRAVERSAL: true, LOG4J: true, SSRF: true,
	XXE: true, BACKDOOR: true, CODEINJECTION: true, NOSQLI: true, LDAPI: true, CRLF: true,
	PROTOTYPEPOLLUTION: true, SCANNER: true,
}

var anomalySignals = map[string]bool{
	NULLBYTE: true, NOTUTF8: true, DOUBLEENCODING: true, ABNORMALPATH: true,
	MALFORMEDDATA: true, JSONERROR: true, XMLERROR: true, NOCONTENTTYPE: true, NOUA: true,
	OVERSIZE: true,
}

// IsAttack reports whether name is an attack signal (one that blocks in block mode).
func IsAttack(name string) bool { return attackSignals[name] }

// IsKnown reports whether name is a built-in signal, attack or anomaly.
func IsKnown(name string) bool { return attackSignals[name] || anomalySignals[name] }

package detect

import (
	"strings"

	"github.com/rampartwaf/rampart/internal/request"
)

// SCANNER: vulnerability scanners, fuzzers and exploitation tools that say who they are.
//
// A request matches when its User-Agent names one of scannerAgents as a word (sqlmap,
// Nikto, Nmap Scripting Engine, masscan, WPScan, Nuclei, Acunetix, DirBuster, gobuster,
// ffuf, zgrab, Havij, Arachni, Nessus...), or when it carries a header only such tools
// send (Acunetix-Product, X-Scanner, X-WIPP...).
//
// Not detected: general-purpose clients (curl, Wget, python-requests, Go-http-client,
// okhttp, Java), crawlers and monitoring agents, and words that merely contain a tool's
// name ("urlgrabber" is not zgrab). Tools that pose as a browser are left to the
// detectors of their payloads.

func init() { registerRequest(checkScanner) }

// scannerAgents are lower-case names found in the User-Agent of attack tools.
var scannerAgents = []string{
	"sqlmap", "nikto", "nmap scripting engine", "nmap", "masscan", "wpscan", "nuclei",
	"acunetix", "dirbuster", "gobuster", "feroxbuster", "fuzz faster u fool", "ffuf",
	"wfuzz", "zgrab", "havij", "arachni", "nessus", "openvas", "w3af", "skipfish",
	"netsparker", "appscan", "webinspect", "whatweb", "commix", "jaeles", "dalfox",
	"xsstrike", "sqlninja", "bsqlbf", "pangolin", "zmeu", "morfeus", "jorgee", "wapiti",
	"fimap", "grendel-scan", "nsauditor", "webshag", "struts-pwn", "brutus", "sqlsus",
	"teh forest lobster", "muieblackcat", "nasl", "crimscanner", "webvulnscan",
}

// scannerHeaders are header names (lower case; a trailing '-' means a prefix) that
// scanners add to their requests.
var scannerHeaders = []string{"acunetix-", "x-scanner", "x-wipp", "x-scan-memo", "x-requestmanager-memo", "x-request-memo"}

func checkScanner(r *request.Request) {
	if r.Message != nil {
		return
	}
	ua := r.UserAgent
	if ua == "" {
		ua = r.Header("User-Agent")
	}
	if tool, ok := scannerAgent(ua); ok {
		r.AddSignal(request.Signal{Name: SCANNER, Source: request.SourceHeader, Param: "User-Agent", Fragment: tool})
		return
	}
	for i := range r.Headers {
		name := r.Headers[i].Name
		if len(name) < 8 || lowerASCII(name[0]) != 'x' && lowerASCII(name[0]) != 'a' {
			continue
		}
		for _, h := range scannerHeaders {
			if strings.HasSuffix(h, "-") && hasPrefixFold(name, h) || len(name) == len(h) && hasPrefixFold(name, h) {
				r.AddSignal(request.Signal{Name: SCANNER, Source: request.SourceHeader, Param: name, Fragment: fragment(name)})
				return
			}
		}
	}
}

// scannerByLetter groups scannerAgents by their first letter, so a User-Agent is read
// once: each word start is compared with the few names that begin with its letter.
var (
	scannerByLetter [26][]string
	scannerFirst    [256]bool // the first letters of scannerAgents, in both cases
)

func init() {
	for _, t := range scannerAgents {
		c := t[0] - 'a'
		scannerByLetter[c] = append(scannerByLetter[c], t)
		scannerFirst[t[0]], scannerFirst[t[0]-'a'+'A'] = true, true
	}
}

// scannerAgent returns the tool a User-Agent names, as written in it.
func scannerAgent(ua string) (string, bool) {
	if len(ua) < 4 {
		return "", false
	}
	for i := 0; i < len(ua); i++ {
		if !scannerFirst[ua[i]] || i > 0 && isAlpha(ua[i-1]) {
			continue
		}
		c := lowerASCII(ua[i])
		for _, tool := range scannerByLetter[c-'a'] {
			end := i + len(tool)
			if hasPrefixFold(ua[i:], tool) && (end == len(ua) || !isAlpha(ua[end])) {
				return ua[i:end], true
			}
		}
	}
	return "", false
}

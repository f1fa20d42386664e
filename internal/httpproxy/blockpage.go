package httpproxy

import (
	"net/http"
	"strconv"
	"strings"
)

// writeBlock answers a blocked request: the configured status and a small page that
// shows the request ID and nothing about why, as JSON when the client prefers JSON and
// as HTML otherwise.
func writeBlock(w http.ResponseWriter, r *http.Request, status int, id string) {
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("X-Rampart-Request-Id", id)
	h.Set("X-Content-Type-Options", "nosniff")
	var body string
	if prefersJSON(r.Header.Get("Accept")) {
		h.Set("Content-Type", "application/json")
		body = `{"error":"request blocked","status":` + strconv.Itoa(status) + `,"request_id":"` + id + `"}` + "\n"
	} else {
		h.Set("Content-Type", "text/html; charset=utf-8")
		body = blockHTMLHead + id + blockHTMLTail
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write([]byte(body))
	}
}

// The request ID is 32 hex digits made here, so it needs no escaping.
const (
	blockHTMLHead = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Request blocked</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#222}
code{background:#f3f3f3;padding:.1rem .3rem}</style></head>
<body><h1>Request blocked</h1>
<p>This request was blocked by the site's web application firewall.</p>
<p>If you think this is a mistake, contact the site's owner and quote this ID:<br><code>`
	blockHTMLTail = `</code></p></body></html>
`
)

// prefersJSON reports whether an Accept header asks for JSON before HTML. A client that
// sends no Accept, or accepts anything, gets HTML (a browser always names text/html).
func prefersJSON(accept string) bool {
	if accept == "" {
		return false
	}
	jsonQ, htmlQ := -1.0, -1.0
	for _, part := range strings.Split(accept, ",") {
		mt, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		for _, p := range strings.Split(params, ";") {
			k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
			if ok && strings.EqualFold(k, "q") {
				if f, err := strconv.ParseFloat(v, 64); err == nil {
					q = f
				}
			}
		}
		mt = strings.ToLower(strings.TrimSpace(mt))
		switch {
		case mt == "application/json" || strings.HasSuffix(mt, "+json"):
			jsonQ = max(jsonQ, q)
		case mt == "text/html" || mt == "application/xhtml+xml":
			htmlQ = max(htmlQ, q)
		}
	}
	return jsonQ > 0 && jsonQ >= htmlQ
}

// writeRedirect answers a block whose rule redirects: status is a 3xx.
func writeRedirect(w http.ResponseWriter, to string, status int, id string) {
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("X-Rampart-Request-Id", id)
	h.Set("Location", to)
	h.Set("Content-Length", "0")
	w.WriteHeader(status)
}

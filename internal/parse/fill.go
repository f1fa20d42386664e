package parse

import (
	"net/url"
	"strings"

	"github.com/rampartwaf/rampart/internal/request"
)

// Fill parses r's URI, headers, cookies and body (or WebSocket message) into r.Params
// and r.Flags. It is idempotent: a Request already parsed is left alone.
func Fill(r *request.Request, lim Limits) {
	if r.Parsed {
		return
	}
	r.Parsed = true
	addQuery(r, request.SourceQuery, r.RawQuery, lim)
	for _, h := range r.Headers {
		if strings.EqualFold(h.Name, "User-Agent") || strings.EqualFold(h.Name, "Referer") {
			add(r, lim, request.Param{Source: request.SourceHeader, Name: h.Name, Value: h.Value})
		}
	}
	if len(r.Message) > 0 {
		add(r, lim, request.Param{Source: request.SourceMessage, Name: "", Value: string(r.Message)})
	}
	if len(r.Body) > 0 && strings.HasPrefix(r.ContentType, "application/x-www-form-urlencoded") {
		addQuery(r, request.SourceForm, string(r.Body), lim)
	}
}

func addQuery(r *request.Request, src request.Source, raw string, lim Limits) {
	for raw != "" {
		var kv string
		kv, raw, _ = strings.Cut(raw, "&")
		if kv == "" {
			continue
		}
		k, v, _ := strings.Cut(kv, "=")
		if dk, err := url.QueryUnescape(k); err == nil {
			k = dk
		}
		if dv, err := url.QueryUnescape(v); err == nil {
			v = dv
		}
		if !add(r, lim, request.Param{Source: src, Name: k, Value: v}) {
			return
		}
	}
}

// add appends p unless the parameter limit is reached, in which case it sets
// FlagTooManyParams and reports false.
func add(r *request.Request, lim Limits, p request.Param) bool {
	if lim.Params > 0 && len(r.Params) >= lim.Params {
		r.Flags |= request.FlagTooManyParams
		return false
	}
	r.Params = append(r.Params, p)
	return true
}

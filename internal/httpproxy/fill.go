package httpproxy

import (
	"net/http"
	"net/netip"
	"strings"
	"sync"

	"github.com/rampartwaf/rampart/internal/request"
)

var requestPool = sync.Pool{New: func() any { return new(request.Request) }}

func getRequest() *request.Request { return requestPool.Get().(*request.Request) }

func putRequest(r *request.Request) {
	r.Reset()
	requestPool.Put(r)
}

// fillRequest copies what the engine needs from an HTTP request into req. A request
// whose request line and headers take more than snap.HeaderLimit bytes is flagged
// FlagHeadersTooLarge: a limit decision for the engine (limits.on_exceed), not a bare 431.
func fillRequest(req *request.Request, r *http.Request, peer netip.Addr, snap *snapshot) {
	req.ID = newRequestID()
	req.Protocol = request.ProtocolHTTP
	req.Method = r.Method
	req.Scheme = "http"
	if r.TLS != nil {
		req.Scheme = "https"
	}
	req.Host = r.Host
	req.URI = r.RequestURI
	if req.URI == "" {
		req.URI = r.URL.RequestURI()
	}
	req.Path = r.URL.Path
	req.RawQuery = r.URL.RawQuery
	req.Proto = r.Proto
	chain := []string(nil)
	if snap.ClientIPHeader != "" {
		chain = r.Header.Values(snap.ClientIPHeader)
	}
	req.IP = clientIP(peer, chain, snap.TrustedProxies)
	req.UserAgent = r.Header.Get("User-Agent")
	req.ContentType = r.Header.Get("Content-Type")
	if r.Host != "" {
		req.Headers = append(req.Headers, request.Header{Name: "Host", Value: r.Host})
	}
	for name, values := range r.Header {
		for _, v := range values {
			req.Headers = append(req.Headers, request.Header{Name: name, Value: v})
		}
	}
	// net/http moves Transfer-Encoding out of the header map (and drops Content-Length
	// when it is chunked); put it back so the protocol checks see a chunked GET.
	if len(r.TransferEncoding) > 0 {
		req.Headers = append(req.Headers, request.Header{Name: "Transfer-Encoding", Value: strings.Join(r.TransferEncoding, ", ")})
	}
	if snap.HeaderLimit > 0 && req.HeaderSize() > snap.HeaderLimit {
		req.Flags |= request.FlagHeadersTooLarge
	}
}

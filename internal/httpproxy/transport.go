package httpproxy

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/rampartwaf/rampart/internal/metrics"
)

// newTransport builds the keep-alive pool to the upstreams: HTTP/1.1 only (upstreams are
// usually plain HTTP apps on a private network), with the connect and response timeouts.
func newTransport(connect, response time.Duration) *http.Transport {
	d := &net.Dialer{Timeout: connect, KeepAlive: 30 * time.Second}
	return &http.Transport{
		Proxy:                 nil, // never send upstream traffic through an environment proxy
		DialContext:           d.DialContext,
		ForceAttemptHTTP2:     false,
		MaxIdleConns:          1024,
		MaxIdleConnsPerHost:   256,
		IdleConnTimeout:       90 * time.Second,
		ResponseHeaderTimeout: response,
		ExpectContinueTimeout: time.Second,
		DisableCompression:    true, // pass Accept-Encoding and bodies through untouched
	}
}

// balancedTransport sends each request to an upstream chosen by the balancer. A request
// that failed before any byte reached the upstream (the dial failed) is tried on another
// upstream when its body can be sent again.
type balancedTransport struct {
	bal     *balancer
	rt      *http.Transport
	metrics *metrics.Metrics
}

func (t *balancedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	var tried []*upstream
	path, rawPath := req.URL.Path, req.URL.RawPath
	for {
		u := t.bal.pick(time.Now(), tried)
		out := req
		if len(tried) > 0 {
			out = req.Clone(req.Context())
			if req.Body != nil && req.Body != http.NoBody {
				body, err := req.GetBody()
				if err != nil {
					return nil, err
				}
				out.Body = body
			}
		}
		setTarget(out.URL, path, rawPath, u.url)
		resp, err := t.rt.RoundTrip(out)
		if err == nil {
			if u.succeed() {
				t.metrics.UpstreamUp(u.key, true)
			}
			return resp, nil
		}
		if errors.Is(err, context.Canceled) {
			return nil, err // the client went away; not the upstream's fault
		}
		t.metrics.UpstreamError(u.key)
		if u.fail(time.Now()) {
			t.metrics.UpstreamUp(u.key, false)
		}
		tried = append(tried, u)
		canRetry := isDialError(err) && len(tried) < len(t.bal.ups) &&
			(req.Body == nil || req.Body == http.NoBody || req.GetBody != nil)
		if !canRetry {
			return nil, err
		}
	}
}

// setTarget points out at upstream u, joining u's path prefix (if any) with the path
// the client asked for (path, rawPath: kept by the caller so a retry does not join
// twice).
func setTarget(out *url.URL, path, rawPath string, u *url.URL) {
	out.Scheme, out.Host = u.Scheme, u.Host
	prefix := strings.TrimSuffix(u.Path, "/")
	if prefix == "" {
		out.Path, out.RawPath = path, rawPath
		return
	}
	out.Path = prefix + path
	out.RawPath = ""
	if rawPath != "" {
		out.RawPath = strings.TrimSuffix(u.EscapedPath(), "/") + rawPath
	}
}

// isDialError reports whether err happened while connecting, before the request was
// written.
func isDialError(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

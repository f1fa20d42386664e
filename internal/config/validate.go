package config

import (
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"time"

	"github.com/rampartwaf/rampart/internal/geoip"
)

// Bounds of the limits. The upper ones catch typos (a stray digit) in values that size
// buffers held in memory.
const (
	maxBufferBytes = 1 << 30 // body_bytes, ws_message_bytes
	maxHeaderBytes = 16 << 20
	maxParams      = 1_000_000
	maxDepth       = 10_000
	maxPEMBytes    = 1 << 20 // a TLS cert or key file
)

// Validate checks a Config built or changed in code, the same way Load checks a file.
// It returns nil or an ErrorList; its mistakes have no line and name the key.
func (c *Config) Validate() error {
	d := newDecoder(c.File, "")
	c.check(d, false)
	return d.errs.err()
}

// check runs the checks on the values of a finished Config, reporting each mistake at
// the place the value came from. fileHadUpstream says the file had an upstream key,
// already reported if it was bad, so a missing upstream is not reported twice.
func (c *Config) check(d *decoder, fileHadUpstream bool) {
	if err := checkAddress(c.Listen); err != nil {
		d.errorFor("listen", ErrValue, "%v", err)
	}
	if c.TLS != nil {
		c.TLS.check(d)
	}
	if len(c.Upstreams) == 0 && !fileHadUpstream {
		d.errorAtStart(ErrNoUpstream, "no upstream: set upstream: or --upstream")
	}
	for i, u := range c.Upstreams {
		if err := checkUpstream(u); err != nil {
			d.errorFor(item("upstreams", i), ErrValue, "%v", err)
		}
	}
	checkEnum(d, "mode", string(c.Mode), "mode", string(ModeBlock), string(ModeLog), string(ModeOff))
	checkEnum(d, "fail", string(c.Fail), "value", string(FailClosed), string(FailOpen))
	if c.Admin.Listen != "" {
		if err := checkAddress(c.Admin.Listen); err != nil {
			d.errorFor("admin.listen", ErrValue, "%v (or off to turn the admin listener off)", err)
		} else if c.Admin.Listen == c.Listen {
			if _, set := d.origins["admin.listen"]; set {
				d.errorFor("admin.listen", ErrValue, "%q is also the proxy's listen address", c.Admin.Listen)
			} else {
				// The admin listener kept its default: the proxy's address is the mistake.
				d.errorFor("listen", ErrValue, "%q is also the admin listener's address (admin.listen, default %s); pick another, or move the admin listener", c.Listen, defaultAdminListen)
			}
		}
	}
	if s := c.Block.Status; s < 400 || s > 599 {
		d.errorFor("block.status", ErrValue, "%d is not an error status (want 400-599; the default is 406)", s)
	}
	checkRange(d, "limits.body_bytes", c.Limits.BodyBytes, maxBufferBytes, true)
	checkRange(d, "limits.header_bytes", int64(c.Limits.HeaderBytes), maxHeaderBytes, true)
	checkRange(d, "limits.ws_message_bytes", c.Limits.WSMessageBytes, maxBufferBytes, true)
	if fb := int64(c.Limits.FileBytes); fb < 0 || fb > maxBufferBytes {
		d.errorFor("limits.file_bytes", ErrValue, "%d is out of range (0 inspects no file contents; at most %s)", fb, formatSize(maxBufferBytes))
	}
	checkRange(d, "limits.params", int64(c.Limits.Params), maxParams, false)
	checkRange(d, "limits.depth", int64(c.Limits.Depth), maxDepth, false)
	checkEnum(d, "limits.on_exceed", string(c.Limits.OnExceed), "value", string(ExceedBlock), string(ExceedPass))
	for _, t := range []struct {
		key string
		v   time.Duration
	}{
		{"timeouts.read_header", c.Timeouts.ReadHeader},
		{"timeouts.idle", c.Timeouts.Idle},
		{"timeouts.upstream_connect", c.Timeouts.UpstreamConnect},
		{"timeouts.upstream_response", c.Timeouts.UpstreamResponse},
	} {
		if t.v <= 0 {
			d.errorFor(t.key, ErrValue, "must be more than 0 (got %v)", t.v)
		}
	}
	if h := c.ClientIP.Header; h != "" && !validHeaderName(h) {
		d.errorFor("client_ip.header", ErrValue, "%q is not a header name (or \"\" to use the peer address only)", h)
	}
	checkEnum(d, "state.store", string(c.State.Store), "store", string(StoreMemory), string(StoreRedis))
	if c.State.Store == StoreRedis {
		if err := checkRedisURL(c.State.RedisURL); err != nil {
			d.errorFor("state.redis.url", ErrValue, "%v", err)
		}
	}
	if c.State.RedisTimeout <= 0 {
		d.errorFor("state.redis.timeout", ErrValue, "must be more than 0 (got %v)", c.State.RedisTimeout)
	}
	if db := c.GeoIP.Database; db != "" {
		if st, err := os.Stat(db); err != nil {
			d.errorFor("geoip.database", err, "cannot read %q: %v", db, reason(err))
		} else if st.IsDir() {
			d.errorFor("geoip.database", ErrValue, "%q is a directory, not a MaxMind DB file", db)
		} else if err := geoip.Check(db); err != nil {
			// Opened now, so that check finds what run would: not a MaxMind DB,
			// or one without country records (an ASN database).
			d.errorFor("geoip.database", err, "%v", err)
		}
	}
	for i, p := range c.ClientIP.TrustedProxies {
		if err := checkPrefix(p); err != nil {
			d.errorFor(item("client_ip.trusted_proxies", i), ErrValue, "%v", err)
		}
	}
}

// checkEnum checks that v is one of allowed, suggesting the nearest.
func checkEnum(d *decoder, key, v, what string, allowed ...string) {
	for _, a := range allowed {
		if v == a {
			return
		}
	}
	want := strings.Join(allowed[:len(allowed)-1], ", ") + " or " + allowed[len(allowed)-1]
	hint := ""
	if s := nearest(v, allowed); s != "" {
		hint = fmt.Sprintf("; did you mean %q?", s)
	}
	d.errorFor(key, ErrValue, "unknown %s %q (want %s%s)", what, clip(v), want, hint)
}

// checkRange checks a limit: more than 0 and at most max.
func checkRange(d *decoder, key string, v, max int64, bytes bool) {
	show := func(n int64) string {
		if bytes {
			return formatSize(n)
		}
		return fmt.Sprint(n)
	}
	switch {
	case v <= 0:
		d.errorFor(key, ErrValue, "must be more than 0 (got %d)", v)
	case v > max:
		d.errorFor(key, ErrValue, "%s is too large (at most %s)", show(v), show(max))
	}
}

// check checks that the certificate and key are both set, readable, and a pair.
func (t *TLS) check(d *decoder) {
	switch {
	case t.Cert == "" && t.Key == "":
		d.errorFor("tls", ErrValue, "set cert and key (or remove tls:)")
		return
	case t.Key == "":
		d.errorFor("tls", ErrValue, "cert is set but key is not")
		return
	case t.Cert == "":
		d.errorFor("tls", ErrValue, "key is set but cert is not")
		return
	}
	cert, certErr := readPEM(t.Cert)
	if certErr != nil {
		d.errorFor("tls.cert", certErr, "cannot read %q: %v", t.Cert, reason(certErr))
	}
	key, keyErr := readPEM(t.Key)
	if keyErr != nil {
		d.errorFor("tls.key", keyErr, "cannot read %q: %v", t.Key, reason(keyErr))
	}
	if certErr != nil || keyErr != nil {
		return
	}
	if _, err := tls.X509KeyPair(cert, key); err != nil {
		d.errorFor("tls", ErrValue, "cert %q and key %q are not a usable pair: %v", t.Cert, t.Key, err)
	}
}

// errTooLarge says a file named in the config is larger than it can be.
var errTooLarge = errors.New("file too large")

// readPEM reads a certificate or key file of at most maxPEMBytes.
func readPEM(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxPEMBytes+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxPEMBytes {
		return nil, fmt.Errorf("%w (more than %s)", errTooLarge, formatSize(maxPEMBytes))
	}
	return b, nil
}

// reason strips the file name from a file system error: the message names it already.
func reason(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

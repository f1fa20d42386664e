package parse

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"unsafe"

	"github.com/rampartwaf/rampart/internal/request"
)

// Content-Encoding of request bodies.
//
// A body sent with Content-Encoding gzip (or x-gzip) or deflate (zlib-wrapped, as RFC
// 9110 defines it, or raw deflate, as some clients send it) is decoded before it is
// parsed, and r.Body then points at the decoded bytes: the parsers, the detectors and
// the rules on `body` see what an application that decodes the body reads. The bytes as
// sent are left as they are (the proxy forwards its own copy of them). Several codings
// ("deflate, gzip", or one header each) are undone last first, at most maxCodings of
// them; "identity" is nothing to undo.
//
// Decoding is bounded: at most Limits.BodyBytes+1 bytes are decoded (through flate's
// 32 KiB window, with pooled readers), whatever the compressed body claims. Then:
//
//   - more than Limits.BodyBytes decoded: FlagBodyTruncated, a limit decision like a
//     body sent over limits.body_bytes (OVERSIZE; blocked, or passed uninspected with
//     limits.on_exceed: pass); Body holds the first BodyBytes decoded bytes;
//   - a body that does not decode (a bad header, a corrupt or cut stream, a wrong
//     checksum, garbage after the end): FlagMalformed, and it is inspected as sent; or,
//     when it is binary and some bytes decoded before the error, as those bytes, which
//     an application reading the stream gets before it fails;
//   - a body that is text (see textual) though its Content-Encoding says it is
//     compressed: FlagMalformed, inspected as sent (an application that does not decode
//     request bodies reads it so), and what it decodes to, when that is text too, as one
//     more SourceBody value named "";
//   - a coding not decoded here (br, zstd, compress...): FlagUnknownEncoding, inspected
//     as sent. More than maxCodings codings: FlagMalformed, inspected as sent;
//   - a body the proxy already cut at limits.body_bytes (FlagBodyTruncated): not
//     decoded. The stream is cut short, and the request is over a limit anyway.
//
// WebSocket messages are not concerned: the proxy inflates compressed messages itself.

// maxCodings is the most codings undone on one body.
const maxCodings = 4

type coding uint8

const (
	codingGzip coding = iota + 1
	codingDeflate
)

// errTooManyCodings is a Content-Encoding list longer than maxCodings.
var errTooManyCodings = errors.New("too many content codings")

// contentCodings returns the codings of r's Content-Encoding headers, in the order they
// were applied, without "identity". unknown is set when one of them is not decoded
// here; err when there are more than maxCodings.
func contentCodings(hs []request.Header) (cs [maxCodings]coding, n int, unknown bool, err error) {
	for i := range hs {
		if !strings.EqualFold(hs[i].Name, "Content-Encoding") {
			continue
		}
		for tok := range strings.SplitSeq(hs[i].Value, ",") {
			tok = strings.TrimSpace(tok)
			var c coding
			switch {
			case tok == "" || strings.EqualFold(tok, "identity"):
				continue
			case strings.EqualFold(tok, "gzip") || strings.EqualFold(tok, "x-gzip"):
				c = codingGzip
			case strings.EqualFold(tok, "deflate"):
				c = codingDeflate
			default:
				unknown = true
				continue
			}
			if n == maxCodings {
				return cs, n, unknown, errTooManyCodings
			}
			cs[n] = c
			n++
		}
	}
	return cs, n, unknown, nil
}

// decodeBody undoes r.Body's Content-Encoding, as the comment above says. It returns
// the decoded bytes of a body that is text though its Content-Encoding says it is
// compressed, for body to take as one more value; nil otherwise.
func (p *parser) decodeBody() (extra []byte) {
	r := p.r
	cs, n, unknown, err := contentCodings(r.Headers)
	switch {
	case n == 0 && !unknown && err == nil:
		return nil
	case r.Flags.Has(request.FlagBodyTruncated):
		return nil
	case unknown:
		r.Flags |= request.FlagUnknownEncoding
		return nil
	case err != nil:
		r.Flags |= request.FlagMalformed
		return nil
	}
	limit := p.lim.bodyBytes()
	out, over, err := decodeAll(r.Body, cs[:n], limit)
	if textual(unsafe.String(unsafe.SliceData(r.Body), len(r.Body))) {
		r.Flags |= request.FlagMalformed
		out = out[:min(len(out), limit)]
		if len(out) > 0 && textual(unsafe.String(unsafe.SliceData(out), len(out))) {
			return out
		}
		return nil
	}
	switch {
	case over:
		r.Flags |= request.FlagBodyTruncated
		r.Body = out[:limit]
	case err != nil:
		r.Flags |= request.FlagMalformed
		if len(out) > 0 {
			r.Body = out[:min(len(out), limit)] // a step may fail after limit+1 bytes
		}
	default:
		r.Body = out
	}
	return nil
}

// decodeAll undoes the codings cs (in the order applied) on src. over reports that a
// step decoded more than limit bytes (out then holds limit+1 of them). On an error,
// out holds what the failing step decoded before it.
func decodeAll(src []byte, cs []coding, limit int) (out []byte, over bool, err error) {
	out = src
	for i := len(cs) - 1; i >= 0; i-- {
		out, over, err = decodeOne(out, cs[i], limit)
		if over || err != nil {
			return out, over, err
		}
	}
	return out, false, nil
}

// decoder holds the readers of one decoding, pooled: a flate reader keeps a 32 KiB
// window and its tables, which a request should not allocate anew.
type decoder struct {
	src  bytes.Reader
	gzip *gzip.Reader
	fl   io.ReadCloser // flate.NewReader's, a flate.Resetter
	zl   io.ReadCloser // zlib.NewReader's, a zlib.Resetter
}

var decoderPool = sync.Pool{New: func() any { return new(decoder) }}

// open returns a reader of the decoded bytes of d.src; raw reads deflate as raw deflate
// even when it starts like a zlib header.
func (d *decoder) open(c coding, src []byte, raw bool) (io.Reader, error) {
	d.src.Reset(src)
	var err error
	switch {
	case c == codingGzip:
		if d.gzip == nil {
			var zr *gzip.Reader
			if zr, err = gzip.NewReader(&d.src); err == nil {
				d.gzip = zr
			}
		} else {
			err = d.gzip.Reset(&d.src)
		}
		return d.gzip, err
	case !raw && zlibHeader(src):
		if d.zl == nil {
			var zr io.ReadCloser
			if zr, err = zlib.NewReader(&d.src); err == nil {
				d.zl = zr
			}
		} else {
			err = d.zl.(zlib.Resetter).Reset(&d.src, nil)
		}
		return d.zl, err
	default:
		if d.fl == nil {
			d.fl = flate.NewReader(&d.src)
		} else {
			err = d.fl.(flate.Resetter).Reset(&d.src, nil)
		}
		return d.fl, err
	}
}

// zlibHeader reports whether b starts with a zlib header (RFC 1950): deflate with a
// window of at most 32 KiB, and a check value that makes the pair a multiple of 31.
// Raw deflate rarely starts so: it would be a stored block that is not the last.
func zlibHeader(b []byte) bool {
	return len(b) >= 2 && b[0]&0x0f == 8 && b[0]>>4 <= 7 && (uint(b[0])<<8|uint(b[1]))%31 == 0
}

// decodeOne decodes src (coding c) into a new buffer of at most limit+1 bytes. Deflate
// that starts like a zlib header but does not decode as zlib is read again as raw
// deflate (a stored block that is not the last can start so): whichever reading
// decodes, or decodes more, is kept.
func decodeOne(src []byte, c coding, limit int) (out []byte, over bool, err error) {
	out, over, err = decodeWith(src, c, limit, false)
	if err != nil && c == codingDeflate && zlibHeader(src) {
		if rout, rover, rerr := decodeWith(src, c, limit, true); rerr == nil || len(rout) > len(out) {
			return rout, rover, rerr
		}
	}
	return out, over, err
}

func decodeWith(src []byte, c coding, limit int, raw bool) (out []byte, over bool, err error) {
	d := decoderPool.Get().(*decoder)
	defer func() {
		d.src.Reset(nil) // the pooled readers must not keep the body alive
		decoderPool.Put(d)
	}()
	rd, err := d.open(c, src, raw)
	if err != nil {
		return nil, false, fmt.Errorf("content coding: %w", err)
	}
	most := limit + 1
	out = make([]byte, 0, min(most, max(512, 4*len(src))))
	for len(out) < most {
		if len(out) == cap(out) {
			out = slices.Grow(out, min(cap(out), most-len(out)))
		}
		n, err := rd.Read(out[len(out):min(cap(out), most)])
		out = out[:len(out)+n]
		if err == io.EOF {
			return out, len(out) > limit, nil // limit+1 bytes and the end in one read
		}
		if err != nil {
			return out, false, fmt.Errorf("content coding: %w", err)
		}
	}
	return out, true, nil
}

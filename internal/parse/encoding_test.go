package parse

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"reflect"
	"strings"
	"testing"

	"github.com/rampartwaf/rampart/internal/request"
)

func gzipped(s string) string {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	_, _ = w.Write([]byte(s))
	_ = w.Close()
	return b.String()
}

func zlibbed(s string) string {
	var b bytes.Buffer
	w := zlib.NewWriter(&b)
	_, _ = w.Write([]byte(s))
	_ = w.Close()
	return b.String()
}

func deflated(s string) string {
	var b bytes.Buffer
	w, _ := flate.NewWriter(&b, flate.BestCompression)
	_, _ = w.Write([]byte(s))
	_ = w.Close()
	return b.String()
}

func TestContentEncoding(t *testing.T) {
	const (
		ctJSON = "application/json"
		ctForm = "application/x-www-form-urlencoded"
		sqli   = `{"q":"1 UNION SELECT password FROM users--"}`
	)
	gz := gzipped(sqli)
	tests := []struct {
		name      string
		headers   []string
		body      string
		flags     request.Flags // set before Fill (the proxy's FlagBodyTruncated)
		lim       Limits
		want      []string
		wantFlags request.Flags
		wantBody  string // r.Body after Fill; "" means unchanged
	}{
		{
			name:     "gzip",
			headers:  []string{"Content-Type", ctJSON, "Content-Encoding", "gzip"},
			body:     gz,
			want:     []string{"json q=1 UNION SELECT password FROM users--"},
			wantBody: sqli,
		},
		{
			name:     "x-gzip, any case, with identity",
			headers:  []string{"Content-Type", ctJSON, "content-encoding", "identity, X-GZIP"},
			body:     gz,
			want:     []string{"json q=1 UNION SELECT password FROM users--"},
			wantBody: sqli,
		},
		{
			name:     "deflate with its zlib wrapper",
			headers:  []string{"Content-Type", ctForm, "Content-Encoding", "deflate"},
			body:     zlibbed("a=1&b=%3Cscript%3E"),
			want:     []string{"form a=1", "form b=<script>"},
			wantBody: "a=1&b=%3Cscript%3E",
		},
		{
			name:     "raw deflate",
			headers:  []string{"Content-Type", ctForm, "Content-Encoding", "deflate"},
			body:     deflated("a=1&b=%3Cscript%3E"),
			want:     []string{"form a=1", "form b=<script>"},
			wantBody: "a=1&b=%3Cscript%3E",
		},
		{
			name:     "two codings in one header, undone last first",
			headers:  []string{"Content-Type", ctJSON, "Content-Encoding", "deflate, gzip"},
			body:     gzipped(zlibbed(sqli)),
			want:     []string{"json q=1 UNION SELECT password FROM users--"},
			wantBody: sqli,
		},
		{
			name:     "two Content-Encoding headers",
			headers:  []string{"Content-Type", ctJSON, "Content-Encoding", "gzip", "Content-Encoding", "deflate"},
			body:     zlibbed(gz),
			want:     []string{"json q=1 UNION SELECT password FROM users--"},
			wantBody: sqli,
		},
		{
			name:     "no Content-Type: the decoded body is sniffed",
			headers:  []string{"Content-Encoding", "gzip"},
			body:     gz,
			want:     []string{"json q=1 UNION SELECT password FROM users--"},
			wantBody: sqli, wantFlags: request.FlagNoContentType,
		},
		{
			name:     "gzip of an empty body",
			headers:  []string{"Content-Type", ctJSON, "Content-Encoding", "gzip"},
			body:     gzipped(""),
			want:     []string{},
			wantBody: "",
		},
		{
			name:      "decoded over the limit is truncated",
			headers:   []string{"Content-Type", ctForm, "Content-Encoding", "gzip"},
			body:      gzipped("a=" + strings.Repeat("x", 100)),
			lim:       Limits{Params: 100, Depth: 16, BodyBytes: 50},
			want:      []string{"form a=" + strings.Repeat("x", 48)},
			wantBody:  "a=" + strings.Repeat("x", 48),
			wantFlags: request.FlagBodyTruncated,
		},
		{
			name:      "exactly the limit is not truncated",
			headers:   []string{"Content-Type", ctForm, "Content-Encoding", "gzip"},
			body:      gzipped("a=" + strings.Repeat("x", 48)),
			lim:       Limits{Params: 100, Depth: 16, BodyBytes: 50},
			want:      []string{"form a=" + strings.Repeat("x", 48)},
			wantBody:  "a=" + strings.Repeat("x", 48),
			wantFlags: 0,
		},
		{
			name:      "a wrong checksum is malformed; the decoded text is parsed",
			headers:   []string{"Content-Type", ctForm, "Content-Encoding", "gzip"},
			body:      badCRC(gzipped("q=1+UNION+SELECT+password+FROM+users--")),
			want:      []string{"form q=1 UNION SELECT password FROM users--"},
			wantBody:  "q=1+UNION+SELECT+password+FROM+users--",
			wantFlags: request.FlagMalformed,
		},
		{
			name:      "binary that is not gzip is malformed and inspected as sent",
			headers:   []string{"Content-Type", ctJSON, "Content-Encoding", "gzip"},
			body:      "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09",
			want:      []string{"body =\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09"},
			wantFlags: request.FlagMalformed | request.FlagJSONError,
		},
		{
			name:      "text said to be gzip is malformed and inspected as sent",
			headers:   []string{"Content-Type", ctJSON, "Content-Encoding", "gzip"},
			body:      sqli,
			want:      []string{"json q=1 UNION SELECT password FROM users--"},
			wantFlags: request.FlagMalformed,
		},
		{
			// Raw deflate has no checksum: text may decode to garbage without an error.
			name:      "text said to be deflate is inspected as sent",
			headers:   []string{"Content-Type", ctJSON, "Content-Encoding", "deflate"},
			body:      sqli,
			want:      []string{"json q=1 UNION SELECT password FROM users--"},
			wantFlags: request.FlagMalformed,
		},
		{
			name:      "unknown coding is inspected as sent",
			headers:   []string{"Content-Type", ctJSON, "Content-Encoding", "br"},
			body:      sqli,
			want:      []string{"json q=1 UNION SELECT password FROM users--"},
			wantFlags: request.FlagUnknownEncoding,
		},
		{
			name:      "unknown coding after a known one: nothing is decoded",
			headers:   []string{"Content-Type", ctJSON, "Content-Encoding", "gzip, zstd"},
			body:      gz,
			want:      []string{"body =" + gz},
			wantFlags: request.FlagUnknownEncoding | request.FlagJSONError | request.FlagNotUTF8,
		},
		{
			name:      "too many codings",
			headers:   []string{"Content-Type", ctJSON, "Content-Encoding", "gzip, gzip, gzip, gzip, gzip"},
			body:      sqli,
			want:      []string{"json q=1 UNION SELECT password FROM users--"},
			wantFlags: request.FlagMalformed,
		},
		{
			name:      "a body the proxy cut is not decoded",
			headers:   []string{"Content-Type", ctJSON, "Content-Encoding", "gzip"},
			body:      gz[:len(gz)/2],
			flags:     request.FlagBodyTruncated,
			want:      []string{"body =" + gz[:len(gz)/2]},
			wantFlags: request.FlagBodyTruncated | request.FlagJSONError | request.FlagNotUTF8,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httpReq("POST", "/", tt.headers, tt.body)
			r.Flags = tt.flags
			lim := testLimits
			if tt.lim != (Limits{}) {
				lim = tt.lim
			}
			Fill(r, lim)
			got := show(r.Params)
			if tt.want != nil && !reflect.DeepEqual(got, tt.want) {
				t.Errorf("params\n got  %q\n want %q", got, tt.want)
			}
			if r.Flags != tt.wantFlags {
				t.Errorf("flags %b, want %b", r.Flags, tt.wantFlags)
			}
			wantBody := tt.body
			if tt.wantBody != "" || tt.name == "gzip of an empty body" {
				wantBody = tt.wantBody
			}
			if string(r.Body) != wantBody {
				t.Errorf("Body after Fill = %q, want %q", r.Body, wantBody)
			}
		})
	}
}

// badCRC spoils the CRC-32 in a gzip member's trailer.
func badCRC(gz string) string {
	b := []byte(gz)
	b[len(b)-8] ^= 0xff
	return string(b)
}

// TestContentEncodingCutStream checks that a stream cut short yields what decoded before
// the cut, as an application reading the stream gets it.
// TestContentEncodingZlibLookingRawDeflate: raw deflate whose first stored block's
// header reads as a zlib header (78 01) is read as raw deflate when zlib fails, so the
// attack compressed after the stored block is inspected.
func TestContentEncodingZlibLookingRawDeflate(t *testing.T) {
	attack := "&id=1' UNION SELECT username,password FROM users-- -"
	stored := "a=" + strings.Repeat("b", 0x0601-2)
	body := append([]byte{0x78, 0x01, 0x06, 0xFE, 0xF9}, stored...)
	body = append(body, deflated(attack)...)
	if !zlibHeader(body) {
		t.Fatal("the body does not start like zlib: the case tests nothing")
	}
	r := &request.Request{Method: "POST", ContentType: "application/x-www-form-urlencoded",
		Headers: []request.Header{{Name: "Content-Encoding", Value: "deflate"}}, Body: body}
	Fill(r, Limits{Params: 16, Depth: 8})
	found := false
	for _, p := range r.Params {
		found = found || strings.Contains(p.Value, "UNION SELECT username,password")
	}
	if !found {
		t.Errorf("no parameter holds the attack: %+v", r.Params)
	}
}

func TestContentEncodingCutStream(t *testing.T) {
	text := "q=1+UNION+SELECT+password+FROM+users--&pad=" + strings.Repeat("p", 100)
	gz := gzipped(text)
	r := httpReq("POST", "/", []string{"Content-Type", "application/x-www-form-urlencoded", "Content-Encoding", "gzip"}, gz[:len(gz)-6])
	Fill(r, testLimits)
	if r.Flags != request.FlagMalformed {
		t.Errorf("flags %b, want FlagMalformed", r.Flags)
	}
	if len(r.Params) == 0 || r.Params[0].Value != "1 UNION SELECT password FROM users--" {
		t.Errorf("params %q, want the decoded q first", show(r.Params))
	}
}

// TestContentEncodingTextDecodingToMore checks that a body that is text but also
// decodes (raw deflate with stored blocks reads as text) is inspected both ways.
func TestContentEncodingTextDecodingToMore(t *testing.T) {
	var b bytes.Buffer
	w, _ := flate.NewWriter(&b, flate.NoCompression)
	_, _ = w.Write([]byte(`{"q":"1 UNION SELECT password FROM users--","pad":"` + strings.Repeat("a", 2000) + `"}`))
	_ = w.Close()
	r := httpReq("POST", "/", []string{"Content-Type", "application/json", "Content-Encoding", "deflate"}, b.String())
	Fill(r, testLimits)
	if !r.Flags.Has(request.FlagMalformed) {
		t.Errorf("flags %b, want FlagMalformed", r.Flags)
	}
	found := false
	for _, p := range r.Params {
		if p.Source == request.SourceBody && strings.HasPrefix(p.Value, `{"q":"1 UNION SELECT password FROM users--"`) {
			found = true
		}
	}
	if !found {
		t.Errorf("decoded body not among the parameters %q", show(r.Params))
	}
}

// TestContentEncodingBomb checks that a body that decodes to far more than the limit
// is cut at the limit, without decoding the rest.
func TestContentEncodingBomb(t *testing.T) {
	var b bytes.Buffer
	w, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	zeros := make([]byte, 1<<20)
	for range 64 { // 64 MiB of zeros in about 64 KiB
		_, _ = w.Write(zeros)
	}
	_ = w.Close()
	r := httpReq("POST", "/", []string{"Content-Type", "application/octet-stream", "Content-Encoding", "gzip"}, b.String())
	raw := bytes.Clone(r.Body)
	Fill(r, Limits{Params: 100, Depth: 16, BodyBytes: 1 << 20})
	if !r.Flags.Has(request.FlagBodyTruncated) {
		t.Errorf("flags %b, want FlagBodyTruncated", r.Flags)
	}
	if len(r.Body) != 1<<20 {
		t.Errorf("Body holds %d bytes, want the limit, %d", len(r.Body), 1<<20)
	}
	if cap(r.Body) > 2<<20+1 {
		t.Errorf("decoding buffer grew to %d bytes for a limit of %d", cap(r.Body), 1<<20)
	}
	if b.Len() != len(raw) || !bytes.Equal(b.Bytes(), raw) {
		t.Error("the body as sent changed")
	}
}

// TestContentEncodingLeavesSentBytes checks that decoding does not write to the body
// as sent, which the proxy forwards.
func TestContentEncodingLeavesSentBytes(t *testing.T) {
	gz := []byte(gzipped(`{"a":"b"}`))
	sent := bytes.Clone(gz)
	r := httpReq("POST", "/", []string{"Content-Type", "application/json", "Content-Encoding", "gzip"}, "")
	r.Body = gz
	Fill(r, testLimits)
	if !bytes.Equal(gz, sent) {
		t.Error("Fill wrote to the body as sent")
	}
	if got := show(r.Params); !reflect.DeepEqual(got, []string{"json a=b"}) {
		t.Errorf("params %q", got)
	}
}

// TestContentEncodingNotForMessages checks that a WebSocket message is parsed as it
// came, whatever the handshake's Content-Encoding said (the proxy inflates compressed
// messages itself).
func TestContentEncodingNotForMessages(t *testing.T) {
	r := &request.Request{Protocol: request.ProtocolWebSocket, Message: []byte(`{"t":"hi"}`),
		Headers: []request.Header{{Name: "Content-Encoding", Value: "gzip"}}}
	Fill(r, testLimits)
	if got := show(r.Params); !reflect.DeepEqual(got, []string{"message t=hi"}) || r.Flags != 0 {
		t.Errorf("params %q flags %b", got, r.Flags)
	}
}

package parse

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"mime/multipart"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/rampartwaf/rampart/internal/request"
)

// Fuzz tests. Seeds live in testdata/fuzz/<FuzzName>/ and in the f.Add calls. Run one
// by hand, e.g. go test ./internal/parse -run '^$' -fuzz '^FuzzJSON$' -fuzztime 20s.

// jsonParams parses body as a JSON body and renders its params as show does, without
// the source.
func jsonParams(body string, lim Limits) ([]string, request.Flags) {
	r := httpReq("POST", "/", []string{"Content-Type", "application/json"}, body)
	Fill(r, lim)
	out := make([]string, 0, len(r.Params))
	for _, p := range r.Params {
		if p.Source != request.SourceJSON {
			continue
		}
		s := p.Name + "=" + p.Value
		if p.Key {
			s += " (key)"
		}
		if p.Literal {
			s += " (literal)"
		}
		out = append(out, s)
	}
	return out, r.Flags
}

// refJSON flattens a valid JSON document with encoding/json's tokenizer (numbers read
// with UseNumber), the way json.go is meant to.
func refJSON(dec *json.Decoder, path string, out *[]string) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return err
				}
				k := kt.(string)
				p := k
				if path != "" {
					p = path + "." + k
				}
				if !plainName(k) {
					*out = append(*out, p+"="+k+" (key)")
				}
				if err := refJSON(dec, p, out); err != nil {
					return err
				}
			}
		case '[':
			for i := 0; dec.More(); i++ {
				if err := refJSON(dec, path+"["+strconv.Itoa(i)+"]", out); err != nil {
					return err
				}
			}
		}
		_, err := dec.Token() // closing delimiter
		return err
	case string:
		if path != "" || t != "" {
			*out = append(*out, path+"="+t)
		}
	case json.Number:
		*out = append(*out, path+"="+t.String()+" (literal)")
	case bool:
		*out = append(*out, path+"="+strconv.FormatBool(t)+" (literal)")
	case nil:
		if path != "" {
			*out = append(*out, path+"= (literal)")
		}
	}
	return nil
}

// hasEmptyKey reports whether the JSON document body has an object key "" anywhere
// (as far as encoding/json can read it).
func hasEmptyKey(body string) bool {
	dec := json.NewDecoder(strings.NewReader(body))
	dec.UseNumber()
	// One entry per open container: 0 for an array, 1 for an object expecting a key,
	// 2 for an object expecting a value.
	var stack []byte
	valueDone := func() {
		if n := len(stack); n > 0 && stack[n-1] == 2 {
			stack[n-1] = 1
		}
	}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return false
		}
		if err != nil {
			// What the reference decoder rejects but the parser reads leniently (a
			// raw control byte in a key): any "" may be an empty key.
			return strings.Contains(body, `""`)
		}
		if n := len(stack); n > 0 && stack[n-1] == 1 {
			if k, ok := tok.(string); ok {
				if k == "" {
					return true
				}
				stack[n-1] = 2
				continue
			}
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, 1)
		case json.Delim('['):
			stack = append(stack, 0)
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
			valueDone()
		default:
			valueDone()
		}
	}
}

func FuzzJSON(f *testing.F) {
	for _, s := range []string{
		`{"a":"b"}`, `[1,"x",{"y":["z"]}]`, `"s"`, `{"a b":{"$ne":null}}`, `{"__proto__":{"x":true}}`,
		`{"e":"\u00e9\ud83d\ude00\ud800\"\\\/\b\f\n\r\t"}`, `{"a":{"b":{"c":{"d":"deep"}}}}`, `{"a":1e5,"b":-0.5}`,
		`{"a":"1",}`, `{"a"`, `[`, `{"a":"\u12"}`, " \ufeff{}", `{"k":"v"} x`,
		`{"qty":150,"ok":true,"no":false,"n":null,"e":"","ids":[1,5]}`, `null`, `""`, `-0`, `{"a":1-}`,
		"{\"a\":1}\n{\"b\":[2]}\n", "\x1e{\"a\":\"x\"}\n\x1e\"y\"", "{\"type\":6}\x1e{\"type\":1}\x1e", `{"a":1} {"b":2}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		got, flags := jsonParams(body, Limits{})

		// Property 1: on a valid UTF-8 JSON document, the parameters are exactly what
		// encoding/json's tokenizer gives (names, values, keys, order).
		if json.Valid([]byte(body)) && utf8.ValidString(body) && flags&request.FlagTooDeep == 0 {
			var want []string
			dec := json.NewDecoder(strings.NewReader(body))
			dec.UseNumber() // numbers as written (8E08888000 would overflow a float64)
			if err := refJSON(dec, "", &want); err != nil {
				t.Fatalf("reference flattening: %v", err)
			}
			if flags&request.FlagJSONError != 0 {
				t.Fatalf("valid JSON %q flagged as a JSON error", body)
			}
			if !slices.Equal(got, want) {
				t.Fatalf("JSON %q\n got  %q\n want %q", body, got, want)
			}
		}

		// Property 2: a document wrapped as {"w": doc} gives the same parameters with
		// names prefixed by "w". An empty key at the top level has the empty path, so
		// its children are named without a leading dot there but not once wrapped:
		// such documents are left out. (A document that is null or "" has no
		// parameter, and is left out too: wrapped, it has one.)
		// A sequence of documents (JSON Lines) is no value once wrapped: left out.
		sequence := strings.ContainsAny(body, "\n\x1e") && !json.Valid([]byte(body))
		if flags&(request.FlagJSONError|request.FlagTooDeep) == 0 && len(got) > 0 && !hasEmptyKey(body) && !sequence {
			wrapped, wflags := jsonParams(`{"w":`+body+`}`, Limits{})
			if wflags&request.FlagJSONError != 0 {
				t.Fatalf("wrapping %q made it invalid", body)
			}
			want := make([]string, len(got))
			for i, g := range got {
				if firstByte(body) == '{' {
					want[i] = "w." + g
				} else { // an array or a scalar
					want[i] = "w" + g
				}
			}
			if !slices.Equal(wrapped, want) && wflags&request.FlagTooDeep == 0 {
				t.Fatalf("wrapped %q\n got  %q\n want %q", body, wrapped, want)
			}
		}

		// Property 3: a document or sequence that parsed, then a line break and itself
		// again, is a sequence with its parameters twice (JSON Lines, SignalR records).
		if flags&(request.FlagJSONError|request.FlagTooDeep) == 0 && len(got) > 0 {
			for _, sep := range []string{"\n", "\x1e"} {
				twice, tflags := jsonParams(body+sep+body, Limits{})
				if tflags&request.FlagJSONError != 0 || !slices.Equal(twice, append(slices.Clip(got), got...)) {
					t.Fatalf("%q twice, %q apart: %q (flags %v), want %q twice", body, sep, twice, tflags, got)
				}
			}
		}

		// Property 4: the parameter limit holds, and is flagged when it cut something.
		const max = 3
		r := httpReq("POST", "/", []string{"Content-Type", "application/json"}, body)
		Fill(r, Limits{Params: max, Depth: 4})
		if len(r.Params) > max {
			t.Fatalf("%d params over a limit of %d", len(r.Params), max)
		}
		full, _ := jsonParams(body, Limits{Depth: 4})
		if len(full) > max && !r.Flags.Has(request.FlagTooManyParams) {
			t.Fatalf("%d params cut to %d without FlagTooManyParams", len(full), len(r.Params))
		}
	})
}

func FuzzQuery(f *testing.F) {
	for _, s := range []string{"a=1&b=2", "q=%27+or+1%3D1", "a=%zz&b", "&&=&x=", "%3Cscript%3E", "a[b]=c&a[b]=d", "k=v=w"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		r := httpReq("GET", "/", nil, "")
		r.RawQuery = raw
		Fill(r, Limits{})
		var got []string
		for _, p := range r.Params {
			if p.Source != request.SourceQuery {
				t.Fatalf("query param with source %v", p.Source)
			}
			if !p.Key {
				got = append(got, p.Name+"="+p.Value)
			} else if p.Name != p.Value || plainName(p.Name) {
				t.Fatalf("key param %q=%q: a key's value is its name, and only unusual names are keys", p.Name, p.Value)
			}
		}
		// Property: wherever net/url decodes the query without error, the values are the
		// same, empty ones included (net/url rejects ';', which parse keeps as data). A
		// pair with neither name nor value ("=") is not a parameter.
		vals, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		var want []string
		for k, vs := range vals {
			for _, v := range vs {
				if k != "" || v != "" {
					want = append(want, k+"="+v)
				}
			}
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Fatalf("query %q\n got  %q\n want %q", raw, got, want)
		}
	})
}

func FuzzMultipart(f *testing.F) {
	f.Add("title", "hello", "doc", "a.txt", "file text")
	f.Add(`we"ird\`, "multi\r\nline", "f", `x"y.php`, "<?php ?>")
	f.Fuzz(func(t *testing.T, field, value, fileField, filename, content string) {
		for _, s := range []string{field, fileField, filename} {
			if strings.ContainsAny(s, "\r\n") || s == "" {
				return // not representable in a part header
			}
		}
		const boundary = "fuzzBoundary42"
		if strings.Contains(value+content, boundary) {
			return
		}
		var buf bytes.Buffer
		w := multipart.NewWriter(&buf)
		if err := w.SetBoundary(boundary); err != nil {
			t.Fatal(err)
		}
		fw, _ := w.CreateFormField(field)
		io.WriteString(fw, value)
		ff, _ := w.CreateFormFile(fileField, filename)
		io.WriteString(ff, content)
		w.Close()

		r := httpReq("POST", "/", []string{"Content-Type", w.FormDataContentType()}, buf.String())
		Fill(r, Limits{})
		if r.Flags.Has(request.FlagMalformed) {
			t.Fatalf("body written by mime/multipart flagged malformed:\n%q", buf.String())
		}
		// Property: what mime/multipart wrote, parse reads back.
		have := map[string]bool{}
		for _, p := range r.Params {
			if p.Source != request.SourceMultipart {
				continue
			}
			have[p.Name+"="+p.Value] = true
		}
		want := []string{fileField + ".filename=" + filename, field + "=" + value}
		if content != "" && textual(content) {
			want = append(want, fileField+"="+content)
		}
		for _, w := range want {
			if !have[w] {
				t.Fatalf("missing %q in %q", w, show(r.Params))
			}
		}
	})
}

// refXMLText returns the element values of a document as encoding/xml's tokenizer sees
// them, in order: the text of an element up to its next tag (its character data and
// CDATA sections joined, comments and processing instructions dropped), trimmed, when
// not blank, and "" for an element with neither such text nor child elements (at its
// end); or an error.
func refXMLText(s string) ([]string, error) {
	d := xml.NewDecoder(strings.NewReader(s))
	var out []string
	var filled []bool // per open element: it had text or a child
	var text strings.Builder
	flush := func() {
		if t := trimXMLSpace(text.String()); t != "" {
			out = append(out, t)
			if len(filled) > 0 {
				filled[len(filled)-1] = true
			}
		}
		text.Reset()
	}
	for {
		tok, err := d.RawToken()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			flush()
			if len(filled) > 0 {
				filled[len(filled)-1] = true
			}
			filled = append(filled, false)
		case xml.EndElement:
			flush()
			if len(filled) == 0 {
				return nil, errors.New("end tag without start")
			}
			if !filled[len(filled)-1] {
				out = append(out, "")
			}
			filled = filled[:len(filled)-1]
		case xml.CharData:
			text.Write(tok)
		}
	}
}

func FuzzXML(f *testing.F) {
	for _, s := range []string{
		`<a>x</a>`, `<a b="1" c='2'><d>t</d><d/></a>`, `<!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>`,
		`<?xml version="1.0"?><a><![CDATA[<x>]]></a>`, `<a><b></a>`, `<a>&lt;&#65;&#x42;</a>`, `<a><!-- c --></a>`,
		"<!DOCTYPE \xa5 [< \x87ENkH> EN \"x\">]><a>;</a>",
		`<a>1 UNI<!---->ON <![CDATA[SEL]]>ECT<?p x?> 1</a>`, `<a> <!--x--> <b/>x<![CDATA[ ]]></a>`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		r := httpReq("POST", "/", []string{"Content-Type", "application/xml"}, body)
		Fill(r, Limits{Params: 8, Depth: 8})
		if len(r.Params) > 8 {
			t.Fatalf("%d params over a limit of 8", len(r.Params))
		}
		r = httpReq("POST", "/", []string{"Content-Type", "application/xml"}, body)
		Fill(r, Limits{})
		// Property 1: without entities, and without comments, CDATA sections and
		// processing instructions (text around them is joined), every value is a
		// piece of the input.
		if !strings.Contains(body, "&") && !strings.Contains(body, "<!") && !strings.Contains(body, "<?") {
			for _, p := range r.Params {
				if !strings.Contains(body, p.Value) {
					t.Fatalf("value %q is not in the input %q", p.Value, body)
				}
			}
		}
		// Property 2: for a document both parsers accept, without entities or CR
		// (which encoding/xml decodes and folds), the element values are the same,
		// empty elements included, and so is the text joined across comments, CDATA
		// sections and processing instructions.
		// A DOCTYPE is left out too: encoding/xml ends a directive by counting angle
		// brackets, whereas the XML grammar (and so the parser behind the application)
		// skips the internal subset to its "]" and ends the declaration at the next
		// '>', so the two differ on malformed declarations (`[< x> "y">]`,
		// `<!DOCTYPE a <!ENTITY e "x">`) by design.
		if r.Flags.Has(request.FlagXMLError) || strings.ContainsAny(body, "&\r") || request.ContainsFold(body, "<!doctype") {
			return
		}
		want, err := refXMLText(body)
		if err != nil {
			return
		}
		var got []string
		for _, p := range r.Params {
			if p.Source == request.SourceXML && !strings.Contains(p.Name, "@") && !strings.HasPrefix(p.Name, "!") && !strings.HasPrefix(p.Name, "?") {
				got = append(got, p.Value)
			}
		}
		if !slices.Equal(got, want) {
			t.Fatalf("XML %q\n got  %q\n want %q", body, got, want)
		}
	})
}

func FuzzFill(f *testing.F) {
	f.Add("POST", "/a/b?c=d", "application/json", "x=y; z", []byte(`{"a":["b"]}`), false)
	f.Add("POST", "/", "multipart/form-data; boundary=b", "", []byte("--b\r\nContent-Disposition: form-data; name=a\r\n\r\nv\r\n--b--"), false)
	f.Add("GET", "/?a=%ff", "", "", []byte(nil), true)
	f.Fuzz(func(t *testing.T, method, target, ct, cookie string, body []byte, ws bool) {
		mk := func() *request.Request {
			r := httpReq(method, target, []string{"Content-Type", ct, "Cookie", cookie, "X-Custom", target}, "")
			if ws {
				r.Protocol, r.Message = request.ProtocolWebSocket, body
			} else {
				r.Body = body
			}
			return r
		}
		for _, lim := range []Limits{{}, {Params: 4, Depth: 3, FileBytes: 8}} {
			r := mk()
			Fill(r, lim)
			if lim.Params > 0 && len(r.Params) > lim.Params {
				t.Fatalf("%d params over a limit of %d", len(r.Params), lim.Params)
			}
			for _, p := range r.Params {
				if p.Source == request.SourceNone || p.Source > request.SourceMessage {
					t.Fatalf("param %q with source %d", p.Name, p.Source)
				}
				if p.Name == "" && p.Value == "" {
					t.Fatal("a parameter with neither name nor value")
				}
				if p.Key && (p.Value != p.Name || p.Literal) {
					t.Fatalf("key parameter %q=%q: a key's value is its name", p.Name, p.Value)
				}
				if p.Literal && (p.Source != request.SourceJSON && p.Source != request.SourceMessage || strings.Trim(p.Value, "0123456789.eE+-") != "" && p.Value != "true" && p.Value != "false") {
					t.Fatalf("literal %s %q=%q: only JSON numbers, true, false and null are literals", p.Source, p.Name, p.Value)
				}
			}
			// Property: parsing the same request twice gives the same result (no state
			// leaks between pooled parsers).
			r2 := mk()
			Fill(r2, lim)
			if !reflect.DeepEqual(r.Params, r2.Params) || r.Flags != r2.Flags {
				t.Fatalf("two parses differ:\n %q\n %q", show(r.Params), show(r2.Params))
			}
		}
	})
}

// FuzzContentEncoding feeds bodies under a Content-Encoding, compressed (gz) or as they
// are: decoding must stay within Limits.BodyBytes, never change the bytes as sent, and
// give the same result twice.
func FuzzContentEncoding(f *testing.F) {
	f.Add([]byte(`{"q":"1 UNION SELECT 1--"}`), "gzip", true)
	f.Add([]byte("a=1&b=2"), "deflate", true)
	f.Add([]byte("a=1&b=2"), "deflate", false)
	f.Add([]byte("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"), "gzip", false)
	f.Add([]byte(`<a>x<!---->y</a>`), "identity, gzip", true)
	f.Add([]byte(`{"a":1}`), "br", false)
	f.Fuzz(func(t *testing.T, body []byte, enc string, gz bool) {
		if gz {
			body = []byte(gzipped(string(body)))
		}
		const limit = 64
		mk := func() *request.Request {
			r := httpReq("POST", "/", []string{"Content-Type", "application/json", "Content-Encoding", enc}, "")
			r.Body = bytes.Clone(body)
			return r
		}
		r := mk()
		Fill(r, Limits{Params: 8, Depth: 4, BodyBytes: limit})
		if len(r.Params) > 8 {
			t.Fatalf("%d params over a limit of 8", len(r.Params))
		}
		if len(r.Body) > max(limit, len(body)) {
			t.Fatalf("Body of %d bytes, over the limit %d and the %d bytes sent", len(r.Body), limit, len(body))
		}
		r2 := mk()
		sent := r2.Body
		Fill(r2, Limits{Params: 8, Depth: 4, BodyBytes: limit})
		if !bytes.Equal(sent, body) {
			t.Fatal("Fill changed the bytes as sent")
		}
		if !reflect.DeepEqual(r.Params, r2.Params) || r.Flags != r2.Flags || !bytes.Equal(r.Body, r2.Body) {
			t.Fatalf("two parses differ:\n %q\n %q", show(r.Params), show(r2.Params))
		}
	})
}

// FuzzSTOMP builds a STOMP SEND frame around a header value and a text body, escaping
// the value as a STOMP client does, and checks that the parser gives both back exactly:
// nothing of the frame is lost or invented. A message the parser does not take as a
// frame must be one text value, the message itself.
func FuzzSTOMP(f *testing.F) {
	for _, s := range [][2]string{{"/app/chat", "hello"}, {"a:b\nc\\d\r", "x' or 1=1--"}, {"", ""}, {"é", "<script>"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, value, body string) {
		if strings.IndexByte(body, 0) >= 0 || firstByte(body) == '{' || firstByte(body) == '[' || !textual(body) {
			return // a NUL ends the body; JSON is flattened; binary is skipped
		}
		esc := strings.NewReplacer(`\`, `\\`, "\n", `\n`, "\r", `\r`, ":", `\c`).Replace(value)
		msg := "SEND\ndestination:/q\nx-v:" + esc + "\n\n" + body + "\x00\n"
		r := &request.Request{Protocol: request.ProtocolWebSocket, Message: []byte(msg)}
		Fill(r, Limits{})
		want := []string{"message destination=/q", "message x-v=" + value}
		if body != "" {
			want = append(want, "message ="+body)
		}
		if got := show(r.Params); !slices.Equal(got, want) {
			t.Fatalf("frame %q\n got  %q\n want %q", msg, got, want)
		}

		// A message that starts like a frame but whose header line holds no line break
		// and no NUL (so it cannot end the headers or the frame) has no NUL after its
		// headers: it is no frame, and is one text value, the message.
		if strings.ContainsAny(value, "\r\n\x00") {
			return
		}
		raw := "SEND\n" + value + "\n\n" + body
		r = &request.Request{Protocol: request.ProtocolWebSocket, Message: []byte(raw)}
		Fill(r, Limits{})
		for _, p := range r.Params {
			if p.Name == "" && p.Value != raw {
				t.Fatalf("message %q: a text value %q that is not the message", raw, p.Value)
			}
		}
	})
}

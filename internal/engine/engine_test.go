package engine

import (
	"context"
	"testing"

	"github.com/rampartwaf/rampart/internal/detect"
	"github.com/rampartwaf/rampart/internal/parse"
	"github.com/rampartwaf/rampart/internal/request"
)

// messageFor builds the Request of one WebSocket message as the WebSocket proxy does:
// the handshake's query, cookie and header parameters (as the handshake's judgement
// left them), then the message to parse.
func messageFor(hs *request.Request, msg string) *request.Request {
	r := &request.Request{
		Protocol: request.ProtocolWebSocket, Method: hs.Method, URI: hs.URI, Path: hs.Path,
		RawQuery: hs.RawQuery, Headers: hs.Headers, UserAgent: hs.UserAgent,
		Opcode: 1, MessageIndex: 1, Message: []byte(msg),
	}
	for _, p := range hs.Params {
		switch p.Source {
		case request.SourceQuery, request.SourceCookie, request.SourceHeader:
			r.Params = append(r.Params, p)
		}
	}
	return r
}

func hasSignal(v Verdict, name string, src request.Source) bool {
	for _, s := range v.Signals {
		if s.Name == name && s.Source == src {
			return true
		}
	}
	return false
}

// TestWebSocketHandshakeParamsJudgedOnce checks that a message does not judge again the
// handshake parameters judged with the handshake, but does judge those of a handshake
// passed uninspected over a limit, and always judges the message itself.
func TestWebSocketHandshakeParamsJudgedOnce(t *testing.T) {
	ctx := context.Background()
	handshake := func() *request.Request {
		q := "room=a%2500b" // double-encoded NUL: DOUBLEENCODING and NULLBYTE, no attack
		return &request.Request{
			Method: "GET", URI: "/ws?" + q, Path: "/ws", RawQuery: q,
			Headers:   []request.Header{{Name: "User-Agent", Value: "test"}},
			UserAgent: "test",
		}
	}

	e, err := New(Options{Limits: parse.Limits{Params: 100, Depth: 16}})
	if err != nil {
		t.Fatal(err)
	}
	hs := handshake()
	if v := e.Inspect(ctx, hs); v.Blocked() || !hasSignal(v, detect.NULLBYTE, request.SourceQuery) {
		t.Fatalf("handshake verdict %+v, want allowed with NULLBYTE", v)
	}
	v := e.Inspect(ctx, messageFor(hs, `{"text":"hello"}`))
	if len(v.Signals) != 0 {
		t.Errorf("benign message after a judged handshake: signals %+v, want none", v.Signals)
	}
	v = e.Inspect(ctx, messageFor(hs, `{"text":"<script>alert(1)</script>"}`))
	if !v.Blocked() || !hasSignal(v, detect.XSS, request.SourceMessage) {
		t.Errorf("attack message: verdict %+v, want blocked with XSS", v)
	}

	// A handshake over the parameter limit, passed on uninspected: its parameters are
	// judged with each message.
	small, err := New(Options{Limits: parse.Limits{Params: 2, Depth: 16}, PassOversize: true})
	if err != nil {
		t.Fatal(err)
	}
	hs = handshake()
	hs.Headers = append(hs.Headers, request.Header{Name: "X-Extra", Value: "1"})
	if v := small.Inspect(ctx, hs); v.Reason != ReasonLimit || v.Blocked() {
		t.Fatalf("oversize handshake verdict %+v, want passed over the limit", v)
	}
	v = e.Inspect(ctx, messageFor(hs, `{"text":"hello"}`))
	if !hasSignal(v, detect.NULLBYTE, request.SourceQuery) {
		t.Errorf("message after an uninspected handshake: signals %+v, want NULLBYTE on the query", v.Signals)
	}
}

// TestWebSocketFramings checks the message framings of common WebSocket libraries end to
// end: a Socket.IO event, SignalR records and STOMP frames are judged field by field,
// with the signal naming the field, and benign ones raise nothing (no JSON-ERROR on
// every SignalR message, as when the record separator made the message invalid JSON; no
// NULLBYTE for the NUL that closes every STOMP frame).
func TestWebSocketFramings(t *testing.T) {
	e, err := New(Options{Limits: parse.Limits{Params: 100, Depth: 16}, Mode: ModeBlock})
	if err != nil {
		t.Fatal(err)
	}
	hs := &request.Request{Method: "GET", URI: "/socket.io/?EIO=4&transport=websocket", Path: "/socket.io/", RawQuery: "EIO=4&transport=websocket",
		Headers: []request.Header{{Name: "User-Agent", Value: "Mozilla/5.0"}}, UserAgent: "Mozilla/5.0"}
	if v := e.Inspect(context.Background(), hs); len(v.Signals) != 0 {
		t.Fatalf("handshake signals %+v", v.Signals)
	}
	tests := []struct {
		name, msg, signal, param string
	}{
		{"socket.io benign", `42["chat message",{"text":"I'll be at Union Station at 5; see you"}]`, "", ""},
		{"socket.io attack", `42["chat message",{"text":"x' UNION SELECT password FROM users--"}]`, detect.SQLI, "[1].text"},
		{"socket.io namespace and ack", `42/admin,7["search","<img src=x onerror=alert(1)>"]`, detect.XSS, "[1]"},
		{"signalr benign", "{\"type\":1,\"target\":\"SendMessage\",\"arguments\":[\"bob\",\"hi; it's me\"]}\x1e{\"type\":6}\x1e", "", ""},
		{"stomp benign (no NULLBYTE for the closing NUL)", "SEND\ndestination:/app/chat\ncontent-type:application/json\n\n{\"text\":\"see you at 5; it's O'Brien's\"}\x00\n", "", ""},
		{"stomp connect benign", "CONNECT\naccept-version:1.1,1.2\nheart-beat:10000,10000\nlogin:guest\npasscode:p@ss'word;1\n\n\x00", "", ""},
		{"stomp attack in the body", "SEND\ndestination:/app/chat\ncontent-type:application/json\n\n{\"text\":\"<svg onload=alert(1)>\"}\x00", detect.XSS, "text"},
		{"stomp attack in a header", "SUBSCRIBE\nid:sub-0\ndestination:/topic/../../etc/passwd\n\n\x00", detect.TRAVERSAL, "destination"},
		{"signalr attack in the second record", "{\"type\":6}\x1e{\"type\":1,\"target\":\"Run\",\"arguments\":[\";cat /etc/passwd\"]}\x1e", "", "arguments[0]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := e.Inspect(context.Background(), messageFor(hs, tt.msg))
			if tt.param == "" {
				if len(v.Signals) != 0 {
					t.Fatalf("signals %+v, want none", v.Signals)
				}
				return
			}
			if !v.Blocked() {
				t.Fatalf("verdict %+v, want blocked", v)
			}
			for _, s := range v.Signals {
				if s.Source == request.SourceMessage && s.Param == tt.param && (tt.signal == "" || s.Name == tt.signal) {
					return
				}
			}
			t.Fatalf("signals %+v, want %s on message field %q", v.Signals, tt.signal, tt.param)
		})
	}
}

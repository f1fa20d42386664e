package demo

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
)

func TestApp(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { _ = Serve(ctx, ln) }()
	base := "http://" + ln.Addr().String()

	pages := []struct{ path, want string }{
		{"/", "Rampart demo shop"},
		{"/search?q=%3Cb%3Eshoes", "No products match &lt;b&gt;shoes."},
	}
	for _, p := range pages {
		resp, err := http.Get(base + p.path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !strings.Contains(string(b), p.want) {
			t.Errorf("GET %s: body lacks %q", p.path, p.want)
		}
	}
	resp, err := http.PostForm(base+"/comment", url.Values{"name": {"Ann"}, "comment": {"hi"}})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(b), "Ann said: hi") {
		t.Errorf("comment page: %s", b)
	}

	// Two chat clients: a message from one reaches both.
	wctx, wcancel := context.WithTimeout(ctx, 5*time.Second)
	defer wcancel()
	a, _, err := websocket.Dial(wctx, "ws://"+ln.Addr().String()+"/chat", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer a.CloseNow()
	c, _, err := websocket.Dial(wctx, "ws://"+ln.Addr().String()+"/chat", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseNow()
	// The welcome message says a client is registered.
	for i, conn := range []*websocket.Conn{a, c} {
		_, got, err := conn.Read(wctx)
		if want := "welcome: " + string(rune('1'+i)) + " in the chat"; err != nil || !strings.Contains(string(got), want) {
			t.Fatalf("welcome %q, %v; want %q", got, err, want)
		}
	}
	msg := `{"user":"a","text":"hello"}`
	if err := a.Write(wctx, websocket.MessageText, []byte(msg)); err != nil {
		t.Fatal(err)
	}
	for _, conn := range []*websocket.Conn{a, c} {
		_, got, err := conn.Read(wctx)
		if err != nil || string(got) != msg {
			t.Errorf("client got %q, %v; want the broadcast", got, err)
		}
	}
}

package demo

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
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
	// The welcome message counts the clients registered so far. Read the first
	// client's welcome before the second dials: the 101 reaches the client before
	// the server registers it, so two concurrent dials could count in either order.
	readWelcome := func(conn *websocket.Conn, n int) {
		t.Helper()
		_, got, err := conn.Read(wctx)
		if want := "welcome: " + strconv.Itoa(n) + " in the chat"; err != nil || !strings.Contains(string(got), want) {
			t.Fatalf("welcome %q, %v; want %q", got, err, want)
		}
	}
	readWelcome(a, 1)
	c, _, err := websocket.Dial(wctx, "ws://"+ln.Addr().String()+"/chat", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseNow()
	readWelcome(c, 2)
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

	// The echo endpoint answers its sender only.
	e, _, err := websocket.Dial(wctx, "ws://"+ln.Addr().String()+"/echo", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer e.CloseNow()
	if err := e.Write(wctx, websocket.MessageText, []byte(`{"q":"echo me"}`)); err != nil {
		t.Fatal(err)
	}
	if _, got, err := e.Read(wctx); err != nil || string(got) != `{"q":"echo me"}` {
		t.Errorf("echo: %q, %v", got, err)
	}
}

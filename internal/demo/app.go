package demo

import (
	"context"
	"errors"
	"html/template"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/coder/websocket"
)

// App is the demo application.
type App struct {
	mux *http.ServeMux
	hub hub
}

// New builds the demo application.
func New() *App {
	a := &App{mux: http.NewServeMux()}
	a.mux.HandleFunc("GET /{$}", a.index)
	a.mux.HandleFunc("GET /search", a.search)
	a.mux.HandleFunc("POST /comment", a.comment)
	a.mux.HandleFunc("GET /chat", a.chat)
	a.mux.HandleFunc("GET /echo", a.echo)
	return a
}

func (a *App) ServeHTTP(w http.ResponseWriter, r *http.Request) { a.mux.ServeHTTP(w, r) }

// Serve serves the app on ln until ctx is done.
func Serve(ctx context.Context, ln net.Listener) error {
	a := New()
	srv := &http.Server{Handler: a, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		a.hub.closeAll()
		_ = srv.Shutdown(sctx)
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func (a *App) index(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_ = pageTmpl.Execute(w, nil)
}

func (a *App) search(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_ = resultTmpl.Execute(w, map[string]string{"Title": "Search", "Text": "No products match " + r.URL.Query().Get("q") + "."})
}

func (a *App) comment(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_ = resultTmpl.Execute(w, map[string]string{"Title": "Thanks", "Text": r.PostForm.Get("name") + " said: " + r.PostForm.Get("comment")})
}

// chat accepts a WebSocket and relays every text message it sends to all clients.
func (a *App) chat(w http.ResponseWriter, r *http.Request) {
	c, err := websocket.Accept(w, r, nil)
	if err != nil {
		return
	}
	c.SetReadLimit(64 << 10)
	n := a.hub.add(c)
	defer a.hub.remove(c)
	ctx := r.Context()
	welcome := `{"user":"system","text":"welcome: ` + strconv.Itoa(n) + ` in the chat"}`
	if err := c.Write(ctx, websocket.MessageText, []byte(welcome)); err != nil {
		return
	}
	for {
		typ, msg, err := c.Read(ctx)
		if err != nil {
			return
		}
		a.hub.broadcast(ctx, typ, msg)
	}
}

// echo accepts a WebSocket and sends every message back to its sender only, as it came:
// the endpoint `rampart replay --websocket` and load tests talk to.
func (a *App) echo(w http.ResponseWriter, r *http.Request) {
	c, err := websocket.Accept(w, r, nil)
	if err != nil {
		return
	}
	defer c.CloseNow()
	c.SetReadLimit(16 << 20)
	ctx := r.Context()
	for {
		typ, msg, err := c.Read(ctx)
		if err != nil {
			return
		}
		if err := c.Write(ctx, typ, msg); err != nil {
			return
		}
	}
}

// hub is the set of connected chat clients.
type hub struct {
	mu    sync.Mutex
	conns map[*websocket.Conn]struct{}
}

// add registers c and returns how many clients are connected.
func (h *hub) add(c *websocket.Conn) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.conns == nil {
		h.conns = map[*websocket.Conn]struct{}{}
	}
	h.conns[c] = struct{}{}
	return len(h.conns)
}

func (h *hub) remove(c *websocket.Conn) {
	h.mu.Lock()
	delete(h.conns, c)
	h.mu.Unlock()
	c.CloseNow()
}

func (h *hub) broadcast(ctx context.Context, typ websocket.MessageType, msg []byte) {
	h.mu.Lock()
	conns := make([]*websocket.Conn, 0, len(h.conns))
	for c := range h.conns {
		conns = append(conns, c)
	}
	h.mu.Unlock()
	for _, c := range conns {
		wctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		_ = c.Write(wctx, typ, msg)
		cancel()
	}
}

func (h *hub) closeAll() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for c := range h.conns {
		_ = c.Close(websocket.StatusGoingAway, "demo app stopping")
	}
}

var resultTmpl = template.Must(template.New("result").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{.Title}} - Rampart demo shop</title></head>
<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto">
<h1>{{.Title}}</h1><p>{{.Text}}</p><p><a href="/">Back</a></p></body></html>
`))

var pageTmpl = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Rampart demo shop</title>
<style>
body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#222}
section{border:1px solid #ddd;border-radius:6px;padding:1rem;margin:1rem 0}
#log{height:12rem;overflow:auto;background:#f7f7f7;padding:.5rem;font-family:monospace;font-size:.9rem}
.sys{color:#a00}
</style></head>
<body>
<h1>Rampart demo shop</h1>
<p>This little app sits behind Rampart. Everything you send passes through the firewall
first: try something harmless, then an attack such as <code>' OR '1'='1</code> or
<code>&lt;script&gt;alert(1)&lt;/script&gt;</code>.</p>

<section><h2>Search (HTTP GET)</h2>
<form action="/search" method="get"><input name="q" size="30" placeholder="blue shoes"> <button>Search</button></form>
</section>

<section><h2>Comment (HTTP POST)</h2>
<form action="/comment" method="post">
<input name="name" placeholder="Your name"><br><br>
<textarea name="comment" rows="3" cols="40" placeholder="Nice shop!"></textarea><br>
<button>Send</button></form>
</section>

<section><h2>Chat (WebSocket)</h2>
<p>Messages go to everyone on this page. Rampart inspects each one; an attack closes the
connection with code 1008.</p>
<div id="log"></div>
<form id="chat"><input id="msg" size="40" placeholder="hello everyone" autocomplete="off"> <button>Send</button></form>
</section>
<script>
const log = document.getElementById('log');
function line(text, cls) {
  const p = document.createElement('div');
  p.textContent = text;
  if (cls) p.className = cls;
  log.appendChild(p);
  log.scrollTop = log.scrollHeight;
}
let ws;
function connect() {
  ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/chat');
  ws.onopen = () => line('connected', 'sys');
  ws.onmessage = (e) => {
    try { const m = JSON.parse(e.data); line(m.user + ': ' + m.text); }
    catch { line(e.data); }
  };
  ws.onclose = (e) => line('connection closed: code ' + e.code + (e.reason ? ' (' + e.reason + ')' : '') + '; reload to reconnect', 'sys');
}
connect();
document.getElementById('chat').onsubmit = (ev) => {
  ev.preventDefault();
  const input = document.getElementById('msg');
  if (ws.readyState === WebSocket.OPEN && input.value) {
    ws.send(JSON.stringify({type: 'chat', user: 'guest', text: input.value}));
    input.value = '';
  }
};
</script>
</body></html>
`))

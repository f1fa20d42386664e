package engine

import (
	"context"
	"encoding/json"
	"net/netip"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/rampartwaf/rampart/internal/config"
	"github.com/rampartwaf/rampart/internal/events"
	"github.com/rampartwaf/rampart/internal/geoip"
	"github.com/rampartwaf/rampart/internal/parse"
	"github.com/rampartwaf/rampart/internal/request"
	"github.com/rampartwaf/rampart/internal/state"
)

// Scenario tests, as data: each file under testdata/scenarios holds a config (rules,
// lists, rate limits, thresholds, mode), then a sequence of HTTP requests and WebSocket
// messages with what the engine must decide for each: the decision, reason, deciding
// rule, every rule that acted, the signals, and the IP flags set. Time is simulated:
// `advance` moves the clock. The format, with every key:
//
//	name: what the scenario shows
//	config: |
//	  (a rampart.yaml; the upstream is filled in)
//	steps:
//	  - request: {method: POST, uri: "/login?x=1", ip: 192.0.2.1, headers: {Cookie: "a=b"},
//	              content_type: application/json, body: '{"user": "x"}'}
//	    repeat: 20          # send it this many times; expect applies to each (or to the
//	                        # last only, with expect_last)
//	    expect: {decision: block, reason: rule, rule: office-only-admin, status: 403,
//	             redirect: /x, signals: [SQLI], rules: [tag-it, office-only-admin],
//	             flagged: [192.0.2.1],
//	             event: {action: block, rule: office-only-admin, signals: [{name: SQLI, param: q}]}}
//	             # or event: none
//	  - message: {uri: /chat, ip: 192.0.2.1, index: 3, text: '{"text": "hi"}'}
//	    expect: {decision: allow}
//	  - request: {method: POST, uri: /login, ip: 192.0.2.1}
//	    response: 401       # the upstream's status, for rules on response.status
//	    expect_response: {decision: block, rule: too-many-401}
//	  - advance: 61s
//	  - unflag: 192.0.2.1
//
// Unset expectations are not checked, except signals and rules, which are checked when
// given (an empty list means none). Add a file to add a scenario.
type scenario struct {
	Name   string `yaml:"name"`
	Config string `yaml:"config"`
	Steps  []step `yaml:"steps"`
}

type step struct {
	Request    *reqSpec `yaml:"request"`
	Message    *reqSpec `yaml:"message"`
	Repeat     int      `yaml:"repeat"`
	Expect     *expect  `yaml:"expect"`
	ExpectLast *expect  `yaml:"expect_last"`
	Advance    string   `yaml:"advance"`
	// Response: the upstream's status, for the rules that test response.status
	// (InspectResponse runs when the request was not blocked); ExpectResponse is what
	// InspectResponse must decide.
	Response       int     `yaml:"response"`
	ExpectResponse *expect `yaml:"expect_response"`
	Unflag         string  `yaml:"unflag"`
}

type reqSpec struct {
	Method      string            `yaml:"method"`
	URI         string            `yaml:"uri"`
	IP          string            `yaml:"ip"`
	Headers     map[string]string `yaml:"headers"`
	ContentType string            `yaml:"content_type"`
	Body        string            `yaml:"body"`
	Index       int               `yaml:"index"`
	Text        string            `yaml:"text"`
	Binary      bool              `yaml:"binary"` // a binary message (opcode 2) instead of text
}

type expect struct {
	Decision string    `yaml:"decision"`
	Reason   *string   `yaml:"reason"`
	Rule     *string   `yaml:"rule"`
	Status   int       `yaml:"status"`
	Redirect string    `yaml:"redirect"`
	Signals  *[]string `yaml:"signals"`
	Rules    *[]string `yaml:"rules"`
	Flagged  *[]string `yaml:"flagged"`
	// Event is the event the proxies record for the verdict, as JSON fields (only those
	// given are compared), or the string "none" when none is recorded.
	Event any `yaml:"event"`
}

func TestScenarios(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "scenarios", "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no scenarios: %v", err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".yaml"), func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var sc scenario
			dec := yaml.NewDecoder(strings.NewReader(string(data)))
			dec.KnownFields(true)
			if err := dec.Decode(&sc); err != nil {
				t.Fatalf("%s: %v", file, err)
			}
			runScenario(t, file, &sc)
		})
	}
}

func runScenario(t *testing.T, file string, sc *scenario) {
	cfg, err := config.Parse(file+":config", []byte(sc.Config), config.Overrides{Upstream: "http://127.0.0.1:9"})
	if err != nil {
		t.Fatalf("config:\n%v", err)
	}
	clock := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	store := state.NewMemory(state.MemoryOptions{})
	defer store.Close()
	var flagged []string
	mode := ModeBlock
	if cfg.Mode == config.ModeLog {
		mode = ModeLog
	}
	var geo *geoip.DB
	if cfg.GeoIP.Database != "" {
		if geo, err = geoip.Open(cfg.GeoIP.Database); err != nil {
			t.Fatal(err)
		}
		defer geo.Close()
	}
	e, err := New(Options{
		GeoIP: geoOrNil(geo),
		Mode:  mode, Limits: parse.Limits{Params: cfg.Limits.Params, Depth: cfg.Limits.Depth, BodyBytes: int(cfg.Limits.BodyBytes)},
		PassOversize: cfg.Limits.OnExceed == config.ExceedPass,
		Policy:       cfg.Rules, State: store,
		OnFlag: func(f state.Flag, _ *request.Request) { flagged = append(flagged, f.IP.String()) },
		Now:    func() time.Time { return clock },
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, st := range sc.Steps {
		switch {
		case st.Advance != "":
			d, err := time.ParseDuration(st.Advance)
			if err != nil {
				t.Fatalf("step %d: %v", i+1, err)
			}
			clock = clock.Add(d)
			continue
		case st.Unflag != "":
			if ok, _ := store.Unflag(context.Background(), netip.MustParseAddr(st.Unflag)); !ok {
				t.Errorf("step %d: unflag %s: it was not flagged", i+1, st.Unflag)
			}
			continue
		}
		n := max(st.Repeat, 1)
		for k := 0; k < n; k++ {
			flagged = flagged[:0]
			r := build(t, &st)
			v := e.Inspect(context.Background(), r)
			want := st.Expect
			if st.ExpectLast != nil && k == n-1 {
				want = st.ExpectLast
			}
			where := file + ": step " + itoa(i+1)
			if n > 1 {
				where += " (repeat " + itoa(k+1) + ")"
			}
			if want != nil {
				check(t, where, r, v, flagged, want)
			}
			if st.Response != 0 {
				flagged = flagged[:0]
				rv := e.InspectResponse(context.Background(), r, st.Response, v)
				if st.ExpectResponse != nil {
					check(t, where+" response", r, rv, flagged, st.ExpectResponse)
				}
			}
		}
	}
}

// geoOrNil keeps a nil *geoip.DB from becoming a non-nil interface.
func geoOrNil(db *geoip.DB) interface{ Country(netip.Addr) string } {
	if db == nil {
		return nil
	}
	return db
}

func itoa(i int) string { return strconv.Itoa(i) }

// build makes the Request a proxy would: an HTTP request, or one WebSocket message with
// the handshake's query, cookie and header parameters (as wsproxy does).
func build(t *testing.T, st *step) *request.Request {
	spec := st.Request
	if spec == nil {
		spec = st.Message
	}
	uri := spec.URI
	if uri == "" {
		uri = "/"
	}
	path, query, _ := strings.Cut(uri, "?")
	r := &request.Request{ID: "test", Method: spec.Method, Scheme: "http", Host: "shop.example", URI: uri, Path: path, RawQuery: query, Proto: "HTTP/1.1"}
	if r.Method == "" {
		r.Method = "GET"
	}
	if spec.IP != "" {
		r.IP = netip.MustParseAddr(spec.IP)
	}
	keys := make([]string, 0, len(spec.Headers))
	for k := range spec.Headers {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if h, ok := spec.Headers["Host"]; ok {
		r.Host = h
	}
	r.Headers = append(r.Headers, request.Header{Name: "Host", Value: r.Host})
	for _, k := range keys {
		if k != "Host" {
			r.Headers = append(r.Headers, request.Header{Name: k, Value: spec.Headers[k]})
		}
	}
	if _, ok := spec.Headers["User-Agent"]; !ok {
		r.Headers = append(r.Headers, request.Header{Name: "User-Agent", Value: "Mozilla/5.0 (scenario)"})
	}
	r.UserAgent = r.Header("User-Agent")
	r.ContentType = spec.ContentType
	if st.Request != nil {
		if spec.ContentType != "" {
			r.Headers = append(r.Headers, request.Header{Name: "Content-Type", Value: spec.ContentType})
		}
		r.Body = []byte(spec.Body)
		return r
	}
	parse.Fill(r, parse.Limits{})
	hs := r.Params
	m := &request.Request{ID: r.ID, Protocol: request.ProtocolWebSocket, Method: r.Method, Scheme: r.Scheme, Host: r.Host,
		URI: r.URI, Path: r.Path, RawQuery: r.RawQuery, Proto: r.Proto, IP: r.IP, UserAgent: r.UserAgent, Headers: r.Headers,
		ConnID: "c1", Opcode: 1, MessageIndex: max(spec.Index, 1), Message: []byte(spec.Text)}
	if spec.Binary {
		m.Opcode = 2
	}
	for _, p := range hs {
		switch p.Source {
		case request.SourceQuery, request.SourceCookie, request.SourceHeader:
			m.Params = append(m.Params, p)
		}
	}
	return m
}

func check(t *testing.T, where string, r *request.Request, v Verdict, flagged []string, want *expect) {
	t.Helper()
	var names []string
	for _, s := range v.Signals {
		if !slices.Contains(names, s.Name) {
			names = append(names, s.Name)
		}
	}
	got := func() string {
		return "decision=" + v.Decision() + " reason=" + v.Reason.String() + " rule=" + v.Rule +
			" rules=" + strings.Join(v.Rules, ",") + " signals=" + strings.Join(names, ",")
	}
	if want.Decision != "" && v.Decision() != want.Decision {
		t.Errorf("%s: decision %q, want %q (%s)", where, v.Decision(), want.Decision, got())
	}
	if want.Reason != nil && v.Reason.String() != *want.Reason {
		t.Errorf("%s: reason %q, want %q (%s)", where, v.Reason, *want.Reason, got())
	}
	if want.Rule != nil && v.Rule != *want.Rule {
		t.Errorf("%s: rule %q, want %q (%s)", where, v.Rule, *want.Rule, got())
	}
	if want.Status != 0 && v.Status != want.Status {
		t.Errorf("%s: status %d, want %d", where, v.Status, want.Status)
	}
	if want.Redirect != "" && v.Redirect != want.Redirect {
		t.Errorf("%s: redirect %q, want %q", where, v.Redirect, want.Redirect)
	}
	if want.Signals != nil && !sameSet(names, *want.Signals) {
		t.Errorf("%s: signals %v, want %v (%s)", where, names, *want.Signals, got())
	}
	if want.Rules != nil && !reflect.DeepEqual(nonNil(v.Rules), nonNil(*want.Rules)) {
		t.Errorf("%s: rules %v, want %v (%s)", where, v.Rules, *want.Rules, got())
	}
	if want.Flagged != nil && !reflect.DeepEqual(nonNil(flagged), nonNil(*want.Flagged)) {
		t.Errorf("%s: flagged %v, want %v", where, flagged, *want.Flagged)
	}
	if want.Event != nil {
		checkEvent(t, where, r, v, want.Event)
	}
}

// checkEvent compares the event the proxies would record (events.FromRequest, with the
// verdict's decision, reason and rule) with the expected fields.
func checkEvent(t *testing.T, where string, r *request.Request, v Verdict, want any) {
	t.Helper()
	if s, ok := want.(string); ok && s == "none" {
		if v.Recorded() {
			t.Errorf("%s: an event is recorded (%s), want none", where, v.Decision())
		}
		return
	}
	if !v.Recorded() {
		t.Errorf("%s: no event recorded, want %v", where, want)
		return
	}
	ev := events.FromRequest(r)
	ev.Time = time.Time{}
	ev.Action, ev.Reason, ev.Rule = v.Decision(), v.Reason.String(), v.Rule
	b, _ := json.Marshal(ev)
	var got map[string]any
	_ = json.Unmarshal(b, &got)
	wb, _ := json.Marshal(want)
	var wm map[string]any
	if err := json.Unmarshal(wb, &wm); err != nil {
		t.Fatalf("%s: event expectation %v: %v", where, want, err)
	}
	for k, w := range wm {
		if !reflect.DeepEqual(got[k], w) {
			t.Errorf("%s: event %s = %v, want %v (event %s)", where, k, got[k], w, b)
		}
	}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return reflect.DeepEqual(nonNil(a), nonNil(b))
}

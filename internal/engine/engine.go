package engine

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/rampartwaf/rampart/internal/detect"
	"github.com/rampartwaf/rampart/internal/parse"
	"github.com/rampartwaf/rampart/internal/request"
	"github.com/rampartwaf/rampart/internal/rules"
	"github.com/rampartwaf/rampart/internal/state"
)

// Mode is what the engine does with a request that has attack signals.
type Mode uint8

// Modes.
const (
	ModeBlock Mode = iota // block it
	ModeLog               // allow it; the verdict still carries the signals
	ModeOff               // do not inspect at all
)

// Options configure an Engine.
type Options struct {
	Mode Mode
	// FailOpen allows a request whose inspection failed; otherwise it is blocked.
	FailOpen bool
	// PassOversize forwards a request over a limit uninspected (with the OVERSIZE
	// signal) instead of blocking it.
	PassOversize bool
	Limits       parse.Limits
	// HeaderBytes and MessageBytes are limits the proxies enforce (limits.header_bytes,
	// ws_message_bytes); the engine only names them in OVERSIZE signals, as it does
	// Limits.BodyBytes. 0 leaves the number out.
	HeaderBytes  int
	MessageBytes int64

	// Policy holds the rules, rate limits and thresholds (decide.go); nil has none.
	Policy *rules.Policy
	// State keeps rate limit and threshold counters and IP flags; nil turns rate limits,
	// thresholds and flags off (rampart replay judges without it).
	State state.Store
	// OnFlag, if set, is called when a request gets its IP flagged by a threshold (to
	// close the IP's WebSockets and record it), with that request (valid only during
	// the call). It runs on the request's goroutine.
	OnFlag func(f state.Flag, r *request.Request)
	// GeoIP finds the country of the client IP, for rules that test country; nil when
	// no database is configured. *geoip.DB is one.
	GeoIP interface {
		Country(ip netip.Addr) string
	}
	// Now returns the time for expiries and counters; nil is time.Now.
	Now func() time.Time
}

// Engine judges Requests. It is immutable and safe for concurrent use.
type Engine struct {
	opts   Options
	thKeys []thresholdKey
}

// New builds an Engine.
func New(opts Options) (*Engine, error) {
	if opts.Mode > ModeOff {
		return nil, fmt.Errorf("engine: unknown mode %d", opts.Mode)
	}
	e := &Engine{opts: opts}
	if opts.Policy != nil {
		e.thKeys = thresholdKeys(opts.Policy.Thresholds())
	}
	return e, nil
}

// Mode returns the engine's mode.
func (e *Engine) Mode() Mode { return e.opts.Mode }

// Action is the outcome of an inspection.
type Action uint8

// Actions.
const (
	Allow Action = iota
	Block
)

// Reason says why a verdict is what it is.
type Reason uint8

// Reasons.
const (
	ReasonNone      Reason = iota // nothing found, or mode off
	ReasonSignals                 // attack signals
	ReasonLimit                   // a limit was exceeded and on_exceed is block
	ReasonError                   // inspection failed (see Verdict.Err)
	ReasonRule                    // a rule decided (Verdict.Rule), or a log rule matched
	ReasonAllowed                 // an allow rule decided (Verdict.Rule)
	ReasonRateLimit               // a rate limit over its threshold blocked, or logged with action log (Verdict.Rule)
	ReasonFlagged                 // the client IP is flagged (thresholds)
)

// String names the reason as events show it: "signals", "limit", "error", "rule",
// "allowed", "rate-limit", "flagged", or ""
// for ReasonNone.
func (r Reason) String() string {
	switch r {
	case ReasonSignals:
		return "signals"
	case ReasonLimit:
		return "limit"
	case ReasonError:
		return "error"
	case ReasonRule:
		return "rule"
	case ReasonAllowed:
		return "allowed"
	case ReasonRateLimit:
		return "rate-limit"
	case ReasonFlagged:
		return "flagged"
	}
	return ""
}

// Decisions, as metrics label them and events record them.
const (
	DecisionAllow = "allow" // forwarded, nothing to act on
	DecisionBlock = "block" // not forwarded
	DecisionLog   = "log"   // forwarded, but it had a reason to block (mode log, on_exceed pass)
	DecisionError = "error" // inspection failed and the fail direction let it through
)

// Decision returns what became of the request: DecisionBlock, DecisionError,
// DecisionLog or DecisionAllow.
func (v Verdict) Decision() string {
	switch {
	case v.Blocked():
		return DecisionBlock
	case v.Reason == ReasonError:
		return DecisionError
	case v.Reason != ReasonNone && v.Reason != ReasonAllowed:
		return DecisionLog
	}
	return DecisionAllow
}

// Recorded reports whether the verdict is worth an event: anything but a plain allow,
// or an allow with signals (log mode, an allow rule, anomalies, tags).
func (v Verdict) Recorded() bool {
	return v.Decision() != DecisionAllow || len(v.Signals) > 0
}

// Verdict is the engine's answer for one Request.
type Verdict struct {
	Action Action
	Reason Reason
	// Signals found (aliases the Request's Signals). In log mode a request with attack
	// signals is allowed but its signals are still here.
	Signals []request.Signal
	// Err is set when inspection failed; Action then follows the fail direction.
	Err error
	// Rule is the ID of the rule or rate limit that decided (see Reason), or "".
	Rule string
	// Rules are the IDs of every rule that acted, in order (aliases the Request's
	// Rules).
	Rules []string
	// Status and Redirect are the block's own status and redirect URL, when the rule
	// that blocked set them (0 and "" otherwise: the configured block page).
	Status   int
	Redirect string
}

// Blocked reports whether the request must not reach the upstream.
func (v Verdict) Blocked() bool { return v.Action == Block }

// ErrInspection wraps any failure inside the inspection path.
var ErrInspection = errors.New("inspection failed")

// Inspect judges r. It never panics: a failure inside a detector is recovered and turned
// into a verdict in the configured fail direction.
func (e *Engine) Inspect(ctx context.Context, r *request.Request) (v Verdict) {
	if e.opts.Mode == ModeOff {
		return Verdict{}
	}
	defer func() {
		if p := recover(); p != nil {
			v = e.failed(fmt.Errorf("%w: %v", ErrInspection, p))
		}
	}()
	if err := ctx.Err(); err != nil {
		return e.failed(fmt.Errorf("%w: %w", ErrInspection, err))
	}
	parse.Fill(r, e.opts.Limits)
	oversize := e.anomalies(r)
	if !oversize && !r.Flags.Has(request.FlagMessageSkipped) {
		// Over a limit, the request is not inspected (decide blocks it or passes it on
		// with its OVERSIZE signal, as limits.on_exceed says); a WebSocket message judged
		// without its payload has nothing to inspect, only rules and state to answer.
		detect.Inspect(r)
	}
	r.RedactSecrets()
	return e.decide(ctx, r, oversize) // rules, state, verdict: decide.go
}

func (e *Engine) failed(err error) Verdict {
	v := Verdict{Reason: ReasonError, Err: err}
	if !e.opts.FailOpen && e.opts.Mode == ModeBlock {
		v.Action = Block
	}
	return v
}

// malformedAt is the MALFORMED-DATA signal of r, placed: the first query or form pair
// the parser found an invalid percent escape in (Param.Malformed), a multipart body, or
// the Content-Encoding header of a body that did not decode.
func malformedAt(r *request.Request) request.Signal {
	s := request.Signal{Name: detect.MALFORMEDDATA}
	for i := range r.Params {
		if p := &r.Params[i]; p.Malformed {
			s.Source, s.Param = p.Source, p.Name
			return s
		}
	}
	if r.Header("Content-Encoding") != "" {
		s.Source, s.Param = request.SourceHeader, "Content-Encoding"
	} else if ct := strings.TrimSpace(r.ContentType); len(ct) >= 10 && strings.EqualFold(ct[:10], "multipart/") {
		s.Source = request.SourceBody
	}
	return s
}

// anomalies turns the parser's and the proxies' flags into anomaly signals and reports
// whether a limit was exceeded. Each signal says where, when there is a where:
//
//   - OVERSIZE: one signal per limit reached, its fragment naming the limit and its
//     value ("limit: params (2048)"); the source is the part over it (body for
//     body_bytes, header for header_bytes, message for ws_message_bytes, json or message
//     for depth) and none for params, a limit on the request as a whole;
//   - JSON-ERROR, XML-ERROR: body, or message for a WebSocket message;
//   - MALFORMED-DATA: the query or form value with an invalid percent escape, the
//     Content-Encoding header of a body that does not decode, or body for a multipart
//     body;
//   - NO-CONTENT-TYPE: the Content-Type header (missing, as NOUA names User-Agent);
//   - NOTUTF8: each parameter whose value is not valid UTF-8.
func (e *Engine) anomalies(r *request.Request) (oversize bool) {
	lim := e.opts.Limits
	over := func(flag request.Flags, src request.Source, limit string, n int64) {
		if !r.Flags.Has(flag) {
			return
		}
		frag := "limit: " + limit
		if n > 0 {
			frag += " (" + strconv.FormatInt(n, 10) + ")"
		}
		r.AddSignal(request.Signal{Name: detect.OVERSIZE, Source: src, Fragment: frag})
		oversize = true
	}
	// What the parser read: the body, or a WebSocket message (as parse.Fill decides).
	body, deep := request.SourceBody, request.SourceJSON
	if r.Protocol == request.ProtocolWebSocket && r.Message != nil {
		body, deep = request.SourceMessage, request.SourceMessage
	}
	depth := lim.Depth
	if depth <= 0 || depth > parse.HardDepth {
		depth = parse.HardDepth // as the parser reads it
	}
	over(request.FlagBodyTruncated, request.SourceBody, "body_bytes", int64(lim.BodyBytes))
	over(request.FlagHeadersTooLarge, request.SourceHeader, "header_bytes", int64(e.opts.HeaderBytes))
	over(request.FlagMessageTooLarge, request.SourceMessage, "ws_message_bytes", e.opts.MessageBytes)
	over(request.FlagTooManyParams, request.SourceNone, "params", int64(lim.Params))
	over(request.FlagTooDeep, deep, "depth", int64(depth))

	if r.Flags.Has(request.FlagJSONError) {
		r.AddSignal(request.Signal{Name: detect.JSONERROR, Source: body})
	}
	if r.Flags.Has(request.FlagXMLError) {
		r.AddSignal(request.Signal{Name: detect.XMLERROR, Source: body})
	}
	if r.Flags.Has(request.FlagMalformed) {
		r.AddSignal(malformedAt(r))
	}
	if r.Flags.Has(request.FlagNoContentType) {
		r.AddSignal(request.Signal{Name: detect.NOCONTENTTYPE, Source: request.SourceHeader, Param: "Content-Type"})
	}
	if r.Flags.Has(request.FlagNotUTF8) {
		found := false
		for i := range r.Params {
			p := &r.Params[i]
			if !utf8.ValidString(p.Value) {
				r.AddSignal(request.Signal{Name: detect.NOTUTF8, Source: p.Source, Param: p.Name})
				found = true
			}
		}
		if !found {
			r.AddSignal(request.Signal{Name: detect.NOTUTF8})
		}
	}
	if r.Flags.Has(request.FlagUnknownEncoding) {
		r.AddSignal(request.Signal{Name: detect.HTTPANOMALY, Source: request.SourceHeader, Param: "Content-Encoding",
			Fragment: "body not decoded: " + cut(r.Header("Content-Encoding"), 40)})
	}
	return oversize
}

// cut returns s, or its first n bytes (on a rune boundary) when it is longer.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func hasAttack(signals []request.Signal) bool {
	for i := range signals {
		if detect.IsAttack(signals[i].Name) {
			return true
		}
	}
	return false
}

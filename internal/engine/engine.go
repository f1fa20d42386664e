package engine

import (
	"context"
	"errors"
	"fmt"

	"github.com/rampartwaf/rampart/internal/detect"
	"github.com/rampartwaf/rampart/internal/parse"
	"github.com/rampartwaf/rampart/internal/request"
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
}

// Engine judges Requests. It is immutable and safe for concurrent use.
type Engine struct {
	opts Options
}

// New builds an Engine.
func New(opts Options) (*Engine, error) {
	if opts.Mode > ModeOff {
		return nil, fmt.Errorf("engine: unknown mode %d", opts.Mode)
	}
	return &Engine{opts: opts}, nil
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
	ReasonNone    Reason = iota // nothing found, or mode off
	ReasonSignals               // attack signals
	ReasonLimit                 // a limit was exceeded and on_exceed is block
	ReasonError                 // inspection failed (see Verdict.Err)
	ReasonRule                  // a rule decided
)

// String names the reason as events show it: "signals", "limit", "error", "rule", or ""
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
	case v.Reason != ReasonNone:
		return DecisionLog
	}
	return DecisionAllow
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
	if anomalies(r) {
		// Over a limit: the request is not inspected. It is blocked, or passed on with
		// its OVERSIZE signal, as limits.on_exceed says.
		v = Verdict{Reason: ReasonLimit, Signals: r.Signals}
		if !e.opts.PassOversize && e.opts.Mode == ModeBlock {
			v.Action = Block
		}
		return v
	}
	detect.Inspect(r)
	r.RedactSecrets()
	v = Verdict{Signals: r.Signals}
	if hasAttack(r.Signals) {
		// The reason is recorded in every mode, so log mode can say what it would have
		// blocked; only block mode acts on it.
		v.Reason = ReasonSignals
		if e.opts.Mode == ModeBlock {
			v.Action = Block
		}
	}
	return v
}

func (e *Engine) failed(err error) Verdict {
	v := Verdict{Reason: ReasonError, Err: err}
	if !e.opts.FailOpen && e.opts.Mode == ModeBlock {
		v.Action = Block
	}
	return v
}

// anomalies turns the parser's flags into anomaly signals and reports whether a limit
// was exceeded.
func anomalies(r *request.Request) (oversize bool) {
	const limitFlags = request.FlagBodyTruncated | request.FlagTooManyParams | request.FlagTooDeep |
		request.FlagHeadersTooLarge | request.FlagMessageTooLarge
	if r.Flags&limitFlags != 0 {
		r.AddSignal(request.Signal{Name: detect.OVERSIZE})
		oversize = true
	}
	if r.Flags.Has(request.FlagJSONError) {
		r.AddSignal(request.Signal{Name: detect.JSONERROR})
	}
	if r.Flags.Has(request.FlagXMLError) {
		r.AddSignal(request.Signal{Name: detect.XMLERROR})
	}
	if r.Flags.Has(request.FlagMalformed) {
		r.AddSignal(request.Signal{Name: detect.MALFORMEDDATA})
	}
	if r.Flags.Has(request.FlagNoContentType) {
		r.AddSignal(request.Signal{Name: detect.NOCONTENTTYPE})
	}
	if r.Flags.Has(request.FlagNotUTF8) {
		r.AddSignal(request.Signal{Name: detect.NOTUTF8})
	}
	return oversize
}

func hasAttack(signals []request.Signal) bool {
	for i := range signals {
		if detect.IsAttack(signals[i].Name) {
			return true
		}
	}
	return false
}

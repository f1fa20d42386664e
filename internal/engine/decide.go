package engine

import (
	"context"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rampartwaf/rampart/internal/request"
	"github.com/rampartwaf/rampart/internal/rules"
	"github.com/rampartwaf/rampart/internal/state"
)

// The decision step: after the detectors, in this order,
//
//  1. exclusions remove signals (rules.Policy.Run);
//  2. the other rules, in the order written: tags, logs, rate limits (counted), and the
//     first allow or block rule;
//  3. one call to the state store: the client IP's flag, the rate limits' counters, and,
//     for a request with signals the thresholds count, the threshold counters (which
//     flag the IP when over); a rate limit over its threshold with action tag adds its
//     signals;
//  4. when nothing decided yet, the rules that test those tags (rules.Policy.RunLate):
//     tags, logs and the first block rule; they are left out of step 2, so they cost
//     nothing when no rule tests a rate limit's tag;
//  5. the verdict: a rate limit over its threshold with action block (it came before any
//     deciding rule), else the deciding rule, else a flagged IP, else the limits and the
//     attack signals, as without rules.
//
// An allow rule exempts the request from the later steps: it is neither blocked for a
// flag nor counted towards the thresholds. A threshold of N requests flags the IP at the
// Nth (a rate limit of N lets N through and acts on the next). The mode applies to
// every block: in log mode nothing is blocked and the verdict says what would have been.

// scratch is the per-inspection working memory of the decision step, pooled so the
// step does not allocate.
type scratch struct {
	out   rules.Outcome
	batch state.Batch
}

var scratchPool = sync.Pool{New: func() any {
	return &scratch{out: rules.Outcome{RateLimits: make([]*rules.Rule, 0, 8)}, batch: state.Batch{Hits: make([]state.Hit, 0, 8)}}
}}

// thresholdKeys are the names of the threshold counters and the reasons of the flags
// they set, one per limit, made once per engine.
type thresholdKey struct {
	name, reason string
}

func thresholdKeys(t *rules.Thresholds) []thresholdKey {
	out := make([]thresholdKey, len(t.Limits))
	counted := countedSignals(t.Signals())
	for i, l := range t.Limits {
		out[i] = thresholdKey{
			// One counter per limit, even for two limits of one interval.
			name:   state.ThresholdPrefix + strconv.Itoa(i) + ":" + l.Interval.String(),
			reason: fmt.Sprintf("%d requests with %s in %v", l.Requests, counted, l.Interval),
		}
		if l.Requests < 1 {
			out[i].reason = "threshold"
		}
	}
	return out
}

// countedSignals names the signals the thresholds count, for the reason of a flag:
// "attack signals", "BAD-LOGIN", "attack signals or BAD-LOGIN", "A, B or C".
func countedSignals(names []string) string {
	out := make([]string, 0, len(names))
	for _, n := range names {
		if n == "attack" {
			n = "attack signals"
		}
		out = append(out, n)
	}
	switch len(out) {
	case 0:
		return "signals"
	case 1:
		return out[0]
	}
	return strings.Join(out[:len(out)-1], ", ") + " or " + out[len(out)-1]
}

func (e *Engine) now() time.Time {
	if e.opts.Now != nil {
		return e.opts.Now()
	}
	return time.Now()
}

// decide runs the rules and the state store over r, whose signals the detectors found
// (or that is over a limit, when oversize), and returns the verdict.
func (e *Engine) decide(ctx context.Context, r *request.Request, oversize bool) Verdict {
	pol, st := e.opts.Policy, e.opts.State
	var now time.Time
	if st != nil || pol.Expiring() {
		now = e.now()
	}
	sc := scratchPool.Get().(*scratch)
	defer func() {
		sc.out.Reset()
		clear(sc.batch.Hits[:cap(sc.batch.Hits)])
		sc.batch.Reset(netip.Addr{})
		scratchPool.Put(sc)
	}()
	if e.opts.GeoIP != nil && r.Country == "" && pol.UsesCountry() {
		r.Country = e.opts.GeoIP.Country(r.IP)
	}
	pol.Run(r, now, &sc.out)
	decider := sc.out.Decider
	allowed := decider != nil && decider.Action == rules.ActionAllow

	var limited, rlLog *rules.Rule // a rate limit over that blocks; the last that logs
	var stateErr error
	flagged, counted := false, false
	// fail: open lets through what the store would have had to judge (rate limits,
	// flags), not what the detectors and rules already found: the decision goes on
	// without the state, and the error is recorded. fail: closed blocks.
	failClosed := !e.opts.FailOpen && e.opts.Mode == ModeBlock
	if st != nil {
		th := pol.Thresholds()
		counted = !allowed && th.Enabled && r.IP.IsValid() && th.Counts(r)
		limited, rlLog, flagged, stateErr = e.count(ctx, r, now, sc, counted, true)
		if stateErr != nil && failClosed {
			return e.failedWith(stateErr, r)
		}
	}
	logged := sc.out.Log // the last log rule (or rate limit over, acting as log)
	if rlLog != nil {
		logged = rlLog
	}
	if decider == nil && limited == nil && pol.HasLateRules() {
		before := sc.out.Log
		pol.RunLate(r, now, &sc.out)
		decider = sc.out.Decider
		if sc.out.Log != before {
			logged = sc.out.Log
		}
	}
	if st != nil && stateErr == nil && !counted && !allowed && !flagged {
		if flagged, stateErr = e.countTagged(ctx, r, now, sc); stateErr != nil && failClosed {
			return e.failedWith(stateErr, r)
		}
	}
	if stateErr != nil {
		limited, flagged = nil, false
		if logged == rlLog {
			logged = sc.out.Log
		}
	}
	flagged = flagged && !allowed

	v := Verdict{Signals: r.Signals, Rules: r.Rules}
	switch {
	case limited != nil:
		v.Reason, v.Rule = ReasonRateLimit, limited.ID
		v.Status, v.Redirect = limited.RateLimit.Status, limited.RateLimit.Redirect
		v.Action = Block
	case decider != nil && decider.Action == rules.ActionAllow:
		v.Reason, v.Rule = ReasonAllowed, decider.ID
		return v
	case decider != nil:
		v.Reason, v.Rule = ReasonRule, decider.ID
		v.Status, v.Redirect = decider.Status, decider.Redirect
		v.Action = Block
	case flagged:
		v.Reason = ReasonFlagged
		v.Action = Block
	case oversize:
		// Over a limit: the request was not inspected. It is blocked, or passed on with
		// its OVERSIZE signal, as limits.on_exceed says.
		v.Reason = ReasonLimit
		if !e.opts.PassOversize {
			v.Action = Block
		}
	case hasAttack(r.Signals):
		// The reason is recorded in every mode, so log mode can say what it would have
		// blocked; only block mode acts on it.
		v.Reason = ReasonSignals
		v.Action = Block
	case logged != nil:
		// A log rule (or a rate limit over with action log) matched and nothing blocks:
		// forward, and record an event.
		v.Reason, v.Rule = logReason(logged), logged.ID
	}
	v = e.finish(v, r)
	if stateErr != nil {
		v.Err = stateErr
		if !v.Blocked() {
			v.Reason, v.Rule = ReasonError, ""
		}
	}
	return v
}

// failedWith is the verdict of a failed inspection that keeps what r was found to have.
func (e *Engine) failedWith(err error, r *request.Request) Verdict {
	v := e.failed(err)
	v.Signals, v.Rules = r.Signals, r.Rules
	return v
}

// logReason is the reason of a verdict a log rule or rate limit gives.
func logReason(ru *rules.Rule) Reason {
	if ru.RateLimit != nil {
		return ReasonRateLimit
	}
	return ReasonRule
}

// finish applies the mode to a verdict.
func (e *Engine) finish(v Verdict, r *request.Request) Verdict {
	if e.opts.Mode != ModeBlock {
		v.Action = Allow
	}
	if v.Action != Block {
		v.Status, v.Redirect = 0, ""
	}
	v.Signals, v.Rules = r.Signals, r.Rules
	return v
}

// count makes the one state store call of a request: the rate limits Run collected
// (sc.out.RateLimits), the threshold counters when thresholds is set, and the client
// IP's flag when lookup is set. Rate limits over their threshold act: a tag adds its
// signals; the first one that blocks is returned as limited, the last that logs as
// logged.
func (e *Engine) count(ctx context.Context, r *request.Request, now time.Time, sc *scratch, thresholds, lookup bool) (limited, logged *rules.Rule, flagged bool, err error) {
	st := e.opts.State
	b := &sc.batch
	b.Reset(netip.Addr{})
	if lookup || thresholds {
		b.IP = r.IP
	}
	for _, ru := range sc.out.RateLimits {
		rl := ru.RateLimit
		ip, val, ok := rl.ClientKey(r)
		if !ok {
			continue
		}
		b.Hits = append(b.Hits, state.Hit{
			Key: state.Key{Name: ru.ID, IP: ip, Value: val}, Interval: rl.Interval,
			Limit: rl.Threshold, Hold: rl.Duration, Reason: ru.ID,
		})
	}
	nrl := len(b.Hits)
	if thresholds {
		th := e.opts.Policy.Thresholds()
		for i, l := range th.Limits {
			b.Hits = append(b.Hits, state.Hit{
				// The Nth request flags: the store acts on more than Limit.
				Key: state.Key{Name: e.thKeys[i].name, IP: r.IP}, Interval: l.Interval,
				Limit: l.Requests - 1, FlagFor: th.Duration, Reason: e.thKeys[i].reason,
			})
		}
	}
	if !b.IP.IsValid() && len(b.Hits) == 0 {
		return nil, nil, false, nil
	}
	if err := st.Apply(ctx, now, b); err != nil {
		return nil, nil, false, fmt.Errorf("%w: state store: %w", ErrInspection, err)
	}
	if b.NewFlag && e.opts.OnFlag != nil {
		e.opts.OnFlag(b.Flag, r)
	}
	// Rate limits over their threshold act, in order.
	k := 0
	for _, ru := range sc.out.RateLimits {
		if _, _, ok := ru.RateLimit.ClientKey(r); !ok {
			continue
		}
		h := &b.Hits[k]
		k++
		if k > nrl || !h.Over {
			continue
		}
		r.Rules = append(r.Rules, ru.ID)
		switch ru.RateLimit.Action {
		case rules.ActionTag:
			for _, t := range ru.RateLimit.Tags {
				r.AddSignal(request.Signal{Name: t})
			}
		case rules.ActionLog:
			logged = ru
		case rules.ActionBlock:
			if limited == nil {
				limited = ru
			}
		}
	}
	return limited, logged, b.Flag.Active(), nil
}

// countTagged counts r towards the thresholds when a rate limit's tag (added by count)
// made it count: a second store call, only in that case.
func (e *Engine) countTagged(ctx context.Context, r *request.Request, now time.Time, sc *scratch) (flagged bool, err error) {
	th := e.opts.Policy.Thresholds()
	if !th.Enabled || !r.IP.IsValid() || !th.Counts(r) {
		return false, nil
	}
	sc.out.RateLimits = sc.out.RateLimits[:0]
	_, _, flagged, err = e.count(ctx, r, now, sc, true, false)
	return flagged, err
}

// HasResponseRules reports whether some rule tests response.status: the HTTP proxy then
// calls InspectResponse once the upstream answered.
func (e *Engine) HasResponseRules() bool {
	return e.opts.Mode != ModeOff && e.opts.Policy.HasResponseRules()
}

// InspectResponse runs the rules that test response.status on r, the request Inspect
// judged as prior, now that the upstream answered with status: tags, logs, rate limits
// (counted), and block rules. A request an allow rule let through, or that was blocked,
// is left alone. A tag it adds that the thresholds count makes the request count
// towards them, if it did not already. The verdict blocks when a response rule (or a
// rate limit over its threshold) blocks: the proxy then sends the block page instead of
// the upstream's answer.
func (e *Engine) InspectResponse(ctx context.Context, r *request.Request, status int, prior Verdict) (v Verdict) {
	if !e.HasResponseRules() || prior.Reason == ReasonAllowed || prior.Blocked() {
		return Verdict{Signals: r.Signals, Rules: r.Rules}
	}
	defer func() {
		if p := recover(); p != nil {
			v = e.failed(fmt.Errorf("%w: %v", ErrInspection, p))
		}
	}()
	pol := e.opts.Policy
	r.ResponseStatus = status
	now := e.now()
	sc := scratchPool.Get().(*scratch)
	defer func() {
		sc.out.Reset()
		clear(sc.batch.Hits[:cap(sc.batch.Hits)])
		sc.batch.Reset(netip.Addr{})
		scratchPool.Put(sc)
	}()
	th := pol.Thresholds()
	countedBefore := th.Enabled && th.Counts(r)
	pol.RunResponse(r, now, &sc.out)
	var limited, rlLog *rules.Rule
	count := false
	if e.opts.State != nil {
		count = !countedBefore && th.Enabled && r.IP.IsValid() && th.Counts(r)
		var err error
		if limited, rlLog, _, err = e.count(ctx, r, now, sc, count, false); err != nil {
			return e.failed(err)
		}
	}
	logged := sc.out.Log
	if rlLog != nil {
		logged = rlLog
	}
	if sc.out.Decider == nil && limited == nil && pol.HasResponseLateRules() {
		before := sc.out.Log
		pol.RunResponseLate(r, now, &sc.out)
		if sc.out.Log != before {
			logged = sc.out.Log
		}
	}
	if e.opts.State != nil && !count && !countedBefore {
		if _, err := e.countTagged(ctx, r, now, sc); err != nil {
			return e.failed(err)
		}
	}
	v = Verdict{}
	switch d := sc.out.Decider; {
	case limited != nil:
		v.Reason, v.Rule, v.Action = ReasonRateLimit, limited.ID, Block
		v.Status, v.Redirect = limited.RateLimit.Status, limited.RateLimit.Redirect
	case d != nil:
		v.Reason, v.Rule, v.Action = ReasonRule, d.ID, Block
		v.Status, v.Redirect = d.Status, d.Redirect
	case logged != nil:
		v.Reason, v.Rule = logReason(logged), logged.ID
	}
	return e.finish(v, r)
}

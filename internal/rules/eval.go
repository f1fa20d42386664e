package rules

import (
	"net/netip"
	"time"
	"unsafe"

	"github.com/rampartwaf/rampart/internal/request"
)

// Outcome is what Run decided. The caller owns it and may reuse it (Reset keeps the
// capacity of RateLimits), so Run does not allocate.
type Outcome struct {
	// Decider is the allow or block rule that decided, or nil.
	Decider *Rule
	// RateLimits are the rate limits whose conditions held, in order, before the
	// decider: the caller counts them in the state store and acts on those over their
	// threshold.
	RateLimits []*Rule
	// Log is the last log rule that matched, or nil.
	Log *Rule
}

// Reset clears o for reuse.
func (o *Outcome) Reset() {
	o.Decider, o.Log = nil, nil
	o.RateLimits = o.RateLimits[:0]
}

// Run evaluates the policy on r, whose signals the detectors already found:
//
//  1. every exclusion whose conditions hold removes its signals;
//  2. then the other rules, in the order written: a tag adds its signals (seen by the
//     rules after it), a log rule is recorded, a rate limit is collected in
//     out.RateLimits for the caller to count, and the first allow or block rule decides
//     and ends the run.
//
// The rules that test a tag a rate limit adds are left out: the caller runs them with
// RunLate once it counted the rate limits. Every rule that acted has its ID appended to
// r.Rules. now is used only for rules with an expiry (see Expiring). Run does not
// allocate unless r's slices must grow.
func (p *Policy) Run(r *request.Request, now time.Time, out *Outcome) {
	if p == nil {
		return
	}
	for _, ru := range p.exclusions {
		if !ru.active(now) || !ru.when.eval(r) {
			continue
		}
		if ru.exclude(r) {
			r.Rules = append(r.Rules, ru.ID)
		}
	}
	runRules(p.rules, r, now, out)
}

// RunLate evaluates the rules that test a tag a rate limit adds (and the rules that
// test their tags), in the order written, once the caller counted the rate limits Run
// collected and added the tags of those over their threshold: a tag adds its signals, a
// log rule is recorded, and the first block rule decides (out.Decider). Such a rule
// cannot allow nor be a rate limit (refused at load time). The caller runs it only when
// Run and the rate limits left the request undecided.
func (p *Policy) RunLate(r *request.Request, now time.Time, out *Outcome) {
	if p == nil {
		return
	}
	runRules(p.late, r, now, out)
}

// RunResponseLate is RunLate for the rules on the response: those that test a tag a
// rate limit on the response adds, run once the caller counted the rate limits
// RunResponse collected.
func (p *Policy) RunResponseLate(r *request.Request, now time.Time, out *Outcome) {
	if p == nil {
		return
	}
	runRules(p.responseLate, r, now, out)
}

// runRules evaluates rules in order: a tag adds its signals, a log rule is recorded, a
// rate limit is collected in out.RateLimits, and the first allow or block rule decides
// (out.Decider) and ends the run.
func runRules(rules []*Rule, r *request.Request, now time.Time, out *Outcome) {
	for _, ru := range rules {
		if !ru.active(now) || !ru.when.eval(r) {
			continue
		}
		switch ru.Action {
		case ActionTag:
			for _, t := range ru.Tags {
				r.AddSignal(request.Signal{Name: t})
			}
			r.Rules = append(r.Rules, ru.ID)
		case ActionLog:
			out.Log = ru
			r.Rules = append(r.Rules, ru.ID)
		case ActionRateLimit:
			out.RateLimits = append(out.RateLimits, ru)
		case ActionAllow, ActionBlock:
			out.Decider = ru
			r.Rules = append(r.Rules, ru.ID)
			return
		}
	}
}

// RunResponse evaluates the rules that test response.status, in the order written, once
// the upstream answered (r.ResponseStatus is set): a tag adds its signals, a log rule is
// recorded, a rate limit is collected in out.RateLimits, and the first block rule
// decides (out.Decider). Those that test the tag of a rate limit on the response are
// left to RunResponseLate. Run must have run on r first.
func (p *Policy) RunResponse(r *request.Request, now time.Time, out *Outcome) {
	if p == nil {
		return
	}
	runRules(p.response, r, now, out) // allow is refused on response rules at load time
}

// exclude removes the rule's signals from r, in place, and reports whether it removed
// any.
func (ru *Rule) exclude(r *request.Request) bool {
	kept := r.Signals[:0]
	removed := false
	for _, s := range r.Signals {
		if ru.excludes(&s) {
			removed = true
			continue
		}
		kept = append(kept, s)
	}
	clear(r.Signals[len(kept):])
	r.Signals = kept
	return removed
}

func (ru *Rule) excludes(s *request.Signal) bool {
	if ru.exSignals != nil {
		found := false
		for _, n := range ru.exSignals {
			if n == s.Name {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	if ru.exParams == nil {
		return true
	}
	if s.Param == "" {
		return false
	}
	for i := range ru.exParams {
		if ru.exParams[i].match(s.Param) {
			return true
		}
	}
	return false
}

// ClientKey returns what a rate limit counts requests by: the client IP, or the value
// of the named header, cookie or parameter (ok is false when the request has none, and
// then it is not counted).
func (rl *RateLimit) ClientKey(r *request.Request) (ip netip.Addr, value string, ok bool) {
	switch rl.client {
	case clientIP:
		return r.IP, "", r.IP.IsValid()
	case clientHeader:
		for i := range r.Headers {
			if equalFold(r.Headers[i].Name, rl.clientName) && r.Headers[i].Value != "" {
				return netip.Addr{}, r.Headers[i].Value, true
			}
		}
	case clientCookie:
		for i := range r.Params {
			p := &r.Params[i]
			if p.Source == request.SourceCookie && p.Name == rl.clientName && p.Value != "" {
				return netip.Addr{}, p.Value, true
			}
		}
	case clientParam:
		for i := range r.Params {
			p := &r.Params[i]
			if isParamSource(p.Source) && !p.Key && p.Name == rl.clientName && p.Value != "" {
				return netip.Addr{}, p.Value, true
			}
		}
	}
	return netip.Addr{}, "", false
}

// Counts reports whether r counts towards the thresholds: it has a signal they count.
func (t *Thresholds) Counts(r *request.Request) bool {
	for i := range r.Signals {
		n := r.Signals[i].Name
		if t.attack && isAttack(n) || t.signals[n] {
			return true
		}
	}
	return false
}

// Matches reports whether the rule's conditions hold for r (its action aside).
func (ru *Rule) Matches(r *request.Request) bool { return ru.when.eval(r) }

func isParamSource(s request.Source) bool {
	switch s {
	case request.SourceQuery, request.SourceForm, request.SourceMultipart, request.SourceJSON,
		request.SourceXML, request.SourceMessage:
		return true
	}
	return false
}

// eval reports whether the condition holds; a nil condition always does.
func (c *cond) eval(r *request.Request) bool {
	if c == nil {
		return true
	}
	switch c.kind {
	case CondAll:
		for i := range c.kids {
			if !c.kids[i].eval(r) {
				return false
			}
		}
		return true
	case CondAny:
		for i := range c.kids {
			if c.kids[i].eval(r) {
				return true
			}
		}
		return false
	case CondNot:
		return !c.kids[0].eval(r)
	}
	return c.holds(r) != c.neg
}

// holds evaluates a leaf's positive operator: true when some value of the field
// satisfies it (for exists, when the field has a value).
func (c *cond) holds(r *request.Request) bool {
	switch c.field {
	case fScheme:
		return c.single(r.Scheme)
	case fMethod:
		return c.single(r.Method)
	case fHost:
		return c.single(r.RuleHost())
	case fPath:
		return c.single(r.RulePath())
	case fURI:
		return c.single(r.URI)
	case fCountry:
		return c.single(r.Country)
	case fUserAgent:
		return c.single(r.UserAgent)
	case fProtocol:
		return c.single(r.Protocol.String())
	case fBody:
		b := r.Body
		if r.Protocol == request.ProtocolWebSocket {
			b = r.Message
		}
		// The body is only read here, never kept: a string view saves a copy.
		return c.single(unsafe.String(unsafe.SliceData(b), len(b)))
	case fIP:
		return c.testIP(r.IP)
	case fResponseStatus:
		if r.ResponseStatus <= 0 {
			return false
		}
		return c.op == opExists || c.testNum(int64(r.ResponseStatus))
	case fWSOpcode:
		if r.Protocol != request.ProtocolWebSocket || r.MessageIndex <= 0 {
			return false
		}
		return c.single(opcodeName(r.Opcode))
	case fWSIndex:
		if r.Protocol != request.ProtocolWebSocket || r.MessageIndex <= 0 {
			return false
		}
		return c.op == opExists || c.testNum(int64(r.MessageIndex))
	case fHeader:
		for i := range r.Headers {
			h := &r.Headers[i]
			if c.nameOK(h.Name) && c.test(h.Value) {
				return true
			}
		}
		return false
	case fQuery:
		if !c.hasName {
			return c.single(r.RawQuery)
		}
		return c.params(r, func(s request.Source) bool { return s == request.SourceQuery })
	case fCookie:
		return c.params(r, func(s request.Source) bool { return s == request.SourceCookie })
	case fParam:
		return c.params(r, isParamSource)
	case fSignal:
		for i := range r.Signals {
			if c.test(r.Signals[i].Name) {
				return true
			}
		}
		return false
	}
	return false
}

// opcodeName is how rules name a WebSocket message's opcode.
func opcodeName(op uint8) string {
	switch op {
	case 1:
		return "text"
	case 2:
		return "binary"
	}
	return ""
}

func (c *cond) params(r *request.Request, src func(request.Source) bool) bool {
	for i := range r.Params {
		p := &r.Params[i]
		if p.Key || !src(p.Source) || !c.nameOK(p.Name) {
			continue
		}
		if c.test(p.Value) {
			return true
		}
	}
	return false
}

// nameOK reports whether a header, cookie or parameter name is one the condition is
// about.
func (c *cond) nameOK(n string) bool {
	switch {
	case c.nameGlob != nil:
		return c.nameGlob.match(n)
	case !c.hasName:
		return true
	case c.nameFold:
		return equalFold(n, c.name)
	}
	return n == c.name
}

// single tests a field that has one value: for exists, a value that is not empty.
func (c *cond) single(v string) bool {
	if c.op == opExists {
		return v != ""
	}
	return c.test(v)
}

// test applies the positive operator to one value.
func (c *cond) test(v string) bool {
	switch c.op {
	case opExists:
		return true
	case opEquals:
		if c.fold {
			return equalFold(v, c.str)
		}
		return v == c.str
	case opContains:
		if c.fold {
			return indexFold(v, c.str) >= 0
		}
		return indexString(v, c.str) >= 0
	case opStartsWith:
		if len(v) < len(c.str) {
			return false
		}
		if c.fold {
			return equalFold(v[:len(c.str)], c.str)
		}
		return v[:len(c.str)] == c.str
	case opEndsWith:
		if len(v) < len(c.str) {
			return false
		}
		if c.fold {
			return equalFold(v[len(v)-len(c.str):], c.str)
		}
		return v[len(v)-len(c.str):] == c.str
	case opLike:
		return c.glob.match(v)
	case opMatches:
		return c.re.MatchString(v)
	case opInList:
		return c.list.hasString(v, c.fold)
	case opGE, opLE:
		n, ok := parseInt(v)
		return ok && c.testNum(n)
	}
	return false
}

func (c *cond) testNum(n int64) bool {
	switch c.op {
	case opEquals:
		return n == c.num
	case opGE:
		return n >= c.num
	case opLE:
		return n <= c.num
	}
	return false
}

func (c *cond) testIP(a netip.Addr) bool {
	if !a.IsValid() {
		return false
	}
	a = a.Unmap()
	switch c.op {
	case opEquals:
		return c.prefix.Contains(a)
	case opInList:
		return c.list.hasIP(a)
	}
	return false
}

package rules

import (
	"errors"
	"net/netip"
	"regexp"
	"time"
)

// Sentinel errors: every Problem wraps one of them.
var (
	ErrUnknown   = errors.New("unknown name")   // a field, operator, list, signal or action that does not exist
	ErrType      = errors.New("wrong type")     // a value of the wrong type for its operator
	ErrValue     = errors.New("bad value")      // a value that is not usable (bad regex, bad CIDR, ...)
	ErrNever     = errors.New("never matches")  // conditions that cannot all hold
	ErrDuplicate = errors.New("duplicate name") // two rules with one ID, two lists with one name
)

// Problem is one mistake found by Compile, at the place it was written.
type Problem struct {
	Pos Pos
	Key string // "rules[2].when.all[0].op"
	Msg string // starts with Key
	Err error  // one of the sentinel errors
}

func (p *Problem) Error() string { return p.Msg }
func (p *Problem) Unwrap() error { return p.Err }

// ActionKind is what a rule does.
type ActionKind uint8

// Actions.
const (
	ActionBlock     ActionKind = iota + 1 // block the request or close the WebSocket (1008)
	ActionAllow                           // forward; no later step blocks it
	ActionTag                             // add custom signals
	ActionExclude                         // remove signals
	ActionLog                             // record an event, do not block
	ActionRateLimit                       // count per client; act once over the threshold
)

var actionNames = map[string]ActionKind{
	"block": ActionBlock, "allow": ActionAllow, "tag": ActionTag, "exclude": ActionExclude,
	"log": ActionLog, "rateLimit": ActionRateLimit,
}

// String returns the action's name as written in rules.
func (a ActionKind) String() string {
	for k, v := range actionNames {
		if v == a {
			return k
		}
	}
	return ""
}

// Rule is a compiled rule or rate limit. It is immutable.
type Rule struct {
	ID          string
	Description string
	Pos         Pos
	Action      ActionKind
	Status      int    // block: its own HTTP status, or 0
	Redirect    string // block: redirect there instead of the block page, or ""
	Tags        []string
	// RateLimit is set for a rate limit (Action is then ActionRateLimit).
	RateLimit *RateLimit

	when      *cond // nil: always
	response  bool  // tests response.status
	expires   time.Time
	exSignals []string // exclude: nil means every signal
	exParams  []glob   // exclude: nil means wherever found
}

// RateLimit says how a rate limit counts and what it does once over.
type RateLimit struct {
	Client    string // as written: "ip", "header:X-Api-Key", ...
	Threshold int64  // more than this many in Interval is over
	Interval  time.Duration
	Duration  time.Duration // how long the action holds once over
	Action    ActionKind    // block, tag or log
	Status    int
	Redirect  string
	Tags      []string

	client     clientKind
	clientName string
}

type clientKind uint8

const (
	clientIP clientKind = iota
	clientHeader
	clientCookie
	clientParam
)

// active reports whether the rule applies at now.
func (r *Rule) active(now time.Time) bool {
	return r.expires.IsZero() || now.Before(r.expires)
}

// Thresholds say when a source IP is flagged: more than Requests requests counting
// (see Counts) in Interval, for any of Limits.
type Thresholds struct {
	Enabled  bool
	Duration time.Duration // how long a flag lasts
	Limits   []Limit

	attack  bool            // every attack signal counts
	signals map[string]bool // and these
	names   []string
}

// Limit is one threshold.
type Limit struct {
	Requests int64
	Interval time.Duration
}

// Signals returns the signals that count, as configured ("attack" stands for every
// attack signal).
func (t *Thresholds) Signals() []string { return t.names }

// DefaultThresholds are Fastly's: 50 requests with attack signals in a minute, 350 in
// ten minutes or 1800 in an hour flag the IP for 24 hours.
func DefaultThresholds() Thresholds {
	return Thresholds{
		Enabled:  true,
		Duration: 24 * time.Hour,
		Limits: []Limit{
			{Requests: 50, Interval: time.Minute},
			{Requests: 350, Interval: 10 * time.Minute},
			{Requests: 1800, Interval: time.Hour},
		},
		attack: true,
		names:  []string{"attack"},
	}
}

// Policy is a compiled set of lists, rules, rate limits and thresholds: immutable and
// safe for concurrent use. The zero Policy has no rules and the default thresholds off;
// use Empty for a policy with the default thresholds.
type Policy struct {
	exclusions   []*Rule
	rules        []*Rule // every other rule and rate limit, in order
	late         []*Rule // rules that test a rate limit's tag: run once the rate limits are counted
	response     []*Rule // rules that test response.status: run once the upstream answered
	responseLate []*Rule // and of those, the ones that test the tag of a rate limit among them
	all          []*Rule // every rule, in the order written
	lists        map[string]*list
	tags         map[string]bool
	thresholds   Thresholds
	expiring     bool // some rule has an expiry
	usesCountry  bool // some rule tests country
	spec         Spec
}

// Empty returns a policy without rules and with the default thresholds.
func Empty() *Policy {
	p, _ := Compile(Spec{})
	return p
}

// WithoutThresholds returns a copy of p with the thresholds off.
func (p *Policy) WithoutThresholds() *Policy {
	q := *p
	q.thresholds.Enabled = false
	return &q
}

// Rules returns every rule and rate limit in the order written.
func (p *Policy) Rules() []*Rule { return p.all }

// Thresholds returns the thresholds in force.
func (p *Policy) Thresholds() *Thresholds {
	if p == nil {
		return &Thresholds{}
	}
	return &p.thresholds
}

// Spec returns the rules as they were written.
func (p *Policy) Spec() Spec { return p.spec }

// HasResponseRules reports whether some rule tests response.status (so the proxy must
// call back once the upstream answered).
func (p *Policy) HasResponseRules() bool {
	return p != nil && len(p.response)+len(p.responseLate) > 0
}

// HasLateRules reports whether some rule tests a tag a rate limit adds (so the engine
// calls RunLate once the rate limits are counted).
func (p *Policy) HasLateRules() bool { return p != nil && len(p.late) > 0 }

// HasResponseLateRules reports whether some rule on the response tests a tag a rate
// limit on the response adds (so the engine calls RunResponseLate).
func (p *Policy) HasResponseLateRules() bool { return p != nil && len(p.responseLate) > 0 }

// UsesCountry reports whether some rule tests country (so the engine looks it up).
func (p *Policy) UsesCountry() bool { return p != nil && p.usesCountry }

// Expiring reports whether some rule has an expiry (so Run needs the time).
func (p *Policy) Expiring() bool { return p != nil && p.expiring }

// IsTag reports whether name is a signal some rule adds.
func (p *Policy) IsTag(name string) bool { return p.tags[name] }

// cond is a compiled condition.
type cond struct {
	kind CondKind
	kids []cond

	field field
	op    op
	neg   bool
	fold  bool

	name     string // exact name ("" with hasName false: any)
	hasName  bool
	nameGlob *glob // a name with wildcards
	nameFold bool  // names compared without case (headers)

	str    string // equals, contains, startsWith, endsWith (lower case when fold)
	glob   glob
	re     *regexp.Regexp
	num    int64
	prefix netip.Prefix
	list   *list
}

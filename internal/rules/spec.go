package rules

import "time"

// This file holds the rule language as written: what the config package reads out of
// YAML, with the place of every part, before Compile checks and compiles it. Nothing
// here is checked yet; a zero value means "not given".

// Pos is where something was written: a file (the config file, or one of its
// rules_files), a 1-based line and column.
type Pos struct {
	File      string
	Line, Col int
}

// Spec is every list, rule, rate limit and threshold of a configuration, in the order
// written (rampart.yaml first, then each of its rules_files in turn).
type Spec struct {
	Lists      []ListSpec
	Rules      []RuleSpec // rules: and rate_limits: (a rate limit is a rule whose action is rateLimit)
	Thresholds ThresholdSpec
	// GeoIP says a GeoIP database is configured, so rules may test country.
	GeoIP bool
	// NoMessages says WebSocket messages are not judged (websocket.inspect: false):
	// a rule that holds only on a message can never run. NoMessagesAt is where that was
	// set, for the message ("rampart.yaml:12" or "").
	NoMessages   bool
	NoMessagesAt string
}

// ListSpec is one named list.
type ListSpec struct {
	Name    string
	Pos     Pos // of the name
	Type    string
	TypePos Pos
	Items   []Item
	// File says some items are read from a file (file:). Such a list may be empty for a
	// while (a file another tool writes); an empty list written in place is a mistake.
	File bool
}

// Item is one written value with its place: a list item, a signal or parameter name.
type Item struct {
	Value string
	Pos   Pos
}

// RuleSpec is one rule or rate limit.
type RuleSpec struct {
	Key         string // "rules[3]" or "rate_limits[0]", for messages
	Pos         Pos    // of the rule (its first key)
	ID          string
	IDPos       Pos
	Description string
	Disabled    bool // enabled: false
	Expires     time.Time
	When        *CondSpec // nil: no conditions (allowed for rate limits only)
	Action      ActionSpec
}

// CondKind says what a condition node is.
type CondKind uint8

// Condition kinds.
const (
	CondLeaf CondKind = iota // {field, name, op, value}
	CondAll                  // all: [...]
	CondAny                  // any: [...]
	CondNot                  // not: {...}
)

// CondSpec is a condition: a test on one field, or a group of conditions.
type CondSpec struct {
	Kind CondKind
	Key  string // its key path, for messages
	Pos  Pos

	Field    string
	FieldPos Pos
	Name     string // header, cookie, query or param name; "" when not given
	HasName  bool
	NamePos  Pos
	Op       string
	OpPos    Pos
	Value    string // as written; numbers and booleans are their text
	ValueTag string // the YAML tag of the value: "!!str", "!!int", ...; "" when not given
	ValuePos Pos

	Children []CondSpec // all and any: the conditions; not: exactly one
}

// ActionReported is the Kind of an action whose mistake the reader already reported
// (an action of the wrong shape): Compile says nothing more about it.
const ActionReported = "-"

// ActionSpec is what a rule does when its conditions hold.
type ActionSpec struct {
	Pos  Pos
	Kind string // "block", "allow", "tag", "exclude", "log", "rateLimit"; "" when missing; ActionReported

	Status    int // block: the HTTP status, 0 for the configured one
	StatusPos Pos
	Redirect  string // block: redirect to this URL instead of the block page
	RedirPos  Pos

	Tags []Item // tag: the names

	Signals []Item // exclude: the signals removed (none: all)
	Params  []Item // exclude: only on these parameters (none: wherever found)

	RateLimit *RateLimitSpec // rateLimit
}

// RateLimitSpec counts the requests that match a rule, per client, and acts once a
// client sends more than Threshold in Interval. A duration is given when its Pos has a
// line (so an explicit 0s is told apart from a missing value).
type RateLimitSpec struct {
	Client      string // "ip", "header:NAME", "cookie:NAME", "param:NAME"
	ClientPos   Pos
	Threshold   int64
	ThresholdOK bool // given
	ThreshPos   Pos
	Interval    time.Duration
	IntervalPos Pos
	Duration    time.Duration // not given: the interval
	DurationPos Pos
	Action      ActionSpec // block, tag or log
	// Reported are the values the reader found given but wrong (a duration without a
	// unit, text for a number) and reported: Compile does not call them missing.
	Reported Reported
}

// Reported is a set of values of a rate limit or threshold limit whose mistake the
// reader reported already.
type Reported uint8

// Values of a rate limit (or of a threshold limit: Requests and Interval) that can be
// Reported.
const (
	ReportedThreshold Reported = 1 << iota // threshold (or requests)
	ReportedInterval
	ReportedDuration
)

// ThresholdSpec is the thresholds: section. Unset fields keep the defaults; Duration is
// set when it is not 0 or DurationPos has a line (an explicit 0s, which is a mistake).
type ThresholdSpec struct {
	Set         bool // the section was written
	Pos         Pos
	Enabled     *bool
	Duration    time.Duration
	DurationPos Pos
	Signals     []Item // nil: the default (attack)
	Limits      []LimitSpec
	LimitsSet   bool
}

// LimitSpec is one threshold: Requests in Interval. A value is given when it is not 0
// or its Pos has a line.
type LimitSpec struct {
	Pos         Pos // of the limit
	Requests    int64
	RequestsPos Pos
	Interval    time.Duration
	IntervalPos Pos
	Reported    Reported // ReportedThreshold (for requests), ReportedInterval
}

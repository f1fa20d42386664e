package rules

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/rampartwaf/rampart/internal/detect"
)

func isAttack(name string) bool { return detect.IsAttack(name) }

// Limits of the rule language, checked at load time.
const (
	maxDepth       = 16 // nesting of all/any/not
	maxTagLen      = 64
	maxRuleIDLen   = 128
	defaultBlockRe = 302
)

// The durations the rule language accepts (the config package offers a fix for a
// duration written without a unit only when it is in range).
const (
	MinInterval = time.Second        // a rate limit's or threshold's interval, a rate limit's duration
	MaxInterval = 24 * time.Hour     // a rate limit's or threshold's interval
	MinFlag     = time.Minute        // thresholds.duration
	MaxHold     = 7 * 24 * time.Hour // a rate limit's duration, thresholds.duration
)

// compiler holds the state of one Compile.
type compiler struct {
	problems    []Problem
	lists       map[string]*list
	listSpecs   map[string]*ListSpec // the lists as written, by name
	countryOK   map[string]bool      // lists whose items were checked as countries
	tags        map[string]bool      // every tag some rule adds
	sortedTags  []string             // the keys of tags, sorted (known before any condition)
	ids         map[string]Pos
	geoip       bool               // a GeoIP database is configured
	usesCountry bool               // some rule tests country
	refs        []tagRef           // the tags the rule being compiled tests or removes
	ruleRefs    map[*Rule][]tagRef // every rule's, for the schedule (tags.go)
}

func (c *compiler) report(pos Pos, key string, kind error, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if key != "" {
		msg = key + ": " + msg
	}
	c.problems = append(c.problems, Problem{Pos: pos, Key: key, Msg: msg, Err: kind})
}

// Compile checks every list, rule, rate limit and threshold of spec and compiles them
// into a Policy. It reports every mistake it finds, each at the place it was written;
// the Policy is nil when there is any.
func Compile(spec Spec) (*Policy, []Problem) {
	c := &compiler{
		lists: map[string]*list{}, listSpecs: map[string]*ListSpec{}, countryOK: map[string]bool{},
		tags: map[string]bool{}, ids: map[string]Pos{}, geoip: spec.GeoIP, ruleRefs: map[*Rule][]tagRef{},
	}
	names := map[string]Pos{}
	for i := range spec.Lists {
		ls := &spec.Lists[i]
		key := "lists." + ls.Name
		if first, dup := names[ls.Name]; dup {
			c.report(ls.Pos, key, ErrDuplicate, "a list of this name is already defined at %s", where(first, ls.Pos))
			continue
		}
		names[ls.Name] = ls.Pos
		if l := compileList(ls, key, c.report); l != nil {
			c.lists[ls.Name] = l
			c.listSpecs[ls.Name] = ls
		}
	}
	// Tags are known before the conditions are checked, so that a test on a tag is not
	// taken for an unknown signal; whether the rule can see it is checked once every
	// rule is compiled (schedule).
	for i := range spec.Rules {
		a := &spec.Rules[i].Action
		for _, t := range a.Tags {
			c.tags[t.Value] = true
		}
		if a.RateLimit != nil {
			for _, t := range a.RateLimit.Action.Tags {
				c.tags[t.Value] = true
			}
		}
	}
	c.sortedTags = sortedKeys(c.tags)
	p := &Policy{lists: c.lists, tags: c.tags, spec: spec}
	// The WebSocket settings are the config's, not the rules': they are checked against
	// here and not kept, so a policy compares equal to one from the same rules.
	p.spec.NoMessages, p.spec.NoMessagesAt = false, ""
	for i := range spec.Rules {
		rs := &spec.Rules[i]
		ru := c.rule(rs)
		if ru == nil || rs.Disabled {
			continue
		}
		c.messagesJudged(spec, rs, ru)
		if !ru.expires.IsZero() {
			p.expiring = true
		}
		p.all = append(p.all, ru)
	}
	late := c.schedule(spec, p.all)
	for _, ru := range p.all {
		switch {
		case ru.Action == ActionExclude:
			p.exclusions = append(p.exclusions, ru)
		case ru.response && late[ru]:
			p.responseLate = append(p.responseLate, ru)
		case ru.response:
			p.response = append(p.response, ru)
		case late[ru]:
			p.late = append(p.late, ru)
		default:
			p.rules = append(p.rules, ru)
		}
	}
	p.usesCountry = c.usesCountry
	p.thresholds = c.thresholds(&spec.Thresholds)
	if len(c.problems) > 0 {
		sort.SliceStable(c.problems, func(i, j int) bool {
			a, b := c.problems[i].Pos, c.problems[j].Pos
			if a.File != b.File {
				return a.File < b.File
			}
			if a.Line != b.Line {
				return a.Line < b.Line
			}
			return a.Col < b.Col
		})
		return nil, c.problems
	}
	return p, nil
}

// at is p, or else (when p was not recorded) def.
func at(p, def Pos) Pos {
	if p.Line > 0 {
		return p
	}
	return def
}

// where names a position for "already defined at" messages: the line, and the file
// when it is not the one of the new mistake.
func where(p, from Pos) string {
	if p.File != "" && p.File != from.File {
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	}
	return fmt.Sprintf("line %d", p.Line)
}

func validID(s string) bool {
	if s == "" || len(s) > maxRuleIDLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if !(ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || ch == '-' || ch == '_' || ch == '.') {
			return false
		}
	}
	return true
}

func (c *compiler) rule(rs *RuleSpec) *Rule {
	before := len(c.problems)
	c.refs = nil
	ru := &Rule{ID: rs.ID, Description: rs.Description, Pos: rs.Pos, expires: rs.Expires}
	switch {
	case rs.ID == "":
		c.report(rs.Pos, rs.Key, ErrValue, "a rule needs an id")
	case !validID(rs.ID):
		c.report(rs.IDPos, rs.Key+".id", ErrValue, "id %q: use letters, digits, '-', '_' and '.' (at most %d)", clip(rs.ID), maxRuleIDLen)
	default:
		if first, dup := c.ids[rs.ID]; dup {
			c.report(rs.IDPos, rs.Key+".id", ErrDuplicate, "id %q is already used at %s", rs.ID, where(first, rs.IDPos))
		} else {
			c.ids[rs.ID] = rs.IDPos
		}
	}
	isRate := rs.Action.Kind == "rateLimit"
	if rs.When == nil {
		if !isRate {
			c.report(rs.Pos, rs.Key, ErrValue, "a rule needs conditions (when:)")
		}
	} else {
		ru.when = c.cond(rs.When, 0)
	}
	a := rs.Action
	if a.Pos.Line == 0 {
		a.Pos = rs.Pos // no action: at the rule
	}
	c.action(rs.Key, &a, ru)
	if ru.when != nil && ru.when.uses(fResponseStatus) {
		ru.response = true
		switch ru.Action {
		case ActionExclude:
			c.report(rs.Action.Pos, rs.Key+".action", ErrValue, "an exclusion runs before the upstream answers: it cannot test response.status")
		case ActionAllow:
			c.report(rs.Action.Pos, rs.Key+".action", ErrValue, "a rule that tests response.status runs after the request was forwarded: allow means nothing there (use tag, log, block or a rate limit)")
		}
	}
	if len(c.problems) > before || ru.Action == 0 || ru.RateLimit != nil && ru.RateLimit.Action == 0 {
		return nil // a mistake, reported here or by the reader (ActionReported)
	}
	c.ruleRefs[ru] = c.refs
	return ru
}

func (c *compiler) action(key string, a *ActionSpec, ru *Rule) {
	if a.Kind == ActionReported {
		return
	}
	k, ok := actionNames[a.Kind]
	if !ok {
		if a.Kind == "" {
			c.report(a.Pos, key, ErrValue, "a rule needs an action: block, allow, tag, exclude, log or rateLimit")
			return
		}
		names := []string{"block", "allow", "tag", "exclude", "log", "rateLimit"}
		hint := ""
		if s := Nearest(a.Kind, names); s != "" {
			hint = fmt.Sprintf("; did you mean %q?", s)
		}
		c.report(a.Pos, key+".action", ErrUnknown, "unknown action %q (want block, allow, tag, exclude, log or rateLimit%s)", clip(a.Kind), hint)
		return
	}
	ru.Action = k
	switch k {
	case ActionBlock:
		ru.Status, ru.Redirect = c.block(key+".action.block", a)
	case ActionTag:
		ru.Tags = c.tagNames(key+".action.tag", a)
	case ActionExclude:
		c.exclude(key+".action.exclude", a, ru)
	case ActionRateLimit:
		rk := key // rate_limits[0], whose keys are the rate limit's
		if !strings.HasPrefix(key, "rate_limits") {
			rk = key + ".action.rateLimit"
		}
		ru.RateLimit = c.rateLimit(rk, a.RateLimit, a.Pos)
	}
}

func (c *compiler) block(key string, a *ActionSpec) (int, string) {
	if a.Status != 0 && (a.Status < 300 || a.Status > 599) {
		c.report(a.StatusPos, key+".status", ErrValue, "%d is not a status a block can answer with (want 400-599, or 300-399 with redirect)", a.Status)
	}
	if a.Redirect != "" {
		if !strings.HasPrefix(a.Redirect, "/") && !strings.HasPrefix(a.Redirect, "http://") && !strings.HasPrefix(a.Redirect, "https://") {
			c.report(a.RedirPos, key+".redirect", ErrValue, "redirect %q: want a path (/blocked) or an http(s):// URL", clip(a.Redirect))
		}
		if a.Status != 0 && (a.Status < 300 || a.Status > 399) {
			c.report(a.StatusPos, key+".status", ErrValue, "a redirect needs a 3xx status, not %d (the default is %d)", a.Status, defaultBlockRe)
		}
		if a.Status == 0 {
			return defaultBlockRe, a.Redirect
		}
	} else if a.Status >= 300 && a.Status < 400 {
		c.report(a.StatusPos, key+".status", ErrValue, "status %d is a redirect: give redirect: too, or a 4xx or 5xx status", a.Status)
	}
	return a.Status, a.Redirect
}

func validTag(s string) bool {
	if s == "" || len(s) > maxTagLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if !(ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || ch == '-' || ch == '_' || ch >= 'a' && ch <= 'z') {
			return false
		}
	}
	return true
}

func (c *compiler) tagNames(key string, a *ActionSpec) []string {
	if len(a.Tags) == 0 {
		c.report(a.Pos, key, ErrValue, "tag needs a signal name: action: {tag: NAME}")
		return nil
	}
	out := make([]string, 0, len(a.Tags))
	for i, t := range a.Tags {
		k := key
		if len(a.Tags) > 1 {
			k = item(key, i)
		}
		switch {
		case !validTag(t.Value):
			c.report(t.Pos, k, ErrValue, "tag %q: use letters, digits, '-' and '_' (at most %d), like CHAT-LINK", clip(t.Value), maxTagLen)
		case detect.IsKnown(t.Value):
			c.report(t.Pos, k, ErrValue, "%s is a built-in signal; a tag adds a signal of its own (to block, use action: block)", t.Value)
		default:
			out = append(out, t.Value)
		}
	}
	return out
}

// knownSignal reports whether name is a built-in signal or a tag some rule adds; it
// reports an unknown one with a hint.
func (c *compiler) knownSignal(pos Pos, key, name string) bool {
	if detect.IsKnown(name) || c.tags[name] {
		return true
	}
	c.report(pos, key, ErrUnknown, "unknown signal %q%s", clip(name), c.signalHint(name))
	return false
}

func (c *compiler) signalHint(name string) string {
	known := []string{
		detect.SQLI, detect.XSS, detect.CMDEXE, detect.TRAVERSAL, detect.LOG4J, detect.SSRF, detect.XXE,
		detect.BACKDOOR, detect.CODEINJECTION, detect.NOSQLI, detect.LDAPI, detect.CRLF,
		detect.PROTOTYPEPOLLUTION, detect.SCANNER, detect.NULLBYTE, detect.NOTUTF8, detect.DOUBLEENCODING,
		detect.ABNORMALPATH, detect.MALFORMEDDATA, detect.JSONERROR, detect.XMLERROR, detect.NOCONTENTTYPE,
		detect.NOUA, detect.OVERSIZE,
	}
	for t := range c.tags {
		known = append(known, t)
	}
	sort.Strings(known)
	if s := Nearest(name, known); s != "" {
		return fmt.Sprintf(" (did you mean %q?)", s)
	}
	if detect.IsKnown(strings.ToUpper(name)) {
		return fmt.Sprintf(" (signal names are upper case: %q)", strings.ToUpper(name))
	}
	return " (signals are the built-in ones, like SQLI or XSS, and the tags rules add)"
}

func (c *compiler) exclude(key string, a *ActionSpec, ru *Rule) {
	if len(a.Signals) == 0 && len(a.Params) == 0 {
		c.report(a.Pos, key, ErrValue, "exclude needs signals:, params: or both (signals: [SQLI], params: [q])")
		return
	}
	for i, s := range a.Signals {
		k := item(key+".signals", i)
		if c.knownSignal(s.Pos, k, s.Value) {
			ru.exSignals = append(ru.exSignals, s.Value)
			if c.tags[s.Value] {
				c.refs = append(c.refs, tagRef{name: s.Value, pos: s.Pos, key: k, exact: true, removes: true})
			}
		}
	}
	for i, p := range a.Params {
		if p.Value == "" {
			c.report(p.Pos, item(key+".params", i), ErrValue, "empty parameter name")
			continue
		}
		ru.exParams = append(ru.exParams, newGlob(p.Value, false))
	}
}

func (c *compiler) rateLimit(key string, rs *RateLimitSpec, pos Pos) *RateLimit {
	if rs == nil {
		c.report(pos, key, ErrValue, "rateLimit needs client, threshold and interval")
		return nil
	}
	rl := &RateLimit{Client: rs.Client, Threshold: rs.Threshold, Interval: rs.Interval, Duration: rs.Duration}
	kind, name, _ := strings.Cut(rs.Client, ":")
	switch {
	case rs.Client == "":
		c.report(pos, key, ErrValue, "a rate limit needs a client: ip, header:NAME, cookie:NAME or param:NAME")
	case kind == "ip" && name == "":
		rl.client = clientIP
	case (kind == "header" || kind == "cookie" || kind == "param") && name != "":
		rl.client = map[string]clientKind{"header": clientHeader, "cookie": clientCookie, "param": clientParam}[kind]
		rl.clientName = name
		if kind == "header" {
			rl.clientName = strings.ToLower(name)
		}
	default:
		c.report(rs.ClientPos, key+".client", ErrValue, "unknown client %q (want ip, header:NAME, cookie:NAME or param:NAME)", clip(rs.Client))
	}
	// A value the reader reported (given, but not read) is neither missing nor out of
	// range: its one mistake is said.
	switch {
	case rs.Reported&ReportedThreshold != 0:
	case !rs.ThresholdOK:
		c.report(pos, key, ErrValue, "a rate limit needs a threshold (requests per interval)")
	case rs.Threshold < 1:
		c.report(rs.ThreshPos, key+".threshold", ErrValue, "must be at least 1 (got %d)", rs.Threshold)
	}
	switch {
	case rs.Reported&ReportedInterval != 0:
	case rs.Interval == 0 && rs.IntervalPos.Line == 0:
		c.report(pos, key, ErrValue, "a rate limit needs an interval (like 1m)")
	case rs.Interval < MinInterval || rs.Interval > MaxInterval:
		c.report(rs.IntervalPos, key+".interval", ErrValue, "%v is out of range (%v to %v)", rs.Interval, MinInterval, MaxInterval)
	}
	switch {
	case rs.Reported&ReportedDuration != 0:
	case rl.Duration == 0 && rs.DurationPos.Line == 0:
		rl.Duration = rs.Interval
	case rl.Duration < MinInterval || rl.Duration > MaxHold:
		c.report(rs.DurationPos, key+".duration", ErrValue, "%v is out of range (%v to %v; leave it out to hold for the interval)", rl.Duration, MinInterval, MaxHold)
	}
	a := &rs.Action
	switch a.Kind {
	case ActionReported:
	case "":
		c.report(pos, key, ErrValue, "a rate limit needs an action: block, tag or log")
	case "block":
		rl.Action = ActionBlock
		rl.Status, rl.Redirect = c.block(key+".action.block", a)
	case "tag":
		rl.Action = ActionTag
		rl.Tags = c.tagNames(key+".action.tag", a)
	case "log":
		rl.Action = ActionLog
	default:
		hint := ""
		if s := Nearest(a.Kind, []string{"block", "tag", "log"}); s != "" {
			hint = fmt.Sprintf(" (did you mean %q?)", s)
		}
		c.report(a.Pos, key+".action", ErrUnknown, "a rate limit's action is block, tag or log, not %q%s", clip(a.Kind), hint)
	}
	return rl
}

func (c *compiler) thresholds(ts *ThresholdSpec) Thresholds {
	t := DefaultThresholds()
	if !ts.Set {
		return t
	}
	if ts.Enabled != nil {
		t.Enabled = *ts.Enabled
	}
	if ts.Duration != 0 || ts.DurationPos.Line > 0 {
		if ts.Duration < MinFlag || ts.Duration > MaxHold {
			c.report(ts.DurationPos, "thresholds.duration", ErrValue, "%v is out of range (1m to %v: how long a flag lasts)", ts.Duration, MaxHold)
		}
		t.Duration = ts.Duration
	}
	if ts.Signals != nil {
		t.attack, t.signals, t.names = false, map[string]bool{}, nil
		for i, s := range ts.Signals {
			t.names = append(t.names, s.Value)
			if s.Value == "attack" {
				t.attack = true
				continue
			}
			if c.knownSignal(s.Pos, item("thresholds.signals", i), s.Value) {
				t.signals[s.Value] = true
			}
		}
		if len(ts.Signals) == 0 && t.Enabled {
			c.report(ts.Pos, "thresholds.signals", ErrValue, "no signal counts: give signals (attack, or names), or enabled: false")
		}
	}
	if ts.LimitsSet {
		t.Limits = nil
		for i, l := range ts.Limits {
			k := item("thresholds.limits", i)
			ok := true
			switch {
			case l.Reported&ReportedThreshold != 0:
				ok = false
			case l.Requests == 0 && l.RequestsPos.Line == 0:
				c.report(l.Pos, k, ErrValue, "a limit needs requests: how many requests that count flag the IP (like {requests: 50, interval: 1m})")
				ok = false
			case l.Requests < 1:
				c.report(at(l.RequestsPos, l.Pos), k+".requests", ErrValue, "must be at least 1 (got %d)", l.Requests)
				ok = false
			}
			switch {
			case l.Reported&ReportedInterval != 0:
				ok = false
			case l.Interval == 0 && l.IntervalPos.Line == 0:
				c.report(l.Pos, k, ErrValue, "a limit needs an interval: the window the requests are counted in (like {requests: 50, interval: 1m})")
				ok = false
			case l.Interval < MinInterval || l.Interval > MaxInterval:
				c.report(at(l.IntervalPos, l.Pos), k+".interval", ErrValue, "%v is out of range (%v to %v)", l.Interval, MinInterval, MaxInterval)
				ok = false
			}
			if ok {
				t.Limits = append(t.Limits, Limit{Requests: l.Requests, Interval: l.Interval})
			}
		}
		if len(ts.Limits) == 0 && t.Enabled {
			c.report(ts.Pos, "thresholds.limits", ErrValue, "no limits: give at least one, or enabled: false")
		}
	}
	return t
}

// cond compiles a condition and, for an all group, looks for conditions that cannot
// hold together.
func (c *compiler) cond(cs *CondSpec, depth int) *cond {
	if depth > maxDepth {
		c.report(cs.Pos, cs.Key, ErrValue, "conditions nested deeper than %d", maxDepth)
		return nil
	}
	out := &cond{kind: cs.Kind}
	switch cs.Kind {
	case CondAll, CondAny, CondNot:
		if len(cs.Children) == 0 {
			c.report(cs.Pos, cs.Key, ErrValue, "empty group: give at least one condition")
			return nil
		}
		out.kids = make([]cond, 0, len(cs.Children))
		for i := range cs.Children {
			k := c.cond(&cs.Children[i], depth+1)
			if k == nil {
				continue
			}
			out.kids = append(out.kids, *k)
		}
		if len(out.kids) != len(cs.Children) {
			return nil
		}
		if cs.Kind == CondAll {
			c.never(cs, out)
		}
		return out
	}
	if !c.leaf(cs, out) {
		return nil
	}
	if cs.Kind == CondLeaf && depth == 0 {
		// A lone condition is an all group of one, for the checks.
		c.never(&CondSpec{Kind: CondAll, Children: []CondSpec{*cs}}, &cond{kind: CondAll, kids: []cond{*out}})
	}
	return out
}

// leaf compiles one test on a field.
func (c *compiler) leaf(cs *CondSpec, out *cond) bool {
	key := cs.Key
	if cs.Field == "" {
		c.report(cs.Pos, key, ErrValue, "a condition needs a field (or all:, any:, not:)")
		return false
	}
	f, ok := lookupField(cs.Field)
	if !ok {
		hint := ""
		if s := Nearest(cs.Field, fieldNames()); s != "" {
			hint = fmt.Sprintf(" (did you mean %q?)", s)
		} else {
			hint = " (known fields: " + strings.Join(fieldNames(), ", ") + ")"
		}
		c.report(cs.FieldPos, key+".field", ErrUnknown, "unknown field %q%s", clip(cs.Field), hint)
		return false
	}
	fi := fieldInfos[f]
	out.field = f
	switch f {
	case fCountry:
		if !c.geoip {
			c.report(cs.FieldPos, key+".field", ErrValue, "country needs a GeoIP database: set geoip: {database: FILE.mmdb}")
			return false
		}
		c.usesCountry = true
	}
	switch {
	case fi.names == nameRequired && (!cs.HasName || cs.Name == ""):
		c.report(cs.FieldPos, key, ErrValue, "field %s needs a name (like {field: %s, name: %s, ...})", fi.name, fi.name, exampleName(f))
		return false
	case fi.names == noName && cs.HasName:
		c.report(cs.NamePos, key+".name", ErrValue, "field %s takes no name", fi.name)
		return false
	}
	if cs.HasName {
		out.hasName = true
		out.name = cs.Name
		out.nameFold = f == fHeader
		if out.nameFold {
			out.name = strings.ToLower(cs.Name)
		}
		if strings.ContainsAny(cs.Name, `*?\`) {
			g := newGlob(cs.Name, out.nameFold)
			out.nameGlob = &g
		}
	}
	if cs.Op == "" {
		c.report(cs.Pos, key, ErrValue, "a condition needs an operator (op:)")
		return false
	}
	oi, ok := ops[cs.Op]
	if !ok {
		hint := ""
		if s := Nearest(cs.Op, opNames()); s != "" {
			hint = fmt.Sprintf(" (did you mean %q?)", s)
		}
		c.report(cs.OpPos, key+".op", ErrUnknown, "unknown operator %q%s", clip(cs.Op), hint)
		return false
	}
	out.op, out.neg, out.fold = oi.base, oi.neg, oi.fold
	if !c.opFits(cs, f, oi) {
		return false
	}
	hasValue := cs.ValueTag != ""
	if oi.base == opExists {
		if hasValue {
			c.report(cs.ValuePos, key+".value", ErrValue, "%s takes no value", cs.Op)
			return false
		}
		return true
	}
	if !hasValue {
		c.report(cs.OpPos, key, ErrValue, "%s needs a value", cs.Op)
		return false
	}
	return c.value(cs, f, oi, out)
}

func exampleName(f field) string {
	switch f {
	case fHeader:
		return "X-Api-Key"
	case fCookie:
		return "session"
	}
	return "q"
}

// opFits checks that the operator applies to the field.
func (c *compiler) opFits(cs *CondSpec, f field, oi opInfo) bool {
	fi := fieldInfos[f]
	bad := func(want string) bool {
		c.report(cs.OpPos, cs.Key+".op", ErrType, "%s does not apply to field %s (%s)", cs.Op, fi.name, want)
		return false
	}
	switch fi.kind {
	case kIP:
		if oi.base != opEquals && oi.base != opInList || oi.fold {
			return bad("use equals, doesNotEqual, inList or notInList with an address, a CIDR prefix or an ip list")
		}
	case kNumber:
		switch oi.base {
		case opEquals, opGE, opLE, opExists:
		default:
			return bad("it is a number: use equals, doesNotEqual, greaterEqual, lesserEqual, exists or doesNotExist")
		}
		if oi.fold {
			return bad("it is a number")
		}
	case kString:
		if (oi.base == opGE || oi.base == opLE) && fi.names == noName {
			return bad("greaterEqual and lesserEqual compare numbers: use them on ws.message_index, or on a header, cookie, query or param value")
		}
		if f == fSignal {
			switch oi.base {
			case opEquals, opInList, opExists:
			default:
				return bad("use equals, doesNotEqual, inList, notInList, exists or doesNotExist")
			}
		}
		if f == fProtocol && oi.base != opEquals {
			return bad("use equals or doesNotEqual with http or websocket")
		}
		if f == fWSOpcode && oi.base != opEquals && oi.base != opExists {
			return bad("use equals or doesNotEqual with text or binary")
		}
	}
	return true
}

// value checks and compiles the condition's value.
func (c *compiler) value(cs *CondSpec, f field, oi opInfo, out *cond) bool {
	key := cs.Key + ".value"
	v := cs.Value
	if cs.ValueTag == "!!seq" || cs.ValueTag == "!!map" {
		hint := ""
		if cs.ValueTag == "!!seq" {
			hint = " (for several values, define a list under lists: and use inList)"
		}
		c.report(cs.ValuePos, key, ErrType, "expected one value, got a %s%s", map[string]string{"!!seq": "list", "!!map": "mapping"}[cs.ValueTag], hint)
		return false
	}
	if oi.base == opInList {
		l, ok := c.lists[v]
		if !ok {
			known := make([]string, 0, len(c.lists))
			for n := range c.lists {
				known = append(known, n)
			}
			sort.Strings(known)
			hint := ""
			if s := Nearest(v, known); s != "" {
				hint = fmt.Sprintf(" (did you mean %q?)", s)
			} else if len(known) == 0 {
				hint = " (define it under lists:)"
			}
			c.report(cs.ValuePos, key, ErrUnknown, "unknown list %q%s", clip(v), hint)
			return false
		}
		if (fieldInfos[f].kind == kIP) != (l.typ == listIP) {
			want := "a string, wildcard or regex list"
			if fieldInfos[f].kind == kIP {
				want = "an ip list"
			}
			c.report(cs.ValuePos, key, ErrType, "list %q is a list of type %s; field %s needs %s", v, l.typ, fieldInfos[f].name, want)
			return false
		}
		out.list = l
		ls := c.listSpecs[v]
		if !oi.neg && len(ls.Items) == 0 && !ls.File {
			c.report(cs.ValuePos, key, ErrNever, "list %q has no items, so %s %q never holds", v, cs.Op, v)
			return false
		}
		if f == fCountry && !c.countryList(ls, oi.fold) {
			return false
		}
		if f == fSignal {
			// The tags the list holds, for the schedule.
			for _, t := range c.sortedTags {
				if l.hasString(t, oi.fold) {
					c.refs = append(c.refs, tagRef{name: t, pos: cs.ValuePos, key: key})
				}
			}
		}
		return true
	}
	switch fieldInfos[f].kind {
	case kIP:
		p, err := parseListIP(strings.TrimSpace(v))
		if err != nil {
			c.report(cs.ValuePos, key, ErrValue, "%v", err)
			return false
		}
		out.prefix = p
		return true
	case kNumber:
		n, ok := c.wholeNumber(cs, key)
		if !ok {
			return false
		}
		out.num = n
		return c.inRange(cs, f, oi, n)
	}
	switch oi.base {
	case opGE, opLE:
		n, ok := c.wholeNumber(cs, key)
		if !ok {
			return false
		}
		out.num = n
	case opMatches:
		re, err := regexp.Compile(v)
		if err != nil {
			c.report(cs.ValuePos, key, ErrValue, "%s", regexError(v, err))
			return false
		}
		out.re = re
	case opLike:
		out.glob = newGlob(v, oi.fold)
	default:
		if v == "" && oi.base != opEquals {
			c.report(cs.ValuePos, key, ErrValue, "%s an empty string always holds; use exists", cs.Op)
			return false
		}
		out.str = v
		if oi.fold {
			out.str = strings.ToLower(v)
		}
	}
	switch f {
	case fProtocol:
		if v != "http" && v != "websocket" {
			c.report(cs.ValuePos, key, ErrValue, "protocol is http or websocket, never %q", clip(v))
			return false
		}
	case fWSOpcode:
		if v != "text" && v != "binary" {
			c.report(cs.ValuePos, key, ErrValue, "ws.opcode is text or binary, never %q", clip(v))
			return false
		}
	case fSignal:
		if oi.base != opEquals {
			break
		}
		if !c.knownSignal(cs.ValuePos, key, v) {
			return false
		}
		if !oi.fold {
			if c.tags[v] {
				c.refs = append(c.refs, tagRef{name: v, pos: cs.ValuePos, key: key, exact: true})
			}
			break
		}
		for _, t := range c.sortedTags {
			if strings.EqualFold(t, v) {
				c.refs = append(c.refs, tagRef{name: t, pos: cs.ValuePos, key: key, exact: true})
			}
		}
	case fCountry:
		if oi.base != opEquals {
			break
		}
		if why, code := checkCountry(v, oi.fold); why != "" {
			c.report(cs.ValuePos, key, ErrValue, "country %s", countryProblem(v, why, code, ""))
			return false
		}
	case fScheme:
		if oi.base == opEquals && !oi.fold && v != "http" && v != "https" {
			c.report(cs.ValuePos, key, ErrValue, "scheme is http or https, never %q", clip(v))
			return false
		}
	case fPath:
		if (oi.base == opEquals || oi.base == opStartsWith) && !oi.neg && v != "" && v[0] != '/' {
			c.report(cs.ValuePos, key, ErrNever, "a path starts with /, so %s %q never holds", cs.Op, clip(v))
			return false
		}
		if oi.base == opLike && !oi.neg && v != "" && !globMayStartWith(v, '/') {
			c.report(cs.ValuePos, key, ErrNever, "a path starts with /, so %s %q never holds (start the pattern with / or *)", cs.Op, clip(v))
			return false
		}
	}
	return true
}

// countryList checks the items of a list the country field is looked up in (with
// inListIgnoreCase when fold), once per list: each must be a country code, as a test
// with equals must. Patterns of a wildcard list and regex lists are left alone.
func (c *compiler) countryList(ls *ListSpec, fold bool) bool {
	key := ls.Name + map[bool]string{false: "", true: "/fold"}[fold]
	if ok, done := c.countryOK[key]; done {
		return ok
	}
	ok := true
	if t := listTypeNames[ls.Type]; t == listString || t == listWildcard {
		for i, it := range ls.Items {
			if t == listWildcard && strings.ContainsAny(it.Value, `*?\`) {
				continue
			}
			if why, code := checkCountry(it.Value, fold); why != "" {
				c.report(it.Pos, item("lists."+ls.Name+".items", i), ErrValue, "%s",
					countryProblem(it.Value, why, code, "list "+ls.Name+" is tested against country, and "))
				ok = false
			}
		}
	}
	c.countryOK[key] = ok
	return ok
}

// messagesJudged reports a rule that holds only on WebSocket messages (or only on
// binary ones) when they are not judged (spec.NoMessages, spec.NoBinary): it would
// never run. The handshake is an HTTP request (protocol http), so protocol equals
// websocket holds on messages only.
func (c *compiler) messagesJudged(spec Spec, rs *RuleSpec, ru *Rule) {
	if ru.when == nil {
		return
	}
	what := "rule"
	if ru.RateLimit != nil {
		what = "rate limit"
	}
	switch {
	case spec.NoMessages && needs(ru.when, false) == needWS:
		c.report(rs.Pos, rs.Key, ErrNever, "can never match: this %s's conditions hold only on WebSocket messages, and with websocket.inspect: false (%s) no message is judged (a handshake is an HTTP request, protocol http); set websocket: {inspect: true} or remove the %s",
			what, setAt(spec.NoMessagesAt), what)
	}
}

// setAt says where a setting was made: its place, or "the default".
func setAt(at string) string {
	if at == "" {
		return "the default"
	}
	return at
}

// wholeNumber reads the value of a condition that compares numbers: a whole number,
// written as one (100) or quoted ("100": the same number, as a header or parameter
// holds it).
func (c *compiler) wholeNumber(cs *CondSpec, key string) (int64, bool) {
	if n, ok := parseInt(cs.Value); ok && (cs.ValueTag == "!!int" || cs.ValueTag == "!!str") {
		return n, true
	}
	c.report(cs.ValuePos, key, ErrType, "%s compares numbers; %q is not a whole number", cs.Op, clip(cs.Value))
	return 0, false
}

// globMayStartWith reports whether a like pattern can match a string that starts with
// the byte b.
func globMayStartWith(pat string, b byte) bool {
	switch {
	case pat[0] == '*' || pat[0] == '?':
		return true
	case pat[0] == '\\' && len(pat) > 1:
		return pat[1] == b
	}
	return pat[0] == b
}

// inRange reports (and returns false for) a test on a number field that no value of
// the field satisfies: message indexes count from 1, HTTP statuses are 100 to 599.
func (c *compiler) inRange(cs *CondSpec, f field, oi opInfo, n int64) bool {
	var lo, hi int64
	var why string
	switch f {
	case fWSIndex:
		lo, hi, why = 1, 1<<62, "ws.message_index counts the messages of a connection from 1"
	case fResponseStatus:
		lo, hi, why = 100, 599, "response.status is an HTTP status, 100 to 599"
	default:
		return true
	}
	never := false
	if !oi.neg {
		switch oi.base {
		case opEquals:
			never = n < lo || n > hi
		case opGE:
			never = n > hi
		case opLE:
			never = n < lo
		}
	}
	if never {
		c.report(cs.ValuePos, cs.Key+".value", ErrNever, "%s, so %s %d never holds", why, cs.Op, n)
		return false
	}
	return true
}

// never reports the conditions of an all group that cannot hold together. A child
// that is a not: around a test (or around another not) counts as that test negated.
// Within the group:
//
//   - a test beside its own negation (inList office and notInList office);
//   - a child that holds only on HTTP requests (protocol equals http, response.status)
//     beside one that holds only on WebSocket messages (ws.message_index, ws.opcode,
//     protocol equals websocket), looking into nested groups: an any whose every branch
//     needs a WebSocket message needs one too;
//   - bounds from greaterEqual, lesserEqual and equals that leave no number;
//   - on a field with one value per request (path, method, ip...), an equals gives
//     that value (an ip prefix, the range of addresses): every other test on the field
//     is tried on it, and one that fails can never hold beside it.
//
// Each child is reported once, with the condition it contradicts.
func (c *compiler) never(cs *CondSpec, g *cond) {
	n := len(g.kids)
	views := make([]cond, n)
	leaf := make([]bool, n)
	for i := range g.kids {
		views[i], leaf[i] = peel(&g.kids[i])
	}
	done := make([]bool, n)
	report := func(at, a, b int, why string) {
		if done[at] {
			return
		}
		done[at] = true
		ch := &cs.Children[at]
		c.report(ch.Pos, ch.Key, ErrNever, "can never match: %s%s", c.pair(&cs.Children[a], &cs.Children[b]), why)
	}

	// A test beside its negation.
	for i := 0; i < n; i++ {
		for j := i + 1; j < n && leaf[i]; j++ {
			if leaf[j] && views[i].neg != views[j].neg && sameTest(&views[i], &views[j]) {
				report(j, i, j, "")
			}
		}
	}

	// HTTP only beside WebSocket only.
	h, w := -1, -1
	for i := range g.kids {
		switch needs(&g.kids[i], false) {
		case needHTTP:
			if h < 0 {
				h = i
			}
		case needWS:
			if w < 0 {
				w = i
			}
		}
	}
	witness := func(i int) bool { return views[i].op == opEquals && !views[i].neg && !views[i].fold }
	if h >= 0 && w >= 0 && !(leaf[h] && leaf[w] && views[h].field == fProtocol && views[w].field == fProtocol && (witness(h) || witness(w))) {
		// (two tests on protocol, one an equals, are left to the equals below)
		why := ""
		switch {
		case leaf[h] && leaf[w] && views[h].field == fProtocol && views[w].field == fProtocol:
		case leaf[w] && (views[w].field == fWSIndex || views[w].field == fWSOpcode):
			why = fmt.Sprintf(" (%s exists only on WebSocket messages)", fieldInfos[views[w].field].name)
		case leaf[h] && views[h].field == fResponseStatus:
			why = " (a WebSocket message has no response)"
		case !leaf[w]:
			why = fmt.Sprintf(" (%s holds only on WebSocket messages)", groupWhole(&cs.Children[w]))
		default:
			why = fmt.Sprintf(" (%s holds only on HTTP requests)", groupWhole(&cs.Children[h]))
		}
		report(max(h, w), min(h, w), max(h, w), why)
	}

	type bound struct {
		lo, hi     int64
		loOK, hiOK bool
		loAt, hiAt int
	}
	bounds := map[field]*bound{}
	for i := range g.kids {
		if !leaf[i] {
			continue
		}
		k := &views[i]
		fi := fieldInfos[k.field]
		if !fi.single {
			continue
		}
		if (k.field == fWSIndex || k.field == fResponseStatus) && !k.neg && (k.op == opGE || k.op == opLE || k.op == opEquals) {
			b := bounds[k.field]
			if b == nil {
				b = &bound{}
				bounds[k.field] = b
			}
			if k.op != opLE && (!b.loOK || k.num > b.lo) {
				b.lo, b.loOK, b.loAt = k.num, true, i
			}
			if k.op != opGE && (!b.hiOK || k.num < b.hi) {
				b.hi, b.hiOK, b.hiAt = k.num, true, i
			}
			if b.loOK && b.hiOK && b.lo > b.hi {
				report(i, b.loAt, b.hiAt, "")
				delete(bounds, k.field)
			}
			continue
		}
		// An equals on a one-valued field is a witness: try the others on it.
		if k.op != opEquals || k.neg || k.fold || fi.kind == kNumber {
			continue
		}
		for j := range g.kids {
			o := &views[j]
			if j == i || !leaf[j] || o.field != k.field || o.hasName != k.hasName || o.name != k.name {
				continue
			}
			var holds bool
			switch {
			case fi.kind == kIP && k.prefix.Bits() != k.prefix.Addr().BitLen():
				// A prefix is a range of addresses: another equals must overlap it, a
				// doesNotEqual must leave some of it out.
				if o.op != opEquals {
					continue
				}
				if o.neg {
					holds = !(o.prefix.Bits() <= k.prefix.Bits() && o.prefix.Contains(k.prefix.Addr()))
				} else {
					holds = o.prefix.Overlaps(k.prefix)
				}
			case fi.kind == kIP:
				holds = o.testIP(k.prefix.Addr()) != o.neg
			case o.op == opExists:
				holds = (k.str != "") != o.neg
			default:
				holds = o.test(k.str) != o.neg
			}
			if !holds && (j > i || !(o.op == opEquals && !o.neg && !o.fold)) {
				// (two equals that differ are reported once, at the second)
				report(j, i, j, "")
			}
		}
	}
}

// peel returns the test a condition makes, seen through the not: groups around it, and
// whether it is one (false for an all or any group).
func peel(c *cond) (cond, bool) {
	neg := false
	for c.kind == CondNot && len(c.kids) == 1 {
		c = &c.kids[0]
		neg = !neg
	}
	if c.kind != CondLeaf {
		return cond{}, false
	}
	v := *c
	v.neg = v.neg != neg
	return v, true
}

// sameTest reports whether two tests are the same but for their negation.
func sameTest(a, b *cond) bool {
	reText := func(re *regexp.Regexp) string {
		if re == nil {
			return ""
		}
		return re.String()
	}
	return a.field == b.field && a.hasName == b.hasName && a.name == b.name && a.op == b.op && a.fold == b.fold &&
		a.str == b.str && a.num == b.num && a.prefix == b.prefix && a.list == b.list && a.glob.pat == b.glob.pat &&
		reText(a.re) == reText(b.re)
}

// What a condition needs to hold: any request, an HTTP request, or a WebSocket message.
const (
	needAny uint8 = iota
	needHTTP
	needWS
)

// needs says whether a condition (negated when neg) can hold only on HTTP requests or
// only on WebSocket messages. It is sure, not complete: needAny when in doubt.
func needs(c *cond, neg bool) uint8 {
	switch c.kind {
	case CondNot:
		if len(c.kids) != 1 {
			return needAny
		}
		return needs(&c.kids[0], !neg)
	case CondAll, CondAny:
		if (c.kind == CondAll) != neg {
			// Every child holds: one that needs a kind makes the group need it.
			for i := range c.kids {
				if k := needs(&c.kids[i], neg); k != needAny {
					return k
				}
			}
			return needAny
		}
		// Some child holds: the group needs a kind when every child needs it.
		k := needAny
		for i := range c.kids {
			ki := needs(&c.kids[i], neg)
			if ki == needAny || i > 0 && ki != k {
				return needAny
			}
			k = ki
		}
		return k
	}
	positive := c.neg == neg // the operator itself must hold
	switch c.field {
	case fProtocol:
		if positive == (c.str == "websocket") {
			return needWS
		}
		return needHTTP
	case fWSIndex, fWSOpcode:
		// Missing on an HTTP request: only a negative test holds there.
		if positive {
			return needWS
		}
	case fResponseStatus:
		if positive {
			return needHTTP
		}
	}
	return needAny
}

// pair describes two conditions that cannot both hold.
func (c *compiler) pair(a, b *CondSpec) string {
	return fmt.Sprintf("%s and %s cannot both hold", describeCond(a), describeCond(b))
}

// describeCond describes a condition in messages: the test as written, with its line;
// a not: around it; a group by its kind and line.
func describeCond(cs *CondSpec) string {
	switch cs.Kind {
	case CondNot:
		if len(cs.Children) == 1 {
			return "not " + describeCond(&cs.Children[0])
		}
		fallthrough
	case CondAll, CondAny:
		return groupName(cs)
	}
	f := cs.Field
	if cs.HasName {
		f += " " + cs.Name
	}
	s := f + " " + cs.Op
	switch cs.ValueTag {
	case "":
	case "!!int":
		s += " " + cs.Value
	default:
		s += fmt.Sprintf(" %q", clip(cs.Value))
	}
	if cs.Pos.Line > 0 {
		s += fmt.Sprintf(" (line %d)", cs.Pos.Line)
	}
	return s
}

// groupName names a group in messages: "any group (line 12)".
func groupName(cs *CondSpec) string {
	if cs.Pos.Line > 0 {
		return fmt.Sprintf("%s (line %d)", groupKind(cs), cs.Pos.Line)
	}
	return groupKind(cs)
}

// groupWhole says what of a group holds: "every branch of the any group".
func groupWhole(cs *CondSpec) string {
	if cs.Kind == CondAny {
		return "every branch of the any group"
	}
	return "the " + groupKind(cs)
}

func groupKind(cs *CondSpec) string {
	return map[CondKind]string{CondAll: "all", CondAny: "any", CondNot: "not"}[cs.Kind] + " group"
}

// TagNames returns the tags some rule adds, sorted.
func (p *Policy) TagNames() []string { return sortedKeys(p.tags) }

// uses reports whether the condition tests field f anywhere.
func (c *cond) uses(f field) bool {
	if c.kind == CondLeaf {
		return c.field == f
	}
	for i := range c.kids {
		if c.kids[i].uses(f) {
			return true
		}
	}
	return false
}

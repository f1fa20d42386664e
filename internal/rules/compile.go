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
	minInterval    = time.Second
	maxInterval    = 24 * time.Hour
	maxFlagWindow  = 7 * 24 * time.Hour
	maxTagLen      = 64
	maxRuleIDLen   = 128
	defaultBlockRe = 302
)

// compiler holds the state of one Compile.
type compiler struct {
	problems    []Problem
	lists       map[string]*list
	tags        map[string]bool // every tag some rule adds
	ids         map[string]Pos
	geoip       bool // a GeoIP database is configured
	usesCountry bool // some rule tests country
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
	c := &compiler{lists: map[string]*list{}, tags: map[string]bool{}, ids: map[string]Pos{}, geoip: spec.GeoIP}
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
		}
	}
	// Tags are known before the conditions are checked, so a rule may test a tag that
	// a later rule adds (it sees it on requests where that rule ran first... or not at
	// all: see the docs) and an exclusion may remove one.
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
	p := &Policy{lists: c.lists, tags: c.tags, spec: spec}
	for i := range spec.Rules {
		rs := &spec.Rules[i]
		ru := c.rule(rs)
		if ru == nil || rs.Disabled {
			continue
		}
		if !ru.expires.IsZero() {
			p.expiring = true
		}
		p.all = append(p.all, ru)
		if ru.response {
			p.response = append(p.response, ru)
		} else if ru.Action == ActionExclude {
			p.exclusions = append(p.exclusions, ru)
		} else {
			p.rules = append(p.rules, ru)
		}
	}
	c.lateTags(spec, p)
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
	c.action(rs.Key, &rs.Action, ru)
	if ru.when != nil && ru.when.uses(fResponseStatus) {
		ru.response = true
		switch ru.Action {
		case ActionExclude:
			c.report(rs.Action.Pos, rs.Key+".action", ErrValue, "an exclusion runs before the upstream answers: it cannot test response.status")
		case ActionAllow:
			c.report(rs.Action.Pos, rs.Key+".action", ErrValue, "a rule that tests response.status runs after the request was forwarded: allow means nothing there (use tag, log, block or a rate limit)")
		}
	}
	if len(c.problems) > before {
		return nil
	}
	return ru
}

func (c *compiler) action(key string, a *ActionSpec, ru *Rule) {
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
		ru.RateLimit = c.rateLimit(key, a.RateLimit, a.Pos)
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
		if c.knownSignal(s.Pos, item(key+".signals", i), s.Value) {
			ru.exSignals = append(ru.exSignals, s.Value)
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
	if !rs.ThresholdOK {
		c.report(pos, key, ErrValue, "a rate limit needs a threshold (requests per interval)")
	} else if rs.Threshold < 1 {
		c.report(rs.ThreshPos, key+".threshold", ErrValue, "must be at least 1 (got %d)", rs.Threshold)
	}
	switch {
	case rs.Interval == 0:
		c.report(pos, key, ErrValue, "a rate limit needs an interval (like 1m)")
	case rs.Interval < minInterval || rs.Interval > maxInterval:
		c.report(rs.IntervalPos, key+".interval", ErrValue, "%v is out of range (%v to %v)", rs.Interval, minInterval, maxInterval)
	}
	if rl.Duration == 0 {
		rl.Duration = rs.Interval
	} else if rl.Duration < minInterval || rl.Duration > maxFlagWindow {
		c.report(rs.DurationPos, key+".duration", ErrValue, "%v is out of range (%v to %v)", rl.Duration, minInterval, maxFlagWindow)
	}
	a := &rs.Action
	switch a.Kind {
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
	if ts.Duration != 0 {
		if ts.Duration < time.Minute || ts.Duration > maxFlagWindow {
			c.report(ts.DurationPos, "thresholds.duration", ErrValue, "%v is out of range (1m to %v)", ts.Duration, maxFlagWindow)
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
			switch {
			case l.Requests < 1:
				c.report(l.Pos, k+".requests", ErrValue, "must be at least 1 (got %d)", l.Requests)
			case l.Interval < minInterval || l.Interval > maxInterval:
				c.report(l.Pos, k+".interval", ErrValue, "%v is out of range (%v to %v)", l.Interval, minInterval, maxInterval)
			default:
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
		n, ok := parseInt(v)
		if !ok || cs.ValueTag != "!!int" {
			c.report(cs.ValuePos, key, ErrType, "%s compares numbers; %q is not a whole number", cs.Op, clip(v))
			return false
		}
		out.num = n
		return true
	}
	switch oi.base {
	case opGE, opLE:
		n, ok := parseInt(v)
		if !ok || cs.ValueTag != "!!int" {
			c.report(cs.ValuePos, key, ErrType, "%s compares numbers; %q is not a whole number", cs.Op, clip(v))
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
		if oi.base == opEquals && !c.knownSignal(cs.ValuePos, key, v) {
			return false
		}
	case fCountry:
		if oi.base == opEquals && !oi.fold && !(len(v) == 2 && v[0] >= 'A' && v[0] <= 'Z' && v[1] >= 'A' && v[1] <= 'Z') {
			c.report(cs.ValuePos, key, ErrValue, "country %q: countries are ISO codes of two upper-case letters, like FR or US", clip(v))
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
	}
	return true
}

// never reports the conditions of an all group that cannot hold together. Within the
// group, for a field with one value per request (path, method, ip...), an equals gives
// that value: every other condition on the field is tried on it, and one that fails
// can never hold beside it. Bounds from greaterEqual and lesserEqual, exists beside
// doesNotExist, and protocol http beside ws.message_index are checked too.
func (c *compiler) never(cs *CondSpec, g *cond) {
	type bound struct {
		lo, hi     int64
		loOK, hiOK bool
		loAt, hiAt int
	}
	bounds := map[field]*bound{}
	for i := range g.kids {
		k := &g.kids[i]
		if k.kind != CondLeaf {
			continue
		}
		ks := &cs.Children[i]
		fi := fieldInfos[k.field]
		// exists beside doesNotExist, on the same field and name.
		if k.op == opExists && !k.neg {
			for j := range g.kids {
				o := &g.kids[j]
				if o.kind == CondLeaf && o.field == k.field && o.op == opExists && o.neg && o.name == k.name && o.hasName == k.hasName {
					c.report(cs.Children[j].Pos, cs.Children[j].Key, ErrNever, "can never match: %s", c.pair(ks, &cs.Children[j]))
				}
			}
		}
		if k.field == fProtocol && k.op == opEquals && !k.neg && k.str == "http" {
			for j := range g.kids {
				o := &g.kids[j]
				if o.kind == CondLeaf && (o.field == fWSIndex || o.field == fWSOpcode) && !(o.op == opExists && o.neg) {
					c.report(cs.Children[j].Pos, cs.Children[j].Key, ErrNever, "can never match: %s (%s exists only on WebSocket messages)", c.pair(ks, &cs.Children[j]), fieldInfos[o.field].name)
				}
			}
		}
		if k.field == fProtocol && k.op == opEquals && !k.neg && k.str == "websocket" {
			for j := range g.kids {
				o := &g.kids[j]
				if o.kind == CondLeaf && o.field == fResponseStatus && !(o.op == opExists && o.neg) {
					c.report(cs.Children[j].Pos, cs.Children[j].Key, ErrNever, "can never match: %s (a WebSocket message has no response)", c.pair(ks, &cs.Children[j]))
				}
			}
		}
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
				c.report(ks.Pos, ks.Key, ErrNever, "can never match: %s", c.pair(&cs.Children[b.loAt], &cs.Children[b.hiAt]))
				delete(bounds, k.field)
			}
			continue
		}
		// An equals on a one-valued field is a witness: try the others on it.
		if k.op != opEquals || k.neg || k.fold || fi.kind == kNumber {
			continue
		}
		for j := range g.kids {
			o := &g.kids[j]
			if j == i || o.kind != CondLeaf || o.field != k.field || o.hasName != k.hasName || o.name != k.name {
				continue
			}
			var holds bool
			if fi.kind == kIP {
				if k.prefix.Bits() != k.prefix.Addr().BitLen() {
					continue // a prefix is no single value
				}
				holds = o.testIP(k.prefix.Addr()) != o.neg
			} else if o.op == opExists {
				holds = (k.str != "") != o.neg
			} else {
				holds = o.test(k.str) != o.neg
			}
			if !holds && j > i {
				c.report(cs.Children[j].Pos, cs.Children[j].Key, ErrNever, "can never match: %s", c.pair(ks, &cs.Children[j]))
			} else if !holds && j < i && !(o.op == opEquals && !o.neg && !o.fold) {
				c.report(cs.Children[j].Pos, cs.Children[j].Key, ErrNever, "can never match: %s", c.pair(ks, &cs.Children[j]))
			}
		}
	}
}

// pair describes two conditions that cannot both hold.
func (c *compiler) pair(a, b *CondSpec) string {
	return fmt.Sprintf("%s and %s cannot both hold", describeCond(a), describeCond(b))
}

func describeCond(cs *CondSpec) string {
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

// TagNames returns the tags some rule adds, sorted.
func (p *Policy) TagNames() []string {
	out := make([]string, 0, len(p.tags))
	for t := range p.tags {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

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

// lateTags reports the rules that run before the upstream answers but test a signal
// only rules on response.status add: they could never see it.
func (c *compiler) lateTags(spec Spec, p *Policy) {
	early, late := map[string]bool{}, map[string][]string{}
	byID := map[string]*Rule{}
	for _, ru := range p.all {
		byID[ru.ID] = ru
		tags := ru.Tags
		if ru.RateLimit != nil {
			tags = ru.RateLimit.Tags
		}
		for _, t := range tags {
			if ru.response {
				late[t] = append(late[t], ru.ID)
			} else {
				early[t] = true
			}
		}
	}
	if len(late) == 0 {
		return
	}
	for i := range spec.Rules {
		rs := &spec.Rules[i]
		ru := byID[rs.ID]
		if ru == nil || ru.response || rs.When == nil || rs.Disabled {
			continue
		}
		var walk func(cs *CondSpec)
		walk = func(cs *CondSpec) {
			for k := range cs.Children {
				walk(&cs.Children[k])
			}
			if cs.Kind != CondLeaf || cs.Field != "signal" || early[cs.Value] || late[cs.Value] == nil {
				return
			}
			c.report(cs.ValuePos, cs.Key+".value", ErrNever, "signal %s is added only by rules that run after the upstream answered (%s); this rule runs before, so it never sees it (test response.status in this rule too, to run it after)",
				cs.Value, strings.Join(late[cs.Value], ", "))
		}
		walk(rs.When)
	}
}

package rules

import (
	"fmt"
	"sort"
	"strings"
)

// This file decides when each rule runs, from the tags it tests, and reports the rules
// that could never see a tag they test. A tag is seen by what runs after the rule or
// rate limit that adds it; a request goes through these steps, in order:
//
//	exclusions       see no tag: they run first
//	rules            in the order written; each sees the tags of the rules above it
//	rate limits      counted in one state store call; those over their threshold add
//	                 their tags
//	late rules       the rules that test a tag a rate limit adds (or a tag a late rule
//	                 adds), in the order written, once the rate limits are counted
//
// and, once the upstream answered, the same three steps again for the rules that test
// response.status. A rate limit's tag would come too late for a rate limit (counted in
// the same call) or an allow rule (the request was already counted towards the
// thresholds): testing one there is an error, as is an exclusion that tests or removes
// a tag, and a rule that tests a tag only rules after it add.

// tagRef is a tag a rule's conditions test, or that an exclusion removes.
type tagRef struct {
	name    string
	pos     Pos
	key     string
	exact   bool // named (equals, or an exclusion's signals), not found through a list
	removes bool // an exclusion's signals
}

// Steps of a request, in order (see above).
const (
	stepExclusions = iota
	stepRules
	stepRateLimits
	stepLate
	stepResponse
	stepResponseRateLimits
	stepResponseLate
)

// schedule returns the rules that run late (they test a tag a rate limit adds), and
// reports the rules that test a tag they can never see. all is every enabled rule, in
// the order written.
func (c *compiler) schedule(spec Spec, all []*Rule) map[*Rule]bool {
	order := make(map[*Rule]int, len(all))
	adders := map[string][]*Rule{}
	for i, ru := range all {
		order[ru] = i
		for _, t := range ruleTags(ru) {
			adders[t] = append(adders[t], ru)
		}
	}
	// A disabled rule that adds a tag keeps the rules that test it valid: turning a rule
	// off must not make the file fail to load.
	off := map[string]bool{}
	for i := range spec.Rules {
		if rs := &spec.Rules[i]; rs.Disabled {
			for _, t := range rs.Action.Tags {
				off[t.Value] = true
			}
			if rs.Action.RateLimit != nil {
				for _, t := range rs.Action.RateLimit.Action.Tags {
					off[t.Value] = true
				}
			}
		}
	}

	// Late rules, to a fixed point: a rule that tests a tag added by a rate limit of its
	// phase (before or after the upstream answered), or by a late rule of its phase.
	late := map[*Rule]bool{}
	cause := map[*Rule]tagRef{}
	causeBy := map[*Rule]*Rule{}
	for changed := true; changed; {
		changed = false
		for _, ru := range all {
			if late[ru] || ru.Action == ActionExclude {
				continue
			}
			for _, ref := range c.ruleRefs[ru] {
				for _, a := range adders[ref.name] {
					if a.response == ru.response && (a.RateLimit != nil || late[a]) {
						late[ru], cause[ru], causeBy[ru], changed = true, ref, a, true
						break
					}
				}
				if late[ru] {
					break
				}
			}
		}
	}

	step := func(ru *Rule) int {
		switch {
		case ru.Action == ActionExclude:
			return stepExclusions
		case ru.response && late[ru]:
			return stepResponseLate
		case ru.response:
			return stepResponse
		case late[ru]:
			return stepLate
		}
		return stepRules
	}
	// adds is when a tag of a is added: a rate limit's once counted.
	adds := func(a *Rule) int {
		switch {
		case a.RateLimit != nil && a.response:
			return stepResponseRateLimits
		case a.RateLimit != nil:
			return stepRateLimits
		}
		return step(a)
	}
	sees := func(ru, a *Rule) bool {
		s, t := adds(a), step(ru)
		return s < t || s == t && order[a] < order[ru]
	}

	for _, ru := range all {
		if late[ru] {
			ref, a := cause[ru], causeBy[ru]
			switch {
			case ru.RateLimit != nil:
				c.report(ref.pos, ref.key, ErrNever, "a rate limit cannot test signal %s: %s adds it once the rate limits were counted, after this one was (count it in thresholds.signals, or block on it with a rule)",
					ref.name, describeAdder(a, ref.pos))
			case ru.Action == ActionAllow:
				c.report(ref.pos, ref.key, ErrNever, "an allow rule cannot test signal %s: %s adds it once the rate limits were counted, too late to allow the request (it was counted towards the thresholds); test it in a block, tag or log rule",
					ref.name, describeAdder(a, ref.pos))
			}
		}
		for _, ref := range c.ruleRefs[ru] {
			if !ref.exact || off[ref.name] && ru.Action != ActionExclude {
				continue
			}
			seen := false
			for _, a := range adders[ref.name] {
				if sees(ru, a) {
					seen = true
					break
				}
			}
			if !seen {
				c.unseen(ru, ref, adders[ref.name])
			}
		}
	}
	return late
}

// unseen reports a rule that tests (or removes) a tag only rules that run after it add.
func (c *compiler) unseen(ru *Rule, ref tagRef, adders []*Rule) {
	if len(adders) == 0 {
		return
	}
	if ru.Action == ActionExclude {
		if ref.removes {
			c.report(ref.pos, ref.key, ErrNever, "signal %s is a tag, added by %s: exclusions run before every rule, so there is never a %s to remove (put the exclusion's conditions in the rule that adds the tag instead)",
				ref.name, describeAdders(adders, ref.pos), ref.name)
		} else {
			c.report(ref.pos, ref.key, ErrNever, "signal %s is a tag, added by %s: exclusions run before every rule, so this one never sees it (an exclusion sees the detectors' signals only)",
				ref.name, describeAdders(adders, ref.pos))
		}
		return
	}
	same := adders[:0:0]
	for _, a := range adders {
		if a.response == ru.response {
			same = append(same, a)
		}
	}
	if len(same) == 0 {
		if ru.response {
			return // (cannot be: a rule on the response sees every tag added before)
		}
		ids := make([]string, len(adders))
		for i, a := range adders {
			ids[i] = a.ID
		}
		c.report(ref.pos, ref.key, ErrNever, "signal %s is added only by rules that run after the upstream answered (%s); this rule runs before, so it never sees it (test response.status in this rule too, to run it after)",
			ref.name, strings.Join(ids, ", "))
		return
	}
	// Added only by rules written below this one.
	runs := "runs"
	if len(same) > 1 {
		runs = "run"
	}
	c.report(ref.pos, ref.key, ErrNever, "signal %s is added only by %s, which %s after this rule: a rule sees the tags of the rules above it (move this rule below %s)",
		ref.name, describeAdders(same, ref.pos), runs, same[len(same)-1].ID)
}

// ruleTags are the tags a rule adds (a rate limit's, once over its threshold).
func ruleTags(ru *Rule) []string {
	if ru.RateLimit != nil {
		return ru.RateLimit.Tags
	}
	return ru.Tags
}

// describeAdder names a rule that adds a tag, for a message about a rule at from:
// "rule chat-links (line 12)" or "rate limit heavy (line 30)", with the file when it
// is not from's ("rule chat-links (rules.d/chat.yaml:12)").
func describeAdder(a *Rule, from Pos) string {
	what := "rule"
	if a.RateLimit != nil {
		what = "rate limit"
	}
	if a.Pos.Line > 0 {
		return fmt.Sprintf("%s %s (%s)", what, a.ID, where(a.Pos, from))
	}
	return what + " " + a.ID
}

func describeAdders(as []*Rule, from Pos) string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = describeAdder(a, from)
	}
	return strings.Join(out, " and ")
}

// sortedKeys returns the keys of m in order.
func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

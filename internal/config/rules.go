package config

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/rampartwaf/rampart/internal/rules"
)

// This file reads the rule language (lists:, rules:, rate_limits:, thresholds: and
// rules_files:) into a rules.Spec, checking the YAML shape and types with the place of
// every value; rules.Compile then checks what the rules mean (fields, operators, lists,
// signals, conditions that never hold) and its problems are reported here at the line
// they name, in rampart.yaml or in the rules file they came from.

// maxListFileBytes bounds a list file (lists: {NAME: {file: ...}}).
const maxListFileBytes = 64 << 20

// ruleSchema is the top-level keys of the rule language. rules_files names files that
// hold the same keys but thresholds.
func ruleSchema() []field {
	return []field{
		{name: "lists", decode: func(d *decoder, key string, n *yaml.Node, _ *Config) { d.lists(key, n) }},
		{name: "rules", decode: func(d *decoder, key string, n *yaml.Node, _ *Config) { d.rules(key, n, false) }},
		{name: "rate_limits", decode: func(d *decoder, key string, n *yaml.Node, _ *Config) { d.rules(key, n, true) }},
	}
}

// ruleTopFields are the keys of the rule language in the config file.
func ruleTopFields() []field {
	return append(ruleSchema(),
		field{name: "thresholds", decode: func(d *decoder, key string, n *yaml.Node, _ *Config) { d.thresholds(key, n) }},
		field{name: "rules_files", decode: func(d *decoder, key string, n *yaml.Node, _ *Config) { d.rulesFiles(key, n) }},
	)
}

func (d *decoder) pos(n *yaml.Node) rules.Pos {
	return rules.Pos{File: d.file, Line: n.Line, Col: n.Column}
}

// sub walks a mapping with the given fields (see mapping), for sections of the rule
// language that fill a spec rather than the Config.
func (d *decoder) sub(key string, n *yaml.Node, fields []field) bool {
	v := deref(n)
	if v.Kind != yaml.MappingNode {
		d.errorAt(n, key, ErrType, "expected a mapping of keys, got %s", describe(v))
		return false
	}
	d.mapping(key, n, fields, nil)
	return true
}

// anyText reads a scalar of any type as its text (numbers as written).
func (d *decoder) anyText(key string, n *yaml.Node, want string) (string, rules.Pos, bool) {
	s, ok := d.text(key, n, want)
	return s, d.pos(n), ok
}

// items reads a list of scalars.
func (d *decoder) items(key string, n *yaml.Node, want string) []rules.Item {
	v := deref(n)
	if v.Kind == yaml.ScalarNode && !isNull(v) {
		// One value where a list is expected: take it as a list of one.
		return []rules.Item{{Value: v.Value, Pos: d.pos(n)}}
	}
	nodes, ok := d.list(key, n, want)
	if !ok {
		return nil
	}
	out := make([]rules.Item, 0, len(nodes))
	for i, it := range nodes {
		if s, ok := d.text(item(key, i), it, want); ok {
			out = append(out, rules.Item{Value: s, Pos: d.pos(it)})
		}
	}
	return out
}

func (d *decoder) lists(key string, n *yaml.Node) {
	v := deref(n)
	if isNull(v) {
		return
	}
	if v.Kind != yaml.MappingNode {
		d.errorAt(n, key, ErrType, "expected a mapping of list names to lists, like office: {type: ip, items: [203.0.113.0/24]}, got %s", describe(v))
		return
	}
	for i := 0; i+1 < len(v.Content); i += 2 {
		kn, vn := v.Content[i], v.Content[i+1]
		name, ok := d.keyName(key, kn)
		if !ok {
			continue
		}
		lkey := key + "." + name
		ls := rules.ListSpec{Name: name, Pos: d.pos(kn)}
		file := ""
		var fileNode *yaml.Node
		hasItems := false
		ok = d.sub(lkey, vn, []field{
			{name: "type", decode: func(d *decoder, key string, n *yaml.Node, _ *Config) {
				ls.Type, ls.TypePos, _ = d.anyText(key, n, "a list type (ip, string, wildcard or regex)")
			}},
			{name: "items", decode: func(d *decoder, key string, n *yaml.Node, _ *Config) {
				hasItems = true
				ls.Items = append(ls.Items, d.items(key, n, "list items")...)
			}},
			{name: "file", decode: func(d *decoder, key string, n *yaml.Node, _ *Config) {
				file, _ = d.path(key, n)
				fileNode = n
			}},
		})
		if !ok {
			continue
		}
		if fileNode != nil && file != "" {
			ls.File = true
			ls.Items = append(ls.Items, d.listFile(lkey+".file", fileNode, file)...)
		}
		if !hasItems && fileNode == nil {
			d.errorAt(kn, lkey, ErrValue, "a list needs items: or file:")
		}
		d.spec.Lists = append(d.spec.Lists, ls)
	}
}

// listFile reads a list's items from a file: one per line; blank lines and lines
// starting with # are skipped. Each item's place is its line in that file.
func (d *decoder) listFile(key string, n *yaml.Node, name string) []rules.Item {
	data, err := readLimited(name, maxListFileBytes)
	if err != nil {
		d.inputs = append(d.inputs, input{name: name, max: maxListFileBytes})
		d.errorAt(n, key, err, "cannot read %q: %v", name, reason(err))
		return nil
	}
	d.inputs = append(d.inputs, input{name: name, max: maxListFileBytes, sum: sha256.Sum256(data), read: true})
	var out []rules.Item
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		t := strings.TrimSpace(sc.Text())
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		out = append(out, rules.Item{Value: t, Pos: rules.Pos{File: name, Line: line, Col: 1}})
	}
	if err := sc.Err(); err != nil {
		d.errorAt(n, key, ErrValue, "reading %q: %v", name, err)
	}
	return out
}

// place is where the value of key was set, as FILE:LINE, or "" when it was not set in
// the file (a default).
func (d *decoder) place(key string) string {
	o, ok := d.origins[key]
	if !ok || o.line == 0 {
		return ""
	}
	if d.file == "" {
		return fmt.Sprintf("line %d", o.line)
	}
	return fmt.Sprintf("%s:%d", d.file, o.line)
}

// rules reads rules: (or rate_limits: when rate is true).
func (d *decoder) rules(key string, n *yaml.Node, rate bool) {
	nodes, ok := d.list(key, n, "rules")
	if !ok {
		return
	}
	for i, rn := range nodes {
		k := item(key, i)
		r := rules.RuleSpec{Key: k, Pos: d.pos(rn)}
		if rate {
			r.Action = rules.ActionSpec{Kind: "rateLimit", Pos: d.pos(rn), RateLimit: &rules.RateLimitSpec{}}
		}
		fields := []field{
			{name: "id", decode: func(d *decoder, key string, n *yaml.Node, _ *Config) {
				r.ID, r.IDPos, _ = d.anyText(key, n, "a rule id")
			}},
			{name: "description", decode: func(d *decoder, key string, n *yaml.Node, _ *Config) {
				r.Description, _ = d.text(key, n, "text")
			}},
			{name: "enabled", decode: func(d *decoder, key string, n *yaml.Node, _ *Config) {
				if b, ok := d.boolean(key, n); ok {
					r.Disabled = !b
				}
			}},
			{name: "expires", decode: func(d *decoder, key string, n *yaml.Node, _ *Config) {
				r.Expires = d.timestamp(key, n)
			}},
			{name: "when", decode: func(d *decoder, key string, n *yaml.Node, _ *Config) {
				c := d.cond(key, n, 0)
				r.When = &c
			}},
		}
		if rate {
			fields = append(fields, rateLimitFields(r.Action.RateLimit)...)
		} else {
			fields = append(fields, field{name: "action", decode: func(d *decoder, key string, n *yaml.Node, _ *Config) {
				r.Action = d.action(key, n, false)
			}})
		}
		if !d.sub(k, rn, fields) {
			continue
		}
		d.spec.Rules = append(d.spec.Rules, r)
	}
}

// timestamp reads an expiry: a date (2026-12-31, midnight UTC) or a date and time
// (2026-12-31T18:00:00Z, RFC 3339).
func (d *decoder) timestamp(key string, n *yaml.Node) time.Time {
	v, ok := d.scalar(key, n, "a date or time")
	if !ok {
		return time.Time{}
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, strings.TrimSpace(v.Value)); err == nil {
			return t
		}
	}
	d.errorAt(n, key, ErrValue, "bad time %q (write a date like 2026-12-31, or a time like 2026-12-31T18:00:00Z)", clip(v.Value))
	return time.Time{}
}

// cond reads a condition: {field, name, op, value}, or a group {all: [...]},
// {any: [...]}, {not: {...}}.
func (d *decoder) cond(key string, n *yaml.Node, depth int) rules.CondSpec {
	c := rules.CondSpec{Key: key, Pos: d.pos(n)}
	if depth > 32 {
		d.errorAt(n, key, ErrValue, "conditions nested too deep")
		return c
	}
	v := deref(n)
	if v.Kind == yaml.SequenceNode {
		d.errorAt(n, key, ErrType, "expected a condition or a group (all:, any:, not:), got a list (wrap it in all: or any:)")
		return c
	}
	var groups []string
	group := func(kind rules.CondKind) func(d *decoder, key string, n *yaml.Node, _ *Config) {
		return func(d *decoder, key string, n *yaml.Node, _ *Config) {
			groups = append(groups, key)
			c.Kind = kind
			if kind == rules.CondNot {
				c.Children = []rules.CondSpec{d.cond(key, n, depth+1)}
				return
			}
			nodes, ok := d.list(key, n, "conditions")
			if !ok {
				return
			}
			for i, cn := range nodes {
				c.Children = append(c.Children, d.cond(item(key, i), cn, depth+1))
			}
		}
	}
	leaf := false
	scalar := func(set func(s string, p rules.Pos)) func(d *decoder, key string, n *yaml.Node, _ *Config) {
		return func(d *decoder, key string, n *yaml.Node, _ *Config) {
			leaf = true
			if s, ok := d.text(key, n, "text"); ok {
				set(s, d.pos(n))
			}
		}
	}
	if !d.sub(key, n, []field{
		{name: "all", decode: group(rules.CondAll)},
		{name: "any", decode: group(rules.CondAny)},
		{name: "not", decode: group(rules.CondNot)},
		{name: "field", decode: scalar(func(s string, p rules.Pos) { c.Field, c.FieldPos = s, p })},
		{name: "name", decode: scalar(func(s string, p rules.Pos) { c.Name, c.NamePos, c.HasName = s, p, true })},
		{name: "op", decode: scalar(func(s string, p rules.Pos) { c.Op, c.OpPos = s, p })},
		{name: "value", decode: func(d *decoder, key string, n *yaml.Node, _ *Config) {
			leaf = true
			v := deref(n)
			c.ValuePos = d.pos(n)
			switch {
			case v.Kind == yaml.SequenceNode:
				c.ValueTag = "!!seq"
			case v.Kind == yaml.MappingNode:
				c.ValueTag = "!!map"
			case isNull(v):
				d.errorAt(n, key, ErrType, "expected a value, got nothing")
			case v.Kind == yaml.ScalarNode:
				c.Value, c.ValueTag = v.Value, v.ShortTag()
			}
		}},
	}) {
		return c
	}
	switch {
	case len(groups) > 1:
		d.errorAt(n, key, ErrValue, "one group per condition: %s and %s are both set (nest one in the other)", groups[0], groups[1])
	case len(groups) == 1 && leaf:
		d.errorAt(n, key, ErrValue, "a condition is either a group (%s) or a test on a field, not both", groups[0])
	}
	return c
}

// ruleDuration is a key holding a duration from rules.MinInterval to max, stored in
// dst with its position; a value given but wrong adds flag to reported (so that it is
// not also reported missing).
func ruleDuration(name string, max time.Duration, dst *time.Duration, pos *rules.Pos, reported *rules.Reported, flag rules.Reported) field {
	return field{name: name, decode: func(d *decoder, key string, n *yaml.Node, _ *Config) {
		if t, ok := d.duration(key, n, rules.MinInterval, max); ok {
			*dst, *pos = t, d.pos(n)
		} else {
			*reported |= flag
		}
	}}
}

// rateLimitFields are the keys of a rate limit: in rate_limits: (beside id, when, ...)
// and in action: {rateLimit: {...}}.
func rateLimitFields(rl *rules.RateLimitSpec) []field {
	return []field{
		{name: "client", decode: func(d *decoder, key string, n *yaml.Node, _ *Config) {
			rl.Client, rl.ClientPos, _ = d.anyText(key, n, "ip, header:NAME, cookie:NAME or param:NAME")
		}},
		{name: "threshold", decode: func(d *decoder, key string, n *yaml.Node, _ *Config) {
			rl.Threshold, rl.ThresholdOK = d.integer(key, n)
			rl.ThreshPos = d.pos(n)
			if !rl.ThresholdOK {
				rl.Reported |= rules.ReportedThreshold
			}
		}},
		ruleDuration("interval", rules.MaxInterval, &rl.Interval, &rl.IntervalPos, &rl.Reported, rules.ReportedInterval),
		ruleDuration("duration", rules.MaxHold, &rl.Duration, &rl.DurationPos, &rl.Reported, rules.ReportedDuration),
		{name: "action", decode: func(d *decoder, key string, n *yaml.Node, _ *Config) {
			rl.Action = d.action(key, n, true)
		}},
	}
}

// action reads a rule's action: block, allow or log, or a mapping of one of them, or
// of tag, exclude or rateLimit, to its arguments. rate says it is a rate limit's action
// (block, tag or log). A mistake in its shape is reported here, once: the action's Kind
// is then rules.ActionReported.
func (d *decoder) action(key string, n *yaml.Node, rate bool) rules.ActionSpec {
	a := rules.ActionSpec{Pos: d.pos(n)}
	v := deref(n)
	switch {
	case v.Kind == yaml.ScalarNode && !isNull(v):
		a.Kind = v.Value
		switch {
		case a.Kind == "tag":
			what := "tag"
			if rate {
				what = "a rate limit's tag"
			}
			d.errorAt(n, key, ErrValue, "%s needs a signal name: action: {tag: NAME}", what)
			a.Kind = rules.ActionReported
		case !rate && (a.Kind == "exclude" || a.Kind == "rateLimit"):
			d.errorAt(n, key, ErrValue, "%s needs arguments: %s", a.Kind, map[string]string{
				"exclude":   "action: {exclude: {signals: [SQLI], params: [q]}}",
				"rateLimit": "action: {rateLimit: {client: ip, threshold: 20, interval: 1m, action: block}}",
			}[a.Kind])
			a.Kind = rules.ActionReported
		}
		return a
	case v.Kind != yaml.MappingNode:
		if rate {
			d.errorAt(n, key, ErrType, "expected a rate limit's action (block, log, {tag: NAME} or {block: {status: 429}}), got %s", describe(v))
		} else {
			d.errorAt(n, key, ErrType, "expected an action (block, allow, log, or {tag: NAME}, {exclude: ...}, {block: {status: 403}}), got %s", describe(v))
		}
		a.Kind = rules.ActionReported
		return a
	}
	if len(v.Content) != 2 {
		d.errorAt(n, key, ErrValue, "one action per rule (got %d)", len(v.Content)/2)
		a.Kind = rules.ActionReported
		return a
	}
	kn, vn := v.Content[0], deref(v.Content[1])
	name, ok := d.keyName(key, kn)
	if !ok {
		a.Kind = rules.ActionReported
		return a
	}
	a.Kind, a.Pos = name, d.pos(kn)
	k := key + "." + name
	switch name {
	case "allow", "log":
		if !isNull(vn) {
			d.errorAt(v.Content[1], k, ErrValue, "%s takes no arguments (write action: %s)", name, name)
		}
	case "block":
		if isNull(vn) {
			break
		}
		d.sub(k, v.Content[1], []field{
			{name: "status", decode: func(d *decoder, key string, n *yaml.Node, _ *Config) {
				if i, ok := d.integer(key, n); ok {
					a.Status, a.StatusPos = clampInt(i), d.pos(n)
				}
			}},
			{name: "redirect", decode: func(d *decoder, key string, n *yaml.Node, _ *Config) {
				a.Redirect, _ = d.text(key, n, "a URL or path")
				a.RedirPos = d.pos(n)
			}},
		})
	case "tag":
		a.Tags = d.items(k, v.Content[1], "signal names")
	case "exclude":
		d.sub(k, v.Content[1], []field{
			{name: "signals", decode: func(d *decoder, key string, n *yaml.Node, _ *Config) {
				a.Signals = d.items(key, n, "signal names")
			}},
			{name: "params", decode: func(d *decoder, key string, n *yaml.Node, _ *Config) {
				a.Params = d.items(key, n, "parameter names")
			}},
		})
	case "rateLimit":
		rl := &rules.RateLimitSpec{}
		a.RateLimit = rl
		d.sub(k, v.Content[1], rateLimitFields(rl))
	}
	return a
}

func (d *decoder) thresholds(key string, n *yaml.Node) {
	t := &d.spec.Thresholds
	if isNull(deref(n)) {
		return
	}
	t.Set, t.Pos = true, d.pos(n)
	d.sub(key, n, []field{
		{name: "enabled", decode: func(d *decoder, key string, n *yaml.Node, _ *Config) {
			if b, ok := d.boolean(key, n); ok {
				t.Enabled = &b
			}
		}},
		{name: "duration", decode: func(d *decoder, key string, n *yaml.Node, _ *Config) {
			if v, ok := d.duration(key, n, rules.MinFlag, rules.MaxHold); ok {
				t.Duration, t.DurationPos = v, d.pos(n)
			}
		}},
		{name: "signals", decode: func(d *decoder, key string, n *yaml.Node, _ *Config) {
			t.Signals = d.items(key, n, "signal names")
			if t.Signals == nil {
				t.Signals = []rules.Item{}
			}
		}},
		{name: "limits", decode: func(d *decoder, key string, n *yaml.Node, _ *Config) {
			t.LimitsSet = true
			nodes, ok := d.list(key, n, "limits")
			if !ok {
				return
			}
			for i, ln := range nodes {
				l := rules.LimitSpec{Pos: d.pos(ln)}
				d.sub(item(key, i), ln, []field{
					{name: "requests", decode: func(d *decoder, key string, n *yaml.Node, _ *Config) {
						if r, ok := d.integer(key, n); ok {
							l.Requests, l.RequestsPos = r, d.pos(n)
						} else {
							l.Reported |= rules.ReportedThreshold
						}
					}},
					ruleDuration("interval", rules.MaxInterval, &l.Interval, &l.IntervalPos, &l.Reported, rules.ReportedInterval),
				})
				t.Limits = append(t.Limits, l)
			}
		}},
	})
}

// rulesFiles records the rules files; they are read after the config file (see
// loadRules), so the config file's own rules come first.
func (d *decoder) rulesFiles(key string, n *yaml.Node) {
	for i, it := range d.items(key, n, "file names") {
		name := it.Value
		if name != "" && !filepath.IsAbs(name) && d.dir != "" {
			name = filepath.Join(d.dir, name)
		}
		d.ruleFiles = append(d.ruleFiles, ruleFile{key: item(key, i), name: name, pos: it.Pos})
	}
}

type ruleFile struct {
	key  string
	name string // a file name or a glob pattern
	pos  rules.Pos
}

// loadRules reads the rules files (a name may be a glob pattern, whose files are read
// in name order), then compiles every rule and reports its problems.
func (d *decoder) loadRules(c *Config) {
	for _, rf := range d.ruleFiles {
		at := &yaml.Node{Line: rf.pos.Line, Column: rf.pos.Col}
		names := []string{rf.name}
		if strings.ContainsAny(rf.name, "*?[") {
			m, err := filepath.Glob(rf.name)
			if err != nil {
				d.errorAt(at, rf.key, ErrValue, "bad pattern %q: %v", rf.name, err)
				continue
			}
			if len(m) == 0 {
				d.errorAt(at, rf.key, ErrValue, "no file matches %q", rf.name)
				continue
			}
			sort.Strings(m)
			names = m
		}
		for _, name := range names {
			data, err := readLimited(name, maxFileBytes)
			if err != nil {
				d.inputs = append(d.inputs, input{name: name, max: maxFileBytes})
				d.errorAt(at, rf.key, err, "cannot read %q: %v", name, reason(err))
				continue
			}
			d.inputs = append(d.inputs, input{name: name, max: maxFileBytes, sum: sha256.Sum256(data), read: true})
			sub := newDecoder(name, filepath.Dir(name))
			sub.spec = d.spec
			sub.rulesFile(data)
			d.inputs = append(d.inputs, sub.inputs...)
			d.errs = append(d.errs, sub.errs...)
		}
	}
	d.spec.GeoIP = c.GeoIP.Database != ""
	d.spec.NoMessages, d.spec.NoMessagesAt = !c.WebSocket.Inspect, d.place("websocket.inspect")
	p, problems := rules.Compile(*d.spec)
	for _, pr := range problems {
		kind := ErrValue
		switch {
		case errors.Is(pr.Err, rules.ErrType):
			kind = ErrType
		case errors.Is(pr.Err, rules.ErrDuplicate):
			kind = ErrDuplicateKey
		}
		d.errs = append(d.errs, &Error{File: pr.Pos.File, Line: pr.Pos.Line, Col: pr.Pos.Col, Key: pr.Key, Msg: pr.Msg, Err: kind})
	}
	if p != nil {
		c.Rules = p
	}
}

// rulesFile walks one rules file: lists:, rules: and rate_limits:, as in the config
// file.
func (d *decoder) rulesFile(data []byte) {
	if !d.utf8File(data) {
		return
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var root yaml.Node
	if err := decodeNode(dec, &root); err != nil {
		if !errors.Is(err, io.EOF) {
			d.syntaxError(err, data)
		}
		return
	}
	body := &root
	if root.Kind == yaml.DocumentNode {
		if len(root.Content) == 0 {
			return
		}
		body = root.Content[0]
	}
	if v := deref(body); v.Kind != yaml.MappingNode {
		d.errorAt(body, "", ErrType, "a rules file must be a mapping of lists:, rules: and rate_limits:, got %s", describe(v))
		return
	}
	fields := append(ruleSchema(), field{name: "thresholds", decode: func(d *decoder, key string, n *yaml.Node, _ *Config) {
		d.errorAt(n, key, ErrUnknownKey, "thresholds are set in the config file, not in a rules file")
	}})
	d.mapping("", body, fields, nil)
}

// readLimited reads a file of at most max bytes.
func readLimited(name string, max int64) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("%w (more than %s)", errTooLarge, formatSize(max))
	}
	return data, nil
}

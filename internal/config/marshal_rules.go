package config

import (
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/rampartwaf/rampart/internal/rules"
)

// The rule language written back out, for Marshal: the lists, rules and rate limits of
// the config file and of its rules files together, and the thresholds in force.

type listForm struct {
	Type  string   `yaml:"type"`
	Items []string `yaml:"items"`
}

type ruleForm struct {
	ID          string    `yaml:"id"`
	Description string    `yaml:"description,omitempty"`
	Enabled     *bool     `yaml:"enabled,omitempty"`
	Expires     string    `yaml:"expires,omitempty"`
	When        *condForm `yaml:"when,omitempty"`
	Client      string    `yaml:"client,omitempty"`
	Threshold   int64     `yaml:"threshold,omitempty"`
	Interval    string    `yaml:"interval,omitempty"`
	Duration    string    `yaml:"duration,omitempty"`
	Action      any       `yaml:"action"`
}

type condForm struct {
	All   []*condForm `yaml:"all,omitempty"`
	Any   []*condForm `yaml:"any,omitempty"`
	Not   *condForm   `yaml:"not,omitempty"`
	Field string      `yaml:"field,omitempty"`
	Name  *string     `yaml:"name,omitempty"`
	Op    string      `yaml:"op,omitempty"`
	Value any         `yaml:"value,omitempty"`
}

type thresholdsForm struct {
	Enabled  bool        `yaml:"enabled"`
	Duration string      `yaml:"duration"`
	Signals  []string    `yaml:"signals"`
	Limits   []limitForm `yaml:"limits"`
}

type limitForm struct {
	Requests int64  `yaml:"requests"`
	Interval string `yaml:"interval"`
}

// rulesForms fills the rule language part of f from p.
func rulesForms(f *fileForm, p *rules.Policy) {
	spec := p.Spec()
	if len(spec.Lists) > 0 {
		f.Lists = map[string]listForm{}
		for _, l := range spec.Lists {
			lf := listForm{Type: l.Type, Items: []string{}}
			for _, it := range l.Items {
				lf.Items = append(lf.Items, it.Value)
			}
			f.Lists[l.Name] = lf
		}
	}
	for i := range spec.Rules {
		r := &spec.Rules[i]
		rf := ruleForm{ID: r.ID, Description: r.Description, When: condOut(r.When)}
		if r.Disabled {
			no := false
			rf.Enabled = &no
		}
		if !r.Expires.IsZero() {
			rf.Expires = r.Expires.Format(time.RFC3339)
		}
		if strings.HasPrefix(r.Key, "rate_limits") && r.Action.RateLimit != nil {
			rl := r.Action.RateLimit
			rf.Client, rf.Threshold = rl.Client, rl.Threshold
			rf.Interval = rl.Interval.String()
			if rl.Duration != 0 {
				rf.Duration = rl.Duration.String()
			}
			rf.Action = actionOut(&rl.Action)
			f.RateLimits = append(f.RateLimits, rf)
			continue
		}
		rf.Action = actionOut(&r.Action)
		f.Rules = append(f.Rules, rf)
	}
	t := p.Thresholds()
	f.Thresholds = thresholdsForm{Enabled: t.Enabled, Duration: t.Duration.String(), Signals: t.Signals(), Limits: []limitForm{}}
	for _, l := range t.Limits {
		f.Thresholds.Limits = append(f.Thresholds.Limits, limitForm{Requests: l.Requests, Interval: l.Interval.String()})
	}
}

func condOut(c *rules.CondSpec) *condForm {
	if c == nil {
		return nil
	}
	out := &condForm{}
	switch c.Kind {
	case rules.CondAll, rules.CondAny:
		kids := make([]*condForm, len(c.Children))
		for i := range c.Children {
			kids[i] = condOut(&c.Children[i])
		}
		if c.Kind == rules.CondAll {
			out.All = kids
		} else {
			out.Any = kids
		}
	case rules.CondNot:
		out.Not = condOut(&c.Children[0])
	default:
		out.Field, out.Op = c.Field, c.Op
		if c.HasName {
			n := c.Name
			out.Name = &n
		}
		switch c.ValueTag {
		case "":
		case "!!int":
			if i, err := strconv.ParseInt(c.Value, 10, 64); err == nil && strconv.FormatInt(i, 10) == c.Value {
				out.Value = i
			} else {
				out.Value = &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: c.Value}
			}
		default:
			out.Value = c.Value
		}
	}
	return out
}

func actionOut(a *rules.ActionSpec) any {
	switch a.Kind {
	case "allow", "log":
		return a.Kind
	case "block":
		if a.Status == 0 && a.Redirect == "" {
			return "block"
		}
		b := map[string]any{}
		if a.Status != 0 {
			b["status"] = a.Status
		}
		if a.Redirect != "" {
			b["redirect"] = a.Redirect
		}
		return map[string]any{"block": b}
	case "tag":
		tags := make([]string, len(a.Tags))
		for i, t := range a.Tags {
			tags[i] = t.Value
		}
		return map[string]any{"tag": tags}
	case "exclude":
		ex := map[string]any{}
		if len(a.Signals) > 0 {
			ex["signals"] = itemValues(a.Signals)
		}
		if len(a.Params) > 0 {
			ex["params"] = itemValues(a.Params)
		}
		return map[string]any{"exclude": ex}
	case "rateLimit":
		rl := a.RateLimit
		m := map[string]any{"client": rl.Client, "threshold": rl.Threshold, "interval": rl.Interval.String(), "action": actionOut(&rl.Action)}
		if rl.Duration != 0 {
			m["duration"] = rl.Duration.String()
		}
		return map[string]any{"rateLimit": m}
	}
	return a.Kind
}

func itemValues(items []rules.Item) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.Value
	}
	return out
}

package replay

import "sort"

// Target is one of the detection goals of the project (issue 5), measured on the
// records that belong to it.
type Target struct {
	Name string `json:"name"`
	// Want is "blocked" for attack sets and "passed" for benign ones; Goal is the
	// smallest acceptable share of Total.
	Want string  `json:"want"`
	Goal float64 `json:"goal"`
	Counts
	Rate *float64 `json:"rate"`
	Met  bool     `json:"met"`
}

// targetDef says which records a target covers. name returns the target's name for a
// record, or "" when the record is not part of it (PayloadsAllTheThings has one target
// per category).
type targetDef struct {
	goal   float64
	attack bool
	name   func(rec *Record) string
}

var targetDefs = []targetDef{
	{0.95, true, func(rec *Record) string {
		if rec.Source == "crs" && rec.Label == LabelAttack && (rec.paranoia() == 1 || rec.paranoia() == 2) {
			return "CRS attacks, paranoia 1-2"
		}
		return ""
	}},
	{0.995, false, func(rec *Record) string {
		if (rec.Source == "crs" || rec.Source == "blazehttp") && rec.Label == LabelBenign {
			return "CRS near-miss + BlazeHTTP benign"
		}
		return ""
	}},
	{0.95, true, func(rec *Record) string {
		if rec.Source == "blazehttp" && rec.Label == LabelAttack {
			return "BlazeHTTP attacks"
		}
		return ""
	}},
	{0.98, true, func(rec *Record) string {
		if rec.Source == "libinjection" && rec.Label == LabelAttack && rec.Category == "sqli" {
			return "libinjection SQLi"
		}
		return ""
	}},
	{0.98, true, func(rec *Record) string {
		if rec.Source == "libinjection" && rec.Label == LabelAttack && rec.Category == "xss" {
			return "libinjection XSS"
		}
		return ""
	}},
	{0.99, false, func(rec *Record) string {
		if rec.Source == "libinjection" && rec.Label == LabelBenign {
			return "libinjection false_positives"
		}
		return ""
	}},
	{0.95, true, func(rec *Record) string {
		if rec.Source == "payloadsallthethings" && rec.Label == LabelAttack {
			return "PayloadsAllTheThings " + rec.Category
		}
		return ""
	}},
}

// targetTally is the running state of one target.
type targetTally struct {
	order  int // index of its definition, to print targets in the order above
	goal   float64
	attack bool
	counts Counts
}

// countTargets adds a record's outcome to the targets it belongs to.
func countTargets(t map[string]*targetTally, rec *Record, blocked bool) {
	for i, d := range targetDefs {
		name := d.name(rec)
		if name == "" {
			continue
		}
		tt := t[name]
		if tt == nil {
			tt = &targetTally{order: i, goal: d.goal, attack: d.attack}
			t[name] = tt
		}
		tt.counts.add(blocked)
	}
}

// finishTargets turns the tallies into Targets, in definition order then by name.
func finishTargets(t map[string]*targetTally) []Target {
	out := make([]Target, 0, len(t))
	for name, tt := range t {
		tg := Target{Name: name, Goal: tt.goal, Counts: tt.counts, Want: "passed"}
		good := tt.counts.Passed
		if tt.attack {
			tg.Want, good = "blocked", tt.counts.Blocked
		}
		tg.Rate = ratio(good, tt.counts.Total)
		tg.Met = tg.Rate != nil && *tg.Rate >= tt.goal
		out = append(out, tg)
	}
	sort.Slice(out, func(i, j int) bool {
		oi, oj := t[out[i].Name].order, t[out[j].Name].order
		if oi != oj {
			return oi < oj
		}
		return out[i].Name < out[j].Name
	})
	return out
}

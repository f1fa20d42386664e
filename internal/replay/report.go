package replay

import (
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/rampartwaf/rampart/internal/request"
)

// Report is the outcome of a replay.
type Report struct {
	Inputs []string `json:"inputs"`
	// Placements are where value records were put, in the order of the per-group
	// placement counts.
	Placements []string `json:"placements"`
	Lines      int      `json:"lines"`    // lines read, blank ones included
	Judged     int      `json:"judged"`   // records judged
	Filtered   int      `json:"filtered"` // records left out by the filter
	// RequestsLeftOut are the filtered request records that were left out because only
	// value records can be judged (through a running Rampart, --websocket).
	RequestsLeftOut int `json:"requests_left_out,omitempty"`
	// Through is the ws:// URL the records were judged through, or "" for the engine.
	// Signals are then not known: a close with 1008 is a block, an echo a pass.
	Through  string `json:"through,omitempty"`
	BadLines int    `json:"bad_lines"`
	// Errors are the first bad lines (at most maxErrors), in input order.
	Errors []LineError `json:"errors,omitempty"`

	Groups  []Group         `json:"groups"`  // per source, label, category
	Labels  []Group         `json:"labels"`  // per source and label (Category "")
	Sources []SourceSummary `json:"sources"` // per source, and "all" last
	Targets []Target        `json:"targets"`

	Misses         []Example `json:"misses"`          // attacks that passed, worst first
	FalsePositives []Example `json:"false_positives"` // benign records that were blocked
}

// LineError is a line that could not be judged.
type LineError struct {
	File string `json:"file"`
	Line int    `json:"line"`
	Err  string `json:"error"`
}

func (e LineError) String() string { return e.File + ":" + strconv.Itoa(e.Line) + ": " + e.Err }

// Counts are the outcomes of a set of records.
type Counts struct {
	Total   int `json:"total"`
	Blocked int `json:"blocked"`
	Passed  int `json:"passed"`
}

func (c *Counts) add(blocked bool) {
	c.Total++
	if blocked {
		c.Blocked++
	} else {
		c.Passed++
	}
}

func ratio(n, d int) *float64 {
	if d == 0 {
		return nil
	}
	r := float64(n) / float64(d)
	return &r
}

// Group is the tally of one source, label and category (or one source and label when
// Category is empty).
type Group struct {
	Source   string `json:"source"`
	Label    string `json:"label"`
	Category string `json:"category,omitempty"`
	Counts
	// TPR is Blocked/Total for attack groups, TNR Passed/Total for benign ones.
	TPR *float64 `json:"tpr,omitempty"`
	TNR *float64 `json:"tnr,omitempty"`
	// Placements counts the value records per placement (query, json); empty for
	// request records.
	Placements []PlacementCount `json:"placements,omitempty"`
}

// PlacementCount is how one placement of the values of a group fared.
type PlacementCount struct {
	Placement string `json:"placement"`
	Counts
}

// SourceSummary sums one source (or every source, Source "all").
type SourceSummary struct {
	Source  string   `json:"source"`
	Attacks Counts   `json:"attacks"`
	Benign  Counts   `json:"benign"`
	Other   Counts   `json:"other"` // unlabelled or other labels
	TPR     *float64 `json:"tpr"`
	TNR     *float64 `json:"tnr"`
	// BalancedAccuracy is (TPR+TNR)/2, when the source has both attacks and benign
	// records.
	BalancedAccuracy *float64 `json:"balanced_accuracy"`
}

// Example is one miss or false positive, kept to show what to tune.
type Example struct {
	ID        string          `json:"id,omitempty"`
	Where     string          `json:"where"` // file:line
	Source    string          `json:"source"`
	Label     string          `json:"label"`
	Category  string          `json:"category"`
	Placement string          `json:"placement"` // the placement that failed
	Request   string          `json:"request"`   // shortened request line, or the value
	Signals   []ExampleSignal `json:"signals"`

	score int    // higher is worse
	seq   uint64 // input order, breaks ties
}

// ExampleSignal is a signal of an Example.
type ExampleSignal struct {
	Name     string `json:"name"`
	Source   string `json:"source,omitempty"`
	Param    string `json:"param,omitempty"`
	Fragment string `json:"fragment,omitempty"`
}

func (s ExampleSignal) String() string {
	if s.Source == "" && s.Param == "" {
		return s.Name
	}
	return s.Name + "(" + s.Source + ":" + s.Param + ")"
}

// worse reports whether a should be shown before b.
func worse(a, b *Example) bool {
	if a.score != b.score {
		return a.score > b.score
	}
	return a.seq < b.seq
}

// groupKey identifies a Group.
type groupKey struct{ source, label, category string }

// tally is the running state of one group.
type tally struct {
	counts     Counts
	placements map[string]*Counts
	misses     []Example // at most keep, sorted worst first
	fps        []Example
}

// keepWorst inserts e into list (sorted worst first) and keeps at most n.
func keepWorst(list []Example, e Example, n int) []Example {
	if n <= 0 {
		return list
	}
	if len(list) == n && !worse(&e, &list[n-1]) {
		return list
	}
	i := sort.Search(len(list), func(i int) bool { return worse(&e, &list[i]) })
	if len(list) < n {
		list = append(list, Example{})
	}
	copy(list[i+1:], list[i:])
	list[i] = e
	return list
}

// pickRoundRobin takes up to n examples from the groups' lists, one from each group in
// turn, so that one noisy category does not hide the others. The result is ordered by
// group, worst first within a group.
func pickRoundRobin(keys []groupKey, lists map[groupKey][]Example, n int) []Example {
	var out []Example
	for round := 0; len(out) < n; round++ {
		took := false
		for _, k := range keys {
			if l := lists[k]; round < len(l) && len(out) < n {
				out = append(out, l[round])
				took = true
			}
		}
		if !took {
			break
		}
	}
	pos := make(map[groupKey]int, len(keys))
	for i, k := range keys {
		pos[k] = i
	}
	sort.SliceStable(out, func(i, j int) bool {
		a := groupKey{out[i].Source, out[i].Label, out[i].Category}
		b := groupKey{out[j].Source, out[j].Label, out[j].Category}
		return pos[a] < pos[b]
	})
	if out == nil {
		out = []Example{}
	}
	return out
}

// exampleSignals converts a verdict's signals, keeping at most max.
func exampleSignals(sigs []request.Signal, max int) []ExampleSignal {
	out := make([]ExampleSignal, 0, min(len(sigs), max))
	for _, s := range sigs {
		if len(out) == max {
			break
		}
		es := ExampleSignal{Name: s.Name, Param: s.Param, Fragment: shorten(s.Fragment, 48)}
		if s.Source != request.SourceNone {
			es.Source = s.Source.String()
		}
		out = append(out, es)
	}
	return out
}

// shorten makes s printable on one line (control bytes and invalid UTF-8 as \xNN,
// newlines as \n) and cuts it to about max runes with an ellipsis.
func shorten(s string, max int) string {
	var b strings.Builder
	n := 0
	for i := 0; i < len(s); {
		if n >= max {
			b.WriteString("…")
			break
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			b.WriteString(`\x`)
			b.WriteString(strconv.FormatUint(uint64(s[i])|0x100, 16)[1:])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			b.WriteString(`\x`)
			b.WriteString(strconv.FormatUint(uint64(r)|0x100, 16)[1:])
		default:
			b.WriteRune(r)
		}
		i += size
		n++
	}
	return b.String()
}

// requestLine is the shortened form of a judged request shown in examples.
func requestLine(rec *Record, j *judged) string {
	if rec.isValue() {
		return shorten(j.value, 100)
	}
	r := j.req
	s := r.Method + " " + r.URI
	if r.Method == "" && r.URI == "" {
		s = "(unparsable)"
	}
	line := shorten(s, 100)
	if len(r.Body) > 0 {
		line += " [body " + strconv.Itoa(len(r.Body)) + "B: " + shorten(string(r.Body), 60) + "]"
	}
	return line
}

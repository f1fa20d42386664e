package replay

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/rampartwaf/rampart/internal/engine"
	"github.com/rampartwaf/rampart/internal/request"
)

// Inspector judges one request. *engine.Engine is the one replay is meant for; tests
// use their own.
type Inspector interface {
	Inspect(ctx context.Context, r *request.Request) engine.Verdict
}

// Filter selects the records to judge. Empty lists select everything.
type Filter struct {
	Sources    []string
	Labels     []string
	Categories []string
	// ParanoiaMax leaves out records whose CRS paranoia level is above it; records
	// without a level are kept. 0 keeps every level.
	ParanoiaMax int
}

func (f *Filter) keep(rec *Record) bool {
	return inList(f.Sources, rec.Source) && inList(f.Labels, rec.Label) &&
		inList(f.Categories, rec.Category) &&
		(f.ParanoiaMax <= 0 || rec.paranoia() <= f.ParanoiaMax)
}

func inList(list []string, s string) bool {
	if len(list) == 0 {
		return true
	}
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Options configure Run.
type Options struct {
	Inspector Inspector // required
	Filter    Filter
	// ShowMisses and ShowFPs are how many misses and false positives the report keeps.
	ShowMisses, ShowFPs int
	// Workers judging records in parallel; 0 means GOMAXPROCS. The report does not
	// depend on it.
	Workers int
	// MaxLineBytes bounds one input line; a longer line is skipped and reported.
	// 0 means DefaultMaxLineBytes.
	MaxLineBytes int
	// MaxGroups bounds the number of source/label/category groups; records of further
	// groups are counted under category "(other)". 0 means DefaultMaxGroups.
	MaxGroups int
	// Progress, when set, receives a one-line progress display, rewritten in place
	// (meant for a terminal).
	Progress io.Writer
	// Placements are where each value record is put to be judged (PlacementQuery,
	// PlacementJSON, PlacementWebSocket); empty means DefaultPlacements.
	Placements []string
	// ValuesOnly leaves request records out (they count as filtered), for an inspector
	// that can only judge values, such as LiveWebSocket.
	ValuesOnly bool
	// BodyLimit and HeaderLimit are limits.body_bytes and limits.header_bytes, which
	// the proxy enforces before the engine judges: a longer body is judged on its first
	// BodyLimit bytes and flagged FlagBodyTruncated, a request line and headers over
	// HeaderLimit are flagged FlagHeadersTooLarge, as the proxy does. 0 means no limit.
	BodyLimit   int
	HeaderLimit int
}

// Defaults for Options.
const (
	DefaultMaxLineBytes = 16 << 20
	DefaultMaxGroups    = 1000
	maxErrors           = 20 // bad lines listed in the report
	maxExampleSignals   = 8
	otherCategory       = "(other)"
)

// ErrNoInspector is returned by Run when Options.Inspector is nil.
var ErrNoInspector = errors.New("replay: no inspector")

// job is one input line on its way to a worker.
type job struct {
	seq  uint64
	file string
	line int
	data []byte
	err  error // the line could not be read whole
}

// outcome is how one placement of a record was judged.
type outcome struct {
	placement string
	blocked   bool
	signals   []request.Signal
	line      string // shortened request line
}

// result is a judged (or rejected) line on its way back.
type result struct {
	seq      uint64
	file     string
	line     int
	rec      *Record
	outcomes []outcome
	err      error
	filtered bool
	request  bool // filtered because only value records are judged (ValuesOnly)
	blank    bool
}

// Run judges every record of the inputs, in order, and returns the report. Lines that
// are not usable records are counted, listed (the first few) and skipped; an input that
// cannot be opened or read ends the run with an error.
func Run(ctx context.Context, inputs []Input, opts Options) (*Report, error) {
	if opts.Inspector == nil {
		return nil, ErrNoInspector
	}
	if len(opts.Placements) == 0 {
		opts.Placements = DefaultPlacements
	}
	for _, p := range opts.Placements {
		if !validPlacement(p) {
			return nil, fmt.Errorf("replay: unknown placement %q (want query, json or websocket)", p)
		}
	}
	if opts.Workers <= 0 {
		opts.Workers = runtime.GOMAXPROCS(0)
	}
	if opts.MaxLineBytes <= 0 {
		opts.MaxLineBytes = DefaultMaxLineBytes
	}
	if opts.MaxGroups <= 0 {
		opts.MaxGroups = DefaultMaxGroups
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	jobs := make(chan job, 4*opts.Workers)
	results := make(chan result, 4*opts.Workers)
	readDone := make(chan error, 1)
	go func() {
		defer close(jobs)
		readDone <- readInputs(ctx, inputs, opts.MaxLineBytes, jobs)
	}()
	var wg sync.WaitGroup
	for range opts.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				res := judge(ctx, &opts, j)
				select {
				case results <- res:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() {
		wg.Wait()
		close(results)
	}()

	agg := newAggregator(&opts)
	for _, in := range inputs {
		agg.report.Inputs = append(agg.report.Inputs, in.Name)
	}
	// Results come back in any order; they are applied in input order, so the report
	// is the same whatever the scheduling. The reorder buffer holds at most the lines
	// in flight (channel capacities plus workers).
	pending := map[uint64]result{}
	var next uint64
	for res := range results {
		pending[res.seq] = res
		for {
			r, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			agg.add(&r)
		}
	}
	agg.progressDone()
	// The workers stop early when ctx is done, so the reader may still be running: it
	// stops at ctx too, and its error is only read once it has.
	if readErr := <-readDone; readErr != nil {
		return nil, readErr
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("replaying: %w", err)
	}
	return agg.finish(), nil
}

// readInputs reads every input in turn and sends its lines, numbered, as jobs.
func readInputs(ctx context.Context, inputs []Input, maxLine int, jobs chan<- job) error {
	var seq uint64
	for _, in := range inputs {
		rc, err := in.Open()
		if err != nil {
			return fmt.Errorf("opening input: %w", err)
		}
		err = readInput(ctx, in.Name, rc, maxLine, jobs, &seq)
		rc.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

func readInput(ctx context.Context, name string, rc io.Reader, maxLine int, jobs chan<- job, seq *uint64) error {
	lr, err := newLineReader(rc, maxLine)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	defer lr.close()
	for {
		line, err := lr.next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		j := job{seq: *seq, file: name, line: lr.line}
		switch {
		case errors.Is(err, ErrLineTooLong):
			j.err = err
		case err != nil:
			return fmt.Errorf("%s: %w", name, err)
		default:
			j.data = append([]byte(nil), line...)
		}
		select {
		case jobs <- j:
			*seq++
		case <-ctx.Done():
			return fmt.Errorf("replaying: %w", ctx.Err())
		}
	}
}

// judge decodes one line, builds its request(s) and inspects them.
func judge(ctx context.Context, opts *Options, j job) result {
	res := result{seq: j.seq, file: j.file, line: j.line, err: j.err}
	if res.err != nil {
		return res
	}
	if len(trimSpace(j.data)) == 0 {
		res.blank = true
		return res
	}
	rec, err := decodeRecord(j.data)
	if err != nil {
		res.err = err
		return res
	}
	res.rec = rec
	if !opts.Filter.keep(rec) {
		res.filtered = true
		return res
	}
	if opts.ValuesOnly && !rec.isValue() {
		res.filtered, res.request = true, true
		return res
	}
	reqs, err := rec.build(opts.Placements)
	if err != nil {
		res.err = err
		return res
	}
	res.outcomes = make([]outcome, len(reqs))
	for i := range reqs {
		applyLimits(reqs[i].req, opts.BodyLimit, opts.HeaderLimit)
		v := opts.Inspector.Inspect(ctx, reqs[i].req)
		res.outcomes[i] = outcome{
			placement: reqs[i].placement,
			blocked:   v.Blocked(),
			signals:   v.Signals,
			line:      requestLine(rec, &reqs[i]),
		}
	}
	return res
}

// applyLimits does to r what the proxy does with limits.body_bytes and
// limits.header_bytes before the engine sees a request.
func applyLimits(r *request.Request, bodyLimit, headerLimit int) {
	if bodyLimit > 0 && len(r.Body) > bodyLimit {
		r.Body = r.Body[:bodyLimit]
		r.Flags |= request.FlagBodyTruncated
	}
	if headerLimit > 0 && r.Protocol == request.ProtocolHTTP && r.HeaderSize() > headerLimit {
		r.Flags |= request.FlagHeadersTooLarge
	}
}

func trimSpace(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t') {
		b = b[1:]
	}
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\t') {
		b = b[:len(b)-1]
	}
	return b
}

// aggregator folds results into the report, in input order.
type aggregator struct {
	opts    *Options
	report  Report
	groups  map[groupKey]*tally
	targets map[string]*targetTally

	lastProgress time.Time
	progressLen  int
}

func newAggregator(opts *Options) *aggregator {
	return &aggregator{opts: opts, groups: map[groupKey]*tally{}, targets: map[string]*targetTally{}}
}

func (a *aggregator) add(res *result) {
	a.report.Lines++
	a.progress(res)
	switch {
	case res.blank:
		return
	case res.err != nil:
		a.report.BadLines++
		if len(a.report.Errors) < maxErrors {
			a.report.Errors = append(a.report.Errors, LineError{File: res.file, Line: res.line, Err: res.err.Error()})
		}
		return
	case res.filtered:
		a.report.Filtered++
		if res.request {
			a.report.RequestsLeftOut++
		}
		return
	}
	a.report.Judged++
	rec := res.rec
	key := groupKey{rec.Source, rec.Label, rec.Category}
	t := a.groups[key]
	if t == nil {
		if len(a.groups) >= a.opts.MaxGroups {
			key.category = otherCategory
			t = a.groups[key]
		}
		if t == nil {
			t = &tally{placements: map[string]*Counts{}}
			a.groups[key] = t
		}
	}

	// A record's outcome is the worst case over its placements: an attack is caught
	// only when every placement was blocked, a benign record passes only when every
	// placement passed.
	attack := rec.Label == LabelAttack
	blocked, failed := attack, -1
	for i := range res.outcomes {
		o := &res.outcomes[i]
		if rec.isValue() {
			c := t.placements[o.placement]
			if c == nil {
				c = &Counts{}
				t.placements[o.placement] = c
			}
			c.add(o.blocked)
		}
		if attack && !o.blocked {
			blocked = false
			if failed < 0 {
				failed = i
			}
		}
		if !attack && o.blocked {
			blocked = true
			if failed < 0 {
				failed = i
			}
		}
	}
	t.counts.add(blocked)
	countTargets(a.targets, rec, blocked)

	if failed < 0 || (rec.Label != LabelAttack && rec.Label != LabelBenign) {
		return
	}
	o := &res.outcomes[failed]
	ex := Example{
		ID: rec.ID, Where: res.file + ":" + strconv.Itoa(res.line),
		Source: rec.Source, Label: rec.Label, Category: key.category,
		Placement: o.placement, Request: o.line, seq: res.seq,
	}
	if attack {
		// A miss with no signal at all is the worst: nothing noticed anything.
		ex.score = -len(o.signals)
		if n := a.opts.ShowMisses; n > 0 && (len(t.misses) < n || worse(&ex, &t.misses[n-1])) {
			ex.Signals = exampleSignals(o.signals, maxExampleSignals)
			t.misses = keepWorst(t.misses, ex, n)
		}
		return
	}
	// A false positive with many attack signals is the worst: several detectors agree
	// on something benign.
	ex.score = len(o.signals)
	if n := a.opts.ShowFPs; n > 0 && (len(t.fps) < n || worse(&ex, &t.fps[n-1])) {
		ex.Signals = exampleSignals(o.signals, maxExampleSignals)
		t.fps = keepWorst(t.fps, ex, n)
	}
}

// progress rewrites the progress line at most four times a second.
func (a *aggregator) progress(res *result) {
	if a.opts.Progress == nil || a.report.Lines%256 != 0 {
		return
	}
	now := time.Now()
	if now.Sub(a.lastProgress) < 250*time.Millisecond {
		return
	}
	a.lastProgress = now
	s := "replay: " + res.file + ": line " + strconv.Itoa(res.line) + ", " + strconv.Itoa(a.report.Judged) + " judged"
	pad := a.progressLen - len(s)
	a.progressLen = len(s)
	for ; pad > 0; pad-- {
		s += " "
	}
	io.WriteString(a.opts.Progress, "\r"+s)
}

func (a *aggregator) progressDone() {
	if a.opts.Progress != nil && a.progressLen > 0 {
		blank := make([]byte, a.progressLen)
		for i := range blank {
			blank[i] = ' '
		}
		io.WriteString(a.opts.Progress, "\r"+string(blank)+"\r")
	}
}

// finish sorts the groups and computes rates, summaries and examples.
func (a *aggregator) finish() *Report {
	rep := &a.report
	rep.Placements = a.opts.Placements
	keys := make([]groupKey, 0, len(a.groups))
	for k := range a.groups {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].source != keys[j].source {
			return keys[i].source < keys[j].source
		}
		if keys[i].label != keys[j].label {
			return keys[i].label < keys[j].label
		}
		return keys[i].category < keys[j].category
	})
	labels := map[groupKey]*Group{}
	var labelKeys []groupKey
	sources := map[string]*SourceSummary{}
	var sourceNames []string
	all := &SourceSummary{Source: "all"}
	misses := map[groupKey][]Example{}
	fps := map[groupKey][]Example{}
	for _, k := range keys {
		t := a.groups[k]
		g := Group{Source: k.source, Label: k.label, Category: k.category, Counts: t.counts}
		setRates(&g)
		for _, p := range a.opts.Placements {
			if c := t.placements[p]; c != nil {
				g.Placements = append(g.Placements, PlacementCount{Placement: p, Counts: *c})
			}
		}
		rep.Groups = append(rep.Groups, g)

		lk := groupKey{source: k.source, label: k.label}
		lg := labels[lk]
		if lg == nil {
			lg = &Group{Source: k.source, Label: k.label}
			labels[lk] = lg
			labelKeys = append(labelKeys, lk)
		}
		addCounts(&lg.Counts, t.counts)

		s := sources[k.source]
		if s == nil {
			s = &SourceSummary{Source: k.source}
			sources[k.source] = s
			sourceNames = append(sourceNames, k.source)
		}
		for _, sum := range []*SourceSummary{s, all} {
			switch k.label {
			case LabelAttack:
				addCounts(&sum.Attacks, t.counts)
			case LabelBenign:
				addCounts(&sum.Benign, t.counts)
			default:
				addCounts(&sum.Other, t.counts)
			}
		}
		misses[k], fps[k] = t.misses, t.fps
	}
	for _, lk := range labelKeys {
		g := labels[lk]
		setRates(g)
		rep.Labels = append(rep.Labels, *g)
	}
	for _, n := range sourceNames {
		rep.Sources = append(rep.Sources, summarize(sources[n]))
	}
	if len(sourceNames) > 1 {
		rep.Sources = append(rep.Sources, summarize(all))
	}
	rep.Targets = finishTargets(a.targets)
	rep.Misses = pickRoundRobin(keys, misses, a.opts.ShowMisses)
	rep.FalsePositives = pickRoundRobin(keys, fps, a.opts.ShowFPs)
	if rep.Groups == nil {
		rep.Groups = []Group{}
	}
	return rep
}

func addCounts(dst *Counts, c Counts) {
	dst.Total += c.Total
	dst.Blocked += c.Blocked
	dst.Passed += c.Passed
}

func setRates(g *Group) {
	switch g.Label {
	case LabelAttack:
		g.TPR = ratio(g.Blocked, g.Total)
	case LabelBenign:
		g.TNR = ratio(g.Passed, g.Total)
	}
}

func summarize(s *SourceSummary) SourceSummary {
	s.TPR = ratio(s.Attacks.Blocked, s.Attacks.Total)
	s.TNR = ratio(s.Benign.Passed, s.Benign.Total)
	if s.TPR != nil && s.TNR != nil {
		ba := (*s.TPR + *s.TNR) / 2
		s.BalancedAccuracy = &ba
	}
	return *s
}

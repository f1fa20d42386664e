package replay

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
)

// WriteJSON writes the report as one indented JSON document.
func WriteJSON(w io.Writer, rep *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(rep); err != nil {
		return fmt.Errorf("writing JSON report: %w", err)
	}
	return nil
}

// WriteTable writes the report as aligned text tables: groups, labels, sources,
// targets, then the examples.
func WriteTable(w io.Writer, rep *Report) error {
	ew := &errWriter{w: w}
	fmt.Fprintf(ew, "replayed %d records from %d lines (%d filtered out, %d bad lines)\n",
		rep.Judged, rep.Lines, rep.Filtered, rep.BadLines)
	if rep.Through != "" {
		fmt.Fprintf(ew, "judged through %s: a close with 1008 is a block, an echo a pass\n", rep.Through)
	}
	if rep.RequestsLeftOut > 0 {
		fmt.Fprintf(ew, "%d request records left out: only value records are sent as WebSocket messages\n", rep.RequestsLeftOut)
	}
	fmt.Fprintln(ew)

	tw := newTable(ew)
	fmt.Fprint(tw, "source\tlabel\tcategory\ttotal\tblocked\tpassed\trate")
	for _, p := range rep.Placements {
		fmt.Fprintf(tw, "\t%s blocked", p)
	}
	fmt.Fprintln(tw)
	for _, g := range rep.Groups {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%d\t%s", g.Source, g.Label, g.Category,
			g.Total, g.Blocked, g.Passed, groupRate(&g))
		for _, p := range rep.Placements {
			fmt.Fprintf(tw, "\t%s", placementCell(&g, p))
		}
		fmt.Fprintln(tw)
	}
	tw.Flush()

	fmt.Fprintln(ew)
	tw = newTable(ew)
	fmt.Fprintln(tw, "source\tlabel\ttotal\tblocked\tpassed\trate")
	for _, g := range rep.Labels {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%s\n", g.Source, g.Label, g.Total, g.Blocked, g.Passed, groupRate(&g))
	}
	tw.Flush()

	fmt.Fprintln(ew)
	tw = newTable(ew)
	fmt.Fprintln(tw, "source\tattacks\tblocked\tbenign\tpassed\tTPR\tTNR\tbalanced accuracy")
	for _, s := range rep.Sources {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%s\t%s\t%s\n", s.Source, s.Attacks.Total, s.Attacks.Blocked,
			s.Benign.Total, s.Benign.Passed, pct(s.TPR), pct(s.TNR), pct(s.BalancedAccuracy))
	}
	tw.Flush()

	if len(rep.Targets) > 0 {
		fmt.Fprintln(ew)
		tw = newTable(ew)
		fmt.Fprintln(tw, "target\ttotal\tmeasured\tgoal")
		for _, t := range rep.Targets {
			status := "ok"
			if !t.Met {
				status = "BELOW GOAL"
			}
			fmt.Fprintf(tw, "%s\t%d\t%s %s\t>= %s\t%s\n", t.Name, t.Total, pct(t.Rate), t.Want,
				strconv.FormatFloat(t.Goal*100, 'f', -1, 64)+"%", status)
		}
		tw.Flush()
	}

	writeExamples(ew, "worst misses (attacks that passed)", rep.Misses, rep.Through != "")
	writeExamples(ew, "worst false positives (benign records blocked)", rep.FalsePositives, rep.Through != "")

	if rep.BadLines > 0 {
		fmt.Fprintf(ew, "\n%d bad lines", rep.BadLines)
		if rep.BadLines > len(rep.Errors) {
			fmt.Fprintf(ew, " (first %d)", len(rep.Errors))
		}
		fmt.Fprintln(ew, ":")
		for _, e := range rep.Errors {
			fmt.Fprintf(ew, "  %s\n", e.String())
		}
	}
	if ew.err != nil {
		return fmt.Errorf("writing report: %w", ew.err)
	}
	return nil
}

// writeExamples lists examples with their signals; through a running Rampart (live)
// the signals are not known, only the answer, which the title says.
func writeExamples(w io.Writer, title string, list []Example, live bool) {
	if len(list) == 0 {
		return
	}
	fmt.Fprintf(w, "\n%s:\n", title)
	for _, e := range list {
		id := e.ID
		if id == "" {
			id = "-"
		}
		fmt.Fprintf(w, "  %s/%s/%s  %s  %s  [%s]\n", e.Source, e.Label, e.Category, id, e.Where, e.Placement)
		fmt.Fprintf(w, "      %s\n", e.Request)
		sigs := make([]string, len(e.Signals))
		for i, s := range e.Signals {
			sigs[i] = s.String()
		}
		switch {
		case live && len(sigs) == 0:
			continue // the proxy's signals are in its own events
		case len(sigs) == 0:
			sigs = []string{"none"}
		}
		fmt.Fprintf(w, "      signals: %s\n", strings.Join(sigs, " "))
	}
}

func groupRate(g *Group) string {
	switch {
	case g.TPR != nil:
		return "TPR " + pct(g.TPR)
	case g.TNR != nil:
		return "TNR " + pct(g.TNR)
	}
	return "-"
}

func placementCell(g *Group, placement string) string {
	for _, p := range g.Placements {
		if p.Placement == placement {
			return strconv.Itoa(p.Blocked) + "/" + strconv.Itoa(p.Total)
		}
	}
	return ""
}

func pct(r *float64) string {
	if r == nil {
		return "-"
	}
	return strconv.FormatFloat(*r*100, 'f', 1, 64) + "%"
}

// table is a tabwriter whose lines lose their trailing blanks on Flush (empty last
// cells would leave them).
type table struct {
	*tabwriter.Writer
	buf bytes.Buffer
	out io.Writer
}

func newTable(out io.Writer) *table {
	t := &table{out: out}
	t.Writer = tabwriter.NewWriter(&t.buf, 0, 0, 2, ' ', 0)
	return t
}

// Flush writes the aligned table.
func (t *table) Flush() {
	t.Writer.Flush()
	for _, line := range strings.SplitAfter(t.buf.String(), "\n") {
		if line == "" {
			continue
		}
		io.WriteString(t.out, strings.TrimRight(line, " \n")+"\n")
	}
	t.buf.Reset()
}

// errWriter remembers the first write error so the table code can stay linear.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}

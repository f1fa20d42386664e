package config

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"testing"
)

// TestErrorListCapped: at most MaxPerFile mistakes of one file are listed, then one
// line counts the others; Count still counts every mistake, and errors.Is finds the
// kinds of those left out.
func TestErrorListCapped(t *testing.T) {
	mistakes := func(file string, n int, kind error) ErrorList {
		var l ErrorList
		for i := 1; i <= n; i++ {
			l = append(l, &Error{File: file, Line: i, Col: 1, Msg: fmt.Sprintf("mistake %d", i), Err: kind})
		}
		return l
	}
	noLine := &Error{Key: "--upstream", Msg: "--upstream: bad", Err: ErrNoUpstream}
	for _, tc := range []struct {
		name      string
		list      ErrorList
		wantLines int
		wantCount int
		wantLast  []string // the lines that count the mistakes left out
	}{
		{"few", mistakes("a.txt", 3, ErrValue), 3, 3, nil},
		{"exactly the cap", mistakes("a.txt", MaxPerFile, ErrValue), MaxPerFile, MaxPerFile, nil},
		{"one over", mistakes("a.txt", MaxPerFile+1, ErrValue), MaxPerFile + 1, MaxPerFile + 1,
			[]string{"a.txt: ... and 1 more mistakes in this file (only the first 50 are listed)"}},
		{"two files over, one under, and one without a line",
			append(append(append(mistakes("b.txt", 21543, ErrValue), mistakes("a.txt", 60, fs.ErrNotExist)...), mistakes("rampart.yaml", 2, ErrType)...), noLine),
			2*(MaxPerFile+1) + 2 + 1, 21543 + 60 + 2 + 1,
			[]string{"a.txt: ... and 10 more mistakes in this file", "b.txt: ... and 21493 more mistakes in this file"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.list.err()
			var got ErrorList
			if !errors.As(err, &got) {
				t.Fatalf("err() = %v", err)
			}
			if len(got) != tc.wantLines || got.Count() != tc.wantCount {
				t.Errorf("%d lines counting %d mistakes, want %d lines counting %d", len(got), got.Count(), tc.wantLines, tc.wantCount)
			}
			var more []string
			for _, e := range got {
				if e.More > 0 {
					more = append(more, e.Error())
				}
			}
			if len(more) != len(tc.wantLast) {
				t.Fatalf("count lines %q, want %q", more, tc.wantLast)
			}
			for i, w := range tc.wantLast {
				if !strings.HasPrefix(more[i], w) {
					t.Errorf("count line %q, want %q", more[i], w)
				}
			}
			if !errors.Is(err, ErrValue) {
				t.Error("errors.Is(err, ErrValue) is false")
			}
		})
	}
	// The kind of a mistake left out is still found.
	l := append(mistakes("a.txt", MaxPerFile, ErrValue), &Error{File: "a.txt", Line: 99, Col: 1, Msg: "gone", Err: fs.ErrPermission})
	if err := l.err(); !errors.Is(err, fs.ErrPermission) {
		t.Errorf("the kind of the mistake left out is lost: %v", err)
	}
}

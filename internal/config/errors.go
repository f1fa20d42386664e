package config

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Sentinel errors. Every Error in an ErrorList wraps one of them (or, for a file named
// in the config that cannot be read, the error from the file system), so callers can
// ask errors.Is(err, config.ErrNoUpstream) on the whole list.
var (
	ErrSyntax       = errors.New("YAML syntax error")
	ErrUnknownKey   = errors.New("unknown key")
	ErrDuplicateKey = errors.New("duplicate key")
	ErrType         = errors.New("wrong type")
	ErrValue        = errors.New("bad value")
	ErrNoUpstream   = errors.New("no upstream")
)

// Error is one mistake in a config, with the place it was found.
type Error struct {
	File string // the config file; "" for a config built in memory or by flags
	Line int    // 1-based; 0 when the mistake has no line (a flag, a missing key)
	Col  int    // 1-based; 0 when Line is 0
	Key  string // the key path ("limits.body_bytes", "upstreams[1]") or flag ("--listen")
	Msg  string // the message, starting with the key or flag it is about
	Err  error  // the kind of mistake (ErrValue...) or the underlying error
	// More is set on the line that stands for the mistakes of a file left out of the
	// list (see MaxPerFile): how many there are. Its Err holds their kinds.
	More int
}

// Error formats the mistake as FILE:LINE:COL: message.
func (e *Error) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		b.WriteByte(':')
	}
	if e.Line > 0 {
		b.WriteString(strconv.Itoa(e.Line))
		b.WriteByte(':')
		b.WriteString(strconv.Itoa(e.Col))
		b.WriteByte(':')
	}
	if b.Len() > 0 {
		b.WriteByte(' ')
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Unwrap returns the kind of mistake.
func (e *Error) Unwrap() error { return e.Err }

// ErrorList is every mistake found in one config, sorted by position. Load and Validate
// return it as their error; get it back with errors.As:
//
//	var list config.ErrorList
//	if errors.As(err, &list) { for _, e := range list { ... } }
type ErrorList []*Error

// Error prints one mistake per line.
func (l ErrorList) Error() string {
	var b strings.Builder
	for i, e := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Unwrap returns the mistakes, so errors.Is and errors.As look into each of them.
func (l ErrorList) Unwrap() []error {
	errs := make([]error, len(l))
	for i, e := range l {
		errs[i] = e
	}
	return errs
}

// sort orders the list by file, line and column. Mistakes without a line (a bad flag,
// a missing upstream) come last, in the order they were found, as do mistakes at the
// same place.
func (l ErrorList) sort() {
	sort.SliceStable(l, func(i, j int) bool {
		a, b := l[i], l[j]
		if (a.Line == 0) != (b.Line == 0) {
			return b.Line == 0
		}
		if a.Line == 0 {
			return false
		}
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
}

// Count is the number of mistakes, those left out included.
func (l ErrorList) Count() int {
	n := 0
	for _, e := range l {
		if e.More > 0 {
			n += e.More
		} else {
			n++
		}
	}
	return n
}

// MaxPerFile is how many mistakes of one file an ErrorList holds: a list file of
// 100,000 lines written the wrong way gives the first ones and a count of the others,
// not 100,000 lines.
const MaxPerFile = 50

// err returns the list as an error, sorted and capped (see MaxPerFile), or nil when it
// is empty.
func (l ErrorList) err() error {
	if len(l) == 0 {
		return nil
	}
	l.sort()
	return l.capped(MaxPerFile)
}

// capped keeps the first max mistakes of each file (of a sorted list) and puts one
// line in place of the others, counting them. Mistakes without a line are all kept.
func (l ErrorList) capped(max int) ErrorList {
	count := map[string]int{}
	over := false
	for _, e := range l {
		if e.Line > 0 {
			count[e.File]++
			over = over || count[e.File] > max
		}
	}
	if !over {
		return l
	}
	out := make(ErrorList, 0, len(l))
	seen := map[string]int{}
	var more *Error
	var kinds []error
	var kindSeen map[string]bool // by message: an error need not be comparable
	for _, e := range l {
		if e.Line == 0 {
			out = append(out, e)
			continue
		}
		seen[e.File]++
		n := seen[e.File]
		switch {
		case n <= max:
			out = append(out, e)
		case n == max+1:
			more = &Error{File: e.File, More: count[e.File] - max,
				Msg: fmt.Sprintf("... and %d more mistakes in this file (only the first %d are listed)", count[e.File]-max, max)}
			kinds, kindSeen = nil, map[string]bool{}
			out = append(out, more)
		}
		if n > max && e.Err != nil && !kindSeen[e.Err.Error()] {
			kindSeen[e.Err.Error()] = true
			kinds = append(kinds, e.Err)
			more.Err = errors.Join(kinds...)
		}
	}
	return out
}

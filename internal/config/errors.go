package config

import (
	"errors"
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

// err returns the list as an error, or nil when it is empty.
func (l ErrorList) err() error {
	if len(l) == 0 {
		return nil
	}
	l.sort()
	return l
}

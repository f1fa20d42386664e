package config

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/rampartwaf/rampart/internal/rules"
)

// decoder walks a parsed YAML document against the schema (schema.go), filling in a
// Config and collecting every mistake instead of stopping at the first. It also
// remembers where each value came from, so the checks that run on the finished Config
// (validate.go) can point at the line that set the value, or at the flag.
type decoder struct {
	file    string // for messages: the config file name, "" when there is none
	dir     string // relative paths in the file are taken from here
	errs    ErrorList
	origins map[string]origin // by key path: where the value was set
	hasFile bool              // a file was read (so mistakes can point into it)

	// upstreamKey is the first of upstream:/upstreams: met, to report a file that sets
	// both; upstreamNode is its value.
	upstreamKey  string
	upstreamNode *yaml.Node

	// spec collects the rule language (rules.go), shared with the decoders of the
	// rules files; ruleFiles are the rules_files to read once the config file is done.
	spec      *rules.Spec
	ruleFiles []ruleFile
	inputs    []input // files read besides the config file, or tried (rules files, list files)
}

// origin is where a value came from: a place in the file, or a flag.
type origin struct {
	name      string // what messages call the value: its key path, or the flag
	line, col int    // 0 for a flag
}

func newDecoder(file, dir string) *decoder {
	return &decoder{file: file, dir: dir, origins: make(map[string]origin), spec: &rules.Spec{}}
}

// at records that the value for key was set at node n.
func (d *decoder) at(key string, n *yaml.Node) {
	d.origins[key] = origin{name: key, line: n.Line, col: n.Column}
}

// fromFlag records that the value for key was set by a flag.
func (d *decoder) fromFlag(key, flag string) {
	d.origins[key] = origin{name: flag}
}

// errorAt records a mistake at node n about key.
func (d *decoder) errorAt(n *yaml.Node, key string, kind error, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if key != "" {
		msg = key + ": " + msg
	}
	d.errs = append(d.errs, &Error{File: d.file, Line: n.Line, Col: n.Column, Key: key, Msg: msg, Err: kind})
}

// errorFor records a mistake about a value of the finished Config, at the place the
// value came from (its line, or its flag). Without a known origin the mistake has no
// line and names the key.
func (d *decoder) errorFor(key string, kind error, format string, args ...any) {
	o, ok := d.origins[key]
	if !ok {
		// A key missing from the file (state.redis.url when there is no redis
		// section) is reported at its nearest enclosing section that is there.
		for k := key; !ok && strings.Contains(k, "."); {
			k = k[:strings.LastIndexByte(k, '.')]
			o, ok = d.origins[k]
		}
		o.name = key
	}
	e := &Error{File: d.file, Line: o.line, Col: o.col, Key: o.name, Msg: fmt.Sprintf(format, args...), Err: kind}
	if e.Key != "" {
		e.Msg = e.Key + ": " + e.Msg
	}
	if e.Line == 0 && strings.HasPrefix(e.Key, "--") {
		e.File = "" // a flag is not in the file
	}
	d.errs = append(d.errs, e)
}

// errorAtStart reports a mistake that is no key's, such as a missing upstream, at the
// start of the file (1:1), or with no position when there is no file.
func (d *decoder) errorAtStart(kind error, format string, args ...any) {
	e := &Error{File: d.file, Msg: fmt.Sprintf(format, args...), Err: kind}
	if d.file != "" && d.hasFile {
		e.Line, e.Col = 1, 1
	}
	d.errs = append(d.errs, e)
}

// field is one key of a mapping in the config file. A key holding a nested mapping has
// sub, the fields of that mapping; any other key has decode, which checks the value's
// type and stores it in the Config.
type field struct {
	name   string
	decode func(d *decoder, key string, n *yaml.Node, c *Config)
	sub    []field
	// scalar, on a section (sub), takes a shorthand written in place of the mapping
	// (admin: off).
	scalar func(d *decoder, key string, n *yaml.Node, c *Config)
}

// extensionPrefix starts top-level keys that Rampart ignores: a place for YAML anchors
// (`x-proxies: &proxies [...]`) and for notes of other tools, as in Compose files.
const extensionPrefix = "x-"

// maxAliasHops bounds how many aliases are followed to reach a value.
const maxAliasHops = 32

// deref follows aliases (*name) to the node they stand for.
func deref(n *yaml.Node) *yaml.Node {
	for i := 0; i < maxAliasHops && n.Kind == yaml.AliasNode && n.Alias != nil; i++ {
		n = n.Alias
	}
	return n
}

// isNull reports whether a node is an empty value (`key:` with nothing, ~ or null).
func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

// describe says what a node holds, for "expected X, got Y" messages.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias that cannot be followed"
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!null":
			return "nothing"
		case "!!int", "!!float":
			return "the number " + n.Value
		case "!!bool":
			return n.Value
		case "!!str":
			return "text " + strconv.Quote(clip(n.Value))
		}
		return n.ShortTag() + " " + strconv.Quote(clip(n.Value))
	}
	return "something else"
}

// clip shortens long values quoted in messages.
func clip(s string) string {
	const max = 60
	if len(s) <= max {
		return s
	}
	return s[:max] + "..."
}

// mapping walks a mapping node with the given fields. A missing section (`limits:` with
// nothing) keeps every default.
func (d *decoder) mapping(key string, n *yaml.Node, fields []field, c *Config) {
	v := deref(n)
	if isNull(v) {
		return
	}
	if v.Kind != yaml.MappingNode {
		if key == "" {
			d.errorAt(n, "", ErrType, "the config must be a mapping of keys (like `listen: 127.0.0.1:8080`), got %s", describe(v))
		} else {
			d.errorAt(n, key, ErrType, "expected a mapping of keys, got %s", describe(v))
		}
		return
	}
	if key != "" {
		d.at(key, n)
	}
	seen := make(map[string]*yaml.Node, len(v.Content)/2)
	for i := 0; i+1 < len(v.Content); i += 2 {
		kn, vn := v.Content[i], v.Content[i+1]
		name, ok := d.keyName(key, kn)
		if !ok {
			continue
		}
		path := name
		if key != "" {
			path = key + "." + name
		}
		if first, dup := seen[name]; dup {
			d.errorAt(kn, path, ErrDuplicateKey, "duplicate key (first set at line %d)", first.Line)
			continue
		}
		seen[name] = kn
		if key == "" && strings.HasPrefix(name, extensionPrefix) {
			continue
		}
		f, known := lookup(fields, name)
		if !known {
			d.unknownKey(key, kn, name, fields)
			continue
		}
		if f.sub != nil {
			if f.scalar != nil && deref(vn).Kind == yaml.ScalarNode && !isNull(deref(vn)) {
				f.scalar(d, path, vn, c)
				continue
			}
			d.mapping(path, vn, f.sub, c)
		} else {
			f.decode(d, path, vn, c)
		}
	}
}

// keyName returns the text of a mapping key, reporting keys that are not plain text.
func (d *decoder) keyName(section string, kn *yaml.Node) (string, bool) {
	k := deref(kn)
	if k.Kind != yaml.ScalarNode || isNull(k) {
		d.errorAt(kn, section, ErrType, "a key must be a name, got %s", describe(k))
		return "", false
	}
	if k.ShortTag() == "!!merge" {
		d.errorAt(kn, section, ErrUnknownKey, "merge keys (<<) are not supported; write the keys out")
		return "", false
	}
	return k.Value, true
}

func lookup(fields []field, name string) (field, bool) {
	for _, f := range fields {
		if f.name == name {
			return f, true
		}
	}
	return field{}, false
}

// unknownKey reports a key that is not in fields, with the nearest known key as a hint.
func (d *decoder) unknownKey(section string, kn *yaml.Node, name string, fields []field) {
	where := ""
	if section != "" {
		where = " in " + section
	}
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = f.name
	}
	hint := ""
	if s := nearest(name, names); s != "" {
		hint = fmt.Sprintf(" (did you mean %q?)", s)
	} else if w := elsewhere(name, section); w != "" {
		hint = fmt.Sprintf(" (%s belongs %s)", name, w)
	} else if section != "" {
		hint = " (known keys: " + strings.Join(names, ", ") + ")"
	}
	d.errs = append(d.errs, &Error{
		File: d.file, Line: kn.Line, Col: kn.Column, Key: joinKey(section, name),
		Msg: fmt.Sprintf("unknown key %q%s%s", clip(name), where, hint), Err: ErrUnknownKey,
	})
}

func joinKey(section, name string) string {
	if section == "" {
		return name
	}
	return section + "." + name
}

// scalar returns the value node if n is a scalar that is not null, and reports a type
// mistake (expected want) otherwise.
func (d *decoder) scalar(key string, n *yaml.Node, want string) (*yaml.Node, bool) {
	v := deref(n)
	if v.Kind != yaml.ScalarNode || isNull(v) {
		d.errorAt(n, key, ErrType, "expected %s, got %s", want, describe(v))
		return nil, false
	}
	return v, true
}

// text reads a value written as text. Numbers and booleans are taken as they are
// written (`listen: 8080` is the text "8080"), so the value's own check can say what is
// wrong with it.
func (d *decoder) text(key string, n *yaml.Node, want string) (string, bool) {
	v, ok := d.scalar(key, n, want)
	if !ok {
		return "", false
	}
	d.at(key, n)
	return v.Value, true
}

// integer reads a whole number.
func (d *decoder) integer(key string, n *yaml.Node) (int64, bool) {
	v, ok := d.scalar(key, n, "a number")
	if !ok {
		return 0, false
	}
	switch v.ShortTag() {
	case "!!int":
		var i int64
		if err := v.Decode(&i); err != nil {
			d.errorAt(n, key, ErrValue, "number %s is too large", clip(v.Value))
			return 0, false
		}
		d.at(key, n)
		return i, true
	case "!!float":
		switch {
		case v.Style&yaml.TaggedStyle != 0:
			d.errorAt(n, key, ErrType, "expected a whole number, got !!float %s (drop the tag)", clip(v.Value))
		case isDigits(strings.TrimPrefix(v.Value, "-")):
			d.errorAt(n, key, ErrValue, "number %s is too large", clip(v.Value))
		default:
			d.errorAt(n, key, ErrType, "expected a whole number, got %s", describe(v))
		}
	default:
		hint := ""
		if _, err := strconv.ParseInt(strings.TrimSpace(v.Value), 10, 64); err == nil && v.ShortTag() == "!!str" {
			hint = fmt.Sprintf(" (write the number without quotes: %s)", strings.TrimSpace(v.Value))
		}
		d.errorAt(n, key, ErrType, "expected a number, got %s%s", describe(v), hint)
	}
	return 0, false
}

// size reads a number of bytes: an integer or text like 64KiB (see parseSize).
func (d *decoder) size(key string, n *yaml.Node) (int64, bool) {
	v, ok := d.scalar(key, n, "a size")
	if !ok {
		return 0, false
	}
	switch v.ShortTag() {
	case "!!int", "!!float":
		if v.ShortTag() == "!!int" || isDigits(strings.TrimPrefix(v.Value, "-")) {
			return d.integer(key, n)
		}
	case "!!str":
		s, err := parseSize(v.Value)
		if err != nil {
			d.errorAt(n, key, ErrValue, "%v", err)
			return 0, false
		}
		d.at(key, n)
		return s, true
	}
	d.errorAt(n, key, ErrType, "expected a size, got %s (%s)", describe(v), sizeHint)
	return 0, false
}

const durationHint = "write a number and a unit: 500ms, 10s, 2m, 1h30m"

// duration reads a duration written the Go way: 10s, 1m30s, 250ms. lo and hi are the
// durations the key accepts (checked later, with the other values): a number without a
// unit is only offered a fix (60 → "60s") that is in range.
func (d *decoder) duration(key string, n *yaml.Node, lo, hi time.Duration) (time.Duration, bool) {
	v, ok := d.scalar(key, n, "a duration")
	if !ok {
		return 0, false
	}
	s := strings.TrimSpace(v.Value)
	if v.ShortTag() == "!!int" || isDigits(strings.TrimPrefix(s, "-")) {
		if secs, err := strconv.ParseInt(s, 10, 64); err == nil && secs > 0 && secs <= int64(hi/time.Second) && time.Duration(secs)*time.Second >= lo {
			d.errorAt(n, key, ErrValue, "duration %s has no unit (did you mean %q?)", clip(s), s+"s")
		} else {
			d.errorAt(n, key, ErrValue, "duration %s has no unit (write a duration %s with its unit, like 1m)", clip(s), durationRange(lo, hi))
		}
		return 0, false
	}
	if v.ShortTag() != "!!str" {
		d.errorAt(n, key, ErrType, "expected a duration, got %s (%s)", describe(v), durationHint)
		return 0, false
	}
	t, err := time.ParseDuration(s)
	if err != nil {
		d.errorAt(n, key, ErrValue, "bad duration %q (%s)", clip(v.Value), durationHint)
		return 0, false
	}
	d.at(key, n)
	return t, true
}

// durationRange says which durations a key accepts: "more than 0", "from 1s to 24h".
func durationRange(lo, hi time.Duration) string {
	if hi == math.MaxInt64 {
		return "more than 0"
	}
	return "from " + formatDuration(lo) + " to " + formatDuration(hi)
}

// formatDuration writes d without its zero units: 24h, 1m, 1h30m, 500ms.
func formatDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// boolean reads true or false.
func (d *decoder) boolean(key string, n *yaml.Node) (bool, bool) {
	v, ok := d.scalar(key, n, "true or false")
	if !ok {
		return false, false
	}
	if v.ShortTag() != "!!bool" {
		d.errorAt(n, key, ErrType, "expected true or false, got %s", describe(v))
		return false, false
	}
	var b bool
	if err := v.Decode(&b); err != nil {
		d.errorAt(n, key, ErrType, "expected true or false, got %s", describe(v))
		return false, false
	}
	d.at(key, n)
	return b, true
}

// list returns the items of a list; a missing list (`key:` with nothing) is empty.
func (d *decoder) list(key string, n *yaml.Node, want string) ([]*yaml.Node, bool) {
	v := deref(n)
	if isNull(v) {
		d.at(key, n)
		return nil, true
	}
	if v.Kind != yaml.SequenceNode {
		d.errorAt(n, key, ErrType, "expected a list of %s, got %s", want, describe(v))
		return nil, false
	}
	d.at(key, n)
	return v.Content, true
}

// item is the key path of the i-th item of a list.
func item(key string, i int) string {
	return key + "[" + strconv.Itoa(i) + "]"
}

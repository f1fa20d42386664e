package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// maxFileBytes bounds the size of a config file.
const maxFileBytes = 4 << 20

// Overrides are the command-line flags that override the config file. An empty field is
// a flag that was not given. Mistakes in them are reported with the flag's name.
type Overrides struct {
	Listen      string // --listen: the proxy's listen address
	Upstream    string // --upstream: one upstream URL; replaces upstream:/upstreams:
	Mode        string // --mode: block, log or off
	AdminListen string // --admin-listen: the admin listen address, or "off"
	// NoUpstreamNeeded accepts a file without an upstream, for commands that judge
	// traffic without proxying it (rampart replay).
	NoUpstreamNeeded bool
	// NoThresholds turns the thresholds off (rampart demo: a corpus replayed through it
	// measures detection, not the flag its own attacks would earn).
	NoThresholds bool
}

// Load reads the config file at path, applies the overrides and checks the result.
// An empty path means no file: the defaults and the overrides only.
//
// Mistakes in the file or the flags are returned together as an ErrorList, one Error
// per mistake with its FILE:LINE:COL. A file that cannot be read is returned as a wrapped
// error (test it with errors.Is(err, fs.ErrNotExist)).
func Load(path string, ov Overrides) (*Config, error) {
	c, _, err := load(path, ov)
	return c, err
}

// load is Load. It also returns the files the config named besides its own (rules
// files, list files) as they were read, or found unreadable, even when the config is
// rejected: a Reloader watches them.
func load(path string, ov Overrides) (*Config, inputs, error) {
	if path == "" {
		return parse("", nil, ov)
	}
	data, err := readFile(path)
	if err != nil {
		return nil, nil, err
	}
	return parse(path, data, ov)
}

// readFile reads a config file of at most maxFileBytes.
func readFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reading config: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("reading config %s: %w", path, err)
	}
	if len(data) > maxFileBytes {
		return nil, fmt.Errorf("reading config %s: %w (more than %s)", path, errTooLarge, formatSize(maxFileBytes))
	}
	return data, nil
}

// Parse is Load for a config already in memory. name is the file name used in messages
// and the directory relative file names are taken from; it may be "" (messages then
// start at the line number, and relative names are taken from the working directory).
func Parse(name string, data []byte, ov Overrides) (*Config, error) {
	c, _, err := parse(name, data, ov)
	return c, err
}

// parse is Parse; it also returns the files read besides the config (see load).
func parse(name string, data []byte, ov Overrides) (*Config, inputs, error) {
	c := Default()
	c.File = name
	dir := ""
	if name != "" {
		dir = filepath.Dir(name)
	}
	d := newDecoder(name, dir)
	if !d.decodeYAML(data, c) {
		return nil, nil, d.errs.err()
	}
	d.loadRules(c)
	d.apply(ov, c)
	c.check(d, d.upstreamNode != nil || ov.Upstream != "" || ov.NoUpstreamNeeded)
	if err := d.errs.err(); err != nil {
		return nil, d.inputs, err
	}
	for _, in := range d.inputs {
		c.Included = append(c.Included, IncludedFile{Name: in.name, Sum: in.sum})
	}
	return c, d.inputs, nil
}

// apply puts the overrides over the values from the file.
func (d *decoder) apply(ov Overrides, c *Config) {
	if ov.Listen != "" {
		c.Listen = ov.Listen
		d.fromFlag("listen", "--listen")
	}
	if ov.Upstream != "" {
		u, err := parseUpstream(ov.Upstream)
		if err != nil {
			d.errs = append(d.errs, &Error{Key: "--upstream", Msg: "--upstream: " + err.Error(), Err: ErrValue})
		} else {
			c.Upstreams = []*url.URL{u}
			d.fromFlag(item("upstreams", 0), "--upstream")
		}
	}
	if ov.Mode != "" {
		c.Mode = Mode(ov.Mode)
		d.fromFlag("mode", "--mode")
	}
	if ov.NoThresholds && c.Rules != nil {
		c.Rules = c.Rules.WithoutThresholds()
	}
	if ov.AdminListen != "" {
		c.Admin.Listen = adminListen(ov.AdminListen)
		d.fromFlag("admin.listen", "--admin-listen")
	}
}

// adminListen maps "off", which turns the admin listener off, to "".
func adminListen(s string) string {
	if s == "off" {
		return ""
	}
	return s
}

// decodeYAML parses data and walks it into c. It returns false when the YAML itself is
// broken (the mistake is then in d.errs and there is nothing to walk).
func (d *decoder) decodeYAML(data []byte, c *Config) bool {
	d.hasFile = true
	if !d.utf8File(data) {
		return false
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var root yaml.Node
	err := decodeNode(dec, &root)
	if errors.Is(err, io.EOF) {
		return true // empty, or comments only
	}
	if err != nil {
		d.syntaxError(err, data)
		return false
	}
	var next yaml.Node
	switch err := decodeNode(dec, &next); {
	case err == nil:
		d.errorAt(&next, "", ErrSyntax, "a second YAML document (after ---) is not supported; keep the whole config in one")
	case !errors.Is(err, io.EOF):
		d.syntaxError(err, data)
		return false
	}
	body := &root
	if root.Kind == yaml.DocumentNode {
		if len(root.Content) == 0 {
			return true
		}
		body = root.Content[0]
	}
	d.mapping("", body, schema, c)
	return true
}

// utf8File reports whether data is not UTF-16, and records a mistake when it is. The
// YAML parser would read UTF-16, but the lines and columns of every message, and of
// every tool an operator pipes the file through, are UTF-8 ones.
func (d *decoder) utf8File(data []byte) bool {
	if bytes.HasPrefix(data, []byte{0xff, 0xfe}) || bytes.HasPrefix(data, []byte{0xfe, 0xff}) {
		d.errs = append(d.errs, &Error{File: d.file, Line: 1, Col: 1, Err: ErrSyntax,
			Msg: "the file is UTF-16 (it starts with a UTF-16 byte order mark); save it as UTF-8"})
		return false
	}
	return true
}

// decodeNode decodes the next document, turning a panic in the YAML parser (none is
// known; this guards the promise that no input makes Rampart panic) into an error.
func decodeNode(dec *yaml.Decoder, n *yaml.Node) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("yaml: parser failed: %v", r)
		}
	}()
	return dec.Decode(n)
}

// parserProblems are the YAML parser's (not its scanner's) messages. The parser gives
// their line counted from 0, and its context line (the start of the construct it was
// in) when it has one; the scanner counts from 1.
var parserProblems = map[string]bool{
	"did not find expected ',' or ']'":       true,
	"did not find expected ',' or '}'":       true,
	"did not find expected '-' indicator":    true,
	"did not find expected <document start>": true,
	"did not find expected <stream-start>":   true,
	"did not find expected key":              true,
	"did not find expected node content":     true,
	"found duplicate %TAG directive":         true,
	"found duplicate %YAML directive":        true,
	"found incompatible YAML document":       true,
	"found undefined tag handle":             true,
}

// syntaxError reports a YAML syntax error. The parser gives the line in its message
// ("yaml: line 3: ..."), not the column: the column is taken as the first character of
// that line that is not a space. A message without a line is about the first line, or
// about a bad byte or an unknown alias, which are looked for in data.
func (d *decoder) syntaxError(err error, data []byte) {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if num, text, ok := strings.Cut(rest, ": "); ok {
			if n, err := strconv.Atoi(num); err == nil && n > 0 {
				line, msg = n, text
			}
		}
	}
	if parserProblems[msg] {
		line++ // also turns "no line" into line 1
	}
	col := 0
	switch {
	case line > 0:
	case strings.Contains(msg, "UTF-8") || strings.Contains(msg, "control characters") || strings.Contains(msg, "Unicode"):
		line, col = badByte(data)
	case strings.HasPrefix(msg, "unknown anchor") || strings.HasPrefix(msg, "anchor"):
		line, col = aliasUse(data, msg)
	}
	line = min(max(line, 1), lineCount(data))
	if col == 0 {
		col = firstNonBlank(lineText(data, line))
	}
	switch {
	case strings.Contains(msg, "cannot start any token") && strings.Contains(lineText(data, line), "\t"):
		msg += " (tabs cannot indent YAML; use spaces)"
	case strings.Contains(lineText(data, line), "::"):
		msg += ` (quote IPv6 addresses: "[::1]:8080", "::1/128")`
	case strings.HasPrefix(msg, "did not find expected key"):
		msg += " (check the indentation)"
	}
	d.errs = append(d.errs, &Error{File: d.file, Line: line, Col: col, Msg: "YAML syntax error: " + msg, Err: ErrSyntax})
}

// aliasUse finds where the alias named in an "unknown anchor 'x' referenced" message is
// used, or returns 0, 0.
func aliasUse(data []byte, msg string) (line, col int) {
	_, rest, ok := strings.Cut(msg, "'")
	name, _, ok2 := strings.Cut(rest, "'")
	if !ok || !ok2 || name == "" {
		return 0, 0
	}
	i := bytes.Index(data, []byte("*"+name))
	if i < 0 {
		return 0, 0
	}
	before := splitLines(data[:i+1]) // the line holding the alias ends the list
	last := before[len(before)-1]
	return len(before), utf8.RuneCountInString(last)
}

// splitLines splits data into lines the way the YAML parser counts them: a line ends
// at CR LF, CR, LF, NEL (U+0085), LS (U+2028) or PS (U+2029). A final line break does
// not start another line. There is always at least one (maybe empty) line.
func splitLines(data []byte) []string {
	var lines []string
	start := 0
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		switch r {
		case '\r':
			lines = append(lines, string(data[start:i]))
			if i+1 < len(data) && data[i+1] == '\n' {
				size++
			}
			start = i + size
		case '\n', 0x85, 0x2028, 0x2029:
			lines = append(lines, string(data[start:i]))
			start = i + size
		}
		i += size
	}
	if start < len(data) || len(lines) == 0 {
		lines = append(lines, string(data[start:]))
	}
	return lines
}

// lineCount is the number of lines in data (at least 1).
func lineCount(data []byte) int { return len(splitLines(data)) }

// lineText returns line n (1-based) of data, or "".
func lineText(data []byte, n int) string {
	lines := splitLines(data)
	if n < 1 || n > len(lines) {
		return ""
	}
	return lines[n-1]
}

// firstNonBlank returns the 1-based column (in characters) of the first character of s
// that is not a space or tab, or 1.
func firstNonBlank(s string) int {
	col := 1
	for _, r := range s {
		if r != ' ' && r != '\t' {
			return col
		}
		col++
	}
	return 1
}

// badByte finds the first character YAML does not accept (invalid UTF-8 or a control
// character) and returns its line and column, or 1, 1 when there is none.
func badByte(data []byte) (line, col int) {
	for i, text := range splitLines(data) {
		col := 1
		for j := 0; j < len(text); {
			r, size := utf8.DecodeRuneInString(text[j:])
			if (r == utf8.RuneError && size <= 1) || badRune(r) {
				return i + 1, col
			}
			col++
			j += size
		}
	}
	return 1, 1
}

// badRune reports a character YAML does not allow in a document.
func badRune(r rune) bool {
	switch {
	case r == '\t' || r == '\n' || r == '\r':
		return false
	case r < 0x20 || r == 0x7f:
		return true
	case r >= 0x80 && r <= 0x9f:
		return r != 0x85
	case r == 0xfffe || r == 0xffff:
		return true
	}
	return false
}

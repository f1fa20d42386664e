package parse

// Limits bound the work done parsing one request or message. Zero means "no limit" only
// in tests; the config always supplies values.
type Limits struct {
	Params int // most parameters taken from one request or message
	// Depth is the deepest JSON/XML nesting followed. 0 means the built-in ceiling
	// HardDepth, which also caps larger values: nesting is followed by recursion.
	Depth int
	// FileBytes is the largest multipart file whose contents are inspected (when they
	// are text). 0 means DefaultFileBytes; a negative value inspects no file contents.
	FileBytes int
	// BodyBytes bounds a body decoded from its Content-Encoding (gzip, deflate): more
	// decoded bytes than this set FlagBodyTruncated, a limit decision like a body sent
	// over limits.body_bytes. 0 means DefaultBodyBytes.
	BodyBytes int
}

// Defaults and ceilings.
const (
	DefaultFileBytes = 16 << 10
	DefaultBodyBytes = 1 << 20
	HardDepth        = 512
)

func (l Limits) depth() int {
	if l.Depth <= 0 || l.Depth > HardDepth {
		return HardDepth
	}
	return l.Depth
}

func (l Limits) fileBytes() int {
	if l.FileBytes == 0 {
		return DefaultFileBytes
	}
	return l.FileBytes
}

func (l Limits) bodyBytes() int {
	if l.BodyBytes <= 0 {
		return DefaultBodyBytes
	}
	return l.BodyBytes
}

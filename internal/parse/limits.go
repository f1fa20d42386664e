package parse

// Limits bound the work done parsing one request or message. Zero means "no limit" only
// in tests; the config always supplies values.
type Limits struct {
	Params int // most parameters taken from one request or message
	Depth  int // deepest JSON/XML nesting followed
}

// Package decode normalises parameter values before detection. A Decoder turns one value
// into its decoded variants: URL decoding repeated until stable ('+' as space when the
// value is percent-encoded, %uXXXX, overlong UTF-8), HTML entities (named, decimal, hex,
// with or without the semicolon), JavaScript/JSON escapes (\u003c, \u{3c}, \x3c, \074),
// base64 values that decode to printable text, and a folded form with NUL bytes removed,
// SQL/C comments turned into spaces and whitespace runs collapsed. Inside a value that
// is not base64 as a whole, the base64 runs that decode to printable text and the
// string values of JSON it holds are variants too (embedded.go).
//
// Start with Get, call Decoder.Variants for each value, and Put the Decoder back:
//
//	d := decode.Get()
//	defer decode.Put(d)
//	facts := d.Variants(v, func(variant string, how decode.Transform) bool {
//		// inspect variant; it is only valid during this call
//		return true // false stops early
//	})
//
// Decoding only shrinks: every variant is at most as long as the value it came from, so
// a Decoder's buffers are bounded by the largest value it has seen. A value that needs
// no decoding (most of them) is recognised by one scan and costs no allocation.
package decode

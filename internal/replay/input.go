package replay

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
)

// ErrLineTooLong is wrapped by the error for a line longer than Options.MaxLineBytes.
// The line is skipped; reading goes on with the next one.
var ErrLineTooLong = errors.New("line too long")

// Input is one stream of JSON Lines. Open is called when the input's turn comes, so
// only one file is open at a time; Name is used in messages ("file:line").
type Input struct {
	Name string
	Open func() (io.ReadCloser, error)
}

// FileInput returns the Input that reads the file at path.
func FileInput(path string) Input {
	return Input{Name: path, Open: func() (io.ReadCloser, error) { return os.Open(path) }}
}

// gzipMagic starts every gzip stream (RFC 1952).
var gzipMagic = []byte{0x1f, 0x8b}

// lineReader yields the lines of a plain or gzipped stream, one at a time, never
// holding more than one line (of at most max bytes) in memory.
type lineReader struct {
	br   *bufio.Reader
	gz   *gzip.Reader
	max  int
	buf  []byte
	line int // number of the line last returned, 1-based
}

// newLineReader sniffs the first bytes of r for the gzip magic and decompresses when
// it is there, whatever the file is called.
func newLineReader(r io.Reader, max int) (*lineReader, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	lr := &lineReader{max: max}
	head, err := br.Peek(2)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("reading input: %w", err)
	}
	if bytes.Equal(head, gzipMagic) {
		gz, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("opening gzip stream: %w", err)
		}
		lr.gz = gz
		br = bufio.NewReaderSize(gz, 64<<10)
	}
	lr.br = br
	return lr, nil
}

// next returns the next line without its line ending. The slice is valid until the
// next call. At the end of the input it returns io.EOF. A line over the limit is
// consumed and reported with an error wrapping ErrLineTooLong; other errors are
// errors of the stream itself and end reading.
func (lr *lineReader) next() ([]byte, error) {
	lr.buf = lr.buf[:0]
	tooLong := false
	for {
		chunk, err := lr.br.ReadSlice('\n')
		if !tooLong {
			if len(lr.buf)+len(chunk) > lr.max+2 { // +2: the CRLF is not part of the line
				tooLong = true
				lr.buf = lr.buf[:0]
			} else {
				lr.buf = append(lr.buf, chunk...)
			}
		}
		switch {
		case err == nil:
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF):
			if len(lr.buf) == 0 && !tooLong && len(chunk) == 0 {
				return nil, io.EOF
			}
		default:
			return nil, fmt.Errorf("reading line %d: %w", lr.line+1, err)
		}
		lr.line++
		if tooLong {
			return nil, fmt.Errorf("%w (over %d bytes)", ErrLineTooLong, lr.max)
		}
		return bytes.TrimRight(lr.buf, "\r\n"), nil
	}
}

func (lr *lineReader) close() {
	if lr.gz != nil {
		lr.gz.Close()
	}
}

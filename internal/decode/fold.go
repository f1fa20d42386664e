package decode

// foldInto writes the folded form of s into d.fold: NUL bytes removed, /* comments */
// replaced by one space (the body of a MySQL /*!version ... */ comment is kept, since
// MySQL runs it), and runs of whitespace (space, \t \n \v \f \r, and U+00A0) collapsed to
// one space. ok is false when s has nothing to fold; plain runs of spaces alone do not
// make a variant.
func (d *Decoder) foldInto(s string) (string, bool) {
	need := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == 0 || class[c]&cSpace != 0 || c == '/' && i+1 < len(s) && s[i+1] == '*' {
			need = true
			break
		}
	}
	if !need {
		return "", false
	}
	dst := d.fold[:0]
	space := false // the last byte written is a folded space
	put := func(c byte) {
		if c == ' ' {
			if space {
				return
			}
			space = true
		} else {
			space = false
		}
		dst = append(dst, c)
	}
	inVersioned := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == 0:
		case class[c]&cSpace != 0 || c == ' ':
			put(' ')
		case c == 0xC2 && i+1 < len(s) && s[i+1] == 0xA0:
			put(' ')
			i++
		case c == '/' && i+1 < len(s) && s[i+1] == '*':
			if i+2 < len(s) && s[i+2] == '!' {
				// MySQL executable comment: drop the marker and version, keep the body.
				j := i + 3
				for j < len(s) && s[j] >= '0' && s[j] <= '9' {
					j++
				}
				inVersioned = true
				put(' ')
				i = j - 1
				continue
			}
			end := indexCommentEnd(s, i+2)
			put(' ')
			if end < 0 {
				i = len(s)
			} else {
				i = end + 1
			}
		case c == '*' && inVersioned && i+1 < len(s) && s[i+1] == '/':
			inVersioned = false
			put(' ')
			i++
		default:
			put(c)
		}
	}
	d.fold = dst
	return str(dst), true
}

// indexCommentEnd returns the index of the '*' of the first "*/" at or after i, or -1.
func indexCommentEnd(s string, i int) int {
	for ; i+1 < len(s); i++ {
		if s[i] == '*' && s[i+1] == '/' {
			return i
		}
	}
	return -1
}

package policy

import (
	"bytes"
	"sort"
)

// compacted is a document without the white space between its JSON
// tokens (SpanOptions.Compact).
type compacted struct {
	doc []byte
	// gaps are pairs (at, removed): before the byte at offset at of doc,
	// removed bytes of white space in all were left out; ascending
	gaps []uint32
	// removed is how many bytes were left out in all
	removed int
	// flagged says doc holds a character CheckLimits may report (one
	// outside TAB, LF, CR and U+0020-U+00FF), whose place in the file it
	// then needs the gaps for
	flagged bool
}

// compactJSON returns span, a valid JSON value of valid UTF-8, without the
// white space outside its strings, in a slice of its own made at its
// length. It reads span run by run (a string whole, through
// bytes.IndexByte), not byte by byte: a dump of 20,000 users holds 40 MB
// of indented documents.
func compactJSON(span []byte) compacted {
	var c compacted
	kept := 0
	jsonRuns(span, func(i, j int) { kept += j - i }, func(i, j int) {})
	c.doc = make([]byte, 0, kept)
	jsonRuns(span, func(i, j int) {
		c.doc = append(c.doc, span[i:j]...)
	}, func(i, j int) {
		// before the next byte kept, or after the value's end
		c.removed += j - i
		c.gaps = append(c.gaps, uint32(len(c.doc)), uint32(c.removed))
	})
	// a rune from U+0100 on begins with a byte from 0xC4 on; a control
	// character is never in valid JSON text but as white space
	for _, b := range c.doc {
		if b >= 0xC4 || b < 0x20 {
			c.flagged = true
			break
		}
	}
	return c
}

// jsonRuns calls kept with each run span[i:j] of bytes that are not white
// space outside a string (a string whole, white space in it too), and
// space with each run of white space outside strings, in order; the runs
// cover span. A string that does not end runs to span's end.
func jsonRuns(span []byte, kept, space func(i, j int)) {
	n := len(span)
	for i := 0; i < n; {
		j := i
		if isJSONSpace(span[i]) {
			for j < n && isJSONSpace(span[j]) {
				j++
			}
			space(i, j)
			i = j
			continue
		}
		for j < n && !isJSONSpace(span[j]) {
			if span[j] == '"' {
				j = stringEnd(span, j)
			} else {
				j++
			}
		}
		kept(i, j)
		i = j
	}
}

// stringEnd returns the offset after the string that begins at span[i], a
// quote: after the first quote that an even number of backslashes (none
// too) precedes, or len(span).
func stringEnd(span []byte, i int) int {
	for j := i + 1; ; j++ {
		k := bytes.IndexByte(span[j:], '"')
		if k < 0 {
			return len(span)
		}
		j += k
		escapes := 0
		for m := j - 1; m > i && span[m] == '\\'; m-- {
			escapes++
		}
		if escapes%2 == 0 {
			return j + 1
		}
	}
}

// isJSONSpace reports whether b is white space between JSON tokens.
func isJSONSpace(b byte) bool { return b == ' ' || b == '\t' || b == '\n' || b == '\r' }

// spanOffset maps off, an offset of a compacted document, to the offset of
// the same byte in the span it was made from; without gaps, off itself.
func spanOffset(gaps []uint32, off int) int {
	k := sort.Search(len(gaps)/2, func(k int) bool { return int(gaps[2*k]) > off }) - 1
	if k < 0 {
		return off
	}
	return off + int(gaps[2*k+1])
}

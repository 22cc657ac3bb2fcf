package policy

import "sort"

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
// length.
func compactJSON(span []byte) compacted {
	var c compacted
	kept := 0
	walkJSON(span, func(i int, space bool) {
		if !space {
			kept++
		}
	})
	c.doc = make([]byte, 0, kept)
	lastSpace := false
	walkJSON(span, func(i int, space bool) {
		if space {
			c.removed++
			lastSpace = true
			return
		}
		if lastSpace {
			c.gaps = append(c.gaps, uint32(len(c.doc)), uint32(c.removed))
			lastSpace = false
		}
		b := span[i]
		c.doc = append(c.doc, b)
		// a rune from U+0100 on begins with a byte from 0xC4 on; a control
		// character is never in valid JSON text but as white space
		if b >= 0xC4 || b < 0x20 {
			c.flagged = true
		}
	})
	if lastSpace {
		// white space after the value: its end is after it
		c.gaps = append(c.gaps, uint32(len(c.doc)), uint32(c.removed))
	}
	return c
}

// walkJSON calls fn with each byte offset of span, a JSON text, and
// whether the byte is white space outside a string.
func walkJSON(span []byte, fn func(i int, space bool)) {
	inStr, esc := false, false
	for i, b := range span {
		switch {
		case esc:
			esc = false
		case inStr && b == '\\':
			esc = true
		case b == '"':
			inStr = !inStr
		case !inStr && (b == ' ' || b == '\t' || b == '\n' || b == '\r'):
			fn(i, true)
			continue
		}
		fn(i, false)
	}
}

// spanOffset maps off, an offset of a compacted document, to the offset of
// the same byte in the span it was made from; without gaps, off itself.
func spanOffset(gaps []uint32, off int) int {
	k := sort.Search(len(gaps)/2, func(k int) bool { return int(gaps[2*k]) > off }) - 1
	if k < 0 {
		return off
	}
	return off + int(gaps[2*k+1])
}

package policy

import (
	"math/rand/v2"
	"testing"
)

// TestLineIndexWidths checks that the four-byte offsets of a file under 4
// GiB give the positions the eight-byte ones give, at every offset
// (clamped ones included), and that both count lines from 1 and columns in
// bytes from 1, as Position documents.
func TestLineIndexWidths(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for n := 0; n < 200; n++ {
		data := make([]byte, r.IntN(60))
		for i := range data {
			data[i] = "ab\n"[r.IntN(3)]
		}
		small, wide := newLineIndex("f", data, true), newLineIndex("f", data, false)
		if small.lines32 == nil || small.lines != nil || wide.lines == nil || wide.lines32 != nil {
			t.Fatalf("newLineIndex(small=true/false) did not choose its width")
		}
		line, col := 1, 1
		for off := -2; off <= len(data)+2; off++ {
			a, b := small.Position(off), wide.Position(off)
			if a != b {
				t.Fatalf("%q offset %d: four-byte %+v, eight-byte %+v", data, off, a, b)
			}
			if off >= 0 && off <= len(data) {
				if a.Line != line || a.Column != col || a.Offset != off {
					t.Fatalf("%q offset %d: %+v, want line %d column %d", data, off, a, line, col)
				}
				if off < len(data) && data[off] == '\n' {
					line, col = line+1, 1
				} else {
					col++
				}
			}
		}
	}
}

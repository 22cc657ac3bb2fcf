package policy

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestLineIndexPositions checks every offset of random files (clamped ones
// included) against a walk over the bytes: lines count from 1, columns in
// bytes from 1, as Position documents. The files hold short lines and
// lines of more than 255 bytes (which a block keeps wide), over many
// blocks of lines.
func TestLineIndexPositions(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	wide := 0
	for n := 0; n < 300; n++ {
		var data []byte
		switch n % 3 {
		case 0: // a few bytes, many new lines
			data = make([]byte, r.IntN(60))
			for i := range data {
				data[i] = "ab\n"[r.IntN(3)]
			}
		default: // lines of 0 to 300 bytes, some of them over 255
			for range r.IntN(400) {
				l := r.IntN(40)
				if r.IntN(20) == 0 {
					l = 250 + r.IntN(50)
				}
				data = append(data, strings.Repeat("x", l)...)
				data = append(data, '\n')
			}
			if r.IntN(2) == 0 {
				data = append(data, "tail"...)
			}
		}
		x := NewLineIndex("f", data)
		wide += len(x.wide)
		line, col := 1, 1
		for off := -2; off <= len(data)+2; off++ {
			got := x.Position(off)
			want := Position{Filename: "f", Offset: max(0, min(off, len(data))), Line: line, Column: col}
			if off < 0 {
				want.Line, want.Column = 1, 1
			}
			if off > len(data) {
				continue // clamped: the same as at len(data), checked there
			}
			if got != want {
				t.Fatalf("file %d (%d bytes) offset %d: %+v, want %+v", n, len(data), off, got, want)
			}
			if off >= 0 && off < len(data) {
				if data[off] == '\n' {
					line, col = line+1, 1
				} else {
					col++
				}
			}
		}
		if got, end := x.Position(len(data)+5), x.Position(len(data)); got != end {
			t.Fatalf("file %d: past the end %+v, at the end %+v", n, got, end)
		}
	}
	if wide == 0 {
		t.Fatal("no block of long lines was made: the test does not reach LineIndex.wide")
	}
}

package account

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestNameChecker: nameChecker says of every name what nameOverlaps and
// containsFold say of it and each text, text by text: random names and
// texts over a small alphabet of both cases (so that they overlap often),
// with non-ASCII texts among them.
func TestNameChecker(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	word := func(alphabet string, max int) string {
		var b strings.Builder
		for range 1 + r.IntN(max) {
			b.WriteByte(alphabet[r.IntN(len(alphabet))])
		}
		return b.String()
	}
	const abc = "abAB1-/"
	for round := range 400 {
		var overlap, contain []string
		for range r.IntN(6) {
			overlap = append(overlap, word(abc, 8))
		}
		for range r.IntN(4) {
			contain = append(contain, word(abc, 10))
		}
		if round%17 == 0 {
			overlap = append(overlap, "é"+word(abc, 3))
		}
		if round%13 == 0 {
			contain = append(contain, "K"+word(abc, 4)) // the Kelvin sign folds to k
		}
		if round%11 == 0 {
			overlap = append(overlap, "")
		}
		c := newNameChecker(overlap, contain)
		for range 50 {
			n := word(abc+"k", 6)
			want := false
			for _, s := range overlap {
				want = want || nameOverlaps(s, n)
			}
			for _, s := range contain {
				want = want || containsFold(s, n)
			}
			if got := c.hits(n, strings.ToLower(n)); got != want {
				t.Fatalf("name %q, overlap %q, contain %q: hits %v, want %v", n, overlap, contain, got, want)
			}
		}
	}
}

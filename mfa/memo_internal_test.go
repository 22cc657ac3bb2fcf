package mfa

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/iameval/iameval/condition"
)

// TestGlobsIntersect checks globsIntersect against a search for a common
// string: two patterns over {a, b, *, ?} share one exactly when they share
// one over {a, b, c} no longer than both together (c stands for any other
// character a wildcard takes).
func TestGlobsIntersect(t *testing.T) {
	var strs []string
	var gen func(prefix string, n int)
	gen = func(prefix string, n int) {
		strs = append(strs, prefix)
		if n == 0 {
			return
		}
		for _, c := range "abc" {
			gen(prefix+string(c), n-1)
		}
	}
	gen("", 6)
	var pats []string
	var genP func(prefix string, n int)
	genP = func(prefix string, n int) {
		pats = append(pats, prefix)
		if n == 0 {
			return
		}
		for _, c := range "ab*?" {
			genP(prefix+string(c), n-1)
		}
	}
	genP("", 3)
	both, neither := 0, 0
	for _, p := range pats {
		for _, q := range pats {
			want := false
			for _, s := range strs {
				if len(s) <= len(p)+len(q) && condition.MatchWildcard(p, s, false) && condition.MatchWildcard(q, s, false) {
					want = true
					break
				}
			}
			if got := globsIntersect(p, q); got != want {
				t.Fatalf("globsIntersect(%q, %q) = %v, want %v", p, q, got, want)
			}
			if want {
				both++
			} else {
				neither++
			}
		}
	}
	if both == 0 || neither == 0 {
		t.Fatalf("the cases do not tell: %d intersect, %d do not", both, neither)
	}
	// ARNs: rows on the stack, and longer ones on the heap
	long := "arn:aws:s3:::" + strings.Repeat("x", 200) + "/*"
	for _, tc := range []struct {
		p, q string
		want bool
	}{
		{"arn:aws:s3:::home/alice/*", "arn:aws:s3:::team-1/*", false},
		{"arn:aws:s3:::home/alice/*", "arn:aws:s3:::home/*", true},
		{"arn:aws:s3:::home/alice/*", "arn:aws:s3:::*/bob/*", true},
		{"arn:aws:s3:::home/alice/*", "arn:aws:s3:::Home/*", false},
		{long, "arn:aws:s3:::" + strings.Repeat("x", 200) + "/a", true},
		{long, "arn:aws:s3:::" + strings.Repeat("x", 199) + "y/a", false},
		// rows longer than the stack's
		{"*" + strings.Repeat("ab", 200), strings.Repeat("a*", 150) + "b", true},
		{"*" + strings.Repeat("ab", 200), strings.Repeat("a*", 150) + "a", false},
	} {
		if got := globsIntersect(tc.p, tc.q); got != tc.want {
			t.Errorf("globsIntersect(%q, %q) = %v, want %v", tc.p, tc.q, got, tc.want)
		}
		if got := globsIntersect(tc.q, tc.p); got != tc.want {
			t.Errorf("globsIntersect(%q, %q) = %v, want %v", tc.q, tc.p, got, tc.want)
		}
	}
	r := rand.New(rand.NewPCG(5, 6))
	for n := 0; n < 3000; n++ {
		p, q := randomGlob(r), randomGlob(r)
		want := false
		for _, s := range strs {
			if condition.MatchWildcard(p, s, false) && condition.MatchWildcard(q, s, false) {
				want = true
				break
			}
		}
		// strs reach only 6 characters: a longer common string is not
		// searched, so only an intersection found is checked
		if want && !globsIntersect(p, q) {
			t.Fatalf("globsIntersect(%q, %q) = false; both match a string", p, q)
		}
	}
}

func randomGlob(r *rand.Rand) string {
	var b strings.Builder
	for i := r.IntN(7); i > 0; i-- {
		b.WriteByte("ab*?"[r.IntN(4)])
	}
	return b.String()
}

// FuzzGlobsIntersect: globsIntersect is symmetric; against a pattern
// without wildcards it is condition.MatchWildcard (a literal text and a
// pattern share a string exactly when the pattern matches the text); and a
// pattern always shares a string with itself and with its own text with
// each wildcard filled ('*' by nothing, '?' by "x"). Texts are kept to
// ASCII, as the memo keeps them.
func FuzzGlobsIntersect(f *testing.F) {
	for _, s := range [][2]string{
		{"arn:aws:s3:::home/alice/*", "arn:aws:s3:::team/*"}, {"a*b", "*?"}, {"?", ""}, {"**", "a"},
		{"arn:aws:s3:::*/o*", "arn:aws:s3:::team-?/x"}, {"*ab*", "*ba*"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, p, q string) {
		if len(p) > 300 || len(q) > 300 || !isASCII(p) || !isASCII(q) {
			return
		}
		pq := globsIntersect(p, q)
		if qp := globsIntersect(q, p); pq != qp {
			t.Fatalf("globsIntersect(%q, %q) = %v, but (%q, %q) = %v", p, q, pq, q, p, qp)
		}
		if !strings.ContainsAny(q, "*?") && pq != condition.MatchWildcard(p, q, false) {
			t.Fatalf("globsIntersect(%q, %q) = %v, MatchWildcard = %v", p, q, pq, !pq)
		}
		filled := strings.NewReplacer("*", "", "?", "x").Replace(p)
		if !globsIntersect(p, p) || !globsIntersect(p, filled) {
			t.Fatalf("%q shares no string with itself or with %q", p, filled)
		}
	})
}

package condition_test

import (
	"slices"
	"testing"

	"github.com/iameval/iameval/condition"
)

// wildcardSame fails when MatchWildcard and the compiled pattern disagree.
func wildcardSame(t *testing.T, pattern, s string) {
	t.Helper()
	p := condition.CompilePattern(pattern, condition.PatternOptions{Wildcards: true})
	for _, fold := range []bool{false, true} {
		if got, want := condition.MatchWildcard(pattern, s, fold), p.Match(s, fold, nil); got != want {
			t.Errorf("MatchWildcard(%q, %q, %v) = %v, the compiled pattern says %v", pattern, s, fold, got, want)
		}
	}
}

// TestMatchWildcard: MatchWildcard is CompilePattern's matching of a
// wildcard pattern, on every pattern and text of up to three (and four)
// symbols of an alphabet with stars, '?', letters of both cases, a
// two-byte letter, U+212A KELVIN SIGN (lower-cased to 'k') and an invalid
// byte, and on the ARN shapes policies hold.
func TestMatchWildcard(t *testing.T) {
	alphabet := []string{"*", "?", "a", "A", "k", "\u212a", "\u00e9", "\xff", "/"}
	var words func(n int) []string
	words = func(n int) []string {
		if n == 0 {
			return []string{""}
		}
		var out []string
		for _, w := range words(n - 1) {
			out = append(out, w)
			for _, c := range alphabet {
				out = append(out, w+c)
			}
		}
		return out
	}
	short := words(3)
	slices.Sort(short)
	short = slices.Compact(short)
	for _, p := range short {
		for _, s := range short {
			wildcardSame(t, p, s)
		}
	}
	for _, tc := range [][2]string{
		{"arn:aws:s3:::home/*/*", "arn:aws:s3:::home/user5/objectname"},
		{"arn:aws:s3:::home/user?/*", "arn:aws:s3:::home/user5/x"},
		{"s3:Get*", "s3:GetObject"}, {"s3:*Object*", "S3:putobjecttagging"},
		{"iam:*MFA*", "iam:DeactivateMFADevice"}, {"*a*a*a*", "aaaa"}, {"*a*a*a*b", "aaaa"},
		{"a*?*b", "ab"}, {"a*?*b", "axb"}, {"**", ""}, {"*?", ""}, {"?*?", "\u00e9"},
	} {
		wildcardSame(t, tc[0], tc[1])
	}
}

// FuzzMatchWildcard: MatchWildcard never disagrees with the compiled
// pattern.
func FuzzMatchWildcard(f *testing.F) {
	for _, seed := range [][2]string{{"a*b?c", "aXXbYc"}, {"*", ""}, {"?", "\u212a"}, {"s3:*", "S3:GetObject"}, {"*a*", "\xffa"}} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, pattern, s string) {
		wildcardSame(t, pattern, s)
	})
}

// TestMatchWildcardAllocs: matching allocates nothing.
func TestMatchWildcardAllocs(t *testing.T) {
	if n := testing.AllocsPerRun(100, func() {
		condition.MatchWildcard("arn:aws:s3:::home/*/x?y*/*", "arn:aws:s3:::home/user5/xzy/objectname", true)
	}); n != 0 {
		t.Errorf("%v allocations, want 0", n)
	}
}

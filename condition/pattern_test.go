package condition_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/iameval/iameval/condition"
	"github.com/iameval/iameval/request"
)

// refMatch is a deliberately simple dynamic-programming glob matcher over
// runes: '*' any run, '?' one rune. It is the oracle for Pattern.Match.
func refMatch(pattern, s string) bool {
	p, r := []rune(pattern), []rune(s)
	// dp[j] = pattern[:i] matches s[:j]
	dp := make([]bool, len(r)+1)
	dp[0] = true
	for i := 0; i < len(p); i++ {
		next := make([]bool, len(r)+1)
		for j := 0; j <= len(r); j++ {
			switch p[i] {
			case '*':
				next[j] = dp[j] || (j > 0 && next[j-1])
			case '?':
				next[j] = j > 0 && dp[j-1]
			default:
				next[j] = j > 0 && dp[j-1] && r[j-1] == p[i]
			}
		}
		dp = next
	}
	return dp[len(r)]
}

func TestPatternMatch(t *testing.T) {
	tests := []struct {
		rule, pattern, s string
		want             bool
	}{
		{"literal", "s3:GetObject", "s3:GetObject", true},
		{"literal differs", "s3:GetObject", "s3:GetObjects", false},
		{"lone star matches everything", "*", "", true},
		{"star matches empty", "a*b", "ab", true},
		{"star crosses / and :", "arn:*", "arn:aws:s3:::b/k/x", true},
		{"prefix star", "*Object", "s3:GetObject", true},
		{"middle stars", "s3:*Obj*", "s3:GetObjectTagging", true},
		{"question mark one rune", "s3:Get?bject", "s3:GetObject", true},
		{"question mark needs one", "a?", "a", false},
		{"question mark is one rune, not one byte", "caf?", "café", true},
		{"two question marks", "a??", "aé", false},
		{"leftmost middle segment", "*a*a*", "aa", true},
		{"suffix anchored", "*ab", "abab", true},
		{"suffix must not overlap the prefix", "ab*ba", "aba", false},
		{"doc example 1", "b/*/test/*", "b/1/2/test/3/object.jpg", true},
		{"doc example 2", "b/*/test/*", "b/test/object.jpg", false},
		{"doc example 3", "b/*/test/*", "b/1///test///object.jpg", true},
		{"doc example 4", "b/*/test/*", "b/1-test/object.jpg", false},
		{"empty pattern", "", "", true},
		{"empty pattern non-empty string", "", "x", false},
		{"consecutive stars", "a**b", "axxb", true},
	}
	for _, tc := range tests {
		p := condition.CompilePattern(tc.pattern, condition.PatternOptions{Wildcards: true})
		if got := p.Match(tc.s, false, nil); got != tc.want {
			t.Errorf("%s: Match(%q, %q) = %v, want %v", tc.rule, tc.pattern, tc.s, got, tc.want)
		}
		if ref := refMatch(tc.pattern, tc.s); ref != tc.want {
			t.Errorf("%s: reference matcher disagrees with the table for (%q, %q)", tc.rule, tc.pattern, tc.s)
		}
	}
}

func TestPatternFold(t *testing.T) {
	p := condition.CompilePattern("IAM:*accessKey*", condition.PatternOptions{Wildcards: true})
	for _, s := range []string{"iam:ListAccessKeys", "IAM:CREATEACCESSKEY", "iam:accesskey"} {
		if !p.Match(s, true, nil) {
			t.Errorf("actions are case-insensitive: %q should match %q", s, p.String())
		}
	}
	if p.Match("iam:ListAccessKeys", false, nil) {
		t.Error("without fold the match must be case-sensitive")
	}
	if !condition.EqualFold("ÄBC", "äbc") || condition.EqualFold("straße", "strasse") {
		t.Error("EqualFold must lower-case runes and not fold ß")
	}
}

func TestPatternAgainstReference(t *testing.T) {
	alpha := []string{"a", "b", "*", "?", "é"}
	var patterns []string
	var gen func(prefix string, n int)
	gen = func(prefix string, n int) {
		patterns = append(patterns, prefix)
		if n == 0 {
			return
		}
		for _, c := range alpha {
			gen(prefix+c, n-1)
		}
	}
	gen("", 4)
	strs := []string{"", "a", "b", "ab", "ba", "aab", "abab", "é", "aé", "béa", "aaaa", "abba"}
	for _, pat := range patterns {
		p := condition.CompilePattern(pat, condition.PatternOptions{Wildcards: true})
		for _, s := range strs {
			if got, want := p.Match(s, false, nil), refMatch(pat, s); got != want {
				t.Fatalf("Match(%q, %q) = %v, reference says %v", pat, s, got, want)
			}
		}
	}
}

func FuzzPattern(f *testing.F) {
	f.Add("s3:*Obj?ct*", "s3:GetObject")
	f.Add("*a*a*a*b", "aaaaaaaaaaaaa")
	f.Add("b/*/test/*", "b//test/o.jpg")
	f.Fuzz(func(t *testing.T, pattern, s string) {
		if len(pattern) > 64 || len(s) > 256 || !utf8.ValidString(pattern) || !utf8.ValidString(s) {
			return
		}
		p := condition.CompilePattern(pattern, condition.PatternOptions{Wildcards: true})
		if got, want := p.Match(s, false, nil), refMatch(pattern, s); got != want {
			t.Fatalf("Match(%q, %q) = %v, reference says %v", pattern, s, got, want)
		}
	})
}

// BenchmarkPatternPathological matches a 50-star pattern against strings of
// 10 KB and 100 KB that almost match: the cost must grow linearly with the
// string (compare the two sizes' ns/op), with no backtracking blow-up.
func BenchmarkPatternPathological(b *testing.B) {
	cases := []struct{ name, pattern string }{
		{"50-stars", strings.Repeat("*a", 50) + "*b*"},
		{"25-question-marks", "*" + strings.Repeat("a?", 25) + "b*"},
	}
	for _, c := range cases {
		p := condition.CompilePattern(c.pattern, condition.PatternOptions{Wildcards: true})
		for _, size := range []int{10_000, 100_000} {
			s := strings.Repeat("a", size)
			b.Run(fmt.Sprintf("%s/%dKB", c.name, size/1000), func(b *testing.B) {
				b.SetBytes(int64(size))
				b.ReportAllocs()
				for b.Loop() {
					if p.Match(s, false, nil) {
						b.Fatal("must not match")
					}
				}
			})
		}
	}
}

// TestPatternRender pins that a rendered pattern is a text the pattern
// matches, with variables resolved from the request or their defaults.
func TestPatternRender(t *testing.T) {
	ctx := &request.Context{}
	if err := ctx.Set("aws:username", request.TypeString, "alice"); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		pattern, want string
		missing       []string
	}{
		{"arn:aws:s3:::b/*", "arn:aws:s3:::b/*", nil},
		{"user/${aws:username}", "user/alice", nil},
		{"home/${aws:PrincipalTag/team, 'shared'}/*", "home/shared/*", nil},
		{"home/${aws:userid}/x", "home//x", []string{"aws:userid"}},
		{"a?c${*}", "a?c*", nil},
	}
	for _, tc := range tests {
		p := condition.CompilePattern(tc.pattern, condition.PatternOptions{Wildcards: true, Variables: true})
		got, missing := p.Render(ctx)
		if got != tc.want || strings.Join(missing, ",") != strings.Join(tc.missing, ",") {
			t.Errorf("Render(%q) = %q %v, want %q %v", tc.pattern, got, missing, tc.want, tc.missing)
		}
		if len(missing) == 0 && !p.Match(got, false, ctx) {
			t.Errorf("%q does not match its own rendering %q", tc.pattern, got)
		}
	}
}

// TestEachVariable: EachVariable gives the keys Variables returns, in
// order (the special ${*}, ${?} and ${$} are text, a default is not a
// key), and stops when told to.
func TestEachVariable(t *testing.T) {
	for _, text := range []string{
		"arn:aws:s3:::b/${aws:username}/*",
		"${aws:PrincipalTag/team}-${aws:username, 'none'}/${*}${?}${$}",
		"no variables",
		"${broken",
	} {
		p := condition.CompilePattern(text, condition.PatternOptions{Wildcards: true, Variables: true})
		var got []string
		if !p.EachVariable(func(k string) bool { got = append(got, k); return true }) {
			t.Errorf("%q: EachVariable stopped", text)
		}
		if want := p.Variables(); !slices.Equal(got, want) {
			t.Errorf("%q: EachVariable gave %q, Variables %q", text, got, want)
		}
		n := 0
		if len(got) > 0 && p.EachVariable(func(string) bool { n++; return false }) || n > 1 {
			t.Errorf("%q: EachVariable did not stop at the first false (%d calls)", text, n)
		}
	}
	p := condition.CompilePattern("${aws:PrincipalTag/team}-${aws:username, 'none'}", condition.PatternOptions{Wildcards: true, Variables: true})
	if want := []string{"aws:PrincipalTag/team", "aws:username"}; !slices.Equal(p.Variables(), want) {
		t.Errorf("Variables = %q, want %q", p.Variables(), want)
	}
}

// TestPatternWildcards counts a pattern's wildcards: not the characters
// of the escapes ${*} and ${?} (IAM User Guide, policy variables:
// "special characters"), nor a default value's, nor those of a pattern
// compiled without wildcards.
func TestPatternWildcards(t *testing.T) {
	all := condition.PatternOptions{Wildcards: true, Variables: true}
	for _, tc := range []struct {
		s    string
		opt  condition.PatternOptions
		want int
	}{
		{"abc", all, 0},
		{"a*b?c*", all, 3},
		{"*", all, 1},
		{"a${*}b${?}c", all, 0},
		{"a${*}*", all, 1},
		{"${aws:username, '*?'}x?", all, 1},
		{"a${*}b", condition.PatternOptions{Wildcards: true}, 1},
		{"a*b?", condition.PatternOptions{Variables: true}, 0},
	} {
		p := condition.CompilePattern(tc.s, tc.opt)
		if got := p.Wildcards(); got != tc.want {
			t.Errorf("CompilePattern(%q, %+v).Wildcards() = %d, want %d", tc.s, tc.opt, got, tc.want)
		}
	}
}

package lint

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/iameval/iameval/condition"
)

// TestVariablesAsTheEvaluatorReadsThem: the variables lint judges are the
// ones the evaluator substitutes (condition.CompilePattern): ${*}, ${?} and
// ${$} are literal characters, "${key, 'default'}" has a default, and text
// that is not well formed (no closing brace, an empty name, a name with a
// space) is literal.
func TestVariablesAsTheEvaluatorReadsThem(t *testing.T) {
	for _, s := range []string{
		"arn:aws:s3:::b/${aws:username}/*",
		"${aws:username}${aws:userid}",
		"${*}${?}${$}${aws:username}",
		"${aws:userid, 'anonymous'}/x",
		"${aws:userid, 'anon'ymous'}",
		"${aws:userid, anonymous}",
		"${aws:userid,'anonymous'}",
		"${aws:username",
		"${}",
		"${ aws:username}",
		"$${aws:username}}",
		"${${aws:username}}",
		"${aws:PrincipalTag/team}-${aws:PrincipalTag/dept}",
		"${aws:username, ''}",
		"plain text",
	} {
		p := condition.CompilePattern(s, condition.PatternOptions{Wildcards: true, Variables: true})
		want := p.Variables()
		var got []string
		for _, v := range variables(s) {
			got = append(got, v.key)
			if !strings.HasPrefix(s[v.at:], v.text) || !strings.HasPrefix(v.text, "${") {
				t.Errorf("%q: variable %q not at %d", s, v.text, v.at)
			}
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%q (-evaluator +lint):\n%s", s, diff)
		}
	}
}

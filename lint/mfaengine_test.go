package lint_test

import (
	"fmt"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/iameval/iameval/evaluator"
	"github.com/iameval/iameval/lint"
	"github.com/iameval/iameval/policy"
	"github.com/iameval/iameval/request"
)

// TestMFAOperatorRulesAgreeWithTheEngine: lint and the engine never
// disagree about an MFA key tested with an operator of another type. Where
// lint says the condition never matches (MFA010), no MFA state the engine
// decides lets an Allow with it grant; where the engine can grant, lint says
// how the operator reads the key (MFA009) instead. AWS compares a value an
// operator cannot read as false (SPEC 3.1.5); a String operator compares the
// value's text (SPEC 3.2), a Date operator reads digits as epoch seconds
// (SPEC 3.4), and a value that is not an ARN matches no ARN operator (SPEC
// 3.5). A helper found StringEquals "300" on aws:MultiFactorAuthAge called
// never matching while the engine allowed an age of 300.
func TestMFAOperatorRulesAgreeWithTheEngine(t *testing.T) {
	const caller = "arn:aws:iam::111122223333:user/alice"
	ages := []int{0, 1, 59, 300, 3600, 1700000000}
	cases := []struct {
		key, op, value string
		want           string // MFA009 or MFA010
	}{
		{"aws:MultiFactorAuthAge", "StringEquals", "300", "MFA009"},
		{"aws:MultiFactorAuthAge", "StringLike", "3*", "MFA009"},
		{"aws:MultiFactorAuthAge", "StringNotEquals", "0", "MFA009"},
		{"aws:MultiFactorAuthAge", "DateLessThan", "2030-01-01T00:00:00Z", "MFA009"},
		{"aws:MultiFactorAuthAge", "DateGreaterThan", "1969-12-31T00:00:00Z", "MFA009"},
		{"aws:MultiFactorAuthAge", "ArnEquals", "300", "MFA010"},
		{"aws:MultiFactorAuthAge", "ArnLike", "*", "MFA010"},
		{"aws:MultiFactorAuthAge", "Bool", "true", "MFA010"},
		{"aws:MultiFactorAuthAge", "IpAddress", "10.0.0.0/8", "MFA010"},
		{"aws:MultiFactorAuthPresent", "StringEquals", "true", "MFA009"},
		{"aws:MultiFactorAuthPresent", "NumericEquals", "1", "MFA010"},
		{"aws:MultiFactorAuthPresent", "DateGreaterThan", "1969-12-31T00:00:00Z", "MFA010"},
		{"aws:MultiFactorAuthPresent", "ArnEquals", "true", "MFA010"},
		{"aws:MultiFactorAuthPresent", "ArnLike", "*", "MFA010"},
		{"aws:MultiFactorAuthPresent", "IpAddress", "10.0.0.0/8", "MFA010"},
	}
	for _, tc := range cases {
		name := fmt.Sprintf("%s %s %q", tc.op, tc.key, tc.value)
		doc := fmt.Sprintf(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{%q:{%q:%q}}}]}`, tc.op, tc.key, tc.value)
		got := ids(lint.File("p.json", []byte(doc), policy.KindIdentity))
		if !slices.Contains(got, tc.want) || slices.Contains(got, map[string]string{"MFA009": "MFA010", "MFA010": "MFA009"}[tc.want]) {
			t.Errorf("%s: lint %v, want %s", name, got, tc.want)
		}
		p, err := policy.Parse("p.json", []byte(doc))
		if err != nil {
			t.Fatal(err)
		}
		e, err := evaluator.Compile(evaluator.PolicySet{Identity: []*policy.Policy{p}})
		if err != nil {
			t.Fatal(err)
		}
		grants := []string{}
		reqs := map[string]*request.Context{
			"long-term keys":      request.LongTermKeys(caller, "s3:GetObject", "arn:aws:s3:::b/k"),
			"session without MFA": request.SessionWithoutMFA(caller, "s3:GetObject", "arn:aws:s3:::b/k"),
		}
		for _, age := range ages {
			reqs["MFA "+strconv.Itoa(age)+" s ago"] = request.SessionWithMFA(caller, "s3:GetObject", "arn:aws:s3:::b/k", time.Duration(age)*time.Second)
		}
		for state, req := range reqs {
			if e.Evaluate(req).Verdict == evaluator.Allowed {
				grants = append(grants, state)
			}
		}
		if never := tc.want == "MFA010"; never != (len(grants) == 0) {
			t.Errorf("%s: lint says %s, the engine allows %v", name, tc.want, grants)
		}
	}
}

package evaluator_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/iameval/iameval/evaluator"
	"github.com/iameval/iameval/policy"
	"github.com/iameval/iameval/request"
)

// scaledPolicy has n statements, each for its own service, with a condition.
func scaledPolicy(tb testing.TB, n, values int) *policy.Policy {
	var b strings.Builder
	b.WriteString(`{"Version":"2012-10-17","Statement":[`)
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		var vs []string
		for v := 0; v < values; v++ {
			vs = append(vs, fmt.Sprintf("%q", fmt.Sprintf("team-%d", v)))
		}
		fmt.Fprintf(&b, `{"Effect":"Allow","Action":["svc%d:Get*","svc%d:List*"],"Resource":"arn:aws:s3:::bucket-%d/*","Condition":{"StringEquals":{"aws:PrincipalTag/team":[%s]}}}`,
			i, i, i, strings.Join(vs, ","))
	}
	b.WriteString("]}")
	return mustParse(tb, "scaled", b.String())
}

// BenchmarkScaling: the cost of a decision as the policy grows from 10 to
// 10,000 statements. A request for an action no statement names stays
// nearly flat (the action index skips every statement); one that matches
// the last statement pays only for its service's statements.
func BenchmarkScaling(b *testing.B) {
	for _, n := range []int{10, 100, 1000, 10000} {
		e := mustCompile(b, evaluator.PolicySet{Identity: []*policy.Policy{scaledPolicy(b, n, 1)}})
		miss := request.SessionWithMFA("arn:aws:iam::1:user/a", "ec2:RunInstances", "*", time.Minute)
		hit := request.SessionWithMFA("arn:aws:iam::1:user/a", fmt.Sprintf("svc%d:GetThing", n-1), fmt.Sprintf("arn:aws:s3:::bucket-%d/k", n-1), time.Minute)
		_ = hit.Set("aws:PrincipalTag/team", request.TypeString, "team-0")
		b.Run(fmt.Sprintf("statements=%d/non-matching-action", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				e.Evaluate(miss)
			}
		})
		b.Run(fmt.Sprintf("statements=%d/last-statement", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if d := e.Evaluate(hit); d.Verdict != evaluator.Allowed {
					b.Fatal(d.Verdict)
				}
			}
		})
	}
}

// BenchmarkConditionValues: the cost as one condition lists 1 to 10,000
// values and the request's value is the last.
func BenchmarkConditionValues(b *testing.B) {
	for _, n := range []int{1, 10, 100, 1000, 10000} {
		e := mustCompile(b, evaluator.PolicySet{Identity: []*policy.Policy{scaledPolicy(b, 1, n)}})
		req := request.New("arn:aws:iam::1:user/a", "svc0:GetThing", "arn:aws:s3:::bucket-0/k")
		_ = req.Set("aws:PrincipalTag/team", request.TypeString, fmt.Sprintf("team-%d", n-1))
		b.Run(fmt.Sprintf("values=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if d := e.Evaluate(req); d.Verdict != evaluator.Allowed {
					b.Fatal(d.Verdict)
				}
			}
		})
	}
}

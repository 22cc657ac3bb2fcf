package evaluator_test

import (
	"testing"

	"github.com/iameval/iameval/evaluator"
	"github.com/iameval/iameval/policy"
	"github.com/iameval/iameval/request"
)

// TestFailClosed shows the decision for every way a statement can meet a
// request it cannot fully read. None of them is an error at evaluation time
// (Compile refuses what IAM refuses); each follows SPEC.md §3.1 and §4, and
// none turns a request into "allowed" that an Allow did not grant:
//
//   - An Allow whose condition cannot be read grants nothing.
//   - A Deny with a positive operator that cannot be read does not apply
//     (AWS's rule: the comparison is false), so the request falls to the
//     other statements; with a negated operator it does apply.
func TestFailClosed(t *testing.T) {
	const caller = "arn:aws:sts::111122223333:assumed-role/R/s"
	tests := []struct {
		kind   string // what cannot be read
		cond   string // a condition block or a Resource element
		req    func(*request.Context)
		allow  evaluator.Verdict // the decision with the clause in an Allow-only policy
		deny   evaluator.Verdict // with the clause in a Deny, beside an Allow *
		reason string
	}{
		{"context value not a number", `"Condition":{"NumericLessThan":{"k":"10"}}`, set("k", "ten"), evaluator.ImplicitDeny, evaluator.Allowed, "positive comparison false (SPEC 3.1.5)"},
		{"context value not a number, negated", `"Condition":{"NumericNotEquals":{"k":"10"}}`, set("k", "ten"), evaluator.Allowed, evaluator.ExplicitDeny, "negated comparison true"},
		{"context value not a date", `"Condition":{"DateLessThan":{"k":"2030-01-01"}}`, set("k", "soon"), evaluator.ImplicitDeny, evaluator.Allowed, "positive comparison false"},
		{"context value not an IP", `"Condition":{"NotIpAddress":{"k":"10.0.0.0/8"}}`, set("k", "somewhere"), evaluator.Allowed, evaluator.ExplicitDeny, "negated comparison true"},
		{"context value not a boolean", `"Condition":{"Bool":{"k":"true"}}`, set("k", "yes"), evaluator.ImplicitDeny, evaluator.Allowed, "positive comparison false"},
		{"context value not base64", `"Condition":{"BinaryEquals":{"k":"QQ=="}}`, set("k", "A"), evaluator.ImplicitDeny, evaluator.Allowed, "positive comparison false"},
		{"context value not an ARN", `"Condition":{"ArnLike":{"k":"arn:aws:s3:::*"}}`, set("k", "bucket"), evaluator.ImplicitDeny, evaluator.Allowed, "never matches ArnLike"},
		{"context value not an ARN, negated", `"Condition":{"ArnNotLike":{"k":"arn:aws:s3:::*"}}`, set("k", "bucket"), evaluator.ImplicitDeny, evaluator.Allowed, "ArnNotLike false too (OBSERVED, SPEC 3.5)"},
		// the same whatever the policy value: a value that is not an ARN
		// itself, even the same text, does not make the context value one
		{"context value not an ARN, the policy's not one either", `"Condition":{"ArnEquals":{"k":"bucket"}}`, set("k", "bucket"), evaluator.ImplicitDeny, evaluator.Allowed, "never matches ArnEquals (SPEC 3.5)"},
		{"context value not an ARN, policy value *", `"Condition":{"ArnLike":{"k":"*"}}`, set("k", "bucket"), evaluator.ImplicitDeny, evaluator.Allowed, "never matches ArnLike (SPEC 3.5)"},
		{"context value not an ARN, the policy's not one, negated", `"Condition":{"ArnNotEquals":{"k":"other"}}`, set("k", "bucket"), evaluator.ImplicitDeny, evaluator.Allowed, "ArnNotEquals false too (OBSERVED, SPEC 3.5)"},
		{"multivalued key, single-valued operator", `"Condition":{"StringEquals":{"aws:TagKeys":"env"}}`, setList("aws:TagKeys", "env"), evaluator.ImplicitDeny, evaluator.Allowed, "no match (OBSERVED, SPEC 3.1.3)"},
		{"unresolvable variable in a condition", `"Condition":{"StringEquals":{"k":"${aws:username}"}}`, set("k", "alice"), evaluator.ImplicitDeny, evaluator.Allowed, "the value matches nothing (SPEC 4)"},
		{"unresolvable variable, negated", `"Condition":{"StringNotEquals":{"k":"${aws:username}"}}`, set("k", "alice"), evaluator.Allowed, evaluator.ExplicitDeny, "a negated operator matches (SPEC 4)"},
		{"unresolvable variable in Resource", `"Resource":"arn:aws:s3:::b/${aws:username}/*"`, nil, evaluator.ImplicitDeny, evaluator.Allowed, "the entry matches no resource"},
		{"unresolvable variable in NotResource", `"NotResource":"arn:aws:s3:::b/${aws:username}/*"`, nil, evaluator.Allowed, evaluator.ExplicitDeny, "the entry excludes nothing (SPEC 8 case 27)"},
	}
	for _, tc := range tests {
		t.Run(tc.kind, func(t *testing.T) {
			resource := `"Resource":"*",`
			if tc.cond[1:9] == "Resource" || tc.cond[1:12] == "NotResource" {
				resource = ""
			}
			stmt := func(effect string) string {
				return `{"Effect":"` + effect + `","Action":"s3:*",` + resource + tc.cond + `}`
			}
			allowOnly := mustParse(t, "allow.json", `{"Version":"2012-10-17","Statement":`+stmt("Allow")+`}`)
			withDeny := mustParse(t, "deny.json", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},`+stmt("Deny")+`]}`)
			req := request.SessionWithoutMFA(caller, "s3:GetObject", "arn:aws:s3:::b/alice/k")
			if tc.req != nil {
				tc.req(req)
			}
			for _, c := range []struct {
				p    *policy.Policy
				want evaluator.Verdict
			}{{allowOnly, tc.allow}, {withDeny, tc.deny}} {
				e := mustCompile(t, evaluator.PolicySet{Identity: []*policy.Policy{c.p}})
				if got := e.Evaluate(req).Verdict; got != c.want {
					t.Errorf("%s: got %v, want %v (%s)", c.p.Name, got, c.want, tc.reason)
				}
			}
		})
	}
}

func set(k, v string) func(*request.Context) {
	return func(c *request.Context) { _ = c.Set(k, request.TypeString, v) }
}

func setList(k string, v ...string) func(*request.Context) {
	return func(c *request.Context) { _ = c.Set(k, request.TypeStringList, v...) }
}

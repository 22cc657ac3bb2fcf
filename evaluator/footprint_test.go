package evaluator_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/iameval/iameval/evaluator"
	"github.com/iameval/iameval/policy"
	"github.com/iameval/iameval/request"
)

// TestFootprint: the statements whose Action or NotAction matches an
// action, in the order Evaluate scans them, and the keys they reference.
func TestFootprint(t *testing.T) {
	id, err := policy.Parse("id", []byte(`{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${aws:username}/*"},
		{"Effect":"Deny","NotAction":"iam:*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"false"}}},
		{"Effect":"Allow","Action":"ec2:*","Resource":"*","Condition":{"StringEquals":{"aws:RequestedRegion":"eu-west-1"}}},
		{"Effect":"Allow","Action":"s3:Get*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"a"}}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	e, err := evaluator.Compile(evaluator.PolicySet{Identity: []*policy.Policy{id}})
	if err != nil {
		t.Fatal(err)
	}
	var f evaluator.Footprint
	e.AppendFootprint(&f, "S3:getobject")
	if diff := cmp.Diff([]evaluator.StatementRef{{0, 0}, {0, 1}, {0, 3}}, f.Statements); diff != "" {
		t.Errorf("statements (-want +got):\n%s", diff)
	}
	var keys []string
	for _, k := range f.KeyIDs {
		keys = append(keys, e.Keys()[k])
	}
	if diff := cmp.Diff([]string{"aws:username", "aws:MultiFactorAuthPresent", "aws:PrincipalTag/team"}, keys); diff != "" {
		t.Errorf("keys (-want +got):\n%s", diff)
	}
	e.AppendFootprint(&f, "iam:CreateUser")
	if len(f.Statements) != 0 || len(f.KeyIDs) != 0 {
		t.Errorf("iam:CreateUser: %+v", f)
	}
	if got := string(e.AppendShape(nil)); got != "1000 0 0 0 " {
		t.Errorf("shape %q", got)
	}
}

// TestExplainMatching: the traces of the statements whose action matches,
// as Explain gives them, in Explain's order.
func TestExplainMatching(t *testing.T) {
	id, err := policy.Parse("id", []byte(`{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${aws:username}/*"},
		{"Effect":"Deny","NotAction":"iam:*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"false"}}},
		{"Effect":"Allow","Action":"ec2:*","Resource":"*"},
		{"Effect":"Allow","Action":"s3:Get*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"a"}}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	e, err := evaluator.Compile(evaluator.PolicySet{Identity: []*policy.Policy{id}})
	if err != nil {
		t.Fatal(err)
	}
	for _, action := range []string{"s3:GetObject", "ec2:RunInstances", "iam:CreateUser"} {
		req := request.SessionWithoutMFA("arn:aws:iam::123456789012:user/alice", action, "arn:aws:s3:::b/alice/k")
		all, some := e.Explain(req), e.ExplainMatching(req)
		var want []evaluator.StatementTrace
		for _, tr := range all.Statements {
			if tr.Reason != evaluator.ActionMismatch {
				want = append(want, tr)
			}
		}
		same := cmp.Options{cmp.Comparer(func(a, b *policy.Statement) bool { return a == b }), cmp.Comparer(func(a, b *policy.Clause) bool { return a == b })}
		if diff := cmp.Diff(want, some.Statements, same); diff != "" {
			t.Errorf("%s (-want +got):\n%s", action, diff)
		}
		// MatchingTraces yields the same traces, and stops when told to
		var each []evaluator.StatementTrace
		for tr := range e.MatchingTraces(req) {
			each = append(each, tr)
		}
		if diff := cmp.Diff(some.Statements, each, same); diff != "" {
			t.Errorf("%s: MatchingTraces (-ExplainMatching +MatchingTraces):\n%s", action, diff)
		}
		n := 0
		for range e.MatchingTraces(req) {
			n++
			break
		}
		if len(each) > 0 && n != 1 {
			t.Errorf("%s: MatchingTraces went on after a break", action)
		}
		if some.Decision.Verdict != all.Decision.Verdict {
			t.Errorf("%s: %v, Explain %v", action, some.Decision.Verdict, all.Decision.Verdict)
		}
	}
}

// TestAppendResourceMatchesAsTraces: whether each statement of a
// footprint lets a request's resource in is what its trace says (false
// exactly where the reason is ResourceMismatch), for Resource and
// NotResource entries with wildcards, policy variables the request
// carries or lacks, a resource policy's statement without Resource, and
// statements that fail later on their principal or conditions.
func TestAppendResourceMatchesAsTraces(t *testing.T) {
	id, err := policy.Parse("id", []byte(`{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${aws:username}/*"},
		{"Effect":"Deny","NotAction":"iam:*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"false"}}},
		{"Effect":"Allow","Action":"s3:*","NotResource":["arn:aws:s3:::secret/*","arn:aws:s3:::b/a?c"]},
		{"Effect":"Allow","Action":"s3:Get*","Resource":["arn:aws:s3:::home/*","arn:aws:s3:::b/x*"],"Condition":{"StringEquals":{"aws:PrincipalTag/team":"a"}}},
		{"Effect":"Deny","Action":"s3:GetObject","NotResource":"arn:aws:s3:::b/${aws:PrincipalTag/team}/*"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	res, err := policy.Parse("res", []byte(`{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/bob"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"},
		{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::home/*"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	e, err := evaluator.Compile(evaluator.PolicySet{Identity: []*policy.Policy{id}, Resource: res})
	if err != nil {
		t.Fatal(err)
	}
	var f evaluator.Footprint
	var got []bool
	checked, outs := 0, 0
	for _, caller := range []string{"arn:aws:iam::123456789012:user/alice", "arn:aws:iam::123456789012:user/bob"} {
		for _, resource := range []string{"arn:aws:s3:::b/alice/k", "arn:aws:s3:::b/abc", "arn:aws:s3:::b/xy", "arn:aws:s3:::secret/k",
			"arn:aws:s3:::home/k", "arn:aws:s3:::b/a/k", "*", "arn:aws:s3:::other"} {
			for _, withKeys := range []bool{true, false} {
				req := request.New(caller, "s3:GetObject", resource)
				if withKeys {
					_ = req.Set("aws:username", request.TypeString, "alice")
					_ = req.Set("aws:PrincipalTag/team", request.TypeString, "a")
				}
				e.AppendFootprint(&f, req.Action)
				got = e.AppendResourceMatches(got[:0], &f, req)
				var want []bool
				for tr := range e.MatchingTraces(req) {
					want = append(want, tr.Reason != evaluator.ResourceMismatch)
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("%s on %s (keys %v): AppendResourceMatches differs from the traces (-want +got):\n%s", caller, resource, withKeys, diff)
				}
				checked++
				for _, in := range got {
					if !in {
						outs++
					}
				}
			}
		}
	}
	if outs == 0 || outs == checked*len(f.Statements) {
		t.Fatalf("%d statements left out of %d requests: the cases do not tell", outs, checked)
	}
}

// TestResourceAccount: the account ResourceAccount says owns a request's
// resource is the one Evaluate decides by. A request whose resource an
// account other than the caller's owns is cross-account and, without a
// resource policy, denied ("For requests made from one account to
// another, the requester in Account A must have an identity-based policy
// that allows them to make a request to the resource in Account B. Also,
// the resource-based policy in Account B must allow the requester in
// Account A to access the resource", IAM policy evaluation logic,
// cross-account policy evaluation): the account is the request's
// ResourceAccount, else the ARN's account field when it is an account ID,
// else the caller's.
func TestResourceAccount(t *testing.T) {
	id, err := policy.Parse("id", []byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	e, err := evaluator.Compile(evaluator.PolicySet{Identity: []*policy.Policy{id}})
	if err != nil {
		t.Fatal(err)
	}
	const caller = "arn:aws:iam::111122223333:user/alice"
	for _, tc := range []struct {
		resource, resourceAccount, want string
	}{
		{"arn:aws:sqs:us-east-1:111122223333:q", "", "111122223333"},
		{"arn:aws:sqs:us-east-1:444455556666:q", "", "444455556666"},
		// S3 ARNs name no account: the caller's
		{"arn:aws:s3:::bucket/k", "", "111122223333"},
		{"*", "", "111122223333"},
		// a word where the account goes (MediaConnect offerings) is none
		{"arn:aws:mediaconnect:us-east-1:aws:offering:o1", "", "111122223333"},
		// the request's own ResourceAccount first
		{"arn:aws:s3:::bucket/k", "444455556666", "444455556666"},
		{"arn:aws:sqs:us-east-1:111122223333:q", "444455556666", "444455556666"},
	} {
		req := request.New(caller, "sqs:SendMessage", tc.resource)
		req.ResourceAccount = tc.resourceAccount
		if got := e.ResourceAccount(req); got != tc.want {
			t.Errorf("ResourceAccount(%s, %q) = %q, want %q", tc.resource, tc.resourceAccount, got, tc.want)
		}
		d := e.Evaluate(req)
		if cross := tc.want != "111122223333"; d.CrossAccount != cross || d.Allowed() == cross {
			t.Errorf("%s, %q: CrossAccount %v, allowed %v; want cross-account %v", tc.resource, tc.resourceAccount, d.CrossAccount, d.Allowed(), cross)
		}
	}
}

// TestResourceVariables: which keys the policy variables of a statement's
// Resource or NotResource read (only in a policy of Version 2012-10-17:
// "policy variables ... must specify version 2012-10-17"; before, "${" is
// text), whether vary names one, and whether the request carries them all.
func TestResourceVariables(t *testing.T) {
	for _, tc := range []struct {
		version, resource string
		varies, carried   bool
	}{
		{"2012-10-17", `"arn:aws:s3:::home/${aws:username}/*"`, false, true},
		{"2012-10-17", `["arn:aws:s3:::a/*", "arn:aws:s3:::b/${aws:PrincipalTag/team}/*"]`, false, false},
		{"2012-10-17", `"arn:aws:s3:::b/${aws:username, 'none'}/${aws:PrincipalTag/team}"`, false, false},
		{"2012-10-17", `"arn:aws:s3:::vault/${aws:MultiFactorAuthPresent}/*"`, true, false},
		{"2012-10-17", `"arn:aws:s3:::b/${*}${?}${$}"`, false, true},
		{"2012-10-17", `"*"`, false, true},
		{"2008-10-17", `"arn:aws:s3:::home/${aws:MultiFactorAuthPresent}/*"`, false, true},
	} {
		for _, element := range []string{"Resource", "NotResource"} {
			p, err := policy.Parse("p", []byte(`{"Version":"`+tc.version+`","Statement":[{"Effect":"Allow","Action":"s3:GetObject","`+element+`":`+tc.resource+`}]}`))
			if err != nil {
				t.Fatal(err)
			}
			e, err := evaluator.Compile(evaluator.PolicySet{Identity: []*policy.Policy{p}})
			if err != nil {
				t.Fatal(err)
			}
			req := request.New("arn:aws:iam::123456789012:user/alice", "s3:GetObject", "arn:aws:s3:::home/alice/k")
			_ = req.Set("aws:username", request.TypeString, "alice")
			isMFA := func(k string) bool { return strings.EqualFold(k, "aws:MultiFactorAuthPresent") }
			varies, carried := e.ResourceVariables(evaluator.StatementRef{}, req, isMFA)
			if varies != tc.varies || carried != tc.carried {
				t.Errorf("%s %s %s: varies %v, carried %v; want %v, %v", tc.version, element, tc.resource, varies, carried, tc.varies, tc.carried)
			}
		}
	}
}

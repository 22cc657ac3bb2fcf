package evaluator_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/iameval/iameval/evaluator"
	"github.com/iameval/iameval/policy"
	"github.com/iameval/iameval/request"
)

// TestResourcePolicyNames pins the principal levels of SPEC 2.4 and 5.2
// step 4 as a query: the caller itself or everyone (direct), its role (a
// session of the role), its account (delegating to identity policies), or
// not at all; Deny statements name no one.
func TestResourcePolicyNames(t *testing.T) {
	trust := mustParse(t, "trust", `{"Version":"2012-10-17","Statement":[
 {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}},
 {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/bob"},"Action":"sts:AssumeRole"},
 {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/Deploy"},"Action":"sts:AssumeRole"},
 {"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"},
 {"Effect":"Deny","Principal":{"AWS":"arn:aws:iam::444455556666:user/eve"},"Action":"sts:AssumeRole"}]}`)
	e := mustCompile(t, evaluator.PolicySet{Resource: trust})
	tests := []struct {
		caller string
		want   evaluator.PrincipalMatch
	}{
		{"arn:aws:iam::111122223333:user/alice", evaluator.NamedAccount},
		{"arn:aws:iam::111122223333:user/bob", evaluator.NamedDirectly},
		{"arn:aws:sts::111122223333:assumed-role/Deploy/s", evaluator.NamedRole},
		{"arn:aws:iam::111122223333:root", evaluator.NamedDirectly},
		{"ec2.amazonaws.com", evaluator.NamedDirectly},
		{"lambda.amazonaws.com", evaluator.NotNamed},
		{"arn:aws:iam::444455556666:user/eve", evaluator.NotNamed},
		{"", evaluator.NotNamed},
	}
	for _, tc := range tests {
		if got := e.ResourcePolicyNames(tc.caller); got != tc.want {
			t.Errorf("%q: %v, want %v", tc.caller, got, tc.want)
		}
	}
	everyoneBut := mustParse(t, "bucket", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::111122223333:user/bob"},"Action":"s3:GetObject","Resource":"*"}}`)
	b := mustCompile(t, evaluator.PolicySet{Resource: everyoneBut})
	if got := b.ResourcePolicyNames("arn:aws:iam::111122223333:user/alice"); got != evaluator.NamedDirectly {
		t.Errorf("Allow NotPrincipal bob names alice: %v", got)
	}
	if got := b.ResourcePolicyNames("arn:aws:iam::111122223333:user/bob"); got != evaluator.NotNamed {
		t.Errorf("Allow NotPrincipal bob does not name bob: %v", got)
	}
	// NotNamed is exact: the resource policy then allows nothing
	for _, tc := range tests {
		if tc.want != evaluator.NotNamed || tc.caller == "" {
			continue
		}
		d := e.Evaluate(request.SessionWithMFA(tc.caller, "sts:AssumeRole", "arn:aws:iam::111122223333:role/R", 0))
		if d.Detail.Resource == evaluator.OutcomeAllowed {
			t.Errorf("%q is not named, yet the trust policy allowed it", tc.caller)
		}
	}
}

// TestIdentityMayAllow: an identity policy can allow an action only through
// an Allow statement whose Action (or NotAction) matches it.
func TestIdentityMayAllow(t *testing.T) {
	e := mustCompile(t, evaluator.PolicySet{Identity: []*policy.Policy{
		mustParse(t, "s3", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"},{"Effect":"Deny","Action":"sts:AssumeRole","Resource":"*"}]}`),
		mustParse(t, "not-iam", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","NotAction":["iam:*","sts:*"],"Resource":"arn:aws:ec2:*"}}`),
	}})
	for action, want := range map[string]bool{"s3:GetObject": true, "sts:AssumeRole": false, "ec2:RunInstances": true, "iam:CreateUser": false, "STS:assumerole": false} {
		if got := e.IdentityMayAllow(action); got != want {
			t.Errorf("%s: %v, want %v", action, got, want)
		}
	}
	admin := mustCompile(t, evaluator.PolicySet{Identity: []*policy.Policy{mustParse(t, "admin", admin)}})
	if !admin.IdentityMayAllow("sts:AssumeRole") {
		t.Error("Allow * may allow sts:AssumeRole")
	}
}

// TestIndividualPrincipals: a Principal element names a caller by its ARN,
// as a session of its role, by its account, or as everyone (SPEC 2.4).
// Callers of one kind and account that no entry names one by one are
// matched alike, so AppendPrincipalMatches gives them one answer; the
// callers an entry names one by one are those IndividualPrincipals yields.
func TestIndividualPrincipals(t *testing.T) {
	trust := mustParse(t, "trust", `{"Version":"2012-10-17","Statement":[
 {"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111122223333:root","arn:aws:iam::111122223333:user/bob"]},"Action":"sts:AssumeRole"},
 {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/Deploy"},"Action":"sts:AssumeRole"},
 {"Effect":"Allow","Principal":{"AWS":"444455556666"},"Action":"sts:AssumeRole"},
 {"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"},
 {"Effect":"Deny","NotPrincipal":{"AWS":["arn:aws:iam::111122223333:root","arn:aws:sts::111122223333:assumed-role/Ops/s"]},"Action":"sts:AssumeRole"},
 {"Effect":"Allow","Principal":"*","Action":"sts:TagSession"}]}`)
	e := mustCompile(t, evaluator.PolicySet{Resource: trust})
	type entry struct{ Text, Role, RoleAccount string }
	var got []entry
	e.IndividualPrincipals(func(text, role, roleAccount string) { got = append(got, entry{text, role, roleAccount}) })
	want := []entry{
		{"arn:aws:iam::111122223333:user/bob", "", ""},
		{"arn:aws:iam::111122223333:role/Deploy", "Deploy", "111122223333"},
		{"ec2.amazonaws.com", "", ""},
		{"arn:aws:sts::111122223333:assumed-role/Ops/s", "", ""},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Fatalf("IndividualPrincipals (-want +got):\n%s", d)
	}
	named := func(caller string) bool {
		c := request.ParsePrincipal(caller)
		for _, x := range got {
			if x.Text == caller || (x.Role != "" && c.Kind == request.PrincipalAssumedRole && c.Name == x.Role && c.Account == x.RoleAccount) {
				return true
			}
		}
		return false
	}
	callers := []string{
		"arn:aws:iam::111122223333:user/alice", "arn:aws:iam::111122223333:user/carol", "arn:aws:iam::111122223333:user/bob",
		"arn:aws:iam::111122223333:user/team/bob2",
		"arn:aws:sts::111122223333:assumed-role/Deploy/s", "arn:aws:sts::111122223333:assumed-role/Build/s",
		"arn:aws:sts::111122223333:assumed-role/Test/x", "arn:aws:sts::111122223333:assumed-role/Ops/s",
		"arn:aws:iam::444455556666:user/dave", "arn:aws:iam::444455556666:user/erin",
		"arn:aws:iam::777788889999:user/frank", "arn:aws:iam::777788889999:user/grace",
	}
	differ := 0
	for _, a := range callers {
		for _, b := range callers {
			ca, cb := request.ParsePrincipal(a), request.ParsePrincipal(b)
			if a == b || ca.Kind != cb.Kind || ca.Account != cb.Account {
				continue
			}
			ma, mb := string(e.AppendPrincipalMatches(nil, a)), string(e.AppendPrincipalMatches(nil, b))
			if named(a) || named(b) {
				if ma != mb {
					differ++
				}
				continue
			}
			if ma != mb || e.ResourcePolicyNames(a) != e.ResourcePolicyNames(b) {
				t.Errorf("%s and %s are named by no entry one by one, yet matched differently: %q, %q", a, b, ma, mb)
			}
		}
	}
	if differ == 0 {
		t.Error("no caller named one by one was matched differently from its kind and account: the test compares nothing")
	}
}

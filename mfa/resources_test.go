package mfa_test

import (
	"strings"
	"testing"

	"github.com/iameval/iameval/evaluator"
	"github.com/iameval/iameval/mfa"
	"github.com/iameval/iameval/policy"
	"github.com/iameval/iameval/request"
)

// TestResourcesFromPolicies pins issue 11 item 5: the resources an MFA
// analysis checks come from the policies, never from a "*" default alone.
func TestResourcesFromPolicies(t *testing.T) {
	ci := inline(t, `{"Version":"2012-10-17","Statement":[
 {"Effect":"Allow","Action":"s3:DeleteObject","Resource":"arn:aws:s3:::prod-artifacts/*"},
 {"Effect":"Allow","Action":"iam:CreateAccessKey","Resource":"arn:aws:iam::123456789012:user/*"},
 {"Effect":"Deny","NotAction":"s3:*","NotResource":"arn:aws:s3:::x/*"}]}`)
	selfManage := load(t, "p1-force-mfa-self-manage.json")
	tests := []struct {
		name      string
		set       []*policy.Policy
		caller    string
		action    string
		want      []string
		unchecked []string
	}{
		{"a literal bucket pattern, then *", []*policy.Policy{ci}, alice, "s3:DeleteObject", []string{"arn:aws:s3:::prod-artifacts/*", "*"}, nil},
		{"only statements whose action matches", []*policy.Policy{ci}, alice, "iam:CreateAccessKey", []string{"arn:aws:iam::123456789012:user/*", "*"}, nil},
		{"no statement for the action: * alone", []*policy.Policy{ci}, alice, "ec2:RunInstances", []string{"*"}, nil},
		{"${aws:username} and a wildcard account become the caller's own user", []*policy.Policy{selfManage}, alice, "iam:CreateAccessKey",
			[]string{"arn:aws:iam::123456789012:user/alice", "*"}, nil},
		{"without a caller, ${aws:username} cannot be rendered: unchecked, never silently dropped", []*policy.Policy{selfManage}, "", "iam:CreateAccessKey",
			[]string{"*"}, []string{"arn:aws:iam::*:user/${aws:username} needs aws:username"}},
		{"a role session never has aws:username (SPEC 4): the entry matches nothing for it, nothing is left unchecked", []*policy.Policy{selfManage},
			"arn:aws:sts::123456789012:assumed-role/Deploy/s", "iam:CreateAccessKey", []string{"*"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e, err := evaluator.Compile(evaluator.PolicySet{Identity: tc.set})
			if err != nil {
				t.Fatal(err)
			}
			base := request.New(tc.caller, tc.action, "*")
			got, unchecked := mfa.Resources(e, tc.action, base)
			if strings.Join(got, " ") != strings.Join(tc.want, " ") {
				t.Errorf("resources %q, want %q", got, tc.want)
			}
			var u []string
			for _, x := range unchecked {
				u = append(u, x.Pattern+" needs "+strings.Join(x.Missing, ","))
			}
			if strings.Join(u, ";") != strings.Join(tc.unchecked, ";") {
				t.Errorf("unchecked %q, want %q", u, tc.unchecked)
			}
		})
	}
	// The case: with the caller's own user, CreateAccessKey is
	// allowed with MFA (mfa-required), not never-allowed.
	e, _ := evaluator.Compile(evaluator.PolicySet{Identity: []*policy.Policy{selfManage}})
	base := request.New(alice, "iam:CreateAccessKey", "*")
	res, _ := mfa.Resources(e, "iam:CreateAccessKey", base)
	b := request.New(alice, "iam:CreateAccessKey", res[0])
	if r := mfa.Analyze(e, b); r.Verdict != mfa.Required {
		t.Errorf("iam:CreateAccessKey on %s: %v, want mfa-required", res[0], r.Verdict)
	}
}

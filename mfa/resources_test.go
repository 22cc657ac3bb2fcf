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

// TestResourcesEntriesNoResourceStandsFor pins the escapes and literal
// "${" of Resource entries (IAM User Guide, "IAM policy elements: Variables
// and tags": ${*}, ${?} and ${$} stand for the characters *, ? and $, and
// policy variables need "Version": "2012-10-17"; under an earlier Version,
// or none, "${...}" is literal text). A resource made of such an entry
// would read its literal star as a wildcard, or its literal "${" as a
// variable, and would not be a resource the entry matches: the row would
// say never allowed where the entry allows (a walkthrough's find: a false
// all-clear). Such an entry is not checked, and says why; the entries
// whose rendering stands for what they match are checked as before.
func TestResourcesEntriesNoResourceStandsFor(t *testing.T) {
	doc := func(version, resource string) *policy.Policy {
		v := ""
		if version != "" {
			v = `"Version":"` + version + `",`
		}
		return inline(t, `{`+v+`"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"`+resource+`"}]}`)
	}
	for _, tc := range []struct {
		name, version, resource string
		// want are the resources checked; unchecked the entry's reason
		// (a part of it), "" when it is checked
		want      []string
		unchecked string
	}{
		{"${*} is a literal star", "2012-10-17", `arn:aws:s3:::reports/${*}/*`, []string{"*"}, "literal * or ?"},
		{"${?} is a literal question mark", "2012-10-17", `arn:aws:s3:::q/${?}x`, []string{"*"}, "literal * or ?"},
		{"${$} before a brace is a literal ${", "2012-10-17", `arn:aws:s3:::d/${$}{y}/*`, []string{"*"}, "literal ${"},
		{"${$} alone is a literal $, rendered as itself", "2012-10-17", `arn:aws:s3:::d/a${$}b/*`, []string{"arn:aws:s3:::d/a$b/*", "*"}, ""},
		{"under 2008-10-17 ${aws:username} is literal text", "2008-10-17", `arn:aws:s3:::home/${aws:username}/*`, []string{"*"}, "literal text under its policy's Version"},
		{"without a Version ${aws:username} is literal text", "", `arn:aws:s3:::home/${aws:username}/*`, []string{"*"}, "literal text under its policy's Version"},
		{"under 2012-10-17 ${aws:username} is the caller's name", "2012-10-17", `arn:aws:s3:::home/${aws:username}/*`, []string{"arn:aws:s3:::home/alice/*", "*"}, ""},
		{"a default holding a star is a literal star", "2012-10-17", `arn:aws:s3:::b/${aws:PrincipalTag/team, '*'}/x`, []string{"*"}, "literal * or ?"},
		{"wildcards alone are wildcards", "2012-10-17", `arn:aws:s3:::b/*/x?`, []string{"arn:aws:s3:::b/*/x?", "*"}, ""},
		{"a wildcard account and ${*} in the resource", "2012-10-17", `arn:aws:s3:*:*:b/${*}`, []string{"*"}, "literal * or ?"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, err := evaluator.Compile(evaluator.PolicySet{Identity: []*policy.Policy{doc(tc.version, tc.resource)}})
			if err != nil {
				t.Fatal(err)
			}
			base := request.New(alice, "s3:GetObject", "*")
			got, unchecked := mfa.Resources(e, "s3:GetObject", base)
			if strings.Join(got, " ") != strings.Join(tc.want, " ") {
				t.Errorf("resources %q, want %q", got, tc.want)
			}
			switch {
			case tc.unchecked == "" && len(unchecked) > 0:
				t.Errorf("unchecked %+v, want none", unchecked)
			case tc.unchecked != "" && (len(unchecked) != 1 || !strings.Contains(unchecked[0].Reason, tc.unchecked) || len(unchecked[0].Missing) > 0 || unchecked[0].Pattern != tc.resource):
				t.Errorf("unchecked %+v, want %s with a reason holding %q", unchecked, tc.resource, tc.unchecked)
			}
		})
	}
}

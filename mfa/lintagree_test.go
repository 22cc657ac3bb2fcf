package mfa_test

import (
	"strings"
	"testing"

	"github.com/iameval/iameval/evaluator"
	"github.com/iameval/iameval/lint"
	"github.com/iameval/iameval/mfa"
	"github.com/iameval/iameval/policy"
	"github.com/iameval/iameval/request"
)

// TestLintAndMFAAgree pins review 13 F10: the README says lint and mfa
// never disagree. For each of lint's MFA rules, a policy it reports: where
// mfa shows a gap (a request without MFA allowed where a stricter one is
// denied: long-term keys against a session without MFA, or either against
// an MFA session of some age), mfa names the bypass, on the statement lint
// reports, with a fix. The AWS behaviour each row rests on:
//   - a key absent from the request (long-term access keys carry no
//     aws:MultiFactorAuthPresent, and no aws:MultiFactorAuthAge without
//     MFA): "...IfExists" is true, a plain operator false, a negated
//     operator true (AWS docs, "Condition operators": "If the key that you
//     specify in a policy condition is not present in the request context,
//     the values do not match" — and the Not operators then return true),
//     Null true is true;
//   - ForAllValues: on an absent key is true (AWS docs, "Multivalued
//     context keys": "ForAllValues ... returns true if ... the key is
//     not present in the request"), ForAnyValue: false.
func TestLintAndMFAAgree(t *testing.T) {
	const allowAll = `{"Effect":"Allow","Action":"*","Resource":"*"}`
	doc := func(stmts ...string) string {
		return `{"Version":"2012-10-17","Statement":[` + strings.Join(stmts, ",") + `]}`
	}
	tests := []struct {
		name   string
		rule   string // the lint rule reported on the statement
		policy string
		action string
		stmt   int    // the statement, 0-based
		bypass string // the bypass kind mfa names; "" when mfa shows no gap
	}{
		{"MFA001 Deny Bool false: long-term keys slip past", "MFA001",
			doc(allowAll, `{"Effect":"Deny","Action":"ec2:TerminateInstances","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"false"}}}`), "ec2:TerminateInstances", 1, "deny-skipped"},
		{"MFA002 Allow BoolIfExists true: long-term keys slip through", "MFA002",
			doc(`{"Effect":"Allow","Action":"ec2:TerminateInstances","Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"true"}}}`), "ec2:TerminateInstances", 0, "allow-ifexists"},
		{"MFA003 Deny NumericGreaterThan age: callers without MFA slip past", "MFA003",
			doc(allowAll, `{"Effect":"Deny","Action":"ec2:TerminateInstances","Resource":"*","Condition":{"NumericGreaterThan":{"aws:MultiFactorAuthAge":"3600"}}}`), "ec2:TerminateInstances", 1, "deny-skipped"},
		{"MFA003 Allow NumericLessThanIfExists age: callers without MFA slip through", "MFA003",
			doc(`{"Effect":"Allow","Action":"ec2:TerminateInstances","Resource":"*","Condition":{"NumericLessThanIfExists":{"aws:MultiFactorAuthAge":"3600"}}}`), "ec2:TerminateInstances", 0, "allow-ifexists"},
		{"MFA004 Deny Bool false blocking enrolment: long-term keys slip past", "MFA004",
			doc(allowAll, `{"Effect":"Deny","NotAction":["iam:ListMFADevices"],"Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"false"}}}`), "ec2:TerminateInstances", 1, "deny-skipped"},
		{"MFA005 Allow ForAllValues:Bool true (review 13 lintmfa/forall-mfa.json): long-term keys slip through", "MFA005",
			doc(`{"Effect":"Allow","Action":"ec2:TerminateInstances","Resource":"*","Condition":{"ForAllValues:Bool":{"aws:MultiFactorAuthPresent":"true"}}}`), "ec2:TerminateInstances", 0, "allow-forallvalues"},
		{"MFA005 Allow ForAllValues:NumericLessThan age: callers without MFA slip through", "MFA005",
			doc(`{"Effect":"Allow","Action":"ec2:TerminateInstances","Resource":"*","Condition":{"ForAllValues:NumericLessThan":{"aws:MultiFactorAuthAge":"3600"}}}`), "ec2:TerminateInstances", 0, "allow-forallvalues"},
		{"MFA005 Deny ForAllValues:Bool false: true on an absent key, so it denies long-term keys too: no gap", "MFA005",
			doc(allowAll, `{"Effect":"Deny","Action":"ec2:TerminateInstances","Resource":"*","Condition":{"ForAllValues:Bool":{"aws:MultiFactorAuthPresent":"false"}}}`), "ec2:TerminateInstances", 1, ""},
		{"MFA006 no set qualifier on aws:TagKeys: not an MFA key, no gap", "MFA006",
			doc(`{"Effect":"Allow","Action":"ec2:TerminateInstances","Resource":"*","Condition":{"StringEquals":{"aws:TagKeys":"env"}}}`), "ec2:TerminateInstances", 0, ""},
		{"MFA007 Allow Null true: long-term keys slip through", "MFA007",
			doc(`{"Effect":"Allow","Action":"ec2:TerminateInstances","Resource":"*","Condition":{"Null":{"aws:MultiFactorAuthPresent":"true"}}}`), "ec2:TerminateInstances", 0, "allow-absent-key"},
		{"MFA007 Allow Null false: every temporary credential, no stricter request denied: no gap", "MFA007",
			doc(`{"Effect":"Allow","Action":"ec2:TerminateInstances","Resource":"*","Condition":{"Null":{"aws:MultiFactorAuthPresent":"false"}}}`), "ec2:TerminateInstances", 0, ""},
		{"MFA008 root MFA in an identity policy: no gap for a user", "MFA008",
			doc(allowAll, `{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringLike":{"aws:PrincipalArn":"arn:aws:iam::*:root"},"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}`), "ec2:TerminateInstances", 1, ""},
		{"MFA009 Allow StringNotEquals false: long-term keys slip through", "MFA009",
			doc(`{"Effect":"Allow","Action":"ec2:TerminateInstances","Resource":"*","Condition":{"StringNotEquals":{"aws:MultiFactorAuthPresent":"false"}}}`), "ec2:TerminateInstances", 0, "allow-absent-key"},
		{"MFA009 Deny StringEquals false: long-term keys slip past", "MFA009",
			doc(allowAll, `{"Effect":"Deny","Action":"ec2:TerminateInstances","Resource":"*","Condition":{"StringEquals":{"aws:MultiFactorAuthPresent":"false"}}}`), "ec2:TerminateInstances", 1, "deny-skipped"},
		{"MFA009 Allow StringEquals true: nothing without MFA allowed, no gap", "MFA009",
			doc(`{"Effect":"Allow","Action":"ec2:TerminateInstances","Resource":"*","Condition":{"StringEquals":{"aws:MultiFactorAuthPresent":"true"}}}`), "ec2:TerminateInstances", 0, ""},
		{"MFA010 Deny NumericEquals on the Boolean key never applies: all allowed, no gap", "MFA010",
			doc(allowAll, `{"Effect":"Deny","Action":"ec2:TerminateInstances","Resource":"*","Condition":{"NumericEquals":{"aws:MultiFactorAuthPresent":"0"}}}`), "ec2:TerminateInstances", 1, ""},
	}
	covered := map[string]bool{}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := policy.Parse("p.json", []byte(tc.policy))
			if err != nil {
				t.Fatal(err)
			}
			reported := false
			for _, f := range lint.Policy(p, policy.KindIdentity) {
				if f.RuleID == tc.rule {
					reported = true
				}
			}
			if !reported {
				t.Fatalf("lint does not report %s: %v", tc.rule, lint.Policy(p, policy.KindIdentity))
			}
			covered[tc.rule] = true
			e, err := evaluator.Compile(evaluator.PolicySet{Identity: []*policy.Policy{p}})
			if err != nil {
				t.Fatal(err)
			}
			r := mfa.Analyze(e, request.New(alice, tc.action, "*"))
			if gap(r) != (tc.bypass != "") {
				t.Fatalf("gap %v (long-term keys %v, session without MFA %v, ages %v), want %v", gap(r), r.LongTermKeys.Verdict, r.SessionWithoutMFA.Verdict, r.Ages, tc.bypass != "")
			}
			if tc.bypass == "" {
				return
			}
			for _, b := range r.Bypasses {
				if b.Kind == tc.bypass && b.Statement.Index == tc.stmt && b.Fix != "" && b.Clause != nil {
					return
				}
			}
			t.Errorf("mfa does not name the %s bypass of statement %d: %+v", tc.bypass, tc.stmt, r.Bypasses)
		})
	}
	for _, r := range lint.Rules() {
		if strings.HasPrefix(r.ID, "MFA") && !covered[r.ID] {
			t.Errorf("lint's %s has no row", r.ID)
		}
	}
}

// gap reports a request without MFA allowed where a stricter one is denied.
func gap(r mfa.Result) bool {
	ageDenied := false
	for _, o := range r.Ages {
		if !o.Decision.Allowed() {
			ageDenied = true
		}
	}
	lt, tmp := r.LongTermKeys.Allowed(), r.SessionWithoutMFA.Allowed()
	return lt && !tmp || (lt || tmp) && ageDenied
}

package mfa_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/iameval/iameval/evaluator"
	"github.com/iameval/iameval/mfa"
	"github.com/iameval/iameval/policy"
	"github.com/iameval/iameval/request"
)

// TestDependsOn pins which missing context keys make an MFA result depend
// on context not given: the keys tested by statements that match the
// request in everything but their conditions. A statement whose action,
// resource or principal does not match decides nothing whatever its
// condition says (SPEC 5.1: a statement matches when action, resource,
// principal and every condition match), so its keys do not count; the MFA
// keys are the analysis's scenarios and never count.
func TestDependsOn(t *testing.T) {
	const bucketIP = `{"Effect":"Allow","Action":"s3:DeleteObject","Resource":"arn:aws:s3:::office/*","Condition":{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}}`
	tests := []struct {
		name      string
		identity  []string
		resource  string // a resource policy, or ""
		principal string
		action    string
		target    string
		want      string
	}{
		{"an Allow on the requested resource that tests aws:SourceIp: depends on it",
			[]string{bucketIP}, "", alice, "s3:DeleteObject", "arn:aws:s3:::office/a", "aws:SourceIp"},
		{"the same Allow on another resource: decides nothing, no dependence",
			[]string{bucketIP, `{"Effect":"Allow","Action":"s3:DeleteObject","Resource":"arn:aws:s3:::other/*"}`}, "", alice, "s3:DeleteObject", "arn:aws:s3:::other/a", ""},
		{"a Deny that applies while a key is absent (StringNotEquals on an absent key is true): depends on it",
			[]string{`{"Effect":"Allow","Action":"*","Resource":"*"}`, `{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringNotEquals":{"aws:SourceVpc":"vpc-1"}}}`},
			"", alice, "s3:DeleteObject", "arn:aws:s3:::b/k", "aws:SourceVpc"},
		{"only MFA keys: no dependence (they are the scenarios)",
			[]string{`{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"NumericLessThan":{"aws:MultiFactorAuthAge":"3600"}}}`},
			"", alice, "s3:DeleteObject", "arn:aws:s3:::b/k", ""},
		{"a trust statement for another principal: its token claim does not matter to this caller",
			[]string{`{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}`},
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringLike":{"token.actions.githubusercontent.com:sub":"repo:o/*"}}},{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRoleWithWebIdentity"}]}`,
			alice, "sts:AssumeRoleWithWebIdentity", "arn:aws:iam::123456789012:role/R", ""},
		{"SPEC 4: a Resource entry whose variable's key is missing matches no resource; the requested resource might match it with the key given: depends on it",
			[]string{`{"Effect":"Allow","Action":"s3:DeleteObject","Resource":"arn:aws:s3:::home/${aws:PrincipalTag/team}/*"}`},
			"", alice, "s3:DeleteObject", "arn:aws:s3:::home/data/x", "aws:PrincipalTag/team"},
		{"the same entry for a resource it cannot match whatever the key's value: no dependence",
			[]string{`{"Effect":"Allow","Action":"s3:DeleteObject","Resource":"arn:aws:s3:::home/${aws:PrincipalTag/team}/*"}`},
			"", alice, "s3:DeleteObject", "arn:aws:s3:::other/x", ""},
		{"a policy variable in a condition value: depends on the variable's key",
			[]string{`{"Effect":"Allow","Action":"s3:DeleteObject","Resource":"*","Condition":{"StringEquals":{"s3:ExistingObjectTag/owner":"${aws:PrincipalTag/team}"}}}`},
			"", alice, "s3:DeleteObject", "arn:aws:s3:::b/k", "s3:ExistingObjectTag/owner,aws:PrincipalTag/team"},
	}
	// one Result for every case, as a caller analysing requests one at a
	// time keeps it: what a case leaves in it (more ages, bypasses) must
	// not show in the next
	var into mfa.Result
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var set evaluator.PolicySet
			for _, s := range tc.identity {
				set.Identity = append(set.Identity, inline(t, `{"Version":"2012-10-17","Statement":[`+s+`]}`))
			}
			if tc.resource != "" {
				p, err := policy.Parse("trust.json", []byte(tc.resource))
				if err != nil {
					t.Fatal(err)
				}
				set.Resource = p
			}
			e, err := evaluator.Compile(set)
			if err != nil {
				t.Fatal(err)
			}
			base := request.New(tc.principal, tc.action, tc.target)
			r := mfa.Analyze(e, base)
			if got := strings.Join(mfa.DependsOn(e, base, &r), ","); got != tc.want {
				t.Errorf("DependsOn = %q, want %q", got, tc.want)
			}
			// AnalyzeDepends gives both on base itself, and changes
			// nothing of it but its MFA keys
			notMFA := func(keys []request.Key) []request.Key {
				return slices.DeleteFunc(keys, func(k request.Key) bool {
					return strings.EqualFold(k.Name, request.KeyMultiFactorAuthPresent) || strings.EqualFold(k.Name, request.KeyMultiFactorAuthAge)
				})
			}
			before := notMFA(base.Keys())
			r2, deps := mfa.AnalyzeDepends(e, base, nil)
			if got := strings.Join(deps, ","); got != tc.want {
				t.Errorf("AnalyzeDepends = %q, want %q", got, tc.want)
			}
			if diff := cmp.Diff(r, r2, cmpopts.EquateEmpty(), cmp.Comparer(func(a, b *evaluator.Engine) bool { return a == b }), cmp.Exporter(func(reflect.Type) bool { return true })); diff != "" {
				t.Errorf("AnalyzeDepends's result (-Analyze +AnalyzeDepends):\n%s", diff)
			}
			if r3, deps3 := mfa.AnalyzeDepends(e, base.Clone(), mfa.Ages(mfa.Thresholds(e))); strings.Join(deps3, ",") != tc.want || len(r3.Ages) != len(r.Ages) || r3.Verdict != r.Verdict {
				t.Errorf("AnalyzeDepends with the ages given: %v, %q", r3.Verdict, deps3)
			}
			if deps := mfa.AnalyzeDependsInto(&into, e, base.Clone(), nil); strings.Join(deps, ",") != tc.want {
				t.Errorf("AnalyzeDependsInto = %q, want %q", deps, tc.want)
			}
			if diff := cmp.Diff(r, into, cmpopts.EquateEmpty(), cmp.Comparer(func(a, b *evaluator.Engine) bool { return a == b }), cmp.Exporter(func(reflect.Type) bool { return true })); diff != "" {
				t.Errorf("AnalyzeDependsInto's result, made in the Result of the case before (-Analyze +AnalyzeDependsInto):\n%s", diff)
			}
			// AnalyzeInto is AnalyzeDependsInto's result alone, made in
			// the Result of the case before too, with and without ages
			for _, ages := range [][]int64{nil, mfa.Ages(mfa.Thresholds(e))} {
				mfa.AnalyzeInto(&into, e, base.Clone(), ages)
				if diff := cmp.Diff(r, into, cmpopts.EquateEmpty(), cmp.Comparer(func(a, b *evaluator.Engine) bool { return a == b }), cmp.Exporter(func(reflect.Type) bool { return true })); diff != "" {
					t.Errorf("AnalyzeInto's result, made in the Result of the case before (-Analyze +AnalyzeInto):\n%s", diff)
				}
			}
			if diff := cmp.Diff(before, notMFA(base.Keys()), cmp.Exporter(func(reflect.Type) bool { return true })); diff != "" {
				t.Errorf("AnalyzeDepends changed base:\n%s", diff)
			}
			// DependsOnIn is DependsOn on the request itself, after
			// AnalyzeInto: the same keys, and nothing changed but its MFA
			// keys
			own := base.Clone()
			mfa.AnalyzeInto(&into, e, own, nil)
			if got := strings.Join(mfa.DependsOnIn(e, own, &into), ","); got != tc.want {
				t.Errorf("DependsOnIn = %q, want %q", got, tc.want)
			}
			if diff := cmp.Diff(before, notMFA(own.Keys()), cmp.Exporter(func(reflect.Type) bool { return true })); diff != "" {
				t.Errorf("DependsOnIn changed more than the MFA keys:\n%s", diff)
			}
			if own.Principal != base.Principal || own.Action != base.Action || own.Resource != base.Resource {
				t.Errorf("DependsOnIn changed the request: %s %s %s", own.Principal, own.Action, own.Resource)
			}
		})
	}
}

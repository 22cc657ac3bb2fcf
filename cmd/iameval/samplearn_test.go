package main

import (
	"strings"
	"testing"
)

// TestSampleARNsNameAccount: a resource made from a Resource entry whose
// account is a wildcard names an account, never an empty one, which only
// what AWS owns has (public AMIs, AWS managed policies' "aws"): IAM's
// arn:aws:iam::${Account}:mfa/... always has the account. With no caller
// the account is the placeholder the output says it is (123456789012),
// and a resource in an account no entry names is checked too. Review 13
// F14c: mfa printed arn:aws:iam:::mfa/mfatokenidwithpath for the AWS
// docs' force-MFA policy's arn:aws:iam::*:mfa/*, and diff
// arn:aws:iam:::role/rolenamewithpath for arn:aws:iam::*:role/* (review
// 13's diff2/old-acct-widen.json and new-acct-widen.json).
func TestSampleARNsNameAccount(t *testing.T) {
	inRoot(t)
	runs := []struct {
		args []string
		want []string
	}{
		{[]string{"mfa", "--policy", "testdata/policies/p1-force-mfa-self-manage.json", "-o", "json"},
			[]string{`"resource": "arn:aws:iam::123456789012:mfa/mfatokenidwithpath"`}},
		{[]string{"mfa", "--policy", "testdata/policies/p1-force-mfa-self-manage.json"},
			[]string{"the account 123456789012 stands for the caller's, not known without --caller-arn"}},
		{[]string{"diff", "testdata/diff/acct-widen-old.json", "testdata/diff/acct-widen-new.json"},
			[]string{"sts:AssumeRole on arn:aws:iam::999999999999:role/rolenamewithpath"}},
	}
	for _, r := range runs {
		_, out, errOut := runCLI(t, r.args...)
		if strings.Contains(out, "arn:aws:iam:::") {
			t.Errorf("%v: an IAM ARN without its account:\n%s%s", r.args, out, errOut)
		}
		for _, w := range r.want {
			if !strings.Contains(out, w) {
				t.Errorf("%v: no %q in\n%s%s", r.args, w, out, errOut)
			}
		}
	}
}

package lint_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/iameval/iameval/lint"
	"github.com/iameval/iameval/policy"
)

// TestMFAFindingsConfirmed pins issue 11 item 7: an MFA pitfall that another
// statement of the same policy covers is not a finding. Each MFA finding is
// confirmed by deciding the statement's own requests under each kind of
// credential, as the mfa analysis does, so lint and mfa cannot disagree.
func TestMFAFindingsConfirmed(t *testing.T) {
	tests := []struct {
		name string
		kind policy.Kind
		doc  string
		want []string
	}{
		// AWS's S3 example "require MFA" bucket policy: the Null Deny
		// catches every request without MFA, so the NumericGreaterThan
		// Deny's blind spot is covered (mfa finds no bypass either).
		{"AWS's S3 require-MFA bucket policy", policy.KindResource, `{
  "Version": "2012-10-17",
  "Id": "123",
  "Statement": [
    {"Sid": "", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/taxdocuments/*",
     "Condition": {"Null": {"aws:MultiFactorAuthAge": true}}},
    {"Sid": "", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/taxdocuments/*",
     "Condition": {"NumericGreaterThan": {"aws:MultiFactorAuthAge": 3600}}},
    {"Sid": "", "Effect": "Allow", "Principal": "*", "Action": ["s3:GetObject"], "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/*"}
  ]
}`, []string{"SIZE002"}},
		{"the age Deny alone is a finding", policy.KindResource, `{"Version": "2012-10-17", "Statement": [
    {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::b/*", "Condition": {"NumericGreaterThan": {"aws:MultiFactorAuthAge": 3600}}},
    {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}`, []string{"SIZE002", "MFA003"}},
		{"a Null Deny on a narrower prefix covers only part of it: still a finding", policy.KindResource, `{"Version": "2012-10-17", "Statement": [
    {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::b/tax/*", "Condition": {"Null": {"aws:MultiFactorAuthAge": true}}},
    {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::b/*", "Condition": {"NumericGreaterThan": {"aws:MultiFactorAuthAge": 3600}}}]}`, []string{"SIZE002", "MFA003"}},
		{"Deny Bool false covered by a BoolIfExists Deny on the same actions", policy.KindIdentity, `{"Version": "2012-10-17", "Statement": [
    {"Effect": "Deny", "Action": "ec2:StopInstances", "Resource": "*", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "false"}}},
    {"Effect": "Deny", "Action": "ec2:*", "Resource": "*", "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}}]}`, []string{}},
		{"Deny Bool false covered for one action only: still a finding", policy.KindIdentity, `{"Version": "2012-10-17", "Statement": [
    {"Effect": "Deny", "Action": ["ec2:StopInstances", "s3:DeleteObject"], "Resource": "*", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "false"}}},
    {"Effect": "Deny", "Action": "ec2:*", "Resource": "*", "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}}]}`, []string{"MFA001"}},
		{"Allow BoolIfExists true whose long-term-key requests another statement denies", policy.KindIdentity, `{"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "true"}}},
    {"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}}]}`, []string{"MFA004"}},
		{"Allow NumericLessThanIfExists age, covered by a Null Deny", policy.KindIdentity, `{"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*", "Condition": {"NumericLessThanIfExists": {"aws:MultiFactorAuthAge": 3600}}},
    {"Effect": "Deny", "Action": "s3:*", "Resource": "*", "Condition": {"Null": {"aws:MultiFactorAuthAge": "true"}}}]}`, []string{}},
		{"Allow NumericLessThanIfExists age alone", policy.KindIdentity, `{"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*", "Condition": {"NumericLessThanIfExists": {"aws:MultiFactorAuthAge": 3600}}}]}`, []string{"MFA003"}},
		{"Null true Deny on the flag, sessions without MFA stopped by another Deny", policy.KindIdentity, `{"Version": "2012-10-17", "Statement": [
    {"Effect": "Deny", "Action": "s3:*", "Resource": "*", "Condition": {"Null": {"aws:MultiFactorAuthPresent": "true"}}},
    {"Effect": "Deny", "Action": "s3:*", "Resource": "*", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "false"}}}]}`, []string{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := lint.File("p.json", []byte(tc.doc), tc.kind)
			if diff := cmp.Diff(tc.want, ids(got)); diff != "" {
				t.Errorf("(-want +got):\n%s\n%v", diff, got)
			}
		})
	}
}

package evaluator_test

import (
	"testing"

	"github.com/iameval/iameval/evaluator"
	"github.com/iameval/iameval/request"
)

// TestUnsignedRequestRequired pins the services whose APIs take no
// unsigned request, whatever a resource policy says: AWS STS (API
// reference: AssumeRoleWithWebIdentity and AssumeRoleWithSAML are the
// calls that need no AWS security credentials; AssumeRole "must" be
// called with them), IAM (every IAM API request must be signed, IAM API
// reference "Signing AWS API requests") and AWS KMS (every KMS request must
// be signed with AWS credentials, KMS API reference). An anonymous caller
// is implicitly denied them by RuleSignedRequestRequired even when a trust
// or key policy names Principal {"AWS":"*"}; the two federation calls
// stay decided by the trust policy, and an anonymous request of another
// service (S3) by the resource policy.
func TestUnsignedRequestRequired(t *testing.T) {
	open := mustParse(t, "trust", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"*","Resource":"*"}}`)
	for _, tc := range []struct {
		action, resource string
		want             evaluator.Rule
		allowed          bool
	}{
		{"sts:AssumeRole", "arn:aws:iam::111122223333:role/R", evaluator.RuleSignedRequestRequired, false},
		{"sts:TagSession", "arn:aws:iam::111122223333:role/R", evaluator.RuleSignedRequestRequired, false},
		{"STS:assumerole", "arn:aws:iam::111122223333:role/R", evaluator.RuleSignedRequestRequired, false},
		{"sts:AssumeRoleWithWebIdentity", "arn:aws:iam::111122223333:role/R", evaluator.RuleNone, true},
		{"sts:AssumeRoleWithSAML", "arn:aws:iam::111122223333:role/R", evaluator.RuleNone, true},
		{"iam:PassRole", "arn:aws:iam::111122223333:role/R", evaluator.RuleSignedRequestRequired, false},
		{"kms:Decrypt", "arn:aws:kms:us-east-1:111122223333:key/k", evaluator.RuleSignedRequestRequired, false},
		{"s3:GetObject", "arn:aws:s3:::b/k", evaluator.RuleNone, true},
	} {
		set := evaluator.PolicySet{Resource: open, ResourceOwner: "111122223333"}
		d := mustCompile(t, set).Evaluate(&request.Context{Principal: request.Anonymous, Action: tc.action, Resource: tc.resource})
		if d.Allowed() != tc.allowed || d.Rule != tc.want {
			t.Errorf("anonymous %s: allowed %v by %v, want allowed %v by %v", tc.action, d.Allowed(), d.Rule, tc.allowed, tc.want)
		}
	}
}
